//! The snapshot of a prefix of reviews.yaml and the text after it read as the whole text is: the same [`Log`], for
//! any log and any prefix ending at a newline; and a snapshot that is not of the log's start, or not whole, is not
//! used.

use super::fast_tests::{log_line, moment};
use super::snapshot::Snapshot;
use super::tests::at;
use super::{LineId, Log, LogLine, PlanChange, Store, render_line_with_id};
use proptest::prelude::*;
use std::path::Path;

/// One line of a log as text, made from the lines before it (`earlier`, their text and id).
#[derive(Debug, Clone)]
enum Piece {
    /// A line, with its id or none.
    Line(LogLine, Option<LineId>),
    /// The text of an earlier line again (a repeat by id, or by text for a line without one).
    Again(usize),
    /// Another line with an earlier line's id.
    SameId(LogLine, usize),
    /// A line cut short: the text of a line up to a point before its `}`.
    Cut(LogLine, usize),
    /// A blank line, or a comment.
    Blank(&'static str),
}

fn settings() -> BoxedStrategy<LogLine> {
    let day = |d: &str| d.parse::<jiff::civil::Date>().unwrap();
    (moment(), 0..4u8)
        .prop_map(move |(at, kind)| match kind {
            0 => LogLine::settings(at, Some(0.8), None),
            1 => LogLine::settings(at, None, Some(&[0.4, 1.25, 3.5, 0.0])),
            2 => LogLine::plan(
                at,
                PlanChange::Set {
                    interview: day("2026-12-10"),
                    planned_on: day("2026-11-25"),
                },
            ),
            _ => LogLine::plan(at, PlanChange::Cleared),
        })
        .boxed()
}

/// A line about one of a few cards at one of a few moments, so that lines of one second, lines dated before
/// the ones above them and repeats by text are common.
fn common_line() -> BoxedStrategy<LogLine> {
    let moments = [
        "2026-11-24T21:10:03+09:00",
        "2026-11-24T12:10:03+00:00",
        "2026-11-24T21:10:04+09:00",
        "2026-11-23T08:00:00-05:00",
    ];
    (0..3usize, prop::sample::select(moments.to_vec()), 0..3u64)
        .prop_map(|(card, moment, ms)| {
            LogLine::Review(super::Review {
                card: super::tests::id(["db/트랜잭션", "network/TCP", "os/\"프로세스\""][card]),
                at: at(moment),
                grade: crate::schedule::Grade::Good,
                mode: super::Mode::Drill,
                ms,
                rescheduled: false,
            })
        })
        .boxed()
}

fn any_line() -> BoxedStrategy<LogLine> {
    prop_oneof![3 => common_line(), 3 => log_line(), 1 => settings()].boxed()
}

fn piece() -> BoxedStrategy<Piece> {
    let id = (moment(), any::<u16>(), 0..8u32).prop_map(|(at, i, r)| LineId::new(at, i, r));
    prop_oneof![
        8 => (any_line(), prop::option::of(id)).prop_map(|(line, id)| Piece::Line(line, id)),
        3 => any::<usize>().prop_map(Piece::Again),
        1 => (any_line(), any::<usize>()).prop_map(|(line, i)| Piece::SameId(line, i)),
        1 => (any_line(), any::<usize>()).prop_map(|(line, i)| Piece::Cut(line, i)),
        1 => prop::sample::select(vec!["", "  ", "# a note", "\t"]).prop_map(Piece::Blank),
    ]
    .boxed()
}

/// The text of a log of `pieces`, each line ended by `\n` or (where `crlf`) `\r\n`, the last one maybe by
/// nothing; and where each line starts.
fn log_text(pieces: &[(Piece, bool)], last_ended: bool) -> (String, Vec<usize>) {
    let mut lines: Vec<(String, Option<LineId>)> = Vec::new();
    for (piece, _) in pieces {
        let pick = |i: usize| (!lines.is_empty()).then(|| lines[i % lines.len()].clone());
        let line = match piece {
            Piece::Line(line, id) => (render_line_with_id(line, *id), *id),
            Piece::Again(i) => pick(*i).unwrap_or_default(),
            Piece::SameId(line, i) => {
                let id = pick(*i).and_then(|(_, id)| id);
                (render_line_with_id(line, id), id)
            }
            Piece::Cut(line, i) => {
                let text = render_line_with_id(line, None);
                let mut end = i % (text.len() - 1);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                (text[..end].to_string(), None)
            }
            Piece::Blank(text) => (text.to_string(), None),
        };
        lines.push(line);
    }
    let mut text = String::new();
    let mut starts = vec![0];
    for (i, ((line, _), (_, crlf))) in lines.iter().zip(pieces).enumerate() {
        text.push_str(line);
        if i + 1 < lines.len() || last_ended {
            text.push_str(if *crlf { "\r\n" } else { "\n" });
            starts.push(text.len());
        }
    }
    (text, starts)
}

/// A store in a fresh folder whose reviews.yaml is `text`.
fn store_with(dir: &Path, text: &[u8]) -> Store {
    std::fs::write(dir.join("reviews.yaml"), text).unwrap();
    Store::new(dir)
}

/// The bytes of a snapshot of the log `text` (which ends with a newline, or is empty).
fn snapshot_of(text: &[u8]) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), text);
    let (whole, _) = store.read_log_through(&dir.path().join("none")).ok()??;
    whole.encode()
}

/// reviews.yaml read through the snapshot `snapshot` (none when `None`).
fn read_through(dir: &Path, text: &[u8], snapshot: Option<&[u8]>) -> Result<Log, String> {
    let store = store_with(dir, text);
    let path = dir.join("snapshot");
    let _ = std::fs::remove_file(&path);
    if let Some(bytes) = snapshot {
        std::fs::write(&path, bytes).unwrap();
    }
    store
        .read_log_snapshot(&path)
        .map(|(log, _)| log)
        .map_err(|e| e.to_string())
}

fn read_whole(dir: &Path, text: &[u8]) -> Result<Log, String> {
    store_with(dir, text).read_log(0).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_snapshot_of_a_prefix_and_the_text_after_it_read_as_the_whole_text(
        pieces in prop::collection::vec((piece(), prop::bool::weighted(0.2)), 0..40),
        last_ended in prop::bool::weighted(0.8),
        split in any::<usize>(),
    ) {
        let (text, starts) = log_text(&pieces, last_ended);
        let split = starts[split % starts.len()];
        let dir = tempfile::tempdir().unwrap();
        let whole = read_whole(dir.path(), text.as_bytes());
        // A prefix of a log that reads reads too.
        let Some(snapshot) = snapshot_of(&text.as_bytes()[..split]) else {
            prop_assert!(whole.is_err(), "no snapshot of a prefix of a log that reads");
            return Ok(());
        };
        prop_assert_eq!(read_through(dir.path(), text.as_bytes(), Some(&snapshot)), whole);
        // The snapshot of the whole, when it ends with a newline, is the one a read of the whole makes.
        if let Ok(whole) = read_whole(dir.path(), text.as_bytes())
            && (text.is_empty() || text.ends_with('\n'))
        {
            let again = snapshot_of(text.as_bytes()).unwrap();
            prop_assert_eq!(Snapshot::read(&again[..], again.len() as u64, u64::MAX).unwrap().into_log(), whole);
        }
    }
}

/// The text of a log of a few hundred lines, with repeats, torn lines and lines out of order.
fn sample_log() -> String {
    let mut text = String::new();
    for i in 0..300u32 {
        let card = super::tests::id(["db/트랜잭션", "network/TCP", "os/프로세스"][(i % 3) as usize]);
        let at = at("2026-11-24T21:10:03+09:00").plus(jiff::SignedDuration::from_secs(i64::from(i % 50) * 60));
        let line = LogLine::Suspend { card, at };
        let id = (i % 4 != 0).then(|| LineId::new(at, 1, i % 200));
        text.push_str(&render_line_with_id(&line, id));
        text.push('\n');
        if i % 97 == 0 {
            text.push_str("- {card: \"db/트랜잭션\", at: 2026-11\n\n");
        }
    }
    text.push_str(&render_line_with_id(
        &LogLine::settings(at("2026-11-24T21:10:03+09:00"), Some(0.85), None),
        None,
    ));
    text.push('\n');
    text
}

#[test]
fn a_snapshot_that_is_not_of_the_logs_start_is_not_used() {
    let text = sample_log();
    let dir = tempfile::tempdir().unwrap();
    let half = text[..text.len() / 2].rfind('\n').unwrap() + 1;
    let snapshot = snapshot_of(&text.as_bytes()[..half]).unwrap();
    // Used: the log as it is read whole.
    assert_eq!(
        read_through(dir.path(), text.as_bytes(), Some(&snapshot)),
        read_whole(dir.path(), text.as_bytes())
    );
    // A line edited inside the prefix (its length kept, or not), the log shortened below the prefix, the log
    // replaced: each read whole.
    let edited = text.replacen(
        "db/트랜잭션\", at: 2026-11-24T21:1",
        "db/트랜잭션\", at: 2026-11-24T21:2",
        1,
    );
    let longer = text.replacen("os/프로세스", "os/프로세스 2", 1);
    let shorter = text[..half / 2].to_string();
    let other = text.replace("network", "NETWORK");
    for changed in [&edited, &longer, &other] {
        assert!(changed.as_bytes()[..half] != text.as_bytes()[..half]);
    }
    for changed in [edited, longer, shorter, other, String::new()] {
        let log = read_through(dir.path(), changed.as_bytes(), Some(&snapshot));
        assert_eq!(log, read_whole(dir.path(), changed.as_bytes()));
        assert!(log.unwrap().crc.is_some());
    }
}

#[test]
fn a_snapshot_that_is_not_whole_is_not_used() {
    let text = sample_log();
    let dir = tempfile::tempdir().unwrap();
    let whole = read_whole(dir.path(), text.as_bytes());
    let half = text[..text.len() / 2].rfind('\n').unwrap() + 1;
    let snapshot = snapshot_of(&text.as_bytes()[..half]).unwrap();
    // Cut short at every length.
    for len in 0..snapshot.len() {
        assert!(
            Snapshot::read(&snapshot[..len], len as u64, u64::MAX).is_none(),
            "{len}"
        );
        assert!(
            Snapshot::read(&snapshot[..len], snapshot.len() as u64, u64::MAX).is_none(),
            "{len}"
        );
    }
    // Any byte changed.
    for i in 0..snapshot.len() {
        for flip in [0x01, 0x80] {
            let mut damaged = snapshot.clone();
            damaged[i] ^= flip;
            // Whether its ids are kept or not.
            for log_len in [0, u64::MAX] {
                assert!(
                    Snapshot::read(&damaged[..], damaged.len() as u64, log_len).is_none(),
                    "{i}"
                );
            }
        }
    }
    // Bytes added, another magic, a later format; each read as the whole text.
    let mut longer = snapshot.clone();
    longer.push(0);
    let mut magic = snapshot.clone();
    magic[0] = b'A';
    let mut future = snapshot.clone();
    future[8] += 1;
    for bad in [longer, magic, future, Vec::new(), b"not a snapshot".to_vec()] {
        assert!(Snapshot::read(&bad[..], bad.len() as u64, u64::MAX).is_none());
        assert_eq!(read_through(dir.path(), text.as_bytes(), Some(&bad)), whole);
    }
    assert_eq!(read_through(dir.path(), text.as_bytes(), None), whole);
    assert_eq!(read_through(dir.path(), text.as_bytes(), Some(&snapshot)), whole);
}

#[test]
fn a_new_snapshot_is_wanted_when_much_of_the_log_was_read_as_text_and_it_ends_with_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    while text.len() <= super::snapshot::REWRITE_AFTER as usize {
        text.push_str(&sample_log());
    }
    let store = store_with(dir.path(), text.as_bytes());
    let path = dir.path().join("snapshot");
    let (log, new) = store.read_log_snapshot(&path).unwrap();
    assert_eq!(Ok(log), read_whole(dir.path(), text.as_bytes()));
    let new = new.expect("a snapshot of a log read whole").bytes().unwrap();
    std::fs::write(&path, &new).unwrap();
    // With it, nothing was read as text: none is wanted.
    assert!(store.read_log_snapshot(&path).unwrap().1.is_none());
    // Nor for a small tail, nor for a log that does not end with a newline.
    let more = format!("{text}{}", sample_log());
    assert!(
        store_with(dir.path(), more.as_bytes())
            .read_log_snapshot(&path)
            .unwrap()
            .1
            .is_none()
    );
    let torn = format!("{text}{text}- {{card: \"x\", at");
    let (log, new) = store_with(dir.path(), torn.as_bytes())
        .read_log_snapshot(&path)
        .unwrap();
    assert!(new.is_none());
    assert_eq!(Ok(log), read_whole(dir.path(), torn.as_bytes()));
}
