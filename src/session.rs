//! The quiz as a state machine: which card is up, whether its answer is shown, grading, undo, skip and suspend.
//!
//! No terminal and no clock: every step takes the moment it happens, and the answers go to a [`Journal`] that
//! makes them durable before the next card is shown.

use crate::card::{Card, Damaged};
use crate::history::{self, Today};
use crate::queue::{self, Limits};
use crate::schedule::{Delay, Grade, Scheduler};
use crate::store::{Entry, LogEnd, LogLine, Mode, Progress, Review, Store, StoreError};
use crate::time::Moment;
use jiff::SignedDuration;
use std::collections::VecDeque;
use std::sync::Arc;

/// How far ahead a learning card may be shown when nothing else is left (Anki's learn-ahead limit).
pub const LEARN_AHEAD: SignedDuration = SignedDuration::from_mins(20);
/// How many cards later a card answered Again comes back in a cram.
const CRAM_AGAIN_GAP: usize = 3;
/// How many cards later a card answered Hard comes back in a cram.
const CRAM_HARD_GAP: usize = 6;

/// Where answers go: durable before the call returns.
pub trait Journal {
    /// Appends `line` to the review log; returns the log's new length in bytes and its CRC-32 when known.
    fn append(&mut self, line: &LogLine) -> Result<LogEnd, StoreError>;
    /// Replaces the saved progress with `progress`.
    fn save(&mut self, progress: &Progress) -> Result<(), StoreError>;
    /// [`Journal::save`] of progress the journal may keep a share of until it is written, rather than a copy: a
    /// session saves through this after each answer.
    fn save_shared(&mut self, progress: &Arc<Progress>) -> Result<(), StoreError> {
        self.save(progress)
    }

    /// Keeps an answer written out from memory (attempts.yaml). A journal that keeps no attempts (one that only
    /// counts answers) lets it go.
    fn keep_attempt(&mut self, attempt: &crate::store::Attempt) -> Result<(), StoreError> {
        let _ = attempt;
        Ok(())
    }

    /// The answers written out before for `card`, oldest first (none from a journal that keeps none).
    fn attempts_of(&mut self, card: &crate::CardId) -> Result<Vec<crate::store::Attempt>, StoreError> {
        let _ = card;
        Ok(Vec::new())
    }
}

impl Journal for Store {
    fn append(&mut self, line: &LogLine) -> Result<LogEnd, StoreError> {
        Store::append(self, line)
    }

    fn keep_attempt(&mut self, attempt: &crate::store::Attempt) -> Result<(), StoreError> {
        self.append_attempt(attempt)
    }

    fn attempts_of(&mut self, card: &crate::CardId) -> Result<Vec<crate::store::Attempt>, StoreError> {
        self.attempts_of_card(card)
    }

    fn save(&mut self, progress: &Progress) -> Result<(), StoreError> {
        self.save_progress(progress)
    }
}

/// Answers kept in memory (or refused when `fail` is set), for tests of what sits on top of a session.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct MemoryJournal {
    pub lines: Vec<LogLine>,
    pub attempts: Vec<crate::store::Attempt>,
    pub saved: Option<Progress>,
    pub fail: bool,
}

#[cfg(test)]
impl Journal for MemoryJournal {
    fn append(&mut self, line: &LogLine) -> Result<LogEnd, StoreError> {
        if self.fail {
            return Err(StoreError::Io {
                action: "write",
                path: "reviews.yaml".into(),
                error: std::io::Error::other("disk full"),
            });
        }
        self.lines.push(line.clone());
        Ok(LogEnd {
            len: self.lines.len() as u64 * 100,
            crc: Some(self.lines.len() as u32),
        })
    }

    fn save(&mut self, progress: &Progress) -> Result<(), StoreError> {
        self.saved = Some(progress.clone());
        Ok(())
    }

    fn keep_attempt(&mut self, attempt: &crate::store::Attempt) -> Result<(), StoreError> {
        self.attempts.push(attempt.clone());
        Ok(())
    }

    fn attempts_of(&mut self, card: &crate::CardId) -> Result<Vec<crate::store::Attempt>, StoreError> {
        Ok(self.attempts.iter().filter(|a| &a.card == card).cloned().collect())
    }
}

/// What kind of session this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The daily drill: due cards and new ones, answers move the schedule.
    Drill,
    /// Every card, weakest first; answers move the schedule only when `reschedule` is set.
    Cram {
        /// `--reschedule`.
        reschedule: bool,
    },
}

/// Figures for the end of a session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Answers given (undone ones not counted).
    pub answered: usize,
    /// Of those, how many were Again.
    pub again: usize,
    /// Time spent answering, in milliseconds.
    pub ms: u64,
    /// Answers to cards in review (graduated, due): what retention is measured on.
    pub reviews: usize,
    /// Of those, how many were Again (forgotten).
    pub forgotten: usize,
}

impl Stats {
    /// The share of review answers recalled (not Again), in percent; `None` before any review answer (answers to
    /// new and learning cards are steps, not recall).
    pub fn retention_percent(&self) -> Option<usize> {
        ((self.reviews - self.forgotten) * 100).checked_div(self.reviews)
    }
}

/// Everything an undo puts back.
#[derive(Debug, Clone)]
struct Undo {
    card: usize,
    at: Moment,
    what: Undone,
    main: VecDeque<usize>,
    learning: Vec<(Moment, usize)>,
    stats: Stats,
}

/// What an undo takes back.
#[derive(Debug, Clone)]
enum Undone {
    /// An answer given at the undo's moment; the card's progress before it.
    Answer(Option<Entry>),
    /// A suspension: taken back by a release line.
    Suspend,
}

impl Undone {
    /// The card's progress before the answer taken back; `None` for a suspension.
    fn answered_from(&self) -> Option<Option<&Entry>> {
        match self {
            Undone::Answer(before) => Some(before.as_ref()),
            Undone::Suspend => None,
        }
    }
}

/// One quiz over a list of cards.
pub struct Session<'a> {
    cards: Vec<Card>,
    scheduler: &'a Scheduler,
    /// Shared with the journal, which may hold the last one saved until it is written (see [`Session::change`]).
    progress: Arc<Progress>,
    kind: Kind,
    main: VecDeque<usize>,
    learning: Vec<(Moment, usize)>,
    current: Option<usize>,
    /// The answer of the card up, fetched when it came up (see [`Session::answer`]).
    answer: Option<Result<Arc<str>, Damaged>>,
    revealed: bool,
    undo: Vec<Undo>,
    stats: Stats,
    /// A drill's daily limits, and what counted against them before the answers the undo stack holds.
    limits: Limits,
    today: Today,
    /// The cards this session plans to go through, each once however often it comes back.
    planned: std::collections::HashSet<crate::card::CardId>,
    /// The lapses of the card just answered, when that answer flagged it a leech.
    leech: Option<u32>,
    /// Where each card's question is, when it is a follow-up question ([`crate::card::follow_up_parents`]): found
    /// when first wanted (the summary at the end), once.
    parents: std::cell::OnceCell<Vec<Option<usize>>>,
    /// The follow-up questions (꼬리 질문) of the card just answered Good or Easy that the session does not hold yet,
    /// offered to be asked next (see [`Session::ask_follow_ups`]).
    offer: Vec<usize>,
}

impl<'a> Session<'a> {
    /// A drill over `cards` at `now` within `limits`, counting what `today` already did.
    pub fn drill(
        cards: Vec<Card>,
        progress: Progress,
        scheduler: &'a Scheduler,
        now: Moment,
        limits: Limits,
        today: Today,
    ) -> Self {
        let plan = queue::drill(&cards, &progress, scheduler, now, limits, today);
        let mut session = Session::new(cards, progress, scheduler, Kind::Drill, plan.main.into(), plan.learning);
        session.limits = limits;
        session.today = today;
        session
    }

    /// A cram over `order` (indices into `cards`, see [`queue::cram`]).
    pub fn cram(
        cards: Vec<Card>,
        progress: Progress,
        scheduler: &'a Scheduler,
        order: Vec<usize>,
        reschedule: bool,
    ) -> Self {
        Session::new(
            cards,
            progress,
            scheduler,
            Kind::Cram { reschedule },
            order.into(),
            Vec::new(),
        )
    }

    fn new(
        cards: Vec<Card>,
        progress: Progress,
        scheduler: &'a Scheduler,
        kind: Kind,
        main: VecDeque<usize>,
        learning: Vec<(Moment, usize)>,
    ) -> Self {
        let planned = main
            .iter()
            .copied()
            .chain(learning.iter().map(|&(_, i)| i))
            .map(|i| cards[i].id.clone())
            .collect();
        Session {
            planned,
            cards,
            scheduler,
            progress: Arc::new(progress),
            kind,
            main,
            learning,
            current: None,
            answer: None,
            revealed: false,
            undo: Vec::new(),
            leech: None,
            offer: Vec::new(),
            parents: std::cell::OnceCell::new(),
            stats: Stats::default(),
            limits: Limits::default(),
            today: Today::default(),
        }
    }

    /// The card up now, choosing the next one when none is: learning cards that are due, then the main queue,
    /// then a learning card due within [`LEARN_AHEAD`]. `None` when the session is over.
    pub fn next(&mut self, now: Moment) -> Option<&Card> {
        if self.current.is_none() {
            self.revealed = false;
            let next = self
                .take_due_learning(now)
                .or_else(|| self.main.pop_front())
                .or_else(|| {
                    let ahead = now.plus(LEARN_AHEAD);
                    self.take_due_learning(ahead)
                });
            self.bring_up(next);
        }
        self.current.map(|i| &self.cards[i])
    }

    /// Puts the card `index` up (none: no card is up) and fetches its answer, the one answer a quiz reads from the
    /// cache of parsed notes: the others stay where they are. An answer that cannot be read back is held as
    /// [`Damaged`], and the cache is given up then, so the next run reads the notes again.
    fn bring_up(&mut self, index: Option<usize>) {
        self.current = index;
        self.answer = index.map(|i| self.cards[i].answer.fetch());
        if let Some(Err(damaged)) = &self.answer {
            damaged.forget_cache();
        }
    }

    fn take_due_learning(&mut self, until: Moment) -> Option<usize> {
        let first = self.learning.first().filter(|(due, _)| *due <= until)?;
        let card = first.1;
        self.learning.remove(0);
        Some(card)
    }

    /// The card up now, without choosing one.
    pub fn current(&self) -> Option<&Card> {
        self.current.map(|i| &self.cards[i])
    }

    /// The questions of the cards that are parts of the card up (see [`crate::card::parts`]), shown after its answer.
    pub fn parts(&self) -> Vec<&str> {
        self.current
            .map_or_else(Vec::new, |i| crate::card::parts(&self.cards, i))
    }

    /// Whether the parts of the card up are all its follow-up questions (꼬리 질문): it asks, and so does each.
    pub fn parts_are_follow_ups(&self) -> bool {
        self.current.is_some_and(|i| {
            let parts = crate::card::parts(&self.cards, i).len();
            parts > 0 && crate::card::follow_ups(&self.cards, i).len() == parts
        })
    }

    /// The answer of the card up, as fetched when it came up: its text, or why it could not be read. Reads
    /// nothing: a front end draws this, never the card's [`crate::card::Answer`].
    pub fn answer(&self) -> Option<&Result<Arc<str>, Damaged>> {
        self.current.and(self.answer.as_ref())
    }

    /// Whether the answer of the current card is shown.
    pub fn is_revealed(&self) -> bool {
        self.revealed
    }

    /// Shows the answer of the current card.
    pub fn reveal(&mut self) {
        self.revealed = self.current.is_some();
    }

    /// What kind of session this is.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Whether answers move the schedule.
    fn moves_schedule(&self) -> bool {
        matches!(self.kind, Kind::Drill | Kind::Cram { reschedule: true })
    }

    /// When the current card would come back after each grade; `None` when answers do not move the schedule
    /// (a cram without `--reschedule`) or no card is up.
    pub fn preview(&self, now: Moment) -> Option<[Delay; 4]> {
        let card = self.current()?;
        let delays = self.scheduler.preview(&card.id, &self.state_of(card), now);
        let plan = crate::plan::Plan::from_settings(&self.progress.settings);
        self.moves_schedule()
            .then(|| delays.map(|delay| plan.map_or(delay, |plan| plan.capped(delay, now))))
    }

    fn state_of(&self, card: &Card) -> crate::schedule::CardState {
        self.progress
            .cards
            .get(&card.id)
            .map(|e| e.state.clone())
            .unwrap_or_default()
    }

    /// The saved progress entry of `card`, if it was ever answered.
    pub fn entry(&self, card: &Card) -> Option<&Entry> {
        self.progress.cards.get(&card.id)
    }

    /// Whether `card`'s answer was edited since it was last answered.
    pub fn is_changed(&self, card: &Card) -> bool {
        self.entry(card)
            .is_some_and(|e| !e.answer_hash.is_empty() && e.answer_hash != card.answer_hash())
    }

    /// Answers the current card with `grade` at `at`, after `ms` milliseconds. The answer is on disk (log line
    /// appended, progress saved) when this returns `Ok`; on `Err` the session is as it was before.
    pub fn grade(&mut self, grade: Grade, at: Moment, ms: u64, journal: &mut impl Journal) -> Result<(), StoreError> {
        let Some(index) = self.current else {
            return Ok(());
        };
        let card = self.cards[index].clone();
        let at = self.not_before_last_answer(&card.id, at);
        let was_review = self
            .progress
            .cards
            .get(&card.id)
            .is_some_and(|e| e.state.phase == crate::schedule::Phase::Review);
        let review = Review {
            card: card.id.clone(),
            at,
            grade,
            mode: match self.kind {
                Kind::Drill => Mode::Drill,
                Kind::Cram { .. } => Mode::Cram,
            },
            ms,
            rescheduled: self.kind == Kind::Cram { reschedule: true },
        };
        let end = journal.append(&LogLine::Review(review.clone()))?;
        let undo = Undo {
            card: index,
            at,
            what: Undone::Answer(self.progress.cards.get(&card.id).cloned()),
            main: self.main.clone(),
            learning: self.learning.clone(),
            stats: self.stats,
        };
        // A cram that leaves the schedule alone leaves progress.yaml alone too; the next start catches its
        // `log_offset` up with the log.
        if history::moves_schedule(&review) {
            let scheduler = self.scheduler;
            self.change(&card.id, Some(end), journal, |progress| {
                history::apply(progress, &review, Some(&card), scheduler);
            })?;
        }
        self.undo.push(undo);
        self.stats.answered += 1;
        self.stats.again += usize::from(grade == Grade::Again);
        self.stats.ms += ms;
        if was_review {
            self.stats.reviews += 1;
            self.stats.forgotten += usize::from(grade == Grade::Again);
        }
        let lapses = self.progress.cards.get(&card.id).map_or(0, |e| e.state.lapses);
        self.leech = (was_review && grade == Grade::Again && history::moves_schedule(&review))
            .then_some(lapses)
            .filter(|&n| crate::schedule::leech_flagged(n));
        self.requeue(index, grade);
        self.current = None;
        self.offer = if matches!(grade, Grade::Good | Grade::Easy) {
            self.new_follow_ups(index)
        } else {
            Vec::new()
        };
        Ok(())
    }

    /// The follow-up questions of `cards[index]` a drill would not ask yet: new, not suspended, not held.
    fn new_follow_ups(&self, index: usize) -> Vec<usize> {
        let held = self.held();
        crate::card::follow_ups(&self.cards, index)
            .into_iter()
            .filter(|i| !held.contains(i))
            .filter(|&i| {
                self.progress
                    .cards
                    .get(&self.cards[i].id)
                    .is_none_or(|e| !e.suspended && e.state.phase == crate::schedule::Phase::New)
            })
            .collect()
    }

    /// How many follow-up questions (꼬리 질문) of the card just answered Good or Easy are on offer.
    pub fn follow_ups_offered(&self) -> usize {
        self.offer.len()
    }

    /// Asks the follow-up questions on offer next, before the card up (which comes back after them); returns how
    /// many. None are on offer after any other step.
    pub fn ask_follow_ups(&mut self, now: Moment) -> usize {
        let offered = std::mem::take(&mut self.offer);
        if offered.is_empty() {
            return 0;
        }
        if let Some(current) = self.current.take() {
            self.main.push_front(current);
        }
        for &i in offered.iter().rev() {
            self.main.push_front(i);
            self.planned.insert(self.cards[i].id.clone());
        }
        self.next(now);
        offered.len()
    }

    /// `at`, or the moment of the last answer to the card `id` when that is later (see [`history::not_before`]).
    fn not_before_last_answer(&self, id: &crate::card::CardId, at: Moment) -> Moment {
        let last = self.progress.cards.get(id).and_then(|e| e.state.last_review);
        last.map_or(at, |last| history::not_before(at, last))
    }

    /// What to tell the user when the answer just given flagged its card a leech (its 8th lapse, then every 4th),
    /// as Anki flags one: it needs rewriting more than drilling.
    pub fn leech_note(&self) -> Option<String> {
        self.leech.map(|lapses| {
            format!("a leech: forgotten {lapses} times; rewrite it in the notes, or `u` then `!` to suspend it")
        })
    }

    /// Where a just-answered card goes next in this session.
    fn requeue(&mut self, index: usize, grade: Grade) {
        match self.kind {
            Kind::Drill => {
                let state = self.state_of(&self.cards[index]);
                if let (true, Some(due)) = (state.phase.is_learning(), state.due) {
                    let at = self.learning.partition_point(|(d, _)| *d <= due);
                    self.learning.insert(at, (due, index));
                }
            }
            Kind::Cram { .. } => {
                let gap = match grade {
                    Grade::Again => CRAM_AGAIN_GAP,
                    Grade::Hard => CRAM_HARD_GAP,
                    Grade::Good | Grade::Easy => return,
                };
                self.main.insert(gap.min(self.main.len()), index);
            }
        }
    }

    /// Takes back the last answer or suspension of this session at `at`: for an answer its state is restored and
    /// an undo line appended, for a suspension a release line (the log is never rewritten); either way the card is
    /// up again. `Ok(false)` when there is nothing to undo.
    pub fn undo(&mut self, at: Moment, journal: &mut impl Journal) -> Result<bool, StoreError> {
        self.offer.clear();
        let Some(undo) = self.undo.last().cloned() else {
            return Ok(false);
        };
        let card = self.cards[undo.card].clone();
        // After what it takes back, in time as in the file (see [`history::not_before`]).
        let at = history::not_before(at, undo.at);
        match &undo.what {
            Undone::Answer(before) => {
                let line = LogLine::Undo {
                    card: card.id.clone(),
                    at,
                    undoes: undo.at,
                };
                let end = journal.append(&line)?;
                if self.moves_schedule() {
                    self.change(&card.id, Some(end), journal, |progress| {
                        match before {
                            Some(entry) => progress.cards.insert(card.id.clone(), entry.clone()),
                            None => progress.cards.remove(&card.id),
                        };
                    })?;
                }
            }
            Undone::Suspend => {
                let line = LogLine::Release {
                    card: card.id.clone(),
                    at,
                };
                self.log_suspension(&line, &card, journal)?;
                self.planned.insert(card.id.clone());
            }
        }
        self.undo.pop();
        if let Some(current) = self.current.take() {
            self.main.push_front(current);
        }
        self.main = undo.main;
        self.learning = undo.learning;
        self.stats = undo.stats;
        self.bring_up(Some(undo.card));
        self.revealed = false;
        Ok(true)
    }

    /// Suspends the current card at `at`: a suspend line is appended and the progress saved (in a cram too), and
    /// the card leaves the session at once; no drill or cram asks it again until it is released (`amgi release`,
    /// or [`Session::undo`]). On `Err` the session is as it was.
    pub fn suspend(&mut self, at: Moment, journal: &mut impl Journal) -> Result<(), StoreError> {
        self.offer.clear();
        let Some(index) = self.current else {
            return Ok(());
        };
        let card = self.cards[index].clone();
        let at = self.not_before_last_answer(&card.id, at);
        let line = LogLine::Suspend {
            card: card.id.clone(),
            at,
        };
        self.log_suspension(&line, &card, journal)?;
        self.undo.push(Undo {
            card: index,
            at,
            what: Undone::Suspend,
            main: self.main.clone(),
            learning: self.learning.clone(),
            stats: self.stats,
        });
        // A cram may hold a card more than once.
        self.main.retain(|&i| i != index);
        // It leaves the work planned rather than count as done.
        self.planned.remove(&card.id);
        self.current = None;
        self.revealed = false;
        Ok(())
    }

    /// Appends `line` (a suspend or release of `card`) and saves the progress it gives, as a replay of the log
    /// would give it ([`history::set_suspended`]).
    fn log_suspension(&mut self, line: &LogLine, card: &Card, journal: &mut impl Journal) -> Result<(), StoreError> {
        let end = journal.append(line)?;
        let suspended = matches!(line, LogLine::Suspend { .. });
        self.change(&card.id, Some(end), journal, |progress| {
            history::set_suspended(progress, &card.id, suspended, Some(card));
        })
    }

    /// Changes the progress of the card `id` (and nothing else) with `change`, records the log's end `end` when
    /// given, and saves it; on `Err` the progress is as it was. The progress is changed in place and shared with
    /// the journal rather than copied (a copy of 10,000 cards' progress costs milliseconds): it is copied only when
    /// the journal still holds the last one saved, when answers come faster than a background writer writes.
    fn change(
        &mut self,
        id: &crate::card::CardId,
        end: Option<LogEnd>,
        journal: &mut impl Journal,
        change: impl FnOnce(&mut Progress),
    ) -> Result<(), StoreError> {
        let before = (
            self.progress.cards.get(id).cloned(),
            self.progress.log_offset,
            self.progress.log_crc,
        );
        let progress = Arc::make_mut(&mut self.progress);
        change(progress);
        if let Some(end) = end {
            progress.log_offset = end.len;
            progress.log_crc = end.crc;
        }
        let saved = journal.save_shared(&self.progress);
        if saved.is_err() {
            let progress = Arc::make_mut(&mut self.progress);
            let (entry, log_offset, log_crc) = before;
            match entry {
                Some(entry) => progress.cards.insert(id.clone(), entry),
                None => progress.cards.remove(id),
            };
            progress.log_offset = log_offset;
            progress.log_crc = log_crc;
        }
        saved
    }

    /// Puts the current card off at `at`: in a drill until tomorrow (saved, so a second drill today does not ask
    /// it either), in a cram to the end of the queue.
    pub fn skip(&mut self, at: Moment, journal: &mut impl Journal) -> Result<Option<Moment>, StoreError> {
        self.offer.clear();
        let Some(index) = self.current else {
            return Ok(None);
        };
        let mut until = None;
        if matches!(self.kind, Kind::Cram { .. }) {
            self.main.push_back(index);
        } else {
            let card = self.cards[index].clone();
            let tomorrow = at.start_of(at.day().saturating_add(jiff::Span::new().days(1)));
            self.change(&card.id, None, journal, |progress| {
                let entry = progress.cards.entry(card.id.clone()).or_insert_with(|| Entry {
                    question: card.question.clone(),
                    answer_hash: String::new(),
                    state: crate::schedule::CardState::default(),
                    skipped_until: None,
                    suspended: false,
                });
                entry.skipped_until = Some(tomorrow);
            })?;
            until = Some(tomorrow);
        }
        self.current = None;
        self.revealed = false;
        Ok(until)
    }

    /// What a skip says: until when a drill leaves the card (`skipped: back in 7h (2026-11-25 04:00)`), or that a cram
    /// asks it at the end.
    pub fn skipped_note(until: Option<Moment>, now: Moment) -> String {
        match until {
            Some(until) => format!("skipped: back {}", crate::schedule::due_in(until, now)),
            None => "skipped: asked again at the end".to_owned(),
        }
    }

    /// The counts Anki shows: new cards, learning cards, due reviews still ahead in this session (the current
    /// card included).
    pub fn counts(&self) -> [usize; 3] {
        let all = self.main.iter().chain(self.current.iter());
        let mut counts = [0, self.learning.len(), 0];
        for &i in all {
            match self.progress.cards.get(&self.cards[i].id).map(|e| e.state.phase) {
                None | Some(crate::schedule::Phase::New) => counts[0] += 1,
                Some(p) if p.is_learning() => counts[1] += 1,
                Some(_) => counts[2] += 1,
            }
        }
        counts
    }

    /// Puts in the cards as the notes have them now (after an edit at `now`) and plans the rest of the session
    /// over them, keeping what was answered. The card up stays up when it is still there (by id, or at its file
    /// and line when its question was edited). A drill plans again as it does at the start, with what this
    /// session answered counted against the day's limits, so a card still due is asked and a deleted one is not;
    /// a cram keeps its order for the cards it still has and adds new cards at the end. Answers given before the
    /// edit can no longer be undone.
    pub fn replace_cards(&mut self, cards: Vec<Card>, now: Moment) {
        let old_ids: std::collections::HashSet<&crate::card::CardId> = self.cards.iter().map(|c| &c.id).collect();
        let by_id: std::collections::HashMap<&crate::card::CardId, usize> =
            cards.iter().enumerate().map(|(i, c)| (&c.id, i)).collect();
        // The card up now: by id, else the card at its place if that one is new (its question was edited).
        let current = self.current.and_then(|i| {
            let old = &self.cards[i];
            by_id.get(&old.id).copied().or_else(|| {
                cards
                    .iter()
                    .position(|c| c.file == old.file && c.line == old.line && !old_ids.contains(&c.id))
            })
        });
        let (main, learning): (VecDeque<usize>, Vec<(Moment, usize)>) = match self.kind {
            Kind::Drill => {
                self.today = self.today_now();
                let plan = queue::drill(&cards, &self.progress, self.scheduler, now, self.limits, self.today);
                (plan.main.into(), plan.learning)
            }
            Kind::Cram { .. } => {
                let mut order: VecDeque<usize> = self
                    .main
                    .iter()
                    .filter_map(|&i| by_id.get(&self.cards[i].id).copied())
                    .collect();
                let suspended = |i: usize| self.progress.cards.get(&cards[i].id).is_some_and(|e| e.suspended);
                order.extend((0..cards.len()).filter(|&i| !old_ids.contains(&cards[i].id) && !suspended(i)));
                (order, Vec::new())
            }
        };
        // What was planned and is still in the notes stays planned; what the new plan adds joins it.
        let new_ids: std::collections::HashSet<&crate::card::CardId> = cards.iter().map(|c| &c.id).collect();
        self.planned.retain(|id| new_ids.contains(id));
        self.planned.extend(
            main.iter()
                .copied()
                .chain(learning.iter().map(|&(_, i)| i))
                .chain(current)
                .map(|i| cards[i].id.clone()),
        );
        self.main = main.into_iter().filter(|&i| Some(i) != current).collect();
        self.learning = learning.into_iter().filter(|&(_, i)| Some(i) != current).collect();
        if current.is_none() {
            self.revealed = false;
        }
        self.undo.clear();
        self.cards = cards;
        self.parents = std::cell::OnceCell::new();
        // Fetched again: the answer up may be the edited one.
        self.bring_up(current);
    }

    /// The session's work as done and planned cards: a card counts once however often it comes back (a learning
    /// step, an Again in a cram), so the total does not grow with every answer, as Anki's counts do not. Done is
    /// what is planned and no longer up or queued.
    pub fn work(&self) -> (usize, usize) {
        let queued: std::collections::HashSet<&crate::card::CardId> = self
            .main
            .iter()
            .copied()
            .chain(self.learning.iter().map(|&(_, i)| i))
            .chain(self.current)
            .map(|i| &self.cards[i].id)
            .collect();
        let planned = self.planned.len().max(queued.len());
        (planned - queued.len().min(planned), planned)
    }

    /// Answers given so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The scheduler answers go through.
    pub fn scheduler(&self) -> &'a Scheduler {
        self.scheduler
    }

    /// The progress as saved after the last answer.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The final pass a finished drill offers on the eve and the day of the interview (see [`crate::plan`]): the
    /// cards under the target retention, in the order to ask them. `None` on other days, without a plan, in a cram,
    /// or when every card is above the target.
    pub fn final_pass(&self, now: Moment) -> Option<Vec<usize>> {
        if self.kind != Kind::Drill {
            return None;
        }
        let plan = crate::plan::Plan::from_settings(&self.progress.settings)?;
        if !plan.is_final_days(now.day()) {
            return None;
        }
        let order = crate::plan::final_pass(&self.cards, &self.progress, self.scheduler, &plan, now);
        (!order.is_empty()).then_some(order)
    }

    /// Turns the session into the final pass over `order` (from [`Session::final_pass`]): a cram that leaves the
    /// schedule alone. What was answered so far stays counted; what was undoable is no longer.
    pub fn start_final_pass(&mut self, order: Vec<usize>) {
        self.kind = Kind::Cram { reschedule: false };
        self.planned = order.iter().map(|&i| self.cards[i].id.clone()).collect();
        self.main = order.into();
        self.learning.clear();
        self.current = None;
        self.revealed = false;
        self.undo.clear();
    }

    /// What counts against the day's limits now: what did before the session, and this session's answers (those
    /// the undo stack holds), each card once, new when it was new at its first answer.
    fn today_now(&self) -> Today {
        let mut today = self.today;
        let mut first: std::collections::HashMap<&crate::card::CardId, bool> = std::collections::HashMap::new();
        for undo in &self.undo {
            let Some(before) = undo.what.answered_from() else {
                continue;
            };
            let was_new = before.is_none_or(|e| e.state.phase == crate::schedule::Phase::New);
            first.entry(&self.cards[undo.card].id).or_insert(was_new);
        }
        for was_new in first.into_values() {
            if was_new {
                today.new_seen += 1;
            } else {
                today.reviewed += 1;
            }
        }
        today
    }

    /// The cards this session still holds: up, queued, or in learning steps.
    fn held(&self) -> std::collections::HashSet<usize> {
        self.main
            .iter()
            .copied()
            .chain(self.learning.iter().map(|&(_, i)| i))
            .chain(self.current)
            .collect()
    }

    /// New cards the day's new-card limit would still take but this session does not hold, because the review
    /// limit counts new cards too and is reached (Anki's default); 0 for a cram.
    pub fn new_beyond_review_limit(&self, now: Moment) -> usize {
        if self.kind != Kind::Drill {
            return 0;
        }
        let [held_new, _, _] = self.counts();
        let held = self.held();
        // A follow-up question waits for its question, or is ready once that is answered (see
        // [`Session::follow_ups_ready`]), not for the limit.
        let parents = self.parents();
        let waiting = self
            .cards
            .iter()
            .enumerate()
            .filter(|(i, _)| !held.contains(i) && parents[*i].is_none())
            .filter(|(_, card)| match self.progress.cards.get(&card.id) {
                None => true,
                Some(e) => {
                    e.state.phase == crate::schedule::Phase::New
                        && !e.suspended
                        && e.skipped_until.is_none_or(|until| until <= now)
                }
            })
            .count();
        let room = self.limits.new.saturating_sub(self.today_now().new_seen);
        room.min(waiting + held_new).saturating_sub(held_new)
    }

    /// See [`Session::parents`](field@Session::parents).
    fn parents(&self) -> &[Option<usize>] {
        self.parents.get_or_init(|| crate::card::follow_up_parents(&self.cards))
    }

    /// New follow-up questions this session does not hold whose question has now been answered Good or Easy: the
    /// next drill asks them (`f` asks them at once when they are offered).
    pub fn follow_ups_ready(&self, now: Moment) -> usize {
        if self.kind != Kind::Drill {
            return 0;
        }
        let parents = self.parents();
        if parents.iter().all(Option::is_none) {
            return 0;
        }
        let held = self.held();
        let passed = |i: usize| {
            self.progress
                .cards
                .get(&self.cards[i].id)
                .is_some_and(|e| e.state.passed())
        };
        (0..self.cards.len())
            .filter(|i| !held.contains(i) && parents[*i].is_some_and(passed))
            .filter(|&i| match self.progress.cards.get(&self.cards[i].id) {
                None => true,
                Some(e) => {
                    e.state.phase == crate::schedule::Phase::New
                        && !e.suspended
                        && e.skipped_until.is_none_or(|until| until <= now)
                }
            })
            .count()
    }

    /// Cards due at `now` that this session does not hold (the day's review limit kept them out): reviews and
    /// learning steps whose due moment has come, not skipped or suspended, and neither up nor queued.
    pub fn due_beyond_session(&self, now: Moment) -> usize {
        let plan = crate::plan::Plan::from_settings(&self.progress.settings);
        let held = self.held();
        self.cards
            .iter()
            .enumerate()
            .filter(|(i, _)| !held.contains(i))
            .filter_map(|(_, card)| self.progress.cards.get(&card.id).map(|e| (card, e)))
            .filter(|(_, e)| !e.suspended && e.skipped_until.is_none_or(|until| until <= now))
            .filter(|(card, e)| {
                crate::plan::due(plan.as_ref(), &card.id, &e.state, self.scheduler, now).is_some_and(|due| due <= now)
            })
            .count()
    }

    /// What is left after a session stops at `now`, in lines for its summary: the cards it still held (quit before
    /// the end), cards due that the day's limits kept out, and when the next one comes due; a drill with nothing left
    /// says so and points at a cram.
    pub fn what_is_left(&self, now: Moment) -> Vec<String> {
        let mut lines = Vec::new();
        let [new, learning, due] = self.counts();
        let kind = self.kind();
        if new + learning + due > 0 {
            let what = match kind {
                Kind::Drill => format!("{new} new · {learning} learning · {due} due"),
                Kind::Cram { .. } => format!("{} cards", new + learning + due),
            };
            let again = match kind {
                Kind::Drill => "`amgi`",
                Kind::Cram { .. } => "`amgi cram`",
            };
            lines.push(format!("left for today: {what}; {again} goes on with them"));
        }
        let beyond = self.due_beyond_session(now);
        if kind == Kind::Drill && beyond > 0 {
            lines.push(format!(
                "{beyond} more due, over today's review limit (`--max-reviews` raises it)"
            ));
        }
        let new_beyond = self.new_beyond_review_limit(now);
        if new_beyond > 0 {
            lines.push(format!(
                "{new_beyond} new {} today's review limit, which counts new cards too (`--max-reviews` raises it)",
                if new_beyond == 1 { "card waits:" } else { "cards wait:" }
            ));
        }
        let ready = self.follow_ups_ready(now);
        if ready > 0 {
            lines.push(if ready == 1 {
                "1 follow-up question is ready (what it follows was answered); `amgi` asks it".to_owned()
            } else {
                format!("{ready} follow-up questions are ready (what they follow was answered); `amgi` asks them")
            });
        }
        if !lines.is_empty() {
            return lines;
        }
        match self.next_due(now) {
            Some(next) => lines.push(format!("next card due {}", crate::schedule::due_in(next, now))),
            None if kind == Kind::Drill => {
                lines.push("nothing more is due; `amgi cram` goes over every card".into());
            }
            None => {}
        }
        lines
    }

    /// When the next card of the whole deck comes due after `now` (learning steps and reviews, suspended cards
    /// aside), as an interview plan has it when there is one.
    pub fn next_due(&self, now: Moment) -> Option<Moment> {
        let ids = crate::history::card_ids(&self.cards);
        let plan = crate::plan::Plan::from_settings(&self.progress.settings);
        self.progress
            .cards
            .iter()
            .filter(|(id, e)| !e.suspended && ids.contains(id))
            .filter_map(|(id, e)| crate::plan::due(plan.as_ref(), id, &e.state, self.scheduler, now))
            .filter(|due| *due > now)
            .min()
    }
}

#[cfg(test)]
mod tests;
