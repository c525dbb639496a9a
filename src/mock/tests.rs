//! The mock's draw, its run from question to summary, and the line mode.

use super::*;
use crate::notes::parse;
use crate::schedule::{CardState, Grade, Memory};
use crate::session::MemoryJournal;
use crate::store::Entry;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

const NOW: &str = "2026-11-24T21:00:00+09:00";

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

fn scheduler() -> &'static Scheduler {
    Box::leak(Box::new(Scheduler::new(0.9, None).unwrap()))
}

fn rng(seed: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// The cards and answerless questions of each `(file, topic, markdown)`, as a deck lists them.
/// The cards and answerless questions of `files`, in note order, as a deck keeps them.
fn items(files: &[(&str, &str, &str)]) -> Vec<Card> {
    let mut items = Vec::new();
    for (file, topic, md) in files {
        let parsed = parse(md, file, topic);
        let mut of_file = parsed.cards;
        of_file.extend(parsed.questions);
        of_file.sort_by_key(|c| c.line);
        items.extend(of_file);
    }
    items
}

/// A file of `n` answered questions, `{prefix} 1` to `{prefix} n`.
fn flat(prefix: &str, n: usize) -> String {
    (1..=n).map(|i| format!("## {prefix} {i}\n\n답 {i}\n\n")).collect()
}

/// Three topics of four questions each, in three files.
fn three_topics() -> Vec<Card> {
    let (net, db, os) = (flat("네트워크", 4), flat("DB", 4), flat("OS", 4));
    items(&[
        ("net.md", "network", &net),
        ("db.md", "database", &db),
        ("os.md", "os", &os),
    ])
}

fn settings(count: usize, follow_ups: f64, progress: &Progress) -> Draw<'_> {
    Draw {
        progress,
        scheduler: scheduler(),
        now: at(NOW),
        interview: None,
        count,
        follow_ups,
    }
}

/// A state answered Easy twice, well spaced, the last a day before `NOW`: recalled almost surely.
fn strong(id: &CardId) -> Entry {
    let s = scheduler();
    let first = s.review(id, &CardState::default(), Grade::Easy, at("2026-10-01T21:00:00+09:00"));
    let second = s.review(id, &first, Grade::Easy, at("2026-11-23T21:00:00+09:00"));
    Entry {
        question: String::new(),
        answer_hash: String::new(),
        state: second,
        skipped_until: None,
        suspended: false,
    }
}

#[test]
fn a_mock_never_asks_one_twice_nor_two_in_a_row_from_one_file() {
    let items = three_topics();
    let progress = Progress::default();
    for seed in 0..100 {
        let mock = draw(&items, settings(9, 0.0, &progress), &HashSet::new(), &mut rng(seed));
        assert_eq!(mock.len(), 9);
        let asked: HashSet<usize> = mock.iter().map(|d| d.item).collect();
        assert_eq!(asked.len(), 9, "seed {seed}: {mock:?}");
        for pair in mock.windows(2) {
            assert_ne!(items[pair[0].item].file, items[pair[1].item].file, "seed {seed}");
        }
    }
    // Asked for more than there are: each once.
    let mock = draw(&items, settings(50, 0.0, &progress), &HashSet::new(), &mut rng(1));
    assert_eq!(mock.len(), items.len());
}

#[test]
fn topics_take_turns() {
    let items = three_topics();
    let progress = Progress::default();
    for seed in 0..50 {
        let mock = draw(&items, settings(6, 0.0, &progress), &HashSet::new(), &mut rng(seed));
        let topics: Vec<&str> = mock.iter().map(|d| &*items[d.item].topic).collect();
        for round in topics.chunks(3) {
            let distinct: HashSet<&&str> = round.iter().collect();
            assert_eq!(distinct.len(), 3, "seed {seed}: {topics:?}");
        }
    }
}

#[test]
fn weak_items_and_weak_topics_are_drawn_more_often() {
    let items = three_topics();
    // Every network and database question known well, but one network question never seen.
    let mut progress = Progress::default();
    for card in items.iter().filter(|c| &*c.topic != "os" && c.question != "네트워크 3") {
        progress.cards.insert(card.id.clone(), strong(&card.id));
    }
    let (mut weak_first, mut weak_item) = (0, 0);
    for seed in 0..300 {
        let mock = draw(&items, settings(1, 0.0, &progress), &HashSet::new(), &mut rng(seed));
        let first = &items[mock[0].item];
        // The unseen network question makes its topic as weak as os.
        weak_first += usize::from(&*first.topic != "database");
        weak_item += usize::from(first.question == "네트워크 3");
    }
    assert!(weak_first > 270, "{weak_first} of 300 began with a weak topic");
    assert!(weak_item > 120, "the weak network question began {weak_item} of 300");
    // Among network questions alone, the unseen one is drawn far more than the three known ones.
    let network: Vec<Card> = items.iter().filter(|c| &*c.topic == "network").cloned().collect();
    let weak = (0..300)
        .filter(|&seed| {
            let mock = draw(&network, settings(1, 0.0, &progress), &HashSet::new(), &mut rng(seed));
            network[mock[0].item].question == "네트워크 3"
        })
        .count();
    assert!(weak > 240, "{weak} of 300");
}

#[test]
fn weakness_is_recall_missing_plus_lapses_and_an_unseen_card_is_weakest() {
    let items = three_topics();
    let card = &items[0];
    let s = scheduler();
    let now = at(NOW);
    let mut progress = Progress::default();
    assert_eq!(weakness(card, &progress, s, now), 1.0);
    progress.cards.insert(card.id.clone(), strong(&card.id));
    let known = weakness(card, &progress, s, now);
    assert!(known < 0.1, "{known}");
    progress.cards.get_mut(&card.id).unwrap().state.lapses = 3;
    let lapsed = weakness(card, &progress, s, now);
    assert!((lapsed - known - 0.3).abs() < 1e-9, "{lapsed} vs {known}");
}

#[test]
fn with_an_interview_ahead_what_fades_before_the_day_counts_as_weaker() {
    let items = three_topics();
    let (holds, fades) = (&items[0], &items[1]);
    let state = |stability: f32, last: &str| Entry {
        question: String::new(),
        answer_hash: String::new(),
        state: CardState {
            phase: Phase::Review,
            memory: Some(Memory {
                stability,
                difficulty: 5.0,
            }),
            last_review: Some(at(last)),
            reps: 3,
            ..CardState::default()
        },
        skipped_until: None,
        suspended: false,
    };
    let mut progress = Progress::default();
    // Reviewed long ago but stable, against reviewed yesterday and fading fast.
    progress
        .cards
        .insert(holds.id.clone(), state(200.0, "2026-06-01T21:00:00+09:00"));
    progress
        .cards
        .insert(fades.id.clone(), state(3.0, "2026-11-23T21:00:00+09:00"));
    let mut draw = settings(1, 0.0, &progress);
    assert!(draw.weakness(holds) > draw.weakness(fades));
    draw.interview = Some(at("2026-12-24T04:00:00+09:00"));
    assert!(draw.weakness(holds) < draw.weakness(fades));
    // An interview already past (or today) weighs as now.
    draw.interview = Some(at("2026-11-01T04:00:00+09:00"));
    assert_eq!(draw.weakness(fades), weakness(fades, &progress, scheduler(), at(NOW)));
}

#[test]
fn the_same_seed_draws_the_same_mock() {
    let items = three_topics();
    let progress = Progress::default();
    let once = draw(&items, settings(7, 0.5, &progress), &HashSet::new(), &mut rng(42));
    let again = draw(&items, settings(7, 0.5, &progress), &HashSet::new(), &mut rng(42));
    assert_eq!(once, again);
    let others: HashSet<Vec<usize>> = (0..20)
        .map(|seed| {
            draw(&items, settings(7, 0.5, &progress), &HashSet::new(), &mut rng(seed))
                .iter()
                .map(|d| d.item)
                .collect()
        })
        .collect();
    assert!(others.len() > 10, "seeds draw different mocks: {}", others.len());
}

#[test]
fn questions_asked_in_a_mock_earlier_today_come_last() {
    let items = three_topics();
    let progress = Progress::default();
    let fresh = ["네트워크 2", "DB 4", "OS 1"];
    let asked: HashSet<CardId> = items
        .iter()
        .filter(|c| !fresh.contains(&c.question.as_str()))
        .map(|c| c.id.clone())
        .collect();
    for seed in 0..30 {
        let mock = draw(&items, settings(4, 0.0, &progress), &asked, &mut rng(seed));
        let questions: Vec<&str> = mock.iter().map(|d| items[d.item].question.as_str()).collect();
        let mut first: Vec<&str> = questions[..3].to_vec();
        first.sort_unstable();
        assert_eq!(first, ["DB 4", "OS 1", "네트워크 2"], "seed {seed}");
        assert!(asked.contains(&items[mock[3].item].id));
    }
    // Never two in a row from one file weighs more: with only network questions new today, the second is not one.
    let asked: HashSet<CardId> = items
        .iter()
        .filter(|c| &*c.topic != "network")
        .map(|c| c.id.clone())
        .collect();
    for seed in 0..30 {
        let mock = draw(&items, settings(2, 0.0, &progress), &asked, &mut rng(seed));
        assert_eq!(&*items[mock[0].item].topic, "network", "seed {seed}");
        assert_ne!(&*items[mock[1].item].topic, "network", "seed {seed}");
    }
}

#[test]
fn asked_in_mocks_reads_the_mock_answers_of_the_log() {
    let answer = |card: &str, mode| {
        LogLine::Review(Review {
            card: CardId::from_stored_str(card),
            at: at(NOW),
            grade: Grade::Good,
            mode,
            ms: 1000,
            rescheduled: false,
        })
    };
    let lines = [
        answer("a", Mode::Drill),
        answer("b", Mode::Mock),
        answer("c", Mode::Cram),
        answer("d", Mode::Mock),
    ];
    let mut asked: Vec<String> = asked_in_mocks(&lines).iter().map(|id| id.to_string()).collect();
    asked.sort();
    assert_eq!(asked, ["b", "d"]);
}

/// A file of questions with follow-ups: sub-headings under a question heading, one of them with no answer.
const FOLLOW: &str = "## TCP란?\n\n연결 지향 프로토콜입니다.\n\n### 3-way handshake는?\n\nSYN, SYN+ACK, ACK.\n\n\
                      ### 4-way handshake는?\n\n## UDP란?\n\n연결 없는 프로토콜입니다.\n";

fn follow_items() -> Vec<Card> {
    items(&[("net.md", "network", FOLLOW), ("db.md", "database", &flat("DB", 3))])
}

#[test]
fn the_follow_ups_of_a_question_are_the_questions_right_under_it() {
    let items = follow_items();
    let tcp = items.iter().position(|c| c.question == "TCP란?").unwrap();
    let under: Vec<&str> = follow_ups(&items, tcp)
        .iter()
        .map(|&j| items[j].question.as_str())
        .collect();
    // The answered sub-heading is a card, the empty one a question without an answer: both follow up.
    assert_eq!(under, ["3-way handshake는?", "4-way handshake는?"]);
    let udp = items.iter().position(|c| c.question == "UDP란?").unwrap();
    assert!(follow_ups(&items, udp).is_empty());
    assert!(follow_ups(&items, items.len()).is_empty());
}

#[test]
fn a_follow_up_comes_right_after_its_parent_with_the_chance_given() {
    let items = follow_items();
    let tcp = items.iter().position(|c| c.question == "TCP란?").unwrap();
    let progress = Progress::default();
    let mut followed = 0;
    for seed in 0..100 {
        let mock = draw(&items, settings(6, 1.0, &progress), &HashSet::new(), &mut rng(seed));
        for (i, d) in mock.iter().enumerate() {
            if d.follow_up {
                assert!(
                    i > 0 && follow_ups(&items, mock[i - 1].item).contains(&d.item),
                    "seed {seed}: {mock:?}"
                );
            } else if i > 0 && mock[i - 1].item == tcp {
                panic!("seed {seed}: TCP란? was not followed up: {mock:?}");
            }
        }
        followed += mock.iter().filter(|d| d.follow_up).count();
        // Without follow-ups, no follow-up is asked on its own while another question is left.
        let never = draw(&items, settings(4, 0.0, &progress), &HashSet::new(), &mut rng(seed));
        assert!(
            never
                .iter()
                .all(|d| !d.follow_up && !items[d.item].question.contains("handshake"))
        );
    }
    assert!(followed >= 50, "{followed}");
}

/// A mock of the first three of `three_topics`, 60 s each, begun at `NOW`.
fn mock_of_three(reschedule: bool) -> Mock<'static> {
    let items = three_topics();
    let questions = vec![
        (items[0].clone(), false),
        (items[4].clone(), false),
        (items[8].clone(), false),
    ];
    Mock::new(questions, Progress::default(), scheduler(), 60, reschedule, at(NOW))
}

#[test]
fn each_answer_is_timed_past_the_countdown_and_the_review_grades_it_as_a_mock_answer() {
    let mut mock = mock_of_three(false);
    assert_eq!(mock.remaining(at("2026-11-24T21:00:45+09:00")), Some(15));
    mock.end_answer(at("2026-11-24T21:00:45+09:00"));
    assert_eq!(mock.remaining(at("2026-11-24T21:02:00+09:00")), Some(-15));
    mock.end_answer(at("2026-11-24T21:02:00+09:00"));
    mock.end_answer(at("2026-11-24T21:02:30+09:00"));
    assert_eq!(mock.stage(), Stage::Overview);
    let ms: Vec<Option<u64>> = mock.questions().iter().map(|q| q.ms).collect();
    assert_eq!(ms, [Some(45_000), Some(75_000), Some(30_000)]);
    mock.start_review();
    assert_eq!(mock.stage(), Stage::Reviewing { index: 0 });
    assert_eq!(mock.answer(), Some("답 1"));
    let mut journal = MemoryJournal::default();
    mock.grade(Grade::Good, at("2026-11-24T21:03:00+09:00"), &mut journal)
        .unwrap();
    mock.grade(Grade::Again, at("2026-11-24T21:03:10+09:00"), &mut journal)
        .unwrap();
    // Quitting here keeps the two grades given; the schedule is left alone.
    assert_eq!(journal.lines.len(), 2);
    assert!(journal.saved.is_none());
    let LogLine::Review(second) = &journal.lines[1] else {
        panic!()
    };
    assert_eq!(
        (second.mode, second.ms, second.grade, second.rescheduled),
        (Mode::Mock, 75_000, Grade::Again, false)
    );
    assert_eq!(second.card, mock.questions()[1].card.id);
    mock.grade(Grade::Hard, at("2026-11-24T21:03:20+09:00"), &mut journal)
        .unwrap();
    assert_eq!(mock.stage(), Stage::Done);
    let summary = mock.summary();
    assert_eq!(
        summary,
        Summary {
            asked: 3,
            answered: 3,
            within_time: 2,
            graded: 3,
            average_seconds: Some(50),
            weakest_topics: vec!["database".into(), "os".into()],
        }
    );
    assert_eq!(
        summary.lines(),
        [
            "2 answered within time, of 3 questions asked",
            "50 s an answer on average",
            "3 answers graded, saved as mock answers",
            "weakest topics: database, os",
        ]
    );
}

#[test]
fn with_reschedule_a_mock_grade_moves_the_schedule_and_is_saved() {
    let mut mock = mock_of_three(true);
    mock.end_answer(at("2026-11-24T21:00:10+09:00"));
    mock.end_early();
    assert_eq!(mock.stage(), Stage::Overview);
    mock.start_review();
    let mut journal = MemoryJournal::default();
    mock.grade(Grade::Good, at("2026-11-24T21:01:00+09:00"), &mut journal)
        .unwrap();
    // The question dropped when the interview ended early is not reviewed.
    assert_eq!(mock.stage(), Stage::Done);
    let LogLine::Review(review) = &journal.lines[0] else {
        panic!()
    };
    assert!(review.rescheduled && review.mode == Mode::Mock);
    let saved = journal.saved.expect("progress saved");
    let entry = &saved.cards[&mock.questions()[0].card.id];
    assert_eq!(entry.state.reps, 1);
    assert_eq!(saved.log_offset, 100);
}

#[test]
fn ending_before_any_answer_leaves_nothing_to_review() {
    let mut mock = mock_of_three(false);
    mock.end_early();
    assert_eq!(mock.stage(), Stage::Done);
    assert_eq!(mock.summary().graded, 0);
}

#[test]
fn the_countdown_reads_minutes_and_seconds_and_runs_on_below_zero() {
    assert_eq!(countdown(120), "2:00");
    assert_eq!(countdown(5), "0:05");
    assert_eq!(countdown(0), "0:00");
    assert_eq!(countdown(-72), "-1:12");
}

#[test]
fn the_line_mode_asks_then_reviews_and_a_q_keeps_what_was_graded() {
    let items = items(&[("net.md", "network", FOLLOW)]);
    let find = |q: &str| items.iter().find(|c| c.question == q).unwrap().clone();
    let questions = vec![
        (find("TCP란?"), false),
        (find("4-way handshake는?"), true),
        (find("UDP란?"), false),
    ];
    let mut mock = Mock::new(questions, Progress::default(), scheduler(), 120, false, at(NOW));
    let mut journal = MemoryJournal::default();
    let mut out = Vec::new();
    let clock = || at(NOW);
    let input = "\n\n\n2\nhm\n3\nq\n";
    let end = plain::run(&mut mock, &mut input.as_bytes(), &mut out, &clock, &mut journal, 80).unwrap();
    assert_eq!(end, plain::End::Quit);
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("모의 면접: 3 questions, 120 s each"), "{out}");
    assert!(
        out.contains("[2/3 · 꼬리 질문] network › TCP란?\nQ: 4-way handshake는?"),
        "{out}"
    );
    assert!(out.contains("  2. ↳ 4-way handshake는?  0 s"), "{out}");
    assert!(out.contains("Q: 4-way handshake는?  (0 s)\n────"), "{out}");
    assert!(out.contains(&format!("\n{NO_ANSWER}\n")), "{out}");
    assert!(out.contains("1–4 to grade, or q"), "{out}");
    let grades: Vec<Grade> = journal
        .lines
        .iter()
        .map(|l| match l {
            LogLine::Review(r) => r.grade,
            _ => panic!(),
        })
        .collect();
    assert_eq!(grades, [Grade::Hard, Grade::Good]);
}
