//! What a drill and a cram share: the deck and its progress opened, the session run full screen or line by line,
//! and the summary printed after.

use super::open::{Want, record_retention, saved_scheduler};
use super::{notes_paths, now, read_deck};
use crate::cli::Cli;
use crate::deck::Opened;
use crate::notes::{Deck, FindingKind};
use crate::plain;
use crate::schedule::Scheduler;
use crate::session::Session;
use crate::store::saver::Saver;
use crate::store::{Progress, Store, StoreError};
use crate::visible::Visible;
use crate::{Card, EXIT_ERROR, TopicFilter};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// What a quiz's own flags say: the retention to schedule for (saved once given), the timer's target.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pace {
    pub retention: Option<f32>,
    pub target_seconds: u64,
    /// Leave out the questions asked without a written answer (`--cards-only`).
    pub cards_only: bool,
}

/// A quiz on the notes the user means, over the session `start` makes: the deck opened for writing
/// ([`super::open::deck`]), the retention given saved, the session run full screen or line by line, the summary printed.
pub(super) fn run(
    cli: &Cli,
    caches: &crate::caches::Caches,
    pace: Pace,
    start: impl for<'a> FnOnce(
        Vec<Card>,
        Progress,
        &'a Scheduler,
        &Store,
        crate::time::Moment,
    ) -> Result<Session<'a>, StoreError>,
) -> anyhow::Result<ExitCode> {
    let want = Want {
        named_notes: true,
        ..Want::writer()
    };
    let (
        Opened {
            deck,
            store,
            lock: _lock,
            mut progress,
            mut scheduler,
            orphans,
            ..
        },
        now,
    ) = open_deck_or_return!(cli, caches, want);
    if let Some(retention) = pace.retention {
        if progress.settings.retention != Some(retention) {
            record_retention(&store, &mut progress, retention, now)?;
        }
        scheduler = saved_scheduler(&store, Some(&progress), Some(retention))?;
    }
    // The process ends right after the quiz; freeing a large deck card by card would only delay the exit.
    let mut owned = std::mem::ManuallyDrop::new(deck);
    let deck: &Deck = &owned;
    let filter = &TopicFilter::new(&cli.topic);
    let warnings = warnings(deck, orphans);
    let failed = deck.has_errors();
    // The session's cards: all of the deck's, moved rather than copied (6.7 MB at 10,000 cards), when no topic
    // narrows them.
    let cards_only = pace.cards_only;
    let keep = move |card: &&Card| !(cards_only && card.is_question());
    let cards: Vec<Card> = if filter.is_empty() && !cards_only {
        std::mem::take(&mut owned.cards)
    } else {
        owned.filtered(filter).filter(keep).cloned().collect()
    };
    let session = start(cards, progress, &scheduler, &store, now)?;
    let clock = || now_or(now);
    // Each answer's log line is on disk before the next card; progress.yaml follows on a thread of its own.
    let mut saver = Saver::new(&store);
    let full_screen = !cli.plain && io::stdin().is_terminal() && io::stdout().is_terminal();
    let (session, ended) = if full_screen {
        let roots = notes_paths(&cli.notes).unwrap_or_default();
        let mut reload = || {
            let deck = read_deck(caches, Some(&roots));
            deck.filtered(filter).filter(keep).cloned().collect()
        };
        let shell = crate::tui::Shell {
            clock: &clock,
            reload: &mut reload,
            notes_roots: notes_paths(&cli.notes).unwrap_or_default(),
            target_seconds: pace.target_seconds,
            warnings,
        };
        (crate::tui::run(session, shell, &mut saver)?, Ok(plain::End::Quit))
    } else {
        line_by_line(session, &cli.notes, &clock, &mut saver)
    };
    // The last progress.yaml is written before the lock goes.
    let saved = saver.finish();
    if let Err(e) = &saved {
        crate::visible::warn(format_args!(
            "{e}; every answer is in {}, and the next start applies them",
            store.reviews_path().display()
        ));
    }
    let failed = failed || saved.is_err();
    summary_and_exit(session, clock(), ended, failed)
}

/// The quiz line by line (`--plain`, or without a terminal): the session run, then the final pass offered when
/// the plan asks for one. The session as it ended, and how.
fn line_by_line<'a>(
    mut session: Session<'a>,
    notes: &[std::path::PathBuf],
    clock: &dyn Fn() -> crate::time::Moment,
    saver: &mut Saver<'_>,
) -> (Session<'a>, anyhow::Result<plain::End>) {
    let mut input = io::stdin().lock();
    // The terminal's width, else `$COLUMNS`, for laying answers out.
    let width = plain::answer_width(crate::tui::terminal_width(), std::env::var("COLUMNS").ok().as_deref());
    let roots = notes_paths(notes).unwrap_or_default();
    let mut run = |session: &mut Session<'_>, input: &mut io::StdinLock<'_>| {
        plain::run(
            session,
            input,
            &mut Visible::new(io::stdout().lock()),
            clock,
            saver,
            width,
            &roots,
        )
    };
    let mut ended = run(&mut session, &mut input);
    if let Ok(plain::End::Done) = ended
        && let Some(order) = session.final_pass(clock())
    {
        ended = match plain::offer_final_pass(&session, &order, &mut input, &mut Visible::new(io::stdout().lock())) {
            Ok(true) => {
                session.start_final_pass(order);
                run(&mut session, &mut input)
            }
            Ok(false) => ended,
            Err(e) => Err(e.into()),
        };
    }
    (session, ended)
}

/// Prints the summary of `session` (ended as `ended` says) and gives the exit code: 1 when `failed` (notes that
/// could not be read, a save that failed). A reader that went away (`amgi --plain | head`) is no error.
fn summary_and_exit(
    session: Session<'_>,
    now: crate::time::Moment,
    ended: anyhow::Result<plain::End>,
    failed: bool,
) -> anyhow::Result<ExitCode> {
    // The process ends right after the summary; freeing every card of the session one by one would only delay it.
    let session = std::mem::ManuallyDrop::new(session);
    let mut out = Visible::new(io::stdout().lock());
    let summary = plain::summary(&session, now, &mut out);
    match ended {
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e),
        Ok(_) => {
            summary.or_else(|e| {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    Ok(())
                } else {
                    Err(e)
                }
            })?;
            out.flush().ok();
            Ok(if failed {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// One line per kind of trouble in the notes and progress, for the full-screen banner: `orphans` is how many cards'
/// progress has no card in the notes.
fn warnings(deck: &Deck, orphans: usize) -> Vec<String> {
    let mut counts: Vec<(FindingKind, usize)> = Vec::new();
    for finding in &deck.findings {
        match counts.iter_mut().find(|(k, _)| *k == finding.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((finding.kind, 1)),
        }
    }
    // What matters first: files that could not be read, then duplicates, then the rest as met.
    let rank = |kind: FindingKind| match kind {
        FindingKind::Unreadable => 0,
        FindingKind::Duplicate => 1,
        _ => 2,
    };
    counts.sort_by_key(|&(kind, _)| rank(kind));
    let mut lines: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{n} × {} in the notes (amgi check)", kind.as_str()))
        .collect();
    if orphans > 0 {
        lines.push(format!(
            "{orphans} × progress kept for cards no longer in the notes (amgi check)"
        ));
    }
    lines
}

/// The clock during a quiz; `fallback` if it cannot be read (a bad `AMGI_NOW` was refused at the start).
fn now_or(fallback: crate::time::Moment) -> crate::time::Moment {
    now().unwrap_or(fallback)
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::{Finding, NoteFile};

    #[test]
    fn warnings_lead_with_unreadable_files_then_duplicates() {
        let notes = NoteFile {
            file: "a.md".into(),
            topic: "a".into(),
            folders: Default::default(),
            bytes: "## 빈 곳\n\n## 질문\n\n답\n\n## 질문\n\n답\n".as_bytes().to_vec(),
        };
        let unreadable = Finding::new("b.md", None, FindingKind::Unreadable, "not UTF-8");
        let deck = Deck::from_files([Ok(notes), Err(unreadable)]);
        let lines = warnings(&deck, 0);
        let kinds: Vec<&str> = lines.iter().map(|l| l.split(' ').nth(2).unwrap_or("")).collect();
        assert_eq!(kinds, ["unreadable", "duplicate", "stub"], "{lines:?}");
    }
}
