//! A cache of the parsed deck: what each file of notes gave (its cards and findings), keyed by the file's name,
//! topic and content, so a drill on notes that did not change since the last run parses nothing, and after an
//! edit only the edited file is parsed again.
//!
//! The cache is disposable. Bytes that are not a whole cache of this build (missing, cut short, corrupt, written
//! by another build of amgi or in a newer format) are taken for an empty cache: every file is parsed and a new
//! cache is written. A hit gives the very cards and findings a parse of that text would, since [`super::parse`]
//! depends on nothing but the text, the file's name and its topic.
//!
//! The key is the content's length and a 64-bit hash, not the file's mtime: an edit within the same second, or a
//! tool that keeps mtimes, is still seen, and a `touch` or a checkout of the same text parses nothing.
//!
//! Layout: a 32-byte header (magic, format, build, body length, CRC-32 of the body), then the body in postcard:
//! a sequence of `(file, topic, length, hash, cards, findings)`, in note order.

use super::{Deck, FileDeck, Finding, FindingKind, NoteFile, parse_all};
use crate::card::{Card, CardId};
use serde::ser::{Serialize, Serializer};
use std::collections::HashMap;
use std::hash::BuildHasher;

const MAGIC: &[u8; 8] = b"amgidk\0\n";
/// Raised when the layout changes; a cache in a format after this one is ignored like any other.
const FORMAT: u32 = 1;
const HEADER: usize = 32;

/// What changes what a parse gives besides the notes: the parser's sources, this file, and the crates they use.
const BUILD_SOURCES: [&str; 9] = [
    env!("CARGO_PKG_VERSION"),
    include_str!("mod.rs"),
    include_str!("parse.rs"),
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

/// A fast hash of a file's bytes that stays the same from run to run (a fixed seed).
fn content_hash(bytes: &[u8]) -> u64 {
    foldhash::quality::FixedState::with_seed(0x616d_6769_6465_636b).hash_one(bytes)
}

/// One file's entry in the cache, as read back. A card's id and file are stored only when they are not the ones
/// its topic, path and question and its note file give, as they almost always are: less to read back.
type StoredCard = (Option<String>, String, Vec<String>, String, String, Option<String>, u64);
type StoredFinding = (String, Option<u64>, FindingKind, String, Option<String>);
type StoredFile = (String, String, u64, u64, Vec<StoredCard>, Vec<StoredFinding>);

/// The same, borrowed from the cache's bytes: text is checked as UTF-8 by [`text`], several times faster on
/// Hangul than the check serde makes.
type RawCard<'a> = (
    Option<&'a [u8]>,
    &'a [u8],
    Vec<&'a [u8]>,
    &'a [u8],
    &'a [u8],
    Option<&'a [u8]>,
    u64,
);
type RawFinding<'a> = (&'a [u8], Option<u64>, FindingKind, &'a [u8], Option<&'a [u8]>);
type RawFile<'a> = (&'a [u8], &'a [u8], u64, u64, Vec<RawCard<'a>>, Vec<RawFinding<'a>>);

/// Stored text, when it is UTF-8.
fn text(bytes: &[u8]) -> Option<String> {
    simdutf8::basic::from_utf8(bytes).ok().map(str::to_owned)
}

/// A stored file with its text checked.
fn owned(raw: RawFile<'_>) -> Option<StoredFile> {
    let (file, topic, len, hash, cards, findings) = raw;
    let cards = cards
        .into_iter()
        .map(|(id, topic, path, question, answer, file, line)| {
            Some((
                id.map_or(Some(None), |t| text(t).map(Some))?,
                text(topic)?,
                path.into_iter().map(text).collect::<Option<_>>()?,
                text(question)?,
                text(answer)?,
                file.map_or(Some(None), |t| text(t).map(Some))?,
                line,
            ))
        })
        .collect::<Option<_>>()?;
    let findings = findings
        .into_iter()
        .map(|(file, line, kind, message, question)| {
            Some((
                text(file)?,
                line,
                kind,
                text(message)?,
                question.map_or(Some(None), |t| text(t).map(Some))?,
            ))
        })
        .collect::<Option<_>>()?;
    Some((text(file)?, text(topic)?, len, hash, cards, findings))
}

/// What identifies a file's content in the cache: its length and hash.
type Content = (u64, u64);

/// A cache of parsed notes as read back: what each file gave, by the file's content.
#[derive(Debug, Default)]
pub struct DeckCache {
    by_content: HashMap<Content, Vec<StoredFile>>,
    /// Whether the bytes were a whole cache of this build (else it is empty and wants writing).
    usable: bool,
}

impl DeckCache {
    /// The cache in `bytes`, the contents of a cache file (empty when there is none). Bytes that are not a whole
    /// cache of this build and format give an empty cache, never an error.
    pub fn from_bytes(bytes: &[u8]) -> DeckCache {
        match read(bytes) {
            Some(by_content) => DeckCache {
                by_content,
                usable: true,
            },
            None => DeckCache::default(),
        }
    }
}

impl Deck {
    /// [`Deck::from_files`] with a cache: a file whose name, topic and content `cache` holds is not parsed
    /// again. The deck is the one [`Deck::from_files`] would give, whatever `cache` holds.
    ///
    /// Returns, besides the deck, the bytes of the cache to keep when they differ from `cache` (a file was
    /// parsed, one is gone, or `cache` was not usable), else `None`.
    pub fn from_files_cached(
        files: impl IntoIterator<Item = Result<NoteFile, Finding>>,
        cache: DeckCache,
    ) -> (Deck, Option<Vec<u8>>) {
        let mut files: Vec<Result<NoteFile, Finding>> = files.into_iter().collect();
        let DeckCache {
            by_content: mut stored,
            usable,
        } = cache;
        let stored_files: usize = stored.values().map(Vec::len).sum();
        let mut parts: Vec<Option<FileDeck>> = Vec::with_capacity(files.len());
        let mut keys: Vec<Option<Content>> = Vec::with_capacity(files.len());
        for file in &mut files {
            let Ok(note) = file else {
                parts.push(None);
                keys.push(None);
                continue;
            };
            let content = (note.bytes.len() as u64, content_hash(&note.bytes));
            keys.push(Some(content));
            let hit = stored.get_mut(&content).and_then(|same| {
                let at = same.iter().position(|s| s.0 == note.file && s.1 == note.topic)?;
                Some(same.swap_remove(at))
            });
            match hit {
                Some(file) => {
                    parts.push(Some(restore(file, note)));
                    // Not wanted any more: the deck's text comes from the cache.
                    note.bytes = Vec::new();
                }
                None => parts.push(None),
            }
        }
        let misses: Vec<&NoteFile> = files
            .iter()
            .zip(&parts)
            .filter_map(|(file, part)| file.as_ref().ok().filter(|_| part.is_none()))
            .collect();
        let mut parsed = parse_all(&misses).into_iter();
        let hits = files.iter().filter(|f| f.is_ok()).count() - misses.len();
        let changed = !usable || !misses.is_empty() || hits != stored_files;
        drop(stored);
        for (part, file) in parts.iter_mut().zip(&files) {
            if file.is_ok() && part.is_none() {
                *part = parsed.next();
            }
        }
        let new_cache = changed.then(|| write(&files, &keys, &parts));
        let deck = Deck::assemble(files.iter().zip(parts).map(|(file, part)| match file {
            Ok(_) => Ok(part.expect("every file parsed or restored")),
            Err(finding) => Err(finding.clone()),
        }));
        (deck, new_cache)
    }
}

/// The cache's files by content, or `None` when `bytes` are not a whole cache of this build and format.
fn read(bytes: &[u8]) -> Option<HashMap<Content, Vec<StoredFile>>> {
    let (header, body) = (bytes.get(..HEADER)?, &bytes[HEADER..]);
    let word = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    let long = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"));
    let whole = &header[..8] == MAGIC
        && word(8) == FORMAT
        && long(12) == build()
        && long(20) == body.len() as u64
        && word(28) == crc32fast::hash(body);
    if !whole {
        return None;
    }
    let (files, rest): (Vec<RawFile<'_>>, _) = postcard::take_from_bytes(body).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let mut by_content: HashMap<Content, Vec<StoredFile>> = HashMap::with_capacity(files.len());
    for file in files {
        let file = owned(file)?;
        by_content.entry((file.2, file.3)).or_default().push(file);
    }
    Some(by_content)
}

/// A file's cards and findings as they were stored, for `note`.
fn restore((_, _, _, _, cards, findings): StoredFile, note: &NoteFile) -> FileDeck {
    FileDeck {
        cards: cards
            .into_iter()
            .map(|(id, topic, path, question, answer, file, line)| Card {
                id: id.map_or_else(|| CardId::new(&topic, &path, &question), CardId::from_stored),
                topic,
                path,
                question,
                answer,
                file: file.unwrap_or_else(|| note.file.clone()),
                line: usize::try_from(line).unwrap_or(usize::MAX),
            })
            .collect(),
        findings: findings
            .into_iter()
            .map(|(file, line, kind, message, question)| Finding {
                file,
                line: line.map(|l| usize::try_from(l).unwrap_or(usize::MAX)),
                kind,
                message,
                question,
            })
            .collect(),
    }
}

/// The bytes of a cache of `parts`, the files' results.
fn write(files: &[Result<NoteFile, Finding>], keys: &[Option<Content>], parts: &[Option<FileDeck>]) -> Vec<u8> {
    let entries: Vec<Entry<'_>> = files
        .iter()
        .zip(keys)
        .zip(parts)
        .filter_map(|((file, key), part)| {
            let (note, key, part) = (file.as_ref().ok()?, (*key)?, part.as_ref()?);
            Some(Entry { note, key, part })
        })
        .collect();
    // Serializing owned text into a Vec cannot fail; were it to, the header-only cache would not be read.
    let mut bytes = postcard::to_extend(&entries, vec![0; HEADER]).unwrap_or_else(|_| vec![0; HEADER]);
    let body_len = (bytes.len() - HEADER) as u64;
    let crc = crc32fast::hash(&bytes[HEADER..]);
    bytes[..8].copy_from_slice(MAGIC);
    bytes[8..12].copy_from_slice(&FORMAT.to_le_bytes());
    bytes[12..20].copy_from_slice(&build().to_le_bytes());
    bytes[20..28].copy_from_slice(&body_len.to_le_bytes());
    bytes[28..32].copy_from_slice(&crc.to_le_bytes());
    bytes
}

/// One file as written: the same shape as [`StoredFile`], borrowed.
struct Entry<'a> {
    note: &'a NoteFile,
    key: Content,
    part: &'a FileDeck,
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cards = Seq(self.part.cards.iter().map(|c| {
            let id = Some(c.id.as_str()).filter(|&id| id != CardId::new(&c.topic, &c.path, &c.question).as_str());
            let file = Some(c.file.as_str()).filter(|&file| file != self.note.file);
            (id, &c.topic, &c.path, &c.question, &c.answer, file, c.line as u64)
        }));
        let findings = Seq(self
            .part
            .findings
            .iter()
            .map(|f| (&f.file, f.line.map(|l| l as u64), f.kind, &f.message, &f.question)));
        (
            &self.note.file,
            &self.note.topic,
            self.key.0,
            self.key.1,
            cards,
            findings,
        )
            .serialize(s)
    }
}

/// A sequence written straight from an iterator, without collecting it first.
struct Seq<I>(I);

impl<I, T> Serialize for Seq<I>
where
    I: Iterator<Item = T> + Clone,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(file: &str, text: &str) -> NoteFile {
        NoteFile {
            file: file.into(),
            topic: "t".into(),
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

    fn same(a: &Deck, b: &Deck) {
        assert_eq!(a.cards, b.cards);
        assert_eq!(a.findings, b.findings);
    }

    #[test]
    fn a_cached_deck_is_the_parsed_deck() {
        let fresh = Deck::from_files(notes());
        let (first, cache) = Deck::from_files_cached(notes(), DeckCache::default());
        same(&first, &fresh);
        let cache = cache.expect("a first cache");
        let (again, unchanged) = Deck::from_files_cached(notes(), DeckCache::from_bytes(&cache));
        same(&again, &fresh);
        assert!(unchanged.is_none(), "nothing changed, nothing to write");
        assert!(!fresh.findings.is_empty() && fresh.cards.len() == 3);
    }

    #[test]
    fn an_edited_file_is_parsed_again_even_at_the_same_length() {
        let (_, cache) = Deck::from_files_cached(notes(), DeckCache::default());
        let cache = cache.expect("a cache");
        let mut edited = notes();
        // The same number of bytes: only the content tells the edit.
        edited[2] = Ok(note("b.md", "## 질문\n\n넷째 답\n\n- 열린 질문?\n"));
        let (deck, rewritten) = Deck::from_files_cached(edited, DeckCache::from_bytes(&cache));
        assert!(deck.cards.iter().any(|c| c.answer == "넷째 답"));
        assert!(!deck.cards.iter().any(|c| c.answer == "셋째 답"));
        let mut fresh_input = notes();
        fresh_input[2] = Ok(note("b.md", "## 질문\n\n넷째 답\n\n- 열린 질문?\n"));
        same(&deck, &Deck::from_files(fresh_input));
        assert!(rewritten.is_some());
    }

    #[test]
    fn a_renamed_or_retopiced_file_is_not_taken_from_the_cache() {
        let (_, cache) = Deck::from_files_cached(notes(), DeckCache::default());
        let cache = cache.expect("a cache");
        let mut moved = notes();
        moved[0] = Ok(NoteFile {
            topic: "other".into(),
            ..note("a.md", "## 질문\n\n답\n\n## 빈 곳\n\n## 질문\n\n다른 답\n")
        });
        moved[2] = Ok(note("c.md", "## 질문\n\n셋째 답\n\n- 열린 질문?\n"));
        let (deck, _) = Deck::from_files_cached(moved, DeckCache::from_bytes(&cache));
        let mut fresh_input = notes();
        fresh_input[0] = Ok(NoteFile {
            topic: "other".into(),
            ..note("a.md", "## 질문\n\n답\n\n## 빈 곳\n\n## 질문\n\n다른 답\n")
        });
        fresh_input[2] = Ok(note("c.md", "## 질문\n\n셋째 답\n\n- 열린 질문?\n"));
        same(&deck, &Deck::from_files(fresh_input));
        assert!(deck.cards.iter().all(|c| c.file != "b.md"));
    }

    #[test]
    fn a_removed_file_rewrites_the_cache_without_it() {
        let (_, cache) = Deck::from_files_cached(notes(), DeckCache::default());
        let mut fewer = notes();
        fewer.remove(2).expect("b.md was read");
        let (deck, rewritten) = Deck::from_files_cached(fewer, DeckCache::from_bytes(&cache.expect("a cache")));
        assert!(deck.cards.iter().all(|c| c.file != "b.md"));
        let rewritten = rewritten.expect("a smaller cache");
        let mut fewer = notes();
        fewer.remove(2).expect("b.md was read");
        assert!(
            Deck::from_files_cached(fewer, DeckCache::from_bytes(&rewritten))
                .1
                .is_none()
        );
    }

    #[test]
    fn an_unusable_cache_is_ignored_and_rebuilt() {
        let fresh = Deck::from_files(notes());
        let (_, cache) = Deck::from_files_cached(notes(), DeckCache::default());
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
        let crc = crc32fast::hash(&latin1[HEADER..]);
        latin1[28..32].copy_from_slice(&crc.to_le_bytes());
        let bad: Vec<(&str, Vec<u8>)> = vec![
            ("not UTF-8", latin1),
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
            let (deck, rebuilt) = Deck::from_files_cached(notes(), DeckCache::from_bytes(&bytes));
            same(&deck, &fresh);
            assert_eq!(rebuilt.as_deref(), Some(cache.as_slice()), "{what}: rebuilt as it was");
        }
    }

    #[test]
    fn the_bundled_deck_comes_back_from_the_cache_as_parsed() {
        let fresh = Deck::from_files(super::super::source::bundled().into_iter().map(Ok));
        let files = || super::super::source::bundled().into_iter().map(Ok);
        let (_, cache) = Deck::from_files_cached(files(), DeckCache::default());
        let (cached, none) = Deck::from_files_cached(files(), DeckCache::from_bytes(&cache.expect("a cache")));
        assert!(none.is_none());
        assert!(fresh.cards.len() > 50);
        same(&cached, &fresh);
    }
}
