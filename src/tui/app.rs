//! The TUI's state and how actions change it. No terminal here: tests feed actions and read the state.

use super::action::Action;
use super::view;
use crate::card::Card;
use crate::notes::answer_out::AnswerOut;
use crate::schedule::{Delay, Grade};
use crate::session::{Journal, Session};
use crate::store::StoreError;
use crate::time::Moment;

/// What the flash says after `!`: the card is gone until released, and how to bring it back.
const SUSPENDED: &str = "suspended until amgi release · u undoes";

/// What the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// A question, its answer hidden.
    Question,
    /// A question with its answer.
    Answer,
    /// The session is over after some answers.
    Done,
    /// Nothing was due when the session started.
    Nothing,
}

/// Writing an answer written out into the notes as the answer of a question asked without one (`W`), from the
/// key to the write. The event loop does what touches files: it reads the note file on [`WriteOut::Asked`] and
/// writes it on [`WriteOut::Confirmed`].
#[derive(Debug, Clone)]
pub enum WriteOut {
    /// `W` was pressed on this question with this answer written out.
    Asked {
        /// The question.
        card: Card,
        /// The answer written out.
        text: String,
    },
    /// The answer is placed in the file as read; the screen asks whether to write it (`y`).
    Confirm(AnswerOut),
    /// `y`: to be written, and the notes read again.
    Confirmed(AnswerOut),
}

/// What the screen needs drawn again after a key or the clock moved on; the greater, the more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Redraw {
    /// Nothing it shows changed: no frame.
    Nothing,
    /// Only the timer's text (another second, or amber past the target).
    Timer,
    /// The whole screen.
    Frame,
}

/// The quiz in the terminal: a session plus what only the screen needs.
pub struct App<'a> {
    /// The quiz itself.
    pub session: Session<'a>,
    /// Lines scrolled down in the answer.
    pub scroll: u16,
    /// Whether the help overlay is up.
    pub help: bool,
    /// The latest moment seen (the timer and "next due" are measured against it).
    pub now: Moment,
    /// When the current question appeared.
    pub shown_at: Moment,
    /// Seconds after which the timer turns amber.
    pub target_seconds: u64,
    /// Warnings about the notes and progress, one line each; the first shows in the banner.
    pub warnings: Vec<String>,
    /// Whether the warnings are shown as a banner: at the start, until the first key; then a marker in the header
    /// stands for them, and `?` shows them all.
    pub banner: bool,
    /// A short note about the last action (`undone`, `skipped`, an error).
    pub flash: Option<String>,
    /// The terminal size, for scrolling limits.
    pub size: (u16, u16),
    /// Set when the user quit.
    pub quit: bool,
    /// Set when the user asked to edit the current card: its file and line.
    pub edit: Option<(String, usize)>,
    /// Whether to use colour (off under `NO_COLOR`).
    pub color: bool,
    /// The final pass offered once the drill is over, on the eve and the day of an interview.
    pub offer: Option<Vec<usize>>,
    /// The answer up, as last laid out for the screen.
    pub answer_cache: view::AnswerCache,
    /// The answer being written out (`w`), while its box is open.
    pub writing: Option<super::write::TextBox>,
    /// The answer written out for the card up, shown beside its answer.
    pub written: Option<super::write::Written>,
    /// An answer written out on its way into the notes (`W`).
    pub write_out: Option<WriteOut>,
}

impl<'a> App<'a> {
    /// An app over `session`, showing its first card.
    pub fn new(mut session: Session<'a>, now: Moment, target_seconds: u64, warnings: Vec<String>) -> Self {
        session.next(now);
        let offer = if session.current().is_none() {
            session.final_pass(now)
        } else {
            None
        };
        App {
            session,
            scroll: 0,
            help: false,
            now,
            shown_at: now,
            target_seconds,
            banner: !warnings.is_empty(),
            warnings,
            flash: None,
            size: (80, 24),
            quit: false,
            edit: None,
            color: true,
            offer,
            answer_cache: view::AnswerCache::default(),
            writing: None,
            written: None,
            write_out: None,
        }
    }

    /// Whether `W` would write the answer written out into the notes: on the answer of a question asked without
    /// one, after an answer was written out for it.
    pub fn can_write_out(&self) -> bool {
        self.screen() == Screen::Answer && self.card().is_some_and(Card::is_question) && self.written.is_some()
    }

    /// The question the screen asks before an answer is written into the notes, while it waits for `y`.
    pub fn write_out_question(&self) -> Option<String> {
        match &self.write_out {
            Some(WriteOut::Confirm(out)) => Some(format!(
                "Write it into {} {}? y/n",
                out.place.rsplit_once(':').map_or(out.place.as_str(), |(file, _)| file),
                out.under
            )),
            _ => None,
        }
    }

    /// Takes what the event loop is to do about writing an answer into the notes: read the file for it
    /// ([`WriteOut::Asked`]) or write it ([`WriteOut::Confirmed`]). A question waiting for `y` stays.
    pub fn take_write_out(&mut self) -> Option<WriteOut> {
        match self.write_out {
            Some(WriteOut::Asked { .. } | WriteOut::Confirmed(_)) => self.write_out.take(),
            _ => None,
        }
    }

    /// What the screen shows now.
    pub fn screen(&self) -> Screen {
        match (self.session.current(), self.session.is_revealed()) {
            (Some(_), false) => Screen::Question,
            (Some(_), true) => Screen::Answer,
            (None, _) if self.session.stats().answered > 0 => Screen::Done,
            (None, _) => Screen::Nothing,
        }
    }

    /// The card up now.
    pub fn card(&self) -> Option<&Card> {
        self.session.current()
    }

    /// The next interval of each grade for the card up now (`None` in a cram that leaves the schedule alone).
    pub fn delays(&self) -> Option<[Delay; 4]> {
        self.session.preview(self.now)
    }

    /// Seconds since the question appeared.
    pub fn elapsed_seconds(&self) -> u64 {
        u64::try_from(self.now.timestamp().duration_since(self.shown_at.timestamp()).as_secs()).unwrap_or(0)
    }

    /// Moves the clock on to `now` (the screen's next change by the clock, [`view::next_change`], has come).
    /// Returns what of the screen looks different for it: the timer only, when it shows another second;
    /// nothing, within the same second.
    pub fn tick(&mut self, now: Moment) -> Redraw {
        let face = view::clock_face(self);
        self.now = now;
        face.redraw(&view::clock_face(self))
    }

    /// Applies `action` at `now`. Answers reach `journal` (durable) before the next card is chosen. Returns what
    /// of the screen may look different: nothing for a key that changed nothing (a grade before the answer is
    /// shown, a scroll with nowhere to go) within the same second.
    pub fn update(&mut self, action: Action, now: Moment, journal: &mut impl Journal) -> Redraw {
        let face = view::clock_face(self);
        self.now = now;
        let flash = self.flash.take();
        // The first key puts the banner away (and still does what it does).
        let banner = std::mem::replace(&mut self.banner, false);
        let acted = self.act(action, journal);
        if acted || banner || flash != self.flash {
            Redraw::Frame
        } else {
            face.redraw(&view::clock_face(self))
        }
    }

    /// What `action` does; whether it did anything.
    fn act(&mut self, action: Action, journal: &mut impl Journal) -> bool {
        if self.help && action != Action::Quit {
            self.help = false;
            return true;
        }
        // Asked whether to write an answer into the notes: `y` writes it, any other key leaves the file alone.
        if let Some(WriteOut::Confirm(out)) = self.write_out.take() {
            if action == Action::Yes {
                self.write_out = Some(WriteOut::Confirmed(out));
            } else {
                self.flash = Some(format!("nothing written into {}", out.place));
            }
            return true;
        }
        let result = match action {
            Action::Quit | Action::Back => {
                self.quit = true;
                Ok(true)
            }
            Action::Help => {
                self.help = true;
                Ok(true)
            }
            Action::Write if self.screen() == Screen::Question => {
                self.writing = Some(super::write::TextBox::default());
                Ok(true)
            }
            Action::WriteOut if self.can_write_out() => {
                let card = self.card().cloned();
                let text = self.written.as_ref().map(|w| w.text.clone());
                self.write_out = card.zip(text).map(|(card, text)| WriteOut::Asked { card, text });
                Ok(true)
            }
            Action::Accept if self.screen() == Screen::Question => {
                self.session.reveal();
                Ok(true)
            }
            Action::Accept if self.screen() == Screen::Answer => self.grade(Grade::Good, journal),
            Action::Grade(grade) if self.screen() == Screen::Answer => self.grade(grade, journal),
            Action::Undo => self.undo(journal),
            Action::Skip if self.card().is_some() => self.session.skip(self.now, journal).map(|until| {
                self.flash = Some(Session::skipped_note(until, self.now));
                self.next_card();
                true
            }),
            Action::Suspend if self.card().is_some() => self.session.suspend(self.now, journal).map(|()| {
                self.flash = Some(SUSPENDED.into());
                self.next_card();
                true
            }),
            Action::FinalPass if self.session.follow_ups_offered() > 0 => {
                let asked = self.session.ask_follow_ups(self.now);
                self.flash = Some(format!("꼬리 질문 {asked}개 먼저"));
                self.scroll = 0;
                self.shown_at = self.now;
                Ok(true)
            }
            Action::FinalPass if self.card().is_none() => Ok(match self.offer.take() {
                Some(order) => {
                    self.session.start_final_pass(order);
                    self.next_card();
                    true
                }
                None => false,
            }),
            Action::Edit => {
                self.edit = self.card().map(|c| (c.file.to_string(), c.line));
                Ok(self.edit.is_some())
            }
            Action::Up => Ok(self.scroll_by(-1)),
            Action::Down => Ok(self.scroll_by(1)),
            Action::PageUp => Ok(self.scroll_by(-i32::from(self.page()))),
            Action::PageDown => Ok(self.scroll_by(i32::from(self.page()))),
            Action::Top => Ok(self.scroll_by(i32::MIN / 2)),
            Action::Bottom => Ok(self.scroll_by(i32::MAX / 2)),
            _ => Ok(false),
        };
        result.unwrap_or_else(|error| {
            self.flash = Some(format!("not saved: {error}"));
            true
        })
    }

    fn grade(&mut self, grade: Grade, journal: &mut impl Journal) -> Result<bool, StoreError> {
        let ms = self
            .now
            .timestamp()
            .duration_since(self.shown_at.timestamp())
            .as_millis();
        self.session
            .grade(grade, self.now, u64::try_from(ms).unwrap_or(0), journal)?;
        self.next_card();
        if let Some(note) = self.session.leech_note() {
            self.flash = Some(note);
        } else if self.session.follow_ups_offered() > 0 {
            self.flash = Some(format!("f 꼬리 질문 {}개", self.session.follow_ups_offered()));
        }
        Ok(true)
    }

    fn undo(&mut self, journal: &mut impl Journal) -> Result<bool, StoreError> {
        if self.session.undo(self.now, journal)? {
            self.flash = Some("undone".into());
            self.scroll = 0;
            self.written = None;
            self.shown_at = self.now;
        } else {
            self.flash = Some("nothing to undo".into());
        }
        Ok(true)
    }

    fn next_card(&mut self) {
        if self.session.next(self.now).is_none() && self.offer.is_none() {
            self.offer = self.session.final_pass(self.now);
        }
        self.scroll = 0;
        self.shown_at = self.now;
        self.writing = None;
        self.written = None;
        self.write_out = None;
    }

    /// Lines a page scroll moves.
    fn page(&self) -> u16 {
        view::answer_height(self.size.1).saturating_sub(1).max(1)
    }

    /// Scrolls the answer by `lines` within its limits; whether it moved.
    fn scroll_by(&mut self, lines: i32) -> bool {
        let max = i32::from(view::max_scroll(self));
        let scroll = (i32::from(self.scroll) + lines).clamp(0, max) as u16;
        std::mem::replace(&mut self.scroll, scroll) != scroll
    }

    /// Takes the pending request to edit a card.
    pub fn take_edit(&mut self) -> Option<(String, usize)> {
        self.edit.take()
    }
}

#[cfg(test)]
mod tests;
