//! Links, tables of contents and navigation: what only moves the reader around, and what only credits the page.

use super::doc::{Block, Doc, Edit, Kind};
use super::roles::Builder;
use super::text::is_block_tag;
use crate::notes::clean::{self, is_alnum, is_letter};
use crate::notes::finding::FindingKind;
use crate::notes::names;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

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
        // The line above went with the break before this one (it was the first line, or went the same way): this
        // line is now the first, and goes with the break after it, in one edit with the lines above.
        let above = before.and_then(|b| {
            let gone = self.events[b].1.end;
            edits.iter().rposition(|e| e.range.end == gone && e.with.is_empty())
        });
        let range = match (before, above) {
            (_, Some(a)) => {
                let first = edits.remove(a).range.start;
                self.through_break(first, end, ev.end)
            }
            (Some(b), None) => self.events[b].1.start..end,
            (None, None) => self.through_break(self.widen(&(start..end)).start, end, ev.end),
        };
        edits.push(Edit::delete(range));
    }

    /// `start..end`, taking the line break at event `next` with it when there is one there.
    fn through_break(&self, start: usize, end: usize, next: usize) -> Range<usize> {
        match self.events.get(next) {
            Some((Event::SoftBreak | Event::HardBreak, r)) => start..r.end,
            _ => start..end,
        }
    }

    /// A badge or avatar image at event `i` (markdown, or an `<img>` tag; [`clean::is_badge_image`]) removed, with
    /// the link around it when it is all that link holds: a badge inside a line of text is no more answer text than
    /// a line of badges is.
    pub(super) fn badge(&self, i: usize, edits: &mut Vec<Edit>) {
        let events = &self.events;
        let last = match &events[i].0 {
            Event::Start(Tag::Image { dest_url, .. }) if clean::is_badge_image(dest_url) => {
                match events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Image)))
                {
                    Some(close) => i + close,
                    None => return,
                }
            }
            Event::InlineHtml(tag)
                if tag.get(..4).is_some_and(|t| t.eq_ignore_ascii_case("<img"))
                    && clean::attr(tag, "src").is_some_and(clean::is_badge_image) =>
            {
                i
            }
            _ => return,
        };
        let is_a = |e: &Event<'_>, closing: bool| matches!(e, Event::InlineHtml(t) if clean::tag_name(t) == "a" && t.starts_with("</") == closing);
        let linked = i
            .checked_sub(1)
            .zip(events.get(last + 1))
            .filter(|&(open, (close, _))| {
                let open = &events[open].0;
                (matches!(open, Event::Start(Tag::Link { .. })) && matches!(close, Event::End(TagEnd::Link)))
                    || (is_a(open, false) && is_a(close, true))
            });
        let mut range = match linked {
            Some((open, (_, close))) => events[open].1.start..close.end.max(events[open].1.end),
            None => events[i].1.start..events[last].1.end,
        };
        // The blank that parted it from the text after it goes too, so no line starts with a space.
        let bytes = self.src.as_bytes();
        if range
            .start
            .checked_sub(1)
            .is_none_or(|b| matches!(bytes[b], b'\n' | b' '))
        {
            while bytes.get(range.end) == Some(&b' ') {
                range.end += 1;
            }
        }
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
    pub(super) fn is_link_line(&self, ev: Range<usize>) -> bool {
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

impl Builder<'_, '_> {
    /// Whether a heading is made only of navigation (`## :house: [Home](…)`), or is one link to another file or
    /// folder of the repo (`## [📖 정리노트](./contents/network)`): an entry of an index, not a question.
    pub(super) fn is_nav_heading(&self, h: usize) -> bool {
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

    /// How the heading that is block `h` links elsewhere: not at all, beside text of its own (`## 자료구조
    /// [Link](…)`), or only (`##### :pray: [HOW TO CONTRIBUTE](…)`: an emoji shortcode is no text of its own).
    pub(super) fn heading_links(&self, h: usize) -> Links {
        let ev = &self.doc.blocks[h].ev;
        let inner = &self.doc.events[ev.start + 1..ev.end.saturating_sub(1).max(ev.start + 1)];
        if !inner.iter().any(|(e, _)| matches!(e, Event::Start(Tag::Link { .. }))) {
            return Links::None;
        }
        let mut depth = 0usize;
        let outside = inner.iter().any(|(e, _)| match e {
            Event::Start(Tag::Link { .. }) => {
                depth += 1;
                false
            }
            Event::End(TagEnd::Link) => {
                depth = depth.saturating_sub(1);
                false
            }
            Event::Text(t) if depth == 0 => clean::strip_shortcodes(t).chars().any(char::is_alphanumeric),
            Event::Code(_) => depth == 0,
            _ => false,
        });
        if outside { Links::Beside } else { Links::Only }
    }

    /// Whether a block (a quote or a paragraph of one line) only credits or sources the page.
    pub(super) fn credits(&self, block: &Block) -> bool {
        let doc = self.doc;
        block.src.len() <= 300
            && is_credit_line(doc.text(&block.src))
            && !doc.events[block.ev.clone()]
                .iter()
                .any(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak))
    }
}

/// What a table on the front page is, when it is not notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// The members of a study or the contributors: pictures, links to their profiles and their names.
    Members,
    /// An index of the notes: its cells are (nearly) all links, at least six of them.
    Links,
}

impl Table {
    /// Why a section on the front page that is mostly this table gives no card.
    fn why(self) -> &'static str {
        match self {
            Table::Members => "lists the members",
            Table::Links => "is an index of links",
        }
    }
}

/// Whether a link's address is a person's page on GitHub (`https://github.com/name`), or its text a handle
/// (`@name`).
fn is_profile(url: &str, text: &str) -> bool {
    let url = url.trim().trim_end_matches('/');
    let path = url
        .strip_prefix("https://github.com/")
        .or_else(|| url.strip_prefix("http://github.com/"));
    path.is_some_and(|p| !p.is_empty() && !p.contains(['/', '?', '#'])) || text.trim_start().starts_with('@')
}

/// What a table is, from its events (`Start(Table)` to `End(Table)`), when it is a members table or an index of
/// links. Cells are sorted into pictures (images and nothing else), profiles (links to people's pages), links (one
/// or more links with under ten letters beside them), labels (a few words, no link: a name, a column's title),
/// numbers and blanks (which count for nothing), and anything else.
fn table_kind(events: &[(Event<'_>, Range<usize>)]) -> Option<Table> {
    #[derive(Default)]
    struct Cell {
        images: usize,
        links: usize,
        profiles: usize,
        letters: usize,
        /// The open link's address and text.
        link: Option<(String, String)>,
        image: bool,
    }
    let (mut pictures, mut profiles, mut links, mut labels, mut other) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut cell: Option<Cell> = None;
    // Whether the cells are the head's, whose labels name columns and count for nothing.
    let mut head = false;
    for (event, _) in events {
        let Some(c) = cell.as_mut() else {
            match event {
                Event::Start(Tag::TableCell) => cell = Some(Cell::default()),
                Event::Start(Tag::TableHead) => head = true,
                Event::End(TagEnd::TableHead) => head = false,
                _ => {}
            }
            continue;
        };
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => c.link = Some((dest_url.to_string(), String::new())),
            Event::End(TagEnd::Link) => {
                if let Some((url, text)) = c.link.take() {
                    c.links += 1;
                    c.profiles += usize::from(is_profile(&url, &text));
                }
            }
            Event::Start(Tag::Image { .. }) => {
                c.images += 1;
                c.image = true;
            }
            Event::End(TagEnd::Image) => c.image = false,
            Event::InlineHtml(tag) if clean::tag_name(tag) == "img" => c.images += 1,
            Event::InlineHtml(tag) if clean::tag_name(tag) == "a" && !tag.starts_with("</") => {
                c.link = clean::attr(tag, "href").map(|href| (href.to_owned(), String::new()));
            }
            Event::InlineHtml(tag) if clean::tag_name(tag) == "a" => {
                if let Some((url, text)) = c.link.take() {
                    c.links += 1;
                    c.profiles += usize::from(is_profile(&url, &text));
                }
            }
            Event::Text(t) | Event::Code(t) if !c.image => match c.link.as_mut() {
                Some((_, text)) => text.push_str(t),
                None => c.letters += t.chars().filter(|&ch| is_letter(ch)).count(),
            },
            Event::End(TagEnd::TableCell) => {
                let c = cell.take().unwrap_or_default();
                match (c.images, c.links, c.letters) {
                    (0, 0, 0) => {}
                    (_, 0, 0) => pictures += 1,
                    (_, l, 0) if l > 0 && c.profiles == l => profiles += 1,
                    (_, l, letters) if l > 0 && letters < 10 => links += 1,
                    (0, 0, letters) if letters <= 12 => labels += usize::from(!head),
                    _ => other += 1,
                }
            }
            _ => {}
        }
    }
    let people = pictures + profiles;
    if people >= 2 && profiles >= 1 && links == 0 && other == 0 && labels <= people {
        return Some(Table::Members);
    }
    let all = pictures + profiles + links + labels + other;
    let linked = links + profiles;
    (linked >= 6 && linked * 3 >= all * 2).then_some(Table::Links)
}

impl Builder<'_, '_> {
    /// Whether a section of the front page (its heading is block `h`, its own blocks run to `end`) is about the
    /// study or repository rather than a subject, and so gives no card: its rules (by the heading's name, and only
    /// under the title, `top`), or a table of its members or an index of links with little said beside it (and no
    /// sub-section of prose under it). `check` says which and why.
    pub(super) fn front_page_matter(&mut self, h: usize, end: usize, top: bool) -> bool {
        if !self.front_page {
            return false;
        }
        let doc = self.doc;
        let title = doc.heading_text(&doc.blocks[h]);
        let why = if top && names::key(&title).is_some_and(|key| names::is_rules_key(&key)) {
            Some("holds the rules of the study or repository")
        } else {
            self.table_section(h, end).map(Table::why)
        };
        let Some(why) = why else {
            return false;
        };
        let line = doc.line(doc.blocks[h].src.start);
        self.finding(
            line,
            FindingKind::Skipped,
            format!("section \"{title}\" on the front page {why}, not a card"),
        );
        true
    }

    /// The kind of the members table or index of links that section `h` (own blocks up to `end`) is made of: one
    /// such table among its own blocks, under 200 letters of prose beside it, and no prose in the sub-sections
    /// under it.
    fn table_section(&self, h: usize, end: usize) -> Option<Table> {
        let doc = self.doc;
        let is_table = |b: &Block| matches!(doc.events[b.ev.start].0, Event::Start(Tag::Table(_)));
        let own = &doc.blocks[h + 1..end];
        // Most sections hold no table: told before anything is counted.
        if !own.iter().any(is_table) {
            return None;
        }
        let mut found = None;
        let mut said = 0usize;
        for block in own {
            if is_table(block) {
                match table_kind(&doc.events[block.ev.clone()]) {
                    Some(kind) if found.is_none_or(|f| f == kind) => found = Some(kind),
                    _ => return None,
                }
                continue;
            }
            for i in block.ev.clone() {
                if let (true, Event::Text(t) | Event::Code(t)) = (doc.prose[i], &doc.events[i].0) {
                    said += t.chars().filter(|&c| is_alnum(c)).count();
                }
            }
            if said >= 200 {
                return None;
            }
        }
        let Kind::Heading(level) = doc.blocks[h].kind else {
            return None;
        };
        let under = doc.blocks[end..]
            .iter()
            .take_while(|b| !matches!(b.kind, Kind::Heading(l) if l <= level));
        for block in under {
            if !matches!(block.kind, Kind::Heading(_)) && doc.has_text(block.ev.clone()) {
                return None;
            }
        }
        found
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
pub(super) fn is_table_of_contents(events: &[(Event<'_>, Range<usize>)]) -> bool {
    mostly_items(
        events,
        |rest| matches!(item_start(rest), Some(Event::Start(Tag::Link { dest_url, .. })) if dest_url.starts_with('#')),
    )
}

/// Whether a list is a list of links (further reading, or an index of other pages): two in three of its own items
/// are a link with under ten letters beside it in their first paragraph (`[글](…)`, `정리 … | [글](…)`) or open
/// with a link to another page of the notes (`[정렬](sort.md) (삽입 / 선택 / …)`). An item that is only a short
/// label over a nested list (`### 자료구조`, then its links) counts for neither; the items of that list count.
pub(super) fn is_link_list(events: &[(Event<'_>, Range<usize>)]) -> bool {
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

/// How a heading links elsewhere.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Links {
    None,
    Beside,
    Only,
}
