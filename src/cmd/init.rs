//! `amgi init`: a deck's progress kept in its notes folder (`DIR/.amgi`), to be carried between machines by git.
//!
//! The folder holds what a person can read and git can merge, reviews.yaml, progress.yaml and attempts.yaml, with a
//! `.gitattributes` that merges them line by line as a union (each answer has its own id and counts once; a mixed
//! progress.yaml is rebuilt from the log) and a `.gitignore` for what belongs to one machine (the lock, the
//! installation's number, temporary files and backups). Progress the deck kept in the data folder until now is
//! moved in, once.

use super::open::{held, readable};
use super::place::{Place, REPO_DIR, absolute, repo_dir_above};
use super::{data_root, notes_paths, now, print, read_deck};
use crate::cli::{Cli, Init};
use crate::door::{self, Sharing};
use crate::store::{LogLine, PlanChange, Store};
use crate::{EXIT_BUSY, EXIT_USAGE, history, visible};
use anyhow::Context;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `.amgi/.gitattributes`: both files merge as a union, so a `git pull` never stops on them.
pub(crate) const GITATTRIBUTES: &str = "\
# amgi: reviews.yaml is a log, one answer a line, each with its own id: a union of two machines' logs holds
# every answer, and amgi counts each once. progress.yaml is worked out from the log: after a merge amgi sees
# that it does not match the log (or cannot be read) and rebuilds it from the log. attempts.yaml keeps the
# answers written out from memory, one a line, and merges the same way.
reviews.yaml merge=union
progress.yaml merge=union
attempts.yaml merge=union
";

/// `.amgi/.gitignore`: what belongs to one machine and is never committed.
pub(crate) const GITIGNORE: &str = "\
# amgi: machine-local files, never committed: the lock of a running session, this installation's number in
# the ids of the lines it writes, temporary files and numbered backups of progress.yaml.
lock
install-id
*.tmp
progress.yaml.bak.*
";

/// `amgi init [DIR]`: makes `DIR/.amgi` (DIR defaults to the notes folder) and moves the deck's progress there.
pub fn run(cli: &Cli, options: &Init, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    if cli.data_dir.is_some() {
        visible::warn(format_args!(
            "amgi init keeps the deck's progress in its notes folder; --data-dir names another place for it: leave \
             it out"
        ));
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    // The notes: --notes, else DIR, else AMGI_NOTES or ./notes.
    let notes = match (&cli.notes[..], &options.dir) {
        ([], Some(dir)) => Some(vec![dir.clone()]),
        (given, _) => notes_paths(given),
    };
    let Some(notes) = notes else {
        visible::warn(format_args!(
            "amgi init keeps the progress of your own notes beside them: `amgi init DIR` in your notes folder (the \
             bundled deck keeps its progress in the data folder)"
        ));
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let dir = match (&options.dir, notes.as_slice()) {
        (Some(dir), _) => dir.clone(),
        (None, [one]) if one.is_dir() => one.clone(),
        (None, [one]) => one.parent().map(Path::to_path_buf).unwrap_or_default(),
        (None, _) => {
            visible::warn(format_args!(
                "these notes are {} paths: name the folder that holds them all, `amgi init DIR`",
                notes.len()
            ));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder", visible::name(&dir));
    }
    let dir = absolute(&dir);
    let target = dir.join(REPO_DIR);
    for path in &notes {
        let path = absolute(path);
        if !path.starts_with(&dir) {
            visible::warn(format_args!(
                "{} is not in {}: the deck's folder must hold its notes, so that every command finds it above them",
                visible::name(&path),
                visible::name(&dir)
            ));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        if let Some(other) = repo_dir_above(&path).filter(|found| found != &target) {
            visible::warn(format_args!(
                "{} is kept by the deck folder {} already, nearer to it than {}",
                visible::name(&path),
                visible::name(&other),
                visible::name(&target)
            ));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    }
    crate::door::check_dir(&target)?;
    if target.is_dir() {
        let added = write_repo_files(&target)?;
        print(false, |out| {
            writeln!(out, "{} keeps this deck's progress already", visible::name(&target))?;
            for file in &added {
                writeln!(out, "wrote {}", visible::name(&target.join(file)))?;
            }
            Ok(())
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let now = now()?;
    // The progress kept so far: the deck's folder under the data folder (filled first from the data folder itself,
    // for progress from before decks had folders of their own).
    let deck = read_deck(caches, Some(&notes));
    let old = Place::under(data_root()?, Some(&notes));
    old.prepare(&deck, now, false)?;
    let old_store = old.store();
    let had = old_store.reviews_path().exists() || old_store.progress_path().exists();
    let _lock = if had {
        let Some(lock) = held(old_store.lock())? else {
            return Ok(ExitCode::from(EXIT_BUSY));
        };
        Some(lock)
    } else {
        None
    };
    // Made under another name and renamed into place: the folder is there whole or not at all. Its files are the
    // repository's: made as its other files are.
    let made = door::build_dir(&target, Sharing::AsRepo, |building| -> anyhow::Result<(usize, usize)> {
        for name in ["reviews.yaml", "progress.yaml", "attempts.yaml", "install-id"] {
            let from = old_store.dir().join(name);
            if fs::symlink_metadata(&from).is_ok() {
                let to = building.join(name);
                door::copy_file(&from, &to, Sharing::AsRepo)
                    .with_context(|| format!("could not copy {} to {}", visible::name(&from), visible::name(&to)))?;
            }
        }
        write_repo_files(building)?;
        let store = Store::new(building).in_repo();
        let log = store.read_log(0)?;
        let answers = history::effective_reviews(&log.lines).len();
        let mut progress = readable(&store, store.load_progress(), false)?;
        let cards = progress.as_ref().map_or(0, |p| p.cards.len());
        // A plan made before plans were lines of the log becomes one, so a rebuild on another machine keeps it.
        let logged = log
            .lines
            .iter()
            .any(|l| matches!(l, LogLine::Settings { plan: Some(_), .. }));
        if let Some(progress) = progress.as_mut().filter(|_| !logged) {
            let settings = &progress.settings;
            if let (Some(interview), Some(planned_on)) = (settings.interview, settings.planned_on) {
                let end = store.append(&LogLine::plan(now, PlanChange::Set { interview, planned_on }))?;
                progress.log_offset = end.len;
                progress.log_crc = end.crc;
                store.save_progress(progress)?;
            }
        }
        Ok((answers, cards))
    });
    let (answers, cards) = match made {
        Ok(door::Built::Made(counts)) => counts,
        Ok(door::Built::There) => anyhow::bail!(
            "{} was made meanwhile (another amgi init?); nothing was changed",
            visible::name(&target)
        ),
        Err(e) => {
            return Err(e.context(format!(
                "could not make {}; nothing was changed",
                visible::name(&target)
            )));
        }
    };
    let mut said = Vec::new();
    if had {
        // Moved, not copied: one place holds the deck's progress from now on.
        fs::remove_dir_all(old_store.dir()).with_context(|| {
            format!(
                "{} was copied to {}, but could not be removed",
                visible::name(old.dir()),
                visible::name(&target)
            )
        })?;
        said.push(format!(
            "moved this deck's progress ({answers} {}, {cards} {}) from {} to {}",
            if answers == 1 { "answer" } else { "answers" },
            if cards == 1 { "card" } else { "cards" },
            visible::name(old_store.dir()),
            visible::name(&target)
        ));
    } else {
        said.push(format!(
            "made {}: this deck's progress is kept there from now on",
            visible::name(&target)
        ));
    }
    said.push(format!(
        "commit it with the notes (`git add {REPO_DIR} && git commit -m progress`); `amgi sync` then carries it between \
         machines"
    ));
    print(false, |out| {
        for line in &said {
            writeln!(out, "{line}")?;
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `.gitattributes` and `.gitignore` into the deck's folder `dir` where they are missing (a person may have
/// added to them: they are left as they are). The names of the files written.
pub(crate) fn write_repo_files(dir: &Path) -> anyhow::Result<Vec<&'static str>> {
    let mut written = Vec::new();
    for (name, text) in [(".gitattributes", GITATTRIBUTES), (".gitignore", GITIGNORE)] {
        let path: PathBuf = dir.join(name);
        // Whatever is there, a link included, is the repository's own: never written through.
        if fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        crate::door::write_new(&path, text.as_bytes(), crate::door::Sharing::AsRepo)
            .with_context(|| format!("could not write {}", visible::name(&path)))?;
        written.push(name);
    }
    Ok(written)
}
