//! Writing an answer out from memory in the line mode: lines read up to one holding a single `.`, then, after the
//! note's answer, the written answer with its key terms counted.

use crate::card::Card;
use crate::keys::{Reply, capital, line_reply};
use crate::notes::answer_out;
use crate::session::{Journal, Session};
use crate::store::Attempt;
use crate::terms;
use crate::time::Moment;
use std::io::{self, BufRead, Write};

/// Reads the written answer: lines up to one that is a single `.` (or the end of input). `None` when the input
/// ended before any line.
pub(super) fn read_answer(input: &mut impl BufRead, out: &mut impl Write) -> io::Result<Option<String>> {
    writeln!(out, "Write your answer; a line with a single . ends it:")?;
    out.flush()?;
    let mut lines: Vec<String> = Vec::new();
    let mut any = false;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        any = true;
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim() == "." {
            break;
        }
        lines.push(line.to_string());
    }
    Ok(any.then(|| lines.join("\n").trim_end().to_string()))
}

/// Prints the written answer and its key terms said and missed, with `핵심어 n/m` and the grade suggested, and
/// keeps the attempt through `journal`.
pub(super) fn report(
    session: &Session<'_>,
    written: &str,
    at: Moment,
    out: &mut impl Write,
    journal: &mut impl Journal,
) -> anyhow::Result<()> {
    let Some(card) = session.current() else {
        return Ok(());
    };
    let answer = match session.answer() {
        Some(Ok(text)) => terms::key_terms(text),
        _ => Vec::new(),
    };
    let marked = terms::mark(&answer, written);
    writeln!(out, "Your answer:")?;
    for line in written.lines() {
        writeln!(out, "  {line}")?;
    }
    if card.is_question() {
        writeln!(out, "핵심어 0/0 (no written answer to compare with)")?;
    } else {
        writeln!(out, "{}", terms_line(&marked))?;
    }
    if let Some(grade) = marked.suggested() {
        writeln!(out, "suggested: {} {}", grade.number(), grade.name())?;
    }
    // A damaged attempts.yaml is said here, and the quiz goes on.
    match journal.attempts_of(&card.id) {
        Ok(earlier) => {
            if let Some(line) = crate::tui::write::earlier_line(&earlier) {
                writeln!(out, "{line}")?;
            }
        }
        Err(error) => writeln!(out, "{error}")?,
    }
    journal.keep_attempt(&Attempt {
        card: card.id.clone(),
        at,
        said: marked.said(),
        terms: marked.total(),
        text: written.to_string(),
    })?;
    Ok(())
}

/// `핵심어 2/3 · said: TCP, SYN · missed: ACK`, or `핵심어 0/0 (this answer has no key terms)`.
fn terms_line(marked: &terms::Marked) -> String {
    let mut line = format!("핵심어 {}/{}", marked.said(), marked.total());
    if marked.total() == 0 {
        line.push_str(" (this answer has no key terms)");
        return line;
    }
    let said: Vec<&str> = marked.said_terms().collect();
    let missed: Vec<&str> = marked.missed_terms().collect();
    if !said.is_empty() {
        line.push_str(&format!(" · said: {}", said.join(", ")));
    }
    if !missed.is_empty() {
        line.push_str(&format!(" · missed: {}", missed.join(", ")));
    }
    line
}

/// Whether a line of input is `W` (or `ㅉ`, Shift+ㅈ with a Korean input method), told from `w`.
pub(super) fn is_write_out(line: &str) -> bool {
    let mut chars = line.trim().chars();
    matches!((chars.next().and_then(capital), chars.next()), (Some('W'), None))
}

/// `W`: places `text` into `card`'s note file as its answer, asks, and writes it on `y`. Whether it was written;
/// what went wrong is said, and the quiz goes on.
pub(super) fn write_out(
    card: &Card,
    text: &str,
    notes_roots: &[std::path::PathBuf],
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> io::Result<bool> {
    let prepared = match answer_out::prepare(notes_roots, card, text) {
        Ok(prepared) => prepared,
        Err(e) => {
            writeln!(out, "{e:#}")?;
            return Ok(false);
        }
    };
    write!(out, "Write it into {} {}? (y/N) ", card.file, prepared.under)?;
    out.flush()?;
    let mut line = String::new();
    input.read_line(&mut line)?;
    if line_reply(&line) != Reply::Key('y') {
        writeln!(out, "nothing written")?;
        return Ok(false);
    }
    match prepared.write() {
        Ok(()) => {
            writeln!(out, "written into {}; a card from now on", prepared.place)?;
            Ok(true)
        }
        Err(e) => {
            writeln!(out, "{e:#}")?;
            Ok(false)
        }
    }
}
