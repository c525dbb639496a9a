//! Answers and their heuristics: text gathered from blocks, and what tells an answer from a lead-in, a
//! placeholder or a pointer elsewhere.

use super::doc::{Block, Line};
use super::roles::Builder;
use super::section::{Details, Inner, ask, sink};
use super::text::{asks, find_ci, skip_a_marker, strip_a_marker, trim_blank_lines};
use crate::notes::clean;
use crate::notes::names;
use pulldown_cmark::{Event, Tag};
use std::borrow::Cow;

/// Answer text gathered from blocks, and whether any of it is text a person would say.
#[derive(Default)]
pub(super) struct Answer {
    pub(super) parts: Vec<String>,
    pub(super) has_text: bool,
    /// Whether the last part pushed holds prose.
    pub(super) last_has_text: bool,
    /// Whether a part is links to read elsewhere (a list of links, a line that is a link and little besides).
    pub(super) links: bool,
    /// How many parts hold prose, and the first of them.
    pub(super) prose_parts: usize,
    pub(super) first_prose: Option<String>,
    /// How many of the parts with prose are lists.
    pub(super) list_parts: usize,
}

impl Answer {
    pub(super) fn push(&mut self, part: &str, has_text: bool) {
        let part = part.trim_end();
        if !part.trim().is_empty() {
            self.parts.push(trim_blank_lines(part).to_owned());
            self.has_text |= has_text;
            self.last_has_text = has_text;
            if has_text {
                self.prose_parts += 1;
                if self.first_prose.is_none() {
                    self.first_prose = self.parts.last().cloned();
                }
            }
        }
    }

    /// Pushes a list (or a run of its items).
    pub(super) fn push_list(&mut self, part: &str, has_text: bool) {
        let before = self.prose_parts;
        self.push(part, has_text);
        self.list_parts += self.prose_parts - before;
    }

    /// Whether all the prose of the answer is in lists: on the notes' front page, an index of what they hold.
    pub(super) fn only_lists(&self) -> bool {
        self.prose_parts > 0 && self.list_parts == self.prose_parts
    }

    /// Pushes links to read elsewhere: kept in the answer, but no prose of it.
    pub(super) fn push_links(&mut self, part: &str) {
        self.links |= !part.trim().is_empty();
        self.push(part, false);
    }

    /// Takes in what `other`'s parts count for, when they are spliced into this answer's.
    pub(super) fn count_in(&mut self, other: &Answer) {
        self.has_text |= other.has_text;
        self.links |= other.links;
        self.prose_parts += other.prose_parts;
        self.list_parts += other.list_parts;
        if self.first_prose.is_none() {
            self.first_prose.clone_from(&other.first_prose);
        }
    }

    /// Whether the answer only sends the reader to links: links to read elsewhere, with at most one short line
    /// of prose that points at them (`아래 자료에 정리했다.`) or holds a placeholder.
    pub(super) fn only_points(&self) -> bool {
        self.links && self.prose_parts <= 1 && self.first_prose.as_deref().is_none_or(points_at_links)
    }

    /// The answer's markdown, without thematic breaks at either end; `None` when it holds no prose.
    pub(super) fn into_markdown(self) -> Option<String> {
        if !self.has_text {
            return None;
        }
        let mut text = self.parts.join("\n\n");
        let kept = clean::rules_trimmed(&text);
        if kept.is_empty() {
            return None;
        }
        text.truncate(kept.end);
        text.drain(..kept.start);
        Some(text)
    }

    /// Whether every part is a paragraph that only leads into what follows: a question put to the reader or a
    /// "let us look at" (`…알아보자.`, `…일까?`), as the opening of a page with sections under it.
    pub(super) fn is_teaser(&self) -> bool {
        !self.parts.is_empty() && self.parts.iter().all(|part| is_lead_in(part))
    }

    /// Whether the answer ends by leading into what follows (`…살펴보자`) or is only an aside (`_cf) …_`): the
    /// opening of a page whose sub-sections hold the answers.
    pub(super) fn only_leads_in(&self) -> bool {
        // A thematic break (`---`) before the next heading is no part of what the section says.
        let mut said = self.parts.iter().rev().filter(|p| !is_thematic_break(p));
        let Some(last) = said.next() else {
            return false;
        };
        let aside = said.next().is_none() && {
            let text = last.trim();
            let emphasised = ((text.starts_with('_') && text.ends_with('_'))
                || (text.starts_with('*') && text.ends_with('*')))
                && !text.contains('\n');
            let start = text.trim_start_matches(['_', '*']).get(..3);
            let cf = start.is_some_and(|s| s.eq_ignore_ascii_case("cf)") || s.eq_ignore_ascii_case("cf."));
            emphasised || cf
        };
        if aside {
            return true;
        }
        // What ends the text, past a closing fence (`trim_end_matches` would set up a substring search for it).
        let mut end = last.trim_end();
        while let Some(before) = end.strip_suffix("```") {
            end = before;
        }
        lead_in_ending(end.trim_end())
    }
}

/// Whether a part is a thematic break alone: `---`, `***`, `___` (spaces between allowed).
fn is_thematic_break(part: &str) -> bool {
    let mut marks = part.chars().filter(|c| !c.is_whitespace());
    let Some(first @ ('-' | '*' | '_')) = marks.next() else {
        return false;
    };
    let mut count = 1;
    for c in marks {
        if c != first {
            return false;
        }
        count += 1;
    }
    count >= 3
}

/// Whether a part is one paragraph that only leads in: a question put to the reader or a "let us look at"
/// (`…알아보자.`, `…일까?`, `렌더링..?`).
fn is_lead_in(part: &str) -> bool {
    if part.len() > 600 || part.trim_end().contains('\n') {
        return false;
    }
    let markup = |c: char| matches!(c, '*' | '_' | '"' | '\'' | '>') || c.is_whitespace();
    let head = part.trim_start_matches(markup);
    let text = part.trim_end_matches(markup);
    !head.starts_with(['-', '|', '`', '!', '#', '<'])
        && (text.ends_with(['?', '？', '…']) || text.ends_with("..") || lead_in_ending(text))
}

/// Whether text ends in a Korean "let us" (`…해보자`, `…살펴봅시다`, `…알아보겠습니다`).
fn lead_in_ending(text: &str) -> bool {
    let text = text.trim_end_matches(['.', '!', ' ', '~']);
    ["보자", "봅시다", "보겠습니다", "보겠다", "해보자"]
        .iter()
        .any(|end| text.ends_with(end))
}

/// What a date a page was written on is labelled with (`작성일: 2019.07.29`).
const DATE_LABELS: [&str; 9] = [
    "작성",
    "작성일",
    "작성일자",
    "작성 일자",
    "날짜",
    "date",
    "written",
    "updated",
    "수정일",
];

/// Whether an answer is only a placeholder for one still to write (`(TODO: 답변 작성하기)`, `작성 중`), or a date.
pub(super) fn is_placeholder(answer: &str) -> bool {
    if answer.len() > 160 || answer.contains('\n') {
        return false;
    }
    let text = answer
        .trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '*' | '_' | ' '));
    // A date alone (`> 2019.08.29`, `작성 : 2020.08.10.`): when the page was written, not an answer.
    let date = text.trim_start_matches(['>', ' ']);
    let date = match date.split_once([':', '：']) {
        Some((label, rest)) if DATE_LABELS.contains(&label.trim_matches(['*', ' ']).to_lowercase().as_str()) => rest,
        _ => date,
    };
    if date.bytes().filter(u8::is_ascii_digit).count() >= 6
        && date
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'/' | b' '))
    {
        return true;
    }
    let low = text.to_lowercase();
    text.chars().count() <= 40
        && (["todo", "tbd", "tba", "wip"].iter().any(|w| low.starts_with(w))
            || [
                "작성 중",
                "작성중",
                "작성 예정",
                "작성예정",
                "추가 예정",
                "추가예정",
                "준비 중",
                "준비중",
            ]
            .iter()
            .any(|w| low.contains(w)))
}

/// Whether an answer only sends the reader elsewhere ("see the link below"): one short line that speaks of a
/// link, a post or an attachment.
pub(super) fn is_pointer(answer: &str) -> bool {
    if answer.len() > 400 || answer.contains('\n') {
        return false;
    }
    let text = answer.trim();
    text.chars().count() <= 100
        && [
            "링크",
            "포스팅",
            "블로그",
            "첨부",
            "참고하세요",
            "참고 바랍니다",
            "참고바랍니다",
            "see the",
            "see this",
        ]
        .iter()
        .any(|w| text.contains(w))
}

/// Whether an answer is one line that only names its heading again, perhaps translated: `- **디스트럭처링
/// (Destructuring)**` under `Destructuring` (the heading's letters, and under ten besides).
pub(super) fn names_again(answer: &str, title: &str) -> bool {
    if answer.len() > 200 || answer.trim().contains('\n') {
        return false;
    }
    // Most answers say far more than their heading: told without building either key (a letter takes at most 4
    // bytes, and the answer's markup is a few bytes more).
    if answer.len() > 4 * (title.len() + 10) + 16 {
        return false;
    }
    let letters = |text: &str| text.chars().filter(|&c| clean::is_letter(c)).count();
    if letters(answer) >= letters(title) + 10 {
        return false;
    }
    let (Some(said), Some(title)) = (clean::letters_key(answer, 200), clean::letters_key(title, 200)) else {
        return false;
    };
    !title.is_empty() && said.contains(&title) && said.chars().count() < title.chars().count() + 10
}

/// The longest line, in bytes, that may only point at links (100 characters of at most 4 bytes).
const POINTER_MAX_BYTES: usize = 400;

/// Whether a line of prose beside links only points at them: one short line that speaks of a link, a post, an
/// attachment, material or what is below, or a placeholder.
fn points_at_links(text: &str) -> bool {
    let text = text.trim();
    if text.len() > POINTER_MAX_BYTES || text.contains('\n') || text.chars().count() > 100 {
        return false;
    }
    is_pointer(text)
        || is_placeholder(text)
        || ["자료", "아래", "대체", "참고", "참조", "below"]
            .iter()
            .any(|w| text.contains(w))
}

impl Builder<'_, '_> {
    /// A paragraph's clean text: HTML as markdown, comments and navigation lines left out, and nothing for a
    /// label such as `**📖 Contents**` over a table of contents.
    pub(super) fn paragraph_content(&self, block: &Block) -> (String, bool) {
        let doc = self.doc;
        let has_text = doc.has_text(block.ev.clone());
        // A label is bold or italic: `**📖 Contents**`.
        let emphasised = matches!(
            doc.events.get(block.ev.start + 1),
            Some((Event::Start(Tag::Strong | Tag::Emphasis), _))
        );
        let one_short_line = emphasised
            && block.src.len() <= 80
            && !doc.events[block.ev.clone()]
                .iter()
                .any(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak));
        if one_short_line && names::is_reference(doc.text(&block.src)) {
            return (String::new(), false);
        }
        if self.credits(block) {
            return (String::new(), false);
        }
        match doc.clean(&doc.widen(&block.src)) {
            Cow::Borrowed(text) => (text.to_owned(), has_text),
            Cow::Owned(text) => {
                let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
                (lines.join("\n"), has_text)
            }
        }
    }

    /// A block of raw HTML: its markdown goes to the answer being written, and each `<details>` in it (whose
    /// answer may run on over later blocks) is a question. Returns the index of the next block to read.
    pub(super) fn html_block(
        &self,
        j: usize,
        end: usize,
        own: &mut Answer,
        inners: &mut Vec<Inner>,
        open_inner: &mut bool,
    ) -> usize {
        let doc = self.doc;
        let (mut k, mut from) = (j, doc.blocks[j].src.start);
        loop {
            let block = &doc.blocks[k];
            let rest = doc.text(&(from..block.src.end));
            let Some(at) = find_ci(rest, "<details") else {
                let sink = sink(own, inners, *open_inner);
                if from == block.src.start {
                    sink.push(&doc.clean(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
                } else {
                    let (markdown, prose) = clean::html_block_to_markdown(rest);
                    sink.push(&markdown, prose);
                }
                return k + 1;
            };
            let Some((details, next_k, next_from)) = self.details(from + at, k, end) else {
                let (markdown, prose) = clean::html_block_to_markdown(rest);
                sink(own, inners, *open_inner).push(&markdown, prose);
                return k + 1;
            };
            let (before, prose) = clean::html_block_to_markdown(&rest[..at]);
            sink(own, inners, *open_inner).push(&before, prose);
            let explains = |inner: &Inner, sink: &Answer| !asks(&inner.question) && sink.last_has_text;
            match details {
                // A summary that does not ask, right under prose of the answer, folds away more of that answer.
                Details::Question(inner) if explains(&inner, sink(own, inners, *open_inner)) => {
                    let Inner { question, answer, .. } = inner;
                    if let Some(text) = answer.into_markdown() {
                        sink(own, inners, *open_inner).push(&format!("**{question}**\n\n{text}"), true);
                    }
                }
                Details::Question(inner) => {
                    ask(inners, own, inner);
                    *open_inner = false;
                }
                Details::Part(text) => sink(own, inners, *open_inner).push(&text, true),
            }
            if next_from >= doc.blocks[next_k].src.end {
                return next_k + 1;
            }
            (k, from) = (next_k, next_from);
        }
    }

    /// The answer that starts on `lines[0]` after its `A.` marker and runs to the end of `block`.
    pub(super) fn after_a_marker(&self, lines: &[Line], block: &Block) -> Answer {
        let doc = self.doc;
        let start = skip_a_marker(doc.src, lines[0].src.start);
        let has_text = lines
            .iter()
            .any(|l| !strip_a_marker(&l.plain).unwrap_or(&l.plain).trim().is_empty());
        let mut answer = Answer::default();
        answer.push(doc.text(&(start..block.src.end)), has_text);
        answer
    }
}

/// What a question is compared with its heading by: its letters, with a closing `이란`, `란` or `?` dropped.
pub(super) fn question_key(question: &str) -> Option<String> {
    let key = clean::letters_key(question, 60)?;
    let key = [
        "이란무엇인가요",
        "이란무엇인가",
        "란무엇인가요",
        "란무엇인가",
        "이란",
        "란",
    ]
    .iter()
    .find_map(|end| key.strip_suffix(end).filter(|k| !k.is_empty()))
    .map_or(key.clone(), str::to_owned);
    (!key.is_empty()).then_some(key)
}
