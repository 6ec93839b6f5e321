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

/// Answers the yes/no prompt that starts with `prompt` with a line (`y`, `n`, or empty for
/// the default).
fn confirm(p: &mut rexpect::session::PtySession, prompt: &str, key: &str) {
    p.exp_string(prompt).unwrap();
    p.exp_string("[Y/n] ").unwrap();
    p.send_line(key).unwrap();
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
    p.exp_string("empty line ends): ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("(optional)").unwrap();
    p.send_line("watch the ceph rebalance").unwrap();
    confirm(&mut p, "Hand over to", "y");
    p.exp_string("Not done:").unwrap();
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
         * [x] Answered every open question in #support\n\
         * [ ] Checked the consoles: grafana was down\n\
         * [x] Updated the runbooks\n\n\
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
    p.exp_string("empty line ends): ").unwrap();
    p.send_line("").unwrap();
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
    p.exp_string("[Y/n] ").unwrap();
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    assert_eq!((team.list(), team.log()), before);
}

/// Answers typed ahead wait for their own questions: "y\ny\n" sent at once answers the first
/// two checklist items, one each (a reader of single keys would take the first line break as
/// the second item's default and the second `y` as the third's answer).
#[test]
fn answers_typed_ahead_answer_one_item_each() {
    let (team, from) = started_team();
    let mut p = handover(&team, "2026-11-23T17:05:00+01:00", &from);
    p.exp_string("Answered every open question in #support [Y/n] ")
        .unwrap();
    p.send("y\ny\n").unwrap();
    p.flush().unwrap();
    p.exp_string("Updated the runbooks [Y/n] ").unwrap();
    p.send_line("n").unwrap();
    p.exp_string("What is open? (a note for the next engineer): ")
        .unwrap();
    p.send_line("the db runbook").unwrap();
    p.exp_string("(one per line, empty line ends): ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("(optional): ").unwrap();
    p.send_line("").unwrap();
    confirm(&mut p, "Hand over to", "");
    p.exp_eof().unwrap();
    let log = team.log();
    let checklist = "\n\n* [x] Answered every open question in #support\n\
                     * [x] Checked the consoles\n\
                     * [ ] Updated the runbooks: the db runbook\n\nRound ";
    assert_eq!(log.matches(checklist).count(), 1, "{log}");
}

/// The next handover asks about each item carried to it (Enter keeps it open), then for new
/// ones, one per line until an empty line, and records each answer.
#[test]
fn carried_items_are_asked_about_and_new_ones_read_line_by_line() {
    let (team, from) = started_team();
    team.rota(
        "2026-11-23T17:05:00+01:00",
        &[
            "handover",
            "--yes",
            "--open",
            "renew the TLS cert",
            "--open",
            "rotate the key",
        ],
    )
    .env("ROTA_USER", &from)
    .assert()
    .success();
    let (to, _) = team.on_call("2026-11-24T17:05:00+01:00");
    let mut p = handover(&team, "2026-11-24T17:05:00+01:00", &to);
    for item in ["Answered", "Checked", "Updated"] {
        confirm(&mut p, item, "");
    }
    p.exp_string(&format!(
        "Open item from {from}: renew the TLS cert. Done? [y/N] "
    ))
    .unwrap();
    p.send_line("y").unwrap();
    p.exp_string(&format!(
        "Open item from {from}: rotate the key. Done? [y/N] "
    ))
    .unwrap();
    p.send_line("").unwrap();
    p.exp_string("(one per line, empty line ends): ").unwrap();
    p.send_line("the backups of db2").unwrap();
    p.exp_string("(one per line, empty line ends): ").unwrap();
    p.send_line("").unwrap();
    p.exp_string("(optional): ").unwrap();
    p.send_line("").unwrap();
    confirm(&mut p, "Hand over to", "y");
    p.exp_string("Open items:\r\n- rotate the key\r\n- the backups of db2\r\n")
        .unwrap();
    p.exp_eof().unwrap();
    let items = format!(
        "\n\n+ [x] 16:05 UTC {to}: done: renew the TLS cert\n\
         + [ ] 16:05 UTC {to}: open: rotate the key\n\
         + [ ] 16:05 UTC {to}: open: the backups of db2\n\nRound "
    );
    let log = team.log();
    assert_eq!(log.matches(&items).count(), 1, "{log}");
}
