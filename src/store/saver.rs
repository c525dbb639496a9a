//! progress.yaml written off the answer path: the answer's log line is appended and synced before the next card
//! shows, as always, and progress.yaml (tens of milliseconds at 10,000 cards) is written by a thread of its own
//! after it, the latest progress only when answers come faster than it writes. A kill in between loses nothing:
//! the next start applies what the log has beyond progress.yaml.
//!
//! The writer is handed a share of the session's progress ([`Journal::save_shared`]), not a copy: at 10,000 cards
//! a copy took 4 ms of each answer, as long as the log line's fsync.

use super::{LogEnd, LogLine, Progress, Store, StoreError};
use crate::session::Journal;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

/// A [`Journal`] over a [`Store`] that saves progress.yaml in the background. [`Saver::finish`] waits for the last
/// save.
pub struct Saver<'s> {
    store: &'s Store,
    shared: Arc<Shared>,
    writer: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// The progress to write next; a newer one replaces it.
    pending: Option<Arc<Progress>>,
    /// Progress replaced before it was written, for the writer to free: when the session has moved on to a copy of
    /// it, it is the last share of 10,000 cards' progress, milliseconds to free, not to be spent between answers.
    stale: Vec<Arc<Progress>>,
    /// Whether the writer is writing.
    busy: bool,
    /// Why the last background save failed, until it is reported.
    failed: Option<StoreError>,
    /// No more saves will come.
    done: bool,
}

impl<'s> Saver<'s> {
    /// A saver for `store`, with its writer thread started.
    pub fn new(store: &'s Store) -> Saver<'s> {
        let shared = Arc::new(Shared::default());
        let writer_shared = Arc::clone(&shared);
        // The writer's own store: saving progress.yaml needs only the folder.
        let writer_store = Store::new(store.dir());
        let writer = std::thread::spawn(move || write_loop(&writer_store, &writer_shared));
        Saver {
            store,
            shared,
            writer: Some(writer),
        }
    }

    /// Waits until the last progress given is written, and stops the writer. The error of a save that failed
    /// since the last one was reported, if any.
    pub fn finish(mut self) -> Result<(), StoreError> {
        self.stop()
    }

    fn stop(&mut self) -> Result<(), StoreError> {
        {
            let mut state = self.shared.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.done = true;
            self.shared.changed.notify_all();
        }
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
        let mut state = self.shared.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.failed.take().map_or(Ok(()), Err)
    }
}

impl Drop for Saver<'_> {
    fn drop(&mut self) {
        // Whatever was given is still written before the saver goes.
        let _ = self.stop();
    }
}

impl Journal for Saver<'_> {
    fn append(&mut self, line: &LogLine) -> Result<LogEnd, StoreError> {
        self.store.append(line)
    }

    fn keep_attempt(&mut self, attempt: &super::Attempt) -> Result<(), StoreError> {
        self.store.append_attempt(attempt)
    }

    fn attempts_of(&mut self, card: &crate::CardId) -> Result<Vec<super::Attempt>, StoreError> {
        self.store.attempts_of_card(card)
    }

    /// Hands a copy of `progress` to the writer, as [`Journal::save_shared`] does.
    fn save(&mut self, progress: &Progress) -> Result<(), StoreError> {
        self.save_shared(&Arc::new(progress.clone()))
    }

    /// Hands `progress` to the writer. When an earlier background save failed, this one is written here and now
    /// instead, so its error (a full disk) reaches the answer that is being saved, as without a writer.
    fn save_shared(&mut self, progress: &Arc<Progress>) -> Result<(), StoreError> {
        let mut state = self.shared.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.failed.take().is_some() {
            // Wait for the writer to be idle, so the two never write at once.
            state.pending = None;
            while state.busy {
                state = self.shared.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            drop(state);
            return self.store.save_progress(progress);
        }
        if let Some(stale) = state.pending.replace(Arc::clone(progress)) {
            state.stale.push(stale);
        }
        self.shared.changed.notify_all();
        Ok(())
    }
}

fn write_loop(store: &Store, shared: &Shared) {
    let mut state = shared.state.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        let stale = std::mem::take(&mut state.stale);
        if !stale.is_empty() {
            drop(state);
            drop(stale);
            state = shared.state.lock().unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        if let Some(progress) = state.pending.take() {
            state.busy = true;
            drop(state);
            let result = store.save_progress(&progress);
            // The session's progress is its own again (its next change copies nothing), and when it was copied
            // meanwhile this one is freed here, not under the lock.
            drop(progress);
            state = shared.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.busy = false;
            if let Err(error) = result {
                state.failed = Some(error);
            }
            shared.changed.notify_all();
            continue;
        }
        if state.done {
            return;
        }
        state = shared.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::render_progress;

    fn progress(n: u64) -> Progress {
        Progress {
            log_offset: n,
            ..Progress::default()
        }
    }

    #[test]
    fn the_latest_progress_is_on_disk_once_finished() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut saver = Saver::new(&store);
        for n in 1..=50 {
            saver.save(&progress(n)).unwrap();
        }
        saver.finish().unwrap();
        let on_disk = std::fs::read_to_string(store.progress_path()).unwrap();
        assert_eq!(on_disk, render_progress(&progress(50)));
    }

    #[test]
    fn a_shared_progress_is_written_as_it_was_handed_over_and_then_let_go() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut saver = Saver::new(&store);
        let mut shared = Arc::new(progress(1));
        let mut handed = Vec::new();
        for n in 2..=30 {
            // As a session changes its progress: in place when the writer is done with it, else on a copy.
            Arc::make_mut(&mut shared).log_offset = n;
            saver.save_shared(&shared).unwrap();
            handed.push(Arc::downgrade(&shared));
        }
        saver.finish().unwrap();
        assert_eq!(Arc::strong_count(&shared), 1, "the writer keeps no share");
        let alive = handed.iter().filter(|h| h.upgrade().is_some()).count();
        assert_eq!(
            alive,
            handed.iter().filter(|h| h.ptr_eq(&Arc::downgrade(&shared))).count()
        );
        assert!(
            alive >= 1,
            "only the session's own progress is left, every copy replaced was freed"
        );
        let on_disk = std::fs::read_to_string(store.progress_path()).unwrap();
        assert_eq!(on_disk, render_progress(&progress(30)));
    }

    #[test]
    fn a_session_through_the_saver_leaves_the_bytes_a_direct_save_writes() {
        use crate::history::Today;
        use crate::queue::Limits;
        use crate::schedule::{Grade, Scheduler};
        use crate::session::Session;
        let cards = crate::notes::parse("## 하나\n\n1\n\n## 둘\n\n2\n\n## 셋\n\n3\n", "t.md", "t").cards;
        let scheduler = Scheduler::new(0.9, None).unwrap();
        let now: crate::time::Moment = "2026-11-24T21:00:00+09:00".parse().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let limits = Limits::default();
        let mut session = Session::drill(cards, Progress::default(), &scheduler, now, limits, Today::default());
        let mut saver = Saver::new(&store);
        for (n, grade) in [Grade::Good, Grade::Again, Grade::Easy, Grade::Again, Grade::Good]
            .into_iter()
            .enumerate()
        {
            let at = now.plus(jiff::SignedDuration::from_secs(n as i64));
            session.next(at);
            session.grade(grade, at, 1_000, &mut saver).unwrap();
        }
        session.next(now);
        session.skip(now, &mut saver).unwrap();
        saver.finish().unwrap();
        let on_disk = std::fs::read_to_string(store.progress_path()).unwrap();
        assert_eq!(
            on_disk,
            render_progress(session.progress()),
            "the last progress, after quit"
        );
        let direct = tempfile::tempdir().unwrap();
        Store::new(direct.path()).save_progress(session.progress()).unwrap();
        assert_eq!(
            on_disk,
            std::fs::read_to_string(Store::new(direct.path()).progress_path()).unwrap()
        );
        assert_eq!(session.stats().answered, 5);
        let reviews = std::fs::read_to_string(store.reviews_path()).unwrap();
        assert_eq!(reviews.matches("grade: ").count(), 5, "every answer's line in the log");
    }

    #[test]
    fn a_failed_background_save_is_reported_by_the_next_save_and_finish() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where progress.yaml should be: every save fails.
        std::fs::create_dir(dir.path().join("progress.yaml")).unwrap();
        let store = Store::new(dir.path());
        let mut saver = Saver::new(&store);
        saver.save(&progress(1)).unwrap();
        // Wait for the writer to have tried.
        loop {
            let state = saver.shared.state.lock().unwrap();
            if state.pending.is_none() && !state.busy {
                break;
            }
            drop(state);
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(
            saver.save(&progress(2)).is_err(),
            "the next save writes at once and fails"
        );
        saver.save(&progress(3)).unwrap();
        assert!(saver.finish().is_err(), "the last one failed too");
    }
}
