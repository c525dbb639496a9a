//! The line-mode quiz: the same session as the full-screen one, over any reader and writer (a terminal, a pipe,
//! a script, a test).

use crate::keys::{Reply, line_reply};
use crate::schedule::Grade;
use crate::session::{Journal, Session};
use crate::time::Moment;
use crate::tui::markdown;
use std::io::{self, BufRead, Write};
use std::ops::RangeInclusive;
use std::time::Instant;

mod write;

/// What ended the quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// No card is left.
    Done,
    /// The user pressed `q`.
    Quit,
    /// The input ended.
    EndOfInput,
}

/// Columns answers are laid out for when neither the terminal nor `$COLUMNS` says.
const DEFAULT_WIDTH: u16 = 80;
/// Answers are laid out for no fewer and no more columns than this, whatever the terminal or `$COLUMNS` says.
const WIDTHS: RangeInclusive<u16> = 20..=200;
/// The rules around an answer are no longer than this.
const RULE_WIDTH: u16 = 40;

/// The width answers are laid out for: the terminal's (`terminal`, when stdout is one), else `columns` (the value of
/// `$COLUMNS`) when it is a whole number, else 80; always within 20..=200.
pub fn answer_width(terminal: Option<u16>, columns: Option<&str>) -> u16 {
    // Digits too many for a u64 are still a number: a very wide one.
    let number = |c: &str| {
        let c = c.trim();
        let digits = !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| c.parse::<u64>().unwrap_or(u64::MAX))
    };
    let wanted = terminal
        .map(u64::from)
        .or_else(|| columns.and_then(number))
        .unwrap_or(u64::from(DEFAULT_WIDTH));
    let clamped = wanted.clamp(u64::from(*WIDTHS.start()), u64::from(*WIDTHS.end()));
    u16::try_from(clamped).unwrap_or(DEFAULT_WIDTH)
}

/// One line of input: `None` at the end of input.
fn read_key(input: &mut impl BufRead) -> io::Result<Option<Reply>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line_reply(&line)))
}

/// Runs the quiz: for each card the context and question, Enter for the answer, then `1`–`4` (Enter is Good),
/// `u` undo, `s` skip, `!` suspend, `q` quit. Every answer is saved through `journal` before the next card is
/// printed. `w` first writes the answer out: lines up to a single `.`, shown after the note's answer with its key
/// terms counted, and kept as an attempt; for a question without a written answer, `W` then writes it into its note
/// file (found under `notes_roots`) as the answer, once the user says `y`.
///
/// The answer is laid out as the full screen lays it out (lists, code blocks, tables, quotes), for `width`
/// columns (the caller's terminal: see [`answer_width`]), as plain text: no colours and no escape sequences, control
/// characters in the notes shown as symbols.
pub fn run(
    session: &mut Session<'_>,
    input: &mut impl BufRead,
    out: &mut impl Write,
    clock: &dyn Fn() -> Moment,
    journal: &mut impl Journal,
    width: u16,
    notes_roots: &[std::path::PathBuf],
) -> anyhow::Result<End> {
    let rule = "─".repeat(usize::from(width.min(RULE_WIDTH)));
    loop {
        let now = clock();
        let Some(card) = session.next(now).cloned() else {
            return Ok(End::Done);
        };
        let [new, learning, due] = session.counts();
        writeln!(out)?;
        let context: Vec<&str> = card.context().collect();
        let changed = if session.is_changed(&card) { " · changed" } else { "" };
        let leech = match session.entry(&card).map(|e| &e.state) {
            Some(state) if state.is_leech() => format!(" · leech ({} lapses)", state.lapses),
            _ => String::new(),
        };
        writeln!(
            out,
            "[{new} new · {learning} learning · {due} due{leech}{changed}] {}",
            context.join(" › ")
        )?;
        writeln!(out, "Q: {}", card.question)?;
        if card.is_question() {
            writeln!(out, "   ({})", markdown::NO_ANSWER)?;
        }
        write!(
            out,
            "(Enter: answer · w: write it out · s: skip · !: suspend · u: undo · q: quit) "
        )?;
        out.flush()?;
        let shown = Instant::now();
        let mut written = None;
        match read_key(input)? {
            None => return Ok(End::EndOfInput),
            Some(Reply::Key('q')) => return Ok(End::Quit),
            Some(Reply::Key('s')) => {
                let until = session.skip(clock(), journal)?;
                writeln!(out, "{}", Session::skipped_note(until, clock()))?;
                continue;
            }
            Some(Reply::Key('!')) => {
                suspend(session, out, clock, journal)?;
                continue;
            }
            Some(Reply::Key('u')) => {
                undo(session, out, clock, journal)?;
                continue;
            }
            Some(Reply::Key('f')) if session.follow_ups_offered() > 0 => {
                let asked = session.ask_follow_ups(clock());
                writeln!(out, "꼬리 질문 {asked}개 먼저")?;
                continue;
            }
            Some(Reply::Key('w')) => {
                let Some(text) = write::read_answer(input, out)? else {
                    return Ok(End::EndOfInput);
                };
                written = Some(text);
                session.reveal();
            }
            Some(_) => session.reveal(),
        }
        writeln!(out, "{rule}")?;
        // The answer the session fetched when the card came up; one that could not be read says so.
        let answer = match session.answer() {
            Some(Ok(text)) => {
                let folder = session.current().map_or("", |card| markdown::folder_of(&card.file));
                markdown::render_text_from(text, folder, width)
            }
            Some(Err(damaged)) => markdown::render_text(&damaged.markdown(), width),
            None => String::new(),
        };
        if !answer.is_empty() {
            writeln!(out, "{answer}")?;
        }
        let parts = markdown::render_parts_text(&session.parts(), markdown::PartsOf::of(session), width);
        if !parts.is_empty() {
            writeln!(out, "{parts}")?;
        }
        writeln!(out, "{rule}")?;
        if let Some(text) = &written {
            write::report(session, text, clock(), out, journal)?;
        }
        // An answer written out for a question without one may go into the notes as its answer.
        let mut write_out = written.filter(|_| card.is_question());
        if write_out.is_some() {
            writeln!(out, "W: write this answer into {}:{}", card.file, card.line)?;
        }
        let bar: Vec<String> = match session.preview(clock()) {
            Some(delays) => Grade::ALL
                .iter()
                .zip(delays)
                .map(|(g, d)| format!("{} {} {d}", g.number(), g.name()))
                .collect(),
            None => Grade::ALL
                .iter()
                .map(|g| format!("{} {}", g.number(), g.name()))
                .collect(),
        };
        loop {
            write!(
                out,
                "{} (Enter: good · u: undo · s: skip · !: suspend · q: quit) ",
                bar.join(" · ")
            )?;
            out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                return Ok(End::EndOfInput);
            }
            if let Some(text) = &write_out
                && write::is_write_out(&line)
            {
                if write::write_out(&card, text, notes_roots, input, out)? {
                    write_out = None;
                }
                continue;
            }
            let grade = match line_reply(&line) {
                Reply::Enter => Grade::Good,
                Reply::Key('q') => return Ok(End::Quit),
                Reply::Key('s') => {
                    let until = session.skip(clock(), journal)?;
                    writeln!(out, "{}", Session::skipped_note(until, clock()))?;
                    break;
                }
                Reply::Key('u') => {
                    undo(session, out, clock, journal)?;
                    break;
                }
                Reply::Key('!') => {
                    suspend(session, out, clock, journal)?;
                    break;
                }
                Reply::Key(c) if let Some(grade) = c.to_digit(10).and_then(|n| Grade::from_number(n as u8)) => grade,
                // `qq`, `good`: no answer is taken on a guess.
                Reply::Key(_) | Reply::Text => {
                    writeln!(out, "1–4 to grade, Enter for good, u, s, ! or q")?;
                    continue;
                }
            };
            let ms = u64::try_from(shown.elapsed().as_millis()).unwrap_or(u64::MAX);
            session.grade(grade, clock(), ms, journal)?;
            if let Some(note) = session.leech_note() {
                writeln!(out, "{note}")?;
            } else if session.follow_ups_offered() > 0 {
                writeln!(
                    out,
                    "f 꼬리 질문 {}개 (f at the next question asks them first)",
                    session.follow_ups_offered()
                )?;
            }
            break;
        }
    }
}

/// Offers the final pass over `order` (see [`Session::final_pass`]); `true` when the user takes it (`y`).
pub fn offer_final_pass(
    session: &Session<'_>,
    order: &[usize],
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> io::Result<bool> {
    let retention = (session.scheduler().retention() * 100.0).round();
    writeln!(out)?;
    write!(
        out,
        "Final pass before the interview: {} cards under {retention}%, without moving the schedule. Start? (y/N) ",
        order.len()
    )?;
    out.flush()?;
    Ok(matches!(read_key(input)?, Some(Reply::Key('y'))))
}

fn undo(
    session: &mut Session<'_>,
    out: &mut impl Write,
    clock: &dyn Fn() -> Moment,
    journal: &mut impl Journal,
) -> anyhow::Result<()> {
    if session.undo(clock(), journal)? {
        writeln!(out, "undone")?;
    } else {
        writeln!(out, "nothing to undo")?;
    }
    Ok(())
}

/// What the line says after `!`: the card is gone until released, and how to bring it back.
const SUSPENDED: &str = "suspended until `amgi release` (u undoes)";

fn suspend(
    session: &mut Session<'_>,
    out: &mut impl Write,
    clock: &dyn Fn() -> Moment,
    journal: &mut impl Journal,
) -> anyhow::Result<()> {
    session.suspend(clock(), journal)?;
    writeln!(out, "{SUSPENDED}")?;
    Ok(())
}

/// The end-of-session summary: answers, agains, time spent, and what is due next.
pub fn summary(session: &Session<'_>, now: Moment, out: &mut impl Write) -> io::Result<()> {
    let stats = session.stats();
    let secs = stats.ms / 1000;
    writeln!(out)?;
    writeln!(
        out,
        "{} answered · {} again · {}:{:02} spent",
        stats.answered,
        stats.again,
        secs / 60,
        secs % 60
    )?;
    for line in session.what_is_left(now) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_width_is_the_terminals_else_columns_else_80_within_20_to_200() {
        assert_eq!(answer_width(Some(120), Some("60")), 120, "the terminal first");
        assert_eq!(answer_width(None, Some("60")), 60);
        assert_eq!(answer_width(None, Some(" 60\n")), 60);
        assert_eq!(answer_width(None, None), 80);
        for not_a_number in ["", "wide", "-5", "+60", "60.5", "６０"] {
            assert_eq!(answer_width(None, Some(not_a_number)), 80, "{not_a_number:?}");
        }
        assert_eq!(answer_width(Some(8), None), 20);
        assert_eq!(answer_width(None, Some("0")), 20);
        assert_eq!(answer_width(Some(500), None), 200);
        assert_eq!(answer_width(None, Some("100000")), 200);
        assert_eq!(answer_width(None, Some("99999999999999999999")), 200);
    }

    /// The answer printed is the one the session fetched when its card came up; one that could not be read back
    /// from the cache is said in its place, and the cache is given up once, when the card came up.
    #[test]
    fn a_damaged_answer_is_said_in_its_place_and_the_cache_given_up() {
        let mut cards = crate::notes::parse("## 질문\n\n답\n\n## 다른 질문\n\n다른 답\n", "a.md", "a").cards;
        let store = crate::card::counted::store(&mut cards, &[0]);
        let scheduler = crate::schedule::Scheduler::new(0.9, None).unwrap();
        let now: Moment = "2026-11-24T21:00:00+09:00".parse().unwrap();
        let mut session = Session::cram(cards, crate::store::Progress::default(), &scheduler, vec![0, 1], false);
        let (end, out) = good_to_both(&mut session, now);
        assert_eq!(end, End::Done);
        let (first, second) = out.split_once("Q: 다른 질문").expect("both cards asked");
        assert!(
            first.contains("The answer could not be read back from amgi's cache of parsed notes"),
            "{first}"
        );
        assert!(second.contains("다른 답"), "{second}");
        assert_eq!(
            (store.reads(), store.forgotten()),
            (2, 1),
            "each answer read once, the cache given up once"
        );
    }

    /// The line mode over `session`, both of its two cards revealed and graded Good at `now`: how it ended, and
    /// what it printed.
    fn good_to_both(session: &mut Session<'_>, now: Moment) -> (End, String) {
        let mut out = Vec::new();
        let mut journal = crate::session::MemoryJournal::default();
        let input = &mut "\n3\n\n3\n".as_bytes();
        let end = run(session, input, &mut out, &|| now, &mut journal, 80, &[]).unwrap();
        (end, String::from_utf8(out).unwrap())
    }

    /// A card whose answer leads in to sub-sections lists them after its answer; a card without any lists none.
    #[test]
    fn the_parts_of_a_card_follow_its_answer() {
        let notes = "## TCP와 UDP\n\n전송 계층의 두 프로토콜입니다.\n\n### TCP\n\n연결 지향\n\n### UDP\n\n비연결\n";
        let cards = crate::notes::parse(notes, "a.md", "a").cards;
        let scheduler = crate::schedule::Scheduler::new(0.9, None).unwrap();
        let now: Moment = "2026-11-24T21:00:00+09:00".parse().unwrap();
        let mut session = Session::cram(cards, crate::store::Progress::default(), &scheduler, vec![0, 1], false);
        let (_, out) = good_to_both(&mut session, now);
        let (first, second) = out.split_once("Q: TCP\n").expect("both cards asked");
        assert!(
            first.contains("전송 계층의 두 프로토콜입니다.\n\nIts parts, each a card of its own:\n› TCP\n› UDP\n"),
            "{first}"
        );
        assert!(!second.contains("Its part"), "{second}");
    }
}
