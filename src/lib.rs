//! amgi (암기): interview notes in Korean markdown, drilled as flashcards in the terminal.
//!
//! The core is pure: [`notes`] turns markdown into [`Card`]s without touching a terminal or a clock.
//! [`run`] is the only place that reads the environment and prints.

pub mod caches;
pub mod card;
pub mod cli;
mod cmd;
pub mod deck;
pub mod door;
pub mod history;
pub mod keys;
pub mod mock;
pub mod notes;
pub mod optimize;
pub mod plain;
pub mod plan;
pub mod queue;
pub mod schedule;
pub mod session;
pub mod stats;
pub mod store;
pub mod sync;
pub mod terms;
pub mod time;
pub mod tui;
pub mod visible;

pub use card::{Card, CardId, TopicFilter};

use cli::{Cli, Command};
use std::process::ExitCode;

/// Exit code when some notes could not be read (what could be read was still used), or progress could not be
/// read or written.
pub const EXIT_ERROR: u8 = 1;
/// Exit code for a command line amgi cannot act on (clap uses it for unknown flags and bad values too).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when another amgi session holds the data folder.
pub const EXIT_BUSY: u8 = 3;

pub use cmd::distrusted_time_zone;

/// Runs one command line. Returns the exit code; an `Err` is a failure to report (exit 1).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let cli = &cli;
    cmd::find_time_zone_early();
    // The caches' writes under way are waited for when this is dropped, at the end, however the command did.
    let caches = &caches::Caches::new(cmd::cache_dir());
    match &cli.command {
        None => cmd::drill::run(cli, &cli.drill, caches),
        Some(Command::Drill(options)) => cmd::drill::run(cli, options, caches),
        Some(Command::Cram(options)) => cmd::cram::run(cli, options, caches),
        Some(Command::Mock(options)) => cmd::mock::run(cli, options, caches),
        Some(Command::Cards(options)) => cmd::cards::cards(cli, options, caches),
        Some(Command::Topics(options)) => cmd::cards::topics(cli, options, caches),
        Some(Command::Check(options)) => cmd::cards::check(cli, options, caches),
        Some(Command::Stats(options)) => cmd::stats::run(cli, options, caches),
        Some(Command::Plan(options)) => cmd::plan::run(cli, options, caches),
        Some(Command::Repair(options)) => cmd::repair::run(cli, options, caches),
        Some(Command::Optimize(options)) => cmd::optimize::run(cli, options, caches),
        Some(Command::Release(options)) => cmd::release::release(cli, options, caches),
        Some(Command::Init(options)) => cmd::init::run(cli, options, caches),
        Some(Command::Sync(options)) => cmd::sync::run(cli, options, caches),
        Some(Command::Completions(options)) => cmd::completions::completions(options),
        Some(Command::Man) => cmd::completions::man(),
    }
}

/// Width in terminal columns: Hangul and other wide characters take two.
fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `x` rounded to 4 decimals, as JSON output shows figures: `0.8094`, not `0.809388...`.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// `text` padded with spaces to `width` terminal columns, for text tables.
pub(crate) fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(display_width(text))))
}
