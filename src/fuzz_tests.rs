//! Property tests that feed arbitrary and mutated input to every parser: no panic, ever, and
//! what a parser accepts keeps the promises the rest of rota relies on (a list's log stays
//! inside the directory and its text is one plain line per value; the log's entries reach the
//! terminal without a control character; a day is served once).

use std::path::Path;

use proptest::prelude::*;

use crate::logbook::{self, Tail};
use crate::roster;

const EXAMPLE_LIST: &str = include_str!("../on-call-list.toml");
const EXAMPLE_LOG: &str = include_str!("../on-call-log.md");

/// A valid file with some bytes replaced, inserted or removed.
fn mutated(original: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = original.len();
    proptest::collection::vec((0..len, any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut bytes = original.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match kind {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    })
}

fn parse_list(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    match roster::parse(Path::new("on-call-list.toml"), &text) {
        Err(error) => {
            // Every error renders, with its location inside the text.
            let shown = error.to_string();
            assert!(shown.starts_with("rota: error: "), "{shown}");
        }
        Ok(roster) => {
            // An accepted list keeps its log inside the directory...
            assert!(roster.log.components().all(|c| matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )));
            // ...and every text it gives the log or the terminal is plain.
            let plain = |t: &str| !t.chars().any(crate::safe::is_unsafe_char);
            assert!(plain(&roster.team_name));
            assert!(roster.checklist.iter().all(|i| plain(i)));
            for e in &roster.engineers {
                assert!(plain(&e.name));
                for contact in [&e.email, &e.chat, &e.phone].into_iter().flatten() {
                    assert!(plain(contact));
                }
            }
        }
    }
}

fn read_log(bytes: &[u8]) {
    let tail = Tail::from_text(&String::from_utf8_lossy(bytes));
    let day = "2026-11-23".parse().unwrap();
    let _ = tail.last_section_is_day(day);
    let _ = tail.entries_on(day);
    let _ = tail.history().checkpoint(1, chrono_tz::UTC);
    for entry in logbook::entries(bytes) {
        let entry = entry.unwrap();
        let _ = entry.tags().count();
        // Whatever the log holds, an entry reaches the terminal without a control character.
        assert!(!entry.text.chars().any(crate::safe::is_unsafe_char));
        assert!(!entry.author.chars().any(crate::safe::is_unsafe_char));
    }
    for line in tail.entries_on(day) {
        assert!(!line.chars().any(crate::safe::is_unsafe_char));
    }
    let text = String::from_utf8_lossy(bytes);
    let history = crate::history::parse(&text);
    // Every served day is counted once, whatever the log holds.
    let days: Vec<_> = history
        .served_days(chrono_tz::UTC)
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    let unique: std::collections::HashSet<_> = days.iter().collect();
    assert_eq!(days.len(), unique.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_bytes_as_the_list(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        parse_list(&bytes);
    }

    #[test]
    fn a_mutated_list(bytes in mutated(EXAMPLE_LIST)) {
        parse_list(&bytes);
    }

    #[test]
    fn any_bytes_as_the_log(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        read_log(&bytes);
    }

    #[test]
    fn a_mutated_log(bytes in mutated(EXAMPLE_LOG)) {
        read_log(&bytes);
    }

    #[test]
    fn log_like_lines(lines in proptest::collection::vec("(## |### Handover |- |- Served: |- Next: )[ -~→·]{0,40}", 0..30)) {
        read_log(lines.join("\n").as_bytes());
    }
}
