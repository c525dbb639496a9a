//! The disposable caches amgi keeps in its cache folder: the parsed notes of each deck (`<hash>.deck`) and a
//! snapshot of each data folder's log (`<hash>.reviews`). Both are machine-local and safe to delete: whatever a
//! cache holds (nothing, a damaged or foreign file, a FIFO or a link a repository placed), what is read through it
//! is what a fresh read gives.
//!
//! A [`Caches`] is made once, from the cache folder the command layer found (`$AMGI_CACHE`, else the platform's),
//! and knows everything else: which file is which, that the folder must lie outside the notes, the data folder and
//! the git repositories that hold them, which old files go, and the threads that write new caches while the first
//! card is drawn. Dropping it waits for those writes. Every file is opened through [`crate::door`].

use crate::notes::{self, Deck};
use crate::store::{Log, Store, StoreError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// A cache not written for this long goes when another is written: notes moved or deleted (or a test's temporary
/// folders) would otherwise leave theirs for ever, and one still in use is only made again once.
const UNUSED: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A write takes milliseconds: a temporary file this old is one a killed process left.
const LEFT_BEHIND: Duration = Duration::from_secs(60 * 60);

/// The write of one kind of cache under way, if any.
type Pending = Arc<Mutex<Option<JoinHandle<()>>>>;

/// The cache folder and the writes to it under way.
///
/// A copy shares the writes under way (one of each kind at a time, the later one kept), and each copy, when
/// dropped, waits for those under way then: the one the command layer holds until the process ends is what makes
/// the process wait for them.
#[derive(Debug, Clone)]
pub struct Caches {
    /// The cache folder, as given; `None` for no caches at all.
    dir: Option<PathBuf>,
    /// The write of the cache of parsed notes.
    deck_write: Pending,
    /// The write of a snapshot of the log.
    log_write: Pending,
}

impl Caches {
    /// The caches in the folder `dir` (made when a cache is first written; a relative path is taken from the
    /// working folder); `None` keeps no caches. Touches no file.
    pub fn new(dir: Option<PathBuf>) -> Caches {
        Caches {
            dir,
            deck_write: Pending::default(),
            log_write: Pending::default(),
        }
    }

    /// The cache folder, made absolute, when it lies outside each of `folders` (canonical paths) and the git
    /// repository that holds each: notes, a data folder or their repository must not fill with amgi's files. The
    /// cache folder may not exist yet: its nearest existing ancestor, resolved, is compared too.
    pub fn dir_outside<'a>(&self, folders: impl IntoIterator<Item = &'a Path>) -> Option<PathBuf> {
        let dir = std::path::absolute(self.dir.as_ref()?).ok()?;
        let resolved = dir.ancestors().find_map(|a| a.canonicalize().ok())?;
        for folder in folders {
            let repo = folder.ancestors().find(|a| a.join(".git").exists()).unwrap_or(folder);
            if resolved.starts_with(repo) || dir.starts_with(repo) {
                return None;
            }
        }
        Some(dir)
    }

    /// Where the deck read from the notes at `paths` (the bundled deck for `None`) is cached: a file named after
    /// the notes' canonical paths. `None` (no cache) when there is no cache folder, or when it lies inside the
    /// notes or the git repository that holds them.
    pub fn deck_path(&self, paths: Option<&[PathBuf]>) -> Option<PathBuf> {
        let Some(paths) = paths else {
            return Some(self.dir.as_ref()?.join("bundled.deck"));
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
        let dir = self.dir_outside(folders)?;
        let mut name = Vec::new();
        for root in &roots {
            name.extend_from_slice(root.as_os_str().as_encoded_bytes());
            name.push(0);
        }
        Some(dir.join(format!("{:016x}.deck", crate::card::stable_hash(&name))))
    }

    /// Where the snapshot of the log in the data folder `data` is kept: a file named after the data folder's
    /// canonical path. `None` (no snapshot) when the data folder does not exist, or the cache folder lies inside
    /// it, the git repository that holds it, or that of the notes at `notes`.
    pub fn log_path(&self, data: &Path, notes: &[PathBuf]) -> Option<PathBuf> {
        let data = data.canonicalize().ok()?;
        let notes: Vec<PathBuf> = notes
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
        let dir = self.dir_outside(std::iter::once(data.as_path()).chain(notes.iter().map(PathBuf::as_path)))?;
        let name = crate::card::stable_hash(data.as_os_str().as_encoded_bytes());
        Some(dir.join(format!("{name:016x}.reviews")))
    }

    /// Reads the notes at `paths`, or the bundled deck, through the cache of parsed notes: only files not in it
    /// are parsed. The deck is the same with or without the cache. A new cache, when the deck differs from it, is
    /// written on a thread of its own.
    pub fn read_deck(&self, paths: Option<&[PathBuf]>) -> Deck {
        // `keep` says of each note file read whether its bytes are wanted (see `read_paths_with`).
        let files = |keep: &mut dyn FnMut(&notes::NoteFile, u64) -> bool| match paths {
            Some(paths) => notes::source::read_paths_with(paths, keep),
            None => notes::source::bundled().into_iter().map(Ok).collect(),
        };
        let Some(cache) = self.deck_path(paths) else {
            return Deck::from_files(files(&mut |_, _| true));
        };
        // Only the cache's table is read here; each file's entry is read once the file is found unchanged, as it
        // is read (its bytes are then not kept).
        let mut old = notes::DeckCache::open(&cache);
        let files = files(&mut |note, hash| !old.restore(note, hash));
        let (deck, new) = Deck::from_files_cached(files, old);
        if let Some(new) = new {
            // Made and written while the first card is drawn (at 10,000 cards, after an edit of one file, it took
            // a third of the start).
            self.write_deck(cache, move |file| new.write_to(file));
        }
        deck
    }

    /// The whole of `store`'s reviews.yaml, through the snapshot of the log: only the lines appended since it was
    /// made are read as text. The log is the same with or without it. `notes` are the paths of the notes read
    /// with it (their repository holds no cache either). A new snapshot, when one is wanted, is written on a
    /// thread of its own.
    pub fn read_whole_log(&self, store: &Store, notes: &[PathBuf]) -> Result<Log, StoreError> {
        let Some(path) = self.log_path(store.dir(), notes) else {
            return store.read_log(0);
        };
        let (log, new) = store.read_log_snapshot(&path)?;
        if let Some(new) = new {
            in_background(&self.log_write, move || {
                if let Some(bytes) = new.bytes() {
                    let _ = write(&path, |file| file.write_all(&bytes));
                }
            });
        }
        Ok(log)
    }

    /// Writes the cache of parsed notes at `path` with `fill`, on a thread of its own.
    fn write_deck(
        &self,
        path: PathBuf,
        fill: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()> + Send + 'static,
    ) {
        // A cache that cannot be written only means the next run parses again.
        in_background(&self.deck_write, move || {
            let _ = write(&path, fill);
        });
    }

    /// Waits for the writes under way.
    fn finish(&self) {
        for pending in [&self.deck_write, &self.log_write] {
            let write = pending.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(write) = write {
                let _ = write.join();
            }
        }
    }
}

impl Drop for Caches {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Runs `write` on a thread of its own, kept in `pending`; one write of each kind at a time (a reload of the notes
/// reads them again), so the later one is the one kept.
fn in_background(pending: &Pending, write: impl FnOnce() + Send + 'static) {
    let mut pending = pending.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(earlier) = pending.take() {
        let _ = earlier.join();
    }
    *pending = Some(std::thread::spawn(write));
}

/// Writes a cache through a temporary file renamed over the old one, so a reader never sees half of it (one that
/// did would only ignore it). Caches not written for [`UNUSED`] go first, and temporary files a killed write left
/// ([`LEFT_BEHIND`]).
fn write(path: &Path, fill: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()>) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::door::create_dir(dir, crate::door::Sharing::Private)?;
    evict(dir);
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("cache");
    let temp = path.with_extension(format!("{extension}.{}.tmp", std::process::id()));
    let mut file = io::BufWriter::new(crate::door::create_temporary(
        &temp,
        None,
        crate::door::Sharing::Private,
    )?);
    let written = fill(&mut file).and_then(|()| file.flush());
    drop(file);
    // The rename replaces whatever name is at `path` (a link included, never written through).
    written.and_then(|()| std::fs::rename(&temp, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// Removes the caches in `dir` (a real folder, checked) not written for [`UNUSED`] and the temporary files older
/// than [`LEFT_BEHIND`]; other files are left alone. Removing a link removes the link, never what it names.
fn evict(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.path();
        let limit = match name.extension().and_then(|e| e.to_str()) {
            Some("deck" | "reviews") => UNUSED,
            Some("tmp") => LEFT_BEHIND,
            _ => continue,
        };
        // `DirEntry::metadata` does not follow a link.
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > limit));
        if old {
            let _ = std::fs::remove_file(name);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn notes_in(folder: &Path) -> Vec<PathBuf> {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("net.md"), "## 질문\n\n답\n").unwrap();
        vec![folder.to_path_buf()]
    }

    fn aged(path: &Path, age: Duration) {
        std::fs::write(path, "old").unwrap();
        std::fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(std::time::SystemTime::now() - age))
            .unwrap();
    }

    fn fifo(path: &Path) {
        let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `name` is a NUL-terminated path that lives across the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
    }

    /// Answers enough for a snapshot of the log to be wanted.
    const LINES: usize = 1000;

    /// A data folder in `work` whose log holds [`LINES`] answers, and its store.
    fn log_in(work: &Path) -> (PathBuf, Store) {
        let data = work.join("data");
        std::fs::create_dir(&data).unwrap();
        let log: String = (0..LINES)
            .map(|ms| format!("- {{card: \"network/TCP vs UDP\", at: 2026-11-24T21:10:03+09:00, grade: 3, mode: drill, ms: {ms}}}\n"))
            .collect();
        std::fs::write(data.join("reviews.yaml"), log).unwrap();
        (data.clone(), Store::new(data))
    }

    #[test]
    fn a_cache_folder_inside_the_notes_or_their_repo_gives_no_cache() {
        let work = tempfile::tempdir().unwrap();
        let repo = work.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let notes = notes_in(&repo.join("notes"));
        let data = repo.join(".amgi");
        std::fs::create_dir(&data).unwrap();
        let elsewhere = work.path().join("data");
        std::fs::create_dir(&elsewhere).unwrap();
        for inside in [repo.join("notes/cache"), repo.join(".cache"), repo.join("a/b/c")] {
            let caches = Caches::new(Some(inside.clone()));
            assert_eq!(caches.deck_path(Some(&notes)), None, "{}", inside.display());
            assert_eq!(caches.log_path(&data, &[]), None, "{}", inside.display());
            // A data folder elsewhere, with notes in the repo: still none.
            assert_eq!(caches.log_path(&elsewhere, &notes), None, "{}", inside.display());
            assert_eq!(caches.read_deck(Some(&notes)).cards.len(), 1);
            drop(caches);
            assert!(!inside.exists(), "{} was made", inside.display());
        }
        // Outside, each has a file of its own.
        let outside = Caches::new(Some(work.path().join("cache")));
        let deck = outside.deck_path(Some(&notes)).expect("a deck cache");
        assert!(deck.starts_with(work.path().join("cache")) && deck.extension().is_some_and(|e| e == "deck"));
        let log = outside.log_path(&data, &notes).expect("a snapshot");
        assert!(log.starts_with(work.path().join("cache")) && log.extension().is_some_and(|e| e == "reviews"));
        assert_eq!(Caches::new(None).deck_path(Some(&notes)), None);
    }

    #[test]
    fn a_write_evicts_old_caches_and_left_temporary_files() {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("cache");
        std::fs::create_dir(&dir).unwrap();
        let month = Duration::from_secs(31 * 24 * 60 * 60);
        let (old_deck, old_log, old_temp, left_temp) = (
            dir.join("0123456789abcdef.deck"),
            dir.join("0123456789abcdef.reviews"),
            dir.join("x.deck.7.tmp"),
            dir.join("y.reviews.8.tmp"),
        );
        let (recent, being_written, other) = (
            dir.join("fedcba9876543210.deck"),
            dir.join("z.deck.9.tmp"),
            dir.join("notes.md"),
        );
        for (path, age) in [
            (&old_deck, month),
            (&old_log, month),
            (&old_temp, month),
            (&left_temp, Duration::from_secs(2 * 60 * 60)),
            (&recent, Duration::from_secs(24 * 60 * 60)),
            (&being_written, Duration::from_secs(5)),
            (&other, month),
        ] {
            aged(path, age);
        }
        let caches = Caches::new(Some(dir.clone()));
        caches.read_deck(Some(&notes_in(&work.path().join("notes"))));
        drop(caches);
        for gone in [&old_deck, &old_log, &old_temp, &left_temp] {
            assert!(!gone.exists(), "{} was kept", gone.display());
        }
        for kept in [&recent, &being_written, &other] {
            assert!(kept.exists(), "{} was removed", kept.display());
        }
    }

    #[test]
    fn a_write_under_way_is_on_disk_once_the_caches_are_dropped() {
        let work = tempfile::tempdir().unwrap();
        let caches = Caches::new(Some(work.path().join("cache")));
        let path = work.path().join("cache/slow.deck");
        caches.write_deck(path.clone(), |file| {
            std::thread::sleep(Duration::from_millis(300));
            file.write_all(b"written")
        });
        // A copy dropped while the write is under way waits for it as well.
        let copy = caches.clone();
        drop(caches);
        assert_eq!(std::fs::read(&path).unwrap(), b"written");
        drop(copy);

        // The notes' cache a read starts, and the log's snapshot.
        let caches = Caches::new(Some(work.path().join("cache")));
        caches.read_deck(Some(&notes_in(&work.path().join("notes"))));
        let (data, store) = log_in(work.path());
        let log = caches.read_whole_log(&store, &[]).unwrap();
        let (deck, snapshot) = (
            caches.deck_path(Some(&[work.path().join("notes")])),
            caches.log_path(&data, &[]),
        );
        drop(caches);
        assert!(deck.expect("a deck cache").is_file());
        assert!(snapshot.expect("a snapshot").is_file());
        assert_eq!(log.lines.len(), LINES);
    }

    #[test]
    fn a_fifo_or_a_link_at_a_cache_path_is_ignored_and_never_written_through() {
        let work = tempfile::tempdir().unwrap();
        let notes = notes_in(&work.path().join("notes"));
        let (data, store) = log_in(work.path());
        let outside = work.path().join("victim.txt");
        std::fs::write(&outside, "the user's own file\n").unwrap();
        let dir = work.path().join("cache");
        std::fs::create_dir(&dir).unwrap();
        let fresh = format!("{:?}", Caches::new(None).read_deck(Some(&notes)).cards);
        for link in [false, true] {
            let caches = Caches::new(Some(dir.clone()));
            let (deck, log) = (
                caches.deck_path(Some(&notes)).unwrap(),
                caches.log_path(&data, &[]).unwrap(),
            );
            for path in [&deck, &log] {
                let _ = std::fs::remove_file(path);
                if link {
                    std::os::unix::fs::symlink(&outside, path).unwrap();
                } else {
                    fifo(path);
                }
            }
            // Read without waiting for a writer, and the same as without a cache.
            assert_eq!(format!("{:?}", caches.read_deck(Some(&notes)).cards), fresh);
            assert_eq!(caches.read_whole_log(&store, &[]).unwrap().lines.len(), LINES);
            drop(caches);
            assert_eq!(std::fs::read_to_string(&outside).unwrap(), "the user's own file\n");
            // The new caches took the names' place.
            assert!(std::fs::symlink_metadata(&deck).unwrap().is_file());
            assert!(std::fs::symlink_metadata(&log).unwrap().is_file());
        }
        // A cache folder that is a link out is not written into.
        let elsewhere = work.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let linked = work.path().join("linked");
        std::os::unix::fs::symlink(&elsewhere, &linked).unwrap();
        let caches = Caches::new(Some(linked));
        caches.read_deck(Some(&notes));
        drop(caches);
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}
