//! One small test per card rule of the README.

use super::parse::parse;
use crate::card::Card;
use unicode_normalization::UnicodeNormalization;

fn cards(md: &str) -> Vec<Card> {
    parse(md, "n.md", "t").cards
}

/// `path › question` of each card.
fn asked(md: &str) -> Vec<String> {
    cards(md)
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

fn findings(md: &str) -> Vec<String> {
    parse(md, "n.md", "t").findings.iter().map(|f| f.to_string()).collect()
}

fn answer_of(md: &str, question: &str) -> String {
    let all = cards(md);
    let card = all.iter().find(|c| c.question == question);
    card.unwrap_or_else(|| panic!("no card {question:?} in {all:#?}"))
        .answer
        .clone()
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
    assert_eq!(answer_of(md, "CORS란?"), "다른 출처 요청을\n허용하는 규칙");
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
            "n.md:5: skipped: section \"📚 참고 자료\" is reference material, not a card",
            "n.md:13: skipped: section \"1. References\" is reference material, not a card",
            "n.md:21: skipped: section \"Table of Contents:\" is reference material, not a card",
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
    assert_eq!(parsed.cards[0].topic, "네트워크");
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
            assert!(!card.answer.trim().is_empty(), "empty answer in {card:?}");
            assert!(
                (1..=lines).contains(&card.line),
                "line {} of {lines} in {card:?}",
                card.line
            );
        }
        let deck = super::super::Deck::from_files([Ok(super::super::NoteFile {
            file: "p.md".into(),
            topic: "p".into(),
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
    assert!(cards(example).iter().all(|c| c.topic == "network"));
    assert_eq!(
        findings(example),
        ["n.md:32: stub: heading \"CORS\" has no answer under it"]
    );
}
