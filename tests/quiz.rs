//! The quiz through the real binary: answers typed on stdin, then what reviews.yaml and progress.yaml say.
//!
//! Every run happens in a fresh temporary directory with `AMGI_NOTES` and `AMGI_DATA` removed, on the small deck
//! in `tests/fixtures/quiz/` (7 cards over 2 topics), with its own data folder and `AMGI_NOW` fixing the clock.
//! The files are read back through `amgi::store`, the same code the binary uses.

use amgi::Card;
use amgi::history;
use amgi::notes::{Deck, source};
use amgi::schedule::Phase;
use amgi::store::{Entry, Log, LogLine, Mode, Progress, Review, Store};
use amgi::time::Moment;
mod common;

use assert_cmd::Command;
use common::{Run, run};
use jiff::SignedDuration;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The moment every test starts at: a Tuesday evening in Seoul.
const NOW: &str = "2026-11-24T21:00:00+09:00";
/// A hang fails instead of blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(30);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quiz")
}

fn at(text: &str) -> Moment {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// `NOW` moved by `hours`.
fn later(hours: i64) -> String {
    at(NOW).plus(SignedDuration::from_hours(hours)).to_string()
}

/// The cards of the notes at `notes`, in note order, read by the library as the binary reads them.
fn cards_of(notes: &Path) -> Vec<Card> {
    let deck = Deck::from_files(source::read_paths(&[notes]));
    assert!(deck.findings.is_empty(), "unexpected findings: {:?}", deck.findings);
    deck.cards
}

/// Input that answers one card per grade: Enter to show the answer, then the grade line (`""` is Enter = Good).
fn answers(grades: &[&str]) -> String {
    grades.iter().map(|g| format!("\n{g}\n")).collect()
}

/// `questions` at `indices`.
fn pick(questions: &[String], indices: &[usize]) -> Vec<String> {
    indices.iter().map(|&i| questions[i].clone()).collect()
}

/// The questions a quiz showed, in order.
fn asked(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Q: "))
        .map(str::to_owned)
        .collect()
}

impl Run {
    fn asked(&self) -> Vec<String> {
        asked(&self.stdout)
    }

    /// Expects exit 0.
    fn ok(self) -> Self {
        assert_eq!(self.code, Some(0), "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// A scratch folder: `cwd` to run in, `data` for progress, `notes` (the fixture, or a copy to edit).
struct Env {
    root: TempDir,
    notes: PathBuf,
    data: PathBuf,
}

impl Env {
    fn new() -> Env {
        let root = TempDir::new().expect("a temporary directory");
        fs::create_dir(root.path().join("cwd")).expect("cwd made");
        let data = root.path().join("data");
        Env {
            root,
            notes: fixture(),
            data,
        }
    }

    /// With a copy of the fixture notes that the test may edit.
    fn with_own_notes() -> Env {
        let mut env = Env::new();
        let notes = env.root.path().join("notes");
        fs::create_dir(&notes).expect("notes folder made");
        for entry in fs::read_dir(fixture()).expect("fixture readable") {
            let entry = entry.expect("fixture entry");
            fs::copy(entry.path(), notes.join(entry.file_name())).expect("fixture copied");
        }
        env.notes = notes;
        env
    }

    fn cards(&self) -> Vec<Card> {
        cards_of(&self.notes)
    }

    fn questions(&self) -> Vec<String> {
        self.cards().into_iter().map(|c| c.question).collect()
    }

    /// `amgi --notes NOTES --data-dir DATA` at `now`, in the scratch cwd, without `COLUMNS` (so answers are laid
    /// out for 80 columns).
    fn cmd(&self, now: &str) -> Command {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        // Parsed decks are cached where the tests keep their files, not in the home folder.
        cmd.env("AMGI_CACHE", common::CACHE);
        cmd.current_dir(self.root.path().join("cwd"))
            .env_remove("AMGI_NOTES")
            .env_remove("AMGI_DATA")
            .env_remove("COLUMNS")
            .env("AMGI_NOW", now)
            .arg("--notes")
            .arg(&self.notes)
            .arg("--data-dir")
            .arg(&self.data)
            .timeout(TIMEOUT);
        cmd
    }

    /// `amgi --plain ARGS` at `now` with `input` on stdin.
    fn quiz(&self, now: &str, args: &[&str], input: &str) -> Run {
        run(self.cmd(now).arg("--plain").args(args).write_stdin(input))
    }

    fn store(&self) -> Store {
        Store::new(&self.data)
    }

    fn progress(&self) -> Progress {
        self.store()
            .load_progress()
            .unwrap_or_else(|e| panic!("progress.yaml does not load: {e}"))
            .expect("progress.yaml exists")
    }

    fn progress_bytes(&self) -> Vec<u8> {
        fs::read(self.store().progress_path()).expect("progress.yaml readable")
    }

    fn reviews_bytes(&self) -> Vec<u8> {
        fs::read(self.store().reviews_path()).expect("reviews.yaml readable")
    }

    fn log(&self) -> Log {
        self.store()
            .read_log(0)
            .unwrap_or_else(|e| panic!("reviews.yaml does not load: {e}"))
    }

    fn reviews(&self) -> Vec<Review> {
        self.log()
            .lines
            .into_iter()
            .filter_map(|l| match l {
                LogLine::Review(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    /// Both files, to compare before and after.
    fn snapshot(&self) -> (Vec<u8>, Vec<u8>) {
        (self.progress_bytes(), self.reviews_bytes())
    }
}

/// (card id, grade, mode) of each review.
fn summary_of(reviews: &[Review]) -> Vec<(String, u8, Mode)> {
    reviews
        .iter()
        .map(|r| (r.card.to_string(), r.grade.number(), r.mode))
        .collect()
}

fn id(card: &Card) -> String {
    card.id.to_string()
}

fn phase_of(progress: &Progress, card: &Card) -> Phase {
    progress
        .cards
        .get(&card.id)
        .unwrap_or_else(|| panic!("no progress for {}", card.id))
        .state
        .phase
}

/// What a drill at `now` must ask: cards that came due (learning or review, due at or before `now`), in any
/// order, then new cards in note order, at most `new_room`.
fn expected_drill(
    cards: &[Card],
    progress: &Progress,
    now: Moment,
    new_room: usize,
) -> (BTreeSet<String>, Vec<String>) {
    let mut due = BTreeSet::new();
    let mut new = Vec::new();
    for card in cards {
        match progress.cards.get(&card.id) {
            None => new.push(card.question.clone()),
            Some(e) if e.state.phase == Phase::New => new.push(card.question.clone()),
            Some(e) if e.state.due.is_some_and(|d| d <= now) => {
                due.insert(card.question.clone());
            }
            Some(_) => {}
        }
    }
    new.truncate(new_room);
    (due, new)
}

/// Checks that `asked` is `due` (any order) followed by `new` (in order), each once.
fn assert_drill(asked: &[String], due: &BTreeSet<String>, new: &[String]) {
    assert_eq!(
        asked.len(),
        due.len() + new.len(),
        "asked {asked:?}, expected due {due:?} then new {new:?}"
    );
    let first: BTreeSet<String> = asked[..due.len()].iter().cloned().collect();
    assert_eq!(&first, due, "the due cards come first: asked {asked:?}");
    assert_eq!(&asked[due.len()..], new, "then the new cards in note order");
}

// ---------------------------------------------------------------------------------------------------------------
// The drill

#[test]
fn the_summary_says_what_is_left_and_the_real_next_due_moment() {
    let env = Env::new();
    // Quit on the first card of a fresh deck: the cards left are named, not "nothing more is due".
    let first = env.quiz(NOW, &[], "q\n").ok();
    assert!(
        first.stdout.contains("left for today: 7 new · 0 learning · 0 due"),
        "{}",
        first.stdout
    );
    assert!(!first.stdout.contains("nothing more is due"), "{}", first.stdout);
    // All answered Easy: nothing left today, the next due day is named.
    let done = env.quiz(NOW, &[], &answers(&["4"; 7])).ok();
    assert!(done.stdout.contains("next card due in "), "{}", done.stdout);
    assert!(!done.stdout.contains("left for today"), "{}", done.stdout);
    // Days later with a review limit of 2: two are asked, the rest are said to be over the limit.
    let later_on = env.quiz(&later(24 * 60), &["--max-reviews", "2"], "q\n").ok();
    assert!(
        later_on.stdout.contains("left for today: 0 new · 0 learning · 2 due"),
        "{}",
        later_on.stdout
    );
    assert!(
        later_on.stdout.contains("5 more due, over today's review limit"),
        "{}",
        later_on.stdout
    );
}

#[test]
fn a_reply_that_is_no_grade_is_asked_again_not_taken_as_good() {
    let env = Env::new();
    // `qq` and `good` are no key; `9` is no grade; then Hard.
    let run = env.quiz(NOW, &[], "\nqq\ngood\n9\n2\nq\n").ok();
    assert_eq!(
        run.stdout.matches("1–4 to grade, Enter for good, u, s, ! or q").count(),
        3,
        "{}",
        run.stdout
    );
    let grades: Vec<u8> = env.reviews().iter().map(|r| r.grade.number()).collect();
    assert_eq!(grades, [2]);
}

#[test]
fn a_drill_logs_one_line_per_answer_and_saves_each_state() {
    let env = Env::new();
    let cards = env.cards();
    assert_eq!(cards.len(), 7);
    let input = answers(&["4", "", "2", "1"]) + "q\n";
    let run = env.quiz(NOW, &[], &input).ok();

    let questions = env.questions();
    assert_eq!(
        run.asked(),
        questions[..5],
        "four answered, the fifth shown when q was pressed"
    );
    assert!(
        run.stdout
            .contains("[7 new · 0 learning · 0 due] 데이터베이스 › 트랜잭션\nQ: ACID\n"),
        "header and question:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1 again 1m · 2 hard 6m · 3 good 10m · 4 easy "),
        "grade bar:\n{}",
        run.stdout
    );
    // Answers as the full screen lays them out, between two rules.
    let rule = "─".repeat(40);
    for answer in [
        "원자성, 일관성, 격리성, 지속성. 트랜잭션이 지켜야 하는 네 가지 성질입니다.",
        "• READ UNCOMMITTED: 커밋되지 않은 값도 읽습니다.\n\
         • READ COMMITTED: 커밋된 값만 읽습니다.\n\
         • REPEATABLE READ: 한 트랜잭션 안에서 같은 값을 다시 읽습니다.\n\
         • SERIALIZABLE: 차례로 실행한 것과 같은 결과를 냅니다.",
    ] {
        assert!(
            run.stdout.contains(&format!("{rule}\n{answer}\n{rule}\n")),
            "answer:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains("4 answered · 1 again · 0:00 spent"),
        "summary:\n{}",
        run.stdout
    );
    // Quit on the fifth card: what the session still held is said, not a next due moment.
    assert!(
        run.stdout
            .contains("left for today: 3 new · 3 learning · 0 due; `amgi` goes on with them"),
        "{}",
        run.stdout
    );

    // reviews.yaml: one line per answer, in order, with the Enter as Good.
    let text = String::from_utf8(env.reviews_bytes()).expect("UTF-8");
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.lines()
            .all(|l| l.starts_with("- {card: \"") && l.contains(", mode: drill, ")),
        "{text}"
    );
    let expected: Vec<_> = cards[..4]
        .iter()
        .zip([4, 3, 2, 1])
        .map(|(c, g)| (id(c), g, Mode::Drill))
        .collect();
    let reviews = env.reviews();
    assert_eq!(summary_of(&reviews), expected);
    assert!(reviews.iter().all(|r| r.at == at(NOW) && !r.rescheduled));

    // progress.yaml: those four cards, each where its grade put it.
    let progress = env.progress();
    assert_eq!(progress.cards.len(), 4);
    assert_eq!(progress.log_offset, text.len() as u64);
    let expect = [
        (Phase::Review, 0, None),
        (Phase::Learning, 1, Some(600)),
        // Hard on the first step waits the mean of 1 and 10 minutes (the bar rounds it to 6m).
        (Phase::Learning, 0, Some(330)),
        (Phase::Learning, 0, Some(60)),
    ];
    for (card, (phase, step, seconds)) in cards.iter().zip(expect) {
        let entry = &progress.cards[&card.id];
        assert_eq!(entry.state.phase, phase, "{}", card.id);
        assert_eq!(entry.state.step, step, "{}", card.id);
        assert_eq!(entry.state.reps, 1, "{}", card.id);
        assert_eq!(entry.question, card.question);
        assert_eq!(entry.answer_hash, card.answer_hash());
        assert_eq!(entry.state.last_review, Some(at(NOW)));
        let due = entry.state.due.expect("a due date");
        match seconds {
            Some(s) => assert_eq!(due, at(NOW).plus(SignedDuration::from_secs(s)), "{}", card.id),
            None => assert!(due >= at(&later(24)), "Easy graduates for days: {due}"),
        }
    }
    let raw = String::from_utf8(env.progress_bytes()).expect("UTF-8");
    assert!(raw.starts_with("# amgi progress"), "{raw}");
    assert!(raw.contains("\nversion: 1\n"), "{raw}");
    assert_eq!(raw.matches("    state: review\n").count(), 1, "{raw}");
    assert_eq!(raw.matches("    state: learning\n").count(), 3, "{raw}");
}

/// A card whose answer has a list, a code block, a table, a link and an escape sequence.
const MARKDOWN_NOTE: &str = "\
---
topic: 자료구조
---

# 선형 구조

## 스택과 큐의 차이는?

스택은 **LIFO**, 큐는 FIFO입니다. [정리](https://example.com/ds)를 보세요. \x1b[31m빨강 글자는 색 없이 기호로 보입니다.

- 스택: 함수 호출
- 큐: 작업 대기열

```rust
let mut 스택 = vec![1, 2];
```

| 구조 | 꺼내는 순서 |
|---|---|
| 스택 | 마지막 것 먼저 |
| 큐 | 처음 것 먼저 |
";

/// The lines between the first two rules of a quiz's output: the first answer shown. (The first rule ends the
/// question's prompt line, as the Enter typed is not echoed.)
fn first_answer(stdout: &str) -> Vec<&str> {
    let mut lines = stdout.lines().skip_while(|l| !l.ends_with('─'));
    let prompt = lines.next().expect("a rule before the answer");
    let rule = &prompt[prompt.trim_end_matches('─').len()..];
    lines.take_while(|l| *l != rule).collect()
}

#[test]
fn a_markdown_answer_is_printed_as_the_full_screen_lays_it_out_without_colour() {
    let notes = TempDir::new().expect("a temporary directory");
    fs::write(notes.path().join("structures.md"), MARKDOWN_NOTE).expect("note written");
    let quiz = |columns: Option<&str>| {
        let mut env = Env::new();
        env.notes = notes.path().to_owned();
        let mut cmd = env.cmd(NOW);
        if let Some(columns) = columns {
            cmd.env("COLUMNS", columns);
        }
        run(cmd.arg("--plain").write_stdin(answers(&["3"]))).ok().stdout
    };

    let stdout = quiz(Some("40"));
    assert!(!stdout.contains('\x1b'), "an escape in:\n{stdout}");
    let answer = first_answer(&stdout);
    assert_eq!(
        answer,
        [
            "스택은 LIFO, 큐는 FIFO입니다. 정리",
            "(https://example.com/ds)를 보세요.",
            "␛[31m빨강 글자는 색 없이 기호로",
            "보입니다.",
            "",
            "• 스택: 함수 호출",
            "• 큐: 작업 대기열",
            "",
            " let mut 스택 = vec![1, 2];",
            "",
            "구조 │ 꺼내는 순서",
            "─────┼───────────────",
            "스택 │ 마지막 것 먼저",
            "큐   │ 처음 것 먼저",
        ],
        "{stdout}"
    );
    for source in ["- 스택", "|---|", "| 스택 |", "```", "**LIFO**", "](https://"] {
        assert!(!stdout.contains(source), "{source:?} printed as source:\n{stdout}");
    }

    // $COLUMNS sets the width when stdout is not a terminal; without it (or when it is no number) 80; never
    // under 20.
    let whole = "스택은 LIFO, 큐는 FIFO입니다. 정리 (https://example.com/ds)를 보세요. ␛[31m빨강 글자는 색 없이 기호로 보입니다.";
    let first_80 = "스택은 LIFO, 큐는 FIFO입니다. 정리 (https://example.com/ds)를 보세요. ␛[31m빨강";
    for (columns, first) in [
        (Some("200"), whole),
        (None, first_80),
        (Some("넓게"), first_80),
        (Some("5"), "스택은 LIFO, 큐는"),
    ] {
        let stdout = quiz(columns);
        assert_eq!(first_answer(&stdout)[0], first, "COLUMNS={columns:?}:\n{stdout}");
    }
}

#[test]
fn the_next_days_drills_ask_exactly_the_cards_that_came_due() {
    let env = Env::new();
    let cards = env.cards();
    let questions = env.questions();
    let all_easy = answers(&["4"; 20]);

    // Day 0: five new cards (the limit), all Easy.
    let day0 = env.quiz(NOW, &["--new", "5"], &all_easy).ok();
    assert_eq!(day0.asked(), questions[..5]);
    let progress = env.progress();
    assert!(cards[..5].iter().all(|c| phase_of(&progress, c) == Phase::Review));

    // Day 1: nothing came due; the two new cards the limit held back.
    let day1_at = later(24);
    let (due, new) = expected_drill(&cards, &progress, at(&day1_at), 5);
    assert!(due.is_empty(), "nothing is due a day after Easy: {due:?}");
    assert_eq!(new, questions[5..]);
    let day1 = env.quiz(&day1_at, &["--new", "5"], &all_easy).ok();
    assert_drill(&day1.asked(), &due, &new);

    // Day 3: nothing due, nothing new: no question at all.
    let day3_at = later(3 * 24);
    let (due, new) = expected_drill(&cards, &env.progress(), at(&day3_at), 5);
    assert!(due.is_empty() && new.is_empty(), "{due:?} {new:?}");
    let day3 = env.quiz(&day3_at, &["--new", "5"], &all_easy).ok();
    assert_eq!(day3.asked(), Vec::<String>::new());
    assert!(day3.stdout.contains("0 answered"), "{}", day3.stdout);

    // Days 9 and 30: whatever progress.yaml says came due, and nothing else.
    for days in [9, 30] {
        let now = later(days * 24);
        let progress = env.progress();
        let (due, new) = expected_drill(&cards, &progress, at(&now), 5);
        assert!(!due.is_empty(), "some Easy interval ends within {days} days");
        assert!(new.is_empty());
        let run = env.quiz(&now, &["--new", "5"], &all_easy).ok();
        assert_drill(&run.asked(), &due, &new);
        let after = env.progress();
        for card in &cards {
            let answered = due.contains(&card.question);
            let last = after.cards[&card.id].state.last_review;
            assert_eq!(last == Some(at(&now)), answered, "{}", card.id);
        }
    }
}

#[test]
fn the_new_card_limit_counts_earlier_drills_of_the_same_day() {
    let env = Env::new();
    let q = env.questions();
    let new2 = ["--new", "2"];

    // 21:00: one new card answered Good (it stays in learning), then quit on the second.
    let first = env.quiz(NOW, &new2, &(answers(&["3"]) + "q\n")).ok();
    assert_eq!(first.asked(), q[..2]);

    // 23:00: the learning card is due; one new card is left of the two.
    let second = env.quiz(&later(2), &new2, &answers(&["4", "4", "4"])).ok();
    assert_eq!(second.asked(), [q[0].clone(), q[1].clone()]);
    assert!(
        second.stdout.contains("[1 new · 1 learning · 0 due]"),
        "the counts before the first card:\n{}",
        second.stdout
    );

    // 03:00 the next morning is still the same day (days start at 04:00): no new card is left.
    let third = env.quiz(&later(6), &new2, &answers(&["4"; 4])).ok();
    assert_eq!(third.asked(), Vec::<String>::new(), "{}", third.stdout);

    // 05:00: a new day, two new cards.
    let fourth = env.quiz(&later(8), &new2, &answers(&["4"; 4])).ok();
    assert_eq!(fourth.asked(), q[2..4]);
    assert_eq!(env.reviews().len(), 5);
}

#[test]
fn a_card_answered_again_comes_back_before_the_session_ends() {
    let env = Env::new();
    let cards = env.cards();
    let q = env.questions();
    // ACID: Again; 격리 수준: Easy; then ACID comes back (1 minute step, learnt ahead): Good, Good.
    let run = env
        .quiz(NOW, &["--new", "2"], &answers(&["1", "4", "3", "3", "4", "4"]))
        .ok();
    assert_eq!(run.asked(), pick(&q, &[0, 1, 0, 0]));
    assert!(run.stdout.contains("4 answered · 1 again"), "{}", run.stdout);
    let expected: Vec<_> = [(0, 1), (1, 4), (0, 3), (0, 3)]
        .iter()
        .map(|&(i, g)| (id(&cards[i]), g, Mode::Drill))
        .collect();
    assert_eq!(summary_of(&env.reviews()), expected);
    let progress = env.progress();
    assert_eq!(phase_of(&progress, &cards[0]), Phase::Review);
    assert_eq!(progress.cards[&cards[0].id].state.reps, 3);
}

#[test]
fn undo_appends_an_undo_line_and_restores_progress() {
    let env = Env::new();
    let cards = env.cards();
    let q = env.questions();
    env.quiz(NOW, &[], &(answers(&["4"]) + "q\n")).ok();
    let before = env.progress();

    // ACID is done; 격리 수준 Again, undo at the next question; Easy, undo at the next grade bar; quit.
    let now = later(1);
    let input = "\n1\nu\n\n4\n\nu\nq\n";
    let run = env.quiz(&now, &[], input).ok();
    assert_eq!(run.asked(), pick(&q, &[1, 2, 1, 2, 1]));
    assert_eq!(run.stdout.matches(") undone\n").count(), 2, "{}", run.stdout);
    assert!(run.stdout.contains("0 answered · 0 again"), "{}", run.stdout);

    let lines = env.log().lines;
    assert_eq!(lines.len(), 5, "{lines:?}");
    for i in [2, 4] {
        match &lines[i] {
            LogLine::Undo { card, at: when, undoes } => {
                assert_eq!(card, &cards[1].id);
                assert_eq!(*when, at(&now));
                assert_eq!(*undoes, at(&now));
            }
            other => panic!("line {} is not an undo: {other:?}", i + 1),
        }
    }
    let text = String::from_utf8(env.reviews_bytes()).expect("UTF-8");
    assert_eq!(text.matches(&format!(", undo: {now}, id: ")).count(), 2, "{text}");

    let after = env.progress();
    assert_eq!(after.cards, before.cards, "both answers taken back");
    assert_eq!(after.log_offset, text.len() as u64);

    // A replay honours the undo lines.
    let live = env.progress_bytes();
    run_ok(env.cmd(&now).arg("repair"));
    assert_eq!(env.progress_bytes(), live);
}

#[test]
fn skip_puts_a_card_off_until_the_next_drill() {
    let env = Env::new();
    let cards = env.cards();
    let q = env.questions();
    // Skip ACID at its question, 격리 수준 at its grade bar, answer B+ 트리, quit.
    let input = "s\n\ns\n\n4\nq\n";
    let run = env.quiz(NOW, &[], input).ok();
    assert_eq!(run.asked(), q[..4]);
    assert_eq!(
        run.stdout.matches(") skipped: back in 7h (2026-11-25 04:00)\n").count(),
        2,
        "{}",
        run.stdout
    );
    assert_eq!(summary_of(&env.reviews()), [(id(&cards[2]), 4, Mode::Drill)]);
    let progress = env.progress();
    let skipped: Vec<_> = progress
        .cards
        .iter()
        .filter(|(_, e)| e.skipped_until.is_some())
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        skipped,
        [&cards[0].id, &cards[1].id],
        "put off until tomorrow, and saved"
    );
    assert_eq!(progress.cards[&cards[2].id].state.reps, 1);

    // A second drill the same day does not ask them; the next day's does, in note order.
    let same_day = env.quiz(&later(1), &[], "q\n").ok();
    assert_eq!(same_day.asked(), pick(&q, &[3]));
    let next_day = env.quiz(&later(24), &[], "q\n").ok();
    assert_eq!(next_day.asked(), pick(&q, &[0]));
}

/// Byte-for-byte equality of two versions of a file; on failure the lines that differ.
fn assert_same(actual: &[u8], expected: &[u8], what: &str) {
    if actual == expected {
        return;
    }
    let (a, e) = (String::from_utf8_lossy(actual), String::from_utf8_lossy(expected));
    let diff: Vec<String> = a
        .lines()
        .zip(e.lines())
        .enumerate()
        .filter(|(_, (a, e))| a != e)
        .map(|(i, (a, e))| format!("line {}: {e:?} became {a:?}", i + 1))
        .collect();
    panic!(
        "{what}: the file differs ({} lines now, {} before)\n{}",
        a.lines().count(),
        e.lines().count(),
        diff.join("\n")
    );
}

fn run_ok(cmd: &mut Command) -> Run {
    run(cmd).ok()
}

#[test]
fn bang_suspends_the_card_up_in_plain_mode_and_no_later_quiz_asks_it() {
    let env = Env::new();
    let cards = env.cards();
    let q = env.questions();
    // `!` at ACID's question; 격리 수준 answered Easy; `!` at B+ 트리's grade bar; `!` at 인덱스 and `u` at the
    // next question takes that one back; quit.
    let input = "!\n\n4\n\n!\n!\nu\nq\n";
    let run = env.quiz(NOW, &[], input).ok();
    assert_eq!(run.asked(), pick(&q, &[0, 1, 2, 3, 4, 3]));
    assert_eq!(
        run.stdout
            .matches(") suspended until `amgi release` (u undoes)\n")
            .count(),
        3,
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches(") undone\n").count(), 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("!: suspend"),
        "the prompt names the key:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 answered"), "{}", run.stdout);

    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    assert_eq!(text.matches(", suspended: true, id: ").count(), 3, "{text}");
    assert_eq!(text.matches(", suspended: false, id: ").count(), 1, "{text}");
    let lines = env.log().lines;
    assert!(matches!(&lines[0], LogLine::Suspend { card, at: when } if *card == cards[0].id && *when == at(NOW)));
    assert!(matches!(&lines[3], LogLine::Suspend { card, .. } if *card == cards[3].id));
    assert!(matches!(&lines[4], LogLine::Release { card, .. } if *card == cards[3].id));
    let progress = env.progress();
    let suspended: BTreeSet<&amgi::CardId> = progress
        .cards
        .iter()
        .filter(|(_, e)| e.suspended)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(suspended, BTreeSet::from([&cards[0].id, &cards[2].id]), "{progress:?}");
    assert!(
        !progress.cards.contains_key(&cards[3].id),
        "taken back, it leaves no trace"
    );
    assert_eq!(progress.log_offset, text.len() as u64);
    let raw = String::from_utf8(env.progress_bytes()).unwrap();
    assert_eq!(raw.matches("\n    suspended: true\n").count(), 2, "{raw}");

    // Neither the rest of today's drill, a cram, nor next week's drill asks them.
    let same_day = env.quiz(&later(1), &[], &answers(&["4"; 9])).ok();
    assert_eq!(same_day.asked(), pick(&q, &[3, 4, 5, 6]));
    let cram = env.quiz(&later(2), &["cram"], &answers(&["3"; 9])).ok();
    let crammed: BTreeSet<String> = cram.asked().into_iter().collect();
    assert_eq!(crammed, pick(&q, &[1, 3, 4, 5, 6]).into_iter().collect());
    // Two weeks on, past the days Easy gave (6 to 10).
    let next_week = env.quiz(&later(24 * 14), &[], &answers(&["4"; 9])).ok();
    assert!(
        !next_week.asked().contains(&q[0]) && !next_week.asked().contains(&q[2]),
        "{:?}",
        next_week.asked()
    );
    assert!(!next_week.asked().is_empty());

    // Listed, counted, released by a word of the question, and kept by a replay byte for byte.
    let now = later(24 * 14 + 1);
    let listed = run_ok(env.cmd(&now).args(["cards", "--suspended"])).stdout;
    assert_eq!(
        listed,
        format!("데이터베이스 › 트랜잭션 › {}\n데이터베이스 › 인덱스 › {}\n", q[0], q[2])
    );
    let stats: serde_json::Value =
        serde_json::from_str(&run_ok(env.cmd(&now).args(["stats", "--json"])).stdout).unwrap();
    assert_eq!(stats["suspended"], 2);
    let released = run_ok(env.cmd(&now).args(["release", "B+"]));
    assert_eq!(released.stdout, format!("released: 데이터베이스 › 인덱스 › {}\n", q[2]));
    let live = env.progress_bytes();
    run_ok(env.cmd(&now).arg("repair"));
    assert_same(
        &env.progress_bytes(),
        &live,
        "repair keeps the suspension and the release",
    );
    let drill = env.quiz(&now, &[], "q\n").ok();
    assert_eq!(drill.asked(), pick(&q, &[2]), "released, it is asked again");
}

// ---------------------------------------------------------------------------------------------------------------
// Suspended cards

/// Appends a suspend line for `card` at `now`, as another machine's quiz (or one that crashed before saving
/// progress.yaml) leaves it.
fn suspend_in_log(env: &Env, card: &Card, now: &str) {
    let line = LogLine::Suspend {
        card: card.id.clone(),
        at: at(now),
    };
    env.store().append(&line).expect("appended");
}

#[test]
fn cards_suspended_lists_them_and_release_brings_them_back_once_each() {
    let env = Env::new();
    let cards = env.cards();
    let q = env.questions();
    env.quiz(NOW, &[], &(answers(&["4", "4"]) + "q\n")).ok();
    suspend_in_log(&env, &cards[0], &later(1));
    suspend_in_log(&env, &cards[5], &later(1));
    let now = later(2);

    // Read before any quiz has saved them into progress.yaml.
    let listed = run_ok(env.cmd(&now).args(["cards", "--suspended"]));
    assert_eq!(
        listed.stdout,
        "데이터베이스 › 트랜잭션 › ACID\n네트워크 › 응용 계층 › DNS 조회 과정\n"
    );
    let json = run_ok(env.cmd(&now).args(["cards", "--suspended", "--json"])).stdout;
    let ids: Vec<String> = common::json_lines(&json)
        .iter()
        .filter_map(|v| v["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids, [id(&cards[0]), id(&cards[5])]);
    // The same lines, fields and order as `cards --json` gives them.
    let every = run_ok(env.cmd(&now).args(["cards", "--json"])).stdout;
    let every: Vec<&str> = every.lines().collect();
    assert_eq!(json.lines().collect::<Vec<_>>(), [every[0], every[5]]);
    let stats: serde_json::Value =
        serde_json::from_str(&run_ok(env.cmd(&now).args(["stats", "--json"])).stdout).unwrap();
    assert_eq!(
        (stats["cards"].as_u64(), stats["suspended"].as_u64()),
        (Some(7), Some(2))
    );
    let drill = env.quiz(&now, &[], &answers(&["4"; 9])).ok();
    assert!(
        !drill.asked().contains(&q[0]) && !drill.asked().contains(&q[5]),
        "{:?}",
        drill.asked()
    );
    assert!(env.progress().cards[&cards[0].id].suspended);

    // A text that names no suspended card is refused and nothing is written.
    let before = env.snapshot();
    let none = run(env.cmd(&now).args(["release", "격리"]));
    assert_eq!(none.code, Some(1), "{}", none.stderr);
    assert!(
        none.stderr
            .contains("no suspended card matches \"격리\" (`amgi cards --suspended` lists them)"),
        "{}",
        none.stderr
    );
    assert_eq!(env.snapshot(), before);
    let usage = run(env.cmd(&now).arg("release"));
    assert_eq!(usage.code, Some(2), "neither a text nor --all: {}", usage.stderr);

    // By a word of its question: the card is back, its schedule as it was.
    let state = env.progress().cards[&cards[0].id].state.clone();
    let released = run_ok(env.cmd(&now).args(["release", "acid"]));
    assert_eq!(released.stdout, "released: 데이터베이스 › 트랜잭션 › ACID\n");
    let entry = &env.progress().cards[&cards[0].id];
    assert!(!entry.suspended);
    assert_eq!(entry.state, state);
    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    assert_eq!(text.matches(", suspended: false, id: ").count(), 1, "{text}");
    assert_eq!(env.progress().log_offset, text.len() as u64);
    assert_eq!(
        run_ok(env.cmd(&now).args(["cards", "--suspended"])).stdout,
        "네트워크 › 응용 계층 › DNS 조회 과정\n"
    );

    // `--all` releases the rest, new card and all: it leaves no trace in progress.yaml; then there is nothing.
    let all = run_ok(env.cmd(&now).args(["release", "--all"]));
    assert_eq!(all.stdout, "released: 네트워크 › 응용 계층 › DNS 조회 과정\n");
    assert!(!env.progress().cards.contains_key(&cards[5].id));
    let again = run_ok(env.cmd(&now).args(["release", "--all"]));
    assert_eq!(again.stdout, "no suspended card to release\n");
    assert_eq!(run_ok(env.cmd(&now).args(["cards", "--suspended"])).stdout, "");
    let later_drill = env.quiz(&later(3), &[], "q\n").ok();
    assert_eq!(later_drill.asked(), pick(&q, &[5]), "asked again");

    // A replay gives the same progress, byte for byte.
    let live = env.progress_bytes();
    run_ok(env.cmd(&now).arg("repair"));
    assert_same(&env.progress_bytes(), &live, "repair after suspensions and releases");
}

#[test]
fn a_suspended_card_is_no_finding_until_its_notes_are_gone_and_then_an_orphan_to_release_by_id() {
    let env = Env::with_own_notes();
    let cards = env.cards();
    env.quiz(NOW, &[], &(answers(&["4"; 7]) + "q\n")).ok();
    suspend_in_log(&env, &cards[3], &later(1));
    env.quiz(&later(1), &[], "q\n").ok();
    assert!(env.progress().cards[&cards[3].id].suspended);
    let check = run_ok(env.cmd(&later(1)).arg("check"));
    assert_eq!(
        check.stdout, "no findings in 2 files (7 cards)\n",
        "a suspended card is no finding"
    );

    fs::remove_file(env.notes.join("network.md")).unwrap();
    let check = run_ok(env.cmd(&later(2)).arg("check"));
    let orphan = format!("orphan: progress for \"{}\" is kept", cards[3].id);
    assert!(check.stdout.contains(&orphan), "{}", check.stdout);
    assert_eq!(run_ok(env.cmd(&later(2)).args(["cards", "--suspended"])).stdout, "");
    let by_text = run(env.cmd(&later(2)).args(["release", "TCP"]));
    assert_eq!(
        by_text.code,
        Some(1),
        "its question is no longer in the notes: {}",
        by_text.stdout
    );
    let by_id = run_ok(env.cmd(&later(2)).args(["release", &id(&cards[3])]));
    assert_eq!(
        by_id.stdout,
        format!("released: \"{}\" (no card in the notes has that id)\n", cards[3].id)
    );
    assert!(
        !env.progress().cards[&cards[3].id].suspended,
        "its progress is kept, released"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Cram and --topic

/// Env where every card was answered Easy on day 0.
fn all_reviewed() -> Env {
    let env = Env::new();
    env.quiz(NOW, &[], &answers(&["4"; 7])).ok();
    assert_eq!(env.progress().cards.len(), 7);
    env
}

#[test]
fn cram_leaves_progress_yaml_unchanged_and_logs_mode_cram() {
    let env = all_reviewed();
    let (progress, reviews) = env.snapshot();
    let run = env
        .quiz(
            &later(1),
            &["cram"],
            &answers(&["1", "2", "3", "4", "3", "3", "3", "3", "3", "3", "3"]),
        )
        .ok();
    assert!(
        run.stdout.contains("1 again · 2 hard · 3 good · 4 easy (Enter"),
        "no delays in a cram:\n{}",
        run.stdout
    );
    let asked: BTreeSet<_> = run.asked().into_iter().collect();
    assert_eq!(asked.len(), 7, "every card: {:?}", run.asked());

    let log = env.reviews_bytes();
    assert!(log.starts_with(&reviews), "the log is only appended to");
    let added = String::from_utf8(log[reviews.len()..].to_vec()).expect("UTF-8");
    assert!(added.lines().count() >= 7, "{added}");
    assert!(
        added
            .lines()
            .all(|l| l.contains(", mode: cram, ") && !l.contains("rescheduled")),
        "{added}"
    );
    assert_same(
        &env.progress_bytes(),
        &progress,
        "a cram without --reschedule leaves progress.yaml byte for byte",
    );
}

#[test]
fn cram_reschedule_moves_the_schedule() {
    let env = all_reviewed();
    let before = env.progress();
    let now = later(1);
    let run = env
        .quiz(&now, &["cram", "--reschedule", "--limit", "2"], &answers(&["4", "4"]))
        .ok();
    assert!(run.stdout.contains("4 easy "), "{}", run.stdout);
    let asked = run.asked();
    assert_eq!(asked.len(), 2);
    let after = env.progress();
    for card in env.cards() {
        let (old, new) = (&before.cards[&card.id].state, &after.cards[&card.id].state);
        if asked.contains(&card.question) {
            assert_eq!(new.reps, old.reps + 1, "{}", card.id);
            assert_eq!(new.last_review, Some(at(&now)));
        } else {
            assert_eq!(new, old, "{}", card.id);
        }
    }
    let reviews = env.reviews();
    assert!(
        reviews[7..].iter().all(|r| r.mode == Mode::Cram && r.rescheduled),
        "{reviews:?}"
    );
    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    assert_eq!(text.matches(", mode: cram, ").count(), 2);
    assert_eq!(text.matches(", rescheduled: true, id: ").count(), 2);
}

#[test]
fn cram_limit_asks_that_many_cards() {
    let env = Env::new();
    let run = env.quiz(NOW, &["cram", "--limit", "2"], &answers(&["3"; 5])).ok();
    assert_eq!(run.asked(), env.questions()[..2], "never-seen cards in note order");
    assert!(run.stdout.contains("2 answered"), "{}", run.stdout);
    assert_eq!(env.reviews().len(), 2);
}

#[test]
fn topic_filters_drill_and_cram() {
    let env = Env::new();
    let q = env.questions();
    let drill = env.quiz(NOW, &["--topic", "데이터베이스"], &answers(&["4"; 9])).ok();
    assert_eq!(drill.asked(), q[..3]);
    // A heading in the path; and the question, ignoring case.
    let cram = env
        .quiz(NOW, &["cram", "--topic", "응용 계층"], &answers(&["3"; 9]))
        .ok();
    assert_eq!(cram.asked(), q[5..7]);
    let drill = env.quiz(NOW, &["drill", "--topic", "tcp"], &answers(&["4"; 9])).ok();
    assert_eq!(drill.asked(), pick(&q, &[3]));
    let cram = env.quiz(NOW, &["--topic", "TCP", "cram"], &answers(&["3"; 9])).ok();
    assert_eq!(cram.asked(), pick(&q, &[3]));
    let ids: BTreeSet<String> = env.reviews().iter().map(|r| r.card.to_string()).collect();
    assert_eq!(ids.len(), 6, "{ids:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Replaying reviews.yaml

/// A history with every kind of line: drills over three days with Again, Hard, Good and Easy, an undo, a skip,
/// a cram with and without --reschedule, ending with a drill.
fn history() -> Env {
    let env = Env::new();
    env.quiz(
        NOW,
        &[],
        &(answers(&["1", "2", "3", "4", "3"]) + "u\n" + &answers(&["2", "1"]) + "s\n" + &answers(&["3"; 12])),
    )
    .ok();
    env.quiz(
        &later(1),
        &["cram", "--limit", "3"],
        &answers(&["1", "2", "3", "3", "3", "3"]),
    )
    .ok();
    env.quiz(
        &later(26),
        &["cram", "--reschedule", "--limit", "2"],
        &answers(&["2", "3", "3"]),
    )
    .ok();
    env.quiz(
        &later(27),
        &[],
        &answers(&["3", "1", "3", "3", "4", "2", "3", "3", "3", "3", "3", "3"]),
    )
    .ok();
    env.quiz(
        &later(24 * 5),
        &[],
        &answers(&["2", "3", "4", "1", "3", "3", "3", "3", "3"]),
    )
    .ok();
    let log = env.log();
    assert!(log.lines.iter().any(|l| matches!(l, LogLine::Undo { .. })));
    assert!(log.lines.len() > 20, "{}", log.lines.len());
    env
}

#[test]
fn repair_rebuilds_progress_yaml_byte_for_byte() {
    let env = history();
    let live = env.progress_bytes();
    let now = later(24 * 5 + 1);

    fs::remove_file(env.store().progress_path()).unwrap();
    let run = run_ok(env.cmd(&now).arg("repair"));
    assert!(run.stdout.contains("rebuilt "), "{}", run.stdout);
    assert_same(
        &env.progress_bytes(),
        &live,
        "replaying reviews.yaml gives progress.yaml",
    );

    // With the file there, it is kept as a numbered backup and rebuilt the same.
    let run = run_ok(env.cmd(&now).arg("repair"));
    assert!(
        run.stdout.contains("kept the old file as ") && run.stdout.contains("progress.yaml.bak.1"),
        "{}",
        run.stdout
    );
    assert_eq!(env.progress_bytes(), live);
    assert_eq!(fs::read(env.data.join("progress.yaml.bak.1")).unwrap(), live);
    // A second repair keeps no second copy of the same file.
    let run = run_ok(env.cmd(&now).arg("repair"));
    assert!(run.stdout.contains("progress.yaml.bak.1"), "{}", run.stdout);
    assert!(!env.data.join("progress.yaml.bak.2").exists());
    assert_eq!(fs::read(env.data.join("progress.yaml.bak.1")).unwrap(), live);
}

#[test]
fn a_retention_changed_midway_is_replayed_as_each_answer_was_scheduled() {
    let env = Env::new();
    // 30 days at the default retention, then 30 at 0.8 (given once: it is kept).
    let grades = ["3", "3", "1", "3", "4", "2", "3"];
    for day in 0..60 {
        let args: &[&str] = if day == 30 { &["--retention", "0.8"] } else { &[] };
        let input = answers(&grades.iter().cycle().skip(day).take(12).copied().collect::<Vec<_>>());
        env.quiz(&later(24 * day as i64), args, &input).ok();
    }
    assert_eq!(env.progress().settings.retention, Some(0.8));
    // The change is a line of the log, after one that says what was in use before.
    let settings: Vec<String> = String::from_utf8(env.reviews_bytes())
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("- {at: "))
        .map(|l| l.split(", id: ").next().unwrap_or(l).to_owned())
        .collect();
    assert_eq!(settings.len(), 2, "{settings:?}");
    assert!(
        settings[0].ends_with("retention: 0.9") && settings[1].ends_with("retention: 0.8"),
        "{settings:?}"
    );
    // A replay schedules each answer as it was: progress.yaml comes back byte for byte.
    let live = env.progress_bytes();
    let now = later(24 * 60);
    fs::remove_file(env.store().progress_path()).unwrap();
    run_ok(env.cmd(&now).arg("repair"));
    assert_same(&env.progress_bytes(), &live, "a replay after a change of retention");
    run_ok(env.cmd(&now).arg("repair"));
    assert_same(&env.progress_bytes(), &live, "and with the file there");
}

#[test]
fn repair_refuses_a_log_that_lost_answers_unless_forced_and_keeps_every_backup() {
    let env = history();
    let live = env.progress_bytes();
    let old_log = env.reviews_bytes();
    // The log is moved away, and one more card is answered: the new log holds one answer.
    fs::rename(env.store().reviews_path(), env.data.join("reviews.yaml.moved")).unwrap();
    let now = later(24 * 5 + 1);
    env.quiz(&now, &["cram", "--reschedule", "--limit", "1"], &answers(&["3"]))
        .ok();
    let before = (env.progress_bytes(), env.reviews_bytes());

    let refused = run(env.cmd(&now).arg("repair"));
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("not rebuilt: ") && refused.stderr.contains("answers that "),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("amgi repair --force"), "{}", refused.stderr);
    assert_eq!(
        (env.progress_bytes(), env.reviews_bytes()),
        before,
        "nothing was written"
    );
    assert!(env.store().backup_numbers().unwrap().is_empty(), "no backup was needed");

    // Forced, it rebuilds, keeping the old file; forced again, the first backup stays as it was.
    let forced = run_ok(env.cmd(&now).args(["repair", "--force"]));
    assert!(forced.stdout.contains("progress.yaml.bak.1"), "{}", forced.stdout);
    assert_eq!(fs::read(env.store().backup_path(1)).unwrap(), before.0);
    run_ok(env.cmd(&now).args(["repair", "--force"]));
    assert_eq!(
        fs::read(env.store().backup_path(1)).unwrap(),
        before.0,
        "the good backup is never overwritten"
    );
    assert_eq!(env.store().backup_numbers().unwrap(), [1, 2]);

    // With the log back, repair gives the progress back from the backup's answers and the new one.
    let mut whole = old_log;
    whole.extend_from_slice(&before.1);
    fs::write(env.store().reviews_path(), whole).unwrap();
    run_ok(env.cmd(&now).arg("repair"));
    assert_eq!(
        history::missing_answers(&parse_progress_bytes(&before.0), &env.progress(), &env.log().lines).answers,
        0
    );
    assert_ne!(env.progress_bytes(), live, "the new answer is in");
}

/// progress.yaml's cards as text, without `log_offset` and `log_crc` (which move with the log's bytes).
fn cards_text(env: &Env) -> String {
    let text = String::from_utf8(env.progress_bytes()).unwrap();
    text.lines()
        .filter(|l| !l.starts_with("log_offset:") && !l.starts_with("log_crc:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_repeated_or_merged_line_counts_once_and_check_says_where() {
    let env = history();
    let now = later(24 * 5 + 1);
    let cards = cards_text(&env);
    let answers_of = |env: &Env| -> serde_json::Value {
        let stats: serde_json::Value =
            serde_json::from_str(&run_ok(env.cmd(&now).args(["stats", "--json"])).stdout).unwrap();
        stats["activity"]["answers"].clone()
    };
    let answers = answers_of(&env);
    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().all(|l| l.contains(", id: ")), "every line has an id");
    // A merge puts the answers of one session (the `cram --reschedule` one, as if from another machine) after
    // the later ones, and a sync tool appends a copy of line 3.
    let (block, rest): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| l.contains("rescheduled: true"));
    assert!(!block.is_empty() && rest.last().is_some_and(|l| !l.contains("rescheduled")));
    let mut edited: Vec<&str> = rest;
    edited.extend(block);
    edited.push(lines[2]);
    fs::write(env.store().reviews_path(), edited.join("\n") + "\n").unwrap();

    let run = env.quiz(&now, &[], "q\n").ok();
    assert_eq!(
        cards_text(&env),
        cards,
        "the quiz start gives the same progress:\n{}",
        run.stderr
    );
    run_ok(env.cmd(&now).arg("repair"));
    assert_eq!(cards_text(&env), cards, "and so does repair");
    assert_eq!(answers_of(&env), answers, "stats count the copy once");
    let check = run_ok(env.cmd(&now).arg("check"));
    let repeat_line = edited.len();
    assert!(
        check.stdout.contains(&format!(
            "reviews.yaml:{repeat_line}: repeat: the same answer as line 3; counted once"
        )),
        "{}",
        check.stdout
    );
    assert_eq!(check.stdout.matches(": repeat: ").count(), 1, "{}", check.stdout);

    // In a log without ids (as older amgi wrote it), a copied line is told by its text: the copy changes nothing.
    // (Here the answers of one session share one fixed moment, so the comparison is with the same log without
    // the copy rather than with the live progress.)
    let without: Vec<String> = edited.iter().map(|l| strip_id(l)).collect();
    fs::write(
        env.store().reviews_path(),
        without[..without.len() - 1].join("\n") + "\n",
    )
    .unwrap();
    run_ok(env.cmd(&now).args(["repair", "--force"]));
    let once = cards_text(&env);
    fs::write(env.store().reviews_path(), without.join("\n") + "\n").unwrap();
    run_ok(env.cmd(&now).args(["repair", "--force"]));
    assert_eq!(cards_text(&env), once, "a log without ids");
}

#[test]
fn an_edit_before_the_offset_is_seen_and_every_command_names_the_same_place() {
    let env = history();
    let now = later(24 * 5 + 1);
    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let drill = lines
        .iter()
        .position(|l| l.contains("grade: 3, mode: drill"))
        .expect("a Good drill answer");

    // A same-length edit (Good to Again) is not missed: the quiz replays the log whole, as repair does.
    let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    edited[drill] = edited[drill].replacen("grade: 3", "grade: 1", 1);
    fs::write(env.store().reviews_path(), edited.join("\n") + "\n").unwrap();
    let quiz = env.quiz(&now, &[], "q\n").ok();
    assert!(quiz.stderr.contains("was changed before the part"), "{}", quiz.stderr);
    let after_quiz = cards_text(&env);
    run_ok(env.cmd(&now).arg("repair"));
    assert_eq!(cards_text(&env), after_quiz, "the quiz start gives what repair gives");

    // A bad line 8 is reported at 8 by every command, also when progress.yaml has read past it.
    let mut bad = edited.clone();
    bad[7] = bad[7].replacen("grade: ", "grade: x", 1);
    fs::write(env.store().reviews_path(), bad.join("\n") + "\n").unwrap();
    let place = format!("{}:8:", env.store().reviews_path().display());
    for args in [&[][..], &["stats", "--plain"], &["check"], &["repair"], &["plan"]] {
        let done = run(env.cmd(&now).arg("--plain").args(args));
        let all = format!("{}{}", done.stdout, done.stderr);
        assert!(all.contains(&place), "{args:?}: {all}");
        assert_ne!(done.code, Some(0), "{args:?}: {all}");
    }
}

/// network.md without its front matter, so its topic is its file's name, and all of its cards drilled once: what a
/// rename of the file then moves.
fn drill_network_topic_from_its_file_name(env: &Env) {
    let text = fs::read_to_string(env.notes.join("network.md")).unwrap();
    let body = text.splitn(3, "---\n").nth(2).unwrap().to_owned();
    fs::write(env.notes.join("network.md"), &body).unwrap();
    env.quiz(NOW, &["cram", "--reschedule"], &(answers(&["3"; 7]) + "q\n"))
        .ok();
}

#[test]
fn progress_follows_a_renamed_file_once_logged_and_ambiguity_stays_orphaned() {
    let env = Env::with_own_notes();
    drill_network_topic_from_its_file_name(&env);
    let before = env.progress();
    let network: Vec<(String, Entry)> = before
        .cards
        .iter()
        .filter(|(id, _)| id.as_str().starts_with("network/"))
        .map(|(id, e)| (id.to_string(), e.clone()))
        .collect();
    assert!(network.len() >= 3, "{network:?}");

    // Renamed: check says what will happen, the next quiz moves the progress and says so, and a replay agrees.
    fs::rename(env.notes.join("network.md"), env.notes.join("네트워크.md")).unwrap();
    let now = later(1);
    let check = run_ok(env.cmd(&now).arg("check"));
    assert_eq!(
        check.stdout.matches(": moved: progress for \"network/").count(),
        network.len(),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("moves to \"네트워크/"), "{}", check.stdout);
    let quiz = env.quiz(&now, &[], "q\n").ok();
    assert_eq!(
        quiz.stderr.matches("now belongs to \"네트워크/").count(),
        network.len(),
        "{}",
        quiz.stderr
    );
    let after = env.progress();
    for (id, entry) in &network {
        let new_id = id.replacen("network/", "네트워크/", 1);
        let now_entry = after
            .cards
            .iter()
            .find(|(k, _)| k.as_str() == new_id)
            .map(|(_, e)| &e.state);
        assert_eq!(now_entry, Some(&entry.state), "{new_id}");
        assert!(!after.cards.keys().any(|k| k.as_str() == id), "{id} is gone");
    }
    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    assert_eq!(text.matches(", moved_from: \"network/").count(), network.len());
    let live = env.progress_bytes();
    run_ok(env.cmd(&now).arg("repair"));
    assert_same(&env.progress_bytes(), &live, "a replay makes the same moves");
    assert!(!run_ok(env.cmd(&now).arg("check")).stdout.contains(": moved: "));

    // Renamed into two files that both hold the cards: which one continues them is not clear, so none does.
    let moved = fs::read_to_string(env.notes.join("네트워크.md")).unwrap();
    fs::remove_file(env.notes.join("네트워크.md")).unwrap();
    fs::write(env.notes.join("a.md"), &moved).unwrap();
    fs::write(env.notes.join("b.md"), moved.clone() + "\n## 하나 더\n\n답\n").unwrap();
    let quiz = env.quiz(&later(2), &[], "q\n").ok();
    assert!(!quiz.stderr.contains("now belongs to"), "{}", quiz.stderr);
    let check = run_ok(env.cmd(&later(2)).arg("check"));
    assert_eq!(
        check.stdout.matches(": orphan: ").count(),
        network.len(),
        "{}",
        check.stdout
    );
}

/// A deck drilled before a card's folders were part of its id: its progress.yaml and reviews.yaml as that build
/// wrote them, with ids `topic/path…/question` (two `stream.md` shared `stream/map?`, the second `~2`).
const BEFORE_FOLDERS_LOG: &str = "\
- {card: \"tcp/흐름 제어란?\", at: 2026-11-10T21:00:00+09:00, grade: 3, mode: drill, ms: 4000}
- {card: \"stream/map?\", at: 2026-11-10T21:00:10+09:00, grade: 3, mode: drill, ms: 4000}
- {card: \"stream/map? ~2\", at: 2026-11-10T21:00:20+09:00, grade: 2, mode: drill, ms: 4000}
- {card: \"top/맨 위?\", at: 2026-11-10T21:00:30+09:00, grade: 3, mode: drill, ms: 4000}
- {card: \"tcp/흐름 제어란?\", at: 2026-11-20T21:00:00+09:00, grade: 3, mode: drill, ms: 3000}
- {card: \"stream/map?\", at: 2026-11-20T21:00:10+09:00, grade: 4, mode: drill, ms: 3000}
";

/// One card's entry in [`BEFORE_FOLDERS_LOG`]'s progress.yaml.
fn entry_before_folders(id: &str, question: &str, reps: u32, last: &str) -> String {
    format!(
        "  {id}:\n    answer_hash: 0123456789abcdef\n    difficulty: 4.5\n    due: 2026-12-20T21:00:00+09:00\n    \
         lapses: 0\n    last_review: {last}\n    question: {question}\n    reps: {reps}\n    stability: 30.5\n    \
         state: review\n    step: 0\n"
    )
}

#[test]
fn progress_kept_before_folders_moves_to_the_cards_now_in_folders_and_nothing_is_orphaned() {
    let mut env = Env::new();
    let notes = env.root.path().join("repo");
    for (file, text) in [
        (
            "Computer Science/Network/tcp.md",
            "## 흐름 제어란?\n\n수신 측이 받을 만큼만 보냅니다.\n",
        ),
        ("java/stream.md", "## map?\n\n자바의 답.\n"),
        ("kotlin/stream.md", "## map?\n\n코틀린의 답.\n"),
        ("top.md", "## 맨 위?\n\n폴더 없이.\n"),
    ] {
        let path = notes.join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    env.notes = notes;
    fs::create_dir_all(&env.data).unwrap();
    fs::write(env.store().reviews_path(), BEFORE_FOLDERS_LOG).unwrap();
    let (second, first) = ("2026-11-20T21:00:10+09:00", "2026-11-10T21:00:20+09:00");
    let progress = format!(
        "version: 1\nsettings: {{}}\nlog_offset: {}\ncards:\n{}{}{}{}",
        BEFORE_FOLDERS_LOG.len(),
        entry_before_folders("stream/map?", "map?", 2, second),
        entry_before_folders("stream/map? ~2", "map?", 1, first),
        entry_before_folders("tcp/흐름 제어란?", "흐름 제어란?", 2, "2026-11-20T21:00:00+09:00"),
        entry_before_folders("top/맨 위?", "맨 위?", 1, "2026-11-10T21:00:30+09:00"),
    );
    fs::write(env.store().progress_path(), &progress).unwrap();
    let before = env.progress();
    let moves = [
        ("stream/map?", "java/stream/map?"),
        ("stream/map? ~2", "kotlin/stream/map?"),
        ("tcp/흐름 제어란?", "Computer Science/Network/tcp/흐름 제어란?"),
    ];

    // check says what the next quiz does, and finds no orphan.
    let check = run_ok(env.cmd(NOW).arg("check"));
    assert!(!check.stdout.contains(": orphan: "), "{}", check.stdout);
    for (from, to) in moves {
        assert!(
            check
                .stdout
                .contains(&format!(": moved: progress for \"{from}\" moves to \"{to}\"")),
            "{from}: {}",
            check.stdout
        );
    }

    // The quiz moves each card's progress, says so, and logs the move.
    let quiz = env.quiz(NOW, &[], "q\n").ok();
    assert_eq!(quiz.stderr.matches("now belongs to").count(), 3, "{}", quiz.stderr);
    let after = env.progress();
    assert_eq!(
        after.cards.len(),
        4,
        "nothing lost, nothing added: {:?}",
        after.cards.keys()
    );
    for (from, to) in moves {
        let moved = after
            .cards
            .iter()
            .find(|(id, _)| id.as_str() == to)
            .map(|(_, e)| &e.state);
        let kept = before
            .cards
            .iter()
            .find(|(id, _)| id.as_str() == from)
            .map(|(_, e)| &e.state);
        assert_eq!(moved, kept, "{to} keeps the state of {from}");
        assert!(!after.cards.keys().any(|id| id.as_str() == from), "{from} is gone");
    }
    let top = after.cards.iter().find(|(id, _)| id.as_str() == "top/맨 위?");
    assert_eq!(
        top.map(|(_, e)| e.state.reps),
        Some(1),
        "a card at the top keeps its id"
    );
    let log = String::from_utf8(env.reviews_bytes()).unwrap();
    assert!(log.starts_with(BEFORE_FOLDERS_LOG), "the log is only appended to");
    for (from, to) in moves {
        assert_eq!(
            log.matches(&format!("{{card: \"{to}\", at: ")).count(),
            1,
            "one move line for {to}: {log}"
        );
        assert!(log.contains(&format!("moved_from: \"{from}\"")), "{log}");
    }
    // The card keeps its reviews: both answers, given under the old id, and the state they led to.
    let java = after.cards.iter().find(|(id, _)| id.as_str() == "java/stream/map?");
    assert_eq!(java.map(|(_, e)| e.state.reps), Some(2));
    assert_eq!(env.reviews().len(), 6, "every answer is still in the log");

    // Nothing is left to move or orphaned.
    let check = run_ok(env.cmd(NOW).arg("check"));
    assert!(
        !check.stdout.contains(": orphan: ") && !check.stdout.contains(": moved: "),
        "{}",
        check.stdout
    );
    assert!(env.quiz(NOW, &[], "q\n").ok().stderr.matches("now belongs to").count() == 0);
}

/// The clock set back between two sessions: answers at 10:00 and 10:05, then one at 10:02. The last is dated at
/// 10:05, after the answer it follows, so the live progress is what `repair` rebuilds from the log in time order.
#[test]
fn a_clock_set_back_between_sessions_leaves_the_progress_repair_rebuilds() {
    let mut env = Env::new();
    let notes = env.root.path().join("one");
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("a.md"), "## 질문\n\n답입니다.\n").unwrap();
    env.notes = notes;
    for (when, grade) in [("10:00", "3"), ("10:05", "1"), ("10:02", "2")] {
        let now = format!("2026-11-24T{when}:00+09:00");
        env.quiz(&now, &["cram", "--reschedule"], &(answers(&[grade]) + "q\n"))
            .ok();
    }
    let ats: Vec<String> = env.log().lines.iter().map(|l| l.at().to_string()).collect();
    assert_eq!(
        ats,
        [
            "2026-11-24T10:00:00+09:00",
            "2026-11-24T10:05:00+09:00",
            "2026-11-24T10:05:00+09:00"
        ]
    );
    let live = env.progress_bytes();
    run_ok(env.cmd("2026-11-24T10:03:00+09:00").arg("repair"));
    assert_same(
        &env.progress_bytes(),
        &live,
        "a replay keeps the schedule the quiz gave",
    );
}

/// A settings line amgi cannot schedule with (here one FSRS parameter, a hand edit) is reported at its line and
/// skipped: the drill, stats and repair all work, and the progress keeps the parameters it had.
#[test]
fn a_bad_settings_line_is_skipped_with_its_line_and_never_stops_a_quiz() {
    let env = Env::new();
    env.quiz(NOW, &[], &answers(&["3"])).ok();
    let mut log = fs::OpenOptions::new()
        .append(true)
        .open(env.store().reviews_path())
        .unwrap();
    writeln!(
        log,
        "- {{at: {}, parameters: [1], id: 06b057e9b-7f3a-0c2d1e4}}",
        later(1)
    )
    .unwrap();
    drop(log);
    let said = |run: &Run| {
        assert!(
            run.stderr.contains("reviews.yaml:2: ") && run.stderr.contains("this settings line is skipped"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("progress.yaml"), "{}", run.stderr);
    };
    let now = later(2);
    let drill = env.quiz(&now, &[], &answers(&["3"])).ok();
    said(&drill);
    assert!(!drill.asked().is_empty(), "{}", drill.stdout);
    assert_eq!(env.progress().settings.parameters, None);
    said(&run_ok(env.cmd(&now).args(["stats", "--json"])));
    let live = env.progress_bytes();
    let repaired = run_ok(env.cmd(&now).arg("repair"));
    said(&repaired);
    assert_same(&env.progress_bytes(), &live, "a replay skips the line too");
    env.quiz(&later(3), &[], "q\n").ok();
}

/// A progress.yaml that an older amgi saved with the parameters of such a line: the quiz names it and advises
/// `amgi repair`, which puts the defaults back, and the quiz works again.
#[test]
fn repair_puts_the_default_parameters_back_when_progress_holds_bad_ones() {
    let env = Env::new();
    env.quiz(NOW, &[], &answers(&["3"])).ok();
    let text = String::from_utf8(env.progress_bytes()).unwrap();
    let bad = text.replacen("settings: {}", "settings:\n  parameters:\n  - 1.0", 1);
    assert_ne!(bad, text, "{text}");
    fs::write(env.store().progress_path(), bad).unwrap();
    let now = later(1);
    let refused = env.quiz(&now, &[], "q\n");
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(refused.stderr.contains("amgi repair"), "{}", refused.stderr);
    let repaired = run_ok(env.cmd(&now).arg("repair"));
    assert!(
        repaired.stderr.contains("progress.yaml: FSRS cannot schedule"),
        "{}",
        repaired.stderr
    );
    assert_eq!(env.progress().settings.parameters, None);
    assert_eq!(env.progress_bytes(), text.as_bytes(), "as the quiz had saved it");
    env.quiz(&now, &[], "q\n").ok();
}

/// A kill after the moves of a renamed file were appended but before progress.yaml was saved: repair finds the
/// answers under the ids they moved to and rebuilds, as the quiz's own catch-up does.
#[test]
fn repair_follows_the_moves_a_kill_left_only_in_the_log() {
    let env = Env::with_own_notes();
    drill_network_topic_from_its_file_name(&env);
    let before_moves = env.progress_bytes();
    fs::rename(env.notes.join("network.md"), env.notes.join("네트워크.md")).unwrap();
    let now = later(1);
    let quiz = env.quiz(&now, &[], "q\n").ok();
    assert!(quiz.stderr.contains("now belongs to \"네트워크/"), "{}", quiz.stderr);
    let moved = env.progress_bytes();
    // The state a kill leaves: the moves in the log, progress.yaml from before them.
    fs::write(env.store().progress_path(), &before_moves).unwrap();

    let repaired = run(env.cmd(&now).arg("repair"));
    assert_eq!(repaired.code, Some(0), "{}", repaired.stderr);
    assert!(!repaired.stderr.contains("not rebuilt"), "{}", repaired.stderr);
    assert_same(
        &env.progress_bytes(),
        &moved,
        "the rebuild holds the answers under their new ids",
    );
}

/// A log line without its `, id: …`.
fn strip_id(line: &str) -> String {
    match line.rsplit_once(", id: ") {
        Some((before, _)) => format!("{before}}}"),
        None => line.to_owned(),
    }
}

#[test]
fn an_answer_dated_in_the_future_is_reported_and_not_applied() {
    let env = history();
    let now = later(24 * 5 + 1);
    let cards = cards_text(&env);
    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    let first = text.lines().next().unwrap();
    let card = first.split('"').nth(1).unwrap().to_owned();
    let future = format!("- {{card: \"{card}\", at: 2999-01-01T00:00:00+09:00, grade: 4, mode: drill, ms: 10}}\n");
    let line = text.lines().count() + 1;
    fs::write(env.store().reviews_path(), text + &future).unwrap();

    let run = env.quiz(&now, &[], "q\n").ok();
    let warning = format!("reviews.yaml:{line}: this answer is dated 2999-01-01T00:00:00+09:00, after now");
    assert!(
        run.stderr.contains(&warning) && run.stderr.contains("not applied"),
        "{}",
        run.stderr
    );
    assert_eq!(cards_text(&env), cards, "the card does not hide until 2999");
    assert!(!String::from_utf8(env.progress_bytes()).unwrap().contains("2999-"));
    let check = run_ok(env.cmd(&now).arg("check"));
    assert!(
        check
            .stdout
            .contains(&format!("reviews.yaml:{line}: future: this answer is dated 2999")),
        "{}",
        check.stdout
    );
    // A day of clock skew is allowed: an answer from a clock a few hours ahead is applied.
    run_ok(env.cmd(&now).arg("repair"));
    assert_eq!(cards_text(&env), cards);
}

/// Progress from the bytes of a progress.yaml.
fn parse_progress_bytes(bytes: &[u8]) -> Progress {
    amgi::store::parse_progress(std::str::from_utf8(bytes).unwrap(), Path::new("progress.yaml")).unwrap()
}

#[test]
#[cfg(unix)]
fn a_full_disk_during_repair_leaves_progress_and_its_backups_byte_identical() {
    let env = history();
    let now = later(24 * 5 + 1);
    run_ok(env.cmd(&now).arg("repair"));
    let before: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&env.data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "lock")
        .map(|p| (p.clone(), fs::read(&p).unwrap()))
        .collect();
    assert!(before.len() >= 3, "progress, log and a backup: {before:?}");
    assert!(
        env.progress_bytes().len() > 1024,
        "progress.yaml is bigger than what may be written"
    );
    // A file size limit of 1 KiB stands for a full disk: a write past it fails (SIGXFSZ is ignored, so the
    // write returns an error, as on a full disk).
    let bin = assert_cmd::cargo::cargo_bin("amgi");
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(&bin)
        .args(["--notes"])
        .arg(&env.notes)
        .arg("--data-dir")
        .arg(&env.data)
        .arg("repair")
        .env_remove("AMGI_NOTES")
        .env("AMGI_NOW", &now)
        .timeout(TIMEOUT);
    let failed = run(&mut cmd);
    assert_eq!(failed.code, Some(1), "{}", failed.stderr);
    assert!(failed.stderr.contains("could not write"), "{}", failed.stderr);
    for (path, bytes) in &before {
        assert_eq!(&fs::read(path).unwrap(), bytes, "{} changed", path.display());
    }
    let names: Vec<String> = fs::read_dir(&env.data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "a temporary file was left: {names:?}"
    );
    assert_eq!(names.len(), before.len() + 1, "only the lock is new: {names:?}");
}

#[test]
fn a_missing_progress_yaml_is_rebuilt_by_the_next_drill() {
    let env = history();
    let live = env.progress_bytes();
    fs::remove_file(env.store().progress_path()).unwrap();
    let run = env.quiz(&later(24 * 5 + 1), &[], "q\n").ok();
    assert!(run.stderr.contains("was missing; rebuilt it from"), "{}", run.stderr);
    assert_eq!(env.progress_bytes(), live);
}

#[test]
fn a_progress_yaml_one_answer_behind_is_caught_up_on_the_next_start() {
    let env = history();
    let old = env.progress_bytes();
    let now = later(24 * 9);
    let run = env.quiz(&now, &[], &(answers(&["3"]) + "q\n")).ok();
    assert!(run.stdout.contains("1 answered"), "{}", run.stdout);
    let live = env.progress_bytes();
    assert_ne!(live, old);

    // As if the process died between appending the answer and saving progress.yaml.
    fs::write(env.store().progress_path(), &old).unwrap();
    env.quiz(&now, &[], "q\n").ok();
    assert_same(&env.progress_bytes(), &live, "caught up");
    run_ok(env.cmd(&now).arg("repair"));
    assert_eq!(env.progress_bytes(), live, "and the same as a replay");
}

// ---------------------------------------------------------------------------------------------------------------
// Orphans, retention, keys

#[test]
fn progress_of_a_card_gone_from_the_notes_is_listed_and_kept() {
    let env = Env::with_own_notes();
    let cards = env.cards();
    env.quiz(NOW, &[], &(answers(&["4", "4"]) + "q\n")).ok();
    let kept = env.progress().cards[&cards[0].id].clone();

    let file = env.notes.join("database.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("## ACID\n", "## ACID의 네 가지 성질\n")).unwrap();
    let check = run_ok(env.cmd(NOW).arg("check"));
    let orphan = format!(
        "{}: orphan: progress for \"{}\" is kept",
        env.store().progress_path().display(),
        cards[0].id
    );
    assert!(check.stdout.contains(&orphan), "{}", check.stdout);
    assert_eq!(check.stdout.lines().count(), 1, "{}", check.stdout);

    let run = env.quiz(&later(1), &[], &(answers(&["4"]) + "q\n")).ok();
    assert_eq!(run.asked()[0], "ACID의 네 가지 성질");
    let progress = env.progress();
    assert_eq!(
        progress.cards.get(&cards[0].id),
        Some(&kept),
        "the orphan is kept as it was"
    );
    assert_eq!(progress.cards.len(), 3);

    run_ok(env.cmd(&later(1)).arg("repair"));
    assert_eq!(
        env.progress().cards.get(&cards[0].id),
        Some(&kept),
        "a replay keeps it too"
    );
    let check = run_ok(env.cmd(NOW).args(["check", "--json"]));
    assert!(check.stdout.contains("\"kind\":\"orphan\""), "{}", check.stdout);
}

#[test]
fn retention_is_remembered_and_checked() {
    let env = Env::new();
    env.quiz(NOW, &["--retention", "0.8"], &(answers(&["4"]) + "q\n")).ok();
    assert_eq!(env.progress().settings.retention, Some(0.8));
    let raw = String::from_utf8(env.progress_bytes()).unwrap();
    assert!(raw.contains("settings:\n  retention: 0.8\n"), "{raw}");

    // Remembered without the flag.
    env.quiz(&later(1), &[], &(answers(&["4"]) + "q\n")).ok();
    assert_eq!(env.progress().settings.retention, Some(0.8));

    let before = env.snapshot();
    for bad in ["0.5", "1.5", "abc"] {
        let run = env.quiz(&later(2), &["--retention", bad], &answers(&["4"]));
        assert_eq!(run.code, Some(2), "--retention {bad}: {}", run.stderr);
        assert!(run.stderr.contains(bad), "{}", run.stderr);
        assert_eq!(run.asked(), Vec::<String>::new());
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn korean_input_method_keys_quit_skip_and_undo() {
    let env = Env::new();
    let q = env.questions();
    // ㅂ at a question quits.
    let run = env.quiz(NOW, &[], "ㅂ\n\n4\n").ok();
    assert_eq!(run.asked(), pick(&q, &[0]));
    assert!(run.stdout.contains("0 answered"), "{}", run.stdout);
    assert!(!env.store().reviews_path().exists());

    // ㄴ skips (at a question and at the grade bar), ㅕ undoes, ㅂ at the grade bar quits without grading.
    let run = env.quiz(NOW, &[], "ㄴ\n\nㄴ\n\n4\nㅕ\n\nㅂ\n").ok();
    assert_eq!(run.asked(), pick(&q, &[0, 1, 2, 3, 2]));
    assert_eq!(
        run.stdout.matches(") skipped: back in 7h (2026-11-25 04:00)\n").count(),
        2,
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches(") undone\n").count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("0 answered"), "{}", run.stdout);
    assert_eq!(env.log().lines.len(), 2, "one answer and its undo");
    let progress = env.progress();
    assert!(progress.cards.values().all(|e| e.state.reps == 0), "no answer stands");
    assert_eq!(
        progress.cards.values().filter(|e| e.skipped_until.is_some()).count(),
        2,
        "two skips are kept"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Interview plan

/// The interview in `tests`: Sunday 29 November, five days after `NOW`; the eve is the 28th.
const INTERVIEW: &str = "2026-11-29";

fn plan_json(env: &Env, now: &str, args: &[&str]) -> serde_json::Value {
    let run = run_ok(env.cmd(now).arg("plan").arg("--json").args(args));
    serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn plan_json_keys_come_in_the_readmes_order_and_figures_with_4_decimals() {
    let env = all_reviewed();
    let out = run_ok(env.cmd(NOW).args(["plan", "--json", "--interview", INTERVIEW])).stdout;
    let keys = [
        "interview",
        "planned_on",
        "days_left",
        "retention",
        "topics",
        "overall",
        "answers",
        "final_pass_answers",
        "per_day",
        "seconds_per_answer",
        "answers_timed",
        "minutes_per_day",
        "final_pass",
    ];
    assert_eq!(common::keys_in_order(&out), keys);
    common::readme_documents_in_order("How the figures are made", &keys);
    let plan: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(plan["retention"], serde_json::json!(0.9), "{out}");
    // Inner objects in order too (a parsed Value would sort them, so the text is looked at).
    assert!(
        out.contains(r#""topics":[{"topic":"#) && out.contains(r#""overall":{"cards":"#),
        "{out}"
    );
    assert!(out.contains(r#""per_day":[{"day":"#), "{out}");
    assert!(common::most_decimals(&out) <= 4, "{out}");
}

#[test]
fn a_plan_is_kept_printed_and_cleared() {
    let env = all_reviewed();
    let set = run_ok(env.cmd(NOW).args(["plan", "--interview", INTERVIEW]));
    assert!(
        set.stdout
            .contains("Interview on 2026-11-29 (in 5 days); plan made 2026-11-24."),
        "{}",
        set.stdout
    );
    assert!(set.stdout.contains("overall"), "{}", set.stdout);
    let settings = env.progress().settings;
    assert_eq!(settings.interview.map(|d| d.to_string()).as_deref(), Some(INTERVIEW));
    assert_eq!(
        settings.planned_on.map(|d| d.to_string()).as_deref(),
        Some("2026-11-24")
    );

    // Piped answers take no time, so the pace is --target-seconds: minutes a day = answers / days × seconds / 60.
    let plan = plan_json(&env, NOW, &["--target-seconds", "30"]);
    assert_eq!(plan["interview"], INTERVIEW);
    assert_eq!(plan["days_left"], 5);
    assert_eq!(plan["overall"]["cards"], 7);
    assert_eq!(plan["topics"].as_array().unwrap().len(), 2);
    assert_eq!(plan["answers_timed"], 0);
    assert_eq!(plan["seconds_per_answer"], 30.0);
    let per_day: Vec<u64> = plan["per_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["answers"].as_u64().unwrap())
        .collect();
    assert_eq!(per_day.len(), 5);
    let answers: u64 = per_day.iter().sum();
    assert_eq!(plan["answers"], answers);
    // Every card was answered Easy today, under the plan: each comes back once, on the eve.
    assert_eq!(per_day, [0, 0, 0, 0, 7]);
    let minutes = plan["minutes_per_day"].as_f64().unwrap();
    assert!((minutes - 7.0 / 5.0 * 30.0 / 60.0).abs() < 1e-9, "{minutes}");
    let (with, without) = (
        plan["overall"]["with_plan"].as_f64().unwrap(),
        plan["overall"]["without"].as_f64().unwrap(),
    );
    assert!(with > without && with <= 1.0 && without > 0.0, "{with} {without}");

    // --topic narrows the figures, on either side of the subcommand.
    let network = plan_json(&env, NOW, &["--topic", "네트워크"]);
    assert_eq!(network["topics"][0]["topic"], "네트워크");
    assert_eq!(network["overall"]["cards"], 4);
    let before = run_ok(env.cmd(NOW).args(["--topic", "네트워크", "plan", "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(before.stdout.trim()).unwrap(),
        network
    );

    let cleared = run_ok(env.cmd(NOW).args(["plan", "--clear"]));
    assert!(
        cleared.stdout.contains("forgot the interview day 2026-11-29"),
        "{}",
        cleared.stdout
    );
    assert_eq!(env.progress().settings.interview, None);
    assert_eq!(env.progress().settings.planned_on, None);
    let none = run_ok(env.cmd(NOW).arg("plan"));
    assert!(none.stdout.contains("no interview day is set"), "{}", none.stdout);
    assert_eq!(plan_json(&env, NOW, &[])["interview"], serde_json::Value::Null);
}

#[test]
fn a_plan_for_a_day_gone_by_is_refused_and_nothing_is_written() {
    let env = all_reviewed();
    let before = env.snapshot();
    let past = run(env.cmd(NOW).args(["plan", "--interview", "2026-11-20"]));
    assert_eq!(past.code, Some(2), "{}", past.stderr);
    assert!(past.stderr.contains("2026-11-20 has passed"), "{}", past.stderr);
    let no_such_day = run(env.cmd(NOW).args(["plan", "--interview", "2026-02-30"]));
    assert_eq!(no_such_day.code, Some(2), "{}", no_such_day.stderr);
    let not_a_day = run(env.cmd(NOW).args(["plan", "--interview", "12/11"]));
    assert_eq!(not_a_day.code, Some(2), "{}", not_a_day.stderr);
    assert!(
        not_a_day.stderr.contains("give it as YYYY-MM-DD") && !not_a_day.stderr.contains("four digit integer"),
        "{}",
        not_a_day.stderr
    );
    let far = run(env.cmd(NOW).args(["plan", "--interview", "2028-01-01"]));
    assert_eq!(far.code, Some(2), "{}", far.stderr);
    assert!(far.stderr.contains("more than a year away"), "{}", far.stderr);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn the_plan_brings_reviews_back_by_the_eve_and_shows_the_cut_intervals() {
    let planned = Env::new();
    let unplanned = Env::new();
    run_ok(planned.cmd(NOW).args(["plan", "--interview", INTERVIEW]));
    // Easy sends a new card 8 days out; the plan cuts it to the eve, 4 days out, and says so on the button.
    let run = planned.quiz(NOW, &[], &answers(&["4"; 7])).ok();
    assert!(run.stdout.contains("4 easy 4d"), "{}", run.stdout);
    assert!(!run.stdout.contains("4 easy 8d"), "{}", run.stdout);
    unplanned.quiz(NOW, &[], &answers(&["4"; 7])).ok();
    for env in [&planned, &unplanned] {
        let due = env.progress().cards.values().filter_map(|e| e.state.due).min().unwrap();
        assert!(
            due.day().to_string().as_str() > INTERVIEW,
            "FSRS's own day is kept: {due}"
        );
    }

    // The day before the eve nothing is due; on the eve every card is, with the plan only.
    let before_eve = planned.quiz("2026-11-27T20:00:00+09:00", &[], "q\n").ok();
    assert_eq!(before_eve.asked().len(), 0);
    assert!(
        before_eve.stdout.contains("next card due in 8h (2026-11-28 04:00)"),
        "{}",
        before_eve.stdout
    );
    let eve = "2026-11-28T09:00:00+09:00";
    assert_eq!(unplanned.quiz(eve, &[], "q\n").ok().asked().len(), 0);
    let asked = planned.quiz(eve, &[], &answers(&["3"; 7])).ok().asked();
    assert_eq!(asked.len(), 7);
    // After the interview the plan no longer moves anything: reviewed on the eve, nothing is due the day after.
    assert_eq!(
        planned.quiz("2026-11-30T09:00:00+09:00", &[], "q\n").ok().asked().len(),
        0
    );
}

#[test]
fn the_eve_offers_a_final_pass_that_leaves_the_schedule_alone() {
    let env = Env::new();
    let questions = env.questions();
    run_ok(env.cmd(NOW).args(["plan", "--interview", INTERVIEW]));
    // No card has been seen, so all seven are under the target (the order of seen ones is a unit test's).
    let eve = "2026-11-28T21:00:00+09:00";
    let before = env.progress_bytes();

    // No card is due with --new 0: the drill is over at once and the pass is offered; `n` declines it.
    let declined = env.quiz(eve, &["--new", "0"], "n\n").ok();
    assert!(
        declined
            .stdout
            .contains("Final pass before the interview: 7 cards under 90%"),
        "{}",
        declined.stdout
    );
    assert!(declined.asked().is_empty());
    assert_eq!(env.progress_bytes(), before);
    // The log holds the plan's settings line and no answer.
    assert!(env.reviews().is_empty());

    // `y` (or ㅛ with a Korean input method) takes it, in note order.
    let taken = env
        .quiz(eve, &["--new", "0"], &format!("ㅛ\n{}", answers(&["3"; 7])))
        .ok();
    assert_eq!(taken.asked(), questions, "{}", taken.stdout);
    assert_same(&env.progress_bytes(), &before, "progress.yaml after the final pass");
    let modes: Vec<Mode> = env.reviews().iter().rev().take(7).map(|r| r.mode).collect();
    assert_eq!(modes, [Mode::Cram; 7]);

    // Not offered two days before the interview.
    let early = env.quiz("2026-11-27T21:00:00+09:00", &["--new", "0"], "y\n").ok();
    assert!(!early.stdout.contains("Final pass"), "{}", early.stdout);
}

#[test]
fn a_leech_is_flagged_in_the_header() {
    let env = all_reviewed();
    let card = &env.cards()[0];
    let mut progress = env.progress();
    let state = &mut progress.cards.get_mut(&card.id).unwrap().state;
    state.phase = Phase::Review;
    state.lapses = 8;
    state.due = Some(at(NOW));
    env.store().save_progress(&progress).unwrap();
    let run = env.quiz(&later(1), &[], "q\n").ok();
    assert_eq!(run.asked(), std::slice::from_ref(&card.question));
    assert!(run.stdout.contains("leech (8 lapses)"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------------------------
// Bad progress files

/// Env after one drill of four answers, with its two files.
fn answered() -> Env {
    let env = Env::new();
    env.quiz(NOW, &[], &(answers(&["4", "3", "2", "1"]) + "q\n")).ok();
    env
}

/// Where the error message puts the file: `(line, column)` after `progress.yaml:`, if any.
fn location(stderr: &str, file: &Path) -> Option<(usize, usize)> {
    let name = file.display().to_string();
    let rest = &stderr[stderr.find(&name)? + name.len()..];
    let mut parts = rest.strip_prefix(':')?.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column))
}

enum Where {
    /// The message gives a line and column.
    Located,
    /// This line and column.
    At(usize, usize),
    /// The file only.
    File,
}

/// Writes `bad` as progress.yaml next to a good reviews.yaml; the drill must refuse it with `message`, name the
/// file (and where in it), and leave both files as they were; then `repair` must rebuild the good file.
fn refuses(name: &str, bad: &[u8], message: &str, place: Where) {
    let env = answered();
    let good = env.progress_bytes();
    let path = env.store().progress_path();
    fs::write(&path, bad).unwrap();
    let before = env.snapshot();
    let started = Instant::now();
    let run = env.quiz(&later(1), &[], &answers(&["3"]));
    let took = started.elapsed();
    assert_eq!(run.code, Some(1), "{name}: exit code; stderr:\n{}", run.stderr);
    assert!(run.stderr.contains(message), "{name}: message:\n{}", run.stderr);
    let way_out = if message.contains("newer") {
        "update amgi"
    } else {
        "amgi repair"
    };
    assert!(run.stderr.contains(way_out), "{name}: the way out:\n{}", run.stderr);
    assert_eq!(run.asked(), Vec::<String>::new(), "{name}: no quiz");
    let found = location(&run.stderr, &path);
    match place {
        Where::Located => assert!(found.is_some(), "{name}: no line:column in\n{}", run.stderr),
        Where::At(line, column) => assert_eq!(found, Some((line, column)), "{name}:\n{}", run.stderr),
        Where::File => assert!(
            run.stderr.contains(&path.display().to_string()),
            "{name}:\n{}",
            run.stderr
        ),
    }
    assert!(env.snapshot() == before, "{name}: the files were changed");
    assert!(
        !env.data.join("progress.yaml.tmp").exists(),
        "{name}: a temporary file was left"
    );
    assert!(took < Duration::from_secs(10), "{name}: took {took:?}");

    let repair = run_ok(env.cmd(&later(1)).arg("repair"));
    assert!(repair.stdout.contains("rebuilt"), "{name}: {}", repair.stdout);
    assert_eq!(env.progress_bytes(), good, "{name}: repair gives the good file back");
    assert_eq!(
        fs::read(env.data.join("progress.yaml.bak.1")).unwrap(),
        bad,
        "{name}: the bad file is kept"
    );
}

/// The 1-based number of the first line of `text` that contains `needle`, for expected locations.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle in text") + 1
}

fn good_progress_text() -> String {
    String::from_utf8(answered().progress_bytes()).unwrap()
}

#[test]
fn a_truncated_progress_yaml_is_refused() {
    let good = good_progress_text();
    // Cut inside the second card's entry, in the middle of a key.
    let second = good.match_indices("\n    question: ").nth(1).expect("two cards").0;
    let cut = &good[..second + 9];
    assert!(!cut.ends_with('\n'));
    refuses("truncated", cut.as_bytes(), "", Where::Located);
}

#[test]
fn an_empty_progress_yaml_is_refused() {
    refuses("empty", b"", "the file is empty", Where::File);
    refuses("blank", b"\n\n", "the file is empty", Where::File);
}

#[test]
fn binary_garbage_is_refused() {
    let mut garbage = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    garbage.extend((0u32..600).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    refuses("binary", &garbage, "not UTF-8", Where::Located);
    refuses("NUL bytes", b"version: 1\n\0\0\0\0\n", "", Where::Located);
}

#[test]
fn a_wrong_typed_field_is_refused_where_it_is() {
    let good = good_progress_text();
    let bad = good.replacen("reps: 1\n", "reps: many\n", 1);
    let line = line_of(&bad, "reps: many");
    refuses(
        "reps: many",
        bad.as_bytes(),
        "invalid type: string \"many\"",
        Where::At(line, 11),
    );
    let bad = good.replacen("state: learning\n", "state: sleeping\n", 1);
    let line = line_of(&bad, "state: sleeping");
    refuses("state: sleeping", bad.as_bytes(), "sleeping", Where::At(line, 12));
}

#[test]
fn a_future_version_is_refused() {
    let good = good_progress_text();
    let bad = good.replacen("\nversion: 1\n", "\nversion: 2\n", 1);
    refuses(
        "version 2",
        bad.as_bytes(),
        "made by a newer amgi (version 2)",
        Where::At(3, 10),
    );
}

/// Nine aliases of nine aliases … of nine strings: 9⁹ strings if expanded.
fn billion_laughs(indent: &str, first: &str) -> String {
    let mut text = format!(
        "{indent}{first}: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
    );
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{indent}{name}{name}: &{name} [{refs}]\n"));
    }
    text
}

#[test]
fn an_alias_bomb_is_refused_fast() {
    let top = format!(
        "{}version: 1\nsettings: {{}}\nlog_offset: 0\ncards: *i\n",
        billion_laughs("", "lol")
    );
    refuses("bomb at the top", top.as_bytes(), "", Where::Located);
    let in_card = format!(
        "version: 1\nsettings: {{}}\nlog_offset: 0\ncards:\n  x/y:\n{}    question: *i\n",
        billion_laughs("    ", "answer_hash")
    );
    refuses("bomb in a card", in_card.as_bytes(), "", Where::Located);
}

#[test]
fn deep_nesting_is_refused() {
    refuses("10,000 [", "[".repeat(10_000).as_bytes(), "", Where::Located);
    let closed = format!(
        "version: 1\nsettings: {{}}\nlog_offset: 0\ncards: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    refuses("10,000 [] as cards", closed.as_bytes(), "", Where::Located);
    let maps = format!(
        "version: 1\nsettings: {{}}\nlog_offset: 0\ncards:\n  x: {}1{}\n",
        "{a: ".repeat(10_000),
        "}".repeat(10_000)
    );
    refuses("10,000 {a:", maps.as_bytes(), "", Where::Located);
    let block = format!(
        "version: 1\nsettings: {{}}\nlog_offset: 0\ncards:\n  x:\n    {}1\n",
        "- ".repeat(10_000)
    );
    refuses("10,000 - in block style", block.as_bytes(), "", Where::Located);
}

/// A 100 KB progress.yaml of nested brackets must be refused as fast as any other bad file, not after a pause
/// that grows with the square of the depth (libyaml's flow collections: 100,000 levels once took a minute).
#[test]
fn deep_nesting_is_refused_fast() {
    let env = answered();
    let header = "version: 1\nsettings: {}\nlog_offset: 0\ncards: ";
    let cases = [
        (
            "50,000 [ ]",
            format!("{header}{}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
        ),
        (
            "50,000 {a: }",
            format!("{header}{{x: {}1{}}}\n", "{a: ".repeat(50_000), "}".repeat(50_000)),
        ),
        ("50,000 - ", format!("{header}\n  x:\n    {}1\n", "- ".repeat(50_000))),
    ];
    for (name, nested) in cases {
        fs::write(env.store().progress_path(), &nested).unwrap();
        let started = Instant::now();
        let out = env
            .cmd(&later(1))
            .arg("--plain")
            .write_stdin("q\n")
            .timeout(Duration::from_secs(5))
            .output()
            .expect("amgi starts");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name} under cards: not refused within 5 s (stopped after {:?}); stderr: {}",
            started.elapsed(),
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            location(&stderr, &env.store().progress_path()).is_some(),
            "{name}: {stderr}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A torn log, a read-only folder, a full disk, a second session

/// What a crash in the middle of appending leaves: part of a line, no newline.
const TORN: &str = "- {card: \"네트워크/전송 계층/흐름 제어와 혼";

#[test]
fn a_torn_last_line_is_reported_and_skipped() {
    let env = answered();
    let q = env.questions();
    let mut log = env.reviews_bytes();
    let lines = String::from_utf8(log.clone()).unwrap().lines().count();
    log.extend_from_slice(TORN.as_bytes());
    fs::write(env.store().reviews_path(), &log).unwrap();

    let run = env.quiz(&later(1), &[], &(answers(&["4"]) + "q\n")).ok();
    let report = format!("reviews.yaml:{}: this line was cut off", lines + 1);
    assert!(run.stderr.contains(&report), "{}", run.stderr);
    assert_eq!(run.asked()[0], q[3], "the quiz goes on: the learning card due first");

    let text = String::from_utf8(env.reviews_bytes()).unwrap();
    let after = &text[log.len()..];
    assert!(
        after.starts_with("\n- {card: \""),
        "the next line starts on a fresh line: {after:?}"
    );
    assert!(after.ends_with("}\n"), "{after:?}");
    assert_eq!(env.progress().log_offset, text.len() as u64);
}

/// After a crash tore the last line and the next answer was appended on a fresh line, the torn line is in the
/// middle of the log: the log must stay readable (the next drill the same day, `repair`, a rebuild).
#[test]
fn a_torn_line_does_not_break_the_log_once_more_answers_follow() {
    let env = answered();
    let mut log = env.reviews_bytes();
    log.extend_from_slice(TORN.as_bytes());
    fs::write(env.store().reviews_path(), &log).unwrap();
    env.quiz(&later(1), &[], &(answers(&["4"]) + "q\n")).ok();

    let next = env.quiz(&later(2), &[], "q\n");
    assert_eq!(next.code, Some(0), "the next drill the same day:\n{}", next.stderr);
    let repair = run(env.cmd(&later(2)).arg("repair"));
    assert_eq!(repair.code, Some(0), "repair:\n{}", repair.stderr);
    assert!(env.store().read_log(0).is_ok(), "{:?}", env.store().read_log(0));
}

fn is_root() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .is_some_and(|euid| euid == "0")
}

#[cfg(unix)]
#[test]
fn a_read_only_data_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let env = answered();
    let root = is_root();
    if root && std::process::Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("note: skipping the read-only folder case: running as root and setpriv is not installed");
        return;
    }
    let mode = |path: &Path, mode: u32| fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    // The lock stays usable, so the quiz starts and the first answer is what fails.
    mode(&env.data.join("lock"), 0o666);
    // Readable by the unprivileged user when running as root (amgi makes them 0600).
    mode(&env.store().progress_path(), 0o444);
    mode(&env.store().reviews_path(), 0o444);
    mode(&env.data, 0o555);
    // The unprivileged user has to reach the data folder through the temporary folder.
    mode(env.root.path(), 0o755);
    let before = env.snapshot();

    let notes = env
        .root
        .path()
        .join("readable")
        .join(env.notes.file_name().expect("a folder name"));
    copy_folder(&env.notes, &notes);
    let mut cmd = if root {
        let mut cmd = Command::new("setpriv");
        // Copies of the binary and the notes the unprivileged user can reach: the clone may be where it cannot go
        // (in /root).
        let binary = env.root.path().join("amgi");
        fs::copy(assert_cmd::cargo::cargo_bin("amgi"), &binary).unwrap();
        mode(&binary, 0o755);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        cmd
    } else {
        Command::cargo_bin("amgi").unwrap()
    };
    cmd.current_dir(env.root.path().join("cwd"))
        .env_remove("AMGI_NOTES")
        .env_remove("AMGI_DATA")
        .env("AMGI_NOW", later(1))
        .arg("--notes")
        .arg(&notes)
        .arg("--data-dir")
        .arg(&env.data)
        .arg("--plain")
        .write_stdin(answers(&["3", "3"]))
        .timeout(TIMEOUT);
    let run = run(&mut cmd);
    mode(&env.data, 0o755);
    assert_eq!(run.code, Some(1), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.asked().len(),
        1,
        "the quiz started, and stopped at the first answer"
    );
    let reviews = env.store().reviews_path();
    assert!(
        run.stderr
            .contains(&format!("could not open {}: Permission denied", reviews.display())),
        "{}",
        run.stderr
    );
    assert!(env.snapshot() == before, "the files were changed");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error_and_progress_is_untouched() {
    let env = answered();
    let progress = env.progress_bytes();
    let reviews = env.store().reviews_path();
    // No more room for reviews.yaml to grow: a file size limit at its length (`/dev/full` in its place is a link,
    // which amgi refuses before the quiz starts).
    if std::process::Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("note: skipping the full-disk case: prlimit is not installed");
        return;
    }
    let len = fs::metadata(&reviews).unwrap().len();
    let mut cmd = Command::new("prlimit");
    cmd.arg(format!("--fsize={len}"))
        .arg(assert_cmd::cargo::cargo_bin("amgi"))
        .env("AMGI_CACHE", common::CACHE)
        .current_dir(env.root.path().join("cwd"))
        .env_remove("AMGI_NOTES")
        .env_remove("AMGI_DATA")
        .env("AMGI_NOW", later(1))
        .arg("--notes")
        .arg(&env.notes)
        .arg("--data-dir")
        .arg(&env.data)
        .arg("--plain")
        .write_stdin(answers(&["3", "3"]))
        .timeout(TIMEOUT);
    let run = run(&mut cmd);
    assert_eq!(run.code, Some(1), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.asked().len(),
        1,
        "the quiz started, and stopped at the first answer"
    );
    assert!(
        run.stderr
            .contains(&format!("could not write {}: File too large", reviews.display())),
        "{}",
        run.stderr
    );
    assert_eq!(env.progress_bytes(), progress);
    assert!(!env.data.join("progress.yaml.tmp").exists());
}

/// `amgi --plain` started with piped stdin and stdout, its output lines sent to a channel.
struct Live {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Live {
    fn start(env: &Env, now: &str) -> Live {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("amgi"));
        cmd.env("AMGI_CACHE", common::CACHE);
        cmd.current_dir(env.root.path().join("cwd"))
            .env_remove("AMGI_NOTES")
            .env_remove("AMGI_DATA")
            .env("AMGI_NOW", now)
            .arg("--notes")
            .arg(&env.notes)
            .arg("--data-dir")
            .arg(&env.data)
            .arg("--plain")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().expect("amgi starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Live { child, stdin, lines }
    }

    /// Waits for a line starting with `prefix`.
    fn wait_for(&self, prefix: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(e) => panic!("no line starting with {prefix:?}: {e}"),
            }
        }
    }

    /// Closes stdin and waits for the exit code.
    fn finish(mut self) -> Option<i32> {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("amgi did not end when its input did");
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
}

#[test]
fn a_second_session_is_refused_while_the_first_runs() {
    let env = answered();
    let first = Live::start(&env, &later(1));
    let question = first.wait_for("Q: ");
    let before = env.snapshot();

    let second = env.quiz(&later(1), &[], &answers(&["4"]));
    assert_eq!(second.code, Some(3), "stderr:\n{}", second.stderr);
    assert!(
        second.stderr.contains("another amgi session is running"),
        "{}",
        second.stderr
    );
    assert!(
        second.stderr.contains(&env.data.display().to_string()),
        "{}",
        second.stderr
    );
    assert_eq!(second.asked(), Vec::<String>::new());
    let repair = run(env.cmd(&later(1)).arg("repair"));
    assert_eq!(repair.code, Some(3), "repair waits its turn too: {}", repair.stderr);
    // Listings need no lock, nor does printing the plan.
    run_ok(env.cmd(&later(1)).arg("cards"));
    let plan = run(env.cmd(&later(1)).arg("plan"));
    assert_eq!(plan.code, Some(0), "amgi plan only prints: {}", plan.stderr);
    assert!(env.snapshot() == before);

    assert_eq!(
        question,
        format!("Q: {}", env.questions()[3]),
        "the learning card due first"
    );
    assert_eq!(first.finish(), Some(0));
    // The lock went with it.
    env.quiz(&later(1), &[], "q\n").ok();
}

// ---------------------------------------------------------------------------------------------------------------
// Kills

/// The grades typed in the kill test, Again most often so that cards keep coming back.
const KILL_GRADES: [(&str, u8); 8] = [
    ("1", 1),
    ("1", 1),
    ("1", 1),
    ("2", 2),
    ("2", 2),
    ("3", 3),
    ("", 3),
    ("4", 4),
];

/// One run of the quiz killed after `delay`: what it printed, and whether the kill came before it ended.
struct Killed {
    stdout: String,
    stderr: String,
    killed: bool,
    code: Option<i32>,
}

fn run_and_kill(env: &Env, now: &str, input: &[u8], delay: Duration) -> Killed {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("amgi"))
        .env("AMGI_CACHE", common::CACHE)
        .current_dir(env.root.path().join("cwd"))
        .env_remove("AMGI_NOTES")
        .env_remove("AMGI_DATA")
        .env("AMGI_NOW", now)
        .arg("--notes")
        .arg(&env.notes)
        .arg("--data-dir")
        .arg(&env.data)
        .arg("--plain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("amgi starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    // The answers fit in the pipe: written at once, read by the quiz as fast as it goes; stdin stays open.
    let _ = stdin.write_all(input);
    let read = |mut from: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = from.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = read(Box::new(child.stdout.take().expect("piped stdout")));
    let err = read(Box::new(child.stderr.take().expect("piped stderr")));
    thread::sleep(delay);
    let killed = child.try_wait().expect("wait").is_none();
    if killed {
        child.kill().expect("SIGKILL");
    }
    let status = child.wait().expect("wait");
    drop(stdin);
    Killed {
        stdout: String::from_utf8_lossy(&out.join().expect("stdout reader")).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().expect("stderr reader")).into_owned(),
        killed,
        code: status.code(),
    }
}

/// SIGKILL at random moments while answers stream in: after every kill both files load, and every answer the
/// quiz had confirmed (by showing the next card) is in reviews.yaml. At the end, replay == live.
#[test]
fn kills_at_random_moments_lose_no_confirmed_answer() {
    let env = Env::new();
    let cards = env.cards();
    let id_of = |question: &str| -> String {
        let card = cards.iter().find(|c| c.question == question);
        id(card.unwrap_or_else(|| panic!("no card {question:?}")))
    };
    let store = env.store();
    // Seeded, so a failing run can be repeated.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x00c0_ffee_d00d_5eed);
    let started = Instant::now();
    let (mut kills, mut ended, mut confirmed_total, mut torn) = (0, 0, 0, 0);
    let mut hours = 0;

    // `AMGI_TEST_KILLS=250` runs a longer round for a report; the suite's run stops at 60 kills or 20 s.
    let wanted: usize = std::env::var("AMGI_TEST_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    let budget = Duration::from_secs(20.max(wanted as u64 / 3));
    for round in 0..(wanted * 7).max(400) {
        if kills >= wanted || started.elapsed() > budget {
            break;
        }
        // Mostly two days apart, so reviews come due; every third run later the same day.
        hours += if round % 3 == 2 { 2 } else { 49 };
        let now = later(hours);
        let grades: Vec<(&str, u8)> = (0..400)
            .map(|_| KILL_GRADES[rng.random_range(0..KILL_GRADES.len())])
            .collect();
        let input: String = grades.iter().map(|(key, _)| format!("\n{key}\n")).collect();
        let delay = Duration::from_micros(rng.random_range(0..30_000));
        let run = run_and_kill(&env, &now, input.as_bytes(), delay);
        let context = format!("round {round} at {now}, killed after {delay:?}");
        assert!(!run.stderr.contains("panicked"), "{context}: {}", run.stderr);
        if run.killed {
            kills += 1;
        } else {
            ended += 1;
            assert_eq!(
                run.code,
                Some(0),
                "{context}: ended on its own with an error:\n{}",
                run.stderr
            );
        }
        torn += usize::from(run.stderr.contains("this line was cut off"));

        // Answers confirmed: each header after the first was printed after the answer before it was saved; a run
        // that ended on its own says how many it saved.
        let headers = run
            .stdout
            .lines()
            .filter(|l| l.starts_with('[') && l.contains(" new · "))
            .count();
        let confirmed = if run.killed {
            headers.saturating_sub(1)
        } else {
            let summary = run
                .stdout
                .lines()
                .find(|l| l.contains(" answered · "))
                .expect("a summary");
            summary.split(' ').next().unwrap().parse().unwrap()
        };
        confirmed_total += confirmed;
        let shown = asked(&run.stdout);
        assert!(shown.len() >= confirmed, "{context}");
        let expected: Vec<(String, u8)> = shown[..confirmed]
            .iter()
            .zip(&grades)
            .map(|(q, (_, g))| (id_of(q), *g))
            .collect();

        // Both files load.
        if let Err(e) = store.load_progress() {
            panic!("{context}: progress.yaml does not load: {e}");
        }
        let log = store
            .read_log(0)
            .unwrap_or_else(|e| panic!("{context}: reviews.yaml does not load: {e}"));
        // This round's answers (its moment is its own): the confirmed ones, then perhaps the one being saved.
        let logged: Vec<(String, u8)> = log
            .lines
            .iter()
            .filter_map(|l| match l {
                LogLine::Review(r) if r.at == at(&now) => Some((r.card.to_string(), r.grade.number())),
                _ => None,
            })
            .collect();
        assert!(
            logged.len() >= confirmed && logged[..confirmed] == expected[..],
            "{context}: confirmed answers missing from reviews.yaml\nconfirmed: {expected:?}\nlogged: {logged:?}"
        );
        assert!(
            logged.len() <= confirmed + 1,
            "{context}: more answers logged than given: {logged:?}"
        );
    }
    eprintln!(
        "{kills} kills, {ended} runs ended on their own, {confirmed_total} confirmed answers, {torn} torn lines \
         reported, {:?}",
        started.elapsed()
    );
    assert!(kills >= 50, "only {kills} kills");
    assert!(confirmed_total > 0, "no kill came after an answer");

    // A normal run starts and ends; then a replay of the log gives what the live runs left.
    let now = later(hours + 49);
    let last = env.quiz(&now, &[], &(answers(&["3", "4", "3"]) + "q\n")).ok();
    assert!(!last.stdout.is_empty());
    let live = env.progress_bytes();
    run_ok(env.cmd(&now).arg("repair"));
    assert_same(&env.progress_bytes(), &live, "replay == live");
}

/// Copies the files of the folder `from` (no subfolders) into a new folder `to`, readable by anyone.
#[cfg(unix)]
fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        assert!(path.is_file(), "a fixture folder holds files only: {}", path.display());
        fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
    for dir in to.ancestors().take(2) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// A deck drilled when the title of the notes' front page stood in its cards' paths: the progress moves to the
/// cards now without it, with a `moved_from` line, and nothing is orphaned.
#[test]
fn progress_kept_under_the_front_pages_title_moves_to_the_cards_without_it() {
    let mut env = Env::new();
    let notes = env.root.path().join("repo");
    fs::create_dir_all(&notes).unwrap();
    fs::write(
        notes.join("README.md"),
        "# 면접 노트\n\n공부한 것을 모았습니다.\n\n## TCP\n\n연결형 프로토콜입니다.\n",
    )
    .unwrap();
    env.notes = notes;
    fs::create_dir_all(&env.data).unwrap();
    let log = "- {card: \"repo/면접 노트/TCP\", at: 2026-11-10T21:00:00+09:00, grade: 3, mode: drill, ms: 4000}\n";
    fs::write(env.store().reviews_path(), log).unwrap();
    let progress = format!(
        "version: 1\nsettings: {{}}\nlog_offset: {}\ncards:\n{}",
        log.len(),
        entry_before_folders("repo/면접 노트/TCP", "TCP", 1, "2026-11-10T21:00:00+09:00")
    );
    fs::write(env.store().progress_path(), progress).unwrap();

    let check = run_ok(env.cmd(NOW).arg("check"));
    assert!(!check.stdout.contains(": orphan: "), "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains(": moved: progress for \"repo/면접 노트/TCP\" moves to \"repo/TCP\""),
        "{}",
        check.stdout
    );
    env.quiz(NOW, &[], "q\n").ok();
    let after = env.progress();
    let ids: Vec<&str> = after.cards.keys().map(|id| id.as_str()).collect();
    assert_eq!(ids, ["repo/TCP"]);
    assert_eq!(after.cards.values().next().map(|e| e.state.reps), Some(1));
    let log = String::from_utf8(env.reviews_bytes()).unwrap();
    assert!(log.contains("moved_from: \"repo/면접 노트/TCP\""), "{log}");
}
