//! A cloned repository is untrusted input. Each test here clones (real git, a bare repository on disk) a repo whose
//! `.amgi` folder holds something hostile where amgi keeps its files (links out of the repo, to a device, a FIFO, a
//! folder where a file belongs), runs every command on it, and checks that no byte outside the repository changed,
//! that nothing hung, and that a command that keeps progress stopped with exit 1 naming the file.

mod common;

use assert_cmd::Command;
use common::{Run, run};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

const TIMEOUT: Duration = Duration::from_secs(30);
const NOTES: &str =
    "# 면접\n\n## 무엇인가$(touch${IFS}/tmp/amgi-hostile-PWNED)\n\n답입니다.\n\n## TCP란?\n\n연결 지향입니다.\n";

/// The commands a user may run on a clone, with what they type in.
const COMMANDS: &[(&[&str], &str)] = &[
    (&["--plain"], "\n3\n"),
    (&["drill", "--plain"], "\n3\n"),
    (&["cram", "--plain"], "\n3\n"),
    (&["cards"], ""),
    (&["cards", "--json"], ""),
    (&["topics"], ""),
    (&["check"], ""),
    (&["stats"], ""),
    (&["stats", "--json"], ""),
    (&["plan"], ""),
    (&["repair"], ""),
    (&["optimize"], ""),
    (&["sync"], ""),
    (&["init"], ""),
];

/// The commands that read or write the deck's progress: these must stop, naming the file.
fn keeps_progress(args: &[&str]) -> bool {
    // `init` on a deck already in its repository only adds the files git needs there (never through a link).
    !matches!(args.first(), Some(&("cards" | "topics" | "check" | "init")))
}

/// A temporary world: `outside/` holds the user's own files, `home/` is the home folder, `remote.git` the bare
/// repository, `clone/` what the user cloned.
struct World {
    tmp: TempDir,
}

impl World {
    /// The origin repository made by `make` (called in its work tree after the notes are written), committed with
    /// everything forced in, pushed to a bare remote and cloned to `clone/`.
    fn cloned(make: impl FnOnce(&Path)) -> World {
        let world = World {
            tmp: TempDir::new().expect("a temporary folder"),
        };
        for dir in ["outside/folder", "home", "origin/.amgi"] {
            fs::create_dir_all(world.path(dir)).unwrap();
        }
        fs::write(world.path("outside/.bash_aliases"), "alias ll='ls -l'\n").unwrap();
        fs::write(world.path("outside/victim.txt"), "the user's own file\n").unwrap();
        fs::write(world.path("outside/folder/kept.txt"), "kept\n").unwrap();
        let origin = world.path("origin");
        fs::write(origin.join("notes.md"), NOTES).unwrap();
        make(&origin);
        world.git(&world.path(""), &["init", "-q", "--bare", "-b", "main", "remote.git"]);
        world.git(&origin, &["init", "-q", "-b", "main"]);
        world.git(&origin, &["add", "-A", "-f"]);
        world.git(&origin, &["commit", "-q", "-m", "notes"]);
        world.git(&origin, &["push", "-q", "../remote.git", "main"]);
        world.git(&world.path(""), &["clone", "-q", "remote.git", "clone"]);
        world
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn env(&self, cmd: &mut std::process::Command) {
        cmd.env("HOME", self.path("home"))
            .envs(common::GIT_ENV)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
    }

    fn git(&self, dir: &Path, args: &[&str]) {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(dir).args(args);
        self.env(&mut cmd);
        let out = cmd.output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// amgi on the clone's notes, from inside the clone.
    fn amgi(&self, args: &[&str], input: &str) -> Run {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        cmd.env("HOME", self.path("home"))
            .envs(common::GIT_ENV)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .current_dir(self.path("clone"))
            .env("AMGI_CACHE", self.path("home/cache"))
            .env("AMGI_DATA", self.path("home/data"))
            .env("AMGI_NOW", "2026-12-01T09:00:00+09:00")
            .env_remove("AMGI_NOTES")
            .args(["--notes", "."])
            .args(args)
            .write_stdin(input)
            .timeout(TIMEOUT);
        run(&mut cmd)
    }

    /// Every file under `outside/`: its bytes and when it was last changed.
    fn outside(&self) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
        walkdir::WalkDir::new(self.path("outside"))
            .into_iter()
            .map(|entry| entry.expect("readable"))
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let meta = entry.metadata().expect("metadata");
                let bytes = fs::read(entry.path()).expect("readable");
                (entry.path().to_path_buf(), (bytes, meta.modified().expect("a time")))
            })
            .collect()
    }

    /// Runs every command; checks nothing outside changed, nothing hung (the run's timeout), and that each command
    /// that keeps progress stopped with exit 1, naming `named` (a path in the clone).
    fn every_command_refuses(&self, named: &str) {
        self.every_command_is_safe(named, keeps_progress);
    }

    /// [`World::every_command_refuses`], where only the commands `must_stop` picks must stop.
    fn every_command_is_safe(&self, named: &str, must_stop: fn(&[&str]) -> bool) {
        let before = self.outside();
        let named = self.path("clone").join(named).display().to_string();
        for (args, input) in COMMANDS {
            let run = self.amgi(args, input);
            assert_eq!(self.outside(), before, "amgi {args:?} changed a file outside the clone");
            if must_stop(args) {
                assert_eq!(run.code, Some(1), "amgi {args:?}:\n{}\n{}", run.stdout, run.stderr);
            }
            if run.code != Some(0) {
                // `check` lists what it could not read on stdout, the others say it on stderr.
                assert!(
                    run.stderr.contains(&named) || run.stdout.contains(&named),
                    "amgi {args:?} did not name {named}:\n{}\n{}",
                    run.stdout,
                    run.stderr
                );
            }
        }
        assert!(
            !Path::new("/tmp/amgi-hostile-PWNED").exists(),
            "the question's text was run"
        );
    }
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    std::os::unix::fs::symlink(target, at).expect("a link");
}

#[cfg(unix)]
fn fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

#[cfg(unix)]
#[test]
fn the_log_a_link_to_a_file_outside_is_never_written_through() {
    if !common::have_git() {
        return;
    }
    let world = World::cloned(|origin| {
        link("../../outside/.bash_aliases", &origin.join(".amgi/reviews.yaml"));
        link("../../outside/victim.txt", &origin.join(".amgi/progress.yaml.tmp"));
    });
    world.every_command_refuses(".amgi/reviews.yaml");
    let run = world.amgi(&["--plain"], "\n3\n");
    assert!(run.stderr.contains("is a symbolic link"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn progress_a_link_to_a_file_outside_is_never_read_or_written() {
    if !common::have_git() {
        return;
    }
    let world = World::cloned(|origin| {
        link("../../outside/victim.txt", &origin.join(".amgi/progress.yaml"));
    });
    world.every_command_refuses(".amgi/progress.yaml");
}

#[cfg(unix)]
#[test]
fn links_to_a_device_never_hang() {
    if !common::have_git() {
        return;
    }
    for name in ["reviews.yaml", "progress.yaml"] {
        let world = World::cloned(|origin| link("/dev/zero", &origin.join(".amgi").join(name)));
        world.every_command_refuses(&format!(".amgi/{name}"));
    }
    // The lock is taken only by the commands that write.
    let world = World::cloned(|origin| link("/dev/zero", &origin.join(".amgi/lock")));
    world.every_command_is_safe(".amgi/lock", |args| {
        matches!(
            args.first(),
            Some(&("--plain" | "drill" | "cram" | "repair" | "optimize" | "sync"))
        )
    });
}

#[cfg(unix)]
#[test]
fn a_fifo_where_a_file_belongs_never_hangs() {
    if !common::have_git() {
        return;
    }
    for name in ["reviews.yaml", "progress.yaml"] {
        // git keeps no FIFO: one is made in the clone, as a hostile checkout hook or a stray mkfifo would.
        let world = World::cloned(|_| {});
        fs::create_dir_all(world.path("clone/.amgi")).unwrap();
        fifo(&world.path("clone/.amgi").join(name));
        world.every_command_refuses(&format!(".amgi/{name}"));
    }
}

#[cfg(unix)]
#[test]
fn a_folder_where_a_file_belongs_is_refused() {
    if !common::have_git() {
        return;
    }
    let world = World::cloned(|origin| {
        fs::create_dir_all(origin.join(".amgi/reviews.yaml")).unwrap();
        fs::write(origin.join(".amgi/reviews.yaml/x"), "x\n").unwrap();
    });
    world.every_command_refuses(".amgi/reviews.yaml");
}

#[cfg(unix)]
#[test]
fn the_deck_folder_a_link_out_of_the_repo_is_refused() {
    if !common::have_git() {
        return;
    }
    let world = World::cloned(|origin| {
        fs::remove_dir(origin.join(".amgi")).unwrap();
        link("../outside/folder", &origin.join(".amgi"));
    });
    world.every_command_refuses(".amgi");
    let run = world.amgi(&["--plain"], "\n3\n");
    assert!(
        run.stderr.contains("is a symbolic link, where amgi keeps a folder"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn links_to_amgis_own_scratch_files_are_replaced_not_followed() {
    if !common::have_git() {
        return;
    }
    // Files amgi only ever replaces (temporary files, the machine's install id) may be links: the link goes.
    let world = World::cloned(|origin| {
        for name in [
            "progress.yaml.tmp",
            "progress.yaml.bak.tmp",
            "install-id",
            "install-id.tmp",
        ] {
            link("../../outside/victim.txt", &origin.join(".amgi").join(name));
        }
    });
    let before = world.outside();
    let run = world.amgi(&["--plain"], "\n3\n");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(world.outside(), before);
    let log = fs::read_to_string(world.path("clone/.amgi/reviews.yaml")).expect("the answer is kept");
    assert!(log.contains("grade: 3"), "{log}");
}

#[cfg(unix)]
#[test]
fn a_cache_that_is_a_fifo_or_a_device_is_ignored_and_rebuilt() {
    if !common::have_git() {
        return;
    }
    let world = World::cloned(|_| {});
    let first = world.amgi(&["stats", "--json"], "");
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let cache = world.path("home/cache");
    let mut replaced = 0;
    for (n, entry) in fs::read_dir(&cache).expect("a cache folder").enumerate() {
        let path = entry.unwrap().path();
        fs::remove_file(&path).unwrap();
        if n % 2 == 0 {
            fifo(&path)
        } else {
            link("/dev/zero", &path)
        }
        replaced += 1;
    }
    assert!(replaced > 0, "the first run made a cache");
    let again = world.amgi(&["stats", "--json"], "");
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(again.stdout, first.stdout);
    let cards = world.amgi(&["cards", "--json"], "");
    assert_eq!(cards.code, Some(0), "{}", cards.stderr);
    assert!(cards.stdout.contains("TCP란?"), "{}", cards.stdout);
}

#[cfg(unix)]
#[test]
fn a_time_zone_that_names_a_device_or_a_fifo_is_ignored() {
    if !common::have_git() {
        return;
    }
    let world = World::cloned(|_| {});
    let pipe = world.path("outside/tz");
    fifo(&pipe);
    for tz in [
        ":/dev/zero".to_string(),
        "/dev/zero".to_string(),
        format!(":{}", pipe.display()),
    ] {
        let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
        cmd.current_dir(world.path("clone"))
            .env("HOME", world.path("home"))
            .env("AMGI_CACHE", world.path("home/cache"))
            .env("AMGI_DATA", world.path("home/data"))
            .env_remove("AMGI_NOW")
            .env("TZ", &tz)
            .args(["--notes", ".", "stats"])
            .timeout(TIMEOUT);
        let run = run(&mut cmd);
        assert_eq!(run.code, Some(0), "TZ={tz}: {}", run.stderr);
        assert!(
            run.stderr.contains("is not a time zone file"),
            "TZ={tz}: {}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_repo_in_the_notes_is_not_read_into_cards() {
    if !common::have_git() {
        return;
    }
    let world = World::cloned(|origin| {
        fs::create_dir_all(origin.join("more")).unwrap();
        link("../../outside/private.md", &origin.join("more/private.md"));
        link("../outside/folder", &origin.join("folder"));
    });
    fs::write(world.path("outside/private.md"), "## 내 비밀\n\n남이 보면 안 되는 답\n").unwrap();
    fs::write(world.path("outside/folder/kept.md"), "## 남의 폴더\n\n답\n").unwrap();
    let cards = world.amgi(&["cards", "--json"], "");
    assert_eq!(cards.code, Some(0), "{}", cards.stderr);
    assert!(cards.stdout.contains("TCP란?"), "{}", cards.stdout);
    assert!(
        !cards.stdout.contains("비밀") && !cards.stdout.contains("남의 폴더"),
        "{}",
        cards.stdout
    );
    let check = world.amgi(&["check"], "");
    assert!(
        check
            .stdout
            .contains("more/private.md: skipped: a symlink out of the notes folder"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("folder: skipped: a symlink out of the notes folder"),
        "{}",
        check.stdout
    );
}

#[test]
fn progress_in_a_merge_conflict_is_set_aside_and_rebuilt_saying_where_it_is_kept() {
    if !common::have_git() {
        return;
    }
    let conflict = "<<<<<<< HEAD\nversion: 1\n=======\nversion: 1\n>>>>>>> origin/main\n";
    let world = World::cloned(|origin| fs::write(origin.join(".amgi/progress.yaml"), conflict).unwrap());
    let amgi = world.path("clone/.amgi");
    // A reader works it out from the log, and a deck in its repository writes it back.
    let stats = world.amgi(&["stats"], "");
    assert_eq!(stats.code, Some(0), "{}", stats.stderr);
    let said = format!(
        "{}: it was in a merge conflict; rebuilt it from {}, which holds every answer (the old file is kept as {})",
        amgi.join("progress.yaml").display(),
        amgi.join("reviews.yaml").display(),
        amgi.join("progress.yaml.bak.1").display()
    );
    assert!(stats.stderr.contains(&said), "{}", stats.stderr);
    assert_eq!(fs::read_to_string(amgi.join("progress.yaml.bak.1")).unwrap(), conflict);
    // A quiz says what it keeps before it rebuilds.
    fs::write(amgi.join("progress.yaml"), conflict.replace("HEAD", "main")).unwrap();
    let quiz = world.amgi(&["--plain"], "\n3\n");
    assert_eq!(quiz.code, Some(0), "{}", quiz.stderr);
    let said = format!(
        "{}: it is in a merge conflict; kept it as {} and rebuilding it from {}",
        amgi.join("progress.yaml").display(),
        amgi.join("progress.yaml.bak.2").display(),
        amgi.join("reviews.yaml").display()
    );
    assert!(quiz.stderr.contains(&said), "{}", quiz.stderr);
}
