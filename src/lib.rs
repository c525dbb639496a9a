//! amgi (암기): interview notes in Korean markdown, drilled as flashcards in the terminal.
//!
//! The core is pure: [`notes`] turns markdown into [`Card`]s without touching a terminal or a clock.
//! [`run`] is the only place that reads the environment and prints.

pub mod card;
pub mod cli;
pub mod notes;
pub mod schedule;
pub mod store;
pub mod time;

pub use card::{Card, CardId, TopicFilter};

use cli::{Cli, Command};
use notes::{Deck, Finding};
use serde::Serialize;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when some notes could not be read (what could be read was still used).
pub const EXIT_UNREADABLE: u8 = 1;

/// Runs one command line. Returns the exit code; an `Err` is a failure to report (exit 1).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // The process ends right after this; freeing a large deck card by card would only delay the exit.
    let deck = std::mem::ManuallyDrop::new(load_deck(&cli.notes));
    let filter = TopicFilter::new(&cli.topic);
    let stdout = io::stdout().lock();
    let mut out = io::BufWriter::new(stdout);
    let printed = match &cli.command {
        Some(Command::Cards(listing)) => print_cards(&mut out, &deck, &filter, listing.json),
        Some(Command::Topics(listing)) => print_topics(&mut out, &deck, &filter, listing.json),
        Some(Command::Check(listing)) => print_findings(&mut out, &deck.findings, listing.json),
        None => print_summary(&mut out, &deck, &filter),
    };
    match printed.and_then(|()| out.flush()) {
        // A reader that stopped early (`amgi cards | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        other => other?,
    }
    if !matches!(cli.command, Some(Command::Check(_))) {
        for finding in deck.findings.iter().filter(|f| f.is_error()) {
            eprintln!("amgi: {finding}");
        }
    }
    Ok(if deck.has_errors() {
        ExitCode::from(EXIT_UNREADABLE)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads the notes the user means: `--notes`, else `$AMGI_NOTES`, else `./notes`, else the bundled deck.
fn load_deck(notes: &[PathBuf]) -> Deck {
    let from_env: Vec<PathBuf> = std::env::var_os("AMGI_NOTES")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    let local = PathBuf::from("notes");
    let paths: Vec<PathBuf> = if !notes.is_empty() {
        notes.to_vec()
    } else if !from_env.is_empty() {
        from_env
    } else if local.is_dir() {
        vec![local]
    } else {
        return Deck::from_files(notes::source::bundled().into_iter().map(Ok));
    };
    Deck::from_files(notes::source::read_paths(&paths))
}

fn print_cards(out: &mut impl Write, deck: &Deck, filter: &TopicFilter, json: bool) -> io::Result<()> {
    for card in deck.filtered(filter) {
        if json {
            json_line(out, card)?;
        } else {
            let mut parts = vec![card.topic.as_str()];
            parts.extend(card.path.iter().map(String::as_str));
            parts.push(&card.question);
            writeln!(out, "{}", parts.join(" › "))?;
        }
    }
    Ok(())
}

fn print_topics(out: &mut impl Write, deck: &Deck, filter: &TopicFilter, json: bool) -> io::Result<()> {
    #[derive(Serialize)]
    struct Topic<'a> {
        topic: &'a str,
        cards: usize,
    }
    let topics = deck.topics(filter);
    let width = topics.iter().map(|(t, _)| display_width(t)).max().unwrap_or(0);
    for (topic, cards) in &topics {
        if json {
            json_line(out, &Topic { topic, cards: *cards })?;
        } else {
            let pad = width - display_width(topic);
            writeln!(out, "{topic}{}  {cards:>4}", " ".repeat(pad))?;
        }
    }
    Ok(())
}

fn print_findings(out: &mut impl Write, findings: &[Finding], json: bool) -> io::Result<()> {
    for finding in findings {
        if json {
            json_line(out, finding)?;
        } else {
            writeln!(out, "{finding}")?;
        }
    }
    Ok(())
}

fn print_summary(out: &mut impl Write, deck: &Deck, filter: &TopicFilter) -> io::Result<()> {
    let topics = deck.topics(filter);
    let cards: usize = topics.iter().map(|(_, n)| n).sum();
    writeln!(out, "{cards} cards in {} topics", topics.len())?;
    print_topics(out, deck, filter, false)?;
    if !deck.findings.is_empty() {
        writeln!(out, "{} findings: see `amgi check`", deck.findings.len())?;
    }
    writeln!(out, "`amgi cards` lists every card; `amgi --help` shows the rest.")
}

fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Width in terminal columns: Hangul and other wide characters take two.
fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}
