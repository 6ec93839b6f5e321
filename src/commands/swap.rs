//! `rota swap DATE_A DATE_B`: the two days' engineers trade days, as two `[[override]]`s.

use super::{ChangeKind, Context};
use crate::calendar::show_day;
use crate::cli::SwapArgs;
use crate::error::{Error, Result};
use crate::roster::{OverrideKind, Roster};
use crate::rotation::{self, State};
use crate::store;

pub fn run(context: &Context, args: &SwapArgs) -> Result<String> {
    if args.undo {
        return undo(context, args.first, args.second);
    }
    let workspace = context.workspace_for_write()?;
    // Decided under the lock, on the files as they are now.
    let (_lock, mut workspace, state) = context.lock_for_write(&workspace)?;
    let roster = &workspace.roster;
    let today = context.today(&workspace);
    let (a, b) = (args.first, args.second);
    let first = on_call(roster, &state, today, a)?;
    let second = on_call(roster, &state, today, b)?;
    if first == second {
        return Err(Error::usage(format!(
            "{first} is on call on both {} and {}; nothing to swap",
            show_day(a),
            show_day(b)
        )));
    }
    for (id, day) in [(&first, b), (&second, a)] {
        if !roster.is_available(id, day) {
            return Err(Error::new(format!("{id} is away on {}", show_day(day)))
                .hint("pick another day, or change the absence first (rota away ID --list)"));
        }
    }
    let reason_a = args
        .reason
        .clone()
        .unwrap_or_else(|| format!("swap with {}", show_day(b)));
    let reason_b = args
        .reason
        .clone()
        .unwrap_or_else(|| format!("swap with {}", show_day(a)));
    let (displaced_a, displaced_b) = (
        displaced(roster, &state, today, a),
        displaced(roster, &state, today, b),
    );
    workspace.edit(|doc| {
        store::set_override(
            doc,
            a,
            &second,
            OverrideKind::Swap,
            &reason_a,
            displaced_a.as_deref(),
        )?;
        store::set_override(
            doc,
            b,
            &first,
            OverrideKind::Swap,
            &reason_b,
            displaced_b.as_deref(),
        )
    })?;
    warn_back_to_back(context, &workspace.roster, &state, today, &[a, b]);
    context.changed(
        &workspace,
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

/// Who is on call on `day`, for a change to it: a working day, not past, not a gap.
pub fn on_call(
    roster: &Roster,
    state: &State,
    today: chrono::NaiveDate,
    day: chrono::NaiveDate,
) -> Result<String> {
    if !roster.calendar.is_working_day(day) {
        return Err(Error::usage(format!(
            "{} is not a working day: no one is on call then",
            day.format("%A %Y-%m-%d")
        ))
        .hint("rota schedule shows the working days ahead"));
    }
    if day < today.max(state.day) && day != state.day {
        return Err(Error::usage(format!("{} is in the past", show_day(day)))
            .hint("overrides change days from the current turn on"));
    }
    rotation::slot_on(roster, state, today, day)
        .and_then(|slot| slot.engineer)
        .ok_or_else(|| {
            Error::new(format!("no one is available on {}", show_day(day)))
                .hint(format!("put someone on call that day: rota cover {day} ID"))
        })
}

/// The rotation's engineer on `day`, whom an override there displaces (none on a gap).
pub fn displaced(
    roster: &Roster,
    state: &State,
    today: chrono::NaiveDate,
    day: chrono::NaiveDate,
) -> Option<String> {
    rotation::slot_on(roster, state, today, day).and_then(|slot| slot.scheduled)
}

/// Overrides may put someone on two working days in a row: allowed, since a person asked for
/// it, but said.
pub fn warn_back_to_back(
    context: &Context,
    roster: &Roster,
    state: &State,
    today: chrono::NaiveDate,
    changed: &[chrono::NaiveDate],
) {
    let last = changed.iter().max().copied().unwrap_or(today);
    let slots: Vec<_> = rotation::schedule(roster, state, today)
        .take_while(|s| s.day <= roster.calendar.next_working_day(last))
        .collect();
    for pair in slots.windows(2) {
        let touched = changed.contains(&pair[0].day) || changed.contains(&pair[1].day);
        if touched && pair[0].engineer.is_some() && pair[0].engineer == pair[1].engineer {
            context.ui.warn(
                &format!(
                    "{} is now on call two working days in a row ({} and {})",
                    pair[0].engineer.as_deref().unwrap_or_default(),
                    show_day(pair[0].day),
                    show_day(pair[1].day)
                ),
                None,
            );
        }
    }
}

/// `rota swap DATE_A DATE_B --undo`: removes both days of the swap.
fn undo(context: &Context, a: chrono::NaiveDate, b: chrono::NaiveDate) -> Result<String> {
    let workspace = context.workspace_for_write()?;
    let (_lock, mut workspace, _) = context.lock_for_write(&workspace)?;
    let is_swap = |day| {
        workspace
            .roster
            .override_on(day)
            .is_some_and(|o| o.kind == OverrideKind::Swap)
    };
    if let Some(day) = [a, b].into_iter().find(|d| !is_swap(*d)) {
        return Err(Error::new(format!("there is no swap on {}", show_day(day)))
            .hint("rota schedule shows the days an override changes"));
    }
    workspace.edit(|doc| {
        store::remove_override(doc, a)?;
        store::remove_override(doc, b).map(|_| ())
    })?;
    context.changed(
        &workspace,
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
