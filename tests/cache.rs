//! The cache of parsed notes, through the real binary: whatever the cache holds (nothing, this deck, a damaged
//! or foreign file), every output is the one a fresh parse gives, and the cache never lands in the notes.

mod common;

use assert_cmd::Command;
use common::run;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(120);
const NOW: &str = "2026-12-01T09:00:00+09:00";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Everything a deck shows: the cards, the findings, and a plain quiz that answers a few cards and quits.
/// `notes` is `None` for the bundled deck.
fn outputs(notes: Option<&Path>, cache: &Path, work: &Path) -> Vec<String> {
    let data = tempfile::tempdir_in(work).expect("a data folder");
    let runs: [(&[&str], &str); 4] = [
        (&["cards", "--json"], ""),
        (&["check", "--json"], ""),
        (&["check"], ""),
        (&["--plain"], "\n3\n\n1\n\n4\nq\n"),
    ];
    runs.iter()
        .map(|(args, input)| {
            let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
            cmd.current_dir(work)
                .env_remove("AMGI_NOTES")
                .env("AMGI_CACHE", cache)
                .env("AMGI_NOW", NOW)
                .env("COLUMNS", "80")
                .arg("--data-dir")
                .arg(data.path())
                .args(*args)
                .write_stdin(*input)
                .timeout(TIMEOUT);
            if let Some(notes) = notes {
                cmd.arg("--notes").arg(notes);
            }
            let out = run(&mut cmd);
            assert!(
                !out.stdout.is_empty() || args[0] == "check",
                "{args:?} printed nothing (exit {:?}); stderr:\n{}",
                out.code,
                out.stderr
            );
            format!("{args:?} exit {:?}\n{}\n{}", out.code, out.stdout, out.stderr)
        })
        .collect()
}

/// The one cache file in `cache`.
fn cache_file(cache: &Path) -> PathBuf {
    let files: Vec<PathBuf> = fs::read_dir(cache)
        .expect("the cache folder was made")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(files.len(), 1, "one cache file, no temporary left: {files:?}");
    files.into_iter().next().expect("one file")
}

/// A fresh parse, then the same from the cache, then from each kind of damaged cache: the same bytes every time.
fn same_from_any_cache(notes: Option<&Path>) {
    let work = TempDir::new().expect("a temporary folder");
    let cache = work.path().join("cache");
    let fresh = outputs(notes, &cache, work.path());
    let file = cache_file(&cache);
    let good = fs::read(&file).expect("the cache");
    assert_eq!(outputs(notes, &cache, work.path()), fresh, "from the cache");
    assert_eq!(
        fs::read(&file).expect("the cache"),
        good,
        "an unchanged deck leaves the cache alone"
    );
    let mut future = good.clone();
    future[8] += 1;
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    let damaged: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("truncated", good[..good.len() * 2 / 3].to_vec()),
        ("corrupt", flipped),
        ("a newer format", future),
        ("not a cache", b"\x00garbage".repeat(1000)),
    ];
    for (what, bytes) in damaged {
        fs::write(&file, bytes).expect("a damaged cache");
        assert_eq!(
            outputs(notes, &cache, work.path()),
            fresh,
            "from a cache that is {what}"
        );
        assert_eq!(
            fs::read(&file).expect("the cache"),
            good,
            "a cache that was {what} is rebuilt"
        );
    }
    fs::remove_file(&file).expect("the cache deleted");
    assert_eq!(
        outputs(notes, &cache, work.path()),
        fresh,
        "after the cache was deleted"
    );
    // A folder where the cache cannot be written: no cache, same outputs, no error.
    let blocked = work.path().join("blocked");
    fs::write(&blocked, "a file, not a folder").expect("a file");
    assert_eq!(outputs(notes, &blocked, work.path()), fresh, "with no cache to write");
}

#[test]
fn the_fixtures_come_back_from_the_cache_as_parsed() {
    same_from_any_cache(Some(&fixtures().join("deck")));
    same_from_any_cache(Some(&fixtures().join("quiz")));
    same_from_any_cache(Some(&fixtures().join("findings.md")));
}

#[test]
fn the_bundled_deck_comes_back_from_the_cache_as_parsed() {
    same_from_any_cache(None);
}

#[test]
fn an_edit_that_keeps_the_length_and_the_mtime_is_seen() {
    let work = TempDir::new().expect("a temporary folder");
    let notes = work.path().join("notes");
    fs::create_dir(&notes).expect("a notes folder");
    let file = notes.join("net.md");
    fs::write(&file, "## 질문\n\n첫째 답\n").expect("notes");
    fs::write(notes.join("os.md"), "## 다른 질문\n\n다른 답\n").expect("notes");
    let cache = work.path().join("cache");
    let before = outputs(Some(&notes), &cache, work.path());
    assert!(before[0].contains("첫째 답"));
    let mtime = fs::metadata(&file).and_then(|m| m.modified()).expect("an mtime");
    fs::write(&file, "## 질문\n\n둘째 답\n").expect("the edit");
    fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(mtime))
        .expect("the old mtime back");
    let edited = outputs(Some(&notes), &cache, work.path());
    assert!(
        edited[0].contains("둘째 답") && !edited[0].contains("첫째 답"),
        "{}",
        edited[0]
    );
    let fresh = outputs(Some(&notes), &work.path().join("fresh cache"), work.path());
    assert_eq!(edited, fresh);
}

#[test]
fn the_cache_is_never_written_into_the_notes_or_their_git_repo() {
    let work = TempDir::new().expect("a temporary folder");
    let repo = work.path().join("repo");
    let notes = repo.join("notes");
    fs::create_dir_all(repo.join(".git")).expect("a repo");
    fs::create_dir(&notes).expect("a notes folder");
    fs::write(notes.join("net.md"), "## 질문\n\n답\n").expect("notes");
    for inside in [notes.join("cache"), repo.join(".cache")] {
        let fresh = outputs(Some(&notes), &work.path().join("elsewhere"), work.path());
        assert_eq!(outputs(Some(&notes), &inside, work.path()), fresh);
        assert!(!inside.exists(), "{} was made", inside.display());
    }
}

#[test]
fn caches_unused_for_a_month_are_removed_when_one_is_written() {
    let work = TempDir::new().expect("a temporary folder");
    let cache = work.path().join("cache");
    fs::create_dir(&cache).expect("a cache folder");
    let ago = |secs: u64| std::time::SystemTime::now() - Duration::from_secs(secs);
    let aged = |name: &str, when: std::time::SystemTime| {
        let path = cache.join(name);
        fs::write(&path, "old").expect("a file");
        fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(when))
            .expect("an old mtime");
        path
    };
    let month = 31 * 24 * 60 * 60;
    let (old_deck, old_temp, other) = (
        aged("0123456789abcdef.deck", ago(month)),
        aged("x.deck.7.tmp", ago(month)),
        aged("notes.md", ago(month)),
    );
    // A write a kill cut short leaves its temporary file: gone once it is an hour old, not while it may be written.
    let (left_behind, being_written) = (aged("y.deck.8.tmp", ago(2 * 60 * 60)), aged("z.deck.9.tmp", ago(5)));
    let recent = cache.join("fedcba9876543210.deck");
    fs::write(&recent, "recent").expect("a file");
    outputs(Some(&fixtures().join("quiz")), &cache, work.path());
    assert!(
        !old_deck.exists() && !old_temp.exists() && !left_behind.exists(),
        "old caches removed"
    );
    assert!(
        other.exists() && recent.exists() && being_written.exists(),
        "what is recent or not a cache is left alone"
    );
}
