//! A tmux server of a test's own, for driving the real binary in a real terminal: a bash at 100×30 with a clean
//! environment, keys sent, the screen read back; killed when dropped.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A server named after `test` (`prefix` tells the test binaries apart), with a shell prompt up; `None`
    /// (saying so) when tmux is not installed.
    pub fn start(prefix: &str, test: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipping {test}");
            return None;
        }
        let tmux = Tmux {
            socket: format!("amgi-{prefix}-{}-{test}", std::process::id()),
        };
        let shell = "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color PS1='$ ' bash --norc --noprofile";
        tmux.run(&["-u", "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", shell]);
        tmux.wait_for(|screen| screen.starts_with('$'), "a shell prompt");
        Some(tmux)
    }

    /// Runs a tmux command on this server; it must succeed.
    pub fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Sends keys by tmux's names (`Enter`, `Space`, `C-s`) or as text.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend(keys);
        self.run(&args);
    }

    /// Types `text` as it is (a Korean input method sends each syllable composed).
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "t", "-l", text]);
    }

    /// What the pane shows.
    pub fn screen(&self) -> String {
        String::from_utf8(self.run(&["capture-pane", "-p", "-t", "t"]).stdout).expect("UTF-8 screen")
    }

    /// Waits (up to 10 s) until the screen satisfies `ok`.
    pub fn wait_for(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "waited for {what}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}
