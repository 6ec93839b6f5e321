//! `rota team`: everyone, how to reach them, their local time, and whether they are inside
//! their working hours now: who can be reached at this moment, and how.

use serde::Serialize;

use super::Context;
use super::output::{Person, json};
use crate::cli::TeamArgs;
use crate::error::Result;
use crate::roster::Engineer;

/// One engineer of `team --json`: the person, and where they stand now.
#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    person: Person,
    working_now: bool,
    on_call: bool,
}

pub fn run(context: &Context, args: &TeamArgs) -> Result<String> {
    let workspace = context.workspace()?;
    let state = context.state(&workspace)?;
    let roster = &workspace.roster;
    let on_call = crate::rotation::current(roster, &state).engineer;
    let contacts = |e: &Engineer| -> String {
        [&e.email, &e.chat, &e.phone]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    };
    if args.json {
        let rows: Vec<Row> = roster
            .engineers
            .iter()
            .map(|e| Row {
                person: Person::of(roster, &e.id, context.now),
                working_now: roster.is_working_now(e, context.now),
                on_call: on_call.as_deref() == Some(e.id.as_str()),
            })
            .collect();
        return Ok(json(&rows));
    }
    let header = ["", "Engineer", "Contacts", "Local time", "Now"];
    let rows: Vec<[String; 5]> = roster
        .engineers
        .iter()
        .map(|e| {
            let tz = roster.timezone_of(e);
            let (start, end) = e.working_hours;
            let now = if roster.is_working_now(e, context.now) {
                "working".to_string()
            } else if e.is_away(context.now.with_timezone(&tz).date_naive()) {
                "away".to_string()
            } else {
                format!(
                    "off (works {}–{})",
                    start.format("%H:%M"),
                    end.format("%H:%M")
                )
            };
            [
                if on_call.as_deref() == Some(e.id.as_str()) {
                    "on call".into()
                } else {
                    String::new()
                },
                format!("{} ({})", e.name, e.id),
                contacts(e),
                format!(
                    "{} {}",
                    context.now.with_timezone(&tz).format("%a %H:%M %Z"),
                    tz.name()
                ),
                now,
            ]
        })
        .collect();
    Ok(context.ui.table(&header, &rows))
}
