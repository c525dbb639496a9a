//! The commands wired to the real world: one file per subcommand, and what they share (the data folder, the
//! clock, the notes the user means, stdout). The pure core they call knows none of these.

pub mod cards;
pub mod completions;
pub mod cram;
pub mod drill;
pub mod init;
pub mod open;
pub mod optimize;
pub mod place;
pub mod plan;
mod quiz;
pub mod release;
pub mod repair;
pub mod stats;
pub mod sync;

use crate::cli::Cli;
use crate::notes::{self, Deck};
use crate::{EXIT_ERROR, TopicFilter, time, visible};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

/// Why a `--topic` leaves nothing to show, when it does: it matches no card, and these are the topics there are.
pub(crate) fn no_card_matches(deck: &Deck, filter: &TopicFilter, words: &[String]) -> Option<String> {
    if filter.is_empty() || deck.filtered(filter).next().is_some() {
        return None;
    }
    let topics: Vec<String> = deck
        .topics(&TopicFilter::default())
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let given = words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ");
    Some(if topics.is_empty() {
        format!("--topic {given} matches no card: the notes have none")
    } else {
        format!(
            "--topic {given} matches no card's topic, headings or question; the topics are: {} (`amgi topics`)",
            topics.join(", ")
        )
    })
}

/// Whether a notes path the user named could not be read (missing, or a folder without notes): a quiz then stops
/// before any screen, rather than show an empty one.
pub(crate) fn named_path_unreadable(deck: &Deck, notes: &[PathBuf]) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let Some(roots) = notes_paths(notes) else {
        return false;
    };
    let shown: Vec<String> = roots.iter().map(|r| r.to_string_lossy().nfc().collect()).collect();
    deck.findings.iter().any(|f| f.is_error() && shown.contains(&f.file))
}

/// Notes that could not be read, on stderr (`check` lists them on stdout instead).
pub(crate) fn report_unreadable(deck: &Deck) {
    for finding in deck.findings.iter().filter(|f| f.is_error()) {
        visible::warn(format_args!("{finding}"));
    }
}

/// Runs `write` over a buffered stdout: text through [`visible::Visible`], so nothing from the notes drives the
/// terminal, or JSON as it is (`json`). A reader that stopped early (`amgi cards | head`) is not an error.
pub(crate) fn print(json: bool, write: impl FnOnce(&mut Stdout) -> io::Result<()>) -> anyhow::Result<()> {
    let buffered = io::BufWriter::new(io::stdout().lock());
    let mut out = if json {
        Stdout::Json(buffered)
    } else {
        Stdout::Text(visible::Visible::new(buffered))
    };
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Standard output for a listing or report: JSON as it is, text made [`visible`].
pub(crate) enum Stdout {
    Json(io::BufWriter<io::StdoutLock<'static>>),
    Text(visible::Visible<io::BufWriter<io::StdoutLock<'static>>>),
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stdout::Json(out) => out.write(buf),
            Stdout::Text(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stdout::Json(out) => out.flush(),
            Stdout::Text(out) => out.flush(),
        }
    }
}

/// Where this deck's progress is kept: `--data-dir` exactly, else the `.amgi` folder above its notes (`amgi
/// init`), else a folder of its own under the data folder (see [`place`]).
pub(crate) fn place(cli: &Cli) -> anyhow::Result<place::Place> {
    if let Some(dir) = &cli.data_dir {
        return Ok(place::Place::Given(dir.clone()));
    }
    Ok(place::Place::find(data_root()?, notes_paths(&cli.notes).as_deref()))
}

/// The store of this deck's progress, for a command that has read the `deck`: progress from before decks had
/// folders of their own is copied in first, and with `make` the folder is made (for a command about to write).
pub(crate) fn deck_store(cli: &Cli, deck: &Deck, make: bool) -> anyhow::Result<crate::store::Store> {
    let place = place(cli)?;
    place.prepare(deck, now()?, make)?;
    Ok(place.store())
}

/// The data folder, which holds a folder per deck: `$AMGI_DATA`, else the platform's (`~/.local/share/amgi`).
pub(crate) fn data_root() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("AMGI_DATA").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "amgi")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| anyhow::anyhow!("no home folder to keep progress in; give --data-dir or set AMGI_DATA"))
}

/// The moment now: `$AMGI_NOW` (RFC 3339 with an offset, a testing aid) when set, else the system clock in the
/// local time zone. The only place amgi reads the clock.
pub(crate) fn now() -> anyhow::Result<time::Moment> {
    match std::env::var("AMGI_NOW") {
        Ok(text) if !text.is_empty() => Ok(text.parse().map_err(|e| anyhow::anyhow!("AMGI_NOW: {e}"))?),
        _ => Ok(time::Moment::local(jiff::Timestamp::now())),
    }
}

/// The notes the user means: `--notes`, else `$AMGI_NOTES`, else `./notes`; `None` for the bundled deck.
pub(crate) fn notes_paths(notes: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let from_env: Vec<PathBuf> = std::env::var_os("AMGI_NOTES")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    let local = PathBuf::from("notes");
    if !notes.is_empty() {
        Some(notes.to_vec())
    } else if !from_env.is_empty() {
        Some(from_env)
    } else if local.is_dir() {
        Some(vec![local])
    } else {
        None
    }
}

/// Reads the notes at `paths`, or the bundled deck.
pub(crate) fn read_deck(paths: Option<&[PathBuf]>) -> Deck {
    match paths {
        Some(paths) => Deck::from_files(notes::source::read_paths(paths)),
        None => Deck::from_files(notes::source::bundled().into_iter().map(Ok)),
    }
}

/// Reads the notes the user means (see [`notes_paths`]).
pub(crate) fn load_deck(notes: &[PathBuf]) -> Deck {
    read_deck(notes_paths(notes).as_deref())
}
