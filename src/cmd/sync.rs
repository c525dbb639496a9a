//! `amgi sync`: the round trip of a deck kept in its notes repository, with the system `git` (the user's remotes,
//! credentials and configuration): commit the deck's folder, pull (a merge unless the user configured a rebase),
//! rebuild progress.yaml from the merged log, push. Each step is said as it is done; when git fails, its own message
//! is shown and amgi stops. The deck's lock is held throughout, and progress.yaml is only ever replaced whole, so
//! the deck is never left half-written: every answer stays in reviews.yaml whatever step fails.

use super::open::{held, open_progress, readable};
use super::place::Place;
use super::{load_deck, now, place};
use crate::cli::{Cli, Sync};
use crate::store::{Store, has_conflict_markers};
use crate::{EXIT_BUSY, EXIT_ERROR, visible};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};

/// `amgi sync`.
pub fn run(cli: &Cli, options: &Sync) -> anyhow::Result<ExitCode> {
    let place = place(cli)?;
    let mut report = Report::new(options.json);
    let result = sync(cli, &place, &mut report);
    let code = match result {
        Ok(code) => code,
        Err(stop) => {
            report.fail(stop);
            ExitCode::from(EXIT_ERROR)
        }
    };
    report.finish()?;
    Ok(code)
}

/// Why the round trip stopped: the step, git's own message (or amgi's), and what to do.
#[derive(Debug)]
struct Stop {
    step: &'static str,
    message: String,
}

impl Stop {
    fn new(step: &'static str, message: impl Into<String>) -> Stop {
        Stop {
            step,
            message: message.into(),
        }
    }
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Stop {
        Stop::new("progress", format!("{e:#}"))
    }
}

/// What was done, said step by step as text or all at once as JSON.
struct Report {
    json: bool,
    repo: Option<PathBuf>,
    committed: Option<String>,
    answers: usize,
    pull: &'static str,
    rebuilt: bool,
    pushed: bool,
    failed: Option<Stop>,
}

impl Report {
    fn new(json: bool) -> Report {
        Report {
            json,
            repo: None,
            committed: None,
            answers: 0,
            pull: "none",
            rebuilt: false,
            pushed: false,
            failed: None,
        }
    }

    /// Says one step as text (nothing with `--json`, which reports at the end).
    fn say(&self, step: &str, text: impl std::fmt::Display) {
        if !self.json {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{step}: {}", crate::visible::visible(&text.to_string()));
            let _ = out.flush();
        }
    }

    fn fail(&mut self, stop: Stop) {
        visible::warn(format_args!(
            "sync stopped at {}: {}",
            stop.step,
            stop.message.trim_end()
        ));
        self.failed = Some(stop);
    }

    fn finish(&self) -> anyhow::Result<()> {
        if !self.json {
            return Ok(());
        }
        // Keys in the documented order.
        let text = |value: Option<&str>| serde_json::to_string(&value).unwrap_or_else(|_| "null".into());
        let error = match &self.failed {
            Some(stop) => format!(
                r#"{{"step":{},"message":{}}}"#,
                text(Some(stop.step)),
                text(Some(stop.message.trim_end()))
            ),
            None => "null".into(),
        };
        let repo = self.repo.as_ref().map(|r| r.display().to_string());
        let value = format!(
            r#"{{"repo":{},"committed":{},"answers":{},"pull":{},"rebuilt":{},"pushed":{},"error":{error}}}"#,
            text(repo.as_deref()),
            text(self.committed.as_deref()),
            self.answers,
            text(Some(self.pull)),
            self.rebuilt,
            self.pushed,
        );
        super::print(true, |out| writeln!(out, "{value}"))
    }
}

/// git as amgi runs it: no pager, no editor, no waiting on the terminal for anything but the user's own
/// credential prompts, pathspecs taken literally (a folder named `[a]` or `*` is that folder), and, on Linux, a
/// child that ends when amgi does.
fn git() -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("--no-pager")
        // A rebase or a merge never waits on an editor.
        .env("GIT_EDITOR", "true")
        .env("GIT_LITERAL_PATHSPECS", "1")
        .stdin(Stdio::null());
    ends_with_amgi(&mut cmd);
    cmd
}

/// Asks the kernel to send `cmd`'s process SIGTERM when amgi (the thread that starts it) ends, however it ends:
/// a git left running after a SIGKILL of amgi would hold `index.lock` against the next sync. SIGTERM rather than
/// SIGKILL because git removes its lock files on SIGTERM, and a killed git would leave the very lock this avoids.
#[cfg(target_os = "linux")]
fn ends_with_amgi(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: between fork and exec the closure makes only async-signal-safe system calls and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            // amgi ended before the request was made: no signal would come.
            if u32::try_from(libc::getppid()).ok() != Some(parent) {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn ends_with_amgi(_cmd: &mut Command) {}

/// git run in the work tree `top`.
struct Git {
    top: PathBuf,
}

impl Git {
    fn output(&self, args: &[&str]) -> Result<Output, Stop> {
        git()
            .arg("-C")
            .arg(&self.top)
            .args(args)
            .output()
            .map_err(|e| Stop::new("git", format!("could not run git: {e}")))
    }

    /// Runs git; its output when it succeeds, else a [`Stop`] at `step` with git's own message.
    fn run(&self, step: &'static str, args: &[&str]) -> Result<String, Stop> {
        let out = self.output(args)?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(self.failed(step, &out))
        }
    }

    /// A [`Stop`] at `step` for git's failure `out`: git's own message, and what to do when a lock on the index
    /// was left behind (git's advice about it may be in another language, or missing).
    fn failed(&self, step: &'static str, out: &Output) -> Stop {
        let mut message = git_message(out);
        if let Some(lock) = self
            .path(&["rev-parse", "--git-path", "index.lock"])
            .filter(|p| p.exists())
        {
            message.push_str(&format!(
                "\n{} is there: another git may be running in {}; if none is, remove that file, then `amgi sync` \
                 again",
                lock.display(),
                self.top.display()
            ));
        }
        Stop::new(step, message)
    }

    /// Whether git succeeds.
    fn ok(&self, args: &[&str]) -> bool {
        self.output(args).is_ok_and(|o| o.status.success())
    }

    /// One line of git's output, trimmed; `None` when git fails or says nothing.
    fn line(&self, args: &[&str]) -> Option<String> {
        let out = self.output(args).ok().filter(|o| o.status.success())?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!text.is_empty()).then_some(text)
    }

    /// The one path git prints, as it is (only the newline after it removed), under the work tree when git
    /// gives it relative.
    fn path(&self, args: &[&str]) -> Option<PathBuf> {
        let out = self.output(args).ok().filter(|o| o.status.success())?;
        let bytes = out.stdout.strip_suffix(b"\n").unwrap_or(&out.stdout);
        (!bytes.is_empty()).then(|| self.top.join(path_of(bytes)))
    }

    /// The paths git could not merge, relative to the work tree, read NUL-separated: as lines, git would quote a
    /// name that is not ASCII (`core.quotePath`), and it would not match the deck's folder.
    fn unmerged(&self) -> Vec<PathBuf> {
        let Some(out) = self
            .output(&["diff", "--name-only", "-z", "--diff-filter=U"])
            .ok()
            .filter(|o| o.status.success())
        else {
            return Vec::new();
        };
        out.stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(path_of)
            .collect()
    }

    fn merging(&self) -> bool {
        self.ok(&["rev-parse", "-q", "--verify", "MERGE_HEAD"])
    }

    fn rebasing(&self) -> bool {
        ["rebase-merge", "rebase-apply"].iter().any(|name| {
            self.path(&["rev-parse", "--git-path", name])
                .is_some_and(|p| p.exists())
        })
    }
}

/// A path git wrote as bytes.
#[cfg(unix)]
fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// What git said: its stderr and stdout.
fn git_message(out: &Output) -> String {
    let mut text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !err.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&err);
    }
    text
}

fn sync(cli: &Cli, place: &Place, report: &mut Report) -> Result<ExitCode, Stop> {
    let dir = place.dir().to_path_buf();
    let not_in_git = |why: &str| {
        Stop::new(
            "git",
            format!(
                "{why}. To carry it between machines through git: in your notes folder run `amgi init` (if not done), \
                 `git init`, `git add -A`, `git commit -m notes`, `git remote add origin URL` and `git push -u origin \
                 HEAD`; then `amgi sync`"
            ),
        )
    };
    if let Place::Deck { dir, .. } = place {
        return Err(not_in_git(&format!(
            "this deck's progress is kept in the data folder ({}), not beside its notes",
            dir.display()
        )));
    }
    if !dir.is_dir() {
        return Err(not_in_git(&format!("{} does not exist yet", dir.display())));
    }
    let probe = git()
        .arg("-C")
        .arg(&dir)
        .args(["rev-parse", "--show-toplevel"])
        .output();
    let top = match probe {
        Err(e) => {
            return Err(Stop::new(
                "git",
                format!("amgi sync runs git, which could not be run ({e}): install git"),
            ));
        }
        Ok(out) if !out.status.success() => {
            return Err(not_in_git(&format!("{} is not in a git repository", dir.display())));
        }
        Ok(out) => path_of(out.stdout.strip_suffix(b"\n").unwrap_or(&out.stdout)),
    };
    let git = Git { top };
    report.repo = Some(git.top.clone());
    // The deck's folder as git names it.
    let rel = relative(&git.top, &dir);
    let store = place.store();
    let Some(_lock) = held(store.lock()).map_err(Stop::from)? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    if git.rebasing() {
        return Err(Stop::new(
            "git",
            "git is in the middle of a rebase: finish it (`git rebase --continue`) or `git rebase --abort`, then \
             `amgi sync` again",
        ));
    }
    // Before anything is committed: a commit on a detached HEAD is left behind by the next `git switch`, and
    // the deck's files with it.
    let branch = git.line(&["symbolic-ref", "--short", "-q", "HEAD"]).ok_or_else(|| {
        Stop::new(
            "git",
            "HEAD is not on a branch (a detached HEAD), and a commit here would be left behind by the next switch: \
             `git switch BRANCH` (the branch you sync, such as main), then `amgi sync`; nothing was committed",
        )
    })?;
    if git.merging() {
        // A merge left for the user: finish it when only the deck's files are in conflict.
        resolve(&git, &store, &rel, report)?;
        git.run("commit", &["commit", "--no-edit", "-q"])?;
        report.say("commit", "finished the merge");
    }
    // progress.yaml brought up to date with the log before it is committed.
    rebuild(cli, &store)?;
    commit(&git, &rel, report)?;
    let upstream = git.line(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]);
    let (remote, remote_branch, set_upstream) = match &upstream {
        Some(upstream) => {
            let remote = git
                .line(&["config", "--get", &format!("branch.{branch}.remote")])
                .unwrap_or_else(|| "origin".into());
            let merge = git
                .line(&["config", "--get", &format!("branch.{branch}.merge")])
                .map(|m| m.trim_start_matches("refs/heads/").to_string())
                .unwrap_or_else(|| upstream.rsplit('/').next().unwrap_or(&branch).to_string());
            (remote, merge, false)
        }
        None => {
            let remotes = git.line(&["remote"]).unwrap_or_default();
            let remotes: Vec<&str> = remotes.lines().collect();
            let remote = if remotes.contains(&"origin") {
                "origin"
            } else if let Some(first) = remotes.first() {
                first
            } else {
                return Err(Stop::new(
                    "pull",
                    format!(
                        "the repository {} has no remote to sync with: `git remote add origin URL`, then `amgi sync` \
                         (what is here is committed)",
                        git.top.display()
                    ),
                ));
            };
            (remote.to_string(), branch.clone(), true)
        }
    };
    for attempt in 0..2 {
        let exists = !set_upstream || git.ok(&["ls-remote", "--exit-code", "--heads", &remote, &remote_branch]);
        if exists {
            pull(cli, &git, &store, &rel, &remote, &remote_branch, report)?;
        } else {
            report.say(
                "pull",
                format!("{remote} has no branch {remote_branch} yet: nothing to pull"),
            );
        }
        let mut args = vec!["push", "-q"];
        if set_upstream {
            args.push("-u");
        }
        let target = format!("HEAD:refs/heads/{remote_branch}");
        args.extend([remote.as_str(), target.as_str()]);
        let out = git.output(&args)?;
        if out.status.success() {
            report.pushed = true;
            report.say("push", format!("{remote} {remote_branch}"));
            return Ok(ExitCode::SUCCESS);
        }
        if attempt == 0 && exists && (moved_on(&out) || remote_moved(&git, &remote, &remote_branch)) {
            report.say("push", format!("{remote} has moved on since the pull; pulling again"));
            continue;
        }
        let stop = git.failed("push", &out);
        return Err(Stop::new(
            "push",
            format!(
                "{}\nnothing is lost: the answers are committed here; `amgi sync` again sends them",
                stop.message
            ),
        ));
    }
    unreachable!("the loop returns")
}

/// Whether git refused a push because the remote has commits this clone lacks, by its own `[rejected]` line saying
/// `fetch first` or `non-fast-forward` (words git does not translate). A refusal by the server (a hook, a
/// protected branch: `[remote rejected]`) is not, and what the server said is the user's to read.
fn moved_on(out: &Output) -> bool {
    String::from_utf8_lossy(&out.stderr).lines().any(|line| {
        // Lines from the server start with `remote:`; what a hook prints is not git's verdict.
        !line.starts_with("remote:")
            && line.contains("[rejected]")
            && (line.contains("(fetch first)") || line.contains("(non-fast-forward)"))
    })
}

/// Whether `remote`'s `branch` now holds a commit that HEAD does not: someone pushed between the pull and the
/// push (git then says only `failed to update ref`), as against a refusal with the remote where HEAD left it.
fn remote_moved(git: &Git, remote: &str, branch: &str) -> bool {
    let Some(listed) = git.line(&["ls-remote", "--heads", remote, &format!("refs/heads/{branch}")]) else {
        return false;
    };
    // The server's answer is checked to be a commit id before git is given it.
    match listed.split_whitespace().next() {
        Some(tip) if tip.bytes().all(|b| b.is_ascii_hexdigit()) => {
            !git.ok(&["merge-base", "--is-ancestor", tip, "HEAD"])
        }
        _ => false,
    }
}

/// `dir` as a path relative to the work tree `top`, as git takes it.
fn relative(top: &Path, dir: &Path) -> String {
    let top = std::fs::canonicalize(top).unwrap_or_else(|_| top.to_path_buf());
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let rel = dir.strip_prefix(&top).unwrap_or(&dir);
    let text = rel.to_string_lossy().into_owned();
    if text.is_empty() { ".".into() } else { text }
}

/// Brings progress.yaml up to date with reviews.yaml (rebuilt from it when it is out of date, mixed by a merge
/// or in conflict), with the notes as they are now. Whether it was written.
fn rebuild(cli: &Cli, store: &Store) -> Result<bool, Stop> {
    let deck = load_deck(&cli.notes);
    let before = std::fs::read(store.progress_path()).ok();
    let now = now()?;
    let loaded = readable(store, store.load_progress(), true)?;
    let (progress, _) = open_progress(None, store, &deck, loaded, None, now)?;
    if before.is_some() && std::fs::read(store.progress_path()).ok() == before {
        return Ok(false);
    }
    store
        .save_progress(&progress)
        .map_err(|e| Stop::from(anyhow::Error::new(e)))?;
    Ok(true)
}

/// Settles conflicts git left in the deck's own files: reviews.yaml keeps both sides' lines (the union the
/// deck's `.gitattributes` asks for; each answer counts once), progress.yaml is rebuilt from it. A conflict in
/// any other file (the notes) is the user's to resolve: stops, naming them.
fn resolve(git: &Git, store: &Store, rel: &str, report: &mut Report) -> Result<(), Stop> {
    let unmerged = git.unmerged();
    let own = if rel == "." { Path::new("") } else { Path::new(rel) };
    let others: Vec<&PathBuf> = unmerged.iter().filter(|p| !p.starts_with(own)).collect();
    if !others.is_empty() {
        let list: Vec<String> = others.iter().map(|p| p.display().to_string()).collect();
        return Err(Stop::new(
            "pull",
            format!(
                "git could not merge {}: resolve the conflicts there, `git add` them and `git commit`, then `amgi \
                 sync` again (every answer is in {}, which merges on its own)",
                list.join(", "),
                store.reviews_path().display()
            ),
        ));
    }
    let log = store.reviews_path();
    if let Ok(bytes) = std::fs::read(&log)
        && has_conflict_markers(&bytes)
    {
        let kept: Vec<&[u8]> = bytes
            .split_inclusive(|&b| b == b'\n')
            .filter(|line| !has_conflict_markers(line))
            .collect();
        let tmp = store.dir().join("reviews.yaml.tmp");
        std::fs::write(&tmp, kept.concat())
            .and_then(|()| std::fs::File::open(&tmp)?.sync_all())
            .and_then(|()| std::fs::rename(&tmp, &log))
            .map_err(|e| Stop::new("merge", format!("could not write {}: {e}", log.display())))?;
        report.say("merge", format!("kept both sides' lines of {}", log.display()));
    }
    if !unmerged.is_empty() {
        git.run("merge", &["add", "-A", "--", rel])?;
    }
    Ok(())
}

/// Commits the deck's folder when anything in it changed, with a message that says what: `12 answers,
/// 2026-12-01`.
fn commit(git: &Git, rel: &str, report: &mut Report) -> Result<(), Stop> {
    git.run("commit", &["add", "-A", "--", rel])?;
    if git.ok(&["diff", "--cached", "--quiet", "--", rel]) {
        report.say("commit", "nothing new to commit");
        return Ok(());
    }
    let log = format!("{rel}/reviews.yaml");
    let diff = git.run("commit", &["diff", "--cached", "-U0", "--no-color", "--", &log])?;
    let added: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    let answers = added.iter().filter(|l| l.contains(", grade: ")).count();
    let others = added.len() - answers;
    let day = now()?.day();
    let message = match (answers, others) {
        (0, 0) => format!("progress, {day}"),
        (0, n) => format!("{n} {}, {day}", if n == 1 { "change" } else { "changes" }),
        (n, _) => format!("{n} {}, {day}", if n == 1 { "answer" } else { "answers" }),
    };
    git.run("commit", &["commit", "-q", "-m", &message, "--", rel])?;
    report.answers += answers;
    report.say("commit", &message);
    report.committed = Some(message);
    Ok(())
}

/// Pulls `remote`'s `branch` (a merge, unless the user configured a rebase), finishes a merge whose only conflicts
/// are the deck's own files, rebuilds progress.yaml from the merged log and commits it.
fn pull(
    cli: &Cli,
    git: &Git,
    store: &Store,
    rel: &str,
    remote: &str,
    branch: &str,
    report: &mut Report,
) -> Result<(), Stop> {
    let before = git.line(&["rev-parse", "-q", "--verify", "HEAD"]);
    // A rebase only when the user configured one (for the branch, else for every pull).
    let own = git
        .line(&["symbolic-ref", "--short", "-q", "HEAD"])
        .and_then(|b| git.line(&["config", "--get", &format!("branch.{b}.rebase")]));
    let rebase = own
        .or_else(|| git.line(&["config", "--get", "pull.rebase"]))
        .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "false" | "no" | "off" | "0"));
    let mut args = vec!["pull", "-q"];
    if !rebase {
        // Merge, with the commit left to amgi: progress.yaml is rebuilt from the merged log first.
        args.extend(["--no-rebase", "--no-commit", "--no-edit"]);
    }
    args.extend([remote, branch]);
    let out = git.output(&args)?;
    if !out.status.success() {
        if git.rebasing() {
            let message = git_message(&out);
            return Err(Stop::new(
                "pull",
                format!(
                    "{message}\nthe rebase stopped: resolve the conflicts, `git add` them and `git rebase --continue` \
                     (or `git rebase --abort`), then `amgi sync` again; every answer is in {}",
                    store.reviews_path().display()
                ),
            ));
        }
        if !git.merging() {
            return Err(git.failed("pull", &out));
        }
        // Conflicts: settled when they are only in the deck's files (a user's own merge strategy for them).
        if let Err(stop) = resolve(git, store, rel, report) {
            return Err(Stop::new(stop.step, format!("{}\n{}", git_message(&out), stop.message)));
        }
    }
    let merging = git.merging();
    report.rebuilt = rebuild(cli, store)? || report.rebuilt;
    let after_pull = git.line(&["rev-parse", "-q", "--verify", "HEAD"]);
    if merging {
        git.run("commit", &["add", "-A", "--", rel])?;
        git.run("commit", &["commit", "-q", "--no-edit"])?;
        report.pull = "merged";
    } else if before == after_pull {
        report.pull = "up_to_date";
    } else if rebase {
        report.pull = "rebased";
    } else {
        report.pull = "fast_forward";
    }
    report.say(
        "pull",
        match report.pull {
            "merged" => format!("merged {remote}/{branch}"),
            "rebased" => format!("rebased onto {remote}/{branch}"),
            "fast_forward" => format!("fast-forwarded to {remote}/{branch}"),
            _ => format!("{remote}/{branch} has nothing new"),
        },
    );
    if report.rebuilt {
        report.say(
            "progress",
            format!(
                "{} rebuilt from the merged {}",
                store.progress_path().display(),
                store.reviews_path().display()
            ),
        );
    }
    if !merging {
        git.run("commit", &["add", "-A", "--", rel])?;
        if !git.ok(&["diff", "--cached", "--quiet", "--", rel]) {
            let message = format!("progress rebuilt from the merged log, {}", now()?.day());
            git.run("commit", &["commit", "-q", "-m", &message, "--", rel])?;
            report.say("commit", &message);
        }
    }
    Ok(())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn a_child_ends_when_what_started_it_ends() {
        let mut cmd = Command::new("sleep");
        cmd.arg("20").stdin(Stdio::null());
        ends_with_amgi(&mut cmd);
        // The signal comes when the thread that started the child ends, as when amgi is killed.
        let mut child = std::thread::spawn(move || cmd.spawn().expect("sleep starts"))
            .join()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");
    }
}
