//! Every figure on synthetic histories, against values worked out by hand in the comments.

use super::*;
use crate::schedule::{CardState, LEECH_LAPSES, Memory};
use crate::store::{Mode, Review};
use jiff::civil::date;

/// A Friday evening in Seoul. Today is 2026-11-20; the 30-day window starts 2026-10-22, the calendar 2026-05-23.
const NOW: &str = "2026-11-20T21:00:00+09:00";

fn at(text: &str) -> Moment {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// `NOW` moved by `days` (fractions allowed).
fn days_ago(days: f64) -> Moment {
    at(NOW).plus(jiff::SignedDuration::from_secs_f64(-days * 86_400.0))
}

fn card(topic: &str, path: &[&str], question: &str) -> Card {
    let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    Card {
        id: CardId::new(topic, &path, question),
        topic: topic.into(),
        path,
        question: question.into(),
        answer: "답".into(),
        file: format!("{topic}.md").into(),
        line: 1,
        folders: Default::default(),
    }
}

/// Cards named `네트워크/q0`, `네트워크/q1`, …
fn cards(n: usize) -> Vec<Card> {
    (0..n).map(|i| card("네트워크", &[], &format!("q{i}"))).collect()
}

fn answer(card: &Card, when: &str, grade: Grade, mode: Mode, rescheduled: bool) -> LogLine {
    LogLine::Review(Review {
        card: card.id.clone(),
        at: at(when),
        grade,
        mode,
        ms: 5000,
        rescheduled,
    })
}

fn drill(card: &Card, when: &str, grade: Grade) -> LogLine {
    answer(card, when, grade, Mode::Drill, false)
}

fn cram(card: &Card, when: &str, grade: Grade) -> LogLine {
    answer(card, when, grade, Mode::Cram, false)
}

fn undo(card: &Card, when: &str, undoes: &str) -> LogLine {
    LogLine::Undo {
        card: card.id.clone(),
        at: at(when),
        undoes: at(undoes),
    }
}

/// A drill answer (Good) on `day` of November 2026 at 21:00 in Seoul.
fn on_november(card: &Card, day: u8) -> LogLine {
    drill(card, &format!("2026-11-{day:02}T21:00:00+09:00"), Grade::Good)
}

fn scheduler() -> Scheduler {
    Scheduler::new(0.9, None).unwrap()
}

fn figures(cards: &[Card], progress: &Progress, lines: &[LogLine], now: &str) -> Stats {
    let refs: Vec<&Card> = cards.iter().collect();
    let scheduler = scheduler();
    stats(&Input {
        cards: &refs,
        progress,
        lines,
        only_these_cards: false,
        scheduler: &scheduler,
        now: at(now),
    })
}

fn history(cards: &[Card], lines: &[LogLine], now: &str) -> Stats {
    figures(cards, &Progress::default(), lines, now)
}

/// A review card last answered `elapsed` days before `NOW` with stability `stability` days, due `interval` days
/// after that answer, forgotten `lapses` times.
fn review_state(elapsed: f64, stability: f32, interval: i64, lapses: u32) -> CardState {
    let last = days_ago(elapsed);
    CardState {
        phase: Phase::Review,
        step: 0,
        due: Some(last.start_of(plus_days(last.day(), interval))),
        memory: Some(Memory {
            stability,
            difficulty: 5.0,
        }),
        reps: 3 + lapses,
        lapses,
        last_review: Some(last),
    }
}

fn progress(states: Vec<(&Card, CardState)>) -> Progress {
    Progress::with_states(states)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn retention_counts_review_answers_of_the_last_30_days_that_were_not_again() {
    let c = cards(5);
    let lines = vec![
        // q0: the first answer is not a review; 11-05 recalled, 11-10 Again, 11-10 22:00 the same day (not a
        // review), 11-15 Hard recalled. 3 reviews, 2 recalled.
        on_november(&c[0], 1),
        on_november(&c[0], 5),
        drill(&c[0], "2026-11-10T21:00:00+09:00", Grade::Again),
        drill(&c[0], "2026-11-10T22:00:00+09:00", Grade::Good),
        drill(&c[0], "2026-11-15T21:00:00+09:00", Grade::Hard),
        // q1: a cram answer leaves the schedule alone (not counted, and not a previous answer); the drill after
        // it is the first. Again on 11-13 is undone and answered Good. 1 review, 1 recalled.
        cram(&c[1], "2026-11-11T21:00:00+09:00", Grade::Again),
        on_november(&c[1], 12),
        drill(&c[1], "2026-11-13T21:00:00+09:00", Grade::Again),
        undo(&c[1], "2026-11-13T21:00:05+09:00", "2026-11-13T21:00:00+09:00"),
        drill(&c[1], "2026-11-13T21:00:10+09:00", Grade::Good),
        // q2: 10-21 is before the window; 10-22, its first day, counts. 1 review, 0 recalled.
        drill(&c[2], "2026-10-15T21:00:00+09:00", Grade::Good),
        drill(&c[2], "2026-10-21T21:00:00+09:00", Grade::Good),
        drill(&c[2], "2026-10-22T21:00:00+09:00", Grade::Again),
        // q3: a cram answer that moves the schedule counts. 1 review, 1 recalled.
        on_november(&c[3], 1),
        answer(&c[3], "2026-11-03T21:00:00+09:00", Grade::Easy, Mode::Cram, true),
        // q4: 03:30 still belongs to the day before (days start at 04:00); 04:30 is a new day. 1 review, 1 recalled.
        drill(&c[4], "2026-11-16T23:00:00+09:00", Grade::Good),
        drill(&c[4], "2026-11-17T03:30:00+09:00", Grade::Good),
        drill(&c[4], "2026-11-17T04:30:00+09:00", Grade::Good),
    ];
    let stats = history(&c, &lines, NOW);
    // 3 + 1 + 1 + 1 + 1 = 7 reviews; 2 + 1 + 0 + 1 + 1 = 5 recalled.
    assert_eq!(
        stats.retention,
        Retention {
            reviews: 7,
            recalled: 5
        }
    );
    assert!(close(stats.retention.rate().unwrap(), 5.0 / 7.0));
}

#[test]
fn no_reviews_means_no_retention() {
    let c = cards(1);
    // Two answers the same day: the second is not a review.
    let lines = vec![
        on_november(&c[0], 20),
        drill(&c[0], "2026-11-20T21:10:00+09:00", Grade::Good),
    ];
    let stats = history(&c, &lines, NOW);
    assert_eq!(stats.retention, Retention::default());
    assert_eq!(stats.retention.rate(), None);
    assert_eq!(history(&c, &[], NOW).retention.rate(), None);
}

#[test]
fn the_current_streak_ends_today_and_the_longest_spans_the_log() {
    let c = cards(2);
    // Nov 1–5 (5 days), 7–8 (2), 18–20 (3), the 19th by a cram answer.
    let mut lines: Vec<LogLine> = [1, 2, 3, 4, 5, 7, 8, 18, 20]
        .iter()
        .map(|&d| on_november(&c[0], d))
        .collect();
    lines.push(cram(&c[1], "2026-11-19T10:00:00+09:00", Grade::Again));
    let stats = history(&c, &lines, NOW);
    assert_eq!(
        stats.streak,
        Streak {
            current: 3,
            longest: 5,
            answered_today: true
        }
    );
}

#[test]
fn a_streak_not_yet_kept_today_still_counts_until_tomorrow() {
    let c = cards(1);
    let lines: Vec<LogLine> = [17, 18, 19].iter().map(|&d| on_november(&c[0], d)).collect();
    // Today (the 20th) has no answer yet: the run to yesterday still stands.
    let stats = history(&c, &lines, NOW);
    assert_eq!(
        stats.streak,
        Streak {
            current: 3,
            longest: 3,
            answered_today: false
        }
    );
    // On the 21st, with nothing on the 20th, it is broken.
    assert_eq!(history(&c, &lines, "2026-11-21T21:00:00+09:00").streak.current, 0);
    // 02:00 on the 21st is still the 20th: the streak goes on.
    let mut late = lines.clone();
    late.push(drill(&c[0], "2026-11-21T02:00:00+09:00", Grade::Good));
    let stats = history(&c, &late, "2026-11-21T03:00:00+09:00");
    assert_eq!(
        stats.streak,
        Streak {
            current: 4,
            longest: 4,
            answered_today: true
        }
    );
}

#[test]
fn answers_out_of_time_order_count_as_in_order() {
    let c = cards(2);
    // Two machines' logs joined: days out of order and repeated, and a day after today, which no streak reaches.
    let days = [18, 3, 4, 20, 1, 2, 19, 5, 7, 4, 8, 18, 22, 20];
    let lines: Vec<LogLine> = days.iter().map(|&d| on_november(&c[d % 2], d as u8)).collect();
    let mut sorted = days;
    sorted.sort();
    let in_order: Vec<LogLine> = sorted.iter().map(|&d| on_november(&c[d % 2], d as u8)).collect();
    let (mixed, ordered) = (history(&c, &lines, NOW), history(&c, &in_order, NOW));
    assert_eq!(
        mixed.streak,
        Streak {
            current: 3,
            longest: 5,
            answered_today: true
        }
    );
    assert_eq!(mixed.streak, ordered.streak);
    assert_eq!(mixed.calendar, ordered.calendar);
    assert_eq!(mixed.activity, ordered.activity);
    assert_eq!(mixed.calendar.total(), 13, "the 22nd is after the calendar");
}

#[test]
fn an_undone_answer_does_not_keep_a_streak() {
    let c = cards(1);
    let lines = vec![
        on_november(&c[0], 18),
        on_november(&c[0], 19),
        undo(&c[0], "2026-11-19T21:00:03+09:00", "2026-11-19T21:00:00+09:00"),
        on_november(&c[0], 20),
    ];
    let stats = history(&c, &lines, NOW);
    assert_eq!(
        stats.streak,
        Streak {
            current: 1,
            longest: 1,
            answered_today: true
        }
    );
    assert_eq!(history(&c, &[], NOW).streak, Streak::default());
}

#[test]
fn answers_per_day_are_the_answers_of_the_last_30_days_over_30() {
    let c = cards(1);
    let mut lines = Vec::new();
    // 10-22 03:59 belongs to 10-21, before the window; 04:00 is in it.
    lines.push(drill(&c[0], "2026-10-22T03:59:00+09:00", Grade::Good));
    lines.push(drill(&c[0], "2026-10-22T04:00:00+09:00", Grade::Good));
    // 40 answers on 11-01 (20 drill, 20 cram), 4 today: 1 + 40 + 4 = 45 answers, 1.5 a day.
    for i in 0..20 {
        lines.push(drill(&c[0], &format!("2026-11-01T21:{i:02}:00+09:00"), Grade::Good));
        lines.push(cram(&c[0], &format!("2026-11-01T22:{i:02}:00+09:00"), Grade::Again));
    }
    for i in 0..4 {
        lines.push(drill(&c[0], &format!("2026-11-20T20:{i:02}:00+09:00"), Grade::Good));
    }
    // One of today's is undone: 44 answers.
    lines.push(undo(&c[0], "2026-11-20T20:10:00+09:00", "2026-11-20T20:03:00+09:00"));
    let stats = history(&c, &lines, NOW);
    assert_eq!(stats.activity.daily.len(), 30);
    assert_eq!(stats.activity.answers(), 44);
    assert_eq!(stats.activity.daily[0], 1, "10-22");
    assert_eq!(stats.activity.daily[10], 40, "11-01");
    assert_eq!(stats.activity.daily[29], 3, "today");
    assert!(close(stats.activity.per_day(), 44.0 / 30.0));
}

#[test]
fn the_calendar_counts_answers_per_day_over_26_weeks_in_week_columns() {
    let c = cards(1);
    let mut lines = vec![
        // Before the calendar (05-22), its first day (05-23, a Saturday), and days with 2, 5 and 8 answers.
        drill(&c[0], "2026-05-22T21:00:00+09:00", Grade::Good),
        drill(&c[0], "2026-05-23T21:00:00+09:00", Grade::Good),
    ];
    for (day, n) in [(10, 2), (11, 5), (20, 8)] {
        for i in 0..n {
            lines.push(drill(&c[0], &format!("2026-11-{day}T21:{i:02}:00+09:00"), Grade::Good));
        }
    }
    let stats = history(&c, &lines, NOW);
    let calendar = &stats.calendar;
    assert_eq!(calendar.first, date(2026, 5, 23));
    assert_eq!(calendar.last(), date(2026, 11, 20));
    assert_eq!(calendar.answers.len(), 182);
    assert_eq!(calendar.answers[0], 1);
    assert_eq!(calendar.total(), 1 + 2 + 5 + 8);
    assert_eq!(calendar.active_days(), 4);
    assert_eq!(calendar.busiest(), 8);
    // Quarters of 8: 1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4.
    let levels: Vec<u8> = (0..=8).map(|n| calendar.level(n)).collect();
    assert_eq!(levels, [0, 1, 1, 2, 2, 3, 3, 4, 4]);
    assert_eq!(
        calendar.level_ranges(),
        [
            (1, Some((1, 2))),
            (2, Some((3, 4))),
            (3, Some((5, 6))),
            (4, Some((7, 8)))
        ]
    );
    let weeks = calendar.weeks();
    // The week of Monday 05-18 to the week of Monday 11-16: 27 columns.
    assert_eq!(weeks.len(), 27);
    assert_eq!(weeks[0][..5], [None; 5]);
    assert_eq!(weeks[0][5], Some((date(2026, 5, 23), 1)));
    assert_eq!(weeks[26][4], Some((date(2026, 11, 20), 8)));
    assert_eq!(weeks[26][5..], [None, None]);
    assert_eq!(weeks[25][1], Some((date(2026, 11, 10), 2)), "a Tuesday");
}

#[test]
fn a_busiest_day_of_one_answer_shades_at_the_top_level() {
    let c = cards(1);
    let stats = history(&c, &[on_november(&c[0], 20)], NOW);
    assert_eq!(stats.calendar.level(1), LEVELS);
    assert_eq!(
        stats.calendar.level_ranges(),
        [(1, None), (2, None), (3, None), (4, Some((1, 1)))]
    );
}

#[test]
fn the_forecast_counts_due_cards_per_day_with_overdue_ones_today() {
    let today = date(2026, 11, 20);
    let dues = [
        "2026-11-10T04:00:00+09:00", // overdue: today
        "2026-11-20T23:00:00+09:00", // later today
        "2026-11-21T03:59:00+09:00", // before 04:00: still today
        "2026-11-21T04:00:00+09:00", // tomorrow
        "2026-12-03T04:00:00+09:00", // day 13, the last
        "2026-12-04T04:00:00+09:00", // day 14: beyond
    ];
    let mut want = vec![0; 14];
    want[0] = 3;
    want[1] = 1;
    want[13] = 1;
    assert_eq!(forecast(dues.iter().map(|d| at(d)), today, 14), want);
    assert_eq!(forecast([], today, 3), [0, 0, 0]);
}

#[test]
fn the_forecast_takes_cards_that_are_not_new_and_honours_skips() {
    let c = cards(4);
    let mut p = progress(vec![
        (&c[0], review_state(10.0, 10.0, 10, 0)), // due today at 04:00: overdue
        (&c[1], review_state(1.0, 10.0, 3, 0)),   // answered yesterday, due in 2 days
        (&c[2], CardState::default()),            // new: never in the forecast
        (&c[3], review_state(10.0, 10.0, 10, 0)), // due today, but skipped until tomorrow
    ]);
    p.cards.get_mut(&c[3].id).unwrap().skipped_until = Some(at("2026-11-21T04:00:00+09:00"));
    let stats = figures(&c, &p, &[], NOW);
    assert_eq!(stats.forecast.len(), FORECAST_DAYS);
    assert_eq!(stats.forecast[..4], [1, 1, 1, 0]);
    assert_eq!(stats.forecast.iter().sum::<u32>(), 3);
}

/// A suspended card counts as suspended and as seen, but is no work: neither in the forecast nor among the weakest
/// cards; its lapses still count, and a leech is still a leech.
#[test]
fn a_suspended_card_is_counted_and_left_out_of_the_work_ahead() {
    let c = cards(3);
    let mut p = progress(vec![
        (&c[0], review_state(10.0, 2.0, 10, 9)),  // due today, weakest, a leech
        (&c[1], review_state(10.0, 30.0, 10, 0)), // due today
    ]);
    let before = figures(&c, &p, &[], NOW);
    assert_eq!((before.suspended, before.forecast[0]), (0, 2));
    assert_eq!(before.weakest[0].id, c[0].id);
    p.cards.get_mut(&c[0].id).unwrap().suspended = true;
    crate::history::set_suspended(&mut p, &c[2].id, true, Some(&c[2]));
    let stats = figures(&c, &p, &[], NOW);
    assert_eq!((stats.cards, stats.seen, stats.suspended), (3, 2, 2));
    assert_eq!(stats.forecast[0], 1);
    assert_eq!(stats.forecast.iter().sum::<u32>(), 1);
    assert_eq!(stats.weakest.len(), 1);
    assert_eq!(stats.weakest[0].id, c[1].id);
    assert_eq!(stats.leeches.len(), 1, "still a leech, to rewrite");
    assert_eq!(stats.topics[0].lapses, 9);
    let mut out = Vec::new();
    print::write_plain(&mut out, &stats).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("amgi stats · 2026-11-20 · 3 cards, 2 seen, 2 suspended\n"),
        "{text}"
    );
}

/// Under an interview plan the forecast shows the days the plan asks cards on.
#[test]
fn the_forecast_follows_an_interview_plan() {
    let c = cards(2);
    let mut p = progress(vec![
        // Answered yesterday, under the plan, FSRS due in 30 days: the plan brings it back on the eve.
        (&c[0], review_state(1.0, 30.0, 31, 0)),
        // Due in 3 days anyway: kept.
        (&c[1], review_state(1.0, 10.0, 4, 0)),
    ]);
    p.settings.interview = Some(date(2026, 11, 26));
    p.settings.planned_on = Some(date(2026, 11, 18));
    let stats = figures(&c, &p, &[], NOW);
    // Today is the 20th: the 23rd is day 3, the eve (25th) day 5.
    assert_eq!(stats.forecast[..7], [0, 0, 0, 1, 0, 1, 0]);
    assert_eq!(stats.forecast.iter().sum::<u32>(), 2);
    assert_eq!(stats.interview, Some(date(2026, 11, 26)));
    assert_eq!(
        stats.interview_note().as_deref(),
        Some("interview 2026-11-26 (in 6 days)")
    );
    let mut out = Vec::new();
    print::write_plain(&mut out, &stats).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("amgi stats · 2026-11-20 · 2 cards, 2 seen · interview 2026-11-26 (in 6 days)\n"));
    let mut out = Vec::new();
    print::write_json(&mut out, &stats).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["interview"], "2026-11-26");
    // The day after the interview it is no longer mentioned.
    assert_eq!(figures(&c, &p, &[], "2026-11-27T10:00:00+09:00").interview, None);
    p.settings.interview = None;
    assert_eq!(figures(&c, &p, &[], NOW).forecast[5], 0, "without the plan, FSRS's day");
}

#[test]
fn leeches_have_eight_lapses_or_more_most_first() {
    let c = cards(4);
    let p = progress(vec![
        (&c[0], review_state(1.0, 10.0, 5, LEECH_LAPSES - 1)),
        (&c[1], review_state(1.0, 10.0, 5, LEECH_LAPSES)),
        (&c[2], review_state(1.0, 10.0, 5, 12)),
        (&c[3], review_state(1.0, 10.0, 5, LEECH_LAPSES)),
    ]);
    let stats = figures(&c, &p, &[], NOW);
    let names: Vec<&str> = stats.leeches.iter().map(|r| r.question.as_str()).collect();
    assert_eq!(names, ["q2", "q1", "q3"]);
    assert!(stats.leeches.iter().all(CardRow::is_leech));
    assert_eq!(stats.topics[0].leeches, 3);
    assert_eq!(stats.topics[0].lapses, 7 + 8 + 12 + 8);
}

#[test]
fn mature_cards_are_review_cards_with_an_interval_of_21_days_or_more() {
    let c = cards(5);
    let mut relearning = review_state(1.0, 30.0, 40, 1);
    relearning.phase = Phase::Relearning;
    let p = progress(vec![
        (&c[0], review_state(1.0, 30.0, 21, 0)), // mature
        (&c[1], review_state(1.0, 30.0, 20, 0)), // not yet
        (&c[2], review_state(1.0, 30.0, 100, 0)),
        (&c[3], relearning),
        (&c[4], CardState::default()),
    ]);
    let stats = figures(&c, &p, &[], NOW);
    assert_eq!(stats.topics.len(), 1);
    let row = &stats.topics[0];
    assert_eq!((row.cards, row.seen, row.mature), (5, 4, 2));
    assert_eq!((stats.cards, stats.seen), (5, 4));
}

#[test]
fn topics_come_weakest_first_and_unseen_ones_last() {
    let network = [card("네트워크", &[], "a"), card("네트워크", &[], "b")];
    let database = [card("데이터베이스", &[], "c")];
    let os = [card("운영체제", &[], "d")];
    let algorithms = [card("algorithms", &[], "e")];
    let web = [card("web", &[], "f")];
    let all: Vec<Card> = [&network[..], &database, &os, &algorithms, &web].concat();
    let p = progress(vec![
        // 네트워크: recall 0.9 (elapsed = stability) and 1.0 (just answered): mean 0.95.
        (&network[0], review_state(10.0, 10.0, 10, 0)),
        (&network[1], review_state(0.0, 10.0, 10, 0)),
        // 데이터베이스: 30 days at stability 10: (1 + 3 × (0.9^(−1/0.1542) − 1))^(−0.1542) = 0.80939.
        (&database[0], review_state(30.0, 10.0, 10, 0)),
        // 운영체제: 0.9, the same as algorithms: by name, "algorithms" first.
        (&os[0], review_state(10.0, 10.0, 10, 0)),
        (&algorithms[0], review_state(20.0, 20.0, 10, 0)),
        // web: nothing seen.
    ]);
    let stats = figures(&all, &p, &[], NOW);
    let order: Vec<&str> = stats.topics.iter().map(|t| t.topic.as_str()).collect();
    assert_eq!(order, ["데이터베이스", "algorithms", "운영체제", "네트워크", "web"]);
    assert!(
        close(stats.topics[0].recall.unwrap(), 0.809_388),
        "{:?}",
        stats.topics[0]
    );
    assert!(close(stats.topics[1].recall.unwrap(), 0.9));
    assert!(close(stats.topics[3].recall.unwrap(), 0.95));
    assert_eq!(stats.topics[3].cards, 2);
    assert_eq!(stats.topics[4].recall, None);
    assert_eq!(stats.topics[4].seen, 0);
}

#[test]
fn the_weakest_ten_are_seen_cards_by_recall_then_lapses_then_note_order() {
    let c: Vec<Card> = (0..13)
        .map(|i| card("운영체제", &["메모리"], &format!("q{i}")))
        .collect();
    let mut states = vec![(&c[0], CardState::default())]; // new: never listed
    // q1..q12 at stability 10, answered 13 − i days ago: recall rises with i, but for the ties below.
    for (i, card) in c.iter().enumerate().skip(1) {
        states.push((card, review_state(f64::from(13 - i as u32), 10.0, 10, 0)));
    }
    // q3 and q4 tie with q5 (answered 8 days ago); q4 has more lapses, so q4, then q3 and q5 in note order.
    states[3].1 = review_state(8.0, 10.0, 10, 0);
    states[4].1 = review_state(8.0, 10.0, 10, 2);
    let p = progress(states);
    let stats = figures(&c, &p, &[], NOW);
    let names: Vec<&str> = stats.weakest.iter().map(|r| r.question.as_str()).collect();
    assert_eq!(names, ["q1", "q2", "q4", "q3", "q5", "q6", "q7", "q8", "q9", "q10"]);
    // q1 was answered 12 days ago at stability 10: (1 + 1.2 × factor)^(−0.1542) with factor = 0.9^(−1/0.1542) − 1.
    let factor = 0.9f64.powf(-1.0 / 0.1542) - 1.0;
    assert!(close(
        stats.weakest[0].recall.unwrap(),
        (1.0 + 1.2 * factor).powf(-0.1542)
    ));
    // q10 is answered 3 days ago.
    assert!(close(
        stats.weakest[9].recall.unwrap(),
        (1.0 + 0.3 * factor).powf(-0.1542)
    ));
    assert_eq!(stats.weakest[2].lapses, 2);
    assert_eq!(stats.weakest[0].path, ["메모리"]);
    assert_eq!(stats.weakest[0].topic, "운영체제");
}

#[test]
fn a_topic_filter_counts_only_the_lines_of_its_cards() {
    let c = cards(2);
    let gone = card("삭제됨", &[], "no longer in the notes");
    let lines = vec![on_november(&c[0], 20), on_november(&c[1], 20), on_november(&gone, 19)];
    let scheduler = scheduler();
    let only_first = [&c[0]];
    let input = Input {
        cards: &only_first,
        progress: &Progress::default(),
        lines: &lines,
        only_these_cards: true,
        scheduler: &scheduler,
        now: at(NOW),
    };
    let filtered = stats(&input);
    assert_eq!(filtered.activity.answers(), 1);
    assert_eq!(filtered.streak.current, 1);
    assert_eq!(filtered.cards, 1);
    // Without a filter every line counts, the card no longer in the notes too.
    let all = stats(&Input {
        only_these_cards: false,
        ..input
    });
    assert_eq!(all.activity.answers(), 3);
    assert_eq!(all.streak.current, 2);
}

#[test]
fn a_progress_with_every_card_new_and_no_log_gives_zeros() {
    let c = cards(3);
    let stats = history(&c, &[], NOW);
    assert_eq!((stats.cards, stats.seen), (3, 0));
    assert_eq!(stats.calendar.total(), 0);
    assert_eq!(stats.calendar.level(0), 0);
    assert_eq!(stats.forecast, vec![0; FORECAST_DAYS]);
    assert!(stats.weakest.is_empty() && stats.leeches.is_empty());
    assert_eq!(stats.topics[0].recall, None);
    assert_eq!(stats.activity.per_day(), 0.0);
}

/// A history with something in every section, for the text and JSON forms.
fn sample() -> Stats {
    let network = [
        card("네트워크", &["전송 계층"], "TCP와 UDP의 차이는?"),
        card("네트워크", &["응용 계층"], "DNS 조회 과정"),
    ];
    let database = [card("데이터베이스", &["인덱스"], "B+ 트리 인덱스를 쓰는 이유는?")];
    let all: Vec<Card> = [&network[..], &database].concat();
    let mut lines = Vec::new();
    for day in [2, 3, 4, 10, 11, 18, 19, 20] {
        lines.push(on_november(&network[0], day));
        lines.push(drill(
            &network[1],
            &format!("2026-11-{day:02}T21:05:00+09:00"),
            Grade::Again,
        ));
    }
    for i in 0..6 {
        lines.push(cram(
            &database[0],
            &format!("2026-07-01T21:{i:02}:00+09:00"),
            Grade::Good,
        ));
    }
    let p = progress(vec![
        (&network[0], review_state(0.0, 30.0, 25, 0)),
        (&network[1], review_state(0.0, 1.0, 1, 9)),
        (&database[0], review_state(30.0, 10.0, 10, 1)),
    ]);
    figures(&all, &p, &lines, NOW)
}

#[test]
fn the_plain_form() {
    let mut out = Vec::new();
    print::write_plain(&mut out, &sample()).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn the_json_form() {
    let mut out = Vec::new();
    print::write_json(&mut out, &sample()).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "one line");
    let keys = [
        "today",
        "cards",
        "seen",
        "suspended",
        "calendar",
        "streak",
        "retention",
        "activity",
        "topics",
        "weakest",
        "leeches",
        "forecast",
        "interview",
    ];
    let mut from = 0;
    for key in keys {
        let found = text[from..].find(&format!("\"{key}\":"));
        from += found.unwrap_or_else(|| panic!("{key} not in the documented order: {text}"));
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["today"], "2026-11-20");
    assert_eq!(v["interview"], serde_json::Value::Null);
    assert_eq!((v["cards"].as_u64(), v["seen"].as_u64()), (Some(3), Some(3)));
    assert_eq!(v["suspended"], 0);
    let calendar = &v["calendar"];
    assert_eq!(
        (calendar["from"].as_str(), calendar["to"].as_str()),
        (Some("2026-05-23"), Some("2026-11-20"))
    );
    assert_eq!(calendar["answers"].as_array().unwrap().len(), 182);
    assert_eq!(calendar["answers"][181], 2);
    assert_eq!(
        (calendar["total"].as_u64(), calendar["active_days"].as_u64()),
        (Some(22), Some(9))
    );
    assert_eq!(calendar["busiest"], 6);
    assert_eq!(
        v["streak"],
        serde_json::json!({"current": 3, "longest": 3, "answered_today": true})
    );
    // The Again of DNS on every day after the first (7), and TCP's Good on the same days (7).
    assert_eq!(
        v["retention"],
        serde_json::json!({"days": 30, "reviews": 14, "recalled": 7, "rate": 0.5})
    );
    assert_eq!(v["activity"]["answers"], 16);
    assert_eq!(v["activity"]["per_day"], 0.5333);
    assert_eq!(v["activity"]["daily"].as_array().unwrap().len(), 30);
    assert_eq!(
        v["topics"][0],
        serde_json::json!({
            "topic": "데이터베이스", "cards": 1, "seen": 1, "mature": 0, "recall": 0.8094, "lapses": 1, "leeches": 0
        })
    );
    assert_eq!(v["topics"][1]["leeches"], 1);
    assert_eq!(
        v["weakest"][0],
        serde_json::json!({
            "id": "데이터베이스/인덱스/B+ 트리 인덱스를 쓰는 이유는?", "topic": "데이터베이스", "path": ["인덱스"],
            "question": "B+ 트리 인덱스를 쓰는 이유는?", "recall": 0.8094, "lapses": 1, "leech": false
        })
    );
    assert_eq!(v["leeches"][0]["leech"], true);
    assert_eq!(v["leeches"][0]["lapses"], 9);
    assert_eq!(v["forecast"].as_array().unwrap().len(), 14);
    assert_eq!(v["forecast"][0], serde_json::json!({"day": "2026-11-20", "due": 1}));
    assert_eq!(v["forecast"][13], serde_json::json!({"day": "2026-12-03", "due": 0}));
}

/// What [`history::effective`] gives, worked out the plain way: every step kept, an undo blanking the latest
/// review of its card at the moment it names that no undo blanked yet.
fn effective_by_hand(lines: &[LogLine]) -> Vec<history::Step<'_>> {
    let mut kept: Vec<Option<history::Step<'_>>> = Vec::new();
    for line in lines {
        match line {
            LogLine::Review(review) => kept.push(Some(history::Step::Review(review))),
            LogLine::Undo { card, undoes, .. } => {
                let slot = kept
                    .iter_mut()
                    .rev()
                    .find(|s| matches!(s, Some(history::Step::Review(r)) if r.card == *card && r.at == *undoes));
                if let Some(slot) = slot {
                    *slot = None;
                }
            }
            other => panic!("only answers and undos here: {other:?}"),
        }
    }
    kept.into_iter().flatten().collect()
}

#[test]
fn undos_take_back_the_answers_they_name_however_many_and_in_any_order() {
    let c = cards(3);
    let t = |second: u32| format!("2026-11-20T10:00:{second:02}+09:00");
    // Two answers to one card in the same second, both undone; an undo of an answer that is not there; an undo
    // of an earlier answer after later ones; answers again after their undo.
    let lines = vec![
        drill(&c[0], &t(1), Grade::Good),
        drill(&c[0], &t(1), Grade::Again),
        drill(&c[1], &t(2), Grade::Good),
        undo(&c[0], &t(3), &t(1)),
        undo(&c[0], &t(4), &t(1)),
        undo(&c[0], &t(5), &t(1)),
        undo(&c[2], &t(6), &t(2)),
        drill(&c[2], &t(7), Grade::Hard),
        drill(&c[0], &t(8), Grade::Good),
        undo(&c[1], &t(9), &t(2)),
        drill(&c[1], &t(10), Grade::Easy),
        undo(&c[0], &t(11), &t(8)),
        drill(&c[0], &t(12), Grade::Good),
    ];
    let kept = history::effective(&lines);
    assert_eq!(kept, effective_by_hand(&lines));
    let moment_of = |s: &history::Step<'_>| match s {
        history::Step::Review(r) => r.at,
        other => panic!("{other:?}"),
    };
    let left: Vec<Moment> = kept.iter().map(moment_of).collect();
    assert_eq!(left, vec![at(&t(7)), at(&t(10)), at(&t(12))]);
    // Every prefix too: an undo coming before or after any other line.
    for n in 0..=lines.len() {
        assert_eq!(
            history::effective(&lines[..n]),
            effective_by_hand(&lines[..n]),
            "{n} lines"
        );
    }
    // And without any undo, every answer as it came.
    let answers: Vec<LogLine> = lines
        .iter()
        .filter(|l| matches!(l, LogLine::Review(_)))
        .cloned()
        .collect();
    assert_eq!(history::effective(&answers).len(), answers.len());
}

#[test]
fn a_long_log_counted_on_its_own_thread_gives_the_figures_of_one() {
    let c = cards(40);
    // Over LINES_FOR_A_THREAD answers, one every 7 minutes back from now, a card in turn, every fifth forgotten.
    let lines: Vec<LogLine> = (0..LINES_FOR_A_THREAD as i64 + 500)
        .map(|i| {
            let when = at(NOW).plus(jiff::SignedDuration::from_mins(-7 * i)).to_string();
            let grade = if i % 5 == 0 { Grade::Again } else { Grade::Good };
            drill(&c[(i % 40) as usize], &when, grade)
        })
        .rev()
        .collect();
    let all = history(&c, &lines, NOW);
    let refs: Vec<&Card> = c.iter().collect();
    let scheduler = scheduler();
    let progress = Progress::default();
    let input = Input {
        cards: &refs,
        progress: &progress,
        lines: &lines,
        only_these_cards: false,
        scheduler: &scheduler,
        now: at(NOW),
    };
    let one = answers(&input, at(NOW).day());
    assert_eq!(all.calendar.answers, one.calendar);
    assert_eq!(all.activity.daily, one.recent);
    assert_eq!(all.retention, one.retention);
    assert_eq!(all.streak, streak(one.days, at(NOW).day()));
    assert_eq!(all.calendar.total(), lines.len() as u32);
    assert!(all.retention.reviews > 0, "{:?}", all.retention);
}

/// Questions asked without a written answer are counted apart from the cards in the heading line.
#[test]
fn questions_without_an_answer_are_counted_apart() {
    let mut stats = sample();
    stats.cards = 6;
    stats.questions = 2;
    let mut out = Vec::new();
    super::print::write_plain(&mut out, &stats).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("amgi stats · 2026-11-20 · 4 cards, 2 questions, "),
        "{text}"
    );
    stats.cards = 1;
    stats.questions = 0;
    assert_eq!(super::print::cards_text(&stats), "1 card");
}
