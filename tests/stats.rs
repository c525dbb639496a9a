//! `amgi stats` through the real binary, on a history made by driving the line-mode quiz with `AMGI_NOW`.
//!
//! The history, on the 7-card deck in `tests/fixtures/quiz/` (3 cards in 데이터베이스, then 4 in 네트워크):
//!
//! - Fri 2026-11-20 21:00, a drill with `--new 3`: the three database cards, each answered Easy (3 answers; each
//!   graduates at once).
//! - Sat 11-21 21:00, `cram --reschedule --topic 데이터베이스`: ACID Again, 격리 수준 Good (17 days), B+ 트리
//!   Good (17 days), then ACID again, Good (1 day, FSRS's interval out of relearning). 4 answers; the first three are reviews (each card's previous
//!   answer was the day before), one of them Again; the fourth is the same day.
//! - Mon 11-23 21:00, `cram --limit 1`: TCP 3-way handshake, Good, leaving the schedule alone (1 answer).
//!
//! Stats are asked on Tue 11-24 at 21:00, with no answer yet that day.

mod common;

use assert_cmd::Command;
use common::{Run, run};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

const NOW: &str = "2026-11-24T21:00:00+09:00";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quiz")
}

/// A scratch folder with a data folder in it (made by the first quiz).
struct Env {
    root: TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            root: TempDir::new().expect("a temporary directory"),
        }
    }

    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// `amgi --notes FIXTURE --data-dir DATA ARGS` at `now`.
    fn cmd(&self, now: &str, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        // Parsed decks are cached where the tests keep their files, not in the home folder.
        cmd.env("AMGI_CACHE", common::CACHE);
        cmd.current_dir(self.root.path())
            .env_remove("AMGI_NOTES")
            .env_remove("AMGI_DATA")
            .env_remove("NO_COLOR")
            .env("AMGI_NOW", now)
            .arg("--notes")
            .arg(fixture())
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .timeout(Duration::from_secs(30));
        cmd
    }

    /// A line-mode quiz: each answer is Enter (show the answer) then the grade.
    fn quiz(&self, now: &str, args: &[&str], grades: &[&str]) -> Run {
        let input: String = grades.iter().map(|g| format!("\n{g}\n")).collect();
        let mut cmd = self.cmd(now, &[&["--plain"], args].concat());
        ok(run(cmd.write_stdin(input)))
    }

    /// The history described at the top.
    fn drilled() -> Env {
        let env = Env::new();
        let first = env.quiz("2026-11-20T21:00:00+09:00", &["--new", "3"], &["4", "4", "4"]);
        assert!(first.stdout.contains("3 answered"), "{}", first.stdout);
        let cram = env.quiz(
            "2026-11-21T21:00:00+09:00",
            &["cram", "--reschedule", "--topic", "데이터베이스"],
            &["1", "3", "3", "3"],
        );
        let asked: Vec<&str> = cram.stdout.lines().filter_map(|l| l.strip_prefix("Q: ")).collect();
        assert_eq!(asked, ["ACID", "격리 수준", "B+ 트리 인덱스를 쓰는 이유는?", "ACID"]);
        assert!(cram.stdout.contains("4 answered · 1 again"), "{}", cram.stdout);
        let last = env.quiz("2026-11-23T21:00:00+09:00", &["cram", "--limit", "1"], &["3"]);
        assert!(last.stdout.contains("Q: TCP 3-way handshake"), "{}", last.stdout);
        env
    }

    fn stats(&self, args: &[&str]) -> Run {
        ok(run(&mut self.cmd(NOW, &[&["stats"], args].concat())))
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.stats(&[&["--json"], args].concat());
        assert_eq!(out.stdout.lines().count(), 1, "one line: {}", out.stdout);
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.stdout))
    }
}

fn ok(run: Run) -> Run {
    assert_eq!(run.code, Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    run
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let Ok(entries) = fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|path| {
            let bytes = fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

#[test]
fn plain_stats_of_a_drilled_history() {
    let env = Env::drilled();
    let before = files(&env.data());
    // Not a terminal: text even without --plain.
    for args in [&["--plain"][..], &[]] {
        let out = env.stats(args).stdout;
        let lines: Vec<&str> = out.lines().collect();
        for want in [
            "amgi stats · 2026-11-24 · 7 cards, 3 seen",
            // 3 on the 20th, 4 on the 21st, 1 on the 23rd.
            "Answers, last 26 weeks (2026-05-27 to 2026-11-24): 8 on 3 days, busiest 4",
            // The 23rd alone (nothing on the 22nd, nothing yet today); the 20th and 21st before.
            "Streak: 1 day (longest 2 days) · not yet today",
            "Retention, last 30 days: 67% (2 of 3 reviews not Again)",
            // 8 answers over 30 days.
            "Answers per day, last 30 days: 0.3 (8 answers)",
            "데이터베이스      3     3       0     92%       1        0",
            "네트워크          4     0       0       –       0        0",
            "   83%       1  데이터베이스 › 트랜잭션 › ACID",
            "Leeches (8 or more lapses): none",
            // ACID was due on the 22nd (Good, 1 day, on the 21st): overdue, so today. The other two come back
            // 17 days after the 21st: 12-08, the day after the last one shown.
            "Due in the next 14 days: 1",
            "Tue 11-24     1  ████████████████████████████████████████",
            "Sun 12-06     0",
            "Mon 12-07     0",
        ] {
            assert!(lines.contains(&want), "{want:?} not in:\n{out}");
        }
        // Shades by quarters of the busiest day (4): 1, 2, 3 and 4 answers each have their own.
        assert!(lines.contains(&"    · none  ░ 1  ▒ 2  ▓ 3  █ 4"), "{out}");
        // Fri 20th (3: ▓), Sat 21st (4: █) in the last week's column; Mon 23rd (1: ░), Tue 24th (none) in the next.
        let row = |day: &str| lines.iter().find(|l| l.starts_with(day)).copied().unwrap();
        assert!(row("Fri").ends_with("▓"), "{out}");
        assert!(row("Sat").ends_with("█"), "{out}");
        assert!(row("Mon").ends_with("░"), "{out}");
        assert!(row("Tue").ends_with("·"), "{out}");
    }
    assert_eq!(files(&env.data()), before, "stats writes nothing");
}

#[test]
fn json_keys_come_in_the_readmes_order_and_figures_with_4_decimals() {
    let env = Env::drilled();
    let out = env.stats(&["--json"]).stdout;
    let keys = [
        "today",
        "cards",
        "seen",
        "suspended",
        "calendar",
        "streak",
        "retention",
        "activity",
        "topics",
        "weakest",
        "leeches",
        "forecast",
        "interview",
        "progress_dir",
    ];
    assert_eq!(common::keys_in_order(&out), keys);
    common::readme_documents_in_order("keys in this order (recall and rates", &keys);
    assert!(common::most_decimals(&out) <= 4, "{out}");
    assert!(
        common::most_decimals(&out) > 0,
        "there are rates and recalls to round: {out}"
    );
}

#[test]
fn json_stats_of_a_drilled_history() {
    let env = Env::drilled();
    let v = env.json(&[]);
    assert_eq!(v["today"], "2026-11-24");
    assert_eq!((v["cards"].as_u64(), v["seen"].as_u64()), (Some(7), Some(3)));
    let calendar = &v["calendar"];
    assert_eq!(calendar["from"], "2026-05-27");
    assert_eq!(calendar["to"], "2026-11-24");
    let answers = calendar["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 182);
    assert_eq!(answers[177..], [json!(3), json!(4), json!(0), json!(1), json!(0)]);
    assert_eq!(calendar["total"], 8);
    assert_eq!(calendar["active_days"], 3);
    assert_eq!(calendar["busiest"], 4);
    assert_eq!(
        v["streak"],
        json!({"current": 1, "longest": 2, "answered_today": false})
    );
    assert_eq!(
        v["retention"],
        json!({"days": 30, "reviews": 3, "recalled": 2, "rate": 0.6667})
    );
    assert_eq!(v["activity"]["answers"], 8);
    assert_eq!(v["activity"]["per_day"], 0.2667);
    assert_eq!(v["activity"]["days"], 30);
    let topics: Vec<&str> = v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["topic"].as_str().unwrap())
        .collect();
    assert_eq!(topics, ["데이터베이스", "네트워크"]);
    assert_eq!(v["topics"][0]["lapses"], 1);
    assert_eq!(v["topics"][1]["recall"], Value::Null);
    let weakest = v["weakest"].as_array().unwrap();
    assert_eq!(weakest.len(), 3);
    assert_eq!(weakest[0]["id"], "데이터베이스/트랜잭션/ACID");
    assert_eq!(weakest[0]["path"], json!(["트랜잭션"]));
    assert_eq!(weakest[0]["lapses"], 1);
    assert_eq!(weakest[0]["leech"], false);
    let recall = weakest[0]["recall"].as_f64().unwrap();
    assert!(0.0 < recall && recall < 1.0, "{recall}");
    assert_eq!(v["leeches"], json!([]));
    let forecast = v["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 14);
    assert_eq!(forecast[0], json!({"day": "2026-11-24", "due": 1}));
    assert_eq!(forecast[13], json!({"day": "2026-12-07", "due": 0}));
    let due: u64 = forecast.iter().map(|d| d["due"].as_u64().unwrap()).sum();
    assert_eq!(due, 1);
}

#[test]
fn a_topic_filter_before_or_after_the_subcommand_counts_only_its_cards() {
    let env = Env::drilled();
    let after = env.stats(&["--json", "--topic", "네트워크"]).stdout;
    let mut before = env.cmd(NOW, &["--topic", "네트워크", "stats", "--json"]);
    assert_eq!(ok(run(&mut before)).stdout, after);
    let v: Value = serde_json::from_str(&after).unwrap();
    assert_eq!((v["cards"].as_u64(), v["seen"].as_u64()), (Some(4), Some(0)));
    // Only the cram answer to TCP 3-way handshake on the 23rd.
    assert_eq!(v["calendar"]["total"], 1);
    assert_eq!(
        v["streak"],
        json!({"current": 1, "longest": 1, "answered_today": false})
    );
    assert_eq!(v["retention"]["rate"], Value::Null);
    assert_eq!(v["retention"]["reviews"], 0);
    assert_eq!(v["weakest"], json!([]));
    let plain = env.stats(&["--topic", "네트워크"]).stdout;
    assert!(plain.contains("Retention, last 30 days: no reviews yet"), "{plain}");
    assert!(!plain.contains("데이터베이스"), "{plain}");
}

#[test]
fn an_empty_data_folder_gives_zeros_and_stays_empty() {
    let env = Env::new();
    let v = env.json(&[]);
    assert_eq!((v["cards"].as_u64(), v["seen"].as_u64()), (Some(7), Some(0)));
    assert_eq!(v["calendar"]["total"], 0);
    assert_eq!(
        v["streak"],
        json!({"current": 0, "longest": 0, "answered_today": false})
    );
    assert_eq!(v["retention"]["rate"], Value::Null);
    assert_eq!(v["activity"]["per_day"], 0.0);
    assert_eq!(v["forecast"][0]["due"], 0);
    let plain = env.stats(&["--plain"]).stdout;
    assert!(
        plain.contains("Streak: 0 days (longest 0 days) · none today"),
        "{plain}"
    );
    assert!(plain.contains("Weakest cards: none seen yet"), "{plain}");
    assert!(!env.data().exists(), "the data folder is not made");
}

#[test]
fn a_bad_progress_yaml_is_named_and_left_alone() {
    let env = Env::new();
    fs::create_dir(env.data()).unwrap();
    let progress = env.data().join("progress.yaml");
    let text = "version: 1\nsettings: {}\nlog_offset: x\ncards: {}\n";
    fs::write(&progress, text).unwrap();
    for args in [&["--json"][..], &["--plain"]] {
        let out = run(&mut env.cmd(NOW, &[&["stats"], args].concat()));
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert!(
            out.stderr.contains(&format!("{}:3:", progress.display())),
            "names the file and line: {}",
            out.stderr
        );
    }
    assert_eq!(fs::read_to_string(&progress).unwrap(), text);
    assert_eq!(files(&env.data()).len(), 1, "nothing else written");
}

#[test]
fn a_log_ahead_of_progress_is_caught_up_without_writing() {
    let env = Env::drilled();
    // The figures must agree; each environment has a folder of its own.
    let figures = |mut v: Value| {
        v.as_object_mut().expect("an object").remove("progress_dir");
        v
    };
    let whole = figures(env.json(&[]));
    // As after a crash between appending the cram answers and saving progress: progress.yaml from before them.
    let behind = Env::new();
    behind.quiz("2026-11-20T21:00:00+09:00", &["--new", "3"], &["4", "4", "4"]);
    fs::copy(env.data().join("reviews.yaml"), behind.data().join("reviews.yaml")).unwrap();
    let before = files(&behind.data());
    assert_eq!(figures(behind.json(&[])), whole);
    assert_eq!(files(&behind.data()), before, "caught up in memory only");
    // Without progress.yaml at all, it is rebuilt from the log (in memory).
    fs::remove_file(behind.data().join("progress.yaml")).unwrap();
    assert_eq!(figures(behind.json(&[])), whole);
    assert!(!behind.data().join("progress.yaml").exists());
}

/// `amgi stats ARGS` with the caches in `cache`: its stdout.
fn stats_cached(env: &Env, cache: &Path, args: &[&str]) -> String {
    let mut cmd = env.cmd(NOW, &[&["stats"], args].concat());
    ok(run(cmd.env("AMGI_CACHE", cache))).stdout
}

/// `amgi stats --json` and `--plain`, with caches of their own (no snapshot of the log), and with `cache`.
fn both_ways(env: &Env, cache: &Path, fresh: &str) -> [(String, String); 2] {
    ["--json", "--plain"].map(|how| {
        let without = stats_cached(env, &env.root.path().join(format!("{fresh}{how}")), &[how]);
        (without, stats_cached(env, cache, &[how]))
    })
}

/// The files of snapshots of a log in `cache`.
fn snapshots(cache: &Path) -> Vec<PathBuf> {
    files(cache)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "reviews"))
        .collect()
}

#[test]
fn stats_are_the_same_with_a_snapshot_of_the_log_after_appends_and_hand_edits() {
    let env = Env::drilled();
    let log = env.data().join("reviews.yaml");
    let cache = env.root.path().join("cache");
    // Enough cram answers that the log is worth a snapshot, dated before the last drill.
    let mut text = fs::read_to_string(&log).unwrap();
    let card = text.split('"').nth(1).expect("a card id").to_string();
    for i in 0..800 {
        text.push_str(&format!(
            "- {{card: \"{card}\", at: 2026-11-22T{:02}:{:02}:{:02}+09:00, grade: 3, mode: cram, ms: {}}}\n",
            i / 3600,
            i / 60 % 60,
            i % 60,
            1000 + i
        ));
    }
    fs::write(&log, &text).unwrap();
    let data = files(&env.data());
    // The first read makes the snapshot; the second reads through it.
    for (without, with) in both_ways(&env, &cache, "a") {
        assert_eq!(with, without);
    }
    assert_eq!(snapshots(&cache).len(), 1, "{:?}", files(&cache).keys());
    for (without, with) in both_ways(&env, &cache, "b") {
        assert_eq!(with, without);
    }
    // More answers after the snapshot, one a repeat of a line in it and one dated before its lines.
    let mut more = fs::read_to_string(&log).unwrap();
    more.push_str(&format!(
        "- {{card: \"{card}\", at: 2026-11-22T00:00:05+09:00, grade: 3, mode: cram, ms: 1005}}\n"
    ));
    more.push_str(&format!(
        "- {{card: \"{card}\", at: 2026-11-21T08:00:00+09:00, grade: 1, mode: cram, ms: 700}}\n"
    ));
    fs::write(&log, &more).unwrap();
    for (without, with) in both_ways(&env, &cache, "c") {
        assert_eq!(with, without);
    }
    // A line inside the snapshot's part edited by hand: the snapshot is not used.
    let edited = more.replacen("ms: 1001}", "ms: 9001}", 1);
    assert_ne!(edited, more);
    fs::write(&log, &edited).unwrap();
    for (without, with) in both_ways(&env, &cache, "d") {
        assert_eq!(with, without);
    }
    // Nothing was written to the data folder but the edits above.
    fs::write(&log, &text).unwrap();
    assert_eq!(files(&env.data()), data);
}
