//! The review log applied to progress: the same code for a live answer, for catching up after a crash, and for
//! `amgi repair`, so that replaying reviews.yaml gives back progress.yaml exactly.

use crate::card::{Card, CardId};
use crate::schedule::{CardState, Phase, Scheduler};
use crate::store::{Entry, Log, LogLine, Mode, Progress, Review};
use std::collections::HashMap;

/// Whether `review` moves the card's schedule: drill answers do, cram answers only with `--reschedule`.
pub fn moves_schedule(review: &Review) -> bool {
    review.mode == Mode::Drill || review.rescheduled
}

/// Applies one answer to `progress`. `card` (the card as the notes have it now) names the question and answer
/// fingerprint to store; without it (a card no longer in the notes) the stored ones are kept.
pub fn apply(progress: &mut Progress, review: &Review, card: Option<&Card>, scheduler: &Scheduler) {
    if !moves_schedule(review) {
        return;
    }
    let entry = progress.cards.entry(review.card.clone()).or_insert_with(|| Entry {
        question: String::new(),
        answer_hash: String::new(),
        state: CardState::default(),
        skipped_until: None,
    });
    entry.state = scheduler.review(&review.card, &entry.state, review.grade, review.at);
    // An answer ends a skip.
    entry.skipped_until = None;
    if let Some(card) = card {
        entry.question = card.question.clone();
        entry.answer_hash = card.answer_hash();
    }
}

/// The reviews of `lines` that no undo line takes back, in order. An undo takes back the latest review before it
/// of the same card at the moment it names, so a card answered again in the same second after an undo is kept.
pub fn effective_reviews(lines: &[LogLine]) -> Vec<&Review> {
    let mut kept: Vec<Option<&Review>> = Vec::with_capacity(lines.len());
    for line in lines {
        match line {
            LogLine::Review(review) => kept.push(Some(review)),
            LogLine::Undo { card, undoes, .. } => {
                let undone = kept
                    .iter_mut()
                    .rev()
                    .find(|r| r.is_some_and(|r| r.card == *card && r.at == *undoes));
                if let Some(slot) = undone {
                    *slot = None;
                }
            }
        }
    }
    kept.into_iter().flatten().collect()
}

/// Whether every undo in `lines` takes back a review that is also in `lines`, so the lines can be applied on
/// top of the progress that came before them.
pub fn is_self_contained(lines: &[LogLine]) -> bool {
    lines.iter().enumerate().all(|(i, line)| match line {
        LogLine::Undo { card, undoes, .. } => lines[..i]
            .iter()
            .any(|l| matches!(l, LogLine::Review(r) if r.card == *card && r.at == *undoes)),
        LogLine::Review(_) => true,
    })
}

/// Progress rebuilt from the whole log. `previous` (the old progress, when it could be read) gives the settings
/// and the questions of cards no longer in the notes; `log_len` becomes the new `log_offset`.
pub fn replay(
    lines: &[LogLine],
    log_len: u64,
    cards: &[Card],
    previous: Option<&Progress>,
    scheduler: &Scheduler,
) -> Progress {
    let by_id: HashMap<&CardId, &Card> = cards.iter().map(|c| (&c.id, c)).collect();
    let mut progress = Progress {
        settings: previous.map(|p| p.settings.clone()).unwrap_or_default(),
        log_offset: log_len,
        ..Progress::default()
    };
    for review in effective_reviews(lines) {
        apply(&mut progress, review, by_id.get(&review.card).copied(), scheduler);
    }
    if let Some(previous) = previous {
        // Skips are not answers and are not in the log: keep the ones the old progress still has.
        for (id, old) in previous.cards.iter().filter(|(_, e)| e.skipped_until.is_some()) {
            progress
                .cards
                .entry(id.clone())
                .or_insert_with(|| old.clone())
                .skipped_until = old.skipped_until;
        }
        for (id, entry) in &mut progress.cards {
            if !by_id.contains_key(id)
                && let Some(old) = previous.cards.get(id)
            {
                entry.question.clone_from(&old.question);
                entry.answer_hash.clone_from(&old.answer_hash);
            }
        }
    }
    progress
}

/// Answers `previous` counts that `rebuilt` (a replay of the log) does not: the log lost lines that progress.yaml
/// still reflects (moved away, cut, replaced by an older copy).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Missing {
    /// Cards with fewer answers in the replay than in `previous`.
    pub cards: usize,
    /// The answers missing, over all of them.
    pub answers: u64,
    /// One such card, to name.
    pub example: Option<CardId>,
}

/// [`Missing`] between the progress before a replay and the replay: per card, the answers counted (`reps`) that
/// the replay does not reach.
pub fn missing_answers(previous: &Progress, rebuilt: &Progress) -> Missing {
    let mut missing = Missing::default();
    for (id, old) in &previous.cards {
        let now = rebuilt.cards.get(id).map_or(0, |e| e.state.reps);
        if old.state.reps > now {
            missing.cards += 1;
            missing.answers += u64::from(old.state.reps - now);
            missing.example.get_or_insert_with(|| id.clone());
        }
    }
    missing
}

/// `progress` brought up to date with `tail`, the log's lines after `progress.log_offset` (a crash between
/// appending an answer and saving progress leaves them there); `log_len`, the log's length, becomes the new offset.
/// The whole log, which `whole` reads, is replayed instead when the tail cannot simply follow what progress holds:
/// an undo in it may take back an answer applied before, and an answer no later than the card's last one is a
/// copy of one applied already or an answer from another machine to put in its place in time.
pub fn catch_up<E>(
    progress: Progress,
    tail: &[LogLine],
    log_len: u64,
    cards: &[Card],
    scheduler: &Scheduler,
    whole: impl FnOnce() -> Result<Log, E>,
) -> Result<Progress, E> {
    let follows = |line: &LogLine| match line {
        LogLine::Undo { .. } => false,
        LogLine::Review(review) => {
            !moves_schedule(review)
                || progress
                    .cards
                    .get(&review.card)
                    .and_then(|e| e.state.last_review)
                    .is_none_or(|last| last < review.at)
        }
    };
    if !tail.iter().all(follows) {
        let log = whole()?;
        return Ok(replay(&log.lines, log.len, cards, Some(&progress), scheduler));
    }
    let mut progress = progress;
    let by_id: HashMap<&CardId, &Card> = cards.iter().map(|c| (&c.id, c)).collect();
    for review in effective_reviews(tail) {
        apply(&mut progress, review, by_id.get(&review.card).copied(), scheduler);
    }
    progress.log_offset = log_len;
    Ok(progress)
}

/// What today's part of the log says about the daily limits.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    /// New cards first answered in a drill today.
    pub new_seen: usize,
    /// Other cards answered in a drill today.
    pub reviewed: usize,
}

/// Counts today's drill answers in `lines` (the log since today started). A card counts as new today when
/// all the answers that moved its schedule were given today.
pub fn today(lines: &[LogLine], progress: &Progress) -> Today {
    let mut per_card: HashMap<&CardId, u32> = HashMap::new();
    for review in effective_reviews(lines) {
        if review.mode == Mode::Drill {
            *per_card.entry(&review.card).or_default() += 1;
        }
    }
    let mut today = Today::default();
    for (id, answers) in per_card {
        let reps = progress.cards.get(id).map_or(0, |e| e.state.reps);
        let is_new = progress.cards.get(id).is_none_or(|e| e.state.phase == Phase::New) || reps <= answers;
        if is_new {
            today.new_seen += 1;
        } else {
            today.reviewed += 1;
        }
    }
    today
}
