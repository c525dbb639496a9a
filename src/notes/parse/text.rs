//! Text helpers: whitespace, markers and case, on plain strings.

use pulldown_cmark::Tag;

/// The byte offset of the first `needle` (ASCII, lower case) in `haystack`, ignoring ASCII case.
pub(super) fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// A letters-and-digits key for comparing a title with a topic: case, spacing and punctuation ignored.
pub(super) fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn is_block_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::List(_)
            | Tag::Item
            | Tag::CodeBlock(_)
            | Tag::BlockQuote(_)
            | Tag::HtmlBlock
            | Tag::Heading { .. }
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
    )
}

/// Whitespace runs become one space; ends trimmed.
pub(super) fn collapse(text: &str) -> String {
    if is_collapsed(text) {
        return text.to_owned();
    }
    collapse_runs(text)
}

/// [`collapse`] of an owned text, which is returned as it is when it has nothing to collapse.
pub(super) fn collapse_owned(text: String) -> String {
    if is_collapsed(&text) {
        text
    } else {
        collapse_runs(&text)
    }
}

/// Whether [`collapse`] leaves `text` as it is: single spaces between words and no other whitespace, told from
/// the bytes. Every whitespace character other than ASCII starts with one of the bytes C2, E1, E2 or E3, so only
/// a character starting with one of those needs decoding.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    // The byte before, a space at the start so that a leading space counts as a run.
    let mut before = b' ';
    for (i, &b) in bytes.iter().enumerate() {
        if b <= b' ' {
            if b != b' ' || before == b' ' {
                return false;
            }
        } else if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) && text[i..].starts_with(char::is_whitespace) {
            return false;
        }
        before = b;
    }
    before != b' ' || bytes.is_empty()
}

/// [`collapse`], word by word.
fn collapse_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Leading and trailing lines that hold only blanks removed; the indentation of the first kept line stays.
pub(super) fn trim_blank_lines(text: &str) -> &str {
    let text = text.trim_end();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    &text[start..]
}

/// Whether a line asks: it ends in `?`, but not in a musing `..?` or `…?`.
pub(super) fn ends_with_question_mark(text: &str) -> bool {
    let text = text.trim_end();
    let asks = text.ends_with('?') || text.ends_with('？');
    asks && !text.trim_end_matches(['?', '？']).ends_with(['.', '…'])
}

/// Whether a line asks, with or without a `?`: Korean interview questions are as often requests to answer
/// (`…설명해 주세요.`, `…말해 보세요`, `…설명하시오`) or questions without the mark (`…무엇인가요.`, `…사용하는가`,
/// `…차이점은.`) as questions ending in `?`.
pub(crate) fn asks(text: &str) -> bool {
    // An aside in brackets after the question (`…있을까요? (힌트: …)`) is not what it ends on, nor are marks and
    // emoji after it (`…인가요? 🔥`, `…차이점 ✅`).
    let text = without_closing_aside(without_marks(text));
    ends_with_question_mark(text) || asks_without_mark(text)
}

/// Whether a follow-up asks: it [`asks`], or its first sentence does and an example or a hint follows
/// (`…할 수 있을까요? 예를 들어 …`).
pub(super) fn follow_up_asks(text: &str) -> bool {
    asks(text)
        || text
            .split_once("? ")
            .is_some_and(|(first, _)| asks(&format!("{first}?")))
}

/// Marks of a question answered or not, beside it in a list (`TCP와 UDP의 차이 ✅`).
pub(super) const CHECK_MARKS: [char; 7] = ['✅', '❎', '☑', '✔', '❌', '⬜', '🔲'];

/// Whether a line states rather than names or asks: a sentence's end (`…이다.`, `…합니다`, `…함`), or a term with
/// its meaning (`canRead() : …`, `TCP - 연결형`, `A → B`).
pub(super) fn states(text: &str) -> bool {
    if asks(text) {
        return false;
    }
    if [": ", " - ", "→", " = ", "=>"].iter().any(|sep| text.contains(sep)) {
        return true;
    }
    let end = text.trim_end_matches(['.', '!', ' ', '\u{fe0f}']);
    // `…해요` states; `…해 주세요`, `…할까요`, `…하나요` ask.
    let asks_politely = ["세요", "까요", "나요", "가요", "래요"]
        .iter()
        .any(|e| end.ends_with(e));
    end.ends_with(['다', '음', '함', '됨', '임', '죠'])
        || (end.ends_with('요') && !asks_politely)
        || text.contains(". ")
}

/// `text` without the symbols and emoji it ends on (arrows, stars, check marks, `🔥`), and the spaces before them.
pub(super) fn without_marks(text: &str) -> &str {
    text.trim_end_matches(|c: char| {
        c.is_whitespace()
            || c == '\u{fe0f}'
            || ('\u{2190}'..='\u{2BFF}').contains(&c)
            || ('\u{1F000}'..='\u{1FAFF}').contains(&c)
    })
}

/// `text` without a bracketed aside it ends on, when something stands before it.
fn without_closing_aside(text: &str) -> &str {
    if !text.ends_with(')') {
        return text;
    }
    let mut depth = 0usize;
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let before = text[..i].trim_end();
                    return if before.is_empty() { text } else { before };
                }
            }
            _ => {}
        }
    }
    text
}

/// Verbs of answering that a request ends with (`설명해 주세요`, `비교해 보세요`, `서술하시오`), spaces removed.
const ANSWERING: [&str; 23] = [
    "설명",
    "말",
    "말씀",
    "답",
    "비교",
    "서술",
    "정의",
    "나열",
    "소개",
    "이야기",
    "계산",
    "구현",
    "작성",
    "구분",
    "정리",
    "설계",
    "분석",
    "제시",
    "증명",
    "들어",
    "만들어",
    "그려",
    "풀어",
];

/// How a request to answer ends after its verb (`해 주세요`, `해보세요`, `하시오`, `해 주십시오`), spaces removed.
const REQUESTS: [&str; 14] = [
    "해주세요",
    "해보세요",
    "해주시겠어요",
    "해주십시오",
    "해보십시오",
    "하시오",
    "하세요",
    "해봐요",
    "해줘",
    "주세요",
    "보세요",
    "보시오",
    "주시오",
    "주십시오",
];

/// How a question without a `?` ends (`무엇인가요`, `동작하나요`, `입니까`), besides [`ends_in_n_ga`]. Not `…는지`: an
/// answer's point ends so as often (`비었는지`).
const QUESTION_ENDINGS: [&str; 5] = ["인가요", "나요", "까요", "니까", "을까"];

/// Whether `tail` ends in `-ㄴ가`, the plain question ending (`필요한가`, `무엇인가`, `사용하는가`).
fn ends_in_n_ga(tail: &str) -> bool {
    let mut last = tail.chars().rev();
    last.next() == Some('가')
        && last
            .next()
            .is_some_and(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c) && (c as u32 - 0xAC00) % 28 == 4)
}

/// [`asks`] for a line that does not end in `?`: one sentence, ending (full stops and spaces aside) in a request
/// to answer, a question ending, or a topic left open (`…의 차이점은.`).
fn asks_without_mark(text: &str) -> bool {
    let text = text.trim_end();
    // A line trailing off (`가상 메모리는...`) leads into what follows.
    if text.ends_with("..") || text.ends_with('…') {
        return false;
    }
    let text = text.trim_end_matches(['.', '!', '。', ':', ',', ' ']);
    // A line in brackets or quotes is an aside or a title.
    if text.is_empty() || text.ends_with([')', ']', '"', '\'', '`', '*']) {
        return false;
    }
    // Every form ends on one of a few syllables: most lines, ending on `다` or a noun, are told by their last one.
    if !text.ends_with(['요', '오', '줘', '까', '가', '은', '는']) {
        return false;
    }
    // The last few characters without spaces (`설명해 주세요` is `설명해주세요`), on the stack.
    let mut buf = [0u8; 48];
    let mut start = buf.len();
    for c in text.chars().rev().filter(|c| !c.is_whitespace()) {
        let len = c.len_utf8();
        if start < len {
            break;
        }
        start -= len;
        c.encode_utf8(&mut buf[start..]);
    }
    let Ok(tail) = std::str::from_utf8(&buf[start..]) else {
        return false;
    };
    let request = REQUESTS.iter().any(|end| {
        tail.strip_suffix(end)
            .is_some_and(|before| ANSWERING.iter().any(|verb| before.ends_with(verb)))
    });
    if request {
        return true;
    }
    if QUESTION_ENDINGS.iter().any(|end| tail.ends_with(end)) || ends_in_n_ga(tail) {
        return true;
    }
    // A topic left open (`…의 차이점은`): a noun and its particle, nothing after, in a short line.
    // A sentence that goes on after a full stop explains.
    let short = text.chars().count() <= 60 && !text.contains(". ");
    // `장점은` alone is a label over a list; `…의 장점은` asks. A term with `란` and no `?` (`프로세스(Process) 란`) is
    // the start of its own definition inside an answer, not a question put to the reader.
    short && tail.ends_with(['은', '는']) && text.contains(' ')
}

/// `rest` of `Q. rest`, `Q: rest`, `Q) rest`, `Q1. rest`, `Q1) rest`.
pub(super) fn strip_q_marker(text: &str) -> Option<&str> {
    strip_marker(text, 'Q')
}

/// `rest` of `A. rest`, `A: rest`, `A) rest`.
pub(super) fn strip_a_marker(text: &str) -> Option<&str> {
    strip_marker(text, 'A')
}

fn strip_marker(text: &str, letter: char) -> Option<&str> {
    let rest = text.trim_start().strip_prefix(letter)?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix(['.', ':', ')'])?;
    Some(rest.trim_start())
}

/// The source offset just past the `A.` marker of the line starting at `start` (markup around it included).
pub(super) fn skip_a_marker(src: &str, start: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = start;
    let skip = |i: &mut usize, pred: &dyn Fn(u8) -> bool| {
        while *i < bytes.len() && pred(bytes[*i]) {
            *i += 1;
        }
    };
    skip(&mut i, &|b| matches!(b, b' ' | b'\t' | b'*' | b'_'));
    if bytes.get(i) != Some(&b'A') {
        return start;
    }
    i += 1;
    skip(&mut i, &|b| b.is_ascii_digit());
    if !matches!(bytes.get(i), Some(b'.' | b':' | b')')) {
        return start;
    }
    i += 1;
    skip(&mut i, &|b| matches!(b, b' ' | b'\t' | b'*' | b'_'));
    i
}

/// Removes the common indentation of the non-blank lines.
pub(super) fn dedent(text: &str) -> String {
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let common = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(indent)
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.get(common.min(indent(line))..).unwrap_or(""));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::asks;

    #[test]
    fn a_line_asks_with_a_mark_a_request_to_answer_or_a_question_ending() {
        for line in [
            "TCP와 UDP의 차이는?",
            "프로세스와 스레드의 차이를 설명해보세요.",
            "가비지 컬렉션에 대해 설명해 주세요",
            "인덱스를 말해 보세요.",
            "정규화를 설명하시오",
            "캐시란 무엇인가요.",
            "트랜잭션 격리 수준은 어떻게 동작하나요",
            "JVM은 왜 필요한가",
            "HTTP와 HTTPS의 차이점은.",
            "예를 들어 주세요",
            "리눅스는 프로세스의 트리를 이룹니다. 그 루트에 대해 설명해 주세요.",
            "스레드는 PCB를 가질까요? (힌트: 무엇을 나눠 쓰는지)",
        ] {
            assert!(asks(line), "{line}");
        }
    }

    #[test]
    fn statements_labels_asides_and_lines_trailing_off_do_not_ask() {
        for line in [
            "프로세스는 실행 중인 프로그램이다.",
            "참고해 주세요.",
            "스타를 눌러 주세요",
            "장점은",
            "가상 메모리는...",
            "비었는지",
            "프로세스(Process) 란",
            "(자세히 설명해 주세요)",
            "..?",
            "메모리는 페이지로 나뉜다. 페이지의 크기는",
        ] {
            assert!(!asks(line), "{line}");
        }
    }
}
