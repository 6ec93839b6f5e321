//! A team across two countries: each region's public holidays imported from its calendar,
//! two months walked day by day with real handovers. Nobody serves on their own region's
//! holiday, whoever's turn falls on one keeps it, the schedule seen at the start is what the
//! handovers did, and `schedule`, `who --date`, the calendars (`schedule --ics`, `publish`)
//! and `stats` give every day the same answer.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use common::{Team, json};
use serde_json::Value;

const LIST: &str = r#"# Cloud SRE: Prague and London. Comments stay where they are.
[team]
name = "Cloud SRE"
timezone = "Europe/Prague"
holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]   # the whole team's

[[engineer]]
id = "alice"
name = "Alice Novak"
region = "cz"

[[engineer]]
id = "bob"
name = "Bob Dvořák"
region = "cz"

[[engineer]]
id = "carol"
name = "Carol Jones"
region = "uk"
timezone = "Europe/London"

[[engineer]]
id = "dave"
name = "Dave Okafor"
region = "uk"
timezone = "Europe/London"

[[engineer]]
id = "erin"
name = "Erin Walsh"

[rotation]
seed = 4157262103
start = 2026-11-02

# Each region's own holidays, imported from its public-holiday calendar.
[regions.cz]
[regions.uk]
"#;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(day: NaiveDate, time: &str) -> String {
    format!("{day}T{time}:00+01:00")
}

fn rota_json(team: &Team, now: &str, args: &[&str]) -> Value {
    let output = team.rota(now, args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?} at {now}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&output)
}

fn region_of(id: &str) -> Option<&'static str> {
    match id {
        "alice" | "bob" => Some("cz"),
        "carol" | "dave" => Some("uk"),
        _ => None,
    }
}

/// The events of an iCalendar feed, read with a real parser: each event's first day and
/// summary.
fn feed_days(ics: &str) -> BTreeMap<NaiveDate, String> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let get = |name: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (
                NaiveDate::parse_from_str(&get("DTSTART"), "%Y%m%d").unwrap(),
                get("SUMMARY"),
            )
        })
        .collect()
}

#[test]
fn a_two_country_team_walks_two_months_of_both_regions_holidays() {
    let team = Team::with_list(LIST);
    for name in ["thunderbird-holidays-cz.ics", "google-holidays-uk.ics"] {
        let path = format!(
            "{}/tests/fixtures/calendars/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        team.write(name, std::fs::read(path).unwrap());
    }
    let start = at(date("2026-11-02"), "09:00");
    for (file, region) in [
        ("thunderbird-holidays-cz.ics", "cz"),
        ("google-holidays-uk.ics", "uk"),
    ] {
        team.rota(&start, &["holidays", "import", file, "--region", region])
            .assert()
            .success();
    }
    assert_eq!(
        team.list(),
        LIST.replace(
            "[regions.cz]\n",
            "[regions.cz]\nholidays = [\n  \
             2026-11-17,  # Den boje za svobodu a demokracii\n  \
             2026-12-28,  # Vánoční volno (firma)\n  \
             2026-12-29,  # Vánoční volno (firma)\n  \
             2027-03-29,  # Velikonoční pondělí\n]\n"
        )
        .replace(
            "[regions.uk]\n",
            "[regions.uk]\nholidays = [\n  \
             2026-11-30,  # St Andrew's Day (Scotland)\n  \
             2026-12-28,  # Boxing Day (substitute day)\n]\n"
        ),
        "the holidays go into the list, comments and layout kept"
    );
    let holidays: BTreeMap<&str, BTreeSet<NaiveDate>> = BTreeMap::from([
        (
            "cz",
            ["2026-11-17", "2026-12-28", "2026-12-29"].map(date).into(),
        ),
        ("uk", ["2026-11-30", "2026-12-28"].map(date).into()),
    ]);

    // What the schedule says at the start, for the two months ahead.
    let (first, last) = (date("2026-11-02"), date("2026-12-31"));
    let planned: Vec<Value> = rota_json(
        &team,
        &start,
        &[
            "schedule",
            "--json",
            "--from",
            "2026-11-02",
            "--until",
            "2026-12-31",
        ],
    )
    .as_array()
    .unwrap()
    .clone();
    let backs: Vec<String> = planned
        .iter()
        .filter(|row| row["reason"] == "back from absence")
        .map(|row| format!("{} {} {}", row["date"], row["engineer"], row["detail"]))
        .collect();
    assert!(
        backs
            .iter()
            .any(|b| b.contains("\"first day back after a holiday in ")),
        "someone whose turn fell on their holiday serves when back: {backs:?}"
    );

    // The walk: who holds the pager each morning, a handover each evening.
    let mut served: BTreeMap<NaiveDate, String> = BTreeMap::new();
    let mut day = first;
    while day <= last {
        let morning = rota_json(&team, &at(day, "10:00"), &["who", "--json"]);
        if let Some(id) = morning["on_call"]["id"].as_str() {
            if let Some(region) = region_of(id) {
                assert!(
                    !holidays[region].contains(&day),
                    "{id} on call {day}, a holiday in {region}"
                );
            }
            served.insert(day, id.to_string());
            team.rota(&at(day, "17:05"), &["handover", "--yes"])
                .env("ROTA_USER", id)
                .assert()
                .success();
        } else {
            assert!(
                matches!(morning["status"].as_str(), Some("weekend" | "holiday")),
                "{day}: {morning}"
            );
        }
        day += Duration::days(1);
    }
    // Both regions off: the one engineer of neither serves.
    assert_eq!(served[&date("2026-12-28")], "erin");
    // The schedule seen at the start is what the handovers did.
    let seen: BTreeMap<NaiveDate, String> = planned
        .iter()
        .filter_map(|row| {
            Some((
                date(row["date"].as_str()?),
                row["engineer"].as_str()?.to_string(),
            ))
        })
        .collect();
    assert_eq!(seen, served);

    // Asked afterwards, every day from the first to four weeks ahead: one answer everywhere.
    let now = at(date("2026-12-31"), "12:00");
    let (until, today) = (date("2027-01-29"), date("2026-12-31"));
    let rows = rota_json(
        &team,
        &now,
        &[
            "schedule",
            "--json",
            "--from",
            "2026-11-02",
            "--until",
            "2027-01-29",
        ],
    );
    let rows: Vec<Value> = rows.as_array().unwrap().clone();
    // Turns kept: nobody serves twice in a round, and whoever a whole round leaves out was on
    // their region's holiday when it ended: they serve in the next round instead, on their
    // first day back (the rounds as the schedule planned them, which is what happened).
    let mut rounds: BTreeMap<u64, Vec<(NaiveDate, String)>> = BTreeMap::new();
    for row in &planned {
        if let (Some(round), Some(id)) = (row["round"].as_u64(), row["engineer"].as_str()) {
            let day = date(row["date"].as_str().unwrap());
            rounds.entry(round).or_default().push((day, id.to_string()));
        }
    }
    let everyone = ["alice", "bob", "carol", "dave", "erin"];
    let mut left_out = Vec::new();
    for (round, turns) in &rounds {
        let ids: BTreeSet<&str> = turns.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids.len(), turns.len(), "round {round}: {turns:?}");
        let Some(next) = rounds.get(&(round + 1)) else {
            continue;
        };
        let (next_start, _) = next[0];
        for id in everyone.iter().filter(|id| !ids.contains(**id)) {
            let region = region_of(id).expect("only a region's engineer is ever away here");
            assert!(
                holidays[region].contains(&next_start),
                "round {round} left out {id}: {turns:?}"
            );
            let back = next
                .iter()
                .find(|(_, who)| who == id)
                .expect("served in the next round");
            left_out.push(format!("{id} round {round}, back {}", back.0));
        }
    }
    assert_eq!(left_out, ["alice round 8, back 2026-12-30"]);
    let by_date: BTreeMap<NaiveDate, Option<String>> = rows
        .iter()
        .map(|r| {
            (
                date(r["date"].as_str().unwrap()),
                r["engineer"].as_str().map(String::from),
            )
        })
        .collect();
    let team_feed = {
        let output = team
            .rota(
                &now,
                &[
                    "schedule",
                    "--ics",
                    "--from",
                    "2026-11-02",
                    "--until",
                    "2027-01-29",
                ],
            )
            .output()
            .unwrap();
        feed_days(&String::from_utf8(output.stdout).unwrap())
    };
    let out = team.path("site");
    team.rota(&now, &["publish", out.to_str().unwrap()])
        .assert()
        .success();
    let published = |name: &str| feed_days(&std::fs::read_to_string(out.join(name)).unwrap());
    let published_team = published("team.ics");
    let personal: BTreeMap<&str, BTreeMap<NaiveDate, String>> =
        ["alice", "bob", "carol", "dave", "erin"]
            .into_iter()
            .map(|id| (id, published(&format!("{id}.ics"))))
            .collect();
    let name_of = |id: &str| match id {
        "alice" => "Alice Novak",
        "bob" => "Bob Dvořák",
        "carol" => "Carol Jones",
        "dave" => "Dave Okafor",
        _ => "Erin Walsh",
    };
    let mut ahead: BTreeMap<String, u64> = BTreeMap::new();
    let mut day = first;
    while day <= until {
        let answer = rota_json(&team, &now, &["who", "--json", "--date", &day.to_string()]);
        let id = answer["on_call"]["id"].as_str().map(String::from);
        if day < today {
            assert_eq!(
                id,
                served.get(&day).cloned(),
                "{day}: the past is what happened"
            );
        } else if let Some(id) = &id {
            *ahead.entry(id.clone()).or_default() += 1;
        }
        if let Some(id) = &id
            && let Some(region) = region_of(id)
        {
            assert!(
                !holidays[region].contains(&day),
                "{day}: {id} on a holiday in {region}"
            );
        }
        assert_eq!(
            by_date.get(&day).cloned().flatten(),
            id,
            "{day}: schedule and who"
        );
        let summary = id.as_deref().map(|id| format!("On call: {}", name_of(id)));
        assert_eq!(
            team_feed.get(&day).cloned(),
            summary,
            "{day}: the calendar and who"
        );
        // The published calendars hold the last 30 days and 20 working days ahead.
        if day >= today - Duration::days(30) && day <= until {
            assert_eq!(
                published_team.get(&day).cloned(),
                summary,
                "{day}: team.ics and who"
            );
            for (engineer, feed) in &personal {
                assert_eq!(
                    feed.get(&day).cloned(),
                    summary.clone().filter(|_| id.as_deref() == Some(*engineer)),
                    "{day}: {engineer}.ics and who"
                );
            }
        }
        day += Duration::days(1);
    }
    let stats = rota_json(
        &team,
        &now,
        &[
            "stats",
            "--json",
            "--from",
            "2026-11-02",
            "--until",
            "2027-01-29",
        ],
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
    }
    team.rota(&now, &["check"]).assert().success();
}
