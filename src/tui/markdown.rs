//! An answer's markdown laid out as styled terminal lines.
//!
//! [`render`] reads the markdown with pulldown-cmark and lays every block out for a given width; [`wrap`] breaks
//! styled spans into lines (questions use it too); [`sanitize`] makes text safe to draw; [`render_text`] gives the
//! same layout as plain text, for the line-mode quiz. Everything here is pure: no terminal is touched.
//!
//! Widths are display columns as unicode-width counts them: a Hangul syllable takes two, a combining mark none.
//! No line that comes out of this module is wider than the width asked for, and lines are only ever broken
//! between characters (a character and the combining marks or joined characters after it stay together).

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Colours and styles that carry meaning. [`Theme::colored`] for colour terminals, [`Theme::plain`] for
/// `NO_COLOR` (bold, reverse, underline and dim only, no colours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Headings; they are drawn bold on top of this.
    pub heading: Style,
    /// Inline code (`` `code` ``).
    pub code: Style,
    /// Every line of a fenced or indented code block, padded to the full width (so a background shows as a band).
    pub code_block: Style,
    /// The `│` bar in front of every line of a block quote.
    pub quote: Style,
    /// A link's text.
    pub link: Style,
    /// A link's URL, shown in parentheses after its text.
    pub link_url: Style,
    /// `[image: alt]`.
    pub image: Style,
    /// List bullets, numbers and task boxes.
    pub bullet: Style,
    /// A table's column separators and the line under its header.
    pub table_border: Style,
    /// A horizontal rule.
    pub rule: Style,
}

impl Theme {
    /// Styles for a colour terminal. Code blocks set both colours, so they read the same on dark and light
    /// backgrounds.
    pub fn colored() -> Theme {
        Theme {
            heading: Style::new().fg(Color::Cyan),
            code: Style::new().fg(Color::Yellow),
            code_block: Style::new().fg(Color::Indexed(252)).bg(Color::Indexed(236)),
            quote: Style::new().fg(Color::Green),
            link: Style::new().fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            link_url: Style::new().add_modifier(Modifier::DIM),
            image: Style::new().fg(Color::Magenta),
            bullet: Style::new().fg(Color::Yellow),
            table_border: Style::new().fg(Color::DarkGray),
            rule: Style::new().fg(Color::DarkGray),
        }
    }

    /// Styles without colours, for `NO_COLOR`: only bold, reverse, underline and dim.
    pub fn plain() -> Theme {
        Theme {
            heading: Style::new().add_modifier(Modifier::UNDERLINED),
            code: Style::new().add_modifier(Modifier::REVERSED),
            code_block: Style::new(),
            quote: Style::new().add_modifier(Modifier::DIM),
            link: Style::new().add_modifier(Modifier::UNDERLINED),
            link_url: Style::new().add_modifier(Modifier::DIM),
            image: Style::new().add_modifier(Modifier::DIM),
            bullet: Style::new(),
            table_border: Style::new().add_modifier(Modifier::DIM),
            rule: Style::new().add_modifier(Modifier::DIM),
        }
    }
}

impl Default for Theme {
    /// [`Theme::colored`].
    fn default() -> Self {
        Theme::colored()
    }
}

/// Separator between table columns.
const COLUMN_SEPARATOR: &str = " │ ";
/// A table column is never shrunk below this many columns (or its own width, if smaller); a table that would need
/// narrower columns is shown one `header: value` line per cell instead.
const MIN_COLUMN: usize = 6;
/// Bullets of unordered lists by nesting level; deeper levels repeat the last.
const BULLETS: [&str; 3] = ["•", "◦", "▪"];

// What one answer may cost to lay out, whatever its size (a note may hold 64 MB): the layout is bounded by what a
// screen can show, and what lies beyond is cut with a line that says so.

/// Lines laid out for one answer; the rest is cut, and a line after them says so.
pub const MAX_LINES: usize = 5_000;
/// Bytes of an answer's markdown that are read (up to the last whole line within them); the rest is cut. The
/// parser holds a tree as big as its input, and [`MAX_LINES`] lines rarely take a tenth of this.
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;
/// Columns of a table laid out: as a grid they would need a screen some 250 columns wide, as records a screen of
/// lines per row. The rest are dropped, with a line after the table that says how many.
pub const MAX_TABLE_COLUMNS: usize = 64;
/// Cells of a table kept: the rows past them are dropped, with a line after the table that says how many.
pub const MAX_TABLE_CELLS: usize = 20_000;
/// Display columns of text kept in one table cell (a full screen of text); the rest is cut, ending in `…`.
pub const MAX_CELL_COLUMNS: usize = 4_000;

/// The answer's markdown laid out for `width` display columns.
///
/// Blocks are separated by one blank line (items of a tight list by none); there are no blank lines at the start
/// or the end. No line is wider than `width`; a width of 0 gives no lines.
///
/// What it costs is bounded, whatever the answer's size: at most [`MAX_SOURCE_BYTES`] of the markdown are read and
/// [`MAX_LINES`] lines laid out, a table keeps [`MAX_TABLE_COLUMNS`] columns, [`MAX_TABLE_CELLS`] cells and
/// [`MAX_CELL_COLUMNS`] columns of text in a cell, and a line says what was cut.
pub fn render(markdown: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    render_from(markdown, "", width, theme)
}

/// [`render`] of the answer of a card whose note file is in `folder` (relative to the notes, `/`-separated; empty
/// at their top): a picture says where it is, `[그림: alt — folder/images/x.png]`, its path given from the top of the
/// notes (or its URL), so the user can find it.
pub fn render_from(markdown: &str, folder: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    if width == 0 {
        return Vec::new();
    }
    let (source, cut) = source(markdown);
    let events = events(source);
    let mut renderer = Renderer::new(usize::from(width), theme);
    renderer.folder = folder;
    for i in 0..events.len() {
        if renderer.out.len() > MAX_LINES {
            break;
        }
        renderer.event(&events, i);
    }
    renderer.finish(cut)
}

/// The part of `markdown` that is read: all of it, or the whole lines within [`MAX_SOURCE_BYTES`] and `true` for
/// the rest cut.
fn source(markdown: &str) -> (&str, bool) {
    if markdown.len() <= MAX_SOURCE_BYTES {
        return (markdown, false);
    }
    let mut end = MAX_SOURCE_BYTES;
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    let end = markdown[..end].rfind('\n').map_or(end, |newline| newline + 1);
    (&markdown[..end], true)
}

/// The events of `markdown`, less what a table cannot show: its cells past [`MAX_TABLE_COLUMNS`] in a row and its
/// rows past [`MAX_TABLE_CELLS`] are left out (their events are never kept), and a paragraph after the table says
/// how many.
fn events(markdown: &str) -> Vec<Event<'_>> {
    /// What is kept of the table being read.
    struct Kept {
        columns: usize,
        /// The cell being read in its row (1-based), then the row's number of cells.
        column: usize,
        cells: usize,
        rows_dropped: usize,
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = Vec::new();
    let mut table: Option<Kept> = None;
    // The depth inside a part being left out, 0 when none is.
    let mut dropping = 0_usize;
    for event in Parser::new_ext(markdown, options) {
        if dropping > 0 {
            match event {
                Event::Start(_) => dropping += 1,
                Event::End(_) => dropping -= 1,
                _ => {}
            }
            continue;
        }
        let event = match (event, &mut table) {
            (Event::Start(Tag::Table(mut alignments)), _) => {
                table = Some(Kept {
                    columns: alignments.len(),
                    column: 0,
                    cells: 0,
                    rows_dropped: 0,
                });
                alignments.truncate(MAX_TABLE_COLUMNS);
                Event::Start(Tag::Table(alignments))
            }
            (Event::Start(Tag::TableRow), Some(kept)) if kept.cells >= MAX_TABLE_CELLS => {
                kept.rows_dropped += 1;
                dropping = 1;
                continue;
            }
            (event @ Event::Start(Tag::TableHead | Tag::TableRow), Some(kept)) => {
                kept.column = 0;
                event
            }
            (event @ Event::Start(Tag::TableCell), Some(kept)) => {
                kept.column += 1;
                kept.columns = kept.columns.max(kept.column);
                if kept.column > MAX_TABLE_COLUMNS {
                    dropping = 1;
                    continue;
                }
                kept.cells += 1;
                event
            }
            (event @ Event::End(TagEnd::Table), _) => {
                out.push(event);
                let Some(kept) = table.take() else { continue };
                let columns = kept.columns.saturating_sub(MAX_TABLE_COLUMNS);
                let said = match (columns, kept.rows_dropped) {
                    (0, 0) => continue,
                    (columns, 0) => format!("… {} more columns not shown", grouped(columns)),
                    (0, rows) => format!("… {} more rows not shown", grouped(rows)),
                    (columns, rows) => {
                        format!(
                            "… {} more columns and {} more rows not shown",
                            grouped(columns),
                            grouped(rows)
                        )
                    }
                };
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::Text(said.into()));
                Event::End(TagEnd::Paragraph)
            }
            (event, _) => event,
        };
        out.push(event);
    }
    out
}

/// `n` with its thousands separated by commas: `4,936`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The answer's markdown laid out for `width` display columns as plain text, for the line-mode quiz: the lines
/// [`render`] draws with [`Theme::plain`], styles dropped, each line's trailing spaces trimmed, joined by `\n` (no
/// newline after the last).
///
/// What [`render`] promises holds here too: no line is wider than `width`, and control characters and escape
/// sequences show as visible symbols, so the text holds no ESC and may go straight to a terminal.
pub fn render_text(markdown: &str, width: u16) -> String {
    render_text_from(markdown, "", width)
}

/// [`render_text`] of the answer of a card whose note file is in `folder` (see [`render_from`]).
pub fn render_text_from(markdown: &str, folder: &str, width: u16) -> String {
    as_text(&render_from(markdown, folder, width, &Theme::plain()))
}

/// Lines as text, one a line, without the spaces that pad their ends.
fn as_text(lines: &[Line<'_>]) -> String {
    let lines: Vec<String> = lines
        .iter()
        .map(|line| {
            let text: String = line.spans.iter().map(|span| span.content.as_ref()).collect();
            text.trim_end_matches(' ').to_owned()
        })
        .collect();
    lines.join("\n")
}

/// Most parts listed after an answer; the rest are counted.
const MOST_PARTS: usize = 8;

/// What the card whose parts follow its answer is, for how they are introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartsOf {
    /// A question asked without a written answer: [`NO_ANSWER`] comes first.
    pub unanswered: bool,
    /// Its parts are all its follow-up questions (꼬리 질문).
    pub follow_ups: bool,
}

impl PartsOf {
    /// Which of these the card up in `session` is.
    pub fn of(session: &crate::session::Session<'_>) -> PartsOf {
        PartsOf {
            unanswered: session.current().is_some_and(crate::Card::is_question),
            follow_ups: session.parts_are_follow_ups(),
        }
    }
}

/// What a question asked without a written answer shows in place of one.
pub const NO_ANSWER: &str = "답이 아직 없습니다: 소리 내어 답한 뒤 스스로 평가하세요";

/// The lines that follow an answer (see [`crate::card::parts`]): for a question asked without a written answer,
/// [`NO_ANSWER`]; then, for a card with parts, a blank line, a dim header (`꼬리 질문:` when they are all its
/// follow-up questions) and one `›` line a part, wrapped to `width` with a hanging indent, the ninth on counted.
pub fn render_parts(parts: &[&str], kind: PartsOf, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let unanswered = kind.unanswered;
    if width == 0 || (parts.is_empty() && !unanswered) {
        return Vec::new();
    }
    let dim = Style::new().add_modifier(Modifier::DIM);
    let mut lines = Vec::new();
    if unanswered {
        lines.extend(wrap(vec![Span::styled(NO_ANSWER, dim)], width, Vec::new(), Vec::new()));
        if parts.is_empty() {
            return lines;
        }
    }
    let header = match (kind.follow_ups, parts.len()) {
        (true, _) => "꼬리 질문:",
        (false, 1) => "Its part, a card of its own:",
        (false, _) => "Its parts, each a card of its own:",
    };
    lines.extend([Line::raw(""), Line::styled(header, dim)]);
    for part in parts.iter().take(MOST_PARTS) {
        let first = vec![Span::styled("› ", theme.bullet)];
        lines.extend(wrap(
            vec![Span::raw(part.to_string())],
            width,
            first,
            vec![Span::raw("  ")],
        ));
    }
    if parts.len() > MOST_PARTS {
        lines.push(Line::styled(format!("  … and {} more", parts.len() - MOST_PARTS), dim));
    }
    lines
}

/// [`render_parts`] as plain text, for the line mode: empty when there is nothing to add.
pub fn render_parts_text(parts: &[&str], kind: PartsOf, width: u16) -> String {
    as_text(&render_parts(parts, kind, width, &Theme::plain()))
}

/// Where a picture at `dest` (as the markdown names it) is, for a person to find it: a URL as it is (a `data:` one
/// by its type alone), a path from the top of the notes (`folder` is the note file's folder there), with `.` and
/// `..` taken out. A path that climbs above the notes, or an absolute one, is shown as written. Made visible and
/// cut to a screen's width.
fn image_place(folder: &str, dest: &str) -> String {
    const MOST: usize = 200;
    let dest = dest.trim();
    let place = if let Some(data) = dest.strip_prefix("data:") {
        let kind = data.split([';', ',']).next().unwrap_or("");
        format!("data:{kind}")
    } else if dest.contains("://") || dest.starts_with('/') || dest.starts_with('#') || dest.is_empty() {
        dest.to_string()
    } else {
        let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
        let mut above = false;
        for part in dest.split(['?', '#']).next().unwrap_or(dest).split('/') {
            match part {
                "" | "." => {}
                ".." => above |= parts.pop().is_none(),
                part => parts.push(part),
            }
        }
        if above { dest.to_string() } else { parts.join("/") }
    };
    let place = crate::visible::one_line(&place).into_owned();
    match place.char_indices().nth(MOST) {
        Some((cut, _)) => format!("{}…", &place[..cut]),
        None => place,
    }
}

/// The folder of the note file `file` (a path relative to the notes, `/`-separated), for [`render_from`].
pub fn folder_of(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Text made safe to draw: control characters and escape sequences become visible symbols, tabs are expanded to
/// spaces, and the result is in Unicode NFC.
///
/// [`crate::visible::visible`] (controls as their pictures, C1 controls and bidi overrides as `�`, tabs to the
/// next multiple of 4 columns), then NFC. Newlines are kept: where lines break is the caller's business. Text that
/// needs none of this is borrowed, not copied.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    crate::notes::nfc(crate::visible::visible(text))
}

/// Wraps already-styled spans to `width` columns.
///
/// Lines break at spaces when they can; a word longer than a line is broken between characters, never inside
/// one (a Hangul syllable, or a character with its combining marks, stays whole). The spaces at a break are
/// dropped. A `\n` in a span is a hard line break. The first line starts with `first_prefix`, the others with
/// `rest_prefix` (spaces of the same width give a hanging indent); a prefix that leaves less than two columns for
/// the text is cut. No line is wider than `width`; a character wider than the room left even on an empty line
/// (only possible at a width of 1 or 2) shows as `…`. Empty `spans` give one line holding only the prefix; a width
/// of 0 gives no lines. The text is passed through [`sanitize`].
pub fn wrap(
    spans: Vec<Span<'static>>,
    width: u16,
    first_prefix: Vec<Span<'static>>,
    rest_prefix: Vec<Span<'static>>,
) -> Vec<Line<'static>> {
    let clean = |spans: Vec<Span<'static>>| spans.into_iter().map(sanitize_span).collect();
    wrap_cols(
        clean(spans),
        usize::from(width),
        clean(first_prefix),
        clean(rest_prefix),
    )
}

// ---------------------------------------------------------------------------------------------------------------
// Text: sanitizing, measuring, cutting.

/// Columns of one character (controls, which [`sanitize`] removes, count as none).
fn char_width(c: char) -> usize {
    if c.is_ascii() {
        usize::from(c >= ' ' && c != '\u{7f}')
    } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        2
    } else {
        c.width().unwrap_or(0)
    }
}

/// Whether `c` draws nothing of its own and so belongs to the character before it.
fn is_zero_width(c: char) -> bool {
    !c.is_ascii() && !('\u{AC00}'..='\u{D7A3}').contains(&c) && c.width() == Some(0)
}

/// The pieces of a text that a line may not be broken inside: a character with the zero-width characters after
/// it (combining marks, variation selectors, Hangul vowel and final jamo) and whatever a zero-width joiner joins
/// to it. Yields byte ranges and columns; the columns of a text are never less than unicode-width's measure of
/// it, so cutting by these never overflows.
struct Clusters<'a> {
    text: &'a str,
    pos: usize,
}

fn clusters(text: &str) -> Clusters<'_> {
    Clusters { text, pos: 0 }
}

impl Iterator for Clusters<'_> {
    /// (start, end, columns)
    type Item = (usize, usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let rest = &self.text[start..];
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let mut end = first.len_utf8();
        let mut simple = true;
        let mut joined = false;
        for (i, c) in chars {
            if joined && c != ' ' && c != '\n' {
                joined = c == '\u{200D}';
            } else if c == '\u{200D}' {
                joined = true;
            } else if !is_zero_width(c) {
                break;
            }
            end = i + c.len_utf8();
            simple = false;
        }
        self.pos = start + end;
        let width = if simple { char_width(first) } else { rest[..end].width() };
        Some((start, start + end, width))
    }
}

/// Columns of `text`, measured as [`Clusters`] measure it.
fn text_width(text: &str) -> usize {
    if text.is_ascii() {
        return text.bytes().filter(|&b| b >= b' ' && b != 0x7f).count();
    }
    clusters(text).map(|(_, _, w)| w).sum()
}

fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(|s| text_width(&s.content)).sum()
}

/// `span` with its text sanitized.
fn sanitize_span(mut span: Span<'static>) -> Span<'static> {
    if let Cow::Owned(clean) = sanitize(&span.content) {
        span.content = Cow::Owned(clean);
    }
    span
}

/// `spans` cut to at most `max` columns (at a cluster boundary), with their width.
fn cut_spans(spans: Vec<Span<'static>>, max: usize) -> (Vec<Span<'static>>, usize) {
    let total = spans_width(&spans);
    if total <= max {
        return (spans, total);
    }
    let mut out = Vec::with_capacity(spans.len());
    let mut used = 0;
    for span in spans {
        let mut end = 0;
        let mut full = false;
        for (_, e, w) in clusters(&span.content) {
            if used + w > max {
                full = true;
                break;
            }
            used += w;
            end = e;
        }
        if end > 0 {
            out.push(Span::styled(span.content[..end].to_owned(), span.style));
        }
        if full {
            break;
        }
    }
    (out, used)
}

/// A prefix cut so that it leaves at least two columns of `width` (all of it when `width` < 3).
fn fit_prefix(prefix: Vec<Span<'static>>, width: usize) -> (Vec<Span<'static>>, usize) {
    cut_spans(prefix, width.saturating_sub(2))
}

/// `text` padded with spaces, or cut with a `…`, to exactly `width` columns (fewer only where unicode-width
/// joins characters into a narrower whole).
/// `line` cut into pieces of at most `width` columns, between characters (a character with its combining marks
/// stays whole); one empty piece for an empty line. A width of 0 keeps the line whole (it is cut when drawn).
fn wrap_code(line: &str, width: usize) -> Vec<&str> {
    if width == 0 || text_width(line) <= width {
        return vec![line];
    }
    let mut pieces = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (from, to, w) in clusters(line) {
        if used + w > width && used > 0 {
            pieces.push(&line[start..from]);
            (start, used) = (from, 0);
        }
        used += w;
        let _ = to;
    }
    pieces.push(&line[start..]);
    pieces
}

fn fit_text(text: &str, width: usize) -> String {
    let total = text_width(text);
    let mut out = String::with_capacity(text.len() + width);
    if total <= width {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width - total));
        return out;
    }
    let room = width.saturating_sub(1);
    let mut used = 0;
    for (start, end, w) in clusters(text) {
        if used + w > room {
            break;
        }
        used += w;
        out.push_str(&text[start..end]);
    }
    if width > 0 {
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width - used));
    out
}

// ---------------------------------------------------------------------------------------------------------------
// Wrapping.

#[derive(Clone, Copy, PartialEq, Eq)]
enum SegKind {
    Word,
    Space,
    Break,
}

/// A run of one kind of clusters inside one span.
#[derive(Clone, Copy)]
struct Seg {
    span: usize,
    start: usize,
    end: usize,
    width: usize,
    kind: SegKind,
}

/// Splits the spans into words, spaces and hard breaks. A word may go on over several spans.
fn segments(spans: &[Span]) -> Vec<Seg> {
    let mut segs: Vec<Seg> = Vec::with_capacity(spans.len() * 4);
    for (index, span) in spans.iter().enumerate() {
        let text: &str = &span.content;
        let mut open: Option<Seg> = None;
        let mut push = |seg: Seg, open: &mut Option<Seg>| {
            if let Some(cur) = open
                && cur.kind == seg.kind
                && seg.kind != SegKind::Break
            {
                cur.end = seg.end;
                cur.width += seg.width;
                return;
            }
            if let Some(done) = open.replace(seg) {
                segs.push(done);
            }
        };
        if text.is_ascii() {
            for (i, b) in text.bytes().enumerate() {
                let (kind, width) = match b {
                    b' ' => (SegKind::Space, 1),
                    b'\n' => (SegKind::Break, 0),
                    b if b < b' ' || b == 0x7f => (SegKind::Word, 0),
                    _ => (SegKind::Word, 1),
                };
                let seg = Seg {
                    span: index,
                    start: i,
                    end: i + 1,
                    width,
                    kind,
                };
                push(seg, &mut open);
            }
        } else {
            for (start, end, width) in clusters(text) {
                let kind = match &text[start..end] {
                    " " => SegKind::Space,
                    "\n" => SegKind::Break,
                    _ => SegKind::Word,
                };
                let seg = Seg {
                    span: index,
                    start,
                    end,
                    width,
                    kind,
                };
                push(seg, &mut open);
            }
        }
        if let Some(done) = open {
            segs.push(done);
        }
    }
    segs
}

/// A piece of a line: a byte range of one span, or a `…` standing for a character too wide to draw.
#[derive(Clone, Copy)]
struct Piece {
    span: usize,
    start: usize,
    end: usize,
    ellipsis: bool,
}

/// Lines being filled by [`wrap_cols`].
struct Filler<'a> {
    spans: &'a [Span<'static>],
    width: usize,
    first_prefix: Vec<Span<'static>>,
    first_width: usize,
    rest_prefix: Vec<Span<'static>>,
    rest_width: usize,
    lines: Vec<Line<'static>>,
    pieces: Vec<Piece>,
    used: usize,
}

impl Filler<'_> {
    /// Columns of the current line left for text, prefix excluded.
    fn room(&self) -> usize {
        let prefix = if self.lines.is_empty() {
            self.first_width
        } else {
            self.rest_width
        };
        self.width - prefix
    }

    fn push(&mut self, seg: &Seg) {
        self.used += seg.width;
        if let Some(last) = self.pieces.last_mut()
            && !last.ellipsis
            && last.span == seg.span
            && last.end == seg.start
        {
            last.end = seg.end;
            return;
        }
        self.pieces.push(Piece {
            span: seg.span,
            start: seg.start,
            end: seg.end,
            ellipsis: false,
        });
    }

    fn push_ellipsis(&mut self, span: usize) {
        self.used += 1;
        self.pieces.push(Piece {
            span,
            start: 0,
            end: 0,
            ellipsis: true,
        });
    }

    fn end_line(&mut self) {
        let prefix = if self.lines.is_empty() {
            &self.first_prefix
        } else {
            &self.rest_prefix
        };
        let mut spans = Vec::with_capacity(prefix.len() + self.pieces.len());
        spans.extend(prefix.iter().cloned());
        for piece in self.pieces.drain(..) {
            let source = &self.spans[piece.span];
            let content = if piece.ellipsis {
                Cow::Borrowed("…")
            } else if piece.start == 0 && piece.end == source.content.len() {
                source.content.clone()
            } else {
                Cow::Owned(source.content[piece.start..piece.end].to_owned())
            };
            spans.push(Span {
                style: source.style,
                content,
            });
        }
        self.lines.push(Line::from(spans));
        self.used = 0;
    }

    /// Places a word too long for a line, cluster by cluster.
    fn break_word(&mut self, word: &[Seg]) {
        for seg in word {
            let text = &self.spans[seg.span].content[seg.start..seg.end];
            for (start, end, width) in clusters(text) {
                if self.used + width > self.room() && !self.pieces.is_empty() {
                    self.end_line();
                }
                if width > self.room() {
                    self.push_ellipsis(seg.span);
                } else {
                    self.push(&Seg {
                        span: seg.span,
                        start: seg.start + start,
                        end: seg.start + end,
                        width,
                        kind: SegKind::Word,
                    });
                }
            }
        }
    }
}

/// [`wrap`] for a width in `usize`, over text already sanitized.
fn wrap_cols(
    spans: Vec<Span<'static>>,
    width: usize,
    first_prefix: Vec<Span<'static>>,
    rest_prefix: Vec<Span<'static>>,
) -> Vec<Line<'static>> {
    if width == 0 {
        return Vec::new();
    }
    let (first_prefix, first_width) = fit_prefix(first_prefix, width);
    let (rest_prefix, rest_width) = fit_prefix(rest_prefix, width);
    let segs = segments(&spans);
    let mut filler = Filler {
        spans: &spans,
        width,
        first_prefix,
        first_width,
        rest_prefix,
        rest_width,
        lines: Vec::new(),
        pieces: Vec::new(),
        used: 0,
    };
    let mut spaces: Vec<Seg> = Vec::new();
    let mut spaces_width = 0;
    let mut i = 0;
    while i < segs.len() {
        let seg = segs[i];
        match seg.kind {
            SegKind::Break => {
                filler.end_line();
                spaces.clear();
                spaces_width = 0;
                i += 1;
            }
            SegKind::Space => {
                if !filler.pieces.is_empty() {
                    spaces.push(seg);
                    spaces_width += seg.width;
                }
                i += 1;
            }
            SegKind::Word => {
                let mut j = i;
                let mut word_width = 0;
                while j < segs.len() && segs[j].kind == SegKind::Word {
                    word_width += segs[j].width;
                    j += 1;
                }
                let word = &segs[i..j];
                if filler.used + spaces_width + word_width <= filler.room() {
                    for space in &spaces {
                        filler.push(space);
                    }
                    word.iter().for_each(|s| filler.push(s));
                } else {
                    if !filler.pieces.is_empty() {
                        filler.end_line();
                    }
                    if word_width <= filler.room() {
                        word.iter().for_each(|s| filler.push(s));
                    } else {
                        filler.break_word(word);
                    }
                }
                spaces.clear();
                spaces_width = 0;
                i = j;
            }
        }
    }
    if !filler.pieces.is_empty() || filler.lines.is_empty() {
        filler.end_line();
    }
    filler.lines
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering.

/// A block that puts something in front of the lines inside it.
enum Container {
    /// `│ ` on every line.
    Quote,
    /// The item's marker on its first line, spaces of the same width on the others.
    Item {
        marker: Vec<Span<'static>>,
        width: usize,
        used: bool,
    },
}

struct List {
    /// The next item's number; `None` for a bullet list.
    next: Option<u64>,
    /// Digits of the largest number, so numbers line up on the right.
    digits: usize,
    items: usize,
}

#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    rows: Vec<Vec<Vec<Span<'static>>>>,
    header_rows: usize,
}

struct Renderer<'t> {
    width: usize,
    theme: &'t Theme,
    out: Vec<Line<'static>>,
    containers: Vec<Container>,
    lists: Vec<List>,
    /// Inline content of the block being read.
    inline: Vec<Span<'static>>,
    /// Styles of the open inline tags, each patched over the one before; never empty.
    styles: Vec<Style>,
    /// A blank line is owed before the next block.
    blank_owed: bool,
    /// Index in `out` of the last blank line, so a trailing one can be taken back.
    last_blank: Option<usize>,
    /// Open links: URL and where their text starts in `inline`.
    links: Vec<(String, usize)>,
    /// Open images: where their alt text starts in `inline`, and where the picture is.
    images: Vec<(usize, String)>,
    /// The folder of the note file the answer is from, relative to the notes (see [`render_from`]).
    folder: &'t str,
    code: Option<String>,
    html: Option<String>,
    table: Option<Table>,
    /// Display columns of text in the table cell being read, up to [`MAX_CELL_COLUMNS`].
    cell_width: usize,
}

impl<'t> Renderer<'t> {
    fn new(width: usize, theme: &'t Theme) -> Self {
        Renderer {
            width,
            theme,
            out: Vec::new(),
            containers: Vec::new(),
            lists: Vec::new(),
            inline: Vec::new(),
            styles: vec![Style::new()],
            blank_owed: false,
            last_blank: None,
            links: Vec::new(),
            images: Vec::new(),
            folder: "",
            code: None,
            html: None,
            table: None,
            cell_width: 0,
        }
    }

    /// The lines laid out; `cut` when the source was cut short, and then, or when there are more than
    /// [`MAX_LINES`], the first of them and a line saying the rest is cut.
    fn finish(mut self, cut: bool) -> Vec<Line<'static>> {
        self.flush_tight();
        if self.last_blank.is_some() && self.last_blank == self.out.len().checked_sub(1) {
            self.out.pop();
        }
        if cut || self.out.len() > MAX_LINES {
            self.out.truncate(MAX_LINES);
            let said = format!(
                "… the rest of this answer is cut: amgi shows at most {} lines and {} KB of an answer",
                grouped(MAX_LINES),
                MAX_SOURCE_BYTES / 1024
            );
            self.out.push(Line::default());
            let said = vec![Span::styled(said, self.theme.rule)];
            self.out.extend(wrap_cols(said, self.width, Vec::new(), Vec::new()));
        }
        self.out
    }

    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, style: Style) {
        self.styles.push(self.style().patch(style));
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    fn push_text(&mut self, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let mut text = sanitize(text).into_owned();
        if self.table.is_some() {
            // A cell keeps what a screen can show, and ends in `…` when it had more.
            let room = MAX_CELL_COLUMNS.saturating_sub(self.cell_width);
            if room == 0 {
                return;
            }
            let width = text_width(&text);
            if width > room {
                text = fit_text(&text, room).trim_end_matches(' ').to_owned();
            }
            self.cell_width += width.min(room);
        }
        self.inline.push(Span::styled(text, style));
    }

    fn event(&mut self, events: &[Event], i: usize) {
        match &events[i] {
            Event::Start(tag) => self.start(tag, events, i),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.push_str(text);
                } else if let Some(html) = &mut self.html {
                    html.push_str(text);
                } else {
                    self.push_text(text, self.style());
                }
            }
            Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.push_text(text, self.style().patch(self.theme.code));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(block) = &mut self.html {
                    block.push_str(html);
                } else if is_br(html) {
                    self.push_text("\n", self.style());
                }
            }
            Event::FootnoteReference(label) => self.push_text(&format!("[^{label}]"), self.style()),
            Event::SoftBreak => self.push_text(" ", self.style()),
            Event::HardBreak => self.push_text("\n", self.style()),
            Event::Rule => {
                self.flush_tight();
                self.blank_if_owed();
                let (first, first_width, _, _) = self.prefixes();
                let line = "─".repeat(self.width - first_width);
                let mut spans = first;
                spans.push(Span::styled(line, self.theme.rule));
                self.out.push(Line::from(spans));
                self.blank_owed = true;
            }
            Event::TaskListMarker(done) => {
                let symbol = if *done { "☑" } else { "☐" };
                let bullet_list = self.lists.last().is_some_and(|l| l.next.is_none());
                match self.containers.last_mut() {
                    Some(Container::Item {
                        marker, used: false, ..
                    }) if bullet_list => {
                        *marker = vec![Span::styled(symbol, self.theme.bullet), Span::raw(" ")];
                    }
                    _ => {
                        self.inline.push(Span::styled(symbol, self.theme.bullet));
                        self.inline.push(Span::raw(" "));
                    }
                }
            }
        }
    }

    fn start(&mut self, tag: &Tag, events: &[Event], i: usize) {
        match tag {
            Tag::Paragraph => self.flush_tight(),
            Tag::Heading { .. } => {
                self.flush_tight();
                self.push_style(self.theme.heading.add_modifier(Modifier::BOLD));
            }
            Tag::BlockQuote(_) => {
                self.flush_tight();
                self.blank_if_owed();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(_) => {
                self.flush_tight();
                self.code = Some(String::new());
            }
            Tag::HtmlBlock => {
                self.flush_tight();
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                self.flush_tight();
                let digits = start.map_or(0, |n| {
                    let last = n.saturating_add(count_items(events, i).saturating_sub(1) as u64);
                    last.to_string().len()
                });
                self.lists.push(List {
                    next: *start,
                    digits,
                    items: 0,
                });
            }
            Tag::Item => {
                self.flush_tight();
                let tight = !matches!(events.get(i + 1), Some(Event::Start(Tag::Paragraph)));
                let depth = self.lists.len().saturating_sub(1);
                let Some(list) = self.lists.last_mut() else {
                    return;
                };
                if list.items > 0 && tight {
                    self.blank_owed = false;
                }
                list.items += 1;
                let marker = match &mut list.next {
                    Some(n) => {
                        let text = format!("{n:>width$}.", width = list.digits);
                        *n = n.saturating_add(1);
                        vec![Span::styled(text, self.theme.bullet), Span::raw(" ")]
                    }
                    None => {
                        let bullet = BULLETS[depth.min(BULLETS.len() - 1)];
                        vec![Span::styled(bullet, self.theme.bullet), Span::raw(" ")]
                    }
                };
                let width = spans_width(&marker);
                self.containers.push(Container::Item {
                    marker,
                    width,
                    used: false,
                });
            }
            Tag::Table(alignments) => {
                self.flush_tight();
                self.table = Some(Table {
                    alignments: alignments.clone(),
                    ..Table::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                self.inline.clear();
                self.cell_width = 0;
            }
            Tag::Emphasis => self.push_style(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Superscript | Tag::Subscript => self.push_style(Style::new()),
            Tag::Link { dest_url, .. } => {
                self.push_style(self.theme.link);
                self.links.push((dest_url.to_string(), self.inline.len()));
            }
            Tag::Image { dest_url, .. } => {
                let style = self.style().patch(self.theme.image);
                self.inline.push(Span::styled("[그림: ", style));
                self.images
                    .push((self.inline.len(), image_place(self.folder, dest_url)));
                self.push_style(self.theme.image);
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.flush_tight(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.emit_inline();
                self.blank_owed = true;
            }
            TagEnd::Heading(_) => {
                self.pop_style();
                self.emit_inline();
                self.blank_owed = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_tight();
                self.containers.pop();
                self.blank_owed = true;
            }
            TagEnd::CodeBlock => {
                self.emit_code();
                self.blank_owed = true;
            }
            TagEnd::HtmlBlock => self.emit_html(),
            TagEnd::List(_) => {
                self.flush_tight();
                self.lists.pop();
                self.blank_owed = true;
            }
            TagEnd::Item => {
                self.flush_tight();
                if let Some(Container::Item { used: false, .. }) = self.containers.last() {
                    // An empty item still shows its marker.
                    self.blank_if_owed();
                    let (first, _, _, _) = self.prefixes();
                    self.out.push(Line::from(trim_end(first)));
                }
                self.containers.pop();
            }
            TagEnd::Table => {
                self.emit_table();
                self.blank_owed = true;
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.header_rows = table.rows.len();
                }
            }
            TagEnd::TableRow => {}
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript => {
                self.pop_style();
            }
            TagEnd::Link => {
                self.pop_style();
                let Some((url, start)) = self.links.pop() else {
                    return;
                };
                let text: String = self.inline[start.min(self.inline.len())..]
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect();
                let url = url.trim();
                let shown = !url.is_empty()
                    && !url.starts_with('#')
                    && url != text.trim()
                    && url.strip_prefix("mailto:") != Some(text.trim());
                if shown {
                    self.push_text(" ", self.style());
                    self.push_text(&format!("({url})"), self.style().patch(self.theme.link_url));
                }
            }
            TagEnd::Image => {
                self.pop_style();
                let Some((start, place)) = self.images.pop() else {
                    return;
                };
                let style = self.style().patch(self.theme.image);
                match (self.inline.len() == start, place.is_empty()) {
                    (true, true) => {
                        if let Some(opening) = self.inline.last_mut() {
                            opening.content = Cow::Borrowed("[그림]");
                        }
                    }
                    (true, false) => self.push_text(&format!("{place}]"), style),
                    (false, true) => self.push_text("]", style),
                    (false, false) => self.push_text(&format!(" — {place}]"), style),
                }
            }
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {
                self.emit_inline();
                self.blank_owed = true;
            }
        }
    }

    /// Lays out inline content read without a paragraph around it (the text of a tight list item).
    fn flush_tight(&mut self) {
        if !self.inline.is_empty() && self.table.is_none() {
            self.emit_inline();
        }
    }

    fn blank_if_owed(&mut self) {
        if !std::mem::take(&mut self.blank_owed) || self.out.is_empty() {
            return;
        }
        let mut prefix = Vec::new();
        for container in &self.containers {
            match container {
                Container::Quote => prefix.push(Span::styled("│ ", self.theme.quote)),
                Container::Item { width, .. } => prefix.push(Span::raw(" ".repeat(*width))),
            }
        }
        let (prefix, _) = cut_spans(prefix, self.width.saturating_sub(2));
        self.last_blank = Some(self.out.len());
        self.out.push(Line::from(trim_end(prefix)));
    }

    /// The prefixes of the next block's first and other lines, fitted to the width, with their widths. Uses up the
    /// markers of items that have not shown theirs yet.
    fn prefixes(&mut self) -> (Vec<Span<'static>>, usize, Vec<Span<'static>>, usize) {
        let mut first = Vec::new();
        let mut rest = Vec::new();
        for container in &mut self.containers {
            match container {
                Container::Quote => {
                    let bar = Span::styled("│ ", self.theme.quote);
                    first.push(bar.clone());
                    rest.push(bar);
                }
                Container::Item { marker, width, used } => {
                    let indent = Span::raw(" ".repeat(*width));
                    if *used {
                        first.push(indent.clone());
                    } else {
                        first.extend(marker.iter().cloned());
                        *used = true;
                    }
                    rest.push(indent);
                }
            }
        }
        let (first, first_width) = fit_prefix(first, self.width);
        let (rest, rest_width) = fit_prefix(rest, self.width);
        (first, first_width, rest, rest_width)
    }

    fn emit_inline(&mut self) {
        let spans = std::mem::take(&mut self.inline);
        if spans.is_empty() {
            return;
        }
        self.blank_if_owed();
        let (first, _, rest, _) = self.prefixes();
        self.out.extend(wrap_cols(spans, self.width, first, rest));
    }

    fn emit_code(&mut self) {
        let Some(code) = self.code.take() else {
            return;
        };
        let code = sanitize(&code);
        let code = code.strip_suffix('\n').unwrap_or(&code);
        self.blank_if_owed();
        let (first, first_width, rest, rest_width) = self.prefixes();
        for (n, line) in code.split('\n').enumerate() {
            let (prefix, prefix_width) = if n == 0 {
                (&first, first_width)
            } else {
                (&rest, rest_width)
            };
            let room = self.width - prefix_width;
            // A line too long for the width goes on below, after a `↪`, rather than being cut: code is read whole.
            for (k, piece) in wrap_code(line, room.saturating_sub(1)).into_iter().enumerate() {
                let mut text = String::with_capacity(piece.len() + 4);
                text.push(if k == 0 { ' ' } else { '↪' });
                text.push_str(piece);
                let mut spans = if n == 0 && k == 0 { prefix.clone() } else { rest.clone() };
                let room = if n == 0 && k == 0 {
                    room
                } else {
                    self.width - rest_width
                };
                spans.push(Span::styled(fit_text(&text, room), self.theme.code_block));
                self.out.push(Line::from(spans));
            }
        }
    }

    fn emit_html(&mut self) {
        let Some(html) = self.html.take() else {
            return;
        };
        let text = html_text(&html);
        let text = html_escape::decode_html_entities(&text);
        if text.trim().is_empty() {
            return;
        }
        self.inline = vec![Span::styled(sanitize(&text).into_owned(), Style::new())];
        self.emit_inline();
        self.blank_owed = true;
    }

    fn emit_table(&mut self) {
        let Some(mut table) = self.table.take() else {
            return;
        };
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.alignments.len()])
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return;
        }
        for row in &mut table.rows {
            row.resize_with(columns, Vec::new);
        }
        let header_rows = table.header_rows.min(table.rows.len());
        for cell in table.rows[..header_rows].iter_mut().flatten() {
            for span in cell.iter_mut() {
                span.style = span.style.add_modifier(Modifier::BOLD);
            }
        }
        self.blank_if_owed();
        let (first, first_width, rest, rest_width) = self.prefixes();
        let room = self.width - first_width.max(rest_width);
        let natural: Vec<usize> = (0..columns)
            .map(|c| table.rows.iter().map(|row| cell_width(&row[c])).max().unwrap_or(0))
            .collect();
        let separators = COLUMN_SEPARATOR.chars().count() * (columns - 1);
        let widths = if natural.iter().sum::<usize>() + separators <= room {
            Some(natural)
        } else {
            room.checked_sub(separators).and_then(|target| shrink(&natural, target))
        };
        let body = match widths {
            Some(widths) => self.table_grid(&table, header_rows, &widths),
            None => self.table_records(&table, header_rows, room),
        };
        for (n, spans) in body.into_iter().enumerate() {
            let mut line = if n == 0 { first.clone() } else { rest.clone() };
            line.extend(spans);
            self.out.push(Line::from(line));
        }
    }

    /// A table as aligned columns, cells wrapped to their column's width.
    fn table_grid(&self, table: &Table, header_rows: usize, widths: &[usize]) -> Vec<Vec<Span<'static>>> {
        let border = self.theme.table_border;
        let last = widths.len() - 1;
        let mut lines = Vec::new();
        for (r, row) in table.rows.iter().enumerate() {
            let cells: Vec<Vec<Line<'static>>> = row
                .iter()
                .zip(widths)
                .map(|(cell, &w)| wrap_cols(cell.clone(), w, Vec::new(), Vec::new()))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let mut spans = Vec::new();
                for (c, cell) in cells.iter().enumerate() {
                    if c > 0 {
                        spans.push(Span::styled(COLUMN_SEPARATOR, border));
                    }
                    let content = cell.get(k).map(|l| l.spans.clone()).unwrap_or_default();
                    let pad = widths[c].saturating_sub(spans_width(&content));
                    let (left, right) = match table.alignments.get(c) {
                        Some(Alignment::Right) => (pad, 0),
                        Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                        _ => (0, pad),
                    };
                    if left > 0 {
                        spans.push(Span::raw(" ".repeat(left)));
                    }
                    spans.extend(content);
                    if right > 0 && c < last {
                        spans.push(Span::raw(" ".repeat(right)));
                    }
                }
                lines.push(trim_end(spans));
            }
            if r + 1 == header_rows {
                let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
                lines.push(vec![Span::styled(rule.join("─┼─"), border)]);
            }
        }
        lines
    }

    /// A table too wide for its columns: each body row as `header: value` lines, rows separated by a rule.
    fn table_records(&self, table: &Table, header_rows: usize, room: usize) -> Vec<Vec<Span<'static>>> {
        let header: Vec<Vec<Span<'static>>> = if header_rows > 0 {
            table.rows[0].clone()
        } else {
            vec![Vec::new(); table.rows.first().map_or(0, Vec::len)]
        };
        let body = &table.rows[header_rows..];
        let records: Vec<&Vec<Vec<Span<'static>>>> = if body.is_empty() {
            table.rows.iter().take(1).collect()
        } else {
            body.iter().collect()
        };
        let indent = vec![Span::raw("  ")];
        let mut lines = Vec::new();
        for (r, row) in records.into_iter().enumerate() {
            if r > 0 {
                lines.push(vec![Span::styled("─".repeat(room), self.theme.table_border)]);
            }
            for (c, cell) in row.iter().enumerate() {
                let mut spans = header.get(c).cloned().unwrap_or_default();
                let same = std::ptr::eq(row, &table.rows[0]) && header_rows > 0;
                if !same {
                    if !spans.is_empty() {
                        spans.push(Span::styled(":", Style::new().add_modifier(Modifier::BOLD)));
                        spans.push(Span::raw(" "));
                    }
                    spans.extend(cell.iter().cloned());
                }
                let wrapped = wrap_cols(spans, room, Vec::new(), indent.clone());
                lines.extend(wrapped.into_iter().map(|l| l.spans));
            }
        }
        lines
    }
}

/// Items directly inside the list that starts at `events[at]`.
fn count_items(events: &[Event], at: usize) -> usize {
    let mut depth = 0usize;
    let mut items = 0;
    for event in &events[at..] {
        match event {
            Event::Start(tag) => {
                if depth == 1 && matches!(tag, Tag::Item) {
                    items += 1;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    items
}

/// The widest line of a table cell (a `<br>` starts a new line).
fn cell_width(cell: &[Span]) -> usize {
    let mut widest = 0;
    let mut current = 0;
    for span in cell {
        let mut parts = span.content.split('\n');
        if let Some(part) = parts.next() {
            current += text_width(part);
        }
        for part in parts {
            widest = widest.max(current);
            current = text_width(part);
        }
    }
    widest.max(current)
}

/// Column widths summing to at most `target`, taking columns from the widest down; `None` when some column would
/// get narrower than [`MIN_COLUMN`] (or its own width, if less).
fn shrink(natural: &[usize], target: usize) -> Option<Vec<usize>> {
    let capped = |cap: usize| natural.iter().map(|&w| w.min(cap)).sum::<usize>();
    let (mut low, mut high) = (0, natural.iter().copied().max().unwrap_or(0));
    while low < high {
        let mid = (low + high).div_ceil(2);
        if capped(mid) <= target {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let cap = low;
    if natural.iter().any(|&w| w.min(cap) < w.min(MIN_COLUMN)) {
        return None;
    }
    let mut widths: Vec<usize> = natural.iter().map(|&w| w.min(cap)).collect();
    let mut left = target - capped(cap);
    for (w, &n) in widths.iter_mut().zip(natural) {
        if left > 0 && n > cap {
            *w += 1;
            left -= 1;
        }
    }
    Some(widths)
}

/// `spans` without the whitespace at their end (and without spans left empty by that).
fn trim_end(mut spans: Vec<Span<'static>>) -> Vec<Span<'static>> {
    while let Some(last) = spans.last_mut() {
        let trimmed = last.content.trim_end_matches(' ');
        if trimmed.is_empty() {
            spans.pop();
        } else {
            if trimmed.len() < last.content.len() {
                last.content = Cow::Owned(trimmed.to_owned());
            }
            break;
        }
    }
    spans
}

/// Whether an inline HTML tag is a line break (`<br>`, `<br/>`, `<BR />`).
fn is_br(html: &str) -> bool {
    let html = html.trim();
    html.starts_with('<') && html.ends_with('>') && !html.starts_with("</") && tag_name(html).eq_ignore_ascii_case("br")
}

fn tag_name(tag: &str) -> &str {
    let name = tag.trim_start_matches('<').trim_start_matches('/');
    let end = name.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(name.len());
    &name[..end]
}

/// Tags that sit inside a line of text; others separate what is around them.
const INLINE_TAGS: [&str; 16] = [
    "a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span", "strong", "sub", "sup",
];

/// The text of an HTML block: tags and comments dropped, `<br>` as a line break, whitespace runs as one space.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut space = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after.find("-->").map_or("", |end| &after[end + 3..]);
                space = true;
                continue;
            }
            if let Some(end) = rest.find('>') {
                let tag = &rest[..=end];
                let name = tag_name(tag);
                if !name.is_empty() || tag.starts_with("<!") || tag.starts_with("<?") {
                    if is_br(tag) {
                        out.push('\n');
                        space = false;
                    } else if !INLINE_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
                        space = true;
                    }
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        }
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out.trim_matches(|c: char| c == '\n' || c == ' ').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn to_plain(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn plain_lines(markdown: &str, width: u16) -> Vec<String> {
        render(markdown, width, &Theme::plain())
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    fn text(s: &str) -> Vec<Span<'static>> {
        vec![Span::raw(s.to_owned())]
    }

    /// Every line fits and carries no control characters.
    fn assert_fits(lines: &[Line], width: u16, input: &str) {
        for line in lines {
            assert!(
                line.width() <= usize::from(width),
                "line {:?} is {} wide, over {width}, for {input:?}",
                to_plain(std::slice::from_ref(line)),
                line.width()
            );
            for span in &line.spans {
                assert!(
                    !span.content.chars().any(|c| c.is_control()),
                    "control character in {:?} for {input:?}",
                    span.content
                );
            }
        }
    }

    const ANSWER: &str = "\
## 프로세스와 스레드의 차이

**프로세스**는 운영체제로부터 독립된 메모리 공간(코드, 데이터, 힙, 스택)을 할당받는 실행 단위이고, \
*스레드*는 프로세스 안에서 스택만 따로 가지며 나머지 영역을 공유하는 실행 흐름입니다. \
자세한 내용은 [OS 문서](https://example.com/os/process-vs-thread)를 참고하세요.

- 메모리
  - 프로세스: 서로 격리되어 있어 한 프로세스의 오류가 다른 프로세스에 번지지 않는다
  - 스레드: `heap`과 전역 변수를 공유하므로 동기화(`Mutex`, `RwLock`)가 필요하다
- 비용
  1. 생성: 프로세스는 주소 공간을 복사해야 해서 무겁다
  2. 문맥 교환: 스레드는 TLB를 비우지 않아도 되어 가볍다
- [x] 면접에서 자주 나오는 질문
- [ ] 멀티프로세스 vs 멀티스레드 장단점 정리하기

| 구분 | 프로세스 | 스레드 |
|:-----|:--------:|-------:|
| 메모리 | 독립 | 공유 (stack 제외) |
| 생성 비용 | 큼 | 작음 |
| IPC | pipe, socket, shared memory | 필요 없음 |

```rust
use std::thread;
# 주석이 아니라 그냥 텍스트
let handle = thread::spawn(|| {
    println!(\"새 스레드에서 실행: {}\", \"안녕하세요, 세계! 이 줄은 아주 길어서 잘려야 합니다\");
});
handle.join().unwrap();
```

> 크롬은 탭마다 프로세스를 띄워서 한 탭이 죽어도 브라우저 전체가 죽지 않게 한다.
> > 대신 메모리를 더 많이 쓴다.

---

![프로세스 메모리 구조](images/memory.png)
";

    #[test]
    fn snapshot_answer_76() {
        let lines = render(ANSWER, 76, &Theme::colored());
        assert_fits(&lines, 76, ANSWER);
        insta::assert_snapshot!("answer_76", to_plain(&lines));
    }

    #[test]
    fn snapshot_answer_36() {
        let lines = render(ANSWER, 36, &Theme::colored());
        assert_fits(&lines, 36, ANSWER);
        insta::assert_snapshot!("answer_36", to_plain(&lines));
    }

    #[test]
    fn snapshot_narrow_table_falls_back_to_records() {
        let table = "| 항목 | 설명 | 예시 | 비고 |\n|---|---|---|---|\n| 스택 | 함수 호출 정보 | 지역 변수 | 스레드마다 |\n| 힙 | 동적 할당 | `Box::new` | 공유 |\n";
        let lines = render(table, 24, &Theme::plain());
        assert_fits(&lines, 24, table);
        insta::assert_snapshot!("narrow_table_24", to_plain(&lines));
    }

    #[test]
    fn widths_are_never_exceeded() {
        let samples = [
            ANSWER,
            "가나다라마바사아자차카타파하 가나다라마바사아자차카타파하",
            "https://example.com/a/very/long/url/that/has/no/spaces/at/all/anywhere",
            "- - - - - - - - - - 깊은 중첩 목록",
            "> > > > > > > > > 인용 안의 인용 안의 인용",
            "1. 가\n   1. 나\n      1. 다\n         1. 라 마 바 사 아 자 차 카",
            "| a | 가나다라마바사 |\n|---|---|\n| 아주아주긴셀내용입니다 | x |\n",
            "| a | b | c | d | e | f | g | h |\n|---|---|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n",
            "```\n\t탭\t문자와\x1b[31m이스케이프\x07\n```",
            "e\u{301}\u{302}\u{303} 👩\u{200D}👩\u{200D}👧 ❤\u{FE0F} ⌚\u{FE0E} \u{1100}\u{1161}\u{11A8}",
            "a<br>b<br/>c<BR />d",
            "<div>\n<p>블록 <b>HTML</b> &amp; 텍스트</p>\n</div>",
            "---",
            "# 아주 긴 제목입니다 아주 긴 제목입니다 아주 긴 제목입니다",
            "- [ ] 할 일\n- [x] 한 일",
            "    들여쓴 코드 블록 한 줄이 아주 길게 이어지는 경우",
        ];
        let widths: Vec<u16> = (1..=32).chain((33..=100).step_by(3)).collect();
        for sample in samples {
            for &width in &widths {
                assert_fits(&render(sample, width, &Theme::colored()), width, sample);
            }
        }
        assert!(render(ANSWER, 0, &Theme::colored()).is_empty());
    }

    fn markdown_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("가나다".to_owned()),
            Just("라마바사아자차카타파하".to_owned()),
            Just("word".to_owned()),
            Just("supercalifragilisticexpialidocious".to_owned()),
            Just(" ".to_owned()),
            Just("  ".to_owned()),
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("\n- ".to_owned()),
            Just("\n  - ".to_owned()),
            Just("\n    - ".to_owned()),
            Just("\n3. ".to_owned()),
            Just("\n> ".to_owned()),
            Just("\n> > ".to_owned()),
            Just("\n# ".to_owned()),
            Just("\n```\n".to_owned()),
            Just("\n    ".to_owned()),
            Just("\n| 가 | b |\n|---|:-:|\n| 셀 | 값 |\n".to_owned()),
            Just("**".to_owned()),
            Just("*".to_owned()),
            Just("~~".to_owned()),
            Just("`".to_owned()),
            Just("[링크](https://example.com/path)".to_owned()),
            Just("![그림](a.png)".to_owned()),
            Just("<br>".to_owned()),
            Just("<b>".to_owned()),
            Just("\n---\n".to_owned()),
            Just("- [ ] ".to_owned()),
            Just("\t".to_owned()),
            Just("\x1b[1m".to_owned()),
            Just("\u{1112}\u{1161}\u{11AB}".to_owned()),
            Just("👩\u{200D}💻".to_owned()),
            Just("e\u{301}".to_owned()),
            "[a-z가-힣 ]{0,12}",
            any::<char>().prop_map(String::from),
        ]
    }

    proptest! {
        #[test]
        fn generated_markdown_fits(pieces in prop::collection::vec(markdown_piece(), 0..40), width in 10u16..100) {
            let markdown = pieces.concat();
            for theme in [Theme::colored(), Theme::plain()] {
                assert_fits(&render(&markdown, width, &theme), width, &markdown);
            }
        }

        #[test]
        fn wrap_fits_and_keeps_every_character(input in "\\PC{0,80}", width in 2u16..40, indent in 0usize..6) {
            let input = sanitize(&input).into_owned();
            let marked = Style::new().add_modifier(Modifier::HIDDEN);
            let first = vec![Span::styled("-".repeat(indent), marked)];
            let rest = vec![Span::styled(" ".repeat(indent), marked)];
            let lines = wrap(text(&input), width, first, rest);
            assert_fits(&lines, width, &input);
            let kept: String = lines
                .iter()
                .flat_map(|l| l.spans.iter().filter(|s| s.style != marked))
                .flat_map(|s| s.content.chars())
                .filter(|&c| c != ' ')
                .collect();
            let expected: String = input.chars().filter(|&c| c != ' ' && c != '\n').collect();
            // A character too wide for the line shows as `…`; at these widths only a prefix can make that happen.
            if !kept.contains('…') || expected.contains('…') {
                prop_assert_eq!(kept, expected);
            }
        }
    }

    #[test]
    fn korean_breaks_at_two_column_boundaries() {
        let lines = wrap(text("가나다라마바사"), 9, vec![], vec![]);
        assert_eq!(to_plain(&lines), "가나다라\n마바사");
        let lines = wrap(text("가나다라마바사"), 8, vec![], vec![]);
        assert_eq!(to_plain(&lines), "가나다라\n마바사");
        let lines = wrap(text("가나다라마바사"), 7, vec![], vec![]);
        assert_eq!(to_plain(&lines), "가나다\n라마바\n사");
        // Words break at spaces first.
        let lines = wrap(text("가나 다라마 바사"), 9, vec![], vec![]);
        assert_eq!(to_plain(&lines), "가나\n다라마\n바사");
        // A combining mark stays with its letter.
        let lines = wrap(text("abx\u{301}cd"), 3, vec![], vec![]);
        assert_eq!(to_plain(&lines), "abx\u{301}\ncd");
    }

    #[test]
    fn wrap_keeps_styles_and_honours_hard_breaks() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let spans = vec![Span::styled("굵은 글씨", bold), Span::raw("와 보통\n글씨")];
        let lines = wrap(spans, 40, vec![], vec![]);
        assert_eq!(to_plain(&lines), "굵은 글씨와 보통\n글씨");
        assert_eq!(lines[0].spans[0].style, bold);
        assert_eq!(lines[0].spans[0].content, "굵은 글씨");
        assert_eq!(lines[0].spans[1].style, Style::new());
        assert!(wrap(text("x"), 0, vec![], vec![]).is_empty());
        assert_eq!(to_plain(&wrap(vec![], 10, vec![Span::raw("> ")], vec![])), "> ");
        // Too narrow for a Hangul syllable: a stand-in, never an overflow.
        assert_eq!(to_plain(&wrap(text("가a"), 1, vec![], vec![])), "…\na");
    }

    #[test]
    fn wrapped_list_item_has_a_hanging_indent() {
        let lines = plain_lines("- 프로세스는 독립된 메모리 공간을 가진다\n- 짧음", 16);
        assert_eq!(lines, ["• 프로세스는", "  독립된 메모리", "  공간을 가진다", "• 짧음"]);
        let lines = plain_lines("1. 스레드는 스택만 따로 가진다", 14);
        assert_eq!(lines, ["1. 스레드는", "   스택만 따로", "   가진다"]);
    }

    #[test]
    fn numbered_lists_keep_their_start() {
        assert_eq!(plain_lines("3. 셋\n4. 넷\n5. 다섯", 20), ["3. 셋", "4. 넷", "5. 다섯"]);
        assert_eq!(plain_lines("9. 아홉\n1. 열", 20), [" 9. 아홉", "10. 열"]);
    }

    #[test]
    fn nested_lists_indent_two_columns_per_level() {
        let markdown = "- 하나\n  - 둘\n    - 셋\n      - 넷\n- 다섯\n  1. 여섯\n  2. 일곱";
        assert_eq!(
            plain_lines(markdown, 30),
            [
                "• 하나",
                "  ◦ 둘",
                "    ▪ 셋",
                "      ▪ 넷",
                "• 다섯",
                "  1. 여섯",
                "  2. 일곱"
            ]
        );
        assert_eq!(plain_lines("- [ ] 할 일\n- [x] 한 일", 20), ["☐ 할 일", "☑ 한 일"]);
    }

    #[test]
    fn blocks_are_separated_by_one_blank_line() {
        let markdown = "\n\n# 제목\n\n문단 하나\n문단 계속\n\n- 가\n- 나\n\n문단 둘\n\n\n";
        assert_eq!(
            plain_lines(markdown, 30),
            ["제목", "", "문단 하나 문단 계속", "", "• 가", "• 나", "", "문단 둘"]
        );
        let loose = "- 가\n\n- 나\n\n  둘째 문단";
        assert_eq!(plain_lines(loose, 30), ["• 가", "", "• 나", "", "  둘째 문단"]);
    }

    #[test]
    fn headings_are_bold_without_hashes() {
        let theme = Theme::colored();
        let lines = render("### 힙과 스택", 20, &theme);
        assert_eq!(to_plain(&lines), "힙과 스택");
        let style = lines[0].spans[0].style;
        assert!(style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(style.fg, theme.heading.fg);
    }

    #[test]
    fn emphasis_uses_modifiers_and_inline_code_its_style() {
        let theme = Theme::colored();
        let lines = render("**굵게** *기울임* ~~취소~~ `코드`", 40, &theme);
        let style_of = |text: &str| {
            lines[0]
                .spans
                .iter()
                .find(|s| s.content.contains(text))
                .map(|s| s.style)
                .unwrap()
        };
        assert!(style_of("굵게").add_modifier.contains(Modifier::BOLD));
        assert!(style_of("기울임").add_modifier.contains(Modifier::ITALIC));
        assert!(style_of("취소").add_modifier.contains(Modifier::CROSSED_OUT));
        assert_eq!(style_of("코드"), theme.code);
    }

    #[test]
    fn code_blocks_are_padded_tinted_and_wrapped() {
        let theme = Theme::colored();
        let markdown = "```sh\n# 주석 아님\necho 가나다라마바사아자차카타파하\n\n```";
        let lines = render(markdown, 20, &theme);
        assert_eq!(
            to_plain(&lines),
            " # 주석 아님        \n echo 가나다라마바사\n↪아자차카타파하     \n                    "
        );
        for line in &lines {
            assert_eq!(line.width(), 20);
            assert!(line.spans.iter().all(|s| s.style == theme.code_block));
        }
        // Indented code, inside a list item: the marker, then the tinted band to the edge.
        let lines = plain_lines("- 예:\n\n      let x = 1;", 16);
        assert_eq!(lines, ["• 예:", "", "   let x = 1;   "]);
    }

    #[test]
    fn tables_align_mixed_korean_and_ascii() {
        let markdown = "| 이름 | value | 가운데 |\n|:--|--:|:-:|\n| 가나다 | 1 | a |\n| ab | 12345 | 한글 |\n";
        assert_eq!(
            plain_lines(markdown, 40),
            [
                "이름   │ value │ 가운데",
                "───────┼───────┼───────",
                "가나다 │     1 │   a",
                "ab     │ 12345 │  한글",
            ]
        );
        let lines = render(markdown, 40, &Theme::plain());
        assert!(lines[0].spans[0].style.add_modifier.contains(Modifier::BOLD));
    }

    /// A 5,000-column table of 600 rows of short cells (6 MB, under a note's size limit) took 815 MB to lay out:
    /// now the columns past [`MAX_TABLE_COLUMNS`] are dropped with a line saying so, and what comes out stays
    /// within [`MAX_LINES`] at any width, as a grid or as records.
    #[test]
    fn a_huge_table_is_laid_out_within_bounds() {
        let (columns, rows) = (5_000, 600);
        let mut markdown = String::with_capacity((columns * 2 + 2) * (rows + 2));
        for r in 0..rows + 2 {
            markdown.push('|');
            for c in 0..columns {
                markdown.push_str(match r {
                    0 => "h",
                    1 => "-",
                    _ if c % 2 == 0 => "가",
                    _ => "b",
                });
                markdown.push('|');
            }
            markdown.push('\n');
        }
        assert!(markdown.len() > 6_000_000, "{}", markdown.len());
        for width in [40_u16, 76, 1_000] {
            let lines = render(&markdown, width, &Theme::plain());
            assert!(lines.len() <= MAX_LINES + 4, "{} lines at {width}", lines.len());
            let spans: usize = lines.iter().map(|l| l.spans.len()).sum();
            assert!(spans <= 4 * MAX_LINES, "{spans} spans at {width}");
            let separators = lines
                .iter()
                .map(|l| l.spans.iter().filter(|s| s.content == COLUMN_SEPARATOR).count());
            assert!(separators.max().unwrap_or(0) < MAX_TABLE_COLUMNS, "at {width}");
            let text = to_plain(&lines);
            assert!(
                text.contains("4,936 more columns"),
                "at {width}:\n{}",
                &text[text.len() - 500..]
            );
            assert_fits(&lines, width, "a huge table");
        }
    }

    /// Past [`MAX_TABLE_CELLS`] a table's rows are dropped, and the line after it says how many rows and columns
    /// it lost; a cell keeps [`MAX_CELL_COLUMNS`] columns of text.
    #[test]
    fn a_table_keeps_its_first_cells_and_says_what_it_dropped() {
        let row = |cell: &str| format!("|{}\n", format!("{cell}|").repeat(100));
        let mut markdown = row("h") + &row("-");
        for _ in 0..400 {
            markdown.push_str(&row("가"));
        }
        let lines = plain_lines(&markdown, 1_000);
        // The header's 64 cells and 312 rows of 64 reach 20,000 cells: 88 rows are left.
        let rows = 20_000_usize.div_ceil(MAX_TABLE_COLUMNS) - 1;
        assert_eq!(lines.len(), 2 + rows + 2, "{:?}", &lines[lines.len() - 3..]);
        assert_eq!(lines[2], ["가"; 64].join(" │ "));
        assert_eq!(lines[lines.len() - 1], "… 36 more columns and 88 more rows not shown");

        let long = "a".repeat(3 * MAX_CELL_COLUMNS);
        let lines = plain_lines(&format!("| h |\n|---|\n| {long} |\n"), 1_000);
        let text = lines[2..].concat();
        assert_eq!(text.matches('a').count(), MAX_CELL_COLUMNS - 1, "{lines:?}");
        assert!(text.ends_with('…'), "{lines:?}");
    }

    /// An answer longer than [`MAX_LINES`] lines shows them, then a line that says the rest is cut; one that fits
    /// shows no such line.
    #[test]
    fn a_long_answer_is_cut_after_its_first_lines() {
        let markdown: String = (0..3 * MAX_LINES).map(|i| format!("- 항목 {i}\n")).collect();
        let lines = plain_lines(&markdown, 40);
        assert_eq!(lines[0], "• 항목 0");
        assert_eq!(lines[MAX_LINES - 1], format!("• 항목 {}", MAX_LINES - 1));
        assert_eq!(lines[MAX_LINES], "");
        assert!(
            lines[MAX_LINES + 1].starts_with("… the rest of this answer is cut"),
            "{:?}",
            &lines[MAX_LINES..]
        );
        assert!(lines.len() <= MAX_LINES + 4, "{}", lines.len());
        assert_fits(&render(&markdown, 40, &Theme::plain()), 40, "a long list");
        // Past MAX_SOURCE_BYTES, the source itself is cut at a line's end.
        let lines = plain_lines(&"긴 줄입니다.\n\n".repeat(MAX_SOURCE_BYTES), 200);
        assert!(lines.len() <= MAX_LINES + 3);
        assert!(lines[lines.len() - 1].starts_with("… the rest of this answer is cut"));
        let fits: String = (0..100).map(|i| format!("- 항목 {i}\n")).collect();
        assert!(!plain_lines(&fits, 40).concat().contains('…'));
    }

    #[test]
    fn grouped_numbers_separate_thousands() {
        assert_eq!(
            [0, 12, 999, 1_000, 4_936, 123_456, 1_234_567].map(grouped),
            ["0", "12", "999", "1,000", "4,936", "123,456", "1,234,567"]
        );
    }

    #[test]
    fn wide_tables_shrink_their_widest_column() {
        let markdown = "| 키 | 설명 |\n|---|---|\n| a | 프로세스는 독립된 메모리 공간을 가진다 |\n";
        assert_eq!(
            plain_lines(markdown, 22),
            [
                "키 │ 설명",
                "───┼──────────────────",
                "a  │ 프로세스는 독립된",
                "   │ 메모리 공간을",
                "   │ 가진다"
            ]
        );
    }

    #[test]
    fn links_show_a_dimmed_url() {
        let theme = Theme::colored();
        let lines = render("[러스트 문서](https://doc.rust-lang.org) 참고", 80, &theme);
        assert_eq!(to_plain(&lines), "러스트 문서 (https://doc.rust-lang.org) 참고");
        let url = lines[0].spans.iter().find(|s| s.content.starts_with("(https")).unwrap();
        assert!(url.style.add_modifier.contains(Modifier::DIM));
        assert_eq!(plain_lines("[위로](#top)", 80), ["위로"]);
        assert_eq!(plain_lines("<https://a.dev>", 80), ["https://a.dev"]);
        assert_eq!(plain_lines("<me@a.dev>", 80), ["me@a.dev"]);
    }

    #[test]
    fn images_show_their_alt_text() {
        assert_eq!(
            plain_lines("![메모리 구조](mem.png)", 80),
            ["[그림: 메모리 구조 — mem.png]"]
        );
        assert_eq!(plain_lines("![](mem.png)", 80), ["[그림: mem.png]"]);
    }

    #[test]
    fn quotes_prefix_every_line() {
        let markdown = "> 크롬은 탭마다 프로세스를 띄운다\n>\n> > 메모리를 더 쓴다";
        assert_eq!(
            plain_lines(markdown, 16),
            [
                "│ 크롬은 탭마다",
                "│ 프로세스를",
                "│ 띄운다",
                "│",
                "│ │ 메모리를 더",
                "│ │ 쓴다"
            ]
        );
        let lines = render("> 인용", 10, &Theme::colored());
        assert_eq!(lines[0].spans[0].style, Theme::colored().quote);
    }

    #[test]
    fn rules_and_html() {
        assert_eq!(plain_lines("위\n\n---\n\n아래", 6), ["위", "", "──────", "", "아래"]);
        assert_eq!(plain_lines("한 줄<br>두 줄<BR/>세 줄", 40), ["한 줄", "두 줄", "세 줄"]);
        assert_eq!(plain_lines("<kbd>Ctrl</kbd>+<kbd>C</kbd>", 40), ["Ctrl+C"]);
        assert_eq!(
            plain_lines(
                "<div>\n<!-- 숨김 -->\n블록 <b>HTML</b> &amp; 텍스트<br>\n다음 줄\n</div>",
                40
            ),
            ["블록 HTML & 텍스트", "다음 줄"]
        );
        assert!(plain_lines("<!-- 주석만 -->", 40).is_empty());
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(plain_lines("a\x1b[31m빨강", 40), ["a␛[31m빨강"]);
        assert_eq!(sanitize("\x1b[31m"), "␛[31m");
        assert_eq!(sanitize("\x07\x7f\u{9b}x"), "␇␡\u{FFFD}x");
        assert_eq!(sanitize("a\tb\n\tc"), "a   b\n    c");
        assert!(matches!(sanitize("평범한 text"), Cow::Borrowed(_)));
        let lines = plain_lines("```\n\x1b]0;title\x07\n```", 20);
        assert_eq!(lines, [" ␛]0;title␇         "]);
        let lines = wrap(text("x\x1by"), 10, vec![], vec![]);
        assert_eq!(to_plain(&lines), "x␛y");
    }

    /// A short answer as the line-mode quiz prints it: a list, a code block, a table and a link.
    const SHORT_ANSWER: &str = "\
스택은 **LIFO**, 큐는 FIFO 구조입니다. [자료구조 정리](https://example.com/ds)를 보세요.

- 스택: 함수 호출, 되돌리기(undo)
- 큐: 작업 대기열, `BFS`

```rust
let mut 스택 = vec![1, 2];
스택.pop();
```

| 구조 | 꺼내는 순서 |
|---|---|
| 스택 | 마지막에 넣은 것 |
| 큐 | 처음 넣은 것 |
";

    #[test]
    fn snapshot_answer_as_text_40() {
        let text = render_text(SHORT_ANSWER, 40);
        assert!(!text.contains('\x1b'), "no escape sequence in {text:?}");
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?} is {} wide", line.width());
            assert_eq!(line, line.trim_end_matches(' '), "trailing spaces in {line:?}");
        }
        insta::assert_snapshot!("answer_text_40", text);
    }

    #[test]
    fn answer_as_text_is_the_plain_render_without_styles() {
        let lines: Vec<String> = plain_lines(SHORT_ANSWER, 30)
            .iter()
            .map(|l| l.trim_end_matches(' ').to_owned())
            .collect();
        assert_eq!(render_text(SHORT_ANSWER, 30), lines.join("\n"));
        assert_eq!(render_text(SHORT_ANSWER, 0), "");
        assert_eq!(render_text("", 40), "");
    }

    #[test]
    fn answer_as_text_shows_control_characters_as_symbols() {
        // An escape sequence in every kind of text an answer has.
        let answer = "빨강\x1b[31m 글자 `\x1b[0m` [링크\x07](https://e.com/\x1b) ![그림\x1b](a.png)\n\n\
                      - 항목\x1b[2J\n\n\
                      ```\n\x1b]0;title\x07\n```\n\n\
                      | 열\x1b | 값 |\n|---|---|\n| \x1b[1m | \u{9b}x |\n\n\
                      > 인용\x7f\n\n\
                      <p>html\x1b</p>\n";
        let text = render_text(answer, 60);
        assert!(!text.contains('\x1b'), "ESC in {text:?}");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a control character in {text:?}"
        );
        assert!(text.contains("빨강␛[31m"), "{text}");
        assert!(text.contains("␛]0;title␇"), "{text}");
        assert!(text.contains("[그림: 그림␛"), "{text}");
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd = "\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}";
        assert_eq!(sanitize(nfd), "한글");
        assert_eq!(plain_lines(&format!("**{nfd}** 공부"), 40), ["한글 공부"]);
        assert_eq!(sanitize("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn a_picture_says_where_it_is_from_the_top_of_the_notes() {
        let from = |folder: &str, markdown: &str| render_text_from(markdown, folder, 80);
        assert_eq!(
            from("CS/Network", "![TCP 상태](images/tcp.png)"),
            "[그림: TCP 상태 — CS/Network/images/tcp.png]"
        );
        assert_eq!(
            from("CS/Network", "![](../assets/osi.png)"),
            "[그림: CS/assets/osi.png]"
        );
        assert_eq!(from("", "![](./a/./b.png)"), "[그림: a/b.png]");
        // A URL as it is; a data URI by its type; a path above the notes as written.
        assert_eq!(
            from("CS", "![도식](https://example.com/x.png)"),
            "[그림: 도식 — https://example.com/x.png]"
        );
        assert_eq!(
            from("CS", "![](data:image/png;base64,iVBORw0KGgo=)"),
            "[그림: data:image/png]"
        );
        assert_eq!(from("CS", "![](../../../etc/passwd)"), "[그림: ../../../etc/passwd]");
        // A name that would break the line or drive the terminal is shown as symbols.
        assert_eq!(from("", "![](<a\u{1b}b.png>)"), "[그림: a␛b.png]");
        assert_eq!(folder_of("CS/Network/tcp.md"), "CS/Network");
        assert_eq!(folder_of("tcp.md"), "");
    }
}
