//! `rota holidays import FILE.ics --region R`: a public-holiday calendar's all-day events,
//! from today to a year ahead, into the region's holidays in the list (`[regions.R]`).

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::{ChangeKind, Context, output};
use crate::calendar::show_day;
use crate::cli::{HolidaysArgs, HolidaysCommand, HolidaysImportArgs};
use crate::error::{Error, Result};
use crate::ics_import::{self, Span};
use crate::roster::{self, Roster};
use crate::store;

pub fn run(context: &Context, args: &HolidaysArgs) -> Result<String> {
    match &args.command {
        HolidaysCommand::Import(args) => import(context, args),
    }
}

/// What was skipped, by why.
#[derive(Debug, Default, Serialize)]
struct Skipped {
    cancelled: usize,
    /// Timed events: a public holiday is a whole day.
    not_all_day: usize,
    /// No day between today and a year ahead.
    outside: usize,
    /// Only on days the team does not work anyway (weekends, team-wide holidays).
    no_working_day: usize,
    /// Recurrence rules rota does not expand.
    unsupported: usize,
}

impl Skipped {
    fn line(&self) -> Option<String> {
        output::skipped_line(&[
            (self.cancelled, "cancelled"),
            (self.not_all_day, "not all-day"),
            (self.outside, "outside the window"),
            (self.no_working_day, "on days the team does not work"),
            (self.unsupported, "with a rule rota does not read"),
        ])
    }
}

/// Why an occurrence gives the region no holiday.
#[derive(Debug, Clone, Copy)]
enum Why {
    NotAllDay,
    Outside,
    NoWorkingDay,
}

/// One holiday of the calendar, in the window, on a working day of the team.
#[derive(Debug, Serialize)]
struct Holiday {
    date: String,
    name: Option<String>,
    /// New to the region (else it was there already).
    added: bool,
}

#[derive(Serialize)]
struct Imported {
    region: String,
    file: String,
    from: String,
    until: String,
    dry_run: bool,
    changed: bool,
    events: usize,
    holidays: Vec<Holiday>,
    skipped: Skipped,
}

fn import(context: &Context, args: &HolidaysImportArgs) -> Result<String> {
    let region = args.region.trim();
    if !roster::is_valid_id(region) {
        return Err(Error::usage(format!("{region:?} is not a valid region id"))
            .hint("use a short name of lowercase letters, digits, '-' or '_', like de or uk"));
    }
    let workspace = context.ready_for_write(context.workspace()?)?;
    let today = context.today(&workspace);
    let (from, until) = ics_import::window(today);
    let calendar = ics_import::read(&args.file)?;
    let expanded = calendar.expand(&args.file, from, until, workspace.roster.calendar.timezone)?;
    for (line, why) in &expanded.unsupported {
        context.ui.warn(
            &format!("{}:{line}: event not read: {why}", args.file.display()),
            Some("add that holiday by hand if it is one: [regions.ID] holidays"),
        );
    }
    // Decided under the lock, on the list as it is now.
    let mut transaction = context.begin(&workspace)?;
    let roster = &transaction.workspace().roster;
    let (found, skipped) = holidays_of(roster, &expanded, (from, until));
    let known = roster
        .regions
        .iter()
        .find(|r| r.id == region)
        .map(|r| r.holidays.clone());
    let holidays: Vec<Holiday> = found
        .iter()
        .map(|(day, name)| Holiday {
            date: day.to_string(),
            // As the list holds it: a calendar's text is not printed raw.
            name: name.as_deref().map(comment),
            added: !known.as_ref().is_some_and(|k| k.contains(day)),
        })
        .collect();
    let new: Vec<(NaiveDate, Option<String>)> = found
        .into_iter()
        .filter(|(day, _)| !known.as_ref().is_some_and(|k| k.contains(day)))
        .map(|(day, name)| (day, name.as_deref().map(comment)))
        .collect();
    for engineer in roster
        .engineers
        .iter()
        .filter(|e| e.region.as_deref() == Some(region))
    {
        for (day, _) in &new {
            super::away::refuse_uncovered(
                roster,
                transaction.state(),
                &engineer.id,
                (*day, *day),
                super::away::DaysOff {
                    a: &format!("a holiday in {region}"),
                    the: "the holidays",
                    then: "import again",
                },
            )?;
        }
    }
    let changed = !new.is_empty() && !args.dry_run;
    let workspace = if changed {
        transaction.edit_list(|doc| store::add_region_holidays(doc, region, &new))?;
        context.finish(
            transaction,
            ChangeKind::Other,
            format!(
                "rota: holidays of {region}: {} from {}",
                new.len(),
                super::file_name(&args.file)
            ),
        )
    } else {
        transaction.finish().workspace
    };
    let imported = Imported {
        region: region.to_string(),
        file: args.file.display().to_string(),
        from: from.to_string(),
        until: until.to_string(),
        dry_run: args.dry_run,
        changed,
        events: expanded.events,
        holidays,
        skipped,
    };
    say_what_changed(
        context,
        &workspace.roster,
        &imported,
        known.is_none(),
        new.len(),
    );
    if args.json {
        return Ok(output::json(&imported));
    }
    Ok(imported.text())
}

/// The holidays of `expanded` in `window`, on working days of the team, each day once (its
/// first name), in order; and what was skipped.
fn holidays_of(
    roster: &Roster,
    expanded: &ics_import::Expanded,
    (from, until): (NaiveDate, NaiveDate),
) -> (BTreeMap<NaiveDate, Option<String>>, Skipped) {
    let mut skipped = Skipped {
        cancelled: expanded.cancelled,
        outside: expanded.outside,
        unsupported: expanded.unsupported.len(),
        ..Skipped::default()
    };
    let mut found: BTreeMap<NaiveDate, Option<String>> = BTreeMap::new();
    let mut tally = ics_import::Tally::default();
    for occurrence in &expanded.occurrences {
        let line = occurrence.line;
        let Span::Days { first, last } = occurrence.span else {
            tally.skip(line, Why::NotAllDay);
            continue;
        };
        let days: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| *d <= last.min(until))
            .filter(|d| *d >= from)
            .collect();
        if days.is_empty() {
            tally.skip(line, Why::Outside);
            continue;
        }
        let working: Vec<NaiveDate> = days
            .into_iter()
            .filter(|d| roster.calendar.is_working_day(*d))
            .collect();
        if working.is_empty() {
            tally.skip(line, Why::NoWorkingDay);
            continue;
        }
        tally.take(line);
        for day in working {
            found
                .entry(day)
                .or_insert_with(|| occurrence.summary.clone());
        }
    }
    for why in tally.skipped() {
        *match why {
            Why::NotAllDay => &mut skipped.not_all_day,
            Why::Outside => &mut skipped.outside,
            Why::NoWorkingDay => &mut skipped.no_working_day,
        } += 1;
    }
    (found, skipped)
}

/// A holiday's name as the comment after its date: one line of plain text, at most 60
/// characters.
fn comment(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_whitespace() || crate::safe::is_unsafe_char(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    let text = words.join(" ");
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text,
    }
}

/// The notes on stderr: what was written (or would be), and what the region still needs.
fn say_what_changed(
    context: &Context,
    roster: &Roster,
    imported: &Imported,
    created: bool,
    new: usize,
) {
    let region = &imported.region;
    let days = |n: usize| format!("{n} holiday{}", if n == 1 { "" } else { "s" });
    if new == 0 {
        context.ui.note(&format!(
            "nothing changed: region {region} has every holiday of {} already",
            imported.file
        ));
        return;
    }
    let table = if created {
        format!(" (a new [regions.{region}] table)")
    } else {
        String::new()
    };
    if imported.dry_run {
        context.ui.note(&format!(
            "dry run: would add {} to region {region}{table}; nothing was written",
            days(new)
        ));
    } else {
        context
            .ui
            .note(&format!("added {} to region {region}{table}", days(new)));
    }
    if !roster
        .engineers
        .iter()
        .any(|e| e.region.as_deref() == Some(region))
    {
        context.ui.note(&format!(
            "no engineer is in region {region} yet: add `region = \"{region}\"` to their [[engineer]] tables"
        ));
    }
}

impl Imported {
    fn text(&self) -> String {
        let mut out = format!(
            "Holidays of region {} in {}, {} to {}:\n",
            self.region, self.file, self.from, self.until
        );
        if self.holidays.is_empty() {
            out += "  none on a working day of the team\n";
        }
        for holiday in &self.holidays {
            let date: NaiveDate = holiday.date.parse().expect("written from a date");
            let _ = writeln!(
                out,
                "  {:<8} {}{}",
                if holiday.added { "add" } else { "present" },
                show_day(date),
                holiday
                    .name
                    .as_deref()
                    .map(|n| format!("  {}", crate::safe::printable(&comment(n))))
                    .unwrap_or_default()
            );
        }
        if let Some(line) = self.skipped.line() {
            out += &line;
        }
        out
    }
}
