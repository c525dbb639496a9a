//! The quiz commands wired to the real world: the data folder, its lock, the clock, stdin and stdout.

use crate::cli::{Cli, Cram};
use crate::history;
use crate::notes::{Deck, Finding, FindingKind};
use crate::plain;
use crate::plan::Plan;
use crate::queue::{self, Limits};
use crate::schedule::{DEFAULT_RETENTION, Scheduler};
use crate::session::Session;
use crate::store::{Log, Progress, Store, StoreError, Tail};
use crate::visible::Visible;
use crate::{Card, EXIT_BUSY, EXIT_ERROR, EXIT_USAGE, TopicFilter, data_dir, now, report_unreadable};
use anyhow::Context;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// `amgi` / `amgi drill`, on the notes `read_notes` reads.
pub fn drill(cli: &Cli, read_notes: impl FnOnce() -> Deck, filter: &TopicFilter) -> anyhow::Result<ExitCode> {
    quiz(cli, read_notes, filter, |cards, progress, scheduler, store, now| {
        let mut since = store.read_log_since(now.start_of_day())?;
        since.retain(|line| line.at() <= now.plus(CLOCK_SKEW));
        let today = history::today(&since, &progress);
        let limits = Limits {
            new: cli.new_per_day,
            reviews: cli.max_reviews,
        };
        Ok(Session::drill(cards, progress, scheduler, now, limits, today))
    })
}

/// `amgi cram`, on the notes `read_notes` reads.
pub fn cram(
    cli: &Cli,
    options: &Cram,
    read_notes: impl FnOnce() -> Deck,
    filter: &TopicFilter,
) -> anyhow::Result<ExitCode> {
    quiz(cli, read_notes, filter, |cards, progress, scheduler, _, now| {
        let mut order = queue::cram(&cards, &progress, scheduler, now);
        if options.shuffle {
            use rand::seq::SliceRandom;
            order.shuffle(&mut rand::rng());
        }
        order.truncate(options.limit.unwrap_or(usize::MAX));
        Ok(Session::cram(cards, progress, scheduler, order, options.reschedule))
    })
}

/// `amgi plan`: sets (`--interview`) or clears (`--clear`) the interview day, then prints what the plan asks
/// and what it is expected to give.
pub fn plan(cli: &Cli, deck: &Deck, filter: &TopicFilter, options: &crate::cli::Plan) -> anyhow::Result<ExitCode> {
    let store = Store::new(data_dir(cli)?);
    let Some(_lock) = held(store.lock())? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    let now = now()?;
    let today = now.day();
    let loaded = store.load_progress()?;
    let (mut progress, scheduler) = open_progress(cli, &store, deck, loaded, None, now)?;
    if let Some(interview) = options.interview {
        if interview < today {
            crate::visible::warn(format_args!(
                "the interview day {interview} has passed (today is {today})"
            ));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        if (interview - today).get_days() > crate::plan::MAX_PLAN_DAYS {
            crate::visible::warn(format_args!(
                "the interview day {interview} is more than a year away; a plan reaches {} days ahead",
                crate::plan::MAX_PLAN_DAYS
            ));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        progress.settings.interview = Some(interview);
        progress.settings.planned_on = Some(today);
        store.save_progress(&progress)?;
    } else if options.clear {
        let had = progress.settings.interview.take();
        progress.settings.planned_on = None;
        if had.is_some() {
            store.save_progress(&progress)?;
        }
        let message = match had {
            Some(day) => format!("forgot the interview day {day}; drills follow the FSRS schedule again"),
            None => "no interview day was set".to_string(),
        };
        return print_plan(options.json, &serde_json::json!({ "interview": null }), &message);
    }
    let Some(plan) = Plan::from_settings(&progress.settings) else {
        let message = "no interview day is set; `amgi plan --interview YYYY-MM-DD` makes a plan";
        return print_plan(options.json, &serde_json::json!({ "interview": null }), message);
    };
    let cards: Vec<Card> = deck.filtered(filter).cloned().collect();
    let mut log = store.read_log(0)?;
    log.hold_back_after(now.plus(CLOCK_SKEW));
    // Today's part of the log: what follows its last line from before today (as `read_log_since` reads it).
    let start = now.start_of_day();
    let today_from = log.lines.iter().rposition(|l| l.at() < start).map_or(0, |i| i + 1);
    let seen_today = history::today(&log.lines[today_from..], &progress).new_seen;
    let new = crate::plan::NewCards {
        per_day: cli.new_per_day,
        seen_today,
    };
    let prediction = crate::plan::predict(&cards, &progress, &scheduler, &plan, now, new);
    let own = crate::plan::seconds_per_answer(&log.lines);
    let seconds = own.map_or(cli.target_seconds as f64, |(seconds, _)| seconds);
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
        max_reviews: cli.max_reviews,
        final_pass,
    };
    print_plan(options.json, &report.json(), &report.text())
}

fn print_plan(json: bool, value: &serde_json::Value, text: &str) -> anyhow::Result<ExitCode> {
    crate::print(json, |out| {
        if json {
            writeln!(out, "{value}")
        } else {
            writeln!(out, "{text}")
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// A quiz on the notes `read_notes` reads, over the session `start` makes.
///
/// progress.yaml is read on another thread while the notes are read: with 10,000 cards each takes tens of
/// milliseconds and neither needs the other. The lock is taken first, so the file read is the one this session
/// will update. What goes wrong is reported in the same order as if they were read one after the other: notes that
/// cannot be read, the data folder, the lock, the clock, then progress.yaml.
fn quiz(
    cli: &Cli,
    read_notes: impl FnOnce() -> Deck,
    filter: &TopicFilter,
    start: impl for<'a> FnOnce(
        Vec<Card>,
        Progress,
        &'a Scheduler,
        &Store,
        crate::time::Moment,
    ) -> Result<Session<'a>, StoreError>,
) -> anyhow::Result<ExitCode> {
    let opened = data_dir(cli).map(|dir| {
        let store = Store::new(dir);
        let lock = store.lock();
        (store, lock)
    });
    let (deck, loaded) = std::thread::scope(|scope| {
        // progress.yaml, and the part of reviews.yaml after what it holds, while the notes are read.
        let loading = match &opened {
            Ok((store, Ok(_))) => Some(scope.spawn(|| {
                let progress = store.load_progress()?;
                let tail = progress.as_ref().map(|p| store.read_log_after(p.log_offset, p.log_crc));
                Ok::<_, StoreError>((progress, tail))
            })),
            _ => None,
        };
        let deck = read_notes();
        let loaded = loading.map(|loading| loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (deck, loaded)
    });
    // The process ends right after the quiz; freeing a large deck card by card would only delay the exit.
    let deck = std::mem::ManuallyDrop::new(deck);
    let deck: &Deck = &deck;
    report_unreadable(deck);
    // A wrong path, or a topic that matches nothing, is said before any screen, not behind an empty one.
    if crate::named_path_unreadable(deck, &cli.notes) {
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    if let Some(why) = crate::no_card_matches(deck, filter, &cli.topic) {
        crate::visible::warn(format_args!("{why}"));
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let (mut store, lock) = opened?;
    let Some(_lock) = held(lock)? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    let now = now()?;
    let cards: Vec<Card> = deck.filtered(filter).cloned().collect();
    // `loaded` is there whenever the lock was taken, as it was to get here.
    let (loaded, tail) = match loaded {
        Some(loaded) => loaded?,
        None => (store.load_progress()?, None),
    };
    let (mut progress, scheduler) = open_progress(cli, &store, deck, loaded, tail, now)?;
    follow_renames(&store, &mut progress, deck, &scheduler, now)?;
    if let Some(retention) = cli.retention.filter(|r| progress.settings.retention != Some(*r)) {
        progress.settings.retention = Some(retention);
        store.save_progress(&progress)?;
    }
    let session = start(cards, progress, &scheduler, &store, now)?;
    let clock = || now_or(now);
    let full_screen = !cli.plain && io::stdin().is_terminal() && io::stdout().is_terminal();
    let (session, ended) = if full_screen {
        let roots = crate::notes_paths(&cli.notes).unwrap_or_default();
        let mut reload = || {
            let deck = crate::read_deck(Some(&roots));
            deck.filtered(filter).cloned().collect()
        };
        let shell = crate::tui::Shell {
            clock: &clock,
            reload: &mut reload,
            notes_roots: crate::notes_paths(&cli.notes).unwrap_or_default(),
            target_seconds: cli.target_seconds,
            warnings: warnings(deck, session.progress()),
        };
        (crate::tui::run(session, shell, &mut store)?, Ok(plain::End::Quit))
    } else {
        let mut session = session;
        let mut input = io::stdin().lock();
        // The terminal's width, else `$COLUMNS`, for laying answers out.
        let width = plain::answer_width(crate::tui::terminal_width(), std::env::var("COLUMNS").ok().as_deref());
        let mut run = |session: &mut Session<'_>, input: &mut io::StdinLock<'_>| {
            plain::run(
                session,
                input,
                &mut Visible::new(io::stdout().lock()),
                &clock,
                &mut store,
                width,
            )
        };
        let mut ended = run(&mut session, &mut input);
        if let Ok(plain::End::Done) = ended
            && let Some(order) = session.final_pass(clock())
        {
            ended = match plain::offer_final_pass(&session, &order, &mut input, &mut Visible::new(io::stdout().lock()))
            {
                Ok(true) => {
                    session.start_final_pass(order);
                    run(&mut session, &mut input)
                }
                Ok(false) => ended,
                Err(e) => Err(e.into()),
            };
        }
        (session, ended)
    };
    let mut out = Visible::new(io::stdout().lock());
    let summary = plain::summary(&session, clock(), &mut out);
    match ended {
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e),
        Ok(_) => {
            summary.or_else(|e| {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    Ok(())
                } else {
                    Err(e)
                }
            })?;
            out.flush().ok();
            Ok(if deck.has_errors() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// One line per kind of trouble in the notes and progress, for the full-screen banner.
fn warnings(deck: &Deck, progress: &Progress) -> Vec<String> {
    let mut counts: Vec<(FindingKind, usize)> = Vec::new();
    for finding in &deck.findings {
        match counts.iter_mut().find(|(k, _)| *k == finding.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((finding.kind, 1)),
        }
    }
    // What matters first: files that could not be read, then duplicates, then the rest as met.
    let rank = |kind: FindingKind| match kind {
        FindingKind::Unreadable => 0,
        FindingKind::Duplicate => 1,
        _ => 2,
    };
    counts.sort_by_key(|&(kind, _)| rank(kind));
    let mut lines: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{n} × {} in the notes (amgi check)", kind.as_str()))
        .collect();
    let ids: std::collections::HashSet<_> = deck.cards.iter().map(|c| &c.id).collect();
    let orphans = progress.cards.keys().filter(|id| !ids.contains(id)).count();
    if orphans > 0 {
        lines.push(format!(
            "{orphans} × progress kept for cards no longer in the notes (amgi check)"
        ));
    }
    lines
}

/// The clock during a quiz; `fallback` if it cannot be read (a bad `AMGI_NOW` was refused at the start).
fn now_or(fallback: crate::time::Moment) -> crate::time::Moment {
    now().unwrap_or(fallback)
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Brings progress.yaml, as `loaded` from the store (`None` when there is none), up to date with reviews.yaml:
/// rebuilt when missing, the tail of the log applied when a crash left progress a step behind. (A file that cannot
/// be read was refused already, with its file, line and column, and left untouched.)
pub(crate) fn open_progress(
    cli: &Cli,
    store: &Store,
    deck: &Deck,
    loaded: Option<Progress>,
    tail: Option<Result<Tail, StoreError>>,
    now: crate::time::Moment,
) -> anyhow::Result<(Progress, Scheduler)> {
    let scheduler = saved_scheduler(store, loaded.as_ref(), cli.retention)?;
    let progress = match loaded {
        None => {
            let mut log = store.read_log(0)?;
            warn_torn(store, log.torn.clone());
            hold_back_future(store, &mut log, now);
            if log.lines.is_empty() {
                Progress::default()
            } else {
                let mut rebuilt = history::replay(&log.lines, log.len, &deck.cards, None, &scheduler);
                rebuilt.log_crc = log.crc;
                crate::visible::warn(format_args!(
                    "{} was missing; rebuilt it from {} answers in {}",
                    store.progress_path().display(),
                    log.lines.len(),
                    store.reviews_path().display()
                ));
                store.save_progress(&rebuilt)?;
                rebuilt
            }
        }
        Some(mut progress) => match tail.unwrap_or_else(|| store.read_log_after(progress.log_offset, progress.log_crc))
        {
            Err(StoreError::LogShrunk { .. }) => {
                // reviews.yaml lost lines outside amgi; progress.yaml still holds every answer, so go on from
                // the log as it is now rather than refuse to quiz.
                crate::visible::warn(format_args!(
                    "{} is shorter than {} remembers; keeping the progress as it is",
                    store.reviews_path().display(),
                    store.progress_path().display()
                ));
                let log = store.read_log(0)?;
                progress.log_offset = log.len;
                progress.log_crc = log.crc;
                progress
            }
            Err(e) => return Err(e.into()),
            Ok(Tail::Follows(mut tail)) => {
                warn_torn(store, std::mem::take(&mut tail.torn));
                hold_back_future(store, &mut tail, now);
                if !tail.lines.is_empty() {
                    // A crash between appending an answer and saving progress, or lines another machine added:
                    // apply what the log has and progress lacks.
                    let whole = || {
                        store.read_log(0).map(|mut log| {
                            log.hold_back_after(now.plus(CLOCK_SKEW));
                            log
                        })
                    };
                    progress = history::catch_up(progress, &tail.lines, tail.len, &deck.cards, &scheduler, whole)?;
                    progress.log_crc = tail.crc;
                    store.save_progress(&progress)?;
                } else if progress.log_crc.is_none() || progress.log_offset != tail.len {
                    // Only blank or torn lines after the offset, or a file from before the CRC was kept.
                    progress.log_offset = tail.len;
                    progress.log_crc = tail.crc;
                }
                progress
            }
            Ok(Tail::Changed(mut log)) => {
                warn_torn(store, std::mem::take(&mut log.torn));
                hold_back_future(store, &mut log, now);
                let rebuilt = history::replay(&log.lines, log.len, &deck.cards, Some(&progress), &scheduler);
                let missing = history::missing_answers(&progress, &rebuilt);
                let log_file = store.reviews_path();
                if missing.answers > 0 {
                    crate::visible::warn(format_args!(
                        "{} was changed before the part {} already holds, and it lost {} of the answers \
                         counted there; keeping the progress as it is (`amgi repair --force` rebuilds it from the log)",
                        log_file.display(),
                        store.progress_path().display(),
                        missing.answers,
                    ));
                    progress.log_offset = log.len;
                    progress.log_crc = log.crc;
                    store.save_progress(&progress)?;
                    progress
                } else {
                    crate::visible::warn(format_args!(
                        "{} was changed before the part {} already holds (a hand edit or a merge); replayed it \
                         whole",
                        log_file.display(),
                        store.progress_path().display(),
                    ));
                    let mut rebuilt = rebuilt;
                    rebuilt.log_crc = log.crc;
                    store.save_progress(&rebuilt)?;
                    rebuilt
                }
            }
        },
    };
    Ok((progress, scheduler))
}

/// Moves the progress of cards whose notes file was renamed to the cards that continue them (see
/// [`history::renames`]): each move is a line of the log, so a replay gives the same, and is said on stderr.
pub(crate) fn follow_renames(
    store: &Store,
    progress: &mut Progress,
    deck: &Deck,
    scheduler: &Scheduler,
    now: crate::time::Moment,
) -> anyhow::Result<()> {
    let renames = history::renames(&deck.cards, progress);
    if renames.is_empty() {
        return Ok(());
    }
    let by_id: std::collections::HashMap<&crate::CardId, &Card> = deck.cards.iter().map(|c| (&c.id, c)).collect();
    for (from, card) in &renames {
        let line = crate::store::LogLine::Move {
            card: card.id.clone(),
            at: now,
            from: from.clone(),
        };
        let end = store.append(&line)?;
        history::apply_step(progress, history::Step::Move { from, to: &card.id }, &by_id, scheduler);
        progress.log_offset = end.len;
        progress.log_crc = end.crc;
        crate::visible::warn(format_args!(
            "the progress of \"{from}\" now belongs to \"{}\": the same path and question in {} (a renamed file)",
            card.id, card.file
        ));
    }
    store.save_progress(progress)?;
    Ok(())
}

/// The scheduler `progress` (as loaded from `store`) was saved with: its retention unless `retention` is given,
/// and its FSRS parameters. Parameters FSRS refuses are reported against progress.yaml.
pub(crate) fn saved_scheduler(
    store: &Store,
    progress: Option<&Progress>,
    retention: Option<f32>,
) -> anyhow::Result<Scheduler> {
    let settings = progress.map(|p| &p.settings);
    let retention = retention
        .or(settings.and_then(|s| s.retention))
        .unwrap_or(DEFAULT_RETENTION);
    let parameters = settings.and_then(|s| s.parameters.as_deref());
    Scheduler::new(retention, parameters).with_context(|| format!("{}", store.progress_path().display()))
}

/// How far ahead of the clock an answer may be dated and still be applied: a day, for another machine's clock or
/// time zone.
pub(crate) const CLOCK_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Takes the lines dated more than [`CLOCK_SKEW`] after `now` out of `log` (applied, each would hide its card
/// until then), and says which.
pub(crate) fn hold_back_future(store: &Store, log: &mut Log, now: crate::time::Moment) {
    for (line, at) in log.hold_back_after(now.plus(CLOCK_SKEW)) {
        crate::visible::warn(format_args!(
            "{}:{line}: {}; not applied",
            store.reviews_path().display(),
            future_message(at, now)
        ));
    }
}

/// What is wrong with a line dated `at`, after `now`.
pub(crate) fn future_message(at: crate::time::Moment, now: crate::time::Moment) -> String {
    format!("this answer is dated {at}, after now ({now}): a clock that was wrong, or a hand edit")
}

/// Says which lines of reviews.yaml were cut off and skipped.
pub(crate) fn warn_torn(store: &Store, torn: Vec<usize>) {
    for line in torn {
        crate::visible::warn(format_args!(
            "{}:{line}: this line was cut off (a crash while saving an answer); it is skipped",
            store.reviews_path().display()
        ));
    }
}

/// The data folder's lock; `None` (after saying so) when another session holds it.
pub(crate) fn held(lock: Result<crate::store::Lock, StoreError>) -> anyhow::Result<Option<crate::store::Lock>> {
    match lock {
        Ok(lock) => Ok(Some(lock)),
        Err(busy @ StoreError::Busy { .. }) => {
            crate::visible::warn(format_args!("{busy}"));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// `amgi repair`: progress.yaml rebuilt from reviews.yaml. The old file, if any, is kept as a numbered backup
/// first. When the log holds fewer answers than progress.yaml counts, nothing is rebuilt (exit 1) unless
/// `--force`: a rebuild would lose them.
pub fn repair(cli: &Cli, deck: &Deck, options: &crate::cli::Repair) -> anyhow::Result<ExitCode> {
    let store = Store::new(data_dir(cli)?);
    let Some(_lock) = held(store.lock())? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    let previous = store.load_progress().ok().flatten();
    let mut log = store.read_log(0)?;
    warn_torn(&store, log.torn.clone());
    hold_back_future(&store, &mut log, now()?);
    let settings = previous.as_ref().map(|p| p.settings.clone()).unwrap_or_default();
    let retention = cli.retention.or(settings.retention).unwrap_or(DEFAULT_RETENTION);
    let scheduler =
        Scheduler::new(retention, settings.parameters.as_deref()).or_else(|_| Scheduler::new(retention, None))?;
    let mut rebuilt = history::replay(&log.lines, log.len, &deck.cards, previous.as_ref(), &scheduler);
    rebuilt.log_crc = log.crc;
    rebuilt.settings.retention = cli.retention.or(settings.retention);
    let path = store.progress_path();
    let answers = history::effective_reviews(&log.lines).len();
    if let Some(previous) = &previous {
        let missing = history::missing_answers(previous, &rebuilt);
        if missing.answers > 0 && !options.force {
            crate::visible::warn(format_args!(
                "not rebuilt: {} counts {} {} that {} does not hold, for {} {} (\"{}\" among them); a rebuild would \
                 lose them. Was the log moved, cut or replaced? {} is left as it is; `amgi repair --force` rebuilds \
                 from the log anyway, keeping a backup",
                path.display(),
                missing.answers,
                if missing.answers == 1 { "answer" } else { "answers" },
                store.reviews_path().display(),
                missing.cards,
                if missing.cards == 1 { "card" } else { "cards" },
                missing.example.as_ref().map_or("", |id| id.as_str()),
                path.display(),
            ));
            return Ok(ExitCode::from(EXIT_ERROR));
        }
    }
    let backup = store.back_up_progress()?;
    store.save_progress(&rebuilt)?;
    crate::print(false, |out| {
        if let Some(backup) = &backup {
            writeln!(out, "kept the old file as {}", backup.display())?;
        }
        writeln!(
            out,
            "rebuilt {} from {answers} answers in {}: {} cards",
            path.display(),
            store.reviews_path().display(),
            rebuilt.cards.len()
        )
    })?;
    Ok(ExitCode::SUCCESS)
}

/// What is wrong in reviews.yaml, for `check`: lines that repeat an earlier one (counted once) and answers dated
/// after now (not applied); a log that cannot be read, with its line.
pub fn log_findings(dir: &Path, now: crate::time::Moment) -> Vec<Finding> {
    let store = Store::new(dir);
    let file = store.reviews_path().display().to_string();
    let mut log = match store.read_log(0) {
        Ok(log) => log,
        Err(e) => return vec![Finding::new(&file, None, FindingKind::Unreadable, e.to_string())],
    };
    let mut findings: Vec<Finding> = log
        .repeats
        .iter()
        .map(|r| {
            let message = format!("the same answer as line {}; counted once", r.first);
            Finding::new(&file, Some(r.line), FindingKind::Repeat, message)
        })
        .collect();
    for (line, at) in log.hold_back_after(now.plus(CLOCK_SKEW)) {
        let message = format!("{}; not applied", future_message(at, now));
        findings.push(Finding::new(&file, Some(line), FindingKind::Future, message));
    }
    findings.sort_by_key(|f| f.line);
    findings
}

/// Progress kept for cards no longer in the notes (renamed or deleted): listed by `check`, never dropped.
/// A progress file that cannot be read is reported too.
pub fn orphans(dir: &Path, deck: &Deck) -> Vec<Finding> {
    let store = Store::new(dir);
    let file = store.progress_path().display().to_string();
    let progress = match store.load_progress() {
        Ok(Some(progress)) => progress,
        Ok(None) => return Vec::new(),
        Err(e) => return vec![Finding::new(&file, None, FindingKind::Unreadable, e.to_string())],
    };
    let ids: std::collections::HashSet<_> = deck.cards.iter().map(|c| &c.id).collect();
    let renames = history::renames(&deck.cards, &progress);
    let moving: std::collections::HashMap<&crate::CardId, &Card> = renames.iter().map(|(from, c)| (from, *c)).collect();
    progress
        .cards
        .iter()
        .filter(|(id, _)| !ids.contains(id))
        .map(|(id, entry)| {
            if let Some(card) = moving.get(id) {
                let message = format!(
                    "progress for \"{id}\" moves to \"{}\" at the next quiz: the same path and question in {} (a \
                     renamed file)",
                    card.id, card.file
                );
                return Finding {
                    question: Some(entry.question.clone()),
                    ..Finding::new(&file, None, FindingKind::Moved, message)
                };
            }
            let message = format!("progress for \"{id}\" is kept, but no card in the notes has that id any more");
            Finding {
                question: Some(entry.question.clone()),
                ..Finding::new(&file, None, FindingKind::Orphan, message)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::NoteFile;

    #[test]
    fn warnings_lead_with_unreadable_files_then_duplicates() {
        let notes = NoteFile {
            file: "a.md".into(),
            topic: "a".into(),
            bytes: "## 빈 곳\n\n## 질문\n\n답\n\n## 질문\n\n답\n".as_bytes().to_vec(),
        };
        let unreadable = Finding::new("b.md", None, FindingKind::Unreadable, "not UTF-8");
        let deck = Deck::from_files([Ok(notes), Err(unreadable)]);
        let lines = warnings(&deck, &Progress::default());
        let kinds: Vec<&str> = lines.iter().map(|l| l.split(' ').nth(2).unwrap_or("")).collect();
        assert_eq!(kinds, ["unreadable", "duplicate", "stub"], "{lines:?}");
    }
}
