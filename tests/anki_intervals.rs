//! amgi's intervals checked against Anki's FSRS scheduler rules (`rslib/src/scheduler/states/` and `fuzz.rs`),
//! written again here from those rules, independently of amgi's code: the range of days Anki could give for each
//! answer, whatever its fuzz draws. A simulation of 240 cards over 90 days, with random grades and answers early,
//! on time and late, must give no interval outside it.
//!
//! FSRS's own intervals and memory come from the `fsrs` crate directly, as Anki gets them.

use amgi::CardId;
use amgi::schedule::{CardState, Delay, Grade, Phase, Scheduler};
use amgi::time::Moment;
use fsrs::{FSRS, MemoryState, NextStates};
use jiff::SignedDuration;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

const RETENTION: f32 = 0.9;
const LONGEST: u32 = 36_500;
const CARDS: usize = 240;
const DAYS: i64 = 90;

/// How far Anki's fuzz reaches around `interval` days (none under 2.5 days).
fn spread(interval: f32) -> f32 {
    if interval < 2.5 {
        return 0.0;
    }
    let mut delta = 1.0;
    for (from, to, share) in [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f32::MAX, 0.05)] {
        if interval > from {
            delta += share * (interval.min(to) - from);
        }
    }
    delta
}

/// The days Anki may give for `interval` when it must be at least `least`: the interval is first held within
/// the bounds, the fuzz range taken around it and held within them too, and a one-day range widened by a day
/// when there is room.
fn anki_days(interval: f32, least: u32) -> RangeInclusive<u32> {
    let least = least.clamp(1, LONGEST);
    let held = interval.clamp(least as f32, LONGEST as f32);
    let delta = spread(held);
    let low = ((held - delta).round() as u32).clamp(least, LONGEST);
    let high = ((held + delta).round() as u32).clamp(least, LONGEST);
    if low == high && high > 2 && high < LONGEST {
        low..=high + 1
    } else {
        low..=high
    }
}

/// Anki's floor for a review interval: a day past the last one when FSRS's interval has grown past it, the last
/// one when the fuzz could reach it, else none.
fn not_back(interval: f32, last: u32) -> u32 {
    let reach = *anki_days(interval, 1).end();
    if interval.round() as u32 > last {
        last + 1
    } else if last <= reach {
        last
    } else {
        0
    }
}

/// What Anki may do with one answer: a step of minutes, or a range of days.
#[derive(Debug, Clone, PartialEq)]
enum Allowed {
    Minutes(i64),
    Days(RangeInclusive<u32>),
}

fn minutes(m: i64) -> Allowed {
    Allowed::Minutes(m)
}

/// Anki's outcome for `grade` on a card in `phase` at learning `step`, with FSRS's `next` states and `last` the
/// days of its last review interval; `earlier` holds the days already given to the grades below it in this
/// answer (Hard's for Good, Good's for Easy), as Anki chains them.
fn anki(phase: Phase, step: u32, last: u32, next: &NextStates, grade: Grade, earlier: Option<u32>) -> Allowed {
    let graduate_good = || Allowed::Days(anki_days(next.good.interval.round().max(1.0), 1));
    // Easy out of steps: at least a day past where Good's own interval may fall.
    let graduate_easy = || {
        let goods = anki_days(next.good.interval, 1);
        let easy = next.easy.interval.round().max(1.0);
        let low = *anki_days(easy, goods.start() + 1).start();
        let high = *anki_days(easy, goods.end() + 1).end();
        Allowed::Days(low..=high)
    };
    match (phase, grade) {
        (Phase::New | Phase::Learning, Grade::Again) => minutes(1),
        (Phase::New | Phase::Learning, Grade::Hard) => minutes(if step == 0 { 5 } else { 10 }),
        (Phase::New | Phase::Learning, Grade::Good) if step == 0 => minutes(10),
        (Phase::New | Phase::Learning | Phase::Relearning, Grade::Good) => graduate_good(),
        (Phase::New | Phase::Learning | Phase::Relearning, Grade::Easy) => graduate_easy(),
        (Phase::Relearning, Grade::Again) => minutes(10),
        (Phase::Relearning, Grade::Hard) => minutes(15),
        (Phase::Review, Grade::Again) => minutes(10),
        (Phase::Review, _) => {
            let interval = match grade {
                Grade::Hard => next.hard.interval,
                Grade::Good => next.good.interval,
                _ => next.easy.interval,
            };
            let chained = earlier.map_or(1, |days| days + 1);
            Allowed::Days(anki_days(interval, not_back(interval, last).max(chained)))
        }
    }
}

/// What amgi did: the minutes or days until the card is due again.
fn amgi_did(after: &CardState, at: Moment) -> Allowed {
    let due = after.due.expect("due after an answer");
    if after.phase == Phase::Review {
        Allowed::Days(due.days_since(at) as u32..=due.days_since(at) as u32)
    } else {
        // Whole minutes, the way the steps are set (5.5 minutes shows as 5 here, as `minutes(5)` above).
        Allowed::Minutes(due.timestamp().duration_since(at.timestamp()).as_secs() / 60)
    }
}

fn within(allowed: &Allowed, did: &Allowed) -> bool {
    match (allowed, did) {
        (Allowed::Minutes(a), Allowed::Minutes(d)) => a == d,
        (Allowed::Days(range), Allowed::Days(d)) => range.contains(d.start()),
        _ => false,
    }
}

/// The interval a review card was last given, in days.
fn last_interval(state: &CardState) -> u32 {
    match (state.phase, state.due, state.last_review) {
        (Phase::Review, Some(due), Some(last)) => due.days_since(last).max(0) as u32,
        _ => 0,
    }
}

#[derive(Default, Debug)]
struct Tally {
    answers: usize,
    outside: BTreeMap<&'static str, (usize, usize)>,
    examples: Vec<String>,
}

impl Tally {
    fn count(&mut self, kind: &'static str, ok: bool, example: impl FnOnce() -> String) {
        self.answers += 1;
        let entry = self.outside.entry(kind).or_default();
        entry.1 += 1;
        if !ok {
            entry.0 += 1;
            if self.examples.len() < 12 {
                self.examples.push(example());
            }
        }
    }

    fn total_outside(&self) -> usize {
        self.outside.values().map(|(out, _)| out).sum()
    }
}

fn kind(phase: Phase, grade: Grade, after: &CardState) -> &'static str {
    match (phase, grade, after.phase) {
        (Phase::Review, Grade::Hard, _) => "review hard",
        (Phase::Review, Grade::Good, _) => "review good",
        (Phase::Review, Grade::Easy, _) => "review easy",
        (Phase::Review, Grade::Again, _) => "lapse",
        (Phase::Relearning, _, Phase::Review) => "relearning graduation",
        (_, _, Phase::Review) => "graduation",
        _ => "step",
    }
}

#[test]
fn every_interval_over_240_cards_and_90_days_is_one_anki_could_give() {
    let scheduler = Scheduler::new(RETENTION, None).expect("default scheduler");
    let fsrs = FSRS::new(&[]).expect("default FSRS");
    let start: Moment = "2026-09-01T20:00:00+09:00".parse().expect("a moment");
    let end = start.plus(SignedDuration::from_hours(24 * DAYS));
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20261201);
    let ids: Vec<CardId> = (0..CARDS)
        .map(|i| CardId::new("sim", &[format!("part {}", i % 12)], &format!("question {i}")))
        .collect();
    let mut states = vec![CardState::default(); CARDS];
    // When each card is next answered: new cards come in over the first weeks, 8 a day.
    let mut next: Vec<Moment> = (0..CARDS)
        .map(|i| start.plus(SignedDuration::from_mins(24 * 60 * (i / 8) as i64 + (i % 8) as i64 * 3)))
        .collect();
    let mut tally = Tally::default();
    loop {
        let (i, &at) = next.iter().enumerate().min_by_key(|(_, at)| **at).expect("cards");
        if at > end {
            break;
        }
        let before = states[i].clone();
        let grade = match rng.random_range(0..100) {
            0..15 => Grade::Again,
            15..30 => Grade::Hard,
            30..85 => Grade::Good,
            _ => Grade::Easy,
        };
        let elapsed = before.last_review.map_or(0, |last| at.days_since(last).max(0)) as u32;
        let memory = before.memory.map(|m| MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        });
        let next_states = fsrs.next_states(memory, RETENTION, elapsed).expect("FSRS states");
        let preview = scheduler.preview(&ids[i], &before, at);
        let days_of = |delay: Delay| match delay {
            Delay::Days(days) => Some(days as u32),
            Delay::Step(_) => None,
        };
        let earlier = match grade {
            Grade::Good => days_of(preview[1]),
            Grade::Easy => days_of(preview[2]),
            _ => None,
        };
        let after = scheduler.review(&ids[i], &before, grade, at);
        let allowed = anki(
            before.phase,
            before.step,
            last_interval(&before),
            &next_states,
            grade,
            earlier,
        );
        let did = amgi_did(&after, at);
        tally.count(kind(before.phase, grade, &after), within(&allowed, &did), || {
            format!(
                "{} {:?} step {} last {}d, FSRS {:.2}/{:.2}/{:.2}, {grade:?}: Anki {allowed:?}, amgi {did:?}",
                ids[i],
                before.phase,
                before.step,
                last_interval(&before),
                next_states.hard.interval,
                next_states.good.interval,
                next_states.easy.interval
            )
        });
        states[i] = after.clone();
        // The next answer: on time for steps; for reviews early (up to 3 days), on time or late (up to 5).
        let due = after.due.expect("due");
        next[i] = if after.phase == Phase::Review {
            let shift = rng.random_range(-3..=5_i64);
            let hours = rng.random_range(0..16_i64);
            let day = due.plus(SignedDuration::from_hours(24 * shift + hours));
            day.max(at.plus(SignedDuration::from_mins(30)))
        } else {
            due.plus(SignedDuration::from_mins(rng.random_range(0..5)))
        };
    }
    eprintln!(
        "{} answers; outside Anki's range by kind (outside/all): {:?}",
        tally.answers, tally.outside
    );
    assert!(tally.answers > 2_000, "a long enough simulation: {}", tally.answers);
    for kind in [
        "graduation",
        "review hard",
        "review good",
        "review easy",
        "relearning graduation",
    ] {
        assert!(
            tally.outside.get(kind).is_some_and(|(_, all)| *all > 20),
            "{kind}: {:?}",
            tally.outside
        );
    }
    assert_eq!(tally.total_outside(), 0, "{:#?}", tally.examples);
}

#[test]
fn the_rules_written_here_match_anki_on_its_own_examples() {
    // Anki's fuzz examples: (interval, least) → (lowest, highest).
    for (interval, least, low, high) in [
        (1.0, 1, 1, 1),
        (2.49, 1, 2, 2),
        (2.5, 1, 2, 4),
        (7.0, 1, 5, 9),
        (17.0, 1, 14, 20),
        (37.0, 1, 33, 41),
        (2.0, 3, 3, 4),
        (100.0, 101, 101, 108),
    ] {
        assert_eq!(anki_days(interval, least), low..=high, "{interval} at least {least}");
    }
    assert_eq!(not_back(2.7269483, 4), 4);
    assert_eq!(not_back(2.7269483, 5), 0);
    assert_eq!(not_back(4.591988, 4), 5);
}
