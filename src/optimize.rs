//! FSRS parameters fitted to the user's own review history.
//!
//! Pure: log lines in, numbers out. No clock, no files, no terminal; `amgi optimize` (in `cmd/optimize.rs`) does the
//! reading, the saving and the printing.
//!
//! The history is turned into what the `fsrs` crate trains on the way Anki turns its review log into it
//! (`rslib/src/scheduler/fsrs/params.rs`):
//!
//! - Per card, the answers that moved its schedule ([`crate::history::moves_schedule`]: drill answers, and cram
//!   answers only with `--reschedule`, as Anki skips filtered-deck reviews that do not reschedule), after undo
//!   ([`crate::history::effective_reviews`]), in time order.
//! - Each answer gets `delta_t`, the whole amgi days since the card's previous answer (days start at 04:00 at the
//!   offset the later answer was given in, as the scheduler counts them); the first gets 0.
//! - One [`FSRSItem`] per answer after the first, holding every answer up to it. Only answers a day or more after
//!   the previous one become items: FSRS predicts recall across days, and same-day answers (learning steps) stay in
//!   the items' histories with `delta_t` 0, where FSRS-6's short-term parameters learn from them.
//! - Anki also drops cards whose history lacks its learning steps (reviews from before a reset, or imported
//!   without them). amgi's log holds every answer since a card was new and nothing resets a card, so every history
//!   starts at the card's first answer, as the scheduler saw it.
//!
//! A fit is judged on answers it has not seen, held out in time as srs-benchmark does: the parameters are fitted
//! on the earlier items ([`HELD_OUT`] of them, the latest, are left out), and every set of parameters (the
//! defaults, the saved ones, the fitted ones) is evaluated on the held-out items alone.
//!
//! Every item ends on a day after its first answer, so it has the long-term review the crate's outlier filter
//! requires (it panics on an item without one). Items are ordered by the time of their last answer, as Anki orders
//! them, because the crate weighs recent items more.

use crate::card::CardId;
use crate::history::{effective_reviews, moves_schedule};
use crate::store::{LogLine, Review};
use fsrs::{CombinedProgressState, ComputeParametersInput, FSRS, FSRSError, FSRSItem, FSRSReview};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Items the crate needs after its outlier filter to fit anything: with fewer, `compute_parameters` returns the
/// default parameters unchanged.
pub const MIN_ITEMS: usize = 8;
/// Items the crate needs after its outlier filter to fit every parameter: with fewer (or when every item is a
/// card's first review after its learning day), it fits only the four initial stabilities and keeps the defaults
/// for the rest.
pub const MIN_ITEMS_FOR_ALL: usize = 64;
/// The share of the items, the latest, held out to judge a fit on.
pub const HELD_OUT: f64 = 0.2;
/// Held-out items needed to judge a fit: with fewer, one answer more or less would decide.
pub const MIN_HELD_OUT: usize = 8;

/// The review history in the form the crate trains on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// One item per answer given a day or more after the card's previous answer, with the card's answers up to it;
    /// ordered by the time of that answer.
    pub items: Vec<FSRSItem>,
    /// The card of each item (aligned with `items`), numbered in order of first answer: the crate computes each
    /// card's history once instead of once per item.
    pub card_ids: Vec<i64>,
    /// Answers that moved a schedule (undone ones and plain cram answers left out).
    pub reviews: usize,
    /// Cards with such answers.
    pub cards: usize,
}

impl History {
    /// The earlier items, to fit on, and the latest [`HELD_OUT`] share of them (at least one when there are two),
    /// to judge on. `reviews` and `cards` stay those of the whole history in both.
    pub fn split(&self) -> (History, History) {
        let held = ((self.items.len() as f64 * HELD_OUT).round() as usize).min(self.items.len().saturating_sub(1));
        let held = if self.items.len() >= 2 { held.max(1) } else { held };
        let at = self.items.len() - held;
        let part = |range: std::ops::Range<usize>| History {
            items: self.items[range.clone()].to_vec(),
            card_ids: self.card_ids[range].to_vec(),
            reviews: self.reviews,
            cards: self.cards,
        };
        (part(0..at), part(at..self.items.len()))
    }
}

/// Builds the [`History`] of `lines` (the whole review log, in file order). See the module docs for the rules.
pub fn history(lines: &[LogLine]) -> History {
    let mut order: HashMap<&CardId, usize> = HashMap::new();
    let mut per_card: Vec<Vec<&Review>> = Vec::new();
    let mut reviews = 0;
    for review in effective_reviews(lines).into_iter().filter(|r| moves_schedule(r)) {
        let index = *order.entry(&review.card).or_insert_with(|| {
            per_card.push(Vec::new());
            per_card.len() - 1
        });
        per_card[index].push(review);
        reviews += 1;
    }
    let mut dated: Vec<(crate::time::Moment, i64, FSRSItem)> = Vec::new();
    for (card, answers) in per_card.iter_mut().enumerate() {
        // The log is appended in time order; a clock set back is the only way out of it.
        answers.sort_by_key(|r| r.at);
        let fsrs_reviews: Vec<FSRSReview> = answers
            .iter()
            .enumerate()
            .map(|(i, review)| FSRSReview {
                rating: u32::from(review.grade.number()),
                delta_t: match i {
                    0 => 0,
                    _ => review.at.days_since(answers[i - 1].at).max(0).unsigned_abs(),
                },
            })
            .collect();
        for (i, review) in fsrs_reviews.iter().enumerate().skip(1) {
            if review.delta_t > 0 {
                let item = FSRSItem {
                    reviews: fsrs_reviews[..=i].to_vec(),
                };
                dated.push((answers[i].at, card as i64, item));
            }
        }
    }
    // Stable: answers given in the same second keep the order of their cards' first answers.
    dated.sort_by_key(|(at, _, _)| *at);
    let (items, card_ids) = dated.into_iter().map(|(_, card, item)| (item, card)).unzip();
    History {
        items,
        card_ids,
        reviews,
        cards: per_card.len(),
    }
}

/// How well a set of parameters predicts the history: the crate's evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    /// Mean log loss (binary cross-entropy) of the predicted recall against what happened, recent answers weighing
    /// more. Lower is better.
    pub log_loss: f32,
    /// RMSE between predicted and actual recall over bins of similar answers (by interval, answer count and
    /// lapses), as a fraction (0.05 is 5%). Lower is better.
    pub rmse_bins: f32,
}

/// How much of the parameters a fit could set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// All 21.
    All,
    /// Only the four initial stabilities (the first answer's memory per grade); the rest stay at their defaults,
    /// as the crate does with fewer than [`MIN_ITEMS_FOR_ALL`] usable items.
    InitialStability,
}

/// How much history there is, counted the way the crate will see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Answers that moved a schedule.
    pub reviews: usize,
    /// Cards with such answers.
    pub cards: usize,
    /// Answers given a day or more after the card's previous one: what FSRS predicts and is judged on.
    pub items: usize,
    /// Of the items fitted on (all but the held-out ones), those left after the crate's outlier filter, which
    /// sets aside every item of a card whose first grade and first interval few other cards share.
    pub usable: usize,
    /// The latest items, held out: every set of parameters is judged on them, none is fitted on them.
    pub held_out: usize,
}

/// Too little history to fit: the crate would give back the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLittle {
    /// What there is.
    pub counts: Counts,
    /// Usable items needed: [`MIN_ITEMS`].
    pub needed: usize,
    /// Held-out items needed: [`MIN_HELD_OUT`].
    pub held_out_needed: usize,
}

/// Parameters fitted to the history, with how they and the alternatives predict it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// What the fit was made from.
    pub counts: Counts,
    /// Which parameters the fit could set.
    pub scope: Scope,
    /// The fitted parameters (21, FSRS-6), fitted on the earlier items.
    pub parameters: Vec<f32>,
    /// The default parameters on the held-out items.
    pub default: Metrics,
    /// The parameters in use before (when there were saved ones), on the held-out items.
    pub current: Option<Metrics>,
    /// The fitted parameters on the held-out items.
    pub fitted: Metrics,
}

impl Fit {
    /// The metrics to beat: those of the parameters in use (the saved ones, else the defaults).
    pub fn baseline(&self) -> Metrics {
        self.current.unwrap_or(self.default)
    }

    /// Whether the fitted parameters predict answers they were not fitted on better than those in use: a lower
    /// log loss and a lower RMSE on the held-out items. Fitting the same history again gives the same parameters,
    /// which are then not better.
    pub fn is_better(&self) -> bool {
        self.worse().is_empty()
    }

    /// The measures on which the fitted parameters do not beat those in use (`"log loss"`, `"RMSE"`), none when
    /// they are better.
    pub fn worse(&self) -> Vec<&'static str> {
        let baseline = self.baseline();
        let mut worse = Vec::new();
        if self.fitted.log_loss >= baseline.log_loss {
            worse.push("log loss");
        }
        if self.fitted.rmse_bins >= baseline.rmse_bins {
            worse.push("RMSE");
        }
        worse
    }
}

/// What fitting gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Too little history; nothing was fitted.
    TooLittle(TooLittle),
    /// Parameters were fitted; [`Fit::is_better`] says whether to use them.
    Fitted(Fit),
}

/// Why fitting failed.
#[derive(Debug, thiserror::Error)]
pub enum OptimizeError {
    /// The parameters in use are not ones FSRS accepts.
    #[error("FSRS refuses the saved parameters ({0}); remove `parameters:` from progress.yaml to use the defaults")]
    Current(FSRSError),
    /// The crate failed to fit parameters (a history it cannot learn from).
    #[error("FSRS could not fit parameters to this history ({0})")]
    Fit(FSRSError),
    /// The crate failed to evaluate parameters on the history.
    #[error("FSRS could not evaluate parameters on this history ({0})")]
    Evaluate(FSRSError),
}

/// Counts `history` the way the crate will see it when fitting on `train` and judging on `held_out` (the two
/// parts of [`History::split`]), with the scope a fit can have.
pub fn counts(history: &History, train: &History, held_out: &History) -> (Counts, Scope) {
    let first_intervals: Vec<FSRSItem> = train
        .items
        .iter()
        .filter(|item| item.long_term_review_cnt() == 1)
        .cloned()
        .collect();
    // The filter `compute_parameters` applies, through its public form.
    let (initialization, usable) = fsrs::filter_outlier(first_intervals, train.items.clone());
    let counts = Counts {
        reviews: history.reviews,
        cards: history.cards,
        items: history.items.len(),
        usable: usable.len(),
        held_out: held_out.items.len(),
    };
    let scope = if usable.len() < MIN_ITEMS_FOR_ALL || usable.len() == initialization.len() {
        Scope::InitialStability
    } else {
        Scope::All
    };
    (counts, scope)
}

/// How `parameters` (empty for the defaults) predict `history`: the crate's evaluation. `None` without items.
pub fn evaluate(history: &History, parameters: &[f32]) -> Result<Option<Metrics>, FSRSError> {
    if history.items.is_empty() {
        return Ok(None);
    }
    let fsrs = FSRS::new(parameters)?;
    let evaluation = fsrs.evaluate_with_card_ids(history.items.clone(), history.card_ids.clone(), |_| true)?;
    Ok(Some(Metrics {
        log_loss: evaluation.log_loss,
        rmse_bins: evaluation.rmse_bins,
    }))
}

/// Fits FSRS-6 parameters to the earlier part of `history` with the crate's `compute_parameters` (short-term
/// parameters on, one relearning step as amgi's scheduler has), then evaluates the defaults, `current` (the saved
/// parameters, if any) and the fitted ones on the held-out latest part ([`History::split`]). `progress`, when given, is updated by the crate as it trains, for a
/// progress bar.
pub fn fit(
    history: &History,
    current: Option<&[f32]>,
    progress: Option<Arc<Mutex<CombinedProgressState>>>,
) -> Result<Outcome, OptimizeError> {
    let (train, held_out) = history.split();
    let (counts, scope) = self::counts(history, &train, &held_out);
    if counts.usable < MIN_ITEMS || counts.held_out < MIN_HELD_OUT {
        return Ok(Outcome::TooLittle(TooLittle {
            counts,
            needed: MIN_ITEMS,
            held_out_needed: MIN_HELD_OUT,
        }));
    }
    let current = match current {
        Some(parameters) => Some(
            evaluate(&held_out, parameters)
                .map_err(OptimizeError::Current)?
                .expect("there are items"),
        ),
        None => None,
    };
    let parameters = fsrs::compute_parameters(ComputeParametersInput {
        train_set: train.items,
        card_ids: Some(train.card_ids),
        progress,
        enable_short_term: true,
        num_relearning_steps: Some(crate::schedule::RELEARNING_STEPS.len()),
        training_config: None,
    })
    .map_err(OptimizeError::Fit)?;
    let measure = |parameters: &[f32]| {
        evaluate(&held_out, parameters)
            .map_err(OptimizeError::Evaluate)
            .map(|m| m.expect("there are items"))
    };
    Ok(Outcome::Fitted(Fit {
        counts,
        scope,
        default: measure(&[])?,
        current,
        fitted: measure(&parameters)?,
        parameters,
    }))
}

#[cfg(test)]
mod tests;
