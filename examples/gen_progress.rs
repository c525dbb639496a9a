//! Writes a realistic progress.yaml and reviews.yaml for a deck: months of daily drills simulated through the same
//! scheduler and history code the quiz uses, so `bench/quiz.sh` can time start-up on a data folder of the size a
//! long-time user has (by default every card of the deck answered, and 100,000 lines in reviews.yaml).
//!
//! Usage: `cargo run --release --example gen_progress -- NOTES DATA_DIR [LINES [NEW_PER_DAY]] [--memory W0,…,W20]`
//!
//! Every day at 21:00 (+09:00) the simulated user answers the learning cards and due reviews, then up to
//! NEW_PER_DAY (default 80) new cards in note order; a card in learning steps is answered again until it graduates.
//! Grades follow the recall probability FSRS predicts (Again with probability 1 − R), with a fixed-seed generator,
//! so the files are the same on every run. By default the user's memory is what the scheduler's own (default)
//! parameters predict; with `--memory` it follows those 21 FSRS parameters instead, while the scheduler keeps the
//! defaults: a history `amgi optimize` has something to learn from. About one answer in 500 is undone and answered again. The simulation stops at exactly LINES lines.
//! progress.yaml is what the quiz would have saved after the last one (a replay of reviews.yaml gives the same
//! bytes). Prints the moment to pass as `AMGI_NOW` to land in the same amgi day, an hour after the last answer.

use amgi::history;
use amgi::notes::{Deck, source};
use amgi::schedule::{CardState, DEFAULT_RETENTION, Grade, Phase, Scheduler};
use amgi::store::{LogLine, Mode, Progress, Review, Store, render_line};
use amgi::time::Moment;
use jiff::{SignedDuration, Span};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// New cards introduced a day, unless given.
const NEW_PER_DAY: usize = 80;
/// The first simulated day's session.
const START: &str = "2026-01-05T21:00:00+09:00";

/// What to generate.
struct Options {
    notes: PathBuf,
    data: PathBuf,
    lines: usize,
    new_per_day: usize,
    /// FSRS parameters the user's memory follows; `None` for the scheduler's own.
    memory: Option<Vec<f32>>,
}

fn parse_args(mut args: Vec<String>) -> Option<Options> {
    let memory = match args.iter().position(|a| a == "--memory") {
        Some(at) => {
            let list = args.get(at + 1)?.clone();
            args.drain(at..at + 2);
            Some(
                list.split(',')
                    .map(|w| w.trim().parse().ok())
                    .collect::<Option<Vec<f32>>>()?,
            )
        }
        None => None,
    };
    let (notes, data, rest) = match args.as_slice() {
        [notes, data, rest @ ..] if rest.len() <= 2 => (notes, data, rest),
        _ => return None,
    };
    Some(Options {
        notes: PathBuf::from(notes),
        data: PathBuf::from(data),
        lines: rest.first().map_or(Some(100_000), |n| n.parse().ok())?,
        new_per_day: rest.get(1).map_or(Some(NEW_PER_DAY), |n| n.parse().ok())?,
        memory,
    })
}

fn main() -> ExitCode {
    let Some(options) = parse_args(std::env::args().skip(1).collect()) else {
        return usage();
    };
    match generate(&options) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_progress: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: gen_progress NOTES DATA_DIR [LINES [NEW_PER_DAY]] [--memory W0,…,W20]");
    ExitCode::from(2)
}

/// The grade a user with recall probability `recall` gives.
fn grade(rng: &mut Xoshiro256PlusPlus, recall: f64) -> Grade {
    if rng.random::<f64>() >= recall {
        return Grade::Again;
    }
    match rng.random::<f64>() {
        x if x < 0.10 => Grade::Hard,
        x if x < 0.85 => Grade::Good,
        _ => Grade::Easy,
    }
}

fn generate(options: &Options) -> Result<String, Box<dyn std::error::Error>> {
    let Options {
        notes,
        data,
        lines,
        new_per_day,
        memory,
    } = options;
    let (lines, new_per_day) = (*lines, *new_per_day);
    let deck = Deck::from_files(source::read_paths(&[notes]));
    if deck.cards.is_empty() {
        return Err(format!("{}: no cards", notes.display()).into());
    }
    let store = Store::new(data);
    for path in [store.progress_path(), store.reviews_path()] {
        if path.exists() {
            return Err(format!("{} exists already; give an empty folder", path.display()).into());
        }
    }
    let scheduler = Scheduler::new(DEFAULT_RETENTION, None)?;
    // The user's memory: the card states the `memory` parameters give for the same answers.
    let truth = memory
        .as_deref()
        .map(|parameters| Scheduler::new(DEFAULT_RETENTION, Some(parameters)))
        .transpose()?;
    let mut remembered: std::collections::HashMap<_, CardState> = std::collections::HashMap::new();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x9e37_79b9_7f4a_7c15);
    let mut progress = Progress::default();
    let mut log = String::with_capacity(lines * 130);
    let mut written = 0;
    let mut introduced = 0;
    let mut day: Moment = START.parse()?;
    let mut last;

    'days: loop {
        let mut at = day;
        // Due cards of the day (learning and review), then new ones.
        let mut today: Vec<usize> = deck
            .cards
            .iter()
            .enumerate()
            .filter(|(_, c)| progress.cards.get(&c.id).is_some_and(|e| e.state.is_due(day)))
            .map(|(i, _)| i)
            .collect();
        let new = new_per_day.min(deck.cards.len() - introduced);
        today.extend(introduced..introduced + new);
        introduced += new;
        for index in today {
            let card = &deck.cards[index];
            loop {
                let state = progress
                    .cards
                    .get(&card.id)
                    .map(|e| e.state.clone())
                    .unwrap_or_default();
                at = match state.due {
                    Some(due) if state.phase.is_learning() && due > at => due,
                    _ => at.plus(SignedDuration::from_secs(8 + rng.random_range(0..20))),
                };
                let recall = match (&truth, state.phase) {
                    (Some(truth), Phase::Review) => remembered
                        .get(&card.id)
                        .and_then(|memory| truth.retrievability(memory, at))
                        .map_or(0.9, f64::from),
                    (None, Phase::Review) => f64::from(scheduler.retrievability(&state, at).unwrap_or(0.9)),
                    _ => 0.8,
                };
                let review = Review {
                    card: card.id.clone(),
                    at,
                    grade: grade(&mut rng, recall),
                    mode: Mode::Drill,
                    ms: rng.random_range(2_000..14_000),
                    rescheduled: false,
                };
                // Now and then an answer is undone (while one more line fits) and given again a second later.
                if written + 2 < lines && rng.random_range(0..500) == 0 {
                    let undo_at = at.plus(SignedDuration::from_secs(1));
                    push(&mut log, &LogLine::Review(review.clone()));
                    push(
                        &mut log,
                        &LogLine::Undo {
                            card: card.id.clone(),
                            at: undo_at,
                            undoes: at,
                        },
                    );
                    written += 2;
                    at = undo_at.plus(SignedDuration::from_secs(1));
                    continue;
                }
                if let Some(truth) = &truth {
                    let memory = remembered.entry(card.id.clone()).or_default();
                    *memory = truth.review(&card.id, memory, review.grade, review.at);
                }
                history::apply(&mut progress, &review, Some(card), &scheduler);
                push(&mut log, &LogLine::Review(review));
                written += 1;
                last = at;
                if written == lines {
                    break 'days;
                }
                if !progress.cards[&card.id].state.phase.is_learning() {
                    break;
                }
            }
        }
        day = day
            .start_of(day.day().saturating_add(Span::new().days(1)))
            .plus(SignedDuration::from_hours(17));
    }

    progress.log_offset = log.len() as u64;
    progress.log_crc = Some(crc32fast::hash(log.as_bytes()));
    std::fs::create_dir_all(data)?;
    std::fs::write(store.reviews_path(), &log)?;
    store.save_progress(&progress)?;
    let now = last.plus(SignedDuration::from_hours(1));
    Ok(format!(
        "{}: {} cards in progress.yaml ({} of the deck's {}), {written} lines in reviews.yaml ({} bytes), last answer \
         {last}\nAMGI_NOW={now}",
        data.display(),
        progress.cards.len(),
        introduced,
        deck.cards.len(),
        log.len()
    ))
}

fn push(log: &mut String, line: &LogLine) {
    // Writing into a String cannot fail.
    let _ = writeln!(log, "{}", render_line(line));
}
