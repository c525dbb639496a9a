//! The stats screen without a terminal: what it draws at each size, scrolling, and the calendar's shades.

use super::*;
use crate::card::Card;
use crate::notes::parse;
use crate::schedule::{CardState, Grade, Memory, Phase, Scheduler};
use crate::stats::{Input, stats};
use crate::store::{LogLine, Mode, Progress, Review};
use crate::time::Moment;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: &str = "2026-11-20T21:00:00+09:00";

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

const NETWORK: &str = "# 전송 계층

## TCP와 UDP의 차이를 설명해 주세요

TCP는 연결 지향입니다.

## 흐름 제어와 혼잡 제어의 차이는?

받는 쪽과 네트워크.

# 응용 계층

## DNS 조회 과정을 처음부터 끝까지 설명해 주세요 (브라우저 캐시, OS 캐시, 리졸버, 루트, TLD)

차례로 묻습니다.
";

const DATABASE: &str = "# 인덱스

## B+ 트리 인덱스를 쓰는 이유는?

범위 검색.

## 인덱스가 느려지는 경우는?

선택도가 낮을 때.
";

fn cards() -> Vec<Card> {
    let mut cards = parse(NETWORK, "network.md", "네트워크").cards;
    cards.extend(parse(DATABASE, "database.md", "데이터베이스").cards);
    cards.push(
        parse("## 프로세스와 스레드\n\n자원.\n", "os.md", "운영체제")
            .cards
            .remove(0),
    );
    cards
}

/// A review card answered `elapsed` days before NOW, with `stability`, due `interval` days after, `lapses`.
fn state(elapsed: f64, stability: f32, interval: i64, lapses: u32) -> CardState {
    let last = at(NOW).plus(jiff::SignedDuration::from_secs_f64(-elapsed * 86_400.0));
    let due_day = last.day().checked_add(jiff::Span::new().days(interval)).unwrap();
    CardState {
        phase: Phase::Review,
        step: 0,
        due: Some(last.start_of(due_day)),
        memory: Some(Memory {
            stability,
            difficulty: 5.0,
        }),
        reps: 4,
        lapses,
        last_review: Some(last),
    }
}

/// Months of drills with a busy week, a leech, a mature card and an unseen topic.
fn sample() -> Stats {
    let cards = cards();
    let states = [
        state(2.0, 3.0, 3, 0),
        state(1.0, 40.0, 30, 0),
        state(12.0, 6.0, 8, 9),
        state(0.5, 20.0, 12, 1),
        state(5.0, 4.0, 4, 2),
    ];
    let progress = Progress::with_states(cards.iter().zip(states));
    let mut lines = Vec::new();
    let start = at("2026-08-03T21:00:00+09:00");
    for day in 0..110 {
        // Most days, more of them lately; a gap every 9th day.
        if day % 9 == 4 {
            continue;
        }
        let answers = 1 + (day * 7 % 5) + day / 30;
        for i in 0..answers {
            let card = &cards[(day + i) % 5];
            let when = start.plus(jiff::SignedDuration::from_secs(day as i64 * 86_400 + i as i64 * 60));
            lines.push(LogLine::Review(Review {
                card: card.id.clone(),
                at: when,
                grade: if (day + i) % 6 == 0 { Grade::Again } else { Grade::Good },
                mode: Mode::Drill,
                ms: 4000,
                rescheduled: false,
            }));
        }
    }
    let refs: Vec<&Card> = cards.iter().collect();
    let scheduler = Scheduler::new(0.9, None).unwrap();
    stats(&Input {
        cards: &refs,
        progress: &progress,
        lines: &lines,
        only_these_cards: false,
        scheduler: &scheduler,
        now: at(NOW),
    })
}

fn screen() -> StatsScreen {
    let mut screen = StatsScreen::new(sample());
    screen.color = false;
    screen
}

fn draw(screen: &mut StatsScreen, width: u16, height: u16) -> Terminal<TestBackend> {
    screen.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(&*screen, frame.area()))
        .unwrap();
    terminal
}

#[test]
fn the_sample_has_every_section_filled() {
    let stats = sample();
    assert_eq!(stats.topics.len(), 3);
    assert_eq!(stats.leeches.len(), 1);
    assert!(stats.streak.current > 0 && stats.retention.reviews > 0);
    assert!(stats.forecast.iter().sum::<u32>() > 0);
}

#[test]
fn screens() {
    for (width, height) in [(100, 30), (80, 24), (40, 12)] {
        let mut screen = screen();
        insta::assert_snapshot!(
            format!("top_{width}x{height}"),
            draw(&mut screen, width, height).backend()
        );
        screen.update(Action::Bottom);
        insta::assert_snapshot!(
            format!("bottom_{width}x{height}"),
            draw(&mut screen, width, height).backend()
        );
    }
    // Every section in the narrow layout at once.
    insta::assert_snapshot!("whole_40x48", draw(&mut screen(), 40, 48).backend());
    insta::assert_snapshot!("too_small", draw(&mut screen(), 20, 6).backend());
}

#[test]
fn scrolling_stays_within_the_content_and_q_quits() {
    let mut screen = screen();
    screen.size = (80, 24);
    let max = screen.max_scroll();
    assert!(max > 20, "the sections overflow 80×24: {max}");
    screen.update(Action::Down);
    assert_eq!(screen.scroll, 1);
    screen.update(Action::Up);
    screen.update(Action::Up);
    assert_eq!(screen.scroll, 0);
    screen.update(Action::PageDown);
    assert_eq!(screen.scroll, 21, "a page is the body's 22 rows less one");
    screen.update(Action::Bottom);
    assert_eq!(screen.scroll, max);
    screen.update(Action::Down);
    assert_eq!(screen.scroll, max);
    screen.update(Action::Top);
    assert_eq!(screen.scroll, 0);
    screen.update(Action::Grade(Grade::Good));
    screen.update(Action::Accept);
    assert!(!screen.quit, "keys of the quiz do nothing here");
    screen.update(Action::Quit);
    assert!(screen.quit);
}

#[test]
fn nothing_to_scroll_on_a_tall_terminal() {
    let mut screen = screen();
    screen.size = (100, 200);
    assert_eq!(screen.max_scroll(), 0);
    screen.update(Action::PageDown);
    assert_eq!(screen.scroll, 0);
}

/// The calendar's days in a colour per shade level; none under NO_COLOR, where the characters differ still.
#[test]
fn calendar_shades() {
    let mut screen = screen();
    screen.color = true;
    let terminal = draw(&mut screen, 100, 30);
    let buffer = terminal.backend().buffer();
    let calendar = &screen.stats.calendar;
    let weeks = calendar.weeks();
    // The grid starts inside the border (x 1, y 1 below the title row), after the weekday label; month names
    // take its first row.
    let cell = |week: usize, row: usize| {
        let x = 1 + CALENDAR_MARGIN as u16 + 2 * week as u16;
        let y = 1 + 1 + 1 + row as u16;
        &buffer[(x, y)]
    };
    let mut colours = std::collections::BTreeMap::new();
    for (w, week) in weeks.iter().enumerate() {
        for (row, day) in week.iter().enumerate() {
            if let Some((_, n)) = day {
                let level = calendar.level(*n);
                let cell = cell(w, row);
                assert_eq!(
                    cell.symbol(),
                    SHADES[usize::from(level)].to_string(),
                    "week {w} row {row}"
                );
                let fg = cell.fg;
                assert_eq!(*colours.entry(level).or_insert(fg), fg, "one colour per level");
            }
        }
    }
    assert_eq!(colours.len(), 5, "every level shows in the sample: {colours:?}");
    let distinct: std::collections::BTreeSet<String> = colours.values().map(|c| format!("{c:?}")).collect();
    assert_eq!(distinct.len(), 5, "each level its own colour: {colours:?}");

    screen.color = false;
    let terminal = draw(&mut screen, 100, 30);
    let buffer = terminal.backend().buffer();
    for (w, week) in weeks.iter().enumerate() {
        for (row, day) in week.iter().enumerate() {
            if day.is_some() {
                let x = 1 + CALENDAR_MARGIN as u16 + 2 * w as u16;
                assert_eq!(buffer[(x, 3 + row as u16)].fg, Color::Reset, "NO_COLOR: no colours");
            }
        }
    }
}

/// An interview plan shows in the title while it fits, and gives way to the figures when it does not.
#[test]
fn the_title_names_the_interview_when_it_fits() {
    let mut screen = screen();
    screen.stats.interview = Some(jiff::civil::date(2026, 12, 3));
    let title = |terminal: &Terminal<TestBackend>, width: u16| -> String {
        let buffer = terminal.backend().buffer();
        (0..width).map(|x| buffer[(x, 0)].symbol().to_string()).collect()
    };
    let wide = draw(&mut screen, 100, 30);
    assert!(
        title(&wide, 100).contains("· interview 2026-12-03 (in 13 days)"),
        "{:?}",
        title(&wide, 100)
    );
    let narrow = draw(&mut screen, 40, 12);
    assert!(!title(&narrow, 40).contains("interview"), "{:?}", title(&narrow, 40));
}

#[test]
fn the_title_counts_suspended_cards_when_there_are_any() {
    let mut screen = screen();
    let title = |screen: &mut StatsScreen, width: u16| -> String {
        let terminal = draw(screen, width, 30);
        let buffer = terminal.backend().buffer();
        (0..width).map(|x| buffer[(x, 0)].symbol().to_string()).collect()
    };
    assert!(!title(&mut screen, 100).contains("suspended"));
    screen.stats.suspended = 2;
    let wide = title(&mut screen, 100);
    assert!(
        wide.starts_with("amgi stats · 2026-11-20 · 6 cards, 5 seen, 2 suspended "),
        "{wide:?}"
    );
    let narrow = title(&mut screen, 52);
    assert!(
        narrow.starts_with("amgi stats · 2026-11-20 · 5/6 seen, 2 suspended"),
        "{narrow:?}"
    );
}
