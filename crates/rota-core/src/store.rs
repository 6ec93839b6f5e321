//! Finding the team's files, reading them, and the one way rota rewrites `on-call-list.toml`:
//! through `toml_edit`, touching only the `[rotation]` table's values, then an atomic rename.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::history::History;
use crate::roster::{self, LIST_FILE, Roster};
use crate::rotation::{self, State};

const BOM: &str = "\u{feff}";

/// The largest playbook rota renders (1 MiB).
pub const MAX_PLAYBOOK: u64 = 1024 * 1024;

/// The team's files, as read.
#[derive(Clone)]
pub struct Workspace {
    pub list_path: PathBuf,
    /// Where writes to the list go: the list itself, or the file a symlink in the team's
    /// directory points to (so that the link stays a link).
    list_target: PathBuf,
    pub log_path: PathBuf,
    /// The list's text as read (without a byte-order mark).
    pub text: String,
    has_bom: bool,
    pub roster: Roster,
}

/// The nearest `on-call-list.toml`: in `dir` when given (a directory or the file itself),
/// else in `cwd` (the current directory) or the closest parent that has one.
pub fn find_list(dir: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    if let Some(dir) = dir {
        let candidate = if dir.is_dir() {
            dir.join(LIST_FILE)
        } else {
            dir.to_path_buf()
        };
        if is_list(&candidate) {
            return Ok(candidate);
        }
        return Err(
            Error::not_found(format!("no {LIST_FILE} at {}", dir.display()))
                .hint("--dir and ROTA_DIR name the directory that holds on-call-list.toml"),
        );
    }
    for ancestor in cwd.ancestors() {
        let candidate = ancestor.join(LIST_FILE);
        if is_list(&candidate) {
            return Ok(candidate);
        }
    }
    Err(Error::not_found(format!(
        "no {LIST_FILE} in {} or any parent directory",
        cwd.display()
    ))
    .hint("run rota inside the repository that holds the team's on-call-list.toml")
    .hint("or point --dir PATH (or ROTA_DIR) at the directory that holds it; `rota init --example --dir demo` writes an example team to try")
    .hint("or start a team here: rota init --team NAME --timezone ZONE --engineer ID,NAME,EMAIL ..."))
}

/// Whether `path` stands for the list: anything there but a directory (reading a FIFO or a
/// device says what is wrong with it, rather than "no list").
fn is_list(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_dir())
}

/// The largest list rota reads (4 MiB: a team of twenty with years of absences and the most
/// maintenance windows takes a few hundred KiB); a crafted list stops here, before parsing.
pub const MAX_LIST_BYTES: u64 = 4 * 1024 * 1024;

/// The largest log rota reads whole (64 MiB: a log written every working day for 189 years
/// takes 47 MiB). Everyday commands read the log's end; `rota diff` reads each side's whole log,
/// from the working tree or from a revision, and stops here.
pub const MAX_LOG_BYTES: u64 = 64 * 1024 * 1024;

/// What to do about a log larger than [`MAX_LOG_BYTES`].
pub const LOG_TOO_LARGE_HINT: &str =
    "start a new log: point team.log at a new file, and keep the old one beside it for reading";

/// What to do about a list larger than [`MAX_LIST_BYTES`].
pub const LIST_TOO_LARGE_HINT: &str = "a team's list is a few KiB: remove what does not belong there (past maintenance windows, old absences)";

/// The whole log at `path`, at most [`MAX_LOG_BYTES`] (invalid UTF-8 read as U+FFFD, as
/// the everyday reader does); empty when there is no log yet.
pub fn read_whole_log(path: &Path) -> Result<String> {
    let file = match crate::open::regular(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    let bytes = read_bounded(file, path, MAX_LOG_BYTES, LOG_TOO_LARGE_HINT)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The bytes of `file` (at `path`), refused with `hint` when there are more than `limit`:
/// no more than `limit + 1` bytes are read.
fn read_bounded(file: File, path: &Path, limit: u64, hint: &str) -> Result<Vec<u8>> {
    crate::open::read_at_most(file, limit)
        .map_err(|e| Error::io("read", path, &e))?
        .ok_or_else(|| {
            Error::invalid(format!(
                "{} is larger than {} MiB",
                path.display(),
                limit >> 20
            ))
            .hint(hint)
        })
}

impl Workspace {
    pub fn open(dir: Option<&Path>, cwd: &Path) -> Result<Workspace> {
        let list_path = find_list(dir, cwd)?;
        Workspace::read(list_path)
    }

    pub fn read(list_path: PathBuf) -> Result<Workspace> {
        // rota reads and writes only inside the team's directory, whatever a symlink says:
        // the list is confined before a byte of it is read.
        let dir = list_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let root = team_root(dir)?;
        let list_target = confined(&root, &list_path)?;
        let file =
            crate::open::regular(&list_path).map_err(|e| Error::io("read", &list_path, &e))?;
        let bytes = read_bounded(file, &list_path, MAX_LIST_BYTES, LIST_TOO_LARGE_HINT)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Error::invalid(format!("{} is not valid UTF-8", list_path.display()))
                .at(crate::error::Location::of(
                    &list_path,
                    &lossy,
                    valid..valid + 1,
                ))
                .hint("save the file as UTF-8")
        })?;
        let (has_bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest.to_string()),
            None => (false, text),
        };
        let roster = roster::parse(&list_path, &text)?;
        let log_path = dir.join(&roster.log);
        let log_target = confined(&root, &log_path)?;
        refuse_log_on_owned_file(&root, &list_target, &log_path, &log_target)?;
        Ok(Workspace {
            list_path,
            list_target,
            log_path,
            text,
            has_bom,
            roster,
        })
    }

    /// A list read from somewhere else than the team's directory (a revision, for `rota diff`):
    /// `list_path` names it in messages, and the log is `team.log` beside it. Nothing on disk is
    /// looked at, and such a workspace is only read: a transaction begins from a list on disk.
    pub fn from_text(list_path: PathBuf, text: &str) -> Result<Workspace> {
        let (has_bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest.to_string()),
            None => (false, text.to_string()),
        };
        let roster = roster::parse(&list_path, &text)?;
        let dir = list_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let log_path = dir.join(&roster.log);
        Ok(Workspace {
            list_target: list_path.clone(),
            list_path,
            log_path,
            text,
            has_bom,
            roster,
        })
    }

    /// The list as it is on disk now: a copy of this one while the file holds the same bytes,
    /// else read and parsed again.
    pub fn reread(&self) -> Result<Workspace> {
        let unchanged = crate::open::read_regular(&self.list_path, MAX_LIST_BYTES)
            .ok()
            .flatten()
            .is_some_and(|bytes| match bytes.strip_prefix(BOM.as_bytes()) {
                Some(rest) => self.has_bom && rest == self.text.as_bytes(),
                None => !self.has_bom && bytes == self.text.as_bytes(),
            });
        if unchanged {
            return Ok(self.clone());
        }
        Workspace::read(self.list_path.clone())
    }

    /// The directory that holds the list: the team's directory.
    pub fn dir(&self) -> &Path {
        self.list_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    /// Where an output directory is, resolved physically (every symlink on its way followed,
    /// `..` taken from where a link led, a part not made yet appended as written) before
    /// anything is written, whatever the spelling of `dir` (`x/../public`, `../public` from a
    /// subdirectory, a symlinked alias of the repository). Refused when a symlink that stands
    /// inside the team's directory leads it out (or anything leads it into `.git`): the files
    /// of a pushed commit must not choose where rota writes. A directory reached without such
    /// a link is the user's own choice.
    pub fn output_dir(&self, dir: &Path, cwd: &Path) -> Result<PathBuf> {
        let root = team_root(self.dir())?;
        let given = cwd.join(dir);
        let outside = |found: Option<PathBuf>| {
            Error::refused(format!(
                "{} leads outside the team's directory{}: a symlink in the repository does not choose where rota writes",
                dir.display(),
                found
                    .map(|f| format!(" (to {})", f.display()))
                    .unwrap_or_default(),
            ))
            .hint("name the directory itself (rota publish /srv/www/on-call), or remove the symlink; nothing was written")
        };
        let Some((found, via_team_link)) = physical(&root, &given) else {
            return Err(outside(None));
        };
        match found.strip_prefix(&root) {
            Ok(inside) if inside.components().any(|c| c.as_os_str() == ".git") => {
                Err(into_git(dir, &found))
            }
            Ok(_) => Ok(found),
            Err(_) if via_team_link => Err(outside(Some(found))),
            Err(_) => Ok(found),
        }
    }

    /// [`Workspace::output_dir`]'s refusal alone, for a place checked before it is written.
    pub fn check_output_dir(&self, dir: &Path, cwd: &Path) -> Result<()> {
        self.output_dir(dir, cwd).map(|_| ())
    }

    /// The playbook's Markdown (`playbook` in `[team]`), if the team has one: read only from
    /// inside the team's directory (a symlink leading out is refused) and at most
    /// `MAX_PLAYBOOK` bytes of UTF-8.
    pub fn playbook(&self) -> Result<Option<String>> {
        let Some(name) = &self.roster.playbook else {
            return Ok(None);
        };
        let path = self.dir().join(name);
        let root = team_root(self.dir())?;
        match resolve_inside(&root, &path) {
            Ok(_) => {}
            Err(Escape::IntoGit(found)) => return Err(into_git(&path, &found)),
            Err(Escape::Outside(_)) => {
                return Err(Error::refused(format!(
                    "team.playbook {:?} leads outside the team's directory: rota reads only inside {}",
                    name.display().to_string(),
                    root.display()
                ))
                .hint("replace the symlink with the file itself; nothing was written"));
            }
        }
        let io = |e: std::io::Error| Error::io("read", &path, &e);
        let file = crate::open::regular(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => io(e).hint(format!(
                "create {}, or remove `playbook` from [team] in {LIST_FILE}",
                name.display()
            )),
            _ => io(e),
        })?;
        let bytes = read_bounded(
            file,
            &path,
            MAX_PLAYBOOK,
            "a playbook is read by people: split it, and link the rest from it",
        )?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::invalid(format!("{} is not valid UTF-8", path.display()))
                .hint("save the file as UTF-8")
        })?;
        Ok(Some(text.strip_prefix(BOM).unwrap_or(&text).to_string()))
    }

    /// Where the rotation stands after `history` (the log's records), and what was reconciled
    /// with the team as it is now.
    pub fn state(&self, history: &History, today: NaiveDate) -> (State, Vec<String>) {
        let zone = self.roster.calendar.timezone;
        rotation::current_state(
            &self.roster,
            history.checkpoint(self.roster.seed, zone),
            today,
        )
    }

    /// Applies `change` to the file through `toml_edit`, checks that the result is a valid
    /// list, and replaces the file atomically. Whatever `change` does not touch stays as it was.
    pub(crate) fn edit(
        &mut self,
        change: impl FnOnce(&mut DocumentMut) -> Result<(), String>,
    ) -> Result<()> {
        let text = edited(&self.text, change).map_err(|e| {
            let error = Error::refused(format!("cannot update {}: {e}", self.list_path.display()))
                .hint("rota adds to [[engineer]], [[override]], [[maintenance]], [regions.ID] tables and one-line-per-value `away` and `holidays` arrays: rewrite the value shown in that form, or make the change by hand; nothing was written");
            // Point at the value written in a form rota cannot add to.
            let key = ["engineer", "override", "maintenance", "away"]
                .into_iter()
                .find(|k| e.contains(&format!("`{k}`")) || e.contains(&format!("[[{k}]]")));
            let at = key.and_then(|k| {
                let mut offset = 0;
                self.text.split_inclusive('\n').find_map(|line| {
                    let start = offset;
                    offset += line.len();
                    let bare = line.trim_start();
                    let rest = bare.strip_prefix(k)?.trim_start();
                    rest.starts_with('=').then(|| {
                        let at = start + (line.len() - bare.len());
                        at..at + k.len()
                    })
                })
            });
            match at {
                Some(span) => error.at(crate::error::Location::of(&self.list_path, &self.text, span)),
                None => error,
            }
        })?;
        let roster = roster::parse(&self.list_path, &text).map_err(|e| {
            Error::internal(format!(
                "rota would have written an invalid {} and stopped: {}",
                self.list_path.display(),
                e.summary()
            ))
            .hint("this is a bug in rota; the file is unchanged")
        })?;
        let bytes = if self.has_bom {
            format!("{BOM}{text}")
        } else {
            text.clone()
        };
        remove_leftovers(&self.list_target);
        write_atomically(&self.list_target, bytes.as_bytes())?;
        self.text = text;
        self.roster = roster;
        Ok(())
    }
}

/// The team's directory: the git work tree that holds the list, else the list's directory.
/// Refused when git would take the list's directory (or one above it, below the work
/// tree's top) for a repository of its own: see [`crate::git::repo`].
fn team_root(list_dir: &Path) -> Result<PathBuf> {
    let dir = std::fs::canonicalize(list_dir).unwrap_or_else(|_| list_dir.to_path_buf());
    Ok(crate::git::repo(&dir)?.map(|r| r.top).unwrap_or(dir))
}

/// How a path leaves the team's files.
enum Escape {
    /// Out of the team's directory (to there, when it resolves).
    Outside(Option<PathBuf>),
    /// Into git's own files (`.git`): its config, its hooks.
    IntoGit(PathBuf),
}

/// `path` with every symlink resolved (a file not made yet: its nearest existing ancestor's),
/// or an error when that leaves `root` or leads into its `.git`.
fn confined(root: &Path, path: &Path) -> Result<PathBuf> {
    resolve_inside(root, path).map_err(|escape| match escape {
        Escape::IntoGit(found) => into_git(path, &found),
        Escape::Outside(found) => Error::refused(format!(
            "{} leads outside the team's directory{}: rota reads and writes only inside {}",
            path.display(),
            found
                .map(|f| format!(" (to {})", f.display()))
                .unwrap_or_default(),
            root.display()
        ))
        .hint("replace the symlink with the file itself, or point team.log at a file inside the repository; nothing was written"),
    })
}

/// The files rota writes besides the log, by name: a log resolving to one of them would have
/// Markdown appended to them.
const OWNED_FILES: [&str; 3] = [LIST_FILE, ".gitattributes", ".gitignore"];

/// Refuses a log that resolves (through a symlink, of the file or of a directory on its way)
/// to the list or to another file rota writes: `rota log` would append Markdown into it.
fn refuse_log_on_owned_file(root: &Path, list: &Path, log_path: &Path, log: &Path) -> Result<()> {
    let same_file = || {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let (Ok(a), Ok(b)) = (std::fs::metadata(list), std::fs::metadata(log)) else {
                return false;
            };
            a.dev() == b.dev() && a.ino() == b.ino()
        }
        #[cfg(not(unix))]
        false
    };
    let owned = log == list
        || same_file()
        || log
            .file_name()
            .is_some_and(|name| OWNED_FILES.iter().any(|owned| name == *owned));
    if !owned {
        return Ok(());
    }
    let shown = log.strip_prefix(root).unwrap_or(log);
    Err(Error::refused(format!(
        "{} resolves to {}, which is not a log: rota would append Markdown into it",
        log_path.display(),
        shown.display()
    ))
    .hint("make the log a file of its own (replace the symlink with the log itself, or point team.log at another file); nothing was written"))
}

/// The refusal of a path that resolves into git's own files: a pushed symlink must not make
/// rota publish the clone's git config or write into its hooks.
fn into_git(path: &Path, found: &Path) -> Error {
    Error::refused(format!(
        "{} leads into git's own files ({}): rota reads and writes only the team's files",
        path.display(),
        found.display()
    ))
    .hint("replace the symlink with the file itself; nothing was written")
}

/// The absolute `path` as the kernel resolves it, and whether a symlink standing inside
/// `root` was followed on the way; `None` past 40 links (a loop). Parts that do not exist yet
/// are appended as written, a `..` after them taking one back off, as creating them would.
fn physical(root: &Path, path: &Path) -> Option<(PathBuf, bool)> {
    use std::path::Component;
    let mut pending: std::collections::VecDeque<std::ffi::OsString> =
        std::collections::VecDeque::new();
    let mut at = PathBuf::from("/");
    let push_front = |pending: &mut std::collections::VecDeque<std::ffi::OsString>, p: &Path| {
        for c in p.components().rev() {
            pending.push_front(c.as_os_str().to_os_string());
        }
    };
    push_front(&mut pending, path);
    let (mut links, mut via_team_link, mut missing) = (0, false, false);
    while let Some(part) = pending.pop_front() {
        match Path::new(&part).components().next() {
            Some(Component::RootDir | Component::Prefix(_)) => at = PathBuf::from(&part),
            Some(Component::CurDir) | None => {}
            Some(Component::ParentDir) => {
                at.pop();
            }
            Some(Component::Normal(name)) => {
                let next = at.join(name);
                let link = !missing
                    && std::fs::symlink_metadata(&next).map_or_else(
                        |_| {
                            missing = true;
                            false
                        },
                        |m| m.file_type().is_symlink(),
                    );
                if !link {
                    at = next;
                    continue;
                }
                links += 1;
                if links > 40 {
                    return None;
                }
                via_team_link |= at.starts_with(root);
                let target = std::fs::read_link(&next).ok()?;
                push_front(&mut pending, &target);
            }
        }
    }
    Some((at, via_team_link))
}

/// [`confined`]'s resolution, saying how a path escapes.
fn resolve_inside(root: &Path, path: &Path) -> std::result::Result<PathBuf, Escape> {
    let mut existing = path.to_path_buf();
    let mut missing = Vec::new();
    let resolved = loop {
        match std::fs::canonicalize(&existing) {
            Ok(found) => break Some(found),
            // A link to nowhere: a write would create its target, wherever that is.
            Err(_) if existing.is_symlink() => break None,
            Err(_) => match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    missing.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break None,
            },
        }
    };
    let resolved = resolved
        .filter(|_| missing.iter().all(|m| m != ".."))
        .map(|mut found| {
            found.extend(missing.iter().rev());
            found
        });
    match resolved {
        Some(found) => match found.strip_prefix(root) {
            Ok(inside) if inside.components().any(|c| c.as_os_str() == ".git") => {
                Err(Escape::IntoGit(found))
            }
            Ok(_) => Ok(found),
            Err(_) => Err(Escape::Outside(Some(found))),
        },
        None => Err(Escape::Outside(None)),
    }
}

/// `text` after `change`, keeping the final newline it had.
pub fn edited(
    text: &str,
    change: impl FnOnce(&mut DocumentMut) -> Result<(), String>,
) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    change(&mut doc)?;
    let mut out = doc.to_string();
    if !out.ends_with('\n') && (text.ends_with('\n') || text.is_empty()) {
        out.push('\n');
    }
    Ok(out)
}

pub fn toml_date(day: chrono::NaiveDate) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: day.year() as u16,
            month: day.month() as u8,
            day: day.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// Appends `value` to `array` on a line of its own, with its comma: two clones that add to the
/// same array then insert separate lines, which the list's merge driver can join. What stood
/// after the last value (a comment) stays where it was.
pub fn push_on_its_line(array: &mut Array, mut value: Value) {
    let trailing = array
        .trailing()
        .as_str()
        .unwrap_or_default()
        .trim_end_matches([' ', '\n'])
        .to_string();
    let prefix = if trailing.trim().is_empty() {
        "\n  ".to_string()
    } else {
        format!("{trailing}\n  ")
    };
    value.decor_mut().set_prefix(prefix);
    array.push_formatted(value);
    array.set_trailing_comma(true);
    array.set_trailing("\n");
}

/// Engineer `id`'s `[[engineer]]` table, if there is one.
fn engineer_table<'a>(doc: &'a mut DocumentMut, id: &str) -> Result<Option<&'a mut Table>, String> {
    let engineers = doc
        .get_mut("engineer")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("the engineers must be written as [[engineer]] tables")?;
    Ok(engineers
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id)))
}

/// Adds an absence to engineer `id`'s `away` list (creating the key if needed).
pub fn add_absence(
    doc: &mut DocumentMut,
    id: &str,
    absence: &crate::roster::Absence,
) -> Result<(), String> {
    let table = engineer_table(doc, id)?
        .ok_or_else(|| format!("no [[engineer]] table with id = {id:?}"))?;
    let entry = absence_entry(absence);
    match table.get_mut("away") {
        Some(item) => {
            let away = item
                .as_array_mut()
                .ok_or("`away` must be an array of inline tables")?;
            if away.iter().all(|v| {
                !v.decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.contains('\n'))
            }) {
                for value in away.iter_mut() {
                    value.decor_mut().set_prefix("\n  ");
                }
            }
            push_on_its_line(away, Value::InlineTable(entry));
        }
        None => {
            let mut away = Array::new();
            push_on_its_line(&mut away, Value::InlineTable(entry));
            table.insert("away", Item::Value(Value::Array(away)));
        }
    }
    Ok(())
}

/// The list's `[regions]` table, created (implicit: only its `[regions.ID]` tables show) when
/// missing.
pub fn regions_table(doc: &mut DocumentMut) -> Result<&mut Table, String> {
    doc.entry("regions")
        .or_insert_with(|| {
            let mut table = Table::new();
            table.set_implicit(true);
            Item::Table(table)
        })
        .as_table_mut()
        .ok_or_else(|| "the regions must be written as [regions.ID] tables".to_string())
}

/// Adds `days` to region `id`'s holidays, one a line, each with its name as a comment after
/// it (`2026-10-03,  # Tag der Deutschen Einheit`); creates `[regions.ID]` and its
/// `holidays` when missing. A name holds no line break or control character.
pub fn add_region_holidays(
    doc: &mut DocumentMut,
    id: &str,
    days: &[(chrono::NaiveDate, Option<String>)],
) -> Result<(), String> {
    let region = regions_table(doc)?
        .entry(id)
        .or_insert(Item::Table(Table::new()))
        .as_table_mut()
        .ok_or("the regions must be written as [regions.ID] tables")?;
    let holidays = region
        .entry("holidays")
        .or_insert(Item::Value(Value::Array(Array::new())))
        .as_array_mut()
        .ok_or("a region's `holidays` must be an array of dates")?;
    let on_one_line = holidays.iter().all(|v| {
        !v.decor()
            .prefix()
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.contains('\n'))
    });
    if on_one_line && !holidays.is_empty() {
        for value in holidays.iter_mut() {
            value.decor_mut().set_prefix("\n  ");
        }
    }
    for (day, name) in days {
        push_on_its_line(holidays, Value::from(toml_date(*day)));
        if let Some(name) = name.as_deref().filter(|n| !n.trim().is_empty()) {
            if name
                .chars()
                .any(|c| c == '\n' || crate::safe::is_unsafe_char(c))
            {
                return Err(format!("the holiday name {name:?} holds a line break"));
            }
            holidays.set_trailing(format!("  # {name}\n"));
        }
    }
    Ok(())
}

/// `{ from = ..., to = ..., reason = "..." }`, `to` left out when it is `from`.
fn absence_entry(absence: &crate::roster::Absence) -> toml_edit::InlineTable {
    let mut entry = toml_edit::InlineTable::new();
    entry.insert("from", Value::from(toml_date(absence.from)));
    if absence.to != absence.from {
        entry.insert("to", Value::from(toml_date(absence.to)));
    }
    if let Some(reason) = &absence.reason {
        entry.insert("reason", Value::from(reason.as_str()));
    }
    entry
}

/// Replaces engineer `id`'s absences `merged` (each `(from, to)`, as written) by `absence`,
/// which takes the place (and the line, and any comment after it) of the first of them; the
/// others are removed. Used when a new absence overlaps or touches existing ones.
pub fn merge_absences(
    doc: &mut DocumentMut,
    id: &str,
    merged: &[(chrono::NaiveDate, chrono::NaiveDate)],
    absence: &crate::roster::Absence,
) -> Result<(), String> {
    let table = engineer_table(doc, id)?
        .ok_or_else(|| format!("no [[engineer]] table with id = {id:?}"))?;
    let away = table
        .get_mut("away")
        .and_then(Item::as_array_mut)
        .ok_or("`away` must be an array of inline tables")?;
    let merged: Vec<(String, String)> = merged
        .iter()
        .map(|(from, to)| (toml_date(*from).to_string(), toml_date(*to).to_string()))
        .collect();
    let indices: Vec<usize> = away
        .iter()
        .enumerate()
        .filter(|(_, v)| {
            let (start, end) = absence_span(v);
            merged
                .iter()
                .any(|(f, t)| start.as_deref() == Some(f) && end.as_deref() == Some(t))
        })
        .map(|(i, _)| i)
        .collect();
    let Some((&first, rest)) = indices.split_first() else {
        return Err(format!("no absence of {id} to merge with"));
    };
    for &index in rest.iter().rev() {
        remove_keeping_comments(away, index);
    }
    let slot = away
        .get_mut(first)
        .ok_or("`away` changed while rota edited it")?;
    let decor = slot.decor().clone();
    let mut value = Value::InlineTable(absence_entry(absence));
    *value.decor_mut() = decor;
    *slot = value;
    Ok(())
}

/// Removes `array[index]`, keeping the comments written before it (which toml_edit keeps in
/// its prefix: the comment at the end of the line above, and whole comment lines): they move
/// to the next value, or before the closing bracket.
fn remove_keeping_comments(array: &mut Array, index: usize) {
    let prefix = array
        .get(index)
        .and_then(|v| v.decor().prefix())
        .and_then(|p| p.as_str())
        .unwrap_or_default()
        .to_string();
    array.remove(index);
    let Some(end) = prefix.rfind('\n').filter(|_| prefix.contains('#')) else {
        return;
    };
    let head = &prefix[..=end];
    // The next value's prefix starts with the rest of the removed value's line.
    let join = |next: &str| match next.split_once('\n') {
        Some((line, rest)) if line.trim().is_empty() => format!("{head}{rest}"),
        _ => format!("{head}  {}", next.trim_start()),
    };
    if let Some(next) = array.get_mut(index) {
        let next_prefix = next
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or_default()
            .to_string();
        next.decor_mut().set_prefix(join(&next_prefix));
    } else {
        let trailing = array.trailing().as_str().unwrap_or_default().to_string();
        array.set_trailing(join(&trailing));
    }
}

/// An `away` value's first and last day as written (`to` defaults to `from`).
fn absence_span(value: &Value) -> (Option<String>, Option<String>) {
    let date = |key: &str| {
        value
            .as_inline_table()
            .and_then(|t| t.get(key))
            .and_then(Value::as_datetime)
            .map(|d| d.to_string())
    };
    let start = date("from");
    let end = date("to").or_else(|| start.clone());
    (start, end)
}

/// Sets the `[[override]]` for `date` (replacing any earlier one for that day).
pub fn set_override(
    doc: &mut DocumentMut,
    date: chrono::NaiveDate,
    id: &str,
    kind: crate::roster::OverrideKind,
    reason: &str,
    displaces: Option<&str>,
) -> Result<(), String> {
    let overrides = doc
        .entry("override")
        .or_insert(Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or("`override` must be written as [[override]] tables")?;
    let day = toml_date(date).to_string();
    overrides.retain(|t| {
        t.get("date")
            .and_then(Item::as_value)
            .and_then(Value::as_datetime)
            .is_none_or(|d| d.to_string() != day)
    });
    let mut table = Table::new();
    table.insert("date", toml_edit::value(toml_date(date)));
    table.insert("engineer", toml_edit::value(id));
    table.insert("kind", toml_edit::value(kind.as_str()));
    table.insert("reason", toml_edit::value(reason));
    // Whose day it was: if a later change gives the day to someone else, `check` says so.
    if let Some(displaces) = displaces {
        table.insert("displaces", toml_edit::value(displaces));
    }
    overrides.push(table);
    Ok(())
}

/// Removes the `[[override]]` for `date`; `false` when there is none.
pub fn remove_override(doc: &mut DocumentMut, date: chrono::NaiveDate) -> Result<bool, String> {
    let Some(item) = doc.get_mut("override") else {
        return Ok(false);
    };
    let overrides = item
        .as_array_of_tables_mut()
        .ok_or("`override` must be written as [[override]] tables")?;
    let day = toml_date(date).to_string();
    let before = overrides.len();
    overrides.retain(|t| {
        t.get("date")
            .and_then(Item::as_value)
            .and_then(Value::as_datetime)
            .is_none_or(|d| d.to_string() != day)
    });
    let removed = overrides.len() < before;
    if overrides.is_empty() {
        doc.remove("override");
    }
    Ok(removed)
}

/// Appends a `[[maintenance]]` table for `window`, its times as TOML offset date-times in UTC
/// (`start = 2026-12-10T22:00:00Z`).
pub fn add_maintenance(
    doc: &mut DocumentMut,
    window: &crate::roster::Maintenance,
) -> Result<(), String> {
    let windows = doc
        .entry("maintenance")
        .or_insert(Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or("`maintenance` must be written as [[maintenance]] tables")?;
    let mut table = Table::new();
    table.insert("start", toml_edit::value(toml_utc(window.start)));
    table.insert("end", toml_edit::value(toml_utc(window.end)));
    table.insert("what", toml_edit::value(window.what.as_str()));
    let affects: Array = window.affects.iter().map(String::as_str).collect();
    table.insert("affects", toml_edit::value(affects));
    windows.push(table);
    Ok(())
}

/// Removes the `index`th `[[maintenance]]` table, which must start at `start`; the key goes
/// with the last one, so that announcing and taking back leaves the file as it was.
pub fn remove_maintenance(
    doc: &mut DocumentMut,
    index: usize,
    start: chrono::DateTime<chrono::Utc>,
) -> Result<(), String> {
    let windows = doc
        .get_mut("maintenance")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("`maintenance` must be written as [[maintenance]] tables")?;
    let starts_then = windows
        .get(index)
        .and_then(|t| t.get("start"))
        .is_some_and(|v| {
            let text = match v.as_value() {
                Some(Value::Datetime(d)) => d.value().to_string(),
                Some(Value::String(s)) => s.value().clone(),
                _ => String::new(),
            };
            roster::parse_utc(&text) == Some(start)
        });
    if !starts_then {
        return Err("the [[maintenance]] tables changed while rota edited them".to_string());
    }
    windows.remove(index);
    if windows.is_empty() {
        doc.remove("maintenance");
    }
    Ok(())
}

/// `2026-12-10T22:00:00Z`, to the second.
fn toml_utc(time: chrono::DateTime<chrono::Utc>) -> toml_edit::Datetime {
    use chrono::Timelike;
    toml_edit::Datetime {
        date: toml_date(time.date_naive()).date,
        time: Some(toml_edit::Time {
            hour: time.hour() as u8,
            minute: time.minute() as u8,
            second: Some(time.second() as u8),
            nanosecond: None,
        }),
        offset: Some(toml_edit::Offset::Z),
    }
}

/// Removes engineer `id`'s absence from `from` to `to` exactly; `false` when there is none.
pub fn remove_absence(
    doc: &mut DocumentMut,
    id: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<bool, String> {
    let Some(table) = engineer_table(doc, id)? else {
        return Ok(false);
    };
    let Some(away) = table.get_mut("away") else {
        return Ok(false);
    };
    let away = away
        .as_array_mut()
        .ok_or("`away` must be an array of inline tables")?;
    let (from, to) = (toml_date(from).to_string(), toml_date(to).to_string());
    let Some(index) = away.iter().position(|v| {
        let (start, end) = absence_span(v);
        start.as_deref() == Some(from.as_str()) && end.as_deref() == Some(to.as_str())
    }) else {
        return Ok(false);
    };
    away.remove(index);
    if away.is_empty() {
        table.remove("away");
    }
    Ok(true)
}

/// Replaces `path` with `contents` so that a crash leaves either the old or the new file:
/// write a temporary file beside it (created exclusively, named so that git ignores it),
/// fsync, rename over, fsync the directory.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    // A file's own permissions are kept; a symlink's target's are not copied (the link is
    // replaced, not followed), and a new file gets a new file's (0666 less the umask), as an
    // editor would: a web server must be able to read a published page.
    let meta = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_file());
    if meta.as_ref().is_some_and(|m| m.permissions().readonly()) {
        return Err(Error::of(
            ErrorKind::Io(std::io::ErrorKind::PermissionDenied),
            format!("{} is read-only", path.display()),
        )
        .hint(format!(
            "make it writable (chmod u+w {}) and run the command again",
            path.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let io = |e: std::io::Error| Error::io("write", path, &e);
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(io)?;
    if let Some(meta) = &meta {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(io)?;
    }
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io)?;
    crate::fault::at("renamed");
    temp.persist(path).map_err(|e| io(e.error))?;
    // Make the rename itself durable.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Removes temporary files an earlier rota left beside `path` when it was killed mid-write.
/// Called under the team's lock, when no other rota can be writing one.
fn remove_leftovers(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        if file.starts_with(&prefix) && file.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under the lock a command takes the list as it is now: the same bytes are not parsed
    /// again, changed ones are (a byte-order mark included).
    #[test]
    fn reread_parses_the_list_again_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LIST_FILE);
        let list =
            "[team]\nname = \"T\"\ntimezone = \"UTC\"\n\n[[engineer]]\nid = \"a\"\nname = \"A\"\n";
        std::fs::write(&path, format!("{BOM}{list}")).unwrap();
        let read = Workspace::read(path.clone()).unwrap();
        assert_eq!(read.reread().unwrap().text, list);
        // Same text without the mark: a change.
        std::fs::write(&path, list).unwrap();
        assert!(!read.reread().unwrap().has_bom);
        let renamed = list.replace("name = \"A\"", "name = \"Ann\"");
        std::fs::write(&path, &renamed).unwrap();
        let again = read.reread().unwrap();
        assert_eq!(again.roster.name_of("a"), "Ann");
        assert_eq!(again.text, renamed);
    }
}
