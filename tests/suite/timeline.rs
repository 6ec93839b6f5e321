//! One timeline: months of real use replayed, then every past and future day asked of `who`,
//! `schedule`, `stats` and the calendar, which must all say the same, and the past must say
//! what happened. Then the calendar across an edit, stale overrides, former engineers, and
//! taking back a handover.

use crate::common;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::{TEAM, Team, json};
use serde_json::Value;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A moment on `day` in Prague (always CET in these months).
fn at(day: NaiveDate, time: &str) -> String {
    format!("{day}T{time}:00+01:00")
}

fn who(team: &Team, now: &str, day: Option<NaiveDate>) -> Value {
    let mut args = vec!["who".to_string(), "--json".to_string()];
    if let Some(day) = day {
        args.extend(["--date".to_string(), day.to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = team.rota(now, &args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?} at {now}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&output)
}

fn run(team: &Team, now: &str, user: &str, args: &[&str]) {
    let output = team
        .rota(now, args)
        .env("ROTA_USER", user)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?} at {now}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn name_of(id: &str) -> &str {
    match id {
        "alice" => "Alice Novak",
        "bob" => "Bob Dvořák",
        "carol" => "Carol Jiménez",
        "dave" => "Dave Okafor",
        // Erin leaves the team: the calendar names her by her id from then on.
        other => other,
    }
}

/// Two and a half months: handovers every working day, a missed one made up the next
/// morning, a stand-in, a swap, a cover, an absence, a holiday added after the schedule was
/// shown, and an engineer who leaves. Afterwards every day from the first to a month ahead
/// gets one answer, the same from every command, and the past is what happened.
#[test]
fn months_of_real_use_answer_the_same_in_every_command() {
    let team = Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-02\n"));
    let first = date("2026-11-02");
    let last = date("2027-01-29");
    // Who held the pager on each working day, as `who` said that morning.
    let mut served: BTreeMap<NaiveDate, String> = BTreeMap::new();
    let mut erin_left = false;
    let mut day = first;
    while day <= last {
        let morning = who(&team, &at(day, "10:00"), None);
        let Some(on_call) = morning["on_call"]["id"].as_str().map(String::from) else {
            day += Duration::days(1);
            continue;
        };
        served.insert(day, on_call.clone());
        let evening = at(day, "17:05");
        match day.to_string().as_str() {
            // Plans made ahead: a swap, a cover, an absence.
            "2026-11-04" => run(
                &team,
                &evening,
                &on_call,
                &["swap", "2026-11-10", "2026-11-12"],
            ),
            "2026-11-05" => {
                let scheduled = who(&team, &evening, Some(date("2026-11-17")));
                let scheduled = scheduled["on_call"]["id"].as_str().unwrap();
                let helper = ["alice", "bob", "carol", "dave", "erin"]
                    .into_iter()
                    .find(|id| *id != scheduled)
                    .unwrap();
                run(&team, &evening, helper, &["cover", "2026-11-17", helper]);
            }
            "2026-11-09" => {
                let away = who(&team, &evening, Some(date("2026-11-24")));
                let away = away["on_call"]["id"].as_str().unwrap().to_string();
                run(
                    &team,
                    &evening,
                    &away,
                    &["away", &away, "2026-11-23", "2026-11-27"],
                );
            }
            // A holiday nobody planned for, added after the days ahead were shown.
            "2026-12-01" => team.write(
                "on-call-list.toml",
                team.list().replace(
                    "holidays = [2026-12-24",
                    "holidays = [2026-12-08, 2026-12-24",
                ),
            ),
            _ => {}
        }
        match day.to_string().as_str() {
            // Forgotten in the evening; handed over late, the next morning.
            "2026-11-16" => run(
                &team,
                &at(day + Duration::days(1), "09:00"),
                &on_call,
                &["handover", "--yes"],
            ),
            // A colleague stands in.
            "2026-11-20" => {
                let stand_in = if on_call == "alice" { "bob" } else { "alice" };
                run(
                    &team,
                    &evening,
                    stand_in,
                    &["handover", "--yes", "--engineer", stand_in],
                );
            }
            _ => run(&team, &evening, &on_call, &["handover", "--yes"]),
        }
        // Erin leaves in January, once the turn is not hers.
        if day >= date("2027-01-11") && !erin_left {
            let now = who(&team, &at(day, "17:10"), None);
            if now["on_call"]["id"] != "erin" {
                let list = team.list();
                let start = list.find("[[engineer]]\nid = \"erin\"").unwrap();
                let end = start + list[start..].find("\n\n").unwrap() + 2;
                team.write(
                    "on-call-list.toml",
                    format!("{}{}", &list[..start], &list[end..]),
                );
                erin_left = true;
            }
        }
        day += Duration::days(1);
    }
    assert!(erin_left);
    assert!(
        served.values().any(|id| id == "erin"),
        "erin served before she left"
    );
    assert!(
        !served.contains_key(&date("2026-12-08")),
        "the added holiday"
    );

    // Asked on the Saturday after: every day from the first to four weeks ahead.
    let now = at(date("2027-01-30"), "12:00");
    let until = date("2027-02-26");
    let schedule = json(
        &team
            .rota(
                &now,
                &[
                    "schedule",
                    "--json",
                    "--from",
                    "2026-11-02",
                    "--until",
                    "2027-02-26",
                ],
            )
            .output()
            .unwrap(),
    );
    let rows: BTreeMap<NaiveDate, Option<String>> = schedule
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                date(r["date"].as_str().unwrap()),
                r["engineer"].as_str().map(String::from),
            )
        })
        .collect();
    let (_, feed_events) = feed(
        &team,
        &now,
        &["--from", "2026-11-02", "--until", "2027-02-26"],
    );
    let events: BTreeMap<NaiveDate, String> = feed_events
        .iter()
        .map(|event| {
            let day = NaiveDate::parse_from_str(&event["DTSTART"], "%Y%m%d").unwrap();
            (day, event["SUMMARY"].clone())
        })
        .collect();

    let mut ahead: BTreeMap<String, u64> = BTreeMap::new();
    let mut day = first;
    while day <= until {
        let answer = who(&team, &now, Some(day));
        let id = answer["on_call"]["id"].as_str().map(String::from);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if day < date("2027-01-30") {
            assert_eq!(
                id,
                served.get(&day).cloned(),
                "{day}: the past is what happened"
            );
            assert_eq!(
                answer["status"],
                if id.is_some() {
                    "served"
                } else if weekend {
                    "weekend"
                } else {
                    "holiday"
                },
                "{day}"
            );
        } else if let Some(id) = &id {
            *ahead.entry(id.clone()).or_default() += 1;
        }
        assert_eq!(
            rows.get(&day).cloned().flatten(),
            id,
            "{day}: schedule and who"
        );
        assert_eq!(
            rows.contains_key(&day),
            !weekend && answer["working_day"] == true,
            "{day}: a row for every working day"
        );
        assert_eq!(
            events.get(&day).cloned(),
            id.as_deref().map(|id| format!("On call: {}", name_of(id))),
            "{day}: calendar and who"
        );
        day += Duration::days(1);
    }
    let stats = json(
        &team
            .rota(
                &now,
                &[
                    "stats",
                    "--json",
                    "--from",
                    "2026-11-02",
                    "--until",
                    "2027-02-26",
                ],
            )
            .output()
            .unwrap(),
    );
    for row in stats["engineers"].as_array().unwrap() {
        let id = row["id"].as_str().unwrap();
        let done = served.values().filter(|s| *s == id).count() as u64;
        assert_eq!(row["done"], done, "{id}: {stats}");
        assert_eq!(
            row["ahead"],
            ahead.get(id).copied().unwrap_or(0),
            "{id}: {stats}"
        );
        assert_eq!(row.get("former").is_some(), id == "erin", "{id}: {stats}");
    }
    // Erin's past stays hers: her entries and days, marked former.
    let erin_day = served.iter().find(|(_, id)| *id == "erin").unwrap().0;
    let text = team
        .rota(&now, &["who", "--date", &erin_day.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "On call: erin (erin, former engineer) · {}\n  Handed over to ",
            erin_day.format("%a %Y-%m-%d")
        )),
        "{text}"
    );
    team.rota(&now, &["check"]).assert().success();
}

/// `schedule --ics ARGS`, read back with a real iCalendar parser: the calendar's own
/// properties, then each VEVENT's, by name.
fn feed(
    team: &Team,
    now: &str,
    args: &[&str],
) -> (BTreeMap<String, String>, Vec<BTreeMap<String, String>>) {
    let mut all = vec!["schedule", "--ics"];
    all.extend_from_slice(args);
    let output = team.rota(now, &all).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ics = String::from_utf8(output.stdout).unwrap();
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let properties = |props: &[icalendar::parser::Property]| -> BTreeMap<String, String> {
        props
            .iter()
            .map(|p| (p.name.to_string(), p.val.to_string()))
            .collect()
    };
    let head = properties(&calendar.properties);
    let events = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| properties(&c.properties))
        .collect();
    (head, events)
}

/// Calendar apps keep a subscribed feed right: the past stays, UIDs are stable and differ
/// between feeds, and a day an override takes from someone is cancelled in their feed with a
/// higher SEQUENCE (not dropped, which would leave the old event in their app).
#[test]
fn calendar_feeds_keep_the_past_and_cancel_what_an_override_takes() {
    let team = Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-02\n"));
    let mut day = date("2026-11-02");
    while day < date("2026-11-23") {
        if let Some(id) = who(&team, &at(day, "10:00"), None)["on_call"]["id"].as_str() {
            run(&team, &at(day, "17:05"), id, &["handover", "--yes"]);
        }
        day += Duration::days(1);
    }
    let now = at(date("2026-11-23"), "10:00");
    let (head, team_events) = feed(&team, &now, &["--days", "10"]);
    assert_eq!(head["X-WR-CALNAME"], "On call: Cloud SRE");
    assert_eq!(head["REFRESH-INTERVAL"], "PT6H");
    // Thirty days of past by default: from 2026-10-24 on, the rotation began 2026-11-02.
    let days: Vec<&str> = team_events.iter().map(|e| e["DTSTART"].as_str()).collect();
    assert_eq!(days.first(), Some(&"20261102"));
    assert_eq!(
        days.len(),
        15 + 10,
        "three weeks served, ten working days ahead"
    );
    assert!(
        team_events
            .iter()
            .all(|e| e["UID"] == format!("{}-team-cloud-sre@rota", e["DTSTART"]))
    );
    let alice = team_events
        .iter()
        .find(|e| e["SUMMARY"] == "On call: Alice Novak" && e["DTSTART"].as_str() > "20261123")
        .unwrap();
    assert_eq!(
        alice["DESCRIPTION"],
        "Alice Novak (alice) is on call for Cloud SRE: rotation.\nEmail: alice@example.org\nChat: @alice\nPhone: +420 555 0100"
    );
    let alice_day = alice["DTSTART"].clone();
    let alice_date = NaiveDate::parse_from_str(&alice_day, "%Y%m%d").unwrap();

    let (head, before) = feed(&team, &now, &["--days", "10", "--engineer", "alice"]);
    assert_eq!(head["X-WR-CALNAME"], "On call: Alice Novak (Cloud SRE)");
    let uid = format!("{alice_day}-engineer-alice-cloud-sre@rota");
    let mine = before.iter().find(|e| e["UID"] == uid).unwrap();
    assert_eq!(
        (mine["STATUS"].as_str(), mine["SEQUENCE"].as_str()),
        ("CONFIRMED", "0")
    );

    // Bob covers Alice's day: her event is cancelled, with a higher sequence, same UID.
    run(
        &team,
        &now,
        "bob",
        &["cover", &alice_date.to_string(), "bob"],
    );
    let (_, after) = feed(&team, &now, &["--days", "10", "--engineer", "alice"]);
    let mine = after.iter().find(|e| e["UID"] == uid).unwrap();
    assert_eq!(
        (
            mine["STATUS"].as_str(),
            mine["SEQUENCE"].as_str(),
            mine["SUMMARY"].as_str()
        ),
        (
            "CANCELLED",
            "1",
            "On call: Alice Novak (covered by Bob Dvořák)"
        )
    );
    let (_, bobs) = feed(&team, &now, &["--days", "10", "--engineer", "bob"]);
    let his = bobs
        .iter()
        .find(|e| e["UID"] == format!("{alice_day}-engineer-bob-cloud-sre@rota"))
        .unwrap();
    assert_eq!(
        (his["STATUS"].as_str(), his["SEQUENCE"].as_str()),
        ("CONFIRMED", "1")
    );
    let (_, team_after) = feed(&team, &now, &["--days", "10"]);
    let day_event = team_after
        .iter()
        .find(|e| e["UID"] == format!("{alice_day}-team-cloud-sre@rota"))
        .unwrap();
    assert_eq!(
        (
            day_event["SUMMARY"].as_str(),
            day_event["SEQUENCE"].as_str()
        ),
        ("On call: Bob Dvořák", "1")
    );
    // Same files, same day: the same bytes (a feed published from CI changes only with them).
    let twice = |args: &[&str]| {
        team.rota(&at(date("2026-11-23"), "18:00"), args)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(twice(&["schedule", "--ics"]), twice(&["schedule", "--ics"]));
    assert_eq!(
        team.rota(&now, &["schedule", "--ics"])
            .output()
            .unwrap()
            .stdout,
        twice(&["schedule", "--ics"])
    );
}

/// A handover run by mistake is taken back while the next engineer's day has not begun: the
/// log keeps the record and says so, and the rotation is where it was.
#[test]
fn a_handover_taken_back_leaves_the_rotation_as_before() {
    let team = Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-23\n"));
    let monday = at(date("2026-11-23"), "17:05");
    let first = who(&team, &monday, None)["on_call"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    run(&team, &monday, &first, &["handover", "--yes"]);
    let tuesday = at(date("2026-11-24"), "16:50");
    let answers = |now: &str| {
        (
            json(
                &team
                    .rota(now, &["schedule", "--json", "--from", "2026-11-23"])
                    .output()
                    .unwrap(),
            ),
            who(&team, now, None),
        )
    };
    let before = answers(&tuesday);
    let log = team.log();
    let second = before.1["on_call"]["id"].as_str().unwrap().to_string();
    run(
        &team,
        &at(date("2026-11-24"), "16:55"),
        &second,
        &["handover", "--yes"],
    );
    assert_ne!(answers(&tuesday), before);

    let out = team
        .rota(&at(date("2026-11-24"), "17:00"), &["handover", "--undo"])
        .env("ROTA_USER", &second)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "rota: took back the handover {second} → {} of Tue 2026-11-24; {second} is on call again (Tue 2026-11-24)\n",
            team.log()
                .lines()
                .rev()
                .find_map(|l| l.strip_prefix(&format!("### Handover 15:55 UTC: {second} → ")))
                .unwrap()
        )
    );
    assert!(out.status.success());
    assert_eq!(
        answers(&tuesday),
        before,
        "as if the handover had never been run"
    );
    let added = team.log().strip_prefix(&log).unwrap().to_string();
    let record_end = added.find("\n### Taken back").unwrap();
    assert!(
        added.starts_with("\n## 2026-11-24 Tue\n\n### Handover 15:55 UTC: "),
        "{added}"
    );
    let to = &added[added.find(" → ").unwrap() + " → ".len()..added.find("\n\n- Served").unwrap()];
    assert_eq!(
        &added[record_end..],
        format!(
            "\n### Taken back 16:00 UTC: {second}\n\n- Handover: 2026-11-24 15:55 UTC {second} → {to} run by {second}\n- On call again: {second} (Tue 2026-11-24)\n"
        )
    );
    team.rota(&tuesday, &["check"]).assert().success();
    // The day can be handed over again; the new record stands, the taken-back one does not.
    run(
        &team,
        &at(date("2026-11-24"), "17:05"),
        &second,
        &["handover", "--yes"],
    );
    team.rota(&at(date("2026-11-24"), "17:10"), &["check"])
        .assert()
        .success();
    // Once the next engineer's day has begun, the handover stands.
    let next_day = who(&team, &at(date("2026-11-24"), "17:10"), None)["on_call"]["date"]
        .as_str()
        .unwrap()
        .to_string();
    let late = team
        .rota(&at(date(&next_day), "08:00"), &["handover", "--undo"])
        .env("ROTA_USER", &second)
        .output()
        .unwrap();
    assert_eq!(late.status.code(), Some(1));
    let next = who(&team, &at(date(&next_day), "08:00"), None)["on_call"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        String::from_utf8_lossy(&late.stderr),
        format!(
            "rota: error: {next}'s day ({}) has begun: the handover from {second} stands\nhint: give the day back with an override instead: rota cover {next_day} {second}\n",
            date(&next_day).format("%a %Y-%m-%d")
        )
    );
}

/// A cover made for one engineer's day, then a holiday added before it: the rotation moves,
/// the cover would now take the day from someone else. who and schedule say so; check fails
/// naming the date and what to run; covering again settles it.
#[test]
fn an_override_whose_day_moved_to_someone_else_is_stale() {
    let team = Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-23\n"));
    let now = at(date("2026-11-23"), "10:00");
    let friday = date("2026-11-27");
    let scheduled = who(&team, &now, Some(friday))["on_call"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let helper = ["alice", "bob", "carol", "dave", "erin"]
        .into_iter()
        .find(|id| {
            *id != scheduled && who(&team, &now, Some(date("2026-11-26")))["on_call"]["id"] != *id
        })
        .unwrap();
    run(&team, &now, helper, &["cover", "2026-11-27", helper]);
    assert!(team.list().ends_with(&format!(
        "[[override]]\ndate = 2026-11-27\nengineer = \"{helper}\"\nkind = \"cover\"\nreason = \"cover\"\ndisplaces = \"{scheduled}\"\n"
    )), "{}", team.list());
    team.rota(&now, &["check"]).assert().success();
    // Wednesday becomes a holiday: everyone after it moves a day.
    team.write(
        "on-call-list.toml",
        team.list().replace(
            "holidays = [2026-12-24",
            "holidays = [2026-11-25, 2026-12-24",
        ),
    );
    let answer = who(&team, &now, Some(friday));
    let now_for = answer["on_call"]["covering_for"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(now_for, scheduled);
    let schedule = json(
        &team
            .rota(&now, &["schedule", "--json", "--days", "4"])
            .output()
            .unwrap(),
    );
    let row = schedule
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["date"] == "2026-11-27")
        .unwrap();
    assert_eq!(
        row["stale"],
        serde_json::json!({"made_for": scheduled, "now_for": now_for})
    );
    assert_eq!(row["engineer"], helper);
    let check = team.rota(&now, &["check"]).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let line = team
        .list()
        .lines()
        .position(|l| l == "date = 2026-11-27")
        .unwrap()
        + 1;
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        format!(
            "{}:{line}: error: the cover on Fri 2026-11-27 was made for {scheduled}'s day, but the rotation now gives that day to {now_for}: it would take the day from them instead; run `rota cover 2026-11-27 --undo`, then make it again if it is still wanted\n",
            team.path("on-call-list.toml").display()
        )
    );
    // As the error says: take it back, and cover again.
    run(&team, &now, helper, &["cover", "2026-11-27", "--undo"]);
    run(&team, &now, helper, &["cover", "2026-11-27", helper]);
    assert!(
        team.list()
            .ends_with(&format!("displaces = \"{now_for}\"\n"))
    );
    team.rota(&now, &["check"]).assert().success();
}

/// Someone who leaves keeps their past; an override that puts them on call ahead is an
/// error that points at it.
#[test]
fn a_former_engineer_keeps_the_past_but_not_the_future() {
    let team = Team::with_list(&format!(
        "{TEAM}\n[rotation]\nstart = 2026-11-23\n\n[[override]]\ndate = 2026-11-23\nengineer = \"erin\"\nkind = \"cover\"\n\n[[override]]\ndate = 2026-11-30\nengineer = \"erin\"\nkind = \"cover\"\n"
    ));
    run(
        &team,
        &at(date("2026-11-23"), "11:00"),
        "erin",
        &["log", "erin's entry"],
    );
    run(
        &team,
        &at(date("2026-11-23"), "17:05"),
        "erin",
        &["handover", "--yes"],
    );
    // The rotation gives her Tuesday too (the cover was not her turn); then she leaves.
    run(
        &team,
        &at(date("2026-11-24"), "17:05"),
        "erin",
        &["handover", "--yes"],
    );
    let list = team.list();
    let start = list.find("[[engineer]]\nid = \"erin\"").unwrap();
    let end = start + list[start..].find("\n\n").unwrap() + 2;
    team.write(
        "on-call-list.toml",
        format!("{}{}", &list[..start], &list[end..]),
    );
    let now = at(date("2026-11-25"), "10:00");
    // Her cover ahead is named, with how to take it back, and `who` goes on.
    let warned = team.rota(&now, &["who"]).output().unwrap();
    assert_eq!(warned.status.code(), Some(0));
    let text = team.list();
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "engineer = \"erin\"")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_eq!(
        String::from_utf8_lossy(&warned.stderr),
        format!(
            "rota: warning: {}:{line}: the cover on Mon 2026-11-30 puts erin, who is not an engineer of the team, on call; rota leaves the day to the rotation\n\
             hint: take it back: rota cover 2026-11-30 --undo\n",
            team.path("on-call-list.toml").display()
        )
    );
    // The hint, run as printed, takes it back; her past answers as before.
    run(&team, &now, "alice", &["cover", "2026-11-30", "--undo"]);
    let past_only =
        text[..text.rfind("\n[[override]]\ndate = 2026-11-30").unwrap() + 1].to_string();
    assert_eq!(team.list(), format!("{}\n", past_only.trim_end()));
    let answer = who(&team, &now, Some(date("2026-11-23")));
    assert_eq!(answer["on_call"]["id"], "erin");
    assert_eq!(answer["on_call"]["former"], true);
    assert_eq!(answer["entries"], 1);
    let listed = team
        .rota(&now, &["log", "--list", "--by", "erin"])
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "2026-11-23 10:00 UTC erin: erin's entry\n"
    );
    let check = team.rota(&now, &["check"]).output().unwrap();
    assert!(check.status.success());
    let first = text
        .lines()
        .position(|l| l == "engineer = \"erin\"")
        .unwrap()
        + 1;
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        format!(
            "{list}:7: note: erin is no longer in the team: left the rotation\n\
             {list}:{first}: note: the override on Mon 2026-11-23 names erin, who has left the team: kept as history\n",
            list = team.path("on-call-list.toml").display()
        )
    );
}

/// After today's handover the next engineer holds the pager: `who` says so, and the round
/// marks them on call; before their turn on a day off, the round marks them next.
#[test]
fn after_the_handover_who_and_the_round_name_the_next_engineer_on_call() {
    let team = Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-23\n"));
    run(
        &team,
        &at(date("2026-11-23"), "17:05"),
        "carol",
        &["handover", "--yes"],
    );
    team.rota(&at(date("2026-11-23"), "17:10"), &["who"])
        .assert()
        .success()
        .stdout(
            "On call: Erin Walsh (erin) · Tue 2026-11-24\n  email  erin@example.org\n  local  Mon 17:10 CET (Europe/Prague)\n\n\
             Next: Dave Okafor (dave) · Wed 2026-11-25\n\n\
             Round 1\n  [x] carol\n  [>] erin  ← on call\n  [ ] dave\n  [ ] alice\n  [ ] bob\n",
        );
}

/// A turn not handed over holds every day up to today: asked about any of those days, `who`
/// names as next whoever today's handover passes the pager to, and so does the schedule.
#[test]
fn an_overdue_turn_is_followed_by_whoever_its_handover_passes_to() {
    let team = Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-23\n"));
    // Carol's Monday, never handed over; Thursday morning.
    let now = at(date("2026-11-26"), "10:00");
    let today = who(&team, &now, None);
    assert_eq!(today["on_call"]["id"], "carol");
    assert_eq!(today["status"], "overdue");
    let next = today["next"].clone();
    assert_eq!(next["date"], "2026-11-26");
    for day in ["2026-11-23", "2026-11-24", "2026-11-25"] {
        let answer = who(&team, &now, Some(date(day)));
        assert_eq!(
            (&answer["on_call"]["id"], &answer["status"], &answer["next"]),
            (
                &serde_json::json!("carol"),
                &serde_json::json!("overdue"),
                &next
            ),
            "{day}"
        );
    }
    let rows = json(
        &team
            .rota(&now, &["schedule", "--json", "--days", "1"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        rows[0]["detail"],
        format!(
            "handover overdue; {} takes over at the handover",
            next["id"].as_str().unwrap()
        )
    );
}
