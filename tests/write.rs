//! Writing an answer out from memory (배출) through the real binary: the written answer counted against the note's
//! key terms, and the attempt kept in attempts.yaml.

mod common;

use amgi::store::Store;
use assert_cmd::Command;
use common::run;
use common::tmux::Tmux;
use std::fs;
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

const NOW: &str = "2026-11-24T21:00:00+09:00";

/// One card whose answer has three key terms: TCP, SYN and ACK.
const NOTES: &str = "---\ntopic: 네트워크\n---\n\n# 전송 계층\n\n## TCP 연결은 어떻게 맺나요?\n\n\
**TCP**는 `SYN`을 보내고 `ACK`로 답을 받아 연결을 맺습니다.\n";

fn amgi(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
    cmd.env("AMGI_CACHE", common::CACHE)
        .current_dir(root)
        .env_remove("AMGI_NOTES")
        .env_remove("AMGI_DATA")
        .env_remove("COLUMNS")
        .env("AMGI_NOW", NOW)
        .arg("--notes")
        .arg(root.join("notes"))
        .arg("--data-dir")
        .arg(root.join("data"))
        .timeout(Duration::from_secs(30));
    cmd
}

fn deck() -> TempDir {
    let root = tempfile::tempdir().expect("temporary folder");
    fs::create_dir(root.path().join("notes")).expect("notes folder");
    fs::write(root.path().join("notes/network.md"), NOTES).expect("notes written");
    root
}

#[test]
fn a_written_answer_in_hangul_is_counted_against_the_key_terms_and_kept() {
    let root = deck();
    let input = "w\nTCP는 먼저 SYN을 보내고\n서버가 답합니다\n.\n2\n";
    let out = run(amgi(root.path()).arg("--plain").write_stdin(input));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let stdout = &out.stdout;
    assert!(stdout.contains("w: write it out"), "{stdout}");
    let answer = stdout.find("ACK로 답을 받아").expect("the note's answer is shown");
    let written = stdout
        .find("Your answer:\n  TCP는 먼저 SYN을 보내고\n  서버가 답합니다\n")
        .expect("the written answer");
    assert!(answer < written, "{stdout}");
    assert!(
        stdout.contains("핵심어 2/3 · said: TCP, SYN · missed: ACK\n"),
        "{stdout}"
    );
    assert!(stdout.contains("suggested: 2 hard\n"), "{stdout}");
    let attempts = Store::new(root.path().join("data"))
        .read_attempts()
        .expect("attempts.yaml reads");
    assert_eq!(attempts.len(), 1);
    let attempt = &attempts[0];
    assert_eq!(attempt.card.as_str(), "네트워크/전송 계층/TCP 연결은 어떻게 맺나요?");
    assert_eq!((attempt.said, attempt.terms), (2, 3));
    assert_eq!(attempt.text, "TCP는 먼저 SYN을 보내고\n서버가 답합니다");
    assert_eq!(attempt.at.to_string(), NOW);
    // The grade is the user's: Hard, not the suggestion.
    let reviews = fs::read_to_string(root.path().join("data/reviews.yaml")).expect("reviews.yaml");
    assert!(reviews.contains("grade: 2"), "{reviews}");
}

#[test]
fn input_ending_while_writing_keeps_no_attempt_and_no_answer() {
    let root = deck();
    let out = run(amgi(root.path()).arg("--plain").write_stdin("w\n"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        Store::new(root.path().join("data"))
            .read_attempts()
            .expect("reads")
            .is_empty()
    );
    assert!(!root.path().join("data/attempts.yaml").exists());
}

#[test]
fn an_answer_written_in_hangul_in_the_full_screen_has_its_key_terms_counted() {
    let Some(tmux) = Tmux::start("write", "hangul") else {
        return;
    };
    let root = deck();
    // The real clock, so that the timer ticks while the answer is written.
    let command = format!(
        "AMGI_CACHE={} {} --notes {} --data-dir {}; echo \"exit=$?\"",
        common::CACHE,
        env!("CARGO_BIN_EXE_amgi"),
        root.path().join("notes").display(),
        root.path().join("data").display()
    );
    tmux.keys(&[&command, "Enter"]);
    tmux.wait_for(|s| s.contains("TCP 연결은 어떻게 맺나요?"), "the question");
    tmux.keys(&["w"]);
    tmux.wait_for(|s| s.contains("Ctrl-S done"), "the write box");
    tmux.type_text("TCP는 먼저 SYN을");
    tmux.keys(&["Enter"]);
    tmux.type_text("보내고 답을 긷");
    tmux.keys(&["BSpace"]);
    tmux.type_text("기다립니다");
    let screen = tmux.wait_for(|s| s.contains("보내고 답을 기다립니다"), "the Hangul typed");
    assert!(screen.contains("TCP는 먼저 SYN을"), "{screen}");
    // The terminal's cursor stays after the last syllable (where an input method composes the next), also once
    // the timer, drawn apart, has ticked: the box starts at column 2, row 4; `보내고 답을 기다립니다` is 22 wide.
    let cursor = || {
        String::from_utf8(
            tmux.run(&["display-message", "-p", "-t", "t", "#{cursor_x},#{cursor_y}"])
                .stdout,
        )
    };
    assert_eq!(cursor().unwrap().trim(), "24,5");
    tmux.wait_for(
        |s| s.lines().nth(28).is_some_and(|l| l.trim_end().ends_with(" 2s")),
        "the timer to tick",
    );
    assert_eq!(cursor().unwrap().trim(), "24,5");
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for(|s| s.contains("핵심어"), "the key terms counted");
    assert!(screen.contains("핵심어 2/3 · suggested 2 Hard"), "{screen}");
    assert!(screen.contains("✓ TCP  ✓ SYN  ✗ ACK"), "{screen}");
    assert!(
        screen.contains("ACK로 답을 받아"),
        "the note's answer beside it:\n{screen}"
    );
    tmux.keys(&["3"]);
    tmux.keys(&["q"]);
    tmux.wait_for(|s| s.contains("exit=0"), "amgi to end");
    let attempts = Store::new(root.path().join("data"))
        .read_attempts()
        .expect("attempts.yaml reads");
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].text, "TCP는 먼저 SYN을\n보내고 답을 기다립니다");
    assert_eq!((attempts[0].said, attempts[0].terms), (2, 3));
    let reviews = fs::read_to_string(root.path().join("data/reviews.yaml")).expect("reviews.yaml");
    assert!(reviews.contains("grade: 3"), "{reviews}");
}

#[test]
fn cards_attempts_lists_the_answers_written_for_the_matching_cards_oldest_first() {
    let root = deck();
    let none = run(amgi(root.path()).args(["cards", "--attempts", "tcp"]));
    assert_eq!(none.code, Some(0), "{}", none.stderr);
    assert_eq!(
        none.stdout,
        "no answer written out yet for the card matching \"tcp\"; press w on a question in the quiz to write one\n"
    );
    let first = run(amgi(root.path())
        .arg("--plain")
        .write_stdin("w\nTCP는 모른다\n.\n1\nq\n"));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let later = "2026-11-25T09:30:00+09:00";
    let second = run(amgi(root.path())
        .env("AMGI_NOW", later)
        .arg("--plain")
        .write_stdin("w\nTCP: SYN, SYN+ACK, ACK\n.\n3\nq\n"));
    assert!(second.stdout.contains("핵심어 3/3"), "{}", second.stdout);
    assert!(second.stdout.contains("\nearlier 11-24 1/3\n"), "{}", second.stdout);
    let listed = run(amgi(root.path()).args(["cards", "--attempts", "tcp"]));
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert_eq!(
        listed.stdout,
        "네트워크 › 전송 계층 › TCP 연결은 어떻게 맺나요?\n  \
         2026-11-24 21:00  핵심어 1/3\n    TCP는 모른다\n  \
         2026-11-25 09:30  핵심어 3/3\n    TCP: SYN, SYN+ACK, ACK\n"
    );
    let json = run(amgi(root.path()).args(["cards", "--attempts", "연결", "--json"]));
    let lines = common::json_lines(&json.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["card"], "네트워크/전송 계층/TCP 연결은 어떻게 맺나요?");
    assert_eq!(lines[1]["at"], later);
    assert_eq!(
        (lines[1]["said"].as_u64(), lines[1]["terms"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(lines[0]["text"], "TCP는 모른다");
    assert_eq!(
        common::keys_in_order(json.stdout.lines().next().unwrap()),
        ["card", "question", "at", "said", "terms", "text"]
    );
}

#[test]
fn cards_attempts_matching_no_card_says_so_and_fails() {
    let root = deck();
    let out = run(amgi(root.path()).args(["cards", "--attempts", "없는말"]));
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("no card matches \"없는말\""), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_damaged_attempts_file_is_named_with_its_line_and_kept() {
    let root = deck();
    fs::create_dir(root.path().join("data")).expect("data folder");
    let damaged = "- {card: \"a\", at: 어제, said: 1, terms: 2, text: \"\"}\n";
    fs::write(root.path().join("data/attempts.yaml"), damaged).expect("written");
    let out = run(amgi(root.path()).args(["cards", "--attempts", "tcp"]));
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("attempts.yaml:1"), "{}", out.stderr);
    assert_eq!(
        fs::read_to_string(root.path().join("data/attempts.yaml")).unwrap(),
        damaged
    );
}

#[test]
fn amgi_init_takes_the_attempts_along_into_the_notes_repository() {
    let root = deck();
    let amgi_here = || {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        cmd.env("AMGI_CACHE", common::CACHE)
            .current_dir(root.path())
            .env_remove("AMGI_NOTES")
            .env("AMGI_DATA", root.path().join("data-root"))
            .env("AMGI_NOW", NOW)
            .arg("--notes")
            .arg(root.path().join("notes"))
            .timeout(Duration::from_secs(30));
        cmd
    };
    let wrote = run(amgi_here().arg("--plain").write_stdin("w\nTCP와 SYN\n.\n3\n"));
    assert_eq!(wrote.code, Some(0), "{}", wrote.stderr);
    let init = run(amgi_here().arg("init"));
    assert_eq!(init.code, Some(0), "{}", init.stderr);
    let kept = Store::new(root.path().join("notes/.amgi"))
        .read_attempts()
        .expect("attempts.yaml reads");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].text, "TCP와 SYN");
    let listed = run(amgi_here().args(["cards", "--attempts", "TCP"]));
    assert!(
        listed.stdout.contains("핵심어 2/3\n    TCP와 SYN\n"),
        "{}",
        listed.stdout
    );
}

#[test]
fn an_answer_written_to_a_question_with_no_written_answer_is_kept_with_no_terms() {
    let root = deck();
    fs::write(
        root.path().join("notes/network.md"),
        "---\ntopic: 네트워크\n---\n\n# 응용 계층\n\n## HTTP/3는 무엇이 다른가요?\n",
    )
    .expect("notes written");
    let out = run(amgi(root.path())
        .arg("--plain")
        .write_stdin("w\nQUIC 위에서 돈다\n.\n3\n"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("Q: HTTP/3는 무엇이 다른가요?"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("Your answer:\n  QUIC 위에서 돈다\n핵심어 0/0 (no written answer to compare with)\n"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("suggested:"), "{}", out.stdout);
    let attempts = Store::new(root.path().join("data"))
        .read_attempts()
        .expect("attempts.yaml reads");
    assert_eq!(attempts.len(), 1);
    assert_eq!((attempts[0].said, attempts[0].terms), (0, 0));
}

/// A question asked without an answer (`프로세스란?`, line 7) above a card, for `W`.
const OPEN_NOTES: &str = "---\ntopic: os\n---\n\n# 운영체제\n\n## 프로세스란?\n\n## 스레드란?\n\n실행 흐름입니다.\n";
const OPEN_ID: &str = "os/운영체제/프로세스란?";

/// The `cards --json` line of the card `id`.
fn json_line(root: &Path, id: &str) -> String {
    let out = run(amgi(root).args(["cards", "--json"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    out.stdout
        .lines()
        .find(|l| l.contains(&format!("\"id\":\"{id}\"")))
        .unwrap_or_else(|| panic!("no {id} in {}", out.stdout))
        .to_owned()
}

#[test]
fn shift_w_in_the_line_mode_writes_the_answer_into_the_notes_and_the_question_becomes_a_card() {
    let root = deck();
    let notes = root.path().join("notes/os.md");
    fs::remove_file(root.path().join("notes/network.md")).expect("removed");
    fs::write(&notes, OPEN_NOTES).expect("notes written");
    assert!(json_line(root.path(), OPEN_ID).contains("\"kind\":\"question\""));
    // `w` (lower case) at the grade bar is no `W`; `n` at the question writes nothing; `ㅉ` (Shift+ㅈ) is `W`.
    let input = "w\n실행 중인 **프로그램**입니다.\n.\nw\nW\nn\nㅉ\ny\n3\nq\n";
    let out = run(amgi(root.path()).arg("--plain").write_stdin(input));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let stdout = &out.stdout;
    assert!(stdout.contains("W: write this answer into os.md:7\n"), "{stdout}");
    assert!(
        stdout.contains("1–4 to grade, Enter for good, u, s, ! or q"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Write it into os.md under \"프로세스란?\"? (y/N) nothing written\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(y/N) written into os.md:7; a card from now on\n"),
        "{stdout}"
    );
    assert_eq!(
        fs::read_to_string(&notes).expect("notes"),
        "---\ntopic: os\n---\n\n# 운영체제\n\n## 프로세스란?\n\n실행 중인 **프로그램**입니다.\n\n## 스레드란?\n\n실행 흐름입니다.\n"
    );
    let card = json_line(root.path(), OPEN_ID);
    assert!(card.contains("\"kind\":\"card\""), "{card}");
    assert!(card.contains("\"answer\":\"실행 중인 **프로그램**입니다.\""), "{card}");
    // The grade given went to the same id: its progress is the card's.
    let progress = fs::read_to_string(root.path().join("data/progress.yaml")).expect("progress.yaml");
    assert!(progress.contains(OPEN_ID), "{progress}");
}

#[test]
fn shift_w_in_the_full_screen_writes_the_answer_into_the_notes_and_the_card_keeps_its_progress() {
    let Some(tmux) = Tmux::start("write", "write-out") else {
        return;
    };
    let root = deck();
    let notes = root.path().join("notes/os.md");
    fs::remove_file(root.path().join("notes/network.md")).expect("removed");
    fs::write(&notes, OPEN_NOTES).expect("notes written");
    let command = format!(
        "AMGI_CACHE={} AMGI_NOW={NOW} {} --notes {} --data-dir {}; echo \"exit=$?\"",
        common::CACHE,
        env!("CARGO_BIN_EXE_amgi"),
        root.path().join("notes").display(),
        root.path().join("data").display()
    );
    tmux.keys(&[&command, "Enter"]);
    tmux.wait_for(|s| s.contains("프로세스란?"), "the question");
    tmux.keys(&["w"]);
    tmux.wait_for(|s| s.contains("Ctrl-S done"), "the write box");
    tmux.type_text("실행 중인 프로그램입니다");
    tmux.wait_for(|s| s.contains("실행 중인 프로그램입니다"), "the Hangul typed");
    tmux.keys(&["C-s"]);
    tmux.wait_for(|s| s.contains("W write into notes"), "W offered");
    // With a Korean input method Shift+ㅈ arrives as `ㅉ`: that is `W`. Any key but `y` writes nothing.
    tmux.type_text("ㅉ");
    tmux.wait_for(
        |s| s.contains("Write it into os.md under \"프로세스란?\"? y/n"),
        "the question",
    );
    tmux.keys(&["n"]);
    tmux.wait_for(|s| s.contains("nothing written into os.md:7"), "nothing written");
    assert_eq!(fs::read_to_string(&notes).expect("notes"), OPEN_NOTES);
    tmux.keys(&["W"]);
    tmux.wait_for(|s| s.contains("? y/n"), "the question again");
    tmux.keys(&["y"]);
    let screen = tmux.wait_for(|s| s.contains("answer written into os.md:7"), "the answer written");
    // The notes read again: the answer up is the one now in the notes, and the card is still up to grade.
    assert!(screen.contains("실행 중인 프로그램입니다"), "{screen}");
    assert_eq!(
        fs::read_to_string(&notes).expect("notes"),
        "---\ntopic: os\n---\n\n# 운영체제\n\n## 프로세스란?\n\n실행 중인 프로그램입니다\n\n## 스레드란?\n\n실행 흐름입니다.\n"
    );
    tmux.keys(&["3"]);
    tmux.wait_for(|s| s.contains("스레드란?"), "the next card");
    tmux.keys(&["q"]);
    tmux.wait_for(|s| s.contains("exit=0"), "amgi to end");
    let card = json_line(root.path(), OPEN_ID);
    assert!(card.contains("\"kind\":\"card\""), "{card}");
    let reviews = fs::read_to_string(root.path().join("data/reviews.yaml")).expect("reviews.yaml");
    assert!(reviews.contains(OPEN_ID) && reviews.contains("grade: 3"), "{reviews}");
}
