//! The README's promises, run against the real binary in temporary team directories.

mod common;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::{Team, json, rota_in};
use predicates::prelude::*;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// `who --json` at `now`: the on-call id and the day they cover, or None.
fn who(team: &Team, now: &str) -> serde_json::Value {
    json(&team.rota(now, &["who", "--json"]).output().unwrap())
}

#[test]
fn first_use_starts_the_rotation_and_keeps_the_file() {
    let team = Team::new();
    team.rota("2026-11-22T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr(predicate::str::contains("started the rotation"))
        .stdout(predicate::str::contains(
            "No one is on call on Sunday 2026-11-22",
        ));
    let list = team.list();
    assert!(
        list.starts_with(common::TEAM),
        "the hand-written part changed:\n{list}"
    );
    assert!(
        list.contains("[rotation]\nseed = 4157262103\nround = 1\n"),
        "{list}"
    );
    assert!(
        list.contains("day = 2026-11-23\n"),
        "starts on the next working day:\n{list}"
    );
    // Said once: the second run finds the table.
    team.rota("2026-11-22T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr(predicate::str::contains("started").not());
}

#[test]
fn a_month_of_days_follows_the_projection() {
    let team = Team::new();
    // What the schedule says on the first day, for every working day of the month ahead.
    let start = date("2026-11-30");
    let end = date("2027-01-08");
    let horizon = end + Duration::days(7);
    let mut expected = Vec::new();
    let mut day = start;
    while day <= horizon {
        let answer = json(
            &team
                .rota(
                    "2026-11-30T08:00:00+01:00",
                    &["who", "--json", "--date", &day.to_string()],
                )
                .output()
                .unwrap(),
        );
        expected.push((day, answer["on_call"]["id"].as_str().map(String::from)));
        day += Duration::days(1);
    }

    let mut served: Vec<String> = Vec::new();
    for (day, scheduled) in expected.iter().filter(|(day, _)| *day <= end) {
        let morning = format!("{day}T09:00:00+01:00");
        let answer = who(&team, &morning);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let holiday = ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]
            .contains(&day.to_string().as_str());
        assert_eq!(answer["working_day"], !(weekend || holiday), "{day}");
        assert_eq!(
            answer["on_call"]["id"].as_str().map(String::from),
            *scheduled,
            "{day}: {answer}"
        );
        let Some(engineer) = scheduled else {
            assert!(answer["on_call"].is_null());
            continue;
        };
        assert_ne!(
            served.last(),
            Some(engineer),
            "{engineer} two working days in a row on {day}"
        );
        served.push(engineer.clone());

        team.rota(
            &format!("{day}T10:00:00+01:00"),
            &["log", "worked on", "#topic", &day.to_string()],
        )
        .assert()
        .success();
        team.rota(&format!("{day}T17:05:00+01:00"), &["handover", "--yes"])
            .assert()
            .success()
            .stdout(predicate::str::contains("you're on call"));
        let (on_call, covers) = team.on_call();
        let next = expected
            .iter()
            .find(|(d, e)| d > day && e.is_some())
            .expect("the month has a next working day");
        assert_eq!(
            (on_call.as_str(), covers.as_str()),
            (next.1.as_deref().unwrap(), next.0.to_string().as_str())
        );
        let log = team.log();
        assert!(log.contains(&format!("## {day} {} · on call: {engineer}\n\n- 09:00 UTC {engineer}: worked on #topic {day}\n", day.format("%a"))), "{log}");
        assert!(
            log.contains(&format!(
                "### Handover 16:05 UTC: {engineer} → {on_call}\n\n- Served: {} ({engineer})\n",
                day.format("%a %Y-%m-%d")
            )),
            "{log}"
        );
    }
    // 5 engineers over 24 working days: everyone served in every complete round.
    for round in served.chunks(5).filter(|c| c.len() == 5) {
        let mut round = round.to_vec();
        round.sort();
        assert_eq!(round, ["alice", "bob", "carol", "dave", "erin"]);
    }
    // The hand-written part of the list never changed.
    assert!(team.list().starts_with(common::TEAM));
}

#[test]
fn a_late_handover_is_recorded_and_the_next_engineer_takes_today() {
    let team = Team::new();
    team.rota("2026-11-23T09:00:00+01:00", &["who"])
        .assert()
        .success();
    let (monday, _) = team.on_call();
    team.rota("2026-11-24T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "handover overdue: {monday} covered Mon 2026-11-23"
        )));
    // who names the engineer that the late handover will give today to.
    let overdue = who(&team, "2026-11-24T10:00:00+01:00");
    assert_eq!(overdue["on_call"]["id"], monday.as_str());
    assert_eq!(overdue["next"]["date"], "2026-11-24", "{overdue}");
    let announced = overdue["next"]["id"].as_str().unwrap().to_string();
    team.rota("2026-11-24T10:00:00+01:00", &["handover", "--yes"])
        .assert()
        .success();
    let (tuesday, day) = team.on_call();
    assert_eq!(tuesday, announced);
    assert_eq!(day, "2026-11-24");
    assert_ne!(tuesday, monday);
    let record = format!(
        "- Served: Mon 2026-11-23 ({monday})\n- Next: Tue 2026-11-24 ({tuesday})\n- Late: 1 working day\n"
    );
    assert!(team.log().contains(&record), "{}", team.log());
}

#[test]
fn a_second_handover_the_same_evening_is_refused_unless_forced() {
    let team = Team::new();
    team.rota("2026-11-23T17:05:00+01:00", &["handover", "--yes"])
        .assert()
        .success();
    let (next, _) = team.on_call();
    let before = (team.list(), team.log());
    team.rota("2026-11-23T17:30:00+01:00", &["handover", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{next}'s turn starts Tue 2026-11-24; nothing to hand over yet"
        )))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        (team.list(), team.log()),
        before,
        "nothing is written on error"
    );
    team.rota(
        "2026-11-23T17:30:00+01:00",
        &["handover", "--yes", "--force"],
    )
    .assert()
    .success();
    assert_eq!(team.on_call().1, "2026-11-25");
}

#[test]
fn friday_hands_over_to_monday_and_holidays_are_skipped() {
    let team = Team::new();
    team.rota(
        "2026-11-27T17:00:00+01:00",
        &["handover", "--yes", "--force"],
    )
    .assert()
    .success();
    // A rotation started on a Friday hands over to the Monday.
    assert_eq!(team.on_call().1, "2026-11-30");
    let team = Team::new();
    team.rota("2026-12-23T17:00:00+01:00", &["handover", "--yes"])
        .assert()
        .success();
    assert_eq!(team.on_call().1, "2026-12-28");
}

#[test]
fn who_on_a_weekend_names_the_next_responder() {
    let team = Team::new();
    team.rota("2026-11-27T17:00:00+01:00", &["handover", "--yes"])
        .assert()
        .success();
    let (monday, _) = team.on_call();
    let answer = who(&team, "2026-11-28T12:00:00+01:00");
    assert_eq!(answer["working_day"], false);
    assert!(answer["on_call"].is_null());
    assert_eq!(answer["next"]["id"], monday.as_str());
    assert_eq!(answer["next"]["date"], "2026-11-30");
    team.rota("2026-11-28T12:00:00+01:00", &["who"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "No one is on call on Saturday 2026-11-28.",
        ))
        .stdout(predicate::str::contains(format!(
            "({monday}) · Mon 2026-11-30"
        )));
}

#[test]
fn who_shows_contacts_local_time_and_the_round() {
    let team = Team::new();
    team.write("on-call-list.toml", format!("{}\n[rotation]\nseed = 1\nround = 2\norder = [\"bob\", \"alice\", \"carol\", \"dave\", \"erin\"]\non-call = \"alice\"\nday = 2026-11-23\n", common::TEAM));
    team.rota("2026-11-23T15:00:00+01:00", &["who"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "On call: Alice Novak (alice) · Mon 2026-11-23",
        ))
        .stdout(predicate::str::contains("phone  +420 555 0100"))
        .stdout(predicate::str::contains(
            "local  Mon 09:00 EST (America/New_York)",
        ))
        .stdout(predicate::str::contains(
            "Next: Carol Jiménez (carol) · Tue 2026-11-24",
        ))
        .stdout(predicate::str::contains(
            "[x] bob\n  [>] alice  ← on call\n  [ ] carol",
        ));
    // Without a subcommand, rota answers the same.
    let plain = team
        .rota("2026-11-23T15:00:00+01:00", &[])
        .output()
        .unwrap();
    let who = team
        .rota("2026-11-23T15:00:00+01:00", &["who"])
        .output()
        .unwrap();
    assert_eq!(plain.stdout, who.stdout);
}

#[test]
fn log_appends_under_todays_heading_and_prints_todays_entries() {
    let team = Team::new();
    team.rota(
        "2026-11-23T09:14:00+01:00",
        &["log", "fixed quota drift #quota"],
    )
    .assert()
    .success();
    team.rota(
        "2026-11-23T11:02:00+01:00",
        &["log", "--as", "bob", "restarted", "the", "wiki", "pod"],
    )
    .assert()
    .success();
    let log = team.log();
    let (on_call, _) = team.on_call();
    assert!(log.starts_with("# On-call log: Cloud SRE\n"), "{log}");
    assert!(log.ends_with(&format!("\n## 2026-11-23 Mon · on call: {on_call}\n\n- 08:14 UTC {on_call}: fixed quota drift #quota\n- 10:02 UTC bob: restarted the wiki pod\n")), "{log}");
    team.rota("2026-11-23T12:00:00+01:00", &["log"])
        .assert()
        .success()
        .stdout(format!(
            "08:14 UTC {on_call}: fixed quota drift #quota\n10:02 UTC bob: restarted the wiki pod\n"
        ));
    team.rota("2026-11-24T09:00:00+01:00", &["log", "next day"])
        .assert()
        .success();
    assert_eq!(team.log().matches("## 2026-11-2").count(), 2);
    team.rota("2026-11-23T12:00:00+01:00", &["log", "--as", "zed", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"zed\" is not an engineer of the team",
        ))
        .stderr(predicate::str::contains(
            "known ids: alice, bob, carol, dave, erin",
        ));
}

#[test]
fn appending_keeps_hand_kept_logs_byte_for_byte() {
    for fixture in ["newest-first-duty-log.md", "wiki-style-sal.md"] {
        let original = std::fs::read(format!(
            "{}/tests/fixtures/{fixture}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let team = Team::with_list(&common::TEAM.replace(
            "holidays = [",
            &format!("log = \"{fixture}\"\nholidays = ["),
        ));
        team.write(fixture, &original);
        team.rota("2026-11-23T09:14:00+01:00", &["log", "first entry"])
            .assert()
            .success();
        team.rota("2026-11-23T17:05:00+01:00", &["handover", "--yes"])
            .assert()
            .success();
        let after = std::fs::read(team.path(fixture)).unwrap();
        assert!(
            after.starts_with(&original),
            "{fixture}: the original bytes changed"
        );
        let added = String::from_utf8(after[original.len()..].to_vec()).unwrap();
        if original.ends_with(b"\n") {
            assert!(
                added.starts_with("\n## 2026-11-23") || added.starts_with("\r\n## 2026-11-23"),
                "{added:?}"
            );
        } else {
            assert!(
                added.starts_with("\n\n## 2026-11-23"),
                "a newline goes first: {added:?}"
            );
        }
        if original.windows(2).any(|w| w == b"\r\n") {
            assert!(
                !added.replace("\r\n", "").contains('\n'),
                "CRLF file, CRLF lines: {added:?}"
            );
        }
        assert!(added.contains("first entry"));
        assert!(added.contains("### Handover 16:05 UTC"));
    }
}

#[test]
fn twenty_concurrent_logs_lose_nothing() {
    let team = Team::new();
    team.rota("2026-11-23T09:00:00+01:00", &["who"])
        .assert()
        .success();
    let children: Vec<_> = (0..20)
        .map(|i| {
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rota"));
            command
                .current_dir(team.dir.path())
                .args(["log", &format!("entry number {i:02} {}", "x".repeat(200))])
                .env("ROTA_NOW", "2026-11-23T10:00:00+01:00")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let log = team.log();
    assert_eq!(
        log.matches("\n## 2026-11-23").count(),
        1,
        "one heading:\n{log}"
    );
    for i in 0..20 {
        let line = format!(": entry number {i:02} {}\n", "x".repeat(200));
        assert_eq!(
            log.matches(&line).count(),
            1,
            "entry {i} is missing or torn:\n{log}"
        );
    }
    assert_eq!(
        log.lines().filter(|l| l.starts_with("- 09:00 UTC")).count(),
        20
    );
}

#[test]
fn files_are_found_in_parents_and_through_dir_and_rota_dir() {
    let team = Team::new();
    let nested = team.path("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    rota_in(&nested, "2026-11-23T09:00:00+01:00", &["who", "--json"])
        .assert()
        .success();
    let elsewhere = tempfile::tempdir().unwrap();
    rota_in(elsewhere.path(), "2026-11-23T09:00:00+01:00", &["who"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "no on-call-list.toml in {} or any parent directory",
            elsewhere.path().display()
        )))
        .stderr(predicate::str::contains("--dir"));
    rota_in(
        elsewhere.path(),
        "2026-11-23T09:00:00+01:00",
        &["--dir", team.dir.path().to_str().unwrap(), "who"],
    )
    .assert()
    .success();
    rota_in(elsewhere.path(), "2026-11-23T09:00:00+01:00", &["who"])
        .env("ROTA_DIR", team.dir.path())
        .assert()
        .success();
}

#[test]
fn roster_edits_by_hand_join_and_leave_the_round_and_are_said_once() {
    let rotation = "\n[rotation]\nseed = 1\nround = 2\norder = [\"bob\", \"alice\", \"carol\", \"dave\", \"zoe\"]\non-call = \"alice\"\nday = 2026-11-23\n";
    let team = Team::with_list(&format!(
        "{}\n[[engineer]]\nid = \"frank\"\nname = \"Frank\"\n{rotation}",
        common::TEAM
    ));
    team.rota("2026-11-23T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "zoe is no longer in the team: removed from the rotation",
        ))
        .stderr(predicate::str::contains("erin joins round 2 at its end"))
        .stderr(predicate::str::contains("frank joins round 2 at its end"));
    let list = team.list();
    assert!(
        list.contains("order = [\"bob\", \"alice\", \"carol\", \"dave\", \"erin\", \"frank\"]\n"),
        "{list}"
    );
    assert!(
        list.contains("pending = [\"carol\", \"dave\", \"erin\", \"frank\"]\n"),
        "{list}"
    );
    team.rota("2026-11-23T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr(predicate::str::contains("joins").not());
}
