//! reviews.yaml: one answer (or undo, move, suspension) per line, as text and back.

use super::canonical;
use super::yaml::{Checked, Day, MAX_FLOW_DEPTH, Time, deserialize_checked, line_column, located, too_deep};
use crate::card::CardId;
use crate::schedule::Grade;
use crate::time::Moment;
use jiff::tz::Offset;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fmt::Write as _;

/// How a card was studied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Due cards, scheduled: the answer moves the schedule.
    Drill,
    /// Going over cards outside the schedule.
    Cram,
    /// A mock interview (`amgi mock`): graded after it, outside the schedule unless rescheduled.
    Mock,
}

impl Mode {
    /// `drill`, `cram` or `mock`, as written in reviews.yaml.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Drill => "drill",
            Mode::Cram => "cram",
            Mode::Mock => "mock",
        }
    }
}

/// One answer to a card.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Review {
    /// The card answered.
    pub card: CardId,
    /// When the answer was given.
    pub at: Moment,
    /// The answer.
    pub grade: Grade,
    /// How the card was studied.
    pub mode: Mode,
    /// Milliseconds from showing the question to the answer.
    pub ms: u64,
    /// Whether the answer moved the card's schedule (written only when true).
    pub rescheduled: bool,
}

/// One line of reviews.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LogLine {
    /// An answer.
    Review(Review),
    /// Takes back the answer to `card` given at `undoes`.
    Undo {
        /// The card whose answer is taken back.
        card: CardId,
        /// When it was taken back.
        at: Moment,
        /// The `at` of the answer taken back.
        undoes: Moment,
    },
    /// The progress of card `from` moves to `card`: the notes it came from were renamed, and the card kept its
    /// path and question.
    Move {
        /// The card's id now.
        card: CardId,
        /// When the move was made.
        at: Moment,
        /// The id it had.
        from: CardId,
    },
    /// The card is suspended: no drill or cram asks it until a [`LogLine::Release`]. Written
    /// `suspended: true`.
    Suspend {
        /// The card suspended.
        card: CardId,
        /// When it was suspended.
        at: Moment,
    },
    /// A suspended card is asked again (`amgi release`, or an undo of the suspension). Written
    /// `suspended: false`.
    Release {
        /// The card released.
        card: CardId,
        /// When it was released.
        at: Moment,
    },
    /// The settings change: answers from `at` on are scheduled with them, so a replay of the log schedules each
    /// answer as it was, and of two changes made on two machines the later one wins on both. Written
    /// `- {at: …, retention: 0.8}`, `- {at: …, parameters: […]}`, `- {at: …, interview: 2026-12-10, planned_on:
    /// 2026-11-25}` or `- {at: …, interview: none}`, about no card; what it does not name stays as it was.
    Settings {
        /// From when.
        at: Moment,
        /// The desired retention, when it changes.
        retention: Option<Exact>,
        /// The FSRS parameters, when they change.
        parameters: Option<Vec<Exact>>,
        /// The interview plan, when it is set or cleared.
        plan: Option<PlanChange>,
    },
}

/// What a settings line does to the interview plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanChange {
    /// `amgi plan --interview`: the interview day, and the day the plan was made.
    Set {
        /// The interview day.
        interview: jiff::civil::Date,
        /// The day the plan was made.
        planned_on: jiff::civil::Date,
    },
    /// `amgi plan --clear`. Written `interview: none`.
    Cleared,
}

/// A number of a settings line, equal to another only bit for bit (it is written and read back exactly), so lines
/// can be compared and counted once.
#[derive(Debug, Clone, Copy)]
pub struct Exact(pub f32);

impl PartialEq for Exact {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Exact {}

impl std::hash::Hash for Exact {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

impl LogLine {
    /// A settings line at `at` naming what changes.
    pub fn settings(at: Moment, retention: Option<f32>, parameters: Option<&[f32]>) -> LogLine {
        LogLine::Settings {
            at,
            retention: retention.map(Exact),
            parameters: parameters.map(|p| p.iter().copied().map(Exact).collect()),
            plan: None,
        }
    }

    /// A settings line at `at` that sets the interview plan or clears it.
    pub fn plan(at: Moment, plan: PlanChange) -> LogLine {
        LogLine::Settings {
            at,
            retention: None,
            parameters: None,
            plan: Some(plan),
        }
    }
}

impl LogLine {
    /// The card the line is about; `None` for a settings line.
    pub fn card(&self) -> Option<&CardId> {
        match self {
            LogLine::Review(review) => Some(&review.card),
            LogLine::Undo { card, .. }
            | LogLine::Move { card, .. }
            | LogLine::Suspend { card, .. }
            | LogLine::Release { card, .. } => Some(card),
            LogLine::Settings { .. } => None,
        }
    }

    /// When the line was written.
    pub fn at(&self) -> Moment {
        match self {
            LogLine::Review(review) => review.at,
            LogLine::Undo { at, .. }
            | LogLine::Move { at, .. }
            | LogLine::Suspend { at, .. }
            | LogLine::Release { at, .. }
            | LogLine::Settings { at, .. } => *at,
        }
    }
}

/// The unique id of one line of reviews.yaml, written once, when the line is appended: the line's second (36
/// bits, so ids sort by time), a random number kept per installation (16 bits: see [`super::Store`]) and a random
/// number drawn for the line (28 bits). Written as `06b057e9b-7f3a-0c2d1e4`, which YAML reads as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineId(u128);

impl LineId {
    /// The id of a line written at `at` by the installation `install`, with `random` drawn for it.
    pub fn new(at: Moment, install: u16, random: u32) -> LineId {
        let second = u128::try_from(at.timestamp().as_second()).unwrap_or(0) & ((1 << 36) - 1);
        LineId(second << 44 | u128::from(install) << 28 | u128::from(random & ((1 << 28) - 1)))
    }

    /// The id as one number, as a snapshot of the log keeps it.
    pub(super) fn to_bits(self) -> u128 {
        self.0
    }

    /// [`LineId::to_bits`] back.
    pub(super) fn from_bits(bits: u128) -> LineId {
        LineId(bits)
    }

    /// Reads the written form back; `None` for anything else.
    pub fn parse(text: &str) -> Option<LineId> {
        LineId::parse_bytes(text.as_bytes())
    }

    /// [`LineId::parse`] of the bytes of a line.
    fn parse_bytes(b: &[u8]) -> Option<LineId> {
        if b.len() != 22 || b[9] != b'-' || b[14] != b'-' {
            return None;
        }
        let mut id = 0u128;
        for (i, &c) in b.iter().enumerate() {
            let digit = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'-' if i == 9 || i == 14 => continue,
                _ => return None,
            };
            id = id << 4 | u128::from(digit);
        }
        // 9, 4 and 7 hex digits: 36, 16 and 28 bits, which is the layout of the id.
        Some(LineId(id))
    }
}

impl fmt::Display for LineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.0;
        write!(
            f,
            "{:09x}-{:04x}-{:07x}",
            id >> 44,
            (id >> 28) & 0xffff,
            id & ((1 << 28) - 1)
        )
    }
}

/// reviews.yaml as read: its lines, and a torn last line if there was one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Log {
    /// The lines read, each answer once, in time order (lines of the same moment in file order): a line whose id,
    /// or (for a line without one) whose whole text, came before is left out and listed in `repeats`.
    pub lines: Vec<LogLine>,
    /// The 1-based line number in the file of each of `lines`.
    pub numbers: Vec<usize>,
    /// Lines left out as repeats of an earlier one (a copy-paste, a sync tool, a merge): the line, and the line it
    /// repeats.
    pub repeats: Vec<Repeat>,
    /// The 1-based line numbers of lines cut short by a crash mid-append (they do not parse and lack the closing
    /// `}`, or are the last line without its newline): skipped. The next append after a crash starts on a fresh
    /// line, so such a fragment can also sit in the middle of the file.
    pub torn: Vec<usize>,
    /// The file's length in bytes when it was read.
    pub len: u64,
    /// The CRC-32 of all `len` bytes, when the file was read from its start.
    pub crc: Option<u32>,
}

/// How far ahead of the clock a line may be dated and still be applied: a day, for another machine's clock or
/// time zone.
pub const CLOCK_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

impl Log {
    /// Takes out the lines dated more than [`CLOCK_SKEW`] after `now` (see [`Log::hold_back_after`]).
    pub fn hold_back_future(&mut self, now: Moment) -> Vec<(usize, Moment)> {
        self.hold_back_after(now.plus(CLOCK_SKEW))
    }

    /// Takes out the lines dated after `limit` (an answer from a clock that was far ahead, or a hand edit, would
    /// hide its card until then): they are not applied. Returns each one's line number and moment.
    pub fn hold_back_after(&mut self, limit: Moment) -> Vec<(usize, Moment)> {
        if self.lines.iter().all(|l| l.at() <= limit) {
            return Vec::new();
        }
        let mut held = Vec::new();
        let mut numbers = self.numbers.iter().copied();
        let mut kept_numbers = Vec::with_capacity(self.numbers.len());
        self.lines.retain(|line| {
            let number = numbers.next().unwrap_or(0);
            if line.at() > limit {
                held.push((number, line.at()));
                false
            } else {
                kept_numbers.push(number);
                true
            }
        });
        self.numbers = kept_numbers;
        held
    }

    /// Takes out the settings lines whose values amgi cannot schedule with ([`settings_refused`]: a hand edit,
    /// parameters of another FSRS version): they are not applied, and the rest of the log is. Returns each one's
    /// line number and what is wrong with it.
    pub fn take_refused_settings(&mut self) -> Vec<(usize, String)> {
        let refused = |line: &LogLine| match line {
            LogLine::Settings {
                retention, parameters, ..
            } => settings_refused(*retention, parameters.as_deref()),
            _ => None,
        };
        if !self.lines.iter().any(|line| refused(line).is_some()) {
            return Vec::new();
        }
        let mut taken = Vec::new();
        let mut numbers = self.numbers.iter().copied();
        let mut kept_numbers = Vec::with_capacity(self.numbers.len());
        self.lines.retain(|line| {
            let number = numbers.next().unwrap_or(0);
            match refused(line) {
                Some(why) => {
                    taken.push((number, why));
                    false
                }
                None => {
                    kept_numbers.push(number);
                    true
                }
            }
        });
        self.numbers = kept_numbers;
        taken
    }
}

/// What is wrong with a settings line's `retention` and `parameters`, when amgi cannot schedule with them: a
/// retention outside 0.70..0.99, or parameters FSRS refuses (a wrong number of them, a number out of range).
/// `None` when they are fine.
pub fn settings_refused(retention: Option<Exact>, parameters: Option<&[Exact]>) -> Option<String> {
    use crate::schedule::{DEFAULT_RETENTION, RETENTION_RANGE, Scheduler};
    if let Some(Exact(retention)) = retention.filter(|r| !RETENTION_RANGE.contains(&r.0)) {
        return Some(format!("retention {retention} is outside 0.70..0.99"));
    }
    let parameters: Vec<f32> = parameters?.iter().map(|p| p.0).collect();
    let count = parameters.len();
    Scheduler::new(DEFAULT_RETENTION, Some(&parameters)).err().map(|_| {
        let s = if count == 1 { "" } else { "s" };
        format!("FSRS cannot schedule with these {count} parameter{s} (it takes 17, 19 or 21 numbers)")
    })
}

/// A line of reviews.yaml counted once already: `line` repeats `first` (both 1-based line numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    /// The line left out.
    pub line: usize,
    /// The line it repeats, which is applied.
    pub first: usize,
}

/// The lines read, in file order, each with its id (when it has one) and line number, put in the order they are
/// applied ([`Log::lines`]): each id once, each line without an id that repeats an earlier one exactly once, then
/// sorted by time (stable, so lines of the same second keep their order). The repeats are listed in file order.
pub(super) fn applied_order(
    mut lines: Vec<LogLine>,
    ids: &[Option<LineId>],
    mut numbers: Vec<usize>,
) -> (Vec<LogLine>, Vec<usize>, Vec<Repeat>) {
    // A fast hash: the ids are the user's own, and a log of 100,000 lines spent a fifth of its reading time in
    // SipHash.
    use foldhash::{HashMap, HashMapExt};
    let mut keep = vec![true; lines.len()];
    let mut repeats = Vec::new();
    if ids.iter().any(Option::is_some) {
        let mut by_id: HashMap<LineId, usize> = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = id else { continue };
            // The first stays the one applied.
            let first = *by_id.entry(*id).or_insert(i);
            if first != i {
                keep[i] = false;
                repeats.push(Repeat {
                    line: numbers[i],
                    first: numbers[first],
                });
            }
        }
    }
    // Already in order, as a log written by one machine is: nothing to move.
    let sorted = lines.windows(2).all(|w| w[0].at() <= w[1].at());
    let mut order: Vec<usize> = if sorted {
        (0..lines.len()).collect()
    } else {
        time_order(&lines)
    };
    // Equal lines are of the same moment, so a line without an id is compared only with the lines of its moment
    // before it (in file order, as the sort is stable): most moments have one line.
    for group in order.chunk_by(|&a, &b| lines[a].at().timestamp() == lines[b].at().timestamp()) {
        if group.len() > 1 {
            text_repeats(group, &lines, ids, &numbers, &mut keep, &mut repeats);
        }
    }
    repeats.sort_by_key(|repeat| repeat.line);
    if !sorted {
        permute(&mut order, |a, b| {
            lines.swap(a, b);
            numbers.swap(a, b);
            keep.swap(a, b);
        });
    }
    if keep.contains(&false) {
        let mut kept = keep.iter();
        lines.retain(|_| kept.next().copied().unwrap_or(true));
        let mut kept = keep.iter();
        numbers.retain(|_| kept.next().copied().unwrap_or(true));
    }
    (lines, numbers, repeats)
}

/// The lines of `group` (places in `lines`, all of one moment, in file order) that have no id and repeat one
/// before them exactly: marked not kept, and listed with the first of them.
fn text_repeats(
    group: &[usize],
    lines: &[LogLine],
    ids: &[Option<LineId>],
    numbers: &[usize],
    keep: &mut [bool],
    repeats: &mut Vec<Repeat>,
) {
    let mut first_of = |i: usize, first: usize| {
        keep[i] = false;
        repeats.push(Repeat {
            line: numbers[i],
            first: numbers[first],
        });
    };
    let plain = group.iter().copied().filter(|&i| ids[i].is_none());
    // A few lines are compared with each other; a moment of many (a hand-made log) is hashed.
    if group.len() <= 16 {
        let plain: Vec<usize> = plain.collect();
        for (n, &i) in plain.iter().enumerate() {
            if let Some(&first) = plain[..n].iter().find(|&&before| lines[before] == lines[i]) {
                first_of(i, first);
            }
        }
    } else {
        let mut seen: foldhash::HashMap<&LogLine, usize> = foldhash::HashMap::default();
        for i in plain {
            let first = *seen.entry(&lines[i]).or_insert(i);
            if first != i {
                first_of(i, first);
            }
        }
    }
}

/// The places of `lines` in time order, lines of the same moment in the order they are in. The moments are sorted
/// with their places, and the lines then moved once each to theirs: sorting the lines themselves moved each about
/// ten times. A moment and its place make one number, of 64 bits when they fit (whole seconds, as every moment
/// read is, over a span of less than 2⁶⁴ seconds shared with the places), else of 128.
pub(super) fn time_order(lines: &[LogLine]) -> Vec<usize> {
    let seconds: Vec<i64> = lines.iter().map(|line| line.at().timestamp().as_second()).collect();
    let whole = lines.iter().all(|line| line.at().timestamp().subsec_nanosecond() == 0);
    let (Some(&min), Some(&max)) = (seconds.iter().min(), seconds.iter().max()) else {
        return Vec::new();
    };
    let place_bits = usize::BITS - lines.len().saturating_sub(1).leading_zeros();
    // jiff's moments are within 2⁴⁰ seconds of each other.
    let span = max.abs_diff(min);
    // The span fits above the places (any span does when there are no bits of place, for one line).
    let fits = place_bits < 64 && span.checked_shr(64 - place_bits).is_none_or(|above| above == 0);
    if whole && fits {
        let mask = (1u64 << place_bits) - 1;
        let mut keys: Vec<u64> = seconds
            .iter()
            .zip(0..)
            .map(|(&second, place)| second.abs_diff(min) << place_bits | place)
            .collect();
        keys.sort();
        return keys.into_iter().map(|key| (key & mask) as usize).collect();
    }
    time_order_wide(lines)
}

/// [`time_order`] with numbers of 128 bits, for any moments and any number of lines.
pub(super) fn time_order_wide(lines: &[LogLine]) -> Vec<usize> {
    let mut keys: Vec<u128> = lines.iter().zip(0..).map(|(line, i)| sort_key(line.at(), i)).collect();
    keys.sort();
    keys.into_iter().map(|key| (key & PLACE_MASK) as usize).collect()
}

/// The bits of a [`sort_key`] that hold the place.
const PLACE_MASK: u128 = (1 << 58) - 1;

/// A number that orders as `at`, then as `place` (below 2⁵⁸): the nanoseconds of `at` from jiff's earliest
/// moment (fewer than 2⁷⁰), then the place.
fn sort_key(at: Moment, place: usize) -> u128 {
    let since = at.timestamp().as_nanosecond() - jiff::Timestamp::MIN.as_nanosecond();
    (since as u128) << 58 | (place as u128 & PLACE_MASK)
}

/// Puts each item where `from` says it comes from (`from[i]` is the place of the item that goes to `i`, a
/// permutation), moving each along its cycle by `swap`; `from` is used up.
fn permute(from: &mut [usize], mut swap: impl FnMut(usize, usize)) {
    for start in 0..from.len() {
        let mut at = start;
        // A place already filled points at itself.
        while from[at] != at {
            let next = std::mem::replace(&mut from[at], at);
            if next == start {
                break;
            }
            swap(at, next);
            at = next;
        }
    }
}

/// The text of one line of reviews.yaml, without the newline:
/// `- {card: "network/TCP vs UDP", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}`.
pub fn render_line(line: &LogLine) -> String {
    render_line_with_id(line, None)
}

/// [`render_line`] with the line's id last, when it has one:
/// `- {card: "network/TCP vs UDP", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400, id: 06b057e9b-7f3a-0c2d1e4}`.
pub fn render_line_with_id(line: &LogLine, id: Option<LineId>) -> String {
    let mut text = String::with_capacity(160);
    // Writing into a String cannot fail.
    match line.card() {
        Some(card) => {
            text.push_str("- {card: ");
            push_quoted(&mut text, card.as_str());
            let _ = write!(text, ", at: {}", line.at());
        }
        None => {
            let _ = write!(text, "- {{at: {}", line.at());
        }
    }
    match line {
        LogLine::Review(review) => {
            let _ = write!(
                text,
                ", grade: {}, mode: {}, ms: {}",
                review.grade.number(),
                review.mode.name(),
                review.ms
            );
            if review.rescheduled {
                text.push_str(", rescheduled: true");
            }
        }
        LogLine::Undo { undoes, .. } => {
            let _ = write!(text, ", undo: {undoes}");
        }
        LogLine::Move { from, .. } => {
            text.push_str(", moved_from: ");
            push_quoted(&mut text, from.as_str());
        }
        LogLine::Suspend { .. } => text.push_str(SUSPENDED),
        LogLine::Release { .. } => text.push_str(RELEASED),
        LogLine::Settings {
            retention,
            parameters,
            plan,
            ..
        } => {
            if let Some(Exact(retention)) = retention {
                let _ = write!(text, ", retention: {retention}");
            }
            if let Some(parameters) = parameters {
                let listed: Vec<String> = parameters.iter().map(|p| p.0.to_string()).collect();
                let _ = write!(text, ", parameters: [{}]", listed.join(", "));
            }
            match plan {
                Some(PlanChange::Set { interview, planned_on }) => {
                    let _ = write!(text, ", interview: {interview}, planned_on: {planned_on}");
                }
                Some(PlanChange::Cleared) => text.push_str(", interview: none"),
                None => {}
            }
        }
    }
    if let Some(id) = id {
        let _ = write!(text, ", id: {id}");
    }
    text.push('}');
    text
}

/// What a suspend line has after its moment.
const SUSPENDED: &str = ", suspended: true";
/// What a release line has after its moment.
const RELEASED: &str = ", suspended: false";

/// `text` as a JSON string, which is also a YAML double-quoted scalar. Characters JSON leaves alone but YAML
/// does not take raw (DEL, the C1 controls including NEL, U+FFFE, U+FFFF) or reads as line breaks (LS, PS) are
/// escaped as `\uXXXX` too.
pub(super) fn push_quoted(out: &mut String, text: &str) {
    // A string always serializes to JSON.
    let json = serde_json::to_string(text).expect("a string serializes to JSON");
    for c in json.chars() {
        if matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
        ) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
}

/// Why one line could not be read: the 1-based column when known, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LineError {
    pub(super) column: Option<usize>,
    pub(super) message: String,
}

/// Reads one line of reviews.yaml (without its newline). The error says what is wrong, and where when known
/// (`column 27: …`).
pub fn parse_line(text: &str) -> Result<LogLine, String> {
    parse_line_with_id(text).map(|(line, _)| line)
}

/// [`parse_line`], with the line's id when it has one.
pub fn parse_line_with_id(text: &str) -> Result<(LogLine, Option<LineId>), String> {
    parse_line_located(text).map_err(|e| match e.column {
        Some(column) => format!("column {column}: {}", e.message),
        None => e.message,
    })
}

/// [`parse_line_with_id`], keeping the column apart. A `\r` ending the line (a log saved with CRLF) is no part
/// of it.
pub(super) fn parse_line_located(text: &str) -> Result<(LogLine, Option<LineId>), LineError> {
    parse_line_located_with(text, &mut Reader::default())
}

/// [`parse_line_located`] for one line of many, with what `reader` kept from the lines before.
pub(super) fn parse_line_located_with(text: &str, reader: &mut Reader) -> Result<(LogLine, Option<LineId>), LineError> {
    let text = text.strip_suffix('\r').unwrap_or(text);
    match reader.parse_canonical(text.as_bytes()) {
        Some(line) => Ok(line),
        None => parse_line_with_serde(text),
    }
}

/// What reading the lines of a log keeps from one line to the next: each card id read, so that the lines about a
/// card share one string (a log of 100,000 answers names about 10,000 cards) and an id seen before is not checked
/// again; and the last day and offset read, whose start is worked out once for the lines of that day.
#[derive(Debug, Default)]
pub(super) struct Reader {
    /// The ids read by [`Reader::parse_canonical`], each checked to be written raw.
    ids: foldhash::HashSet<Known>,
    /// The id of the last line read fast.
    last: Option<CardId>,
    /// The date and offset of the last moment read (`2026-11-24` and `+09:00`), and what [`canonical::day`] gives
    /// for them.
    day: Option<([u8; 16], (i64, Offset))>,
}

impl Reader {
    /// A reader that has read lines about `ids` before: each one checked to be written raw, as
    /// [`Reader::known`] gives them.
    pub(super) fn knowing(ids: impl IntoIterator<Item = CardId>) -> Reader {
        Reader {
            ids: ids.into_iter().map(Known).collect(),
            ..Reader::default()
        }
    }

    /// The card ids read fast so far, each checked to be written raw, in no order.
    pub(super) fn known(&self) -> impl Iterator<Item = &CardId> {
        self.ids.iter().map(|known| &known.0)
    }

    /// A line exactly as [`render_line`] writes it for a card id that needs no escape, read without the YAML
    /// library.
    ///
    /// serde_norway took about 8 µs a line: 0.8 s for a log of 100,000 answers, which `amgi stats` and `amgi
    /// repair` read whole. Every other line (an escaped id, a hand edit, other spacing or order, `Z` for the
    /// offset) gives `None` and is left to the full reader, which reads the text taken here as the same line.
    pub(super) fn parse_canonical(&mut self, text: &[u8]) -> Option<(LogLine, Option<LineId>)> {
        let rest = text.strip_prefix(b"- {card: \"")?;
        let (card, rest) = self.card(rest)?;
        let rest = rest.strip_prefix(b", at: ")?;
        let at = self.time(rest.get(..25)?)?;
        // `, id: 06b057e9b-7f3a-0c2d1e4}` or `}` ends every line.
        let rest = rest[25..].strip_suffix(b"}")?;
        let (rest, id) = match rest.len().checked_sub(ID_SUFFIX_LEN) {
            Some(at) if rest[at..].starts_with(b", id: ") => (&rest[..at], Some(LineId::parse_bytes(&rest[at + 6..])?)),
            _ => (rest, None),
        };
        if let Some(undoes) = rest.strip_prefix(b", undo: ") {
            let undoes = self.time(undoes)?;
            return Some((LogLine::Undo { card, at, undoes }, id));
        }
        if rest == SUSPENDED.as_bytes() {
            return Some((LogLine::Suspend { card, at }, id));
        }
        if rest == RELEASED.as_bytes() {
            return Some((LogLine::Release { card, at }, id));
        }
        let rest = rest.strip_prefix(b", grade: ")?;
        let grade = Grade::from_number(rest.first()?.checked_sub(b'0')?)?;
        let rest = rest[1..].strip_prefix(b", mode: ")?;
        let (mode, rest) = if let Some(rest) = rest.strip_prefix(b"drill") {
            (Mode::Drill, rest)
        } else if let Some(rest) = rest.strip_prefix(b"mock") {
            (Mode::Mock, rest)
        } else {
            (Mode::Cram, rest.strip_prefix(b"cram")?)
        };
        let rest = rest.strip_prefix(b", ms: ")?;
        // Digits without a leading zero, and no more than a u64 holds.
        let mut ms = 0u64;
        let mut digits = 0;
        while let Some(digit) = rest.get(digits).map(|b| b.wrapping_sub(b'0')).filter(|&d| d < 10) {
            ms = ms.checked_mul(10)?.checked_add(u64::from(digit))?;
            digits += 1;
        }
        if digits == 0 || (digits > 1 && rest[0] == b'0') {
            return None;
        }
        let rest = &rest[digits..];
        let rescheduled = match rest {
            b"" => false,
            b", rescheduled: true" => true,
            _ => return None,
        };
        let review = Review {
            card,
            at,
            grade,
            mode,
            ms,
            rescheduled,
        };
        Some((LogLine::Review(review), id))
    }

    /// The card id that `rest` starts with up to its closing quote, the one read before when it was, and what
    /// follows the quote; `None` when it is not text written raw.
    fn card<'t>(&mut self, rest: &'t [u8]) -> Option<(CardId, &'t [u8])> {
        // The lines of a card's learning steps come one after another: the last id is tried first, without a
        // search or a hash. It has no quote in it, so a quote just after it ends the id.
        if let Some(last) = &self.last {
            let len = last.as_str().len();
            if rest.get(len) == Some(&b'"') && rest[..len] == *last.as_str().as_bytes() {
                return Some((last.clone(), &rest[len + 1..]));
            }
        }
        let end = memchr::memchr(b'"', rest)?;
        let id = &rest[..end];
        // Only text that was checked is kept, so an id found needs no check.
        let card = match self.ids.get(id) {
            Some(known) => known.0.clone(),
            None => {
                let text = simdutf8::basic::from_utf8(id).ok()?;
                if !is_written_raw(text) {
                    return None;
                }
                let card = CardId::from_stored_str(text);
                self.ids.insert(Known(card.clone()));
                card
            }
        };
        self.last = Some(card.clone());
        Some((card, &rest[end + 1..]))
    }

    /// A moment as the writer writes it (see [`canonical::time`]); the start of its day is worked out once for
    /// the lines of one day and offset.
    fn time(&mut self, text: &[u8]) -> Option<Moment> {
        let text: &[u8; 25] = text.try_into().ok()?;
        let mut key = [0; 16];
        key[..10].copy_from_slice(&text[..10]);
        key[10..].copy_from_slice(&text[19..]);
        let day = match self.day {
            Some((known, day)) if known == key => day,
            _ => {
                let day = canonical::day(text)?;
                self.day = Some((key, day));
                day
            }
        };
        canonical::at_second(text, day)
    }
}

/// A card id read before, looked up by the bytes it is written as: it hashes and compares as those bytes.
#[derive(Debug, PartialEq, Eq)]
struct Known(CardId);

impl std::hash::Hash for Known {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_str().as_bytes().hash(state);
    }
}

impl std::borrow::Borrow<[u8]> for Known {
    fn borrow(&self) -> &[u8] {
        self.0.as_str().as_bytes()
    }
}

/// [`Reader::parse_canonical`] for a line on its own.
#[cfg(test)]
pub(super) fn parse_canonical(text: &str) -> Option<(LogLine, Option<LineId>)> {
    Reader::default().parse_canonical(text.as_bytes())
}

/// The length of `, id: 06b057e9b-7f3a-0c2d1e4`.
const ID_SUFFIX_LEN: usize = ", id: ".len() + 22;

/// Whether [`push_quoted`] writes `text` as itself, and YAML reads it back as itself between double quotes: no
/// quote, backslash, control, line break or character YAML will not take raw.
///
/// Checked byte by byte: decoding each character of a Hangul id was a good part of reading a line. Every
/// character that is not written raw has a byte in [`NOT_RAW`] in its UTF-8 form: the ASCII ones are themselves,
/// U+0080..U+009F start with 0xc2, U+2028 and U+2029 with 0xe2, U+FFFE and U+FFFF with 0xef; a byte of those
/// three leads sends the text to the check by character.
fn is_written_raw(text: &str) -> bool {
    !text.bytes().any(|b| NOT_RAW[usize::from(b)]) || text.chars().all(is_char_written_raw)
}

/// The bytes that are, or may start, a character [`is_char_written_raw`] refuses.
const NOT_RAW: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, 0..=0x1f | b'"' | b'\\' | 0x7f | 0xc2 | 0xe2 | 0xef);
        b += 1;
    }
    table
};

/// Whether [`push_quoted`] writes `c` as itself, and YAML reads it back as itself between double quotes: not a
/// quote, backslash, control, line break or character YAML will not take raw.
fn is_char_written_raw(c: char) -> bool {
    !matches!(
        c,
        '\0'..='\u{1f}'
            | '"'
            | '\\'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// [`parse_line`] through serde_norway, for any line.
pub(super) fn parse_line_with_serde(text: &str) -> Result<(LogLine, Option<LineId>), LineError> {
    if let Some(index) = too_deep(text.as_bytes()) {
        return Err(LineError {
            column: Some(line_column(text.as_bytes(), index).1),
            message: format!("`[` and `{{` nest more than {MAX_FLOW_DEPTH} deep here"),
        });
    }
    let parsed: Option<[CheckedLine; 1]> = serde_norway::from_str(text).map_err(|e| {
        let (location, message) = located(&e, text);
        LineError {
            column: location.map(|(_, column)| column),
            message,
        }
    })?;
    match parsed {
        Some([CheckedLine(line, id)]) => Ok((line, id)),
        None => Err(LineError {
            column: None,
            message: "expected a line like `- {card: \"…\", at: …, grade: 3, mode: drill, ms: 5400}`".into(),
        }),
    }
}

/// A grade written as its number, 1 to 4.
struct GradeNumber(Grade);

impl<'de> Deserialize<'de> for GradeNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number;
        impl Visitor<'_> for Number {
            type Value = GradeNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a grade from 1 (again) to 4 (easy)")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<GradeNumber, E> {
                u8::try_from(n)
                    .ok()
                    .and_then(Grade::from_number)
                    .map(GradeNumber)
                    .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(n), &self))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<GradeNumber, E> {
                Err(E::invalid_value(Unexpected::Signed(n), &self))
            }
        }
        deserializer.deserialize_u8(Number)
    }
}

/// A line as serde reads it; which fields belong together is checked after.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `card`, `at`, then `grade`, `mode`, `ms`, `undo`, `moved_from` or `suspended`, and `id`; \
                 or of `at`, `retention`, `parameters` or `interview` (with `planned_on`), and `id`"
)]
struct RawLine {
    card: Option<CardId>,
    at: Time,
    grade: Option<GradeNumber>,
    mode: Option<Mode>,
    ms: Option<u64>,
    rescheduled: Option<bool>,
    undo: Option<Time>,
    moved_from: Option<CardId>,
    suspended: Option<bool>,
    retention: Option<f32>,
    parameters: Option<Vec<f32>>,
    interview: Option<InterviewDay>,
    planned_on: Option<Day>,
    id: Option<IdText>,
}

/// The `interview` of a settings line: a day, or `none` for a plan cleared.
enum InterviewDay {
    Day(jiff::civil::Date),
    None,
}

impl<'de> Deserialize<'de> for InterviewDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = InterviewDay;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a day like 2026-12-10, or `none`")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<InterviewDay, E> {
                if text == "none" {
                    return Ok(InterviewDay::None);
                }
                text.parse()
                    .map(InterviewDay::Day)
                    .map_err(|_| E::invalid_value(Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A line id as written (see [`LineId`]).
struct IdText(LineId);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = IdText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a line id like `06b057e9b-7f3a-0c2d1e4`")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<IdText, E> {
                LineId::parse(text)
                    .map(IdText)
                    .ok_or_else(|| E::invalid_value(Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

impl Checked for CheckedLine {
    type Raw = RawLine;

    fn check(raw: RawLine) -> Result<Self, String> {
        let RawLine {
            card,
            at: Time(at),
            grade,
            mode,
            ms,
            rescheduled,
            undo,
            moved_from,
            suspended,
            retention,
            parameters,
            interview,
            planned_on,
            id,
        } = raw;
        let id = id.map(|IdText(id)| id);
        let plan = match (interview, planned_on) {
            (None, None) => None,
            (Some(InterviewDay::Day(interview)), Some(Day(planned_on))) => {
                Some(PlanChange::Set { interview, planned_on })
            }
            (Some(InterviewDay::None), None) => Some(PlanChange::Cleared),
            (Some(InterviewDay::Day(_)), None) => {
                return Err("missing field `planned_on` (the day an interview plan was made)".into());
            }
            (Some(InterviewDay::None), Some(_)) => {
                return Err("a plan cleared (`interview: none`) has no `planned_on`".into());
            }
            (None, Some(_)) => return Err("`planned_on` goes with `interview`".into()),
        };
        // The fields about a card that are there, in order; `extra(kept)` is the first of them not in `kept`.
        let present = [
            ("grade", grade.is_some()),
            ("mode", mode.is_some()),
            ("ms", ms.is_some()),
            ("rescheduled", rescheduled.is_some()),
            ("undo", undo.is_some()),
            ("moved_from", moved_from.is_some()),
            ("suspended", suspended.is_some()),
        ];
        let extra = |kept: &[&str]| {
            present
                .iter()
                .find(|(name, there)| *there && !kept.contains(name))
                .map(|(name, _)| *name)
        };
        let Some(card) = card else {
            if let Some(name) = extra(&[]) {
                return Err(format!("missing field `card` (a line with `{name}` is about a card)"));
            }
            if retention.is_none() && parameters.is_none() && plan.is_none() {
                return Err("missing field `card`".into());
            }
            let mut line = LogLine::settings(at, retention, parameters.as_deref());
            if let LogLine::Settings { plan: slot, .. } = &mut line {
                *slot = plan;
            }
            return Ok(CheckedLine(line, id));
        };
        if retention.is_some() || parameters.is_some() || plan.is_some() {
            return Err("a line about a card has no `retention`, `parameters` or `interview`".into());
        }
        if let Some(from) = moved_from {
            if let Some(name) = extra(&["moved_from"]) {
                return Err(format!(
                    "a move line has only `card`, `at` and `moved_from`, not `{name}`"
                ));
            }
            return Ok(CheckedLine(LogLine::Move { card, at, from }, id));
        }
        if let Some(suspended) = suspended {
            if let Some(name) = extra(&["suspended"]) {
                return Err(format!(
                    "a suspend or release line has only `card`, `at` and `suspended`, not `{name}`"
                ));
            }
            let line = if suspended {
                LogLine::Suspend { card, at }
            } else {
                LogLine::Release { card, at }
            };
            return Ok(CheckedLine(line, id));
        }
        if let Some(Time(undoes)) = undo {
            if let Some(name) = extra(&["undo"]) {
                return Err(format!("an undo line has only `card`, `at` and `undo`, not `{name}`"));
            }
            return Ok(CheckedLine(LogLine::Undo { card, at, undoes }, id));
        }
        let missing = |name: &str| format!("missing field `{name}`");
        let review = Review {
            card,
            at,
            grade: grade.ok_or_else(|| missing("grade"))?.0,
            mode: mode.ok_or_else(|| missing("mode"))?,
            ms: ms.ok_or_else(|| missing("ms"))?,
            rescheduled: rescheduled.unwrap_or(false),
        };
        Ok(CheckedLine(LogLine::Review(review), id))
    }
}

/// A [`LogLine`] and its id, read through [`deserialize_checked`].
struct CheckedLine(LogLine, Option<LineId>);

impl<'de> Deserialize<'de> for CheckedLine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_checked(deserializer)
    }
}

/// Whether a line that does not parse is an append cut short: an entry that never got its closing `}`. Anything
/// else that does not parse (a hand edit gone wrong) is an error.
pub(super) fn is_cut_off(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii();
    trimmed.starts_with(b"-") && !trimmed.ends_with(b"}")
}

/// Whether a line of reviews.yaml carries nothing: blank, or a `#` comment.
pub(super) fn is_blank(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii_start();
    trimmed.is_empty() || trimmed[0] == b'#'
}
