//! The interactive handover, driven through a pseudo-terminal as a person would.
#![cfg(unix)]

mod common;

use std::process::Command;

use common::Team;
use rexpect::session::spawn_command;

fn handover(team: &Team, now: &str) -> rexpect::session::PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rota"));
    command
        .current_dir(team.dir.path())
        .arg("handover")
        .env("ROTA_NOW", now)
        .env("ROTA_SEED", "4157262103")
        .env("NO_COLOR", "1")
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

fn started_team() -> Team {
    let team = Team::new();
    team.rota("2026-11-23T09:00:00+01:00", &["log", "fixed quota drift"])
        .assert()
        .success();
    team
}

#[test]
fn a_person_walks_the_checklist_and_hands_over() {
    let team = started_team();
    let (from, _) = team.on_call();
    let mut p = handover(&team, "2026-11-23T17:05:00+01:00");
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

    let (to, day) = team.on_call();
    assert_eq!(day, "2026-11-24");
    let log = team.log();
    let record = format!(
        "### Handover 16:05 UTC: {from} → {to}\n\n\
         - Served: Mon 2026-11-23 ({from})\n\
         - Next: Tue 2026-11-24 ({to})\n\n\
         - [x] Answered every open question in #support\n\
         - [ ] Checked the consoles: grafana was down\n\
         - [x] Updated the runbooks\n\n\
         Note for {to}: watch the ceph rebalance\n\n\
         Round 1: ~~{from}~~, **{to}**,"
    );
    assert!(log.contains(&record), "{log}");
}

#[test]
fn no_at_the_end_writes_nothing() {
    let team = started_team();
    let before = (team.list(), team.log());
    let mut p = handover(&team, "2026-11-23T17:05:00+01:00");
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
    let team = started_team();
    let before = (team.list(), team.log());
    let mut p = handover(&team, "2026-11-23T17:05:00+01:00");
    confirm(&mut p, "Answered", "y");
    p.exp_string("Checked the consoles").unwrap();
    p.exp_string("[Y/n] \u{1b}[?25l").unwrap();
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    assert_eq!((team.list(), team.log()), before);
}
