//! Which cards a session asks, and in what order. Pure: cards, progress and a moment in; indices out.

use crate::card::Card;
use crate::history::Today;
use crate::plan::{self, Plan};
use crate::schedule::{CardState, Phase, Scheduler};
use crate::store::Progress;
use crate::time::Moment;
use std::cmp::Ordering;

/// Daily limits of a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// New cards a day (`--new`, default 20).
    pub new: usize,
    /// Review cards a day (`--max-reviews`, default 200).
    pub reviews: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { new: 20, reviews: 200 }
    }
}

/// A drill's cards, as indices into the card list it was built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drill {
    /// Due reviews (lowest recall probability first), then new cards in note order, within today's limits.
    pub main: Vec<usize>,
    /// Cards in (re)learning steps with when each is due, earliest first; asked when due.
    pub learning: Vec<(Moment, usize)>,
}

fn state_of<'p>(progress: &'p Progress, card: &Card) -> Option<&'p CardState> {
    progress.cards.get(&card.id).map(|e| &e.state)
}

/// Whether `card` is suspended: no session asks it.
pub fn is_suspended(progress: &Progress, card: &Card) -> bool {
    progress.cards.get(&card.id).is_some_and(|e| e.suspended)
}

/// The cards a drill at `now` asks: learning cards when due, then due reviews, then new cards, at most
/// `limits` a day counting what `today` already did; never a suspended card, nor one skipped until later. An
/// interview plan in the progress settings decides when review cards are due ([`Plan::due`]).
pub fn drill(
    cards: &[Card],
    progress: &Progress,
    scheduler: &Scheduler,
    now: Moment,
    limits: Limits,
    today: Today,
) -> Drill {
    let plan = Plan::from_settings(&progress.settings);
    let is_due = |card: &Card, state: &CardState| {
        plan::due(plan.as_ref(), &card.id, state, scheduler, now).is_some_and(|due| due <= now)
    };
    let mut learning = Vec::new();
    let mut reviews = Vec::new();
    let mut new = Vec::new();
    for (i, card) in cards.iter().enumerate() {
        let entry = progress.cards.get(&card.id);
        let skipped = entry.and_then(|e| e.skipped_until);
        if entry.is_some_and(|e| e.suspended) || skipped.is_some_and(|until| until > now) {
            continue;
        }
        // One look-up per card: at 10,000 cards each is a walk down the progress by string comparisons.
        match entry.map(|e| &e.state) {
            None => new.push(i),
            Some(state) if state.phase == Phase::New => new.push(i),
            Some(state) if state.phase.is_learning() => learning.push((state.due.unwrap_or(now), i)),
            Some(state) if is_due(card, state) => {
                reviews.push((scheduler.retrievability(state, now).unwrap_or(0.0), state.due, i));
            }
            Some(_) => {}
        }
    }
    learning.sort_by_key(|&(due, i)| (due, i));
    reviews.sort_by(|a, b| {
        a.0.partial_cmp(&b.0)
            .unwrap_or(Ordering::Equal)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let (review_room, new_room) = rooms(limits, today, reviews.len());
    let main = reviews
        .into_iter()
        .take(review_room)
        .map(|(_, _, i)| i)
        .chain(
            new.into_iter()
                .filter(|&i| !waits_for_its_question(cards, i, progress))
                .take(new_room),
        )
        .collect();
    Drill { main, learning }
}

/// Whether `cards[i]` is a follow-up question (꼬리 질문) whose question has not yet been answered Good or Easy: it
/// is not asked before. Looked at only for the new cards a drill takes.
fn waits_for_its_question(cards: &[Card], i: usize, progress: &Progress) -> bool {
    crate::card::follow_up_of(cards, i).is_some_and(|p| {
        !progress
            .cards
            .get(&cards[p].id)
            .is_some_and(|entry| entry.state.passed())
    })
}

/// How many due reviews and new cards a drill may still ask today, as Anki's daily limits count (its default,
/// new cards not ignoring the review limit): the review limit counts the new cards seen today too, and caps the
/// new cards, so once `due` reviews take what is left of it, no new card comes.
pub fn rooms(limits: Limits, today: Today, due: usize) -> (usize, usize) {
    let review_room = limits.reviews.saturating_sub(today.reviewed + today.new_seen);
    let new_room = limits.new.saturating_sub(today.new_seen);
    let reviews = due.min(review_room);
    (reviews, new_room.min(review_room - reviews))
}

/// Every card but the suspended ones, weakest first: never seen, then lowest recall probability at `now`, then
/// most lapses; note order breaks ties.
pub fn cram(cards: &[Card], progress: &Progress, scheduler: &Scheduler, now: Moment) -> Vec<usize> {
    let mut keyed: Vec<(bool, f32, u32, usize)> = cards
        .iter()
        .enumerate()
        .filter(|(_, card)| !is_suspended(progress, card))
        .map(|(i, card)| match state_of(progress, card) {
            Some(state) if state.phase != Phase::New => (
                true,
                scheduler.retrievability(state, now).unwrap_or(0.0),
                state.lapses,
                i,
            ),
            _ => (false, 0.0, 0, i),
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal))
            .then(b.2.cmp(&a.2))
            .then(a.3.cmp(&b.3))
    });
    keyed.into_iter().map(|(_, _, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today(new_seen: usize, reviewed: usize) -> Today {
        Today { new_seen, reviewed }
    }

    #[test]
    fn the_review_limit_caps_new_cards_too_as_in_anki() {
        let limits = Limits { new: 20, reviews: 200 };
        // 300 due with a limit of 200: 200 reviews and no new card.
        assert_eq!(rooms(limits, today(0, 0), 300), (200, 0));
        // 190 due: 190 reviews, and the 10 left of the limit for new cards.
        assert_eq!(rooms(limits, today(0, 0), 190), (190, 10));
        assert_eq!(rooms(limits, today(0, 0), 50), (50, 20));
        // New cards seen today count against the review limit as well as their own.
        assert_eq!(rooms(limits, today(15, 180), 10), (5, 0));
        assert_eq!(rooms(limits, today(5, 0), 0), (0, 15));
        // Past the limits: nothing, not an underflow.
        assert_eq!(rooms(limits, today(30, 250), 10), (0, 0));
    }
}
