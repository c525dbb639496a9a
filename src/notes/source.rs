//! Where notes come from: files and folders on disk, or the deck bundled into the binary.
//!
//! This is the only part of `notes` that touches the file system.

use super::{Finding, FindingKind, NoteFile};
use include_dir::{Dir, include_dir};
use std::io;
use std::path::{Component, Path};
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
        .map(|f| NoteFile {
            file: slash_path(f.path()),
            topic: default_topic(f.path(), "notes"),
            bytes: f.contents().to_vec(),
        })
        .collect()
}

/// Reads each path: a file whatever its extension, a folder walked for `*.md` and `*.markdown`.
///
/// Never fails: what cannot be read becomes a finding (`unreadable`, or `skipped` for a symlink loop) in its
/// place among the files, and the rest is still returned.
pub fn read_paths<P: AsRef<Path>>(paths: &[P]) -> Vec<Result<NoteFile, Finding>> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let shown = nfc(&path.to_string_lossy());
        match std::fs::metadata(path) {
            Err(e) => files.push(Err(unreadable(&shown, &e))),
            Ok(meta) if meta.is_dir() => {
                let before = files.len();
                walk(path, &mut files);
                if !files[before..].iter().any(Result::is_ok) {
                    let message = "no .md or .markdown files in this folder";
                    files.push(Err(Finding::new(&shown, None, FindingKind::Unreadable, message)));
                }
            }
            Ok(_) => match std::fs::read(path) {
                Ok(bytes) => {
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
                    files.push(Ok(NoteFile {
                        file: shown,
                        topic,
                        bytes,
                    }));
                }
                Err(e) => files.push(Err(unreadable(&shown, &e))),
            },
        }
    }
    files
}

/// Walks `root` in sorted order for markdown files, following symlinks (loops are reported, not followed).
fn walk(root: &Path, files: &mut Vec<Result<NoteFile, Finding>>) {
    let root_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| nfc(&n.to_string_lossy())))
        .unwrap_or_default();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped_name(e.path()));
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
        if !entry.file_type().is_file() || !is_markdown(entry.path()) {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let name = slash_path(relative);
        match std::fs::read(entry.path()) {
            Ok(bytes) => files.push(Ok(NoteFile {
                topic: default_topic(relative, &root_name),
                file: name,
                bytes,
            })),
            Err(e) => files.push(Err(unreadable(&name, &e))),
        }
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
    fn topic_is_the_stem_or_the_folder_of_a_readme() {
        assert_eq!(default_topic(Path::new("network.md"), "notes"), "network");
        assert_eq!(default_topic(Path::new("db/README.md"), "notes"), "db");
        assert_eq!(default_topic(Path::new("index.markdown"), "notes"), "notes");
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
}
