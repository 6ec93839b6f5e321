//! rota in the team's git repository: the `git` found on PATH (so the user's configuration,
//! hooks and signing apply) for what changes the repository, and a few direct reads of `.git`
//! for what every command asks cheaply (is the merge driver registered, is the clone behind).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Error, Result};

/// The merge drivers rota registers in a clone, as `(name, what it merges, description)`.
pub const DRIVERS: [(&str, &str, &str); 2] = [
    ("rota-log", "log", "rota: the on-call log, day by day"),
    (
        "rota-list",
        "list",
        "rota: on-call-list.toml, joining additions",
    ),
];

/// How many times a refused push is retried after pulling again.
const PUSH_ATTEMPTS: usize = 3;

/// The `.git` directory of the work tree that holds `dir`, if any (a `.git` file, as in a
/// linked work tree, is followed). Its config lives in the common directory.
fn config_path(dir: &Path) -> Option<PathBuf> {
    let git_dir = git_dir(dir)?;
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .ok()
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or(git_dir);
    Some(common.join("config"))
}

/// The top of the git work tree that holds `dir`, if any.
pub fn work_tree(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The clone's own `.git` directory (the linked one, for a worktree): a place for rota's
/// scratch files that no push can write.
pub fn private_dir(dir: &Path) -> Option<PathBuf> {
    git_dir(dir).filter(|d| d.is_dir())
}

fn git_dir(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    for ancestor in dir.ancestors() {
        let dot_git = ancestor.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git);
        }
        if let Ok(text) = std::fs::read_to_string(&dot_git)
            && let Some(target) = text.trim().strip_prefix("gitdir: ")
        {
            return Some(ancestor.join(target));
        }
    }
    None
}

/// The lines `.gitattributes` needs so that git merges rota's files with rota's drivers.
pub const MERGE_RULES: [&str; 2] = [
    "on-call-log.md merge=rota-log",
    "on-call-list.toml merge=rota-list",
];

/// Registers rota's merge drivers in the clone's own config (`.git/config`) unless they are
/// there, as git-lfs registers its filter. The repository's `.gitattributes` names them; a
/// clone where rota never ran falls back to git's line merge, which stops on a conflict
/// rather than misfiling. Returns whether it registered them now.
pub fn register_drivers(dir: &Path, exe: &Path) -> bool {
    let Some(config) = config_path(dir) else {
        return false;
    };
    let text = std::fs::read_to_string(&config).unwrap_or_default();
    if DRIVERS
        .iter()
        .all(|(name, ..)| registered_driver(&text, name).is_some_and(|exe| exe.exists()))
    {
        return false;
    }
    let exe = shell_quote(&exe.to_string_lossy());
    let mut registered = true;
    for (name, what, description) in DRIVERS {
        let driver = format!("{exe} merge-driver {what} %O %A %B %P");
        registered &= run(dir, &["config", &format!("merge.{name}.name"), description]).is_ok()
            && run(dir, &["config", &format!("merge.{name}.driver"), &driver]).is_ok();
    }
    registered
}

/// The program a registered driver runs: the quoted path at the start of its `driver` line.
/// A path that no longer exists (rota moved or rebuilt elsewhere) is registered again: git
/// would otherwise run nothing and keep one side silently.
fn registered_driver(config: &str, name: &str) -> Option<PathBuf> {
    let section = config.split_once(&format!("[merge \"{name}\"]"))?.1;
    let section = section.split("\n[").next()?;
    let line = section
        .lines()
        .find(|l| l.trim_start().starts_with("driver"))?;
    let quoted = line.split_once('\'')?.1;
    Some(PathBuf::from(quoted.split_once('\'')?.0))
}

/// `'text'` for a POSIX shell, which is what git runs a merge driver with.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A merge, rebase or cherry-pick that has stopped and waits for the user.
pub fn operation_in_progress(dir: &Path) -> bool {
    git_dir(dir).is_some_and(|git_dir| {
        [
            "MERGE_HEAD",
            "rebase-merge",
            "rebase-apply",
            "CHERRY_PICK_HEAD",
        ]
        .iter()
        .any(|name| git_dir.join(name).exists())
    })
}

/// Which of `paths` git holds as unmerged (a merge stopped on them), asked only while an
/// operation is in progress, so the everyday path spawns nothing.
pub fn unmerged(dir: &Path, paths: &[&Path]) -> Vec<PathBuf> {
    if !operation_in_progress(dir) {
        return Vec::new();
    }
    let mut args = vec!["ls-files".to_string(), "-u".to_string(), "--".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let Ok(output) = run_owned(dir, &args) else {
        return Vec::new();
    };
    paths
        .iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            name.is_some_and(|n| String::from_utf8_lossy(&output.stdout).contains(&n))
        })
        .map(|p| p.to_path_buf())
        .collect()
}

/// `git config user.email`, if set.
pub fn user_email(dir: &Path) -> Option<String> {
    run(dir, &["config", "user.email"])
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|e| !e.is_empty())
}

/// `git config KEY` as git reads it in `dir` (the clone's config, then the user's), if set.
pub fn config_value(dir: &Path, key: &str) -> Option<String> {
    run(dir, &["config", "--get", key])
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim_end().to_string())
        .filter(|v| !v.is_empty())
}

/// How many commits the clone's branch is behind its upstream, as of the last fetch. Reads
/// `.git` directly and asks git only when the two refs differ, so that it costs nothing on
/// the everyday path.
pub fn behind_upstream(dir: &Path) -> Option<u32> {
    let git_dir = git_dir(dir)?;
    // In the middle of a merge or a rebase, "behind" is what the user is resolving.
    if operation_in_progress(dir) {
        return None;
    }
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let branch = head.trim().strip_prefix("ref: refs/heads/")?.to_string();
    let config = std::fs::read_to_string(config_path(dir)?).ok()?;
    let (remote, merge) = upstream_of(&config, &branch)?;
    let upstream = format!(
        "refs/remotes/{remote}/{}",
        merge.strip_prefix("refs/heads/")?
    );
    let common = config_path(dir)?.parent()?.to_path_buf();
    let local = resolve(&git_dir, &common, &format!("refs/heads/{branch}"));
    if local.is_some() && local == resolve(&git_dir, &common, &upstream) {
        return Some(0);
    }
    let out = run(dir, &["rev-list", "--count", "HEAD..@{upstream}"]).ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// `[branch "main"]`'s `remote` and `merge`.
fn upstream_of(config: &str, branch: &str) -> Option<(String, String)> {
    let header = format!("[branch \"{branch}\"]");
    let section = config.split_once(&header)?.1;
    let section = section.split("\n[").next()?;
    let value = |key: &str| {
        section.lines().find_map(|line| {
            let (k, v) = line.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })
    };
    Some((value("remote")?, value("merge")?))
}

fn resolve(git_dir: &Path, common: &Path, name: &str) -> Option<String> {
    for dir in [git_dir, common] {
        if let Ok(id) = std::fs::read_to_string(dir.join(name)) {
            return Some(id.trim().to_string());
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (id, reference) = line.split_once(' ')?;
        (reference == name).then(|| id.to_string())
    })
}

/// What bringing the clone up to date did.
pub enum Pull {
    Done,
    /// No upstream branch, or not a git repository: nothing to pull.
    NoUpstream,
    /// The remote could not be reached: work goes on locally.
    Offline(String),
}

/// `git fetch`, then `git rebase --autostash` onto the upstream: the clone is as current as the
/// remote before rota decides anything. A rebase that stops on a conflict is undone.
pub fn pull(dir: &Path) -> Result<Pull> {
    if run(dir, &["rev-parse", "--abbrev-ref", "@{upstream}"]).is_err() {
        return Ok(Pull::NoUpstream);
    }
    if let Err(problem) = run(dir, &["fetch", "-q"]) {
        return Ok(Pull::Offline(problem));
    }
    if let Err(problem) = run(dir, &["rebase", "-q", "--autostash"]) {
        let _ = run(dir, &["rebase", "--abort"]);
        return Err(Error::git(format!(
            "git could not bring this clone up to date, so rota wrote nothing: {problem}"
        ))
        .hint("resolve it by hand: git pull --rebase, fix what it names, git rebase --continue")
        .hint("then run the rota command again"));
    }
    Ok(Pull::Done)
}

/// Stages `paths` (only those) and commits them with `message`. `false` when they had no
/// change to commit.
pub fn commit(dir: &Path, paths: &[PathBuf], message: &str) -> Result<bool> {
    let names: Vec<String> = paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .map(|a| a.to_string())
            .chain(names.iter().cloned())
            .collect()
    };
    let not_committed = |problem: String| {
        Error::git(format!(
            "the files are saved but not committed: git failed: {problem}"
        ))
        .hint(
            "commit them yourself (git add, git commit), or run rota inside the team's git repository",
        )
    };
    run_owned(dir, &with(&["add", "--"])).map_err(not_committed)?;
    if run_owned(dir, &with(&["diff", "--cached", "--quiet", "--"])).is_ok() {
        return Ok(false);
    }
    run_owned(dir, &with(&["commit", "-q", "-m", message, "--"])).map_err(not_committed)?;
    Ok(true)
}

/// What `push` did.
pub enum Pushed {
    Done,
    /// The remote could not be reached; the commit waits in the clone.
    Pending(String),
}

/// `git push`; when the remote refuses because someone pushed meanwhile, pull (rebase) and try
/// again, a few times, calling `after_pull` each time so the caller can re-check its change.
pub fn push(dir: &Path, mut after_pull: impl FnMut() -> Result<()>) -> Result<Pushed> {
    let mut last = String::new();
    for _ in 0..PUSH_ATTEMPTS {
        match run(dir, &["push", "-q"]) {
            Ok(_) => return Ok(Pushed::Done),
            Err(problem) if is_refusal(&problem) => {
                last = problem;
                let pulled = pull(dir).map_err(|e| {
                    Error::git(format!(
                        "committed here, but not pushed: the push was refused and pulling again failed: {}",
                        e.summary()
                    ))
                    .hint("your change is in this clone's commit: bring the clone up to date by hand (git pull --rebase), then git push; do not run the rota command again")
                })?;
                match pulled {
                    Pull::Done | Pull::NoUpstream => after_pull()?,
                    Pull::Offline(problem) => return Ok(Pushed::Pending(problem)),
                }
            }
            Err(problem) => return Ok(Pushed::Pending(problem)),
        }
    }
    Err(Error::git(format!(
        "committed, but the push was refused {PUSH_ATTEMPTS} times: others keep pushing ({last})"
    ))
    .hint("bring the clone up to date and push: git pull --rebase && git push"))
}

fn is_refusal(problem: &str) -> bool {
    [
        "rejected",
        "non-fast-forward",
        "fetch first",
        "failed to update ref",
    ]
    .iter()
    .any(|s| problem.contains(s))
}

/// The commit `rev` names, in the repository that holds `dir`.
pub fn commit_of(dir: &Path, rev: &str) -> Result<String> {
    if rev.starts_with('-') {
        return Err(Error::usage(format!("{rev:?} is not a revision"))
            .hint("name a commit, a branch or a tag, e.g. `rota check --since origin/main`"));
    }
    let spec = format!("{rev}^{{commit}}");
    run(dir, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .map_err(|_| {
            Error::usage(format!("git knows no commit {rev:?} here"))
                .hint("name a commit, a branch or a tag of this repository (`git log --oneline` lists them); fetch it first if it is a remote's")
        })
}

/// Where this clone and its upstream part: the upstream's name and the commit both hold
/// (the upstream's tip when the clone is up to date or ahead). `None` without an upstream.
pub fn upstream_base(dir: &Path) -> Option<(String, String)> {
    let name = run(dir, &["rev-parse", "--abbrev-ref", "@{upstream}"]).ok()?;
    let name = String::from_utf8_lossy(&name.stdout).trim().to_string();
    let base = run(dir, &["merge-base", "HEAD", "@{upstream}"]).ok()?;
    Some((
        name,
        String::from_utf8_lossy(&base.stdout).trim().to_string(),
    ))
}

/// The bytes of the file `name` (in `dir`) at `commit`, read through git, at most `limit`
/// bytes; `None` when the commit does not hold it.
pub fn file_at(dir: &Path, commit: &str, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
    let spec = format!("{commit}:./{name}");
    let Ok(size) = run(dir, &["cat-file", "-s", &spec]) else {
        return Ok(None);
    };
    let size: u64 = String::from_utf8_lossy(&size.stdout)
        .trim()
        .parse()
        .unwrap_or(u64::MAX);
    if size > limit {
        return Err(Error::new(format!(
            "{name} at {commit} is {size} bytes, more than the {limit} rota reads"
        )));
    }
    run(dir, &["cat-file", "blob", &spec])
        .map(|out| Some(out.stdout))
        .map_err(|problem| Error::git(format!("git could not read {spec}: {problem}")))
}

fn run(dir: &Path, args: &[&str]) -> std::result::Result<Output, String> {
    let owned: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    run_owned(dir, &owned)
}

fn run_owned(dir: &Path, args: &[String]) -> std::result::Result<Output, String> {
    match Command::new("git").args(args).current_dir(dir).output() {
        Ok(output) if output.status.success() => Ok(output),
        Ok(output) => Err(String::from_utf8_lossy(&output.stderr).trim().to_string()),
        Err(e) => Err(format!("cannot run git: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upstream_comes_from_the_branch_section() {
        let config = "[core]\n\tbare = false\n[branch \"dev\"]\n\tremote = fork\n\tmerge = refs/heads/x\n[branch \"main\"]\n\tremote = origin\n\tmerge = refs/heads/main\n[merge \"rota-log\"]\n";
        assert_eq!(
            upstream_of(config, "main"),
            Some(("origin".into(), "refs/heads/main".into()))
        );
        assert_eq!(
            upstream_of(config, "dev"),
            Some(("fork".into(), "refs/heads/x".into()))
        );
        assert_eq!(upstream_of(config, "other"), None);
    }

    #[test]
    fn the_registered_program_is_read_back() {
        let config = "[merge \"rota-log\"]\n\tname = x\n\tdriver = '/opt/rota/bin/rota' merge-driver log %O %A %B %P\n[merge \"rota-list\"]\n\tname = y\n";
        assert_eq!(
            registered_driver(config, "rota-log"),
            Some(PathBuf::from("/opt/rota/bin/rota"))
        );
        assert_eq!(registered_driver(config, "rota-list"), None);
    }

    #[test]
    fn paths_are_quoted_for_the_shell() {
        assert_eq!(
            shell_quote("/opt/it's here/rota"),
            r"'/opt/it'\''s here/rota'"
        );
    }
}
