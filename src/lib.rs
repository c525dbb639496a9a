//! amgi (암기): interview notes in Korean markdown, drilled as flashcards in the terminal.
//!
//! The core is pure: [`notes`] turns markdown into [`Card`]s without touching a terminal or a clock.
//! [`run`] is the only place that reads the environment and prints.

pub mod card;
pub mod cli;
pub mod history;
pub mod keys;
pub mod notes;
pub mod optimize;
pub mod plain;
pub mod plan;
pub mod queue;
mod quiz;
mod release;
mod report;
pub mod schedule;
pub mod session;
pub mod stats;
pub mod store;
pub mod time;
pub mod tui;
mod tune;
pub mod visible;

pub use card::{Card, CardId, TopicFilter};

use cli::{Cli, Command};
use notes::{Deck, Finding};
use serde::Serialize;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when some notes could not be read (what could be read was still used), or progress could not be
/// read or written.
pub const EXIT_ERROR: u8 = 1;
/// Exit code for a command line amgi cannot act on (clap uses it for unknown flags and bad values too).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when another amgi session holds the data folder.
pub const EXIT_BUSY: u8 = 3;

/// Runs one command line. Returns the exit code; an `Err` is a failure to report (exit 1).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Made from the command line's definition alone: no notes, no progress.
    match &cli.command {
        Some(Command::Completions(options)) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            print(true, |out| {
                clap_complete::generate(options.shell, &mut command, "amgi", out);
                Ok(())
            })?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            let command = <Cli as clap::CommandFactory>::command();
            print(true, |out| clap_mangen::Man::new(command).render(out))?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let filter = TopicFilter::new(&cli.topic);
    let read_notes = || load_deck(&cli.notes);
    // A quiz and stats read progress while the notes are read, so they are handed the reading rather than the deck.
    match &cli.command {
        Some(Command::Drill) | None => return quiz::drill(&cli, read_notes, &filter),
        Some(Command::Cram(cram)) => return quiz::cram(&cli, cram, read_notes, &filter),
        Some(Command::Stats(options)) => return report::stats(&cli, read_notes, &filter, options.json),
        _ => {}
    }
    // The process ends right after this; freeing a large deck card by card would only delay the exit.
    let deck = std::mem::ManuallyDrop::new(read_notes());
    if matches!(
        &cli.command,
        Some(Command::Cards(_) | Command::Topics(_) | Command::Plan(_))
    ) && let Some(why) = no_card_matches(&deck, &filter, &cli.topic)
    {
        report_unreadable(&deck);
        visible::warn(format_args!("{why}"));
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let listed = match &cli.command {
        Some(Command::Cards(listing)) => {
            let only = listing.suspended.then(|| release::suspended(&cli, &deck)).transpose()?;
            print(listing.json, |out| {
                print_cards(out, &deck, &filter, only.as_ref(), listing.json)
            })
        }
        Some(Command::Topics(listing)) => print(listing.json, |out| print_topics(out, &deck, &filter, listing.json)),
        Some(Command::Check(listing)) => {
            let mut findings = deck.findings.clone();
            let dir = data_dir(&cli)?;
            findings.extend(quiz::orphans(&dir, &deck));
            findings.extend(quiz::log_findings(&dir, now()?));
            let failed = findings.iter().any(Finding::is_error);
            print(listing.json, |out| print_findings(out, &findings, listing.json))?;
            return Ok(exit(failed));
        }
        Some(Command::Repair(options)) => return quiz::repair(&cli, &deck, options),
        Some(Command::Release(options)) => return release::release(&cli, &deck, &filter, options),
        Some(Command::Optimize(options)) => return tune::optimize(&cli, &deck, options),
        Some(Command::Plan(options)) => return quiz::plan(&cli, &deck, &filter, options),
        // Started above.
        Some(Command::Drill | Command::Cram(_) | Command::Stats(_) | Command::Completions(_) | Command::Man) | None => {
            Ok(())
        }
    };
    listed?;
    report_unreadable(&deck);
    Ok(exit(deck.has_errors()))
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

/// Why a `--topic` leaves nothing to show, when it does: it matches no card, and these are the topics there are.
fn no_card_matches(deck: &Deck, filter: &TopicFilter, words: &[String]) -> Option<String> {
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
fn named_path_unreadable(deck: &Deck, notes: &[PathBuf]) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let Some(roots) = notes_paths(notes) else {
        return false;
    };
    let shown: Vec<String> = roots.iter().map(|r| r.to_string_lossy().nfc().collect()).collect();
    deck.findings.iter().any(|f| f.is_error() && shown.contains(&f.file))
}

/// Notes that could not be read, on stderr (`check` lists them on stdout instead).
fn report_unreadable(deck: &Deck) {
    for finding in deck.findings.iter().filter(|f| f.is_error()) {
        visible::warn(format_args!("{finding}"));
    }
}

/// Runs `write` over a buffered stdout: text through [`visible::Visible`], so nothing from the notes drives the
/// terminal, or JSON as it is (`json`). A reader that stopped early (`amgi cards | head`) is not an error.
fn print(json: bool, write: impl FnOnce(&mut Stdout) -> io::Result<()>) -> anyhow::Result<()> {
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
enum Stdout {
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

/// The data folder: `--data-dir`, else `$AMGI_DATA`, else the platform's (`~/.local/share/amgi`).
fn data_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &cli.data_dir {
        return Ok(dir.clone());
    }
    if let Some(dir) = std::env::var_os("AMGI_DATA").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "amgi")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| anyhow::anyhow!("no home folder to keep progress in; give --data-dir or set AMGI_DATA"))
}

/// The moment now: `$AMGI_NOW` (RFC 3339 with an offset, a testing aid) when set, else the system clock in the
/// local time zone. The only place amgi reads the clock.
fn now() -> anyhow::Result<time::Moment> {
    match std::env::var("AMGI_NOW") {
        Ok(text) if !text.is_empty() => Ok(text.parse().map_err(|e| anyhow::anyhow!("AMGI_NOW: {e}"))?),
        _ => Ok(time::Moment::local(jiff::Timestamp::now())),
    }
}

/// The notes the user means: `--notes`, else `$AMGI_NOTES`, else `./notes`; `None` for the bundled deck.
fn notes_paths(notes: &[PathBuf]) -> Option<Vec<PathBuf>> {
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
fn read_deck(paths: Option<&[PathBuf]>) -> Deck {
    match paths {
        Some(paths) => Deck::from_files(notes::source::read_paths(paths)),
        None => Deck::from_files(notes::source::bundled().into_iter().map(Ok)),
    }
}

/// Reads the notes the user means (see [`notes_paths`]).
fn load_deck(notes: &[PathBuf]) -> Deck {
    read_deck(notes_paths(notes).as_deref())
}

/// The cards `filter` passes, only those in `only` when given.
fn print_cards(
    out: &mut impl Write,
    deck: &Deck,
    filter: &TopicFilter,
    only: Option<&std::collections::HashSet<CardId>>,
    json: bool,
) -> io::Result<()> {
    for card in deck
        .filtered(filter)
        .filter(|c| only.is_none_or(|ids| ids.contains(&c.id)))
    {
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
    // Measured as shown: a control in a file name shows as a symbol one column wide.
    let width = topics
        .iter()
        .map(|(t, _)| display_width(&visible::visible(t)))
        .max()
        .unwrap_or(0);
    for (topic, cards) in &topics {
        if json {
            json_line(out, &Topic { topic, cards: *cards })?;
        } else {
            writeln!(out, "{}  {cards:>4}", pad(&visible::visible(topic), width))?;
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

fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Width in terminal columns: Hangul and other wide characters take two.
fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` padded with spaces to `width` terminal columns, for text tables.
pub(crate) fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(display_width(text))))
}
