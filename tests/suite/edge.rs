//! rota at the repository's edge: what a teammate can push (symlinks to devices, a publish
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
        git(
            root.path(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        let repo = Repo { root };
        for who in ["mallory", "victim"] {
            git(repo.root.path(), &["clone", "-q", "origin.git", who]);
            let clone = repo.clone_of(who);
            git(
                &clone,
                &["config", "user.email", &format!("{who}@example.org")],
            );
            git(&clone, &["config", "user.name", who]);
            git(&clone, &["config", "commit.gpgsign", "false"]);
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
