//! The plan against hand-computed figures: which day a card is due, the recall expected on the interview day,
//! the user's own pace and the final pass.

use super::*;
use crate::notes::parse;
use crate::schedule::Memory;
use crate::store::Review;
use jiff::SignedDuration;
use jiff::civil::date;

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

/// Tuesday evening, Seoul.
const NOW: &str = "2026-11-24T21:00:00+09:00";

fn scheduler() -> Scheduler {
    Scheduler::new(0.9, None).unwrap()
}

/// Interview on Thursday 3 December, planned today: the eve is Wednesday 2 December.
fn plan() -> Plan {
    Plan {
        interview: date(2026, 12, 3),
        planned_on: date(2026, 11, 24),
    }
}

fn review(stability: f32, last_review: &str, due: &str) -> CardState {
    CardState {
        phase: Phase::Review,
        memory: Some(Memory {
            stability,
            difficulty: 5.0,
        }),
        reps: 4,
        last_review: Some(at(last_review)),
        due: Some(at(due)),
        ..CardState::default()
    }
}

fn id(n: usize) -> CardId {
    CardId::new("t", &[], &format!("질문 {n}"))
}

/// FSRS-6's forgetting curve by hand: R(t) = (1 + F·t/S)^(−decay), F = 0.9^(−1/decay) − 1, so that R(S) = 0.9.
fn forgetting_curve(days: f64, stability: f64) -> f64 {
    let decay = f64::from(fsrs::FSRS6_DEFAULT_DECAY);
    let factor = 0.9f64.powf(-1.0 / decay) - 1.0;
    (1.0 + factor * days / stability).powf(-decay)
}

#[test]
fn a_review_due_by_the_eve_keeps_its_day() {
    let state = review(5.0, "2026-11-20T09:00:00+09:00", "2026-11-28T04:00:00+09:00");
    let due = plan().due(&id(1), &state, &scheduler(), at(NOW));
    assert_eq!(due, state.due);
}

#[test]
fn an_interval_given_under_the_plan_ends_on_the_eve() {
    // Answered this morning, under the plan, and sent 30 days out by FSRS.
    let state = review(30.0, "2026-11-24T09:00:00+09:00", "2026-12-24T04:00:00+09:00");
    let due = plan().due(&id(1), &state, &scheduler(), at(NOW));
    assert_eq!(due, Some(at("2026-12-02T04:00:00+09:00")));
    // Answered on the eve itself: nothing is left before the interview, FSRS's day stands.
    let on_eve = review(30.0, "2026-12-02T09:00:00+09:00", "2027-01-01T04:00:00+09:00");
    let due = plan().due(&id(1), &on_eve, &scheduler(), at("2026-12-02T10:00:00+09:00"));
    assert_eq!(due, on_eve.due);
}

#[test]
fn a_weak_card_scheduled_before_the_plan_is_brought_forward_to_a_day_that_does_not_move() {
    // Last seen 20 days ago with a stability of 10 days: on the interview day (29 days on) recall is about 0.80.
    let state = review(10.0, "2026-11-04T09:00:00+09:00", "2026-12-20T04:00:00+09:00");
    let recall = forgetting_curve(
        at("2026-12-03T04:00:00+09:00").fractional_days_since(at("2026-11-04T09:00:00+09:00")),
        10.0,
    );
    assert!(recall < 0.9, "{recall}");
    let scheduler = scheduler();
    let due = plan().due(&id(1), &state, &scheduler, at(NOW)).unwrap();
    assert!(
        due.day() >= date(2026, 11, 24) && due.day() <= date(2026, 12, 2),
        "{due}"
    );
    assert_eq!(due, due.start_of_day());
    // Asked again the next day, or on the eve, the card keeps the same day.
    for later in ["2026-11-25T12:00:00+09:00", "2026-12-02T12:00:00+09:00"] {
        assert_eq!(plan().due(&id(1), &state, &scheduler, at(later)), Some(due));
    }
}

#[test]
fn a_strong_card_scheduled_before_the_plan_is_left_alone() {
    // Stability 400 days: recall on the interview day is still about 0.99.
    let state = review(400.0, "2026-11-04T09:00:00+09:00", "2027-06-01T04:00:00+09:00");
    assert_eq!(plan().due(&id(1), &state, &scheduler(), at(NOW)), state.due);
}

#[test]
fn learning_cards_and_a_plan_that_has_run_out_keep_fsrs_days() {
    let mut learning = review(30.0, "2026-11-24T09:00:00+09:00", "2026-11-24T09:10:00+09:00");
    learning.phase = Phase::Learning;
    assert_eq!(plan().due(&id(1), &learning, &scheduler(), at(NOW)), learning.due);
    let far = review(30.0, "2026-11-24T09:00:00+09:00", "2026-12-24T04:00:00+09:00");
    let after = at("2026-12-03T10:00:00+09:00");
    assert_eq!(plan().due(&id(1), &far, &scheduler(), after), far.due);
}

#[test]
fn weak_cards_spread_evenly_over_the_days_left() {
    let scheduler = scheduler();
    let state = review(10.0, "2026-11-04T09:00:00+09:00", "2026-12-20T04:00:00+09:00");
    let mut per_day: BTreeMap<Date, usize> = BTreeMap::new();
    for n in 0..900 {
        let due = plan().due(&id(n), &state, &scheduler, at(NOW)).unwrap();
        *per_day.entry(due.day()).or_default() += 1;
    }
    // Nine days, 24 November to the eve: about 100 a day each.
    assert_eq!(per_day.len(), 9, "{per_day:?}");
    for (day, n) in per_day {
        assert!((70..=130).contains(&n), "{day}: {n}");
    }
}

#[test]
fn the_grade_buttons_show_intervals_cut_at_the_eve() {
    let now = at(NOW);
    assert_eq!(plan().capped(Delay::Days(30), now), Delay::Days(8));
    assert_eq!(plan().capped(Delay::Days(3), now), Delay::Days(3));
    assert_eq!(
        plan().capped(Delay::Step(SignedDuration::from_mins(10)), now),
        Delay::Step(SignedDuration::from_mins(10))
    );
    let eve = at("2026-12-02T10:00:00+09:00");
    assert_eq!(plan().capped(Delay::Days(30), eve), Delay::Days(30));
}

const DECK: &str = "## 하나\n\n1\n\n## 둘\n\n2\n";

fn progress(states: &[(usize, CardState)]) -> (Vec<Card>, Progress) {
    let mut cards = parse(DECK, "a.md", "가").cards;
    cards[1].topic = "나".into();
    let progress = Progress::with_states(states.iter().map(|(i, state)| (&cards[*i], state.clone())));
    (cards, progress)
}

#[test]
fn without_the_plan_recall_is_the_forgetting_curve_and_unseen_cards_count_as_forgotten() {
    let strong = review(400.0, "2026-11-04T09:00:00+09:00", "2027-06-01T04:00:00+09:00");
    let (cards, progress) = progress(&[(0, strong)]);
    let none = NewCards {
        per_day: 0,
        seen_today: 0,
    };
    let prediction = predict(&cards, &progress, &scheduler(), &plan(), at(NOW), none);
    // From 2026-11-04 09:00 to 2026-12-03 04:00: 28 days and 19 hours.
    let expected = forgetting_curve(28.0 + 19.0 / 24.0, 400.0);
    let (first, second) = (&prediction.topics[0].1, &prediction.topics[1].1);
    assert!(
        (first.without - expected).abs() < 1e-6,
        "{} vs {expected}",
        first.without
    );
    // Strong enough to be left alone, so the plan changes nothing for it.
    assert!((first.with_plan - expected).abs() < 1e-6);
    assert_eq!((second.cards, second.without, second.with_plan), (1, 0.0, 0.0));
    assert!((prediction.overall.without - expected / 2.0).abs() < 1e-6);
    assert_eq!(prediction.answers(), 0);
    assert_eq!(prediction.per_day.len(), 9);
}

#[test]
fn with_the_plan_the_last_answer_weighs_recall_against_a_lapse() {
    // Interview tomorrow, planned today: the only day left is today, the eve. An overdue card is answered now.
    let plan = Plan {
        interview: date(2026, 11, 25),
        planned_on: date(2026, 11, 24),
    };
    let scheduler = scheduler();
    let before = review(5.0, "2026-11-14T21:00:00+09:00", "2026-11-19T04:00:00+09:00");
    let (cards, progress) = progress(&[(0, before.clone())]);
    let none = NewCards {
        per_day: 0,
        seen_today: 0,
    };
    let prediction = predict(&cards[..1], &progress, &scheduler, &plan, at(NOW), none);
    assert_eq!(prediction.per_day, vec![(date(2026, 11, 24), 1)]);

    // Recall now, ten days after the last review, by hand.
    let p = forgetting_curve(10.0, 5.0);
    // The stabilities after Good, and after Again then Good ten minutes later, are FSRS's.
    let good = scheduler.review(&cards[0].id, &before, Grade::Good, at(NOW));
    let lapsed = scheduler.review(&cards[0].id, &before, Grade::Again, at(NOW));
    let relearnt = scheduler.review(&cards[0].id, &lapsed, Grade::Good, at("2026-11-24T21:10:00+09:00"));
    let s_good = f64::from(good.memory.unwrap().stability);
    let s_relearnt = f64::from(relearnt.memory.unwrap().stability);
    // To the interview day's start (04:00): 7 hours, and 6 h 50 min after relearning.
    let expected =
        p * forgetting_curve(7.0 / 24.0, s_good) + (1.0 - p) * forgetting_curve((6.0 + 50.0 / 60.0) / 24.0, s_relearnt);
    let got = prediction.overall.with_plan;
    assert!((got - expected).abs() < 1e-4, "{got} vs {expected}");
    assert!(got > prediction.overall.without);
}

#[test]
fn new_cards_come_in_at_the_daily_limit_and_are_learnt_by_the_interview() {
    let (cards, progress) = progress(&[]);
    // One new card a day, and today's already taken: the first comes tomorrow, the second the day after.
    let new = NewCards {
        per_day: 1,
        seen_today: 1,
    };
    let scheduler = scheduler();
    let prediction = predict(&cards, &progress, &scheduler, &plan(), at(NOW), new);
    let answers: Vec<usize> = prediction.per_day.iter().map(|(_, n)| *n).collect();
    // FSRS sends a card learnt with two Goods 2.3 days out: two days, as Anki rounds it.
    let first = scheduler.review(&cards[0].id, &CardState::default(), Grade::Good, at(NOW));
    assert_eq!(scheduler.preview(&cards[0].id, &first, at(NOW))[2], Delay::Days(2));
    // Each new card: two learning steps answered Good the day it comes in (25 and 26 November), its first review
    // two days later (27 and 28), then once more on the eve (2 December).
    assert_eq!(answers, [0, 2, 2, 1, 1, 0, 0, 0, 2]);
    assert!(prediction.overall.with_plan > 0.9, "{:?}", prediction.overall);
    assert_eq!(prediction.overall.without, 0.0);
    assert_eq!(load(&prediction.per_day), (8.0 / 9.0, Some((date(2026, 11, 25), 2))));
}

fn answer(at_text: &str, ms: u64, mode: Mode) -> LogLine {
    LogLine::Review(Review {
        card: id(1),
        at: at(at_text),
        grade: Grade::Good,
        mode,
        ms,
        rescheduled: false,
    })
}

#[test]
fn seconds_per_answer_is_the_median_of_timed_drill_answers() {
    let lines = vec![
        answer("2026-11-20T09:00:00+09:00", 10_000, Mode::Drill),
        answer("2026-11-20T09:01:00+09:00", 30_000, Mode::Drill),
        answer("2026-11-20T09:02:00+09:00", 20_000, Mode::Drill),
        // Too quick to have been said out loud, a cram, and an undone answer: not counted.
        answer("2026-11-20T09:03:00+09:00", 100, Mode::Drill),
        answer("2026-11-20T09:04:00+09:00", 90_000, Mode::Cram),
        answer("2026-11-20T09:05:00+09:00", 500_000, Mode::Drill),
        LogLine::Undo {
            card: id(1),
            at: at("2026-11-20T09:05:30+09:00"),
            undoes: at("2026-11-20T09:05:00+09:00"),
        },
    ];
    assert_eq!(seconds_per_answer(&lines), Some((20.0, 3)));
    assert_eq!(seconds_per_answer(&lines[3..5]), None);
    // Without the undo, the undone answer counts.
    assert_eq!(seconds_per_answer(&lines[..6]), Some((30.0, 4)));
}

/// The pace read from the review lines of a log without undo lines is the pace of its effective reviews, as with
/// them: over logs of all kinds of lines, with undos and without.
#[test]
fn seconds_per_answer_reads_the_effective_reviews() {
    use rand::{RngExt, SeedableRng};
    let by_effective = |lines: &[LogLine]| {
        let mut ms: Vec<u64> = crate::history::effective_reviews(lines)
            .into_iter()
            .filter(|r| r.mode == Mode::Drill && r.ms >= QUICKEST_ANSWER_MS)
            .map(|r| r.ms)
            .collect();
        let n = ms.len();
        (n > 0).then(|| (*ms.select_nth_unstable(n / 2).1 as f64 / 1000.0, n))
    };
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(0x05ec_04d5);
    let start = at("2026-11-20T09:00:00+09:00");
    for undos in [false, true] {
        for _ in 0..200 {
            let mut lines = Vec::new();
            for i in 0..rng.random_range(0..60i64) {
                // A few lines a minute, so that answers of a card at one moment, and undos of them, come twice.
                let when = start.plus(SignedDuration::from_secs(60 * (i / 3)));
                let line = match rng.random_range(0..6) {
                    0 if undos => LogLine::Undo {
                        card: id(rng.random_range(1..3)),
                        at: when,
                        undoes: start.plus(SignedDuration::from_secs(60 * rng.random_range(0..=i / 3))),
                    },
                    1 => LogLine::Suspend { card: id(1), at: when },
                    _ => {
                        let mode = if rng.random_range(0..4) == 0 {
                            Mode::Cram
                        } else {
                            Mode::Drill
                        };
                        LogLine::Review(Review {
                            card: id(rng.random_range(1..3)),
                            at: when,
                            grade: Grade::Good,
                            mode,
                            ms: rng.random_range(0..40_000),
                            rescheduled: false,
                        })
                    }
                };
                lines.push(line);
            }
            assert_eq!(seconds_per_answer(&lines), by_effective(&lines), "{lines:?}");
        }
    }
}

#[test]
fn the_final_pass_takes_cards_under_the_target_weakest_first_then_unseen_ones() {
    let strong = review(400.0, "2026-11-20T09:00:00+09:00", "2027-06-01T04:00:00+09:00");
    let weak = review(2.0, "2026-11-20T09:00:00+09:00", "2026-11-25T04:00:00+09:00");
    let weaker = review(1.0, "2026-11-20T09:00:00+09:00", "2026-11-25T04:00:00+09:00");
    let md = "## 하나\n\n1\n\n## 둘\n\n2\n\n## 셋\n\n3\n\n## 넷\n\n4\n";
    let cards = parse(md, "a.md", "가").cards;
    let progress = Progress::with_states([(&cards[0], strong), (&cards[1], weak), (&cards[2], weaker)]);
    let plan = Plan {
        interview: date(2026, 11, 25),
        planned_on: date(2026, 11, 20),
    };
    assert!(plan.is_final_days(at(NOW).day()));
    assert_eq!(final_pass(&cards, &progress, &scheduler(), &plan, at(NOW)), [2, 1, 3]);
    assert!(!plan.is_final_days(date(2026, 11, 23)));
}

/// A suspended card is no work of the plan: not counted, not asked, not in the final pass.
#[test]
fn suspended_cards_are_left_out_of_the_plan_and_the_final_pass() {
    let (cards, mut progress) = progress(&[]);
    let new = NewCards {
        per_day: 1,
        seen_today: 1,
    };
    let s = scheduler();
    let all = predict(&cards, &progress, &s, &plan(), at(NOW), new);
    crate::history::set_suspended(&mut progress, &cards[0].id, true, Some(&cards[0]));
    let without_first = predict(&cards, &progress, &s, &plan(), at(NOW), new);
    assert_eq!(without_first.overall.cards, all.overall.cards - 1);
    // The second new card takes the first one's day, tomorrow; the plan asks one card's answers fewer.
    assert!(without_first.answers() < all.answers(), "{without_first:?} vs {all:?}");
    assert_eq!(without_first.per_day[1], (date(2026, 11, 25), 2));
    let today = Plan {
        interview: date(2026, 11, 25),
        planned_on: date(2026, 11, 20),
    };
    assert!(!final_pass(&cards, &progress, &s, &today, at(NOW)).contains(&0));
    assert!(final_pass(&cards, &Progress::default(), &s, &today, at(NOW)).contains(&0));
}

// ---------------------------------------------------------------------------------------------------------------
// The prediction against a simulated user

/// A journal that keeps nothing: the simulated user's drills need no files.
struct Nowhere;

impl crate::session::Journal for Nowhere {
    fn append(&mut self, _: &LogLine) -> Result<crate::store::LogEnd, crate::store::StoreError> {
        Ok(crate::store::LogEnd { len: 0, crc: None })
    }
    fn save(&mut self, _: &Progress) -> Result<(), crate::store::StoreError> {
        Ok(())
    }
}

/// What a simulated user did before the interview, and recalled on the day.
#[derive(Debug, Default)]
struct Lived {
    answers: usize,
    recall: f64,
    final_pass_answers: usize,
    recall_with_final_pass: f64,
}

/// A user who does every drill of the plan at 21:00 from `now` to the eve (the real drill: queue, session, steps,
/// learn-ahead), answering each card with its true recall probability then (Good when recalled, else Again; a
/// first answer Good), and then, once, the final pass on the eve at 20:00 over the cards it offers, which changes
/// the user's memory but not the schedule. The user's memory is FSRS's own, as the prediction assumes.
fn live(cards: &[Card], start: &Progress, plan: &Plan, now: Moment, per_day: usize, seed: u64) -> Lived {
    use rand::{RngExt, SeedableRng};
    let scheduler = scheduler();
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut progress = start.clone();
    let interview_start = now.start_of(plan.interview);
    let mut lived = Lived::default();
    let mut day = now.day();
    let mut first = true;
    while day < plan.interview {
        let evening = if first {
            now
        } else {
            now.start_of(day).plus(SignedDuration::from_hours(17))
        };
        first = false;
        let limits = crate::queue::Limits {
            new: per_day,
            reviews: usize::MAX,
        };
        let mut session = crate::session::Session::drill(
            cards.to_vec(),
            progress.clone(),
            &scheduler,
            evening,
            limits,
            crate::history::Today::default(),
        );
        let mut clock = evening;
        while let Some(card) = session.next(clock).cloned() {
            // A learning step comes due later: the user waits for it.
            let state = session.progress().cards.get(&card.id).map(|e| e.state.clone());
            if let Some(due) = state.as_ref().and_then(|s| s.due).filter(|due| *due > clock) {
                clock = due;
            }
            let recall = state
                .as_ref()
                .filter(|s| s.phase != Phase::New)
                .and_then(|s| scheduler.retrievability(s, clock))
                .map_or(1.0, f64::from);
            let grade = if rng.random::<f64>() < recall {
                Grade::Good
            } else {
                Grade::Again
            };
            session.reveal();
            session.grade(grade, clock, 5_000, &mut Nowhere).expect("saved nowhere");
            lived.answers += 1;
            clock = clock.plus(SignedDuration::from_secs(20));
        }
        progress = session.progress().clone();
        day = day.tomorrow().expect("a day");
    }
    let recall_of = |progress: &Progress| {
        cards
            .iter()
            .map(|c| {
                progress
                    .cards
                    .get(&c.id)
                    .filter(|e| e.state.phase != Phase::New)
                    .and_then(|e| scheduler.retrievability(&e.state, interview_start))
                    .map_or(0.0, f64::from)
            })
            .sum::<f64>()
            / cards.len() as f64
    };
    lived.recall = recall_of(&progress);
    // The final pass: the memory of the cards it goes over moves, the schedule does not.
    let pass_at = now.start_of(plan.eve()).plus(SignedDuration::from_hours(16));
    let mut memory = progress.clone();
    for i in final_pass(cards, &progress, &scheduler, plan, pass_at) {
        let id = &cards[i].id;
        let state = memory.cards.get(id).map(|e| e.state.clone()).unwrap_or_default();
        let recall = (state.phase != Phase::New)
            .then(|| scheduler.retrievability(&state, pass_at))
            .flatten()
            .map_or(0.0, f64::from);
        let after = if rng.random::<f64>() < recall {
            lived.final_pass_answers += 1;
            scheduler.review(id, &state, Grade::Good, pass_at)
        } else {
            lived.final_pass_answers += 2;
            let lapsed = scheduler.review(id, &state, Grade::Again, pass_at);
            scheduler.review(id, &lapsed, Grade::Good, pass_at.plus(SignedDuration::from_mins(1)))
        };
        let entry = memory.cards.entry(id.clone()).or_insert_with(|| crate::store::Entry {
            question: cards[i].question.clone(),
            answer_hash: String::new(),
            state: CardState::default(),
            skipped_until: None,
            suspended: false,
        });
        entry.state = after;
    }
    lived.recall_with_final_pass = recall_of(&memory);
    lived
}

/// The prediction of `amgi plan` for `cards` at `now`, and the means over 24 simulated users of the same figures,
/// printed for the record.
fn predicted_and_lived(
    cards: &[Card],
    progress: &Progress,
    plan: &Plan,
    now: Moment,
    per_day: usize,
) -> (Prediction, Lived) {
    let mut progress = progress.clone();
    progress.settings.interview = Some(plan.interview);
    progress.settings.planned_on = Some(plan.planned_on);
    let new = NewCards { per_day, seen_today: 0 };
    let predicted = predict(cards, &progress, &scheduler(), plan, now, new);
    let runs = 24;
    let lives: Vec<Lived> = (0..runs)
        .map(|seed| live(cards, &progress, plan, now, per_day, seed))
        .collect();
    let mean = |f: &dyn Fn(&Lived) -> f64| lives.iter().map(f).sum::<f64>() / runs as f64;
    let lived = Lived {
        answers: mean(&|l| l.answers as f64).round() as usize,
        recall: mean(&|l| l.recall),
        final_pass_answers: mean(&|l| l.final_pass_answers as f64).round() as usize,
        recall_with_final_pass: mean(&|l| l.recall_with_final_pass),
    };
    eprintln!(
        "{} cards, {} days: answers predicted {} simulated {}; recall predicted {:.4} simulated {:.4}; final pass \
         answers predicted {} simulated {}; recall with it predicted {:.4} simulated {:.4}",
        cards.len(),
        plan.days_left(now.day()),
        predicted.answers(),
        lived.answers,
        predicted.overall.with_plan,
        lived.recall,
        predicted.final_pass_answers,
        lived.final_pass_answers,
        predicted.overall.with_final_pass,
        lived.recall_with_final_pass,
    );
    (predicted, lived)
}

fn assert_close(predicted: &Prediction, lived: &Lived) {
    let within = |predicted: usize, lived: usize| predicted.abs_diff(lived) as f64 <= 0.10 * lived as f64;
    assert!(
        within(predicted.answers(), lived.answers),
        "answers {} vs {}",
        predicted.answers(),
        lived.answers
    );
    assert!(
        within(predicted.final_pass_answers, lived.final_pass_answers),
        "final pass answers {} vs {}",
        predicted.final_pass_answers,
        lived.final_pass_answers
    );
    assert!(
        (predicted.overall.with_plan - lived.recall).abs() <= 0.01,
        "{predicted:?} {lived:?}"
    );
    assert!(
        (predicted.overall.with_final_pass - lived.recall_with_final_pass).abs() <= 0.01,
        "{predicted:?} {lived:?}"
    );
}

/// `n` cards, the first `seen` of them seen before the plan, with stabilities from 1 to 60 days, last answered 1
/// to 30 days ago.
fn deck_of(n: usize, seen: usize, now: Moment) -> (Vec<Card>, Progress) {
    let markdown: String = (0..n).map(|i| format!("## 질문 {i}\n\n답 {i}\n\n")).collect();
    let cards = parse(&markdown, "a.md", "가").cards;
    let states = (0..seen).map(|i| {
        let stability = 1.0 + (i as f32 * 7.0) % 60.0;
        let last = now.plus(SignedDuration::from_hours(-24 * (1 + (i as i64 * 11) % 30)));
        let due = last.start_of(
            last.day()
                .saturating_add(jiff::Span::new().days(stability.round() as i64)),
        );
        let state = CardState {
            phase: Phase::Review,
            memory: Some(Memory {
                stability,
                difficulty: 5.0,
            }),
            reps: 3,
            last_review: Some(last),
            due: Some(due),
            ..CardState::default()
        };
        (&cards[i], state)
    });
    let progress = Progress::with_states(states);
    (cards, progress)
}

#[test]
fn the_prediction_matches_a_simulated_user_within_a_tenth_of_the_answers_and_a_point_of_recall() {
    let now = at(NOW);
    // Two weeks, time enough: 60 cards seen, 100 new at 12 a day.
    let (cards, progress) = deck_of(160, 60, now);
    let plan = Plan {
        interview: date(2026, 12, 8),
        planned_on: date(2026, 11, 24),
    };
    let (predicted, lived) = predicted_and_lived(&cards, &progress, &plan, now, 12);
    assert_close(&predicted, &lived);
    // Five days, too few for the 100 new cards at 10 a day: the final pass shows the rest and lifts recall.
    let plan = Plan {
        interview: date(2026, 11, 29),
        planned_on: date(2026, 11, 24),
    };
    let (predicted, lived) = predicted_and_lived(&cards, &progress, &plan, now, 10);
    assert_close(&predicted, &lived);
    assert!(
        predicted.overall.with_final_pass > predicted.overall.with_plan + 0.2,
        "{predicted:?}"
    );
}

/// Every figure of a prediction as bits, so that "the same" means the same to the last bit.
fn bits(p: &Prediction) -> Vec<u64> {
    let outlook = |o: &Outlook| {
        [
            o.cards as u64,
            o.with_plan.to_bits(),
            o.with_final_pass.to_bits(),
            o.without.to_bits(),
        ]
    };
    let mut bits: Vec<u64> = p.topics.iter().flat_map(|(_, o)| outlook(o)).collect();
    bits.extend(outlook(&p.overall));
    bits.extend(p.per_day.iter().map(|&(_, n)| n as u64));
    bits.push(p.final_pass_answers as u64);
    bits
}

#[test]
fn cards_followed_on_several_threads_give_the_figures_of_one_to_the_bit() {
    let now = at(NOW);
    // Several topics, seen and new cards, more cards than one thread takes.
    let (mut cards, progress) = deck_of(2_000, 1_400, now);
    for (i, card) in cards.iter_mut().enumerate() {
        card.topic = format!("주제 {}", i % 7).into();
    }
    let plan = Plan {
        interview: date(2026, 12, 8),
        planned_on: date(2026, 11, 20),
    };
    let new = NewCards {
        per_day: 40,
        seen_today: 3,
    };
    let one = predict_on(&cards, &progress, &scheduler(), &plan, now, new, 1);
    assert!(one.answers() > 2_000, "{one:?}");
    for walkers in [2, 3, 8] {
        let many = predict_on(&cards, &progress, &scheduler(), &plan, now, new, walkers);
        assert_eq!(bits(&many), bits(&one), "{walkers} threads");
        assert_eq!(many, one);
    }
    assert_eq!(predict(&cards, &progress, &scheduler(), &plan, now, new), one);
    // The cards borrowed from the deck (as `amgi plan` passes them) are the cards themselves.
    let borrowed: Vec<&Card> = cards.iter().collect();
    assert_eq!(
        bits(&predict(&borrowed, &progress, &scheduler(), &plan, now, new)),
        bits(&one)
    );
    let eve = at("2026-12-07T21:00:00+09:00");
    let pass = final_pass(&cards, &progress, &scheduler(), &plan, eve);
    assert!(!pass.is_empty());
    assert_eq!(final_pass(&borrowed, &progress, &scheduler(), &plan, eve), pass);
}

#[test]
fn a_card_seed_schedules_as_its_id() {
    let scheduler = scheduler();
    let now = at(NOW);
    let (cards, progress) = deck_of(50, 50, now);
    for card in &cards {
        let state = &progress.cards[&card.id].state;
        let seed = FuzzSeed::of(&card.id);
        assert_eq!(seed.hash(), stable_hash(card.id.as_str().as_bytes()));
        for at in [
            now,
            now.plus(SignedDuration::from_hours(30)),
            now.plus(SignedDuration::from_hours(24 * 9)),
        ] {
            let each = scheduler.review_each(&card.id, state, at);
            assert_eq!(scheduler.review_each_seeded(seed, state, at), each);
            for grade in Grade::ALL {
                assert_eq!(
                    scheduler.review_seeded(seed, state, grade, at),
                    each[grade as usize - 1]
                );
                assert_eq!(scheduler.review(&card.id, state, grade, at), each[grade as usize - 1]);
            }
        }
    }
}

/// A digest of every figure of the forecasts of a deck of 1,500 cards (seen and new, some suspended, some last
/// answered at other UTC offsets than now's) at several moments of a plan, under the default and an optimized
/// parameter set, with the final pass's order: the figures the forecast gave before it was made faster, so a
/// faster one must give them to the bit.
fn forecast_digests() -> Vec<u64> {
    let now = at(NOW);
    let (mut cards, mut progress) = deck_of(1_500, 1_000, now);
    for (i, card) in cards.iter_mut().enumerate() {
        // A topic from a `&str`, whatever string type a card keeps it in.
        card.topic = format!("주제 {}", i % 5).as_str().into();
    }
    let offsets = [jiff::tz::Offset::UTC, jiff::tz::Offset::constant(-5)];
    for (i, entry) in progress.cards.values_mut().enumerate() {
        if i % 3 == 0 {
            let offset = offsets[i % 2];
            let moved = |m: Moment| Moment::new(m.timestamp(), offset);
            entry.state.last_review = entry.state.last_review.map(moved);
            entry.state.due = entry.state.due.map(moved);
        }
        if i % 97 == 5 {
            entry.suspended = true;
        }
    }
    let plan = Plan {
        interview: date(2026, 12, 8),
        planned_on: date(2026, 11, 20),
    };
    let optimized: [f32; 21] = [
        0.4, 0.9, 3.1, 15.7, 7.2, 0.53, 1.46, 0.0046, 1.54, 0.12, 1.01, 1.93, 0.11, 0.29, 2.27, 0.23, 2.99, 0.52, 0.66,
        0.12, 0.33,
    ];
    let schedulers = [scheduler(), Scheduler::new(0.85, Some(&optimized)).unwrap()];
    let fold = |digest: u64, bits: u64| (digest ^ bits).wrapping_mul(0x0000_0100_0000_01b3);
    let mut digests = Vec::new();
    for scheduler in &schedulers {
        for moment in [
            NOW,
            "2026-11-30T08:00:00+09:00",
            "2026-12-07T05:00:00+09:00",
            "2026-12-07T21:30:00+09:00",
            "2026-12-08T12:00:00+09:00",
        ] {
            for new in [(30, 2), (0, 0)] {
                let new = NewCards {
                    per_day: new.0,
                    seen_today: new.1,
                };
                let prediction = predict(&cards, &progress, scheduler, &plan, at(moment), new);
                let mut digest = bits(&prediction).into_iter().fold(0xcbf2_9ce4_8422_2325, fold);
                for i in final_pass(&cards, &progress, scheduler, &plan, at(moment)) {
                    digest = fold(digest, i as u64);
                }
                digests.push(digest);
            }
        }
    }
    digests
}

#[test]
fn the_forecast_gives_the_figures_it_gave_before_it_was_made_faster() {
    let digests = forecast_digests();
    assert_eq!(digests, GOLDEN_DIGESTS, "{digests:#x?}");
}

/// [`forecast_digests`] as the forecast gave them before it was made faster (amgi 2eb65e8: FSRS's step through the
/// crate, one thread looking cards up).
const GOLDEN_DIGESTS: [u64; 20] = [
    0x5115894aea28bf1a,
    0xf95b723696d3af0c,
    0xf3eb4c67baaf8afd,
    0x9dddd44dfd31553c,
    0x342021d44346db2e,
    0x30e1629851786d4b,
    0xe671e30ad34356eb,
    0x8513c5a2eab86cf6,
    0xd2e98d147fbedae,
    0xd2e98d147fbedae,
    0x35615ffadf425fe,
    0x235654ecadeaf28b,
    0x7a17e13a4fb095d0,
    0x12ff8ac4d6870b73,
    0xf9e157566f432eb8,
    0x993a173eddf0b618,
    0x5cedb4cfb561c8d9,
    0xa03eb6692379732d,
    0x24a15beac1889743,
    0x24a15beac1889743,
];

/// The cards' progress is found the same by id whether in the order of progress.yaml or by hash, for cards that
/// have some and cards that have none.
#[test]
fn entries_are_found_by_hash_as_in_order() {
    let now = at(NOW);
    let (cards, progress) = deck_of(300, 200, now);
    let ordered = Entries::new(&progress, 0);
    let hashed = Entries::new(&progress, cards.len());
    assert!(matches!(ordered, Entries::Ordered(_)) && matches!(hashed, Entries::Hashed(_)));
    let mut found = 0;
    for card in &cards {
        let entry = ordered.get(&card.id);
        assert_eq!(entry, progress.cards.get(&card.id));
        assert!(std::ptr::eq(
            hashed.get(&card.id).map_or(std::ptr::null(), |e| e as *const _),
            entry.map_or(std::ptr::null(), |e| e as *const _)
        ));
        found += usize::from(entry.is_some());
    }
    assert_eq!(found, 200);
}
