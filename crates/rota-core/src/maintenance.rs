//! Maintenance windows as the team's users hear of them: the announcement `rota announce`
//! prints (a subject and a body naming what, which services, and the window in UTC and in the
//! team's time), and its timeline: announce a week ahead, remind shortly before, say when it
//! is done. Pure: the command prints it, and a hook would receive [`Announcement`] as its event.
//!
//! Dates are written YYYY-MM-DD and times in UTC, the way people outside the team (in any
//! zone) read them without doubt; the team's local time follows, naming its zone.

use chrono::{DateTime, Duration, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::roster::Maintenance;

/// Users expect downtime announced at least this many days ahead.
pub const NOTICE_DAYS: i64 = 7;
/// How long before the window starts the reminder goes out.
pub const REMINDER_MINUTES: i64 = 15;

/// One announced window: what `rota announce --json` prints, and the event a hook receives.
#[derive(Debug, Serialize)]
pub struct Announcement {
    pub team: String,
    pub what: String,
    pub affects: Vec<String>,
    /// RFC 3339, UTC.
    pub start: String,
    pub end: String,
    /// `2026-12-10 22:00–23:30 UTC`.
    pub window_utc: String,
    /// The team's IANA zone, and the window in its time.
    pub timezone: String,
    pub window_local: String,
    pub subject: String,
    /// The message, lines ending in `\n`.
    pub body: String,
    /// Less than [`NOTICE_DAYS`] days between now and the start.
    pub short_notice: bool,
    pub timeline: Timeline,
}

/// When to say what.
#[derive(Debug, Serialize)]
pub struct Timeline {
    /// The day (UTC) to send the announcement: a week before the start, or today when that
    /// day has passed.
    pub announce_on: String,
    /// RFC 3339, UTC.
    pub remind_at: String,
    pub reminder: String,
    /// RFC 3339, UTC: the end of the window.
    pub done_at: String,
    pub done: String,
}

/// The announcement of `window` by `team`, whose time is `zone`, as of `now`.
pub fn announce(window: &Maintenance, team: &str, zone: Tz, now: DateTime<Utc>) -> Announcement {
    let window_utc = utc_window(window);
    let window_local = local_window(window, zone);
    let affects = window.affects.join(", ");
    let services = if affects.is_empty() {
        String::new()
    } else {
        format!(" ({affects})")
    };
    let subject = format!("Maintenance {window_utc}: {}{services}", window.what);
    let mut body = format!("What:    {}\n", window.what);
    if !affects.is_empty() {
        body += &format!("Affects: {affects}\n");
    }
    body += &format!("When:    {window_utc}\n");
    if zone != chrono_tz::UTC && zone != chrono_tz::Etc::UTC {
        body += &format!("         {window_local}\n");
    }
    body += &format!(
        "\nThe services named may be unavailable during the window; we will say when it is over.\nQuestions: {team}'s engineer on call.\n"
    );
    let week_before = window.start - Duration::days(NOTICE_DAYS);
    let short_notice = week_before < now;
    let remind_at = window.start - Duration::minutes(REMINDER_MINUTES);
    Announcement {
        team: team.to_string(),
        what: window.what.clone(),
        affects: window.affects.clone(),
        start: rfc3339(window.start),
        end: rfc3339(window.end),
        window_utc,
        timezone: zone.name().to_string(),
        window_local,
        subject,
        body,
        short_notice,
        timeline: Timeline {
            announce_on: week_before.max(now).date_naive().to_string(),
            remind_at: rfc3339(remind_at),
            reminder: format!(
                "Maintenance starts in {REMINDER_MINUTES} minutes ({} UTC): {}{services}",
                window.start.format("%H:%M"),
                window.what
            ),
            done_at: rfc3339(window.end),
            done: format!("Maintenance done: {}{services}", window.what),
        },
    }
}

/// `2026-12-10T22:00:00Z`.
pub fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `2026-12-10 22:00–23:30 UTC`, or `2026-12-10 22:00 – 2026-12-11 01:30 UTC` across midnight.
pub fn utc_window(window: &Maintenance) -> String {
    format!(
        "{} UTC",
        span(window.start.naive_utc(), window.end.naive_utc())
    )
}

/// The window in `zone`: `2026-12-10 23:00 – 2026-12-11 00:30 CET (Europe/Prague)`; when the
/// clocks change inside it, each end names its own abbreviation.
pub fn local_window(window: &Maintenance, zone: Tz) -> String {
    let (start, end) = (
        window.start.with_timezone(&zone),
        window.end.with_timezone(&zone),
    );
    let (from, to) = (start.format("%Z").to_string(), end.format("%Z").to_string());
    if from == to {
        format!(
            "{} {from} ({})",
            span(start.naive_local(), end.naive_local()),
            zone.name()
        )
    } else {
        format!(
            "{} {from} – {} {to} ({})",
            start.format("%Y-%m-%d %H:%M"),
            end.format("%Y-%m-%d %H:%M"),
            zone.name()
        )
    }
}

/// `2026-12-10 22:00–23:30` within a day, else both ends in full.
fn span(start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!(
            "{} {}–{}",
            start.format("%Y-%m-%d"),
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{} – {}",
            start.format("%Y-%m-%d %H:%M"),
            end.format("%Y-%m-%d %H:%M")
        )
    }
}

/// The windows that overlap `[from, to)`, by start.
pub fn within(
    windows: &[Maintenance],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<&Maintenance> {
    let mut found: Vec<&Maintenance> = windows.iter().filter(|m| m.overlaps(from, to)).collect();
    found.sort_by_key(|m| (m.start, m.end));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(start: &str, end: &str) -> Maintenance {
        Maintenance {
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
            what: "Database failover test".into(),
            affects: vec!["api".into(), "db".into()],
        }
    }

    #[test]
    fn windows_read_in_utc_and_in_the_team_s_time() {
        let w = window("2026-12-10T22:00:00Z", "2026-12-10T23:30:00Z");
        assert_eq!(utc_window(&w), "2026-12-10 22:00–23:30 UTC");
        assert_eq!(
            local_window(&w, chrono_tz::Europe::Prague),
            "2026-12-10 23:00 – 2026-12-11 00:30 CET (Europe/Prague)"
        );
        assert_eq!(
            local_window(&w, chrono_tz::America::New_York),
            "2026-12-10 17:00–18:30 EST (America/New_York)"
        );
        // The clocks go forward inside the window: each end says which time it is.
        let spring = window("2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z");
        assert_eq!(
            local_window(&spring, chrono_tz::Europe::Prague),
            "2027-03-28 01:30 CET – 2027-03-28 03:30 CEST (Europe/Prague)"
        );
    }

    #[test]
    fn the_timeline_asks_for_a_week_and_says_so_when_there_is_less() {
        let w = window("2026-12-10T22:00:00Z", "2026-12-10T23:30:00Z");
        let zone = chrono_tz::Europe::Prague;
        let early = announce(&w, "T", zone, "2026-11-23T09:15:00Z".parse().unwrap());
        assert!(!early.short_notice);
        assert_eq!(early.timeline.announce_on, "2026-12-03");
        assert_eq!(early.timeline.remind_at, "2026-12-10T21:45:00Z");
        let late = announce(&w, "T", zone, "2026-12-05T09:15:00Z".parse().unwrap());
        assert!(late.short_notice);
        assert_eq!(late.timeline.announce_on, "2026-12-05");
    }

    #[test]
    fn within_takes_the_windows_that_overlap_by_start() {
        let later = window("2026-12-10T22:00:00Z", "2026-12-10T23:30:00Z");
        let sooner = window("2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z");
        let beyond = window("2026-12-20T08:00:00Z", "2026-12-20T09:00:00Z");
        let windows = [later.clone(), beyond, sooner.clone()];
        let from = "2026-12-01T08:30:00Z".parse().unwrap();
        let to = "2026-12-11T00:00:00Z".parse().unwrap();
        assert_eq!(within(&windows, from, to), [&sooner, &later]);
    }
}
