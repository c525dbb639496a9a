//! Writes a realistic progress.yaml and reviews.yaml for a deck: months of daily drills simulated through the same
//! scheduler and history code the quiz uses, so `bench/quiz.sh` can time start-up on a data folder of the size a
//! long-time user has (by default every card of the deck answered, and 100,000 lines in reviews.yaml).
//!
//! Usage: `cargo run --release --example gen_progress -- NOTES DATA_DIR [LINES]`
//!
//! Every day at 21:00 (+09:00) the simulated user answers the learning cards and due reviews, then up to 80 new
//! cards in note order; a card in learning steps is answered again until it graduates. Grades follow the recall
//! probability FSRS predicts (Again with probability 1 − R), with a fixed-seed generator, so the files are the same
//! on every run. About one answer in 500 is undone and answered again. The simulation stops at exactly LINES lines.
//! progress.yaml is what the quiz would have saved after the last one (a replay of reviews.yaml gives the same
//! bytes). Prints the moment to pass as `AMGI_NOW` to land in the same amgi day, an hour after the last answer.

use amgi::history;
use amgi::notes::{Deck, source};
use amgi::schedule::{DEFAULT_RETENTION, Grade, Phase, Scheduler};
use amgi::store::{LogLine, Mode, Progress, Review, Store, render_line};
use amgi::time::Moment;
use jiff::{SignedDuration, Span};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// New cards introduced a day.
const NEW_PER_DAY: usize = 80;
/// The first simulated day's session.
const START: &str = "2026-01-05T21:00:00+09:00";

/// xorshift64*: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (notes, data, lines) = match args.as_slice() {
        [notes, data] => (notes, data, 100_000),
        [notes, data, lines] => match lines.parse() {
            Ok(lines) => (notes, data, lines),
            Err(_) => return usage(),
        },
        _ => return usage(),
    };
    match generate(&PathBuf::from(notes), &PathBuf::from(data), lines) {
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
    eprintln!("usage: gen_progress NOTES DATA_DIR [LINES]");
    ExitCode::from(2)
}

/// The grade a user with recall probability `recall` gives.
fn grade(rng: &mut Rng, recall: f64) -> Grade {
    if rng.unit() >= recall {
        return Grade::Again;
    }
    match rng.unit() {
        x if x < 0.10 => Grade::Hard,
        x if x < 0.85 => Grade::Good,
        _ => Grade::Easy,
    }
}

fn generate(notes: &PathBuf, data: &PathBuf, lines: usize) -> Result<String, Box<dyn std::error::Error>> {
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
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
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
        let new = NEW_PER_DAY.min(deck.cards.len() - introduced);
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
                    _ => at.plus(SignedDuration::from_secs(8 + (rng.next() % 20) as i64)),
                };
                let recall = match state.phase {
                    Phase::Review => f64::from(scheduler.retrievability(&state, at).unwrap_or(0.9)),
                    _ => 0.8,
                };
                let review = Review {
                    card: card.id.clone(),
                    at,
                    grade: grade(&mut rng, recall),
                    mode: Mode::Drill,
                    ms: 2_000 + rng.next() % 12_000,
                    rescheduled: false,
                };
                // Now and then an answer is undone (while one more line fits) and given again a second later.
                if written + 2 < lines && rng.next().is_multiple_of(500) {
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
