//! Untrusted files at the repository's edge: what a teammate can push (symlinks to devices, a publish
//! directory that is a link, a log that is the list) is met through real git, with a bare
//! origin, the attacker's clone and the victim's, and each outcome asserted exactly.

use crate::common::{self, git, git_command};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// Monday 2026-11-23, 10:00 in Prague.
const NOW: &str = "2026-11-23T10:00:00+01:00";

/// A bare origin with a team of three (`rota init`, pushed) and two clones: `mallory`, who
/// pushes, and `victim`, who pulls and runs rota.
struct Repo {
    root: TempDir,
}

impl Repo {
    fn new() -> Repo {
        let root = tempfile::tempdir().unwrap();
        common::bare_origin(root.path());
        let repo = Repo { root };
        for who in ["mallory", "victim"] {
            common::clone_as(repo.root.path(), who);
            let clone = repo.clone_of(who);
            if who == "mallory" {
                rota(&clone, common::INIT).assert_ok();
                git(&clone, &["add", "-A"]);
                git(&clone, &["commit", "-q", "-m", "rota init"]);
                git(&clone, &["push", "-q", "-u", "origin", "main"]);
            } else {
                git(&clone, &["pull", "-q", "origin", "main"]);
                git(&clone, &["branch", "-q", "-u", "origin/main"]);
                // Registers rota's merge drivers in the clone, as a first run does.
                rota(&clone, &["who"]).assert_ok();
            }
        }
        repo
    }

    fn clone_of(&self, who: &str) -> PathBuf {
        self.root.path().join(who).canonicalize().unwrap()
    }

    fn mallory(&self) -> PathBuf {
        self.clone_of("mallory")
    }

    fn victim(&self) -> PathBuf {
        self.clone_of("victim")
    }

    /// Mallory commits what `change` does in her clone and pushes it; the victim pulls.
    fn push_and_pull(&self, message: &str, change: impl FnOnce(&Path)) {
        let mallory = self.mallory();
        change(&mallory);
        git(&mallory, &["add", "-A"]);
        git(&mallory, &["commit", "-q", "-m", message]);
        git(&mallory, &["push", "-q"]);
        git(&self.victim(), &["pull", "-q", "--no-rebase"]);
    }
}

/// What a finished rota printed, for exact assertions.
struct Ran(Output);

impl Ran {
    fn assert_ok(self) -> Ran {
        assert!(self.0.status.success(), "{}", self.stderr());
        self
    }

    fn code(&self) -> Option<i32> {
        self.0.status.code()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
}

fn rota(dir: &Path, args: &[&str]) -> Ran {
    rota_at(dir, NOW, args)
}

fn rota_at(dir: &Path, now: &str, args: &[&str]) -> Ran {
    Ran(run_bounded(common::rota_process(dir, now).args(args)))
}

/// Runs `command` with stdin left open (a pipe nobody writes: reading it would block) and
/// fails the test if it takes more than 20 s.
fn run_bounded(command: &mut Command) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("{command:?} still running after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn symlink(target: &str, link: &Path) {
    let _ = std::fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Shows the victim's clone as `CLONE` in messages.
fn shown(ran: &Ran, clone: &Path) -> String {
    ran.stderr().replace(clone.to_str().unwrap(), "CLONE")
}

#[test]
fn a_pushed_link_to_a_device_is_refused_as_what_it_is_and_nothing_hangs() {
    let repo = Repo::new();
    let victim = repo.victim();
    let log_before = std::fs::read(victim.join("on-call-log.md")).unwrap();
    repo.push_and_pull("log", |clone| {
        symlink("/dev/zero", &clone.join("on-call-log.md"));
    });
    // The link leads out of the repository: refused before anything is opened.
    for args in [
        &["who"][..],
        &["log", "--as", "bob", "x"],
        &["check"],
        &["schedule"],
    ] {
        let ran = rota(&victim, args);
        assert_eq!(ran.code(), Some(1), "{args:?}");
        if args == ["check"] {
            // check names it among its findings, on stdout.
            let out =
                String::from_utf8_lossy(&ran.0.stdout).replace(victim.to_str().unwrap(), "CLONE");
            assert!(
                out.contains(
                    "error: CLONE/on-call-log.md leads outside the team's directory (to /dev/zero)"
                ),
                "{out}"
            );
            continue;
        }
        assert_eq!(
            shown(&ran, &victim),
            "rota: error: CLONE/on-call-log.md leads outside the team's directory (to /dev/zero): rota reads and writes only inside CLONE\n\
             hint: replace the symlink with the file itself, or point team.log at a file inside the repository; nothing was written\n",
            "{args:?}"
        );
    }
    // The list linked to what never ends, from a clone whose stdin stays open.
    repo.push_and_pull("list", |clone| {
        std::fs::remove_file(clone.join("on-call-log.md")).unwrap();
        std::fs::write(clone.join("on-call-log.md"), &log_before).unwrap();
        symlink("/dev/stdin", &clone.join("on-call-list.toml"));
    });
    let ran = rota(&victim, &["who"]);
    assert_eq!(ran.code(), Some(1));
    let stderr = shown(&ran, &victim);
    assert!(
        stderr.starts_with("rota: error: CLONE/on-call-list.toml leads outside the team's directory")
            && stderr.ends_with(": rota reads and writes only inside CLONE\nhint: replace the symlink with the file itself, or point team.log at a file inside the repository; nothing was written\n"),
        "{stderr}"
    );
}

#[test]
fn a_fifo_as_log_list_or_playbook_is_refused_without_waiting() {
    let team = common::Team::new();
    let dir = team.dir.path();
    let mkfifo = |path: &Path| {
        assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
    };
    mkfifo(&dir.join("on-call-log.md"));
    for args in [
        &["who"][..],
        &["log", "--as", "bob", "x"],
        &["publish", "site"],
    ] {
        let ran = rota(dir, args);
        assert_eq!(ran.code(), Some(1), "{args:?}");
        assert!(
            ran.stderr()
                .contains("on-call-log.md: it is a FIFO, not a regular file\n"),
            "{args:?}: {}",
            ran.stderr()
        );
    }
    std::fs::remove_file(dir.join("on-call-log.md")).unwrap();
    team.write(
        "on-call-list.toml",
        common::TEAM.replace("holidays =", "playbook = \"PLAYBOOK.md\"\nholidays ="),
    );
    mkfifo(&dir.join("PLAYBOOK.md"));
    let ran = rota(dir, &["publish", "site"]);
    assert_eq!(ran.code(), Some(1));
    let path = dir.join("PLAYBOOK.md").display().to_string();
    assert_eq!(
        ran.stderr(),
        format!(
            "rota: error: cannot read {path}: it is a FIFO, not a regular file\n\
             hint: rota reads only regular files: replace {path} with the file itself; nothing was written\n"
        )
    );
    assert!(!dir.join("site").exists());
}

#[test]
fn check_reads_a_pushed_gitattributes_only_as_a_file() {
    let repo = Repo::new();
    let victim = repo.victim();
    repo.push_and_pull("attributes", |clone| {
        symlink("/dev/zero", &clone.join(".gitattributes"));
    });
    let ran = rota(&victim, &["check"]);
    assert_eq!(ran.code(), Some(1));
    let out = String::from_utf8_lossy(&ran.0.stdout).replace(victim.to_str().unwrap(), "CLONE");
    assert!(
        out.contains("CLONE/.gitattributes:1: error: cannot read CLONE/.gitattributes: it is a device, not a regular file\n"),
        "{out}"
    );
}

/// A log linked to the list (directly, or through a directory link) is refused: `rota log`
/// would append Markdown into the list.
#[test]
fn a_log_that_resolves_to_the_list_is_refused() {
    let repo = Repo::new();
    let victim = repo.victim();
    let list = std::fs::read(victim.join("on-call-list.toml")).unwrap();
    repo.push_and_pull("log is the list", |clone| {
        symlink("on-call-list.toml", &clone.join("on-call-log.md"));
    });
    let want = "rota: error: CLONE/on-call-log.md resolves to on-call-list.toml, which is not a log: rota would append Markdown into it\n\
                hint: make the log a file of its own (replace the symlink with the log itself, or point team.log at another file); nothing was written\n";
    for args in [&["log", "--as", "bob", "x"][..], &["who"]] {
        let ran = rota(&victim, args);
        assert_eq!(ran.code(), Some(1));
        assert_eq!(shown(&ran, &victim), want, "{args:?}");
    }
    let ran = rota(&victim, &["check"]);
    assert_eq!(ran.code(), Some(1));
    // Through a directory link: `log = "d/on-call-list.toml"`, `d -> .`.
    repo.push_and_pull("log through a directory", |clone| {
        std::fs::remove_file(clone.join("on-call-log.md")).unwrap();
        symlink(".", &clone.join("d"));
        let text = std::fs::read_to_string(clone.join("on-call-list.toml")).unwrap();
        let text = text.replacen(
            "log = \"on-call-log.md\"",
            "log = \"d/on-call-list.toml\"",
            1,
        );
        std::fs::write(clone.join("on-call-list.toml"), text).unwrap();
    });
    let list = std::fs::read(victim.join("on-call-list.toml")).unwrap_or(list);
    let ran = rota(&victim, &["log", "--as", "bob", "x"]);
    assert_eq!(ran.code(), Some(1));
    assert_eq!(
        shown(&ran, &victim),
        "rota: error: CLONE/d/on-call-list.toml resolves to on-call-list.toml, which is not a log: rota would append Markdown into it\n\
         hint: make the log a file of its own (replace the symlink with the log itself, or point team.log at another file); nothing was written\n"
    );
    assert_eq!(
        std::fs::read(victim.join("on-call-list.toml")).unwrap(),
        list
    );
}

/// A pushed `public -> outside` link: however DIR is spelt, nothing is written outside.
#[test]
fn the_publish_directory_is_resolved_physically_whatever_its_spelling() {
    let repo = Repo::new();
    let victim = repo.victim();
    let outside = tempfile::tempdir().unwrap();
    let outside_dir = outside.path().canonicalize().unwrap();
    repo.push_and_pull("public", |clone| {
        symlink(outside_dir.to_str().unwrap(), &clone.join("public"));
        std::fs::create_dir(clone.join("sub")).unwrap();
        std::fs::write(clone.join("sub/keep"), "").unwrap();
    });
    let alias_dir = tempfile::tempdir().unwrap();
    let alias = alias_dir.path().join("alias");
    std::os::unix::fs::symlink(&victim, &alias).unwrap();
    let spellings: Vec<(PathBuf, Vec<String>)> = vec![
        (victim.clone(), vec!["publish".into(), "public".into()]),
        (
            victim.clone(),
            vec!["publish".into(), "sub/../public".into()],
        ),
        (
            victim.join("sub"),
            vec![
                "--dir".into(),
                "..".into(),
                "publish".into(),
                "../public".into(),
            ],
        ),
        (
            victim.clone(),
            vec!["publish".into(), alias.join("public").display().to_string()],
        ),
    ];
    for (cwd, args) in spellings {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ran = rota(&cwd, &args);
        assert_eq!(ran.code(), Some(1), "{args:?}");
        assert_eq!(
            ran.stderr()
                .replace(outside_dir.to_str().unwrap(), "OUTSIDE"),
            format!(
                "rota: error: {} leads outside the team's directory (to OUTSIDE): a symlink in the repository does not choose where rota writes\n\
                 hint: name the directory itself (rota publish /srv/www/on-call), or remove the symlink; nothing was written\n",
                args.last().unwrap()
            ),
            "{args:?}"
        );
        assert_eq!(std::fs::read_dir(&outside_dir).unwrap().count(), 0);
    }
    // Through the alias, a directory inside the repository is the repository's.
    rota(&victim, &["publish", alias.join("site").to_str().unwrap()]).assert_ok();
    assert!(victim.join("site/index.html").is_file());
}

/// `public/status.json -> /dev/zero` is replaced, not read to the end.
#[test]
fn publish_replaces_a_linked_file_without_reading_it() {
    let repo = Repo::new();
    let victim = repo.victim();
    repo.push_and_pull("site", |clone| {
        std::fs::create_dir(clone.join("public")).unwrap();
        symlink("/dev/zero", &clone.join("public/status.json"));
    });
    rota(&victim, &["publish", "public"]).assert_ok();
    let status = victim.join("public/status.json");
    assert!(std::fs::symlink_metadata(&status).unwrap().is_file());
    assert!(std::fs::read_to_string(&status).unwrap().starts_with('{'));
}

/// The log's merge driver reads the list beside the log for the team's zone: a pushed link
/// to `/dev/zero` or `/dev/stdin` reads as no list, and `git pull` finishes.
#[test]
fn the_merge_driver_reads_no_device_and_git_pull_finishes() {
    for device in ["/dev/zero", "/dev/stdin"] {
        let repo = Repo::new();
        let (mallory, victim) = (repo.mallory(), repo.victim());
        // The victim's rota registers the drivers in their clone.
        rota(&victim, &["log", "--as", "bob", "victim's entry"]).assert_ok();
        git(&victim, &["commit", "-q", "-am", "victim"]);
        rota(&mallory, &["log", "--as", "alice", "mallory's entry"]).assert_ok();
        symlink(device, &mallory.join("on-call-list.toml"));
        git(&mallory, &["add", "-A"]);
        git(&mallory, &["commit", "-q", "-m", "mallory"]);
        git(&mallory, &["push", "-q"]);
        let pulled = run_bounded(&mut git_command(
            &victim,
            &["pull", "-q", "--no-rebase", "--no-edit"],
        ));
        assert!(
            pulled.status.success(),
            "{device}: {}",
            String::from_utf8_lossy(&pulled.stderr)
        );
        let log = std::fs::read_to_string(victim.join("on-call-log.md")).unwrap();
        assert!(log.contains("alice: mallory's entry\n"), "{log}");
        assert!(log.contains("bob: victim's entry\n"), "{log}");
        assert!(!log.contains("<<<<<<<"));
    }
}

/// `rota handover` and `rota away` for the engineer it passes the turn to, started together
/// in one clone: both decide under the team's one lock, from the files as they are under it.
/// Either the absence is refused (the day was handed to them) or the handover passes the turn
/// to someone who is here; never an absent engineer on call, and check passes.
#[test]
fn handover_and_away_started_together_never_leave_an_absent_engineer_on_call() {
    const MON_17: &str = "2026-11-23T17:05:00+01:00";
    const TUE_10: &str = "2026-11-24T10:00:00+01:00";
    for trial in 0..30 {
        let team = common::Team::new();
        let dir = team.dir.path();
        let answer = common::json(
            &common::rota_process(dir, NOW)
                .args(["who", "--json"])
                .output()
                .unwrap(),
        );
        let on_call = answer["on_call"]["id"].as_str().unwrap().to_string();
        let next = answer["next"]["id"].as_str().unwrap().to_string();
        assert_eq!(answer["next"]["date"], "2026-11-24");
        let mut handover = common::rota_process(dir, MON_17);
        handover
            .args(["handover", "--yes"])
            .env("ROTA_USER", &on_call)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut away = common::rota_process(dir, MON_17);
        away.args(["away", &next, "2026-11-24"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let (mut a, mut b) = if trial % 2 == 0 {
            let a = handover.spawn().unwrap();
            (a, away.spawn().unwrap())
        } else {
            let b = away.spawn().unwrap();
            (handover.spawn().unwrap(), b)
        };
        let (handed, absent) = (a.wait().unwrap(), b.wait().unwrap());
        assert!(handed.success(), "trial {trial}: the handover failed");
        let tuesday = common::json(
            &common::rota_process(dir, TUE_10)
                .args(["who", "--json"])
                .output()
                .unwrap(),
        );
        let serving = tuesday["on_call"]["id"].as_str().unwrap_or("").to_string();
        let away_list = common::json(
            &common::rota_process(dir, TUE_10)
                .args(["away", &next, "--list", "--json"])
                .output()
                .unwrap(),
        );
        let next_away = away_list
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["from"] == "2026-11-24");
        assert_eq!(next_away, absent.success(), "trial {trial}");
        if next_away {
            assert_ne!(serving, next, "trial {trial}: {next} is away and on call");
        } else {
            assert_eq!(serving, next, "trial {trial}");
        }
        let check = common::rota_process(dir, TUE_10)
            .arg("check")
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "trial {trial}: {}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

/// Everyone away on the rotation's first days: those days are gaps in every view, and
/// `check --strict` fails on them.
#[test]
fn a_day_nobody_can_take_before_the_first_handover_is_a_gap_everywhere() {
    let list = common::TEAM
        .replace(
            "holidays =",
            "[rotation]\nstart = 2026-11-23\n\n[team.x]\nholidays =",
        )
        .replace("[team.x]\n", "");
    // The [rotation] table goes after [team]'s keys: rebuild the list in that order.
    let list = list.replacen("[rotation]\nstart = 2026-11-23\n\n", "", 1)
        + "\n[rotation]\nstart = 2026-11-23\n";
    let away = "away = [{ from = 2026-11-23, to = 2026-11-24 }]\n";
    let list = list.replace(
        "email = \"alice@example.org\"\n",
        &format!("email = \"alice@example.org\"\n{away}"),
    );
    let list = ["bob", "carol", "dave", "erin"]
        .iter()
        .fold(list, |list, id| {
            list.replace(
                &format!("email = \"{id}@example.org\"\n"),
                &format!("email = \"{id}@example.org\"\n{away}"),
            )
        });
    let team = common::Team::with_list(&list);
    let dir = team.dir.path();
    let output = common::rota_process(dir, NOW)
        .args(["schedule", "--days", "3"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<&str> = table.lines().skip(1).take(2).collect();
    assert!(
        rows[0].starts_with("2026-11-23  Mon  —") && rows[0].ends_with("today · no one available"),
        "{table}"
    );
    assert!(
        rows[1].starts_with("2026-11-24  Tue  —") && rows[1].ends_with("no one available"),
        "{table}"
    );
    let who = common::json(
        &common::rota_process(dir, NOW)
            .args(["who", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(who["status"], "gap");
    assert_eq!(who["on_call"], serde_json::Value::Null);
    let check = common::rota_process(dir, NOW)
        .args(["check", "--strict"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(
        out.contains("warning: no one is available on Mon 2026-11-23\n"),
        "{out}"
    );
    assert!(
        out.contains("warning: no one is available on Tue 2026-11-24\n"),
        "{out}"
    );
}

/// rota's days end on 2199-12-31: the schedule and `next` stop there.
#[test]
fn no_command_shows_a_day_past_2199() {
    let team = common::Team::new();
    let dir = team.dir.path();
    let late = "2199-12-20T10:00:00+01:00";
    let rows = common::json(
        &common::rota_process(dir, late)
            .args(["schedule", "--days", "3660", "--json"])
            .output()
            .unwrap(),
    );
    let last = rows.as_array().unwrap().last().unwrap()["date"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(last, "2199-12-31");
    for id in ["alice", "bob", "carol", "dave", "erin"] {
        let next = common::json(
            &common::rota_process(dir, late)
                .args(["next", id, "--count", "100", "--json"])
                .output()
                .unwrap(),
        );
        for turn in next["turns"].as_array().unwrap() {
            assert!(turn["date"].as_str().unwrap() <= "2199-12-31", "{turn}");
        }
    }
}

#[test]
fn an_absence_of_more_than_ten_years_says_so() {
    let team = common::Team::new();
    let output = team
        .rota(NOW, &["away", "bob", "2026-12-01", "2036-12-31"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "rota: error: the absence from 2026-12-01 to 2036-12-31 lasts more than 3660 days (about ten years), the most an absence may\n\
         hint: give a nearer last day, at the latest 2036-12-08: rota away bob 2026-12-01 2036-12-08\n\
         hint: for someone who has left the team, remove their [[engineer]] table instead; nothing was written\n"
    );
    assert_eq!(team.list(), common::TEAM);
    // The hint's command works as printed.
    team.rota(NOW, &["away", "bob", "2026-12-01", "2036-12-08"])
        .assert()
        .success();
}

/// A list past the team's limits is refused at the first table too many, before parsing.
#[test]
fn a_team_past_its_limits_is_refused_at_the_table_too_many() {
    let engineers: String = (0..1001)
        .map(|i| format!("[[engineer]]\nid = \"e{i}\"\nname = \"E\"\n\n"))
        .collect();
    let list = format!("[team]\nname = \"T\"\ntimezone = \"UTC\"\n\n{engineers}");
    let team = common::Team::with_list(&list);
    let output = team.rota(NOW, &["who"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let path = team.path("on-call-list.toml").display().to_string();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "rota: error: more than 1000 engineers: a team's list holds at most 1000\n    \
             --> {path}:4005:1\n     |\n4005 | [[engineer]]\n     | ^^^^^^^^^^^^\n\
             hint: a rotation of more people is several teams: give each its own list\n"
        )
    );
    let overrides: String = (0..2001)
        .map(|i| {
            let day =
                chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(i);
            format!("[[override]]\ndate = {day}\nengineer = \"alice\"\n\n")
        })
        .collect();
    let team = common::Team::with_list(&format!("{}\n{overrides}", common::TEAM));
    let output = team.rota(NOW, &["who"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "rota: error: more than 2000 overrides: a team's list holds at most 2000\n"
        ) && stderr.ends_with(
            "hint: delete past [[override]] tables: the log keeps who served each day\n"
        ),
        "{stderr}"
    );
}

/// When the list's driver leaves a conflict, bytes that are not UTF-8 stay as they were.
#[test]
fn a_conflict_in_the_list_keeps_every_byte() {
    let repo = Repo::new();
    let (mallory, victim) = (repo.mallory(), repo.victim());
    let edit = |clone: &Path, comment: &[u8]| {
        let mut bytes = std::fs::read(clone.join("on-call-list.toml")).unwrap();
        let at = bytes.windows(7).position(|w| w == b"[team]\n").unwrap() + 7;
        bytes.splice(at..at, comment.iter().copied());
        std::fs::write(clone.join("on-call-list.toml"), bytes).unwrap();
        git(clone, &["commit", "-q", "-am", "comment"]);
    };
    edit(&mallory, b"# caf\xe9 latin-1\n");
    git(&mallory, &["push", "-q"]);
    edit(&victim, b"# ours\n");
    let pulled = git_command(&victim, &["pull", "-q", "--no-rebase", "--no-edit"])
        .output()
        .unwrap();
    assert!(!pulled.status.success());
    let merged = std::fs::read(victim.join("on-call-list.toml")).unwrap();
    let holds = |needle: &[u8]| merged.windows(needle.len()).any(|w| w == needle);
    assert!(
        holds(b"# caf\xe9 latin-1\n"),
        "{}",
        String::from_utf8_lossy(&merged)
    );
    assert!(!holds("\u{fffd}".as_bytes()));
    assert!(holds(b"<<<<<<< ours\n# ours\n"));
}
