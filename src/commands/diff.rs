//! `rota diff [BASE] [HEAD]`: what a change does to the rotation. Each side is the team's
//! files as a revision holds them (read through git, bounded) or as the working tree holds
//! them, and `rota_core::diff` compares the two: the days that change hands and why, who gains
//! and loses days, and the days each engineer has ahead before and after. Text, `--json`, or
//! `--format markdown` for a review comment. Exit 0 whether or not anything changes.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use rota_core::diff::{self, Change, Diff, Fairness};
use serde::Serialize;

use super::{Context, output};
use crate::calendar::show_day;
use crate::cli::{DiffArgs, DiffFormat};
use crate::error::{Error, Result};
use crate::git;
use crate::roster::Roster;
use crate::safe::printable;
use crate::session::Snapshot;
use crate::store::{self, Workspace};

/// What the working tree is called where a revision's name would stand.
pub const WORKING_TREE: &str = "working tree";

pub fn run(context: &Context, args: &DiffArgs) -> Result<String> {
    let workspace = context.workspace()?;
    let dir = workspace.dir().to_path_buf();
    if git::repo(&dir)?.is_none() {
        return Err(git::not_in_a_clone(&dir));
    }
    let base = match &args.base {
        Some(name) => Side::revision(&dir, name)?,
        None => match git::upstream(&dir) {
            Some(upstream) => Side::revision(&dir, &upstream)?,
            None => Side::revision(&dir, "HEAD")?,
        },
    };
    let head = match &args.head {
        Some(name) => Side::revision(&dir, name)?,
        None => Side::WorkingTree,
    };
    let compared = Compared::of(context, &workspace, &base, &head, usize::from(args.days))?;
    let format = if args.json {
        DiffFormat::Json
    } else {
        args.format
    };
    Ok(match format {
        DiffFormat::Text => compared.text(context),
        DiffFormat::Json => output::json(&compared.json()),
        DiffFormat::Markdown => compared.markdown(),
    })
}

/// One side of a comparison.
pub enum Side {
    WorkingTree,
    /// A revision: its name as given, and its commit.
    Revision {
        name: String,
        commit: String,
    },
}

impl Side {
    pub fn revision(dir: &std::path::Path, name: &str) -> Result<Side> {
        Ok(Side::Revision {
            name: name.to_string(),
            commit: git::commit_of(dir, name)?,
        })
    }

    pub fn name(&self) -> &str {
        match self {
            Side::WorkingTree => WORKING_TREE,
            Side::Revision { name, .. } => name,
        }
    }

    /// The team's files on this side, read whole, as of the context's moment. `workspace` is
    /// the list in the working tree, which says where the list is in the repository.
    pub fn read(&self, context: &Context, workspace: &Workspace) -> Result<Snapshot> {
        let (name, commit) = match self {
            Side::WorkingTree => {
                let log = store::read_whole_log(&workspace.log_path)?;
                return Ok(Snapshot::with_log(workspace.clone(), &log, context.now));
            }
            Side::Revision { name, commit } => (name, commit),
        };
        let dir = workspace.dir();
        let list_path = git::path_in_repo(dir, &workspace.list_path)?;
        let read = |path: &str, limit: u64, hint: &str| -> Result<Option<String>> {
            let Some(bytes) = git::read_at(dir, (name, commit), path, limit, hint)? else {
                return Ok(None);
            };
            String::from_utf8(bytes).map(Some).map_err(|_| {
                Error::invalid(format!("{name}:{path} is not valid UTF-8"))
                    .hint("compare revisions whose files are UTF-8")
            })
        };
        let list = read(&list_path, store::MAX_LIST_BYTES, store::LIST_TOO_LARGE_HINT)?
            .ok_or_else(|| {
                Error::not_found(format!("{name} has no {list_path}: the team's list is not there"))
                    .hint(format!(
                        "compare with a revision that has the team: rota diff BASE (git log --oneline -- {list_path} lists them)"
                    ))
            })?;
        let shown = PathBuf::from(format!("{name}:{list_path}"));
        let theirs = Workspace::from_text(shown, &list)?;
        let log_path = beside(&list_path, &theirs.roster.log);
        let log =
            read(&log_path, store::MAX_LOG_BYTES, store::LOG_TOO_LARGE_HINT)?.unwrap_or_default();
        Ok(Snapshot::with_log(theirs, &log, context.now))
    }
}

/// `name` (relative, without `..`: the list's rules) beside the file at `path` in the
/// repository, `/` between the parts.
fn beside(path: &str, name: &std::path::Path) -> String {
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

/// Two sides read and compared.
pub struct Compared {
    pub base: String,
    pub head: String,
    pub before: Snapshot,
    pub after: Snapshot,
    pub diff: Diff,
}

impl Compared {
    pub fn of(
        context: &Context,
        workspace: &Workspace,
        base: &Side,
        head: &Side,
        days: usize,
    ) -> Result<Compared> {
        let before = base.read(context, workspace)?;
        let after = head.read(context, workspace)?;
        let diff = diff::compare(&before, &after, days);
        Ok(Compared {
            base: base.name().to_string(),
            head: head.name().to_string(),
            before,
            after,
            diff,
        })
    }

    fn rosters(&self) -> (&Roster, &Roster) {
        (&self.before.workspace.roster, &self.after.workspace.roster)
    }

    /// The engineer's id on a side (the table stays narrow; the names follow below), `—` for
    /// nobody.
    fn who(roster: &Roster, id: Option<&str>) -> String {
        match id {
            Some(id) if roster.engineer(id).is_none() => format!("{} (former)", printable(id)),
            Some(id) => id.to_string(),
            None => "—".to_string(),
        }
    }

    /// The engineer's chat handle (the new side's list, else the old one's), else their id.
    fn handle(&self, id: &str) -> String {
        let (before, after) = self.rosters();
        after
            .engineer(id)
            .or_else(|| before.engineer(id))
            .and_then(|e| e.chat.clone())
            .unwrap_or_else(|| id.to_string())
    }

    fn name(&self, id: &str) -> String {
        let (before, after) = self.rosters();
        after
            .engineer(id)
            .or_else(|| before.engineer(id))
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    }

    /// `origin/main → working tree: 3 days change hands from ... to ... (20 working days ahead)`.
    fn summary(&self) -> String {
        let diff = &self.diff;
        let count = match diff.changes.len() {
            0 => "no days change hands".to_string(),
            1 => "1 day changes hands".to_string(),
            n => format!("{n} days change hands"),
        };
        format!(
            "{} → {}: {count} {}",
            printable(&self.base),
            printable(&self.head),
            self.span()
        )
    }

    /// `from Mon 2026-11-23 to Fri 2026-12-18 (20 working days)`, and when the logs differ
    /// about days past, that those come too.
    fn span(&self) -> String {
        let diff = &self.diff;
        let days = format!(
            "{} working day{}",
            diff.working_days,
            if diff.working_days == 1 { "" } else { "s" }
        );
        let what = if diff.from < diff.today {
            format!("{days} from today, and the days before it that the logs differ about")
        } else {
            days
        };
        format!(
            "from {} to {} ({what})",
            show_day(diff.from),
            show_day(diff.until),
        )
    }

    pub fn text(&self, context: &Context) -> String {
        let diff = &self.diff;
        let mut out = format!("{}\n", self.summary());
        if diff.changes.is_empty() {
            return out;
        }
        let (before, after) = self.rosters();
        let rows: Vec<[String; 5]> = diff
            .changes
            .iter()
            .map(|c| {
                [
                    c.date.to_string(),
                    c.date.format("%a").to_string(),
                    Self::who(before, c.before.as_deref()),
                    Self::who(after, c.after.as_deref()),
                    printable(&c.detail).into_owned(),
                ]
            })
            .collect();
        out.push('\n');
        out += &context
            .ui
            .table(&["Date", "Day", "Before", "After", "Why"], &rows);
        let rows: Vec<[String; 3]> = diff
            .engineers
            .iter()
            .map(|m| {
                [
                    format!("{} ({})", self.name(&m.id), m.id),
                    dates(&m.gained),
                    dates(&m.lost),
                ]
            })
            .collect();
        out += "\nDays gained and lost\n";
        out += &context.ui.table(&["Engineer", "Gained", "Lost"], &rows);
        let _ = writeln!(
            out,
            "\nWorking days each from {} to {}",
            show_day(diff.today),
            show_day(diff.until)
        );
        let mut rows: Vec<[String; 3]> = ids(&diff.before, &diff.after)
            .into_iter()
            .map(|id| {
                [
                    format!("{} ({id})", self.name(&id)),
                    count(&diff.before, &id),
                    count(&diff.after, &id),
                ]
            })
            .collect();
        rows.push([
            "spread (most − fewest)".to_string(),
            diff.before.spread().to_string(),
            diff.after.spread().to_string(),
        ]);
        out += &context.ui.table(&["Engineer", "Before", "After"], &rows);
        out
    }

    /// A review comment: the days that change hands with the people by their chat handles,
    /// then the days each has ahead (by id: a comment mentions only those whose days move).
    pub fn markdown(&self) -> String {
        let diff = &self.diff;
        let mut out = String::from("<!-- rota diff -->\n");
        let title = match diff.changes.len() {
            0 => "no days change hands".to_string(),
            1 => "1 day changes hands".to_string(),
            n => format!("{n} days change hands"),
        };
        let _ = writeln!(out, "#### On call: {title}\n");
        let _ = writeln!(
            out,
            "{} → {}, {}\n",
            md(&self.base),
            md(&self.head),
            self.span()
        );
        if diff.changes.is_empty() {
            return out;
        }
        let person =
            |id: Option<&str>| id.map_or("nobody".to_string(), |id| handle(&self.handle(id)));
        out += "| Day | Before | After | Why |\n| --- | --- | --- | --- |\n";
        for c in &diff.changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                show_day(c.date),
                person(c.before.as_deref()),
                person(c.after.as_deref()),
                md(&c.detail)
            );
        }
        out.push('\n');
        for m in &diff.engineers {
            let mut parts = Vec::new();
            if !m.gained.is_empty() {
                parts.push(format!("gains {}", days(&m.gained)));
            }
            if !m.lost.is_empty() {
                parts.push(format!("loses {}", days(&m.lost)));
            }
            let _ = writeln!(
                out,
                "- {}: {}",
                handle(&self.handle(&m.id)),
                parts.join("; ")
            );
        }
        let _ = writeln!(
            out,
            "\n<details><summary>Working days each from {} to {}</summary>\n",
            show_day(diff.today),
            show_day(diff.until)
        );
        out += "| Engineer | Before | After |\n| --- | ---: | ---: |\n";
        for id in ids(&diff.before, &diff.after) {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                md(&id),
                count(&diff.before, &id),
                count(&diff.after, &id)
            );
        }
        let _ = writeln!(
            out,
            "| spread (most − fewest) | {} | {} |\n\n</details>",
            diff.before.spread(),
            diff.after.spread()
        );
        out
    }

    pub fn json(&self) -> Json {
        let diff = &self.diff;
        let fairness = |f: &Fairness| FairnessJson {
            days: f.days.clone(),
            min: f.min,
            max: f.max,
            spread: f.spread(),
        };
        let (before, after) = self.rosters();
        Json {
            base: self.base.clone(),
            head: self.head.clone(),
            from: diff.from.to_string(),
            today: diff.today.to_string(),
            until: diff.until.to_string(),
            working_days: diff.working_days,
            changed: diff.changes.len(),
            changes: diff.changes.iter().map(ChangeJson::of).collect(),
            engineers: diff
                .engineers
                .iter()
                .map(|m| MovesJson {
                    id: m.id.clone(),
                    name: self.name(&m.id),
                    chat: after
                        .engineer(&m.id)
                        .or_else(|| before.engineer(&m.id))
                        .and_then(|e| e.chat.clone()),
                    gained: m.gained.iter().map(NaiveDate::to_string).collect(),
                    lost: m.lost.iter().map(NaiveDate::to_string).collect(),
                })
                .collect(),
            fairness: FairnessPair {
                before: fairness(&diff.before),
                after: fairness(&diff.after),
            },
        }
    }
}

/// Every id either side counts, in order.
fn ids(before: &Fairness, after: &Fairness) -> BTreeSet<String> {
    before
        .days
        .keys()
        .chain(after.days.keys())
        .cloned()
        .collect()
}

fn count(fairness: &Fairness, id: &str) -> String {
    fairness
        .days
        .get(id)
        .map_or("—".to_string(), usize::to_string)
}

/// `2026-11-24, 2026-11-25`, or `—`: a table's cell.
fn dates(dates: &[NaiveDate]) -> String {
    if dates.is_empty() {
        return "—".to_string();
    }
    dates
        .iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `Tue 2026-11-24, Wed 2026-11-25`, or `—`.
fn days(dates: &[NaiveDate]) -> String {
    if dates.is_empty() {
        return "—".to_string();
    }
    dates
        .iter()
        .map(|d| show_day(*d))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text from the team's files as Markdown shows it literally, on one line of a table.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

/// A chat handle in Markdown: kept as written, so that the forge mentions the person, except
/// what would break the table or start HTML.
fn handle(text: &str) -> String {
    printable(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "\\`")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `rota diff --json`.
#[derive(Serialize)]
pub struct Json {
    pub base: String,
    pub head: String,
    pub from: String,
    pub today: String,
    pub until: String,
    pub working_days: usize,
    pub changed: usize,
    pub changes: Vec<ChangeJson>,
    pub engineers: Vec<MovesJson>,
    pub fairness: FairnessPair,
}

/// A day that changes hands.
#[derive(Serialize)]
pub struct ChangeJson {
    pub date: String,
    pub weekday: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `override`, `absence`, `added`, `removed`, `holiday`, `handover` or `rotation`.
    pub why: &'static str,
    pub detail: String,
    pub follows: Option<String>,
}

impl ChangeJson {
    pub fn of(change: &Change) -> ChangeJson {
        ChangeJson {
            date: change.date.to_string(),
            weekday: change.date.format("%a").to_string(),
            before: change.before.clone(),
            after: change.after.clone(),
            why: change.why.as_str(),
            detail: change.detail.clone(),
            follows: change.follows.map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize)]
pub struct MovesJson {
    pub id: String,
    pub name: String,
    pub chat: Option<String>,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
}

#[derive(Serialize)]
pub struct FairnessPair {
    pub before: FairnessJson,
    pub after: FairnessJson,
}

#[derive(Serialize)]
pub struct FairnessJson {
    pub days: std::collections::BTreeMap<String, usize>,
    pub min: usize,
    pub max: usize,
    pub spread: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_beside_the_list_is_named_from_the_top() {
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
    }

    #[test]
    fn markdown_shows_the_files_text_literally() {
        assert_eq!(md("a|b <i>*x*</i>"), "a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt;");
    }
}
