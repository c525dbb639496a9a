//! Notes → cards: where notes come from, and the deck they make.
//!
//! [`parse`] turns one file's text into cards and is pure; [`source`] finds and reads the files; [`Deck`] puts
//! the files together and gives every card a distinct id. [`answer_out`] writes an answer written in a quiz into
//! its note file.

pub mod answer_out;
mod cache;
mod clean;
mod finding;
mod names;
mod parse;
#[cfg(test)]
mod parse_tests;
mod place;
pub mod source;
mod topics;

pub use cache::{DeckCache, NewCache};
pub use finding::{Finding, FindingKind};
pub(crate) use parse::asks;
pub use parse::{Parsed, nfc, normalize, parse};
pub use place::{PlaceError, place_answer};
pub use topics::{Topic, TopicRow, tree as topic_tree};

use crate::card::{Card, TopicFilter};
use std::collections::{HashMap, HashSet};

/// One file of notes as read from disk or from the bundled deck, not yet decoded.
#[derive(Debug, Clone)]
pub struct NoteFile {
    /// How the file is named in cards and findings.
    pub file: String,
    /// The topic of its cards unless its front matter sets one.
    pub topic: String,
    /// The folders between its notes folder and it, outermost first (see [`Card::folders`]): shared by its cards.
    pub folders: std::sync::Arc<[String]>,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// Every card found in the notes, the questions asked without a written answer, and what the parser passed over.
#[derive(Debug, Default)]
pub struct Deck {
    /// Cards in note order, with distinct ids, and among them the questions asked without a written answer (a
    /// heading with nothing under it, a question bank's items, follow-up questions): their answers are empty
    /// ([`Card::is_question`]). Both are drilled; `--cards-only` leaves the questions out.
    pub cards: Vec<Card>,
    /// Findings in note order.
    pub findings: Vec<Finding>,
}

impl Deck {
    /// Parses the files in order. An `Err` is a path that gave no file (missing, a folder without notes, a
    /// symlink loop); it is reported where it was met. Findings come out in note order.
    pub fn from_files(files: impl IntoIterator<Item = Result<NoteFile, Finding>>) -> Deck {
        let files: Vec<Result<NoteFile, Finding>> = files.into_iter().collect();
        let notes: Vec<&NoteFile> = files.iter().filter_map(|f| f.as_ref().ok()).collect();
        let mut parsed = parse_all(&notes).into_iter();
        Deck::assemble(files.iter().map(|file| match file {
            Ok(_) => Ok(parsed.next().expect("one result per file")),
            Err(finding) => Err(finding.clone()),
        }))
    }

    /// Puts the files' cards and findings together in order: ids made distinct across the deck, findings in
    /// note order.
    fn assemble(files: impl IntoIterator<Item = Result<FileDeck, Finding>>) -> Deck {
        let files: Vec<Result<FileDeck, Finding>> = files.into_iter().collect();
        // Room for every card at once: grown by doubling, the deck's 1.5 MB of cards at 10,000 was copied as often
        // and held twice at its peak.
        let total = files.iter().flatten().map(|file| file.cards.len()).sum();
        let mut cards = Vec::with_capacity(total);
        // Each card's and finding's position among `files`, to keep findings in note order.
        let mut card_origin = Vec::with_capacity(total);
        let mut questions = Vec::new();
        let mut question_origin = Vec::new();
        let mut findings: Vec<(usize, Finding)> = Vec::new();
        for (n, file) in files.into_iter().enumerate() {
            match file {
                Ok(file) => {
                    card_origin.extend(std::iter::repeat_n(n, file.cards.len()));
                    cards.extend(file.cards);
                    question_origin.extend(std::iter::repeat_n(n, file.questions.len()));
                    questions.extend(file.questions);
                    findings.extend(file.findings.into_iter().map(|f| (n, f)));
                }
                Err(finding) => findings.push((n, finding)),
            }
        }
        // Questions share the cards' ids, made distinct after them: put behind the cards for it, so a card's id
        // never changes because a question was written.
        let had_questions = !questions.is_empty();
        let mut asked = cards.len();
        if had_questions {
            cards.append(&mut questions);
            card_origin.append(&mut question_origin);
        }
        // A copy of a file in another folder (a site's `docs/` beside the notes) gives no second card.
        let copied = copies(&cards);
        if !copied.is_empty() {
            let at: Vec<usize> = copied.iter().map(|(i, _)| *i).collect();
            findings.extend(copied.into_iter().map(|(i, f)| (card_origin[i], f)));
            asked -= at.partition_point(|&i| i < asked);
            remove_at(&mut cards, &at);
            remove_at(&mut card_origin, &at);
        }
        let (found, repeats) = disambiguate(&mut cards);
        findings.extend(found.into_iter().map(|(i, f)| (card_origin[i], f)));
        let mut asked_left = asked;
        if !repeats.is_empty() {
            asked_left -= repeats.partition_point(|&i| i < asked);
            remove_at(&mut cards, &repeats);
            remove_at(&mut card_origin, &repeats);
        }
        if had_questions {
            let questions = cards.split_off(asked_left);
            let origins = card_origin.split_off(asked_left);
            cards = in_note_order(cards, &card_origin, questions, &origins);
        }
        findings.sort_by_key(|(n, f)| (*n, f.line.unwrap_or(0)));
        Deck {
            cards,
            findings: findings.into_iter().map(|(_, f)| f).collect(),
        }
    }

    /// The cards with written answers, without the questions asked without one.
    pub fn answered(&self) -> impl Iterator<Item = &Card> {
        self.cards.iter().filter(|card| !card.is_question())
    }

    /// Whether some notes could not be read.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// The cards that pass `filter`, in note order.
    pub fn filtered<'a>(&'a self, filter: &'a TopicFilter) -> impl Iterator<Item = &'a Card> + 'a {
        self.cards.iter().filter(move |c| filter.matches(c))
    }
}

/// `cards` and `questions` (each in note order, `origin`s their files' places) merged in note order: a question
/// goes before the first card of a later file, or of its file on a later line.
fn in_note_order(cards: Vec<Card>, card_origin: &[usize], questions: Vec<Card>, origins: &[usize]) -> Vec<Card> {
    let mut merged = Vec::with_capacity(cards.len() + questions.len());
    let mut cards = cards.into_iter().zip(card_origin).peekable();
    for (question, &n) in questions.into_iter().zip(origins) {
        while let Some((card, _)) = cards.next_if(|(card, o)| **o < n || (**o == n && card.line < question.line)) {
            merged.push(card);
        }
        merged.push(question);
    }
    merged.extend(cards.map(|(card, _)| card));
    merged
}

/// What one file of notes gave: its cards and answerless questions (ids not yet distinct across the deck) and
/// findings, in note order.
#[derive(Debug, Clone, PartialEq)]
struct FileDeck {
    cards: Vec<Card>,
    questions: Vec<Card>,
    findings: Vec<Finding>,
}

/// Parses one file: an empty file or one that is not text gives a finding and no cards.
fn parse_note(note: &NoteFile) -> FileDeck {
    match decode(note) {
        Ok(text) if text.trim_start_matches('\u{feff}').trim().is_empty() => FileDeck {
            cards: Vec::new(),
            questions: Vec::new(),
            findings: vec![Finding::new(&note.file, None, FindingKind::Skipped, "empty file")],
        },
        Ok(text) => {
            let mut parsed = parse(text, &note.file, &note.topic);
            if !note.folders.is_empty() {
                for card in parsed.cards.iter_mut().chain(&mut parsed.questions) {
                    card.id = card.id.under(&note.folders);
                    card.folders = std::sync::Arc::clone(&note.folders);
                }
            }
            FileDeck {
                cards: parsed.cards,
                questions: parsed.questions,
                findings: parsed.findings,
            }
        }
        Err(finding) => FileDeck {
            cards: Vec::new(),
            questions: Vec::new(),
            findings: vec![finding],
        },
    }
}

/// Parses the files, in order, on as many threads as there are cores (each file is parsed alone, so the result is
/// the same as one after the other). Few or small files are parsed on this thread: a thread costs more.
fn parse_all(notes: &[&NoteFile]) -> Vec<FileDeck> {
    const WORTH_A_THREAD: usize = 64 * 1024;
    let total: usize = notes.iter().map(|n| n.bytes.len()).sum();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(notes.len())
        .min(total / WORTH_A_THREAD + 1);
    if threads <= 1 {
        return notes.iter().map(|n| parse_note(n)).collect();
    }
    // Consecutive runs of files of about the same size each, so the threads finish together.
    let share = total.div_ceil(threads);
    let mut runs: Vec<&[&NoteFile]> = Vec::with_capacity(threads);
    let (mut start, mut size) = (0, 0);
    for (i, note) in notes.iter().enumerate() {
        size += note.bytes.len();
        if size >= share && runs.len() + 1 < threads {
            runs.push(&notes[start..=i]);
            (start, size) = (i + 1, 0);
        }
    }
    runs.push(&notes[start..]);
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|run| scope.spawn(move || run.iter().map(|n| parse_note(n)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Gives the second and later cards that share an id a ` ~2`, ` ~3`, … suffix, and a `duplicate` finding each,
/// with the index of its card. A card that repeats the question and the answer of the first with its id (a section
/// pasted twice) gets a finding that says so instead, and its index in the second list, in order: it is not a
/// second card.
fn disambiguate(cards: &mut [Card]) -> (Vec<(usize, Finding)>, Vec<usize>) {
    // Most decks repeat no id: a set of borrowed ids says so without copying any.
    let mut ids: HashSet<&str, foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(cards.len(), Default::default());
    if cards.iter().all(|card| ids.insert(card.id.as_str())) {
        return (Vec::new(), Vec::new());
    }
    drop(ids);
    let mut first: HashMap<String, usize> = HashMap::with_capacity(cards.len());
    let mut dups = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        if let Some(&earlier) = first.get(card.id.as_str()) {
            dups.push((i, earlier));
        } else {
            first.insert(card.id.as_str().to_owned(), i);
        }
    }
    let mut count: HashMap<String, usize> = HashMap::new();
    let mut findings = Vec::with_capacity(dups.len());
    let mut repeats = Vec::new();
    for (i, earlier) in dups {
        if cards[i].answer == cards[earlier].answer {
            let (card, other) = (&cards[i], &cards[earlier]);
            let message = format!(
                "\"{}\" is asked again with the same answer (first at {}:{}); not a second card",
                card.question, other.file, other.line
            );
            let finding = Finding::about(&card.file, card.line, FindingKind::Duplicate, &card.question, message);
            findings.push((i, finding));
            repeats.push(i);
            continue;
        }
        let base = cards[i].id.clone();
        let n = count.entry(base.as_str().to_owned()).or_insert(1);
        let id = loop {
            *n += 1;
            let id = base.with_suffix(*n);
            if !first.contains_key(id.as_str()) {
                break id;
            }
        };
        first.insert(id.as_str().to_owned(), i);
        let (other, card) = (&cards[earlier], &cards[i]);
        let message = format!(
            "\"{}\" is asked again (first at {}:{}) under the same topic and headings; this one's id is \"{id}\"",
            card.question, other.file, other.line
        );
        findings.push((
            i,
            Finding::about(&card.file, card.line, FindingKind::Duplicate, &card.question, message),
        ));
        cards[i].id = id;
    }
    (findings, repeats)
}

/// The cards that repeat an earlier card of another folder, with a finding each, in order: the same topic,
/// headings, question and answer (a notes file copied into a site's `docs/`). Flat notes have none to look for.
fn copies(cards: &[Card]) -> Vec<(usize, Finding)> {
    use std::hash::{BuildHasher, Hash, Hasher};
    if cards.iter().all(|c| c.folders.is_empty()) {
        return Vec::new();
    }
    let state = foldhash::fast::FixedState::default();
    // The answer's hash is only worked out for a card whose question repeats one (its text is read for it).
    let key = |c: &Card| {
        let mut h = state.build_hasher();
        c.topic.hash(&mut h);
        c.path.hash(&mut h);
        c.question.hash(&mut h);
        h.finish()
    };
    let mut first: HashMap<u64, usize, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(cards.len(), state.clone());
    let mut found = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        match first.entry(key(card)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
            std::collections::hash_map::Entry::Occupied(e) => {
                let other = &cards[*e.get()];
                let same = other.folders != card.folders
                    && other.topic == card.topic
                    && other.path == card.path
                    && other.question == card.question
                    && other.answer.hash() == card.answer.hash();
                if same {
                    let message = format!(
                        "\"{}\" is a copy of {}:{} in another folder; not a second card",
                        card.question, other.file, other.line
                    );
                    found.push((
                        i,
                        Finding::about(&card.file, card.line, FindingKind::Duplicate, &card.question, message),
                    ));
                }
            }
        }
    }
    found
}

/// `items` without those at the indices `at` (ascending).
fn remove_at<T>(items: &mut Vec<T>, at: &[usize]) {
    let mut n = 0;
    items.retain(|_| {
        n += 1;
        at.binary_search(&(n - 1)).is_err()
    });
}

/// The file's text, or why it is not notes: binary content or invalid UTF-8 (with the line where it breaks).
fn decode(note: &NoteFile) -> Result<&str, Finding> {
    let unreadable = |line, message: String| Finding::new(&note.file, line, FindingKind::Unreadable, message);
    // `contains` is a fast scan; the position is only wanted for the rare binary file.
    if let Some(nul) = note
        .bytes
        .contains(&0)
        .then(|| note.bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        let line = note.bytes[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(unreadable(Some(line), "binary file (NUL byte), not markdown".into()));
    }
    std::str::from_utf8(&note.bytes).map_err(|e| {
        let valid = &note.bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        unreadable(
            Some(line),
            format!("not valid UTF-8 (byte {column} of the line); save it as UTF-8"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(file: &str, text: &[u8]) -> NoteFile {
        NoteFile {
            file: file.into(),
            topic: "t".into(),
            folders: Default::default(),
            bytes: text.to_vec(),
        }
    }

    #[test]
    fn duplicate_questions_get_distinct_ids_and_a_finding() {
        let a = note("a.md", "## 같은 질문\n\n첫 답\n\n## 같은 질문\n\n둘째 답\n".as_bytes());
        let b = note("b.md", "## 같은 질문\n\n셋째 답\n".as_bytes());
        let deck = Deck::from_files([Ok(a), Ok(b)]);
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["t/같은 질문", "t/같은 질문 ~2", "t/같은 질문 ~3"]);
        let dups: Vec<String> = deck.findings.iter().map(|f| f.to_string()).collect();
        assert_eq!(dups.len(), 2);
        assert!(dups[0].starts_with("a.md:5: duplicate: \"같은 질문\" is asked again (first at a.md:1)"));
        assert!(dups[1].starts_with("b.md:1: duplicate:"));
    }

    #[test]
    fn a_question_asked_again_with_the_same_answer_is_one_card() {
        let a = note(
            "a.md",
            "## 큐\n\n### isEmpty\n\n비었는지\n\n## 큐\n\n### isEmpty\n\n비었는지\n".as_bytes(),
        );
        let deck = Deck::from_files([Ok(a)]);
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["t/큐/isEmpty"]);
        let found: Vec<String> = deck.findings.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            found,
            ["a.md:9: duplicate: \"isEmpty\" is asked again with the same answer (first at a.md:3); not a second card"]
        );
    }

    #[test]
    fn questions_without_an_answer_keep_ids_of_their_own_and_their_places_in_note_order() {
        let a = note("a.md", "## 빈 곳\n\n## 질문\n\n답\n\n## 질문\n\n".as_bytes());
        let b = note("b.md", "## 둘째\n\n답\n\n- 열린 질문?\n\n## 끝\n\n".as_bytes());
        let deck = Deck::from_files([Ok(a), Ok(b)]);
        let ids = |cards: &mut dyn Iterator<Item = &Card>| cards.map(|c| c.id.as_str().to_owned()).collect::<Vec<_>>();
        assert_eq!(ids(&mut deck.answered()), ["t/질문", "t/둘째"]);
        // A question sharing a card's id is told apart after it; the card's id never changes for it.
        assert_eq!(
            ids(&mut deck.cards.iter()),
            ["t/빈 곳", "t/질문", "t/질문 ~2", "t/둘째", "t/둘째/열린 질문?", "t/끝"]
        );
        let questions: Vec<bool> = deck.cards.iter().map(Card::is_question).collect();
        assert_eq!(questions, [true, false, true, false, true, true]);
    }

    #[test]
    fn a_file_copied_into_another_folder_gives_no_second_card() {
        let text = "## 질문\n\n답\n\n## 빈 곳\n".as_bytes();
        let root = note("cs.md", text);
        let mut copy = note("docs/cs.md", text);
        copy.folders = vec!["docs".to_owned()].into();
        let mut edited = note("old/cs.md", "## 질문\n\n다른 답\n".as_bytes());
        edited.folders = vec!["old".to_owned()].into();
        let deck = Deck::from_files([Ok(root), Ok(copy), Ok(edited)]);
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["t/질문", "t/빈 곳", "old/t/질문"],
            "a copy goes, a different answer stays"
        );
        assert_eq!(
            deck.cards.iter().filter(|c| c.is_question()).count(),
            1,
            "the copy's question goes too"
        );
        let found: Vec<String> = deck
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Duplicate)
            .map(|f| f.to_string())
            .collect();
        assert_eq!(
            found,
            [
                "docs/cs.md:1: duplicate: \"질문\" is a copy of cs.md:1 in another folder; not a second card",
                "docs/cs.md:5: duplicate: \"빈 곳\" is a copy of cs.md:5 in another folder; not a second card",
            ]
        );
    }

    #[test]
    fn a_suffix_never_collides_with_a_real_id() {
        let a = note("a.md", "## X\n\n1\n\n## X ~2\n\n2\n\n## X\n\n3\n".as_bytes());
        let deck = Deck::from_files([Ok(a)]);
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["t/X", "t/X ~2", "t/X ~3"]);
    }

    #[test]
    fn binary_invalid_and_empty_files_are_reported_not_parsed() {
        let files = [
            note("bin.md", b"## a\n\0\0"),
            note("latin1.md", b"## caf\xe9\n"),
            note("empty.md", b""),
            note("blank.md", b"\xef\xbb\xbf \n\n"),
            note("ok.md", "## 질문\n\n답\n".as_bytes()),
        ];
        let deck = Deck::from_files(files.map(Ok));
        let found: Vec<String> = deck.findings.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            found,
            [
                "bin.md:2: unreadable: binary file (NUL byte), not markdown",
                "latin1.md:1: unreadable: not valid UTF-8 (byte 7 of the line); save it as UTF-8",
                "empty.md: skipped: empty file",
                "blank.md: skipped: empty file",
            ]
        );
        assert!(deck.has_errors());
        assert_eq!(deck.cards.len(), 1);
    }

    #[test]
    fn topics_count_in_order_of_first_appearance() {
        let mut b = note("b.md", "## 1\n\nx\n\n## 2\n\ny\n".as_bytes());
        b.topic = "web".into();
        let a = note("a.md", "## 3\n\nz\n".as_bytes());
        let deck = Deck::from_files([Ok(b), Ok(a)]);
        let counts = |filter: &TopicFilter| {
            let topics = deck.topics(filter);
            topics.into_iter().map(|t| (t.topic, t.cards)).collect::<Vec<_>>()
        };
        assert_eq!(
            counts(&TopicFilter::default()),
            [("web".to_string(), 2), ("t".to_string(), 1)]
        );
        assert_eq!(counts(&TopicFilter::new(&["WEB"])), [("web".to_string(), 2)]);
    }
}
