//! A command reads the team's files once: one snapshot, and one transaction per write.

use std::path::Path;

use crate::common::{self, Team, rota_process};

/// The days of a week of handovers, each at the end of its working day.
const EVENINGS: [&str; 5] = [
    "2026-11-23T17:00:00+01:00",
    "2026-11-24T17:00:00+01:00",
    "2026-11-25T17:00:00+01:00",
    "2026-11-26T17:00:00+01:00",
    "2026-11-27T17:00:00+01:00",
];

/// The paths of the team's files that `rota ARGS` opened, once per open, as strace saw them.
fn files_opened(strace: &Path, team: &Team, now: &str, args: &[&str]) -> Vec<String> {
    let trace = team.path("trace.txt");
    let command = rota_process(team.dir.path(), now);
    let program = command.get_program().to_owned();
    let status = std::process::Command::new(strace)
        .args(["-f", "-qq", "-e", "trace=open,openat,openat2", "-o"])
        .arg(&trace)
        .arg(program)
        .args(args)
        .envs(command.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .env_remove("ROTA_DIR")
        .current_dir(team.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("strace runs (.ci/run installs it)");
    assert!(status.success(), "rota {args:?} under strace failed");
    let mut opened: Vec<String> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("ENOENT"))
        .filter_map(|l| {
            ["on-call-list.toml", "on-call-log.md"]
                .into_iter()
                .find(|name| l.contains(&format!("/{name}\"")))
        })
        .map(str::to_string)
        .collect();
    opened.sort();
    opened
}

fn week_of_handovers() -> Team {
    let team = Team::new();
    for evening in EVENINGS {
        let (id, _) = team.on_call(evening);
        team.rota(evening, &["handover", "--yes", "--engineer", &id])
            .assert()
            .success();
        team.rota(evening, &["log", "--engineer", &id, "a day's work"])
            .assert()
            .success();
    }
    team
}

#[test]
fn who_and_everyday_commands_open_each_file_once() {
    let Some(strace) = common::tool("strace") else {
        return;
    };
    let team = week_of_handovers();
    let monday = "2026-11-30T10:00:00+01:00";
    for args in [
        &["who"][..],
        &["who", "--json"],
        &["next", "alice"],
        &["schedule"],
        &["team"],
    ] {
        assert_eq!(
            files_opened(&strace, &team, monday, args),
            ["on-call-list.toml", "on-call-log.md"],
            "rota {args:?}"
        );
    }
}

#[test]
fn a_write_reads_the_list_again_under_its_lock_and_opens_the_log_once() {
    let Some(strace) = common::tool("strace") else {
        return;
    };
    let team = week_of_handovers();
    let monday = "2026-11-30T10:00:00+01:00";
    // The list is read to find the team and its log, then again under the lock, where the
    // decision is made on what the files hold now; the log is opened once, for appending.
    for args in [
        &["log", "--engineer", "alice", "fixed quota drift"][..],
        &["away", "bob", "2026-12-03"],
    ] {
        assert_eq!(
            files_opened(&strace, &team, monday, args),
            ["on-call-list.toml", "on-call-list.toml", "on-call-log.md"],
            "rota {args:?}"
        );
    }
}
