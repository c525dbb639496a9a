//! `amgi` and `amgi drill`: the daily drill.

use super::quiz::{self, Pace};
use crate::cli::{Cli, Drill};
use crate::history;
use crate::queue::Limits;
use crate::session::Session;
use crate::store::CLOCK_SKEW;
use std::process::ExitCode;

/// `amgi` / `amgi drill`: learning cards, due reviews, then new cards, within the day's limits.
pub fn run(cli: &Cli, options: &Drill, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let pace = Pace {
        retention: options.retention.retention,
        target_seconds: options.timer.target_seconds,
        cards_only: options.cards_only,
    };
    quiz::run(cli, caches, pace, |cards, progress, scheduler, store, now| {
        let mut since = store.read_log_since(now.start_of_day())?;
        since.retain(|line| line.at() <= now.plus(CLOCK_SKEW));
        let today = history::today(&since, &progress);
        let limits = Limits {
            new: options.new_per_day,
            reviews: options.max_reviews,
        };
        Ok(Session::drill(cards, progress, scheduler, now, limits, today))
    })
}
