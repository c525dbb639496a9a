//! `amgi optimize` wired to the real world: the data folder, its lock, stdout, and a progress bar on stderr.

use super::open::{saved_scheduler, warn_torn};
use super::{now, print};
use crate::cli::{Cli, Optimize};
use crate::history;
use crate::notes::Deck;
use crate::optimize::{self, Counts, Fit, MIN_ITEMS_FOR_ALL, Metrics, Outcome, Scope, TooLittle};
use crate::round4;
use crate::store::{LogLine, Progress};
use fsrs::CombinedProgressState;
use jiff::SignedDuration;
use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long fitting may run before a progress bar appears: quicker than this, a bar would only flicker.
const MOMENT: Duration = Duration::from_secs(1);
/// How often the progress bar is brought up to date.
const TICK: Duration = Duration::from_millis(100);

/// `amgi optimize`: fits FSRS parameters to reviews.yaml and saves them in progress.yaml when they predict it
/// better than those in use; progress.yaml is then rebuilt from the log with them, as `amgi repair` would.
///
/// The whole log is used whatever `--topic` says: one set of parameters schedules every card.
pub fn run(cli: &Cli, options: &Optimize, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let (deck, store, _lock) = match super::open::locked(cli, caches)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let deck: &Deck = &deck;
    let loaded = super::open::readable(&store, store.load_progress(), true)?;
    let now = now()?;
    let settings = loaded.as_ref().map(|p| p.settings.clone()).unwrap_or_default();
    // The saved parameters are checked as the quiz checks them, with the same message.
    let in_use = saved_scheduler(&store, loaded.as_ref(), None)?;

    // Reading a long log takes longer than fitting it, so the progress bar covers both.
    let (log, outcome) = with_progress_bar(|progress| -> anyhow::Result<_> {
        let mut log = store.read_log(0)?;
        log.hold_back_future(now);
        let history = optimize::history(&log.lines);
        let outcome = optimize::fit(&history, settings.parameters.as_deref(), Some(progress))?;
        Ok((log, outcome))
    })?;
    warn_torn(&store, log.torn.clone());

    let saved = match &outcome {
        Outcome::Fitted(fit) if fit.is_better() => {
            // The parameters schedule the whole history: their settings line is dated before its first answer, and
            // the log is replayed with it (after any earlier one, as it is appended after).
            let first = log.lines.iter().map(LogLine::at).min().unwrap_or(now);
            let line = LogLine::settings(first.plus(-SignedDuration::from_secs(1)), None, Some(&fit.parameters));
            let mut lines = log.lines.clone();
            lines.push(line.clone());
            lines.sort_by_key(LogLine::at);
            let mut rebuilt = history::replay(&lines, log.len, &deck.cards, loaded.as_ref(), &in_use);
            // The due dates the new parameters move: from progress.yaml when it holds the whole log (it is then
            // what replaying the log with the parameters in use gives), else from such a replay.
            let due_moved = match &loaded {
                Some(progress) if progress.log_offset == log.len => due_moved(progress, &rebuilt),
                _ => due_moved(
                    &history::replay(&log.lines, log.len, &deck.cards, loaded.as_ref(), &in_use),
                    &rebuilt,
                ),
            };
            if let Some(missing) = loaded
                .as_ref()
                .map(|progress| history::missing_answers(progress, &rebuilt, &lines))
                .filter(|m| m.answers > 0)
            {
                anyhow::bail!(
                    "the fitted parameters are not saved: {} counts {} answers for {} cards that {} does not hold \
                     (\"{}\" among them), and saving rebuilds progress from the log; see `amgi repair`",
                    crate::visible::name(&store.progress_path()),
                    missing.answers,
                    missing.cards,
                    crate::visible::name(&store.reviews_path()),
                    missing.example.as_ref().map_or("", |id| id.as_str()),
                );
            }
            let backup = store.back_up_progress()?;
            let end = store.append(&line)?;
            rebuilt.log_offset = end.len;
            rebuilt.log_crc = end.crc;
            store.save_progress(&rebuilt)?;
            Some(Saved {
                due_moved,
                cards: rebuilt.cards.len(),
                backup,
            })
        }
        _ => None,
    };

    let progress_path = store.progress_path();
    print(options.json, |out| {
        if options.json {
            write_json(out, &outcome, saved.as_ref())
        } else {
            write_text(out, &outcome, saved.as_ref(), &progress_path)
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// What saving the fitted parameters did.
struct Saved {
    /// Cards whose due moment differs from what the parameters in use gave.
    due_moved: usize,
    /// Cards in the rebuilt progress.
    cards: usize,
    /// Where the old progress.yaml was kept, when there was one.
    backup: Option<PathBuf>,
}

/// Cards in `after` whose due moment is not the one they have in `before`.
fn due_moved(before: &Progress, after: &Progress) -> usize {
    after
        .cards
        .iter()
        .filter(|(id, entry)| before.cards.get(*id).map(|e| e.state.due) != Some(entry.state.due))
        .count()
}

/// Runs `work` on another thread, handing it the crate's training progress to fill in. When stderr is a terminal
/// and the work outlasts [`MOMENT`], a progress bar on stderr follows it (empty until the training starts, full
/// while the fit is evaluated); it is cleared when the work ends.
fn with_progress_bar<T: Send>(work: impl FnOnce(Arc<Mutex<CombinedProgressState>>) -> T + Send) -> T {
    let state = CombinedProgressState::new_shared();
    let terminal = io::stderr().is_terminal();
    std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel::<()>();
        let shared = Arc::clone(&state);
        let worker = scope.spawn(move || {
            let value = work(shared);
            // The receiver outlives the worker: it waits for this or for the sender to drop in a panic.
            let _ = done.send(());
            value
        });
        let started = Instant::now();
        let mut bar: Option<indicatif::ProgressBar> = None;
        while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(TICK) {
            if !terminal || started.elapsed() < MOMENT {
                continue;
            }
            let bar = bar.get_or_insert_with(|| {
                let bar = indicatif::ProgressBar::with_draw_target(Some(1), indicatif::ProgressDrawTarget::stderr());
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "fitting FSRS parameters to your history {wide_bar} {percent:>3}%",
                ) {
                    bar.set_style(style);
                }
                bar
            });
            // A poisoned lock means the worker panicked; the join below reports it.
            if let Ok(progress) = state.lock() {
                bar.set_length(progress.total().max(1) as u64);
                bar.set_position(progress.current() as u64);
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The report as text.
fn write_text(out: &mut impl Write, outcome: &Outcome, saved: Option<&Saved>, progress_path: &Path) -> io::Result<()> {
    match outcome {
        Outcome::TooLittle(too_little) => write_too_little(out, too_little),
        Outcome::Fitted(fit) => {
            write_counts(out, &fit.counts)?;
            writeln!(out)?;
            writeln!(
                out,
                "On the latest {} answers, which the fit did not see:",
                fit.counts.held_out
            )?;
            writeln!(out, "{:<20}{:>10}{:>12}", "", "log loss", "RMSE(bins)")?;
            let row = |out: &mut dyn Write, name: &str, m: Metrics| {
                writeln!(
                    out,
                    "{name:<20}{:>10.4}{:>11.2}%",
                    m.log_loss,
                    f64::from(m.rmse_bins) * 100.0
                )
            };
            row(out, "default parameters", fit.default)?;
            if let Some(current) = fit.current {
                row(out, "saved parameters", current)?;
            }
            row(out, "fitted parameters", fit.fitted)?;
            writeln!(out)?;
            if fit.scope == Scope::InitialStability {
                writeln!(
                    out,
                    "Only the first answer's stabilities (4 of the 21 parameters) could be fitted: fitting them all \
                     takes {MIN_ITEMS_FOR_ALL} usable answers on cards seen on several days. The rest stay at their \
                     defaults."
                )?;
            }
            let against = if fit.current.is_some() { "saved" } else { "default" };
            match saved {
                Some(saved) => {
                    writeln!(
                        out,
                        "The fitted parameters predict answers they did not see better than the {against} ones \
                         (lower log loss and RMSE): saved them in {}.",
                        crate::visible::name(progress_path)
                    )?;
                    if let Some(backup) = &saved.backup {
                        writeln!(out, "Kept the old file as {}.", crate::visible::name(backup))?;
                    }
                    writeln!(
                        out,
                        "Rebuilt every card's memory from reviews.yaml with them: {} of {} cards are now due at \
                         another time.",
                        saved.due_moved, saved.cards
                    )
                }
                None => writeln!(
                    out,
                    "The fitted parameters predict answers they did not see no better than the {against} ones \
                     ({} not lower: log loss {:.4} against {:.4}, RMSE {:.2}% against {:.2}%): nothing was changed.",
                    fit.worse().join(" and "),
                    fit.fitted.log_loss,
                    fit.baseline().log_loss,
                    f64::from(fit.fitted.rmse_bins) * 100.0,
                    f64::from(fit.baseline().rmse_bins) * 100.0,
                ),
            }
        }
    }
}

fn write_counts(out: &mut impl Write, counts: &Counts) -> io::Result<()> {
    writeln!(
        out,
        "History: {} answers on {} cards; {} of them came a day or more after the card's previous answer (what FSRS \
         predicts); the latest {} are held out to judge the fit on, and {} of the others are usable for fitting.",
        counts.reviews, counts.cards, counts.items, counts.held_out, counts.usable
    )
}

fn write_too_little(out: &mut impl Write, too_little: &TooLittle) -> io::Result<()> {
    writeln!(out, "Too little history to fit FSRS parameters yet.")?;
    write_counts(out, &too_little.counts)?;
    writeln!(
        out,
        "FSRS learns only from answers given a day or more after a card's previous one, and sets aside cards whose \
         first grade and first interval few other cards share (about 20 alike are needed). The latest fifth of them \
         are held out to judge the fit on. Fitting needs at least {} usable answers and {} held out, and \
         {MIN_ITEMS_FOR_ALL} usable to fit all 21 parameters: keep drilling until a few dozen cards have come back \
         on later days, then run `amgi optimize` again. Nothing was changed.",
        too_little.needed, too_little.held_out_needed
    )
}

/// The report as one JSON object (the fields are documented in the README).
fn write_json(out: &mut impl Write, outcome: &Outcome, saved: Option<&Saved>) -> io::Result<()> {
    #[derive(Serialize)]
    struct Report<'a> {
        outcome: &'static str,
        reviews: usize,
        cards: usize,
        items: usize,
        usable_items: usize,
        held_out: usize,
        items_needed: usize,
        items_needed_for_all: usize,
        held_out_needed: usize,
        scope: Option<Scope>,
        default: Option<Measured>,
        current: Option<Measured>,
        fitted: Option<Measured>,
        parameters: Option<Vec<f64>>,
        not_better_on: Option<Vec<&'static str>>,
        due_moved: Option<usize>,
        backup: Option<&'a Path>,
    }
    /// [`Metrics`] as the README shows them: 4 decimals.
    #[derive(Serialize)]
    struct Measured {
        log_loss: f64,
        rmse_bins: f64,
    }
    let measured = |m: Metrics| Measured {
        log_loss: round4(f64::from(m.log_loss)),
        rmse_bins: round4(f64::from(m.rmse_bins)),
    };
    let (counts, fit) = match outcome {
        Outcome::TooLittle(too_little) => (too_little.counts, None),
        Outcome::Fitted(fit) => (fit.counts, Some(fit)),
    };
    let report = Report {
        outcome: match (fit, saved) {
            (None, _) => "too_little_history",
            (Some(_), Some(_)) => "saved",
            (Some(_), None) => "not_better",
        },
        reviews: counts.reviews,
        cards: counts.cards,
        items: counts.items,
        usable_items: counts.usable,
        held_out: counts.held_out,
        items_needed: optimize::MIN_ITEMS,
        items_needed_for_all: MIN_ITEMS_FOR_ALL,
        held_out_needed: optimize::MIN_HELD_OUT,
        scope: fit.map(|f| f.scope),
        default: fit.map(|f| measured(f.default)),
        current: fit.and_then(|f| f.current).map(measured),
        fitted: fit.map(|f| measured(f.fitted)),
        parameters: fit.map(|f: &Fit| f.parameters.iter().map(|&p| round4(f64::from(p))).collect()),
        not_better_on: fit.filter(|_| saved.is_none()).map(Fit::worse),
        due_moved: saved.map(|s| s.due_moved),
        backup: saved.and_then(|s| s.backup.as_deref()),
    };
    serde_json::to_writer(&mut *out, &report)?;
    writeln!(out)
}
