//! A disposable snapshot of reviews.yaml as read, so that a command that only reads the log parses as text only
//! the lines appended since the snapshot was made: at 100,000 lines, the text was 128M instructions of the 302M
//! `amgi stats` took.
//!
//! A snapshot holds what reading a prefix of the log gave, a prefix that ends at a newline: its length and CRC-32,
//! its number of lines, the [`Log`] of it (lines in the order they are applied, their numbers, the repeats and the
//! torn lines), whether each line has an id, each id with its line's number (sorted by id), and the card ids the
//! text reader checked. The prefix is still read from the file, for the whole file's CRC and to check it is the
//! prefix the snapshot was made of; only what follows is read as text, and [`Snapshot::extend`] puts the two
//! together as a read of the whole file puts them: a line after the prefix that repeats one in it (by id, or by
//! text for a line without an id) is a repeat of that one, and the lines of both are merged in time order (of one
//! moment, the prefix's first, as they come first in the file). Line numbers go on from the prefix's; a torn
//! line inside the prefix ended with a newline, and stays torn whatever follows.
//!
//! Bytes that are not a whole snapshot of this build and format (missing, cut short, corrupt, from another build
//! or a newer format) give no snapshot, and the whole log is read as text.
//!
//! Layout: a header (magic, format, build, the prefix's length, CRC-32 and number of lines, the body's length,
//! and a CRC-32 of those three numbers of the prefix and of the body), then the body, little-endian: the card ids
//! (each its length, its text, and whether the text reader checked it), the lines (a fixed head of kind, number
//! and moment, then what the kind has), the repeats, the torn lines and the ids. The ids are read only when the
//! log has lines after the prefix, to be looked up.

use super::log::{self, Exact, LineId, Log, LogLine, Mode, PlanChange, Repeat, Review};
use crate::card::CardId;
use crate::schedule::Grade;
use crate::time::Moment;
use std::io::{self, Read};

const MAGIC: &[u8; 8] = b"amgilog\n";
/// Raised when the layout changes; a snapshot in a format after this one is ignored like any other.
const FORMAT: u32 = 1;
/// Magic, format, build, the prefix's length, CRC-32 and lines, the body's length and CRC-32.
const HEADER: usize = 8 + 4 + 8 + 8 + 4 + 8 + 8 + 4;
/// Where the header says what the prefix is: its length, CRC-32 and lines.
const PREFIX: std::ops::Range<usize> = 20..40;

/// A new snapshot is written once more than this many bytes of the log were read as text (and the log ends with
/// a newline). Reading 64 KB (some 400 lines, a few days of answers) costs about 0.5M instructions, under 1% of
/// what `amgi stats` may take; writing a snapshot of 100,000 lines writes about 4 MB. Smaller logs, read whole in
/// well under a millisecond, get none.
pub(super) const REWRITE_AFTER: u64 = 64 * 1024;

/// What changes what a read of the log gives: the reader's sources, this file, and the crates they use.
const BUILD_SOURCES: [&str; 9] = [
    env!("CARGO_PKG_VERSION"),
    include_str!("mod.rs"),
    include_str!("log.rs"),
    include_str!("canonical.rs"),
    include_str!("yaml.rs"),
    include_str!("snapshot.rs"),
    include_str!("../card.rs"),
    include_str!("../time.rs"),
    include_str!("../../Cargo.lock"),
];

/// This build's reader, as a number written into the snapshot: a snapshot from another build is not used. Worked
/// out as the program is built (at run time it took 1M instructions).
const BUILD: u64 = {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut s = 0;
    while s < BUILD_SOURCES.len() {
        let bytes = BUILD_SOURCES[s].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // FNV-1a, as [`crate::card::stable_hash`].
            hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0000_0100_0000_01b3);
            i += 1;
        }
        s += 1;
    }
    hash
};

/// A prefix of reviews.yaml as read (see the module's notes); the default is the empty prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Snapshot {
    /// The prefix's length in bytes.
    pub(super) len: u64,
    /// The prefix's CRC-32.
    pub(super) crc: u32,
    /// The prefix's lines (its newlines).
    pub(super) segments: usize,
    /// [`Log::lines`] of the prefix.
    pub(super) lines: Vec<LogLine>,
    /// [`Log::numbers`] of the prefix.
    pub(super) numbers: Vec<usize>,
    /// Whether each of `lines` has an id.
    pub(super) has_id: Vec<bool>,
    /// [`Log::repeats`] of the prefix.
    pub(super) repeats: Vec<Repeat>,
    /// [`Log::torn`] of the prefix.
    pub(super) torn: Vec<usize>,
    /// The id of each of `lines` that has one, with its number: sorted by id as read (the ids of lines added by
    /// [`Snapshot::extend`] follow, unsorted).
    pub(super) ids: Vec<(LineId, usize)>,
    /// The card ids the text reader checked.
    pub(super) known: Vec<CardId>,
}

/// The lines read after a prefix, in file order, numbered from 1 at the file's start.
pub(super) struct After {
    pub(super) lines: Vec<LogLine>,
    pub(super) ids: Vec<Option<LineId>>,
    pub(super) numbers: Vec<usize>,
    pub(super) torn: Vec<usize>,
    /// The reader they were read with, when they were read (it knows the prefix's card ids).
    pub(super) reader: Option<log::Reader>,
}

impl Snapshot {
    /// This prefix followed by the lines `after` it: the prefix of `len` bytes, CRC-32 `crc` and `segments` lines
    /// that a read of both gives.
    pub(super) fn extend(mut self, after: After, len: u64, crc: u32, segments: usize) -> Snapshot {
        let After {
            mut lines,
            mut ids,
            mut numbers,
            torn,
            reader,
        } = after;
        // A line that repeats one of the prefix repeats the first of its kind, which is the one the prefix kept.
        let mut repeats = Vec::new();
        let keep: Vec<bool> = lines
            .iter()
            .zip(&ids)
            .zip(&numbers)
            .map(|((line, id), &number)| {
                if self.lines.is_empty() {
                    return true;
                }
                let first = match id {
                    Some(id) => self
                        .ids
                        .binary_search_by_key(id, |&(id, _)| id)
                        .ok()
                        .map(|i| self.ids[i].1),
                    None => self.twin(line),
                };
                first
                    .inspect(|&first| repeats.push(Repeat { line: number, first }))
                    .is_none()
            })
            .collect();
        if keep.contains(&false) {
            let mut kept = keep.iter();
            lines.retain(|_| *kept.next().expect("one each"));
            let mut kept = keep.iter();
            ids.retain(|_| *kept.next().expect("one each"));
            let mut kept = keep.iter();
            numbers.retain(|_| *kept.next().expect("one each"));
        }
        // The ids by number, to find each kept line's after the lines are put in order.
        let by_number: Vec<(usize, LineId)> = numbers
            .iter()
            .zip(&ids)
            .filter_map(|(&n, id)| Some((n, (*id)?)))
            .collect();
        let (lines, numbers, more) = log::applied_order(lines, &ids, numbers);
        repeats.extend(more);
        repeats.sort_by_key(|repeat| repeat.line);
        self.repeats.extend(repeats);
        self.torn.extend(torn);
        let id_of = |n: &usize| {
            by_number
                .binary_search_by_key(n, |&(n, _)| n)
                .ok()
                .map(|i| by_number[i].1)
        };
        let has_id: Vec<bool> = numbers.iter().map(|n| id_of(n).is_some()).collect();
        self.ids.extend(numbers.iter().filter_map(|n| Some((id_of(n)?, *n))));
        self.merge(lines, numbers, has_id);
        if let Some(reader) = reader {
            self.known = reader.known().cloned().collect();
        }
        self.len = len;
        self.crc = crc;
        self.segments = segments;
        self
    }

    /// The number of the prefix's line without an id that is `line`, if there is one: lines of the same moment
    /// are together, in file order.
    fn twin(&self, line: &LogLine) -> Option<usize> {
        let at = line.at().timestamp();
        let from = self.lines.partition_point(|l| l.at().timestamp() < at);
        let same = self.lines[from..].iter().take_while(|l| l.at().timestamp() == at);
        same.zip(from..)
            .find(|&(l, i)| !self.has_id[i] && l == line)
            .map(|(_, i)| self.numbers[i])
    }

    /// Puts `lines` (in time order, and after all of the prefix's in the file) among the prefix's, in time order,
    /// the prefix's first of one moment.
    fn merge(&mut self, lines: Vec<LogLine>, numbers: Vec<usize>, has_id: Vec<bool>) {
        let Some(first) = lines.first() else {
            return;
        };
        // The prefix's lines up to the first of these (and those of its moment) stay where they are; only those
        // after it are merged with them (moving all 100,000 took 17M instructions).
        let stay = self.lines.partition_point(|line| line.at() <= first.at());
        let mut before = self
            .lines
            .split_off(stay)
            .into_iter()
            .zip(self.numbers.split_off(stay))
            .zip(self.has_id.split_off(stay))
            .peekable();
        let mut after = lines.into_iter().zip(numbers).zip(has_id).peekable();
        loop {
            let from_before = match (before.peek(), after.peek()) {
                (Some(((a, _), _)), Some(((b, _), _))) => a.at() <= b.at(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if from_before { before.next() } else { after.next() };
            let ((line, number), has_id) = next.expect("peeked");
            self.lines.push(line);
            self.numbers.push(number);
            self.has_id.push(has_id);
        }
    }

    /// The log this is of, for the file of `len` bytes with CRC-32 `crc`.
    pub(super) fn into_log(self) -> Log {
        Log {
            lines: self.lines,
            numbers: self.numbers,
            repeats: self.repeats,
            torn: self.torn,
            len: self.len,
            crc: Some(self.crc),
        }
    }

    /// The snapshot as bytes; `None` when a number does not fit the layout.
    pub(super) fn encode(&self) -> Option<Vec<u8>> {
        let mut out = Out(Vec::with_capacity(HEADER + 32 * self.lines.len()));
        out.0.resize(HEADER, 0);
        // Each card id once, those the reader checked first.
        let mut cards = Cards::default();
        let mut place = |id, checked| cards.place(id, checked);
        let mut places = Vec::with_capacity(self.lines.len());
        for id in &self.known {
            place(id, true);
        }
        for line in &self.lines {
            let from = match line {
                LogLine::Move { from, .. } => Some(place(from, false)),
                _ => None,
            };
            places.push((line.card().map(|card| place(card, false)), from));
        }
        out.count(cards.listed.len())?;
        for (text, checked) in &cards.listed {
            out.count(text.len())?;
            out.0.extend_from_slice(text.as_bytes());
            out.0.push(u8::from(*checked));
        }
        out.count(self.lines.len())?;
        for (((line, &number), &has_id), (card, from)) in
            self.lines.iter().zip(&self.numbers).zip(&self.has_id).zip(places)
        {
            let kind = match line {
                LogLine::Review(_) => 0,
                LogLine::Undo { .. } => 1,
                LogLine::Move { .. } => 2,
                LogLine::Suspend { .. } => 3,
                LogLine::Release { .. } => 4,
                LogLine::Settings { .. } => 5,
            };
            out.0.push(kind | if has_id { 0x80 } else { 0 });
            out.count(number)?;
            out.moment(line.at());
            if let Some(card) = card {
                out.u32(card);
            }
            match line {
                LogLine::Review(review) => {
                    out.0.push(review.grade.number());
                    out.0.push(match review.mode {
                        Mode::Drill => 0,
                        Mode::Cram => 1,
                        Mode::Mock => 2,
                    });
                    out.0.push(u8::from(review.rescheduled));
                    out.0.extend_from_slice(&review.ms.to_le_bytes());
                }
                LogLine::Undo { undoes, .. } => out.moment(*undoes),
                LogLine::Move { .. } => out.u32(from?),
                LogLine::Suspend { .. } | LogLine::Release { .. } => {}
                LogLine::Settings {
                    retention,
                    parameters,
                    plan,
                    ..
                } => {
                    let plan_flag = match plan {
                        None => 0,
                        Some(PlanChange::Set { .. }) => 4,
                        Some(PlanChange::Cleared) => 8,
                    };
                    out.0
                        .push(u8::from(retention.is_some()) | u8::from(parameters.is_some()) << 1 | plan_flag);
                    if let Some(Exact(retention)) = retention {
                        out.u32(retention.to_bits());
                    }
                    if let Some(parameters) = parameters {
                        out.count(parameters.len())?;
                        for Exact(p) in parameters {
                            out.u32(p.to_bits());
                        }
                    }
                    if let Some(PlanChange::Set { interview, planned_on }) = plan {
                        out.date(*interview);
                        out.date(*planned_on);
                    }
                }
            }
        }
        out.count(self.repeats.len())?;
        for repeat in &self.repeats {
            out.count(repeat.line)?;
            out.count(repeat.first)?;
        }
        out.count(self.torn.len())?;
        for &torn in &self.torn {
            out.count(torn)?;
        }
        let mut ids = self.ids.clone();
        ids.sort_unstable();
        out.count(ids.len())?;
        for (id, number) in ids {
            out.0.extend_from_slice(&id.to_bits().to_le_bytes());
            out.count(number)?;
        }
        let mut bytes = out.0;
        let mut head = Out(Vec::with_capacity(HEADER));
        head.0.extend_from_slice(MAGIC);
        head.u32(FORMAT);
        head.0.extend_from_slice(&BUILD.to_le_bytes());
        head.0.extend_from_slice(&self.len.to_le_bytes());
        head.u32(self.crc);
        head.0.extend_from_slice(&(self.segments as u64).to_le_bytes());
        head.0.extend_from_slice(&((bytes.len() - HEADER) as u64).to_le_bytes());
        // The CRC covers what the header says of the prefix, and the body.
        let mut crc = crc32fast::Hasher::new();
        crc.update(&head.0[PREFIX]);
        crc.update(&bytes[HEADER..]);
        head.u32(crc.finalize());
        bytes[..HEADER].copy_from_slice(&head.0);
        Some(bytes)
    }

    /// The snapshot in the file at `path`; `None` when there is none, or it is not a whole snapshot of this build
    /// and format.
    pub(super) fn open(path: &std::path::Path, log_len: u64) -> Option<Snapshot> {
        let file = crate::door::open_read(path).ok()?;
        let len = file.metadata().ok()?.len();
        Snapshot::read(file, len, log_len)
    }

    /// The snapshot in `source`, of `len` bytes; `None` when it is not a whole snapshot of this build and format.
    ///
    /// The ids are kept only when the log, of `log_len` bytes, is longer than the prefix: only lines after it are
    /// looked up in them (at 100,000 lines they took 3 MB, a fault every 4 KB).
    pub(super) fn read(mut source: impl Read, len: u64, log_len: u64) -> Option<Snapshot> {
        let mut head = [0; HEADER];
        source.read_exact(&mut head).ok()?;
        let word = |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().expect("4 bytes"));
        let long = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().expect("8 bytes"));
        let body_len = long(40);
        if &head[..8] != MAGIC
            || word(8) != FORMAT
            || long(12) != BUILD
            || Some(body_len) != len.checked_sub(HEADER as u64)
        {
            return None;
        }
        let mut crc = crc32fast::Hasher::new();
        crc.update(&head[PREFIX]);
        let mut input = In::new(source.take(body_len), crc, usize::try_from(body_len).ok()?);
        let mut snapshot = Snapshot {
            len: long(20),
            crc: word(28),
            segments: usize::try_from(long(32)).ok()?,
            ..Snapshot::default()
        };
        let mut cards = Vec::with_capacity(input.count(4 + 1)?);
        for _ in 0..cards.capacity() {
            let len = input.count(1)?;
            let card = CardId::from_stored_str(simdutf8::basic::from_utf8(input.take(len)?).ok()?);
            match input.u8()? {
                0 => {}
                1 => snapshot.known.push(card.clone()),
                _ => return None,
            }
            cards.push(card);
        }
        let card = |i: u32| cards.get(i as usize).cloned();
        let lines = input.count(1 + 4 + 12)?;
        snapshot.lines.reserve_exact(lines);
        snapshot.numbers.reserve_exact(lines);
        snapshot.has_id.reserve_exact(lines);
        for _ in 0..lines {
            let head: [u8; 1 + 4 + 12] = input.array()?;
            let number = u32::from_le_bytes(head[1..5].try_into().expect("4 bytes")) as usize;
            let at = moment(head[5..17].try_into().expect("12 bytes"))?;
            let line = match head[0] & 0x7f {
                0 => {
                    let rest: [u8; 4 + 3 + 8] = input.array()?;
                    LogLine::Review(Review {
                        card: card(u32::from_le_bytes(rest[..4].try_into().expect("4 bytes")))?,
                        at,
                        grade: Grade::from_number(rest[4])?,
                        mode: [Mode::Drill, Mode::Cram, Mode::Mock]
                            .get(usize::from(rest[5]))
                            .copied()?,
                        rescheduled: [false, true].get(usize::from(rest[6])).copied()?,
                        ms: u64::from_le_bytes(rest[7..].try_into().expect("8 bytes")),
                    })
                }
                1 => LogLine::Undo {
                    card: card(input.u32()?)?,
                    at,
                    undoes: input.moment()?,
                },
                2 => LogLine::Move {
                    card: card(input.u32()?)?,
                    at,
                    from: card(input.u32()?)?,
                },
                3 => LogLine::Suspend {
                    card: card(input.u32()?)?,
                    at,
                },
                4 => LogLine::Release {
                    card: card(input.u32()?)?,
                    at,
                },
                5 => {
                    let flags = input.u8()?;
                    let retention = match flags & 1 {
                        0 => None,
                        _ => Some(Exact(f32::from_bits(input.u32()?))),
                    };
                    let parameters = match flags & 2 {
                        0 => None,
                        _ => {
                            let mut parameters = Vec::with_capacity(input.count(4)?);
                            for _ in 0..parameters.capacity() {
                                parameters.push(Exact(f32::from_bits(input.u32()?)));
                            }
                            Some(parameters)
                        }
                    };
                    let plan = match flags >> 2 {
                        0 => None,
                        1 => Some(PlanChange::Set {
                            interview: input.date()?,
                            planned_on: input.date()?,
                        }),
                        2 => Some(PlanChange::Cleared),
                        _ => return None,
                    };
                    LogLine::Settings {
                        at,
                        retention,
                        parameters,
                        plan,
                    }
                }
                _ => return None,
            };
            snapshot.lines.push(line);
            snapshot.numbers.push(number);
            snapshot.has_id.push(head[0] & 0x80 != 0);
        }
        for _ in 0..input.count(4 + 4)? {
            let (line, first) = (input.u32()? as usize, input.u32()? as usize);
            snapshot.repeats.push(Repeat { line, first });
        }
        for _ in 0..input.count(4)? {
            snapshot.torn.push(input.u32()? as usize);
        }
        let ids = input.count(16 + 4)?;
        let kept = snapshot.len < log_len;
        snapshot.ids.reserve_exact(if kept { ids } else { 0 });
        for _ in 0..ids {
            let id: [u8; 16 + 4] = input.array()?;
            if !kept {
                continue;
            }
            let number = u32::from_le_bytes(id[16..].try_into().expect("4 bytes")) as usize;
            snapshot.ids.push((
                LineId::from_bits(u128::from_le_bytes(id[..16].try_into().expect("16 bytes"))),
                number,
            ));
        }
        // Every byte of the body read, and none changed.
        let whole = input.ends_whole(word(48));
        let sorted = snapshot.ids.windows(2).all(|w| w[0].0 < w[1].0);
        (whole && sorted && snapshot.has_id.len() == snapshot.lines.len()).then_some(snapshot)
    }
}

/// The card ids of a snapshot being made, each once, in the order met, and whether the text reader checked it.
#[derive(Default)]
struct Cards<'a> {
    places: foldhash::HashMap<&'a str, u32>,
    listed: Vec<(&'a str, bool)>,
}

impl<'a> Cards<'a> {
    /// The place of `id` in the list, which it joins if it is not in it.
    fn place(&mut self, id: &'a CardId, checked: bool) -> u32 {
        let next = self.listed.len() as u32;
        *self.places.entry(id.as_str()).or_insert_with(|| {
            self.listed.push((id.as_str(), checked));
            next
        })
    }
}

/// A moment written as its second and its offset's seconds.
fn moment(bytes: [u8; 12]) -> Option<Moment> {
    let second = i64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    let offset = i32::from_le_bytes(bytes[8..].try_into().expect("4 bytes"));
    Some(Moment::new(
        jiff::Timestamp::from_second(second).ok()?,
        jiff::tz::Offset::from_seconds(offset).ok()?,
    ))
}

/// The bytes of a snapshot as they are made.
struct Out(Vec<u8>);

impl Out {
    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    /// A count or a line number; `None` when it does not fit 32 bits.
    fn count(&mut self, n: usize) -> Option<()> {
        self.u32(u32::try_from(n).ok()?);
        Some(())
    }

    fn moment(&mut self, at: Moment) {
        self.0.extend_from_slice(&at.timestamp().as_second().to_le_bytes());
        self.0.extend_from_slice(&at.offset().seconds().to_le_bytes());
    }

    fn date(&mut self, date: jiff::civil::Date) {
        self.0.extend_from_slice(&date.year().to_le_bytes());
        self.0.push(date.month() as u8);
        self.0.push(date.day() as u8);
    }
}

/// The body of a snapshot as it is read, a piece at a time, hashed on the way.
struct In<R: Read> {
    source: io::Take<R>,
    crc: crc32fast::Hasher,
    /// The piece read, of which `pos..end` is not taken yet.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// The body's length: no count can be more.
    most: usize,
}

impl<R: Read> In<R> {
    fn new(source: io::Take<R>, crc: crc32fast::Hasher, most: usize) -> Self {
        In {
            source,
            crc,
            buf: vec![0; super::LOG_CHUNK],
            pos: 0,
            end: 0,
            most,
        }
    }

    /// The next `n` bytes.
    #[inline(always)]
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.end - self.pos < n {
            self.fill(n)?;
        }
        let taken = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Some(taken)
    }

    /// Reads on until `n` bytes are not taken yet; `None` when the body ends first.
    #[cold]
    fn fill(&mut self, n: usize) -> Option<()> {
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        if self.buf.len() < n {
            self.buf.resize(n, 0);
        }
        while self.end < n {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(0) => return None,
                Ok(read) => {
                    self.crc.update(&self.buf[self.end..self.end + read]);
                    self.end += read;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        Some(())
    }

    #[inline(always)]
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        Some(self.take(N)?.try_into().expect("N bytes"))
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }

    /// A count of things of `size` bytes or more each: no more than the body holds, so that a damaged count
    /// makes no room for more.
    fn count(&mut self, size: usize) -> Option<usize> {
        Some(self.u32()? as usize).filter(|&n| n <= self.most / size)
    }

    fn moment(&mut self) -> Option<Moment> {
        moment(self.array()?)
    }

    fn date(&mut self) -> Option<jiff::civil::Date> {
        let b: [u8; 4] = self.array()?;
        jiff::civil::Date::new(i16::from_le_bytes([b[0], b[1]]), b[2] as i8, b[3] as i8).ok()
    }

    /// Whether every byte of the body was taken, and its CRC-32 (with what it started from) is `crc`.
    fn ends_whole(mut self, crc: u32) -> bool {
        let more = self.pos < self.end || !matches!(self.source.read(&mut [0]), Ok(0));
        !more && self.crc.finalize() == crc
    }
}
