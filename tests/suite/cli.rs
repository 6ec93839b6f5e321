//! The README's promises, run against the real binary in temporary team directories.

use crate::common;

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

/// FNV-1a of `name`, kept below 2^32: the seed of a team whose list names none.
fn seed_of(name: &str) -> u64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash & 0xffff_ffff
}

/// The files in the team's directory, sorted.
fn files(team: &Team) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(team.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn first_use_starts_the_rotation_and_keeps_the_file() {
    let team = Team::new();
    let sunday = "2026-11-22T10:00:00+01:00";
    // Without [rotation], round 1 starts today (here: the next working day), from a seed
    // derived from the team's name. Nothing is written and nothing needs saying.
    team.rota(sunday, &["who"])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains(
            "No one is on call on Sunday 2026-11-22 (weekend).\n\nNext: Carol Jiménez (carol) · Mon 2026-11-23\n",
        ))
        .stdout(predicate::str::contains(
            "Round 1\n  [>] carol  ← next, Mon 2026-11-23\n  [ ] erin\n  [ ] dave\n  [ ] alice\n  [ ] bob\n",
        ));
    assert_eq!(
        std::fs::read(team.path("on-call-list.toml")).unwrap(),
        common::TEAM.as_bytes(),
        "reading never writes the list"
    );
    assert_eq!(files(&team), ["on-call-list.toml"], "nor any other file");

    // Every run and every clone gives the same answer; ROTA_SEED (read by `rota init` only)
    // changes nothing.
    let answer = |team: &Team, seed: &str| {
        let output = team
            .rota(sunday, &["who", "--json"])
            .env("ROTA_SEED", seed)
            .output()
            .unwrap();
        assert!(output.status.success());
        json(&output)
    };
    let first = answer(&team, "4157262103");
    assert_eq!(first["next"]["id"], "carol", "{first}");
    assert_eq!(first["next"]["date"], "2026-11-23", "{first}");
    assert_eq!(answer(&team, "4157262103"), first);
    let clone = Team::new();
    assert_eq!(answer(&clone, "1"), first);
    assert_eq!(
        std::fs::read(clone.path("on-call-list.toml")).unwrap(),
        common::TEAM.as_bytes()
    );

    // The seed is FNV-1a of the team's name: writing it gives the same schedule, and another
    // seed another one.
    let schedule = |list: &str| {
        let team = Team::with_list(list);
        let output = team
            .rota(sunday, &["schedule", "--json", "--days", "15"])
            .output()
            .unwrap();
        assert!(output.status.success());
        json(&output)
    };
    let derived = schedule(common::TEAM);
    assert_eq!(
        schedule(&format!(
            "{}\n[rotation]\nseed = {}\n",
            common::TEAM,
            seed_of("Cloud SRE")
        )),
        derived
    );
    assert_ne!(
        schedule(&format!(
            "{}\n[rotation]\nseed = 4157262103\n",
            common::TEAM
        )),
        derived
    );

    // `[rotation] start` fixes round 1's first day, whatever day it is asked on.
    let started = Team::with_list(&format!(
        "{}\n[rotation]\nstart = 2026-11-25\n",
        common::TEAM
    ));
    for now in [sunday, "2026-11-24T10:00:00+01:00"] {
        let rows = json(
            &started
                .rota(now, &["schedule", "--json", "--days", "1"])
                .output()
                .unwrap(),
        );
        assert_eq!(
            (
                &rows[0]["date"],
                &rows[0]["engineer"],
                &rows[0]["reason"],
                &rows[0]["round"]
            ),
            (
                &serde_json::json!("2026-11-25"),
                &serde_json::json!("carol"),
                &serde_json::json!("round start"),
                &serde_json::json!(1)
            ),
            "{now}: {rows}"
        );
    }
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

        // The engineer on call writes the entry and hands over.
        team.rota(
            &format!("{day}T10:00:00+01:00"),
            &["log", "worked on", "#topic", &day.to_string()],
        )
        .env("ROTA_USER", engineer)
        .assert()
        .success();
        let evening = format!("{day}T17:05:00+01:00");
        team.rota(&evening, &["handover", "--yes"])
            .env("ROTA_USER", engineer)
            .assert()
            .success()
            .stdout(predicate::str::contains("you're on call"));
        let (on_call, covers) = team.on_call(&evening);
        let next = expected
            .iter()
            .find(|(d, e)| d > day && e.is_some())
            .expect("the month has a next working day");
        assert_eq!(
            (on_call.as_str(), covers.as_str()),
            (next.1.as_deref().unwrap(), next.0.to_string().as_str())
        );
        // The day's section: its heading, the entry, then the handover record, which ends the
        // log with the round line naming the engineer now on call.
        let log = team.log();
        let section = format!(
            "\n## {day} {}\n\n- 09:00 UTC {engineer}: worked on #topic {day}\n\n\
             ### Handover 16:05 UTC: {engineer} → {on_call}\n\n\
             - Served: {} ({engineer})\n- Next: {} ({on_call})\n\n\
             * [x] Answered every open question in #support\n* [x] Checked the consoles\n\
             * [x] Updated the runbooks\n\nRound ",
            day.format("%a"),
            day.format("%a %Y-%m-%d"),
            next.0.format("%a %Y-%m-%d"),
        );
        assert!(log.contains(&section), "{section}\nnot in:\n{log}");
        assert_eq!(log.matches(&format!("\n## {day} ")).count(), 1, "{log}");
        let round = log.lines().last().unwrap();
        assert!(
            round.starts_with("Round ") && round.contains(&format!("**{on_call}**")),
            "{log}"
        );
    }
    // 5 engineers over 24 working days: everyone served in every complete round.
    for round in served.chunks(5).filter(|c| c.len() == 5) {
        let mut round = round.to_vec();
        round.sort();
        assert_eq!(round, ["alice", "bob", "carol", "dave", "erin"]);
    }
    // The list is never written: the log holds the rotation.
    assert_eq!(team.list(), common::TEAM);
}

#[test]
fn a_late_handover_is_recorded_and_the_next_engineer_takes_today() {
    // Round 1 starts on Monday (as `rota init` writes it): on Tuesday, Monday's turn is late.
    let team = Team::with_list(&format!(
        "{}\n[rotation]\nstart = 2026-11-23\n",
        common::TEAM
    ));
    let (monday, day) = team.on_call("2026-11-23T09:00:00+01:00");
    assert_eq!(day, "2026-11-23");
    team.rota("2026-11-24T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "handover overdue: {monday} covered Mon 2026-11-23"
        )));
    // who names the engineer that the late handover will give today to.
    let overdue = who(&team, "2026-11-24T10:00:00+01:00");
    assert_eq!(overdue["on_call"]["id"], monday.as_str());
    assert_eq!(overdue["on_call"]["date"], "2026-11-23", "{overdue}");
    assert_eq!(overdue["handover_overdue"], true, "{overdue}");
    assert_eq!(overdue["late_working_days"], 1, "{overdue}");
    assert_eq!(overdue["next"]["date"], "2026-11-24", "{overdue}");
    let announced = overdue["next"]["id"].as_str().unwrap().to_string();
    // Monday's engineer is not there: Tuesday's runs the handover for them, and the record
    // says so.
    team.rota(
        "2026-11-24T10:00:00+01:00",
        &["handover", "--yes", "--as", &announced],
    )
    .assert()
    .success();
    let (tuesday, day) = team.on_call("2026-11-24T10:00:00+01:00");
    assert_eq!(tuesday, announced);
    assert_eq!(day, "2026-11-24");
    assert_ne!(tuesday, monday);
    // The record goes under today's heading; its round line states the rotation: Monday's
    // engineer served first in round 1, Tuesday's is on call, the other three are to come.
    let log = team.log();
    let record = format!(
        "\n## 2026-11-24 Tue\n\n### Handover 09:00 UTC: {monday} → {tuesday}\n\n\
         - Served: Mon 2026-11-23 ({monday})\n- Next: Tue 2026-11-24 ({tuesday})\n\
         - Run by: {tuesday}\n- Late: 1 working day\n\n\
         * [x] Answered every open question in #support\n* [x] Checked the consoles\n\
         * [x] Updated the runbooks\n\n"
    );
    let (body, round) = log
        .strip_suffix('\n')
        .and_then(|l| l.rsplit_once('\n'))
        .unwrap();
    assert!(
        format!("{body}\n").ends_with(&record),
        "{record}\nnot at the end of:\n{log}"
    );
    let mut rest: Vec<&str> = round
        .strip_prefix(&format!("Round 1: ~~{monday}~~, **{tuesday}**, "))
        .unwrap_or_else(|| panic!("{log}"))
        .split(", ")
        .collect();
    rest.sort();
    let others: Vec<&str> = ["alice", "bob", "carol", "dave", "erin"]
        .into_iter()
        .filter(|id| *id != monday && *id != tuesday)
        .collect();
    assert_eq!(rest, others, "{log}");
    assert_eq!(
        team.list(),
        format!("{}\n[rotation]\nstart = 2026-11-23\n", common::TEAM)
    );
}

#[test]
fn a_second_handover_the_same_evening_is_refused_unless_forced() {
    let team = Team::new();
    let evening = "2026-11-23T17:05:00+01:00";
    team.rota(evening, &["handover", "--yes"])
        .assert()
        .success();
    let (next, day) = team.on_call(evening);
    assert_eq!(day, "2026-11-24");
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
    let (after, day) = team.on_call("2026-11-23T17:30:00+01:00");
    assert_eq!(day, "2026-11-25");
    // The forced record hands over Tuesday, early, in the same day's section.
    let log = team.log();
    let added = log.strip_prefix(&before.1).expect("only appended");
    assert!(
        added.starts_with(&format!(
            "\n### Handover 16:30 UTC: {next} → {after}\n\n\
             - Served: Tue 2026-11-24 ({next})\n- Next: Wed 2026-11-25 ({after})\n\n"
        )),
        "{added}"
    );
    assert_eq!(log.matches("\n## ").count(), 1, "{log}");
    assert_eq!(team.list(), common::TEAM);
    team.rota("2026-11-23T17:30:00+01:00", &["check"])
        .assert()
        .success();
}

#[test]
fn friday_hands_over_to_monday_and_holidays_are_skipped() {
    let team = Team::new();
    let friday = "2026-11-27T17:00:00+01:00";
    team.rota(friday, &["handover", "--yes", "--force"])
        .assert()
        .success();
    // A rotation started on a Friday hands over to the Monday.
    assert_eq!(team.on_call(friday).1, "2026-11-30");
    assert!(team.log().contains("- Served: Fri 2026-11-27 ("));
    let team = Team::new();
    let before_holidays = "2026-12-23T17:00:00+01:00";
    team.rota(before_holidays, &["handover", "--yes"])
        .assert()
        .success();
    let (monday, day) = team.on_call(before_holidays);
    assert_eq!(day, "2026-12-28");
    assert!(
        team.log()
            .contains(&format!("- Next: Mon 2026-12-28 ({monday})\n")),
        "{}",
        team.log()
    );
}

#[test]
fn who_on_a_weekend_names_the_next_responder() {
    let team = Team::new();
    let friday = "2026-11-27T17:00:00+01:00";
    team.rota(friday, &["handover", "--yes"]).assert().success();
    let (monday, _) = team.on_call(friday);
    let answer = who(&team, "2026-11-28T12:00:00+01:00");
    assert_eq!(answer["working_day"], false);
    assert!(answer["on_call"].is_null());
    assert_eq!(answer["next"]["id"], monday.as_str());
    assert_eq!(answer["next"]["date"], "2026-11-30");
    // No one is on call, and the round marks the Monday engineer as next, not on call.
    team.rota("2026-11-28T12:00:00+01:00", &["who"])
        .assert()
        .success()
        .stdout(format!(
            "No one is on call on Saturday 2026-11-28 (weekend).\n\n\
             Next: Erin Walsh ({monday}) · Mon 2026-11-30\n  email  erin@example.org\n  local  Sat 12:00 CET (Europe/Prague)\n\n\
             Round 1\n  [x] carol\n  [>] {monday}  ← next, Mon 2026-11-30\n  [ ] dave\n  [ ] alice\n  [ ] bob\n"
        ));
}

#[test]
fn who_shows_contacts_local_time_and_the_round() {
    let team = Team::new();
    team.write("on-call-list.toml", format!("{}\n[rotation]\nseed = 1\nround = 2\norder = [\"bob\", \"alice\", \"carol\", \"dave\", \"erin\"]\non-call = \"alice\"\nday = 2026-11-23\n", common::TEAM));
    // Every contact alice has, her local time in her own zone, and the whole round.
    team.rota("2026-11-23T15:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr("")
        .stdout(concat!(
            "On call: Alice Novak (alice) · Mon 2026-11-23\n",
            "  email  alice@example.org\n",
            "  chat   @alice\n",
            "  phone  +420 555 0100\n",
            "  local  Mon 09:00 EST (America/New_York)\n",
            "\n",
            "Next: Carol Jiménez (carol) · Tue 2026-11-24\n",
            "\n",
            "Round 2\n",
            "  [x] bob\n",
            "  [>] alice  ← on call\n",
            "  [ ] carol\n",
            "  [ ] dave\n",
            "  [ ] erin\n",
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
    // Nobody rota can name is typing: no ROTA_USER, no git email. Nothing is written.
    team.rota("2026-11-23T09:00:00+01:00", &["log", "who am I"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(concat!(
            "rota: error: rota cannot tell who you are: ROTA_USER is not set and git has no user.email\n",
            "hint: name yourself: rota log --engineer ID \"text\"\n",
            "hint: or set ROTA_USER to your id, or add your git email to your [[engineer]] table\n",
        ));
    assert_eq!(files(&team), ["on-call-list.toml"]);
    // The entry is in the name of the person typing: ROTA_USER, or --engineer.
    team.rota(
        "2026-11-23T09:14:00+01:00",
        &["log", "fixed quota drift #quota"],
    )
    .env("ROTA_USER", "alice")
    .assert()
    .success()
    .stdout("- 08:14 UTC alice: fixed quota drift #quota\n");
    team.rota(
        "2026-11-23T11:02:00+01:00",
        &[
            "log",
            "--engineer",
            "bob",
            "restarted",
            "the",
            "wiki",
            "pod",
        ],
    )
    .env("ROTA_USER", "alice")
    .assert()
    .success();
    let log = team.log();
    assert_eq!(
        log,
        "# On-call log: Cloud SRE\n\n\
         Kept by `rota`: one section per working day, oldest first; times are UTC.\n\
         rota only appends. Write your own notes anywhere; rota never changes them.\n\
         \n## 2026-11-23 Mon\n\n\
         - 08:14 UTC alice: fixed quota drift #quota\n\
         - 10:02 UTC bob: restarted the wiki pod\n"
    );
    team.rota("2026-11-23T12:00:00+01:00", &["log"])
        .assert()
        .success()
        .stdout(
            "08:14 UTC alice: fixed quota drift #quota\n10:02 UTC bob: restarted the wiki pod\n",
        );
    // Else the engineer whose email is git's user.email (compared without case).
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(team.dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    // The log was there before git: rota writes into it once the repository holds it.
    git(&["add", "on-call-log.md"]);
    git(&["config", "user.email", "Carol@Example.org"]);
    team.rota("2026-11-24T09:00:00+01:00", &["log", "next day"])
        .assert()
        .success()
        .stdout("- 08:00 UTC carol: next day\n");
    assert!(
        team.log()
            .ends_with("\n## 2026-11-24 Tue\n\n- 08:00 UTC carol: next day\n"),
        "{}",
        team.log()
    );
    assert_eq!(team.log().matches("## 2026-11-2").count(), 2);
    team.rota(
        "2026-11-23T12:00:00+01:00",
        &["log", "--engineer", "zed", "x"],
    )
    .assert()
    .code(2)
    .stderr(
        "rota: error: \"zed\" is not an engineer of the team\n\
         hint: known ids: alice, bob, carol, dave, erin\n",
    );
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
            .env("ROTA_USER", "alice")
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
    let ids = ["alice", "bob", "carol", "dave", "erin"];
    // Twenty people write the day's first entries at once, into a log that does not exist yet.
    let children: Vec<_> = (0..20)
        .map(|i| {
            common::rota_process(team.dir.path(), "2026-11-23T10:00:00+01:00")
                .args(["log", &format!("entry number {i:02} {}", "x".repeat(200))])
                .env("ROTA_USER", ids[i % 5])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let log = team.log();
    // One header, one heading, then the twenty entries whole, each once, in some order.
    let head = "# On-call log: Cloud SRE\n\n\
                Kept by `rota`: one section per working day, oldest first; times are UTC.\n\
                rota only appends. Write your own notes anywhere; rota never changes them.\n\
                \n## 2026-11-23 Mon\n\n";
    let entries = log
        .strip_prefix(head)
        .unwrap_or_else(|| panic!("one header and one heading first:\n{log}"));
    let mut written: Vec<&str> = entries.lines().collect();
    written.sort();
    let mut expected: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "- 09:00 UTC {}: entry number {i:02} {}",
                ids[i % 5],
                "x".repeat(200)
            )
        })
        .collect();
    expected.sort();
    assert_eq!(written, expected, "lost, torn or doubled:\n{log}");
    assert!(log.ends_with('\n'));
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
        .stderr(format!(
            "rota: error: no on-call-list.toml in {} or any parent directory\n\
             hint: run rota inside the repository that holds the team's on-call-list.toml\n\
             hint: or point --dir PATH (or ROTA_DIR) at the directory that holds it; `rota init --example --dir demo` writes an example team to try\n\
             hint: or start a team here: rota init --team NAME --timezone ZONE --engineer ID,NAME,EMAIL ...\n",
            elsewhere.path().display()
        ));
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
    let text = format!(
        "{}\n[[engineer]]\nid = \"frank\"\nname = \"Frank\"\n{rotation}",
        common::TEAM
    );
    let team = Team::with_list(&text);
    // Reading reconciles in memory: zoe left, erin and frank join round 2 at its end. It
    // says nothing and saves nothing.
    team.rota("2026-11-23T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains(
            "Round 2\n  [x] bob\n  [>] alice  ← on call\n  [ ] carol\n  [ ] dave\n  [ ] erin\n  [ ] frank\n",
        ));
    assert_eq!(team.list(), text, "the list is not written");
    assert_eq!(files(&team), ["on-call-list.toml"]);
    // check says what was reconciled, as notes, which never fail.
    let list = team.path("on-call-list.toml");
    let notes = format!(
        "{0}:7: note: zoe is no longer in the team: left the rotation\n\
         {0}:7: note: erin joins round 2 at its end\n\
         {0}:7: note: frank joins round 2 at its end\n",
        list.display()
    );
    team.rota("2026-11-23T10:00:00+01:00", &["check"])
        .assert()
        .success()
        .stdout(notes.clone());
    team.rota("2026-11-23T10:00:00+01:00", &["check"])
        .assert()
        .success()
        .stdout(notes);
    // The handover says them once more and records the reconciled round; from then on, the
    // log holds it and nobody is told again.
    team.rota("2026-11-23T17:05:00+01:00", &["handover", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "rota: zoe is no longer in the team: left the rotation\n\
             rota: erin joins round 2 at its end\n\
             rota: frank joins round 2 at its end\n",
        ));
    assert!(
        team.log()
            .ends_with("\nRound 2: ~~bob~~, ~~alice~~, **carol**, dave, erin, frank\n"),
        "{}",
        team.log()
    );
    assert_eq!(team.list(), text);
    team.rota("2026-11-24T10:00:00+01:00", &["check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("joins").not())
        .stdout(predicate::str::contains("no longer").not());
    team.rota("2026-11-24T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains(
            "Round 2\n  [x] bob\n  [x] alice\n  [>] carol  ← on call\n  [ ] dave\n  [ ] erin\n  [ ] frank\n",
        ));
}

/// After today's handover, today is the day that was served, not a weekend; stats counts it
/// done, and an overdue day ahead (it is not done yet): each day counts once.
#[test]
fn today_after_its_handover_is_served_and_counted_once() {
    let team = Team::with_list(&format!(
        "{}\n[rotation]\nstart = 2026-11-23\n",
        common::TEAM
    ));
    let evening = "2026-11-23T17:30:00+01:00";
    let (monday, _) = team.on_call("2026-11-23T10:00:00+01:00");
    team.rota(
        "2026-11-23T17:05:00+01:00",
        &["handover", "--yes", "--as", &monday],
    )
    .assert()
    .success();
    let rows = json(
        &team
            .rota(evening, &["schedule", "--json", "--days", "2"])
            .output()
            .unwrap(),
    );
    assert_eq!(rows[0]["date"], "2026-11-23");
    assert_eq!(rows[0]["engineer"], monday.as_str());
    assert_eq!(rows[0]["reason"], "served");
    assert_eq!(rows[0]["detail"], "served, handed over");
    assert_eq!(rows[1]["date"], "2026-11-24");
    assert_eq!(rows.as_array().unwrap().len(), 2);
    let text = team
        .rota(evening, &["schedule", "--days", "1"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("served, handed over")
    );
    let done = |now: &str| {
        let stats = json(
            &team
                .rota(
                    now,
                    &[
                        "stats",
                        "--json",
                        "--since",
                        "2026-11-23",
                        "--until",
                        "2026-11-24",
                    ],
                )
                .output()
                .unwrap(),
        );
        stats["engineers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["done"].as_u64().unwrap(), e["ahead"].as_u64().unwrap()))
            .fold((0, 0), |(d, a), (x, y)| (d + x, a + y))
    };
    // Monday evening: Monday done, Tuesday ahead. Wednesday morning, Tuesday not handed
    // over: still ahead, not lost.
    assert_eq!(done(evening), (1, 1));
    assert_eq!(done("2026-11-25T10:00:00+01:00"), (1, 1));
}

/// Each override and absence can be taken back: do, then undo, leaves the schedule and `who`
/// as they were, the list's bytes too, and check passing.
#[test]
fn an_override_or_an_absence_undone_leaves_the_schedule_as_before() {
    const NOW: &str = "2026-11-23T10:00:00+01:00";
    let team = Team::with_list(&format!(
        "{}\n[rotation]\nstart = 2026-11-23\n",
        common::TEAM
    ));
    let answers = |team: &Team| {
        (
            json(
                &team
                    .rota(NOW, &["schedule", "--json", "--days", "15"])
                    .output()
                    .unwrap(),
            ),
            json(&team.rota(NOW, &["who", "--json"]).output().unwrap()),
        )
    };
    let before = answers(&team);
    let list = team.list();
    let tue = before.0[1]["engineer"].as_str().unwrap().to_string();
    let other = ["alice", "bob", "carol", "dave", "erin"]
        .into_iter()
        .find(|id| {
            *id != tue
                && Some(*id) != before.0[0]["engineer"].as_str()
                && Some(*id) != before.0[2]["engineer"].as_str()
        })
        .unwrap();
    let steps: [(&[&str], &[&str]); 3] = [
        (
            &["cover", "2026-11-24", other],
            &["cover", "2026-11-24", "--undo"],
        ),
        (
            &["swap", "2026-11-25", "2026-11-27"],
            &["swap", "2026-11-25", "2026-11-27", "--undo"],
        ),
        (
            &["away", other, "2026-12-07", "2026-12-09"],
            &["away", other, "2026-12-07", "2026-12-09", "--undo"],
        ),
    ];
    for (change, undo) in steps {
        team.rota(NOW, change).assert().success();
        assert_ne!(answers(&team), before, "{change:?} changed nothing");
        team.rota(NOW, undo).assert().success();
        assert_eq!(answers(&team), before, "{undo:?}");
        assert_eq!(team.list(), list, "{undo:?}");
        team.rota(NOW, &["check"]).assert().success();
    }
    // Taking back what is not there is an error that changes nothing.
    let out = team
        .rota(NOW, &["cover", "2026-11-24", "--undo"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "rota: error: there is no cover on Tue 2026-11-24\nhint: rota schedule shows the days an override changes\n"
    );
    assert_eq!(team.list(), list);
}

#[test]
fn check_json_lists_every_problem_with_its_place_and_hint() {
    let now = "2026-11-23T10:00:00+01:00";
    let team = Team::new();
    team.rota(now, &["check", "--json"])
        .assert()
        .success()
        .stderr("rota: check passed: 0 errors, 0 warnings\n");
    let clean = json(&team.rota(now, &["check", "--json"]).output().unwrap());
    assert_eq!(
        clean,
        serde_json::json!({"passed": true, "errors": 0, "warnings": 0, "problems": []})
    );

    let list = format!(
        "{}[[override]]\ndate = 2026-11-28\nengineer = \"bob\"\nkind = \"cover\"\n",
        common::TEAM
    );
    let log = "# On-call log\n\n## 2026-11-20 Fri\n\n<<<<<<< ours\n- 09:00 UTC bob: x\n=======\n- 09:00 UTC carol: y\n>>>>>>> theirs\n\n## 2026-11-19 Thu\n";
    let team = Team::with_list(&list);
    team.write("on-call-log.md", log);
    let list_path = team.path("on-call-list.toml").display().to_string();
    let log_path = team.path("on-call-log.md").display().to_string();
    let finish = format!(
        "finish the merge with rota's merge driver (any rota command registers it in this clone): `git checkout -m {log_path}`, `git add {log_path}`, then `git commit` (or `git rebase --continue`)"
    );
    let marker = |line: usize| {
        serde_json::json!({"kind": "error", "file": log_path, "line": line,
            "message": "git conflict marker: a merge stopped here (this clone had no rota merge driver)",
            "hint": finish})
    };
    let output = team.rota(now, &["check", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "the exit code is check's");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "rota: error: check failed: 5 errors, 0 warnings\nhint: fix the lines above; `rota check --strict` also fails on warnings\n"
    );
    assert_eq!(
        json(&output),
        serde_json::json!({
            "passed": false,
            "errors": 5,
            "warnings": 0,
            "problems": [
                {"kind": "error", "file": list_path, "line": 42,
                 "message": "override on Sat 2026-11-28, which is not a working day", "hint": null},
                marker(5),
                marker(7),
                marker(9),
                {"kind": "error", "file": log_path, "line": 11,
                 "message": "day 2026-11-19 comes after 2026-11-20: the log must stay in order",
                 "hint": null},
            ]
        })
    );
    // The text report says the same, the merge's hint once.
    team.rota(now, &["check"]).assert().code(1).stdout(format!(
        "{list_path}:42: error: override on Sat 2026-11-28, which is not a working day\n\
         {log_path}:5: error: git conflict marker: a merge stopped here (this clone had no rota merge driver)\n\
         {log_path}:7: error: git conflict marker: a merge stopped here (this clone had no rota merge driver)\n\
         {log_path}:9: error: git conflict marker: a merge stopped here (this clone had no rota merge driver)\n\
         {log_path}:11: error: day 2026-11-19 comes after 2026-11-20: the log must stay in order\n\
         hint: {finish}\n"
    ));
    assert_eq!(team.log(), log, "check writes nothing");
    assert_eq!(team.list(), list);

    // A list rota cannot read: its error, place and hint, apart.
    let team = Team::with_list(&common::TEAM.replace("Europe/Prague\"", "Europe/Prag\""));
    let output = team.rota(now, &["check", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        json(&output),
        serde_json::json!({
            "passed": false,
            "errors": 1,
            "warnings": 0,
            "problems": [{
                "kind": "error",
                "file": team.path("on-call-list.toml").display().to_string(),
                "line": 4,
                "column": 12,
                "message": "unknown time zone \"Europe/Prag\"",
                "hint": "did you mean \"Europe/Prague\"?",
            }]
        })
    );
}

#[test]
fn away_list_json_is_an_array_of_absences() {
    let now = "2026-11-23T10:00:00+01:00";
    let team = Team::new();
    team.rota(now, &["away", "bob", "--list", "--json"])
        .assert()
        .success()
        .stdout("[]\n")
        .stderr("");
    team.rota(
        now,
        &[
            "away",
            "bob",
            "2026-12-07",
            "2026-12-09",
            "--reason",
            "conference",
        ],
    )
    .assert()
    .success();
    team.rota(now, &["away", "bob", "2026-12-14"])
        .assert()
        .success();
    let listed = json(
        &team
            .rota(now, &["away", "bob", "--list", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        listed,
        serde_json::json!([
            {"from": "2026-12-07", "to": "2026-12-09", "reason": "conference"},
            {"from": "2026-12-14", "to": "2026-12-14", "reason": null},
        ])
    );
    team.rota(now, &["away", "bob", "2026-12-14", "--json"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn away_refuses_the_past_and_merges_overlapping_or_touching_absences() {
    let now = "2026-11-23T10:00:00+01:00";
    let away = "away = [\n  # planned\n  { from = 2026-12-01, to = 2026-12-03, reason = \"conference\" },  # Berlin\n  { from = 2026-12-07 },  # moving house\n  { from = 2026-12-21, to = 2027-01-01, reason = \"vacation\" },\n]\n";
    let with = |away: &str| {
        common::TEAM.replace(
            "email = \"bob@example.org\"\n",
            &format!("email = \"bob@example.org\"\n{away}"),
        )
    };
    let team = Team::with_list(&with(away));
    // Ending before today: refused, nothing written.
    team.rota(now, &["away", "bob", "2026-11-16", "2026-11-20"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "rota: error: the absence ends Fri 2026-11-20, before today (Mon 2026-11-23): rota plans today and the days ahead\n\
             hint: an absence ends today or later, e.g. from today: rota away bob 2026-11-23\n\
             hint: who served the days past is in the log; nothing was written\n",
        );
    assert_eq!(team.list(), with(away));
    assert_eq!(files(&team), ["on-call-list.toml"]);
    // Overlapping one: merged in its place, its comment kept.
    team.rota(now, &["away", "bob", "2026-11-30", "2026-12-05"])
        .assert()
        .success()
        .stdout("")
        .stderr(
            "rota: merged with bob's absence 2026-12-01..2026-12-03: now 2026-11-30..2026-12-05\n\
             rota: bob is away Mon 2026-11-30 to Sat 2026-12-05; they keep their turn and serve when back\n",
        );
    let step1 = "away = [\n  # planned\n  { from = 2026-11-30, to = 2026-12-05, reason = \"conference\" },  # Berlin\n  { from = 2026-12-07 },  # moving house\n  { from = 2026-12-21, to = 2027-01-01, reason = \"vacation\" },\n]\n";
    assert_eq!(team.list(), with(step1));
    // Touching two (12-05 and 12-07 are its neighbours): one absence, both reasons; the
    // comment of the removed line stays.
    team.rota(now, &["away", "bob", "2026-12-06", "--reason", "flu"])
        .assert()
        .success()
        .stderr(
            "rota: merged with bob's absences 2026-11-30..2026-12-05 and 2026-12-07: now 2026-11-30..2026-12-07\n\
             rota: bob is away Mon 2026-11-30 to Mon 2026-12-07; they keep their turn and serve when back\n",
        );
    let step2 = "away = [\n  # planned\n  { from = 2026-11-30, to = 2026-12-07, reason = \"conference; flu\" },  # Berlin\n  # moving house\n  { from = 2026-12-21, to = 2027-01-01, reason = \"vacation\" },\n]\n";
    assert_eq!(team.list(), with(step2));
    // Inside one already there: nothing to write.
    team.rota(
        now,
        &[
            "away",
            "bob",
            "2026-12-22",
            "2026-12-23",
            "--reason",
            "vacation",
        ],
    )
    .assert()
    .success()
    .stderr("rota: bob is already away Mon 2026-12-21 to Fri 2027-01-01: nothing changed\n");
    assert_eq!(team.list(), with(step2));
    // Starting in the past, ending today or later: kept as given (the past days change
    // nothing rota decides; the log says who served them).
    team.rota(now, &["away", "dave", "2026-11-19", "2026-11-23"])
        .assert()
        .success()
        .stderr("rota: dave is away Thu 2026-11-19 to Mon 2026-11-23; they keep their turn and serve when back\n");
    let listed = json(
        &team
            .rota(now, &["away", "dave", "--list", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        listed,
        serde_json::json!([{"from": "2026-11-19", "to": "2026-11-23", "reason": null}])
    );
    // What check says of the result: nothing.
    team.rota(now, &["check"]).assert().success().stdout("");
}

#[test]
fn init_engineer_is_csv_so_a_name_can_hold_a_comma() {
    let now = "2026-11-23T10:00:00+01:00";
    let dir = tempfile::tempdir().unwrap();
    let init = |engineer: &str| {
        rota_in(
            dir.path(),
            now,
            &[
                "init",
                "--team",
                "T",
                "--timezone",
                "UTC",
                "--engineer",
                engineer,
            ],
        )
    };
    let hint = "hint: write it as \"id,Name,email\", e.g. \"alice,Alice Novak,alice@example.org\"; a name with a comma goes in double quotes: 'alice,\"Novak, Alice\",alice@example.org'\n";
    init(r#"alice,"Smith, Alice,alice@example.com"#)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "rota: error: --engineer \"alice,\\\"Smith, Alice,alice@example.com\": the quote at character 7 is never closed: close it with another \" (write \"\" for a quote inside a quoted name)\n{hint}"
        ));
    init("alice,Smith, Alice,alice@example.com")
        .assert()
        .code(2)
        .stderr(format!(
            "rota: error: --engineer \"alice,Smith, Alice,alice@example.com\" has 4 comma-separated fields; it takes id, name and email\n{hint}"
        ));
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
    init(r#"alice,"Smith, Alice",alice@example.com"#)
        .assert()
        .success();
    let list = std::fs::read_to_string(dir.path().join("on-call-list.toml")).unwrap();
    let engineers =
        &list[list.find("[[engineer]]").unwrap()..list.find("\n# What the engineer").unwrap()];
    assert_eq!(
        engineers,
        "[[engineer]]\nid = \"alice\"\nname = \"Smith, Alice\"\nemail = \"alice@example.com\"\n"
    );
}

/// Built from a checkout, `rota --version` names the commit and its date (build.rs).
#[test]
fn version_names_the_commit_it_was_built_from() {
    let team = Team::new();
    let output = team
        .rota("2026-11-23T10:00:00+01:00", &["--version"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let package = env!("CARGO_PKG_VERSION");
    let rest = text
        .strip_prefix(&format!("rota {package} ("))
        .and_then(|r| r.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("not `rota {package} (COMMIT DATE)`: {text:?}"));
    let (commit, date) = rest.split_once(' ').unwrap();
    let hash = commit.strip_suffix("-dirty").unwrap_or(commit);
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        hash,
        common::git(manifest, &["rev-parse", "--short=7", "HEAD"]).trim()
    );
    assert_eq!(
        date,
        common::git(manifest, &["log", "-1", "--format=%cs"]).trim()
    );
}
