//! `amgi stats` full screen: the figures as a calendar grid, a sparkline, a bar chart and tables, scrolled with
//! the keys.
//!
//! [`StatsScreen::update`] takes [`Action`]s; drawing is a pure function of the screen. The sections are drawn
//! one under the other (the calendar and the 30-day figures side by side when there is room) on a canvas as tall
//! as they need, and the rows in view are copied to the terminal.

use super::action::{self, Action};
use super::view::{Palette, fit, too_small};
use crate::stats::print::{self, CALENDAR_MARGIN, SHADES, WEEKDAYS};
use crate::stats::{CardRow, FORECAST_DAYS, RECENT_DAYS, Stats};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::Event;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Cell, Paragraph, Row, Sparkline, Table, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

/// The stats screen: the figures plus what only the screen needs.
pub struct StatsScreen {
    /// The figures shown.
    pub stats: Stats,
    /// Rows scrolled down.
    pub scroll: u16,
    /// The terminal size, for scrolling limits.
    pub size: (u16, u16),
    /// Whether to use colour (off under `NO_COLOR`).
    pub color: bool,
    /// Set when the user quit.
    pub quit: bool,
}

/// The calendar and the 30-day figures sit side by side from this width on.
const SIDE_BY_SIDE: u16 = 92;
/// Rows above the scrolled body (the title) and below it (the keys).
const HEADER: u16 = 1;
const FOOTER: u16 = 1;

impl StatsScreen {
    /// A screen showing `stats` from the top.
    pub fn new(stats: Stats) -> Self {
        StatsScreen {
            stats,
            scroll: 0,
            size: (80, 24),
            color: true,
            quit: false,
        }
    }

    /// Applies `action`: quit or scroll; anything else does nothing.
    pub fn update(&mut self, action: Action) {
        let page = i32::from(self.body_height().saturating_sub(1).max(1));
        let by = match action {
            Action::Quit | Action::Back => {
                self.quit = true;
                return;
            }
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Top => i32::MIN / 2,
            Action::Bottom => i32::MAX / 2,
            _ => return,
        };
        let max = i32::from(self.max_scroll());
        self.scroll = (i32::from(self.scroll) + by).clamp(0, max) as u16;
    }

    /// Rows of the scrolled body at the screen's size.
    fn body_height(&self) -> u16 {
        self.size.1.saturating_sub(HEADER + FOOTER)
    }

    /// How far the body can scroll at the screen's size.
    pub fn max_scroll(&self) -> u16 {
        content_height(self, self.size.0).saturating_sub(self.body_height())
    }

    fn palette(&self) -> Palette {
        Palette { color: self.color }
    }
}

impl Palette {
    /// Dark grey for no answers, then four greens, darkest to brightest (xterm's 256 colours).
    fn shade(&self, level: u8) -> Style {
        const GREENS: [Color; 5] = [
            Color::DarkGray,
            Color::Indexed(22),
            Color::Indexed(28),
            Color::Indexed(34),
            Color::Indexed(40),
        ];
        self.fg(GREENS[usize::from(level).min(GREENS.len() - 1)])
    }
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

/// A bordered block titled `title`.
fn block(title: String) -> Block<'static> {
    Block::bordered().title(Span::styled(format!(" {title} "), bold()))
}

impl Widget for &StatsScreen {
    fn render(self, area: Rect, buf: &mut Buffer) {
        render(self, area, buf);
    }
}

/// Draws the whole screen.
pub fn render(screen: &StatsScreen, area: Rect, buf: &mut Buffer) {
    if too_small(area, buf) {
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(HEADER),
        Constraint::Min(1),
        Constraint::Length(FOOTER),
    ])
    .areas(area);
    let stats = &screen.stats;
    let mut title = format!(
        "amgi stats · {} · {}, {} seen{}",
        stats.today,
        print::cards_text(stats),
        stats.seen,
        print::suspended_text(stats)
    );
    if let Some(note) = stats.interview_note() {
        title = format!("{title} · {note}");
    }
    if title.width() > header.width as usize {
        title = format!(
            "amgi stats · {} · {}/{} seen{}",
            stats.today,
            stats.seen,
            stats.cards,
            print::suspended_text(stats)
        );
    }
    Paragraph::new(Span::styled(fit(&title, header.width.into()), bold())).render(header, buf);

    let height = content_height(screen, area.width);
    let mut canvas = Buffer::empty(Rect::new(0, 0, body.width, height));
    render_content(screen, canvas.area, &mut canvas);
    let max = height.saturating_sub(body.height);
    let scroll = screen.scroll.min(max);
    for y in 0..body.height.min(height - scroll) {
        for x in 0..body.width {
            buf[(body.x + x, body.y + y)] = canvas[(x, y + scroll)].clone();
        }
    }

    let keys = if max > 0 {
        "j k ↑ ↓ PgUp PgDn scroll  q quit"
    } else {
        "q quit"
    };
    Paragraph::new(Span::styled(keys, dim())).render(footer, buf);
    if max > 0 {
        let position = format!("{}%", u32::from(scroll) * 100 / u32::from(max));
        Paragraph::new(Span::styled(position, dim()))
            .alignment(Alignment::Right)
            .render(footer, buf);
    }
}

/// One part of the body.
#[derive(Clone, Copy)]
enum Section {
    /// The calendar and the 30-day figures side by side.
    CalendarAndRecent,
    Calendar,
    Recent,
    Forecast,
    Topics,
    Weakest,
    Leeches,
}

/// The body's sections for a terminal `width` columns wide, with their heights.
fn sections(screen: &StatsScreen, width: u16) -> Vec<(Section, u16)> {
    let stats = &screen.stats;
    let list = |rows: usize| u16::try_from(rows.max(1)).unwrap_or(u16::MAX).saturating_add(2);
    let mut sections = if width >= SIDE_BY_SIDE {
        vec![(Section::CalendarAndRecent, CALENDAR_HEIGHT)]
    } else {
        vec![(Section::Calendar, CALENDAR_HEIGHT), (Section::Recent, RECENT_HEIGHT)]
    };
    sections.extend([
        (Section::Forecast, FORECAST_HEIGHT),
        (Section::Topics, list(stats.topics.len() + 1)),
        (Section::Weakest, list(stats.weakest.len())),
        (Section::Leeches, list(stats.leeches.len())),
    ]);
    sections
}

/// Rows the calendar takes: borders, month names, seven weekdays, the legend.
const CALENDAR_HEIGHT: u16 = 11;
/// Rows the 30-day figures take on their own: borders, four lines, the sparkline.
const RECENT_HEIGHT: u16 = 9;
/// Rows the forecast takes: borders and the chart.
const FORECAST_HEIGHT: u16 = 10;

/// The height of the whole body at `width`.
fn content_height(screen: &StatsScreen, width: u16) -> u16 {
    sections(screen, width)
        .iter()
        .fold(0, |sum, &(_, h)| sum.saturating_add(h))
}

fn render_content(screen: &StatsScreen, area: Rect, buf: &mut Buffer) {
    let sections = sections(screen, area.width);
    let areas = Layout::vertical(sections.iter().map(|&(_, h)| Constraint::Length(h))).split(area);
    let p = screen.palette();
    for (&(section, _), &part) in sections.iter().zip(areas.iter()) {
        match section {
            Section::CalendarAndRecent => {
                let calendar_width = (CALENDAR_MARGIN + 2 * screen.stats.calendar.weeks().len() + 2) as u16;
                let [left, right] =
                    Layout::horizontal([Constraint::Length(calendar_width), Constraint::Min(1)]).areas(part);
                render_calendar(screen, &p, left, buf);
                render_recent(screen, &p, right, buf);
            }
            Section::Calendar => render_calendar(screen, &p, part, buf),
            Section::Recent => render_recent(screen, &p, part, buf),
            Section::Forecast => render_forecast(screen, &p, part, buf),
            Section::Topics => render_topics(screen, &p, part, buf),
            Section::Weakest => render_cards(
                &screen.stats.weakest,
                "Weakest cards · recall now".into(),
                "none seen yet",
                &p,
                part,
                buf,
            ),
            Section::Leeches => render_cards(
                &screen.stats.leeches,
                format!("Leeches · 8 or more lapses · {}", screen.stats.leeches.len()),
                "none",
                &p,
                part,
                buf,
            ),
        }
    }
}

/// The 26-week grid: a column per week, a row per weekday, each day shaded by its answers.
fn render_calendar(screen: &StatsScreen, p: &Palette, area: Rect, buf: &mut Buffer) {
    let calendar = &screen.stats.calendar;
    let totals = format!(
        "{} on {}",
        calendar.total(),
        print::count(calendar.active_days() as u64, "day")
    );
    let title = format!("Answers · last 26 weeks · {totals}");
    let outer = block(if title.width() + 4 <= area.width as usize {
        title
    } else {
        format!("26 weeks · {totals}")
    });
    let inner = outer.inner(area);
    outer.render(area, buf);
    let weeks = calendar.weeks();
    // Two columns a day (a shade and a gap) when there is room, else one.
    let cell = if CALENDAR_MARGIN + 2 * weeks.len() <= inner.width as usize {
        2
    } else {
        1
    };
    let mut lines = vec![Line::styled(print::month_labels(&weeks, cell), dim())];
    for (row, name) in WEEKDAYS.iter().enumerate() {
        let mut spans = vec![Span::styled(format!("{name} "), dim())];
        for week in &weeks {
            let text = match week[row] {
                Some((_, n)) => {
                    let level = calendar.level(n);
                    Span::styled(SHADES[usize::from(level)].to_string(), p.shade(level))
                }
                None => Span::raw(" "),
            };
            spans.push(text);
            if cell == 2 {
                spans.push(Span::raw(" "));
            }
        }
        lines.push(Line::from(spans));
    }
    let mut legend = vec![Span::raw(" ".repeat(CALENDAR_MARGIN))];
    legend.push(Span::styled(format!("{} none", SHADES[0]), p.shade(0)));
    for (level, range) in calendar.level_ranges() {
        if let Some((low, high)) = range {
            let count = if low == high {
                format!("{low}")
            } else {
                format!("{low}–{high}")
            };
            legend.push(Span::raw("  "));
            legend.push(Span::styled(SHADES[usize::from(level)].to_string(), p.shade(level)));
            legend.push(Span::raw(format!(" {count}")));
        }
    }
    lines.push(Line::from(legend));
    Paragraph::new(lines).render(inner, buf);
}

/// Streaks, retention and answers per day, with a sparkline of the last 30 days.
fn render_recent(screen: &StatsScreen, p: &Palette, area: Rect, buf: &mut Buffer) {
    let stats = &screen.stats;
    let outer = block(format!("Last {RECENT_DAYS} days"));
    let inner = outer.inner(area);
    outer.render(area, buf);
    let figure =
        |name: &str, value: String| Line::from(vec![Span::styled(format!("{name:<10}"), bold()), Span::raw(value)]);
    let streak = stats.streak;
    let days = |n: u32| print::count(n, "day");
    let today = match (streak.answered_today, streak.current) {
        (true, _) => "answered",
        (false, 0) => "no answers yet",
        (false, _) => "not yet · keep the streak",
    };
    let retention = stats.retention;
    let per_day = stats.activity.answers();
    let lines = vec![
        figure(
            "Streak",
            format!("{} · longest {}", days(streak.current), days(streak.longest)),
        ),
        figure("Today", today.into()),
        figure(
            "Retention",
            match retention.rate() {
                Some(rate) => format!(
                    "{} · {} of {} not Again",
                    print::percent(rate),
                    retention.recalled,
                    retention.reviews
                ),
                None => "no reviews yet".into(),
            },
        ),
        figure(
            "Per day",
            format!("{:.1} · {}", stats.activity.per_day(), print::count(per_day, "answer")),
        ),
    ];
    let [text, chart] = Layout::vertical([Constraint::Length(lines.len() as u16 + 1), Constraint::Min(0)]).areas(inner);
    Paragraph::new(lines).wrap(Wrap { trim: true }).render(text, buf);
    // The most recent days when the area is narrower than the 30 of them.
    let daily = &stats.activity.daily;
    let shown = &daily[daily.len().saturating_sub(chart.width as usize)..];
    Sparkline::default()
        .data(shown.iter().map(|&n| u64::from(n)))
        .style(p.fg(Color::Green))
        .render(chart, buf);
}

/// Cards coming due on each of the next 14 days, as bars labelled with the day of the month.
fn render_forecast(screen: &StatsScreen, p: &Palette, area: Rect, buf: &mut Buffer) {
    let forecast = &screen.stats.forecast;
    let total: u32 = forecast.iter().sum();
    let outer = block(format!("Due in the next {FORECAST_DAYS} days · {total}"));
    let inner = outer.inner(area);
    outer.render(area, buf);
    let days = forecast.len().max(1) as u16;
    // The widest bars that fit with a gap between them; touching bars two columns wide (room for the day) if
    // even one-column bars with gaps leave no room for the labels.
    let (width, gap) = (1..=5u16)
        .rev()
        .map(|w| (w, 1))
        .find(|&(w, gap)| w >= 2 && days * (w + gap) - gap <= inner.width)
        .unwrap_or(if days * 2 <= inner.width { (2, 0) } else { (1, 0) });
    let bars: Vec<Bar> = forecast
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let day = crate::stats::plus_days(screen.stats.today, i as i64);
            let style = if i == 0 { p.fg(Color::Yellow) } else { p.fg(Color::Cyan) };
            // Touching bars: every other day is labelled, so the labels do not run together.
            let label = if gap == 0 && i % 2 == 1 {
                String::new()
            } else {
                format!("{:>2}", day.day())
            };
            Bar::default()
                .value(u64::from(n))
                .label(Line::from(label))
                .style(style)
                .value_style(style.add_modifier(Modifier::REVERSED))
        })
        .collect();
    BarChart::default()
        .data(BarGroup::default().bars(&bars))
        .bar_width(width)
        .bar_gap(gap)
        .render(inner, buf);
}

/// One row per topic, weakest first. Narrow terminals get seen/cards, recall and leeches only.
fn render_topics(screen: &StatsScreen, p: &Palette, area: Rect, buf: &mut Buffer) {
    let stats = &screen.stats;
    let outer = block("Topics · weakest first".into());
    let inner = outer.inner(area);
    outer.render(area, buf);
    let narrow = inner.width < 60;
    let right = |text: String| Cell::from(Line::from(text).alignment(Alignment::Right));
    let leech_style = p.fg(Color::Red).add_modifier(Modifier::BOLD);
    let header: Vec<&str> = if narrow {
        vec!["topic", "seen", "recall", "leech"]
    } else {
        vec!["topic", "cards", "seen", "mature", "recall", "lapses", "leeches"]
    };
    let header = Row::new(
        header
            .into_iter()
            .enumerate()
            .map(|(i, h)| if i == 0 { Cell::from(h) } else { right(h.into()) }),
    )
    .style(bold());
    let rows = stats.topics.iter().map(|t| {
        let leeches = Cell::from(Line::from(t.leeches.to_string()).alignment(Alignment::Right))
            .style(if t.leeches > 0 { leech_style } else { Style::new() });
        let recall = right(print::recall(t.recall));
        let mut cells = vec![Cell::from(super::markdown::sanitize(&t.topic).into_owned())];
        if narrow {
            cells.extend([right(format!("{}/{}", t.seen, t.cards)), recall, leeches]);
        } else {
            cells.extend([
                right(t.cards.to_string()),
                right(t.seen.to_string()),
                right(t.mature.to_string()),
                recall,
                right(t.lapses.to_string()),
                leeches,
            ]);
        }
        Row::new(cells)
    });
    let widths: Vec<Constraint> = if narrow {
        vec![
            Constraint::Fill(1),
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Length(5),
        ]
    } else {
        let topic = stats
            .topics
            .iter()
            .map(|t| super::markdown::sanitize(&t.topic).width())
            .max()
            .unwrap_or(5)
            .max(5);
        vec![
            Constraint::Length(topic as u16),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(7),
        ]
    };
    Table::new(rows, widths)
        .header(header)
        .column_spacing(2)
        .render(inner, buf);
}

/// A list of cards: recall now, lapses, a leech flag, and where the card is.
fn render_cards(rows: &[CardRow], title: String, empty: &str, p: &Palette, area: Rect, buf: &mut Buffer) {
    let outer = block(title);
    let inner = outer.inner(area);
    outer.render(area, buf);
    if rows.is_empty() {
        Paragraph::new(Span::styled(empty.to_owned(), dim())).render(inner, buf);
        return;
    }
    let leech_style = p.fg(Color::Red).add_modifier(Modifier::BOLD);
    let lines: Vec<Line> = rows
        .iter()
        .map(|row| {
            let recall = format!("{:>4}", print::recall(row.recall));
            let lapses = format!("{:>3}×", row.lapses);
            let flag = if row.is_leech() {
                Span::styled("leech ", leech_style)
            } else {
                Span::raw("")
            };
            let used = recall.width() + lapses.width() + flag.width() + 4;
            let path = fit(
                &super::markdown::sanitize(&print::card_path(row)),
                (inner.width as usize).saturating_sub(used),
            );
            Line::from(vec![
                Span::styled(recall, bold()),
                Span::raw("  "),
                Span::styled(lapses, dim()),
                Span::raw("  "),
                flag,
                Span::raw(path),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// Shows `stats` full screen until the user quits or a signal ends it.
pub fn run(stats: Stats) -> anyhow::Result<()> {
    let (rx, _reader) = super::events()?;
    let mut screen = StatsScreen::new(stats);
    screen.color = super::use_color();
    let mut terminal = super::take_terminal()?;
    let result = (|| -> anyhow::Result<()> {
        loop {
            let size = terminal.size()?;
            screen.size = (size.width, size.height);
            terminal.draw(|frame| frame.render_widget(&screen, frame.area()))?;
            if screen.quit {
                return Ok(());
            }
            match rx.recv() {
                Ok(super::Input::Terminal(Event::Key(key))) => {
                    if let Some(action) = action::action(key) {
                        screen.update(action);
                    }
                }
                Ok(super::Input::Terminal(_)) => {}
                Ok(super::Input::Stop) | Err(_) => return Ok(()),
            }
        }
    })();
    super::give_back_terminal();
    result
}

#[cfg(test)]
mod tests;
