//! Team days are team-local dates; contacts' local times follow their own zones across DST.

use crate::common;

use common::{Team, json};

/// A team in `team_zone` with one engineer per zone, ids e0, e1, ...
fn team(team_zone: &str, zones: &[&str]) -> Team {
    let mut list = format!("[team]\nname = \"Follow the sun\"\ntimezone = \"{team_zone}\"\n");
    for (i, zone) in zones.iter().enumerate() {
        list += &format!("\n[[engineer]]\nid = \"e{i}\"\nname = \"E{i}\"\ntimezone = \"{zone}\"\n");
    }
    Team::with_list(&list)
}

/// The local time of the engineer on call, as `who --json` reports it.
fn local_time(team: &Team, now: &str) -> String {
    let answer = json(&team.rota(now, &["who", "--json"]).output().unwrap());
    answer["on_call"]["local_time"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn local_times_follow_each_side_of_the_dst_changes() {
    let cases = [
        // Europe: last Sunday of March and of October.
        (
            "Europe/Prague",
            "2026-03-27T12:00:00Z",
            "2026-03-27T13:00:00+01:00",
        ),
        (
            "Europe/Prague",
            "2026-03-30T12:00:00Z",
            "2026-03-30T14:00:00+02:00",
        ),
        (
            "Europe/Prague",
            "2026-10-23T12:00:00Z",
            "2026-10-23T14:00:00+02:00",
        ),
        (
            "Europe/Prague",
            "2026-10-26T12:00:00Z",
            "2026-10-26T13:00:00+01:00",
        ),
        // America: second Sunday of March, first Sunday of November.
        (
            "America/New_York",
            "2026-03-06T15:00:00Z",
            "2026-03-06T10:00:00-05:00",
        ),
        (
            "America/New_York",
            "2026-03-09T15:00:00Z",
            "2026-03-09T11:00:00-04:00",
        ),
        (
            "America/New_York",
            "2026-10-30T15:00:00Z",
            "2026-10-30T11:00:00-04:00",
        ),
        (
            "America/New_York",
            "2026-11-02T15:00:00Z",
            "2026-11-02T10:00:00-05:00",
        ),
    ];
    for (zone, now, expected) in cases {
        let team = team("UTC", &[zone]);
        assert_eq!(local_time(&team, now), expected, "{zone} at {now}");
    }
}

#[test]
fn a_team_from_utc_minus_8_to_utc_plus_12_shows_everyone_right() {
    let zones = [
        "America/Los_Angeles",
        "America/New_York",
        "Europe/London",
        "Asia/Kolkata",
        "Pacific/Auckland",
    ];
    let team = team("Europe/London", &zones);
    let expected = [
        ("America/Los_Angeles", "Wed 05:00 PDT"),
        ("America/New_York", "Wed 08:00 EDT"),
        ("Europe/London", "Wed 13:00 BST"),
        ("Asia/Kolkata", "Wed 17:30 IST"),
        ("Pacific/Auckland", "Thu 00:00 NZST"),
    ];
    // Walk the round: each engineer is on call once; check the time shown for each.
    let mut seen = 0;
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
    while seen < zones.len() {
        let noon = format!("{day}T12:00:00Z");
        let answer = json(&team.rota(&noon, &["who", "--json"]).output().unwrap());
        if let Some(zone) = answer["on_call"]["timezone"].as_str() {
            let text = team.rota(&noon, &["who"]).output().unwrap();
            let text = String::from_utf8(text.stdout).unwrap();
            let wanted = expected.iter().find(|(z, _)| *z == zone).unwrap().1;
            let wanted = wanted.replacen("Wed", &day.format("%a").to_string(), 1);
            let wanted = if zone == "Pacific/Auckland" {
                wanted.replacen("Thu", &day.succ_opt().unwrap().format("%a").to_string(), 1)
            } else {
                wanted
            };
            assert!(
                text.contains(&format!("local  {wanted} ({zone})")),
                "{day}: {text}"
            );
            team.rota(&format!("{day}T17:00:00Z"), &["handover", "--yes"])
                .assert()
                .success();
            seen += 1;
        }
        day = day.succ_opt().unwrap();
    }
}

#[test]
fn the_team_day_is_the_team_zone_date() {
    // 23:30 UTC on Sunday is already Monday in Auckland: Monday's engineer is on call.
    let team = team(
        "Pacific/Auckland",
        &["Pacific/Auckland", "Pacific/Auckland"],
    );
    let answer = json(
        &team
            .rota("2026-11-22T23:30:00Z", &["who", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(answer["date"], "2026-11-23");
    assert_eq!(answer["working_day"], true);
    // And 10:00 UTC on Friday is already Friday night there: handing over moves to Monday.
    let answer = json(
        &team
            .rota("2026-11-27T10:00:00Z", &["who", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(answer["date"], "2026-11-27");
    let los_angeles = team_in_los_angeles();
    let answer = json(
        &los_angeles
            .rota("2026-11-23T06:00:00Z", &["who", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        answer["date"], "2026-11-22",
        "still Sunday evening in Los Angeles"
    );
    assert_eq!(answer["working_day"], false);
}

fn team_in_los_angeles() -> Team {
    team(
        "America/Los_Angeles",
        &["America/Los_Angeles", "America/Los_Angeles"],
    )
}

#[test]
fn a_month_of_handovers_across_the_european_dst_change() {
    let team = team(
        "Europe/Prague",
        &["Europe/Prague", "Europe/Prague", "Europe/Prague"],
    );
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 3, 16).unwrap();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap();
    let mut covered = Vec::new();
    while day <= end {
        // 17:05 local: 16:05 UTC before the change, 15:05 UTC after it.
        let offset = if day >= chrono::NaiveDate::from_ymd_opt(2026, 3, 29).unwrap() {
            "+02:00"
        } else {
            "+01:00"
        };
        let now = format!("{day}T17:05:00{offset}");
        let answer = json(&team.rota(&now, &["who", "--json"]).output().unwrap());
        if answer["working_day"] == true {
            assert_eq!(
                answer["handover_due"], true,
                "{day}: after 17:00 local, the handover is due"
            );
            team.rota(&now, &["handover", "--yes"]).assert().success();
            covered.push(day);
        }
        day = day.succ_opt().unwrap();
    }
    assert_eq!(covered.len(), 20, "every working day had one handover");
    // Each day's section holds one handover, at 17:05 local: 16:05 UTC in winter time, 15:05
    // UTC in summer time, and it served that day (none was late, none was skipped).
    let mut section = String::new();
    let mut records = Vec::new();
    let mut served = Vec::new();
    for line in team.log().lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading[..10].to_string();
        } else if let Some(heading) = line.strip_prefix("### Handover ") {
            records.push((section.clone(), heading[..9].to_string()));
        } else if let Some(days) = line.strip_prefix("- Served: ") {
            served.push(days.to_string());
        }
    }
    let summer = chrono::NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
    assert_eq!(
        records,
        covered
            .iter()
            .map(|d| (
                d.to_string(),
                if *d < summer {
                    "16:05 UTC"
                } else {
                    "15:05 UTC"
                }
                .to_string()
            ))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        served.iter().map(|s| &s[4..14]).collect::<Vec<_>>(),
        covered.iter().map(|d| d.to_string()).collect::<Vec<_>>()
    );
}
