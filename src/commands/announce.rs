//! `rota announce START END --what TEXT --affects SERVICE`: record a maintenance window in the
//! list and print the announcement to send, with its timeline. `--undo START` removes one.
//!
//! A window is announced ahead: it starts now or later (one already under way or over is
//! refused: the message would come too late), ends after it starts, at most
//! [`MAX_WINDOW_DAYS`] later, and its text is one line of plain text within the list's bounds.

use std::fmt::Write;

use chrono::{DateTime, Duration, Timelike, Utc};

use super::{ChangeKind, Context, output};
use crate::cli::AnnounceArgs;
use crate::error::{Error, Result};
use crate::maintenance::{self, Announcement, NOTICE_DAYS};
use crate::roster::{
    MAX_AFFECTS, MAX_MAINTENANCE, MAX_SERVICE, MAX_WHAT, MAX_WINDOW_DAYS, Maintenance, parse_utc,
};
use crate::store;

pub fn run(context: &Context, args: &AnnounceArgs) -> Result<String> {
    if args.undo {
        return undo(context, args);
    }
    let window = window(args, context.now)?;
    // Decided under the lock, on the list as it is now.
    let mut transaction = context.transaction()?;
    let workspace = transaction.workspace();
    let roster = &workspace.roster;
    let announcement = maintenance::announce(
        &window,
        &roster.team_name,
        roster.calendar.timezone,
        context.now,
    );
    if let Some(other) = roster.maintenance.iter().find(|w| {
        (w.start, w.end, &w.what) == (window.start, window.end, &window.what) && **w != window
    }) {
        return Err(Error::refused(format!(
            "this window is in {} already, affecting {}",
            super::file_name(&workspace.list_path),
            if other.affects.is_empty() {
                "no service named".to_string()
            } else {
                other.affects.join(", ")
            }
        ))
        .hint(format!(
            "to change its services, take it back (`rota announce --undo \"{}\"`) and announce it again; nothing was written",
            window.start.format("%Y-%m-%d %H:%M")
        )));
    }
    if roster.maintenance.contains(&window) {
        context.ui.note(&format!(
            "this window is in {} already: nothing written",
            super::file_name(&workspace.list_path)
        ));
    } else {
        if roster.maintenance.len() >= MAX_MAINTENANCE {
            return Err(Error::refused(format!(
                "the list holds {MAX_MAINTENANCE} maintenance windows, the most rota reads"
            ))
            .hint(match roster.maintenance.iter().find(|m| m.end <= context.now) {
                Some(over) => format!(
                    "remove windows that are over (`rota check` names them), e.g. {}; nothing was written",
                    undo_command(over, false)
                ),
                None => "remove a window with rota announce --undo START; nothing was written".to_string(),
            }));
        }
        transaction.edit_list(|doc| store::add_maintenance(doc, &window))?;
        let workspace = context.finish(
            transaction,
            ChangeKind::Other,
            format!("rota: announce maintenance {}", announcement.window_utc),
        );
        // After the write: a hook that fails does not undo the announcement.
        context.hook(&workspace, "announce", &announcement);
        context.ui.note(&format!(
            "recorded in {}; `rota announce --undo \"{}\"` takes it back",
            super::file_name(&workspace.list_path),
            window.start.format("%Y-%m-%d %H:%M")
        ));
    }
    if announcement.short_notice {
        context.ui.warn(
            &format!(
                "the window starts in less than {NOTICE_DAYS} days ({}): users expect a week's notice",
                window.start.format("%Y-%m-%d %H:%M UTC")
            ),
            Some(&format!(
                "send the announcement now; a window starting {} or later would give a week",
                (context.now + Duration::days(NOTICE_DAYS)).format("%Y-%m-%d %H:%M UTC")
            )),
        );
    }
    if args.json {
        return Ok(output::json(&announcement));
    }
    Ok(text(&announcement))
}

/// The message to send, then when to send what.
fn text(announcement: &Announcement) -> String {
    let timeline = &announcement.timeline;
    let at = |rfc3339: &str| {
        rfc3339
            .parse::<DateTime<Utc>>()
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    };
    let when = if announcement.short_notice {
        format!("now ({})", timeline.announce_on)
    } else {
        timeline.announce_on.clone()
    };
    let mut out = format!(
        "Subject: {}\n\n{}\nTimeline:\n",
        announcement.subject, announcement.body
    );
    let _ = writeln!(
        out,
        "  {when:<20}  send the announcement above{}",
        if announcement.short_notice {
            ""
        } else {
            " (a week before)"
        }
    );
    let _ = writeln!(
        out,
        "  {:<20}  remind: \"{}\"",
        at(&timeline.remind_at),
        timeline.reminder
    );
    let _ = writeln!(
        out,
        "  {:<20}  when done: \"{}\"",
        at(&timeline.done_at),
        timeline.done
    );
    out
}

/// The command line given, with START and END the other way round.
fn reversed(args: &AnnounceArgs) -> String {
    use crate::safe::shell_quoted;
    let mut command = format!(
        "rota announce {} {}",
        shell_quoted(args.end.as_deref().unwrap_or_default()),
        shell_quoted(&args.start)
    );
    if let Some(what) = &args.what {
        command += &format!(" --what {}", shell_quoted(what));
    }
    for service in &args.affects {
        command += &format!(" --affects {}", shell_quoted(service));
    }
    command
}

/// The window the command line describes, checked as the list's rules and the clock ask.
fn window(args: &AnnounceArgs, now: DateTime<Utc>) -> Result<Maintenance> {
    let start = instant("START", &args.start)?;
    let end = instant("END", args.end.as_deref().unwrap_or_default())?;
    let shown = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let problem = crate::roster::window_problem(start, end);
    if problem == Some(crate::roster::WindowProblem::EndsFirst) {
        return Err(Error::usage(format!(
            "the window ends ({}) before it starts ({})",
            shown(end),
            shown(start)
        ))
        .hint(format!("give the start, then the end: {}", reversed(args))));
    }
    if problem == Some(crate::roster::WindowProblem::TooLong) {
        return Err(Error::usage(format!(
            "the window lasts {} days, more than {MAX_WINDOW_DAYS}",
            (end - start).num_days()
        ))
        .hint("announce each stretch of the work as a window of its own"));
    }
    if start < now {
        return Err(Error::usage(format!(
            "the window starts {}, before now ({}): an announcement is for what is coming",
            shown(start),
            shown(now)
        ))
        .hint("give a start from now on, in UTC"));
    }
    let what = one_line("--what", args.what.as_deref().unwrap_or_default(), MAX_WHAT)?;
    if args.affects.len() > MAX_AFFECTS {
        return Err(Error::usage(format!(
            "{} services named with --affects, more than {MAX_AFFECTS}",
            args.affects.len()
        ))
        .hint("name the services users know; group the rest"));
    }
    let affects = args
        .affects
        .iter()
        .map(|service| one_line("--affects", service, MAX_SERVICE))
        .collect::<Result<Vec<_>>>()?;
    Ok(Maintenance {
        start,
        end,
        what,
        affects,
    })
}

/// A time given on the command line, in UTC to the minute.
fn instant(name: &str, text: &str) -> Result<DateTime<Utc>> {
    let time = parse_utc(text).ok_or_else(|| {
        Error::usage(format!("{name} {text:?} is not a time"))
            .hint("write it in UTC as \"YYYY-MM-DD HH:MM\" (\"2026-12-10 22:00\"), or in RFC 3339 with its offset (2026-12-10T23:00:00+01:00)")
    })?;
    if !crate::calendar::in_range(time.date_naive()) {
        return Err(Error::usage(format!("{name} {text:?} is out of range"))
            .hint(crate::calendar::RANGE_HINT));
    }
    if time.second() != 0 || time.nanosecond() != 0 {
        return Err(
            Error::usage(format!("{name} {text:?} is not on a whole minute"))
                .hint("maintenance windows are given to the minute: leave out the seconds"),
        );
    }
    Ok(time)
}

/// `text` trimmed: one line of plain text, 1 to `max` characters.
fn one_line(flag: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.chars().any(crate::safe::is_unsafe_char) {
        return Err(Error::usage(format!(
            "{flag} {text:?} holds a line break or a control character, which could forge a line or drive a terminal"
        ))
        .hint("write it as one line of plain text"));
    }
    let length = text.chars().count();
    if !crate::roster::window_text_fits(text, max) {
        return Err(Error::usage(format!(
            "{flag} is {length} characters long: it takes 1 to {max}"
        ))
        .hint("say it in one line; details belong in a linked ticket"));
    }
    Ok(text.to_string())
}

/// `rota announce --undo START [END] [--what TEXT]`: removes the one window that matches.
fn undo(context: &Context, args: &AnnounceArgs) -> Result<String> {
    let start = parse_utc(&args.start).ok_or_else(|| {
        Error::usage(format!("START {:?} is not a time", args.start))
            .hint("give the window's start as it was announced, e.g. \"2026-12-10 22:00\" (UTC)")
    })?;
    let end = args
        .end
        .as_deref()
        .map(|text| {
            parse_utc(text).ok_or_else(|| {
                Error::usage(format!("END {text:?} is not a time")).hint(
                    "give the window's end as it was announced, e.g. \"2026-12-10 23:30\" (UTC)",
                )
            })
        })
        .transpose()?;
    let what = args.what.as_deref().map(str::trim);
    let mut transaction = context.transaction()?;
    let (index, window) = the_window(
        &transaction.workspace().roster.maintenance,
        start,
        end,
        what,
    )?;
    transaction.edit_list(|doc| store::remove_maintenance(doc, index, window.start))?;
    let shown = maintenance::utc_window(&window);
    context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: maintenance {shown} taken back"),
    );
    context.ui.note(&format!(
        "removed the maintenance window {shown} ({})",
        window.what
    ));
    Ok(String::new())
}

/// Windows as a hint lists them: `2026-12-10 22:00–23:30 UTC (Database failover)`, at most
/// ten, then how many more.
fn listed<'a>(windows: impl ExactSizeIterator<Item = &'a Maintenance>) -> String {
    let total = windows.len();
    let mut shown: Vec<String> = windows
        .take(10)
        .map(|m| format!("{} ({})", maintenance::utc_window(m), m.what))
        .collect();
    if total > shown.len() {
        shown.push(format!("and {} more", total - shown.len()));
    }
    shown.join("; ")
}

/// The command that takes back `window`: by its start and end, or by its start and text.
fn undo_command(window: &Maintenance, by_text: bool) -> String {
    let at = |t: DateTime<Utc>| t.format("\"%Y-%m-%d %H:%M\"").to_string();
    if by_text {
        format!(
            "rota announce --undo {} --what {}",
            at(window.start),
            crate::safe::shell_quoted(&window.what)
        )
    } else {
        format!(
            "rota announce --undo {} {}",
            at(window.start),
            at(window.end)
        )
    }
}

/// The one window `--undo` names: starting at `start`, and ending at `end` and saying `what`
/// when given; with its index in the list. None, or several, is an error that lists them.
fn the_window(
    windows: &[Maintenance],
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    what: Option<&str>,
) -> Result<(usize, Maintenance)> {
    let matching: Vec<(usize, &Maintenance)> = windows
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            m.start == start && end.is_none_or(|e| m.end == e) && what.is_none_or(|w| m.what == w)
        })
        .collect();
    match matching.as_slice() {
        [one] => Ok((one.0, one.1.clone())),
        [] => {
            let mut error = Error::not_found(format!(
                "no maintenance window starts at {}{}",
                start.format("%Y-%m-%d %H:%M UTC"),
                if end.is_some() || what.is_some() {
                    " with the END or --what given"
                } else {
                    ""
                }
            ));
            error = if windows.is_empty() {
                error.hint("the list has no maintenance windows")
            } else {
                error.hint(format!("the list has: {}", listed(windows.iter())))
            };
            Err(error)
        }
        several => {
            let ends_differ = several
                .iter()
                .all(|(_, a)| several.iter().filter(|(_, b)| b.end == a.end).count() == 1);
            let first = several[0].1;
            let pick = if ends_differ {
                format!(
                    "name one by its end too, e.g. {}",
                    undo_command(first, false)
                )
            } else {
                format!(
                    "name one by its text too, e.g. {}",
                    undo_command(first, true)
                )
            };
            Err(Error::usage(format!(
                "{} maintenance windows start at {}: {}",
                several.len(),
                start.format("%Y-%m-%d %H:%M UTC"),
                listed(several.iter().map(|(_, m)| *m))
            ))
            .hint(pick))
        }
    }
}
