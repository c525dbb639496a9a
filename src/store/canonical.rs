//! progress.yaml read fast when it is exactly as amgi writes it.
//!
//! serde_norway took about 250 ms to read 10,000 cards, on every start of a quiz. A file amgi wrote has a fixed
//! shape, so it is read here in one pass, line by line. Every scalar is checked to be written exactly as
//! [`super::emit`] writes what was read from it, and the lines around them exactly as the writer lays them out, so
//! the text accepted is always the rendering of the value returned, which the full YAML reader reads back as that
//! same value. Anything else (a hand edit, other indentation or quoting, a comment, flow style, an unknown or
//! missing key, cards out of order or listed twice, another version) gives `None`, and the full reader reads the
//! file instead or says exactly where it is wrong.

use super::emit::{Style, analyze, inline_scalar, is_break, is_simple_key, phase_name, style};
use super::progress::{Entry, PROGRESS_HEADER, PROGRESS_VERSION, Progress, Settings};
use crate::card::CardId;
use crate::schedule::{CardState, Memory, Phase};
use crate::time::Moment;
use jiff::Timestamp;
use jiff::tz::Offset;
use std::str::FromStr;

/// The progress in `text`, if `text` is exactly what [`super::emit::render`] writes for it.
pub(super) fn parse(text: &str) -> Option<Progress> {
    let mut lines = Lines(text.strip_prefix(PROGRESS_HEADER)?);
    let mut scratch = String::new();
    if integer::<u64>(lines.next()?.strip_prefix("version: ")?)? != PROGRESS_VERSION {
        return None;
    }
    let settings = match lines.next()? {
        "settings: {}" => Settings::default(),
        "settings:" => settings(&mut lines)?,
        _ => return None,
    };
    let log_offset = integer(lines.next()?.strip_prefix("log_offset: ")?)?;
    let mut next = lines.next()?;
    let log_crc = match next.strip_prefix("log_crc: ") {
        Some(crc) => {
            next = lines.next()?;
            Some(integer(crc)?)
        }
        None => None,
    };
    let mut cards: Vec<(CardId, Entry)> = Vec::new();
    match next {
        "cards: {}" => {}
        "cards:" => loop {
            let (id, entry) = card(&mut lines, &mut scratch)?;
            // Strictly ascending, as written: no card twice (which the full reader refuses).
            if cards.last().is_some_and(|(last, _)| *last >= id) {
                return None;
            }
            cards.push((id, entry));
            if lines.0.is_empty() {
                break;
            }
        },
        _ => return None,
    }
    if !lines.0.is_empty() {
        return None;
    }
    Some(Progress {
        settings,
        log_offset,
        log_crc,
        cards: cards.into_iter().collect(),
    })
}

/// The lines of the text still to read, each ended by `\n`.
struct Lines<'a>(&'a str);

impl<'a> Lines<'a> {
    /// The next line without its `\n`; `None` at the end or for a last line without one.
    fn next(&mut self) -> Option<&'a str> {
        let line = self.peek()?;
        self.skip(line);
        Some(line)
    }

    fn peek(&self) -> Option<&'a str> {
        // The standard library's search took a fifth of the time of reading a card.
        memchr::memchr(b'\n', self.0.as_bytes()).map(|end| &self.0[..end])
    }

    /// Moves past `line`, which [`Lines::peek`] gave.
    fn skip(&mut self, line: &str) {
        self.0 = &self.0[line.len() + 1..];
    }
}

/// `settings:` when it is not `{}`: `retention`, `parameters`, `interview`, `planned_on`, in that order, each optional.
fn settings(lines: &mut Lines) -> Option<Settings> {
    let mut settings = Settings::default();
    if let Some(value) = lines.peek()?.strip_prefix("  retention: ") {
        settings.retention = Some(float(value)?);
        lines.next();
    }
    match lines.peek()? {
        "  parameters: []" => {
            lines.next();
            settings.parameters = Some(Vec::new());
        }
        "  parameters:" => {
            lines.next();
            let mut parameters = Vec::new();
            while let Some(value) = lines.peek()?.strip_prefix("  - ") {
                parameters.push(float(value)?);
                lines.next();
            }
            if parameters.is_empty() {
                return None;
            }
            settings.parameters = Some(parameters);
        }
        _ => {}
    }
    let mut scratch = String::new();
    for (name, slot) in [
        ("  interview: ", &mut settings.interview),
        ("  planned_on: ", &mut settings.planned_on),
    ] {
        if let Some(value) = lines.peek()?.strip_prefix(name) {
            *slot = Some(string(value, false, &mut scratch)?.parse().ok()?);
            lines.next();
        }
    }
    (settings != Settings::default()).then_some(settings)
}

/// One card: its key line (`  id:`, or `  ? id` and the first field after `  : `) and its fields.
fn card(lines: &mut Lines, scratch: &mut String) -> Option<(CardId, Entry)> {
    let key = lines.next()?.strip_prefix("  ")?;
    let (id, first) = match key.strip_prefix("? ") {
        Some(token) => {
            let id = string(token, false, scratch)?;
            if is_simple_key(&id, &analyze(&id)) {
                return None;
            }
            (CardId::from_stored(id), Some(lines.next()?.strip_prefix("  : ")?))
        }
        None => (simple_key(key.strip_suffix(':')?, scratch)?, None),
    };
    let mut fields = Fields { lines, first };
    let answer_hash = answer_hash(fields.take("answer_hash")?, scratch)?;
    let difficulty = fields.optional("difficulty", float)?;
    let due = fields.optional("due", time)?;
    let lapses = integer(fields.take("lapses")?)?;
    let last_review = fields.optional("last_review", time)?;
    let question = string(fields.take("question")?, false, scratch)?;
    let reps = integer(fields.take("reps")?)?;
    let skipped_until = fields.optional("skipped_until", time)?;
    let stability = fields.optional("stability", float)?;
    let phase = phase(fields.take("state")?)?;
    let step = integer(fields.take("step")?)?;
    // Written only when true; a hand-written `false` is left to the full reader.
    let suspended = match fields.take("suspended") {
        Some("true") => true,
        Some(_) => return None,
        None => false,
    };
    let memory = match (stability, difficulty) {
        (Some(stability), Some(difficulty)) => Some(Memory { stability, difficulty }),
        (None, None) => None,
        // The full reader refuses one without the other, and says so.
        _ => return None,
    };
    let state = CardState {
        phase,
        step,
        due,
        memory,
        reps,
        lapses,
        last_review,
    };
    let entry = Entry {
        question,
        answer_hash,
        state,
        skipped_until,
        suspended,
    };
    Some((id, entry))
}

/// A card id written as a simple key (`id:`, without the colon), as [`string`] reads it; `None` unless the writer
/// writes it so. Plain text, most ids, is looked at once and made an id without a copy in between.
fn simple_key(token: &str, scratch: &mut String) -> Option<CardId> {
    if !matches!(token.as_bytes().first()?, b'\'' | b'"') {
        let analysis = analyze(token);
        let plain = style(token, &analysis, true) == Style::Plain && is_simple_key(token, &analysis);
        return plain.then(|| CardId::from_stored_str(token));
    }
    let id = string(token, true, scratch)?;
    is_simple_key(&id, &analyze(&id)).then(|| CardId::from_stored(id))
}

/// An `answer_hash` value, as [`string`] reads it. The writer's 16 hex digits (see [`crate::Card::answer_hash`])
/// are plain when there is an `a`, `c`, `d` or `f` among them, as in all but about one in a hundred: text of
/// ASCII letters and digits starting with one is plain to libyaml, and it reads back as no other value (an
/// integer is digits, or has an `x`, `o` or `b` after a `0` and digits of its base after that; a float has only
/// digits, a dot, an `e` and signs; null, booleans, infinities and NaN have letters that are not hex digits).
/// Any other text is looked at as [`string`] looks at it.
pub(super) fn answer_hash(token: &str, scratch: &mut String) -> Option<String> {
    let b = token.as_bytes();
    let hex = b.len() == 16 && b.iter().all(|&c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
    if hex && b.iter().any(|&c| matches!(c, b'a' | b'c' | b'd' | b'f')) {
        return Some(token.to_owned());
    }
    string(token, false, scratch)
}

/// A card's field lines (`    name: value`), read in the order they are written.
struct Fields<'l, 'a> {
    lines: &'l mut Lines<'a>,
    /// The first field, when it came after a `? id` key as `  : name: value`.
    first: Option<&'a str>,
}

impl<'a> Fields<'_, 'a> {
    /// The value of field `name` if it comes next, and then moves past it; `None` (moving nowhere) otherwise.
    fn take(&mut self, name: &str) -> Option<&'a str> {
        if let Some(line) = self.first {
            let value = line.strip_prefix(name)?.strip_prefix(": ")?;
            self.first = None;
            return Some(value);
        }
        // The name is looked for before the end of the line: an optional field that is not there, and the last
        // field of a card (the next card's key follows), are then not searched to their ends.
        let rest = self
            .lines
            .0
            .strip_prefix("    ")?
            .strip_prefix(name)?
            .strip_prefix(": ")?;
        let end = memchr::memchr(b'\n', rest.as_bytes())?;
        self.lines.0 = &rest[end + 1..];
        Some(&rest[..end])
    }

    /// An optional field: `Some(None)` when it is not there, `None` when it is there but `read` refuses it.
    fn optional<T>(&mut self, name: &str, read: fn(&str) -> Option<T>) -> Option<Option<T>> {
        match self.take(name) {
            Some(value) => read(value).map(Some),
            None => Some(None),
        }
    }
}

/// A string scalar (`token`, one line of it) as a key written `key:` (`simple_key`) or a value; `None` unless it
/// is written exactly as the writer writes the string it reads as.
pub(super) fn string(token: &str, simple_key: bool, scratch: &mut String) -> Option<String> {
    let value = match token.as_bytes().first()? {
        b'\'' => token.strip_prefix('\'')?.strip_suffix('\'')?.replace("''", "'"),
        b'"' => unescape(token.strip_prefix('"')?.strip_suffix('"')?)?,
        _ => {
            // Plain text reads as itself; it only has to be text the writer leaves plain.
            return (style(token, &analyze(token), simple_key) == Style::Plain).then(|| token.to_owned());
        }
    };
    if token.contains(is_break) {
        return None;
    }
    let written = inline_scalar(&value, simple_key, std::mem::take(scratch))?;
    let same = written == token;
    *scratch = written;
    same.then_some(value)
}

/// The text between double quotes, with the escapes the writer uses undone.
fn unescape(quoted: &str) -> Option<String> {
    let mut value = String::with_capacity(quoted.len());
    let mut rest = quoted;
    while let Some(at) = rest.find(['\\', '"']) {
        value.push_str(&rest[..at]);
        let escape = rest[at..].strip_prefix('\\')?;
        let letter = escape.chars().next()?;
        let mut len = 1;
        let c = match letter {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            '"' => '"',
            '\\' => '\\',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' | 'u' | 'U' => {
                let digits = match letter {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex = escape.get(1..1 + digits)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                len += digits;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        value.push(c);
        rest = &escape[len..];
    }
    value.push_str(rest);
    Some(value)
}

/// An unsigned integer as the writer writes it: digits, no leading zero.
fn integer<T: FromStr>(token: &str) -> Option<T> {
    let canonical =
        !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) && (token.len() == 1 || !token.starts_with('0'));
    canonical.then(|| token.parse().ok()).flatten()
}

/// An `f32` as the writer writes it: ryu's shortest form, `.inf`, `-.inf` or `.nan`.
fn float(token: &str) -> Option<f32> {
    match token {
        ".inf" => Some(f32::INFINITY),
        "-.inf" => Some(f32::NEG_INFINITY),
        ".nan" => Some(f32::NAN),
        _ => {
            let x: f32 = token.parse().ok()?;
            (x.is_finite() && ryu::Buffer::new().format_finite(x) == token).then_some(x)
        }
    }
}

/// A `state` name.
fn phase(token: &str) -> Option<Phase> {
    [Phase::New, Phase::Learning, Phase::Review, Phase::Relearning]
        .into_iter()
        .find(|&phase| phase_name(phase) == token)
}

/// A moment as the writer writes it, `2026-11-24T21:10:03+09:00`, read without jiff's general parser (two of these
/// for each card add up, and one or two for each line of the log). Other forms, such as `Z`, `-00:00` or fractions
/// of a second, are left to the full reader.
pub(super) fn time(token: &str) -> Option<Moment> {
    let text: &[u8; 25] = token.as_bytes().try_into().ok()?;
    at_second(text, day(text)?)
}

/// The day and offset of a written moment (its first ten and last six bytes, `2026-11-24` and `+09:00`): the
/// second, since 1970 UTC, that the day starts at in that offset, and the offset. `None` for a day that does not
/// exist, or an offset not written as [`time`] takes it.
///
/// The day is counted on the proleptic Gregorian calendar, as jiff counts it, by arithmetic: jiff's checked
/// `DateTime` and its conversion took about 310 instructions a moment, this and [`at_second`] about 260, and
/// [`at_second`] alone, for a moment of a day already counted (as most lines of a log are), about 80.
pub(super) fn day(text: &[u8; 25]) -> Option<(i64, Offset)> {
    if text[4] != b'-' || text[7] != b'-' || text[22] != b':' {
        return None;
    }
    let sign = match text[19] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = (digits(text, 20, 2)?, digits(text, 23, 2)?);
    if hours > 23 || minutes > 59 || (sign < 0 && hours == 0 && minutes == 0) {
        return None;
    }
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60) as i32).ok()?;
    let (year, month, day) = (digits(text, 0, 4)?, digits(text, 5, 2)?, digits(text, 8, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > month_days {
        return None;
    }
    // Days from 1970-01-01 (Howard Hinnant's `days_from_civil`, for years 0 to 9999 that are never negative).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some((days * 86_400 - i64::from(offset.seconds()), offset))
}

/// The moment written as `text` on the day [`day`] gave for it: its time of day (`T21:10:03`) added. `None` for
/// a time that does not exist (`24:00:00`, a leap second), or a moment outside jiff's range.
pub(super) fn at_second(text: &[u8; 25], (start, offset): (i64, Offset)) -> Option<Moment> {
    if text[10] != b'T' || text[13] != b':' || text[16] != b':' {
        return None;
    }
    let (hours, minutes, seconds) = (digits(text, 11, 2)?, digits(text, 14, 2)?, digits(text, 17, 2)?);
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let timestamp = Timestamp::from_second(start + hours * 3600 + minutes * 60 + seconds).ok()?;
    Some(Moment::new(timestamp, offset))
}

/// The number written in decimal as the `len` bytes of `text` from `from`; `None` unless they are all digits.
fn digits(text: &[u8], from: usize, len: usize) -> Option<i64> {
    let mut n = 0;
    let mut all = true;
    for &b in &text[from..from + len] {
        let digit = b.wrapping_sub(b'0');
        all &= digit < 10;
        n = n * 10 + i64::from(digit);
    }
    all.then_some(n)
}
