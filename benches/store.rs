//! The cost of one answer on disk: the review line appended to reviews.yaml and fsynced, then progress.yaml for
//! 10,000 cards written to a temporary file, fsynced, renamed over the old one and the folder fsynced. That is what
//! the user waits for between grading a card and seeing the next one; the target is under 30 ms.
//!
//! The files live in a folder under the repo's `target/` (a real disk, where fsync costs what it costs for the
//! user; a tmpfs `/tmp` would make it look free). The progress is the benchmark deck (see `deck/mod.rs`) with every
//! card answered through the scheduler, so entries have the fields and number widths of real ones.
//! `load_progress` and `render` show the parse and render parts on their own. `bash bench/quiz.sh` runs this and
//! times the quiz's start-up on the same deck.

mod deck;

use amgi::history;
use amgi::notes::{Deck, NoteFile};
use amgi::schedule::{DEFAULT_RETENTION, Grade, Scheduler};
use amgi::store::{LogLine, Mode, Progress, Review, Store, render_progress};
use amgi::time::Moment;
use divan::{Bencher, black_box};
use jiff::SignedDuration;
use std::path::Path;
use std::sync::LazyLock;
use tempfile::TempDir;

fn main() {
    assert_eq!(PROGRESS.cards.len(), deck::CARDS, "cards in the benchmark progress");
    divan::main();
}

/// The first answer's moment.
const START: &str = "2026-01-05T21:00:00+09:00";

/// Every card of the benchmark deck learnt (Good, Good) and reviewed once or twice since, with grades from a
/// fixed-seed generator.
static PROGRESS: LazyLock<Progress> = LazyLock::new(|| {
    let files = deck::files().into_iter().map(|(file, text)| {
        Ok(NoteFile {
            topic: file.trim_end_matches(".md").to_owned(),
            folders: Default::default(),
            file,
            bytes: text.into_bytes(),
        })
    });
    let deck = Deck::from_files(files);
    let scheduler = Scheduler::new(DEFAULT_RETENTION, None).expect("the default scheduler");
    let start: Moment = START.parse().expect("a moment");
    let mut progress = Progress::default();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for (i, card) in deck.cards.iter().enumerate() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let first = start.plus(SignedDuration::from_hours(24 * (i as i64 / 80)));
        let answer = |progress: &mut Progress, at: Moment, grade: Grade| {
            let review = Review {
                card: card.id.clone(),
                at,
                grade,
                mode: Mode::Drill,
                ms: 4_000,
                rescheduled: false,
            };
            history::apply(progress, &review, Some(card), &scheduler);
        };
        answer(&mut progress, first, Grade::Good);
        answer(&mut progress, first.plus(SignedDuration::from_mins(10)), Grade::Good);
        for round in 0..1 + seed % 2 {
            let due = progress.cards[&card.id]
                .state
                .due
                .expect("a graduated card is due some day");
            let grade = Grade::from_number(1 + ((seed >> (8 * round)) % 4) as u8).expect("1 to 4");
            answer(&mut progress, due.plus(SignedDuration::from_hours(1)), grade);
        }
    }
    progress
});

/// A store in a fresh folder under `target/`, with progress.yaml and a review log already there.
fn store() -> (TempDir, Store) {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).expect("target/ exists");
    let dir = tempfile::Builder::new()
        .prefix("bench-store-")
        .tempdir_in(&target)
        .expect("a folder under target/");
    let store = Store::new(dir.path());
    store.save_progress(&PROGRESS).expect("progress saved");
    store.append(&line()).expect("a first line");
    (dir, store)
}

/// One answer, as the quiz logs it.
fn line() -> LogLine {
    let card = PROGRESS.cards.keys().nth(4_321).expect("a card").clone();
    LogLine::Review(Review {
        card,
        at: "2026-11-24T21:10:03+09:00".parse().expect("a moment"),
        grade: Grade::Good,
        mode: Mode::Drill,
        ms: 5_400,
        rescheduled: false,
    })
}

/// One answer made durable: the log line appended and synced, then progress.yaml replaced and synced. The
/// number the 30 ms target is about.
#[divan::bench(sample_count = 40, sample_size = 1)]
fn answer(bencher: Bencher) {
    let (_dir, store) = store();
    let line = line();
    bencher.bench_local(|| {
        store.append(black_box(&line)).expect("appended");
        store.save_progress(black_box(&PROGRESS)).expect("saved");
    });
}

/// [`answer`] with the answers a moment apart (100 ms, not timed), as a person gives them, rather than back to back:
/// what the file system finishes after a save (the old progress.yaml is closed, and its blocks freed, on another
/// thread) then does not land in the next one.
#[divan::bench(sample_count = 40, sample_size = 1)]
fn answer_paced(bencher: Bencher) {
    let (_dir, store) = store();
    let line = line();
    bencher
        .with_inputs(|| std::thread::sleep(std::time::Duration::from_millis(100)))
        .bench_local_values(|()| {
            store.append(black_box(&line)).expect("appended");
            store.save_progress(black_box(&PROGRESS)).expect("saved");
        });
}

/// An answer as the quiz gives it now: the log line appended and synced, the progress changed in place and a
/// share of it handed to the thread that writes progress.yaml, paced as [`answer_paced`] so the writer is done
/// between answers. What stands between a grade and the next card.
#[divan::bench(sample_count = 40, sample_size = 1)]
fn answer_with_background_save(bencher: Bencher) {
    use amgi::session::Journal;
    use std::sync::Arc;
    let (_dir, store) = store();
    let line = line();
    let mut saver = amgi::store::saver::Saver::new(&store);
    let mut progress = Arc::new(PROGRESS.clone());
    bencher
        .with_inputs(|| std::thread::sleep(std::time::Duration::from_millis(100)))
        .bench_local_values(|()| {
            saver.append(black_box(&line)).expect("appended");
            Arc::make_mut(&mut progress).log_offset += 1;
            saver.save_shared(black_box(&progress)).expect("handed over");
        });
    saver.finish().expect("saved");
}

/// [`answer_with_background_save`] handing the writer a copy of the progress, as each answer did before the
/// progress was shared.
#[divan::bench(sample_count = 40, sample_size = 1)]
fn answer_with_background_save_of_a_copy(bencher: Bencher) {
    use amgi::session::Journal;
    let (_dir, store) = store();
    let line = line();
    let mut saver = amgi::store::saver::Saver::new(&store);
    bencher
        .with_inputs(|| std::thread::sleep(std::time::Duration::from_millis(100)))
        .bench_local_values(|()| {
            saver.append(black_box(&line)).expect("appended");
            saver.save(black_box(&PROGRESS)).expect("handed over");
        });
    saver.finish().expect("saved");
}

/// The append alone (write and fsync of one line).
#[divan::bench(sample_count = 40, sample_size = 1)]
fn append(bencher: Bencher) {
    let (_dir, store) = store();
    let line = line();
    bencher.bench_local(|| store.append(black_box(&line)).expect("appended"));
}

/// The progress.yaml save alone: render, write, fsync, rename, fsync of the folder.
#[divan::bench(sample_count = 40, sample_size = 1)]
fn save_progress(bencher: Bencher) {
    let (_dir, store) = store();
    bencher.bench_local(|| store.save_progress(black_box(&PROGRESS)).expect("saved"));
}

/// Rendering the 10,000-card progress.yaml in memory: the CPU part of a save.
#[divan::bench(sample_count = 40)]
fn render(bencher: Bencher) {
    bencher.bench_local(|| render_progress(black_box(&PROGRESS)));
}

/// Reading the 10,000-card progress.yaml back (what every quiz start does): read, check and parse.
#[divan::bench(sample_count = 20)]
fn load_progress(bencher: Bencher) {
    let (_dir, store) = store();
    bencher.bench_local(|| store.load_progress().expect("loads").expect("exists"));
}
