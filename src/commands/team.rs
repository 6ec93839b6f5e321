//! `rota team`: everyone, how to reach them, their local time, and whether they are inside
//! their working hours now: who can be reached at this moment, and how.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde_json::json;

use super::Context;
use super::schedule::plain;
use crate::cli::TeamArgs;
use crate::error::Result;
use crate::roster::Engineer;

pub fn run(context: &Context, args: &TeamArgs) -> Result<String> {
    let mut workspace = context.workspace()?;
    let state = context.state(&mut workspace)?;
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
        let rows: Vec<_> = roster
            .engineers
            .iter()
            .map(|e| {
                let tz = roster.timezone_of(e);
                json!({
                    "id": e.id,
                    "name": e.name,
                    "email": e.email,
                    "chat": e.chat,
                    "phone": e.phone,
                    "timezone": tz.name(),
                    "local_time": context.now.with_timezone(&tz).to_rfc3339(),
                    "working_now": roster.is_working_now(e, context.now),
                    "on_call": on_call.as_deref() == Some(e.id.as_str()),
                })
            })
            .collect();
        return Ok(format!("{:#}\n", serde_json::Value::Array(rows)));
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
    if context.ui.stdout_terminal {
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED).set_header(header);
        for row in rows {
            table.add_row(row);
        }
        return Ok(format!("{table}\n"));
    }
    Ok(plain(&header, &rows))
}
