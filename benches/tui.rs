//! What one keystroke costs in the full-screen quiz: laying out a long Korean answer, and a whole frame (update
//! plus draw) into an off-screen terminal. The target is under 2 ms a frame, so the screen keeps up with typing.
//! And what a second of the timer costs while nobody types: the tick, and the timer's few cells drawn apart.

use amgi::notes::parse;
use amgi::queue::Limits;
use amgi::schedule::Scheduler;
use amgi::session::{Journal, Session};
use amgi::store::{LogEnd, LogLine, Progress, StoreError};
use amgi::tui::action::Action;
use amgi::tui::app::App;
use amgi::tui::markdown::{self, Theme};
use amgi::tui::view;
use divan::{Bencher, black_box};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn main() {
    divan::main();
}

/// A long answer of the kind the deck has: paragraphs, nested lists, code, a table and a quote, about 4 KB.
fn long_answer() -> String {
    let mut text = String::new();
    for i in 0..6 {
        text.push_str(&format!(
            "트랜잭션 격리 수준 {i}단계에서는 **더티 리드**, *반복 불가능한 읽기*, 팬텀 리드가 어떻게 달라지는지 \
             설명할 수 있어야 합니다. `SELECT ... FOR UPDATE`는 행 잠금을 잡습니다.\n\n\
             - MVCC: 읽기는 스냅숏을 보고 쓰기를 막지 않습니다\n  - undo 로그로 이전 버전을 만듭니다\n  \
             - vacuum이 죽은 튜플을 치웁니다\n- 갭 락은 범위에 새 행이 끼어드는 것을 막습니다\n\n"
        ));
    }
    text.push_str("| 수준 | 더티 리드 | 팬텀 |\n|---|---|---|\n| READ COMMITTED | 없음 | 있음 |\n| SERIALIZABLE | 없음 | 없음 |\n\n");
    text.push_str("```sql\nBEGIN;\nSELECT stock FROM items WHERE id = 7 FOR UPDATE;\nCOMMIT;\n```\n\n> 실무에서는 EXPLAIN으로 먼저 확인합니다.\n");
    text
}

#[divan::bench]
fn render_long_answer(bencher: Bencher) {
    let answer = long_answer();
    let theme = Theme::colored();
    bencher
        .counter(divan::counter::BytesCount::of_str(&answer))
        .bench(|| markdown::render(black_box(&answer), 98, &theme));
}

/// Answers are dropped: only drawing is measured.
struct Nowhere;

impl Journal for Nowhere {
    fn append(&mut self, _: &LogLine) -> Result<LogEnd, StoreError> {
        Ok(LogEnd { len: 0, crc: None })
    }

    fn save(&mut self, _: &Progress) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The full-screen quiz at 100×30 with a long Korean answer revealed, and the moment it was revealed.
fn revealed_long_answer() -> (App<'static>, amgi::time::Moment) {
    let notes = format!("## 격리 수준과 잠금을 설명해 주세요\n\n{}", long_answer());
    let cards = parse(&notes, "db.md", "database").cards;
    let scheduler = Box::leak(Box::new(Scheduler::new(0.9, None).unwrap()));
    let now: amgi::time::Moment = "2026-11-24T21:00:00+09:00".parse().unwrap();
    let session = Session::drill(
        cards,
        Progress::default(),
        scheduler,
        now,
        Limits::default(),
        Default::default(),
    );
    let mut app = App::new(session, now, 60, Vec::new());
    app.size = (100, 30);
    app.update(Action::Accept, now, &mut Nowhere);
    (app, now)
}

/// One keystroke: scroll the revealed long answer down a line, then draw the 100×30 frame.
#[divan::bench]
fn keystroke_to_frame(bencher: Bencher) {
    let (mut app, now) = revealed_long_answer();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut down = true;
    bencher.bench_local(|| {
        app.update(if down { Action::Down } else { Action::Up }, now, &mut Nowhere);
        down = !down;
        terminal.draw(|frame| frame.render_widget(&app, frame.area())).unwrap();
    });
}

/// One second of the timer on the revealed long answer: the tick (is another second shown?) and the timer's
/// cells drawn apart, as the event loop does while nobody types.
#[divan::bench]
fn timer_tick(bencher: Bencher) {
    let (mut app, now) = revealed_long_answer();
    let screen = Rect::new(0, 0, 100, 30);
    let mut second = 0;
    bencher.bench_local(|| {
        second += 1;
        let redraw = app.tick(now.plus(jiff::SignedDuration::from_secs(second)));
        let area = view::timer_area(&app, screen).unwrap();
        let mut cells = Buffer::empty(area);
        view::render_timer(&app, area, &mut cells);
        black_box((redraw, cells))
    });
}
