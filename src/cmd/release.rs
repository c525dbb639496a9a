//! `amgi release` and `amgi cards --suspended`: the suspended cards, brought back and listed.
//!
//! A release is a line of the log, as the suspension was ([`history::set_suspended`] applies both), so a replay
//! gives the same.

use super::open::{Want, saved_scheduler, say_unapplied};
use super::{deck_store, exit, now, print};
use crate::cli::{Cli, Release};
use crate::deck::Opened;
use crate::notes::Deck;
use crate::store::{LogLine, Progress};
use crate::{Card, CardId, EXIT_ERROR, TopicFilter, history, visible};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::process::ExitCode;

/// The ids of the suspended cards, as the next quiz would find the progress (a log a crash left ahead of
/// progress.yaml applied in memory, as `amgi stats` does). Only reads: no lock, nothing written.
pub fn suspended(cli: &Cli, deck: &Deck) -> anyhow::Result<HashSet<CardId>> {
    let store = deck_store(cli, deck, false)?;
    let loaded = super::open::readable(&store, store.load_progress(), false)?;
    let mut log = store.read_log(0)?;
    let now = now()?;
    let scheduler = saved_scheduler(&store, loaded.as_ref(), None)?;
    say_unapplied(&store, &mut log, now);
    let progress = crate::deck::caught_up(&store, &deck.cards, loaded, &log, &scheduler, now)?;
    super::open::write_back(&store, &progress)?;
    Ok(progress
        .cards
        .into_iter()
        .filter(|(_, e)| e.suspended)
        .map(|(id, _)| id)
        .collect())
}

/// `amgi release`: releases the suspended cards the options name, one release line each, and says which. A text
/// that names none of them ends with 1; `--all` with nothing suspended says so and ends with 0.
pub fn release(cli: &Cli, options: &Release, caches: &crate::caches::Caches) -> anyhow::Result<ExitCode> {
    let filter = &TopicFilter::new(&cli.topic);
    let want = Want::writer();
    // A suspended card whose notes file was renamed is found under its new id, as the quiz moves it.
    let (opened, now) = open_deck_or_return!(cli, caches, want);
    let Opened {
        deck,
        store,
        lock: _lock,
        mut progress,
        ..
    } = opened;
    let deck = &*std::mem::ManuallyDrop::new(deck);
    let chosen = chosen(&progress, deck, filter, &options.text, options.all);
    if chosen.is_empty() {
        if options.all {
            print(false, |out| writeln!(out, "no suspended card to release"))?;
            return Ok(ExitCode::SUCCESS);
        }
        let given: Vec<String> = options.text.iter().map(|t| format!("\"{t}\"")).collect();
        visible::warn(format_args!(
            "no suspended card matches {} (`amgi cards --suspended` lists them)",
            given.join(", ")
        ));
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    for (id, card) in &chosen {
        let end = store.append(&LogLine::Release {
            card: id.clone(),
            at: now,
        })?;
        history::set_suspended(&mut progress, id, false, *card);
        progress.log_offset = end.len;
        progress.log_crc = end.crc;
    }
    store.save_progress(&progress)?;
    print(false, |out| {
        for (id, card) in &chosen {
            match card {
                Some(card) => {
                    let mut parts: Vec<&str> = card.context().collect();
                    parts.push(&card.question);
                    writeln!(out, "released: {}", parts.join(" › "))?;
                }
                None => writeln!(out, "released: \"{id}\" (no card in the notes has that id)")?,
            }
        }
        Ok(())
    })?;
    Ok(exit(deck.has_errors()))
}

/// The suspended cards of `progress` to release, with the card as the notes have it (`None` for one no longer in
/// them), the notes' cards first in note order, then the others by id. With `all`, every suspended card `filter`
/// passes (a card no longer in the notes has no topic to match, so only without a filter). With `words`, those
/// whose topic, headings or question contain one of them, or whose id is one of them (the only way to name a card
/// no longer in the notes).
fn chosen<'d>(
    progress: &Progress,
    deck: &'d Deck,
    filter: &TopicFilter,
    words: &[String],
    all: bool,
) -> Vec<(CardId, Option<&'d Card>)> {
    use unicode_normalization::UnicodeNormalization;
    let named = TopicFilter::new(words);
    let ids: HashSet<String> = words.iter().map(|w| w.trim().nfc().collect()).collect();
    let by_id: HashMap<&CardId, &Card> = deck.cards.iter().map(|c| (&c.id, c)).collect();
    let suspended: HashSet<&CardId> = progress
        .cards
        .iter()
        .filter(|(_, e)| e.suspended)
        .map(|(id, _)| id)
        .collect();
    let in_notes = deck
        .cards
        .iter()
        .filter(|c| suspended.contains(&c.id) && filter.matches(c))
        .filter(|c| all || ids.contains(c.id.as_str()) || (!named.is_empty() && named.matches(c)))
        .map(|c| (c.id.clone(), Some(c)));
    let mut gone: Vec<&CardId> = suspended.iter().copied().filter(|id| !by_id.contains_key(id)).collect();
    gone.sort();
    let gone = gone
        .into_iter()
        .filter(|id| (all && filter.is_empty()) || ids.contains(id.as_str()))
        .map(|id| (id.clone(), None));
    in_notes.chain(gone).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse;

    fn deck() -> Deck {
        let md = "## TCP vs UDP\n\n1\n\n## 쿠키란?\n\n2\n\n## HTTP란?\n\n3\n";
        Deck {
            cards: parse(md, "network.md", "network").cards,
            ..Deck::default()
        }
    }

    /// Progress with `ids` suspended.
    fn suspended(ids: &[&str]) -> Progress {
        let mut progress = Progress::default();
        for id in ids {
            let id = CardId::new("network", &[], id);
            history::set_suspended(&mut progress, &id, true, None);
        }
        progress
    }

    fn questions(chosen: &[(CardId, Option<&Card>)]) -> Vec<String> {
        chosen.iter().map(|(id, _)| id.to_string()).collect()
    }

    #[test]
    fn a_text_names_suspended_cards_by_topic_heading_question_or_id() {
        let deck = deck();
        let progress = suspended(&["TCP vs UDP", "쿠키란?", "gone"]);
        let none = TopicFilter::default();
        let pick = |words: &[&str]| {
            let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            questions(&chosen(&progress, &deck, &none, &words, false))
        };
        assert_eq!(pick(&["tcp"]), ["network/TCP vs UDP"]);
        assert_eq!(
            pick(&["NETWORK"]),
            ["network/TCP vs UDP", "network/쿠키란?"],
            "note order"
        );
        assert!(pick(&["HTTP"]).is_empty(), "not suspended");
        assert_eq!(
            pick(&["network/gone"]),
            ["network/gone"],
            "no longer in the notes: by its id"
        );
        assert!(
            pick(&["gone"]).is_empty(),
            "a card not in the notes has only its id to match"
        );
        assert_eq!(pick(&["udp", "쿠키"]), ["network/TCP vs UDP", "network/쿠키란?"]);
    }

    #[test]
    fn all_releases_every_suspended_card_the_topic_passes() {
        let deck = deck();
        let progress = suspended(&["TCP vs UDP", "쿠키란?", "gone"]);
        let every = chosen(&progress, &deck, &TopicFilter::default(), &[], true);
        assert_eq!(
            questions(&every),
            ["network/TCP vs UDP", "network/쿠키란?", "network/gone"]
        );
        assert!(every[2].1.is_none());
        let cookies = chosen(&progress, &deck, &TopicFilter::new(&["쿠키"]), &[], true);
        assert_eq!(questions(&cookies), ["network/쿠키란?"]);
        assert!(chosen(&Progress::default(), &deck, &TopicFilter::default(), &[], true).is_empty());
    }
}
