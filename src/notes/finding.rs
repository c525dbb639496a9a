//! What the parser passed over or doubts, reported by `amgi check`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of a [`Finding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A heading with nothing under it.
    Stub,
    /// A question with no answer under it.
    OpenQuestion,
    /// Two cards with the same topic, path and question.
    Duplicate,
    /// Text that is deliberately not a card (reference sections, an empty file, text outside any heading), and
    /// symlink loops, which are not followed.
    Skipped,
    /// A path that could not be read as notes. The only kind that makes `check` fail.
    Unreadable,
    /// Progress kept for a card that is no longer in the notes (renamed or deleted).
    Orphan,
    /// Progress kept for a card no longer in the notes that moves to the card continuing it (a renamed or moved file).
    Moved,
    /// A line of reviews.yaml that repeats an earlier one (a copy, a sync tool, a merge): counted once.
    Repeat,
    /// A line of reviews.yaml dated after now: not applied.
    Future,
    /// A section of questions only, none answered: its questions are kept, told once for the section.
    QuestionBank,
}

impl FindingKind {
    /// The name used in output (`stub`, `open-question`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Stub => "stub",
            FindingKind::OpenQuestion => "open-question",
            FindingKind::Duplicate => "duplicate",
            FindingKind::Skipped => "skipped",
            FindingKind::Unreadable => "unreadable",
            FindingKind::Orphan => "orphan",
            FindingKind::Moved => "moved",
            FindingKind::Repeat => "repeat",
            FindingKind::Future => "future",
            FindingKind::QuestionBank => "question-bank",
        }
    }
}

/// One thing the parser passed over or doubts, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file, named as in [`crate::Card::file`].
    pub file: String,
    /// 1-based line, when the finding has one.
    pub line: Option<usize>,
    /// What kind of finding this is.
    pub kind: FindingKind,
    /// A sentence for a person.
    pub message: String,
    /// The question the finding is about (stubs, open questions, duplicates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

impl Finding {
    /// A finding that is not about a question.
    pub fn new(file: &str, line: Option<usize>, kind: FindingKind, message: impl Into<String>) -> Self {
        Finding {
            file: file.to_owned(),
            line,
            kind,
            message: message.into(),
            question: None,
        }
    }

    /// A finding about `question`.
    pub fn about(file: &str, line: usize, kind: FindingKind, question: &str, message: impl Into<String>) -> Self {
        Finding {
            question: Some(question.to_owned()),
            ..Finding::new(file, Some(line), kind, message)
        }
    }

    /// Whether this finding means some notes could not be read.
    pub fn is_error(&self) -> bool {
        self.kind == FindingKind::Unreadable
    }
}

/// `file:line: kind: message`, or `file: kind: message` without a line; always one line, whatever the file is
/// called (see [`crate::visible::one_line`]), so no file name can forge a finding of its own.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::visible::one_line;
        let (file, kind, message) = (one_line(&self.file), self.kind.as_str(), one_line(&self.message));
        match self.line {
            Some(line) => write!(f, "{file}:{line}: {kind}: {message}"),
            None => write!(f, "{file}: {kind}: {message}"),
        }
    }
}
