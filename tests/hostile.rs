//! Notes written to attack the terminal: escape sequences (window title, clipboard through OSC 52, clear
//! screen), 8-bit CSI, BEL and bidi overrides in headings, answers and file names. Every command's text output
//! and both quiz modes' (the full screen in tests/tui.rs) must show them as symbols, never pass them on.

mod common;

use assert_cmd::Command;
use common::{Run, json_lines, run};
use std::path::Path;
use tempfile::TempDir;

const TITLE: &str = "\x1b]0;pwned\x07";
const CLIPBOARD: &str = "\x1b]52;c;aGk=\x07";

/// A notes folder whose file names, headings and answers carry every kind of control.
fn hostile_notes(root: &Path) {
    let notes = root.join("notes");
    std::fs::create_dir_all(&notes).expect("a folder");
    let card = format!(
        "## 질문 {TITLE}\u{202e}txt.exe\n\n답 {CLIPBOARD} 그리고 \u{9b}2J 화면 지우기 \x1b[2J 끝\u{7}\n\n## 두번째\u{2066}\n\n\
         일반 답\n\n## 빈 곳 \x1b[5m\n"
    );
    std::fs::write(notes.join(format!("topic{TITLE}.md")), card).expect("a note");
    // An unreadable file whose name has an escape in it: reported on stderr.
    std::fs::write(notes.join("bad\x1b[31m.md"), b"## \xff\xfe\n").expect("a bad note");
}

fn amgi(root: &Path, args: &[&str], input: &str) -> Run {
    let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary");
    // Parsed decks are cached where the tests keep their files, not in the home folder.
    cmd.env("AMGI_CACHE", common::CACHE);
    cmd.current_dir(root)
        .env_remove("AMGI_NOTES")
        .env("AMGI_NOW", "2026-11-24T21:00:00+09:00")
        .args(["--notes", "notes", "--data-dir", "data"])
        .args(args)
        .write_stdin(input);
    run(&mut cmd)
}

/// What must never be written in text mode: C0 controls other than the newline, DEL, C1 controls, bidi overrides
/// and isolates.
fn assert_inert(what: &str, text: &str) {
    let bad: Vec<(usize, char)> = text
        .char_indices()
        .filter(|&(_, c)| {
            (c < ' ' && c != '\n')
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect();
    assert!(bad.is_empty(), "{what} wrote controls {bad:?}:\n{text}");
    for byte in [0x1b_u8, 0x07] {
        assert!(!text.as_bytes().contains(&byte), "{what} wrote byte {byte:#04x}");
    }
}

#[test]
fn no_command_passes_controls_from_the_notes_to_the_terminal() {
    let dir = TempDir::new().expect("a temporary folder");
    let root = dir.path();
    hostile_notes(root);
    // Answer both cards in the plain quiz, so that stats, plan and repair have something to show.
    let runs = [
        ("drill --plain", amgi(root, &["--plain"], "\n3\n\n1\nq\n")),
        ("cram --plain", amgi(root, &["cram", "--plain"], "\n3\nq\n")),
        ("cards", amgi(root, &["cards"], "")),
        ("topics", amgi(root, &["topics"], "")),
        ("check", amgi(root, &["check"], "")),
        ("stats --plain", amgi(root, &["stats", "--plain"], "")),
        ("plan", amgi(root, &["plan", "--interview", "2026-12-10"], "")),
        ("repair", amgi(root, &["repair"], "")),
    ];
    for (what, run) in &runs {
        assert_inert(&format!("{what} (stdout)"), &run.stdout);
        assert_inert(&format!("{what} (stderr)"), &run.stderr);
    }
    let (_, drill) = &runs[0];
    assert!(drill.stdout.contains("2 answered"), "{}", drill.stdout);
    assert!(drill.stdout.contains("질문 ␛]0;pwned␇�txt.exe"), "{}", drill.stdout);
    assert!(drill.stdout.contains("답 ␛]52;c;aGk=␇ 그리고 �2J"), "{}", drill.stdout);
    let (_, topics) = &runs[3];
    assert!(topics.stdout.contains("topic␛]0;pwned␇"), "{}", topics.stdout);
    let (_, cards) = &runs[2];
    assert!(
        cards.stderr.contains("bad␛[31m.md"),
        "the bad file is named:\n{}",
        cards.stderr
    );
    let (_, stats) = &runs[5];
    assert!(stats.stdout.contains("topic␛]0;pwned␇"), "{}", stats.stdout);
    let (_, check) = &runs[4];
    assert!(check.stdout.contains("빈 곳 ␛[5m"), "{}", check.stdout);

    // JSON keeps the text as it is, escaped as JSON escapes it.
    let json = amgi(root, &["cards", "--json"], "");
    assert!(json.stdout.contains(r"\u001b]52;c;aGk=\u0007"), "{}", json.stdout);
    let cards = json_lines(&json.stdout);
    assert_eq!(cards[0]["question"], format!("질문 {TITLE}\u{202e}txt.exe"));
}

/// A notes folder with a newline in its name, holding files with a newline and an escape in theirs: every name
/// comes out on one line, with the newline and the escape as symbols, in `cards`, `topics`, `check` and `init`.
#[test]
fn a_newline_or_an_escape_in_a_file_name_stays_on_its_line() {
    let dir = TempDir::new().expect("a temporary folder");
    let root = dir.path();
    let notes = root.join("my\nnotes");
    std::fs::create_dir_all(&notes).expect("a folder");
    // A forged `check` line, as a file name: it must stay inside the name of the stub's file.
    let forged = "a\nok.md:1: stub: forged\n.md";
    std::fs::write(notes.join(forged), "## 빈 곳\n\n## 질문\n\n답\n").expect("a note");
    std::fs::write(notes.join("x\x1b[31my.md"), "## 두번째\n\n답\n").expect("a note");
    let amgi = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary");
        cmd.env("AMGI_CACHE", common::CACHE)
            .env("AMGI_DATA", root.join("data"))
            .env("AMGI_NOW", "2026-11-24T21:00:00+09:00")
            .env_remove("AMGI_NOTES")
            .current_dir(root)
            .arg("--notes")
            .arg(&notes)
            .args(args);
        run(&mut cmd)
    };
    let forged_shown = "a␊ok.md:1: stub: forged␊";
    let cards = amgi(&["cards"]);
    assert_inert("cards (stderr)", &cards.stderr);
    assert_inert("cards", &cards.stdout);
    let mut lines: Vec<&str> = cards.stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            format!("{forged_shown} › 빈 곳  (no answer written)"),
            format!("{forged_shown} › 질문"),
            "x␛[31my › 두번째".into()
        ],
        "{}",
        cards.stdout
    );

    let topics = amgi(&["topics"]);
    assert_inert("topics", &topics.stdout);
    assert_eq!(topics.stdout.lines().count(), 2, "{}", topics.stdout);
    assert!(topics.stdout.contains(forged_shown), "{}", topics.stdout);

    let check = amgi(&["check"]);
    assert_inert("check", &check.stdout);
    assert_inert("check (stderr)", &check.stderr);
    let lines: Vec<&str> = check.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one finding, on one line:\n{}", check.stdout);
    assert!(
        lines[0].starts_with(&format!("{forged_shown}.md:1: stub: ")),
        "{}",
        check.stdout
    );
    // JSON keeps the name as it is, escaped as JSON escapes it.
    let json = json_lines(&amgi(&["check", "--json"]).stdout);
    assert_eq!(json.len(), 1);
    assert!(
        json[0]["file"].as_str().is_some_and(|f| f.ends_with(forged)),
        "{json:?}"
    );
    let json = json_lines(&amgi(&["cards", "--json"]).stdout);
    assert_eq!(json.len(), 3, "two cards and the stub's question");

    // `init` names the deck's folder, inside the notes folder whose name has the newline.
    let init = amgi(&["init"]);
    assert_eq!(init.code, Some(0), "{}", init.stderr);
    assert_inert("init", &init.stdout);
    let lines: Vec<&str> = init.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", init.stdout);
    assert!(lines[0].contains("my␊notes/.amgi"), "{}", init.stdout);
    let again = amgi(&["init"]);
    assert!(
        again
            .stdout
            .starts_with(&format!("{}", root.join("my␊notes/.amgi").display())),
        "{}",
        again.stdout
    );
}
