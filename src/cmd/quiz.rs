//! What a drill and a cram share: the deck and its progress opened, the session run full screen or line by line,
//! and the summary printed after.

use super::open::{follow_renames, held, open_progress, readable, record_retention};
use super::{load_deck, named_path_unreadable, no_card_matches, notes_paths, now, place, read_deck, report_unreadable};
use crate::cli::Cli;
use crate::notes::{Deck, FindingKind};
use crate::plain;
use crate::schedule::Scheduler;
use crate::session::Session;
use crate::store::saver::Saver;
use crate::store::{Progress, Store, StoreError};
use crate::visible::Visible;
use crate::{Card, EXIT_BUSY, EXIT_ERROR, TopicFilter};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// What a quiz's own flags say: the retention to schedule for (saved once given), the timer's target.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pace {
    pub retention: Option<f32>,
    pub target_seconds: u64,
}

/// A quiz on the notes the user means, over the session `start` makes.
///
/// progress.yaml is read on another thread while the notes are read: with 10,000 cards each takes tens of
/// milliseconds and neither needs the other. The lock is taken first, so the file read is the one this session
/// will update. What goes wrong is reported in the same order as if they were read one after the other: notes that
/// cannot be read, the data folder, the lock, the clock, then progress.yaml.
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
    let place = place(cli);
    // The first time a deck is opened, the progress of its cards kept from before decks had folders of their own
    // is copied in: that needs its cards first.
    let early = match &place {
        Ok(place) if place.has_old_progress() => Some(load_deck(caches, &cli.notes)),
        _ => None,
    };
    if let (Ok(place), Some(deck)) = (&place, &early)
        && !named_path_unreadable(deck, &cli.notes)
    {
        place.prepare(deck, now()?, false)?;
    }
    let opened = place.map(|place| {
        let store = place.store();
        let lock = store.lock();
        (store, lock, place)
    });
    let filter = &TopicFilter::new(&cli.topic);
    let (deck, loaded) = std::thread::scope(|scope| {
        // progress.yaml, and the part of reviews.yaml after what it holds, while the notes are read.
        let loading = match &opened {
            Ok((store, Ok(_), _)) => Some(scope.spawn(|| {
                let progress = store.load_progress();
                let tail = match &progress {
                    Ok(Some(p)) => Some(store.read_log_after(p.log_offset, p.log_crc)),
                    _ => None,
                };
                (progress, tail)
            })),
            _ => None,
        };
        let deck = early.unwrap_or_else(|| load_deck(caches, &cli.notes));
        let loaded = loading.map(|loading| loading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (deck, loaded)
    });
    // The process ends right after the quiz; freeing a large deck card by card would only delay the exit.
    let mut owned = std::mem::ManuallyDrop::new(deck);
    let deck: &Deck = &owned;
    report_unreadable(deck);
    // A wrong path, or a topic that matches nothing, is said before any screen, not behind an empty one.
    if named_path_unreadable(deck, &cli.notes) {
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    if let Some(why) = no_card_matches(deck, filter, &cli.topic) {
        crate::visible::warn(format_args!("{why}"));
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let (store, lock, place) = opened?;
    let Some(_lock) = held(lock)? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    let now = now()?;
    place.prepare(deck, now, true)?;
    // `loaded` is there whenever the lock was taken, as it was to get here.
    let (loaded, tail) = match loaded {
        Some((loaded, tail)) => (readable(&store, loaded, true)?, tail),
        None => (readable(&store, store.load_progress(), true)?, None),
    };
    let (mut progress, scheduler) = open_progress(pace.retention, &store, deck, loaded, tail, now)?;
    // The deck's ids, for both the renames and the banner's count of progress without a card.
    let ids = crate::history::card_ids(&deck.cards);
    follow_renames(&store, &mut progress, deck, &ids, &scheduler, now)?;
    if let Some(retention) = pace.retention.filter(|r| progress.settings.retention != Some(*r)) {
        record_retention(&store, &mut progress, retention, now)?;
    }
    let warnings = warnings(deck, &ids, &progress);
    drop(ids);
    let failed = deck.has_errors();
    // The session's cards: all of the deck's, moved rather than copied (6.7 MB at 10,000 cards), when no topic
    // narrows them.
    let cards: Vec<Card> = if filter.is_empty() {
        std::mem::take(&mut owned.cards)
    } else {
        owned.filtered(filter).cloned().collect()
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
            deck.filtered(filter).cloned().collect()
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
        let mut session = session;
        let mut input = io::stdin().lock();
        // The terminal's width, else `$COLUMNS`, for laying answers out.
        let width = plain::answer_width(crate::tui::terminal_width(), std::env::var("COLUMNS").ok().as_deref());
        let mut run = |session: &mut Session<'_>, input: &mut io::StdinLock<'_>| {
            plain::run(
                session,
                input,
                &mut Visible::new(io::stdout().lock()),
                &clock,
                &mut saver,
                width,
            )
        };
        let mut ended = run(&mut session, &mut input);
        if let Ok(plain::End::Done) = ended
            && let Some(order) = session.final_pass(clock())
        {
            ended = match plain::offer_final_pass(&session, &order, &mut input, &mut Visible::new(io::stdout().lock()))
            {
                Ok(true) => {
                    session.start_final_pass(order);
                    run(&mut session, &mut input)
                }
                Ok(false) => ended,
                Err(e) => Err(e.into()),
            };
        }
        (session, ended)
    };
    // The last progress.yaml is written before the lock goes.
    let saved = saver.finish();
    if let Err(e) = &saved {
        crate::visible::warn(format_args!(
            "{e}; every answer is in {}, and the next start applies them",
            store.reviews_path().display()
        ));
    }
    // The process ends right after the summary; freeing every card of the session one by one would only delay it.
    let session = std::mem::ManuallyDrop::new(session);
    let mut out = Visible::new(io::stdout().lock());
    let summary = plain::summary(&session, clock(), &mut out);
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
            Ok(if failed || saved.is_err() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// One line per kind of trouble in the notes and progress, for the full-screen banner; `ids` are the deck's.
fn warnings(deck: &Deck, ids: &crate::history::CardIds<'_>, progress: &Progress) -> Vec<String> {
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
    let orphans = crate::history::orphans(progress, ids).count();
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
            bytes: "## 빈 곳\n\n## 질문\n\n답\n\n## 질문\n\n답\n".as_bytes().to_vec(),
        };
        let unreadable = Finding::new("b.md", None, FindingKind::Unreadable, "not UTF-8");
        let deck = Deck::from_files([Ok(notes), Err(unreadable)]);
        let lines = warnings(&deck, &crate::history::card_ids(&deck.cards), &Progress::default());
        let kinds: Vec<&str> = lines.iter().map(|l| l.split(' ').nth(2).unwrap_or("")).collect();
        assert_eq!(kinds, ["unreadable", "duplicate", "stub"], "{lines:?}");
    }
}
