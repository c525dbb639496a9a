#!/usr/bin/env python3
"""What amgi makes of real interview notes: cards, topics, findings and dirty answers per repo.

Called by bench/real-notes.sh, which builds the binary; see there for the usage. CORPUS_DIR holds one checkout
per repo, each folder named owner+name. Every repo is read on its own with a fresh --data-dir and without
AMGI_NOTES, through `cards --json`, `topics --json` and `check --json`.

A dirty answer is one whose markdown source still carries something that is not the note's content:
  html       raw HTML tags or comments outside code (<br>, </p>, <img src=…>, <!-- -->); generics such as
             Vec<T> or List<String> and comparisons such as a < b are not tags
  nav        a line made only of navigation links (위로, 목차, Back to top, ⬆, links to the repo's README)
             or badge and avatar images
  edge-rule  the answer opens or closes with a thematic break (---, ***, ___)
  shortcode  :emoji: shortcodes outside code (:pray:, :+1:), not times (10:30:) or URLs
`--show CATEGORY` prints up to 20 hits (card file:line and the offending line); `--sample N --seed S` prints N
cards picked at random for a person to judge; `--self-test` checks the detector on small strings.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

KINDS = ["stub", "open-question", "duplicate", "skipped", "unreadable"]
CATEGORIES = ["html", "nav", "edge-rule", "shortcode"]
SHOW_LIMIT = 20
SHOW_WIDTH = 100

# ---------------------------------------------------------------------------------------------------------------
# The detector: pure functions of an answer's markdown source.

# Fences nested in list items and block quotes count too: any indent, `>` markers and list markers before them.
FENCE = re.compile(r"^(?:[ \t>]|(?:[-*+]|\d{1,9}[.)])[ \t])*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")

# Known HTML tag names only, so that generics (Vec<T>, List<String>, Map<K, V>) are never taken for tags.
HTML_TAGS = (
    "a abbr b big blockquote br caption center cite code col colgroup dd del details div dl dt em figcaption "
    "figure font h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark nobr ol p picture pre q s samp small source "
    "span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var video wbr"
).split()
TAG = re.compile(
    r"(?<!\\)<(/?)(" + "|".join(sorted(HTML_TAGS, key=len, reverse=True)) + r")"
    r"(?:(\s*/?>)|\s+([A-Za-z][\w:-]*)\s*(?:(=)|/?>|\s|$))",
    re.IGNORECASE,
)
HTML_ATTRIBUTES = {"href", "name", "id", "class", "style", "align", "target", "title", "rel", "src"}
COMMENT = re.compile(r"<!--")

THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")

SHORTCODE = re.compile(r"(?<![A-Za-z0-9_:/])(:[a-z0-9_+\-]+:)(?![A-Za-z0-9_])")
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")

# Images first, then the links around them: ![alt](src), <img src=…>, [text](url), <a href="url">text</a>.
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[^)]*)?\)")
HTML_IMAGE = re.compile(r"<img\s[^>]*?src\s*=\s*[\"']?([^\"'\s>]*)[^>]*>", re.I)
LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[^)]*)?\)")
HTML_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']?([^\"'\s>]*)[^>]*>(.*?)</a>", re.I)
BADGE_MARK, IMAGE_MARK = "\x00", "\x01"
NAV_WORDS = {
    "위로", "맨위로", "맨위", "위로가기", "맨위로가기", "맨위로이동", "위로이동", "상단으로", "맨앞으로",
    "뒤로", "뒤로가기", "돌아가기", "처음으로", "처음으로가기", "처음으로돌아가기", "목차", "목차로",
    "목차로가기", "목차로돌아가기", "목차로이동", "홈", "홈으로", "메인으로", "이전", "다음", "이전글", "다음글",
    "top", "totop", "backtotop", "gotop", "gototop", "backtothetop", "topofpage", "back", "goback", "home",
    "backtohome", "tableofcontents", "toc", "backtotoc", "backtocontents", "backtoindex", "index", "prev",
    "previous", "next", "up",
}
# After dropping these, what is left of a link text is compared with NAV_WORDS; nothing left (⬆, :arrow_up:)
# counts as navigation too.
NAV_NOISE = re.compile(
    r":[a-z0-9_+\-]+:|[\s\[\](){}<>|/\\.,!?'\"*_~`#:;·•«»‹›\-–—=+^]|[\u2190-\u21ff\u2b00-\u2bff\u25a0-\u25ff"
    r"\u2700-\u27bf\ufe0f\u200d]|[\U0001f000-\U0001faff]"
)
BADGE = re.compile(r"img\.shields\.io|badgen\.|badge|avatars\d*\.githubusercontent|[?&]s=\d|hits\.seeyoufarm|"
                   r"opencollective\.com/.*/(?:contributors|backers|sponsors)|contrib\.rocks", re.I)
README_TARGET = re.compile(r"^(?![a-z][a-z0-9+.-]*:)(?:.*/)?(?:readme|index)(?:\.md|\.markdown)?(?:#.*)?$", re.I)
LIST_MARK = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])?\s*")


def prose_lines(answer):
    """The answer's lines as (index, original, text outside code); lines inside fenced code blocks are
    (index, original, None), and inline code spans are blanked out of the text."""
    out = []
    fence = None
    for i, line in enumerate(answer.split("\n")):
        m = FENCE.match(line)
        if fence is None:
            if m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
                fence = m.group(1)
                out.append((i, line, None))
            else:
                out.append((i, line, CODE_SPAN.sub(lambda s: " " * len(s.group(0)), line)))
        else:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
            out.append((i, line, None))
    return out


def html_hits(text):
    if COMMENT.search(text):
        return True
    for m in TAG.finditer(text):
        closing, name, bare, attribute, value = m.groups()
        if closing or value or (attribute or "").lower() in HTML_ATTRIBUTES:
            return True
        # Right after a name, <A>, <b> or <Table> is a generic (Pair<A>, List<b>, List<Table>), and a one-letter
        # tag with no attribute can be a comparison (a<b && c>d); only lower-case names longer than one letter
        # count there (word<br>). A one-letter tag elsewhere counts only in lower case (<b>, not the <A> of a
        # type parameter).
        after_name = m.start() > 0 and re.match(r"[A-Za-z0-9_$.)\]]", text[m.start() - 1])
        if len(name) == 1:
            if bare and name.islower() and not after_name:
                return True
        elif not (after_name and not name.islower()) and (bare or not after_name):
            return True
    return False


def nav_text(text):
    return bool(text.strip()) and NAV_NOISE.sub("", text).lower() in NAV_WORDS | {""}


def nav_line(text):
    """Whether a line (or list item) is made only of navigation links and badge images, with at most arrows,
    emoji, shortcodes and punctuation between them."""
    body = LIST_MARK.sub("", text, count=1).strip()
    found = False

    def image(m):
        nonlocal found
        found = True
        return BADGE_MARK if BADGE.search(m.group(1)) else IMAGE_MARK

    def link(m):
        nonlocal found
        label, target = m.group(2), m.group(1)
        if m.re is LINK:
            label, target = target, label
        if not (nav_text(label) or README_TARGET.search(target) or (label.strip() and not label.strip(BADGE_MARK))):
            return IMAGE_MARK
        found = True
        return " "

    body = HTML_IMAGE.sub(image, IMAGE.sub(image, body))
    body = HTML_LINK.sub(link, LINK.sub(link, body))
    return found and not NAV_NOISE.sub("", body.replace(BADGE_MARK, ""))


def shortcode_hits(text):
    text = URL.sub(" ", text)
    return any(re.search(r"[a-z+]", m.group(1)) for m in SHORTCODE.finditer(text))


def classify(answer):
    """{category: [offending original lines]} for the categories that hit the answer."""
    hits = {}
    lines = prose_lines(answer)

    def add(category, line):
        hits.setdefault(category, []).append(line)

    for _, line, text in lines:
        if text is None:
            continue
        if html_hits(text):
            add("html", line)
        if nav_line(text):
            add("nav", line)
        if shortcode_hits(text):
            add("shortcode", line)
    filled = [(line, text) for _, line, text in lines if line.strip()]
    edges = [filled[0], filled[-1]] if len(filled) > 1 else filled
    for line, text in edges:
        if text is not None and THEMATIC_BREAK.match(text):
            add("edge-rule", line)
            break
    return hits


# ---------------------------------------------------------------------------------------------------------------
# Self-test: the detector on strings written for it.

SELF_TESTS = [
    # (answer, categories expected)
    ("첫 줄<br>둘째 줄", {"html"}),
    ("첫 줄<br/>둘째", {"html"}),
    ("첫 줄 <BR />", {"html"}),
    ("<p align=\"center\">", {"html"}),
    ("</p>", {"html"}),
    ("<img src=\"a.png\" width=\"300\">", {"html"}),
    ("<img src=\"a.png\"", {"html"}),
    ("<a href=\"https://x.y\">링크</a>", {"html"}),
    ("H<sub>2</sub>O", {"html"}),
    ("<a href id=\"ref\">", {"html"}),
    ("<a name=ref>", {"html"}),
    ("<details><summary>정답</summary>", {"html"}),
    ("<!-- TODO -->", {"html"}),
    ("<h3>제목</h3>", {"html"}),
    ("<b>굵게</b>", {"html"}),
    ("문장 <b>굵게", {"html"}),
    ("Vec<T> 와 List<String> 은 제네릭이다.", set()),
    ("Map<K, V>, Pair<A, B>, Optional<Integer>", set()),
    ("Pair<A> 와 Box<B> 와 Foo<I>", set()),
    ("List<Table> 과 Optional<Sub> 과 Wrapper<Code>", set()),
    ("Hello<br>world", {"html"}),
    ("<details open>", {"html"}),
    ("<T> 타입 매개변수", set()),
    ("a < b 이고 b > c", set()),
    ("if (a<b && c>d)", set()),
    ("<https://example.com> 자동 링크", set()),
    ("`<br>` 태그는 줄바꿈", set()),
    ("``a <br> b``", set()),
    ("```html\n<div><br></div>\n```", set()),
    ("~~~\n<p>코드</p>\n~~~\n본문", set()),
    ("````\n```\n<br>\n```\n````", set()),
    ("- 항목\n\n    ```java\n    List<String> a; // <b>\n    ```\n- 끝", set()),
    ("> ```\n> <p>인용 속 코드</p>\n> ```", set()),
    ("* ```\n  a: b\n  ```\n\n* 다음 <br>", {"html"}),
    ("1. ```html\n   <div>\n   ```", set()),
    ("```\n<br>\n```\n<br>", {"html"}),
    ("\\<br> 이스케이프", set()),
    ("<script> 와 <button> 은 세지 않는다", set()),
    ("[위로](#top)", {"nav"}),
    ("- [⬆ 맨 위로](#목차)", {"nav"}),
    ("**[⬆️ Back to top](#table-of-contents)**", {"nav"}),
    ("[:arrow_up:](#top)", {"nav", "shortcode"}),
    ("[뒤로](https://github.com/x/y)", {"nav"}),
    ("[이전](a.md) | [목차](../README.md) | [다음](c.md)", {"nav"}),
    ("[네트워크](../README.md#network)", {"nav"}),
    ("[![stars](https://img.shields.io/github/stars/x)](https://github.com/x)", {"nav"}),
    ("<a href=\"#top\">위로</a>", {"nav", "html"}),
    ("![avatar](https://avatars.githubusercontent.com/u/1?v=4)", {"nav"}),
    ("[TCP 핸드셰이크](tcp.md) 를 참고", set()),
    ("[TCP](tcp.md)", set()),
    ("![그림](./img/tcp.png)", set()),
    ("- [위로](#top) 에서 다시 읽는다", set()),
    ("- []()", set()),
    ("> :arrow_double_up:[Top](#top)    :leftwards_arrow_with_hook:[Back](https://x.y/z#a)", {"nav", "shortcode"}),
    ("<img alt=\"x\" src=\"https://img.shields.io/twitter/follow/x.svg\" />", {"nav", "html"}),
    ("<a href=\"https://x.y\"><img src=\"https://img.shields.io/b.svg\"></a>", {"nav", "html"}),
    ("[![diagram](img/tcp.png)](img/tcp.png)", set()),
    ("[![stars](https://img.shields.io/s.svg)](https://x.y) [TCP](tcp.md)", set()),
    ("---\n본문", {"edge-rule"}),
    ("본문\n\n***", {"edge-rule"}),
    ("본문\n\n- - -\n", {"edge-rule"}),
    ("본문\n\n___", {"edge-rule"}),
    ("본문\n---\n더", set()),
    ("본문\n\n--", set()),
    ("```\n---\n```", set()),
    ("감사합니다 :pray:", {"shortcode"}),
    ("좋아요:+1:", {"shortcode"}),
    (":white_check_mark: 완료", {"shortcode"}),
    ("10:30: 회의", set()),
    ("https://example.com/:id:/x", set()),
    ("std::vector::push_back", set()),
    ("| :---: | :-: |", set()),
    ("`:pray:` 는 코드", set()),
    ("key:value:other", set()),
    ("평범한 답이다.\n\n- 항목 하나\n- 항목 둘", set()),
]


def self_test():
    failed = 0
    for answer, expected in SELF_TESTS:
        got = set(classify(answer))
        if got != expected:
            failed += 1
            print(f"FAIL {answer!r}: expected {sorted(expected)}, got {sorted(got)}")
    print(f"self-test: {len(SELF_TESTS) - failed}/{len(SELF_TESTS)} passed")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------------------------
# Reading the corpus through amgi.

SKIPPED_DIRS = {"node_modules", "target", ".github"}


def markdown_files(root):
    """The files amgi's walk reads: *.md and *.markdown, any case, outside hidden and skipped folders."""
    count = 0
    for _, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS]
        count += sum(1 for f in files if not f.startswith(".") and f.lower().endswith((".md", ".markdown")))
    return count


def amgi_lines(binary, notes, data_dir, *command):
    env = {k: v for k, v in os.environ.items() if k not in ("AMGI_NOTES", "AMGI_DATA")}
    run = subprocess.run([binary, "--notes", notes, "--data-dir", data_dir, *command], env=env,
                         capture_output=True, text=True)
    # `check` exits 1 when something is unreadable; anything else is amgi failing.
    if run.returncode not in (0, 1) or (run.returncode == 1 and command[0] != "check"):
        raise RuntimeError(f"{' '.join(command)} on {notes} exited {run.returncode}: {run.stderr.strip()}")
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def read_repo(binary, path):
    with tempfile.TemporaryDirectory(prefix="amgi-real-notes.") as data_dir:
        cards = amgi_lines(binary, path, data_dir, "cards", "--json")
        topics = amgi_lines(binary, path, data_dir, "topics", "--json")
        findings = amgi_lines(binary, path, data_dir, "check", "--json")
    return cards, topics, findings


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    def line(r):
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "-"


def truncate(text, width=SHOW_WIDTH):
    text = text.strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="a folder of checkouts, one per repo, named owner+name")
    parser.add_argument("--bin", required=False, help="the amgi binary")
    parser.add_argument("--show", choices=CATEGORIES, help=f"print up to {SHOW_LIMIT} hits of this category")
    parser.add_argument("--sample", type=int, default=0, metavar="N", help="print N cards picked at random")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="the seed of --sample")
    parser.add_argument("--self-test", action="store_true", help="check the detector and exit")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.corpus or not args.bin:
        parser.error("CORPUS_DIR and --bin are required")
    if not os.path.isdir(args.corpus):
        parser.error(f"{args.corpus} is not a folder")

    repos = sorted(d for d in os.listdir(args.corpus)
                   if not d.startswith(".") and os.path.isdir(os.path.join(args.corpus, d)))
    rows, everything = [], []
    totals = {"files": 0, "cards": 0, "topics": 0, "dirty": 0, **{k: 0 for k in KINDS}}
    other_kinds = {}
    per_category = {c: {"answers": 0, "lines": 0} for c in CATEGORIES}
    examples = {c: {} for c in CATEGORIES}
    for repo in repos:
        path = os.path.join(args.corpus, repo)
        files = markdown_files(path)
        try:
            cards, topics, findings = read_repo(args.bin, path)
        except RuntimeError as e:
            print(f"error: {e}", file=sys.stderr)
            rows.append([repo, files, "error", *[""] * (len(KINDS) + 3)])
            continue
        kinds = {k: 0 for k in KINDS}
        for f in findings:
            if f["kind"] in kinds:
                kinds[f["kind"]] += 1
            else:
                other_kinds[f["kind"]] = other_kinds.get(f["kind"], 0) + 1
        dirty = 0
        for card in cards:
            hits = classify(card["answer"])
            everything.append((repo, card))
            if hits:
                dirty += 1
            for category, lines in hits.items():
                per_category[category]["answers"] += 1
                per_category[category]["lines"] += len(lines)
                examples[category].setdefault(repo, []).append((card, lines[0]))
        rows.append([repo, files, len(cards), len(topics), *kinds.values(), dirty, percent(dirty, len(cards))])
        for key, value in [("files", files), ("cards", len(cards)), ("topics", len(topics)), ("dirty", dirty),
                           *kinds.items()]:
            totals[key] += value
    rows.append(["TOTAL", totals["files"], totals["cards"], totals["topics"], *(totals[k] for k in KINDS),
                 totals["dirty"], percent(totals["dirty"], totals["cards"])])

    print(f"corpus: {os.path.abspath(args.corpus)} ({len(repos)} repos), amgi: {args.bin}")
    print()
    table(["repo", "files", "cards", "topics", *KINDS, "dirty", "dirty %"], rows)
    for kind, count in sorted(other_kinds.items()):
        print(f"also {count} {kind} finding(s)")
    print()
    print("dirty answers by category (an answer can be in several):")
    table(["category", "answers", "% of cards", "lines"],
          [[c, per_category[c]["answers"], percent(per_category[c]["answers"], totals["cards"]),
            per_category[c]["lines"]] for c in CATEGORIES])

    if args.show:
        # One line per answer, taken from the repos in turn, so that one repo's habit does not fill the list.
        queues = [list(v) for v in examples[args.show].values()]
        picked = []
        while len(picked) < SHOW_LIMIT and any(queues):
            for q in queues:
                if q and len(picked) < SHOW_LIMIT:
                    picked.append(q.pop(0))
        repo_of = {id(card): repo for repo, card in everything}
        print()
        print(f"{args.show}: {len(picked)} of {per_category[args.show]['answers']} answers, first offending line of each")
        for card, line in picked:
            print(f"{repo_of[id(card)]}/{card['file']}:{card['line']}")
            print(f"    {truncate(line)}")

    if args.sample:
        rng = random.Random(args.seed)
        picked = rng.sample(everything, min(args.sample, len(everything)))
        print()
        print(f"{len(picked)} cards picked at random (seed {args.seed}):")
        for repo, card in picked:
            print()
            print(f"{repo} {card['file']}:{card['line']}")
            print(" › ".join([card["topic"], *card["path"], card["question"]]))
            hits = classify(card["answer"])
            if hits:
                print(f"[dirty: {', '.join(c for c in CATEGORIES if c in hits)}]")
            lines = card["answer"].split("\n")
            for line in lines[:12]:
                print(f"    {line}")
            if len(lines) > 12:
                print(f"    … ({len(lines) - 12} more lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
