//! The commands wired to the real world: one file per subcommand, and what they share (the data folder, the
//! clock, the notes the user means, stdout). The pure core they call knows none of these.

/// Opens the deck the command line means for a command ([`open::deck`]) and says what was mended on the way, or
/// returns from the command with the exit code when the opening stops it. Gives the opened deck and the moment.
macro_rules! open_deck_or_return {
    ($cli:expr, $caches:expr, $want:expr) => {
        match $crate::cmd::open::deck($cli, $caches, $want)? {
            Ok((opened, now)) => {
                $crate::cmd::open::say(&opened.warnings);
                (opened, now)
            }
            Err(code) => return Ok(code),
        }
    };
}

pub mod attempts;
pub mod cards;
pub mod completions;
pub mod cram;
pub mod drill;
pub mod init;
pub mod mock;
pub mod open;
pub mod optimize;
pub mod place;
pub mod plan;
mod quiz;
pub mod release;
pub mod repair;
pub mod stats;
pub mod sync;

use crate::caches::Caches;
use crate::cli::Cli;
use crate::notes::Deck;
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
    let mut topics: Vec<String> = deck
        .topics(&TopicFilter::default())
        .into_iter()
        .map(|t| t.topic)
        .collect();
    // Two files of one name in two folders are one name to type.
    let mut named = std::collections::HashSet::new();
    topics.retain(|t| named.insert(t.clone()));
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

/// Why the time zone `TZ` names cannot be used, when it names a file that is not a time zone file: a FIFO, a
/// device (`TZ=:/dev/zero`), a folder, or a file larger than any time zone file (reading it would hang amgi or
/// fill its memory), or a path that climbs out of the time zone database (`..`). `None` when it may be used.
pub fn distrusted_time_zone(tz: &std::ffi::OsStr) -> Option<String> {
    /// Time zone files are a few kilobytes.
    const LARGEST: u64 = 1 << 20;
    let tz = tz.to_string_lossy();
    let name = tz.strip_prefix(':').unwrap_or(&tz);
    let path = std::path::Path::new(name);
    if path.is_absolute() {
        return match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => Some(format!("TZ names {name}, which is not a time zone file")),
            Ok(meta) if meta.len() > LARGEST => Some(format!(
                "TZ names {name}, which is {} bytes long, larger than any time zone file",
                meta.len()
            )),
            _ => None,
        };
    }
    path.components()
        .any(|c| c == std::path::Component::ParentDir)
        .then(|| format!("TZ names {name}, which climbs out of the time zone database"))
}

/// Looks up the system's time zone on a thread of its own, for the clock read later (unless `AMGI_NOW` stands
/// in for it): the first look-up lists the names of the time zone database (a walk of `/usr/share/zoneinfo`, about
/// a millisecond), which can as well happen while the notes are read. jiff keeps what it found for [`now`].
pub(crate) fn find_time_zone_early() {
    if std::env::var_os("AMGI_NOW").is_some_and(|v| !v.is_empty()) {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("time zone".into())
        .spawn(|| jiff::tz::TimeZone::try_system().is_ok());
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

/// Reads the notes at `paths`, or the bundled deck, through the cache of parsed notes (see
/// [`Caches::read_deck`]). The deck is the same with or without the cache.
pub(crate) fn read_deck(caches: &Caches, paths: Option<&[PathBuf]>) -> Deck {
    caches.read_deck(paths)
}

/// The whole of `store`'s reviews.yaml, for a command that only reads it, through the snapshot of the log kept in
/// the cache folder (see [`Caches::read_whole_log`]). The log is the same with or without it.
pub(crate) fn read_whole_log(
    caches: &Caches,
    store: &crate::store::Store,
    notes: &[PathBuf],
) -> Result<crate::store::Log, crate::store::StoreError> {
    caches.read_whole_log(store, &notes_paths(notes).unwrap_or_default())
}

/// The cache folder: `$AMGI_CACHE`, else the platform's (`~/.cache/amgi`); `None` when there is neither.
pub(crate) fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("AMGI_CACHE").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => Some(
            directories::ProjectDirs::from("", "", "amgi")?
                .cache_dir()
                .to_path_buf(),
        ),
    }
}

/// [`load_deck`], for a command that ends the process when it is done: the deck is never freed, since freeing a
/// large one card by card would only delay the exit.
pub(crate) fn kept_deck(caches: &Caches, notes: &[PathBuf]) -> std::mem::ManuallyDrop<Deck> {
    std::mem::ManuallyDrop::new(load_deck(caches, notes))
}

/// Reads the notes the user means (see [`notes_paths`]).
pub(crate) fn load_deck(caches: &Caches, notes: &[PathBuf]) -> Deck {
    read_deck(caches, notes_paths(notes).as_deref())
}
