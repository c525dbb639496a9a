//! Text helpers: whitespace, markers and case, on plain strings.

use pulldown_cmark::Tag;

/// The byte offset of the first `needle` (ASCII, lower case) in `haystack`, ignoring ASCII case.
pub(super) fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// A letters-and-digits key for comparing a title with a topic: case, spacing and punctuation ignored.
pub(super) fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn is_block_tag(tag: &Tag<'_>) -> bool {
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
pub(super) fn collapse(text: &str) -> String {
    if is_collapsed(text) {
        return text.to_owned();
    }
    collapse_runs(text)
}

/// [`collapse`] of an owned text, which is returned as it is when it has nothing to collapse.
pub(super) fn collapse_owned(text: String) -> String {
    if is_collapsed(&text) {
        text
    } else {
        collapse_runs(&text)
    }
}

/// Whether [`collapse`] leaves `text` as it is: single spaces between words and no other whitespace, told from
/// the bytes. Every whitespace character other than ASCII starts with one of the bytes C2, E1, E2 or E3, so only
/// a character starting with one of those needs decoding.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    // The byte before, a space at the start so that a leading space counts as a run.
    let mut before = b' ';
    for (i, &b) in bytes.iter().enumerate() {
        if b <= b' ' {
            if b != b' ' || before == b' ' {
                return false;
            }
        } else if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) && text[i..].starts_with(char::is_whitespace) {
            return false;
        }
        before = b;
    }
    before != b' ' || bytes.is_empty()
}

/// [`collapse`], word by word.
fn collapse_runs(text: &str) -> String {
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
pub(super) fn trim_blank_lines(text: &str) -> &str {
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

/// Whether a line asks: it ends in `?`, but not in a musing `..?` or `…?`.
pub(super) fn ends_with_question_mark(text: &str) -> bool {
    let text = text.trim_end();
    let asks = text.ends_with('?') || text.ends_with('？');
    asks && !text.trim_end_matches(['?', '？']).ends_with(['.', '…'])
}

/// `rest` of `Q. rest`, `Q: rest`, `Q) rest`, `Q1. rest`, `Q1) rest`.
pub(super) fn strip_q_marker(text: &str) -> Option<&str> {
    strip_marker(text, 'Q')
}

/// `rest` of `A. rest`, `A: rest`, `A) rest`.
pub(super) fn strip_a_marker(text: &str) -> Option<&str> {
    strip_marker(text, 'A')
}

fn strip_marker(text: &str, letter: char) -> Option<&str> {
    let rest = text.trim_start().strip_prefix(letter)?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(['.', ':', ')'])?;
    Some(rest.trim_start())
}

/// The source offset just past the `A.` marker of the line starting at `start` (markup around it included).
pub(super) fn skip_a_marker(src: &str, start: usize) -> usize {
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

/// Removes the common indentation of the non-blank lines.
pub(super) fn dedent(text: &str) -> String {
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
