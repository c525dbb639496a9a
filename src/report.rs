//! `amgi stats` wired to the real world: the data folder, the clock, and the screen or stdout.

use crate::TopicFilter;
use crate::cli::Cli;
use crate::notes::Deck;
use std::process::ExitCode;

/// `amgi stats`.
pub fn stats(_cli: &Cli, _deck: &Deck, _filter: &TopicFilter, _json: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("amgi stats is not built yet")
}
