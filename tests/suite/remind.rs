//! `rota remind` for a daily job, and its hook: the team of the shared list, round 1 from Fri
//! 2026-12-18, handovers that pass items on, two maintenance windows, and a week that holds a
//! weekend and the Christmas holidays (Thu 2026-12-24 and Fri 2026-12-25). A git repository,
//! committed at the team's moments, for `--since`.

use std::path::Path;

use crate::common::{self, Team, git, git_command};

const SAT: &str = "2026-12-19T09:00:00+01:00";
const WED: &str = "2026-12-23T09:00:00+01:00";

/// Commits everything as made at `when`.
fn commit_at(dir: &Path, when: &str, message: &str) {
    git(dir, &["add", "-A"]);
    let output = git_command(dir, &["commit", "-q", "-m", message])
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}

fn ok(team: &Team, now: &str, user: Option<&str>, args: &[&str]) -> String {
    let mut command = team.rota(now, args);
    if let Some(user) = user {
        command.env("ROTA_USER", user);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "rota {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The team up to Friday's handover and the windows announced then (committed), or up to
/// Wednesday morning: Monday's and Tuesday's handovers (committed on Tuesday), then a cover
/// committed on Wednesday at 08:00.
fn team(until_wednesday: bool) -> Team {
    let team = Team::with_list(
        &common::TEAM.replace("[handover]", "[rotation]\nstart = 2026-12-18\n\n[handover]"),
    );
    let dir = team.dir.path();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.email", "carol@example.org"]);
    git(dir, &["config", "user.name", "carol"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
    commit_at(dir, "2026-12-18T10:00:00+01:00", "the team");
    ok(
        &team,
        "2026-12-18T17:05:00+01:00",
        Some("carol"),
        &[
            "handover",
            "--yes",
            "--note",
            "db1101 should catch up overnight",
            "--open",
            "renew the wiki's TLS certificate",
        ],
    );
    let friday = "2026-12-18T17:10:00+01:00";
    for window in [
        &[
            "2026-12-21 22:00",
            "2026-12-21 23:30",
            "--what",
            "Database failover test",
            "--affects",
            "api",
        ][..],
        &[
            "2026-12-28 06:00",
            "2026-12-28 07:00",
            "--what",
            "Kernel upgrade",
            "--affects",
            "db",
            "--affects",
            "web",
        ],
    ] {
        let mut args = vec!["announce"];
        args.extend(window);
        ok(&team, friday, None, &args);
    }
    commit_at(dir, "2026-12-18T17:15:00+01:00", "friday");
    if !until_wednesday {
        return team;
    }
    ok(
        &team,
        "2026-12-21T17:05:00+01:00",
        Some("erin"),
        &["handover", "--yes"],
    );
    ok(
        &team,
        "2026-12-22T17:05:00+01:00",
        Some("dave"),
        &["handover", "--yes", "--open", "rotate the backup keys"],
    );
    commit_at(dir, "2026-12-22T17:10:00+01:00", "handovers");
    ok(
        &team,
        "2026-12-23T08:00:00+01:00",
        None,
        &[
            "cover",
            "2026-12-28",
            "erin",
            "--reason",
            "bob's flight home",
        ],
    );
    commit_at(dir, "2026-12-23T08:00:00+01:00", "bob flies home");
    team
}

/// On Saturday nobody is on call; Monday's engineer inherits what Friday's handover passed
/// on, and Monday night's window is within the week.
#[test]
fn over_the_weekend_the_reminder_is_for_monday() {
    let team = team(false);
    let before = (team.list(), team.log());
    assert_eq!(
        ok(&team, SAT, None, &["remind"]),
        "\
On call for Cloud SRE · Sat 2026-12-19
Today: nobody (weekend)
Next working day, Mon 2026-12-21: Erin Walsh (erin) · erin@example.org

Passed on by carol to erin (handover of Fri 2026-12-18, 16:05 UTC):
  Note: db1101 should catch up overnight
  - [ ] renew the wiki's TLS certificate

Maintenance in the next 7 days:
  2026-12-21 22:00–23:30 UTC  Database failover test (affects api)
"
    );
    // Reading only.
    assert_eq!((team.list(), team.log()), before);
    assert_eq!(git(team.dir.path(), &["status", "--porcelain"]), "");
}

/// Before Christmas the next working day is after the holidays and the weekend; the cover
/// committed this morning is a day that changed hands since the day began (and since the
/// commit before it).
#[test]
fn before_the_holidays_the_reminder_is_for_the_day_after_them() {
    let team = team(true);
    let expected = "\
On call for Cloud SRE · Wed 2026-12-23
Today: Alice Novak (alice) · alice@example.org · @alice · +420 555 0100
Next working day, Mon 2026-12-28: Erin Walsh (erin) · erin@example.org

Passed on by dave to alice (handover of Tue 2026-12-22, 16:05 UTC):
  - [ ] renew the wiki's TLS certificate
  - [ ] rotate the backup keys

Maintenance in the next 7 days:
  2026-12-28 06:00–07:00 UTC  Kernel upgrade (affects db, web)
";
    assert_eq!(ok(&team, WED, None, &["remind"]), expected);
    let changed =
        "\nChanged hands since SINCE:\n  Mon 2026-12-28: bob → erin (cover: bob's flight home)\n";
    for since in ["2026-12-23", "HEAD~1"] {
        assert_eq!(
            ok(&team, WED, None, &["remind", "--since", since]),
            format!("{expected}{}", changed.replace("SINCE", since))
        );
    }
    // Since yesterday: Tuesday's handover is no change (it passed the turn as planned).
    assert_eq!(
        ok(&team, WED, None, &["remind", "--since", "2026-12-22"]),
        format!("{expected}{}", changed.replace("SINCE", "2026-12-22"))
    );
    // A day before the first commit has nothing to compare with.
    let output = team
        .rota(WED, &["remind", "--since", "2026-12-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "rota: error: this branch has no commit from before Tue 2026-12-01\nhint: give a later day, or a revision: rota remind --since REV\n"
    );
}

/// The JSON, which the remind hook reads on stdin: the clone's own hook, or the
/// environment's, which wins.
#[test]
fn the_remind_hook_reads_the_json_and_a_failing_one_is_an_error() {
    let team = team(true);
    let json = ok(&team, WED, None, &["remind", "--since", "HEAD~1", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["today"]["on_call"]["id"], "alice");
    assert_eq!(value["next"]["date"], "2026-12-28");
    assert_eq!(value["next"]["on_call"]["id"], "erin");
    assert_eq!(
        value["carried"]["open_items"],
        serde_json::json!(["renew the wiki's TLS certificate", "rotate the backup keys"])
    );
    assert_eq!(value["maintenance"][0]["what"], "Kernel upgrade");
    assert_eq!(value["since"], "HEAD~1");
    assert_eq!(value["changes"][0]["why"], "override");
    let text = ok(&team, WED, None, &["remind", "--since", "HEAD~1"]);
    assert_eq!(value["message"], text.as_str());

    let dir = team.dir.path();
    git(dir, &["config", "rota.hook.remind", "cat > event.json"]);
    assert_eq!(ok(&team, WED, None, &["remind", "--since", "HEAD~1"]), text);
    // One line: the event first, then the fields of --json.
    let event = team.read("event.json");
    assert!(
        event.starts_with("{\"event\":\"remind\",\"team\":"),
        "{event}"
    );
    assert_eq!(event.lines().count(), 1);
    let mut event: serde_json::Value = serde_json::from_str(&event).unwrap();
    event.as_object_mut().unwrap().remove("event");
    assert_eq!(event, value);
    std::fs::remove_file(team.path("event.json")).unwrap();

    // The environment's hook wins; one that fails is an error once the reminder is printed.
    let output = team
        .rota(WED, &["remind"])
        .env("ROTA_HOOK_REMIND", "cat > env.json; exit 3")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!team.path("event.json").exists());
    assert!(
        team.read("env.json")
            .starts_with("{\"event\":\"remind\",\"team\":\"Cloud SRE\",")
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("On call for Cloud SRE"));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "rota: error: the remind hook failed (exit status 3): nobody was told\nhint: the hook is ROTA_HOOK_REMIND in the environment: fix the command, or remove it\nhint: rota remind --json prints the event the hook reads\n"
    );
    // Empty turns it off.
    let output = team
        .rota(WED, &["remind"])
        .env("ROTA_HOOK_REMIND", "")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(!team.path("event.json").exists());
}
