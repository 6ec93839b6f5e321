//! `rota check`: validate both files for CI and pre-commit hooks. Problems are printed as
//! `file:line: error: message`; warnings fail only with `--strict`.

use std::fmt::Write;
use std::io::{BufRead, BufReader};
use std::path::Path;

use chrono::{Duration, NaiveDate};

use super::Context;
use crate::calendar::show_day;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::logbook::{day_heading_date, is_conflict_marker};
use crate::rotation;
use crate::store::{self, Workspace};

#[derive(Default)]
struct Report {
    lines: Vec<String>,
    errors: usize,
    warnings: usize,
}

impl Report {
    fn error(&mut self, path: &Path, line: usize, message: impl AsRef<str>) {
        self.errors += 1;
        self.lines.push(format!(
            "{}:{line}: error: {}",
            path.display(),
            message.as_ref()
        ));
    }

    fn warning(&mut self, path: &Path, line: usize, message: impl AsRef<str>) {
        self.warnings += 1;
        self.lines.push(format!(
            "{}:{line}: warning: {}",
            path.display(),
            message.as_ref()
        ));
    }
}

pub fn run(context: &Context, args: &CheckArgs) -> Result<String> {
    let list_path = store::find_list(context.dir.as_deref())?;
    let mut report = Report::default();
    let workspace = match Workspace::read(list_path.clone()) {
        Ok(workspace) => Some(workspace),
        Err(error) => {
            let line = error.location().map_or(1, |l| l.line);
            let hint = error
                .hints()
                .first()
                .map(|h| format!(" (hint: {h})"))
                .unwrap_or_default();
            report.error(&list_path, line, format!("{}{hint}", error.summary()));
            None
        }
    };
    if let Some(workspace) = &workspace {
        check_list(context, workspace, &mut report);
        check_log(&workspace.log_path, &mut report)?;
    }
    let mut out = String::new();
    for line in &report.lines {
        let _ = writeln!(out, "{line}");
    }
    let failed = report.errors > 0 || (args.strict && report.warnings > 0);
    let summary = format!(
        "{} error{}, {} warning{}",
        report.errors,
        if report.errors == 1 { "" } else { "s" },
        report.warnings,
        if report.warnings == 1 { "" } else { "s" }
    );
    if failed {
        super::print(&out)?;
        return Err(Error::new(format!("check failed: {summary}"))
            .hint("fix the lines above; `rota check --strict` also fails on warnings"));
    }
    context.ui.note(&format!("check passed: {summary}"));
    Ok(out)
}

/// Rules that need the whole roster: overrides, absences, and the days ahead.
fn check_list(context: &Context, workspace: &Workspace, report: &mut Report) {
    let roster = &workspace.roster;
    let path = &workspace.list_path;
    let line_of = |needle: &str| {
        workspace
            .text
            .lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i + 1)
    };
    for notice in &roster.notices {
        report.warning(
            path,
            line_of("order"),
            format!("{notice} (any rota command saves this)"),
        );
    }
    for o in &roster.overrides {
        let line = line_of(&format!("date = {}", o.date));
        if !roster.calendar.is_working_day(o.date) {
            report.error(
                path,
                line,
                format!(
                    "override on {}, which is not a working day",
                    show_day(o.date)
                ),
            );
        }
        if !roster.is_available(&o.engineer, o.date) {
            report.error(
                path,
                line,
                format!(
                    "override puts {} on call {} while away",
                    o.engineer,
                    show_day(o.date)
                ),
            );
        }
    }
    let today = roster.calendar.today(context.now);
    // Whether a day has anyone available does not depend on the order, so a team with no
    // rotation yet is checked against a provisional one.
    let state = match &roster.rotation {
        Some(state) => state.clone(),
        None => {
            report.warning(
                path,
                1,
                "no [rotation] table yet: the first rota command starts round 1",
            );
            rotation::first_turn(roster, 0, today).state
        }
    };
    let state = &state;
    if let Some(length) = crate::logbook::interrupted_append(&workspace.log_path) {
        report.warning(
            &workspace.log_path,
            1,
            format!("an append was interrupted: what follows byte {length} is incomplete; the next rota write removes it"),
        );
    }
    if let Ok(tail) = crate::logbook::read_tail(&workspace.log_path)
        && let Some(last) = tail.last_handover().filter(|last| last.interrupted(state))
    {
        report.warning(
            &workspace.log_path,
            1,
            format!(
                "the last handover record ({} → {}) already covers {}, but [rotation] still has {} on it: a handover stopped before saving the rotation; run `rota handover` to complete it",
                last.from, last.to, show_day(state.day), state.on_call
            ),
        );
    }
    let horizon = today + Duration::days(30);
    for slot in rotation::schedule(roster, state, today).take_while(|s| s.day <= horizon) {
        if slot.engineer.is_none() {
            report.warning(
                path,
                line_of("away"),
                format!("no one is available on {}", show_day(slot.day)),
            );
        }
    }
}

/// The log's structure: day headings in order, handover records well formed, no conflict
/// markers. Text written by hand between rota's sections is fine.
fn check_log(path: &Path, report: &mut Report) -> Result<()> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    let mut last_day: Option<NaiveDate> = None;
    // A handover record expects its Served and Next lines before the next heading.
    let mut open_record: Option<(usize, bool, bool)> = None;
    let close = |record: Option<(usize, bool, bool)>, report: &mut Report| {
        if let Some((line, served, next)) = record
            && !(served && next)
        {
            report.error(
                path,
                line,
                "handover record without its `- Served:` and `- Next:` lines",
            );
        }
    };
    for (index, line) in BufReader::new(file).split(b'\n').enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| Error::io("read", path, &e))?;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches('\r');
        if is_conflict_marker(line) {
            report.error(
                path,
                number,
                "git conflict marker: resolve the merge (keep both sides' lines)",
            );
            continue;
        }
        if line.starts_with('#') {
            close(open_record.take(), report);
        }
        if let Some(day) = day_heading_date(line) {
            if last_day.is_some_and(|last| day < last) {
                report.error(
                    path,
                    number,
                    format!(
                        "day {day} comes after {}: the log must stay in order",
                        last_day.unwrap_or(day)
                    ),
                );
            }
            last_day = Some(last_day.map_or(day, |last| last.max(day)));
        } else if let Some(rest) = line.strip_prefix("### Handover ") {
            let well_formed = rest.split_once(" UTC: ").is_some_and(|(time, who)| {
                chrono::NaiveTime::parse_from_str(time, "%H:%M").is_ok()
                    && who.split_once(" → ").is_some()
            });
            if !well_formed {
                report.error(
                    path,
                    number,
                    "handover heading should read `### Handover HH:MM UTC: FROM → TO`",
                );
            }
            open_record = Some((number, false, false));
        } else if let Some(record) = &mut open_record {
            record.1 |= line.starts_with("- Served: ");
            record.2 |= line.starts_with("- Next: ");
        }
    }
    close(open_record, report);
    Ok(())
}
