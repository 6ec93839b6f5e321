//! Hooks: a command a clone chooses to run after a handover or an announcement, or with a
//! reminder (`rota remind`), to post to the team's chat or send mail. It is configured per clone only, in the clone's own
//! `.git/config` (`git config rota.hook.handover CMD`, read with `--local` from the repository
//! rota found, see [`crate::git::repo`]) or the environment (`ROTA_HOOK_HANDOVER`, which wins;
//! empty turns the hook off), never in the tracked files: a pushed commit must not run code on
//! a teammate's machine.
//!
//! The command runs through `sh -c` in the team's directory, with the event as one JSON object
//! on stdin (`{"event": "handover", ...}`) and `ROTA_EVENT` set to the event's name. What it
//! prints goes to stderr, so stdout keeps the command's own output. Its failure (not found, a
//! non-zero exit, running longer than a minute) is the caller's to report as a warning: what
//! the command wrote stands.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Serialize;

/// How long rota waits for a hook before it stops it (seconds): a hook that hangs (a chat
/// server that does not answer) must not hold the terminal. `ROTA_HOOK_TIMEOUT` changes it.
const TIMEOUT_SECONDS: u64 = 60;

fn timeout() -> std::time::Duration {
    let seconds = crate::cli::environment()
        .hook_timeout
        .as_deref()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| (1..=3600).contains(s))
        .unwrap_or(TIMEOUT_SECONDS);
    std::time::Duration::from_secs(seconds)
}

/// Where a hook's command was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `ROTA_HOOK_<EVENT>`.
    Environment(String),
    /// `rota.hook.<event>` in the clone's own `.git/config`.
    GitConfig(String),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Environment(name) => write!(f, "{name} in the environment"),
            Source::GitConfig(key) => write!(f, "git config {key}"),
        }
    }
}

/// What running the hook of an event came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No hook is configured for the event.
    None,
    /// It ran and exited 0.
    Ran,
    /// It could not run, or it failed: why, and where it is configured.
    Failed { why: String, source: Source },
}

/// The command configured for `event`: the environment first, then the clone's own config.
pub fn command(dir: &Path, event: &str) -> Option<(String, Source)> {
    if let Some((command, name)) = crate::cli::environment().hook(event) {
        let command = command.trim().to_string();
        return (!command.is_empty()).then_some((command, Source::Environment(name.into())));
    }
    let key = format!("rota.hook.{event}");
    crate::git::config_value(dir, &key)
        .filter(|c| !c.trim().is_empty())
        .map(|c| (c, Source::GitConfig(key)))
}

/// The JSON a hook reads: `{"event": NAME, ...payload's fields}`.
#[derive(Serialize)]
struct Event<'a, T: Serialize> {
    event: &'a str,
    #[serde(flatten)]
    payload: &'a T,
}

/// The event as the hook reads it on stdin: one JSON object and a newline.
pub fn event_json<T: Serialize>(event: &str, payload: &T) -> String {
    let mut json = serde_json::to_string(&Event { event, payload })
        .expect("an event is plain data and serialises");
    json.push('\n');
    json
}

/// Runs the hook configured for `event` in `dir`, if any, with the event on stdin, and waits
/// for it. `payload` is an object (a struct or a `serde_json::Value` map): its fields follow
/// `"event"`.
pub fn run<T: Serialize>(dir: &Path, event: &str, payload: &T) -> Outcome {
    let Some((command, source)) = command(dir, event) else {
        return Outcome::None;
    };
    let failed = |why: String| Outcome::Failed {
        why,
        source: source.clone(),
    };
    let stdout = match stderr_as_stdio() {
        Ok(stdio) => stdio,
        Err(e) => return failed(format!("cannot pass it stderr: {e}")),
    };
    let child = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .current_dir(dir)
        .env("ROTA_EVENT", event)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::inherit())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return failed(format!("cannot run sh: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input closes the pipe: not a failure.
        match stdin.write_all(event_json(event, payload).as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                let _ = child.kill();
                let _ = child.wait();
                return failed(format!("cannot write the event to it: {e}"));
            }
            _ => {}
        }
    }
    let limit = timeout();
    let deadline = std::time::Instant::now() + limit;
    let mut pause = std::time::Duration::from_millis(1);
    let waited = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if std::time::Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return failed(format!(
                    "it ran longer than {} s and was stopped",
                    limit.as_secs()
                ));
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(50));
            }
            Err(e) => break Err(e),
        }
    };
    match waited {
        Ok(status) if status.success() => Outcome::Ran,
        Ok(status) => match status.code() {
            Some(127) => failed("exit status 127: the command was not found".to_string()),
            Some(code) => failed(format!("exit status {code}")),
            None => failed(format!("it was stopped ({status})")),
        },
        Err(e) => failed(format!("cannot wait for it: {e}")),
    }
}

/// rota's stderr, for the hook's stdout.
#[cfg(unix)]
fn stderr_as_stdio() -> std::io::Result<Stdio> {
    use std::os::fd::AsFd;
    Ok(Stdio::from(std::io::stderr().as_fd().try_clone_to_owned()?))
}

#[cfg(not(unix))]
fn stderr_as_stdio() -> std::io::Result<Stdio> {
    Ok(Stdio::null())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_comes_first_then_the_payload() {
        #[derive(Serialize)]
        struct P {
            b: u8,
            a: &'static str,
        }
        assert_eq!(
            event_json("handover", &P { b: 1, a: "x" }),
            "{\"event\":\"handover\",\"b\":1,\"a\":\"x\"}\n"
        );
        let value = serde_json::json!({"what": "db upgrade"});
        assert_eq!(
            event_json("announce", &value),
            "{\"event\":\"announce\",\"what\":\"db upgrade\"}\n"
        );
    }
}
