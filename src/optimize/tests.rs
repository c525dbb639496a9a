use super::*;
use crate::schedule::{DEFAULT_RETENTION, Grade, Phase, Scheduler};
use crate::store::{Mode, Progress};
use crate::time::Moment;
use fsrs::{DEFAULT_PARAMETERS, MemoryState};
use jiff::{SignedDuration, Span};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

fn id(question: &str) -> CardId {
    CardId::new("network", &[], question)
}

fn answer(card: &str, when: &str, grade: u8) -> LogLine {
    LogLine::Review(Review {
        card: id(card),
        at: at(when),
        grade: Grade::from_number(grade).unwrap(),
        mode: Mode::Drill,
        ms: 3000,
        rescheduled: false,
    })
}

/// (rating, delta_t) pairs of an item.
fn pairs(item: &FSRSItem) -> Vec<(u32, u32)> {
    item.reviews.iter().map(|r| (r.rating, r.delta_t)).collect()
}

#[test]
fn one_item_per_answer_on_a_later_day_with_same_day_answers_kept_in_its_history() {
    let lines = [
        answer("TCP", "2026-11-01T21:00:00+09:00", 1),
        answer("TCP", "2026-11-01T21:01:00+09:00", 3),
        answer("TCP", "2026-11-01T21:11:00+09:00", 3),
        answer("TCP", "2026-11-04T20:00:00+09:00", 3),
        // Again, then its relearning step the same evening.
        answer("TCP", "2026-11-12T20:00:00+09:00", 1),
        answer("TCP", "2026-11-12T20:10:00+09:00", 3),
        answer("TCP", "2026-11-14T20:00:00+09:00", 4),
    ];
    let history = history(&lines);
    assert_eq!((history.reviews, history.cards), (7, 1));
    let items: Vec<_> = history.items.iter().map(pairs).collect();
    assert_eq!(
        items,
        [
            vec![(1, 0), (3, 0), (3, 0), (3, 3)],
            vec![(1, 0), (3, 0), (3, 0), (3, 3), (1, 8)],
            vec![(1, 0), (3, 0), (3, 0), (3, 3), (1, 8), (3, 0), (4, 2)],
        ]
    );
    assert_eq!(history.card_ids, [0, 0, 0]);
}

#[test]
fn days_turn_at_four_in_the_morning_where_the_answer_was_given() {
    let lines = [
        answer("late", "2026-11-01T23:00:00+09:00", 3),
        // 03:59 the next morning is still the same amgi day; 04:00 is the next.
        answer("late", "2026-11-02T03:59:00+09:00", 3),
        answer("late", "2026-11-02T04:00:00+09:00", 3),
        // Answered in Berlin (+01:00) at 01:00 Seoul time: the same amgi day in Seoul, but counted where this
        // answer was given, as the scheduler counts it, the previous one (20:00 the day before in Berlin) was a
        // day earlier.
        answer("late", "2026-11-02T17:00:00+01:00", 3),
    ];
    let items: Vec<_> = history(&lines).items.iter().map(pairs).collect();
    assert_eq!(
        items,
        [vec![(3, 0), (3, 0), (3, 1)], vec![(3, 0), (3, 0), (3, 1), (3, 1)]]
    );
}

#[test]
fn cram_answers_count_only_when_they_moved_the_schedule() {
    let cram = |card: &str, when: &str, grade: u8, rescheduled: bool| {
        LogLine::Review(Review {
            card: id(card),
            at: at(when),
            grade: Grade::from_number(grade).unwrap(),
            mode: Mode::Cram,
            ms: 3000,
            rescheduled,
        })
    };
    let lines = [
        answer("TCP", "2026-11-01T21:00:00+09:00", 3),
        cram("TCP", "2026-11-02T21:00:00+09:00", 1, false),
        cram("TCP", "2026-11-03T21:00:00+09:00", 2, true),
        cram("UDP", "2026-11-03T21:00:00+09:00", 3, false),
    ];
    let history = history(&lines);
    assert_eq!((history.reviews, history.cards), (2, 1));
    let items: Vec<_> = history.items.iter().map(pairs).collect();
    assert_eq!(items, [vec![(3, 0), (2, 2)]]);
}

#[test]
fn undone_answers_are_left_out() {
    let lines = [
        answer("TCP", "2026-11-01T21:00:00+09:00", 3),
        answer("TCP", "2026-11-03T21:00:00+09:00", 1),
        LogLine::Undo {
            card: id("TCP"),
            at: at("2026-11-03T21:00:05+09:00"),
            undoes: at("2026-11-03T21:00:00+09:00"),
        },
        answer("TCP", "2026-11-03T21:00:06+09:00", 4),
    ];
    let items: Vec<_> = history(&lines).items.iter().map(pairs).collect();
    assert_eq!(items, [vec![(3, 0), (4, 2)]]);
}

#[test]
fn items_are_ordered_by_time_across_cards() {
    let lines = [
        answer("A", "2026-11-01T21:00:00+09:00", 3),
        answer("B", "2026-11-01T21:01:00+09:00", 3),
        answer("B", "2026-11-02T21:00:00+09:00", 3),
        answer("A", "2026-11-05T21:00:00+09:00", 3),
        answer("B", "2026-11-06T21:00:00+09:00", 1),
    ];
    let history = history(&lines);
    assert_eq!(history.card_ids, [1, 0, 1]);
    let items: Vec<_> = history.items.iter().map(pairs).collect();
    assert_eq!(
        items,
        [vec![(3, 0), (3, 1)], vec![(3, 0), (3, 4)], vec![(3, 0), (3, 1), (1, 4)]]
    );
}

#[test]
fn an_empty_log_is_too_little() {
    let outcome = fit(&history(&[]), None, None).unwrap();
    let Outcome::TooLittle(too_little) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(too_little.needed, MIN_ITEMS);
    assert_eq!(
        too_little.counts,
        Counts {
            reviews: 0,
            cards: 0,
            items: 0,
            usable: 0,
            held_out: 0,
        }
    );
}

/// `cards` cards answered Good on 2026-11-01 and again `interval` days later with `grade`.
fn two_answers(cards: usize, interval: i64, grade: impl Fn(usize) -> u8) -> Vec<LogLine> {
    let first = at("2026-11-01T21:00:00+09:00");
    let second = first.plus(SignedDuration::from_hours(24 * interval));
    let mut lines = Vec::new();
    for card in 0..cards {
        let review = |at: Moment, grade: u8| {
            LogLine::Review(Review {
                card: id(&format!("card {card}")),
                at,
                grade: Grade::from_number(grade).unwrap(),
                mode: Mode::Drill,
                ms: 3000,
                rescheduled: false,
            })
        };
        lines.push(review(first, 3));
        lines.push(review(second, grade(card)));
    }
    lines
}

#[test]
fn the_crate_sets_aside_first_intervals_that_too_few_cards_share() {
    // Nineteen cards with the same first grade and interval: the crate drops its rarest first intervals, at least
    // twenty items' worth per first grade, so none is left.
    let history = history(&two_answers(19, 3, |_| 3));
    assert_eq!(history.items.len(), 19);
    let Outcome::TooLittle(too_little) = fit(&history, None, None).unwrap() else {
        panic!("fitted on 19 items")
    };
    assert_eq!(too_little.counts.usable, 0);
}

#[test]
fn with_few_items_only_the_initial_stabilities_are_fitted() {
    // 40 items: the latest 8 held out, 32 to fit on.
    let history = history(&two_answers(40, 3, |card| if card % 5 == 0 { 1 } else { 3 }));
    let Outcome::Fitted(fit) = fit(&history, None, None).unwrap() else {
        panic!("too little")
    };
    assert_eq!((fit.counts.usable, fit.counts.held_out), (32, 8));
    assert_eq!(fit.scope, Scope::InitialStability);
    assert_eq!(
        fit.parameters[4..],
        DEFAULT_PARAMETERS[4..],
        "the crate keeps the rest at the defaults"
    );
    assert_ne!(
        fit.parameters[2], DEFAULT_PARAMETERS[2],
        "Good's initial stability is fitted"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// A synthetic history from known parameters

/// The memory of the simulated user: FSRS-6 with parameters far from the defaults. First memories are stronger
/// (initial stabilities about 2–3× the defaults), a recall grows stability less (w8), and forgetting follows a
/// steeper curve (decay 0.35 against 0.1542).
const TRUE: [f32; 21] = [
    0.6, 3.0, 6.0, 20.0, 6.4133, 0.8334, 3.0194, 0.001, 1.2, 0.1192, 0.7, 1.9395, 0.11, 0.29, 2.27, 0.2315, 2.9898,
    0.5166, 0.6621, 0.06, 0.35,
];

/// Answers of a user whose memory follows `truth`, drilled by amgi's scheduler (default parameters): `new_per_day`
/// new cards a day until `cards` are introduced, over `days` evenings, skipping about one evening in five. An
/// answer a day or more after the previous one is recalled with the probability `truth` gives (the crate's own
/// forgetting curve and memory updates), graded Hard, Good or Easy when recalled; answers within a day (learning
/// steps) are graded from a fixed spread.
fn simulate(truth: &[f32; 21], cards: usize, new_per_day: usize, days: i64, seed: u64) -> Vec<LogLine> {
    let model = FSRS::new(truth).unwrap();
    let scheduler = Scheduler::new(DEFAULT_RETENTION, None).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut progress = Progress::default();
    let mut memory: Vec<Option<(MemoryState, Moment)>> = vec![None; cards];
    let ids: Vec<CardId> = (0..cards).map(|i| id(&format!("card {i}"))).collect();
    let mut lines = Vec::new();
    let mut introduced = 0;
    let start = at("2026-01-05T21:00:00+09:00");
    for day in 0..days {
        let evening = start
            .start_of(start.day().saturating_add(Span::new().days(day)))
            .plus(SignedDuration::from_hours(17));
        if rng.random::<f64>() < 0.2 {
            continue;
        }
        let mut today: Vec<usize> = (0..introduced)
            .filter(|&i| progress.cards.get(&ids[i]).is_some_and(|e| e.state.is_due(evening)))
            .collect();
        let new = new_per_day.min(cards - introduced);
        today.extend(introduced..introduced + new);
        introduced += new;
        let mut now = evening;
        for card in today {
            loop {
                let state = progress
                    .cards
                    .get(&ids[card])
                    .map(|e| e.state.clone())
                    .unwrap_or_default();
                now = match state.due {
                    Some(due) if state.phase.is_learning() && due > now => due,
                    _ => now.plus(SignedDuration::from_secs(20)),
                };
                let elapsed = memory[card].map_or(0, |(_, last)| now.days_since(last).max(0) as u32);
                let grade = if elapsed > 0 {
                    let (state, _) = memory[card].unwrap();
                    let recall = fsrs::current_retrievability(state, elapsed as f32, truth[20]);
                    if rng.random::<f32>() >= recall {
                        Grade::Again
                    } else {
                        spread(&mut rng, [0.0, 0.1, 0.8, 0.1])
                    }
                } else if state.phase == Phase::New {
                    spread(&mut rng, [0.2, 0.1, 0.6, 0.1])
                } else {
                    spread(&mut rng, [0.1, 0.05, 0.85, 0.0])
                };
                let next = model
                    .next_states(memory[card].map(|(m, _)| m), DEFAULT_RETENTION, elapsed)
                    .unwrap();
                let after = match grade {
                    Grade::Again => next.again,
                    Grade::Hard => next.hard,
                    Grade::Good => next.good,
                    Grade::Easy => next.easy,
                };
                memory[card] = Some((after.memory, now));
                let review = Review {
                    card: ids[card].clone(),
                    at: now,
                    grade,
                    mode: Mode::Drill,
                    ms: 3000,
                    rescheduled: false,
                };
                crate::history::apply(&mut progress, &review, None, &scheduler);
                lines.push(LogLine::Review(review));
                if !progress.cards[&ids[card]].state.phase.is_learning() {
                    break;
                }
            }
        }
    }
    lines
}

/// A grade drawn with the probabilities `weights` (Again, Hard, Good, Easy).
fn spread(rng: &mut Xoshiro256PlusPlus, weights: [f64; 4]) -> Grade {
    let mut x = rng.random::<f64>();
    for (grade, weight) in Grade::ALL.into_iter().zip(weights) {
        if x < weight {
            return grade;
        }
        x -= weight;
    }
    Grade::Good
}

#[test]
fn fitting_a_history_from_known_parameters_beats_the_defaults() {
    let lines = simulate(&TRUE, 600, 15, 160, 7);
    let history = history(&lines);
    let started = std::time::Instant::now();
    let Outcome::Fitted(fit) = fit(&history, None, None).unwrap() else {
        panic!("too little history from {} answers", lines.len())
    };
    let (_, held_out) = history.split();
    let truth = evaluate(&held_out, &TRUE).unwrap().unwrap();
    eprintln!(
        "{} answers, {:?}, fitted in {:?}: log loss default {:.4}, fitted {:.4}, true {:.4}; RMSE default {:.4}, \
         fitted {:.4}, true {:.4}\nfitted {:?}",
        lines.len(),
        fit.counts,
        started.elapsed(),
        fit.default.log_loss,
        fit.fitted.log_loss,
        truth.log_loss,
        fit.default.rmse_bins,
        fit.fitted.rmse_bins,
        truth.rmse_bins,
        fit.parameters
    );
    assert_eq!(fit.scope, Scope::All);
    assert!(fit.is_better(), "{fit:?}");
    assert!(fit.fitted.log_loss < fit.default.log_loss);
    assert!(fit.fitted.rmse_bins < fit.default.rmse_bins, "{fit:?}");
}

#[test]
fn fitting_the_same_history_again_is_not_better() {
    let lines = simulate(&TRUE, 200, 10, 90, 11);
    let history = history(&lines);
    let Outcome::Fitted(first) = fit(&history, None, None).unwrap() else {
        panic!("too little")
    };
    let Outcome::Fitted(second) = fit(&history, Some(&first.parameters), None).unwrap() else {
        panic!("too little")
    };
    assert_eq!(
        second.parameters, first.parameters,
        "the crate's training is deterministic"
    );
    // RMSE(bins) sums its bins in hash-map order, so only the log loss is exactly the same from run to run.
    assert_eq!(second.current.map(|m| m.log_loss), Some(first.fitted.log_loss));
    assert!(!second.is_better());
}

#[test]
fn the_latest_fifth_of_the_items_is_held_out_in_time_order() {
    let history = history(&two_answers(50, 3, |card| if card % 4 == 0 { 1 } else { 3 }));
    let (train, held_out) = history.split();
    assert_eq!((train.items.len(), held_out.items.len()), (40, 10));
    assert_eq!([&train.items[..], &held_out.items[..]].concat(), history.items);
    assert_eq!([&train.card_ids[..], &held_out.card_ids[..]].concat(), history.card_ids);
    // Too few to judge on: too little, saying what is needed.
    let small = super::history(&two_answers(30, 3, |card| if card % 5 == 0 { 1 } else { 3 }));
    let Outcome::TooLittle(too_little) = fit(&small, None, None).unwrap() else {
        panic!("fitted with 6 held out")
    };
    assert_eq!(
        (too_little.counts.held_out, too_little.held_out_needed),
        (6, MIN_HELD_OUT)
    );
}

/// Held-out log loss and RMSE of the defaults, the fitted and the true parameters on histories simulated from
/// `truth`, at about 1,000, 10,000 and 50,000 answers (printed for the record); the fit is saved only when it
/// predicts the held-out answers better on both.
#[test]
fn held_out_answers_judge_the_fit_at_1k_10k_and_50k_answers() {
    for (name, truth) in [("far from the defaults", TRUE), ("the defaults", DEFAULT_PARAMETERS)] {
        for (cards, per_day, days) in [(110, 10, 60), (1_000, 20, 220), (4_000, 40, 500)] {
            let lines = simulate(&truth, cards, per_day, days, 3);
            let history = history(&lines);
            let Outcome::Fitted(fit) = fit(&history, None, None).unwrap() else {
                panic!("too little from {} answers", lines.len())
            };
            let (_, held_out) = history.split();
            let true_metrics = evaluate(&held_out, &truth).unwrap().unwrap();
            eprintln!(
                "truth {name}, {} answers, {} held out: log loss default {:.4} fitted {:.4} true {:.4}; RMSE \
                 default {:.2}% fitted {:.2}% true {:.2}%; saved: {}",
                lines.len(),
                fit.counts.held_out,
                fit.default.log_loss,
                fit.fitted.log_loss,
                true_metrics.log_loss,
                fit.default.rmse_bins * 100.0,
                fit.fitted.rmse_bins * 100.0,
                true_metrics.rmse_bins * 100.0,
                fit.is_better(),
            );
            assert_eq!(
                fit.is_better(),
                fit.fitted.log_loss < fit.default.log_loss && fit.fitted.rmse_bins < fit.default.rmse_bins
            );
            if name == "the defaults" {
                // Parameters fitted to the truth's own answers cannot beat the truth: never saved.
                assert!(!fit.is_better(), "{fit:?}");
            }
            if name == "far from the defaults" && lines.len() > 5_000 {
                // With enough answers the fit finds what the defaults miss.
                assert!(fit.is_better(), "{fit:?}");
                assert!(true_metrics.log_loss < fit.default.log_loss);
            }
        }
    }
}
