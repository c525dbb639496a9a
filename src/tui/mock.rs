//! The mock interview full screen: each question alone with its countdown, then the review, then the summary.
//!
//! Keys become [`Action`]s ([`super::action::action`]), [`MockApp::update`] changes the [`Mock`], and drawing is a
//! pure function of the app. The terminal is taken and given back as the quiz does it (signals end the mock like
//! `q`, keeping what was graded).

use super::action::{self, Action};
use super::markdown::{self, Theme};
use super::view::{Palette, fit, too_small};
use super::{Input, events, give_back_terminal, take_terminal, use_color};
use crate::mock::{AMBER_SECONDS, Mock, NO_ANSWER, Stage, countdown, plural};
use crate::session::Journal;
use crate::time::Moment;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::Event;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::sync::mpsc;
use std::time::Duration;

/// The mock on screen: the mock itself, the clock as last read, and what only the screen keeps.
pub struct MockApp<'m, 'a> {
    /// The mock under way.
    pub mock: &'m mut Mock<'a>,
    /// The moment last read, for the countdown.
    pub now: Moment,
    /// Whether colours are drawn (not under `NO_COLOR`).
    pub color: bool,
    /// How far the answer under review is scrolled, in rows.
    pub scroll: u16,
    /// A line for the footer in place of the keys, until the next key.
    pub flash: Option<String>,
    /// The user is done.
    pub quit: bool,
}

impl<'m, 'a> MockApp<'m, 'a> {
    /// The app over `mock` at `now`.
    pub fn new(mock: &'m mut Mock<'a>, now: Moment) -> Self {
        MockApp {
            mock,
            now,
            color: true,
            scroll: 0,
            flash: None,
            quit: false,
        }
    }

    /// Acts on `action` at `now`; a grade goes through `journal` before the next question comes up.
    pub fn update(&mut self, action: Action, now: Moment, journal: &mut impl Journal) {
        self.now = now;
        self.flash = None;
        match (self.mock.stage(), action) {
            (Stage::Asking { .. }, Action::Accept) => self.mock.end_answer(now),
            (Stage::Asking { .. }, Action::Quit | Action::Back) => self.mock.end_early(),
            (Stage::Overview, Action::Accept) => self.mock.start_review(),
            (Stage::Reviewing { .. }, Action::Grade(grade)) => match self.mock.grade(grade, now, journal) {
                Ok(()) => self.scroll = 0,
                Err(e) => self.flash = Some(format!("not saved: {e}")),
            },
            (Stage::Reviewing { .. }, Action::Down) => self.scroll = self.scroll.saturating_add(1),
            (Stage::Reviewing { .. }, Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            (Stage::Reviewing { .. }, Action::PageDown) => self.scroll = self.scroll.saturating_add(10),
            (Stage::Reviewing { .. }, Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            (Stage::Done, Action::Accept) | (_, Action::Quit | Action::Back) => self.quit = true,
            _ => {}
        }
    }

    /// When the countdown next reads otherwise: the next whole second of the answer, while a question is asked.
    fn next_tick(&self) -> Option<Duration> {
        match self.mock.stage() {
            Stage::Asking { since, .. } => {
                let span = self.now.timestamp().duration_since(since.timestamp());
                let ms = u64::try_from(span.as_millis()).unwrap_or(0);
                Some(Duration::from_millis(1000 - ms % 1000))
            }
            _ => None,
        }
    }
}

/// Runs the mock full screen until the summary is left, `q` in the review, or a signal. Grades go through
/// `journal` as they are given.
pub fn run(mock: &mut Mock<'_>, clock: &dyn Fn() -> Moment, journal: &mut impl Journal) -> anyhow::Result<()> {
    let (rx, _reader) = events()?;
    let mut app = MockApp::new(mock, clock());
    app.color = use_color();
    let mut terminal = take_terminal()?;
    let result = (|| -> anyhow::Result<()> {
        loop {
            terminal.draw(|frame| frame.render_widget(&app, frame.area()))?;
            if app.quit {
                return Ok(());
            }
            let next = match app.next_tick() {
                Some(wait) => rx.recv_timeout(wait),
                None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            };
            match next {
                Ok(Input::Terminal(Event::Key(key))) => {
                    if let Some(action) = action::action(key) {
                        app.update(action, clock(), journal);
                    }
                }
                Ok(Input::Terminal(_)) | Err(mpsc::RecvTimeoutError::Timeout) => app.now = clock(),
                Ok(Input::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    })();
    give_back_terminal();
    result
}

impl Widget for &MockApp<'_, '_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        render(self, area, buf);
    }
}

/// Draws the whole screen: two header rows, the body, a row of keys.
pub fn render(app: &MockApp<'_, '_>, area: Rect, buf: &mut Buffer) {
    if too_small(area, buf) {
        return;
    }
    let p = Palette { color: app.color };
    let width = usize::from(area.width);
    let row = |y: u16, height: u16| Rect {
        y: area.y + y,
        height,
        ..area
    };
    let dim = Style::new().add_modifier(Modifier::DIM);
    let total = app.mock.questions().len();
    let (title, context) = match (app.mock.stage(), app.mock.current()) {
        (Stage::Asking { .. }, Some((index, question))) => (
            format!(
                "모의 면접 {}/{total}{}",
                index + 1,
                if question.follow_up { " · 꼬리 질문" } else { "" }
            ),
            context_of(&question.card),
        ),
        (Stage::Reviewing { .. }, Some((index, question))) => (
            format!(
                "검토 {}/{total} · {} s{}",
                index + 1,
                question.ms.unwrap_or(0) / 1000,
                if question.follow_up { " · 꼬리 질문" } else { "" }
            ),
            context_of(&question.card),
        ),
        (Stage::Overview, _) => ("모의 면접 검토".to_owned(), String::new()),
        _ => ("모의 면접 끝".to_owned(), String::new()),
    };
    Paragraph::new(Span::styled(
        fit(&title, width),
        Style::new().add_modifier(Modifier::BOLD),
    ))
    .render(row(0, 1), buf);
    Paragraph::new(Span::styled(fit(&context, width), dim)).render(row(1, 1), buf);
    let body = Rect {
        y: area.y + 2,
        height: area.height.saturating_sub(3),
        ..area
    }
    .inner(ratatui::layout::Margin::new(1, 0));
    let keys: &[&str] = match app.mock.stage() {
        Stage::Asking { .. } => {
            render_question(app, &p, body, buf);
            &["Space done", "q end the interview"]
        }
        Stage::Overview => {
            render_overview(app, body, buf);
            &["Space review", "q quit"]
        }
        Stage::Reviewing { .. } => {
            render_review(app, &p, body, buf);
            if width < 56 {
                &["1-4 grade", "j/k scroll", "q quit"]
            } else {
                &["1 Again", "2 Hard", "3 Good", "4 Easy", "j/k scroll", "q quit"]
            }
        }
        Stage::Done => {
            let lines = app
                .mock
                .summary()
                .lines()
                .into_iter()
                .map(Line::from)
                .collect::<Vec<_>>();
            Paragraph::new(lines).wrap(Wrap { trim: true }).render(body, buf);
            &["q quit"]
        }
    };
    let footer = match &app.flash {
        Some(flash) => Line::from(Span::styled(
            flash.clone(),
            Style::new().add_modifier(Modifier::REVERSED),
        )),
        None => hints(keys, width),
    };
    Paragraph::new(footer).render(row(area.height - 1, 1), buf);
}

/// Where a question stands: its folders, topic and headings, ` › ` between.
fn context_of(card: &crate::Card) -> String {
    card.context()
        .map(|part| markdown::sanitize(part).into_owned())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// The keys that fit in `width` columns, dim, in order.
fn hints(keys: &[&str], width: usize) -> Line<'static> {
    let dim = Style::new().add_modifier(Modifier::DIM);
    let mut used = 0;
    let mut spans = Vec::new();
    for key in keys {
        let text = format!("{key}  ");
        let w = unicode_width::UnicodeWidthStr::width(text.as_str());
        if used + w > width + 2 {
            break;
        }
        used += w;
        spans.push(Span::styled(text, dim));
    }
    Line::from(spans)
}

/// The style of the countdown with `remaining` seconds: plain, amber in the last [`AMBER_SECONDS`], red once over.
fn countdown_style(p: &Palette, remaining: i64) -> Style {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if remaining < 0 {
        p.fg(Color::Red).add_modifier(Modifier::BOLD)
    } else if remaining <= AMBER_SECONDS {
        p.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    } else {
        bold
    }
}

/// The question alone, centred, with the countdown under it.
fn render_question(app: &MockApp<'_, '_>, p: &Palette, area: Rect, buf: &mut Buffer) {
    let Some((_, question)) = app.mock.current() else {
        return;
    };
    let text = markdown::sanitize(&question.card.question).into_owned();
    let mut lines = markdown::wrap(
        vec![Span::styled(text, Style::new().add_modifier(Modifier::BOLD))],
        area.width,
        Vec::new(),
        Vec::new(),
    );
    let remaining = app.mock.remaining(app.now).unwrap_or(0);
    let shown = if remaining < 0 {
        format!("{} over", countdown(remaining))
    } else {
        countdown(remaining)
    };
    // The countdown stays in view however long the question.
    lines.truncate(usize::from(area.height.saturating_sub(2)));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(shown, countdown_style(p, remaining))));
    let height = (lines.len() as u16).min(area.height);
    let top = area.y + area.height.saturating_sub(height) / 2;
    Paragraph::new(lines)
        .alignment(Alignment::Center)
        .render(Rect::new(area.x, top, area.width, height), buf);
}

/// The questions answered, each with its seconds, before the review.
fn render_overview(app: &MockApp<'_, '_>, area: Rect, buf: &mut Buffer) {
    let answered: Vec<_> = app.mock.answered().collect();
    let limit = app.mock.seconds().saturating_mul(1000);
    let mut lines = vec![Line::from(format!(
        "{} answered; grade each against the notes.",
        plural(answered.len(), "question")
    ))];
    lines.push(Line::default());
    for (i, question) in answered {
        let ms = question.ms.unwrap_or(0);
        let seconds = format!("{:>4} s{}", ms / 1000, if ms > limit { " over" } else { "" });
        let follow = if question.follow_up { "↳ " } else { "" };
        let head = format!("{:>2}. {follow}", i + 1);
        let room = usize::from(area.width)
            .saturating_sub(unicode_width::UnicodeWidthStr::width(head.as_str()))
            .saturating_sub(seconds.len() + 1);
        let text = fit(&markdown::sanitize(&question.card.question), room);
        let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()));
        lines.push(Line::from(format!("{head}{text}{} {seconds}", " ".repeat(pad))));
    }
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
}

/// The question under review and the notes' answer (or that there is none), scrolled.
fn render_review(app: &MockApp<'_, '_>, p: &Palette, area: Rect, buf: &mut Buffer) {
    let Some((_, question)) = app.mock.current() else {
        return;
    };
    let theme = if p.color { Theme::colored() } else { Theme::plain() };
    let text = markdown::sanitize(&question.card.question).into_owned();
    let mut lines = markdown::wrap(
        vec![Span::styled(text, Style::new().add_modifier(Modifier::BOLD))],
        area.width,
        Vec::new(),
        Vec::new(),
    );
    lines.push(Line::default());
    match app.mock.answer() {
        Some(answer) => lines.extend(markdown::render_from(
            answer,
            markdown::folder_of(&question.card.file),
            area.width,
            &theme,
        )),
        None => lines.push(Line::from(Span::styled(
            NO_ANSWER,
            p.fg(Color::Yellow).add_modifier(Modifier::ITALIC),
        ))),
    }
    let most = (lines.len() as u16).saturating_sub(area.height);
    Paragraph::new(lines)
        .scroll((app.scroll.min(most), 0))
        .render(area, buf);
}

#[cfg(test)]
mod tests;
