//! `amgi plan`: the interview day set or cleared, and the forecast of what the plan asks and gives.

use super::open::{held, open_progress};
use super::{kept_deck, no_card_matches, now, place, print, report_unreadable};
use crate::cli::Cli;
use crate::notes::Deck;
use crate::plan::Plan;
use crate::store::{LogLine, PlanChange, Progress, Store, StoreError, Tail};
use crate::{Card, EXIT_BUSY, EXIT_ERROR, EXIT_USAGE, TopicFilter, history, visible};
use std::io::Write;
use std::mem::ManuallyDrop;
use std::process::ExitCode;

/// `amgi plan`: sets (`--interview`) or clears (`--clear`) the interview day, then prints what the plan asks
/// and what it is expected to give.
pub fn run(cli: &Cli, options: &crate::cli::Plan, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let filter = &TopicFilter::new(&cli.topic);
    let place = place(cli);
    // progress.yaml, and the part of the log it does not hold yet, are read on another thread while the notes
    // are read (with 10,000 cards each is about a quarter of the command), unless the deck's folder is still to
    // be filled from the data folder's old progress, which needs the notes first.
    let early_store = match &place {
        Ok(place) if !place.has_old_progress() => Some(std::sync::Arc::new(place.store())),
        _ => None,
    };
    let early_progress = early_store
        .as_ref()
        .map(|store| EarlyProgress::start(std::sync::Arc::clone(store)));
    let deck: &Deck = &kept_deck(caches, &cli.notes);
    report_unreadable(deck);
    if let Some(why) = no_card_matches(deck, filter, &cli.topic) {
        visible::warn(format_args!("{why}"));
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let place = place?;
    place.prepare(deck, now()?, true)?;
    let store = early_store.unwrap_or_else(|| std::sync::Arc::new(place.store()));
    let Some(_lock) = held(store.lock())? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    // Only setting or clearing the plan writes to the log, under the lock: otherwise the log is read whole on
    // another thread while progress.yaml is read and brought up to date. A deck without a plan does not wait
    // for it: the read is let go, and ends with the process.
    let reads_only = options.interview.is_none() && !options.clear;
    let early_log = reads_only.then(|| {
        let (store, notes, caches) = (std::sync::Arc::clone(&store), cli.notes.clone(), caches.clone());
        std::thread::spawn(move || super::read_whole_log(&caches, &store, &notes))
    });
    let now = now()?;
    let today = now.day();
    let (loaded, tail) = match early_progress {
        Some(early) => early.finish(&store),
        None => (store.load_progress(), None),
    };
    let loaded = super::open::readable(&store, loaded, true)?;
    let (progress, scheduler) = open_progress(options.drill.retention.retention, &store, deck, loaded, tail, now)?;
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

/// progress.yaml as read: what `Store::load_progress` gives.
type Loaded = Result<Option<Progress>, StoreError>;

/// progress.yaml read before the lock is taken, on another thread, with the lines of the log after the part it
/// holds (as `open_progress` reads them, checking that part against its CRC: 18 MB of log for 10,000 cards).
struct EarlyProgress {
    /// The file as it was when the read began.
    before: Option<FileStamp>,
    reading: std::thread::JoinHandle<(Loaded, Option<EarlyTail>)>,
}

/// The log's lines after the part progress.yaml holds, read early, and reviews.yaml as it was before.
struct EarlyTail {
    before: Option<FileStamp>,
    tail: Result<Tail, StoreError>,
}

impl EarlyProgress {
    /// Starts reading the progress.yaml of `store`, then the log after it. The log is read through `store`
    /// itself, which notes the log's end as the command's own read would (an append gives the CRC after it).
    fn start(store: std::sync::Arc<Store>) -> EarlyProgress {
        let before = FileStamp::of(&store.progress_path());
        let reading = std::thread::spawn(move || {
            let progress = store.load_progress();
            let tail = match &progress {
                Ok(Some(progress)) => Some(EarlyTail {
                    before: FileStamp::of(&store.reviews_path()),
                    tail: store.read_log_after(progress.log_offset, progress.log_crc),
                }),
                _ => None,
            };
            (progress, tail)
        });
        EarlyProgress { before, reading }
    }

    /// The progress read, once the lock is held, with the log's lines after it when they are still what the log
    /// holds: progress.yaml is read again from `store` if the file was replaced or changed since the read began (a
    /// session that held the lock saved it meanwhile), and the tail left to `open_progress` if reviews.yaml
    /// changed since it was read; so what is used is what the lock guards, as if it had been read under it.
    fn finish(self, store: &Store) -> (Loaded, Option<Result<Tail, StoreError>>) {
        let (read, tail) = self
            .reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match self.before {
            Some(before) if FileStamp::of(&store.progress_path()) == Some(before) => {
                let tail = tail
                    .filter(|early| early.before.is_some() && FileStamp::of(&store.reviews_path()) == early.before)
                    .map(|early| early.tail);
                (read, tail)
            }
            _ => (store.load_progress(), None),
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

    /// The tail read early, its error taken as a failure.
    fn ok(tail: Option<Result<Tail, StoreError>>) -> Option<Tail> {
        tail.map(|tail| tail.unwrap())
    }

    fn early(dir: &std::path::Path) -> EarlyProgress {
        EarlyProgress::start(std::sync::Arc::new(Store::new(dir)))
    }

    /// A line for the log.
    fn line(minute: i64) -> LogLine {
        let at: crate::time::Moment = "2026-11-24T21:00:00+09:00".parse().unwrap();
        LogLine::plan(at.plus(jiff::SignedDuration::from_mins(minute)), PlanChange::Cleared)
    }

    #[test]
    fn progress_read_early_is_the_file_as_it_is_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        // No file: none, whether it is still missing or was saved meanwhile.
        let (read, tail) = early(dir.path()).finish(&store);
        assert_eq!((read.unwrap(), ok(tail)), (None, None));
        let reading = early(dir.path());
        read_through(&reading);
        store.save_progress(&progress(7)).unwrap();
        assert_eq!(reading.finish(&store).0.unwrap(), Some(progress(7)));
        // Left alone: the early read.
        assert_eq!(early(dir.path()).finish(&store).0.unwrap(), Some(progress(7)));
        // Saved again after it was read (as a drill that held the lock saves it): read again.
        for offset in [8, 9] {
            let reading = early(dir.path());
            read_through(&reading);
            store.save_progress(&progress(offset)).unwrap();
            let (read, tail) = reading.finish(&store);
            assert_eq!((read.unwrap(), ok(tail)), (Some(progress(offset)), None));
        }
    }

    #[test]
    fn the_log_read_early_is_the_log_as_it_is_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        store.save_progress(&progress(0)).unwrap();
        // No log yet: the tail read early is an empty log.
        let (_, tail) = early(dir.path()).finish(&store);
        assert_eq!(ok(tail), None, "a log that was not there is read again");
        for minute in 0..3 {
            store.append(&line(minute)).unwrap();
        }
        // Left alone: the lines after the part progress.yaml holds (all of them), as read under the lock.
        let (read, tail) = early(dir.path()).finish(&store);
        assert_eq!(read.unwrap(), Some(progress(0)));
        let under_lock = store.read_log_after(0, None).unwrap();
        assert!(matches!(&under_lock, Tail::Follows(log) if log.lines.len() == 3));
        assert_eq!(tail.unwrap().unwrap(), under_lock);
        // A line appended after the early read (by a session that held the lock): left to be read again.
        let reading = early(dir.path());
        read_through(&reading);
        store.append(&line(5)).unwrap();
        let (read, tail) = reading.finish(&store);
        assert_eq!((read.unwrap(), ok(tail)), (Some(progress(0)), None));
        // progress.yaml saved after the early read: both read again.
        let reading = early(dir.path());
        read_through(&reading);
        store.save_progress(&progress(0)).unwrap();
        let (read, tail) = reading.finish(&store);
        assert_eq!((read.unwrap(), ok(tail)), (Some(progress(0)), None));
    }
}
