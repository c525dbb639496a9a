//! `amgi mock`: a mock interview over the notes the user means (see [`crate::mock`]).

use super::open::Want;
use crate::cli::{Cli, Mock as Options};
use crate::deck::Opened;
use crate::mock::{self, Draw, Mock};
use crate::store::CLOCK_SKEW;
use crate::store::saver::Saver;
use crate::visible::Visible;
use crate::{Card, TopicFilter};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// `amgi mock`: draws the questions, runs the mock full screen or line by line, prints the summary. Each grade is
/// on disk before the next question comes up for review.
pub fn run(cli: &Cli, options: &Options, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let want = Want {
        named_notes: true,
        ..Want::writer()
    };
    let (
        Opened {
            deck,
            store,
            lock: _lock,
            progress,
            scheduler,
            ..
        },
        now,
    ) = open_deck_or_return!(cli, caches, want);
    let failed = deck.has_errors();
    let filter = &TopicFilter::new(&cli.topic);
    let items: Vec<Card> = deck.cards.iter().filter(|card| filter.matches(card)).cloned().collect();
    // What a mock asked earlier today is asked again only when nothing else is left.
    let mut today = store.read_log_since(now.start_of_day())?;
    today.retain(|line| line.at() <= now.plus(CLOCK_SKEW));
    let asked_today = mock::asked_in_mocks(&today);
    // With an interview ahead, what will be weak on the day weighs too.
    let interview = crate::plan::Plan::from_settings(&progress.settings)
        .filter(|plan| plan.interview >= now.day())
        .map(|plan| now.start_of(plan.interview));
    let draw = Draw {
        progress: &progress,
        scheduler: &scheduler,
        now,
        interview,
        count: usize::try_from(options.count).unwrap_or(usize::MAX),
        follow_ups: options.follow_ups,
    };
    let drawn = mock::draw(&items, draw, &asked_today, &mut rand::rng());
    if drawn.is_empty() {
        crate::visible::warn(format_args!(
            "no question to ask: the notes have no card or question{}",
            if filter.is_empty() { "" } else { " matching --topic" }
        ));
        return Ok(super::exit(true));
    }
    let questions = drawn.iter().map(|d| (items[d.item].clone(), d.follow_up)).collect();
    let mut mock = Mock::new(
        questions,
        progress,
        &scheduler,
        options.seconds,
        options.reschedule,
        super::now()?,
    );
    let clock = || super::now().unwrap_or(now);
    let mut saver = Saver::new(&store);
    let full_screen = !cli.plain && io::stdin().is_terminal() && io::stdout().is_terminal();
    let ended = if full_screen {
        crate::tui::mock::run(&mut mock, &clock, &mut saver)
    } else {
        let width = crate::plain::answer_width(crate::tui::terminal_width(), std::env::var("COLUMNS").ok().as_deref());
        mock::plain::run(
            &mut mock,
            &mut io::stdin().lock(),
            &mut Visible::new(io::stdout().lock()),
            &clock,
            &mut saver,
            width,
        )
        .map(|_| ())
    };
    let saved = saver.finish();
    if let Err(e) = &saved {
        crate::visible::warn(format_args!(
            "{e}; every grade is in {}, and the next start applies them",
            store.reviews_path().display()
        ));
    }
    let failed = failed || saved.is_err();
    let mut out = Visible::new(io::stdout().lock());
    let printed = (|| -> io::Result<()> {
        writeln!(out)?;
        for line in mock.summary().lines() {
            writeln!(out, "{line}")?;
        }
        out.flush()
    })();
    match (ended, printed) {
        (Err(e), _) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        (Err(e), _) => Err(e),
        (Ok(()), Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        (Ok(()), Err(e)) => Err(e.into()),
        (Ok(()), Ok(())) => Ok(super::exit(failed)),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
