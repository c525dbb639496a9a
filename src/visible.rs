//! Text from notes and file names made safe to show in a terminal: nothing in it can move the cursor, retitle a
//! window, write the clipboard or reorder what is around it.
//!
//! One rule, [`visible`], for every human-readable output: the full screen draws through it, and the plain quiz,
//! the listings, stats and plan text and the messages on stderr are written through a [`Visible`] writer. JSON is
//! not passed through it: JSON escapes controls itself, and its strings keep the text as it is.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

/// Columns between tab stops when a tab is expanded.
pub const TAB_STOP: usize = 4;

/// `text` with every character that would drive a terminal replaced by a visible one:
/// - C0 controls become their control pictures (U+2400 + code: ESC is `␛`, so `\x1b]0;x\x07` shows as
///   `␛]0;x␇`), DEL becomes `␡`;
/// - C1 controls (U+0080–U+009F, among them the 8-bit CSI) and the bidi embeddings, overrides and isolates
///   (U+202A–U+202E, U+2066–U+2069), which would reorder the text around them, become `�`;
/// - a tab advances to the next multiple of [`TAB_STOP`] columns, counted from the last newline.
///
/// Newlines are kept. Text that needs none of this is borrowed, not copied.
pub fn visible(text: &str) -> Cow<'_, str> {
    if text.chars().any(needs_replacing) {
        let mut out = String::with_capacity(text.len() + 16);
        push_visible(&mut out, text, &mut 0);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` kept to one line, for a file name or a field of a listing: as [`visible`], but a newline and a tab
/// become their control pictures too (`␊`, `␉`), so a name can neither start a line of its own (and forge the
/// next line of `amgi check`) nor pass for the spaces around it. Text that needs none of this is borrowed.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if text.chars().any(|c| c == '\n' || needs_replacing(c)) {
        let mut out = String::with_capacity(text.len() + 16);
        for c in text.chars() {
            match c {
                '\n' | '\t' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
                c => push_char(&mut out, c, &mut 0),
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// A path as a message names it: [`one_line`] of its text (bytes that are not UTF-8 become `�`).
pub fn name(path: &Path) -> String {
    one_line(&path.to_string_lossy()).into_owned()
}

/// Whether `c` is shown as something else by [`visible`].
fn needs_replacing(c: char) -> bool {
    (c < ' ' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c) || is_bidi_control(c)
}

/// The bidi embeddings, overrides and isolates: U+202A–U+202E and U+2066–U+2069.
fn is_bidi_control(c: char) -> bool {
    ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Appends [`visible`]`(text)` to `out`; `column` is the column the text starts at (for tabs), and is left at the
/// column it ends at.
fn push_visible(out: &mut String, text: &str, column: &mut usize) {
    for c in text.chars() {
        push_char(out, c, column);
    }
}

/// Appends [`visible`] of one character, as [`push_visible`] does.
fn push_char(out: &mut String, c: char, column: &mut usize) {
    match c {
        '\n' => {
            out.push('\n');
            *column = 0;
        }
        '\t' => {
            let n = TAB_STOP - *column % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', n));
            *column += n;
        }
        c if c < ' ' => {
            out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'));
            *column += 1;
        }
        '\u{7f}' => {
            out.push('\u{2421}');
            *column += 1;
        }
        c if needs_replacing(c) => {
            out.push('\u{FFFD}');
            *column += 1;
        }
        c => {
            out.push(c);
            *column += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
    }
}

/// A writer that passes what is written to it through [`visible`] on the way to `inner`. Bytes that are not
/// UTF-8 become `�`; a character split across two writes is put together first.
#[derive(Debug)]
pub struct Visible<W: Write> {
    inner: W,
    /// The start of a character whose other bytes have not come yet.
    pending: Vec<u8>,
    column: usize,
}

impl<W: Write> Visible<W> {
    /// A writer over `inner`.
    pub fn new(inner: W) -> Visible<W> {
        Visible {
            inner,
            pending: Vec::new(),
            column: 0,
        }
    }

    fn flush_pending(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.pending.clear();
        self.column += 1;
        self.inner.write_all("\u{FFFD}".as_bytes())
    }
}

impl<W: Write> Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut out = String::with_capacity(bytes.len() + 16);
        let mut rest = &bytes[..];
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    push_visible(&mut out, text, &mut self.column);
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // Valid up to here, by the error.
                    push_visible(
                        &mut out,
                        std::str::from_utf8(good).unwrap_or_default(),
                        &mut self.column,
                    );
                    match e.error_len() {
                        Some(n) => {
                            out.push('\u{FFFD}');
                            self.column += 1;
                            rest = &bad[n..];
                        }
                        None => {
                            // A character cut at the end of this write: the next one completes it.
                            self.pending = bad.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        self.inner.write_all(out.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Visible<W> {
    fn drop(&mut self) {
        let _ = self.flush_pending();
    }
}

/// Writes one message line to stderr through [`Visible`]: `amgi: ` and the message.
pub fn warn(message: std::fmt::Arguments<'_>) {
    let mut err = Visible::new(io::stderr().lock());
    let _ = writeln!(err, "amgi: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_become_visible_and_plain_text_is_borrowed() {
        assert!(matches!(visible("TCP와 UDP\n차이"), Cow::Borrowed(_)));
        assert_eq!(visible("\x1b]0;x\x07"), "␛]0;x␇");
        assert_eq!(visible("a\u{7f}b\u{9b}c\u{85}"), "a␡b�c�");
        assert_eq!(visible("\u{202e}evil\u{2066}x\u{2069}"), "�evil�x�");
        assert_eq!(visible("\r\n"), "␍\n");
        // Tabs go to the next stop, Hangul counting two columns.
        assert_eq!(visible("가\tb\n\tc"), "가  b\n    c");
    }

    #[test]
    fn one_line_shows_newlines_and_tabs_as_symbols_too() {
        assert!(matches!(one_line("면접 노트"), Cow::Borrowed(_)));
        assert_eq!(one_line("a\nb\tc\r\x1b[31m\u{202e}"), "a␊b␉c␍␛[31m�");
        assert_eq!(name(Path::new("notes/a\nb.md")), "notes/a␊b.md");
    }

    #[test]
    fn the_writer_shows_the_same_whatever_the_writes_are_cut_into() {
        let text = "제목 \x1b[2J 끝\u{9b}31m\t\u{202e}x\n";
        let whole = visible(text).into_owned();
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let mut out = Vec::new();
            {
                let mut w = Visible::new(&mut out);
                w.write_all(&bytes[..cut]).expect("write");
                w.write_all(&bytes[cut..]).expect("write");
            }
            assert_eq!(String::from_utf8(out).expect("UTF-8"), whole, "cut at {cut}");
        }
        let mut out = Vec::new();
        Visible::new(&mut out).write_all(b"a\xffb\xe2\x80").expect("write");
        assert_eq!(String::from_utf8(out).expect("UTF-8"), "a�b�");
    }
}
