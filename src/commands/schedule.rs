//! `rota schedule`: the days from a date as a table, JSON or iCalendar. Every row is a day of
//! the one timeline: the log's for past days, the projection (the code handovers run) ahead.

use chrono::{Duration, NaiveDate};

use super::output::{self, DayView};
use super::{Context, known_engineer};
use crate::calendar::show_day;
use crate::cli::ScheduleArgs;
use crate::error::Result;
use crate::ics;
use crate::roster::Roster;
use crate::timeline::{Day, Status, Timeline};

pub fn run(context: &Context, args: &ScheduleArgs) -> Result<String> {
    let snapshot = context.snapshot()?;
    let workspace = &snapshot.workspace;
    let roster = &workspace.roster;
    let today = snapshot.today;
    // A calendar feed also keeps the recent past, so calendar apps keep what happened.
    let from = match (args.from, args.ics) {
        (Some(from), _) => from,
        (None, true) => today - Duration::days(i64::from(args.past)),
        (None, false) => today,
    };
    for day in [Some(from), args.until].into_iter().flatten() {
        super::within_reach(today, day)?;
    }
    if let Some(id) = &args.engineer {
        known_engineer(roster, id)?;
    }
    let (state, history) = (snapshot.state(), snapshot.history_from(from)?);
    let timeline = Timeline::new(roster, state, &history, today);
    let days = window(&timeline, from, today, args);
    for gap in days
        .iter()
        .filter(|d| d.status == Status::Gap && d.date >= today)
    {
        context.ui.warn(
            &format!(
                "no one is available on {}: nobody is on call that day",
                show_day(gap.date)
            ),
            Some("ask someone to cover it: rota cover DATE ID"),
        );
    }
    if args.ics {
        let feed = match &args.engineer {
            Some(id) => ics::Feed::Engineer(id),
            None => ics::Feed::Team,
        };
        return Ok(ics::calendar(roster, feed, &days, today));
    }
    if args.json {
        let rows: Vec<DayView> = days
            .iter()
            .filter(|d| d.status.is_working() && mine(args, d))
            .map(|d| DayView::of(roster, d))
            .collect();
        return Ok(output::json(&rows));
    }
    Ok(context.ui.table(
        &["Date", "Day", "On call", "Why"],
        &rows(roster, &days, args),
    ))
}

/// Whether `--engineer` (if given) is on call on `day`.
fn mine(args: &ScheduleArgs, day: &Day) -> bool {
    args.engineer
        .as_ref()
        .is_none_or(|id| day.engineer.as_ref() == Some(id))
}

/// The table's rows: one per working day, and one per stretch of days off before a day
/// shown (for the whole team).
fn rows(roster: &Roster, days: &[Day], args: &ScheduleArgs) -> Vec<[String; 4]> {
    let mut rows: Vec<[String; 4]> = Vec::new();
    let mut off: Vec<&Day> = Vec::new();
    for day in days {
        if !day.status.is_working() {
            off.push(day);
            continue;
        }
        if !mine(args, day) {
            continue;
        }
        if args.engineer.is_none() {
            rows.extend(days_off(roster, &off));
        }
        off.clear();
        let who = match day.engineer.as_deref() {
            Some(id) if roster.engineer(id).is_none() => format!("{id} (former)"),
            Some(id) => format!("{} ({id})", roster.name_of(id)),
            None => "—".to_string(),
        };
        rows.push([
            day.date.to_string(),
            day.date.format("%a").to_string(),
            who,
            if day.today {
                format!("today · {}", day.detail(roster))
            } else {
                day.detail(roster)
            },
        ]);
    }
    rows
}

/// The days to show: every calendar day from `from` up to `--until`, or up to the `--days`th
/// working day (each a row); days off that lead nowhere are left out.
fn window(timeline: &Timeline, from: NaiveDate, today: NaiveDate, args: &ScheduleArgs) -> Vec<Day> {
    // A feed's past window does not count against the days ahead.
    let counted_from = if args.ics && args.from.is_none() {
        today
    } else {
        from
    };
    timeline.window(from, counted_from, args.until, usize::from(args.days))
}

/// One row for a stretch of days off, if there is one.
fn days_off(roster: &Roster, off: &[&Day]) -> Option<[String; 4]> {
    let (first, last) = (off.first()?, off.last()?);
    let days = if first.date == last.date {
        first.date.format("%a").to_string()
    } else {
        format!("{}–{}", first.date.format("%a"), last.date.format("%a"))
    };
    // What the days are, in the order they come: `holiday, weekend`.
    let mut what: Vec<String> = Vec::new();
    for day in off {
        let label = day.detail(roster);
        if !what.contains(&label) {
            what.push(label);
        }
    }
    let what = what.join(", ");
    let today = if off.iter().any(|d| d.today) {
        "today · "
    } else {
        ""
    };
    Some([
        first.date.to_string(),
        days,
        "·".to_string(),
        format!("{today}{what}"),
    ])
}
