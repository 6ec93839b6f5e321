//! What rota promises under SIGKILL, under concurrency, and on bad input.

use crate::common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Team, json};
use predicates::prelude::*;

const NOW: &str = "2026-11-23T10:00:00+01:00";

/// A small deterministic generator, so a failing run can be repeated.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The day shown as a record shows it: `Mon 2026-11-23`.
fn show(day: &str) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .format("%a %Y-%m-%d")
        .to_string()
}

#[test]
fn sigkill_at_random_moments_leaves_whole_files_that_agree() {
    let mut random = Lcg(20261122);
    let team = Team::new();
    let journal = team.path(".on-call-log.md.rota-append");
    let mut day = "2026-11-23".to_string();
    let mut completed_entries: Vec<String> = Vec::new();
    let mut completed_handovers = 0;
    for round in 0..300 {
        let now = format!("{day}T17:05:00+01:00");
        let before = team.on_call(&now);
        let before_log = team.log();
        let records_before = before_log.matches("### Handover").count();
        let handover = random.below(3) == 0;
        let text = format!("entry {round}");
        let mut command = common::rota_process(team.dir.path(), &now);
        command
            .env("ROTA_USER", "alice")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if handover {
            command.args(["handover", "--yes"]);
        } else {
            command.args(["log", &text]);
        }
        let mut child = command.spawn().unwrap();
        // Killed at a random moment of its run; every 25th run is let finish, so that the
        // rotation surely moves on.
        let delay = random.below(12_000);
        if round % 25 != 24 {
            std::thread::sleep(Duration::from_micros(delay));
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        if round % 25 == 24 {
            assert!(status.success(), "round {round}: {status:?}");
        }
        match (status.success(), handover) {
            (true, true) => completed_handovers += 1,
            (true, false) => completed_entries.push(text.clone()),
            (false, _) => {}
        }

        // The list is never written: the log holds the rotation.
        assert_eq!(team.list(), common::TEAM, "round {round}: the list changed");
        // The log was only appended to.
        let mut log = team.log();
        assert!(
            log.starts_with(&before_log),
            "round {round}: the log lost what it had"
        );
        if let Ok(note) = std::fs::read_to_string(&journal) {
            // An append was interrupted (or had not yet said it finished). The journal says
            // where it began; check says whether what follows is whole; the next write takes
            // back an interrupted append and keeps a finished one.
            let length = note
                .lines()
                .find_map(|l| l.strip_prefix("length="))
                .and_then(|n| n.parse::<usize>().ok());
            match length {
                // Killed while the journal was being written: nothing was appended yet.
                None => assert_eq!(log, before_log, "round {round}"),
                Some(length) => assert_eq!(length, before_log.len(), "round {round}"),
            }
            let report = team.rota(&now, &["check"]).output().unwrap();
            let interrupted =
                String::from_utf8_lossy(&report.stdout).contains("an append was interrupted");
            let repair = format!("repair {round}");
            let output = team
                .rota(&now, &["log", &repair])
                .env("ROTA_USER", "alice")
                .output()
                .unwrap();
            assert!(output.status.success(), "round {round}");
            assert_eq!(
                String::from_utf8_lossy(&output.stderr).contains("an append that was interrupted"),
                interrupted,
                "round {round}: check and the repair disagree"
            );
            completed_entries.push(repair.clone());
            assert!(!journal.exists(), "round {round}: the journal stays");
            let kept = if interrupted {
                before_log.clone()
            } else {
                log.clone()
            };
            log = team.log();
            // What follows is the repair entry (after a day heading, a `### Log` heading after
            // a record, or a blank line at most): of an interrupted append nothing is left; a
            // finished one is kept whole.
            let entry = format!("- 16:05 UTC alice: {repair}\n");
            let added = log.strip_prefix(&kept).unwrap_or_default();
            let before_entry = added[..added.len().saturating_sub(entry.len())]
                .replace("\n### Log 16:05 UTC\n", "");
            assert!(
                added.ends_with(&entry) && !before_entry.contains("16:05 UTC"),
                "round {round}: the repair did not keep exactly the whole log:\n{log}"
            );
            if kept.len() > before_log.len() {
                // The finished append counts: an entry or a handover.
                if handover {
                    completed_handovers += 1;
                } else {
                    completed_entries.push(text.clone());
                }
            }
        }
        // The log ends with a whole entry or a whole handover record (its round line).
        let last = log.lines().last().unwrap_or_default();
        assert!(
            log.is_empty()
                || (log.ends_with('\n')
                    && ((last.starts_with("- ") && last.contains(" UTC alice: "))
                        || (last.starts_with("Round ") && last.contains("**")))),
            "round {round}: the log ends with a part of something:\n{log}"
        );
        for entry in &completed_entries {
            assert_eq!(
                log.matches(&format!(": {entry}\n")).count(),
                1,
                "round {round}: a completed entry is gone or doubled: {entry}"
            );
        }
        let records = log.matches("### Handover").count();
        assert!(
            records >= completed_handovers,
            "round {round}: a handover is gone"
        );
        // rota check finds nothing to say, and who answers from the last record.
        team.rota(&now, &["check"]).assert().success().stdout("");
        let after = team.on_call(&now);
        if records == records_before {
            assert_eq!(
                after, before,
                "round {round}: the state moved without a record"
            );
        } else {
            assert_eq!(records, records_before + 1, "round {round}");
            let record = &log[log.rfind("\n### Handover").unwrap()..];
            assert!(
                record.starts_with(&format!(
                    "\n### Handover 16:05 UTC: {} → {}\n\n- Served: {} ({})\n- Next: {} ({})\n",
                    before.0,
                    after.0,
                    show(&before.1),
                    before.0,
                    show(&after.1),
                    after.0
                )),
                "round {round}: the state is not the last record's:\n{record}"
            );
            assert!(after.1 > before.1, "round {round}: {before:?} → {after:?}");
            day = after.1.clone();
        }
    }
    assert!(completed_handovers > 0, "no handover was let finish");
}

/// Concurrent appends under the lock, with a handover among them. (Sixty-four writers of fifty
/// entries proved no more and took a minute and a half of the suite: every append fsyncs.)
#[test]
fn sixteen_writers_of_twenty_five_entries_lose_nothing_while_a_handover_runs() {
    const WRITERS: usize = 16;
    const ENTRIES: usize = 25;
    let team = Team::new();
    let now = "2026-11-23T17:05:00+01:00";
    let ids = ["alice", "bob", "carol", "dave", "erin"];
    let dir = team.dir.path().to_path_buf();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for i in 0..ENTRIES {
                    let status = common::rota_process(&dir, now)
                        .args([
                            "log",
                            &format!("writer {w:02} entry {i:02} {}", "x".repeat(w * 12 + 100)),
                        ])
                        .env("ROTA_USER", ids[w % 5])
                        .stdout(Stdio::null())
                        .status()
                        .unwrap();
                    assert!(status.success());
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    team.rota(now, &["handover", "--yes"]).assert().success();
    for writer in writers {
        writer.join().unwrap();
    }
    let log = team.log();
    for w in 0..WRITERS {
        for i in 0..ENTRIES {
            let line = format!(
                "- 16:05 UTC {}: writer {w:02} entry {i:02} {}\n",
                ids[w % 5],
                "x".repeat(w * 12 + 100)
            );
            assert_eq!(
                log.matches(&line).count(),
                1,
                "writer {w} entry {i} lost or torn"
            );
        }
    }
    assert_eq!(
        log.lines().filter(|l| l.starts_with("- 16:05 UTC")).count(),
        WRITERS * ENTRIES
    );
    assert_eq!(log.matches("### Handover").count(), 1);
    assert_eq!(team.list(), common::TEAM);
    // The day's section outgrows the 64 KiB that rota reads first of the log's end: it stays
    // one section all the same.
    assert_eq!(log.matches("\n## ").count(), 1, "one section for the day");
    team.rota(now, &["check", "--strict"]).assert().success();
}

#[test]
fn a_day_longer_than_the_tail_keeps_one_section_and_its_handover() {
    let team = Team::new();
    // One busy day: more than 64 KiB of entries under its heading, then the handover.
    let entries: String = (0..700)
        .map(|i| format!("- 15:00 UTC alice: entry {i:03} {}\n", "x".repeat(100)))
        .collect();
    team.write(
        "on-call-log.md",
        format!("# On-call log: Cloud SRE\n\n## 2026-11-23 Mon\n\n{entries}"),
    );
    let now = "2026-11-23T17:05:00+01:00";
    let (monday, _) = team.on_call(now);
    let next = json(&team.rota(now, &["who", "--json"]).output().unwrap())["next"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    team.rota(now, &["handover", "--yes"]).assert().success();
    // The record is the rotation's state.
    assert_eq!(team.on_call(now), (next.clone(), "2026-11-24".to_string()));
    team.rota(now, &["handover", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{next}'s turn starts Tue 2026-11-24"
        )));
    // A later entry of the day stays in the day's one section, under a `### Log` heading.
    team.rota("2026-11-23T17:30:00+01:00", &["log", "after"])
        .env("ROTA_USER", &next)
        .assert()
        .success();
    let log = team.log();
    assert_eq!(log.matches("\n## ").count(), 1);
    let end: Vec<&str> = log.lines().rev().take(5).collect();
    assert_eq!(end[0], format!("- 16:30 UTC {next}: after"));
    assert_eq!(end[1..4], ["", "### Log 16:30 UTC", ""]);
    assert!(
        end[4].starts_with(&format!("Round 1: ~~{monday}~~, **{next}**, ")),
        "{end:?}"
    );
    team.rota(now, &["check"]).assert().success().stdout("");
}

/// Every read path, on a list or log that is `bytes`: never a panic, and nothing written.
fn every_read_path_survives(list: &[u8], log: &[u8]) {
    let team = Team::new();
    team.write("on-call-list.toml", list);
    team.write("on-call-log.md", log);
    let now = "2026-11-23T10:00:00+01:00";
    for args in [
        &["who"][..],
        &["who", "--json"],
        &["log"],
        &["log", "--list", "--grep", "x"],
        &["schedule", "--days", "5"],
        &["stats"],
        &["check"],
        &["next", "alice"],
    ] {
        let before = (
            std::fs::read(team.path("on-call-list.toml")).unwrap(),
            std::fs::read(team.path("on-call-log.md")).unwrap(),
        );
        let output = team.rota(now, args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
        assert!(
            matches!(output.status.code(), Some(0..=2)),
            "{args:?}: {:?} {stderr}",
            output.status
        );
        if !output.status.success() {
            assert!(
                stderr.starts_with("rota: error: ") || stderr.contains("\nrota: error: "),
                "{args:?}: not a clear error: {stderr}"
            );
            let after = (
                std::fs::read(team.path("on-call-list.toml")).unwrap(),
                std::fs::read(team.path("on-call-log.md")).unwrap(),
            );
            assert!(after == before, "{args:?} failed but wrote");
        }
    }
}

#[test]
fn bad_input_gets_a_clear_error_and_no_write() {
    let good = common::TEAM.as_bytes().to_vec();
    let mut invalid_utf8 = good.clone();
    invalid_utf8.splice(40..40, [0xff, 0xfe, 0x80]);
    let bom = [b"\xef\xbb\xbf".as_slice(), &good].concat();
    let crlf = common::TEAM.replace('\n', "\r\n").into_bytes();
    let huge_line = format!("{}# {}\n", common::TEAM, "x".repeat(2_000_000)).into_bytes();
    let nested = format!(
        "{}x = {}1{}\n",
        common::TEAM,
        "[".repeat(5000),
        "]".repeat(5000)
    )
    .into_bytes();
    let far_dates = common::TEAM
        .replace("2026-12-24,", "9999-12-31, 0001-01-01,")
        .into_bytes();
    let far_rotation = format!("{}\n[rotation]\nseed = 9223372036854775807\nround = 4294967295\norder = [\"alice\"]\non-call = \"alice\"\nday = 9999-12-30\n", common::TEAM).into_bytes();
    let lists: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("invalid UTF-8", invalid_utf8),
        ("byte-order mark", bom),
        ("CRLF", crlf),
        ("huge line", huge_line),
        ("deeply nested", nested),
        ("dates far out", far_dates),
        ("rotation at the end of time", far_rotation),
        ("binary", (0..=255u8).cycle().take(4096).collect()),
    ];
    let logs: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\xff\xfe not utf-8 \x80\n## 2026-11-23 Mon\n- 09:00 UTC a: b\n".to_vec(),
        b"\xef\xbb\xbf# log\r\n## 2026-11-23 Mon \xc2\xb7 x\r\n".to_vec(),
        format!("# log\n- {}\n", "y".repeat(200_000)).into_bytes(),
        b"## 9999-99-99 Mon\n### Handover 99:99 UTC: \xe2\x86\x92\n- Served: (\n- Next: \n"
            .to_vec(),
    ];
    for (name, list) in &lists {
        for log in &logs {
            eprintln!("list: {name}");
            every_read_path_survives(list, log);
        }
    }
}

#[test]
fn a_directory_or_a_read_only_file_where_a_file_should_be() {
    let team = Team::new();
    std::fs::remove_file(team.path("on-call-list.toml")).unwrap();
    std::fs::create_dir(team.path("on-call-list.toml")).unwrap();
    team.rota("2026-11-23T10:00:00+01:00", &["who"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no on-call-list.toml"));
    team.rota(
        "2026-11-23T10:00:00+01:00",
        &[
            "--dir",
            team.path("on-call-list.toml").to_str().unwrap(),
            "who",
        ],
    )
    .assert()
    .code(1)
    .stderr(predicate::str::starts_with("rota: error: "));
}

#[test]
#[ignore = "mounts a 64 KiB tmpfs, which needs root: .ci/run runs it (cargo test --test suite -- --ignored robustness::) when it can"]
fn a_full_disk_is_an_error_that_changes_nothing() {
    let mount_point = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            "size=64k",
            "tmpfs",
            mount_point.path().to_str().unwrap(),
        ])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "cannot mount a tmpfs here: run this test as root");
    let dir = mount_point.path();
    std::fs::write(dir.join("on-call-list.toml"), common::TEAM).unwrap();
    let run = |args: &[&str]| {
        common::rota_in(dir, "2026-11-23T10:00:00+01:00", args)
            .output()
            .unwrap()
    };
    assert!(run(&["who"]).status.success());
    // Fill the disk, leaving a few bytes.
    let filler = dir.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 64 * 1024]);
    let list = std::fs::read(dir.join("on-call-list.toml")).unwrap();
    let log = std::fs::read(dir.join("on-call-log.md")).unwrap_or_default();
    let output = run(&["handover", "--yes"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let after_list = std::fs::read(dir.join("on-call-list.toml")).unwrap();
    let after_log = std::fs::read(dir.join("on-call-log.md")).unwrap_or_default();
    let _ = Command::new("umount").arg(dir).status();
    if output.status.success() {
        panic!("the handover fitted on a full disk: the test filled nothing");
    }
    assert!(stderr.contains("rota: error:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(after_list, list, "the list is as it was");
    assert_eq!(after_log, log, "the log is as it was");
}

mod mutated_lists {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// The example list, mutated, through the real binary's read paths.
        #[test]
        fn no_read_path_panics_on_a_mutated_list(
            edits in proptest::collection::vec((0usize..4000, any::<u8>()), 1..6),
        ) {
            let mut list = include_bytes!("../../examples/cloud-sre/on-call-list.toml").to_vec();
            for (at, byte) in edits {
                let at = at % list.len();
                list[at] = byte;
            }
            every_read_path_survives(&list, include_bytes!("../../examples/cloud-sre/on-call-log.md"));
        }
    }
}

/// The append's write protocol stopped at each step (a test-only fault that ends the process
/// there, as SIGKILL would, with no race against a timer): the log is always its old bytes,
/// or its old bytes and a whole append, once the next write has run, and check agrees.
#[test]
fn an_append_stopped_at_each_step_recovers_to_whole_files() {
    let entry = "- 09:00 UTC alice: the entry that was being written\n";
    let steps: Vec<String> = ["journal".to_string(), "synced".to_string()]
        .into_iter()
        .chain(
            [0, 1, 10, entry.len() - 1]
                .iter()
                .map(|n| format!("append:{n}")),
        )
        .collect();
    for step in &steps {
        let team = Team::new();
        team.write(
            "on-call-log.md",
            "# Log\n\n## 2026-11-23 Mon\n\n- 08:00 UTC bob: before\n",
        );
        let before = team.log();
        let stopped = team
            .rota(
                NOW,
                &["log", "--as", "alice", "the entry that was being written"],
            )
            .env("ROTA_TEST_FAULT", step)
            .output()
            .unwrap();
        assert_eq!(stopped.status.code(), Some(137), "{step}");
        let finished = step == "synced";
        let report = team.rota(NOW, &["check"]).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&report.stdout).contains("an append was interrupted"),
            step.starts_with("append:") && step != "append:0",
            "{step}: {}",
            String::from_utf8_lossy(&report.stdout)
        );
        team.rota(NOW, &["log", "--as", "bob", "next"])
            .assert()
            .success();
        let kept = if finished {
            format!("{before}{entry}")
        } else {
            before.clone()
        };
        assert_eq!(
            team.log(),
            format!("{kept}- 09:00 UTC bob: next\n"),
            "{step}"
        );
        assert!(!team.path(".on-call-log.md.rota-append").exists(), "{step}");
        team.rota(NOW, &["check", "--strict"]).assert().success();
    }
}

/// A journal that is not this log's (another file's, one from before a pull changed the log,
/// one longer than the log, one rota did not write) truncates nothing: it is ignored, said,
/// and removed.
#[test]
fn a_stale_or_foreign_journal_truncates_nothing() {
    let log = "# Log\n\n## 2026-11-23 Mon\n\n- 08:00 UTC bob: before\n";
    let journals = [
        "rota append journal v1\nlog=other.md\nlength=5\nbefore=0000000000000000\nadded=3\nadded-hash=0000000000000000\n".to_string(),
        "rota append journal v1\nlog=on-call-log.md\nlength=20\nbefore=0123456789abcdef\nadded=3\nadded-hash=0000000000000000\n".to_string(),
        format!(
            "rota append journal v1\nlog=on-call-log.md\nlength={}\nbefore=0000000000000000\nadded=3\nadded-hash=0000000000000000\n",
            log.len() + 100
        ),
        "12\n".to_string(),
    ];
    for journal in &journals {
        let team = Team::new();
        team.write("on-call-log.md", log);
        team.write(".on-call-log.md.rota-append", journal);
        let report = team.rota(NOW, &["check", "--strict"]).output().unwrap();
        assert!(!report.status.success());
        assert!(
            String::from_utf8_lossy(&report.stdout)
                .contains("a stale append journal lies beside the log"),
            "{journal}"
        );
        let output = team
            .rota(NOW, &["log", "--as", "bob", "next"])
            .output()
            .unwrap();
        assert!(output.status.success());
        assert!(
            String::from_utf8_lossy(&output.stderr).starts_with("rota: warning: ignored "),
            "{journal}"
        );
        assert_eq!(
            team.log(),
            format!("{log}- 09:00 UTC bob: next\n"),
            "{journal}"
        );
        assert!(!team.path(".on-call-log.md.rota-append").exists());
    }
}

/// A list write stopped after its temporary file is synced but before the rename: the list is
/// its old bytes; the leftover is removed by the next write.
#[test]
fn a_list_write_stopped_before_its_rename_leaves_the_old_list() {
    let team = Team::new();
    let stopped = team
        .rota(NOW, &["away", "bob", "2026-12-01"])
        .env("ROTA_TEST_FAULT", "renamed")
        .output()
        .unwrap();
    assert_eq!(stopped.status.code(), Some(137));
    assert_eq!(team.list(), common::TEAM);
    let leftovers = || {
        std::fs::read_dir(team.dir.path())
            .unwrap()
            .filter(|e| {
                let name = e
                    .as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .to_string();
                name.starts_with(".on-call-list.toml.") && name.ends_with(".tmp")
            })
            .count()
    };
    assert_eq!(leftovers(), 1);
    team.rota(NOW, &["away", "bob", "2026-12-01"])
        .assert()
        .success();
    assert_eq!(leftovers(), 0);
    assert!(team.list().contains("  { from = 2026-12-01 },\n"));
}

/// Sixty processes at once, mixing every command that writes: each decides under the team's
/// lock, so no update is lost, exactly one handover of the day happens, check passes, and
/// nobody away is ever on call.
#[test]
fn sixty_writers_of_every_kind_lose_nothing_and_put_nobody_away_on_call() {
    let team = Team::with_list(&format!(
        "{}\n[rotation]\nstart = 2026-11-23\n",
        common::TEAM
    ));
    let now = "2026-11-23T17:05:00+01:00";
    let ids = ["alice", "bob", "carol", "dave", "erin"];
    // Covers on Tue-Fri of the next weeks; swaps on other days; absences on days that may
    // collide with a cover (then one of the two is refused, whichever comes second).
    let covers: Vec<(String, &str)> = (0..10)
        .map(|i| {
            (
                format!("2026-12-{:02}", [1, 2, 3, 4, 8, 9, 10, 11, 15, 16][i]),
                ids[i % 5],
            )
        })
        .collect();
    let swaps = [("2026-12-07", "2026-12-14"), ("2026-12-17", "2026-12-18")];
    let absences: Vec<(&str, String)> = (0..15)
        .map(|i| {
            (
                ids[(i + 2) % 5],
                format!("2026-12-{:02}", [1, 2, 3, 4, 8][i % 5]),
            )
        })
        .collect();
    let mut jobs: Vec<(String, Vec<String>)> = Vec::new();
    for i in 0..23 {
        let who = ids[i % 5];
        jobs.push((
            format!("log {i}"),
            vec![
                "log".into(),
                "--as".into(),
                who.into(),
                format!("concurrent entry {i:02}"),
            ],
        ));
    }
    for (day, id) in &covers {
        jobs.push((
            format!("cover {day}"),
            vec!["cover".into(), day.clone(), (*id).into()],
        ));
    }
    for (a, b) in swaps {
        jobs.push((format!("swap {a}"), vec!["swap".into(), a.into(), b.into()]));
    }
    for (id, day) in &absences {
        jobs.push((
            format!("away {id} {day}"),
            vec!["away".into(), (*id).into(), day.clone()],
        ));
    }
    for i in 0..10 {
        jobs.push((
            format!("handover {i}"),
            vec![
                "handover".into(),
                "--yes".into(),
                "--as".into(),
                "alice".into(),
            ],
        ));
    }
    assert!(jobs.len() >= 60);
    let children: Vec<_> = jobs
        .iter()
        .map(|(name, args)| {
            let child = common::rota_process(team.dir.path(), now)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            (name.clone(), child)
        })
        .collect();
    let mut succeeded = Vec::new();
    for (name, child) in children {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        if output.status.success() {
            succeeded.push(name);
        }
    }

    let log = team.log();
    let list: toml::Table = team.list().parse().unwrap();
    for i in 0..23 {
        assert!(succeeded.contains(&format!("log {i}")), "log {i} failed");
        assert_eq!(
            log.matches(&format!(": concurrent entry {i:02}\n")).count(),
            1
        );
    }
    assert_eq!(
        succeeded
            .iter()
            .filter(|n| n.starts_with("handover"))
            .count(),
        1
    );
    // Some absences and covers collided, and one of each pair was refused.
    let refused = jobs.len() - succeeded.len();
    assert!(
        refused > 9,
        "only {refused} refused: the test no longer makes collisions"
    );
    assert_eq!(log.matches("### Handover").count(), 1);
    let overrides = list
        .get("override")
        .and_then(|o| o.as_array())
        .cloned()
        .unwrap_or_default();
    let override_on = |day: &str| {
        overrides
            .iter()
            .find(|o| o["date"].to_string() == day)
            .map(|o| o["engineer"].as_str().unwrap().to_string())
    };
    for (day, id) in &covers {
        if succeeded.contains(&format!("cover {day}")) {
            assert_eq!(override_on(day).as_deref(), Some(*id), "cover {day} lost");
        }
    }
    for (a, b) in swaps {
        if succeeded.contains(&format!("swap {a}")) {
            assert!(
                override_on(a).is_some() && override_on(b).is_some(),
                "swap {a} lost"
            );
        }
    }
    let engineers = list["engineer"].as_array().unwrap();
    let away_of = |id: &str| -> Vec<String> {
        engineers
            .iter()
            .find(|e| e["id"].as_str() == Some(id))
            .and_then(|e| e.get("away"))
            .and_then(|a| a.as_array())
            .map(|a| a.iter().map(|x| x["from"].to_string()).collect())
            .unwrap_or_default()
    };
    for (id, day) in &absences {
        if succeeded.contains(&format!("away {id} {day}")) {
            assert!(away_of(id).contains(day), "away {id} {day} lost");
        }
    }
    team.rota(now, &["check"]).assert().success();
    let schedule = json(
        &team
            .rota(
                "2026-11-24T09:00:00+01:00",
                &["schedule", "--json", "--days", "25"],
            )
            .output()
            .unwrap(),
    );
    for slot in schedule.as_array().unwrap() {
        let (day, id) = (slot["date"].as_str().unwrap(), slot["engineer"].as_str());
        if let Some(id) = id {
            assert!(
                !away_of(id).contains(&day.to_string()),
                "{id} is away on {day} but on call"
            );
        }
    }
}
