//! The mock line by line (`amgi mock --plain`, or without a terminal), over any reader and writer.

use super::{Mock, NO_ANSWER, Stage, plural};
use crate::schedule::Grade;
use crate::session::Journal;
use crate::time::Moment;
use std::io::{self, BufRead, Write};

/// What ended a line-mode mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every answered question was graded.
    Done,
    /// `q` in the review.
    Quit,
    /// The input ended.
    EndOfInput,
}

/// The mock line by line: each question printed alone, Enter ends the answer (`q` ends the interview early), then
/// the review: each answered question with its seconds and the note's answer (or [`NO_ANSWER`]), graded `1`–`4`
/// (`q` quits, keeping what was graded). Grades are saved through `journal` as they are given. `width` lays the
/// answers out.
pub fn run(
    mock: &mut Mock<'_>,
    input: &mut impl BufRead,
    out: &mut impl Write,
    clock: &dyn Fn() -> Moment,
    journal: &mut impl Journal,
    width: u16,
) -> anyhow::Result<End> {
    use crate::keys::{Reply, line_reply};
    use crate::tui::markdown;
    let read = |input: &mut dyn BufRead| -> io::Result<Option<Reply>> {
        let mut line = String::new();
        Ok((input.read_line(&mut line)? > 0).then(|| line_reply(&line)))
    };
    let total = mock.questions().len();
    writeln!(
        out,
        "모의 면접: {}, {} s each; answer out loud.",
        plural(total, "question"),
        mock.seconds()
    )?;
    while let Some((index, question)) = mock.current().filter(|_| matches!(mock.stage(), Stage::Asking { .. })) {
        let follow = if question.follow_up { " · 꼬리 질문" } else { "" };
        writeln!(out)?;
        writeln!(
            out,
            "[{}/{total}{follow}] {}",
            index + 1,
            question.card.context().collect::<Vec<_>>().join(" › ")
        )?;
        writeln!(out, "Q: {}", question.card.question)?;
        write!(out, "(Enter: done · q: end the interview) ")?;
        out.flush()?;
        match read(input)? {
            None => return Ok(End::EndOfInput),
            Some(Reply::Key('q')) => mock.end_early(),
            Some(_) => {
                mock.end_answer(clock());
                let ms = mock.questions()[index].ms.unwrap_or(0);
                let over = (ms / 1000).saturating_sub(mock.seconds());
                let over = if over > 0 {
                    format!(", {over} s over")
                } else {
                    String::new()
                };
                writeln!(out, "{} s{over}", ms / 1000)?;
            }
        }
    }
    if mock.stage() == Stage::Done {
        return Ok(End::Done);
    }
    writeln!(out)?;
    writeln!(out, "Review:")?;
    for (i, question) in mock.answered() {
        let follow = if question.follow_up { "↳ " } else { "" };
        writeln!(
            out,
            "{:>3}. {follow}{}  {} s",
            i + 1,
            question.card.question,
            question.ms.unwrap_or(0) / 1000
        )?;
    }
    mock.start_review();
    let rule = "─".repeat(usize::from(width.min(40)));
    while let Some((index, question)) = mock.current() {
        writeln!(out)?;
        writeln!(
            out,
            "[{}/{total}] Q: {}  ({} s)",
            index + 1,
            question.card.question,
            question.ms.unwrap_or(0) / 1000
        )?;
        writeln!(out, "{rule}")?;
        match mock.answer() {
            Some(text) => {
                let folder = markdown::folder_of(&question.card.file);
                writeln!(out, "{}", markdown::render_text_from(text, folder, width))?;
            }
            None => writeln!(out, "{NO_ANSWER}")?,
        }
        writeln!(out, "{rule}")?;
        loop {
            write!(out, "1 Again · 2 Hard · 3 Good · 4 Easy (q: quit) ")?;
            out.flush()?;
            let grade = match read(input)? {
                None => return Ok(End::EndOfInput),
                Some(Reply::Key('q')) => return Ok(End::Quit),
                Some(Reply::Key(c)) if let Some(g) = c.to_digit(10).and_then(|n| Grade::from_number(n as u8)) => g,
                Some(_) => {
                    writeln!(out, "1–4 to grade, or q")?;
                    continue;
                }
            };
            mock.grade(grade, clock(), journal)?;
            break;
        }
    }
    Ok(End::Done)
}
