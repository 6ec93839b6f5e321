//! iCalendar (RFC 5545) feeds: the team's, and one per engineer.
//!
//! Calendar apps keep a subscribed feed right only if it is stable: each event's UID is derived
//! from the team, the feed and the day, so a newer export updates the day's event instead of
//! adding a second one, and a personal feed's UIDs differ from the team feed's (an app that
//! subscribes to both keeps both). A day an override takes from someone stays in their feed as
//! `STATUS:CANCELLED` with a higher `SEQUENCE`, so their app removes it rather than keeping
//! the old event. Lines end in CRLF and are folded at 75 octets, as the RFC requires.
//!
//! The team's feed also holds the announced maintenance windows (`rota announce`) that end
//! after its first day, as timed events in UTC, each with a UID derived from the window.

use chrono::{DateTime, NaiveDate, Utc};

use crate::roster::{Maintenance, Roster};
use crate::timeline::Day;

/// Whose calendar.
#[derive(Clone, Copy)]
pub enum Feed<'a> {
    Team,
    Engineer(&'a str),
}

/// How many days of the past a feed keeps (`schedule --ics --past`), and how many working
/// days ahead it (and `schedule`) shows by default.
pub const PAST_DAYS: u16 = 30;
pub const AHEAD_DAYS: u16 = 20;

/// How often calendar apps should fetch the feed again.
const REFRESH: &str = "PT6H";

/// The feed for `days`. The stamp is the start of `today` (UTC), so that the same files on
/// the same day give the same bytes.
pub fn calendar(roster: &Roster, feed: Feed, days: &[Day], today: NaiveDate) -> String {
    let team = &roster.team_name;
    let slug = slug(team);
    let (name, feed_key) = match feed {
        Feed::Team => (format!("On call: {team}"), "team".to_string()),
        Feed::Engineer(id) => (
            format!("On call: {} ({team})", roster.name_of(id)),
            format!("engineer-{id}"),
        ),
    };
    let stamp = format!("{}T000000Z", today.format("%Y%m%d"));
    let uid_suffix = format!("{feed_key}-{slug}");
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//rota//on-call rotation//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(&name)),
        format!("REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}"),
        format!("X-PUBLISHED-TTL:{REFRESH}"),
    ];
    for day in days {
        lines.extend(event(roster, feed, day, &stamp, &uid_suffix));
    }
    if matches!(feed, Feed::Team) {
        let first = days.first().map_or(today, |d| d.date);
        let since = first.and_time(chrono::NaiveTime::MIN).and_utc();
        for window in roster.maintenance.iter().filter(|m| m.end > since) {
            lines.extend(maintenance_event(roster, window, &stamp, &uid_suffix));
        }
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|line| fold(line)).collect()
}

/// The event of `day` in `feed` (none when nobody is on call, or in a personal feed, on a day
/// that was never the person's): its lines, unfolded.
fn event(roster: &Roster, feed: Feed, day: &Day, stamp: &str, uid_suffix: &str) -> Vec<String> {
    let Some(id) = day.engineer.as_deref() else {
        return Vec::new();
    };
    let (summary, cancelled) = match feed {
        Feed::Team => (format!("On call: {}", roster.name_of(id)), false),
        Feed::Engineer(me) if me == id => (format!("On call: {}", roster.name_of(id)), false),
        // Their day, taken by someone else: cancelled in their calendar.
        Feed::Engineer(me) if day.covering_for.as_deref() == Some(me) => (
            format!(
                "On call: {} (covered by {})",
                roster.name_of(me),
                roster.name_of(id)
            ),
            true,
        ),
        Feed::Engineer(_) => return Vec::new(),
    };
    // An override changed the day: a revision of the rotation's event.
    let sequence = u8::from(day.covering_for.is_some());
    let next = day
        .date
        .succ_opt()
        .expect("dates stay far from chrono's limits");
    vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}-{uid_suffix}@rota", day.date.format("%Y%m%d")),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART;VALUE=DATE:{}", day.date.format("%Y%m%d")),
        format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
        format!("SEQUENCE:{sequence}"),
        format!(
            "STATUS:{}",
            if cancelled { "CANCELLED" } else { "CONFIRMED" }
        ),
        format!("SUMMARY:{}", escape(&summary)),
        format!("DESCRIPTION:{}", escape(&description(roster, day, id))),
        "TRANSP:TRANSPARENT".to_string(),
        "END:VEVENT".to_string(),
    ]
}

/// A maintenance window: from its start to its end, in UTC. The UID holds the window's times
/// and a hash of its text and services, so a new export keeps it and two windows never share
/// one.
fn maintenance_event(
    roster: &Roster,
    window: &Maintenance,
    stamp: &str,
    uid_suffix: &str,
) -> Vec<String> {
    let utc = |time: DateTime<Utc>| time.format("%Y%m%dT%H%M%SZ").to_string();
    let affects = if window.affects.is_empty() {
        "not named".to_string()
    } else {
        window.affects.join(", ")
    };
    let description = format!(
        "{}\nAffects: {affects}\nAnnounced by {} (rota announce).",
        window.what, roster.team_name
    );
    vec![
        "BEGIN:VEVENT".to_string(),
        format!(
            "UID:maintenance-{}-{}-{:016x}-{uid_suffix}@rota",
            utc(window.start),
            utc(window.end),
            rota_core::hash::fnv1a(
                format!("{}\n{}", window.what, window.affects.join("\n")).as_bytes()
            )
        ),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART:{}", utc(window.start)),
        format!("DTEND:{}", utc(window.end)),
        "SEQUENCE:0".to_string(),
        "STATUS:CONFIRMED".to_string(),
        format!(
            "SUMMARY:{}",
            escape(&format!("Maintenance: {}", window.what))
        ),
        format!("DESCRIPTION:{}", escape(&description)),
        "TRANSP:TRANSPARENT".to_string(),
        "END:VEVENT".to_string(),
    ]
}

/// Who, why, and how to reach them.
fn description(roster: &Roster, day: &Day, id: &str) -> String {
    let mut text = format!(
        "{} ({id}) is on call for {}: {}.",
        roster.name_of(id),
        roster.team_name,
        day.detail(roster)
    );
    if let Some(e) = roster.engineer(id) {
        for (label, value) in [("Email", &e.email), ("Chat", &e.chat), ("Phone", &e.phone)] {
            if let Some(value) = value {
                text += &format!("\n{label}: {value}");
            }
        }
    }
    text
}

fn slug(team: &str) -> String {
    team.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// TEXT escaping: backslash, semicolon, comma and newline.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded into lines of at most 75 octets (continuations start with a
/// space), never inside a UTF-8 character, each ending in CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let folded = fold(&format!("SUMMARY:{}", "é".repeat(60)));
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(60))
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
