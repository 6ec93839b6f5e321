//! `rota cover DATE ID`: ID is on call that day instead of the scheduled engineer.

use super::{ChangeKind, Context, known_engineer};
use crate::calendar::show_day;
use crate::cli::CoverArgs;
use crate::error::{Error, Result};
use crate::roster::OverrideKind;
use crate::store;

pub fn run(context: &Context, args: &CoverArgs) -> Result<String> {
    if args.undo {
        return undo(context, args.date);
    }
    let workspace = context.workspace_for_write()?;
    // Decided under the lock, on the files as they are now.
    let (_lock, mut workspace, state) = context.lock_for_write(&workspace)?;
    let roster = &workspace.roster;
    let today = context.today(&workspace);
    let id = known_engineer(roster, args.id.as_deref().unwrap_or_default())?
        .id
        .clone();
    let day = args.date;
    let scheduled = match super::swap::on_call(roster, &state, today, day) {
        Ok(id) => Some(id),
        // Covering a day nobody could take is what a gap asks for.
        Err(_) if roster.calendar.is_working_day(day) && day >= today => None,
        Err(error) => return Err(error),
    };
    if scheduled.as_deref() == Some(id.as_str()) {
        return Err(Error::usage(format!(
            "{id} is already on call {}",
            show_day(day)
        )));
    }
    if !roster.is_available(&id, day) {
        return Err(Error::new(format!("{id} is away on {}", show_day(day)))
            .hint("pick someone who is here that day (rota schedule shows who is away)"));
    }
    let reason = args.reason.clone().unwrap_or_else(|| "cover".to_string());
    let displaces = super::swap::displaced(roster, &state, today, day);
    workspace.edit(|doc| {
        store::set_override(
            doc,
            day,
            &id,
            OverrideKind::Cover,
            &reason,
            displaces.as_deref(),
        )
    })?;
    super::swap::warn_back_to_back(context, &workspace.roster, &state, today, &[day]);
    context.changed(
        &workspace,
        ChangeKind::Other,
        format!("rota: cover {day} by {id}"),
    );
    let instead = scheduled
        .map(|s| format!(" instead of {s}"))
        .unwrap_or_default();
    context
        .ui
        .note(&format!("{id} is on call {}{instead}", show_day(day)));
    Ok(String::new())
}

/// `rota cover DATE --undo`: removes that day's cover; the schedule is as if it had never been.
fn undo(context: &Context, day: chrono::NaiveDate) -> Result<String> {
    let workspace = context.workspace_for_write()?;
    let (_lock, mut workspace, state) = context.lock_for_write(&workspace)?;
    let Some(cover) = workspace.roster.override_on(day).cloned() else {
        return Err(
            Error::new(format!("there is no cover on {}", show_day(day)))
                .hint("rota schedule shows the days an override changes"),
        );
    };
    if cover.kind == OverrideKind::Swap {
        return Err(
            Error::new(format!("{} is one day of a swap", show_day(day)))
                .hint("take back the whole swap: rota swap DATE_A DATE_B --undo"),
        );
    }
    workspace.edit(|doc| store::remove_override(doc, day).map(|_| ()))?;
    let today = context.today(&workspace);
    let again = crate::rotation::slot_on(&workspace.roster, &state, today, day)
        .and_then(|slot| slot.engineer)
        .unwrap_or_else(|| "no one".to_string());
    context.changed(
        &workspace,
        ChangeKind::Other,
        format!("rota: cover {day} by {} taken back", cover.engineer),
    );
    context.ui.note(&format!(
        "removed the cover of {} by {}; {again} is on call that day again",
        show_day(day),
        cover.engineer
    ));
    Ok(String::new())
}
