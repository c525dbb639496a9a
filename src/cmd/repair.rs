//! `amgi repair`: progress.yaml rebuilt from reviews.yaml, the old file kept as a backup.

use super::open::say_unapplied;
use super::{now, print};
use crate::cli::Cli;
use crate::notes::Deck;
use crate::schedule::{DEFAULT_RETENTION, Scheduler};
use crate::{EXIT_ERROR, history, visible};
use std::io::Write;
use std::process::ExitCode;

/// `amgi repair`: progress.yaml rebuilt from reviews.yaml. The old file, if any, is kept as a numbered backup
/// first. When the log holds fewer answers than progress.yaml counts, nothing is rebuilt (exit 1) unless
/// `--force`: a rebuild would lose them.
pub fn run(cli: &Cli, options: &crate::cli::Repair, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let (deck, store, _lock) = match super::open::locked(cli, caches)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let deck: &Deck = &deck;
    let mut previous = store.load_progress().ok().flatten();
    if let Some(previous) = &mut previous {
        drop_refused_settings(&store, &mut previous.settings);
    }
    let mut log = store.read_log(0)?;
    say_unapplied(&store, &mut log, now()?);
    let settings = previous.as_ref().map(|p| p.settings.clone()).unwrap_or_default();
    // The settings in progress.yaml until the log's own settings lines say otherwise.
    let retention = settings.retention.unwrap_or(DEFAULT_RETENTION);
    let scheduler =
        Scheduler::new(retention, settings.parameters.as_deref()).or_else(|_| Scheduler::new(retention, None))?;
    let mut rebuilt = history::replay(&log.lines, log.len, &deck.cards, previous.as_ref(), &scheduler);
    rebuilt.log_crc = log.crc;
    let path = store.progress_path();
    let answers = history::effective_reviews(&log.lines).len();
    if let Some(previous) = &previous {
        let missing = history::missing_answers(previous, &rebuilt, &log.lines);
        if missing.answers > 0 && !options.force {
            visible::warn(format_args!(
                "not rebuilt: {} counts {} {} that {} does not hold, for {} {} (\"{}\" among them); a rebuild would \
                 lose them. Was the log moved, cut or replaced? {} is left as it is; `amgi repair --force` rebuilds \
                 from the log anyway, keeping a backup",
                crate::visible::name(&path),
                missing.answers,
                if missing.answers == 1 { "answer" } else { "answers" },
                crate::visible::name(&store.reviews_path()),
                missing.cards,
                if missing.cards == 1 { "card" } else { "cards" },
                missing.example.as_ref().map_or("", |id| id.as_str()),
                crate::visible::name(&path),
            ));
            return Ok(ExitCode::from(EXIT_ERROR));
        }
    }
    let backup = store.back_up_progress()?;
    store.save_progress(&rebuilt)?;
    print(false, |out| {
        if let Some(backup) = &backup {
            writeln!(out, "kept the old file as {}", crate::visible::name(backup))?;
        }
        writeln!(
            out,
            "rebuilt {} from {answers} answers in {}: {} cards",
            crate::visible::name(&path),
            crate::visible::name(&store.reviews_path()),
            rebuilt.cards.len()
        )
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Takes out of `settings` (progress.yaml's, as loaded from `store`) a retention or FSRS parameters amgi cannot
/// schedule with, saying so: an older amgi copied them there from a bad settings line of the log, and they would
/// stop every quiz. The defaults stand in until the log's own settings lines say otherwise.
fn drop_refused_settings(store: &crate::store::Store, settings: &mut crate::store::Settings) {
    use crate::store::{Exact, settings_refused};
    let retention = settings.retention.map(Exact);
    let parameters: Option<Vec<Exact>> = settings
        .parameters
        .as_ref()
        .map(|p| p.iter().copied().map(Exact).collect());
    for why in [
        settings_refused(retention, None).inspect(|_| settings.retention = None),
        settings_refused(None, parameters.as_deref()).inspect(|_| settings.parameters = None),
    ]
    .into_iter()
    .flatten()
    {
        visible::warn(format_args!(
            "{}: {why}; the default is used instead",
            crate::visible::name(&store.progress_path())
        ));
    }
}
