//! A deck's progress brought up to date with its log: one rule, used by every command that opens a deck, whether
//! it writes (a quiz, `plan`, `sync`) or only reads (`stats`, `release --list`).
//!
//! [`reconcile`] takes what was read (progress.yaml, the part of reviews.yaml after what it holds) and gives the
//! progress the next quiz works from, with what went wrong on the way as [`Warning`] values for the command to say.
//! It reads no file of its own: the whole log, when it needs it, comes from the caller's closure.

use crate::card::{Card, CardId};
use crate::history;
use crate::schedule::Scheduler;
use crate::store::{Log, Progress, Store, StoreError, Tail};
use crate::time::Moment;
use crate::visible::name;
use std::fmt;
use std::path::PathBuf;

/// Whether the command that opens the deck writes its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// It holds the lock and saves progress.yaml when it changed; each thing it mends is said.
    Write,
    /// It only reads: the progress is worked out in memory, as the next quiz would find it, quietly (what the log
    /// holds that is not applied was said when the command read the whole log).
    Read,
}

/// Something found while opening a deck, for the command to say on stderr. Each names the file it is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A line of the log cut off by a crash while an answer was saved; skipped.
    Torn {
        /// reviews.yaml.
        log: PathBuf,
        /// Its 1-based line.
        line: usize,
    },
    /// A settings line amgi cannot schedule with; skipped.
    RefusedSettings {
        /// reviews.yaml.
        log: PathBuf,
        /// Its 1-based line.
        line: usize,
        /// What is wrong with it.
        why: String,
    },
    /// A line dated more than a day after now; not applied (it would hide its card until then).
    Future {
        /// reviews.yaml.
        log: PathBuf,
        /// Its 1-based line.
        line: usize,
        /// When it is dated.
        at: Moment,
        /// Now.
        now: Moment,
    },
    /// progress.yaml was missing and was rebuilt from the log.
    Rebuilt {
        /// progress.yaml.
        progress: PathBuf,
        /// reviews.yaml.
        log: PathBuf,
        /// How many lines were replayed.
        lines: usize,
    },
    /// reviews.yaml is shorter than progress.yaml remembers: the progress is kept as it is.
    Shrunk {
        /// progress.yaml.
        progress: PathBuf,
        /// reviews.yaml.
        log: PathBuf,
    },
    /// reviews.yaml was changed before the part progress.yaml holds and lost answers it counts: the progress is
    /// kept as it is.
    LostAnswers {
        /// progress.yaml.
        progress: PathBuf,
        /// reviews.yaml.
        log: PathBuf,
        /// How many answers the log lost.
        answers: u64,
    },
    /// reviews.yaml was changed before the part progress.yaml holds (a hand edit, a merge): replayed whole.
    Replayed {
        /// progress.yaml.
        progress: PathBuf,
        /// reviews.yaml.
        log: PathBuf,
    },
    /// progress.yaml could not be read (a merge conflict, or a merge that mixed two machines' copies in a notes
    /// repository): kept as a backup, and rebuilt from the log.
    SetAside {
        /// progress.yaml.
        progress: PathBuf,
        /// Why it could not be read.
        why: String,
        /// Where the old file is kept.
        backup: PathBuf,
        /// reviews.yaml.
        log: PathBuf,
        /// Whether the rebuild is done (else under way).
        done: bool,
    },
    /// progress.yaml could not be read, and a command that only reads worked its progress out from the log.
    WorkedOut {
        /// progress.yaml.
        progress: PathBuf,
        /// Why it could not be read.
        why: String,
        /// reviews.yaml.
        log: PathBuf,
    },
    /// The progress of a card whose notes file was renamed moved to the card that continues it.
    Moved {
        /// The old id.
        from: CardId,
        /// The new one.
        to: CardId,
        /// The new card's file.
        file: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Torn { log, line } => write!(
                f,
                "{}:{line}: this line was cut off (a crash while saving an answer); it is skipped",
                name(log)
            ),
            Warning::RefusedSettings { log, line, why } => write!(
                f,
                "{}:{line}: {why}; this settings line is skipped (fix or remove it)",
                name(log)
            ),
            Warning::Future { log, line, at, now } => {
                write!(f, "{}:{line}: {}; not applied", name(log), future_message(*at, *now))
            }
            Warning::Rebuilt { progress, log, lines } => write!(
                f,
                "{} was missing; rebuilt it from {lines} answers in {}",
                name(progress),
                name(log)
            ),
            Warning::Shrunk { progress, log } => write!(
                f,
                "{} is shorter than {} remembers; keeping the progress as it is",
                name(log),
                name(progress)
            ),
            Warning::LostAnswers { progress, log, answers } => write!(
                f,
                "{} was changed before the part {} already holds, and it lost {answers} of the answers counted \
                 there; keeping the progress as it is (`amgi repair --force` rebuilds it from the log)",
                name(log),
                name(progress)
            ),
            Warning::Replayed { progress, log } => write!(
                f,
                "{} was changed before the part {} already holds (a hand edit or a merge); replayed it whole",
                name(log),
                name(progress)
            ),
            Warning::SetAside {
                progress,
                why,
                backup,
                log,
                done: false,
            } => write!(
                f,
                "{}: {why}; kept it as {} and rebuilding it from {}, which holds every answer",
                name(progress),
                name(backup),
                name(log)
            ),
            Warning::SetAside {
                progress,
                why,
                backup,
                log,
                done: true,
            } => write!(
                f,
                "{}: {why}; rebuilt it from {}, which holds every answer (the old file is kept as {})",
                name(progress),
                name(log),
                name(backup)
            ),
            Warning::WorkedOut { progress, why, log } => write!(
                f,
                "{}: {why}; worked out from {} instead (the next quiz rebuilds it)",
                name(progress),
                name(log)
            ),
            Warning::Moved { from, to, file } => write!(
                f,
                "the progress of \"{from}\" now belongs to \"{to}\": the same path and question in {file} (its file, \
                 folder or a heading above it renamed or moved)"
            ),
        }
    }
}

/// What is wrong with a line dated `at`, after `now`.
pub fn future_message(at: Moment, now: Moment) -> String {
    format!("this answer is dated {at}, after now ({now}): a clock that was wrong, or a hand edit")
}

/// What of `log` (reviews.yaml, at `path`) is not applied, taken out of it: the lines a crash cut off, which the
/// reader skipped, the settings lines amgi cannot schedule with, and the lines dated more than a day after `now`.
pub fn unapplied(path: &std::path::Path, log: &mut Log, now: Moment) -> Vec<Warning> {
    let log_path = || path.to_path_buf();
    let mut warnings: Vec<Warning> = std::mem::take(&mut log.torn)
        .into_iter()
        .map(|line| Warning::Torn { log: log_path(), line })
        .collect();
    for (line, why) in log.take_refused_settings() {
        warnings.push(Warning::RefusedSettings {
            log: log_path(),
            line,
            why,
        });
    }
    for (line, at) in log.hold_back_future(now) {
        warnings.push(Warning::Future {
            log: log_path(),
            line,
            at,
            now,
        });
    }
    warnings
}

/// How a deck is being opened, for [`reconcile`]: where its two files are (for what it says), by whom, when.
#[derive(Debug, Clone, Copy)]
pub struct Opening<'a> {
    /// progress.yaml.
    pub progress: &'a std::path::Path,
    /// reviews.yaml.
    pub log: &'a std::path::Path,
    /// Whether a progress.yaml is there though none was loaded (one that could not be read, set aside).
    pub progress_set_aside: bool,
    /// Whether the command writes progress.
    pub access: Access,
    /// Now.
    pub now: Moment,
}

/// The progress [`reconcile`] worked out.
#[derive(Debug)]
pub struct Reconciled {
    /// The progress, up to date with the log.
    pub progress: Progress,
    /// What was found on the way.
    pub warnings: Vec<Warning>,
    /// Whether progress.yaml should be saved with it (with [`Access::Write`]).
    pub changed: bool,
}

/// The progress as `loaded` from progress.yaml (`None` when there is none, or it was set aside), brought up to date
/// with reviews.yaml, the one rule every command follows:
/// - no progress: the log replayed (`whole`);
/// - the log grew after the part progress holds (`tail` is [`Tail::Follows`]): the new lines applied, as a crash
///   between an answer and its save, or another machine's lines, left them;
/// - the log was changed before that part (a hand edit, a merge: [`Tail::Changed`]): replayed whole, unless the
///   replay lost answers progress counts, when the progress is kept;
/// - the log is shorter than progress remembers ([`StoreError::LogShrunk`]): the progress is kept.
///
/// `tail` is what [`crate::store::Store::read_log_after`] gave for the loaded progress (unused without one); `whole`
/// reads the whole log when the rule needs it. With [`Access::Read`], what the log holds that is not applied is not
/// said (the caller said it of the whole log), nor what is mended.
pub fn reconcile(
    files: Opening<'_>,
    loaded: Option<Progress>,
    tail: impl FnOnce() -> Result<Tail, StoreError>,
    whole: impl Fn() -> Result<Log, StoreError>,
    cards: &[Card],
    scheduler: &Scheduler,
) -> Result<Reconciled, StoreError> {
    let (access, now) = (files.access, files.now);
    let write = access == Access::Write;
    let mut warnings = Vec::new();
    let mut say_unapplied = |log: &mut Log| {
        let found = unapplied(files.log, log, now);
        if write {
            warnings.extend(found);
        }
    };
    let Some(mut progress) = loaded else {
        let mut log = whole()?;
        say_unapplied(&mut log);
        if write && log.lines.is_empty() && !files.progress_set_aside {
            return Ok(Reconciled {
                progress: Progress::default(),
                warnings,
                changed: false,
            });
        }
        let mut rebuilt = history::replay(&log.lines, log.len, cards, None, scheduler);
        rebuilt.log_crc = log.crc;
        if write && !files.progress_set_aside {
            warnings.push(Warning::Rebuilt {
                progress: files.progress.to_path_buf(),
                log: files.log.to_path_buf(),
                lines: log.lines.len(),
            });
        }
        return Ok(Reconciled {
            progress: rebuilt,
            warnings,
            changed: true,
        });
    };
    let (progress, changed) = match tail() {
        Err(StoreError::LogShrunk { .. }) => {
            // reviews.yaml lost lines outside amgi; progress.yaml still holds every answer, so go on from the log as
            // it is now rather than refuse to quiz.
            if write {
                warnings.push(Warning::Shrunk {
                    progress: files.progress.to_path_buf(),
                    log: files.log.to_path_buf(),
                });
                let log = whole()?;
                progress.log_offset = log.len;
                progress.log_crc = log.crc;
            }
            (progress, false)
        }
        Err(e) => return Err(e),
        Ok(Tail::Follows(mut tail)) => {
            say_unapplied(&mut tail);
            if !tail.lines.is_empty() {
                // A crash between appending an answer and saving progress, or lines another machine added: apply
                // what the log has and progress lacks.
                let whole = || {
                    whole().map(|mut log| {
                        log.hold_back_future(now);
                        log
                    })
                };
                let mut progress = history::catch_up(progress, &tail.lines, tail.len, cards, scheduler, whole)?;
                progress.log_crc = tail.crc;
                (progress, true)
            } else {
                if progress.log_crc.is_none() || progress.log_offset != tail.len {
                    // Only blank or torn lines after the offset, or a file from before the CRC was kept.
                    progress.log_offset = tail.len;
                    progress.log_crc = tail.crc;
                }
                (progress, false)
            }
        }
        Ok(Tail::Changed(mut log)) => {
            say_unapplied(&mut log);
            let rebuilt = history::replay(&log.lines, log.len, cards, Some(&progress), scheduler);
            let missing = history::missing_answers(&progress, &rebuilt, &log.lines);
            if missing.answers > 0 {
                if !write {
                    return Ok(Reconciled {
                        progress,
                        warnings,
                        changed: false,
                    });
                }
                warnings.push(Warning::LostAnswers {
                    progress: files.progress.to_path_buf(),
                    log: files.log.to_path_buf(),
                    answers: missing.answers,
                });
                progress.log_offset = log.len;
                progress.log_crc = log.crc;
                (progress, true)
            } else {
                if write {
                    warnings.push(Warning::Replayed {
                        progress: files.progress.to_path_buf(),
                        log: files.log.to_path_buf(),
                    });
                }
                let mut rebuilt = rebuilt;
                rebuilt.log_crc = log.crc;
                (rebuilt, true)
            }
        }
    };
    Ok(Reconciled {
        progress,
        warnings,
        changed,
    })
}

/// Which part of reviews.yaml a command wants read beside progress.yaml while its notes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogWanted {
    /// The lines after the part progress.yaml holds (a quiz: usually none).
    Tail,
    /// All of it (`stats`: its figures are the log's).
    Whole,
}

/// What was read of a deck's progress while its notes were read.
#[derive(Debug)]
pub struct Early {
    /// progress.yaml as read.
    pub progress: Result<Option<Progress>, StoreError>,
    /// With [`LogWanted::Tail`] and a progress.yaml read: the log after the part it holds.
    pub tail: Option<Result<Tail, StoreError>>,
    /// With [`LogWanted::Whole`]: the whole log.
    pub log: Option<Result<Log, StoreError>>,
}

/// Runs `notes` (reading the deck's notes) on this thread while `store`'s progress.yaml and the part of its log
/// `wanted` are read on others: with 10,000 cards each takes tens of milliseconds and neither needs the other.
/// `whole` reads the whole log (through a snapshot of it, where the caller keeps one). Without a store, only the
/// notes are read.
pub fn read_alongside<T>(
    store: Option<&Store>,
    wanted: LogWanted,
    whole: impl Fn(&Store) -> Result<Log, StoreError> + Sync,
    notes: impl FnOnce() -> T,
) -> (T, Option<Early>) {
    std::thread::scope(|scope| {
        let reading = store.map(|store| match wanted {
            LogWanted::Tail => {
                let both = scope.spawn(move || {
                    let progress = store.load_progress();
                    let tail = match &progress {
                        Ok(Some(p)) => Some(store.read_log_after(p.log_offset, p.log_crc)),
                        _ => None,
                    };
                    (progress, tail)
                });
                (both, None)
            }
            LogWanted::Whole => {
                let whole = &whole;
                let log = scope.spawn(move || whole(store));
                (scope.spawn(move || (store.load_progress(), None)), Some(log))
            }
        });
        let notes = notes();
        let early = reading.map(|(progress, log)| {
            let (progress, tail) = joined(progress);
            Early {
                progress,
                tail,
                log: log.map(joined),
            }
        });
        (notes, early)
    })
}

/// What a reading thread gave; its panic, if it had one, goes on here.
fn joined<T>(reading: std::thread::ScopedJoinHandle<'_, T>) -> T {
    reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Moves the progress of cards whose notes file was renamed to the cards that continue them (see
/// [`history::renames`]): each move is a line of the log, so a replay gives the same; then saves progress.yaml.
/// `ids` are the ids of `cards` ([`history::card_ids`]). What moved, as warnings.
pub fn follow_renames(
    store: &crate::store::Store,
    progress: &mut Progress,
    cards: &[Card],
    ids: &history::CardIds<'_>,
    scheduler: &Scheduler,
    now: Moment,
) -> Result<Vec<Warning>, StoreError> {
    let renames = history::renames_among(cards, ids, progress);
    if renames.is_empty() {
        return Ok(Vec::new());
    }
    let by_id: std::collections::HashMap<&CardId, &Card> = cards.iter().map(|c| (&c.id, c)).collect();
    let mut moved = Vec::new();
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
        moved.push(Warning::Moved {
            from: from.clone(),
            to: card.id.clone(),
            file: card.file.to_string(),
        });
    }
    store.save_progress(progress)?;
    Ok(moved)
}

/// A deck opened: its notes, its progress up to date with its log, and the lock when the command writes.
pub struct Opened {
    /// The notes' cards and findings.
    pub deck: crate::notes::Deck,
    /// The deck's progress files.
    pub store: Store,
    /// The deck's lock, held until this is dropped ([`Access::Write`]).
    pub lock: Option<crate::store::Lock>,
    /// The progress, up to date with the log.
    pub progress: Progress,
    /// The scheduler at the saved retention and parameters.
    pub scheduler: Scheduler,
    /// The whole log, when it was wanted ([`LogWanted::Whole`]).
    pub log: Option<Log>,
    /// The whole log being read on a thread of its own, started as soon as the lock was held, when it was asked
    /// for: join it when it is needed, or let it go.
    pub log_reading: Option<std::thread::JoinHandle<Result<Log, StoreError>>>,
    /// How many cards' progress is kept with no card in the notes (renamed or deleted), once renames were
    /// followed ([`Access::Write`]; 0 for a reader).
    pub orphans: usize,
    /// What was found on the way, in order, for the command to say.
    pub warnings: Vec<Warning>,
}

/// Why a deck's progress could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Its files could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The retention or FSRS parameters progress.yaml holds are ones amgi cannot schedule with.
    #[error("{}: {error}", name(file))]
    Settings {
        /// progress.yaml.
        file: PathBuf,
        /// What is wrong with them.
        error: crate::schedule::ScheduleError,
    },
}

/// The scheduler `progress` (as loaded from `store`) was saved with: its retention unless `retention` is given,
/// and its FSRS parameters. Parameters FSRS refuses are reported against progress.yaml.
pub fn saved_scheduler(
    store: &Store,
    progress: Option<&Progress>,
    retention: Option<f32>,
) -> Result<Scheduler, OpenError> {
    let settings = progress.map(|p| &p.settings);
    let retention = retention
        .or(settings.and_then(|s| s.retention))
        .unwrap_or(crate::schedule::DEFAULT_RETENTION);
    let parameters = settings.and_then(|s| s.parameters.as_deref());
    Scheduler::new(retention, parameters).map_err(|error| OpenError::Settings {
        file: store.progress_path(),
        error,
    })
}

/// progress.yaml as `loaded` from `store`, with one that cannot be read but can be rebuilt from reviews.yaml set
/// aside (`None`, as if there were none, so the log is replayed): one in a merge conflict (git's markers in it),
/// and in a deck kept in its notes repository any that cannot be read (a merge there may have mixed two machines'
/// copies). Every other error is the caller's. With `keep` (a command that holds the lock and writes
/// progress.yaml), the file is first copied to a numbered backup. What becomes of it is added to `warnings`.
pub fn set_aside_unreadable(
    store: &Store,
    loaded: Result<Option<Progress>, StoreError>,
    keep: bool,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Progress>, StoreError> {
    let error = match loaded {
        Err(error @ StoreError::Progress { .. }) => error,
        other => return other,
    };
    let conflict = store.progress_in_conflict();
    if !conflict && !store.is_in_repo() {
        return Err(error);
    }
    let why = if conflict {
        "it is in a merge conflict".to_string()
    } else {
        format!("it cannot be read ({error})")
    };
    let (progress, log) = (store.progress_path(), store.reviews_path());
    if keep {
        // Said before the rebuild, which may still fail (a bad line in the log): so it says what is under way.
        let backup = store.back_up_progress()?.unwrap_or_else(|| progress.clone());
        warnings.push(Warning::SetAside {
            progress,
            why,
            backup,
            log,
            done: false,
        });
    } else if !store.is_in_repo() {
        warnings.push(Warning::WorkedOut { progress, why, log });
    }
    Ok(None)
}

/// Brings progress.yaml, as `loaded` from `store` (`None` when there is none), up to date with reviews.yaml by
/// [`reconcile`] and saves it when that changed it; `tail` is the log after the part it holds, when read already.
/// The scheduler returned is the saved one, at `retention` when that is given. What was found is added to
/// `warnings`.
pub fn bring_up_to_date(
    store: &Store,
    cards: &[Card],
    loaded: Option<Progress>,
    tail: Option<Result<Tail, StoreError>>,
    (retention, now): (Option<f32>, Moment),
    warnings: &mut Vec<Warning>,
) -> Result<(Progress, Scheduler), OpenError> {
    let scheduler = saved_scheduler(store, loaded.as_ref(), None)?;
    let (progress_path, log_path) = (store.progress_path(), store.reviews_path());
    let files = Opening {
        progress: &progress_path,
        log: &log_path,
        // A file that is there was set aside by [`set_aside_unreadable`], which said so.
        progress_set_aside: loaded.is_none() && progress_path.exists(),
        access: Access::Write,
        now,
    };
    let (offset, crc) = loaded.as_ref().map_or((0, None), |p| (p.log_offset, p.log_crc));
    let tail = || tail.unwrap_or_else(|| store.read_log_after(offset, crc));
    let whole = || store.read_log(0);
    let reconciled = reconcile(files, loaded, tail, whole, cards, &scheduler)?;
    warnings.extend(reconciled.warnings);
    let progress = reconciled.progress;
    if reconciled.changed {
        store.save_progress(&progress)?;
    }
    let scheduler = match retention {
        Some(retention) if retention != scheduler.retention() => {
            saved_scheduler(store, Some(&progress), Some(retention))?
        }
        _ => saved_scheduler(store, Some(&progress), None)?,
    };
    Ok((progress, scheduler))
}

/// The progress as the next quiz would find it, without writing it: `loaded` brought up to date with `log` (the
/// whole log, as read from `store`) by [`reconcile`], quietly.
pub fn caught_up(
    store: &Store,
    cards: &[Card],
    loaded: Option<Progress>,
    log: &Log,
    scheduler: &Scheduler,
    now: Moment,
) -> Result<Progress, StoreError> {
    // The log just read is the one progress holds (its length and CRC): nothing follows it, and it need not be
    // read again to tell.
    if let Some(progress) = &loaded
        && progress.log_crc.is_some()
        && progress.log_crc == log.crc
        && progress.log_offset == log.len
    {
        return Ok(loaded.expect("checked"));
    }
    let (progress_path, log_path) = (store.progress_path(), store.reviews_path());
    let files = Opening {
        progress: &progress_path,
        log: &log_path,
        progress_set_aside: false,
        access: Access::Read,
        now,
    };
    let (offset, crc) = loaded.as_ref().map_or((0, None), |p| (p.log_offset, p.log_crc));
    let tail = || store.read_log_after(offset, crc);
    let whole = || Ok(log.clone());
    Ok(reconcile(files, loaded, tail, whole, cards, scheduler)?.progress)
}

/// For a deck kept in its notes repository, where any command brings progress.yaml up to date with a merged log:
/// saves `progress` (worked out by a command that only reads) when progress.yaml does not hold it already, unless
/// another session holds the lock (it saves progress itself). A file that could not be read is first kept as a
/// numbered backup, which is added to `warnings`.
pub fn write_back(store: &Store, progress: &Progress, warnings: &mut Vec<Warning>) -> Result<(), StoreError> {
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
        warnings.push(Warning::SetAside {
            progress: path.clone(),
            why: why.to_string(),
            backup: backup.unwrap_or(path),
            log: store.reviews_path(),
            done: true,
        });
    }
    Ok(())
}

/// Opens a deck whose notes were read (`deck`) beside its progress (`early`, see [`read_alongside`]; `None` when
/// it could not be read then): progress.yaml that cannot be read set aside where it can be rebuilt, brought up to
/// date with the log ([`reconcile`]); for a writer, saved and renamed notes followed; for a reader, worked out
/// in memory from the whole log (`whole` reads it when it was not read already) and written back in a notes
/// repository. `lock` is the deck's, held by a writer. What was found is in [`Opened::warnings`]; when opening
/// fails, with the error.
pub fn open(
    (store, lock): (Store, Option<crate::store::Lock>),
    deck: crate::notes::Deck,
    early: Option<Early>,
    access: Access,
    now: Moment,
    whole: impl Fn(&Store) -> Result<Log, StoreError>,
) -> Result<Opened, (OpenError, Vec<Warning>)> {
    let mut warnings = Vec::new();
    let (loaded, tail, log) = match early {
        Some(read) => (read.progress, read.tail, read.log),
        None => (store.load_progress(), None, None),
    };
    let opening = (|| -> Result<_, OpenError> {
        let loaded = set_aside_unreadable(&store, loaded, access == Access::Write, &mut warnings)?;
        Ok(match access {
            Access::Write => {
                let (mut progress, scheduler) =
                    bring_up_to_date(&store, &deck.cards, loaded, tail, (None, now), &mut warnings)?;
                let ids = history::card_ids(&deck.cards);
                warnings.extend(follow_renames(
                    &store,
                    &mut progress,
                    &deck.cards,
                    &ids,
                    &scheduler,
                    now,
                )?);
                let orphans = history::orphans(&progress, &ids).count();
                (progress, scheduler, log.transpose()?, orphans)
            }
            Access::Read => {
                let mut log = match log {
                    Some(log) => log?,
                    None => whole(&store)?,
                };
                // The saved retention: a reader reports on the progress as it stands.
                let scheduler = saved_scheduler(&store, loaded.as_ref(), None)?;
                warnings.extend(unapplied(&store.reviews_path(), &mut log, now));
                let progress = caught_up(&store, &deck.cards, loaded, &log, &scheduler, now)?;
                write_back(&store, &progress, &mut warnings)?;
                (progress, scheduler, Some(log), 0)
            }
        })
    })();
    match opening {
        Ok((progress, scheduler, log, orphans)) => Ok(Opened {
            deck,
            store,
            lock,
            progress,
            scheduler,
            log,
            log_reading: None,
            orphans,
            warnings,
        }),
        Err(e) => Err((e, warnings)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse;
    use crate::schedule::Grade;
    use crate::store::{LogLine, Mode, Review};
    use std::path::Path;

    fn at(text: &str) -> Moment {
        text.parse().unwrap()
    }

    fn cards() -> Vec<Card> {
        parse("## 하나\n\n1\n\n## 둘\n\n2\n", "t.md", "t").cards
    }

    fn review(card: &Card, when: &str) -> LogLine {
        LogLine::Review(Review {
            card: card.id.clone(),
            at: at(when),
            grade: Grade::Good,
            mode: Mode::Drill,
            ms: 1000,
            rescheduled: false,
        })
    }

    fn log(lines: Vec<LogLine>, len: u64) -> Log {
        Log {
            numbers: (1..=lines.len()).collect(),
            lines,
            len,
            crc: Some(len as u32),
            ..Log::default()
        }
    }

    const NOW: &str = "2026-12-01T12:00:00+09:00";

    fn opening(access: Access) -> Opening<'static> {
        Opening {
            progress: Path::new("d/progress.yaml"),
            log: Path::new("d/reviews.yaml"),
            progress_set_aside: false,
            access,
            now: at(NOW),
        }
    }

    /// [`reconcile`] with `tail` for the progress `loaded`, and `whole` the whole log.
    fn run(access: Access, loaded: Option<Progress>, tail: Result<Tail, StoreError>, whole: &Log) -> Reconciled {
        let scheduler = Scheduler::new(0.9, None).unwrap();
        reconcile(
            opening(access),
            loaded,
            || tail,
            || Ok(whole.clone()),
            &cards(),
            &scheduler,
        )
        .unwrap()
    }

    fn tail_of(result: &Result<Tail, StoreError>) -> Result<Tail, StoreError> {
        match result {
            Ok(tail) => Ok(tail.clone()),
            Err(StoreError::LogShrunk { file, len, offset }) => Err(StoreError::LogShrunk {
                file: file.clone(),
                len: *len,
                offset: *offset,
            }),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn every_access_follows_one_rule_and_only_a_writer_says_what_it_mends() {
        let c = cards();
        let first = review(&c[0], "2026-12-01T09:00:00+09:00");
        let second = review(&c[1], "2026-12-01T10:00:00+09:00");
        let scheduler = Scheduler::new(0.9, None).unwrap();
        let before = log(vec![first.clone()], 100);
        let after = log(vec![first.clone(), second.clone()], 200);
        let saved = Progress {
            log_crc: before.crc,
            ..history::replay(&before.lines, before.len, &c, None, &scheduler)
        };
        let whole = Progress {
            log_crc: after.crc,
            ..history::replay(&after.lines, after.len, &c, None, &scheduler)
        };
        let shrunk = || {
            Err(StoreError::LogShrunk {
                file: "d/reviews.yaml".into(),
                len: 50,
                offset: 100,
            })
        };
        // What was loaded, the tail read after it, what each access gives, whether it changed, what a writer says.
        type Case<'a> = (Option<Progress>, Result<Tail, StoreError>, Progress, bool, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            // No progress.yaml: the log replayed.
            (
                None,
                Ok(Tail::Follows(Log::default())),
                whole.clone(),
                true,
                vec!["was missing; rebuilt it"],
            ),
            // A crash left the last answer only in the log: applied.
            (
                Some(saved.clone()),
                Ok(Tail::Follows(Log {
                    lines: vec![second.clone()],
                    numbers: vec![2],
                    len: 200,
                    crc: after.crc,
                    ..Log::default()
                })),
                whole.clone(),
                true,
                vec![],
            ),
            // A merge changed the part progress holds: replayed whole.
            (
                Some(saved.clone()),
                Ok(Tail::Changed(after.clone())),
                whole.clone(),
                true,
                vec!["replayed it whole"],
            ),
            // The log lost lines outside amgi: the progress kept.
            (
                Some(saved.clone()),
                shrunk(),
                saved.clone(),
                false,
                vec!["is shorter than"],
            ),
        ];
        for (loaded, tail, expected, changed, said) in cases {
            let written = run(Access::Write, loaded.clone(), tail_of(&tail), &after);
            let read = run(Access::Read, loaded, tail, &after);
            assert_eq!(read.progress.cards, expected.cards, "one rule");
            assert_eq!(written.progress.cards, expected.cards, "one rule");
            assert_eq!(written.changed, changed);
            assert!(read.warnings.is_empty(), "{:?}", read.warnings);
            let told: Vec<String> = written.warnings.iter().map(ToString::to_string).collect();
            assert_eq!(told.len(), said.len(), "{told:?}");
            for (told, said) in told.iter().zip(&said) {
                assert!(told.contains(said) && told.contains("d/reviews.yaml"), "{told}");
            }
        }
    }

    #[test]
    fn a_replay_that_would_lose_answers_keeps_the_progress() {
        let c = cards();
        let scheduler = Scheduler::new(0.9, None).unwrap();
        let both = log(
            vec![
                review(&c[0], "2026-12-01T09:00:00+09:00"),
                review(&c[1], "2026-12-01T10:00:00+09:00"),
            ],
            200,
        );
        let saved = history::replay(&both.lines, both.len, &c, None, &scheduler);
        // A hand edit took the second answer out.
        let edited = log(vec![review(&c[0], "2026-12-01T09:00:00+09:00")], 120);
        let written = run(
            Access::Write,
            Some(saved.clone()),
            Ok(Tail::Changed(edited.clone())),
            &edited,
        );
        assert_eq!(written.progress.cards, saved.cards);
        assert_eq!(written.progress.log_offset, 120, "it goes on from the log as it is");
        assert!(
            written.warnings[0].to_string().contains("lost 1 of the answers"),
            "{:?}",
            written.warnings
        );
        let read = run(
            Access::Read,
            Some(saved.clone()),
            Ok(Tail::Changed(edited.clone())),
            &edited,
        );
        assert_eq!(read.progress, saved);
    }

    #[test]
    fn what_the_log_holds_that_is_not_applied_is_said_with_its_line() {
        let c = cards();
        let mut read = log(
            vec![
                review(&c[0], "2026-12-01T09:00:00+09:00"),
                review(&c[1], "2026-12-09T09:00:00+09:00"),
            ],
            200,
        );
        read.torn = vec![3];
        let warnings = unapplied(Path::new("d/reviews.yaml"), &mut read, at(NOW));
        let told: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(told.len(), 2, "{told:?}");
        assert!(
            told[0].starts_with("d/reviews.yaml:3: this line was cut off"),
            "{}",
            told[0]
        );
        assert!(
            told[1].starts_with("d/reviews.yaml:2: this answer is dated 2026-12-09"),
            "{}",
            told[1]
        );
        assert_eq!(read.lines.len(), 1, "the future line is taken out");
    }

    #[test]
    fn opening_a_deck_gives_progress_up_to_date_and_what_it_mended_and_only_a_writer_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("deck"));
        let notes = || {
            crate::notes::Deck::from_files([Ok(crate::notes::NoteFile {
                file: "t.md".into(),
                topic: "t".into(),
                folders: Default::default(),
                bytes: "## 하나\n\n1\n\n## 둘\n\n2\n".as_bytes().to_vec(),
            })])
        };
        let deck = notes();
        let first = &deck.cards[0];
        store.append(&review(first, "2026-12-01T09:00:00+09:00")).unwrap();
        let whole = |store: &Store| store.read_log(0);
        // A reader: the answer applied in memory, nothing written, nothing said.
        let read = Store::new(store.dir());
        let opened =
            open((read, None), notes(), None, Access::Read, at(NOW), whole).unwrap_or_else(|(e, _)| panic!("{e}"));
        assert_eq!(opened.progress.cards[&first.id].state.reps, 1);
        assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
        assert_eq!(opened.log.map(|log| log.lines.len()), Some(1));
        assert!(!store.progress_path().exists());
        // A writer: the same progress, saved, and what it did said.
        let lock = store.lock().unwrap();
        let opened = open(
            (Store::new(store.dir()), Some(lock)),
            notes(),
            None,
            Access::Write,
            at(NOW),
            whole,
        )
        .unwrap_or_else(|(e, _)| panic!("{e}"));
        assert_eq!(opened.progress.cards[&first.id].state.reps, 1);
        assert!(
            matches!(opened.warnings[..], [Warning::Rebuilt { lines: 1, .. }]),
            "{:?}",
            opened.warnings
        );
        assert_eq!(store.load_progress().unwrap().as_ref(), Some(&opened.progress));
    }
}
