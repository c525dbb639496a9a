//! Markdown → cards. [`parse`] is pure: a string in, cards and findings out.
//!
//! The markdown is read once with pulldown-cmark into a flat list of events; the top-level blocks of that list
//! are grouped into sections (a heading and the blocks up to the next heading), and each section's blocks are
//! sorted into the heading's own answer and the questions asked inside it. The rules are in the README.
//!
//! One room a pass: `doc` indexes the markdown, `roles` sorts the headings (skipped, part of the answer above,
//! or a section), `section` splits a section into its own answer and the questions asked inside it, `answer`
//! gathers answer text and holds its heuristics, `nav` tells links, tables of contents and navigation, and
//! `text` has the string helpers.

mod answer;
mod doc;
mod nav;
mod roles;
mod section;
mod text;

pub(crate) use text::asks;

use super::finding::Finding;
use crate::card::Card;
use doc::Doc;
use roles::Builder;
use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The cards and findings of one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Cards in note order. Ids are not yet disambiguated across the deck.
    pub cards: Vec<Card>,
    /// Questions asked with no written answer, in note order, with empty answers.
    pub questions: Vec<Card>,
    /// Everything passed over or doubted, in note order.
    pub findings: Vec<Finding>,
}

/// Strips a UTF-8 BOM, turns CRLF and lone CR into LF, and puts the text in Unicode NFC.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    nfc(text)
}

/// `text` in Unicode NFC, borrowed when it already is (the usual case, checked without a table lookup for each
/// Hangul syllable).
pub fn nfc(text: Cow<'_, str>) -> Cow<'_, str> {
    match nfc_quick(&text) {
        IsNormalized::Yes => text,
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// Characters that are NFC on their own and never compose with a neighbour: all below U+0300 (no combining
/// marks yet) and the precomposed Hangul syllables. Notes are mostly made of these.
fn is_plain(c: char) -> bool {
    c < '\u{300}' || ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// `is_nfc_quick` over the stretches of `text` that are not [`is_plain`]: the same answer, since plain characters
/// are starters that are always allowed, without a table lookup for each syllable.
fn nfc_quick(text: &str) -> IsNormalized {
    let mut result = IsNormalized::Yes;
    let mut rest = text;
    while let Some(start) = rest.find(|c| !is_plain(c)) {
        let tail = &rest[start..];
        let end = tail.find(is_plain).unwrap_or(tail.len());
        match is_nfc_quick(tail[..end].chars()) {
            IsNormalized::No => return IsNormalized::No,
            IsNormalized::Maybe => result = IsNormalized::Maybe,
            IsNormalized::Yes => {}
        }
        rest = &tail[end..];
    }
    result
}

/// Parses one file of notes.
///
/// `file` names the file in cards and findings; `default_topic` is the topic when the front matter sets none.
pub fn parse(text: &str, file: &str, default_topic: &str) -> Parsed {
    let src = normalize(text);
    let doc = Doc::new(&src);
    let topic = doc.front_matter_topic().unwrap_or_else(|| default_topic.to_owned());
    let front_page = !file.contains(['/', '\\'])
        && file
            .rsplit_once('.')
            .is_some_and(|(stem, _)| stem.eq_ignore_ascii_case("readme"));
    let mut builder = Builder {
        doc: &doc,
        file,
        shared: (file.into(), topic.as_str().into()),
        front_page,
        topic,
        out: Parsed::default(),
        among_questions: false,
    };
    builder.run();
    builder.out
}
