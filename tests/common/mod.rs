//! A temporary team directory and a way to run the real `rota` in it, at a chosen moment.
#![allow(dead_code)]

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

    /// `rota ARGS` in the team's directory at `now` (RFC 3339), with a fixed seed and no
    /// inherited ROTA_* settings.
    pub fn rota(&self, now: &str, args: &[&str]) -> Command {
        rota_in(self.dir.path(), now, args)
    }

    /// The `[rotation]` values as `(on-call, day)`.
    pub fn on_call(&self) -> (String, String) {
        let doc: toml::Table = self.list().parse().unwrap();
        let rotation = doc["rotation"].as_table().unwrap();
        (
            rotation["on-call"].as_str().unwrap().to_string(),
            rotation["day"].to_string(),
        )
    }
}

pub fn rota_in(dir: &Path, now: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rota"));
    command
        .current_dir(dir)
        .args(args)
        .env("ROTA_NOW", now)
        .env("ROTA_SEED", "4157262103")
        .env_remove("ROTA_DIR")
        .env_remove("ROTA_USER")
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
