//! The direct writer and the fast reader of progress.yaml against serde_norway, which they stand in for: the same
//! bytes out, the same value in, and every text the fast reader does not take left to serde_norway. The same for
//! the fast reader of reviews.yaml lines.

use super::emit::{analyze, analyze_fully};
use super::log::{
    Reader, applied_order, parse_canonical, parse_line_located_with, parse_line_with_serde, time_order, time_order_wide,
};
use super::progress::{parse_with_serde, render_progress_with_serde};
use super::tests::{GOLDEN, at, bad_inputs, entry, everything, golden, id, path};
use super::{
    Entry, LineId, LogLine, Mode, Progress, Repeat, Review, Settings, canonical, parse_progress, render_line_with_id,
    render_progress,
};
use crate::card::CardId;
use crate::schedule::{CardState, Grade, Memory, Phase};
use crate::time::Moment;
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Pieces of text that YAML treats specially somewhere: indicators, quotes, breaks of every kind, controls,
/// characters libyaml will not print, words and numbers that would read back as something else.
const PIECES: &[&str] = &[
    "network",
    "/",
    "TCP vs UDP",
    " ",
    "  ",
    ":",
    ": ",
    "#",
    " #",
    "'",
    "\"",
    "''",
    "-",
    "- ",
    "?",
    "? ",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
    ",",
    "[",
    "]",
    "{",
    "}",
    "네트워크",
    "쿠키란?",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{9f}",
    "\u{a0}",
    "\u{b7}",
    "\u{feff}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{e000}",
    "\u{f000}",
    "\u{2013}",
    "😀",
    "é",
    "\\",
    "~",
    "true",
    "null",
    "1.5",
    "0x10",
    "0o7",
    "0b1",
    "1e5",
    ".inf",
    "-.inf",
    ".nan",
    "0123",
    "+1",
    "-1",
    "---",
    "...",
    "=",
    "x",
];

/// Whole strings that are numbers, nulls or bools to YAML (or nearly are).
const WORDS: &[&str] = &[
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "True",
    "TRUE",
    "false",
    "FALSE",
    "yes",
    "no",
    "on",
    "1",
    "0",
    "-0",
    "+0",
    "007",
    "-007",
    "+007",
    "1.5",
    "-1.5",
    "+1.5",
    ".5",
    "5.",
    "1e5",
    "1E-5",
    "1e400",
    "-1e400",
    "inf",
    "-inf",
    "infinity",
    "NaN",
    "nan",
    ".inf",
    "-.inf",
    "+.inf",
    ".NaN",
    ".NAN",
    "0x10",
    "0xff",
    "-0x10",
    "+0x10",
    "0x+1",
    "0x-1",
    "0o17",
    "-0o17",
    "0b101",
    "-0b101",
    "0b",
    "0x",
    "1_000",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211455",
    "340282366920938463463374607431768211456",
    "-170141183460469231731687303715884105728",
    "0.",
    "-.",
    ".",
    "+",
    "-",
    "--1",
    "++1",
    "1.2.3",
    "00",
    "0e0",
    "00000000000e1234",
    "1234567890123456",
    "0123456789abcdef",
    "2026-11-24T21:10:03+09:00",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "#a",
    "- a",
    "-a",
    "? a",
    "?a",
    ": a",
    ":a",
];

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(str::to_owned),
        6 => prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|p| p.concat()),
        1 => prop::collection::vec(prop::sample::select(PIECES), 20..70).prop_map(|p| p.concat()),
        2 => any::<String>(),
        2 => "[a-z가-힣 /?()]{1,60}",
    ]
    .boxed()
}

fn float() -> BoxedStrategy<f32> {
    prop_oneof![
        4 => any::<u32>().prop_map(f32::from_bits),
        1 => prop::sample::select(vec![
            0.0,
            -0.0,
            1e-45,
            -1e-45,
            f32::MIN_POSITIVE,
            1.0e-40,
            f32::MAX,
            f32::MIN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            0.9,
            3.0e-5,
            5.1121707,
        ]),
    ]
    .boxed()
}

/// A moment such as amgi records: whole seconds, an offset in whole minutes within a day.
pub(super) fn moment() -> BoxedStrategy<Moment> {
    (-2_000_000_000i64..8_000_000_000, -(23 * 60 + 59)..=(23 * 60 + 59))
        .prop_map(|(seconds, minutes)| {
            let timestamp = Timestamp::from_second(seconds).unwrap();
            Moment::new(timestamp, Offset::from_seconds(minutes * 60).unwrap())
        })
        .boxed()
}

fn state() -> BoxedStrategy<CardState> {
    let phase = prop::sample::select(vec![Phase::New, Phase::Learning, Phase::Review, Phase::Relearning]);
    let memory =
        prop::option::of((float(), float()).prop_map(|(stability, difficulty)| Memory { stability, difficulty }));
    (
        phase,
        any::<u32>(),
        prop::option::of(moment()),
        memory,
        any::<u32>(),
        any::<u32>(),
        prop::option::of(moment()),
    )
        .prop_map(|(phase, step, due, memory, reps, lapses, last_review)| CardState {
            phase,
            step,
            due,
            memory,
            reps,
            lapses,
            last_review,
        })
        .boxed()
}

fn card() -> BoxedStrategy<Entry> {
    let hash = prop_oneof![3 => any::<u64>().prop_map(|h| format!("{h:016x}")), 1 => text()];
    (text(), hash, state(), any::<bool>())
        .prop_map(|(question, answer_hash, state, suspended)| Entry {
            question,
            answer_hash,
            // Some cards skipped until a moment, some not.
            skipped_until: state.last_review.filter(|_| state.reps % 2 == 1),
            state,
            suspended,
        })
        .boxed()
}

fn day() -> impl Strategy<Value = jiff::civil::Date> {
    (-9999i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d))
}

fn progress() -> BoxedStrategy<Progress> {
    let settings = (
        prop::option::of(float()),
        prop::option::of(prop::collection::vec(float(), 0..25)),
        prop::option::of(day()),
        prop::option::of(day()),
    )
        .prop_map(|(retention, parameters, interview, planned_on)| Settings {
            retention,
            parameters,
            interview,
            planned_on,
        });
    let cards = prop::collection::btree_map(text().prop_map(|t| id(&t)), card(), 0..10);
    (settings, any::<u64>(), any::<Option<u32>>(), cards)
        .prop_map(|(settings, log_offset, log_crc, cards)| Progress {
            settings,
            log_offset,
            log_crc,
            cards,
        })
        .boxed()
}

/// Equal, counting every NaN as the same (the file has only `.nan`).
fn same(a: &Progress, b: &Progress) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

/// Whether the fast reader must take the rendering of `progress`: it holds no text that is written over several
/// lines (a literal block for a `\n`, or single quotes around LS or PS).
fn fits_one_line(progress: &Progress) -> bool {
    let one_line = |s: &str| !s.contains(['\n', '\u{2028}', '\u{2029}']);
    progress
        .cards
        .iter()
        .all(|(id, e)| one_line(id.as_str()) && one_line(&e.question) && one_line(&e.answer_hash))
}

/// Checks `progress` against serde_norway both ways.
fn check(progress: &Progress) {
    let text = render_progress(progress);
    let reference = render_progress_with_serde(progress);
    assert_eq!(text, reference, "{progress:#?}");
    let by_serde = parse_with_serde(&text, &path()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(same(&by_serde, progress), "{by_serde:#?}\n{text}");
    match canonical::parse(&text) {
        Some(fast) => assert!(same(&fast, progress), "{fast:#?}\n{text}"),
        None => assert!(!fits_one_line(progress), "the fast reader refused\n{text}"),
    }
    assert!(same(&parse_progress(&text, &path()).unwrap(), progress));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn the_writer_matches_serde_norway_and_both_readers_read_it_back(progress in progress()) {
        check(&progress);
    }

    #[test]
    fn every_string_is_written_as_serde_norway_writes_it(key in text(), value in text()) {
        let mut progress = golden();
        let card = progress.cards.values().next().unwrap().clone();
        progress.cards.insert(id(&key), Entry { question: value.clone(), answer_hash: value, ..card });
        check(&progress);
    }

    #[test]
    fn the_shortcut_analysis_agrees_with_the_full_one(value in text()) {
        prop_assert_eq!(analyze(&value), analyze_fully(&value), "{:?}", value);
    }

    /// Whatever the fast reader takes from an edited file is what the file holds: the text is exactly the
    /// rendering of what it read, and serde_norway reads the same.
    #[test]
    fn the_fast_reader_takes_only_text_it_reads_exactly(
        progress in progress(),
        edits in prop::collection::vec((0..8u8, any::<prop::sample::Index>(), prop::sample::select(vec![
            " ", "\n", ":", ": ", "#", "'", "\"", "-", "x", "0", "\t", "{", "? ", "  ", "\\", "\r", "''",
        ])), 1..4),
    ) {
        let mut text = render_progress(&progress);
        for (kind, at, piece) in edits {
            edit(&mut text, kind, at, piece);
        }
        if let Some(fast) = canonical::parse(&text) {
            prop_assert_eq!(render_progress(&fast), text.clone());
            let by_serde = parse_with_serde(&text, &path());
            prop_assert!(by_serde.as_ref().is_ok_and(|p| same(p, &fast)), "{:?}\n{}", by_serde, text);
        }
    }

    #[test]
    fn moments_are_read_as_jiff_reads_them(moment in moment()) {
        let text = moment.to_string();
        prop_assert_eq!(canonical::time(&text), Some(moment));
    }

    #[test]
    fn any_text_shaped_like_a_moment_is_read_as_jiff_reads_it(
        digits in prop::collection::vec(0..10u8, 18),
        sign in prop::sample::select(vec!['+', '-']),
    ) {
        let d = |range: std::ops::Range<usize>| digits[range].iter().map(|d| char::from(b'0' + d)).collect::<String>();
        let text = format!(
            "{}-{}-{}T{}:{}:{}{sign}{}:{}", d(0..4), d(4..6), d(6..8), d(8..10), d(10..12), d(12..14), d(14..16),
            d(16..18)
        );
        if let Some(fast) = canonical::time(&text) {
            prop_assert_eq!(Some(fast), text.parse::<Moment>().ok(), "{}", text);
            prop_assert_eq!(fast.to_string(), text);
        }
    }
}

pub(super) fn log_line() -> BoxedStrategy<LogLine> {
    let review = (
        text(),
        moment(),
        prop::sample::select(Grade::ALL.to_vec()),
        prop::sample::select(vec![Mode::Drill, Mode::Cram, Mode::Mock]),
        prop_oneof![any::<u64>(), 0..100_000u64],
        any::<bool>(),
    )
        .prop_map(|(card, at, grade, mode, ms, rescheduled)| {
            LogLine::Review(Review {
                card: id(&card),
                at,
                grade,
                mode,
                ms,
                rescheduled,
            })
        });
    let undo = (text(), moment(), moment()).prop_map(|(card, at, undoes)| LogLine::Undo {
        card: id(&card),
        at,
        undoes,
    });
    let moved = (text(), moment(), text()).prop_map(|(card, at, from)| LogLine::Move {
        card: id(&card),
        at,
        from: id(&from),
    });
    let suspension = (text(), moment(), any::<bool>()).prop_map(|(card, at, suspended)| {
        let card = id(&card);
        if suspended {
            LogLine::Suspend { card, at }
        } else {
            LogLine::Release { card, at }
        }
    });
    prop_oneof![4 => review, 1 => undo, 1 => moved, 1 => suspension].boxed()
}

/// A line and maybe its id.
fn log_line_with_id() -> BoxedStrategy<(LogLine, Option<LineId>)> {
    let id = prop::option::of((moment(), any::<u16>(), any::<u32>()).prop_map(|(at, i, r)| LineId::new(at, i, r)));
    (log_line(), id).boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// A line as amgi writes it is read fast unless its card id needs escapes (or it is a move, which is rare),
    /// and always as serde_norway reads it.
    #[test]
    fn log_lines_are_read_fast_as_serde_norway_reads_them(line in log_line_with_id()) {
        let text = render_line_with_id(&line.0, line.1);
        prop_assert_eq!(parse_line_with_serde(&text).ok(), Some(line.clone()));
        let plain_id = !text.contains('\\') && !matches!(line.0, LogLine::Move { .. });
        match parse_canonical(&text) {
            Some(fast) => prop_assert_eq!(fast, line),
            None => prop_assert!(!plain_id, "not read fast: {}", text),
        }
    }

    /// Whatever the fast reader takes from an edited line, serde_norway reads the same.
    #[test]
    fn the_fast_log_reader_takes_only_lines_it_reads_exactly(
        line in log_line_with_id(),
        edits in prop::collection::vec((0..3u8, any::<prop::sample::Index>(), prop::sample::select(vec![
            " ", ":", ": ", "#", "'", "\"", "-", "x", "0", "9", "\t", "{", "}", ",", "\\", "Z", "+", "\u{85}",
        ])), 1..4),
    ) {
        let mut text = render_line_with_id(&line.0, line.1);
        for (kind, at, piece) in edits {
            edit(&mut text, kind, at, piece);
        }
        if let Some(fast) = parse_canonical(&text) {
            prop_assert_eq!(parse_line_with_serde(&text).ok(), Some(fast), "{}", text);
        }
    }
}

#[test]
fn real_log_lines_are_read_fast() {
    for text in [
        "- {card: \"네트워크/전송 계층/TCP와 UDP의 차이는?\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}",
        "- {card: \"db/B+ 트리: 왜? #1\", at: 2026-11-24T21:10:03-05:30, grade: 1, mode: cram, ms: 0, rescheduled: true}",
        "- {card: \"db/x\", at: 2026-11-24T21:10:09+00:00, undo: 2026-11-24T21:10:03+00:00}",
        "- {card: \"db/x\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400, id: 0692e1a3b-7f3a-0c2d1e4}",
        "- {card: \"db/x\", at: 2026-11-24T21:10:09+00:00, undo: 2026-11-24T21:10:03+00:00, id: 0692e1a3b-7f3a-0c2d1e5}",
        "- {card: \"네트워크/쿠키란?\", at: 2026-11-24T21:10:03+09:00, suspended: true}",
        "- {card: \"네트워크/쿠키란?\", at: 2026-11-25T08:00:00+09:00, suspended: false}",
        "- {card: \"db/x\", at: 2026-11-24T21:10:03+09:00, suspended: true, id: 0692e1a3b-7f3a-0c2d1e6}",
        "- {card: \"db/x\", at: 2026-11-24T21:10:03-05:30, suspended: false, id: 0692e1a3b-7f3a-0c2d1e7}",
    ] {
        let fast = parse_canonical(text).unwrap_or_else(|| panic!("not read fast: {text}"));
        assert_eq!(parse_line_with_serde(text).unwrap(), fast);
        assert_eq!(render_line_with_id(&fast.0, fast.1), text);
    }
    for text in [
        "- {card: \"a\\\"b\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}",
        "- {card: \"a\", at: 2026-11-24T12:10:03Z, grade: 3, mode: drill, ms: 5400}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 05400}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 5, mode: drill, ms: 5400}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400, rescheduled: false}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400} ",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 99999999999999999999}",
        "- {card: a, at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}",
        "- {at: 2026-11-24T21:10:03+09:00, card: \"a\", grade: 3, mode: drill, ms: 5400}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400, id: 0692E1A3B-7f3a-0c2d1e4}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400, id: 692e1a3b-7f3a-0c2d1e4}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, id: 0692e1a3b-7f3a-0c2d1e4, ms: 5400}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, suspended: True}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, suspended:true}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, suspended: true }",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, suspended: yes}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, suspended: true, grade: 3, mode: drill, ms: 5400}",
        "- {card: \"a\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400, suspended: true}",
    ] {
        assert_eq!(parse_canonical(text), None, "{text}");
    }
}

/// One edit of `text` at `at`: insert `piece`, delete a character, or delete, repeat, swap or re-indent a line.
fn edit(text: &mut String, kind: u8, at: prop::sample::Index, piece: &str) {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let i = boundaries[at.index(boundaries.len())];
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = at.index(lines.len().max(1));
    let mut lines: Vec<String> = lines.into_iter().map(str::to_owned).collect();
    match kind {
        0 | 1 => text.insert_str(i, piece),
        2 if i < text.len() => {
            text.remove(i);
        }
        3 if !lines.is_empty() => {
            lines.remove(n);
            *text = lines.concat();
        }
        4 if !lines.is_empty() => {
            let line = lines[n].clone();
            lines.insert(n, line);
            *text = lines.concat();
        }
        5 if n + 1 < lines.len() => {
            lines.swap(n, n + 1);
            *text = lines.concat();
        }
        6 if !lines.is_empty() => {
            lines[n].insert(0, ' ');
            *text = lines.concat();
        }
        7 if !lines.is_empty() => {
            if lines[n].starts_with(' ') {
                lines[n].remove(0);
            }
            *text = lines.concat();
        }
        _ => {}
    }
}

#[test]
fn the_documented_example_and_every_awkward_case_match_serde_norway() {
    check(&golden());
    check(&everything());
    check(&Progress::default());
    let mut progress = golden();
    progress.settings = Settings {
        retention: None,
        parameters: Some(Vec::new()),
        ..Settings::default()
    };
    check(&progress);
    progress.settings.retention = Some(f32::NAN);
    check(&progress);
    progress.settings = Settings {
        retention: None,
        parameters: Some(vec![1e-45, f32::MAX, -0.0]),
        ..Settings::default()
    };
    check(&progress);
    // One card only: serde_norway treats a mapping of one entry specially (it may be a tagged enum).
    for key in ["!tag", "!!str", "!<x>", "tag"] {
        let mut one = golden();
        let card = one.cards.values().next().unwrap().clone();
        one.cards = BTreeMap::from([(id(key), card)]);
        check(&one);
    }
}

#[test]
fn every_piece_and_word_matches_serde_norway_alone_and_in_pairs() {
    let card = golden().cards.values().next().unwrap().clone();
    let mut all: Vec<String> = PIECES.iter().chain(WORDS).map(|s| s.to_string()).collect();
    for a in PIECES {
        for b in PIECES {
            all.push(format!("{a}{b}"));
            all.push(format!("x{a}{b}"));
            all.push(format!("{a}{b}x"));
        }
    }
    // Around the 128-byte limit of a simple key.
    for n in 120..=135 {
        all.push("a".repeat(n));
        all.push(format!("{}:", "a".repeat(n)));
        all.push(format!("'{}", "a".repeat(n)));
    }
    all.push("네".repeat(43));
    all.push("네".repeat(42) + "ab");
    for chunk in all.chunks(40) {
        let mut progress = golden();
        for (i, text) in chunk.iter().enumerate() {
            let entry = Entry {
                question: text.clone(),
                answer_hash: format!("{text}{i}"),
                ..card.clone()
            };
            progress.cards.insert(id(text), entry);
        }
        check(&progress);
    }
}

#[test]
fn literal_blocks_match_serde_norway() {
    for question in ["a\n\n", "\n", "a\n", "a\nb", " a\nb", "a\u{2028}\n\n"] {
        let mut progress = golden();
        progress.cards.values_mut().next().unwrap().question = question.into();
        check(&progress);
    }
}

#[test]
fn long_and_korean_ids_are_read_fast() {
    let mut progress = golden();
    let card = progress.cards.values().next().unwrap().clone();
    let long = format!(
        "네트워크/전송 계층/{}",
        "TCP와 UDP의 차이는 무엇이고 언제 어느 쪽을 쓰나요? ".repeat(3)
    );
    assert!(long.len() > 128);
    for key in [
        "network/TCP vs UDP",
        "네트워크/쿠키란?",
        long.trim_end(),
        "web/HTTP: 1.1 #2",
        "db/\"q\"",
    ] {
        progress.cards.insert(id(key), card.clone());
    }
    let text = render_progress(&progress);
    assert!(
        text.contains(&format!("\n  ? {}\n  : answer_hash: ", long.trim_end())),
        "{text}"
    );
    assert_eq!(canonical::parse(&text), Some(progress));
}

#[test]
fn the_fast_reader_refuses_every_bad_file_and_hand_edits() {
    for (name, bytes, _) in bad_inputs() {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            assert_eq!(canonical::parse(text), None, "{name}");
        }
    }
    let edited = [
        GOLDEN.replace("version: 1", "version: 2"),
        GOLDEN.replace("version: 1", "version: 01"),
        GOLDEN.replace("lapses: 0", "lapses: 00"),
        GOLDEN.replace("step: 1\n", "step: 1\n    suspended: false\n"),
        GOLDEN.replace("step: 1\n", "step: 1\n    suspended: True\n"),
        GOLDEN.replace("step: 1\n", "step: 1\n    suspended: yes\n"),
        GOLDEN.replace("step: 1\n", "    suspended: true\nstep: 1\n"),
        GOLDEN.replace("reps: 1", "reps: +1"),
        GOLDEN.replace("reps: 1", "reps: 1 # one"),
        GOLDEN.replace("stability: 1.2931", "stability: 1.29310"),
        GOLDEN.replace("stability: 1.2931", "stability: 1.2931e0"),
        GOLDEN.replace("question: TCP vs UDP", "question: 'TCP vs UDP'"),
        GOLDEN.replace("question: TCP vs UDP", "question: \"TCP vs UDP\""),
        GOLDEN.replace("question: TCP vs UDP", "question: TCP vs UDP "),
        GOLDEN.replace("question: TCP vs UDP", "question:  TCP vs UDP"),
        GOLDEN.replace("question: TCP vs UDP", "question: TCP #vs UDP"),
        GOLDEN.replace("question: TCP vs UDP", "question: &a TCP vs UDP"),
        GOLDEN.replace("  network/TCP vs UDP:", "  'network/TCP vs UDP':"),
        GOLDEN.replace("  network/TCP vs UDP:", "  network/TCP vs UDP: "),
        GOLDEN.replace("  network/TCP vs UDP:", "  ? network/TCP vs UDP\n  :"),
        GOLDEN.replace("    answer_hash", "  : answer_hash"),
        GOLDEN.replace("    ", "   "),
        GOLDEN.replace("    ", "\t"),
        GOLDEN.replace('\n', "\r\n"),
        GOLDEN.replace("due: 2026-11-25T21:10:03+09:00", "due: 2026-11-25T12:10:03Z"),
        GOLDEN.replace("due: 2026-11-25T21:10:03+09:00", "due: 2026-11-25T21:10:03.5+09:00"),
        GOLDEN.replace("settings:\n  retention: 0.9", "settings: {retention: 0.9}"),
        GOLDEN.replace("settings:\n  retention: 0.9", "settings:"),
        GOLDEN.replace("# amgi", "#amgi"),
        GOLDEN.replace("version: 1\n", "version: 1\n# note\n"),
        format!("\u{feff}{GOLDEN}"),
        format!("{GOLDEN}\n"),
        format!("{GOLDEN}...\n"),
        format!("{GOLDEN}# end\n"),
        GOLDEN.trim_end().to_owned(),
        format!("---\n{GOLDEN}"),
    ];
    for text in &edited {
        assert_eq!(canonical::parse(text), None, "{text}");
        // The full reader still reads it, or says what is wrong.
        if let Ok(progress) = parse_progress(text, &path()) {
            assert!(same(&parse_with_serde(text, &path()).unwrap(), &progress));
        }
    }
}

#[test]
fn a_card_out_of_order_or_listed_twice_goes_to_the_full_reader() {
    let mut progress = golden();
    let card = progress.cards.values().next().unwrap().clone();
    progress.cards.insert(id("a"), card.clone());
    progress.cards.insert(id("z"), card);
    let text = render_progress(&progress);
    assert!(canonical::parse(&text).is_some());
    let swapped = text.replacen("  a:\n", "  zz:\n", 1);
    assert_eq!(canonical::parse(&swapped), None);
    let twice = text.replacen("  z:\n", "  network/TCP vs UDP:\n", 1);
    assert_eq!(canonical::parse(&twice), None);
    assert!(
        parse_progress(&twice, &path())
            .unwrap_err()
            .to_string()
            .contains("listed twice")
    );
}

#[test]
fn moments_at_the_edges_are_left_to_jiff() {
    for text in [
        "2026-11-24T21:10:03-00:00",
        "2026-11-24T21:10:03+24:00",
        "2026-11-24T21:10:03+09:60",
        "2026-11-24T21:10:60+09:00",
        "2026-02-30T21:10:03+09:00",
        "2026-11-24T21:10:03Z",
        "2026-11-24 21:10:03+09:00",
        "+2026-11-24T21:10:03+09:0",
    ] {
        assert_eq!(canonical::time(text), None, "{text}");
    }
    let edges = [
        Timestamp::MIN,
        Timestamp::MAX,
        Timestamp::UNIX_EPOCH,
        Timestamp::from_second(-62_135_596_800).unwrap(),
        Timestamp::from_second(-62_167_219_200).unwrap(),
        Timestamp::from_second(253_402_207_200 - 86_400).unwrap(),
    ];
    for timestamp in edges {
        for minutes in [-(23 * 60 + 59), -1, 0, 1, 9 * 60, 23 * 60 + 59] {
            let moment = Moment::new(timestamp, Offset::from_seconds(minutes * 60).unwrap());
            let mut progress = golden();
            progress.cards.values_mut().next().unwrap().state.last_review = Some(moment);
            assert_eq!(render_progress(&progress), render_progress_with_serde(&progress));
            let text = moment.to_string();
            if let Some(read) = canonical::time(&text) {
                assert_eq!(read, moment, "{text}");
                assert_eq!(text.parse::<Moment>().ok(), Some(read), "{text}");
            }
        }
    }
    let far = at("2026-11-24T21:10:03+09:00").plus(SignedDuration::from_hours(24 * 365 * 8000));
    let mut progress = golden();
    progress.cards.values_mut().next().unwrap().state.due = Some(far);
    check(&progress);
}

#[test]
fn a_real_card_is_read_fast() {
    let mut progress = Progress::default();
    for i in 0..50 {
        let state = CardState {
            phase: Phase::Review,
            step: 0,
            due: Some(at("2026-11-25T21:10:03+09:00")),
            memory: Some(Memory {
                stability: 12.5 + i as f32,
                difficulty: 5.25,
            }),
            reps: i,
            lapses: 1,
            last_review: Some(at("2026-11-24T21:10:03+09:00")),
        };
        let key: CardId = id(&format!("네트워크/전송 계층/질문 {i}: TCP와 UDP의 차이는?"));
        progress
            .cards
            .insert(key, entry(&format!("질문 {i}: TCP와 UDP의 차이는?"), state));
    }
    assert_eq!(canonical::parse(&render_progress(&progress)), Some(progress));
}

/// [`canonical::time`] as it was before it counted days itself, through jiff's checked `DateTime`: the reference
/// it must agree with on every text, taken or not.
fn time_through_jiff(token: &str) -> Option<Moment> {
    let b = token.as_bytes();
    if b.len() != 25 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[22] != b':'
    {
        return None;
    }
    let digits = |from: usize, len: usize| -> Option<i16> {
        let part = &b[from..from + len];
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i16, |n, &d| n * 10 + i16::from(d - b'0')))
    };
    let two = |from| digits(from, 2).and_then(|n| i8::try_from(n).ok());
    let sign = match b[19] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = (two(20)?, two(23)?);
    if hours > 23 || minutes > 59 || (sign < 0 && hours == 0 && minutes == 0) {
        return None;
    }
    let offset = Offset::from_seconds(sign * (i32::from(hours) * 3600 + i32::from(minutes) * 60)).ok()?;
    let local = jiff::civil::DateTime::new(digits(0, 4)?, two(5)?, two(8)?, two(11)?, two(14)?, two(17)?, 0).ok()?;
    let timestamp = offset.to_timestamp(local).ok()?;
    Some(Moment::new(timestamp, offset))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// The day counted by arithmetic is the day jiff counts, and what it refuses jiff refuses: digits anywhere,
    /// days past a month's end, hours and minutes out of range.
    #[test]
    fn moments_are_counted_as_jiff_counts_them(
        year in prop_oneof![0..10_000i32, 1_999..2_101i32, prop::sample::select(vec![0, 1, 99, 100, 400, 1900, 9_998, 9_999])],
        month in 0..14u8,
        day in prop_oneof![0..33u8, 27..32u8],
        time in (0..25u8, 0..61u8, 0..61u8),
        offset in (prop::sample::select(vec!['+', '-']), 0..25u8, prop::sample::select(vec![0u8, 1, 30, 45, 59, 60])),
    ) {
        let (hour, minute, second) = time;
        let (sign, hours, minutes) = offset;
        let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{sign}{hours:02}:{minutes:02}");
        prop_assert_eq!(canonical::time(&text), time_through_jiff(&text), "{}", text);
    }

    /// The same with any digits in any place, and any byte in place of a separator.
    #[test]
    fn any_text_shaped_like_a_moment_is_counted_as_jiff_counts_it(
        digits in prop::collection::vec(0..10u8, 18),
        separators in prop::collection::vec(prop::sample::select(b"--T::+:x0 Z".to_vec()), 7),
    ) {
        let d = |range: std::ops::Range<usize>| digits[range].iter().map(|d| char::from(b'0' + d)).collect::<String>();
        let s = |i: usize| char::from(separators[i]);
        let text = format!(
            "{}{}{}{}{}{}{}{}{}{}{}{}{}{}{}",
            d(0..4), s(0), d(4..6), s(1), d(6..8), s(2), d(8..10), s(3), d(10..12), s(4), d(12..14),
            if separators[5] == b'+' { '+' } else { '-' }, d(14..16), s(6), d(16..18)
        );
        prop_assert_eq!(canonical::time(&text), time_through_jiff(&text), "{}", text);
    }
}

#[test]
fn moments_at_leap_days_offsets_and_the_ends_of_the_range_are_counted_as_jiff_counts_them() {
    for text in [
        // Leap days: every fourth year, not every hundredth, every four hundredth (year 0 too).
        "2024-02-29T12:00:00+09:00",
        "2023-02-29T12:00:00+09:00",
        "2100-02-29T12:00:00+09:00",
        "2000-02-29T12:00:00+09:00",
        "1900-02-29T12:00:00+00:00",
        "0000-02-29T00:00:00+00:00",
        "2024-02-30T00:00:00+00:00",
        "2024-12-31T23:59:59+00:00",
        "2024-13-01T00:00:00+00:00",
        "2024-00-10T00:00:00+00:00",
        "2024-04-31T00:00:00+00:00",
        "2024-03-01T00:30:00+09:00",
        // An offset that takes the moment to another day, year or month in UTC, both ways.
        "2026-01-01T00:00:00+14:00",
        "2025-12-31T23:59:59-12:00",
        "2026-03-01T00:00:00-00:01",
        "2026-02-28T23:59:59+00:01",
        "2026-11-24T21:10:03-05:30",
        "2026-11-24T21:10:03-23:59",
        "2026-11-24T21:10:03+23:59",
        // Either side of a change of clocks: the offset is written, so each is simply its own instant.
        "2026-03-08T01:59:59-05:00",
        "2026-03-08T03:00:00-04:00",
        "2026-11-01T01:30:00-04:00",
        "2026-11-01T01:30:00-05:00",
        "2026-10-25T02:30:00+02:00",
        "2026-10-25T02:30:00+01:00",
        // The ends of jiff's range, and past them.
        "9999-12-30T22:00:00+00:00",
        "9999-12-30T22:00:01+00:00",
        "9999-12-31T23:59:59+23:59",
        "9999-12-31T23:59:59-00:01",
        "9999-12-31T23:59:59-23:59",
        "0000-01-01T00:00:00+23:59",
        "0000-01-01T00:00:00-23:59",
        "1970-01-01T00:00:00+00:00",
        "1969-12-31T23:59:59+00:00",
        // Times that do not exist.
        "2026-11-24T24:00:00+09:00",
        "2026-11-24T23:60:00+09:00",
        "2026-12-31T23:59:60+00:00",
        "2026-11-24T21:10:03-00:00",
    ] {
        assert_eq!(canonical::time(text), time_through_jiff(text), "{text}");
    }
    let a = canonical::time("2026-03-08T01:59:59-05:00").unwrap();
    let b = canonical::time("2026-03-08T03:00:00-04:00").unwrap();
    assert_eq!(b.timestamp() - a.timestamp(), SignedDuration::from_secs(1));
    assert_eq!(
        canonical::time("2024-02-29T12:00:00+09:00").unwrap().timestamp(),
        "2024-02-29T03:00:00Z".parse::<Timestamp>().unwrap()
    );
}

/// Lines, each written raw with `c` in its card id (not as amgi writes it, which escapes all of these).
fn lines_with_raw(c: char) -> Vec<String> {
    let id = format!("네트워크/전송 계층{c}/TCP와 UDP의 차이는?");
    vec![
        format!("- {{card: \"{id}\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}}"),
        format!("- {{card: \"{c}\", at: 2026-11-24T21:10:03+09:00, suspended: true}}"),
        format!("- {{card: \"{id}{c}\", at: 2026-11-24T21:10:09+00:00, undo: 2026-11-24T21:10:03+00:00}}"),
    ]
}

/// A character YAML does not read raw between double quotes, or reads differently, is never taken by the fast
/// reader, though it checks bytes rather than characters; what shares a lead byte with one (U+00A0 with the C1
/// controls, U+2027 with LS and PS, U+FFFD with U+FFFE) is taken, and reads as serde_norway reads it.
#[test]
fn an_id_with_a_character_not_written_raw_is_left_to_serde_norway() {
    let refused = [
        '\u{0}', '\t', '\u{1b}', '\u{1f}', '"', '\\', '\u{7f}', '\u{80}', '\u{85}', '\u{9b}', '\u{9f}', '\u{2028}',
        '\u{2029}', '\u{fffe}', '\u{ffff}',
    ];
    for c in refused {
        // One reader for all the lines, as for a log: a refused id is never kept as read.
        let mut reader = Reader::default();
        for text in lines_with_raw(c).iter().chain(&lines_with_raw(c)) {
            assert_eq!(reader.parse_canonical(text.as_bytes()), None, "{c:?}: {text}");
            assert_eq!(
                parse_line_located_with(text, &mut reader),
                parse_line_with_serde(text),
                "{c:?}: {text}"
            );
        }
    }
    for c in [
        '\u{a0}', '\u{ff}', '\u{7ff}', '\u{2027}', '\u{202a}', '\u{2000}', '\u{fffd}', '\u{feff}', '\u{e000}', '😀',
        '~',
    ] {
        for text in lines_with_raw(c) {
            let fast = parse_canonical(&text).unwrap_or_else(|| panic!("not read fast: {c:?}: {text}"));
            assert_eq!(parse_line_with_serde(&text), Ok(fast), "{c:?}: {text}");
        }
    }
}

/// The same id on many lines is one string, equal to and hashing as the id read on its own; a line that is not
/// UTF-8, or whose id is refused, leaves nothing behind for the lines after it.
#[test]
fn the_lines_of_one_reader_share_their_ids() {
    use std::hash::BuildHasher;
    let mut reader = Reader::default();
    let texts = [
        "- {card: \"db/트랜잭션\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: 5400}",
        "- {card: \"db/트랜잭션\", at: 2026-11-24T21:10:09+00:00, undo: 2026-11-24T21:10:03+09:00}",
        "- {card: \"db/트랜잭션 \", at: 2026-11-24T21:10:03+09:00, suspended: true}",
        "- {card: \"db/트랜잭\", at: 2026-11-24T21:10:03+09:00, suspended: false}",
        "- {card: \"db/트랜잭션\", at: 2026-11-25T21:10:03+09:00, grade: 1, mode: cram, ms: 7}",
    ];
    let read: Vec<LogLine> = texts
        .iter()
        .map(|text| reader.parse_canonical(text.as_bytes()).unwrap().0)
        .collect();
    let alone: Vec<LogLine> = texts.iter().map(|text| parse_canonical(text).unwrap().0).collect();
    assert_eq!(read, alone);
    let hasher = std::collections::hash_map::RandomState::new();
    for (shared, alone) in read.iter().zip(&alone) {
        assert_eq!(shared.card(), alone.card());
        assert_eq!(hasher.hash_one(shared), hasher.hash_one(alone));
        assert_eq!(
            hasher.hash_one(shared.card().unwrap()),
            hasher.hash_one(id(alone.card().unwrap().as_str()))
        );
    }
    assert_eq!(read[2].card().unwrap().as_str(), "db/트랜잭션 ");
    assert_eq!(read[3].card().unwrap().as_str(), "db/트랜잭");
    // The bytes of "db/트랜잭션" cut inside its last letter: not UTF-8, before and after the id was read whole.
    let mut cut = b"- {card: \"db/\xed\x8a\xb8\xeb\x9e\x9c\xec\x9e\xad\xec\x84".to_vec();
    cut.extend_from_slice(b"\", at: 2026-11-24T21:10:03+09:00, suspended: true}");
    assert_eq!(reader.parse_canonical(&cut), None);
    assert_eq!(Reader::default().parse_canonical(&cut), None);
}

/// One reader works out the start of a day once for the lines of that day and offset; a line of another offset
/// or day, or a time that does not exist on a day already read, is read as on its own.
#[test]
fn the_lines_of_one_reader_count_each_moment_on_its_own_day() {
    let mut reader = Reader::default();
    for (text, moment) in [
        ("2026-11-24T21:10:03+09:00", Some("2026-11-24T21:10:03+09:00")),
        ("2026-11-24T23:59:59+09:00", Some("2026-11-24T23:59:59+09:00")),
        ("2026-11-24T24:00:00+09:00", None),
        ("2026-11-24T21:10:03-09:00", Some("2026-11-24T21:10:03-09:00")),
        ("2026-11-24T21:10:03+09:00", Some("2026-11-24T21:10:03+09:00")),
        ("2026-11-24T21:10:60+09:00", None),
        ("2026-11-25T00:00:00+09:00", Some("2026-11-25T00:00:00+09:00")),
        ("2026-11-24T00:00:00+09:00", Some("2026-11-24T00:00:00+09:00")),
        ("2026-11-24T00:00:00+09:30", Some("2026-11-24T00:00:00+09:30")),
        ("2026-11-24T00:00:00-00:00", None),
        ("2026-11-24x00:00:00+09:00", None),
        ("2026-11-24T00:00:00+09:00", Some("2026-11-24T00:00:00+09:00")),
    ] {
        let line = format!("- {{card: \"a\", at: {text}, suspended: true}}");
        let read = reader.parse_canonical(line.as_bytes()).map(|(line, _)| line.at());
        assert_eq!(read, moment.map(at), "{text}");
        assert_eq!(read, time_through_jiff(text), "{text}");
    }
}

/// Whether [`LineId::parse`] as it was, splitting at `-`, took `text`: the reference for the one that reads bytes
/// in place.
fn line_id_by_parts(text: &str) -> Option<u128> {
    let mut parts = text.split('-');
    let (time, install, random) = (parts.next()?, parts.next()?, parts.next()?);
    let hex = |part: &str, len: usize| {
        (part.len() == len && part.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| u128::from_str_radix(part, 16).ok())
            .flatten()
    };
    let bits = hex(time, 9)? << 44 | hex(install, 4)? << 28 | hex(random, 7)?;
    parts.next().is_none().then_some(bits)
}

proptest! {
    #[test]
    fn line_ids_are_read_as_by_their_parts(
        text in prop_oneof!["[0-9a-f]{9}-[0-9a-f]{4}-[0-9a-f]{7}", "[0-9a-fA-F+x-]{18,24}", "[0-9a-f-]{22}", any::<String>()],
    ) {
        prop_assert_eq!(LineId::parse(&text).is_some(), line_id_by_parts(&text).is_some(), "{}", text);
        // The id is written back as it was read, so it holds the same bits.
        if let Some(id) = LineId::parse(&text) {
            prop_assert_eq!(id.to_string(), text);
        }
    }
}

/// [`applied_order`] as it was, one hash map over every line and a stable sort of the lines themselves: the
/// reference for the one that compares only lines of one moment and sorts their places.
fn applied_order_by_hashing(read: Vec<(LogLine, Option<LineId>, usize)>) -> (Vec<LogLine>, Vec<usize>, Vec<Repeat>) {
    let mut by_id: HashMap<LineId, usize> = HashMap::new();
    let mut by_text: HashMap<&LogLine, usize> = HashMap::new();
    let mut keep = vec![true; read.len()];
    let mut repeats = Vec::new();
    for (i, (line, id, number)) in read.iter().enumerate() {
        let first = match id {
            Some(id) => by_id.insert(*id, *number),
            None => by_text.insert(line, *number),
        };
        if let Some(first) = first {
            match id {
                Some(id) => by_id.insert(*id, first),
                None => by_text.insert(line, first),
            };
            keep[i] = false;
            repeats.push(Repeat { line: *number, first });
        }
    }
    drop(by_text);
    let mut kept: Vec<(LogLine, usize)> = read
        .into_iter()
        .zip(keep)
        .filter_map(|((line, _, number), keep)| keep.then_some((line, number)))
        .collect();
    kept.sort_by_key(|(line, _)| line.at());
    let (lines, numbers) = kept.into_iter().unzip();
    (lines, numbers, repeats)
}

/// Lines of a log from a few cards, moments (two of them one instant in two offsets) and ids, so that repeats,
/// lines of one second and lines out of order are common.
fn log_of_repeats() -> BoxedStrategy<Vec<(LogLine, Option<LineId>)>> {
    let moments = [
        "2026-11-24T21:10:03+09:00",
        "2026-11-24T12:10:03+00:00",
        "2026-11-24T21:10:04+09:00",
        "2026-11-23T08:00:00-05:00",
        "2026-11-25T00:00:00+09:00",
    ];
    let line = (
        0..3usize,
        prop::sample::select(moments.to_vec()),
        0..3u64,
        prop::option::weighted(0.3, 0..4u32),
        0..4u8,
    )
        .prop_map(|(card, moment, ms, id, kind)| {
            let card = id_of(card);
            let at = at(moment);
            let line = match kind {
                0 => LogLine::Suspend { card, at },
                1 => LogLine::Undo {
                    card,
                    at,
                    undoes: at.plus(SignedDuration::from_secs(-60)),
                },
                _ => LogLine::Review(Review {
                    card,
                    at,
                    grade: Grade::Good,
                    mode: Mode::Drill,
                    ms,
                    rescheduled: false,
                }),
            };
            (line, id.map(|r| LineId::new(at, 7, r)))
        });
    prop::collection::vec(line, 0..60).boxed()
}

fn id_of(card: usize) -> CardId {
    id(["db/트랜잭션", "network/TCP", "os/프로세스"][card])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn lines_are_put_in_order_as_by_hashing_them_all(lines in log_of_repeats(), numbered in any::<bool>()) {
        // Read from the start the lines have their numbers; read from the end, none.
        let numbers: Vec<usize> = (0..lines.len()).map(|i| if numbered { 3 + 2 * i } else { 0 }).collect();
        let ids: Vec<Option<LineId>> = lines.iter().map(|(_, id)| *id).collect();
        let read: Vec<(LogLine, Option<LineId>, usize)> =
            lines.iter().zip(&numbers).map(|((line, id), &n)| (line.clone(), *id, n)).collect();
        let reference = applied_order_by_hashing(read);
        let read_lines = lines.clone();
        let ordered = applied_order(lines.into_iter().map(|(line, _)| line).collect(), &ids, numbers);
        let lines: Vec<LogLine> = read_lines.into_iter().map(|(line, _)| line).collect();
        prop_assert_eq!(time_order(&lines), time_order_wide(&lines));
        prop_assert_eq!(&ordered.0, &reference.0);
        prop_assert_eq!(&ordered.1, &reference.1);
        if numbered {
            prop_assert_eq!(&ordered.2, &reference.2);
        }
    }
}

/// Many lines of one second, as a hand-made log may have: hashed rather than compared pair by pair, with the
/// same result.
#[test]
fn many_lines_of_one_second_are_put_in_order_as_by_hashing_them_all() {
    let at = at("2026-11-24T21:10:03+09:00");
    let mut lines = Vec::new();
    for i in 0..200u64 {
        let review = Review {
            card: id_of((i % 3) as usize),
            at: if i % 50 == 7 {
                at.plus(SignedDuration::from_secs(-1))
            } else {
                at
            },
            grade: Grade::Good,
            mode: Mode::Drill,
            ms: i % 40,
            rescheduled: false,
        };
        lines.push((
            LogLine::Review(review),
            (i % 9 == 0).then(|| LineId::new(at, 1, (i % 27) as u32)),
        ));
    }
    let numbers: Vec<usize> = (1..=lines.len()).collect();
    let ids: Vec<Option<LineId>> = lines.iter().map(|(_, id)| *id).collect();
    let read = lines
        .iter()
        .zip(&numbers)
        .map(|((line, id), &n)| (line.clone(), *id, n))
        .collect();
    let reference = applied_order_by_hashing(read);
    let ordered = applied_order(lines.into_iter().map(|(line, _)| line).collect(), &ids, numbers);
    assert!(reference.2.len() > 50, "{}", reference.2.len());
    assert_eq!(ordered, reference);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Answer hashes read without a look at their style read as any string does: those of every hex digit, of
    /// digits alone (an integer, quoted), of digits and `e` (maybe a float), of `0b`, `0x` and the like.
    #[test]
    fn answer_hashes_are_read_as_any_string(
        token in prop_oneof![
            "[0-9a-f]{16}",
            "[0-9]{16}",
            "[0-9e]{16}",
            "0[bxo][0-9a-f]{14}",
            "[0-9a-f]{15,17}",
            "[0-9a-fA-F.+-]{16}",
            "'[0-9a-f]{16}'",
        ],
    ) {
        let mut scratch = String::new();
        let general = canonical::string(&token, false, &mut scratch);
        prop_assert_eq!(canonical::answer_hash(&token, &mut scratch), general, "{}", token);
    }
}

#[test]
fn answer_hashes_that_read_as_numbers_are_left_quoted() {
    let mut scratch = String::new();
    for token in ["1234567890123456", "0000000000000000", "0e12345678901234", "1e10"] {
        assert_eq!(canonical::answer_hash(token, &mut scratch), None, "{token}");
        assert_eq!(canonical::string(token, false, &mut scratch), None, "{token}");
        let quoted = format!("'{token}'");
        assert_eq!(
            canonical::answer_hash(&quoted, &mut scratch).as_deref(),
            Some(token),
            "{token}"
        );
    }
    // A float too large to be finite is a string.
    for token in [
        "b8e431128890ff83",
        "0b1010101010101a",
        "000000000000000f",
        "ffffffffffffffff",
        "1e10000000000000",
    ] {
        assert_eq!(
            canonical::answer_hash(token, &mut scratch).as_deref(),
            Some(token),
            "{token}"
        );
        assert_eq!(
            canonical::string(token, false, &mut scratch).as_deref(),
            Some(token),
            "{token}"
        );
    }
}

/// Moments at the ends of jiff's range, out of order: put in order by 64-bit numbers as by 128-bit ones.
#[test]
fn moments_far_apart_are_put_in_order() {
    let card = id("db/x");
    let moments = [
        Timestamp::MAX,
        Timestamp::MIN,
        Timestamp::UNIX_EPOCH,
        Timestamp::MIN,
        Timestamp::MAX,
    ];
    let lines: Vec<LogLine> = moments
        .iter()
        .map(|&timestamp| LogLine::Suspend {
            card: card.clone(),
            at: Moment::new(timestamp, Offset::UTC),
        })
        .collect();
    assert_eq!(time_order(&lines), vec![1, 3, 2, 0, 4]);
    assert_eq!(time_order_wide(&lines), vec![1, 3, 2, 0, 4]);
}
