//! Many teams in one repository: every directory that holds an `on-call-list.toml` is a team,
//! with its own list and log. [`find`] finds them all, for the commands' `--all`.
//!
//! The search starts at the top of the repository that holds the starting directory (the
//! work tree [`crate::git::repo`] finds; outside git, the starting directory itself) and walks
//! the directories below it, in name order. It does not enter:
//!
//! - `.git`, or any hidden directory (a name that starts with `.`);
//! - a directory git ignores (`.gitignore`, `.git/info/exclude`, `core.excludesFile`): git is
//!   asked once for the paths it ignores ([`crate::git::ignored`]), and rota matches nothing
//!   itself; a list git ignores is no team either (a list git tracks is one, wherever it is);
//! - a symlink: a link is never followed, into the repository or out of it;
//! - a directory that is a repository of its own (it holds `.git`: a submodule, a nested
//!   clone), whose teams are that repository's;
//! - more than [`LIMITS`]`.depth` directories below the top.
//!
//! The walk is bounded: past [`LIMITS`]`.dirs` directories, or [`LIMITS`]`.teams` teams, it
//! stops with an error that says so, rather than answer for some teams and not others.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::roster::LIST_FILE;

/// How far the search goes.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How many directories below the top it looks into (the top is 0).
    pub depth: usize,
    /// How many directories it may look into, at most.
    pub dirs: usize,
    /// How many teams it may find, at most.
    pub teams: usize,
}

/// The bounds `--all` searches within.
pub const LIMITS: Limits = Limits {
    depth: 8,
    dirs: 10_000,
    teams: 200,
};

/// What the search found.
#[derive(Debug)]
pub struct Found {
    /// Where it searched from: the repository's top, or the starting directory outside git.
    pub top: PathBuf,
    /// Whether `top` is a git work tree's.
    pub git: bool,
    /// The teams, in the order of their directories' relative paths.
    pub teams: Vec<Team>,
    /// Directories below the top that could not be read (permissions), and so not searched.
    pub unreadable: Vec<PathBuf>,
}

/// One team: a directory that holds an `on-call-list.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    /// The directory.
    pub dir: PathBuf,
    /// Its path relative to the top, `/`-separated (`net/edge`); `.` for the top itself.
    pub rel: String,
}

impl Team {
    /// The team's list.
    pub fn list_path(&self) -> PathBuf {
        self.dir.join(LIST_FILE)
    }

    /// A name for the team's own place (its directory under `rota publish --all DIR`): its
    /// relative path with `/` replaced by `-` (`net/edge` → `net-edge`), and every character
    /// but ASCII letters, digits, `.`, `_` and `-` replaced by `_`; `top` for the top itself.
    /// Two teams can come out with one name (`net-edge/` and `net/edge/`): the caller that
    /// needs them apart checks.
    pub fn slug(&self) -> String {
        if self.rel == "." {
            return "top".to_string();
        }
        self.rel
            .chars()
            .map(|c| match c {
                '/' => '-',
                c if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') => c,
                _ => '_',
            })
            .collect()
    }
}

/// Every team of the repository that holds `start` (see the module's documentation).
pub fn find(start: &Path, limits: &Limits) -> Result<Found> {
    let repo = crate::git::repo(start)?;
    let (top, ignored) = match &repo {
        Some(repo) => (
            repo.top.clone(),
            crate::git::ignored(repo)?.into_iter().collect(),
        ),
        None => (
            std::fs::canonicalize(start).map_err(|e| Error::io("read", start, &e))?,
            HashSet::new(),
        ),
    };
    let join = |rel: &str, name: &str| {
        if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        }
    };
    let too_many = |what: String| {
        Error::refused(format!(
            "the search for teams under {} stopped: {what}",
            top.display()
        ))
    };
    let mut teams = Vec::new();
    let mut unreadable = Vec::new();
    // Directories to look into: the path, relative to the top, and how deep.
    let mut queue = VecDeque::from([(top.clone(), String::new(), 0)]);
    let mut seen = 1;
    while let Some((dir, rel, depth)) = queue.pop_front() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if depth == 0 => return Err(Error::io("read", &dir, &e)),
            Err(_) => {
                unreadable.push(dir);
                continue;
            }
        };
        let mut has_list = false;
        let mut below = Vec::new();
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            if name == LIST_FILE {
                // A symlinked list counts: reading it confines it to the team's directory.
                has_list = kind.is_file() || kind.is_symlink();
                continue;
            }
            // `is_dir` of an entry's own type: a symlink to a directory is not one.
            let name = name.to_string_lossy();
            if !kind.is_dir() || depth >= limits.depth || name.starts_with('.') {
                continue;
            }
            let sub = join(&rel, &name);
            if ignored.contains(&format!("{sub}/"))
                || std::fs::symlink_metadata(entry.path().join(".git")).is_ok()
            {
                continue;
            }
            below.push((entry.path(), sub));
        }
        if has_list && !ignored.contains(&join(&rel, LIST_FILE)) {
            teams.push(Team {
                dir: dir.clone(),
                rel: if rel.is_empty() { ".".to_string() } else { rel },
            });
            if teams.len() > limits.teams {
                return Err(too_many(format!(
                    "it found more than {} teams (directories with an {LIST_FILE}), the most rota reads at once",
                    limits.teams
                ))
                .hint("run the command for one team instead: rota --dir PATH COMMAND"));
            }
        }
        below.sort();
        seen += below.len();
        if seen > limits.dirs {
            return Err(too_many(format!(
                "it would look into more than {} directories, the most it searches",
                limits.dirs
            ))
            .hint("list what holds no team (build output, dependencies) in .gitignore: the search skips it")
            .hint("or run the command for one team instead: rota --dir PATH COMMAND"));
        }
        queue.extend(below.into_iter().map(|(path, sub)| (path, sub, depth + 1)));
    }
    teams.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(Found {
        top,
        git: repo.is_some(),
        teams,
        unreadable,
    })
}

/// The teams a revision holds, by their directories relative to the top (`.` for the top
/// itself), in order: every `on-call-list.toml` among `files` (what
/// [`crate::git::files_at`] lists) that [`find`] would find in a work tree of that revision:
/// none in a hidden directory, none deeper than `limits.depth`. A revision's tree has no
/// symlinked directory or submodule to enter, and what git tracks is never ignored.
pub fn at(files: &[String], limits: &Limits, revision: &str) -> Result<Vec<String>> {
    let mut rels: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let dir = match path.rsplit_once('/') {
                Some((dir, name)) if name == LIST_FILE => dir,
                None if path == LIST_FILE => return Some(".".to_string()),
                _ => return None,
            };
            let parts: Vec<&str> = dir.split('/').collect();
            (parts.len() <= limits.depth && !parts.iter().any(|p| p.starts_with('.')))
                .then(|| dir.to_string())
        })
        .collect();
    rels.sort();
    rels.dedup();
    if rels.len() > limits.teams {
        return Err(Error::refused(format!(
            "{revision} holds more than {} teams (directories with an {LIST_FILE}), the most rota reads at once",
            limits.teams
        ))
        .hint("run the command for one team instead: rota --dir PATH COMMAND"));
    }
    Ok(rels)
}

/// The path, from the repository's top, of the list of the team in `rel` (a directory as
/// [`at`] names teams, `.` for the top).
pub fn list_at(rel: &str) -> String {
    if rel == "." {
        LIST_FILE.to_string()
    } else {
        format!("{rel}/{LIST_FILE}")
    }
}

/// `name` (relative, without `..`: the list's rules for `log`) beside the file at `path` in
/// the repository, `/` between the parts: the team's log as git names it in a revision.
pub fn beside(path: &str, name: &Path) -> String {
    let mut parts: Vec<String> = path.split('/').map(str::to_string).collect();
    parts.pop();
    for part in name.components() {
        match part {
            std::path::Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_beside_the_list_is_named_from_the_top() {
        assert_eq!(list_at("."), "on-call-list.toml");
        assert_eq!(list_at("teams/sre"), "teams/sre/on-call-list.toml");
        assert_eq!(
            beside("on-call-list.toml", "on-call-log.md".as_ref()),
            "on-call-log.md"
        );
        assert_eq!(
            beside(
                "teams/sre/on-call-list.toml",
                "./logs/on-call-log.md".as_ref()
            ),
            "teams/sre/logs/on-call-log.md"
        );
        assert_eq!(
            beside("teams/sre/on-call-list.toml", "./on-call-log.md".as_ref()),
            "teams/sre/on-call-log.md"
        );
    }

    fn tree(paths: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for path in paths {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        dir
    }

    fn rels(found: &Found) -> Vec<&str> {
        found.teams.iter().map(|t| t.rel.as_str()).collect()
    }

    /// Outside git: every list below the start, hidden directories and symlinks left out, in
    /// order of the relative path, however deep they were found.
    #[test]
    fn lists_are_found_below_the_start_but_not_in_hidden_or_linked_directories() {
        let dir = tree(&[
            "on-call-list.toml",
            "sre/on-call-list.toml",
            "net/edge/on-call-list.toml",
            "net/core/notes.md",
            "db/on-call-list.toml",
            ".archive/old/on-call-list.toml",
            "a-b/on-call-list.toml",
        ]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("sre"), dir.path().join("linked")).unwrap();
        let found = find(dir.path(), &LIMITS).unwrap();
        assert!(!found.git);
        assert_eq!(rels(&found), [".", "a-b", "db", "net/edge", "sre"]);
        let slugs: Vec<String> = found.teams.iter().map(Team::slug).collect();
        assert_eq!(slugs, ["top", "a-b", "db", "net-edge", "sre"]);
        assert_eq!(
            found.teams[3].list_path(),
            std::fs::canonicalize(dir.path())
                .unwrap()
                .join("net/edge/on-call-list.toml")
        );
    }

    #[test]
    fn a_revisions_teams_are_its_lists_outside_hidden_directories_within_the_depth() {
        let files: Vec<String> = [
            "on-call-list.toml",
            "README.md",
            "sre/on-call-list.toml",
            "sre/on-call-log.md",
            "net/edge/on-call-list.toml",
            ".archive/old/on-call-list.toml",
            "a/.b/on-call-list.toml",
            "1/2/3/4/on-call-list.toml",
            "x/not-on-call-list.toml",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let shallow = Limits { depth: 3, ..LIMITS };
        assert_eq!(
            at(&files, &shallow, "HEAD").unwrap(),
            [".", "net/edge", "sre"]
        );
        let few = Limits { teams: 2, ..LIMITS };
        let error = at(&files, &few, "origin/main").unwrap_err();
        assert!(
            error
                .summary()
                .starts_with("origin/main holds more than 2 teams"),
            "{}",
            error.summary()
        );
    }

    #[test]
    fn slugs_keep_only_safe_characters() {
        let team = |rel: &str| Team {
            dir: PathBuf::new(),
            rel: rel.to_string(),
        };
        assert_eq!(team("ops/on call/β").slug(), "ops-on_call-_");
        assert_eq!(team("x/\"><script>").slug(), "x-___script_");
    }

    #[test]
    fn the_search_is_bounded_in_depth_directories_and_teams() {
        let deep = tree(&["1/2/3/on-call-list.toml", "1/2/3/4/on-call-list.toml"]);
        let shallow = Limits { depth: 3, ..LIMITS };
        assert_eq!(rels(&find(deep.path(), &shallow).unwrap()), ["1/2/3"]);

        let wide = tree(&["a/x", "b/x", "c/x", "d/x"]);
        let few_dirs = Limits { dirs: 4, ..LIMITS };
        let error = find(wide.path(), &few_dirs).unwrap_err();
        assert!(
            error
                .summary()
                .ends_with("it would look into more than 4 directories, the most it searches"),
            "{}",
            error.summary()
        );
        assert!(find(wide.path(), &Limits { dirs: 5, ..LIMITS }).is_ok());

        let many = tree(&[
            "a/on-call-list.toml",
            "b/on-call-list.toml",
            "c/on-call-list.toml",
        ]);
        let two = Limits { teams: 2, ..LIMITS };
        let error = find(many.path(), &two).unwrap_err();
        assert!(error.summary().contains("more than 2 teams"));
    }
}
