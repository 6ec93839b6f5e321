//! `rota stats`: days served per engineer, from the log's handover records (what happened) and
//! from the schedule (what will), and the spread between the most and least loaded.

use std::collections::BTreeMap;

use chrono::Duration;
use serde_json::json;

use super::Context;
use crate::cli::StatsArgs;
use crate::error::Result;
use crate::logbook;
use crate::rotation;

#[derive(Default, Clone, Copy)]
struct Count {
    done: u32,
    ahead: u32,
}

pub fn run(context: &Context, args: &StatsArgs) -> Result<String> {
    let workspace = context.workspace()?;
    let state = context.state(&workspace)?;
    let roster = &workspace.roster;
    let today = context.today(&workspace);
    let since = args.since.unwrap_or(today - Duration::days(90));
    let until = args.until.unwrap_or(today + Duration::days(90));
    super::within_reach(today, until)?;

    let mut counts: BTreeMap<String, Count> = roster
        .engineers
        .iter()
        .map(|e| (e.id.clone(), Count::default()))
        .collect();
    // Each day once: of two records for one day (a merge of two clones), the earlier stands.
    let history = logbook::read_history(&workspace.log_path)?;
    for (day, id) in history.served_days(roster.calendar.timezone) {
        // Done: every day the log records as served, today's included once handed over.
        if since <= day && day < state.day {
            counts.entry(id.to_string()).or_default().done += 1;
        }
    }
    for slot in rotation::schedule(roster, &state, today)
        // Ahead: from the current turn on, an overdue one included (it is not done yet).
        .skip_while(|s| s.day < since)
        .take_while(|s| s.day <= until)
    {
        if let Some(id) = slot.engineer {
            counts.entry(id).or_default().ahead += 1;
        }
    }

    let total = |c: &Count| c.done + c.ahead;
    let most = counts.values().map(total).max().unwrap_or(0);
    let least = counts.values().map(total).min().unwrap_or(0);
    if args.json {
        let engineers: Vec<_> = counts
            .iter()
            .map(|(id, c)| json!({"id": id, "done": c.done, "ahead": c.ahead, "total": total(c)}))
            .collect();
        return Ok(format!(
            "{:#}\n",
            json!({"since": since.to_string(), "today": today.to_string(), "until": until.to_string(), "engineers": engineers, "spread": most - least})
        ));
    }
    let header = ["Engineer", "Done", "Ahead", "Total"];
    let rows: Vec<[String; 4]> = counts
        .iter()
        .map(|(id, c)| {
            [
                id.clone(),
                c.done.to_string(),
                c.ahead.to_string(),
                total(c).to_string(),
            ]
        })
        .collect();
    let table = context.ui.table(&header, &rows);
    Ok(format!(
        "Days on call from {since} (done: the log's handover records, up to today) to {until} (ahead: the schedule):\n{table}Spread: {} working day{} between the most and the least loaded.\n",
        most - least,
        if most - least == 1 { "" } else { "s" }
    ))
}
