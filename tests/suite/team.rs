//! Many clones, one truth: a bare origin and a clone per engineer, driven through real `git`,
//! merging both ways (`pull --no-rebase` and `pull --rebase`) and in both orders.

use crate::common::{self, git, git_command};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

/// Monday 2026-11-23 in the team's zone (Europe/Prague, UTC+1).
const MON_10: &str = "2026-11-23T10:00:00+01:00";
const MON_11: &str = "2026-11-23T11:00:00+01:00";
const MON_17: &str = "2026-11-23T17:05:00+01:00";
const MON_1710: &str = "2026-11-23T17:10:00+01:00";
const TUE_09: &str = "2026-11-24T09:00:00+01:00";
const TUE_10: &str = "2026-11-24T10:00:00+01:00";
const TUE_17: &str = "2026-11-24T17:05:00+01:00";
const TUE_1710: &str = "2026-11-24T17:10:00+01:00";
const WED_09: &str = "2026-11-25T09:00:00+01:00";
const WED_17: &str = "2026-11-25T17:05:00+01:00";
const WED_1710: &str = "2026-11-25T17:10:00+01:00";

/// An origin and its clones, each in a scratch directory, with no global or system git config.
struct Origin {
    root: TempDir,
}

struct Clone {
    path: PathBuf,
}

#[derive(Clone, Copy, Debug)]
enum Pull {
    Merge,
    Rebase,
}

impl Origin {
    /// A team of three, started with `rota init` in a clone of its own, committed and pushed.
    fn new() -> Origin {
        let root = tempfile::tempdir().unwrap();
        common::bare_origin(root.path());
        let origin = Origin { root };
        let founder = origin.clone_as("founder");
        founder.rota(MON_10, common::INIT).unwrap();
        founder.commit_all("rota init");
        founder.git(&["push", "-q", "-u", "origin", "main"]);
        origin
    }

    fn url(&self) -> PathBuf {
        self.root.path().join("origin.git")
    }

    /// A clone whose git identity is `who@example.org`.
    fn clone_as(&self, who: &str) -> Clone {
        Clone {
            path: common::clone_as(self.root.path(), who),
        }
    }
}

impl Clone {
    fn git(&self, args: &[&str]) -> String {
        git(&self.path, args)
    }

    fn rota_command(&self, now: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rota"));
        command
            .args(args)
            .current_dir(&self.path)
            .env("ROTA_NOW", now)
            .env("ROTA_SEED", "4157262103")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("ROTA_DIR")
            .env_remove("ROTA_USER")
            .env_remove("ROTA_HOOK_HANDOVER")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
        command
    }

    /// `rota ARGS` at `now`; `Ok(stdout)` on success, `Err(output)` otherwise.
    fn rota(&self, now: &str, args: &[&str]) -> Result<String, Output> {
        let output = self.rota_command(now, args).output().unwrap();
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(output)
        }
    }

    fn ok(&self, now: &str, args: &[&str]) -> String {
        self.rota(now, args).unwrap_or_else(|output| {
            panic!(
                "rota {args:?} failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })
    }

    fn json(&self, now: &str, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(now, args)).unwrap()
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    fn pull(&self, how: Pull) {
        let flag = match how {
            Pull::Merge => "--no-rebase",
            Pull::Rebase => "--rebase",
        };
        self.git(&["pull", "-q", flag]);
    }

    fn status(&self) -> String {
        self.git(&["status", "--porcelain"])
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path.join(name)).unwrap()
    }

    fn log(&self) -> String {
        self.read("on-call-log.md")
    }
}

/// The log's text after its header.
fn body(log: &str) -> &str {
    &log[log.find("\n## ").expect("a day section") + 1..]
}

/// Every clone answers `who --json` and `schedule --json` the same, and has nothing to commit.
fn assert_agree(clones: &[&Clone], now: &str) {
    let who: Vec<Value> = clones
        .iter()
        .map(|c| c.json(now, &["who", "--json"]))
        .collect();
    let schedule: Vec<Value> = clones
        .iter()
        .map(|c| c.json(now, &["schedule", "--json", "--days", "15"]))
        .collect();
    for i in 1..clones.len() {
        assert_eq!(who[0], who[i], "who --json differs between clones");
        assert_eq!(schedule[0], schedule[i], "schedule --json differs");
    }
    for clone in clones {
        assert_eq!(clone.status(), "", "{} has changes", clone.path.display());
        assert!(!clone.log().contains("<<<<<<<"));
    }
}

fn on_call(clone: &Clone, now: &str) -> String {
    clone.json(now, &["who", "--json"])["on_call"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn every_clone_gives_the_same_answers_and_reading_writes_nothing() {
    let origin = Origin::new();
    let clones = [
        origin.clone_as("alice-2"),
        origin.clone_as("bob"),
        origin.clone_as("carol"),
    ];
    let reads: &[&[&str]] = &[
        &["who"],
        &["who", "--json"],
        &["who", "--date", "2026-12-01"],
        &["schedule", "--json", "--days", "30"],
        &["schedule", "--ics"],
        &["next", "alice"],
        &["stats", "--json"],
        &["team", "--json"],
        &["check"],
        &["log"],
        &["log", "--list"],
        &["away", "bob", "--list"],
    ];
    for args in reads {
        let answers: Vec<String> = clones.iter().map(|c| c.ok(MON_10, args)).collect();
        assert_eq!(answers[0], answers[1], "rota {args:?}");
        assert_eq!(answers[0], answers[2], "rota {args:?}");
    }
    for clone in &clones {
        assert_eq!(clone.status(), "", "reading wrote a tracked file");
    }
    // A list without [rotation] (a hand-written one) also gives one answer everywhere.
    let strip = |clone: &Clone| {
        let list = clone.read("on-call-list.toml");
        let cut = list.find("\n# Every round's order").unwrap();
        std::fs::write(clone.path.join("on-call-list.toml"), &list[..cut + 1]).unwrap();
    };
    strip(&clones[0]);
    strip(&clones[1]);
    assert_eq!(
        clones[0].ok(TUE_09, &["schedule", "--json"]),
        clones[1].ok(TUE_09, &["schedule", "--json"])
    );
    assert_eq!(clones[0].status(), " M on-call-list.toml\n");
}

/// Alice logs on Monday; bob, who has not pulled, logs on Monday and on Tuesday. Whichever
/// pushes first and however the other pulls, every entry sits under the day it was written.
#[test]
fn entries_merge_into_their_days_in_every_order_and_both_ways() {
    let expected = "## 2026-11-23 Mon\n\n\
                    - 09:00 UTC alice: rebooted cloudvirt1031 #maintenance\n\
                    - 10:00 UTC bob: fixed quota drift\n\
                    \n## 2026-11-24 Tue\n\n\
                    - 08:00 UTC bob: answered the mailing list\n";
    for how in [Pull::Merge, Pull::Rebase] {
        for alice_first in [true, false] {
            let origin = Origin::new();
            let alice = origin.clone_as("alice");
            let bob = origin.clone_as("bob");
            alice.ok(MON_10, &["log", "rebooted cloudvirt1031 #maintenance"]);
            alice.commit_all("alice's entry");
            bob.ok(MON_11, &["log", "fixed quota drift"]);
            bob.ok(TUE_09, &["log", "answered the mailing list"]);
            bob.commit_all("bob's entries");
            let (first, second) = if alice_first {
                (&alice, &bob)
            } else {
                (&bob, &alice)
            };
            first.git(&["push", "-q"]);
            second.pull(how);
            second.git(&["push", "-q"]);
            first.pull(how);
            let context = format!("{how:?}, alice first: {alice_first}");
            assert_eq!(body(&alice.log()), expected, "{context}");
            assert_eq!(alice.log(), bob.log(), "{context}");
            assert_agree(&[&alice, &bob], TUE_10);
            alice.ok(TUE_10, &["check", "--strict"]);
        }
    }
}

/// Open items are lines of their handover record: whichever clone pushes first and however
/// the other pulls, the merge keeps them inside the record, every clone reads them, and
/// `check` passes.
#[test]
fn open_items_merge_with_their_record_both_ways() {
    let expected = "## 2026-11-23 Mon\n\n\
                    ### Handover 16:05 UTC: bob → carol\n\n\
                    - Served: Mon 2026-11-23 (bob)\n\
                    - Next: Tue 2026-11-24 (carol)\n\n\
                    * [x] Answered every open question in the support channels and the mailing list\n\
                    * [x] Checked the consoles and notifications; nothing is firing unacknowledged\n\
                    * [x] Wrote or updated a runbook for every issue resolved today\n\
                    * [x] Recorded today's topic work in the log\n\
                    * [x] Told the next engineer what is still open\n\n\
                    + [ ] 16:05 UTC bob: open: renew the TLS cert\n\
                    + [ ] 16:05 UTC bob: open: rotate the key\n\n\
                    Round 1: ~~bob~~, **carol**, alice\n\n\
                    ### Log 16:05 UTC\n\n\
                    - 16:05 UTC alice: same minute\n\
                    - 16:10 UTC alice: after the handover\n";
    for how in [Pull::Merge, Pull::Rebase] {
        for bob_first in [true, false] {
            let origin = Origin::new();
            let alice = origin.clone_as("alice");
            let bob = origin.clone_as("bob");
            let open = ["--open", "renew the TLS cert", "--open", "rotate the key"];
            bob.ok(MON_17, &[&["handover", "--yes"][..], &open].concat());
            bob.commit_all("handover");
            alice.ok(MON_17, &["log", "same minute"]);
            alice.ok(MON_1710, &["log", "after the handover"]);
            alice.commit_all("alice's entries");
            let (first, second) = if bob_first {
                (&bob, &alice)
            } else {
                (&alice, &bob)
            };
            first.git(&["push", "-q"]);
            second.pull(how);
            second.git(&["push", "-q"]);
            first.pull(how);
            let context = format!("{how:?}, bob first: {bob_first}");
            assert_eq!(body(&alice.log()), expected, "{context}");
            assert_eq!(alice.log(), bob.log(), "{context}");
            assert_agree(&[&alice, &bob], TUE_09);
            let carried = &alice.json(TUE_09, &["who", "--json"])["carried"];
            assert_eq!(
                carried["open_items"],
                serde_json::json!(["renew the TLS cert", "rotate the key"]),
                "{context}"
            );
            alice.ok(TUE_09, &["check", "--strict"]);
        }
    }
}

#[test]
fn a_handover_merges_with_overrides_absences_and_hand_edits_both_ways() {
    for how in [Pull::Merge, Pull::Rebase] {
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        let bob = origin.clone_as("bob");
        let carol = origin.clone_as("carol");
        let monday = on_call(&alice, MON_17);
        alice.ok(MON_17, &["handover", "--yes", "--as", &monday]);
        alice.commit_all("handover");
        // Meanwhile, in bob's clone: an absence, a cover, a swap, and a hand edit.
        bob.ok(MON_11, &["away", "carol", "2026-12-07", "2026-12-08"]);
        bob.ok(MON_11, &["cover", "2026-11-26", "bob"]);
        bob.ok(MON_11, &["swap", "2026-11-30", "2026-12-01"]);
        let list = bob.read("on-call-list.toml").replace(
            "name = \"Carol Jiménez\"",
            "name = \"Carol Jiménez\"\nphone = \"+420 555 0102\"  # added by hand",
        );
        std::fs::write(bob.path.join("on-call-list.toml"), list).unwrap();
        bob.commit_all("bob's plans");
        alice.git(&["push", "-q"]);
        bob.pull(how);
        bob.git(&["push", "-q"]);
        alice.pull(how);
        carol.pull(how);
        assert_agree(&[&alice, &bob, &carol], TUE_09);
        let list = carol.read("on-call-list.toml");
        for kept in [
            "phone = \"+420 555 0102\"  # added by hand",
            "{ from = 2026-12-07, to = 2026-12-08 },",
            "date = 2026-11-26\nengineer = \"bob\"\nkind = \"cover\"",
            "date = 2026-11-30",
            "date = 2026-12-01",
        ] {
            assert!(list.contains(kept), "{how:?}: lost {kept:?}:\n{list}");
        }
        assert_eq!(carol.log().matches("### Handover ").count(), 1);
        carol.ok(TUE_09, &["check"]);
        // The handover moved the rotation on in every clone.
        assert_ne!(on_call(&carol, TUE_09), monday);
    }
}

#[test]
fn overrides_and_absences_added_in_two_clones_merge_both_ways() {
    for how in [Pull::Merge, Pull::Rebase] {
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        let bob = origin.clone_as("bob");
        alice.ok(MON_10, &["cover", "2026-11-26", "alice"]);
        alice.ok(MON_10, &["away", "carol", "2026-12-01"]);
        alice.commit_all("alice's");
        bob.ok(MON_10, &["swap", "2026-11-30", "2026-12-03"]);
        bob.ok(MON_10, &["away", "carol", "2026-12-10"]);
        bob.commit_all("bob's");
        alice.git(&["push", "-q"]);
        bob.pull(how);
        bob.git(&["push", "-q"]);
        alice.pull(how);
        assert_agree(&[&alice, &bob], MON_11);
        let list = alice.read("on-call-list.toml");
        assert_eq!(list.matches("[[override]]").count(), 3, "{how:?}:\n{list}");
        assert!(
            list.contains("away = [\n  { from = 2026-12-10 },\n  { from = 2026-12-01 },\n]")
                || list.contains("away = [\n  { from = 2026-12-01 },\n  { from = 2026-12-10 },\n]"),
            "{how:?}:\n{list}"
        );
        let schedule = alice.json(MON_11, &["schedule", "--json", "--days", "10"]);
        let day = |d: &str| {
            schedule
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["date"] == d)
                .unwrap()["reason"]
                .clone()
        };
        assert_eq!(day("2026-11-26"), "cover");
        assert_eq!(day("2026-11-30"), "swap");
        assert_eq!(day("2026-12-03"), "swap");
    }
}

/// Two clones announce windows, and one takes back a window both had: after the merge, in
/// either order and either way, every clone holds the two new windows and not the old one,
/// and check passes. (Both append at the end of the list, where a line merge conflicts.)
#[test]
fn maintenance_windows_announced_in_two_clones_merge_both_ways() {
    let announce = |clone: &Clone, start: &str, end: &str, what: &str| {
        clone.ok(
            MON_10,
            &["announce", start, end, "--what", what, "--affects", "api"],
        );
    };
    for how in [Pull::Merge, Pull::Rebase] {
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        let bob = origin.clone_as("bob");
        // Each announces a window: both append at the end of the list.
        announce(&alice, "2026-12-01 22:00", "2026-12-01 23:00", "old window");
        alice.commit_all("old window");
        announce(&bob, "2026-12-12 08:00", "2026-12-12 09:00", "bob's window");
        bob.commit_all("bob's");
        alice.git(&["push", "-q"]);
        bob.pull(how);
        bob.git(&["push", "-q"]);
        alice.pull(how);
        // Then one takes the old window back while the other announces another.
        announce(
            &alice,
            "2026-12-10 22:00",
            "2026-12-10 23:30",
            "alice's window",
        );
        alice.commit_all("alice's");
        bob.ok(MON_10, &["announce", "--undo", "2026-12-01 22:00"]);
        bob.commit_all("bob's undo");
        alice.git(&["push", "-q"]);
        bob.pull(how);
        bob.git(&["push", "-q"]);
        alice.pull(how);
        assert_agree(&[&alice, &bob], MON_11);
        let windows: Vec<String> = alice
            .read("on-call-list.toml")
            .lines()
            .filter(|l| l.starts_with("what = "))
            .map(String::from)
            .collect();
        let mut sorted = windows.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            ["what = \"alice's window\"", "what = \"bob's window\""],
            "{how:?}"
        );
        assert_eq!(
            alice.read("on-call-list.toml"),
            bob.read("on-call-list.toml")
        );
        bob.ok(MON_11, &["check", "--strict"]);
    }
}

/// Bob hands Monday over; alice, whose clone has not seen it, hands Monday over too (standing
/// in). After the merge every clone agrees that bob's earlier record stands; check names both,
/// stats counts the day once, and check --fix settles it by appending.
#[test]
fn two_handovers_of_one_day_are_found_counted_once_and_settled_by_appending() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    let carol = origin.clone_as("carol");
    let monday = on_call(&alice, MON_17);
    bob.ok(MON_17, &["handover", "--yes", "--as", &monday]);
    bob.commit_all("handover");
    // Alice's record, which will be void, passes on a note and an item that bob's does not.
    alice.ok(
        MON_1710,
        &[
            "handover",
            "--yes",
            "--note",
            "db-2 is flaky",
            "--open",
            "renew the wiki cert",
        ],
    );
    alice.commit_all("alice stands in");
    bob.git(&["push", "-q"]);
    alice.pull(Pull::Rebase);
    alice.git(&["push", "-q"]);
    bob.pull(Pull::Merge);
    carol.pull(Pull::Merge);
    assert_agree(&[&alice, &bob, &carol], TUE_09);

    let failed = carol.rota(TUE_09, &["check"]).unwrap_err();
    assert_eq!(failed.status.code(), Some(1));
    let report = String::from_utf8_lossy(&failed.stdout).into_owned();
    let log = carol.log();
    let line_of = |needle: &str| log.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let first = line_of("### Handover 16:05 UTC");
    let second = line_of("### Handover 16:10 UTC");
    let next = carol.json(TUE_09, &["who", "--json"])["on_call"]["id"].clone();
    let next = next.as_str().unwrap();
    assert_eq!(
        report,
        format!(
            "{log}:{second}: error: Mon 2026-11-23 handed over twice: 16:05 UTC {monday} → {next}, run by {monday} (line {first}) stands (first in the log); 16:10 UTC {monday} → {next}, run by alice (line {second}) is void\n\
             {log}:{second}: note: the void record: its open item \"renew the wiki cert\" is carried with the standing record's; its note \"db-2 is flaky\" reaches no one: tell the engineer on call\n",
            log = carol.path.join("on-call-log.md").display()
        )
    );
    let stats = carol.json(TUE_09, &["stats", "--json", "--since", "2026-11-23"]);
    let done: u64 = stats["engineers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["done"].as_u64().unwrap())
        .sum();
    assert_eq!(done, 1, "Monday counts once: {stats}");

    let before = carol.log();
    carol.ok(TUE_10, &["check", "--fix"]);
    let after = carol.log();
    assert!(after.starts_with(&before), "--fix only appends");
    assert_eq!(
        &after[before.len()..],
        format!(
            "\n## 2026-11-24 Tue\n\n### Correction 09:00 UTC: carol\n\n- Void: handover 2026-11-23 16:10 UTC {monday} → {next} run by alice: Mon 2026-11-23 was already handed over at 16:05 UTC ({monday} → {next}, run by {monday})\n"
        )
    );
    carol.ok(TUE_10, &["check"]);
    carol.commit_all("settled");
    carol.git(&["push", "-q"]);
    alice.pull(Pull::Rebase);
    bob.pull(Pull::Merge);
    alice.ok(TUE_10, &["check"]);
    assert_agree(&[&alice, &bob, &carol], TUE_10);
}

#[test]
fn a_stand_in_handover_records_who_ran_it() {
    let origin = Origin::new();
    let carol = origin.clone_as("carol");
    let monday = on_call(&carol, MON_17);
    let runner = if monday == "carol" {
        "--as=bob"
    } else {
        "--as=carol"
    };
    carol.ok(MON_17, &["handover", "--yes", runner]);
    let runner = runner.trim_start_matches("--as=");
    let log = carol.log();
    let record = &log[log.find("### Handover").unwrap()..];
    let next = log[log.find("- Next: ").unwrap()..]
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        record.starts_with(&format!(
            "### Handover 16:05 UTC: {monday} → {}\n\n- Served: Mon 2026-11-23 ({monday})\n{next}\n- Run by: {runner}\n\n",
            on_call(&carol, TUE_09)
        )),
        "{record}"
    );
}

#[test]
fn push_pulls_first_retries_a_refused_push_and_refuses_a_day_already_handed_over() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    let carol = origin.clone_as("carol");

    // Bob pushes an entry; alice, behind, logs with --push: rota pulls first, then pushes.
    bob.ok(MON_10, &["log", "--push", "bob was here"]);
    alice.ok(MON_11, &["log", "--push", "alice too"]);
    carol.pull(Pull::Rebase);
    assert!(carol.log().ends_with(
        "## 2026-11-23 Mon\n\n- 09:00 UTC bob: bob was here\n- 10:00 UTC alice: alice too\n"
    ));

    // Someone pushes between rota's pull and its push: the push is refused, rota pulls and
    // tries again. The origin's hook plays that someone, once: it pushes carol's commit, then
    // declines the push it was called for.
    carol.ok(MON_11, &["log", "carol's entry"]);
    carol.commit_all("carol's entry");
    let hook = origin.url().join("hooks/pre-receive");
    let marker = origin.root.path().join("raced");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ncat >/dev/null\n[ -e '{marker}' ] && exit 0\ntouch '{marker}'\nenv -u GIT_DIR -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES -u GIT_PUSH_OPTION_COUNT git -C '{carol}' push -q origin main >&2\necho 'someone pushed meanwhile' >&2\nexit 1\n",
            marker = marker.display(),
            carol = carol.path.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    bob.ok(MON_11, &["log", "--push", "after a race"]);
    std::fs::remove_file(&hook).unwrap();
    alice.pull(Pull::Merge);
    let log = alice.log();
    assert!(log.contains("- 10:00 UTC carol: carol's entry\n"), "{log}");
    assert!(log.contains("- 10:00 UTC bob: after a race\n"), "{log}");
    assert_eq!(
        bob.git(&["status", "-sb"]).lines().next().unwrap(),
        "## main...origin/main"
    );

    // A handover with --push from a clone that had not pulled: the day is already handed over.
    let monday = on_call(&alice, MON_17);
    alice.ok(MON_17, &["handover", "--yes", "--push", "--as", &monday]);
    let stale = carol.path.join("on-call-log.md");
    let before = std::fs::read(&stale).unwrap();
    let refused = carol
        .rota(MON_1710, &["handover", "--yes", "--push"])
        .unwrap_err();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.starts_with(&format!(
            "rota: error: Mon 2026-11-23 was already handed over by alice, standing in for {monday} at 16:05 UTC"
        )) || stderr.starts_with(&format!(
            "rota: error: Mon 2026-11-23 was already handed over by {monday} at 16:05 UTC"
        )),
        "{stderr}"
    );
    // What changed is what the pull brought, nothing rota wrote.
    assert_eq!(carol.status(), "");
    assert_ne!(std::fs::read(&stale).unwrap(), before);
    assert_eq!(carol.log(), alice.log());

    // Offline: the entry is written and committed; the push waits, and rota says so.
    std::fs::rename(origin.url(), origin.root.path().join("away.git")).unwrap();
    let output = carol
        .rota_command(TUE_09, &["log", "--push", "offline work"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the push is pending"), "{stderr}");
    assert_eq!(carol.status(), "");
    assert!(
        carol
            .git(&["log", "-1", "--format=%s"])
            .starts_with("rota: log \"offline work\"")
    );
}

/// A clone where rota never ran has no driver: git stops on a conflict instead of misfiling,
/// and rota says where and how to finish the merge with its driver.
#[test]
fn without_the_driver_a_merge_stops_and_rota_says_how_to_finish_it() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let dan = origin.clone_as("dan");
    alice.ok(MON_10, &["log", "--as", "alice", "from alice"]);
    alice.commit_all("alice");
    alice.git(&["push", "-q"]);
    // Dan writes by hand, without rota, and pulls: the line merge stops on a conflict.
    let mut log = dan.log();
    log += "\n## 2026-11-23 Mon\n\n- 09:30 UTC bob: written by hand\n";
    std::fs::write(dan.path.join("on-call-log.md"), log).unwrap();
    dan.commit_all("by hand");
    let pulled = git_command(&dan.path, &["pull", "-q", "--no-rebase"])
        .output()
        .unwrap();
    assert!(!pulled.status.success(), "git must stop, not misfile");
    let failed = dan.rota(MON_11, &["check"]).unwrap_err();
    let report = String::from_utf8_lossy(&failed.stdout);
    let marker = dan
        .log()
        .lines()
        .position(|l| l.starts_with("<<<<<<<"))
        .unwrap()
        + 1;
    let path = dan.path.join("on-call-log.md");
    assert!(
        report.starts_with(&format!(
            "{}:{marker}: error: git conflict marker: a merge stopped here",
            path.display()
        )),
        "{report}"
    );
    assert!(report.contains(&format!("`git checkout -m {}`", path.display())));
    // The hint works: check registered the driver, checkout -m merges with it.
    dan.git(&["checkout", "-m", "on-call-log.md"]);
    dan.git(&["add", "on-call-log.md"]);
    dan.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(
        body(&dan.log()),
        "## 2026-11-23 Mon\n\n- 09:00 UTC alice: from alice\n- 09:30 UTC bob: written by hand\n"
    );
    dan.ok(MON_11, &["check", "--strict"]);
}

#[test]
fn a_clone_behind_its_upstream_is_told_to_pull() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    alice.ok(MON_10, &["log", "--push", "news"]);
    let quiet = bob.rota_command(MON_10, &["who"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("behind"));
    bob.git(&["fetch", "-q"]);
    let told = bob.rota_command(MON_10, &["who"]).output().unwrap();
    assert!(told.status.success());
    assert_eq!(
        String::from_utf8_lossy(&told.stderr),
        "rota: warning: this clone is 1 commit behind its upstream (as of the last fetch)\nhint: run `git pull` to see what the team has done\n"
    );
}

#[test]
fn commit_handover_batches_the_days_entries_into_the_handover_commit() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let list = alice.read("on-call-list.toml").replace(
        "# commit = true ",
        "commit = \"handover\"  # was: commit = true",
    );
    std::fs::write(alice.path.join("on-call-list.toml"), list).unwrap();
    alice.commit_all("batch the log");
    let commits = || alice.git(&["rev-list", "--count", "HEAD"]);
    let before = commits();
    alice.ok(MON_10, &["log", "one"]);
    alice.ok(MON_11, &["log", "two"]);
    assert_eq!(commits(), before, "entries wait for the handover");
    assert_eq!(alice.status(), " M on-call-log.md\n");
    let monday = on_call(&alice, MON_17);
    alice.ok(MON_17, &["handover", "--yes", "--as", &monday]);
    assert_eq!(alice.status(), "");
    assert_eq!(
        commits().trim().parse::<u32>().unwrap(),
        before.trim().parse::<u32>().unwrap() + 1
    );
    let diff = alice.git(&["show", "--format=", "HEAD", "--", "on-call-log.md"]);
    assert!(diff.contains("+- 09:00 UTC alice: one"), "{diff}");
    assert!(diff.contains("+### Handover 16:05 UTC"), "{diff}");
}

/// The README's "Working as a team" sessions, run as shown: each `NAME$ command` runs in the
/// clone `/srv/NAME` (a scratch directory here), with the clock of the last
/// `<!-- rota-test: clones now=TIME -->` comment, and what it prints (stdout and stderr, as a terminal shows them) must be the lines
/// that follow it.
#[test]
fn the_readme_team_sessions_run_as_shown() {
    let readme = include_str!("../../docs/team.md");
    let start = readme
        .find("\n## Working as a team\n")
        .expect("the section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 4)];

    let origin = Origin::new();
    let root = origin.root.path().to_path_buf();
    let clones: Vec<(&str, Clone)> = ["alice", "bob", "carol"]
        .into_iter()
        .map(|who| (who, origin.clone_as(who)))
        .collect();
    let rota_dir = Path::new(env!("CARGO_BIN_EXE_rota")).parent().unwrap();
    let path = format!(
        "{}:{}",
        rota_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut clock = MON_10.to_string();
    let mut expected = String::new();
    let mut actual = String::new();
    let mut in_block = false;
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix("<!-- rota-test: clones now=") {
            clock = rest.trim_end_matches(" -->").to_string();
            continue;
        }
        if line == "```console" {
            in_block = true;
            continue;
        }
        if in_block && line == "```" {
            in_block = false;
            continue;
        }
        if !in_block {
            continue;
        }
        expected += line;
        expected += "\n";
        let Some((who, command)) = line.split_once("$ ") else {
            continue;
        };
        actual += line;
        actual += "\n";
        let (_, clone) = clones
            .iter()
            .find(|(name, _)| *name == who)
            .unwrap_or_else(|| panic!("no clone {who:?} for {line:?}"));
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("{{ {command} ; }} 2>&1"))
            .current_dir(&clone.path)
            .env("PATH", &path)
            .env("ROTA_NOW", &clock)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("ROTA_DIR")
            .env_remove("ROTA_USER")
            .env_remove("ROTA_SEED")
            .output()
            .unwrap();
        actual += &String::from_utf8_lossy(&output.stdout).replace(root.to_str().unwrap(), "/srv");
    }
    assert_eq!(actual, expected, "the README's sessions print otherwise");
}

/// What two clones can contradict across the list and the log: a cover for someone another
/// clone marked away, and a swap of a day another clone has handed over. Both merge cleanly;
/// check names each, with the line and what to do.
#[test]
fn contradictions_a_merge_creates_in_the_list_are_named() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    let monday = on_call(&alice, MON_10);
    // The schedule: Mon bob, Tue carol, Wed alice, Thu carol, Fri alice.
    assert_eq!(monday, "bob");
    // Alice: carol is away Friday; bob hands Monday over.
    alice.ok(MON_10, &["away", "carol", "2026-11-27"]);
    alice.ok(MON_17, &["handover", "--yes", "--as", &monday]);
    alice.commit_all("away and handover");
    // Bob, not pulled: Monday is swapped with Wednesday, and carol covers Friday.
    bob.ok(MON_10, &["swap", "2026-11-23", "2026-11-25"]);
    bob.ok(MON_10, &["cover", "2026-11-27", "carol"]);
    bob.commit_all("plans");
    alice.git(&["push", "-q"]);
    bob.pull(Pull::Rebase);
    assert_eq!(bob.status(), "");
    let list = bob.read("on-call-list.toml");
    let line_of = |needle: &str| list.lines().position(|l| l == needle).unwrap() + 1;
    let failed = bob.rota(TUE_09, &["check"]).unwrap_err();
    assert_eq!(failed.status.code(), Some(1));
    let path = bob.path.join("on-call-list.toml");
    let log = bob.log();
    let record = log
        .lines()
        .position(|l| l.starts_with("### Handover"))
        .unwrap()
        + 1;
    assert_eq!(
        String::from_utf8_lossy(&failed.stdout),
        format!(
            "{path}:{mon}: error: override puts alice on call Mon 2026-11-23, but the log records that bob served it (handover at 16:05 UTC, {log}:{record}): the day is past, delete this [[override]]\n",
            path = path.display(),
            mon = line_of("date = 2026-11-23"),
            log = bob.path.join("on-call-log.md").display(),
        ) + &format!(
            "{path}:{fri}: error: override puts carol on call Fri 2026-11-27 while away (the two may come from different clones): delete this [[override]] or that absence, or `rota cover 2026-11-27 ID` with someone who is here\n",
            path = path.display(),
            fri = line_of("date = 2026-11-27"),
        )
    );
}

/// The same entry edited by hand in two clones: the driver cannot know which edit is right, so
/// git stops on a conflict (check names it) instead of keeping both versions.
#[test]
fn the_same_line_edited_in_two_clones_stops_on_a_conflict() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    alice.ok(MON_10, &["log", "restarted the wiki pod"]);
    alice.commit_all("entry");
    alice.git(&["push", "-q"]);
    bob.pull(Pull::Rebase);
    bob.ok(MON_10, &["who"]);
    let edit = |clone: &Clone, to: &str| {
        let log = clone.log().replace("the wiki pod", to);
        std::fs::write(clone.path.join("on-call-log.md"), log).unwrap();
        clone.commit_all("edit by hand");
    };
    edit(&alice, "the wiki pod (by alice)");
    alice.git(&["push", "-q"]);
    edit(&bob, "the wiki pod and its cache");
    let pulled = git_command(&bob.path, &["pull", "-q", "--no-rebase"])
        .output()
        .unwrap();
    assert!(!pulled.status.success());
    let log = bob.log();
    assert!(
        log.contains("<<<<<<< ") && log.contains("(by alice)") && log.contains("its cache"),
        "{log}"
    );
    let failed = bob.rota(MON_11, &["check"]).unwrap_err();
    assert_eq!(failed.status.code(), Some(1));
}

/// A driver registered from a rota that has since moved runs nothing: git stops with one side
/// in the file and no markers. rota registers itself again, refuses to write into the
/// unmerged file, and check says how to finish with the driver.
#[test]
fn a_driver_that_moved_is_registered_again_and_an_unmerged_log_is_refused() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    alice.ok(MON_10, &["log", "from alice"]);
    alice.commit_all("alice");
    alice.git(&["push", "-q"]);
    bob.ok(MON_11, &["log", "from bob"]);
    bob.commit_all("bob");
    let moved = "'/nonexistent/rota' merge-driver log %O %A %B %P";
    bob.git(&["config", "merge.rota-log.driver", moved]);
    let pulled = git_command(&bob.path, &["pull", "-q", "--no-rebase"])
        .output()
        .unwrap();
    assert!(!pulled.status.success());
    assert!(!bob.log().contains("<<<<<<<"), "one side, no markers");
    let before = bob.log();
    let refused = bob.rota(MON_11, &["log", "more"]).unwrap_err();
    let path = bob.path.join("on-call-log.md");
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        format!(
            "rota: registered rota's merge drivers in this clone's git config (merge.rota-log, merge.rota-list)\nrota: error: {} is not merged yet: git stopped a merge on it\nhint: finish the merge with rota's merge driver (any rota command registers it in this clone): `git checkout -m {}`, `git add {}`, then `git commit` (or `git rebase --continue`)\n",
            path.display(),
            path.display(),
            path.display()
        )
    );
    assert_eq!(bob.log(), before);
    assert_ne!(bob.git(&["config", "merge.rota-log.driver"]).trim(), moved);
    bob.git(&["checkout", "-m", "on-call-log.md"]);
    bob.git(&["add", "on-call-log.md"]);
    bob.git(&["commit", "-q", "--no-edit"]);
    assert_eq!(
        body(&bob.log()),
        "## 2026-11-23 Mon\n\n- 09:00 UTC alice: from alice\n- 10:00 UTC bob: from bob\n"
    );
}

/// Two clones that each settle the same double handover leave two corrections: the merge keeps
/// both (each was written), check says the second changes nothing, and passes.
#[test]
fn two_clones_settling_the_same_duplicate_pass_check_with_a_note() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    let monday = on_call(&alice, MON_17);
    bob.ok(MON_17, &["handover", "--yes", "--as", &monday]);
    bob.commit_all("handover");
    alice.ok(MON_1710, &["handover", "--yes"]);
    alice.commit_all("stand-in");
    bob.git(&["push", "-q"]);
    alice.pull(Pull::Rebase);
    alice.git(&["push", "-q"]);
    bob.pull(Pull::Rebase);
    alice.ok(TUE_09, &["check", "--fix"]);
    alice.commit_all("fix");
    bob.ok(TUE_10, &["check", "--fix"]);
    bob.commit_all("fix too");
    alice.git(&["push", "-q"]);
    bob.pull(Pull::Merge);
    assert_eq!(bob.log().matches("### Correction").count(), 2);
    let log = bob.log();
    let line_of = |needle: &str| log.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let report = bob.ok(TUE_10, &["check"]);
    let path = bob.path.join("on-call-log.md");
    let voids: Vec<usize> = log
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- Void:"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        report,
        format!(
            "{p}:{v2}: note: this correction repeats the one at line {v1} (two clones each ran `rota check --fix`); it changes nothing\n{p}:{second}: note: Mon 2026-11-23 handed over twice; settled by a correction: 16:05 UTC {monday} → {next}, run by {monday} (line {first}) stands\n",
            p = path.display(),
            second = line_of("### Handover 16:10"),
            first = line_of("### Handover 16:05"),
            next = on_call(&bob, TUE_09),
            v1 = voids[0],
            v2 = voids[1],
        )
    );
    assert_agree(&[&alice, &bob], TUE_10);
}

/// Taking back an override in one clone while another adds an absence merges both ways.
#[test]
fn an_undo_in_one_clone_and_an_absence_in_another_merge_both_ways() {
    for how in [Pull::Merge, Pull::Rebase] {
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        alice.ok(MON_10, &["cover", "2026-11-26", "bob"]);
        alice.commit_all("cover");
        alice.git(&["push", "-q"]);
        let bob = origin.clone_as("bob");
        alice.ok(MON_10, &["cover", "2026-11-26", "--undo"]);
        alice.commit_all("undo");
        bob.ok(MON_10, &["away", "carol", "2026-12-10"]);
        bob.commit_all("away");
        alice.git(&["push", "-q"]);
        bob.pull(how);
        bob.git(&["push", "-q"]);
        alice.pull(how);
        assert_agree(&[&alice, &bob], MON_11);
        let list = alice.read("on-call-list.toml");
        assert!(
            !list.contains("[[override]]"),
            "{how:?}: the undo was lost:\n{list}"
        );
        assert!(
            list.contains("  { from = 2026-12-10 },\n"),
            "{how:?}:\n{list}"
        );
        alice.ok(MON_11, &["check", "--strict"]);
    }
}

/// A handover taken back in one clone while another logs: the merged log keeps both, in
/// either order, every clone says the rotation is back with the engineer who handed over, and
/// the past reads the same everywhere.
#[test]
fn a_handover_taken_back_in_one_clone_merges_both_ways() {
    for how in [Pull::Merge, Pull::Rebase] {
        let origin = Origin::new();
        let alice = origin.clone_as("alice");
        let monday = on_call(&alice, MON_10);
        let before = alice.json(MON_10, &["schedule", "--json", "--from", "2026-11-23"]);
        alice.ok(MON_17, &["handover", "--yes", "--commit"]);
        alice.git(&["push", "-q"]);
        let bob = origin.clone_as("bob");
        alice.ok(MON_1710, &["handover", "--undo", "--commit"]);
        bob.ok(MON_1710, &["log", "--commit", "late note"]);
        alice.git(&["push", "-q"]);
        bob.pull(how);
        bob.git(&["push", "-q"]);
        alice.pull(how);
        assert_agree(&[&alice, &bob], MON_1710);
        assert_eq!(on_call(&bob, MON_1710), monday, "{how:?}");
        assert_eq!(
            bob.json(MON_1710, &["schedule", "--json", "--from", "2026-11-23"]),
            before,
            "{how:?}: as if the handover had never been run"
        );
        let log = bob.log();
        assert!(
            log.contains("\n### Taken back 16:10 UTC: alice\n"),
            "{how:?}:\n{log}"
        );
        assert!(log.contains("late note"), "{how:?}:\n{log}");
        bob.ok(MON_1710, &["check", "--strict"]);
    }
}

/// Issue 19, finding 3: a teammate's entry whose text opens a fence and never closes it,
/// pushed, and another clone's handover of the same day. rota escapes what it writes, so no
/// entry of its own can open a fence: the teammate writes the line by hand. Whatever order the
/// driver would compose, the record never lands inside the open block: when the entry comes
/// before the record, the pull stops on git's conflict (with the driver's reason) and the
/// record still reads in the file; when it comes after, the merge is clean and the record reads
/// as on its own side.
#[test]
fn an_entry_that_opens_a_fence_never_swallows_a_handover_in_a_merge() {
    for how in [Pull::Merge, Pull::Rebase] {
        for (minute, conflicts) in [("09:30", true), ("16:30", false)] {
            let origin = Origin::new();
            let scout = origin.clone_as("scout");
            let monday = on_call(&scout, MON_10);
            assert_eq!(monday, "bob");
            let teammate = ["alice", "bob", "carol"]
                .into_iter()
                .find(|id| *id != monday)
                .unwrap();
            let serving = origin.clone_as(&monday);
            let other = origin.clone_as(teammate);
            other.ok(MON_10, &["who"]); // registers the merge drivers
            let fence = format!(
                "- {minute} UTC {teammate}: the deploy printed:\n```\nError: connection refused\n"
            );
            let mut log = other.log();
            log.push_str(&format!("\n## 2026-11-23 Mon\n\n{fence}"));
            std::fs::write(other.path.join("on-call-log.md"), &log).unwrap();
            other.commit_all("an entry by hand");
            other.git(&["push", "-q"]);
            serving.ok(MON_17, &["handover", "--yes"]);
            serving.commit_all("handover");
            let record = serving.log()[other.log().len() - fence.len() - 20..].to_string();
            let record = &record[record.find("### Handover").unwrap()..];
            let before = serving.json(TUE_09, &["who", "--json"]);
            let flag = match how {
                Pull::Merge => "--no-rebase",
                Pull::Rebase => "--rebase",
            };
            let pulled = git_command(&serving.path, &["pull", "-q", flag])
                .output()
                .unwrap();
            let context = format!("{how:?}, entry at {minute}");
            let stderr = String::from_utf8_lossy(&pulled.stderr);
            assert_eq!(!pulled.status.success(), conflicts, "{context}: {stderr}");
            let header = &other.log()[..other.log().find("\n## ").unwrap() + 1];
            let merged = serving.log();
            if conflicts {
                assert!(
                    stderr.contains(
                        "a code or HTML block one side left open would change how the other side's lines read"
                    ),
                    "{context}: {stderr}"
                );
                // git's markers hold both sides whole; the record is outside the open block.
                let (first, second) = match how {
                    Pull::Merge => (record.to_string(), fence.clone()),
                    Pull::Rebase => (fence.clone(), record.to_string()),
                };
                assert_eq!(
                    merged,
                    format!(
                        "{header}## 2026-11-23 Mon\n\n<<<<<<< ours\n{}=======\n{}>>>>>>> theirs\n",
                        first, second
                    ),
                    "{context}"
                );
                // Until the merge is finished, `who` reads the file as it stands: with the
                // record first (a merge), as on its own side; after the open block (a rebase
                // puts the pulled side first), hidden, and the handover reads as overdue.
                let who = serving.json(TUE_09, &["who", "--json"]);
                match how {
                    Pull::Merge => assert_eq!(who, before, "{context}"),
                    Pull::Rebase => assert_eq!(
                        who,
                        serde_json::json!({
                            "date": "2026-11-24",
                            "working_day": true,
                            "status": "overdue",
                            "today": true,
                            "on_call": {
                                "id": "bob", "name": "Bob Dvořák", "email": "bob@example.org",
                                "chat": null, "phone": null, "timezone": "Europe/Prague",
                                "local_time": "2026-11-24T09:00:00+01:00", "date": "2026-11-23",
                                "reason": "round start",
                                "detail": "handover overdue; carol takes over at the handover",
                                "covering_for": null
                            },
                            "next": {
                                "id": "carol", "name": "Carol Jiménez",
                                "email": "carol@example.org", "chat": null, "phone": null,
                                "timezone": "Europe/Prague",
                                "local_time": "2026-11-24T09:00:00+01:00", "date": "2026-11-24"
                            },
                            "escalation": [],
                            "handover_due": false,
                            "handover_overdue": true,
                            "late_working_days": 1
                        }),
                        "{context}"
                    ),
                }
                // rota writes nothing into the unmerged log.
                let refused = serving.rota(TUE_09, &["log", "x"]).unwrap_err();
                assert!(
                    String::from_utf8_lossy(&refused.stderr).contains("is not merged yet"),
                    "{context}: {}",
                    String::from_utf8_lossy(&refused.stderr)
                );
            } else {
                assert_eq!(
                    merged,
                    // The entry, written before the record came in, under a `### Log`
                    // heading: on a forge it reads as the day's, not as part of the record.
                    format!(
                        "{header}## 2026-11-23 Mon\n\n{record}\n### Log {minute} UTC\n\n{fence}"
                    ),
                    "{context}"
                );
                // The record reads as on its own side; the open block is left at the end, and
                // rota refuses to append into it.
                assert_eq!(
                    serving.json(TUE_09, &["who", "--json"]),
                    before,
                    "{context}"
                );
                let refused = serving.rota(TUE_09, &["log", "x"]).unwrap_err();
                assert!(
                    String::from_utf8_lossy(&refused.stderr).contains("ends inside a code block"),
                    "{context}"
                );
            }
        }
    }
}

/// The first two working days after Monday whose engineers differ, one of them bob's, as the
/// schedule shows them at `now`: (bob's day, the other day, its engineer).
fn a_day_of_bob_and_another(clone: &Clone, now: &str) -> (String, String, String) {
    let rows = clone.json(now, &["schedule", "--json", "--days", "10"]);
    let turns: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["date"].as_str() > Some("2026-11-23") && r["engineer"].is_string())
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_string(),
                r["engineer"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let bobs = turns.iter().find(|(_, id)| id == "bob").unwrap().clone();
    let other = turns.iter().find(|(_, id)| id != "bob").unwrap().clone();
    (bobs.0, other.0, other.1)
}

/// A swap in alice's clone and bob's removal in carol's merge cleanly. No command fails for
/// it: each names the swap that puts bob on call, with the undo that takes both days back,
/// and goes on; `check` reports it; that undo, run as printed, works in every clone.
#[test]
fn a_swap_merged_with_the_removal_of_its_engineer_is_named_and_taken_back() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let carol = origin.clone_as("carol");
    let (bobs_day, other_day, other) = a_day_of_bob_and_another(&alice, MON_10);
    alice.ok(MON_10, &["swap", &bobs_day, &other_day]);
    alice.commit_all("swap");
    alice.git(&["push", "-q"]);
    let list = carol.read("on-call-list.toml");
    let start = list.find("[[engineer]]\nid = \"bob\"").unwrap();
    let end = start + list[start..].find("\n\n").unwrap() + 2;
    std::fs::write(
        carol.path.join("on-call-list.toml"),
        format!("{}{}", &list[..start], &list[end..]),
    )
    .unwrap();
    carol.commit_all("bob leaves the team");
    carol.pull(Pull::Merge);
    let merged = carol.read("on-call-list.toml");
    assert!(!merged.contains("id = \"bob\""), "{merged}");
    let line = merged
        .lines()
        .position(|l| l == "engineer = \"bob\"")
        .unwrap()
        + 1;
    // The swap gave bob the other day.
    let undo = format!("rota swap {other_day} {bobs_day} --undo");
    let warning = format!(
        "rota: warning: {}:{line}: the swap on {} puts bob, who is not an engineer of the team, on call; rota leaves the day to the rotation\nhint: take it back: {undo}\n",
        carol.path.join("on-call-list.toml").display(),
        show(&other_day),
    );
    // The first command registers the drivers, and says so.
    let _ = carol.rota(MON_11, &["who"]);
    for args in [
        &["who"][..],
        &["who", "--json"],
        &["schedule"],
        &["next", "alice"],
        &["stats"],
        &["team"],
        &["log", "--list"],
    ] {
        let output = carol.rota_command(MON_11, args).output().unwrap();
        assert!(output.status.success(), "rota {args:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            warning,
            "rota {args:?}"
        );
    }
    // The rotation's engineer has the day the swap gave bob.
    let answer = carol.json(MON_11, &["who", "--json", "--date", &other_day]);
    assert_eq!(answer["on_call"]["id"], other);
    let failed = carol.rota(MON_11, &["check"]).unwrap_err();
    let report = String::from_utf8_lossy(&failed.stdout).into_owned();
    assert!(
        report.contains(&format!(
            ":{line}: error: the override on {} puts bob, who is not an engineer of the team, on call; rota leaves the day to the rotation: take it back with `{undo}`, or give the day to someone in the team with `rota cover {other_day} ID`\n",
            show(&other_day)
        )),
        "{report}"
    );
    // Its other half, made for bob's day, is stale: check's hint for it names both days too.
    assert!(
        report.contains(&format!("run `rota swap {bobs_day} {other_day} --undo`")),
        "{report}"
    );
    assert!(!report.contains("OTHER_DAY"), "{report}");
    let args: Vec<&str> = undo.split(' ').skip(1).collect();
    carol.ok(MON_11, &args);
    carol.ok(MON_11, &["check"]);
    assert!(!carol.read("on-call-list.toml").contains("[[override]]"));
}

/// `Mon 2026-11-30` for `2026-11-30`.
fn show(day: &str) -> String {
    let date: chrono::NaiveDate = day.parse().unwrap();
    date.format("%a %Y-%m-%d").to_string()
}

/// Two handovers of Monday: bob's stands, alice's (made in a clone that had not pulled) is
/// void. What alice's did to the carried items is not lost: the item she closed stays closed
/// and the one she added is carried, so the next handover asks about exactly those; check
/// says so, and that only her note reaches no one.
#[test]
fn a_void_handover_keeps_its_closures_and_its_open_items() {
    let origin = Origin::new();
    let alice = origin.clone_as("alice");
    let bob = origin.clone_as("bob");
    // Friday's handover (by hand in the founder's log would do; a real one is simpler):
    // Monday's engineer is handed two open items on Monday morning by a forced handover.
    let monday = on_call(&alice, MON_10);
    alice.ok(
        MON_10,
        &[
            "handover",
            "--yes",
            "--force",
            "--as",
            &monday,
            "--open",
            "rotate the key",
            "--open",
            "renew the cert",
        ],
    );
    alice.commit_all("handover with two items");
    alice.git(&["push", "-q"]);
    bob.pull(Pull::Merge);
    let tuesday = on_call(&alice, MON_11);
    // Both clones hand Tuesday's turn over on Tuesday; bob's first.
    bob.ok(TUE_17, &["handover", "--yes", "--as", &tuesday]);
    bob.commit_all("bob's handover");
    alice.ok(
        TUE_1710,
        &[
            "handover",
            "--yes",
            "--as",
            &tuesday,
            "--done",
            "1",
            "--open",
            "page the DBA",
            "--note",
            "db-2 is flaky",
        ],
    );
    alice.commit_all("alice's handover");
    bob.git(&["push", "-q"]);
    alice.pull(Pull::Merge);
    alice.git(&["push", "-q"]);
    bob.pull(Pull::Merge);
    let carried = &alice.json(WED_09, &["who", "--json"])["carried"];
    assert_eq!(
        carried["open_items"],
        serde_json::json!(["renew the cert", "page the DBA"]),
        "{carried}"
    );
    assert_eq!(alice.json(WED_09, &["who", "--json"])["carried"], *carried);
    let failed = bob.rota(WED_09, &["check"]).unwrap_err();
    let report = String::from_utf8_lossy(&failed.stdout).into_owned();
    assert!(
        report.contains(
            ": note: the void record: its open item \"page the DBA\" is carried with the standing record's; the item it closed (\"rotate the key\") stays closed; its note \"db-2 is flaky\" reaches no one: tell the engineer on call\n"
        ),
        "{report}"
    );
    // The next handover closes what is carried, by the numbers `who` shows.
    let wednesday = on_call(&bob, WED_09);
    bob.ok(WED_09, &["check", "--fix"]);
    let out = bob.ok(
        WED_17,
        &[
            "handover", "--yes", "--as", &wednesday, "--done", "1", "--done", "2",
        ],
    );
    assert!(!out.contains("Open items"), "{out}");
    assert_eq!(
        bob.json(WED_1710, &["who", "--json"])["carried"],
        serde_json::Value::Null
    );
}

/// Two clones import the public holidays of two regions (`rota holidays import`), one pushes,
/// the other pulls, by merge and by rebase: the list's driver joins the two `[regions.*]`
/// tables, each with its holidays' names, where git's line merge would stop on a conflict at
/// the end of the file. Both clones end with the same list, and `check` passes.
#[test]
fn two_clones_importing_two_regions_holidays_merge_cleanly() {
    let fixtures = format!("{}/tests/fixtures/calendars", env!("CARGO_MANIFEST_DIR"));
    for how in [Pull::Merge, Pull::Rebase] {
        let origin = Origin::new();
        let (alice, bob) = (origin.clone_as("alice"), origin.clone_as("bob"));
        bob.ok(MON_10, &["who"]); // registers the merge drivers
        let uk = format!("{fixtures}/google-holidays-uk.ics");
        let cz = format!("{fixtures}/thunderbird-holidays-cz.ics");
        alice.ok(MON_10, &["holidays", "import", &uk, "--region", "uk"]);
        alice.commit_all("uk holidays");
        alice.git(&["push", "-q"]);
        bob.ok(MON_10, &["holidays", "import", &cz, "--region", "cz"]);
        let bobs = bob.read("on-call-list.toml");
        bob.commit_all("cz holidays");
        bob.pull(how);
        assert_eq!(bob.status(), "", "{how:?}");
        let merged = bob.read("on-call-list.toml");
        let alices = alice.read("on-call-list.toml");
        let uk_table = &alices[alices.find("\n[regions.uk]").unwrap()..];
        let cz_table = &bobs[bobs.find("\n[regions.cz]").unwrap()..];
        // The pulled side's table after the list as it was on the side that pulls.
        let expected = match how {
            Pull::Merge => format!("{bobs}{uk_table}"),
            Pull::Rebase => format!("{alices}{cz_table}"),
        };
        assert_eq!(merged, expected, "{how:?}");
        bob.ok(MON_10, &["check"]);
        bob.git(&["push", "-q"]);
        alice.pull(how);
        assert_eq!(alice.read("on-call-list.toml"), merged, "{how:?}");
    }
}
