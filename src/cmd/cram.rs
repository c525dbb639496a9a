//! `amgi cram`: every matching card, weakest first, without moving the schedule (unless asked).

use super::quiz::{self, Pace};
use crate::cli::{Cli, Cram};
use crate::queue;
use crate::session::Session;
use std::process::ExitCode;

/// `amgi cram`: the matching cards in the order asked, at most `--limit` of them.
pub fn run(cli: &Cli, options: &Cram, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let pace = Pace {
        retention: options.retention.retention,
        target_seconds: options.timer.target_seconds,
        cards_only: options.cards_only,
    };
    quiz::run(cli, caches, pace, |cards, progress, scheduler, _, now| {
        let mut order = queue::cram(&cards, &progress, scheduler, now);
        if options.shuffle {
            use rand::seq::SliceRandom;
            order.shuffle(&mut rand::rng());
        }
        order.truncate(options.limit.unwrap_or(usize::MAX));
        Ok(Session::cram(cards, progress, scheduler, order, options.reschedule))
    })
}
