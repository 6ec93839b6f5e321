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

/// The clone's repository, as rota finds it once (walking up from the team's directory for
/// `.git`, as git itself would) and then names to git explicitly on every call: git never
/// looks for a repository of its own, so a pushed directory that looks like one (a `HEAD`,
/// `objects/` and `refs/`, with a `config` that names a command) is never taken for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repo {
    /// The top of the work tree: the directory that holds `.git`.
    pub top: PathBuf,
    /// The clone's own git directory (for a linked work tree, its own under `worktrees/`).
    pub git_dir: PathBuf,
    /// Where the clone's config, objects and refs live (the git directory, or the main one's
    /// for a linked work tree).
    pub common_dir: PathBuf,
}

/// Environment variables that would point git somewhere other than the repository rota
/// found (set by a git hook that runs rota, or left in a shell): rota removes them and names
/// the repository itself.
const REDIRECTING_ENV: [&str; 9] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_CONFIG",
];

impl Repo {
    /// `git` for this repository and nothing else.
    fn git(&self) -> Command {
        let mut command = guarded_git(&self.top);
        command
            .arg("--git-dir")
            .arg(&self.git_dir)
            .arg("--work-tree")
            .arg(&self.top);
        command
    }

    /// The clone's own config file, the only one rota writes (and reads its settings from).
    pub fn config(&self) -> PathBuf {
        self.common_dir.join("config")
    }
}

/// `git` for a command that needs no repository (`merge-file`), run from `dir`: named the
/// repository there when rota finds one, else kept from taking any directory for one.
pub fn command_in(dir: &Path) -> Command {
    match found(dir) {
        Some(repo) => repo.git(),
        None => guarded_git(dir),
    }
}

/// `git` run from `dir` as every call of rota's runs it. `safe.bareRepository=explicit`: git
/// takes no directory for a bare repository unless it is named, so nothing git runs for rota
/// (a hook, a merge driver that calls git) discovers a pushed one. `core.fsmonitor=false`:
/// the monitor is a command git runs on every look at the work tree; rota's calls touch two
/// files and need no speed-up, and no config other than the person's own can then make them
/// run one. The environment that would point git elsewhere is dropped.
fn guarded_git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .args([
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "core.fsmonitor=false",
        ])
        .current_dir(dir);
    for name in REDIRECTING_ENV {
        command.env_remove(name);
    }
    command
}

/// The repository that holds `dir`, found once per directory and remembered: `Ok(None)`
/// outside a git clone, an error when a directory on the way would be taken by git for a
/// repository of its own (see [`find`]).
pub fn repo(dir: &Path) -> Result<Option<Repo>> {
    static FOUND: std::sync::Mutex<Vec<(PathBuf, Option<Repo>)>> =
        std::sync::Mutex::new(Vec::new());
    // Walked up physically, as git does: a symlinked path to the team's directory finds the
    // repository that holds its target.
    let dir = std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .map_err(|e| Error::io("read", dir, &e))?;
    let mut found = FOUND.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, repo)) = found.iter().find(|(d, _)| *d == dir) {
        return Ok(repo.clone());
    }
    let repo = find(&dir)?;
    found.push((dir, repo.clone()));
    Ok(repo)
}

/// Walks up from `dir` to the nearest `.git` (a directory, or a `gitdir:` file as in a linked
/// work tree). Every directory on the way, `dir` included, must not look like a bare
/// repository (git would read its `config`, and run what it names); a `.git` that is neither
/// is refused too.
fn find(dir: &Path) -> Result<Option<Repo>> {
    for ancestor in dir.ancestors() {
        let dot_git = ancestor.join(".git");
        if let Ok(meta) = std::fs::symlink_metadata(&dot_git) {
            let git_dir = if meta.is_dir() {
                dot_git
            } else {
                gitdir_file(&dot_git).ok_or_else(|| not_a_repository(&dot_git))?
            };
            let common_dir = std::fs::read_to_string(git_dir.join("commondir"))
                .ok()
                .map(|c| git_dir.join(c.trim()))
                .unwrap_or_else(|| git_dir.clone());
            return Ok(Some(Repo {
                top: ancestor.to_path_buf(),
                git_dir,
                common_dir,
            }));
        }
        if looks_bare(ancestor) {
            return Err(bare_lookalike(dir, ancestor));
        }
    }
    Ok(None)
}

/// The directory a `.git` file names (`gitdir: PATH`), when it is one.
fn gitdir_file(dot_git: &Path) -> Option<PathBuf> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(dot_git)
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    let target = text.trim().strip_prefix("gitdir: ")?;
    let git_dir = dot_git.parent()?.join(target);
    git_dir.is_dir().then_some(git_dir)
}

/// What git checks before it takes a directory for a repository: `HEAD`, `objects/` and
/// `refs/`.
fn looks_bare(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

fn not_a_repository(dot_git: &Path) -> Error {
    Error::refused(format!(
        "{} is neither a git directory nor a `gitdir:` file: rota cannot tell which repository this is",
        dot_git.display()
    ))
    .hint(format!(
        "remove it if it does not belong there (rm {}), or run rota in a clone of the team's repository",
        dot_git.display()
    ))
}

/// The refusal of a directory that git would take for a repository of its own.
fn bare_lookalike(team_dir: &Path, found: &Path) -> Error {
    let parts: Vec<&str> = ["HEAD", "objects", "refs", "config"]
        .into_iter()
        .filter(|p| found.join(p).exists())
        .collect();
    let top = found
        .ancestors()
        .skip(1)
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf);
    let error = Error::refused(format!(
        "{} looks like a git repository of its own (it holds HEAD, objects/ and refs/): git would read its config and run what it names, so rota runs nothing here",
        found.display()
    ));
    let error = if found != team_dir {
        error.hint(format!(
            "the team's directory {} lies inside it",
            team_dir.display()
        ))
    } else {
        error
    };
    match top.as_deref().and_then(|t| Some((t, found.strip_prefix(t).ok()?))) {
        Some((top, rel)) => {
            let paths: Vec<String> = parts
                .iter()
                .map(|p| shell_quote(&rel.join(p).to_string_lossy()))
                .collect();
            error
                .hint(format!(
                    "see who added them: git -C {} log --format='%h %an %ad %s' -- {}",
                    shell_quote(&top.to_string_lossy()),
                    paths.join(" ")
                ))
                .hint(format!(
                    "remove them, then commit and push: git -C {} rm -r -q --ignore-unmatch -- {}",
                    shell_quote(&top.to_string_lossy()),
                    paths.join(" ")
                ))
        }
        None => error.hint(format!(
            "remove {} from {} if they do not belong there",
            parts.join(", "),
            found.display()
        )),
    }
    .hint("and keep git itself from taking such a directory for a repository: git config --global safe.bareRepository explicit")
}

/// The config file of the clone that holds `dir`, if any.
fn config_path(dir: &Path) -> Option<PathBuf> {
    Some(found(dir)?.config())
}

/// The repository that holds `dir`, when there is one rota may use (see [`repo`]).
fn found(dir: &Path) -> Option<Repo> {
    repo(dir).ok().flatten()
}

/// The clone's own `.git` directory (the linked one, for a worktree): a place for rota's
/// scratch files that no push can write.
pub fn private_dir(dir: &Path) -> Option<PathBuf> {
    git_dir(dir).filter(|d| d.is_dir())
}

fn git_dir(dir: &Path) -> Option<PathBuf> {
    found(dir).map(|r| r.git_dir)
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
        registered &= run(
            dir,
            &[
                "config",
                "--local",
                &format!("merge.{name}.name"),
                description,
            ],
        )
        .is_ok()
            && run(
                dir,
                &[
                    "config",
                    "--local",
                    &format!("merge.{name}.driver"),
                    &driver,
                ],
            )
            .is_ok();
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
pub fn shell_quote(text: &str) -> String {
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
    args.extend(paths.iter().map(|p| absolute(p)));
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

/// Whether git holds `path` in the clone's index (tracked, or added and not yet committed);
/// `None` outside a git clone or when git cannot say.
pub fn tracked(dir: &Path, path: &Path) -> Option<bool> {
    found(dir)?;
    let args = [
        "ls-files".to_string(),
        "-z".to_string(),
        "--".to_string(),
        absolute(path),
    ];
    let out = run_owned(dir, &args).ok()?;
    Some(!out.stdout.is_empty())
}

/// The paths git ignores in the clone's work tree (`.gitignore` files, `.git/info/exclude`,
/// `core.excludesFile`), relative to its top, `/`-separated: a directory git ignores whole as
/// `dir/`, without what it holds. Asked of git once (`git ls-files --others --ignored
/// --exclude-standard --directory`), for [`crate::teams::find`]; tracked files are never
/// among them.
pub fn ignored(repo: &Repo) -> Result<Vec<String>> {
    let output = repo
        .git()
        .args([
            "ls-files",
            "-z",
            "--others",
            "--ignored",
            "--exclude-standard",
            "--directory",
        ])
        .output()
        .map_err(|e| Error::git(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        return Err(Error::git(format!(
            "git could not list the paths it ignores in {}: {}",
            repo.top.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
        .hint(format!(
            "see what git says: git -C {} status",
            shell_quote(&repo.top.to_string_lossy())
        )));
    }
    Ok(output
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// The file in the clone's own git directory that lists the logs rota created there and
/// that git may not track yet (one absolute path a line).
const CREATED_LOGS: &str = "rota-created-logs";

/// The most of that list rota reads: a clone has a log or two.
const MAX_CREATED_LOGS_BYTES: u64 = 64 * 1024;

/// Notes that rota created the log at `path` in this clone, so that it may write there again
/// before the file is committed. Best effort: a clone without the note asks for the commit.
pub fn remember_created(dir: &Path, path: &Path) {
    let Some(private) = private_dir(dir) else {
        return;
    };
    let Ok(path) = std::fs::canonicalize(path) else {
        return;
    };
    let file = private.join(CREATED_LOGS);
    if created_logs(&file).contains(&path) {
        return;
    }
    use std::io::Write;
    if let Ok(mut out) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
    {
        let _ = writeln!(out, "{}", path.display());
    }
}

/// Whether rota created the log at `path` in this clone (see [`remember_created`]).
pub fn created_here(dir: &Path, path: &Path) -> bool {
    let (Some(private), Ok(path)) = (private_dir(dir), std::fs::canonicalize(path)) else {
        return false;
    };
    created_logs(&private.join(CREATED_LOGS)).contains(&path)
}

fn created_logs(file: &Path) -> Vec<PathBuf> {
    use std::io::Read;
    let mut text = String::new();
    if let Ok(f) = std::fs::File::open(file) {
        let _ = f.take(MAX_CREATED_LOGS_BYTES).read_to_string(&mut text);
    }
    text.lines().map(PathBuf::from).collect()
}

/// Whether `KEY` is true in the clone's own config (`git config --local --type=bool`).
pub fn config_flag(dir: &Path, key: &str) -> bool {
    run(dir, &["config", "--local", "--type=bool", "--get", key])
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "true")
}

/// `git config user.email` as git reads it for the clone's own repository (its config, the
/// user's, the system's; never a file in the work tree), if set.
pub fn user_email(dir: &Path) -> Option<String> {
    run(dir, &["config", "user.email"])
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|e| !e.is_empty())
}

/// `KEY` in the clone's own config (`.git/config`, `git config --local`), if set: where rota
/// reads its settings and hooks, which nothing pushed can write.
pub fn config_value(dir: &Path, key: &str) -> Option<String> {
    run(dir, &["config", "--local", "--get", key])
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
        .map(|p| absolute(p))
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

/// Whose commits a push may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carry {
    /// The whole branch, as `git push` does: the engineer asked (`--push`, `rota.pushAll`).
    Branch,
    /// Only the commits rota made in this command (this many), on top of the upstream: the
    /// push was asked by the team's list, which is not the engineer's to decide for the rest.
    OwnOnly(usize),
}

/// `git push`; when the remote refuses because someone pushed meanwhile, pull (rebase) and try
/// again, a few times, calling `after_pull` each time so the caller can re-check its change.
/// With [`Carry::OwnOnly`], each attempt first makes sure the branch holds nothing else the
/// upstream lacks, and refuses the push otherwise.
pub fn push(
    dir: &Path,
    carry: Carry,
    mut after_pull: impl FnMut() -> Result<()>,
) -> Result<Pushed> {
    let mut last = String::new();
    for _ in 0..PUSH_ATTEMPTS {
        if let Carry::OwnOnly(own) = carry {
            only_own_ahead(dir, own)?;
        }
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

/// Refuses a push that would carry commits rota did not make now: the branch must be at most
/// `own` commits (rota's) ahead of its upstream.
fn only_own_ahead(dir: &Path, own: usize) -> Result<()> {
    let withheld = |why: String| {
        Error::refused(format!("committed here, but not pushed: {why}"))
            .hint("see them: git log --oneline '@{upstream}..HEAD'")
            .hint("push them yourself when they are ready: git push")
            .hint("or push the whole branch from this clone: git config rota.pushAll true (or pass --push)")
    };
    let upstream = run(dir, &["rev-parse", "--abbrev-ref", "@{upstream}"])
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .map_err(|_| {
            Error::refused(
                "committed here, but not pushed: this branch has no upstream, and `push = true` in the team's list pushes only rota's own commit to the branch's upstream",
            )
            .hint("set one and push yourself: git push -u origin HEAD")
        })?;
    let ahead: usize = run(dir, &["rev-list", "--count", "@{upstream}..HEAD"])
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .ok_or_else(|| {
            withheld(format!(
                "git could not count the commits not yet on {upstream}"
            ))
        })?;
    if ahead <= own {
        return Ok(());
    }
    let others = ahead - own;
    Err(withheld(format!(
        "this branch has {others} commit{} besides rota's that {upstream} does not have, and `push = true` in the team's list pushes only what rota just committed",
        if others == 1 { "" } else { "s" }
    )))
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

/// The upstream of the clone's branch as git names it (`origin/main`), if it has one.
pub fn upstream(dir: &Path) -> Option<String> {
    run(
        dir,
        &[
            "rev-parse",
            "--abbrev-ref",
            "--symbolic-full-name",
            "@{upstream}",
        ],
    )
    .ok()
    .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
    .filter(|name| !name.is_empty())
}

/// The last commit of the clone's branch (`HEAD`, following first parents) made before
/// `instant`, if there is one.
pub fn commit_before(dir: &Path, instant: chrono::DateTime<chrono::Utc>) -> Result<Option<String>> {
    let before = format!("--before={}", instant.timestamp());
    let out = run(
        dir,
        &["rev-list", "-1", "--first-parent", &before, "HEAD", "--"],
    )
    .map_err(|problem| {
        Error::git(format!(
            "git could not list the branch's commits: {problem}"
        ))
    })?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok((!id.is_empty()).then_some(id))
}

/// `path` (a file in the clone's work tree) as a revision names it: relative to the top of
/// the work tree, `/` between the parts.
pub fn path_in_repo(dir: &Path, path: &Path) -> Result<String> {
    let repo = repo(dir)?.ok_or_else(|| not_in_a_clone(dir))?;
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let parent = std::fs::canonicalize(parent.unwrap_or(Path::new(".")))
        .map_err(|e| Error::io("read", path, &e))?;
    let name = path.file_name().unwrap_or_default();
    let inside = parent
        .join(name)
        .strip_prefix(&repo.top)
        .map(Path::to_path_buf)
        .map_err(|_| {
            Error::refused(format!(
                "{} is not inside the work tree of {}",
                path.display(),
                repo.top.display()
            ))
        })?;
    let parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(parts.join("/"))
}

/// The error of a command that needs the team's git repository, run outside one.
pub fn not_in_a_clone(dir: &Path) -> Error {
    Error::not_found(format!(
        "{} is not inside a git repository: rota reads the team's earlier files through git",
        dir.display()
    ))
    .hint("run it in a clone of the team's repository")
}

/// The file at `path` (relative to the top, `/` between the parts) as `commit` holds it, at
/// most `limit` bytes: `Ok(None)` when the commit has no file there. A symlink, a directory or
/// a submodule there is refused, and so is a file larger than `limit` (said with `hint`),
/// before a byte of it is read; the read itself stops at `limit` too. Messages name the commit
/// as the person did: `revision`.
pub fn read_at(
    dir: &Path,
    (revision, commit): (&str, &str),
    path: &str,
    limit: u64,
    hint: &str,
) -> Result<Option<Vec<u8>>> {
    let repo = repo(dir)?.ok_or_else(|| not_in_a_clone(dir))?;
    let shown = format!("{revision}:{path}");
    let failed = |problem: String| Error::git(format!("git could not read {shown}: {problem}"));
    let mut list = repo.git();
    list.env("GIT_LITERAL_PATHSPECS", "1")
        .args(["ls-tree", "-z", "-l", commit, "--", path]);
    let out = list
        .output()
        .map_err(|e| failed(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    // `<mode> <type> <object> <size>\t<path>\0`, for the entry at `path` only.
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    let Some((mode, kind, object, size)) = listing.split('\0').find_map(|entry| {
        let (meta, name) = entry.split_once('\t')?;
        let mut fields = meta.split_whitespace();
        let found = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        (name == path).then_some(found)
    }) else {
        return Ok(None);
    };
    if kind != "blob" || mode == "120000" {
        return Err(Error::refused(format!(
            "{shown} is not a file ({}): rota reads the team's files themselves",
            if mode == "120000" { "a symlink" } else { kind }
        ))
        .hint("compare revisions that hold the file itself"));
    }
    let too_large =
        || Error::invalid(format!("{shown} is larger than {} MiB", limit >> 20)).hint(hint);
    if size.parse::<u64>().is_ok_and(|size| size > limit) {
        return Err(too_large());
    }
    let mut cat = repo.git();
    cat.args(["cat-file", "blob", object])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cat
        .spawn()
        .map_err(|e| failed(format!("cannot run git: {e}")))?;
    let mut bytes = Vec::new();
    let read = {
        use std::io::Read;
        let stdout = child.stdout.take().expect("stdout is piped");
        stdout.take(limit + 1).read_to_end(&mut bytes)
    };
    if bytes.len() as u64 > limit {
        let _ = child.kill();
        let _ = child.wait();
        return Err(too_large());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| failed(format!("cannot wait for git: {e}")))?;
    read.map_err(|e| failed(e.to_string()))?;
    if !output.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ));
    }
    Ok(Some(bytes))
}

/// The path (relative to the top, `/` between the parts) of every file `commit` holds, for
/// the teams of a revision ([`crate::teams::at`]): one `git ls-tree -r`, which enters neither
/// a submodule nor a symlink. Messages name the commit as the person did: `revision`.
pub fn files_at(dir: &Path, (revision, commit): (&str, &str)) -> Result<Vec<String>> {
    let out = run(dir, &["ls-tree", "-r", "-z", "--name-only", commit]).map_err(|problem| {
        Error::git(format!(
            "git could not list the files of {revision}: {problem}"
        ))
    })?;
    Ok(out
        .stdout
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// The best common ancestor of commits `a` and `b` (what a merge of them starts from), if
/// they have one.
pub fn merge_base(dir: &Path, a: &str, b: &str) -> Option<String> {
    run(dir, &["merge-base", "--end-of-options", a, b])
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|id| !id.is_empty())
}

/// The path (relative to the top) that commit `commit` renamed to `path`, as git finds
/// renames between it and `parent` (`git diff-tree -M`); `None` when `path` is new. (Not
/// copies: every new team's log starts as a copy of any other's header.)
pub fn moved_to(dir: &Path, parent: &str, commit: &str, path: &str) -> Option<String> {
    let out = run(
        dir,
        &[
            "diff-tree",
            "-r",
            "-z",
            "-M",
            "--name-status",
            "--diff-filter=R",
            "--no-ext-diff",
            "--end-of-options",
            parent,
            commit,
        ],
    )
    .ok()?;
    // `R100 NUL from NUL to NUL`, for each.
    let fields: Vec<&[u8]> = out.stdout.split(|b| *b == 0).collect();
    fields.chunks(3).find_map(|entry| match entry {
        [status, from, to] if status.first() == Some(&b'R') && *to == path.as_bytes() => {
            Some(String::from_utf8_lossy(from).into_owned())
        }
        _ => None,
    })
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
    Some((name, merge_base(dir, "HEAD", "@{upstream}")?))
}

/// A commit that changed a file, with its parents (all of them, as the commit names them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub parents: Vec<String>,
}

/// The commits of `since..HEAD` that changed `path` (relative to the top, `/` between the
/// parts) against one of their parents, parents before children, at most `limit`: `Ok(None)`
/// when there are more. `--full-history` keeps a merge that took one side's file whole (it
/// changed the file against the other side), and without `--parents` the parents are the
/// commits' own, not those of git's simplified history.
pub fn commits_changing(
    dir: &Path,
    since: &str,
    path: &str,
    limit: usize,
) -> Result<Option<Vec<Commit>>> {
    let repo = repo(dir)?.ok_or_else(|| not_in_a_clone(dir))?;
    let out = repo
        .git()
        .env("GIT_LITERAL_PATHSPECS", "1")
        .args(["rev-list", "--full-history", "--topo-order", "--reverse"])
        .arg(format!("--max-count={}", limit + 1))
        .args(["--format=%P", &format!("{since}..HEAD"), "--", path])
        .output()
        .map_err(|e| Error::git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::git(format!(
            "git could not list the commits since {since}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    // `commit <id>` and the parents' ids on the next line, for each commit.
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let mut commits = Vec::new();
    while let Some(header) = lines.next() {
        let Some(id) = header.strip_prefix("commit ") else {
            continue;
        };
        let parents = lines.next().unwrap_or_default();
        commits.push(Commit {
            id: id.to_string(),
            parents: parents.split_whitespace().map(str::to_string).collect(),
        });
    }
    Ok((commits.len() <= limit).then_some(commits))
}

/// Whether `ancestor` is `descendant` or one of its ancestors.
pub fn is_ancestor(dir: &Path, ancestor: &str, descendant: &str) -> Result<bool> {
    let repo = repo(dir)?.ok_or_else(|| not_in_a_clone(dir))?;
    let status = repo
        .git()
        .args(["merge-base", "--is-ancestor", ancestor, descendant])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| Error::git(format!("cannot run git: {e}")))?;
    Ok(status.success())
}

/// The blob each of `commits` holds at `path` (relative to the top) and its size, in the
/// same order; `None` where a commit has no file there. Asked of one `git cat-file
/// --batch-check`, which reads objects as they are stored: no attribute of the repository
/// (a pushed `.gitattributes`) changes what it says.
pub fn blobs_at(dir: &Path, commits: &[&str], path: &str) -> Result<Vec<Option<(String, u64)>>> {
    use std::io::{BufRead, Write};
    let repo = repo(dir)?.ok_or_else(|| not_in_a_clone(dir))?;
    if path.contains('\n') {
        return Err(Error::refused(format!(
            "{path:?}: a path with a line break is not one rota reads through git"
        )));
    }
    let failed =
        |problem: String| Error::git(format!("git could not list the log's versions: {problem}"));
    let mut child = repo
        .git()
        .args([
            "cat-file",
            "--batch-check=%(objectname) %(objecttype) %(objectsize)",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| failed(format!("cannot run git: {e}")))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let requests: String = commits.iter().map(|c| format!("{c}:{path}\n")).collect();
    // Written from a thread: git answers each line at once, and would fill the pipe back
    // while a long request is still being written.
    let answers = std::thread::scope(|scope| {
        let writer = scope.spawn(move || stdin.write_all(requests.as_bytes()));
        let answers: Vec<String> = std::io::BufReader::new(stdout)
            .lines()
            .take(commits.len())
            .collect::<std::io::Result<_>>()
            .map_err(|e| failed(e.to_string()))?;
        writer
            .join()
            .map_err(|_| failed("the writer stopped".into()))?
            .map_err(|e| failed(e.to_string()))?;
        Ok::<_, Error>(answers)
    })?;
    let _ = child.wait();
    if answers.len() != commits.len() {
        return Err(failed("it answered fewer lines than asked".into()));
    }
    Ok(answers
        .iter()
        .map(|answer| {
            let mut fields = answer.split(' ');
            let (id, kind, size) = (fields.next()?, fields.next()?, fields.next()?);
            (kind == "blob").then(|| (id.to_string(), size.parse().unwrap_or(u64::MAX)))
        })
        .collect())
}

/// Blobs read one after another from one `git cat-file --batch`, each as a stream: rota holds
/// a chunk of a version, never the whole. Objects are read as stored, with no attribute of the
/// repository applied.
pub struct Blobs {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Blobs {
    pub fn open(dir: &Path) -> Result<Blobs> {
        let repo = repo(dir)?.ok_or_else(|| not_in_a_clone(dir))?;
        let mut child = repo
            .git()
            .args(["cat-file", "--batch"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| Error::git(format!("cannot run git: {e}")))?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = std::io::BufReader::with_capacity(
            256 * 1024,
            child.stdout.take().expect("stdout is piped"),
        );
        Ok(Blobs {
            child,
            stdin,
            stdout,
        })
    }

    /// Runs `read` on the bytes of blob `id` (a version of the log), then reads what it left.
    pub fn with<T>(
        &mut self,
        id: &str,
        read: impl FnOnce(&mut dyn std::io::Read) -> T,
    ) -> Result<T> {
        use std::io::{BufRead, Read, Write};
        let failed =
            |problem: String| Error::git(format!("git could not read blob {id}: {problem}"));
        writeln!(self.stdin, "{id}")
            .and_then(|()| self.stdin.flush())
            .map_err(|e| failed(e.to_string()))?;
        let mut header = String::new();
        (&mut self.stdout)
            .take(256)
            .read_line(&mut header)
            .map_err(|e| failed(e.to_string()))?;
        // `<id> blob <size>`, or `<id> missing`.
        let size = match header.trim_end().split(' ').collect::<Vec<_>>()[..] {
            [_, "blob", size] => size.parse::<u64>().map_err(|e| failed(e.to_string()))?,
            _ => return Err(failed(header.trim_end().to_string())),
        };
        let mut blob = (&mut self.stdout).take(size);
        let value = read(&mut blob);
        std::io::copy(&mut blob, &mut std::io::sink()).map_err(|e| failed(e.to_string()))?;
        if blob.limit() > 0 {
            return Err(failed("it ended early".into()));
        }
        let mut end = [0u8; 1];
        self.stdout
            .read_exact(&mut end)
            .map_err(|e| failed(e.to_string()))?;
        Ok(value)
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `path` as git is given it: absolute, since git runs at the top of the work tree.
fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn run(dir: &Path, args: &[&str]) -> std::result::Result<Output, String> {
    let owned: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    run_owned(dir, &owned)
}

/// `git ARGS` in the repository that holds `dir`, named to git explicitly (see [`Repo`]);
/// what it printed, or why it failed. Paths among `args` are absolute or relative to the top.
fn run_owned(dir: &Path, args: &[String]) -> std::result::Result<Output, String> {
    let repo = match repo(dir) {
        Ok(Some(repo)) => repo,
        Ok(None) => return Err(format!("{} is not inside a git repository", dir.display())),
        Err(e) => return Err(e.summary().to_string()),
    };
    match repo.git().args(args).output() {
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
