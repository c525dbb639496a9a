//! `amgi stats` wired to the real world: the data folder, the clock, and the screen or stdout.
//!
//! Read only: no lock is taken and nothing is written. Answers a crash left in reviews.yaml but not yet in
//! progress.yaml are applied in memory, as the next quiz would apply them.

use super::open::{saved_scheduler, say_unapplied};
use super::{exit, load_deck, no_card_matches, now, place, print, report_unreadable};
use crate::cli::Cli;
use crate::notes::Deck;
use crate::schedule::Scheduler;
use crate::stats::{self, Input, print};
use crate::store::{Log, Progress, Store, StoreError, Tail};
use crate::{Card, TopicFilter, history, visible};
use std::io::{self, IsTerminal};
use std::mem::ManuallyDrop;
use std::process::ExitCode;

/// `amgi stats` on the notes the user means: the figures full screen when stdin and stdout are terminals (and
/// not `--plain`), else as text; as one JSON object with `json`.
///
/// progress.yaml and reviews.yaml are read on two more threads while the notes are read: with 10,000 cards and
/// 100,000 answers each of the three is a good part of the command's time. What goes wrong is reported in the order of the quiz: notes that cannot
/// be read, the data folder, progress.yaml, the log, the clock.
pub fn run(cli: &Cli, options: &crate::cli::Stats, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let (filter, json) = (&TopicFilter::new(&cli.topic), options.json);
    let place = place(cli);
    // The first time a deck is opened, the progress of its cards kept from before decks had folders of their own
    // is copied in: that needs its cards first.
    let early = match &place {
        Ok(place) if place.has_old_progress() => Some(load_deck(caches, &cli.notes)),
        _ => None,
    };
    if let (Ok(place), Some(deck)) = (&place, &early) {
        place.prepare(deck, now()?, false)?;
    }
    let store = place.map(|place| place.store());
    let (deck, read) = std::thread::scope(|scope| {
        let reading = store.as_ref().ok().map(|store| {
            let progress = scope.spawn(|| store.load_progress());
            let log = scope.spawn(|| super::read_whole_log(caches, store, &cli.notes));
            (progress, log)
        });
        let deck = early.unwrap_or_else(|| load_deck(caches, &cli.notes));
        let read = reading.map(
            |(progress, log)| -> Result<(Result<Option<Progress>, StoreError>, Log), StoreError> {
                let progress = joined(progress);
                Ok((progress, joined(log)?))
            },
        );
        (deck, read)
    });
    // The process ends right after this; freeing the deck, progress and log item by item would only delay it.
    let deck = ManuallyDrop::new(deck);
    report_unreadable(&deck);
    if let Some(why) = no_card_matches(&deck, filter, &cli.topic) {
        visible::warn(format_args!("{why}"));
        return Ok(ExitCode::from(crate::EXIT_ERROR));
    }
    let store = store?;
    let (loaded, log) = match read {
        Some(Ok(read)) => read,
        Some(Err(e @ StoreError::Progress { .. })) => (Err(e), super::read_whole_log(caches, &store, &cli.notes)?),
        Some(Err(e)) => return Err(e.into()),
        None => (
            store.load_progress(),
            super::read_whole_log(caches, &store, &cli.notes)?,
        ),
    };
    let loaded = super::open::readable(&store, loaded, false)?;
    let mut log = ManuallyDrop::new(log);
    let now = now()?;
    // The saved retention: stats report on the progress as it stands, whatever --retention says.
    let scheduler = saved_scheduler(&store, loaded.as_ref(), None)?;
    say_unapplied(&store, &mut log, now);
    let progress = ManuallyDrop::new(caught_up(&store, &deck, loaded, &log, &scheduler, now)?);
    super::open::write_back(&store, &progress)?;
    let cards: Vec<&Card> = deck.filtered(filter).collect();
    let mut figures = stats::stats(&Input {
        cards: &cards,
        progress: &progress,
        lines: &log.lines,
        only_these_cards: !filter.is_empty(),
        scheduler: &scheduler,
        now,
    });
    figures.progress_dir = Some(store.dir().display().to_string());
    let full_screen = !json && !cli.plain && io::stdin().is_terminal() && io::stdout().is_terminal();
    if full_screen {
        crate::tui::stats::run(figures)?;
    } else if json {
        print(true, |out| print::write_json(out, &figures))?;
    } else {
        print(false, |out| print::write_plain(out, &figures))?;
    }
    Ok(exit(deck.has_errors()))
}

/// What a reading thread gave; its panic, if it had one, goes on here.
fn joined<T>(reading: std::thread::ScopedJoinHandle<'_, T>) -> T {
    reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The progress as the next quiz would find it, without writing it: rebuilt from `log` when there is no
/// progress.yaml, the log's tail applied when a crash left progress a step behind, the log replayed whole when it
/// was changed before the part progress holds (a hand edit, a merge) unless that lost answers progress counts.
pub(crate) fn caught_up(
    store: &Store,
    deck: &Deck,
    loaded: Option<Progress>,
    log: &Log,
    scheduler: &Scheduler,
    now: crate::time::Moment,
) -> anyhow::Result<Progress> {
    let Some(progress) = loaded else {
        let rebuilt = history::replay(&log.lines, log.len, &deck.cards, None, scheduler);
        return Ok(Progress {
            log_crc: log.crc,
            ..rebuilt
        });
    };
    // The log just read is the one progress holds (its length and CRC): nothing follows it, and it need not be
    // read again to tell.
    if progress.log_crc.is_some() && progress.log_crc == log.crc && progress.log_offset == log.len {
        return Ok(progress);
    }
    let mut tail = match store.read_log_after(progress.log_offset, progress.log_crc) {
        Ok(Tail::Follows(tail)) => tail,
        Ok(Tail::Changed(_)) => {
            let rebuilt = history::replay(&log.lines, log.len, &deck.cards, Some(&progress), scheduler);
            if history::missing_answers(&progress, &rebuilt, &log.lines).answers > 0 {
                return Ok(progress);
            }
            return Ok(Progress {
                log_crc: log.crc,
                ..rebuilt
            });
        }
        // reviews.yaml lost lines outside amgi: the progress holds every answer it had.
        Err(StoreError::LogShrunk { .. }) => return Ok(progress),
        Err(e) => return Err(e.into()),
    };
    if tail.lines.is_empty() {
        return Ok(progress);
    }
    tail.hold_back_future(now);
    let whole = || Ok::<_, StoreError>(log.clone());
    let mut progress = history::catch_up(progress, &tail.lines, tail.len, &deck.cards, scheduler, whole)?;
    progress.log_crc = tail.crc;
    Ok(progress)
}
