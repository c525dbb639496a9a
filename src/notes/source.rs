//! Where notes come from: files and folders on disk, or the deck bundled into the binary.
//!
//! This is the only part of `notes` that reads the file system; [`super::answer_out`] writes an answer back.

use super::{Finding, FindingKind, NoteFile};
use include_dir::{Dir, include_dir};
use std::collections::HashMap;
use std::io;
use std::path::{Component, Path};
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

/// The repo's `notes/` folder, embedded at build time.
static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/notes");

/// Folders never walked into, besides hidden ones.
const SKIPPED_DIRS: [&str; 3] = ["node_modules", "target", ".github"];

/// The bundled deck's files, in the order a folder on disk is walked, with the same rules.
pub fn bundled() -> Vec<NoteFile> {
    let mut found = Vec::new();
    let mut dirs = vec![&BUNDLED];
    while let Some(dir) = dirs.pop() {
        for entry in dir.entries().iter().filter(|e| !is_skipped_name(e.path())) {
            match (entry.as_file(), entry.as_dir()) {
                (Some(file), _) if is_markdown(file.path()) => found.push(file),
                (_, Some(sub)) => dirs.push(sub),
                _ => {}
            }
        }
    }
    // Paths compare part by part, which is the order of a sorted walk.
    found.sort_by_key(|f| f.path());
    found
        .into_iter()
        .map(|f| {
            let topic = default_topic(f.path(), "notes");
            NoteFile {
                file: slash_path(f.path()),
                folders: folders(f.path(), &topic),
                topic,
                bytes: f.contents().to_vec(),
            }
        })
        .collect()
}

/// Reads each path: a file whatever its extension, a folder walked for `*.md` and `*.markdown`.
///
/// Never fails: what cannot be read becomes a finding (`unreadable`, or `skipped` for a symlink loop) in its
/// place among the files, and the rest is still returned.
pub fn read_paths<P: AsRef<Path>>(paths: &[P]) -> Vec<Result<NoteFile, Finding>> {
    read_paths_with(paths, &mut |_, _| true)
}

/// [`read_paths`], asking `keep(note, hash)` of each note file as it is read (once each, in the order they are
/// returned; `hash` is its [`content_hash`]) whether its bytes are wanted. A file whose cards are had already (the
/// cache of parsed notes holds them) is returned with no bytes, and the memory they took serves the next file: at
/// 10,000 cards, 5 MB of notes read into fresh memory was a fifth of the page faults of a start.
pub fn read_paths_with<P: AsRef<Path>>(
    paths: &[P],
    keep: &mut dyn FnMut(&NoteFile, u64) -> bool,
) -> Vec<Result<NoteFile, Finding>> {
    let mut reader = Reader {
        keep,
        scratch: Vec::new(),
    };
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let shown = nfc(&path.to_string_lossy());
        match std::fs::metadata(path) {
            Err(e) => files.push(Err(unreadable(&shown, &e))),
            Ok(meta) if meta.is_dir() => {
                let before = files.len();
                walk(path, &mut reader, &mut files);
                if !files[before..].iter().any(Result::is_ok) {
                    let message = "no .md or .markdown files in this folder";
                    files.push(Err(Finding::new(&shown, None, FindingKind::Unreadable, message)));
                }
            }
            Ok(meta) if !meta.is_file() => {
                files.push(Err(Finding::new(
                    &shown,
                    None,
                    FindingKind::Unreadable,
                    not_a_file(&meta),
                )));
            }
            Ok(_) => match reader.read(path) {
                Ok((bytes, hash)) => {
                    let folder = path
                        .canonicalize()
                        .ok()
                        .and_then(|p| {
                            p.parent()
                                .and_then(|d| d.file_name())
                                .map(|n| nfc(&n.to_string_lossy()))
                        })
                        .unwrap_or_default();
                    let topic = default_topic(path, &folder);
                    // Named directly: no notes folder, so no folders above it.
                    files.push(Ok(reader.note(shown, topic, Arc::default(), bytes, hash)));
                }
                Err(e) => files.push(Err(unreadable(&shown, &e))),
            },
        }
    }
    files
}

/// Walks `root` in sorted order for markdown files, following symlinks that stay inside it (loops are reported,
/// not followed); a symlink out of `root` is reported and not followed: a cloned repository is someone else's, and
/// its links must not read the user's other files into cards.
fn walk(root: &Path, reader: &mut Reader, files: &mut Vec<Result<NoteFile, Finding>>) {
    let canonical_root = root.canonicalize().ok();
    let root_name = canonical_root
        .as_ref()
        .and_then(|p| p.file_name().map(|n| nfc(&n.to_string_lossy())))
        .unwrap_or_default();
    let mut outside = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_skipped_name(e.path()) {
                return false;
            }
            if e.depth() == 0 || !e.path_is_symlink() {
                return true;
            }
            let target = e.path().canonicalize().ok();
            let inside = matches!((&target, &canonical_root), (Some(t), Some(r)) if t.starts_with(r));
            if !inside && (e.file_type().is_dir() || is_markdown(e.path())) {
                let relative = e.path().strip_prefix(root).unwrap_or(e.path());
                let to = target.map_or_else(|| "where it points".into(), |t| t.display().to_string());
                let message = format!("a symlink out of the notes folder (to {to}); not followed");
                outside.push(Finding::new(&slash_path(relative), None, FindingKind::Skipped, message));
            }
            inside
        });
    // Each file read so far by its length: where it is in `files`, and its hash.
    let mut seen: HashMap<usize, Vec<(usize, u64)>> = HashMap::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let shown = e.path().map_or_else(|| root.to_string_lossy(), |p| p.to_string_lossy());
                let (kind, message) = match (e.loop_ancestor(), e.io_error()) {
                    (Some(ancestor), _) => {
                        let message = format!("symlink loop back to {}; not followed", ancestor.display());
                        (FindingKind::Skipped, message)
                    }
                    (None, Some(io)) => (FindingKind::Unreadable, describe(io)),
                    (None, None) => (FindingKind::Unreadable, e.to_string()),
                };
                files.push(Err(Finding::new(&nfc(&shown), None, kind, message)));
                continue;
            }
        };
        if entry.file_type().is_dir() || !is_markdown(entry.path()) {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let name = slash_path(relative);
        if !entry.file_type().is_file() {
            // A FIFO would block the walk forever, a device never end.
            let message = match entry.metadata() {
                Ok(meta) => not_a_file(&meta),
                Err(e) => e.to_string(),
            };
            files.push(Err(Finding::new(&name, None, FindingKind::Skipped, message)));
            continue;
        }
        if let Some(why) = not_notes(entry.path(), relative) {
            files.push(Err(Finding::new(&name, None, FindingKind::Skipped, why)));
            continue;
        }
        match reader.read(entry.path()) {
            Ok((bytes, hash)) => {
                // The same text at a second path (a file copied between folders) would only ask every
                // question twice.
                // Files of one length are few, so their bytes are compared outright (by hash when the first
                // one's bytes were not kept).
                let same_length = seen.get(&bytes.len()).map(Vec::as_slice).unwrap_or_default();
                let copy = same_length.iter().find_map(|&(i, first_hash)| match &files[i] {
                    Ok(first) if first_hash == hash && (first.bytes.is_empty() || first.bytes == bytes) => {
                        Some(first.file.clone())
                    }
                    _ => None,
                });
                if let Some(first) = copy {
                    let message = format!("the same text as {first}, which is read instead; not read");
                    files.push(Err(Finding::new(&name, None, FindingKind::Skipped, message)));
                    reader.scratch = bytes;
                    continue;
                }
                seen.entry(bytes.len()).or_default().push((files.len(), hash));
                let topic = default_topic(relative, &root_name);
                let folders = folders(relative, &topic);
                files.push(Ok(reader.note(name, topic, folders, bytes, hash)));
            }
            // Too large to be notes: passed over like the other files that are not notes.
            Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
                files.push(Err(Finding::new(&name, None, FindingKind::Skipped, e.to_string())));
            }
            Err(e) => files.push(Err(unreadable(&name, &e))),
        }
    }
    files.extend(outside.into_iter().map(Err));
}

/// The most a note file may hold: larger is no notes anyone wrote, and would only fill memory.
pub const MAX_NOTE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a regular file of notes, refusing one larger than [`MAX_NOTE_BYTES`] (also when it grows while read).
/// Reads note files for [`read_paths_with`]: one buffer serves every file whose bytes are not kept.
struct Reader<'k> {
    keep: &'k mut dyn FnMut(&NoteFile, u64) -> bool,
    scratch: Vec<u8>,
}

impl Reader<'_> {
    /// The bytes of the note file at `path`, and their [`content_hash`].
    fn read(&mut self, path: &Path) -> io::Result<(Vec<u8>, u64)> {
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        read_note(path, &mut bytes)?;
        let hash = content_hash(&bytes);
        Ok((bytes, hash))
    }

    /// The note file of these parts, without its bytes when they are not wanted.
    fn note(&mut self, file: String, topic: String, folders: Arc<[String]>, bytes: Vec<u8>, hash: u64) -> NoteFile {
        let mut note = NoteFile {
            file,
            topic,
            folders,
            bytes,
        };
        if !(self.keep)(&note, hash) {
            self.scratch = std::mem::take(&mut note.bytes);
        }
        note
    }
}

/// The hash by which a note file's text is known (with its length) in the cache of parsed notes, and by which two
/// note files of one length are told apart when the first one's bytes were not kept.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x616d_6769_6465_636b).hash_one(bytes)
}

/// Reads the note file at `path` into `bytes` (empty).
fn read_note(path: &Path, bytes: &mut Vec<u8>) -> io::Result<()> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let too_large = |len: u64| {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "{} MB, more than the {} MB a note file may hold; not read",
                len.div_ceil(1024 * 1024),
                MAX_NOTE_BYTES / (1024 * 1024)
            ),
        )
    };
    let len = file.metadata()?.len();
    if len > MAX_NOTE_BYTES {
        return Err(too_large(len));
    }
    bytes.reserve(usize::try_from(len).unwrap_or(0));
    file.take(MAX_NOTE_BYTES + 1).read_to_end(bytes)?;
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(())
}

/// Why something that is neither a folder nor a regular file is not read.
fn not_a_file(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        let what = if kind.is_fifo() {
            "a FIFO (named pipe)"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        format!("{what}, not a file of notes; not read")
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        "not a regular file, not a file of notes; not read".into()
    }
}

fn unreadable(shown: &str, error: &io::Error) -> Finding {
    Finding::new(shown, None, FindingKind::Unreadable, describe(error))
}

/// An I/O error in the words a user needs.
fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// Why a markdown file met in a folder walk (at `relative` in it) is not notes, if it is not: a repo's contributing
/// guide, code of conduct, licence, changelog, issue or pull request template, security or support policy,
/// instructions for an AI coding assistant (`CLAUDE.md`, `AGENTS.md`, `GEMINI.md`, `copilot-instructions.md`),
/// an architecture decision record (under an `adr/` folder), a page template for writers (`template.md`,
/// `_template.md`: the skeleton a repo asks its authors to copy), or a translation (`X.en.md`) of an `X.md`
/// beside it. A file named directly is read whatever it is.
fn not_notes(path: &Path, relative: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let upper = name.to_ascii_uppercase();
    const META: [(&str, &str); 7] = [
        ("CONTRIBUTING", "a contributing guide"),
        ("CODE_OF_CONDUCT", "a code of conduct"),
        ("CODE-OF-CONDUCT", "a code of conduct"),
        ("LICENSE", "a licence"),
        ("LICENCE", "a licence"),
        ("CHANGELOG", "a changelog"),
        ("PULL_REQUEST_TEMPLATE", "a pull request template"),
    ];
    if let Some((_, what)) = META.iter().find(|(prefix, _)| upper.starts_with(prefix)) {
        return Some(format!("{what}, not notes; not read"));
    }
    let in_templates = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(|n| {
            let n = n.to_ascii_uppercase();
            n == "ISSUE_TEMPLATE" || n == "PULL_REQUEST_TEMPLATE"
        });
    if upper.starts_with("ISSUE_TEMPLATE") || in_templates {
        return Some("an issue or pull request template, not notes; not read".into());
    }
    let stem = path.file_stem()?.to_str()?;
    // Files a repository keeps for tools and process, by the names those conventions give them (in capitals: a note
    // on security is `security.md`, the policy GitHub shows is `SECURITY.md`).
    const PROCESS: [(&str, &str); 5] = [
        ("CLAUDE", "instructions for an AI coding assistant"),
        ("AGENTS", "instructions for an AI coding assistant"),
        ("GEMINI", "instructions for an AI coding assistant"),
        ("SECURITY", "a security policy"),
        ("SUPPORT", "a support policy"),
    ];
    if let Some((_, what)) = PROCESS.iter().find(|(name, _)| stem == *name) {
        return Some(format!("{what}, not notes; not read"));
    }
    if stem.eq_ignore_ascii_case("copilot-instructions") {
        return Some("instructions for an AI coding assistant, not notes; not read".into());
    }
    // Architecture decision records (`adr/`, `docs/adr/`): a project's decisions, not interview notes.
    let in_adr = relative
        .ancestors()
        .skip(1)
        .filter_map(|a| a.file_name()?.to_str())
        .any(|n| n.eq_ignore_ascii_case("adr"));
    if in_adr {
        return Some("an architecture decision record, not notes; not read".into());
    }
    if stem
        .trim_start_matches(['_', '-', '.'])
        .eq_ignore_ascii_case("template")
    {
        return Some("a page template for writers, not notes; not read".into());
    }
    // X.en.md, X.ko-KR.md: a translation when X.md is beside it.
    let (base, lang) = stem.rsplit_once('.')?;
    let is_lang = (lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_alphabetic()))
        || (lang.len() == 5
            && matches!(lang.as_bytes()[2], b'-' | b'_')
            && lang.bytes().enumerate().all(|(i, b)| i == 2 || b.is_ascii_alphabetic()));
    let extension = path.extension()?.to_str()?;
    let original = path.with_file_name(format!("{base}.{extension}"));
    (is_lang && !base.is_empty() && original.is_file())
        .then(|| format!("a translation of {base}.{extension} beside it, which is read instead; not read"))
}

/// Hidden files and folders, and folders that hold no notes of the user's.
fn is_skipped_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || SKIPPED_DIRS.contains(&n))
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The file's stem; for `README.md` and `index.md` the name of the folder it is in (`root_name` at the top).
fn default_topic(relative: &Path, root_name: &str) -> String {
    let stem = relative
        .file_stem()
        .map(|s| nfc(&s.to_string_lossy()))
        .unwrap_or_default();
    if !(stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index")) {
        return stem;
    }
    let parent = relative
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| nfc(&n.to_string_lossy()));
    parent.filter(|p| !p.is_empty()).unwrap_or_else(|| root_name.to_owned())
}

/// The folders of a file at `relative` in its notes folder, outermost first, in NFC; a last folder that is its
/// `topic` (ignoring case: `db/README.md`, `Network/network.md`) is not repeated.
fn folders(relative: &Path, topic: &str) -> Arc<[String]> {
    let mut folders: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| match c {
            Component::Normal(part) => Some(nfc(&part.to_string_lossy())),
            _ => None,
        })
        .collect();
    if folders
        .last()
        .is_some_and(|last| last.to_lowercase() == topic.to_lowercase())
    {
        folders.pop();
    }
    if folders.is_empty() {
        // Shared, not allocated: most files of most decks are at the top.
        return Arc::default();
    }
    folders.into()
}

/// A relative path with `/` between its parts, in NFC.
fn slash_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    nfc(&parts.join("/"))
}

fn nfc(text: &str) -> String {
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_whose_bytes_are_not_kept_is_still_known_by_its_copy() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (name, text) in [
            ("a.md", "## 질문\n\n답\n"),
            ("b.md", "## 다른\n\n답\n"),
            ("c.md", "## 질문\n\n답\n"),
        ] {
            std::fs::write(dir.path().join(name), text).expect("a file");
        }
        let mut asked = Vec::new();
        let files = read_paths_with(&[dir.path()], &mut |note, hash| {
            assert_eq!(hash, content_hash(&note.bytes));
            asked.push(note.file.clone());
            note.file != "a.md"
        });
        // Asked once for each note file, in the order they come back.
        assert_eq!(asked, ["a.md", "b.md"]);
        let notes: Vec<(&str, usize)> = files
            .iter()
            .flatten()
            .map(|note| (note.file.as_str(), note.bytes.len()))
            .collect();
        assert_eq!(notes, [("a.md", 0), ("b.md", "## 다른\n\n답\n".len())]);
        // c.md has a.md's text, though a.md's bytes were not kept: it is a copy, not read.
        let skipped = files.iter().filter_map(|f| f.as_ref().err()).map(|f| f.file.as_str());
        assert_eq!(skipped.collect::<Vec<_>>(), ["c.md"]);
    }

    #[test]
    fn topic_is_the_stem_or_the_folder_of_a_readme() {
        assert_eq!(default_topic(Path::new("network.md"), "notes"), "network");
        assert_eq!(default_topic(Path::new("db/README.md"), "notes"), "db");
        assert_eq!(default_topic(Path::new("index.markdown"), "notes"), "notes");
    }

    #[test]
    fn folders_are_those_above_the_file_without_repeating_its_topic() {
        let of = |relative: &str| {
            let topic = default_topic(Path::new(relative), "notes");
            folders(Path::new(relative), &topic).to_vec()
        };
        assert!(of("network.md").is_empty());
        assert_eq!(of("Computer Science/Network/TCP.md"), ["Computer Science", "Network"]);
        assert_eq!(of("cs/db/README.md"), ["cs"], "the folder is the topic already");
        assert_eq!(of("Network/network.md"), Vec::<String>::new());
        assert_eq!(of("db/index/index.md"), ["db"]);
        // NFD on disk (as macOS writes Korean names), NFC in the card.
        let nfd: String = "네트워크/tcp.md".nfd().collect();
        assert_eq!(of(&nfd), ["네트워크"]);
    }

    #[test]
    fn a_walk_gives_each_file_its_folders_and_a_file_named_directly_none() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for name in ["top.md", "CS/Network/tcp.md", "CS/db/README.md"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(path, format!("## {name}\n\n답\n")).expect("a file");
        }
        let files = read_paths(&[dir.path()]);
        let found: Vec<(&str, &str, Vec<String>)> = files
            .iter()
            .flatten()
            .map(|f| (f.file.as_str(), f.topic.as_str(), f.folders.to_vec()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "CS/Network/tcp.md",
                    "tcp",
                    vec!["CS".to_string(), "Network".to_string()]
                ),
                ("CS/db/README.md", "db", vec!["CS".to_string()]),
                ("top.md", "top", vec![]),
            ]
        );
        let direct = read_paths(&[dir.path().join("CS/Network/tcp.md")]);
        assert!(direct[0].as_ref().expect("read").folders.is_empty());
    }

    #[test]
    fn repo_files_that_are_not_notes_translations_and_copies_are_skipped_in_a_walk() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let write = |name: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(path, format!("## {name}\n\n답\n")).expect("a file");
        };
        for name in [
            "CONTRIBUTING.md",
            "CODE_OF_CONDUCT.md",
            "LICENSE.md",
            "CHANGELOG.md",
            "PULL_REQUEST_TEMPLATE.md",
            "ISSUE_TEMPLATE/bug.md",
            "template.md",
            "docs/_TEMPLATE.md",
            "template-method.md",
            "os.md",
            "os.en.md",
            "net.en.md",
            "db.ko-KR.md",
            "db.md",
            "CLAUDE.md",
            "AGENTS.md",
            "GEMINI.md",
            "SECURITY.md",
            "docs/SUPPORT.md",
            "docs/copilot-instructions.md",
            "docs/adr/0001-record.md",
            "contents/security.md",
            ".cursorrules",
            ".cursor/rules/style.mdc",
        ] {
            write(name);
        }
        std::fs::create_dir(dir.path().join("zcopy")).expect("a folder");
        std::fs::copy(dir.path().join("os.md"), dir.path().join("zcopy/os.md")).expect("a copy");
        let files = read_paths(&[dir.path()]);
        let read: Vec<&str> = files
            .iter()
            .filter_map(|f| f.as_ref().ok())
            .map(|f| f.file.as_str())
            .collect();
        assert_eq!(
            read,
            [
                "contents/security.md",
                "db.md",
                "net.en.md",
                "os.md",
                "template-method.md"
            ],
            "a note on security is notes"
        );
        let skipped: Vec<String> = files
            .iter()
            .filter_map(|f| f.as_ref().err())
            .map(|f| f.to_string())
            .collect();
        assert_eq!(
            skipped,
            [
                "AGENTS.md: skipped: instructions for an AI coding assistant, not notes; not read",
                "CHANGELOG.md: skipped: a changelog, not notes; not read",
                "CLAUDE.md: skipped: instructions for an AI coding assistant, not notes; not read",
                "CODE_OF_CONDUCT.md: skipped: a code of conduct, not notes; not read",
                "CONTRIBUTING.md: skipped: a contributing guide, not notes; not read",
                "GEMINI.md: skipped: instructions for an AI coding assistant, not notes; not read",
                "ISSUE_TEMPLATE/bug.md: skipped: an issue or pull request template, not notes; not read",
                "LICENSE.md: skipped: a licence, not notes; not read",
                "PULL_REQUEST_TEMPLATE.md: skipped: a pull request template, not notes; not read",
                "SECURITY.md: skipped: a security policy, not notes; not read",
                "db.ko-KR.md: skipped: a translation of db.md beside it, which is read instead; not read",
                "docs/SUPPORT.md: skipped: a support policy, not notes; not read",
                "docs/_TEMPLATE.md: skipped: a page template for writers, not notes; not read",
                "docs/adr/0001-record.md: skipped: an architecture decision record, not notes; not read",
                "docs/copilot-instructions.md: skipped: instructions for an AI coding assistant, not notes; not read",
                "os.en.md: skipped: a translation of os.md beside it, which is read instead; not read",
                "template.md: skipped: a page template for writers, not notes; not read",
                "zcopy/os.md: skipped: the same text as os.md, which is read instead; not read",
            ]
        );
        // A file named directly is read whatever it is.
        let direct = read_paths(&[dir.path().join("CONTRIBUTING.md")]);
        assert!(direct[0].is_ok());
    }

    #[test]
    fn bundled_deck_is_embedded() {
        let files = bundled();
        assert!(!files.is_empty());
        assert!(files.iter().all(|f| f.file.ends_with(".md")));
        let mut sorted: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
        sorted.sort();
        assert_eq!(sorted, files.iter().map(|f| f.file.as_str()).collect::<Vec<_>>());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_inside_the_notes_is_followed_and_one_out_of_them_is_reported_not_read() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (notes, outside) = (dir.path().join("notes"), dir.path().join("outside"));
        for folder in [notes.join("net"), outside.join("private")] {
            std::fs::create_dir_all(folder).expect("folders");
        }
        std::fs::write(notes.join("net/tcp.md"), "## TCP\n\n연결\n").expect("a file");
        std::fs::write(outside.join("secret.md"), "## 비밀\n\n남의 것\n").expect("a file");
        std::fs::write(outside.join("private/diary.md"), "## 일기\n\n남의 것\n").expect("a file");
        symlink("net", notes.join("network")).expect("a link inside");
        symlink("../outside/secret.md", notes.join("secret.md")).expect("a link out");
        symlink("../outside/private", notes.join("private")).expect("a folder link out");
        let files = read_paths(&[&notes]);
        let read: Vec<&str> = files
            .iter()
            .filter_map(|f| f.as_ref().ok())
            .map(|f| f.file.as_str())
            .collect();
        assert_eq!(read, ["net/tcp.md"], "the link inside is the same text, read once");
        let skipped: Vec<String> = files
            .iter()
            .filter_map(|f| f.as_ref().err())
            .map(|f| format!("{} {}", f.file, f.message))
            .collect();
        assert!(
            skipped
                .iter()
                .any(|s| s.starts_with("secret.md a symlink out of the notes folder")),
            "{skipped:?}"
        );
        assert!(
            skipped
                .iter()
                .any(|s| s.starts_with("private a symlink out of the notes folder")),
            "{skipped:?}"
        );
        assert!(
            !files
                .iter()
                .flatten()
                .any(|f| String::from_utf8_lossy(&f.bytes).contains("남의 것"))
        );
    }
}
