//! Drawing: a pure function of the [`App`]. No I/O and no changes while drawing, but for the memo of the laid-out
//! answer ([`AnswerCache`]), which a frame cannot tell from laying it out again. The answer drawn is the one the
//! session fetched when its card came up ([`crate::session::Session::answer`]): a frame reads no file.

use super::app::{App, Redraw, Screen};
use super::markdown::{self, Theme};
use super::write;
use crate::schedule::{Delay, Grade, Phase};
use crate::session::Kind;
use crate::time::Moment;
use jiff::SignedDuration;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, Gauge, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Widget,
};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use unicode_width::UnicodeWidthStr;

/// The smallest terminal the layout fits in.
pub const MIN_SIZE: (u16, u16) = (30, 10);

/// Rows above the body (context, state and counters) and below it (gauge, keys).
const HEADER: u16 = 2;
const FOOTER: u16 = 2;

impl ratatui::widgets::Widget for &App<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        render(self, area, buf);
    }
}

/// Colours, or none under `NO_COLOR` (meaning then rests on bold, reverse, underline and the characters drawn).
/// Shared by the quiz and the stats screen.
pub(super) struct Palette {
    /// Whether colours are drawn.
    pub(super) color: bool,
}

impl Palette {
    /// `color` as the foreground, or no style without colours.
    pub(super) fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    fn grade(&self, grade: Grade) -> Style {
        let color = match grade {
            Grade::Again => Color::Red,
            Grade::Hard => Color::Yellow,
            Grade::Good => Color::Green,
            Grade::Easy => Color::Blue,
        };
        self.fg(color).add_modifier(Modifier::BOLD)
    }

    fn theme(&self) -> Theme {
        if self.color { Theme::colored() } else { Theme::plain() }
    }
}

fn palette(app: &App) -> Palette {
    Palette { color: app.color }
}

/// Under [`MIN_SIZE`], says so in `area` instead of a layout that cannot fit, and returns `true`.
pub(super) fn too_small(area: Rect, buf: &mut Buffer) -> bool {
    if fits((area.width, area.height)) {
        return false;
    }
    let text = format!("terminal too small (need {}×{})", MIN_SIZE.0, MIN_SIZE.1);
    Paragraph::new(text)
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(area, buf);
    true
}

/// Draws the whole screen.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if too_small(area, buf) {
        return;
    }
    let p = palette(app);
    let [header, banner_area, body, footer] = rows(app, area);
    render_header(app, &p, header, buf);
    if let Some(first) = app.warnings.first().filter(|_| app.banner) {
        let more = if app.warnings.len() > 1 {
            format!(" (+{} more, ? for all)", app.warnings.len() - 1)
        } else {
            String::new()
        };
        let line = Line::from(vec![Span::styled(format!("⚠ {first}{more}"), p.fg(Color::Yellow))]);
        Paragraph::new(line).render(banner_area, buf);
    }
    match app.screen() {
        Screen::Question if let Some(text_box) = &app.writing => write::render_writing(app, text_box, &p, body, buf),
        Screen::Question => render_question(app, body, buf),
        Screen::Answer if let Some(written) = &app.written => {
            let [answer, mine] = write::split(body);
            render_answer(app, &p, answer, buf);
            write::render_written(written, &p, mine, buf);
        }
        Screen::Answer => render_answer(app, &p, body, buf),
        Screen::Done => render_done(app, body, buf),
        Screen::Nothing => render_nothing(app, body, buf),
    }
    render_footer(app, &p, footer, buf);
    if app.help {
        render_help(app, area, buf);
    }
}

/// Where the terminal's cursor goes in a screen of `area`: at the cursor of the answer being written, if any.
pub fn write_cursor(app: &App, area: Rect) -> Option<ratatui::layout::Position> {
    let text_box = app.writing.as_ref()?;
    if !fits((area.width, area.height)) || app.screen() != Screen::Question {
        return None;
    }
    write::cursor_position(app, text_box, rows(app, area)[2])
}

/// The rows of the screen: header, banner (none once it is put away), body, footer.
/// Plain sums rather than a layout: a screen that [`fits`] leaves the body rows to spare, and the timer's ticks
/// find its cells without the layout solver.
fn rows(app: &App, area: Rect) -> [Rect; 4] {
    let banner = u16::from(app.banner && !app.warnings.is_empty());
    let row = |y: u16, height: u16| Rect { y, height, ..area };
    let body = area.y + HEADER + banner;
    let footer = area.bottom().saturating_sub(FOOTER).max(body);
    [
        row(area.y, HEADER),
        row(area.y + HEADER, banner),
        row(body, footer - body),
        row(footer, FOOTER.min(area.bottom() - footer)),
    ]
}

fn render_header(app: &App, p: &Palette, area: Rect, buf: &mut Buffer) {
    let [context, state] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let path = app.card().map(|card| {
        let parts: Vec<String> = card
            .context()
            .map(|part| markdown::sanitize(part).into_owned())
            .collect();
        fit_path(&parts, area.width as usize)
    });
    let dim = Style::new().add_modifier(Modifier::DIM);
    let path = path.unwrap_or_else(|| fit("amgi", area.width as usize));
    Paragraph::new(Span::styled(path, dim)).render(context, buf);

    let mut left = Vec::new();
    // A cram says so: its answers leave the schedule alone (unless --reschedule).
    if let Kind::Cram { reschedule } = app.session.kind() {
        let label = if reschedule { "cram (rescheduling)" } else { "cram" };
        left.push(Span::styled(label, p.fg(Color::Magenta).add_modifier(Modifier::BOLD)));
        if app.card().is_some() {
            left.push(Span::raw(" · "));
        }
    }
    if let Some(card) = app.card() {
        let phase = app.session.entry(card).map_or(Phase::New, |e| e.state.phase);
        left.push(Span::styled(phase.name(), Style::new().add_modifier(Modifier::BOLD)));
        if let Some(lapses) = app
            .session
            .entry(card)
            .map(|e| &e.state)
            .filter(|s| s.is_leech())
            .map(|s| s.lapses)
        {
            left.push(Span::raw(" · "));
            left.push(Span::styled(
                format!("leech ({lapses} lapses)"),
                p.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            ));
        }
        if app.session.is_changed(card) {
            left.push(Span::raw(" · "));
            left.push(Span::styled(
                "changed",
                p.fg(Color::Yellow).add_modifier(Modifier::ITALIC),
            ));
        }
    }
    Paragraph::new(Line::from(left)).render(state, buf);
    let [new, learning, due] = app.session.counts();
    // Once the banner is put away, a marker stands for the warnings (`?` lists them).
    let marker = if !app.banner && !app.warnings.is_empty() {
        Span::styled(format!("⚠ {} (?)   ", app.warnings.len()), p.fg(Color::Yellow))
    } else {
        Span::raw("")
    };
    let counters = Line::from(vec![
        marker,
        Span::styled(new.to_string(), p.fg(Color::Blue).add_modifier(Modifier::BOLD)),
        Span::raw(" · "),
        Span::styled(learning.to_string(), p.fg(Color::Red).add_modifier(Modifier::BOLD)),
        Span::raw(" · "),
        Span::styled(due.to_string(), p.fg(Color::Green).add_modifier(Modifier::BOLD)),
    ]);
    Paragraph::new(counters).alignment(Alignment::Right).render(state, buf);
}

/// The question wrapped to `width`, bold.
pub(super) fn question_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let Some(card) = app.card() else { return Vec::new() };
    let text = markdown::sanitize(&card.question).into_owned();
    let style = Style::new().add_modifier(Modifier::BOLD);
    markdown::wrap(vec![Span::styled(text, style)], width, Vec::new(), Vec::new())
}

fn render_question(app: &App, area: Rect, buf: &mut Buffer) {
    let inner = area.inner(ratatui::layout::Margin::new(2, 0));
    let mut lines = question_lines(app, inner.width);
    // A question asked without a written answer says so before it is answered aloud.
    if app.card().is_some_and(crate::Card::is_question) {
        let dim = Style::new().add_modifier(Modifier::DIM);
        lines.push(Line::raw(""));
        lines.extend(markdown::wrap(
            vec![Span::styled(markdown::NO_ANSWER, dim)],
            inner.width,
            Vec::new(),
            Vec::new(),
        ));
    }
    let top = inner.y + inner.height.saturating_sub(lines.len() as u16) / 2;
    let height = (lines.len() as u16).min(inner.height);
    let centred = Rect::new(inner.x, top, inner.width, height);
    Paragraph::new(lines).alignment(Alignment::Center).render(centred, buf);
}

/// The answer of a card laid out at a width, kept from one frame to the next: laying out markdown is the dearest
/// part of a frame, and a timer tick, a scroll or the help overlay leave the answer as it was. A memo only: a
/// frame is the same with it or without it. It is kept while the answer fetched (and with it the card, whose parts follow it), the width and the theme stay the
/// same, so an edited answer (`e`) or a resize lays it out again.
#[derive(Default)]
pub struct AnswerCache {
    kept: RefCell<Option<Laid>>,
    layouts: Cell<usize>,
}

/// An answer as it was laid out, and what it was laid out from.
struct Laid {
    answer: Fetched,
    width: u16,
    theme: Theme,
    lines: Rc<[Line<'static>]>,
}

impl AnswerCache {
    /// `answer` laid out at `width` with `theme`: the kept lines when they were laid out from the same, else laid
    /// out now (and kept).
    fn lines<'c>(
        &self,
        answer: &Fetched,
        folder: &str,
        after: impl FnOnce() -> After<'c>,
        width: u16,
        theme: Theme,
    ) -> Rc<[Line<'static>]> {
        let mut kept = self.kept.borrow_mut();
        if let Some(laid) = kept
            .as_ref()
            .filter(|l| l.width == width && l.theme == theme && same(&l.answer, answer))
        {
            return Rc::clone(&laid.lines);
        }
        self.layouts.set(self.layouts.get() + 1);
        let mut lines = match answer {
            Ok(text) => markdown::render_from(text, folder, width, &theme),
            // Said in place of the answer, as the answer would be.
            Err(damaged) => markdown::render(&damaged.markdown(), width, &theme),
        };
        let after = after();
        lines.extend(markdown::render_parts(&after.parts, after.kind, width, &theme));
        let lines: Rc<[Line<'static>]> = lines.into();
        *kept = Some(Laid {
            answer: answer.clone(),
            width,
            theme,
            lines: Rc::clone(&lines),
        });
        lines
    }

    /// How many times an answer was laid out since the app began (each one a cache miss).
    pub fn layouts(&self) -> usize {
        self.layouts.get()
    }
}

/// What follows the answer of the card up: its parts, and whether it is a question asked without an answer.
struct After<'a> {
    parts: Vec<&'a str>,
    kind: markdown::PartsOf,
}

/// An answer as the session fetched it: its text, or why it could not be read.
type Fetched = Result<std::sync::Arc<str>, crate::card::Damaged>;

/// Whether `a` and `b` were fetched together (the very text, or the same answer found damaged).
fn same(a: &Fetched, b: &Fetched) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => std::sync::Arc::ptr_eq(a, b),
        (Err(a), Err(b)) => a.is(b),
        _ => false,
    }
}

/// The body split for the answer screen: the question's lines, the rule, and the answer's area.
struct AnswerLayout {
    question: Vec<Line<'static>>,
    answer: Rc<[Line<'static>]>,
    question_area: Rect,
    rule_area: Rect,
    answer_area: Rect,
}

fn answer_layout(app: &App, body: Rect) -> AnswerLayout {
    let inner = body.inner(ratatui::layout::Margin::new(1, 0));
    let text_width = inner.width.saturating_sub(2); // room for the scroll bar, and a column before it
    let question = question_lines(app, text_width);
    let question_height = (question.len() as u16).min(body.height.saturating_sub(2) / 2).max(1);
    let [question_area, rule_area, answer_area] = Layout::vertical([
        Constraint::Length(question_height),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    let answer = app.session.answer().map_or_else(
        || Rc::from(Vec::new()),
        |answer| {
            // Pictures say where they are from the top of the notes.
            let folder = app.session.current().map_or("", |card| markdown::folder_of(&card.file));
            // What follows the answer is looked up only when the answer is laid out again, not on every frame.
            let after = || After {
                parts: app.session.parts(),
                kind: markdown::PartsOf::of(&app.session),
            };
            app.answer_cache
                .lines(answer, folder, after, text_width, palette(app).theme())
        },
    );
    AnswerLayout {
        question,
        answer,
        question_area,
        rule_area,
        answer_area,
    }
}

/// Rows the answer gets in a terminal `height` rows high (at least, before the question takes its share).
pub fn answer_height(height: u16) -> u16 {
    height.saturating_sub(HEADER + FOOTER + 2)
}

/// How far the answer can scroll at the app's terminal size.
pub fn max_scroll(app: &App) -> u16 {
    if app.screen() != Screen::Answer {
        return 0;
    }
    let (width, height) = app.size;
    let banner = u16::from(app.banner && !app.warnings.is_empty());
    let mut body = Rect::new(0, 0, width, height.saturating_sub(HEADER + FOOTER + banner));
    if app.written.is_some() {
        body = write::split(body)[0];
    }
    let layout = answer_layout(app, body);
    (layout.answer.len() as u16).saturating_sub(layout.answer_area.height)
}

fn render_answer(app: &App, p: &Palette, area: Rect, buf: &mut Buffer) {
    let layout = answer_layout(app, area);
    Paragraph::new(layout.question).render(layout.question_area, buf);
    let rule = "─".repeat(layout.rule_area.width as usize);
    Paragraph::new(Span::styled(rule, Style::new().add_modifier(Modifier::DIM))).render(layout.rule_area, buf);
    let total = layout.answer.len() as u16;
    let visible = layout.answer_area.height;
    let scroll = app.scroll.min(total.saturating_sub(visible));
    // Only the rows in view, borrowing the kept text: a frame copies no string of the answer.
    let shown = &layout.answer[usize::from(scroll)..usize::from(total.min(scroll.saturating_add(visible)))];
    Paragraph::new(shown.iter().map(borrowed).collect::<Vec<_>>()).render(layout.answer_area, buf);
    if total > visible {
        let mut state = ScrollbarState::new(usize::from(total - visible)).position(usize::from(scroll));
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .thumb_style(p.fg(Color::Cyan))
            .begin_symbol(None)
            .end_symbol(None);
        ratatui::widgets::StatefulWidget::render(bar, layout.answer_area, buf, &mut state);
    }
}

/// `line` with its spans borrowing its text.
fn borrowed<'a>(line: &'a Line<'static>) -> Line<'a> {
    Line {
        style: line.style,
        alignment: line.alignment,
        spans: line
            .spans
            .iter()
            .map(|span| Span::styled(span.content.as_ref(), span.style))
            .collect(),
    }
}

fn centred(lines: Vec<Line<'static>>, area: Rect, buf: &mut Buffer) {
    let height = (lines.len() as u16).min(area.height);
    let top = area.y + area.height.saturating_sub(height) / 2;
    Paragraph::new(lines)
        .alignment(Alignment::Center)
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(Rect::new(area.x, top, area.width, height), buf);
}

fn render_done(app: &App, area: Rect, buf: &mut Buffer) {
    let stats = app.session.stats();
    let secs = stats.ms / 1000;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::styled("Session done", bold),
        Line::raw(""),
        Line::raw(format!(
            "{} answered · {} again · {}:{:02}",
            stats.answered,
            stats.again,
            secs / 60,
            secs % 60
        )),
        Line::raw(retention_line(
            app.session.kind(),
            stats.retention_percent(),
            stats.reviews,
        )),
        Line::raw(""),
    ];
    lines.extend(app.session.what_is_left(app.now).into_iter().map(Line::raw));
    lines.extend(offer_lines(app));
    centred(lines, area, buf);
}

/// `retention 90% over 10 review answers`; in a cram, of its answers to cards in review (`cram answers`), which
/// leave the schedule alone unless `--reschedule`.
fn retention_line(kind: Kind, percent: Option<usize>, reviews: usize) -> String {
    let answers = match kind {
        Kind::Cram { .. } => "cram answers to cards in review",
        Kind::Drill => "review answers",
    };
    let plural = |n: usize| {
        if n == 1 {
            answers.replacen("answers", "answer", 1)
        } else {
            answers.to_owned()
        }
    };
    match percent {
        Some(percent) => format!("retention {percent}% over {reviews} {}", plural(reviews)),
        None => format!("retention: no {answers} yet"),
    }
}

fn render_nothing(app: &App, area: Rect, buf: &mut Buffer) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if matches!(app.session.kind(), Kind::Cram { .. }) {
        let lines = vec![
            Line::styled("Nothing to cram", bold),
            Line::raw(""),
            Line::raw("the notes hold no card"),
        ];
        centred(lines, area, buf);
        return;
    }
    let mut lines = vec![Line::styled("Nothing is due", bold), Line::raw("")];
    lines.extend(next_due_line(app).map(Line::raw));
    lines.push(Line::raw("amgi cram · every card, weakest first"));
    lines.push(Line::raw("amgi --new 40 · more new cards today"));
    lines.extend(offer_lines(app));
    centred(lines, area, buf);
}

/// `next card in 10m (2026-11-24 21:10)` on the nothing screen, when a card of the deck comes due later.
fn next_due_line(app: &App) -> Option<String> {
    let due = app.session.next_due(app.now)?;
    Some(format!("next card {}", crate::schedule::due_in(due, app.now)))
}

/// The final pass on offer before an interview, if any.
fn offer_lines(app: &App) -> Vec<Line<'static>> {
    let Some(order) = &app.offer else { return Vec::new() };
    let retention = (app.session.scheduler().retention() * 100.0).round();
    vec![
        Line::raw(""),
        Line::styled(
            format!(
                "f · final pass over {} cards under {retention}% before the interview",
                order.len()
            ),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Line::raw("(it does not move the schedule)"),
    ]
}

fn render_footer(app: &App, p: &Palette, area: Rect, buf: &mut Buffer) {
    let [gauge_area, keys_area] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let (done, planned) = app.session.work();
    let total = planned.max(1);
    let [gauge_area, timer_area] = gauge_and_timer(app, gauge_area);
    Gauge::default()
        .ratio(done as f64 / total as f64)
        .label(format!("{done}/{planned}"))
        .gauge_style(p.fg(Color::Cyan))
        .use_unicode(true)
        .render(gauge_area, buf);
    render_timer_in(app, p, timer_area, buf);

    let narrow = area.width < 56;
    // The grade bar's intervals are worked out on the answer screen only: the scheduler's sums are the dearest
    // part of the footer.
    let line = match app.screen() {
        Screen::Answer => {
            // The other keys stay within reach, as a short line after the grades when it fits.
            let mut bar = grade_bar(p, app.delays(), narrow);
            const MORE: &str = "   u undo · s skip · e edit · ? · q";
            const LESS: &str = "   u s e ? q";
            // After an answer written out for a question without one, `W` writes it into the notes.
            const W_MORE: &str = "   W write into notes · u s e ? q";
            const W_LESS: &str = "   W notes · u s e ? q";
            const W_LEAST: &str = "   W u s e ? q";
            let room = usize::from(area.width).saturating_sub(bar.width());
            let choices: &[&str] = if app.can_write_out() {
                &[W_MORE, W_LESS, W_LEAST]
            } else {
                &[MORE, LESS]
            };
            let more = choices.iter().copied().find(|m| m.width() <= room);
            if let Some(more) = more {
                bar.spans
                    .push(Span::styled(more, Style::new().add_modifier(Modifier::DIM)));
            }
            bar
        }
        Screen::Question if app.writing.is_some() => hints(&["Ctrl-S done", "Esc cancel"]),
        // The follow-ups offered after a Good answer stay on offer until the next step, the flash or not.
        Screen::Question if app.session.follow_ups_offered() > 0 => {
            let offer = format!("f 꼬리 질문 {}개", app.session.follow_ups_offered());
            hints(&["Space reveal", &offer, "u undo", "? help", "q quit"])
        }
        Screen::Question if narrow => hints(&["Space reveal", "u undo", "? help", "q quit"]),
        Screen::Question => hints(&["Space reveal", "u undo", "s skip", "e edit", "? help", "q quit"]),
        _ if app.offer.is_some() => hints(&["f final pass", "u undo", "? help", "q quit"]),
        _ => hints(&["u undo", "? help", "q quit"]),
    };
    let line = match app.write_out_question().as_ref().or(app.flash.as_ref()) {
        Some(flash) => Line::from(vec![Span::styled(
            flash.clone(),
            Style::new().add_modifier(Modifier::REVERSED),
        )]),
        None => line,
    };
    Paragraph::new(line).render(keys_area, buf);
}

/// The footer's first row split between the gauge and the timer (as wide as the timer's text, and a column).
fn gauge_and_timer(app: &App, row: Rect) -> [Rect; 2] {
    let width = (timer_text(timer(app)).width() as u16 + 1).min(row.width);
    let gauge = Rect {
        width: row.width - width,
        ..row
    };
    [
        gauge,
        Rect {
            x: gauge.right(),
            width,
            ..row
        },
    ]
}

/// `  7s`, or nothing without a timer.
fn timer_text(timer: Option<Timer>) -> String {
    timer.map_or_else(String::new, |t| format!("{:>3}s", t.seconds))
}

fn render_timer_in(app: &App, p: &Palette, area: Rect, buf: &mut Buffer) {
    let shown = timer(app);
    let style = if shown.is_some_and(|t| t.late) {
        p.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    Paragraph::new(Span::styled(timer_text(shown), style))
        .alignment(Alignment::Right)
        .render(area, buf);
}

/// Draws the timer alone into `area` of `buf`, as [`render`] draws it there when `area` is the [`timer_area`].
pub fn render_timer(app: &App, area: Rect, buf: &mut Buffer) {
    render_timer_in(app, &palette(app), area, buf);
}

/// Where the timer is in a screen of `area`, when it shows one and the help overlay does not cover it. Its cells
/// change every second while nothing else does, so the event loop can draw them apart from the frame
/// ([`render_timer`]) and write a few cells a second instead of a frame.
pub fn timer_area(app: &App, area: Rect) -> Option<Rect> {
    if !fits((area.width, area.height)) {
        return None;
    }
    timer(app)?;
    let [.., footer] = rows(app, area);
    let [.., timer_area] = gauge_and_timer(app, Rect { height: 1, ..footer });
    let covered = app.help && help_area(app, area).intersects(timer_area);
    (!covered).then_some(timer_area)
}

fn hints(keys: &[&str]) -> Line<'static> {
    let dim = Style::new().add_modifier(Modifier::DIM);
    Line::from(
        keys.iter()
            .map(|k| Span::styled(format!("{k}  "), dim))
            .collect::<Vec<_>>(),
    )
}

/// `1 Again 1m │ 2 Hard 6m │ 3 Good 10m │ 4 Easy 3d`, each grade in its colour; `1A 1m │ 2H 6m │ …` when
/// `narrow`.
fn grade_bar(p: &Palette, delays: Option<[Delay; 4]>, narrow: bool) -> Line<'static> {
    let names = if narrow {
        ["A", "H", "G", "E"]
    } else {
        ["Again", "Hard", "Good", "Easy"]
    };
    let gap = if narrow { "" } else { " " };
    let mut spans = Vec::new();
    for (i, grade) in Grade::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", Style::new().add_modifier(Modifier::DIM)));
        }
        let delay = delays.map(|d| format!(" {}", d[i])).unwrap_or_default();
        spans.push(Span::styled(
            format!("{}{gap}{}{delay}", grade.number(), names[i]),
            p.grade(grade),
        ));
    }
    Line::from(spans)
}

fn render_help(app: &App, area: Rect, buf: &mut Buffer) {
    let popup = help_area(app, area);
    Clear.render(popup, buf);
    // A wide character (Hangul) just left of the overlay would cover its border on the terminal, which draws the
    // character over both its columns: it goes too.
    if popup.x > area.x {
        for y in popup.top()..popup.bottom() {
            let cell = &mut buf[(popup.x - 1, y)];
            if cell.symbol().width() > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    Paragraph::new(help_lines(app))
        .wrap(ratatui::widgets::Wrap { trim: false })
        .block(Block::default().borders(Borders::ALL).title(" keys "))
        .render(popup, buf);
}

/// Where the help overlay goes in a screen of `area`: centred, at most 60 columns wide.
fn help_area(app: &App, area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).min(60);
    let height = (help_lines(app).len() as u16 + 2).min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn help_lines(app: &App) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = [
        "Space/Enter  show the answer; then Good",
        "1 2 3 4      Again · Hard · Good · Easy",
        "u            undo the last answer",
        "s            skip this card",
        "!            suspend this card (amgi release)",
        "e            edit this card in $EDITOR",
        "w            write the answer out first",
        "W            then put it in the notes (no answer yet)",
        "f            follow-ups offered · final pass",
        "j k ↑ ↓      scroll · PgUp PgDn Home End",
        "q Esc        quit (every answer is saved)",
        "? Esc        close this help",
        "",
        "With a Korean input method on, ㅂ is q, ㅕ is u, ㄴ is s.",
    ]
    .into_iter()
    .map(Line::raw)
    .collect();
    if !app.warnings.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(app.warnings.iter().map(|w| Line::raw(format!("⚠ {w}"))));
    }
    lines
}

/// The timer at the foot of a card: seconds since the question appeared, late past the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Timer {
    seconds: u64,
    late: bool,
}

/// The timer when the screen shows one: on a question or an answer (the help overlay leaves it in view).
fn timer(app: &App) -> Option<Timer> {
    matches!(app.screen(), Screen::Question | Screen::Answer).then(|| {
        let seconds = app.elapsed_seconds();
        Timer {
            seconds,
            late: seconds > app.target_seconds,
        }
    })
}

/// What the screen shows that moves with the clock alone, as it would be drawn now: the timer on a card, the
/// grade bar's intervals on an answer, the lines that count down to the next due card on the done and nothing
/// screens. Two equal faces draw the same, so the clock moving on needs no frame while the face stays as it is.
#[derive(Debug, PartialEq, Eq)]
pub struct ClockFace {
    timer: Option<Timer>,
    /// The rest, as text.
    others: Vec<String>,
}

impl ClockFace {
    /// What must be drawn again when the screen showed `self` and would show `now`.
    pub fn redraw(&self, now: &ClockFace) -> Redraw {
        if self.others != now.others {
            Redraw::Frame
        } else if self.timer != now.timer {
            Redraw::Timer
        } else {
            Redraw::Nothing
        }
    }
}

/// The [`ClockFace`] of `app` at its terminal size.
pub fn clock_face(app: &App) -> ClockFace {
    let mut face = ClockFace {
        timer: None,
        others: Vec::new(),
    };
    if !fits(app.size) {
        return face;
    }
    face.timer = timer(app);
    match app.screen() {
        Screen::Question => {}
        Screen::Answer => face
            .others
            .extend(app.delays().into_iter().flatten().map(|d| d.to_string())),
        Screen::Done => face.others = app.session.what_is_left(app.now),
        Screen::Nothing if matches!(app.session.kind(), Kind::Cram { .. }) => {}
        Screen::Nothing => face.others.extend(next_due_line(app)),
    }
    face
}

/// When the [`ClockFace`] of `app` changes next if no key is pressed: the timer's next second on a card; on the
/// done and nothing screens the moment the wait to the next due card reads otherwise, or that card comes due.
/// `None` when nothing on the screen moves with the clock (no card due later, a cram's end, a terminal too
/// small), so the quiz need not wake at all. The moment is never before the change, so a wake-up then finds it.
pub fn next_change(app: &App) -> Option<Moment> {
    if !fits(app.size) {
        return None;
    }
    match app.screen() {
        Screen::Question | Screen::Answer => {
            let next = i64::try_from(app.elapsed_seconds()).unwrap_or(i64::MAX - 1) + 1;
            Some(app.shown_at.plus(SignedDuration::from_secs(next)))
        }
        Screen::Nothing if matches!(app.session.kind(), Kind::Cram { .. }) => None,
        Screen::Done | Screen::Nothing => {
            let due = app.session.next_due(app.now)?;
            Some(countdown_changes(due, app.now))
        }
    }
}

/// The first moment after `now` at which the wait until `due` reads otherwise than at `now` (`in 10m` becoming
/// `in 9m`), or `due` itself when it reads the same until then. The wording depends on the whole seconds left
/// and only ever shortens with them, so each wording holds over one stretch of seconds: halving finds where
/// the one shown now ends, whatever the rounding of [`crate::schedule::due_in`]. At most a second late, never
/// early.
pub fn countdown_changes(due: Moment, now: Moment) -> Moment {
    let reads = |left: i64| crate::schedule::due_in(due, due.plus(SignedDuration::from_secs(-left)));
    let shown = crate::schedule::due_in(due, now);
    // `hi` seconds left read as shown, `lo` seconds left do not.
    let mut hi = due.timestamp().duration_since(now.timestamp()).as_secs();
    let mut lo = 0;
    if hi <= 0 || reads(lo) == shown {
        return due;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reads(mid) == shown {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    due.plus(SignedDuration::from_secs(-lo))
}

/// Whether a terminal of `size` gets the layout (else [`too_small`] says so).
fn fits((width, height): (u16, u16)) -> bool {
    width >= MIN_SIZE.0 && height >= MIN_SIZE.1
}

/// A card's context path (topic, then headings) in `width` columns: whole when it fits, else its nearest headings
/// kept after a `… › ` (the heading just above the question matters most), the last one cut with `…` if even it
/// alone is too wide.
fn fit_path(parts: &[String], width: usize) -> String {
    const SEPARATOR: &str = " › ";
    let whole = parts.join(SEPARATOR);
    if whole.width() <= width {
        return whole;
    }
    let mut kept = String::new();
    for part in parts.iter().rev() {
        let longer = if kept.is_empty() {
            part.clone()
        } else {
            format!("{part}{SEPARATOR}{kept}")
        };
        if format!("…{SEPARATOR}{longer}").width() > width {
            break;
        }
        kept = longer;
    }
    if kept.is_empty() {
        return fit(
            &format!("…{SEPARATOR}{}", parts.last().map_or("", String::as_str)),
            width,
        );
    }
    format!("…{SEPARATOR}{kept}")
}

/// `text` cut to `width` columns with `…` when longer.
pub(super) fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_too_wide_keeps_its_nearest_headings() {
        let parts: Vec<String> = ["네트워크", "전송 계층", "TCP와 UDP", "3-way handshake"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            fit_path(&parts, 80),
            "네트워크 › 전송 계층 › TCP와 UDP › 3-way handshake"
        );
        // Too wide: the headings nearest the question stay, the topic goes first.
        assert_eq!(fit_path(&parts, 50).width(), 50, "it fits whole");
        let cut = fit_path(&parts, 49);
        assert_eq!(cut, "… › 전송 계층 › TCP와 UDP › 3-way handshake");
        assert_eq!(cut.width(), 43, "Hangul is two columns wide");
        assert_eq!(fit_path(&parts, 40), "… › TCP와 UDP › 3-way handshake");
        // Not even the nearest fits whole: it is cut, never the line wider than the screen.
        let narrow = fit_path(&parts, 12);
        assert!(
            narrow.starts_with("… › 3-way") && narrow.ends_with('…') && narrow.width() <= 12,
            "{narrow}"
        );
    }
}
