//! `rota away ID FROM [TO]`: record an absence. `rota away ID --list`: show them.

use std::fmt::Write;

use super::{ChangeKind, Context, known_engineer};
use crate::calendar::show_day;
use crate::cli::AwayArgs;
use crate::error::{Error, Result};
use crate::roster::Absence;
use crate::store;

pub fn run(context: &Context, args: &AwayArgs) -> Result<String> {
    let workspace = if args.from.is_some() && !args.list {
        context.workspace_for_write()?
    } else {
        context.workspace()?
    };
    let engineer = known_engineer(&workspace.roster, &args.id)?;
    let id = engineer.id.clone();
    let Some(from) = args.from.filter(|_| !args.list) else {
        if args.json {
            let rows: Vec<_> = engineer
                .away
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "from": a.from.to_string(),
                        "to": a.to.to_string(),
                        "reason": a.reason,
                    })
                })
                .collect();
            return Ok(format!("{:#}\n", serde_json::Value::Array(rows)));
        }
        let mut out = String::new();
        if engineer.away.is_empty() {
            context.ui.note(&format!("{id} has no absences"));
        }
        for absence in &engineer.away {
            let reason = absence
                .reason
                .as_deref()
                .map(|r| format!("  {r}"))
                .unwrap_or_default();
            if absence.from == absence.to {
                let _ = writeln!(out, "{}{reason}", show_day(absence.from));
            } else {
                let _ = writeln!(
                    out,
                    "{} to {}{reason}",
                    show_day(absence.from),
                    show_day(absence.to)
                );
            }
        }
        return Ok(out);
    };
    let to = args.to.unwrap_or(from);
    if args.undo {
        let (_lock, mut workspace, _) = context.lock_for_write(&workspace)?;
        let found = workspace
            .roster
            .engineer(&id)
            .is_some_and(|e| e.away.iter().any(|a| a.from == from && a.to == to));
        if found {
            workspace.edit(|doc| store::remove_absence(doc, &id, from, to).map(|_| ()))?;
        } else {
            return Err(
                Error::new(format!("{id} has no absence from {from} to {to}")).hint(format!(
                    "rota away {id} --list shows them as they were added"
                )),
            );
        }
        context.changed(
            &workspace,
            ChangeKind::Other,
            format!("rota: away {id} {from}..{to} taken back"),
        );
        context
            .ui
            .note(&format!("removed {id}'s absence from {from} to {to}"));
        return Ok(String::new());
    }
    if to < from {
        return Err(
            Error::usage(format!("the absence ends ({to}) before it starts ({from})"))
                .hint("give the first day, then the last: rota away ID FROM TO"),
        );
    }
    let absence = Absence {
        from,
        to,
        reason: args.reason.clone(),
    };

    // Decided under the lock, on the files as they are now.
    let (_lock, mut workspace, state) = context.lock_for_write(&workspace)?;
    let roster = &workspace.roster;
    if state.on_call == id && (from..=to).contains(&state.day) {
        return Err(Error::new(format!(
            "{id} is on call {} (the day was handed to them): an absence would leave it uncovered",
            show_day(state.day)
        ))
        .hint(format!(
            "first ask someone to take it: rota cover {} ID; then add the absence",
            state.day
        ))
        .hint("or, when the day is over, hand over first (rota handover)"));
    }
    if let Some(o) = roster
        .overrides
        .iter()
        .find(|o| o.engineer == id && (from..=to).contains(&o.date))
    {
        return Err(Error::new(format!(
            "an override puts {id} on call {} ({}), inside the absence",
            show_day(o.date),
            o.kind.as_str()
        ))
        .hint(format!(
            "first give the day to someone else: rota cover {} ID; then add the absence",
            o.date
        )));
    }
    workspace.edit(|doc| store::add_absence(doc, &id, &absence))?;
    context.changed(
        &workspace,
        ChangeKind::Other,
        format!("rota: away {id} {from}..{to}"),
    );
    let span = if from == to {
        show_day(from)
    } else {
        format!("{} to {}", show_day(from), show_day(to))
    };
    context.ui.note(&format!(
        "{id} is away {span}; they keep their turn and serve when back"
    ));
    Ok(String::new())
}
