//! Writing an answer written out in a quiz into its note file, as that question's answer (`W`).
//!
//! The file is read, the answer placed by the pure [`place_answer`], and the user asked; only then is the file
//! written, and only if it is still a regular file holding what was read: whole or not at all, through
//! [`crate::door`] (a temporary file beside it, synced, renamed over it, its permissions kept).

use super::place_answer;
use super::source::MAX_NOTE_BYTES;
use crate::card::Card;
use crate::door;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// An answer ready to be written into a note file: the file as read and the text it would hold.
#[derive(Debug, Clone)]
pub struct AnswerOut {
    /// The note file on disk.
    pub path: PathBuf,
    /// The file and line of the question, as cards name them (`os.md:3`).
    pub place: String,
    /// Where the answer goes, in the user's words: `under "프로세스란?"`.
    pub under: String,
    was: Vec<u8>,
    text: String,
}

/// The file on disk a card's `file` names: under one of the notes folders, or as given. `None` for a card of the
/// bundled deck.
pub fn locate(roots: &[PathBuf], file: &str) -> Option<PathBuf> {
    roots
        .iter()
        .filter(|root| root.is_dir())
        .map(|root| root.join(file))
        .chain([PathBuf::from(file)])
        .find(|path| std::fs::symlink_metadata(path).is_ok())
}

/// A regular file at `path`, not a link to one: anything else is refused with the file named.
fn check_file(path: &Path) -> anyhow::Result<()> {
    let meta =
        std::fs::symlink_metadata(path).with_context(|| format!("could not read {}", crate::visible::name(path)))?;
    if meta.file_type().is_symlink() {
        bail!(
            "{} is a symbolic link; amgi writes answers only into a regular file, and wrote nothing",
            crate::visible::name(path)
        );
    }
    if !meta.is_file() {
        bail!(
            "{} is not a regular file; amgi wrote nothing",
            crate::visible::name(path)
        );
    }
    Ok(())
}

/// Reads `card`'s note file (under one of `roots`) and places `answer` in it as the card's answer: ready to
/// [`write`](AnswerOut::write) once the user says so. An error (the file gone or changed, the question no longer
/// there, an answer that would read as more notes) names the file and says why; nothing is written.
pub fn prepare(roots: &[PathBuf], card: &Card, answer: &str) -> anyhow::Result<AnswerOut> {
    let Some(path) = locate(roots, &card.file) else {
        bail!(
            "{} is in the bundled deck; give --notes a folder to write answers into your own notes",
            card.file
        );
    };
    check_file(&path)?;
    let was =
        door::read(&path, MAX_NOTE_BYTES).with_context(|| format!("could not read {}", crate::visible::name(&path)))?;
    let Ok(old) = std::str::from_utf8(&was) else {
        bail!("{} is not valid UTF-8; amgi wrote nothing", crate::visible::name(&path));
    };
    let text = place_answer(old, &card.file, &card.topic, card.line, &card.question, answer)?;
    Ok(AnswerOut {
        place: format!("{}:{}", card.file, card.line),
        under: format!("under \"{}\"", card.question),
        path,
        was,
        text,
    })
}

impl AnswerOut {
    /// Writes the answer into the file, whole or not at all, if the file is still the regular file that was read
    /// and holds what it held (else nothing is written and the error says so, naming the file).
    pub fn write(&self) -> anyhow::Result<()> {
        let name = || crate::visible::name(&self.path);
        check_file(&self.path)?;
        let now = door::read(&self.path, MAX_NOTE_BYTES).with_context(|| format!("could not read {}", name()))?;
        if now != self.was {
            bail!(
                "{} changed since amgi read it; nothing was written (answer the question again to write it)",
                name()
            );
        }
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file_name = self.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let tmp = dir.join(format!(".{file_name}.amgi-{}.tmp", std::process::id()));
        door::replace(&self.path, &tmp, self.text.as_bytes(), door::Sharing::AsRepo)
            .with_context(|| format!("could not write {}", name()))?;
        let _ = door::sync_dir(dir);
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::notes::parse;
    use std::os::unix::fs::PermissionsExt;

    fn question(text: &str) -> Card {
        let parsed = parse(text, "os.md", "os");
        parsed.questions.into_iter().next().expect("a question")
    }

    #[test]
    fn the_answer_is_written_whole_keeping_the_files_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("os.md");
        let text = "## 프로세스란?\n\n## 스레드란?\n\n실행 흐름.\n";
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let card = question(text);
        let out = prepare(&[dir.path().to_path_buf()], &card, "실행 중인 프로그램.").unwrap();
        assert_eq!(
            (out.place.as_str(), out.under.as_str()),
            ("os.md:1", "under \"프로세스란?\"")
        );
        out.write().unwrap();
        let now = std::fs::read_to_string(&path).unwrap();
        assert!(
            now.starts_with("## 프로세스란?\n\n실행 중인 프로그램.\n\n## 스레드란?"),
            "{now}"
        );
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }

    #[test]
    fn a_file_changed_since_it_was_read_or_a_link_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("os.md");
        let text = "## 프로세스란?\n\n## 스레드란?\n\n실행 흐름.\n";
        std::fs::write(&path, text).unwrap();
        let card = question(text);
        let roots = [dir.path().to_path_buf()];
        let out = prepare(&roots, &card, "답").unwrap();
        let edited = format!("{text}\n## 새 질문\n\n새 답\n");
        std::fs::write(&path, &edited).unwrap();
        let error = out.write().unwrap_err().to_string();
        assert!(
            error.contains("os.md changed since amgi read it; nothing was written"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);

        let real = dir.path().join("real.md");
        std::fs::write(&real, text).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&real, &path).unwrap();
        let error = prepare(&roots, &card, "답").unwrap_err().to_string();
        assert!(error.contains("os.md is a symbolic link"), "{error}");
        // Made a link after it was read: refused at the write too.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, text).unwrap();
        let out = prepare(&roots, &card, "답").unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&real, &path).unwrap();
        assert!(out.write().unwrap_err().to_string().contains("is a symbolic link"));
        assert_eq!(std::fs::read_to_string(&real).unwrap(), text);
    }
}
