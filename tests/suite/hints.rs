//! Hints that work: each scenario makes rota refuse or warn, the `rota ...` commands its hints
//! print are collected (from the `hint:` lines on stderr, and from check's report), and each
//! is run as printed, in a fresh copy of the same team at the same moment: it must do what the
//! hint says (succeed, or for "also fails on warnings", fail).
//!
//! A placeholder is allowed only where rota cannot know the value (who will take a day, what
//! text to log, a new team's name); the scenario fills it in. A command that asks questions on
//! a terminal (`rota handover`) is answered with `--yes`, as its own error says to.

use crate::common::{TEAM, Team};

const MON_10: &str = "2026-11-23T10:00:00+01:00";
const MON_17: &str = "2026-11-23T17:05:00+01:00";
const TUE_10: &str = "2026-11-24T10:00:00+01:00";
const TUE_17: &str = "2026-11-24T17:05:00+01:00";
const WED_10: &str = "2026-11-25T10:00:00+01:00";

/// Placeholders rota cannot fill: whoever agrees to take a day, and the text of an entry.
const PLACEHOLDERS: &[&str] = &["ID", "\"text\""];

/// What running a hint's command must do.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Succeeds,
    Fails,
}

/// A command a hint prints, as printed; what running it does; who runs it; and what fills its
/// placeholders.
type Hint = (
    &'static str,
    Expect,
    &'static str,
    &'static [(&'static str, &'static str)],
);

struct Scenario {
    name: &'static str,
    /// Builds the team as it is when rota prints the hints.
    setup: fn(&Team),
    now: &'static str,
    user: &'static str,
    args: &'static [&'static str],
    /// Every command the hints print, as printed, with what running it does, who runs it,
    /// and what fills its placeholders.
    hints: &'static [Hint],
}

/// The five-engineer team, round 1 from Monday 2026-11-23: carol (Mon), erin (Tue), dave
/// (Wed), alice (Thu), bob (Fri).
fn team(setup: fn(&Team)) -> Team {
    let team = Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-23\n"));
    setup(&team);
    team
}

fn rota(team: &Team, now: &str, user: &str, args: &[&str]) -> std::process::Output {
    team.rota(now, args)
        .env("ROTA_USER", user)
        .output()
        .unwrap()
}

fn must(team: &Team, now: &str, user: &str, args: &[&str]) {
    let output = rota(team, now, user, args);
    assert!(
        output.status.success(),
        "setup: rota {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The `rota ...` commands in a hint's text: in backticks, or from `rota` to where the
/// sentence goes on (`;`, `)`, `, `, or a word such as "shows" or "then").
fn commands(hint: &str) -> Vec<String> {
    const GOES_ON: &[&str] = &[
        "shows", "then", "to", "when", "or", "and", "also", "settles", "takes", "removes", "names",
        "passes", "numbers", "prints",
    ];
    let mut found = Vec::new();
    let mut rest = hint;
    while let Some(at) = rest.find("rota ") {
        let quoted = rest[..at].ends_with('`');
        let after = &rest[at..];
        let end = if quoted {
            after.find('`').unwrap_or(after.len())
        } else {
            sentence_end(after, GOES_ON)
        };
        found.push(after[..end].trim().to_string());
        rest = &after[end..];
    }
    found
}

/// Where the command that starts `text` ends: at `;`, `)` or `, ` outside quotes, or before a
/// word from `goes_on` (not the first).
fn sentence_end(text: &str, goes_on: &[&str]) -> usize {
    let mut in_quotes = false;
    let mut word_start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' | ')' if !in_quotes => return i,
            ',' if !in_quotes && bytes.get(i + 1) == Some(&b' ') => return i,
            ' ' if !in_quotes => word_start = i + 1,
            _ => {}
        }
        let word_end = text[i + c.len_utf8()..]
            .chars()
            .next()
            .is_none_or(|n| n == ' ');
        let word = text.get(word_start..i + c.len_utf8()).unwrap_or_default();
        if !in_quotes && word_end && word_start > 0 && goes_on.contains(&word) {
            return word_start - 1;
        }
    }
    text.len()
}

/// The words of a command as a shell splits them (double quotes, backslash escapes).
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut escaped, mut any) = (false, false, false);
    for c in command.chars() {
        match c {
            _ if escaped => {
                word.push(c);
                escaped = false;
            }
            '\\' => escaped = true,
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            _ => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

/// The hint commands a run printed: the `hint:` lines on stderr, and the hints and the
/// commands to run in check's report on stdout.
fn hinted(output: &std::process::Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut found = Vec::new();
    for line in stdout.lines() {
        for marker in ["(hint: ", "run `", "with `", "hint: "] {
            if let Some(at) = line.find(marker) {
                let text = &line[at + marker.len() - usize::from(marker.ends_with('`'))..];
                found.extend(commands(text));
            }
        }
    }
    found.extend(
        stderr
            .lines()
            .filter_map(|l| l.strip_prefix("hint: "))
            .flat_map(commands),
    );
    found.dedup();
    found
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "a handover overdue",
        setup: |_| {},
        now: TUE_10,
        user: "bob",
        args: &["who"],
        hints: &[("rota handover", Expect::Succeeds, "carol", &[])],
    },
    Scenario {
        name: "taking back an absence that has begun",
        setup: |team| {
            must(
                team,
                MON_10,
                "erin",
                &["away", "erin", "2026-11-24", "2026-11-26"],
            );
            must(team, MON_17, "carol", &["handover", "--yes"]);
            must(team, TUE_17, "dave", &["handover", "--yes"]);
        },
        now: WED_10,
        user: "erin",
        args: &["away", "erin", "2026-11-24", "2026-11-26", "--undo"],
        hints: &[(
            "rota away erin 2026-11-26 2026-11-26 --undo",
            Expect::Succeeds,
            "erin",
            &[],
        )],
    },
    Scenario {
        name: "an absence wholly past",
        setup: |_| {},
        now: MON_10,
        user: "bob",
        args: &["away", "bob", "2026-11-16", "2026-11-20"],
        hints: &[("rota away bob 2026-11-23", Expect::Succeeds, "bob", &[])],
    },
    Scenario {
        name: "an absence given backwards",
        setup: |_| {},
        now: MON_10,
        user: "bob",
        args: &["away", "bob", "2026-12-10", "2026-12-09"],
        hints: &[(
            "rota away bob 2026-12-09 2026-12-10",
            Expect::Succeeds,
            "bob",
            &[],
        )],
    },
    Scenario {
        name: "an absence for the engineer on call",
        setup: |_| {},
        now: MON_10,
        user: "carol",
        args: &["away", "carol", "2026-11-23"],
        hints: &[
            (
                "rota cover 2026-11-23 ID",
                Expect::Succeeds,
                "carol",
                &[("ID", "bob")],
            ),
            ("rota handover", Expect::Succeeds, "carol", &[]),
        ],
    },
    Scenario {
        name: "an absence over a day an override gives",
        setup: |team| must(team, MON_10, "bob", &["cover", "2026-11-26", "bob"]),
        now: MON_10,
        user: "bob",
        args: &["away", "bob", "2026-11-26"],
        hints: &[(
            "rota cover 2026-11-26 ID",
            Expect::Succeeds,
            "bob",
            &[("ID", "dave")],
        )],
    },
    Scenario {
        name: "a cover ahead naming someone who left",
        setup: |team| {
            must(team, MON_10, "erin", &["cover", "2026-11-30", "erin"]);
            let list = team.list();
            let start = list.find("[[engineer]]\nid = \"erin\"").unwrap();
            let end = start + list[start..].find("\n\n").unwrap() + 2;
            team.write(
                "on-call-list.toml",
                format!("{}{}", &list[..start], &list[end..]),
            );
        },
        now: MON_10,
        user: "bob",
        args: &["who"],
        hints: &[("rota cover 2026-11-30 --undo", Expect::Succeeds, "bob", &[])],
    },
    Scenario {
        name: "check finds a stale swap",
        setup: |team| {
            must(team, MON_10, "bob", &["swap", "2026-11-26", "2026-11-27"]);
            must(team, MON_10, "dave", &["away", "dave", "2026-11-25"]);
        },
        now: MON_10,
        user: "bob",
        args: &["check"],
        hints: &[
            (
                "rota swap 2026-11-26 2026-11-27 --undo",
                Expect::Succeeds,
                "bob",
                &[],
            ),
            ("rota check --strict", Expect::Fails, "bob", &[]),
        ],
    },
    Scenario {
        name: "taking back a handover once the next day has begun",
        setup: |team| must(team, MON_17, "carol", &["handover", "--yes"]),
        now: TUE_10,
        user: "carol",
        args: &["handover", "--undo"],
        hints: &[(
            "rota cover 2026-11-24 carol",
            Expect::Succeeds,
            "carol",
            &[],
        )],
    },
    Scenario {
        name: "a cover taken back on a day of a swap",
        setup: |team| must(team, MON_10, "bob", &["swap", "2026-11-26", "2026-11-27"]),
        now: MON_10,
        user: "bob",
        args: &["cover", "2026-11-26", "--undo"],
        hints: &[(
            "rota swap 2026-11-26 2026-11-27 --undo",
            Expect::Succeeds,
            "bob",
            &[],
        )],
    },
    Scenario {
        name: "a swap onto a day its engineer is away",
        setup: |team| must(team, MON_10, "bob", &["away", "bob", "2026-11-26"]),
        now: MON_10,
        user: "bob",
        args: &["swap", "2026-11-26", "2026-11-27"],
        hints: &[("rota away bob --list", Expect::Succeeds, "bob", &[])],
    },
    Scenario {
        name: "a log entry from someone rota cannot name",
        setup: |_| {},
        now: MON_10,
        user: "",
        args: &["log", "fixed quota drift"],
        hints: &[(
            "rota log --engineer ID \"text\"",
            Expect::Succeeds,
            "",
            &[("ID", "bob"), ("\"text\"", "\"fixed quota drift\"")],
        )],
    },
    Scenario {
        name: "two handovers of one day",
        setup: |team| {
            must(
                team,
                MON_17,
                "carol",
                &["handover", "--yes", "--open", "renew the cert"],
            );
            // What a merge with a clone that handed Monday over too leaves: a second record.
            let log = team.log();
            let record = &log[log.find("### Handover").unwrap()..];
            let twin = record
                .replace("16:05 UTC", "16:10 UTC")
                .replace("- Next: ", "- Run by: bob\n- Next: ")
                .replace("renew the cert", "page the DBA");
            team.write("on-call-log.md", format!("{log}\n{twin}"));
        },
        now: TUE_10,
        user: "bob",
        args: &["check"],
        hints: &[
            ("rota check --strict", Expect::Fails, "bob", &[]),
            ("rota check --fix", Expect::Succeeds, "bob", &[]),
        ],
    },
    Scenario {
        name: "a window that ends before it starts",
        setup: |_| {},
        now: MON_10,
        user: "bob",
        args: &[
            "announce",
            "2026-12-10 23:30",
            "2026-12-10 22:00",
            "--what",
            "Database failover test",
            "--affects",
            "api",
        ],
        hints: &[(
            "rota announce \"2026-12-10 22:00\" \"2026-12-10 23:30\" --what \"Database failover test\" --affects api",
            Expect::Succeeds,
            "bob",
            &[],
        )],
    },
    Scenario {
        name: "taking back one of two windows that start together",
        setup: |team| {
            for end in ["2026-12-10 23:30", "2026-12-10 22:30"] {
                must(
                    team,
                    MON_10,
                    "bob",
                    &[
                        "announce",
                        "2026-12-10 22:00",
                        end,
                        "--what",
                        "Failover",
                        "--affects",
                        "api",
                    ],
                );
            }
        },
        now: MON_10,
        user: "bob",
        args: &["announce", "--undo", "2026-12-10 22:00"],
        hints: &[(
            "rota announce --undo \"2026-12-10 22:00\" \"2026-12-10 23:30\"",
            Expect::Succeeds,
            "bob",
            &[],
        )],
    },
    Scenario {
        name: "closing an item that was not carried",
        setup: |team| must(team, MON_17, "carol", &["handover", "--yes"]),
        now: TUE_17,
        user: "erin",
        args: &["handover", "--yes", "--done", "1"],
        hints: &[("rota who", Expect::Succeeds, "erin", &[])],
    },
];

#[test]
fn every_hint_runs_as_printed_and_does_what_it_says() {
    for scenario in SCENARIOS {
        let team = team(scenario.setup);
        let output = rota(&team, scenario.now, scenario.user, scenario.args);
        let printed = hinted(&output);
        let expected: Vec<&str> = scenario.hints.iter().map(|h| h.0).collect();
        assert_eq!(
            printed,
            expected,
            "{}: rota {:?} printed:\n{}{}",
            scenario.name,
            scenario.args,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for (command, expect, user, fill) in scenario.hints {
            // Each hint on the team as it was when rota printed it.
            let team = self::team(scenario.setup);
            let mut args = words(command);
            assert_eq!(args.remove(0), "rota");
            for arg in &mut args {
                if let Some((_, value)) = fill.iter().find(|(p, _)| words(p)[0] == *arg) {
                    assert!(
                        PLACEHOLDERS.iter().any(|p| words(p)[0] == *arg),
                        "{}: {arg} in `{command}` is a placeholder rota could fill",
                        scenario.name
                    );
                    *arg = words(value)[0].clone();
                }
            }
            if args == ["handover"] {
                args.push("--yes".into());
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let ran = rota(&team, scenario.now, user, &args);
            let got = if ran.status.success() {
                Expect::Succeeds
            } else {
                Expect::Fails
            };
            assert_eq!(
                got,
                *expect,
                "{}: `{command}` run as printed: {}{}",
                scenario.name,
                String::from_utf8_lossy(&ran.stdout),
                String::from_utf8_lossy(&ran.stderr)
            );
        }
    }
}

/// The parts of the test that read hints, on hints as rota prints them.
#[test]
fn commands_are_read_out_of_hints_as_a_person_would() {
    assert_eq!(
        commands("rota away bob --list shows them as they were added"),
        ["rota away bob --list"]
    );
    assert_eq!(
        commands("first ask someone to take it: rota cover 2026-11-23 ID; then add the absence"),
        ["rota cover 2026-11-23 ID"]
    );
    assert_eq!(
        commands("fix the lines above; `rota check --strict` also fails on warnings"),
        ["rota check --strict"]
    );
    assert_eq!(
        commands("or, when the day is over, hand over first (rota handover)"),
        ["rota handover"]
    );
    assert_eq!(
        words("rota announce --undo \"2026-12-10 22:00\" --what \"a \\\"b\\\"\""),
        [
            "rota",
            "announce",
            "--undo",
            "2026-12-10 22:00",
            "--what",
            "a \"b\""
        ]
    );
}
