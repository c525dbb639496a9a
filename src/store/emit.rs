//! progress.yaml written directly, byte for byte as serde_norway writes it.
//!
//! serde_norway turns a value into libyaml events and lets libyaml's emitter lay them out; for 10,000 cards that took
//! about 100 ms, most of the wait after every answer. The file's shape is fixed (block mappings with plain keys, one
//! block sequence, `{}` and `[]` when empty), so this writes that shape directly and keeps libyaml's rules only where
//! the output depends on the data: the style each string is written in, and how each style is written. Those parts
//! follow serde_norway's `ser.rs` and libyaml's `emitter.c` (as ported in unsafe-libyaml-norway) step by step, with
//! the settings serde_norway uses (Unicode output, no line width, two-space indentation, `\n` breaks), so that old
//! and new files never differ: the tests compare the bytes with serde_norway's for many generated values.
//!
//! It stays now that progress.yaml is written off the answer path, by the background writer
//! (`saver.rs`): for a progress.yaml of 10,000 cards (3.8 MB) this writes the text in 9 to 10 ms (median of
//! 15, release build), serde_norway's writer in 120 to 130 ms, with 5.7 MB more at its peak (its events and
//! intermediate values). The writer's time is what a quit right after an answer waits for, what `amgi repair` and
//! every command that saves take, and a second core kept busy during a drill; the extra memory would take a drill
//! of 10,000 cards over its 20 MB.

use super::progress::{PROGRESS_HEADER, PROGRESS_VERSION, Progress, Settings};
use crate::schedule::Phase;
use crate::time::Moment;
use std::fmt::Write as _;

/// libyaml's `best_indent`, as serde_norway leaves it.
const INDENT: usize = 2;

/// The longest key, in bytes, libyaml writes as `key: value`; longer ones get the explicit `? key` form.
const SIMPLE_KEY_MAX: usize = 128;

/// The text of progress.yaml for `progress`.
pub(super) fn render(progress: &Progress) -> String {
    // Some 300 to 400 bytes a card: one allocation for a typical file.
    let mut e = Emitter::new(PROGRESS_HEADER.len() + 200 + progress.cards.len() * 448);
    e.out.push_str(PROGRESS_HEADER);
    e.key(0, "version");
    e.number(PROGRESS_VERSION);
    e.key(0, "settings");
    settings(&mut e, &progress.settings);
    e.key(0, "log_offset");
    e.number(progress.log_offset);
    if let Some(crc) = progress.log_crc {
        e.key(0, "log_crc");
        e.number(u64::from(crc));
    }
    e.key(0, "cards");
    if progress.cards.is_empty() {
        e.empty("{}");
    }
    // Card ids are keys indented by two spaces, their fields by four.
    const FIELD: usize = 2 * INDENT;
    for (id, entry) in &progress.cards {
        e.mapping_key(INDENT, id.as_str());
        let state = &entry.state;
        e.key(FIELD, "answer_hash");
        e.string(FIELD, &entry.answer_hash);
        if let Some(memory) = &state.memory {
            e.key(FIELD, "difficulty");
            e.float(memory.difficulty);
        }
        if let Some(due) = state.due {
            e.key(FIELD, "due");
            e.time(FIELD, due);
        }
        e.key(FIELD, "lapses");
        e.number(state.lapses);
        if let Some(last_review) = state.last_review {
            e.key(FIELD, "last_review");
            e.time(FIELD, last_review);
        }
        e.key(FIELD, "question");
        e.string(FIELD, &entry.question);
        e.key(FIELD, "reps");
        e.number(state.reps);
        if let Some(skipped_until) = entry.skipped_until {
            e.key(FIELD, "skipped_until");
            e.time(FIELD, skipped_until);
        }
        if let Some(memory) = &state.memory {
            e.key(FIELD, "stability");
            e.float(memory.stability);
        }
        e.key(FIELD, "state");
        e.plain(phase_name(state.phase));
        e.key(FIELD, "step");
        e.number(state.step);
        if entry.suspended {
            e.key(FIELD, "suspended");
            e.plain("true");
        }
    }
    e.document_end();
    e.out
}

/// The `state` names.
pub(super) fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::New => "new",
        Phase::Learning => "learning",
        Phase::Review => "review",
        Phase::Relearning => "relearning",
    }
}

fn settings(e: &mut Emitter, settings: &Settings) {
    if *settings == Settings::default() {
        e.empty("{}");
        return;
    }
    if let Some(retention) = settings.retention {
        e.key(INDENT, "retention");
        e.float(retention);
    }
    if let Some(parameters) = &settings.parameters {
        e.key(INDENT, "parameters");
        if parameters.is_empty() {
            e.empty("[]");
        }
        // A block sequence that is a mapping's value is not indented further ("indentless").
        for &x in parameters {
            e.write_indent(INDENT);
            e.write_indicator("-", true, false, true);
            e.float(x);
        }
    }
    for (name, day) in [("interview", settings.interview), ("planned_on", settings.planned_on)] {
        if let Some(day) = day {
            e.key(INDENT, name);
            e.string(INDENT, &day.to_string());
        }
    }
}

/// The style a string scalar is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// What libyaml's `yaml_emitter_analyze_scalar` finds out about a string (the parts that matter outside flow
/// collections, where progress.yaml has no strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Analysis {
    /// It has a line break (`\n`, `\r`, NEL, LS or PS).
    pub(super) multiline: bool,
    /// It has a `\n`, for which serde_norway asks for a literal block.
    newline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// libyaml's `IS_PRINTABLE`, per character: which characters may appear unescaped. NEL, the C1 controls, the BOM,
/// U+FFFE and U+FFFF are not, nor the C0 controls other than `\n`.
fn printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{10000}'..)
        || (('\u{e000}'..='\u{fffd}').contains(&c) && c != '\u{feff}')
}

/// libyaml's `IS_BREAK`.
pub(super) fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `IS_BLANKZ`: a space, tab, line break or NUL (the end of the text counts too).
fn blankz(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\0') || is_break(c)
}

/// A quick check for the common case, an id like `network/TCP vs UDP` or `네트워크/쿠키란?` or a time, that the full
/// analysis would find nothing in: it starts with a letter, digit or non-ASCII character, has no `: ` or final `:`,
/// no ` #`, no trailing space, and no character that is not printable or is a break. Non-ASCII text passes unless
/// its lead byte is 0xc2 (U+0080..U+00BF, with NEL and the C1 controls), 0xe2 (U+2000..U+2FFF, with LS and PS) or
/// 0xef (U+F000..U+FFFF, with the BOM, U+FFFE and U+FFFF); every other lead byte starts only printable characters.
fn is_plain_text(bytes: &[u8]) -> bool {
    /// Per byte: 0 always fine, 1 a `:`, 2 a `#`, 3 never fine.
    const CLASS: [u8; 256] = {
        let mut class = [3; 256];
        let mut b = 0;
        while b < 256 {
            class[b] = match b as u8 {
                b':' => 1,
                b'#' => 2,
                b' '..=b'~' => 0,
                0xc2 | 0xe2 | 0xef => 3,
                0x80.. => 0,
                _ => 3,
            };
            b += 1;
        }
        class
    };
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !(first.is_ascii_alphanumeric() || (first >= 0x80 && CLASS[usize::from(first)] == 0))
        || matches!(last, b' ' | b':')
    {
        return false;
    }
    // The first byte is neither `:` nor `#`, the last is no `:`, so the neighbours looked at exist.
    bytes.iter().enumerate().all(|(i, &b)| match CLASS[usize::from(b)] {
        0 => true,
        1 => bytes[i + 1] != b' ',
        2 => bytes[i - 1] != b' ',
        _ => false,
    })
}

/// libyaml's `yaml_emitter_analyze_scalar`, with a shortcut for the common case.
pub(super) fn analyze(value: &str) -> Analysis {
    if is_plain_text(value.as_bytes()) {
        return Analysis {
            multiline: false,
            newline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
    }
    analyze_fully(value)
}

/// libyaml's `yaml_emitter_analyze_scalar`, character by character.
pub(super) fn analyze_fully(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            newline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with("---") || value.starts_with("...");
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut preceded_by_whitespace = true;
    let mut previous_space = false;
    let mut previous_break = false;
    let mut chars = value.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let last = next.is_none();
        let followed_by_whitespace = next.is_none_or(blankz);
        if first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    block_indicators = true;
                }
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = blankz(c);
        first = false;
    }
    let mut analysis = Analysis {
        multiline: line_breaks,
        newline: value.contains('\n'),
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        analysis.block_plain_allowed = false;
    }
    if trailing_space {
        analysis.block_allowed = false;
    }
    if break_space {
        analysis.block_plain_allowed = false;
        analysis.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        analysis.block_plain_allowed = false;
        analysis.single_quoted_allowed = false;
        analysis.block_allowed = false;
    }
    if line_breaks || block_indicators {
        analysis.block_plain_allowed = false;
    }
    analysis
}

/// Whether serde_norway asks for single quotes: when the text, written plain, would read back as something other
/// than a string (null, a bool, an integer, a float) or is digits with a leading zero (`0123`), as in
/// `serialize_str` and `visit_untagged_scalar`.
fn reads_as_non_string(v: &str) -> bool {
    if matches!(
        v,
        "" | "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    ) {
        return true;
    }
    // Every number YAML reads starts with a digit, a sign or a dot (`inf` and `nan` without a dot are not finite
    // and so stay strings).
    if !v.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return false;
    }
    parse_unsigned_int(v, u64::from_str_radix).is_some()
        || parse_negative_int(v, i64::from_str_radix).is_some()
        || parse_unsigned_int(v, u128::from_str_radix).is_some()
        || parse_negative_int(v, i128::from_str_radix).is_some()
        || (!digits_but_not_number(v) && is_yaml_float(v))
        || digits_but_not_number(v)
}

/// serde_norway's `parse_unsigned_int`.
fn parse_unsigned_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>,
) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

/// serde_norway's `parse_negative_int`.
fn parse_negative_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>,
) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix)
            && let Ok(int) = from_str_radix(&format!("-{rest}"), radix)
        {
            return Some(int);
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

/// Whether serde_norway's `parse_f64` reads a float.
fn is_yaml_float(scalar: &str) -> bool {
    let unpositive = match scalar.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return false,
        Some(rest) => rest,
        None => scalar,
    };
    matches!(unpositive, ".inf" | ".Inf" | ".INF")
        || matches!(scalar, "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN")
        || unpositive.parse::<f64>().is_ok_and(f64::is_finite)
}

/// serde_norway's `digits_but_not_number`: a leading zero followed by digits is a string in YAML 1.2.
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The style libyaml writes a string in (`yaml_emitter_select_scalar_style`), after serde_norway asked for a
/// literal block when it has a `\n`, single quotes when it would read back as something else, and any style
/// otherwise. `simple_key` is true for a key written as `key: value`.
pub(super) fn style(value: &str, analysis: &Analysis, simple_key: bool) -> Style {
    let mut style = if analysis.newline {
        Style::Literal
    } else if reads_as_non_string(value) {
        Style::SingleQuoted
    } else {
        Style::Plain
    };
    if simple_key && analysis.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!analysis.block_plain_allowed || (value.is_empty() && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !analysis.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!analysis.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

/// Whether libyaml writes a mapping key as `key: value` rather than `? key` (`yaml_emitter_check_simple_key`).
pub(super) fn is_simple_key(value: &str, analysis: &Analysis) -> bool {
    !analysis.multiline && value.len() <= SIMPLE_KEY_MAX
}

/// The text of `value` as written on one line as a simple key (`simple_key`), or as a value after `key: ` or
/// `? `, without the space before it; `None` when it would not stay on one line (a literal block, or single quotes
/// around a line break). The reader checks what it reads against this.
pub(super) fn inline_scalar(value: &str, simple_key: bool, scratch: String) -> Option<String> {
    let analysis = analyze(value);
    let style = style(value, &analysis, simple_key);
    if style == Style::Literal || (style == Style::SingleQuoted && analysis.multiline) {
        return None;
    }
    let mut e = Emitter::new(0);
    e.out = scratch;
    e.out.clear();
    e.scalar(value, style, 0);
    Some(e.out)
}

/// libyaml's emitter state, as far as the output depends on it.
struct Emitter {
    out: String,
    /// The column, in characters.
    column: usize,
    /// The last thing written was whitespace (or nothing), so an indicator needs no space before it.
    whitespace: bool,
    /// Only indentation has been written on this line.
    indention: bool,
}

impl Emitter {
    fn new(capacity: usize) -> Emitter {
        Emitter {
            out: String::with_capacity(capacity),
            column: 0,
            whitespace: true,
            indention: true,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        self.column += if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
    }

    /// libyaml's `WRITE_BREAK`: `\n` as the emitter's break, any other break character as it is.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    /// `yaml_emitter_write_indent`.
    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    /// `yaml_emitter_write_indicator`.
    fn write_indicator(&mut self, indicator: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.write(indicator);
        self.whitespace = is_whitespace;
        self.indention &= is_indention;
    }

    /// A key that is always plain (a field name), and its `:`, in a block mapping indented by `indent`.
    fn key(&mut self, indent: usize, name: &str) {
        self.write_indent(indent);
        self.write(name);
        self.write_indicator(":", false, false, false);
    }

    /// A card id as a key of the `cards` mapping, indented by `indent`: `id:`, or `? id` and `:` on the next line.
    fn mapping_key(&mut self, indent: usize, id: &str) {
        self.write_indent(indent);
        let analysis = analyze(id);
        if is_simple_key(id, &analysis) {
            let style = style(id, &analysis, true);
            self.scalar(id, style, indent + INDENT);
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indicator("?", true, false, true);
            let style = style(id, &analysis, false);
            self.scalar(id, style, indent + INDENT);
            self.write_indent(indent);
            self.write_indicator(":", true, false, true);
        }
    }

    /// A plain scalar known to need no quotes (numbers, state names).
    fn plain(&mut self, text: &str) {
        self.write_plain(text);
    }

    fn number(&mut self, n: impl itoa::Integer) {
        self.write_plain(itoa::Buffer::new().format(n));
    }

    /// An `f32` as serde_norway writes one: ryu's shortest form, `.inf`, `-.inf` or `.nan`.
    fn float(&mut self, x: f32) {
        let mut buffer = ryu::Buffer::new();
        let text = if x.is_nan() {
            ".nan"
        } else if x.is_infinite() {
            if x > 0.0 { ".inf" } else { "-.inf" }
        } else {
            buffer.format_finite(x)
        };
        self.write_plain(text);
    }

    /// A moment as a value of a mapping indented by `indent`, as its `Display` writes it
    /// (`2026-11-24T21:10:03+09:00`), without going through jiff's `strftime` for the usual years: twice a card,
    /// that took a tenth of the time of a save. Such text is always plain.
    fn time(&mut self, indent: usize, moment: Moment) {
        let local = moment.offset().to_datetime(moment.timestamp());
        let year = local.year();
        if !(0..=9999).contains(&year) {
            self.string(indent, &moment.to_string());
            return;
        }
        let seconds = moment.offset().seconds();
        let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
        let mut text = [0u8; 25];
        let mut put = |at: usize, n: i32, width: usize| {
            for i in 0..width {
                text[at + width - 1 - i] = b'0' + (n / 10i32.pow(i as u32) % 10) as u8;
            }
        };
        put(0, year.into(), 4);
        put(5, local.month().into(), 2);
        put(8, local.day().into(), 2);
        put(11, local.hour().into(), 2);
        put(14, local.minute().into(), 2);
        put(17, local.second().into(), 2);
        put(20, hours, 2);
        put(23, minutes, 2);
        for (at, c) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (22, b':')] {
            text[at] = c;
        }
        text[19] = if seconds < 0 { b'-' } else { b'+' };
        // Only ASCII digits and separators were written.
        self.write_plain(std::str::from_utf8(&text).unwrap_or_default());
    }

    /// A string as a value of a mapping indented by `indent`.
    fn string(&mut self, indent: usize, value: &str) {
        let analysis = analyze(value);
        let style = style(value, &analysis, false);
        self.scalar(value, style, indent + INDENT);
    }

    /// `yaml_emitter_process_scalar`; `indent` is the scalar's own indentation, where continuation lines go.
    fn scalar(&mut self, value: &str, style: Style, indent: usize) {
        match style {
            Style::Plain => self.write_plain(value),
            Style::SingleQuoted => self.write_single_quoted(value, indent),
            Style::DoubleQuoted => self.write_double_quoted(value),
            Style::Literal => self.write_literal(value, indent),
        }
    }

    /// `yaml_emitter_write_plain_scalar` for text without line breaks (plain style is never chosen for others).
    fn write_plain(&mut self, value: &str) {
        if !self.whitespace && !value.is_empty() {
            self.put(' ');
        }
        self.write(value);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_single_quoted_scalar` (no line width, so lines are never folded).
    fn write_single_quoted(&mut self, value: &str, indent: usize) {
        self.write_indicator("'", true, false, false);
        if !value.contains(is_break) {
            // The common case in one go: only quotes need doubling.
            let mut parts = value.split('\'');
            if let Some(first) = parts.next() {
                self.write(first);
            }
            for part in parts {
                self.write("''");
                self.write(part);
            }
        } else {
            let mut breaks = false;
            for c in value.chars() {
                if c == ' ' {
                    self.put(' ');
                } else if is_break(c) {
                    if !breaks && c == '\n' {
                        self.put_break();
                    }
                    self.write_break(c);
                    self.indention = true;
                    breaks = true;
                } else {
                    if breaks {
                        self.write_indent(indent);
                    }
                    if c == '\'' {
                        self.put('\'');
                    }
                    self.put(c);
                    self.indention = false;
                    breaks = false;
                }
            }
            if breaks {
                self.write_indent(indent);
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_double_quoted_scalar` (no line width, so lines are never folded).
    fn write_double_quoted(&mut self, value: &str) {
        self.write_indicator("\"", true, false, false);
        for c in value.chars() {
            if !printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let code = u32::from(c);
                let short = match code {
                    0x00 => Some('0'),
                    0x07 => Some('a'),
                    0x08 => Some('b'),
                    0x09 => Some('t'),
                    0x0a => Some('n'),
                    0x0b => Some('v'),
                    0x0c => Some('f'),
                    0x0d => Some('r'),
                    0x1b => Some('e'),
                    0x22 => Some('"'),
                    0x5c => Some('\\'),
                    0x85 => Some('N'),
                    0xa0 => Some('_'),
                    0x2028 => Some('L'),
                    0x2029 => Some('P'),
                    _ => None,
                };
                match short {
                    Some(letter) => self.put(letter),
                    None => {
                        let (letter, width) = match code {
                            ..=0xff => ('x', 2),
                            0x100..=0xffff => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(letter);
                        let before = self.out.len();
                        let _ = write!(self.out, "{code:0width$X}");
                        self.column += self.out.len() - before;
                    }
                }
            } else {
                self.put(c);
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_literal_scalar` with its header (`yaml_emitter_write_block_scalar_hints`).
    fn write_literal(&mut self, value: &str, indent: usize) {
        self.write_indicator("|", true, false, false);
        if value.starts_with(|c| c == ' ' || is_break(c)) {
            let hint = char::from(b'0' + INDENT as u8).to_string();
            self.write_indicator(&hint, false, false, false);
        }
        let mut from_end = value.chars().rev();
        let chomp = match (from_end.next(), from_end.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(before)) if is_break(before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    /// An empty flow collection, `{}` or `[]`, as a mapping's value.
    fn empty(&mut self, brackets: &str) {
        self.write_indicator(&brackets[..1], true, true, false);
        self.write_indicator(&brackets[1..], false, false, false);
    }

    /// The end of the document (`yaml_emitter_emit_document_end`): a final line break. serde_norway never ends the
    /// stream, so a literal block that keeps its final breaks (`|+`) is not followed by `...` as libyaml would add.
    fn document_end(&mut self) {
        self.write_indent(0);
    }
}
