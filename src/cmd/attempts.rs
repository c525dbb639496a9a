//! `amgi cards --attempts TEXT`: the answers written out from memory (`w` in the quiz) for the cards matching TEXT,
//! to see how they came along.

use super::{deck_store, print};
use crate::cli::Cli;
use crate::notes::Deck;
use crate::store::Attempt;
use crate::{Card, TopicFilter, visible};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};
use std::process::ExitCode;

/// Prints the attempts of the cards of `deck` that `filter` (the global `--topic`) and `text` both match, card by
/// card in note order, each card's attempts oldest first. Exit 1 when `text` matches no card.
pub fn run(cli: &Cli, deck: &Deck, filter: &TopicFilter, text: &str, json: bool) -> anyhow::Result<ExitCode> {
    let wanted = TopicFilter::new(&[text.to_string()]);
    let cards: Vec<&Card> = deck
        .cards
        .iter()
        .filter(|card| filter.matches(card) && wanted.matches(card))
        .collect();
    if cards.is_empty() {
        visible::warn(format_args!(
            "no card matches {text:?}: it is matched, ignoring case, against the folders, topic, headings and \
             question, as --topic is"
        ));
        return Ok(ExitCode::from(crate::EXIT_ERROR));
    }
    let store = deck_store(cli, deck, false)?;
    let mut attempts = store.read_attempts()?;
    attempts.sort_by_key(|attempt| attempt.at.timestamp());
    print(json, |out| print_attempts(out, &cards, &attempts, text, json))?;
    Ok(ExitCode::SUCCESS)
}

fn print_attempts(
    out: &mut impl Write,
    cards: &[&Card],
    attempts: &[Attempt],
    text: &str,
    json: bool,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        card: &'a str,
        question: &'a str,
        at: String,
        said: usize,
        terms: usize,
        text: &'a str,
    }
    let mut any = false;
    for card in cards {
        let mine: Vec<&Attempt> = attempts.iter().filter(|a| a.card == card.id).collect();
        if mine.is_empty() {
            continue;
        }
        any = true;
        if json {
            for attempt in mine {
                let line = Line {
                    card: card.id.as_str(),
                    question: &card.question,
                    at: attempt.at.to_string(),
                    said: attempt.said,
                    terms: attempt.terms,
                    text: &attempt.text,
                };
                serde_json::to_writer(&mut *out, &line)?;
                writeln!(out)?;
            }
            continue;
        }
        let names = card.folders.len() + 1;
        let mut parts: Vec<Cow<str>> = card.context().take(names).map(visible::one_line).collect();
        parts.extend(card.path.iter().map(|p| Cow::Borrowed(p.as_str())));
        parts.push(Cow::Borrowed(&card.question));
        writeln!(out, "{}", parts.join(" › "))?;
        for attempt in mine {
            let at = attempt.at.to_string();
            // `2026-11-24 21:00` of `2026-11-24T21:00:00+09:00`.
            let when = format!("{} {}", &at[..10], &at[11..16]);
            writeln!(out, "  {when}  핵심어 {}/{}", attempt.said, attempt.terms)?;
            for line in attempt.text.lines() {
                writeln!(out, "    {line}")?;
            }
        }
    }
    if !any && !json {
        let cards = if cards.len() == 1 { "the card" } else { "the cards" };
        writeln!(
            out,
            "no answer written out yet for {cards} matching {text:?}; press w on a question in the quiz to write one"
        )?;
    }
    Ok(())
}
