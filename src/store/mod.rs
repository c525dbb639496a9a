//! progress.yaml and reviews.yaml: the progress files, loaded and saved safely.
//!
//! The data folder holds two files. `reviews.yaml` is the source of truth: every answer, one line each, only
//! ever appended. `progress.yaml` is where each card stands, derived from the log and rewritten whole (through a
//! temporary file and a rename, so it is never half-written); its `log_offset` says how much of the log it
//! already reflects. A third file, `lock`, keeps two sessions from writing at once.
//!
//! The text of both files is made and read by pure functions ([`render_progress`], [`parse_progress`],
//! [`render_line`], [`parse_line`]); [`Store`] adds the file handling around them.

pub mod attempts;
mod canonical;
mod emit;
mod log;
mod progress;
pub mod saver;
mod snapshot;
mod yaml;

#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod tests;

pub use attempts::Attempt;
pub use log::{
    CLOCK_SKEW, Exact, LineId, Log, LogLine, Mode, PlanChange, Repeat, Review, parse_line, parse_line_with_id,
    render_line, render_line_with_id, settings_refused,
};
pub use progress::{Entry, PROGRESS_HEADER, PROGRESS_VERSION, Progress, Settings, parse_progress, render_progress};

use crate::door::{self, Sharing};
use crate::time::Moment;
use std::fmt;
use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// reviews.yaml after an append: its length, and its CRC-32 when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEnd {
    /// The file's length in bytes.
    pub len: u64,
    /// The CRC-32 of the whole file.
    pub crc: Option<u32>,
}

/// A snapshot of reviews.yaml to write, from [`Store::read_log_snapshot`].
#[derive(Debug)]
pub struct NewSnapshot(snapshot::Snapshot);

impl NewSnapshot {
    /// The snapshot's bytes; `None` when it cannot be written (a number too large for its layout).
    pub fn bytes(&self) -> Option<Vec<u8>> {
        self.0.encode()
    }
}

/// What [`Store::read_log_after`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tail {
    /// The part already reflected is as it was; the lines after it.
    Follows(Log),
    /// The part already reflected was changed: the whole log.
    Changed(Log),
}

/// The number of lines `bytes` holds (its newlines).
fn count_lines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// The most of progress.yaml (or a backup of it) that is read: some 400 bytes a card.
const PROGRESS_LIMIT: u64 = 1 << 30;

/// The most of reviews.yaml that is read whole into memory (it is otherwise streamed, up to its length at open).
const LOG_LIMIT: u64 = 4 << 30;

/// How many backups of progress.yaml [`Store::back_up_progress`] keeps.
pub const BACKUPS_KEPT: usize = 5;

/// How much of reviews.yaml [`Store::read_log_since`] reads at a time, walking back from the end.
const TAIL_CHUNK: usize = 64 * 1024;

/// How much of reviews.yaml is read at a time when it is read whole (a few bytes in the unit tests, so that every
/// log they read has lines across the pieces and lines longer than one).
const LOG_CHUNK: usize = if cfg!(test) { 61 } else { 256 * 1024 };

/// Why the progress files could not be read or written. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Something other than a regular file (a link, a FIFO, a device, a folder) where the store keeps a file, or a
    /// link where it keeps its folder: nothing was read or written there.
    #[error(transparent)]
    Refused(door::Refused),
    /// Another process holds the data folder's lock.
    #[error(
        "another amgi session is running on {} (it holds {}); let it finish first",
        crate::visible::name(dir),
        crate::visible::name(lock)
    )]
    Busy {
        /// The data folder.
        dir: PathBuf,
        /// The lock file in it.
        lock: PathBuf,
    },
    /// Reading or writing a file or folder failed.
    #[error("could not {action} {}: {error}", crate::visible::name(path))]
    Io {
        /// What was being done: `read`, `write`, `create the folder`, …
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        error: io::Error,
    },
    /// progress.yaml could not be read.
    #[error(
        "{}: {message}; the file is left as it is — fix it, or rebuild it from reviews.yaml with `amgi repair`",
        Place(file, location.map(|(l, _)| l), location.map(|(_, c)| c))
    )]
    Progress {
        /// The file.
        file: PathBuf,
        /// The 1-based line and column, when known.
        location: Option<(usize, usize)>,
        /// What is wrong.
        message: String,
    },
    /// progress.yaml was written by a newer amgi.
    #[error(
        "{}: made by a newer amgi (version {version}); the file is left as it is — update amgi to use it",
        Place(file, location.map(|(l, _)| l), location.map(|(_, c)| c))
    )]
    Newer {
        /// The file.
        file: PathBuf,
        /// The 1-based line and column of the version, when known.
        location: Option<(usize, usize)>,
        /// The version it has.
        version: u64,
    },
    /// A line of reviews.yaml could not be read (other than a torn line, which is skipped).
    #[error(
        "{}: {message}; the file is left as it is — fix or remove that line",
        Place(file, Some(*line), *column)
    )]
    Log {
        /// The file.
        file: PathBuf,
        /// The 1-based line.
        line: usize,
        /// The 1-based column, when known.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// reviews.yaml is shorter than the part of it progress.yaml says it has already read.
    #[error(
        "{} is {len} bytes long, shorter than the {offset} bytes progress.yaml has already read from it: it was \
         changed outside amgi; rebuild progress.yaml with `amgi repair`",
        crate::visible::name(file)
    )]
    LogShrunk {
        /// The file.
        file: PathBuf,
        /// Its length.
        len: u64,
        /// The offset asked for.
        offset: u64,
    },
}

/// `file`, `file:line` or `file:line:column`.
struct Place<'a>(&'a Path, Option<usize>, Option<usize>);

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", crate::visible::name(self.0))?;
        if let Some(line) = self.1 {
            write!(f, ":{line}")?;
            if let Some(column) = self.2 {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// An I/O error about `path`.
pub(super) fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |error| match door::refused(&error) {
        Some(refused) => StoreError::Refused(refused.clone()),
        None => StoreError::Io { action, path, error },
    }
}

/// The data folder: where progress.yaml, reviews.yaml and the lock live.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// This installation's part of line ids, read or made at the first append.
    install: std::sync::OnceLock<u16>,
    /// The length and CRC-32 of reviews.yaml as this store last read or wrote it.
    log_end: std::sync::Mutex<Option<(u64, u32)>>,
    /// Whether the folder is a deck's `.amgi` in its notes repository (see [`Store::in_repo`]).
    in_repo: bool,
}

/// The data folder's lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Closing the file releases the lock anyway; unlocking first just makes it explicit.
        let _ = self.file.unlock();
    }
}

impl Store {
    /// The store in folder `dir`. Touches nothing: the folder is made when first written to.
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store {
            dir: dir.into(),
            install: std::sync::OnceLock::new(),
            log_end: std::sync::Mutex::new(None),
            in_repo: false,
        }
    }

    /// This store, kept in a deck's notes repository and carried between machines by git: there a merge may mix
    /// two machines' progress.yaml, so one that cannot be read is rebuilt from reviews.yaml, which merges line by
    /// line and is the source of truth.
    pub fn in_repo(mut self) -> Store {
        self.in_repo = true;
        self
    }

    /// Whether the store is kept in a notes repository ([`Store::in_repo`]).
    pub fn is_in_repo(&self) -> bool {
        self.in_repo
    }

    /// Whether progress.yaml holds a merge's conflict markers: a line starting `<<<<<<< `, `=======` or
    /// `>>>>>>> `, as git leaves them. `false` when it cannot be read.
    pub fn progress_in_conflict(&self) -> bool {
        self.check_dir().is_ok()
            && door::read(&self.progress_path(), PROGRESS_LIMIT).is_ok_and(|bytes| has_conflict_markers(&bytes))
    }

    /// progress.yaml's bytes as they are, to tell whether a rewrite would change it; `None` when it cannot be read.
    pub fn progress_bytes(&self) -> Option<Vec<u8>> {
        self.check_dir().ok()?;
        door::read(&self.progress_path(), PROGRESS_LIMIT).ok()
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `dir/progress.yaml`.
    pub fn progress_path(&self) -> PathBuf {
        self.dir.join("progress.yaml")
    }

    /// `dir/reviews.yaml`.
    pub fn reviews_path(&self) -> PathBuf {
        self.dir.join("reviews.yaml")
    }

    /// `dir/lock`.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join("lock")
    }

    /// Takes the data folder's lock (making the folder if needed), without waiting: [`StoreError::Busy`] when
    /// another session holds it. The lock lasts until the [`Lock`] is dropped.
    pub fn lock(&self) -> Result<Lock, StoreError> {
        self.create_dir()?;
        let path = self.lock_path();
        let file = door::open_read_write(&path, self.sharing()).map_err(io_error("open", &path))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { file }),
            Err(TryLockError::WouldBlock) => Err(StoreError::Busy {
                dir: self.dir.clone(),
                lock: path,
            }),
            Err(TryLockError::Error(error)) => Err(StoreError::Io {
                action: "lock",
                path,
                error,
            }),
        }
    }

    /// Reads progress.yaml; `Ok(None)` when there is none yet.
    pub fn load_progress(&self) -> Result<Option<Progress>, StoreError> {
        self.check_dir()?;
        let path = self.progress_path();
        let bytes = match door::read(&path, PROGRESS_LIMIT) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &path)(e)),
        };
        // The vectorised check first (the standard one took 17M instructions for 10,000 Korean cards), the
        // standard one only to say where a bad file goes wrong.
        let text = match simdutf8::basic::from_utf8(&bytes) {
            Ok(text) => text,
            Err(_) => std::str::from_utf8(&bytes).map_err(|e| {
                let at = e.valid_up_to();
                StoreError::Progress {
                    file: path.clone(),
                    location: Some(yaml::line_column(&bytes, at)),
                    message: format!("this is not UTF-8 text (byte 0x{:02x})", bytes[at]),
                }
            })?,
        };
        parse_progress(text, &path).map(Some)
    }

    /// Replaces progress.yaml with `progress`, atomically: the text goes to `progress.yaml.tmp`, is synced, and
    /// is renamed over `progress.yaml`; then the folder is synced. On failure the old file is left as it was and
    /// the temporary file is removed. Makes the folder if needed.
    pub fn save_progress(&self, progress: &Progress) -> Result<(), StoreError> {
        self.create_dir()?;
        let path = self.progress_path();
        let tmp = self.dir.join("progress.yaml.tmp");
        let text = render_progress(progress);
        let mut file = door::create_temporary(&tmp, Some(&path), self.sharing()).map_err(io_error("write", &tmp))?;
        // The old file's blocks are freed when its last name and last handle are gone: inside the rename, if nothing
        // else holds it. For a 4 MB file on ext4 that made the rename and the folder's sync slower (a median of 22
        // rather than 18 ms for the disk part of a save, with saves a moment apart as answers are), so a handle is
        // held across the rename and dropped on another thread afterwards, while the next card is shown.
        #[cfg(unix)]
        let old = door::open_read(&path).ok();
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(io_error("write", &tmp))
            .and_then(|()| {
                drop(file);
                fs::rename(&tmp, &path).map_err(io_error("replace", &path))
            });
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        let synced = self.sync_dir();
        #[cfg(unix)]
        if let Some(old) = old {
            // If no thread can be started, the file is closed here instead.
            let _ = std::thread::Builder::new()
                .name("close old progress.yaml".into())
                .spawn(move || drop(old));
        }
        synced
    }

    /// Keeps a copy of progress.yaml, when there is one, before it is rewritten from the log: a new numbered file
    /// beside the ones before it (`progress.yaml.bak.1`, `.2`, …; the [`BACKUPS_KEPT`] newest are kept), never
    /// over an earlier one. The copy is written to a temporary file, synced, and renamed into place, so a failure
    /// (a full disk) leaves no partial backup, and progress.yaml and the earlier backups as they were. The copy's
    /// path.
    pub fn back_up_progress(&self) -> Result<Option<PathBuf>, StoreError> {
        self.check_dir()?;
        let path = self.progress_path();
        let bytes = match door::read(&path, PROGRESS_LIMIT) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &path)(e)),
        };
        let numbers = self.backup_numbers()?;
        // A file kept already (repeated failing starts back up the same file): the newest backup is that copy,
        // and the older backups are not rotated away by copies of it.
        if let Some(&newest) = numbers.last() {
            let newest = self.backup_path(newest);
            if door::read(&newest, PROGRESS_LIMIT).is_ok_and(|kept| kept == bytes) {
                return Ok(Some(newest));
            }
        }
        let next = numbers.last().map_or(1, |n| n + 1);
        let backup = self.backup_path(next);
        let tmp = self.dir.join("progress.yaml.bak.tmp");
        let written = door::create_temporary(&tmp, Some(&path), self.sharing())
            .and_then(|mut file| file.write_all(&bytes).and_then(|()| file.sync_all()))
            .map_err(io_error("write", &tmp))
            .and_then(|()| fs::rename(&tmp, &backup).map_err(io_error("write", &backup)));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        self.sync_dir()?;
        // The oldest go once the new one is safely there.
        let keep_from = next.saturating_sub(BACKUPS_KEPT as u64 - 1);
        for old in numbers.iter().filter(|&&n| n < keep_from) {
            let _ = fs::remove_file(self.backup_path(*old));
        }
        Ok(Some(backup))
    }

    /// `dir/progress.yaml.bak.N`.
    pub fn backup_path(&self, number: u64) -> PathBuf {
        self.dir.join(format!("progress.yaml.bak.{number}"))
    }

    /// The numbers of the backups in the folder, lowest first.
    pub fn backup_numbers(&self) -> Result<Vec<u64>, StoreError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("read", &self.dir)(e)),
        };
        let mut numbers: Vec<u64> = entries
            .filter_map(|entry| {
                let name = entry.ok()?.file_name();
                let digits = name.to_str()?.strip_prefix("progress.yaml.bak.")?;
                let plain =
                    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
                plain.then(|| digits.parse().ok()).flatten()
            })
            .collect();
        numbers.sort_unstable();
        Ok(numbers)
    }

    /// Reads reviews.yaml from byte `from` (0 for all of it). No file reads as an empty log.
    ///
    /// A line that cannot be read is an error naming it, except a last line without its newline: that is an
    /// append cut short, skipped and reported in [`Log::torn`].
    pub fn read_log(&self, from: u64) -> Result<Log, StoreError> {
        let path = self.reviews_path();
        let Some(mut file) = self.open_existing(&path)? else {
            self.note_log_end(0, crc32fast::hash(&[]));
            return Ok(Log {
                crc: Some(crc32fast::hash(&[])),
                ..Log::default()
            });
        };
        let len = file.metadata().map_err(io_error("read", &path))?.len();
        if from > len {
            return Err(StoreError::LogShrunk {
                file: path,
                len,
                offset: from,
            });
        }
        file.seek(SeekFrom::Start(from)).map_err(io_error("read", &path))?;
        let mut hasher = crc32fast::Hasher::new();
        let mut parser = LogParser::for_bytes(usize::try_from(len - from).unwrap_or(usize::MAX));
        let number = |index| {
            if from == 0 {
                Ok(1 + index)
            } else {
                Ok(self.line_number(from)? + index)
            }
        };
        // No more than its length: a device in its place (`/dev/full`) would never end.
        self.feed(&mut (&mut file).take(len - from), &mut parser, &mut hasher, number)?;
        let mut log = parser.finish(len, || number(0))?;
        if from == 0 {
            let crc = hasher.finalize();
            log.crc = Some(crc);
            self.note_log_end(log.len, crc);
        }
        Ok(log)
    }

    /// [`Store::read_log`] of the whole log, through the snapshot in the file at `snapshot` of a prefix of it
    /// read before (see [`snapshot`]): only what follows the prefix is read as text. The log is the one
    /// `read_log(0)` gives, whatever the file at `snapshot` holds (a snapshot that is not of this log's start, or
    /// not a whole snapshot, is not used). With it, a new snapshot of this log to write there, when
    /// more than [`snapshot::REWRITE_AFTER`] bytes were read as text and the log ends with a newline.
    pub fn read_log_snapshot(&self, snapshot: &Path) -> Result<(Log, Option<NewSnapshot>), StoreError> {
        let Some((whole, wanted)) = self.read_log_through(snapshot)? else {
            return Ok((self.read_log(0)?, None));
        };
        // A copy, to be made into bytes on another thread: that took 40M instructions at 100,000 lines.
        let new = wanted.then(|| NewSnapshot(whole.clone()));
        Ok((whole.into_log(), new))
    }

    /// [`Store::read_log_snapshot`] as the snapshot of the whole log, and whether a new one is wanted; `None` when
    /// there is no log.
    fn read_log_through(&self, snapshot: &Path) -> Result<Option<(snapshot::Snapshot, bool)>, StoreError> {
        let path = self.reviews_path();
        let Some(mut file) = self.open_existing(&path)? else {
            return Ok(None);
        };
        let read = io_error("read", &path);
        let len = file.metadata().map_err(|e| io_error("read", &path)(e))?.len();
        let mut hasher = crc32fast::Hasher::new();
        let mut prefix = snapshot::Snapshot::open(snapshot, len).filter(|prefix| prefix.len <= len);
        if let Some(known) = &prefix {
            // The prefix is read for the whole file's CRC, and to tell it is the one the snapshot was made of.
            // On the heap: 256 KB is a good part of a thread's stack (the tests' few bytes would fit it).
            #[allow(clippy::useless_vec)]
            let mut chunk = vec![0; LOG_CHUNK];
            let mut left = known.len;
            let mut hashed = Ok(());
            while left > 0 && hashed.is_ok() {
                let n = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
                hashed = file.read_exact(&mut chunk[..n]);
                hasher.update(&chunk[..n]);
                left -= n as u64;
            }
            if hashed.is_err() || hasher.clone().finalize() != known.crc {
                prefix = None;
            }
        }
        if prefix.is_none() {
            file.seek(SeekFrom::Start(0)).map_err(read)?;
            hasher = crc32fast::Hasher::new();
        }
        let prefix = prefix.unwrap_or_default();
        let from = prefix.len;
        let reader = log::Reader::knowing(if from < len { prefix.known.clone() } else { Vec::new() });
        let bytes = usize::try_from(len - from).unwrap_or(usize::MAX);
        let mut parser = LogParser::continuing(bytes, prefix.segments, reader);
        let clean = self.feed(&mut (&mut file).take(len - from), &mut parser, &mut hasher, |index| {
            Ok(1 + index)
        })?;
        let crc = hasher.finalize();
        self.note_log_end(len, crc);
        // The segments fed are the lines, then what follows the last newline.
        let segments = parser.segments - 1;
        let whole = prefix.extend(parser.into_after(from < len), len, crc, segments);
        Ok(Some((whole, clean && len - from > snapshot::REWRITE_AFTER)))
    }

    /// Feeds `parser` the lines of `source`, the rest of reviews.yaml, and `hasher` its bytes; `number` gives
    /// the line number of the parser's segment `index`, for an error. Whether the file ends with a newline (or
    /// `source` is empty).
    fn feed(
        &self,
        source: &mut impl Read,
        parser: &mut LogParser,
        hasher: &mut crc32fast::Hasher,
        number: impl Fn(usize) -> Result<usize, StoreError>,
    ) -> Result<bool, StoreError> {
        // Read a piece at a time, not whole: every page of fresh memory costs a fault (about 2.4 µs on the machine
        // the benchmarks run on), and a log of 100,000 lines is 18 MB, read into a buffer that doubled as it grew.
        let mut buffer = vec![0; LOG_CHUNK];
        let mut kept = 0;
        loop {
            if kept == buffer.len() {
                // A line longer than the buffer: room for more of it.
                buffer.resize(buffer.len() * 2, 0);
            }
            let n = match source.read(&mut buffer[kept..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error("read", &self.reviews_path())(e)),
            };
            hasher.update(&buffer[kept..kept + n]);
            if n == 0 {
                // What follows the last newline: a line cut short, or nothing.
                parser
                    .line(&buffer[..kept], true)
                    .map_err(|(index, e)| self.bad_line(number(index), e))?;
                return Ok(kept == 0);
            }
            let end = kept + n;
            let Some(last) = memchr::memrchr(b'\n', &buffer[kept..end]) else {
                kept = end;
                continue;
            };
            let complete = kept + last;
            for line in lines(&buffer[..complete]) {
                parser
                    .line(line, false)
                    .map_err(|(index, e)| self.bad_line(number(index), e))?;
            }
            buffer.copy_within(complete + 1..end, 0);
            kept = end - complete - 1;
        }
    }

    /// The lines of reviews.yaml after byte `offset`, the part progress.yaml already reflects, when that part is
    /// as it was: its CRC-32 is `crc` ([`Tail::Follows`]). When it is not (the file was edited or merged before
    /// `offset`), the whole log ([`Tail::Changed`]), to be replayed. Without a `crc` to check (a progress.yaml from
    /// before it was kept) the part is taken as it was. [`StoreError::LogShrunk`] when the file is shorter than
    /// `offset`.
    pub fn read_log_after(&self, offset: u64, crc: Option<u32>) -> Result<Tail, StoreError> {
        let path = self.reviews_path();
        let read = |e| io_error("read", &path)(e);
        let Some(mut file) = self.open_existing(&path)? else {
            return match offset {
                0 => Ok(Tail::Follows(self.read_log(0)?)),
                _ => Err(StoreError::LogShrunk {
                    file: path,
                    len: 0,
                    offset,
                }),
            };
        };
        let len = file.metadata().map_err(read)?.len();
        if offset > len {
            return Err(StoreError::LogShrunk {
                file: path,
                len,
                offset,
            });
        }
        // The part already reflected is streamed through the CRC, not kept: only the tail is held in memory. Its
        // lines are counted only when the tail has lines to number, by reading it again: most reads find no tail.
        let mut hasher = crc32fast::Hasher::new();
        let mut chunk = vec![0; TAIL_CHUNK * 4];
        let mut left = offset;
        while left > 0 {
            let n = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
            file.read_exact(&mut chunk[..n]).map_err(read)?;
            hasher.update(&chunk[..n]);
            left -= n as u64;
        }
        drop(chunk);
        if crc.is_some_and(|crc| crc != hasher.clone().finalize()) {
            return Ok(Tail::Changed(self.read_log(0)?));
        }
        let mut after = Vec::new();
        (&mut file).take(len - offset).read_to_end(&mut after).map_err(read)?;
        hasher.update(&after);
        let whole = hasher.finalize();
        self.note_log_end(offset + after.len() as u64, whole);
        let mut log = self.parse_log_at(&after, offset, || self.line_number(offset))?;
        log.crc = Some(whole);
        Ok(Tail::Follows(log))
    }

    /// The lines of `bytes`, which stand at byte `from` of reviews.yaml.
    fn parse_log(&self, bytes: &[u8], from: u64) -> Result<Log, StoreError> {
        self.parse_log_at(bytes, from, || if from == 0 { Ok(1) } else { self.line_number(from) })
    }

    /// The lines of `bytes`, which stand at byte `from` of reviews.yaml, whose first line is line number
    /// `first()` (counted only when needed).
    fn parse_log_at(
        &self,
        bytes: &[u8],
        from: u64,
        first: impl Fn() -> Result<usize, StoreError>,
    ) -> Result<Log, StoreError> {
        let mut parser = LogParser::for_bytes(bytes.len());
        let mut segments = lines(bytes).peekable();
        while let Some(line) = segments.next() {
            let last = segments.peek().is_none();
            parser
                .line(line, last)
                .map_err(|(index, e)| self.bad_line(first().map(|n| n + index), e))?;
        }
        parser.finish(from + bytes.len() as u64, first)
    }

    /// The error for a line of reviews.yaml that cannot be read, once its number is known.
    fn bad_line(&self, number: Result<usize, StoreError>, error: log::LineError) -> StoreError {
        match number {
            Ok(number) => self.log_error(number, error),
            Err(e) => e,
        }
    }

    /// Writes to `to`'s reviews.yaml, which must not exist yet, the lines of this reviews.yaml that `keep`,
    /// byte for byte (each keeps its id, so the two logs can still be merged), and syncs it. Blank and torn lines
    /// are left out; a line that cannot be read is an error naming it, and nothing is written. Returns how many
    /// lines were copied.
    pub fn copy_log_lines(&self, to: &Store, keep: impl Fn(&LogLine) -> bool) -> Result<usize, StoreError> {
        let path = self.reviews_path();
        self.check_dir()?;
        let bytes = match door::read(&path, LOG_LIMIT) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io_error("read", &path)(e)),
        };
        // Read as a whole first: a bad line is reported as any read of the log reports it.
        self.parse_log(&bytes, 0)?;
        let mut kept = Vec::with_capacity(bytes.len());
        let mut copied = 0;
        let mut reader = log::Reader::default();
        for line in bytes.split(|&b| b == b'\n') {
            if log::is_blank(line) {
                continue;
            }
            if let Ok((parsed, _)) = parse_log_bytes(line, &mut reader)
                && keep(&parsed)
            {
                kept.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
                kept.push(b'\n');
                copied += 1;
            }
        }
        to.create_dir()?;
        let target = to.reviews_path();
        let mut file = door::create_new(&target, to.sharing()).map_err(io_error("create", &target))?;
        file.write_all(&kept)
            .and_then(|()| file.sync_all())
            .map_err(io_error("write", &target))?;
        to.sync_dir()?;
        Ok(copied)
    }

    /// Settles a merge conflict git left in reviews.yaml: both sides' lines are kept (the union the deck's
    /// `.gitattributes` asks for; each answer counts once on replay) and the conflict markers dropped, the file
    /// replaced whole. Whether there was a conflict to settle.
    pub fn settle_log_conflict(&self) -> Result<bool, StoreError> {
        self.settle_conflict(&self.reviews_path(), "reviews.yaml.tmp", LOG_LIMIT)
    }

    /// Settles a merge conflict git left in the append-only file at `path` (read up to `limit` bytes): both sides'
    /// lines kept, the markers dropped, the file replaced whole through `tmp` in the deck's folder. Whether there
    /// was a conflict to settle.
    pub(super) fn settle_conflict(&self, path: &Path, tmp: &str, limit: u64) -> Result<bool, StoreError> {
        self.check_dir()?;
        let bytes = match door::read(path, limit) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(io_error("read", path)(e)),
        };
        if !has_conflict_markers(&bytes) {
            return Ok(false);
        }
        let kept: Vec<&[u8]> = bytes
            .split_inclusive(|&b| b == b'\n')
            .filter(|line| !has_conflict_markers(line))
            .collect();
        let tmp = self.dir.join(tmp);
        door::replace(path, &tmp, &kept.concat(), self.sharing()).map_err(io_error("write", path))?;
        self.sync_dir()?;
        Ok(true)
    }

    /// Remembers that reviews.yaml is `len` bytes long with CRC-32 `crc`, so that [`Store::append`] can give the
    /// CRC after it.
    fn note_log_end(&self, len: u64, crc: u32) {
        if let Ok(mut end) = self.log_end.lock() {
            *end = Some((len, crc));
        }
    }

    /// The lines of reviews.yaml at or after `since`, in file order, reading only the end of the file: it is read
    /// backwards in chunks until a line from before `since`. A torn last line is skipped.
    pub fn read_log_since(&self, since: Moment) -> Result<Vec<LogLine>, StoreError> {
        self.read_log_since_in_chunks(since, TAIL_CHUNK)
    }

    fn read_log_since_in_chunks(&self, since: Moment, chunk: usize) -> Result<Vec<LogLine>, StoreError> {
        self.read_log_since_counting(since, chunk, &mut 0)
    }

    /// [`Store::read_log_since_in_chunks`], adding to `work` the bytes it searched for a newline or copied.
    fn read_log_since_counting(&self, since: Moment, chunk: usize, work: &mut u64) -> Result<Vec<LogLine>, StoreError> {
        let path = self.reviews_path();
        let read = |e| io_error("read", &path)(e);
        let Some(mut file) = self.open_existing(&path)? else {
            return Ok(Vec::new());
        };
        let len = file.metadata().map_err(read)?.len();
        let mut terminated = true;
        if len > 0 {
            let mut last = [0u8];
            file.seek(SeekFrom::Start(len - 1))
                .and_then(|_| file.read_exact(&mut last))
                .map_err(read)?;
            terminated = last[0] == b'\n';
        }
        // `buf` holds the bytes from `pos` that are not handled yet; a final newline ends the last line and
        // does not start an empty one.
        let mut pos = if terminated { len.saturating_sub(1) } else { len };
        let mut buf: Vec<u8> = Vec::new();
        // `buf[fresh..]` is known to hold no newline, so only the bytes before it are searched: a line longer than a
        // chunk (a long line cut off at the end) was searched again from its end at every chunk.
        let mut fresh = 0;
        let mut last_line = true;
        let mut found = Vec::new();
        let mut reader = log::Reader::default();
        'chunks: loop {
            let mut end = buf.len();
            loop {
                let searched = &buf[..end.min(fresh)];
                let start = line_start(searched, pos);
                *work += (searched.len() - start.unwrap_or(0)) as u64;
                let Some(start) = start else { break };
                let line = &buf[start..end];
                let may_be_torn = last_line && !terminated;
                last_line = false;
                if !log::is_blank(line) {
                    match parse_log_bytes(line, &mut reader) {
                        Ok((line, _)) if line.at() < since => break 'chunks,
                        Ok((line, id)) => found.push((line, id)),
                        Err(_) if may_be_torn || log::is_cut_off(line) => {}
                        Err(e) => return Err(self.log_error(self.line_number(pos + start as u64)?, e)),
                    }
                }
                if start == 0 {
                    break 'chunks;
                }
                end = start - 1;
            }
            buf.truncate(end);
            // `line_start` always finds a start once `pos` is 0, so there is more to read here. At least as much as
            // is kept, so that the copies of a long line add up to no more than the file.
            let n = usize::try_from(pos).unwrap_or(usize::MAX).min(chunk.max(1).max(end));
            pos -= n as u64;
            let mut before = vec![0; n];
            file.seek(SeekFrom::Start(pos))
                .and_then(|_| file.read_exact(&mut before))
                .map_err(read)?;
            before.extend_from_slice(&buf);
            *work += end as u64;
            buf = before;
            fresh = n;
        }
        found.retain(|(line, _)| line.at() >= since);
        found.reverse();
        let (lines, ids): (Vec<LogLine>, Vec<Option<LineId>>) = found.into_iter().unzip();
        let numbers = vec![0; lines.len()];
        // Each answer once, in time order, as in the whole log.
        Ok(log::applied_order(lines, &ids, numbers).0)
    }

    /// Appends `line` to reviews.yaml (making it and the folder if needed) with a single write, first ending a torn last line
    /// with a newline, then syncs the data. Returns the file's new length, and its CRC-32 when the store knows
    /// the CRC of what was there (it was read or appended to by this store, and not changed since).
    pub fn append(&self, line: &LogLine) -> Result<LogEnd, StoreError> {
        let path = self.reviews_path();
        let (mut file, len, torn) = self.open_append(&path)?;
        let mut text = String::with_capacity(160);
        if torn {
            text.push('\n');
        }
        text.push_str(&render_line_with_id(line, Some(self.new_id(line.at()))));
        text.push('\n');
        let write = io_error("write", &path);
        match file.write(text.as_bytes()) {
            Ok(n) if n == text.len() => {}
            Ok(n) => {
                return Err(write(io::Error::new(
                    io::ErrorKind::WriteZero,
                    format!("only {n} of {} bytes were written", text.len()),
                )));
            }
            Err(e) => return Err(write(e)),
        }
        file.sync_data().map_err(io_error("write", &path))?;
        let new_len = file.metadata().map_err(io_error("read", &path))?.len();
        let mut end = self.log_end.lock().ok();
        let known = end.as_deref().copied().flatten();
        let crc = known
            .filter(|&(known_len, _)| known_len == len && new_len == len + text.len() as u64)
            .map(|(_, crc)| {
                let mut hasher = crc32fast::Hasher::new_with_initial_len(crc, len);
                hasher.update(text.as_bytes());
                hasher.finalize()
            });
        if let Some(end) = end.as_deref_mut() {
            *end = crc.map(|crc| (new_len, crc));
        }
        Ok(LogEnd { len: new_len, crc })
    }

    /// An append-only file of the deck's (reviews.yaml, attempts.yaml) opened for appending, it and the folder made
    /// if needed: the file, its length, and whether its last line is torn (does not end in a newline), so the next
    /// line must first end it.
    pub(super) fn open_append(&self, path: &Path) -> Result<(std::fs::File, u64, bool), StoreError> {
        self.check_dir()?;
        let open = || door::open_append(path, self.sharing());
        let mut file = match open() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.create_dir()?;
                open()
            }
            other => other,
        }
        .map_err(io_error("open", path))?;
        let len = file.metadata().map_err(io_error("read", path))?.len();
        let mut torn = false;
        if len > 0 {
            let mut last = [0u8];
            file.seek(SeekFrom::Start(len - 1))
                .and_then(|_| file.read_exact(&mut last))
                .map_err(io_error("read", path))?;
            torn = last[0] != b'\n';
        }
        Ok((file, len, torn))
    }

    /// A new id for a line written at `at` (see [`LineId`]): this installation's number and a fresh random one.
    fn new_id(&self, at: Moment) -> LineId {
        let install = *self.install.get_or_init(|| self.install_number());
        LineId::new(at, install, rand::random())
    }

    /// This installation's number, kept in `dir/install-id` (machine-local: never copied to another machine with
    /// the progress). Made at the first answer; if it cannot be kept, a number for this run.
    fn install_number(&self) -> u16 {
        let path = self.install_id_path();
        let read = |path: &Path| {
            let bytes = door::read(path, 64).ok()?;
            let text = std::str::from_utf8(&bytes).ok()?.trim();
            (text.len() == 4).then(|| u16::from_str_radix(text, 16).ok()).flatten()
        };
        if let Some(number) = read(&path) {
            return number;
        }
        let number: u16 = rand::random();
        let tmp = self.dir.join("install-id.tmp");
        if self.check_dir().is_ok() {
            let _ = door::replace(&path, &tmp, format!("{number:04x}\n").as_bytes(), self.sharing());
        }
        // Another process may have made one first: use what is there.
        read(&path).unwrap_or(number)
    }

    /// `dir/install-id`.
    pub fn install_id_path(&self) -> PathBuf {
        self.dir.join("install-id")
    }

    fn create_dir(&self) -> Result<(), StoreError> {
        door::create_dir(&self.dir, self.sharing()).map_err(io_error("create the folder", &self.dir))
    }

    /// The regular file at `path` in the folder, opened to read; `None` when there is none.
    fn open_existing(&self, path: &Path) -> Result<Option<File>, StoreError> {
        self.check_dir()?;
        match door::open_read(path) {
            Ok(file) => Ok(Some(file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read", path)(e)),
        }
    }

    /// Checks the folder is a real one, not a link out of where it is meant to be (see [`door::check_dir`]).
    fn check_dir(&self) -> Result<(), StoreError> {
        door::check_dir(&self.dir).map_err(io_error("open", &self.dir))
    }

    /// Who may read the files made here: the user alone, unless the folder is kept in a notes repository.
    fn sharing(&self) -> Sharing {
        if self.in_repo {
            Sharing::AsRepo
        } else {
            Sharing::Private
        }
    }

    /// Makes a rename in the folder durable.
    fn sync_dir(&self) -> Result<(), StoreError> {
        door::sync_dir(&self.dir).map_err(io_error("sync the folder", &self.dir))
    }

    /// The 1-based number of the line that starts at byte `offset` of reviews.yaml (only for messages: it reads
    /// the file up to there).
    fn line_number(&self, offset: u64) -> Result<usize, StoreError> {
        let path = self.reviews_path();
        let file = door::open_read(&path).map_err(io_error("read", &path))?;
        let mut newlines = 0;
        let mut reader = io::BufReader::new(file).take(offset);
        let mut chunk = vec![0; TAIL_CHUNK];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => newlines += count_lines(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error("read", &path)(e)),
            }
        }
        Ok(newlines + 1)
    }

    fn log_error(&self, line: usize, error: log::LineError) -> StoreError {
        StoreError::Log {
            file: self.reviews_path(),
            line,
            column: error.column,
            message: error.message,
        }
    }
}

/// How many of `lines` (lines of reviews.yaml, such as those a commit adds) are answers; lines that cannot be
/// read are not counted.
pub fn count_answers<'a>(lines: impl IntoIterator<Item = &'a str>) -> usize {
    lines
        .into_iter()
        .filter(|line| matches!(parse_line(line), Ok(LogLine::Review(_))))
        .count()
}

/// Whether `bytes` holds a line that starts with a merge's conflict marker, as git leaves them in a file it could
/// not merge: `<<<<<<< `, `=======`, `>>>>>>> ` (or `|||||||` for the common part).
pub fn has_conflict_markers(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').any(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line == b"======="
            || [&b"<<<<<<<"[..], b">>>>>>>", b"|||||||"]
                .iter()
                .any(|m| line.starts_with(m))
    })
}

/// Where the line ending at the end of `buf` starts, if that is known: just after the last newline in `buf`, or
/// at 0 when `buf` starts the file (`pos == 0`).
fn line_start(buf: &[u8], pos: u64) -> Option<usize> {
    match memchr::memrchr(b'\n', buf) {
        Some(i) => Some(i + 1),
        None if pos == 0 => Some(0),
        None => None,
    }
}

/// The lines of reviews.yaml as they are read, in file order, made a [`Log`] by [`LogParser::finish`].
struct LogParser {
    read: Vec<LogLine>,
    ids: Vec<Option<LineId>>,
    /// Each read line's place among the segments fed, from 0.
    numbers: Vec<usize>,
    torn: Vec<usize>,
    reader: log::Reader,
    /// Segments fed so far, blank ones too.
    segments: usize,
}

impl LogParser {
    /// A parser with room for the lines of `bytes` bytes of log.
    fn for_bytes(bytes: usize) -> LogParser {
        // A line as amgi writes it is 130 to 200 bytes long: room for most logs at once.
        let lines = bytes / 128;
        LogParser {
            read: Vec::with_capacity(lines),
            ids: Vec::with_capacity(lines),
            numbers: Vec::with_capacity(lines),
            torn: Vec::new(),
            reader: log::Reader::default(),
            segments: 0,
        }
    }

    /// A parser for the lines after a prefix of `segments` lines, read with `reader`.
    fn continuing(bytes: usize, segments: usize, reader: log::Reader) -> LogParser {
        LogParser {
            segments,
            reader,
            ..LogParser::for_bytes(bytes)
        }
    }

    /// The lines fed, in file order, numbered from 1 at the start of the file (so for a parser made by
    /// [`LogParser::continuing`] or from the start of the file).
    fn into_after(self, reader_used: bool) -> snapshot::After {
        snapshot::After {
            lines: self.read,
            ids: self.ids,
            numbers: self.numbers.into_iter().map(|index| index + 1).collect(),
            torn: self.torn.into_iter().map(|index| index + 1).collect(),
            reader: reader_used.then_some(self.reader),
        }
    }

    /// The next segment of the file, without its `\n`: `unterminated` for the text after the last newline, which a
    /// crash mid-append can leave cut short. A line that cannot be read is an error with its place (from 0).
    fn line(&mut self, line: &[u8], unterminated: bool) -> Result<(), (usize, log::LineError)> {
        let index = self.segments;
        self.segments += 1;
        if log::is_blank(line) {
            return Ok(());
        }
        match parse_log_bytes(line, &mut self.reader) {
            Ok((line, id)) => {
                self.read.push(line);
                self.ids.push(id);
                self.numbers.push(index);
            }
            Err(_) if unterminated || log::is_cut_off(line) => self.torn.push(index),
            Err(e) => return Err((index, e)),
        }
        Ok(())
    }

    /// The log of the lines fed, `len` the file's length after them and `first()` the number of the first
    /// segment's line (counted only when a line needs its number).
    fn finish(self, len: u64, first: impl Fn() -> Result<usize, StoreError>) -> Result<Log, StoreError> {
        let LogParser {
            read,
            ids,
            mut numbers,
            torn,
            ..
        } = self;
        let first = if read.is_empty() && torn.is_empty() {
            1
        } else {
            first()?
        };
        for number in &mut numbers {
            *number += first;
        }
        let torn = torn.into_iter().map(|index| index + first).collect();
        let (lines, numbers, repeats) = log::applied_order(read, &ids, numbers);
        Ok(Log {
            lines,
            numbers,
            repeats,
            torn,
            len,
            crc: None,
        })
    }
}

/// The lines of `bytes`, split at each `\n` (`bytes.split(|&b| b == b'\n')`, with a vectorised search).
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]);
    ends.map(move |end| {
        let line = &bytes[start..end];
        start = end + 1;
        line
    })
}

/// One line of reviews.yaml as bytes, read with what `reader` kept from the lines before.
fn parse_log_bytes(line: &[u8], reader: &mut log::Reader) -> Result<(LogLine, Option<LineId>), log::LineError> {
    // A line as amgi writes it is read from its bytes: the fast reader checks the id is UTF-8 (and only the first
    // time it reads that id); everything else it takes is ASCII.
    if let Some(parsed) = reader.parse_canonical(line.strip_suffix(b"\r").unwrap_or(line)) {
        return Ok(parsed);
    }
    // The check is a good part of the cost of a line (Hangul is three bytes a letter): the vectorised one first,
    // the standard one only to say where a bad line goes wrong.
    if let Ok(text) = simdutf8::basic::from_utf8(line) {
        return log::parse_line_located_with(text, reader);
    }
    let text = std::str::from_utf8(line).map_err(|e| log::LineError {
        column: Some(String::from_utf8_lossy(&line[..e.valid_up_to()]).chars().count() + 1),
        message: format!("this is not UTF-8 text (byte 0x{:02x})", line[e.valid_up_to()]),
    })?;
    log::parse_line_located_with(text, reader)
}
