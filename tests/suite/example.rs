//! `rota init --example`: a newcomer's first team is alive on any date.

use crate::common::rota_in;

/// Moments a newcomer might try rota at: a working morning, a Saturday, a holiday of the
/// example team, the evening after a handover, a day years ahead.
const MOMENTS: [&str; 5] = [
    "2026-12-07T09:00:00+01:00",
    "2026-12-12T11:00:00+01:00",
    "2026-12-24T11:00:00+01:00",
    "2027-03-15T18:00:00+01:00",
    "2031-06-02T10:00:00+02:00",
];

#[test]
fn the_example_team_is_current_whatever_the_date() {
    for now in MOMENTS {
        let dir = tempfile::tempdir().unwrap();
        let team = dir.path().join("demo");
        let created = rota_in(dir.path(), now, &["init", "--example", "--dir", "demo"])
            .output()
            .unwrap();
        assert!(created.status.success(), "init --example at {now}");
        assert_eq!(String::from_utf8_lossy(&created.stdout), "");
        let who = rota_in(&team, now, &["who"]).output().unwrap();
        assert!(who.status.success(), "who at {now}");
        assert_eq!(String::from_utf8_lossy(&who.stderr), "", "who at {now}");
        rota_in(&team, now, &["check", "--strict"])
            .assert()
            .success()
            .stdout("")
            .stderr("rota: check passed: 0 errors, 0 warnings\n");
    }
}

#[test]
fn the_example_team_starts_three_weeks_back_with_a_handover_each_working_day() {
    let dir = tempfile::tempdir().unwrap();
    let now = "2026-12-07T09:00:00+01:00";
    rota_in(dir.path(), now, &["init", "--example", "--dir", "demo"])
        .assert()
        .success()
        .stderr(
            "rota: created the example team Cloud SRE in demo: 15 handovers since round 1 began Mon 2026-11-16\n",
        );
    let team = dir.path().join("demo");
    let list = std::fs::read_to_string(team.join("on-call-list.toml")).unwrap();
    // The example's list, under the line that names its schema for editors.
    assert_eq!(
        list,
        format!(
            "#:schema https://raw.githubusercontent.com/rota-cli/rota/v{}/schema/on-call-list.schema.json\n{}",
            env!("CARGO_PKG_VERSION"),
            include_str!("../../examples/cloud-sre/on-call-list.toml")
        )
    );
    let log = std::fs::read_to_string(team.join("on-call-log.md")).unwrap();
    assert_eq!(log.matches("\n### Handover ").count(), 15);
    assert!(log.ends_with("\n\nRound 4 (new shuffle): **carol**, erin, bob, alice, dave\n"));
    // A second init there refuses, and writes nothing.
    rota_in(dir.path(), now, &["init", "--example", "--dir", "demo"])
        .assert()
        .failure();
    assert_eq!(
        std::fs::read_to_string(team.join("on-call-log.md")).unwrap(),
        log
    );
}
