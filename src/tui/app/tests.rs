//! The TUI without a terminal: actions in, state out; and what each screen draws.

use super::*;
use crate::notes::parse;
use crate::queue::Limits;
use crate::schedule::Scheduler;
use crate::session::MemoryJournal;
use crate::store::Progress;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: &str = "2026-11-24T21:00:00+09:00";

fn at(text: &str) -> Moment {
    text.parse().unwrap()
}

/// A small Korean deck: a short card, a long answer with code, a table and a nested list.
const DECK: &str = "## 신뢰성 - Reliability

### TCP와 UDP의 차이를 설명해 주세요

TCP는 연결 지향이고, UDP는 연결 없이 데이터그램을 보냅니다.

- TCP: 순서 보장, 재전송, 흐름 제어
  - 3-way handshake로 연결을 맺습니다
  - 4-way handshake로 끊습니다
- UDP: 헤더 8바이트, 낮은 지연

### 인덱스가 느려지는 경우는?

1. 선택도가 낮은 컬럼
2. 함수를 씌운 조건
   - `WHERE YEAR(created_at) = 2026`
3. 앞이 `%`인 `LIKE`

| 종류 | 장점 | 단점 |
|---|---|---|
| B+Tree | 범위 검색 | 쓰기 비용 |
| Hash | 동등 비교 | 범위 불가 |

```sql
SELECT * FROM orders WHERE id = 1 FOR UPDATE;
```

락을 잡으면 다른 트랜잭션은 기다립니다. 데드락을 피하려면 항상 같은 순서로 잡습니다. 격리 수준이 높을수록 동시성은 떨어집니다.

> 실무에서는 실행 계획(EXPLAIN)으로 먼저 확인합니다.
";

fn cards() -> Vec<Card> {
    parse(DECK, "db.md", "database").cards
}

fn scheduler() -> &'static Scheduler {
    Box::leak(Box::new(Scheduler::new(0.9, None).unwrap()))
}

fn app() -> App<'static> {
    app_with_warnings(Vec::new())
}

/// [`app`] with `warnings` about the notes.
fn app_with_warnings(warnings: Vec<String>) -> App<'static> {
    app_over(cards(), warnings)
}

/// A drill of `cards` with no progress yet at [`NOW`], drawn without colour.
fn app_over(cards: Vec<Card>, warnings: Vec<String>) -> App<'static> {
    let now = at(NOW);
    let session = Session::drill(
        cards,
        Progress::default(),
        scheduler(),
        now,
        Limits::default(),
        Default::default(),
    );
    let mut app = App::new(session, now, 60, warnings);
    app.color = false;
    app
}

/// [`app`] over the deck's cards with their answers left in a store that counts its reads, as a deck restored from
/// the cache of parsed notes has them; the answers of the cards at `damaged` were changed there.
fn app_over_store(damaged: &[usize]) -> (App<'static>, std::sync::Arc<crate::card::counted::CountedStore>) {
    let now = at(NOW);
    let mut cards = cards();
    let store = crate::card::counted::store(&mut cards, damaged);
    let session = Session::drill(
        cards,
        Progress::default(),
        scheduler(),
        now,
        Limits::default(),
        Default::default(),
    );
    let mut app = App::new(session, now, 60, Vec::new());
    app.color = false;
    (app, store)
}

/// Row `y` of `app` drawn at 80×24, as text.
fn row(app: &mut App, y: u16) -> String {
    let terminal = draw(app, 80, 24);
    let buffer = terminal.backend().buffer();
    (0..80u16).map(|x| buffer[(x, y)].symbol().to_owned()).collect()
}

fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| frame.render_widget(&*app, frame.area())).unwrap();
    terminal
}

#[test]
fn space_reveals_then_grades_good_and_the_answer_is_saved_first() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    assert_eq!(app.screen(), Screen::Question);
    app.update(Action::Grade(Grade::Easy), now, &mut journal);
    assert_eq!(app.screen(), Screen::Question, "grades need the answer shown first");
    assert!(journal.lines.is_empty());
    app.update(Action::Accept, now, &mut journal);
    assert_eq!(app.screen(), Screen::Answer);
    app.update(Action::Accept, now, &mut journal);
    assert_eq!(journal.lines.len(), 1);
    assert!(journal.saved.is_some());
    assert_eq!(app.card().unwrap().question, "인덱스가 느려지는 경우는?");
    assert_eq!(app.screen(), Screen::Question);
}

#[test]
fn grades_undo_skip_and_quit() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Grade(Grade::Again), now, &mut journal);
    assert_eq!(app.session.stats().again, 1);
    app.update(Action::Undo, now, &mut journal);
    assert_eq!(app.flash.as_deref(), Some("undone"));
    assert_eq!(app.card().unwrap().question, "TCP와 UDP의 차이를 설명해 주세요");
    assert_eq!(app.session.stats().answered, 0);
    app.update(Action::Skip, now, &mut journal);
    assert_eq!(app.card().unwrap().question, "인덱스가 느려지는 경우는?");
    app.update(Action::Skip, now, &mut journal);
    assert_eq!(app.screen(), Screen::Nothing);
    app.update(Action::Quit, now, &mut journal);
    assert!(app.quit);
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    app.update(Action::Help, now, &mut journal);
    assert!(app.help);
    app.update(Action::Accept, now, &mut journal);
    assert!(!app.help);
    assert_eq!(
        app.screen(),
        Screen::Question,
        "the key that closes help does nothing else"
    );
}

#[test]
fn esc_and_question_mark_close_help_and_esc_quits_only_outside_it() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    for close in [Action::Back, Action::Help] {
        app.update(Action::Help, now, &mut journal);
        app.update(close, now, &mut journal);
        assert!(!app.help && !app.quit, "{close:?} closes help and does not quit");
    }
    app.update(Action::Back, now, &mut journal);
    assert!(app.quit, "Esc outside help quits");
}

#[test]
fn edit_asks_for_the_cards_file_and_line() {
    let mut app = app();
    app.update(Action::Edit, at(NOW), &mut MemoryJournal::default());
    assert_eq!(app.take_edit(), Some(("db.md".into(), 3)));
    assert_eq!(app.take_edit(), None);
}

#[test]
fn scrolling_stays_within_the_answer() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    app.update(Action::Skip, now, &mut journal);
    app.update(Action::Accept, now, &mut journal);
    app.size = (40, 12);
    app.update(Action::Down, now, &mut journal);
    assert_eq!(app.scroll, 1);
    app.update(Action::Bottom, now, &mut journal);
    let max = view::max_scroll(&app);
    assert!(max > 5, "the long answer overflows 40×12: {max}");
    assert_eq!(app.scroll, max);
    app.update(Action::PageDown, now, &mut journal);
    assert_eq!(app.scroll, max);
    app.update(Action::Top, now, &mut journal);
    assert_eq!(app.scroll, 0);
    app.update(Action::Up, now, &mut journal);
    assert_eq!(app.scroll, 0);
}

#[test]
fn a_failed_save_is_shown_and_the_card_stays() {
    let mut app = app();
    let mut journal = MemoryJournal {
        fail: true,
        ..MemoryJournal::default()
    };
    let now = at(NOW);
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Grade(Grade::Good), now, &mut journal);
    assert!(
        app.flash.as_deref().is_some_and(|f| f.starts_with("not saved:")),
        "{:?}",
        app.flash
    );
    assert_eq!(app.screen(), Screen::Answer);
}

#[test]
fn the_timer_counts_seconds_since_the_question_appeared() {
    let mut app = app();
    app.tick(at("2026-11-24T21:01:05+09:00"));
    assert_eq!(app.elapsed_seconds(), 65);
}

/// The answer's markdown is laid out once for all the frames that show it the same: timer ticks, scrolling and
/// the help overlay reuse it; a new width or an edited answer lay it out again.
#[test]
fn the_answer_is_laid_out_once_for_the_frames_that_show_it_the_same() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    app.update(Action::Accept, now, &mut journal);
    let first = draw(&mut app, 80, 24).backend().to_string();
    assert_eq!(app.answer_cache.layouts(), 1);
    for second in 1..5 {
        app.tick(now.plus(jiff::SignedDuration::from_secs(second)));
        draw(&mut app, 80, 24);
    }
    app.update(Action::Down, now, &mut journal);
    app.update(Action::Help, now, &mut journal);
    draw(&mut app, 80, 24);
    app.update(Action::Help, now, &mut journal);
    assert_eq!(
        draw(&mut app, 80, 24).backend().to_string(),
        first,
        "the same answer is drawn"
    );
    assert_eq!(
        app.answer_cache.layouts(),
        1,
        "ticks, scrolls and help reuse the layout"
    );

    draw(&mut app, 40, 12);
    assert_eq!(app.answer_cache.layouts(), 2, "a new width lays it out again");

    let mut edited = cards();
    edited[0].answer = format!("{}\n- 편집기에서 더한 줄\n", edited[0].answer.text()).into();
    app.session.replace_cards(edited, now);
    assert_eq!(app.screen(), Screen::Answer);
    let screen = draw(&mut app, 80, 24).backend().to_string();
    assert_eq!(app.answer_cache.layouts(), 3, "an edited answer is laid out again");
    assert!(
        screen.contains("편집기에서 더한 줄"),
        "the edited answer is drawn:\n{screen}"
    );
}

fn secs(seconds: i64) -> jiff::SignedDuration {
    jiff::SignedDuration::from_secs(seconds)
}

/// A tick within the second the timer shows asks for no frame; the next second asks for the timer alone, and the
/// quiz is to wake then.
#[test]
fn a_tick_redraws_the_timer_only_when_it_shows_another_second() {
    let mut app = app();
    let now = at(NOW);
    assert_eq!(view::next_change(&app), Some(now.plus(secs(1))));
    assert_eq!(
        app.tick(now.plus(jiff::SignedDuration::from_millis(400))),
        Redraw::Nothing
    );
    assert_eq!(
        app.tick(now.plus(jiff::SignedDuration::from_millis(999))),
        Redraw::Nothing
    );
    assert_eq!(app.tick(now.plus(secs(1))), Redraw::Timer);
    assert_eq!(view::next_change(&app), Some(now.plus(secs(2))));
    assert_eq!(
        app.tick(now.plus(jiff::SignedDuration::from_millis(1500))),
        Redraw::Nothing
    );

    // On the answer too (its grade bar's intervals stay as they are within the day).
    app.update(Action::Accept, now.plus(secs(2)), &mut MemoryJournal::default());
    assert_eq!(
        app.tick(now.plus(jiff::SignedDuration::from_millis(2700))),
        Redraw::Nothing
    );
    assert_eq!(app.tick(now.plus(secs(3))), Redraw::Timer);
    // Past the target the timer turns amber: still the timer alone.
    assert_eq!(app.tick(now.plus(secs(61))), Redraw::Timer);

    // A terminal too small shows no timer: nothing to wake for.
    app.size = (20, 6);
    assert_eq!(view::next_change(&app), None);
    assert_eq!(app.tick(now.plus(secs(70))), Redraw::Nothing);
}

/// A key that changes nothing on the screen asks for no frame; one that does asks for a whole frame.
#[test]
fn a_key_that_changes_nothing_asks_for_no_frame() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    for key in [
        Action::Grade(Grade::Easy),
        Action::Down,
        Action::Bottom,
        Action::Up,
        Action::FinalPass,
    ] {
        assert_eq!(
            app.update(key, now, &mut journal),
            Redraw::Nothing,
            "{key:?} on a question"
        );
    }
    assert_eq!(
        app.update(Action::Grade(Grade::Easy), now.plus(secs(4)), &mut journal),
        Redraw::Timer,
        "nothing but the timer moved meanwhile"
    );
    assert_eq!(app.update(Action::Accept, now, &mut journal), Redraw::Frame);
    assert_eq!(
        app.update(Action::Up, now, &mut journal),
        Redraw::Nothing,
        "at the top already"
    );
    assert_eq!(app.update(Action::Help, now, &mut journal), Redraw::Frame);
    assert_eq!(
        app.update(Action::Down, now, &mut journal),
        Redraw::Frame,
        "closes the help"
    );
    assert!(journal.lines.is_empty());

    // The flash of the last action goes with the next key, so that key redraws.
    app.update(Action::Skip, now, &mut journal);
    assert_eq!(app.flash.as_deref(), Some("skipped: back in 7h (2026-11-25 04:00)"));
    assert_eq!(app.update(Action::Grade(Grade::Easy), now, &mut journal), Redraw::Frame);
    assert_eq!(
        app.update(Action::Grade(Grade::Easy), now, &mut journal),
        Redraw::Nothing
    );

    // The first key puts the warnings banner away, so it redraws whatever it does.
    let mut app = app_with_warnings(vec!["3 × stub in the notes (amgi check)".into()]);
    assert_eq!(app.update(Action::Down, now, &mut journal), Redraw::Frame);
    assert_eq!(app.update(Action::Down, now, &mut journal), Redraw::Nothing);
}

/// The done screen counts down to the next due card: the quiz wakes when that text changes (within a second
/// after), and a tick before then asks for no frame. A cram's end shows nothing that moves: no wake at all.
#[test]
fn the_done_screen_wakes_only_when_its_countdown_changes() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    while app.card().is_some() {
        app.update(Action::Accept, now, &mut journal);
        app.update(Action::Grade(Grade::Easy), now, &mut journal);
    }
    assert_eq!(app.screen(), Screen::Done);
    let change = view::next_change(&app).expect("a card comes due later");
    assert!(change > now.plus(secs(60)), "no wake every second: {change}");
    assert!(view::timer_area(&app, ratatui::layout::Rect::new(0, 0, 80, 24)).is_none());
    assert_eq!(app.tick(change.plus(secs(-1))), Redraw::Nothing);
    assert_eq!(app.tick(change), Redraw::Frame);
    assert!(view::next_change(&app).unwrap() > change);

    let empty = Session::cram(Vec::new(), Progress::default(), scheduler(), Vec::new(), false);
    let app = App::new(empty, now, 60, Vec::new());
    assert_eq!(view::next_change(&app), None);
}

/// The moment a countdown reads otherwise is found whatever its unit: never before the change, at most a second
/// after it.
#[test]
fn countdown_changes_finds_the_next_wording_of_the_wait() {
    let now = at(NOW);
    for wait in [
        1,
        29,
        30,
        31,
        89,
        90,
        600,
        3569,
        3600,
        5399,
        5400,
        86_399,
        86_400,
        3 * 86_400 + 7,
    ] {
        let due = now.plus(jiff::SignedDuration::from_millis(wait * 1000 + 250));
        let shown = crate::schedule::due_in(due, now);
        let change = view::countdown_changes(due, now);
        assert!(change > now, "{wait}: {change}");
        if change < due {
            assert_ne!(
                crate::schedule::due_in(due, change),
                shown,
                "{wait}: changed at {change}"
            );
        }
        let before = change.plus(secs(-1));
        if before > now {
            assert_eq!(
                crate::schedule::due_in(due, before),
                shown,
                "{wait}: unchanged at {before}"
            );
        }
    }
}

/// The timer's cells, drawn apart, are the ones the whole frame draws; under the help overlay they are drawn apart
/// only where the overlay leaves them in view.
#[test]
fn the_timer_drawn_apart_matches_the_frame() {
    let mut app = app();
    app.color = true;
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    app.tick(now.plus(secs(75)));
    for (width, height) in [(80, 24), (40, 12), (100, 30)] {
        let terminal = draw(&mut app, width, height);
        let frame = terminal.backend().buffer();
        let area = view::timer_area(&app, *frame.area()).expect("a question shows the timer");
        let mut apart = ratatui::buffer::Buffer::empty(area);
        view::render_timer(&app, area, &mut apart);
        for position in area.positions() {
            assert_eq!(apart[position], frame[position], "{width}×{height} at {position:?}");
        }
        let text: String = area.positions().map(|p| frame[p].symbol().to_owned()).collect();
        assert_eq!(text.trim(), "75s");
    }
    app.update(Action::Help, now.plus(secs(75)), &mut journal);
    assert!(view::timer_area(&app, ratatui::layout::Rect::new(0, 0, 80, 24)).is_some());
    assert!(
        view::timer_area(&app, ratatui::layout::Rect::new(0, 0, 40, 12)).is_none(),
        "the overlay covers it"
    );
}

/// A card whose answer only leads in to its sub-sections shows them after the answer, each one line; the
/// sub-sections' own cards do not.
#[test]
fn an_answer_that_leads_in_to_sub_sections_lists_them() {
    let notes = "## TCP와 UDP\n\n전송 계층에 속하는 두 프로토콜로, 아래에서 하나씩 봅니다.\n\n### TCP (Transmission \
                 Control Protocol)\n\n연결을 맺고 순서와 도착을 보장합니다.\n\n### UDP (User Datagram \
                 Protocol)\n\n연결 없이 데이터그램을 보냅니다.\n";
    let now = at(NOW);
    let mut app = app_over(parse(notes, "network.md", "network").cards, Vec::new());
    let mut journal = MemoryJournal::default();
    assert_eq!(app.card().unwrap().question, "TCP와 UDP");
    app.update(Action::Accept, now, &mut journal);
    insta::assert_snapshot!("parts_80x24", draw(&mut app, 80, 24).backend());
    assert!(
        row(&mut app, 7).contains("› TCP (Transmission Control Protocol)"),
        "{}",
        row(&mut app, 7)
    );
    app.update(Action::Grade(Grade::Good), now, &mut journal);
    assert_eq!(app.card().unwrap().question, "TCP (Transmission Control Protocol)");
    app.update(Action::Accept, now, &mut journal);
    let screen = format!("{:?}", draw(&mut app, 80, 24).backend());
    assert!(!screen.contains("card of its own"), "{screen}");
}

/// A question asked without a written answer says so before and after Space, shows its follow-up questions as
/// what there is to reveal, and after a Good answer offers them (`f 꼬리 질문 2개`), which `f` asks next.
#[test]
fn a_question_without_an_answer_is_drilled_aloud_and_offers_its_follow_ups() {
    let notes = "## 운영체제\n\n- 프로세스와 스레드의 차이를 설명해 주세요.\n  - 스레드끼리 공유하는 메모리 영역은 어디인가요?\n  - 멀티 프로세스 대신 멀티 스레드를 쓰는 이유는 무엇인가요?\n\n## 교착 상태란?\n\n네 조건이 모두 성립할 때 생깁니다.\n";
    let parsed = parse(notes, "os.md", "os");
    let mut cards = parsed.cards;
    cards.extend(parsed.questions);
    cards.sort_by_key(|c| c.line);
    let now = at(NOW);
    let mut app = app_over(cards, Vec::new());
    let mut journal = MemoryJournal::default();
    assert!(app.card().unwrap().is_question());
    for (width, height) in [(80, 24), (40, 12)] {
        insta::assert_snapshot!(
            snapshot_name("unanswered_question", width, height),
            draw(&mut app, width, height).backend()
        );
    }
    app.update(Action::Accept, now, &mut journal);
    insta::assert_snapshot!("unanswered_revealed_80x24", draw(&mut app, 80, 24).backend());
    app.update(Action::Grade(Grade::Good), now, &mut journal);
    assert_eq!(
        app.card().unwrap().question,
        "교착 상태란?",
        "the follow-ups waited for their question"
    );
    insta::assert_snapshot!("follow_up_offer_80x24", draw(&mut app, 80, 24).backend());
    // Past the flash, the footer keeps the offer while it stands.
    app.flash = None;
    let footer = row(&mut app, 23).replace(' ', "");
    assert!(footer.contains("f꼬리질문2개"), "{footer}");
    app.update(Action::FinalPass, now, &mut journal);
    assert_eq!(
        app.card().unwrap().question,
        "스레드끼리 공유하는 메모리 영역은 어디인가요?"
    );
    assert_eq!(app.flash.as_deref(), Some("꼬리 질문 2개 먼저"));
}

/// The help overlay keeps its left border where a Hangul character straddles its edge: the character left of the
/// edge goes, so a terminal drawing it over two columns cannot cover the border.
#[test]
fn the_help_overlay_keeps_its_border_over_hangul_that_straddles_its_edge() {
    let notes = format!("## 질문\n\n{}\n", "가나다라마바사아자차카타파하".repeat(12));
    let now = at(NOW);
    let mut app = app_over(parse(&notes, "a.md", "a").cards, Vec::new());
    let mut journal = MemoryJournal::default();
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Help, now, &mut journal);
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    let column = |x: u16| (0..24).map(|y| buffer[(x, y)].symbol().to_string()).collect::<Vec<_>>();
    let border = column(10);
    let top = border
        .iter()
        .position(|s| s == "┌")
        .expect("the overlay's top left corner at column 10");
    let bottom = border.iter().position(|s| s == "└").expect("its bottom left corner");
    let left = column(9);
    for y in top + 1..bottom {
        assert_eq!(border[y], "│", "row {y}: the left border");
        assert!(
            unicode_width::UnicodeWidthStr::width(left[y].as_str()) <= 1,
            "row {y}: a wide character before the border covers it"
        );
    }
    insta::assert_snapshot!("help_over_hangul_80x24", terminal.backend());
}

fn snapshot_name(screen: &str, width: u16, height: u16) -> String {
    format!("{screen}_{width}x{height}")
}

/// Every screen at 80×24 and 40×12.
#[test]
fn screens() {
    let now = at(NOW);
    for (width, height) in [(80, 24), (40, 12)] {
        let mut journal = MemoryJournal::default();
        let mut app = app();
        app.tick(at("2026-11-24T21:00:07+09:00"));
        insta::assert_snapshot!(
            snapshot_name("question", width, height),
            draw(&mut app, width, height).backend()
        );

        app.update(Action::Accept, now, &mut journal);
        insta::assert_snapshot!(
            snapshot_name("answer", width, height),
            draw(&mut app, width, height).backend()
        );

        app.update(Action::Accept, now, &mut journal);
        app.update(Action::Accept, now, &mut journal);
        insta::assert_snapshot!(
            snapshot_name("long_answer", width, height),
            draw(&mut app, width, height).backend()
        );
        app.update(Action::PageDown, now, &mut journal);
        insta::assert_snapshot!(
            snapshot_name("long_answer_scrolled", width, height),
            draw(&mut app, width, height).backend()
        );

        app.update(Action::Help, now, &mut journal);
        insta::assert_snapshot!(
            snapshot_name("help", width, height),
            draw(&mut app, width, height).backend()
        );
        app.update(Action::Help, now, &mut journal);

        app.update(Action::Grade(Grade::Easy), now, &mut journal);
        // Only the learning card is left, due in 10 minutes: shown early. Grade it away.
        while app.card().is_some() {
            app.update(Action::Accept, now, &mut journal);
            app.update(Action::Grade(Grade::Easy), now, &mut journal);
        }
        insta::assert_snapshot!(
            snapshot_name("done", width, height),
            draw(&mut app, width, height).backend()
        );
    }
}

#[test]
fn nothing_due_and_too_small() {
    let mut app = app();
    let mut journal = MemoryJournal::default();
    app.update(Action::Skip, at(NOW), &mut journal);
    app.update(Action::Skip, at(NOW), &mut journal);
    app.warnings = vec!["3 × stub in the notes (amgi check)".into()];
    insta::assert_snapshot!("nothing_80x24", draw(&mut app, 80, 24).backend());
    insta::assert_snapshot!("nothing_40x12", draw(&mut app, 40, 12).backend());
    insta::assert_snapshot!("too_small", draw(&mut app, 20, 6).backend());
}

/// The styles that carry meaning: each grade in its colour, the counters in blue · red · green.
#[test]
fn grade_colours() {
    let mut app = app();
    app.color = true;
    app.update(Action::Accept, at(NOW), &mut MemoryJournal::default());
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    let row = 23;
    let line: String = (0..80).map(|x| buffer[(x, row)].symbol().to_string()).collect();
    for (label, color) in [
        ("1 Again", ratatui::style::Color::Red),
        ("2 Hard", ratatui::style::Color::Yellow),
        ("3 Good", ratatui::style::Color::Green),
        ("4 Easy", ratatui::style::Color::Blue),
    ] {
        let x = line.find(label).unwrap_or_else(|| panic!("{label} not in {line:?}"));
        let x = line[..x].chars().count() as u16;
        assert_eq!(buffer[(x, row)].fg, color, "{label}");
        assert!(buffer[(x, row)].modifier.contains(ratatui::style::Modifier::BOLD));
    }
    let counters: String = (0..80).map(|x| buffer[(x, 1)].symbol().to_string()).collect();
    assert!(counters.trim_end().ends_with("2 · 0 · 0"), "{counters:?}");
    assert_eq!(buffer[(79, 1)].fg, ratatui::style::Color::Green);
    assert_eq!(buffer[(75, 1)].fg, ratatui::style::Color::Red);
    assert_eq!(buffer[(71, 1)].fg, ratatui::style::Color::Blue);

    app.color = false;
    let plain = draw(&mut app, 80, 24);
    let cell = &plain.backend().buffer()[(0, 23)];
    assert_eq!(cell.fg, ratatui::style::Color::Reset, "NO_COLOR: no colours");
    assert!(cell.modifier.contains(ratatui::style::Modifier::BOLD));
}

/// An app on `now` over `progress`.
fn app_with(progress: Progress, now: Moment) -> App<'static> {
    let session = Session::drill(
        cards(),
        progress,
        scheduler(),
        now,
        Limits::default(),
        Default::default(),
    );
    let mut app = App::new(session, now, 60, Vec::new());
    app.color = false;
    app
}

/// The eve of an interview with nothing due: the final pass is offered, `f` (or ㄹ) starts it, and its answers
/// leave the schedule alone.
#[test]
fn the_eve_offers_a_final_pass() {
    let now = at("2026-12-02T21:00:00+09:00");
    let mut progress = Progress::default();
    progress.settings.interview = Some(jiff::civil::date(2026, 12, 3));
    progress.settings.planned_on = Some(jiff::civil::date(2026, 11, 24));
    let limits = Limits { new: 0, reviews: 200 };
    let session = Session::drill(cards(), progress.clone(), scheduler(), now, limits, Default::default());
    let mut app = App::new(session, now, 60, Vec::new());
    app.color = false;
    assert_eq!(app.screen(), Screen::Nothing);
    assert_eq!(app.offer, Some(vec![0, 1]));
    insta::assert_snapshot!("final_pass_offer_80x24", draw(&mut app, 80, 24).backend());

    let mut journal = MemoryJournal::default();
    app.update(Action::FinalPass, now, &mut journal);
    assert_eq!(app.screen(), Screen::Question);
    assert_eq!(app.offer, None);
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Grade(Grade::Good), now, &mut journal);
    assert_eq!(journal.lines.len(), 1, "the answer is logged");
    assert_eq!(journal.saved, None, "progress.yaml is not rewritten");
    assert_eq!(app.delays(), None, "no intervals: the schedule does not move");

    // The day before the eve, nothing is offered.
    let early = at("2026-12-01T21:00:00+09:00");
    let session = Session::drill(cards(), progress, scheduler(), early, limits, Default::default());
    assert_eq!(App::new(session, early, 60, Vec::new()).offer, None);
}

/// A card forgotten eight times is flagged as a leech in the header.
#[test]
fn a_leech_is_flagged() {
    let now = at(NOW);
    let card = &cards()[0];
    let leech = crate::schedule::CardState {
        phase: crate::schedule::Phase::Review,
        due: Some(at("2026-11-24T04:00:00+09:00")),
        memory: Some(crate::schedule::Memory {
            stability: 1.5,
            difficulty: 9.0,
        }),
        reps: 20,
        lapses: 9,
        last_review: Some(at("2026-11-22T21:00:00+09:00")),
        step: 0,
    };
    let progress = Progress::with_states([(card, leech)]);
    let mut app = app_with(progress, now);
    insta::assert_snapshot!("leech_80x24", draw(&mut app, 80, 24).backend());
    let header: String = {
        let terminal = draw(&mut app, 80, 24);
        let buffer = terminal.backend().buffer();
        (0..80).map(|x| buffer[(x, 1)].symbol().to_string()).collect()
    };
    assert!(header.starts_with("review · leech (9 lapses)"), "{header:?}");
}

/// A cram says so in its header, its counters move as cards are answered, and with no card at all it says there is
/// nothing to cram rather than suggest a cram.
#[test]
fn a_cram_says_cram_and_nothing_to_cram_is_no_drill_screen() {
    let now = at(NOW);
    let session = Session::cram(cards(), Progress::default(), scheduler(), vec![1, 0], false);
    let mut app = App::new(session, now, 60, Vec::new());
    app.color = false;
    let mut journal = MemoryJournal::default();
    insta::assert_snapshot!("cram_question_80x24", draw(&mut app, 80, 24).backend());
    let header = |app: &mut App| row(app, 1);
    assert!(header(&mut app).starts_with("cram · new"), "{}", header(&mut app));
    assert!(
        header(&mut app).trim_end().ends_with("2 · 0 · 0"),
        "{}",
        header(&mut app)
    );
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Grade(Grade::Good), now, &mut journal);
    assert!(
        header(&mut app).trim_end().ends_with("1 · 0 · 0"),
        "the counters move: {}",
        header(&mut app)
    );
    // Done, its summary speaks of cram answers.
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Grade(Grade::Good), now, &mut journal);
    let done = format!("{:?}", draw(&mut app, 80, 24).backend());
    assert!(
        done.contains("retention: no cram answers to cards in review yet"),
        "{done}"
    );
    assert!(!done.contains("no review answers"), "{done}");

    let empty = Session::cram(Vec::new(), Progress::default(), scheduler(), Vec::new(), false);
    let mut app = App::new(empty, now, 60, Vec::new());
    app.color = false;
    insta::assert_snapshot!("cram_nothing_80x24", draw(&mut app, 80, 24).backend());
}

/// The warnings show as a banner at the start; the first key puts it away, and a marker stands for them.
#[test]
fn the_warnings_banner_goes_at_the_first_key_and_leaves_a_marker() {
    let now = at(NOW);
    let mut app = app_with_warnings(vec![
        "1 × unreadable in the notes (amgi check)".into(),
        "3 × stub in the notes (amgi check)".into(),
    ]);
    assert!(row(&mut app, 2).starts_with("⚠ 1 × unreadable in the notes (amgi check) (+1 more, ? for all)"));
    app.update(Action::Accept, now, &mut MemoryJournal::default());
    assert_eq!(app.screen(), Screen::Answer, "the key still does what it does");
    assert!(!row(&mut app, 2).contains("unreadable"), "the banner is put away");
    assert!(row(&mut app, 1).contains("⚠ 2 (?)"), "{}", row(&mut app, 1));
}

/// `!` suspends the card up, on its question or its answer: the next card is up at once, the flash says how to take
/// it back or release it, and `u` brings it back.
#[test]
fn bang_suspends_the_card_up_and_u_brings_it_back() {
    let now = at(NOW);
    let mut app = app();
    let mut journal = MemoryJournal::default();
    let first = app.card().unwrap().id.clone();
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Suspend, now, &mut journal);
    assert_eq!(
        journal.lines,
        [crate::store::LogLine::Suspend {
            card: first.clone(),
            at: now
        }]
    );
    assert!(journal.saved.as_ref().unwrap().cards[&first].suspended);
    assert_eq!(app.screen(), Screen::Question);
    assert_eq!(app.card().unwrap().question, "인덱스가 느려지는 경우는?");
    assert_eq!(app.flash.as_deref(), Some("suspended until amgi release · u undoes"));
    insta::assert_snapshot!("suspended_80x24", draw(&mut app, 80, 24).backend());
    insta::assert_snapshot!("suspended_40x12", draw(&mut app, 40, 12).backend());

    app.update(Action::Undo, now, &mut journal);
    assert_eq!(app.card().unwrap().id, first);
    assert_eq!(app.screen(), Screen::Question);
    assert!(matches!(journal.lines[1], crate::store::LogLine::Release { .. }));
    assert!(!journal.saved.as_ref().unwrap().cards.contains_key(&first));

    // Both suspended: nothing is left, and `!` on the screen after it does nothing.
    app.update(Action::Suspend, now, &mut journal);
    app.update(Action::Suspend, now, &mut journal);
    assert_eq!(app.screen(), Screen::Nothing);
    let lines = journal.lines.len();
    app.update(Action::Suspend, now, &mut journal);
    assert_eq!(journal.lines.len(), lines);
    assert_eq!(app.flash, None);
}

#[test]
fn the_lapse_that_makes_a_card_a_leech_is_said_on_the_flash_line() {
    let now = at(NOW);
    let cards = cards();
    let state = crate::schedule::CardState {
        phase: crate::schedule::Phase::Review,
        memory: Some(crate::schedule::Memory {
            stability: 3.0,
            difficulty: 8.0,
        }),
        reps: 20,
        lapses: 7,
        last_review: Some(at("2026-11-20T21:00:00+09:00")),
        due: Some(at("2026-11-23T04:00:00+09:00")),
        ..Default::default()
    };
    let progress = Progress::with_states([(&cards[0], state)]);
    let session = Session::drill(cards, progress, scheduler(), now, Limits::default(), Default::default());
    let mut app = App::new(session, now, 60, Vec::new());
    app.color = false;
    let mut journal = MemoryJournal::default();
    app.update(Action::Accept, now, &mut journal);
    app.update(Action::Grade(Grade::Again), now, &mut journal);
    let screen: String = {
        let terminal = draw(&mut app, 80, 24);
        let buffer = terminal.backend().buffer();
        (0..24u16)
            .flat_map(|y| (0..80u16).map(move |x| (x, y)))
            .map(|(x, y)| buffer[(x, y)].symbol().to_owned())
            .collect()
    };
    assert!(screen.contains("a leech: forgotten 8 times"), "{screen}");
}

/// Drawing reads only memory: the answer of the card up is fetched once, when the card comes up (the first card,
/// the next one, one brought back by undo), and no frame reads the cache of parsed notes, whatever its size or
/// scroll. The answers of cards not up are not read.
#[test]
fn frames_read_no_answer_it_was_fetched_when_the_card_came_up() {
    let (mut app, store) = app_over_store(&[]);
    assert_eq!(store.reads(), 1, "the first card's answer only");
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    app.update(Action::Accept, now, &mut journal);
    let screen = draw(&mut app, 80, 24).backend().to_string();
    draw(&mut app, 40, 12);
    app.update(Action::Down, now, &mut journal);
    draw(&mut app, 80, 24);
    app.tick(now.plus(secs(1)));
    draw(&mut app, 80, 24);
    assert_eq!(
        store.reads(),
        1,
        "frames, a new width, a scroll and a tick read nothing"
    );
    let mut held = super::tests::app();
    held.update(Action::Accept, now, &mut journal);
    assert_eq!(
        draw(&mut held, 80, 24).backend().to_string(),
        screen,
        "the answer drawn is the one in the notes"
    );

    app.update(Action::Grade(Grade::Good), now, &mut journal);
    assert_eq!(store.reads(), 2, "the next card's answer, as it came up");
    app.update(Action::Accept, now, &mut journal);
    draw(&mut app, 80, 24);
    app.update(Action::Undo, now, &mut journal);
    assert_eq!(store.reads(), 3, "the card undo brings back is fetched again");
    app.update(Action::Accept, now, &mut journal);
    draw(&mut app, 80, 24);
    assert_eq!(store.reads(), 3);
    assert_eq!(store.forgotten(), 0);
}

/// An answer whose bytes changed in the cache is a value the session holds from when its card came up: the screen
/// says so in place of the answer, and the cache was given up then (so the next start reads the notes), not while
/// drawing. The next card's answer is read and drawn as usual.
#[test]
fn a_damaged_answer_is_said_on_screen_and_the_cache_given_up_when_the_card_comes_up() {
    let (mut app, store) = app_over_store(&[0]);
    assert!(
        matches!(app.session.answer(), Some(Err(_))),
        "{:?}",
        app.session.answer()
    );
    assert_eq!(
        (store.reads(), store.forgotten()),
        (1, 1),
        "given up as the card came up"
    );
    let mut journal = MemoryJournal::default();
    let now = at(NOW);
    app.update(Action::Accept, now, &mut journal);
    insta::assert_snapshot!("damaged_answer_80x24", draw(&mut app, 80, 24).backend());
    let narrow = draw(&mut app, 40, 12).backend().to_string();
    assert!(narrow.contains("could not be read"), "{narrow}");
    assert_eq!(
        (store.reads(), store.forgotten()),
        (1, 1),
        "drawing reads and gives up nothing"
    );

    app.update(Action::Grade(Grade::Good), now, &mut journal);
    app.update(Action::Accept, now, &mut journal);
    let screen = draw(&mut app, 80, 24).backend().to_string();
    assert!(screen.contains("선택도가 낮은 컬럼"), "{screen}");
    assert_eq!((store.reads(), store.forgotten()), (2, 1));
}

#[test]
fn a_deep_path_on_a_narrow_screen_keeps_the_heading_above_the_question() {
    let notes = "# 데이터베이스\n\n## 트랜잭션과 동시성 제어\n\n### 격리 수준\n\n#### 팬텀 리드란?\n\n범위 조회 사이에 새 행이 보입니다.\n";
    let mut app = app_over(parse(notes, "db.md", "database").cards, Vec::new());
    let terminal = draw(&mut app, 40, 12);
    let buffer = terminal.backend().buffer();
    let top: String = (0..40u16).map(|x| buffer[(x, 0)].symbol().to_owned()).collect();
    // A wide character's second cell reads as a space here: compare without them.
    let top = top.replace(' ', "");
    assert!(top.starts_with("…›"), "{top}");
    assert!(
        top.contains("›격리수준"),
        "the heading just above the question stays: {top}"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn the_folders_of_a_card_come_before_its_topic_in_the_path() {
    let folders: std::sync::Arc<[String]> = ["Computer Science".to_string(), "네트워크".to_string()].into();
    let cards = cards()
        .into_iter()
        .map(|mut card| {
            card.id = card.id.under(&folders);
            card.folders = std::sync::Arc::clone(&folders);
            card
        })
        .collect();
    let mut app = app_over(cards, Vec::new());
    let terminal = draw(&mut app, 80, 24);
    let buffer = terminal.backend().buffer();
    let top: String = (0..80u16).map(|x| buffer[(x, 0)].symbol().to_owned()).collect();
    assert!(
        top.replace(' ', "")
            .starts_with("ComputerScience›네트워크›database›신뢰성-Reliability"),
        "{top}"
    );
    insta::assert_snapshot!(terminal.backend());
}
