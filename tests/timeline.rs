//! One timeline: months of real use replayed, then every past and future day asked of `who`,
//! `schedule`, `stats` and the calendar, which must all say the same, and the past must say
//! what happened. Then the calendar across an edit, stale overrides, former engineers, and
//! taking back a handover.

mod common;

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
    let ics = team
        .rota(
            &now,
            &[
                "schedule",
                "--ics",
                "--from",
                "2026-11-02",
                "--until",
                "2027-02-26",
            ],
        )
        .output()
        .unwrap();
    let ics = String::from_utf8(ics.stdout).unwrap();
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let events: BTreeMap<NaiveDate, String> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|event| {
            let property = |name: &str| {
                event
                    .properties
                    .iter()
                    .find(|p| p.name == name)
                    .unwrap()
                    .val
                    .to_string()
            };
            let day = NaiveDate::parse_from_str(&property("DTSTART"), "%Y%m%d").unwrap();
            (day, property("SUMMARY"))
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
