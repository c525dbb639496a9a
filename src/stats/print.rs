//! The figures as plain text and as JSON, and the pieces of text the full screen shares with them.
//!
//! Pure: they write to any [`Write`]; widths are terminal columns.

use super::{CardRow, LEVELS, RECENT_DAYS, Stats};
use crate::{pad, round4};
use jiff::civil::Date;
use serde::Serialize;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// The character of each calendar shade, none first.
pub const SHADES: [char; LEVELS as usize + 1] = ['·', '░', '▒', '▓', '█'];

/// The calendar's row labels, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Columns before the calendar's first week: a weekday label and a space.
pub const CALENDAR_MARGIN: usize = 4;

/// `0.8123` as `81%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A recall probability as a percentage, `–` when there is none.
pub fn recall(recall: Option<f64>) -> String {
    recall.map_or_else(|| "–".into(), percent)
}

/// `topic › heading › question`.
pub fn card_path(row: &CardRow) -> String {
    let mut parts = vec![row.topic.as_str()];
    parts.extend(row.path.iter().map(String::as_str));
    parts.push(&row.question);
    parts.join(" › ")
}

/// `Fri 11-20`.
pub fn short_day(day: Date) -> String {
    let weekday = WEEKDAYS[usize::from(day.weekday().to_monday_zero_offset().unsigned_abs())];
    format!("{weekday} {:02}-{:02}", day.month(), day.day())
}

/// The month names above the calendar's week columns, each over the week holding the month's first day (left
/// out where it would run into the one before). `cell` is the columns a week takes; the margin is included.
pub fn month_labels(weeks: &[[Option<(Date, u32)>; 7]], cell: usize) -> String {
    let mut line = " ".repeat(CALENDAR_MARGIN);
    let mut end: Option<usize> = None;
    for (i, week) in weeks.iter().enumerate() {
        let Some((day, _)) = week.iter().flatten().find(|(day, _)| day.day() == 1) else {
            continue;
        };
        let column = CALENDAR_MARGIN + i * cell;
        // At least one space after the name before.
        if end.is_none_or(|end| column > end) {
            line.push_str(&" ".repeat(column - line.width()));
            line.push_str(MONTHS[usize::from(day.month().unsigned_abs()) - 1]);
            end = Some(line.width());
        }
    }
    line.trim_end().to_owned()
}

/// `· none  ░ 1–2  ▒ 3–4  ▓ 5–6  █ 7–8`: what each shade stands for (shades no count falls in are left out).
pub fn shade_legend(stats: &Stats) -> String {
    let mut parts = vec![format!("{} none", SHADES[0])];
    for (level, range) in stats.calendar.level_ranges() {
        if let Some((low, high)) = range {
            let shade = SHADES[usize::from(level)];
            parts.push(if low == high {
                format!("{shade} {low}")
            } else {
                format!("{shade} {low}–{high}")
            });
        }
    }
    parts.join("  ")
}

/// `1 day`, `3 days`: `n` and `noun`, plural unless `n` is 1.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    match n.into() {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// `, 2 suspended` when any card is, else nothing: what the header adds after the cards seen.
/// `6 cards` or, with questions asked without a written answer among them, `4 cards, 2 questions`.
pub fn cards_text(stats: &Stats) -> String {
    match stats.questions {
        0 => count(stats.cards as u64, "card"),
        n => format!(
            "{}, {}",
            count((stats.cards - n) as u64, "card"),
            count(n as u64, "question")
        ),
    }
}

pub fn suspended_text(stats: &Stats) -> String {
    match stats.suspended {
        0 => String::new(),
        n => format!(", {n} suspended"),
    }
}

/// `3 days (longest 5 days) · answered today`.
pub fn streak_text(stats: &Stats) -> String {
    let streak = stats.streak;
    let days = |n: u32| count(n, "day");
    let today = if streak.answered_today {
        "answered today"
    } else if streak.current > 0 {
        "not yet today"
    } else {
        "none today"
    };
    format!("{} (longest {}) · {today}", days(streak.current), days(streak.longest))
}

/// `71% (5 of 7 reviews not Again)`, or `no reviews yet`.
pub fn retention_text(stats: &Stats) -> String {
    let r = stats.retention;
    match r.rate() {
        Some(rate) => format!("{} ({} of {} reviews not Again)", percent(rate), r.recalled, r.reviews),
        None => "no reviews yet".into(),
    }
}

/// `1.5 (44 answers)`.
pub fn per_day_text(stats: &Stats) -> String {
    let answers = count(stats.activity.answers(), "answer");
    format!("{:.1} ({answers})", stats.activity.per_day())
}

/// `values` as a line of block characters scaled to the largest, `·` for none.
fn sparkline(values: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = u64::from(values.iter().copied().max().unwrap_or(0));
    values
        .iter()
        .map(|&v| match v {
            0 => '·',
            v => BARS[((u64::from(v) * 8).div_ceil(max.max(1)) as usize).clamp(1, 8) - 1],
        })
        .collect()
}

/// The figures as text, about 80 columns wide.
pub fn write_plain(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    write!(
        out,
        "amgi stats · {} · {}, {} seen{}",
        stats.today,
        cards_text(stats),
        stats.seen,
        suspended_text(stats)
    )?;
    match stats.interview_note() {
        Some(note) => writeln!(out, " · {note}")?,
        None => writeln!(out)?,
    }

    let calendar = &stats.calendar;
    writeln!(out)?;
    writeln!(
        out,
        "Answers, last 26 weeks ({} to {}): {} on {}, busiest {}",
        calendar.first,
        calendar.last(),
        calendar.total(),
        count(calendar.active_days() as u64, "day"),
        calendar.busiest()
    )?;
    let weeks = calendar.weeks();
    writeln!(out, "{}", month_labels(&weeks, 2))?;
    for (row, name) in WEEKDAYS.iter().enumerate() {
        let cells: String = weeks
            .iter()
            .map(|week| match week[row] {
                Some((_, n)) => format!("{} ", SHADES[usize::from(calendar.level(n))]),
                None => "  ".into(),
            })
            .collect();
        writeln!(out, "{name} {}", cells.trim_end())?;
    }
    writeln!(out, "{}{}", " ".repeat(CALENDAR_MARGIN), shade_legend(stats))?;

    writeln!(out)?;
    writeln!(out, "Streak: {}", streak_text(stats))?;
    writeln!(out, "Retention, last {RECENT_DAYS} days: {}", retention_text(stats))?;
    writeln!(out, "Answers per day, last {RECENT_DAYS} days: {}", per_day_text(stats))?;
    writeln!(out, "  {}", sparkline(&stats.activity.daily))?;

    writeln!(out)?;
    writeln!(out, "Topics, weakest first")?;
    let width = stats
        .topics
        .iter()
        .map(|t| t.topic.width())
        .chain(["topic".width()])
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "{}  cards  seen  mature  recall  lapses  leeches",
        pad("topic", width)
    )?;
    for t in &stats.topics {
        writeln!(
            out,
            "{}  {:>5}  {:>4}  {:>6}  {:>6}  {:>6}  {:>7}",
            pad(&t.topic, width),
            t.cards,
            t.seen,
            t.mature,
            recall(t.recall),
            t.lapses,
            t.leeches
        )?;
    }

    writeln!(out)?;
    if stats.weakest.is_empty() {
        writeln!(out, "Weakest cards: none seen yet")?;
    } else {
        writeln!(out, "Weakest cards, by recall now")?;
        writeln!(out, "recall  lapses  card")?;
        for row in &stats.weakest {
            write_card(out, row)?;
        }
    }

    writeln!(out)?;
    if stats.leeches.is_empty() {
        writeln!(out, "Leeches (8 or more lapses): none")?;
    } else {
        writeln!(out, "Leeches (8 or more lapses): {}", stats.leeches.len())?;
        writeln!(out, "recall  lapses  card")?;
        for row in &stats.leeches {
            write_card(out, row)?;
        }
    }

    writeln!(out)?;
    let due: u32 = stats.forecast.iter().sum();
    writeln!(out, "Due in the next {} days: {due}", stats.forecast.len())?;
    let busiest = stats.forecast.iter().copied().max().unwrap_or(0);
    for (i, &n) in stats.forecast.iter().enumerate() {
        let day = super::plus_days(stats.today, i as i64);
        let bar = "█".repeat((u64::from(n) * 40).div_ceil(u64::from(busiest.max(1))) as usize);
        let line = format!("{}  {n:>4}  {bar}", short_day(day));
        writeln!(out, "{}", line.trim_end())?;
    }
    if let Some(dir) = &stats.progress_dir {
        writeln!(out)?;
        writeln!(out, "Progress kept in {dir}")?;
    }
    Ok(())
}

/// `   81%       9  leech  network › TCP`.
fn write_card(out: &mut impl Write, row: &CardRow) -> io::Result<()> {
    let leech = if row.is_leech() { "leech  " } else { "" };
    writeln!(
        out,
        "{:>6}  {:>6}  {leech}{}",
        recall(row.recall),
        row.lapses,
        card_path(row)
    )
}

#[derive(Serialize)]
struct Json<'a> {
    today: String,
    cards: usize,
    seen: usize,
    suspended: usize,
    calendar: JsonCalendar<'a>,
    streak: JsonStreak,
    retention: JsonRetention,
    activity: JsonActivity<'a>,
    topics: Vec<JsonTopic<'a>>,
    weakest: Vec<JsonCard<'a>>,
    leeches: Vec<JsonCard<'a>>,
    forecast: Vec<JsonDue>,
    interview: Option<String>,
    progress_dir: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonCalendar<'a> {
    from: String,
    to: String,
    answers: &'a [u32],
    total: u32,
    active_days: usize,
    busiest: u32,
}

#[derive(Serialize)]
struct JsonStreak {
    current: u32,
    longest: u32,
    answered_today: bool,
}

#[derive(Serialize)]
struct JsonRetention {
    days: usize,
    reviews: u32,
    recalled: u32,
    rate: Option<f64>,
}

#[derive(Serialize)]
struct JsonActivity<'a> {
    days: usize,
    answers: u32,
    per_day: f64,
    daily: &'a [u32],
}

#[derive(Serialize)]
struct JsonTopic<'a> {
    topic: &'a str,
    cards: usize,
    seen: usize,
    mature: usize,
    recall: Option<f64>,
    lapses: u32,
    leeches: usize,
}

#[derive(Serialize)]
struct JsonCard<'a> {
    id: &'a str,
    topic: &'a str,
    path: &'a [String],
    question: &'a str,
    recall: Option<f64>,
    lapses: u32,
    leech: bool,
}

#[derive(Serialize)]
struct JsonDue {
    day: String,
    due: u32,
}

fn json_card(row: &CardRow) -> JsonCard<'_> {
    JsonCard {
        id: row.id.as_str(),
        topic: &row.topic,
        path: &row.path,
        question: &row.question,
        recall: row.recall.map(round4),
        lapses: row.lapses,
        leech: row.is_leech(),
    }
}

/// The figures as one JSON object on one line (the fields are listed in the README).
pub fn write_json(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    let calendar = &stats.calendar;
    let json = Json {
        today: stats.today.to_string(),
        cards: stats.cards,
        seen: stats.seen,
        suspended: stats.suspended,
        calendar: JsonCalendar {
            from: calendar.first.to_string(),
            to: calendar.last().to_string(),
            answers: &calendar.answers,
            total: calendar.total(),
            active_days: calendar.active_days(),
            busiest: calendar.busiest(),
        },
        streak: JsonStreak {
            current: stats.streak.current,
            longest: stats.streak.longest,
            answered_today: stats.streak.answered_today,
        },
        retention: JsonRetention {
            days: RECENT_DAYS,
            reviews: stats.retention.reviews,
            recalled: stats.retention.recalled,
            rate: stats.retention.rate().map(round4),
        },
        activity: JsonActivity {
            days: stats.activity.daily.len(),
            answers: stats.activity.answers(),
            per_day: round4(stats.activity.per_day()),
            daily: &stats.activity.daily,
        },
        topics: stats
            .topics
            .iter()
            .map(|t| JsonTopic {
                topic: &t.topic,
                cards: t.cards,
                seen: t.seen,
                mature: t.mature,
                recall: t.recall.map(round4),
                lapses: t.lapses,
                leeches: t.leeches,
            })
            .collect(),
        weakest: stats.weakest.iter().map(json_card).collect(),
        leeches: stats.leeches.iter().map(json_card).collect(),
        forecast: stats
            .forecast
            .iter()
            .enumerate()
            .map(|(i, &due)| JsonDue {
                day: super::plus_days(stats.today, i as i64).to_string(),
                due,
            })
            .collect(),
        interview: stats.interview.map(|day| day.to_string()),
        progress_dir: stats.progress_dir.as_deref(),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}
