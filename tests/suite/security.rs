//! The team's files are untrusted: anyone who can push can write them. Each attack here is
//! refused with the place and nothing written, or its text is shown and never obeyed.

use crate::common;

use common::Team;

const NOW: &str = "2026-11-23T10:00:00+01:00";

/// Bytes of every file in the team's directory (and of `outside`, when given).
fn snapshot(team: &Team, outside: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(team.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.push((
        outside.display().to_string(),
        std::fs::read(outside).unwrap_or_default(),
    ));
    files.sort();
    files
}

/// Runs `args`, expects exit 1 and `stderr` exactly (the team's path shown as `TEAM`), and no
/// file changed, inside the directory or out.
fn refused(team: &Team, outside: &std::path::Path, args: &[&str], stderr: &str) {
    let before = snapshot(team, outside);
    let output = team.rota(NOW, args).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{args:?}");
    let shown = String::from_utf8_lossy(&output.stderr)
        .replace(&team.dir.path().display().to_string(), "TEAM")
        .replace(&outside.display().to_string(), "OUTSIDE");
    assert_eq!(shown, stderr, "{args:?}");
    assert_eq!(snapshot(team, outside), before, "{args:?} wrote something");
}

/// How rota shows a place in the list: ` --> file:line:column`, the line, and a caret run.
fn location(list: &str, line: usize, column: usize, width: usize) -> String {
    let pad = " ".repeat(line.to_string().len());
    format!(
        "{pad}--> TEAM/on-call-list.toml:{line}:{column}\n{pad} |\n{line} | {}\n{pad} | {}{}\n",
        // The quoted line shows a bidi control as its escape, like every output.
        list.lines()
            .nth(line - 1)
            .unwrap()
            .replace('\u{202e}', "\\u{202e}")
            .replace('\u{2028}', "\\u{2028}")
            .replace('\u{2029}', "\\u{2029}"),
        " ".repeat(column - 1),
        "^".repeat(width)
    )
}

fn line_of(list: &str, needle: &str) -> usize {
    list.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_log_path_that_leaves_the_team_directory_is_refused() {
    let outside_dir = tempfile::tempdir().unwrap();
    let outside = outside_dir.path().join("authorized_keys");
    for (value, column_width) in [("../authorized_keys", 20), ("/etc/passwd", 13)] {
        let list = common::TEAM.replace("holidays =", &format!("log = \"{value}\"\nholidays ="));
        let team = Team::with_list(&list);
        refused(
            &team,
            &outside,
            &["log", "--as", "alice", "ssh-ed25519 AAAA attacker"],
            &format!(
                "rota: error: team.log {value:?} leaves the team's directory\n{}hint: name a file relative to on-call-list.toml, without `..` or a leading `/`, like \"on-call-log.md\"\n",
                location(&list, line_of(&list, "log = "), 7, column_width)
            ),
        );
    }
}

#[test]
fn a_log_that_is_a_symlink_out_of_the_directory_is_refused_even_dangling() {
    let outside_dir = tempfile::tempdir().unwrap();
    let outside = outside_dir.path().join("target.md");
    let team = Team::new();
    std::os::unix::fs::symlink(&outside, team.path("on-call-log.md")).unwrap();
    let expected = "rota: error: TEAM/on-call-log.md leads outside the team's directory: rota reads and writes only inside TEAM\nhint: replace the symlink with the file itself, or point team.log at a file inside the repository; nothing was written\n";
    refused(&team, &outside, &["log", "--as", "alice", "x"], expected);
    assert!(!outside.exists(), "the dangling link's target was created");
    std::fs::write(&outside, "# theirs\n").unwrap();
    let expected = "rota: error: TEAM/on-call-log.md leads outside the team's directory (to OUTSIDE): rota reads and writes only inside TEAM\nhint: replace the symlink with the file itself, or point team.log at a file inside the repository; nothing was written\n";
    refused(&team, &outside, &["handover", "--yes"], expected);
    refused(&team, &outside, &["who"], expected);
}

/// A log symlinked into `.git` (its config, a hook) is refused: rota would otherwise append
/// the team's text to git's own files, breaking the clone or a hook that runs.
#[test]
fn a_log_that_is_a_symlink_into_git_is_refused() {
    let team = Team::new();
    let dir = team.dir.path();
    crate::common::git(dir, &["init", "-q"]);
    team.rota(NOW, &["who"]).assert().success(); // registers the merge drivers
    for target in [".git/config", ".git/hooks/post-commit"] {
        std::fs::write(dir.join(".git/hooks/post-commit"), "#!/bin/sh\n").unwrap();
        std::fs::remove_file(team.path("on-call-log.md")).ok();
        std::os::unix::fs::symlink(target, team.path("on-call-log.md")).unwrap();
        let git_dir = dir.join(".git");
        let expected = format!(
            "rota: error: TEAM/on-call-log.md leads into git's own files (TEAM/{target}): rota reads and writes only the team's files\nhint: replace the symlink with the file itself; nothing was written\n"
        );
        refused(&team, &git_dir, &["log", "--as", "alice", "x"], &expected);
        refused(&team, &git_dir, &["handover", "--yes"], &expected);
    }
}

#[test]
fn a_symlinked_list_inside_the_directory_stays_a_link() {
    let team = Team::new();
    std::fs::create_dir(team.path("config")).unwrap();
    std::fs::rename(
        team.path("on-call-list.toml"),
        team.path("config/team.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("config/team.toml", team.path("on-call-list.toml")).unwrap();
    team.rota(NOW, &["away", "bob", "2026-12-01"])
        .assert()
        .success();
    let link = std::fs::symlink_metadata(team.path("on-call-list.toml")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_eq!(
        team.read("config/team.toml"),
        common::TEAM.replace(
            "name = \"Bob Dvořák\"\nemail = \"bob@example.org\"\n",
            "name = \"Bob Dvořák\"\nemail = \"bob@example.org\"\naway = [\n  { from = 2026-12-01 },\n]\n"
        )
    );
}

#[test]
fn a_line_break_or_escape_in_the_list_cannot_forge_the_log_or_reach_the_terminal() {
    let outside = std::path::PathBuf::from("/nonexistent/rota-test");
    for (from, to, column) in [
        (
            "name = \"Cloud SRE\"",
            "name = \"Cloud SRE\\n\\n### Handover 09:00 UTC: mallory → mallory\"",
            8,
        ),
        (
            "\"Checked the consoles\",",
            "\"Checked the consoles\\nRound 9: **mallory**\",",
            3,
        ),
        (
            "name = \"Alice Novak\"",
            "name = \"Alice \\u001b]0;owned\\u0007Novak\"",
            8,
        ),
        ("chat = \"@alice\"", "chat = \"@alice\u{202e}ecila@\"", 8),
        // Unicode's own line and paragraph separators, raw or escaped: a reader that splits
        // lines as Unicode does would see a round line and a handover heading.
        (
            "\"Checked the consoles\",",
            "\"Checked the consoles\u{2028}Round 9: **mallory**\u{2029}### Handover 09:00 UTC: x → mallory\",",
            3,
        ),
        (
            "\"Updated the runbooks\",",
            "\"Updated the runbooks\\u2028Round 9: **mallory**\",",
            3,
        ),
        (
            "\"Updated the runbooks\",",
            "\"Updated the runbooks\\u0085Round 9: **mallory**\",",
            3,
        ),
    ] {
        let list = common::TEAM.replace(from, to);
        assert_ne!(list, common::TEAM);
        let team = Team::with_list(&list);
        let line = line_of(
            &list,
            to.split_once(['\\', '\u{202e}', '\u{2028}']).unwrap().0,
        );
        // The caret run covers the quoted value, as rota underlines it.
        let literal = to
            .split_once(" = ")
            .map_or(to, |(_, v)| v)
            .trim_end_matches(',');
        let width = literal.chars().count();
        for args in [
            &["who"][..],
            &["handover", "--yes"],
            &["team", "--json"],
            &["schedule", "--ics"],
        ] {
            refused(
                &team,
                &outside,
                args,
                &format!(
                    "rota: error: a value holds a line break or a control character, which could forge a line of the log or drive the terminal\n{}hint: write the value on one line, without escapes such as \\n, \\u001b or bidi controls\n",
                    location(&list, line, column, width)
                ),
            );
        }
    }
}

#[test]
fn escapes_written_into_the_log_are_shown_not_obeyed() {
    let team = Team::new();
    let hostile = "- 09:30 UTC bob\u{1b}[8m: hidden \u{1b}]52;c;cm0gLXJmIH4=\u{7} text \u{9b}2J\n";
    team.write(
        "on-call-log.md",
        format!("# Log\n\n## 2026-11-23 Mon\n\n{hostile}"),
    );
    let shown = "09:30 UTC bob\\u{1b}[8m: hidden \\u{1b}]52;c;cm0gLXJmIH4=\\u{7} text \\u{9b}2J\n";
    let out = team.rota(NOW, &["log"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), shown);
    let out = team.rota(NOW, &["log", "--list"]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("2026-11-23 {shown}")
    );
    let out = team
        .rota(NOW, &["log", "--list", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json[0]["text"],
        "hidden \\u{1b}]52;c;cm0gLXJmIH4=\\u{7} text \\u{9b}2J"
    );
    assert_eq!(json[0]["author"], "bob\\u{1b}[8m");
    // What a person types is written escaped too: the log never holds a raw control.
    let out = team
        .rota(
            NOW,
            &["log", "--as", "carol", "ring \u{7} and \u{1b}[2J clear"],
        )
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "- 09:00 UTC carol: ring \\u{7} and \\u{1b}[2J clear\n"
    );
    assert!(
        team.log()
            .ends_with("- 09:00 UTC carol: ring \\u{7} and \\u{1b}[2J clear\n")
    );
    // A forged record heading with escapes reaches check's report escaped.
    team.write(
        "on-call-log.md",
        "# Log\n\n## 2026-11-23 Mon\n\n### Handover 16:00 UTC: \u{1b}[31mx → y\n\n- Served: Mon 2026-11-23 (x)\n- Next: Tue 2026-11-24 (y)\n\nRound 1: ~~x~~, **y**\n\n### Handover 16:01 UTC: \u{1b}[31mx → z\n\n- Served: Mon 2026-11-23 (x)\n- Next: Tue 2026-11-24 (z)\n\nRound 1: ~~x~~, **z**\n",
    );
    let out = team.rota(NOW, &["check"]).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!report.contains('\u{1b}'), "{report}");
    assert!(report.contains("16:00 UTC \\u{1b}[31mx → y"), "{report}");
}

#[test]
fn every_count_and_range_is_bounded_with_a_clear_error() {
    let team = Team::new();
    let outside = std::path::PathBuf::from("/nonexistent/rota-test");
    let cases: &[(&str, &[&str], i32, &str)] = &[
        (
            NOW,
            &["schedule", "--days", "100000000"],
            2,
            "error: invalid value '100000000' for '--days <N>': 100000000 is not in 1..=3660\n\nFor more information, try '--help'.\n",
        ),
        (
            NOW,
            &["next", "alice", "--count", "0"],
            2,
            "error: invalid value '0' for '--count <N>': 0 is not in 1..=100\n\nFor more information, try '--help'.\n",
        ),
        (
            NOW,
            &["who", "--date", "2190-01-01"],
            2,
            "rota: error: 2190-01-01 is more than 3660 days from today\nhint: ask about days within ten years of today\n",
        ),
        (
            NOW,
            &["schedule", "--until", "9999-12-31"],
            2,
            "error: invalid value '9999-12-31' for '--until <YYYY-MM-DD>': rota works with days from 2000-01-01 to 2199-12-31\n\nFor more information, try '--help'.\n",
        ),
        (
            "9999-11-23T10:00:00Z",
            &["handover", "--yes"],
            1,
            "rota: error: ROTA_NOW=\"9999-11-23T10:00:00Z\" is out of range\nhint: rota works with days from 2000-01-01 to 2199-12-31\n",
        ),
    ];
    for (now, args, code, stderr) in cases {
        let before = snapshot(&team, &outside);
        let output = team.rota(now, args).output().unwrap();
        assert_eq!(output.status.code(), Some(*code), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), *stderr, "{args:?}");
        assert_eq!(snapshot(&team, &outside), before);
    }
    // A clock far past the turn: the record would list years of days; refused, not written.
    team.write(
        "on-call-list.toml",
        format!("{}\n[rotation]\nstart = 2000-01-03\n", common::TEAM),
    );
    let refused = team.rota(NOW, &["handover", "--yes"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("(7015 working days)"));
    assert!(!team.path("on-call-log.md").exists());
    // An entry is bounded too.
    let long = "x".repeat(5000);
    let output = team
        .rota(NOW, &["log", "--as", "bob", &long])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!team.path("on-call-log.md").exists());
}

/// A record written into the log by hand to move the rotation (someone on call five weeks
/// from now, or someone else next) is named by check, with its line.
#[test]
fn a_forged_handover_record_is_named_by_check() {
    let team = Team::new();
    let (monday, _) = team.on_call(NOW);
    team.rota(
        "2026-11-23T17:05:00+01:00",
        &["handover", "--yes", "--as", &monday],
    )
    .assert()
    .success();
    team.rota(NOW, &["check"]).assert().success();
    let log = team.log();
    let next = team.on_call("2026-11-24T09:00:00+01:00").0;
    let forged = log.replacen("- Next: Tue 2026-11-24", "- Next: Wed 2026-12-30", 1);
    assert_ne!(forged, log);
    team.write("on-call-log.md", &forged);
    let line = forged
        .lines()
        .position(|l| l.starts_with("### Handover"))
        .unwrap()
        + 1;
    let output = team
        .rota("2026-11-24T09:00:00+01:00", &["check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "{}:{line}: error: the last handover record says {next} is next, on Wed 2026-12-30 (round 1), but after Mon 2026-11-23 ({monday}) the rotation gives {next} on Tue 2026-11-24 (round 1): the record was edited by hand; restore it as rota wrote it\n",
            team.path("on-call-log.md").display()
        )
    );
}

/// A late handover lists only the days its engineer served: a day an override gave to someone
/// else is theirs, and check agrees.
#[test]
fn a_late_handover_does_not_claim_a_day_someone_covered() {
    let team = Team::with_list(&format!(
        "{}\n[rotation]\nstart = 2026-11-23\n",
        common::TEAM
    ));
    let (monday, _) = team.on_call(NOW);
    let other = if monday == "bob" { "carol" } else { "bob" };
    team.rota(NOW, &["cover", "2026-11-24", other])
        .assert()
        .success();
    team.rota(
        "2026-11-25T17:05:00+01:00",
        &["handover", "--yes", "--as", &monday],
    )
    .assert()
    .success();
    let log = team.log();
    let served = log.lines().find(|l| l.starts_with("- Served: ")).unwrap();
    assert_eq!(served, format!("- Served: Mon 2026-11-23 ({monday})"));
    team.rota("2026-11-25T17:10:00+01:00", &["check"])
        .assert()
        .success();
}

/// A journal pushed into the repository (or a symlink in its place) is never taken for one: in
/// a clone the journal lives in `.git`, which no push writes; elsewhere a link is not followed.
#[test]
fn a_pushed_or_linked_journal_is_never_trusted() {
    // In a git clone: a forged journal in the work tree, matching the log, changes nothing.
    let team = Team::new();
    let log = "# Log\n\n## 2026-11-23 Mon\n\n- 08:00 UTC bob: before\n- 08:30 UTC carol: kept\n";
    team.write("on-call-log.md", log);
    let git = |args: &[&str]| {
        assert!(
            std::process::Command::new("git")
                .args(args)
                .current_dir(team.dir.path())
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
                .unwrap()
                .status
                .success()
        );
    };
    git(&["init", "-q"]);
    git(&["add", "on-call-log.md"]);
    let cut_to = log.find("- 08:30").unwrap();
    team.write(
        ".on-call-log.md.rota-append",
        format!("rota append journal v1\nlog=on-call-log.md\nlength={cut_to}\nbefore=0\nadded=1\nadded-hash=0\n"),
    );
    team.rota(NOW, &["log", "--as", "bob", "next"])
        .assert()
        .success();
    assert_eq!(team.log(), format!("{log}- 09:00 UTC bob: next\n"));

    // Outside git: a journal that is a (dangling) symlink is not followed, and goes.
    let plain = Team::new();
    plain.write("on-call-log.md", log);
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("planted");
    std::os::unix::fs::symlink(&target, plain.path(".on-call-log.md.rota-append")).unwrap();
    let output = plain
        .rota(NOW, &["log", "--as", "bob", "next"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("(it is a symbolic link)"));
    assert!(!target.exists(), "the link was followed");
    assert_eq!(plain.log(), format!("{log}- 09:00 UTC bob: next\n"));
}

/// An error quotes the file it is about; what it quotes reaches the terminal escaped.
#[test]
fn errors_quote_the_files_with_escapes() {
    let list = common::TEAM.replace(
        "timezone = \"Europe/Prague\"   # the team's days",
        "timezone = \"Europe/Prag\"   # \u{1b}]0;owned\u{7}\u{1b}[2J",
    );
    let team = Team::with_list(&list);
    let output = team.rota(NOW, &["who"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(
        stderr.contains("# \\u{1b}]0;owned\\u{7}\\u{1b}[2J"),
        "{stderr}"
    );
}

/// A code block left open at the end of the log would hide what rota appends after it (and
/// what check reads): check names it, and writes are refused until it is closed.
#[test]
fn an_unclosed_code_block_is_named_and_never_written_into() {
    let team = Team::new();
    let log = "# Log\n\n## 2026-11-23 Mon\n\n- 08:00 UTC bob: before\n\n```\nsome output\n";
    team.write("on-call-log.md", log);
    let path = team.path("on-call-log.md");
    let output = team
        .rota(NOW, &["log", "--as", "bob", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "rota: error: {} ends inside a code block (opened at line 7): what rota appends would read as part of that block\n --> {}:7:1\n  |\n7 | ```\n  | ^^^\nhint: close the block on a line of its own at the end of {} (```, or the fence that opened it; --> after a comment), then run the command again; `rota check` shows the log's state\n",
            path.display(),
            path.display(),
            path.display()
        )
    );
    assert_eq!(team.log(), log);
    let report = team.rota(NOW, &["check"]).output().unwrap();
    assert_eq!(report.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&report.stdout).contains(&format!(
        "{}:7: error: a code block (or an HTML block) opened here is never closed",
        path.display()
    )));
    // Closed, the block is text, and rota writes after it.
    team.write("on-call-log.md", format!("{log}```\n"));
    team.rota(NOW, &["log", "--as", "bob", "x"])
        .assert()
        .success();
    team.rota(NOW, &["check"]).assert().success();
}

#[test]
fn the_log_cannot_be_git_s_own_files_or_the_list() {
    let outside = std::path::PathBuf::from("/nonexistent/rota-test");
    for (value, what) in [
        (".git/config", "a file of git's own"),
        ("on-call-list.toml", "the list itself"),
    ] {
        let list = common::TEAM.replace("holidays =", &format!("log = \"{value}\"\nholidays ="));
        let team = Team::with_list(&list);
        refused(
            &team,
            &outside,
            &["log", "--as", "bob", "x"],
            &format!(
                "rota: error: team.log {value:?} names {what}, not a log\n{}hint: name a file of its own, like \"on-call-log.md\"\n",
                location(&list, line_of(&list, "log = "), 7, value.len() + 2)
            ),
        );
    }
}

#[test]
fn a_record_that_skips_someone_is_named_by_check() {
    let team = Team::new();
    let (monday, _) = team.on_call(NOW);
    team.rota(
        "2026-11-23T17:05:00+01:00",
        &["handover", "--yes", "--as", &monday],
    )
    .assert()
    .success();
    let next = team.on_call("2026-11-24T09:00:00+01:00").0;
    let other = ["alice", "bob", "carol", "dave", "erin"]
        .into_iter()
        .find(|id| *id != next && *id != monday)
        .unwrap();
    let log = team.log();
    let round = log
        .lines()
        .find(|l| l.starts_with("Round 1"))
        .unwrap()
        .to_string();
    let forged_round = round
        .replace(&format!("**{next}**"), "@@")
        .replace(other, &format!("**{other}**"))
        .replace("@@", &next);
    let forged = log
        .replace(&round, &forged_round)
        .replace(&format!("→ {next}"), &format!("→ {other}"))
        .replace(
            &format!("Tue 2026-11-24 ({next})"),
            &format!("Tue 2026-11-24 ({other})"),
        );
    team.write("on-call-log.md", &forged);
    assert_eq!(team.on_call("2026-11-24T09:00:00+01:00").0, other);
    let output = team
        .rota("2026-11-24T09:00:00+01:00", &["check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains(&format!(
        "error: the last handover record says {other} is next, on Tue 2026-11-24 (round 1), but after Mon 2026-11-23 ({monday}) the rotation gives {next} on Tue 2026-11-24 (round 1)"
    )));
}

/// A list of more than 4 MiB (a crafted one: 200,000 windows) is refused before it is parsed,
/// with what to do; check reports it as its finding.
#[test]
fn a_list_larger_than_four_mib_is_refused_before_parsing() {
    let padding = "# padding\n".repeat(420_000);
    let team = Team::with_list(&format!("{}{padding}", common::TEAM));
    let run = |args: &[&str]| {
        let output = team
            .rota("2026-11-23T10:00:00+01:00", args)
            .output()
            .unwrap();
        let text = |b: Vec<u8>| {
            String::from_utf8(b)
                .unwrap()
                .replace(
                    team.dir.path().canonicalize().unwrap().to_str().unwrap(),
                    "DIR",
                )
                .replace(team.dir.path().to_str().unwrap(), "DIR")
        };
        (
            output.status.code(),
            text(output.stdout),
            text(output.stderr),
        )
    };
    let what = "DIR/on-call-list.toml is larger than 4 MiB";
    let hint = "a team's list is a few KiB: remove what does not belong there (past maintenance windows, old absences)";
    assert_eq!(
        run(&["who"]),
        (
            Some(1),
            String::new(),
            format!("rota: error: {what}\nhint: {hint}\n")
        )
    );
    assert_eq!(
        run(&["check"]).1,
        format!("DIR/on-call-list.toml:1: error: {what} (hint: {hint})\n")
    );
}
