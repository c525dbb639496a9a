//! `amgi optimize` wired to the real world: the data folder, its lock, and stdout.

use crate::cli::{Cli, Optimize};
use crate::notes::Deck;
use std::process::ExitCode;

/// `amgi optimize`.
pub fn optimize(_cli: &Cli, _deck: &Deck, _options: &Optimize) -> anyhow::Result<ExitCode> {
    anyhow::bail!("amgi optimize is not built yet")
}
