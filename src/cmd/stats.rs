//! `amgi stats` wired to the real world: the data folder, the clock, and the screen or stdout.
//!
//! Read only: no lock is taken and nothing is written. Answers a crash left in reviews.yaml but not yet in
//! progress.yaml are applied in memory, as the next quiz would apply them.

use super::open::{self, Want};
use super::{exit, print};
use crate::cli::Cli;
use crate::deck::{self, Access, Opened};
use crate::notes::Deck;
use crate::schedule::Scheduler;
use crate::stats::{self, Input, print};
use crate::store::{Log, Progress, Store};
use crate::{Card, TopicFilter};
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
    let want = Want::reader();
    let (opened, now) = match open::deck(cli, caches, want)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    open::say(&opened.warnings);
    // The process ends right after this; freeing the deck, progress and log item by item would only delay it.
    let Opened {
        deck,
        store,
        progress,
        scheduler,
        log,
        ..
    } = opened;
    let (deck, progress, log) = (
        ManuallyDrop::new(deck),
        ManuallyDrop::new(progress),
        ManuallyDrop::new(log),
    );
    let lines = log.as_ref().map_or(&[][..], |log| &log.lines);
    let cards: Vec<&Card> = deck.filtered(filter).collect();
    let mut figures = stats::stats(&Input {
        cards: &cards,
        progress: &progress,
        lines,
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
    let files = deck::Opening {
        progress: &progress_path,
        log: &log_path,
        progress_set_aside: false,
        access: Access::Read,
        now,
    };
    let (offset, crc) = loaded.as_ref().map_or((0, None), |p| (p.log_offset, p.log_crc));
    let tail = || store.read_log_after(offset, crc);
    let whole = || Ok(log.clone());
    let reconciled = deck::reconcile(files, loaded, tail, whole, &deck.cards, scheduler)?;
    Ok(reconciled.progress)
}
