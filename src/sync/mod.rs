//! The round trip of a deck kept in its notes repository, with the system `git` (the user's remotes, credentials
//! and configuration): commit the deck's folder, pull (a merge unless the user configured a rebase), rebuild
//! progress.yaml from the merged log, push. Each step is told to the caller's [`Events`] as it is done; when git
//! fails, the round trip stops with an [`Error`] that names its [`Step`] and carries git's own message. The
//! caller holds the deck's lock throughout; progress.yaml is only ever replaced whole (by the caller's
//! [`Events::rebuild`]), so the deck is never left half-written: every answer stays in reviews.yaml whatever step
//! fails.
//!
//! What git prints comes from other people's commits, file names and hooks: it is carried here as text and must be
//! shown through [`crate::visible`].

mod git;

use crate::store::Store;
use git::Git;
use jiff::civil::Date;
use std::fmt;
use std::path::{Path, PathBuf};

/// A step of the round trip, as the user reads it and `--json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Finding git and the repository, and checking it is in a state to commit to.
    Git,
    /// Committing the deck's folder.
    Commit,
    /// Pulling from the remote.
    Pull,
    /// Settling a conflict in the deck's own files.
    Merge,
    /// Bringing progress.yaml up to date with the log.
    Progress,
    /// Pushing to the remote.
    Push,
}

impl Step {
    /// The step's name: `git`, `commit`, `pull`, `merge`, `progress` or `push`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Git => "git",
            Step::Commit => "commit",
            Step::Pull => "pull",
            Step::Merge => "merge",
            Step::Progress => "progress",
            Step::Push => "push",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why the round trip stopped, with what to do; [`Error::step`] says where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The deck is not in a git repository (the reason given), with how to put it in one.
    #[error(
        "{0}. To carry it between machines through git: in your notes folder run `amgi init` (if not done), `git \
         init`, `git add -A`, `git commit -m notes`, `git remote add origin URL` and `git push -u origin HEAD`; then \
         `amgi sync`"
    )]
    NotInGit(String),
    /// git could not be run at all.
    #[error("amgi sync runs git, which could not be run ({0}): install git")]
    NoGit(std::io::Error),
    /// A rebase the user has to finish first.
    #[error(
        "git is in the middle of a rebase: finish it (`git rebase --continue`) or `git rebase --abort`, then `amgi \
         sync` again"
    )]
    Rebasing,
    /// HEAD is detached: a commit would be left behind by the next `git switch`. Found before anything is
    /// committed.
    #[error(
        "HEAD is not on a branch (a detached HEAD), and a commit here would be left behind by the next switch: `git \
         switch BRANCH` (the branch you sync, such as main), then `amgi sync`; nothing was committed"
    )]
    Detached,
    /// The repository (its work tree given) has no remote; the answers are committed.
    #[error(
        "the repository {} has no remote to sync with: `git remote add origin URL`, then `amgi sync` (what is here \
         is committed)",
        crate::visible::name(.0)
    )]
    NoRemote(PathBuf),
    /// git could not merge files outside the deck's folder (the notes): the user's to resolve. `git` is what git
    /// said, if anything.
    #[error(
        "{}git could not merge {files}: resolve the conflicts there, `git add` them and `git commit`, then `amgi \
         sync` again (every answer is in {}, which merges on its own)",
        first(git),
        crate::visible::name(.log)
    )]
    Conflicts {
        /// What git said when the pull stopped; empty for a merge the user left.
        git: String,
        /// The files in conflict, comma-separated.
        files: String,
        /// reviews.yaml.
        log: PathBuf,
    },
    /// A rebase stopped on a conflict, with what git said.
    #[error(
        "{git}\nthe rebase stopped: resolve the conflicts, `git add` them and `git rebase --continue` (or `git \
         rebase --abort`), then `amgi sync` again; every answer is in {}",
        crate::visible::name(.log)
    )]
    RebaseStopped {
        /// What git said.
        git: String,
        /// reviews.yaml.
        log: PathBuf,
    },
    /// The push failed for another reason than the remote having moved on (refused by the server, no network),
    /// with what git said.
    #[error("{0}\nnothing is lost: the answers are committed here; `amgi sync` again sends them")]
    Push(String),
    /// git failed at a step, with what it said.
    #[error("{message}")]
    Git {
        /// Where.
        step: Step,
        /// What git said, and what to do about a lock left behind.
        message: String,
    },
    /// reviews.yaml could not be read, or written with both sides' lines.
    #[error(transparent)]
    Log(crate::store::StoreError),
    /// progress.yaml could not be read, rebuilt or saved (the caller's message).
    #[error("{0}")]
    Progress(String),
}

/// `text` and a newline, or nothing for no text.
fn first(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}\n")
    }
}

impl Error {
    /// The step the round trip stopped at.
    pub fn step(&self) -> Step {
        match self {
            Error::NotInGit(_) | Error::NoGit(_) | Error::Rebasing | Error::Detached => Step::Git,
            Error::NoRemote(_) | Error::Conflicts { .. } | Error::RebaseStopped { .. } => Step::Pull,
            Error::Push(_) => Step::Push,
            Error::Git { step, .. } => *step,
            Error::Log(_) => Step::Merge,
            Error::Progress(_) => Step::Progress,
        }
    }
}

/// What the pull did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pull {
    /// No pull happened (yet), or the remote has no such branch.
    #[default]
    None,
    /// Nothing new.
    UpToDate,
    /// Fast-forwarded.
    FastForward,
    /// Rebased onto the remote's branch.
    Rebased,
    /// Merged, and the merge committed.
    Merged,
}

impl Pull {
    /// The name `--json` gives it: `none`, `up_to_date`, `fast_forward`, `rebased` or `merged`.
    pub fn name(self) -> &'static str {
        match self {
            Pull::None => "none",
            Pull::UpToDate => "up_to_date",
            Pull::FastForward => "fast_forward",
            Pull::Rebased => "rebased",
            Pull::Merged => "merged",
        }
    }
}

/// What the round trip did, as far as it went.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The message of the commit made of the deck's changes.
    pub committed: Option<String>,
    /// Answers in that commit.
    pub answers: usize,
    /// What the pull did.
    pub pull: Pull,
    /// Whether progress.yaml was rebuilt from a merged log.
    pub rebuilt: bool,
    /// Whether the push went through.
    pub pushed: bool,
}

/// What the round trip asks of its caller.
pub trait Events {
    /// A step done, in a sentence (git's words in it are untrusted text).
    fn said(&mut self, step: Step, text: &str);

    /// Brings progress.yaml up to date with reviews.yaml (rebuilt from it when it is out of date, mixed by a
    /// merge or in conflict). Whether it was written.
    fn rebuild(&mut self) -> Result<bool, Error>;
}

/// A deck's folder in a git work tree.
pub struct Repo {
    git: Git,
    /// The deck's folder as git names it, relative to the work tree (`.` for the top).
    rel: String,
}

impl Repo {
    /// The work tree that holds the deck's folder `dir`.
    pub fn find(dir: &Path) -> Result<Repo, Error> {
        let git = Git::find(dir)?;
        let rel = relative(&git.top, dir);
        Ok(Repo { git, rel })
    }

    /// The work tree.
    pub fn top(&self) -> &Path {
        &self.git.top
    }

    /// Commits the deck's folder (the deck's files in `store`), pulls, rebuilds, pushes; `today` dates the
    /// commit messages. What was done is in `outcome`, also when it stops.
    pub fn round_trip(
        &self,
        store: &Store,
        today: Date,
        outcome: &mut Outcome,
        events: &mut dyn Events,
    ) -> Result<(), Error> {
        Trip {
            git: &self.git,
            rel: &self.rel,
            store,
            today,
            outcome,
            events,
        }
        .run()
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

/// One round trip under way.
struct Trip<'a> {
    git: &'a Git,
    rel: &'a str,
    store: &'a Store,
    today: Date,
    outcome: &'a mut Outcome,
    events: &'a mut dyn Events,
}

impl Trip<'_> {
    fn run(&mut self) -> Result<(), Error> {
        let git = self.git;
        if git.rebasing() {
            return Err(Error::Rebasing);
        }
        // Before anything is committed: a commit on a detached HEAD is left behind by the next `git switch`, and
        // the deck's files with it.
        let branch = git
            .line(&["symbolic-ref", "--short", "-q", "HEAD"])
            .ok_or(Error::Detached)?;
        if git.merging() {
            // A merge left for the user: finish it when only the deck's files are in conflict.
            self.resolve(String::new())?;
            git.run(Step::Commit, &["commit", "--no-edit", "-q"])?;
            self.events.said(Step::Commit, "finished the merge");
        }
        // progress.yaml brought up to date with the log before it is committed.
        self.events.rebuild()?;
        self.commit()?;
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
                    return Err(Error::NoRemote(git.top.clone()));
                };
                (remote.to_string(), branch.clone(), true)
            }
        };
        for attempt in 0..2 {
            let exists = !set_upstream || git.ok(&["ls-remote", "--exit-code", "--heads", &remote, &remote_branch]);
            if exists {
                self.pull(&remote, &remote_branch)?;
            } else {
                self.events.said(
                    Step::Pull,
                    &format!("{remote} has no branch {remote_branch} yet: nothing to pull"),
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
                self.outcome.pushed = true;
                self.events.said(Step::Push, &format!("{remote} {remote_branch}"));
                return Ok(());
            }
            if attempt == 0 && exists && (git::moved_on(&out.stderr) || git.remote_moved(&remote, &remote_branch)) {
                self.events.said(
                    Step::Push,
                    &format!("{remote} has moved on since the pull; pulling again"),
                );
                continue;
            }
            return Err(Error::Push(git.failed(&out)));
        }
        unreachable!("the loop returns")
    }

    /// Settles conflicts git left in the deck's own files: reviews.yaml keeps both sides' lines (the union the
    /// deck's `.gitattributes` asks for; each answer counts once), progress.yaml is rebuilt from it later. A
    /// conflict in any other file (the notes) is the user's to resolve: stops, naming them, after what git said
    /// (`said`).
    fn resolve(&mut self, said: String) -> Result<(), Error> {
        let unmerged = self.git.unmerged();
        let own = if self.rel == "." {
            Path::new("")
        } else {
            Path::new(self.rel)
        };
        let others: Vec<String> = unmerged
            .iter()
            .filter(|p| !p.starts_with(own))
            .map(|p| crate::visible::name(p).to_string())
            .collect();
        if !others.is_empty() {
            return Err(Error::Conflicts {
                git: said,
                files: others.join(", "),
                log: self.store.reviews_path(),
            });
        }
        if self.store.settle_log_conflict().map_err(Error::Log)? {
            let log = self.store.reviews_path();
            self.events.said(
                Step::Merge,
                &format!("kept both sides' lines of {}", crate::visible::name(&log)),
            );
        }
        if self.store.settle_attempts_conflict().map_err(Error::Log)? {
            let attempts = self.store.attempts_path();
            self.events.said(
                Step::Merge,
                &format!("kept both sides' lines of {}", crate::visible::name(&attempts)),
            );
        }
        if !unmerged.is_empty() {
            self.git.run(Step::Merge, &["add", "-A", "--", self.rel])?;
        }
        Ok(())
    }

    /// Commits the deck's folder when anything in it changed, with a message that says what: `12 answers,
    /// 2026-12-01`.
    fn commit(&mut self) -> Result<(), Error> {
        let (git, rel) = (self.git, self.rel);
        git.run(Step::Commit, &["add", "-A", "--", rel])?;
        if git.ok(&["diff", "--cached", "--quiet", "--", rel]) {
            self.events.said(Step::Commit, "nothing new to commit");
            return Ok(());
        }
        let log = format!("{rel}/reviews.yaml");
        let diff = git.run(Step::Commit, &["diff", "--cached", "-U0", "--no-color", "--", &log])?;
        let added: Vec<&str> = diff
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .collect();
        let answers = crate::store::count_answers(added.iter().map(|l| &l[1..]));
        let others = added.len() - answers;
        let day = self.today;
        let message = match (answers, others) {
            (0, 0) => format!("progress, {day}"),
            (0, n) => format!("{n} {}, {day}", if n == 1 { "change" } else { "changes" }),
            (n, _) => format!("{n} {}, {day}", if n == 1 { "answer" } else { "answers" }),
        };
        git.run(Step::Commit, &["commit", "-q", "-m", &message, "--", rel])?;
        self.outcome.answers += answers;
        self.events.said(Step::Commit, &message);
        self.outcome.committed = Some(message);
        Ok(())
    }

    /// Pulls `remote`'s `branch` (a merge, unless the user configured a rebase), finishes a merge whose only
    /// conflicts are the deck's own files, rebuilds progress.yaml from the merged log and commits it.
    fn pull(&mut self, remote: &str, branch: &str) -> Result<(), Error> {
        let (git, rel) = (self.git, self.rel);
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
                return Err(Error::RebaseStopped {
                    git: git::git_message(&out),
                    log: self.store.reviews_path(),
                });
            }
            if !git.merging() {
                return Err(Error::Git {
                    step: Step::Pull,
                    message: git.failed(&out),
                });
            }
            // Conflicts: settled when they are only in the deck's files (a user's own merge strategy for them).
            self.resolve(git::git_message(&out))?;
        }
        let merging = git.merging();
        self.outcome.rebuilt = self.events.rebuild()? || self.outcome.rebuilt;
        let after_pull = git.line(&["rev-parse", "-q", "--verify", "HEAD"]);
        self.outcome.pull = if merging {
            git.run(Step::Commit, &["add", "-A", "--", rel])?;
            git.run(Step::Commit, &["commit", "-q", "--no-edit"])?;
            Pull::Merged
        } else if before == after_pull {
            Pull::UpToDate
        } else if rebase {
            Pull::Rebased
        } else {
            Pull::FastForward
        };
        self.events.said(
            Step::Pull,
            &match self.outcome.pull {
                Pull::Merged => format!("merged {remote}/{branch}"),
                Pull::Rebased => format!("rebased onto {remote}/{branch}"),
                Pull::FastForward => format!("fast-forwarded to {remote}/{branch}"),
                _ => format!("{remote}/{branch} has nothing new"),
            },
        );
        if self.outcome.rebuilt {
            self.events.said(
                Step::Progress,
                &format!(
                    "{} rebuilt from the merged {}",
                    crate::visible::name(&self.store.progress_path()),
                    crate::visible::name(&self.store.reviews_path())
                ),
            );
        }
        if !merging {
            git.run(Step::Commit, &["add", "-A", "--", rel])?;
            if !git.ok(&["diff", "--cached", "--quiet", "--", rel]) {
                let message = format!("progress rebuilt from the merged log, {}", self.today);
                git.run(Step::Commit, &["commit", "-q", "-m", &message, "--", rel])?;
                self.events.said(Step::Commit, &message);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_its_step_and_says_what_to_do() {
        assert_eq!(Error::Detached.step(), Step::Git);
        assert!(Error::Detached.to_string().contains("`git switch BRANCH`"));
        let left = Error::Conflicts {
            git: String::new(),
            files: "노트/면접.md".into(),
            log: PathBuf::from(".amgi/reviews.yaml"),
        };
        assert_eq!(left.step(), Step::Pull);
        assert!(
            left.to_string().starts_with("git could not merge 노트/면접.md: "),
            "{left}"
        );
        let pulled = Error::Conflicts {
            git: "CONFLICT (content)".into(),
            files: "a.md".into(),
            log: PathBuf::from("reviews.yaml"),
        };
        assert!(
            pulled
                .to_string()
                .starts_with("CONFLICT (content)\ngit could not merge a.md"),
            "{pulled}"
        );
        let push = Error::Push("! [remote rejected]".into());
        assert_eq!(push.step().name(), "push");
        assert!(push.to_string().contains("nothing is lost"));
    }
}
