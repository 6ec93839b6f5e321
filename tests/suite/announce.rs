//! `rota announce`: the message to send and its timeline, the `[[maintenance]]` table it
//! writes (and `--undo` removes, leaving the file as it was), the warning under a week, the
//! window in `who` and in the team's calendar, and every bad input refused with nothing written.

use crate::common;

use common::{TEAM, Team, git, json};

/// Monday 2026-11-23, 09:15 UTC.
const NOW: &str = "2026-11-23T10:15:00+01:00";

const FAILOVER: &[&str] = &[
    "announce",
    "2026-12-10 22:00",
    "2026-12-10T23:30:00Z",
    "--what",
    "Database failover test",
    "--affects",
    "api",
    "--affects",
    "db",
];

const MESSAGE: &str = "\
Subject: Maintenance 2026-12-10 22:00–23:30 UTC: Database failover test (api, db)

What:    Database failover test
Affects: api, db
When:    2026-12-10 22:00–23:30 UTC
         2026-12-10 23:00 – 2026-12-11 00:30 CET (Europe/Prague)

The services named may be unavailable during the window; we will say when it is over.
Questions: Cloud SRE's engineer on call.

Timeline:
  2026-12-03            send the announcement above (a week before)
  2026-12-10 21:45 UTC  remind: \"Maintenance starts in 15 minutes (22:00 UTC): Database failover test (api, db)\"
  2026-12-10 23:30 UTC  when done: \"Maintenance done: Database failover test (api, db)\"
";

const FAILOVER_TABLE: &str = "
[[maintenance]]
start = 2026-12-10T22:00:00Z
end = 2026-12-10T23:30:00Z
what = \"Database failover test\"
affects = [\"api\", \"db\"]
";

/// The example team, with a log.
fn team() -> Team {
    team_with(TEAM)
}

fn team_with(list: &str) -> Team {
    let team = Team::with_list(list);
    team.write("on-call-log.md", "# Cloud SRE on-call log\n");
    team
}

#[test]
fn an_announcement_prints_the_message_and_appends_one_table() {
    let team = team();
    team.rota(NOW, FAILOVER)
        .assert()
        .success()
        .stdout(MESSAGE)
        .stderr(
            "rota: recorded in on-call-list.toml; `rota announce --undo \"2026-12-10 22:00\"` takes it back\n",
        );
    assert_eq!(team.list(), format!("{TEAM}{FAILOVER_TABLE}"));
    // The same window again: printed again, written once.
    team.rota(NOW, FAILOVER)
        .assert()
        .success()
        .stdout(MESSAGE)
        .stderr("rota: this window is in on-call-list.toml already: nothing written\n");
    assert_eq!(team.list(), format!("{TEAM}{FAILOVER_TABLE}"));
    // Taken back: the file is byte for byte what it was, comments and layout included.
    team.rota(NOW, &["announce", "--undo", "2026-12-10 22:00"])
        .assert()
        .success()
        .stdout("")
        .stderr("rota: removed the maintenance window 2026-12-10 22:00–23:30 UTC (Database failover test)\n");
    assert_eq!(team.list(), TEAM);
    assert_eq!(team.log(), "# Cloud SRE on-call log\n");
}

#[test]
fn undo_keeps_the_windows_and_comments_written_by_hand() {
    let by_hand = format!(
        "{TEAM}\n# The data centre's own window.\n[[maintenance]]\nstart = \"2026-12-01 06:00\"   # UTC, as they wrote it\nend = \"2026-12-01 07:00\"\nwhat = \"Power work\"\n"
    );
    let team = team_with(&by_hand);
    team.rota(NOW, FAILOVER).assert().success();
    assert_eq!(team.list(), format!("{by_hand}{FAILOVER_TABLE}"));
    // Selected by its start and end, as given when it was announced (any form of the time).
    team.rota(
        NOW,
        &[
            "announce",
            "--undo",
            "2026-12-10T23:00:00+01:00",
            "2026-12-10 23:30",
        ],
    )
    .assert()
    .success();
    assert_eq!(team.list(), by_hand);
}

#[test]
fn two_windows_at_one_start_are_told_apart_before_one_is_removed() {
    let team = team();
    let short = [
        "announce",
        "2026-12-10 22:00",
        "2026-12-10 22:30",
        "--what",
        "DNS switch",
        "--affects",
        "dns",
    ];
    team.rota(NOW, FAILOVER).assert().success();
    team.rota(NOW, &short).assert().success();
    let both = team.list();
    team.rota(NOW, &["announce", "--undo", "2026-12-10 22:00"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "rota: error: 2 maintenance windows start at 2026-12-10 22:00 UTC: 2026-12-10 22:00–23:30 UTC (Database failover test); 2026-12-10 22:00–22:30 UTC (DNS switch)\n\
             hint: name one by its end too, e.g. rota announce --undo \"2026-12-10 22:00\" \"2026-12-10 23:30\"\n",
        );
    assert_eq!(team.list(), both);
    team.rota(NOW, &["announce", "--undo", "2026-12-09 22:00"])
        .assert()
        .code(1)
        .stderr(
            "rota: error: no maintenance window starts at 2026-12-09 22:00 UTC\n\
             hint: the list has: 2026-12-10 22:00–23:30 UTC (Database failover test); 2026-12-10 22:00–22:30 UTC (DNS switch)\n",
        );
    team.rota(
        NOW,
        &[
            "announce",
            "--undo",
            "2026-12-10 22:00",
            "--what",
            "DNS switch",
        ],
    )
    .assert()
    .success();
    assert_eq!(team.list(), format!("{TEAM}{FAILOVER_TABLE}"));
}

#[test]
fn a_window_less_than_a_week_ahead_is_announced_with_a_warning() {
    let team = team();
    team.rota(
        NOW,
        &[
            "announce",
            "2026-11-25 06:00",
            "2026-11-25 06:20",
            "--what",
            "Kernel upgrade",
            "--affects",
            "ssh",
        ],
    )
    .assert()
    .success()
    .stdout(
        "\
Subject: Maintenance 2026-11-25 06:00–06:20 UTC: Kernel upgrade (ssh)

What:    Kernel upgrade
Affects: ssh
When:    2026-11-25 06:00–06:20 UTC
         2026-11-25 07:00–07:20 CET (Europe/Prague)

The services named may be unavailable during the window; we will say when it is over.
Questions: Cloud SRE's engineer on call.

Timeline:
  now (2026-11-23)      send the announcement above
  2026-11-25 05:45 UTC  remind: \"Maintenance starts in 15 minutes (06:00 UTC): Kernel upgrade (ssh)\"
  2026-11-25 06:20 UTC  when done: \"Maintenance done: Kernel upgrade (ssh)\"
",
    )
    .stderr(
        "\
rota: recorded in on-call-list.toml; `rota announce --undo \"2026-11-25 06:00\"` takes it back
rota: warning: the window starts in less than 7 days (2026-11-25 06:00 UTC): users expect a week's notice
hint: send the announcement now; a window starting 2026-11-30 09:15 UTC or later would give a week
",
    );
}

#[test]
fn the_announcement_as_json_is_the_event_a_hook_would_receive() {
    let team = team();
    let mut args = FAILOVER.to_vec();
    args.push("--json");
    let output = team.rota(NOW, &args).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        json(&output),
        serde_json::json!({
            "team": "Cloud SRE",
            "what": "Database failover test",
            "affects": ["api", "db"],
            "start": "2026-12-10T22:00:00Z",
            "end": "2026-12-10T23:30:00Z",
            "window_utc": "2026-12-10 22:00–23:30 UTC",
            "timezone": "Europe/Prague",
            "window_local": "2026-12-10 23:00 – 2026-12-11 00:30 CET (Europe/Prague)",
            "subject": "Maintenance 2026-12-10 22:00–23:30 UTC: Database failover test (api, db)",
            "body": "What:    Database failover test\nAffects: api, db\nWhen:    2026-12-10 22:00–23:30 UTC\n         2026-12-10 23:00 – 2026-12-11 00:30 CET (Europe/Prague)\n\nThe services named may be unavailable during the window; we will say when it is over.\nQuestions: Cloud SRE's engineer on call.\n",
            "short_notice": false,
            "timeline": {
                "announce_on": "2026-12-03",
                "remind_at": "2026-12-10T21:45:00Z",
                "reminder": "Maintenance starts in 15 minutes (22:00 UTC): Database failover test (api, db)",
                "done_at": "2026-12-10T23:30:00Z",
                "done": "Maintenance done: Database failover test (api, db)"
            }
        })
    );
    assert_eq!(team.list(), format!("{TEAM}{FAILOVER_TABLE}"));
}

/// Runs `args` on the example team, expects exit `code` and exactly `stderr`, nothing on
/// stdout, and both files as they were.
fn refused(args: &[&str], code: i32, stderr: &str) {
    let team = team();
    let before = (team.list(), team.log());
    team.rota(NOW, args)
        .assert()
        .code(code)
        .stdout("")
        .stderr(stderr.to_string());
    assert_eq!((team.list(), team.log()), before, "nothing is written");
}

fn announce<'a>(start: &'a str, end: &'a str, what: &'a str) -> Vec<&'a str> {
    vec!["announce", start, end, "--what", what, "--affects", "api"]
}

#[test]
fn bad_windows_are_refused_with_what_to_do_and_nothing_written() {
    refused(
        &announce("2026-12-10 22:00", "2026-12-10 21:00", "Failover"),
        2,
        "rota: error: the window ends (2026-12-10 21:00 UTC) before it starts (2026-12-10 22:00 UTC)\n\
         hint: give the start, then the end: rota announce \"2026-12-10 21:00\" \"2026-12-10 22:00\" --what Failover --affects api\n",
    );
    refused(
        &announce("2026-12-10 25:00", "2026-12-10 23:00", "Failover"),
        2,
        "rota: error: START \"2026-12-10 25:00\" is not a time\n\
         hint: write it in UTC as \"YYYY-MM-DD HH:MM\" (\"2026-12-10 22:00\"), or in RFC 3339 with its offset (2026-12-10T23:00:00+01:00)\n",
    );
    refused(
        &announce("2026-11-20 22:00", "2026-11-20 23:00", "Failover"),
        2,
        "rota: error: the window starts 2026-11-20 22:00 UTC, before now (2026-11-23 09:15 UTC): an announcement is for what is coming\n\
         hint: give a start from now on, in UTC\n",
    );
    refused(
        &announce("2026-12-10 22:00", "2027-01-20 22:00", "Failover"),
        2,
        "rota: error: the window lasts 41 days, more than 31\n\
         hint: announce each stretch of the work as a window of its own\n",
    );
    refused(
        &announce("2026-12-10 22:00", "Thursday 23:00", "Failover"),
        2,
        "rota: error: END \"Thursday 23:00\" is not a time\n\
         hint: write it in UTC as \"YYYY-MM-DD HH:MM\" (\"2026-12-10 22:00\"), or in RFC 3339 with its offset (2026-12-10T23:00:00+01:00)\n",
    );
    refused(
        &announce("2026-12-10 22:00", "2026-12-10T23:00:30Z", "Failover"),
        2,
        "rota: error: END \"2026-12-10T23:00:30Z\" is not on a whole minute\n\
         hint: maintenance windows are given to the minute: leave out the seconds\n",
    );
    let long = "x".repeat(301);
    refused(
        &announce("2026-12-10 22:00", "2026-12-10 23:00", &long),
        2,
        "rota: error: --what is 301 characters long: it takes 1 to 300\n\
         hint: say it in one line; details belong in a linked ticket\n",
    );
    refused(
        &announce("2026-12-10 22:00", "2026-12-10 23:00", "   "),
        2,
        "rota: error: --what is 0 characters long: it takes 1 to 300\n\
         hint: say it in one line; details belong in a linked ticket\n",
    );
}

/// Escape sequences and line breaks in the text are refused, and the error shows them as
/// escapes: nothing from the command line drives the terminal or forges a line of the list.
#[test]
fn a_hostile_text_never_reaches_the_terminal_raw() {
    refused(
        &announce(
            "2026-12-10 22:00",
            "2026-12-10 23:00",
            "Upgrade\u{1b}]0;pwned\u{7}\u{1b}[2J\nwhat = \"forged\"",
        ),
        2,
        "rota: error: --what \"Upgrade\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\nwhat = \\\"forged\\\"\" holds a line break or a control character, which could forge a line or drive a terminal\n\
         hint: write it as one line of plain text\n",
    );
    let mut args = announce("2026-12-10 22:00", "2026-12-10 23:00", "Upgrade");
    args.extend(["--affects", "api\u{202e}lmth.exe"]);
    refused(
        &args,
        2,
        "rota: error: --affects \"api\\u{202e}lmth.exe\" holds a line break or a control character, which could forge a line or drive a terminal\n\
         hint: write it as one line of plain text\n",
    );
}

/// A window from the list as `who` shows it: the UTC window, what, the services.
#[test]
fn who_names_the_windows_of_the_next_seven_days() {
    let windows = "
[[maintenance]]
start = 2026-11-20T22:00:00Z
end = 2026-11-20T23:00:00Z
what = \"Over already\"
affects = [\"api\"]

[[maintenance]]
start = 2026-12-10T22:00:00Z
end = 2026-12-10T23:30:00Z
what = \"Beyond the week\"
affects = [\"api\"]

[[maintenance]]
start = \"2026-11-26 22:00\"
end = \"2026-11-27 01:30\"
what = \"Storage migration, phase 1; read-only\"
affects = [\"s3\", \"backups\"]
";
    let plain = team();
    let team = team_with(&format!("{TEAM}{windows}"));
    let without = plain.rota(NOW, &["who"]).output().unwrap();
    team.rota(NOW, &["who"])
        .assert()
        .success()
        .stdout(format!(
            "{}\nMaintenance in the next 7 days\n  2026-11-26 22:00 – 2026-11-27 01:30 UTC  Storage migration, phase 1; read-only (affects s3, backups)\n",
            String::from_utf8(without.stdout).unwrap()
        ));
    let mut expected = json(&plain.rota(NOW, &["who", "--json"]).output().unwrap());
    expected["maintenance"] = serde_json::json!([{
        "start": "2026-11-26T22:00:00Z",
        "end": "2026-11-27T01:30:00Z",
        "window": "2026-11-26 22:00 – 2026-11-27 01:30 UTC",
        "what": "Storage migration, phase 1; read-only",
        "affects": ["s3", "backups"],
    }]);
    assert_eq!(
        json(&team.rota(NOW, &["who", "--json"]).output().unwrap()),
        expected
    );
    // A week later the next window is within reach.
    let later = json(
        &team
            .rota("2026-12-04T10:00:00+01:00", &["who", "--json"])
            .output()
            .unwrap(),
    );
    let whats: Vec<&str> = later["maintenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats, ["Beyond the week"]);
    // rota check says which windows are over and may go.
    let check = team.rota(NOW, &["check", "--json"]).output().unwrap();
    let notes: Vec<(i64, String)> = json(&check)["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["message"].as_str().unwrap().contains("maintenance"))
        .map(|p| {
            (
                p["line"].as_i64().unwrap(),
                format!("{}: {}", p["kind"], p["message"].as_str().unwrap()),
            )
        })
        .collect();
    let line = TEAM.lines().count() as i64 + 3;
    assert_eq!(
        notes,
        [(
            line,
            "\"note\": the maintenance window 2026-11-20 22:00–23:00 UTC is over: `rota announce --undo \"2026-11-20 22:00\"` removes it".to_string()
        )]
    );
}

/// The team's calendar holds the window as a timed event in UTC, its text escaped as RFC 5545
/// asks (read back with a real parser), under a UID that a new export keeps.
#[test]
fn the_calendar_holds_the_window_escaped_with_a_stable_uid() {
    let team = team();
    let what = "Deploy, then migrate; done\\nEND:VEVENT";
    let mut args = announce("2026-12-10 22:00", "2026-12-10 23:30", what);
    args.extend(["--affects", "db; replicas, too"]);
    team.rota(NOW, &args).assert().success();
    let feed = |now: &str, extra: &[&str]| {
        let mut all = vec!["schedule", "--ics", "--days", "5"];
        all.extend_from_slice(extra);
        let output = team.rota(now, &all).output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    let ics = feed(NOW, &[]);
    let unfolded = icalendar::parser::unfold(&ics);
    assert!(
        unfolded
            .contains("\r\nSUMMARY:Maintenance: Deploy\\, then migrate\\; done\\\\nEND:VEVENT\r\n")
    );
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    // Five on-call days, then the window.
    assert_eq!(events.len(), 6);
    let window: std::collections::BTreeMap<String, String> = events[5]
        .properties
        .iter()
        .map(|p| (p.name.to_string(), p.val.to_string()))
        .collect();
    let expected: std::collections::BTreeMap<String, String> = [
        ("UID", "maintenance-20261210T220000Z-20261210T233000Z-cdfe945f265c93c4-team-cloud-sre@rota"),
        ("DTSTAMP", "20261123T000000Z"),
        ("DTSTART", "20261210T220000Z"),
        ("DTEND", "20261210T233000Z"),
        ("SEQUENCE", "0"),
        ("STATUS", "CONFIRMED"),
        ("SUMMARY", "Maintenance: Deploy, then migrate; done\\nEND:VEVENT"),
        ("DESCRIPTION", "Deploy, then migrate; done\\nEND:VEVENT\nAffects: api, db; replicas, too\nAnnounced by Cloud SRE (rota announce)."),
        ("TRANSP", "TRANSPARENT"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(window, expected);
    // The same files: the same bytes. Days later: the same event, under the same UID.
    assert_eq!(feed(NOW, &[]), ics);
    let later = icalendar::parser::unfold(&feed("2026-11-30T10:15:00+01:00", &[])).to_string();
    assert_eq!(
        later
            .matches("UID:maintenance-20261210T220000Z-20261210T233000Z-cdfe945f265c93c4-team-clo")
            .count(),
        1
    );
    // A personal feed holds that engineer's days only.
    assert!(!feed(NOW, &["--engineer", "bob"]).contains("Maintenance"));
}

/// `--commit` commits the announcement and its taking back, each saying what it did.
#[test]
fn announce_and_undo_commit_with_a_message_that_says_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    git(dir, &["init", "-q"]);
    for (key, value) in [
        ("user.email", "alice@example.org"),
        ("user.name", "alice"),
        ("commit.gpgsign", "false"),
    ] {
        git(dir, &["config", key, value]);
    }
    common::rota_in(dir, NOW, &[common::INIT, &["--commit"]].concat())
        .assert()
        .success();
    let list = std::fs::read_to_string(dir.join("on-call-list.toml")).unwrap();
    let mut args = FAILOVER.to_vec();
    args.push("--commit");
    common::rota_in(dir, NOW, &args).assert().success();
    assert_eq!(
        git(dir, &["log", "-1", "--format=%s"]),
        "rota: announce maintenance 2026-12-10 22:00–23:30 UTC\n"
    );
    assert_eq!(
        git(dir, &["show", "HEAD:on-call-list.toml"]),
        format!("{list}{FAILOVER_TABLE}")
    );
    common::rota_in(
        dir,
        NOW,
        &["announce", "--undo", "2026-12-10 22:00", "--commit"],
    )
    .assert()
    .success();
    assert_eq!(
        git(dir, &["log", "-1", "--format=%s"]),
        "rota: maintenance 2026-12-10 22:00–23:30 UTC taken back\n"
    );
    assert_eq!(git(dir, &["show", "HEAD:on-call-list.toml"]), list);
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
}

/// The list holds at most 500 windows: the 501st is refused with what to do, and windows
/// alike but for their text are told apart by it.
#[test]
fn a_full_list_refuses_another_window_and_twins_are_told_apart_by_their_text() {
    let windows: String = (0..500)
        .map(|i| {
            format!(
                "\n[[maintenance]]\nstart = 2026-12-10T22:00:00Z\nend = 2026-12-10T23:00:00Z\nwhat = \"Step {i}\"\n"
            )
        })
        .collect();
    let full = format!("{TEAM}{windows}");
    let team = team_with(&full);
    team.rota(NOW, FAILOVER).assert().code(1).stdout("").stderr(
        "rota: error: the list holds 500 maintenance windows, the most rota reads\n\
             hint: remove a window with rota announce --undo START; nothing was written\n",
    );
    assert_eq!(team.list(), full);
    team.rota(
        NOW,
        &["announce", "--undo", "2026-12-10 22:00", "2026-12-10 23:00"],
    )
    .assert()
    .code(2)
    .stderr(format!(
        "rota: error: 500 maintenance windows start at 2026-12-10 22:00 UTC: {}; and 490 more\n\
         hint: name one by its text too, e.g. rota announce --undo \"2026-12-10 22:00\" --what \"Step 0\"\n",
        (0..10)
            .map(|i| format!("2026-12-10 22:00–23:00 UTC (Step {i})"))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    team.rota(
        NOW,
        &[
            "announce",
            "--undo",
            "2026-12-10 22:00",
            "--what",
            "Step 499",
        ],
    )
    .assert()
    .success();
    assert_eq!(
        team.list(),
        full.replace(
            "\n[[maintenance]]\nstart = 2026-12-10T22:00:00Z\nend = 2026-12-10T23:00:00Z\nwhat = \"Step 499\"\n",
            ""
        )
    );
}

/// The same window announced again with other services is refused (it would be a second event
/// of one window that `--undo` could not tell apart); the way to change them is said.
#[test]
fn the_same_window_with_other_services_is_refused() {
    let team = team();
    team.rota(NOW, FAILOVER).assert().success();
    let before = team.list();
    let mut other = FAILOVER[..FAILOVER.len() - 4].to_vec();
    other.extend(["--affects", "billing"]);
    team.rota(NOW, &other).assert().code(1).stdout("").stderr(
        "rota: error: this window is in on-call-list.toml already, affecting api, db\n\
         hint: to change its services, take it back (`rota announce --undo \"2026-12-10 22:00\"`) and announce it again; nothing was written\n",
    );
    assert_eq!(team.list(), before);
}
