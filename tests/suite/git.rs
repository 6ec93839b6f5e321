//! rota in the team's git workflow: init, --commit, and two clones merging both ways.

use crate::common;

use std::path::Path;

use common::{INIT, git, rota_in};
use predicates::prelude::*;

fn identify(dir: &Path, who: &str) {
    git(
        dir,
        &["config", "user.email", &format!("{who}@example.org")],
    );
    git(dir, &["config", "user.name", who]);
    git(dir, &["config", "commit.gpgsign", "false"]);
}

#[test]
fn init_writes_both_files_and_the_merge_rule_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitattributes"), "*.png binary").unwrap();
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "added rota's merge drivers to {}",
            dir.path().join(".gitattributes").display()
        )))
        .stderr(predicate::str::contains(
            "round 1 starts Mon 2026-11-23; next: commit the files and push them",
        ))
        // Not a git clone: there is no config to register the drivers in.
        .stderr(predicate::str::contains("registered").not());
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitattributes")).unwrap(),
        "*.png binary\non-call-log.md merge=rota-log\non-call-list.toml merge=rota-list\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
        "/.on-call-log.md.rota-append\n/.on-call-log.md.rota-end*\n/.on-call-list.toml.*.tmp\n"
    );
    let list = std::fs::read_to_string(dir.path().join("on-call-list.toml")).unwrap();
    // taplo's schema line first: editors complete and check the list against this rota's
    // schema, published in its repository at its release tag.
    assert!(
        list.starts_with(&format!(
            "#:schema https://raw.githubusercontent.com/rota-cli/rota/v{}/schema/on-call-list.schema.json\n# on-call-list.toml: ",
            env!("CARGO_PKG_VERSION")
        )),
        "{list}"
    );
    assert!(
        list.contains("name = \"Cloud SRE\"\ntimezone = \"Europe/Prague\""),
        "{list}"
    );
    assert!(
        list.contains(
            "[[engineer]]\nid = \"bob\"\nname = \"Bob Dvořák\"\nemail = \"bob@example.org\"\n"
        ),
        "{list}"
    );
    // The seed (ROTA_SEED here) and the first day of round 1 end the list.
    assert!(
        list.ends_with(
            "\n]\n\n# Every round's order is a shuffle derived from the seed; round 1 starts on `start`.\n[rotation]\nseed = 4157262103\nstart = 2026-11-23\n"
        ),
        "{list}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("on-call-log.md")).unwrap(),
        "# On-call log: Cloud SRE\n\n\
         Kept by `rota`: one section per working day, oldest first; times are UTC.\n\
         rota only appends. Write your own notes anywhere; rota never changes them.\n"
    );
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", &["check"])
        .assert()
        .success()
        .stdout("");
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("on-call-list.toml already exists"));
    let empty = tempfile::tempdir().unwrap();
    rota_in(
        empty.path(),
        "2026-11-23T09:00:00+01:00",
        &["init", "--team", "T"],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains(
        "needs a terminal to ask, or the team in flags",
    ));
    rota_in(
        empty.path(),
        "2026-11-23T09:00:00+01:00",
        &[
            "init",
            "--team",
            "T",
            "--timezone",
            "Europe/Prage",
            "--engineer",
            "a,A",
        ],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("did you mean \"Europe/Prague\"?"));
    let now = "2026-11-23T09:00:00+01:00";
    let team = [
        "init",
        "--team",
        "T",
        "--timezone",
        "UTC",
        "--engineer",
        "a,A",
    ];
    rota_in(
        empty.path(),
        now,
        &[&team[..], &["--engineer", "a,Another"]].concat(),
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("\"a\" is already in the team"));
    let long = format!("{},Long", "a".repeat(33));
    rota_in(
        empty.path(),
        now,
        &[
            "init",
            "--team",
            "T",
            "--timezone",
            "UTC",
            "--engineer",
            &long,
        ],
    )
    .assert()
    .code(2)
    .stderr(predicate::str::contains("is not a valid id: use up to 32"));
    assert!(
        std::fs::read_dir(empty.path()).unwrap().next().is_none(),
        "nothing written"
    );

    // In a git clone, init also registers both merge drivers in the clone's config.
    let clone = tempfile::tempdir().unwrap();
    git(clone.path(), &["init", "-q"]);
    rota_in(clone.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "registered the merge drivers in this clone's git config",
        ));
    let exe = env!("CARGO_BIN_EXE_rota");
    for (name, what, description) in [
        ("rota-log", "log", "rota: the on-call log, day by day\n"),
        (
            "rota-list",
            "list",
            "rota: on-call-list.toml, joining additions\n",
        ),
    ] {
        assert_eq!(
            git(clone.path(), &["config", &format!("merge.{name}.driver")]),
            format!("'{exe}' merge-driver {what} %O %A %B %P\n")
        );
        assert_eq!(
            git(clone.path(), &["config", &format!("merge.{name}.name")]),
            description
        );
    }
    // Registered once: the next command finds them.
    rota_in(clone.path(), "2026-11-23T09:00:00+01:00", &["who"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn commit_outside_a_repository_saves_but_says_it_did_not_commit() {
    let dir = tempfile::tempdir().unwrap();
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .success();
    rota_in(
        dir.path(),
        "2026-11-23T09:00:00+01:00",
        &["log", "--commit", "hello"],
    )
    .env("ROTA_USER", "alice")
    .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
    .assert()
    .code(1)
    .stderr(predicate::str::contains(
        "the files are saved but not committed",
    ));
    assert!(
        std::fs::read_to_string(dir.path().join("on-call-log.md"))
            .unwrap()
            .ends_with("\n## 2026-11-23 Mon\n\n- 08:00 UTC alice: hello\n")
    );
}

#[test]
fn commit_stages_only_rotas_files_with_a_message_that_says_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    identify(dir.path(), "alice");
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    git(dir.path(), &["add", "notes.txt"]);
    rota_in(
        dir.path(),
        "2026-11-23T09:00:00+01:00",
        &[INIT, &["--commit"]].concat(),
    )
    .assert()
    .success()
    // Committed already: what is left is to push.
    .stderr(predicate::str::ends_with(
        "rota: round 1 starts Mon 2026-11-23; next: push the commit, then every clone agrees\n",
    ));
    rota_in(
        dir.path(),
        "2026-11-23T17:05:00+01:00",
        &["handover", "--yes", "--commit"],
    )
    .assert()
    .success();
    let log = git(dir.path(), &["log", "--format=%s"]);
    let first: Vec<&str> = log.lines().collect();
    assert!(first[0].starts_with("rota: handover "), "{log}");
    assert!(first[0].ends_with("(Tue 2026-11-24)"), "{log}");
    assert_eq!(first[1], "rota: init Cloud SRE");
    // notes.txt stays staged, not committed.
    assert_eq!(
        git(dir.path(), &["diff", "--cached", "--name-only"]),
        "notes.txt\n"
    );
    // commit = true in the file makes it the default.
    let list = std::fs::read_to_string(dir.path().join("on-call-list.toml")).unwrap();
    std::fs::write(
        dir.path().join("on-call-list.toml"),
        list.replace("# commit = true", "commit = true"),
    )
    .unwrap();
    git(
        dir.path(),
        &["commit", "-qm", "commit by default", "on-call-list.toml"],
    );
    rota_in(
        dir.path(),
        "2026-11-24T10:00:00+01:00",
        &["log", "fixed quota drift"],
    )
    .assert()
    .success();
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s"]),
        "rota: log \"fixed quota drift\"\n"
    );
}

#[test]
fn two_clones_work_a_week_merging_both_ways_without_conflict_or_loss() {
    let root = tempfile::tempdir().unwrap();
    let origin = root.path().join("origin.git");
    git(
        root.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            origin.to_str().unwrap(),
        ],
    );
    let a = root.path().join("a");
    let b = root.path().join("b");
    git(root.path(), &["clone", "-q", origin.to_str().unwrap(), "a"]);
    identify(&a, "alice");
    git(&a, &["checkout", "-q", "-b", "main"]);
    rota_in(
        &a,
        "2026-11-23T08:00:00+01:00",
        &[INIT, &["--commit"]].concat(),
    )
    .assert()
    .success();
    rota_in(&a, "2026-11-23T08:00:00+01:00", &["who", "--commit"])
        .assert()
        .success();
    git(&a, &["push", "-q", "-u", "origin", "main"]);
    git(root.path(), &["clone", "-q", origin.to_str().unwrap(), "b"]);
    identify(&b, "bob");

    let days = [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ];
    let mut expected = Vec::new();
    for (i, day) in days.iter().enumerate() {
        let now = format!("{day}T11:00:00+01:00");
        for (clone, who) in [(&a, "alice"), (&b, "bob")] {
            let text = format!("{who} worked on {day}");
            rota_in(clone, &now, &["log", "--commit", "--as", who, &text])
                .assert()
                .success();
            expected.push(text);
        }
        // Both clones appended under the same day: integrate, one day by merge, the next by rebase,
        // alternating which clone goes first.
        let (first, second) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        git(first, &["push", "-q", "origin", "main"]);
        let pull: &[&str] = if i % 2 == 0 {
            &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]
        } else {
            &["pull", "-q", "--rebase", "origin", "main"]
        };
        git(second, pull);
        git(second, &["push", "-q", "origin", "main"]);
        git(first, &["pull", "-q", "--ff-only", "origin", "main"]);
        // The evening handover from whichever clone; the other pulls it.
        let evening = format!("{day}T17:05:00+01:00");
        rota_in(first, &evening, &["handover", "--yes", "--commit"])
            .assert()
            .success();
        git(first, &["push", "-q", "origin", "main"]);
        git(second, &["pull", "-q", "--ff-only", "origin", "main"]);
    }
    let log_a = std::fs::read_to_string(a.join("on-call-log.md")).unwrap();
    let log_b = std::fs::read_to_string(b.join("on-call-log.md")).unwrap();
    assert_eq!(log_a, log_b);
    for text in &expected {
        assert_eq!(
            log_a.matches(text.as_str()).count(),
            1,
            "lost or doubled: {text}\n{log_a}"
        );
    }
    assert_eq!(log_a.matches("### Handover").count(), 5);
    assert!(!log_a.contains("<<<<<<<"));
    rota_in(&a, "2026-11-28T10:00:00+01:00", &["check", "--strict"])
        .assert()
        .success();
}

#[test]
fn check_reports_broken_files_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .success();
    let log = "# log\n\n## 2026-11-24 Tue · on call: bob\n\n- 09:00 UTC bob: x\n\nA paragraph written by hand is fine.\n\n## 2026-11-23 Mon · on call: alice\n\n### Handover soon: alice to bob\n";
    std::fs::write(dir.path().join("on-call-log.md"), log).unwrap();
    let path = dir.path().join("on-call-log.md");
    // Each problem once, at its line; the paragraph written by hand is not one.
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", &["check"])
        .assert()
        .code(1)
        .stdout(format!(
            "{path}:9: error: day 2026-11-23 comes after 2026-11-24: the log must stay in order\n\
             {path}:11: error: handover heading should read `### Handover HH:MM UTC: FROM → TO`\n\
             {path}:11: error: handover record without its `- Served:` and `- Next:` lines\n",
            path = path.display()
        ))
        .stderr(
            "rota: error: check failed: 3 errors, 0 warnings\n\
             hint: fix the lines above; `rota check --strict` also fails on warnings\n",
        );
    let list = std::fs::read_to_string(dir.path().join("on-call-list.toml")).unwrap();
    std::fs::write(
        dir.path().join("on-call-list.toml"),
        list.replace("\"17:00\"", "\"7pm\""),
    )
    .unwrap();
    // A list that does not parse is the one problem reported (the log is not read).
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", &["check"])
        .assert()
        .code(1)
        .stdout(format!(
            "{}:9:17: error: handover-time \"7pm\" is not a time of day (hint: write it as HH:MM on a 24-hour clock, for example \"17:00\")\n  |\n9 | handover-time = \"7pm\"               # team-local wall-clock time of the daily handover\n  |                 ^^^^^\n",
            dir.path().join("on-call-list.toml").display()
        ))
        .stderr(
            "rota: error: check failed: 1 error, 0 warnings\n\
             hint: fix the lines above; `rota check --strict` also fails on warnings\n",
        );
}

#[test]
fn check_warns_about_a_day_nobody_can_take_and_fails_only_when_strict() {
    let dir = tempfile::tempdir().unwrap();
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .success();
    for id in ["alice", "bob", "carol"] {
        rota_in(
            dir.path(),
            "2026-11-23T09:00:00+01:00",
            &["away", id, "2026-12-02"],
        )
        .assert()
        .success();
    }
    // The one warning: the day nobody can take (init wrote the seed and the start, so there
    // is nothing else to say).
    let output = rota_in(dir.path(), "2026-11-23T09:00:00+01:00", &["check"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let list = dir.path().join("on-call-list.toml");
    assert!(
        stdout.starts_with(&format!("{}:", list.display()))
            && stdout.ends_with(": warning: no one is available on Wed 2026-12-02\n")
            && stdout.lines().count() == 1,
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "rota: check passed: 0 errors, 1 warning\n"
    );
    rota_in(
        dir.path(),
        "2026-11-23T09:00:00+01:00",
        &["check", "--strict"],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains(
        "check failed: 0 errors, 1 warning",
    ));
}

#[test]
fn an_engineer_added_by_hand_joins_the_round_without_a_commit() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    identify(dir.path(), "alice");
    rota_in(
        dir.path(),
        "2026-11-23T09:00:00+01:00",
        &[INIT, &["--commit"]].concat(),
    )
    .assert()
    .success();
    // Reading writes nothing, so --commit has nothing to commit.
    rota_in(
        dir.path(),
        "2026-11-23T09:00:00+01:00",
        &["who", "--commit"],
    )
    .assert()
    .success();
    assert_eq!(
        git(dir.path(), &["log", "--format=%s"]),
        "rota: init Cloud SRE\n"
    );
    // The log's first handover record fixes round 1's order.
    rota_in(
        dir.path(),
        "2026-11-23T17:05:00+01:00",
        &["handover", "--yes", "--commit"],
    )
    .assert()
    .success();
    let log = std::fs::read_to_string(dir.path().join("on-call-log.md")).unwrap();
    let round = log.lines().last().unwrap().to_string();
    assert!(round.starts_with("Round 1: "), "{log}");
    let list = dir.path().join("on-call-list.toml");
    let text = std::fs::read_to_string(&list).unwrap();
    let edited = text.replace(
        "[handover]",
        "[[engineer]]\nid = \"dave\"\nname = \"Dave\"\n\n[handover]",
    );
    std::fs::write(&list, &edited).unwrap();
    git(dir.path(), &["commit", "-qam", "add dave"]);
    // dave joins round 1 at its end, in memory: nothing is saved, said or committed.
    rota_in(
        dir.path(),
        "2026-11-23T09:00:00+01:00",
        &["who", "--commit"],
    )
    .assert()
    .success()
    .stderr("")
    .stdout(predicate::str::contains("\nRound 1\n"))
    .stdout(predicate::str::ends_with("  [ ] dave\n"));
    assert_eq!(std::fs::read_to_string(&list).unwrap(), edited);
    assert_eq!(git(dir.path(), &["log", "-1", "--format=%s"]), "add dave\n");
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("on-call-log.md")).unwrap(),
        log
    );
    // check notes it; a note never fails.
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", &["check"])
        .assert()
        .success()
        .stdout(format!(
            "{}:{}: note: dave joins round 1 at its end\n",
            list.display(),
            edited.lines().position(|l| l == "[[engineer]]").unwrap() + 1
        ));
    // A command that writes commits the list and the log, and only then.
    rota_in(
        dir.path(),
        "2026-11-24T10:00:00+01:00",
        &["log", "--commit", "dave joined"],
    )
    .assert()
    .success();
    assert_eq!(
        git(dir.path(), &["log", "-1", "--format=%s", "--name-only"]),
        "rota: log \"dave joined\"\n\non-call-log.md\n"
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
}

/// An init that stopped after writing the log (the list is written last) is completed by the
/// next one; a log with entries is never overwritten.
#[test]
fn a_half_made_init_is_completed_and_a_real_log_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("on-call-log.md");
    std::fs::write(
        &log,
        "# On-call log: Old name\n\nKept by `rota`: one section per working day, oldest first; times are UTC.\nrota only appends. Write your own notes anywhere; rota never changes them.\n",
    )
    .unwrap();
    rota_in(dir.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .success();
    assert!(dir.path().join("on-call-list.toml").exists());
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .starts_with("# On-call log: Cloud SRE\n")
    );

    let kept = tempfile::tempdir().unwrap();
    let log = kept.path().join("on-call-log.md");
    // A header as rota writes it, and one note by hand: a real log.
    let real = "# On-call log: Old name\n\nKept by `rota`: one section per working day, oldest first; times are UTC.\nrota only appends. Write your own notes anywhere; rota never changes them.\nThe pager is in the top drawer.\n";
    std::fs::write(&log, real).unwrap();
    rota_in(kept.path(), "2026-11-23T09:00:00+01:00", INIT)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("on-call-log.md already exists"));
    assert_eq!(std::fs::read_to_string(&log).unwrap(), real);
    assert!(!kept.path().join("on-call-list.toml").exists());
}
