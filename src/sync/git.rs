//! The system `git`, run as the round trip needs it: in one work tree, its output read as data (paths
//! NUL-separated and as bytes, never shown without [`crate::visible`]), and its failures turned into an
//! [`Error`] at a [`Step`] with git's own message.

use super::{Error, Step};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
pub(super) struct Git {
    pub(super) top: PathBuf,
}

impl Git {
    /// The work tree that holds `dir`.
    pub(super) fn find(dir: &Path) -> Result<Git, Error> {
        let out = git()
            .arg("-C")
            .arg(dir)
            .args(["rev-parse", "--show-toplevel"])
            .output()
            .map_err(Error::NoGit)?;
        if !out.status.success() {
            return Err(Error::NotInGit(format!(
                "{} is not in a git repository",
                crate::visible::name(dir)
            )));
        }
        Ok(Git {
            top: path_of(out.stdout.strip_suffix(b"\n").unwrap_or(&out.stdout)),
        })
    }

    pub(super) fn output(&self, args: &[&str]) -> Result<Output, Error> {
        git().arg("-C").arg(&self.top).args(args).output().map_err(Error::NoGit)
    }

    /// Runs git; its output when it succeeds, else an [`Error`] at `step` with git's own message.
    pub(super) fn run(&self, step: Step, args: &[&str]) -> Result<String, Error> {
        let out = self.output(args)?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(Error::Git {
                step,
                message: self.failed(&out),
            })
        }
    }

    /// What git said when it failed with `out`, and what to do about each lock file a killed git may have left
    /// behind (the index's, HEAD's, the branch's, …; git's advice about them may be in another language, or
    /// missing).
    pub(super) fn failed(&self, out: &Output) -> String {
        let mut message = git_message(out);
        let branch = self.line(&["symbolic-ref", "-q", "HEAD"]);
        let names = ["index", "HEAD", "ORIG_HEAD", "MERGE_HEAD", "packed-refs", "config"]
            .into_iter()
            .map(str::to_string)
            .chain(branch);
        for name in names {
            if let Some(lock) = self
                .path(&["rev-parse", "--git-path", &format!("{name}.lock")])
                .filter(|p| p.exists())
            {
                message.push_str(&format!(
                    "\n{} is there: another git may be running in {}; if none is, remove that file, then `amgi \
                     sync` again",
                    crate::visible::name(&lock),
                    crate::visible::name(&self.top)
                ));
            }
        }
        message
    }

    /// Whether git succeeds.
    pub(super) fn ok(&self, args: &[&str]) -> bool {
        self.output(args).is_ok_and(|o| o.status.success())
    }

    /// One line of git's output, trimmed; `None` when git fails or says nothing.
    pub(super) fn line(&self, args: &[&str]) -> Option<String> {
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
    pub(super) fn unmerged(&self) -> Vec<PathBuf> {
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

    pub(super) fn merging(&self) -> bool {
        self.ok(&["rev-parse", "-q", "--verify", "MERGE_HEAD"])
    }

    pub(super) fn rebasing(&self) -> bool {
        ["rebase-merge", "rebase-apply"].iter().any(|name| {
            self.path(&["rev-parse", "--git-path", name])
                .is_some_and(|p| p.exists())
        })
    }

    /// Whether `remote`'s `branch` now holds a commit that HEAD does not: someone pushed between the pull and
    /// the push (git then says only `failed to update ref`), as against a refusal with the remote where HEAD left
    /// it.
    pub(super) fn remote_moved(&self, remote: &str, branch: &str) -> bool {
        let Some(listed) = self.line(&["ls-remote", "--heads", remote, &format!("refs/heads/{branch}")]) else {
            return false;
        };
        // The server's answer is checked to be a commit id before git is given it.
        match listed.split_whitespace().next() {
            Some(tip) if tip.bytes().all(|b| b.is_ascii_hexdigit()) => {
                !self.ok(&["merge-base", "--is-ancestor", tip, "HEAD"])
            }
            _ => false,
        }
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
pub(super) fn git_message(out: &Output) -> String {
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

/// Whether git refused a push because the remote has commits this clone lacks, by its own `[rejected]` line
/// (in `stderr`) saying `fetch first` or `non-fast-forward` (words git does not translate). A refusal by the
/// server (a hook, a protected branch: `[remote rejected]`) is not, and what the server said is the user's to
/// read.
pub(super) fn moved_on(stderr: &[u8]) -> bool {
    String::from_utf8_lossy(stderr).lines().any(|line| {
        // Lines from the server start with `remote:`; what a hook prints is not git's verdict.
        !line.starts_with("remote:")
            && line.contains("[rejected]")
            && (line.contains("(fetch first)") || line.contains("(non-fast-forward)"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_gits_own_rejection_says_the_remote_moved_on() {
        assert!(moved_on(
            b" ! [rejected]        main -> main (fetch first)\nerror: failed to push\n"
        ));
        assert!(moved_on(b" ! [rejected]        HEAD -> main (non-fast-forward)\n"));
        assert!(!moved_on(
            b"remote: refused\n ! [remote rejected] HEAD -> main (pre-receive hook declined)\n"
        ));
        // A hook cannot make amgi pull again by printing git's words.
        assert!(!moved_on(b"remote:  ! [rejected] main -> main (fetch first)\n"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_child_ends_when_what_started_it_ends() {
        use std::os::unix::process::ExitStatusExt;
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
