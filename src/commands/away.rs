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

    let (lock, mut workspace) = context.locked(&workspace)?;
    workspace.edit(|doc| store::add_absence(doc, &id, &absence))?;
    // From the locked log's tail: a second read would wait for the lock this command holds.
    let (state, _) = workspace.state(&lock.tail.history(), context.today(&workspace));
    let roster = &workspace.roster;
    if state.on_call == id && (from..=to).contains(&state.day) {
        context.ui.warn(
            &format!(
                "{id} is on call {} and now away that day",
                show_day(state.day)
            ),
            Some(&format!(
                "hand over early (rota handover --force) or ask someone to cover: rota cover {} ID",
                state.day
            )),
        );
    }
    for o in roster
        .overrides
        .iter()
        .filter(|o| o.engineer == id && (from..=to).contains(&o.date))
    {
        context.ui.warn(
            &format!(
                "an override puts {id} on call {} while away",
                show_day(o.date)
            ),
            Some(&format!(
                "ask someone else to cover it: rota cover {} ID",
                o.date
            )),
        );
    }
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
