//! Every failure says what, where and what to do; exits 1 (2 for usage); writes nothing.

use crate::common;

use common::Team;
use predicates::prelude::*;

const NOW: &str = "2026-11-23T10:00:00+01:00";

/// Runs `args` on a team whose list is `list`, expects `code` and every `needle` on stderr,
/// and checks that neither file changed.
fn fails(list: &str, args: &[&str], code: i32, needles: &[&str]) -> Team {
    let team = Team::with_list(list);
    team.write("on-call-log.md", "# log\n");
    let before = (team.list(), team.log());
    let mut assert = team.rota(NOW, args).assert().code(code);
    for needle in needles {
        assert = assert.stderr(predicate::str::contains(*needle));
    }
    assert.stdout("");
    assert_eq!(
        (team.list(), team.log()),
        before,
        "nothing is written on error"
    );
    team
}

/// As [`fails`], with the whole of stderr: `{list}` stands for the list's path.
fn fails_saying(list: &str, args: &[&str], code: i32, stderr: &str) {
    let team = fails(list, args, code, &[]);
    let path = team.path("on-call-list.toml");
    team.rota(NOW, args)
        .assert()
        .stderr(stderr.replace("{list}", &path.display().to_string()));
}

#[test]
fn toml_syntax_errors_point_at_the_line() {
    let list = common::TEAM.replace("name = \"Bob Dvořák\"", "name = \"Bob Dvořák");
    // The caret is under the end of the line, where the closing quote is missing.
    fails_saying(
        &list,
        &["who"],
        1,
        concat!(
            "rota: error: {list} is not valid: invalid basic string, expected `\"`\n",
            "  --> {list}:17:19\n",
            "   |\n",
            "17 | name = \"Bob Dvořák\n",
            "   |                   ^\n",
            "hint: fix the TOML syntax at the place shown, then run the command again\n",
        ),
    );
}

#[test]
fn an_unknown_time_zone_suggests_the_closest() {
    let list = common::TEAM.replace("\"Europe/Prague\"", "\"europe/prage\"");
    fails_saying(
        &list,
        &["who"],
        1,
        concat!(
            "rota: error: unknown time zone \"europe/prage\"\n",
            " --> {list}:4:12\n",
            "  |\n",
            "4 | timezone = \"europe/prage\"   # the team's days\n",
            "  |            ^^^^^^^^^^^^^^\n",
            "hint: did you mean \"Europe/Prague\"?\n",
        ),
    );
}

#[test]
fn unknown_and_duplicate_ids_are_refused() {
    let with = |rotation: &str| {
        format!(
            "{}\n[rotation]\nseed = 1\nround = 1\n{rotation}day = 2026-11-23\n",
            common::TEAM
        )
    };
    fails(
        &with("order = [\"alice\", \"alice\"]\non-call = \"alice\"\n"),
        &["who"],
        1,
        &["\"alice\" appears twice in rotation.order"],
    );
    fails(
        &with("order = [\"alice\"]\non-call = \"bob\"\n"),
        &["who"],
        1,
        &["\"bob\" is not in rotation.order"],
    );
    let twice = common::TEAM.replace("id = \"bob\"", "id = \"alice\"");
    fails(
        &twice,
        &["who"],
        1,
        &["engineer id \"alice\" is used twice", ":16:6"],
    );

    // An engineer removed by hand while on call is not refused: they keep the turn they hold,
    // check says so, and the handover passes it on. The list is never written.
    let list = with("order = [\"alice\", \"zed\"]\non-call = \"zed\"\n");
    let team = Team::with_list(&list);
    team.rota(NOW, &["who"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "On call: zed (zed) · Mon 2026-11-23\n",
        ))
        .stdout(predicate::str::contains(
            "Next: Bob Dvořák (bob) · Tue 2026-11-24\n",
        ));
    let path = team.path("on-call-list.toml");
    team.rota(NOW, &["check"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "{}:7: note: zed is on call but no longer in the team: `rota handover` passes the turn on\n",
            path.display()
        )));
    team.rota("2026-11-23T17:05:00+01:00", &["handover", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "rota: zed is on call but no longer in the team",
        ));
    assert!(
        team.log().contains(
            "### Handover 16:05 UTC: zed → bob\n\n- Served: Mon 2026-11-23 (zed)\n- Next: Tue 2026-11-24 (bob)\n"
        ),
        "{}",
        team.log()
    );
    assert_eq!(team.list(), list);
}

#[test]
fn an_empty_roster_is_refused() {
    fails(
        "[team]\nname = \"T\"\ntimezone = \"UTC\"\n",
        &["who"],
        1,
        &["lists no engineers", "hint: add at least one [[engineer]]"],
    );
}

#[test]
fn invalid_dates_and_times_are_refused() {
    let list = common::TEAM.replace("2026-12-31,", "2026-13-31,");
    fails(&list, &["who"], 1, &["on-call-list.toml:5:"]);
    let list = common::TEAM.replace("holidays = [", "handover-time = \"5pm\"\nholidays = [");
    fails(
        &list,
        &["who"],
        1,
        &["handover-time \"5pm\" is not a time of day", "HH:MM"],
    );
    let list = common::TEAM.replace(
        "holidays = [",
        "working-days = [\"Mon\", \"Fryday\"]\nholidays = [",
    );
    fails(&list, &["who"], 1, &["\"Fryday\" is not a day of the week"]);
    fails(
        common::TEAM,
        &["who", "--date", "2026-11-31"],
        2,
        &["invalid value '2026-11-31'"],
    );
    let team = Team::new();
    team.rota("not a time", &["who"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "ROTA_NOW=\"not a time\" is not an RFC 3339 time",
        ));
}

#[test]
fn a_read_only_list_is_not_written() {
    let team = Team::new();
    let path = team.path("on-call-list.toml");
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    // Reading never writes, so a read-only list reads as usual.
    team.rota(NOW, &["who"]).assert().success().stderr("");
    // A command that writes the list says what to do.
    team.rota(NOW, &["away", "alice", "2026-12-01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{} is read-only",
            path.display()
        )))
        .stderr(predicate::str::contains("chmod u+w"));
    assert_eq!(team.list(), common::TEAM);
}

#[test]
fn a_read_only_log_is_not_written() {
    let team = Team::new();
    team.write("on-call-log.md", "# log\n");
    let path = team.path("on-call-log.md");
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    team.rota(NOW, &["log", "x"])
        .env("ROTA_USER", "alice")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("on-call-log.md is read-only"));
    assert_eq!(team.log(), "# log\n");
    team.rota(NOW, &["handover", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("on-call-log.md is read-only"));
    assert_eq!(team.log(), "# log\n");
    assert_eq!(team.list(), common::TEAM);
}

#[test]
fn a_directory_where_the_log_should_be() {
    let team = Team::new();
    std::fs::create_dir(team.path("on-call-log.md")).unwrap();
    team.rota(NOW, &["log", "x"])
        .env("ROTA_USER", "alice")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot open"));
    // Searching it says which file cannot be read, and what it must be.
    let log = team.path("on-call-log.md").display().to_string();
    team.rota(NOW, &["log", "--list", "--grep", "x"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "rota: error: cannot read {log}: Is a directory (os error 21)\nhint: {log} must be a file, not a directory\n"
        ));
}

#[test]
fn conflict_markers_are_refused_with_directions() {
    let conflicted = format!(
        "{}<<<<<<< HEAD\n[rotation]\n=======\n>>>>>>> theirs\n",
        common::TEAM
    );
    fails(
        &conflicted,
        &["who"],
        1,
        &[
            "holds git conflict markers",
            "git checkout -m",
            "resolve the merge conflict",
        ],
    );

    let team = Team::new();
    let log = "# log\n\n## 2026-11-23 Mon · on call: bob\n\n<<<<<<< HEAD\n- 08:00 UTC bob: mine\n=======\n- 08:01 UTC alice: theirs\n>>>>>>> origin/main\n";
    team.write("on-call-log.md", log);
    team.rota(NOW, &["log", "x"])
        .env("ROTA_USER", "alice")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "on-call-log.md holds git conflict markers",
        ))
        .stderr(predicate::str::contains("on-call-log.md:5:1"))
        // Directions for what rota sets up now: its merge driver, not `merge=union`.
        .stderr(predicate::str::contains("rota's merge driver"))
        .stderr(predicate::str::contains(format!(
            "`git checkout -m {}`",
            team.path("on-call-log.md").display()
        )))
        .stderr(predicate::str::contains("or resolve it by hand"))
        .stderr(predicate::str::contains("merge=union").not());
    assert_eq!(team.log(), log);
    team.rota(NOW, &["handover", "--yes"]).assert().code(1);
    assert_eq!(team.log(), log);
}

#[test]
fn handover_without_a_terminal_needs_yes() {
    let team = Team::new();
    team.rota(NOW, &["handover"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a terminal"))
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(team.list(), common::TEAM, "nothing is written");
    assert_eq!(team.log(), "");
}

#[test]
fn unknown_keys_are_typos() {
    let list = common::TEAM.replace("chat = \"@alice\"", "chta = \"@alice\"");
    fails(&list, &["who"], 1, &["unknown field `chta`", ":11:1"]);
}

/// An absence for the engineer the day was handed to, or whom an override puts on call, is
/// refused with the command that resolves it, never left for `check` to find.
#[test]
fn an_absence_that_would_uncover_a_day_is_refused_with_the_fix() {
    let team = Team::new();
    let (monday, _) = team.on_call(NOW);
    let before = team.list();
    let out = team
        .rota(NOW, &["away", &monday, "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "rota: error: {monday} is on call Mon 2026-11-23 (the day was handed to them): an absence would leave it uncovered\nhint: first ask someone to take it: rota cover 2026-11-23 ID; then add the absence\nhint: or, when the day is over, hand over first (rota handover)\n"
        )
    );
    // The fix, as the hint says: once someone covers the day, the absence is added.
    let stand_in = if monday == "erin" { "dave" } else { "erin" };
    team.rota(NOW, &["cover", "2026-11-23", stand_in])
        .assert()
        .success();
    team.rota(NOW, &["away", &monday, "2026-11-23"])
        .assert()
        .success();
    team.rota(NOW, &["away", &monday, "2026-11-23", "--undo"])
        .assert()
        .success();
    team.rota(NOW, &["cover", "2026-11-23", "--undo"])
        .assert()
        .success();
    assert_eq!(team.list(), before);
    let other = if monday == "bob" { "carol" } else { "bob" };
    team.rota(NOW, &["cover", "2026-11-26", other])
        .assert()
        .success();
    let covered = team.list();
    let out = team
        .rota(NOW, &["away", other, "2026-11-25", "2026-11-27"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "rota: error: an override puts {other} on call Thu 2026-11-26 (cover), inside the absence\nhint: first give the day to someone else: rota cover 2026-11-26 ID; then add the absence\n"
        )
    );
    assert_eq!(team.list(), covered);
    assert_ne!(covered, before);
}

/// A layout rota reads but cannot add to (inline engineer tables) is named where it stands.
#[test]
fn a_layout_rota_cannot_add_to_is_shown_where_it_is() {
    let list = "[team]\nname = \"T\"\ntimezone = \"UTC\"\n\nengineer = [{ id = \"a\", name = \"A\" }, { id = \"b\", name = \"B\" }]\n";
    let list = list.replace("[team]\nname = \"T\"\ntimezone = \"UTC\"\n\n", "");
    let list = format!("{list}[team]\nname = \"T\"\ntimezone = \"UTC\"\n");
    let team = Team::with_list(&list);
    let out = team
        .rota(NOW, &["away", "a", "2026-12-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "rota: error: cannot update {path}: the engineers must be written as [[engineer]] tables\n --> {path}:1:1\n  |\n1 | engineer = [{{ id = \"a\", name = \"A\" }}, {{ id = \"b\", name = \"B\" }}]\n  | ^^^^^^^^\nhint: rota adds to [[engineer]], [[override]], [[maintenance]], [regions.ID] tables and one-line-per-value `away` and `holidays` arrays: rewrite the value shown in that form, or make the change by hand; nothing was written\n",
            path = team.path("on-call-list.toml").display()
        )
    );
    assert_eq!(team.list(), list);
}
