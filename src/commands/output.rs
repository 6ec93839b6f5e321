//! The shapes `--json` prints, shared by the commands: a person is one shape everywhere, and a
//! day of the timeline is one shape in `who` and `schedule`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::roster::{Maintenance, Roster};
use crate::timeline::Day;

/// A value as `--json` prints it: pretty, with a final newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("plain data serialises");
    text.push('\n');
    text
}

/// An engineer and how to reach them. Someone no longer in the list (`former`) keeps their
/// id and name as the log has it, without contacts.
#[derive(Debug, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub chat: Option<String>,
    pub phone: Option<String>,
    pub timezone: Option<String>,
    pub local_time: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub former: bool,
}

impl Person {
    pub fn of(roster: &Roster, id: &str, now: DateTime<Utc>) -> Person {
        match roster.engineer(id) {
            Some(e) => {
                let tz = roster.timezone_of(e);
                Person {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    email: e.email.clone(),
                    chat: e.chat.clone(),
                    phone: e.phone.clone(),
                    timezone: Some(tz.name().to_string()),
                    local_time: Some(now.with_timezone(&tz).to_rfc3339()),
                    former: false,
                }
            }
            None => Person {
                id: id.to_string(),
                name: id.to_string(),
                email: None,
                chat: None,
                phone: None,
                timezone: None,
                local_time: None,
                former: true,
            },
        }
    }
}

/// Why no one is on call, in words, from a day's status (`who --json`'s `status`): said
/// alike by `who --all` and the teams' page.
pub fn why_no_one(status: &str) -> &str {
    match status {
        "gap" => "nobody is available",
        "not started" => "the rotation has not started",
        other => other,
    }
}

/// Whose day the engineer on call holds instead, in words: a swap trades two days, anything
/// else takes one (`reason` is a [`DayView`]'s). Said alike by `who` and the published pages.
pub fn instead_of(reason: &str, id: &str) -> String {
    if reason == "swap" {
        format!("swapped with {id}")
    } else {
        format!("covering for {id}")
    }
}

/// A day of the timeline, as `schedule --json` lists it and `who --json` describes it.
#[derive(Debug, Serialize)]
pub struct DayView {
    pub date: String,
    pub weekday: String,
    pub status: &'static str,
    pub today: bool,
    pub engineer: Option<String>,
    pub name: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub former: bool,
    /// The kind of reason: `rotation`, `round start`, `back from absence`, `swap`, `cover`,
    /// `served`, `gap`...
    pub reason: &'static str,
    /// Why, in words.
    pub detail: String,
    /// The rotation's engineer (the one an override displaced, if any).
    pub scheduled: Option<String>,
    pub covering_for: Option<String>,
    pub round: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub takes_over: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<StaleView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handover: Option<HandoverView>,
}

#[derive(Debug, Serialize)]
pub struct StaleView {
    pub made_for: String,
    pub now_for: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct HandoverView {
    pub written: Option<String>,
    pub time_utc: String,
    pub to: String,
    pub next_day: Option<String>,
    pub run_by: Option<String>,
    pub note: Option<String>,
}

impl DayView {
    pub fn of(roster: &Roster, day: &Day) -> DayView {
        DayView {
            date: day.date.to_string(),
            weekday: day.date.format("%a").to_string(),
            status: day.status.as_str(),
            today: day.today,
            engineer: day.engineer.clone(),
            name: day
                .engineer
                .as_deref()
                .map(|id| roster.name_of(id).to_string()),
            former: day
                .engineer
                .as_deref()
                .is_some_and(|id| roster.engineer(id).is_none()),
            reason: day.reason_kind(roster),
            detail: day.detail(roster),
            scheduled: day.covering_for.clone().or_else(|| day.engineer.clone()),
            covering_for: day.covering_for.clone(),
            round: day.round,
            takes_over: day.takes_over.clone(),
            stale: day.stale.as_ref().map(|s| StaleView {
                made_for: s.made_for.clone(),
                now_for: s.now_for.clone(),
            }),
            handover: day.handover.as_ref().map(|h| HandoverView {
                written: h.written.map(|d| d.to_string()),
                time_utc: h.time.clone(),
                to: h.to.clone(),
                next_day: h.next_day.map(|d| d.to_string()),
                run_by: h.run_by.clone(),
                note: h.note.clone(),
            }),
        }
    }
}

/// A maintenance window, as `who --json` lists it: its times in RFC 3339 (UTC), the window as
/// people read it, what, and which services.
#[derive(Debug, Serialize)]
pub struct MaintenanceView {
    pub start: String,
    pub end: String,
    pub window: String,
    pub what: String,
    pub affects: Vec<String>,
}

impl MaintenanceView {
    pub fn of(window: &Maintenance) -> MaintenanceView {
        MaintenanceView {
            start: crate::maintenance::rfc3339(window.start),
            end: crate::maintenance::rfc3339(window.end),
            window: crate::maintenance::utc_window(window),
            what: window.what.clone(),
            affects: window.affects.clone(),
        }
    }
}

/// `Skipped 3 events: 1 cancelled, 2 outside the window.` and a newline, naming the counts
/// that are not zero; `None` when all are.
pub fn skipped_line(counts: &[(usize, &str)]) -> Option<String> {
    let total: usize = counts.iter().map(|(n, _)| n).sum();
    if total == 0 {
        return None;
    }
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} {why}"))
        .collect();
    Some(format!(
        "Skipped {total} event{}: {}.\n",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    ))
}
