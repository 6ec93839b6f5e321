//! `rota away ID FROM [TO]`: record an absence. `rota away ID --list`: show them.

use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::{ChangeKind, Context, known_engineer, output};
use crate::calendar::show_day;
use crate::cli::AwayArgs;
use crate::error::{Error, Result};
use crate::roster::{Absence, Engineer, Roster};
use crate::rotation::State;
use crate::store::{self, Workspace};

/// One absence, as `away --list --json` prints it.
#[derive(Serialize)]
struct AbsenceJson<'a> {
    from: String,
    to: String,
    reason: Option<&'a str>,
}

pub fn run(context: &Context, args: &AwayArgs) -> Result<String> {
    if let Some(file) = &args.import {
        return super::away_import::run(context, args, file);
    }
    let given = args.id.as_deref().unwrap_or_default();
    let Some(from) = args.from.filter(|_| !args.list) else {
        let workspace = context.workspace()?;
        let engineer = known_engineer(&workspace.roster, given)?;
        return Ok(list(context, engineer, args.json));
    };
    let workspace = context.ready_for_write(context.workspace()?)?;
    let id = known_engineer(&workspace.roster, given)?.id.clone();
    let to = args.to.unwrap_or(from);
    if args.undo {
        if args.reason.is_some() {
            return Err(Error::usage(
                "--reason goes with --undo only to take back an import (--import FILE): an absence is taken back by its days",
            )
            .hint(format!("rota away {id} {from} {to} --undo")));
        }
        return undo(context, &workspace, &id, from, to);
    }
    add(context, &workspace, &id, (from, to), args.reason.as_deref())
}

/// `rota away ID --list`: the engineer's absences, as text or JSON.
fn list(context: &Context, engineer: &Engineer, json: bool) -> String {
    if json {
        let rows: Vec<AbsenceJson> = engineer
            .away
            .iter()
            .map(|a| AbsenceJson {
                from: a.from.to_string(),
                to: a.to.to_string(),
                reason: a.reason.as_deref(),
            })
            .collect();
        return output::json(&rows);
    }
    if engineer.away.is_empty() {
        context.ui.note(&format!("{} has no absences", engineer.id));
    }
    let mut out = String::new();
    for absence in &engineer.away {
        let reason = absence
            .reason
            .as_deref()
            .map(|r| format!("  {r}"))
            .unwrap_or_default();
        let _ = writeln!(out, "{}{reason}", span(absence.from, absence.to));
    }
    out
}

/// `rota away ID FROM [TO] --undo`: removes exactly that absence; or, given the days from some
/// day on to its end, ends an absence that has begun early. Like adding one, it changes only
/// what is still to come: not a day before today (the past is the log's), and not a turn the
/// last handover gave around the absence (its record would then read as edited by hand:
/// [`History::replay_last`](crate::history::History::replay_last)).
fn undo(
    context: &Context,
    workspace: &Workspace,
    id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<String> {
    let mut transaction = context.begin(workspace)?;
    let today = transaction.today();
    let absences = transaction
        .workspace()
        .roster
        .engineer(id)
        .map(|e| e.away.clone())
        .unwrap_or_default();
    let exact = absences.iter().find(|a| a.from == from && a.to == to);
    // The days from `from` to the end of one that began before them: it ends early.
    let tail = absences
        .iter()
        .find(|a| a.from < from && from <= a.to && a.to == to);
    let Some(absence) = exact.or(tail).cloned() else {
        return Err(
            Error::not_found(format!("{id} has no absence from {from} to {to}")).hint(format!(
                "rota away {id} --list shows them as they were added"
            )),
        );
    };
    let roster = &transaction.workspace().roster;
    let history = transaction.history();
    let agrees = |roster: &Roster| history.replay_last(roster).is_none_or(|r| r.agrees());
    let agreed = agrees(roster);
    // Whether the days from `day` on can go: none before today, and the last handover still
    // reads as rota wrote it.
    let can_go = |day: NaiveDate| {
        if day < today {
            return false;
        }
        let mut after = roster.clone();
        if let Some(engineer) = after.engineers.iter_mut().find(|e| e.id == id) {
            engineer.away.retain(|a| *a != absence);
            if day > absence.from {
                engineer.away.push(Absence {
                    to: day.pred_opt().expect("dates stay far from chrono's limits"),
                    ..absence.clone()
                });
            }
        }
        !agreed || agrees(&after)
    };
    if !can_go(from) {
        let first = today
            .max(from)
            .iter_days()
            .take_while(|d| *d <= absence.to)
            .find(|d| can_go(*d));
        return Err(begun(id, &absence, first));
    }
    let note = if exact.is_some() {
        transaction.edit_list(|doc| store::remove_absence(doc, id, from, to).map(|_| ()))?;
        format!("removed {id}'s absence from {from} to {to}")
    } else {
        let last = from
            .pred_opt()
            .expect("dates stay far from chrono's limits");
        let shortened = Absence {
            to: last,
            ..absence.clone()
        };
        let span = [(absence.from, absence.to)];
        transaction.edit_list(|doc| store::merge_absences(doc, id, &span, &shortened))?;
        format!(
            "{id}'s absence now ends {}: they are back {}",
            show_day(last),
            show_day(from)
        )
    };
    context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: away {id} {from}..{to} taken back"),
    );
    context.ui.note(&note);
    Ok(String::new())
}

/// Taking back an absence that has begun is refused as adding one in the past is; the days
/// from `first` on (when any) can still go.
fn begun(id: &str, absence: &Absence, first: Option<NaiveDate>) -> Error {
    let last_settled = first.and_then(|d| d.pred_opt()).unwrap_or(absence.to);
    let error = Error::usage(format!(
        "{id}'s absence {} has begun: the turns up to {} were handed over around it",
        span(absence.from, absence.to),
        show_day(last_settled)
    ));
    let error = match first {
        Some(next) => error.hint(format!(
            "to end it early, take back the days from {} on: rota away {id} {next} {} --undo",
            show_day(next),
            absence.to
        )),
        None => error,
    };
    error.hint("who served the days past is in the log; nothing was written")
}

/// `rota away ID FROM [TO]`: adds the absence, merged with those it overlaps or touches.
fn add(
    context: &Context,
    workspace: &Workspace,
    id: &str,
    (from, to): (NaiveDate, NaiveDate),
    reason: Option<&str>,
) -> Result<String> {
    refuse_span(id, from, to, context.today(workspace))?;
    // Decided under the lock, on the files as they are now.
    let mut transaction = context.begin(workspace)?;
    let roster = &transaction.workspace().roster;
    let existing = roster
        .engineer(id)
        .map(|e| e.away.as_slice())
        .unwrap_or_default();
    let merged = overlapping(existing, from, to);
    let absence = merge(&merged, from, to, reason);
    // Joined with those it touches, it must still be an absence the list can hold.
    refuse_long(id, absence.from, absence.to, !merged.is_empty())?;
    if let [only] = merged.as_slice()
        && **only == absence
    {
        context.ui.note(&format!(
            "{id} is already away {}: nothing changed",
            span(only.from, only.to)
        ));
        return Ok(String::new());
    }
    refuse_uncovered(roster, transaction.state(), id, (from, to), AN_ABSENCE)?;
    let spans: Vec<(NaiveDate, NaiveDate)> = merged.iter().map(|a| (a.from, a.to)).collect();
    if spans.is_empty() {
        transaction.edit_list(|doc| store::add_absence(doc, id, &absence))?;
    } else {
        transaction.edit_list(|doc| store::merge_absences(doc, id, &spans, &absence))?;
    }
    context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: away {id} {}..{}", absence.from, absence.to),
    );
    if !spans.is_empty() {
        let old: Vec<String> = spans.iter().map(|(f, t)| range(*f, *t)).collect();
        context.ui.note(&format!(
            "merged with {id}'s absence{} {}: now {}",
            if old.len() == 1 { "" } else { "s" },
            old.join(" and "),
            range(absence.from, absence.to)
        ));
    }
    context.ui.note(&format!(
        "{id} is away {}; they keep their turn and serve when back",
        span(absence.from, absence.to)
    ));
    Ok(String::new())
}

/// An absence starts before it ends, and ends today or later: the past is the log's.
fn refuse_span(id: &str, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<()> {
    if to < from {
        return Err(
            Error::usage(format!("the absence ends ({to}) before it starts ({from})")).hint(
                format!("give the first day, then the last: rota away {id} {to} {from}"),
            ),
        );
    }
    refuse_long(id, from, to, false)?;
    let absence = Absence {
        from,
        to,
        reason: None,
    };
    if absence.ended_before(today) {
        return Err(Error::usage(format!(
            "the absence ends {}, before today ({}): rota plans today and the days ahead",
            show_day(to),
            show_day(today)
        ))
        .hint(format!(
            "an absence ends today or later, e.g. from today: rota away {id} {today}"
        ))
        .hint("who served the days past is in the log; nothing was written"));
    }
    Ok(())
}

/// An absence spans at most `MAX_SPAN_DAYS` days (about ten years), as the list's rules say:
/// longer is a typo, or someone who has left the team. `joined`: the span is the absence
/// joined with those it overlaps or touches.
pub(super) fn refuse_long(id: &str, from: NaiveDate, to: NaiveDate, joined: bool) -> Result<()> {
    let max = crate::calendar::MAX_SPAN_DAYS;
    if (to - from).num_days() <= max {
        return Ok(());
    }
    let last = from + chrono::Duration::days(max);
    let what = if joined {
        format!("joined with {id}'s absences it touches, the absence")
    } else {
        "the absence".to_string()
    };
    Err(Error::usage(format!(
        "{what} from {from} to {to} lasts more than {max} days (about ten years), the most an absence may"
    ))
    .hint(format!(
        "give a nearer last day, at the latest {last}: rota away {id} {from} {last}"
    ))
    .hint("for someone who has left the team, remove their [[engineer]] table instead; nothing was written"))
}

/// An absence (or a holiday of their region: `off`) may not leave a day uncovered that was
/// handed to the engineer, or that an override gives them: the cover that resolves it comes
/// first.
pub(super) fn refuse_uncovered(
    roster: &Roster,
    state: &State,
    id: &str,
    (from, to): (NaiveDate, NaiveDate),
    off: DaysOff,
) -> Result<()> {
    // A cover of that day gives it to someone else: then it is not left uncovered.
    let covered = roster
        .override_on(state.day)
        .is_some_and(|o| o.engineer != id);
    if state.on_call == id && (from..=to).contains(&state.day) && !covered {
        return Err(Error::refused(format!(
            "{id} is on call {} (the day was handed to them): {} would leave it uncovered",
            show_day(state.day),
            off.a
        ))
        .hint(format!(
            "first ask someone to take it: rota cover {} ID; then {}",
            state.day, off.then
        ))
        .hint("or, when the day is over, hand over first (rota handover)"));
    }
    if let Some(o) = roster
        .overrides
        .iter()
        .find(|o| o.engineer == id && (from..=to).contains(&o.date))
    {
        return Err(Error::refused(format!(
            "an override puts {id} on call {} ({}), inside {}",
            show_day(o.date),
            o.kind.as_str(),
            off.the
        ))
        .hint(format!(
            "first give the day to someone else: rota cover {} ID; then {}",
            o.date, off.then
        )));
    }
    Ok(())
}

/// Days off as [`refuse_uncovered`] names them: "an absence would leave it uncovered",
/// "inside the absence", and what to do once the day is covered.
pub(super) struct DaysOff<'a> {
    pub a: &'a str,
    pub the: &'a str,
    pub then: &'a str,
}

pub(super) const AN_ABSENCE: DaysOff = DaysOff {
    a: "an absence",
    the: "the absence",
    then: "add the absence",
};

/// `Mon 2026-11-30` or `Mon 2026-11-30 to Sat 2026-12-05`.
pub(super) fn span(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        show_day(from)
    } else {
        format!("{} to {}", show_day(from), show_day(to))
    }
}

/// `2026-11-30` or `2026-11-30..2026-12-05`.
pub(super) fn range(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}..{to}")
    }
}

/// The absences that overlap or touch (end the day before, start the day after) `from..=to`,
/// and, in turn, those that overlap or touch them: everything one absence replaces.
pub(super) fn overlapping(existing: &[Absence], from: NaiveDate, to: NaiveDate) -> Vec<&Absence> {
    let (mut start, mut end) = (from, to);
    let mut taken = vec![false; existing.len()];
    loop {
        let mut grew = false;
        for (absence, taken) in existing.iter().zip(taken.iter_mut()) {
            let touches = absence.from <= end.succ_opt().unwrap_or(end)
                && start <= absence.to.succ_opt().unwrap_or(absence.to);
            if !*taken && touches {
                *taken = true;
                grew = true;
                start = start.min(absence.from);
                end = end.max(absence.to);
            }
        }
        if !grew {
            break;
        }
    }
    existing
        .iter()
        .zip(taken)
        .filter_map(|(absence, taken)| taken.then_some(absence))
        .collect()
}

/// One absence covering `from..=to` and `merged`, with their reasons (each once, in the
/// file's order, the new one last), joined by "; ". A reason merged before is read as the
/// reasons it joined, so that adding one again changes nothing.
pub(super) fn merge(
    merged: &[&Absence],
    from: NaiveDate,
    to: NaiveDate,
    reason: Option<&str>,
) -> Absence {
    let mut reasons: Vec<&str> = Vec::new();
    for r in merged
        .iter()
        .filter_map(|a| a.reason.as_deref())
        .chain(reason)
        .flat_map(|r| r.split("; "))
    {
        if !r.trim().is_empty() && !reasons.contains(&r) {
            reasons.push(r);
        }
    }
    Absence {
        from: merged.iter().map(|a| a.from).fold(from, NaiveDate::min),
        to: merged.iter().map(|a| a.to).fold(to, NaiveDate::max),
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn absence(from: &str, to: &str, reason: Option<&str>) -> Absence {
        Absence {
            from: d(from),
            to: d(to),
            reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn overlapping_and_touching_absences_merge_into_one() {
        let existing = [
            absence("2026-12-01", "2026-12-03", Some("conference")),
            absence("2026-12-06", "2026-12-06", None),
            absence("2026-12-08", "2026-12-09", Some("dentist")),
            absence("2026-12-20", "2026-12-31", Some("vacation")),
        ];
        // 11-30..12-05 overlaps the first and touches the second (12-06), which touches
        // nothing more: 12-07 lies between it and the third.
        let merged = overlapping(&existing, d("2026-11-30"), d("2026-12-05"));
        assert_eq!(merged, [&existing[0], &existing[1]]);
        assert_eq!(
            merge(
                &merged,
                d("2026-11-30"),
                d("2026-12-05"),
                Some("conference")
            ),
            absence("2026-11-30", "2026-12-06", Some("conference"))
        );
        // 12-07 touches the second and the third; the merge takes both.
        let merged = overlapping(&existing, d("2026-12-07"), d("2026-12-07"));
        assert_eq!(merged, [&existing[1], &existing[2]]);
        assert_eq!(
            merge(&merged, d("2026-12-07"), d("2026-12-07"), Some("flu")),
            absence("2026-12-06", "2026-12-09", Some("dentist; flu"))
        );
        // Inside one: the same absence, nothing to add.
        let merged = overlapping(&existing, d("2026-12-21"), d("2026-12-22"));
        assert_eq!(merged, [&existing[3]]);
        assert_eq!(
            merge(&merged, d("2026-12-21"), d("2026-12-22"), None),
            existing[3]
        );
        // Apart from all: nothing merges.
        assert!(overlapping(&existing, d("2026-12-15"), d("2026-12-18")).is_empty());
    }
}
