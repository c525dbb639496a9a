//! Markdown → cards. [`parse`] is pure: a string in, cards and findings out.
//!
//! The markdown is read once with pulldown-cmark into a flat list of events; the top-level blocks of that list
//! are grouped into sections (a heading and the blocks up to the next heading), and each section's blocks are
//! sorted into the heading's own answer and the questions asked inside it. The rules are in the README.

mod answer;
mod doc;
mod nav;
mod text;

use super::clean;
use super::finding::{Finding, FindingKind};
use super::names;
use crate::card::{Card, CardId};
use answer::{Answer, is_placeholder, is_pointer, names_again, question_key};
use doc::{Block, Doc, Kind};
use nav::{is_link_list, is_table_of_contents};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;
use text::{
    collapse, collapse_owned, dedent, ends_with_question_mark, find_ci, is_block_tag, letters_and_digits,
    strip_a_marker, strip_q_marker,
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
    fn new(question: String, line: usize, answer: Answer) -> Inner {
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
