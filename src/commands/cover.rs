//! `rota cover DATE ID`: ID is on call that day instead of the scheduled engineer.

use chrono::NaiveDate;

use super::{ChangeKind, Context, known_engineer};
use crate::calendar::show_day;
use crate::cli::CoverArgs;
use crate::error::{Error, Result};
use crate::roster::OverrideKind;
use crate::store;
use crate::timeline::Timeline;

pub fn run(context: &Context, args: &CoverArgs) -> Result<String> {
    if args.undo {
        return undo(context, args.date);
    }
    // Decided under the lock, on the files as they are now.
    let mut transaction = context.transaction()?;
    let state = transaction.state().clone();
    let today = transaction.today();
    let roster = &transaction.workspace().roster;
    let history = transaction.history();
    let id = known_engineer(roster, args.id.as_deref().unwrap_or_default())?
        .id
        .clone();
    let day = args.date;
    // Covering a day nobody could take (a gap, `engineer` none) is what a gap asks for.
    let turn = match Timeline::new(roster, &state, history, today).turn(day) {
        Ok(turn) => Some(turn),
        // Today once handed over: the cover is written as asked, displacing nobody.
        Err(_) if roster.calendar.is_working_day(day) && day >= today => None,
        Err(error) => return Err(error),
    };
    let (scheduled, displaces) = turn.map_or((None, None), |t| (t.engineer, t.scheduled));
    // The override there already, which this one replaces: whose day it is stays the same.
    let replaced = roster
        .override_on(day)
        .map(|o| format!(", replacing the {} by {}", o.kind.as_str(), o.engineer));
    if scheduled.as_deref() == Some(id.as_str()) {
        return Err(Error::usage(format!(
            "{id} is already on call {}",
            show_day(day)
        )));
    }
    if !roster.is_available(&id, day) {
        return Err(Error::refused(format!("{id} is away on {}", show_day(day)))
            .hint("pick someone who is here that day (rota schedule shows who is away)"));
    }
    let reason = args.reason.clone().unwrap_or_else(|| "cover".to_string());
    transaction.edit_list(|doc| {
        store::set_override(
            doc,
            day,
            &id,
            OverrideKind::Cover,
            &reason,
            displaces.as_deref(),
        )
    })?;
    let timeline = Timeline::new(
        &transaction.workspace().roster,
        &state,
        transaction.history(),
        today,
    );
    crate::warnings::back_to_back(&context.ui, &timeline, &[day]);
    context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: cover {day} by {id}"),
    );
    // Instead of the engineer whose day it is, as `displaces` records.
    let instead = displaces
        .map(|s| format!(" instead of {s}"))
        .unwrap_or_default()
        + &replaced.unwrap_or_default();
    context
        .ui
        .note(&format!("{id} is on call {}{instead}", show_day(day)));
    Ok(String::new())
}

/// `rota cover DATE --undo`: removes that day's cover; the schedule is as if it had never been.
fn undo(context: &Context, day: NaiveDate) -> Result<String> {
    let mut transaction = context.transaction()?;
    let state = transaction.state().clone();
    let roster = &transaction.workspace().roster;
    // A cover of someone who has left since is taken back all the same.
    let cover = roster
        .override_on(day)
        .map(|o| (o.engineer.clone(), o.kind))
        .or_else(|| {
            roster
                .former_overrides
                .iter()
                .find(|o| o.date == day)
                .map(|o| (o.engineer.clone(), o.kind))
        });
    let Some((engineer, kind)) = cover else {
        return Err(
            Error::not_found(format!("there is no cover on {}", show_day(day)))
                .hint("rota schedule shows the days an override changes"),
        );
    };
    if kind == OverrideKind::Swap {
        let undo = roster
            .undo_override(day)
            .unwrap_or_else(|| "rota swap DATE_A DATE_B --undo".to_string());
        return Err(
            Error::refused(format!("{} is one day of a swap", show_day(day)))
                .hint(format!("take back the whole swap: {undo}")),
        );
    }
    transaction.edit_list(|doc| store::remove_override(doc, day).map(|_| ()))?;
    let again = Timeline::new(
        &transaction.workspace().roster,
        &state,
        transaction.history(),
        transaction.today(),
    )
    .turn(day)
    .ok()
    .and_then(|turn| turn.engineer)
    .unwrap_or_else(|| "no one".to_string());
    context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: cover {day} by {engineer} taken back"),
    );
    context.ui.note(&format!(
        "removed the cover of {} by {engineer}; {again} is on call that day again",
        show_day(day),
    ));
    Ok(String::new())
}
