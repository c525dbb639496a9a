//! The roles of headings: which are skipped, which are parts of the answer above them, and which are sections of
//! their own, with the path each section's cards are under.

use super::Parsed;
use super::doc::{Doc, Kind};
use super::nav::Links;
use super::text::letters_and_digits;
use crate::card::{Card, CardId};
use crate::notes::finding::{Finding, FindingKind};
use crate::notes::names;
use pulldown_cmark::{Event, Tag};
use std::ops::Range;

/// Walks the sections of a [`Doc`] and writes cards and findings.
pub(super) struct Builder<'d, 'a> {
    pub(super) doc: &'d Doc<'a>,
    pub(super) file: &'d str,
    /// `file` and `topic` as the cards share them.
    pub(super) shared: (std::sync::Arc<str>, std::sync::Arc<str>),
    /// Whether the file is the front page of the notes (a `README` at their root), where an `About` section
    /// speaks of the repository rather than of a subject.
    pub(super) front_page: bool,
    pub(super) topic: String,
    pub(super) out: Parsed,
    /// Whether the section being sorted stands under a heading that names questions (`면접 질문`, `예상 질문`,
    /// `Interview Questions`): there a list of one-line items that state nothing lists questions.
    pub(super) among_questions: bool,
}

/// What a heading is to the cards.
enum Role {
    /// Reference matter or navigation, or under such a heading: it gives no cards.
    Skipped,
    /// A table of contents: its own content gives no card, but the sections under it are the notes themselves and
    /// are sorted as if it were not there.
    Contents,
    /// A part of the answer of the section at this index (a part such as Code or 예시, and all under it).
    Part(usize),
    /// A section of its own: the blocks of its parts, whether it has sub-sections of its own, and whether one of them
    /// asks a question.
    Section {
        parts: Vec<Range<usize>>,
        has_sub: bool,
        sub_asks: bool,
    },
}

/// A heading as the sort sees it.
struct Sorted {
    role: Role,
    /// Whether the heading is or stands under a worked example (`Adapter 패턴 예제`, `MVC 패턴 예시 1`) below
    /// the page title: the steps of an example (`시나리오`, `요구사항 반영 후`) are the example's answer.
    in_example: bool,
}

/// The heading of a section.
pub(super) struct Head {
    pub(super) title: String,
    pub(super) line: usize,
    pub(super) has_sub: bool,
    /// Whether a sub-section of its own asks a question (`### TTL은 왜 필요한가요?` under `## DNS란?`).
    pub(super) sub_asks: bool,
    /// Whether this is the first heading of the file.
    pub(super) first: bool,
    /// Whether this is the file's title: its first heading, of the first level, with headings after it.
    pub(super) titles_page: bool,
    /// Whether the heading links elsewhere (`## 자료구조 [Link](…)`), or is only a link.
    pub(super) links: Links,
}

impl Builder<'_, '_> {
    pub(super) fn run(&mut self) {
        let doc = self.doc;
        let headings: Vec<usize> = (0..doc.blocks.len())
            .filter(|&i| matches!(doc.blocks[i].kind, Kind::Heading(_)))
            .collect();
        let level = |n: usize| match doc.blocks[headings[n]].kind {
            Kind::Heading(level) => level,
            _ => 0,
        };
        let end_of = |n: usize| headings.get(n + 1).copied().unwrap_or(doc.blocks.len());
        let preamble = 0..headings.first().copied().unwrap_or(doc.blocks.len());
        self.section(None, &[], std::slice::from_ref(&preamble));

        let titles: Vec<String> = headings.iter().map(|&h| doc.heading_text(&doc.blocks[h])).collect();
        let keys: Vec<Option<String>> = titles.iter().map(|t| names::key(t)).collect();
        let topic_key = letters_and_digits(&self.topic);
        let stem = self.file.rsplit(['/', '\\']).next().unwrap_or(self.file);
        let stem_key = letters_and_digits(stem.rsplit_once('.').map_or(stem, |(stem, _)| stem));
        // Sort the headings first: skipped (reference matter, navigation, and all under them), joined to the
        // answer of an enclosing heading (parts such as Code or 예시, and all under them), or sections of their
        // own; and which of those have sub-sections of their own.
        let mut sorted: Vec<Sorted> = Vec::with_capacity(headings.len());
        let mut parents: Vec<usize> = Vec::new();
        // Reference matter skipped with what is under it: the heading, and its finding to say what went with it.
        let mut skipped_with: Vec<(usize, usize)> = Vec::new();
        for n in 0..headings.len() {
            while parents.last().is_some_and(|&m| level(m) >= level(n)) {
                parents.pop();
            }
            // A table of contents stands aside: what is under it has the heading above it for its parent.
            let parent = parents
                .iter()
                .rev()
                .copied()
                .find(|&m| !matches!(sorted[m].role, Role::Contents));
            let exercise = names::is_exercise(&titles[n]);
            let in_example = parent.is_some_and(|p| sorted[p].in_example)
                || (level(n) > 1 && (exercise || keys[n].as_deref().is_some_and(names::is_example_key)));
            let line = doc.line(doc.blocks[headings[n]].src.start);
            let title = &titles[n];
            let role = if parent.is_some_and(|p| matches!(sorted[p].role, Role::Skipped)) {
                Role::Skipped
            } else if keys[n].as_deref().is_some_and(names::is_contents_key) {
                let message = format!("section \"{title}\" is a table of contents, not a card");
                self.finding(line, FindingKind::Skipped, message);
                Role::Contents
            } else if keys[n].as_deref().is_some_and(names::is_reference_key) || names::opens_with_reference(title) {
                let message = format!("section \"{title}\" is reference material, not a card");
                skipped_with.push((n, self.out.findings.len()));
                self.finding(line, FindingKind::Skipped, message);
                Role::Skipped
            } else if self.front_page
                && (names::title_names_repository(title)
                    || (parent.is_none_or(|p| level(p) == 1) && keys[n].as_deref().is_some_and(names::is_about_key)))
            {
                let message = format!("section \"{title}\" introduces the repository, not a card");
                skipped_with.push((n, self.out.findings.len()));
                self.finding(line, FindingKind::Skipped, message);
                Role::Skipped
            } else if self.front_page_matter(headings[n], end_of(n), parent.is_none_or(|p| level(p) == 1)) {
                Role::Skipped
            } else if self.is_nav_heading(headings[n]) {
                let message = format!("heading \"{title}\" only navigates, not a card");
                self.finding(line, FindingKind::Skipped, message);
                Role::Skipped
            } else if let Some(p) = parent.filter(|&p| {
                // An exercise worked through (`…로 바꿔 보자`) is an example of the answer above, as `예시` is.
                let named = exercise
                    || keys[n]
                        .as_deref()
                        .is_some_and(|key| names::is_part_key(key, title, &titles[p]));
                // A named part completes an answer; under a heading with no prose of its own (a page title) it
                // would be the whole answer to a question it does not answer, so there it is a section of its own.
                // An example (`[ 예시 ]`) under a heading below the page title is that heading's answer all the same.
                let example_below_title = p > 0
                    && level(p) > 1
                    && keys[n]
                        .as_deref()
                        .is_some_and(|key| ["예시", "예제", "example", "examples"].contains(&key))
                    && matches!(sorted[p].role, Role::Section { .. });
                let completes = matches!(sorted[p].role, Role::Part(_))
                    || self.has_prose(headings[p] + 1..end_of(p))
                    || example_below_title;
                (named && completes) || sorted[p].in_example || self.only_code(headings[n] + 1..end_of(n))
            }) {
                // The owner is always a section: a part's owner is its parent's, and a skipped heading has no parts.
                let owner = owner_of(&sorted, p);
                if let Role::Section { parts, .. } = &mut sorted[owner].role {
                    parts.push(headings[n]..end_of(n));
                }
                Role::Part(owner)
            } else if let Some(before) = (n > 0
                && level(n - 1) == level(n)
                && keys[n].as_deref().is_some_and(names::is_code_key)
                && self.only_code(headings[n] + 1..end_of(n))
                && !matches!(sorted[n - 1].role, Role::Skipped | Role::Contents)
                && self.has_prose(headings[n - 1] + 1..end_of(n - 1)))
            .then(|| owner_of(&sorted, n - 1))
            {
                // Notes that keep every heading at one level put a section's code right after it, as a sibling
                // (`#### Radix sort`, then `#### 소스 코드` and only code): it is the code of that section's answer.
                if let Role::Section { parts, .. } = &mut sorted[before].role {
                    parts.push(headings[n]..end_of(n));
                }
                Role::Part(before)
            } else {
                if let Some(p) = parent {
                    let owner = owner_of(&sorted, p);
                    if let Role::Section { has_sub, sub_asks, .. } = &mut sorted[owner].role {
                        *has_sub = true;
                        *sub_asks |= super::text::asks(title);
                    }
                }
                Role::Section {
                    parts: Vec::new(),
                    has_sub: false,
                    sub_asks: false,
                }
            };
            sorted.push(Sorted { role, in_example });
            parents.push(n);
        }

        // What went with skipped reference matter is said: the sub-sections with prose of their own.
        for (n, finding) in skipped_with {
            let under = (n + 1..headings.len()).take_while(|&m| level(m) > level(n));
            let with_prose = under.filter(|&m| self.has_prose(headings[m] + 1..end_of(m))).count();
            if with_prose > 0 {
                let message = &mut self.out.findings[finding].message;
                let noun = if with_prose == 1 { "sub-section" } else { "sub-sections" };
                message.push_str(&format!(" ({with_prose} {noun} with prose of their own went with it)"));
            }
        }

        let mut stack: Vec<(u8, Option<String>)> = Vec::new();
        for (n, &h) in headings.iter().enumerate() {
            let Role::Section {
                parts,
                has_sub,
                sub_asks,
            } = &mut sorted[n].role
            else {
                continue;
            };
            let this = level(n);
            while stack.last().is_some_and(|(l, _)| *l >= this) {
                stack.pop();
            }
            let path: Vec<String> = stack.iter().filter_map(|(_, t)| t.clone()).collect();
            let title = titles[n].clone();
            let mut ranges = Vec::with_capacity(1 + parts.len());
            ranges.push(h + 1..end_of(n));
            ranges.append(parts);
            if title.is_empty() {
                self.section(None, &path, &ranges);
                continue;
            }
            let line = doc.line(doc.blocks[h].src.start);
            let head = Head {
                title,
                line,
                has_sub: *has_sub,
                sub_asks: *sub_asks,
                first: n == 0,
                titles_page: n == 0 && this == 1 && headings.len() > 1,
                links: self.heading_links(h),
            };
            self.section(Some(&head), &path, &ranges);
            // A title (first-level, or the file's first heading at any level) that repeats the topic or the file's
            // name is not said again in the path.
            let names_file = || {
                let key = letters_and_digits(&head.title);
                key == topic_key || key == stem_key
            };
            let repeats_topic = (this == 1 || n == 0) && names_file();
            // The front page's title names the repository: no context for the questions under it.
            let names_repository = self.front_page && head.titles_page;
            stack.push((this, (!repeats_topic && !names_repository).then_some(head.title)));
        }
    }

    /// Whether the blocks hold code and no prose outside it: a sub-section that shows the code of the answer
    /// above it.
    fn only_code(&self, blocks: Range<usize>) -> bool {
        let doc = self.doc;
        let mut code = false;
        for block in &doc.blocks[blocks] {
            match doc.events[block.ev.start].0 {
                Event::Start(Tag::CodeBlock(_)) => code = true,
                _ if doc.has_text(block.ev.clone()) => return false,
                _ => {}
            }
        }
        code
    }

    /// Whether any of the blocks holds prose.
    fn has_prose(&self, blocks: Range<usize>) -> bool {
        self.doc.blocks[blocks].iter().any(|b| self.doc.has_text(b.ev.clone()))
    }

    pub(super) fn finding(&mut self, line: usize, kind: FindingKind, message: String) {
        self.out
            .findings
            .push(Finding::new(self.file, Some(line), kind, message));
    }

    pub(super) fn card(&mut self, path: Vec<String>, question: String, answer: String, line: usize) {
        let card = self.made(path, question, answer, line);
        self.out.cards.push(card);
    }

    /// Keeps a question asked with no written answer: not a card, but not lost either.
    pub(super) fn question(&mut self, path: Vec<String>, question: String, line: usize) {
        let question = self.made(path, question, String::new(), line);
        self.out.questions.push(question);
    }

    fn made(&self, path: Vec<String>, question: String, answer: String, line: usize) -> Card {
        Card {
            id: CardId::new(&self.topic, &path, &question),
            topic: std::sync::Arc::clone(&self.shared.1),
            folders: std::sync::Arc::default(),
            path,
            question,
            answer: answer.into(),
            file: std::sync::Arc::clone(&self.shared.0),
            line,
        }
    }
}

/// The section whose answer heading `p` is part of, or `p` itself.
fn owner_of(sorted: &[Sorted], p: usize) -> usize {
    match sorted[p].role {
        Role::Part(owner) => owner,
        _ => p,
    }
}
