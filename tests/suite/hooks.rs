//! Hooks: a command of the clone's own (git config or environment, never the tracked files),
//! run after a handover with the event as JSON on stdin; its failure is reported and the
//! handover stands.

use crate::common::{self, Team, git};

const EVENING: &str = "2026-11-23T17:05:00+01:00";

/// `rota handover --yes` by carol (Monday's engineer of the suite's team) at `EVENING`, with
/// `env` set: its exit code, stdout and stderr.
fn hand_over(team: &Team, env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let mut command = team.rota(EVENING, &[&["handover", "--yes"][..], args].concat());
    command.env("ROTA_USER", "carol");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

const MESSAGE: &str = "carol → erin: you're on call Tue 2026-11-24 for Cloud SRE.\n\
                       Open items:\n- renew the TLS cert\nNote: watch db-2\n";

#[test]
fn the_hook_reads_the_handover_as_json_on_stdin() {
    let team = Team::new();
    let (code, stdout, stderr) = hand_over(
        &team,
        &[("ROTA_HOOK_HANDOVER", "cat > \"$ROTA_EVENT.json\"")],
        &["--note", "watch db-2", "--open", "renew the TLS cert"],
    );
    assert_eq!((code, stdout.as_str()), (Some(0), MESSAGE), "{stderr}");
    let event: serde_json::Value =
        serde_json::from_str(&team.read("handover.json")).expect("one JSON object");
    let person = |id: &str, name: &str| {
        serde_json::json!({
            "id": id,
            "name": name,
            "email": format!("{id}@example.org"),
            "chat": null,
            "phone": null,
            "timezone": "Europe/Prague",
            "local_time": "2026-11-23T17:05:00+01:00",
        })
    };
    assert_eq!(
        event,
        serde_json::json!({
            "event": "handover",
            "team": "Cloud SRE",
            "at": "2026-11-23T16:05:00Z",
            "from": person("carol", "Carol Jiménez"),
            "to": person("erin", "Erin Walsh"),
            "run_by": null,
            "next_day": "2026-11-24",
            "served": ["2026-11-23"],
            "checklist": [
                {"item": "Answered every open question in #support", "done": true, "note": ""},
                {"item": "Checked the consoles", "done": true, "note": ""},
                {"item": "Updated the runbooks", "done": true, "note": ""},
            ],
            "open_items": ["renew the TLS cert"],
            "done_items": [],
            "note": "watch db-2",
            "message": MESSAGE,
        })
    );
    // One line of JSON, "event" first.
    assert!(
        team.read("handover.json")
            .starts_with("{\"event\":\"handover\",")
    );
    assert_eq!(team.read("handover.json").lines().count(), 1);
}

#[test]
fn the_clones_git_config_sets_the_hook_and_the_environment_wins() {
    let team = Team::new();
    let dir = team.dir.path();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.email", "carol@example.org"]);
    git(dir, &["config", "user.name", "Carol"]);
    git(dir, &["config", "rota.hook.handover", "cat > hook.json"]);
    // An empty ROTA_HOOK_HANDOVER turns the clone's hook off.
    let (code, _, stderr) = hand_over(&team, &[("ROTA_HOOK_HANDOVER", "")], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!team.path("hook.json").exists());
    let undo = team
        .rota(EVENING, &["handover", "--undo"])
        .env("ROTA_USER", "carol")
        .output()
        .unwrap();
    assert!(undo.status.success());
    let (code, _, stderr) = hand_over(&team, &[], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let event: serde_json::Value = serde_json::from_str(&team.read("hook.json")).unwrap();
    assert_eq!(
        (&event["event"], &event["to"]["id"]),
        (&"handover".into(), &"erin".into())
    );
}

/// The lines rota itself wrote to stderr (a shell's own message differs between shells).
fn rota_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("rota:") || l.starts_with("hint:"))
        .collect()
}

#[test]
fn a_hook_that_fails_is_reported_and_the_handover_stands() {
    for (hook, why) in [
        ("cat >/dev/null; exit 3", "exit status 3"),
        (
            "no-such-rota-hook-command",
            "exit status 127: the command was not found",
        ),
        // A hook that hangs is stopped (after ROTA_HOOK_TIMEOUT seconds, a minute by default).
        ("exec sleep 30", "it ran longer than 1 s and was stopped"),
    ] {
        let team = Team::new();
        let (code, stdout, stderr) = hand_over(
            &team,
            &[("ROTA_HOOK_HANDOVER", hook), ("ROTA_HOOK_TIMEOUT", "1")],
            &["--note", "watch db-2", "--open", "renew the TLS cert"],
        );
        assert_eq!((code, stdout.as_str()), (Some(0), MESSAGE));
        assert_eq!(
            rota_lines(&stderr),
            [
                "rota: handed over: carol → erin (Tue 2026-11-24)",
                &format!(
                    "rota: warning: the handover hook failed ({why}); the handover is recorded all the same"
                ),
                "hint: the hook is ROTA_HOOK_HANDOVER in the environment: fix the command, or remove it",
            ]
        );
        assert_eq!(
            team.on_call(EVENING),
            ("erin".to_string(), "2026-11-24".to_string())
        );
    }
}

#[test]
fn what_the_hook_prints_goes_to_stderr_and_stdout_keeps_the_message() {
    let team = Team::new();
    let (code, stdout, stderr) = hand_over(
        &team,
        &[("ROTA_HOOK_HANDOVER", "echo posted to chat")],
        &["--note", "watch db-2", "--open", "renew the TLS cert"],
    );
    assert_eq!((code, stdout.as_str()), (Some(0), MESSAGE));
    assert_eq!(
        stderr,
        "rota: handed over: carol → erin (Tue 2026-11-24)\nposted to chat\n"
    );
}

#[test]
fn a_hook_in_the_tracked_list_is_refused_and_never_run() {
    for (key, line) in [
        ("[team]\nname", "[team]\nhook = \"touch pwned\"\nname"),
        (
            "[handover]\n",
            "[hooks]\nhandover = \"touch pwned\"\n\n[handover]\n",
        ),
    ] {
        let list = common::TEAM.replacen(key, line, 1);
        assert_ne!(list, common::TEAM);
        let team = Team::with_list(&list);
        let (code, stdout, stderr) = hand_over(&team, &[], &[]);
        assert_eq!((code, stdout.as_str()), (Some(1), ""), "{stderr}");
        let field = if key.starts_with("[team]") {
            "hook"
        } else {
            "hooks"
        };
        // The error, where the key is, and what to do (the keys rota knows, listed after
        // "expected one of", change as rota grows).
        let lines: Vec<&str> = stderr.lines().collect();
        let list = team.path("on-call-list.toml");
        assert_eq!(
            lines[0].split(", expected one of").next().unwrap(),
            format!(
                "rota: error: {} is not valid: unknown field `{field}`",
                list.display()
            )
        );
        // The location's lines are indented to the width of the line number.
        let trimmed: Vec<&str> = lines[1..].iter().map(|l| l.trim_start()).collect();
        let at = trimmed[0].rsplitn(3, ':').last().unwrap();
        assert_eq!(at, format!("--> {}", list.display()));
        assert_eq!(
            trimmed[3..],
            [
                // Under the key (inside the brackets of a table's name).
                &format!(
                    "| {}{}",
                    " ".repeat(usize::from(field == "hooks")),
                    "^".repeat(field.len())
                ),
                "hint: rota never runs a command from on-call-list.toml: remove the key",
                "hint: a hook is set per clone: `git config rota.hook.handover \"COMMAND\"` or ROTA_HOOK_HANDOVER (see Hooks in docs/commands.md)",
            ],
            "{stderr}"
        );
        assert!(!team.path("pwned").exists());
        assert_eq!(team.log(), "", "nothing was written");
    }
}

/// `rota announce` runs the announce hook with `announce --json`'s object after `"event"`, once
/// the window is written; announcing the same window again writes nothing and runs nothing.
#[test]
fn the_announce_hook_reads_the_announcement_as_json() {
    const NOW: &str = "2026-11-23T10:15:00+01:00";
    const WINDOW: [&str; 7] = [
        "announce",
        "2026-12-10 22:00",
        "2026-12-10 23:30",
        "--what",
        "Database failover test",
        "--affects",
        "api",
    ];
    let team = Team::new();
    let announce = || {
        let output = team
            .rota(NOW, &WINDOW)
            .env("ROTA_HOOK_ANNOUNCE", "cat >> \"$ROTA_EVENT.json\"")
            .output()
            .unwrap();
        assert!(output.status.success());
    };
    announce();
    let mut expected = common::json(
        &team
            .rota(NOW, &[&WINDOW[..], &["--json"]].concat())
            .output()
            .unwrap(),
    );
    let mut event = serde_json::Map::new();
    event.insert("event".into(), "announce".into());
    event.append(expected.as_object_mut().unwrap());
    let written = team.read("announce.json");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&written).unwrap(),
        serde_json::Value::Object(event)
    );
    // Again: the window is there, nothing is written and the hook does not run.
    announce();
    assert_eq!(team.read("announce.json"), written);
}
