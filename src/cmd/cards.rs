//! `amgi cards`, `amgi topics` and `amgi check`: what the notes hold, and what is wrong in them and in the progress
//! kept for them.

use super::{deck_store, exit, kept_deck, no_card_matches, now, print, report_unreadable};
use crate::cli::{Cli, Listing};
use crate::deck::future_message;
use crate::notes::{Deck, Finding, FindingKind};
use crate::store::Store;
use crate::{Card, CardId, TopicFilter, display_width, history, pad, visible};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{self, Write};
use std::mem::ManuallyDrop;
use std::path::Path;
use std::process::ExitCode;

/// `amgi cards`: the cards of the notes, in note order; with `--suspended`, only the suspended ones; with
/// `--attempts TEXT`, the answers written out for the cards matching TEXT.
pub fn cards(cli: &Cli, options: &crate::cli::Cards, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let (mut deck, filter) = match listed_deck(cli, caches) {
        Ok(read) => read,
        Err(code) => return Ok(code),
    };
    if let Some(text) = &options.attempts {
        return super::attempts::run(cli, &deck, &filter, text, options.json);
    }
    if options.json {
        // Every answer is printed: read them a file at a time.
        crate::card::hold_answers(&mut deck.cards);
    }
    let only = options
        .suspended
        .then(|| super::release::suspended(cli, &deck))
        .transpose()?;
    print(options.json, |out| {
        print_cards(out, &deck, &filter, only.as_ref(), options.json)
    })?;
    report_unreadable(&deck);
    Ok(exit(deck.has_errors()))
}

/// `amgi topics`: the topics, with their number of cards.
pub fn topics(cli: &Cli, options: &Listing, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let (deck, filter) = match listed_deck(cli, caches) {
        Ok(read) => read,
        Err(code) => return Ok(code),
    };
    print(options.json, |out| print_topics(out, &deck, &filter, options.json))?;
    report_unreadable(&deck);
    Ok(exit(deck.has_errors()))
}

/// The notes a listing lists, with its filter; an exit code (1, after saying why) when `--topic` matches no card,
/// rather than an empty list.
fn listed_deck(cli: &Cli, caches: &crate::caches::Caches) -> Result<(ManuallyDrop<Deck>, TopicFilter), ExitCode> {
    let filter = TopicFilter::new(&cli.topic);
    let deck = kept_deck(caches, &cli.notes);
    if let Some(why) = no_card_matches(&deck, &filter, &cli.topic) {
        report_unreadable(&deck);
        visible::warn(format_args!("{why}"));
        return Err(ExitCode::from(crate::EXIT_ERROR));
    }
    Ok((deck, filter))
}

/// `amgi check`: what the parser passed over or doubts, progress kept for cards that are gone, and what is wrong in
/// the log. Exit 1 when something could not be read.
pub fn check(cli: &Cli, options: &Listing, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let deck = kept_deck(caches, &cli.notes);
    let mut findings = deck.findings.clone();
    let store = deck_store(cli, &deck, false)?;
    findings.extend(orphans(&store, &deck));
    findings.extend(log_findings(store.dir(), now()?));
    let failed = findings.iter().any(Finding::is_error);
    print(options.json, |out| {
        print_findings(out, &findings, options.json)?;
        // Clean notes say so, rather than printing nothing (a listing in JSON stays empty).
        if findings.is_empty() && !options.json {
            writeln!(out, "{}", clean_notes(&deck))?;
        }
        Ok(())
    })?;
    Ok(exit(failed))
}

/// `no findings in 3 files (42 cards)`: what `check` says of notes it has nothing to say about.
fn clean_notes(deck: &Deck) -> String {
    let files: HashSet<&str> = deck.cards.iter().map(|card| &*card.file).collect();
    let cards = deck.answered().count();
    let plural = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    format!(
        "no findings in {} ({})",
        plural(files.len(), "file"),
        plural(cards, "card")
    )
}

/// The cards `filter` passes, only those in `only` when given.
fn print_cards(
    out: &mut impl Write,
    deck: &Deck,
    filter: &TopicFilter,
    only: Option<&HashSet<CardId>>,
    json: bool,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Entry<'a> {
        #[serde(flatten)]
        card: &'a Card,
        kind: &'static str,
        /// The ids of its follow-up questions (꼬리 질문), when it has any.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        follow_ups: Vec<&'a str>,
        /// The id of the question it follows up, when it is a follow-up.
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<&'a str>,
    }
    let cards = &deck.cards;
    // Follow-up links, both ways, found once for the listing.
    let parents = if json {
        crate::card::follow_up_parents(cards)
    } else {
        Vec::new()
    };
    let mut follow_ups: Vec<Vec<&str>> = vec![Vec::new(); parents.len()];
    for (i, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            follow_ups[*p].push(cards[i].id.as_str());
        }
    }
    let mut one = |i: usize, kind: &'static str| -> io::Result<()> {
        let card = &cards[i];
        if !filter.matches(card) {
            return Ok(());
        }
        if json {
            let parent = parents[i].map(|p| cards[p].id.as_str());
            let follow_ups = std::mem::take(&mut follow_ups[i]);
            return json_line(
                out,
                &Entry {
                    card,
                    kind,
                    follow_ups,
                    parent,
                },
            );
        }
        // The folders and the topic are names on disk: kept to one line, as the headings are.
        let names = card.folders.len() + 1;
        let mut parts: Vec<Cow<str>> = card.context().take(names).map(visible::one_line).collect();
        parts.extend(card.path.iter().map(|p| Cow::Borrowed(p.as_str())));
        parts.push(Cow::Borrowed(&card.question));
        let unanswered = if kind == "question" {
            "  (no answer written)"
        } else {
            ""
        };
        writeln!(out, "{}{unanswered}", parts.join(" › "))
    };
    // Questions asked without an answer are listed where they stand in the notes, marked as such.
    for (i, card) in deck.cards.iter().enumerate() {
        if only.is_none_or(|ids| ids.contains(&card.id)) {
            one(i, if card.is_question() { "question" } else { "card" })?;
        }
    }
    Ok(())
}

fn print_topics(out: &mut impl Write, deck: &Deck, filter: &TopicFilter, json: bool) -> io::Result<()> {
    #[derive(Serialize)]
    struct Topic<'a> {
        topic: &'a str,
        cards: usize,
        folders: &'a [String],
    }
    let topics = deck.topics(filter);
    if json {
        for t in &topics {
            let topic = Topic {
                topic: &t.topic,
                cards: t.cards,
                folders: &t.folders,
            };
            json_line(out, &topic)?;
        }
        return Ok(());
    }
    // The folders as a tree, each with the cards in it; a folder's name ends in `/`. Names are measured as shown:
    // a control in a file name shows as a symbol one column wide.
    let rows: Vec<(String, usize)> = crate::notes::topic_tree(&topics)
        .iter()
        .map(|row| {
            let slash = if row.folder { "/" } else { "" };
            (
                format!("{}{}{slash}", "  ".repeat(row.depth), visible::one_line(row.name)),
                row.cards,
            )
        })
        .collect();
    let width = rows.iter().map(|(name, _)| display_width(name)).max().unwrap_or(0);
    for (name, cards) in &rows {
        writeln!(out, "{}  {cards:>4}", pad(name, width))?;
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

/// What is wrong in reviews.yaml, for `check`: lines that repeat an earlier one (counted once) and answers dated
/// after now (not applied); a log that cannot be read, with its line.
pub fn log_findings(dir: &Path, now: crate::time::Moment) -> Vec<Finding> {
    let store = Store::new(dir);
    let file = store.reviews_path().display().to_string();
    let mut log = match store.read_log(0) {
        Ok(log) => log,
        Err(e) => return vec![Finding::new(&file, None, FindingKind::Unreadable, e.to_string())],
    };
    let mut findings: Vec<Finding> = log
        .repeats
        .iter()
        .map(|r| {
            let message = format!("the same answer as line {}; counted once", r.first);
            Finding::new(&file, Some(r.line), FindingKind::Repeat, message)
        })
        .collect();
    for (line, at) in log.hold_back_future(now) {
        let message = format!("{}; not applied", future_message(at, now));
        findings.push(Finding::new(&file, Some(line), FindingKind::Future, message));
    }
    findings.sort_by_key(|f| f.line);
    findings
}

/// Progress kept for cards no longer in the notes (renamed or deleted): listed by `check`, never dropped.
/// A progress file that cannot be read is reported too, unless it is rebuilt from the log (see
/// [`super::open::readable`]).
pub fn orphans(store: &Store, deck: &Deck) -> Vec<Finding> {
    let file = store.progress_path().display().to_string();
    let progress = match super::open::readable(store, store.load_progress(), false) {
        Ok(Some(progress)) => progress,
        Ok(None) => return Vec::new(),
        Err(e) => return vec![Finding::new(&file, None, FindingKind::Unreadable, format!("{e:#}"))],
    };
    let ids = history::card_ids(&deck.cards);
    let renames = history::renames(&deck.cards, &progress);
    let moving: std::collections::HashMap<&crate::CardId, &Card> = renames.iter().map(|(from, c)| (from, *c)).collect();
    progress
        .cards
        .iter()
        .filter(|(id, _)| !ids.contains(id))
        .map(|(id, entry)| {
            if let Some(card) = moving.get(id) {
                let message = format!(
                    "progress for \"{id}\" moves to \"{}\" at the next quiz: the same path and question in {} (its \
                     file, folder or a heading above it renamed or moved)",
                    card.id, card.file
                );
                return Finding {
                    question: Some(entry.question.clone()),
                    ..Finding::new(&file, None, FindingKind::Moved, message)
                };
            }
            let message = format!("progress for \"{id}\" is kept, but no card in the notes has that id any more");
            Finding {
                question: Some(entry.question.clone()),
                ..Finding::new(&file, None, FindingKind::Orphan, message)
            }
        })
        .collect()
}
