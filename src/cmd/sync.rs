//! `amgi sync`: prints the round trip [`crate::sync`] makes of a deck kept in its notes repository, a line a step
//! or one JSON object; finds the deck, holds its lock, and rebuilds progress.yaml when the round trip asks.

use super::open::{held, open_progress, readable};
use super::place::Place;
use super::{load_deck, now, place};
use crate::cli::{Cli, Sync};
use crate::store::Store;
use crate::sync::{Error, Events, Outcome, Repo, Step};
use crate::{EXIT_BUSY, EXIT_ERROR, visible};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `amgi sync`.
pub fn run(cli: &Cli, options: &Sync, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let place = place(cli)?;
    let mut report = Report::new(options.json);
    let result = sync(cli, caches, &place, &mut report);
    let code = match result {
        Ok(code) => code,
        Err(error) => {
            report.fail(error);
            ExitCode::from(EXIT_ERROR)
        }
    };
    report.finish()?;
    Ok(code)
}

/// An error of amgi's own (reading or saving progress) at the progress step.
fn progress(e: anyhow::Error) -> Error {
    Error::Progress(format!("{e:#}"))
}

/// What was done, said step by step as text or all at once as JSON.
struct Report {
    json: bool,
    repo: Option<PathBuf>,
    outcome: Outcome,
    failed: Option<Error>,
}

impl Report {
    fn new(json: bool) -> Report {
        Report {
            json,
            repo: None,
            outcome: Outcome::default(),
            failed: None,
        }
    }

    /// Says one step as text (nothing with `--json`, which reports at the end).
    fn say(&self, step: Step, text: &str) {
        if !self.json {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{step}: {}", visible::visible(text));
            let _ = out.flush();
        }
    }

    fn fail(&mut self, error: Error) {
        visible::warn(format_args!(
            "sync stopped at {}: {}",
            error.step(),
            error.to_string().trim_end()
        ));
        self.failed = Some(error);
    }

    fn finish(&self) -> anyhow::Result<()> {
        if !self.json {
            return Ok(());
        }
        // Keys in the documented order.
        let text = |value: Option<&str>| serde_json::to_string(&value).unwrap_or_else(|_| "null".into());
        let error = match &self.failed {
            Some(error) => format!(
                r#"{{"step":{},"message":{}}}"#,
                text(Some(error.step().name())),
                text(Some(error.to_string().trim_end()))
            ),
            None => "null".into(),
        };
        let repo = self.repo.as_ref().map(|r| crate::visible::name(r).to_string());
        let outcome = &self.outcome;
        let value = format!(
            r#"{{"repo":{},"committed":{},"answers":{},"pull":{},"rebuilt":{},"pushed":{},"error":{error}}}"#,
            text(repo.as_deref()),
            text(outcome.committed.as_deref()),
            outcome.answers,
            text(Some(outcome.pull.name())),
            outcome.rebuilt,
            outcome.pushed,
        );
        super::print(true, |out| writeln!(out, "{value}"))
    }
}

/// The round trip's calls back: each step said, progress.yaml rebuilt with the notes as they are now.
struct Trip<'a> {
    cli: &'a Cli,
    caches: &'a crate::caches::Caches,
    store: &'a Store,
    report: &'a Report,
}

impl Events for Trip<'_> {
    fn said(&mut self, step: Step, text: &str) {
        self.report.say(step, text);
    }

    fn rebuild(&mut self) -> Result<bool, Error> {
        rebuild(self.cli, self.caches, self.store).map_err(progress)
    }
}

fn sync(cli: &Cli, caches: &crate::caches::Caches, place: &Place, report: &mut Report) -> Result<ExitCode, Error> {
    let dir = place.dir().to_path_buf();
    if let Place::Deck { dir, .. } = place {
        return Err(Error::NotInGit(format!(
            "this deck's progress is kept in the data folder ({}), not beside its notes",
            crate::visible::name(dir)
        )));
    }
    if !dir.is_dir() {
        return Err(Error::NotInGit(format!(
            "{} does not exist yet",
            crate::visible::name(&dir)
        )));
    }
    let repo = Repo::find(&dir)?;
    report.repo = Some(repo.top().to_path_buf());
    let store = place.store();
    let Some(_lock) = held(store.lock()).map_err(progress)? else {
        return Ok(ExitCode::from(EXIT_BUSY));
    };
    let today = now().map_err(progress)?.day();
    let mut outcome = Outcome::default();
    let mut trip = Trip {
        cli,
        caches,
        store: &store,
        report,
    };
    let result = repo.round_trip(&store, today, &mut outcome, &mut trip);
    report.outcome = outcome;
    result.map(|()| ExitCode::SUCCESS)
}

/// Brings progress.yaml up to date with reviews.yaml (rebuilt from it when it is out of date, mixed by a merge
/// or in conflict), with the notes as they are now. Whether it was written.
fn rebuild(cli: &Cli, caches: &crate::caches::Caches, store: &Store) -> anyhow::Result<bool> {
    let deck = load_deck(caches, &cli.notes);
    let before = store.progress_bytes();
    let now = now()?;
    let loaded = readable(store, store.load_progress(), true)?;
    let (progress, _) = open_progress(None, store, &deck, loaded, None, now)?;
    if before.is_some() && store.progress_bytes() == before {
        return Ok(false);
    }
    store.save_progress(&progress)?;
    Ok(true)
}
