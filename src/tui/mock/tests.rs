//! The mock's screens and keys, without a terminal.

use super::*;
use crate::notes::parse;
use crate::schedule::{Grade, Scheduler};
use crate::session::MemoryJournal;
use crate::store::{LogLine, Mode, Progress};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: &str = "2026-11-24T21:00:00+09:00";

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

/// `NOW` and `seconds` more.
fn later(seconds: i64) -> Moment {
    at(NOW).plus(jiff::SignedDuration::from_secs(seconds))
}

const DECK: &str = "# 전송 계층\n\n## TCP와 UDP의 차이를 설명해 주세요\n\nTCP는 **연결 지향**이고, UDP는 연결 없이 \
                    데이터그램을 보냅니다.\n\n- TCP: 순서 보장, 재전송, 흐름 제어\n- UDP: 헤더 8바이트, 낮은 지연\n\n\
                    ### 3-way handshake 과정을 설명해 주세요\n\n## 혼잡 제어는 왜 필요한가요?\n\n네트워크가 막히지 않게 \
                    보내는 양을 줄입니다.\n";

/// A mock of three: a question, its follow-up (which has no written answer), another question.
fn mock() -> Mock<'static> {
    let parsed = parse(DECK, "network.md", "네트워크");
    let all: Vec<crate::Card> = parsed.cards.into_iter().chain(parsed.questions).collect();
    let find = |q: &str| all.iter().find(|c| c.question.starts_with(q)).unwrap().clone();
    let scheduler: &'static Scheduler = Box::leak(Box::new(Scheduler::new(0.9, None).unwrap()));
    Mock::new(
        vec![(find("TCP와"), false), (find("3-way"), true), (find("혼잡"), false)],
        Progress::default(),
        scheduler,
        120,
        false,
        at(NOW),
    )
}

fn draw(app: &MockApp<'_, '_>, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| frame.render_widget(app, frame.area())).unwrap();
    terminal
}

/// The style of the first cell of `text` on the screen.
fn style_of(terminal: &Terminal<TestBackend>, text: &str) -> Style {
    let buffer = terminal.backend().buffer();
    let first = text.chars().next().unwrap().to_string();
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
        if let Some(at) = row.find(text) {
            let x = (0..buffer.area.width)
                .find(|&x| {
                    let before: String = (0..x).map(|x| buffer[(x, y)].symbol()).collect();
                    before.len() == at
                })
                .unwrap();
            assert_eq!(buffer[(x, y)].symbol(), first);
            return buffer[(x, y)].style();
        }
    }
    panic!("{text} is not on the screen:\n{}", terminal.backend());
}

#[test]
fn the_question_stands_alone_with_its_countdown_amber_at_the_end_and_red_past_it() {
    for (width, height) in [(80, 24), (40, 12)] {
        let mut mock = mock();
        let mut app = MockApp::new(&mut mock, at(NOW));
        let terminal = draw(&app, width, height);
        insta::assert_snapshot!(format!("mock_question_{width}x{height}"), terminal.backend());
        assert_ne!(style_of(&terminal, "2:00").fg, Some(Color::Yellow));
        app.now = later(105);
        let terminal = draw(&app, width, height);
        insta::assert_snapshot!(format!("mock_question_amber_{width}x{height}"), terminal.backend());
        assert_eq!(style_of(&terminal, "0:15").fg, Some(Color::Yellow));
        // The answer is never on screen while the question is asked.
        assert!(!terminal.backend().to_string().contains("연결 지향"));
        app.now = later(130);
        let terminal = draw(&app, width, height);
        assert_eq!(style_of(&terminal, "-0:10 over").fg, Some(Color::Red));
    }
}

#[test]
fn without_colour_the_countdown_is_bold_only() {
    let mut mock = mock();
    let mut app = MockApp::new(&mut mock, later(110));
    app.color = false;
    let style = style_of(&draw(&app, 80, 24), "0:10");
    assert!(style.fg.is_none_or(|c| c == Color::Reset), "{style:?}");
    assert!(style.add_modifier.contains(Modifier::BOLD));
}

/// The mock after its three questions were answered in 95, 140 and 30 seconds.
fn answered(mock: &mut Mock<'_>) {
    mock.end_answer(later(95));
    mock.end_answer(later(235));
    mock.end_answer(later(265));
}

#[test]
fn the_review_lists_each_question_with_its_seconds_then_shows_each_answer() {
    for (width, height) in [(80, 24), (40, 12)] {
        let mut mock = mock();
        answered(&mut mock);
        let mut app = MockApp::new(&mut mock, later(270));
        let mut journal = MemoryJournal::default();
        insta::assert_snapshot!(
            format!("mock_overview_{width}x{height}"),
            draw(&app, width, height).backend()
        );
        app.update(Action::Accept, later(271), &mut journal);
        insta::assert_snapshot!(
            format!("mock_review_{width}x{height}"),
            draw(&app, width, height).backend()
        );
        app.update(Action::Grade(Grade::Hard), later(280), &mut journal);
        let screen = draw(&app, width, height).backend().to_string();
        assert!(screen.contains(crate::mock::NO_ANSWER), "{screen}");
        if width == 80 {
            insta::assert_snapshot!(format!("mock_review_no_answer_{width}x{height}"), screen);
        }
    }
}

#[test]
fn keys_end_answers_grade_them_and_q_keeps_what_was_graded() {
    let mut mock = mock();
    let mut journal = MemoryJournal::default();
    {
        let mut app = MockApp::new(&mut mock, at(NOW));
        app.update(Action::Accept, later(40), &mut journal);
        // A grade key while a question is asked does nothing.
        app.update(Action::Grade(Grade::Easy), later(41), &mut journal);
        app.update(Action::Accept, later(70), &mut journal);
        app.update(Action::Quit, later(80), &mut journal);
        assert_eq!(app.mock.stage(), Stage::Overview);
        assert!(!app.quit);
        app.update(Action::Accept, later(81), &mut journal);
        app.update(Action::Grade(Grade::Good), later(90), &mut journal);
        app.update(Action::Quit, later(91), &mut journal);
        assert!(app.quit);
    }
    assert_eq!(journal.lines.len(), 1);
    let LogLine::Review(review) = &journal.lines[0] else {
        panic!()
    };
    assert_eq!(
        (review.mode, review.ms, review.grade),
        (Mode::Mock, 40_000, Grade::Good)
    );
    assert_eq!(mock.summary().graded, 1);
}
