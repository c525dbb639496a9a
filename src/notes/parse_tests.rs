//! One small test per card rule of the README.

use super::parse::parse;
use crate::card::Card;
use unicode_normalization::UnicodeNormalization;

fn cards(md: &str) -> Vec<Card> {
    parse(md, "n.md", "t").cards
}

/// `path › question` of each card.
fn asked(md: &str) -> Vec<String> {
    asked_in("n.md", md)
}

fn findings(md: &str) -> Vec<String> {
    parse(md, "n.md", "t").findings.iter().map(|f| f.to_string()).collect()
}

fn answer_of(md: &str, question: &str) -> String {
    let all = cards(md);
    let card = all.iter().find(|c| c.question == question);
    card.unwrap_or_else(|| panic!("no card {question:?} in {all:#?}"))
        .answer
        .text()
        .into_owned()
}

#[test]
fn atx_and_setext_headings_of_any_level_are_cards() {
    let md = "# 하나\n\n답 1\n\n둘\n===\n\n답 2\n\n셋\n---\n\n답 3\n\n###### 넷\n\n답 4\n";
    assert_eq!(asked(md), ["하나", "둘", "둘 › 셋", "둘 › 셋 › 넷"]);
    assert_eq!(answer_of(md, "셋"), "답 3");
}

#[test]
fn question_is_the_plain_text_of_the_heading() {
    let md =
        "## **TCP**  vs   `UDP` [링크](http://x) :rocket: ##\n\n답\n\n## C#\n\n답\n\n## 회의 10:30: 정리 :+1:\n\n답\n";
    assert_eq!(asked(md), ["TCP vs UDP 링크", "C#", "회의 10:30: 정리"]);
}

#[test]
fn any_whitespace_in_a_heading_is_one_space() {
    let md = "## TCP\u{a0}\u{a0}vs\u{3000}UDP\u{2003}\n\n답\n\n## 탭\t과\u{85}줄\n\n답\n\n## 이미 한 칸씩\n\n답\n";
    assert_eq!(asked(md), ["TCP vs UDP", "탭 과 줄", "이미 한 칸씩"]);
}

#[test]
fn answer_is_the_own_content_kept_as_markdown() {
    let md = "## 질문\n\n**굵게** 그리고 `코드`\n\n- 하나\n  - 둘\n\n```rust\n# not a heading\nfn main() {}\n```\n\n## 다음\n\n답\n";
    assert_eq!(
        answer_of(md, "질문"),
        "**굵게** 그리고 `코드`\n\n- 하나\n  - 둘\n\n```rust\n# not a heading\nfn main() {}\n```"
    );
    assert_eq!(asked(md), ["질문", "다음"]);
}

#[test]
fn path_follows_relative_levels_and_skipped_levels_are_no_gap() {
    let md =
        "# 네트워크\n\n## 전송 계층\n\n#### TCP\n\n답\n\n## 응용 계층\n\n### HTTP\n\n답\n\n# DB\n\n## 인덱스\n\n답\n";
    assert_eq!(
        asked(md),
        [
            "네트워크 › 전송 계층 › TCP",
            "네트워크 › 응용 계층 › HTTP",
            "DB › 인덱스"
        ]
    );
    assert!(findings(md).is_empty(), "{:?}", findings(md));
}

#[test]
fn a_heading_with_text_and_sub_headings_is_a_card_and_context() {
    let md = "## 암호화\n\n두 가지 방식\n\n### 대칭키\n\n같은 키\n";
    assert_eq!(asked(md), ["암호화", "암호화 › 대칭키"]);
}

#[test]
fn stubs_are_reported_not_carded() {
    let md = "## 빈 제목\n\n## 빈 항목\n\n* \n\n## 구분선만\n\n---\n\n## 답 있음\n\n답\n";
    assert_eq!(asked(md), ["답 있음"]);
    assert_eq!(
        findings(md),
        [
            "n.md:1: stub: heading \"빈 제목\" has no answer under it",
            "n.md:3: stub: heading \"빈 항목\" has no answer under it",
            "n.md:7: stub: heading \"구분선만\" has no answer under it",
        ]
    );
}

#[test]
fn a_question_paragraph_takes_the_blocks_after_it() {
    let md = "## 쿠키, 세션\n\n쿠키란?\n\n- 브라우저에 저장\n\n구성 요소\n\n- 이름\n\n**세션이란?**\n\n- 서버에 저장\n\n## 다음\n\n답\n";
    assert_eq!(asked(md), ["쿠키, 세션 › 쿠키란?", "쿠키, 세션 › 세션이란?", "다음"]);
    assert_eq!(answer_of(md, "쿠키란?"), "- 브라우저에 저장\n\n구성 요소\n\n- 이름");
    assert_eq!(answer_of(md, "세션이란?"), "- 서버에 저장");
    assert!(findings(md).is_empty());
}

#[test]
fn the_section_keeps_text_before_its_first_question() {
    let md = "## 전송\n\n개요 문장\n\n혼잡제어?\n\n- 네트워크가 막히면 늦춘다\n";
    assert_eq!(asked(md), ["전송", "전송 › 혼잡제어?"]);
    assert_eq!(answer_of(md, "전송"), "개요 문장");
}

#[test]
fn a_question_with_nothing_after_it_is_open() {
    let md = "## 전송\n\n첫째?\n\n둘째?\n\n- 답\n\n셋째?\n";
    assert_eq!(asked(md), ["전송 › 둘째?"]);
    assert_eq!(
        findings(md),
        [
            "n.md:3: open-question: \"첫째?\" has no answer under it",
            "n.md:9: open-question: \"셋째?\" has no answer under it",
        ]
    );
}

#[test]
fn a_section_with_only_open_questions_is_context_not_a_stub() {
    let md = "## 전송\n\n왜 그럴까?\n";
    assert!(asked(md).is_empty());
    assert_eq!(
        findings(md),
        ["n.md:3: open-question: \"왜 그럴까?\" has no answer under it"]
    );
}

#[test]
fn a_paragraph_of_several_lines_ending_in_a_question_mark_is_text() {
    let md = "## 전송\n\n첫 줄\n이어서 묻는다?\n\n- 목록\n";
    assert_eq!(asked(md), ["전송"]);
    assert_eq!(answer_of(md, "전송"), "첫 줄\n이어서 묻는다?\n\n- 목록");
}

#[test]
fn q_and_a_lines_in_one_paragraph() {
    let md = "## DNS\n\nQ. 재귀 질의란?\nA. 리졸버가 끝까지 찾아 준다.\n\n- 보충 설명\n\nQ1) 두 번째\nA) 두 번째 답\n";
    assert_eq!(asked(md), ["DNS › 재귀 질의란?", "DNS › 두 번째"]);
    assert_eq!(
        answer_of(md, "재귀 질의란?"),
        "리졸버가 끝까지 찾아 준다.\n\n- 보충 설명"
    );
    assert_eq!(answer_of(md, "두 번째"), "두 번째 답");
}

#[test]
fn q_and_a_in_separate_paragraphs_with_bold_markers() {
    let md = "Q: 인덱스를 쓰는 이유\n\n**A:** 읽기를 빠르게 한다.\n\n- 대신 쓰기가 느려진다\n\n## 다음\n\n답\n";
    assert_eq!(asked(md), ["인덱스를 쓰는 이유", "다음"]);
    assert_eq!(
        answer_of(md, "인덱스를 쓰는 이유"),
        "읽기를 빠르게 한다.\n\n- 대신 쓰기가 느려진다"
    );
}

#[test]
fn a_q_line_without_an_a_line_is_text_unless_it_asks() {
    let md = "## 메모\n\nQuick note: 그냥 글\n\nQ. 물음?\n\n- 답\n";
    assert_eq!(asked(md), ["메모", "메모 › 물음?"]);
    assert_eq!(answer_of(md, "메모"), "Quick note: 그냥 글");
}

#[test]
fn list_items_that_ask_take_their_nested_content() {
    let md = "## OOP\n\n- 캡슐화란?\n  - 데이터와 행위를 묶고 숨긴다\n  - getter 남용 주의\n- 평범한 항목\n- 상속이란?\n\n  재사용과 확장.\n\n  ```java\n  class A extends B {}\n  ```\n- 다형성은?\n";
    assert_eq!(asked(md), ["OOP", "OOP › 캡슐화란?", "OOP › 상속이란?"]);
    assert_eq!(
        answer_of(md, "캡슐화란?"),
        "- 데이터와 행위를 묶고 숨긴다\n- getter 남용 주의"
    );
    assert_eq!(
        answer_of(md, "상속이란?"),
        "재사용과 확장.\n\n```java\nclass A extends B {}\n```"
    );
    assert_eq!(answer_of(md, "OOP"), "- 평범한 항목");
    assert_eq!(
        findings(md),
        ["n.md:14: open-question: \"다형성은?\" has no answer under it"]
    );
}

#[test]
fn a_list_item_question_ends_the_question_before_it() {
    let md = "## 망\n\n흐름제어?\n\n- 수신 버퍼\n\n* 혼잡제어?\n  * 네트워크 상태\n\n뒤 문장\n";
    assert_eq!(asked(md), ["망", "망 › 흐름제어?", "망 › 혼잡제어?"]);
    assert_eq!(answer_of(md, "흐름제어?"), "- 수신 버퍼");
    assert_eq!(answer_of(md, "망"), "뒤 문장");
}

#[test]
fn details_in_one_html_block() {
    let md =
        "## 보안\n\n<details><summary>CORS란?</summary><p>다른 출처 요청을<br>허용하는 규칙</p></details>\n\n뒤 문장\n";
    assert_eq!(asked(md), ["보안", "보안 › CORS란?"]);
    assert_eq!(answer_of(md, "CORS란?"), "다른 출처 요청을  \n허용하는 규칙");
    assert_eq!(answer_of(md, "보안"), "뒤 문장");
}

#[test]
fn details_spanning_markdown_blocks() {
    let md = "## 웹\n\n<details>\n  <summary><strong>JWT</strong> &amp; 세션</summary>\n\n서명된 **토큰**\n\n- 만료 전 폐기가 어렵다\n\n</details>\n\n<details>\n<summary>빈 것</summary>\n</details>\n";
    assert_eq!(asked(md), ["웹 › JWT & 세션"]);
    assert_eq!(
        answer_of(md, "JWT & 세션"),
        "서명된 **토큰**\n\n- 만료 전 폐기가 어렵다"
    );
    assert_eq!(
        findings(md),
        ["n.md:13: open-question: \"빈 것\" has no answer under it"]
    );
}

#[test]
fn questions_before_the_first_heading_have_an_empty_path() {
    let md = "서문은 카드가 아니다.\n\nOSI 7계층은?\n\n- 물리부터 응용까지\n\n# 본문\n\n답\n";
    let all = cards(md);
    assert_eq!(all[0].question, "OSI 7계층은?");
    assert!(all[0].path.is_empty());
    assert_eq!(all[0].id.as_str(), "t/OSI 7계층은?");
    assert_eq!(
        findings(md),
        ["n.md:1: skipped: text outside any heading is not a card"]
    );
}

#[test]
fn boilerplate_sections_are_skipped_whole() {
    let md = "## TCP\n\n답\n\n## 📚 참고 자료\n\n- 링크\n\n### 하위\n\n글\n\n## 1. References\n\n- x\n\n## 동일 출처 정책\n\n같은 출처만 허용\n\n## Table of Contents:\n\n- y\n";
    assert_eq!(asked(md), ["TCP", "동일 출처 정책"]);
    assert_eq!(
        findings(md),
        [
            "n.md:5: skipped: section \"📚 참고 자료\" is reference material, not a card (1 sub-section with prose of \
             their own went with it)",
            "n.md:13: skipped: section \"1. References\" is reference material, not a card",
            "n.md:21: skipped: section \"Table of Contents:\" is a table of contents, not a card",
        ]
    );
}

#[test]
fn links_to_anchors_of_the_same_document_are_not_answer_text() {
    let md = "## 목록\n\n- [TCP](#tcp)\n  - [UDP](#udp)\n\n## TCP\n\n연결 지향\n[위로](#top) | [처음](#목록)\n\n## 위로만\n\n[위로](#top)\n";
    assert_eq!(asked(md), ["TCP"]);
    assert_eq!(answer_of(md, "TCP"), "연결 지향");
    let found = findings(md);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("n.md:1: stub:") && found[1].starts_with("n.md:11: stub:"));
}

#[test]
fn comments_and_front_matter_are_not_answer_text_and_front_matter_sets_the_topic() {
    let md = "---\ntitle: 메모\ntopic: \"네트워크\"\n---\n\n## TCP\n\n<!-- 나중에 채우기 -->\n\n연결 <!-- 메모 --> 지향\n\n## 빈칸\n\n<!--\n여러 줄\n-->\n";
    let parsed = parse(md, "n.md", "t");
    assert_eq!(parsed.cards.len(), 1);
    assert_eq!(&*parsed.cards[0].topic, "네트워크");
    assert_eq!(parsed.cards[0].id.as_str(), "네트워크/TCP");
    assert_eq!(parsed.cards[0].answer, "연결  지향");
    assert_eq!(parsed.cards[0].line, 6);
    assert_eq!(findings(md), ["n.md:12: stub: heading \"빈칸\" has no answer under it"]);
}

#[test]
fn bom_crlf_and_nfd_give_the_same_cards() {
    let md = "## 쿠키, 세션\n\n세션이란?\n\n- 서버에 저장\n";
    let nfd: String = md.nfd().collect();
    assert_ne!(nfd, md);
    let crlf = format!("\u{feff}{}", nfd.replace('\n', "\r\n"));
    assert_eq!(cards(&crlf), cards(md));
    assert_eq!(cards(md)[0].id.as_str(), "t/쿠키, 세션/세션이란?");
}

#[test]
fn editing_an_answer_keeps_the_id() {
    let before = cards("## TCP vs UDP\n\n옛 답\n");
    let after = cards("## TCP vs UDP\n\n- 새 답\n- 더 긴 답\n");
    assert_eq!(before[0].id, after[0].id);
    assert_ne!(before[0].answer, after[0].answer);
}

#[test]
fn lines_are_where_the_question_starts() {
    let md = "\n\n## 하나\n\n답\n\n## 둘\n\n질문?\n\n- 답\n";
    let lines: Vec<usize> = cards(md).iter().map(|c| c.line).collect();
    assert_eq!(lines, [3, 9]);
}

#[test]
fn deep_nesting_does_not_overflow() {
    // `- - - x` opens a list inside a list on one line, so 10,000 levels stay a small input.
    let lists = format!("{}x\n", "- ".repeat(10_000));
    let quotes = format!("## 인용\n\n{}깊다\n", ">".repeat(10_000));
    assert_eq!(cards(&format!("## 목록\n\n{lists}")).len(), 1);
    assert_eq!(cards(&quotes).len(), 1);
}

#[test]
fn the_seedlike_fixture_gives_35_cards_and_10_stubs() {
    // Shaped like the user's notes; `.ci/run` checks those themselves when they are beside the repo.
    let text = include_str!("../../tests/fixtures/seedlike.txt");
    let parsed = parse(text, "seedlike.txt", "seedlike");
    let asked: Vec<String> = parsed
        .cards
        .iter()
        .map(|c| {
            c.path
                .iter()
                .chain([&c.question])
                .cloned()
                .collect::<Vec<_>>()
                .join(" › ")
        })
        .collect();
    assert_eq!(asked.len(), 35, "{asked:#?}");
    let stubs = parsed
        .findings
        .iter()
        .filter(|f| f.kind == super::FindingKind::Stub)
        .count();
    assert_eq!(stubs, 10, "{:#?}", parsed.findings);
    for expected in [
        "쿠키, 세션 › 쿠키란?",
        "쿠키, 세션 › 세션이란?",
        "NAT",
        "암호화 방식 › 대칭키",
        "연결형과 비연결형 - Services › 신뢰성 - Reliability › 재전송은 누가 하나?",
        "연결형과 비연결형 - Services › 신뢰성 - Reliability › 혼잡제어?",
        "연결형과 비연결형 - Services › 신뢰성 - Reliability › 흐름제어?",
        "연결형과 비연결형 - Services › 신뢰성 - Reliability › UDP는 언제 쓰나?",
        "HTTP1.0 / 1.1 / 2.0 / 3.0 › HTTP 1.0",
        "HTTP1.0 / 1.1 / 2.0 / 3.0 › HTTP 1.1",
        "HTTP1.0 / 1.1 / 2.0 / 3.0 › HTTP 2.0",
        "HTTP1.0 / 1.1 / 2.0 / 3.0 › HTTP 3.0",
    ] {
        assert!(asked.contains(&expected.to_string()), "missing {expected}");
    }
    for context_only in ["HTTP1.0 / 1.1 / 2.0 / 3.0", "쿠키, 세션", "SOLID 원칙"] {
        assert!(
            !asked.contains(&context_only.to_string()),
            "{context_only} is context only"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces real notes are made of, including broken ones.
    fn fragment() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec![
            "TCP",
            "쿠키",
            "세션",
            "인덱스",
            "C#",
            "?",
            "Q.",
            "A:",
            "**",
            "`",
            "<br>",
            "#",
            ":+1:",
            "[위로](#top)",
            "</details>",
            "<details>",
            "<summary>",
            "</summary>",
            "<!--",
            "-->",
            "\u{1100}\u{1161}",
            "\t",
            "\r",
        ]);
        let words = prop::collection::vec(word, 0..6).prop_map(|w| w.join(" "));
        let indent = prop::sample::select(vec!["", "  ", "    ", "\t"]);
        prop_oneof![
            (1..7usize, words.clone()).prop_map(|(n, w)| format!("{} {w}", "#".repeat(n))),
            words.clone().prop_map(|w| format!("{w}?")),
            words.clone().prop_map(|w| format!("**{w}?**")),
            (words.clone(), words.clone()).prop_map(|(q, a)| format!("Q1) {q}\nA. {a}")),
            (indent.clone(), words.clone()).prop_map(|(i, w)| format!("{i}- {w}")),
            (indent, words.clone()).prop_map(|(i, w)| format!("{i}* {w}?")),
            words
                .clone()
                .prop_map(|w| format!("<details><summary>{w}</summary>{w}</details>")),
            words.clone().prop_map(|w| format!("```\n{w}\n# 제목 아님")),
            words.clone().prop_map(|w| format!("| {w} | b |\n|---|---|\n| 1 | 2 |")),
            words.clone().prop_map(|w| format!("> {w}")),
            words.clone().prop_map(|w| format!("---\ntopic: {w}\n---")),
            Just(String::new()),
            Just("===".to_string()),
            Just("* ".to_string()),
            words,
        ]
    }

    fn check(text: &str) {
        let parsed = parse(text, "p.md", "p");
        let lines = text.split(['\n', '\r']).count().max(1);
        for card in &parsed.cards {
            assert!(!card.question.trim().is_empty(), "empty question in {card:?}");
            assert!(!card.answer.text().trim().is_empty(), "empty answer in {card:?}");
            assert!(
                (1..=lines).contains(&card.line),
                "line {} of {lines} in {card:?}",
                card.line
            );
        }
        let deck = super::super::Deck::from_files([Ok(super::super::NoteFile {
            file: "p.md".into(),
            topic: "p".into(),
            folders: Default::default(),
            bytes: text.as_bytes().to_vec(),
        })]);
        let mut ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), deck.cards.len(), "ids are not distinct");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn normalize_is_nfc_with_lf_and_no_bom(text in "(\\PC|[\u{1100}-\u{11ff}\u{ac00}-\u{ac10}\u{300}-\u{36f}\r\n])*") {
            let expected: String = text.strip_prefix('\u{feff}').unwrap_or(&text)
                .replace("\r\n", "\n").replace('\r', "\n").nfc().collect();
            prop_assert_eq!(super::super::normalize(&text).into_owned(), expected);
        }

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            check(&text);
        }

        #[test]
        fn random_markdown_gives_only_whole_cards(parts in prop::collection::vec(fragment(), 0..40)) {
            check(&parts.join("\n"));
            check(&parts.join("\n\n"));
        }
    }
}

#[test]
fn the_readme_example_gives_what_the_readme_says() {
    let readme = include_str!("../../README.md");
    let start = readme.find("```markdown\n").expect("README has a markdown example") + "```markdown\n".len();
    let example = &readme[start..start + readme[start..].find("\n```\n").expect("example is closed")];
    assert_eq!(
        asked(example),
        [
            "전송 계층 › TCP vs UDP",
            "전송 계층 › 쿠키, 세션 › 쿠키란?",
            "전송 계층 › 쿠키, 세션 › 세션은 어디에 저장되나요?",
            "전송 계층 › 쿠키, 세션 › 캡슐화란?",
            "전송 계층 › 쿠키, 세션 › JWT와 세션의 차이는?",
        ]
    );
    assert!(cards(example).iter().all(|c| &*c.topic == "network"));
    assert_eq!(
        findings(example),
        ["n.md:32: stub: heading \"CORS\" has no answer under it"]
    );
}

// Real notes: what public interview repos do, each rule with a fixture of its own.

#[test]
fn reference_sections_are_a_family_and_check_lists_each_skip() {
    let md = "## TCP\n\n답\n\n## [참고 사항]\n\n- [글](https://a.io)\n\n## 참고 링크\n\nx\n\n## 각주\n\n1. y\n\n## Further reading\n\nz\n\n## Special Thanks to\n\nw\n\n## 동일 출처 정책\n\n같은 출처만 허용\n";
    assert_eq!(asked(md), ["TCP", "동일 출처 정책"]);
    let found = findings(md);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|f| f.contains(": skipped: section \"") && f.ends_with("is reference material, not a card"))
    );
    assert!(found[0].starts_with("n.md:5:"));
}

#[test]
fn navigation_is_never_answer_text() {
    let md = "## TCP\n\n연결 지향\n\n[뒤로](https://github.com/o/r)/[위로](#tcp)\n\n- 흐름 제어\n- [⬆ Top](#top)\n\n[Home](../README.md) | [목차](./README.md#목차)\n\n[![badge](https://img.shields.io/badge/x-y-green)](https://x.io)\n\n<div align=\"right\"><a href=\"#top\">맨 위로</a></div>\n\n## :house: [Home](https://github.com/o/r)\n";
    assert_eq!(asked(md), ["TCP"]);
    assert_eq!(answer_of(md, "TCP"), "연결 지향\n\n- 흐름 제어");
    assert_eq!(
        findings(md),
        ["n.md:16: skipped: heading \"Home\" only navigates, not a card"]
    );
}

#[test]
fn badges_are_never_answer_text_nor_prose() {
    let badges = "[![Since](https://img.shields.io/badge/since-2020-333.svg)](https://blog.example.com)\n[![author](https://img.shields.io/badge/author-me-blue.svg)](https://blog.example.com/about)\n[![License](https://img.shields.io/badge/license-MIT-green)](LICENSE)\n[![Hits](https://hits.dwyl.com/o/r.svg)](https://hits.dwyl.com/o/r)";
    let md = format!(
        "# 노트\n\n{badges}\n\n## TCP\n\n{badges}\n연결 지향 프로토콜\n\n<a href=\"https://x.io\"><img src=\"https://visitor-badge.laobi.icu/badge?page_id=o.r\"></a> 흐름 제어 ![views](https://komarev.com/ghpvc/?username=me)\n\n## UDP\n\n[![Hits](https://hits.seeyoufarm.com/api/count/incr/badge.svg?url=x)](https://hits.seeyoufarm.com)\n[![views](https://komarev.com/ghpvc/?username=me)](https://github.com/me)\n"
    );
    assert_eq!(asked(&md), ["노트 › TCP"]);
    assert_eq!(answer_of(&md, "TCP"), "연결 지향 프로토콜\n\n흐름 제어");
    assert_eq!(findings(&md), ["n.md:18: stub: heading \"UDP\" has no answer under it"]);
}

#[test]
fn kramdown_attribute_lists_are_never_answer_text() {
    let md = "## TCP\n\n![흐름](tcp.png){: width=\"400\"}\n연결 지향 [RFC](https://x.io){:target=\"_blank\"} 이다\n\n신뢰성 보장 {: .x}\n{: .notice--info}\n\n## UDP\n\n![그림](udp.png){:.center}\n{: width=\"50%\"}\n";
    assert_eq!(asked(md), ["TCP"]);
    assert_eq!(
        answer_of(md, "TCP"),
        "![흐름](tcp.png)\n연결 지향 [RFC](https://x.io) 이다\n\n신뢰성 보장"
    );
    assert_eq!(findings(md), ["n.md:9: stub: heading \"UDP\" has no answer under it"]);
}

#[test]
fn a_licence_notice_is_never_answer_text() {
    let md = "## 링크 모음\n\n면접 준비에 도움이 된 글을 모은다.\n\n<h1> License </h1>\n\n```\nMIT License\n\nCopyright (c) 2020 홍길동\n\nPermission is hereby granted, free of charge, to any person.\n```\n\n## 코딩테스트\n\n유형별로 꾸준히 푼다.\n\n[![CC](https://i.creativecommons.org/l/by/4.0/88x31.png)](http://creativecommons.org/licenses/by/4.0/)  \nThis work is licensed under a [Creative Commons Attribution 4.0 License](http://creativecommons.org/licenses/by/4.0/).\n\n## 라이선스 종류\n\nMIT License는 저작권 표시만 하면 되는 라이선스다.\n\n## 끝\n\n© 2021 홍길동\n";
    assert_eq!(asked(md), ["링크 모음", "코딩테스트", "라이선스 종류"]);
    assert_eq!(answer_of(md, "링크 모음"), "면접 준비에 도움이 된 글을 모은다.");
    assert_eq!(answer_of(md, "코딩테스트"), "유형별로 꾸준히 푼다.");
    assert_eq!(
        answer_of(md, "라이선스 종류"),
        "MIT License는 저작권 표시만 하면 되는 라이선스다."
    );
    assert_eq!(findings(md), ["n.md:26: stub: heading \"끝\" has no answer under it"]);
}

#[test]
fn a_members_table_a_study_s_rules_and_an_index_of_links_on_the_front_page_are_no_cards() {
    let md = "# 스터디\n\n## 👥 스터디원\n\n|이름|깃허브|\n|---|---|\n|김철수|[@chulsoo](https://github.com/chulsoo)|\n|이영희|[@younghee](https://github.com/younghee)|\n\n## 함께한 사람\n\n| [<img src=\"https://example.com/a.png\" width=\"100\">](https://github.com/a) | [<img src=\"https://example.com/b.png\" width=\"100\">](https://github.com/b) |\n| :---: | :---: |\n\n커밋 메시지는 날짜와 주제로 쓴다.\n\n## 📚 학습 주제\n\n`운영체제`, `네트워크`\n\n| No. | 운영체제 | 네트워크 |\n|---|---|---|\n| 1 | [프로세스](os/process.md) | [TCP](net/tcp.md) |\n| 2 | [스레드](os/thread.md) | [UDP](net/udp.md) |\n| 3 | [교착 상태](os/deadlock.md) | [DNS](net/dns.md) |\n\n### 자유 주제\n\n- [MSA](etc/msa.md)\n\n## 💡 Rule\n\n- 매주 수요일에 모인다\n- 세 번 빠지면 나간다\n\n## 공부 방법\n\n| 단계 | 할 일 |\n|---|---|\n| 1 | [문제](x.md) 풀기 |\n| 2 | [정리](y.md) |\n| 3 | [발표](z.md) |\n\n매일 한 문제씩 말로 설명해 본다.\n";
    let front = parse(md, "README.md", "t");
    let asked: Vec<&str> = front.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(asked, ["공부 방법"]);
    let found: Vec<String> = front.findings.iter().map(|f| f.to_string()).collect();
    assert_eq!(
        found,
        [
            "README.md:3: skipped: section \"👥 스터디원\" on the front page lists the members, not a card",
            "README.md:10: skipped: section \"함께한 사람\" on the front page lists the members, not a card",
            "README.md:17: skipped: section \"📚 학습 주제\" on the front page is an index of links, not a card",
            "README.md:31: skipped: section \"💡 Rule\" on the front page holds the rules of the study or repository, not a card",
        ]
    );
    // Elsewhere such sections are a subject's own.
    let page = parse(md, "study/README.md", "study");
    let asked: Vec<&str> = page.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(
        asked,
        ["👥 스터디원", "함께한 사람", "📚 학습 주제", "💡 Rule", "공부 방법"]
    );
}

#[test]
fn a_section_of_only_links_images_or_a_pointer_is_a_stub_and_a_toc_is_context() {
    let md = "# 네트워크\n\n- [TCP](#tcp)\n- [UDP](#udp)\n  - 데이터그램\n\n## TCP\n\n[MDN 문서](https://developer.mozilla.org)\n\n## UDP\n\n![구조](udp.png)\n\n## QUIC\n\n자세한 내용은 블로그 포스팅 링크로 대신합니다.\n\n## HTTP/3\n\n(TODO: 답변 작성하기)\n\n## 세미나\n\n> 2019.08.29\n\n## 발표\n\n작성일 : 2020.08.10.\n";
    assert!(cards(md).is_empty(), "{:#?}", cards(md));
    let stubs: Vec<String> = findings(md).into_iter().filter(|f| f.contains(": stub:")).collect();
    assert_eq!(stubs.len(), 6, "{stubs:#?}");
    // A header line of an example is no date of writing.
    let header = "## 응답 헤더\n\nDate: Sat, 17 Oct 2020 07:32:39 GMT\n";
    assert_eq!(asked(header), ["응답 헤더"]);
}

#[test]
fn html_in_answers_becomes_its_markdown() {
    let md = "## 질문\n\n첫 줄<br>둘째 줄 <b>굵게</b>와 <em>기울임</em>, <a href=\"https://x.io\">링크</a>, H<sub>2</sub>O<sup>1</sup> 2<sup>-1</sup> A<sub>N-1</sub> 각주<sup>[1)](#fn1)</sup>\n\n<p align=\"center\"><img src=\"a.png\" alt=\"그림\" width=\"300\"></p>\n\n<div><span>감싼 글</span></div>\n\n- 항목 <!-- 메모 -->\n  <!-- 들여쓴 메모 -->\n\n| 칸 | 설명 |\n|---|---|\n| a | 한<br>줄 |\n";
    assert_eq!(
        answer_of(md, "질문"),
        "첫 줄  \n둘째 줄 **굵게**와 *기울임*, [링크](https://x.io), H_2O^1 2^{-1} A_{N-1} 각주\n\n![그림](a.png)\n\n감싼 글\n\n- 항목\n\n| 칸 | 설명 |\n|---|---|\n| a | 한 줄 |"
    );
}

#[test]
fn rules_at_either_end_of_an_answer_and_shortcodes_in_it() {
    let md = "## 질문\n\n---\n\n답 :pray: 10:30: 회의\n\n***\n\n## 다음\n\n답\n\n---\n";
    assert_eq!(answer_of(md, "질문"), "답 🙏 10:30: 회의");
    assert_eq!(answer_of(md, "다음"), "답");
}

#[test]
fn parts_of_an_answer_join_the_heading_above() {
    let md = "# 퀵 정렬\n\n피벗을 기준으로 나눈다.\n\n## 과정\n\n1. 피벗 선택\n\n## 코드\n\n```java\nvoid sort() {}\n```\n\n## 시간복잡도\n\n평균 O(n log n)\n\n### 최악 구현\n\n```java\nint worst() {}\n```\n\n## 병합 정렬\n\n### C++ Version\n\n```cpp\nint main() {}\n```\n";
    assert_eq!(asked(md), ["퀵 정렬", "퀵 정렬 › 시간복잡도", "퀵 정렬 › 병합 정렬"]);
    assert_eq!(
        answer_of(md, "퀵 정렬"),
        "피벗을 기준으로 나눈다.\n\n## 과정\n\n1. 피벗 선택\n\n## 코드\n\n```java\nvoid sort() {}\n```"
    );
    assert!(answer_of(md, "시간복잡도").ends_with("### 최악 구현\n\n```java\nint worst() {}\n```"));
    assert!(answer_of(md, "병합 정렬").starts_with("### C++ Version"));
}

#[test]
fn numbered_examples_files_of_code_and_a_conclusion_join_the_answer_above() {
    let md = "# 재귀\n\n자기 자신을 부른다.\n\n## 예제 1: 팩토리얼 계산\n\n```js\nf(5)\n```\n\n## 예시를 통한 동작 원리\n\n스택이 쌓인다.\n\n## 결론\n\n종료 조건이 필요하다.\n\n# 세션 스코프\n\n요청마다 만든다.\n\n## UserInfo.java\n\n```java\nclass UserInfo {}\n```\n\n## Next.js\n\n프레임워크다.\n";
    assert_eq!(asked(md), ["재귀", "세션 스코프", "세션 스코프 › Next.js"]);
    assert_eq!(
        answer_of(md, "재귀"),
        "자기 자신을 부른다.\n\n## 예제 1: 팩토리얼 계산\n\n```js\nf(5)\n```\n\n## 예시를 통한 동작 원리\n\n스택이 쌓인다.\n\n## 결론\n\n종료 조건이 필요하다."
    );
    assert!(answer_of(md, "세션 스코프").ends_with("## UserInfo.java\n\n```java\nclass UserInfo {}\n```"));
}

#[test]
fn the_steps_of_a_worked_example_are_the_examples_answer() {
    let md = "# 어댑터 패턴\n\n인터페이스를 맞춰 준다.\n\n## 어댑터 패턴 예제\n\n뷰어가 있다.\n\n### 요구사항 반영 전\n\n이미지만 보인다.\n\n### 요구사항 반영 후\n\n#### 객체 어댑터\n\n위임한다.\n\n## 장점\n\n재사용\n";
    assert_eq!(
        asked(md),
        ["어댑터 패턴", "어댑터 패턴 › 어댑터 패턴 예제", "어댑터 패턴 › 장점"]
    );
    assert_eq!(
        answer_of(md, "어댑터 패턴 예제"),
        "뷰어가 있다.\n\n### 요구사항 반영 전\n\n이미지만 보인다.\n\n### 요구사항 반영 후\n\n#### 객체 어댑터\n\n위임한다."
    );
    // A page titled as examples keeps its sections as cards.
    let page = "# 패턴 예제 모음\n\n## 싱글톤\n\n하나만 만든다.\n\n## 팩토리\n\n생성을 맡긴다.\n";
    assert_eq!(asked(page), ["패턴 예제 모음 › 싱글톤", "패턴 예제 모음 › 팩토리"]);
}

#[test]
fn an_about_section_on_the_front_page_is_about_the_repository() {
    let md =
        "# 면접 노트\n\n## :tada: 소개\n\n공부한 내용을 모았습니다.\n\n### 규칙\n\n- 주제별 정리\n\n## TCP\n\n연결형\n";
    let front = parse(md, "README.md", "notes");
    let asked: Vec<&str> = front.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(asked, ["TCP"]);
    let found: Vec<String> = front.findings.iter().map(|f| f.to_string()).collect();
    assert_eq!(
        found,
        [
            "README.md:3: skipped: section \"소개\" introduces the repository, not a card (1 sub-section with prose of \
          their own went with it)"
        ]
    );
    // Elsewhere an introduction is a subject's own.
    let page = parse(md, "redis/README.md", "redis");
    assert_eq!(page.cards.len(), 3);
}

#[test]
fn an_h1_that_repeats_the_topic_is_not_in_the_path() {
    let md = "# Binary  search\n\n## 조건\n\n정렬되어 있어야 한다.\n";
    let all = parse(md, "binary-search.md", "binary search").cards;
    assert_eq!(all[0].path, Vec::<String>::new());
    assert_eq!(all[0].id.as_str(), "binary search/조건");
}

#[test]
fn details_edge_cases_from_real_notes() {
    let md = "## 질문들\n\n<details><summary>빈 질문</summary></details>\n<details><summary><b>JWT</b>란?</summary>\n\n서명된 토큰\n\n</details>\n<details>\n<summary>답 없는 질문?</summary>\n\n</details>\n\n<details>\n<summary>`CORS`는 **왜** 필요한가?</summary>\n<p>\n\n다른 출처 요청을 제한하려고\n\n</p>\n</details>\n";
    assert_eq!(asked(md), ["질문들 › JWT란?", "질문들 › CORS는 왜 필요한가?"]);
    assert_eq!(answer_of(md, "JWT란?"), "서명된 토큰");
    assert_eq!(answer_of(md, "CORS는 왜 필요한가?"), "다른 출처 요청을 제한하려고");
    let open: Vec<String> = findings(md)
        .into_iter()
        .filter(|f| f.contains("open-question"))
        .collect();
    assert_eq!(open.len(), 2, "{open:#?}");
    assert!(open[0].contains("\"빈 질문\"") && open[1].contains("\"답 없는 질문?\""));
}

#[test]
fn a_details_that_does_not_ask_under_prose_is_more_of_the_answer() {
    let md = "## GC\n\n참조 카운트로 해제한다.\n\n<details>\n<summary>코드와 함께 보기</summary>\n\n```c\nPy_INCREF(op);\n```\n</details>\n";
    assert_eq!(asked(md), ["GC"]);
    assert_eq!(
        answer_of(md, "GC"),
        "참조 카운트로 해제한다.\n\n**코드와 함께 보기**\n\n```c\nPy_INCREF(op);\n```"
    );
}

#[test]
fn a_list_of_questions_without_answers_gives_questions_and_no_card() {
    let md = "## 면접 질문\n\n- TCP와 UDP의 차이는?\n- 3-way handshake란?\n";
    assert!(cards(md).is_empty());
    assert_eq!(questions(md).len(), 2);
    let found = findings(md);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("question-bank: section \"면접 질문\" is a question bank: 2 questions"));
    // One open question among answered ones is told on its own.
    let md = "## 면접 질문\n\n- TCP와 UDP의 차이는?\n  - 연결을 맺는지\n- 3-way handshake란?\n";
    assert_eq!(asked(md), ["면접 질문 › TCP와 UDP의 차이는?"]);
    assert_eq!(findings(md).len(), 1);
    assert!(findings(md)[0].contains("open-question"));
}

#[test]
fn a_quoted_question_takes_the_rest_of_the_quote_and_what_follows() {
    let md = "## 네트워크\n\n> :arrow_up:[Top](#네트워크) [Back](../README.md)\n> - [https://x.io](https://x.io)\n\n> **💡 멱등이란?**\n> 여러 번 적용해도 결과가 같은 성질\n\n> **URI란?**\n\n자원을 식별하는 문자열\n";
    assert_eq!(asked(md), ["네트워크 › 멱등이란?", "네트워크 › URI란?"]);
    assert_eq!(answer_of(md, "멱등이란?"), "여러 번 적용해도 결과가 같은 성질");
    assert_eq!(answer_of(md, "URI란?"), "자원을 식별하는 문자열");
}

#[test]
fn an_opening_that_only_leads_in_is_context_and_a_musing_is_not_a_question() {
    let md = "# 브라우저\n\n브라우저가 어떻게 동작하는지 알아보자.\n\n렌더링..? 파싱..?\n\n## 파싱\n\nHTML을 DOM으로 바꾼다.\n\n여러 번 들어 봤다. 그럼 파싱이란 무엇일까?\n\n토큰으로 나눈다.\n\n## 요약\n\n정리해 보면 어렵다..?\n";
    assert_eq!(asked(md), ["브라우저 › 파싱", "브라우저 › 요약"]);
    assert_eq!(answer_of(md, "요약"), "정리해 보면 어렵다..?");
}

#[test]
fn an_opening_that_ends_leading_in_or_is_an_aside_is_context_and_an_index_entry_is_skipped() {
    let md = "# 동기와 비동기\n\n![그림](a.png)\n\n두 개념을 예제로 살펴보자.\n\n## 동기\n\n결과를 기다린다.\n\n## 스케줄러\n\n_cf) 스케줄러는 OS가 고른다._\n\n### FCFS\n\n먼저 온 순서\n\n## [📖 정리노트](./contents/network)\n\n- TCP\n";
    assert_eq!(asked(md), ["동기와 비동기 › 동기", "동기와 비동기 › 스케줄러 › FCFS"]);
    let found = findings(md);
    assert_eq!(
        found,
        ["n.md:19: skipped: heading \"📖 정리노트\" only navigates, not a card"]
    );
}

#[test]
fn a_list_of_links_a_credit_line_and_a_question_that_repeats_its_heading() {
    let md = "# 팩토리 패턴\n\n> 작성자 : [홍길동](https://github.com/x)\n\n객체 생성을 팩토리에 맡긴다.\n\n출처: https://example.org/factory\n\n## 정렬의 종류\n\n- [버블 정렬](https://a.io/bubble)\n- [퀵 정렬](https://a.io/quick)\n- 애니메이션 보기\n\n## Stream이란\n\n- Stream이란?\n  - 컬렉션을 선언적으로 다루는 API\n- 특징\n  - 지연 평가\n";
    assert_eq!(asked(md), ["팩토리 패턴", "팩토리 패턴 › Stream이란"]);
    assert_eq!(answer_of(md, "팩토리 패턴"), "객체 생성을 팩토리에 맡긴다.");
    assert_eq!(
        answer_of(md, "Stream이란"),
        "- 컬렉션을 선언적으로 다루는 API\n\n- 특징\n  - 지연 평가"
    );
    assert!(
        findings(md)
            .iter()
            .any(|f| f.starts_with("n.md:9: stub: heading \"정렬의 종류\""))
    );
}

#[test]
fn a_named_part_under_a_title_without_prose_is_a_section_of_its_own() {
    let md = "# 퀵 정렬\n\n## 작성자\n\n홍길동\n\n## 1. 개념\n\n피벗으로 나눈다.\n\n## 2. 퀵 정렬의 구현\n\n1. 피벗을 고른다\n2. 나눈다\n";
    assert_eq!(asked(md), ["퀵 정렬 › 1. 개념", "퀵 정렬 › 2. 퀵 정렬의 구현"]);
}

#[test]
fn an_html_line_in_a_list_keeps_the_next_item_on_its_own_line() {
    let md = "## 프로세스\n\n- 특징\n    * <img src=\"p.png\" width=\"40%\">\n    * 독립된 메모리를 할당받는다\n";
    assert_eq!(
        answer_of(md, "프로세스"),
        "- 특징\n    * ![](p.png)\n    * 독립된 메모리를 할당받는다"
    );
}

#[test]
fn a_section_that_only_points_to_links_is_a_stub_and_an_index_of_pages_is_no_answer() {
    // A pointer line over a list of credited links; a quote that is a link and a few words; an index of other
    // pages under short labels; a page link with a description. A thin answer beside a link stays a card.
    let md = "# 자료 모음\n\n## 힙\n\n자세한 내용은 아래 자료에 정리했다.\n\n- 정리 김철수 | [힙 요약](./docs/heap.pdf)\n\n## 트라이\n\n> 발표 자료 | [트라이 슬라이드](https://b.io/trie)\n\n### 삽입\n\n글자마다 자식 노드를 만든다.\n\n## 목록\n\n- ### 네트워크\n  - [포트와 소켓](https://c.io/port.md)\n  - [라우팅 표](https://c.io/route.md)\n- ### 그래프\n  - [위상 정렬](https://c.io/topo.md)\n\n## 응용\n\n- [정렬](sort.md) (선택 / 삽입 / 병합 / 계수 정렬)\n- [탐색](search.md) (이분 탐색과 해시)\n\n## 포트\n\n포트는 프로세스를 가리키는 번호다. [표](https://c.io/ports)\n";
    assert_eq!(asked(md), ["자료 모음 › 트라이 › 삽입", "자료 모음 › 포트"]);
    let stubs: Vec<String> = findings(md).into_iter().filter(|f| f.contains("stub")).collect();
    assert_eq!(stubs.len(), 3, "{stubs:?}");
}

#[test]
fn an_exercise_heading_is_a_worked_example() {
    // Under a page title without prose, the exercise is a card and its steps stay in it; under a section with
    // prose it is part of that answer. A heading that announces a topic (`…알아보자`) keeps its sub-sections.
    let md = "# 진법\n\n## 29를 8진수로 바꿔 계산해 보자\n\n### 몫\n\n8로 나눈 몫을 적는다.\n\n### 나머지\n\n나머지를 거꾸로 읽는다.\n\n## 보수\n\n음수를 더하기로 바꾸는 표현이다.\n\n### 위의 수로 2의 보수를 구해봅시다 (8bit 기준)\n\n비트를 뒤집고 1을 더한다.\n\n## 시프트를 알아보자\n\n### 왼쪽 시프트\n\n두 배가 된다.\n";
    assert_eq!(
        asked(md),
        [
            "진법 › 29를 8진수로 바꿔 계산해 보자",
            "진법 › 보수",
            "진법 › 시프트를 알아보자 › 왼쪽 시프트"
        ]
    );
    assert!(answer_of(md, "29를 8진수로 바꿔 계산해 보자").contains("나머지를 거꾸로 읽는다."));
    assert!(answer_of(md, "보수").contains("비트를 뒤집고 1을 더한다."));
}

#[test]
fn what_is_left_beside_questions_inside_may_only_lead_in_or_be_an_aside() {
    let md = "## 빌드 도구\n\n- 번들러란?\n  - 여러 모듈을 한 파일로 묶는 도구\n\n_빌드 편 끝_\n\n## 캐시\n\n- 캐시 무효화란?\n  - 낡은 항목을 버리는 일\n\n아래에서 더 살펴보자.\n\n## 로그\n\n- 로그 레벨이란?\n  - 기록할 심각도의 기준\n\n로그는 남길수록 비용이 든다.\n";
    assert_eq!(
        asked(md),
        [
            "빌드 도구 › 번들러란?",
            "캐시 › 캐시 무효화란?",
            "로그",
            "로그 › 로그 레벨이란?"
        ]
    );
}

#[test]
fn an_answer_that_only_names_its_heading_again_is_a_stub() {
    let md = "## Memoization\n\n- **메모이제이션 (Memoization)**\n\n## Currying\n\n- 커링(Currying)은 인자를 하나씩 받는 함수로 바꾸는 일\n";
    assert_eq!(asked(md), ["Currying"]);
    assert!(findings(md).iter().any(|f| f.contains("stub: heading \"Memoization\"")));
}

#[test]
fn a_long_references_heading_with_and_is_skipped() {
    let md = "## 캐시 지역성\n\n가까운 데이터를 곧 다시 쓴다.\n\n## [참고 자료 및 더 읽어 볼 만한 글 모음]\n\n- 책 - 컴퓨터 구조 입문 (가상 출판)\n";
    assert_eq!(asked(md), ["캐시 지역성"]);
    assert!(findings(md).iter().any(|f| f.contains("skipped")));
}

#[test]
fn a_section_of_only_lists_on_the_front_page_is_an_index() {
    let md = "# 면접 노트\n\n## 운영체제 [바로가기](./os)\n\n▶ [답 보기](./os/README.md)\n\n- 힙과 스택의 차이\n- 스케줄링 기법\n  - 라운드 로빈\n\n## 더 보기\n\n<details>\n<summary>네트워크</summary>\n\n- 포트와 소켓\n- 흐름 제어\n\n</details>\n\n## 공부 방법\n\n매일 한 문제씩 말로 설명해 본다.\n";
    let front = parse(md, "README.md", "t");
    let asked: Vec<&str> = front.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(asked, ["공부 방법"]);
    assert_eq!(
        front
            .findings
            .iter()
            .filter(|f| f.to_string().contains("only lists"))
            .count(),
        2
    );
    // Elsewhere such a section is an answer.
    assert_eq!(cards(md).len(), 3);
}

#[test]
fn a_closing_thematic_break_does_not_keep_an_aside_from_being_context() {
    let md = "## 연습 문제\n\n_답을 먼저 말해 본 뒤에 펼쳐 본다._\n\n- 교착 상태의 네 조건은?\n  - 상호 배제, 점유 대기, 비선점, 순환 대기\n\n---\n\n## 다음\n\n끝\n";
    assert_eq!(asked(md), ["연습 문제 › 교착 상태의 네 조건은?", "다음"]);
}

/// `path › question` and line of each question kept without an answer.
fn questions(md: &str) -> Vec<(String, usize)> {
    parse(md, "n.md", "t")
        .questions
        .iter()
        .map(|q| {
            let shown = q
                .path
                .iter()
                .chain([&q.question])
                .cloned()
                .collect::<Vec<_>>()
                .join(" › ");
            (shown, q.line)
        })
        .collect()
}

#[test]
fn a_list_item_asks_without_a_question_mark_in_a_request_to_answer() {
    let md = "## 운영체제\n\n- 프로세스와 스레드의 차이를 설명해 주세요.\n  - 프로세스는 자원을 따로 가진다.\n- 교착 상태의 조건을 말해보세요\n  - 상호 배제, 점유 대기, 비선점, 순환 대기\n";
    assert_eq!(
        asked(md),
        [
            "운영체제 › 프로세스와 스레드의 차이를 설명해 주세요.",
            "운영체제 › 교착 상태의 조건을 말해보세요"
        ]
    );
    // A wrapped line may end on any word: only a `?` makes its first line ask.
    let wrapped = "## 메모리\n\n- 가상 메모리는 프로세스마다 주소 공간을 나누어 주는 방법을 설명해 주세요\n  물리 메모리보다 크게 쓸 수 있다.\n";
    assert_eq!(asked(wrapped), ["메모리"]);
}

#[test]
fn a_details_whose_summary_asks_by_request_is_a_card_even_right_under_prose() {
    let md = "## 네트워크\n\n전송 계층의 두 프로토콜을 다룹니다.\n\n<details>\n<summary>TCP와 UDP의 차이를 설명해주세요.</summary>\n<p>TCP는 연결을 맺고 순서를 보장합니다.</p>\n</details>\n\n<details>\n<summary>자세히 보기</summary>\n<p>더 긴 설명.</p>\n</details>\n";
    assert_eq!(asked(md), ["네트워크", "네트워크 › TCP와 UDP의 차이를 설명해주세요."]);
    assert!(
        answer_of(md, "네트워크").contains("더 긴 설명"),
        "a summary that does not ask folds more of the answer"
    );
}

#[test]
fn a_details_of_follow_up_questions_only_keeps_them_all_as_questions_and_no_card() {
    let md = "## 운영체제\n\n<details>\n  <summary><h3>1. 시스템 콜이 무엇인지 설명해 주세요.</h3></summary>\n<ul>\n<li> 시스템 콜의 예를 들어주세요.</li>\n<li> 왜 모드를 나누나요? </li>\n<li> 응답 코드를 정의해 쓸 수 있을까요? 예를 들어 285번 처럼요.</li>\n</ul>\n</details>\n\n<details>\n  <summary><h3>2. 인터럽트가 무엇인지 설명해 주세요.</h3></summary>\n<ul>\n<li> 폴링과 무엇이 다른가요?</li>\n</ul>\n</details>\n";
    assert!(cards(md).is_empty(), "{:?}", asked(md));
    let first = "운영체제 › 1. 시스템 콜이 무엇인지 설명해 주세요.";
    assert_eq!(
        questions(md),
        [
            (first.to_owned(), 4),
            (format!("{first} › 시스템 콜의 예를 들어주세요."), 6),
            (format!("{first} › 왜 모드를 나누나요?"), 7),
            (
                format!("{first} › 응답 코드를 정의해 쓸 수 있을까요? 예를 들어 285번 처럼요."),
                8
            ),
            ("운영체제 › 2. 인터럽트가 무엇인지 설명해 주세요.".to_owned(), 13),
            (
                "운영체제 › 2. 인터럽트가 무엇인지 설명해 주세요. › 폴링과 무엇이 다른가요?".to_owned(),
                15
            ),
        ]
    );
    assert_eq!(
        findings(md),
        ["n.md:1: question-bank: section \"운영체제\" is a question bank: 6 questions, no answers"]
    );
}

#[test]
fn a_question_whose_nested_list_only_asks_has_follow_ups_not_an_answer() {
    let md = "## 팀에 묻기\n\n- 배포는 어떻게 하나요?\n- 해결하지 못한 문제는 무엇인가요?\n  - 자동화하지 못한 일이 있나요?\n  - 채용 기준은 분명한가요?\n- 코드 리뷰는 하나요?\n  - 모든 변경을 검토합니다.\n";
    assert_eq!(asked(md), ["팀에 묻기 › 코드 리뷰는 하나요?"]);
    let kept: Vec<usize> = questions(md).iter().map(|(_, line)| *line).collect();
    assert_eq!(kept, [3, 4, 5, 6]);
    assert_eq!(
        questions(md)[2].0,
        "팀에 묻기 › 해결하지 못한 문제는 무엇인가요? › 자동화하지 못한 일이 있나요?"
    );
    // Not a bank (one question is answered): each is told as open.
    assert_eq!(findings(md).len(), 2, "{:?}", findings(md));
}

#[test]
fn a_list_of_questions_under_a_heading_is_a_bank_told_once() {
    let md = "## 자료구조\n\n- 스택과 큐의 차이는?\n- 해시 테이블의 충돌을 설명해 주세요.\n- 힙의 삽입 시간 복잡도는 어떻게 되나요\n";
    assert!(cards(md).is_empty());
    assert_eq!(questions(md).len(), 3);
    assert_eq!(
        findings(md),
        ["n.md:1: question-bank: section \"자료구조\" is a question bank: 3 questions, no answers"]
    );
}

#[test]
fn a_table_of_contents_over_the_sections_skips_only_itself() {
    let md = "# 운영체제\n\n## 목차\n\n- [프로세스](#프로세스)\n- [스레드](#스레드)\n\n### 프로세스\n\n실행 중인 프로그램입니다.\n\n#### PCB\n\n프로세스의 정보를 담습니다.\n\n### 스레드\n\n프로세스 안의 실행 흐름입니다.\n";
    assert_eq!(
        asked(md),
        ["운영체제 › 프로세스", "운영체제 › 프로세스 › PCB", "운영체제 › 스레드"]
    );
    assert_eq!(
        findings(md),
        ["n.md:3: skipped: section \"목차\" is a table of contents, not a card"]
    );
}

#[test]
fn reference_matter_skipped_with_prose_under_it_says_how_much_went_with_it() {
    let md = "## 캐시\n\n가까운 곳에 둡니다.\n\n## 참고 자료\n\n### 책\n\n캐시를 다룬 책의 요약입니다.\n\n### 링크\n\n- [블로그](https://x.io)\n";
    assert_eq!(asked(md), ["캐시"]);
    assert_eq!(
        findings(md),
        [
            "n.md:5: skipped: section \"참고 자료\" is reference material, not a card (1 sub-section with prose of their own went with it)"
        ]
    );
}

#[test]
fn a_first_heading_of_any_level_that_names_the_file_is_not_said_again_in_the_path() {
    let md = "## B Tree\n\n균형 잡힌 트리.\n\n### 삽입\n\n쪼개며 넣는다.\n";
    let parsed = parse(md, "Data Structure/B Tree.md", "다른 주제");
    let shown: Vec<String> = parsed
        .cards
        .iter()
        .map(|c| [c.path.clone(), vec![c.question.clone()]].concat().join(" › "))
        .collect();
    assert_eq!(shown, ["B Tree", "삽입"]);
    // A later heading of the same name is a section like any.
    let md = "## 개요\n\n글.\n\n## B Tree\n\n균형.\n\n### 삽입\n\n넣기.\n";
    let parsed = parse(md, "B Tree.md", "B Tree");
    assert_eq!(parsed.cards[2].path, ["B Tree"]);
}

#[test]
fn an_example_under_a_heading_without_prose_is_that_headings_answer() {
    let md = "# 자료구조\n\n## 스택\n\n### [ 예시 ]\n\n접시를 쌓듯이 넣고 뺍니다.\n\n## 큐\n\n### [ 예시 ]\n\n줄을 서듯이 넣고 뺍니다.\n";
    assert_eq!(asked(md), ["자료구조 › 스택", "자료구조 › 큐"]);
    assert!(answer_of(md, "큐").contains("줄을 서듯이"));
}

#[test]
fn a_plain_question_quoted_before_the_answer_opens_it_and_a_quoted_heading_asks() {
    let md = "## 스레드\n\n> 스레드를 많이 만들면 어떤 영향을 미칠까?\n\n- 문맥 교환 비용이 는다\n- 메모리를 쓴다\n";
    assert_eq!(asked(md), ["스레드"]);
    assert!(answer_of(md, "스레드").contains("문맥 교환"));
    let md = "## Java\n\n자바의 문법.\n\n> ### Enum이란?\n\n서로 관련된 상수의 집합입니다.\n";
    assert_eq!(asked(md), ["Java", "Java › Enum이란?"]);
    assert_eq!(answer_of(md, "Enum이란?"), "서로 관련된 상수의 집합입니다.");
}

#[test]
fn a_numbered_question_alone_is_answered_by_the_paragraphs_after_it() {
    let md = "## 정렬\n\n1. 퀵 정렬의 시간 복잡도는?\n\n평균 n log n 입니다.\n\n최악은 n^2 입니다.\n\n2. 병합 정렬은 안정적인가?\n\n네, 안정적입니다.\n";
    assert_eq!(
        asked(md),
        ["정렬 › 퀵 정렬의 시간 복잡도는?", "정렬 › 병합 정렬은 안정적인가?"]
    );
    assert_eq!(
        answer_of(md, "퀵 정렬의 시간 복잡도는?"),
        "평균 n log n 입니다.\n\n최악은 n^2 입니다."
    );
}

#[test]
fn under_a_heading_that_names_questions_a_list_of_one_line_items_is_a_question_bank() {
    let md = "# 받은 질문 모음\n\n## 자료구조\n\n- 스택 두 개로 큐 구현\n- 각 정렬의 시간 복잡도 비교\n- 힙의 삽입 시간 복잡도? ✅\n  - 삭제는 어떻게 하나요? ❎\n\n## 소감\n\n- 분위기가 좋았다.\n- 질문이 어려웠음\n";
    let kept: Vec<String> = questions(md).into_iter().map(|(q, _)| q).collect();
    assert_eq!(
        kept,
        [
            "받은 질문 모음 › 자료구조 › 스택 두 개로 큐 구현",
            "받은 질문 모음 › 자료구조 › 각 정렬의 시간 복잡도 비교",
            "받은 질문 모음 › 자료구조 › 힙의 삽입 시간 복잡도?",
            "받은 질문 모음 › 자료구조 › 힙의 삽입 시간 복잡도? › 삭제는 어떻게 하나요?",
        ]
    );
    // Items that state are an answer, even there.
    assert_eq!(asked(md), ["받은 질문 모음 › 소감"]);
    // Elsewhere, a list of noun phrases is an answer's points; `Interview` in a title names a repository.
    let md = "# tech-interview\n\n## 자료구조\n\n- 스택 두 개로 큐 구현\n- 각 정렬의 시간 복잡도 비교\n";
    assert_eq!(asked(md), ["tech-interview › 자료구조"]);
    // A list after the section's prose is a part of its answer.
    let md = "# 면접 질문\n\n## 캐시\n\n자주 쓰는 것을 가까이 둡니다.\n\n- 지역성 활용\n- 적중률\n";
    assert_eq!(asked(md), ["면접 질문 › 캐시"]);
}

#[test]
fn a_bold_question_inside_an_answer_is_an_aside_answered_by_the_paragraph_after_it() {
    let md = "## 힙 정렬\n\n힙은 완전 이진 트리입니다.\n\n***완전 이진 트리란?***\n\n마지막 레벨을 빼고 꽉 찬 트리.\n\n| 단계 | 일 |\n|---|---|\n| 1 | 힙 만들기 |\n\n이제 정렬해보자\n";
    assert_eq!(asked(md), ["힙 정렬", "힙 정렬 › 완전 이진 트리란?"]);
    assert_eq!(answer_of(md, "완전 이진 트리란?"), "마지막 레벨을 빼고 꽉 찬 트리.");
    let own = answer_of(md, "힙 정렬");
    assert!(own.contains("힙 만들기") && own.ends_with("이제 정렬해보자"), "{own}");
    // A question that opens the section's content is answered by everything up to the next one.
    let md = "## 힙 정렬\n\n**완전 이진 트리란?**\n\n마지막 레벨을 빼고 꽉 찬 트리.\n\n- 배열로 나타낸다\n";
    assert_eq!(
        answer_of(md, "완전 이진 트리란?"),
        "마지막 레벨을 빼고 꽉 찬 트리.\n\n- 배열로 나타낸다"
    );
}

#[test]
fn the_front_pages_title_and_sections_about_the_repository_are_no_cards() {
    let md = "# Tech-Interview\n\n> 면접을 준비하며 모은 문항입니다.\n\n## 이 저장소를 잘 사용하기 위한 팁\n\n하루에 하나씩 보세요.\n\n## Information\n\n매주 갱신합니다.\n\n## TCP\n\n연결형 프로토콜.\n";
    let front = parse(md, "README.md", "notes");
    let asked: Vec<&str> = front.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(asked, ["TCP"]);
    assert!(front.questions.is_empty(), "the title is no stub either");
    assert!(
        front.cards[0].path.is_empty(),
        "the repository's name is no context: {:?}",
        front.cards[0].path
    );
    let found: Vec<String> = front.findings.iter().map(|f| f.to_string()).collect();
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("README.md:1: skipped: section \"Tech-Interview\" is the title")),
        "{found:#?}"
    );
    assert_eq!(found.len(), 3, "{found:#?}");
    // Elsewhere a title with prose is a card.
    assert_eq!(
        asked_in("network/README.md", md),
        [
            "Tech-Interview",
            "Tech-Interview › 이 저장소를 잘 사용하기 위한 팁",
            "Tech-Interview › Information",
            "Tech-Interview › TCP"
        ]
    );
}

fn asked_in(file: &str, md: &str) -> Vec<String> {
    parse(md, file, "t")
        .cards
        .iter()
        .map(|c| {
            c.path
                .iter()
                .chain([&c.question])
                .cloned()
                .collect::<Vec<_>>()
                .join(" › ")
        })
        .collect()
}

#[test]
fn a_quoted_question_answered_by_its_quote_inside_an_answer_is_an_aside() {
    let md = "## TCP 종료\n\n네 번의 패킷을 주고받습니다.\n\n> **💡 TIME_WAIT 상태란 무엇일까?**\n> 늦게 온 패킷을 기다리는 상태입니다.\n\n| 플래그 | 뜻 |\n|---|---|\n| FIN | 끝 |\n";
    assert_eq!(asked(md), ["TCP 종료", "TCP 종료 › TIME_WAIT 상태란 무엇일까?"]);
    assert_eq!(
        answer_of(md, "TIME_WAIT 상태란 무엇일까?"),
        "늦게 온 패킷을 기다리는 상태입니다."
    );
    assert!(answer_of(md, "TCP 종료").contains("| FIN | 끝 |"));
}

#[test]
fn code_right_after_a_section_at_its_level_is_that_sections_code() {
    let md = "#### 비교 정렬\n\n원소끼리 비교합니다.\n\n#### Radix sort\n\n자릿수로 나눕니다.\n\n#### 소스 코드\n\n```c\nint main() {}\n```\n\n#### 질문\n\n안정 정렬인가요? 네.\n";
    assert_eq!(asked(md), ["비교 정렬", "Radix sort", "질문"]);
    assert!(answer_of(md, "Radix sort").contains("int main()"));
}

#[test]
fn a_list_whose_items_mostly_ask_is_a_list_of_questions_slips_and_all() {
    let md = "## 손코딩\n\n1. 정렬 알고리즘을 구현해 보세요.\n2. 스택을 구현해 보세요.\n3. 로마 숫자로 바꾸는 프로그램을 작성해 조세요.\n4. 성능 차이를 비교해 주세요,\n";
    assert!(cards(md).is_empty(), "{:?}", asked(md));
    assert_eq!(questions(md).len(), 4);
    // An aside in brackets after the request hides its ending from a first look, not from the reading.
    let md = "## 손코딩\n\n- 원하는 수의 자리를 찾는 프로그램을 작성해 보세요. (단, 하나가 아닐 수 있습니다.)\n- 스택을 구현해 보세요.\n";
    assert!(cards(md).is_empty(), "{:?}", asked(md));
    assert_eq!(questions(md).len(), 2);
    // One asking item among points is not enough.
    let md = "## 정렬\n\n- 퀵 정렬은 빠르다\n- 병합 정렬은 안정적이다\n- 어느 쪽이 나을까요?\n";
    assert_eq!(asked(md), ["정렬"]);
}

#[test]
fn on_the_front_page_a_linked_list_of_questions_is_an_index_and_a_bare_link_heading_no_question() {
    let md = "# 면접 노트\n\n### 도움\n\n##### :pray: [기여하는 법](https://x.io/CONTRIBUTING.md)\n\n##### :star: 이 저장소는 별을 먹고 자랍니다.\n\n## 개발상식 [Link](dev/README.md)\n\n- 좋은 코드란 무엇인가?\n- TDD란 무엇인가?\n\n## TCP\n\n연결형입니다.\n";
    let front = parse(md, "README.md", "notes");
    let asked: Vec<&str> = front.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(asked, ["TCP"]);
    assert!(
        front.questions.is_empty(),
        "{:?}",
        front.questions.iter().map(|q| &q.question).collect::<Vec<_>>()
    );
    let found: Vec<String> = front.findings.iter().map(|f| f.to_string()).collect();
    assert!(
        found
            .iter()
            .any(|f| f.contains("\"기여하는 법\" only points elsewhere")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("\"이 저장소는 별을 먹고 자랍니다.\" introduces the repository")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("\"개발상식 Link\" on the front page only lists what the notes hold")),
        "{found:#?}"
    );
    // Away from the front page the same questions are kept.
    assert_eq!(parse(md, "notes/guide.md", "guide").questions.len(), 3);
}

#[test]
fn a_question_heading_with_only_questions_under_it_is_a_question_with_follow_ups() {
    let md = "## DNS란?\n\n### TTL은 왜 필요한가요?\n\n캐시를 얼마나 둘지 정한다.\n\n### 재귀 질의는?\n\n## TCP와 UDP\n\n### TCP\n\n연결형.\n";
    assert_eq!(asked(md), ["DNS란? › TTL은 왜 필요한가요?", "TCP와 UDP › TCP"]);
    let kept: Vec<(String, usize)> = questions(md);
    assert_eq!(
        kept,
        [("DNS란?".to_owned(), 1), ("DNS란? › 재귀 질의는?".to_owned(), 7)]
    );
    assert!(
        findings(md)
            .iter()
            .any(|f| f == "n.md:1: open-question: question \"DNS란?\" has no answer written, only questions under it"),
        "{:?}",
        findings(md)
    );
}
