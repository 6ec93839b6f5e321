//! Calendars into the list: `rota away --import` on exports written as Google, Outlook and
//! Thunderbird write them (`tests/fixtures/calendars/`), and `rota holidays import` on public
//! holiday calendars. Exact outputs, text and JSON; the list's bytes after each import; a
//! rerun changes nothing; `--dry-run` writes nothing; `--undo` takes back what was added.

use crate::common;

use common::{TEAM, Team};

const NOW: &str = "2026-11-23T10:15:00+01:00";

/// A calendar of `tests/fixtures/calendars`, copied into the team's directory.
fn calendar(team: &Team, name: &str) {
    let path = format!(
        "{}/tests/fixtures/calendars/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    team.write(name, std::fs::read(path).unwrap());
}

/// `rota ARGS` at `NOW`: exit code, stdout, stderr.
fn run(team: &Team, args: &[&str]) -> (i32, String, String) {
    let output = team.rota(NOW, args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// `rota ARGS` at `NOW`, which must succeed: stdout and stderr.
fn ok(team: &Team, args: &[&str]) -> (String, String) {
    let (code, stdout, stderr) = run(team, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    (stdout, stderr)
}

const BOB_IMPORTED: &str = "\
Busy days in google-bob.ics for bob, 2026-11-23 to 2027-11-23:
  add      Fri 2026-11-27
  add      Mon 2026-11-30 to Wed 2026-12-02
  merge    Mon 2026-12-14 to Fri 2026-12-18  with 2026-12-17..2026-12-22: now 2026-12-14..2026-12-22
  add      Thu 2027-01-07
Skipped 6 events: 2 not busy, 2 part of a day, 1 in the past, 1 on no working day.
";

/// Bob's Google Calendar: an all-day vacation that overlaps an absence already there, a
/// conference in Berlin time over three days, a fortnightly leave day with an EXDATE and a
/// moved occurrence; meetings, a free birthday, a cancelled offsite, a weekend trip and a
/// past flu are skipped and counted. Dry run, import, rerun, JSON and undo.
#[test]
fn away_import_reads_a_google_export_and_a_rerun_changes_nothing() {
    let team = Team::new();
    calendar(&team, "google-bob.ics");
    ok(
        &team,
        &[
            "away",
            "bob",
            "2026-12-17",
            "2026-12-22",
            "--reason",
            "family visit",
        ],
    );
    let before = team.list();
    let import = ["away", "--import", "google-bob.ics", "--engineer", "bob"];

    let (stdout, stderr) = ok(&team, &[&import[..], &["--dry-run"]].concat());
    assert_eq!(stdout, BOB_IMPORTED);
    assert_eq!(
        stderr,
        "rota: dry run: would add 3 absences of bob and merge 1; nothing was written\n"
    );
    assert_eq!(team.list(), before, "a dry run writes nothing");

    let (stdout, stderr) = ok(&team, &import);
    assert_eq!(stdout, BOB_IMPORTED);
    assert_eq!(
        stderr,
        "rota: added 3 absences of bob and merged 1; they keep their turn and serve when back\n"
    );
    let imported = TEAM.replace(
        "email = \"bob@example.org\"\n",
        "email = \"bob@example.org\"\naway = [\n  \
         { from = 2026-12-14, to = 2026-12-22, reason = \"family visit\" },\n  \
         { from = 2026-11-27 },\n  \
         { from = 2026-11-30, to = 2026-12-02 },\n  \
         { from = 2027-01-07 },\n]\n",
    );
    assert_eq!(team.list(), imported);

    // Again: the same days, all there; not a byte changes.
    let (stdout, stderr) = ok(&team, &import);
    assert_eq!(
        stdout,
        "\
Busy days in google-bob.ics for bob, 2026-11-23 to 2027-11-23:
  present  Fri 2026-11-27
  present  Mon 2026-11-30 to Wed 2026-12-02
  present  Mon 2026-12-14 to Fri 2026-12-18
  present  Thu 2027-01-07
Skipped 6 events: 2 not busy, 2 part of a day, 1 in the past, 1 on no working day.
"
    );
    assert_eq!(
        stderr,
        "rota: nothing changed: bob's absences hold every busy day of google-bob.ics already\n"
    );
    assert_eq!(team.list(), imported);
    let (stdout, _) = ok(&team, &[&import[..], &["--json"]].concat());
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        answer,
        serde_json::json!({
            "engineer": "bob",
            "file": "google-bob.ics",
            "from": "2026-11-23",
            "until": "2027-11-23",
            "dry_run": false,
            "undo": false,
            "changed": false,
            "events": 10,
            "absences": [
                {"from": "2026-11-27", "to": "2026-11-27", "action": "present", "merged_with": [], "now": null},
                {"from": "2026-11-30", "to": "2026-12-02", "action": "present", "merged_with": [], "now": null},
                {"from": "2026-12-14", "to": "2026-12-18", "action": "present", "merged_with": [], "now": null},
                {"from": "2027-01-07", "to": "2027-01-07", "action": "present", "merged_with": [], "now": null},
            ],
            "skipped": {
                "not_busy": 2, "part_of_a_day": 2, "past": 1, "outside": 0,
                "no_working_day": 1, "unsupported": 0
            }
        })
    );
    // The days the calendar holds are days bob is away: the schedule skips them.
    let (stdout, _) = ok(
        &team,
        &[
            "schedule",
            "--json",
            "--from",
            "2026-11-27",
            "--until",
            "2026-12-02",
            "--engineer",
            "bob",
        ],
    );
    assert_eq!(stdout, "[]\n");

    // Undo: exactly what the import adds; the merged absence holds more, and stays.
    let (stdout, stderr) = ok(&team, &[&import[..], &["--undo"]].concat());
    assert_eq!(
        stdout,
        "\
Busy days in google-bob.ics for bob, 2026-11-23 to 2027-11-23:
  remove   Fri 2026-11-27
  remove   Mon 2026-11-30 to Wed 2026-12-02
  keep     Mon 2026-12-14 to Fri 2026-12-18  inside 2026-12-14..2026-12-22, which holds more than the import adds
  remove   Thu 2027-01-07
Skipped 6 events: 2 not busy, 2 part of a day, 1 in the past, 1 on no working day.
"
    );
    assert_eq!(
        stderr,
        "rota: removed 3 absences of bob\n\
         rota: kept 2026-12-14..2026-12-22: merged with days added otherwise; `rota away bob 2026-12-14 2026-12-22 --undo` removes it whole\n"
    );
    assert_eq!(
        team.list(),
        before.replace(
            "{ from = 2026-12-17, to = 2026-12-22, reason = \"family visit\" }",
            "{ from = 2026-12-14, to = 2026-12-22, reason = \"family visit\" }"
        )
    );
    // The hint's command works as printed, and then the list is as it was at first.
    ok(
        &team,
        &["away", "bob", "2026-12-14", "2026-12-22", "--undo"],
    );
    assert_eq!(team.list(), TEAM);
    let (_, stderr) = ok(&team, &[&import[..], &["--undo"]].concat());
    assert_eq!(
        stderr,
        "rota: nothing changed: bob has none of the absences google-bob.ics adds\n"
    );
}

/// Carol's Outlook export (Windows zone names with their VTIMEZONEs, an out-of-office day
/// flagged all-day, a trip in Eastern time that keeps her away two working days in Prague, a
/// free focus block, a monthly first-Friday training); Dave's Thunderbird export (UTC times
/// daily with an EXDATE, a zone with Mozilla's path, a month of leave, a rule rota does not
/// read, named with its line).
#[test]
fn away_import_reads_outlook_and_thunderbird_exports() {
    let team = Team::new();
    calendar(&team, "outlook-carol.ics");
    calendar(&team, "thunderbird-dave.ics");
    let (stdout, stderr) = ok(
        &team,
        &[
            "away",
            "--import",
            "outlook-carol.ics",
            "--engineer",
            "carol",
        ],
    );
    assert_eq!(
        stdout,
        "\
Busy days in outlook-carol.ics for carol, 2026-11-23 to 2027-11-23:
  add      Fri 2026-12-04
  add      Mon 2026-12-07 to Fri 2026-12-11
  add      Fri 2027-02-05
Skipped 1 event: 1 not busy.
"
    );
    assert_eq!(
        stderr,
        "rota: added 3 absences of carol; they keep their turn and serve when back\n"
    );
    let (stdout, stderr) = ok(
        &team,
        &[
            "away",
            "--import",
            "thunderbird-dave.ics",
            "--engineer",
            "dave",
            "--reason",
            "calendar",
        ],
    );
    assert_eq!(
        stdout,
        "\
Busy days in thunderbird-dave.ics for dave, 2026-11-23 to 2027-11-23:
  add      Wed 2026-12-16
  add      Mon 2027-01-11 to Tue 2027-01-12
  add      Thu 2027-01-14 to Fri 2027-01-15
  add      Mon 2027-02-01 to Mon 2027-03-01
Skipped 1 event: 1 with a rule rota does not read.
"
    );
    assert_eq!(
        stderr,
        "\
rota: warning: thunderbird-dave.ics:55: event not read: RRULE part BYSETPOS is not expanded
hint: add that absence by hand if it is one: rota away dave FROM TO
rota: added 4 absences of dave; they keep their turn and serve when back
"
    );
    let list = TEAM
        .replace(
            "email = \"carol@example.org\"\n",
            "email = \"carol@example.org\"\naway = [\n  \
             { from = 2026-12-04 },\n  \
             { from = 2026-12-07, to = 2026-12-11 },\n  \
             { from = 2027-02-05 },\n]\n",
        )
        .replace(
            "email = \"dave@example.org\"\n",
            "email = \"dave@example.org\"\naway = [\n  \
             { from = 2026-12-16, reason = \"calendar\" },\n  \
             { from = 2027-01-11, to = 2027-01-12, reason = \"calendar\" },\n  \
             { from = 2027-01-14, to = 2027-01-15, reason = \"calendar\" },\n  \
             { from = 2027-02-01, to = 2027-03-01, reason = \"calendar\" },\n]\n",
        );
    assert_eq!(team.list(), list);
    for (file, id) in [
        ("outlook-carol.ics", "carol"),
        ("thunderbird-dave.ics", "dave"),
    ] {
        let (stdout, _) = ok(
            &team,
            &["away", "--import", file, "--engineer", id, "--json"],
        );
        let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(answer["changed"], false, "{file}: {answer}");
        assert!(
            answer["absences"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["action"] == "present"),
            "{file}: {answer}"
        );
    }
    assert_eq!(team.list(), list, "a rerun changes nothing");
}

/// The rules of `rota away` hold: the past is the log's, and a day already handed to the
/// engineer is not left uncovered. With no `--engineer`, the calendar is yours.
#[test]
fn away_import_keeps_the_rules_of_rota_away() {
    let team = Team::new();
    let (on_call, day) = team.on_call(NOW);
    assert_eq!((on_call.as_str(), day.as_str()), ("carol", "2026-11-23"));
    team.write(
        "sick.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n\
         BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261119\r\nDTEND;VALUE=DATE:20261125\r\nSUMMARY:Sick\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
    );
    let (code, stdout, stderr) = run(
        &team,
        &["away", "--import", "sick.ics", "--engineer", "carol"],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "rota: error: carol is on call Mon 2026-11-23 (the day was handed to them): an absence would leave it uncovered\n\
         hint: first ask someone to take it: rota cover 2026-11-23 ID; then add the absence\n\
         hint: or, when the day is over, hand over first (rota handover)\n"
    );
    ok(&team, &["cover", "2026-11-23", "dave"]);
    let (stdout, stderr) = team
        .rota(NOW, &["away", "--import", "sick.ics"])
        .env("ROTA_USER", "carol")
        .output()
        .map(|o| {
            (
                String::from_utf8(o.stdout).unwrap(),
                String::from_utf8(o.stderr).unwrap(),
            )
        })
        .unwrap();
    assert_eq!(
        stdout,
        "Busy days in sick.ics for carol, 2026-11-23 to 2027-11-23:\n  \
         add      Thu 2026-11-19 to Tue 2026-11-24\n"
    );
    assert_eq!(
        stderr,
        "rota: added 1 absence of carol; they keep their turn and serve when back\n"
    );
    assert!(
        team.list()
            .contains("away = [\n  { from = 2026-11-19, to = 2026-11-24 },\n]\n")
    );
    // Without --engineer and without a way to tell who is typing: say how to name them.
    let (code, _, stderr) = run(&team, &["away", "--import", "sick.ics"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("hint: name yourself: rota away --import sick.ics --engineer ID\n"),
        "{stderr}"
    );
}

/// A Google public-holiday calendar (all-day events, marked free as Google does) and a
/// Thunderbird one (yearly rules since 1990 and 2000, a two-day company holiday, a timed
/// party): only the days of the coming year on which the team works are added, with their
/// names as comments; the team-wide holidays and weekends are skipped and counted.
#[test]
fn holidays_import_reads_public_holiday_calendars() {
    let list = TEAM.replace(
        "email = \"dave@example.org\"\n",
        "email = \"dave@example.org\"\nregion = \"uk\"\n",
    ) + "\n[regions.uk]\nholidays = [2026-12-28]   # kept as written\n";
    let team = Team::with_list(&list);
    calendar(&team, "google-holidays-uk.ics");
    calendar(&team, "thunderbird-holidays-cz.ics");
    let uk = [
        "holidays",
        "import",
        "google-holidays-uk.ics",
        "--region",
        "uk",
    ];
    let shown = "\
Holidays of region uk in google-holidays-uk.ics, 2026-11-23 to 2027-11-23:
  add      Mon 2026-11-30  St Andrew's Day (Scotland)
  present  Mon 2026-12-28  Boxing Day (substitute day)
Skipped 5 events: 2 outside the window, 3 on days the team does not work.
";
    let (stdout, stderr) = ok(&team, &[&uk[..], &["--dry-run"]].concat());
    assert_eq!(stdout, shown);
    assert_eq!(
        stderr,
        "rota: dry run: would add 1 holiday to region uk; nothing was written\n"
    );
    assert_eq!(team.list(), list);
    let (stdout, stderr) = ok(&team, &uk);
    assert_eq!(stdout, shown);
    assert_eq!(stderr, "rota: added 1 holiday to region uk\n");
    let after = list.replace(
        "holidays = [2026-12-28]   # kept as written\n",
        "holidays = [\n  2026-12-28,\n  2026-11-30,  # St Andrew's Day (Scotland)\n]   # kept as written\n",
    );
    assert_eq!(team.list(), after);
    let (stdout, stderr) = ok(&team, &uk);
    assert_eq!(stdout, shown.replace("add     ", "present "));
    assert_eq!(
        stderr,
        "rota: nothing changed: region uk has every holiday of google-holidays-uk.ics already\n"
    );
    assert_eq!(team.list(), after);

    // A region new to the list: its table is added at the end.
    let cz = [
        "holidays",
        "import",
        "thunderbird-holidays-cz.ics",
        "--region",
        "cz",
        "--json",
    ];
    let (stdout, stderr) = ok(&team, &cz);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        answer,
        serde_json::json!({
            "region": "cz",
            "file": "thunderbird-holidays-cz.ics",
            "from": "2026-11-23",
            "until": "2027-11-23",
            "dry_run": false,
            "changed": true,
            "events": 5,
            "holidays": [
                {"date": "2026-12-28", "name": "Vánoční volno (firma)", "added": true},
                {"date": "2026-12-29", "name": "Vánoční volno (firma)", "added": true},
                {"date": "2027-03-29", "name": "Velikonoční pondělí", "added": true},
                {"date": "2027-11-17", "name": "Den boje za svobodu a demokracii", "added": true},
            ],
            "skipped": {
                "cancelled": 0, "not_all_day": 1, "outside": 0,
                "no_working_day": 1, "unsupported": 0
            }
        })
    );
    assert_eq!(
        stderr,
        "rota: added 4 holidays to region cz (a new [regions.cz] table)\n\
         rota: no engineer is in region cz yet: add `region = \"cz\"` to their [[engineer]] tables\n"
    );
    let with_cz = format!(
        "{after}\n[regions.cz]\nholidays = [\n  \
         2026-12-28,  # Vánoční volno (firma)\n  \
         2026-12-29,  # Vánoční volno (firma)\n  \
         2027-03-29,  # Velikonoční pondělí\n  \
         2027-11-17,  # Den boje za svobodu a demokracii\n]\n"
    );
    assert_eq!(team.list(), with_cz);
    let (stdout, _) = ok(&team, &cz);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answer["changed"], false);
    assert_eq!(team.list(), with_cz, "a rerun changes nothing");
    // Dave, in region uk, is away on its holidays; the others are not.
    let (stdout, _) = ok(&team, &["who", "--date", "2026-11-30", "--json"]);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_ne!(answer["on_call"]["id"], "dave");
    team.rota(NOW, &["check"]).assert().success();
}

/// A calendar file is untrusted: not a calendar, too large, or named for a region that
/// cannot be one is refused, with what to do, and nothing is written.
#[test]
fn calendar_files_are_checked_before_anything_is_written() {
    let team = Team::new();
    team.write("notes.ics", "hello\nworld\n");
    let (code, _, stderr) = run(
        &team,
        &["holidays", "import", "notes.ics", "--region", "uk"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "rota: error: notes.ics is not an iCalendar file: a line has no `:`\n \
         --> notes.ics:1:1\n  |\n1 | hello\n  | ^^^^^\n\
         hint: export the calendar as .ics (iCalendar) and import that file\n"
    );
    let big = std::fs::File::create(team.path("big.ics")).unwrap();
    big.set_len(8 * 1024 * 1024 + 1).unwrap();
    let (code, _, stderr) = run(&team, &["away", "--import", "big.ics", "--engineer", "bob"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "rota: error: big.ics is larger than 8 MiB, more than rota reads from a calendar\n\
         hint: export a shorter range of the calendar (the coming year is enough)\n"
    );
    let (code, _, stderr) = run(
        &team,
        &[
            "holidays",
            "import",
            "notes.ics",
            "--region",
            "United Kingdom",
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "rota: error: \"United Kingdom\" is not a valid region id\n\
         hint: use a short name of lowercase letters, digits, '-' or '_', like de or uk\n"
    );
    assert_eq!(team.list(), TEAM);
}

/// A holiday added for a region may not leave a day uncovered that was handed to one of its
/// engineers: the cover comes first, as for an absence.
#[test]
fn holidays_import_does_not_uncover_a_day_handed_over() {
    let list = TEAM.replace(
        "email = \"carol@example.org\"\n",
        "email = \"carol@example.org\"\nregion = \"uk\"\n",
    ) + "\n[regions.uk]\n";
    let team = Team::with_list(&list);
    team.write(
        "today.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n\
         BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261123\r\nSUMMARY:A new holiday\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
    );
    let import = ["holidays", "import", "today.ics", "--region", "uk"];
    let (code, _, stderr) = run(&team, &import);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "rota: error: carol is on call Mon 2026-11-23 (the day was handed to them): a holiday in uk would leave it uncovered\n\
         hint: first ask someone to take it: rota cover 2026-11-23 ID; then import again\n\
         hint: or, when the day is over, hand over first (rota handover)\n"
    );
    assert_eq!(team.list(), list);
    ok(&team, &["cover", "2026-11-23", "dave"]);
    let (stdout, _) = ok(&team, &import);
    assert_eq!(
        stdout,
        "Holidays of region uk in today.ics, 2026-11-23 to 2027-11-23:\n  \
         add      Mon 2026-11-23  A new holiday\n"
    );
}

/// A holiday's name is text from outside the team: it goes into the list as one plain line
/// of comment, whatever escapes and controls it holds, and the list stays the list.
#[test]
fn a_holiday_name_cannot_write_into_the_list() {
    let team = Team::new();
    team.write(
        "evil.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n\
         BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261130\r\n\
         SUMMARY:Day\\n]\\n[team]\\nname = \"Owned\"\u{1b}[2J \u{202e}and a very long tail that goes on and on and on\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
    );
    // JSON says the name as the list holds it: no escape or bidi control gets through.
    let (stdout, _) = ok(
        &team,
        &[
            "holidays",
            "import",
            "evil.ics",
            "--region",
            "uk",
            "--dry-run",
            "--json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["holidays"][0]["name"],
        "Day ] [team] name = \"Owned\" [2J and a very long tail that go…"
    );
    let (stdout, _) = ok(&team, &["holidays", "import", "evil.ics", "--region", "uk"]);
    assert_eq!(
        stdout,
        "Holidays of region uk in evil.ics, 2026-11-23 to 2027-11-23:\n  \
         add      Mon 2026-11-30  Day ] [team] name = \"Owned\" [2J and a very long tail that go…\n"
    );
    assert_eq!(
        team.list(),
        format!(
            "{TEAM}\n[regions.uk]\nholidays = [\n  \
             2026-11-30,  # Day ] [team] name = \"Owned\" [2J and a very long tail that go…\n]\n"
        )
    );
    team.rota(NOW, &["check"]).assert().success();
}

/// Review findings: an import keeps the rule of `rota away` on an absence's length (joined
/// with one there, it would have been more than ten years: the error of `rota away`, not an
/// invalid list), and `--undo` takes back only what the import adds: an absence of the same
/// days written by hand with a reason of its own stays.
#[test]
fn away_import_keeps_the_length_rule_and_undo_keeps_what_a_person_wrote() {
    let team = Team::new();
    team.write(
        "trip.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n\
         BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261221\r\nDTEND;VALUE=DATE:20270102\r\nSUMMARY:Trip\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
    );
    // An absence of ten years ending the day before the event: joined, too long.
    ok(&team, &["away", "bob", "2016-12-21", "2026-12-20"]);
    let list = team.list();
    let (code, stdout, stderr) = run(
        &team,
        &["away", "--import", "trip.ics", "--engineer", "bob"],
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("rota: error: joined with bob's absences it touches, the absence from 2016-12-21 to 2027-01-01 lasts more than 3660 days"),
        "{stderr}"
    );
    assert_eq!(team.list(), list);
    // Carol wrote the trip by hand, with its reason; the import finds it there.
    ok(
        &team,
        &[
            "away",
            "carol",
            "2026-12-21",
            "2027-01-01",
            "--reason",
            "family trip",
        ],
    );
    let list = team.list();
    let import = ["away", "--import", "trip.ics", "--engineer", "carol"];
    ok(&team, &import);
    assert_eq!(team.list(), list);
    let (stdout, _) = ok(&team, &[&import[..], &["--undo"]].concat());
    assert_eq!(
        stdout,
        "Busy days in trip.ics for carol, 2026-11-23 to 2027-11-23:\n  \
         keep     Mon 2026-12-21 to Fri 2027-01-01  inside 2026-12-21..2027-01-01, which holds more than the import adds\n"
    );
    assert_eq!(team.list(), list);
    // With the reason it was added with, it is the import's to take back.
    let (stdout, _) = ok(
        &team,
        &[&import[..], &["--undo", "--reason", "family trip"]].concat(),
    );
    assert!(stdout.contains("remove"), "{stdout}");
    assert!(!team.list().contains("family trip"));
    // `--reason` with a plain undo names nothing: refused.
    let (code, _, stderr) = run(
        &team,
        &["away", "bob", "2026-12-01", "--undo", "--reason", "x"],
    );
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "rota: error: --reason goes with --undo only to take back an import (--import FILE): an absence is taken back by its days\nhint: rota away bob 2026-12-01 2026-12-01 --undo\n"
        )
    );
}

/// A calendar file is opened as a regular file: a FIFO in its place is refused at once, not
/// waited on.
#[test]
fn a_fifo_given_as_a_calendar_is_refused_not_waited_on() {
    let team = Team::new();
    let fifo = team.path("feed.ics");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for args in [
        &["holidays", "import", "feed.ics", "--region", "uk"][..],
        &["away", "--import", "feed.ics", "--engineer", "bob"],
    ] {
        let (code, stdout, stderr) = run(&team, args);
        assert_eq!(
            (code, stdout.as_str(), stderr),
            (
                1,
                "",
                "rota: error: cannot read feed.ics: it is a FIFO, not a regular file\nhint: rota reads only regular files: replace feed.ics with the file itself; nothing was written\n".to_string()
            ),
            "{args:?}"
        );
    }
}
