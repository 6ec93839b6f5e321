//! A temporary team directory and a way to run the real `rota` in it, at a chosen moment.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub const TEAM: &str = r#"# Our team. Comments and layout must survive every rota write.
[team]
name = "Cloud SRE"
timezone = "Europe/Prague"   # the team's days
holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]

[[engineer]]
id = "alice"
name = "Alice Novak"
email = "alice@example.org"
chat = "@alice"
phone = "+420 555 0100"
timezone = "America/New_York"

[[engineer]]
id = "bob"
name = "Bob Dvořák"
email = "bob@example.org"

[[engineer]]
id = "carol"
name = "Carol Jiménez"
email = "carol@example.org"

[[engineer]]
id = "dave"
name = "Dave Okafor"
email = "dave@example.org"

[[engineer]]
id = "erin"
name = "Erin Walsh"
email = "erin@example.org"

[handover]
checklist = [
  "Answered every open question in #support",
  "Checked the consoles",
  "Updated the runbooks",
]
"#;

/// `rota init` for the three-engineer team the git tests share.
pub const INIT: &[&str] = &[
    "init",
    "--team",
    "Cloud SRE",
    "--timezone",
    "Europe/Prague",
    "--engineer",
    "alice,Alice Novak,alice@example.org",
    "--engineer",
    "bob,Bob Dvořák,bob@example.org",
    "--engineer",
    "carol,Carol Jiménez,carol@example.org",
];

pub struct Team {
    pub dir: TempDir,
}

impl Team {
    /// The five-engineer team above, with no rotation yet.
    pub fn new() -> Team {
        Team::with_list(TEAM)
    }

    pub fn with_list(text: &str) -> Team {
        let team = Team {
            dir: tempfile::tempdir().unwrap(),
        };
        team.write("on-call-list.toml", text);
        team
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) {
        std::fs::write(self.path(name), text).unwrap();
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }

    pub fn list(&self) -> String {
        self.read("on-call-list.toml")
    }

    pub fn log(&self) -> String {
        self.read("on-call-log.md")
    }

    /// `rota ARGS` in the team's directory at `now` (RFC 3339), with no inherited ROTA_*
    /// settings and no git identity from the machine.
    pub fn rota(&self, now: &str, args: &[&str]) -> Command {
        rota_in(self.dir.path(), now, args)
    }

    /// Who holds the rotation as rota answers at `now` (a working day, e.g. the moment of the
    /// handover just made): `who --json`'s engineer on call and the day their turn covers, as
    /// `(id, day)`. The log's last handover record is the rotation's state; rota reads it.
    pub fn on_call(&self, now: &str) -> (String, String) {
        let output = self.rota(now, &["who", "--json"]).output().unwrap();
        assert!(
            output.status.success(),
            "who --json at {now}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let answer = json(&output);
        let on_call = &answer["on_call"];
        assert!(on_call.is_object(), "nobody on call at {now}: {answer}");
        (
            on_call["id"].as_str().unwrap().to_string(),
            on_call["date"].as_str().unwrap().to_string(),
        )
    }
}

/// `rota ARGS` in `dir` at `now`, in the environment of [`rota_process`].
pub fn rota_in(dir: &Path, now: &str, args: &[&str]) -> Command {
    let mut command = rota_process(dir, now);
    command.args(args);
    Command::from_std(command)
}

/// The real `rota` in `dir` at `now`, as a process to spawn (and kill) or run from threads.
/// Hermetic: `ROTA_SEED` is fixed (only `rota init` reads it), other ROTA_* settings (hooks
/// too) are removed, and git reads neither the machine's global nor its system config, so the identity
/// of whoever runs the tests never becomes the person typing.
pub fn rota_process(dir: &Path, now: &str) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rota"));
    command
        .current_dir(dir)
        .env("ROTA_NOW", now)
        .env("ROTA_SEED", "4157262103")
        .env_remove("ROTA_DIR")
        .env_remove("ROTA_USER")
        .env_remove("ROTA_HOOK_HANDOVER")
        .env_remove("ROTA_HOOK_ANNOUNCE")
        .env_remove("ROTA_HOOK_REMIND")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    command
}

/// Parses stdout as JSON.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// `git ARGS` in `dir` as a command, as hermetic as [`rota_process`]: only the repository's own
/// config counts.
pub fn git_command(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    command
}

/// `git ARGS` in `dir`, which must succeed: what it printed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_command(dir, args).output().unwrap();
    assert!(
        output.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The team's forge: a bare repository `origin.git` in `root`, on branch main.
pub fn bare_origin(root: &Path) {
    git(root, &["init", "-q", "--bare", "-b", "main", "origin.git"]);
}

/// A clone of `root/origin.git` in `root/who` whose git identity is `who@example.org` (the
/// engineer rota takes it for); a clone already there is returned as it is.
pub fn clone_as(root: &Path, who: &str) -> PathBuf {
    let path = root.join(who);
    if path.exists() {
        return path;
    }
    git(root, &["clone", "-q", "origin.git", who]);
    git(
        &path,
        &["config", "user.email", &format!("{who}@example.org")],
    );
    git(&path, &["config", "user.name", who]);
    git(&path, &["config", "commit.gpgsign", "false"]);
    path
}

/// A headless browser to render pages in (Debian's `chromium`, or Chrome), found on PATH.
/// Missing, the test is skipped with a note, except in CI ([`tool`]).
pub fn browser() -> Option<&'static str> {
    let names = ["chromium", "chromium-browser", "google-chrome"];
    let found = names.into_iter().find(|name| on_path(name).is_some());
    if found.is_none() {
        missing(&names.join(", "));
    }
    found
}

/// The page at `url` as `browser` renders it (its DOM after the page's scripts ran).
pub fn dump_dom(browser: &str, url: &str) -> String {
    let output = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            url,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{browser} {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The program `name` on PATH, for a test that needs a real outside tool (a validator,
/// pre-commit). Missing, the test is skipped with a note, except in CI (env `CI` set), where
/// `.ci/run` installs every such tool and a missing one fails the test: a test that skips in
/// CI could never fail.
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = on_path(name);
    if found.is_none() {
        missing(name);
    }
    found
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    })
}

/// A tool a test needs is missing: a failure in CI, else a note that the test did not run.
fn missing(name: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{name} is not on PATH: CI must have it (.ci/run installs it)"
    );
    eprintln!("note: {name} is not on PATH: this test did not run");
}
