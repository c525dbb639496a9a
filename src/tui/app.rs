//! The TUI's state and how actions change it. No terminal here: tests feed actions and read the state.

use super::action::Action;
use super::view;
use crate::card::Card;
use crate::schedule::{Delay, Grade};
use crate::session::{Journal, Session};
use crate::store::StoreError;
use crate::time::Moment;

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

    /// Moves the clock on (a timer tick).
    pub fn tick(&mut self, now: Moment) {
        self.now = now;
    }

    /// Applies `action` at `now`. Answers reach `journal` (durable) before the next card is chosen.
    pub fn update(&mut self, action: Action, now: Moment, journal: &mut impl Journal) {
        self.now = now;
        self.flash = None;
        // The first key puts the banner away (and still does what it does).
        self.banner = false;
        if self.help && action != Action::Quit {
            self.help = false;
            return;
        }
        let result = match action {
            Action::Quit | Action::Back => {
                self.quit = true;
                Ok(())
            }
            Action::Help => {
                self.help = true;
                Ok(())
            }
            Action::Accept if self.screen() == Screen::Question => {
                self.session.reveal();
                Ok(())
            }
            Action::Accept if self.screen() == Screen::Answer => self.grade(Grade::Good, journal),
            Action::Grade(grade) if self.screen() == Screen::Answer => self.grade(grade, journal),
            Action::Undo => self.undo(journal),
            Action::Skip if self.card().is_some() => self.session.skip(self.now, journal).map(|()| {
                self.flash = Some("skipped".into());
                self.next_card();
            }),
            Action::FinalPass if self.card().is_none() => {
                if let Some(order) = self.offer.take() {
                    self.session.start_final_pass(order);
                    self.next_card();
                }
                Ok(())
            }
            Action::Edit => {
                self.edit = self.card().map(|c| (c.file.clone(), c.line));
                Ok(())
            }
            Action::Up => self.scroll_by(-1),
            Action::Down => self.scroll_by(1),
            Action::PageUp => self.scroll_by(-i32::from(self.page())),
            Action::PageDown => self.scroll_by(i32::from(self.page())),
            Action::Top => self.scroll_by(i32::MIN / 2),
            Action::Bottom => self.scroll_by(i32::MAX / 2),
            _ => Ok(()),
        };
        if let Err(error) = result {
            self.flash = Some(format!("not saved: {error}"));
        }
    }

    fn grade(&mut self, grade: Grade, journal: &mut impl Journal) -> Result<(), StoreError> {
        let ms = self
            .now
            .timestamp()
            .duration_since(self.shown_at.timestamp())
            .as_millis();
        self.session
            .grade(grade, self.now, u64::try_from(ms).unwrap_or(0), journal)?;
        self.next_card();
        Ok(())
    }

    fn undo(&mut self, journal: &mut impl Journal) -> Result<(), StoreError> {
        if self.session.undo(self.now, journal)? {
            self.flash = Some("undone".into());
            self.scroll = 0;
            self.shown_at = self.now;
        } else {
            self.flash = Some("nothing to undo".into());
        }
        Ok(())
    }

    fn next_card(&mut self) {
        if self.session.next(self.now).is_none() && self.offer.is_none() {
            self.offer = self.session.final_pass(self.now);
        }
        self.scroll = 0;
        self.shown_at = self.now;
    }

    /// Lines a page scroll moves.
    fn page(&self) -> u16 {
        view::answer_height(self.size.1).saturating_sub(1).max(1)
    }

    fn scroll_by(&mut self, lines: i32) -> Result<(), StoreError> {
        let max = i32::from(view::max_scroll(self));
        self.scroll = (i32::from(self.scroll) + lines).clamp(0, max) as u16;
        Ok(())
    }

    /// Takes the pending request to edit a card.
    pub fn take_edit(&mut self) -> Option<(String, usize)> {
        self.edit.take()
    }
}

#[cfg(test)]
mod tests;
