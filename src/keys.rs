//! Keys as the user means them: with a Korean input method on, a letter key arrives as the jamo printed on it
//! (2-beolsik layout), so `ㅂ` is `q` and `ㅕ` is `u`. Every front end reads letters through [`letter`].

/// The QWERTY letter under each jamo of the standard Korean (2-beolsik) layout, shifted jamo included.
const TWO_BEOLSIK: [(char, char); 33] = [
    ('ㅂ', 'q'),
    ('ㅈ', 'w'),
    ('ㄷ', 'e'),
    ('ㄱ', 'r'),
    ('ㅅ', 't'),
    ('ㅛ', 'y'),
    ('ㅕ', 'u'),
    ('ㅑ', 'i'),
    ('ㅐ', 'o'),
    ('ㅔ', 'p'),
    ('ㅁ', 'a'),
    ('ㄴ', 's'),
    ('ㅇ', 'd'),
    ('ㄹ', 'f'),
    ('ㅎ', 'g'),
    ('ㅗ', 'h'),
    ('ㅓ', 'j'),
    ('ㅏ', 'k'),
    ('ㅣ', 'l'),
    ('ㅋ', 'z'),
    ('ㅌ', 'x'),
    ('ㅊ', 'c'),
    ('ㅍ', 'v'),
    ('ㅠ', 'b'),
    ('ㅜ', 'n'),
    ('ㅡ', 'm'),
    ('ㅃ', 'q'),
    ('ㅉ', 'w'),
    ('ㄸ', 'e'),
    ('ㄲ', 'r'),
    ('ㅆ', 't'),
    ('ㅒ', 'o'),
    ('ㅖ', 'p'),
];

/// The key `c` stands for: a jamo becomes the letter it sits on, an ASCII letter its lower case, anything else
/// itself.
pub fn letter(c: char) -> char {
    TWO_BEOLSIK
        .iter()
        .find(|(jamo, _)| *jamo == c)
        .map_or(c.to_ascii_lowercase(), |&(_, key)| key)
}

/// The capital letter `c` stands for, if it is one: an ASCII capital, or a jamo typed with Shift under a Korean
/// input method (`ㅉ` is Shift+ㅈ, so `W`). [`letter`] gives both the lower case; this tells `W` from `w`.
pub fn capital(c: char) -> Option<char> {
    if c.is_ascii_uppercase() {
        return Some(c);
    }
    // The shifted jamo follow the 26 plain ones.
    TWO_BEOLSIK[26..]
        .iter()
        .find(|(jamo, _)| *jamo == c)
        .map(|&(_, key)| key.to_ascii_uppercase())
}

/// What one line of input says in the plain quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// An empty line (spaces only).
    Enter,
    /// One key: `"q"`, `" ㅂ "`, `"Q"` all give `q`.
    Key(char),
    /// More than one character: no key.
    Text,
}

/// What a line of input stands for.
pub fn line_reply(line: &str) -> Reply {
    let mut chars = line.trim().chars();
    match (chars.next(), chars.next()) {
        (None, _) => Reply::Enter,
        (Some(first), None) => Reply::Key(letter(first)),
        (Some(_), Some(_)) => Reply::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jamo_become_the_letters_they_sit_on() {
        let pairs = [
            ('ㅂ', 'q'),
            ('ㅕ', 'u'),
            ('ㄴ', 's'),
            ('ㄷ', 'e'),
            ('ㅓ', 'j'),
            ('ㅏ', 'k'),
            ('ㅃ', 'q'),
        ];
        for (jamo, key) in pairs {
            assert_eq!(letter(jamo), key, "{jamo}");
        }
        assert_eq!(letter('Q'), 'q');
        assert_eq!(letter('3'), '3');
        assert_eq!(letter('?'), '?');
    }

    #[test]
    fn a_shifted_jamo_is_a_capital_and_a_plain_one_is_not() {
        assert_eq!(capital('W'), Some('W'));
        assert_eq!(capital('ㅉ'), Some('W'));
        assert_eq!(capital('ㅈ'), None);
        assert_eq!(capital('w'), None);
        assert_eq!(capital('ㅃ'), Some('Q'));
        assert_eq!(capital('3'), None);
    }

    #[test]
    fn every_letter_has_a_jamo() {
        let keys: std::collections::BTreeSet<char> = TWO_BEOLSIK.iter().map(|&(_, k)| k).collect();
        assert_eq!(keys.len(), 26);
    }

    #[test]
    fn a_line_is_one_key() {
        assert_eq!(line_reply(" ㅂ \n"), Reply::Key('q'));
        assert_eq!(line_reply("3"), Reply::Key('3'));
        assert_eq!(line_reply(" \n"), Reply::Enter);
        assert_eq!(line_reply("qq"), Reply::Text);
    }
}
