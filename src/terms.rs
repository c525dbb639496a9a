//! Key terms: the words of a note's answer that an answer written from memory should say, and which of them it
//! did. Pure: markdown and text in, terms out.
//!
//! The key terms are the bold text, the inline code, the first words of each top-level list item and the first
//! column of a table's body. A term is said when the written answer holds it after NFC, ignoring case and spaces;
//! a Korean particle at the end of either (`TCP는`) does not stop a match. The count only suggests a grade: the
//! user grades.

use crate::schedule::Grade;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;

/// A term longer than this many characters (a line of code, a whole sentence in bold) is no key term.
const MAX_TERM_CHARS: usize = 30;
/// A list item with no separator gives this many of its first words.
const ITEM_WORDS: usize = 3;

/// Korean particles (조사) and endings a term may carry at its end, longest first so that `에서` goes before `서`
/// could.
const PARTICLES: [&str; 27] = [
    "입니다",
    "에서",
    "으로",
    "이다",
    "이며",
    "이고",
    "에게",
    "까지",
    "부터",
    "처럼",
    "보다",
    "이란",
    "라는",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "란",
];

/// The key terms of an answer written in markdown, in the order they first appear, each once (terms the same
/// after normalising count once; the first spelling is kept). Empty when the answer has none.
pub fn key_terms(markdown: &str) -> Vec<String> {
    let mut found = Found::default();
    // Where the text being gathered goes, innermost last.
    let mut gathering: Vec<Gather> = Vec::new();
    let mut list_depth = 0usize;
    let mut in_table_head = false;
    let mut cell = 0usize;
    let mut strong = 0usize;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::List(_)) => {
                close_items(&mut gathering);
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if list_depth == 1 => gathering.push(Gather::item()),
            Event::End(TagEnd::Item) if list_depth == 1 => {
                // An item led by bold text or code has that as its term already.
                if let Some(Gather::Item { text, led: false, .. }) = gathering.pop() {
                    found.push(&first_words(&text));
                }
            }
            // The item's first words are those of its first paragraph or line: a nested list ends them.
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_)) => close_items(&mut gathering),
            Event::End(TagEnd::Paragraph) => close_items(&mut gathering),
            Event::Start(Tag::TableHead) => in_table_head = true,
            Event::End(TagEnd::TableHead) => in_table_head = false,
            Event::Start(Tag::TableRow) => cell = 0,
            Event::Start(Tag::TableCell) if !in_table_head && cell == 0 => gathering.push(Gather::Cell(String::new())),
            Event::End(TagEnd::TableCell) => {
                if !in_table_head
                    && cell == 0
                    && let Some(Gather::Cell(text)) = gathering.pop()
                {
                    found.push(&text);
                }
                cell += 1;
            }
            Event::Start(Tag::Strong) => {
                lead(&mut gathering);
                strong += 1;
                gathering.push(Gather::Strong(String::new()));
            }
            Event::End(TagEnd::Strong) => {
                strong = strong.saturating_sub(1);
                if let Some(Gather::Strong(text)) = gathering.pop() {
                    found.push(&text);
                }
            }
            Event::Code(code) => {
                lead(&mut gathering);
                if strong == 0 {
                    found.push(&code);
                }
                add_text(&mut gathering, &code);
            }
            Event::Text(text) => add_text(&mut gathering, &text),
            Event::SoftBreak | Event::HardBreak => {
                add_text(&mut gathering, " ");
                close_items(&mut gathering);
            }
            _ => {}
        }
    }
    found.terms
}

/// Text being gathered for a term.
enum Gather {
    /// A top-level list item's first words; `open` until its first line ends, `led` when it starts with bold
    /// text or code.
    Item { text: String, open: bool, led: bool },
    /// A table's first cell in a body row.
    Cell(String),
    /// Bold text.
    Strong(String),
}

impl Gather {
    fn item() -> Gather {
        Gather::Item {
            text: String::new(),
            open: true,
            led: false,
        }
    }
}

fn add_text(gathering: &mut [Gather], text: &str) {
    for gather in gathering {
        match gather {
            Gather::Item {
                text: item, open: true, ..
            }
            | Gather::Cell(item)
            | Gather::Strong(item) => item.push_str(text),
            Gather::Item { open: false, .. } => {}
        }
    }
}

/// Notes that bold text or code starts here: it leads an item that has no text yet.
fn lead(gathering: &mut [Gather]) {
    if let Some(Gather::Item { text, led, .. }) = gathering.last_mut()
        && text.trim().is_empty()
    {
        *led = true;
    }
}

/// Ends the first line of the items being gathered.
fn close_items(gathering: &mut [Gather]) {
    for gather in gathering {
        if let Gather::Item { text, open, .. } = gather
            && !text.trim().is_empty()
        {
            *open = false;
        }
    }
}

/// The first words of a list item: up to a separator (`:`, ` - `, `—`, `(`, `,`, `.` ending a sentence), at most
/// a few, and none after one that ends in a particle (that word without it).
fn first_words(text: &str) -> String {
    let text = text.trim();
    let mut end = text.len();
    for separator in [":", " - ", "—", " – ", "(", "（", ",", ". ", "→", "="] {
        if let Some(at) = text.find(separator) {
            end = end.min(at);
        }
    }
    let head = text[..end].trim();
    // A word that ends in a particle ends the phrase (`가상 메모리를 쓰면` gives `가상 메모리`); a word that only
    // links it to the item before (`그래서`) is no part of it.
    let mut words = Vec::new();
    let linked = head.split_whitespace().skip_while(|word| CONNECTIVES.contains(word));
    for word in linked.take(ITEM_WORDS) {
        match strip_particle(word) {
            Some(stem) => {
                words.push(stem);
                break;
            }
            None => words.push(word),
        }
    }
    let phrase = words.join(" ");
    // An item that starts with a whole sentence (`아닙니다.`) has no term to give.
    if phrase.ends_with('다') { String::new() } else { phrase }
}

/// Words that start a list item by linking it to what came before.
const CONNECTIVES: [&str; 9] = [
    "그래서",
    "그러나",
    "하지만",
    "따라서",
    "즉",
    "또한",
    "또",
    "단",
    "그리고",
];

/// `word` without a trailing particle, when at least two characters are left.
fn strip_particle(word: &str) -> Option<&str> {
    PARTICLES
        .iter()
        .find_map(|particle| word.strip_suffix(particle).filter(|stem| stem.chars().count() >= 2))
}

/// Terms found so far, each once.
#[derive(Default)]
struct Found {
    terms: Vec<String>,
    keys: Vec<String>,
}

impl Found {
    fn push(&mut self, term: &str) {
        let term = term.trim().trim_end_matches(['.', ',', ':', ';', '!', '?']).trim();
        // One character other than a Latin letter or digit (`예`, `=`) is too little to count as said or missed;
        // `A` (a DNS record) is a term.
        let one = term.chars().count() == 1 && !term.chars().all(|c| c.is_ascii_alphanumeric());
        if term.is_empty() || one || term.chars().count() > MAX_TERM_CHARS {
            return;
        }
        let key = term_key(term);
        if key.is_empty() || self.keys.contains(&key) {
            return;
        }
        self.keys.push(key);
        self.terms.push(term.to_string());
    }
}

/// `text` in NFC, lower case, with no white space: what matching compares.
fn compact(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A term as matching compares it: [`compact`], without a trailing particle when at least two characters are
/// left (`세션은` is `세션`; `평가` keeps its `가`).
fn term_key(term: &str) -> String {
    let key = compact(term);
    strip_particle(&key).map_or_else(|| key.clone(), str::to_string)
}

/// Which key terms an answer written from memory said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Marked {
    /// Each term with whether it was said, in the terms' order.
    pub terms: Vec<(String, bool)>,
}

impl Marked {
    /// How many terms were said.
    pub fn said(&self) -> usize {
        self.terms.iter().filter(|(_, said)| *said).count()
    }

    /// How many terms there are.
    pub fn total(&self) -> usize {
        self.terms.len()
    }

    /// The terms said.
    pub fn said_terms(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .filter(|(_, said)| *said)
            .map(|(term, _)| term.as_str())
    }

    /// The terms missed.
    pub fn missed_terms(&self) -> impl Iterator<Item = &str> {
        self.terms
            .iter()
            .filter(|(_, said)| !*said)
            .map(|(term, _)| term.as_str())
    }

    /// The grade the share of terms said suggests: all or nearly all Good, most Hard, fewer Again. `None` when the
    /// answer has no key terms. Easy is never suggested: how fast and sure the answer came is the user's to judge.
    pub fn suggested(&self) -> Option<Grade> {
        suggested_grade(self.said(), self.total())
    }
}

/// The grade `said` of `total` key terms suggests (see [`Marked::suggested`]).
pub fn suggested_grade(said: usize, total: usize) -> Option<Grade> {
    if total == 0 {
        return None;
    }
    let share = said as f64 / total as f64;
    Some(if share >= 0.8 {
        Grade::Good
    } else if share >= 0.5 {
        Grade::Hard
    } else {
        Grade::Again
    })
}

/// Marks each of `terms` said or missed in `written`.
pub fn mark(terms: &[String], written: &str) -> Marked {
    let spaced: String = written.nfc().flat_map(char::to_lowercase).collect();
    let joined = compact(written);
    Marked {
        terms: terms
            .iter()
            .map(|term| (term.clone(), is_said(&term_key(term), &spaced, &joined)))
            .collect(),
    }
}

/// Whether a term whose key is `key` is in the written answer (`spaced`: lower case NFC; `joined`: also without
/// spaces). A term of Latin letters and digits only (`IP`) must stand apart from other Latin letters and digits,
/// so that `IP` is not found in `zip`; a particle may follow it (`IP는`).
fn is_said(key: &str, spaced: &str, joined: &str) -> bool {
    if key.chars().all(|c| c.is_ascii_alphanumeric()) {
        spaced.match_indices(key).any(|(at, _)| {
            let before = spaced[..at].chars().next_back();
            let after = spaced[at + key.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        })
    } else {
        joined.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(markdown: &str) -> Vec<String> {
        key_terms(markdown)
    }

    #[test]
    fn bold_code_list_heads_and_a_tables_first_column_are_key_terms() {
        let markdown = "**TCP**는 연결 지향이고 `SYN`으로 시작한다.\n\n\
            - 3-way handshake: 연결을 맺는 과정\n\
            - 흐름 제어 (flow control)\n\
            - 혼잡 제어 - 네트워크를 지킨다\n  - 중첩 항목은 아니다\n\n\
            | 프로토콜 | 특징 |\n|---|---|\n| UDP | 비연결 |\n| QUIC | UDP 위 |\n";
        assert_eq!(
            terms(markdown),
            ["TCP", "SYN", "3-way handshake", "흐름 제어", "혼잡 제어", "UDP", "QUIC"]
        );
    }

    #[test]
    fn a_list_item_without_a_separator_gives_its_first_few_words() {
        assert_eq!(
            terms("- 선택도가 낮은 컬럼\n- 데이터 정의 언어 명령\n"),
            ["선택도", "데이터 정의 언어"]
        );
        assert_eq!(
            terms("- 가상 메모리를 쓰면 물리 메모리보다 큰 공간을 쓴다\n- 페이징\n"),
            ["가상 메모리", "페이징"]
        );
    }

    #[test]
    fn bold_inside_a_list_item_and_code_inside_bold_count_once() {
        assert_eq!(
            terms("- **뮤텍스**: 한 스레드만\n- **`volatile`** 키워드\n"),
            ["뮤텍스", "volatile"]
        );
    }

    #[test]
    fn duplicates_count_once_whatever_their_case_spacing_or_particle() {
        assert_eq!(terms("**TCP**와 **tcp**, **T C P**, **TCP는**, `TCP`"), ["TCP"]);
    }

    #[test]
    fn an_answer_with_no_terms_has_none_and_suggests_no_grade() {
        assert!(terms("그냥 문장으로만 된 답이다.\n\n두 번째 문단.").is_empty());
        assert!(terms("").is_empty());
        let marked = mark(&[], "아무 답");
        assert_eq!((marked.said(), marked.total(), marked.suggested()), (0, 0, None));
    }

    #[test]
    fn long_code_is_no_key_term() {
        assert_eq!(
            terms("`SELECT * FROM users WHERE id = 1 AND name = 'x'` 와 `JOIN`"),
            ["JOIN"]
        );
    }

    #[test]
    fn a_trailing_particle_in_the_written_answer_still_matches() {
        let terms = [
            "TCP".to_string(),
            "세션".to_string(),
            "쿠키".to_string(),
            "캐시".to_string(),
        ];
        let marked = mark(&terms, "TCP는 믿을 수 있고, 세션은 서버에, 쿠키를 브라우저에 둔다");
        assert_eq!(marked.said_terms().collect::<Vec<_>>(), ["TCP", "세션", "쿠키"]);
        assert_eq!(marked.missed_terms().collect::<Vec<_>>(), ["캐시"]);
        for written in ["TCP에서", "tcp로", "TCP입니다", "TCP의"] {
            assert!(mark(&["TCP".into()], written).terms[0].1, "{written}");
        }
    }

    #[test]
    fn a_particle_on_the_notes_term_is_not_needed_in_the_answer() {
        let marked = mark(&["트랜잭션은".into(), "평가".into()], "트랜잭션 이야기, 평 하나");
        assert_eq!(marked.terms, [("트랜잭션은".into(), true), ("평가".into(), false)]);
    }

    #[test]
    fn case_and_spaces_are_ignored() {
        let marked = mark(
            &["3-way Handshake".into(), "가상 메모리".into()],
            "3-WAY HAND SHAKE와 가상메모리",
        );
        assert_eq!(marked.said(), 2);
    }

    #[test]
    fn code_spans_match_as_written() {
        let terms = key_terms("`HashMap`은 `equals()`와 `hashCode()`를 쓴다");
        assert_eq!(terms, ["HashMap", "equals()", "hashCode()"]);
        let marked = mark(&terms, "hashmap은 hashCode()로 자리를 찾는다");
        assert_eq!(marked.said_terms().collect::<Vec<_>>(), ["HashMap", "hashCode()"]);
    }

    #[test]
    fn a_latin_term_must_stand_apart_from_other_latin_letters() {
        assert!(!mark(&["IP".into()], "zip 파일").terms[0].1);
        assert!(mark(&["IP".into()], "TCP/IP 위에서").terms[0].1);
        assert!(mark(&["IP".into()], "IP가 바뀐다").terms[0].1);
    }

    #[test]
    fn decomposed_hangul_matches_composed() {
        let nfd: String = "교착 상태는 네 조건".nfd().collect();
        assert_ne!(nfd, "교착 상태는 네 조건");
        assert!(mark(&["교착 상태".into()], &nfd).terms[0].1);
        let nfd_term: String = "교착 상태".nfd().collect();
        assert!(mark(&[nfd_term], "교착상태").terms[0].1);
        assert_eq!(
            key_terms(&format!(
                "**{}**와 **교착 상태**",
                "교착 상태".nfd().collect::<String>()
            ))
            .len(),
            1
        );
    }

    #[test]
    fn the_suggested_grade_follows_the_share_said() {
        assert_eq!(suggested_grade(5, 5), Some(Grade::Good));
        assert_eq!(suggested_grade(4, 5), Some(Grade::Good));
        assert_eq!(suggested_grade(3, 5), Some(Grade::Hard));
        assert_eq!(suggested_grade(2, 5), Some(Grade::Again));
        assert_eq!(suggested_grade(0, 1), Some(Grade::Again));
        assert_eq!(suggested_grade(0, 0), None);
    }
}
