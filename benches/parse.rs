//! Parse throughput on a 10,000-card, ~5 MB deck of Korean notes (see `deck/mod.rs`).
//!
//! The numbers guard the promise that a large notes repository opens without a noticeable pause: at least
//! 50 MB/s for `parse`. `bench/cards.sh` times the whole `amgi cards --json` process on the same deck.

mod deck;

use amgi::notes::{Deck, NoteFile, parse};
use divan::counter::BytesCount;
use divan::{Bencher, black_box};

fn main() {
    check_deck();
    divan::main();
}

/// Every file of the deck concatenated: one large file exercises the parser without the per-file work.
fn whole_text() -> String {
    deck::files().into_iter().map(|(_, text)| text).collect()
}

/// The deck as the binary reads it from a folder: one [`NoteFile`] per topic.
fn note_files() -> Vec<NoteFile> {
    deck::files()
        .into_iter()
        .map(|(file, text)| NoteFile {
            topic: file.trim_end_matches(".md").to_owned(),
            folders: Default::default(),
            file,
            bytes: text.into_bytes(),
        })
        .collect()
}

/// A throughput figure means little if the deck stopped producing the cards it was built to produce (after a
/// change to the card rules, say), so the run stops rather than report it.
fn check_deck() {
    let parsed = parse(&whole_text(), "deck.md", "deck");
    assert_eq!(parsed.cards.len(), deck::CARDS, "cards parsed from the whole deck");
    assert!(
        parsed.findings.is_empty(),
        "unexpected findings: {:?}",
        &parsed.findings[..1]
    );
    let deck = Deck::from_files(note_files().into_iter().map(Ok));
    assert_eq!(deck.cards.len(), deck::CARDS, "cards in the deck of topic files");
    assert!(
        deck.findings.is_empty(),
        "unexpected findings: {:?}",
        &deck.findings[..1]
    );
}

/// `parse` over the whole deck as one text.
#[divan::bench(name = "parse", sample_count = 30)]
fn parse_deck(bencher: Bencher) {
    let text = whole_text();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| parse(black_box(&text), "deck.md", "deck"));
}

/// `Deck::from_files` over the 10 topic files: decoding, parsing and id disambiguation, as `amgi` does it.
#[divan::bench(sample_count = 30)]
fn from_files(bencher: Bencher) {
    let files = note_files();
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    bencher
        .counter(BytesCount::new(bytes))
        .with_inputs(|| files.clone())
        .bench_values(|files| Deck::from_files(files.into_iter().map(Ok)));
}
