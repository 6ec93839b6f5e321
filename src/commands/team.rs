//! `rota team`: everyone, how to reach them, their local time, and whether they are inside
//! their working hours now: who can be reached at this moment, and how.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Context;
use super::output::{Person, json};
use crate::cli::TeamArgs;
use crate::error::Result;
use crate::roster::{Engineer, Roster};

/// One engineer of `team --json`: the person, and where they stand now.
#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    person: Person,
    working_now: bool,
    on_call: bool,
}

pub fn run(context: &Context, args: &TeamArgs) -> Result<String> {
    let snapshot = context.snapshot()?;
    let (workspace, state) = (&snapshot.workspace, snapshot.state());
    let roster = &workspace.roster;
    // As `who` marks them: on call once their turn has begun (a late handover keeps them).
    let today = roster.calendar.today(context.now);
    let on_call = (state.day <= today)
        .then(|| crate::rotation::current(roster, state).engineer)
        .flatten();
    let is_on_call = |e: &Engineer| on_call.as_deref() == Some(e.id.as_str());
    if args.json {
        let rows: Vec<Row> = roster
            .engineers
            .iter()
            .map(|e| Row {
                person: Person::of(roster, &e.id, context.now),
                working_now: roster.is_working_now(e, context.now),
                on_call: is_on_call(e),
            })
            .collect();
        return Ok(json(&rows));
    }
    let header = ["", "Engineer", "Contacts", "Local time", "Now"];
    let rows: Vec<[String; 5]> = roster
        .engineers
        .iter()
        .map(|e| table_row(roster, e, is_on_call(e), context.now))
        .collect();
    Ok(context.ui.table(&header, &rows))
}

/// One engineer's row: on call or not, who, contacts, local time, and whether they work now.
fn table_row(roster: &Roster, e: &Engineer, on_call: bool, now: DateTime<Utc>) -> [String; 5] {
    let tz = roster.timezone_of(e);
    let (start, end) = e.working_hours;
    let status = if roster.is_working_now(e, now) {
        "working".to_string()
    } else if e.is_away(now.with_timezone(&tz).date_naive()) {
        "away".to_string()
    } else {
        format!(
            "off (works {}–{})",
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    };
    let contacts: Vec<&str> = e.contacts().collect();
    [
        if on_call {
            "on call".into()
        } else {
            String::new()
        },
        format!("{} ({})", e.name, e.id),
        contacts.join(", "),
        format!(
            "{} {}",
            now.with_timezone(&tz).format("%a %H:%M %Z"),
            tz.name()
        ),
        status,
    ]
}
