//! `rota away --import FILE.ics [--engineer ID]`: the busy all-day and multi-day events of a
//! calendar export, from today to a year ahead, as the engineer's absences, merged with those
//! there as `rota away` merges one (the same functions). `--undo` removes exactly the
//! absences the import adds; `--dry-run` shows what either would do.

use std::fmt::Write;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::away::{AN_ABSENCE, merge, overlapping, range, refuse_uncovered, span};
use super::{ChangeKind, Context, known_engineer, output, require_user};
use crate::cli::AwayArgs;
use crate::error::Result;
use crate::ics_import::{self, Expanded};
use crate::roster::{Absence, Engineer, Roster};
use crate::store;

/// What was not taken as an absence, by why.
#[derive(Debug, Default, Serialize)]
struct Skipped {
    /// Free (`TRANSP:TRANSPARENT`, busy status `FREE`) or cancelled.
    not_busy: usize,
    /// Timed events that leave the working hours of every day free (meetings).
    part_of_a_day: usize,
    /// Ended before today: the past is the log's.
    past: usize,
    /// No day between a year ago and a year ahead.
    outside: usize,
    /// Only on days the team does not work (weekends, holidays).
    no_working_day: usize,
    /// Recurrence rules rota does not expand.
    unsupported: usize,
}

impl Skipped {
    fn line(&self) -> Option<String> {
        output::skipped_line(&[
            (self.not_busy, "not busy"),
            (self.part_of_a_day, "part of a day"),
            (self.past, "in the past"),
            (self.outside, "outside the window"),
            (self.no_working_day, "on no working day"),
            (self.unsupported, "with a rule rota does not read"),
        ])
    }
}

/// Why an occurrence is not an absence.
#[derive(Debug, Clone, Copy)]
enum Why {
    NotBusy,
    PartOfADay,
    Past,
    Outside,
    NoWorkingDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Action {
    /// A new absence.
    Add,
    /// Merged with absences it overlaps or touches.
    Merge,
    /// Inside an absence already.
    Present,
    /// `--undo`: the absence the import added, removed.
    Remove,
    /// `--undo`: inside an absence that holds more than the import added.
    Keep,
    /// `--undo`: not among the engineer's absences.
    Absent,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Merge => "merge",
            Action::Present => "present",
            Action::Remove => "remove",
            Action::Keep => "keep",
            Action::Absent => "absent",
        }
    }

    fn changes(self) -> bool {
        matches!(self, Action::Add | Action::Merge | Action::Remove)
    }
}

#[derive(Debug, Clone, Serialize)]
struct Days {
    from: String,
    to: String,
}

impl Days {
    fn of(from: NaiveDate, to: NaiveDate) -> Days {
        Days {
            from: from.to_string(),
            to: to.to_string(),
        }
    }
}

/// One span of busy days and what the import does with it.
#[derive(Debug, Serialize)]
struct Step {
    from: String,
    to: String,
    action: Action,
    /// The absences it merges with (`merge`).
    merged_with: Vec<Days>,
    /// The absence that holds it afterwards (`merge`), or that holds more than it (`keep`).
    now: Option<Days>,
    #[serde(skip)]
    span: (NaiveDate, NaiveDate),
    #[serde(skip)]
    absence: Option<Absence>,
}

#[derive(Serialize)]
struct Imported {
    engineer: String,
    file: String,
    from: String,
    until: String,
    dry_run: bool,
    undo: bool,
    changed: bool,
    events: usize,
    absences: Vec<Step>,
    skipped: Skipped,
}

pub fn run(context: &Context, args: &AwayArgs, file: &Path) -> Result<String> {
    let workspace = context.ready_for_write(context.workspace()?)?;
    let id = match args.engineer.as_deref().or(args.id.as_deref()) {
        Some(id) => known_engineer(&workspace.roster, id)?.id.clone(),
        None => require_user(
            &workspace,
            &format!(
                "rota away --import {} --engineer ID",
                crate::safe::shell_quoted(&file.display().to_string())
            ),
        )?,
    };
    let today = context.today(&workspace);
    let (_, until) = ics_import::window(today);
    let calendar = ics_import::read(file)?;
    let engineer = known_engineer(&workspace.roster, &id)?;
    // A year back too, so that what ended before today is counted as past.
    let since = today - Duration::days(ics_import::WINDOW_DAYS);
    let zone = workspace.roster.timezone_of(engineer);
    let expanded = calendar.expand(file, since, until, zone)?;
    for (line, why) in &expanded.unsupported {
        context.ui.warn(
            &format!("{}:{line}: event not read: {why}", file.display()),
            Some(&format!(
                "add that absence by hand if it is one: rota away {id} FROM TO"
            )),
        );
    }
    // Decided under the lock, on the files as they are now.
    let mut transaction = context.begin(&workspace)?;
    let roster = &transaction.workspace().roster;
    let engineer = known_engineer(roster, &id)?;
    let (spans, skipped) = busy_spans(roster, engineer, &expanded, today, until);
    let steps = if args.undo {
        undo_steps(&engineer.away, &spans, args.reason.as_deref())
    } else {
        let steps = add_steps(&engineer.away, &spans, args.reason.as_deref());
        for step in steps.iter().filter(|s| s.action.changes()) {
            // The rules of `rota away`: no absence longer than rota takes, joined or not.
            if let Some(absence) = &step.absence {
                super::away::refuse_long(
                    &id,
                    absence.from,
                    absence.to,
                    !step.merged_with.is_empty(),
                )?;
            }
            refuse_uncovered(roster, transaction.state(), &id, step.span, AN_ABSENCE)?;
        }
        steps
    };
    let changed = !args.dry_run && steps.iter().any(|s| s.action.changes());
    if changed {
        transaction.edit_list(|doc| {
            for step in &steps {
                let (from, to) = step.span;
                match (step.action, &step.absence) {
                    (Action::Add, Some(absence)) => store::add_absence(doc, &id, absence)?,
                    (Action::Merge, Some(absence)) => {
                        let spans: Vec<(NaiveDate, NaiveDate)> = step
                            .merged_with
                            .iter()
                            .filter_map(|d| Some((d.from.parse().ok()?, d.to.parse().ok()?)))
                            .collect();
                        store::merge_absences(doc, &id, &spans, absence)?;
                    }
                    (Action::Remove, _) => {
                        store::remove_absence(doc, &id, from, to)?;
                    }
                    _ => {}
                }
            }
            Ok(())
        })?;
        let what = if args.undo { "taken back" } else { "added" };
        context.finish(
            transaction,
            ChangeKind::Other,
            format!(
                "rota: away {id}: absences from {} {what}",
                super::file_name(file)
            ),
        );
    }
    let imported = Imported {
        engineer: id,
        file: file.display().to_string(),
        from: today.to_string(),
        until: until.to_string(),
        dry_run: args.dry_run,
        undo: args.undo,
        changed,
        events: expanded.events,
        absences: steps,
        skipped,
    };
    imported.notes(context);
    if args.json {
        return Ok(output::json(&imported));
    }
    Ok(imported.text())
}

/// The engineer's busy days in `expanded`: each span of days an event keeps them from work,
/// in their zone and hours, that ends today or later (as an absence must), touches a working
/// day of the team and starts by `until`; those that overlap or touch joined into one.
fn busy_spans(
    roster: &Roster,
    engineer: &Engineer,
    expanded: &Expanded,
    today: NaiveDate,
    until: NaiveDate,
) -> (Vec<(NaiveDate, NaiveDate)>, Skipped) {
    let mut skipped = Skipped {
        not_busy: expanded.cancelled,
        outside: expanded.outside,
        unsupported: expanded.unsupported.len(),
        ..Skipped::default()
    };
    let zone = roster.timezone_of(engineer);
    let mut spans: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut tally = ics_import::Tally::default();
    for occurrence in &expanded.occurrences {
        let line = occurrence.line;
        if occurrence.free {
            tally.skip(line, Why::NotBusy);
            continue;
        }
        let Some((first, last)) = occurrence.span.busy_days(zone, engineer.working_hours) else {
            tally.skip(line, Why::PartOfADay);
            continue;
        };
        let absence = Absence {
            from: first,
            to: last,
            reason: None,
        };
        if absence.ended_before(today) {
            tally.skip(line, Why::Past);
            continue;
        }
        if first > until {
            tally.skip(line, Why::Outside);
            continue;
        }
        let mut days = first.iter_days().take_while(|d| *d <= last);
        if !days.any(|d| roster.calendar.is_working_day(d)) {
            tally.skip(line, Why::NoWorkingDay);
            continue;
        }
        tally.take(line);
        spans.push((first, last));
    }
    for why in tally.skipped() {
        *match why {
            Why::NotBusy => &mut skipped.not_busy,
            Why::PartOfADay => &mut skipped.part_of_a_day,
            Why::Past => &mut skipped.past,
            Why::Outside => &mut skipped.outside,
            Why::NoWorkingDay => &mut skipped.no_working_day,
        } += 1;
    }
    spans.sort();
    let mut joined: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (first, last) in spans {
        match joined.last_mut() {
            Some((_, end)) if first <= *end + Duration::days(1) => *end = (*end).max(last),
            _ => joined.push((first, last)),
        }
    }
    (joined, skipped)
}

/// Each span added as `rota away` adds one, in turn, to the absences as they become.
fn add_steps(
    existing: &[Absence],
    spans: &[(NaiveDate, NaiveDate)],
    reason: Option<&str>,
) -> Vec<Step> {
    let mut absences = existing.to_vec();
    let mut steps = Vec::new();
    for &(from, to) in spans {
        let merged: Vec<Absence> = overlapping(&absences, from, to)
            .into_iter()
            .cloned()
            .collect();
        let refs: Vec<&Absence> = merged.iter().collect();
        let absence = merge(&refs, from, to, reason);
        let action = match merged.as_slice() {
            [only] if *only == absence => Action::Present,
            [] => Action::Add,
            _ => Action::Merge,
        };
        match action {
            Action::Add => absences.push(absence.clone()),
            Action::Merge => {
                // As the list's edit does: the first merged takes its place, the rest go.
                let first = absences
                    .iter()
                    .position(|a| merged.contains(a))
                    .expect("merged from these absences");
                absences[first] = absence.clone();
                let mut i = 0;
                absences.retain(|a| {
                    i += 1;
                    i - 1 == first || !merged.contains(a)
                });
            }
            _ => {}
        }
        steps.push(Step {
            from: from.to_string(),
            to: to.to_string(),
            action,
            merged_with: if action == Action::Merge {
                merged.iter().map(|a| Days::of(a.from, a.to)).collect()
            } else {
                Vec::new()
            },
            now: (action == Action::Merge).then(|| Days::of(absence.from, absence.to)),
            span: (from, to),
            absence: Some(absence),
        });
    }
    steps
}

/// `--undo`: each span the import adds, removed where it is an absence of its own with the
/// reason the import gives (none, or `--reason`): an absence of those days written by hand
/// with its own reason, which the import found present and left alone, is kept.
fn undo_steps(
    existing: &[Absence],
    spans: &[(NaiveDate, NaiveDate)],
    reason: Option<&str>,
) -> Vec<Step> {
    spans
        .iter()
        .map(|&(from, to)| {
            let exact = existing
                .iter()
                .any(|a| a.from == from && a.to == to && a.reason.as_deref() == reason);
            let holder = existing.iter().find(|a| a.from <= to && from <= a.to);
            let (action, now) = match (exact, holder) {
                (true, _) => (Action::Remove, None),
                (false, Some(a)) => (Action::Keep, Some(Days::of(a.from, a.to))),
                (false, None) => (Action::Absent, None),
            };
            Step {
                from: from.to_string(),
                to: to.to_string(),
                action,
                merged_with: Vec::new(),
                now,
                span: (from, to),
                absence: None,
            }
        })
        .collect()
}

impl Imported {
    fn text(&self) -> String {
        let mut out = format!(
            "Busy days in {} for {}, {} to {}:\n",
            self.file, self.engineer, self.from, self.until
        );
        if self.absences.is_empty() {
            out += "  none on a working day of the team\n";
        }
        for step in &self.absences {
            let (from, to) = step.span;
            let why = match (step.action, &step.now) {
                (Action::Merge, Some(now)) => {
                    let with: Vec<String> = step
                        .merged_with
                        .iter()
                        .map(|d| days(d).unwrap_or_default())
                        .collect();
                    format!(
                        "  with {}: now {}",
                        with.join(" and "),
                        days(now).unwrap_or_default()
                    )
                }
                (Action::Keep, Some(now)) => format!(
                    "  inside {}, which holds more than the import adds",
                    days(now).unwrap_or_default()
                ),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {:<8} {}{why}", step.action.as_str(), span(from, to));
        }
        if let Some(line) = self.skipped.line() {
            out += &line;
        }
        out
    }

    /// What was written (or would be) and what it means, on stderr.
    fn notes(&self, context: &Context) {
        let count = |action: Action| self.absences.iter().filter(|s| s.action == action).count();
        let absences = |n: usize| format!("{n} absence{}", if n == 1 { "" } else { "s" });
        let id = &self.engineer;
        let (added, merged, removed) = (
            count(Action::Add),
            count(Action::Merge),
            count(Action::Remove),
        );
        // What the import does, as `(would, did)`.
        let did = if self.undo {
            (removed > 0).then(|| {
                let what = format!("{} of {id}", absences(removed));
                (format!("remove {what}"), format!("removed {what}"))
            })
        } else {
            let what = match (added, merged) {
                (0, 0) => None,
                (a, 0) => Some((format!("add {} of {id}", absences(a)), String::new())),
                (0, m) => Some((String::new(), format!("merge {} into {id}'s", absences(m)))),
                (a, m) => Some((format!("add {} of {id}", absences(a)), format!("merge {m}"))),
            };
            what.map(|(add, merge)| {
                let join = |add: String, merge: String| match (add.is_empty(), merge.is_empty()) {
                    (false, false) => format!("{add} and {merge}"),
                    (true, _) => merge,
                    (_, true) => add,
                };
                let past = |text: &str, verb: &str, done: &str| {
                    text.strip_prefix(verb)
                        .map(|rest| format!("{done}{rest}"))
                        .unwrap_or_default()
                };
                (
                    join(add.clone(), merge.clone()),
                    join(past(&add, "add", "added"), past(&merge, "merge", "merged")),
                )
            })
        };
        match did {
            None if self.undo => context.ui.note(&format!(
                "nothing changed: {id} has none of the absences {} adds",
                self.file
            )),
            None => context.ui.note(&format!(
                "nothing changed: {id}'s absences hold every busy day of {} already",
                self.file
            )),
            Some((would, _)) if self.dry_run => context
                .ui
                .note(&format!("dry run: would {would}; nothing was written")),
            Some((_, done)) if self.undo => context.ui.note(&done),
            Some((_, done)) => context
                .ui
                .note(&format!("{done}; they keep their turn and serve when back")),
        }
        if let Some(kept) = self.absences.iter().find(|s| s.action == Action::Keep) {
            let now = kept.now.as_ref().expect("a kept span names its absence");
            context.ui.note(&format!(
                "kept {}: merged with days added otherwise; `rota away {id} {} {} --undo` removes it whole",
                days(now).unwrap_or_default(),
                now.from,
                now.to
            ));
        }
    }
}

/// `2026-11-30` or `2026-11-30..2026-12-05`.
fn days(d: &Days) -> Option<String> {
    Some(range(d.from.parse().ok()?, d.to.parse().ok()?))
}
