//! `amgi optimize` through the real binary: a history too short to fit, one long enough, a second run, a busy data
//! folder, a progress.yaml that cannot be read.
//!
//! Every run happens in a fresh temporary directory with `AMGI_NOTES` and `AMGI_DATA` removed. The long history
//! is simulated here: a deck of generated cards drilled for months through amgi's own scheduler by a user whose
//! memory follows FSRS with parameters far from the defaults, written to reviews.yaml, and progress.yaml made from
//! it by `amgi repair`.

mod common;

use amgi::Card;
use amgi::history;
use amgi::notes::{Deck, source};
use amgi::schedule::{CardState, DEFAULT_RETENTION, Grade, Scheduler};
use amgi::store::{LogLine, Mode, Progress, Review, Store, render_line};
use amgi::time::Moment;
use assert_cmd::Command;
use common::{Run, run};
use jiff::{SignedDuration, Span};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde_json::Value;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

/// A hang fails instead of blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(120);
/// When the simulated drills start: a Monday evening in Seoul.
const START: &str = "2026-01-05T21:00:00+09:00";

/// The simulated user's memory: FSRS-6 with stronger first memories, slower growth on recall and a steeper
/// forgetting curve than the defaults.
const TRUE: [f32; 21] = [
    0.6, 3.0, 6.0, 20.0, 6.4133, 0.8334, 3.0194, 0.001, 1.2, 0.1192, 0.7, 1.9395, 0.11, 0.29, 2.27, 0.2315, 2.9898,
    0.5166, 0.6621, 0.06, 0.35,
];

/// A scratch folder: `notes` (generated cards), `data` for progress, `cwd` to run in.
struct Env {
    root: TempDir,
    notes: PathBuf,
    data: PathBuf,
}

impl Env {
    /// A deck of `cards` generated cards and an empty data folder.
    fn new(cards: usize) -> Env {
        let root = TempDir::new().expect("a temporary directory");
        fs::create_dir(root.path().join("cwd")).expect("cwd made");
        let notes = root.path().join("notes.md");
        let mut text = String::from("---\ntopic: 면접\n---\n\n");
        for i in 0..cards {
            let _ = write!(text, "## 질문 {i}\n\n답 {i}: 소리 내어 설명합니다.\n\n");
        }
        fs::write(&notes, text).expect("notes written");
        let data = root.path().join("data");
        Env { root, notes, data }
    }

    fn cards(&self) -> Vec<Card> {
        Deck::from_files(source::read_paths(&[&self.notes])).cards
    }

    /// `amgi --notes NOTES --data-dir DATA` at `now`, in the scratch cwd.
    fn cmd(&self, now: Moment) -> Command {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        // Parsed decks are cached where the tests keep their files, not in the home folder.
        cmd.env("AMGI_CACHE", common::CACHE);
        cmd.current_dir(self.root.path().join("cwd"))
            .env_remove("AMGI_NOTES")
            .env_remove("AMGI_DATA")
            .env("AMGI_NOW", now.to_string())
            .arg("--notes")
            .arg(&self.notes)
            .arg("--data-dir")
            .arg(&self.data)
            .timeout(TIMEOUT);
        cmd
    }

    fn optimize(&self, now: Moment, args: &[&str]) -> Run {
        run(self.cmd(now).arg("optimize").args(args))
    }

    /// `amgi optimize --json`, expecting exit 0: the one JSON object it prints.
    fn optimize_json(&self, now: Moment) -> Value {
        let run = ok(self.optimize(now, &["--json"]));
        assert_eq!(run.stdout.lines().count(), 1, "one line of JSON: {}", run.stdout);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
    }

    fn store(&self) -> Store {
        Store::new(&self.data)
    }

    fn progress(&self) -> Progress {
        self.store()
            .load_progress()
            .expect("progress.yaml loads")
            .expect("progress.yaml exists")
    }

    fn progress_bytes(&self) -> Vec<u8> {
        fs::read(self.store().progress_path()).expect("progress.yaml readable")
    }

    /// progress.yaml and reviews.yaml, to compare before and after.
    fn snapshot(&self) -> (Vec<u8>, Vec<u8>) {
        (
            self.progress_bytes(),
            fs::read(self.store().reviews_path()).expect("reviews.yaml readable"),
        )
    }

    /// The backups of progress.yaml in the data folder, oldest first.
    fn backups(&self) -> Vec<PathBuf> {
        let store = self.store();
        store
            .backup_numbers()
            .expect("the data folder reads")
            .into_iter()
            .map(|n| store.backup_path(n))
            .collect()
    }

    fn clear_backups(&self) {
        for backup in self.backups() {
            fs::remove_file(backup).expect("a backup removed");
        }
    }

    /// Writes `lines` as reviews.yaml and has `amgi repair` make progress.yaml from it. Returns the moment an hour
    /// after the last answer.
    fn history(&self, lines: &[LogLine]) -> Moment {
        fs::create_dir_all(&self.data).expect("data folder made");
        let text: String = lines.iter().map(|l| render_line(l) + "\n").collect();
        fs::write(self.store().reviews_path(), text).expect("reviews.yaml written");
        let now = lines
            .last()
            .expect("some answers")
            .at()
            .plus(SignedDuration::from_hours(1));
        ok(run(self.cmd(now).arg("repair")));
        self.clear_backups();
        now
    }
}

fn ok(run: Run) -> Run {
    assert_eq!(run.code, Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    run
}

/// `days` evenings of drills on `cards` by a user whose memory follows [`TRUE`]: amgi's scheduler (default
/// parameters) says which cards are due, up to `new_per_day` new ones come in a day, about one evening in five is
/// skipped, and each answer is Again with the probability the true memory gives of forgetting by then.
fn simulate(cards: &[Card], new_per_day: usize, days: i64) -> Vec<LogLine> {
    let scheduler = Scheduler::new(DEFAULT_RETENTION, None).expect("default scheduler");
    let truth = Scheduler::new(DEFAULT_RETENTION, Some(&TRUE)).expect("true parameters are valid");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x2545_F491_4F6C_DD1D);
    let mut progress = Progress::default();
    let mut memory = vec![CardState::default(); cards.len()];
    let mut lines = Vec::new();
    let mut introduced = 0;
    let start: Moment = START.parse().expect("START is a moment");
    for day in 0..days {
        let evening = start
            .start_of(start.day().saturating_add(Span::new().days(day)))
            .plus(SignedDuration::from_hours(17));
        if rng.random::<f64>() < 0.2 {
            continue;
        }
        let mut today: Vec<usize> = (0..introduced)
            .filter(|&i| {
                progress
                    .cards
                    .get(&cards[i].id)
                    .is_some_and(|e| e.state.is_due(evening))
            })
            .collect();
        let new = new_per_day.min(cards.len() - introduced);
        today.extend(introduced..introduced + new);
        introduced += new;
        let mut now = evening;
        for i in today {
            loop {
                let state = progress
                    .cards
                    .get(&cards[i].id)
                    .map(|e| e.state.clone())
                    .unwrap_or_default();
                now = match state.due {
                    Some(due) if state.phase.is_learning() && due > now => due,
                    _ => now.plus(SignedDuration::from_secs(20)),
                };
                let recall = truth.retrievability(&memory[i], now).unwrap_or(0.8);
                let grade = match rng.random::<f64>() {
                    x if x >= f64::from(recall) => Grade::Again,
                    _ if rng.random::<f64>() < 0.1 => Grade::Hard,
                    _ if rng.random::<f64>() < 0.1 => Grade::Easy,
                    _ => Grade::Good,
                };
                memory[i] = truth.review(&cards[i].id, &memory[i], grade, now);
                let review = Review {
                    card: cards[i].id.clone(),
                    at: now,
                    grade,
                    mode: Mode::Drill,
                    ms: 4000,
                    rescheduled: false,
                };
                history::apply(&mut progress, &review, Some(&cards[i]), &scheduler);
                lines.push(LogLine::Review(review));
                if !progress.cards[&cards[i].id].state.phase.is_learning() {
                    break;
                }
            }
        }
    }
    lines
}

/// An env with four months of simulated drills on 400 cards; the moment to run at.
fn long_history() -> (Env, Moment) {
    let env = Env::new(400);
    let lines = simulate(&env.cards(), 12, 120);
    let now = env.history(&lines);
    (env, now)
}

fn metrics(report: &Value, key: &str) -> (f64, f64) {
    let m = &report[key];
    let number = |field: &str| m[field].as_f64().unwrap_or_else(|| panic!("{key}.{field} in {report}"));
    (number("log_loss"), number("rmse_bins"))
}

#[test]
fn too_little_history_is_explained_and_nothing_is_written() {
    let env = Env::new(5);
    let cards = env.cards();
    let start: Moment = START.parse().unwrap();
    // Each card answered once, then again three days later: five items, far fewer than the crate needs.
    let mut lines = Vec::new();
    for (day, grade) in [(0, Grade::Good), (3, Grade::Good)] {
        for card in &cards {
            lines.push(LogLine::Review(Review {
                card: card.id.clone(),
                at: start.plus(SignedDuration::from_hours(24 * day)),
                grade,
                mode: Mode::Drill,
                ms: 4000,
                rescheduled: false,
            }));
        }
    }
    let now = env.history(&lines);
    let before = env.snapshot();

    let text = ok(env.optimize(now, &[]));
    assert!(text.stdout.contains("Too little history"), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("10 answers on 5 cards; 5 of them came a day or more after"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("at least 8 usable answers"), "{}", text.stdout);
    assert!(text.stdout.contains("Nothing was changed"), "{}", text.stdout);

    let report = env.optimize_json(now);
    assert_eq!(report["outcome"], "too_little_history");
    assert_eq!(
        (report["reviews"].as_u64(), report["items"].as_u64()),
        (Some(10), Some(5))
    );
    assert_eq!(report["usable_items"], 0);
    assert_eq!(report["items_needed"], 8);
    assert_eq!(report["items_needed_for_all"], 64);
    assert_eq!(
        (report["held_out"].as_u64(), report["held_out_needed"].as_u64()),
        (Some(1), Some(8))
    );
    assert!(report["fitted"].is_null() && report["parameters"].is_null());

    assert!(env.snapshot() == before, "the files were changed");
    assert!(env.backups().is_empty());
}

#[test]
fn an_empty_data_folder_is_too_little_history() {
    let env = Env::new(3);
    let report = env.optimize_json(START.parse().unwrap());
    assert_eq!(report["outcome"], "too_little_history");
    assert_eq!(report["reviews"], 0);
    assert!(!env.store().progress_path().exists(), "nothing to save, nothing saved");
}

#[test]
fn json_keys_come_in_the_readmes_order_and_figures_with_4_decimals() {
    let (env, now) = long_history();
    let run = ok(env.optimize(now, &["--json"]));
    let keys = [
        "outcome",
        "reviews",
        "cards",
        "items",
        "usable_items",
        "held_out",
        "items_needed",
        "items_needed_for_all",
        "held_out_needed",
        "scope",
        "default",
        "current",
        "fitted",
        "parameters",
        "not_better_on",
        "due_moved",
        "backup",
    ];
    assert_eq!(common::keys_in_order(&run.stdout), keys);
    common::readme_documents_in_order("`--json` prints one object, keys in this order, figures rounded", &keys);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(report["fitted"].is_object(), "{report}");
    // Inner objects in order too (a parsed Value would sort them, so the text is looked at).
    assert!(run.stdout.contains(r#""fitted":{"log_loss":"#), "{}", run.stdout);
    assert!(common::most_decimals(&run.stdout) <= 4, "{}", run.stdout);
}

#[test]
fn a_long_history_is_fitted_saved_and_replayed_and_a_second_run_keeps_it() {
    let (env, now) = long_history();
    let before = env.progress_bytes();
    assert!(env.progress().settings.parameters.is_none());

    let report = env.optimize_json(now);
    assert_eq!(report["outcome"], "saved", "{report}");
    assert_eq!(report["scope"], "all");
    let (default_loss, default_rmse) = metrics(&report, "default");
    let (fitted_loss, fitted_rmse) = metrics(&report, "fitted");
    assert!(fitted_loss < default_loss, "{report}");
    assert!(fitted_rmse > 0.0 && default_rmse > 0.0);
    assert!(report["current"].is_null(), "no parameters were saved before");
    assert!(report["usable_items"].as_u64().unwrap() >= 64, "{report}");
    let due_moved = report["due_moved"].as_u64().expect("due_moved");
    assert!(due_moved > 0 && due_moved <= 400, "{report}");

    let parameters: Vec<f64> = report["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| p.as_f64().unwrap())
        .collect();
    assert_eq!(parameters.len(), 21);
    // Shown to 4 decimals; progress.yaml keeps them whole.
    let progress = env.progress();
    let saved = progress.settings.parameters.as_deref().expect("saved parameters");
    assert_eq!(saved.len(), 21);
    for (shown, saved) in parameters.iter().zip(saved) {
        assert!((shown - f64::from(*saved)).abs() <= 0.00005, "{shown} {saved}");
    }
    let text = String::from_utf8(env.progress_bytes()).unwrap();
    assert!(text.contains("\n  parameters:\n"), "{}", &text[..400.min(text.len())]);
    let backups = env.backups();
    assert_eq!(backups.len(), 1);
    assert_eq!(fs::read(&backups[0]).unwrap(), before, "the old file is kept");
    assert_eq!(report["backup"].as_str().map(Path::new), Some(backups[0].as_path()));

    // The parameters are a line of the log, dated before its first answer: they schedule the whole history.
    let log = fs::read_to_string(env.store().reviews_path()).unwrap();
    let last = log.lines().last().unwrap();
    assert!(
        last.starts_with("- {at: ") && last.contains(", parameters: ["),
        "{last}"
    );
    // progress.yaml is exactly what replaying reviews.yaml with the saved settings gives.
    let saved = env.progress_bytes();
    ok(run(env.cmd(now).arg("repair")));
    assert_eq!(env.progress_bytes(), saved, "repair gives the same file");

    // The same history fitted again gives the same parameters: not better, nothing written.
    env.clear_backups();
    let snapshot = env.snapshot();
    let again = env.optimize_json(now);
    assert_eq!(again["outcome"], "not_better", "{again}");
    assert_eq!(metrics(&again, "current").0, fitted_loss);
    assert!(metrics(&again, "fitted").0 >= metrics(&again, "current").0);
    assert!(again["due_moved"].is_null());
    assert!(env.snapshot() == snapshot, "the files were changed");
    assert!(env.backups().is_empty());

    let text = ok(env.optimize(now, &[]));
    for expected in [
        "log loss",
        "RMSE(bins)",
        "default parameters",
        "saved parameters",
        "fitted parameters",
    ] {
        assert!(text.stdout.contains(expected), "{expected:?} in\n{}", text.stdout);
    }
    assert!(text.stdout.contains("no better than the saved ones"), "{}", text.stdout);
    assert!(env.snapshot() == snapshot);
}

#[test]
fn the_text_report_says_what_was_saved_and_how_many_cards_moved() {
    let (env, now) = long_history();
    let run = ok(env.optimize(now, &[]));
    assert!(run.stdout.contains("History: "), "{}", run.stdout);
    assert!(
        run.stdout.contains("answers, which the fit did not see:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("better than the default ones (lower log loss and RMSE): saved them in"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Kept the old file as"), "{}", run.stdout);
    assert!(
        run.stdout.contains("cards are now due at another time"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {:?}",
        run.stderr
    );
}

#[test]
fn without_progress_yaml_the_fit_is_saved_in_a_new_one_made_from_the_log() {
    let (env, now) = long_history();
    let expected_cards = env.progress().cards.len();
    fs::remove_file(env.store().progress_path()).unwrap();
    let report = env.optimize_json(now);
    assert_eq!(report["outcome"], "saved", "{report}");
    assert!(
        report["backup"].is_null() && env.backups().is_empty(),
        "no old file to keep"
    );
    let progress = env.progress();
    assert_eq!(progress.cards.len(), expected_cards);
    assert!(progress.settings.parameters.is_some());
    let saved = env.progress_bytes();
    ok(run(env.cmd(now).arg("repair")));
    assert_eq!(env.progress_bytes(), saved, "repair gives the same file");
}

#[test]
fn a_busy_data_folder_is_refused_with_exit_3() {
    let (env, now) = long_history();
    let before = env.snapshot();
    let lock = env.store().lock().expect("the test takes the lock");
    let run = env.optimize(now, &[]);
    assert_eq!(run.code, Some(3), "stderr:\n{}", run.stderr);
    assert!(run.stderr.contains("another amgi session is running"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    drop(lock);
    assert!(env.snapshot() == before, "the files were changed");
}

#[test]
fn an_unreadable_progress_yaml_is_refused_naming_the_file() {
    let (env, now) = long_history();
    let path = env.store().progress_path();
    fs::write(&path, "version: 1\nsettings: [oops\n").unwrap();
    let before = env.snapshot();
    let run = env.optimize(now, &[]);
    assert_eq!(run.code, Some(1), "stderr:\n{}", run.stderr);
    assert!(run.stderr.contains(&path.display().to_string()), "{}", run.stderr);
    assert!(run.stderr.contains("amgi repair"), "{}", run.stderr);
    assert!(env.snapshot() == before, "the files were changed");
    assert!(env.backups().is_empty());
}

#[test]
fn a_torn_last_line_is_reported_and_skipped() {
    let (env, now) = long_history();
    let mut log = fs::read(env.store().reviews_path()).unwrap();
    let lines = log.iter().filter(|&&b| b == b'\n').count();
    log.extend_from_slice("- {card: \"면접/질문 1\", at: 2026-0".as_bytes());
    fs::write(env.store().reviews_path(), &log).unwrap();
    let report = ok(env.optimize(now, &["--json"]));
    assert!(
        report
            .stderr
            .contains(&format!("reviews.yaml:{}: this line was cut off", lines + 1)),
        "{}",
        report.stderr
    );
    assert!(report.stdout.contains("\"outcome\":\"saved\""), "{}", report.stdout);
}

#[test]
fn parameters_and_retention_changed_midway_are_replayed_as_each_answer_was_scheduled() {
    let (env, now) = long_history();
    assert_eq!(env.optimize_json(now)["outcome"], "saved");
    // Drills go on with the fitted parameters, then at another retention.
    let day = |n: i64| now.plus(jiff::SignedDuration::from_hours(24 * n));
    let answers: String = ["3", "1", "3", "3", "4", "2"]
        .iter()
        .cycle()
        .take(40)
        .map(|g| format!("\n{g}\n"))
        .collect();
    for (n, args) in [
        (1, &[][..]),
        (2, &[]),
        (3, &["--retention", "0.8"][..]),
        (5, &[]),
        (8, &[]),
    ] {
        ok(run(env
            .cmd(day(n))
            .arg("--plain")
            .args(args)
            .write_stdin(answers.clone())));
    }
    assert_eq!(env.progress().settings.retention, Some(0.8));
    let live = env.progress_bytes();
    ok(run(env.cmd(day(9)).arg("repair")));
    assert!(
        env.progress_bytes() == live,
        "repair gives progress.yaml back byte for byte"
    );
}
