//! Figures from the review log and progress: calendar, streaks, retention, topics, weakest cards, forecast.
//!
//! Pure: cards, progress, the log's lines and the moment now go in, figures come out; nothing here reads a clock,
//! a file or a terminal. [`print`] gives the plain text and JSON forms.
//!
//! Days are amgi days ([`Moment::day`]): they start at 04:00, at the offset each answer was recorded in. Today is
//! the day of now.

pub mod print;

use crate::card::{Card, CardId};
use crate::history;
use crate::plan::Plan;
use crate::schedule::{Grade, Phase, Scheduler};
use crate::store::{Entry, LogLine, Progress};
use crate::time::Moment;
use jiff::Span;
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};

/// Days the review calendar covers, today included: 26 weeks.
pub const CALENDAR_DAYS: usize = 26 * 7;
/// Days retention and answers per day are measured over, today included.
pub const RECENT_DAYS: usize = 30;
/// Days the forecast covers, today first.
pub const FORECAST_DAYS: usize = 14;
/// How many of the weakest cards are listed.
pub const WEAKEST_CARDS: usize = 10;
/// A review card whose interval is at least this many days is mature (as in Anki).
pub const MATURE_DAYS: i32 = 21;
/// Shade levels of a calendar day above none: 1 to this.
pub const LEVELS: u8 = 4;

/// What the figures are computed from.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The cards to report on (the `--topic` filter applied), in note order.
    pub cards: &'a [&'a Card],
    /// Where each card stands, up to date with the log.
    pub progress: &'a Progress,
    /// reviews.yaml, every line in file order (undo lines are applied here).
    pub lines: &'a [LogLine],
    /// Count only the log lines of `cards` (a `--topic` filter was given). Otherwise every line counts, cards no
    /// longer in the notes included.
    pub only_these_cards: bool,
    /// The scheduler of the progress (its FSRS parameters give recall probabilities).
    pub scheduler: &'a Scheduler,
    /// The moment now.
    pub now: Moment,
}

/// Everything `amgi stats` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// The amgi day of now.
    pub today: Date,
    /// Cards reported on, questions asked without a written answer among them.
    pub cards: usize,
    /// Of them, questions asked without a written answer (drilled aloud), counted apart.
    pub questions: usize,
    /// Of them, cards answered at least once (not new).
    pub seen: usize,
    /// Of them, cards suspended: no session asks them, and they are left out of the weakest cards and the forecast.
    pub suspended: usize,
    /// Answers per day over the last 26 weeks.
    pub calendar: Calendar,
    /// Days in a row with answers.
    pub streak: Streak,
    /// Review answers that were not Again, over the last 30 days.
    pub retention: Retention,
    /// Answers over the last 30 days.
    pub activity: Activity,
    /// One row per topic, weakest first.
    pub topics: Vec<TopicRow>,
    /// The [`WEAKEST_CARDS`] seen cards least likely to be recalled now, weakest first (suspended ones aside).
    pub weakest: Vec<CardRow>,
    /// Every card with [`crate::schedule::LEECH_LAPSES`] lapses or more, most lapses first.
    pub leeches: Vec<CardRow>,
    /// Cards coming due on each of the next [`FORECAST_DAYS`] days, today first (overdue cards count today,
    /// suspended ones never).
    pub forecast: Vec<u32>,
    /// The interview day of a plan (`amgi plan`), until it has passed.
    pub interview: Option<Date>,
    /// The folder the progress is kept in, when the caller says (the deck's folder under the data folder).
    pub progress_dir: Option<String>,
}

impl Stats {
    /// The interview, as the header says it: `interview 2026-12-10 (in 13 days)`, `(tomorrow)`, `(today)`.
    pub fn interview_note(&self) -> Option<String> {
        let day = self.interview?;
        let when = match days_between(self.today, day) {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            n => format!("in {n} days"),
        };
        Some(format!("interview {day} ({when})"))
    }
}

/// Answers per day over [`CALENDAR_DAYS`] days ending today: every answer no undo took back, drill and cram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The first day shown.
    pub first: Date,
    /// Answers on each day from `first`, one entry a day, today last.
    pub answers: Vec<u32>,
}

impl Calendar {
    /// The last day shown (today).
    pub fn last(&self) -> Date {
        plus_days(self.first, self.answers.len() as i64 - 1)
    }

    /// All the answers shown.
    pub fn total(&self) -> u32 {
        self.answers.iter().sum()
    }

    /// Days with at least one answer.
    pub fn active_days(&self) -> usize {
        self.answers.iter().filter(|&&n| n > 0).count()
    }

    /// The most answers on one day.
    pub fn busiest(&self) -> u32 {
        self.answers.iter().copied().max().unwrap_or(0)
    }

    /// The shade of a day with `answers`: 0 for none, else 1 to [`LEVELS`] by quarters of the busiest day
    /// (up to a quarter of it is 1, up to half 2, up to three quarters 3, more 4).
    pub fn level(&self, answers: u32) -> u8 {
        let busiest = u64::from(self.busiest());
        if answers == 0 || busiest == 0 {
            return 0;
        }
        let level = (u64::from(LEVELS) * u64::from(answers)).div_ceil(busiest);
        level.min(u64::from(LEVELS)) as u8
    }

    /// The fewest and most answers a day at each shade level 1 to [`LEVELS`]; `None` for a level no count up to
    /// the busiest day falls in.
    pub fn level_ranges(&self) -> Vec<(u8, Option<(u32, u32)>)> {
        (1..=LEVELS)
            .map(|level| {
                let counts = (1..=self.busiest()).filter(|&n| self.level(n) == level);
                let (mut low, mut high) = (None, None);
                for n in counts {
                    low.get_or_insert(n);
                    high = Some(n);
                }
                (level, low.zip(high))
            })
            .collect()
    }

    /// The days as a grid of weeks, Monday first: one entry per week, each day with its answers; `None` for
    /// days of the first and last week outside the calendar.
    pub fn weeks(&self) -> Vec<[Option<(Date, u32)>; 7]> {
        let mut weeks: Vec<[Option<(Date, u32)>; 7]> = Vec::new();
        for (i, &answers) in self.answers.iter().enumerate() {
            let day = plus_days(self.first, i as i64);
            let row = usize::from(day.weekday().to_monday_zero_offset().unsigned_abs());
            if weeks.is_empty() || row == 0 {
                weeks.push([None; 7]);
            }
            if let Some(week) = weeks.last_mut() {
                week[row] = Some((day, answers));
            }
        }
        weeks
    }
}

/// Days in a row with at least one answer (drill or cram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streak {
    /// The run ending today, or ending yesterday while today has no answer yet (it can still be kept).
    pub current: u32,
    /// The longest run in the whole log, up to today.
    pub longest: u32,
    /// Whether today has an answer.
    pub answered_today: bool,
}

/// True retention over [`RECENT_DAYS`] days: among the review answers (answers that moved the schedule, to a card
/// whose previous such answer was on an earlier day: what FSRS counts as a long-term review), the share that
/// were not Again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Retention {
    /// Review answers.
    pub reviews: u32,
    /// Of them, answers other than Again.
    pub recalled: u32,
}

impl Retention {
    /// `recalled / reviews`; `None` without reviews.
    pub fn rate(&self) -> Option<f64> {
        (self.reviews > 0).then(|| f64::from(self.recalled) / f64::from(self.reviews))
    }
}

/// Answers (drill and cram) over the last [`RECENT_DAYS`] days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Answers on each of the days, oldest first, today last.
    pub daily: Vec<u32>,
}

impl Activity {
    /// All the answers.
    pub fn answers(&self) -> u32 {
        self.daily.iter().sum()
    }

    /// Answers per day: all of them over the number of days.
    pub fn per_day(&self) -> f64 {
        f64::from(self.answers()) / self.daily.len().max(1) as f64
    }
}

/// One topic's cards.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicRow {
    /// The topic.
    pub topic: String,
    /// Its cards.
    pub cards: usize,
    /// Cards answered at least once (not new).
    pub seen: usize,
    /// Review cards whose interval (due day − last review day) is at least [`MATURE_DAYS`].
    pub mature: usize,
    /// The mean probability of recalling a seen card now (FSRS retrievability); `None` when none is seen.
    pub recall: Option<f64>,
    /// Lapses of all its cards together.
    pub lapses: u32,
    /// Its leeches.
    pub leeches: usize,
}

/// One card in a list.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    /// The card's id.
    pub id: CardId,
    /// Its topic.
    pub topic: String,
    /// The headings above it.
    pub path: Vec<String>,
    /// Its question.
    pub question: String,
    /// The probability of recalling it now; `None` without a memory state (a hand-edited progress file).
    pub recall: Option<f64>,
    /// Times forgotten after graduating.
    pub lapses: u32,
}

impl CardRow {
    /// Whether it is a leech ([`crate::schedule::LEECH_LAPSES`] lapses or more).
    pub fn is_leech(&self) -> bool {
        self.lapses >= crate::schedule::LEECH_LAPSES
    }
}

/// `date` moved by `days`, saturating at jiff's limits.
pub(crate) fn plus_days(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days)).unwrap_or(date)
}

/// Whole days from `from` to `to`.
fn days_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

/// A map keyed by card ids (or topics): foldhash, as SipHash (the standard one) and FNV, a byte at a time, cost
/// some 500 instructions an answer over the long ids of a log of 100,000 answers. (The keys are the user's own, so
/// there is nobody to guard against.)
type IdMap<'a, V> = HashMap<&'a str, V, foldhash::fast::FixedState>;

/// From this many log lines on, the answers are counted on a thread of their own.
const LINES_FOR_A_THREAD: usize = 4096;

/// The figures for `input`.
pub fn stats(input: &Input) -> Stats {
    let today = input.now.day();
    // The log's answers and the cards' standings do not depend on each other: a long log is gone through on a
    // thread of its own meanwhile.
    let (answers, standings) = if input.lines.len() >= LINES_FOR_A_THREAD {
        std::thread::scope(|scope| {
            let answers = scope.spawn(|| answers(input, today));
            let standings = standings(input);
            let answers = answers.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (answers, standings)
        })
    } else {
        (answers(input, today), standings(input))
    };
    let (topics, seen) = topics(input.cards, &standings);
    Stats {
        today,
        cards: input.cards.len(),
        questions: input.cards.iter().filter(|card| card.is_question()).count(),
        seen,
        suspended: standings.iter().filter(|s| s.suspended).count(),
        calendar: Calendar {
            first: plus_days(today, 1 - CALENDAR_DAYS as i64),
            answers: answers.calendar,
        },
        streak: streak(answers.days, today),
        retention: answers.retention,
        activity: Activity { daily: answers.recent },
        topics,
        weakest: weakest(input.cards, &standings),
        leeches: leeches(input.cards, &standings),
        forecast: forecast(
            standings.iter().filter(|s| !s.suspended).filter_map(|s| s.due),
            today,
            FORECAST_DAYS,
        ),
        interview: input.progress.settings.interview.filter(|day| *day >= today),
        progress_dir: None,
    }
}

/// What the answers of the log add up to.
struct Answers {
    /// Answers on each of the [`CALENDAR_DAYS`] days ending today.
    calendar: Vec<u32>,
    /// Answers on each of the [`RECENT_DAYS`] days ending today.
    recent: Vec<u32>,
    /// The amgi day of each answer up to today, as days since 1970-01-01 ([`crate::time::day_number`]), in log
    /// order, a run of one day kept once.
    days: Vec<i64>,
    /// Retention over the [`RECENT_DAYS`] days.
    retention: Retention,
}

/// The answers of the log no undo took back (of the input's cards only, when it says so), counted in one pass:
/// days are compared as whole numbers, so 100,000 answers are not taken through the calendar one by one.
fn answers(input: &Input, today: Date) -> Answers {
    let ids: Option<HashSet<&str, foldhash::fast::FixedState>> = input
        .only_these_cards
        .then(|| input.cards.iter().map(|c| c.id.as_str()).collect());
    let first_day = |days: usize| crate::time::day_number(plus_days(today, 1 - days as i64));
    let (calendar_first, recent_first) = (first_day(CALENDAR_DAYS), first_day(RECENT_DAYS));
    let today = crate::time::day_number(today);
    let mut out = Answers {
        calendar: vec![0; CALENDAR_DAYS],
        recent: vec![0; RECENT_DAYS],
        days: Vec::new(),
        retention: Retention::default(),
    };
    // The latest answer that moved each card's schedule.
    let mut last_moved: IdMap<Moment> = IdMap::with_capacity_and_hasher(input.cards.len(), Default::default());
    let reviews = history::effective(input.lines)
        .into_iter()
        .filter_map(|step| match step {
            history::Step::Review(review) => Some(review),
            history::Step::Move { .. } | history::Step::Suspend { .. } | history::Step::Settings { .. } => None,
        });
    for review in reviews.filter(|r| ids.as_ref().is_none_or(|ids| ids.contains(r.card.as_str()))) {
        let day = review.at.day_number();
        for (counts, first) in [(&mut out.calendar, calendar_first), (&mut out.recent, recent_first)] {
            if let Ok(i) = usize::try_from(day - first)
                && let Some(count) = counts.get_mut(i)
            {
                *count += 1;
            }
        }
        if day <= today && out.days.last() != Some(&day) {
            out.days.push(day);
        }
        if !history::moves_schedule(review) {
            continue;
        }
        let previous = last_moved.insert(review.card.as_str(), review.at);
        let in_window = recent_first <= day && day <= today;
        // An earlier day as the scheduler counts it: at the offset of this answer.
        if in_window && previous.is_some_and(|p| review.at.days_since(p) >= 1) {
            out.retention.reviews += 1;
            out.retention.recalled += u32::from(review.grade != Grade::Again);
        }
    }
    out
}

/// The streaks of `days`, the days of answers up to `today` as days since 1970-01-01, in any order.
fn streak(mut days: Vec<i64>, today: Date) -> Streak {
    let today = crate::time::day_number(today);
    days.sort_unstable();
    days.dedup();
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<i64> = None;
    for &day in &days {
        run = if previous.is_some_and(|p| day - p == 1) {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let has = |day: i64| days.binary_search(&day).is_ok();
    let answered_today = has(today);
    let mut day = if answered_today { today } else { today - 1 };
    let mut current = 0;
    while has(day) {
        current += 1;
        day -= 1;
    }
    Streak {
        current,
        longest,
        answered_today,
    }
}

/// One card's figures now.
struct Standing {
    seen: bool,
    suspended: bool,
    mature: bool,
    recall: Option<f64>,
    lapses: u32,
    due: Option<Moment>,
}

impl Standing {
    fn is_leech(&self) -> bool {
        self.lapses >= crate::schedule::LEECH_LAPSES
    }
}

/// Where each of the input's cards stands now, in note order (each card looked up once: with 10,000 long ids,
/// a lookup in the progress map is not free).
fn standings(input: &Input) -> Vec<Standing> {
    let plan = Plan::from_settings(&input.progress.settings);
    input
        .cards
        .iter()
        .map(|card| {
            let Some(entry) = input.progress.cards.get(&card.id) else {
                return Standing {
                    seen: false,
                    suspended: false,
                    mature: false,
                    recall: None,
                    lapses: 0,
                    due: None,
                };
            };
            let state = &entry.state;
            let seen = state.phase != Phase::New;
            let interval = state.due.zip(state.last_review).map(|(due, last)| due.days_since(last));
            Standing {
                seen,
                suspended: entry.suspended,
                mature: state.phase == Phase::Review && interval.is_some_and(|days| days >= MATURE_DAYS),
                recall: seen
                    .then(|| input.scheduler.retrievability(state, input.now))
                    .flatten()
                    .map(f64::from),
                lapses: state.lapses,
                due: due(&card.id, entry, plan.as_ref(), input.scheduler, input.now),
            }
        })
        .collect()
}

/// The topic rows, weakest first, and the number of seen cards.
fn topics(cards: &[&Card], standings: &[Standing]) -> (Vec<TopicRow>, usize) {
    let mut rows: Vec<TopicRow> = Vec::new();
    let mut index: IdMap<usize> = IdMap::default();
    let mut recall_sums: Vec<(f64, usize)> = Vec::new();
    for (card, standing) in cards.iter().zip(standings) {
        let i = *index.entry(&card.topic).or_insert_with(|| {
            rows.push(TopicRow {
                topic: card.topic.to_string(),
                cards: 0,
                seen: 0,
                mature: 0,
                recall: None,
                lapses: 0,
                leeches: 0,
            });
            recall_sums.push((0.0, 0));
            rows.len() - 1
        });
        let row = &mut rows[i];
        row.cards += 1;
        row.seen += usize::from(standing.seen);
        row.mature += usize::from(standing.mature);
        row.lapses += standing.lapses;
        row.leeches += usize::from(standing.is_leech());
        if let Some(recall) = standing.recall {
            recall_sums[i].0 += recall;
            recall_sums[i].1 += 1;
        }
    }
    for (row, (sum, n)) in rows.iter_mut().zip(recall_sums) {
        row.recall = (n > 0).then(|| sum / n as f64);
    }
    rows.sort_by(|a, b| {
        let key = |r: &TopicRow| (r.recall.is_none(), r.recall.unwrap_or(0.0));
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then_with(|| a.topic.cmp(&b.topic))
    });
    let seen = rows.iter().map(|r| r.seen).sum();
    (rows, seen)
}

fn card_row(card: &Card, standing: &Standing) -> CardRow {
    CardRow {
        id: card.id.clone(),
        topic: card.topic.to_string(),
        path: card.path.clone(),
        question: card.question.clone(),
        recall: standing.recall,
        lapses: standing.lapses,
    }
}

/// Seen cards by recall probability now, lowest first; ties: more lapses first, then note order. Suspended cards
/// are no work to do and are left out.
fn weakest(cards: &[&Card], standings: &[Standing]) -> Vec<CardRow> {
    let mut seen: Vec<(usize, f64)> = standings
        .iter()
        .enumerate()
        .filter(|(_, s)| s.seen && !s.suspended)
        .filter_map(|(i, s)| Some((i, s.recall?)))
        .collect();
    let order = |&(a, ra): &(usize, f64), &(b, rb): &(usize, f64)| {
        ra.total_cmp(&rb)
            .then(standings[b].lapses.cmp(&standings[a].lapses))
            .then(a.cmp(&b))
    };
    if seen.len() > WEAKEST_CARDS {
        seen.select_nth_unstable_by(WEAKEST_CARDS - 1, order);
        seen.truncate(WEAKEST_CARDS);
    }
    seen.sort_by(order);
    seen.iter().map(|&(i, _)| card_row(cards[i], &standings[i])).collect()
}

/// Every leech, most lapses first, then in note order.
fn leeches(cards: &[&Card], standings: &[Standing]) -> Vec<CardRow> {
    let mut rows: Vec<CardRow> = cards
        .iter()
        .zip(standings)
        .filter(|(_, s)| s.is_leech())
        .map(|(card, s)| card_row(card, s))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.lapses));
    rows
}

/// When a card that is not new comes due: its due moment (as an interview plan has it, when there is one; see
/// [`Plan::due`]), or the end of a skip when that is later (a skipped card is not asked before). `None` for a new
/// card.
pub fn due(id: &CardId, entry: &Entry, plan: Option<&Plan>, scheduler: &Scheduler, now: Moment) -> Option<Moment> {
    let state = &entry.state;
    let due = crate::plan::due(plan, id, state, scheduler, now).filter(|_| state.phase != Phase::New)?;
    Some(entry.skipped_until.map_or(due, |until| due.max(until)))
}

/// How many of `dues` fall on each of the `days` days from `today` (index 0), by each moment's amgi day; a due day
/// before today counts today, and one after the last day is left out.
pub fn forecast(dues: impl IntoIterator<Item = Moment>, today: Date, days: usize) -> Vec<u32> {
    let mut counts = vec![0; days];
    for due in dues {
        let i = usize::try_from(days_between(today, due.day()).max(0)).unwrap_or(usize::MAX);
        if let Some(count) = counts.get_mut(i) {
            *count += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests;
