//! The interactive handover, driven through a pseudo-terminal as a person would.
#![cfg(unix)]

use crate::common;

use common::Team;
use rexpect::session::spawn_command;

/// `rota handover` in a terminal at `now`, run by `user` (ROTA_USER).
fn handover(team: &Team, now: &str, user: &str) -> rexpect::session::PtySession {
    let mut command = common::rota_process(team.dir.path(), now);
    command
        .arg("handover")
        .env("ROTA_USER", user)
        .env("TERM", "xterm");
    spawn_command(command, Some(10_000)).unwrap()
}

/// Answers the yes/no prompt that starts with `prompt`. The key is sent only once the prompt
/// reads single keys (it hides the cursor then); a key sent earlier would wait for a newline.
fn confirm(p: &mut rexpect::session::PtySession, prompt: &str, key: &str) {
    p.exp_string(prompt).unwrap();
    p.exp_string("[Y/n] \u{1b}[?25l").unwrap();
    p.send(key).unwrap();
    p.flush().unwrap();
}

/// A team whose engineer on call logged an entry on Monday morning, and that engineer.
fn started_team() -> (Team, String) {
    let team = Team::new();
    let (on_call, day) = team.on_call("2026-11-23T09:00:00+01:00");
    assert_eq!(day, "2026-11-23");
    team.rota("2026-11-23T09:00:00+01:00", &["log", "fixed quota drift"])
        .env("ROTA_USER", &on_call)
        .assert()
        .success();
    (team, on_call)
}

#[test]
fn a_person_walks_the_checklist_and_hands_over() {
    let (team, from) = started_team();
    let mut p = handover(&team, "2026-11-23T17:05:00+01:00", &from);
    p.exp_string("Today's log:").unwrap();
    p.exp_string("fixed quota drift").unwrap();
    confirm(&mut p, "Answered every open question in #support", "y");
    confirm(&mut p, "Checked the consoles", "n");
    p.exp_string("What is open?").unwrap();
    p.send_line("grafana was down").unwrap();
    confirm(&mut p, "Updated the runbooks", "y");
    p.exp_string("(optional)").unwrap();
    p.send_line("watch the ceph rebalance").unwrap();
    confirm(&mut p, "Hand over to", "y");
    p.exp_string("Open items:").unwrap();
    p.exp_eof().unwrap();

    let (to, day) = team.on_call("2026-11-23T17:05:00+01:00");
    assert_eq!(day, "2026-11-24");
    // The record follows the day's entry in the day's section; the round line ends the log.
    let log = team.log();
    let record = format!(
        "\n## 2026-11-23 Mon\n\n\
         - 08:00 UTC {from}: fixed quota drift\n\n\
         ### Handover 16:05 UTC: {from} → {to}\n\n\
         - Served: Mon 2026-11-23 ({from})\n\
         - Next: Tue 2026-11-24 ({to})\n\n\
         - [x] Answered every open question in #support\n\
         - [ ] Checked the consoles: grafana was down\n\
         - [x] Updated the runbooks\n\n\
         Note for {to}: watch the ceph rebalance\n\n\
         Round 1: ~~{from}~~, **{to}**, "
    );
    assert!(log.contains(&record), "{log}");
    assert_eq!(log.matches("\n## ").count(), 1, "{log}");
    assert_eq!(
        log.lines().last().unwrap().matches(", ").count(),
        4,
        "{log}"
    );
    assert_eq!(
        team.list(),
        common::TEAM,
        "a handover never writes the list"
    );
}

#[test]
fn no_at_the_end_writes_nothing() {
    let (team, from) = started_team();
    let before = (team.list(), team.log());
    let mut p = handover(&team, "2026-11-23T17:05:00+01:00", &from);
    for item in ["Answered", "Checked", "Updated"] {
        confirm(&mut p, item, "y");
    }
    p.exp_string("(optional)").unwrap();
    p.send_line("").unwrap();
    confirm(&mut p, "Hand over to", "n");
    p.exp_string("nothing was written").unwrap();
    p.exp_eof().unwrap();
    assert_eq!((team.list(), team.log()), before);
}

#[test]
fn ctrl_c_writes_nothing() {
    let (team, from) = started_team();
    let before = (team.list(), team.log());
    let mut p = handover(&team, "2026-11-23T17:05:00+01:00", &from);
    confirm(&mut p, "Answered", "y");
    p.exp_string("Checked the consoles").unwrap();
    p.exp_string("[Y/n] \u{1b}[?25l").unwrap();
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    assert_eq!((team.list(), team.log()), before);
}
