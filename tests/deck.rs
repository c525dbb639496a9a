//! The bundled deck (`notes/`, embedded at build time): big enough, clean under `check`, an example of every card
//! form, and counted truly in the README.
//!
//! Every run happens in an empty temporary directory with `AMGI_NOTES` removed and no `--notes`, so the deck the
//! binary carries is the one read; `AMGI_DATA` points into that directory, so no progress of whoever runs the tests
//! adds `orphan` findings.

mod common;

use assert_cmd::Command;
use common::json_lines;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(60);
const MIN_CARDS: usize = 80;
const MIN_TOPICS: usize = 6;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `amgi` on the bundled deck: run in `dir`, no notes named anywhere, progress kept in `dir/data`.
fn bundled(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
    // Parsed decks are cached where the tests keep their files, not in the home folder.
    cmd.env("AMGI_CACHE", common::CACHE);
    cmd.current_dir(dir)
        .env_remove("AMGI_NOTES")
        .env("AMGI_DATA", dir.join("data"))
        .timeout(TIMEOUT);
    cmd
}

/// Runs `args` on the bundled deck in a fresh empty directory; expects exit 0 and an empty stderr.
fn run(args: &[&str]) -> String {
    let tmp = TempDir::new().expect("a temporary directory");
    let out = bundled(tmp.path()).args(args).output().expect("amgi starts");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "amgi {args:?} failed:\n{stderr}");
    assert!(stderr.is_empty(), "amgi {args:?} wrote to stderr:\n{stderr}");
    stdout
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {value}"))
}

fn cards() -> Vec<Value> {
    json_lines(&run(&["cards", "--json"]))
}

/// `(topic, cards)` in the order `amgi topics` prints them.
fn topics() -> Vec<(String, u64)> {
    json_lines(&run(&["topics", "--json"]))
        .iter()
        .map(|t| {
            let cards = t["cards"]
                .as_u64()
                .unwrap_or_else(|| panic!("cards is not a count in {t}"));
            (str_of(t, "topic").to_owned(), cards)
        })
        .collect()
}

#[test]
fn bundled_deck_has_enough_cards_across_enough_topics() {
    let cards = cards();
    let topics: BTreeSet<&str> = cards.iter().map(|c| str_of(c, "topic")).collect();
    assert!(
        cards.len() >= MIN_CARDS,
        "the bundled deck has {} cards, fewer than {MIN_CARDS}",
        cards.len()
    );
    assert!(
        topics.len() >= MIN_TOPICS,
        "the bundled deck has {} topics ({topics:?}), fewer than {MIN_TOPICS}",
        topics.len()
    );
    for card in &cards {
        assert!(
            !str_of(card, "answer").trim().is_empty(),
            "{} has an empty answer",
            str_of(card, "id")
        );
        assert!(
            !str_of(card, "id").contains(" ~"),
            "{} shares its id",
            str_of(card, "id")
        );
    }
}

#[test]
fn bundled_deck_checks_clean() {
    assert_eq!(
        run(&["check"]),
        "no findings in 7 files (110 cards)\n",
        "amgi check on the bundled deck should find nothing"
    );
    assert_eq!(run(&["check", "--json"]), "");
}

#[test]
fn readme_topic_table_matches_amgi_topics() {
    let readme = fs::read_to_string(repo().join("README.md")).expect("README.md is readable");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("The bundled deck\n"))
        .expect("README.md has a \"## The bundled deck\" section");

    let mut rows = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect()
    };
    assert_eq!(cells(rows.next().expect("a table header")), ["topic", "cards"]);
    assert_eq!(cells(rows.next().expect("a table separator")), ["---", "---"]);
    let table: Vec<(String, u64)> = rows
        .map(|row| match cells(row).as_slice() {
            [topic, cards] => {
                let cards = cards
                    .parse()
                    .unwrap_or_else(|e| panic!("{cards:?} is not a count ({e}): {row}"));
                (topic.clone(), cards)
            }
            other => panic!(
                "a row of the topic table should have 2 cells, not {}: {row}",
                other.len()
            ),
        })
        .collect();

    let topics = topics();
    assert_eq!(
        table, topics,
        "README's topic table differs from `amgi topics` on the bundled deck"
    );

    let total: u64 = topics.iter().map(|(_, n)| n).sum();
    assert_eq!(total, cards().len() as u64, "topics add up to the cards");
    let total_line = format!("Total: {total} cards.");
    assert!(
        section.lines().any(|l| l == total_line),
        "README's bundled deck section should say {total_line:?}"
    );
}

/// How the question of a card is written in its file, read from the line `cards --json` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Form {
    Heading,
    SubHeading,
    QuestionParagraph,
    QaPair,
    Details,
    ListItem,
}

#[test]
fn bundled_deck_shows_every_card_form() {
    let notes: PathBuf = repo().join("notes");
    let mut forms = BTreeSet::new();
    let mut answers_with = (false, false); // (a fenced code block, a table)
    for card in cards() {
        let file = notes.join(str_of(&card, "file"));
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let line = card["line"].as_u64().expect("a line number") as usize;
        let at = text.lines().nth(line - 1).expect("the card's line exists").trim_start();
        let form = if at.starts_with("## ") {
            Form::Heading
        } else if at.starts_with("### ") {
            Form::SubHeading
        } else if at.starts_with("Q.") {
            Form::QaPair
        } else if at.starts_with("<summary>") {
            Form::Details
        } else if at.starts_with("- ") || at.starts_with("* ") {
            Form::ListItem
        } else {
            assert!(at.ends_with('?'), "{file:?}:{line}: {at}");
            Form::QuestionParagraph
        };
        forms.insert(form);
        let answer = str_of(&card, "answer");
        answers_with.0 |= answer.contains("```");
        answers_with.1 |= answer.lines().any(|l| l.starts_with("|---"));
    }
    for form in [
        Form::Heading,
        Form::SubHeading,
        Form::QuestionParagraph,
        Form::QaPair,
        Form::Details,
    ] {
        assert!(
            forms.contains(&form),
            "no card in the bundled deck is written as {form:?}"
        );
    }
    assert!(answers_with.0, "no answer in the bundled deck has a fenced code block");
    assert!(answers_with.1, "no answer in the bundled deck has a table");
}

#[test]
fn bundled_deck_files_have_no_title_heading() {
    let notes = repo().join("notes");
    let mut files: Vec<PathBuf> = fs::read_dir(&notes)
        .expect("notes/ is readable")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let text = fs::read_to_string(&file).expect("a notes file is readable");
        let mut in_code = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            assert!(
                in_code || !line.starts_with("# "),
                "{}:{}: an H1 title only repeats the topic in every card's path",
                file.display(),
                n + 1
            );
        }
    }
}
