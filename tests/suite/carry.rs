//! Handovers that carry the day: the note and the open items passed on, shown by `who`, asked
//! about and closed at the next handover, found by `log --list`; the paste-ready message by
//! chat handle; and the record as a forge renders it (CommonMark).

use crate::common::{self, Team};

const MONDAY_EVENING: &str = "2026-11-23T17:05:00+01:00";
const TUESDAY_MORNING: &str = "2026-11-24T09:00:00+01:00";
const TUESDAY_EVENING: &str = "2026-11-24T17:05:00+01:00";
const WEDNESDAY_MORNING: &str = "2026-11-25T09:00:00+01:00";

/// `rota ARGS` at `now` as `user`, which must succeed: its stdout and stderr.
fn run(team: &Team, now: &str, user: &str, args: &[&str]) -> (String, String) {
    let output = team
        .rota(now, args)
        .env("ROTA_USER", user)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    );
    assert!(output.status.success(), "rota {args:?}: {stderr}");
    (stdout, stderr)
}

/// The team of the suite, handed over on Monday by carol (the shuffle's first) to erin with a
/// note and two open items.
fn monday_handed_over() -> Team {
    let team = Team::new();
    assert_eq!(
        team.on_call("2026-11-23T09:00:00+01:00"),
        ("carol".to_string(), "2026-11-23".to_string())
    );
    let (stdout, stderr) = run(
        &team,
        MONDAY_EVENING,
        "carol",
        &[
            "handover",
            "--yes",
            "--note",
            "watch  db-2\nafter the upgrade",
            "--open",
            "renew the TLS cert",
            "--open",
            "rotate the backup key",
            "--open",
            "renew the TLS cert",
        ],
    );
    assert_eq!(
        stdout,
        "carol → erin: you're on call Tue 2026-11-24 for Cloud SRE.\n\
         Open items:\n- renew the TLS cert\n- rotate the backup key\n\
         Note: watch db-2 after the upgrade\n"
    );
    assert_eq!(stderr, "rota: handed over: carol → erin (Tue 2026-11-24)\n");
    team
}

const MONDAY_LOG: &str = "# On-call log: Cloud SRE\n\n\
    Kept by `rota`: one section per working day, oldest first; times are UTC.\n\
    rota only appends. Write your own notes anywhere; rota never changes them.\n\n\
    ## 2026-11-23 Mon\n\n\
    ### Handover 16:05 UTC: carol → erin\n\n\
    - Served: Mon 2026-11-23 (carol)\n\
    - Next: Tue 2026-11-24 (erin)\n\n\
    * [x] Answered every open question in #support\n\
    * [x] Checked the consoles\n\
    * [x] Updated the runbooks\n\n\
    + [ ] 16:05 UTC carol: open: renew the TLS cert\n\
    + [ ] 16:05 UTC carol: open: rotate the backup key\n\n\
    Note for erin: watch db-2 after the upgrade\n\n\
    Round 1: ~~carol~~, **erin**, dave, alice, bob\n";

#[test]
fn the_note_and_open_items_are_carried_over_two_handovers() {
    let team = monday_handed_over();
    assert_eq!(team.log(), MONDAY_LOG);

    // Tuesday: erin is told what Monday passed on.
    let (who, _) = run(&team, TUESDAY_MORNING, "erin", &["who"]);
    assert_eq!(
        who,
        "On call: Erin Walsh (erin) · Tue 2026-11-24\n\
         \x20 email  erin@example.org\n\
         \x20 local  Tue 09:00 CET (Europe/Prague)\n\
         \x20 Handover from carol (Mon 2026-11-23 16:05 UTC):\n\
         \x20   Note: watch db-2 after the upgrade\n\
         \x20   Open 1: renew the TLS cert\n\
         \x20   Open 2: rotate the backup key\n\n\
         Next: Dave Okafor (dave) · Wed 2026-11-25\n\n\
         Round 1\n  [x] carol\n  [>] erin  ← on call\n  [ ] dave\n  [ ] alice\n  [ ] bob\n"
    );

    // Tuesday evening: the cert is done (named by number), the key is not, one more is open.
    let (stdout, stderr) = run(
        &team,
        TUESDAY_EVENING,
        "erin",
        &[
            "handover",
            "--yes",
            "--done",
            "1",
            "--open",
            "check the backups ran",
        ],
    );
    assert_eq!(
        stdout,
        "erin → dave: you're on call Wed 2026-11-25 for Cloud SRE.\n\
         Open items:\n- rotate the backup key\n- check the backups ran\n"
    );
    assert_eq!(
        stderr,
        "rota: handed over: erin → dave (Wed 2026-11-25)\n\
         rota: 1 open item carried from carol's handover stays open for dave; `--done N` closes one\n"
    );
    let tuesday = "\n## 2026-11-24 Tue\n\n\
        ### Handover 16:05 UTC: erin → dave\n\n\
        - Served: Tue 2026-11-24 (erin)\n\
        - Next: Wed 2026-11-25 (dave)\n\n\
        * [x] Answered every open question in #support\n\
        * [x] Checked the consoles\n\
        * [x] Updated the runbooks\n\n\
        + [x] 16:05 UTC erin: done: renew the TLS cert\n\
        + [ ] 16:05 UTC erin: open: rotate the backup key\n\
        + [ ] 16:05 UTC erin: open: check the backups ran\n\n\
        Round 1: ~~carol~~, ~~erin~~, **dave**, alice, bob\n";
    assert_eq!(team.log(), format!("{MONDAY_LOG}{tuesday}"));

    // Wednesday: dave has the two open items, and no note (Tuesday left none).
    let answer = common::json(
        &team
            .rota(WEDNESDAY_MORNING, &["who", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        answer["carried"],
        serde_json::json!({
            "from": "erin",
            "to": "dave",
            "written": "2026-11-24",
            "time_utc": "16:05",
            "note": null,
            "open_items": ["rotate the backup key", "check the backups ran"],
        })
    );

    // The log finds every day an item was passed on, and the day it was closed.
    let (listed, _) = run(
        &team,
        WEDNESDAY_MORNING,
        "dave",
        &["log", "--list", "--grep", "tls"],
    );
    assert_eq!(
        listed,
        "2026-11-23 16:05 UTC carol: open: renew the TLS cert\n\
         2026-11-24 16:05 UTC erin: done: renew the TLS cert\n"
    );
    let (listed, _) = run(
        &team,
        WEDNESDAY_MORNING,
        "dave",
        &["log", "--list", "--engineer", "erin"],
    );
    assert_eq!(
        listed,
        "2026-11-24 16:05 UTC erin: done: renew the TLS cert\n\
         2026-11-24 16:05 UTC erin: open: rotate the backup key\n\
         2026-11-24 16:05 UTC erin: open: check the backups ran\n"
    );
    // Items are no entries of the day: `who` of a past day counts entries only.
    let (past, _) = run(
        &team,
        WEDNESDAY_MORNING,
        "dave",
        &["who", "--date", "2026-11-24"],
    );
    assert!(
        past.ends_with(
            "  Log: 0 entries that day (rota log --list --from 2026-11-24 --until 2026-11-24)\n"
        ),
        "{past}"
    );
    let (_, checked) = run(&team, WEDNESDAY_MORNING, "dave", &["check"]);
    assert_eq!(checked, "rota: check passed: 0 errors, 0 warnings\n");

    // Wednesday evening: closed by text; the message names alice by her chat handle.
    let (stdout, _) = run(
        &team,
        "2026-11-25T17:05:00+01:00",
        "dave",
        &[
            "handover",
            "--yes",
            "--done",
            "Check the  backups ran",
            "--done",
            "1",
        ],
    );
    assert_eq!(
        stdout,
        "dave → @alice: you're on call Thu 2026-11-26 for Cloud SRE.\n"
    );
    assert!(
        team.log().ends_with(
            "+ [x] 16:05 UTC dave: done: rotate the backup key\n\
             + [x] 16:05 UTC dave: done: check the backups ran\n\n\
             Round 1: ~~carol~~, ~~erin~~, ~~dave~~, **alice**, bob\n"
        ),
        "{}",
        team.log()
    );
}

#[test]
fn done_must_name_a_carried_item_and_nothing_is_written_otherwise() {
    let team = monday_handed_over();
    let output = team
        .rota(TUESDAY_EVENING, &["handover", "--yes", "--done", "3"])
        .env("ROTA_USER", "erin")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "rota: error: --done \"3\" names none of the open items carried from carol's handover\n\
         hint: name one by its number or its text: 1. renew the TLS cert; 2. rotate the backup key\n"
    );
    assert_eq!(team.log(), MONDAY_LOG);
}

/// A handover taken back no longer carries its note and items: the undo says what they were,
/// so that the handover made again passes them on.
#[test]
fn taking_a_handover_back_says_what_it_passed_on() {
    let team = monday_handed_over();
    let (stdout, stderr) = run(
        &team,
        "2026-11-23T17:20:00+01:00",
        "carol",
        &["handover", "--undo"],
    );
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "rota: took back the handover carol → erin of Mon 2026-11-23; carol is on call again (Mon 2026-11-23)\n\
         rota: it passed on the note \"watch db-2 after the upgrade\" and the open items \"renew the TLS cert\", \"rotate the backup key\": give them again (--note, --open) when you hand over\n"
    );
}

/// An open item written outside any handover record (by hand, or pushed) is carried by no
/// handover: check says so.
#[test]
fn check_warns_about_an_open_item_outside_a_record() {
    let team = monday_handed_over();
    team.write(
        "on-call-log.md",
        format!("{MONDAY_LOG}\n## 2026-11-24 Tue\n\n+ [ ] 09:00 UTC carol: open: stray\n"),
    );
    let line = team.log().lines().count();
    let output = team.rota(TUESDAY_EVENING, &["check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!(
            "{}:{line}: warning: an open item outside any handover record: no handover carries it (`rota handover --open` records one)\n",
            team.path("on-call-log.md").display()
        )
    );
}

/// More open items than a handover passes on (100) are refused, not cut: two carried and 99
/// new ones, with nothing written; closing one with --done makes room.
#[test]
fn more_open_items_than_a_handover_passes_on_are_refused_not_dropped() {
    let team = monday_handed_over();
    let items: Vec<String> = (1..=99).map(|i| format!("item {i}")).collect();
    let mut args = vec!["handover", "--yes"];
    for item in &items {
        args.extend(["--open", item.as_str()]);
    }
    let output = team
        .rota(TUESDAY_EVENING, &args)
        .env("ROTA_USER", "erin")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "rota: error: 2 carried and 99 new open items are more than the 100 a handover passes on\n\
         hint: close the items that are done with --done N (`rota who` numbers them), or gather related ones into one; nothing was written\n"
    );
    assert_eq!(team.log(), MONDAY_LOG);
    args.extend(["--done", "1"]);
    run(&team, TUESDAY_EVENING, "erin", &args);
    let record = team.log()[MONDAY_LOG.len()..].to_string();
    assert_eq!(record.matches("+ [ ] ").count(), 100, "{record}");
}

/// The record as a forge renders it: the Served/Next list, the checklist and the open items are
/// three tight lists (no paragraph inside an item), the last two task lists.
#[test]
fn a_record_renders_as_tight_lists_and_task_lists() {
    let team = monday_handed_over();
    let log = team.log();
    let record = &log[log.find("### Handover").unwrap()..];
    assert_eq!(
        commonmark(record),
        "<h3>Handover 16:05 UTC: carol → erin</h3>\n\
         <ul>\n<li>Served: Mon 2026-11-23 (carol)</li>\n<li>Next: Tue 2026-11-24 (erin)</li>\n</ul>\n\
         <ul>\n\
         <li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nAnswered every open question in #support</li>\n\
         <li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nChecked the consoles</li>\n\
         <li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nUpdated the runbooks</li>\n\
         </ul>\n\
         <ul>\n\
         <li><input disabled=\"\" type=\"checkbox\"/>\n16:05 UTC carol: open: renew the TLS cert</li>\n\
         <li><input disabled=\"\" type=\"checkbox\"/>\n16:05 UTC carol: open: rotate the backup key</li>\n\
         </ul>\n\
         <p>Note for erin: watch db-2 after the upgrade</p>\n\
         <p>Round 1: <del>carol</del>, <strong>erin</strong>, dave, alice, bob</p>\n"
    );
    // The form before: one bullet for both lists made them one loose list, every item a
    // paragraph. rota still reads it (the example log is in that form).
    let old = record.replace("* [x]", "- [x]");
    assert!(
        commonmark(&old).contains(
            "<ul>\n<li>\n<p>Served: Mon 2026-11-23 (carol)</p>\n</li>\n<li>\n<p>Next: Tue 2026-11-24 (erin)</p>\n</li>\n<li>\n<p><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nAnswered"
        ),
        "{}",
        commonmark(&old)
    );
}

/// Markdown as a forge renders it: CommonMark with GitHub's task lists and strikethrough.
fn commonmark(text: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(
        text,
        Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH,
    );
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}
