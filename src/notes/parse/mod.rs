//! Markdown → cards. [`parse`] is pure: a string in, cards and findings out.
//!
//! The markdown is read once with pulldown-cmark into a flat list of events; the top-level blocks of that list
//! are grouped into sections (a heading and the blocks up to the next heading), and each section's blocks are
//! sorted into the heading's own answer and the questions asked inside it. The rules are in the README.

mod doc;
mod text;

use super::clean::{self, is_alnum};
use super::finding::{Finding, FindingKind};
use super::names;
use crate::card::{Card, CardId};
use doc::{Block, Doc, Edit, Kind, Line};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;
use text::{
    collapse, collapse_owned, dedent, ends_with_question_mark, find_ci, is_block_tag, letters_and_digits,
    skip_a_marker, strip_a_marker, strip_q_marker, trim_blank_lines,
};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The cards and findings of one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Cards in note order. Ids are not yet disambiguated across the deck.
    pub cards: Vec<Card>,
    /// Everything passed over or doubted, in note order.
    pub findings: Vec<Finding>,
}

/// Strips a UTF-8 BOM, turns CRLF and lone CR into LF, and puts the text in Unicode NFC.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    nfc(text)
}

/// `text` in Unicode NFC, borrowed when it already is (the usual case, checked without a table lookup for each
/// Hangul syllable).
pub fn nfc(text: Cow<'_, str>) -> Cow<'_, str> {
    match nfc_quick(&text) {
        IsNormalized::Yes => text,
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Characters that are NFC on their own and never compose with a neighbour: all below U+0300 (no combining
/// marks yet) and the precomposed Hangul syllables. Notes are mostly made of these.
fn is_plain(c: char) -> bool {
    c < '\u{300}' || ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// `is_nfc_quick` over the stretches of `text` that are not [`is_plain`]: the same answer, since plain characters
/// are starters that are always allowed, without a table lookup for each syllable.
fn nfc_quick(text: &str) -> IsNormalized {
    let mut result = IsNormalized::Yes;
    let mut rest = text;
    while let Some(start) = rest.find(|c| !is_plain(c)) {
        let tail = &rest[start..];
        let end = tail.find(is_plain).unwrap_or(tail.len());
        match is_nfc_quick(tail[..end].chars()) {
            IsNormalized::No => return IsNormalized::No,
            IsNormalized::Maybe => result = IsNormalized::Maybe,
            IsNormalized::Yes => {}
        }
        rest = &tail[end..];
    }
    result
}

/// Parses one file of notes.
///
/// `file` names the file in cards and findings; `default_topic` is the topic when the front matter sets none.
pub fn parse(text: &str, file: &str, default_topic: &str) -> Parsed {
    let src = normalize(text);
    let doc = Doc::new(&src);
    let topic = doc.front_matter_topic().unwrap_or_else(|| default_topic.to_owned());
    let front_page = !file.contains(['/', '\\'])
        && file
            .rsplit_once('.')
            .is_some_and(|(stem, _)| stem.eq_ignore_ascii_case("readme"));
    let mut builder = Builder {
        doc: &doc,
        file,
        shared: (file.into(), topic.as_str().into()),
        front_page,
        topic,
        out: Parsed::default(),
    };
    builder.run();
    builder.out
}

/// Answer text gathered from blocks, and whether any of it is text a person would say.
#[derive(Default)]
struct Answer {
    parts: Vec<String>,
    has_text: bool,
    /// Whether the last part pushed holds prose.
    last_has_text: bool,
    /// Whether a part is links to read elsewhere (a list of links, a line that is a link and little besides).
    links: bool,
    /// How many parts hold prose, and the first of them.
    prose_parts: usize,
    first_prose: Option<String>,
    /// How many of the parts with prose are lists.
    list_parts: usize,
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
    fn push_list(&mut self, part: &str, has_text: bool) {
        let before = self.prose_parts;
        self.push(part, has_text);
        self.list_parts += self.prose_parts - before;
    }

    /// Whether all the prose of the answer is in lists: on the notes' front page, an index of what they hold.
    fn only_lists(&self) -> bool {
        self.prose_parts > 0 && self.list_parts == self.prose_parts
    }

    /// Pushes links to read elsewhere: kept in the answer, but no prose of it.
    fn push_links(&mut self, part: &str) {
        self.links |= !part.trim().is_empty();
        self.push(part, false);
    }

    /// Takes in what `other`'s parts count for, when they are spliced into this answer's.
    fn count_in(&mut self, other: &Answer) {
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
    fn only_points(&self) -> bool {
        self.links && self.prose_parts <= 1 && self.first_prose.as_deref().is_none_or(points_at_links)
    }

    /// The answer's markdown, without thematic breaks at either end; `None` when it holds no prose.
    fn into_markdown(self) -> Option<String> {
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
    fn is_teaser(&self) -> bool {
        !self.parts.is_empty() && self.parts.iter().all(|part| is_lead_in(part))
    }

    /// Whether the answer ends by leading into what follows (`…살펴보자`) or is only an aside (`_cf) …_`): the
    /// opening of a page whose sub-sections hold the answers.
    fn only_leads_in(&self) -> bool {
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

/// Whether an answer is only a placeholder for one still to write (`(TODO: 답변 작성하기)`, `작성 중`), or a date.
fn is_placeholder(answer: &str) -> bool {
    if answer.len() > 160 || answer.contains('\n') {
        return false;
    }
    let text = answer
        .trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '*' | '_' | ' '));
    // A date alone (`> 2019.08.29`): when the page was written, not an answer.
    let date = text.trim_start_matches(['>', ' ']);
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
fn is_pointer(answer: &str) -> bool {
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
fn names_again(answer: &str, title: &str) -> bool {
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

/// What a `<details>` element is: a question, or (when its summary names a part, such as 코드) more of the
/// answer it stands in, under its summary in bold.
enum Details {
    Question(Inner),
    Part(String),
}

/// The question of a `<summary>`: its plain text, HTML and markdown markup removed and entities read.
fn summary_question(html: &str) -> String {
    let (markdown, _) = clean::html_block_to_markdown(html);
    let mut text = String::new();
    for event in Parser::new(&markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    collapse_owned(text)
}

/// A question asked inside a section (rule 4 of the README).
struct Inner {
    question: String,
    line: usize,
    answer: Answer,
    /// How many parts the section's own answer had when this question was met (set by [`ask`]).
    at: usize,
}

impl Inner {
    pub(super) fn new(question: String, line: usize, answer: Answer) -> Inner {
        Inner {
            question,
            line,
            answer,
            at: 0,
        }
    }
}

/// Adds a question met in a section, noting where the section's own answer stands.
fn ask(inners: &mut Vec<Inner>, own: &Answer, mut inner: Inner) {
    inner.at = own.parts.len();
    inners.push(inner);
}

/// Whether inline events hold nothing but navigation: links whose text or address only moves around the repo
/// ([`clean::is_nav_text`], [`clean::is_nav_url`]), badge and avatar images, and punctuation or emoji between
/// them; at least one such link or image.
fn nav_only(events: &[(Event<'_>, Range<usize>)]) -> bool {
    let mut saw = false;
    // The open link, markdown or `<a href>`: whether its address navigates, and its text so far.
    let mut link: Option<(bool, String)> = None;
    let mut in_image = false;
    for (event, _) in events {
        let tag = match event {
            Event::InlineHtml(tag) | Event::Html(tag) => Some((clean::tag_name(tag), tag)),
            _ => None,
        };
        let closes_link = matches!(event, Event::End(TagEnd::Link))
            || tag.as_ref().is_some_and(|(name, t)| name == "a" && t.starts_with("</"));
        if closes_link {
            let Some((nav_url, text)) = link.take() else {
                continue;
            };
            if !(nav_url || clean::is_nav_text(&text)) {
                return false;
            }
            saw = true;
            continue;
        }
        match (event, tag) {
            (Event::Start(Tag::Link { dest_url, .. }), _) => link = Some((clean::is_nav_url(dest_url), String::new())),
            (_, Some((name, tag))) if name == "a" => {
                link = clean::attr(tag, "href").map(|h| (clean::is_nav_url(h), String::new()));
            }
            (Event::Start(Tag::Image { dest_url, .. }), _) => {
                if !clean::is_badge_image(dest_url) {
                    return false;
                }
                in_image = true;
                saw = true;
            }
            (Event::End(TagEnd::Image), _) => in_image = false,
            (_, Some((name, tag))) if name == "img" => {
                if !clean::attr(tag, "src").is_some_and(clean::is_badge_image) {
                    return false;
                }
                saw = true;
            }
            (_, Some((_, tag))) if !clean::is_markup(tag) => return false,
            (Event::Text(t) | Event::Code(t), _) if !in_image => match link.as_mut() {
                Some((_, text)) => text.push_str(t),
                None if clean::strip_shortcodes(t).chars().any(is_alnum) => return false,
                None => {}
            },
            _ => {}
        }
    }
    saw
}

/// Whether markdown (the conversion of an HTML block) holds nothing but navigation.
pub(super) fn is_nav_markdown(markdown: &str) -> bool {
    if !markdown.contains('[') {
        return false;
    }
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new(markdown).into_offset_iter().collect();
    nav_only(&events)
}

impl<'a> Doc<'a> {
    /// A line of a paragraph made only of navigation, removed with the line break before it (or after it, for a
    /// first line).
    pub(super) fn nav_line(&self, ev: Range<usize>, before: Option<usize>, edits: &mut Vec<Edit>) {
        if ev.is_empty() || !nav_only(&self.events[ev.clone()]) {
            return;
        }
        let start = self.events[ev.start].1.start;
        let end = self.events[ev.end - 1].1.end;
        let range = match before {
            Some(b) => self.events[b].1.start..end,
            None => match self.events.get(ev.end) {
                Some((Event::SoftBreak | Event::HardBreak, r)) => self.widen(&(start..r.end)),
                _ => self.widen(&(start..end)),
            },
        };
        edits.push(Edit::delete(range));
    }

    /// A list item made only of navigation, removed whole with its line.
    pub(super) fn nav_item(&self, start: usize, end: usize, edits: &mut Vec<Edit>) {
        let inner = &self.events[start + 1..end];
        let simple = inner.iter().all(|(e, _)| match e {
            Event::Start(tag) => !is_block_tag(tag) || matches!(tag, Tag::Paragraph),
            Event::End(tag) => !matches!(tag, TagEnd::List(_) | TagEnd::Item | TagEnd::CodeBlock),
            _ => true,
        });
        if !simple || !nav_only(inner) {
            return;
        }
        let mut range = self.widen(&self.events[start].1);
        if self.src.as_bytes().get(range.end.wrapping_sub(1)) != Some(&b'\n')
            && self.src.as_bytes().get(range.end) == Some(&b'\n')
        {
            range.end += 1;
        }
        edits.push(Edit::delete(range));
    }

    /// Whether the events of a paragraph, or of a block quote holding one, are one line that is a link and little
    /// besides (under 15 letters of prose): `> 발표 자료 | [슬라이드](…)`, `참고: [사전](…)`.
    fn is_link_line(&self, ev: Range<usize>) -> bool {
        // Most paragraphs have no link: told before counting letters.
        if !self.events[ev.clone()]
            .iter()
            .any(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
        {
            return false;
        }
        let (mut links, mut letters, mut paragraphs) = (0usize, 0usize, 0usize);
        for i in ev {
            match &self.events[i].0 {
                Event::Start(Tag::Link { .. }) => links += 1,
                Event::Start(Tag::Paragraph) => paragraphs += 1,
                Event::Start(Tag::BlockQuote(_)) => {}
                Event::Start(tag) if is_block_tag(tag) => return false,
                Event::SoftBreak | Event::HardBreak => return false,
                Event::Text(t) | Event::Code(t) if self.prose[i] => {
                    letters += t.chars().filter(|&c| is_alnum(c)).take(15).count();
                }
                _ => {}
            }
            if paragraphs > 1 || letters >= 15 {
                return false;
            }
        }
        links > 0
    }
}

/// Walks the sections of a [`Doc`] and writes cards and findings.
struct Builder<'d, 'a> {
    doc: &'d Doc<'a>,
    file: &'d str,
    /// `file` and `topic` as the cards share them.
    shared: (std::sync::Arc<str>, std::sync::Arc<str>),
    /// Whether the file is the front page of the notes (a `README` at their root), where an `About` section
    /// speaks of the repository rather than of a subject.
    front_page: bool,
    topic: String,
    out: Parsed,
}

/// The heading of a section.
struct Head {
    title: String,
    line: usize,
    has_sub: bool,
    /// Whether this is the first heading of the file.
    first: bool,
}

impl Builder<'_, '_> {
    fn run(&mut self) {
        let doc = self.doc;
        let headings: Vec<usize> = (0..doc.blocks.len())
            .filter(|&i| matches!(doc.blocks[i].kind, Kind::Heading(_)))
            .collect();
        let level = |n: usize| match doc.blocks[headings[n]].kind {
            Kind::Heading(level) => level,
            _ => 0,
        };
        let end_of = |n: usize| headings.get(n + 1).copied().unwrap_or(doc.blocks.len());
        let preamble = 0..headings.first().copied().unwrap_or(doc.blocks.len());
        self.section(None, &[], std::slice::from_ref(&preamble));

        let titles: Vec<String> = headings.iter().map(|&h| doc.heading_text(&doc.blocks[h])).collect();
        let keys: Vec<Option<String>> = titles.iter().map(|t| names::key(t)).collect();
        let topic_key = letters_and_digits(&self.topic);
        // Sort the headings first: skipped (reference matter, navigation, and all under them), joined to the
        // answer of an enclosing heading (parts such as Code or 예시, and all under them), or sections of their
        // own; and which of those have sub-sections of their own.
        let mut skipped = vec![false; headings.len()];
        let mut owner: Vec<Option<usize>> = vec![None; headings.len()];
        let mut joins: Vec<Vec<Range<usize>>> = vec![Vec::new(); headings.len()];
        let mut has_sub = vec![false; headings.len()];
        // Whether a heading is or stands under a worked example (`Adapter 패턴 예제`, `MVC 패턴 예시 1`) below
        // the page title: the steps of an example (`시나리오`, `요구사항 반영 후`) are the example's answer.
        let mut in_example = vec![false; headings.len()];
        let mut parents: Vec<usize> = Vec::new();
        for n in 0..headings.len() {
            while parents.last().is_some_and(|&m| level(m) >= level(n)) {
                parents.pop();
            }
            let parent = parents.last().copied();
            let exercise = names::is_exercise(&titles[n]);
            in_example[n] = parent.is_some_and(|p| in_example[p])
                || (level(n) > 1 && (exercise || keys[n].as_deref().is_some_and(names::is_example_key)));
            let line = doc.line(doc.blocks[headings[n]].src.start);
            let title = &titles[n];
            if parent.is_some_and(|p| skipped[p]) {
                skipped[n] = true;
            } else if keys[n].as_deref().is_some_and(names::is_reference_key) || names::opens_with_reference(title) {
                skipped[n] = true;
                let message = format!("section \"{title}\" is reference material, not a card");
                self.finding(line, FindingKind::Skipped, message);
            } else if self.front_page
                && parent.is_none_or(|p| level(p) == 1)
                && keys[n].as_deref().is_some_and(names::is_about_key)
            {
                skipped[n] = true;
                let message = format!("section \"{title}\" introduces the repository, not a card");
                self.finding(line, FindingKind::Skipped, message);
            } else if self.is_nav_heading(headings[n]) {
                skipped[n] = true;
                let message = format!("heading \"{title}\" only navigates, not a card");
                self.finding(line, FindingKind::Skipped, message);
            } else if let Some(p) = parent.filter(|&p| {
                // An exercise worked through (`…로 바꿔 보자`) is an example of the answer above, as `예시` is.
                let named = exercise
                    || keys[n]
                        .as_deref()
                        .is_some_and(|key| names::is_part_key(key, title, &titles[p]));
                // A named part completes an answer; under a heading with no prose of its own (a page title) it
                // would be the whole answer to a question it does not answer, so there it is a section of its own.
                let completes = owner[p].is_some() || self.has_prose(headings[p] + 1..end_of(p));
                (named && completes) || in_example[p] || self.only_code(headings[n] + 1..end_of(n))
            }) {
                owner[n] = Some(owner[p].unwrap_or(p));
            } else if let Some(p) = parent {
                has_sub[owner[p].unwrap_or(p)] = true;
            }
            if let Some(o) = owner[n] {
                joins[o].push(headings[n]..end_of(n));
            }
            parents.push(n);
        }

        let mut stack: Vec<(u8, Option<String>)> = Vec::new();
        for (n, &h) in headings.iter().enumerate() {
            if skipped[n] || owner[n].is_some() {
                continue;
            }
            let this = level(n);
            while stack.last().is_some_and(|(l, _)| *l >= this) {
                stack.pop();
            }
            let path: Vec<String> = stack.iter().filter_map(|(_, t)| t.clone()).collect();
            let title = titles[n].clone();
            let mut ranges = Vec::with_capacity(1 + joins[n].len());
            ranges.push(h + 1..end_of(n));
            ranges.append(&mut joins[n]);
            if title.is_empty() {
                self.section(None, &path, &ranges);
                continue;
            }
            let line = doc.line(doc.blocks[h].src.start);
            let head = Head {
                title,
                line,
                has_sub: has_sub[n],
                first: n == 0,
            };
            self.section(Some(&head), &path, &ranges);
            // A first-level title that repeats the topic is not said again in the path.
            let repeats_topic = this == 1 && letters_and_digits(&head.title) == topic_key;
            stack.push((this, (!repeats_topic).then_some(head.title)));
        }
    }

    /// Whether the blocks hold code and no prose outside it: a sub-section that shows the code of the answer
    /// above it.
    fn only_code(&self, blocks: Range<usize>) -> bool {
        let doc = self.doc;
        let mut code = false;
        for block in &doc.blocks[blocks] {
            match doc.events[block.ev.start].0 {
                Event::Start(Tag::CodeBlock(_)) => code = true,
                _ if doc.has_text(block.ev.clone()) => return false,
                _ => {}
            }
        }
        code
    }

    /// Whether any of the blocks holds prose.
    fn has_prose(&self, blocks: Range<usize>) -> bool {
        self.doc.blocks[blocks].iter().any(|b| self.doc.has_text(b.ev.clone()))
    }

    /// Whether a heading is made only of navigation (`## :house: [Home](…)`), or is one link to another file or
    /// folder of the repo (`## [📖 정리노트](./contents/network)`): an entry of an index, not a question.
    fn is_nav_heading(&self, h: usize) -> bool {
        let ev = &self.doc.blocks[h].ev;
        if ev.len() <= 2 {
            return false;
        }
        let inner = &self.doc.events[ev.start + 1..ev.end - 1];
        let local_link = matches!(inner.first(), Some((Event::Start(Tag::Link { dest_url, .. }), _)) if !dest_url.contains("://"))
            && matches!(inner.last(), Some((Event::End(TagEnd::Link), _)))
            && inner
                .iter()
                .filter(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
                .count()
                == 1;
        local_link || nav_only(inner)
    }

    fn finding(&mut self, line: usize, kind: FindingKind, message: String) {
        self.out
            .findings
            .push(Finding::new(self.file, Some(line), kind, message));
    }

    fn card(&mut self, path: Vec<String>, question: String, answer: String, line: usize) {
        self.out.cards.push(Card {
            id: CardId::new(&self.topic, &path, &question),
            topic: std::sync::Arc::clone(&self.shared.1),
            path,
            question,
            answer: answer.into(),
            file: std::sync::Arc::clone(&self.shared.0),
            line,
        });
    }

    /// Sorts the blocks of one section (its own, then those of the parts joined to it) into its own answer and
    /// the questions asked inside it.
    fn section(&mut self, head: Option<&Head>, path: &[String], ranges: &[Range<usize>]) {
        let doc = self.doc;
        let mut own = Answer::default();
        let mut inners: Vec<Inner> = Vec::new();
        let mut open_inner = false;
        for blocks in ranges {
            let mut j = blocks.start;
            while j < blocks.end {
                let block = &doc.blocks[j];
                let sink = sink(&mut own, &mut inners, open_inner);
                match block.kind {
                    Kind::Metadata => {}
                    Kind::Html => {
                        j = self.html_block(j, blocks.end, &mut own, &mut inners, &mut open_inner);
                        continue;
                    }
                    Kind::Paragraph => {
                        if let Some((inner, used)) = self.question_paragraph(j, blocks.end) {
                            ask(&mut inners, &own, inner);
                            open_inner = true;
                            j += used;
                            continue;
                        }
                        let (text, has_text) = self.paragraph_content(block);
                        if has_text && doc.is_link_line(block.ev.clone()) {
                            sink.push_links(&text);
                        } else {
                            sink.push(&text, has_text);
                        }
                    }
                    Kind::List => self.list(block, &mut own, &mut inners, &mut open_inner),
                    Kind::Other if let Some(inner) = self.quote_question(block) => {
                        ask(&mut inners, &own, inner);
                        open_inner = true;
                    }
                    // A quote of links and navigation only is a box of sources, not answer text; so is one that
                    // credits the page's author.
                    Kind::Other
                        if matches!(doc.events[block.ev.start].0, Event::Start(Tag::BlockQuote(_)))
                            && (!doc.has_text(block.ev.clone()) || self.credits(block)) => {}
                    // A quote of one line that is a link and little besides points elsewhere (`> 발표 자료 |
                    // [슬라이드](…)`): it stays, but is no prose of the answer.
                    Kind::Other if doc.is_link_line(block.ev.clone()) => {
                        sink.push_links(&doc.clean(&doc.widen(&block.src)));
                    }
                    Kind::Heading(_) | Kind::Other => {
                        sink.push(&doc.clean(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
                    }
                }
                j += 1;
            }
        }

        // A question that only says the heading again (`### Stream이란` and then `* Stream이란?`) is the
        // heading's own answer, where it stood.
        let repeats_head = |h: &&Head| {
            let first = h.title.chars().next();
            inners.iter().any(|i| i.question.chars().next() == first)
        };
        if let Some(key) = head.filter(repeats_head).and_then(|h| question_key(&h.title)) {
            let mut n = 0;
            while n < inners.len() {
                // Most questions differ from their heading at the first letter: no key needed for those.
                let same_start = inners[n].question.chars().next() == head.and_then(|h| h.title.chars().next());
                if same_start && question_key(&inners[n].question).as_ref() == Some(&key) {
                    let inner = inners.remove(n);
                    let at = inner.at.min(own.parts.len());
                    own.count_in(&inner.answer);
                    own.parts.splice(at..at, inner.answer.parts);
                } else {
                    n += 1;
                }
            }
        }
        let had_inner = !inners.is_empty();
        let first_line = ranges
            .first()
            .and_then(|r| doc.blocks.get(r.start))
            .map(|b| doc.line(b.src.start));
        // What is left of a section whose questions went to cards of their own may only lead into them or be an
        // aside (`_끝_`), as under a heading with sub-sections.
        let intro = head.is_some_and(|h| {
            ((h.has_sub || had_inner) && own.only_leads_in()) || ((h.has_sub || h.first) && own.is_teaser())
        });
        let points = own.only_points();
        // On the notes' front page, a section that only lists (`- TCP와 UDP의 차이`, …) is an index of what the
        // notes answer elsewhere.
        let index = head.is_some() && self.front_page && own.only_lists();
        let answer = own.into_markdown().filter(|a| {
            !intro
                && !points
                && !index
                && !is_placeholder(a)
                && !is_pointer(a)
                && !head.is_some_and(|h| names_again(a, &h.title))
        });
        match (head, answer) {
            (Some(head), Some(answer)) => self.card(path.to_vec(), head.title.clone(), answer, head.line),
            (Some(head), None) if index => {
                let message = format!(
                    "section \"{}\" on the front page only lists what the notes hold",
                    head.title
                );
                self.finding(head.line, FindingKind::Skipped, message);
            }
            (Some(head), None) if !head.has_sub && !had_inner => self.out.findings.push(Finding::about(
                self.file,
                head.line,
                FindingKind::Stub,
                &head.title,
                format!("heading \"{}\" has no answer under it", head.title),
            )),
            (None, Some(_)) => {
                let message = "text outside any heading is not a card".to_owned();
                self.finding(first_line.unwrap_or(1), FindingKind::Skipped, message);
            }
            _ => {}
        }
        let inner_path: Vec<String> = path.iter().cloned().chain(head.map(|h| h.title.clone())).collect();
        for inner in inners {
            if self.front_page && inner.answer.only_lists() {
                let message = format!(
                    "\"{}\" on the front page only lists what the notes hold",
                    inner.question
                );
                self.finding(inner.line, FindingKind::Skipped, message);
                continue;
            }
            match inner.answer.into_markdown() {
                Some(answer) => self.card(inner_path.clone(), inner.question, answer, inner.line),
                None => self.out.findings.push(Finding::about(
                    self.file,
                    inner.line,
                    FindingKind::OpenQuestion,
                    &inner.question,
                    format!("\"{}\" has no answer under it", inner.question),
                )),
            }
        }
    }

    /// Whether a block (a quote or a paragraph of one line) only credits or sources the page.
    fn credits(&self, block: &Block) -> bool {
        let doc = self.doc;
        block.src.len() <= 300
            && is_credit_line(doc.text(&block.src))
            && !doc.events[block.ev.clone()]
                .iter()
                .any(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak))
    }

    /// A block quote whose first line asks (`> **💡 멱등이란?**`): the question, with the rest of the quote as
    /// the start of its answer.
    fn quote_question(&self, block: &Block) -> Option<Inner> {
        let doc = self.doc;
        let events = &doc.events[block.ev.clone()];
        if !matches!(events.first(), Some((Event::Start(Tag::BlockQuote(_)), _)))
            || !matches!(events.get(1), Some((Event::Start(Tag::Paragraph), _)))
        {
            return None;
        }
        let first = block.ev.start + 2;
        let stop = (first..block.ev.end)
            .find(|&i| {
                matches!(
                    doc.events[i].0,
                    Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
                )
            })
            .unwrap_or(block.ev.end - 1);
        let plain = doc.plain(first..stop);
        if !ends_with_question_mark(&plain) {
            return None;
        }
        let asked = strip_q_marker(&plain).unwrap_or(&plain);
        let question = collapse(asked.trim_start_matches(|c: char| !c.is_alphanumeric() && !"(\"'`[".contains(c)));
        if question.is_empty() {
            return None;
        }
        let rest_start = doc.events[stop].1.end.min(block.src.end);
        let rest = doc.clean(&(rest_start..block.src.end));
        let rest: Vec<&str> = rest
            .lines()
            .map(|l| {
                let l = l.trim_start();
                let l = l.strip_prefix('>').unwrap_or(l);
                l.strip_prefix(' ').unwrap_or(l)
            })
            .collect();
        let mut answer = Answer::default();
        answer.push(&rest.join("\n"), doc.has_text(stop..block.ev.end));
        let line = doc.line(block.src.start);
        Some(Inner::new(question, line, answer))
    }

    /// A paragraph's clean text: HTML as markdown, comments and navigation lines left out, and nothing for a
    /// label such as `**📖 Contents**` over a table of contents.
    fn paragraph_content(&self, block: &Block) -> (String, bool) {
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
    fn html_block(
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
            let explains =
                |inner: &Inner, sink: &Answer| !ends_with_question_mark(&inner.question) && sink.last_has_text;
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

    /// A paragraph that asks a question: a single line ending in `?`, or `Q.` lines followed by an `A.` line.
    /// Returns the question (with the start of its answer, for `Q.`/`A.`) and how many blocks it used.
    fn question_paragraph(&self, j: usize, end: usize) -> Option<(Inner, usize)> {
        let doc = self.doc;
        let block = &doc.blocks[j];
        let lines = doc.lines(block);
        let line = doc.line(block.src.start);
        let first = lines.first()?;
        if let Some(q) = strip_q_marker(&first.plain) {
            let ask = |upto: usize| {
                let rest = lines[1..upto].iter().map(|l| l.plain.as_str());
                collapse_owned(std::iter::once(q).chain(rest).collect::<Vec<_>>().join(" "))
            };
            let a_line = (1..lines.len()).find(|&i| strip_a_marker(&lines[i].plain).is_some());
            let found = match a_line {
                Some(i) => Some((ask(i), self.after_a_marker(&lines[i..], block), 1)),
                None => doc
                    .blocks
                    .get(j + 1)
                    .filter(|next| j + 1 < end && next.kind == Kind::Paragraph)
                    .and_then(|next| {
                        let next_lines = doc.lines(next);
                        strip_a_marker(&next_lines[0].plain)?;
                        Some((ask(lines.len()), self.after_a_marker(&next_lines, next), 2))
                    }),
            };
            if let Some((question, answer, used)) = found.filter(|(q, _, _)| !q.is_empty()) {
                return Some((Inner::new(question, line, answer), used));
            }
        }
        // One sentence that asks; a paragraph of several sentences ending in one question muses.
        let asked = strip_q_marker(&first.plain).unwrap_or(&first.plain);
        let one_sentence = !asked.trim_end().contains(". ");
        if lines.len() == 1 && one_sentence && ends_with_question_mark(&first.plain) {
            let question = collapse(strip_q_marker(&first.plain).unwrap_or(&first.plain));
            let answer = Answer::default();
            return Some((Inner::new(question, line, answer), 1));
        }
        None
    }

    /// The answer that starts on `lines[0]` after its `A.` marker and runs to the end of `block`.
    fn after_a_marker(&self, lines: &[Line], block: &Block) -> Answer {
        let doc = self.doc;
        let start = skip_a_marker(doc.src, lines[0].src.start);
        let has_text = lines
            .iter()
            .any(|l| !strip_a_marker(&l.plain).unwrap_or(&l.plain).trim().is_empty());
        let mut answer = Answer::default();
        answer.push(doc.text(&(start..block.src.end)), has_text);
        answer
    }

    /// The `<details>` element that starts at source offset `at` in block `k`: its `<summary>` is the question
    /// and what follows up to the matching `</details>` (in this block or a later one, else the end of the
    /// section) the answer. An empty `<details>` directly followed by another is an open question and does not
    /// take the next one in. Returns the question, and the block and source offset where reading goes on.
    fn details(&self, at: usize, k: usize, end: usize) -> Option<(Details, usize, usize)> {
        let doc = self.doc;
        let text = doc.text(&(at..doc.blocks[k].src.end));
        let open = find_ci(text, "<summary")?;
        if find_ci(&text[1..open], "<details").is_some() {
            return None;
        }
        let body_start = open + text[open..].find('>')? + 1;
        let close = body_start + find_ci(&text[body_start..], "</summary")?;
        let after = close + text[close..].find('>')? + 1;
        let question = summary_question(&text[body_start..close]);
        if question.is_empty() {
            return None;
        }
        let line = doc.line(at + open);
        let done = |answer: Answer| {
            if names::is_part(&question, "") {
                if let Some(text) = answer.into_markdown() {
                    return Details::Part(format!("**{question}**\n\n{text}"));
                }
                return Details::Question(Inner::new(question.clone(), line, Answer::default()));
            }
            Details::Question(Inner::new(question.clone(), line, answer))
        };
        let mut answer = Answer::default();
        let mut depth = 1usize;
        let (mut b, mut pos) = (k, at + after);
        loop {
            let block = &doc.blocks[b];
            if block.kind == Kind::Html {
                let region = doc.text(&(pos..block.src.end));
                let mut off = 0;
                loop {
                    let next_open = find_ci(&region[off..], "<details").map(|x| x + off);
                    let next_close = find_ci(&region[off..], "</details").map(|x| x + off);
                    match (next_open, next_close) {
                        (Some(o), c) if c.is_none_or(|c| o < c) => {
                            let blank = || clean::html_block_to_markdown(&region[..o]).0.trim().is_empty();
                            if depth == 1 && answer.parts.is_empty() && blank() {
                                return Some((done(Answer::default()), b, pos + o));
                            }
                            depth += 1;
                            off = o + 1;
                        }
                        (_, Some(c)) => {
                            depth -= 1;
                            if depth == 0 {
                                let (markdown, prose) = clean::html_block_to_markdown(&region[..c]);
                                answer.push(&markdown, prose);
                                let resume = region[c..].find('>').map_or(region.len(), |g| c + g + 1);
                                return Some((done(answer), b, pos + resume));
                            }
                            off = c + 1;
                        }
                        _ => break,
                    }
                }
                let (markdown, prose) = clean::html_block_to_markdown(region);
                answer.push(&markdown, prose);
            } else if block.kind == Kind::List {
                answer.push_list(&doc.clean(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
            } else {
                answer.push(&doc.clean(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
            }
            if b + 1 >= end {
                return Some((done(answer), b, block.src.end));
            }
            b += 1;
            pos = doc.blocks[b].src.start;
        }
    }

    /// A list: items whose first line ends in `?` are questions (their nested content the answer); the other
    /// items stay where they are.
    fn list(&mut self, block: &Block, own: &mut Answer, inners: &mut Vec<Inner>, open_inner: &mut bool) {
        let doc = self.doc;
        if is_table_of_contents(&doc.events[block.ev.clone()]) {
            return;
        }
        let items = list_items(&doc.events, block.ev.clone());
        let asked: Vec<Option<Inner>> = items.iter().map(|item| self.item_question(item)).collect();
        if asked.iter().all(Option::is_none) {
            let sink = sink(own, inners, *open_inner);
            // A list of links to read elsewhere is no answer of its own.
            let text = doc.clean(&doc.widen(&block.src));
            if is_link_list(&doc.events[block.ev.clone()]) {
                sink.push_links(&text);
            } else {
                sink.push_list(&text, doc.has_text(block.ev.clone()));
            }
            return;
        }
        let mut run: Option<Range<usize>> = None;
        let flush = |run: &mut Option<Range<usize>>, own: &mut Answer, inners: &mut Vec<Inner>, open: bool| {
            if let Some(r) = run.take() {
                let src = items[r.start].src.start..items[r.end - 1].src.end;
                let ev = items[r.start].ev.start..items[r.end - 1].ev.end;
                sink(own, inners, open).push_list(&doc.clean(&doc.widen(&src)), doc.has_text(ev));
            }
        };
        for (i, inner) in asked.into_iter().enumerate() {
            match inner {
                None => run = Some(run.map_or(i..i + 1, |r| r.start..i + 1)),
                Some(inner) => {
                    flush(&mut run, own, inners, *open_inner);
                    ask(inners, own, inner);
                    *open_inner = false;
                }
            }
        }
        flush(&mut run, own, inners, *open_inner);
    }

    /// A list item whose first line ends in `?`; its nested content, when there is any, is the answer.
    fn item_question(&self, item: &Item) -> Option<Inner> {
        let doc = self.doc;
        let body = item.ev.start + 1..item.ev.end.saturating_sub(1);
        let mut rest: Option<(usize, usize)> = None; // (source offset, event index) where nested content starts
        let mut i = body.start;
        let in_paragraph = matches!(doc.events.get(i), Some((Event::Start(Tag::Paragraph), _)));
        if in_paragraph {
            i += 1;
        }
        // The events of the first line: `first..i` once the loop stops.
        let first = i;
        while i < body.end {
            let (event, range) = &doc.events[i];
            match event {
                Event::SoftBreak | Event::HardBreak => {
                    rest = Some((range.end, i + 1));
                    break;
                }
                Event::End(TagEnd::Paragraph) if in_paragraph => {
                    rest = doc
                        .events
                        .get(i + 1)
                        .filter(|_| i + 1 < body.end)
                        .map(|(_, r)| (r.start, i + 1));
                    break;
                }
                Event::Start(tag) if is_block_tag(tag) => {
                    rest = Some((range.start, i));
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let pieces = doc.events[first..i].iter().filter_map(|(event, _)| match event {
            Event::Text(t) | Event::Code(t) => Some(t),
            _ => None,
        });
        // Most items do not ask: told by the last character of the line, before its text is put together. It is
        // that of the last piece with more than blanks in it.
        let last = pieces.clone().rev().map(|t| t.trim_end()).find(|t| !t.is_empty());
        if !last.is_some_and(|t| t.ends_with(['?', '？'])) {
            return None;
        }
        let plain: String = pieces.map(|t| &**t).collect();
        if !ends_with_question_mark(&plain) {
            return None;
        }
        let question = collapse(strip_q_marker(&plain).unwrap_or(&plain));
        if question.is_empty() {
            return None;
        }
        let mut answer = Answer::default();
        if let Some((start, ev)) = rest {
            let text = dedent(&doc.clean(&doc.widen(&(start..item.src.end))));
            answer.push(text.trim(), doc.has_text(ev..body.end));
        }
        let line = doc.line(item.src.start);
        Some(Inner::new(question, line, answer))
    }
}

/// Whether most of a list's own items (not those nested under them) pass `test`, given the events from each
/// item's start on: at least two, and two in three, the first among them. Most lists fail at their first item, so
/// that is all they cost.
fn mostly_items(events: &[(Event<'_>, Range<usize>)], test: impl Fn(&[(Event<'_>, Range<usize>)]) -> bool) -> bool {
    let (mut items, mut passed, mut lists) = (0usize, 0usize, 0usize);
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::List(_)) => lists += 1,
            Event::End(TagEnd::List(_)) => lists = lists.saturating_sub(1),
            Event::Start(Tag::Item) if lists == 1 => {
                items += 1;
                if test(&events[i + 1..]) {
                    passed += 1;
                } else if items == 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    passed >= 2 && passed * 3 >= items * 2
}

/// The first event of an item's content, past the paragraph it may open with.
fn item_start<'e, 'a>(rest: &'e [(Event<'a>, Range<usize>)]) -> Option<&'e Event<'a>> {
    rest.iter()
        .find(|(e, _)| !matches!(e, Event::Start(Tag::Paragraph)))
        .map(|(e, _)| e)
}

/// Whether a list is a table of contents: most of its own items (the entries nested under them may be plain text,
/// the sub-sections of each) start with a link to an anchor of the page.
fn is_table_of_contents(events: &[(Event<'_>, Range<usize>)]) -> bool {
    mostly_items(
        events,
        |rest| matches!(item_start(rest), Some(Event::Start(Tag::Link { dest_url, .. })) if dest_url.starts_with('#')),
    )
}

/// What a question is compared with its heading by: its letters, with a closing `이란`, `란` or `?` dropped.
fn question_key(question: &str) -> Option<String> {
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

/// Whether a list is a list of links (further reading, or an index of other pages): two in three of its own items
/// are a link with under ten letters beside it in their first paragraph (`[글](…)`, `정리 … | [글](…)`) or open
/// with a link to another page of the notes (`[정렬](sort.md) (삽입 / 선택 / …)`). An item that is only a short
/// label over a nested list (`### 자료구조`, then its links) counts for neither; the items of that list count.
fn is_link_list(events: &[(Event<'_>, Range<usize>)]) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Entry {
        Link,
        Label,
        Other,
    }
    // Most lists hold no link at all.
    if !events.iter().any(|(e, _)| matches!(e, Event::Start(Tag::Link { .. }))) {
        return false;
    }
    let (mut linked, mut other) = (0usize, 0usize);
    // For each open list, whether its items count; for each open item, what it is.
    let (mut lists, mut items): (Vec<bool>, Vec<Entry>) = (Vec::new(), Vec::new());
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::List(_)) => {
                let counts = match (lists.last(), items.last()) {
                    (None, _) => true,
                    (Some(&counts), Some(&Entry::Label)) => counts,
                    _ => false,
                };
                lists.push(counts);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::End(TagEnd::Item) => {
                items.pop();
            }
            Event::Start(Tag::Item) => {
                let entry = link_entry(&events[i + 1..]);
                if lists.last() == Some(&true) {
                    match entry {
                        Entry::Link => linked += 1,
                        Entry::Other => other += 1,
                        Entry::Label => {}
                    }
                }
                items.push(entry);
            }
            _ => {}
        }
    }
    return linked >= 1 && linked * 3 >= (linked + other) * 2;

    /// What a list item is, from the events after its start.
    fn link_entry(rest: &[(Event<'_>, Range<usize>)]) -> Entry {
        // Most items are neither: no link in their first paragraph and no list under it. Told from the events
        // alone, before any letter is counted.
        let with_link_or_list = rest
            .iter()
            .map(|(e, _)| e)
            .take_while(|e| {
                !matches!(
                    e,
                    Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(Tag::Item)
                )
            })
            .any(|e| matches!(e, Event::Start(Tag::Link { .. } | Tag::List(_))));
        if !with_link_or_list {
            return Entry::Other;
        }
        let (mut depth, mut letters, mut links, mut page) = (0usize, 0usize, 0usize, false);
        let mut nested = false;
        for (e, _) in rest {
            match e {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    if letters == 0 && links == 0 {
                        page = !dest_url.is_empty() && !dest_url.contains("://") && !dest_url.starts_with('#');
                    }
                    depth += 1;
                    links += 1;
                }
                Event::End(TagEnd::Link) => depth = depth.saturating_sub(1),
                Event::Text(t) | Event::Code(t) if depth == 0 => {
                    letters += t.chars().filter(|&c| is_alnum(c)).take(25).count();
                    // Enough said to be neither a link nor a label: the rest of the item need not be read.
                    if letters >= 25 && !page {
                        return Entry::Other;
                    }
                }
                Event::Start(Tag::List(_)) => {
                    nested = true;
                    break;
                }
                Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(Tag::Item) => break,
                _ => {}
            }
        }
        if links > 0 && (letters < 10 || page) {
            Entry::Link
        } else if links == 0 && nested && letters < 25 {
            Entry::Label
        } else {
            Entry::Other
        }
    }
}

/// Whether the source of a block quote or one-line paragraph only credits or sources the page:
/// `> 작성자 : [이름](…)`, `**출처**: https://…`.
fn is_credit_line(source: &str) -> bool {
    let Some((label, rest)) = source.split_once(':') else {
        return false;
    };
    // `작성자`, `Author`, `출처`: a short label, checked before any work on it.
    let label = label.trim_matches(|c: char| matches!(c, '>' | '*' | '_' | ' ' | '#'));
    if label.is_empty() || label.len() > 20 || label.contains(char::is_whitespace) && label.len() > 12 {
        return false;
    }
    let is = |words: &[&str]| words.iter().any(|w| label.eq_ignore_ascii_case(w));
    let credit = is(&["작성자", "글쓴이", "author", "authors", "written by"]);
    let source = is(&["출처", "source", "sources", "reference", "references", "ref"]);
    credit || (source && (rest.contains("](") || rest.contains("://")))
}

/// Where answer text goes: the open inner question's answer, else the section's own.
fn sink<'x>(own: &'x mut Answer, inners: &'x mut [Inner], open_inner: bool) -> &'x mut Answer {
    match (open_inner, inners.last_mut()) {
        (true, Some(inner)) => &mut inner.answer,
        _ => own,
    }
}

/// One item of a list: its events (from its `Start(Item)` to its `End(Item)`) and source bytes.
struct Item {
    ev: Range<usize>,
    src: Range<usize>,
}

/// The items directly inside the list whose events are `ev`.
fn list_items(events: &[(Event<'_>, Range<usize>)], ev: Range<usize>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for i in ev {
        match &events[i].0 {
            Event::Start(_) => {
                depth += 1;
                if depth == 2 {
                    start = i;
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    items.push(Item {
                        ev: start..i + 1,
                        src: events[start].1.clone(),
                    });
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    items
}
