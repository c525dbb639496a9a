//! A mock interview (모의 면접): questions drawn across topics, weighted towards what is weak, each answered out loud
//! against a countdown, an interviewer's follow-up now and then, and a review at the end where each answer is
//! graded against the notes.
//!
//! Pure: the moment and the random numbers come in as arguments. The front ends ([`crate::tui::mock`], the line
//! mode in [`plain::run`]) drive a [`Mock`]; grades go to a [`Journal`] as `mode: mock` answers, which move the
//! schedule only when the mock was started with `--reschedule`.

use crate::card::{Card, CardId};
use crate::history;
use crate::schedule::{Grade, Phase, Scheduler};
use crate::session::Journal;
use crate::store::{LogLine, Mode, Progress, Review, StoreError};
use crate::time::Moment;
use rand::RngExt;
use std::collections::HashSet;
use std::sync::Arc;

/// The note shown in the review for a question the notes give no answer to.
pub const NO_ANSWER: &str = "답이 아직 없습니다";

/// The seconds before the end of the countdown from which it is drawn amber.
pub const AMBER_SECONDS: i64 = 20;

/// One question of a mock, as drawn: an index into the items it was drawn from, and whether it is a follow-up of
/// the question before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// Index into the items.
    pub item: usize,
    /// Whether it follows up the question before it (꼬리 질문).
    pub follow_up: bool,
}

/// What the draw takes besides the items.
#[derive(Clone, Copy)]
pub struct Draw<'a> {
    /// The progress the weakness is read from.
    pub progress: &'a Progress,
    /// The scheduler that says how likely each item is recalled now.
    pub scheduler: &'a Scheduler,
    /// The moment of the draw.
    pub now: Moment,
    /// The start of the interview day, when an interview plan is set for a day yet to come: an item's weakness is
    /// then the mean of its weakness now and on that day.
    pub interview: Option<Moment>,
    /// How many questions, follow-ups included.
    pub count: usize,
    /// The chance, 0 to 1, that a question with follow-ups is followed by one of them.
    pub follow_ups: f64,
}

/// How weak `card` is now, from 0 (sure to be recalled, never forgotten) up: one less the chance of recalling it
/// now, plus a tenth for each lapse (up to ten). A card never answered (or still new) counts as weakest, 1.
pub fn weakness(card: &Card, progress: &Progress, scheduler: &Scheduler, now: Moment) -> f64 {
    match progress.cards.get(&card.id).map(|e| &e.state) {
        Some(state) if state.phase != Phase::New => {
            let recall = f64::from(scheduler.retrievability(state, now).unwrap_or(0.0));
            (1.0 - recall).clamp(0.0, 1.0) + 0.1 * f64::from(state.lapses.min(10))
        }
        _ => 1.0,
    }
}

impl Draw<'_> {
    /// How weak `card` is for this draw: its [`weakness`] now, or with an interview plan the mean of that and its
    /// weakness at the start of the interview day (as the plan's final pass weighs cards), so a card whose memory
    /// fades fast before the day counts as weaker than one that holds.
    pub fn weakness(&self, card: &Card) -> f64 {
        let now = weakness(card, self.progress, self.scheduler, self.now);
        match self.interview {
            Some(day) => (now + weakness(card, self.progress, self.scheduler, day.max(self.now))) / 2.0,
            None => now,
        }
    }
}

/// The weight an item of `weakness` is drawn with: a strong item is still drawn now and then, as an interviewer
/// does not know what one knows, but a weak one some twenty times as often.
fn weight(weakness: f64) -> f64 {
    0.05 + weakness
}

/// The follow-ups of `items[i]` (꼬리 질문), as [`crate::card::follow_ups`] finds them: the questions right under its
/// question in its file, when it asks. `items` in note order, as a deck keeps them.
pub fn follow_ups(items: &[Card], i: usize) -> Vec<usize> {
    crate::card::follow_ups(items, i)
}

/// Draws a mock of `draw.count` questions from `items` (cards and answerless questions): never one twice, never a
/// suspended one. After each question, with the chance `draw.follow_ups`, one of its follow-ups not yet asked
/// comes next. Any other question is drawn
/// - never from the file of the question before it while another file has questions left (a follow-up is from
///   its parent's file by nature);
/// - of those, from the ones not `asked_today` (in an earlier mock the same day), then from the ones that are not
///   follow-ups of another, while any such is left;
/// - from a topic asked least so far, so the topics take turns;
/// - the topic by its weakest item, then the item within it by its weakness ([`Draw::weakness`]).
///
/// The same `rng` gives the same mock.
pub fn draw(items: &[Card], draw: Draw<'_>, asked_today: &HashSet<CardId>, rng: &mut impl rand::Rng) -> Vec<Drawn> {
    let weights: Vec<f64> = items.iter().map(|card| weight(draw.weakness(card))).collect();
    let mut used: Vec<bool> = items
        .iter()
        .map(|card| crate::queue::is_suspended(draw.progress, card))
        .collect();
    // Topics in the order first met, with how often each was asked: an order that does not hang on a hash.
    let mut topics: Vec<(&str, usize)> = Vec::new();
    for card in items {
        if !topics.iter().any(|(t, _)| *t == &*card.topic) {
            topics.push((&card.topic, 0));
        }
    }
    let under_another = follow_ups_of_others(items);
    let mut mock: Vec<Drawn> = Vec::new();
    let follow_ups_wanted = draw.follow_ups.clamp(0.0, 1.0);
    while mock.len() < draw.count {
        if let Some(last) = mock.last() {
            let open: Vec<usize> = follow_ups(items, last.item).into_iter().filter(|&j| !used[j]).collect();
            if !open.is_empty() && rng.random_bool(follow_ups_wanted) {
                let fresh: Vec<usize> = open
                    .iter()
                    .copied()
                    .filter(|&j| !asked_today.contains(&items[j].id))
                    .collect();
                let open = if fresh.is_empty() { open } else { fresh };
                let item = pick(&open, &weights, rng);
                used[item] = true;
                count_topic(&mut topics, &items[item].topic);
                mock.push(Drawn { item, follow_up: true });
                continue;
            }
        }
        let mut open: Vec<usize> = (0..items.len()).filter(|&i| !used[i]).collect();
        if open.is_empty() {
            break;
        }
        if let Some(last) = mock.last().map(|d| &items[d.item])
            && open.iter().any(|&i| !same_file(&items[i], last))
        {
            open.retain(|&i| !same_file(&items[i], last));
        }
        if open.iter().any(|&i| !asked_today.contains(&items[i].id)) {
            open.retain(|&i| !asked_today.contains(&items[i].id));
        }
        // A follow-up is asked after its question, as an interviewer asks one, rather than on its own.
        if open.iter().any(|&i| !under_another[i]) {
            open.retain(|&i| !under_another[i]);
        }
        let asked = |card: &Card| topics.iter().find(|(t, _)| *t == &*card.topic).map_or(0, |(_, n)| *n);
        let least = open.iter().map(|&i| asked(&items[i])).min().unwrap_or(0);
        open.retain(|&i| asked(&items[i]) == least);
        // The topic first, by its weakest item, so a topic of many cards is not drawn more for its size.
        let mut topic_firsts: Vec<usize> = Vec::new();
        for &i in &open {
            if !topic_firsts.iter().any(|&f| items[f].topic == items[i].topic) {
                topic_firsts.push(i);
            }
        }
        let topic_weights: Vec<f64> = topic_firsts
            .iter()
            .map(|&f| {
                open.iter()
                    .filter(|&&i| items[i].topic == items[f].topic)
                    .map(|&i| weights[i])
                    .fold(0.0, f64::max)
            })
            .collect();
        let topic = &items[topic_firsts[pick_index(&topic_weights, rng)]].topic;
        open.retain(|&i| &items[i].topic == topic);
        let item = pick(&open, &weights, rng);
        used[item] = true;
        count_topic(&mut topics, &items[item].topic);
        mock.push(Drawn { item, follow_up: false });
    }
    mock
}

/// For each of `items`, whether it is a follow-up of another of them ([`follow_ups`]).
fn follow_ups_of_others(items: &[Card]) -> Vec<bool> {
    // Where a question stands in its file, with the question: the place of the questions right under it.
    let place = |card: &Card, with_question: bool| {
        let mut key = card.folders.join("\u{0}");
        key.push('\u{1}');
        key.push_str(&card.file);
        for part in card.path.iter().chain(with_question.then_some(&card.question)) {
            key.push('\u{1}');
            key.push_str(part);
        }
        key
    };
    let parents: HashSet<String> = items.iter().map(|card| place(card, true)).collect();
    items
        .iter()
        .map(|card| !card.path.is_empty() && parents.contains(&place(card, false)))
        .collect()
}

fn same_file(a: &Card, b: &Card) -> bool {
    a.file == b.file && a.folders == b.folders
}

fn count_topic(topics: &mut [(&str, usize)], topic: &str) {
    if let Some((_, n)) = topics.iter_mut().find(|(t, _)| *t == topic) {
        *n += 1;
    }
}

/// One of `open` (not empty), drawn by `weights`.
fn pick(open: &[usize], weights: &[f64], rng: &mut impl rand::Rng) -> usize {
    let these: Vec<f64> = open.iter().map(|&i| weights[i]).collect();
    open[pick_index(&these, rng)]
}

/// An index into `weights` (not empty, none negative), each drawn as often as its weight.
fn pick_index(weights: &[f64], rng: &mut impl rand::Rng) -> usize {
    let total: f64 = weights.iter().sum();
    let mut at = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if at < *w {
            return i;
        }
        at -= w;
    }
    weights.len() - 1
}

/// The cards asked in a mock among `lines` (the log since the day started): each `mode: mock` answer's card.
pub fn asked_in_mocks(lines: &[LogLine]) -> HashSet<CardId> {
    lines
        .iter()
        .filter_map(|line| match line {
            LogLine::Review(review) if review.mode == Mode::Mock => Some(review.card.clone()),
            _ => None,
        })
        .collect()
}

/// Where a mock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Question `index` is being answered, since `since`.
    Asking {
        /// Which question.
        index: usize,
        /// When it was shown.
        since: Moment,
    },
    /// The questions answered, with their seconds, before the review.
    Overview,
    /// Question `index` is being graded against its answer.
    Reviewing {
        /// Which question.
        index: usize,
    },
    /// Every answered question is graded (or there was none): the summary.
    Done,
}

/// One question of a running mock.
#[derive(Debug, Clone)]
pub struct Question {
    /// The card or answerless question.
    pub card: Card,
    /// Whether it followed up the question before it.
    pub follow_up: bool,
    /// Milliseconds taken to answer it, once answered (past the countdown too).
    pub ms: Option<u64>,
    /// Its grade, once graded.
    pub grade: Option<Grade>,
}

/// A mock interview under way: its questions, where it stands, and the progress its grades may move.
pub struct Mock<'a> {
    questions: Vec<Question>,
    stage: Stage,
    seconds: u64,
    reschedule: bool,
    progress: Arc<Progress>,
    scheduler: &'a Scheduler,
    /// The answer of the question under review, fetched when it came up (so drawing reads no file).
    answer: Option<String>,
}

impl<'a> Mock<'a> {
    /// A mock over `questions` (see [`draw`]), each to be answered in `seconds`, the first shown at `now`. Grades
    /// move the schedule in `progress` only when `reschedule`.
    pub fn new(
        questions: Vec<(Card, bool)>,
        progress: Progress,
        scheduler: &'a Scheduler,
        seconds: u64,
        reschedule: bool,
        now: Moment,
    ) -> Self {
        let questions: Vec<Question> = questions
            .into_iter()
            .map(|(card, follow_up)| Question {
                card,
                follow_up,
                ms: None,
                grade: None,
            })
            .collect();
        let stage = if questions.is_empty() {
            Stage::Done
        } else {
            Stage::Asking { index: 0, since: now }
        };
        Mock {
            questions,
            stage,
            seconds,
            reschedule,
            progress: Arc::new(progress),
            scheduler,
            answer: None,
        }
    }

    /// Where the mock stands.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Every question of the mock, answered or not.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The questions answered so far: the ones the review goes through.
    pub fn answered(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.questions.iter().enumerate().filter(|(_, q)| q.ms.is_some())
    }

    /// The seconds each question is given.
    pub fn seconds(&self) -> u64 {
        self.seconds
    }

    /// The question asked or under review now.
    pub fn current(&self) -> Option<(usize, &Question)> {
        match self.stage {
            Stage::Asking { index, .. } | Stage::Reviewing { index } => Some((index, &self.questions[index])),
            _ => None,
        }
    }

    /// The answer of the question under review: its text, or `None` when the notes give none.
    pub fn answer(&self) -> Option<&str> {
        self.answer.as_deref().filter(|a| !a.trim().is_empty())
    }

    /// The seconds left on the countdown at `now` (below zero once it is over), while a question is asked.
    pub fn remaining(&self, now: Moment) -> Option<i64> {
        match self.stage {
            Stage::Asking { since, .. } => {
                let taken = elapsed_ms(since, now) / 1000;
                Some(i64::try_from(self.seconds).unwrap_or(i64::MAX) - i64::try_from(taken).unwrap_or(i64::MAX))
            }
            _ => None,
        }
    }

    /// Ends the answer to the question asked at `now`: the next question is shown, or the overview after the last.
    pub fn end_answer(&mut self, now: Moment) {
        let Stage::Asking { index, since } = self.stage else {
            return;
        };
        self.questions[index].ms = Some(elapsed_ms(since, now));
        self.stage = if index + 1 < self.questions.len() {
            Stage::Asking {
                index: index + 1,
                since: now,
            }
        } else {
            Stage::Overview
        };
    }

    /// Ends the interview early, during a question: the questions answered go to the review (the one asked is
    /// dropped). With none answered, the mock is done.
    pub fn end_early(&mut self) {
        if matches!(self.stage, Stage::Asking { .. }) {
            self.stage = if self.answered().next().is_some() {
                Stage::Overview
            } else {
                Stage::Done
            };
        }
    }

    /// From the overview, the first answered question comes up for review.
    pub fn start_review(&mut self) {
        if self.stage == Stage::Overview {
            self.review_next(0);
        }
    }

    /// Grades the question under review at `at`: the answer is on disk (a `mode: mock` log line, and progress when
    /// it moves the schedule) when this returns `Ok`, and the next answered question comes up.
    pub fn grade(&mut self, grade: Grade, at: Moment, journal: &mut impl Journal) -> Result<(), StoreError> {
        let Stage::Reviewing { index } = self.stage else {
            return Ok(());
        };
        let card = self.questions[index].card.clone();
        // An answer is never logged before the last one to its card.
        let last = self.progress.cards.get(&card.id).and_then(|e| e.state.last_review);
        let at = last.map_or(at, |last| history::not_before(at, last));
        let review = Review {
            card: card.id.clone(),
            at,
            grade,
            mode: Mode::Mock,
            ms: self.questions[index].ms.unwrap_or(0),
            rescheduled: self.reschedule,
        };
        let end = journal.append(&LogLine::Review(review.clone()))?;
        if history::moves_schedule(&review) {
            let mut progress = (*self.progress).clone();
            history::apply(&mut progress, &review, Some(&card), self.scheduler);
            progress.log_offset = end.len;
            progress.log_crc = end.crc;
            let progress = Arc::new(progress);
            journal.save_shared(&progress)?;
            self.progress = progress;
        }
        self.questions[index].grade = Some(grade);
        self.review_next(index + 1);
        Ok(())
    }

    /// The first answered question from `from` on under review, or the summary.
    fn review_next(&mut self, from: usize) {
        match (from..self.questions.len()).find(|&i| self.questions[i].ms.is_some()) {
            Some(index) => {
                self.answer = Some(self.questions[index].card.answer.text().into_owned());
                self.stage = Stage::Reviewing { index };
            }
            None => {
                self.answer = None;
                self.stage = Stage::Done;
            }
        }
    }

    /// The figures of the mock so far.
    pub fn summary(&self) -> Summary {
        let answered: Vec<&Question> = self.answered().map(|(_, q)| q).collect();
        let limit = self.seconds.saturating_mul(1000);
        let total: u64 = answered.iter().filter_map(|q| q.ms).sum();
        let mut topics: Vec<(String, u32, u32)> = Vec::new();
        for q in &answered {
            let Some(grade) = q.grade else { continue };
            match topics.iter_mut().find(|(t, ..)| *t == *q.card.topic) {
                Some((_, sum, n)) => {
                    *sum += u32::from(grade.number());
                    *n += 1;
                }
                None => topics.push((q.card.topic.to_string(), u32::from(grade.number()), 1)),
            }
        }
        // Lowest mean grade first; topics that went well (all Good or Easy) are not weak.
        topics.retain(|(_, sum, n)| *sum < 3 * *n);
        topics.sort_by(|a, b| (a.1 * b.2).cmp(&(b.1 * a.2)));
        Summary {
            asked: self.questions.len(),
            answered: answered.len(),
            within_time: answered.iter().filter(|q| q.ms.is_some_and(|ms| ms <= limit)).count(),
            graded: answered.iter().filter(|q| q.grade.is_some()).count(),
            average_seconds: (total / 1000).checked_div(answered.len() as u64),
            weakest_topics: topics.into_iter().take(3).map(|(t, ..)| t).collect(),
        }
    }
}

/// Milliseconds from `since` to `now` (none when the clock went back).
fn elapsed_ms(since: Moment, now: Moment) -> u64 {
    let span = now.timestamp().duration_since(since.timestamp());
    u64::try_from(span.as_millis()).unwrap_or(0)
}

/// The figures at the end of a mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Questions in the mock.
    pub asked: usize,
    /// Of those, how many were answered.
    pub answered: usize,
    /// Of those, how many within the countdown.
    pub within_time: usize,
    /// Of those, how many were graded.
    pub graded: usize,
    /// The mean seconds an answer took; `None` with none answered.
    pub average_seconds: Option<u64>,
    /// The topics graded lowest in this mock (below Good on average), weakest first, at most three.
    pub weakest_topics: Vec<String>,
}

impl Summary {
    /// The summary as lines of text, for both front ends.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "{} answered within time, of {} asked",
            self.within_time,
            plural(self.asked, "question")
        )];
        if let Some(average) = self.average_seconds {
            lines.push(format!("{average} s an answer on average"));
        }
        lines.push(format!(
            "{} graded, saved as mock answers",
            plural(self.graded, "answer")
        ));
        if !self.weakest_topics.is_empty() {
            lines.push(format!("weakest topics: {}", self.weakest_topics.join(", ")));
        }
        lines
    }
}

/// `1 question`, `2 questions`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The countdown as shown: `2:00`, `0:05`, `-0:12` once it is over.
pub fn countdown(remaining: i64) -> String {
    let sign = if remaining < 0 { "-" } else { "" };
    let left = remaining.unsigned_abs();
    format!("{sign}{}:{:02}", left / 60, left % 60)
}

pub mod plain;

#[cfg(test)]
mod tests;
