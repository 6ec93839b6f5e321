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
use super::{Context, output};
use crate::calendar::show_day;
use crate::cli::RemindArgs;
use crate::error::{Error, Result};
use crate::git;
use crate::hooks::{self, Outcome};
use crate::maintenance::{self, NOTICE_DAYS};
use crate::roster::Roster;
use crate::safe::printable;
use crate::timeline::{Day, Status, Timeline};

pub fn run(context: &Context, args: &RemindArgs) -> Result<String> {
    let snapshot = context.snapshot()?;
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
    let changes = match &args.since {
        Some(since) => Some(changed_since(context, workspace, since)?),
        None => None,
    };
    let mut reminder = Reminder {
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
    let printed = if args.json {
        output::json(&reminder)
    } else {
        reminder.message.clone()
    };
    // The hook runs once everything is known; what it failed to pass on is an error, after
    // the reminder is printed: a daily job must notice that nobody was told.
    match hooks::run(workspace.dir(), "remind", &reminder) {
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
