//! Opening a deck's progress: the lock, progress.yaml brought up to date with reviews.yaml, renamed notes followed,
//! and what goes wrong on the way said on stderr. Shared by every command that reads or writes progress.

use crate::notes::Deck;
use crate::schedule::{DEFAULT_RETENTION, Scheduler};
use crate::store::{Log, LogLine, Progress, Store, StoreError, Tail};
use crate::{Card, history, visible};
use anyhow::Context;

/// Brings progress.yaml, as `loaded` from the store (`None` when there is none), up to date with reviews.yaml:
/// rebuilt when missing, the tail of the log applied when a crash left progress a step behind. (A file that cannot
/// be read was refused already, with its file, line and column, and left untouched.) The log is replayed with
/// the settings it records; the scheduler returned is the saved one, at `retention` when that is given.
pub(crate) fn open_progress(
    retention: Option<f32>,
    store: &Store,
    deck: &Deck,
    loaded: Option<Progress>,
    tail: Option<Result<Tail, StoreError>>,
    now: crate::time::Moment,
) -> anyhow::Result<(Progress, Scheduler)> {
    let scheduler = saved_scheduler(store, loaded.as_ref(), None)?;
    let progress = match loaded {
        None => {
            let mut log = store.read_log(0)?;
            say_unapplied(store, &mut log, now);
            // A file that is there was set aside by [`readable`], which said so.
            let set_aside = store.progress_path().exists();
            if log.lines.is_empty() && !set_aside {
                Progress::default()
            } else {
                let mut rebuilt = history::replay(&log.lines, log.len, &deck.cards, None, &scheduler);
                rebuilt.log_crc = log.crc;
                if !set_aside {
                    visible::warn(format_args!(
                        "{} was missing; rebuilt it from {} answers in {}",
                        store.progress_path().display(),
                        log.lines.len(),
                        store.reviews_path().display()
                    ));
                }
                store.save_progress(&rebuilt)?;
                rebuilt
            }
        }
        Some(mut progress) => match tail.unwrap_or_else(|| store.read_log_after(progress.log_offset, progress.log_crc))
        {
            Err(StoreError::LogShrunk { .. }) => {
                // reviews.yaml lost lines outside amgi; progress.yaml still holds every answer, so go on from
                // the log as it is now rather than refuse to quiz.
                visible::warn(format_args!(
                    "{} is shorter than {} remembers; keeping the progress as it is",
                    store.reviews_path().display(),
                    store.progress_path().display()
                ));
                let log = store.read_log(0)?;
                progress.log_offset = log.len;
                progress.log_crc = log.crc;
                progress
            }
            Err(e) => return Err(e.into()),
            Ok(Tail::Follows(mut tail)) => {
                say_unapplied(store, &mut tail, now);
                if !tail.lines.is_empty() {
                    // A crash between appending an answer and saving progress, or lines another machine added:
                    // apply what the log has and progress lacks.
                    let whole = || {
                        store.read_log(0).map(|mut log| {
                            log.hold_back_future(now);
                            log
                        })
                    };
                    progress = history::catch_up(progress, &tail.lines, tail.len, &deck.cards, &scheduler, whole)?;
                    progress.log_crc = tail.crc;
                    store.save_progress(&progress)?;
                } else if progress.log_crc.is_none() || progress.log_offset != tail.len {
                    // Only blank or torn lines after the offset, or a file from before the CRC was kept.
                    progress.log_offset = tail.len;
                    progress.log_crc = tail.crc;
                }
                progress
            }
            Ok(Tail::Changed(mut log)) => {
                say_unapplied(store, &mut log, now);
                let rebuilt = history::replay(&log.lines, log.len, &deck.cards, Some(&progress), &scheduler);
                let missing = history::missing_answers(&progress, &rebuilt, &log.lines);
                let log_file = store.reviews_path();
                if missing.answers > 0 {
                    visible::warn(format_args!(
                        "{} was changed before the part {} already holds, and it lost {} of the answers \
                         counted there; keeping the progress as it is (`amgi repair --force` rebuilds it from the log)",
                        log_file.display(),
                        store.progress_path().display(),
                        missing.answers,
                    ));
                    progress.log_offset = log.len;
                    progress.log_crc = log.crc;
                    store.save_progress(&progress)?;
                    progress
                } else {
                    visible::warn(format_args!(
                        "{} was changed before the part {} already holds (a hand edit or a merge); replayed it \
                         whole",
                        log_file.display(),
                        store.progress_path().display(),
                    ));
                    let mut rebuilt = rebuilt;
                    rebuilt.log_crc = log.crc;
                    store.save_progress(&rebuilt)?;
                    rebuilt
                }
            }
        },
    };
    let scheduler = match retention {
        Some(retention) if retention != scheduler.retention() => {
            saved_scheduler(store, Some(&progress), Some(retention))?
        }
        _ => saved_scheduler(store, Some(&progress), None)?,
    };
    Ok((progress, scheduler))
}

/// progress.yaml as `loaded` from `store`, with one that cannot be read but can be rebuilt from reviews.yaml set
/// aside (`None`, as if there were none, so the log is replayed): one in a merge conflict (git's markers in it),
/// and in a deck kept in its notes repository any that cannot be read (a merge there may have mixed two machines'
/// copies). Every other error is the caller's. With `keep` (a command that holds the lock and writes
/// progress.yaml), the file is first copied to a numbered backup; says on stderr what becomes of it.
pub(crate) fn readable(
    store: &Store,
    loaded: Result<Option<Progress>, StoreError>,
    keep: bool,
) -> anyhow::Result<Option<Progress>> {
    let error = match loaded {
        Err(error @ StoreError::Progress { .. }) => error,
        other => return Ok(other?),
    };
    let conflict = store.progress_in_conflict();
    if !conflict && !store.is_in_repo() {
        return Err(error.into());
    }
    let why = if conflict {
        "it is in a merge conflict".to_string()
    } else {
        format!("it cannot be read ({error})")
    };
    let path = store.progress_path();
    if keep {
        // Said before the rebuild, which may still fail (a bad line in the log): so it says what is under way.
        let backup = store.back_up_progress()?;
        visible::warn(format_args!(
            "{}: {why}; kept it as {} and rebuilding it from {}, which holds every answer",
            path.display(),
            backup.as_deref().unwrap_or(&path).display(),
            store.reviews_path().display(),
        ));
    } else if !store.is_in_repo() {
        visible::warn(format_args!(
            "{}: {why}; worked out from {} instead (the next quiz rebuilds it)",
            path.display(),
            store.reviews_path().display(),
        ));
    }
    Ok(None)
}

/// For a deck kept in its notes repository, where any command brings progress.yaml up to date with a merged log:
/// saves `progress` (worked out by a command that only reads) when progress.yaml does not hold it already, unless
/// another session holds the lock (it saves progress itself). A file that could not be read is first kept as a
/// numbered backup. Says on stderr what was done.
pub(crate) fn write_back(store: &Store, progress: &Progress) -> anyhow::Result<()> {
    if !store.is_in_repo() {
        return Ok(());
    }
    let path = store.progress_path();
    let on_disk = store.progress_bytes();
    if on_disk.as_deref() == Some(crate::store::render_progress(progress).as_bytes()) {
        return Ok(());
    }
    let Ok(_lock) = store.lock() else {
        return Ok(());
    };
    // A quiz may have saved it between the read and the lock: then it is the quiz's, up to date.
    if store.progress_bytes() != on_disk {
        return Ok(());
    }
    let mut set_aside = None;
    if on_disk.is_some() && store.load_progress().is_err() {
        let why = if store.progress_in_conflict() {
            "it was in a merge conflict"
        } else {
            "it could not be read"
        };
        set_aside = Some((why, store.back_up_progress()?));
    }
    store.save_progress(progress)?;
    // Said once it is so.
    if let Some((why, backup)) = set_aside {
        visible::warn(format_args!(
            "{}: {why}; rebuilt it from {}, which holds every answer (the old file is kept as {})",
            path.display(),
            store.reviews_path().display(),
            backup.as_deref().unwrap_or(&path).display()
        ));
    }
    Ok(())
}

/// Makes `retention` the deck's from `now` on: a settings line in the log, so a replay schedules the answers
/// before it as they were, and progress.yaml saved with it. The first such line of a log that has answers comes
/// after one dated before them all with the retention in use until now.
pub(crate) fn record_retention(
    store: &Store,
    progress: &mut Progress,
    retention: f32,
    now: crate::time::Moment,
) -> anyhow::Result<()> {
    let mut log = store.read_log(0)?;
    log.hold_back_future(now);
    // After every answer it follows, in time as in the file: it changes how the answers after it are scheduled.
    let now = log
        .lines
        .iter()
        .map(LogLine::at)
        .max()
        .map_or(now, |last| history::not_before(now, last));
    let recorded = log
        .lines
        .iter()
        .any(|line| matches!(line, LogLine::Settings { retention: Some(_), .. }));
    let mut lines = Vec::new();
    if let Some(first) = log.lines.iter().map(LogLine::at).min().filter(|_| !recorded) {
        let before = progress.settings.retention.unwrap_or(DEFAULT_RETENTION);
        lines.push(LogLine::settings(
            first.plus(-jiff::SignedDuration::from_secs(1)),
            Some(before),
            None,
        ));
    }
    lines.push(LogLine::settings(now, Some(retention), None));
    for line in &lines {
        let end = store.append(line)?;
        progress.log_offset = end.len;
        progress.log_crc = end.crc;
    }
    progress.settings.retention = Some(retention);
    store.save_progress(progress)?;
    Ok(())
}

/// Moves the progress of cards whose notes file was renamed to the cards that continue them (see
/// [`history::renames`]): each move is a line of the log, so a replay gives the same, and is said on stderr. `ids`
/// are the deck's ([`history::card_ids`]).
pub(crate) fn follow_renames(
    store: &Store,
    progress: &mut Progress,
    deck: &Deck,
    ids: &history::CardIds<'_>,
    scheduler: &Scheduler,
    now: crate::time::Moment,
) -> anyhow::Result<()> {
    let renames = history::renames_among(&deck.cards, ids, progress);
    if renames.is_empty() {
        return Ok(());
    }
    let by_id: std::collections::HashMap<&crate::CardId, &Card> = deck.cards.iter().map(|c| (&c.id, c)).collect();
    for (from, card) in &renames {
        // After the answers it moves, in time as in the file.
        let last = progress.cards.get(from).and_then(|e| e.state.last_review);
        let line = crate::store::LogLine::Move {
            card: card.id.clone(),
            at: last.map_or(now, |last| history::not_before(now, last)),
            from: from.clone(),
        };
        let end = store.append(&line)?;
        history::apply_step(progress, history::Step::Move { from, to: &card.id }, &by_id, scheduler);
        progress.log_offset = end.len;
        progress.log_crc = end.crc;
        visible::warn(format_args!(
            "the progress of \"{from}\" now belongs to \"{}\": the same path and question in {} (a renamed file)",
            card.id, card.file
        ));
    }
    store.save_progress(progress)?;
    Ok(())
}

/// The scheduler `progress` (as loaded from `store`) was saved with: its retention unless `retention` is given,
/// and its FSRS parameters. Parameters FSRS refuses are reported against progress.yaml.
pub(crate) fn saved_scheduler(
    store: &Store,
    progress: Option<&Progress>,
    retention: Option<f32>,
) -> anyhow::Result<Scheduler> {
    let settings = progress.map(|p| &p.settings);
    let retention = retention
        .or(settings.and_then(|s| s.retention))
        .unwrap_or(DEFAULT_RETENTION);
    let parameters = settings.and_then(|s| s.parameters.as_deref());
    Scheduler::new(retention, parameters).with_context(|| format!("{}", store.progress_path().display()))
}

/// Says what of `log` (read from `store`) is not applied: the lines a crash cut off, which the reader skipped, the
/// settings lines amgi cannot schedule with, and the lines dated more than a day after `now`, which it takes out
/// (applied, each would hide its card until then).
pub(crate) fn say_unapplied(store: &Store, log: &mut Log, now: crate::time::Moment) {
    warn_torn(store, std::mem::take(&mut log.torn));
    for (line, why) in log.take_refused_settings() {
        visible::warn(format_args!(
            "{}:{line}: {why}; this settings line is skipped (fix or remove it)",
            store.reviews_path().display()
        ));
    }
    for (line, at) in log.hold_back_future(now) {
        visible::warn(format_args!(
            "{}:{line}: {}; not applied",
            store.reviews_path().display(),
            future_message(at, now)
        ));
    }
}

/// What is wrong with a line dated `at`, after `now`.
pub(crate) fn future_message(at: crate::time::Moment, now: crate::time::Moment) -> String {
    format!("this answer is dated {at}, after now ({now}): a clock that was wrong, or a hand edit")
}

/// Says which lines of reviews.yaml were cut off and skipped.
pub(crate) fn warn_torn(store: &Store, torn: Vec<usize>) {
    for line in torn {
        visible::warn(format_args!(
            "{}:{line}: this line was cut off (a crash while saving an answer); it is skipped",
            store.reviews_path().display()
        ));
    }
}

/// The data folder's lock; `None` (after saying so) when another session holds it.
pub(crate) fn held(lock: Result<crate::store::Lock, StoreError>) -> anyhow::Result<Option<crate::store::Lock>> {
    match lock {
        Ok(lock) => Ok(Some(lock)),
        Err(busy @ StoreError::Busy { .. }) => {
            visible::warn(format_args!("{busy}"));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}
