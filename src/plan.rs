//! Interview-date mode: what a drill asks before the interview day, and how much will be recalled on it.
//!
//! A plan does not rewrite the schedule in progress.yaml: it changes when a drill takes a review card to be due
//! ([`Plan::due`]), so that replaying reviews.yaml still gives progress.yaml back, and clearing the plan (or the
//! interview passing) leaves FSRS's own schedule as it was. Pure: cards, progress and a moment in; figures out.

use crate::card::{Card, CardId, stable_hash};
use crate::schedule::{CardState, Delay, ForecastFuzz, FuzzSeed, Grade, Phase, Scheduler};
use crate::store::{LogLine, Mode, Progress, Review, Settings};
use crate::time::{Moment, day_number};
use jiff::SignedDuration;
use jiff::civil::Date;
use std::borrow::Borrow;
#[cfg(test)]
use std::collections::BTreeMap;

/// How far ahead an interview may be planned for, in days: further than a year, a plan is only the FSRS schedule.
pub const MAX_PLAN_DAYS: i32 = 366;

/// An interview day and the day the plan for it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// The interview day.
    pub interview: Date,
    /// The day the plan was made: weak cards are spread over the days from it to the eve of the interview.
    pub planned_on: Date,
}

impl Plan {
    /// The plan kept in `settings`, if there is one.
    pub fn from_settings(settings: &Settings) -> Option<Plan> {
        let interview = settings.interview?;
        let planned_on = settings.planned_on.unwrap_or(interview).min(interview);
        Some(Plan { interview, planned_on })
    }

    /// The day before the interview: the last day the plan asks reviews on.
    pub fn eve(&self) -> Date {
        self.interview.yesterday().unwrap_or(self.interview)
    }

    /// Whether the plan still moves reviews on `today` (it does until the eve, included).
    pub fn is_running(&self, today: Date) -> bool {
        today < self.interview
    }

    /// Whether `today` is the eve or the day of the interview, when a final pass is offered.
    pub fn is_final_days(&self, today: Date) -> bool {
        today == self.eve() || today == self.interview
    }

    /// Days a drill can still be done on before the interview, `today` included.
    pub fn days_left(&self, today: Date) -> i32 {
        (self.interview - today).get_days().max(0)
    }

    /// `delay`, an answer's at `at`, as the plan shortens it: a review interval that would end after the eve ends
    /// on the eve while the plan runs (answers on the eve itself are not shortened).
    pub fn capped(&self, delay: Delay, at: Moment) -> Delay {
        let today = at.day();
        let to_eve = (self.eve() - today).get_days();
        match delay {
            Delay::Days(days) if self.is_running(today) && to_eve > 0 && days > to_eve => Delay::Days(to_eve),
            other => other,
        }
    }

    /// When a drill at `now` takes the card to be due, `None` while it is new.
    ///
    /// While the plan runs, a review card FSRS would bring back after the eve of the interview is due instead:
    /// - on the eve, when it was last answered under the plan (its interval is capped so it is seen again before
    ///   the interview);
    /// - on a day between the plan's first day and the eve, chosen from its id so the cards spread evenly and the
    ///   day never moves, when it was scheduled before the plan and its recall probability on the interview day
    ///   would fall under the target retention (brought forward);
    /// - as FSRS scheduled it otherwise.
    ///
    /// Cards in learning steps, and every card once the plan has run out, keep FSRS's due.
    pub fn due(&self, id: &CardId, state: &CardState, scheduler: &Scheduler, now: Moment) -> Option<Moment> {
        let recall = |state: &CardState, at: Moment| scheduler.retrievability(state, at);
        self.due_hashed(
            || stable_hash(id.as_str().as_bytes()),
            state,
            scheduler,
            recall,
            now,
            None,
        )
    }

    /// [`Plan::due`] of the card whose id's [`stable_hash`] `hash` gives, asked only when the card is brought
    /// forward, with its recall worked out by `recall` (the scheduler's); `starts`, when given, holds the starts
    /// of the interview day and its eve at some offset, taken for `now`'s when it is at the same one. Days are
    /// compared as numbers ([`day_number`]), which they order as dates.
    fn due_hashed(
        &self,
        hash: impl FnOnce() -> u64,
        state: &CardState,
        scheduler: &Scheduler,
        recall: impl FnOnce(&CardState, Moment) -> Option<f32>,
        now: Moment,
        starts: Option<&DayStarts>,
    ) -> Option<Moment> {
        let due = state.due?;
        if state.phase != Phase::Review {
            return Some(due);
        }
        let eve = self.eve();
        let numbers = starts.map_or_else(|| DayNumbers::of(self), |starts| starts.numbers);
        let starts = starts.filter(|starts| starts.offset == now.offset());
        let interview_start = starts.map_or_else(|| now.start_of(self.interview), |starts| starts.interview);
        let running = now.day_number() < numbers.interview;
        if !running || due < interview_start {
            return Some(due);
        }
        let last_day = state.last_review.map(Moment::day_number);
        if last_day.is_some_and(|day| day >= numbers.planned_on) {
            return Some(if last_day < Some(numbers.eve) {
                starts.map_or_else(|| now.start_of(eve), |starts| starts.eve)
            } else {
                due
            });
        }
        let recall = recall(state, interview_start).unwrap_or(0.0);
        if recall >= scheduler.retention() {
            return Some(due);
        }
        let span = (eve - self.planned_on).get_days().max(0) + 1;
        let slot = hash() % span as u64;
        let day = self.planned_on.saturating_add(jiff::Span::new().days(slot as i64));
        Some(now.start_of(day))
    }
}

/// When the interview day and its eve start at one offset, for [`Plan::due_hashed`] to take instead of working
/// them out for each answer of a forecast.
#[derive(Debug, Clone, Copy)]
struct DayStarts {
    offset: jiff::tz::Offset,
    interview: Moment,
    eve: Moment,
    /// The plan's days as numbers, whatever the offset.
    numbers: DayNumbers,
}

impl DayStarts {
    /// The starts at the offset of `now`, when they depend on nothing else: a start worked out with the calendar
    /// beyond jiff's last moment (or before its first) is clamped to it from `now`'s side, and is not kept.
    fn of(plan: &Plan, now: Moment) -> Option<DayStarts> {
        let (interview, eve) = (now.start_of(plan.interview), now.start_of(plan.eve()));
        let clamped = |m: Moment| m.timestamp() == jiff::Timestamp::MAX || m.timestamp() == jiff::Timestamp::MIN;
        (!clamped(interview) && !clamped(eve)).then_some(DayStarts {
            offset: now.offset(),
            interview,
            eve,
            numbers: DayNumbers::of(plan),
        })
    }
}

/// The interview day, the day the plan was made and the eve as [`day_number`]s.
#[derive(Debug, Clone, Copy)]
struct DayNumbers {
    interview: i64,
    planned_on: i64,
    eve: i64,
}

impl DayNumbers {
    fn of(plan: &Plan) -> DayNumbers {
        DayNumbers {
            interview: day_number(plan.interview),
            planned_on: day_number(plan.planned_on),
            eve: day_number(plan.eve()),
        }
    }
}

/// When a drill at `now` takes a card to be due: as `plan` has it when there is one ([`Plan::due`]), else when
/// FSRS scheduled it. `None` while the card is new.
pub fn due(plan: Option<&Plan>, id: &CardId, state: &CardState, scheduler: &Scheduler, now: Moment) -> Option<Moment> {
    match plan {
        Some(plan) => plan.due(id, state, scheduler, now),
        None => state.due,
    }
}

/// The expected recall of some cards on the interview day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Outlook {
    /// Cards counted.
    pub cards: usize,
    /// Expected share recalled if the plan is followed (0–1).
    pub with_plan: f64,
    /// Expected share recalled if the plan is followed and the final pass done on the eve too (0–1).
    pub with_final_pass: f64,
    /// Expected share recalled if nothing more is done (0–1).
    pub without: f64,
}

/// What `amgi plan` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Per topic, in the order of the notes.
    pub topics: Vec<(String, Outlook)>,
    /// Every card.
    pub overall: Outlook,
    /// Answers the plan asks each day from today to the eve, in order (learning steps included): the expected
    /// count, rounded.
    pub per_day: Vec<(Date, usize)>,
    /// Answers a final pass on the eve is expected to take (one a card, two for a card forgotten), rounded.
    pub final_pass_answers: usize,
}

impl Prediction {
    /// All the answers the plan asks.
    pub fn answers(&self) -> usize {
        self.per_day.iter().map(|(_, n)| n).sum()
    }
}

/// What a drill may add each day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCards {
    /// New cards a day (`--new`).
    pub per_day: usize,
    /// New cards already introduced today.
    pub seen_today: usize,
}

/// The recall of `cards` on the interview day, if the plan is followed (with and without a final pass on the eve)
/// and if nothing more is done, and the answers that takes.
///
/// Following the plan means answering every card on the day [`Plan::due`] gives (learning steps included) and
/// taking `new` new cards a day in note order, the daily review limit aside. Each answer is recalled (Good) with the
/// card's recall probability at that moment, else forgotten (Again) and answered again as its steps come due: the
/// figures are the expectation over both outcomes of every answer (outcomes less likely than [`PRUNE`] are taken
/// as recalled). A card's first answer, with no memory to weigh, is taken as Good. The final pass, on the eve's
/// evening (20:00), goes over each card whose recall at the interview would be under the target retention: one
/// answer, recalled with its recall probability then, else forgotten and answered again at once; a card never seen
/// is seen for the first time there (Again, then Good). Recall is taken at the start of the interview day; a card
/// never seen counts as not recalled.
pub fn predict(
    cards: &[impl Borrow<Card> + Sync],
    progress: &Progress,
    scheduler: &Scheduler,
    plan: &Plan,
    now: Moment,
    new: NewCards,
) -> Prediction {
    predict_on(cards, progress, scheduler, plan, now, new, WALKERS)
}

/// Threads the cards are followed on: each card's walk is its own, and their sums are taken in note order after.
const WALKERS: usize = 2;

/// Runs of cards a thread takes, about: enough for a thread that finishes early to take over work.
const RUNS_A_WALKER: usize = 8;

/// The fewest cards a run holds: fewer cards than this are followed on the calling thread alone.
const CARDS_A_RUN: usize = 256;

/// [`predict`] with the cards followed on up to `walkers` threads; the figures are the same to the bit whatever
/// their number (the sums are taken in the same order).
fn predict_on(
    cards: &[impl Borrow<Card> + Sync],
    progress: &Progress,
    scheduler: &Scheduler,
    plan: &Plan,
    now: Moment,
    new: NewCards,
    walkers: usize,
) -> Prediction {
    let today = now.day();
    let interview_start = now.start_of(plan.interview);
    // A hand-edited day decades away is followed, but counted day by day only as far as a plan may reach.
    let days = plan.days_left(today).min(MAX_PLAN_DAYS) as usize;
    let mut expected: Vec<(Date, f64)> = (0..days)
        .map(|i| (today.saturating_add(jiff::Span::new().days(i as i64)), 0.0))
        .collect();
    let day_numbers: Vec<i64> = expected.iter().map(|&(day, _)| day_number(day)).collect();
    let new_room_today = new.per_day.saturating_sub(new.seen_today);
    let pass_at = (days > 0).then(|| now.start_of(plan.eve()).plus(jiff::SignedDuration::from_hours(16)));
    // Each card's progress, and its recall if nothing more is done, looked up on the walkers (a long id is not
    // free to find among 10,000): `None` for a suspended card.
    let entries = Entries::new(progress, cards.len());
    let looked: Vec<Option<(Option<&CardState>, f64)>> = in_runs(cards, walkers, |part| {
        let looked: Vec<_> = part
            .iter()
            .map(|card| {
                let card: &Card = card.borrow();
                // One lookup for both.
                let entry = entries.get(&card.id);
                if entry.is_some_and(|e| e.suspended) {
                    return None;
                }
                let seen = entry.map(|e| &e.state).filter(|s| s.phase != Phase::New);
                let without = seen
                    .and_then(|s| scheduler.forecast_retrievability(s, interview_start))
                    .map_or(0.0, f64::from);
                Some((seen, without))
            })
            .collect();
        looked
    })
    .into_iter()
    .flatten()
    .collect();
    // Where each card starts, in note order: new cards take their days from the daily limit one after another.
    let mut introduced = 0usize;
    let jobs: Vec<Job> = cards
        .iter()
        .zip(looked)
        .filter_map(|(card, looked)| {
            let (seen, without) = looked?;
            let start = match seen {
                Some(state) => Some((Some(state), now)),
                None => {
                    // New cards come in note order at `new.per_day` a day, today's room first.
                    let day = if introduced < new_room_today {
                        Some(0)
                    } else {
                        (introduced - new_room_today).checked_div(new.per_day).map(|d| d + 1)
                    };
                    introduced += 1;
                    day.filter(|&d| d < days).map(|d| {
                        let at = if d == 0 { now } else { now.start_of(expected[d].0) };
                        (None, at)
                    })
                }
            };
            Some(Job {
                card: card.borrow(),
                without,
                start,
            })
        })
        .collect();
    let starts = DayStarts::of(plan, now);
    // The index of the day `day` (a [`day_number`]) in `expected`: the days follow one another from today, but
    // near the end of the calendar saturated days repeat, and the first of them is the one.
    let day_index = |day: i64| -> Option<usize> {
        let first = *day_numbers.first()?;
        let direct = usize::try_from(day - first)
            .ok()
            .filter(|&i| day_numbers.get(i) == Some(&day));
        direct.or_else(|| day_numbers.iter().position(|&d| d == day))
    };
    let follow = |jobs: &[Job]| -> Walked {
        let mut walked = Walked {
            followed: Vec::with_capacity(jobs.len()),
            // About as many answers as cards, most of the time.
            answers: Vec::with_capacity(jobs.len() * 2),
            ends: Vec::with_capacity(jobs.len()),
        };
        for job in jobs {
            let walk = Walk {
                fuzz: ForecastFuzz::new(FuzzSeed::of(&job.card.id)),
                scheduler,
                plan,
                interview_start,
                starts,
                pass_at,
            };
            let followed = match &job.start {
                Some((state, at)) => walk.follow(state.cloned().unwrap_or_default(), *at, &mut |day, weight| {
                    if let Some(i) = day_index(day) {
                        walked.answers.push((i, weight));
                    }
                }),
                // Never seen before the interview: only the final pass would show it.
                None => walk.end(CardState::default(), now, 1.0, job.without),
            };
            walked.followed.push(followed);
            walked.ends.push(walked.answers.len());
        }
        walked
    };
    let walked: Vec<Walked> = in_runs(&jobs, walkers, follow);
    // The sums, in note order and each card's answers in the order it gave them, as one thread would take them.
    let mut topics: Vec<(String, Outlook)> = Vec::new();
    let mut overall = Outlook::default();
    let mut final_pass_answers = 0.0;
    let results = walked.iter().flat_map(|w| {
        w.followed.iter().zip(&w.ends).scan(0, move |from, (followed, &end)| {
            let answers = &w.answers[*from..end];
            *from = end;
            Some((followed, answers))
        })
    });
    for (job, (followed, answers)) in jobs.iter().zip(results) {
        for &(i, weight) in answers {
            expected[i].1 += weight;
        }
        final_pass_answers += followed.final_pass_answers;
        let outlook = match topics.iter_mut().find(|(t, _)| **t == *job.card.topic) {
            Some((_, outlook)) => outlook,
            None => {
                topics.push((job.card.topic.to_string(), Outlook::default()));
                &mut topics.last_mut().expect("just pushed").1
            }
        };
        for o in [outlook, &mut overall] {
            o.cards += 1;
            o.with_plan += followed.recall;
            o.with_final_pass += followed.with_final_pass;
            o.without += job.without;
        }
    }
    for o in topics.iter_mut().map(|(_, o)| o).chain([&mut overall]) {
        if o.cards > 0 {
            o.with_plan /= o.cards as f64;
            o.with_final_pass /= o.cards as f64;
            o.without /= o.cards as f64;
        }
    }
    Prediction {
        topics,
        overall,
        per_day: expected.into_iter().map(|(day, n)| (day, n.round() as usize)).collect(),
        final_pass_answers: final_pass_answers.round() as usize,
    }
}

/// The cards' progress, to be looked up by id.
///
/// progress.yaml keeps the cards ordered by id, and finding one there takes some twenty comparisons of long ids,
/// each a string elsewhere in memory: for a forecast of most of the cards, the entries are first put in a hash map
/// by id (one hash of each id, then one comparison a lookup).
enum Entries<'p> {
    Ordered(&'p std::collections::BTreeMap<CardId, crate::store::Entry>),
    Hashed(std::collections::HashMap<&'p str, &'p crate::store::Entry, foldhash::fast::FixedState>),
}

impl<'p> Entries<'p> {
    /// The entries of `progress`, for `wanted` lookups.
    fn new(progress: &'p Progress, wanted: usize) -> Entries<'p> {
        if wanted < progress.cards.len() / 4 {
            return Entries::Ordered(&progress.cards);
        }
        let mut map = std::collections::HashMap::with_capacity_and_hasher(progress.cards.len(), Default::default());
        map.extend(progress.cards.iter().map(|(id, entry)| (id.as_str(), entry)));
        Entries::Hashed(map)
    }

    /// The entry of card `id`, if it has one.
    fn get(&self, id: &CardId) -> Option<&'p crate::store::Entry> {
        match self {
            Entries::Ordered(cards) => cards.get(id),
            Entries::Hashed(map) => map.get(id.as_str()).copied(),
        }
    }
}

/// `work` done on the runs of `items` on up to `walkers` threads, its results in the order of the runs.
///
/// The items go in runs to whichever thread is free, so one slow run (of weak cards) does not hold the rest up;
/// the calling thread takes runs too.
fn in_runs<T: Sync, R: Send>(items: &[T], walkers: usize, work: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let run = items.len().div_ceil(walkers.max(1) * RUNS_A_WALKER).max(CARDS_A_RUN);
    let runs: Vec<&[T]> = items.chunks(run).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take_runs = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(part) = runs.get(i) else {
                return done;
            };
            done.push((i, work(part)));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..walkers.min(runs.len())).map(|_| scope.spawn(take_runs)).collect();
        let mut done = take_runs();
        for helper in helpers {
            done.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        done
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// One card to follow: where it starts (`None`: the plan never reaches it; a state of `None`: new) and its recall
/// if nothing more is done.
struct Job<'a> {
    card: &'a Card,
    without: f64,
    start: Option<(Option<&'a CardState>, Moment)>,
}

/// What following some cards gave, in their order.
struct Walked {
    /// Each card's outcome.
    followed: Vec<Followed>,
    /// The answers of all of them, one after another: the index of the day and how likely the answer is.
    answers: Vec<(usize, f64)>,
    /// Where each card's answers end in `answers`.
    ends: Vec<usize>,
}

/// Outcomes of an answer less likely than this are not followed on their own: the card is taken as recalled.
pub const PRUNE: f64 = 0.005;

/// Where following the plan leads one card, in expectation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Followed {
    /// The expected recall at the interview.
    recall: f64,
    /// The expected recall at the interview after a final pass on the eve as well.
    with_final_pass: f64,
    /// The expected answers of the final pass.
    final_pass_answers: f64,
}

/// One card followed through the plan.
struct Walk<'a> {
    /// The card's fuzz, from its id.
    fuzz: ForecastFuzz,
    scheduler: &'a Scheduler,
    plan: &'a Plan,
    interview_start: Moment,
    /// When the interview day and its eve start at the offset of the forecast's moment.
    starts: Option<DayStarts>,
    /// When the final pass is done, when there is a day left for it.
    pass_at: Option<Moment>,
}

impl Walk<'_> {
    fn recall(&self, state: &CardState, at: Moment) -> f64 {
        f64::from(self.scheduler.forecast_retrievability(state, at).unwrap_or(0.0))
    }

    /// The card in `state` at `from`, answered whenever the plan makes it due before the interview; `answered` is
    /// told the day of each answer (as [`day_number`] numbers it) with how likely it is to be given.
    fn follow(&self, state: CardState, from: Moment, answered: &mut impl FnMut(i64, f64)) -> Followed {
        let mut out = Followed::default();
        // A chain of answers ends on the eve at the latest, so this bound is never met by a sane state (it only
        // stops a hand-edited one from looping).
        let mut budget = 10_000;
        self.walk(state, from, 1.0, answered, &mut out, &mut budget);
        out
    }

    /// Adds to `out` what follows from `state` at `clock`, reached with probability `weight`.
    fn walk(
        &self,
        mut state: CardState,
        mut clock: Moment,
        mut weight: f64,
        answered: &mut impl FnMut(i64, f64),
        out: &mut Followed,
        budget: &mut u32,
    ) {
        while *budget > 0 {
            *budget -= 1;
            let due = if state.phase == Phase::New {
                Some(clock)
            } else {
                let recall = |state: &CardState, at: Moment| self.scheduler.forecast_retrievability(state, at);
                let starts = self.starts.as_ref();
                self.plan.due_hashed(
                    || self.fuzz.seed().hash(),
                    &state,
                    self.scheduler,
                    recall,
                    clock,
                    starts,
                )
            };
            let Some(due) = due.filter(|due| *due < self.interview_start) else {
                break;
            };
            let at = due.max(clock);
            answered(at.day_number(), weight);
            let recalled = if state.phase == Phase::New {
                1.0
            } else {
                self.recall(&state, at)
            };
            let forgotten = weight * (1.0 - recalled);
            let [lapsed, good] = self.scheduler.forecast_again_good(&self.fuzz, &state, at);
            if forgotten >= PRUNE {
                self.walk(lapsed, at, forgotten, answered, out, budget);
                weight -= forgotten;
            }
            state = good;
            clock = at;
        }
        let end = self.end(state, clock, weight, 0.0);
        out.recall += end.recall;
        out.with_final_pass += end.with_final_pass;
        out.final_pass_answers += end.final_pass_answers;
    }

    /// What a path that ends in `state` at `clock`, with probability `weight`, gives at the interview, and after a
    /// final pass; `floor` is the recall of a card the plan never reaches.
    fn end(&self, state: CardState, clock: Moment, weight: f64, floor: f64) -> Followed {
        let seen = state.phase != Phase::New;
        let recall = if seen {
            self.recall(&state, self.interview_start)
        } else {
            floor
        };
        let mut out = Followed {
            recall: weight * recall,
            with_final_pass: weight * recall,
            final_pass_answers: 0.0,
        };
        let Some(pass_at) = self.pass_at.filter(|_| recall < f64::from(self.scheduler.retention())) else {
            return out;
        };
        let at = pass_at.max(clock);
        // One answer now, Again and Good both worked out from it.
        let [lapsed, good] = self.scheduler.forecast_again_good(&self.fuzz, &state, at);
        let relearnt =
            self.scheduler
                .forecast_review(&self.fuzz, &lapsed, Grade::Good, at.plus(SignedDuration::from_mins(1)));
        let again = self.recall(&relearnt, self.interview_start);
        let (answers, after) = if seen {
            let p = self.recall(&state, at);
            (
                1.0 + (1.0 - p),
                p * self.recall(&good, self.interview_start) + (1.0 - p) * again,
            )
        } else {
            (2.0, again)
        };
        out.with_final_pass = weight * after;
        out.final_pass_answers = weight * answers;
        out
    }
}

/// Answers quicker than this were not said out loud (a script, a key held down) and do not count as timed.
const QUICKEST_ANSWER_MS: u64 = 500;

/// The user's own seconds per answer: the median time of the timed drill answers in `lines`, with how many were
/// timed; `None` when none were.
pub fn seconds_per_answer(lines: &[LogLine]) -> Option<(f64, usize)> {
    // The effective reviews (see `history::effective`): each undo takes back the latest answer of its card at the
    // moment it names that no undo took back yet. Worked out over the review lines alone, rather than over the
    // steps of the whole log gathered first (100,000 of them took some 10M instructions and 4 MB).
    let mut reviews: Vec<&Review> = Vec::with_capacity(lines.len());
    let mut undone: Vec<bool> = Vec::new();
    for line in lines {
        match line {
            LogLine::Review(review) => reviews.push(review),
            LogLine::Undo { card, undoes, .. } => {
                let taken = |i: usize| undone.get(i).copied().unwrap_or(false);
                let found = reviews
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|&(i, r)| !taken(i) && r.card == *card && r.at == *undoes);
                if let Some((i, _)) = found {
                    if undone.len() <= i {
                        undone.resize(reviews.len(), false);
                    }
                    undone[i] = true;
                }
            }
            _ => {}
        }
    }
    let mut ms: Vec<u64> = reviews
        .iter()
        .enumerate()
        .filter(|&(i, r)| {
            !undone.get(i).copied().unwrap_or(false) && r.mode == Mode::Drill && r.ms >= QUICKEST_ANSWER_MS
        })
        .map(|(_, r)| r.ms)
        .collect();
    if ms.is_empty() {
        return None;
    }
    let middle = ms.len() / 2;
    let (_, median, _) = ms.select_nth_unstable(middle);
    Some((*median as f64 / 1000.0, ms.len()))
}

/// The cards a final pass goes over at `now`: every card whose recall probability at the interview (or now, on
/// the day itself) is under the target retention, seen cards weakest first, then cards never seen in note order;
/// suspended cards aside.
pub fn final_pass(
    cards: &[impl Borrow<Card>],
    progress: &Progress,
    scheduler: &Scheduler,
    plan: &Plan,
    now: Moment,
) -> Vec<usize> {
    let at = now.max(now.start_of(plan.interview));
    let mut seen: Vec<(f32, usize)> = Vec::new();
    let mut unseen = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        let card: &Card = card.borrow();
        if crate::queue::is_suspended(progress, card) {
            continue;
        }
        match progress.cards.get(&card.id).map(|e| &e.state) {
            Some(state) if state.phase != Phase::New => {
                let recall = scheduler.retrievability(state, at).unwrap_or(0.0);
                if recall < scheduler.retention() {
                    seen.push((recall, i));
                }
            }
            _ => unseen.push(i),
        }
    }
    seen.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    seen.into_iter().map(|(_, i)| i).chain(unseen).collect()
}

/// Answers per day of `per_day` over its days, and the busiest day.
pub fn load(per_day: &[(Date, usize)]) -> (f64, Option<(Date, usize)>) {
    let total: usize = per_day.iter().map(|(_, n)| n).sum();
    let mean = if per_day.is_empty() {
        0.0
    } else {
        total as f64 / per_day.len() as f64
    };
    let busiest = per_day.iter().copied().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    (mean, busiest)
}

pub mod print;
#[cfg(test)]
mod tests;
