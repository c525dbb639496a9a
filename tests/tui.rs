//! The real full-screen quiz in a real terminal: amgi runs inside tmux, keys are typed with `send-keys`, and the
//! screen is read back with `capture-pane`.
//!
//! Needs tmux (CI installs it); without it these tests say so and pass, since nothing can be checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

const WIDTH: u16 = 100;
const HEIGHT: u16 = 30;

/// A tmux server of its own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn start(test: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipping {test}");
            return None;
        }
        let dir = tempfile::TempDir::new().unwrap();
        let socket = format!("amgi-test-{}-{test}", std::process::id());
        let tmux = Tmux { socket, dir };
        let shell = "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=xterm-256color PS1='$ ' bash --norc --noprofile";
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &WIDTH.to_string(),
            "-y",
            &HEIGHT.to_string(),
            shell,
        ]);
        tmux.wait_for(|screen| screen.starts_with('$'), "a shell prompt");
        Some(tmux)
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend(keys);
        self.run(&args);
    }

    fn screen(&self) -> String {
        String::from_utf8(self.run(&["capture-pane", "-p", "-t", "t"]).stdout).unwrap()
    }

    fn alternate_screen(&self) -> bool {
        let out = self.run(&["display-message", "-p", "-t", "t", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Waits (up to 10 s) until the screen satisfies `ok`.
    fn wait_for(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
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
            sleep(Duration::from_millis(50));
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts amgi in the pane on the fixture deck.
    fn amgi(&self, extra: &str) {
        let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
        self.amgi_on(&notes, "", extra);
    }

    /// Starts amgi in the pane on `notes`, with `env` before the command.
    fn amgi_on(&self, notes: &Path, env: &str, extra: &str) {
        let bin = env!("CARGO_BIN_EXE_amgi");
        let command = format!(
            "{env} AMGI_NOW=2026-11-24T21:00:00+09:00 {bin} --notes '{}' --data-dir {} {extra}; echo \"exit=$?\"",
            notes.display(),
            self.data().display()
        );
        self.keys(&[&command, "Enter"]);
    }

    /// The pane is back to the shell: no alternate screen, and typed text is echoed.
    fn assert_shell_is_back(&self, exit: &str) {
        self.wait_for(|s| s.contains(exit), exit);
        assert!(!self.alternate_screen(), "the alternate screen was left");
        self.keys(&["echo typed-$((6*7))", "Enter"]);
        let screen = self.wait_for(|s| s.contains("typed-42"), "the echo");
        assert!(
            screen.contains("echo typed-$((6*7))"),
            "what was typed is echoed:\n{screen}"
        );
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

/// The lines of reviews.yaml about a card (the answers, undos and suspensions), not the settings lines.
fn answers_in(data: &Path) -> Vec<String> {
    let reviews = std::fs::read_to_string(data.join("reviews.yaml")).unwrap_or_default();
    reviews
        .lines()
        .filter(|l| l.starts_with("- {card:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn drill_three_cards_and_quit() {
    let Some(tmux) = Tmux::start("drill") else { return };
    tmux.amgi("");
    let screen = tmux.wait_for(|s| s.contains("Space reveal"), "the first question");
    assert!(tmux.alternate_screen());
    assert!(screen.contains("TCP와 UDP의 차이는?"), "{screen}");
    assert!(screen.contains("network › 전송 계층"), "context path:\n{screen}");
    assert!(screen.contains("4 · 0 · 0"), "counters:\n{screen}");

    tmux.keys(&["Space"]);
    let screen = tmux.wait_for(|s| s.contains("1 Again"), "the answer");
    assert!(screen.contains("연결 지향"), "{screen}");
    assert!(screen.contains("3 Good 10m"), "{screen}");
    tmux.keys(&["3"]);
    let screen = tmux.wait_for(|s| s.contains("3-way handshake란?"), "the second question");
    // Good keeps a new card in its learning steps: it is not done yet, and the total does not grow.
    assert!(screen.contains("0/4"), "progress:\n{screen}");

    tmux.keys(&["Enter"]);
    tmux.wait_for(|s| s.contains("1 Again"), "the second answer");
    tmux.keys(&["4"]);
    tmux.wait_for(|s| s.contains("쿠키와 세션의 차이는?"), "the third question");
    tmux.keys(&["Space"]);
    tmux.wait_for(|s| s.contains("1 Again"), "the third answer");
    tmux.keys(&["1"]);
    let screen = tmux.wait_for(
        |s| s.contains("Space reveal") && !s.contains("쿠키와 세션의 차이는?"),
        "a fourth card",
    );
    // Easy finished the second card; the first and third come back: one done of four.
    assert!(screen.contains("1/4"), "{screen}");
    assert_eq!(
        answers_in(&tmux.data()).len(),
        3,
        "every answer is on disk before the next card"
    );

    tmux.keys(&["ㅂ"]);
    tmux.assert_shell_is_back("exit=0");
    let progress = std::fs::read_to_string(tmux.data().join("progress.yaml")).unwrap();
    for id in [
        "network/전송 계층/TCP와 UDP의 차이는?",
        "network/전송 계층/3-way handshake란?",
        "web/쿠키와 세션의 차이는?",
    ] {
        assert!(progress.contains(id), "{id} not in progress.yaml:\n{progress}");
    }
    let screen = tmux.screen();
    assert!(
        screen.contains("3 answered · 1 again"),
        "summary after the quiz:\n{screen}"
    );
}

/// `!` suspends the card up, on its question or its answer: the next one is up at once, the flash says how to undo
/// or release, `u` brings it back, and the suspension is on disk.
#[test]
fn bang_suspends_the_card_up_and_u_takes_it_back() {
    let Some(tmux) = Tmux::start("suspend") else { return };
    tmux.amgi("");
    tmux.wait_for(|s| s.contains("TCP와 UDP의 차이는?"), "the first question");
    tmux.keys(&["!"]);
    let screen = tmux.wait_for(|s| s.contains("3-way handshake란?"), "the second question");
    assert!(screen.contains("suspended until amgi release · u undoes"), "{screen}");
    assert!(screen.contains("3 · 0 · 0"), "one card fewer:\n{screen}");
    tmux.keys(&["u"]);
    let screen = tmux.wait_for(|s| s.contains("TCP와 UDP의 차이는?"), "the first question again");
    assert!(screen.contains("undone"), "{screen}");
    tmux.keys(&["Space"]);
    tmux.wait_for(|s| s.contains("1 Again"), "its answer");
    tmux.keys(&["!"]);
    tmux.wait_for(
        |s| s.contains("3-way handshake란?") && s.contains("suspended until"),
        "suspended from its answer",
    );
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
    let lines = answers_in(&tmux.data());
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].contains("suspended: true") && lines[1].contains("suspended: false"),
        "{lines:?}"
    );
    assert!(lines[2].contains("\"network/전송 계층/TCP와 UDP의 차이는?\"") && lines[2].contains("suspended: true"));
    let progress = std::fs::read_to_string(tmux.data().join("progress.yaml")).unwrap();
    assert!(progress.contains("    suspended: true\n"), "{progress}");
}

#[test]
fn sigterm_in_the_middle_of_a_card_restores_the_terminal() {
    signal_in_the_middle_of_a_card("TERM");
}

#[test]
fn sighup_in_the_middle_of_a_card_restores_the_terminal() {
    signal_in_the_middle_of_a_card("HUP");
}

#[test]
fn sigint_from_outside_in_the_middle_of_a_card_restores_the_terminal() {
    signal_in_the_middle_of_a_card("INT");
}

/// `Ctrl-\` is a key in raw mode, so a SIGQUIT comes from outside (`kill -QUIT`); its default would leave the screen
/// raw on the alternate screen (and dump core).
#[test]
fn sigquit_in_the_middle_of_a_card_restores_the_terminal() {
    signal_in_the_middle_of_a_card("QUIT");
}

/// An allocation that fails, or a stack that overflows, ends amgi through `abort`, without unwinding: the SIGABRT
/// it raises gives the terminal back before the process ends (exit 134, as for any abort).
#[test]
fn an_abort_in_the_middle_of_a_card_restores_the_terminal() {
    signal_in_the_middle_of_a_card_exits("ABRT", "exit=134");
}

fn signal_in_the_middle_of_a_card(signal: &str) {
    signal_in_the_middle_of_a_card_exits(signal, "exit=0");
}

fn signal_in_the_middle_of_a_card_exits(signal: &str, exit: &str) {
    let Some(tmux) = Tmux::start(&signal.to_lowercase()) else {
        return;
    };
    tmux.amgi("");
    tmux.wait_for(|s| s.contains("Space reveal"), "the first question");
    tmux.keys(&["Space"]);
    tmux.wait_for(|s| s.contains("1 Again"), "the answer");
    tmux.keys(&["3"]);
    tmux.wait_for(|s| s.contains("3-way handshake란?"), "the second question");
    tmux.keys(&["Space"]);
    tmux.wait_for(|s| s.contains("1 Again"), "the second answer");
    // Only this test's amgi: its data folder is in the command line.
    let pattern = format!("--data-dir {}", tmux.data().display());
    let killed = Command::new("pkill")
        .args([&format!("-{signal}"), "-f", "--", &pattern])
        .status()
        .unwrap();
    assert!(killed.success());
    tmux.assert_shell_is_back(exit);
    assert_eq!(
        answers_in(&tmux.data()).len(),
        1,
        "the answer given before the signal is kept"
    );
}

#[test]
fn e_edits_the_card_and_the_quiz_goes_on_with_the_new_answer() {
    let Some(tmux) = Tmux::start("edit") else { return };
    let notes = tmux.dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui/network.md");
    std::fs::copy(fixture, notes.join("network.md")).unwrap();
    // An "editor" that records where it was asked to open and adds a line to the first card's answer.
    let editor = tmux.dir.path().join("editor.sh");
    let log = tmux.dir.path().join("editor.log");
    let script = format!(
        "#!/bin/sh\necho \"$1 $2\" > '{}'\nsed -i 's/^- UDP: 8바이트 헤더/- UDP: 8바이트 헤더\\n- 추가: 편집기에서 쓴 줄/' \"$2\"\n",
        log.display()
    );
    std::fs::write(&editor, script).unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    tmux.amgi_on(&notes, &format!("EDITOR={}", editor.display()), "");
    tmux.wait_for(|s| s.contains("Space reveal"), "the first question");
    tmux.keys(&["e"]);
    tmux.wait_for(|s| s.contains("notes re-read"), "the quiz back after the editor");
    let opened = std::fs::read_to_string(&log).unwrap();
    assert_eq!(opened.trim(), format!("+3 {}", notes.join("network.md").display()));
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for(|s| s.contains("1 Again"), "the answer");
    assert!(
        screen.contains("추가: 편집기에서 쓴 줄"),
        "the edited answer is shown:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
}

/// While the editor runs, every key typed is the editor's: the quiz reads none of them (a `q` among them would end
/// it, an `s` skip a card), and reads keys again once the editor is done.
#[test]
fn keys_typed_into_the_editor_reach_the_editor_not_the_quiz() {
    let Some(tmux) = Tmux::start("editor-keys") else { return };
    let notes = tmux.dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui/network.md");
    std::fs::copy(fixture, notes.join("network.md")).unwrap();
    // An "editor" that reads nine keys as they are typed, the terminal raw, as a real one does.
    let editor = tmux.dir.path().join("editor.sh");
    let typed = tmux.dir.path().join("typed.txt");
    let script = format!(
        "#!/bin/sh\nsaved=$(stty -g)\nstty raw -echo\nprintf 'editor>'\nkeys=$(dd bs=1 count=9 2>/dev/null)\n\
         stty \"$saved\"\nprintf '%s' \"$keys\" > '{}'\n",
        typed.display()
    );
    std::fs::write(&editor, script).unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    tmux.amgi_on(&notes, &format!("EDITOR={}", editor.display()), "");
    tmux.wait_for(|s| s.contains("Space reveal"), "the first question");
    tmux.keys(&["e"]);
    tmux.wait_for(|s| s.contains("editor>"), "the editor");
    for key in ["s", "q", "Space", "1", "Space", "s", "4", "Space", "q"] {
        tmux.keys(&[key]);
        sleep(Duration::from_millis(20));
    }
    tmux.wait_for(|s| s.contains("notes re-read"), "the quiz back after the editor");
    assert_eq!(std::fs::read_to_string(&typed).unwrap(), "sq 1 s4 q");
    let screen = tmux.screen();
    assert!(
        screen.contains("TCP와 UDP의 차이는?"),
        "the card is still up:\n{screen}"
    );
    tmux.keys(&["Space"]);
    tmux.wait_for(|s| s.contains("1 Again"), "the answer, as the quiz reads keys again");
    assert!(
        answers_in(&tmux.data()).is_empty(),
        "no key of the editor's graded a card"
    );
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
}

/// The timer counts on the real clock, on the question, on the answer and under the help overlay, and starts
/// again from nought on the next card (its seconds are written apart from the frames).
#[test]
fn the_timer_counts_the_seconds_of_each_card() {
    let Some(tmux) = Tmux::start("timer") else { return };
    let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
    // No AMGI_NOW: the clock moves.
    let command = format!(
        "{} --notes '{}' --data-dir {}; echo \"exit=$?\"",
        env!("CARGO_BIN_EXE_amgi"),
        notes.display(),
        tmux.data().display()
    );
    tmux.keys(&[&command, "Enter"]);
    let timer = |seconds: &str| format!(" {seconds}s\n");
    tmux.wait_for(
        |s| s.contains("Space reveal") && s.contains(&timer(" 2")),
        "2 s on the question",
    );
    tmux.keys(&["Space"]);
    tmux.wait_for(
        |s| s.contains("1 Again") && s.contains(&timer(" 3")),
        "3 s on the answer",
    );
    tmux.keys(&["?"]);
    tmux.wait_for(
        |s| s.contains(" keys ") && s.contains(&timer(" 4")),
        "4 s under the help",
    );
    tmux.keys(&["?"]);
    tmux.keys(&["3"]);
    // Started again, not going on from the 4 s of the first card: a capture can come before the timer's cells are
    // redrawn, and a loaded machine may show the second question a second or two late.
    let shown = |s: &str| (0..60).find(|n| s.contains(&timer(&format!("{n:>2}"))));
    tmux.wait_for(
        |s| s.contains("3-way handshake란?") && shown(s).is_some_and(|n| n <= 2),
        "the second question, its timer started again",
    );
    tmux.wait_for(|s| s.contains(&timer(" 2")), "2 s on the second question");
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
}

#[test]
fn a_terminal_that_goes_away_ends_the_quiz() {
    let Some(tmux) = Tmux::start("hangup") else { return };
    tmux.amgi("");
    tmux.wait_for(|s| s.contains("Space reveal"), "the first question");
    tmux.keys(&["Space"]);
    tmux.wait_for(|s| s.contains("1 Again"), "the answer");
    tmux.keys(&["3"]);
    tmux.wait_for(|s| s.contains("3-way handshake란?"), "the second question");
    // Closing the terminal hangs it up under amgi; it must end rather than spin on a dead terminal.
    tmux.run(&["kill-server"]);
    let pattern = format!("--data-dir {}", tmux.data().display());
    let start = Instant::now();
    while Command::new("pgrep")
        .args(["-f", "--", &pattern])
        .output()
        .unwrap()
        .status
        .success()
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "amgi still runs after its terminal went away"
        );
        sleep(Duration::from_millis(50));
    }
    assert_eq!(
        answers_in(&tmux.data()).len(),
        1,
        "the answer given before the hang-up is kept"
    );
}

#[test]
fn stats_open_full_screen_scroll_and_q_returns_to_the_shell() {
    let Some(tmux) = Tmux::start("stats") else { return };
    // One answer, given in line mode the evening before.
    let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
    let mut drill = Command::new(env!("CARGO_BIN_EXE_amgi"))
        .env_remove("AMGI_NOTES")
        .env_remove("AMGI_DATA")
        .env("AMGI_NOW", "2026-11-23T21:00:00+09:00")
        .arg("--notes")
        .arg(&notes)
        .arg("--data-dir")
        .arg(tmux.data())
        .args(["--plain", "--new", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut drill.stdin.take().unwrap(), b"\n3\nq\n").unwrap();
    assert!(drill.wait().unwrap().success());
    assert_eq!(answers_in(&tmux.data()).len(), 1);

    tmux.amgi("stats");
    let screen = tmux.wait_for(|s| s.contains("Due in the next 14 days"), "the stats screen");
    assert!(tmux.alternate_screen());
    for heading in [
        "amgi stats · 2026-11-24",
        "Answers · last 26 weeks · 1 on 1 day",
        "Last 30 days",
    ] {
        assert!(screen.contains(heading), "{heading} not on:\n{screen}");
    }
    assert!(screen.contains("Streak    1 day · longest 1 day"), "{screen}");
    assert!(!screen.contains("Leeches"), "below the fold at first:\n{screen}");
    tmux.keys(&["End"]);
    let screen = tmux.wait_for(|s| s.contains("Leeches · 8 or more lapses"), "the bottom");
    assert!(
        screen.contains("Topics · weakest first") || screen.contains("Weakest cards"),
        "{screen}"
    );
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
    assert_eq!(answers_in(&tmux.data()).len(), 1, "stats writes nothing");
}

#[test]
fn the_eve_of_an_interview_offers_a_final_pass_on_f() {
    let Some(tmux) = Tmux::start("final") else { return };
    let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
    // The interview is tomorrow: tonight is the eve.
    let plan = Command::new(env!("CARGO_BIN_EXE_amgi"))
        .env_remove("AMGI_NOTES")
        .env_remove("AMGI_DATA")
        .env("AMGI_NOW", "2026-11-24T21:00:00+09:00")
        .arg("--notes")
        .arg(&notes)
        .arg("--data-dir")
        .arg(tmux.data())
        .args(["plan", "--interview", "2026-11-25"])
        .output()
        .unwrap();
    assert!(plan.status.success(), "{}", String::from_utf8_lossy(&plan.stderr));
    let progress = std::fs::read(tmux.data().join("progress.yaml")).unwrap();

    // No new cards tonight, so nothing is due and the pass is offered at once.
    tmux.amgi("--new 0");
    let screen = tmux.wait_for(|s| s.contains("f final pass"), "the offer");
    assert!(screen.contains("Nothing is due"), "{screen}");
    assert!(screen.contains("before the interview"), "{screen}");
    tmux.keys(&["f"]);
    let screen = tmux.wait_for(|s| s.contains("Space reveal"), "the first card of the pass");
    assert!(screen.contains("TCP와 UDP의 차이는?"), "{screen}");
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for(|s| s.contains("1 Again"), "the answer");
    assert!(!screen.contains("10m"), "a pass shows no intervals:\n{screen}");
    tmux.keys(&["3"]);
    tmux.wait_for(
        |s| s.contains("Space reveal") && !s.contains("TCP와 UDP의 차이는?"),
        "the next card",
    );
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
    let answers = answers_in(&tmux.data());
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(answers[0].contains("mode: cram"), "{answers:?}");
    assert_eq!(
        std::fs::read(tmux.data().join("progress.yaml")).unwrap(),
        progress,
        "the pass leaves the schedule alone"
    );
}

/// The pane's title, which an OSC 0 sequence written to the terminal would change.
fn pane_title(tmux: &Tmux) -> String {
    let out = tmux.run(&["display-message", "-p", "-t", "t", "#{pane_title}"]);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn escape_sequences_in_notes_reach_neither_screen_as_controls() {
    let Some(tmux) = Tmux::start("hostile") else { return };
    let notes = tmux.dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(
        notes.join("net.md"),
        "## 질문 \x1b]0;pwned\x07\n\n답 \x1b]52;c;aGk=\x07 \x1b[2J 끝\n",
    )
    .unwrap();
    let title = pane_title(&tmux);
    for (mode, reveal) in [("", "Space"), ("--plain", "Enter")] {
        tmux.amgi_on(&notes, "", mode);
        tmux.wait_for(|s| s.contains("질문 ␛]0;pwned␇"), "the question, its escape shown");
        tmux.keys(&[reveal]);
        let screen = tmux.wait_for(|s| s.contains("␛]52;c;aGk=␇ ␛[2J 끝"), "the answer, its escapes shown");
        assert!(
            screen.contains("질문"),
            "the screen was not cleared ({mode}):\n{screen}"
        );
        assert_eq!(pane_title(&tmux), title, "the title was changed ({mode})");
        if mode == "--plain" {
            tmux.keys(&["q", "Enter"]);
        } else {
            tmux.keys(&["q"]);
        }
        tmux.assert_shell_is_back("exit=0");
        tmux.keys(&["clear", "Enter"]);
        tmux.wait_for(|s| !s.contains("exit=0"), "a clear pane");
    }
}

/// Starts the quiz on a copy of the fixture notes with an "editor" that runs `sed_script` on the file it opens.
fn quiz_with_editor(test: &str, sed_script: &str) -> Option<Tmux> {
    let tmux = Tmux::start(test)?;
    let notes = tmux.dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
    for file in ["network.md", "web.md"] {
        std::fs::copy(fixtures.join(file), notes.join(file)).unwrap();
    }
    let editor = tmux.dir.path().join("editor.sh");
    std::fs::write(&editor, format!("#!/bin/sh\nsed -i '{sed_script}' \"$2\"\n")).unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    tmux.amgi_on(&notes, &format!("EDITOR={}", editor.display()), "");
    tmux.wait_for(
        |s| s.contains("TCP와 UDP의 차이는?") && s.contains("Space reveal"),
        "the first question",
    );
    tmux.keys(&["e"]);
    tmux.wait_for(|s| s.contains("notes re-read"), "the quiz back after the editor");
    Some(tmux)
}

/// Answers Good until the session is done; the questions asked.
fn answer_until_done(tmux: &Tmux) -> Vec<String> {
    const QUESTIONS: [&str; 4] = [
        "TCP와 UDP의 차이는?",
        "3-way handshake란?",
        "쿠키와 세션의 차이는?",
        "CORS란?",
    ];
    let mut asked = Vec::new();
    for _ in 0..10 {
        let screen = tmux.wait_for(
            |s| !s.contains("1 Again") && (s.contains("Session done") || QUESTIONS.iter().any(|q| s.contains(q))),
            "a card or the end",
        );
        if screen.contains("Session done") {
            return asked;
        }
        let question = QUESTIONS.into_iter().find(|q| screen.contains(q)).expect("a question");
        asked.push(question.to_owned());
        tmux.keys(&["Space"]);
        tmux.wait_for(|s| s.contains("1 Again"), "the answer");
        tmux.keys(&["4"]);
        tmux.wait_for(|s| !s.contains("1 Again"), "the next screen");
    }
    panic!("the session does not end: {asked:?}");
}

#[test]
fn deleting_the_card_up_in_the_editor_goes_on_with_the_cards_left() {
    // Lines 3 to 9 of network.md are the first card.
    let Some(tmux) = quiz_with_editor("delete-this", "3,9d") else {
        return;
    };
    assert_eq!(
        answer_until_done(&tmux),
        ["3-way handshake란?", "쿠키와 세션의 차이는?", "CORS란?"]
    );
    let screen = tmux.screen();
    assert!(screen.contains("0 · 0 · 0"), "nothing left is counted:\n{screen}");
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
}

#[test]
fn deleting_other_cards_in_the_editor_leaves_them_out_of_the_session() {
    // From line 10 on, network.md holds the second card.
    let Some(tmux) = quiz_with_editor("delete-others", "10,$d") else {
        return;
    };
    assert_eq!(
        answer_until_done(&tmux),
        ["TCP와 UDP의 차이는?", "쿠키와 세션의 차이는?", "CORS란?"]
    );
    assert!(
        tmux.screen().contains("0 · 0 · 0"),
        "nothing left is counted:\n{}",
        tmux.screen()
    );
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
}

#[test]
fn a_wrong_notes_path_is_an_error_before_any_screen() {
    let Some(tmux) = Tmux::start("wrong-path") else { return };
    let missing = tmux.dir.path().join("없는-노트");
    tmux.amgi_on(&missing, "", "");
    let screen = tmux.wait_for(|s| s.lines().any(|l| l.starts_with("exit=")), "amgi to end");
    assert!(screen.lines().any(|l| l == "exit=1"), "{screen}");
    assert!(
        screen.contains("unreadable: no such file or folder"),
        "the path is named:\n{screen}"
    );
    assert!(!screen.contains("Nothing is due"), "no screen was shown:\n{screen}");
    assert!(!tmux.alternate_screen());
}

/// A question without a written answer is drilled aloud in the real terminal: the screen says so, Space shows its
/// follow-up questions, Good offers them (`f 꼬리 질문 1개`), and `ㄹ` (f under a Korean input method) asks them first.
#[test]
fn a_question_without_an_answer_is_answered_aloud_and_f_asks_its_follow_ups() {
    let Some(tmux) = Tmux::start("aloud") else { return };
    let notes = tmux.dir.path().join("os.md");
    std::fs::write(
        &notes,
        "## 운영체제\n\n- 프로세스와 스레드의 차이를 설명해 주세요.\n  - 스레드끼리 공유하는 메모리 영역은 어디인가요?\n\n## 교착 상태란?\n\n네 조건이 모두 성립할 때 생깁니다.\n",
    )
    .unwrap();
    tmux.amgi_on(&notes, "", "");
    let screen = tmux.wait_for(|s| s.contains("Space reveal"), "the first question");
    assert!(screen.contains("프로세스와 스레드의 차이를 설명해 주세요."), "{screen}");
    assert!(screen.contains("답이 아직 없습니다"), "{screen}");
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for(|s| s.contains("1 Again"), "the grade bar");
    assert!(screen.contains("꼬리 질문:"), "{screen}");
    assert!(
        screen.contains("› 스레드끼리 공유하는 메모리 영역은 어디인가요?"),
        "{screen}"
    );
    tmux.keys(&["3"]);
    let screen = tmux.wait_for(|s| s.contains("교착 상태란?"), "the next question");
    assert!(screen.contains("f 꼬리 질문 1개"), "{screen}");
    tmux.keys(&["ㄹ"]);
    let screen = tmux.wait_for(|s| s.contains("스레드끼리 공유하는"), "the follow-up, asked first");
    assert!(screen.contains("꼬리 질문 1개 먼저"), "{screen}");
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
    let lines = answers_in(&tmux.data());
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("프로세스와 스레드의 차이를 설명해 주세요.") && lines[0].contains("grade: 3"));
}

/// The help overlay's left border stands in the real terminal where a Hangul syllable of the answer straddles it.
#[test]
fn the_help_overlay_border_stands_over_hangul_in_the_terminal() {
    let Some(tmux) = Tmux::start("helpedge") else { return };
    let notes = tmux.dir.path().join("a.md");
    std::fs::write(
        &notes,
        format!("## 질문\n\n{}\n", "가나다라마바사아자차카타파하".repeat(12)),
    )
    .unwrap();
    tmux.amgi_on(&notes, "", "");
    tmux.wait_for(|s| s.contains("Space reveal"), "the question");
    tmux.keys(&["Space"]);
    tmux.wait_for(|s| s.contains("1 Again"), "the answer");
    tmux.keys(&["?"]);
    let screen = tmux.wait_for(|s| s.contains("keys"), "the help");
    // The overlay's top row runs through the answer's Hangul: its corner must stand.
    let top = screen
        .lines()
        .find(|l| l.contains(" keys "))
        .expect("the overlay's top row");
    assert!(top.contains("┌ keys"), "the top left corner:\n{screen}");
    for row in screen
        .lines()
        .filter(|l| l.contains("Space/Enter") || l.contains("1 2 3 4"))
    {
        assert!(
            row.contains("│Space/Enter") || row.contains("│1 2 3 4"),
            "the left border:\n{screen}"
        );
    }
    tmux.keys(&["q"]);
    tmux.assert_shell_is_back("exit=0");
}
