//! `amgi plan`: the interview day set or cleared, and the forecast of what the plan asks and gives.

use super::open::{Want, saved_scheduler};
use super::print;
use crate::cli::Cli;
use crate::deck::Opened;
use crate::plan::Plan;
use crate::store::{LogLine, PlanChange};
use crate::{Card, EXIT_USAGE, TopicFilter, history, visible};
use std::io::Write;
use std::mem::ManuallyDrop;
use std::process::ExitCode;

/// `amgi plan`: sets (`--interview`) or clears (`--clear`) the interview day, then prints what the plan asks
/// and what it is expected to give.
pub fn run(cli: &Cli, options: &crate::cli::Plan, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let filter = &TopicFilter::new(&cli.topic);
    // Only setting or clearing the plan writes to the log, under the lock; printing it takes no lock, so it runs
    // beside a quiz. Then the log is read whole on another thread while progress is brought up to date and the
    // plan worked out. A deck without a plan does not wait for it: the read is let go, and ends with the process.
    let reads_only = options.interview.is_none() && !options.clear;
    let want = Want {
        access: if reads_only {
            crate::deck::Access::Read
        } else {
            crate::deck::Access::Write
        },
        whole_log_after_lock: reads_only,
        ..Want::writer()
    };
    let (opened, now) = open_deck_or_return!(cli, caches, want);
    let Opened {
        deck,
        store,
        lock: _lock,
        progress,
        mut scheduler,
        log_reading: early_log,
        ..
    } = opened;
    let deck = &*ManuallyDrop::new(deck);
    if let Some(retention) = options.drill.retention.retention {
        scheduler = saved_scheduler(&store, Some(&progress), Some(retention))?;
    }
    let today = now.day();
    // The process ends soon after: freeing 10,000 cards' progress, or the log below, item by item would only
    // delay it.
    let mut progress = ManuallyDrop::new(progress);
    if let Some(interview) = options.interview {
        if interview < today {
            visible::warn(format_args!(
                "the interview day {interview} has passed (today is {today})"
            ));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        if (interview - today).get_days() > crate::plan::MAX_PLAN_DAYS {
            visible::warn(format_args!(
                "the interview day {interview} is more than a year away; a plan reaches {} days ahead",
                crate::plan::MAX_PLAN_DAYS
            ));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        record_plan(
            &store,
            &mut progress,
            PlanChange::Set {
                interview,
                planned_on: today,
            },
            now,
        )?;
    } else if options.clear {
        let had = progress.settings.interview;
        if had.is_some() {
            record_plan(&store, &mut progress, PlanChange::Cleared, now)?;
        }
        let message = match had {
            Some(day) => format!("forgot the interview day {day}; drills follow the FSRS schedule again"),
            None => "no interview day was set".to_string(),
        };
        return print_plan(options.json, NO_PLAN, &message);
    }
    let Some(plan) = Plan::from_settings(&progress.settings) else {
        let message = "no interview day is set; `amgi plan --interview YYYY-MM-DD` makes a plan";
        return print_plan(options.json, NO_PLAN, message);
    };
    let cards: Vec<&Card> = deck.filtered(filter).collect();
    let mut log = match early_log {
        Some(reading) => reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?,
        None => super::read_whole_log(caches, &store, &cli.notes)?,
    };
    log.hold_back_future(now);
    let log = ManuallyDrop::new(log);
    // Today's part of the log: what follows its last line from before today (as `read_log_since` reads it).
    let start = now.start_of_day();
    let today_from = log.lines.iter().rposition(|l| l.at() < start).map_or(0, |i| i + 1);
    let seen_today = history::today(&log.lines[today_from..], &progress).new_seen;
    let new = crate::plan::NewCards {
        per_day: options.drill.new_per_day,
        seen_today,
    };
    // The user's pace is worked out from the log beside the forecast, whose threads take the rest.
    let (prediction, own) = std::thread::scope(|scope| {
        let own = scope.spawn(|| crate::plan::seconds_per_answer(&log.lines));
        let prediction = crate::plan::predict(&cards, &progress, &scheduler, &plan, now, new);
        let own = own.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (prediction, own)
    });
    let seconds = own.map_or(options.drill.timer.target_seconds as f64, |(seconds, _)| seconds);
    let final_pass = plan
        .is_final_days(today)
        .then(|| crate::plan::final_pass(&cards, &progress, &scheduler, &plan, now).len());
    let report = crate::plan::print::Report {
        plan,
        today,
        retention: scheduler.retention(),
        prediction: &prediction,
        seconds,
        answers_timed: own.map(|(_, timed)| timed),
        max_reviews: options.drill.max_reviews,
        final_pass,
    };
    print_plan(options.json, &report.json(), &report.text())
}

/// Sets or clears the interview plan from `now` on: a settings line in the log, so a replay keeps it and, of two
/// changes made on two machines, the later one wins on both; then progress.yaml saved with it.
fn record_plan(
    store: &crate::store::Store,
    progress: &mut crate::store::Progress,
    plan: PlanChange,
    now: crate::time::Moment,
) -> anyhow::Result<()> {
    let end = store.append(&LogLine::plan(now, plan))?;
    progress.log_offset = end.len;
    progress.log_crc = end.crc;
    history::apply_plan(&mut progress.settings, Some(plan));
    store.save_progress(progress)?;
    Ok(())
}

/// `--json` without a plan.
const NO_PLAN: &str = r#"{"interview":null}"#;

fn print_plan(json: bool, value: &str, text: &str) -> anyhow::Result<ExitCode> {
    print(json, |out| {
        if json {
            writeln!(out, "{value}")
        } else {
            writeln!(out, "{text}")
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
