//! The repository's edge: what a teammate pushes must not run a command, name who is typing,
//! or carry a private file or commit off another engineer's machine. Each test is the attack
//! through real git: a bare origin, the attacker's clone that pushes the crafted files, and the
//! victim's clone that pulls them and runs an everyday command.

use crate::common;

use std::path::{Path, PathBuf};

use common::{INIT, git, rota_in};
use tempfile::TempDir;

const NOW: &str = "2026-11-23T10:00:00+01:00";
const EVENING: &str = "2026-11-23T17:05:00+01:00";

/// A bare origin holding a team started in `oncall/`, and the clones made of it.
struct Origin {
    root: TempDir,
}

impl Origin {
    fn new() -> Origin {
        let root = tempfile::tempdir().unwrap();
        common::bare_origin(root.path());
        let origin = Origin { root };
        let founder = origin.clone_as("founder");
        std::fs::create_dir(founder.join("oncall")).unwrap();
        rota_in(&founder.join("oncall"), NOW, INIT)
            .assert()
            .success();
        founder.commit_all("rota init");
        git(&founder, &["push", "-q", "-u", "origin", "main"]);
        origin
    }

    fn url(&self) -> PathBuf {
        self.root.path().join("origin.git")
    }

    /// A clone whose git identity is `who@example.org`, at its physical path (as rota shows it).
    fn clone_as(&self, who: &str) -> PathBuf {
        std::fs::canonicalize(common::clone_as(self.root.path(), who)).unwrap()
    }

    /// Everything the origin holds, every commit's patch: where a secret must not be.
    fn history(&self) -> String {
        git(&self.url(), &["log", "--all", "-p", "--format=%H %s"])
    }

    /// A place outside every clone for the canary an attacker's command would create.
    fn canary(&self) -> PathBuf {
        std::fs::canonicalize(self.root.path())
            .unwrap()
            .join("canary")
    }
}

trait CloneExt {
    fn commit_all(&self, message: &str);
    fn write(&self, name: &str, text: &str);
    fn read(&self, name: &str) -> String;
    fn head(&self) -> String;
}

impl CloneExt for PathBuf {
    fn commit_all(&self, message: &str) {
        git(self, &["add", "-A"]);
        git(self, &["commit", "-q", "-m", message]);
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.join(name)).unwrap_or_default()
    }

    fn head(&self) -> String {
        git(self, &["rev-parse", "HEAD"])
    }
}

/// `rota ARGS` in `dir`: exit code, stdout, stderr.
fn rota(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    rota_at(dir, NOW, args)
}

/// `rota ARGS` in `dir` at `now`.
fn rota_at(dir: &Path, now: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let output = rota_in(dir, now, args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The first rota command in a clone registers the merge drivers (and says so): done before
/// the attack, so that the victim's command prints only what it answers.
fn settle(clone: &Path) {
    let (code, _, stderr) = rota(&clone.join("oncall"), &["who"]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// A git config that would run `canary`-creating commands from every place git looks, and
/// name alice as the person typing.
fn hostile_config(canary: &Path) -> String {
    let touch = format!("touch '{}'", canary.display());
    format!(
        "[core]\n\trepositoryformatversion = 0\n\tfsmonitor = {touch}\n\thooksPath = hooks\n[user]\n\temail = alice@example.org\n[rota \"hook\"]\n\thandover = {touch}\n\tannounce = {touch}\n"
    )
}

/// The attacker's files that make `dir` look like a bare repository to git, with `config`.
fn push_bare_lookalike(attacker: &PathBuf, dir: &str, config: &str, canary: &Path) {
    attacker.write(&format!("{dir}/HEAD"), "ref: refs/heads/main\n");
    attacker.write(&format!("{dir}/objects/info/.keep"), "");
    attacker.write(&format!("{dir}/refs/heads/.keep"), "");
    attacker.write(&format!("{dir}/config"), config);
    let hook = format!("#!/bin/sh\ntouch '{}'\n", canary.display());
    for name in ["pre-commit", "post-commit", "pre-push", "post-index-change"] {
        attacker.write(&format!("{dir}/hooks/{name}"), &hook);
        set_executable(&attacker.join(format!("{dir}/hooks/{name}")));
    }
    attacker.commit_all("tidy the on-call directory");
    git(attacker, &["push", "-q"]);
}

fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `[team]` of the list with `lines` added after the team's name.
fn team_setting(clone: &PathBuf, lines: &str) {
    let list = clone.read("oncall/on-call-list.toml").replacen(
        "name = \"Cloud SRE\"\n",
        &format!("name = \"Cloud SRE\"\n{lines}"),
        1,
    );
    clone.write("oncall/on-call-list.toml", &list);
}

#[test]
fn a_pushed_bare_repository_in_the_team_directory_is_refused_and_runs_nothing() {
    let origin = Origin::new();
    let attacker = origin.clone_as("mallory");
    let victim = origin.clone_as("bob");
    let canary = origin.canary();
    let config = hostile_config(&canary);
    team_setting(&attacker, "commit = true\n");
    push_bare_lookalike(&attacker, "oncall", &config, &canary);
    git(&victim, &["pull", "-q"]);
    let victim_config = victim.read(".git/config");
    let log = victim.read("oncall/on-call-log.md");
    let head = victim.head();
    let team = victim.join("oncall");
    let top = victim.display().to_string();
    let expected = format!(
        "rota: error: {team} looks like a git repository of its own (it holds HEAD, objects/ and refs/): git would read its config and run what it names, so rota runs nothing here\n\
         hint: see who added them: git -C '{top}' log --format='%h %an %ad %s' -- 'oncall/HEAD' 'oncall/objects' 'oncall/refs' 'oncall/config'\n\
         hint: remove them, then commit and push: git -C '{top}' rm -r -q --ignore-unmatch -- 'oncall/HEAD' 'oncall/objects' 'oncall/refs' 'oncall/config'\n\
         hint: and keep git itself from taking such a directory for a repository: git config --global safe.bareRepository explicit\n",
        team = team.display()
    );
    for args in [
        &["handover", "--yes", "--as", "alice"][..],
        &["log", "--as", "bob", "rebooted the wiki"],
        &["who"],
    ] {
        let (code, stdout, stderr) = rota(&team, args);
        assert!(
            !canary.exists(),
            "{args:?} ran the pushed command: {stderr}"
        );
        assert_eq!((code, stdout.as_str()), (Some(1), ""), "{args:?}: {stderr}");
        assert_eq!(stderr, expected, "{args:?}");
    }
    // Nothing written: no log line, no commit, no driver registered anywhere.
    assert_eq!(victim.read("oncall/on-call-log.md"), log);
    assert_eq!(victim.head(), head);
    assert_eq!(victim.read(".git/config"), victim_config);
    assert_eq!(victim.read("oncall/config"), config);
    // A subdirectory of the lookalike is refused for the same directory.
    victim.write("oncall/sub/.keep", "");
    let (code, _, stderr) = rota(&team.join("sub"), &["--dir", "..", "who"]);
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with(&format!("rota: error: {} looks like", team.display())));

    // The hint's command works as printed; then rota runs, and the clone's own config decides.
    let remove = expected.lines().nth(2).unwrap();
    let remove = remove.split_once("commit and push: ").unwrap().1;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(remove)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap();
    assert!(status.success());
    git(
        &victim,
        &[
            "commit",
            "-q",
            "-m",
            "remove what makes oncall/ a repository",
        ],
    );
    let (code, stdout, stderr) = rota(&team, &["log", "rebooted the wiki"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "- 09:00 UTC bob: rebooted the wiki\n");
    assert!(!canary.exists());
}

#[test]
fn an_inherited_git_dir_cannot_point_rota_at_a_pushed_repository() {
    // The pushed repository sits beside the team's directory, so nothing refuses it; a
    // GIT_DIR left in the environment (a git hook that runs rota) names it. rota finds the
    // clone itself: the pushed config's hooks, fsmonitor and identity are never read.
    let origin = Origin::new();
    let attacker = origin.clone_as("mallory");
    let victim = origin.clone_as("bob");
    let canary = origin.canary();
    let config = hostile_config(&canary);
    team_setting(&attacker, "commit = true\n");
    push_bare_lookalike(&attacker, "shadow", &config, &canary);
    git(&victim, &["pull", "-q"]);
    let head = victim.head();
    let team = victim.join("oncall");
    for (key, value) in [
        ("GIT_DIR", victim.join("shadow")),
        ("GIT_WORK_TREE", victim.join("shadow")),
    ] {
        let output = rota_in(&team, NOW, &["log", "rebooted the wiki"])
            .env(key, &value)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !canary.exists(),
            "{key}: the pushed config ran a command: {stderr}"
        );
        assert_eq!(output.status.code(), Some(0), "{key}: {stderr}");
        // Bob, from the clone's own user.email, not alice from the pushed config.
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "- 09:00 UTC bob: rebooted the wiki\n",
            "{key}"
        );
        assert!(!canary.exists(), "{key}: the pushed config ran a command");
    }
    // Both entries are committed in the clone's own repository (commit = true), the log alone.
    assert_eq!(
        git(
            &victim,
            &["log", "--format=%s", &format!("{}..HEAD", head.trim())]
        ),
        "rota: log \"rebooted the wiki\"\nrota: log \"rebooted the wiki\"\n"
    );
    assert_eq!(
        git(&victim, &["show", "--name-only", "--format=", "HEAD"]),
        "oncall/on-call-log.md\n"
    );
    // The drivers are registered in the clone's config and nowhere else.
    assert!(victim.read(".git/config").contains("[merge \"rota-list\"]"));
    assert_eq!(victim.read("shadow/config"), config);
    // A hook set in a pushed file is not read even when rota's own git would see it: only
    // `git config --local` in the clone counts.
    git(&victim, &["config", "rota.hook.handover", "touch hook-ran"]);
    let on_call = rota_at(&team, EVENING, &["who", "--json"]).1;
    let on_call: serde_json::Value = serde_json::from_str(&on_call).unwrap();
    let on_call = on_call["on_call"]["id"].as_str().unwrap().to_string();
    let (code, _, stderr) = rota_at(&team, EVENING, &["handover", "--yes", "--as", &on_call]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(team.join("hook-ran").exists());
    assert!(!canary.exists());
}

#[test]
fn a_log_pointed_at_an_untracked_file_is_never_written_committed_or_pushed() {
    let origin = Origin::new();
    let attacker = origin.clone_as("mallory");
    let victim = origin.clone_as("bob");
    settle(&victim);
    let secret = "export AWS_SECRET_ACCESS_KEY=hunter2-do-not-share\n";
    victim.write("oncall/.envrc", secret);
    attacker.write(
        "oncall/on-call-list.toml",
        &attacker
            .read("oncall/on-call-list.toml")
            .replace("log = \"on-call-log.md\" ", "log = \".envrc\"         ")
            .replace("# commit = true ", "commit = true   ")
            .replace("# push = true ", "push = true   "),
    );
    attacker.commit_all("keep the log next to the env");
    git(&attacker, &["push", "-q"]);
    git(&victim, &["pull", "-q"]);
    assert!(
        victim
            .read("oncall/on-call-list.toml")
            .contains("log = \".envrc\"")
    );
    let head = victim.head();
    let team = victim.join("oncall");
    let envrc = team.join(".envrc");
    let list = team.join("on-call-list.toml");
    let (code, stdout, stderr) = rota(&team, &["log", "rebooted the wiki"]);
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert_eq!(
        stderr,
        format!(
            "rota: error: {envrc} exists but git does not track it: rota writes its log only into a file the team's repository holds, or one it creates\n\
             hint: if a pulled commit pointed team.log at it, see which: git -C '{team}' log -p -- '{list}'\n\
             hint: if it is the team's log, commit it first: git -C '{team}' add -- '{envrc}' && git -C '{team}' commit -m \"rota: the on-call log\"\n\
             hint: nothing was written\n",
            envrc = envrc.display(),
            team = team.display(),
            list = list.display(),
        )
    );
    assert_eq!(victim.read("oncall/.envrc"), secret);
    assert_eq!(victim.head(), head);
    assert_eq!(
        git(&victim, &["status", "--porcelain"]),
        "?? oncall/.envrc\n"
    );
    assert!(!origin.history().contains("hunter2"));
    // A handover is refused alike.
    let (code, _, _) = rota(&team, &["handover", "--yes", "--as", "alice"]);
    assert_eq!(code, Some(1));
    assert_eq!(victim.read("oncall/.envrc"), secret);
    assert!(!origin.history().contains("hunter2"));

    // A log that does not exist yet is rota's to create, and stays usable before its commit.
    let fresh = origin.clone_as("carol");
    fresh.write(
        "oncall/on-call-list.toml",
        &fresh
            .read("oncall/on-call-list.toml")
            .replace("log = \".envrc\"     ", "log = \"new-log.md\" ")
            .replace("commit = true", "commit = false")
            .replace("push = true", "push = false"),
    );
    let team = fresh.join("oncall");
    for text in ["one", "two"] {
        let (code, _, stderr) = rota(&team, &["log", text]);
        assert_eq!(code, Some(0), "{stderr}");
    }
    assert!(
        fresh
            .read("oncall/new-log.md")
            .ends_with("carol: one\n- 09:00 UTC carol: two\n"),
        "{}",
        fresh.read("oncall/new-log.md")
    );
    assert_eq!(
        git(&fresh, &["status", "--porcelain"]),
        " M oncall/on-call-list.toml\n?? oncall/new-log.md\n"
    );
}

#[test]
fn a_pulled_push_setting_pushes_rotas_commit_and_nothing_else() {
    let origin = Origin::new();
    let attacker = origin.clone_as("mallory");
    let victim = origin.clone_as("bob");
    settle(&victim);
    team_setting(&attacker, "commit = true\npush = true\n");
    attacker.commit_all("push every entry");
    git(&attacker, &["push", "-q"]);
    git(&victim, &["pull", "-q"]);
    // Bob's own work, committed, not meant for the remote yet; and a hand edit of the list.
    victim.write("drafts/postmortem.md", "customer names: ACME-PRIVATE\n");
    victim.commit_all("wip: postmortem draft");
    let list = victim.read("oncall/on-call-list.toml") + "# bob's note, not for a commit\n";
    victim.write("oncall/on-call-list.toml", &list);
    let team = victim.join("oncall");
    let (code, stdout, stderr) = rota(&team, &["log", "rebooted the wiki"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stdout, "- 09:00 UTC bob: rebooted the wiki\n");
    assert_eq!(
        stderr,
        "rota: error: committed here, but not pushed: this branch has 1 commit besides rota's that origin/main does not have, and `push = true` in the team's list pushes only what rota just committed\n\
         hint: see them: git log --oneline '@{upstream}..HEAD'\n\
         hint: push them yourself when they are ready: git push\n\
         hint: or push the whole branch from this clone: git config rota.pushAll true (or pass --push)\n"
    );
    assert!(!origin.history().contains("ACME-PRIVATE"));
    assert!(!origin.history().contains("rebooted the wiki"));
    // rota's commit holds the log alone; the hand edit of the list stays uncommitted.
    assert_eq!(
        git(&victim, &["show", "--name-only", "--format=%s", "HEAD"]),
        "rota: log \"rebooted the wiki\"\n\noncall/on-call-log.md\n"
    );
    assert_eq!(
        git(&victim, &["status", "--porcelain"]),
        " M oncall/on-call-list.toml\n"
    );
    // The hint's command works as printed, from the team's directory.
    let shown = git(&team, &["log", "--oneline", "@{upstream}..HEAD"]);
    assert_eq!(shown.lines().count(), 2, "{shown}");

    // A clone with nothing of its own pushes rota's commit.
    let carol = origin.clone_as("carol");
    settle(&carol);
    let (code, _, stderr) = rota(&carol.join("oncall"), &["log", "carol was here"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert!(origin.history().contains("carol was here"));
    assert_eq!(
        git(&carol, &["rev-list", "--count", "@{upstream}..HEAD"]),
        "0\n"
    );

    // Bob says so in his own clone: the whole branch goes.
    git(&victim, &["config", "rota.pushAll", "true"]);
    let (code, _, stderr) = rota(&team, &["log", "and the docs"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(origin.history().contains("ACME-PRIVATE"));
}
