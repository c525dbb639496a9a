//! `amgi mock`, the real binary: line by line over a pipe, and full screen inside tmux (skipped, saying so, when
//! tmux is not installed).

mod common;

use assert_cmd::Command;
use common::run;
use common::tmux::Tmux;
use std::path::{Path, PathBuf};
use std::time::Duration;

const NOW: &str = "2026-11-24T21:00:00+09:00";

/// Two files: a question with a follow-up (꼬리 질문) that has no written answer, and two plain questions.
fn deck(root: &Path) -> PathBuf {
    let notes = root.join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("network.md"),
        "# 전송 계층\n\n## TCP란?\n\n연결 지향 프로토콜입니다.\n\n### 3-way handshake는?\n\n",
    )
    .unwrap();
    std::fs::write(
        notes.join("database.md"),
        "# 데이터베이스\n\n## 인덱스란?\n\n검색을 빠르게 하는 자료 구조입니다.\n\n## 트랜잭션이란?\n\n\
         하나로 다뤄지는 작업의 단위입니다.\n",
    )
    .unwrap();
    notes
}

fn amgi(root: &Path, notes: &Path, now: &str) -> Command {
    let mut cmd = Command::cargo_bin("amgi").unwrap();
    cmd.env("AMGI_CACHE", common::CACHE)
        .env_remove("AMGI_NOTES")
        .env_remove("AMGI_DATA")
        .env_remove("COLUMNS")
        .env("AMGI_NOW", now)
        .current_dir(root)
        .arg("--notes")
        .arg(notes)
        .arg("--data-dir")
        .arg(root.join("data"))
        .timeout(Duration::from_secs(30));
    cmd
}

/// The answers in reviews.yaml.
fn answers(root: &Path) -> Vec<String> {
    std::fs::read_to_string(root.join("data/reviews.yaml"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("- {card:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_plain_mock_asks_then_saves_each_grade_as_a_mock_answer() {
    let root = tempfile::TempDir::new().unwrap();
    let notes = deck(root.path());
    let out = run(amgi(root.path(), &notes, NOW)
        .args(["mock", "--plain", "--count", "3"])
        .write_stdin("\n\n\n1\n4\nq\n"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.starts_with("모의 면접: 3 questions, 120 s each"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches("\nQ: ").count(), 3, "{}", out.stdout);
    assert!(out.stdout.contains("Review:"), "{}", out.stdout);
    assert!(
        out.stdout.contains("3 answered within time, of 3 questions asked"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2 answers graded, saved as mock answers"),
        "{}",
        out.stdout
    );
    let lines = answers(root.path());
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].contains("grade: 1, mode: mock, ms: 0"), "{lines:#?}");
    assert!(lines[1].contains("grade: 4, mode: mock, ms: 0"), "{lines:#?}");
    // Without --reschedule the schedule is left alone: nothing is due and nothing was learnt.
    let cards = run(amgi(root.path(), &notes, NOW).args(["cards", "--json"]));
    assert!(!cards.stdout.contains("\"due\":\"2026"), "{}", cards.stdout);

    // A second mock the same day asks what the first did not (one of its three was left ungraded, but only
    // graded ones are known to have been asked).
    let again = run(amgi(root.path(), &notes, "2026-11-24T22:00:00+09:00")
        .args(["mock", "--plain", "--count", "1", "--follow-ups", "0"])
        .write_stdin("\nq\n"));
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let asked_first: Vec<&str> = lines
        .iter()
        .map(|l| l.split('"').nth(1).unwrap().rsplit('/').next().unwrap())
        .collect();
    let asked: Vec<&str> = again.stdout.lines().filter_map(|l| l.strip_prefix("Q: ")).collect();
    assert_eq!(asked.len(), 1, "{}", again.stdout);
    assert!(
        !asked_first.contains(&asked[0]),
        "{} again:\n{}",
        asked[0],
        again.stdout
    );
}

#[test]
fn a_mock_with_reschedule_moves_the_schedule() {
    let root = tempfile::TempDir::new().unwrap();
    let notes = deck(root.path());
    let out = run(amgi(root.path(), &notes, NOW)
        .args(["mock", "--plain", "--count", "1", "--reschedule"])
        .write_stdin("\n3\n"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines = answers(root.path());
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("mode: mock, ms: 0, rescheduled: true"), "{lines:#?}");
    let progress = std::fs::read_to_string(root.path().join("data/progress.yaml")).unwrap();
    assert!(progress.contains("reps: 1"), "{progress}");
}

#[test]
fn bad_mock_flags_are_refused() {
    let root = tempfile::TempDir::new().unwrap();
    let notes = deck(root.path());
    for args in [
        &["mock", "--count", "0"][..],
        &["mock", "--follow-ups", "1.5"],
        &["mock", "--seconds", "soon"],
    ] {
        let out = run(amgi(root.path(), &notes, NOW).args(args));
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
    }
    let out = run(amgi(root.path(), &notes, NOW).args(["mock", "--plain", "--topic", "운영체제"]));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains("--topic \"운영체제\" matches no card"),
        "{}",
        out.stderr
    );
    assert!(answers(root.path()).is_empty());
}

#[test]
fn a_full_screen_mock_of_three_with_a_follow_up_is_answered_then_graded() {
    let Some(tmux) = Tmux::start("mock", "three") else {
        return;
    };
    let root = tempfile::TempDir::new().unwrap();
    let notes = deck(root.path());
    // Every follow-up is asked: of three questions, TCP란? and its follow-up come one after the other.
    let command = format!(
        "AMGI_NOW={NOW} AMGI_CACHE={} {} --notes '{}' --data-dir '{}' mock --count 3 --follow-ups 1; echo \"exit=$?\"",
        common::CACHE,
        env!("CARGO_BIN_EXE_amgi"),
        notes.display(),
        root.path().join("data").display()
    );
    tmux.keys(&[&command, "Enter"]);
    let mut follow_up_seen = false;
    for n in 1..=3 {
        let screen = tmux.wait_for(|s| s.contains(&format!("모의 면접 {n}/3")), "a question");
        assert!(screen.contains("2:00") && screen.contains("Space done"), "{screen}");
        // No answer is shown while a question is asked.
        assert!(
            !screen.contains("프로토콜입니다") && !screen.contains("자료 구조입니다"),
            "{screen}"
        );
        if screen.contains("꼬리 질문") {
            assert!(screen.contains("3-way handshake는?"), "{screen}");
            follow_up_seen = true;
        }
        tmux.keys(&["Space"]);
    }
    assert!(follow_up_seen, "the follow-up was asked");
    let screen = tmux.wait_for(|s| s.contains("모의 면접 검토"), "the review");
    assert!(
        screen.contains("3 questions answered") && screen.contains("↳ 3-way handshake는?"),
        "{screen}"
    );
    tmux.keys(&["Space"]);
    let mut grades = Vec::new();
    for (n, grade) in [(1, "3"), (2, "2"), (3, "4")] {
        let screen = tmux.wait_for(|s| s.contains(&format!("검토 {n}/3")), "a question under review");
        if screen.contains("3-way handshake는?") && screen.contains("꼬리 질문") {
            assert!(screen.contains("답이 아직 없습니다"), "{screen}");
        }
        tmux.keys(&[grade]);
        grades.push(format!("grade: {grade}, mode: mock"));
    }
    let screen = tmux.wait_for(|s| s.contains("모의 면접 끝"), "the summary");
    assert!(
        screen.contains("3 answered within time, of 3 questions asked"),
        "{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for(|s| s.contains("exit=0"), "the exit");
    let lines = answers(root.path());
    assert_eq!(lines.len(), 3, "{lines:#?}");
    for (line, grade) in lines.iter().zip(&grades) {
        assert!(line.contains(grade), "{line} is not {grade}");
    }
}
