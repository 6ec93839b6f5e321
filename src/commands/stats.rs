//! `rota stats`: days on call per engineer between two dates, from the one timeline: days the
//! log records as served (done) and days from the current turn on (ahead), and the spread
//! between the most and the least loaded.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::Context;
use crate::cli::StatsArgs;
use crate::error::{Error, Result};
use crate::timeline::{Status, Timeline};

#[derive(Default, Clone, Copy)]
struct Count {
    done: u32,
    ahead: u32,
}

#[derive(Serialize)]
struct Json<'a> {
    from: String,
    today: String,
    until: String,
    engineers: Vec<Row<'a>>,
    spread: u32,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    done: u32,
    ahead: u32,
    total: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    former: bool,
}

pub fn run(context: &Context, args: &StatsArgs) -> Result<String> {
    let snapshot = context.snapshot()?;
    let workspace = &snapshot.workspace;
    let roster = &workspace.roster;
    let today = snapshot.today;
    let from = args.from.unwrap_or(today - Duration::days(90));
    let until = args.until.unwrap_or(today + Duration::days(90));
    super::within_reach(today, from)?;
    super::within_reach(today, until)?;
    if until < from {
        return Err(
            Error::usage(format!("--until {until} is before --from {from}"))
                .hint("swap the two dates"),
        );
    }
    let (state, history) = (snapshot.state(), snapshot.history_from(from)?);
    let timeline = Timeline::new(roster, state, &history, today);
    let counts = count(&timeline, roster, from, until);
    let total = |c: &Count| c.done + c.ahead;
    let is_former = |id: &str| roster.engineer(id).is_none();
    // The spread is the team's: former engineers are counted, not compared.
    let current = || counts.iter().filter(|(id, _)| !is_former(id));
    let most = current().map(|(_, c)| total(c)).max().unwrap_or(0);
    let least = current().map(|(_, c)| total(c)).min().unwrap_or(0);
    if args.json {
        let json = Json {
            from: from.to_string(),
            today: today.to_string(),
            until: until.to_string(),
            engineers: counts
                .iter()
                .map(|(id, c)| Row {
                    id,
                    done: c.done,
                    ahead: c.ahead,
                    total: total(c),
                    former: is_former(id),
                })
                .collect(),
            spread: most - least,
        };
        return Ok(super::output::json(&json));
    }
    let header = ["Engineer", "Done", "Ahead", "Total"];
    let rows: Vec<[String; 4]> = counts
        .iter()
        .map(|(id, c)| {
            [
                if is_former(id) {
                    format!("{id} (former)")
                } else {
                    id.clone()
                },
                c.done.to_string(),
                c.ahead.to_string(),
                total(c).to_string(),
            ]
        })
        .collect();
    let table = context.ui.table(&header, &rows);
    Ok(format!(
        "Days on call from {from} to {until} (done: served, as the log records; ahead: from the current turn on, as scheduled):\n{table}Spread: {} working day{} between the most and the least loaded.\n",
        most - least,
        if most - least == 1 { "" } else { "s" }
    ))
}

/// The days each engineer served and is scheduled for from `from` to `until`: everyone in the
/// team, even with no day, and former engineers who served in the window.
fn count(
    timeline: &Timeline,
    roster: &crate::roster::Roster,
    from: NaiveDate,
    until: NaiveDate,
) -> BTreeMap<String, Count> {
    let mut counts: BTreeMap<String, Count> = roster
        .engineers
        .iter()
        .map(|e| (e.id.clone(), Count::default()))
        .collect();
    for day in timeline.days(from).take_while(|d| d.date <= until) {
        let Some(id) = day.engineer else { continue };
        let count = counts.entry(id).or_default();
        match day.status {
            Status::Served => count.done += 1,
            _ => count.ahead += 1,
        }
    }
    counts
}
