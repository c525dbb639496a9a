//! A card: one question and the answer to say out loud, with where it came from.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

/// The stable name of a card, written into progress files.
///
/// It is built from the folders above the card's file, the topic, the heading path and the question, all NFC with
/// whitespace collapsed, joined with `/` (`network/TCP vs UDP`, `CS/Network/tcp/3-way handshake`). The answer never takes part, so editing an answer keeps the id and the progress.
/// Cards that would share an id get a ` ~2`, ` ~3`, … suffix in note order (see [`crate::notes::Deck`]).
///
/// The text is shared: a clone is a count, not a copy, so the 100,000 lines of a log can name their 10,000 cards
/// with one string each (see `store::log`). Ids compare, order and hash by their text, as a `str` does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardId(Arc<str>);

impl CardId {
    /// The id a card gets from its topic, heading path and question, in no folder.
    pub fn new(topic: &str, path: &[String], question: &str) -> Self {
        CardId::in_folders(&[], topic, path, question)
    }

    /// The id a card gets from its folders, topic, heading path and question: [`CardId::new`]
    /// [`under`](CardId::under) the folders, made at once.
    pub fn in_folders(folders: &[String], topic: &str, path: &[String], question: &str) -> Self {
        thread_local! {
            /// The text of the id being made: one string for them all, copied once into the id.
            static MAKING: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        MAKING.with_borrow_mut(|id| {
            id.clear();
            for folder in folders {
                id.push_str(folder);
                id.push('/');
            }
            id.push_str(topic);
            for part in path.iter().map(String::as_str).chain([question]) {
                id.push('/');
                id.push_str(part);
            }
            CardId(Arc::from(id.as_str()))
        })
    }

    /// This id under `folders` (outermost first): `Network/tcp/…` for `tcp/…`. Without folders it is this id.
    pub fn under(&self, folders: &[String]) -> Self {
        if folders.is_empty() {
            return self.clone();
        }
        let mut id = folders.join("/");
        id.push('/');
        id.push_str(&self.0);
        CardId(id.into())
    }

    /// This id with the disambiguating suffix for its `n`th occurrence (`n` ≥ 2).
    pub fn with_suffix(&self, n: usize) -> Self {
        CardId(format!("{} ~{n}", self.0).into())
    }

    /// An id as read back from a progress file.
    pub(crate) fn from_stored(id: String) -> Self {
        CardId(id.into())
    }

    /// [`CardId::from_stored`], from the text as it stands in the file.
    pub(crate) fn from_stored_str(id: &str) -> Self {
        CardId(id.into())
    }

    /// The id as written in files.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Written as its text, a plain string.
impl Serialize for CardId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CardId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(CardId::from_stored)
    }
}

/// So a set of ids can be looked up by text: an id hashes and compares as its `str`.
impl Borrow<str> for CardId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One question and its answer, as found in the notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    /// Stable identity, see [`CardId`].
    pub id: CardId,
    /// Front matter `topic:`, else the file's stem, else (for `README.md`/`index.md`) its folder's name. Shared
    /// by the cards of a file, as is `file`.
    pub topic: Arc<str>,
    /// The headings above the question, outermost first.
    pub path: Vec<String>,
    /// The question, as plain text.
    pub question: String,
    /// The answer, as markdown.
    pub answer: Answer,
    /// The file it came from, relative to its notes folder (or as given for a file named directly).
    pub file: Arc<str>,
    /// 1-based line where the question starts.
    pub line: usize,
    /// The folders between the notes folder and the file, outermost first, NFC (none for a file at the top or named
    /// directly; a last folder that is the topic, as for `db/README.md`, is not repeated). Shared by the cards of a
    /// file; part of the id.
    pub folders: Arc<[String]>,
}

impl Card {
    /// A short fingerprint of the answer (16 hex digits), stored with the progress so a changed answer can be
    /// shown as changed.
    pub fn answer_hash(&self) -> String {
        format!("{:016x}", self.answer.hash())
    }

    /// Whether this is a question asked without a written answer (a heading with nothing under it, an item of a
    /// question bank, a follow-up question): drilled aloud and graded on the user's own rating.
    pub fn is_question(&self) -> bool {
        self.answer.is_empty()
    }

    /// Where the card stands, outermost first: its folders, its topic and the headings above its question.
    pub fn context(&self) -> impl Iterator<Item = &str> {
        let folders = self.folders.iter().map(String::as_str);
        folders
            .chain([&*self.topic])
            .chain(self.path.iter().map(String::as_str))
    }

    /// True when a folder, the topic, a path element or the question contains `needle`, ignoring case.
    ///
    /// `needle` must already be lower-cased NFC, as [`TopicFilter::new`] makes it.
    fn contains(&self, needle: &str) -> bool {
        let has = |s: &str| s.to_lowercase().contains(needle);
        self.context().any(has) || has(&self.question)
    }
}

/// The questions of the cards that are parts of `cards[i]`: the cards right under its question in its file (its
/// sub-sections, and the questions asked inside its section), in note order. An answer that only leads in to its
/// sub-sections says little without them, so a front end shows them after it. `cards` must be in note order, as a
/// deck (or any subset of it) keeps them: a card's parts follow it.
pub fn parts(cards: &[Card], i: usize) -> Vec<&str> {
    part_indices(cards, i).map(|p| cards[p].question.as_str()).collect()
}

/// Where the parts of `cards[i]` are in `cards` (see [`parts`]).
fn part_indices(cards: &[Card], i: usize) -> impl Iterator<Item = usize> + '_ {
    let card = cards.get(i);
    let depth = card.map_or(0, |card| card.path.len());
    let under = move |other: &Card| {
        card.is_some_and(|card| {
            other.file == card.file
                && other.folders == card.folders
                && other.path.len() > depth
                && other.path[..depth] == card.path[..]
                && other.path[depth] == card.question
        })
    };
    let from = (i + 1).min(cards.len());
    cards[from..]
        .iter()
        .take_while(move |other| under(other))
        .enumerate()
        .filter(move |(_, other)| other.path.len() == depth + 1)
        .map(move |(n, _)| from + n)
}

/// The follow-up questions (꼬리 질문) of `cards[i]`, as places in `cards`: when it asks, those of its parts that ask
/// too (a question in the `<details>` of a question, a list of questions under a question item, a question
/// sub-heading under a question heading).
pub fn follow_ups(cards: &[Card], i: usize) -> Vec<usize> {
    if !cards.get(i).is_some_and(|card| crate::notes::asks(&card.question)) {
        return Vec::new();
    }
    part_indices(cards, i)
        .filter(|&p| crate::notes::asks(&cards[p].question))
        .collect()
}

/// For each of `cards`, the place of the question it is a follow-up of ([`follow_up_of`] of every card), in one pass:
/// each card's candidate is the last card before it in its file with a shorter path, and each question is asked
/// about (whether it asks) once.
pub fn follow_up_parents(cards: &[Card]) -> Vec<Option<usize>> {
    let mut asks: Vec<Option<bool>> = vec![None; cards.len()];
    let mut asked = |i: usize| *asks[i].get_or_insert_with(|| crate::notes::asks(&cards[i].question));
    // The last card of the file so far at each path length.
    let mut last: Vec<Option<usize>> = Vec::new();
    let mut parents = Vec::with_capacity(cards.len());
    for (i, card) in cards.iter().enumerate() {
        if i > 0 && !same_file(&cards[i - 1], card) {
            last.clear();
        }
        let depth = card.path.len();
        let candidate = last.iter().take(depth).flatten().copied().max();
        let parent = candidate.filter(|&p| {
            let parent = &cards[p];
            card.path
                .split_last()
                .is_some_and(|(question, above)| parent.path == above && parent.question == *question)
                && asked(p)
                && asked(i)
        });
        parents.push(parent);
        if last.len() <= depth {
            last.resize(depth + 1, None);
        }
        last[depth] = Some(i);
    }
    parents
}

/// Whether two cards come from the same file: the file and folders a deck's cards of one file share are one
/// allocation, so most comparisons end at the pointers.
fn same_file(a: &Card, b: &Card) -> bool {
    (Arc::ptr_eq(&a.file, &b.file) || a.file == b.file)
        && (Arc::ptr_eq(&a.folders, &b.folders) || a.folders == b.folders)
}

/// The question `cards[i]` is a follow-up of (see [`follow_ups`]), as a place in `cards`: the card above it in its
/// file whose question its path ends in, when both ask. Looks back no further than that card.
pub fn follow_up_of(cards: &[Card], i: usize) -> Option<usize> {
    let card = cards.get(i)?;
    let (last, above) = card.path.split_last()?;
    // The cards between a parent and its follow-up are under the parent, deeper than the follow-up's parent.
    let p = cards[..i]
        .iter()
        .rposition(|other| other.file != card.file || other.path.len() < card.path.len())?;
    let parent = &cards[p];
    let is_parent =
        parent.file == card.file && parent.folders == card.folders && parent.path == above && parent.question == *last;
    (is_parent && crate::notes::asks(&parent.question) && crate::notes::asks(&card.question)).then_some(p)
}

/// A card's answer, as markdown: its text, or where the cache of parsed notes holds it, read when it is wanted.
///
/// At 10,000 cards the answers are 5 of the deck's 5.5 MB. A deck restored from the cache (see
/// [`crate::notes::cache`]) leaves them there: a drill reads the one it shows, and a start touches none of them.
/// Answers compare, hash and serialize as their text.
#[derive(Clone)]
pub struct Answer(Held);

#[derive(Clone)]
enum Held {
    Text(String),
    Stored(StoredAnswer),
}

/// An answer left in the cache: where it is, the [`stable_hash`] of its text, and the CRC-32 its bytes must have
/// when they are read.
#[derive(Clone)]
pub(crate) struct StoredAnswer {
    /// What holds it.
    pub(crate) from: Arc<dyn AnswerStore>,
    /// Its place there.
    pub(crate) at: u64,
    /// Its length in bytes.
    pub(crate) len: usize,
    /// The [`stable_hash`] of its text.
    pub(crate) hash: u64,
    /// The CRC-32 of its bytes.
    pub(crate) crc: u32,
}

impl StoredAnswer {
    /// Its text, read from what holds it and checked against its CRC-32.
    fn read(&self) -> Result<String, Damaged> {
        let damaged = |why: &str| Damaged {
            from: Arc::clone(&self.from),
            at: self.at,
            len: self.len,
            why: why.to_owned(),
        };
        let bytes = self.from.read(self.at, self.len).map_err(|why| damaged(&why))?;
        if crc32fast::hash(&bytes) != self.crc {
            return Err(damaged("its bytes changed"));
        }
        String::from_utf8(bytes).map_err(|_| damaged("its bytes changed"))
    }
}

/// An answer that could not be read back from the cache of parsed notes: the cache it was left in, its place
/// there, and why (the bytes changed in place, or the file could not be read). A value a quiz holds and shows in
/// place of the answer; the cache is given up by whoever fetched it ([`Damaged::forget_cache`]), never while
/// drawing.
#[derive(Clone)]
pub struct Damaged {
    from: Arc<dyn AnswerStore>,
    at: u64,
    len: usize,
    why: String,
}

impl Damaged {
    /// Gives up the cache that held the answer, so the next run reads the notes again.
    pub fn forget_cache(&self) {
        self.from.forget();
    }

    /// What to show in place of the answer, as markdown.
    pub fn markdown(&self) -> String {
        format!("*({self}.)*")
    }

    /// Whether `other` is the same answer found damaged (the same place in the same cache).
    pub fn is(&self, other: &Damaged) -> bool {
        Arc::ptr_eq(&self.from, &other.from) && self.at == other.at && self.len == other.len
    }
}

/// `The answer could not be read back from amgi's cache of parsed notes: its bytes changed. The next run reads the
/// notes again`.
impl fmt::Display for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The answer could not be read back from amgi's cache of parsed notes: {}. The next run reads the notes \
             again",
            self.why
        )
    }
}

impl fmt::Debug for Damaged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Damaged")
            .field("at", &self.at)
            .field("len", &self.len)
            .field("why", &self.why)
            .finish_non_exhaustive()
    }
}

/// What holds answers left out of a deck: the cache of parsed notes (`notes::cache`), which this core module does
/// not otherwise know.
pub(crate) trait AnswerStore: Send + Sync {
    /// `len` bytes at `at`, or why they could not be read.
    fn read(&self, at: u64, len: usize) -> Result<Vec<u8>, String>;
    /// Gives up on what holds the answers, whose bytes were not what was put there: the next run reads the notes.
    fn forget(&self);
}

impl Answer {
    /// An answer held as a place in `from`.
    pub(crate) fn stored(stored: StoredAnswer) -> Self {
        Answer(Held::Stored(stored))
    }

    /// Whether there is no answer: the card is a question asked without a written answer. Reads nothing.
    pub fn is_empty(&self) -> bool {
        match &self.0 {
            Held::Text(text) => text.is_empty(),
            Held::Stored(stored) => stored.len == 0,
        }
    }

    /// The answer's text. One left in the cache is read now; when its bytes are not the answer that was put there
    /// (the file was changed in place, or the disk failed), the text says so, and the cache is given up. For a
    /// command that wants the text whatever happens (`cards --json`); a quiz fetches the answer of the card up
    /// once, when it comes up ([`Answer::fetch`]), and draws only what it holds.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        let stored = match &self.0 {
            Held::Text(text) => return std::borrow::Cow::Borrowed(text),
            Held::Stored(stored) => stored,
        };
        std::borrow::Cow::Owned(stored.read().unwrap_or_else(|damaged| {
            damaged.forget_cache();
            damaged.markdown()
        }))
    }

    /// The answer's text, read now when it is left in the cache, or why it could not be read: what a quiz holds
    /// for the card up, so that drawing it reads nothing. Reads nothing but this answer, and gives up nothing:
    /// on [`Damaged`] the caller decides ([`Damaged::forget_cache`]).
    pub fn fetch(&self) -> Result<Arc<str>, Damaged> {
        match &self.0 {
            Held::Text(text) => Ok(Arc::from(text.as_str())),
            Held::Stored(stored) => stored.read().map(Arc::from),
        }
    }

    /// The [`stable_hash`] of the text.
    pub fn hash(&self) -> u64 {
        match &self.0 {
            Held::Text(text) => stable_hash(text.as_bytes()),
            Held::Stored(stored) => stored.hash,
        }
    }

    /// Whether `other` is this very answer (the same text, or the same place in the same cache), without reading
    /// either: what a layout kept for one is good for the other.
    pub fn is(&self, other: &Answer) -> bool {
        match (&self.0, &other.0) {
            (Held::Text(a), Held::Text(b)) => a == b,
            (Held::Stored(a), Held::Stored(b)) => Arc::ptr_eq(&a.from, &b.from) && a.at == b.at && a.len == b.len,
            _ => false,
        }
    }

    /// Whether the answer is left in the cache rather than held.
    #[cfg(test)]
    pub(crate) fn is_stored(&self) -> bool {
        matches!(self.0, Held::Stored(_))
    }
}

/// Reads the answers of `cards` that are left in the cache, so that each is held: for a command that wants every
/// answer (`cards --json`), the answers of one file are read at once rather than one by one. One whose bytes are
/// not what was put there stays where it is, and says so when it is read ([`Answer::text`]).
pub fn hold_answers(cards: &mut [Card]) {
    let mut first = 0;
    while first < cards.len() {
        let Held::Stored(run) = &cards[first].answer.0 else {
            first += 1;
            continue;
        };
        // The answers stored one after the other: those of one file, in note order.
        let (from, start) = (Arc::clone(&run.from), run.at);
        let (mut end, mut next) = (first, start);
        while let Some(Held::Stored(s)) = cards.get(end).map(|c| &c.answer.0)
            && Arc::ptr_eq(&s.from, &from)
            && s.at == next
        {
            next += s.len as u64;
            end += 1;
        }
        let Ok(bytes) = from.read(start, usize::try_from(next - start).unwrap_or(usize::MAX)) else {
            first = end;
            continue;
        };
        // Checked as UTF-8 at once; each answer's place must then fall between characters.
        let whole = simdutf8::basic::from_utf8(&bytes).ok();
        for card in &mut cards[first..end] {
            let Held::Stored(s) = &card.answer.0 else { continue };
            let at = usize::try_from(s.at - start).unwrap_or(usize::MAX);
            let range = at..at.saturating_add(s.len);
            let text = whole
                .and_then(|text| text.get(range.clone()))
                .filter(|text| crc32fast::hash(text.as_bytes()) == s.crc);
            if let Some(text) = text {
                card.answer = text.into();
            }
        }
        first = end;
    }
}

impl From<String> for Answer {
    fn from(text: String) -> Self {
        Answer(Held::Text(text))
    }
}

impl From<&str> for Answer {
    fn from(text: &str) -> Self {
        Answer(Held::Text(text.to_owned()))
    }
}

impl PartialEq for Answer {
    fn eq(&self, other: &Answer) -> bool {
        if let (Held::Stored(a), Held::Stored(b)) = (&self.0, &other.0)
            && (a.hash != b.hash || a.len != b.len)
        {
            return false;
        }
        self.is(other) || self.text() == other.text()
    }
}

impl Eq for Answer {}

impl PartialEq<str> for Answer {
    fn eq(&self, other: &str) -> bool {
        self.text() == other
    }
}

impl PartialEq<&str> for Answer {
    fn eq(&self, other: &&str) -> bool {
        self.text() == *other
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text(), f)
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// FNV-1a, 64 bits: a hash that stays the same across builds and platforms, for values written to files.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The `--topic` filter: a card matches when any of the given words is a case-insensitive substring of one of its
/// folders, its topic, a path element or its question. No words match every card.
#[derive(Debug, Clone, Default)]
pub struct TopicFilter {
    needles: Vec<String>,
}

impl TopicFilter {
    /// A filter from the words as the user typed them (they are put in NFC and lower-cased here).
    pub fn new<S: AsRef<str>>(words: &[S]) -> Self {
        use unicode_normalization::UnicodeNormalization;
        let needles = words
            .iter()
            .map(|w| w.as_ref().trim().nfc().collect::<String>().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        TopicFilter { needles }
    }

    /// Whether no words were given (every card passes).
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Whether `card` passes the filter.
    pub fn matches(&self, card: &Card) -> bool {
        self.needles.is_empty() || self.needles.iter().any(|n| card.contains(n))
    }
}

/// Answers left in a store that counts its reads and how often it was given up, for tests of when a quiz reads
/// answers and gives up the cache.
#[cfg(test)]
pub(crate) mod counted {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The answers of some cards, one after the other, as a cache of parsed notes keeps them.
    #[derive(Default)]
    pub(crate) struct CountedStore {
        bytes: Vec<u8>,
        reads: AtomicUsize,
        forgotten: AtomicUsize,
    }

    impl CountedStore {
        /// How many answers were read.
        pub(crate) fn reads(&self) -> usize {
            self.reads.load(Ordering::SeqCst)
        }

        /// How many times the store was given up.
        pub(crate) fn forgotten(&self) -> usize {
            self.forgotten.load(Ordering::SeqCst)
        }
    }

    impl AnswerStore for CountedStore {
        fn read(&self, at: u64, len: usize) -> Result<Vec<u8>, String> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            let at = usize::try_from(at).map_err(|e| e.to_string())?;
            self.bytes
                .get(at..at + len)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| "it is no longer there".into())
        }

        fn forget(&self) {
            self.forgotten.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Leaves the answers of `cards` in a new store, as a deck restored from the cache has them; the answers of
    /// the cards at `damaged` have a byte changed there, as by another program writing into the cache file.
    pub(crate) fn store(cards: &mut [Card], damaged: &[usize]) -> Arc<CountedStore> {
        let mut bytes = Vec::new();
        let mut places = Vec::new();
        for card in cards.iter() {
            let text = card.answer.text();
            places.push((
                bytes.len() as u64,
                text.len(),
                stable_hash(text.as_bytes()),
                crc32fast::hash(text.as_bytes()),
            ));
            bytes.extend_from_slice(text.as_bytes());
        }
        for &i in damaged {
            bytes[usize::try_from(places[i].0).unwrap()] ^= 0x01;
        }
        let store = Arc::new(CountedStore {
            bytes,
            ..CountedStore::default()
        });
        let from: Arc<dyn AnswerStore> = store.clone();
        for (card, (at, len, hash, crc)) in cards.iter_mut().zip(places) {
            card.answer = Answer::stored(StoredAnswer {
                from: Arc::clone(&from),
                at,
                len,
                hash,
                crc,
            });
        }
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(topic: &str, path: &[&str], question: &str) -> Card {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        Card {
            id: CardId::new(topic, &path, question),
            topic: topic.into(),
            path,
            question: question.into(),
            answer: "a".into(),
            file: "f.md".into(),
            line: 1,
            folders: Arc::default(),
        }
    }

    #[test]
    fn a_fetched_answer_is_read_now_and_a_damaged_one_is_a_value_that_gives_up_nothing() {
        let mut cards = [card("network", &[], "TCP?"), card("network", &[], "UDP?")];
        cards[0].answer = "연결 지향".into();
        cards[1].answer = "데이터그램".into();
        assert_eq!(&*cards[0].answer.fetch().unwrap(), "연결 지향", "a held answer");
        let store = counted::store(&mut cards, &[1]);
        assert_eq!(store.reads(), 0, "nothing read until fetched");
        assert_eq!(&*cards[0].answer.fetch().unwrap(), "연결 지향");
        assert_eq!(store.reads(), 1);
        let damaged = cards[1].answer.fetch().unwrap_err();
        assert_eq!(store.forgotten(), 0, "fetching gives up nothing");
        assert_eq!(
            damaged.markdown(),
            "*(The answer could not be read back from amgi's cache of parsed notes: its bytes changed. The next \
             run reads the notes again.)*"
        );
        assert!(damaged.is(&cards[1].answer.fetch().unwrap_err()));
        damaged.forget_cache();
        assert_eq!(store.forgotten(), 1);
        assert_eq!(
            cards[1].answer.text(),
            damaged.markdown(),
            "text says so, and gives the cache up"
        );
        assert_eq!(store.forgotten(), 2);
    }

    #[test]
    fn the_parts_of_a_card_are_the_cards_right_under_its_question_in_its_file() {
        let mut cards = vec![
            card("network", &[], "TCP와 UDP"),
            card("network", &["TCP와 UDP"], "TCP"),
            card("network", &["TCP와 UDP", "TCP"], "3-way handshake"),
            card("network", &["TCP와 UDP"], "UDP"),
            card("network", &[], "DNS"),
            card("network", &["DNS"], "TTL"),
        ];
        assert_eq!(parts(&cards, 0), ["TCP", "UDP"], "children, not grandchildren");
        assert_eq!(parts(&cards, 1), ["3-way handshake"]);
        assert!(parts(&cards, 3).is_empty(), "a sibling's part is not its own");
        assert_eq!(parts(&cards, 4), ["TTL"]);
        assert!(parts(&cards, 6).is_empty(), "past the end");
        cards[1].file = "other.md".into();
        assert!(parts(&cards, 0).is_empty(), "only in its own file");
        let mut apart = card("network", &["TCP와 UDP"], "TCP");
        apart.folders = Arc::from(vec!["copy".to_string()]);
        assert!(
            parts(&[card("network", &[], "TCP와 UDP"), apart], 0).is_empty(),
            "nor in another folder"
        );
    }

    /// The cards and questions of `md`, in note order, as a deck keeps them.
    fn noted(md: &str) -> Vec<Card> {
        let parsed = crate::notes::parse(md, "t.md", "t");
        let mut all = parsed.cards;
        all.extend(parsed.questions);
        all.sort_by_key(|c| c.line);
        all
    }

    fn follow_up_links(md: &str) -> Vec<(usize, Option<usize>, Vec<usize>)> {
        let cards = noted(md);
        (0..cards.len())
            .map(|i| {
                (
                    cards[i].line,
                    follow_up_of(&cards, i).map(|p| cards[p].line),
                    follow_ups(&cards, i),
                )
            })
            .collect()
    }

    #[test]
    fn follow_up_parents_in_one_pass_are_those_found_one_by_one() {
        let md = "## DNS란?\n\n이름을 주소로.\n\n### TTL은 왜 필요한가요?\n\n### 캐시는 어디에 있나요?\n\n#### 브라우저 캐시는?\n\n## 팀에 묻기\n\n- 해결하지 못한 문제는 무엇인가요?\n  - 자동화하지 못한 일이 있나요?\n\n## TCP와 UDP\n\n전송 계층.\n\n### TCP란?\n\n연결형.\n";
        let mut cards = noted(md);
        let mut other = noted("## 질문?\n\n답\n\n### 꼬리?\n\n");
        for card in &mut other {
            card.file = "u.md".into();
        }
        cards.extend(other);
        let one_by_one: Vec<Option<usize>> = (0..cards.len()).map(|i| follow_up_of(&cards, i)).collect();
        assert_eq!(follow_up_parents(&cards), one_by_one);
        assert_eq!(one_by_one.iter().flatten().count(), 5, "{one_by_one:?}");
    }

    #[test]
    fn follow_up_questions_are_linked_to_their_question_in_every_form() {
        // Question sub-headings under a question heading; a topic heading's sub-sections are parts, not follow-ups.
        let headings = "## DNS란?\n\n이름을 주소로.\n\n### TTL은 왜 필요한가요?\n\n## TCP와 UDP\n\n전송 계층.\n\n### TCP란?\n\n연결형.\n";
        assert_eq!(
            follow_up_links(headings),
            [
                (1, None, vec![1]),
                (5, Some(1), vec![]),
                (7, None, vec![]),
                (11, None, vec![])
            ]
        );
        // A nested list of questions under a question item.
        let list = "## 팀에 묻기\n\n- 해결하지 못한 문제는 무엇인가요?\n  - 자동화하지 못한 일이 있나요?\n  - 채용 기준은 분명한가요?\n";
        assert_eq!(
            follow_up_links(list),
            [(3, None, vec![1, 2]), (4, Some(3), vec![]), (5, Some(3), vec![])]
        );
        // The questions in the body of a `<details>` whose summary asks.
        let details = "## 운영체제\n\n<details>\n  <summary>시스템 콜이 무엇인지 설명해 주세요.</summary>\n<ul>\n<li> 시스템 콜의 예를 들어주세요.</li>\n<li> 왜 모드를 나누나요?</li>\n</ul>\n</details>\n";
        let links = follow_up_links(details);
        assert_eq!(links.len(), 3, "{links:?}");
        assert_eq!(links[0].2, [1, 2]);
        assert_eq!((links[1].1, links[2].1), (Some(links[0].0), Some(links[0].0)));
    }

    #[test]
    fn id_joins_topic_path_and_question() {
        let c = card("network", &["전송 계층"], "TCP vs UDP");
        assert_eq!(c.id.as_str(), "network/전송 계층/TCP vs UDP");
        assert_eq!(c.id.with_suffix(2).as_str(), "network/전송 계층/TCP vs UDP ~2");
    }

    #[test]
    fn ids_shared_or_not_compare_order_and_hash_as_their_text() {
        use std::hash::BuildHasher;
        let made = CardId::new("network", &["전송 계층".into()], "TCP vs UDP");
        let stored = CardId::from_stored_str("network/전송 계층/TCP vs UDP");
        let shared = stored.clone();
        let hasher = std::collections::hash_map::RandomState::new();
        for id in [&stored, &shared] {
            assert_eq!(*id, made);
            assert_eq!(id.cmp(&made), std::cmp::Ordering::Equal);
            assert_eq!(hasher.hash_one(id), hasher.hash_one(&made));
            // Looked up by text in a set of ids, as the log reader does.
            assert_eq!(hasher.hash_one(id), hasher.hash_one(id.as_str()));
        }
        let other = CardId::from_stored("network/전송 계층/TCP vs UDP ~2".to_owned());
        assert_ne!(other, made);
        assert!(made < other);
        assert_eq!(made.with_suffix(2), other);
        let set: std::collections::HashSet<CardId> = [made.clone()].into();
        assert_eq!(set.get("network/전송 계층/TCP vs UDP"), Some(&stored));
        assert_eq!(
            serde_json::to_string(&stored).unwrap(),
            "\"network/전송 계층/TCP vs UDP\""
        );
        assert_eq!(
            serde_json::from_str::<CardId>("\"network/전송 계층/TCP vs UDP\"").unwrap(),
            made
        );
    }

    #[test]
    fn topic_filter_matches_topic_path_or_question_ignoring_case() {
        let c = card("network", &["HTTP1.0 / 1.1"], "HTTP 1.1");
        assert!(TopicFilter::new(&["http"]).matches(&c));
        assert!(TopicFilter::new(&["NETWORK"]).matches(&c));
        assert!(!TopicFilter::new(&["database"]).matches(&c));
        assert!(TopicFilter::new(&["database", "1.1"]).matches(&c));
        assert!(TopicFilter::new::<&str>(&[]).matches(&c));
    }

    /// A card of `topic` in the folders `folders` (outermost first), as a file `folders…/topic.md` gives it.
    fn in_folders(folders: &[&str], topic: &str, path: &[&str], question: &str) -> Card {
        let mut c = card(topic, path, question);
        c.folders = folders.iter().map(|f| f.to_string()).collect();
        c.id = c.id.under(&c.folders);
        c
    }

    #[test]
    fn folders_come_first_in_the_id_and_the_context() {
        let c = in_folders(&["Computer Science", "Network"], "TCP", &["연결"], "3-way handshake?");
        assert_eq!(c.id.as_str(), "Computer Science/Network/TCP/연결/3-way handshake?");
        assert_eq!(
            c.context().collect::<Vec<_>>(),
            ["Computer Science", "Network", "TCP", "연결"]
        );
        // Two files of one name in two folders no longer share their cards' ids.
        let (java, kotlin) = (
            in_folders(&["java"], "stream", &[], "map?"),
            in_folders(&["kotlin"], "stream", &[], "map?"),
        );
        assert_ne!(java.id, kotlin.id);
        let path = ["연결".to_string()];
        assert_eq!(CardId::in_folders(&c.folders, "TCP", &path, "3-way handshake?"), c.id);
        let flat = card("TCP", &["연결"], "3-way handshake?");
        assert_eq!(flat.id.under(&[]), flat.id, "no folders, the id as it was");
        assert_eq!(flat.context().collect::<Vec<_>>(), ["TCP", "연결"]);
    }

    #[test]
    fn topic_filter_matches_a_folder_ignoring_case() {
        let c = in_folders(&["Computer Science", "Network"], "TCP", &[], "흐름 제어?");
        assert!(TopicFilter::new(&["network"]).matches(&c));
        assert!(TopicFilter::new(&["computer sc"]).matches(&c));
        assert!(!TopicFilter::new(&["database"]).matches(&c));
        let elsewhere = in_folders(&["Database"], "index", &[], "B-Tree?");
        assert!(!TopicFilter::new(&["network"]).matches(&elsewhere));
        // A folder named in NFD on disk is NFC in the card, and a word typed in NFD finds it.
        let korean = in_folders(&["네트워크"], "tcp", &[], "흐름 제어?");
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("네트워크").collect();
        assert!(TopicFilter::new(&[nfd]).matches(&korean));
    }

    #[test]
    fn topic_filter_normalises_decomposed_hangul() {
        let c = card("network", &[], "쿠키란?");
        // "쿠키" typed on a system that sends NFD.
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("쿠키").collect();
        assert_ne!(nfd, "쿠키");
        assert!(TopicFilter::new(&[nfd]).matches(&c));
    }
}
