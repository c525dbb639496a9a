//! The document index: the markdown read once into events, its top-level blocks, and the edits and prose
//! marks that answer text is read through.

use super::nav::is_nav_markdown;
use super::text::{collapse, collapse_owned};
use crate::notes::clean::{self, At, HtmlToMarkdown, is_alnum};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;

/// What a top-level block is, as far as the card rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Heading(u8),
    Paragraph,
    List,
    Html,
    Metadata,
    Other,
}

/// A top-level block: its events (indices into [`Doc::events`]) and its source bytes.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) kind: Kind,
    pub(super) ev: Range<usize>,
    pub(super) src: Range<usize>,
}

/// One line of a paragraph: its plain text and source bytes.
pub(super) struct Line {
    pub(super) plain: String,
    pub(super) src: Range<usize>,
}

pub(super) struct Doc<'a> {
    pub(super) src: &'a str,
    pub(super) events: Vec<(Event<'a>, Range<usize>)>,
    pub(super) blocks: Vec<Block>,
    pub(super) line_starts: Vec<usize>,
    /// Changes to the source that make answer text clean markdown, sorted by start (an enclosing edit first).
    pub(super) edits: Vec<Edit>,
    /// For each event, whether it is prose: text a person would say, not a link's or image's text, markup or
    /// navigation.
    pub(super) prose: Vec<bool>,
}

/// Source bytes `range` to be read as `with` in answer text.
#[derive(Debug)]
pub(super) struct Edit {
    pub(super) range: Range<usize>,
    pub(super) with: Cow<'static, str>,
}

impl Edit {
    pub(super) fn delete(range: Range<usize>) -> Edit {
        Edit {
            range,
            with: Cow::Borrowed(""),
        }
    }
}

impl<'a> Doc<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let mut events = Vec::with_capacity(src.len() / 16);
        events.extend(Parser::new_ext(src, options).into_offset_iter());
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut doc = Doc {
            src,
            events,
            blocks: Vec::new(),
            line_starts,
            edits: Vec::new(),
            prose: Vec::new(),
        };
        doc.index();
        doc
    }

    /// Works out [`Doc::blocks`], [`Doc::edits`] and [`Doc::prose`] in one pass over the events (the event list
    /// is large, and a pass over it costs more than the work done in it).
    fn index(&mut self) {
        let events = &self.events;
        let mut blocks = Vec::new();
        let (mut depth, mut start, mut kind) = (0usize, 0, Kind::Other);
        let mut prose = vec![false; events.len()];
        let mut edits: Vec<Edit> = Vec::new();
        let mut html = HtmlToMarkdown::default();
        let (mut code, mut cells, mut links) = (0usize, 0usize, 0usize);
        let mut comment: Option<usize> = None;
        // The current line of a paragraph: its first event, the break before it, and whether it has a link.
        let mut line: Option<(usize, Option<usize>, bool)> = None;
        // Open list items: where each starts, and whether a link or inline HTML is in it.
        let mut items: Vec<(usize, bool)> = Vec::new();
        // For each open `<sup>` or `<sub>`, whether its text was put in braces.
        let mut scripts: Vec<bool> = Vec::new();
        let colons = clean::shortcode_colons(self.src);
        let mut next_colon = 0;
        // Where a kramdown attribute list may start, and where the last one found ends.
        let bytes = self.src.as_bytes();
        let braces: Vec<usize> = memchr::memchr_iter(b'{', bytes)
            .filter(|&b| bytes.get(b + 1) == Some(&b':'))
            .collect();
        let (mut next_brace, mut attributes_end) = (0, 0);
        let licences = clean::mentions_licence(self.src);
        for (i, (event, range)) in events.iter().enumerate() {
            // The top-level blocks.
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
                        let block = Block {
                            kind,
                            ev: start..i + 1,
                            src: events[start].1.clone(),
                        };
                        self.licence_notice(&block, blocks.last(), licences, &mut prose, &mut edits);
                        blocks.push(block);
                    }
                }
                _ if depth == 0 => blocks.push(Block {
                    kind: Kind::Other,
                    ev: i..i + 1,
                    src: range.clone(),
                }),
                _ => {}
            }
            // What answer text makes of the event.
            if let Some(start) = comment {
                if matches!(event, Event::InlineHtml(h) if h.trim_end().ends_with("-->")) {
                    edits.push(Edit::delete(start..range.end));
                    comment = None;
                }
                continue;
            }
            match event {
                Event::Start(Tag::CodeBlock(_)) => code += 1,
                Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
                Event::Start(Tag::TableCell) => cells += 1,
                Event::End(TagEnd::TableCell) => cells = cells.saturating_sub(1),
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                    self.badge(i, &mut edits);
                    links += 1;
                    if let Some(l) = line.as_mut() {
                        l.2 = true;
                    }
                    if let Some(item) = items.last_mut() {
                        item.1 = true;
                    }
                }
                Event::End(TagEnd::Link | TagEnd::Image) => links = links.saturating_sub(1),
                Event::Start(Tag::Paragraph) => line = Some((i + 1, None, false)),
                // A block of raw HTML, at the top or inside a list or quote, is converted whole.
                Event::Start(Tag::HtmlBlock) => {
                    let source = &self.src[range.clone()];
                    let (markdown, has_prose) = clean::html_block_to_markdown(source);
                    let nav = !has_prose && is_nav_markdown(&markdown);
                    prose[i] = has_prose;
                    let mut with = if nav { String::new() } else { markdown };
                    // The block's source takes its line's end with it; the markdown must end that line too, or
                    // what follows (the next item of a list) runs on after it.
                    if !with.is_empty() && source.ends_with('\n') {
                        with.push('\n');
                    }
                    edits.push(Edit {
                        range: range.clone(),
                        with: Cow::Owned(with),
                    });
                }
                Event::Start(Tag::Item) => items.push((i, false)),
                Event::End(TagEnd::Item) => {
                    if let Some((start, true)) = items.pop() {
                        self.nav_item(start, i, &mut edits);
                    }
                }
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    if let Some((first, before, true)) = line {
                        self.nav_line(first..i, before, &mut edits);
                    }
                    let is_break = !matches!(event, Event::End(_));
                    line = is_break.then_some((i + 1, Some(i), false));
                }
                Event::Text(t) if code > 0 => prose[i] = !t.trim().is_empty(),
                Event::Text(t) => {
                    let outside = links == 0 && !html.in_link();
                    // Text comes in source order, so the candidates are walked once.
                    while braces.get(next_brace).is_some_and(|&b| b < range.start) {
                        next_brace += 1;
                    }
                    if range.start < attributes_end || braces.get(next_brace).is_some_and(|&b| b < range.end) {
                        let said = self.attribute_lists(range, &braces[next_brace..], &mut attributes_end, &mut edits);
                        prose[i] = outside && said;
                        continue;
                    }
                    while colons.get(next_colon).is_some_and(|&c| c < range.start) {
                        next_colon += 1;
                    }
                    let colon = colons.get(next_colon).is_some_and(|&c| c < range.end);
                    prose[i] = outside
                        && if colon {
                            clean::strip_shortcodes(t).chars().any(is_alnum)
                        } else {
                            t.chars().any(is_alnum)
                        };
                    if colon && let Cow::Owned(with) = clean::emoji_shortcodes(&self.src[range.clone()]) {
                        edits.push(Edit {
                            range: range.clone(),
                            with: Cow::Owned(with),
                        });
                    }
                }
                Event::Code(t) => prose[i] = links == 0 && !html.in_link() && !t.trim().is_empty(),
                Event::InlineMath(t) | Event::DisplayMath(t) => prose[i] = !t.trim().is_empty(),
                Event::InlineHtml(h) if h.starts_with("<!--") => {
                    if h.trim_end().ends_with("-->") {
                        edits.push(Edit::delete(range.clone()));
                    } else {
                        comment = Some(range.start);
                    }
                }
                Event::InlineHtml(h) if matches!(clean::tag_name(h).as_str(), "sup" | "sub") => {
                    edits.push(self.script(i, h, &mut scripts));
                }
                Event::InlineHtml(h) => {
                    self.badge(i, &mut edits);
                    let linkish = matches!(clean::tag_name(h).as_str(), "a" | "img");
                    if let Some(l) = line.as_mut() {
                        l.2 |= linkish;
                    }
                    if let Some(item) = items.last_mut() {
                        item.1 |= linkish;
                    }
                    let next = events.get(i + 1).map(|(e, _)| e);
                    let is_br = clean::tag_name(h) == "br";
                    let with = match next {
                        _ if cells > 0 => html.tag(h, At::Cell),
                        Some(Event::SoftBreak | Event::HardBreak) if is_br => Some(Cow::Borrowed("  ")),
                        Some(Event::End(_)) | None => html.tag(h, At::LineEnd),
                        _ => html.tag(h, At::Inline),
                    };
                    if let Some(with) = with {
                        edits.push(Edit {
                            range: range.clone(),
                            with,
                        });
                    }
                }
                _ => {}
            }
        }
        edits.sort_by_key(|e| (e.range.start, std::cmp::Reverse(e.range.end)));
        self.blocks = blocks;
        self.edits = edits;
        self.prose = prose;
    }

    /// A top-level block that is a licence notice ([`clean::is_licence_notice`]) deleted, with a bare `License`
    /// label just above it (`<h1>License</h1>`): neither is answer text or prose. `licences` says whether the file
    /// names a licence anywhere; if not, only a block that opens like a copyright line or a licence is looked at.
    fn licence_notice(
        &self,
        block: &Block,
        above: Option<&Block>,
        licences: bool,
        prose: &mut [bool],
        edits: &mut Vec<Edit>,
    ) {
        let markdown = |block: &Block| match block.kind {
            Kind::Html => Cow::Owned(clean::html_block_to_markdown(self.text(&block.src)).0),
            _ => Cow::Borrowed(self.text(&block.src)),
        };
        if !matches!(block.kind, Kind::Paragraph | Kind::Html | Kind::Other) {
            return;
        }
        let raw = self.text(&block.src);
        if !(clean::opens_like_licence(raw) || licences && clean::mentions_licence(raw))
            || !clean::is_licence_notice(&markdown(block))
        {
            return;
        }
        let label = above.filter(|a| {
            matches!(a.kind, Kind::Paragraph | Kind::Html)
                && a.src.len() <= 80
                && clean::letters_key(&markdown(a), 20).is_some_and(|key| {
                    ["license", "licence", "라이선스", "라이센스", "copyright", "저작권"].contains(&key.as_str())
                })
        });
        for gone in label.into_iter().chain([block]) {
            let range = self.widen(&gone.src);
            edits.retain(|e| !(range.start <= e.range.start && e.range.end <= range.end));
            edits.push(Edit::delete(range));
            prose[gone.ev.clone()].fill(false);
        }
    }

    /// The kramdown attribute lists (`{: width="400"}`, [`clean::attribute_list_len`]) that start in the text at
    /// `range`, among `starts`, deleted; one may run on over the next text events (the text is split at `_`), up to
    /// `until`. Returns whether the text outside them is prose.
    fn attribute_lists(
        &self,
        range: &Range<usize>,
        starts: &[usize],
        until: &mut usize,
        edits: &mut Vec<Edit>,
    ) -> bool {
        let mut at = range.start.max(*until);
        let mut said = false;
        for &start in starts.iter().take_while(|&&b| b < range.end) {
            if start < at {
                continue;
            }
            if let Some(len) = clean::attribute_list_len(&self.src[start..]) {
                said |= self.text(&(at..start)).chars().any(is_alnum);
                edits.push(Edit::delete(start..start + len));
                (at, *until) = (start + len, start + len);
            }
        }
        said || self.text(&(at..range.end.max(at))).chars().any(is_alnum)
    }

    /// The edit for a `<sup>` or `<sub>` tag (event `i`): `2<sup>-1</sup>` reads `2^{-1}` and `A<sub>N</sub>`
    /// reads `A_N`; a footnote marker (`<sup>[1](#fn1)</sup>`) goes whole. `scripts` says, for each open tag,
    /// whether its text was put in braces.
    fn script(&self, i: usize, tag: &str, scripts: &mut Vec<bool>) -> Edit {
        let events = &self.events;
        let range = events[i].1.clone();
        if tag.starts_with("</") {
            let braced = scripts.pop().unwrap_or(false);
            return Edit {
                range,
                with: Cow::Borrowed(if braced { "}" } else { "" }),
            };
        }
        let name = clean::tag_name(tag);
        let close = events[i + 1..]
            .iter()
            .take(8)
            .position(|(e, _)| matches!(e, Event::InlineHtml(c) if c.starts_with("</") && clean::tag_name(c) == name))
            .map(|p| i + 1 + p);
        if let Some(c) = close {
            let inside = &events[i + 1..c];
            let footnote = matches!(inside.first(), Some((Event::Start(Tag::Link { dest_url, .. }), _)) if dest_url.starts_with('#'))
                && matches!(inside.last(), Some((Event::End(TagEnd::Link), _)));
            if footnote {
                // Its closing tag still comes by, and pops this entry; its edit falls inside the deleted range.
                scripts.push(false);
                return Edit::delete(range.start..events[c].1.end);
            }
        }
        let single =
            close.is_some_and(|c| matches!(&events[i + 1..c], [(Event::Text(t), _)] if t.chars().count() == 1));
        scripts.push(!single);
        let with = match (name == "sup", single) {
            (true, true) => "^",
            (true, false) => "^{",
            (false, true) => "_",
            (false, false) => "_{",
        };
        Edit {
            range,
            with: Cow::Borrowed(with),
        }
    }

    /// The source in `range` with the edits that fall inside it applied: the clean markdown of that text.
    pub(super) fn clean(&self, range: &Range<usize>) -> Cow<'a, str> {
        let first = self.edits.partition_point(|e| e.range.start < range.start);
        let inside = self.edits[first..]
            .iter()
            .take_while(|e| e.range.start < range.end)
            .filter(|e| e.range.end <= range.end);
        let mut out: Option<String> = None;
        let mut at = range.start;
        for edit in inside {
            if edit.range.start < at {
                continue;
            }
            let out = out.get_or_insert_with(|| String::with_capacity(range.len()));
            out.push_str(self.text(&(at..edit.range.start)));
            out.push_str(&edit.with);
            at = edit.range.end;
        }
        match out {
            None => Cow::Borrowed(self.text(range)),
            Some(mut out) => {
                out.push_str(self.text(&(at..range.end)));
                Cow::Owned(out)
            }
        }
    }

    /// 1-based line of a byte offset.
    pub(super) fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// `range` widened back to the start of its line when only blanks precede it, so indentation is kept.
    pub(super) fn widen(&self, range: &Range<usize>) -> Range<usize> {
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

    pub(super) fn text(&self, range: &Range<usize>) -> &'a str {
        self.src.get(range.clone()).unwrap_or("")
    }

    /// `topic:` from YAML front matter, when there is any.
    pub(super) fn front_matter_topic(&self) -> Option<String> {
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
    pub(super) fn plain(&self, ev: Range<usize>) -> String {
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

    /// Whether the events in `ev` hold prose: text, code or math that is not a link's, an image's or
    /// navigation.
    pub(super) fn has_text(&self, ev: Range<usize>) -> bool {
        self.prose.get(ev).is_some_and(|p| p.contains(&true))
    }

    /// The heading's question text: plain text with links, markup and `:emoji:` shortcodes removed.
    pub(super) fn heading_text(&self, block: &Block) -> String {
        let plain = self.plain(block.ev.clone());
        // Most headings have no shortcode and nothing to collapse: the plain text is the question as it is.
        let stripped = match clean::strip_shortcodes(&plain) {
            Cow::Owned(stripped) => Some(stripped),
            Cow::Borrowed(_) => None,
        };
        collapse_owned(stripped.unwrap_or(plain))
    }

    /// A paragraph split at its line breaks.
    pub(super) fn lines(&self, block: &Block) -> Vec<Line> {
        let inner = block.ev.start + 1..block.ev.end.saturating_sub(1);
        let mut lines = Vec::new();
        let mut plain = String::new();
        let mut src_start = block.src.start;
        for i in inner.clone() {
            let (event, range) = &self.events[i];
            match event {
                Event::Text(t) | Event::Code(t) => plain.push_str(t),
                Event::SoftBreak | Event::HardBreak => {
                    lines.push(Line {
                        plain: std::mem::take(&mut plain),
                        src: src_start..range.start,
                    });
                    src_start = range.end;
                }
                _ => {}
            }
        }
        lines.push(Line {
            plain,
            src: src_start..block.src.end,
        });
        lines
    }
}
