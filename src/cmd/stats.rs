//! `amgi stats` wired to the real world: the data folder, the clock, and the screen or stdout.
//!
//! Read only: no lock is taken and nothing is written. Answers a crash left in reviews.yaml but not yet in
//! progress.yaml are applied in memory, as the next quiz would apply them.

use super::open::Want;
use super::{exit, print};
use crate::cli::Cli;
use crate::deck::Opened;
use crate::stats::{self, Input, print};
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
    let (opened, now) = open_deck_or_return!(cli, caches, want);
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
