//! attempts.yaml: the answers written out from memory, one a line, as text and back.
//!
//! `- {card: "network/TCP vs UDP", at: 2026-11-24T21:10:03+09:00, said: 3, terms: 5, text: "TCP는 …\n…"}`
//!
//! One line each, with the text's line breaks escaped, so that the file is append-only and two machines' files
//! merge line by line (a union) the way reviews.yaml does.

use super::yaml::{Time, line_column, located};
use super::{Store, StoreError, has_conflict_markers, io_error};
use crate::card::CardId;
use crate::door;
use crate::time::Moment;
use serde::Deserialize;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;

/// attempts.yaml is read whole; one larger than this (millions of attempts) is refused rather than read.
const ATTEMPTS_LIMIT: u64 = 1 << 30;

/// One answer written out from memory before the reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The card answered.
    pub card: CardId,
    /// When the answer was finished.
    pub at: Moment,
    /// How many of the answer's key terms it said.
    pub said: usize,
    /// How many key terms the answer has.
    pub terms: usize,
    /// What was written.
    pub text: String,
}

/// The text of one line of attempts.yaml, without the newline.
pub fn render_attempt(attempt: &Attempt) -> String {
    let mut line = String::with_capacity(80 + attempt.text.len());
    line.push_str("- {card: ");
    super::log::push_quoted(&mut line, attempt.card.as_str());
    // Writing into a String cannot fail.
    let _ = write!(
        line,
        ", at: {}, said: {}, terms: {}, text: ",
        attempt.at, attempt.said, attempt.terms
    );
    super::log::push_quoted(&mut line, &attempt.text);
    line.push('}');
    line
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    card: CardId,
    at: Time,
    said: usize,
    terms: usize,
    text: String,
}

/// Reads one line of attempts.yaml (without its newline): the attempt, or the 1-based column when known and what
/// is wrong.
pub fn parse_attempt(text: &str) -> Result<Attempt, (Option<usize>, String)> {
    let text = text.strip_suffix('\r').unwrap_or(text);
    if let Some(index) = super::yaml::too_deep(text.as_bytes()) {
        let column = line_column(text.as_bytes(), index).1;
        return Err((Some(column), "`[` and `{` nest too deep here".into()));
    }
    let parsed: Option<[Raw; 1]> = serde_norway::from_str(text).map_err(|e| {
        let (location, message) = located(&e, text);
        (location.map(|(_, column)| column), message)
    })?;
    let Some([raw]) = parsed else {
        return Err((
            None,
            "expected a line like `- {card: \"…\", at: …, said: 3, terms: 5, text: \"…\"}`".into(),
        ));
    };
    if raw.said > raw.terms {
        return Err((None, format!("said {} is more than terms {}", raw.said, raw.terms)));
    }
    if raw.card.as_str().trim().is_empty() {
        return Err((None, "the card is empty".into()));
    }
    Ok(Attempt {
        card: raw.card,
        at: raw.at.0,
        said: raw.said,
        terms: raw.terms,
        text: raw.text,
    })
}

impl Store {
    /// `dir/attempts.yaml`.
    pub fn attempts_path(&self) -> PathBuf {
        self.dir.join("attempts.yaml")
    }

    /// Appends `attempt` to attempts.yaml (making it and the folder if needed) with a single write, first ending a
    /// torn last line with a newline, then syncs the data.
    pub fn append_attempt(&self, attempt: &Attempt) -> Result<(), StoreError> {
        let path = self.attempts_path();
        let (mut file, _, torn) = self.open_append(&path)?;
        let mut text = String::new();
        if torn {
            text.push('\n');
        }
        text.push_str(&render_attempt(attempt));
        text.push('\n');
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(io_error("write", &path))
    }

    /// Every attempt in attempts.yaml, in file order; none when there is no file. A torn last line (a write cut
    /// off, also when a later append ended it) and the marker lines of a merge conflict are skipped; any other line that cannot be read is an error
    /// naming the file and line, and the file is left as it is.
    pub fn read_attempts(&self) -> Result<Vec<Attempt>, StoreError> {
        let path = self.attempts_path();
        self.check_dir()?;
        let bytes = match door::read(&path, ATTEMPTS_LIMIT) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("read", &path)(e)),
        };
        let terminated = bytes.last().is_none_or(|&b| b == b'\n');
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        let mut attempts = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            // A line cut off by a crash mid-write (the last, or one a later append ended) ends before its `}`.
            let torn = (i + 1 == lines.len() && !terminated) || !line.trim_ascii_end().ends_with(b"}");
            let error = |column, message| StoreError::Log {
                file: path.clone(),
                line: i + 1,
                column,
                message,
            };
            let Ok(text) = std::str::from_utf8(line) else {
                if torn {
                    continue;
                }
                return Err(error(None, "the line is not UTF-8 text".into()));
            };
            let text = text.trim_end_matches(['\n', '\r']);
            if text.trim().is_empty() || text.starts_with('#') || has_conflict_markers(line) {
                continue;
            }
            match parse_attempt(text) {
                Ok(attempt) => attempts.push(attempt),
                Err(_) if torn => {}
                Err((column, message)) => return Err(error(column, message)),
            }
        }
        Ok(attempts)
    }

    /// The attempts at `card` in attempts.yaml, oldest first.
    pub fn attempts_of_card(&self, card: &CardId) -> Result<Vec<Attempt>, StoreError> {
        let mut attempts = self.read_attempts()?;
        attempts.retain(|attempt| &attempt.card == card);
        attempts.sort_by_key(|attempt| attempt.at.timestamp());
        Ok(attempts)
    }

    /// Settles a merge conflict git left in attempts.yaml: both sides' lines kept, the markers dropped, as
    /// [`Store::settle_log_conflict`] does for reviews.yaml. Whether there was a conflict to settle.
    pub fn settle_attempts_conflict(&self) -> Result<bool, StoreError> {
        self.settle_conflict(&self.attempts_path(), "attempts.yaml.tmp", ATTEMPTS_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Moment {
        text.parse().unwrap()
    }

    fn attempt(text: &str) -> Attempt {
        Attempt {
            card: CardId::from_stored_str("네트워크/TCP vs UDP"),
            at: at("2026-11-24T21:10:03+09:00"),
            said: 2,
            terms: 5,
            text: text.into(),
        }
    }

    #[test]
    fn an_attempt_is_one_line_and_reads_back_the_same() {
        for text in [
            "TCP는 연결 지향이다.\nUDP는 아니다.\n\n- 목록\n\t탭",
            "",
            "\"따옴표\" 와 \\ 역슬래시, {중괄호}: [대괄호] # 해시",
            "줄\u{2028}구분 \u{85} 와 \u{7f}",
            "yes",
            "123",
        ] {
            let attempt = attempt(text);
            let line = render_attempt(&attempt);
            assert!(!line.contains('\n'), "{line}");
            assert_eq!(parse_attempt(&line), Ok(attempt), "{line}");
        }
    }

    #[test]
    fn the_line_is_written_as_documented() {
        assert_eq!(
            render_attempt(&attempt("TCP는\n3-way")),
            "- {card: \"네트워크/TCP vs UDP\", at: 2026-11-24T21:10:03+09:00, said: 2, terms: 5, text: \"TCP는\\n3-way\"}"
        );
    }

    #[test]
    fn attempts_are_appended_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("data"));
        assert_eq!(store.read_attempts().unwrap(), []);
        let first = attempt("첫 답\n둘째 줄");
        let mut second = attempt("TCP는 3-way handshake");
        second.said = 5;
        store.append_attempt(&first).unwrap();
        store.append_attempt(&second).unwrap();
        assert_eq!(store.read_attempts().unwrap(), [first.clone(), second.clone()]);
        // A torn last line is ended before the next attempt, and skipped.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(store.attempts_path())
            .unwrap();
        file.write_all(b"- {card: \"x\", at: 2026").unwrap();
        assert_eq!(store.read_attempts().unwrap().len(), 2);
        store.append_attempt(&first).unwrap();
        assert_eq!(store.read_attempts().unwrap(), [first.clone(), second, first]);
    }

    #[test]
    fn a_damaged_file_is_named_with_its_line_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let good = render_attempt(&attempt("답"));
        let text = format!("{good}\n- {{card: \"a\", said: 1}}\n{good}\n");
        std::fs::write(store.attempts_path(), &text).unwrap();
        let error = store.read_attempts().unwrap_err().to_string();
        assert!(error.contains("attempts.yaml:2"), "{error}");
        assert_eq!(std::fs::read_to_string(store.attempts_path()).unwrap(), text);
    }

    #[test]
    fn a_merge_conflict_keeps_both_sides_attempts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let (ours, theirs) = (attempt("우리"), attempt("그들"));
        let text = format!(
            "<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> origin/main\n",
            render_attempt(&ours),
            render_attempt(&theirs)
        );
        std::fs::write(store.attempts_path(), text).unwrap();
        assert_eq!(store.read_attempts().unwrap(), [ours.clone(), theirs.clone()]);
        assert!(store.settle_attempts_conflict().unwrap());
        assert!(!store.settle_attempts_conflict().unwrap());
        let settled = std::fs::read_to_string(store.attempts_path()).unwrap();
        assert_eq!(settled.lines().count(), 2, "{settled}");
        assert_eq!(store.read_attempts().unwrap(), [ours, theirs]);
    }

    #[test]
    fn a_link_in_place_of_the_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&elsewhere, store.attempts_path()).unwrap();
            assert!(store.append_attempt(&attempt("x")).is_err());
            assert!(store.read_attempts().is_err());
            assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "");
        }
    }

    #[test]
    fn a_damaged_line_says_what_is_wrong() {
        let line = render_attempt(&attempt("x"));
        assert!(parse_attempt(&line[..line.len() - 5]).is_err());
        assert!(parse_attempt("- {card: \"a\", at: 어제, said: 1, terms: 2, text: \"\"}").is_err());
        let (_, message) =
            parse_attempt("- {card: \"a\", at: 2026-11-24T21:10:03+09:00, said: 3, terms: 2, text: \"\"}").unwrap_err();
        assert_eq!(message, "said 3 is more than terms 2");
        assert!(parse_attempt("- {card: \"a\", at: 2026-11-24T21:10:03+09:00, said: 1, terms: 2}").is_err());
    }
}
