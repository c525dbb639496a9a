//! A cache of the parsed deck: what each file of notes gave (its cards and findings), keyed by the file's name,
//! topic, folders and content, so a drill on notes that did not change since the last run parses nothing, and after an
//! edit only the edited file is parsed again.
//!
//! The cache is disposable. Bytes that are not a whole cache of this build (missing, cut short, corrupt, written
//! by another build of amgi or in a newer format) are taken for an empty cache: every file is parsed and a new
//! cache is written. A file's entry that is damaged is taken for a miss: that file is parsed again, and the cache
//! rewritten. A hit gives the very cards and findings a parse of that text would, since [`super::parse`] depends
//! on nothing but the text, the file's name and its topic (and a card's folders and id on the file's folders).
//!
//! The key is the content's length and a 64-bit hash, not the file's mtime: an edit within the same second, or a
//! tool that keeps mtimes, is still seen, and a `touch` or a checkout of the same text parses nothing.
//!
//! Layout: a 32-byte header (magic, format, build, body length, CRC-32 of the table), then the body: the table's
//! length (4 bytes) and the table, a list of `(file, topic, folders, length, hash, entry's place, length and CRC-32, length
//! of its answers)` in note order, then the entries. Only the table is read at start; a file's entry is read when
//! its file is found unchanged, and never held with the others: at 10,000 cards the whole cache (5 MB) was read,
//! and copied into strings, before a card could be built. An entry is its cards' and findings' numbers (lengths,
//! lines, flags, and each answer's hash and CRC-32) then their text but the answers, all of it checked as UTF-8 at
//! once, then the answers. A card restored from an entry leaves its answer in the cache file, which stays open:
//! it is read when it is wanted (see [`Answer`]). The answers are 5 of the 5.5 MB of a deck of 10,000 cards; a
//! drill shows a few of them, and `stats` and `plan` none.
//! A cache rewritten after an edit copies the entries of the files that did not change from the old one
//! ([`NewCache`]), and may be made and written after the deck is handed on.

use super::{Deck, FileDeck, Finding, FindingKind, NoteFile, parse_all};
use crate::card::{Answer, AnswerStore, Card, CardId, StoredAnswer, stable_hash};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, PoisonError};

const MAGIC: &[u8; 8] = b"amgidk\0\n";
/// Raised when the layout changes; a cache in a format after this one is ignored like any other.
const FORMAT: u32 = 4;
const HEADER: usize = 32;

/// What changes what a parse gives besides the notes: the parser's sources, this file, and the crates they use.
const BUILD_SOURCES: [&str; 15] = [
    env!("CARGO_PKG_VERSION"),
    include_str!("mod.rs"),
    include_str!("parse/mod.rs"),
    include_str!("parse/doc.rs"),
    include_str!("parse/roles.rs"),
    include_str!("parse/section.rs"),
    include_str!("parse/answer.rs"),
    include_str!("parse/nav.rs"),
    include_str!("parse/text.rs"),
    include_str!("clean.rs"),
    include_str!("names.rs"),
    include_str!("finding.rs"),
    include_str!("cache.rs"),
    include_str!("../card.rs"),
    include_str!("../../Cargo.lock"),
];

/// This build's parser, as a number written into the cache: a cache from another build is not used.
fn build() -> u64 {
    let mut crc = crc32fast::Hasher::new();
    let mut hash = 0u64;
    for source in BUILD_SOURCES {
        crc.update(source.as_bytes());
        hash = hash.rotate_left(5) ^ content_hash(source.as_bytes());
    }
    hash ^ u64::from(crc.finalize())
}

use super::source::content_hash;

/// What identifies a file's content in the cache: its length and hash.
type Content = (u64, u64);

/// One file in the cache's table: its name, topic and folders (joined with `/`), and where its entry is.
#[derive(Debug)]
struct Listed {
    file: String,
    topic: String,
    folders: String,
    place: Place,
}

/// Where an entry is: its place after the table, its length and its CRC-32, and the length of its answers, which
/// end it. The whole entry is read and checked when its file is found unchanged, but the answers are not kept: each
/// is read again when it is wanted, and checked against the CRC-32 its card keeps.
#[derive(Debug, Clone, Copy)]
struct Place {
    at: u64,
    len: u64,
    crc: u32,
    answers: u64,
}

/// Where a cache's entries are read from.
#[derive(Debug)]
enum Source {
    File(std::fs::File),
    Bytes(std::io::Cursor<Vec<u8>>),
}

impl Source {
    /// `len` bytes at `at` into `buf`.
    fn read_at(&mut self, at: u64, len: usize, buf: &mut Vec<u8>) -> Option<()> {
        buf.clear();
        // Read into spare room rather than zeroed bytes: zeroing them cost as much as the read.
        buf.try_reserve_exact(len).ok()?;
        let reader: &mut dyn ReadSeek = match self {
            Source::File(file) => file,
            Source::Bytes(bytes) => bytes,
        };
        reader.seek(SeekFrom::Start(at)).ok()?;
        let read = reader.take(len as u64).read_to_end(buf).ok()?;
        (read == len).then_some(())
    }
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// A cache's bytes, shared by the cache and the answers of the cards restored from it: the file stays open (and
/// readable after a newer cache is renamed over it) while a card needs it.
#[derive(Debug)]
struct Entries {
    source: Mutex<Source>,
    /// The cache file, to delete when an answer read from it is not what was put there.
    path: Option<std::path::PathBuf>,
}

impl Entries {
    fn read_at(&self, at: u64, len: usize, buf: &mut Vec<u8>) -> Option<()> {
        self.source
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .read_at(at, len, buf)
    }
}

impl AnswerStore for Entries {
    fn read(&self, at: u64, len: usize) -> Result<Vec<u8>, String> {
        let mut buf = Vec::new();
        self.read_at(at, len, &mut buf)
            .map(|()| buf)
            .ok_or_else(|| "it is no longer there".to_string())
    }

    fn forget(&self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A cache of parsed notes as opened: its table read, its entries read as their files are found unchanged.
#[derive(Debug, Default)]
pub struct DeckCache {
    by_content: HashMap<Content, Vec<Listed>>,
    /// The cache's bytes, and where its entries start in them; `None` when it was not a whole cache of this build
    /// (it is empty and wants writing).
    source: Option<(Arc<Entries>, u64)>,
    /// What [`DeckCache::restore`] was told, one for each note file in the order they were read: the file's
    /// content, and its cards and findings with where its entry is when the cache had them.
    restored: Vec<(Content, Option<(FileDeck, Place)>)>,
    /// The buffer [`DeckCache::restore`] reads entries into.
    entry: Vec<u8>,
    /// How many files the table lists.
    listed: usize,
}

impl DeckCache {
    /// The cache in `bytes`, the contents of a cache file (empty when there is none). Bytes that are not a whole
    /// cache of this build and format give an empty cache, never an error.
    pub fn from_bytes(bytes: &[u8]) -> DeckCache {
        let len = bytes.len() as u64;
        DeckCache::from_source(Source::Bytes(std::io::Cursor::new(bytes.to_vec())), len, None)
    }

    /// The cache in the file at `path`: only its table is read now. A file that is missing, unreadable or not a
    /// whole cache of this build and format gives an empty cache, never an error.
    pub fn open(path: &std::path::Path) -> DeckCache {
        // Not through a link, and never a FIFO or a device: a cache that is not a regular file is no cache.
        let Ok(file) = crate::door::open_read(path) else {
            return DeckCache::default();
        };
        let Ok(meta) = file.metadata() else {
            return DeckCache::default();
        };
        DeckCache::from_source(Source::File(file), meta.len(), Some(path.to_path_buf()))
    }

    fn from_source(mut source: Source, len: u64, path: Option<std::path::PathBuf>) -> DeckCache {
        match table(&mut source, len) {
            Some((by_content, entries)) => DeckCache {
                listed: by_content.values().map(Vec::len).sum(),
                by_content,
                source: Some((
                    Arc::new(Entries {
                        source: Mutex::new(source),
                        path,
                    }),
                    entries,
                )),
                ..DeckCache::default()
            },
            None => DeckCache::default(),
        }
    }

    /// The cards and findings of the unchanged `note` of `content`, read from its entry into `buf`, and where
    /// the entry is; `None` when the cache has no such file or its entry is damaged.
    fn take(&mut self, note: &NoteFile, content: Content, buf: &mut Vec<u8>) -> Option<(FileDeck, Place)> {
        let same = self.by_content.get_mut(&content)?;
        let at = same
            .iter()
            .position(|l| l.file == note.file && l.topic == note.topic && same_folders(&l.folders, &note.folders))?;
        let place = same.swap_remove(at).place;
        self.read(place, buf)?;
        let (entries, start) = self.source.as_ref()?;
        let head = place.len.checked_sub(place.answers)?;
        let answers = (Arc::clone(entries), start.checked_add(place.at)?.checked_add(head)?);
        Some((
            decode(buf.get(..usize::try_from(head).ok()?)?, note, answers, place.answers)?,
            place,
        ))
    }

    /// Whether the cards and findings of `note`, whose bytes have the [`content_hash`] `hash`, were restored
    /// from the cache (kept for [`Deck::from_files_cached`], which must then be given the note files in the order
    /// they were told, each told once: [`super::source::read_paths_with`] does). Its bytes are not wanted when they
    /// were.
    pub fn restore(&mut self, note: &NoteFile, hash: u64) -> bool {
        let content = (note.bytes.len() as u64, hash);
        let mut entry = std::mem::take(&mut self.entry);
        let hit = self.take(note, content, &mut entry);
        self.entry = entry;
        let restored = hit.is_some();
        self.restored.push((content, hit));
        restored
    }

    /// The entry at `place` into `buf`, when its CRC-32 is right.
    fn read(&self, place: Place, buf: &mut Vec<u8>) -> Option<()> {
        let (source, entries) = self.source.as_ref()?;
        source.read_at(entries.checked_add(place.at)?, usize::try_from(place.len).ok()?, buf)?;
        (crc32fast::hash(buf) == place.crc).then_some(())
    }
}

/// A new cache to write, when the deck differs from the cache it was read with: the entries of the files parsed
/// now, and those of the others as the old cache holds them. Its bytes are made by [`NewCache::into_bytes`], which
/// copies the old entries from the old cache: after an edit of one file of 10,000 cards that, and the write, can
/// wait until the first card is on the screen.
#[derive(Debug)]
pub struct NewCache {
    old: DeckCache,
    files: Vec<(String, String, String, Content, NewEntry)>,
}

/// An entry of a [`NewCache`]: new bytes (the entry, and where its answers start in it), or where the old cache
/// has them.
#[derive(Debug)]
enum NewEntry {
    Made(Vec<u8>, usize),
    Kept(Place),
}

impl NewCache {
    /// The bytes of the new cache; `None` when an entry kept from the old cache can no longer be read as it was.
    pub fn into_bytes(self) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Writes the new cache to `out`, one entry at a time (the whole of it is never held). An error when an entry
    /// kept from the old cache can no longer be read as it was (its file was cut or changed since): what was
    /// written is then not a cache to keep, and the next run parses again.
    pub fn write_to(self, out: &mut impl Write) -> std::io::Result<()> {
        let (mut numbers, mut text) = (Vec::new(), Vec::new());
        let mut at = 0u64;
        for (file, topic, folders, key, entry) in &self.files {
            let (len, crc, answers) = match entry {
                NewEntry::Made(bytes, head) => {
                    (bytes.len() as u64, crc32fast::hash(bytes), (bytes.len() - head) as u64)
                }
                NewEntry::Kept(place) => (place.len, place.crc, place.answers),
            };
            put_text(&mut numbers, &mut text, file);
            put_text(&mut numbers, &mut text, topic);
            put_text(&mut numbers, &mut text, folders);
            for n in [key.0, key.1, at, len, u64::from(crc), answers] {
                put(&mut numbers, n);
            }
            at += len;
        }
        let mut table = Vec::with_capacity(text.len() + numbers.len() + 20);
        put(&mut table, text.len() as u64);
        table.extend_from_slice(&text);
        put(&mut table, self.files.len() as u64);
        table.extend_from_slice(&numbers);
        let gone = || std::io::Error::other("the old cache changed while it was copied");
        // A table of 4 GB is not notes.
        let table_len = u32::try_from(table.len()).map_err(|_| gone())?;
        let mut head = vec![0; HEADER];
        head.extend_from_slice(&table_len.to_le_bytes());
        head.extend_from_slice(&table);
        let crc = crc32fast::hash(&head[HEADER..]);
        let body_len = (head.len() - HEADER) as u64 + at;
        seal(&mut head, body_len, crc);
        out.write_all(&head)?;
        let mut buf = Vec::new();
        for (_, _, _, _, entry) in &self.files {
            match entry {
                NewEntry::Made(bytes, _) => out.write_all(bytes)?,
                NewEntry::Kept(place) => {
                    self.old.read(*place, &mut buf).ok_or_else(gone)?;
                    out.write_all(&buf)?;
                }
            }
        }
        Ok(())
    }
}

/// The table of the cache in `source` of `len` bytes, by content, and where the entries start; `None` when it is
/// not a whole cache of this build and format.
fn table(source: &mut Source, len: u64) -> Option<(HashMap<Content, Vec<Listed>>, u64)> {
    let mut head = Vec::new();
    source.read_at(0, HEADER + 4, &mut head)?;
    let word = |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().expect("4 bytes"));
    let long = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().expect("8 bytes"));
    let whole = &head[..8] == MAGIC && word(8) == FORMAT && long(12) == build() && long(20) == len - HEADER as u64;
    if !whole {
        return None;
    }
    let (crc, table_len) = (word(28), word(HEADER));
    let entries = (HEADER + 4) as u64 + u64::from(table_len);
    if entries > len {
        return None;
    }
    let mut bytes = Vec::new();
    source.read_at(HEADER as u64, 4 + table_len as usize, &mut bytes)?;
    if crc32fast::hash(&bytes) != crc {
        return None;
    }
    let mut r = Reader::new(&bytes[4..]);
    let text_len = r.number()?;
    let mut text = Text(simdutf8::basic::from_utf8(r.bytes(text_len)?).ok()?);
    let files = r.number()?;
    let mut by_content: HashMap<Content, Vec<Listed>> = HashMap::with_capacity(files.min(1 << 16) as usize);
    for _ in 0..files {
        let (file, topic) = (text.take(r.number()?)?.to_owned(), text.take(r.number()?)?.to_owned());
        let folders = text.take(r.number()?)?.to_owned();
        let content = (r.number()?, r.number()?);
        let (at, entry_len, entry_crc) = (r.number()?, r.number()?, u32::try_from(r.number()?).ok()?);
        let answers = r.number()?;
        if at.checked_add(entry_len)? > len - entries || answers > entry_len {
            return None;
        }
        by_content.entry(content).or_default().push(Listed {
            file,
            topic,
            folders,
            place: Place {
                at,
                len: entry_len,
                crc: entry_crc,
                answers,
            },
        });
    }
    r.is_done().then_some((by_content, entries))
}

/// Numbers read from an entry or the table: LEB128, as [`put`] writes them.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader(bytes)
    }

    fn number(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    fn bytes(&mut self, len: u64) -> Option<&'a [u8]> {
        let len = usize::try_from(len).ok()?;
        let (taken, rest) = (self.0.get(..len)?, self.0.get(len..)?);
        self.0 = rest;
        Some(taken)
    }

    fn is_done(&self) -> bool {
        self.0.is_empty()
    }
}

/// Text taken in order from an entry's checked text.
struct Text<'a>(&'a str);

impl<'a> Text<'a> {
    fn take(&mut self, len: u64) -> Option<&'a str> {
        let len = usize::try_from(len).ok()?;
        // `get` refuses a length that ends inside a character.
        let (taken, rest) = (self.0.get(..len)?, self.0.get(len..)?);
        self.0 = rest;
        Some(taken)
    }

    fn string(&mut self, len: u64) -> Option<String> {
        self.take(len).map(str::to_owned)
    }
}

/// A card's flags in an entry: which of its strings are stored rather than given by its topic, path and question
/// (the id) or by its note file (the topic and the file), as they almost always are.
const HAS_ID: u64 = 1;
const HAS_TOPIC: u64 = 2;
const HAS_FILE: u64 = 4;
/// A finding's flags.
const HAS_LINE: u64 = 1;
const HAS_QUESTION: u64 = 2;

/// The cards and findings of `note` from its entry's bytes but the answers, which are `answers_len` bytes in
/// `answers` (what holds them, and where they start); `None` when they are not an entry.
fn decode(entry: &[u8], note: &NoteFile, answers: (Arc<Entries>, u64), answers_len: u64) -> Option<FileDeck> {
    let (from, start) = answers;
    let from: Arc<dyn AnswerStore> = from;
    let mut answer_at = 0u64;
    let mut outer = Reader::new(entry);
    let numbers = outer.number()?;
    let mut r = Reader::new(outer.bytes(numbers)?);
    // The text is what follows the numbers, checked at once.
    let mut text = Text(simdutf8::basic::from_utf8(outer.0).ok()?);
    let (note_topic, note_file): (Arc<str>, Arc<str>) = (note.topic.as_str().into(), note.file.as_str().into());
    let mut read = Cards {
        entry_len: entry.len(),
        from: &from,
        start,
        answer_at: &mut answer_at,
        topic: &note_topic,
        file: &note_file,
        folders: &note.folders,
    };
    let deck_cards = read.cards(&mut r, &mut text)?;
    let deck_questions = read.cards(&mut r, &mut text)?;
    let findings = r.count()?;
    let mut deck_findings = Vec::with_capacity(findings.min(entry.len()));
    for _ in 0..findings {
        let flags = r.number()?;
        let file = text.string(r.number()?)?;
        let line = if flags & HAS_LINE != 0 {
            Some(usize::try_from(r.number()?).unwrap_or(usize::MAX))
        } else {
            None
        };
        let kind = kind(r.number()?)?;
        let message = text.string(r.number()?)?;
        let question = if flags & HAS_QUESTION != 0 {
            Some(text.string(r.number()?)?)
        } else {
            None
        };
        deck_findings.push(Finding {
            file,
            line,
            kind,
            message,
            question,
        });
    }
    (r.is_done() && text.0.is_empty() && answer_at == answers_len).then_some(FileDeck {
        cards: deck_cards,
        questions: deck_questions,
        findings: deck_findings,
    })
}

/// What the cards of one entry are read with: where their answers are, and what they share with their file.
struct Cards<'x> {
    entry_len: usize,
    from: &'x Arc<dyn AnswerStore>,
    start: u64,
    answer_at: &'x mut u64,
    topic: &'x Arc<str>,
    file: &'x Arc<str>,
    folders: &'x Arc<[String]>,
}

impl Cards<'_> {
    /// A count of cards, then the cards, as [`put_cards`] wrote them.
    fn cards(&mut self, r: &mut Reader<'_>, text: &mut Text<'_>) -> Option<Vec<Card>> {
        let cards = r.count()?;
        // A count no entry of this size could hold is refused before anything is allocated for it.
        let mut deck_cards = Vec::with_capacity(cards.min(self.entry_len));
        for _ in 0..cards {
            let flags = r.number()?;
            let id = if flags & HAS_ID != 0 {
                Some(text.string(r.number()?)?)
            } else {
                None
            };
            let topic = if flags & HAS_TOPIC != 0 {
                text.take(r.number()?)?.into()
            } else {
                Arc::clone(self.topic)
            };
            let parts = r.count()?;
            let mut path = Vec::with_capacity(parts.min(self.entry_len));
            for _ in 0..parts {
                path.push(text.string(r.number()?)?);
            }
            let question = text.string(r.number()?)?;
            let (len, hash, crc) = (r.number()?, r.number()?, u32::try_from(r.number()?).ok()?);
            let answer = Answer::stored(StoredAnswer {
                from: Arc::clone(self.from),
                at: self.start.checked_add(*self.answer_at)?,
                len: usize::try_from(len).ok()?,
                hash,
                crc,
            });
            *self.answer_at = self.answer_at.checked_add(len)?;
            let file = if flags & HAS_FILE != 0 {
                text.take(r.number()?)?.into()
            } else {
                Arc::clone(self.file)
            };
            let line = usize::try_from(r.number()?).unwrap_or(usize::MAX);
            deck_cards.push(Card {
                id: id.map_or_else(
                    || CardId::in_folders(self.folders, &topic, &path, &question),
                    CardId::from_stored,
                ),
                topic,
                path,
                question,
                answer,
                file,
                line,
                folders: Arc::clone(self.folders),
            });
        }
        Some(deck_cards)
    }
}

/// The kind of finding numbered `index` by [`kind_index`].
fn kind(index: u64) -> Option<FindingKind> {
    let byte = u8::try_from(index).ok().filter(|&b| b < 0x80)?;
    postcard::from_bytes(&[byte]).ok()
}

/// A kind of finding as a number: its place among the kinds, as serde numbers them.
fn kind_index(kind: FindingKind) -> u64 {
    let mut buf = [0u8; 10];
    // One byte for any of the few kinds; a number no kind has, were it ever more, makes the entry a miss.
    postcard::to_slice(&kind, &mut buf)
        .ok()
        .filter(|b| b.len() == 1)
        .map_or(u64::MAX, |b| u64::from(b[0]))
}

/// `value` appended to `out` in LEB128.
fn put(out: &mut Vec<u8>, value: u64) {
    let mut value = value;
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A string's length appended to `numbers`, and the string to `text`.
fn put_text(numbers: &mut Vec<u8>, text: &mut Vec<u8>, s: &str) {
    put(numbers, s.len() as u64);
    text.extend_from_slice(s.as_bytes());
}

/// A count of `cards`, then each: its numbers, its text and its answer each to their part of the entry.
fn put_cards(note: &NoteFile, cards: &[Card], (numbers, text, answers): (&mut Vec<u8>, &mut Vec<u8>, &mut Vec<u8>)) {
    put(numbers, cards.len() as u64);
    for card in cards {
        let made = CardId::in_folders(&note.folders, &card.topic, &card.path, &card.question);
        let id = Some(card.id.as_str()).filter(|&id| id != made.as_str());
        let topic = Some(&*card.topic).filter(|&t| t != note.topic);
        let file = Some(&*card.file).filter(|&f| f != note.file);
        let flags = [
            (id.is_some(), HAS_ID),
            (topic.is_some(), HAS_TOPIC),
            (file.is_some(), HAS_FILE),
        ]
        .iter()
        .filter(|(has, _)| *has)
        .fold(0, |flags, (_, flag)| flags | flag);
        put(numbers, flags);
        for s in id.into_iter().chain(topic) {
            put_text(numbers, text, s);
        }
        put(numbers, card.path.len() as u64);
        for s in card.path.iter().map(String::as_str).chain([card.question.as_str()]) {
            put_text(numbers, text, s);
        }
        let answer = card.answer.text();
        put_text(numbers, answers, &answer);
        put(numbers, stable_hash(answer.as_bytes()));
        put(numbers, u64::from(crc32fast::hash(answer.as_bytes())));
        if let Some(file) = file {
            put_text(numbers, text, file);
        }
        put(numbers, card.line as u64);
    }
}

/// The entry of `note`'s cards and findings `part`, and where its answers start in it.
fn encode(note: &NoteFile, part: &FileDeck) -> (Vec<u8>, usize) {
    let (mut numbers, mut text, mut answers) = (Vec::new(), Vec::new(), Vec::new());
    for cards in [&part.cards, &part.questions] {
        put_cards(note, cards, (&mut numbers, &mut text, &mut answers));
    }
    put(&mut numbers, part.findings.len() as u64);
    for finding in &part.findings {
        let flags = if finding.line.is_some() { HAS_LINE } else { 0 }
            | if finding.question.is_some() { HAS_QUESTION } else { 0 };
        put(&mut numbers, flags);
        put_text(&mut numbers, &mut text, &finding.file);
        if let Some(line) = finding.line {
            put(&mut numbers, line as u64);
        }
        put(&mut numbers, kind_index(finding.kind));
        put_text(&mut numbers, &mut text, &finding.message);
        if let Some(question) = &finding.question {
            put_text(&mut numbers, &mut text, question);
        }
    }
    let mut entry = Vec::with_capacity(numbers.len() + text.len() + answers.len() + 10);
    put(&mut entry, numbers.len() as u64);
    entry.extend_from_slice(&numbers);
    entry.extend_from_slice(&text);
    let head = entry.len();
    entry.extend_from_slice(&answers);
    (entry, head)
}

impl Deck {
    /// [`Deck::from_files`] with a cache: a file whose name, topic, folders and content `cache` holds is not parsed
    /// again. The deck is the one [`Deck::from_files`] would give, whatever `cache` holds.
    ///
    /// Returns, besides the deck, the cache to keep when it differs from `cache` (a file was parsed, one is gone,
    /// or `cache` was not usable), else `None`.
    pub fn from_files_cached(
        files: impl IntoIterator<Item = Result<NoteFile, Finding>>,
        mut cache: DeckCache,
    ) -> (Deck, Option<NewCache>) {
        let mut files: Vec<Result<NoteFile, Finding>> = files.into_iter().collect();
        let usable = cache.source.is_some();
        let listed = cache.listed;
        let mut parts: Vec<Option<FileDeck>> = Vec::with_capacity(files.len());
        let mut kept: Vec<Option<Place>> = Vec::with_capacity(files.len());
        let mut keys: Vec<Option<Content>> = Vec::with_capacity(files.len());
        // One buffer for the entries, each read as its file is found unchanged.
        let mut entry = std::mem::take(&mut cache.entry);
        let mut restored = std::mem::take(&mut cache.restored).into_iter();
        let mut hits = 0;
        for file in &mut files {
            let Ok(note) = file else {
                parts.push(None);
                kept.push(None);
                keys.push(None);
                continue;
            };
            // Restored as it was read, or found unchanged now.
            let (content, hit) = match restored.next() {
                Some(told) => told,
                None => {
                    let content = (note.bytes.len() as u64, content_hash(&note.bytes));
                    (content, cache.take(note, content, &mut entry))
                }
            };
            keys.push(Some(content));
            if hit.is_some() {
                hits += 1;
                // Not wanted any more: the deck's text comes from the cache.
                note.bytes = Vec::new();
            }
            let (part, place) = hit.unzip();
            parts.push(part);
            kept.push(place);
        }
        drop(entry);
        let misses: Vec<&NoteFile> = files
            .iter()
            .zip(&parts)
            .filter_map(|(file, part)| file.as_ref().ok().filter(|_| part.is_none()))
            .collect();
        let mut parsed = parse_all(&misses).into_iter();
        let changed = !usable || !misses.is_empty() || hits != listed;
        for (part, file) in parts.iter_mut().zip(&files) {
            if file.is_ok() && part.is_none() {
                *part = parsed.next();
            }
        }
        let new_cache = changed.then(|| NewCache {
            files: files
                .iter()
                .zip(&keys)
                .zip(parts.iter().zip(&kept))
                .filter_map(|((file, key), (part, place))| {
                    let (note, key) = (file.as_ref().ok()?, (*key)?);
                    let entry = match place {
                        Some(place) => NewEntry::Kept(*place),
                        None => {
                            let (bytes, head) = encode(note, part.as_ref()?);
                            NewEntry::Made(bytes, head)
                        }
                    };
                    Some((
                        note.file.clone(),
                        note.topic.clone(),
                        note.folders.join("/"),
                        key,
                        entry,
                    ))
                })
                .collect(),
            old: cache,
        });
        let deck = Deck::assemble(files.iter().zip(parts).map(|(file, part)| match file {
            Ok(_) => Ok(part.expect("every file parsed or restored")),
            Err(finding) => Err(finding.clone()),
        }));
        (deck, new_cache)
    }
}

/// Whether `joined`, folders as the table keeps them (joined with `/`, which no folder's name holds), are `folders`.
fn same_folders(joined: &str, folders: &[String]) -> bool {
    if folders.is_empty() {
        return joined.is_empty();
    }
    joined.split('/').eq(folders.iter().map(String::as_str))
}

/// Fills in the header at the start of `bytes`, for a body of `body_len` bytes whose table has the CRC-32 `crc`.
fn seal(bytes: &mut [u8], body_len: u64, crc: u32) {
    bytes[..8].copy_from_slice(MAGIC);
    bytes[8..12].copy_from_slice(&FORMAT.to_le_bytes());
    bytes[12..20].copy_from_slice(&build().to_le_bytes());
    bytes[20..28].copy_from_slice(&body_len.to_le_bytes());
    bytes[28..32].copy_from_slice(&crc.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(file: &str, text: &str) -> NoteFile {
        NoteFile {
            file: file.into(),
            topic: "t".into(),
            folders: Default::default(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn notes() -> Vec<Result<NoteFile, Finding>> {
        vec![
            Ok(note("a.md", "## 질문\n\n답\n\n## 빈 곳\n\n## 질문\n\n다른 답\n")),
            Err(Finding::new(
                "gone.md",
                None,
                FindingKind::Unreadable,
                "no such file or folder",
            )),
            Ok(note("b.md", "## 질문\n\n셋째 답\n\n- 열린 질문?\n")),
            Ok(note("empty.md", "")),
            Ok(NoteFile {
                bytes: b"## caf\xe9\n".to_vec(),
                ..note("latin1.md", "")
            }),
        ]
    }

    /// [`Deck::from_files_cached`], with the bytes of the new cache when there is one.
    fn cached(files: impl IntoIterator<Item = Result<NoteFile, Finding>>, cache: DeckCache) -> (Deck, Option<Vec<u8>>) {
        let (deck, new) = Deck::from_files_cached(files, cache);
        (
            deck,
            new.map(|new| new.into_bytes().expect("the old entries read back")),
        )
    }

    fn same(a: &Deck, b: &Deck) {
        assert_eq!(a.cards, b.cards);
        assert_eq!(a.findings, b.findings);
    }

    #[test]
    fn a_cached_deck_is_the_parsed_deck() {
        let fresh = Deck::from_files(notes());
        let (first, cache) = cached(notes(), DeckCache::default());
        same(&first, &fresh);
        let cache = cache.expect("a first cache");
        let (again, unchanged) = cached(notes(), DeckCache::from_bytes(&cache));
        same(&again, &fresh);
        assert!(unchanged.is_none(), "nothing changed, nothing to write");
        assert!(!fresh.findings.is_empty() && fresh.answered().count() == 3);
    }

    #[test]
    fn a_cached_deck_keeps_its_folders_and_other_folders_are_a_miss() {
        let in_folders = |folders: &[&str]| NoteFile {
            folders: folders.iter().map(|f| f.to_string()).collect(),
            ..note("net/tcp.md", "## 질문\n\n답\n")
        };
        let fresh = Deck::from_files([Ok(in_folders(&["CS", "네트워크"]))]);
        assert_eq!(fresh.cards[0].id.as_str(), "CS/네트워크/t/질문");
        let (_, cache) = cached([Ok(in_folders(&["CS", "네트워크"]))], DeckCache::default());
        let cache = cache.expect("a first cache");
        let (again, unchanged) = cached([Ok(in_folders(&["CS", "네트워크"]))], DeckCache::from_bytes(&cache));
        same(&again, &fresh);
        assert_eq!(*again.cards[0].folders, ["CS", "네트워크"]);
        assert!(unchanged.is_none(), "restored from the cache");
        // The same file and text seen from another notes folder (or named directly): its own folders, not the
        // cache's.
        for other in [&["CS"][..], &[]] {
            let (deck, rewritten) = cached([Ok(in_folders(other))], DeckCache::from_bytes(&cache));
            same(&deck, &Deck::from_files([Ok(in_folders(other))]));
            assert_eq!(*deck.cards[0].folders, *other);
            assert!(rewritten.is_some(), "a miss");
        }
    }

    #[test]
    fn an_edited_file_is_parsed_again_even_at_the_same_length() {
        let (_, cache) = cached(notes(), DeckCache::default());
        let cache = cache.expect("a cache");
        let mut edited = notes();
        // The same number of bytes: only the content tells the edit.
        edited[2] = Ok(note("b.md", "## 질문\n\n넷째 답\n\n- 열린 질문?\n"));
        let (deck, rewritten) = cached(edited, DeckCache::from_bytes(&cache));
        assert!(deck.cards.iter().any(|c| c.answer == "넷째 답"));
        assert!(!deck.cards.iter().any(|c| c.answer == "셋째 답"));
        let mut fresh_input = notes();
        fresh_input[2] = Ok(note("b.md", "## 질문\n\n넷째 답\n\n- 열린 질문?\n"));
        same(&deck, &Deck::from_files(fresh_input));
        assert!(rewritten.is_some());
    }

    #[test]
    fn files_restored_as_they_are_read_give_the_parsed_deck_without_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("a.md", "## 질문\n\n답\n\n## 빈 곳\n\n## 질문\n\n다른 답\n");
        write("b.md", "## 질문\n\n셋째 답\n\n- 열린 질문?\n");
        write("c.md", "## 또 질문\n\n넷째 답\n");
        let read = |cache: &mut DeckCache| {
            super::super::source::read_paths_with(&[dir.path()], &mut |note, hash| !cache.restore(note, hash))
        };
        let fresh = Deck::from_files(super::super::source::read_paths(&[dir.path()]));
        let (_, bytes) = cached(super::super::source::read_paths(&[dir.path()]), DeckCache::default());
        let bytes = bytes.expect("a cache");

        let mut cache = DeckCache::from_bytes(&bytes);
        let files = read(&mut cache);
        assert!(
            files.iter().flatten().all(|note| note.bytes.is_empty()),
            "no bytes kept"
        );
        let (deck, new) = cached(files, cache);
        same(&deck, &fresh);
        assert!(new.is_none(), "nothing to write");

        // One file edited, one entry damaged: those two are read whole and parsed again, the third restored.
        write("b.md", "## 질문\n\n고친 답\n");
        let fresh = Deck::from_files(super::super::source::read_paths(&[dir.path()]));
        let mut damaged = bytes.clone();
        let at = damaged
            .windows("또 질문".len())
            .rposition(|w| w == "또 질문".as_bytes())
            .expect("c.md's entry");
        damaged[at] ^= 1;
        let mut cache = DeckCache::from_bytes(&damaged);
        let files = read(&mut cache);
        let kept: Vec<bool> = files.iter().flatten().map(|note| !note.bytes.is_empty()).collect();
        assert_eq!(kept, [false, true, true]);
        let (deck, new) = cached(files, cache);
        same(&deck, &fresh);
        let (_, afresh) = cached(super::super::source::read_paths(&[dir.path()]), DeckCache::default());
        assert_eq!(new, afresh, "the new cache is the one written afresh");
    }

    #[test]
    fn a_cache_rewritten_after_an_edit_is_the_one_written_afresh() {
        let (_, cache) = cached(notes(), DeckCache::default());
        let edited = || {
            let mut files = notes();
            files[0] = Ok(note("a.md", "## 질문\n\n고친 답\n"));
            files
        };
        let (deck, rewritten) = cached(edited(), DeckCache::from_bytes(&cache.expect("a cache")));
        let (fresh, afresh) = cached(edited(), DeckCache::default());
        same(&deck, &fresh);
        let rewritten = rewritten.expect("a new cache");
        assert_eq!(
            Some(&rewritten),
            afresh.as_ref(),
            "the kept entries copied as they were"
        );
        let (again, none) = cached(edited(), DeckCache::from_bytes(&rewritten));
        same(&again, &fresh);
        assert!(none.is_none());
    }

    #[test]
    fn a_cache_whose_file_changed_before_its_rewrite_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.deck");
        let (_, cache) = cached(notes(), DeckCache::default());
        let cache = cache.expect("a cache");
        std::fs::write(&path, &cache).unwrap();
        let mut edited = notes();
        edited[0] = Ok(note("a.md", "## 질문\n\n고친 답\n"));
        let (_, new) = Deck::from_files_cached(edited, DeckCache::open(&path));
        // Another process cut the file it still reads from before the new one was made.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(HEADER as u64)
            .unwrap();
        assert!(new.expect("a new cache").into_bytes().is_none());
    }

    #[test]
    fn a_renamed_or_retopiced_file_is_not_taken_from_the_cache() {
        let (_, cache) = cached(notes(), DeckCache::default());
        let cache = cache.expect("a cache");
        let mut moved = notes();
        moved[0] = Ok(NoteFile {
            topic: "other".into(),
            ..note("a.md", "## 질문\n\n답\n\n## 빈 곳\n\n## 질문\n\n다른 답\n")
        });
        moved[2] = Ok(note("c.md", "## 질문\n\n셋째 답\n\n- 열린 질문?\n"));
        let (deck, _) = cached(moved, DeckCache::from_bytes(&cache));
        let mut fresh_input = notes();
        fresh_input[0] = Ok(NoteFile {
            topic: "other".into(),
            ..note("a.md", "## 질문\n\n답\n\n## 빈 곳\n\n## 질문\n\n다른 답\n")
        });
        fresh_input[2] = Ok(note("c.md", "## 질문\n\n셋째 답\n\n- 열린 질문?\n"));
        same(&deck, &Deck::from_files(fresh_input));
        assert!(deck.cards.iter().all(|c| &*c.file != "b.md"));
    }

    #[test]
    fn a_removed_file_rewrites_the_cache_without_it() {
        let (_, cache) = cached(notes(), DeckCache::default());
        let mut fewer = notes();
        fewer.remove(2).expect("b.md was read");
        let (deck, rewritten) = cached(fewer, DeckCache::from_bytes(&cache.expect("a cache")));
        assert!(deck.cards.iter().all(|c| &*c.file != "b.md"));
        let rewritten = rewritten.expect("a smaller cache");
        let mut fewer = notes();
        fewer.remove(2).expect("b.md was read");
        assert!(cached(fewer, DeckCache::from_bytes(&rewritten)).1.is_none());
    }

    #[test]
    fn an_unusable_cache_is_ignored_and_rebuilt() {
        let fresh = Deck::from_files(notes());
        let (_, cache) = cached(notes(), DeckCache::default());
        let cache = cache.expect("a cache");
        let mut flipped = cache.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x55;
        let mut future = cache.clone();
        future[8..12].copy_from_slice(&(FORMAT + 1).to_le_bytes());
        let mut other_build = cache.clone();
        other_build[12] ^= 1;
        let mut longer = cache.clone();
        longer.push(0);
        // A body that is not postcard at all, with a header that vouches for it.
        let mut garbage = cache[..HEADER].to_vec();
        garbage.extend_from_slice(&[0xff; 40]);
        garbage[20..28].copy_from_slice(&40u64.to_le_bytes());
        let crc = crc32fast::hash(&garbage[HEADER..]);
        garbage[28..32].copy_from_slice(&crc.to_le_bytes());
        // Text that is not UTF-8, with a header that vouches for it: the first file's name made invalid.
        let mut latin1 = cache.clone();
        let at = latin1.windows(4).position(|w| w == b"a.md").expect("the file's name");
        latin1[at] = 0xe9;
        reseal(&mut latin1);
        // A table that says an entry lies beyond the end.
        let mut short = cache.clone();
        short.truncate(short.len() - 1);
        let body = (short.len() - HEADER) as u64;
        short[20..28].copy_from_slice(&body.to_le_bytes());
        let bad: Vec<(&str, Vec<u8>)> = vec![
            ("not UTF-8", latin1),
            ("shorter than its table says", short),
            ("missing", Vec::new()),
            ("cut in the header", cache[..HEADER - 1].to_vec()),
            ("cut in the body", cache[..cache.len() - 1].to_vec()),
            ("a flipped byte", flipped),
            ("a newer format", future),
            ("another build", other_build),
            ("a byte too many", longer),
            ("not postcard", garbage),
            ("not a cache", b"progress:\n  - id: x\n".repeat(4)),
        ];
        for (what, bytes) in bad {
            let (deck, rebuilt) = cached(notes(), DeckCache::from_bytes(&bytes));
            same(&deck, &fresh);
            assert_eq!(rebuilt.as_deref(), Some(cache.as_slice()), "{what}: rebuilt as it was");
        }
    }

    /// The header's CRC-32 of the table made right again after a change to the table.
    fn reseal(bytes: &mut [u8]) {
        let table = u32::from_le_bytes(bytes[HEADER..HEADER + 4].try_into().unwrap()) as usize;
        let crc = crc32fast::hash(&bytes[HEADER..HEADER + 4 + table]);
        bytes[28..32].copy_from_slice(&crc.to_le_bytes());
    }

    #[test]
    fn a_damaged_entry_is_a_miss_its_file_parsed_again() {
        let fresh = Deck::from_files(notes());
        let (_, cache) = cached(notes(), DeckCache::default());
        let cache = cache.expect("a cache");
        // A byte of the first question's text changed: the table is whole, the entry's CRC-32 is not.
        let mut damaged = cache.clone();
        let at = damaged
            .windows("질문".len())
            .position(|w| w == "질문".as_bytes())
            .expect("a question");
        damaged[at + 1] ^= 0x01;
        let (deck, rebuilt) = cached(notes(), DeckCache::from_bytes(&damaged));
        same(&deck, &fresh);
        assert_eq!(rebuilt.as_deref(), Some(cache.as_slice()), "rebuilt as it was");
    }

    #[test]
    fn an_entry_that_is_not_an_entry_is_refused_however_it_is_cut() {
        let note = note(
            "a.md",
            "## 질문\n\n답 **굵게**\n\n## 빈 곳\n\n## 다른 질문\n\n다른 답\n",
        );
        let part = super::super::parse_note(&note);
        assert!(part.cards.len() == 2 && !part.findings.is_empty());
        let (entry, head) = encode(&note, &part);
        let answers = (entry.len() - head) as u64;
        let back = decoded(&entry, head, &note).expect("an entry");
        assert_eq!(back.cards, part.cards);
        assert_eq!(back.findings, part.findings);
        assert!(
            back.cards.iter().all(|c| c.answer.is_stored()),
            "answers left where they are"
        );
        for len in 0..head {
            let cut = [&entry[..len], &entry[head..]].concat();
            assert!(decoded(&cut, len, &note).is_none(), "cut at {len}");
        }
        let longer = [&entry[..head], b"x", &entry[head..]].concat();
        assert!(decoded(&longer, head + 1, &note).is_none(), "a byte too many");
        for wrong in [answers - 1, answers + 1] {
            let from = Arc::new(Entries {
                source: Mutex::new(Source::Bytes(std::io::Cursor::new(entry.clone()))),
                path: None,
            });
            assert!(
                decode(&entry[..head], &note, (from, head as u64), wrong).is_none(),
                "answers of {wrong} bytes"
            );
        }
        // Text that is not UTF-8: the last byte of the question's first Hangul character.
        let mut latin1 = entry.clone();
        let at = latin1
            .windows("질".len())
            .position(|w| w == "질".as_bytes())
            .expect("a question");
        latin1[at + 2] = 0xff;
        assert!(decoded(&latin1, head, &note).is_none(), "not UTF-8");
    }

    /// [`decode`] of an entry made by [`encode`], its answers read from the same bytes.
    fn decoded(entry: &[u8], head: usize, note: &NoteFile) -> Option<FileDeck> {
        let from = Arc::new(Entries {
            source: Mutex::new(Source::Bytes(std::io::Cursor::new(entry.to_vec()))),
            path: None,
        });
        decode(&entry[..head], note, (from, head as u64), (entry.len() - head) as u64)
    }

    /// A cache file of [`notes`], and the deck restored from it.
    fn restored_from_file(dir: &std::path::Path) -> (std::path::PathBuf, Deck) {
        let (_, cache) = cached(notes(), DeckCache::default());
        let path = dir.join("notes.deck");
        std::fs::write(&path, cache.expect("a cache")).unwrap();
        let (deck, unchanged) = cached(notes(), DeckCache::open(&path));
        assert!(unchanged.is_none());
        (path, deck)
    }

    #[test]
    fn a_restored_decks_answers_are_read_from_the_cache_when_wanted_even_after_it_is_replaced() {
        let fresh = Deck::from_files(notes());
        let dir = tempfile::tempdir().unwrap();
        let (path, deck) = restored_from_file(dir.path());
        assert!(deck.cards.iter().all(|c| c.answer.is_stored()));
        assert!(fresh.cards.iter().all(|c| !c.answer.is_stored()));
        // A newer cache renamed over the file (another run after an edit): the deck's answers are in the old one.
        let other = dir.path().join("other.deck");
        std::fs::write(&other, b"not a cache").unwrap();
        std::fs::rename(&other, &path).unwrap();
        for (card, parsed) in deck.cards.iter().zip(&fresh.cards) {
            assert_eq!(card.answer.text(), parsed.answer.text());
            assert_eq!(card.answer_hash(), parsed.answer_hash());
            assert!(card.answer.is(&card.answer.clone()) && !card.answer.is(&parsed.answer));
        }
        same(&deck, &fresh);
    }

    /// A byte of the answer `다른 답` changed in the cache file at `path` in place, as only another program would:
    /// the same file, open under the deck.
    fn damage_in_place(path: &std::path::Path) {
        let mut bytes = std::fs::read(path).unwrap();
        let at = bytes
            .windows("다른 답".len())
            .position(|w| w == "다른 답".as_bytes())
            .expect("an answer");
        bytes[at + 1] ^= 0x01;
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(&bytes))
            .unwrap();
    }

    #[test]
    fn answers_held_a_file_at_a_time_are_the_parsed_ones_and_a_changed_one_stays_behind() {
        let fresh = Deck::from_files(notes());
        let dir = tempfile::tempdir().unwrap();
        let (path, mut deck) = restored_from_file(dir.path());
        crate::card::hold_answers(&mut deck.cards);
        assert!(deck.cards.iter().all(|c| !c.answer.is_stored()));
        same(&deck, &fresh);

        let (path_again, mut deck) = restored_from_file(dir.path());
        assert_eq!(path, path_again);
        damage_in_place(&path);
        crate::card::hold_answers(&mut deck.cards);
        let stored: Vec<usize> = deck
            .cards
            .iter()
            .filter(|c| c.answer.is_stored())
            .map(|c| c.line)
            .collect();
        assert_eq!(stored, [7], "only the changed answer is left where it was");
        for (card, parsed) in deck.cards.iter().zip(&fresh.cards).filter(|(c, _)| c.line != 7) {
            assert_eq!(card.answer.text(), parsed.answer.text());
        }
        let changed = deck.cards.iter().find(|c| c.line == 7).expect("the changed card");
        assert!(changed.answer.text().contains("could not be read back"));
    }

    #[test]
    fn an_answer_changed_in_the_cache_file_says_so_and_the_cache_is_given_up() {
        let dir = tempfile::tempdir().unwrap();
        let (path, deck) = restored_from_file(dir.path());
        damage_in_place(&path);
        let damaged = deck.cards.iter().find(|c| c.line == 7).expect("the card of 다른 답");
        let text = damaged.answer.text();
        assert!(
            text.contains("could not be read back") && !text.contains("다른"),
            "{text}"
        );
        assert!(!path.exists(), "the cache is deleted, so the next run parses the notes");
        let whole = deck.cards.iter().find(|c| c.line == 1).expect("the first card");
        assert_eq!(whole.answer.text(), "답", "an answer before the change reads as it was");
    }

    #[test]
    fn a_card_unlike_its_file_keeps_its_own_id_topic_and_file() {
        let note = note("a.md", "## 질문\n\n답\n");
        let mut part = super::super::parse_note(&note);
        let mut odd = part.cards[0].clone();
        odd.id = odd.id.with_suffix(2);
        odd.topic = "다른".into();
        odd.file = "b.md".into();
        odd.line = 1 << 40;
        part.cards.push(odd);
        let (entry, head) = encode(&note, &part);
        let back = decoded(&entry, head, &note).expect("an entry");
        assert_eq!(back.cards, part.cards);
    }

    #[test]
    fn every_kind_of_finding_is_numbered_and_read_back() {
        for each in [
            FindingKind::Stub,
            FindingKind::OpenQuestion,
            FindingKind::Duplicate,
            FindingKind::Skipped,
            FindingKind::Unreadable,
            FindingKind::Orphan,
            FindingKind::Moved,
            FindingKind::Repeat,
            FindingKind::Future,
        ] {
            assert_eq!(super::kind(kind_index(each)), Some(each));
        }
        assert_eq!(kind(u64::MAX), None);
    }

    #[test]
    fn the_bundled_deck_comes_back_from_the_cache_as_parsed() {
        let fresh = Deck::from_files(super::super::source::bundled().into_iter().map(Ok));
        let files = || super::super::source::bundled().into_iter().map(Ok);
        let (_, cache) = cached(files(), DeckCache::default());
        let (cached, none) = cached(files(), DeckCache::from_bytes(&cache.expect("a cache")));
        assert!(none.is_none());
        assert!(fresh.cards.len() > 50);
        same(&cached, &fresh);
    }
}
