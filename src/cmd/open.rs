//! A deck opened for a command: where it is (the command line, the environment), the clock, the notes read beside
//! its progress, then [`deck::open`] in the core; what goes wrong on the way said on stderr. Shared by every
//! command that reads or writes progress.

use super::{load_deck, named_path_unreadable, no_card_matches, now, place, read_whole_log, report_unreadable};
use crate::cli::Cli;
use crate::deck::{self, Access, LogWanted, Opened, Warning};
use crate::notes::Deck;
use crate::schedule::{DEFAULT_RETENTION, Scheduler};
use crate::store::{Log, LogLine, Progress, Store, StoreError, Tail};
use crate::time::Moment;
use crate::{EXIT_BUSY, EXIT_ERROR, TopicFilter};
use crate::{history, visible};
use std::process::ExitCode;

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
    let mut warnings = Vec::new();
    let opened = deck::bring_up_to_date(store, &deck.cards, loaded, tail, (retention, now), &mut warnings);
    say(&warnings);
    Ok(opened?)
}

/// What a command asks of [`deck`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Want {
    /// Whether it writes progress (takes the lock, saves what it mends, follows renamed notes).
    pub access: Access,
    /// The part of the log read beside progress.yaml.
    pub log: LogWanted,
    /// Whether a notes path named on the command line that cannot be read stops it before anything else.
    pub named_notes: bool,
    /// Whether the whole log is also read, on a thread of its own from when the lock is held, while the notes are
    /// read and progress is brought up to date ([`Opened::log_reading`]).
    pub whole_log_after_lock: bool,
}

impl Want {
    /// For a command that writes progress: the tail of the log read beside it.
    pub(crate) fn writer() -> Want {
        Want {
            access: Access::Write,
            log: LogWanted::Tail,
            named_notes: false,
            whole_log_after_lock: false,
        }
    }

    /// For a command that only reads: the whole log read beside progress.yaml.
    pub(crate) fn reader() -> Want {
        Want {
            access: Access::Read,
            log: LogWanted::Whole,
            named_notes: false,
            whole_log_after_lock: false,
        }
    }
}

/// Opens the deck the command line means, for a command that works on its progress: the notes read while
/// progress.yaml (and the part of the log `want` asks for) is read, the lock taken first when it writes,
/// progress.yaml brought up to date with the log ([`deck::reconcile`]), renamed notes followed. What stops it is
/// said on stderr in the order a reader would meet it: notes that cannot be read (or a `--topic` that matches
/// nothing), the data folder, the lock, the clock, then progress.yaml; `Err` with the exit code when the command
/// stops there. What it mends on the way is in [`Opened::warnings`], for the command to say ([`say`]).
pub(crate) fn deck(
    cli: &Cli,
    caches: &crate::caches::Caches,
    want: Want,
) -> anyhow::Result<Result<(Opened, Moment), ExitCode>> {
    let write = want.access == Access::Write;
    let place = place(cli);
    // The first time a deck is opened, the progress of its cards kept from before decks had folders of their own
    // is copied in: that needs its cards first.
    let early = match &place {
        Ok(place) if place.has_old_progress() => Some(load_deck(caches, &cli.notes)),
        _ => None,
    };
    if let (Ok(place), Some(deck)) = (&place, &early)
        && !(want.named_notes && named_path_unreadable(deck, &cli.notes))
    {
        place.prepare(deck, now()?, false)?;
    }
    let opened = place.map(|place| {
        let store = place.store();
        let lock = write.then(|| store.lock());
        (store, lock, place)
    });
    let store = match &opened {
        Ok((store, None | Some(Ok(_)), _)) => Some(store),
        _ => None,
    };
    // Started as soon as the lock is held, beside the notes and progress.yaml, through a store of its own.
    let log_reading = store
        .filter(|_| want.whole_log_after_lock)
        .and(opened.as_ref().ok())
        .map(|(_, _, place)| {
            let (store, notes, caches) = (place.store(), cli.notes.clone(), caches.clone());
            std::thread::spawn(move || read_whole_log(&caches, &store, &notes))
        });
    let (deck, read) = deck::read_alongside(
        store,
        want.log,
        |store| read_whole_log(caches, store, &cli.notes),
        || early.unwrap_or_else(|| load_deck(caches, &cli.notes)),
    );
    report_unreadable(&deck);
    // A wrong path, or a topic that matches nothing, is said before any screen, not behind an empty one.
    if want.named_notes && named_path_unreadable(&deck, &cli.notes) {
        return Ok(Err(ExitCode::from(EXIT_ERROR)));
    }
    if let Some(why) = no_card_matches(&deck, &TopicFilter::new(&cli.topic), &cli.topic) {
        visible::warn(format_args!("{why}"));
        return Ok(Err(ExitCode::from(EXIT_ERROR)));
    }
    let (store, lock, place) = opened?;
    let lock = match lock.map(held).transpose()? {
        Some(None) => return Ok(Err(ExitCode::from(EXIT_BUSY))),
        held => held.flatten(),
    };
    let now = now()?;
    place.prepare(&deck, now, write)?;
    let whole = |store: &Store| read_whole_log(caches, store, &cli.notes);
    let mut opened = match deck::open((store, lock), deck, read, want.access, now, whole) {
        Ok(opened) => opened,
        Err((e, warnings)) => {
            say(&warnings);
            return Err(e.into());
        }
    };
    opened.log_reading = log_reading;
    Ok(Ok((opened, now)))
}

/// A deck's notes, store and lock, as [`locked`] gives them.
pub(crate) type Locked = (std::mem::ManuallyDrop<crate::notes::Deck>, Store, crate::store::Lock);

/// For a command that rebuilds progress from the log itself (`repair`, `optimize`): the notes read (never freed:
/// the process ends soon after), the deck's folder made ready and its lock held. `Err` with the exit code when
/// another session holds the lock.
pub(crate) fn locked(cli: &Cli, caches: &crate::caches::Caches) -> anyhow::Result<Result<Locked, ExitCode>> {
    let deck = super::kept_deck(caches, &cli.notes);
    let store = super::deck_store(cli, &deck, true)?;
    Ok(match held(store.lock())? {
        Some(lock) => Ok((deck, store, lock)),
        None => Err(ExitCode::from(EXIT_BUSY)),
    })
}

/// Says each of `warnings` on stderr.
pub(crate) fn say(warnings: &[Warning]) {
    for warning in warnings {
        visible::warn(format_args!("{warning}"));
    }
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
    let mut warnings = Vec::new();
    let readable = deck::set_aside_unreadable(store, loaded, keep, &mut warnings);
    say(&warnings);
    Ok(readable?)
}

/// For a deck kept in its notes repository, where any command brings progress.yaml up to date with a merged log:
/// saves `progress` (worked out by a command that only reads) when progress.yaml does not hold it already, unless
/// another session holds the lock (it saves progress itself). A file that could not be read is first kept as a
/// numbered backup. Says on stderr what was done.
pub(crate) fn write_back(store: &Store, progress: &Progress) -> anyhow::Result<()> {
    let mut warnings = Vec::new();
    let written = deck::write_back(store, progress, &mut warnings);
    say(&warnings);
    Ok(written?)
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

/// The scheduler `progress` (as loaded from `store`) was saved with: its retention unless `retention` is given,
/// and its FSRS parameters. Parameters FSRS refuses are reported against progress.yaml.
pub(crate) fn saved_scheduler(
    store: &Store,
    progress: Option<&Progress>,
    retention: Option<f32>,
) -> anyhow::Result<Scheduler> {
    Ok(deck::saved_scheduler(store, progress, retention)?)
}

/// Says what of `log` (read from `store`) is not applied, and takes it out (see [`deck::unapplied`]).
pub(crate) fn say_unapplied(store: &Store, log: &mut Log, now: crate::time::Moment) {
    say(&deck::unapplied(&store.reviews_path(), log, now));
}

/// Says which lines of reviews.yaml were cut off and skipped.
pub(crate) fn warn_torn(store: &Store, torn: Vec<usize>) {
    let log = store.reviews_path();
    let warnings: Vec<Warning> = torn
        .into_iter()
        .map(|line| Warning::Torn { log: log.clone(), line })
        .collect();
    say(&warnings);
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
