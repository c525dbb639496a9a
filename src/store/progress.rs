//! progress.yaml: where each card stands, as text and back.

use super::StoreError;
use super::yaml::{Checked, Day, F32, MAX_FLOW_DEPTH, Time, deserialize_checked, line_column, located, too_deep};
use crate::card::CardId;
use crate::schedule::{CardState, Memory, Phase};
use crate::time::Moment;
use jiff::civil::Date;
use serde::Deserialize;
#[cfg(test)]
use serde::Serialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The format version this amgi writes and reads.
pub const PROGRESS_VERSION: u64 = 1;

/// The comment at the top of every progress.yaml.
pub const PROGRESS_HEADER: &str = "# amgi progress: where each card stands. Rebuilt from reviews.yaml by `amgi repair`.\n\
# Safe to read; edit by hand only with care (amgi refuses a file it cannot read, and says where).\n";

/// Everything progress.yaml holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// The user's scheduler settings.
    pub settings: Settings,
    /// How many bytes of reviews.yaml are already reflected in `cards`.
    pub log_offset: u64,
    /// The CRC-32 of those bytes, to tell that reviews.yaml was changed before `log_offset` (a hand edit, a
    /// merge) and must be read whole; `None` when not known (a file from before it was kept).
    pub log_crc: Option<u32>,
    /// Each card with any progress, by id.
    pub cards: BTreeMap<CardId, Entry>,
}

/// Scheduler settings kept with the progress; `None` means amgi's default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// The desired retention.
    pub retention: Option<f32>,
    /// FSRS parameters (21 of them for FSRS-6).
    pub parameters: Option<Vec<f32>>,
    /// The interview day `amgi plan --interview` set.
    pub interview: Option<Date>,
    /// The day the interview plan was made: weak cards are spread over the days from it to the interview.
    pub planned_on: Option<Date>,
}

#[cfg(test)]
impl Progress {
    /// Progress where each card has its state, saved as an answer saves it (the card's question and answer
    /// fingerprint, no skip): the starting point of many tests.
    pub(crate) fn with_states<'c>(states: impl IntoIterator<Item = (&'c crate::Card, CardState)>) -> Progress {
        let mut progress = Progress::default();
        for (card, state) in states {
            let entry = Entry {
                question: card.question.clone(),
                answer_hash: card.answer_hash(),
                state,
                skipped_until: None,
                suspended: false,
            };
            progress.cards.insert(card.id.clone(), entry);
        }
        progress
    }
}

/// One card's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The question, as it was when last reviewed (to show a card whose notes are gone).
    pub question: String,
    /// [`crate::Card::answer_hash`] when last reviewed, to notice a changed answer.
    pub answer_hash: String,
    /// The scheduler's state.
    pub state: CardState,
    /// A drill skipped the card until this moment (the start of the next day); it is not asked before.
    pub skipped_until: Option<Moment>,
    /// Suspended (`!` in the quiz): no drill, cram or final pass asks it until it is released. Written only when
    /// true, as `suspended: true`.
    pub suspended: bool,
}

/// The text of progress.yaml for `progress`: the same value always gives the same bytes.
///
/// Written directly (by `store::emit`), byte for byte as serde_norway writes the same value: serde_norway took
/// about 100 ms for 10,000 cards, most of the wait after an answer.
pub fn render_progress(progress: &Progress) -> String {
    super::emit::render(progress)
}

/// The text serde_norway writes for `progress`: what [`render_progress`] must match byte for byte. Kept for the
/// tests, as the reference.
#[cfg(test)]
pub(super) fn render_progress_with_serde(progress: &Progress) -> String {
    let file = ProgressOut {
        version: PROGRESS_VERSION,
        settings: SettingsRecord {
            retention: progress.settings.retention.map(F32),
            parameters: progress
                .settings
                .parameters
                .as_ref()
                .map(|p| p.iter().copied().map(F32).collect()),
            interview: progress.settings.interview.map(Day),
            planned_on: progress.settings.planned_on.map(Day),
        },
        log_offset: progress.log_offset,
        log_crc: progress.log_crc,
        cards: progress
            .cards
            .iter()
            .map(|(id, entry)| (id, CardOut::new(entry)))
            .collect(),
    };
    // Serializing plain structs, maps, strings and numbers into a String cannot fail.
    let body = serde_norway::to_string(&file).expect("progress serializes to YAML");
    let mut text = String::with_capacity(PROGRESS_HEADER.len() + body.len());
    text.push_str(PROGRESS_HEADER);
    text.push_str(&body);
    text
}

/// Reads the text of progress.yaml; `file` only names it in errors.
///
/// Refuses anything it cannot read exactly: bad YAML, wrong types, unknown keys or states, bad times, a card
/// listed twice, a missing or newer `version`. A hostile file fails fast: `[`/`{` nesting is measured before
/// the YAML parser sees the text (libyaml is slow on deep nesting and has no limit of its own), and aliases can
/// only stand for the scalars and cards the format has, so an alias bomb cannot expand (serde_norway's
/// recursion and repetition limits remain behind that).
///
/// A file exactly as amgi writes it is read by a fast reader of that shape (`store::canonical`) instead, in
/// milliseconds rather than the quarter of a second serde_norway takes for 10,000 cards; any other text, broken or
/// merely edited by hand, goes to serde_norway as before.
pub fn parse_progress(text: &str, file: &Path) -> Result<Progress, StoreError> {
    if let Some(progress) = super::canonical::parse(text) {
        return Ok(progress);
    }
    parse_with_serde(text, file)
}

/// [`parse_progress`] by serde_norway, for any YAML: the value, or the place and reason it cannot be read.
pub(super) fn parse_with_serde(text: &str, file: &Path) -> Result<Progress, StoreError> {
    let refuse = |location, message| StoreError::Progress {
        file: file.to_path_buf(),
        location,
        message,
    };
    let yaml = |e: serde_norway::Error| {
        let (location, message) = located(&e, text);
        refuse(location, message)
    };
    if let Some(index) = too_deep(text.as_bytes()) {
        let message = format!("`[` and `{{` nest more than {MAX_FLOW_DEPTH} deep here");
        return Err(refuse(Some(line_column(text.as_bytes(), index)), message));
    }
    let parsed = match serde_norway::from_str::<Option<ProgressIn>>(text) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => return Err(refuse(None, "the file is empty".into())),
        Err(e) => {
            // A file from a newer amgi, or without a version, fails for some other reason first: say what matters.
            return Err(match serde_norway::from_str::<Option<Header>>(text) {
                Ok(Some(Header { version: None })) => {
                    refuse(None, format!("there is no `version: {PROGRESS_VERSION}`"))
                }
                Ok(Some(Header { version: Some(version) })) if version != PROGRESS_VERSION => {
                    version_error(text, file, version)
                }
                _ => yaml(e),
            });
        }
    };
    if parsed.version != PROGRESS_VERSION {
        return Err(version_error(text, file, parsed.version));
    }
    Ok(Progress {
        settings: Settings {
            retention: parsed.settings.retention.map(|r| r.0),
            parameters: parsed.settings.parameters.map(|p| p.into_iter().map(|x| x.0).collect()),
            interview: parsed.settings.interview.map(|d| d.0),
            planned_on: parsed.settings.planned_on.map(|d| d.0),
        },
        log_offset: parsed.log_offset,
        log_crc: parsed.log_crc,
        cards: parsed.cards.0,
    })
}

/// The error for a `version` other than [`PROGRESS_VERSION`].
fn version_error(text: &str, file: &Path, version: u64) -> StoreError {
    let location = version_location(text);
    if version > PROGRESS_VERSION {
        StoreError::Newer {
            file: file.to_path_buf(),
            location,
            version,
        }
    } else {
        StoreError::Progress {
            file: file.to_path_buf(),
            location,
            message: format!("version {version} is not one amgi knows"),
        }
    }
}

/// Where the value of `version:` is, for errors about it.
fn version_location(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let value = line.strip_prefix("version:")?;
        let spaces = value.len() - value.trim_start().len();
        Some((i + 1, "version:".len() + spaces + 1))
    })
}

/// Only the version, everything else skipped unread (aliases are not followed when skipping): read when the
/// whole file could not be, to tell a newer or versionless file from a broken one.
#[derive(Deserialize)]
#[serde(expecting = "a mapping with `version`, `settings`, `log_offset` and `cards`")]
struct Header {
    version: Option<u64>,
}

#[cfg(test)]
#[derive(Serialize)]
struct ProgressOut<'a> {
    version: u64,
    settings: SettingsRecord,
    log_offset: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_crc: Option<u32>,
    cards: BTreeMap<&'a CardId, CardOut<'a>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with `version`, `settings`, `log_offset`, `log_crc` and `cards`"
)]
struct ProgressIn {
    version: u64,
    settings: SettingsRecord,
    log_offset: u64,
    log_crc: Option<u32>,
    cards: Cards,
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(Serialize))]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with `retention`, `parameters`, `interview` and `planned_on`, or `{}`"
)]
struct SettingsRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    retention: Option<F32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<Vec<F32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interview: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    planned_on: Option<Day>,
}

/// The `state` names (written by [`super::emit::phase_name`]).
#[derive(Deserialize, Clone, Copy)]
#[cfg_attr(test, derive(Serialize))]
#[serde(rename_all = "lowercase")]
enum PhaseName {
    New,
    Learning,
    Review,
    Relearning,
}

#[cfg(test)]
impl From<Phase> for PhaseName {
    fn from(phase: Phase) -> Self {
        match phase {
            Phase::New => PhaseName::New,
            Phase::Learning => PhaseName::Learning,
            Phase::Review => PhaseName::Review,
            Phase::Relearning => PhaseName::Relearning,
        }
    }
}

impl From<PhaseName> for Phase {
    fn from(name: PhaseName) -> Self {
        match name {
            PhaseName::New => Phase::New,
            PhaseName::Learning => Phase::Learning,
            PhaseName::Review => Phase::Review,
            PhaseName::Relearning => Phase::Relearning,
        }
    }
}

/// One card as written: fields in alphabetical order, `None`s left out.
#[cfg(test)]
#[derive(Serialize)]
struct CardOut<'a> {
    answer_hash: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    difficulty: Option<F32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<Time>,
    lapses: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_review: Option<Time>,
    question: &'a str,
    reps: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped_until: Option<Time>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stability: Option<F32>,
    state: PhaseName,
    step: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    suspended: bool,
}

#[cfg(test)]
impl<'a> CardOut<'a> {
    fn new(entry: &'a Entry) -> Self {
        let state = &entry.state;
        CardOut {
            answer_hash: &entry.answer_hash,
            difficulty: state.memory.map(|m| F32(m.difficulty)),
            due: state.due.map(Time),
            lapses: state.lapses,
            last_review: state.last_review.map(Time),
            question: &entry.question,
            reps: state.reps,
            skipped_until: entry.skipped_until.map(Time),
            stability: state.memory.map(|m| F32(m.stability)),
            state: state.phase.into(),
            step: state.step,
            suspended: entry.suspended,
        }
    }
}

/// One card as read.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a card: a mapping of `answer_hash`, `question`, `state`, …"
)]
struct CardIn {
    answer_hash: String,
    difficulty: Option<F32>,
    due: Option<Time>,
    lapses: u32,
    last_review: Option<Time>,
    question: String,
    reps: u32,
    skipped_until: Option<Time>,
    stability: Option<F32>,
    state: PhaseName,
    step: u32,
    suspended: Option<bool>,
}

impl Checked for CheckedEntry {
    type Raw = CardIn;

    fn check(card: CardIn) -> Result<Self, String> {
        let memory = match (card.stability, card.difficulty) {
            (Some(stability), Some(difficulty)) => Some(Memory {
                stability: stability.0,
                difficulty: difficulty.0,
            }),
            (None, None) => None,
            (Some(_), None) => return Err("`stability` without `difficulty`: give both or neither".into()),
            (None, Some(_)) => return Err("`difficulty` without `stability`: give both or neither".into()),
        };
        Ok(CheckedEntry(Entry {
            question: card.question,
            answer_hash: card.answer_hash,
            state: CardState {
                phase: card.state.into(),
                step: card.step,
                due: card.due.map(|t| t.0),
                memory,
                reps: card.reps,
                lapses: card.lapses,
                last_review: card.last_review.map(|t| t.0),
            },
            skipped_until: card.skipped_until.map(|t| t.0),
            suspended: card.suspended.unwrap_or(false),
        }))
    }
}

/// An [`Entry`] read through [`deserialize_checked`].
struct CheckedEntry(Entry);

impl<'de> Deserialize<'de> for CheckedEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_checked(deserializer)
    }
}

/// The `cards` mapping; a card listed twice is an error rather than one silently winning.
struct Cards(BTreeMap<CardId, Entry>);

impl<'de> Deserialize<'de> for Cards {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CardMap;
        impl<'de> Visitor<'de> for CardMap {
            type Value = Cards;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from card ids to cards")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cards, A::Error> {
                let mut cards = BTreeMap::new();
                while let Some(id) = map.next_key::<CardId>()? {
                    let CheckedEntry(entry) = map.next_value()?;
                    if cards.contains_key(&id) {
                        return Err(de::Error::custom(format!("card {:?} is listed twice", id.as_str())));
                    }
                    cards.insert(id, entry);
                }
                Ok(Cards(cards))
            }
        }
        deserializer.deserialize_map(CardMap)
    }
}
