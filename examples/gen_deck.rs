//! Writes the benchmark deck to a folder, one markdown file per topic, so the whole `amgi` process can be timed
//! on the same notes that `cargo bench --bench parse` measures (see `bench/cards.sh`).
//!
//! Usage: `cargo run --release --example gen_deck -- DIR`

#[path = "../benches/deck/mod.rs"]
mod deck;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: gen_deck DIR");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    match write_deck(&dir) {
        Ok(bytes) => {
            let files = deck::TOPICS.len();
            let cards = deck::CARDS;
            println!("{}: {files} files, {cards} cards, {bytes} bytes", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_deck: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

/// Writes every topic file into `dir`, creating it when missing; returns the bytes written.
fn write_deck(dir: &PathBuf) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut bytes = 0;
    for (name, text) in deck::files() {
        std::fs::write(dir.join(name), &text)?;
        bytes += text.len();
    }
    Ok(bytes)
}
