//! Helpers every integration test binary shares: running amgi and reading what it printed.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

pub mod tmux;

use assert_cmd::Command;

/// Where the binary keeps parsed decks during the tests (`AMGI_CACHE`): under the build folder.
pub const CACHE: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/amgi-cache");
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

/// The keys of the JSON object `text`, in the order they are written (serde_json's own maps sort them).
pub fn keys_in_order(text: &str) -> Vec<String> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut keys = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                keys.push(key);
            }
            Ok(keys)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text.trim());
    de.deserialize_map(Keys)
        .unwrap_or_else(|e| panic!("not a JSON object ({e}): {text}"))
}

/// The most decimals any number in the JSON `text` is written with (text in strings is left alone).
pub fn most_decimals(text: &str) -> usize {
    let (mut most, mut in_string, mut escaped) = (0, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '.' {
            let mut decimals = 0;
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
                decimals += 1;
            }
            most = most.max(decimals);
        }
    }
    most
}

/// Checks that the README documents `keys` in this order in the part that starts at `section` (each as `` `key` ``,
/// the first mention of each after the one before).
pub fn readme_documents_in_order(section: &str, keys: &[&str]) {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README.md");
    let mut at = readme
        .find(section)
        .unwrap_or_else(|| panic!("no {section:?} in the README"));
    for key in keys {
        let mention = format!("`{key}`");
        let found = readme[at..]
            .find(&mention)
            .unwrap_or_else(|| panic!("the README does not document {mention} after the key before it ({section})"));
        at += found + mention.len();
    }
}

/// Whether git can be run here; a test that needs it says why it skips when it cannot.
pub fn have_git() -> bool {
    let found = std::process::Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("git is not installed: the tests that need it are skipped");
    }
    found
}

/// What git needs from the environment in a test, whatever the machine's configuration: no system config, and an
/// identity to commit with. Give it with `.envs(common::GIT_ENV)`, and remove `GIT_DIR` and `GIT_WORK_TREE`.
pub const GIT_ENV: [(&str, &str); 5] = [
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_AUTHOR_NAME", "테스트"),
    ("GIT_AUTHOR_EMAIL", "test@example.com"),
    ("GIT_COMMITTER_NAME", "테스트"),
    ("GIT_COMMITTER_EMAIL", "test@example.com"),
];
