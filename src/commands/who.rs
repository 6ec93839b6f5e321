//! `rota who`: who is on call, how to reach them, who is next, and where the round stands.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use super::Context;
use crate::calendar::show_day;
use crate::cli::WhoArgs;
use crate::error::Result;
use crate::roster::{Engineer, Roster};
use crate::rotation::{self, Slot, State};

pub fn run(context: &Context, args: &WhoArgs) -> Result<String> {
    let workspace = context.workspace()?;
    let state = context.state(&workspace)?;
    let roster = &workspace.roster;
    let today = context.today(&workspace);
    let date = args.date.unwrap_or(today);
    super::within_reach(today, date)?;
    super::refuse_the_past(&workspace, &state, today, date)?;
    let answer = Answer::new(roster, &state, context.now, date);
    if args.date.is_none() && answer.late_days > 0 {
        let from = answer
            .on_call
            .as_ref()
            .and_then(|s| s.engineer.as_deref())
            .unwrap_or(&state.on_call);
        context.ui.warn(
            &format!(
                "handover overdue: {from} covered {} and has not handed over ({} working day{} late)",
                show_day(state.day),
                answer.late_days,
                if answer.late_days == 1 { "" } else { "s" }
            ),
            Some(&format!("{from} runs `rota handover` to pass the rotation on")),
        );
    }
    if args.json {
        return Ok(format!("{:#}\n", answer.json(roster, context)));
    }
    Ok(answer.text(roster, &state, context))
}

/// What `who` says about a day.
struct Answer {
    date: NaiveDate,
    working_day: bool,
    /// The responder for `date`: the recorded one when asking about today, or the schedule's.
    on_call: Option<Slot>,
    next: Option<Slot>,
    late_days: u32,
    /// Today's handover time has passed and the turn is still today's.
    handover_due: bool,
}

impl Answer {
    fn new(roster: &Roster, state: &State, now: DateTime<Utc>, date: NaiveDate) -> Answer {
        let today = roster.calendar.today(now);
        let working_day = roster.calendar.is_working_day(date);
        let late_days = rotation::late_days(roster, state, today);
        let on_call = if !working_day {
            None
        } else if date == today {
            // Today: whoever the state records holds the pager (after today's handover, the
            // next engineer; before a late one, the engineer who has not handed over yet).
            Some(rotation::current(roster, state))
        } else {
            rotation::slot_on(roster, state, today, date)
        }
        .filter(|slot| slot.engineer.is_some());
        // Next is whoever follows the turn shown. When a handover is overdue, that turn lies in
        // the past and the next engineer's day may be today: the day a handover now would give.
        let after = on_call.as_ref().map_or(date, |slot| slot.day);
        let next = rotation::schedule(roster, state, today)
            .find(|slot| slot.day > after && slot.engineer.is_some());
        Answer {
            date,
            working_day,
            on_call,
            next,
            late_days,
            handover_due: date == today
                && state.day == today
                && now >= roster.calendar.handover_instant(today),
        }
    }

    fn text(&self, roster: &Roster, state: &State, context: &Context) -> String {
        let ui = &context.ui;
        let mut out = String::new();
        match &self.on_call {
            Some(slot) => {
                let engineer = roster.engineer(slot.engineer.as_deref().unwrap_or_default());
                let covering = covering_note(slot);
                let when = if slot.day == self.date {
                    show_day(slot.day)
                } else {
                    format!("from {}", show_day(slot.day))
                };
                let id = slot.engineer.as_deref().unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{} {} ({id}) · {when}{covering}",
                    ui.bold("On call:"),
                    ui.bold(roster.name_of(id)),
                );
                if let Some(engineer) = engineer {
                    contact_card(&mut out, engineer, roster, context);
                }
                escalation(&mut out, roster, id, context);
                if self.handover_due {
                    let _ = writeln!(
                        out,
                        "  Handover due since {} (team time): rota handover",
                        roster.calendar.handover_time.format("%H:%M")
                    );
                }
            }
            None => {
                let why = if self.working_day {
                    " (nobody is available)"
                } else if roster.calendar.is_holiday(self.date) {
                    " (holiday)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "No one is on call on {}{why}.",
                    self.date.format("%A %Y-%m-%d")
                );
            }
        }
        if let Some(next) = &self.next {
            let id = next.engineer.as_deref().unwrap_or_default();
            let _ = writeln!(
                out,
                "\n{} {} ({id}) · {}{}",
                ui.bold("Next:"),
                ui.bold(roster.name_of(id)),
                show_day(next.day),
                covering_note(next)
            );
            if self.on_call.is_none()
                && let Some(engineer) = roster.engineer(id)
            {
                contact_card(&mut out, engineer, roster, context);
            }
        }
        let _ = writeln!(out, "\n{}", ui.bold(&format!("Round {}", state.round)));
        for id in &state.order {
            let (mark, label) = if *id == state.on_call {
                ("[>]", ui.green(&format!("{id}  ← on call")))
            } else if state.pending.contains(id) {
                ("[ ]", id.clone())
            } else {
                ("[x]", ui.dim(id))
            };
            let _ = writeln!(out, "  {mark} {label}");
        }
        out
    }

    fn json(&self, roster: &Roster, context: &Context) -> Value {
        let person = |slot: &Slot| -> Value {
            let id = slot.engineer.as_deref().unwrap_or_default();
            let mut person = match roster.engineer(id) {
                Some(e) => super::engineer_json(roster, e, context.now),
                // Removed from the list but still holding the turn until a handover: the
                // text says so, and so does the JSON, without contacts.
                None => {
                    json!({"id": id, "name": id, "email": null, "chat": null, "phone": null, "timezone": null, "local_time": null, "former": true})
                }
            };
            person["date"] = json!(slot.day.to_string());
            person["reason"] = json!(super::schedule::reason(roster, slot));
            person["covering_for"] = json!(
                slot.scheduled
                    .as_ref()
                    .filter(|s| slot.engineer.as_ref() != Some(*s))
            );
            person
        };
        json!({
            "date": self.date.to_string(),
            "working_day": self.working_day,
            "on_call": self.on_call.as_ref().map_or(Value::Null, person),
            "next": self.next.as_ref().map_or(Value::Null, |slot| json!({
                "date": slot.day.to_string(),
                "id": slot.engineer,
                "name": slot.engineer.as_deref().map(|id| roster.name_of(id)),
            })),
            "escalation": roster.escalation.iter().map(|entry| match roster.engineer(entry) {
                Some(e) => json!({"id": e.id, "name": e.name, "phone": e.phone, "chat": e.chat, "email": e.email}),
                None => json!({"text": entry}),
            }).collect::<Vec<_>>(),
            "handover_due": self.handover_due,
            "handover_overdue": self.late_days > 0,
            "late_working_days": self.late_days,
        })
    }
}

/// Who to call when the engineer on call does not answer.
fn escalation(out: &mut String, roster: &Roster, on_call: &str, context: &Context) {
    if roster.escalation.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  {} if {on_call} does not answer:",
        context.ui.bold("Escalation")
    );
    for (i, entry) in roster.escalation.iter().enumerate() {
        let line = match roster.engineer(entry) {
            Some(e) => {
                let contacts: Vec<&str> = [&e.phone, &e.chat, &e.email]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                format!("{} ({}) · {}", e.name, e.id, contacts.join(" · "))
            }
            None => entry.clone(),
        };
        let _ = writeln!(out, "    {}. {line}", i + 1);
    }
}

fn covering_note(slot: &Slot) -> String {
    match (&slot.engineer, &slot.scheduled) {
        (Some(on), Some(scheduled)) if on != scheduled => format!(" (covering for {scheduled})"),
        _ => String::new(),
    }
}

/// Name, contacts and the engineer's local time.
fn contact_card(out: &mut String, engineer: &Engineer, roster: &Roster, context: &Context) {
    for (label, value) in [
        ("email", &engineer.email),
        ("chat", &engineer.chat),
        ("phone", &engineer.phone),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "  {label:<6} {value}");
        }
    }
    let tz = roster.timezone_of(engineer);
    let local = context.now.with_timezone(&tz);
    let _ = writeln!(
        out,
        "  {:<6} {} ({})",
        "local",
        local.format("%a %H:%M %Z"),
        tz.name()
    );
}
