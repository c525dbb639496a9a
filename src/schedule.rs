//! When a card comes back: FSRS (the `fsrs` crate, the implementation Anki uses) for memory and review intervals,
//! with Anki's default learning steps, interval limits and fuzz.
//!
//! Pure: every function takes the moment of the answer; nothing reads the clock.

use crate::card::{CardId, stable_hash};
use crate::time::Moment;
use fsrs::{FSRS, MemoryState, NextStates};
use jiff::SignedDuration;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::fmt;

/// The share of reviews meant to be answered correctly, unless the user sets another.
pub const DEFAULT_RETENTION: f32 = 0.9;
/// The range `--retention` accepts.
pub const RETENTION_RANGE: std::ops::RangeInclusive<f32> = 0.70..=0.99;
/// The longest review interval, in days (100 years).
pub const MAX_INTERVAL_DAYS: i32 = 36_500;
/// Lapses that make a card a leech (Anki's threshold): forgotten this often, it needs rewriting, not more drill.
pub const LEECH_LAPSES: u32 = 8;
/// Anki's default learning steps for new cards: 1 minute, then 10 minutes.
pub const LEARNING_STEPS: [SignedDuration; 2] = [SignedDuration::from_mins(1), SignedDuration::from_mins(10)];
/// Anki's default relearning step after a lapse: 10 minutes.
pub const RELEARNING_STEPS: [SignedDuration; 1] = [SignedDuration::from_mins(10)];

/// An answer, as Anki names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// Forgotten.
    Again = 1,
    /// Recalled with serious difficulty.
    Hard = 2,
    /// Recalled.
    Good = 3,
    /// Recalled at once.
    Easy = 4,
}

impl Grade {
    /// All four, in key order.
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    /// The grade for key `1`–`4`.
    pub fn from_number(n: u8) -> Option<Grade> {
        Grade::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// `1`–`4`.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// `again`, `hard`, `good`, `easy`.
    pub fn name(self) -> &'static str {
        match self {
            Grade::Again => "again",
            Grade::Hard => "hard",
            Grade::Good => "good",
            Grade::Easy => "easy",
        }
    }
}

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Never answered.
    New,
    /// Being learnt in minute steps.
    Learning,
    /// Graduated: comes back after days.
    Review,
    /// Forgotten after graduating: back in minute steps.
    Relearning,
}

impl Phase {
    /// `new`, `learning`, `review`, `relearning`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::New => "new",
            Phase::Learning => "learning",
            Phase::Review => "review",
            Phase::Relearning => "relearning",
        }
    }

    /// The phase called `name`.
    pub fn from_name(name: &str) -> Option<Phase> {
        [Phase::New, Phase::Learning, Phase::Review, Phase::Relearning]
            .into_iter()
            .find(|p| p.name() == name)
    }

    /// Whether the card is in minute steps (learning or relearning).
    pub fn is_learning(self) -> bool {
        matches!(self, Phase::Learning | Phase::Relearning)
    }
}

/// FSRS memory state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    /// Days until recall probability falls to 90%.
    pub stability: f32,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f32,
}

/// Everything the scheduler knows of one card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardState {
    /// Where the card is in its life.
    pub phase: Phase,
    /// Index of the current (re)learning step.
    pub step: u32,
    /// When it is next due; `None` while new.
    pub due: Option<Moment>,
    /// FSRS memory; `None` while new.
    pub memory: Option<Memory>,
    /// Answers counted by the scheduler.
    pub reps: u32,
    /// Times forgotten after graduating.
    pub lapses: u32,
    /// The last answer that moved the schedule.
    pub last_review: Option<Moment>,
}

impl Default for CardState {
    fn default() -> Self {
        CardState {
            phase: Phase::New,
            step: 0,
            due: None,
            memory: None,
            reps: 0,
            lapses: 0,
            last_review: None,
        }
    }
}

/// Whether a card that has just lapsed for the `lapses`th time is flagged a leech, as Anki flags it: at
/// [`LEECH_LAPSES`], then every half of that (4) after.
pub fn leech_flagged(lapses: u32) -> bool {
    lapses >= LEECH_LAPSES && (lapses - LEECH_LAPSES).is_multiple_of(LEECH_LAPSES.div_ceil(2))
}

impl CardState {
    /// Whether it was answered Good or Easy at least once: past its first learning step, or graduated.
    pub fn passed(&self) -> bool {
        match self.phase {
            Phase::New => false,
            Phase::Learning => self.step > 0,
            Phase::Review | Phase::Relearning => true,
        }
    }

    /// Whether the card has lapsed [`LEECH_LAPSES`] times or more.
    pub fn is_leech(&self) -> bool {
        self.lapses >= LEECH_LAPSES
    }

    /// Whether the card is due at `now`. New cards never are (they are introduced by the daily limit).
    pub fn is_due(&self, now: Moment) -> bool {
        self.phase != Phase::New && self.due.is_some_and(|due| due <= now)
    }
}

/// How long until a card comes back, as shown on the grade buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delay {
    /// A (re)learning step.
    Step(SignedDuration),
    /// A review interval in days.
    Days(i32),
}

/// Anki's short form: `1m`, `15m`, `2h`, `3d`, `1.2mo`, `2.5y`.
impl fmt::Display for Delay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Delay::Step(d) if d.as_secs() < 3600 => write!(f, "{}m", (d.as_secs() + 30) / 60),
            Delay::Step(d) if d.as_secs() < 86_400 => write!(f, "{}h", (d.as_secs() + 1800) / 3600),
            Delay::Step(d) => write!(f, "{}d", (d.as_secs() + 43_200) / 86_400),
            Delay::Days(days) if days < 30 => write!(f, "{days}d"),
            Delay::Days(days) if days < 365 => write!(f, "{:.1}mo", f64::from(days) / 30.0),
            Delay::Days(days) => write!(f, "{:.1}y", f64::from(days) / 365.0),
        }
    }
}

/// When `due` comes, seen from `now`: `in 10m (2026-11-25 04:00)`, the time as it was recorded.
pub fn due_in(due: Moment, now: Moment) -> String {
    let wait = Delay::Step(due.timestamp().duration_since(now.timestamp()));
    let local = due.to_string();
    format!("in {wait} ({} {})", &local[..10], &local[11..16])
}

/// The scheduler could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// Retention outside [`RETENTION_RANGE`].
    #[error("retention {0} is outside 0.70..0.99")]
    Retention(f32),
    /// FSRS refused the parameters.
    #[error("the FSRS parameters are not valid ({0}); `amgi repair` restores the defaults")]
    Parameters(String),
}

/// FSRS with a desired retention, plus Anki's steps, limits and fuzz.
pub struct Scheduler {
    fsrs: FSRS,
    /// The same step for the forecast only ([`forecast::Stepper`]).
    forecast: forecast::Stepper,
    retention: f32,
    decay: f32,
    /// The forgetting curve's factor at `decay`, `0.9^(1 / -decay) - 1`, for the forecast's recall
    /// ([`Scheduler::forecast_retrievability`]).
    recall_factor: f32,
}

impl Scheduler {
    /// A scheduler aiming at `retention`, with FSRS `parameters` (the defaults when `None`).
    pub fn new(retention: f32, parameters: Option<&[f32]>) -> Result<Self, ScheduleError> {
        if !RETENTION_RANGE.contains(&retention) {
            return Err(ScheduleError::Retention(retention));
        }
        let parameters = parameters.unwrap_or(&[]);
        let fsrs = FSRS::new(parameters).map_err(|e| ScheduleError::Parameters(e.to_string()))?;
        // The forgetting curve's decay belongs to the parameter set: FSRS-6's own, or FSRS-5's 0.5 for 17 and 19
        // parameters, as the crate fills them in.
        let filled =
            fsrs::check_and_fill_parameters(parameters).map_err(|e| ScheduleError::Parameters(e.to_string()))?;
        let decay = filled.get(20).copied().unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
        let forecast = forecast::Stepper::new(&filled, retention)
            .ok_or_else(|| ScheduleError::Parameters(format!("{} parameters", filled.len())))?;
        Ok(Scheduler {
            fsrs,
            forecast,
            retention,
            decay,
            recall_factor: 0.9f32.powf(1.0 / -decay) - 1.0,
        })
    }

    /// The desired retention.
    pub fn retention(&self) -> f32 {
        self.retention
    }

    /// The state after answering `grade` at `at`.
    pub fn review(&self, id: &CardId, state: &CardState, grade: Grade, at: Moment) -> CardState {
        self.review_seeded(FuzzSeed::of(id), state, grade, at)
    }

    /// [`Scheduler::review`] of the card whose seed is `seed`.
    pub fn review_seeded(&self, seed: FuzzSeed, state: &CardState, grade: Grade, at: Moment) -> CardState {
        let next = self.next_states(state.memory, elapsed_days(state, at));
        let [(state, _)] = self.outcomes_of(next, fuzz_factor(seed, at), state, at, [grade]);
        state
    }

    /// For the forecast: the states after Again and after Good answered at `at` to the card of `seed`, as
    /// [`Scheduler::review_each_seeded`] gives them, without the other two. FSRS's step is the forecast's own
    /// ([`forecast::Stepper`]), the crate's to the bit at a tenth of the work.
    pub fn forecast_again_good(&self, card: &ForecastFuzz, state: &CardState, at: Moment) -> [CardState; 2] {
        let next = self.forecast_next_states(state.memory, elapsed_days(state, at));
        self.outcomes_of(next, card.at(at), state, at, [Grade::Again, Grade::Good])
            .map(|(state, _)| state)
    }

    /// For the forecast: [`Scheduler::review_seeded`] with the forecast's FSRS step (see
    /// [`Scheduler::forecast_again_good`]).
    pub fn forecast_review(&self, card: &ForecastFuzz, state: &CardState, grade: Grade, at: Moment) -> CardState {
        let next = self.forecast_next_states(state.memory, elapsed_days(state, at));
        let [(state, _)] = self.outcomes_of(next, card.at(at), state, at, [grade]);
        state
    }

    /// The state after each grade answered at `at`, in grade order (one computation for all four).
    pub fn review_each(&self, id: &CardId, state: &CardState, at: Moment) -> [CardState; 4] {
        self.review_each_seeded(FuzzSeed::of(id), state, at)
    }

    /// [`Scheduler::review_each`] of the card whose seed is `seed`.
    pub fn review_each_seeded(&self, seed: FuzzSeed, state: &CardState, at: Moment) -> [CardState; 4] {
        self.outcomes(seed, state, at).map(|(state, _)| state)
    }

    /// When the card would come back after each grade, in grade order.
    pub fn preview(&self, id: &CardId, state: &CardState, at: Moment) -> [Delay; 4] {
        self.outcomes(FuzzSeed::of(id), state, at).map(|(_, delay)| delay)
    }

    /// The probability of recalling the card at `now`; `None` while new.
    pub fn retrievability(&self, state: &CardState, now: Moment) -> Option<f32> {
        let memory = state.memory?;
        let elapsed = state
            .last_review
            .map_or(0.0, |last| now.fractional_days_since(last).max(0.0));
        let memory = MemoryState {
            stability: memory.stability,
            difficulty: memory.difficulty,
        };
        Some(fsrs::current_retrievability(memory, elapsed as f32, self.decay))
    }

    /// For the forecast: [`Scheduler::retrievability`] to the bit, with the curve's factor worked out once rather
    /// than at each call (`fsrs::current_retrievability` takes a `powf` for it, of two; a forecast of 10,000
    /// cards asks for recall some 100,000 times).
    pub fn forecast_retrievability(&self, state: &CardState, now: Moment) -> Option<f32> {
        let memory = state.memory?;
        let elapsed = state
            .last_review
            .map_or(0.0, |last| now.fractional_days_since(last).max(0.0));
        // `fsrs::current_retrievability`'s own formula.
        Some((elapsed as f32 / memory.stability * self.recall_factor + 1.0).powf(-self.decay))
    }

    /// The state and delay after each grade.
    fn outcomes(&self, seed: FuzzSeed, state: &CardState, at: Moment) -> [(CardState, Delay); 4] {
        let next = self.next_states(state.memory, elapsed_days(state, at));
        self.outcomes_of(next, fuzz_factor(seed, at), state, at, Grade::ALL)
    }

    /// The state and delay after each of `grades`, each as [`Scheduler::outcomes`] has it, from FSRS's `next`
    /// states for the card: what only the other grades need (their intervals, their states) is not worked out.
    fn outcomes_of<const N: usize>(
        &self,
        next: NextStates,
        fuzz: f32,
        state: &CardState,
        at: Moment,
        grades: [Grade; N],
    ) -> [(CardState, Delay); N] {
        // Out of (re)learning: FSRS's interval, rounded, then fuzzed (Easy kept past Good's). Worked out only for
        // a card in steps, as the review intervals only for a review card.
        let graduate_good = || with_fuzz(fuzz, round(next.good.interval).max(1.0), 1);
        let graduate_easy = || {
            with_fuzz(
                fuzz,
                round(next.easy.interval).max(1.0),
                with_fuzz(fuzz, next.good.interval, 1) + 1,
            )
        };
        // Review intervals: Good's follows Hard's, Easy's Good's.
        let previous = scheduled_days(state);
        let hard_and_good = std::cell::OnceCell::new();
        let hard_and_good = || *hard_and_good.get_or_init(|| hard_and_good_days(fuzz, previous, &next));
        let memory = |grade: Grade| {
            let m = match grade {
                Grade::Again => &next.again.memory,
                Grade::Hard => &next.hard.memory,
                Grade::Good => &next.good.memory,
                Grade::Easy => &next.easy.memory,
            };
            Some(Memory {
                stability: m.stability,
                difficulty: m.difficulty,
            })
        };
        let after = |grade: Grade, phase: Phase, step: u32, delay: Delay, lapsed: bool| {
            let due = match delay {
                Delay::Step(d) => at.plus(d),
                Delay::Days(days) => at.start_of_days_after(days),
            };
            let state = CardState {
                phase,
                step,
                due: Some(due),
                memory: memory(grade),
                reps: state.reps.saturating_add(1),
                lapses: state.lapses.saturating_add(u32::from(lapsed)),
                last_review: Some(at),
            };
            (state, delay)
        };
        let in_steps = |phase: Phase, steps: &[SignedDuration], grade: Grade| {
            let step = if state.phase == phase {
                (state.step as usize).min(steps.len() - 1)
            } else {
                0
            };
            let s = step as u32;
            match grade {
                Grade::Again => after(Grade::Again, phase, 0, Delay::Step(steps[0]), false),
                Grade::Hard => after(Grade::Hard, phase, s, Delay::Step(hard_step(steps, step)), false),
                Grade::Good => match steps.get(step + 1) {
                    Some(&next_step) => after(Grade::Good, phase, s + 1, Delay::Step(next_step), false),
                    None => after(Grade::Good, Phase::Review, 0, Delay::Days(graduate_good()), false),
                },
                Grade::Easy => after(Grade::Easy, Phase::Review, 0, Delay::Days(graduate_easy()), false),
            }
        };
        grades.map(|grade| match state.phase {
            Phase::New | Phase::Learning => in_steps(Phase::Learning, &LEARNING_STEPS, grade),
            Phase::Relearning => in_steps(Phase::Relearning, &RELEARNING_STEPS, grade),
            Phase::Review => match grade {
                Grade::Again => after(
                    Grade::Again,
                    Phase::Relearning,
                    0,
                    Delay::Step(RELEARNING_STEPS[0]),
                    true,
                ),
                Grade::Hard => after(Grade::Hard, Phase::Review, 0, Delay::Days(hard_and_good().0), false),
                Grade::Good => after(Grade::Good, Phase::Review, 0, Delay::Days(hard_and_good().1), false),
                Grade::Easy => {
                    let easy = easy_days(fuzz, previous, &next, hard_and_good().1);
                    after(Grade::Easy, Phase::Review, 0, Delay::Days(easy), false)
                }
            },
        })
    }

    /// FSRS's next states; a memory FSRS refuses (a hand edit gone wrong) starts over as new.
    fn next_states(&self, memory: Option<Memory>, elapsed: u32) -> NextStates {
        let memory = memory.map(|m| MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        });
        self.fsrs
            .next_states(memory, self.retention, elapsed)
            .or_else(|_| self.fsrs.next_states(None, self.retention, 0))
            .expect("FSRS gives states for a new card with valid parameters")
    }

    /// [`Scheduler::next_states`] with the forecast's step: the same states to the bit.
    fn forecast_next_states(&self, memory: Option<Memory>, elapsed: u32) -> NextStates {
        let memory = memory.map(|m| MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        });
        self.forecast
            .next_states(memory, elapsed)
            .or_else(|| self.forecast.next_states(None, 0))
            .expect("FSRS gives states for a new card with valid parameters")
    }
}

/// Whole days from the card's last answer to `at`, as FSRS counts them for an answer at `at` (0 for a new card).
fn elapsed_days(state: &CardState, at: Moment) -> u32 {
    state.last_review.map_or(0, |last| at.days_since(last).max(0)) as u32
}

/// What the fuzz of a card's answers is drawn from besides the day: the stable hash of its id. Worked out once, it
/// serves every answer a forecast follows the card through (hashing a long id a byte at a time is not free).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FuzzSeed(u64);

impl FuzzSeed {
    /// The seed of card `id`.
    pub fn of(id: &CardId) -> Self {
        FuzzSeed(stable_hash(id.as_str().as_bytes()))
    }

    /// The id's stable hash ([`stable_hash`]).
    pub fn hash(self) -> u64 {
        self.0
    }
}

/// For the forecast: a card's fuzz seed, with the fuzz of the last day it was drawn for (a forecast answers a card
/// again and again on one day, in its steps, and drawing the fuzz takes a calendar date and a generator seeded).
#[derive(Debug)]
pub struct ForecastFuzz {
    seed: FuzzSeed,
    last: std::cell::Cell<Option<(i32, f32)>>,
}

impl ForecastFuzz {
    /// The fuzz of the card of `seed`, none drawn yet.
    pub fn new(seed: FuzzSeed) -> Self {
        ForecastFuzz {
            seed,
            last: std::cell::Cell::new(None),
        }
    }

    /// The card's seed.
    pub fn seed(&self) -> FuzzSeed {
        self.seed
    }

    /// [`fuzz_factor`] of the card at `at`: drawn from the card and the day alone, so the same for every answer on
    /// one day (a day is told by its number, as [`Moment::day`] numbers it).
    fn at(&self, at: Moment) -> f32 {
        let Some(day) = at.day_number_at(at.offset()) else {
            return fuzz_factor(self.seed, at);
        };
        match self.last.get() {
            Some((last, fuzz)) if last == day => fuzz,
            _ => {
                let fuzz = fuzz_factor(self.seed, at);
                self.last.set(Some((day, fuzz)));
                fuzz
            }
        }
    }
}

/// The fuzz of an answer to the card of `seed` at `at`, in `[0, 1)`: where in the fuzz range its interval falls
/// (Anki's fuzz factor). Drawn from a seed of the card and the day, so a replay of the log, or a second answer the
/// same day from the same state, gives the same day.
fn fuzz_factor(seed: FuzzSeed, at: Moment) -> f32 {
    let day = at.day();
    let day = i64::from(day.year()) * 400 + i64::from(day.day_of_year());
    let seed = seed.0 ^ (day as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    Xoshiro256PlusPlus::seed_from_u64(seed).random_range(0.0..1.0)
}

/// The interval a review card was last given, in days (its due day less the day of its last answer); 0 for
/// others.
fn scheduled_days(state: &CardState) -> i32 {
    match (state.phase, state.due, state.last_review) {
        (Phase::Review, Some(due), Some(last)) => due.days_since(last).max(0),
        _ => 0,
    }
}

/// Hard, Good and Easy review intervals in days, as Anki's FSRS review does (see [`hard_and_good_days`] and
/// [`easy_days`]).
#[cfg(test)]
fn review_days(fuzz: f32, previous: i32, next: &NextStates) -> [i32; 3] {
    let (hard, good) = hard_and_good_days(fuzz, previous, next);
    [hard, good, easy_days(fuzz, previous, next, good)]
}

/// The Hard and Good review intervals in days, as Anki's FSRS review does: each at least the one before plus one
/// (Hard at least one), none falling back to or below the last interval (`previous`) when FSRS's own is longer,
/// then fuzzed within those bounds and [`MAX_INTERVAL_DAYS`].
fn hard_and_good_days(fuzz: f32, previous: i32, next: &NextStates) -> (i32, i32) {
    let floor = |interval: f32| minimum_review_interval(interval, previous);
    let hard = with_fuzz(fuzz, next.hard.interval, floor(next.hard.interval).max(1));
    let good = with_fuzz(fuzz, next.good.interval, floor(next.good.interval).max(hard + 1));
    (hard, good)
}

/// The Easy review interval in days, past Good's (`good`), worked out as [`hard_and_good_days`] works out theirs.
fn easy_days(fuzz: f32, previous: i32, next: &NextStates, good: i32) -> i32 {
    let floor = minimum_review_interval(next.easy.interval, previous);
    with_fuzz(fuzz, next.easy.interval, floor.max(good + 1))
}

/// The least a review interval may be so the fuzz does not take it back: a day more than `previous` when FSRS's
/// interval (rounded) is longer; `previous` itself when that is within reach of the fuzz; else nothing (the
/// interval shrank, after new parameters or a new retention).
fn minimum_review_interval(interval: f32, previous: i32) -> i32 {
    if round(interval) as i32 > previous {
        // The usual case: the fuzz range is not needed.
        previous + 1
    } else if previous <= fuzz_bounds(interval, 1).1 {
        previous
    } else {
        0
    }
}

/// `interval` fuzzed at `fuzz` (in `[0, 1)`) within Anki's range for it, at least `minimum`, at most
/// [`MAX_INTERVAL_DAYS`].
fn with_fuzz(fuzz: f32, interval: f32, minimum: i32) -> i32 {
    let (lower, upper) = fuzz_bounds(interval, minimum);
    (floor(lower as f32 + fuzz * (1 + upper - lower) as f32) as i32).min(upper)
}

/// Anki's fuzz range for `interval`, kept within `minimum` and [`MAX_INTERVAL_DAYS`]: the bounds first, then the
/// range around the bounded interval, then a range that collapsed to one day widened by a day where it can be.
fn fuzz_bounds(interval: f32, minimum: i32) -> (i32, i32) {
    let maximum = MAX_INTERVAL_DAYS;
    let minimum = minimum.clamp(1, maximum);
    let interval = interval.clamp(minimum as f32, maximum as f32);
    let (lower, upper) = fuzz_range(interval);
    let (lower, upper) = (lower.clamp(minimum, maximum), upper.clamp(minimum, maximum));
    if upper == lower && upper > 2 && upper < maximum {
        (lower, upper + 1)
    } else {
        (lower, upper)
    }
}

/// From this magnitude up every `f32` is a whole number: 2^23.
const WHOLE_F32: f32 = 8_388_608.0;

/// `x.round()`, half away from zero, to the bit (the sign of a zero included), worked out inline: on x86-64 the
/// standard one is a call, and an answer's intervals take some twenty.
fn round(x: f32) -> f32 {
    // NaN and the infinities are their own rounding, as is every number from 2^23 up.
    if x.is_nan() || x.abs() >= WHOLE_F32 {
        return x;
    }
    // Toward zero, exactly; the fraction left is exact too.
    let whole = (x as i32) as f32;
    let rounded = if (x - whole).abs() >= 0.5 {
        whole + x.signum()
    } else {
        whole
    };
    rounded.copysign(x)
}

/// `x.floor()` to the bit, worked out inline (see [`round`]).
fn floor(x: f32) -> f32 {
    if x.is_nan() || x.abs() >= WHOLE_F32 {
        return x;
    }
    let whole = (x as i32) as f32;
    let floored = if whole > x { whole - 1.0 } else { whole };
    floored.copysign(x)
}

/// Hard on a step: the mean of the first two steps on the first step, 1.5× a lone step (at most a day more),
/// else the current step again (as Anki does).
fn hard_step(steps: &[SignedDuration], step: usize) -> SignedDuration {
    match (step, steps) {
        (0, [first, second, ..]) => (*first + *second) / 2,
        (0, [only]) => only.mul_f64(1.5).min(*only + SignedDuration::from_hours(24)),
        _ => steps[step],
    }
}

/// Anki's fuzz range: none under 2.5 days, then ±(1 + 15% of the days in 2.5–7 + 10% of 7–20 + 5% above 20),
/// rounded to whole days.
fn fuzz_range(interval: f32) -> (i32, i32) {
    let delta = if interval < 2.5 {
        0.0
    } else {
        let part = |start: f32, end: f32, factor: f32| factor * (interval.min(end) - start).max(0.0);
        1.0 + part(2.5, 7.0, 0.15) + part(7.0, 20.0, 0.10) + part(20.0, f32::MAX, 0.05)
    };
    (round(interval - delta) as i32, round(interval + delta) as i32)
}

mod forecast;
#[cfg(test)]
mod tests;
