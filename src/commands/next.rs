//! `rota next [ID]`: when an engineer is next on call, and the turns after that.

use std::fmt::Write;

use serde::Serialize;

use super::{Context, known_engineer, output};
use crate::calendar::show_day;
use crate::cli::NextArgs;
use crate::error::Result;
use crate::timeline::{Day, Status, Timeline};

/// How far ahead to look: a few rounds of the largest team.
const HORIZON_WORKING_DAYS: usize = 20 * 8;

/// `next --json`: the engineer and their coming turns.
#[derive(Serialize)]
struct Json<'a> {
    id: &'a str,
    name: &'a str,
    turns: Vec<Turn>,
}

#[derive(Serialize)]
struct Turn {
    date: String,
    reason: &'static str,
    detail: String,
}

pub fn run(context: &Context, args: &NextArgs) -> Result<String> {
    let snapshot = context.snapshot()?;
    let (workspace, state, history) = (&snapshot.workspace, snapshot.state(), snapshot.history());
    let roster = &workspace.roster;
    let id = match &args.id {
        Some(id) => known_engineer(roster, id)?.id.clone(),
        None => super::require_user(workspace, "rota next ID")?,
    };
    let today = context.today(workspace);
    let timeline = Timeline::new(roster, state, history, today);
    let turns: Vec<Day> = timeline
        .days(today)
        .filter(|day| day.status.is_working())
        .take(HORIZON_WORKING_DAYS)
        .filter(|day| day.status != Status::Served && day.engineer.as_deref() == Some(id.as_str()))
        .take(usize::from(args.count))
        .collect();
    if args.json {
        return Ok(output::json(&Json {
            id: &id,
            name: roster.name_of(&id),
            turns: turns
                .iter()
                .map(|day| Turn {
                    date: day.date.to_string(),
                    reason: day.reason_kind(roster),
                    detail: day.detail(roster),
                })
                .collect(),
        }));
    }
    let mut out = String::new();
    let Some(first) = turns.first() else {
        let _ = writeln!(
            out,
            "{} ({id}) has no turn in the next {HORIZON_WORKING_DAYS} working days.",
            roster.name_of(&id)
        );
        return Ok(out);
    };
    let days = (first.date - today).num_days();
    let when = match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    };
    let _ = writeln!(
        out,
        "{} ({id}) is next on call {} ({when}).",
        roster.name_of(&id),
        show_day(first.date)
    );
    if turns.len() > 1 {
        let later: Vec<String> = turns[1..].iter().map(|s| show_day(s.date)).collect();
        let _ = writeln!(out, "Then: {}", later.join(", "));
    }
    Ok(out)
}
