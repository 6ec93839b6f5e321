//! `rota remind`: for a daily scheduled job. Who is on call today and on the next working day,
//! how to reach them, the open items the last handover passed on, the maintenance windows of
//! the next seven days, and with `--since REV|DATE` the days that changed hands since then
//! (through `rota diff`'s comparison). Text, `--json`, and the `remind` hook with the same JSON
//! on stdin, so that a clone or a CI job posts it to chat: rota sends nothing itself, and
//! writes nothing.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::diff::{ChangeJson, Compared, Side};
use super::output::{MaintenanceView, Person};
use super::status::Carried;
use super::{Context, output, teams};
use crate::calendar::show_day;
use crate::cli::RemindArgs;
use crate::error::{Error, ErrorKind, Result};
use crate::git;
use crate::hooks::{self, Outcome};
use crate::maintenance::{self, NOTICE_DAYS};
use crate::roster::Roster;
use crate::safe::printable;
use crate::session::Snapshot;
use crate::timeline::{Day, Status, Timeline};

pub fn run(context: &Context, args: &RemindArgs) -> Result<String> {
    if args.all {
        return all(context, args);
    }
    let snapshot = context.snapshot()?;
    let reminder = Reminder::of(context, &snapshot, args.since.as_deref(), None)?;
    let printed = reminder.printed(args.json);
    // The hook runs once everything is known; what it failed to pass on is an error, after
    // the reminder is printed: a daily job must notice that nobody was told.
    match hooks::run(snapshot.workspace.dir(), "remind", &reminder) {
        Outcome::None | Outcome::Ran => Ok(printed),
        Outcome::Failed { why, source } => {
            super::print(&printed)?;
            Err(
                Error::new(format!("the remind hook failed ({why}): nobody was told"))
                    .hint(format!(
                        "the hook is {source}: fix the command, or remove it"
                    ))
                    .hint("rota remind --json prints the event the hook reads"),
            )
        }
    }
}

/// `remind --all`: each team's reminder, in the order of the teams' directories, and the
/// remind hook run once per team with that team's event (which names its `dir`). A team whose
/// files cannot be read is a line (an object) that says why; the others are reminded, and the
/// run fails at the end, as it does when the hook failed for a team.
fn all(context: &Context, args: &RemindArgs) -> Result<String> {
    let found = context.teams()?;
    let top = &found.top;
    let since = args.since.as_deref();
    // A revision names one commit for every team: one that git does not know is the run's
    // error, not each team's. A day begins in each team's own time zone.
    if let Some(since) = since
        && rota_core::logformat::strict_date(since).is_none()
    {
        if !found.git {
            return Err(git::not_in_a_clone(top));
        }
        git::commit_of(top, since)?;
    }
    let mut entries = Vec::new();
    let mut unheard = Vec::new();
    for team in &found.teams {
        let reminded = context.team_snapshot(team).and_then(|snapshot| {
            Reminder::of(context, &snapshot, since, Some(&team.rel)).map(|r| (snapshot, r))
        });
        match reminded {
            Ok((snapshot, reminder)) => {
                if let Outcome::Failed { why, source } =
                    hooks::run(snapshot.workspace.dir(), "remind", &reminder)
                {
                    unheard.push((team.rel.as_str(), why, source));
                }
                entries.push(TeamReminder::Read(Box::new(reminder)));
            }
            Err(error) => entries.push(TeamReminder::Failed {
                dir: team.rel.clone(),
                error: teams::one_line(&error, top),
            }),
        }
    }
    let out = if args.json {
        output::json(&entries)
    } else {
        let blocks: Vec<String> = entries.iter().map(TeamReminder::text).collect();
        blocks.join("\n")
    };
    let failed: Vec<&str> = entries
        .iter()
        .filter_map(|e| match e {
            TeamReminder::Failed { dir, .. } => Some(dir.as_str()),
            TeamReminder::Read(_) => None,
        })
        .collect();
    if failed.is_empty() && unheard.is_empty() {
        return Ok(out);
    }
    super::print(&out)?;
    let total = entries.len();
    let hook = unheard.first().map(|(_, _, source)| {
        let which: Vec<String> = unheard
            .iter()
            .map(|(dir, why, _)| format!("{} ({why})", teams::shown(dir)))
            .collect();
        (
            format!(
                "the remind hook failed for {} of {total} team{}, who were not told: {}",
                unheard.len(),
                if total == 1 { "" } else { "s" },
                which.join(", ")
            ),
            format!("the hook is {source}: fix the command, or remove it"),
        )
    });
    if failed.is_empty() {
        let (message, fix) = hook.expect("a team the hook failed for");
        return Err(Error::new(message)
            .hint(fix)
            .hint("rota remind --all --json prints the events the hook reads"));
    }
    let mut error = teams::failed(ErrorKind::Failed, "could not be read", &failed, total)
        .hint("`rota check --all` names every problem of every team");
    if let Some((message, fix)) = hook {
        error = error.hint(format!("and {message}; {fix}"));
    }
    Err(error)
}

/// A team's part of `remind --all`.
#[derive(Serialize)]
#[serde(untagged)]
enum TeamReminder {
    Read(Box<Reminder>),
    Failed { dir: String, error: String },
}

impl TeamReminder {
    /// The team's reminder under its directory, or why it has none on one line.
    fn text(&self) -> String {
        match self {
            TeamReminder::Read(reminder) => format!(
                "{}\n{}",
                teams::shown(reminder.dir.as_deref().unwrap_or_default()),
                reminder.message
            ),
            TeamReminder::Failed { dir, error } => {
                format!("{}: error: {error}\n", teams::shown(dir))
            }
        }
    }
}

impl Reminder {
    /// The team's reminder as of the context's moment; `dir`, the team's directory relative
    /// to the repository's top, for `--all`.
    fn of(
        context: &Context,
        snapshot: &Snapshot,
        since: Option<&str>,
        dir: Option<&str>,
    ) -> Result<Reminder> {
        let workspace = &snapshot.workspace;
        let roster = &workspace.roster;
        let today = snapshot.today;
        let next_day = roster.calendar.next_working_day(today);
        let history = snapshot.history_from(today)?;
        let timeline = Timeline::new(roster, snapshot.state(), &history, today);
        // What the handovers passed on, as `who` shows it.
        let carried = history
            .passed_on(roster.calendar.timezone)
            .filter(|r| r.note.is_some() || !r.open.is_empty())
            .map(|r| Carried::of(&r));
        let windows = maintenance::within(
            &roster.maintenance,
            context.now,
            context.now + chrono::Duration::days(NOTICE_DAYS),
        );
        let changes = match since {
            Some(since) => Some(changed_since(context, workspace, since)?),
            None => None,
        };
        let mut reminder = Reminder {
            dir: dir.map(str::to_string),
            team: roster.team_name.clone(),
            at: maintenance::rfc3339(context.now),
            today: OnDay::of(roster, &timeline.day(today), context.now),
            next: OnDay::of(roster, &timeline.day(next_day), context.now),
            carried,
            maintenance: windows.into_iter().map(MaintenanceView::of).collect(),
            since: changes.as_ref().map(|(label, _)| label.clone()),
            changes: changes.map(|(_, changes)| changes),
            message: String::new(),
        };
        reminder.message = reminder.text(roster);
        Ok(reminder)
    }

    /// What the command prints: the JSON, or the message.
    fn printed(&self, json: bool) -> String {
        if json {
            output::json(self)
        } else {
            self.message.clone()
        }
    }
}

/// The days that changed hands since `since` (a revision, or a day: the branch's last commit
/// before that day began in the team's time zone) up to the working tree, and how to name it.
fn changed_since(
    context: &Context,
    workspace: &crate::store::Workspace,
    since: &str,
) -> Result<(String, Vec<ChangeJson>)> {
    let dir = workspace.dir();
    if git::repo(dir)?.is_none() {
        return Err(git::not_in_a_clone(dir));
    }
    let base = match rota_core::logformat::strict_date(since) {
        Some(day) => {
            let start = workspace.roster.calendar.start_of(day);
            let commit = git::commit_before(dir, start)?.ok_or_else(|| {
                Error::not_found(format!(
                    "this branch has no commit from before {}",
                    show_day(day)
                ))
                .hint("give a later day, or a revision: rota remind --since REV")
            })?;
            Side::Revision {
                name: since.to_string(),
                commit,
            }
        }
        None => Side::revision(dir, since)?,
    };
    let compared = Compared::of(
        context,
        workspace,
        &base,
        &Side::WorkingTree,
        rota_core::diff::DEFAULT_DAYS,
    )?;
    let changes = compared.diff.changes.iter().map(ChangeJson::of).collect();
    Ok((since.to_string(), changes))
}

/// `rota remind --json`, and the remind hook's event.
#[derive(Serialize)]
struct Reminder {
    /// With `--all`, the team's directory relative to the repository's top.
    #[serde(skip_serializing_if = "Option::is_none")]
    dir: Option<String>,
    team: String,
    /// When, RFC 3339 in UTC.
    at: String,
    today: OnDay,
    next: OnDay,
    carried: Option<Carried>,
    maintenance: Vec<MaintenanceView>,
    /// `--since` as given, or `null`.
    since: Option<String>,
    /// The days that changed hands since then (`null` without `--since`).
    changes: Option<Vec<ChangeJson>>,
    /// The reminder as text, ready to post.
    message: String,
}

/// A day and who is on call then.
#[derive(Serialize)]
struct OnDay {
    date: String,
    weekday: String,
    status: &'static str,
    on_call: Option<Person>,
}

impl OnDay {
    fn of(roster: &Roster, day: &Day, now: DateTime<Utc>) -> OnDay {
        OnDay {
            date: day.date.to_string(),
            weekday: day.date.format("%a").to_string(),
            status: day.status.as_str(),
            on_call: day
                .engineer
                .as_deref()
                .map(|id| Person::of(roster, id, now)),
        }
    }

    fn date(&self) -> NaiveDate {
        self.date.parse().expect("a date rota wrote")
    }

    /// `Carol Jiménez (carol) · carol@example.org · @carol`, or why nobody is.
    fn who(&self) -> String {
        match &self.on_call {
            Some(p) => {
                let mut line = format!("{} ({})", p.name, p.id);
                for contact in [&p.email, &p.chat, &p.phone].into_iter().flatten() {
                    let _ = write!(line, " · {contact}");
                }
                line
            }
            None => match self.status {
                "weekend" => "nobody (weekend)".to_string(),
                "holiday" => "nobody (holiday)".to_string(),
                "not started" => "nobody (before the rotation starts)".to_string(),
                _ => "nobody is available".to_string(),
            },
        }
    }
}

impl Reminder {
    fn text(&self, roster: &Roster) -> String {
        let mut out = String::new();
        let today = &self.today;
        let _ = writeln!(
            out,
            "On call for {} · {}",
            printable(&self.team),
            show_day(today.date())
        );
        let handed_over = if today.status == Status::Served.as_str() {
            " (handed over)"
        } else {
            ""
        };
        let _ = writeln!(out, "Today: {}{handed_over}", today.who());
        let _ = writeln!(
            out,
            "Next working day, {}: {}",
            show_day(self.next.date()),
            self.next.who()
        );
        if let Some(carried) = &self.carried {
            let on = carried
                .written
                .as_deref()
                .and_then(|d| d.parse().ok())
                .map(|d| format!(" of {}", show_day(d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "\nPassed on by {} to {} (handover{on}, {} UTC):",
                carried.from, carried.to, carried.time_utc
            );
            if let Some(note) = &carried.note {
                let _ = writeln!(out, "  Note: {note}");
            }
            for item in &carried.open_items {
                let _ = writeln!(out, "  - [ ] {item}");
            }
        }
        if !self.maintenance.is_empty() {
            let _ = writeln!(out, "\nMaintenance in the next {NOTICE_DAYS} days:");
            for window in &self.maintenance {
                let affects = if window.affects.is_empty() {
                    String::new()
                } else {
                    format!(" (affects {})", window.affects.join(", "))
                };
                let line = format!("{}  {}{affects}", window.window, window.what);
                let _ = writeln!(out, "  {}", printable(&line));
            }
        }
        if let (Some(since), Some(changes)) = (&self.since, &self.changes) {
            let since = printable(since);
            if changes.is_empty() {
                let _ = writeln!(out, "\nNo days changed hands since {since}.");
            } else {
                let _ = writeln!(out, "\nChanged hands since {since}:");
                for c in changes {
                    let who = |id: &Option<String>| {
                        id.as_deref()
                            .map_or("nobody".to_string(), |id| mention(roster, id))
                    };
                    let date: NaiveDate = c.date.parse().expect("a date rota wrote");
                    let _ = writeln!(
                        out,
                        "  {}: {} → {} ({})",
                        show_day(date),
                        who(&c.before),
                        who(&c.after),
                        printable(&c.detail)
                    );
                }
            }
        }
        out
    }
}

/// An engineer by chat handle, else by id.
fn mention(roster: &Roster, id: &str) -> String {
    roster
        .engineer(id)
        .and_then(|e| e.chat.clone())
        .unwrap_or_else(|| printable(id).into_owned())
}
