//! Each notes folder is a deck with its own progress, in its own folder under the data folder; `--data-dir` puts
//! one exactly where it says; progress kept in the data folder itself (as before decks had folders) is copied to
//! each deck once, its cards' answers only, and left as it was.
//!
//! Two decks: the database and the network notes of `tests/fixtures/quiz/`, each copied into a folder of its own.

mod common;

use amgi::store::{LogLine, Progress, Store};
use assert_cmd::Command;
use common::{Run, run};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

const NOW: &str = "2026-11-24T21:00:00+09:00";
const TIMEOUT: Duration = Duration::from_secs(30);

struct Env {
    tmp: TempDir,
}

impl Env {
    fn new() -> Env {
        let tmp = TempDir::new().expect("a temporary directory");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quiz");
        for (deck, file) in [("database", "database.md"), ("network", "network.md")] {
            let dir = tmp.path().join(deck);
            fs::create_dir(&dir).expect("notes folder made");
            fs::copy(fixture.join(file), dir.join(file)).expect("notes copied");
        }
        fs::create_dir(tmp.path().join("cwd")).expect("cwd made");
        Env { tmp }
    }

    fn notes(&self, deck: &str) -> PathBuf {
        self.tmp.path().join(deck)
    }

    /// The data folder (`AMGI_DATA`).
    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }

    /// `amgi --notes DECK ARGS` with `AMGI_DATA` set and no `--data-dir`.
    fn amgi(&self, deck: &str, args: &[&str], input: &str) -> Run {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        // Parsed decks are cached where the tests keep their files, not in the home folder.
        cmd.env("AMGI_CACHE", common::CACHE);
        cmd.current_dir(self.tmp.path().join("cwd"))
            .env_remove("AMGI_NOTES")
            .env("AMGI_DATA", self.data())
            .env("AMGI_NOW", NOW)
            .arg("--notes")
            .arg(self.notes(deck))
            .args(args)
            .write_stdin(input)
            .timeout(TIMEOUT);
        run(&mut cmd)
    }

    fn ok(&self, deck: &str, args: &[&str], input: &str) -> Run {
        let run = self.amgi(deck, args, input);
        assert_eq!(run.code, Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
        run
    }

    /// Two Good answers in a drill of at most two new cards (the input ends at the third question).
    fn drill_two(&self, deck: &str, args: &[&str]) -> Run {
        self.drill_two_of(deck, "2", args)
    }

    /// Two Good answers in a drill of at most `new` new cards a day.
    fn drill_two_of(&self, deck: &str, new: &str, args: &[&str]) -> Run {
        let mut all = vec!["--plain", "--new", new];
        all.extend_from_slice(args);
        self.ok(deck, &all, "\n\n\n\n")
    }

    /// The one folder under `data/decks` whose name starts with `deck`.
    fn deck_dir(&self, deck: &str) -> PathBuf {
        let found: Vec<PathBuf> = fs::read_dir(self.data().join("decks"))
            .expect("a decks folder")
            .map(|e| e.expect("an entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{deck}-")))
            })
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].clone()
    }

    fn stats(&self, deck: &str) -> Value {
        serde_json::from_str(&self.ok(deck, &["stats", "--json"], "").stdout).expect("stats JSON")
    }
}

fn progress(dir: &Path) -> Progress {
    Store::new(dir)
        .load_progress()
        .expect("progress loads")
        .expect("progress.yaml")
}

fn asked(run: &Run) -> usize {
    run.stdout.lines().filter(|l| l.starts_with("Q: ")).count()
}

/// The lines of `dir/reviews.yaml`.
fn log_lines(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("reviews.yaml"))
        .expect("reviews.yaml")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_notes_folder_keeps_its_own_progress_limits_and_stats() {
    let env = Env::new();
    assert!(asked(&env.drill_two("database", &[])) >= 2);
    // The second deck's new cards are not spent by the first's.
    assert!(asked(&env.drill_two("network", &[])) >= 2);

    let (database, network) = (env.deck_dir("database"), env.deck_dir("network"));
    assert!(!env.data().join("progress.yaml").exists() && !env.data().join("reviews.yaml").exists());
    for (dir, topic) in [(&database, "데이터베이스"), (&network, "네트워크")] {
        let progress = progress(dir);
        assert_eq!(progress.cards.len(), 2, "{dir:?}");
        assert!(
            progress.cards.keys().all(|id| id.as_str().starts_with(topic)),
            "{dir:?}"
        );
        // Named so a person can tell whose it is.
        let about = fs::read_to_string(dir.join("deck.yaml")).expect("deck.yaml");
        assert!(
            about.contains(
                &*env
                    .notes(if topic == "네트워크" { "network" } else { "database" })
                    .to_string_lossy()
            )
        );
    }

    // No orphans from the other deck, and stats of this deck alone, saying where they are kept.
    let check = env.ok("network", &["check", "--json"], "");
    assert!(!check.stdout.contains("orphan"), "{}", check.stdout);
    let stats = env.stats("network");
    assert_eq!(
        (stats["cards"].as_u64(), stats["seen"].as_u64()),
        (Some(4), Some(2)),
        "{stats}"
    );
    assert_eq!(stats["progress_dir"].as_str(), Some(&*network.to_string_lossy()));
    let text = env.ok("network", &["stats", "--plain"], "").stdout;
    assert!(
        text.contains(&format!("Progress kept in {}", network.display())),
        "{text}"
    );

    // --data-dir puts one deck exactly there.
    let exact = env.tmp.path().join("exact");
    env.drill_two("database", &["--data-dir", &exact.to_string_lossy()]);
    assert_eq!(progress(&exact).cards.len(), 2);
    assert!(!exact.join("decks").exists());
}

#[test]
fn progress_kept_in_the_data_folder_itself_is_copied_to_each_deck_once_and_left_as_it_was() {
    let env = Env::new();
    let data = env.data();
    let shared = data.to_string_lossy().into_owned();
    // As before decks had folders: both decks' answers in one folder.
    env.drill_two("database", &["--data-dir", &shared]);
    // (Sharing a folder, the two decks shared one budget of new cards a day.)
    env.drill_two_of("network", "4", &["--data-dir", &shared]);
    let old_progress = fs::read(data.join("progress.yaml")).expect("old progress");
    let old_log = log_lines(&data);
    assert_eq!(old_log.len(), 4);

    let first = env.ok("database", &["stats", "--json"], "");
    assert!(
        first.stderr.contains("copied 2 answers and the progress of 2 cards"),
        "{}",
        first.stderr
    );
    let database = env.deck_dir("database");
    let copied = log_lines(&database);
    // Line for line, ids and all: only this deck's.
    assert_eq!(
        copied,
        old_log
            .iter()
            .filter(|l| l.contains("데이터베이스"))
            .cloned()
            .collect::<Vec<_>>()
    );
    let moved = progress(&database);
    let old = progress(&data);
    assert_eq!(moved.cards.len(), 2);
    for (id, entry) in &moved.cards {
        assert_eq!(Some(entry), old.cards.get(id), "{id}");
    }
    let stats: Value = serde_json::from_str(&first.stdout).expect("stats JSON");
    assert_eq!(stats["seen"].as_u64(), Some(2), "{stats}");

    // Once: the next command says nothing of it, and what was copied is what a replay gives.
    let again = env.ok("database", &["check"], "");
    assert!(
        again.stderr.is_empty() && again.stdout == "no findings in 1 file (3 cards)\n",
        "{}{}",
        again.stdout,
        again.stderr
    );
    let before = fs::read(database.join("progress.yaml")).expect("progress");
    env.ok("database", &["repair"], "");
    assert_eq!(fs::read(database.join("progress.yaml")).expect("progress"), before);

    // The other deck takes its own on its first drill, which goes on from there.
    let drill = env.drill_two("network", &[]);
    assert!(drill.stderr.contains("copied 2 answers"), "{}", drill.stderr);
    let network = env.deck_dir("network");
    let lines = Store::new(&network).read_log(0).expect("log").lines;
    assert!(
        lines
            .iter()
            .all(|l| l.card().is_some_and(|c| c.as_str().starts_with("네트워크")))
    );
    assert!(lines.len() >= 2 && lines.iter().all(|l| matches!(l, LogLine::Review(_))));

    // The old files are as they were.
    assert_eq!(
        fs::read(data.join("progress.yaml")).expect("old progress"),
        old_progress
    );
    assert_eq!(log_lines(&data), old_log);
}

#[test]
fn a_bad_old_log_is_reported_with_its_line_and_nothing_is_made() {
    let env = Env::new();
    let data = env.data();
    fs::create_dir_all(&data).expect("data folder");
    fs::write(data.join("reviews.yaml"), "- {card: x, at: not a time, grade: 3}\n").expect("log written");
    let run = env.amgi("database", &["stats", "--json"], "");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("reviews.yaml:1"), "{}", run.stderr);
    assert!(!data.join("decks").exists() || fs::read_dir(data.join("decks")).expect("decks").next().is_none());
    assert_eq!(
        fs::read_to_string(data.join("reviews.yaml")).expect("log"),
        "- {card: x, at: not a time, grade: 3}\n"
    );
}
