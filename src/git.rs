//! Committing rota's own files with the `git` found on PATH, so the user's configuration,
//! hooks and signing apply.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// Stages `paths` (only those) and commits them with `message`; pushes when asked.
pub fn commit(dir: &Path, paths: &[PathBuf], message: &str, push: bool) -> Result<()> {
    let paths: Vec<&PathBuf> = paths.iter().filter(|p| p.exists()).collect();
    let mut add = vec!["add", "--"];
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    add.extend(names.iter().map(String::as_str));
    git(dir, &add)?;
    let mut staged = vec!["diff", "--cached", "--quiet", "--"];
    staged.extend(names.iter().map(String::as_str));
    if git(dir, &staged).is_ok() {
        return Ok(()); // nothing changed in rota's files
    }
    let mut commit = vec!["commit", "-q", "-m", message, "--"];
    commit.extend(names.iter().map(String::as_str));
    git(dir, &commit)?;
    if push {
        git(dir, &["push", "-q"])?;
    }
    Ok(())
}

fn git(dir: &Path, args: &[&str]) -> Result<()> {
    let output = Command::new("git").args(args).current_dir(dir).output();
    let problem = match output {
        Ok(output) if output.status.success() => return Ok(()),
        Ok(output) => String::from_utf8_lossy(&output.stderr).trim().to_string(),
        Err(e) => format!("cannot run git: {e}"),
    };
    let what = if args[0] == "push" {
        "committed but not pushed"
    } else {
        "saved but not committed"
    };
    Err(Error::new(format!(
        "the files are {what}: git {} failed: {problem}",
        args[0]
    ))
    .hint(
        "commit them yourself (git add, git commit), or run rota inside the team's git repository",
    ))
}
