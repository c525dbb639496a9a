//! Which heading names say what a section is: reference matter that is no card (References, 참고 자료, 각주, …),
//! or a part of the answer above it (Code, 구현, 예시, …). Names are compared by their letters only
//! ([`letters_key`]), so case, spacing, numbering, brackets, emoji and punctuation make no difference.

use super::clean::letters_key;

/// Headings of sections that hold references, credits and the like, never something to drill.
const REFERENCE: [&str; 53] = [
    "reference",
    "references",
    "ref",
    "refs",
    "참고",
    "참조",
    "출처",
    "각주",
    "footnote",
    "footnotes",
    "source",
    "sources",
    "resource",
    "resources",
    "bibliography",
    "credit",
    "credits",
    "thanks",
    "thanksto",
    "specialthanks",
    "specialthanksto",
    "acknowledgement",
    "acknowledgements",
    "acknowledgment",
    "acknowledgments",
    "license",
    "licence",
    "라이선스",
    "라이센스",
    "저작권",
    "copyright",
    "작성자",
    "글쓴이",
    "author",
    "authors",
    "writer",
    "contributor",
    "contributors",
    "기여자",
    "목차",
    "tableofcontents",
    "contents",
    "toc",
    "furtherreading",
    "읽을거리",
    "더읽을거리",
    "seealso",
    "link",
    "links",
    "링크",
    "personalrecommendation",
    "recommendation",
    "알아야할것",
];

/// What may follow a reference word in one heading: `참고 자료`, `참고한 사이트`, `References and links`,
/// `관련 링크`.
const REFERENCE_BASES: [&str; 10] = [
    "참고",
    "참조",
    "출처",
    "reference",
    "references",
    "관련",
    "추천",
    "추가",
    "related",
    "useful",
];
const REFERENCE_TAILS: [&str; 36] = [
    "",
    "자료",
    "자료들",
    "사항",
    "링크",
    "링크들",
    "사이트",
    "문헌",
    "문서",
    "글",
    "블로그",
    "영상",
    "도서",
    "서적",
    "한자료",
    "한사이트",
    "한글",
    "한블로그",
    "한링크",
    "한문서",
    "할자료",
    "및출처",
    "및참고",
    "및링크",
    "url",
    "urls",
    "link",
    "links",
    "sites",
    "자료및링크",
    "reading",
    "readings",
    "andlinks",
    "materials",
    "읽을거리",
    "자료출처",
];

/// Whether a heading names a section that is not quiz material: references, sources, footnotes, further
/// reading, related links, credits, thanks, licences, authors, tables of contents. `동일 출처 정책` is a
/// concept, not `출처`.
pub(super) fn is_reference(title: &str) -> bool {
    letters_key(title, 40).is_some_and(|key| is_reference_key(&key))
}

/// Whether a heading names questions (`면접 질문`, `예상 질문 모음`, `Interview Questions`, `Q&A`): a list under it
/// of one-line items that state nothing lists questions, however they end. `면접` or `Interview` alone names a
/// repository (`tech-interview`) more often than a list of questions.
pub(super) fn names_questions(title: &str) -> bool {
    // Told on the title as it is: every section asks this of every heading above it.
    title.contains("질문")
        || title.as_bytes().windows(8).any(|w| w.eq_ignore_ascii_case(b"question"))
        || (title.len() <= 12 && letters_key(title, 12).is_some_and(|key| key == "qa" || key == "qna"))
}

/// Whether a title's [`key`] names a table of contents (`목차`, `Contents`, `TOC`): reference matter that only
/// lists what follows, so the sections under it are the notes themselves.
pub(super) fn is_contents_key(key: &str) -> bool {
    ["목차", "tableofcontents", "contents", "toc"].contains(&key)
}

/// [`is_reference`] of a title whose [`key`] is `key`.
pub(super) fn is_reference_key(key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    if REFERENCE.contains(&key) {
        return true;
    }
    if REFERENCE_BASES.iter().any(|base| {
        key.strip_prefix(base)
            .is_some_and(|tail| REFERENCE_TAILS.contains(&tail))
    }) {
        return true;
    }
    // 이미지 출처, 그림 출처, 자료 출처
    ["이미지출처", "그림출처", "사진출처", "자료출처", "내용출처"].contains(&key)
}

/// Whether a heading, however long, opens by naming reference matter and goes on with "and" (`참고 자료 및 더 읽어
/// 볼 곳`): a longer name for the same section. `참조 횟수 및 수거` names no reference matter.
pub(super) fn opens_with_reference(title: &str) -> bool {
    // Told first without building the key: most headings have no `및` or `and`. A word is a run of ASCII
    // letters, so the bytes tell it without decoding: no byte of another character is one.
    let bytes = title.as_bytes();
    let and = || {
        bytes.iter().enumerate().any(|(i, &b)| {
            b | 0x20 == b'a'
                && bytes.get(i + 1..i + 3).is_some_and(|nd| nd.eq_ignore_ascii_case(b"nd"))
                && (i == 0 || !bytes[i - 1].is_ascii_alphabetic())
                && bytes.get(i + 3).is_none_or(|b| !b.is_ascii_alphabetic())
        })
    };
    if !title.contains('및') && !and() {
        return false;
    }
    letters_key(title, 400).is_some_and(|key| {
        REFERENCE_BASES.iter().any(|base| {
            key.strip_prefix(base).is_some_and(|rest| {
                REFERENCE_TAILS
                    .iter()
                    .filter(|tail| !tail.is_empty())
                    .filter_map(|tail| rest.strip_prefix(tail))
                    .any(|more| more.starts_with("및") || more.starts_with("and"))
            })
        })
    })
}

/// Headings that name the code of the answer above them.
const CODE_PARTS: [&str; 14] = [
    "code",
    "codes",
    "코드",
    "소스",
    "소스코드",
    "전체코드",
    "전체소스",
    "전체소스코드",
    "구현",
    "구현코드",
    "코드구현",
    "implementation",
    "sourcecode",
    "fullcode",
];

/// How a heading that names the implementation of what its parent explains ends (`최대 힙 삽입 구현`).
const CODE_TAILS: [&str; 3] = ["구현", "구현코드", "소스코드"];

/// Headings that name another part of the answer above them rather than a question of their own.
const PARTS: [&str; 57] = [
    "예제코드",
    "예시코드",
    "samplecode",
    "examplecode",
    "pseudocode",
    "수도코드",
    "의사코드",
    "예시",
    "예제",
    "예",
    "example",
    "examples",
    "sample",
    "input",
    "output",
    "입력",
    "출력",
    "입출력",
    "입력예시",
    "출력예시",
    "입력예제",
    "출력예제",
    "과정",
    "결과",
    "실행결과",
    "출력결과",
    "결과화면",
    "실행화면",
    "usage",
    "사용예시",
    "예제보기",
    "예시보기",
    "코드보기",
    "자세한설명",
    "더자세한설명",
    "더정확하고자세한설명",
    "코드와함께하는더자세한설명",
    "상세설명",
    "추가설명",
    "보충설명",
    "더알아보기",
    "들어가기전에",
    "들어가며",
    "들어가기앞서",
    "시작하기전에",
    "서론",
    "머리말",
    "intro",
    "introduction",
    "프리뷰",
    "preview",
    "미리보기",
    "시작하며",
    "결론",
    "conclusion",
    "마치며",
    "마무리",
];

/// Programming languages, which name a part when they head code under an implementation.
const LANGUAGES: [&str; 22] = [
    "c",
    "cpp",
    "java",
    "python",
    "javascript",
    "js",
    "nodejs",
    "typescript",
    "ts",
    "kotlin",
    "go",
    "golang",
    "swift",
    "rust",
    "ruby",
    "php",
    "scala",
    "csharp",
    "sql",
    "bash",
    "shell",
    "dart",
];

/// Whether a heading whose [`key`] is `key` names a programming language, with `Version`, `Code`, `코드` or
/// `구현` after it allowed (`C++ Version`, `Java 코드`, `Python3`).
fn is_language(key: &str, title: &str) -> bool {
    // Every language's name starts with a Latin letter.
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return false;
    }
    let bare = ["version", "code", "코드", "구현", "구현코드", "풀이", "solution"]
        .iter()
        .find_map(|tail| key.strip_suffix(tail).filter(|k| !k.is_empty()))
        .unwrap_or(key);
    // The key keeps letters only: `C++` and `C#` are `c`, told apart by the title.
    let bare = match bare {
        "c" if title.contains("++") => "cpp",
        "c" if title.contains('#') => "csharp",
        _ if bare.starts_with("nodejs") => "nodejs",
        _ => bare,
    };
    LANGUAGES.contains(&bare)
}

/// Whether a heading under `parent` names a part of `parent`'s answer: its code, implementation, example,
/// input, output, steps, result or conclusion (`Code`, `코드`, `구현`, `예시`, `예제 1: 팩토리얼`, `Example`, `Input`,
/// `과정`, `결과`, `결론`, `전체 소스코드`), a file of code (`UserInfo.java`), or a language under a heading about
/// code (`### Java` under `## 소스코드`, `C++ Version`).
pub(super) fn is_part(title: &str, parent: &str) -> bool {
    letters_key(title, 40).is_some_and(|key| is_part_key(&key, title, parent))
}

/// The key a heading is compared by ([`letters_key`]): `None` for one too long to be any of these names.
pub(super) fn key(title: &str) -> Option<String> {
    letters_key(title, 40)
}

/// [`is_part`] of a title whose [`key`] is `key`.
pub(super) fn is_part_key(key: &str, title: &str, parent: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    if PARTS.contains(&key) || CODE_PARTS.contains(&key) || names_code_file(title) {
        return true;
    }
    // `예제 1: 팩토리얼 계산`, `예시를 통한 동작 원리 보기`: an example, named or numbered.
    if key.starts_with("예제") || key.starts_with("예시") {
        return true;
    }
    // `최대 힙 삽입 구현`, `1) 배열로 구현`, `삽입 소스코드`: the implementation of what the parent explains. A bare
    // `… 코드` is often a concept (`스파게티 코드`, `해밍 코드`), not code.
    if CODE_TAILS
        .iter()
        .chain(&["예제코드", "예시코드"])
        .any(|tail| key.ends_with(tail))
    {
        return true;
    }
    if !is_language(key, title) {
        return false;
    }
    let says_version = ["version", "코드", "code", "구현"].iter().any(|t| key.ends_with(t));
    let parent_key = letters_key(parent, 200).unwrap_or_default();
    let about_code = [
        "구현",
        "코드",
        "code",
        "implementation",
        "소스",
        "source",
        "예제",
        "예시",
        "example",
        "풀이",
    ]
    .iter()
    .any(|word| parent_key.contains(word));
    says_version || about_code
}

/// Whether a heading is the name of a file of code (`UserInfo.java`, `application.yml`, `router/index.js`): a
/// name without spaces whose extension is a language's or a configuration's. A web file (`.js`, `.css`, `.html`)
/// counts only with a folder before it, since `Next.js` and `Reset.css` name things to explain.
fn names_code_file(title: &str) -> bool {
    const CODE: [&str; 17] = [
        "java",
        "kt",
        "py",
        "xml",
        "yml",
        "yaml",
        "properties",
        "gradle",
        "jsx",
        "tsx",
        "go",
        "rb",
        "cpp",
        "h",
        "sql",
        "sh",
        "vue",
    ];
    const WEB: [&str; 6] = ["js", "ts", "mjs", "css", "scss", "html"];
    let name = title.trim().trim_matches('`');
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-/.".contains(c);
    !stem.is_empty()
        && stem.chars().all(plain)
        && (CODE.contains(&extension) || (stem.contains('/') && WEB.contains(&extension)))
}

/// Whether a heading's [`key`] names code and nothing else: `소스 코드`, `Code`, `구현 코드`, `전체 소스코드`,
/// `Implementation`, or ends in `구현` or `소스코드` (`최대 힙 삽입 구현`).
pub(super) fn is_code_key(key: &str) -> bool {
    CODE_PARTS.contains(&key) || CODE_TAILS.iter().any(|tail| key.ends_with(tail))
}

/// Whether a heading whose [`key`] is `key` introduces what follows as a whole (`About`, `소개`,
/// `Introduction`, `Information`, `사용법`) or speaks of the repository itself (`이 저장소를 잘 쓰는 법`, `About this
/// repo`): on a repository's front page, the repository.
pub(super) fn is_about_key(key: &str) -> bool {
    matches!(
        key,
        "about"
            | "소개"
            | "introduction"
            | "intro"
            | "저장소소개"
            | "프로젝트소개"
            | "information"
            | "info"
            | "사용법"
            | "usage"
            | "howtouse"
    ) || names_repository(key)
}

/// [`names_repository`] of a title however long (`이 저장소는 PR 과 star 를 먹고 자랍니다`).
pub(super) fn title_names_repository(title: &str) -> bool {
    letters_key(title, 200).is_some_and(|key| names_repository(&key))
}

/// Whether a heading's [`key`] speaks of the repository itself (`이 저장소는 …`, `About this repo`).
pub(super) fn names_repository(key: &str) -> bool {
    ["저장소", "레포", "repository"].iter().any(|word| key.contains(word)) || key.ends_with("repo")
}

/// Whether a heading whose [`key`] is `key` names the rules of a study group or repository, or how to take part in
/// it: `Rule(s)`, `Repository Rules`, `스터디 규칙`, `커밋 컨벤션`, `스터디 방법`, `진행 방식`, `Contributing`. On the
/// notes' front page such a section is about the group, not a subject.
pub(super) fn is_rules_key(key: &str) -> bool {
    ["rule", "rules", "규칙", "규칙들", "컨벤션", "convention", "conventions"]
        .iter()
        .any(|end| key.ends_with(end))
        || [
            "스터디방법",
            "스터디진행",
            "스터디진행방식",
            "진행방식",
            "진행방법",
            "참여방법",
            "contribute",
            "contributing",
            "howtocontribute",
            "기여하기",
            "기여방법",
        ]
        .contains(&key)
}

/// Whether a heading whose [`key`] is `key` names a worked example: `예제`, `예시` or `Example` in it
/// (`Adapter 디자인 패턴 예제`, `MVC 패턴 예시 1`, `Netflix 구독 예제 (Java)`), but not an example's code alone.
pub(super) fn is_example_key(key: &str) -> bool {
    ["예제", "예시", "example"].iter().any(|word| key.contains(word))
}

/// Whether a heading sets an exercise to work through: it ends in a "let us do" (`…로 바꿔 보자`, `…를 구해보자`,
/// `…해봅시다`), before any closing remark in brackets (`(32bit 기준)`) and arrows or emoji. `…알아보자` and
/// `…살펴보자` announce a topic, not an exercise.
pub(super) fn is_exercise(title: &str) -> bool {
    let mut title = title.trim_end();
    if title.ends_with(')')
        && let Some(open) = title.rfind('(')
    {
        title = &title[..open];
    }
    // Told first without building the key: most headings say neither.
    if !title.contains("보자") && !title.contains("봅시다") {
        return false;
    }
    letters_key(title, 400).is_some_and(|key| ["해보자", "해봅시다"].iter().any(|end| key.ends_with(end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_headings_in_either_language_and_any_form() {
        for title in [
            "Reference",
            "References",
            "📝 References",
            "[참고 사항]",
            "참고사항",
            "참고 링크",
            "참고사이트",
            "참고문헌",
            "참고한 자료",
            "각주",
            "Footnotes",
            "더 읽을거리",
            "Further reading",
            "관련 링크",
            "Special Thanks to",
            "Personal Recommendation",
            "Credits",
            "License",
            "3. 출처",
            "이미지 출처",
            "Table Of Contents",
            "Link",
        ] {
            assert!(is_reference(title), "{title}");
        }
        for title in [
            "[참고 자료 및 더 읽어 볼 만한 글과 강의 모음]",
            "참고 링크 및 추천 도서 목록",
            "Reference Links and Videos",
            "Reference links AND-more",
        ] {
            assert!(opens_with_reference(title), "{title}");
        }
        for title in [
            "참조 횟수 및 가비지 컬렉션",
            "참고 자료",
            "참조 무결성 및 제약 조건",
            "ReferenceLinksAndVideos",
            "Reference links band",
        ] {
            assert!(!opens_with_reference(title), "{title}");
        }
        for title in [
            "동일 출처 정책",
            "참조 무결성",
            "Call by Reference",
            "Linked List",
            "관련 용어",
            "Source Code",
            "",
        ] {
            assert!(!is_reference(title), "{title}");
        }
    }

    #[test]
    fn rules_of_a_study_or_repository() {
        for title in [
            "💡 Rule",
            "Repository Rules",
            "스터디 규칙",
            "Ground rules",
            "커밋 컨벤션",
            "Commit Convention",
            "스터디 진행 방식",
            "contribute",
            "How to contribute",
        ] {
            assert!(key(title).is_some_and(|k| is_rules_key(&k)), "{title}");
        }
        for title in ["운영체제", "Rule Engine 설계", "규칙 기반 시스템이란?", "Contributors"] {
            assert!(!key(title).is_some_and(|k| is_rules_key(&k)), "{title}");
        }
    }

    #[test]
    fn parts_of_an_answer() {
        for (title, parent) in [
            ("Code", "퀵 정렬"),
            ("코드", "퀵 정렬"),
            ("구현", "싱글톤"),
            ("Implementation", "LRU 캐시"),
            ("예시", "Short Circuit"),
            ("Example", "CORS"),
            ("Input", "문제"),
            ("Output", "문제"),
            ("과정", "TLS 핸드셰이크"),
            ("결과", "변환"),
            ("전체 소스코드", "하노이의 탑"),
            ("C++ Version", "병합 정렬"),
            ("Java", "소스코드"),
            ("Python", "병합 정렬의 구현"),
            ("최대 힙 삽입 구현", "힙의 삽입"),
            ("1) 배열로 구현", "스택"),
            ("더 정확하고 자세한 설명", "가비지 컬렉션"),
            ("들어가기 전에", "Virtual"),
            ("예제 1: 팩토리얼 계산", "재귀"),
            ("예시를 통한 동작 원리 보기", "콜 스택"),
            ("UserInfo.java", "세션 스코프"),
            ("application.yml", "설정"),
            ("router/index.js", "라우터"),
            ("결론", "교착 상태"),
        ] {
            assert!(is_part(title, parent), "{title} under {parent}");
        }
        for (title, parent) in [
            ("장점", "TCP"),
            ("구현 방법", "싱글톤"),
            ("Java", "언어별 특징"),
            ("C#", "접근 제한자"),
            ("스파게티 코드", "안티 패턴의 예"),
            ("시간복잡도", "퀵 정렬"),
            ("예외 처리", "스프링"),
            ("Next.js", "프레임워크"),
            ("Reset.css", "CSS 초기화"),
            ("Spring.io 설정", "스프링"),
        ] {
            assert!(!is_part(title, parent), "{title} under {parent}");
        }
    }
}
