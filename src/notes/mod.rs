//! Notes → cards: where notes come from, and the deck they make.
//!
//! [`parse`] turns one file's text into cards and is pure; [`source`] finds and reads the files; [`Deck`] puts
//! the files together and gives every card a distinct id.

mod finding;
mod parse;
#[cfg(test)]
mod parse_tests;
pub mod source;

pub use finding::{Finding, FindingKind};
pub use parse::{Parsed, normalize, parse};

use crate::card::{Card, TopicFilter};
use std::collections::HashMap;

/// One file of notes as read from disk or from the bundled deck, not yet decoded.
#[derive(Debug, Clone)]
pub struct NoteFile {
    /// How the file is named in cards and findings.
    pub file: String,
    /// The topic of its cards unless its front matter sets one.
    pub topic: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
}

/// Every card found in the notes, with what the parser passed over.
#[derive(Debug, Default)]
pub struct Deck {
    /// Cards in note order, with distinct ids.
    pub cards: Vec<Card>,
    /// Findings in note order.
    pub findings: Vec<Finding>,
}

impl Deck {
    /// Parses `files` in order; `findings` are problems met while finding them (missing paths, loops).
    pub fn from_files(files: impl IntoIterator<Item = NoteFile>, findings: Vec<Finding>) -> Deck {
        let mut deck = Deck {
            cards: Vec::new(),
            findings,
        };
        for note in files {
            match decode(&note) {
                Ok(text) if text.trim_start_matches('\u{feff}').trim().is_empty() => {
                    let finding = Finding::new(&note.file, None, FindingKind::Skipped, "empty file");
                    deck.findings.push(finding);
                }
                Ok(text) => {
                    let parsed = parse(text, &note.file, &note.topic);
                    deck.cards.extend(parsed.cards);
                    deck.findings.extend(parsed.findings);
                }
                Err(finding) => deck.findings.push(finding),
            }
        }
        deck.disambiguate();
        deck
    }

    /// Gives the second and later cards that share an id a ` ~2`, ` ~3`, … suffix, and reports each.
    fn disambiguate(&mut self) {
        let mut first: HashMap<String, usize> = HashMap::with_capacity(self.cards.len());
        let mut dups = Vec::new();
        for (i, card) in self.cards.iter().enumerate() {
            if let Some(&earlier) = first.get(card.id.as_str()) {
                dups.push((i, earlier));
            } else {
                first.insert(card.id.as_str().to_owned(), i);
            }
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, earlier) in dups {
            let base = self.cards[i].id.clone();
            let count = seen.entry(base.as_str().to_owned()).or_insert(1);
            let id = loop {
                *count += 1;
                let id = base.with_suffix(*count);
                if !first.contains_key(id.as_str()) {
                    break id;
                }
            };
            first.insert(id.as_str().to_owned(), i);
            let (other, card) = (&self.cards[earlier], &self.cards[i]);
            let message = format!(
                "\"{}\" is asked again (first at {}:{}) under the same topic and headings; this one's id is \"{id}\"",
                card.question, other.file, other.line
            );
            let finding = Finding::about(&card.file, card.line, FindingKind::Duplicate, &card.question, message);
            self.findings.push(finding);
            self.cards[i].id = id;
        }
    }

    /// Whether some notes could not be read.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// The cards that pass `filter`, in note order.
    pub fn filtered<'a>(&'a self, filter: &'a TopicFilter) -> impl Iterator<Item = &'a Card> + 'a {
        self.cards.iter().filter(move |c| filter.matches(c))
    }

    /// Each topic of the cards that pass `filter`, with its number of cards, in order of first appearance.
    pub fn topics(&self, filter: &TopicFilter) -> Vec<(String, usize)> {
        let mut topics: Vec<(String, usize)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for card in self.filtered(filter) {
            match index.get(card.topic.as_str()) {
                Some(&i) => topics[i].1 += 1,
                None => {
                    index.insert(&card.topic, topics.len());
                    topics.push((card.topic.clone(), 1));
                }
            }
        }
        topics
    }
}

/// The file's text, or why it is not notes: binary content or invalid UTF-8 (with the line where it breaks).
fn decode(note: &NoteFile) -> Result<&str, Finding> {
    let unreadable = |line, message: String| Finding::new(&note.file, line, FindingKind::Unreadable, message);
    if let Some(nul) = note.bytes.iter().position(|&b| b == 0) {
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
            bytes: text.to_vec(),
        }
    }

    #[test]
    fn duplicate_questions_get_distinct_ids_and_a_finding() {
        let a = note("a.md", "## 같은 질문\n\n첫 답\n\n## 같은 질문\n\n둘째 답\n".as_bytes());
        let b = note("b.md", "## 같은 질문\n\n셋째 답\n".as_bytes());
        let deck = Deck::from_files([a, b], vec![]);
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["t/같은 질문", "t/같은 질문 ~2", "t/같은 질문 ~3"]);
        let dups: Vec<String> = deck.findings.iter().map(|f| f.to_string()).collect();
        assert_eq!(dups.len(), 2);
        assert!(dups[0].starts_with("a.md:5: duplicate: \"같은 질문\" is asked again (first at a.md:1)"));
        assert!(dups[1].starts_with("b.md:1: duplicate:"));
    }

    #[test]
    fn a_suffix_never_collides_with_a_real_id() {
        let a = note("a.md", "## X\n\n1\n\n## X ~2\n\n2\n\n## X\n\n3\n".as_bytes());
        let deck = Deck::from_files([a], vec![]);
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
        let deck = Deck::from_files(files, vec![]);
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
        let deck = Deck::from_files([b, a], vec![]);
        let all = deck.topics(&TopicFilter::default());
        assert_eq!(all, [("web".to_string(), 2), ("t".to_string(), 1)]);
        assert_eq!(deck.topics(&TopicFilter::new(&["WEB"])), [("web".to_string(), 2)]);
    }
}
