//! Writing an answer out from memory before the reveal (`w`): a small multi-line text box, and the written answer
//! shown beside the note's answer (under it on a narrow screen) with its key terms said and missed.
//!
//! The box takes text as the terminal sends it: a Korean input method composes syllables itself (its preedit is
//! drawn at the terminal's cursor, which the frame puts at the box's cursor) and sends each syllable composed, as
//! one character. The cursor moves by character; a Hangul syllable is two columns wide.

use super::app::{App, Redraw};
use super::view::Palette;
use crate::session::Journal;
use crate::store::Attempt;
use crate::terms::{self, Marked};
use crate::time::Moment;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthChar;

/// A screen at least this wide shows the written answer beside the note's; a narrower one, under it.
pub const BESIDE_WIDTH: u16 = 100;

/// What a key does in the text box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// A character typed (a composed syllable from an input method is one).
    Insert(char),
    /// Tab: two spaces.
    Indent,
    /// Enter: a new line.
    Newline,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// ←.
    Left,
    /// →.
    Right,
    /// ↑.
    Up,
    /// ↓.
    Down,
    /// Home: the start of the line.
    Home,
    /// End: the end of the line.
    End,
    /// Esc: the box closes and nothing is kept.
    Cancel,
    /// Ctrl-S or Ctrl-D: the answer is done; the note's answer is revealed beside it.
    Finish,
    /// Ctrl-C: quit amgi, as everywhere.
    Quit,
}

/// The edit a key press stands for in the text box (a key held down repeats).
pub fn edit(key: KeyEvent) -> Option<Edit> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return match key.code {
            KeyCode::Char('s' | 'S' | 'd' | 'D') if key.modifiers.contains(KeyModifiers::CONTROL) => Some(Edit::Finish),
            KeyCode::Char('c' | 'C') if key.modifiers.contains(KeyModifiers::CONTROL) => Some(Edit::Quit),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Char(c) if !c.is_control() => Edit::Insert(c),
        KeyCode::Tab => Edit::Indent,
        KeyCode::Enter => Edit::Newline,
        KeyCode::Backspace => Edit::Backspace,
        KeyCode::Delete => Edit::Delete,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        KeyCode::Up => Edit::Up,
        KeyCode::Down => Edit::Down,
        KeyCode::Home => Edit::Home,
        KeyCode::End => Edit::End,
        KeyCode::Esc => Edit::Cancel,
        _ => return None,
    })
}

/// The text being written: its lines, and the cursor as a line and a character in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBox {
    lines: Vec<String>,
    row: usize,
    col: usize,
}

impl Default for TextBox {
    fn default() -> Self {
        TextBox {
            lines: vec![String::new()],
            row: 0,
            col: 0,
        }
    }
}

impl TextBox {
    /// The text written, its lines joined with `\n`, without blank lines at the end.
    pub fn text(&self) -> String {
        self.lines.join("\n").trim_end().to_string()
    }

    /// The cursor: line and character.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// Byte index of character `col` in line `row`.
    fn byte(&self, row: usize, col: usize) -> usize {
        let line = &self.lines[row];
        line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    fn line_chars(&self, row: usize) -> usize {
        self.lines[row].chars().count()
    }

    /// Applies an editing key (not [`Edit::Cancel`], [`Edit::Finish`] or [`Edit::Quit`], which the app handles);
    /// whether the text or the cursor changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        match edit {
            Edit::Insert(c) => {
                let at = self.byte(self.row, self.col);
                self.lines[self.row].insert(at, c);
                self.col += 1;
            }
            Edit::Indent => {
                let at = self.byte(self.row, self.col);
                self.lines[self.row].insert_str(at, "  ");
                self.col += 2;
            }
            Edit::Newline => {
                let at = self.byte(self.row, self.col);
                let rest = self.lines[self.row].split_off(at);
                self.lines.insert(self.row + 1, rest);
                self.row += 1;
                self.col = 0;
            }
            Edit::Backspace if self.col > 0 => {
                let at = self.byte(self.row, self.col - 1);
                self.lines[self.row].remove(at);
                self.col -= 1;
            }
            Edit::Backspace if self.row > 0 => {
                let line = self.lines.remove(self.row);
                self.row -= 1;
                self.col = self.line_chars(self.row);
                self.lines[self.row].push_str(&line);
            }
            Edit::Delete if self.col < self.line_chars(self.row) => {
                let at = self.byte(self.row, self.col);
                self.lines[self.row].remove(at);
            }
            Edit::Delete if self.row + 1 < self.lines.len() => {
                let next = self.lines.remove(self.row + 1);
                self.lines[self.row].push_str(&next);
            }
            Edit::Left if self.col > 0 => self.col -= 1,
            Edit::Left if self.row > 0 => {
                self.row -= 1;
                self.col = self.line_chars(self.row);
            }
            Edit::Right if self.col < self.line_chars(self.row) => self.col += 1,
            Edit::Right if self.row + 1 < self.lines.len() => {
                self.row += 1;
                self.col = 0;
            }
            Edit::Up if self.row > 0 => {
                self.row -= 1;
                self.col = self.col.min(self.line_chars(self.row));
            }
            Edit::Down if self.row + 1 < self.lines.len() => {
                self.row += 1;
                self.col = self.col.min(self.line_chars(self.row));
            }
            Edit::Home if self.col > 0 => self.col = 0,
            Edit::End if self.col < self.line_chars(self.row) => self.col = self.line_chars(self.row),
            _ => return false,
        }
        true
    }

    /// The text laid out `width` columns wide: each screen row's text, and the cursor's row and column.
    fn layout(&self, width: u16) -> (Vec<String>, (usize, u16)) {
        let width = usize::from(width.max(2));
        let mut rows = Vec::new();
        let mut cursor = (0, 0);
        for (r, line) in self.lines.iter().enumerate() {
            let mut row = String::new();
            let mut used = 0;
            for (c, ch) in line.chars().enumerate() {
                let w = ch.width().unwrap_or(0);
                if used + w > width {
                    rows.push(std::mem::take(&mut row));
                    used = 0;
                }
                if (r, c) == (self.row, self.col) {
                    cursor = (rows.len(), used as u16);
                }
                row.push(ch);
                used += w;
            }
            if r == self.row && self.col >= line.chars().count() {
                cursor = if used >= width {
                    (rows.len() + 1, 0)
                } else {
                    (rows.len(), used as u16)
                };
            }
            rows.push(row);
        }
        if cursor.0 >= rows.len() {
            rows.push(String::new());
        }
        (rows, cursor)
    }
}

/// An answer written out, and its key terms said and missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// What was written.
    pub text: String,
    /// The note's key terms, each said or missed.
    pub marked: Marked,
    /// The answers written out before for the card, oldest first.
    pub earlier: Vec<Attempt>,
    /// Whether the card is a question with no written answer to compare with.
    pub no_answer: bool,
}

impl App<'_> {
    /// Applies `edit` to the answer being written at `now`: Esc closes the box, Ctrl-S or Ctrl-D finishes the
    /// answer (kept through `journal` as an attempt, its key terms counted, the note's answer revealed beside it).
    pub fn write_key(&mut self, edit: Edit, now: Moment, journal: &mut impl Journal) -> Redraw {
        self.now = now;
        // As any key does, the first puts the warnings' banner away.
        self.banner = false;
        let Some(text_box) = self.writing.as_mut() else {
            return Redraw::Nothing;
        };
        match edit {
            Edit::Cancel => self.writing = None,
            Edit::Quit => self.quit = true,
            Edit::Finish => {
                let text = text_box.text();
                self.writing = None;
                self.finish_writing(text, journal);
            }
            _ if text_box.apply(edit) => {}
            _ => return Redraw::Timer,
        }
        Redraw::Frame
    }

    /// Counts the key terms `text` said, keeps the attempt and reveals the answer. Nothing written is no attempt:
    /// the answer is revealed alone.
    fn finish_writing(&mut self, text: String, journal: &mut impl Journal) {
        let Some(card) = self.card() else { return };
        let id = card.id.clone();
        let no_answer = card.is_question();
        self.session.reveal();
        self.scroll = 0;
        if text.trim().is_empty() {
            self.flash = Some("nothing written".into());
            return;
        }
        let key_terms = match self.session.answer() {
            Some(Ok(answer)) => terms::key_terms(answer),
            _ => Vec::new(),
        };
        let marked = terms::mark(&key_terms, &text);
        let attempt = Attempt {
            card: id,
            at: self.now,
            said: marked.said(),
            terms: marked.total(),
            text: text.clone(),
        };
        // The earlier attempts are read before this one is kept; one that cannot be read is said, not hidden.
        let earlier = journal.attempts_of(&attempt.card).unwrap_or_else(|error| {
            self.flash = Some(error.to_string());
            Vec::new()
        });
        if let Err(error) = journal.keep_attempt(&attempt) {
            self.flash = Some(format!("not saved: {error}"));
        }
        self.written = Some(Written {
            text,
            marked,
            earlier,
            no_answer,
        });
    }
}

/// The question over the text box, in `body` of the question screen.
pub(super) fn render_writing(app: &App, text_box: &TextBox, p: &Palette, body: Rect, buf: &mut Buffer) {
    let [question_area, box_area] = writing_areas(app, body);
    Paragraph::new(super::view::question_lines(app, question_area.width)).render(question_area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(p.fg(Color::Cyan))
        .title(" 답 쓰기 ");
    let inner = block.inner(box_area);
    block.render(box_area, buf);
    let (rows, (cursor_row, _)) = text_box.layout(inner.width);
    let top = cursor_row.saturating_sub(usize::from(inner.height.saturating_sub(1)));
    let shown: Vec<Line> = rows.into_iter().skip(top).map(Line::raw).collect();
    Paragraph::new(shown).render(inner, buf);
}

/// Where the terminal's cursor goes while writing, in a screen whose body is `body`: at the box's cursor, so that
/// an input method draws the syllable it is composing there.
pub fn cursor_position(app: &App, text_box: &TextBox, body: Rect) -> Option<Position> {
    let [_, box_area] = writing_areas(app, body);
    let inner = Block::default().borders(Borders::ALL).inner(box_area);
    if inner.width == 0 || inner.height == 0 {
        return None;
    }
    let (_, (row, col)) = text_box.layout(inner.width);
    let shown_row = row.min(usize::from(inner.height - 1)) as u16;
    Some(Position::new(inner.x + col.min(inner.width - 1), inner.y + shown_row))
}

/// The question's rows and the box's, in `body`: the question takes what it needs, up to a third.
fn writing_areas(app: &App, body: Rect) -> [Rect; 2] {
    let inner = body.inner(ratatui::layout::Margin::new(1, 0));
    let wanted = super::view::question_lines(app, inner.width).len() as u16;
    let height = wanted.min(inner.height / 3).max(1);
    Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(inner)
}

/// The answer screen's body split between the note's answer and the written one: side by side from
/// [`BESIDE_WIDTH`] columns, else the note's answer over the written one.
pub fn split(body: Rect) -> [Rect; 2] {
    if body.width >= BESIDE_WIDTH {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body)
    }
}

/// The written answer in `area`: `핵심어 n/m` and the suggested grade, the terms said (✓) and missed (✗), then
/// the text.
pub(super) fn render_written(written: &Written, p: &Palette, area: Rect, buf: &mut Buffer) {
    let marked = &written.marked;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(p.fg(Color::Cyan))
        .title(" 내 답 ");
    let inner = block.inner(area);
    block.render(area, buf);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut head = vec![Span::styled(
        format!("핵심어 {}/{}", marked.said(), marked.total()),
        bold,
    )];
    match marked.suggested() {
        Some(grade) => head.push(Span::raw(format!(
            " · suggested {} {}",
            grade.number(),
            capitalized(grade.name())
        ))),
        None if written.no_answer => head.push(Span::raw(" · no written answer to compare with")),
        None => head.push(Span::raw(" · no key terms in the note")),
    }
    let mut lines = vec![Line::from(head)];
    if let Some(line) = earlier_line(&written.earlier) {
        lines.push(Line::styled(line, Style::new().add_modifier(Modifier::DIM)));
    }
    // Each term whole on a row: the rows are filled here, not by the wrap, which would split `혼잡 제어`.
    let mut row: Vec<Span> = Vec::new();
    let mut used = 0;
    for (term, said) in &marked.terms {
        let (mark, style) = if *said {
            ("✓", p.fg(Color::Green))
        } else {
            ("✗", p.fg(Color::Red).add_modifier(Modifier::CROSSED_OUT))
        };
        let chip = format!("{mark} {}", super::markdown::sanitize(term));
        let width = unicode_width::UnicodeWidthStr::width(chip.as_str());
        if used > 0 && used + 2 + width > usize::from(inner.width) {
            lines.push(Line::from(std::mem::take(&mut row)));
            used = 0;
        }
        if used > 0 {
            row.push(Span::raw("  "));
            used += 2;
        }
        row.push(Span::styled(chip, style));
        used += width;
    }
    if !row.is_empty() {
        lines.push(Line::from(row));
    }
    lines.push(Line::raw(""));
    lines.extend(
        written
            .text
            .lines()
            .map(|line| Line::raw(super::markdown::sanitize(line).into_owned())),
    );
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
}

/// `earlier 11-24 1/3 · 11-25 2/3`: the last few answers written out before, or `None` for the first.
pub fn earlier_line(earlier: &[Attempt]) -> Option<String> {
    const SHOWN: usize = 3;
    if earlier.is_empty() {
        return None;
    }
    let shown: Vec<String> = earlier[earlier.len().saturating_sub(SHOWN)..]
        .iter()
        .map(|attempt| {
            let at = attempt.at.to_string();
            format!("{} {}/{}", &at[5..10], attempt.said, attempt.terms)
        })
        .collect();
    let more = earlier.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!("… ({more} more) ")
    } else {
        String::new()
    };
    Some(format!("earlier {more}{}", shown.join(" · ")))
}

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse;
    use crate::queue::Limits;
    use crate::schedule::Scheduler;
    use crate::session::{MemoryJournal, Session};
    use crate::store::Progress;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    const NOW: &str = "2026-11-24T21:00:00+09:00";

    const DECK: &str = "## 네트워크

### TCP와 UDP의 차이를 설명해 주세요

**TCP**는 연결 지향이고 **UDP**는 비연결입니다.

- 3-way handshake: 연결을 맺는 과정
- 흐름 제어 (받는 쪽을 지킨다)
- 혼잡 제어 - 네트워크를 지킨다
";

    fn app() -> App<'static> {
        app_over(parse(DECK, "network.md", "네트워크").cards)
    }

    /// A drill of `cards` with no progress at [`NOW`], drawn without colour.
    fn app_over(cards: Vec<crate::Card>) -> App<'static> {
        let now: Moment = NOW.parse().unwrap();
        let scheduler = Box::leak(Box::new(Scheduler::new(0.9, None).unwrap()));
        let session = Session::drill(
            cards,
            Progress::default(),
            scheduler,
            now,
            Limits::default(),
            Default::default(),
        );
        let mut app = App::new(session, now, 60, Vec::new());
        app.color = false;
        app
    }

    fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
        app.size = (width, height);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| {
                frame.render_widget(&*app, frame.area());
                if let Some(position) = super::super::view::write_cursor(app, frame.area()) {
                    frame.set_cursor_position(position);
                }
            })
            .unwrap();
        terminal
    }

    /// `app` with `text` typed into the box `w` opened.
    fn write(app: &mut App, text: &str, journal: &mut MemoryJournal) {
        let now = app.now;
        app.update(super::super::action::Action::Write, now, journal);
        assert!(app.writing.is_some());
        for c in text.chars() {
            let edit = if c == '\n' { Edit::Newline } else { Edit::Insert(c) };
            app.write_key(edit, now, journal);
        }
    }

    const WRITTEN: &str = "TCP는 연결을 맺고 흐름 제어를 한다.\nUDP는 그냥 보낸다.";

    #[test]
    fn the_write_box_shows_hangul_with_the_cursor_after_it() {
        let mut app = app();
        let mut journal = MemoryJournal::default();
        write(&mut app, WRITTEN, &mut journal);
        let mut terminal = draw(&mut app, 80, 24);
        insta::assert_snapshot!("write_box_80x24", terminal.backend());
        insta::assert_snapshot!("write_box_40x12", draw(&mut app, 40, 12).backend());
        // After `UDP는 그냥 보낸다.` on the box's second row: 3 + 2 + 1 + 4 + 1 + 6 + 1 columns in.
        let cursor = terminal.get_cursor_position().unwrap();
        assert_eq!((cursor.x, cursor.y), (2 + 18, 5));
        assert!(journal.attempts.is_empty());
    }

    #[test]
    fn a_second_attempt_shows_the_earlier_ones() {
        let mut app = app();
        let mut journal = MemoryJournal::default();
        for (day, text) in [("2026-11-22", "TCP"), ("2026-11-23", "TCP UDP")] {
            journal.attempts.push(Attempt {
                card: app.card().unwrap().id.clone(),
                at: format!("{day}T21:00:00+09:00").parse().unwrap(),
                said: text.split(' ').count(),
                terms: 5,
                text: text.into(),
            });
        }
        write(&mut app, WRITTEN, &mut journal);
        app.write_key(Edit::Finish, app.now, &mut journal);
        assert_eq!(journal.attempts.len(), 3);
        let terminal = draw(&mut app, 80, 24);
        let screen: String = terminal.backend().buffer().content.iter().map(|c| c.symbol()).collect();
        assert!(screen.contains("earlier 11-22 1/5 · 11-23 2/5"), "{screen}");
        let many: Vec<Attempt> = (0..5).map(|_| journal.attempts[0].clone()).collect();
        assert_eq!(
            earlier_line(&many).unwrap(),
            "earlier … (2 more) 11-22 1/5 · 11-22 1/5 · 11-22 1/5"
        );
        assert_eq!(earlier_line(&[]), None);
    }

    #[test]
    fn a_question_with_no_written_answer_says_so_beside_the_written_one() {
        let now: Moment = NOW.parse().unwrap();
        let cards = parse(
            "## 네트워크\n\n### HTTP/3는 무엇이 다른가요?\n",
            "network.md",
            "네트워크",
        )
        .questions;
        assert!(cards[0].is_question());
        let mut app = app_over(cards);
        let mut journal = MemoryJournal::default();
        write(&mut app, "QUIC 위에서", &mut journal);
        app.write_key(Edit::Finish, now, &mut journal);
        let terminal = draw(&mut app, 80, 24);
        let screen: String = terminal.backend().buffer().content.iter().map(|c| c.symbol()).collect();
        // Each wide cell is followed by one left blank: the ASCII part is looked for.
        assert!(screen.contains("0/0 · no written answer to compare with"), "{screen}");
        assert_eq!((journal.attempts[0].said, journal.attempts[0].terms), (0, 0));
        // `W` is offered, and asks the event loop to place the answer into the notes.
        assert!(app.can_write_out());
        assert!(screen.contains("W write into notes"), "{screen}");
        use super::super::action::Action;
        use super::super::app::WriteOut;
        app.update(Action::WriteOut, now, &mut journal);
        match app.take_write_out() {
            Some(WriteOut::Asked { card, text }) => {
                assert_eq!(
                    (card.question.as_str(), text.as_str()),
                    ("HTTP/3는 무엇이 다른가요?", "QUIC 위에서")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(app.take_write_out().is_none(), "taken once");
    }

    #[test]
    fn w_is_not_offered_for_a_card_with_a_written_answer() {
        let mut app = app();
        let mut journal = MemoryJournal::default();
        write(&mut app, WRITTEN, &mut journal);
        app.write_key(Edit::Finish, app.now, &mut journal);
        assert!(!app.can_write_out());
        app.update(super::super::action::Action::WriteOut, app.now, &mut journal);
        assert!(app.take_write_out().is_none());
    }

    #[test]
    fn esc_closes_the_box_and_keeps_nothing() {
        let mut app = app();
        let mut journal = MemoryJournal::default();
        write(&mut app, "TCP", &mut journal);
        app.write_key(Edit::Cancel, app.now, &mut journal);
        assert!(app.writing.is_none() && !app.session.is_revealed());
        assert!(journal.attempts.is_empty() && journal.lines.is_empty());
    }

    #[test]
    fn finishing_reveals_the_answer_beside_the_written_one_with_its_terms_counted() {
        let mut app = app();
        let mut journal = MemoryJournal::default();
        write(&mut app, WRITTEN, &mut journal);
        app.write_key(Edit::Finish, app.now, &mut journal);
        assert!(app.session.is_revealed() && app.writing.is_none());
        assert_eq!(journal.attempts.len(), 1);
        let attempt = &journal.attempts[0];
        assert_eq!((attempt.said, attempt.terms, attempt.text.as_str()), (3, 5, WRITTEN));
        // Nothing graded yet: the grade is the user's.
        assert!(journal.lines.is_empty());
        insta::assert_snapshot!("written_80x24", draw(&mut app, 80, 24).backend());
        insta::assert_snapshot!("written_120x40", draw(&mut app, 120, 40).backend());
        insta::assert_snapshot!("written_40x12", draw(&mut app, 40, 12).backend());
        assert_eq!(app.written.as_ref().map(|w| w.earlier.len()), Some(0));
        // The next card starts with no written answer.
        let now = app.now;
        app.update(
            super::super::action::Action::Grade(crate::schedule::Grade::Hard),
            now,
            &mut journal,
        );
        assert!(app.written.is_none());
    }

    fn typed(text: &str) -> TextBox {
        let mut text_box = TextBox::default();
        for c in text.chars() {
            text_box.apply(if c == '\n' { Edit::Newline } else { Edit::Insert(c) });
        }
        text_box
    }

    #[test]
    fn hangul_is_typed_moved_over_and_deleted_by_character() {
        let mut text_box = typed("TCP는\n연결");
        assert_eq!(text_box.text(), "TCP는\n연결");
        assert_eq!(text_box.cursor(), (1, 2));
        text_box.apply(Edit::Left);
        text_box.apply(Edit::Backspace);
        assert_eq!(text_box.text(), "TCP는\n결");
        text_box.apply(Edit::Insert('접'));
        assert_eq!(text_box.text(), "TCP는\n접결");
        text_box.apply(Edit::Up);
        assert_eq!(text_box.cursor(), (0, 1));
        text_box.apply(Edit::End);
        text_box.apply(Edit::Delete);
        assert_eq!(text_box.text(), "TCP는접결");
        text_box.apply(Edit::Home);
        assert!(!text_box.apply(Edit::Left));
        assert!(!text_box.apply(Edit::Backspace));
    }

    #[test]
    fn backspace_at_the_start_of_a_line_joins_it_to_the_one_above() {
        let mut text_box = typed("가나\n다");
        text_box.apply(Edit::Home);
        text_box.apply(Edit::Backspace);
        assert_eq!((text_box.text(), text_box.cursor()), ("가나다".to_string(), (0, 2)));
    }

    #[test]
    fn a_hangul_syllable_takes_two_columns_and_wide_text_wraps() {
        let text_box = typed("가나다라");
        let (rows, cursor) = text_box.layout(5);
        assert_eq!((rows, cursor), (vec!["가나".to_string(), "다라".to_string()], (1, 4)));
        // A full last row puts the cursor at the start of the next.
        let (rows, cursor) = text_box.layout(4);
        assert_eq!(rows, ["가나", "다라", ""]);
        assert_eq!(cursor, (2, 0));
        let (rows, cursor) = typed("ab가").layout(10);
        assert_eq!((rows, cursor), (vec!["ab가".to_string()], (0, 4)));
    }

    #[test]
    fn keys_become_edits_and_control_keys_end_or_cancel() {
        let press = |code, modifiers| edit(KeyEvent::new(code, modifiers));
        assert_eq!(press(KeyCode::Char('한'), KeyModifiers::NONE), Some(Edit::Insert('한')));
        assert_eq!(press(KeyCode::Char('Q'), KeyModifiers::SHIFT), Some(Edit::Insert('Q')));
        // Letters that are keys elsewhere are text here.
        assert_eq!(press(KeyCode::Char('q'), KeyModifiers::NONE), Some(Edit::Insert('q')));
        assert_eq!(press(KeyCode::Char('s'), KeyModifiers::CONTROL), Some(Edit::Finish));
        assert_eq!(press(KeyCode::Char('d'), KeyModifiers::CONTROL), Some(Edit::Finish));
        assert_eq!(press(KeyCode::Char('c'), KeyModifiers::CONTROL), Some(Edit::Quit));
        assert_eq!(press(KeyCode::Esc, KeyModifiers::NONE), Some(Edit::Cancel));
        assert_eq!(press(KeyCode::Enter, KeyModifiers::NONE), Some(Edit::Newline));
        assert_eq!(press(KeyCode::Char('x'), KeyModifiers::ALT), None);
    }
}
