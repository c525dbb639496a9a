//! Sections and the questions asked inside them: a section's blocks sorted into the heading's own answer and its
//! inner questions (questions in quotes, paragraphs, `<details>` and list items).

use super::answer::{Answer, is_placeholder, is_pointer, names_again, question_key};
use super::doc::{Block, Kind};
use super::nav::Links;
use super::nav::{is_link_list, is_table_of_contents};
use super::roles::{Builder, Head};
use super::text::{
    CHECK_MARKS, asks, collapse, collapse_owned, dedent, ends_with_question_mark, find_ci, follow_up_asks,
    is_block_tag, states, strip_a_marker, strip_q_marker, without_marks,
};
use crate::notes::clean;
use crate::notes::finding::{Finding, FindingKind};
use crate::notes::names;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// What a `<details>` element is: a question, or (when its summary names a part, such as 코드) more of the
/// answer it stands in, under its summary in bold.
pub(super) enum Details {
    Question(Inner),
    Part(String),
}

/// The question of a `<summary>`: its plain text, HTML and markdown markup removed and entities read.
fn summary_question(html: &str) -> String {
    let (markdown, _) = clean::html_block_to_markdown(html);
    let mut text = String::new();
    for event in Parser::new(&markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    collapse_owned(text)
}

/// A question asked inside a section (rule 4 of the README).
pub(super) struct Inner {
    pub(super) question: String,
    pub(super) line: usize,
    pub(super) answer: Answer,
    /// How many parts the section's own answer had when this question was met (set by [`ask`]).
    pub(super) at: usize,
    /// The questions asked under this one in place of an answer (꼬리 질문: the items of a `<details>` or of a
    /// nested list that all ask): this question then has no answer of its own.
    pub(super) follow_ups: Vec<Inner>,
}

impl Inner {
    pub(super) fn new(question: String, line: usize, answer: Answer) -> Inner {
        Inner {
            question,
            line,
            answer,
            at: 0,
            follow_ups: Vec::new(),
        }
    }

    /// This question and its follow-ups, each with the path it is kept under (below `path`), depth first.
    fn asked(self, path: &[String]) -> Vec<(Vec<String>, String, usize)> {
        let mut all = Vec::with_capacity(1 + self.follow_ups.len());
        let under: Vec<String> = path.iter().cloned().chain([self.question.clone()]).collect();
        all.push((path.to_vec(), self.question, self.line));
        for follow_up in self.follow_ups {
            all.extend(follow_up.asked(&under));
        }
        all
    }
}

/// The questions a `<details>` body holds in place of an answer: every item of its lists (`<li>` or markdown)
/// asks, and nothing else in it is prose. `body` is its source, `at` where it starts; `None` when it answers.
fn follow_ups_in_html(body: &str, at: usize, line: impl Fn(usize) -> usize) -> Option<Vec<Inner>> {
    let mut asked = Vec::new();
    let mut rest_prose = false;
    let mut pos = 0;
    while pos < body.len() {
        let Some(open) = find_ci(&body[pos..], "<li").map(|o| pos + o) else {
            rest_prose |= markdown_items(&body[pos..], at + pos, &line, &mut asked);
            break;
        };
        rest_prose |= markdown_items(&body[pos..open], at + pos, &line, &mut asked);
        let start = open + body[open..].find('>')? + 1;
        let end = ["</li", "<li", "<ul", "</ul", "<ol", "</ol"]
            .iter()
            .filter_map(|tag| find_ci(&body[start..], tag))
            .min()
            .map_or(body.len(), |e| start + e);
        let (markdown, _) = clean::html_block_to_markdown(&body[start..end]);
        let question = collapse(markdown.trim());
        if !question.is_empty() {
            if !follow_up_asks(&question) {
                return None;
            }
            asked.push(Inner::new(question.to_owned(), line(at + open), Answer::default()));
        }
        pos = end;
    }
    (!rest_prose && !asked.is_empty()).then_some(asked)
}

/// The markdown list items in `text` (outside any `<li>`), each put in `asked` when it asks; whether `text` holds
/// anything else with words in it (prose, or an item that does not ask).
fn markdown_items(text: &str, at: usize, line: &impl Fn(usize) -> usize, asked: &mut Vec<Inner>) -> bool {
    let mut offset = 0;
    let mut prose = false;
    for raw in text.split_inclusive('\n') {
        let start = at + offset;
        offset += raw.len();
        let (markdown, _) = clean::html_block_to_markdown(raw);
        let trimmed = markdown.trim();
        let item = trimmed
            .strip_prefix(['-', '*', '+'])
            .or_else(|| {
                trimmed
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .strip_prefix(['.', ')'])
            })
            .filter(|_| trimmed.len() > 1);
        match item {
            Some(item) if follow_up_asks(item.trim()) => {
                asked.push(Inner::new(
                    collapse(item.trim()).to_owned(),
                    line(start),
                    Answer::default(),
                ));
            }
            _ if trimmed.chars().any(char::is_alphanumeric) => prose = true,
            _ => {}
        }
    }
    prose
}

/// Adds a question met in a section, noting where the section's own answer stands.
pub(super) fn ask(inners: &mut Vec<Inner>, own: &Answer, mut inner: Inner) {
    inner.at = own.parts.len();
    inners.push(inner);
}

impl Builder<'_, '_> {
    /// Sorts the blocks of one section (its own, then those of the parts joined to it) into its own answer and
    /// the questions asked inside it.
    pub(super) fn section(&mut self, head: Option<&Head>, path: &[String], ranges: &[Range<usize>]) {
        let doc = self.doc;
        let mut own = Answer::default();
        let mut inners: Vec<Inner> = Vec::new();
        let mut open_inner = false;
        // Where the answer of a question asked as an aside inside the section's answer ends.
        let mut aside_ends: Option<usize> = None;
        let mut had_aside = false;
        self.among_questions = path
            .iter()
            .map(String::as_str)
            .chain(head.map(|h| h.title.as_str()))
            .any(names::names_questions);
        for blocks in ranges {
            let mut j = blocks.start;
            while j < blocks.end {
                let block = &doc.blocks[j];
                if aside_ends.is_some_and(|end| j >= end) {
                    open_inner = false;
                    aside_ends = None;
                }
                let begun = own.has_text || !inners.is_empty();
                let sink = sink(&mut own, &mut inners, open_inner);
                match block.kind {
                    Kind::Metadata => {}
                    Kind::Html => {
                        j = self.html_block(j, blocks.end, &mut own, &mut inners, &mut open_inner);
                        continue;
                    }
                    Kind::Paragraph => {
                        if let Some((inner, used)) = self.question_paragraph(j, blocks.end) {
                            // A bold question in the middle of the section's own answer (`***완전 이진 트리란?***`)
                            // is an aside: the paragraph after it answers it, and the answer above goes on.
                            if own.has_text && inners.is_empty() && used == 1 && self.all_emphasized(block) {
                                aside_ends = Some(j + 2);
                                had_aside = true;
                            }
                            ask(&mut inners, &own, inner);
                            open_inner = true;
                            j += used;
                            continue;
                        }
                        let (text, has_text) = self.paragraph_content(block);
                        if has_text && doc.is_link_line(block.ev.clone()) {
                            sink.push_links(&text);
                        } else {
                            sink.push(&text, has_text);
                        }
                    }
                    Kind::List => self.list(block, &mut own, &mut inners, &mut open_inner),
                    // A plain question quoted before any answer opens the section: the heading's answer answers it.
                    Kind::Other
                        if let Some((inner, marked)) = self.quote_question(block)
                            && (marked || begun) =>
                    {
                        // A quoted question in the middle of the section's answer that the quote answers is an
                        // aside (a tip box): what follows the quote is the section's answer again.
                        let aside = own.has_text && !inner.answer.parts.is_empty();
                        ask(&mut inners, &own, inner);
                        open_inner = !aside;
                        had_aside |= aside;
                    }
                    // A quote of links and navigation only is a box of sources, not answer text; so is one that
                    // credits the page's author.
                    Kind::Other
                        if matches!(doc.events[block.ev.start].0, Event::Start(Tag::BlockQuote(_)))
                            && (!doc.has_text(block.ev.clone()) || self.credits(block)) => {}
                    // A quote of one line that is a link and little besides points elsewhere (`> 발표 자료 |
                    // [슬라이드](…)`): it stays, but is no prose of the answer.
                    Kind::Other if doc.is_link_line(block.ev.clone()) => {
                        sink.push_links(&doc.clean(&doc.widen(&block.src)));
                    }
                    Kind::Heading(_) | Kind::Other => {
                        sink.push(&doc.clean(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
                    }
                }
                j += 1;
            }
        }

        // A question that only says the heading again (`### Stream이란` and then `* Stream이란?`) is the
        // heading's own answer, where it stood.
        let repeats_head = |h: &&Head| {
            let first = h.title.chars().next();
            inners.iter().any(|i| i.question.chars().next() == first)
        };
        if let Some(key) = head.filter(repeats_head).and_then(|h| question_key(&h.title)) {
            let mut n = 0;
            while n < inners.len() {
                // Most questions differ from their heading at the first letter: no key needed for those.
                let same_start = inners[n].question.chars().next() == head.and_then(|h| h.title.chars().next());
                if same_start && question_key(&inners[n].question).as_ref() == Some(&key) {
                    let inner = inners.remove(n);
                    let at = inner.at.min(own.parts.len());
                    own.count_in(&inner.answer);
                    own.parts.splice(at..at, inner.answer.parts);
                } else {
                    n += 1;
                }
            }
        }
        let had_inner = !inners.is_empty();
        let first_line = ranges
            .first()
            .and_then(|r| doc.blocks.get(r.start))
            .map(|b| doc.line(b.src.start));
        // What is left of a section whose questions went to cards of their own may only lead into them or be an
        // aside (`_끝_`), as under a heading with sub-sections.
        // Text that goes on around an aside is the answer, whatever it ends on.
        let intro = !had_aside
            && head.is_some_and(|h| {
                ((h.has_sub || had_inner) && own.only_leads_in()) || ((h.has_sub || h.first) && own.is_teaser())
            });
        let points = own.only_points();
        // On the notes' front page, a section that only lists (`- TCP와 UDP의 차이`, …) is an index of what the
        // notes answer elsewhere.
        let index = head.is_some() && self.front_page && own.only_lists();
        // The title of the notes' front page (`# Tech-Interview`) introduces the repository: what it says before
        // the first section is no answer.
        let title = self.front_page && head.is_some_and(|h| h.titles_page);
        if title && own.has_text {
            let h = head.expect("a title has a heading");
            let message = format!(
                "section \"{}\" is the title of the notes' front page, not a card",
                h.title
            );
            self.finding(h.line, FindingKind::Skipped, message);
        }
        let said_nothing = !own.has_text;
        let answer = own.into_markdown().filter(|a| {
            !title
                && !intro
                && !points
                && !index
                && !is_placeholder(a)
                && !is_pointer(a)
                && !head.is_some_and(|h| names_again(a, &h.title))
        });
        let answered = answer.is_some();
        match (head, answer) {
            (Some(head), Some(answer)) => self.card(path.to_vec(), head.title.clone(), answer, head.line),
            (Some(head), None) if index => {
                let message = format!(
                    "section \"{}\" on the front page only lists what the notes hold",
                    head.title
                );
                self.finding(head.line, FindingKind::Skipped, message);
            }
            (Some(head), None) if head.links == Links::Only && !head.has_sub && !had_inner => {
                let message = format!("heading \"{}\" only points elsewhere, not a card", head.title);
                self.finding(head.line, FindingKind::Skipped, message);
            }
            (Some(head), None) if !head.has_sub && !had_inner && !title => {
                self.out.findings.push(Finding::about(
                    self.file,
                    head.line,
                    FindingKind::Stub,
                    &head.title,
                    format!("heading \"{}\" has no answer under it", head.title),
                ));
                self.question(path.to_vec(), head.title.clone(), head.line);
            }
            // A question heading with nothing of its own but questions under it (`## DNS란?`, then `### TTL은 왜
            // 필요한가요?`): a question without a written answer, its sub-headings its follow-ups.
            (Some(head), None)
                if head.sub_asks && said_nothing && !had_inner && !title && super::text::asks(&head.title) =>
            {
                self.out.findings.push(Finding::about(
                    self.file,
                    head.line,
                    FindingKind::OpenQuestion,
                    &head.title,
                    format!(
                        "question \"{}\" has no answer written, only questions under it",
                        head.title
                    ),
                ));
                self.question(path.to_vec(), head.title.clone(), head.line);
            }
            (None, Some(_)) => {
                let message = "text outside any heading is not a card".to_owned();
                self.finding(first_line.unwrap_or(1), FindingKind::Skipped, message);
            }
            _ => {}
        }
        let inner_path: Vec<String> = path.iter().cloned().chain(head.map(|h| h.title.clone())).collect();
        // A section of questions only, none answered (a question bank), is told once, not a line a question.
        let bank = !inners.is_empty()
            && !answered
            && inners
                .iter()
                .all(|i| i.answer.parts.is_empty() && !(self.front_page && i.answer.only_lists()))
            && inners.iter().map(|i| 1 + i.follow_ups.len()).sum::<usize>() > 1;
        // On the front page, questions under a heading that links to where they are answered are an index.
        if bank && self.front_page && head.is_some_and(|h| h.links != Links::None) {
            let h = head.expect("checked");
            let message = format!(
                "section \"{}\" on the front page only lists what the notes hold",
                h.title
            );
            self.finding(h.line, FindingKind::Skipped, message);
            return;
        }
        if bank {
            let asked: Vec<(Vec<String>, String, usize)> =
                inners.into_iter().flat_map(|inner| inner.asked(&inner_path)).collect();
            let line = head.map_or(asked[0].2, |h| h.line);
            let name = head.map_or_else(
                || "text outside any heading".to_owned(),
                |h| format!("section \"{}\"", h.title),
            );
            let message = format!("{name} is a question bank: {} questions, no answers", asked.len());
            self.finding(line, FindingKind::QuestionBank, message);
            for (path, question, line) in asked {
                self.question(path, question, line);
            }
            return;
        }
        for inner in inners {
            if self.front_page && inner.answer.only_lists() {
                let message = format!(
                    "\"{}\" on the front page only lists what the notes hold",
                    inner.question
                );
                self.finding(inner.line, FindingKind::Skipped, message);
                continue;
            }
            if !inner.follow_ups.is_empty() {
                let asked = inner.asked(&inner_path);
                let (first, line) = (asked[0].1.clone(), asked[0].2);
                let message = format!(
                    "\"{first}\" has no answer under it, only {} follow-up questions",
                    asked.len() - 1
                );
                self.out.findings.push(Finding::about(
                    self.file,
                    line,
                    FindingKind::OpenQuestion,
                    &first,
                    message,
                ));
                for (path, question, line) in asked {
                    self.question(path, question, line);
                }
                continue;
            }
            match inner.answer.into_markdown() {
                Some(answer) => self.card(inner_path.clone(), inner.question, answer, inner.line),
                None => {
                    self.out.findings.push(Finding::about(
                        self.file,
                        inner.line,
                        FindingKind::OpenQuestion,
                        &inner.question,
                        format!("\"{}\" has no answer under it", inner.question),
                    ));
                    self.question(inner_path.clone(), inner.question, inner.line);
                }
            }
        }
    }

    /// A block quote whose first line asks (`> **💡 멱등이란?**`): the question, with the rest of the quote as
    /// the start of its answer.
    ///
    /// A heading inside the quote (`> ### Enum이란?`) asks the same way. Also says whether the question is marked
    /// out (bold, italic or a heading) rather than plain text.
    fn quote_question(&self, block: &Block) -> Option<(Inner, bool)> {
        let doc = self.doc;
        let events = &doc.events[block.ev.clone()];
        if !matches!(events.first(), Some((Event::Start(Tag::BlockQuote(_)), _))) {
            return None;
        }
        let heading = matches!(events.get(1), Some((Event::Start(Tag::Heading { .. }), _)));
        if !heading && !matches!(events.get(1), Some((Event::Start(Tag::Paragraph), _))) {
            return None;
        }
        let first = block.ev.start + 2;
        let stop = (first..block.ev.end)
            .find(|&i| {
                matches!(
                    doc.events[i].0,
                    Event::SoftBreak
                        | Event::HardBreak
                        | Event::End(TagEnd::Paragraph)
                        | Event::End(TagEnd::Heading(_))
                )
            })
            .unwrap_or(block.ev.end - 1);
        let plain = doc.plain(first..stop);
        let asked = if heading {
            asks(&plain)
        } else {
            ends_with_question_mark(&plain)
        };
        if !asked {
            return None;
        }
        let marked = heading || matches!(doc.events[first].0, Event::Start(Tag::Strong | Tag::Emphasis));
        let asked = strip_q_marker(&plain).unwrap_or(&plain);
        let question = collapse(asked.trim_start_matches(|c: char| !c.is_alphanumeric() && !"(\"'`[".contains(c)));
        if question.is_empty() {
            return None;
        }
        let rest_start = doc.events[stop].1.end.min(block.src.end);
        let rest = doc.clean(&(rest_start..block.src.end));
        let rest: Vec<&str> = rest
            .lines()
            .map(|l| {
                let l = l.trim_start();
                let l = l.strip_prefix('>').unwrap_or(l);
                l.strip_prefix(' ').unwrap_or(l)
            })
            .collect();
        let mut answer = Answer::default();
        answer.push(&rest.join("\n"), doc.has_text(stop..block.ev.end));
        let line = doc.line(block.src.start);
        Some((Inner::new(question, line, answer), marked))
    }

    /// A paragraph that asks a question: a single line ending in `?`, or `Q.` lines followed by an `A.` line.
    /// Returns the question (with the start of its answer, for `Q.`/`A.`) and how many blocks it used.
    fn question_paragraph(&self, j: usize, end: usize) -> Option<(Inner, usize)> {
        let doc = self.doc;
        let block = &doc.blocks[j];
        let lines = doc.lines(block);
        let line = doc.line(block.src.start);
        let first = lines.first()?;
        if let Some(q) = strip_q_marker(&first.plain) {
            let ask = |upto: usize| {
                let rest = lines[1..upto].iter().map(|l| l.plain.as_str());
                collapse_owned(std::iter::once(q).chain(rest).collect::<Vec<_>>().join(" "))
            };
            let a_line = (1..lines.len()).find(|&i| strip_a_marker(&lines[i].plain).is_some());
            let found = match a_line {
                Some(i) => Some((ask(i), self.after_a_marker(&lines[i..], block), 1)),
                None => doc
                    .blocks
                    .get(j + 1)
                    .filter(|next| j + 1 < end && next.kind == Kind::Paragraph)
                    .and_then(|next| {
                        let next_lines = doc.lines(next);
                        strip_a_marker(&next_lines[0].plain)?;
                        Some((ask(lines.len()), self.after_a_marker(&next_lines, next), 2))
                    }),
            };
            if let Some((question, answer, used)) = found.filter(|(q, _, _)| !q.is_empty()) {
                return Some((Inner::new(question, line, answer), used));
            }
        }
        // One sentence that asks; a paragraph of several sentences ending in one question muses.
        let asked = strip_q_marker(&first.plain).unwrap_or(&first.plain);
        let one_sentence = !asked.trim_end().contains(". ");
        if lines.len() == 1 && one_sentence && asks(&first.plain) {
            let question = collapse(strip_q_marker(&first.plain).unwrap_or(&first.plain));
            let answer = Answer::default();
            return Some((Inner::new(question, line, answer), 1));
        }
        None
    }

    /// The `<details>` element that starts at source offset `at` in block `k`: its `<summary>` is the question
    /// and what follows up to the matching `</details>` (in this block or a later one, else the end of the
    /// section) the answer. An empty `<details>` directly followed by another is an open question and does not
    /// take the next one in. Returns the question, and the block and source offset where reading goes on.
    pub(super) fn details(&self, at: usize, k: usize, end: usize) -> Option<(Details, usize, usize)> {
        let doc = self.doc;
        let text = doc.text(&(at..doc.blocks[k].src.end));
        let open = find_ci(text, "<summary")?;
        if find_ci(&text[1..open], "<details").is_some() {
            return None;
        }
        let body_start = open + text[open..].find('>')? + 1;
        let close = body_start + find_ci(&text[body_start..], "</summary")?;
        let after = close + text[close..].find('>')? + 1;
        let question = summary_question(&text[body_start..close]);
        if question.is_empty() {
            return None;
        }
        let line = doc.line(at + open);
        let body_start = at + after;
        let done = |answer: Answer, body_end: usize| {
            if names::is_part(&question, "") {
                if let Some(text) = answer.into_markdown() {
                    return Details::Part(format!("**{question}**\n\n{text}"));
                }
                return Details::Question(Inner::new(question.clone(), line, Answer::default()));
            }
            // A body of questions only (꼬리 질문) is no answer: they are asked after this one.
            let body = doc.text(&(body_start..body_end.max(body_start)));
            if let Some(follow_ups) = follow_ups_in_html(body, body_start, |at| doc.line(at)) {
                let mut inner = Inner::new(question.clone(), line, Answer::default());
                inner.follow_ups = follow_ups;
                return Details::Question(inner);
            }
            Details::Question(Inner::new(question.clone(), line, answer))
        };
        let mut answer = Answer::default();
        let mut depth = 1usize;
        let (mut b, mut pos) = (k, at + after);
        loop {
            let block = &doc.blocks[b];
            if block.kind == Kind::Html {
                let region = doc.text(&(pos..block.src.end));
                let mut off = 0;
                loop {
                    let next_open = find_ci(&region[off..], "<details").map(|x| x + off);
                    let next_close = find_ci(&region[off..], "</details").map(|x| x + off);
                    match (next_open, next_close) {
                        (Some(o), c) if c.is_none_or(|c| o < c) => {
                            let blank = || clean::html_block_to_markdown(&region[..o]).0.trim().is_empty();
                            if depth == 1 && answer.parts.is_empty() && blank() {
                                return Some((done(Answer::default(), pos + o), b, pos + o));
                            }
                            depth += 1;
                            off = o + 1;
                        }
                        (_, Some(c)) => {
                            depth -= 1;
                            if depth == 0 {
                                let (markdown, prose) = clean::html_block_to_markdown(&region[..c]);
                                answer.push(&markdown, prose);
                                let resume = region[c..].find('>').map_or(region.len(), |g| c + g + 1);
                                return Some((done(answer, pos + c), b, pos + resume));
                            }
                            off = c + 1;
                        }
                        _ => break,
                    }
                }
                let (markdown, prose) = clean::html_block_to_markdown(region);
                answer.push(&markdown, prose);
            } else if block.kind == Kind::List {
                answer.push_list(&doc.clean(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
            } else {
                answer.push(&doc.clean(&doc.widen(&block.src)), doc.has_text(block.ev.clone()));
            }
            if b + 1 >= end {
                return Some((done(answer, block.src.end), b, block.src.end));
            }
            b += 1;
            pos = doc.blocks[b].src.start;
        }
    }

    /// A list: items whose first line ends in `?` are questions (their nested content the answer); the other
    /// items stay where they are.
    fn list(&mut self, block: &Block, own: &mut Answer, inners: &mut Vec<Inner>, open_inner: &mut bool) {
        let doc = self.doc;
        if is_table_of_contents(&doc.events[block.ev.clone()]) {
            return;
        }
        let items = list_items(&doc.events, block.ev.clone());
        let mut asked: Vec<Option<Inner>> = items.iter().map(|item| self.item_question(item)).collect();
        // Under a heading that names questions, a list of one-line items that state nothing is a list of questions
        // however they end (`각 정렬의 시간복잡도 비교`); only one that opens its section's content: a list after
        // prose is a part of the answer.
        let opens = !own.has_text && inners.is_empty();
        // So is a list whose items mostly ask (two in three, at least three items): the others are questions with
        // a slip in their ending (`…작성해 조세요`) or put as a topic.
        let asking = asked.iter().filter(|a| a.is_some()).count();
        let mostly = items.len() >= 3 && asking < items.len() && asking * 3 >= items.len() * 2;
        let among = self.among_questions && opens && items.len() > 1;
        if among || mostly {
            let listed: Vec<Option<Inner>> = items.iter().map(|item| self.listed_question(item)).collect();
            if listed.iter().all(Option::is_some) {
                if among {
                    asked = listed;
                } else {
                    for (asked, listed) in asked.iter_mut().zip(listed) {
                        if asked.is_none() {
                            *asked = listed;
                        }
                    }
                }
            }
        }
        if asked.iter().all(Option::is_none) {
            let sink = sink(own, inners, *open_inner);
            // A list of links to read elsewhere is no answer of its own.
            let text = doc.clean(&doc.widen(&block.src));
            if is_link_list(&doc.events[block.ev.clone()]) {
                sink.push_links(&text);
            } else {
                sink.push_list(&text, doc.has_text(block.ev.clone()));
            }
            return;
        }
        let mut run: Option<Range<usize>> = None;
        let flush = |run: &mut Option<Range<usize>>, own: &mut Answer, inners: &mut Vec<Inner>, open: bool| {
            if let Some(r) = run.take() {
                let src = items[r.start].src.start..items[r.end - 1].src.end;
                let ev = items[r.start].ev.start..items[r.end - 1].ev.end;
                sink(own, inners, open).push_list(&doc.clean(&doc.widen(&src)), doc.has_text(ev));
            }
        };
        for (i, inner) in asked.into_iter().enumerate() {
            match inner {
                None => run = Some(run.map_or(i..i + 1, |r| r.start..i + 1)),
                Some(inner) => {
                    flush(&mut run, own, inners, *open_inner);
                    // A list of one question with nothing under it (`1. …?`, then paragraphs not indented) is
                    // answered by what follows, as a question paragraph is.
                    let open = items.len() == 1 && inner.answer.parts.is_empty() && inner.follow_ups.is_empty();
                    ask(inners, own, inner);
                    *open_inner = open;
                }
            }
        }
        flush(&mut run, own, inners, *open_inner);
    }

    /// Whether a paragraph is one run of bold or italic text, nothing outside it.
    fn all_emphasized(&self, block: &Block) -> bool {
        let events = &self.doc.events[block.ev.clone()];
        events.len() > 4
            && matches!(events[1].0, Event::Start(Tag::Strong | Tag::Emphasis))
            && matches!(
                events[events.len() - 2].0,
                Event::End(TagEnd::Strong | TagEnd::Emphasis)
            )
            && {
                let mut depth = 0usize;
                events[1..events.len() - 1].iter().enumerate().all(|(k, (e, _))| {
                    match e {
                        Event::Start(Tag::Strong | Tag::Emphasis) => depth += 1,
                        Event::End(TagEnd::Strong | TagEnd::Emphasis) => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    depth > 0 || k == events.len() - 3
                })
            }
    }

    /// An item of a list of questions: one line of text that states nothing (no `…다.`, no `term: meaning`), with
    /// nothing nested; a mark of answered or not (`✅`, `❎`) beside it is not part of the question.
    fn listed_question(&self, item: &Item) -> Option<Inner> {
        let doc = self.doc;
        let events = &doc.events[item.ev.clone()];
        // The item's own line, and a list nested under it: its follow-ups, when they are questions too.
        let nested_at = events
            .iter()
            .skip(1)
            .position(|(e, _)| matches!(e, Event::Start(Tag::List(_))))
            .map(|at| item.ev.start + 1 + at);
        let own = item.ev.start..nested_at.unwrap_or(item.ev.end);
        let blocks = doc.events[own.clone()]
            .iter()
            .any(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::Table(_))));
        let broken = doc.events[own.clone()]
            .iter()
            .any(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak));
        // A link names a page to read (an index of the notes), not a question.
        let link = events.iter().any(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })));
        if blocks || broken || link {
            return None;
        }
        let plain = doc.plain(own);
        let text = collapse(plain.trim().trim_matches(CHECK_MARKS).trim());
        if text.is_empty() || states(&text) {
            return None;
        }
        let mut inner = Inner::new(text, doc.line(item.src.start), Answer::default());
        if let Some(at) = nested_at {
            let end = item.ev.end - 1;
            // Under a question, only items that ask are follow-ups: a noun phrase there is a point of an answer.
            for sub in list_items(&doc.events, at..end) {
                let follow_up = self.listed_question(&sub).filter(|f| asks(&f.question))?;
                inner.follow_ups.push(follow_up);
            }
        }
        Some(inner)
    }

    /// A list item whose first line ends in `?`; its nested content, when there is any, is the answer.
    fn item_question(&self, item: &Item) -> Option<Inner> {
        let doc = self.doc;
        let body = item.ev.start + 1..item.ev.end.saturating_sub(1);
        let mut rest: Option<(usize, usize)> = None; // (source offset, event index) where nested content starts
        // Whether the first line is cut by a line break: a wrapped line may end on any word, so only a `?` asks.
        let mut wrapped = false;
        let mut i = body.start;
        let in_paragraph = matches!(doc.events.get(i), Some((Event::Start(Tag::Paragraph), _)));
        if in_paragraph {
            i += 1;
        }
        // The events of the first line: `first..i` once the loop stops.
        let first = i;
        while i < body.end {
            let (event, range) = &doc.events[i];
            match event {
                Event::SoftBreak | Event::HardBreak => {
                    rest = Some((range.end, i + 1));
                    wrapped = true;
                    break;
                }
                Event::End(TagEnd::Paragraph) if in_paragraph => {
                    rest = doc
                        .events
                        .get(i + 1)
                        .filter(|_| i + 1 < body.end)
                        .map(|(_, r)| (r.start, i + 1));
                    break;
                }
                Event::Start(tag) if is_block_tag(tag) => {
                    rest = Some((range.start, i));
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let pieces = doc.events[first..i].iter().filter_map(|(event, _)| match event {
            Event::Text(t) | Event::Code(t) => Some(t),
            _ => None,
        });
        // Most items do not ask: told by the last character of the line, before its text is put together. It is
        // that of the last piece with more than blanks in it: a `?`, or a Hangul syllable a question can end on.
        let last = pieces.clone().rev().map(|t| without_marks(t)).find(|t| !t.is_empty());
        let marked = last.is_some_and(|t| t.ends_with(['?', '？']));
        // Without the mark, a question ends on one of a few syllables (`…주세요`, `…하시오`, `…할까`, `…인가`, `…은`).
        // A closing aside in brackets (`… (단, …)`) hides the ending: the whole line is read for it.
        let may_ask = !wrapped
            && last.is_some_and(|t| {
                let t = t.trim_end_matches(['.', '!', ':', ',', ' ']);
                t.ends_with(['요', '오', '줘', '까', '가', '은', '는', ')'])
            });
        if !marked && !may_ask {
            return None;
        }
        let plain: String = pieces.map(|t| &**t).collect();
        if !(if marked {
            ends_with_question_mark(without_marks(&plain))
        } else {
            asks(&plain)
        }) {
            return None;
        }
        let question = collapse(without_marks(strip_q_marker(&plain).unwrap_or(&plain)));
        if question.is_empty() {
            return None;
        }
        let line = doc.line(item.src.start);
        let mut answer = Answer::default();
        if let Some((start, ev)) = rest {
            // A nested list of questions only (꼬리 질문) is no answer: they are asked after this one.
            if let Some(follow_ups) = self.nested_questions(ev..body.end) {
                let mut inner = Inner::new(question, line, answer);
                inner.follow_ups = follow_ups;
                return Some(inner);
            }
            let text = dedent(&doc.clean(&doc.widen(&(start..item.src.end))));
            answer.push(text.trim(), doc.has_text(ev..body.end));
        }
        Some(Inner::new(question, line, answer))
    }

    /// The questions of the lists that are all of the events `ev` (the content nested in a list item), when every
    /// item asks and has no answer of its own but follow-ups; `None` otherwise.
    fn nested_questions(&self, ev: Range<usize>) -> Option<Vec<Inner>> {
        let doc = self.doc;
        let mut asked = Vec::new();
        let mut i = ev.start;
        while i < ev.end {
            let Event::Start(Tag::List(_)) = doc.events[i].0 else {
                return None;
            };
            // The list's end: the matching End at depth 0.
            let mut depth = 0usize;
            let mut end = i;
            for (k, (event, _)) in doc.events[i..ev.end].iter().enumerate() {
                match event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => {
                        depth -= 1;
                        if depth == 0 {
                            end = i + k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if end == i {
                return None;
            }
            for item in list_items(&doc.events, i..end) {
                let inner = self.item_question(&item)?;
                if !inner.answer.parts.is_empty() {
                    return None;
                }
                asked.push(inner);
            }
            i = end;
        }
        (!asked.is_empty()).then_some(asked)
    }
}

/// Where answer text goes: the open inner question's answer, else the section's own.
pub(super) fn sink<'x>(own: &'x mut Answer, inners: &'x mut [Inner], open_inner: bool) -> &'x mut Answer {
    match (open_inner, inners.last_mut()) {
        (true, Some(inner)) => &mut inner.answer,
        _ => own,
    }
}

/// One item of a list: its events (from its `Start(Item)` to its `End(Item)`) and source bytes.
struct Item {
    ev: Range<usize>,
    src: Range<usize>,
}

/// The items directly inside the list whose events are `ev`.
fn list_items(events: &[(Event<'_>, Range<usize>)], ev: Range<usize>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for i in ev {
        match &events[i].0 {
            Event::Start(_) => {
                depth += 1;
                if depth == 2 {
                    start = i;
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    items.push(Item {
                        ev: start..i + 1,
                        src: events[start].1.clone(),
                    });
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    items
}
