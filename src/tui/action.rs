//! Keys become actions at the edge; the rest of the TUI never sees a key event.

use crate::keys::{capital, letter};
use crate::schedule::Grade;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Everything the user can ask of the quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Space or Enter: reveal the answer, or grade Good once it is shown.
    Accept,
    /// `1`–`4`.
    Grade(Grade),
    /// `u`.
    Undo,
    /// `s`.
    Skip,
    /// `!`: suspend the card up.
    Suspend,
    /// `e`: open the card in `$EDITOR`.
    Edit,
    /// `?`.
    Help,
    /// `w`: write the answer out before the reveal.
    Write,
    /// `W` (Shift+w, or `ㅉ` with a Korean input method): write the answer written out into the notes, for a
    /// question asked without one.
    WriteOut,
    /// `y`: yes to the question on the screen.
    Yes,
    /// `n`: no to the question on the screen.
    No,
    /// `f`: ask the follow-up questions (꼬리 질문) offered after a Good or Easy, or start the final pass offered
    /// before an interview.
    FinalPass,
    /// `q`, Ctrl-C, SIGTERM, SIGHUP, SIGINT.
    Quit,
    /// Esc: closes the help overlay when it is up, else quits.
    Back,
    /// `k`, ↑.
    Up,
    /// `j`, ↓.
    Down,
    /// PgUp.
    PageUp,
    /// PgDn.
    PageDown,
    /// Home.
    Top,
    /// End.
    Bottom,
}

/// The action a key press stands for. Key releases and repeats are ignored; a jamo typed with a Korean input
/// method counts as the letter it sits on.
pub fn action(key: KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c' | 'C')).then_some(Action::Quit);
    }
    Some(match key.code {
        KeyCode::Enter => Action::Accept,
        KeyCode::Esc => Action::Back,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home => Action::Top,
        KeyCode::End => Action::Bottom,
        // `W` before `w`: Shift+w, whether the terminal sends a capital, a shifted jamo or the key with Shift held.
        KeyCode::Char(c)
            if capital(c) == Some('W') || (letter(c) == 'w' && key.modifiers.contains(KeyModifiers::SHIFT)) =>
        {
            Action::WriteOut
        }
        KeyCode::Char(c) => match letter(c) {
            ' ' => Action::Accept,
            'y' => Action::Yes,
            'n' => Action::No,
            '1' => Action::Grade(Grade::Again),
            '2' => Action::Grade(Grade::Hard),
            '3' => Action::Grade(Grade::Good),
            '4' => Action::Grade(Grade::Easy),
            'u' => Action::Undo,
            's' => Action::Skip,
            '!' => Action::Suspend,
            'e' => Action::Edit,
            '?' => Action::Help,
            'f' => Action::FinalPass,
            'w' => Action::Write,
            'q' => Action::Quit,
            'k' => Action::Up,
            'j' => Action::Down,
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventState;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn shift_w_is_told_from_w_with_or_without_a_korean_input_method() {
        assert_eq!(action(press(KeyCode::Char('w'))), Some(Action::Write));
        assert_eq!(action(press(KeyCode::Char('ㅈ'))), Some(Action::Write));
        assert_eq!(action(press(KeyCode::Char('W'))), Some(Action::WriteOut));
        assert_eq!(action(press(KeyCode::Char('ㅉ'))), Some(Action::WriteOut));
        assert_eq!(
            action(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::SHIFT)),
            Some(Action::WriteOut)
        );
        assert_eq!(action(press(KeyCode::Char('ㅛ'))), Some(Action::Yes));
        assert_eq!(action(press(KeyCode::Char('ㅜ'))), Some(Action::No));
    }

    #[test]
    fn keys_and_their_korean_twins_give_the_same_action() {
        let pairs = [
            ('q', 'ㅂ'),
            ('u', 'ㅕ'),
            ('s', 'ㄴ'),
            ('e', 'ㄷ'),
            ('j', 'ㅓ'),
            ('k', 'ㅏ'),
            ('f', 'ㄹ'),
        ];
        for (key, jamo) in pairs {
            let want = action(press(KeyCode::Char(key)));
            assert!(want.is_some(), "{key}");
            assert_eq!(action(press(KeyCode::Char(jamo))), want, "{jamo}");
        }
    }

    #[test]
    fn grades_reveal_quit_and_scrolling() {
        assert_eq!(action(press(KeyCode::Char('3'))), Some(Action::Grade(Grade::Good)));
        assert_eq!(action(press(KeyCode::Char(' '))), Some(Action::Accept));
        assert_eq!(action(press(KeyCode::Enter)), Some(Action::Accept));
        assert_eq!(action(press(KeyCode::Esc)), Some(Action::Back));
        assert_eq!(
            action(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(action(press(KeyCode::PageDown)), Some(Action::PageDown));
        // Shift-1: the terminal sends the `!` itself, with or without the shift modifier.
        assert_eq!(action(press(KeyCode::Char('!'))), Some(Action::Suspend));
        assert_eq!(
            action(KeyEvent::new(KeyCode::Char('!'), KeyModifiers::SHIFT)),
            Some(Action::Suspend)
        );
        assert_eq!(action(press(KeyCode::Char('x'))), None);
    }

    #[test]
    fn only_presses_count() {
        let release = KeyEvent {
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
            ..press(KeyCode::Char('q'))
        };
        assert_eq!(action(release), None);
    }
}
