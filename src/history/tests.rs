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

/// Progress kept under `ids`, each answered once, whatever the notes now hold.
fn kept(ids: &[&str]) -> Progress {
    let mut progress = Progress::default();
    for id in ids {
        let review = Review {
            card: CardId::from_stored_str(id),
            at: at("2026-11-24T21:00:00+09:00"),
            grade: Grade::Good,
            mode: Mode::Drill,
            ms: 1000,
            rescheduled: false,
        };
        apply(&mut progress, &review, None, &scheduler());
    }
    progress
}

/// The deck of `files`, each `(folders, topic, text)`.
fn deck_of(files: &[(&[&str], &str, &str)]) -> Vec<Card> {
    let notes = files.iter().enumerate().map(|(n, (folders, topic, text))| {
        Ok(crate::notes::NoteFile {
            file: format!("{n}.md"),
            topic: topic.to_string(),
            folders: folders.iter().map(|f| f.to_string()).collect(),
            bytes: text.as_bytes().to_vec(),
        })
    });
    crate::notes::Deck::from_files(notes).cards
}

/// What [`renames`] finds, as `(old id, new id)`.
fn moves(cards: &[Card], progress: &Progress) -> Vec<(String, String)> {
    renames(cards, progress)
        .into_iter()
        .map(|(from, card)| (from.to_string(), card.id.to_string()))
        .collect()
}

#[test]
fn progress_kept_before_folders_goes_to_the_card_now_in_folders_even_when_two_shared_an_id() {
    let cards = deck_of(&[
        (
            &["CS", "Network"],
            "tcp",
            "## 흐름 제어\n\n창\n\n## 혼잡 제어\n\n느린 시작\n",
        ),
        (&["java"], "stream", "## map?\n\n자바\n"),
        (&["kotlin"], "stream", "## map?\n\n코틀린\n"),
        (&[], "stream", "## 다른 질문\n\n답\n"),
    ]);
    assert_eq!(cards[2].id.as_str(), "java/stream/map?");
    // A build before folders named them `stream/map?` and, later in note order, `stream/map? ~2`.
    let progress = kept(&["tcp/흐름 제어", "stream/map?", "stream/map? ~2", "stream/다른 질문"]);
    assert_eq!(
        moves(&cards, &progress),
        [
            ("stream/map?", "java/stream/map?"),
            ("stream/map? ~2", "kotlin/stream/map?"),
            ("tcp/흐름 제어", "CS/Network/tcp/흐름 제어"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
        "the card at the top kept its id; the card without progress stays new"
    );
}

#[test]
fn a_renamed_file_or_folder_keeps_its_progress_matched_on_the_longest_path_and_question() {
    let cards = deck_of(&[
        (&["CS", "네트워크"], "tcp", "## 연결\n\n### 3-way?\n\n악수\n"),
        (&["CS"], "a/b", "## HTTP 1.0 / 1.1\n\n### 차이?\n\n유지\n"),
        (&[], "x", "## 3-way?\n\n다른 카드\n"),
    ]);
    let progress = kept(&[
        // The folder renamed from Network.
        "CS/Network/tcp/연결/3-way?",
        // A topic of the front matter with `/` in it, and `/` in a heading; the file moved out of a folder.
        "old/a/b/HTTP 1.0 / 1.1/차이?",
        // Matches no card's path and question.
        "CS/Network/tcp/연결/끊기?",
    ]);
    assert_eq!(
        moves(&cards, &progress),
        [
            ("CS/Network/tcp/연결/3-way?", "CS/네트워크/tcp/연결/3-way?"),
            ("old/a/b/HTTP 1.0 / 1.1/차이?", "CS/a/b/HTTP 1.0 / 1.1/차이?"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
        "the longest tail is the path and question: x's 3-way? is another card"
    );
}

#[test]
fn when_two_cards_or_two_old_ids_could_match_none_does() {
    let cards = deck_of(&[
        (&["java"], "stream", "## map?\n\n자바\n"),
        (&["kotlin"], "stream", "## map?\n\n코틀린\n"),
        (&["go"], "chan", "## select?\n\n고\n"),
    ]);
    // Two cards have the path and question of the one old id; two old ids that of the one card.
    let progress = kept(&["scala/stream/map?", "rust/chan/select?", "c/chan/select?"]);
    assert_eq!(moves(&cards, &progress), Vec::<(String, String)>::new());
}
