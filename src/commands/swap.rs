//! `rota swap DATE_A DATE_B`: the two days' engineers trade days, as two `[[override]]`s.

use chrono::NaiveDate;

use super::{ChangeKind, Context};
use crate::calendar::show_day;
use crate::cli::SwapArgs;
use crate::error::{Error, Result};
use crate::roster::OverrideKind;
use crate::store;
use crate::timeline::Timeline;

pub fn run(context: &Context, args: &SwapArgs) -> Result<String> {
    if args.undo {
        return undo(context, args.first, args.second);
    }
    // Decided under the lock, on the files as they are now.
    let mut transaction = context.transaction()?;
    let state = transaction.state().clone();
    let today = transaction.today();
    let roster = &transaction.workspace().roster;
    let history = transaction.history();
    let timeline = Timeline::new(roster, &state, history, today);
    let (a, b) = (args.first, args.second);
    let (first, displaced_a) = turn(&timeline, a)?;
    let (second, displaced_b) = turn(&timeline, b)?;
    if first == second {
        return Err(Error::usage(format!(
            "{first} is on call on both {} and {}; nothing to swap",
            show_day(a),
            show_day(b)
        )));
    }
    for (id, day) in [(&first, b), (&second, a)] {
        if !roster.is_available(id, day) {
            return Err(
                Error::refused(format!("{id} is away on {}", show_day(day))).hint(format!(
                    "pick another day, or change the absence first (rota away {id} --list)"
                )),
            );
        }
    }
    // Each day goes to the other day's engineer, displacing its own.
    let writes = [(a, &second, displaced_a, b), (b, &first, displaced_b, a)];
    transaction.edit_list(|doc| {
        for (day, engineer, displaced, other) in &writes {
            let reason = args
                .reason
                .clone()
                .unwrap_or_else(|| format!("swap with {}", show_day(*other)));
            store::set_override(
                doc,
                *day,
                engineer,
                OverrideKind::Swap,
                &reason,
                displaced.as_deref(),
            )?;
        }
        Ok(())
    })?;
    let timeline = Timeline::new(
        &transaction.workspace().roster,
        &state,
        transaction.history(),
        today,
    );
    crate::warnings::back_to_back(&context.ui, &timeline, &[a, b]);
    context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: swap {a} ({second}) <-> {b} ({first})"),
    );
    context.ui.note(&format!(
        "swapped: {second} is on call {}, {first} on {}",
        show_day(a),
        show_day(b)
    ));
    Ok(String::new())
}

/// The turn on `day` the swap gives to the other engineer (a working day, not past, not a
/// gap): who is on call, and whose day it is by the rotation.
fn turn(timeline: &Timeline, day: NaiveDate) -> Result<(String, Option<String>)> {
    let turn = timeline.turn(day)?;
    let engineer = turn.engineer.ok_or_else(|| {
        Error::refused(format!("no one is available on {}", show_day(day)))
            .hint(format!("put someone on call that day: rota cover {day} ID"))
    })?;
    Ok((engineer, turn.scheduled))
}

/// `rota swap DATE_A DATE_B --undo`: removes both days of the swap.
fn undo(context: &Context, a: NaiveDate, b: NaiveDate) -> Result<String> {
    let mut transaction = context.transaction()?;
    // A day of the swap may name someone who has left since: it is taken back all the same.
    let is_swap = |day| transaction.workspace().roster.swap_on(day);
    if let Some(day) = [a, b].into_iter().find(|d| !is_swap(*d)) {
        return Err(
            Error::not_found(format!("there is no swap on {}", show_day(day)))
                .hint("rota schedule shows the days an override changes"),
        );
    }
    transaction.edit_list(|doc| {
        store::remove_override(doc, a)?;
        store::remove_override(doc, b).map(|_| ())
    })?;
    context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: swap {a} <-> {b} taken back"),
    );
    context.ui.note(&format!(
        "removed the swap of {} and {}: both days are the rotation's again",
        show_day(a),
        show_day(b)
    ));
    Ok(String::new())
}
