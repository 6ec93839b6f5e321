//! The log is a ledger: what a push, a merge or a crash could bend, tried as an attacker (or
//! an unlucky teammate) would, through real git where a push is involved.

use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

use crate::common::{self, git, rota_in};

/// Monday 2026-11-23 and the days after it, in the team's zone (Europe/Prague, UTC+1).
const MON_10: &str = "2026-11-23T10:00:00+01:00";
const MON_17: &str = "2026-11-23T17:05:00+01:00";
const TUE_10: &str = "2026-11-24T10:00:00+01:00";
const TUE_17: &str = "2026-11-24T17:05:00+01:00";
const WED_10: &str = "2026-11-25T10:00:00+01:00";

/// A bare origin where `rota init` (alice, bob, carol) was pushed, and clones of it.
struct Origin {
    root: TempDir,
}

impl Origin {
    fn new() -> Origin {
        let root = tempfile::tempdir().unwrap();
        common::bare_origin(root.path());
        let origin = Origin { root };
        let founder = origin.clone_as("founder");
        rota_in(&founder, MON_10, common::INIT).assert().success();
        commit(&founder, "rota init");
        git(&founder, &["push", "-q", "-u", "origin", "main"]);
        origin
    }

    /// A clone whose git identity is `who@example.org` (the engineer rota takes it for).
    fn clone_as(&self, who: &str) -> PathBuf {
        common::clone_as(self.root.path(), who)
    }
}

fn commit(clone: &Path, message: &str) {
    git(clone, &["add", "-A"]);
    git(clone, &["commit", "-q", "-m", message]);
}

fn log_of(clone: &Path) -> String {
    std::fs::read_to_string(clone.join("on-call-log.md")).unwrap()
}

/// `rota ARGS` in `clone` at `now`: it must succeed; what it printed on stdout and stderr.
fn ok(clone: &Path, now: &str, args: &[&str]) -> (String, String) {
    let output = rota_in(clone, now, args).output().unwrap();
    assert!(
        output.status.success(),
        "rota {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    texts(&output)
}

fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Finding 6: `rota log` killed during its write, then a fast-forward pull of two entries a
/// teammate pushed, then `rota log` again: the teammate's bytes are not rota's, so they stay,
/// and rota says what it found, where, and what to do.
#[test]
fn crash_repair_keeps_a_teammates_entries_pulled_after_the_crash() {
    let origin = Origin::new();
    let (alice, bob) = (origin.clone_as("alice"), origin.clone_as("bob"));
    ok(&bob, MON_10, &["log", "first of the day"]);
    commit(&bob, "log");
    git(&bob, &["push", "-q"]);
    git(&alice, &["pull", "-q", "--ff-only"]);
    let killed = rota_in(&alice, MON_10, &["log", "the entry being written"])
        .env("ROTA_TEST_FAULT", "append:0")
        .output()
        .unwrap();
    assert_eq!(killed.status.code(), Some(137));
    assert!(alice.join(".git/rota-append-on-call-log.md").exists());
    ok(&bob, MON_10, &["log", "restarted the ingress"]);
    ok(&bob, MON_10, &["log", "quota fixed #quota"]);
    commit(&bob, "two entries");
    git(&bob, &["push", "-q"]);
    git(&alice, &["pull", "-q", "--ff-only"]);
    let pulled = log_of(&alice);
    assert_eq!(pulled, log_of(&bob));
    let (out, err) = ok(&alice, MON_10, &["log", "again"]);
    let line = pulled[..pulled.find("- 09:00 UTC bob: restarted").unwrap()]
        .lines()
        .count()
        + 1;
    let length = pulled.find("- 09:00 UTC bob: restarted").unwrap();
    let path = alice.join("on-call-log.md");
    assert_eq!(
        err,
        format!(
            "rota: warning: an append to {} was interrupted, and the log has changed since (a pull, an edit): what follows byte {length} (line {line}) is not what rota was writing, so rota left the log as it is\nhint: if a line rota was writing stands cut short after line {line}, delete it by hand; `rota check` shows the log's state\n",
            path.display()
        )
    );
    assert_eq!(out, "- 09:00 UTC alice: again\n");
    assert_eq!(
        log_of(&alice),
        format!("{pulled}- 09:00 UTC alice: again\n")
    );
    assert!(!alice.join(".git/rota-append-on-call-log.md").exists());
}

/// Part of an append, then a hand edit after it: the bytes after the append's start are not
/// only rota's, so nothing is removed.
#[test]
fn crash_repair_removes_nothing_after_a_hand_edit() {
    let team = common::Team::new();
    let log = "# Log\n\n## 2026-11-23 Mon\n\n- 08:00 UTC bob: before\n";
    team.write("on-call-log.md", log);
    let killed = team
        .rota(MON_10, &["log", "--as", "alice", "the entry being written"])
        .env("ROTA_TEST_FAULT", "append:10")
        .output()
        .unwrap();
    assert_eq!(killed.status.code(), Some(137));
    let cut = format!("{log}- 09:00 UT");
    assert_eq!(team.log(), cut);
    let edited = format!("{cut}\n\nSomeone's note, written by hand.\n");
    team.write("on-call-log.md", &edited);
    let check = team.rota(MON_10, &["check"]).output().unwrap();
    let (out, _) = texts(&check);
    assert!(
        out.contains(&format!(
            "on-call-log.md:6: warning: an append was interrupted, and the log has changed since (a pull, an edit): what follows byte {} is not what rota was writing",
            log.len()
        )),
        "{out}"
    );
    let output = team
        .rota(MON_10, &["log", "--as", "bob", "next"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(texts(&output).1.starts_with("rota: warning: an append to "));
    assert_eq!(team.log(), format!("{edited}\n- 09:00 UTC bob: next\n"));
}

/// Finding 7: four `handover --yes --force` in one minute, along an order that is not the
/// alphabet's: each record passes the turn on, and the rotation stands where the last one left
/// it, never back at an earlier one because of the names.
#[test]
fn four_handovers_in_one_minute_move_the_rotation_forward() {
    let team = common::Team::with_list(&format!(
        "{}\n[rotation]\nseed = 7\nround = 1\norder = [\"erin\", \"dave\", \"carol\", \"bob\", \"alice\"]\non-call = \"erin\"\nday = 2026-11-23\n",
        common::TEAM
    ));
    let mut passed = Vec::new();
    for _ in 0..4 {
        let (from, _) = team.on_call(MON_17);
        let output = team
            .rota(MON_17, &["handover", "--yes", "--force"])
            .env("ROTA_USER", &from)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", texts(&output).1);
        passed.push(team.on_call(MON_17));
    }
    assert_eq!(
        passed,
        [
            ("dave".to_string(), "2026-11-24".to_string()),
            ("carol".to_string(), "2026-11-25".to_string()),
            ("bob".to_string(), "2026-11-26".to_string()),
            ("alice".to_string(), "2026-11-27".to_string()),
        ]
    );
    let log = team.log();
    let headings: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("### Handover"))
        .collect();
    assert_eq!(
        headings,
        [
            "### Handover 16:05 UTC: erin → dave",
            "### Handover 16:05 UTC: dave → carol",
            "### Handover 16:05 UTC: carol → bob",
            "### Handover 16:05 UTC: bob → alice",
        ]
    );
    team.rota(MON_17, &["check"]).assert().success();
}

/// The 1-based line of `log` that starts with `start` (the last such line).
fn line_of(log: &str, start: &str) -> usize {
    let lines: Vec<&str> = log.lines().collect();
    lines.iter().rposition(|l| l.starts_with(start)).unwrap() + 1
}

/// A team whose Monday was handed over (pushed from the on-call engineer's clone), and a clone
/// that will pull what someone pushes next: `(origin, pusher, reader, from, to)`.
fn handed_over_monday() -> (Origin, PathBuf, PathBuf, String, String) {
    let origin = Origin::new();
    let (alice, bob) = (origin.clone_as("alice"), origin.clone_as("bob"));
    let who = rota_in(&alice, MON_17, &["who", "--json"])
        .output()
        .unwrap();
    let from = common::json(&who)["on_call"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let clone = origin.clone_as(&from);
    ok(&clone, MON_17, &["handover", "--yes", "--push"]);
    git(&alice, &["pull", "-q", "--ff-only"]);
    git(&bob, &["pull", "-q", "--ff-only"]);
    let to = on_call_json(&alice, TUE_10)["on_call"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (origin, bob, alice, from, to)
}

fn on_call_json(clone: &Path, now: &str) -> serde_json::Value {
    let output = rota_in(clone, now, &["who", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", texts(&output).1);
    common::json(&output)
}

/// Appends `text` to the log in `pusher`'s clone by hand, commits and pushes it; `reader`
/// pulls it (fast-forward).
fn push_by_hand(pusher: &Path, reader: &Path, text: &str) {
    let path = pusher.join("on-call-log.md");
    let log = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{log}{text}")).unwrap();
    commit(pusher, "log");
    git(pusher, &["push", "-q"]);
    git(reader, &["pull", "-q", "--ff-only"]);
}

/// `rota check` in `clone` at `now`: it fails (exit 1); its stdout.
fn check_fails(clone: &Path, now: &str, args: &[&str]) -> String {
    let output = rota_in(clone, now, &[&["check"], args].concat())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{args:?}: {}{}",
        texts(&output).0,
        texts(&output).1
    );
    texts(&output).0
}

/// Finding 4: pushed take-backs that break the rules `rota handover --undo` follows count for
/// nothing: signed by someone outside the team, written after the next engineer's day began,
/// or placed in an earlier day's section than the record. `who --json` still shows the
/// handover, and `check` names each at its line.
#[test]
fn a_pushed_take_back_that_breaks_a_rule_counts_for_nothing() {
    let cases = [
        (
            "mallory",
            "",
            "16:20",
            "mallory is not an engineer of the team the record names",
        ),
        (
            "FROM",
            "\n## 2026-11-24 Tue\n",
            "16:20",
            "it was written on Tue 2026-11-24, when TO's day (Tue 2026-11-24) had begun",
        ),
        (
            "FROM",
            "\n## 2026-11-20 Fri\n",
            "16:20",
            "it stands in 2026-11-20's section, before the day the record was written (Mon 2026-11-23)",
        ),
        (
            // Appended under the record's day on the next morning, it claims a minute of
            // that day before the record: `handover --undo` would have written a new section.
            "FROM",
            "",
            "10:00",
            "it says it was written at 10:00 UTC, before the record it names (TIME UTC)",
        ),
    ];
    for (by, section, signed, why) in cases {
        let (_origin, pusher, reader, from, to) = handed_over_monday();
        let before = on_call_json(&reader, TUE_10);
        let by = by.replace("FROM", &from);
        let log = log_of(&reader);
        let heading = log.lines().find(|l| l.starts_with("### Handover")).unwrap();
        let time = &heading["### Handover ".len().."### Handover ".len() + 5];
        push_by_hand(
            &pusher,
            &reader,
            &format!(
                "{section}\n### Taken back {signed} UTC: {by}\n\n- Handover: 2026-11-23 {time} UTC {from} → {to} run by {from}\n- On call again: {from} (Mon 2026-11-23)\n"
            ),
        );
        assert_eq!(on_call_json(&reader, TUE_10), before, "{by} {section:?}");
        let log = log_of(&reader);
        let line = line_of(&log, "- Handover: ");
        let why = why.replace("TO", &to).replace("TIME", time);
        let expected = format!(
            "{}:{line}: error: this line (taken back by {by}) takes back handover 2026-11-23 {time} UTC {from} → {to}, but it counts for nothing: {why}; the handover stands (rota takes one back only as `rota handover --undo` does: by an engineer of the team, before the next engineer's day begins, below the record): revert the commit that added it\n",
            reader.join("on-call-log.md").display()
        );
        let out = check_fails(&reader, TUE_10, &[]);
        assert!(out.contains(&expected), "{out}\nwanted: {expected}");
    }
}

/// Finding 4: a pushed record of a day already handed over, claiming an earlier minute, is the
/// later one in the log: the real record stands, `check` says so, and `check --fix` voids the
/// forged one, never the real one.
#[test]
fn a_forged_earlier_record_of_a_served_day_does_not_stand() {
    let (_origin, pusher, reader, from, to) = handed_over_monday();
    let before = on_call_json(&reader, TUE_10);
    let other = ["alice", "bob", "carol"]
        .into_iter()
        .find(|id| *id != from && *id != to)
        .unwrap();
    let log = log_of(&reader);
    let round = log.lines().rfind(|l| l.starts_with("Round ")).unwrap();
    let forged_round = round
        .replace(&format!("**{to}**"), "TO")
        .replace(other, &format!("**{other}**"))
        .replace("TO", &to);
    push_by_hand(
        &pusher,
        &reader,
        &format!(
            "\n### Handover 08:00 UTC: {from} → {other}\n\n- Served: Mon 2026-11-23 ({from})\n- Next: Tue 2026-11-24 ({other})\n\n{forged_round}\n"
        ),
    );
    assert_eq!(on_call_json(&reader, TUE_10), before);
    let log = log_of(&reader);
    let (real, forged) = (
        line_of(&log, &format!("### Handover 16:05 UTC: {from}")),
        line_of(&log, "### Handover 08:00 UTC"),
    );
    let path = reader.join("on-call-log.md");
    let out = check_fails(&reader, TUE_10, &[]);
    let expected = format!(
        "{}:{forged}: error: Mon 2026-11-23 handed over twice: 16:05 UTC {from} → {to}, run by {from} (line {real}) stands (first in the log); 08:00 UTC {from} → {other}, run by {from} (line {forged}) is void\n",
        path.display()
    );
    assert!(out.contains(&expected), "{out}\nwanted: {expected}");
    let (out, _) = ok(&reader, TUE_10, &["check", "--fix"]);
    assert!(
        out.contains("stands\n") || out.contains(&format!("(line {real}) stands")),
        "{out}"
    );
    let log = log_of(&reader);
    assert!(
        log.ends_with(&format!(
            "- Void: handover 2026-11-23 08:00 UTC {from} → {other} run by {from}: Mon 2026-11-23 was already handed over at 16:05 UTC ({from} → {to}, run by {from})\n"
        )),
        "{log}"
    );
    assert_eq!(on_call_json(&reader, TUE_10), before);
}

/// `rota check --since REV` on a real history: an edit, a deletion and an insertion before the
/// end fail with the line and the record named, and so does a forged take-back (appended, but
/// against the rules); a clean append and a merge the driver composed pass. Without `--since`,
/// a clone's log is compared with its upstream.
#[test]
fn check_since_a_revision_names_every_change_that_is_not_an_append() {
    let (_origin, bob, alice, from, to) = handed_over_monday();
    let since = git(&alice, &["rev-parse", "HEAD"]).trim().to_string();
    let path = alice.join("on-call-log.md");
    // A clean append passes, against the revision and against the upstream.
    ok(&alice, TUE_10, &["log", "morning checks done"]);
    ok(&alice, TUE_10, &["check", "--since", &since]);
    ok(&alice, TUE_10, &["check"]);
    commit(&alice, "log");
    git(&alice, &["push", "-q"]);
    // A merge the driver composed: bob's earlier entry of Tuesday goes above alice's.
    ok(
        &bob,
        "2026-11-24T09:30:00+01:00",
        &["log", "ran the backup drill"],
    );
    commit(&bob, "log");
    git(&bob, &["pull", "-q", "--no-rebase"]);
    let merged = log_of(&bob);
    assert!(
        merged.find("08:30 UTC bob").unwrap() < merged.find("09:00 UTC alice").unwrap(),
        "{merged}"
    );
    ok(&bob, TUE_10, &["check", "--since", "origin/main"]);
    ok(&bob, TUE_10, &["check", "--since", &since]);

    let log = log_of(&alice);
    let heading = log
        .lines()
        .find(|l| l.starts_with("### Handover"))
        .unwrap()
        .to_string();
    let served = format!("- Served: Mon 2026-11-23 ({from})");
    let served_at = line_of(&log, &served);
    let told = line_of(&log, "* [x] Told the next engineer");
    let cases = [
        (
            log.replace(
                &served,
                &format!("- Served: Sat 2026-11-21, Mon 2026-11-23 ({from})"),
            ),
            format!(
                "{}:{served_at}: error: since {since}, this line was edited: line {served_at} read `{served}`, in `{heading}`; the log only grows: restore the line as it was\n",
                path.display()
            ),
        ),
        (
            log.replace("* [x] Told the next engineer what is still open\n", ""),
            format!(
                "{}:{told}: error: since {since}, line {told} was deleted: `* [x] Told the next engineer what is still open`, in `{heading}`; the log only grows: restore it\n",
                path.display(),
            ),
        ),
        (
            log.replace(&served, &format!("{served}\n- Run by: carol")),
            format!(
                "{}:{}: error: since {since}, this line was put before the end, in `{heading}`, where neither rota nor its merge driver writes: the log only grows at the end; remove it, and append what it says\n",
                path.display(),
                served_at + 1
            ),
        ),
        (
            format!(
                "{log}\n### Taken back 09:10 UTC: mallory\n\n- Handover: 2026-11-23 16:05 UTC {from} → {to} run by {from}\n"
            ),
            format!(
                "{}:{}: error: this line (taken back by mallory) takes back handover 2026-11-23 16:05 UTC {from} → {to}, but it counts for nothing: mallory is not an engineer of the team the record names",
                path.display(),
                line_of(&log, "- 09:00 UTC alice") + 4
            ),
        ),
    ];
    for (changed, expected) in &cases {
        std::fs::write(&path, changed).unwrap();
        let out = check_fails(&alice, TUE_10, &["--since", &since]);
        assert!(out.contains(expected), "{out}\nwanted: {expected}");
        // In the clone, against its upstream, the same.
        let out = check_fails(&alice, TUE_10, &[]);
        let upstream = expected.replace(&format!("since {since}"), "since origin/main");
        assert!(out.contains(&upstream), "{out}\nwanted: {upstream}");
    }
    std::fs::write(&path, &log).unwrap();
    // An unknown revision is a usage error that says what to name.
    let output = rota_in(&alice, TUE_10, &["check", "--since", "nosuchrev"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        texts(&output).1,
        "rota: error: git knows no commit \"nosuchrev\" here\nhint: name a commit, a branch or a tag of this repository (`git log --oneline` lists them); fetch it first if it is a remote's\n"
    );
}

/// A record that contradicts itself is an error at its line, whoever pushed it: its Served line
/// naming someone else than its heading, a weekend served, a round line that does not follow
/// from the record before it.
#[test]
fn a_record_that_contradicts_itself_is_an_error() {
    let team = common::Team::with_list(&format!(
        "{}\n[rotation]\nseed = 7\nround = 1\norder = [\"erin\", \"dave\", \"carol\", \"bob\", \"alice\"]\non-call = \"erin\"\nday = 2026-11-23\n",
        common::TEAM
    ));
    for (user, now) in [("erin", MON_17), ("dave", "2026-11-24T17:05:00+01:00")] {
        team.rota(now, &["handover", "--yes"])
            .env("ROTA_USER", user)
            .assert()
            .success();
    }
    let log = team.log();
    let now = "2026-11-25T10:00:00+01:00";
    team.rota(now, &["check"]).assert().success();
    let path = team.path("on-call-log.md");
    let second = line_of(&log, "### Handover 16:05 UTC: dave");
    let cases = [
        (
            log.replace(
                "- Served: Tue 2026-11-24 (dave)",
                "- Served: Tue 2026-11-24 (carol)",
            ),
            format!(
                "{}:{second}: error: this handover record contradicts itself: its Served line names carol, but its heading hands over from dave; restore it as rota wrote it\n",
                path.display()
            ),
        ),
        (
            log.replace(
                "- Served: Tue 2026-11-24 (dave)",
                "- Served: Sun 2026-11-22, Tue 2026-11-24 (dave)",
            ),
            format!(
                "{}:{second}: error: this handover record contradicts itself: it says Sun 2026-11-22 was served, which is not a working day (a weekend or a holiday); restore it as rota wrote it\n",
                path.display()
            ),
        ),
        (
            log.replace(
                "Round 1: ~~erin~~, ~~dave~~, **carol**",
                "Round 1: erin, ~~dave~~, **carol**",
            ),
            format!(
                "{}:{second}: error: this handover record does not follow from the one at line {}: its round line puts erin back in round 1, which erin had served; restore it as rota wrote it\n",
                path.display(),
                line_of(&log, "### Handover 16:05 UTC: erin")
            ),
        ),
    ];
    for (changed, expected) in &cases {
        assert_ne!(changed, &log);
        team.write("on-call-log.md", changed);
        let output = team.rota(now, &["check"]).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let out = texts(&output).0;
        assert!(out.contains(expected), "{out}\nwanted: {expected}");
    }
}

/// A pulled `log = ...` that points the team at another file leaves every record behind:
/// `check --since` names the change at the list's line, as it names an edited log line.
#[test]
fn check_since_names_a_log_moved_to_another_file() {
    let (_origin, _bob, alice, _from, _to) = handed_over_monday();
    let since = git(&alice, &["rev-parse", "HEAD"]).trim().to_string();
    let list = std::fs::read_to_string(alice.join("on-call-list.toml")).unwrap();
    let moved = list.replacen("log = \"on-call-log.md\"", "log = \"newlog.md\"", 1);
    assert_ne!(moved, list);
    std::fs::write(alice.join("on-call-list.toml"), &moved).unwrap();
    commit(&alice, "the log elsewhere");
    let line = line_of(&moved, "log = ");
    let out = check_fails(&alice, TUE_10, &["--since", &since]);
    let expected = format!(
        "{}:{line}: error: since {since}, the list's `log` moved the team's log from on-call-log.md to newlog.md: the records of the rotation stay in the old file, which rota no longer reads; restore `log` as it was\n",
        alice.join("on-call-list.toml").display()
    );
    assert!(out.contains(&expected), "{out}\nwanted: {expected}");
}

/// The findings of `check` about the log's history (`since ...`), in the order printed.
fn history_findings(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.contains(": error: since "))
        .map(str::to_string)
        .collect()
}

/// `git rev-parse --short=7 REV`.
fn short(clone: &Path, rev: &str) -> String {
    git(clone, &["rev-parse", "--short=7", rev])
        .trim()
        .to_string()
}

/// `check --since REV` on a real history, commit by commit: an edit, a deletion, an insertion
/// inside a record, a hand-written take-back put in the tail, a block set out of the day's
/// order, and an edit undone in the next commit each fail, naming the commit and the line (as
/// that commit left the log) with the record it touches. The edit undone passes a comparison
/// of REV with now, but the log is a ledger: each commit may only append.
#[test]
fn check_since_judges_each_commit_on_the_way() {
    let (_origin, _bob, alice, from, to) = handed_over_monday();
    let since = git(&alice, &["rev-parse", "HEAD"]).trim().to_string();
    let path = alice.join("on-call-log.md");
    ok(&alice, TUE_10, &["log", "morning checks done"]);
    commit(&alice, "log");
    let base = git(&alice, &["rev-parse", "HEAD"]).trim().to_string();
    ok(&alice, TUE_10, &["check", "--since", &since]);
    let log = log_of(&alice);
    let heading = format!("### Handover 16:05 UTC: {from} → {to}");
    let served = format!("- Served: Mon 2026-11-23 ({from})");
    let served_at = line_of(&log, &served);
    let told = "* [x] Told the next engineer what is still open";
    let told_at = line_of(&log, told);
    let take_back = format!(
        "### Taken back 09:10 UTC: mallory\n\n- Handover: 2026-11-23 16:05 UTC {from} → {to} run by {from}\n\n"
    );
    // (what the commit writes, the findings: line and message after `since {since}, commit C`)
    let cases: [(String, Vec<(usize, String)>); 3] = [
        (
            log.replace(
                &served,
                &format!("- Served: Sat 2026-11-21, Mon 2026-11-23 ({from})"),
            ),
            vec![(
                served_at,
                format!(
                    "edited line {served_at}: it read `{served}`, in `{heading}`; the log only grows: take it out of C before it is pushed (git rebase -i C~1)"
                ),
            )],
        ),
        (
            log.replace(&format!("{told}\n"), ""),
            vec![(
                told_at,
                format!(
                    "deleted line {told_at}: `{told}`, in `{heading}`; the log only grows: take it out of C before it is pushed (git rebase -i C~1)"
                ),
            )],
        ),
        (
            log.replace(&served, &format!("{served}\n- Run by: carol")),
            vec![(
                served_at + 1,
                format!(
                    "put this line before the end, in `{heading}`, where neither rota nor its merge driver writes: the log only grows at the end; take it out of C before it is pushed (git rebase -i C~1)"
                ),
            )],
        ),
        // A take-back set by hand at the end of Monday's section is a whole block where the
        // driver could set one (a take-back made offline, then rebased), and so is an entry
        // there: the history lets them be, and the rules of take-backs judge the first (below).
    ];
    for (changed, expected) in &cases {
        std::fs::write(&path, changed).unwrap();
        commit(&alice, "by hand");
        let c = short(&alice, "HEAD");
        let want: Vec<String> = expected
            .iter()
            .map(|(line, message)| {
                format!(
                    "{}:{line}: error: since {since}, commit {c} {}",
                    path.display(),
                    message
                        .replace("C~1", &format!("{c}~1"))
                        .replace(" C ", &format!(" {c} "))
                )
            })
            .collect();
        let out = check_fails(&alice, TUE_10, &["--since", &since]);
        assert_eq!(history_findings(&out), want, "{out}");
        // From the commit before it, the same.
        let out = check_fails(&alice, TUE_10, &["--since", &base]);
        let from_base: Vec<String> = want.iter().map(|w| w.replace(&since, &base)).collect();
        assert_eq!(history_findings(&out), from_base, "{out}");
        git(&alice, &["reset", "-q", "--hard", &base]);
    }

    // A forged take-back in the tail: no history finding, and the rules of take-backs name
    // it (mallory is no engineer of the team).
    std::fs::write(
        &path,
        log.replace(
            "## 2026-11-24 Tue",
            &format!("{take_back}## 2026-11-24 Tue"),
        ),
    )
    .unwrap();
    commit(&alice, "by hand");
    let out = check_fails(&alice, TUE_10, &["--since", &since]);
    assert_eq!(history_findings(&out), Vec::<String>::new(), "{out}");
    assert!(
        out.contains("(taken back by mallory) takes back handover 2026-11-23 16:05 UTC"),
        "{out}"
    );
    git(&alice, &["reset", "-q", "--hard", &base]);

    // An edit undone by the next commit: now is what REV was, and both commits are named.
    let edited = log.replace(
        &served,
        &format!("- Served: Sat 2026-11-21, Mon 2026-11-23 ({from})"),
    );
    std::fs::write(&path, &edited).unwrap();
    commit(&alice, "edit");
    let (edit, edited_line) = (
        short(&alice, "HEAD"),
        edited.lines().nth(served_at - 1).unwrap().to_string(),
    );
    std::fs::write(&path, &log).unwrap();
    commit(&alice, "undo");
    let undo = short(&alice, "HEAD");
    git(&alice, &["diff", "--quiet", &base, "HEAD", "--"]);
    let out = check_fails(&alice, TUE_10, &["--since", &base]);
    assert_eq!(
        history_findings(&out),
        [
            format!(
                "{}:{served_at}: error: since {base}, commit {edit} edited line {served_at}: it read `{served}`, in `{heading}`; the log only grows: take it out of {edit} before it is pushed (git rebase -i {edit}~1)",
                path.display()
            ),
            format!(
                "{}:{served_at}: error: since {base}, commit {undo} edited line {served_at}: it read `{edited_line}`, in `{heading}`; the log only grows: take it out of {undo} before it is pushed (git rebase -i {undo}~1)",
                path.display()
            ),
        ],
        "{out}"
    );
    git(&alice, &["reset", "-q", "--hard", &base]);
    ok(&alice, TUE_10, &["check", "--since", &since]);
}

/// A pushed `.gitattributes` that tells git the log is binary, or not to diff it, hides
/// nothing: rota reads each version as git stores it.
#[test]
fn check_since_sees_through_gitattributes() {
    let (_origin, _bob, alice, from, _to) = handed_over_monday();
    let since = git(&alice, &["rev-parse", "HEAD"]).trim().to_string();
    let path = alice.join("on-call-log.md");
    let log = log_of(&alice);
    let served = format!("- Served: Mon 2026-11-23 ({from})");
    let served_at = line_of(&log, &served);
    let heading = log
        .lines()
        .find(|l| l.starts_with("### Handover"))
        .unwrap()
        .to_string();
    for attributes in [
        "on-call-log.md -diff\n",
        "on-call-log.md binary\n",
        "* -text -diff\n",
    ] {
        std::fs::write(alice.join(".gitattributes"), attributes).unwrap();
        std::fs::write(
            &path,
            log.replace(&served, &format!("{served}, Sat 2026-11-21 ({from})")),
        )
        .unwrap();
        commit(&alice, "attributes and an edit");
        let c = short(&alice, "HEAD");
        let out = check_fails(&alice, TUE_10, &["--since", &since]);
        assert_eq!(
            history_findings(&out),
            [format!(
                "{}:{served_at}: error: since {since}, commit {c} edited line {served_at}: it read `{served}`, in `{heading}`; the log only grows: take it out of {c} before it is pushed (git rebase -i {c}~1)",
                path.display()
            )],
            "{attributes}: {out}"
        );
        git(&alice, &["reset", "-q", "--hard", &since]);
    }
}

/// What two clones' appends become through rota's merge driver passes, whichever clone pulls
/// first, merged or rebased (a rebased commit has one parent, and its entry set above the
/// other clone's by the driver); a merge commit that brings a line of its own fails, and so
/// does a branch whose history no longer holds the revision.
#[test]
fn check_since_passes_driver_merges_and_names_what_they_did_not_compose() {
    let (_origin, bob, alice, _from, _to) = handed_over_monday();
    let since = git(&alice, &["rev-parse", "HEAD"]).trim().to_string();
    let tuesday = |clone: &Path, time: &str, what: &str| {
        ok(
            clone,
            &format!("2026-11-24T{time}:00+01:00"),
            &["log", what],
        );
        commit(clone, "log");
    };
    // alice pushes first, bob merges; then bob pushes first, alice merges.
    ok(&alice, TUE_10, &["log", "alice at ten"]);
    commit(&alice, "log");
    git(&alice, &["push", "-q"]);
    tuesday(&bob, "09:30", "bob at half past nine");
    git(&bob, &["pull", "-q", "--no-rebase"]);
    git(&bob, &["push", "-q"]);
    ok(
        &alice,
        "2026-11-24T11:00:00+01:00",
        &["log", "alice at eleven"],
    );
    commit(&alice, "log");
    git(&alice, &["pull", "-q", "--no-rebase"]);
    assert_eq!(
        git(
            &alice,
            &["rev-list", "--merges", "--count", &format!("{since}..HEAD")]
        )
        .trim(),
        "2"
    );
    let log = log_of(&alice);
    assert!(
        log.find("08:30 UTC bob").unwrap() < log.find("09:00 UTC alice").unwrap(),
        "{log}"
    );
    ok(
        &alice,
        "2026-11-24T11:00:00+01:00",
        &["check", "--since", &since],
    );
    git(&alice, &["push", "-q"]);
    // A rebase: bob's earlier entry is set above alice's in a commit with one parent.
    tuesday(&bob, "09:40", "bob at twenty to ten");
    git(&bob, &["pull", "-q", "--rebase"]);
    assert_eq!(
        git(
            &bob,
            &[
                "rev-list",
                "--count",
                "--max-parents=1",
                "origin/main..HEAD"
            ]
        )
        .trim(),
        "1"
    );
    let log = log_of(&bob);
    assert!(
        log.find("08:40 UTC bob").unwrap() < log.find("10:00 UTC alice").unwrap(),
        "{log}"
    );
    ok(
        &bob,
        "2026-11-24T11:00:00+01:00",
        &["check", "--since", &since],
    );
    ok(&bob, "2026-11-24T11:00:00+01:00", &["check"]);

    // A merge that writes a line of its own.
    let base = git(&bob, &["rev-parse", "HEAD"]).trim().to_string();
    tuesday(&alice, "11:30", "alice again");
    git(&alice, &["push", "-q"]);
    git(&bob, &["pull", "-q", "--no-rebase", "--no-commit"]);
    let path = bob.join("on-call-log.md");
    let merged = format!("{}- 10:30 UTC mallory: in no parent\n", log_of(&bob));
    std::fs::write(&path, &merged).unwrap();
    git(&bob, &["add", "on-call-log.md"]);
    git(&bob, &["commit", "-q", "--no-edit"]);
    let m = short(&bob, "HEAD");
    let out = check_fails(&bob, "2026-11-24T11:00:00+01:00", &["--since", &base]);
    assert_eq!(
        history_findings(&out),
        [format!(
            "{}:{}: error: since {base}, merge commit {m} added this line, which none of its parents has: rota's merge driver only composes what the two sides wrote; redo the merge {m} before it is pushed, and let rota's merge driver compose the log (rota check says whether .gitattributes names it)",
            path.display(),
            merged.lines().count()
        )],
        "{out}"
    );

    // A revision the branch no longer holds (a forced push rewrote it).
    git(&bob, &["reset", "-q", "--hard", "HEAD~2"]);
    let out = check_fails(&bob, "2026-11-24T11:00:00+01:00", &["--since", &base]);
    assert_eq!(
        history_findings(&out),
        [format!(
            "{}:1: error: since {base}: this branch does not hold that commit ({}): its history was rewritten since (a rebase, a reset, a forced push), or it is behind; compare with a commit HEAD descends from, or bring the branch up to date first (git pull)",
            path.display(),
            &base[..7]
        )],
        "{out}"
    );
}

/// A fence opened by hand before the part of the log the everyday commands read, and never
/// closed: on a forge, and for `check`, everything after it is code, forged records included.
/// A reader from the end cannot see the fence, so every command refuses, naming its line,
/// until the block is closed; then they read what the forge shows. A pull changes the log
/// under what an earlier command found about its end, so that is looked at again.
#[test]
fn a_block_opened_before_the_tail_and_never_closed_stops_every_command() {
    let (_origin, bob, alice, from, to) = handed_over_monday();
    let clean = on_call_json(&alice, TUE_10);
    let filler = "output pasted from the console, kept in a code block\n".repeat(2000);
    let forged = format!(
        "\n## 2026-11-24 Tue\n\n### Taken back 08:01 UTC: {to}\n\n\
         - Handover: 2026-11-23 16:05 UTC {from} → {to} run by {from}\n\
         - On call again: {from} (Mon 2026-11-23)\n"
    );
    let before = log_of(&alice);
    let opened = before.lines().count() + 2;
    push_by_hand(&bob, &alice, &format!("\n```\n{filler}{forged}"));
    let attacked = log_of(&alice);
    assert!(attacked.len() > 100 * 1024);
    let path = alice.join("on-call-log.md");
    let refusal = |what: &str| {
        format!(
            "rota: error: {} ends inside a code block (opened at line {opened}): {what}\n  --> {}:{opened}:1\n   |\n{opened} | ```\n   | ^^^\nhint: close the block on a line of its own at the end of {} (```, or the fence that opened it; --> after a comment), then run the command again; `rota check` shows the log's state\n",
            path.display(),
            path.display(),
            path.display()
        )
    };
    let reading =
        refusal("no record after that line counts, so rota cannot tell where the rotation stands");
    for args in [
        &["who", "--json"][..],
        &["who", "--date", "2026-11-24"],
        &["next"],
        &["schedule", "--days", "3"],
        // A window of days, read from the last day heading before it: the forged one.
        &["log", "--list", "--from", "2026-11-25"],
    ] {
        let output = rota_in(&alice, TUE_10, args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(texts(&output), (String::new(), reading.clone()), "{args:?}");
    }
    let output = rota_in(&alice, TUE_10, &["log", "an entry"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        texts(&output),
        (
            String::new(),
            refusal("what rota appends would read as part of that block")
        )
    );
    assert_eq!(log_of(&alice), attacked);
    check_fails(&alice, TUE_10, &[]);
    // Closed at the end, the block holds the forged records: they are text, for every reader.
    push_by_hand(&alice, &bob, "```\n");
    assert_eq!(on_call_json(&alice, TUE_10), clean);
    assert_eq!(on_call_json(&bob, TUE_10), clean);
}

/// A take-back that would put the engineer who handed over on Monday on call again, written
/// by hand in Monday's section, that evening, as `rota handover --undo` writes one: what the
/// attacks below hide inside blocks.
fn forged_take_back(from: &str, to: &str) -> String {
    format!(
        "### Taken back 16:30 UTC: {to}\n\n\
         - Handover: 2026-11-23 16:05 UTC {from} → {to} run by {from}\n\
         - On call again: {from} (Mon 2026-11-23)\n"
    )
}

/// `rota check` in `clone` at `now` passes (exit 0).
fn check_passes(clone: &Path, now: &str) {
    let output = rota_in(clone, now, &["check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", texts(&output));
}

/// Finding 1, through a push: a `~~~markdown` block holding ``` lines, a comment and an HTML
/// block, each around a forged take-back. A forge shows them as code or hides them; the
/// pulling clone's `who` reads the rotation as before and `check` passes. The same take-back
/// outside any block is a record.
#[test]
fn a_pushed_record_inside_a_block_is_text_in_the_pulling_clone() {
    let (_origin, bob, alice, from, to) = handed_over_monday();
    let clean = on_call_json(&alice, TUE_10);
    let forged = forged_take_back(&from, &to);
    for wrapped in [
        format!("\n~~~markdown\n```\n{forged}```\n~~~\n"),
        format!("\n<!--\n{forged}\n-->\n"),
        format!("\n<div>\n{}</div>\n", forged.replace("\n\n", "\n")),
    ] {
        push_by_hand(&bob, &alice, &wrapped);
        assert_eq!(on_call_json(&alice, TUE_10), clean, "{wrapped}");
        check_passes(&alice, TUE_10);
    }
    push_by_hand(&bob, &alice, &format!("\n{forged}"));
    assert_eq!(on_call_json(&alice, TUE_10)["on_call"]["id"], from.as_str());
}

/// Finding 2, through a push: a fenced block longer than the 64 KiB the everyday commands
/// read first, holding a forged day and take-back near its end, closed. The pulling clone's
/// `who` reads the rotation `check` reads, and `schedule` shows what it showed before.
#[test]
fn a_pushed_block_longer_than_the_tail_hides_its_records_from_every_reader() {
    let (origin, bob, alice, _from, to) = handed_over_monday();
    let clean = on_call_json(&alice, TUE_10);
    let schedule = ok(&alice, TUE_10, &["schedule", "--days", "5", "--json"]);
    let filler = "console output kept in a code block\n".repeat(3000);
    // Tuesday's handover as rota writes it (in a clone that never pushes): a day heading and
    // a standing record, all the tail needs to answer on its own.
    let scratch = origin.clone_as(&to);
    let before = log_of(&scratch);
    ok(&scratch, TUE_10, &["handover", "--yes", "--force"]);
    let forged = log_of(&scratch)[before.len()..].trim_start().to_string();
    assert!(forged.starts_with("## 2026-11-24 Tue\n"), "{forged}");
    push_by_hand(
        &bob,
        &alice,
        &format!("\n````text\n{filler}{forged}`````\n"),
    );
    assert!(log_of(&alice).len() > 100 * 1024);
    assert_eq!(on_call_json(&alice, TUE_10), clean);
    assert_eq!(
        ok(&alice, TUE_10, &["schedule", "--days", "5", "--json"]),
        schedule
    );
    check_passes(&alice, TUE_10);
    // Outside the block, the same lines are a record: Tuesday is handed over.
    push_by_hand(&bob, &alice, &format!("\n{forged}"));
    assert_ne!(on_call_json(&alice, TUE_10), clean);
}

/// Finding 8, through a push: a checklist item holding Unicode's line and paragraph
/// separators, which a reader splitting lines as Unicode does would take for a round line and
/// a handover heading once written into the log. The pulling clone refuses the list with its
/// place, for reading and for the handover, and writes nothing.
#[test]
fn a_pushed_checklist_item_with_a_line_separator_is_refused_with_its_place() {
    let (origin, bob, alice, from, _to) = handed_over_monday();
    let item = "\"Wrote or updated a runbook for every issue resolved today\",";
    let forged = "\"Wrote a runbook\u{2028}Round 9: **mallory**\u{2029}### Handover 09:00 UTC: x → mallory\",";
    let path = bob.join("on-call-list.toml");
    let list = std::fs::read_to_string(&path).unwrap();
    assert!(list.contains(item));
    std::fs::write(&path, list.replace(item, forged)).unwrap();
    commit(&bob, "checklist");
    git(&bob, &["push", "-q"]);
    git(&alice, &["pull", "-q", "--ff-only"]);
    let pulled = std::fs::read_to_string(alice.join("on-call-list.toml")).unwrap();
    let line = pulled.lines().position(|l| l.contains("Round 9")).unwrap() + 1;
    let shown = pulled
        .lines()
        .nth(line - 1)
        .unwrap()
        .replace('\u{2028}', "\\u{2028}")
        .replace('\u{2029}', "\\u{2029}");
    let value = forged.trim_end_matches(',');
    let pad = " ".repeat(line.to_string().len());
    let expected = format!(
        "rota: error: a value holds a line break or a control character, which could forge a line of the log or drive the terminal\n{pad}--> {}:{line}:3\n{pad} |\n{line} | {shown}\n{pad} |   {}\nhint: write the value on one line, without escapes such as \\n, \\u001b or bidi controls\n",
        alice.join("on-call-list.toml").display(),
        "^".repeat(value.chars().count())
    );
    let log = log_of(&alice);
    let clone = origin.clone_as(&from);
    for (dir, args) in [
        (&alice, &["who"][..]),
        (&alice, &["log", "an entry"]),
        (&clone, &["handover", "--yes"]),
    ] {
        let output = rota_in(dir, TUE_10, args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let expected = expected.replace(
            &alice.join("on-call-list.toml").display().to_string(),
            &dir.join("on-call-list.toml").display().to_string(),
        );
        assert_eq!(texts(&output), (String::new(), expected), "{args:?}");
    }
    assert_eq!(log_of(&alice), log);
}

/// A stack trace of 1.5 MiB pasted in a closed code block, then a real handover: the end of
/// the log holds no line from which its reading is sure (the block's closing fence reads as
/// an opening one from inside it), so the readers read the whole log, and use what they read:
/// `who` names the engineer the handover passed the pager to, as `check` does.
#[test]
fn a_handover_after_a_mebibyte_of_pasted_code_is_read_from_the_whole_log() {
    let (origin, bob, alice, _from, to) = handed_over_monday();
    let next = on_call_json(&alice, TUE_10)["next"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let trace: String = (0..50_000)
        .map(|i| format!("    at frame {i} (src/main.rs:{i})\n"))
        .collect();
    push_by_hand(
        &bob,
        &alice,
        &format!("\nstack trace pasted by bob:\n\n```\n{trace}```\n"),
    );
    let serving = origin.clone_as(&to);
    ok(&serving, TUE_17, &["handover", "--yes", "--push"]);
    git(&alice, &["pull", "-q", "--ff-only"]);
    assert!(log_of(&alice).len() > 1536 * 1024);
    let who = on_call_json(&alice, WED_10);
    assert_eq!(
        (who["on_call"]["id"].as_str(), who["status"].as_str()),
        (Some(next.as_str()), Some("on call"))
    );
    check_passes(&alice, WED_10);
}

/// Review finding: a carriage return alone ends a line for CommonMark and not for rota, so
/// `note\r```` opens a code block on a forge that rota never sees, and records inside it
/// counted for rota only. Pushed, every command of the pulling clone refuses, naming the place,
/// and `check` names it.
#[test]
fn a_pushed_carriage_return_that_ends_no_line_stops_every_command() {
    let (_origin, bob, alice, from, to) = handed_over_monday();
    let forged = forged_take_back(&from, &to);
    push_by_hand(
        &bob,
        &alice,
        &format!("\nnote\r```\n\n{forged}\nend\r```\n"),
    );
    let log = log_of(&alice);
    let line = log.lines().position(|l| l.starts_with("note\r")).unwrap() + 1;
    let path = alice.join("on-call-log.md");
    let pad = " ".repeat(line.to_string().len());
    let refusal = format!(
        "rota: error: {} holds a carriage return that ends no line (line {line}, column 5): a forge breaks the line there and rota does not, so they could read the log differently\n{pad}--> {}:{line}:5\n{pad} |\n{line} | note\\u{{d}}```\n{pad} |     ^\nhint: delete that character, or make it a line break, in {}; then run the command again (`rota check` names every one)\n",
        path.display(),
        path.display(),
        path.display()
    );
    for args in [
        &["who"][..],
        &["log", "an entry"],
        &["log", "--list", "--from", "2026-11-24"],
    ] {
        let output = rota_in(&alice, TUE_10, args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert_eq!(texts(&output), (String::new(), refusal.clone()), "{args:?}");
    }
    assert_eq!(log_of(&alice), log);
    let report = check_fails(&alice, TUE_10, &[]);
    assert!(
        report.contains(&format!(
            "{}:{line}: error: a carriage return that ends no line (column 5): a forge breaks the line there and rota does not, so they could read the log differently; delete it, or make it a line break\n",
            path.display()
        )),
        "{report}"
    );
}

/// Review finding: a handover heading with a tab after the `###` (or indented) is a record
/// heading on a forge, and nothing for rota. `check` names it, with the heading as rota reads
/// it.
#[test]
fn a_pushed_heading_written_otherwise_than_rotas_is_named_by_check() {
    let (_origin, bob, alice, from, to) = handed_over_monday();
    let record = forged_take_back(&from, &to).replacen("### ", "###\t", 1);
    push_by_hand(&bob, &alice, &format!("\n{record}"));
    let line = log_of(&alice)
        .lines()
        .position(|l| l.starts_with("###\t"))
        .unwrap()
        + 1;
    let report = check_fails(&alice, TUE_10, &[]);
    assert_eq!(
        report,
        format!(
            "{}:{line}: error: a forge shows this line as the heading `### Taken back 16:30 UTC: {to}`, which rota reads only written so (at the start of the line, one space after the `#`s): write it so, or it counts for nothing\n",
            alice.join("on-call-log.md").display()
        )
    );
}

/// Who is on call at `now`, as `who --json` in `clone` says.
fn on_call_id(clone: &Path, now: &str) -> String {
    on_call_json(clone, now)["on_call"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// `rota check` and `rota check --since` the first commit, in `clone` at `now`: both pass.
fn history_passes(origin: &Origin, clone: &Path, now: &str) {
    let first = git(clone, &["rev-list", "--max-parents=0", "HEAD"]);
    for args in [&["check"][..], &["check", "--since", first.trim()]] {
        let output = rota_in(clone, now, args).output().unwrap();
        let (stdout, stderr) = texts(&output);
        assert_eq!(
            (output.status.code(), stderr.as_str()),
            (Some(0), "rota: check passed: 0 errors, 0 warnings\n"),
            "{args:?} in {}: {stdout}",
            clone.display()
        );
        // Notes (a duplicate settled by a correction) are no finding.
        assert!(
            stdout.lines().all(|l| l.contains(": note: ")),
            "{args:?}: {stdout}"
        );
    }
    let _ = origin;
}

/// Review findings: what an honest team's clones do, merged by rota's driver with `git pull`
/// (a merge, and a rebase), passes `check` and `check --since` in every clone. Two entries
/// after the day's handover in the same minute in two clones; a handover taken back offline
/// and pushed the next morning after a teammate's entry; a handover written by a clone whose
/// clock runs two hours behind.
#[test]
fn what_the_driver_merges_passes_the_history_check() {
    for pull in ["--no-rebase", "--rebase"] {
        // Two entries after the handover, the same minute.
        let origin = Origin::new();
        let (alice, bob) = (origin.clone_as("alice"), origin.clone_as("bob"));
        let serving = origin.clone_as(&on_call_id(&alice, MON_17));
        ok(&serving, MON_17, &["handover", "--yes", "--push"]);
        for clone in [&alice, &bob] {
            git(clone, &["pull", "-q", "--ff-only"]);
        }
        let late = "2026-11-23T17:30:00+01:00";
        ok(&bob, late, &["log", "bob after"]);
        ok(&alice, late, &["log", "alice after"]);
        commit(&bob, "b");
        git(&bob, &["push", "-q"]);
        commit(&alice, "a");
        git(&alice, &["pull", "-q", pull]);
        let merged = log_of(&alice);
        assert_eq!(
            merged.matches("### Log 16:30 UTC").count(),
            1,
            "{pull}:\n{merged}"
        );
        history_passes(&origin, &alice, late);

        // A handover taken back offline, pushed after a teammate's entry of the next day.
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        let id = on_call_id(&alice, MON_17);
        let serving = origin.clone_as(&id);
        let other = origin.clone_as(if id == "bob" { "carol" } else { "bob" });
        ok(&serving, MON_17, &["handover", "--yes", "--push"]);
        ok(
            &serving,
            "2026-11-23T17:20:00+01:00",
            &["handover", "--undo"],
        );
        commit(&serving, "undo");
        git(&other, &["pull", "-q", "--ff-only"]);
        ok(&other, TUE_10, &["log", "next morning"]);
        commit(&other, "log");
        git(&other, &["push", "-q"]);
        git(&serving, &["pull", "-q", pull]);
        history_passes(&origin, &serving, TUE_10);
        assert_eq!(on_call_id(&serving, TUE_10), id);

        // A clock two hours behind: the handover's time is before an entry above it.
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        let id = on_call_id(&alice, MON_17);
        let writer = origin.clone_as(if id == "alice" { "bob" } else { "alice" });
        let third = origin.clone_as(
            ["alice", "bob", "carol"]
                .into_iter()
                .find(|c| *c != id && writer.file_name().unwrap() != *c)
                .unwrap(),
        );
        ok(
            &writer,
            "2026-11-23T16:30:00+01:00",
            &["log", "before the handover"],
        );
        commit(&writer, "log");
        git(&writer, &["push", "-q"]);
        let serving = origin.clone_as(&id);
        git(&serving, &["pull", "-q", "--ff-only"]);
        ok(
            &serving,
            "2026-11-23T15:00:00+01:00",
            &["handover", "--yes", "--force"],
        );
        commit(&serving, "handover");
        git(&third, &["pull", "-q", "--ff-only"]);
        ok(&third, "2026-11-23T17:10:00+01:00", &["log", "later"]);
        commit(&third, "log");
        git(&third, &["push", "-q"]);
        git(&serving, &["pull", "-q", pull]);
        history_passes(&origin, &serving, TUE_10);
    }
}

/// Review finding: the handover of one day run in two clones (one had not pulled), merged,
/// then settled with `check --fix` as rota says: the history check passes once the
/// correction is appended, as after a rebase.
#[test]
fn a_double_handover_merged_and_settled_passes_the_history_check() {
    for pull in ["--no-rebase", "--rebase"] {
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        let id = on_call_id(&alice, MON_17);
        let first = origin.clone_as(&id);
        let late = origin.clone_as(if id == "alice" { "bob" } else { "alice" });
        ok(&first, MON_17, &["handover", "--yes", "--push"]);
        ok(
            &late,
            "2026-11-23T17:10:00+01:00",
            &["handover", "--yes", "--force"],
        );
        commit(&late, "handover too");
        git(&late, &["pull", "-q", pull]);
        ok(&late, "2026-11-23T17:20:00+01:00", &["check", "--fix"]);
        commit(&late, "settled");
        history_passes(&origin, &late, "2026-11-23T17:20:00+01:00");
        git(&late, &["push", "-q"]);
        git(&first, &["pull", "-q", "--ff-only"]);
        history_passes(&origin, &first, "2026-11-23T17:20:00+01:00");
    }
}

/// Review finding: a commit renames the team's directory, edits the log on the way, and
/// leaves a link in the old directory's place. Judged through the link (`--dir oncall`) or
/// from the renamed directory itself, `check --since` names the move: the team's log of then
/// is gone.
#[test]
fn a_log_moved_by_renaming_its_directory_is_named() {
    let root = tempfile::tempdir().unwrap();
    common::bare_origin(root.path());
    let founder = common::clone_as(root.path(), "founder");
    std::fs::create_dir(founder.join("oncall")).unwrap();
    let team = founder.join("oncall");
    rota_in(&team, MON_10, common::INIT).assert().success();
    ok(&team, MON_10, &["log", "--as", "alice", "work 1"]);
    ok(&team, MON_10, &["log", "--as", "alice", "work 2"]);
    commit(&founder, "team");
    let before = git(&founder, &["rev-parse", "HEAD"]);
    let before = before.trim();
    git(&founder, &["mv", "oncall", "oncall2"]);
    let log = founder.join("oncall2/on-call-log.md");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replace("work 1", "work 1 (EDITED)")).unwrap();
    std::os::unix::fs::symlink("oncall2", founder.join("oncall")).unwrap();
    commit(&founder, "reorganise");
    let moved = git(&founder, &["rev-parse", "--short=7", "HEAD"]);
    let moved = moved.trim();
    let through_link = rota_in(
        &founder,
        MON_10,
        &["check", "--dir", "oncall", "--since", before],
    )
    .output()
    .unwrap();
    assert_eq!(through_link.status.code(), Some(1));
    assert!(
        texts(&through_link).0.starts_with(&format!(
            "oncall/on-call-log.md:1: error: the log is reached through a symbolic link, {}: git keeps no history of a file through a link",
            founder.join("oncall").display()
        )),
        "{:?}",
        texts(&through_link)
    );
    let inside = rota_in(
        &founder.join("oncall2"),
        MON_10,
        &["check", "--since", before],
    )
    .output()
    .unwrap();
    assert_eq!(inside.status.code(), Some(1));
    assert_eq!(
        texts(&inside).0,
        format!(
            "{}:1: error: since {before}, oncall/on-call-log.md (a team's log then) is gone, and this log is new: a log's records never leave the repository, and an edit made on the way would pass unseen; restore it where it was, or, if the team moved on purpose, judge from the commit that moved it (rota check --since {moved})\n",
            founder.join("oncall2/on-call-log.md").display()
        )
    );
}

/// Review finding: the team's directory renamed and its log rewritten enough that git sees a
/// deletion and a new file, not a rename. The new log's history starts empty, but the team's
/// log of then is gone: `check --since` (for the team, and `--all`) names it, with the commit
/// to judge from if the move was meant. A team added beside the others is not named.
#[test]
fn a_log_rewritten_into_a_renamed_directory_is_named() {
    let root = tempfile::tempdir().unwrap();
    common::bare_origin(root.path());
    let founder = common::clone_as(root.path(), "founder");
    std::fs::create_dir(founder.join("oncall")).unwrap();
    let team = founder.join("oncall");
    rota_in(&team, MON_10, common::INIT).assert().success();
    // The log named with a leading `./`, as the list allows: git names it without one.
    let list = std::fs::read_to_string(team.join("on-call-list.toml")).unwrap();
    let list = list.replacen("log = \"on-call-log.md\"", "log = \"./on-call-log.md\"", 1);
    assert!(list.contains("log = \"./on-call-log.md\""));
    std::fs::write(team.join("on-call-list.toml"), list).unwrap();
    for n in 0..5 {
        ok(
            &team,
            MON_10,
            &["log", "--as", "alice", &format!("work {n}")],
        );
    }
    commit(&founder, "team");
    let before = git(&founder, &["rev-parse", "HEAD"]);
    let before = before.trim();
    // Another team, added later, is new and names nothing.
    std::fs::create_dir(founder.join("db")).unwrap();
    rota_in(&founder.join("db"), MON_10, common::INIT)
        .assert()
        .success();
    commit(&founder, "another team");
    let added = rota_in(&founder.join("db"), MON_10, &["check", "--since", before])
        .output()
        .unwrap();
    assert_eq!(added.status.code(), Some(0), "{:?}", texts(&added));
    git(&founder, &["mv", "oncall", "team"]);
    let log = founder.join("team/on-call-log.md");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replace("work", "REWRITTEN WORK, REWRITTEN")).unwrap();
    commit(&founder, "reorganise");
    let moved = git(&founder, &["rev-parse", "--short=7", "HEAD"]);
    let moved = moved.trim();
    let output = rota_in(&founder.join("team"), MON_10, &["check", "--since", before])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        texts(&output).0,
        format!(
            "{}:1: error: since {before}, oncall/on-call-log.md (a team's log then) is gone, and this log is new: a log's records never leave the repository, and an edit made on the way would pass unseen; restore it where it was, or, if the team moved on purpose, judge from the commit that moved it (rota check --since {moved})\n",
            // As the list names it.
            founder.join("team").join("./on-call-log.md").display()
        )
    );
    let all = rota_in(&founder, MON_10, &["check", "--all", "--since", before])
        .output()
        .unwrap();
    assert_eq!(all.status.code(), Some(1));
    // As printed, the hint's command passes.
    let from = rota_in(&founder.join("team"), MON_10, &["check", "--since", moved])
        .output()
        .unwrap();
    assert_eq!(from.status.code(), Some(0), "{:?}", texts(&from));
}
