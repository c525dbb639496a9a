//! The review log applied to progress: the same code for a live answer, for catching up after a crash, and for
//! `amgi repair`, so that replaying reviews.yaml gives back progress.yaml exactly.

use crate::card::{Card, CardId};
use crate::schedule::{CardState, Phase, Scheduler};
use crate::store::{Entry, Exact, Log, LogLine, Mode, PlanChange, Progress, Review};
use crate::time::Moment;
use std::collections::{HashMap, HashSet};

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
        suspended: false,
    });
    entry.state = scheduler.review(&review.card, &entry.state, review.grade, review.at);
    // An answer ends a skip.
    entry.skipped_until = None;
    if let Some(card) = card {
        entry.question = card.question.clone();
        entry.answer_hash = card.answer_hash();
    }
}

/// Suspends the card `id` (`suspended`) or releases it, as a suspend or release line of the log does, the same
/// for a live `!`, its undo, `amgi release` and a replay. `card` (the card as the notes have it now) names the
/// question of a card that had no progress yet. A release leaves no entry behind for a card that has no other
/// progress (never answered, not skipped), so suspending and releasing a new card leaves progress.yaml as it was.
pub fn set_suspended(progress: &mut Progress, id: &CardId, suspended: bool, card: Option<&Card>) {
    if suspended {
        let entry = progress.cards.entry(id.clone()).or_insert_with(|| Entry {
            question: card.map(|c| c.question.clone()).unwrap_or_default(),
            answer_hash: String::new(),
            state: CardState::default(),
            skipped_until: None,
            suspended: false,
        });
        entry.suspended = true;
    } else if let Some(entry) = progress.cards.get_mut(id) {
        entry.suspended = false;
        if entry.state == CardState::default() && entry.skipped_until.is_none() {
            progress.cards.remove(id);
        }
    }
}

/// One thing the log does to progress, in order: an answer no undo took back, a card's progress moved to a new
/// id, or a card suspended or released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'l> {
    /// An answer.
    Review(&'l Review),
    /// The progress of `from` moves to `to`.
    Move {
        /// The id the card had.
        from: &'l CardId,
        /// Its id now.
        to: &'l CardId,
    },
    /// The card is suspended (`suspended`) or released.
    Suspend {
        /// The card.
        card: &'l CardId,
        /// Suspended (true) or released (false).
        suspended: bool,
    },
    /// The scheduler's settings change from here on (what is `None` stays).
    Settings {
        /// The desired retention.
        retention: Option<Exact>,
        /// The FSRS parameters.
        parameters: Option<&'l [Exact]>,
        /// The interview plan, set or cleared.
        plan: Option<PlanChange>,
    },
}

/// What `lines` do to progress, in order: the reviews no undo line takes back, the moves, the suspensions and
/// releases. An undo takes back the latest review before it of the same card at the moment it names, so a card
/// answered again in the same second after an undo is kept. (A suspension is taken back by a release line.)
pub fn effective(lines: &[LogLine]) -> Vec<Step<'_>> {
    let mut kept: Vec<Step<'_>> = Vec::with_capacity(lines.len());
    // The steps an undo took back, by index; most logs have no undo, and then the steps are kept as they come.
    let mut undone: Vec<bool> = Vec::new();
    for line in lines {
        let step = match line {
            LogLine::Review(review) => Step::Review(review),
            LogLine::Move { card, from, .. } => Step::Move { from, to: card },
            LogLine::Suspend { card, .. } => Step::Suspend { card, suspended: true },
            LogLine::Release { card, .. } => Step::Suspend { card, suspended: false },
            LogLine::Settings {
                retention,
                parameters,
                plan,
                ..
            } => Step::Settings {
                retention: *retention,
                parameters: parameters.as_deref(),
                plan: *plan,
            },
            LogLine::Undo { card, undoes, .. } => {
                let taken = |i: usize| undone.get(i).copied().unwrap_or(false);
                let found =
                    kept.iter().enumerate().rev().find(|&(i, s)| {
                        !taken(i) && matches!(s, Step::Review(r) if r.card == *card && r.at == *undoes)
                    });
                if let Some((i, _)) = found {
                    if undone.len() <= i {
                        undone.resize(kept.len(), false);
                    }
                    undone[i] = true;
                }
                continue;
            }
        };
        kept.push(step);
    }
    if undone.contains(&true) {
        let mut i = 0;
        kept.retain(|_| {
            i += 1;
            !undone.get(i - 1).copied().unwrap_or(false)
        });
    }
    kept
}

/// The reviews of `lines` that no undo line takes back, in order (see [`effective`]).
pub fn effective_reviews(lines: &[LogLine]) -> Vec<&Review> {
    effective(lines)
        .into_iter()
        .filter_map(|step| match step {
            Step::Review(review) => Some(review),
            Step::Move { .. } | Step::Suspend { .. } | Step::Settings { .. } => None,
        })
        .collect()
}

/// Applies one step of the log to `progress` (see [`apply`] for answers, [`set_suspended`] for suspensions). A
/// move takes the progress of `from` to `to` when `to` has none yet, a suspension with it.
pub fn apply_step(progress: &mut Progress, step: Step<'_>, by_id: &HashMap<&CardId, &Card>, scheduler: &Scheduler) {
    match step {
        Step::Review(review) => apply(progress, review, by_id.get(&review.card).copied(), scheduler),
        Step::Move { from, to } => {
            if !progress.cards.contains_key(to)
                && let Some(mut entry) = progress.cards.remove(from)
            {
                if let Some(card) = by_id.get(to) {
                    entry.question = card.question.clone();
                    entry.answer_hash = card.answer_hash();
                }
                progress.cards.insert(to.clone(), entry);
            }
        }
        Step::Suspend { card, suspended } => set_suspended(progress, card, suspended, by_id.get(card).copied()),
        // The scheduler the next steps are applied with changes: see [`replay`].
        Step::Settings { .. } => {}
    }
}

/// Sets or clears the interview plan in `settings`, as a settings line of the log says (`None`: it says nothing
/// about the plan).
pub fn apply_plan(settings: &mut crate::store::Settings, plan: Option<PlanChange>) {
    match plan {
        Some(PlanChange::Set { interview, planned_on }) => {
            settings.interview = Some(interview);
            settings.planned_on = Some(planned_on);
        }
        Some(PlanChange::Cleared) => {
            settings.interview = None;
            settings.planned_on = None;
        }
        None => {}
    }
}

/// The card ids whose lines of the log belong to the cards `ids`: those ids, and the ids whose progress moved to
/// one of them (a renamed notes file), however many moves back.
pub fn ids_leading_to<'a>(lines: &'a [LogLine], ids: impl IntoIterator<Item = &'a CardId>) -> HashSet<&'a CardId> {
    let mut wanted: HashSet<&CardId> = ids.into_iter().collect();
    // A later move may continue an earlier one, so moves are followed back from the newest.
    loop {
        let before = wanted.len();
        for line in lines.iter().rev() {
            if let LogLine::Move { card, from, .. } = line
                && wanted.contains(card)
            {
                wanted.insert(from);
            }
        }
        if wanted.len() == before {
            return wanted;
        }
    }
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
    let steps = effective(lines);
    let moved: std::collections::HashSet<&CardId> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Move { from, .. } => Some(*from),
            Step::Review(_) | Step::Suspend { .. } | Step::Settings { .. } => None,
        })
        .collect();
    // Each answer is scheduled with the settings it was given under: `scheduler` until a settings line says
    // otherwise.
    let mut settings = (scheduler.retention(), progress.settings.parameters.clone());
    let mut changed: Option<Scheduler> = None;
    for step in steps {
        if let Step::Settings {
            retention,
            parameters,
            plan,
        } = step
        {
            // A line with settings amgi cannot schedule with (a hand edit) changes nothing: where the log is read
            // for a command, it is taken out and reported with its line number.
            if crate::store::settings_refused(retention, parameters).is_some() {
                continue;
            }
            apply_plan(&mut progress.settings, plan);
            if let Some(Exact(retention)) = retention {
                settings.0 = retention;
                progress.settings.retention = Some(retention);
            }
            if let Some(parameters) = parameters {
                let parameters: Vec<f32> = parameters.iter().map(|p| p.0).collect();
                settings.1 = Some(parameters.clone());
                progress.settings.parameters = Some(parameters);
            }
            if let Ok(next) = Scheduler::new(settings.0, settings.1.as_deref()) {
                changed = Some(next);
            }
            continue;
        }
        apply_step(&mut progress, step, &by_id, changed.as_ref().unwrap_or(scheduler));
    }
    if let Some(previous) = previous {
        // Skips are not answers and are not in the log: keep the ones the old progress still has (under the id
        // a card moved to, if it moved). Suspensions are in the log, which alone says whether a card is.
        for (id, old) in previous
            .cards
            .iter()
            .filter(|(id, e)| e.skipped_until.is_some() && !moved.contains(id))
        {
            progress
                .cards
                .entry(id.clone())
                .or_insert_with(|| Entry {
                    suspended: false,
                    ..old.clone()
                })
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

/// [`Missing`] between the progress before a replay and the replay of `lines`: per card, the answers counted
/// (`reps`) that the replay does not reach. A card's answers are looked for under the id the moves of `lines` took
/// it to, as a replay moves them: `previous` may be from before some of those moves (a kill between appending
/// them and saving progress.yaml).
pub fn missing_answers(previous: &Progress, rebuilt: &Progress, lines: &[LogLine]) -> Missing {
    // Where each card's progress stands after the moves: a move takes it on only to an id with no progress yet.
    let mut now_at: HashMap<&CardId, &CardId> = previous.cards.keys().map(|id| (id, id)).collect();
    let mut held: HashMap<&CardId, &CardId> = now_at.iter().map(|(&old, &id)| (id, old)).collect();
    for line in lines {
        if let LogLine::Move { card, from, .. } = line
            && !held.contains_key(card)
            && let Some(old) = held.remove(from)
        {
            held.insert(card, old);
            now_at.insert(old, card);
        }
    }
    let mut missing = Missing::default();
    for (id, old) in &previous.cards {
        let now = rebuilt.cards.get(now_at[id]).map_or(0, |e| e.state.reps);
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
/// an undo in it may take back an answer applied before, an answer no later than the card's last one is a copy of
/// one applied already or an answer from another machine to put in its place in time, and a move or a suspension
/// or release may be one from another machine that an earlier line applied already outdoes (progress does not
/// keep when a card was suspended).
pub fn catch_up<E>(
    progress: Progress,
    tail: &[LogLine],
    log_len: u64,
    cards: &[Card],
    scheduler: &Scheduler,
    whole: impl FnOnce() -> Result<Log, E>,
) -> Result<Progress, E> {
    let follows = |line: &LogLine| match line {
        LogLine::Undo { .. }
        | LogLine::Move { .. }
        | LogLine::Suspend { .. }
        | LogLine::Release { .. }
        | LogLine::Settings { .. } => false,
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

/// The moment to date a new line at, given at `at`, that must come after a line dated `earliest` (the card's last
/// answer, the answer an undo takes back): `at`, or `earliest` (shown at `at`'s offset) when that is later. The log
/// is applied in time order wherever a line stands, so a line dated before one it follows (the clock was set back
/// between two sessions) would be applied before it by a replay, and `repair`, `sync` or `optimize` would rewrite
/// the schedule the quiz gave; dated at that one, it is applied after it, as the quiz applied it.
pub fn not_before(at: Moment, earliest: Moment) -> Moment {
    if earliest > at {
        Moment::new(earliest.timestamp(), at.offset())
    } else {
        at
    }
}

/// Cards whose progress is kept under an id the notes no longer have, matched to the card that continues them
/// (the old id and the card), among the cards without progress:
/// - a card in folders whose id without them, the id a build before folders gave it (` ~2` after its topic, path and
///   question when an earlier card had them), is kept;
/// - else a card with the same path and question under another topic or in other folders (the notes file was
///   renamed or moved, or its folder was). An old id does not say where its folders and topic end, so its longest
///   tail that is some card's path and question is taken. Only matches one to one; when several could match, none
///   is made.
pub fn renames<'c>(cards: &'c [Card], progress: &Progress) -> Vec<(CardId, &'c Card)> {
    renames_among(cards, &card_ids(cards), progress)
}

/// The ids of some cards, to tell which progress belongs to none of them: a quiz start builds it once for
/// [`renames_among`] and for the count of progress kept for cards no longer in the notes.
pub type CardIds<'c> = HashSet<&'c CardId, foldhash::fast::RandomState>;

/// The ids of `cards`.
pub fn card_ids(cards: &[Card]) -> CardIds<'_> {
    let mut ids = CardIds::with_capacity_and_hasher(cards.len(), Default::default());
    ids.extend(cards.iter().map(|c| &c.id));
    ids
}

/// Progress kept under ids that are not among `ids`, the ids of the notes' cards.
pub fn orphans<'p>(progress: &'p Progress, ids: &CardIds<'_>) -> impl Iterator<Item = &'p CardId> {
    progress.cards.keys().filter(|id| !ids.contains(id))
}

/// [`renames`], with `ids` the ids of `cards` ([`card_ids`]).
pub fn renames_among<'c>(cards: &'c [Card], ids: &CardIds<'_>, progress: &Progress) -> Vec<(CardId, &'c Card)> {
    // Orphans first: at a quiz start there are usually none, and then nothing else is worked out.
    let mut orphans: HashSet<&str> = self::orphans(progress, ids).map(CardId::as_str).collect();
    if orphans.is_empty() {
        return Vec::new();
    }
    let fresh = |card: &&Card| !progress.cards.contains_key(&card.id);
    let mut found = ids_before_folders(cards, &orphans, progress);
    let taken: HashSet<&CardId> = found.iter().map(|(_, card)| &card.id).collect();
    for (old, _) in &found {
        orphans.remove(old.as_str());
    }
    // Cards by their path and question: their id after their folders and topic.
    let mut by_rest: HashMap<&str, Vec<&Card>> = HashMap::new();
    for card in cards.iter().filter(fresh).filter(|c| !taken.contains(&c.id)) {
        if let Some(rest) = after_topic(card) {
            by_rest.entry(rest).or_default().push(card);
        }
    }
    // Each orphan by the longest tail of its id that some card has as its path and question.
    let mut claims: HashMap<&str, Vec<&str>> = HashMap::new();
    for old in orphans {
        let tails = old.match_indices('/').map(|(at, _)| &old[at + 1..]);
        if let Some(rest) = tails.into_iter().find(|rest| by_rest.contains_key(rest)) {
            claims.entry(rest).or_default().push(old);
        }
    }
    found.extend(claims.into_iter().filter_map(|(rest, old)| {
        match (old.as_slice(), by_rest.get(rest).map(Vec::as_slice)) {
            ([old], Some([card])) => Some((CardId::from_stored_str(old), *card)),
            _ => None,
        }
    }));
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// A card's id after its folders and topic: its path and question (and ` ~2` when it has one).
fn after_topic(card: &Card) -> Option<&str> {
    let mut rest = card.id.as_str();
    for folder in card.folders.iter() {
        rest = rest.strip_prefix(folder.as_str())?.strip_prefix('/')?;
    }
    rest.strip_prefix(&*card.topic)?.strip_prefix('/')
}

/// Cards in folders, without progress, whose id before folders (`topic/path…/question`, with the ` ~n` a build
/// before folders gave the `n`th card of that id in note order) is among `orphans`: progress kept by that build.
fn ids_before_folders<'c>(cards: &'c [Card], orphans: &HashSet<&str>, progress: &Progress) -> Vec<(CardId, &'c Card)> {
    // Only cards of a topic an orphan starts with can have had its id: most decks have none in folders.
    let heads: HashSet<&str> = orphans.iter().map(|id| id.split('/').next().unwrap_or(id)).collect();
    let head = |card: &Card| heads.contains(card.topic.split('/').next().unwrap_or(&card.topic));
    if !cards.iter().any(|c| !c.folders.is_empty() && head(c)) {
        return Vec::new();
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut found = Vec::new();
    for card in cards.iter().filter(|c| head(c)) {
        if after_topic(card).is_none() {
            continue;
        }
        // The id without folders, and without a ` ~n` of its own: its topic, path and question.
        let start: usize = card.folders.iter().map(|f| f.len() + 1).sum();
        let len = card.topic.len() + card.path.iter().map(|p| p.len() + 1).sum::<usize>() + 1 + card.question.len();
        let Some(base) = card.id.as_str().get(start..start + len) else {
            continue;
        };
        let n = seen.entry(base).or_insert(0);
        *n += 1;
        if card.folders.is_empty() || progress.cards.contains_key(&card.id) {
            continue;
        }
        let old: std::borrow::Cow<str> = match *n {
            1 => base.into(),
            n => format!("{base} ~{n}").into(),
        };
        if let Some(&old) = orphans.get(&*old) {
            found.push((CardId::from_stored_str(old), card));
        }
    }
    found
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

#[cfg(test)]
mod tests;
