//! `rota schedule`: the days ahead as a table, plain text, JSON or iCalendar. Every row comes
//! from `rotation::schedule`, the code the handover runs.

use chrono::NaiveDate;
use serde_json::json;

use super::{Context, known_engineer, refuse_the_past};
use crate::calendar::show_day;
use crate::cli::ScheduleArgs;
use crate::error::Result;
use crate::ics;
use crate::roster::Roster;
use crate::rotation::{self, Reason, Slot, State};

pub fn run(context: &Context, args: &ScheduleArgs) -> Result<String> {
    let workspace = context.workspace()?;
    let (state, history) = context.rotation(&workspace)?;
    let roster = &workspace.roster;
    let today = context.today(&workspace);
    let from = args.from.unwrap_or(today);
    refuse_the_past(&workspace, &state, today, from)?;
    for day in [Some(from), args.until].into_iter().flatten() {
        super::within_reach(today, day)?;
    }
    if let Some(id) = &args.engineer {
        known_engineer(roster, id)?;
    }
    // Working days from `from` that the log shows handed over already (today, after its
    // handover) are the log's, not a weekend: they lead the schedule.
    let mut slots: Vec<Slot> = from
        .iter_days()
        .take_while(|d| *d < state.day)
        .filter(|d| roster.calendar.is_working_day(*d))
        .filter_map(|day| {
            let served = history
                .served(day, roster.calendar.timezone)?
                .served_by
                .clone();
            Some(Slot {
                day,
                engineer: Some(served.clone()),
                scheduled: Some(served),
                reason: Reason::Served,
                round: state.round,
            })
        })
        .collect();
    slots.extend(upcoming(
        roster,
        &state,
        today,
        from,
        usize::from(args.days),
        args.until,
    ));
    if args.until.is_none() {
        slots.truncate(usize::from(args.days));
    }
    let mine = |slot: &&Slot| {
        args.engineer
            .as_ref()
            .is_none_or(|id| slot.engineer.as_ref() == Some(id))
    };
    for gap in slots.iter().filter(|s| s.engineer.is_none()) {
        context.ui.warn(
            &format!(
                "no one is available on {}: nobody is on call that day",
                show_day(gap.day)
            ),
            Some("ask someone to cover it: rota cover DATE ID"),
        );
    }

    if args.ics {
        let events: Vec<ics::Event> = slots
            .iter()
            .filter(mine)
            .filter_map(|slot| {
                let id = slot.engineer.as_deref()?;
                Some(ics::Event {
                    day: slot.day,
                    summary: format!("On call: {}", roster.name_of(id)),
                    description: format!(
                        "{} ({id}) is on call for {}: {}.",
                        roster.name_of(id),
                        roster.team_name,
                        why(roster, slot)
                    ),
                })
            })
            .collect();
        return Ok(ics::calendar(&roster.team_name, &events, context.now));
    }
    if args.json {
        let rows: Vec<_> = slots
            .iter()
            .filter(mine)
            .map(|slot| {
                json!({
                    "date": slot.day.to_string(),
                    "weekday": slot.day.format("%a").to_string(),
                    "engineer": slot.engineer,
                    "name": slot.engineer.as_deref().map(|id| roster.name_of(id)),
                    "reason": reason(roster, slot),
                    "detail": why(roster, slot),
                    "scheduled": slot.scheduled,
                    "round": slot.round,
                })
            })
            .collect();
        return Ok(format!("{:#}\n", serde_json::Value::Array(rows)));
    }

    let mut rows: Vec<[String; 4]> = Vec::new();
    let mut day = from;
    for slot in slots.iter().filter(mine) {
        if let Some(row) = days_off(roster, day, slot.day).filter(|_| args.engineer.is_none()) {
            rows.push(row);
        }
        let who = match slot.engineer.as_deref() {
            Some(id) => format!("{} ({id})", roster.name_of(id)),
            None => "—".to_string(),
        };
        rows.push([
            slot.day.to_string(),
            slot.day.format("%a").to_string(),
            who,
            why(roster, slot),
        ]);
        day = slot
            .day
            .succ_opt()
            .expect("dates stay far from chrono's limits");
    }
    Ok(context.ui.table(&["Date", "Day", "On call", "Why"], &rows))
}

/// The working-day slots to show: from `from`, `days` of them or up to `until`.
pub fn upcoming(
    roster: &Roster,
    state: &State,
    today: NaiveDate,
    from: NaiveDate,
    days: usize,
    until: Option<NaiveDate>,
) -> Vec<Slot> {
    let slots = rotation::schedule(roster, state, today).skip_while(|s| s.day < from);
    match until {
        Some(until) => slots.take_while(|s| s.day <= until).collect(),
        None => slots.take(days).collect(),
    }
}

/// One row for the days off in `[from, until)`, if there are any.
fn days_off(roster: &Roster, from: NaiveDate, until: NaiveDate) -> Option<[String; 4]> {
    let off: Vec<NaiveDate> = from.iter_days().take_while(|d| *d < until).collect();
    let (first, last) = (off.first()?, off.last()?);
    let holiday = off.iter().any(|d| roster.calendar.is_holiday(*d));
    let days = if first == last {
        first.format("%a").to_string()
    } else {
        format!("{}–{}", first.format("%a"), last.format("%a"))
    };
    Some([
        first.to_string(),
        days,
        "·".to_string(),
        if holiday {
            "holiday".into()
        } else {
            "weekend".into()
        },
    ])
}

/// The kind of reason: the rotation's, or for an override `swap` or `cover`.
pub fn reason(roster: &Roster, slot: &Slot) -> &'static str {
    match slot.reason {
        Reason::Override => roster
            .override_on(slot.day)
            .map_or("cover", |o| o.kind.as_str()),
        other => other.as_str(),
    }
}

/// Why this engineer is on call on this day, in words.
pub fn why(roster: &Roster, slot: &Slot) -> String {
    match slot.reason {
        Reason::Rotation => "rotation".to_string(),
        Reason::RoundStart => format!("round {} starts", slot.round),
        Reason::Back => "first day back after an absence".to_string(),
        Reason::Gap => "no one available".to_string(),
        Reason::Served => "served, handed over".to_string(),
        Reason::Override => {
            let reason = roster
                .override_on(slot.day)
                .and_then(|o| o.reason.clone())
                .unwrap_or_else(|| "cover".to_string());
            match &slot.scheduled {
                Some(scheduled) if slot.engineer.as_ref() != Some(scheduled) => {
                    format!("{reason} (instead of {scheduled})")
                }
                _ => reason,
            }
        }
    }
}
