use super::*;
use crate::card::CardId;
use crate::notes::parse;
use crate::schedule::{CardState, Phase};
use crate::session::MemoryJournal as Memory;

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

const NOW: &str = "2026-11-24T21:00:00+09:00";

fn deck() -> Vec<Card> {
    let md = "## 하나\n\n1\n\n## 둘\n\n2\n\n## 셋\n\n3\n\n## 넷\n\n4\n\n## 다섯\n\n5\n";
    parse(md, "t.md", "t").cards
}

fn scheduler() -> Scheduler {
    Scheduler::new(0.9, None).unwrap()
}

/// A drill of `cards` with no progress yet, the default limits and nothing done today.
fn fresh_drill<'s>(cards: &[Card], scheduler: &'s Scheduler, now: Moment) -> Session<'s> {
    Session::drill(
        cards.to_vec(),
        Progress::default(),
        scheduler,
        now,
        Limits::default(),
        Today::default(),
    )
}

fn question(card: Option<&Card>) -> &str {
    card.map_or("", |c| c.question.as_str())
}

/// Progress where card `i` of `deck()` has `state`.
fn with_states(states: &[(usize, CardState)]) -> Progress {
    let cards = deck();
    Progress::with_states(states.iter().map(|(i, state)| (&cards[*i], state.clone())))
}

fn review_state(days_ago: i64, stability: f32, due: Moment) -> CardState {
    let now = at(NOW);
    CardState {
        phase: Phase::Review,
        memory: Some(crate::schedule::Memory {
            stability,
            difficulty: 5.0,
        }),
        reps: 3,
        last_review: Some(now.plus(SignedDuration::from_hours(-24 * days_ago))),
        due: Some(due),
        ..CardState::default()
    }
}

#[test]
fn a_drill_asks_due_learning_then_weakest_reviews_then_new_cards() {
    let now = at(NOW);
    let learning = CardState {
        phase: Phase::Learning,
        step: 1,
        due: Some(now.plus(SignedDuration::from_mins(-1))),
        reps: 1,
        last_review: Some(now.plus(SignedDuration::from_mins(-11))),
        memory: Some(crate::schedule::Memory {
            stability: 2.3,
            difficulty: 2.1,
        }),
        ..CardState::default()
    };
    let progress = with_states(&[
        (0, review_state(10, 30.0, now)), // strong: recall high
        (1, review_state(10, 2.0, now)),  // weak: recall low
        (2, learning),                    // due a minute ago
        (3, review_state(1, 30.0, now.plus(SignedDuration::from_hours(48)))), // not due
    ]);
    let cards = deck();
    let s = scheduler();
    let mut session = Session::drill(cards.clone(), progress, &s, now, Limits::default(), Today::default());
    let mut journal = Memory::default();
    let mut asked = Vec::new();
    while let Some(card) = session.next(now) {
        asked.push(card.question.clone());
        session.grade(Grade::Easy, now, 1000, &mut journal).unwrap();
    }
    assert_eq!(asked, ["셋", "둘", "하나", "다섯"]);
    assert_eq!(journal.lines.len(), 4);
}

#[test]
fn daily_limits_count_what_was_done_today() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let limits = Limits { new: 3, reviews: 200 };
    let today = Today {
        new_seen: 2,
        reviewed: 0,
    };
    let mut session = Session::drill(cards.clone(), Progress::default(), &s, now, limits, today);
    assert_eq!(question(session.next(now)), "하나");
    session.skip(now, &mut Memory::default()).unwrap();
    assert_eq!(session.next(now), None, "one new card left today");
}

#[test]
fn every_answer_is_saved_before_the_next_card_and_a_failed_card_comes_back() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let limits = Limits { new: 2, reviews: 200 };
    let mut session = Session::drill(cards.clone(), Progress::default(), &s, now, limits, Today::default());
    let mut journal = Memory::default();
    assert_eq!(question(session.next(now)), "하나");
    session.reveal();
    session.grade(Grade::Again, now, 5400, &mut journal).unwrap();
    let saved = journal.saved.clone().unwrap();
    assert_eq!(saved.log_offset, 100);
    assert_eq!(saved.cards[&cards[0].id].state.phase, Phase::Learning);
    assert_eq!(session.counts(), [1, 1, 0]);

    assert_eq!(question(session.next(now)), "둘");
    session.grade(Grade::Good, now, 10, &mut journal).unwrap();
    // Nothing else left: learning cards due within 20 minutes are shown early, earliest first.
    assert_eq!(question(session.next(now)), "하나");
    session.grade(Grade::Good, now, 10, &mut journal).unwrap();
    assert_eq!(question(session.next(now)), "둘");
    session.grade(Grade::Good, now, 10, &mut journal).unwrap();
    assert_eq!(question(session.next(now)), "하나");
    session.grade(Grade::Good, now, 10, &mut journal).unwrap();
    assert_eq!(session.next(now), None, "both graduated to days");
    assert_eq!(
        session.stats(),
        Stats {
            answered: 5,
            again: 1,
            ms: 5440,
            reviews: 0,
            forgotten: 0,
        }
    );
    let LogLine::Review(first) = &journal.lines[0] else {
        panic!()
    };
    assert_eq!((first.grade, first.ms, first.mode), (Grade::Again, 5400, Mode::Drill));
}

#[test]
fn undo_puts_back_the_state_the_queue_and_the_card() {
    let now = at(NOW);
    let later = now.plus(SignedDuration::from_secs(30));
    let cards = deck();
    let s = scheduler();
    let mut session = fresh_drill(&cards, &s, now);
    let mut journal = Memory::default();
    session.next(now);
    session.grade(Grade::Good, now, 10, &mut journal).unwrap();
    assert_eq!(question(session.next(now)), "둘");
    assert!(session.undo(later, &mut journal).unwrap());
    assert_eq!(question(session.current()), "하나");
    assert!(!session.progress().cards.contains_key(&cards[0].id));
    assert_eq!(journal.saved.as_ref().unwrap().cards.len(), 0);
    assert_eq!(session.stats().answered, 0);
    assert!(matches!(
        &journal.lines[1],
        LogLine::Undo { card, at, undoes } if *card == cards[0].id && *at == later && *undoes == now
    ));
    // The card that was up goes back to the front of the queue.
    session.grade(Grade::Easy, later, 10, &mut journal).unwrap();
    assert_eq!(question(session.next(later)), "둘");
    assert!(session.undo(later, &mut journal).unwrap());
    assert!(
        !session.undo(later, &mut journal).unwrap(),
        "only this session's answers"
    );
}

/// A journal whose appends go through and whose saves of progress.yaml fail.
#[derive(Default)]
struct SaveFails(Memory);

impl Journal for SaveFails {
    fn append(&mut self, line: &LogLine) -> Result<LogEnd, StoreError> {
        self.0.append(line)
    }

    fn save(&mut self, _: &Progress) -> Result<(), StoreError> {
        Err(StoreError::Io {
            action: "write",
            path: "progress.yaml".into(),
            error: std::io::Error::other("disk full"),
        })
    }
}

#[test]
fn a_save_that_fails_after_the_log_line_leaves_the_progress_as_it_was() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut session = fresh_drill(&cards, &s, now);
    let mut memory = Memory::default();
    session.next(now);
    session.grade(Grade::Good, now, 10, &mut memory).unwrap();
    let before = session.progress().clone();
    let mut failing = SaveFails::default();
    for step in ["grade", "skip", "suspend", "undo"] {
        session.next(now);
        let result = match step {
            "grade" => session.grade(Grade::Again, now, 10, &mut failing),
            "skip" => session.skip(now, &mut failing).map(|_| ()),
            "suspend" => session.suspend(now, &mut failing),
            _ => session.undo(now, &mut failing).map(|_| ()),
        };
        assert!(result.is_err(), "{step}");
        assert_eq!(session.progress(), &before, "{step}: as before");
    }
    assert_eq!(session.stats().answered, 1);
}

#[test]
fn a_failed_save_changes_nothing() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut session = fresh_drill(&cards, &s, now);
    let mut journal = Memory {
        fail: true,
        ..Memory::default()
    };
    session.next(now);
    assert!(session.grade(Grade::Good, now, 10, &mut journal).is_err());
    assert_eq!(question(session.current()), "하나");
    assert!(session.progress().cards.is_empty());
    assert_eq!(session.stats().answered, 0);
}

#[test]
fn a_cram_asks_again_a_few_cards_later_and_leaves_the_schedule_alone() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let progress = with_states(&[(4, review_state(3, 10.0, now.plus(SignedDuration::from_hours(24 * 5))))]);
    let order = queue::cram(&cards, &progress, &s, now);
    assert_eq!(order, [0, 1, 2, 3, 4], "never seen first, in note order");
    let mut session = Session::cram(cards.clone(), progress.clone(), &s, order, false);
    let mut journal = Memory::default();
    assert!(session.next(now).is_some() && session.preview(now).is_none());
    session.grade(Grade::Again, now, 10, &mut journal).unwrap();
    let mut asked = Vec::new();
    while let Some(card) = session.next(now) {
        asked.push(card.question.clone());
        session.grade(Grade::Good, now, 10, &mut journal).unwrap();
    }
    assert_eq!(asked, ["둘", "셋", "넷", "하나", "다섯"]);
    assert!(journal.saved.is_none(), "a cram leaves the saved progress alone");
    assert_eq!(
        session.progress().cards,
        progress.cards,
        "a cram does not move the schedule"
    );
    assert!(
        journal
            .lines
            .iter()
            .all(|l| matches!(l, LogLine::Review(r) if r.mode == Mode::Cram))
    );
}

#[test]
fn a_cram_with_reschedule_moves_the_schedule() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut session = Session::cram(cards.clone(), Progress::default(), &s, vec![0], true);
    let mut journal = Memory::default();
    session.next(now);
    assert!(session.preview(now).is_some());
    session.grade(Grade::Good, now, 10, &mut journal).unwrap();
    assert_eq!(session.progress().cards[&cards[0].id].state.reps, 1);
    assert!(matches!(&journal.lines[0], LogLine::Review(r) if r.rescheduled));
}

#[test]
fn skip_drops_a_card_from_a_drill_and_moves_it_to_the_end_of_a_cram() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut drill = fresh_drill(&cards, &s, now);
    let mut journal = Memory::default();
    drill.next(now);
    drill.skip(now, &mut journal).unwrap();
    let rest: Vec<String> = std::iter::from_fn(|| {
        let q = drill.next(now)?.question.clone();
        drill.skip(now, &mut journal).unwrap();
        Some(q)
    })
    .collect();
    assert_eq!(rest, ["둘", "셋", "넷", "다섯"]);
    // Put off until tomorrow: a second drill today asks none of them, tomorrow's asks them all.
    let saved = journal.saved.clone().unwrap();
    assert!(journal.lines.is_empty(), "a skip is not an answer");
    let mut again = Session::drill(
        cards.clone(),
        saved.clone(),
        &s,
        now,
        Limits::default(),
        Today::default(),
    );
    assert_eq!(again.next(now), None);
    let tomorrow = at("2026-11-25T04:00:00+09:00");
    let mut next_day = Session::drill(cards.clone(), saved, &s, tomorrow, Limits::default(), Today::default());
    assert_eq!(question(next_day.next(tomorrow)), "하나");

    let mut cram = Session::cram(cards.clone(), Progress::default(), &s, vec![0, 1, 2], false);
    cram.next(now);
    let mut journal = Memory::default();
    cram.skip(now, &mut journal).unwrap();
    assert!(journal.saved.is_none(), "a cram skip only moves the card to the end");
    let mut asked = Vec::new();
    while let Some(card) = cram.next(now) {
        asked.push(card.question.clone());
        cram.grade(Grade::Good, now, 1, &mut journal).unwrap();
    }
    assert_eq!(asked, ["둘", "셋", "하나"]);
}

#[test]
fn replaying_the_log_gives_the_same_progress() {
    let start = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut journal = Memory::default();
    let mut progress = Progress::default();
    // A week of drills with a mix of grades, undos included.
    for day in 0..7 {
        let now = start.plus(SignedDuration::from_hours(24 * day));
        let mut session = Session::drill(cards.clone(), progress, &s, now, Limits::default(), Today::default());
        let mut n = 0u64;
        while let Some(_card) = session.next(now) {
            let at = now.plus(SignedDuration::from_secs(n as i64));
            let grade = Grade::ALL[(n as usize * 7 + day as usize) % 4];
            session.grade(grade, at, n, &mut journal).unwrap();
            if n % 5 == 4 {
                session
                    .undo(at.plus(SignedDuration::from_secs(1)), &mut journal)
                    .unwrap();
                session.next(at);
                session
                    .grade(Grade::Good, at.plus(SignedDuration::from_secs(2)), n, &mut journal)
                    .unwrap();
            }
            n += 1;
            if n > 50 {
                break;
            }
        }
        progress = session.progress().clone();
    }
    let mut replayed = history::replay(&journal.lines, progress.log_offset, &cards, None, &s);
    // The CRC is the store's, not the replay's.
    replayed.log_crc = progress.log_crc;
    assert_eq!(replayed, progress);
    assert!(progress.cards.values().any(|e| e.state.phase == Phase::Review));
    let ids: Vec<&CardId> = progress.cards.keys().collect();
    assert_eq!(ids.len(), 5);
}

/// The clock set back between two sessions (answers at 10:00 and 10:05, then 10:02): the live progress is what a
/// replay of the log in time order gives, as `repair` replays it, because the later answer, and the undo that
/// follows it, are dated no earlier than the answer before them.
#[test]
fn a_clock_set_back_between_sessions_leaves_the_progress_a_replay_gives() {
    let cards = deck();
    let s = scheduler();
    let mut journal = Memory::default();
    let mut progress = Progress::default();
    let sessions = [
        ("2026-11-24T10:00:00+09:00", Grade::Good),
        ("2026-11-24T10:05:00+09:00", Grade::Again),
        ("2026-11-24T10:02:00+09:00", Grade::Hard),
    ];
    for (i, (when, grade)) in sessions.into_iter().enumerate() {
        let now = at(when);
        let mut cram = Session::cram(cards.clone(), progress, &s, vec![0], true);
        cram.next(now);
        cram.grade(grade, now, 1, &mut journal).unwrap();
        if i == 2 {
            // Taken back and answered again, still with the clock behind.
            cram.undo(now, &mut journal).unwrap();
            cram.next(now);
            cram.grade(Grade::Easy, now, 1, &mut journal).unwrap();
        }
        progress = cram.progress().clone();
    }
    let ats: Vec<String> = journal.lines.iter().map(|l| l.at().to_string()).collect();
    assert_eq!(
        ats,
        [
            "2026-11-24T10:00:00+09:00",
            "2026-11-24T10:05:00+09:00",
            "2026-11-24T10:05:00+09:00",
            "2026-11-24T10:05:00+09:00",
            "2026-11-24T10:05:00+09:00",
        ]
    );
    // In time order, lines of one moment as they stand: the order the store reads the log in.
    let mut lines = journal.lines.clone();
    lines.sort_by_key(LogLine::at);
    let mut replayed = history::replay(&lines, progress.log_offset, &cards, None, &s);
    replayed.log_crc = progress.log_crc;
    assert_eq!(replayed, progress);
    assert_eq!(progress.cards[&cards[0].id].state.reps, 3);
}

#[test]
fn an_answer_in_the_same_second_as_the_undo_it_follows_is_kept() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut session = fresh_drill(&cards, &s, now);
    let mut journal = Memory::default();
    session.next(now);
    session.grade(Grade::Again, now, 1, &mut journal).unwrap();
    session.undo(now, &mut journal).unwrap();
    session.next(now);
    session.grade(Grade::Easy, now, 1, &mut journal).unwrap();
    let kept = history::effective_reviews(&journal.lines);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].grade, Grade::Easy);
    let mut replayed = history::replay(&journal.lines, session.progress().log_offset, &cards, None, &s);
    replayed.log_crc = session.progress().log_crc;
    assert_eq!(&replayed, session.progress());
}

/// The questions a drill asks from now on, answering each Good and as often as it comes back within the hour.
fn asked_from(session: &mut Session<'_>, now: Moment, journal: &mut Memory) -> Vec<String> {
    let mut asked = Vec::new();
    let mut at = now;
    while let Some(card) = session.next(at) {
        asked.push(card.question.clone());
        session.grade(Grade::Easy, at, 1, journal).unwrap();
        at = at.plus(SignedDuration::from_mins(1));
        assert!(asked.len() < 50, "the drill does not end: {asked:?}");
    }
    asked
}

#[test]
fn after_an_edit_the_drill_plans_again_over_the_cards_the_notes_have_now() {
    let s = scheduler();
    let now = at(NOW);
    let edited = |md: &str| parse(md, "t.md", "t").cards;
    let limits = Limits { new: 4, reviews: 200 };
    let start = |journal: &mut Memory| {
        let mut session = Session::drill(deck(), Progress::default(), &s, now, limits, Today::default());
        session.next(now);
        session.grade(Grade::Easy, now, 1, journal).unwrap(); // 하나
        session.next(now);
        session
    };

    // This card's answer edited: it stays up, and the rest is asked as before.
    let mut journal = Memory::default();
    let mut session = start(&mut journal);
    assert_eq!(question(session.current()), "둘");
    session.reveal();
    session.replace_cards(
        edited("## 하나\n\n1\n\n## 둘\n\n2, 고침\n\n## 셋\n\n3\n\n## 넷\n\n4\n\n## 다섯\n\n5\n"),
        now,
    );
    assert_eq!(
        session.current().map(|c| c.answer.text().into_owned()).as_deref(),
        Some("2, 고침")
    );
    assert!(session.is_revealed(), "the answer stays shown");
    assert_eq!(
        session.counts(),
        [3, 0, 0],
        "둘, 셋, 넷: the limit of 4 with 하나 answered"
    );
    assert_eq!(asked_from(&mut session, now, &mut journal), ["둘", "셋", "넷"]);

    // This card deleted: the next one is up, and nothing asks for the deleted one.
    let mut journal = Memory::default();
    let mut session = start(&mut journal);
    session.replace_cards(
        edited("## 하나\n\n1\n\n## 셋\n\n3\n\n## 넷\n\n4\n\n## 다섯\n\n5\n"),
        now,
    );
    assert_eq!(session.current(), None);
    assert_eq!(session.counts(), [3, 0, 0], "셋, 넷, 다섯");
    assert_eq!(asked_from(&mut session, now, &mut journal), ["셋", "넷", "다섯"]);

    // Other cards deleted and one added above: the card up stays, the new card is asked within the limit, the
    // deleted ones are not, and the counts say so.
    let mut journal = Memory::default();
    let mut session = start(&mut journal);
    session.replace_cards(
        edited("## 새 카드\n\n0\n\n## 하나\n\n1\n\n## 둘\n\n2\n\n## 다섯\n\n5\n"),
        now,
    );
    assert_eq!(question(session.current()), "둘");
    assert_eq!(session.counts(), [3, 0, 0], "둘, 새 카드, 다섯");
    let asked = asked_from(&mut session, now, &mut journal);
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert_eq!(asked[0], "둘");
    assert!(
        asked.contains(&"새 카드".to_owned()) && asked.contains(&"다섯".to_owned()),
        "{asked:?}"
    );
}

#[test]
fn after_an_edit_a_cram_keeps_its_order_and_adds_new_cards_at_the_end() {
    let s = scheduler();
    let cards = deck();
    let mut session = Session::cram(cards, Progress::default(), &s, vec![4, 3, 2, 1, 0], false);
    let now = at(NOW);
    let mut journal = Memory::default();
    session.next(now);
    session.grade(Grade::Good, now, 1, &mut journal).unwrap(); // 다섯
    let md = "## 하나\n\n1\n\n## 셋\n\n3\n\n## 넷\n\n4\n\n## 다섯\n\n5\n\n## 여섯\n\n6\n";
    session.replace_cards(parse(md, "t.md", "t").cards, now);
    let mut asked = Vec::new();
    while let Some(card) = session.next(now) {
        asked.push(card.question.clone());
        session.grade(Grade::Good, now, 1, &mut journal).unwrap();
    }
    assert_eq!(asked, ["넷", "셋", "하나", "여섯"]);
}

#[test]
fn retention_counts_review_answers_only() {
    let s = scheduler();
    let now = at(NOW);
    let due = now.plus(SignedDuration::from_hours(-1));
    let progress = with_states(&[(0, review_state(5, 4.0, due)), (1, review_state(5, 4.0, due))]);
    let mut session = Session::drill(deck(), progress, &s, now, Limits::default(), Today::default());
    let mut journal = Memory::default();
    // Two reviews (one forgotten), then new cards answered Again and Good: steps, not recall.
    let mut grades = [Grade::Good, Grade::Again, Grade::Again, Grade::Good].into_iter();
    while let (Some(_), Some(grade)) = (session.next(now), grades.next()) {
        session.grade(grade, now, 1, &mut journal).unwrap();
    }
    let stats = session.stats();
    assert_eq!((stats.answered, stats.reviews, stats.forgotten), (4, 2, 1));
    assert_eq!(stats.retention_percent(), Some(50));
    let fresh = Session::drill(
        deck(),
        Progress::default(),
        &s,
        now,
        Limits::default(),
        Today::default(),
    );
    assert_eq!(fresh.stats().retention_percent(), None);
}

#[test]
fn the_work_of_a_session_counts_each_card_once_however_often_it_comes_back() {
    let s = scheduler();
    let now = at(NOW);
    let mut session = Session::drill(
        deck(),
        Progress::default(),
        &s,
        now,
        Limits::default(),
        Today::default(),
    );
    let mut journal = Memory::default();
    assert_eq!(session.work(), (0, 5));
    // Again keeps a card coming back: the total stays 5 while it does.
    let mut at_ = now;
    for _ in 0..3 {
        session.next(at_);
        session.grade(Grade::Again, at_, 1, &mut journal).unwrap();
        assert_eq!(session.work().1, 5);
        at_ = at_.plus(SignedDuration::from_mins(2));
    }
    while session.next(at_).is_some() {
        session.grade(Grade::Easy, at_, 1, &mut journal).unwrap();
        at_ = at_.plus(SignedDuration::from_mins(1));
    }
    assert_eq!(session.work(), (5, 5));
}

/// The questions a session asks from now on, answering each Easy.
fn all_asked(session: &mut Session<'_>, now: Moment, journal: &mut Memory) -> Vec<String> {
    let mut asked = Vec::new();
    while let Some(card) = session.next(now) {
        asked.push(card.question.clone());
        session.grade(Grade::Easy, now, 1, journal).unwrap();
        assert!(asked.len() < 50, "the session does not end: {asked:?}");
    }
    asked
}

#[test]
fn a_suspended_card_leaves_at_once_and_no_later_drill_or_cram_asks_it() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut session = fresh_drill(&cards, &s, now);
    let mut journal = Memory::default();
    assert_eq!(question(session.next(now)), "하나");
    session.reveal();
    session.suspend(now, &mut journal).unwrap();
    assert_eq!(session.current(), None);
    assert!(!session.is_revealed());
    assert_eq!(
        journal.lines,
        [LogLine::Suspend {
            card: cards[0].id.clone(),
            at: now
        }]
    );
    let saved = journal.saved.clone().expect("saved at once");
    assert!(saved.cards[&cards[0].id].suspended);
    assert_eq!(saved.log_offset, 100, "the suspend line is reflected");
    assert_eq!(session.counts(), [4, 0, 0]);
    assert_eq!(session.work(), (0, 4), "it leaves the planned work, not done");
    assert_eq!(question(session.next(now)), "둘", "the next card is up");
    assert_eq!(all_asked(&mut session, now, &mut journal), ["둘", "셋", "넷", "다섯"]);

    // Saved: tomorrow's drill, a week later, a cram, a final pass: none asks it.
    let progress = session.progress().clone();
    let later = now.plus(SignedDuration::from_hours(24 * 7));
    let mut next_week = Session::drill(
        cards.clone(),
        progress.clone(),
        &s,
        later,
        Limits::default(),
        Today::default(),
    );
    assert!(!all_asked(&mut next_week, later, &mut journal).contains(&"하나".to_owned()));
    let order = queue::cram(&cards, &progress, &s, later);
    assert_eq!(order, [1, 2, 3, 4]);
    let mut with_plan = progress.clone();
    with_plan.settings.interview = Some(later.day());
    with_plan.settings.planned_on = Some(now.day());
    let plan = crate::plan::Plan::from_settings(&with_plan.settings).unwrap();
    let pass = crate::plan::final_pass(&cards, &with_plan, &s, &plan, later);
    assert!(!pass.contains(&0), "{pass:?}");
}

#[test]
fn undo_right_after_a_suspension_releases_it_and_the_card_is_up_again() {
    let now = at(NOW);
    let later = now.plus(SignedDuration::from_secs(5));
    let cards = deck();
    let s = scheduler();
    let mut session = fresh_drill(&cards, &s, now);
    let mut journal = Memory::default();
    session.next(now);
    session.grade(Grade::Again, now, 10, &mut journal).unwrap(); // 하나, back in 1 minute
    session.next(now);
    let before = session.progress().clone();
    session.suspend(now, &mut journal).unwrap(); // 둘
    assert_eq!(question(session.next(now)), "셋");
    assert!(session.undo(later, &mut journal).unwrap());
    assert_eq!(question(session.current()), "둘", "up again, at its question");
    assert!(!session.is_revealed());
    assert_eq!(
        journal.lines.last(),
        Some(&LogLine::Release {
            card: cards[1].id.clone(),
            at: later
        })
    );
    assert_eq!(session.progress().cards, before.cards, "as before the suspension");
    assert_eq!(journal.saved.as_ref().unwrap().cards, before.cards);
    assert_eq!(session.work(), (0, 5));
    // The undo before it takes back the answer, as usual.
    assert!(session.undo(later, &mut journal).unwrap());
    assert_eq!(question(session.current()), "하나");
    assert!(session.progress().cards.is_empty());
    assert!(!session.undo(later, &mut journal).unwrap());

    let mut replayed = history::replay(&journal.lines, session.progress().log_offset, &cards, None, &s);
    replayed.log_crc = session.progress().log_crc;
    assert_eq!(&replayed, session.progress());

    // Taken back, it is planned work again: done once answered.
    let mut session = fresh_drill(&cards, &s, now);
    session.next(now);
    session.suspend(now, &mut journal).unwrap();
    session.undo(now, &mut journal).unwrap();
    assert_eq!(all_asked(&mut session, now, &mut journal).len(), 5);
    assert_eq!(session.work(), (5, 5));
}

#[test]
fn a_card_suspended_in_its_learning_steps_or_in_a_cram_is_not_asked_again() {
    let now = at(NOW);
    let cards = deck();
    let s = scheduler();
    let limits = Limits { new: 2, reviews: 200 };
    let mut session = Session::drill(cards.clone(), Progress::default(), &s, now, limits, Today::default());
    let mut journal = Memory::default();
    session.next(now);
    session.grade(Grade::Again, now, 1, &mut journal).unwrap(); // 하나 comes back in a minute
    session.next(now);
    session.grade(Grade::Good, now, 1, &mut journal).unwrap(); // 둘 in ten
    assert_eq!(question(session.next(now)), "하나", "shown early: nothing else is left");
    session.suspend(now, &mut journal).unwrap();
    assert_eq!(session.counts(), [0, 1, 0]);
    let mut asked = Vec::new();
    let mut at_ = now;
    while let Some(card) = session.next(at_) {
        asked.push(card.question.clone());
        session.grade(Grade::Easy, at_, 1, &mut journal).unwrap();
        at_ = at_.plus(SignedDuration::from_mins(1));
    }
    assert_eq!(asked, ["둘"]);
    let entry = &session.progress().cards[&cards[0].id];
    assert!(entry.suspended && entry.state.reps == 1, "its learning state is kept");
    let due = session.progress().cards[&cards[1].id].state.due;
    assert_eq!(session.next_due(now), due, "not the suspended card's step in a minute");
    let an_hour_on = now.plus(SignedDuration::from_hours(1));
    assert_eq!(
        session.due_beyond_session(an_hour_on),
        0,
        "nor is it due beyond the session"
    );

    // A cram saves a suspension even though its answers leave progress.yaml alone.
    let mut cram = Session::cram(cards.clone(), Progress::default(), &s, vec![2, 3, 2], false);
    let mut journal = Memory::default();
    cram.next(now);
    cram.suspend(now, &mut journal).unwrap();
    assert!(journal.saved.as_ref().unwrap().cards[&cards[2].id].suspended);
    assert_eq!(
        all_asked(&mut cram, now, &mut journal),
        ["넷"],
        "every place it had in the queue"
    );
}

#[test]
fn replaying_a_log_with_suspensions_undos_and_releases_gives_the_same_progress() {
    let start = at(NOW);
    let cards = deck();
    let s = scheduler();
    let mut journal = Memory::default();
    let mut progress = Progress::default();
    for day in 0..6i64 {
        let now = start.plus(SignedDuration::from_hours(24 * day));
        let mut session = Session::drill(cards.clone(), progress, &s, now, Limits::default(), Today::default());
        let mut n = 0i64;
        while session.next(now).is_some() && n < 40 {
            let at_ = now.plus(SignedDuration::from_secs(n));
            match (n + day) % 6 {
                1 => session.suspend(at_, &mut journal).unwrap(),
                4 => {
                    session.suspend(at_, &mut journal).unwrap();
                    session.undo(at_, &mut journal).unwrap();
                }
                _ => session
                    .grade(Grade::ALL[(n as usize) % 4], at_, 1, &mut journal)
                    .unwrap(),
            }
            n += 1;
        }
        progress = session.progress().clone();
        // On two days, the cards suspended so far are released, as `amgi release --all` does.
        if day == 1 || day == 3 {
            let suspended: Vec<CardId> = progress
                .cards
                .iter()
                .filter(|(_, e)| e.suspended)
                .map(|(id, _)| id.clone())
                .collect();
            for id in suspended {
                let line = LogLine::Release {
                    card: id.clone(),
                    at: now,
                };
                progress.log_offset = journal.append(&line).unwrap().len;
                let card = cards.iter().find(|c| c.id == id);
                history::set_suspended(&mut progress, &id, false, card);
            }
        }
    }
    assert!(journal.lines.iter().any(|l| matches!(l, LogLine::Suspend { .. })));
    assert!(progress.cards.values().any(|e| e.suspended));
    let mut replayed = history::replay(&journal.lines, progress.log_offset, &cards, None, &s);
    replayed.log_crc = progress.log_crc;
    assert_eq!(replayed, progress);
}

#[test]
fn a_lapse_that_makes_a_card_a_leech_says_so_at_8_and_every_4_after() {
    let s = scheduler();
    let now = at(NOW);
    for (lapses, flagged) in [(6, None), (7, Some(8)), (8, None), (10, None), (11, Some(12))] {
        let mut state = review_state(10, 2.0, now);
        state.lapses = lapses;
        let mut session = Session::drill(
            deck(),
            with_states(&[(0, state)]),
            &s,
            now,
            Limits::default(),
            Today::default(),
        );
        assert_eq!(question(session.next(now)), question(Some(&deck()[0])));
        session.reveal();
        session.grade(Grade::Again, now, 1000, &mut Memory::default()).unwrap();
        let note = session.leech_note();
        assert_eq!(note.is_some(), flagged.is_some(), "{lapses}: {note:?}");
        if let Some(n) = flagged {
            assert!(note.unwrap().contains(&format!("forgotten {n} times")));
        }
        // The next answer, Good, flags nothing.
        let next = session.next(now).map(|c| c.id.clone());
        if next.is_some() {
            session.reveal();
            session.grade(Grade::Good, now, 1000, &mut Memory::default()).unwrap();
            assert_eq!(session.leech_note(), None);
        }
    }
}

#[test]
fn new_cards_kept_out_by_the_review_limit_are_named_in_the_summary() {
    let s = scheduler();
    let now = at(NOW);
    // Three of the five cards due, two new; the review limit is three.
    let progress = with_states(&[
        (0, review_state(5, 4.0, now)),
        (1, review_state(5, 4.0, now)),
        (2, review_state(5, 4.0, now)),
    ]);
    let limits = Limits { new: 20, reviews: 3 };
    let mut session = Session::drill(deck(), progress.clone(), &s, now, limits, Today::default());
    assert_eq!(session.counts(), [0, 0, 3], "no new card past the review limit");
    while session.next(now).is_some() {
        session.reveal();
        session.grade(Grade::Good, now, 1000, &mut Memory::default()).unwrap();
    }
    let left = session.what_is_left(now);
    assert!(
        left.iter()
            .any(|l| l.starts_with("2 new cards wait: today's review limit")),
        "{left:?}"
    );
    // With room in the review limit, the new cards come, and nothing is said of them.
    let session = Session::drill(
        deck(),
        progress,
        &s,
        now,
        Limits { new: 20, reviews: 10 },
        Today::default(),
    );
    assert_eq!(session.counts(), [2, 0, 3]);
    assert_eq!(session.new_beyond_review_limit(now), 0);
}

/// The cards and the questions asked without an answer of `md`, in note order, as a deck keeps them.
fn with_questions(md: &str) -> Vec<Card> {
    let parsed = parse(md, "t.md", "t");
    let mut all = parsed.cards;
    all.extend(parsed.questions);
    all.sort_by_key(|c| c.line);
    all
}

const FOLLOW_UPS: &str = "## DNS란?\n\n이름을 주소로 바꾼다.\n\n### DNS 캐시는 어디에 있나요?\n\n### TTL은 왜 필요한가요?\n\n## 교착 상태란?\n\n";

#[test]
fn a_follow_up_waits_for_its_question_and_is_offered_after_a_good_answer() {
    let cards = with_questions(FOLLOW_UPS);
    assert_eq!(cards.len(), 4);
    assert!(cards[1].is_question() && cards[3].is_question() && !cards[0].is_question());
    let scheduler = scheduler();
    let now = at(NOW);
    let mut journal = Memory::default();
    let mut session = fresh_drill(&cards, &scheduler, now);
    assert_eq!(question(session.next(now)), "DNS란?");
    assert_eq!(session.counts(), [2, 0, 0], "the two follow-ups wait for DNS란?");
    assert!(session.parts_are_follow_ups());
    session.reveal();
    session.grade(Grade::Again, now, 1000, &mut journal).unwrap();
    assert_eq!(session.follow_ups_offered(), 0, "nothing on offer after Again");
    assert_eq!(question(session.next(now)), "교착 상태란?");
    session.reveal();
    session.grade(Grade::Good, now, 1000, &mut journal).unwrap();
    assert_eq!(
        session.follow_ups_offered(),
        0,
        "a question without follow-ups offers none"
    );
    // DNS란? comes back from learning and is answered Good: its follow-ups are offered, and asked first on request.
    let later = now.plus(SignedDuration::from_mins(2));
    assert_eq!(question(session.next(later)), "DNS란?");
    session.reveal();
    session.grade(Grade::Good, later, 1000, &mut journal).unwrap();
    assert_eq!(session.follow_ups_offered(), 2);
    assert_eq!(session.ask_follow_ups(later), 2);
    assert_eq!(question(session.current()), "DNS 캐시는 어디에 있나요?");
    assert_eq!(session.follow_ups_offered(), 0, "taken once");
    session.reveal();
    session.grade(Grade::Good, later, 1000, &mut journal).unwrap();
    assert_eq!(question(session.next(later)), "TTL은 왜 필요한가요?");
}

#[test]
fn a_follow_up_of_a_question_answered_good_before_is_drilled_as_a_new_card() {
    let cards = with_questions(FOLLOW_UPS);
    let scheduler = scheduler();
    let now = at(NOW);
    let passed = CardState {
        phase: Phase::Learning,
        step: 1,
        due: Some(now.plus(SignedDuration::from_hours(1))),
        ..CardState::default()
    };
    let progress = Progress::with_states([(&cards[0], passed)]);
    let mut session = Session::drill(
        cards.clone(),
        progress,
        &scheduler,
        now,
        Limits::default(),
        Today::default(),
    );
    let mut journal = Memory::default();
    assert_eq!(
        asked_from(&mut session, now, &mut journal),
        ["DNS 캐시는 어디에 있나요?", "TTL은 왜 필요한가요?", "교착 상태란?"]
    );
}

#[test]
fn follow_ups_waiting_for_their_question_are_not_said_to_wait_for_a_limit() {
    let cards = with_questions(FOLLOW_UPS);
    let scheduler = scheduler();
    let now = at(NOW);
    let mut journal = Memory::default();
    let mut session = fresh_drill(&cards, &scheduler, now);
    assert_eq!(asked_from(&mut session, now, &mut journal), ["DNS란?", "교착 상태란?"]);
    assert_eq!(session.new_beyond_review_limit(now), 0);
    let left = session.what_is_left(now);
    assert!(!left.iter().any(|line| line.contains("limit")), "{left:?}");
    // DNS란? was answered Easy: its two follow-ups are ready for the next drill.
    assert_eq!(
        left,
        ["2 follow-up questions are ready (what they follow was answered); `amgi` asks them"]
    );
    // Before any answer, they wait for their question, and nothing says they are ready.
    let waiting = fresh_drill(&cards, &scheduler, now);
    assert_eq!(waiting.follow_ups_ready(now), 0);
    assert_eq!(waiting.new_beyond_review_limit(now), 0);
}
