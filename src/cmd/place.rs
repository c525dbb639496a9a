//! Where a deck keeps its progress. Each notes folder (and the bundled deck) is a deck of its own, in a folder
//! under the data folder named after its notes, so two notes folders never share limits, plans, stats or
//! orphans. `--data-dir` puts the deck exactly where the user says.
//!
//! A deck whose notes live in a repository keeps its progress there instead, in a `.amgi` folder that `amgi init`
//! makes: found by walking up from the notes, as git finds `.git`, so every clone of the notes carries it.
//!
//! Progress from before decks had folders of their own (progress.yaml and reviews.yaml right in the data folder)
//! keeps its place: the first time a deck's folder is made, the answers of that deck's cards are copied into it,
//! line for line, and the old files are left as they were.

use crate::door::Sharing;
use crate::notes::Deck;
use crate::schedule::{DEFAULT_RETENTION, Scheduler};
use crate::store::{Progress, Store, Tail};
use crate::{CardId, history, visible};
use anyhow::Context;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The folder under the data folder that holds one folder per deck.
pub(crate) const DECKS: &str = "decks";
/// The folder name of the bundled deck's progress.
pub(crate) const BUNDLED: &str = "bundled";
/// The file in a deck's folder that says whose progress it is, for a person looking through the data folder.
const ABOUT: &str = "deck.yaml";
/// The folder beside the notes that holds the progress of a deck kept in its notes repository.
pub(crate) const REPO_DIR: &str = ".amgi";

/// Where one deck's progress is kept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Place {
    /// `--data-dir`: exactly there, whatever notes are read.
    Given(PathBuf),
    /// The deck's own `.amgi` folder, beside its notes (`amgi init`): found above every notes path.
    Repo(PathBuf),
    /// A folder of its own under the data folder `root`: `root/decks/NAME`.
    Deck {
        /// The data folder.
        root: PathBuf,
        /// The deck's folder.
        dir: PathBuf,
        /// The notes, as absolute paths; `None` for the bundled deck.
        notes: Option<Vec<PathBuf>>,
    },
}

impl Place {
    /// The deck's `notes` (as the user gave them; `None` for the bundled deck) with its folder under `root`.
    pub(crate) fn under(root: PathBuf, notes: Option<&[PathBuf]>) -> Place {
        let notes: Option<Vec<PathBuf>> = notes.map(|paths| paths.iter().map(|p| absolute(p)).collect());
        let dir = root.join(DECKS).join(deck_name(notes.as_deref()));
        Place::Deck { root, dir, notes }
    }

    /// Where the deck of `notes` keeps its progress when no `--data-dir` is given: the `.amgi` folder above all of
    /// its notes paths when there is one, else its folder under `root`. Notes paths under different `.amgi`
    /// folders, or only some of them under one, are a deck of the data folder, and a warning says so.
    pub(crate) fn find(root: PathBuf, notes: Option<&[PathBuf]>) -> Place {
        if let Some(paths) = notes.filter(|n| !n.is_empty()) {
            let found: Vec<Option<PathBuf>> = paths.iter().map(|p| repo_dir_above(&absolute(p))).collect();
            match found.first() {
                Some(Some(first)) if found.iter().all(|f| f.as_ref() == Some(first)) => {
                    return Place::Repo(first.clone());
                }
                _ if found.iter().any(Option::is_some) => {
                    let dirs: Vec<String> = found.iter().flatten().map(|d| d.display().to_string()).collect();
                    visible::warn(format_args!(
                        "these notes paths are not all under one deck's folder ({}); their progress is kept in                          the data folder. Name the notes of one repository at a time to use its folder",
                        dirs.join(", ")
                    ));
                }
                _ => {}
            }
        }
        Place::under(root, notes)
    }

    /// The folder progress.yaml and reviews.yaml are in.
    pub(crate) fn dir(&self) -> &Path {
        match self {
            Place::Given(dir) | Place::Repo(dir) | Place::Deck { dir, .. } => dir,
        }
    }

    /// The store of this place's progress. A deck kept in its notes repository rebuilds a progress.yaml it cannot
    /// read from the log (a merge may have mixed two machines' copies; the log merges line by line).
    pub(crate) fn store(&self) -> Store {
        match self {
            Place::Repo(dir) => Store::new(dir).in_repo(),
            Place::Given(dir) | Place::Deck { dir, .. } => Store::new(dir),
        }
    }

    /// Whether opening the deck first copies progress from the data folder itself: the deck has no folder yet,
    /// and the data folder holds progress from before decks had folders of their own.
    pub(crate) fn has_old_progress(&self) -> bool {
        match self {
            Place::Given(_) | Place::Repo(_) => false,
            Place::Deck { root, dir, .. } => {
                !dir.exists() && (root.join("reviews.yaml").exists() || root.join("progress.yaml").exists())
            }
        }
    }

    /// Makes the deck's folder ready for `deck`: when it has no folder yet, the progress of its cards kept in the
    /// data folder itself is copied in (see [`Place::has_old_progress`]); with `make`, the folder is made now
    /// (for a command that is about to write there) with its `deck.yaml`. Says on stderr what was copied.
    pub(crate) fn prepare(&self, deck: &Deck, now: crate::time::Moment, make: bool) -> anyhow::Result<()> {
        let Place::Deck { root, dir, notes } = self else {
            return Ok(());
        };
        if self.has_old_progress() {
            return copy_old_progress(root, dir, notes.as_deref(), deck, now);
        }
        if make && std::fs::symlink_metadata(dir.join(ABOUT)).is_err() {
            crate::door::create_dir(dir, crate::door::Sharing::Private)
                .with_context(|| format!("could not create the folder {}", crate::visible::name(dir)))?;
            write_about(dir, notes.as_deref())?;
        }
        Ok(())
    }
}

/// The `.amgi` folder in the notes folder `path` (or the folder a notes file is in) or in the nearest folder above
/// it that has one.
pub(crate) fn repo_dir_above(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    // A link named `.amgi` is found too, not followed: opening the deck then refuses it (a cloned repository may
    // hold one to take amgi's files elsewhere).
    start
        .ancestors()
        .map(|dir| dir.join(REPO_DIR))
        .find(|candidate| std::fs::symlink_metadata(candidate).is_ok_and(|meta| meta.is_dir() || meta.is_symlink()))
}

/// `path` made absolute, links resolved where it exists, so the same notes reached two ways are one deck.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The folder name of the deck of `notes` (absolute paths; `None` for the bundled deck): the last part of the
/// first path in sorted order, so a person can tell which deck it is, then `+N` for N more paths, then the CRC-32 of all the
/// paths, so two folders of the same name in different places are two decks. Characters a folder name should not
/// have become `_`.
pub(crate) fn deck_name(notes: Option<&[PathBuf]>) -> String {
    use unicode_normalization::UnicodeNormalization;
    let Some(notes) = notes.filter(|n| !n.is_empty()) else {
        return BUNDLED.to_string();
    };
    let mut sorted: Vec<String> = notes.iter().map(|p| p.to_string_lossy().nfc().collect()).collect();
    sorted.sort();
    sorted.dedup();
    let hash = crc32fast::hash(sorted.join("\n").as_bytes());
    let last = Path::new(&sorted[0])
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut label: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    if label.starts_with('.') {
        label.replace_range(..1, "_");
    }
    if label.is_empty() {
        label.push_str("notes");
    }
    let more = match sorted.len() {
        1 => String::new(),
        n => format!("+{}", n - 1),
    };
    format!("{label}{more}-{hash:08x}")
}

/// Writes `dir/deck.yaml`: whose progress the folder keeps.
fn write_about(dir: &Path, notes: Option<&[PathBuf]>) -> anyhow::Result<()> {
    let mut text = String::from(
        "# The progress in this folder belongs to these notes. amgi writes this file and never reads it.\n",
    );
    match notes {
        None => text.push_str("notes: bundled\n"),
        Some(notes) => {
            text.push_str("notes:\n");
            for path in notes {
                let path = serde_norway::to_string(&path.to_string_lossy()).unwrap_or_default();
                text.push_str(&format!("- {}", path.trim_start_matches("---").trim_start()));
                if !text.ends_with('\n') {
                    text.push('\n');
                }
            }
        }
    }
    let path = dir.join(ABOUT);
    crate::door::replace(
        &path,
        &dir.join("deck.yaml.tmp"),
        text.as_bytes(),
        crate::door::Sharing::Private,
    )
    .with_context(|| format!("could not write {}", crate::visible::name(&path)))
}

/// Copies the progress of `deck`'s cards from the data folder `root` itself into the new folder `dir`, line for
/// line (each line keeps its id), with the settings (retention, parameters, interview plan). The folder is made
/// under another name and renamed into place, so it is there whole or not at all; the old files are not changed.
fn copy_old_progress(
    root: &Path,
    dir: &Path,
    notes: Option<&[PathBuf]>,
    deck: &Deck,
    now: crate::time::Moment,
) -> anyhow::Result<()> {
    let old = Store::new(root);
    // An older amgi still working in the data folder finishes first.
    let Some(_lock) = super::open::held(old.lock())? else {
        anyhow::bail!(
            "{} is in use; its progress is copied to {} once it is free",
            crate::visible::name(root),
            crate::visible::name(dir)
        );
    };
    let mut log = old.read_log(0)?;
    log.hold_back_future(now);
    let loaded = old.load_progress()?;
    let ids = history::ids_leading_to(&log.lines, deck.cards.iter().map(|c| &c.id));
    let ids: HashSet<CardId> = ids.into_iter().cloned().collect();
    let ours = |id: &CardId| ids.contains(id) || deck.cards.iter().any(|c| &c.id == id);
    let kept_cards = loaded
        .as_ref()
        .map_or(0, |p| p.cards.keys().filter(|id| ours(id)).count());
    let answers = history::effective_reviews(&log.lines)
        .iter()
        .filter(|r| ours(&r.card))
        .count();

    let parent = dir.parent().unwrap_or(root);
    crate::door::create_dir(parent, Sharing::Private)
        .with_context(|| format!("could not create the folder {}", crate::visible::name(parent)))?;
    let built = crate::door::build_dir(dir, Sharing::Private, |building| -> anyhow::Result<()> {
        let new = Store::new(building);
        // Settings lines belong to every deck that came out of the folder.
        old.copy_log_lines(&new, |line| line.card().is_none_or(&ours))?;
        let copied = new.read_log(0)?;
        let up_to_date = loaded.as_ref().is_some_and(|p| {
            matches!(old.read_log_after(p.log_offset, p.log_crc), Ok(Tail::Follows(ref tail)) if tail.lines.is_empty())
        });
        // The old progress with only this deck's cards.
        let of_ours = |p: &Progress| Progress {
            settings: p.settings.clone(),
            cards: p
                .cards
                .iter()
                .filter(|(id, _)| ours(id))
                .map(|(id, e)| (id.clone(), e.clone()))
                .collect(),
            ..Progress::default()
        };
        let mut progress = match &loaded {
            // progress.yaml holds the whole log: its entries are what a replay gives, and more (skips).
            Some(loaded) if up_to_date => of_ours(loaded),
            _ => {
                let settings = loaded.as_ref().map(|p| p.settings.clone()).unwrap_or_default();
                let retention = settings.retention.unwrap_or(DEFAULT_RETENTION);
                let scheduler = Scheduler::new(retention, settings.parameters.as_deref())
                    .or_else(|_| Scheduler::new(retention, None))?;
                let previous = loaded.as_ref().map(of_ours);
                history::replay(&copied.lines, copied.len, &deck.cards, previous.as_ref(), &scheduler)
            }
        };
        progress.log_offset = copied.len;
        progress.log_crc = copied.crc;
        new.save_progress(&progress)?;
        write_about(building, notes)?;
        Ok(())
    });
    match built {
        Ok(crate::door::Built::Made(())) => {}
        // Another amgi made the folder first: its copy is the same, and it says so.
        Ok(crate::door::Built::There) => return Ok(()),
        Err(e) => {
            return Err(e.context(format!(
                "could not copy the progress in {} to {}; nothing was changed",
                crate::visible::name(root),
                crate::visible::name(dir)
            )));
        }
    }
    if kept_cards > 0 || answers > 0 {
        visible::warn(format_args!(
            "each notes folder keeps its own progress now: copied {answers} {} and the progress of {kept_cards} {} of \
             these notes from {} into {}; the files in {} are left as they were",
            if answers == 1 { "answer" } else { "answers" },
            if kept_cards == 1 { "card" } else { "cards" },
            crate::visible::name(root),
            crate::visible::name(dir),
            crate::visible::name(root),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deck_is_named_after_its_notes_and_told_apart_by_where_they_are() {
        assert_eq!(deck_name(None), "bundled");
        let here = deck_name(Some(&[PathBuf::from("/home/me/interview")]));
        let there = deck_name(Some(&[PathBuf::from("/work/interview")]));
        assert!(
            here.starts_with("interview-") && there.starts_with("interview-"),
            "{here} {there}"
        );
        assert_ne!(here, there);
        assert_eq!(here.len(), "interview-".len() + 8);
        // The same paths in another order are the same deck; more paths say how many.
        let (a, b) = (PathBuf::from("/n/면접"), PathBuf::from("/n/os.md"));
        let both = deck_name(Some(&[a.clone(), b.clone()]));
        assert_eq!(both, deck_name(Some(&[b, a.clone()])));
        assert!(both.starts_with("os.md+1-"), "{both}");
        assert_ne!(both, deck_name(Some(&[a])));
        // Decomposed Hangul names the same folder as composed.
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("/n/면접").collect();
        assert_eq!(
            deck_name(Some(&[PathBuf::from(nfd)])),
            deck_name(Some(&[PathBuf::from("/n/면접")]))
        );
        // Nothing a folder name should not hold, and no hidden folder.
        let odd = deck_name(Some(&[PathBuf::from("/n/.my notes:*")]));
        assert!(odd.starts_with("_my_notes__-"), "{odd}");
        assert_eq!(deck_name(Some(&[PathBuf::from("/")])).split('-').next(), Some("notes"));
    }
}
