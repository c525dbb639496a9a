//! The log applied to progress: suspensions and releases in a replay, with undos, moves and the store's reading.

use super::*;
use crate::notes::parse;
use crate::schedule::Grade;
use crate::store::Store;
use crate::time::Moment;

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

fn cards() -> Vec<Card> {
    parse("## 하나\n\n1\n\n## 둘\n\n2\n\n## 셋\n\n3\n", "t.md", "t").cards
}

fn scheduler() -> Scheduler {
    Scheduler::new(0.9, None).unwrap()
}

fn review(card: &Card, when: &str, grade: Grade) -> LogLine {
    LogLine::Review(Review {
        card: card.id.clone(),
        at: at(when),
        grade,
        mode: Mode::Drill,
        ms: 1000,
        rescheduled: false,
    })
}

fn suspend(id: &CardId, when: &str) -> LogLine {
    LogLine::Suspend {
        card: id.clone(),
        at: at(when),
    }
}

fn release(id: &CardId, when: &str) -> LogLine {
    LogLine::Release {
        card: id.clone(),
        at: at(when),
    }
}

fn replayed(lines: &[LogLine], previous: Option<&Progress>) -> Progress {
    replay(lines, 100, &cards(), previous, &scheduler())
}

#[test]
fn a_suspension_keeps_the_cards_state_and_a_release_ends_it() {
    let c = cards();
    let answered = [review(&c[0], "2026-11-24T21:00:00+09:00", Grade::Easy)];
    let base = replayed(&answered, None);
    let mut lines = answered.to_vec();
    lines.push(suspend(&c[0].id, "2026-11-24T21:00:05+09:00"));
    let suspended = replayed(&lines, None);
    let entry = &suspended.cards[&c[0].id];
    assert!(entry.suspended);
    assert_eq!(entry.state, base.cards[&c[0].id].state, "the schedule stays as it was");
    lines.push(release(&c[0].id, "2026-11-25T08:00:00+09:00"));
    assert_eq!(replayed(&lines, None), base, "released, it is as if never suspended");
}

#[test]
fn a_new_card_suspended_gets_an_entry_and_leaves_none_once_released() {
    let c = cards();
    let lines = [suspend(&c[1].id, "2026-11-24T21:00:00+09:00")];
    let progress = replayed(&lines, None);
    let entry = &progress.cards[&c[1].id];
    assert!(entry.suspended);
    assert_eq!(entry.question, "둘");
    assert_eq!(entry.answer_hash, "", "no answer was seen");
    assert_eq!(entry.state, CardState::default());
    let released = replayed(
        &[lines[0].clone(), release(&c[1].id, "2026-11-24T21:00:01+09:00")],
        None,
    );
    assert!(released.cards.is_empty(), "{released:?}");

    // A skip the old progress kept stays, but not a suspension the log no longer has.
    let mut previous = progress.clone();
    let skipped = previous.cards.get_mut(&c[1].id).unwrap();
    skipped.skipped_until = Some(at("2026-11-25T04:00:00+09:00"));
    let rebuilt = replayed(&[], Some(&previous));
    let entry = &rebuilt.cards[&c[1].id];
    assert_eq!(entry.skipped_until, Some(at("2026-11-25T04:00:00+09:00")));
    assert!(!entry.suspended, "the log alone says what is suspended");
}

#[test]
fn an_undo_takes_back_an_answer_never_a_suspension() {
    let c = cards();
    let when = "2026-11-24T21:00:00+09:00";
    let lines = [
        review(&c[0], when, Grade::Good),
        suspend(&c[0].id, when),
        LogLine::Undo {
            card: c[0].id.clone(),
            at: at(when),
            undoes: at(when),
        },
    ];
    let progress = replayed(&lines, None);
    let entry = &progress.cards[&c[0].id];
    assert!(entry.suspended);
    assert_eq!(entry.state.reps, 0, "the answer was taken back");
    assert_eq!(effective_reviews(&lines).len(), 0);
}

#[test]
fn a_move_carries_the_suspension_to_the_new_id() {
    let c = cards();
    let old = CardId::new("old", &[], "하나");
    let lines = [
        LogLine::Review(Review {
            card: old.clone(),
            at: at("2026-11-24T21:00:00+09:00"),
            grade: Grade::Easy,
            mode: Mode::Drill,
            ms: 1,
            rescheduled: false,
        }),
        suspend(&old, "2026-11-24T21:00:01+09:00"),
        LogLine::Move {
            card: c[0].id.clone(),
            at: at("2026-11-25T21:00:00+09:00"),
            from: old.clone(),
        },
    ];
    let progress = replayed(&lines, None);
    assert!(!progress.cards.contains_key(&old));
    let entry = &progress.cards[&c[0].id];
    assert!(entry.suspended);
    assert_eq!(entry.state.reps, 1);
    assert_eq!(entry.question, "하나");
    // Released under its new id, it is asked again.
    let mut more = lines.to_vec();
    more.push(release(&c[0].id, "2026-11-25T21:00:01+09:00"));
    assert!(!replayed(&more, None).cards[&c[0].id].suspended);
}

/// Read through the store: lines in time order wherever they stand, a copy counted once.
#[test]
fn the_log_applies_suspensions_in_time_order_each_line_once() {
    let c = cards();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let s = suspend(&c[2].id, "2026-11-24T21:00:00+09:00");
    let r = release(&c[2].id, "2026-11-24T22:00:00+09:00");
    let id = |n: u32| Some(crate::store::LineId::new(s.at(), 3, n));
    // The release was written first (merged in from another machine), and the suspension copied twice after it.
    let text = [
        crate::store::render_line_with_id(&r, id(2)),
        crate::store::render_line_with_id(&s, id(1)),
        crate::store::render_line_with_id(&s, id(1)),
    ]
    .map(|line| line + "\n")
    .concat();
    std::fs::write(store.reviews_path(), &text).unwrap();
    let log = store.read_log(0).unwrap();
    assert_eq!(log.lines, [s.clone(), r.clone()]);
    assert_eq!(log.repeats.len(), 1);
    assert!(
        replayed(&log.lines, None).cards.is_empty(),
        "released after it was suspended"
    );
}

/// A suspension or release in the tail after a crash is applied as a replay applies it: the tail may be one from
/// another machine that an earlier line outdoes.
#[test]
fn catching_up_with_a_suspension_replays_the_whole_log() {
    let c = cards();
    let s = scheduler();
    let lines = vec![
        review(&c[0], "2026-11-24T21:00:00+09:00", Grade::Good),
        release(&c[0].id, "2026-11-24T21:10:00+09:00"),
        // Merged in later, but from before the release.
        suspend(&c[0].id, "2026-11-24T21:05:00+09:00"),
    ];
    let progress = replay(&lines[..2], 50, &c, None, &s);
    let mut whole_lines = lines.clone();
    whole_lines.sort_by_key(LogLine::at);
    let whole = Log {
        lines: whole_lines.clone(),
        len: 90,
        ..Log::default()
    };
    let caught = catch_up(progress, &lines[2..], 90, &c, &s, || Ok::<_, ()>(whole)).unwrap();
    assert_eq!(caught, replay(&whole_lines, 90, &c, None, &s));
    assert!(!caught.cards[&c[0].id].suspended, "the later release wins");

    // A crash between appending a suspension and saving progress: the next start suspends the card.
    let lines = [
        review(&c[1], "2026-11-24T21:00:00+09:00", Grade::Good),
        suspend(&c[1].id, "2026-11-24T21:01:00+09:00"),
    ];
    let progress = replay(&lines[..1], 50, &c, None, &s);
    let whole = Log {
        lines: lines.to_vec(),
        len: 90,
        ..Log::default()
    };
    let caught = catch_up(progress, &lines[1..], 90, &c, &s, || Ok::<_, ()>(whole)).unwrap();
    assert!(caught.cards[&c[1].id].suspended);
    assert_eq!(caught, replay(&lines, 90, &c, None, &s));
}

#[test]
fn of_two_interview_plans_the_later_wins_wherever_its_line_stands() {
    use crate::store::PlanChange;
    let day = |d: &str| d.parse::<jiff::civil::Date>().unwrap();
    let laptop = LogLine::plan(
        at("2026-11-24T21:00:00+09:00"),
        PlanChange::Set {
            interview: day("2026-12-10"),
            planned_on: day("2026-11-24"),
        },
    );
    let desktop = LogLine::plan(
        at("2026-11-25T08:00:00+09:00"),
        PlanChange::Set {
            interview: day("2026-12-17"),
            planned_on: day("2026-11-25"),
        },
    );
    let cleared = LogLine::plan(at("2026-11-26T08:00:00+09:00"), PlanChange::Cleared);
    // A merge may put either machine's lines first; the log is applied in time order.
    for lines in [[laptop.clone(), desktop.clone()], [desktop.clone(), laptop.clone()]] {
        let text: String = lines.iter().map(|l| crate::store::render_line(l) + "\n").collect();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("reviews.yaml"), text).unwrap();
        let log = Store::new(dir.path()).read_log(0).unwrap();
        let settings = replayed(&log.lines, None).settings;
        assert_eq!(settings.interview, Some(day("2026-12-17")));
        assert_eq!(settings.planned_on, Some(day("2026-11-25")));
    }
    // A plan cleared later clears one the old progress.yaml still had.
    let mut previous = Progress::default();
    previous.settings.interview = Some(day("2026-12-10"));
    previous.settings.planned_on = Some(day("2026-11-24"));
    let settings = replayed(&[laptop, cleared], Some(&previous)).settings;
    assert_eq!((settings.interview, settings.planned_on), (None, None));
    // A replay of a log that says nothing of a plan keeps the one progress.yaml had.
    assert_eq!(replayed(&[], Some(&previous)).settings, previous.settings);
}
