//! Writing an answer out from memory (배출) through the real binary: the written answer counted against the note's
//! key terms, and the attempt kept in attempts.yaml.

mod common;

use amgi::store::Store;
use assert_cmd::Command;
use common::run;
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
