//! Progress carried between machines by git: `amgi init` keeps a deck's progress in its notes repository, and after
//! `amgi sync` (or a plain `git pull`) both machines hold the same progress.yaml, a replay of the union of their
//! answers. Real git, in temporary folders, with a bare repository on disk as the remote; nothing of the user's git
//! configuration is read (`HOME` is the test's, `GIT_CONFIG_NOSYSTEM`).

mod common;

use amgi::store::{LogLine, Store};
use assert_cmd::Command;
use common::{Run, run};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(60);
const NOTES: &str = "---\ntopic: 네트워크\n---\n\n## TCP란?\n\n연결 지향 프로토콜입니다.\n\n## UDP란?\n\n비연결 데이터그램입니다.\n\n\
## DNS란?\n\n이름을 주소로 바꿉니다.\n\n## HTTP란?\n\n요청과 응답의 규약입니다.\n";

/// A remote (a bare repository) and the machines that clone it, each with its own data folder.
struct World {
    tmp: TempDir,
    /// The notes folder in each clone, and the deck's folder there.
    notes: &'static str,
    deck: &'static str,
}

impl World {
    /// Two machines, `a` and `b`, that drilled the same morning: TCP and UDP on `a`, UDP and DNS on `b`.
    fn drilled_on_both() -> World {
        let world = World::new();
        world.clone("b");
        world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP", "UDP"], 2);
        world.drill("b", "2026-12-01T10:00:00+09:00", &["UDP", "DNS"], 2);
        world
    }

    /// The remote, and machine `a` with the notes committed, `amgi init` run and pushed.
    fn new() -> World {
        World::with_notes("notes", ".amgi", ".")
    }

    /// The remote, and machine `a` with the notes in `notes`, `amgi init INIT` run (the deck in `deck`), all
    /// committed and pushed.
    fn with_notes(notes: &'static str, deck: &'static str, init: &str) -> World {
        let world = World {
            tmp: TempDir::new().expect("a temporary folder"),
            notes,
            deck,
        };
        fs::create_dir_all(world.path("home")).unwrap();
        world.git_in(&world.path(""), &["init", "-q", "--bare", "-b", "main", "remote.git"]);
        let a = world.path("a");
        fs::create_dir_all(a.join(notes)).unwrap();
        fs::write(a.join(notes).join("네트워크.md"), NOTES).unwrap();
        world.git("a", &["init", "-q", "-b", "main"]);
        let init = world.amgi("a", "2026-12-01T08:00:00+09:00", &["init", init], "");
        assert_eq!(init.code, Some(0), "{}", init.stderr);
        assert!(a.join(deck).join(".gitattributes").exists());
        world.git("a", &["add", "-A"]);
        world.git("a", &["commit", "-q", "-m", "notes"]);
        world.git("a", &["remote", "add", "origin", "../remote.git"]);
        world.git("a", &["push", "-q", "-u", "origin", "main"]);
        world
    }

    /// Machine `name` cloned from the remote.
    fn clone(&self, name: &str) {
        self.git_in(&self.path(""), &["clone", "-q", "remote.git", name]);
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn git_cmd(&self, dir: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(dir);
        self.env(&mut cmd);
        cmd
    }

    fn env(&self, cmd: &mut std::process::Command) {
        cmd.env("HOME", self.path("home"))
            .envs(common::GIT_ENV)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
    }

    /// git in machine `machine`'s clone; must succeed. Its stdout.
    fn git(&self, machine: &str, args: &[&str]) -> String {
        self.git_in(&self.path(machine), args)
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.git_cmd(dir).args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// git that may fail: its exit status and what it said.
    fn git_may_fail(&self, machine: &str, args: &[&str]) -> (bool, String) {
        let out = self.git_cmd(&self.path(machine)).args(args).output().expect("git runs");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), said)
    }

    /// `amgi --notes notes ARGS` on machine `machine`, at `now`, from its clone.
    fn amgi(&self, machine: &str, now: &str, args: &[&str], input: &str) -> Run {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        // Parsed decks are cached where the tests keep their files, not in the home folder.
        cmd.env("AMGI_CACHE", common::CACHE);
        cmd.current_dir(self.path(machine))
            .env("HOME", self.path("home"))
            .envs(common::GIT_ENV)
            .env_remove("AMGI_NOTES")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env("AMGI_DATA", self.path(&format!("data-{machine}")))
            .env("AMGI_NOW", now)
            .args(["--notes", self.notes])
            .args(args)
            .write_stdin(input)
            .timeout(TIMEOUT);
        run(&mut cmd)
    }

    fn ok(&self, machine: &str, now: &str, args: &[&str], input: &str) -> Run {
        let run = self.amgi(machine, now, args, input);
        assert_eq!(
            run.code,
            Some(0),
            "amgi {args:?} on {machine}\nstdout:\n{}\nstderr:\n{}",
            run.stdout,
            run.stderr
        );
        run
    }

    /// Good to each card a `--topic` drill on `machine` asks (the input ends after `cards` answers).
    fn drill(&self, machine: &str, now: &str, topics: &[&str], cards: usize) {
        let mut args = vec!["--plain"];
        for topic in topics {
            args.extend(["--topic", topic]);
        }
        self.ok(machine, now, &args, &"\n\n".repeat(cards));
    }

    fn progress(&self, machine: &str) -> Vec<u8> {
        fs::read(self.path(machine).join(self.deck).join("progress.yaml")).expect("progress.yaml is there")
    }

    fn store(&self, machine: &str) -> Store {
        Store::new(self.path(machine).join(self.deck))
    }

    /// progress.yaml as a replay of `machine`'s reviews.yaml alone gives it, in a data folder of its own.
    fn replayed(&self, machine: &str) -> Vec<u8> {
        let alone = self.path(&format!("replay-{machine}"));
        let _ = fs::remove_dir_all(&alone);
        fs::create_dir_all(&alone).unwrap();
        fs::copy(self.store(machine).reviews_path(), alone.join("reviews.yaml")).unwrap();
        let dir = alone.display().to_string();
        self.ok(
            machine,
            "2026-12-02T12:00:00+09:00",
            &["--data-dir", &dir, "repair"],
            "",
        );
        fs::read(alone.join("progress.yaml")).unwrap()
    }

    /// progress.yaml as `amgi repair` rebuilds it at `now` from `machine`'s reviews.yaml alone, in a data folder of
    /// its own.
    fn replayed_at(&self, machine: &str, now: &str) -> Vec<u8> {
        let alone = self.path(&format!("replay-{machine}"));
        let _ = fs::remove_dir_all(&alone);
        fs::create_dir_all(&alone).unwrap();
        fs::copy(self.store(machine).reviews_path(), alone.join("reviews.yaml")).unwrap();
        let dir = alone.display().to_string();
        self.ok(machine, now, &["--data-dir", &dir, "repair"], "");
        fs::read(alone.join("progress.yaml")).unwrap()
    }

    /// The answers reviews.yaml holds, each counted once, and each card's `reps` in progress.yaml.
    fn answers(&self, machine: &str) -> (usize, Vec<(String, u32)>) {
        let store = self.store(machine);
        let log = store.read_log(0).expect("the log reads");
        let answers = log.lines.iter().filter(|l| matches!(l, LogLine::Review(_))).count();
        let progress = store
            .load_progress()
            .expect("progress.yaml reads")
            .expect("there is one");
        let reps = progress
            .cards
            .iter()
            .map(|(id, e)| (id.as_str().to_string(), e.state.reps))
            .collect();
        (answers, reps)
    }

    /// Nothing left to commit in `machine`'s clone (machine-local files are ignored).
    fn assert_clean(&self, machine: &str) {
        let status = self.git(machine, &["status", "--porcelain", "--untracked-files=all"]);
        assert!(status.trim().is_empty(), "{machine} has changes left:\n{status}");
    }
}

const REPS: [(&str, u32); 3] = [("네트워크/DNS란?", 1), ("네트워크/TCP란?", 1), ("네트워크/UDP란?", 2)];

fn reps() -> Vec<(String, u32)> {
    REPS.iter().map(|(id, n)| (id.to_string(), *n)).collect()
}

/// The state both machines must end in: the same progress.yaml, byte for byte, a replay of the union of their
/// answers, each counted once (UDP was answered on both, once each), and nothing left to commit.
fn assert_same_on_both(world: &World) {
    let (a, b) = (world.progress("a"), world.progress("b"));
    assert_eq!(
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&b),
        "progress.yaml differs between the machines"
    );
    assert_eq!(
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&world.replayed("a")),
        "progress.yaml is not a replay of the merged log"
    );
    for machine in ["a", "b"] {
        assert_eq!(world.answers(machine), (4, reps()), "on {machine}");
    }
}

#[test]
fn two_machines_sync_both_ways_and_end_with_the_same_progress() {
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.clone("b");
    // Different cards on each, and UDP on both the same day.
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP", "UDP"], 2);
    world.drill("b", "2026-12-01T10:00:00+09:00", &["UDP", "DNS"], 2);
    // The interview plan set on both: the later one wins on both.
    world.ok(
        "a",
        "2026-12-01T09:10:00+09:00",
        &["plan", "--interview", "2026-12-20"],
        "",
    );
    world.ok(
        "b",
        "2026-12-01T10:10:00+09:00",
        &["plan", "--interview", "2026-12-24"],
        "",
    );

    let first = world.ok("a", "2026-12-01T11:00:00+09:00", &["sync"], "");
    assert!(
        first.stdout.contains("commit: 2 answers, 2026-12-01"),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("push: origin main"), "{}", first.stdout);
    let second = world.ok("b", "2026-12-01T11:05:00+09:00", &["sync", "--json"], "");
    let report: serde_json::Value = serde_json::from_str(second.stdout.trim()).expect("one JSON object");
    assert_eq!(report["committed"], "2 answers, 2026-12-01", "{report}");
    assert_eq!(report["answers"], 2);
    assert_eq!(report["pull"], "merged", "{report}");
    assert_eq!(report["rebuilt"], true);
    assert_eq!(report["pushed"], true);
    assert_eq!(report["error"], serde_json::Value::Null);
    assert_eq!(
        common::keys_in_order(second.stdout.trim()),
        ["repo", "committed", "answers", "pull", "rebuilt", "pushed", "error"]
    );
    let third = world.ok("a", "2026-12-01T11:10:00+09:00", &["sync"], "");
    assert!(third.stdout.contains("fast-forwarded"), "{}", third.stdout);
    assert_same_on_both(&world);
    for machine in ["a", "b"] {
        world.assert_clean(machine);
        let plan = world.ok(machine, "2026-12-01T12:00:00+09:00", &["plan", "--json"], "");
        assert!(plan.stdout.contains(r#""interview":"2026-12-24""#), "{}", plan.stdout);
    }
    // A sync with nothing new changes nothing.
    let again = world.ok("b", "2026-12-01T12:00:00+09:00", &["sync"], "");
    assert!(again.stdout.contains("nothing new to commit"), "{}", again.stdout);
    assert_same_on_both(&world);
}

#[test]
fn a_plain_git_pull_then_stats_merges_without_a_conflict() {
    if !common::have_git() {
        return;
    }
    let world = World::drilled_on_both();
    world.git("a", &["add", "-A"]);
    world.git("a", &["commit", "-q", "-m", "laptop"]);
    world.git("a", &["push", "-q"]);
    world.git("b", &["add", "-A"]);
    world.git("b", &["commit", "-q", "-m", "desktop"]);
    let (merged, said) = world.git_may_fail("b", &["pull", "--no-rebase", "--no-edit"]);
    assert!(merged && !said.contains("CONFLICT"), "{said}");
    let stats = world.ok("b", "2026-12-01T11:00:00+09:00", &["stats", "--json"], "");
    assert!(stats.stdout.contains(r#""seen":3"#), "{}", stats.stdout);
    world.git("b", &["add", "-A"]);
    world.git("b", &["commit", "-q", "-m", "progress"]);
    world.git("b", &["push", "-q"]);
    world.git("a", &["pull", "-q", "--no-rebase"]);
    world.ok("a", "2026-12-01T11:05:00+09:00", &["stats", "--json"], "");
    assert_same_on_both(&world);
    world.assert_clean("a");
}

#[test]
fn a_rebase_counts_every_answer_once() {
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.clone("b");
    world.git("b", &["config", "pull.rebase", "true"]);
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP", "UDP"], 2);
    world.drill("b", "2026-12-01T10:00:00+09:00", &["UDP", "DNS"], 2);
    world.ok("a", "2026-12-01T11:00:00+09:00", &["sync"], "");
    // A line copied again (as a rebase of a merged log can leave it) counts once.
    let log = world.store("b").reviews_path();
    let text = fs::read_to_string(&log).unwrap();
    fs::write(
        &log,
        format!("{text}{}", text.lines().next().unwrap().to_owned() + "\n"),
    )
    .unwrap();
    let b = world.ok("b", "2026-12-01T11:05:00+09:00", &["sync", "--json"], "");
    assert!(b.stdout.contains(r#""pull":"rebased""#), "{}", b.stdout);
    world.ok("a", "2026-12-01T11:10:00+09:00", &["sync"], "");
    assert_same_on_both(&world);
    world.assert_clean("b");
}

#[test]
fn a_conflict_left_in_progress_yaml_is_rebuilt_from_the_log() {
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.clone("b");
    // The user's own merge strategy for progress.yaml, ahead of the deck's `.gitattributes`: a text merge.
    fs::write(world.path("b/.git/info/attributes"), "progress.yaml merge=text\n").unwrap();
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP", "UDP"], 2);
    world.drill("b", "2026-12-01T10:00:00+09:00", &["UDP", "DNS"], 2);
    world.ok("a", "2026-12-01T11:00:00+09:00", &["sync"], "");
    world.git("b", &["add", "-A"]);
    world.git("b", &["commit", "-q", "-m", "desktop"]);
    let (merged, said) = world.git_may_fail("b", &["pull", "--no-rebase", "--no-edit"]);
    assert!(!merged && said.contains("progress.yaml"), "{said}");
    assert!(String::from_utf8_lossy(&world.progress("b")).contains("<<<<<<<"));
    // Any command sees the conflict and rebuilds progress.yaml from the log, keeping the file as a backup.
    let stats = world.ok("b", "2026-12-01T11:05:00+09:00", &["stats", "--json"], "");
    assert!(stats.stderr.contains("merge conflict"), "{}", stats.stderr);
    assert!(!String::from_utf8_lossy(&world.progress("b")).contains("<<<<<<<"));
    assert!(world.path("b/.amgi/progress.yaml.bak.1").exists());
    assert_eq!(world.progress("b"), world.replayed("b"));
    // sync finishes the merge the user left, and pushes it.
    let sync = world.ok("b", "2026-12-01T11:06:00+09:00", &["sync"], "");
    assert!(sync.stdout.contains("finished the merge"), "{}", sync.stdout);
    world.ok("a", "2026-12-01T11:10:00+09:00", &["sync"], "");
    assert_same_on_both(&world);
    world.assert_clean("b");
}

#[test]
fn a_push_rejected_because_the_remote_moved_on_is_pulled_again() {
    if !common::have_git() {
        return;
    }
    let world = World::drilled_on_both();
    world.git("b", &["add", "-A"]);
    world.git("b", &["commit", "-q", "-m", "desktop"]);
    // Between a's pull and its push, b pushes: once.
    let hook = world.path("a/.git/hooks/pre-push");
    fs::write(
        &hook,
        format!(
            "#!/bin/sh\nif [ ! -e \"{done}\" ]; then touch \"{done}\"; git -C \"{b}\" push -q origin main; fi\n",
            done = world.path("hook-ran").display(),
            b = world.path("b").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let a = world.ok("a", "2026-12-01T11:00:00+09:00", &["sync"], "");
    assert!(world.path("hook-ran").exists());
    assert!(
        a.stdout.contains("moved on since the pull; pulling again"),
        "{}",
        a.stdout
    );
    world.ok("b", "2026-12-01T11:10:00+09:00", &["sync"], "");
    assert_same_on_both(&world);
}

#[test]
fn a_push_that_fails_says_so_in_gits_words_and_loses_nothing() {
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP"], 1);
    // The remote refuses every push, with a message that tries to retitle the terminal.
    let hook = world.path("remote.git/hooks/pre-receive");
    executable(
        &hook,
        &format!(
            "#!/bin/sh\necho refused >> \"{}\"\nprintf '저장소가 잠겨 있습니다 \\033]0;pwned\\007\\n' >&2\nexit 1\n",
            world.path("refusals").display()
        ),
    );
    let before = fs::read(world.store("a").reviews_path()).unwrap();
    let failed = world.amgi("a", "2026-12-01T11:00:00+09:00", &["sync"], "");
    assert_eq!(failed.code, Some(1), "{}", failed.stderr);
    // What the server said, made safe to show, and no second try: the remote has not moved on.
    assert!(failed.stderr.contains("저장소가 잠겨 있습니다"), "{}", failed.stderr);
    assert!(
        !failed.stderr.contains('\x1b') && !failed.stderr.contains('\x07'),
        "{:?}",
        failed.stderr
    );
    assert!(!failed.stdout.contains("moved on"), "{}", failed.stdout);
    assert_eq!(fs::read_to_string(world.path("refusals")).unwrap(), "refused\n");
    let json = world.amgi("a", "2026-12-01T11:00:00+09:00", &["sync", "--json"], "");
    assert_eq!(json.code, Some(1), "{}", json.stderr);
    assert!(json.stdout.contains(r#""step":"push""#), "{}", json.stdout);
    assert_eq!(fs::read(world.store("a").reviews_path()).unwrap(), before);
    world.assert_clean("a");
    // Once the remote takes pushes again, the next sync sends the answer.
    fs::remove_file(&hook).unwrap();
    world.ok("a", "2026-12-01T11:05:00+09:00", &["sync"], "");
    let remote_log = world.git_in(&world.path("remote.git"), &["show", "main:.amgi/reviews.yaml"]);
    assert_eq!(remote_log.as_bytes(), before);
}

#[test]
fn a_deck_without_git_is_told_what_to_do() {
    if !common::have_git() {
        return;
    }
    let world = World {
        tmp: TempDir::new().unwrap(),
        notes: "notes",
        deck: ".amgi",
    };
    fs::create_dir_all(world.path("home")).unwrap();
    let dir = world.path("a/notes");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("네트워크.md"), NOTES).unwrap();
    // Progress in the data folder: init first.
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP"], 1);
    let outside = world.amgi("a", "2026-12-01T10:00:00+09:00", &["sync"], "");
    assert_eq!(outside.code, Some(1));
    assert!(outside.stderr.contains("amgi init"), "{}", outside.stderr);
    // init moves it, once, and says so; a second init changes nothing.
    let init = world.ok("a", "2026-12-01T10:00:00+09:00", &["init", "."], "");
    assert!(
        init.stdout.contains("moved this deck's progress (1 answer, 1 card)"),
        "{}",
        init.stdout
    );
    assert!(fs::read_dir(world.path("data-a/decks")).unwrap().next().is_none());
    let again = world.ok("a", "2026-12-01T10:00:00+09:00", &["init", "."], "");
    assert!(again.stdout.contains("already"), "{}", again.stdout);
    let stats = world.ok("a", "2026-12-01T10:00:00+09:00", &["stats", "--json"], "");
    assert!(stats.stdout.contains(r#""seen":1"#), "{}", stats.stdout);
    assert!(stats.stdout.contains("/a/.amgi"), "{}", stats.stdout);
    // No git repository: it says how to make one and add a remote.
    let bare = world.amgi("a", "2026-12-01T10:00:00+09:00", &["sync"], "");
    assert_eq!(bare.code, Some(1));
    for step in ["git init", "git remote add origin"] {
        assert!(bare.stderr.contains(step), "{}", bare.stderr);
    }
    // A repository without a remote: the answers are committed, and it says to add one.
    world.git("a", &["init", "-q", "-b", "main"]);
    let lonely = world.amgi("a", "2026-12-01T10:00:00+09:00", &["sync"], "");
    assert_eq!(lonely.code, Some(1));
    assert!(lonely.stderr.contains("git remote add origin"), "{}", lonely.stderr);
    let ignored = world.git("a", &["status", "--porcelain", "--ignored"]);
    assert!(ignored.contains("lock") && ignored.contains("install-id"), "{ignored}");
    let tracked = world.git("a", &["ls-files"]);
    assert!(
        !tracked.contains("lock") && !tracked.contains("install-id"),
        "{tracked}"
    );
}

/// Writes `text` to `path`, executable (a hook).
fn executable(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_sync_on_a_detached_head_commits_nothing_and_says_to_switch() {
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.git("a", &["switch", "-q", "--detach"]);
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP"], 1);
    let head = world.git("a", &["rev-parse", "HEAD"]);
    let log = fs::read(world.store("a").reviews_path()).unwrap();
    let detached = world.amgi("a", "2026-12-01T10:00:00+09:00", &["sync"], "");
    assert_eq!(detached.code, Some(1), "{}", detached.stderr);
    assert!(detached.stderr.contains("git switch"), "{}", detached.stderr);
    assert_eq!(
        world.git("a", &["rev-parse", "HEAD"]),
        head,
        "a commit was made on the detached HEAD"
    );
    // Back on the branch the answer is still there, and the next sync sends it.
    world.git("a", &["switch", "-q", "main"]);
    assert_eq!(fs::read(world.store("a").reviews_path()).unwrap(), log);
    world.ok("a", "2026-12-01T10:05:00+09:00", &["sync"], "");
    let remote_log = world.git_in(&world.path("remote.git"), &["show", "main:.amgi/reviews.yaml"]);
    assert_eq!(remote_log.as_bytes(), log);
}

#[test]
fn a_conflict_in_a_deck_under_a_korean_folder_is_settled() {
    if !common::have_git() {
        return;
    }
    // The deck in `노트/.amgi`, a path git quotes in its line output.
    let world = World::with_notes("노트", "노트/.amgi", "노트");
    world.clone("b");
    // b merges both files as text, ahead of the deck's `.gitattributes`: both conflict.
    fs::write(world.path("b/.git/info/attributes"), "*.yaml merge=text\n").unwrap();
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP", "UDP"], 2);
    world.drill("b", "2026-12-01T10:00:00+09:00", &["UDP", "DNS"], 2);
    world.ok("a", "2026-12-01T11:00:00+09:00", &["sync"], "");
    let b = world.ok("b", "2026-12-01T11:05:00+09:00", &["sync", "--json"], "");
    assert!(b.stdout.contains(r#""pull":"merged""#), "{}", b.stdout);
    world.ok("a", "2026-12-01T11:10:00+09:00", &["sync"], "");
    assert_same_on_both(&world);
    world.assert_clean("b");
}

#[test]
fn a_lock_a_killed_git_left_behind_is_explained() {
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP"], 1);
    // As a git killed while it held the index leaves it.
    let lock = world.path("a/.git/index.lock");
    fs::write(&lock, "").unwrap();
    let locked = world.amgi("a", "2026-12-01T10:00:00+09:00", &["sync"], "");
    assert_eq!(locked.code, Some(1), "{}", locked.stderr);
    assert!(
        locked.stderr.contains("another git may be running") && locked.stderr.contains("if none is, remove that file"),
        "{}",
        locked.stderr
    );
    assert!(locked.stderr.contains("index.lock"), "{}", locked.stderr);
    fs::remove_file(&lock).unwrap();
    world.ok("a", "2026-12-01T10:05:00+09:00", &["sync"], "");
    // The branch's lock, as a git killed while it moved the branch leaves it: named too, with what to do.
    world.drill("a", "2026-12-01T11:00:00+09:00", &["UDP"], 1);
    let lock = world.path("a/.git/refs/heads/main.lock");
    fs::write(&lock, "").unwrap();
    let locked = world.amgi("a", "2026-12-01T11:05:00+09:00", &["sync"], "");
    assert_eq!(locked.code, Some(1), "{}", locked.stderr);
    assert!(
        locked.stderr.contains(&format!("{} is there", lock.display())) && locked.stderr.contains("remove that file"),
        "{}",
        locked.stderr
    );
    fs::remove_file(&lock).unwrap();
    world.ok("a", "2026-12-01T11:10:00+09:00", &["sync"], "");
}

#[cfg(target_os = "linux")]
#[test]
fn git_ends_with_amgi_and_takes_its_lock_with_it() {
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.drill("a", "2026-12-01T09:00:00+09:00", &["TCP"], 1);
    let head = world.git("a", &["rev-parse", "HEAD"]);
    // The commit waits in a hook, holding the index's lock, while amgi is killed.
    executable(&world.path("a/.git/hooks/pre-commit"), "#!/bin/sh\nsleep 20\n");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("amgi"));
    world.env(&mut cmd);
    let mut amgi = cmd
        .current_dir(world.path("a"))
        .env("AMGI_CACHE", common::CACHE)
        .env("AMGI_DATA", world.path("data-a"))
        .env("AMGI_NOW", "2026-12-01T10:00:00+09:00")
        .args(["--notes", "notes", "sync"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("amgi starts");
    let lock = world.path("a/.git/index.lock");
    let within = |secs: u64, what: &dyn Fn() -> bool| {
        let end = std::time::Instant::now() + Duration::from_secs(secs);
        while !what() && std::time::Instant::now() < end {
            std::thread::sleep(Duration::from_millis(20));
        }
        what()
    };
    assert!(within(30, &|| lock.exists()), "git never took the lock");
    amgi.kill().unwrap();
    amgi.wait().unwrap();
    // git ended too, before its hook would have (20 s; a loaded machine may take a few seconds to deliver the
    // signal), and removed its lock: the next sync can run.
    assert!(
        within(15, &|| !lock.exists()),
        "git outlived amgi and holds {}",
        lock.display()
    );
    assert_eq!(world.git("a", &["rev-parse", "HEAD"]), head);
    fs::remove_file(world.path("a/.git/hooks/pre-commit")).unwrap();
    world.ok("a", "2026-12-01T10:05:00+09:00", &["sync"], "");
}

/// The moment `minutes` after 9:00 on 2026-12-01, Seoul time.
fn minutes_on(minutes: u64) -> String {
    let total = 9 * 60 + minutes;
    format!(
        "2026-12-{:02}T{:02}:{:02}:00+09:00",
        1 + total / 1440,
        total % 1440 / 60,
        total % 60
    )
}

/// The lock file a failed sync's message says is in the way: the one amgi names (`… is there: another git may be
/// running`), or else the one git could not create (`Unable to create '…/refs/heads/main.lock': File exists`).
fn lock_named(stderr: &str) -> Option<PathBuf> {
    if let Some(line) = stderr
        .lines()
        .find(|l| l.contains(" is there: another git may be running"))
    {
        let (path, _) = line.split_once(" is there: ")?;
        return Some(PathBuf::from(path.trim_start_matches("amgi: ")));
    }
    let (_, after) = stderr.split_once("Unable to create '")?;
    let (path, _) = after.split_once("': File exists")?;
    Some(PathBuf::from(path))
}

/// The answer lines of a reviews.yaml's text.
fn answer_lines(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .filter(|l| l.starts_with("- {") && l.contains(", grade: "))
        .map(str::to_string)
        .collect()
}

/// SIGKILL of `amgi sync` at random moments (of the commit, the pull, the merge with the other machine's answers,
/// the rebuild, the push; git gets SIGTERM as amgi dies): whatever `git status` then shows, every answer given is
/// still in reviews.yaml in the work tree or in the commit HEAD names; the next sync succeeds, after doing what
/// its message says when git left a lock (a git killed in the wrong instant can leave `index.lock`, `HEAD.lock` or
/// a branch's lock: about 1 kill in 80 here); it leaves every answer in the work tree, nothing to commit, and a
/// progress.yaml that is the replay of the log. `AMGI_TEST_KILLS` runs more kills than the suite's 30, in at most
/// a second each.
#[cfg(target_os = "linux")]
#[test]
fn kills_at_random_moments_of_a_sync_lose_no_answer() {
    use rand::{RngExt, SeedableRng};
    if !common::have_git() {
        return;
    }
    let world = World::new();
    world.clone("b");
    let wanted: usize = std::env::var("AMGI_TEST_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let started = std::time::Instant::now();
    let budget = Duration::from_secs(40.max(wanted as u64));
    // Seeded, so a failing run can be repeated.
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(0x05ee_d05f_c1a5);
    let reviews = world.path("a").join(world.deck).join("reviews.yaml");
    let sync = |now: &str| {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("amgi"));
        world.env(&mut cmd);
        cmd.current_dir(world.path("a"))
            .env("AMGI_CACHE", common::CACHE)
            .env("AMGI_DATA", world.path("data-a"))
            .env("AMGI_NOW", now)
            .args(["--notes", "notes", "sync"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("amgi starts")
    };
    // How long a whole sync takes here, with a merge and without: the kills fall anywhere in it.
    world.drill("b", &minutes_on(1), &[], 2);
    world.ok("b", &minutes_on(2), &["sync"], "");
    let timed = |now: &str| {
        world.drill("a", now, &[], 2);
        let timed = std::time::Instant::now();
        world.ok("a", now, &["sync"], "");
        timed.elapsed()
    };
    let (merging, alone) = (timed(&minutes_on(3)), timed(&minutes_on(4)));
    let mut given = answer_lines(&fs::read_to_string(&reviews).unwrap());
    let (mut kills, mut ended, mut locks_waited, mut merges_left) = (0, 0, 0, 0);
    let mut locks_removed = Vec::new();
    let mut minutes = 10;
    for round in 0.. {
        if kills >= wanted || started.elapsed() > budget {
            break;
        }
        minutes += 10;
        // Again to each card, so cards keep coming due ten minutes on.
        world.ok("a", &minutes_on(minutes), &["--plain"], &"\n1\n".repeat(3));
        given.extend(answer_lines(&fs::read_to_string(&reviews).unwrap()));
        let merge = round % 2 == 0;
        if merge {
            // The other machine answered and pushed: the sync merges.
            world.ok("b", &minutes_on(minutes + 1), &["--plain"], &"\n1\n".repeat(2));
            world.ok("b", &minutes_on(minutes + 2), &["sync"], "");
        }
        let whole = if merge { merging } else { alone };
        let delay = Duration::from_micros(rng.random_range(0..whole.as_micros() as u64));
        let mut amgi = sync(&minutes_on(minutes + 3));
        std::thread::sleep(delay);
        let context = format!("round {round}, killed after {delay:?} of a {whole:?} sync");
        if amgi.try_wait().unwrap().is_none() {
            amgi.kill().unwrap();
            kills += 1;
        } else {
            ended += 1;
        }
        let out = amgi.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{context}: {stderr}");
        // Every answer is in the work tree, or in the commit HEAD names.
        let worktree = answer_lines(&fs::read_to_string(&reviews).unwrap_or_default());
        let head = answer_lines(
            &world
                .git_may_fail("a", &["show", &format!("HEAD:{}/reviews.yaml", world.deck)])
                .1,
        );
        let lost: Vec<&String> = given
            .iter()
            .filter(|l| !worktree.contains(*l) && !head.contains(*l))
            .collect();
        assert!(lost.is_empty(), "{context}: answers lost: {lost:?}");
        merges_left += usize::from(world.path("a/.git/MERGE_HEAD").exists());

        // The next sync succeeds, or says what to do about a lock left behind, and then succeeds.
        let now = minutes_on(minutes + 4);
        let mut next = world.amgi("a", &now, &["sync"], "");
        // A git the killed sync started (a merge under `git pull`) may still be ending, and take a lock of its own
        // after one is gone: the dance is done again, a few times at most.
        for _ in 0..3 {
            if next.code == Some(0) {
                break;
            }
            let Some(lock) = lock_named(&next.stderr) else { break };
            // As the message says: another git may be running (one a killed `git pull` started ends on its own);
            // if none is, remove the file.
            let end = std::time::Instant::now() + Duration::from_secs(5);
            while lock.exists() && std::time::Instant::now() < end {
                std::thread::sleep(Duration::from_millis(50));
            }
            if fs::remove_file(&lock).is_ok() {
                locks_removed.push(format!("{context}: {}", lock.display()));
            } else {
                locks_waited += 1;
            }
            next = world.amgi("a", &now, &["sync"], "");
        }
        assert_eq!(
            next.code,
            Some(0),
            "{context}: the next sync failed\nstdout:\n{}\nstderr:\n{}",
            next.stdout,
            next.stderr
        );
        let worktree = answer_lines(&fs::read_to_string(&reviews).unwrap());
        let lost: Vec<&String> = given.difference(&worktree).collect();
        assert!(
            lost.is_empty(),
            "{context}: answers missing after the next sync: {lost:?}"
        );
        given = worktree;
        world.assert_clean("a");
        assert_eq!(
            String::from_utf8_lossy(&world.progress("a")),
            String::from_utf8_lossy(&world.replayed_at("a", &minutes_on(minutes + 5))),
            "{context}: progress.yaml is not a replay of the log"
        );
    }
    eprintln!(
        "{kills} kills, {ended} syncs ended before their kill, {merges_left} merges left, {locks_waited} locks \
         gone after a wait, {} removed; a sync takes {merging:?} with a merge, {alone:?} without; {:?}",
        locks_removed.len(),
        started.elapsed()
    );
    for removed in &locks_removed {
        eprintln!("lock removed: {removed}");
    }
    assert!(kills >= wanted.min(20), "only {kills} kills in {budget:?}");
    // Both machines end with every answer and the same progress.
    world.ok("b", &minutes_on(minutes + 6), &["sync"], "");
    world.ok("a", &minutes_on(minutes + 7), &["sync"], "");
    world.ok("b", &minutes_on(minutes + 8), &["sync"], "");
    assert_eq!(world.progress("a"), world.progress("b"));
    let on_b = answer_lines(&fs::read_to_string(world.path("b").join(world.deck).join("reviews.yaml")).unwrap());
    assert!(given.is_subset(&on_b));
}

#[test]
fn answers_written_out_on_two_machines_are_all_kept_after_a_sync() {
    if !common::have_git() {
        return;
    }
    // With the deck's `.gitattributes` (a union), and with b merging the files as text (a conflict to settle).
    for text_merge in [false, true] {
        let world = World::new();
        world.clone("b");
        if text_merge {
            fs::write(world.path("b/.git/info/attributes"), "*.yaml merge=text\n").unwrap();
        }
        let write = |machine, now, text: &str| {
            let input = format!("w\n{text}\n.\n3\n");
            world.ok(machine, now, &["--plain", "--topic", "TCP"], &input);
        };
        write("a", "2026-12-01T09:00:00+09:00", "TCP는 연결 지향");
        write("b", "2026-12-01T10:00:00+09:00", "연결을 맺고 보낸다");
        world.ok("a", "2026-12-01T11:00:00+09:00", &["sync"], "");
        world.ok("b", "2026-12-01T11:05:00+09:00", &["sync"], "");
        world.ok("a", "2026-12-01T11:10:00+09:00", &["sync"], "");
        for machine in ["a", "b"] {
            let mut texts: Vec<String> = world
                .store(machine)
                .read_attempts()
                .unwrap_or_else(|e| panic!("{machine}: {e}"))
                .into_iter()
                .map(|attempt| attempt.text)
                .collect();
            texts.sort();
            assert_eq!(
                texts,
                ["TCP는 연결 지향", "연결을 맺고 보낸다"],
                "{machine}, text merge {text_merge}"
            );
            let file = fs::read_to_string(world.store(machine).attempts_path()).unwrap();
            assert_eq!(file.lines().count(), 2, "no conflict markers left:\n{file}");
            world.assert_clean(machine);
        }
    }
}
