//! Text from the team's files is untrusted: anyone who can push can write it. What must never
//! reach a terminal (or a calendar, or a line of the log) is defined here, once.

use std::borrow::Cow;

/// C0 and C1 controls but tab (a line break would let a value forge a line of the log; ESC
/// and BEL drive the terminal; U+0085 is a C1 control), Unicode's line and paragraph
/// separators (U+2028, U+2029: a reader that splits lines as Unicode does would see a new line
/// there), and the bidi controls that make text read otherwise than it is.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every unsafe character shown as its escape (`\u{1b}`), so that what was written
/// stays visible and cannot act.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_unsafe_char(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// As [`printable`], but line breaks stay: for rota's own multi-line messages that quote the
/// files (or git's output).
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| printable(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` as one word a POSIX shell reads back as it is: bare when it holds only letters,
/// digits and `-_./:@,+=`, else in double quotes with `"`, `\`, `$` and `` ` `` escaped. For
/// the commands hints print, so that they run as printed.
pub fn shell_quoted(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@,+=".contains(c));
    if bare {
        return text.to_string();
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(
            printable("ok\u{1b}[2J\u{7}\r\u{9b}31m\u{202e}cba\tend"),
            "ok\\u{1b}[2J\\u{7}\\u{d}\\u{9b}31m\\u{202e}cba\tend"
        );
        assert!(matches!(printable("plain · text"), Cow::Borrowed(_)));
        // Every line and paragraph separator Unicode knows.
        assert_eq!(
            printable("a\u{2028}b\u{2029}c\u{85}d\u{b}e\u{c}f"),
            "a\\u{2028}b\\u{2029}c\\u{85}d\\u{b}e\\u{c}f"
        );
    }
}
