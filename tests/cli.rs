//! Tests of the `amgi` binary as a user runs it: arguments in, text and exit code out.
//!
//! Every run happens in a fresh temporary directory with `AMGI_NOTES` removed, so neither the repo's `notes/` nor
//! the environment of whoever runs the tests is picked up by accident. Big and odd inputs are generated at test
//! time; the small readable notes live in `tests/fixtures/`.

mod common;

use assert_cmd::Command;
use common::{Run, json_lines, run};
use predicates::prelude::*;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tempfile::TempDir;
use unicode_normalization::UnicodeNormalization;

/// Long enough for the 10 MB input on a slow machine; a hang fails instead of blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The good card every bad-input test expects to survive next to the bad file.
const GOOD_NOTES: &str = "## 좋은 질문\n\n좋은 답입니다.\n";
const GOOD_LINE: &str = "good › 좋은 질문";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn deck() -> PathBuf {
    fixtures().join("deck")
}

/// Notes shaped like real interview notes (a `.txt`, question paragraphs, stubs, HTTP version sections), named
/// directly with `--notes`. `.ci/run` checks the user's own notes the same way when they are beside the repo.
fn seedlike() -> PathBuf {
    fixtures().join("seedlike.txt")
}

fn scratch() -> TempDir {
    TempDir::new().expect("a temporary directory")
}

/// `amgi` run in `dir` with `AMGI_NOTES` removed.
fn amgi(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("amgi").expect("the amgi binary is built");
    // Parsed decks are cached where the tests keep their files, not in the home folder.
    cmd.env("AMGI_CACHE", common::CACHE);
    cmd.current_dir(dir).env_remove("AMGI_NOTES").timeout(TIMEOUT);
    cmd
}

/// Runs `cmd`, expects exit 0, returns stdout.
fn stdout(cmd: &mut Command) -> String {
    let run = run(cmd);
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    run.stdout
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {value}"))
}

fn path_of(card: &Value) -> Vec<&str> {
    card["path"]
        .as_array()
        .unwrap_or_else(|| panic!("path is not an array in {card}"))
        .iter()
        .map(|p| p.as_str().expect("path parts are strings"))
        .collect()
}

fn folders_of(card: &Value) -> Vec<&str> {
    card["folders"]
        .as_array()
        .unwrap_or_else(|| panic!("folders is not an array in {card}"))
        .iter()
        .map(|p| p.as_str().expect("folders are strings"))
        .collect()
}

fn questions(cards: &[Value]) -> Vec<&str> {
    cards.iter().map(|c| str_of(c, "question")).collect()
}

/// `cards --json` of `args` (notes and filters), run in `dir`.
/// The cards `cards --json` lists (`"kind": "card"`), without the questions asked with no answer.
fn cards(dir: &Path, args: &[&str]) -> Vec<Value> {
    of_kind(listed(dir, args), "card")
}

/// Everything `cards --json` lists: cards and answerless questions, in note order.
fn listed(dir: &Path, args: &[&str]) -> Vec<Value> {
    json_lines(&stdout(amgi(dir).args(args).args(["cards", "--json"])))
}

fn of_kind(entries: Vec<Value>, kind: &str) -> Vec<Value> {
    entries.into_iter().filter(|e| e["kind"] == kind).collect()
}

fn seedlike_cards(args: &[&str]) -> Vec<Value> {
    let tmp = scratch();
    let notes = seedlike();
    let mut all = vec!["--notes", notes.to_str().expect("a UTF-8 path")];
    all.extend(args);
    cards(tmp.path(), &all)
}

fn card<'a>(cards: &'a [Value], question: &str) -> &'a Value {
    cards
        .iter()
        .find(|c| c["question"] == question)
        .unwrap_or_else(|| panic!("no card {question:?} in {:?}", questions(cards)))
}

/// Writes `files` (relative path, content) under `root`, making folders as needed.
fn write_files(root: &Path, files: &[(&str, &[u8])]) {
    for (path, content) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("folder created");
        fs::write(&path, content).expect("file written");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder created");
    for entry in fs::read_dir(from).expect("fixture folder readable") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("fixture copied");
        }
    }
}

/// Runs `--notes bad --notes good.md cards` and `check` in a folder holding `good.md` and `bad` with `content`.
/// Checks what holds for every bad input: no panic, and the good card is still listed.
fn with_bad_file(bad: &str, content: &[u8]) -> (Run, Run) {
    let tmp = scratch();
    write_files(tmp.path(), &[("good.md", GOOD_NOTES.as_bytes()), (bad, content)]);
    let listed = run(amgi(tmp.path()).args(["--notes", bad, "--notes", "good.md", "cards"]));
    assert!(
        listed.stdout.lines().any(|l| l == GOOD_LINE),
        "the good file's card is missing:\n{}",
        listed.stdout
    );
    let checked = run(amgi(tmp.path()).args(["--notes", bad, "--notes", "good.md", "check"]));
    (listed, checked)
}

// ---------------------------------------------------------------------------------------------------------------
// cards

#[test]
fn cards_prints_topic_path_and_question() {
    let tmp = scratch();
    let out = stdout(amgi(tmp.path()).arg("--notes").arg(deck()).arg("cards"));
    let expected = [
        "알고리즘 › 이진 탐색의 시간 복잡도는?",
        "db › 데이터베이스 › 트랜잭션의 ACID란?",
        "db › 데이터베이스 › 인덱스 › 인덱스를 걸면 항상 빨라지나?",
        "network › 네트워크 › OSI 7계층이란?",
        "network › 네트워크 › 로드 밸런서",
        "network › 네트워크 › 로드 밸런서 › L4와 L7 로드 밸런서의 차이는?",
        "os › process › 프로세스와 스레드의 차이",
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn cards_json_has_every_field_with_file_relative_and_line_of_the_question() {
    let tmp = scratch();
    let cards = cards(tmp.path(), &["--notes", deck().to_str().unwrap()]);
    assert_eq!(cards.len(), 7);
    for card in &cards {
        let keys: Vec<&str> = card
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        for key in ["id", "topic", "path", "question", "answer", "file", "line", "folders"] {
            assert!(keys.contains(&key), "{key} missing in {card}");
        }
        let (topic, question, file) = (str_of(card, "topic"), str_of(card, "question"), str_of(card, "file"));
        assert!(!str_of(card, "answer").trim().is_empty(), "empty answer in {card}");

        let mut id = folders_of(card);
        id.push(topic);
        id.extend(path_of(card));
        id.push(question);
        assert_eq!(str_of(card, "id"), id.join("/"));

        assert!(
            Path::new(file).is_relative(),
            "file is not relative to the notes folder: {file}"
        );
        let line = card["line"].as_u64().expect("line is a number") as usize;
        let text = fs::read_to_string(deck().join(file)).expect("the card's file exists in the fixture");
        let at = text.lines().nth(line - 1).unwrap_or_default();
        assert!(
            at.contains(question),
            "{file}:{line} is {at:?}, not the question {question:?}"
        );
    }

    let acid = card(&cards, "트랜잭션의 ACID란?");
    assert_eq!(acid["file"], "db/README.md");
    assert_eq!(acid["line"], 3);
    assert_eq!(acid["topic"], "db");
    assert_eq!(acid["path"], json!(["데이터베이스"]));
    assert_eq!(acid["folders"], json!([]), "the folder is the topic: not repeated");
    assert!(str_of(acid, "answer").starts_with("트랜잭션이 안전하게"));
    assert!(str_of(acid, "answer").contains("4. 지속성"));

    let qa = card(&cards, "L4와 L7 로드 밸런서의 차이는?");
    assert_eq!(qa["file"], "network.md");
    assert_eq!(qa["line"], 14);
    assert_eq!(qa["path"], json!(["네트워크", "로드 밸런서"]));
    assert!(str_of(qa, "answer").starts_with("L4는 IP와 포트만"));

    let process = card(&cards, "프로세스와 스레드의 차이");
    assert_eq!(process["file"], "os/process.markdown");
    assert_eq!(process["folders"], json!(["os"]));
    assert_eq!(process["id"], "os/process/프로세스와 스레드의 차이");
}

#[test]
fn human_and_json_cards_agree() {
    let tmp = scratch();
    let human = stdout(amgi(tmp.path()).arg("--notes").arg(deck()).arg("cards"));
    let json = cards(tmp.path(), &["--notes", deck().to_str().unwrap()]);
    let from_json: Vec<String> = json
        .iter()
        .map(|c| {
            let mut parts = folders_of(c);
            parts.push(str_of(c, "topic"));
            parts.extend(path_of(c));
            parts.push(str_of(c, "question"));
            parts.join(" › ")
        })
        .collect();
    assert_eq!(human.lines().collect::<Vec<_>>(), from_json);
}

/// A repo organised by folders, as interview repos are.
fn foldered_notes(root: &Path) {
    write_files(
        root,
        &[
            (
                "Computer Science/Network/TCP.md",
                "## 흐름 제어란?\n\n수신 측이 받을 만큼만 보냅니다.\n".as_bytes(),
            ),
            (
                "Computer Science/Network/UDP.md",
                "## UDP는 언제 쓰나?\n\n지연이 중요할 때.\n".as_bytes(),
            ),
            (
                "Computer Science/Database/index.md",
                "## 인덱스란?\n\n찾아보기.\n".as_bytes(),
            ),
            (
                "java/stream.md",
                "## map과 flatMap의 차이는?\n\n자바의 답.\n".as_bytes(),
            ),
            (
                "kotlin/stream.md",
                "## map과 flatMap의 차이는?\n\n코틀린의 답.\n".as_bytes(),
            ),
        ],
    );
}

#[test]
fn a_cards_folders_are_its_context_matched_by_topic_and_shown_before_its_headings() {
    let tmp = scratch();
    foldered_notes(&tmp.path().join("repo"));
    let network = stdout(amgi(tmp.path()).args(["--notes", "repo", "--topic", "network", "cards"]));
    assert_eq!(
        network,
        "Computer Science › Network › TCP › 흐름 제어란?\nComputer Science › Network › UDP › UDP는 언제 쓰나?\n",
        "the Network folder's cards, though no file is named so"
    );
    let json = cards(tmp.path(), &["--notes", "repo"]);
    let ids: Vec<&str> = json.iter().map(|c| str_of(c, "id")).collect();
    assert_eq!(
        ids,
        [
            "Computer Science/Database/인덱스란?",
            "Computer Science/Network/TCP/흐름 제어란?",
            "Computer Science/Network/UDP/UDP는 언제 쓰나?",
            "java/stream/map과 flatMap의 차이는?",
            "kotlin/stream/map과 flatMap의 차이는?",
        ],
        "two stream.md in two folders: two ids, no duplicate"
    );
    assert_eq!(
        json[0]["folders"],
        json!(["Computer Science"]),
        "index.md's folder is its topic"
    );
    assert_eq!(json[0]["topic"], "Database");
    let drill = stdout(
        amgi(tmp.path())
            .args(["--notes", "repo", "--topic", "kotlin", "--data-dir", "data"])
            .write_stdin("q\n"),
    );
    assert!(
        drill.contains("] kotlin › stream\nQ: map과 flatMap의 차이는?\n"),
        "--plain shows the folders before the topic and headings: {drill}"
    );
}

#[test]
fn without_a_subcommand_amgi_drills() {
    let tmp = scratch();
    amgi(tmp.path())
        .arg("--notes")
        .arg(deck())
        .args(["--data-dir", "data"])
        .write_stdin("q\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("\nQ: "))
        .stdout(predicate::str::contains("0 answered"));
}

// ---------------------------------------------------------------------------------------------------------------
// Notes shaped like real ones, a .txt named directly

#[test]
fn seedlike_notes_make_35_cards() {
    let cards = seedlike_cards(&[]);
    assert_eq!(cards.len(), 35, "cards: {:#?}", questions(&cards));

    for question in ["쿠키란?", "세션이란?"] {
        assert_eq!(path_of(card(&cards, question)).last(), Some(&"쿠키, 세션"));
    }
    for question in ["재전송은 누가 하나?", "혼잡제어?", "흐름제어?", "UDP는 언제 쓰나?"] {
        assert_eq!(
            path_of(card(&cards, question)),
            ["연결형과 비연결형 - Services", "신뢰성 - Reliability"],
            "a question paragraph or list item under a sub-heading, runs of spaces in the heading collapsed"
        );
    }
    // `NAT` over `---` is a setext heading, not a paragraph over a rule.
    let nat = card(&cards, "NAT");
    assert_eq!((path_of(nat).len(), &nat["line"]), (0, &json!(88)));
    assert!(str_of(nat, "answer").starts_with("사설 IP"), "{nat}");
    for question in ["HTTP 1.0", "HTTP 1.1", "HTTP 2.0", "HTTP 3.0"] {
        assert_eq!(
            path_of(card(&cards, question)).last(),
            Some(&"HTTP1.0 / 1.1 / 2.0 / 3.0")
        );
    }
    assert!(
        !questions(&cards).contains(&"HTTP1.0 / 1.1 / 2.0 / 3.0"),
        "a heading with only sub-headings under it is not a card"
    );
    let topic = str_of(&cards[0], "topic");
    assert_eq!(topic, "seedlike", "a file named directly takes its stem as topic");
    assert!(cards.iter().all(|c| c["topic"] == topic));
}

#[test]
fn seedlike_notes_have_10_stubs() {
    let tmp = scratch();
    let notes = seedlike();
    let human = stdout(amgi(tmp.path()).arg("--notes").arg(&notes).arg("check"));
    assert_eq!(human.lines().filter(|l| l.contains(": stub: ")).count(), 10, "{human}");

    let json = json_lines(&stdout(
        amgi(tmp.path()).arg("--notes").arg(&notes).args(["check", "--json"]),
    ));
    let stubs: Vec<&str> = json
        .iter()
        .filter(|f| f["kind"] == "stub")
        .map(|f| str_of(f, "question"))
        .collect();
    assert_eq!(stubs.len(), 10, "{stubs:?}");
    for stub in ["비대칭키", "OAuth", "TCP 4 way handshake", "Hash Index", "Redis INCR"] {
        assert!(stubs.contains(&stub), "{stub} is not reported as a stub: {stubs:?}");
    }
    let open: Vec<&str> = json
        .iter()
        .filter(|f| f["kind"] == "open-question")
        .map(|f| str_of(f, "question"))
        .collect();
    assert_eq!(
        open,
        ["바이트 스트림은 경계가 없으니 응용이 길이를 따로 적어야 하나?"],
        "a list item asking with nothing nested under it is open, not a card and not a stub"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// --topic

#[test]
fn topic_http_finds_the_http_cards() {
    let cards = seedlike_cards(&["--topic", "http"]);
    assert_eq!(
        questions(&cards),
        ["HTTP vs HTTPS", "HTTP 1.0", "HTTP 1.1", "HTTP 2.0", "HTTP 3.0"]
    );
}

#[test]
fn topic_ignores_case_and_works_on_either_side_of_the_subcommand() {
    let tmp = scratch();
    let notes = seedlike();
    let list = |args: &[&str]| stdout(amgi(tmp.path()).arg("--notes").arg(&notes).args(args));
    let expected = list(&["--topic", "http", "cards"]);
    assert_eq!(expected.lines().count(), 5);
    for args in [
        ["--topic", "HTTP", "cards"],
        ["cards", "--topic", "HTTP"],
        ["cards", "--topic", "hTtP"],
    ] {
        assert_eq!(list(&args), expected, "amgi {args:?}");
    }
    let notes_after = stdout(
        amgi(tmp.path())
            .args(["cards", "--topic", "Http", "--notes"])
            .arg(&notes),
    );
    assert_eq!(notes_after, expected);
}

#[test]
fn two_topics_list_the_cards_matching_either() {
    let all = seedlike_cards(&[]);
    let cookie = seedlike_cards(&["--topic", "쿠키"]);
    let congestion = seedlike_cards(&["--topic", "혼잡"]);
    let both = seedlike_cards(&["--topic", "쿠키", "--topic", "혼잡"]);
    assert_eq!(questions(&cookie), ["쿠키란?", "세션이란?"]);
    assert_eq!(questions(&congestion), ["혼잡제어?", "혼잡제어"]);
    let either: Vec<&Value> = all
        .iter()
        .filter(|c| cookie.contains(c) || congestion.contains(c))
        .collect();
    assert_eq!(both.iter().collect::<Vec<_>>(), either, "any match wins, in note order");
}

#[test]
fn topic_typed_in_nfd_matches_nfc_cards() {
    let nfd: String = "세션".nfd().collect();
    assert_ne!(nfd, "세션");
    let typed_nfd = seedlike_cards(&["--topic", &nfd]);
    assert!(!typed_nfd.is_empty());
    assert!(questions(&typed_nfd).contains(&"세션이란?"));
    assert_eq!(typed_nfd, seedlike_cards(&["--topic", "세션"]));
}

// ---------------------------------------------------------------------------------------------------------------
// topics

#[test]
fn topics_counts_cards_per_topic_in_display_columns() {
    let tmp = scratch();
    let out = stdout(amgi(tmp.path()).arg("--notes").arg(deck()).arg("topics"));
    // "알고리즘" is 8 columns wide, "  process" 9; the counts line up after them. os/process.markdown's topic is
    // under its folder.
    let expected = "알고리즘      1\ndb            2\nnetwork       3\nos/           1\n  process     1\n";
    assert_eq!(out, expected);
}

#[test]
fn topics_json_has_topic_cards_and_folders() {
    let tmp = scratch();
    let out = stdout(amgi(tmp.path()).arg("--notes").arg(deck()).args(["topics", "--json"]));
    let expected = [
        json!({"topic": "알고리즘", "cards": 1, "folders": []}),
        json!({"topic": "db", "cards": 2, "folders": []}),
        json!({"topic": "network", "cards": 3, "folders": []}),
        json!({"topic": "process", "cards": 1, "folders": ["os"]}),
    ];
    assert_eq!(json_lines(&out), expected);

    let filtered = stdout(
        amgi(tmp.path())
            .arg("--notes")
            .arg(deck())
            .args(["topics", "--json", "--topic", "DB"]),
    );
    assert_eq!(
        json_lines(&filtered),
        [json!({"topic": "db", "cards": 2, "folders": []})]
    );
    assert!(
        out.starts_with("{\"topic\":\"알고리즘\",\"cards\":1,\"folders\":[]}\n"),
        "keys in this order: {out}"
    );
}

#[test]
fn topics_of_the_seedlike_notes_add_up_to_their_cards() {
    let tmp = scratch();
    let notes = seedlike();
    let out = stdout(amgi(tmp.path()).arg("--notes").arg(&notes).args(["topics", "--json"]));
    assert_eq!(
        json_lines(&out),
        [json!({"topic": "seedlike", "cards": 35, "folders": []})]
    );
}

#[test]
fn topics_shows_the_folders_as_a_tree_with_the_cards_in_each() {
    let tmp = scratch();
    foldered_notes(&tmp.path().join("repo"));
    let out = stdout(amgi(tmp.path()).args(["--notes", "repo", "topics"]));
    let expected = "\
Computer Science/     3
  Database            1
  Network/            2
    TCP               1
    UDP               1
java/                 1
  stream              1
kotlin/               1
  stream              1
";
    assert_eq!(out, expected);
    let network = stdout(amgi(tmp.path()).args(["--notes", "repo", "--topic", "network", "topics"]));
    assert_eq!(
        network,
        "Computer Science/     2\n  Network/            2\n    TCP               1\n    UDP               1\n"
    );
    let json = json_lines(&stdout(amgi(tmp.path()).args(["--notes", "repo", "topics", "--json"])));
    assert_eq!(
        json[1],
        json!({"topic": "TCP", "cards": 1, "folders": ["Computer Science", "Network"]})
    );
    assert_eq!(json.len(), 5, "two stream.md in two folders are two topics: {json:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// check

/// Runs in a folder holding a copy of `findings.md`, so findings name it as `findings.md`.
fn check_findings(json: bool) -> String {
    let tmp = scratch();
    fs::copy(fixtures().join("findings.md"), tmp.path().join("findings.md")).expect("fixture copied");
    let mut cmd = amgi(tmp.path());
    cmd.args(["--notes", "findings.md", "check"]);
    if json {
        cmd.arg("--json");
    }
    stdout(&mut cmd)
}

#[test]
fn check_prints_file_line_kind_message_and_exits_0_on_warnings() {
    let out = check_findings(false);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    for prefix in [
        "findings.md:9: stub: ",
        "findings.md:13: open-question: ",
        "findings.md:5: duplicate: ",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(prefix)),
            "no line starts with {prefix:?}:\n{out}"
        );
    }
    let stub = lines.iter().find(|l| l.contains(": stub: ")).unwrap();
    assert!(stub.contains("웹소켓"));
    let duplicate = lines.iter().find(|l| l.contains(": duplicate: ")).unwrap();
    assert!(
        duplicate.contains("findings.md:1"),
        "names where it was first asked: {duplicate}"
    );
}

#[test]
fn check_json_has_file_line_kind_message_and_question() {
    let findings = json_lines(&check_findings(true));
    let mut seen: Vec<(&str, u64, &str)> = findings
        .iter()
        .map(|f| {
            assert_eq!(f["file"], "findings.md");
            assert!(!str_of(f, "message").is_empty());
            (
                str_of(f, "kind"),
                f["line"].as_u64().expect("a line"),
                str_of(f, "question"),
            )
        })
        .collect();
    seen.sort_by_key(|&(_, line, _)| line);
    assert_eq!(
        seen,
        [
            ("duplicate", 5, "캐시"),
            ("stub", 9, "웹소켓"),
            ("open-question", 13, "세대별 수집이 효율적인 이유는?"),
        ]
    );
}

#[test]
fn duplicate_cards_get_distinct_ids() {
    let tmp = scratch();
    let cards = cards(
        tmp.path(),
        &["--notes", fixtures().join("findings.md").to_str().unwrap()],
    );
    let ids: Vec<&str> = cards.iter().map(|c| str_of(c, "id")).collect();
    assert_eq!(ids, ["findings/캐시", "findings/캐시 ~2"]);
}

/// `Deck::findings` and `Parsed::findings` are documented as "in note order"; `check` should read top to bottom.
#[test]
fn check_lists_findings_in_note_order() {
    let out = check_findings(false);
    let lines: Vec<usize> = out
        .lines()
        .map(|l| l.split(':').nth(1).and_then(|n| n.parse().ok()).expect("file:line: …"))
        .collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "findings out of note order:\n{out}");
}

#[test]
fn check_of_a_clean_deck_says_so_in_one_line() {
    let tmp = scratch();
    let out = stdout(amgi(tmp.path()).arg("--notes").arg(deck()).arg("check"));
    assert!(out.starts_with("no findings in ") && out.lines().count() == 1, "{out}");
}

// ---------------------------------------------------------------------------------------------------------------
// Folder walking

#[test]
fn folders_are_walked_recursively_in_sorted_order_for_markdown_only() {
    let tmp = scratch();
    let notes = tmp.path().join("면접");
    copy_dir(&deck(), &notes);
    let ignored = "## 읽으면 안 되는 질문\n\n이 파일은 건너뛰어야 합니다.\n".as_bytes();
    write_files(
        &notes,
        &[
            ("README.md", "## 자기소개를 해 주세요\n\n짧게 준비합니다.\n".as_bytes()),
            (
                "web/README.md",
                "---\ntopic: 웹\n---\n\n## REST란?\n\n자원을 URI로 나타내고 HTTP 메서드로 다룹니다.\n".as_bytes(),
            ),
            (".hidden/secret.md", ignored),
            (".draft.md", ignored),
            ("os/.cache/old.md", ignored),
            ("node_modules/pkg/README.md", ignored),
            ("target/debug/notes.md", ignored),
            (".github/ISSUE_TEMPLATE.md", ignored),
            ("plain.txt", ignored),
        ],
    );
    let cards = cards(tmp.path(), &["--notes", "면접"]);
    let files: Vec<&str> = cards.iter().map(|c| str_of(c, "file")).collect();
    assert_eq!(
        files,
        [
            "README.md",
            "algo.md",
            "db/README.md",
            "db/README.md",
            "network.md",
            "network.md",
            "network.md",
            "os/process.markdown",
            "web/README.md",
        ]
    );
    let topic_of = |question: &str| str_of(card(&cards, question), "topic").to_owned();
    assert_eq!(
        topic_of("자기소개를 해 주세요"),
        "면접",
        "a top README takes the notes folder's name"
    );
    assert_eq!(topic_of("트랜잭션의 ACID란?"), "db", "a README takes its folder's name");
    assert_eq!(
        topic_of("이진 탐색의 시간 복잡도는?"),
        "알고리즘",
        "front matter wins over the stem"
    );
    assert_eq!(
        topic_of("REST란?"),
        "웹",
        "front matter wins over the folder of a README"
    );
    assert_eq!(topic_of("프로세스와 스레드의 차이"), "process");
    assert!(!questions(&cards).contains(&"읽으면 안 되는 질문"));
    assert!(
        !questions(&cards).contains(&"메모는 카드가 아닙니다"),
        "memo.txt is not walked"
    );
}

#[test]
fn a_txt_file_in_a_folder_is_read_when_named_directly() {
    let tmp = scratch();
    let memo = deck().join("memo.txt");
    let cards = cards(tmp.path(), &["--notes", memo.to_str().unwrap()]);
    assert_eq!(questions(&cards), ["메모는 카드가 아닙니다"]);
    assert_eq!(cards[0]["topic"], "memo");
}

#[test]
fn several_notes_are_read_in_the_order_given() {
    let tmp = scratch();
    let deck = deck();
    let findings = fixtures().join("findings.md");
    let cards = cards(
        tmp.path(),
        &["--notes", findings.to_str().unwrap(), "--notes", deck.to_str().unwrap()],
    );
    assert_eq!(cards.len(), 9);
    assert_eq!(cards[0]["topic"], "findings");
    assert_eq!(cards[2]["topic"], "알고리즘");
}

// ---------------------------------------------------------------------------------------------------------------
// Text encodings

#[test]
fn nfd_notes_give_the_same_cards_as_nfc() {
    let tmp = scratch();
    let nfc_text = fs::read_to_string(deck().join("network.md")).unwrap();
    let nfd_text: String = nfc_text.nfd().collect();
    assert_ne!(nfd_text, nfc_text);
    let nfd_name: String = "네트워크.md".nfd().collect();
    write_files(
        tmp.path(),
        &[
            ("nfc/네트워크.md", nfc_text.as_bytes()),
            (&format!("nfd/{nfd_name}"), nfd_text.as_bytes()),
        ],
    );
    let nfc = cards(tmp.path(), &["--notes", "nfc"]);
    let nfd = cards(tmp.path(), &["--notes", "nfd"]);
    assert_eq!(nfc.len(), 3);
    assert_eq!(nfd, nfc, "ids, topics, questions, answers and file names are NFC");
    // The file's H1 repeats its topic, so it is not in the path.
    assert_eq!(nfd[0]["id"], "네트워크/OSI 7계층이란?");
}

#[test]
fn crlf_and_bom_give_the_same_cards() {
    let tmp = scratch();
    let text = fs::read_to_string(deck().join("network.md")).unwrap();
    let crlf = text.replace('\n', "\r\n");
    let bom = format!("\u{feff}{text}");
    let bom_crlf = format!("\u{feff}{crlf}");
    write_files(
        tmp.path(),
        &[
            ("lf/network.md", text.as_bytes()),
            ("crlf/network.md", crlf.as_bytes()),
            ("bom/network.md", bom.as_bytes()),
            ("bom-crlf/network.md", bom_crlf.as_bytes()),
        ],
    );
    let lf = cards(tmp.path(), &["--notes", "lf"]);
    assert_eq!(lf.len(), 3);
    for variant in ["crlf", "bom", "bom-crlf"] {
        assert_eq!(cards(tmp.path(), &["--notes", variant]), lf, "{variant}");
        let check = stdout(amgi(tmp.path()).args(["--notes", variant, "check"]));
        assert_eq!(check, "no findings in 1 file (3 cards)\n", "{variant}");
    }
    assert!(
        lf.iter().all(|c| !str_of(c, "answer").contains('\r')),
        "answers keep no CR"
    );
}

#[test]
fn bom_before_front_matter_keeps_the_topic() {
    let tmp = scratch();
    let text = fs::read(deck().join("algo.md")).unwrap();
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(&text);
    write_files(tmp.path(), &[("algo.md", &bom)]);
    let cards = cards(tmp.path(), &["--notes", "algo.md"]);
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["topic"], "알고리즘");
}

// ---------------------------------------------------------------------------------------------------------------
// Bad input: never a panic, the bad file named, the good file still read

#[test]
fn invalid_utf8_is_reported_and_the_rest_is_read() {
    let (listed, checked) = with_bad_file("latin1.md", b"## caf\xe9\n\n\xc0\xc1 \xff\n");
    assert_eq!(listed.code, Some(1));
    assert!(listed.stderr.contains("latin1.md"), "{}", listed.stderr);
    assert!(listed.stderr.contains("UTF-8"), "{}", listed.stderr);
    assert_eq!(checked.code, Some(1));
    assert!(
        checked.stdout.contains("latin1.md:1: unreadable: "),
        "{}",
        checked.stdout
    );
}

#[test]
fn binary_file_is_reported_and_the_rest_is_read() {
    let (listed, checked) = with_bad_file("image.md", b"## \xec\xa7\x88\n\n\x89PNG\0\0\0\x0d");
    assert_eq!(listed.code, Some(1));
    assert!(listed.stderr.contains("image.md"), "{}", listed.stderr);
    assert!(listed.stderr.contains("binary"), "{}", listed.stderr);
    assert!(
        checked.stdout.contains("image.md:3: unreadable: "),
        "{}",
        checked.stdout
    );
}

#[test]
fn empty_file_is_skipped_with_exit_0() {
    let (listed, checked) = with_bad_file("empty.md", b"");
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert_eq!(listed.stderr, "");
    assert_eq!(checked.code, Some(0));
    assert!(
        checked.stdout.lines().any(|l| l.starts_with("empty.md: skipped: ")),
        "{}",
        checked.stdout
    );

    let tmp = scratch();
    write_files(tmp.path(), &[("empty.md", b"\xef\xbb\xbf\r\n  \n")]);
    let json = json_lines(&stdout(
        amgi(tmp.path()).args(["--notes", "empty.md", "check", "--json"]),
    ));
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["file"], "empty.md");
    assert_eq!(json[0]["kind"], "skipped");
    assert_eq!(json[0]["line"], Value::Null);
    assert!(json[0].get("question").is_none(), "{}", json[0]);
}

#[test]
fn ten_megabyte_single_line_does_not_crash() {
    let unit = "가나다라 마바사 abc ";
    let line = unit.repeat(10 * 1024 * 1024 / unit.len());
    let (listed, checked) = with_bad_file("big.md", line.as_bytes());
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert_eq!(checked.code, Some(0));
    assert!(
        checked.stdout.contains("big.md:1: skipped: "),
        "text outside a heading is reported"
    );
}

#[test]
fn ten_thousand_nested_lists_do_not_overflow_the_stack() {
    let text = format!("## 깊은 목록\n\n{}맨 안쪽 질문?\n", "- ".repeat(10_000));
    let (listed, checked) = with_bad_file("lists.md", text.as_bytes());
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert!(
        listed.stdout.lines().any(|l| l == "lists › 깊은 목록"),
        "{}",
        listed.stdout
    );
    assert_eq!(checked.code, Some(0));
}

#[test]
fn ten_thousand_nested_block_quotes_do_not_overflow_the_stack() {
    let text = format!("## 깊은 인용\n\n{}맨 안쪽 인용\n", "> ".repeat(10_000));
    let (listed, checked) = with_bad_file("quotes.md", text.as_bytes());
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    assert!(
        listed.stdout.lines().any(|l| l == "quotes › 깊은 인용"),
        "{}",
        listed.stdout
    );
    assert_eq!(checked.code, Some(0));
}

#[test]
fn missing_path_exits_1_and_names_it() {
    let tmp = scratch();
    write_files(tmp.path(), &[("good.md", GOOD_NOTES.as_bytes())]);
    let run = run(amgi(tmp.path()).args(["--notes", "없는-노트.md", "--notes", "good.md", "cards"]));
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, format!("{GOOD_LINE}\n"));
    assert!(run.stderr.contains("없는-노트.md"), "{}", run.stderr);
    assert!(run.stderr.contains("no such file"), "{}", run.stderr);
}

#[test]
#[cfg(unix)]
fn only_regular_files_are_read_and_a_huge_one_is_refused() {
    let tmp = scratch();
    write_files(tmp.path(), &[("notes/good.md", GOOD_NOTES.as_bytes())]);
    let notes = tmp.path().join("notes");
    let fifo = notes.join("pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", notes.join("zero.md")).unwrap();
    // Sparse: 65 MB on paper, nothing on disk.
    let big = fs::File::create(notes.join("big.md")).unwrap();
    big.set_len(65 * 1024 * 1024).unwrap();

    // In a walk, they are passed over and `check` says why.
    let walk = run(amgi(tmp.path()).args(["--notes", "notes", "check"]));
    assert_eq!(walk.code, Some(0), "{}", walk.stderr);
    assert_eq!(
        walk.stdout,
        "big.md: skipped: 65 MB, more than the 64 MB a note file may hold; not read\n\
         pipe.md: skipped: a FIFO (named pipe), not a file of notes; not read\n\
         zero.md: skipped: a symlink out of the notes folder (to /dev/zero); not followed\n"
    );
    let cards = run(amgi(tmp.path()).args(["--notes", "notes", "cards"]));
    assert_eq!(cards.stdout, format!("{GOOD_LINE}\n"));

    // Named directly, each is an error naming it, and the rest is still read.
    for (path, why) in [
        ("/dev/zero".to_owned(), "a device"),
        (fifo.display().to_string(), "a FIFO"),
        ("notes/big.md".to_owned(), "65 MB, more than the 64 MB"),
    ] {
        let run = run(amgi(tmp.path()).args(["--notes", &path, "--notes", "notes/good.md", "cards"]));
        assert_eq!(run.code, Some(1), "{path}");
        assert_eq!(run.stdout, format!("{GOOD_LINE}\n"), "{path}");
        assert!(
            run.stderr.contains(&format!("{path}: unreadable: {why}")),
            "{path}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_topic_that_matches_nothing_says_so_and_names_the_topics_in_every_command() {
    let tmp = scratch();
    for args in [
        &["cards"][..],
        &["topics"],
        &["stats", "--plain"],
        &["plan"],
        &["--plain"],
        &["cram", "--plain"],
    ] {
        let run = run(amgi(tmp.path())
            .args(["--notes"])
            .arg(deck())
            .args(["--data-dir", "data", "--topic", "없는주제"])
            .args(args)
            .write_stdin(""));
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("--topic \"없는주제\" matches no card") && run.stderr.contains("(`amgi topics`)"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}: nothing else is shown: {}", run.stdout);
    }
}

#[test]
fn a_quiz_on_a_path_that_does_not_exist_stops_before_it_starts() {
    let tmp = scratch();
    for args in [&["--plain"][..], &["cram", "--plain"]] {
        let run = run(amgi(tmp.path())
            .args(["--notes", "없는/경로", "--data-dir", "data"])
            .args(args)
            .write_stdin(""));
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(
            run.stderr.contains("없는/경로: unreadable: no such file or folder"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "no quiz and no summary: {}", run.stdout);
        let data = tmp.path().join("data");
        assert!(
            !data.join("progress.yaml").exists() && !data.join("reviews.yaml").exists(),
            "nothing written"
        );
    }
}

#[test]
fn completions_for_every_shell_and_a_man_page_are_made_from_the_command_line() {
    let tmp = scratch();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(amgi(tmp.path()).args(["completions", shell]));
        assert!(script.len() > 500 && script.contains("amgi"), "{shell}: {script}");
        for sub in ["cards", "cram", "repair", "topic", "data-dir"] {
            assert!(script.contains(sub), "{shell} completes {sub}");
        }
    }
    let bash = stdout(amgi(tmp.path()).args(["completions", "bash"]));
    let path = tmp.path().join("amgi.bash");
    fs::write(&path, &bash).unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(checked.success(), "the bash script parses");

    let man = stdout(amgi(tmp.path()).arg("man"));
    assert!(
        man.starts_with(".ie") && man.contains(".TH amgi 1"),
        "{}",
        &man[..200.min(man.len())]
    );
    for sub in [
        "drill",
        "cram",
        "repair",
        "cards",
        "topics",
        "check",
        "stats",
        "optimize",
        "plan",
        "completions",
    ] {
        assert!(man.contains(&format!("amgi\\-{sub}(1)")), "the man page names {sub}");
    }
    // Rendered by man itself where it is installed.
    if let Ok(mut child) = std::process::Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("COLUMNS", "80")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        use std::io::Write as _;
        child.stdin.take().unwrap().write_all(man.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("NAME") && text.contains("SUBCOMMANDS"), "{text}");
    }
}

#[test]
fn folder_without_notes_exits_1() {
    let tmp = scratch();
    write_files(
        tmp.path(),
        &[
            ("good.md", GOOD_NOTES.as_bytes()),
            ("빈폴더/readme.txt", b"not notes"),
            ("빈폴더/.hidden.md", GOOD_NOTES.as_bytes()),
        ],
    );
    let run = run(amgi(tmp.path()).args(["--notes", "빈폴더", "--notes", "good.md", "cards"]));
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, format!("{GOOD_LINE}\n"));
    assert!(run.stderr.contains("빈폴더"), "{}", run.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_file_exits_1_and_names_it() {
    // Tests may run as root, where chmod does not stop reads; reading /proc/self/mem from the start fails with EIO.
    let tmp = scratch();
    write_files(tmp.path(), &[("good.md", GOOD_NOTES.as_bytes())]);
    let run = run(amgi(tmp.path()).args(["--notes", "/proc/self/mem", "--notes", "good.md", "cards"]));
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, format!("{GOOD_LINE}\n"));
    assert!(run.stderr.contains("/proc/self/mem"), "{}", run.stderr);
    assert!(run.stderr.contains("unreadable"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed() {
    let tmp = scratch();
    let notes = tmp.path().join("notes");
    write_files(
        &notes,
        &[
            ("good.md", GOOD_NOTES.as_bytes()),
            ("sub/deeper.md", "## 안쪽 질문\n\n안쪽 답\n".as_bytes()),
        ],
    );
    std::os::unix::fs::symlink(&notes, notes.join("sub/up")).expect("symlink made");
    let listed = run(amgi(tmp.path()).args(["--notes", "notes", "cards"]));
    assert_eq!(
        listed.stdout,
        format!("{GOOD_LINE}\nsub › deeper › 안쪽 질문\n"),
        "each file once"
    );
    assert_eq!(listed.code, Some(0), "a loop is a warning: every note was read");
    let checked = run(amgi(tmp.path()).args(["--notes", "notes", "check"]));
    assert_eq!(checked.code, Some(0));
    let line = checked.stdout.lines().find(|l| l.contains("sub/up"));
    assert!(
        line.is_some_and(|l| l.contains("skipped: symlink loop")),
        "the loop is named:\n{}",
        checked.stdout
    );
}

#[test]
fn broken_pipe_is_not_an_error() {
    let tmp = scratch();
    let mut text = String::new();
    for i in 0..20_000 {
        write!(text, "## 질문 {i}\n\n답 {i}\n\n").unwrap();
    }
    write_files(tmp.path(), &[("many.md", text.as_bytes())]);
    for json in [false, true] {
        // `amgi cards | head -1`: far more output than a pipe holds, and the reader leaves after one line.
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_amgi"))
            .current_dir(tmp.path())
            .env_remove("AMGI_NOTES")
            .args(["--notes", "many.md", "cards"])
            .args(json.then_some("--json"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("amgi starts");
        let mut first = String::new();
        {
            let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
            out.read_line(&mut first).expect("one line read");
        }
        assert!(first.contains("질문 0"), "{first}");
        let done = child.wait_with_output().expect("amgi ends");
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(done.status.code(), Some(0), "json: {json}, stderr: {stderr}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Help and usage

#[test]
fn help_has_examples() {
    let tmp = scratch();
    amgi(tmp.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Example"));
    for sub in ["cards", "topics", "check"] {
        amgi(tmp.path())
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example").and(predicate::str::contains("amgi")));
    }
}

#[test]
fn a_subcommands_help_leaves_out_the_quiz_flags_it_does_not_take() {
    let tmp = scratch();
    let cards = stdout(amgi(tmp.path()).args(["cards", "--help"]));
    assert!(
        cards.contains("--topic") && !cards.contains("--max-reviews") && !cards.contains("--new"),
        "{cards}"
    );
    let drill = stdout(amgi(tmp.path()).args(["drill", "--help"]));
    let (own, shared) = (
        drill.find("--max-reviews").expect("drill's limits"),
        drill.find("--notes").expect("notes"),
    );
    assert!(own < shared, "{drill}");
    // Given where it does not apply, a drill's flag is refused, not ignored.
    amgi(tmp.path())
        .args(["--new", "5", "cards"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--new is a drill's flag"));
    amgi(tmp.path())
        .args(["cards", "--max-reviews", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--max-reviews"));
}

#[test]
fn usage_errors_exit_2() {
    let tmp = scratch();
    amgi(tmp.path())
        .arg("quiz-me")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("quiz-me"));
    amgi(tmp.path()).args(["cards", "--jsn"]).assert().code(2);
    amgi(tmp.path()).args(["cards", "--notes"]).assert().code(2);
}

// ---------------------------------------------------------------------------------------------------------------
// Where notes come from: --notes, else $AMGI_NOTES, else ./notes, else the bundled deck

#[test]
fn bundled_deck_is_used_when_no_notes_are_given() {
    let tmp = scratch();
    let bundled = cards(tmp.path(), &[]);
    assert!(!bundled.is_empty());
    for card in &bundled {
        assert!(str_of(card, "file").ends_with(".md"), "{card}");
    }
    let repo_notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("notes");
    let on_disk = cards(tmp.path(), &["--notes", repo_notes.to_str().unwrap()]);
    assert_eq!(
        bundled, on_disk,
        "the bundled deck is the repo's notes/ read like a folder"
    );

    let empty_env = stdout(amgi(tmp.path()).env("AMGI_NOTES", "").args(["cards", "--json"]));
    assert_eq!(
        json_lines(&empty_env),
        bundled,
        "an empty AMGI_NOTES is as good as none"
    );
}

#[test]
fn amgi_notes_names_the_notes() {
    let tmp = scratch();
    let from_flag = cards(tmp.path(), &["--notes", deck().to_str().unwrap()]);
    let from_env = of_kind(
        json_lines(&stdout(
            amgi(tmp.path()).env("AMGI_NOTES", deck()).args(["cards", "--json"]),
        )),
        "card",
    );
    assert_eq!(from_env, from_flag);

    let findings = fixtures().join("findings.md");
    let two = std::env::join_paths([deck(), findings.clone()]).unwrap();
    let from_two = of_kind(
        json_lines(&stdout(
            amgi(tmp.path()).env("AMGI_NOTES", &two).args(["cards", "--json"]),
        )),
        "card",
    );
    assert_eq!(from_two.len(), 9, "paths separated by ':' are all read");

    let flag_wins = stdout(
        amgi(tmp.path())
            .env("AMGI_NOTES", deck())
            .arg("--notes")
            .arg(&findings)
            .args(["cards", "--json"]),
    );
    assert_eq!(
        questions(&of_kind(json_lines(&flag_wins), "card")),
        ["캐시", "캐시"],
        "--notes wins over AMGI_NOTES"
    );
}

#[test]
fn local_notes_folder_is_used() {
    let tmp = scratch();
    write_files(
        tmp.path(),
        &[("notes/local.md", "## 로컬 질문\n\n로컬 답\n".as_bytes())],
    );
    let out = stdout(amgi(tmp.path()).arg("cards"));
    assert_eq!(out, "local › 로컬 질문\n");

    let env_wins = stdout(amgi(tmp.path()).env("AMGI_NOTES", deck()).arg("cards"));
    assert_eq!(env_wins.lines().count(), 7, "AMGI_NOTES wins over ./notes:\n{env_wins}");
}

// ---------------------------------------------------------------------------------------------------------------
// Notes as public interview repos write them

/// A small repo in the shape of public interview notes: a contributing guide, a translation, HTML, navigation, a
/// reference section and a shortcode.
fn repo_like(root: &Path) {
    write_files(
        root,
        &[
            ("repo/CONTRIBUTING.md", "## 기여 방법\n\n풀 리퀘스트를 보냅니다.\n".as_bytes()),
            ("repo/net.en.md", "## TCP\n\nconnection oriented\n".as_bytes()),
            (
                "repo/net.md",
                "# net\n\n## TCP\n\n---\n\n연결 지향<br>신뢰성 보장 :pray:\n\n- <b>흐름</b> 제어\n\n[뒤로](../README.md) / [위로](#net)\n\n## References\n\n- [RFC 793](https://example.org/rfc793)\n"
                    .as_bytes(),
            ),
        ],
    );
}

#[test]
fn real_notes_give_clean_answers_and_check_says_what_was_left_out() {
    let tmp = scratch();
    repo_like(tmp.path());
    let cards = cards(tmp.path(), &["--notes", "repo"]);
    assert_eq!(questions(&cards), ["TCP"]);
    let tcp = &cards[0];
    assert!(path_of(tcp).is_empty(), "the H1 repeats the topic: {tcp}");
    assert_eq!(str_of(tcp, "answer"), "연결 지향  \n신뢰성 보장 🙏\n\n- **흐름** 제어");
    let check = stdout(amgi(tmp.path()).args(["--notes", "repo", "check"]));
    let lines: Vec<&str> = check.lines().collect();
    assert_eq!(
        lines,
        [
            "CONTRIBUTING.md: skipped: a contributing guide, not notes; not read",
            "net.en.md: skipped: a translation of net.md beside it, which is read instead; not read",
            "net.md:13: skipped: section \"References\" is reference material, not a card",
        ]
    );
}

#[test]
fn the_plain_quiz_shows_the_same_clean_answer() {
    let tmp = scratch();
    repo_like(tmp.path());
    let out = stdout(
        amgi(tmp.path())
            .args(["--notes", "repo", "--data-dir", "data", "--plain"])
            .env("COLUMNS", "60")
            .write_stdin("\n3\n"),
    );
    let answer: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Q: TCP"))
        .skip(2)
        .take_while(|l| !l.starts_with('─'))
        .collect();
    assert_eq!(answer, ["연결 지향", "신뢰성 보장 🙏", "", "• 흐름 제어"], "{out}");
    for raw in ["<br>", "<b>", "**", ":pray:", "[위로]", "---"] {
        assert!(!out.contains(raw), "{raw} in {out}");
    }
}

#[test]
fn a_picture_in_a_plain_answer_says_where_it_is_from_the_top_of_the_notes() {
    let tmp = scratch();
    let note = "## TCP 상태는?\n\n상태가 바뀝니다.\n\n![TCP 상태](images/tcp-state.png)\n";
    write_files(tmp.path(), &[("notes/network/tcp.md", note.as_bytes())]);
    let out = stdout(
        amgi(tmp.path())
            .env("AMGI_NOW", "2026-12-01T09:00:00+09:00")
            .args(["--notes", "notes", "--data-dir", "data", "--plain"])
            .write_stdin("\n3\n"),
    );
    assert!(out.contains("[그림: TCP 상태 — network/images/tcp-state.png]"), "{out}");
}

/// A question with no written answer (a heading with nothing under it, a question asked and left open) is listed
/// where it stands with `"kind": "question"`, its heading path and an empty answer; it is never a card.
#[test]
fn cards_json_lists_questions_without_an_answer_apart_from_cards() {
    let tmp = scratch();
    let findings = fixtures().join("findings.md");
    let all = listed(tmp.path(), &["--notes", findings.to_str().unwrap()]);
    let seen: Vec<(&str, &str, u64)> = all
        .iter()
        .map(|e| (str_of(e, "kind"), str_of(e, "question"), e["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [
            ("card", "캐시", 1),
            ("card", "캐시", 5),
            ("question", "웹소켓", 9),
            ("question", "세대별 수집이 효율적인 이유는?", 13),
        ]
    );
    assert_eq!(all[3]["path"], serde_json::json!(["가비지 컬렉션"]));
    assert_eq!(all[3]["answer"], "");
    assert_eq!(all[3]["id"], "findings/가비지 컬렉션/세대별 수집이 효율적인 이유는?");

    let plain = stdout(amgi(tmp.path()).arg("--notes").arg(&findings).arg("cards"));
    assert!(plain.contains("findings › 웹소켓  (no answer written)\n"), "{plain}");
    assert!(plain.contains("findings › 캐시\n"), "{plain}");
}

/// In the line mode, a card whose answer leads in to sub-sections is followed by them; the real binary, on notes of
/// its own.
#[test]
fn a_card_with_sub_sections_lists_them_after_its_answer() {
    let tmp = scratch();
    fs::write(
        tmp.path().join("network.md"),
        "# TCP와 UDP\n\n전송 계층의 두 프로토콜입니다.\n\n## TCP\n\n연결 지향\n\n## UDP\n\n비연결\n",
    )
    .unwrap();
    let run = run(amgi(tmp.path())
        .args(["--notes", "network.md", "--data-dir", "data", "--plain"])
        .write_stdin("\nq\n"));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("전송 계층의 두 프로토콜입니다.\n\nIts parts, each a card of its own:\n› TCP\n› UDP\n"),
        "{}",
        run.stdout
    );
}

const ASKED: &str = "## 운영체제\n\n- 프로세스와 스레드의 차이를 설명해 주세요.\n  - 스레드끼리 공유하는 메모리 영역은 어디인가요?\n\n## 교착 상태란?\n\n네 조건이 모두 성립할 때 생깁니다.\n";

/// Questions asked without a written answer are drilled in note order, each saying so; a follow-up waits for its
/// question; `--cards-only` leaves the questions out. The real binary, line by line.
#[test]
fn questions_without_an_answer_are_drilled_unless_cards_only() {
    let tmp = scratch();
    fs::write(tmp.path().join("os.md"), ASKED).unwrap();
    let quiz = |args: &[&str]| {
        run(amgi(tmp.path())
            .args(["--notes", "os.md", "--data-dir", "data", "--plain"])
            .args(args)
            .write_stdin("\n3\n\n3\n"))
    };
    let all = quiz(&[]);
    assert_eq!(all.code, Some(0), "{}", all.stderr);
    let asked: Vec<&str> = all.stdout.lines().filter(|l| l.starts_with("Q: ")).collect();
    // Then the first comes back from learning, and the input ends.
    assert_eq!(
        asked[..2],
        ["Q: 프로세스와 스레드의 차이를 설명해 주세요.", "Q: 교착 상태란?"]
    );
    assert!(
        !all.stdout.contains("Q: 스레드끼리"),
        "the follow-up waits: {}",
        all.stdout
    );
    assert!(
        all.stdout
            .contains("Q: 프로세스와 스레드의 차이를 설명해 주세요.\n   (답이 아직 없습니다: 소리 내어 답한 뒤 스스로 평가하세요)\n"),
        "{}",
        all.stdout
    );
    assert!(
        all.stdout
            .contains("꼬리 질문:\n› 스레드끼리 공유하는 메모리 영역은 어디인가요?\n"),
        "{}",
        all.stdout
    );
    assert!(all.stdout.contains("f 꼬리 질문 1개"), "{}", all.stdout);
    fs::remove_dir_all(tmp.path().join("data")).unwrap();
    let cards = quiz(&["drill", "--cards-only"]);
    assert_eq!(cards.code, Some(0), "{}", cards.stderr);
    assert!(cards.stdout.contains("Q: 교착 상태란?"), "{}", cards.stdout);
    assert!(!cards.stdout.contains("Q: 프로세스와"), "{}", cards.stdout);
}

/// `cards --json` links a follow-up question to the question it follows, both ways.
#[test]
fn cards_json_links_follow_ups_and_their_question() {
    let tmp = scratch();
    fs::write(tmp.path().join("os.md"), ASKED).unwrap();
    let run = run(amgi(tmp.path()).args(["--notes", "os.md", "cards", "--json"]));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    let parent = "os/운영체제/프로세스와 스레드의 차이를 설명해 주세요.";
    assert_eq!(lines[0]["id"], parent);
    assert_eq!(lines[0]["kind"], "question");
    assert_eq!(
        lines[0]["follow_ups"],
        serde_json::json!([format!("{parent}/스레드끼리 공유하는 메모리 영역은 어디인가요?")])
    );
    assert_eq!(lines[1]["parent"], parent);
    assert!(
        lines[2].get("parent").is_none() && lines[2].get("follow_ups").is_none(),
        "{}",
        lines[2]
    );
}

/// `check` on notes with nothing to report says so, with how much it read; `--json` stays an empty listing.
#[test]
fn check_on_clean_notes_says_there_is_nothing_to_report() {
    let tmp = scratch();
    fs::create_dir(tmp.path().join("notes")).unwrap();
    fs::write(
        tmp.path().join("notes/network.md"),
        "## TCP란?\n\n연결형\n\n## UDP란?\n\n비연결형\n",
    )
    .unwrap();
    fs::write(tmp.path().join("notes/os.md"), "## 교착 상태란?\n\n네 조건\n").unwrap();
    let plain = run(amgi(tmp.path()).args(["--notes", "notes", "--data-dir", "data", "check"]));
    assert_eq!(plain.code, Some(0), "{}", plain.stderr);
    assert_eq!(plain.stdout, "no findings in 2 files (3 cards)\n");
    let json = run(amgi(tmp.path()).args(["--notes", "notes", "--data-dir", "data", "check", "--json"]));
    assert_eq!((json.code, json.stdout.as_str()), (Some(0), ""));
    let one = run(amgi(tmp.path()).args(["--notes", "notes/os.md", "--data-dir", "data", "check"]));
    assert_eq!(one.stdout, "no findings in 1 file (1 card)\n");
}
