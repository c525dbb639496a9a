use super::*;
use crate::card::CardId;
use crate::schedule::{CardState, Grade, Memory, Phase};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

pub(super) fn id(text: &str) -> CardId {
    let deserializer: serde::de::value::StrDeserializer<serde::de::value::Error> = text.into_deserializer();
    CardId::deserialize(deserializer).unwrap()
}

pub(super) fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

pub(super) fn entry(question: &str, state: CardState) -> Entry {
    Entry {
        question: question.into(),
        answer_hash: "3f2a9c0d11e4b5a7".into(),
        state,
        skipped_until: None,
        suspended: false,
    }
}

pub(super) const GOLDEN: &str = "\
# amgi progress: where each card stands. Rebuilt from reviews.yaml by `amgi repair`.
# Safe to read; edit by hand only with care (amgi refuses a file it cannot read, and says where).
version: 1
settings:
  retention: 0.9
log_offset: 1234
cards:
  network/TCP vs UDP:
    answer_hash: 3f2a9c0d11e4b5a7
    difficulty: 5.1121707
    due: 2026-11-25T21:10:03+09:00
    lapses: 0
    last_review: 2026-11-24T21:10:03+09:00
    question: TCP vs UDP
    reps: 1
    stability: 1.2931
    state: learning
    step: 1
";

pub(super) fn golden() -> Progress {
    let state = CardState {
        phase: Phase::Learning,
        step: 1,
        due: Some(at("2026-11-25T21:10:03+09:00")),
        memory: Some(Memory {
            stability: 1.2931,
            difficulty: 5.1121707,
        }),
        reps: 1,
        lapses: 0,
        last_review: Some(at("2026-11-24T21:10:03+09:00")),
    };
    Progress {
        settings: Settings {
            retention: Some(0.9),
            parameters: None,
            ..Settings::default()
        },
        log_offset: 1234,
        log_crc: None,
        cards: BTreeMap::from([(id("network/TCP vs UDP"), entry("TCP vs UDP", state))]),
    }
}

/// Every phase, every optional field present and absent, awkward ids and questions, awkward floats.
pub(super) fn everything() -> Progress {
    let memory = |stability, difficulty| Some(Memory { stability, difficulty });
    let states = [
        CardState::default(),
        CardState {
            phase: Phase::Learning,
            step: 1,
            due: Some(at("2026-11-24T21:11:03+09:00")),
            memory: memory(0.212, 6.4133),
            reps: 1,
            lapses: 0,
            last_review: Some(at("2026-11-24T21:10:03+09:00")),
        },
        CardState {
            phase: Phase::Review,
            step: 0,
            due: Some(at("2027-01-02T04:00:00-05:30")),
            memory: memory(41.25, 1.0),
            reps: 12,
            lapses: 3,
            last_review: Some(at("2026-12-01T00:00:00+00:00")),
        },
        CardState {
            phase: Phase::Relearning,
            step: 0,
            due: Some(at("2026-11-24T21:20:03+09:00")),
            memory: memory(3.0e-5, 10.0),
            reps: u32::MAX,
            lapses: u32::MAX,
            last_review: None,
        },
        CardState {
            phase: Phase::New,
            step: 7,
            due: None,
            memory: memory(f32::MIN_POSITIVE, f32::MAX),
            reps: 0,
            lapses: 0,
            last_review: Some(at("2026-11-24T21:10:03+09:00")),
        },
        CardState {
            phase: Phase::Review,
            step: 0,
            due: Some(at("2026-11-25T04:00:00+09:00")),
            memory: memory(1e-45, 5.1121707),
            reps: 2,
            lapses: 0,
            last_review: None,
        },
    ];
    let ids = [
        "network/TCP vs UDP",
        "web/HTTP: 1.1 #2",
        "db/\"quoted\"",
        "네트워크/전송 계층/TCP와 UDP의 차이는?",
        "- dash",
        "123",
        "true",
        "null",
        "~",
        "'single' and \"double\"",
        "{flow}: [x]",
        "& anchor * alias ! tag | > % @ `",
        " leading and trailing ",
        "tab\there",
        "back\\slash",
        "",
        "breaks: nel\u{85} ls\u{2028} ps\u{2029} cr\r del\u{7f} bom\u{feff}",
    ];
    let questions = [
        "TCP vs UDP",
        "쿠키란?",
        "a: b # c",
        "line one\nline two",
        " spaced ",
        "'",
        "- x",
        "0.5",
    ];
    let cards = ids
        .iter()
        .enumerate()
        .map(|(i, card)| {
            let question = questions[i % questions.len()];
            let entry = Entry {
                suspended: i % 3 == 1,
                ..entry(question, states[i % states.len()].clone())
            };
            (id(card), entry)
        })
        .collect();
    Progress {
        settings: Settings {
            retention: Some(0.87),
            parameters: Some(vec![
                0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614,
                0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 3.0e-5,
            ]),
            ..Settings::default()
        },
        log_offset: u64::MAX,
        log_crc: Some(u32::MAX),
        cards,
    }
}

pub(super) fn path() -> PathBuf {
    PathBuf::from("/data/amgi/progress.yaml")
}

#[test]
fn progress_round_trips_exactly() {
    let progress = everything();
    let text = render_progress(&progress);
    assert_eq!(parse_progress(&text, &path()).unwrap(), progress, "{text}");

    let empty = Progress::default();
    let text = render_progress(&empty);
    assert!(
        text.ends_with("version: 1\nsettings: {}\nlog_offset: 0\ncards: {}\n"),
        "{text}"
    );
    assert_eq!(parse_progress(&text, &path()).unwrap(), empty);

    let mut parameters_only = golden();
    parameters_only.settings = Settings {
        retention: None,
        parameters: Some(vec![0.5; 21]),
        ..Settings::default()
    };
    let text = render_progress(&parameters_only);
    assert_eq!(parse_progress(&text, &path()).unwrap(), parameters_only);
}

#[test]
fn progress_matches_the_documented_example() {
    assert_eq!(render_progress(&golden()), GOLDEN);
    assert_eq!(parse_progress(GOLDEN, &path()).unwrap(), golden());
}

/// A suspended card has `suspended: true` after its other fields; a card that is not has no such line, so a file
/// from before suspensions reads (and is written back) byte for byte as it was.
#[test]
fn a_suspended_card_says_so_last_and_other_cards_as_before() {
    let mut progress = golden();
    progress.cards.values_mut().for_each(|e| e.suspended = true);
    let text = render_progress(&progress);
    assert_eq!(
        text,
        GOLDEN.replace("    step: 1\n", "    step: 1\n    suspended: true\n")
    );
    assert_eq!(parse_progress(&text, &path()).unwrap(), progress);
    assert_eq!(canonical::parse(&text), Some(progress.clone()));

    let old = parse_progress(GOLDEN, &path()).unwrap();
    assert!(old.cards.values().all(|e| !e.suspended));
    assert_eq!(render_progress(&old), GOLDEN);

    // Written by hand, `false` reads as not suspended, and is not written back.
    let by_hand = GOLDEN.replace("    step: 1\n", "    step: 1\n    suspended: false\n");
    assert_eq!(canonical::parse(&by_hand), None, "left to the full reader");
    assert_eq!(parse_progress(&by_hand, &path()).unwrap(), golden());
    let wrong = GOLDEN.replace("    step: 1\n", "    step: 1\n    suspended: maybe\n");
    let error = parse_progress(&wrong, &path()).unwrap_err().to_string();
    assert!(
        error.contains("progress.yaml:19:16: ") && error.contains("boolean"),
        "{error}"
    );
}

#[test]
fn progress_is_deterministic() {
    let progress = everything();
    let text = render_progress(&progress);
    assert_eq!(render_progress(&progress.clone()), text);
    assert_eq!(render_progress(&parse_progress(&text, &path()).unwrap()), text);
    // Each card's fields are in alphabetical order.
    let mut cards: Vec<Vec<&str>> = Vec::new();
    for line in text[text.find("\ncards:\n").unwrap()..].lines().skip(2) {
        // A key with line breaks in it is written as an explicit `? key` with its value after `: `.
        let field = line.strip_prefix("    ").or_else(|| line.strip_prefix("  : "));
        if line.starts_with("  ") && !line.starts_with("   ") && !line.starts_with("  : ") {
            cards.push(Vec::new());
        }
        if let Some(field) = field.filter(|f| !f.starts_with(' ')) {
            cards.last_mut().unwrap().push(field.split(':').next().unwrap());
        }
    }
    assert_eq!(cards.len(), progress.cards.len());
    for fields in &cards {
        assert!(fields.is_sorted(), "{fields:?}");
        assert!(fields.len() >= 6, "{fields:?}");
    }
}

#[test]
fn keys_with_yaml_syntax_are_quoted() {
    let text = render_progress(&everything());
    for line in [
        "  'web/HTTP: 1.1 #2':",
        "  '- dash':",
        "  '123':",
        "  'true':",
        "  네트워크/전송 계층/TCP와 UDP의 차이는?:",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line:?} in\n{text}");
    }
}

#[test]
fn floats_are_written_in_their_shortest_form_and_read_back_exactly() {
    let text = render_progress(&everything());
    for expected in ["0.212", "1.2931", "5.1121707", "0.00003", "0.87", "1e-45"] {
        assert!(
            text.contains(&format!(": {expected}\n")) || text.contains(&format!("- {expected}\n")),
            "{expected}"
        );
    }
    // Many bit patterns, including subnormals and values where rounding through f64 could go wrong.
    let mut bits: u32 = 0x1234_5678;
    for _ in 0..5_000 {
        bits = bits.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let x = f32::from_bits(bits);
        if !x.is_finite() {
            continue;
        }
        let progress = Progress {
            settings: Settings {
                retention: Some(x),
                parameters: None,
                ..Settings::default()
            },
            ..Progress::default()
        };
        let back = parse_progress(&render_progress(&progress), &path()).unwrap();
        assert_eq!(back.settings.retention.map(f32::to_bits), Some(x.to_bits()), "{x:e}");
    }
    let infinite = Progress {
        settings: Settings {
            retention: Some(f32::INFINITY),
            parameters: Some(vec![f32::NEG_INFINITY]),
            ..Settings::default()
        },
        ..Progress::default()
    };
    assert_eq!(parse_progress(&render_progress(&infinite), &path()).unwrap(), infinite);
}

const DEEP: &str = "nest more than 128 deep";

/// A progress.yaml that must be refused: its text, and what the message must contain besides the file name.
pub(super) fn bad_inputs() -> Vec<(&'static str, Vec<u8>, Vec<&'static str>)> {
    let golden = GOLDEN.as_bytes();
    let cut = GOLDEN.find("lapses: 0").unwrap() + 4;
    let bomb = "version: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    let typed_bomb = "version: 1\nsettings:\n  retention: &a 0.9\n  parameters: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                      log_offset: *a\ncards:\n  x: &c {answer_hash: *b, question: *b}\n  y: *c\n";
    vec![
        (
            "truncated",
            golden[..cut].to_vec(),
            vec![":13:1:", "could not find expected ':'"],
        ),
        (
            "truncated mid-line",
            golden[..GOLDEN.find("2026-11-25").unwrap() + 7].to_vec(),
            vec![":11:10:", "due"],
        ),
        ("empty", Vec::new(), vec!["empty"]),
        ("only comments", b"# nothing here\n".to_vec(), vec!["empty"]),
        (
            "binary garbage",
            vec![0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0xff, 0xfe, 0x00, 0x00, 0x9c],
            vec![":1:7:", "UTF-8"],
        ),
        (
            "control characters",
            b"version: 1\n\x00\x01\x02\x03".to_vec(),
            vec![":2:1:", "control characters"],
        ),
        ("a sequence", b"- 1\n- 2\n".to_vec(), vec![":1:1:"]),
        (
            "wrong type",
            GOLDEN.replace("reps: 1", "reps: many").into_bytes(),
            vec![":15:11:", "reps", "many"],
        ),
        (
            "unknown state",
            GOLDEN.replace("state: learning", "state: asleep").into_bytes(),
            vec![":17:12:", "asleep"],
        ),
        (
            "bad time",
            GOLDEN.replace("2026-11-25T21", "2026-13-25T21").into_bytes(),
            vec![":11:10:", "due", "RFC 3339"],
        ),
        (
            "no offset in time",
            GOLDEN.replace("+09:00\n    lapses", "\n    lapses").into_bytes(),
            vec![":11:10:"],
        ),
        (
            "negative number",
            GOLDEN.replace("log_offset: 1234", "log_offset: -1").into_bytes(),
            vec![":6:13:"],
        ),
        (
            "float as integer",
            GOLDEN.replace("step: 1", "step: 1.5").into_bytes(),
            vec![":18:11:", "step"],
        ),
        (
            "unknown field",
            GOLDEN.replace("step: 1", "step: 1\n    colour: red").into_bytes(),
            vec![":19:5:", "colour"],
        ),
        (
            "unknown top-level key",
            format!("{GOLDEN}extra: 1\n").into_bytes(),
            vec![":19:1:", "extra"],
        ),
        (
            "duplicate field",
            GOLDEN.replace("step: 1", "step: 1\n    step: 2").into_bytes(),
            vec![":9:5:", "duplicate field `step`"],
        ),
        (
            "duplicate card",
            format!("{GOLDEN}{}", &GOLDEN[GOLDEN.find("  network").unwrap()..]).into_bytes(),
            vec![":8:3:", "listed twice"],
        ),
        (
            "stability without difficulty",
            GOLDEN.replace("    difficulty: 5.1121707\n", "").into_bytes(),
            vec![":9:5:", "network/TCP vs UDP", "without `difficulty`"],
        ),
        (
            "missing cards",
            GOLDEN.as_bytes()[..GOLDEN.find("cards:").unwrap()].to_vec(),
            vec!["cards"],
        ),
        (
            "missing version",
            GOLDEN.replace("version: 1\n", "").into_bytes(),
            vec!["version: 1"],
        ),
        (
            "version zero",
            GOLDEN.replace("version: 1", "version: 0").into_bytes(),
            vec![":3:10:", "version 0"],
        ),
        (
            "version as text",
            GOLDEN.replace("version: 1", "version: one").into_bytes(),
            vec![":3:10:", "version"],
        ),
        (
            "future version",
            GOLDEN.replace("version: 1", "version: 2").into_bytes(),
            vec![":3:10:", "newer amgi (version 2)"],
        ),
        ("alias bomb", bomb.as_bytes().to_vec(), vec![":2:1:"]),
        (
            "alias bomb in typed fields",
            typed_bomb.as_bytes().to_vec(),
            vec![":3:14:", "log_offset"],
        ),
        ("deeply nested", "[".repeat(100_000).into_bytes(), vec![":1:129:", DEEP]),
        (
            "deeply nested and closed",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            vec![":1:129:", DEEP],
        ),
        (
            "deeply nested mappings",
            format!("version: 1\nsettings: {}", "{a: ".repeat(100_000)).into_bytes(),
            vec![":2:523:", DEEP],
        ),
        (
            "deeply nested value",
            format!("version: {}", "[".repeat(100_000)).into_bytes(),
            vec![":1:138:", DEEP],
        ),
        (
            "deeply nested block",
            format!("version: 1\nsettings: {}", "- ".repeat(100_000)).into_bytes(),
            vec![":2:11:"],
        ),
    ]
}

#[test]
fn bad_progress_is_refused_with_the_place() {
    for (name, bytes, wanted) in bad_inputs() {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let started = Instant::now();
        let result = parse_progress(text, &path());
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{name} took {:?}",
            started.elapsed()
        );
        let message = match result {
            Ok(progress) => panic!("{name}: read as {progress:?}"),
            Err(e) => e.to_string(),
        };
        assert!(message.starts_with("/data/amgi/progress.yaml"), "{name}: {message}");
        for part in wanted {
            assert!(message.contains(part), "{name}: {part:?} not in {message:?}");
        }
        if name == "future version" {
            assert!(message.contains("update amgi"), "{message}");
        } else {
            let suffix = "; the file is left as it is — fix it, or rebuild it from reviews.yaml with `amgi repair`";
            assert!(message.ends_with(suffix), "{name}: {message}");
        }
    }
}

#[test]
fn bad_progress_files_are_refused_and_left_alone() {
    for (name, bytes, wanted) in bad_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        std::fs::write(store.progress_path(), &bytes).unwrap();
        let message = store.load_progress().expect_err(name).to_string();
        let file = store.progress_path().display().to_string();
        assert!(message.starts_with(&file), "{name}: {message}");
        for part in wanted {
            assert!(message.contains(part), "{name}: {part:?} not in {message:?}");
        }
        assert_eq!(std::fs::read(store.progress_path()).unwrap(), bytes, "{name}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "{name}: nothing else written"
        );
    }
}

#[test]
fn the_yaml_limits_stop_bombs_and_nesting_in_any_shape() {
    // Shapes the progress format never reads still stop at serde_norway's limits, quickly.
    let bomb = bad_inputs()
        .into_iter()
        .find(|(name, ..)| *name == "alias bomb")
        .unwrap()
        .1;
    let error = serde_norway::from_slice::<serde_norway::Value>(&bomb).unwrap_err();
    assert!(error.to_string().contains("repetition limit exceeded"), "{error}");
    let nested = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let error = serde_norway::from_str::<serde_norway::Value>(&nested).unwrap_err();
    assert!(error.to_string().contains("recursion limit exceeded"), "{error}");
}

#[test]
fn nesting_is_measured_before_libyaml_sees_it() {
    use super::yaml::too_deep;
    let open = |n: usize| "[".repeat(n);
    let deep = [
        open(100_000),
        format!("version: {}", open(200)),
        format!("version: 1\nsettings: {}", "{a: ".repeat(200)),
        format!("\u{feff}{}", open(200)),
        format!("--- {}", open(200)),
        format!("a: b\r{}", open(200)),
        format!("key:\t{}", open(200)),
        format!("key : {}", open(200)),
        format!("- - ? {}", open(200)),
        format!("&a !!seq {}", open(200)),
        format!("{{\"a\":{}", open(200)),
        format!("{{'a': {}", open(200)),
        "[ \" ] \" ".repeat(200),
        "[ ' ] ' ".repeat(200),
        "[a, ".repeat(200),
        "[a,\n".repeat(200),
        "{a: [b, {c: ".repeat(100),
        format!("[# comment ]]]]\n{}", open(200)),
        format!("key: |\n  text\n  [more\nkey2: {}", open(200)),
        format!("- key: |\n    text\n  key2: {}", open(200)),
        format!("- |\n  text\n- {}", open(200)),
        format!("key: 'quoted ]]]'\nnext: {}", open(200)),
        format!("key: \"multi\n  line\"\nnext: {}", open(200)),
        format!("x: a 'b\ny: {}\nz: c'", open(200)),
        format!("# {}\n{}", "]".repeat(300), open(200)),
    ];
    for text in &deep {
        let started = Instant::now();
        assert!(too_deep(text.as_bytes()).is_some(), "{:?}", &text[..text.len().min(60)]);
        assert!(started.elapsed() < Duration::from_secs(1));
        let error = parse_progress(text, &path()).unwrap_err().to_string();
        assert!(error.contains(DEEP), "{error}");
    }
    assert_eq!(too_deep(format!("{}{}", open(128), "]".repeat(128)).as_bytes()), None);
    assert_eq!(too_deep(open(129).as_bytes()), Some(128));

    // Brackets that are text, however many, are not nesting.
    let shallow = [
        render_progress(&everything()),
        GOLDEN.to_owned(),
        format!("q: '{}'", open(500)),
        format!("q: \"{}\\\" {}\"", open(500), open(500)),
        format!("q: see {}", open(500)),
        format!("q: a{}", open(500)),
        format!("# {}", open(500)),
        format!("q: |\n  {}\n  more\n", open(500)),
        "q: |-\n  [x\n  {y\n\n  [z\n".repeat(300),
        "- q: >\n    [x\n  r: '[' \n".repeat(300),
        format!("q: it's [{}", open(500)),
        format!("[a, '{}', \"{}\", b]", open(500), open(500)),
    ];
    for text in &shallow {
        assert_eq!(too_deep(text.as_bytes()), None, "{:?}", &text[..text.len().min(60)]);
    }
    let mut progress = everything();
    for i in 0..300 {
        let question = format!("배열 arr[{i}] 과 [ 괄호 {{ {}", "[".repeat(i % 5));
        let card = id(&format!("algo/[{i}/{question}"));
        progress.cards.insert(card, entry(&question, CardState::default()));
    }
    let text = render_progress(&progress);
    assert_eq!(too_deep(text.as_bytes()), None);
    assert_eq!(parse_progress(&text, &path()).unwrap(), progress);

    let line = format!("- {{card: \"a\", at: {}}}", open(100_000));
    let started = Instant::now();
    let error = parse_line(&line).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(error.starts_with("column 146: ") && error.contains(DEEP), "{error}");
}

#[test]
fn load_progress_of_a_new_folder_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("not yet"));
    assert_eq!(store.load_progress().unwrap(), None);
    assert!(!dir.path().join("not yet").exists(), "reading makes nothing");
}

#[test]
fn save_progress_replaces_the_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("data"));
    store.save_progress(&golden()).unwrap();
    assert_eq!(std::fs::read_to_string(store.progress_path()).unwrap(), GOLDEN);
    let progress = everything();
    store.save_progress(&progress).unwrap();
    assert_eq!(
        std::fs::read_to_string(store.progress_path()).unwrap(),
        render_progress(&progress)
    );
    assert_eq!(store.load_progress().unwrap(), Some(progress));
    let names: Vec<_> = std::fs::read_dir(store.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["progress.yaml"], "no temporary file left");
}

#[test]
fn save_progress_into_an_unwritable_folder_fails_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a file");
    std::fs::write(&file, "x").unwrap();
    let store = Store::new(file.join("data"));
    let message = store.save_progress(&golden()).unwrap_err().to_string();
    assert!(message.starts_with("could not create the folder "), "{message}");
    assert!(message.contains(&file.join("data").display().to_string()), "{message}");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn a_failed_save_leaves_the_old_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    store.save_progress(&golden()).unwrap();
    let tmp = dir.path().join("progress.yaml.tmp");
    std::fs::create_dir(&tmp).unwrap();
    let message = store.save_progress(&everything()).unwrap_err().to_string();
    // Not a file amgi may write: refused, and named.
    assert!(
        message.starts_with(&format!("{} is a folder, where amgi keeps a file", tmp.display())),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(store.progress_path()).unwrap(), GOLDEN);
    assert!(tmp.is_dir(), "what was there is left alone");
}

#[test]
fn backups_are_numbered_never_overwritten_and_the_last_five_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    assert_eq!(store.back_up_progress().unwrap(), None, "nothing to back up");
    // A backup from before numbering, and a file that only looks like one, are left alone.
    std::fs::write(dir.path().join("progress.yaml.bak"), "old").unwrap();
    std::fs::write(dir.path().join("progress.yaml.bak.01"), "not ours").unwrap();
    for n in 1..=7 {
        std::fs::write(store.progress_path(), format!("version {n}")).unwrap();
        assert_eq!(store.back_up_progress().unwrap(), Some(store.backup_path(n)));
    }
    assert_eq!(store.backup_numbers().unwrap(), [3, 4, 5, 6, 7]);
    for n in 3..=7 {
        assert_eq!(
            std::fs::read_to_string(store.backup_path(n)).unwrap(),
            format!("version {n}")
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("progress.yaml.bak")).unwrap(),
        "old"
    );
    assert!(dir.path().join("progress.yaml.bak.01").exists());
    assert!(
        !dir.path().join("progress.yaml.bak.tmp").exists(),
        "no temporary file left"
    );
}

#[test]
fn a_failed_backup_leaves_no_partial_file_and_the_others_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    std::fs::write(store.progress_path(), "first").unwrap();
    store.back_up_progress().unwrap();
    std::fs::write(store.progress_path(), "second").unwrap();
    let tmp = dir.path().join("progress.yaml.bak.tmp");
    std::fs::create_dir(&tmp).unwrap();
    let message = store.back_up_progress().unwrap_err().to_string();
    assert!(
        message.starts_with(&format!("{} is a folder, where amgi keeps a file", tmp.display())),
        "{message}"
    );
    assert_eq!(store.backup_numbers().unwrap(), [1]);
    assert_eq!(std::fs::read_to_string(store.backup_path(1)).unwrap(), "first");
    assert_eq!(std::fs::read_to_string(store.progress_path()).unwrap(), "second");
}

#[test]
fn a_second_lock_is_refused_until_the_first_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("data"));
    let lock = store.lock().unwrap();
    let error = Store::new(dir.path().join("data")).lock().unwrap_err();
    assert!(matches!(error, StoreError::Busy { .. }), "{error:?}");
    let data = dir.path().join("data");
    assert_eq!(
        error.to_string(),
        format!(
            "another amgi session is running on {} (it holds {}); let it finish first",
            data.display(),
            data.join("lock").display()
        )
    );
    drop(lock);
    let again = store.lock().unwrap();
    drop(again);
}

fn review(card: &str, when: &str, grade: Grade, mode: Mode, ms: u64, rescheduled: bool) -> LogLine {
    LogLine::Review(Review {
        card: id(card),
        at: at(when),
        grade,
        mode,
        ms,
        rescheduled,
    })
}

#[test]
fn log_lines_match_the_documented_example() {
    let lines = [
        (
            review(
                "network/TCP vs UDP",
                "2026-11-24T21:10:03+09:00",
                Grade::Good,
                Mode::Drill,
                5400,
                false,
            ),
            r#"- {card: "network/TCP vs UDP", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}"#,
        ),
        (
            review(
                "network/TCP vs UDP",
                "2026-11-24T21:11:00+09:00",
                Grade::Again,
                Mode::Cram,
                800,
                true,
            ),
            r#"- {card: "network/TCP vs UDP", at: 2026-11-24T21:11:00+09:00, grade: 1, mode: cram, ms: 800, rescheduled: true}"#,
        ),
        (
            review(
                "network/TCP vs UDP",
                "2026-11-24T21:12:30+09:00",
                Grade::Hard,
                Mode::Mock,
                134_000,
                false,
            ),
            r#"- {card: "network/TCP vs UDP", at: 2026-11-24T21:12:30+09:00, grade: 2, mode: mock, ms: 134000}"#,
        ),
        (
            LogLine::Undo {
                card: id("network/TCP vs UDP"),
                at: at("2026-11-24T21:11:05+09:00"),
                undoes: at("2026-11-24T21:11:00+09:00"),
            },
            r#"- {card: "network/TCP vs UDP", at: 2026-11-24T21:11:05+09:00, undo: 2026-11-24T21:11:00+09:00}"#,
        ),
        (
            LogLine::Suspend {
                card: id("network/TCP vs UDP"),
                at: at("2026-11-24T21:12:00+09:00"),
            },
            r#"- {card: "network/TCP vs UDP", at: 2026-11-24T21:12:00+09:00, suspended: true}"#,
        ),
        (
            LogLine::Release {
                card: id("network/TCP vs UDP"),
                at: at("2026-11-25T08:00:00+09:00"),
            },
            r#"- {card: "network/TCP vs UDP", at: 2026-11-25T08:00:00+09:00, suspended: false}"#,
        ),
    ];
    for (line, text) in lines {
        assert_eq!(render_line(&line), text);
        assert_eq!(parse_line(text).unwrap(), line);
    }
}

#[test]
fn log_lines_round_trip() {
    let ids = [
        "web/HTTP: 1.1 #2",
        "db/\"quoted\"",
        "네트워크/쿠키란?",
        "- dash",
        "back\\slash",
        "tab\tand\nnewline",
        "del\u{7f} c1\u{85}\u{9f} bom\u{feff} nonchar\u{fffe}\u{ffff} ls\u{2028} ps\u{2029} cr\r",
        "emoji 😀",
        "",
        "} ]",
    ];
    for (i, card) in ids.iter().enumerate() {
        let grade = Grade::ALL[i % 4];
        let lines = [
            review(
                card,
                "2026-06-30T23:59:59-05:30",
                grade,
                Mode::Drill,
                i as u64,
                i % 2 == 0,
            ),
            review(card, "2026-01-01T00:00:00+00:00", grade, Mode::Cram, u64::MAX, false),
            review(
                card,
                "2026-01-01T00:00:01+00:00",
                grade,
                Mode::Mock,
                i as u64,
                i % 3 == 0,
            ),
            LogLine::Undo {
                card: id(card),
                at: at("2026-11-24T21:11:05+09:00"),
                undoes: at("2026-11-24T21:11:00+14:00"),
            },
            LogLine::Move {
                card: id(card),
                at: at("2026-11-24T21:11:06+09:00"),
                from: id(&format!("old/{card}")),
            },
            LogLine::Suspend {
                card: id(card),
                at: at("2026-11-24T21:11:07-05:30"),
            },
            LogLine::Release {
                card: id(card),
                at: at("2026-11-24T21:11:08+00:00"),
            },
        ];
        for line in lines {
            let text = render_line(&line);
            assert!(!text.contains('\n'), "{text}");
            assert_eq!(parse_line(&text), Ok(line), "{text}");
        }
    }
}

#[test]
fn settings_lines_are_written_and_read_back_exactly() {
    let at: Moment = "2026-11-24T21:10:03+09:00".parse().unwrap();
    let parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
    for line in [
        LogLine::settings(at, Some(0.85), None),
        LogLine::settings(at, None, Some(&parameters)),
        LogLine::settings(at, Some(0.7), Some(&[0.1, 1.0 / 3.0, 2.5e-7])),
    ] {
        let text = render_line(&line);
        assert!(text.starts_with("- {at: 2026-11-24T21:10:03+09:00, "), "{text}");
        assert_eq!(parse_line(&text).unwrap(), line, "{text}");
        assert_eq!(line.card(), None);
    }
    assert_eq!(
        render_line(&LogLine::settings(at, Some(0.85), None)),
        "- {at: 2026-11-24T21:10:03+09:00, retention: 0.85}"
    );
}

#[test]
fn interview_plan_lines_are_written_and_read_back_exactly() {
    let at: Moment = "2026-11-24T21:10:03+09:00".parse().unwrap();
    let set = LogLine::plan(
        at,
        PlanChange::Set {
            interview: "2026-12-10".parse().unwrap(),
            planned_on: "2026-11-24".parse().unwrap(),
        },
    );
    let cleared = LogLine::plan(at, PlanChange::Cleared);
    assert_eq!(
        render_line(&set),
        "- {at: 2026-11-24T21:10:03+09:00, interview: 2026-12-10, planned_on: 2026-11-24}"
    );
    assert_eq!(
        render_line(&cleared),
        "- {at: 2026-11-24T21:10:03+09:00, interview: none}"
    );
    let id = LineId::new(at, 0x3f1c, 0x1234567);
    for line in [set, cleared] {
        let text = render_line_with_id(&line, Some(id));
        assert_eq!(parse_line_with_id(&text).unwrap(), (line.clone(), Some(id)), "{text}");
        assert_eq!(line.card(), None);
    }
    // Written by hand in another order, or with a `Z`, it reads the same.
    assert_eq!(
        parse_line("- {planned_on: 2026-11-24, interview: 2026-12-10, at: 2026-11-24T12:10:03Z}").unwrap(),
        LogLine::plan(
            "2026-11-24T12:10:03Z".parse().unwrap(),
            PlanChange::Set {
                interview: "2026-12-10".parse().unwrap(),
                planned_on: "2026-11-24".parse().unwrap(),
            },
        )
    );
}

#[test]
fn log_lines_are_read_strictly() {
    let good = r#"- {card: "a/b", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}"#;
    assert!(parse_line(good).is_ok());
    let bad = [
        (good.replace("ms: 5400", "ms: 5400, extra: 1"), "extra"),
        (good.replace(", ms: 5400", ""), "missing field `ms`"),
        (good.replace(", grade: 3", ""), "missing field `grade`"),
        (good.replace(", mode: drill", ""), "missing field `mode`"),
        (good.replace("card: \"a/b\", ", ""), "missing field `card`"),
        (
            good.replace("at: 2026-11-24T21:10:03+09:00, ", ""),
            "missing field `at`",
        ),
        (good.replace("grade: 3", "grade: 0"), "grade from 1"),
        (good.replace("grade: 3", "grade: 5"), "grade from 1"),
        (good.replace("grade: 3", "grade: -1"), "grade from 1"),
        (good.replace("grade: 3", "grade: 300"), "grade from 1"),
        (good.replace("grade: 3", "grade: good"), "grade"),
        (good.replace("mode: drill", "mode: sprint"), "sprint"),
        (good.replace("ms: 5400", "ms: -5"), "ms"),
        (good.replace("2026-11-24T21:10:03+09:00", "yesterday"), "RFC 3339"),
        (
            good.replace("ms: 5400", "ms: 5400, undo: 2026-11-24T21:10:03+09:00"),
            "undo line",
        ),
        (good.replace("ms: 5400", "ms: 5400, rescheduled: maybe"), "rescheduled"),
        (good.replace("- {", "{"), "invalid type"),
        (format!("{good}, {}", &good[2..]), ""),
        (good.replace('}', ""), ""),
        (good[..40].to_owned(), ""),
        ("# a comment".to_owned(), "expected a line like"),
        (String::new(), "expected a line like"),
        // Settings lines: about no card, parameters as numbers (values amgi cannot schedule with are read, and
        // taken out by `Log::take_refused_settings`).
        ("- {at: 2026-11-24T21:10:03+09:00}".to_owned(), "missing field `card`"),
        (
            "- {at: 2026-11-24T21:10:03+09:00, parameters: [a, b]}".to_owned(),
            "parameters",
        ),
        (
            "- {card: \"a/b\", at: 2026-11-24T21:10:03+09:00, retention: 0.8}".to_owned(),
            "no `retention`",
        ),
        // An interview plan: a day and the day it was made, or `none`.
        (
            "- {at: 2026-11-24T21:10:03+09:00, interview: 2026-12-10}".to_owned(),
            "missing field `planned_on`",
        ),
        (
            "- {at: 2026-11-24T21:10:03+09:00, planned_on: 2026-11-24}".to_owned(),
            "goes with `interview`",
        ),
        (
            "- {at: 2026-11-24T21:10:03+09:00, interview: none, planned_on: 2026-11-24}".to_owned(),
            "no `planned_on`",
        ),
        (
            "- {at: 2026-11-24T21:10:03+09:00, interview: soon, planned_on: 2026-11-24}".to_owned(),
            "a day like 2026-12-10, or `none`",
        ),
        (
            "- {at: 2026-11-24T21:10:03+09:00, interview: 2026-12-10, planned_on: today}".to_owned(),
            "planned_on",
        ),
        (
            "- {card: \"a/b\", at: 2026-11-24T21:10:03+09:00, interview: none}".to_owned(),
            "no `retention`, `parameters` or `interview`",
        ),
        (
            "- {at: 2026-11-24T21:10:03+09:00, retention: 0.8, undo: 2026-11-24T21:10:03+09:00}".to_owned(),
            "missing field `card`",
        ),
    ];
    for (text, wanted) in bad {
        let error = parse_line(&text).expect_err(&text);
        assert!(error.contains(wanted), "{text}: {wanted:?} not in {error:?}");
    }
    let located = parse_line(&good.replace("grade: 3", "grade: 9")).unwrap_err();
    assert!(located.starts_with("column 55: "), "{located}");
    let undo = r#"- {card: "a/b", at: 2026-11-24T21:10:03+09:00, undo: 2026-11-24T21:10:00+09:00, ms: 1}"#;
    assert!(parse_line(undo).unwrap_err().contains("not `ms`"));
    let suspend = r#"- {card: "a/b", at: 2026-11-24T21:10:03+09:00, suspended: true}"#;
    assert!(matches!(parse_line(suspend), Ok(LogLine::Suspend { .. })));
    for (text, wanted) in [
        (suspend.replace("true", "true, grade: 3"), "not `grade`"),
        (
            suspend.replace("true", "true, undo: 2026-11-24T21:10:00+09:00"),
            "not `undo`",
        ),
        (suspend.replace("true", "maybe"), "suspended"),
        (
            suspend.replace("suspended: true", "moved_from: \"x/y\", suspended: true"),
            "not `suspended`",
        ),
    ] {
        let error = parse_line(&text).expect_err(&text);
        assert!(error.contains(wanted), "{text}: {wanted:?} not in {error:?}");
    }
    let not_rescheduled = good.replace("ms: 5400", "ms: 5400, rescheduled: false");
    assert!(matches!(
        parse_line(&not_rescheduled),
        Ok(LogLine::Review(Review { rescheduled: false, .. }))
    ));
}

/// A settings line amgi cannot schedule with (a wrong number of FSRS parameters, a retention out of range) is read,
/// then taken out with its line number and why, and the lines around it stay: it never stops the log being read.
#[test]
fn settings_lines_amgi_cannot_schedule_with_are_taken_out_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let good = r#"- {card: "a/b", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}"#;
    let text = [
        good,
        "- {at: 2026-11-24T21:11:00+09:00, parameters: [1], id: 06b057e9b-7f3a-0c2d1e4}",
        "- {at: 2026-11-24T21:12:00+09:00, retention: 1.5}",
        "- {at: 2026-11-24T21:13:00+09:00, retention: 0.8}",
        &good.replace("21:10:03", "21:14:00"),
    ]
    .join("\n");
    std::fs::write(store.reviews_path(), text + "\n").unwrap();
    let mut log = store.read_log(0).unwrap();
    assert_eq!(log.lines.len(), 5);
    let taken = log.take_refused_settings();
    let places: Vec<usize> = taken.iter().map(|(line, _)| *line).collect();
    assert_eq!(places, [2, 3]);
    assert!(taken[0].1.contains("1 parameter"), "{}", taken[0].1);
    assert!(taken[1].1.contains("outside 0.70..0.99"), "{}", taken[1].1);
    assert_eq!(log.numbers, [1, 4, 5]);
    assert_eq!(
        log.lines[1],
        LogLine::settings("2026-11-24T21:13:00+09:00".parse().unwrap(), Some(0.8), None)
    );
    assert!(log.take_refused_settings().is_empty(), "taken once");
    // Parameters FSRS takes are kept: none (its defaults), or 21 of them.
    assert_eq!(settings_refused(None, Some(&[])), None);
    assert_eq!(settings_refused(None, Some(&[Exact(0.5); 21])), None);
    assert!(settings_refused(None, Some(&[Exact(f32::NAN); 21])).is_some());
}

fn write_log(store: &Store, text: &str) {
    std::fs::create_dir_all(store.dir()).unwrap();
    std::fs::write(store.reviews_path(), text).unwrap();
}

fn sample(n: usize) -> Vec<LogLine> {
    (0..n)
        .map(|i| {
            let minute = i as i64 * 3;
            let when = at("2026-11-20T08:00:00+09:00").plus(jiff::SignedDuration::from_mins(minute));
            let card = id(&format!("topic {}/question {i}", i % 7));
            if i % 10 == 9 {
                LogLine::Undo {
                    card,
                    at: when,
                    undoes: when.plus(jiff::SignedDuration::from_secs(-30)),
                }
            } else if i % 10 == 4 {
                LogLine::Suspend { card, at: when }
            } else if i % 10 == 6 {
                LogLine::Release { card, at: when }
            } else {
                LogLine::Review(Review {
                    card,
                    at: when,
                    grade: Grade::ALL[i % 4],
                    mode: if i % 3 == 0 { Mode::Cram } else { Mode::Drill },
                    ms: 1000 + i as u64,
                    rescheduled: i % 5 == 0,
                })
            }
        })
        .collect()
}

fn text_of(lines: &[LogLine]) -> String {
    lines.iter().map(|l| render_line(l) + "\n").collect()
}

#[test]
fn read_log_of_a_missing_file_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let crc = Some(crc32fast::hash(b""));
    assert_eq!(store.read_log(0).unwrap(), Log { crc, ..Log::default() });
    assert_eq!(store.read_log_since(at("2026-01-01T00:00:00Z")).unwrap(), []);
}

#[test]
fn read_log_skips_blank_and_comment_lines() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(3);
    let text = format!(
        "# reviews\n\n{}   \n  # indented comment\n{}\r\n{}",
        render_line(&lines[0]),
        render_line(&lines[1]),
        text_of(&lines[2..])
    );
    write_log(&store, &text);
    let log = store.read_log(0).unwrap();
    assert_eq!(log.lines, lines);
    assert_eq!(log.torn, Vec::<usize>::new());
    assert_eq!(log.len, text.len() as u64);
}

#[test]
fn a_torn_last_line_is_skipped_and_the_next_append_starts_a_fresh_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(4);
    let whole = text_of(&lines[..3]);
    let torn = &render_line(&lines[3])[..30];
    write_log(&store, &format!("{whole}{torn}"));

    let log = store.read_log(0).unwrap();
    assert_eq!(log.lines, lines[..3]);
    assert_eq!(log.torn, vec![4]);
    assert_eq!(log.len, (whole.len() + torn.len()) as u64);
    let since = store.read_log_since(at("2000-01-01T00:00:00Z")).unwrap();
    assert_eq!(since, lines[..3]);

    let new_len = store.append(&lines[3]).unwrap();
    let bytes = std::fs::read_to_string(store.reviews_path()).unwrap();
    let appended = bytes
        .strip_prefix(&format!("{whole}{torn}\n"))
        .expect("a fresh line after the torn one");
    let (line, id) = parse_line_with_id(appended.strip_suffix('\n').unwrap()).unwrap();
    assert_eq!(line, lines[3]);
    assert!(id.is_some(), "an appended line has an id");
    assert_eq!(new_len.len, bytes.len() as u64);
    // Read from where the torn line left off, the new line is there.
    let rest = store.read_log(log.len).unwrap();
    assert_eq!(rest.lines, lines[3..]);
    assert_eq!(rest.torn, Vec::<usize>::new());
}

#[test]
fn the_log_read_a_piece_at_a_time_is_the_log_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(40);
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        text.push_str(&render_line(line));
        // A CRLF line, a blank line and a line cut short by a crash, each somewhere across the pieces read.
        text.push_str(match i {
            7 => "\r\n",
            12 => "\n\n",
            20 => "\n- {card: \"cut short\n",
            _ => "\n",
        });
    }
    for whole in [
        text.clone(),
        text.trim_end().to_owned(),
        format!("{text}- {{card: \"torn at the end"),
    ] {
        write_log(&store, &whole);
        let read = store.read_log(0).unwrap();
        let parsed = store.parse_log(whole.as_bytes(), 0).unwrap();
        assert_eq!(read.lines, lines);
        assert_eq!(read.lines, parsed.lines);
        assert_eq!(read.numbers, parsed.numbers);
        assert_eq!(read.torn, parsed.torn);
        assert_eq!(read.len, whole.len() as u64);
        assert_eq!(read.crc, Some(crc32fast::hash(whole.as_bytes())));
        assert_eq!(read.numbers[..3], [1, 2, 3]);
        assert_eq!(read.torn.first(), Some(&23), "the line cut short mid-file");
    }
    // A bad line is named by its number wherever it falls; a line longer than a piece is read whole.
    let bad = format!("{text}- {{card: \"x\", at: nonsense, grade: 3, mode: drill, ms: 1}}\n");
    write_log(&store, &bad);
    let message = store.read_log(0).unwrap_err().to_string();
    assert!(message.contains("reviews.yaml:43:"), "{message}");
    let long = review(
        &"긴 질문".repeat(200),
        "2026-11-24T21:10:03+09:00",
        Grade::Good,
        Mode::Drill,
        5400,
        false,
    );
    write_log(&store, &format!("{}\n{text}", render_line(&long)));
    let read = store.read_log(0).unwrap();
    // Applied after the others: it is the latest answer.
    assert_eq!((read.lines.len(), read.lines.last()), (41, Some(&long)));
    assert_eq!(read.numbers.last(), Some(&1));
}

#[test]
fn a_complete_last_line_without_newline_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(3);
    let text = text_of(&lines);
    write_log(&store, text.trim_end());
    assert_eq!(store.read_log(0).unwrap().lines, lines);
    assert_eq!(store.read_log(0).unwrap().torn, Vec::<usize>::new());
    assert_eq!(store.read_log_since(at("2000-01-01T00:00:00Z")).unwrap(), lines);
}

#[test]
fn a_bad_middle_line_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(5);
    let bad = render_line(&lines[2]).replace("grade: 3", "grade: 7");
    let text = format!("{}# note\n{bad}\n{}", text_of(&lines[..2]), text_of(&lines[3..]));
    write_log(&store, &text);
    let file = store.reviews_path().display().to_string();
    let message = store.read_log(0).unwrap_err().to_string();
    let column = bad.find("7").unwrap() + 1;
    assert!(message.starts_with(&format!("{file}:4:{column}: ")), "{message}");
    assert!(message.contains("grade from 1"), "{message}");
    // From an offset, the line is still counted from the start of the file.
    let offset = text.find("# note").unwrap() as u64;
    let message = store.read_log(offset).unwrap_err().to_string();
    assert!(message.starts_with(&format!("{file}:4:{column}: ")), "{message}");
    let message = store
        .read_log_since(at("2000-01-01T00:00:00Z"))
        .unwrap_err()
        .to_string();
    assert!(message.starts_with(&format!("{file}:4:{column}: ")), "{message}");
    // A line cut off by a crash, followed by the next session's appends, is skipped and reported.
    let torn = &render_line(&lines[2])[..20];
    write_log(
        &store,
        &format!("{}{torn}\n{}", text_of(&lines[..2]), text_of(&lines[3..])),
    );
    let log = store.read_log(0).unwrap();
    assert_eq!(log.torn, vec![3]);
    assert_eq!(log.lines.len(), lines.len() - 1);
    assert_eq!(
        store.read_log_since(at("2000-01-01T00:00:00Z")).unwrap().len(),
        lines.len() - 1
    );
    // But a whole line with a wrong value in the middle is not a torn one.
    let broken = render_line(&lines[2]).replace("grade: ", "grade: x");
    write_log(
        &store,
        &format!("{}{broken}\n{}", text_of(&lines[..2]), text_of(&lines[3..])),
    );
    let message = store.read_log(0).unwrap_err().to_string();
    assert!(message.starts_with(&format!("{file}:3:")), "{message}");
}

#[test]
fn read_log_from_an_offset_reads_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(5);
    let mut lengths = vec![0];
    for line in &lines {
        lengths.push(store.append(line).unwrap().len);
    }
    for (i, &offset) in lengths.iter().enumerate() {
        let log = store.read_log(offset).unwrap();
        assert_eq!(log.lines, lines[i..]);
        assert_eq!(log.len, *lengths.last().unwrap());
        assert_eq!(log.torn, Vec::<usize>::new());
    }
    let error = store.read_log(lengths.last().unwrap() + 1).unwrap_err();
    assert!(matches!(error, StoreError::LogShrunk { .. }), "{error}");
    assert!(error.to_string().contains("amgi repair"), "{error}");
}

#[test]
fn append_returns_the_new_length() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("new folder"));
    let lines = sample(3);
    for line in &lines {
        let end = store.append(line).unwrap();
        assert_eq!(std::fs::metadata(store.reviews_path()).unwrap().len(), end.len);
    }
    let text = std::fs::read_to_string(store.reviews_path()).unwrap();
    let written: Vec<(LogLine, Option<LineId>)> = text.lines().map(|l| parse_line_with_id(l).unwrap()).collect();
    assert_eq!(written.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(), lines);
    // Each line has its own id, written once, whose time part is the line's and whose installation part is the
    // one kept in the data folder.
    let install = std::fs::read_to_string(store.install_id_path()).unwrap();
    for (i, (line, id)) in written.iter().enumerate() {
        let id = id.expect("an id").to_string();
        assert_eq!(id[..9], format!("{:09x}", line.at().timestamp().as_second()), "{id}");
        assert_eq!(&id[10..14], install.trim(), "{id}");
        assert!(
            written[..i]
                .iter()
                .all(|(_, other)| other.map(|o| o.to_string()) != Some(id.clone()))
        );
    }
    assert!(text.lines().all(|l| l.ends_with('}') && l.contains(", id: ")), "{text}");
}

#[test]
fn each_answer_counts_once_in_time_order_wherever_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(4);
    let id = |n: u32| Some(LineId::new(lines[0].at(), 7, n));
    let with = |i: usize, n: Option<LineId>| render_line_with_id(&lines[i], n) + "\n";
    // Line 2 is a copy of line 1 (same id), line 4 of line 3 without ids, and line 6 (the earliest answer) was
    // merged in at the end.
    let text = [
        with(1, id(1)),
        with(1, id(1)),
        with(2, None),
        with(2, None),
        "# a comment\n".to_owned(),
        with(3, id(3)),
        with(0, id(0)),
    ]
    .concat();
    write_log(&store, &text);
    let log = store.read_log(0).unwrap();
    assert_eq!(
        log.lines,
        [lines[0].clone(), lines[1].clone(), lines[2].clone(), lines[3].clone()]
    );
    assert_eq!(log.numbers, [7, 1, 3, 6]);
    assert_eq!(
        log.repeats,
        [Repeat { line: 2, first: 1 }, Repeat { line: 4, first: 3 }]
    );
    assert_eq!(store.read_log_since(lines[0].at()).unwrap(), log.lines);
    // Read from an offset, the numbers are the file's.
    let offset = with(1, id(1)).len() as u64;
    assert_eq!(store.read_log(offset).unwrap().numbers, [7, 2, 3, 6]);
    // CRLF reads the same.
    write_log(&store, &text.replace('\n', "\r\n"));
    let crlf = store.read_log(0).unwrap();
    assert_eq!(
        (crlf.lines, crlf.numbers, crlf.repeats),
        (log.lines, log.numbers, log.repeats)
    );
}

#[test]
fn read_log_since_equals_filtering_the_whole_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    // 3,000 lines, three minutes apart: a little over six days, with a comment and a blank line every 500.
    let lines = sample(3000);
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i % 500 == 250 {
            text.push_str("# a comment\n\n");
        }
        text.push_str(&render_line(line));
        text.push('\n');
    }
    write_log(&store, &text);
    assert_eq!(store.read_log(0).unwrap().lines, lines);
    let sinces = [
        lines[0].at(),
        lines[1].at().plus(jiff::SignedDuration::from_secs(-1)),
        lines[1500].at(),
        lines[2999].at(),
        lines[2999].at().plus(jiff::SignedDuration::from_secs(1)),
        at("2026-11-24T04:00:00+09:00"),
        at("2026-11-23T19:00:00Z"),
        at("2000-01-01T00:00:00Z"),
    ];
    for since in sinces {
        let expected: Vec<LogLine> = lines.iter().filter(|l| l.at() >= since).cloned().collect();
        assert_eq!(store.read_log_since(since).unwrap(), expected, "since {since}");
    }
    // Lines split across chunks in every way, lines longer than a chunk.
    for since in [
        lines[2990].at(),
        lines[2900].at().plus(jiff::SignedDuration::from_secs(1)),
    ] {
        let expected: Vec<LogLine> = lines.iter().filter(|l| l.at() >= since).cloned().collect();
        for chunk in [1, 7, 64, 100, 4096] {
            assert_eq!(
                store.read_log_since_in_chunks(since, chunk).unwrap(),
                expected,
                "since {since}, {chunk}"
            );
        }
    }
}

#[test]
fn read_log_since_reads_only_the_tail() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(3000);
    // A line amgi cannot read, far before the tail: reading the whole file would fail on it.
    let text = format!("not: [a log line\n{}", text_of(&lines));
    write_log(&store, &text);
    assert!(store.read_log(0).is_err());
    let since = lines[2700].at();
    assert!(text.len() > 4 * TAIL_CHUNK);
    assert_eq!(store.read_log_since(since).unwrap(), lines[2700..]);
    for chunk in [1, 13, 1000] {
        assert_eq!(store.read_log_since_in_chunks(since, chunk).unwrap(), lines[2700..]);
    }
}

/// A long line cut off at the end (no newline) is read back in growing pieces, each byte searched and copied a
/// bounded number of times: it was searched again from its end, and copied whole, at every chunk (a 100 MB one
/// took a drill's start 56 seconds). The lines before it are read as ever.
#[test]
fn read_log_since_reads_a_long_torn_tail_in_linear_work() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(50);
    for torn in [
        format!("- {{card: \"{}", "가".repeat(200_000)),
        format!("- {{card: \"a\", at: 2026-11-24T21:10:03+09:00{}", " ".repeat(600_000)),
    ] {
        let text = format!("{}{torn}", text_of(&lines));
        write_log(&store, &text);
        for chunk in [1000, TAIL_CHUNK] {
            let mut work = 0;
            let read = store.read_log_since_counting(lines[0].at(), chunk, &mut work).unwrap();
            assert_eq!(read, lines);
            assert!(
                work <= 4 * text.len() as u64,
                "{work} bytes searched or copied for a log of {}, in chunks of {chunk}",
                text.len()
            );
        }
    }
}

/// The lines after the part progress.yaml reflects are numbered from the start of the file, and a bad one is
/// named by its line, though that part is not kept (its lines are counted only when there is a tail).
#[test]
fn the_tail_after_the_reflected_part_is_numbered_from_the_start_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lines = sample(6);
    let head = format!("{}# note\n", text_of(&lines[..3]));
    let crc = crc32fast::hash(head.as_bytes());
    write_log(&store, &format!("{head}{}", text_of(&lines[3..])));
    let Tail::Follows(tail) = store.read_log_after(head.len() as u64, Some(crc)).unwrap() else {
        panic!("the reflected part is as it was");
    };
    assert_eq!(tail.lines, lines[3..].to_vec());
    assert_eq!(tail.numbers, vec![5, 6, 7]);
    // Nothing after it: nothing to number.
    let whole = format!("{head}{}", text_of(&lines[3..]));
    let Tail::Follows(tail) = store
        .read_log_after(whole.len() as u64, Some(crc32fast::hash(whole.as_bytes())))
        .unwrap()
    else {
        panic!("the reflected part is as it was");
    };
    assert!(tail.lines.is_empty() && tail.torn.is_empty());
    // A bad line and a torn one in the tail.
    let bad = render_line(&lines[4]).replacen("at: ", "at: x", 1);
    let torn = &render_line(&lines[5])[..20];
    write_log(&store, &format!("{head}{}{bad}\n", text_of(&lines[3..4])));
    let message = store
        .read_log_after(head.len() as u64, Some(crc))
        .unwrap_err()
        .to_string();
    let file = store.reviews_path().display().to_string();
    assert!(message.starts_with(&format!("{file}:6:")), "{message}");
    write_log(&store, &format!("{head}{}{torn}", text_of(&lines[3..4])));
    let Tail::Follows(tail) = store.read_log_after(head.len() as u64, Some(crc)).unwrap() else {
        panic!("the reflected part is as it was");
    };
    assert_eq!((tail.numbers, tail.torn), (vec![5], vec![6]));
}

#[test]
fn a_backup_identical_to_the_newest_is_not_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    std::fs::write(store.progress_path(), "the user's older progress").unwrap();
    assert_eq!(store.back_up_progress().unwrap(), Some(store.backup_path(1)));
    std::fs::write(store.progress_path(), "a file that cannot be read").unwrap();
    // Start after failing start: each would back up the same file.
    for _ in 0..(BACKUPS_KEPT + 2) {
        assert_eq!(store.back_up_progress().unwrap(), Some(store.backup_path(2)));
    }
    assert_eq!(store.backup_numbers().unwrap(), [1, 2]);
    assert_eq!(
        std::fs::read_to_string(store.backup_path(1)).unwrap(),
        "the user's older progress"
    );
}

#[cfg(unix)]
#[test]
fn links_in_the_data_folder_are_refused_and_nothing_outside_is_written() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("victim.txt");
    std::fs::write(&outside, "the user's own file\n").unwrap();
    let amgi = dir.path().join("repo/.amgi");
    std::fs::create_dir_all(&amgi).unwrap();
    let store = Store::new(&amgi).in_repo();
    let line = review(
        "os/a",
        "2026-03-01T10:00:00+09:00",
        Grade::Good,
        Mode::Drill,
        1000,
        false,
    );

    // reviews.yaml a link out of the repository: no answer is written through it, nor read from it.
    symlink(&outside, store.reviews_path()).unwrap();
    for error in [
        store.append(&line).unwrap_err(),
        store.read_log(0).unwrap_err(),
        store.read_log_since(at("2026-01-01T00:00:00+09:00")).unwrap_err(),
        store.read_log_after(0, None).unwrap_err(),
    ] {
        assert!(matches!(error, StoreError::Refused(_)), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains(&store.reviews_path().display().to_string()),
            "{message}"
        );
        assert!(message.contains("is a symbolic link"), "{message}");
    }
    std::fs::remove_file(store.reviews_path()).unwrap();

    // progress.yaml and the temporary file beside it links: a save replaces the links, never writes through them.
    symlink(&outside, store.progress_path()).unwrap();
    assert!(matches!(store.load_progress().unwrap_err(), StoreError::Refused(_)));
    symlink(&outside, amgi.join("progress.yaml.tmp")).unwrap();
    store.save_progress(&golden()).unwrap();
    assert!(std::fs::symlink_metadata(store.progress_path()).unwrap().is_file());
    // The lock, and a backup's temporary file.
    symlink(&outside, amgi.join("progress.yaml.bak.tmp")).unwrap();
    std::fs::write(store.progress_path(), "changed").unwrap();
    store.back_up_progress().unwrap();
    symlink(&outside, store.lock_path()).unwrap();
    assert!(matches!(store.lock().unwrap_err(), StoreError::Refused(_)));
    std::fs::remove_file(store.lock_path()).unwrap();
    symlink(&outside, store.install_id_path()).unwrap();
    store.append(&line).unwrap();
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "the user's own file\n");

    // The folder itself a link to one outside: refused before anything in it is opened.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let linked = dir.path().join("clone/.amgi");
    std::fs::create_dir_all(linked.parent().unwrap()).unwrap();
    symlink(&elsewhere, &linked).unwrap();
    let store = Store::new(&linked).in_repo();
    assert!(matches!(store.append(&line).unwrap_err(), StoreError::Refused(_)));
    assert!(matches!(
        store.save_progress(&golden()).unwrap_err(),
        StoreError::Refused(_)
    ));
    assert!(matches!(store.lock().unwrap_err(), StoreError::Refused(_)));
    assert!(matches!(store.read_log(0).unwrap_err(), StoreError::Refused(_)));
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing written there"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "the user's own file\n");
}

#[cfg(unix)]
#[test]
fn new_files_are_private_outside_a_repository_and_a_rewrite_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("data/decks/os"));
    store.save_progress(&golden()).unwrap();
    let line = review(
        "os/a",
        "2026-03-01T10:00:00+09:00",
        Grade::Good,
        Mode::Drill,
        1000,
        false,
    );
    store.append(&line).unwrap();
    drop(store.lock().unwrap());
    assert_eq!(mode(store.dir()), 0o700);
    for file in [
        store.progress_path(),
        store.reviews_path(),
        store.lock_path(),
        store.install_id_path(),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    std::fs::set_permissions(store.progress_path(), std::fs::Permissions::from_mode(0o640)).unwrap();
    store.save_progress(&everything()).unwrap();
    assert_eq!(mode(&store.progress_path()), 0o640);
}

#[test]
fn answers_are_counted_by_reading_the_lines() {
    let answer = render_line(&review(
        "os/a",
        "2026-03-01T10:00:00+09:00",
        Grade::Good,
        Mode::Drill,
        1000,
        false,
    ));
    let settings = render_line(&LogLine::settings(at("2026-03-01T10:00:00+09:00"), Some(0.9), None));
    // A card whose id holds the words an answer line has is still one answer; a line that is not one is none.
    let tricky = render_line(&review(
        "os/x, grade: 3",
        "2026-03-01T10:00:00+09:00",
        Grade::Again,
        Mode::Cram,
        0,
        false,
    ));
    let lines = [
        answer.as_str(),
        settings.as_str(),
        tricky.as_str(),
        "- {not a line, grade: 3}",
        "",
    ];
    assert_eq!(count_answers(lines), 2);
}
