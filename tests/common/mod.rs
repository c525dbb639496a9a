//! Helpers every integration test binary shares: running amgi and reading what it printed.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// What one run of amgi gave back.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` and checks what must hold for any input: it did not panic and its output is UTF-8.
pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("amgi starts");
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "amgi panicked:\n{}", run.stderr);
    assert!(
        run.code.is_some(),
        "amgi was killed (crash, stack overflow or timeout):\n{}",
        run.stderr
    );
    run
}

/// Each line of `text` as JSON.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}")))
        .collect()
}
