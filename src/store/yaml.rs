//! The pieces both files share: how floats, times and grades are written and read, and how a YAML error becomes
//! a place and a message.

use crate::time::Moment;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Unexpected, Visitor};
#[cfg(test)]
use serde::{Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// An `f32` written in its shortest form that reads back to the same value (`1.2931`, `3e-5`).
///
/// It is read from the scalar's text with Rust's own `f32` parser, so the value is rounded once, straight to
/// `f32`, never through `f64`.
#[derive(Debug, Clone, Copy)]
pub(super) struct F32(pub(super) f32);

/// Only the tests write through serde now, as the reference the direct writer (`emit`) must match.
#[cfg(test)]
impl Serialize for F32 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // serde_norway writes an f32 with ryu's shortest f32 form (`.inf`, `-.inf`, `.nan` when not finite).
        serializer.serialize_f32(self.0)
    }
}

impl<'de> Deserialize<'de> for F32 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number;
        impl Visitor<'_> for Number {
            type Value = F32;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<F32, E> {
                parse_f32(text)
                    .map(F32)
                    .ok_or_else(|| E::invalid_type(Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Number)
    }
}

/// A YAML float (`1.5`, `3e-5`, `.inf`, `-.inf`, `.nan`) as the nearest `f32`.
fn parse_f32(text: &str) -> Option<f32> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    match unsigned {
        ".inf" | ".Inf" | ".INF" if text.starts_with('-') => Some(f32::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => Some(f32::INFINITY),
        ".nan" | ".NaN" | ".NAN" if unsigned == text => Some(f32::NAN),
        _ if unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') => text.parse().ok(),
        _ => None,
    }
}

/// A day, written `2026-12-10`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Day(pub(super) jiff::civil::Date);

#[cfg(test)]
impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Iso;
        impl Visitor<'_> for Iso {
            type Value = Day;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a day like 2026-12-10")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Day, E> {
                text.parse().map(Day).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Iso)
    }
}

/// A [`Moment`], written as RFC 3339 with its offset (`2026-11-24T21:10:03+09:00`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Time(pub(super) Moment);

#[cfg(test)]
impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Rfc3339;
        impl Visitor<'_> for Rfc3339 {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time like 2026-11-24T21:10:03+09:00")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Time, E> {
                text.parse().map(Time).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Rfc3339)
    }
}

/// A value read as its raw form `Raw` and then checked as a whole, so that a failed check is reported at the
/// mapping it is about (serde_norway marks an error with the place of the value being read when it is raised).
pub(super) trait Checked: Sized {
    /// The form serde reads.
    type Raw: DeserializeOwned;
    /// The value, or why the raw form is not acceptable.
    fn check(raw: Self::Raw) -> Result<Self, String>;
}

/// Reads a mapping as `T::Raw`, then checks it inside the same visit.
pub(super) fn deserialize_checked<'de, D: Deserializer<'de>, T: Checked>(deserializer: D) -> Result<T, D::Error> {
    struct Check<T>(PhantomData<T>);
    impl<'de, T: Checked> Visitor<'de> for Check<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a mapping")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let raw = T::Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
            T::check(raw).map_err(de::Error::custom)
        }
    }
    deserializer.deserialize_map(Check(PhantomData))
}

/// A serde_norway error about `text` as a 1-based (line, column) when it has one, and its message without the
/// place.
pub(super) fn located(error: &serde_norway::Error, text: &str) -> (Option<(usize, usize)>, String) {
    let mut message = error.to_string();
    let Some(location) = error.location() else {
        return (None, message);
    };
    let mut place = (location.line(), location.column());
    let at_line = format!(" at line {} column {}", location.line(), location.column());
    if let Some(start) = message.find(&at_line) {
        message.replace_range(start..start + at_line.len(), "");
    } else if let Some(start) = message.find(" at position ") {
        // libyaml's reader errors give only a byte offset.
        let digits = &message[start + 13..];
        let len = digits.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(index) = digits[..len].parse::<usize>() {
            place = line_column(text.as_bytes(), index);
            message.replace_range(start..start + 13 + len, "");
        }
    }
    (Some(place), message)
}

/// The 1-based (line, column) of byte `index` in `text`, counting columns in characters as libyaml does.
pub(super) fn line_column(text: &[u8], index: usize) -> (usize, usize) {
    let before = &text[..index.min(text.len())];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// How deep `[…]` and `{…}` may nest. amgi's files need two levels; serde_norway refuses more than 128 anyway.
pub(super) const MAX_FLOW_DEPTH: usize = 128;

/// The byte index where flow collections (`[…]`, `{…}`) would nest deeper than [`MAX_FLOW_DEPTH`], if they do.
///
/// libyaml, under serde_norway, takes time quadratic in that depth (100,000 `[` take a minute), and its parser
/// has no limit of its own, so the text is checked before it gets there. This follows libyaml's tokens closely
/// enough to count every bracket that could open a collection, and to skip brackets inside comments, quoted
/// scalars, plain scalars and block scalars, without building anything.
pub(super) fn too_deep(text: &[u8]) -> Option<usize> {
    Nesting { text, i: 0 }.scan()
}

struct Nesting<'a> {
    text: &'a [u8],
    i: usize,
}

impl Nesting<'_> {
    /// The length of the line break at `at` (`\n`, `\r\n`, `\r`, NEL, LS, PS), 0 when there is none.
    fn break_len(&self, at: usize) -> usize {
        match &self.text[at..] {
            [b'\r', b'\n', ..] => 2,
            [b'\n' | b'\r', ..] => 1,
            [0xc2, 0x85, ..] => 2,
            [0xe2, 0x80, 0xa8 | 0xa9, ..] => 3,
            _ => 0,
        }
    }

    fn at_end(&self) -> bool {
        self.i >= self.text.len()
    }

    /// Whether the byte at `at` ends a token: end of text, a space, a tab or a line break.
    fn blank_at(&self, at: usize) -> bool {
        at >= self.text.len() || matches!(self.text[at], b' ' | b'\t') || self.break_len(at) > 0
    }

    fn skip_to_line_end(&mut self) {
        while !self.at_end() && self.break_len(self.i) == 0 {
            self.i += 1;
        }
    }

    /// Skips a quoted scalar starting at `self.i`; with `multiline` false, only one that closes on its line.
    /// Returns whether it was skipped (otherwise nothing moved).
    fn skip_quoted(&mut self, multiline: bool) -> bool {
        let quote = self.text[self.i];
        let mut j = self.i + 1;
        while j < self.text.len() {
            let c = self.text[j];
            if c == quote {
                if quote == b'\'' && self.text.get(j + 1) == Some(&b'\'') {
                    j += 2;
                    continue;
                }
                self.i = j + 1;
                return true;
            }
            if !multiline && self.break_len(j) > 0 {
                return false;
            }
            j += if quote == b'"' && c == b'\\' { 2 } else { 1 };
        }
        false
    }

    /// The indentation of the line starting at `start`, and whether the line is blank.
    fn indentation(&self, start: usize) -> (usize, bool) {
        let spaces = self.text[start..].iter().take_while(|&&b| b == b' ').count();
        let mut j = start + spaces;
        while j < self.text.len() && matches!(self.text[j], b' ' | b'\t') {
            j += 1;
        }
        (spaces, j >= self.text.len() || self.break_len(j) > 0)
    }

    fn scan(mut self) -> Option<usize> {
        let mut depth = 0usize;
        // Block context: whether a node may start here (line start, after `- `, `? `, `: `, an anchor or a tag).
        let mut node_start = true;
        // Flow context: whether a quoted scalar may start here (after `[`, `{`, `,`, `:`, `?`, an anchor or tag).
        let mut after_indicator = true;
        let mut line_start = 0;
        // The column of the first node on the line (a block mapping's keys sit there), and of the last `-`/`?`.
        let mut node_column: Option<usize> = None;
        let mut entry_column: Option<usize> = None;
        let mut line_first = true;
        while !self.at_end() {
            let breaks = self.break_len(self.i);
            if breaks > 0 {
                self.i += breaks;
                line_start = self.i;
                if depth == 0 {
                    node_start = true;
                    node_column = None;
                    entry_column = None;
                    line_first = true;
                }
                continue;
            }
            if self.i == line_start && self.text[self.i..].starts_with("\u{feff}".as_bytes()) {
                self.i += 3;
                continue;
            }
            let c = self.text[self.i];
            if matches!(c, b' ' | b'\t') {
                self.i += 1;
                continue;
            }
            let column = self.i - line_start;
            if c == b'#' {
                self.skip_to_line_end();
                continue;
            }
            if depth > 0 {
                match c {
                    b'[' | b'{' => {
                        depth += 1;
                        if depth > MAX_FLOW_DEPTH {
                            return Some(self.i);
                        }
                        self.i += 1;
                        after_indicator = true;
                    }
                    b']' | b'}' => {
                        depth -= 1;
                        self.i += 1;
                        after_indicator = false;
                        node_start = false;
                    }
                    b',' | b':' | b'?' => {
                        self.i += 1;
                        after_indicator = true;
                    }
                    b'\'' | b'"' if after_indicator && self.skip_quoted(true) => after_indicator = false,
                    b'&' | b'!' => {
                        self.i += 1;
                        self.skip_flow_plain();
                        after_indicator = true;
                    }
                    _ => {
                        self.i += 1;
                        self.skip_flow_plain();
                        after_indicator = false;
                    }
                }
                continue;
            }
            let first_on_line = std::mem::replace(&mut line_first, false);
            let marker = first_on_line
                && column == 0
                && (self.text[self.i..].starts_with(b"---") || self.text[self.i..].starts_with(b"..."))
                && self.blank_at(self.i + 3);
            if marker {
                self.i += 3;
                node_start = true;
                continue;
            }
            if node_start {
                match c {
                    b'[' | b'{' => {
                        depth = 1;
                        self.i += 1;
                        after_indicator = true;
                        continue;
                    }
                    b'-' | b'?' if self.blank_at(self.i + 1) => {
                        entry_column = Some(column);
                        node_column = None;
                        self.i += 1;
                        continue;
                    }
                    b':' if self.blank_at(self.i + 1) => {
                        entry_column = None;
                        self.i += 1;
                        continue;
                    }
                    b'&' | b'!' => {
                        self.skip_block_plain();
                        continue;
                    }
                    b'|' | b'>' => {
                        // A block scalar: its lines are those indented more than the collection it is in.
                        let parent = entry_column.or(node_column).unwrap_or(column);
                        self.skip_to_line_end();
                        self.skip_block_scalar(parent);
                        line_start = self.i;
                        node_start = true;
                        node_column = None;
                        entry_column = None;
                        line_first = true;
                        continue;
                    }
                    _ => {}
                }
                node_column.get_or_insert(column);
                entry_column = None;
                if matches!(c, b'\'' | b'"') && self.skip_quoted(false) {
                    node_start = false;
                    continue;
                }
            }
            // A plain scalar (or a quote that does not close on its line): text up to the next blank. A `:`
            // ending it is a value indicator, after which a node may start.
            let start = self.i;
            self.skip_block_plain();
            node_start = self.text[start..self.i].ends_with(b":");
        }
        None
    }

    /// Skips to the next blank.
    fn skip_block_plain(&mut self) {
        while !self.blank_at(self.i) {
            self.i += 1;
        }
    }

    /// Skips a plain scalar in flow context: up to a blank or a flow indicator.
    fn skip_flow_plain(&mut self) {
        while !self.blank_at(self.i) && !matches!(self.text[self.i], b',' | b'[' | b']' | b'{' | b'}') {
            self.i += 1;
        }
    }

    /// From the line break ending a block scalar's header, skips its lines: blank ones, and those indented more
    /// than `parent`.
    fn skip_block_scalar(&mut self, parent: usize) {
        self.i += self.break_len(self.i);
        while !self.at_end() {
            let (indent, blank) = self.indentation(self.i);
            if !blank && indent <= parent {
                return;
            }
            self.skip_to_line_end();
            self.i += self.break_len(self.i);
        }
    }
}
