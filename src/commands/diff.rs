//! `rota diff [BASE] [HEAD]`: what a change does to the rotation. Each side is the team's
//! files as a revision holds them (read through git, bounded) or as the working tree holds
//! them, and `rota_core::diff` compares the two: the days that change hands and why, who gains
//! and loses days, and the days each engineer has ahead before and after. Text, `--json`, or
//! `--format markdown` for a review comment. Exit 0 whether or not anything changes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rota_core::diff::{self, Change, Diff, Fairness};
use serde::Serialize;

use super::{Context, output, teams};
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
    if args.all {
        return all(context, args);
    }
    let workspace = context.workspace()?;
    let dir = workspace.dir().to_path_buf();
    if git::repo(&dir)?.is_none() {
        return Err(git::not_in_a_clone(&dir));
    }
    let (base, head) = sides(&dir, args)?;
    let compared = Compared::of(context, &workspace, &base, &head, usize::from(args.days))?;
    Ok(match format(args) {
        DiffFormat::Text => compared.text(context),
        DiffFormat::Json => output::json(&compared.json()),
        DiffFormat::Markdown => compared.markdown(),
    })
}

fn format(args: &DiffArgs) -> DiffFormat {
    if args.json {
        DiffFormat::Json
    } else {
        args.format
    }
}

/// BASE and HEAD as given, in the repository that holds `dir`: by default the branch's
/// upstream (else `HEAD`) and the working tree.
fn sides(dir: &Path, args: &DiffArgs) -> Result<(Side, Side)> {
    let base = match &args.base {
        Some(name) => Side::revision(dir, name)?,
        None => match git::upstream(dir) {
            Some(upstream) => Side::revision(dir, &upstream)?,
            None => Side::revision(dir, "HEAD")?,
        },
    };
    let head = match &args.head {
        Some(name) => Side::revision(dir, name)?,
        None => Side::WorkingTree,
    };
    Ok((base, head))
}

/// `diff --all`: each team's comparison, in the order of the teams' directories. The teams
/// are those of the working tree (as `who --all` finds them) and those whose list BASE or
/// HEAD holds (see [`crate::teams::at`]); a team only one side holds is new or removed, and
/// one neither side holds is no part of the change. A team whose files cannot be read on a
/// side is an entry that says why; the others are answered, and the run fails at the end.
fn all(context: &Context, args: &DiffArgs) -> Result<String> {
    let found = context.teams()?;
    let top = &found.top;
    if !found.git {
        return Err(git::not_in_a_clone(top));
    }
    let (base, head) = sides(top, args)?;
    // Each team's directory, and whether the working tree has it.
    let mut dirs: BTreeMap<String, bool> =
        found.teams.iter().map(|t| (t.rel.clone(), true)).collect();
    for side in [&base, &head] {
        if let Side::Revision { name, commit } = side {
            let files = git::files_at(top, (name, commit))?;
            for rel in crate::teams::at(&files, &crate::teams::LIMITS, name)? {
                dirs.entry(rel).or_insert(false);
            }
        }
    }
    let days = usize::from(args.days);
    let rows: Vec<TeamDiff> = dirs
        .into_iter()
        .filter_map(|(dir, in_tree)| {
            let before = base.read_team(context, top, &dir, in_tree);
            let after = head.read_team(context, top, &dir, in_tree);
            let outcome = match (before, after) {
                (Err(error), _) | (_, Err(error)) => Outcome::Failed(teams::one_line(&error, top)),
                (Ok(None), Ok(None)) => return None,
                (Ok(None), Ok(Some(after))) => Outcome::Added(after.workspace.roster.team_name),
                (Ok(Some(before)), Ok(None)) => Outcome::Removed(before.workspace.roster.team_name),
                (Ok(Some(before)), Ok(Some(after))) => Outcome::Compared(Box::new(
                    Compared::between(&base, &head, before, after, days),
                )),
            };
            Some(TeamDiff { dir, outcome })
        })
        .collect();
    let (base, head) = (base.name(), head.name());
    let out = match format(args) {
        DiffFormat::Text => TeamDiff::text(&rows, base, head, context),
        DiffFormat::Json => {
            output::json(&rows.iter().map(|r| r.json(base, head)).collect::<Vec<_>>())
        }
        DiffFormat::Markdown => TeamDiff::markdown(&rows, base, head),
    };
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
        .map(|r| r.dir.as_str())
        .collect();
    teams::answered(
        out,
        &failed,
        rows.len(),
        "`rota check --all` names every problem of the working tree's teams",
    )
}

/// One team's part of `diff --all`.
struct TeamDiff {
    /// The team's directory, relative to the repository's top.
    dir: String,
    outcome: Outcome,
}

enum Outcome {
    Compared(Box<Compared>),
    /// Only HEAD has the team: its name.
    Added(String),
    /// Only BASE has it.
    Removed(String),
    /// Why its files could not be read, on one line.
    Failed(String),
}

impl TeamDiff {
    /// The team's name (HEAD's, else BASE's), unless it could not be read.
    fn team(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Compared(c) => Some(&c.after.workspace.roster.team_name),
            Outcome::Added(team) | Outcome::Removed(team) => Some(team),
            Outcome::Failed(_) => None,
        }
    }

    /// Whether the change does anything to the team's rotation.
    fn changes(&self) -> bool {
        match &self.outcome {
            Outcome::Compared(c) => !c.diff.changes.is_empty(),
            Outcome::Added(_) | Outcome::Removed(_) => true,
            Outcome::Failed(_) => false,
        }
    }

    /// `DIR (TEAM)`, control characters shown as escapes.
    fn heading(&self) -> String {
        let dir = teams::shown(&self.dir);
        match self.team() {
            Some(team) => format!("{dir} ({})", printable(team)),
            None => dir,
        }
    }

    /// Each team in turn: one whose rotation changes under a line with its directory and
    /// name, as `rota diff` shows it; any other on one line.
    fn text(rows: &[TeamDiff], base: &str, head: &str, context: &Context) -> String {
        let mut out = String::new();
        let mut after_block = false;
        for row in rows {
            let heading = row.heading();
            let block = match &row.outcome {
                Outcome::Failed(error) => format!("{heading}: error: {error}\n"),
                Outcome::Added(_) => {
                    format!("{heading}: new team: not in {}\n", printable(base))
                }
                Outcome::Removed(_) => {
                    format!("{heading}: team removed: not in {}\n", printable(head))
                }
                Outcome::Compared(c) if c.diff.changes.is_empty() => {
                    format!("{heading}: no days change hands\n")
                }
                Outcome::Compared(c) => format!("{heading}\n{}", c.text(context)),
            };
            let is_block = block.lines().count() > 1;
            if !out.is_empty() && (is_block || after_block) {
                out.push('\n');
            }
            after_block = is_block;
            out += &block;
        }
        out
    }

    /// A review comment: a section for each team whose rotation changes (or that could not be
    /// read), then one line naming the teams whose rotation does not.
    fn markdown(rows: &[TeamDiff], base: &str, head: &str) -> String {
        let mut out = String::from("<!-- rota diff --all -->\n");
        let heading = |row: &TeamDiff| match row.team() {
            Some(team) => format!("{} ({})", md(&row.dir), md(team)),
            None => md(&row.dir),
        };
        for row in rows {
            match &row.outcome {
                Outcome::Compared(c) if !c.diff.changes.is_empty() => {
                    let _ = writeln!(out, "#### {}: {}\n", heading(row), c.title());
                    out += &c.markdown_body();
                    out.push('\n');
                }
                Outcome::Added(_) => {
                    let _ = writeln!(
                        out,
                        "#### {}: new team, not in {}\n",
                        heading(row),
                        md(base)
                    );
                }
                Outcome::Removed(_) => {
                    let _ = writeln!(
                        out,
                        "#### {}: team removed, not in {}\n",
                        heading(row),
                        md(head)
                    );
                }
                Outcome::Failed(error) => {
                    let _ = writeln!(
                        out,
                        "#### {}: could not be read\n\n{}\n",
                        heading(row),
                        md(error)
                    );
                }
                Outcome::Compared(_) => {}
            }
        }
        if !rows.iter().any(TeamDiff::changes) {
            out += "No team's rotation changes.\n\n";
        }
        let unchanged: Vec<String> = rows
            .iter()
            .filter(|r| matches!(&r.outcome, Outcome::Compared(c) if c.diff.changes.is_empty()))
            .map(heading)
            .collect();
        if !unchanged.is_empty() {
            let _ = writeln!(out, "No days change hands in {}.", unchanged.join(", "));
        }
        out
    }

    fn json(&self, base: &str, head: &str) -> TeamJson {
        let dir = self.dir.clone();
        let team = self.team().map(str::to_string);
        match &self.outcome {
            Outcome::Compared(c) => TeamJson::Compared {
                dir,
                team,
                diff: Box::new(c.json()),
            },
            Outcome::Added(_) | Outcome::Removed(_) => TeamJson::Missing {
                dir,
                team,
                base: base.to_string(),
                head: head.to_string(),
                missing: if matches!(self.outcome, Outcome::Added(_)) {
                    "base"
                } else {
                    "head"
                },
            },
            Outcome::Failed(error) => TeamJson::Failed {
                dir,
                error: error.clone(),
            },
        }
    }
}

/// A team's object in `rota diff --all --json`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum TeamJson {
    /// `rota diff --json`'s fields, after the team's directory and name.
    Compared {
        dir: String,
        team: Option<String>,
        #[serde(flatten)]
        diff: Box<Json>,
    },
    /// A team only one side holds: `missing` is the side that does not (`base`: a new team).
    Missing {
        dir: String,
        team: Option<String>,
        base: String,
        head: String,
        missing: &'static str,
    },
    Failed {
        dir: String,
        error: String,
    },
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
        read_revision(context, dir, (name, commit), &list_path)?.ok_or_else(|| {
            Error::not_found(format!("{name} has no {list_path}: the team's list is not there"))
                .hint(format!(
                    "compare with a revision that has the team: rota diff BASE (git log --oneline -- ':/{list_path}' lists them, from anywhere in the clone)"
                ))
        })
    }

    /// The files of the team in `rel` (its directory relative to `top`, the repository's
    /// top) on this side, `None` when this side has no list there; `in_tree` says whether the
    /// working tree has one (as [`crate::teams::find`] found it).
    fn read_team(
        &self,
        context: &Context,
        top: &Path,
        rel: &str,
        in_tree: bool,
    ) -> Result<Option<Snapshot>> {
        match self {
            Side::WorkingTree if !in_tree => Ok(None),
            Side::WorkingTree => {
                let dir = if rel == "." { top } else { &top.join(rel) };
                let workspace = Workspace::read(dir.join(crate::roster::LIST_FILE))?;
                let log = store::read_whole_log(&workspace.log_path)?;
                Ok(Some(Snapshot::with_log(workspace, &log, context.now)))
            }
            Side::Revision { name, commit } => read_revision(
                context,
                top,
                (name, commit),
                &rota_core::teams::list_at(rel),
            ),
        }
    }
}

/// The team whose list is at `list_path` (relative to the top of the repository that holds
/// `dir`) as the revision holds its files, read whole (through git, bounded); `None` when the
/// revision has no list there.
fn read_revision(
    context: &Context,
    dir: &Path,
    (name, commit): (&str, &str),
    list_path: &str,
) -> Result<Option<Snapshot>> {
    let read = |path: &str, limit: u64, hint: &str| -> Result<Option<String>> {
        let Some(bytes) = git::read_at(dir, (name, commit), path, limit, hint)? else {
            return Ok(None);
        };
        String::from_utf8(bytes).map(Some).map_err(|_| {
            Error::invalid(format!("{name}:{path} is not valid UTF-8"))
                .hint("compare revisions whose files are UTF-8")
        })
    };
    let Some(list) = read(list_path, store::MAX_LIST_BYTES, store::LIST_TOO_LARGE_HINT)? else {
        return Ok(None);
    };
    let shown = PathBuf::from(format!("{name}:{list_path}"));
    let theirs = Workspace::from_text(shown, &list)?;
    let log_path = rota_core::teams::beside(list_path, &theirs.roster.log);
    let log = read(&log_path, store::MAX_LOG_BYTES, store::LOG_TOO_LARGE_HINT)?.unwrap_or_default();
    Ok(Some(Snapshot::with_log(theirs, &log, context.now)))
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
        Ok(Compared::between(base, head, before, after, days))
    }

    /// The two sides' files, read, compared.
    fn between(
        base: &Side,
        head: &Side,
        before: Snapshot,
        after: Snapshot,
        days: usize,
    ) -> Compared {
        let diff = diff::compare(&before, &after, days);
        Compared {
            base: base.name().to_string(),
            head: head.name().to_string(),
            before,
            after,
            diff,
        }
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
        format!(
            "{} → {}: {} {}",
            printable(&self.base),
            printable(&self.head),
            self.title(),
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
        let mut out = String::from("<!-- rota diff -->\n");
        let _ = writeln!(out, "#### On call: {}\n", self.title());
        out + &self.markdown_body()
    }

    /// `3 days change hands`.
    fn title(&self) -> String {
        match self.diff.changes.len() {
            0 => "no days change hands".to_string(),
            1 => "1 day changes hands".to_string(),
            n => format!("{n} days change hands"),
        }
    }

    /// The review comment below its title: what is compared, then the days that change
    /// hands and the days each has ahead.
    fn markdown_body(&self) -> String {
        let diff = &self.diff;
        let mut out = String::new();
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
    fn markdown_shows_the_files_text_literally() {
        assert_eq!(md("a|b <i>*x*</i>"), "a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt;");
    }
}
