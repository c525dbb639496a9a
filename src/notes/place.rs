//! An answer written out for a question asked without one, placed into the notes as that question's answer.
//!
//! [`place_answer`] is pure: a file's text in, the file's new text out. The answer goes where the file's own
//! style keeps answers: under a heading (before the next heading and before any follow-up questions), as a
//! paragraph of a list item (indented to the item's content, before a nested list of follow-ups), or inside a
//! `<details>` after its `</summary>`. The new text is parsed again and accepted only if the question is now a
//! card with an answer and every other card and question is as it was.

use super::parse;
use crate::card::Card;

/// Why an answer was not placed into a note file. Nothing is written for any of them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    /// The written answer is blank.
    #[error("the written answer is empty; nothing to write into {file}")]
    Empty {
        /// The note file.
        file: String,
    },
    /// The line no longer asks the question (the file was edited since it was read).
    #[error("{file}:{line} no longer asks \"{question}\" without an answer; re-read the notes and try again")]
    NotAsked {
        /// The note file.
        file: String,
        /// The line.
        line: usize,
        /// The question looked for.
        question: String,
    },
    /// The question is asked in a form amgi does not write into (a quote, a table, a paragraph).
    #[error(
        "{file}:{line} asks \"{question}\" in a form amgi does not write answers into (only under a heading, \
         a list item or a <details>); write the answer there yourself"
    )]
    Form {
        /// The note file.
        file: String,
        /// The line.
        line: usize,
        /// The question.
        question: String,
    },
    /// The file with the answer in it would not read as that question's answer with the rest unchanged.
    #[error("writing the answer into {file}:{line} would {why}; write it there yourself")]
    Unsafe {
        /// The note file.
        file: String,
        /// The line.
        line: usize,
        /// What would go wrong.
        why: String,
    },
}

/// One line of the file with its ending (`\n`, `\r\n`, or none at the end).
struct Line<'a> {
    body: &'a str,
    end: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    text.split_inclusive('\n')
        .map(|line| {
            let body = line.strip_suffix('\n').unwrap_or(line);
            let body = body.strip_suffix('\r').unwrap_or(body);
            Line {
                body,
                end: &line[body.len()..],
            }
        })
        .collect()
}

/// The cards and questions of a file, in note order.
fn all(text: &str, file: &str, topic: &str) -> Vec<Card> {
    let parsed = parse(text, file, topic);
    let mut all: Vec<Card> = parsed.cards.into_iter().chain(parsed.questions).collect();
    all.sort_by(|a, b| (a.line, a.id.as_str()).cmp(&(b.line, b.id.as_str())));
    all
}

/// The width of a list item's marker and the spaces after it at the start of `line` (after its indent), if it
/// starts one: the item's content column is the indent plus this.
fn list_marker(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&digits) || !rest[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let after = &rest[marker..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    if spaces == 0 || after.trim().is_empty() {
        return None;
    }
    Some(indent + marker + if spaces > 4 { 1 } else { spaces })
}

fn is_atx_heading(line: &str) -> bool {
    let rest = line.trim_start_matches('\u{feff}');
    let indent = rest.len() - rest.trim_start_matches(' ').len();
    let hashes = rest[indent..].bytes().take_while(|&b| b == b'#').count();
    indent < 4 && (1..=6).contains(&hashes) && rest[indent + hashes..].starts_with([' ', '\t'])
}

fn is_setext_underline(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
        && line.len() - line.trim_start().len() < 4
}

/// `text` with `answer` placed as the answer of the question asked at `line` (1-based) of `file`, which must be
/// `question` (as the card has it) with no answer yet. `topic` is the file's topic as its cards have it.
///
/// The file's line endings are kept (a file of CRLF lines gets CRLF lines). The result is parsed again: the
/// question must now be a card with the same id and an answer, and every other card and question the same id and
/// answer as before; otherwise an error says why and nothing is to be written.
pub fn place_answer(
    text: &str,
    file: &str,
    topic: &str,
    line: usize,
    question: &str,
    answer: &str,
) -> Result<String, PlaceError> {
    let answer_lines: Vec<&str> = {
        let all: Vec<&str> = answer.lines().map(|l| l.trim_end()).collect();
        let start = all.iter().position(|l| !l.is_empty());
        let end = all.iter().rposition(|l| !l.is_empty());
        match (start, end) {
            (Some(start), Some(end)) => all[start..=end].to_vec(),
            _ => {
                return Err(PlaceError::Empty { file: file.into() });
            }
        }
    };
    let not_asked = || PlaceError::NotAsked {
        file: file.into(),
        line,
        question: question.into(),
    };
    // A lone CR ends a line for the parser and not here: the lines would not be counted alike.
    if text.replace("\r\n", "").contains('\r') {
        return Err(PlaceError::Unsafe {
            file: file.into(),
            line,
            why: "meet line endings of a lone CR, which amgi does not rewrite".into(),
        });
    }
    let before = all(text, file, topic);
    let target = before
        .iter()
        .position(|c| c.line == line && c.question == question && c.is_question())
        .ok_or_else(not_asked)?;
    let rows = lines(text);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let at = line - 1;
    let asked = rows.get(at).ok_or_else(not_asked)?.body;
    let form = || PlaceError::Form {
        file: file.into(),
        line,
        question: question.into(),
    };

    // Where the answer goes (the index of the line it goes before, or into the middle of a line), and its indent.
    let mut out = String::with_capacity(text.len() + answer.len() + 16);
    let push_rows = |out: &mut String, rows: &[Line]| {
        for row in rows {
            out.push_str(row.body);
            out.push_str(row.end);
        }
    };
    let push_answer = |out: &mut String, indent: usize| {
        for l in &answer_lines {
            if !l.is_empty() {
                out.extend(std::iter::repeat_n(' ', indent));
                out.push_str(l);
            }
            out.push_str(newline);
        }
    };
    // The line ending of the line the answer follows: a last line without one gets one.
    let ended = |row: &Line| {
        if row.end.is_empty() {
            newline.to_owned()
        } else {
            row.end.to_owned()
        }
    };

    if asked.contains("<summary") || asked.contains("</summary>") {
        // Inside a <details>: after the `</summary>`, which may be on a later line of a long summary.
        let close = (at..rows.len().min(at + 8))
            .find(|&i| rows[i].body.contains("</summary>"))
            .ok_or_else(form)?;
        let body = rows[close].body;
        let cut = body.find("</summary>").expect("found") + "</summary>".len();
        let (head, tail) = body.split_at(cut);
        push_rows(&mut out, &rows[..close]);
        out.push_str(head);
        out.push_str(newline);
        out.push_str(newline);
        push_answer(&mut out, 0);
        let tail = tail.trim_start();
        if tail.is_empty() {
            let next = close + 1;
            if rows.get(next).is_some_and(|r| !r.body.trim().is_empty()) {
                out.push_str(newline);
            }
            if next == rows.len() && rows[close].end.is_empty() {
                // The answer ended the file without a line ending after it, as the summary did.
                out.truncate(out.len() - newline.len());
            }
            push_rows(&mut out, &rows[next..]);
        } else {
            out.push_str(newline);
            out.push_str(tail);
            out.push_str(rows[close].end);
            push_rows(&mut out, &rows[close + 1..]);
        }
    } else if let Some(column) = list_marker(asked) {
        // A paragraph of the item, after the item's first paragraph (the question, perhaps wrapped).
        let mut end = at + 1;
        while end < rows.len() {
            let next = rows[end].body;
            let t = next.trim_start();
            if t.is_empty() || list_marker(next).is_some() || t.starts_with(['#', '>', '<', '`', '~', '|']) {
                break;
            }
            end += 1;
        }
        push_rows(&mut out, &rows[..end - 1]);
        out.push_str(rows[end - 1].body);
        out.push_str(&ended(&rows[end - 1]));
        out.push_str(newline);
        push_answer(&mut out, column);
        let rest = &rows[end..];
        if rest.first().is_some_and(|r| !r.body.trim().is_empty()) {
            out.push_str(newline);
        }
        push_rows(&mut out, rest);
    } else if is_atx_heading(asked) || rows.get(at + 1).is_some_and(|r| is_setext_underline(r.body)) {
        // Under the heading, before whatever follows it (follow-up questions, the next heading).
        let heading_end = if is_atx_heading(asked) { at + 1 } else { at + 2 };
        push_rows(&mut out, &rows[..heading_end - 1]);
        out.push_str(rows[heading_end - 1].body);
        out.push_str(&ended(&rows[heading_end - 1]));
        out.push_str(newline);
        push_answer(&mut out, 0);
        let mut next = heading_end;
        while rows.get(next).is_some_and(|r| r.body.trim().is_empty()) {
            next += 1;
        }
        if next < rows.len() {
            out.push_str(newline);
        }
        push_rows(&mut out, &rows[next..]);
    } else {
        return Err(form());
    }

    let unsafe_ = |why: String| PlaceError::Unsafe {
        file: file.into(),
        line,
        why,
    };
    let after = all(&out, file, topic);
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if after.len() < before.len() {
        let lost = plural(before.len() - after.len(), "question", "questions");
        return Err(unsafe_(format!(
            "take {lost} asked under it into its answer (no longer asked apart)"
        )));
    }
    if after.len() > before.len() {
        let more = plural(after.len() - before.len(), "card", "cards");
        return Err(unsafe_(format!(
            "add {more} to the file (the answer would read as more notes)"
        )));
    }
    for (i, (old, new)) in before.iter().zip(&after).enumerate() {
        if old.id != new.id {
            return Err(unsafe_(format!(
                "change the card \"{}\" into \"{}\"",
                old.question, new.question
            )));
        }
        if i == target {
            if new.answer.is_empty() {
                return Err(unsafe_("not read as the question's answer".into()));
            }
        } else if old.answer != new.answer {
            return Err(unsafe_(format!("change the answer of \"{}\"", old.question)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str, line: usize, question: &str, answer: &str) -> Result<String, PlaceError> {
        place_answer(text, "os.md", "os", line, question, answer)
    }

    /// The card asking `question` in `text`, with its answer.
    fn card(text: &str, question: &str) -> Card {
        all(text, "os.md", "os")
            .into_iter()
            .find(|c| c.question == question)
            .unwrap_or_else(|| panic!("no \"{question}\" in {text:?}"))
    }

    #[test]
    fn under_a_heading_the_answer_goes_before_the_next_heading() {
        let text = "# 운영체제\n\n## 프로세스란?\n\n## 스레드란?\n\n실행 흐름.\n";
        let id = card(text, "프로세스란?").id;
        let new = place(text, 3, "프로세스란?", "실행 중인 프로그램.\n").unwrap();
        assert_eq!(
            new,
            "# 운영체제\n\n## 프로세스란?\n\n실행 중인 프로그램.\n\n## 스레드란?\n\n실행 흐름.\n"
        );
        let now = card(&new, "프로세스란?");
        assert_eq!(
            (now.id, now.answer.text().into_owned()),
            (id, "실행 중인 프로그램.".to_owned())
        );
        // The last heading of a file, with no line ending after it.
        let new = place("## 끝 질문?", 1, "끝 질문?", "답").unwrap();
        assert_eq!(new, "## 끝 질문?\n\n답\n");
    }

    #[test]
    fn under_a_heading_with_follow_up_headings_the_answer_comes_first() {
        let text = "## DNS란?\n\n### TTL은 왜 필요한가요?\n\n캐시를 얼마나 둘지 정한다.\n\n### 재귀 질의는?\n";
        let new = place(text, 1, "DNS란?", "이름을 주소로 바꾼다.").unwrap();
        assert!(
            new.starts_with("## DNS란?\n\n이름을 주소로 바꾼다.\n\n### TTL은"),
            "{new}"
        );
        assert_eq!(card(&new, "DNS란?").answer.text().into_owned(), "이름을 주소로 바꾼다.");
        assert!(card(&new, "재귀 질의는?").is_question());
    }

    #[test]
    fn under_a_list_item_the_answer_is_a_paragraph_of_the_item_before_its_follow_ups() {
        let text = "## 팀에 묻기\n\n- 배포는 어떻게 하나요?\n- 해결하지 못한 문제는 무엇인가요?\n  - 자동화하지 못한 일이 있나요?\n- 코드 리뷰는 하나요?\n  - 모든 변경을 검토합니다.\n";
        let id = card(text, "배포는 어떻게 하나요?").id;
        let new = place(text, 3, "배포는 어떻게 하나요?", "CI가 태그마다 배포한다.").unwrap();
        assert_eq!(
            new,
            "## 팀에 묻기\n\n- 배포는 어떻게 하나요?\n\n  CI가 태그마다 배포한다.\n\n- 해결하지 못한 문제는 무엇인가요?\n  - 자동화하지 못한 일이 있나요?\n- 코드 리뷰는 하나요?\n  - 모든 변경을 검토합니다.\n"
        );
        let now = card(&new, "배포는 어떻게 하나요?");
        assert_eq!(
            (now.id, now.answer.text().into_owned()),
            (id, "CI가 태그마다 배포한다.".to_owned())
        );
        // An item with follow-ups nested under it: an answer above them would take them into it (the parser reads
        // a nested list after a paragraph as more of the answer), so it is refused and nothing is lost.
        let error = place(text, 4, "해결하지 못한 문제는 무엇인가요?", "배포 자동화.").unwrap_err();
        assert_eq!(
            error.to_string(),
            "writing the answer into os.md:4 would take 1 question asked under it into its answer (no longer asked \
             apart); write it there yourself"
        );
    }

    #[test]
    fn an_ordered_items_answer_is_indented_to_its_content() {
        let text = "## 손코딩\n\n1. 정렬 알고리즘을 구현해 보세요.\n2. 스택을 구현해 보세요.\n";
        let new = place(text, 4, "스택을 구현해 보세요.", "배열과 top 하나.").unwrap();
        assert!(
            new.ends_with("2. 스택을 구현해 보세요.\n\n   배열과 top 하나.\n"),
            "{new}"
        );
        assert!(!card(&new, "스택을 구현해 보세요.").is_question());
    }

    #[test]
    fn inside_a_details_the_answer_goes_after_the_summary() {
        let text = "## 질문들\n\n<details>\n<summary>답 없는 질문?</summary>\n\n</details>\n";
        let new = place(text, 4, "답 없는 질문?", "이제 있다.").unwrap();
        assert_eq!(
            new,
            "## 질문들\n\n<details>\n<summary>답 없는 질문?</summary>\n\n이제 있다.\n\n</details>\n"
        );
        assert_eq!(card(&new, "답 없는 질문?").answer.text().into_owned(), "이제 있다.");
        // All on one line: the line is opened up.
        let text = "## 질문들\n\n<details><summary>빈 질문?</summary></details>\n\n## 다음\n\n답\n";
        let new = place(text, 3, "빈 질문?", "채웠다.").unwrap();
        assert_eq!(
            new,
            "## 질문들\n\n<details><summary>빈 질문?</summary>\n\n채웠다.\n\n</details>\n\n## 다음\n\n답\n"
        );
        assert_eq!(card(&new, "빈 질문?").answer.text().into_owned(), "채웠다.");
    }

    #[test]
    fn a_crlf_file_stays_crlf() {
        let text = "## 프로세스란?\r\n\r\n## 스레드란?\r\n\r\n실행 흐름.\r\n";
        let new = place(text, 1, "프로세스란?", "첫 줄\n\n둘째 줄\n").unwrap();
        assert_eq!(
            new,
            "## 프로세스란?\r\n\r\n첫 줄\r\n\r\n둘째 줄\r\n\r\n## 스레드란?\r\n\r\n실행 흐름.\r\n"
        );
        assert!(!new.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn markdown_in_the_answer_is_kept_as_markdown() {
        let text = "## 면접 질문\n\n- TCP와 UDP의 차이는?\n- 3-way handshake란?\n";
        let answer = "**TCP**는 연결형:\n\n- 순서 보장\n- 재전송\n\n```\nSYN\n```";
        let new = place(text, 3, "TCP와 UDP의 차이는?", answer).unwrap();
        assert!(
            new.contains("- TCP와 UDP의 차이는?\n\n  **TCP**는 연결형:\n\n  - 순서 보장\n  - 재전송\n\n  ```\n  SYN\n  ```\n\n- 3-way"),
            "{new}"
        );
        let now = card(&new, "TCP와 UDP의 차이는?").answer.text().into_owned();
        assert!(
            now.contains("**TCP**") && now.contains("- 순서 보장") && now.contains("SYN"),
            "{now}"
        );
        assert!(card(&new, "3-way handshake란?").is_question());
    }

    #[test]
    fn a_line_that_no_longer_asks_the_question_is_refused() {
        let text = "## 프로세스란?\n\n## 스레드란?\n\n실행 흐름.\n";
        let error = place(text, 3, "프로세스란?", "답").unwrap_err();
        assert_eq!(
            error.to_string(),
            "os.md:3 no longer asks \"프로세스란?\" without an answer; re-read the notes and try again"
        );
        // A question answered meanwhile is no longer open either.
        let answered = "## 프로세스란?\n\n실행 중인 프로그램.\n";
        assert!(matches!(
            place(answered, 1, "프로세스란?", "답"),
            Err(PlaceError::NotAsked { .. })
        ));
        assert!(matches!(
            place(text, 99, "프로세스란?", "답"),
            Err(PlaceError::NotAsked { .. })
        ));
        assert!(matches!(
            place(text, 1, "프로세스란?", " \n\n"),
            Err(PlaceError::Empty { .. })
        ));
    }

    #[test]
    fn an_answer_that_would_read_as_more_notes_is_refused() {
        let text = "## 프로세스란?\n\n## 스레드란?\n\n실행 흐름.\n";
        let error = place(text, 1, "프로세스란?", "답\n\n## 새 제목\n\n다른 답").unwrap_err();
        assert!(matches!(error, PlaceError::Unsafe { .. }), "{error}");
        assert_eq!(
            error.to_string(),
            "writing the answer into os.md:1 would add 1 card to the file (the answer would read as more notes); \
             write it there yourself"
        );
    }
}
