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

/// Reads the notes at `paths`, or the bundled deck, through the cache of parsed notes (see [`deck_cache`]):
/// only files not in it are parsed. The deck is the same with or without the cache.
pub(crate) fn read_deck(paths: Option<&[PathBuf]>) -> Deck {
    // `keep` says of each note file read whether its bytes are wanted (see `read_paths_with`).
    let files = |keep: &mut dyn FnMut(&notes::NoteFile, u64) -> bool| match paths {
        Some(paths) => notes::source::read_paths_with(paths, keep),
        None => notes::source::bundled().into_iter().map(Ok).collect(),
    };
    let Some(cache) = deck_cache(paths) else {
        return Deck::from_files(files(&mut |_, _| true));
    };
    // Only the cache's table is read here; each file's entry is read once the file is found unchanged, as it is
    // read (its bytes are then not kept).
    let mut old = notes::DeckCache::open(&cache);
    let files = files(&mut |note, hash| !old.restore(note, hash));
    let (deck, new) = Deck::from_files_cached(files, old);
    if let Some(new) = new {
        // Made and written on a thread of its own, while the first card is drawn (at 10,000 cards, after an edit
        // of one file, it took a third of the start). Disposable: a cache that cannot be written only means the
        // next run parses again.
        write_in_background(&CACHE_WRITE, move || {
            let _ = write_cache(&cache, |file| new.write_to(file));
        });
    }
    deck
}

/// Runs `write` on a thread of its own, which the process waits for before it ends ([`finish_cache_writes`]); one
/// write of each kind at a time (a reload of the notes reads them again), so the later one is the one kept.
fn write_in_background(
    slot: &std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    write: impl FnOnce() + Send + 'static,
) {
    let mut pending = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(earlier) = pending.take() {
        let _ = earlier.join();
    }
    *pending = Some(std::thread::spawn(write));
}

/// The write of the cache of parsed notes under way, if any.
static CACHE_WRITE: std::sync::Mutex<Option<std::thread::JoinHandle<()>>> = std::sync::Mutex::new(None);

/// The write of a snapshot of the log under way, if any.
static SNAPSHOT_WRITE: std::sync::Mutex<Option<std::thread::JoinHandle<()>>> = std::sync::Mutex::new(None);

/// Waits for the cache of parsed notes and the snapshot of the log to be written, if a write is under way: before
/// the process ends.
pub(crate) fn finish_cache_writes() {
    for write in [&CACHE_WRITE, &SNAPSHOT_WRITE] {
        let pending = write.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(write) = pending {
            let _ = write.join();
        }
    }
}

/// The whole of `store`'s reviews.yaml, for a command that only reads it, through the disposable snapshot of the
/// log kept in the cache folder (see [`log_snapshot`]): only the lines appended since it was made are read as
/// text. The log is the same with or without it. A new snapshot, when one is wanted, is written on a thread of its
/// own, which the process waits for before it ends ([`finish_cache_writes`]).
pub(crate) fn read_whole_log(
    store: &crate::store::Store,
    notes: &[PathBuf],
) -> Result<crate::store::Log, crate::store::StoreError> {
    let Some(path) = log_snapshot(store, notes) else {
        return store.read_log(0);
    };
    let (log, new) = store.read_log_snapshot(&path)?;
    if let Some(new) = new {
        write_in_background(&SNAPSHOT_WRITE, move || {
            if let Some(bytes) = new.bytes() {
                let _ = write_cache(&path, |file| file.write_all(&bytes));
            }
        });
    }
    Ok(log)
}

/// The cache folder: `$AMGI_CACHE`, else the platform's (`~/.cache/amgi`).
fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("AMGI_CACHE").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => Some(
            directories::ProjectDirs::from("", "", "amgi")?
                .cache_dir()
                .to_path_buf(),
        ),
    }
}

/// The cache folder, made absolute, when it lies outside each of `folders` (canonical paths) and the git
/// repository that holds each: notes, a data folder or their repo must not fill with amgi's files. The cache folder
/// may not exist yet: its nearest existing ancestor, resolved, is compared too.
fn cache_dir_outside<'a>(folders: impl IntoIterator<Item = &'a std::path::Path>) -> Option<PathBuf> {
    let dir = std::path::absolute(cache_dir()?).ok()?;
    let resolved = dir.ancestors().find_map(|a| a.canonicalize().ok())?;
    for folder in folders {
        let repo = folder.ancestors().find(|a| a.join(".git").exists()).unwrap_or(folder);
        if resolved.starts_with(repo) || dir.starts_with(repo) {
            return None;
        }
    }
    Some(dir)
}

/// Where the snapshot of `store`'s log is kept: a file in the cache folder named after the data folder's canonical
/// path. Machine-local and safe to delete. `None` (no snapshot) when the data folder does not exist, or the cache
/// folder lies inside it, the git repo that holds it, or the notes' (`notes`, as given) git repo.
fn log_snapshot(store: &crate::store::Store, notes: &[PathBuf]) -> Option<PathBuf> {
    let data = store.dir().canonicalize().ok()?;
    let notes: Vec<PathBuf> = notes_paths(notes)
        .unwrap_or_default()
        .iter()
        .filter_map(|path| {
            let root = path.canonicalize().ok()?;
            Some(if root.is_dir() {
                root
            } else {
                root.parent()?.to_path_buf()
            })
        })
        .collect();
    let dir = cache_dir_outside(std::iter::once(data.as_path()).chain(notes.iter().map(PathBuf::as_path)))?;
    let name = crate::card::stable_hash(data.as_os_str().as_encoded_bytes());
    Some(dir.join(format!("{name:016x}.reviews")))
}

/// Where the parsed deck read from `paths` (the bundled deck for `None`) is cached: a file named after the
/// notes' canonical paths in `$AMGI_CACHE`, else the platform's cache folder (`~/.cache/amgi`). Machine-local
/// and safe to delete. `None` (no cache) when there is no such folder, or when it lies inside the notes or the
/// git repo that holds them, which must not fill with amgi's files.
fn deck_cache(paths: Option<&[PathBuf]>) -> Option<PathBuf> {
    let Some(paths) = paths else {
        return Some(cache_dir()?.join("bundled.deck"));
    };
    let roots: Vec<PathBuf> = paths
        .iter()
        .map(|path| {
            path.canonicalize()
                .unwrap_or_else(|_| std::path::absolute(path).unwrap_or(path.clone()))
        })
        .collect();
    let folders = roots
        .iter()
        .map(|root| {
            if root.is_dir() {
                Some(root.as_path())
            } else {
                root.parent()
            }
        })
        .collect::<Option<Vec<_>>>()?;
    let dir = cache_dir_outside(folders)?;
    let mut name = Vec::new();
    for root in &roots {
        name.extend_from_slice(root.as_os_str().as_encoded_bytes());
        name.push(0);
    }
    Some(dir.join(format!("{:016x}.deck", crate::card::stable_hash(&name))))
}

/// Writes the cache (of notes or of the log) through a temporary file renamed over the old one, so a reader never sees half of it (one
/// that did would only ignore it). Caches not written for 30 days go first (and temporary files a killed write left
/// an hour ago): notes moved or deleted (or a test's
/// temporary folders) would otherwise leave theirs for ever, and one still in use is only parsed again once.
fn write_cache(
    path: &std::path::Path,
    write: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    const UNUSED: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 60 * 60);
    // A write takes milliseconds: a temporary file an hour old is one a killed process left.
    const LEFT_BEHIND: std::time::Duration = std::time::Duration::from_secs(60 * 60);
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    crate::door::create_dir(dir, crate::door::Sharing::Private)?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.path();
        let limit = match name.extension().and_then(|e| e.to_str()) {
            Some("deck" | "reviews") => UNUSED,
            Some("tmp") => LEFT_BEHIND,
            _ => continue,
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > limit));
        if old {
            let _ = std::fs::remove_file(name);
        }
    }
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("cache");
    let temp = path.with_extension(format!("{extension}.{}.tmp", std::process::id()));
    let mut file = io::BufWriter::new(crate::door::create_temporary(
        &temp,
        None,
        crate::door::Sharing::Private,
    )?);
    let written = write(&mut file).and_then(|()| file.flush());
    drop(file);
    written.and_then(|()| std::fs::rename(&temp, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// [`load_deck`], for a command that ends the process when it is done: the deck is never freed, since freeing a
/// large one card by card would only delay the exit.
pub(crate) fn kept_deck(notes: &[PathBuf]) -> std::mem::ManuallyDrop<Deck> {
    std::mem::ManuallyDrop::new(load_deck(notes))
}

/// Reads the notes the user means (see [`notes_paths`]).
pub(crate) fn load_deck(notes: &[PathBuf]) -> Deck {
    read_deck(notes_paths(notes).as_deref())
}
