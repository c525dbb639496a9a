//! A synthetic deck of Korean interview notes: 10 topic files of 1,000 cards, about 5 MB in all.
//!
//! It is built in memory from fixed word lists and a fixed-seed generator, so every run and every machine sees the
//! same bytes and throughput can be compared between commits without a notes repository at hand. Each file mixes
//! the shapes real notes have (heading questions, sub-headings, bold and `Q.`/`A.` paragraph questions, bullets,
//! inline code, the odd code block and table) so the measurement covers every path of the card rules, and every
//! shape yields exactly one card, so the expected count is known.
//!
//! Shared by `benches/parse.rs` and `examples/gen_deck.rs` (through `#[path]`), so both measure the same deck.

use std::fmt::Write;

/// Cards in each topic file.
pub const CARDS_PER_FILE: usize = 1_000;

/// The topic files, as (file stem, title of its `#` heading). The stem becomes the topic of its cards.
pub const TOPICS: [(&str, &str); 10] = [
    ("network", "네트워크"),
    ("os", "운영체제"),
    ("database", "데이터베이스"),
    ("datastructure", "자료구조"),
    ("algorithm", "알고리즘"),
    ("java", "자바"),
    ("spring", "스프링"),
    ("web", "웹"),
    ("security", "보안"),
    ("infra", "인프라"),
];

/// Every card of the deck: [`TOPICS`] times [`CARDS_PER_FILE`].
pub const CARDS: usize = TOPICS.len() * CARDS_PER_FILE;

/// What a question is about. With [`ASPECTS`] it gives 1,000 distinct questions, one per card of a file, so no
/// card id needs a duplicate suffix.
const SUBJECTS: [&str; 50] = [
    "TCP",
    "UDP",
    "HTTP/2",
    "HTTPS",
    "DNS",
    "로드 밸런서",
    "CDN",
    "프로세스",
    "스레드",
    "가상 메모리",
    "페이지 교체",
    "데드락",
    "세마포어",
    "뮤텍스",
    "컨텍스트 스위칭",
    "인덱스",
    "트랜잭션",
    "격리 수준",
    "정규화",
    "샤딩",
    "레플리케이션",
    "B+ 트리",
    "해시 테이블",
    "힙",
    "트라이",
    "그래프 탐색",
    "동적 계획법",
    "퀵 정렬",
    "가비지 컬렉션",
    "JVM 메모리 구조",
    "스프링 빈",
    "의존성 주입",
    "AOP",
    "REST",
    "GraphQL",
    "쿠키와 세션",
    "JWT",
    "OAuth 2.0",
    "CORS",
    "XSS",
    "CSRF",
    "SQL 인젝션",
    "메시지 큐",
    "캐시",
    "이벤트 루프",
    "마이크로서비스",
    "컨테이너",
    "쿠버네티스",
    "CI/CD",
    "I/O 멀티플렉싱",
];

/// What is asked about a subject: the question around it, with the particle pair that follows the subject
/// (after a final consonant, after a vowel) and the rest.
const ASPECTS: [(&str, &str, &str); 20] = [
    ("이란", "란", " 무엇인가요?"),
    ("의", "의", " 동작 원리"),
    ("을", "를", " 사용하는 이유는?"),
    ("의", "의", " 장점과 단점"),
    ("과", "와", " 관련된 대표적인 문제 상황"),
    ("을", "를", " 직접 구현한다면 어떻게 하나요?"),
    ("의", "의", " 시간 복잡도와 공간 비용"),
    ("을", "를", " 실무에서 튜닝한 경험"),
    ("에서", "에서", " 장애가 났을 때 원인을 찾는 방법"),
    ("의", "의", " 내부 자료 구조"),
    ("이", "가", " 등장한 배경은 무엇인가요?"),
    ("의", "의", " 대안과 트레이드오프"),
    ("을", "를", " 면접에서 설명하는 순서"),
    ("은", "는", " 어떤 상황에서 느려지나요?"),
    ("의", "의", " 보안상 주의점"),
    ("을", "를", " 테스트하는 방법"),
    ("의", "의", " 설정 값 중 중요한 것"),
    ("과", "와", " 비슷한 개념의 차이"),
    ("을", "를", " 모니터링할 때 보는 지표"),
    ("의", "의", " 동시성 문제와 해결책"),
];

/// Answer sentences; `{}` is the subject. None ends in `?`, so no answer line is taken for a question.
const SENTENCES: [&str; 24] = [
    "{}는 요청이 몰릴 때 병목이 생기는 지점을 먼저 파악하는 것이 중요합니다.",
    "핵심은 상태를 어디에 두느냐이고, 그 선택에 따라 확장 방식이 달라집니다.",
    "{}를 설명할 때는 정의, 동작 순서, 장단점, 실제 사용 예 순서로 말하면 좋습니다.",
    "운영 환경에서는 타임아웃과 재시도 정책을 함께 설계해야 장애가 전파되지 않습니다.",
    "메모리와 CPU 사이의 트레이드오프가 있으므로 측정한 뒤에 결정합니다.",
    "`{}`의 기본 설정은 대부분의 경우에 충분하지만 트래픽이 커지면 조정이 필요합니다.",
    "일관성과 가용성 중 무엇을 우선할지는 서비스의 요구 사항에 따라 정해집니다.",
    "**락의 범위**를 줄이면 처리량이 늘지만 경쟁 조건을 놓치기 쉽습니다.",
    "로그와 메트릭을 함께 보면 원인을 훨씬 빨리 좁힐 수 있습니다.",
    "캐시 무효화는 어렵기 때문에 만료 시간을 짧게 두고 시작하는 편이 안전합니다.",
    "{}는 내부적으로 큐를 두어 순서를 보장하고, 실패한 작업은 다시 시도합니다.",
    "면접에서는 직접 겪은 문제와 해결 과정을 예로 들면 설득력이 높아집니다.",
    "네트워크 왕복 횟수를 줄이는 것이 지연 시간을 줄이는 가장 확실한 방법입니다.",
    "읽기가 많은 작업과 쓰기가 많은 작업은 서로 다른 최적화 전략이 필요합니다.",
    "`O(log n)`으로 탐색할 수 있도록 정렬된 구조를 유지하는 것이 일반적입니다.",
    "보안 측면에서는 입력 값을 항상 검증하고 최소 권한 원칙을 지켜야 합니다.",
    "장애 상황을 가정한 테스트를 미리 해 두면 실제 장애 때 복구 시간이 줄어듭니다.",
    "{}의 동작은 운영체제와 런타임의 스케줄링 방식에 큰 영향을 받습니다.",
    "버전이 올라가면서 기본값이 바뀐 경우가 많으니 문서를 확인해야 합니다.",
    "수평 확장이 가능한 구조라면 인스턴스를 늘려 부하를 나눌 수 있습니다.",
    "데이터가 커질수록 인덱스와 파티셔닝 전략이 성능을 좌우합니다.",
    "단순한 해결책으로 먼저 구현하고, 병목이 확인되면 그때 최적화합니다.",
    "동기 방식은 이해하기 쉽지만 대기 시간이 길어지면 자원을 낭비합니다.",
    "*멱등성*을 보장하면 재시도해도 결과가 같아서 안전하게 복구할 수 있습니다.",
];

/// Short bullet points; none ends in `?`, so no list item becomes a question.
const BULLETS: [&str; 20] = [
    "요청 흐름: 클라이언트 → 게이트웨이 → 서비스",
    "장점: 구현이 단순하고 디버깅이 쉬움",
    "단점: 트래픽이 몰리면 단일 장애 지점이 됨",
    "주요 지표: 지연 시간, 처리량, 오류율",
    "설정: `timeout`, `max_connections`, `retry`",
    "대안: 비동기 처리와 메시지 큐",
    "주의: 경쟁 조건과 데드락",
    "시간 복잡도는 평균 `O(1)`, 최악 `O(n)`",
    "운영 팁: 점진적 배포와 빠른 롤백",
    "테스트: 부하 테스트와 카오스 테스트",
    "정합성은 트랜잭션 경계로 보장",
    "캐시 적중률이 낮으면 오히려 느려짐",
    "로그는 구조화해서 남기기",
    "**핵심**: 상태를 최소화하기",
    "메모리 사용량은 입력 크기에 비례",
    "재시도에는 지수 백오프 적용",
    "권한은 필요한 만큼만 부여",
    "장애 시 우선 서비스 복구, 원인 분석은 그다음",
    "읽기 전용 복제본으로 부하 분산",
    "배치 크기를 늘리면 처리량이 오르지만 지연도 늘어남",
];

/// Fenced code blocks for the occasional answer that shows code.
const CODE: [&str; 3] = [
    "```java\npublic synchronized void increment() {\n    count++;\n}\n```",
    "```sql\nSELECT id, name FROM users WHERE email = ? ORDER BY id LIMIT 10;\n```",
    "```rust\nlet handle = std::thread::spawn(move || work(queue));\nhandle.join().unwrap();\n```",
];

/// Every topic file of the deck, as (file name, markdown), in [`TOPICS`] order.
pub fn files() -> Vec<(String, String)> {
    TOPICS
        .iter()
        .enumerate()
        .map(|(n, (stem, title))| (format!("{stem}.md"), file(n, title)))
        .collect()
}

/// One topic file: a `#` title, then [`CARDS_PER_FILE`] cards in a fixed cycle of shapes.
fn file(n: usize, title: &str) -> String {
    let mut rng = Lcg(0x5eed_0000 + n as u64);
    let mut out = String::with_capacity(CARDS_PER_FILE * 520);
    let _ = write!(out, "# {title} 면접 정리\n\n");
    for j in 0..CARDS_PER_FILE {
        // Rotating the subjects per file keeps the files from being copies of one another; within a file the
        // (subject, aspect) pairs stay distinct.
        let subject = SUBJECTS[(j + 7 * n) % SUBJECTS.len()];
        let (after_consonant, after_vowel, rest) = ASPECTS[j / SUBJECTS.len() % ASPECTS.len()];
        let particle = if has_final_consonant(subject) {
            after_consonant
        } else {
            after_vowel
        };
        let question = format!("{subject}{particle}{rest}");
        card(&mut out, &mut rng, j % 10, subject, &question);
    }
    out
}

/// Writes one card in shape `shape` (0–9).
fn card(out: &mut String, rng: &mut Lcg, shape: usize, subject: &str, question: &str) {
    match shape {
        // A question asked in bold inside the previous heading's section, answered by what follows it.
        2 | 5 => {
            let mark = if question.ends_with('?') { "" } else { "는?" };
            let _ = write!(out, "**{question}{mark}**\n\n");
            paragraph(out, rng, subject, 2);
            bullets(out, rng, 3);
        }
        // `Q.` and `A.` lines in one paragraph.
        9 => {
            let mark = if question.ends_with('?') { "" } else { "는?" };
            let _ = writeln!(out, "Q. {question}{mark}");
            out.push_str("A. ");
            paragraph(out, rng, subject, 3);
            bullets(out, rng, 2);
        }
        // A sub-heading with nested bullets, or with a paragraph.
        1 | 7 => {
            let _ = write!(out, "### {question}\n\n");
            if shape == 1 {
                for _ in 0..2 {
                    let _ = writeln!(out, "- {}", rng.pick(&BULLETS));
                    let _ = writeln!(out, "  - {}", rng.pick(&BULLETS));
                }
                out.push('\n');
            } else {
                paragraph(out, rng, subject, 3);
            }
            bullets(out, rng, 2);
        }
        // A heading question with a paragraph and bullets; now and then a code block or a table.
        _ => {
            let _ = write!(out, "## {question}\n\n");
            paragraph(out, rng, subject, 3);
            bullets(out, rng, 3);
            if shape == 3 {
                let _ = write!(out, "{}\n\n", rng.pick(&CODE));
            } else if shape == 6 {
                out.push_str("| 구분 | 설명 |\n| --- | --- |\n");
                for _ in 0..3 {
                    let _ = writeln!(out, "| {subject} | {} |", rng.pick(&BULLETS));
                }
                out.push('\n');
            }
        }
    }
}

/// A paragraph of `sentences` answer sentences about `subject`.
fn paragraph(out: &mut String, rng: &mut Lcg, subject: &str, sentences: usize) {
    for s in 0..sentences {
        if s > 0 {
            out.push(' ');
        }
        out.push_str(&rng.pick(&SENTENCES).replace("{}", subject));
    }
    out.push_str("\n\n");
}

/// A bullet list of `count` random points.
fn bullets(out: &mut String, rng: &mut Lcg, count: usize) {
    for _ in 0..count {
        let _ = writeln!(out, "- {}", rng.pick(&BULLETS));
    }
    out.push('\n');
}

/// Whether `word` ends in a Hangul syllable with a final consonant, which decides the particle after it.
/// Words ending in Latin letters or digits are read as ending in a vowel; close enough for synthetic notes.
fn has_final_consonant(word: &str) -> bool {
    word.chars()
        .next_back()
        .map(u32::from)
        .is_some_and(|c| (0xAC00..=0xD7A3).contains(&c) && (c - 0xAC00) % 28 != 0)
}

/// A fixed 64-bit linear congruential generator (Knuth's MMIX constants): enough to vary the text, and the same
/// sequence everywhere without a `rand` dependency.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        items[(self.0 >> 33) as usize % items.len()]
    }
}
