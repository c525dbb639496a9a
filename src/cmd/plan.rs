//! `amgi plan`: the interview day set or cleared, and the forecast of what the plan asks and gives.

use super::open::{held, open_progress};
use super::{kept_deck, no_card_matches, now, place, print, report_unreadable};
use crate::cli::Cli;
use crate::notes::Deck;
use crate::plan::Plan;
use crate::store::{LogLine, PlanChange, Progress, Store, StoreError};
use crate::{Card, EXIT_BUSY, EXIT_ERROR, EXIT_USAGE, TopicFilter, history, visible};
use std::io::Write;
use std::mem::ManuallyDrop;
use std::process::ExitCode;

/// `amgi plan`: sets (`--interview`) or clears (`--clear`) the interview day, then prints what the plan asks
/// and what it is expected to give.
pub fn run(cli: &Cli, options: &crate::cli::Plan) -> anyhow::Result<ExitCode> {
    let filter = &TopicFilter::new(&cli.topic);
    let place = place(cli);
    // progress.yaml is read on another thread while the notes are read (with 10,000 cards each is about a
    // quarter of the command), unless the deck's folder is still to be filled from the data folder's old
    // progress, which needs the notes first.
    let early_progress = match &place {
        Ok(place) if !place.has_old_progress() => Some(EarlyProgress::start(place.store())),
        _ => None,
    };
    let deck: &Deck = &kept_deck(&cli.notes);
    report_unreadable(deck);
    if let Some(why) = no_card_matches(deck, filter, &cli.topic) {
        visible::warn(format_args!("{why}"));
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let place = place?;
    place.prepare(deck, now()?, true)?;
    let store = std::sync::Arc::new(place.store());
    let Some(_lock) = held(store.lock())? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    // Only setting or clearing the plan writes to the log, under the lock: otherwise the log is read whole on
    // another thread while progress.yaml is read and brought up to date. A deck without a plan does not wait
    // for it: the read is let go, and ends with the process.
    let reads_only = options.interview.is_none() && !options.clear;
    let early_log = reads_only.then(|| {
        let store = std::sync::Arc::clone(&store);
        std::thread::spawn(move || store.read_log(0))
    });
    let now = now()?;
    let today = now.day();
    let loaded = match early_progress {
        Some(early) => early.finish(&store),
        None => store.load_progress(),
    };
    let loaded = super::open::readable(&store, loaded, true)?;
    let (progress, scheduler) = open_progress(options.drill.retention.retention, &store, deck, loaded, None, now)?;
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
        None => store.read_log(0)?,
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

/// progress.yaml read before the lock is taken, on another thread.
struct EarlyProgress {
    /// The file as it was when the read began.
    before: Option<FileStamp>,
    reading: std::thread::JoinHandle<Result<Option<Progress>, StoreError>>,
}

impl EarlyProgress {
    /// Starts reading the progress.yaml of `store`.
    fn start(store: Store) -> EarlyProgress {
        let before = FileStamp::of(&store.progress_path());
        let reading = std::thread::spawn(move || store.load_progress());
        EarlyProgress { before, reading }
    }

    /// The progress read, once the lock is held: read again from `store` if the file was replaced or changed
    /// since the read began (a session that held the lock saved it meanwhile), so what is used is what the lock
    /// guards, as if it had been read under it.
    fn finish(self, store: &Store) -> Result<Option<Progress>, StoreError> {
        let read = self
            .reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match self.before {
            Some(before) if FileStamp::of(&store.progress_path()) == Some(before) => read,
            _ => store.load_progress(),
        }
    }
}

/// What tells one version of a file from another: a save writes a new file and renames it over the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl FileStamp {
    /// The stamp of the file at `path`; `None` when there is no file there (or it cannot be looked at).
    fn of(path: &std::path::Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A progress.yaml of its own, told from others by its offset into the log.
    fn progress(offset: u64) -> Progress {
        Progress {
            log_offset: offset,
            ..Progress::default()
        }
    }

    /// Waits for the early read to be done, so what happens to the file next happens after it.
    fn read_through(early: &EarlyProgress) {
        while !early.reading.is_finished() {
            std::thread::yield_now();
        }
    }

    #[test]
    fn progress_read_early_is_the_file_as_it_is_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        // No file: none, whether it is still missing or was saved meanwhile.
        assert_eq!(
            EarlyProgress::start(Store::new(dir.path())).finish(&store).unwrap(),
            None
        );
        let early = EarlyProgress::start(Store::new(dir.path()));
        read_through(&early);
        store.save_progress(&progress(7)).unwrap();
        assert_eq!(early.finish(&store).unwrap(), Some(progress(7)));
        // Left alone: the early read.
        let early = EarlyProgress::start(Store::new(dir.path()));
        assert_eq!(early.finish(&store).unwrap(), Some(progress(7)));
        // Saved again after it was read (as a drill that held the lock saves it): read again.
        for offset in [8, 9] {
            let early = EarlyProgress::start(Store::new(dir.path()));
            read_through(&early);
            store.save_progress(&progress(offset)).unwrap();
            assert_eq!(early.finish(&store).unwrap(), Some(progress(offset)));
        }
    }
}
