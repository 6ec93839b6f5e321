//! The log read as a forge shows it (issue 19): nothing inside a code block, an HTML block or a
//! comment is a record, whatever the window a reader starts from.

use crate::common::{self, Team};

const MONDAY_EVENING: &str = "2026-11-23T17:05:00+01:00";
const TUESDAY_MORNING: &str = "2026-11-24T09:00:00+01:00";

/// The suite's team, handed over on Monday by carol to erin: erin is on call on Tuesday.
fn handed_over() -> Team {
    let team = Team::new();
    team.rota(MONDAY_EVENING, &["handover", "--yes"])
        .env("ROTA_USER", "carol")
        .assert()
        .success();
    assert_eq!(
        team.on_call(TUESDAY_MORNING),
        ("erin".to_string(), "2026-11-24".to_string())
    );
    team
}

/// A day and a handover record that would put mallory on call, as text written by hand.
const FORGED: &str = "## 2026-11-24 Tue\n\n### Handover 08:00 UTC: erin → alice\n\n\
- Served: Tue 2026-11-24 (erin)\n- Next: Wed 2026-11-25 (alice)\n\n\
Round 1: ~~carol~~, ~~erin~~, **alice**, bob, dave\n\n\
### Taken back 08:01 UTC: erin\n\n\
- Handover: 2026-11-23 16:05 UTC carol → erin run by carol\n- On call again: carol (Mon 2026-11-23)\n";

/// `who --json` and `check` at Tuesday morning: stdout of the first, and whether check passed.
fn answers(team: &Team) -> (serde_json::Value, bool) {
    let who = team
        .rota(TUESDAY_MORNING, &["who", "--json"])
        .output()
        .unwrap();
    assert!(
        who.status.success(),
        "{}",
        String::from_utf8_lossy(&who.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&who.stderr), "");
    let check = team.rota(TUESDAY_MORNING, &["check"]).output().unwrap();
    (common::json(&who), check.status.success())
}

/// Finding 1: a `~~~markdown` block holding ``` lines and a forged record renders as one code
/// block; records in an HTML block or a comment are hidden on a forge. rota acts on none.
#[test]
fn records_inside_a_code_block_an_html_block_or_a_comment_are_text() {
    let team = handed_over();
    let (clean, passed) = answers(&team);
    assert!(passed);
    let log = team.log();
    for wrapped in [
        format!("~~~markdown\n```\n{FORGED}```\n~~~\n"),
        format!("````\n```\n{FORGED}\n````\n"),
        format!("<!--\n{FORGED}\n-->\n"),
        format!("<div>\n{}\n</div>\n", FORGED.replace("\n\n", "\n")),
        format!(
            "- 09:00 UTC erin: an example\n\n  ```\n  {}\n  ```\n",
            FORGED.replace('\n', "\n  ")
        ),
    ] {
        team.write("on-call-log.md", format!("{log}\n{wrapped}"));
        let (answer, passed) = answers(&team);
        assert_eq!(answer, clean, "{wrapped}");
        assert!(passed, "{wrapped}");
        // `log --list` finds no entry in them either.
        let listed = team
            .rota(TUESDAY_MORNING, &["log", "--list", "--grep", "erin"])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&listed.stdout), "", "{wrapped}");
    }
    // The same lines outside any block are records: the take-back puts carol on call again.
    team.write("on-call-log.md", format!("{log}\n{FORGED}"));
    assert_eq!(team.on_call(TUESDAY_MORNING).0, "alice");
}

/// Finding 2: a fenced block longer than the tail window (64 KiB), holding a forged day and
/// handover near its end. The everyday commands read the same rotation as check, which reads
/// the whole log.
#[test]
fn a_code_block_longer_than_the_tail_window_hides_its_records_from_every_reader() {
    let team = handed_over();
    let (clean, _) = answers(&team);
    let log = team.log();
    let filler = "an example of the log's format, kept in a code block\n".repeat(2000);
    for (open, close) in [("~~~", "~~~"), ("````text", "`````"), ("<!--", "-->")] {
        let attack = format!("{log}\n{open}\n{filler}{FORGED}{close}\n");
        team.write("on-call-log.md", &attack);
        let (answer, passed) = answers(&team);
        assert_eq!(answer, clean, "{open}");
        assert!(passed, "{open}");
        for args in [&["schedule", "--days", "3"][..], &["log"]] {
            let before = team.rota(TUESDAY_MORNING, args).output().unwrap();
            team.write("on-call-log.md", &log);
            let after = team.rota(TUESDAY_MORNING, args).output().unwrap();
            team.write("on-call-log.md", &attack);
            assert_eq!(before.stdout, after.stdout, "{open} {args:?}");
        }
        // A write lands after the block, and reads as an entry.
        team.rota(
            TUESDAY_MORNING,
            &["log", "--as", "erin", "after the example"],
        )
        .assert()
        .success();
        assert_eq!(
            team.log(),
            // Under its own day heading: the one in the block is text.
            format!("{attack}\n## 2026-11-24 Tue\n\n- 08:00 UTC erin: after the example\n")
        );
        let today = team.rota(TUESDAY_MORNING, &["log"]).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&today.stdout),
            "08:00 UTC erin: after the example\n"
        );
    }
}

/// The resynchronising attack: the window's own reading and the true one each end with no
/// block open, but read the lines between differently. The tail does not trust it.
#[test]
fn a_window_whose_fences_pair_up_two_ways_is_read_from_further_back() {
    let team = handed_over();
    let (clean, _) = answers(&team);
    let log = team.log();
    let filler = "text kept in a code block\n".repeat(4000);
    let attack =
        format!("{log}\n~~~\n{filler}{FORGED}~~~\n\nA paragraph.\n\n````\n~~~\n```\n````\n");
    team.write("on-call-log.md", &attack);
    let (answer, passed) = answers(&team);
    assert_eq!(answer, clean);
    assert!(passed);
}
