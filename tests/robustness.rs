//! What rota promises under SIGKILL, under concurrency, and on bad input.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::Team;
use predicates::prelude::*;

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

fn rotation_of(list: &str) -> (String, String) {
    let doc: toml::Table = list.parse().expect("the list always parses");
    let rotation = doc["rotation"].as_table().unwrap();
    (
        rotation["on-call"].as_str().unwrap().to_string(),
        rotation["day"].to_string(),
    )
}

#[test]
fn sigkill_at_random_moments_leaves_whole_files_that_agree() {
    let mut random = Lcg(20261122);
    let team = Team::new();
    team.rota("2026-11-23T08:00:00+01:00", &["who"])
        .assert()
        .success();
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut completed_entries = Vec::new();
    for round in 0..300 {
        let before_list = team.list();
        let before = rotation_of(&before_list);
        let handover = random.below(3) == 0;
        let now = format!("{day}T17:05:00+01:00");
        let text = format!("entry {round}");
        let mut command = Command::new(env!("CARGO_BIN_EXE_rota"));
        command
            .current_dir(team.dir.path())
            .env("ROTA_NOW", &now)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if handover {
            command.args(["handover", "--yes"]);
        } else {
            command.args(["log", &text]);
        }
        let mut child = command.spawn().unwrap();
        std::thread::sleep(Duration::from_micros(random.below(4000)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() && !handover {
            completed_entries.push(text.clone());
        }

        // The list parses and holds the old or the new state.
        let list = team.list();
        let after = rotation_of(&list);
        let mut log = team.log();
        if !(log.is_empty() || log.ends_with('\n')) {
            // A half line: only ever the end of an append that rota knows was interrupted, and
            // which the next write removes.
            let journal = team.path(".on-call-log.md.rota-append");
            let start: usize = std::fs::read_to_string(&journal)
                .expect("a half line without a journal")
                .parse()
                .unwrap();
            assert!(
                log[..start].ends_with('\n'),
                "round {round}: the log before the append was whole"
            );
            team.rota(&now, &["check"])
                .assert()
                .stdout(predicate::str::contains("an append was interrupted"));
            team.rota(&now, &["log", "repair"])
                .assert()
                .success()
                .stderr(predicate::str::contains("an append that was interrupted"));
            completed_entries.push("repair".to_string());
            log = team.log();
            assert!(!journal.exists());
        }
        assert!(
            log.is_empty() || log.ends_with('\n'),
            "round {round}: a half line:\n{log}"
        );
        for entry in &completed_entries {
            assert!(
                log.contains(&format!(": {entry}\n")),
                "round {round}: a completed entry is gone: {entry}"
            );
        }
        if after != before {
            // The state moved on: its handover record is in the log.
            assert!(
                log.contains(&format!(
                    "- Next: {} ({})\n",
                    chrono::NaiveDate::parse_from_str(&after.1, "%Y-%m-%d")
                        .unwrap()
                        .format("%a %Y-%m-%d"),
                    after.0
                )),
                "round {round}: state without its record"
            );
            day = chrono::NaiveDate::parse_from_str(&after.1, "%Y-%m-%d").unwrap();
        } else {
            assert_eq!(
                list, before_list,
                "round {round}: the list changed without a new state"
            );
        }
        // rota check agrees the files are whole; if a handover record has no state, it says so,
        // and the next handover completes it without writing the record twice.
        let check = team.rota(&now, &["check"]).output().unwrap();
        assert!(
            check.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        if String::from_utf8_lossy(&check.stdout).contains("stopped before saving the rotation") {
            let records = log.matches("### Handover").count();
            team.rota(&now, &["handover", "--yes"])
                .assert()
                .success()
                // Either the record was whole and is completed, or its append had not
                // finished and is replaced: one record either way.
                .stderr(
                    predicate::str::contains("saving the rotation now")
                        .or(predicate::str::contains("an append that was interrupted")),
                );
            assert_eq!(team.log().matches("### Handover").count(), records);
            day = chrono::NaiveDate::parse_from_str(&rotation_of(&team.list()).1, "%Y-%m-%d")
                .unwrap();
        }
    }
}

#[test]
fn sixty_four_writers_of_fifty_entries_lose_nothing_while_a_handover_runs() {
    let team = Team::new();
    let now = "2026-11-23T17:05:00+01:00";
    team.rota(now, &["who"]).assert().success();
    let dir = team.dir.path().to_path_buf();
    let writers: Vec<_> = (0..64)
        .map(|w| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    let status = Command::new(env!("CARGO_BIN_EXE_rota"))
                        .current_dir(&dir)
                        .args([
                            "log",
                            &format!("writer {w:02} entry {i:02} {}", "x".repeat(w * 3 + 1)),
                        ])
                        .env("ROTA_NOW", now)
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
    for w in 0..64 {
        for i in 0..50 {
            let line = format!(": writer {w:02} entry {i:02} {}\n", "x".repeat(w * 3 + 1));
            assert_eq!(
                log.matches(&line).count(),
                1,
                "writer {w} entry {i} lost or torn"
            );
        }
    }
    assert_eq!(
        log.lines().filter(|l| l.starts_with("- 16:05 UTC")).count(),
        3200
    );
    assert_eq!(log.matches("### Handover").count(), 1);
    team.rota(now, &["check"]).assert().success();
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
fn a_full_disk_is_an_error_that_changes_nothing() {
    // Needs a small tmpfs; skipped where the test cannot mount one (not root, no mount).
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
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
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
            let mut list = include_bytes!("../on-call-list.toml").to_vec();
            for (at, byte) in edits {
                let at = at % list.len();
                list[at] = byte;
            }
            every_read_path_survives(&list, include_bytes!("../on-call-log.md"));
        }
    }
}
