//! What turns the markup people paste into notes into the markdown they meant: HTML tags as their markdown,
//! `:shortcode:` emoji as the emoji, and the words, links and images that only navigate a repo recognised, so the
//! parser can leave them out. Everything here works on strings and is pure.

use std::borrow::Cow;

/// `char::is_alphabetic`, answered without a table lookup for ASCII and Hangul syllables.
pub(super) fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || (!c.is_ascii() && c.is_alphabetic())
}

/// `char::is_alphanumeric`, answered without a table lookup for ASCII and Hangul syllables.
pub(super) fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{AC00}'..='\u{D7A3}').contains(&c) || (!c.is_ascii() && c.is_alphanumeric())
}

/// The letters of `text`, lower-cased: what headings and link texts are compared by, so that case, spacing,
/// numbering, brackets, emoji and punctuation make no difference.
pub(super) fn letters_key(text: &str, max: usize) -> Option<String> {
    let mut key = String::with_capacity(text.len().min(max + 4));
    // A shortcode needs two colons; most text has none.
    let text = if memchr::memchr(b':', text.as_bytes()).is_some() {
        strip_shortcodes(text)
    } else {
        Cow::Borrowed(text)
    };
    // Read byte by byte: ASCII needs no decoding, and a Hangul syllable (its own lower case) is copied as its
    // three bytes.
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if b.is_ascii_alphabetic() {
                key.push(char::from(b.to_ascii_lowercase()));
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            let len = c.len_utf8();
            if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                key.push_str(&text[i..i + len]);
            } else if c.is_alphabetic() {
                key.extend(c.to_lowercase());
            }
            i += len;
        }
        if key.len() > max {
            return None;
        }
    }
    Some(key)
}

/// The name of the shortcode that starts at `rest[open]` (a `:`), when there is one: `:rocket:`, `:+1:`,
/// `:white_check_mark:`; not a time such as `10:30:` or a word glued to the colons.
fn shortcode_at(rest: &str, open: usize) -> Option<&str> {
    if rest[..open].chars().next_back().is_some_and(is_alnum) {
        return None;
    }
    let after = &rest[open + 1..];
    let len = after
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '+' | '-')))
        .unwrap_or(after.len());
    let name = &after[..len];
    let closes = after[len..].starts_with(':');
    let glued = after[len..].chars().nth(1).is_some_and(is_alnum);
    let named = name.bytes().any(|b| b.is_ascii_lowercase() || b == b'+');
    (closes && !glued && named).then_some(name)
}

/// `text` with every `:shortcode:` replaced by what `with` gives for its name (the shortcode is kept when it
/// gives `None`).
fn map_shortcodes<'t>(text: &'t str, with: impl Fn(&str) -> Option<&'static str>) -> Cow<'t, str> {
    let mut out: Option<String> = None;
    // `text[done..]` is what is not yet copied to `out`; `from` is where to look for the next colon.
    let (mut done, mut from) = (0, 0);
    while let Some(found) = text[from..].find(':') {
        let open = from + found;
        let replaced = shortcode_at(&text[done..], open - done).and_then(|name| Some((name.len(), with(name)?)));
        match replaced {
            Some((len, emoji)) => {
                let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                out.push_str(&text[done..open]);
                out.push_str(emoji);
                done = open + len + 2;
                from = done;
            }
            None => from = open + 1,
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[done..]);
            Cow::Owned(out)
        }
    }
}

/// Where `text` may hold a shortcode: each colon followed by a name's first character, in order. Most colons in
/// notes (`장점: 빠르다`) are not, and one pass over the whole text spares a look at every piece of it.
pub(super) fn shortcode_colons(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes)
        .filter(|&colon| {
            bytes
                .get(colon + 1)
                .is_some_and(|&n| n.is_ascii_lowercase() || n.is_ascii_digit() || n == b'+')
        })
        .collect()
}

/// `:emoji:` shortcodes removed (`:rocket:`, `:+1:`); times such as `10:30:` are left alone. For questions,
/// whose text is part of a card's id.
pub(super) fn strip_shortcodes(text: &str) -> Cow<'_, str> {
    map_shortcodes(text, |_| Some(""))
}

/// GitHub's `:emoji:` shortcodes as the emoji they stand for; a name GitHub does not know is left as it is.
pub(super) fn emoji_shortcodes(text: &str) -> Cow<'_, str> {
    map_shortcodes(text, |name| emojis::get_by_shortcode(name).map(|e| e.as_str()))
}

/// Link texts that only move the reader around a repo (compared by [`letters_key`]).
const NAV_WORDS: [&str; 30] = [
    "위로",
    "위로가기",
    "맨위로",
    "맨위로가기",
    "뒤로",
    "뒤로가기",
    "처음으로",
    "처음으로가기",
    "목차",
    "목차로",
    "목차로가기",
    "돌아가기",
    "홈",
    "홈으로",
    "이전",
    "다음",
    "이전글",
    "다음글",
    "top",
    "totop",
    "backtotop",
    "gototop",
    "back",
    "home",
    "up",
    "prev",
    "previous",
    "next",
    "index",
    "readme",
];

/// Whether a link's text says it only navigates: a navigation word, or no letters at all (`⬆`, `:arrow_up:`).
pub(super) fn is_nav_text(text: &str) -> bool {
    letters_key(text, 16).is_some_and(|key| key.is_empty() || NAV_WORDS.contains(&key.as_str()))
}

/// Whether a link's address goes back into the repo rather than to something to read: an anchor of the same
/// page, a README or index, or a GitHub repo's front page.
pub(super) fn is_nav_url(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') {
        return true;
    }
    let path = url.split(['#', '?']).next().unwrap_or("").trim_end_matches('/');
    let low = path.to_ascii_lowercase();
    let file = low.rsplit('/').next().unwrap_or("");
    if matches!(
        file,
        "readme.md" | "readme" | "index.md" | "index.html" | "." | ".." | ""
    ) && !low.contains("://")
    {
        return true;
    }
    if matches!(file, "readme.md" | "index.md") {
        return true;
    }
    // https://github.com/owner/repo, …/tree/branch: the repo's front page.
    if let Some(rest) = low
        .strip_prefix("https://github.com/")
        .or_else(|| low.strip_prefix("http://github.com/"))
    {
        let parts: Vec<&str> = rest.split('/').collect();
        return parts.len() == 2 || (parts.len() <= 4 && parts.get(2) == Some(&"tree"));
    }
    false
}

/// Whether an image is a badge or an avatar (shields.io-style status badges, visit counters, GitHub avatars and
/// contributor mosaics, Gravatar): decoration, not a figure of the answer.
pub(super) fn is_badge_image(src: &str) -> bool {
    let low = src.to_ascii_lowercase();
    [
        "shields.io",
        "badgen.net",
        "badge.fury.io",
        "/badge",
        "badges/",
        "badge.svg",
        "visitor-badge",
        "hits.dwyl.",
        "hits.seeyoufarm.com",
        "hits.sh/",
        "komarev.com/ghpvc",
        "contrib.rocks",
        "opencollective.com/",
        "avatars",
        "gravatar.com",
    ]
    .iter()
    .any(|mark| low.contains(mark))
}

/// The length of the kramdown attribute list that `text` starts with (`{: width="400"}`, `{:.center}`,
/// `{: .notice--info}`, `{:target="_blank"}`: what a Jekyll blog writes after an image, link or paragraph to style
/// it), or `None` when `text` does not start with one. Every word inside must be a class (`.x`), an id (`#x`), an
/// attribute (`x=1`, `x="a b"`) or a name; the list ends on its line.
pub(super) fn attribute_list_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix("{:")?;
    let bytes = body.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':');
    let mut i = 0;
    let mut words = 0;
    loop {
        while bytes.get(i).is_some_and(|&b| b == b' ' || b == b'\t') {
            i += 1;
        }
        match *bytes.get(i)? {
            b'}' if words > 0 => return Some(2 + i + 1),
            b'.' | b'#' => i += 1,
            b if is_name(b) => {}
            _ => return None,
        }
        let name = i;
        while bytes.get(i).copied().is_some_and(is_name) {
            i += 1;
        }
        if i == name {
            return None;
        }
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            match *bytes.get(i)? {
                q @ (b'"' | b'\'') => {
                    let close = body[i + 1..].find([q as char, '\n'])?;
                    if bytes[i + 1 + close] != q {
                        return None;
                    }
                    i += close + 2;
                }
                _ => {
                    while bytes.get(i).is_some_and(|&b| !matches!(b, b' ' | b'\t' | b'}' | b'\n')) {
                        i += 1;
                    }
                }
            }
        }
        words += 1;
    }
}

/// Whether `text` names a licence (`license`, `licence`, `Licence`, `라이선스`, `라이센스`; an all-capitals `LICENSE`
/// is left to [`opens_like_licence`]): told of a whole file first, so that in most files a block is only asked
/// [`opens_like_licence`], and then of each block. Two scans of the bytes, whatever the file holds.
pub(super) fn mentions_licence(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"icen").is_some() {
        return true;
    }
    // `라이선스` and `라이센스` share `라이` and the first two bytes of `선` and `센`; `클라이언트` and `라이브러리`
    // share less.
    let prefix = "라이선".as_bytes();
    memchr::memmem::find_iter(bytes, &prefix[..8]).any(|at| {
        let rest = &bytes[at + 8..];
        matches!(rest.first(), Some(0xA0 | 0xBC)) && rest[1..].starts_with("스".as_bytes())
    })
}

/// The first line of a block that says something: markup, quote marks and code fences passed over.
fn first_line(text: &str) -> Option<&str> {
    let markup = |c: char| c.is_whitespace() || matches!(c, '>' | '*' | '_' | '#' | '|');
    text.lines()
        .map(|line| line.trim_matches(markup))
        .find(|line| !line.is_empty() && !line.starts_with("```") && !line.starts_with("~~~"))
}

/// Whether a block's first line opens as a copyright line or is a licence's title (`Copyright (c) …`, `© 2020 …`,
/// `GNU GENERAL PUBLIC LICENSE`): a look at a few bytes that tells whether [`is_licence_notice`] need be asked of a
/// block in a file that never names a licence in lower case.
pub(super) fn opens_like_licence(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Past markup and blank lines, and the line that opens a code fence.
    loop {
        while bytes
            .get(at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'>' | b'*' | b'_' | b'#' | b'|'))
        {
            at += 1;
        }
        if !(bytes[at..].starts_with(b"```") || bytes[at..].starts_with(b"~~~")) {
            break;
        }
        match memchr::memchr(b'\n', &bytes[at..]) {
            Some(end) => at += end + 1,
            None => return false,
        }
    }
    let rest = &bytes[at..];
    let starts = |word: &[u8]| rest.get(..word.len()).is_some_and(|b| b.eq_ignore_ascii_case(word));
    // A title is a short line: only its first 60 bytes are looked at.
    let head = &rest[..rest.len().min(61)];
    let line = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
    let line = line.trim_ascii_end();
    let titled = line.len() <= 60
        && [&b"license"[..], b"licence"].iter().any(|word| {
            line.len()
                .checked_sub(word.len())
                .is_some_and(|cut| line[cut..].eq_ignore_ascii_case(word))
        });
    starts("©".as_bytes()) || starts(b"copyright") || starts(b"(c)") || titled
}

/// Whether a block (its markdown, or the markdown of its HTML) is a licence notice rather than part of an answer:
/// a copyright line (`Copyright (c) 2020 …`, `© 2020 …`), the text of a licence (`MIT License` and its terms), or a
/// short statement that puts the work under one (`This work is licensed under …`, `이 저작물은 … 라이선스에 따라
/// 이용할 수 있습니다`). A note about licences (`GPL은 … 라이선스다`) is none of these.
pub(super) fn is_licence_notice(text: &str) -> bool {
    if text.len() > 4000 {
        return false;
    }
    let Some(first) = first_line(text) else {
        return false;
    };
    let first = first.trim_start_matches("**").trim_end_matches("**").to_lowercase();
    let copyright = first.starts_with('©')
        || ["copyright", "(c)"].iter().any(|word| {
            first.strip_prefix(word).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.starts_with(['©', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) || rest.starts_with("(c)")
            })
        });
    if copyright {
        return true;
    }
    let name = first.trim_start_matches("the ").trim_end_matches("(mit)").trim_end();
    let titled = name.len() <= 60 && (name.ends_with("license") || name.ends_with("licence"));
    // A statement is short; a longer block is a notice only as a licence's text, under its title.
    let short = text.len() <= 800;
    if !titled && !short {
        return false;
    }
    let low = text.to_lowercase();
    let terms = titled
        && ["permission", "copyright", "warranty", "licensed"]
            .iter()
            .any(|w| low.contains(w));
    let licence_word = ["license", "licence", "라이선스", "라이센스"]
        .iter()
        .any(|w| low.contains(w));
    let this_work = [
        "this work",
        "this project",
        "this repository",
        "this repo",
        "this content",
        "this material",
        "이 저작물",
        "본 저작물",
        "이 프로젝트",
        "본 프로젝트",
        "이 저장소",
        "본 저장소",
        "이 레포",
        "이 문서",
        "본 문서",
        "이 자료",
        "본 자료",
    ]
    .iter()
    .any(|w| low.contains(w))
        || ["licensed under", "released under", "distributed under"]
            .iter()
            .any(|w| first.starts_with(w));
    terms || (short && licence_word && this_work)
}

/// Whether `line` is a thematic break (`---`, `***`, `___`, `- - -`).
pub(super) fn is_rule_line(line: &str) -> bool {
    let line = line.trim();
    let Some(first) = line.chars().next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    line.chars().all(|c| c == first || c == ' ' || c == '\t') && line.chars().filter(|&c| c == first).count() >= 3
}

/// Thematic breaks at either end of an answer removed, with the blank lines next to them. A `---` right under a
/// line of text is that line's setext underline, not a break, and stays.
#[cfg(test)]
pub(super) fn trim_rules(text: &str) -> &str {
    &text[rules_trimmed(text)]
}

/// Where [`trim_rules`] cuts `text`: the byte range it keeps.
pub(super) fn rules_trimmed(whole: &str) -> std::ops::Range<usize> {
    // Most answers neither start nor end with a rule character: nothing to look at.
    let is_mark = |c: Option<char>| matches!(c, Some('-' | '*' | '_'));
    let kept = whole.trim();
    if !is_mark(kept.chars().next()) && !is_mark(kept.chars().next_back()) {
        let start = whole.len() - whole.trim_start().len();
        return start..start + kept.len();
    }
    let start_of = |part: &str| part.as_ptr() as usize - whole.as_ptr() as usize;
    let kept = trim_rules_str(whole);
    start_of(kept)..start_of(kept) + kept.len()
}

fn trim_rules_str(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        let first_end = text.find('\n').unwrap_or(text.len());
        if is_rule_line(&text[..first_end]) {
            text = text[first_end..].trim();
            continue;
        }
        let last_start = text.rfind('\n').map_or(0, |i| i + 1);
        if last_start > 0 && is_rule_line(&text[last_start..]) {
            let above = &text[..last_start - 1];
            let previous = above.rsplit('\n').next().unwrap_or("");
            // `text\n---` is a setext heading; `***` and `___` never are.
            if previous.trim().is_empty() || !text[last_start..].trim_start().starts_with('-') {
                text = above.trim();
                continue;
            }
        }
        if last_start == 0 && is_rule_line(text) {
            return &text[text.len()..];
        }
        return text;
    }
}

/// Where in the markdown an inline HTML tag stands, which decides what some tags become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum At {
    /// Inside a paragraph or heading: `<br>` is a hard line break.
    Inline,
    /// Inside a table cell, where a line break would end the row: `<br>` is a space.
    Cell,
    /// The last thing in its paragraph: a `<br>` there breaks nothing.
    LineEnd,
    /// A block of raw HTML, converted as a whole.
    Block,
}

/// The lower-case name of a tag (`<a href=…>` is `a`, `</P>` is `p`), or `""` for text that is no tag.
pub(super) fn tag_name(tag: &str) -> String {
    let inside = tag.strip_prefix('<').unwrap_or(tag).trim_start_matches('/');
    inside
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The value of attribute `name` in a tag (`href` of `<a href="x">`), entities left as they are.
pub(super) fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let low = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = low[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = low[..at].ends_with(|c: char| c.is_whitespace());
        let rest = low[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let value = tag[value_at..].trim_start();
        let start = tag.len() - value.len();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &tag[start + 1..];
                &body[..body.find(q).unwrap_or(body.len())]
            }
            _ => {
                let end = value
                    .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .unwrap_or(value.len());
                &value[..end]
            }
        });
    }
    None
}

/// A link destination written so that markdown reads it whole, spaces and parentheses included.
fn destination(url: &str) -> String {
    let url = url.trim();
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace(['<', '>'], ""))
    } else {
        url.to_owned()
    }
}

/// Turns HTML tags into markdown one at a time, remembering the links that are open.
#[derive(Debug, Default)]
pub(super) struct HtmlToMarkdown {
    /// The destination of each open `<a>`, `None` for an anchor without `href`.
    links: Vec<Option<String>>,
}

impl HtmlToMarkdown {
    /// Whether an `<a href>` is open: its text is a link's, not prose.
    pub(super) fn in_link(&self) -> bool {
        self.links.iter().any(Option::is_some)
    }

    /// The markdown for one tag, or `None` for a tag that is not HTML markup of a kind notes use (`<T>`,
    /// `<String>`), which stays as text.
    pub(super) fn tag(&mut self, tag: &str, at: At) -> Option<Cow<'static, str>> {
        let name = tag_name(tag);
        let closing = tag.starts_with("</");
        let block = at == At::Block;
        let blank = if block { "\n\n" } else { "" };
        let out: Cow<'static, str> = match name.as_str() {
            "br" => match at {
                At::Cell => " ".into(),
                At::LineEnd => "".into(),
                At::Inline | At::Block => "  \n".into(),
            },
            "p" | "div" | "center" | "section" | "article" | "header" | "footer" | "main" | "figure" | "figcaption"
            | "nav" | "aside" | "blockquote" | "details" | "table" | "thead" | "tbody" | "tfoot" | "ul" | "ol"
            | "dl" | "dt" | "dd" | "caption" => blank.into(),
            "span" | "font" | "u" | "ins" | "mark" | "small" | "big" | "abbr" | "cite" | "dfn" | "label" | "sub"
            | "nobr" | "wbr" | "input" | "button" | "iframe" | "video" | "audio" | "source" | "picture" | "svg"
            | "meta" | "link" | "object" | "embed" | "colgroup" | "col" | "q" => "".into(),
            // 2<sup>-1</sup> reads 2^-1: without the caret it would read as 2-1.
            "sup" if closing => "".into(),
            "sup" => "^".into(),
            "b" | "strong" => "**".into(),
            "em" | "i" => "*".into(),
            "s" | "del" | "strike" => "~~".into(),
            "code" | "kbd" | "samp" | "var" | "tt" => "`".into(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "summary" => match (closing, block) {
                (false, true) => "\n\n**".into(),
                (true, true) => "**\n\n".into(),
                _ => "**".into(),
            },
            "li" if closing => "".into(),
            "li" => "\n- ".into(),
            "tr" if closing => if at == At::Cell { " " } else { "  \n" }.into(),
            "tr" => "".into(),
            "td" | "th" if closing => " | ".into(),
            "td" | "th" => "".into(),
            "pre" if closing => "\n```\n\n".into(),
            "pre" => "\n\n```\n".into(),
            "hr" => "\n\n---\n\n".into(),
            "a" if closing => match self.links.pop() {
                Some(Some(url)) => format!("]({})", destination(&url)).into(),
                _ => "".into(),
            },
            "a" => {
                let href = attr(tag, "href").map(str::to_owned);
                let open = if href.is_some() { "[" } else { "" };
                self.links.push(href);
                open.into()
            }
            "img" => {
                let alt = attr(tag, "alt").or_else(|| attr(tag, "title")).unwrap_or("").trim();
                let alt = alt.replace(['[', ']'], "");
                match attr(tag, "src") {
                    Some(src) => format!("![{alt}]({})", destination(src)).into(),
                    None if alt.is_empty() => "".into(),
                    None => format!("[image: {alt}]").into(),
                }
            }
            _ if tag.starts_with("<!") || tag.starts_with("<?") => "".into(),
            _ => return None,
        };
        Some(out)
    }
}

/// Whether a tag is HTML markup of a kind notes use (one [`HtmlToMarkdown::tag`] converts), not text such as
/// `<T>`.
pub(super) fn is_markup(tag: &str) -> bool {
    HtmlToMarkdown::default().tag(tag, At::Inline).is_some()
}

/// A block of raw HTML as markdown, and whether it holds prose (letters outside links and images).
///
/// Whitespace outside `<pre>` is collapsed within each line, so indentation in the HTML never becomes a markdown
/// code block, and lines stay lines; comments are dropped; entities are kept, since markdown reads them the same way.
pub(super) fn html_block_to_markdown(html: &str) -> (String, bool) {
    let mut conv = HtmlToMarkdown::default();
    let mut out = String::with_capacity(html.len());
    let mut prose = false;
    let mut pre = 0usize;
    let mut rest = html;
    let push_text = |out: &mut String, text: &str, pre: bool| {
        if pre {
            // A newline right after `<pre>` is not part of the code, as in HTML.
            let text = if out.ends_with("```\n") {
                text.strip_prefix('\n').unwrap_or(text)
            } else {
                text
            };
            out.push_str(text);
            return;
        }
        // Lines stay lines (what follows a tag on the next line is often markdown: `<img …>` then `* item`);
        // within a line, runs of blanks are one space, and indentation goes so it never makes a code block.
        for (l, line) in text.split('\n').enumerate() {
            if l > 0 {
                let kept = out.trim_end_matches(' ').len();
                out.truncate(kept);
                out.push('\n');
            }
            for (n, word) in line.split_whitespace().enumerate() {
                let glued = n == 0 && !line.starts_with(char::is_whitespace);
                if !glued && !out.is_empty() && !out.ends_with(['\n', ' ']) {
                    out.push(' ');
                }
                out.push_str(word);
            }
            if line.ends_with(char::is_whitespace) && !out.is_empty() && !out.ends_with(['\n', ' ']) {
                out.push(' ');
            }
        }
    };
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        prose |= !conv.in_link() && has_letters(text);
        push_text(&mut out, text, pre > 0);
        let tail = &rest[lt..];
        if let Some(comment) = tail.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = tail.find('>') else {
            push_text(&mut out, tail, pre > 0);
            rest = "";
            break;
        };
        let tag = &tail[..=gt];
        let name = tag_name(tag);
        match conv.tag(tag, At::Block) {
            Some(md) => {
                if md.starts_with('\n') || md.starts_with("  \n") {
                    let closes_pre = name == "pre" && tag.starts_with("</");
                    let kept = out.trim_end_matches(|c| c == ' ' || (closes_pre && c == '\n')).len();
                    out.truncate(kept);
                }
                // A line break kept from the source already ends the line a block tag would end.
                let md = if out.ends_with('\n') {
                    md.strip_prefix('\n').unwrap_or(&md)
                } else {
                    &md
                };
                out.push_str(md);
                if name == "pre" {
                    pre = if tag.starts_with("</") {
                        pre.saturating_sub(1)
                    } else {
                        pre + 1
                    };
                }
            }
            None => {
                prose |= !conv.in_link() && has_letters(tag);
                out.push_str(tag);
            }
        }
        rest = &tail[gt + 1..];
    }
    prose |= !conv.in_link() && has_letters(rest);
    push_text(&mut out, rest, pre > 0);
    (squeeze_blank_lines(&out), prose)
}

/// Whether `text` has letters or digits once entities are read: `&nbsp;` alone is no prose.
fn has_letters(text: &str) -> bool {
    if !text.contains('&') {
        return text.chars().any(|c| c.is_alphanumeric());
    }
    html_escape::decode_html_entities(text)
        .chars()
        .any(|c| c.is_alphanumeric())
}

/// Runs of blank lines become one blank line; spaces at the start of lines outside code fences and at the ends of
/// lines other than hard breaks removed.
fn squeeze_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    let mut fence = false;
    for line in text.lines() {
        let is_fence = line.trim_start().starts_with("```");
        if !fence && line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 && !fence { "\n\n" } else { "\n" });
        }
        blank = 0;
        if fence && !is_fence {
            out.push_str(line.trim_end());
        } else if line.ends_with("  ") {
            out.push_str(line.trim_start());
        } else {
            out.push_str(line.trim());
        }
        if is_fence {
            fence = !fence;
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_emoji_and_unknown_ones_stay() {
        assert_eq!(emoji_shortcodes("감사합니다 :pray: :+1:"), "감사합니다 🙏 👍");
        assert_eq!(emoji_shortcodes("회의 10:30: 정리"), "회의 10:30: 정리");
        assert_eq!(emoji_shortcodes("a :not_an_emoji_name: b"), "a :not_an_emoji_name: b");
        assert_eq!(strip_shortcodes("## :rocket: 배포"), "##  배포");
        assert!(matches!(emoji_shortcodes("시간 :"), Cow::Borrowed(_)));
    }

    #[test]
    fn navigation_words_urls_and_badges() {
        for nav in [
            "위로",
            "⬆ 맨 위로",
            "[뒤로]",
            "Back to top",
            ":arrow_up:",
            "↑",
            "목차로",
        ] {
            assert!(is_nav_text(nav), "{nav}");
        }
        for text in ["TCP", "참고 링크", "동일 출처 정책"] {
            assert!(!is_nav_text(text), "{text}");
        }
        for url in [
            "#top",
            "../README.md",
            "./README.md#네트워크",
            "https://github.com/owner/repo",
            "https://github.com/owner/repo/tree/main",
            "https://github.com/owner/repo/blob/main/README.md",
        ] {
            assert!(is_nav_url(url), "{url}");
        }
        for url in [
            "https://developer.mozilla.org/ko/docs/Web/HTTP/CORS",
            "os/process.md",
            "https://github.com/o/r/blob/main/os.md",
        ] {
            assert!(!is_nav_url(url), "{url}");
        }
        assert!(is_badge_image("https://img.shields.io/badge/license-MIT-blue"));
        assert!(is_badge_image("https://avatars1.githubusercontent.com/u/1?s=100&v=4"));
        assert!(is_badge_image("http://hits.dwyl.io/o/r.svg?style=popout"));
        assert!(is_badge_image("https://contrib.rocks/image?repo=o/r"));
        assert!(!is_badge_image("images/tcp-handshake.png"));
    }

    #[test]
    fn kramdown_attribute_lists_are_told_from_braces_in_prose() {
        for (text, len) in [
            ("{: width=\"400\"} 뒤", 15),
            ("{:.center}", 10),
            ("{: .notice--info}", 17),
            ("{:target=\"_blank\" .x}", 21),
            ("{: width=\"50%\" height=50% #fig}", 31),
            ("{: style=\"border: 1px solid\"}", 29),
        ] {
            assert_eq!(attribute_list_len(text), Some(len), "{text}");
        }
        for text in [
            "{:}",
            "{: }",
            "{: 한글}",
            "{: width=\"4\n00\"}",
            "{: x",
            "{:a, b}",
            "{ .x}",
        ] {
            assert_eq!(attribute_list_len(text), None, "{text}");
        }
    }

    #[test]
    fn licence_notices_are_told_from_notes_about_licences() {
        for notice in [
            "Copyright (c) 2020 홍길동",
            "© 2021 Kim. All rights reserved.",
            "```\nMIT License\n\nCopyright (c) 2020 x\n\nPermission is hereby granted, free of charge…\n```",
            "This work is licensed under a [Creative Commons Attribution 4.0 License](http://creativecommons.org/licenses/by/4.0/).",
            "[![CC](https://i.creativecommons.org/l/by-nc/2.0/kr/88x31.png)](http://creativecommons.org/licenses/by-nc/2.0/kr/)  \n이 저작물은 [크리에이티브 커먼즈 저작자표시 2.0 대한민국 라이선스](http://creativecommons.org/licenses/by/2.0/kr/)에 따라 이용할 수 있습니다.",
            "**Licensed under** the Apache License, Version 2.0",
        ] {
            assert!(mentions_licence(notice) || opens_like_licence(notice), "{notice}");
            assert!(is_licence_notice(notice), "{notice}");
        }
        for note in [
            "GPL은 수정한 소스를 공개해야 하는 라이선스다.",
            "Copyright는 저작권이다. 저작물을 만든 사람이 가지는 권리.",
            "MIT License는 가장 자유로운 라이선스 중 하나로, 저작권 표시만 하면 된다.",
            "Java SE 11부터 Oracle JDK는 상용 라이선스로 바뀌었다.",
        ] {
            assert!(!is_licence_notice(note), "{note}");
        }
        assert!(!mentions_licence("## TCP\n\n클라이언트가 라이브러리를 부른다"));
        assert!(mentions_licence("오픈소스 라이센스") && mentions_licence("라이선스"));
        assert!(opens_like_licence("```\nGNU GENERAL PUBLIC LICENSE\n```"));
        assert!(!opens_like_licence("TCP는 연결 지향이다."));
    }

    #[test]
    fn rules_at_either_end_go_and_setext_underlines_stay() {
        assert_eq!(trim_rules("---\n\n답\n\n***\n"), "답");
        assert_eq!(trim_rules("답\n\n- - -\n\n"), "답");
        assert_eq!(trim_rules("답\n\n---\n\n둘"), "답\n\n---\n\n둘");
        assert_eq!(trim_rules("제목\n---"), "제목\n---");
        assert_eq!(trim_rules("---"), "");
        assert!(!is_rule_line("--"));
        assert!(!is_rule_line("-*-"));
    }

    #[test]
    fn attributes_are_read_quoted_or_not() {
        assert_eq!(
            attr(r#"<a href="https://x.io/a b" title='t'>"#, "href"),
            Some("https://x.io/a b")
        );
        assert_eq!(attr("<img src=x.png alt='그림'>", "src"), Some("x.png"));
        assert_eq!(attr("<img src=x.png alt='그림'>", "alt"), Some("그림"));
        assert_eq!(attr("<img data-src=x.png>", "src"), None);
        assert_eq!(tag_name("</P>"), "p");
    }

    #[test]
    fn html_blocks_become_their_markdown() {
        let (md, prose) = html_block_to_markdown(
            "<p align=\"center\">\n    <b>TCP</b>는 <em>연결</em> 지향<br>순서를 보장<sup>1</sup>\n</p>",
        );
        assert_eq!(md, "**TCP**는 *연결* 지향  \n순서를 보장^1");
        assert!(prose);
        let (md, prose) = html_block_to_markdown("<div align=\"right\"><a href=\"#top\">위로</a></div>");
        assert_eq!(md, "[위로](#top)");
        assert!(!prose);
        let (md, prose) = html_block_to_markdown("<img src=\"a.png\" alt=\"구조\" width=\"400\">");
        assert_eq!(md, "![구조](a.png)");
        assert!(!prose);
        let (md, _) = html_block_to_markdown("<ul>\n  <li>하나</li>\n  <li>둘</li>\n</ul>");
        assert_eq!(md, "- 하나\n- 둘");
        let (md, _) = html_block_to_markdown("<img src=\"p.png\">\n    * 프로세스는 자원을 할당받는다");
        assert_eq!(md, "![](p.png)\n* 프로세스는 자원을 할당받는다");
        let (md, _) = html_block_to_markdown("<pre>\nfn main() {\n    x();\n}\n</pre>");
        assert_eq!(md, "```\nfn main() {\n    x();\n}\n```");
        let (md, prose) = html_block_to_markdown("<!-- 메모 -->\n<br>\n&nbsp;");
        assert_eq!(md, "&nbsp;");
        assert!(!prose);
        let (md, _) = html_block_to_markdown("<h3>제목</h3>\n<p>본문 List&lt;T&gt;</p>");
        assert_eq!(md, "**제목**\n\n본문 List&lt;T&gt;");
    }

    #[test]
    fn unknown_tags_stay_as_text() {
        let mut conv = HtmlToMarkdown::default();
        assert_eq!(conv.tag("<T>", At::Inline), None);
        assert_eq!(conv.tag("<br/>", At::Cell).as_deref(), Some(" "));
        assert_eq!(conv.tag("<a href=\"u v\">", At::Inline).as_deref(), Some("["));
        assert!(conv.in_link());
        assert_eq!(conv.tag("</a>", At::Inline).as_deref(), Some("](<u v>)"));
        assert_eq!(conv.tag("<a name=\"x\">", At::Inline).as_deref(), Some(""));
        assert_eq!(conv.tag("</a>", At::Inline).as_deref(), Some(""));
    }
}
