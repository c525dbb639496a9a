//! Markdown → cards. [`parse`] is pure: a string in, cards and findings out.
//!
//! The markdown is read once with pulldown-cmark into a flat list of events; the top-level blocks of that list
//! are grouped into sections (a heading and the blocks up to the next heading), and each section's blocks are
//! sorted into the heading's own answer and the questions asked inside it. The rules are in the README.

use super::finding::{Finding, FindingKind};
use crate::card::{Card, CardId};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;
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

/// `char::is_alphanumeric`, answered without a table lookup for ASCII and Hangul syllables.
fn fast_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || c.is_alphanumeric()
}

/// Parses one file of notes.
///
/// `file` names the file in cards and findings; `default_topic` is the topic when the front matter sets none.
pub fn parse(text: &str, file: &str, default_topic: &str) -> Parsed {
    let src = normalize(text);
    let doc = Doc::new(&src);
    let topic = doc.front_matter_topic().unwrap_or_else(|| default_topic.to_owned());
    let mut builder = Builder {
        doc: &doc,
        file,
        topic,
        out: Parsed::default(),
    };
    builder.run();
    builder.out
}

/// What a top-level block is, as far as the card rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading(u8),
    Paragraph,
    List,
    Html,
    Metadata,
    Other,
}

/// A top-level block: its events (indices into [`Doc::events`]) and its source bytes.
#[derive(Debug, Clone)]
struct Block {
    kind: Kind,
    ev: Range<usize>,
    src: Range<usize>,
}

/// One line of a paragraph: its plain text, source bytes and events.
struct Line {
    plain: String,
    src: Range<usize>,
    ev: Range<usize>,
}

/// Answer text gathered from blocks, and whether any of it is text a person would say.
#[derive(Default)]
struct Answer {
    parts: Vec<String>,
    has_text: bool,
}

impl Answer {
    fn push(&mut self, part: &str, has_text: bool) {
        let part = part.trim_end();
        if !part.trim().is_empty() {
            self.parts.push(trim_blank_lines(part).to_owned());
            self.has_text |= has_text;
        }
    }

    fn into_markdown(self) -> Option<String> {
        let text = self.parts.join("\n\n");
        (self.has_text && !text.trim().is_empty()).then_some(text)
    }
}

/// A question asked inside a section (rule 4 of the README).
struct Inner {
    question: String,
    line: usize,
    answer: Answer,
}

struct Doc<'a> {
    src: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    blocks: Vec<Block>,
    line_starts: Vec<usize>,
}

impl<'a> Doc<'a> {
    fn new(src: &'a str) -> Self {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let mut events = Vec::with_capacity(src.len() / 16);
        events.extend(Parser::new_ext(src, options).into_offset_iter());
        let mut blocks = Vec::new();
        let mut depth = 0usize;
        let mut start = 0;
        let mut kind = Kind::Other;
        for (i, (event, range)) in events.iter().enumerate() {
            match event {
                Event::Start(tag) => {
                    if depth == 0 {
                        start = i;
                        kind = match tag {
                            Tag::Heading { level, .. } => Kind::Heading(*level as u8),
                            Tag::Paragraph => Kind::Paragraph,
                            Tag::List(_) => Kind::List,
                            Tag::HtmlBlock => Kind::Html,
                            Tag::MetadataBlock(_) => Kind::Metadata,
                            _ => Kind::Other,
                        };
                    }
                    depth += 1;
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        blocks.push(Block {
                            kind,
                            ev: start..i + 1,
                            src: events[start].1.clone(),
                        });
                    }
                }
                _ if depth == 0 => blocks.push(Block {
                    kind: Kind::Other,
                    ev: i..i + 1,
                    src: range.clone(),
                }),
                _ => {}
            }
        }
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Doc {
            src,
            events,
            blocks,
            line_starts,
        }
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// `range` widened back to the start of its line when only blanks precede it, so indentation is kept.
    fn widen(&self, range: &Range<usize>) -> Range<usize> {
        let bytes = self.src.as_bytes();
        let mut start = range.start.min(bytes.len());
        while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
            start -= 1;
        }
        if start > 0 && bytes[start - 1] != b'\n' {
            start = range.start;
        }
        start..range.end.min(bytes.len())
    }

    fn text(&self, range: &Range<usize>) -> &'a str {
        self.src.get(range.clone()).unwrap_or("")
    }

    /// `topic:` from YAML front matter, when there is any.
    fn front_matter_topic(&self) -> Option<String> {
        let block = self.blocks.first().filter(|b| b.kind == Kind::Metadata)?;
        self.events[block.ev.clone()].iter().find_map(|(event, _)| match event {
            Event::Text(text) => text.lines().find_map(|line| {
                let value = line.strip_prefix("topic:")?.trim();
                let value = value.trim_matches(|c| c == '"' || c == '\'').trim();
                (!value.is_empty()).then(|| collapse(value))
            }),
            _ => None,
        })
    }

    /// Plain text of the inline events in `ev`: text and code, breaks as spaces, markup dropped.
    fn plain(&self, ev: Range<usize>) -> String {
        let mut out = String::new();
        for (event, _) in &self.events[ev] {
            match event {
                Event::Text(t) | Event::Code(t) => out.push_str(t),
                Event::SoftBreak | Event::HardBreak => out.push(' '),
                _ => {}
            }
        }
        out
    }

    /// Whether the events in `ev` hold anything a person would read: text, code or math that is not blank.
    fn has_text(&self, ev: Range<usize>) -> bool {
        self.events[ev].iter().any(|(event, _)| match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => !t.trim().is_empty(),
            Event::Html(t) | Event::InlineHtml(t) => !html_to_text(t).trim().is_empty(),
            _ => false,
        })
    }

    /// The heading's question text: plain text with links, markup and `:emoji:` shortcodes removed.
    fn heading_text(&self, block: &Block) -> String {
        collapse(&strip_shortcodes(&self.plain(block.ev.clone())))
    }

    /// A paragraph split at its line breaks.
    fn lines(&self, block: &Block) -> Vec<Line> {
        let inner = block.ev.start + 1..block.ev.end.saturating_sub(1);
        let mut lines = Vec::new();
        let mut plain = String::new();
        let (mut src_start, mut ev_start) = (block.src.start, inner.start);
        for i in inner.clone() {
            let (event, range) = &self.events[i];
            match event {
                Event::Text(t) | Event::Code(t) => plain.push_str(t),
                Event::SoftBreak | Event::HardBreak => {
                    lines.push(Line {
                        plain: std::mem::take(&mut plain),
                        src: src_start..range.start,
                        ev: ev_start..i,
                    });
                    src_start = range.end;
                    ev_start = i + 1;
                }
                _ => {}
            }
        }
        lines.push(Line {
            plain,
            src: src_start..block.src.end,
            ev: ev_start..inner.end,
        });
        lines
    }

    /// Whether `ev` is made only of links to anchors of this document (a table of contents, "[위로](#top)").
    fn anchors_only(&self, ev: Range<usize>) -> bool {
        let mut in_anchor = false;
        let mut saw_anchor = false;
        for (event, _) in &self.events[ev] {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    in_anchor = dest_url.starts_with('#');
                    saw_anchor |= in_anchor;
                }
                Event::End(TagEnd::Link) => in_anchor = false,
                Event::Start(Tag::Image { .. }) if !in_anchor => return false,
                Event::Text(t) | Event::Code(t) if !in_anchor && t.chars().any(fast_alnum) => {
                    return false;
                }
                _ => {}
            }
        }
        saw_anchor
    }

    /// Byte ranges of inline HTML comments among the events in `ev`.
    fn inline_comments(&self, ev: Range<usize>) -> Vec<Range<usize>> {
        let mut cuts = Vec::new();
        let mut open: Option<usize> = None;
        for (event, range) in &self.events[ev] {
            if let Event::InlineHtml(html) = event {
                if open.is_none() && html.starts_with("<!--") {
                    open = Some(range.start);
                }
                if let Some(start) = open.filter(|_| html.trim_end().ends_with("-->")) {
                    cuts.push(start..range.end);
                    open = None;
                }
            }
        }
        cuts
    }
}

/// Walks the sections of a [`Doc`] and writes cards and findings.
struct Builder<'d, 'a> {
    doc: &'d Doc<'a>,
    file: &'d str,
    topic: String,
    out: Parsed,
}

/// The heading of a section.
struct Head {
    title: String,
    line: usize,
    has_sub: bool,
}

impl Builder<'_, '_> {
    fn run(&mut self) {
        let doc = self.doc;
        let headings: Vec<usize> = (0..doc.blocks.len())
            .filter(|&i| matches!(doc.blocks[i].kind, Kind::Heading(_)))
            .collect();
        let level = |i: usize| match doc.blocks[i].kind {
            Kind::Heading(level) => level,
            _ => 0,
        };
        self.section(None, &[], 0..headings.first().copied().unwrap_or(doc.blocks.len()));

        let mut stack: Vec<(u8, String)> = Vec::new();
        let mut skip_below: Option<u8> = None;
        for (n, &h) in headings.iter().enumerate() {
            let end = headings.get(n + 1).copied().unwrap_or(doc.blocks.len());
            let this = level(h);
            if let Some(skip) = skip_below {
                if this > skip {
                    continue;
                }
                skip_below = None;
            }
            while stack.last().is_some_and(|(l, _)| *l >= this) {
                stack.pop();
            }
            let path: Vec<String> = stack.iter().map(|(_, t)| t.clone()).collect();
            let title = doc.heading_text(&doc.blocks[h]);
            let line = doc.line(doc.blocks[h].src.start);
            if is_boilerplate(&title) {
                skip_below = Some(this);
                let message = format!("section \"{title}\" is reference material, not a card");
                self.finding(line, FindingKind::Skipped, message);
                continue;
            }
            if title.is_empty() {
                self.section(None, &path, h + 1..end);
                continue;
            }
            let has_sub = headings.get(n + 1).is_some_and(|&next| level(next) > this);
            let head = Head { title, line, has_sub };
            self.section(Some(&head), &path, h + 1..end);
            stack.push((this, head.title));
        }
    }

    fn finding(&mut self, line: usize, kind: FindingKind, message: String) {
        self.out
            .findings
            .push(Finding::new(self.file, Some(line), kind, message));
    }

    fn card(&mut self, path: Vec<String>, question: String, answer: String, line: usize) {
        self.out.cards.push(Card {
            id: CardId::new(&self.topic, &path, &question),
            topic: self.topic.clone(),
            path,
            question,
            answer,
            file: self.file.to_owned(),
            line,
        });
    }

    /// Sorts the blocks of one section into its own answer and the questions asked inside it.
    fn section(&mut self, head: Option<&Head>, path: &[String], blocks: Range<usize>) {
        let doc = self.doc;
        let mut own = Answer::default();
        let mut inners: Vec<Inner> = Vec::new();
        let mut open_inner = false;
        let mut j = blocks.start;
        while j < blocks.end {
            let block = &doc.blocks[j];
            let sink = match (open_inner, inners.last_mut()) {
                (true, Some(inner)) => &mut inner.answer,
                _ => &mut own,
            };
            match block.kind {
                Kind::Metadata => {}
                Kind::Html if is_comment(doc.text(&block.src)) => {}
                Kind::Html => {
                    if let Some((inner, last)) = self.details(j, blocks.end) {
                        inners.push(inner);
                        open_inner = false;
                        j = last + 1;
                        continue;
                    }
                    sink.push(doc.text(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
                }
                Kind::Paragraph => {
                    if let Some((inner, used)) = self.question_paragraph(j, blocks.end) {
                        inners.push(inner);
                        open_inner = true;
                        j += used;
                        continue;
                    }
                    let (text, has_text) = self.paragraph_content(block);
                    sink.push(&text, has_text);
                }
                Kind::List => {
                    if !doc.anchors_only(block.ev.clone()) {
                        self.list(block, &mut own, &mut inners, &mut open_inner);
                    }
                }
                Kind::Heading(_) | Kind::Other => {
                    sink.push(doc.text(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
                }
            }
            j += 1;
        }

        let had_inner = !inners.is_empty();
        let first_line = doc.blocks.get(blocks.start).map(|b| doc.line(b.src.start));
        match (head, own.into_markdown()) {
            (Some(head), Some(answer)) => self.card(path.to_vec(), head.title.clone(), answer, head.line),
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

    /// A paragraph's text with anchor-only lines and HTML comments left out.
    fn paragraph_content(&self, block: &Block) -> (String, bool) {
        let doc = self.doc;
        let mut cuts = doc.inline_comments(block.ev.clone());
        for line in doc.lines(block) {
            if doc.anchors_only(line.ev.clone()) {
                cuts.push(line.src);
            }
        }
        let whole = doc.widen(&block.src);
        if cuts.is_empty() {
            return (doc.text(&whole).to_owned(), doc.has_text(block.ev.clone()));
        }
        cuts.sort_by_key(|r| r.start);
        let mut text = String::new();
        let mut at = whole.start;
        for cut in &cuts {
            if cut.start > at {
                text.push_str(doc.text(&(at..cut.start)));
            }
            at = at.max(cut.end);
        }
        text.push_str(doc.text(&(at..whole.end)));
        let text: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let kept = block.ev.clone().filter(|&i| {
            let start = doc.events[i].1.start;
            !cuts.iter().any(|c| c.contains(&start))
        });
        let has_text = kept.into_iter().any(|i| doc.has_text(i..i + 1));
        (text.join("\n"), has_text)
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
                collapse(&std::iter::once(q).chain(rest).collect::<Vec<_>>().join(" "))
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
                return Some((Inner { question, line, answer }, used));
            }
        }
        if lines.len() == 1 && ends_with_question_mark(&first.plain) {
            let question = collapse(strip_q_marker(&first.plain).unwrap_or(&first.plain));
            let answer = Answer::default();
            return Some((Inner { question, line, answer }, 1));
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

    /// `<details><summary>question</summary> answer </details>`, which may span several blocks when the answer
    /// has blank lines in it. Returns the question and the index of the last block it used.
    fn details(&self, j: usize, end: usize) -> Option<(Inner, usize)> {
        let doc = self.doc;
        let first = &doc.blocks[j];
        let opening = doc.text(&first.src).trim_start();
        if !opening.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("<details")) {
            return None;
        }
        let mut depth = 0isize;
        let mut last = j;
        for k in j..end {
            let block = &doc.blocks[k];
            if block.kind == Kind::Html {
                let low = doc.text(&block.src).to_ascii_lowercase();
                depth += low.matches("<details").count() as isize;
                depth -= low.matches("</details").count() as isize;
            }
            last = k;
            if depth <= 0 {
                break;
            }
        }
        let region = doc.text(&(first.src.start..doc.blocks[last].src.end));
        let low = region.to_ascii_lowercase();
        let open = low.find("<summary")?;
        let body_start = open + low[open..].find('>')? + 1;
        let close = body_start + low[body_start..].find("</summary")?;
        let after = close + low[close..].find('>')? + 1;
        let question = collapse(&html_escape::decode_html_entities(&html_to_text(
            &region[body_start..close],
        )));
        if question.is_empty() {
            return None;
        }
        let body_end = low.rfind("</details").filter(|&e| e >= after).unwrap_or(region.len());
        let body = dedent(&html_to_text(&region[after..body_end]));
        let mut answer = Answer::default();
        answer.push(body.trim(), !body.trim().is_empty());
        let line = doc.line(first.src.start + open);
        Some((Inner { question, line, answer }, last))
    }

    /// A list: items whose first line ends in `?` are questions (their nested content the answer); the other
    /// items stay where they are.
    fn list(&mut self, block: &Block, own: &mut Answer, inners: &mut Vec<Inner>, open_inner: &mut bool) {
        let doc = self.doc;
        let items = list_items(&doc.events, block.ev.clone());
        let asked: Vec<Option<Inner>> = items.iter().map(|item| self.item_question(item)).collect();
        if asked.iter().all(Option::is_none) {
            let sink = match (*open_inner, inners.last_mut()) {
                (true, Some(inner)) => &mut inner.answer,
                _ => own,
            };
            sink.push(doc.text(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
            return;
        }
        let mut run: Option<Range<usize>> = None;
        let flush = |run: &mut Option<Range<usize>>, own: &mut Answer, inners: &mut Vec<Inner>, open: bool| {
            if let Some(r) = run.take() {
                let src = items[r.start].src.start..items[r.end - 1].src.end;
                let ev = items[r.start].ev.start..items[r.end - 1].ev.end;
                let sink = match (open, inners.last_mut()) {
                    (true, Some(inner)) => &mut inner.answer,
                    _ => own,
                };
                sink.push(doc.text(&doc.widen(&src)), doc.has_text(ev));
            }
        };
        for (i, inner) in asked.into_iter().enumerate() {
            match inner {
                None => run = Some(run.map_or(i..i + 1, |r| r.start..i + 1)),
                Some(inner) => {
                    flush(&mut run, own, inners, *open_inner);
                    inners.push(inner);
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
        let mut plain = String::new();
        let mut rest: Option<(usize, usize)> = None; // (source offset, event index) where nested content starts
        let mut i = body.start;
        let in_paragraph = matches!(doc.events.get(i), Some((Event::Start(Tag::Paragraph), _)));
        if in_paragraph {
            i += 1;
        }
        while i < body.end {
            let (event, range) = &doc.events[i];
            match event {
                Event::Text(t) | Event::Code(t) => plain.push_str(t),
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
        if !ends_with_question_mark(&plain) {
            return None;
        }
        let question = collapse(strip_q_marker(&plain).unwrap_or(&plain));
        if question.is_empty() {
            return None;
        }
        let mut answer = Answer::default();
        if let Some((start, ev)) = rest {
            let text = dedent(doc.text(&doc.widen(&(start..item.src.end))));
            answer.push(text.trim(), doc.has_text(ev..body.end));
        }
        let line = doc.line(item.src.start);
        Some(Inner { question, line, answer })
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

fn is_block_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::List(_)
            | Tag::Item
            | Tag::CodeBlock(_)
            | Tag::BlockQuote(_)
            | Tag::HtmlBlock
            | Tag::Heading { .. }
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
    )
}

/// Whitespace runs become one space; ends trimmed.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Leading and trailing lines that hold only blanks removed; the indentation of the first kept line stays.
fn trim_blank_lines(text: &str) -> &str {
    let text = text.trim_end();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    &text[start..]
}

fn ends_with_question_mark(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with('?') || text.ends_with('？')
}

/// `rest` of `Q. rest`, `Q: rest`, `Q) rest`, `Q1. rest`, `Q1) rest`.
fn strip_q_marker(text: &str) -> Option<&str> {
    strip_marker(text, 'Q')
}

/// `rest` of `A. rest`, `A: rest`, `A) rest`.
fn strip_a_marker(text: &str) -> Option<&str> {
    strip_marker(text, 'A')
}

fn strip_marker(text: &str, letter: char) -> Option<&str> {
    let rest = text.trim_start().strip_prefix(letter)?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(['.', ':', ')'])?;
    Some(rest.trim_start())
}

/// The source offset just past the `A.` marker of the line starting at `start` (markup around it included).
fn skip_a_marker(src: &str, start: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = start;
    let skip = |i: &mut usize, pred: &dyn Fn(u8) -> bool| {
        while *i < bytes.len() && pred(bytes[*i]) {
            *i += 1;
        }
    };
    skip(&mut i, &|b| matches!(b, b' ' | b'\t' | b'*' | b'_'));
    if bytes.get(i) != Some(&b'A') {
        return start;
    }
    i += 1;
    skip(&mut i, &|b| b.is_ascii_digit());
    if !matches!(bytes.get(i), Some(b'.' | b':' | b')')) {
        return start;
    }
    i += 1;
    skip(&mut i, &|b| matches!(b, b' ' | b'\t' | b'*' | b'_'));
    i
}

/// `:emoji:` shortcodes removed (`:rocket:`, `:+1:`); times such as `10:30:` are left alone.
fn strip_shortcodes(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(':') {
        let before_ok = !rest[..open].chars().next_back().is_some_and(char::is_alphanumeric);
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '+' | '-')))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let closes = after[name_len..].starts_with(':');
        let after_ok = !after[name_len..].chars().nth(1).is_some_and(char::is_alphanumeric);
        let is_name = name.bytes().any(|b| b.is_ascii_lowercase() || b == b'+');
        if before_ok && closes && after_ok && is_name {
            out.push_str(&rest[..open]);
            rest = &after[name_len + 1..];
        } else {
            out.push_str(&rest[..=open]);
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether a heading names a section that is not quiz material (References, 참고, 목차, …), ignoring case,
/// emoji, numbering, spaces and punctuation.
fn is_boilerplate(title: &str) -> bool {
    const NAMES: [&str; 10] = [
        "references",
        "참고",
        "참고자료",
        "출처",
        "작성자",
        "author",
        "contributors",
        "목차",
        "tableofcontents",
        "toc",
    ];
    let mut key = String::new();
    for c in title.chars() {
        if c.is_ascii_alphabetic() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || c.is_alphabetic() {
            key.extend(c.to_lowercase());
            // Longer than the longest name ("tableofcontents"): most headings stop here.
            if key.len() > 15 {
                return false;
            }
        }
    }
    NAMES.contains(&key.as_str())
}

fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<!--") && html.ends_with("-->")
}

/// Removes the common indentation of the non-blank lines.
fn dedent(text: &str) -> String {
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(indent)
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.get(common.min(indent(line))..).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// HTML tags an answer may be written with; they become line breaks or nothing. Other `<…>` text is kept, so
/// `Vec<T>` survives.
const BLOCK_TAGS: [&str; 18] = [
    "p",
    "div",
    "ul",
    "ol",
    "table",
    "tr",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "details",
    "summary",
    "section",
    "hr",
];
const INLINE_TAGS: [&str; 19] = [
    "span", "strong", "b", "em", "i", "u", "code", "a", "img", "sup", "sub", "mark", "kbd", "s", "del", "td", "th",
    "thead", "tbody",
];

/// Known HTML tags turned into plain text: `<br>` a line break, block tags a blank line, `<li>` a list item,
/// comments and other known tags removed.
fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tail = &rest[lt..];
        if let Some(comment) = tail.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = tail.find('>') else {
            out.push_str(tail);
            return out;
        };
        let inside = &tail[1..gt];
        let closing = inside.starts_with('/');
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let name = name.as_str();
        if name == "br" {
            out.push('\n');
        } else if name == "li" {
            out.push_str(if closing { "\n" } else { "\n- " });
        } else if BLOCK_TAGS.contains(&name) {
            out.push_str("\n\n");
        } else if !INLINE_TAGS.contains(&name) {
            out.push('<');
            rest = &tail[1..];
            continue;
        }
        rest = &tail[gt + 1..];
    }
    out.push_str(rest);
    squeeze_blank_lines(&out)
}

/// Runs of blank lines become one blank line; trailing blanks on each line removed.
fn squeeze_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_end());
    }
    out
}
