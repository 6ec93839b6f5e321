//! The schedule ahead: what it shows is what handovers later do; absences, swaps and cover;
//! calendar export; time zones.

use crate::common;

use chrono::{Duration, NaiveDate};
use common::{Team, json};
use predicates::prelude::*;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The `schedule --json` rows as `(date, engineer)`.
fn projection(team: &Team, now: &str, days: usize) -> Vec<(NaiveDate, Option<String>)> {
    let rows = json(
        &team
            .rota(now, &["schedule", "--json", "--days", &days.to_string()])
            .output()
            .unwrap(),
    );
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                date(row["date"].as_str().unwrap()),
                row["engineer"].as_str().map(String::from),
            )
        })
        .collect()
}

#[test]
fn the_projection_is_what_120_handovers_do() {
    let team = Team::new();
    let start = "2026-11-23T08:00:00+01:00";
    team.rota(start, &["who"]).assert().success();
    // An absence over a round boundary, a swap and a cover, all before the projection is made.
    team.rota(
        start,
        &[
            "away",
            "bob",
            "2026-12-07",
            "2026-12-18",
            "--reason",
            "vacation",
        ],
    )
    .assert()
    .success();
    let plan = projection(&team, start, 40);
    let (a, b) = (
        &plan[2],
        plan[3..]
            .iter()
            .find(|(_, e)| *e != plan[2].1 && *e != plan[1].1 && *e != plan[3].1)
            .unwrap(),
    );
    team.rota(start, &["swap", &a.0.to_string(), &b.0.to_string()])
        .assert()
        .success();
    let covered = &plan[35];
    let helper = ["alice", "carol", "dave", "erin"]
        .into_iter()
        .find(|id| {
            Some(*id) != plan[34].1.as_deref()
                && Some(*id) != covered.1.as_deref()
                && Some(*id) != plan[36].1.as_deref()
        })
        .unwrap();
    team.rota(start, &["cover", &covered.0.to_string(), helper])
        .assert()
        .success();
    let projected = projection(&team, start, 121);
    assert_eq!(projected.len(), 121);
    let rounds: Vec<u64> = json(
        &team
            .rota(start, &["schedule", "--json", "--days", "121"])
            .output()
            .unwrap(),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|r| r["round"].as_u64().unwrap())
    .collect();
    assert!(
        rounds.last().unwrap() - rounds[0] >= 20,
        "several round boundaries: {rounds:?}"
    );
    assert!(
        projected.iter().all(|(_, e)| e.is_some()),
        "no gaps expected"
    );

    for (i, (day, engineer)) in projected.iter().take(120).enumerate() {
        let engineer = engineer.as_deref().unwrap();
        let morning = format!("{day}T09:00:00+01:00");
        let answer = json(&team.rota(&morning, &["who", "--json"]).output().unwrap());
        assert_eq!(
            answer["on_call"]["id"], engineer,
            "{day}: who disagrees with the projection"
        );
        let evening = format!("{day}T17:05:00+01:00");
        team.rota(&evening, &["handover", "--yes"])
            .assert()
            .success();
        let (next_day, next) = &projected[i + 1];
        let log = team.log();
        let record = format!("- Served: {} ({engineer}", day.format("%a %Y-%m-%d"));
        assert!(log.contains(&record), "{day}: no record {record:?}");
        assert!(
            log.contains(&format!(
                "- Next: {} ({})\n",
                next_day.format("%a %Y-%m-%d"),
                next.as_deref().unwrap()
            )),
            "{day}: the handover chose someone else than the projection"
        );
    }
    // bob was away; he was never on call then.
    assert!(!projected.iter().any(|(d, e)| e.as_deref() == Some("bob")
        && *d >= date("2026-12-07")
        && *d <= date("2026-12-18")));
}

#[test]
fn the_schedule_shows_weekends_holidays_and_why() {
    let team = Team::new();
    // Six working days: the holidays and the weekend between them are one row, and a new
    // round says so. Round 1 starts today: its order comes from the seed derived from the
    // team's name.
    team.rota("2026-12-21T08:00:00+01:00", &["schedule", "--days", "6"])
        .assert()
        .success()
        .stderr("")
        .stdout(concat!(
            "Date        Day      On call                Why\n",
            "2026-12-21  Mon      Carol Jiménez (carol)  today · round 1 starts\n",
            "2026-12-22  Tue      Erin Walsh (erin)      rotation\n",
            "2026-12-23  Wed      Dave Okafor (dave)     rotation\n",
            "2026-12-24  Thu–Sun  ·                      holiday, weekend\n",
            "2026-12-28  Mon      Alice Novak (alice)    rotation\n",
            "2026-12-29  Tue      Bob Dvořák (bob)       rotation\n",
            "2026-12-30  Wed      Dave Okafor (dave)     round 2 starts\n",
        ));
    let until = projection(&team, "2026-12-21T08:00:00+01:00", 100);
    let rows = json(
        &team
            .rota(
                "2026-12-21T08:00:00+01:00",
                &[
                    "schedule",
                    "--json",
                    "--from",
                    "2026-12-28",
                    "--until",
                    "2027-01-08",
                ],
            )
            .output()
            .unwrap(),
    );
    let days: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        days,
        [
            "2026-12-28",
            "2026-12-29",
            "2026-12-30",
            "2027-01-04",
            "2027-01-05",
            "2027-01-06",
            "2027-01-07",
            "2027-01-08"
        ]
    );
    // --from shows the same engineers as the full projection.
    for row in rows.as_array().unwrap() {
        let day = date(row["date"].as_str().unwrap());
        let full = until.iter().find(|(d, _)| *d == day).unwrap();
        assert_eq!(row["engineer"].as_str(), full.1.as_deref());
    }
}

#[test]
fn absences_are_added_listed_and_kept_byte_for_byte_around() {
    // dave's absence was written by hand, on one line.
    let hand_written = common::TEAM.replace(
        "email = \"dave@example.org\"\n",
        "email = \"dave@example.org\"\naway = [{ from = 2027-02-01, to = 2027-02-05, reason = \"ski\" }]\n",
    );
    let team = Team::with_list(&hand_written);
    let now = "2026-11-23T08:00:00+01:00";
    team.rota(now, &["who"]).assert().success();
    assert_eq!(team.list(), hand_written, "reading never writes");
    team.rota(
        now,
        &[
            "away",
            "carol",
            "2026-12-21",
            "2027-01-01",
            "--reason",
            "vacation",
        ],
    )
    .assert()
    .success();
    team.rota(now, &["away", "carol", "2026-12-04"])
        .assert()
        .success();
    // One absence per line, each with its comma, so that two clones' additions merge.
    let expected = hand_written.replace(
        "email = \"carol@example.org\"\n",
        "email = \"carol@example.org\"\naway = [\n  { from = 2026-12-21, to = 2027-01-01, reason = \"vacation\" },\n  { from = 2026-12-04 },\n]\n",
    );
    assert_eq!(team.list(), expected);
    // Adding to a one-line array reflows it the same way; nothing else changes.
    team.rota(now, &["away", "dave", "2026-12-10", "2026-12-11"])
        .assert()
        .success();
    let expected = expected.replace(
        "away = [{ from = 2027-02-01, to = 2027-02-05, reason = \"ski\" }]\n",
        "away = [\n  { from = 2027-02-01, to = 2027-02-05, reason = \"ski\" },\n  { from = 2026-12-10, to = 2026-12-11 },\n]\n",
    );
    assert_eq!(team.list(), expected);
    team.rota(now, &["away", "carol", "--list"])
        .assert()
        .success()
        .stdout("Mon 2026-12-21 to Fri 2027-01-01  vacation\nFri 2026-12-04\n");
    for (day, engineer) in projection(&team, now, 60) {
        let away =
            day == date("2026-12-04") || (date("2026-12-21") <= day && day <= date("2027-01-01"));
        assert!(
            !(away && engineer.as_deref() == Some("carol")),
            "carol on call on {day} while away"
        );
    }
    team.rota(now, &["away", "carol", "2026-12-10", "2026-12-09"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ends (2026-12-09) before it starts (2026-12-10)",
        ));
    team.rota(now, &["away", "zed", "2026-12-10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("known ids"));
}

#[test]
fn swap_and_cover_change_only_their_days() {
    let team = Team::new();
    let now = "2026-11-23T08:00:00+01:00";
    team.rota(now, &["who"]).assert().success();
    let before = projection(&team, now, 30);
    let (tue, wed) = (before[1].1.clone().unwrap(), before[2].1.clone().unwrap());
    team.rota(now, &["swap", "2026-11-24", "2026-11-25"])
        .assert()
        .success();
    let other = ["alice", "bob", "carol", "dave", "erin"]
        .into_iter()
        .find(|id| {
            before[9].1.as_deref() != Some(id)
                && before[8].1.as_deref() != Some(id)
                && before[10].1.as_deref() != Some(id)
        })
        .unwrap();
    team.rota(
        now,
        &[
            "cover",
            &before[9].0.to_string(),
            other,
            "--reason",
            "dentist",
        ],
    )
    .assert()
    .success();
    let after = projection(&team, now, 30);
    for (i, ((day, was), (_, is))) in before.iter().zip(&after).enumerate() {
        match i {
            1 => assert_eq!(is.as_deref(), Some(wed.as_str())),
            2 => assert_eq!(is.as_deref(), Some(tue.as_str())),
            9 => assert_eq!(is.as_deref(), Some(other)),
            _ => assert_eq!(is, was, "{day} changed"),
        }
    }
    let rows = json(
        &team
            .rota(now, &["schedule", "--json", "--days", "10"])
            .output()
            .unwrap(),
    );
    let reasons: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(&reasons[1..3], ["swap", "swap"]);
    assert_eq!(reasons[9], "cover");
    team.rota(now, &["schedule", "--days", "10"])
        .assert()
        .stdout(predicate::str::contains(format!(
            "dentist (instead of {})",
            before[9].1.as_deref().unwrap()
        )));
    // Each override says what it is; the rest of the list is as it was.
    assert_eq!(
        team.list(),
        format!(
            "{}\n[[override]]\ndate = 2026-11-24\nengineer = \"{wed}\"\nkind = \"swap\"\nreason = \"swap with Wed 2026-11-25\"\ndisplaces = \"{tue}\"\n\
             \n[[override]]\ndate = 2026-11-25\nengineer = \"{tue}\"\nkind = \"swap\"\nreason = \"swap with Tue 2026-11-24\"\ndisplaces = \"{wed}\"\n\
             \n[[override]]\ndate = {}\nengineer = \"{other}\"\nkind = \"cover\"\nreason = \"dentist\"\ndisplaces = \"{}\"\n",
            common::TEAM,
            before[9].0,
            before[9].1.as_deref().unwrap()
        )
    );
    // Refusals: non-working days, absent engineers, the past.
    team.rota(now, &["cover", "2026-11-28", "alice"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Saturday 2026-11-28 is not a working day",
        ));
    team.rota(now, &["away", "dave", "2026-12-01"])
        .assert()
        .success();
    team.rota(now, &["cover", "2026-12-01", "dave"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("dave is away on Tue 2026-12-01"));
    team.rota(now, &["swap", "2026-11-20", "2026-11-26"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is in the past"));
}

#[test]
fn a_day_nobody_can_take_is_shown_and_warned_about() {
    let team = Team::new();
    let now = "2026-11-23T08:00:00+01:00";
    for id in ["alice", "bob", "carol", "dave", "erin"] {
        team.rota(now, &["away", id, "2026-12-02"])
            .assert()
            .success();
    }
    let rows = json(
        &team
            .rota(now, &["schedule", "--json", "--days", "10"])
            .output()
            .unwrap(),
    );
    let gap = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["date"] == "2026-12-02")
        .unwrap();
    assert!(gap["engineer"].is_null());
    assert_eq!(gap["reason"], "gap");
    team.rota(now, &["schedule"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "no one is available on Wed 2026-12-02",
        ));
}

#[test]
fn next_finds_you_by_rota_user_or_git_email() {
    let team = Team::new();
    let now = "2026-11-23T08:00:00+01:00";
    let plan = projection(&team, now, 20);
    let first_bob = plan
        .iter()
        .find(|(_, e)| e.as_deref() == Some("bob"))
        .unwrap()
        .0;
    let git = |args: &[&str]| {
        assert!(
            std::process::Command::new("git")
                .args(args)
                .current_dir(team.dir.path())
                .output()
                .unwrap()
                .status
                .success()
        );
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "Bob@Example.org"]);
    let answer = json(&team.rota(now, &["next", "--json"]).output().unwrap());
    assert_eq!(answer["id"], "bob");
    assert_eq!(answer["turns"][0]["date"], first_bob.to_string());
    assert_eq!(answer["turns"].as_array().unwrap().len(), 3);
    team.rota(now, &["next", "alice"])
        .assert()
        .success()
        .stdout(
            "Alice Novak (alice) is next on call Thu 2026-11-26 (in 3 days).\n\
             Then: Thu 2026-12-03, Tue 2026-12-08\n",
        );
    git(&["config", "user.email", "nobody@example.org"]);
    team.rota(now, &["next"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(concat!(
            "rota: error: rota cannot tell who you are: no engineer has the email nobody@example.org (git config user.email)\n",
            "hint: name yourself: rota next ID\n",
            "hint: or set ROTA_USER to your id, or add your git email to your [[engineer]] table\n",
        ));
    // ROTA_USER comes before git's email.
    team.rota(now, &["next"])
        .env("ROTA_USER", "erin")
        .assert()
        .success()
        .stdout(
            "Erin Walsh (erin) is next on call Tue 2026-11-24 (tomorrow).\n\
             Then: Tue 2026-12-01, Wed 2026-12-09\n",
        );
}

#[test]
fn the_calendar_export_reads_back_with_a_real_parser() {
    let team = Team::new();
    let now = "2026-11-23T08:00:00+01:00";
    let plan = projection(&team, now, 15);
    let helper = ["alice", "bob", "carol", "dave", "erin"]
        .into_iter()
        .find(|id| Some(*id) != plan[3].1.as_deref())
        .unwrap();
    team.rota(now, &["cover", &plan[3].0.to_string(), helper, "--reason", "a long reason, with commas; and semicolons, that needs folding in the description line"]).assert().success();
    let output = team
        .rota(now, &["schedule", "--ics", "--days", "15"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let ics = String::from_utf8(output.stdout).unwrap();
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    assert!(
        ics.split("\r\n").all(|line| line.len() <= 75),
        "lines are folded"
    );
    assert!(ics.contains("\r\n "), "the long line was folded");

    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 15);
    let projected = projection(&team, now, 15);
    for (event, (day, engineer)) in events.iter().zip(&projected) {
        let property = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .unwrap()
                .val
                .to_string()
        };
        assert_eq!(property("DTSTART"), day.format("%Y%m%d").to_string());
        assert_eq!(
            property("DTEND"),
            (*day + Duration::days(1)).format("%Y%m%d").to_string()
        );
        let name = match engineer.as_deref().unwrap() {
            "alice" => "Alice Novak",
            "bob" => "Bob Dvořák",
            "carol" => "Carol Jiménez",
            "dave" => "Dave Okafor",
            _ => "Erin Walsh",
        };
        assert_eq!(property("SUMMARY"), format!("On call: {name}"));
        assert_eq!(
            property("UID"),
            format!("{}-team-cloud-sre@rota", day.format("%Y%m%d"))
        );
    }
    // A personal calendar holds only that engineer's days, with UIDs of its own.
    let mine = team
        .rota(
            now,
            &["schedule", "--ics", "--days", "15", "--engineer", helper],
        )
        .output()
        .unwrap();
    let mine = String::from_utf8(mine.stdout).unwrap();
    let helper_days = projected
        .iter()
        .filter(|(_, e)| e.as_deref() == Some(helper))
        .count();
    assert_eq!(mine.matches("BEGIN:VEVENT").count(), helper_days);
    assert!(mine.contains(&format!(
        "UID:{}-engineer-{helper}-cloud-sre@rota",
        plan[3].0.format("%Y%m%d")
    )));
}

#[test]
fn stats_count_the_log_and_the_schedule_ahead() {
    let team = Team::new();
    let mut day = date("2026-11-23");
    while day <= date("2026-12-04") {
        team.rota(&format!("{day}T17:05:00+01:00"), &["handover", "--yes"])
            .assert()
            .code(predicate::in_iter([0, 1]));
        day += Duration::days(1);
    }
    let stats = json(
        &team
            .rota(
                "2026-12-07T08:00:00+01:00",
                &[
                    "stats",
                    "--json",
                    "--since",
                    "2026-11-01",
                    "--until",
                    "2026-12-18",
                ],
            )
            .output()
            .unwrap(),
    );
    let done: u64 = stats["engineers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["done"].as_u64().unwrap())
        .sum();
    let ahead: u64 = stats["engineers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["ahead"].as_u64().unwrap())
        .sum();
    assert_eq!(done, 10, "two weeks of handovers: {stats}");
    assert_eq!(ahead, 10, "two weeks ahead: {stats}");
    for engineer in stats["engineers"].as_array().unwrap() {
        assert_eq!(
            engineer["total"], 4,
            "four whole rounds: everyone serves 4 days: {stats}"
        );
    }
    assert_eq!(stats["spread"], 0);
}
