//! `rota who`: who is on call, how to reach them, who is next, and where the round stands; for
//! a past day, who served it, the handover and its note, as the log records them.

use std::fmt::Write;

use chrono::NaiveDate;

use serde::Serialize;

use super::output::Person;
use super::status::{self, Answer, Next};
use super::{Context, output, teams};
use crate::calendar::show_day;
use crate::cli::WhoArgs;
use crate::error::Result;
use crate::history::Record;
use crate::roster::{Maintenance, Roster};
use crate::rotation::State;
use crate::timeline::{Day, Status};

pub fn run(context: &Context, args: &WhoArgs) -> Result<String> {
    if args.all {
        return all(context, args);
    }
    let snapshot = context.snapshot()?;
    let today = snapshot.today;
    let date = args.date.unwrap_or(today);
    super::within_reach(today, date)?;
    let answer = status::answer(&snapshot, args.date, context.now)?;
    let (roster, state) = (&snapshot.workspace.roster, snapshot.state());
    let (day, late_days) = (&answer.day, answer.late_days);
    if date == today && day.status == Status::Overdue {
        let from = crate::rotation::holder(roster, state);
        context.ui.warn(
            &format!(
                "handover overdue: {from} covered {} and has not handed over ({late_days} working day{} late)",
                show_day(state.day),
                if late_days == 1 { "" } else { "s" }
            ),
            Some(&format!("{from} runs `rota handover` to pass the rotation on")),
        );
    }
    if args.json {
        return Ok(output::json(&answer.json(roster, state, context.now)));
    }
    Ok(answer.text(roster, state, today, context))
}

/// `who --all`: each team's responder now, one line (or one JSON object) a team, in the
/// order of the teams' directories. A team whose files cannot be read is a line of its own
/// naming its directory; the others are answered, and the run fails at the end.
fn all(context: &Context, args: &WhoArgs) -> Result<String> {
    let found = context.teams()?;
    let rows: Vec<TeamNow> = found
        .teams
        .iter()
        .map(|team| {
            context
                .team_snapshot(team)
                .and_then(|snapshot| TeamNow::of(&team.rel, &snapshot, context))
                .unwrap_or_else(|error| TeamNow::failed(&team.rel, &error, &found.top))
        })
        .collect();
    let out = if args.json {
        output::json(&rows)
    } else {
        TeamNow::lines(&rows)
    };
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| r.error.is_some())
        .map(|r| r.dir.as_str())
        .collect();
    teams::answered(
        out,
        &failed,
        rows.len(),
        "`rota check --all` names every problem of every team",
    )
}

/// A team's responder now, as `who --all` shows it.
#[derive(Serialize)]
struct TeamNow {
    /// The team's directory, relative to the repository's top.
    dir: String,
    /// The team's name.
    team: Option<String>,
    /// What today is for the team (`on call`, `overdue`, `weekend`...), as `who --json` says.
    status: Option<&'static str>,
    on_call: Option<Person>,
    next: Option<Next>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl TeamNow {
    fn of(dir: &str, snapshot: &crate::session::Snapshot, context: &Context) -> Result<TeamNow> {
        let roster = &snapshot.workspace.roster;
        let answer = status::answer(snapshot, None, context.now)?;
        let json = answer.json(roster, snapshot.state(), context.now);
        Ok(TeamNow {
            dir: dir.to_string(),
            team: Some(roster.team_name.clone()),
            status: Some(json.status),
            on_call: json.on_call.map(|o| o.person),
            next: json.next,
            error: None,
        })
    }

    fn failed(dir: &str, error: &crate::error::Error, top: &std::path::Path) -> TeamNow {
        TeamNow {
            dir: dir.to_string(),
            team: None,
            status: None,
            on_call: None,
            next: None,
            error: Some(teams::one_line(error, top)),
        }
    }

    /// One line a team: `DIR  TEAM  On call: NAME (ID) · CONTACT`, the columns aligned.
    fn lines(rows: &[TeamNow]) -> String {
        let dirs: Vec<String> = rows.iter().map(|r| teams::shown(&r.dir)).collect();
        let width = |texts: &mut dyn Iterator<Item = &str>| {
            texts.map(|t| t.chars().count()).max().unwrap_or(0)
        };
        let dir_width = width(&mut dirs.iter().map(String::as_str));
        let team_width = width(&mut rows.iter().filter_map(|r| r.team.as_deref()));
        let mut out = String::new();
        for (row, dir) in rows.iter().zip(&dirs) {
            let Some(team) = &row.team else {
                let error = row.error.as_deref().unwrap_or_default();
                let _ = writeln!(out, "{dir:<dir_width$}  error: {error}");
                continue;
            };
            let _ = writeln!(out, "{dir:<dir_width$}  {team:<team_width$}  {}", row.now());
        }
        out
    }

    /// Who is on call, and the quickest way to reach them (phone, else chat, else email);
    /// or why no one is.
    fn now(&self) -> String {
        let status = self.status.unwrap_or_default();
        let Some(person) = &self.on_call else {
            return format!("No one is on call ({})", output::why_no_one(status));
        };
        let contact = [&person.phone, &person.chat, &person.email]
            .into_iter()
            .flatten()
            .next()
            .map(|c| format!(" · {c}"))
            .unwrap_or_default();
        let overdue = if status == "overdue" {
            " (handover overdue)"
        } else {
            ""
        };
        format!("On call: {} ({}){contact}{overdue}", person.name, person.id)
    }
}

impl Answer {
    fn text(&self, roster: &Roster, state: &State, today: NaiveDate, context: &Context) -> String {
        let day = &self.day;
        let mut out = String::new();
        // A day past, or today asked by its date once handed over: as the log records it.
        if day.date < today.min(state.day) || day.status == Status::Served {
            past(&mut out, roster, day, self.entries.unwrap_or(0), context);
            return out;
        }
        let ui = &context.ui;
        match &day.engineer {
            Some(id) => self.on_call(&mut out, roster, state, id, context),
            None => {
                let why = match day.status {
                    Status::Gap => " (nobody is available)",
                    Status::Holiday => " (holiday)",
                    Status::Weekend => " (weekend)",
                    _ => "",
                };
                let _ = writeln!(
                    out,
                    "No one is on call on {}{why}.",
                    day.date.format("%A %Y-%m-%d")
                );
            }
        }
        if let Some(record) = &self.carried {
            carried(&mut out, record);
        }
        if let Some((date, id)) = &self.next {
            let _ = writeln!(
                out,
                "\n{} {} ({id}) · {}",
                ui.bold("Next:"),
                ui.bold(roster.name_of(id)),
                show_day(*date),
            );
            if day.engineer.is_none() {
                contact_card(&mut out, roster, id, context);
            }
        }
        // The round as it stands now: said about today, not about a day ahead.
        if self.date == today {
            self.round(&mut out, state, today, ui);
        }
        maintenance(&mut out, &self.maintenance, ui);
        out
    }

    /// The engineer on call, how to reach them, whom to call if they do not answer.
    fn on_call(
        &self,
        out: &mut String,
        roster: &Roster,
        state: &State,
        id: &str,
        context: &Context,
    ) {
        let day = &self.day;
        let ui = &context.ui;
        let since = day.held_since(roster, state);
        let when = if day.status == Status::Overdue && since == state.day {
            format!("since {} (handover overdue)", show_day(since))
        } else {
            show_day(day.date)
        };
        let _ = writeln!(
            out,
            "{} {} ({id}) · {when}{}",
            ui.bold("On call:"),
            ui.bold(roster.name_of(id)),
            covering_note(day, roster)
        );
        contact_card(out, roster, id, context);
        escalation(out, roster, id, context);
        stale_note(out, day);
        if self.handover_due {
            let _ = writeln!(
                out,
                "  Handover due since {} (team time): rota handover",
                roster.calendar.handover_time.format("%H:%M")
            );
        }
    }

    /// Where the round stands: who served, who is on call (or next), who is still to serve.
    fn round(&self, out: &mut String, state: &State, today: NaiveDate, ui: &crate::ui::Ui) {
        let _ = writeln!(out, "\n{}", ui.bold(&format!("Round {}", state.round)));
        for id in &state.order {
            let (mark, label) = if *id == state.on_call {
                // Marked on call only while they are (their turn has begun, or today was
                // handed over to them); before that, they are next.
                let instead = Some(self.day.engineer.as_deref())
                    .filter(|_| state.day == self.day.date)
                    .flatten()
                    .filter(|e| *e != id && self.day.covering_for.as_deref() == Some(id));
                let label = if let Some(other) = instead
                    && state.day <= today
                {
                    format!("{id}  ← their turn; {other} is on call instead")
                } else if state.day <= today || self.handed_over {
                    format!("{id}  ← on call")
                } else {
                    format!("{id}  ← next, {}", show_day(state.day))
                };
                ("[>]", ui.green(&label))
            } else if state.pending.contains(id) {
                ("[ ]", id.clone())
            } else {
                ("[x]", ui.dim(id))
            };
            let _ = writeln!(out, "  {mark} {label}");
        }
    }
}

/// A day before the current turn, as the log records it.
fn past(out: &mut String, roster: &Roster, day: &Day, entries: usize, context: &Context) {
    let ui = &context.ui;
    let Some(id) = &day.engineer else {
        let date = show_day(day.date);
        let _ = match day.status {
            Status::Weekend => writeln!(out, "No one was on call on {date} (weekend)."),
            Status::Holiday => writeln!(out, "No one was on call on {date} (holiday)."),
            Status::Gap => writeln!(out, "No one was on call on {date} (nobody was available)."),
            _ => writeln!(
                out,
                "The log has no handover record for {date}: it does not say who was on call."
            ),
        };
        return;
    };
    let former = if roster.engineer(id).is_none() {
        ", former engineer"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{} {} ({id}{former}) · {}{}",
        ui.bold("On call:"),
        ui.bold(roster.name_of(id)),
        show_day(day.date),
        covering_note(day, roster)
    );
    if let Some(h) = &day.handover {
        let on = h.written.map(|d| format!(" on {d}")).unwrap_or_default();
        let by = h
            .run_by
            .as_ref()
            .map(|r| format!(", run by {r}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  Handed over to {} at {} UTC{on}{by}", h.to, h.time);
        if let Some(note) = &h.note {
            let _ = writeln!(out, "  Note for {}: {note}", h.to);
        }
    }
    let _ = writeln!(
        out,
        "  Log: {entries} entr{} that day (rota log --list --from {} --until {})",
        if entries == 1 { "y" } else { "ies" },
        day.date,
        day.date
    );
}

/// The maintenance windows ahead, one line each: when (UTC), what, which services.
fn maintenance(out: &mut String, windows: &[Maintenance], ui: &crate::ui::Ui) {
    if windows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", ui.bold("Maintenance in the next 7 days"));
    for window in windows {
        let affects = if window.affects.is_empty() {
            String::new()
        } else {
            format!(" (affects {})", window.affects.join(", "))
        };
        let line = format!(
            "{}  {}{affects}",
            crate::maintenance::utc_window(window),
            window.what
        );
        let _ = writeln!(out, "  {}", crate::safe::printable(&line));
    }
}

/// What the last handover passed on: its note and its open items, numbered as `rota handover
/// --done N` names them.
fn carried(out: &mut String, record: &Record) {
    let on = record
        .written
        .map(|d| format!("{} ", show_day(d)))
        .unwrap_or_default();
    // A stand-in's handover says who ran it, as a past day's does.
    let by = record
        .run_by
        .as_ref()
        .map(|r| format!(", run by {r}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  Handover from {} ({on}{} UTC{by}):",
        record.from, record.time
    );
    if let Some(note) = &record.note {
        let _ = writeln!(out, "    Note: {note}");
    }
    for (i, item) in record.open.iter().enumerate() {
        let _ = writeln!(out, "    Open {}: {item}", i + 1);
    }
}

/// Whose day it was by the rotation, when someone else holds it.
fn covering_note(day: &Day, roster: &Roster) -> String {
    match &day.covering_for {
        Some(id) => format!(" ({})", output::instead_of(day.reason_kind(roster), id)),
        None => String::new(),
    }
}

fn stale_note(out: &mut String, day: &Day) {
    if let Some(stale) = &day.stale {
        let _ = writeln!(
            out,
            "  Stale override: made for {}'s day, which the rotation now gives to {}: `rota cover {} --undo`, then cover again if still wanted",
            stale.made_for,
            stale.now_for.as_deref().unwrap_or("nobody"),
            day.date
        );
    }
}

/// Who to call when the engineer on call does not answer.
fn escalation(out: &mut String, roster: &Roster, on_call: &str, context: &Context) {
    let entries: Vec<&String> = roster.escalation_for(Some(on_call)).collect();
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  {} if {on_call} does not answer:",
        context.ui.bold("Escalation")
    );
    for (i, entry) in entries.into_iter().enumerate() {
        let line = match roster.engineer(entry) {
            Some(e) => {
                // The phone first: the quickest way to someone who must answer now.
                let contacts: Vec<&str> = e.contacts().rev().collect();
                format!("{} ({}) · {}", e.name, e.id, contacts.join(" · "))
            }
            None => entry.clone(),
        };
        let _ = writeln!(out, "    {}. {line}", i + 1);
    }
}

/// Contacts and the engineer's local time (nothing for someone no longer in the list).
fn contact_card(out: &mut String, roster: &Roster, id: &str, context: &Context) {
    let Some(engineer) = roster.engineer(id) else {
        let _ = writeln!(
            out,
            "  {id} is no longer in the team's list: `rota handover` passes the turn on"
        );
        return;
    };
    for (label, value) in [
        ("email", &engineer.email),
        ("chat", &engineer.chat),
        ("phone", &engineer.phone),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "  {label:<6} {value}");
        }
    }
    let tz = roster.timezone_of(engineer);
    let local = context.now.with_timezone(&tz);
    let _ = writeln!(
        out,
        "  {:<6} {} ({})",
        "local",
        local.format("%a %H:%M %Z"),
        tz.name()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which records stand is the ground of every answer `who` gives (the state, the day, the
    /// handover passed on, the next engineer): it is worked out once per command.
    #[test]
    fn who_works_out_the_standing_records_once() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            (
                "on-call-list.toml",
                include_str!("../../examples/cloud-sre/on-call-list.toml"),
            ),
            (
                "on-call-log.md",
                include_str!("../../examples/cloud-sre/on-call-log.md"),
            ),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let now = "2026-11-23T10:15:00+01:00".parse().unwrap();
        for args in [
            WhoArgs::default(),
            WhoArgs {
                json: true,
                ..WhoArgs::default()
            },
        ] {
            let before = crate::history::standing_worked_out();
            run(&Context::for_test(dir.path(), now), &args).unwrap();
            assert_eq!(crate::history::standing_worked_out() - before, 1);
        }
    }
}
