//! `rota check`: validate both files for CI and pre-commit hooks. Problems are printed as
//! `file:line: error: message` (or as JSON, or as a forge's annotations: see `forge`);
//! warnings fail only with `--strict`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::Context;
use crate::appends;
use crate::calendar::show_day;
use crate::cli::{CheckArgs, CheckFormat};
use crate::conflict::is_conflict_marker;
use crate::error::{Error, ErrorKind, Result};
use crate::history::{self, History};
use crate::logbook;
use crate::logformat::{self, Blocks, HANDOVER, Seen, day_heading_date};
use crate::roster::Override;
use crate::rotation;
use crate::store::{self, Workspace};
use crate::timeline::Timeline;
use crate::whole_log;

/// What check found: each problem (or note) with its place, for text and for `--json`.
#[derive(Default)]
struct Report {
    findings: Vec<Finding>,
    /// Hints printed on a line of their own after the finding they follow (text only).
    hint_lines: Vec<(usize, String)>,
    errors: usize,
    warnings: usize,
    /// Something `--fix` can settle was found.
    fixable: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Error,
    Warning,
    Note,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Warning => "warning",
            Kind::Note => "note",
        }
    }
}

struct Finding {
    kind: Kind,
    path: PathBuf,
    /// `None` when the problem concerns the whole file (shown as line 1 in text).
    line: Option<usize>,
    /// Where a syntax error lies, when rota knows: its column, and the line with a caret
    /// under it, as every other command shows it.
    place: Option<crate::error::Location>,
    message: String,
    hint: Option<String>,
    /// The hint is said on its own line (once for several findings), not after the message.
    hint_on_own_line: bool,
}

/// `check --json`: whether check passed, the counts, and each finding.
#[derive(Serialize)]
struct ReportJson<'a> {
    passed: bool,
    errors: usize,
    warnings: usize,
    problems: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    kind: &'static str,
    file: String,
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
}

impl Finding {
    fn text(&self) -> String {
        let hint = self
            .hint
            .as_ref()
            .filter(|_| !self.hint_on_own_line)
            .map(|h| format!(" (hint: {h})"))
            .unwrap_or_default();
        let column = self
            .place
            .as_ref()
            .map(|p| format!(":{}", p.column))
            .unwrap_or_default();
        let snippet = self
            .place
            .as_ref()
            .map(|p| format!("\n{}", p.snippet().trim_end()))
            .unwrap_or_default();
        format!(
            "{}:{}{column}: {}: {}{hint}{snippet}",
            self.path.display(),
            self.line.unwrap_or(1),
            self.kind.as_str(),
            self.message
        )
    }

    fn json(&self) -> FindingJson<'_> {
        FindingJson {
            kind: self.kind.as_str(),
            file: self.path.display().to_string(),
            line: self.line,
            column: self.place.as_ref().map(|p| p.column),
            message: &self.message,
            hint: self.hint.as_deref(),
        }
    }
}

impl Report {
    /// An error that stopped the reading of `path`, as a finding: its line and place, its
    /// first hint.
    fn push_error(&mut self, path: &Path, error: &Error) {
        self.push(
            Kind::Error,
            path,
            error.location().map(|l| l.line),
            error.summary(),
        );
        if let Some(last) = self.findings.last_mut() {
            last.hint = error.hints().first().map(ToString::to_string);
            last.place = error.location().cloned();
        }
    }

    fn push(&mut self, kind: Kind, path: &Path, line: Option<usize>, message: impl AsRef<str>) {
        match kind {
            Kind::Error => self.errors += 1,
            Kind::Warning => self.warnings += 1,
            Kind::Note => {}
        }
        self.findings.push(Finding {
            kind,
            path: path.to_path_buf(),
            line,
            place: None,
            message: message.as_ref().to_string(),
            hint: None,
            hint_on_own_line: false,
        });
    }

    fn error(&mut self, path: &Path, line: usize, message: impl AsRef<str>) {
        self.push(Kind::Error, path, Some(line), message);
    }

    /// Said, but neither an error nor a warning.
    fn note(&mut self, path: &Path, line: usize, message: impl AsRef<str>) {
        self.push(Kind::Note, path, Some(line), message);
    }

    fn warning(&mut self, path: &Path, line: usize, message: impl AsRef<str>) {
        self.push(Kind::Warning, path, Some(line), message);
    }

    /// A problem of the whole file, not of one line.
    fn file_error(&mut self, path: &Path, message: impl AsRef<str>) {
        self.push(Kind::Error, path, None, message);
    }

    fn file_warning(&mut self, path: &Path, message: impl AsRef<str>) {
        self.push(Kind::Warning, path, None, message);
    }

    /// The text `rota check` prints: one `file:line: kind: message` line per finding.
    fn text(&self) -> String {
        let mut out = String::new();
        for (index, finding) in self.findings.iter().enumerate() {
            let _ = writeln!(out, "{}", finding.text());
            for (_, hint) in self.hint_lines.iter().filter(|(i, _)| *i == index) {
                let _ = writeln!(out, "hint: {hint}");
            }
        }
        out
    }

    /// The findings as a forge shows them: each at its place, its hint with it.
    fn annotations(&self) -> Vec<super::forge::Annotation<'_>> {
        self.findings
            .iter()
            .map(|f| super::forge::Annotation {
                kind: f.kind.as_str(),
                path: &f.path,
                line: f.line.unwrap_or(1),
                column: f.place.as_ref().map(|p| p.column),
                message: &f.message,
                hint: f.hint.as_deref(),
            })
            .collect()
    }

    /// `rota check --json`: the findings, the counts, and whether check passed.
    fn json(&self, passed: bool) -> String {
        super::output::json(&self.json_value(passed))
    }

    fn json_value(&self, passed: bool) -> ReportJson<'_> {
        ReportJson {
            passed,
            errors: self.errors,
            warnings: self.warnings,
            problems: self.findings.iter().map(Finding::json).collect(),
        }
    }

    /// `N errors, M warnings`.
    fn summary(&self) -> String {
        format!(
            "{} error{}, {} warning{}",
            self.errors,
            if self.errors == 1 { "" } else { "s" },
            self.warnings,
            if self.warnings == 1 { "" } else { "s" }
        )
    }

    /// The findings' files, and the paths their messages and hints name, relative to `top`
    /// (the repository's, for `check --all`).
    fn relative_to(&mut self, top: &Path) {
        let relative = |text: &str| super::teams::relative(text, top);
        for finding in &mut self.findings {
            if let Ok(inside) = finding.path.strip_prefix(top) {
                finding.path = inside.to_path_buf();
            }
            finding.message = relative(&finding.message);
            finding.hint = finding.hint.as_deref().map(relative);
        }
        for (_, hint) in &mut self.hint_lines {
            *hint = relative(hint);
        }
    }
}

pub fn run(context: &Context, args: &CheckArgs) -> Result<String> {
    if args.all {
        return all(context, args);
    }
    let list_path = store::find_list(context.dir.as_deref(), &super::current_dir()?)?;
    // Like every command (check reads the list itself, to report its errors): its hint for a
    // stopped merge (`git checkout -m`) relies on the drivers.
    if let Some(dir) = list_path.parent() {
        context.settle_clone(dir, false);
    }
    let report = examine(context, args.fix, args.since.as_deref(), list_path)?;
    conclude(context, args, &report)
}

/// `check --all`: every team checked as `check` checks one, its findings named by their
/// files' paths relative to the repository's top, and a line a team saying how it went.
/// Fails when any team fails.
fn all(context: &Context, args: &CheckArgs) -> Result<String> {
    let found = context.teams()?;
    let mut checked = Vec::new();
    for team in &found.teams {
        let mut report = examine(context, false, args.since.as_deref(), team.list_path())
            .unwrap_or_else(|error| {
                let mut report = Report::default();
                report.push_error(&team.list_path(), &error);
                report
            });
        report.relative_to(&found.top);
        let failed = report.errors > 0 || (args.strict && report.warnings > 0);
        checked.push((team.rel.as_str(), report, failed));
    }
    // Forges take one report for the whole repository: every team's findings, in turn.
    let annotations = || {
        checked
            .iter()
            .flat_map(|(_, report, _)| report.annotations())
            .collect::<Vec<_>>()
    };
    let out = if args.format == CheckFormat::Github && !args.json {
        super::forge::github(&annotations())
    } else if args.format == CheckFormat::Gitlab && !args.json {
        super::forge::gitlab(&annotations())
    } else if args.json || args.format == CheckFormat::Json {
        super::output::json(&AllJson {
            passed: checked.iter().all(|(_, _, failed)| !failed),
            teams: checked
                .iter()
                .map(|(dir, report, failed)| TeamJson {
                    dir,
                    report: report.json_value(!failed),
                })
                .collect(),
        })
    } else {
        let mut out = String::new();
        for (dir, report, failed) in &checked {
            out += &report.text();
            let _ = writeln!(
                out,
                "{}: check {}: {}",
                super::teams::shown(dir),
                if *failed { "failed" } else { "passed" },
                report.summary()
            );
        }
        out
    };
    super::print(&out)?;
    let failed: Vec<&str> = checked
        .iter()
        .filter(|(_, _, failed)| *failed)
        .map(|(dir, ..)| *dir)
        .collect();
    if failed.is_empty() {
        context.ui.note(&format!(
            "check passed for {} team{}",
            checked.len(),
            if checked.len() == 1 { "" } else { "s" }
        ));
        return Ok(String::new());
    }
    let mut error = super::teams::failed(
        ErrorKind::CheckFailed,
        "failed check",
        &failed,
        checked.len(),
    )
    .hint("fix the lines above; `rota check --all --strict` also fails on warnings");
    if checked.iter().any(|(_, report, _)| report.fixable) {
        error = error.hint("`rota --dir DIR check --fix` settles two handovers of one day in the log of the team in DIR");
    }
    Err(error)
}

/// `check --all --json`: whether every team passed, and each team's report.
#[derive(Serialize)]
struct AllJson<'a> {
    passed: bool,
    teams: Vec<TeamJson<'a>>,
}

#[derive(Serialize)]
struct TeamJson<'a> {
    dir: &'a str,
    #[serde(flatten)]
    report: ReportJson<'a>,
}

/// Checks the team whose list is at `list_path` (settling duplicates first with `fix`).
fn examine(
    context: &Context,
    fix_duplicates: bool,
    since: Option<&str>,
    list_path: PathBuf,
) -> Result<Report> {
    let mut report = Report::default();
    let workspace = match Workspace::read(list_path.clone()) {
        Ok(workspace) => Some(workspace),
        Err(error) => {
            report.push_error(&list_path, &error);
            None
        }
    };
    if let Some(workspace) = &workspace {
        let mut history = whole_history(workspace)?;
        if fix_duplicates && fix(context, workspace, &history)? {
            history = whole_history(workspace)?;
        }
        check_list(context, workspace, &history, &mut report);
        check_log(&workspace.log_path, &mut report)?;
        check_history(
            &workspace.log_path,
            &history,
            workspace.roster.calendar.timezone,
            &mut report,
        );
        check_records(workspace, &history, &mut report)?;
        check_attributes(workspace, &mut report);
        check_history_in_git(workspace, since, &mut report)?;
        let files = [workspace.list_path.as_path(), workspace.log_path.as_path()];
        for path in crate::git::unmerged(workspace.dir(), &files) {
            report.file_error(
                &path,
                format!(
                    "not merged yet: git stopped a merge on it; {}",
                    crate::conflict::finish_merge(&path)
                ),
            );
        }
    }
    Ok(report)
}

/// The log's history as check needs it: every record its rules can name, whatever the log's
/// age, in memory bounded by what is wrong.
fn whole_history(workspace: &Workspace) -> Result<History> {
    let roster = &workspace.roster;
    let days: Vec<NaiveDate> = roster.overrides.iter().map(|o| o.date).collect();
    whole_log::read_for_check(&workspace.log_path, &days)
}

/// Prints the report; fails when it holds errors (or warnings, with `--strict`).
fn conclude(context: &Context, args: &CheckArgs, report: &Report) -> Result<String> {
    let failed = report.errors > 0 || (args.strict && report.warnings > 0);
    let summary = report.summary();
    let format = if args.json {
        CheckFormat::Json
    } else {
        args.format
    };
    let out = match format {
        CheckFormat::Text => report.text(),
        CheckFormat::Json => report.json(!failed),
        CheckFormat::Github => super::forge::github(&report.annotations()),
        CheckFormat::Gitlab => super::forge::gitlab(&report.annotations()),
    };
    super::print(&out)?;
    if failed {
        let mut error = Error::of(ErrorKind::CheckFailed, format!("check failed: {summary}"))
            .hint("fix the lines above; `rota check --strict` also fails on warnings");
        if report.fixable {
            error = error.hint("`rota check --fix` settles two handovers of one day by appending a correction record");
        }
        return Err(error);
    }
    context.ui.note(&format!("check passed: {summary}"));
    Ok(String::new())
}

/// Appends a correction record for every duplicate handover no correction names yet. `true`
/// when it wrote one.
fn fix(context: &Context, workspace: &Workspace, history: &History) -> Result<bool> {
    let zone = workspace.roster.calendar.timezone;
    if history.duplicates(zone).iter().all(|d| d.settled) {
        return Ok(false);
    }
    let by = super::current_user(workspace)?.unwrap_or_else(|| history::FIX_SIGNATURE.to_string());
    let mut transaction = context.begin(workspace)?;
    // Decided again under the lock, from the whole log as it is now.
    let history = whole_history(transaction.workspace())?;
    let open: Vec<_> = history
        .duplicates(zone)
        .into_iter()
        .filter(|d| !d.settled)
        .collect();
    if open.is_empty() {
        return Ok(false);
    }
    let today = transaction.today();
    // The rules every reader holds a correction to, asked of this one before it is written.
    let at = history::Place {
        line: usize::MAX,
        day: today,
        signed: None,
    };
    let by = if open
        .iter()
        .all(|d| history::correction_rule(d.void, &by, at).is_ok())
    {
        by
    } else {
        history::FIX_SIGNATURE.to_string()
    };
    let mut text = transaction.day_heading_needed();
    text += &history::correction(context.now, &by, &open);
    transaction.append(&text)?;
    let workspace = context.finish(
        transaction,
        super::ChangeKind::Other,
        format!(
            "rota: check --fix: {} duplicate handover(s) settled",
            open.len()
        ),
    );
    context.ui.note(&format!(
        "appended a correction record to {}: the first handover of each day in the log stands",
        workspace.log_path.display()
    ));
    Ok(true)
}

/// Rules that need the whole roster and the log's record: overrides, absences, the days ahead.
fn check_list(context: &Context, workspace: &Workspace, history: &History, report: &mut Report) {
    let roster = &workspace.roster;
    let today = roster.calendar.today(context.now);
    let (state, notices) = workspace.state(history, today);
    let list = ListCheck {
        workspace,
        today,
        state,
        date_lines: std::cell::OnceCell::new(),
    };
    for notice in &notices {
        report.note(&workspace.list_path, list.line_of("[[engineer]]"), notice);
    }
    let timeline = Timeline::new(roster, &list.state, history, today);
    check_overrides(&list, &timeline, report);
    check_stale_overrides(&list, &timeline, report);
    check_former_overrides(&list, report);
    check_reserved_ids(&list, report);
    check_past_maintenance(&list, context.now, report);
    // Everyday commands read the end of the log; check reads all of it. They must agree on
    // where the rotation stands, or something in the log (a code block around the end of the
    // tail) shows each a different rotation.
    let zone = roster.calendar.timezone;
    if let Ok(tail) = logbook::read_tail(&workspace.log_path, zone) {
        let seed = roster.seed;
        if tail.history().checkpoint(seed, zone) != history.checkpoint(seed, zone) {
            report.file_error(
                &workspace.log_path,
                "the end of the log and the whole log show different rotations (a code block hides or reveals a handover record): remove the code block's fences around rota's records",
            );
        }
    }
    check_last_record(workspace, history, report);
    if let Some(listed) = &roster.checkpoint
        && listed.day < list.state.day
    {
        report.note(
            &workspace.list_path,
            list.line_of("on-call"),
            "the rotation state in [rotation] is older than the log's last handover, which rota follows; you may remove round, order, pending, on-call and day",
        );
    }
    match logbook::leftover(&workspace.log_path) {
        logbook::Leftover::Interrupted { length } => report.file_warning(
            &workspace.log_path,
            format!("an append was interrupted: what follows byte {length} is incomplete; the next rota write removes it"),
        ),
        logbook::Leftover::Changed { length, line } => report.warning(
            &workspace.log_path,
            line,
            format!("an append was interrupted, and the log has changed since (a pull, an edit): what follows byte {length} is not what rota was writing, so no rota write removes it; if a line rota was writing stands cut short here, delete it by hand"),
        ),
        logbook::Leftover::Stale(why) => report.file_warning(
            &workspace.log_path,
            format!("a stale append journal lies beside the log ({why}); rota ignores it, and the next write removes it"),
        ),
        logbook::Leftover::None | logbook::Leftover::Complete => {}
    }
    check_gaps(&list, &timeline, report);
}

/// What the list's checks look at: the list, the log's records, and where the rotation
/// stands today.
struct ListCheck<'a> {
    workspace: &'a Workspace,
    today: NaiveDate,
    state: rotation::State,
    /// The first line of each `date = YYYY-MM-DD` of the list, found once.
    date_lines: std::cell::OnceCell<HashMap<NaiveDate, usize>>,
}

impl ListCheck<'_> {
    /// The line of the list that holds `date = DATE` (1 when none does): the line of an
    /// override. One pass over the list for all of them.
    fn date_line(&self, date: NaiveDate) -> usize {
        let lines = self.date_lines.get_or_init(|| {
            let mut lines = HashMap::new();
            for (i, line) in self.workspace.text.lines().enumerate() {
                let Some(at) = line.find("date = ") else {
                    continue;
                };
                if let Some(day) = line
                    .get(at + 7..at + 17)
                    .and_then(|d| d.parse::<NaiveDate>().ok())
                {
                    lines.entry(day).or_insert(i + 1);
                }
            }
            lines
        });
        lines.get(&date).copied().unwrap_or(1)
    }

    /// The line of the list that holds `needle` (1 when none does).
    fn line_of(&self, needle: &str) -> usize {
        self.workspace
            .text
            .lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i + 1)
    }
}

/// Each override: on a working day, for an engineer who is not away, and not on a day the
/// log records someone else served.
fn check_overrides(list: &ListCheck, timeline: &Timeline, report: &mut Report) {
    let (workspace, roster) = (list.workspace, &list.workspace.roster);
    let path = &workspace.list_path;
    for o in &roster.overrides {
        let line = list.date_line(o.date);
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
                    "override puts {} on call {} while away (the two may come from different clones): delete this [[override]] or that absence, or `rota cover {} ID` with someone who is here",
                    o.engineer,
                    show_day(o.date),
                    o.date
                ),
            );
        }
        if let Some(record) = timeline.served_record(o.date)
            && record.served_by != o.engineer
        {
            report.error(
                path,
                line,
                format!(
                    "override puts {} on call {}, but the log records that {} served it (handover at {} UTC, {}:{}): the day is past, delete this [[override]]",
                    o.engineer,
                    show_day(o.date),
                    record.served_by,
                    record.time,
                    workspace.log_path.display(),
                    record.line
                ),
            );
        }
    }
}

/// An override keeps its intent: made to displace one engineer, it must not displace
/// another after a holiday, an absence or a change of the team moved the rotation.
fn check_stale_overrides(list: &ListCheck, timeline: &Timeline, report: &mut Report) {
    let roster = &list.workspace.roster;
    let ahead: Vec<&Override> = roster
        .overrides
        .iter()
        .filter(|o| o.date >= list.today.min(list.state.day))
        .collect();
    // The days ahead walked once, up to the last override: asking for each day on its own
    // would walk the rotation from today again for each.
    let (Some(first), Some(last)) = (
        ahead.iter().map(|o| o.date).min(),
        ahead.iter().map(|o| o.date).max(),
    ) else {
        return;
    };
    let on: HashSet<NaiveDate> = ahead.iter().map(|o| o.date).collect();
    let stale: HashMap<NaiveDate, crate::timeline::Stale> = timeline
        .days(first)
        .take_while(|day| day.date <= last)
        .filter(|day| on.contains(&day.date))
        .filter_map(|day| Some((day.date, day.stale?)))
        .collect();
    for o in ahead {
        let Some(stale) = stale.get(&o.date) else {
            continue;
        };
        let undo = roster.undo_override(o.date).unwrap_or_default();
        report.error(
            &list.workspace.list_path,
            list.date_line(o.date),
            format!(
                "the {} on {} was made for {}'s day, but the rotation now gives that day to {}: it would take the day from them instead; run `{undo}`, then make it again if it is still wanted",
                o.kind.as_str(),
                show_day(o.date),
                stale.made_for,
                stale.now_for.as_deref().unwrap_or("no one"),
            ),
        );
    }
}

/// An engineer id `rota publish` cannot give a calendar of its own (`team.ics` is the team's).
fn check_reserved_ids(list: &ListCheck, report: &mut Report) {
    if list.workspace.roster.engineer("team").is_some() {
        report.warning(
            &list.workspace.list_path,
            list.line_of("id = \"team\""),
            "engineer id \"team\": rota publish writes the team's calendar as team.ics and refuses this id; give the engineer another id",
        );
    }
}

/// An override naming someone who left: an error ahead, history in the past.
fn check_former_overrides(list: &ListCheck, report: &mut Report) {
    let path = &list.workspace.list_path;
    for former in &list.workspace.roster.former_overrides {
        if former.date >= list.today {
            report.error(
                path,
                former.at.line,
                format!(
                    "the override on {} puts {}, who is not an engineer of the team, on call; rota leaves the day to the rotation: take it back with `{}`, or give the day to someone in the team with `rota cover {} ID`",
                    show_day(former.date),
                    former.engineer,
                    list.workspace.roster.undo_override(former.date).unwrap_or_default(),
                    former.date
                ),
            );
        } else {
            report.note(
                path,
                former.at.line,
                format!(
                    "the override on {} names {}, who has left the team: kept as history",
                    show_day(former.date),
                    former.engineer
                ),
            );
        }
    }
}

/// A maintenance window that is over says nothing more to anyone: it may go.
fn check_past_maintenance(
    list: &ListCheck,
    now: chrono::DateTime<chrono::Utc>,
    report: &mut Report,
) {
    for window in list
        .workspace
        .roster
        .maintenance
        .iter()
        .filter(|m| m.end <= now)
    {
        let start = window.start.format("%Y-%m-%d %H:%M").to_string();
        let line = list
            .workspace
            .text
            .lines()
            .position(|l| {
                l.trim_start().starts_with("start")
                    && (l.contains(&start) || l.contains(&start.replace(' ', "T")))
            })
            .map_or(1, |i| i + 1);
        report.note(
            &list.workspace.list_path,
            line,
            format!(
                "the maintenance window {} is over: `rota announce --undo \"{start}\"` removes it",
                crate::maintenance::utc_window(window)
            ),
        );
    }
}

/// The last standing record decides where the rotation stands: its next day must be the
/// one the rotation gives after the record before it, or it was edited (or forged).
fn check_last_record(workspace: &Workspace, history: &History, report: &mut Report) {
    let Some(replay) = history.replay_last(&workspace.roster) else {
        return;
    };
    if replay.agrees() {
        return;
    }
    let (before, expected) = (&replay.before, &replay.expected);
    report.error(
        &workspace.log_path,
        replay.line,
        format!(
            "the last handover record says {} is next, on {} (round {}), but after {} ({}) the rotation gives {} on {} (round {}): the record was edited by hand; restore it as rota wrote it",
            replay.recorded.as_ref().map_or("someone", |r| r.1.as_str()),
            show_day(replay.next),
            replay.recorded.as_ref().map_or(0, |r| r.0),
            show_day(before.day),
            before.on_call,
            expected.on_call,
            show_day(expected.day),
            expected.round
        ),
    );
}

/// A working day in the next 30 on which nobody is available.
fn check_gaps(list: &ListCheck, timeline: &Timeline, report: &mut Report) {
    let horizon = list.today + Duration::days(30);
    // From today (or the current turn, when it is older): before the first handover, the
    // days nobody could take lie before the first turn.
    let gaps = timeline
        .days(list.today.min(list.state.day))
        .take_while(|day| day.date <= horizon)
        .filter(|day| day.status == crate::timeline::Status::Gap);
    for day in gaps {
        report.warning(
            &list.workspace.list_path,
            list.line_of("away"),
            format!("no one is available on {}", show_day(day.date)),
        );
    }
}

/// Two handover records for one working day: the first in the log stands in every clone; until a
/// correction record says so, it is an error.
fn check_history(path: &Path, history: &History, zone: chrono_tz::Tz, report: &mut Report) {
    check_corrections(path, history, zone, report);
    for record in history.records.iter().filter(|r| r.round.is_none()) {
        report.error(
            path,
            record.line,
            "this handover record has no readable `Round N: ...` line (each id once, the next engineer in bold), so rota skips it when it works out the rotation: restore the line as rota wrote it",
        );
    }
    check_duplicates(path, history, zone, report);
}

/// Every record on its own: what it says must not contradict itself, and its round line must
/// follow from the standing record's before it. One pass over the whole log, keeping only the
/// last standing record.
fn check_records(workspace: &Workspace, history: &History, report: &mut Report) -> Result<()> {
    let path = &workspace.log_path;
    let roster = &workspace.roster;
    let zone = roster.calendar.timezone;
    // The records check kept: those that are not standing (taken back, void) among them are
    // left out of the round's chain; every record it dropped stands.
    let standing: std::collections::HashSet<usize> =
        history.standing(zone).iter().map(|r| r.line).collect();
    let kept: std::collections::HashSet<usize> = history.records.iter().map(|r| r.line).collect();
    let mut previous: Option<history::Record> = None;
    let mut found = Vec::new();
    whole_log::each_record(path, |record| {
        for why in history::contradictions(&record, |d| roster.calendar.is_working_day(d)) {
            found.push((
                record.line,
                format!(
                    "this handover record contradicts itself: {why}; restore it as rota wrote it"
                ),
            ));
        }
        if kept.contains(&record.line) && !standing.contains(&record.line) {
            return;
        }
        let Some(round) = &record.round else {
            return;
        };
        // A rotation state written in the list may start the rotation again in between.
        let restarted = roster.checkpoint.as_ref().is_some_and(|listed| {
            previous
                .as_ref()
                .and_then(|p| p.next_day)
                .is_none_or(|day| listed.day > day)
        });
        if let Some(previous_round) = previous.as_ref().and_then(|p| p.round.as_ref())
            && !restarted
            && let Err(why) = history::round_follows(previous_round, round)
        {
            found.push((
                record.line,
                format!(
                    "this handover record does not follow from the one at line {}: {why}; restore it as rota wrote it",
                    previous.as_ref().map_or(0, |p| p.line)
                ),
            ));
        }
        previous = Some(record);
    })?;
    for (line, message) in found {
        report.error(path, line, message);
    }
    Ok(())
}

/// Corrections and take-backs must name a record they settle: one repeated is harmless, one
/// naming nothing is ignored, and said.
fn check_corrections(path: &Path, history: &History, zone: chrono_tz::Tz, report: &mut Report) {
    // Two clones that each ran `check --fix` leave two corrections of one record: harmless.
    let mut first_line = HashMap::new();
    for void in &history.voids {
        let key = (&void.written, &void.time, &void.from, &void.to);
        if let Some(first) = first_line.get(&key) {
            report.note(
                path,
                void.line,
                format!(
                    "this correction repeats the one at line {first} (two clones each ran `rota check --fix`); it changes nothing"
                ),
            );
        } else {
            first_line.insert(key, void.line);
        }
    }
    for (void, why) in history.idle_voids(zone) {
        let message = if let history::Broken::Rule(why) = why {
            format!(
                "this correction by {} voids handover {} {} UTC {} → {}, but it counts for nothing: {why}; rota writes a correction only after the record, signed by an engineer of the team (`rota check --fix`)",
                void.by, void.written, void.time, void.from, void.to
            )
        } else {
            format!(
                "this correction voids handover {} {} UTC {} → {}, which repeats no earlier record: a correction only settles two handovers of one day, so rota ignores it; delete the line, or restore the record it names",
                void.written, void.time, void.from, void.to
            )
        };
        report.error(path, void.line, message);
    }
    for (taken, why) in history.idle_take_backs(zone) {
        let message = if let history::Broken::Rule(why) = why {
            format!(
                "this line (taken back by {}) takes back handover {} {} UTC {} → {}, but it counts for nothing: {why}; the handover stands (rota takes one back only as `rota handover --undo` does: by an engineer of the team, before the next engineer's day begins, below the record): revert the commit that added it",
                taken.by, taken.written, taken.time, taken.from, taken.to
            )
        } else {
            format!(
                "this line takes back handover {} {} UTC {} → {}, which the log does not hold: rota ignores it; delete the line, or restore the record it names",
                taken.written, taken.time, taken.from, taken.to
            )
        };
        report.error(path, taken.line, message);
    }
}

/// Two handover records of one day: an error until a correction settles it (`--fix` can).
fn check_duplicates(path: &Path, history: &History, zone: chrono_tz::Tz, report: &mut Report) {
    let last = history.last_standing(zone);
    for duplicate in history.duplicates(zone) {
        let days: Vec<String> = duplicate.days.iter().map(|d| show_day(*d)).collect();
        let describe = |r: &crate::history::Record| {
            format!(
                "{} UTC {} → {}, run by {} (line {})",
                r.time,
                r.from,
                r.to,
                r.runner(),
                r.line
            )
        };
        if duplicate.settled {
            report.note(
                path,
                duplicate.void.line,
                format!(
                    "{} handed over twice; settled by a correction: {} stands",
                    days.join(", "),
                    describe(duplicate.standing)
                ),
            );
            not_passed_on(path, &duplicate, last, report);
            continue;
        }
        report.fixable = true;
        report.error(
            path,
            duplicate.void.line,
            format!(
                "{} handed over twice: {} stands (first in the log); {} is void",
                days.join(", "),
                describe(duplicate.standing),
                describe(duplicate.void)
            ),
        );
        not_passed_on(path, &duplicate, last, report);
    }
}

/// What becomes of a void record's note, open items and closures, said so that nothing is
/// lost unseen. While the record it repeats is the one passing the turn on, its open items are
/// carried with that record's and the items it closed stay closed ([`History::passed_on`]);
/// its note, and once a later handover has passed the turn on, its items, reach no one.
fn not_passed_on(
    path: &Path,
    duplicate: &history::Duplicate,
    last: Option<&history::Record>,
    report: &mut Report,
) {
    let (void, standing) = (duplicate.void, duplicate.standing);
    let carried = last.is_some_and(|last| std::ptr::eq(last, standing));
    let quoted = |items: &[&String]| {
        let list: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
        let s = if items.len() == 1 { "" } else { "s" };
        (s, list.join(", "))
    };
    let added: Vec<&String> = void
        .open
        .iter()
        .filter(|i| !standing.open.contains(i) && !standing.closed.contains(i))
        .collect();
    let closed: Vec<&String> = void
        .closed
        .iter()
        .filter(|i| standing.open.contains(i))
        .collect();
    let mut said: Vec<String> = Vec::new();
    let mut lost: Vec<String> = Vec::new();
    if let Some(note) = void
        .note
        .as_ref()
        .filter(|n| standing.note.as_ref() != Some(*n))
    {
        lost.push(format!("its note {note:?}"));
    }
    if !added.is_empty() {
        let (s, list) = quoted(&added);
        if carried {
            said.push(format!(
                "its open item{s} {list} {} carried with the standing record's",
                if s.is_empty() { "is" } else { "are" }
            ));
        } else {
            lost.push(format!("its open item{s} {list}"));
        }
    }
    if !closed.is_empty() && carried {
        let (s, list) = quoted(&closed);
        said.push(format!(
            "the item{s} it closed ({list}) {} closed",
            if s.is_empty() { "stays" } else { "stay" }
        ));
    }
    if !lost.is_empty() {
        said.push(format!(
            "{} {} no one: tell the engineer on call",
            lost.join(" and "),
            if lost.len() == 1 && added.len() <= 1 {
                "reaches"
            } else {
                "reach"
            }
        ));
    }
    if said.is_empty() {
        return;
    }
    report.note(
        path,
        void.line,
        format!("the void record: {}", said.join("; ")),
    );
}

/// The most of a version of the log `--since` reads (as a stream: rota holds a window of it).
const MAX_OLD_LOG: u64 = 1 << 30;

/// The most commits that changed the log `--since` judges one by one.
const MAX_COMMITS_JUDGED: usize = 10_000;

/// The log only grows: against `since` (a revision), or in a clone against where it parts
/// from its upstream, each commit on the way to HEAD and then the working tree keep every line
/// of the log before them, in order, and add lines at the end, or whole blocks where rota's
/// merge driver sets them.
///
/// Judged commit by commit, not as one change from `since` to now: an edit made in one commit
/// and undone in a later one is named, a block put in the tail by hand is told from one a
/// merge set there. A merge commit is judged against each parent it changed the log of (every
/// line of each still there, in order, the others' lines set as whole blocks in the order the
/// driver keeps), and must bring no line that none of its parents has. That is what the driver
/// composes, checked in what the change costs; running the driver again would be exact, but
/// costs the whole log three times in memory for each merge. A commit with one parent is held
/// to the same placement, not to appends at the end only: a rebase (rota's own pull, and
/// `git pull --rebase`) replays an append through the driver into a commit with one parent,
/// and nothing in that commit tells it from a merge.
fn check_history_in_git(
    workspace: &Workspace,
    since: Option<&str>,
    report: &mut Report,
) -> Result<()> {
    let path = &workspace.log_path;
    let dir = path.parent().unwrap_or(workspace.dir());
    let (label, commit) = match since {
        Some(rev) => {
            if crate::git::repo(dir)?.is_none() {
                return Err(Error::usage(format!(
                    "--since {rev}: {} is not in a git repository",
                    path.display()
                ))
                .hint("run it in a clone of the team's repository"));
            }
            (rev.to_string(), crate::git::commit_of(dir, rev)?)
        }
        None => {
            if crate::git::repo(dir)?.is_none() {
                return Ok(());
            }
            let Some((upstream, base)) = crate::git::upstream_base(dir) else {
                return Ok(());
            };
            (upstream, base)
        }
    };
    // git keeps a file's history under its path as committed, and follows no link: a team's
    // directory reached through a symbolic link (a commit can turn `oncall/` into a link to a
    // copy) has its log's history elsewhere, where an edit would pass unseen.
    if let Some(link) = symbolic_link_on_the_way(dir) {
        report.file_error(
            path,
            format!(
                "the log is reached through a symbolic link, {}: git keeps no history of a file through a link, so rota cannot judge the log's; name the directory itself (rota check --dir {}), or turn the link back into the directory it replaced",
                link.display(),
                std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()).display()
            ),
        );
        return Ok(());
    }
    // The list of then names the log of then: a pulled `log = ...` must not leave the
    // records behind in a file no reader looks at.
    let list_inside = crate::git::path_in_repo(dir, &workspace.list_path)?;
    if let Some(old_list) = crate::git::read_at(
        dir,
        (&label, &commit),
        &list_inside,
        store::MAX_LIST_BYTES,
        store::LIST_TOO_LARGE_HINT,
    )? && let Ok(then) = Workspace::from_text(
        workspace.list_path.clone(),
        &String::from_utf8_lossy(&old_list),
    ) && then.log_path != workspace.log_path
    {
        report.error(
            &workspace.list_path,
            workspace.text.lines().position(|l| l.trim_start().starts_with("log")).map_or(1, |i| i + 1),
            format!(
                "since {label}, the list's `log` moved the team's log from {} to {}: the records of the rotation stay in the old file, which rota no longer reads; restore `log` as it was",
                then.roster.log.display(),
                workspace.roster.log.display()
            ),
        );
        return Ok(());
    }
    let Ok(inside) = crate::git::path_in_repo(dir, path) else {
        return Ok(());
    };
    if !crate::git::is_ancestor(dir, &commit, "HEAD")? {
        report.file_error(
            path,
            format!(
                "since {label}: this branch does not hold that commit ({}): its history was rewritten since (a rebase, a reset, a forced push), or it is behind; compare with a commit HEAD descends from, or bring the branch up to date first (git pull)",
                short(&commit)
            ),
        );
        return Ok(());
    }
    // A log new since the revision: git's rename detection gives up on a copy rewritten
    // enough, so a team's log that was there then and is gone now is named here, whatever
    // became of it.
    if crate::git::blobs_at(dir, &[commit.as_str()], &inside)?
        .pop()
        .flatten()
        .is_none()
    {
        let gone = logs_gone_since(dir, &label, &commit)?;
        for gone in &gone {
            // The commit that took it away: the last on the way that changed it.
            let took = crate::git::commits_changing(dir, &commit, gone, MAX_COMMITS_JUDGED)?
                .and_then(|commits| commits.last().map(|c| short(&c.id).to_string()))
                .unwrap_or_else(|| "HEAD".to_string());
            report.file_error(
                path,
                format!(
                    "since {label}, {gone} (a team's log then) is gone, and this log is new: a log's records never leave the repository, and an edit made on the way would pass unseen; restore it where it was, or, if the team moved on purpose, judge from the commit that moved it (rota check --since {took})"
                ),
            );
        }
        if !gone.is_empty() {
            return Ok(());
        }
    }
    let commits = crate::git::commits_changing(dir, &commit, &inside, MAX_COMMITS_JUDGED)?
        .ok_or_else(|| {
            Error::invalid(format!(
                "since {label}, more than {MAX_COMMITS_JUDGED} commits changed {}: rota judges at most that many one by one",
                path.display()
            ))
            .hint("name a revision nearer HEAD, e.g. rota check --since HEAD~1000")
        })?;
    // Each version's blob, asked of git at once: the commits, their parents and HEAD.
    let mut asked: Vec<&str> = vec!["HEAD"];
    for c in &commits {
        asked.push(&c.id);
        asked.extend(c.parents.iter().map(String::as_str));
    }
    asked.sort_unstable();
    asked.dedup();
    let blobs: HashMap<&str, Option<(String, u64)>> = asked
        .iter()
        .copied()
        .zip(crate::git::blobs_at(dir, &asked, &inside)?)
        .collect();
    for (id, blob) in &blobs {
        if let Some((_, size)) = blob
            && *size > MAX_OLD_LOG
        {
            return Err(Error::invalid(format!(
                "{} at {} is {size} bytes, more than the {MAX_OLD_LOG} rota reads",
                path.display(),
                short(id)
            ))
            .hint(crate::store::LOG_TOO_LARGE_HINT));
        }
    }
    let zone = workspace.roster.calendar.timezone;
    let into_day =
        move |day: NaiveDate, minute: i32| crate::calendar::minutes_into_day(zone, day, minute);
    let (mut older, mut newer) = (crate::git::Blobs::open(dir)?, crate::git::Blobs::open(dir)?);
    for c in &commits {
        let blob = |id: &str| blobs.get(id).cloned().flatten().map(|(blob, _)| blob);
        let now = blob(&c.id);
        let merge = c.parents.len() > 1;
        let rules = appends::Rules { list_added: merge };
        let at = At::Commit {
            short: short(&c.id),
            merge,
        };
        // A log that appears at its path by a rename (its directory renamed, a link left in
        // its place) has its history under another path, where rota does not judge it.
        if now.is_some()
            && let Some(parent) = c.parents.iter().find(|p| blob(p).is_none())
            && let Some(from) = crate::git::moved_to(dir, parent, &c.id, &inside)
        {
            report.file_error(
                path,
                format!(
                    "since {label}, commit {} moved the log here from {from} (paths from the repository's top): rota judges a log's history under one path, so an edit made on the way would pass unseen; move it back, or, if the team moved on purpose, judge from that commit on (rota check --since {})",
                    short(&c.id),
                    short(&c.id)
                ),
            );
            return Ok(());
        }
        if merge && composed_by_the_driver(dir, &inside, c, &blobs, &mut older, &into_day)? {
            continue;
        }
        let mut added: Option<Vec<std::ops::Range<usize>>> = None;
        for parent in &c.parents {
            let then = blob(parent);
            if then == now {
                // A side the merge took whole: nothing it brings is new.
                added = Some(Vec::new());
                continue;
            }
            let found = compare_versions(
                &mut older,
                then.as_deref(),
                &mut newer,
                now.as_deref(),
                &rules,
            )?;
            for change in &found.changes {
                report.error(path, change.line, history_message(&label, &at, change));
            }
            added = Some(match added {
                None => found.added,
                Some(before) => overlap(&before, &found.added),
            });
        }
        if merge {
            for line in added.unwrap_or_default().into_iter().flatten().take(10) {
                let At::Commit { short, .. } = &at else {
                    unreachable!()
                };
                report.error(
                    path,
                    line,
                    format!(
                        "since {label}, merge commit {short} added this line, which none of its parents has: rota's merge driver only composes what the two sides wrote; {}",
                        remedy(&at)
                    ),
                );
            }
        }
    }
    // The working tree against HEAD, read as the file it is.
    let head = blobs.get("HEAD").cloned().flatten().map(|(blob, _)| blob);
    let file = match crate::open::regular(path) {
        Ok(file) => Some(file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    if let Some(file) = &file
        && file.metadata().is_ok_and(|m| m.len() > MAX_OLD_LOG)
    {
        return Err(Error::invalid(format!(
            "{} is larger than {} MiB",
            path.display(),
            MAX_OLD_LOG >> 20
        ))
        .hint(crate::store::LOG_TOO_LARGE_HINT));
    }
    let rules = appends::Rules { list_added: false };
    let found = match (&head, file) {
        (None, _) => return Ok(()),
        (Some(head), file) => older.with(head, |then| {
            let now: Box<dyn std::io::Read> = match file {
                Some(file) => Box::new(std::io::Read::take(file, MAX_OLD_LOG)),
                None => Box::new(std::io::empty()),
            };
            appends::compare(then, now, &rules)
        })?,
    }
    .map_err(|e| Error::io("read", path, &e))?;
    for change in &found.changes {
        report.error(
            path,
            change.line,
            history_message(&label, &At::WorkTree, change),
        );
    }
    Ok(())
}

/// A commit's id as people quote it.
fn short(id: &str) -> &str {
    id.get(..7).unwrap_or(id)
}

/// The logs (paths from the top) of the teams revision `commit` holds that HEAD no longer
/// holds at the same path.
fn logs_gone_since(dir: &Path, label: &str, commit: &str) -> Result<Vec<String>> {
    let files = crate::git::files_at(dir, (label, commit))?;
    let teams = rota_core::teams::at(&files, &rota_core::teams::LIMITS, label)?;
    let mut gone = Vec::new();
    for team in teams {
        let list_at = rota_core::teams::list_at(&team);
        let Some(list) = crate::git::read_at(
            dir,
            (label, commit),
            &list_at,
            store::MAX_LIST_BYTES,
            store::LIST_TOO_LARGE_HINT,
        )?
        else {
            continue;
        };
        let Ok(then) = Workspace::from_text(
            std::path::PathBuf::from(&list_at),
            &String::from_utf8_lossy(&list),
        ) else {
            continue;
        };
        let log_at = rota_core::teams::beside(&list_at, &then.roster.log);
        let held = crate::git::blobs_at(dir, &[commit, "HEAD"], &log_at)?;
        if matches!(held[..], [Some(_), None]) {
            gone.push(log_at);
        }
    }
    Ok(gone)
}

/// The first symbolic link on the way from the repository's top to `dir` (`dir` itself
/// included), as `dir` is written: absolute, `.` and `..` taken lexically.
fn symbolic_link_on_the_way(dir: &Path) -> Option<std::path::PathBuf> {
    let top = crate::git::repo(dir).ok().flatten()?.top;
    let mut lexical = std::path::PathBuf::new();
    for part in std::path::absolute(dir).ok()?.components() {
        match part {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::CurDir => {}
            part => lexical.push(part),
        }
    }
    let within = lexical.strip_prefix(&top).ok()?;
    let mut at = top.clone();
    for part in within.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(at);
        }
    }
    None
}

/// The most bytes a version of the log may hold for a merge of it to be composed again.
const MAX_REPLAYED_LOG: u64 = 8 << 20;

/// Whether merge commit `c`'s log is, byte for byte, what rota's log merge driver composes
/// from its two parents and their merge base (either way round: git names the side merged
/// into "ours"). The driver is the one owner of where merged blocks go, so a merge it wrote
/// needs no other judge; one it did not write is judged line by line, as any commit. Each
/// version is held whole to compose it, so only logs up to [`MAX_REPLAYED_LOG`] are (about
/// thirty years of a team's entries); a larger log's merges are judged line by line.
fn composed_by_the_driver(
    dir: &Path,
    inside: &str,
    c: &crate::git::Commit,
    blobs: &HashMap<&str, Option<(String, u64)>>,
    git: &mut crate::git::Blobs,
    into_day: &dyn Fn(NaiveDate, i32) -> i32,
) -> Result<bool> {
    let [first, second] = &c.parents[..] else {
        return Ok(false);
    };
    let Some(base) = crate::git::merge_base(dir, first, second) else {
        return Ok(false);
    };
    let base_blob = crate::git::blobs_at(dir, &[base.as_str()], inside)?
        .pop()
        .flatten();
    let mut text = |blob: Option<(String, u64)>| -> Result<Option<String>> {
        match blob {
            None => Ok(Some(String::new())),
            Some((_, size)) if size > MAX_REPLAYED_LOG => Ok(None),
            Some((id, _)) => git.with(&id, |read| {
                let mut bytes = Vec::new();
                read.read_to_end(&mut bytes).ok()?;
                String::from_utf8(bytes).ok()
            }),
        }
    };
    let known = |id: &str| blobs.get(id).cloned().flatten();
    let (Some(base), Some(ours), Some(theirs), Some(merged)) = (
        text(base_blob)?,
        text(known(first))?,
        text(known(second))?,
        text(known(&c.id))?,
    ) else {
        return Ok(false);
    };
    Ok(
        rota_core::logmerge::merge(&base, &ours, &theirs, into_day) == merged
            || rota_core::logmerge::merge(&base, &theirs, &ours, into_day) == merged,
    )
}

/// Compares two versions of the log held by git (`None`: no log there), each streamed from
/// its own `git cat-file`.
fn compare_versions(
    older: &mut crate::git::Blobs,
    then: Option<&str>,
    newer: &mut crate::git::Blobs,
    now: Option<&str>,
    rules: &appends::Rules,
) -> Result<appends::Comparison> {
    let io = |e: std::io::Error| Error::git(format!("git could not read the log: {e}"));
    let compared = match (then, now) {
        (None, None) => return Ok(appends::Comparison::default()),
        (None, Some(now)) => {
            newer.with(now, |new| appends::compare(std::io::empty(), new, rules))?
        }
        (Some(then), None) => {
            older.with(then, |old| appends::compare(old, std::io::empty(), rules))?
        }
        (Some(then), Some(now)) => older.with(then, |old| {
            newer.with(now, |new| appends::compare(old, new, rules))
        })??,
    };
    compared.map_err(io)
}

/// The lines in both lists of runs (each sorted, 1-based, end exclusive).
fn overlap(
    a: &[std::ops::Range<usize>],
    b: &[std::ops::Range<usize>],
) -> Vec<std::ops::Range<usize>> {
    let (mut i, mut j) = (0, 0);
    let mut both = Vec::new();
    while i < a.len() && j < b.len() {
        let (start, end) = (a[i].start.max(b[j].start), a[i].end.min(b[j].end));
        if start < end {
            both.push(start..end);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    both
}

/// Where a change of the log was made: in the working tree, or in a commit.
enum At<'a> {
    WorkTree,
    Commit { short: &'a str, merge: bool },
}

/// How to undo a change the log must not hold.
fn remedy(at: &At) -> String {
    match at {
        At::WorkTree => String::new(),
        At::Commit {
            short,
            merge: false,
        } => format!("take it out of {short} before it is pushed (git rebase -i {short}~1)"),
        At::Commit { short, merge: true } => format!(
            "redo the merge {short} before it is pushed, and let rota's merge driver compose the log (rota check says whether .gitattributes names it)"
        ),
    }
}

/// What `check` says of a change of the log since `label`, made `at`.
fn history_message(label: &str, at: &At, change: &appends::Change) -> String {
    let within = change
        .within
        .as_ref()
        .map(|w| format!(", in `{w}`"))
        .unwrap_or_default();
    let (old_line, old_text) = (change.old_line, &change.old_text);
    match at {
        At::WorkTree => match &change.kind {
            appends::Kind::Edited { .. } => format!(
                "since {label}, this line was edited: line {old_line} read `{old_text}`{within}; the log only grows: restore the line as it was"
            ),
            appends::Kind::Deleted => format!(
                "since {label}, line {old_line} was deleted: `{old_text}`{within}; the log only grows: restore it"
            ),
            appends::Kind::Inserted { .. } => format!(
                "since {label}, this line was put before the end{within}, where neither rota nor its merge driver writes: the log only grows at the end; remove it, and append what it says"
            ),
            appends::Kind::InsertedAbove { day, old_line } => format!(
                "since {label}, this handover record of {} was put above the record at line {old_line} that served that day, where it would stand in its place: remove it",
                show_day(*day)
            ),
            appends::Kind::OutOfOrder { old_line, .. } => format!(
                "since {label}, this block was put before the end{within}, out of the order of the days that rota's merge driver keeps (next to line {old_line} as it was): the log only grows at the end; remove it, and append what it says"
            ),
            appends::Kind::Rewritten => format!(
                "since {label}, the log was changed from line {old_line} on (`{old_text}`{within}), in more lines than rota compares one by one ({}): the log only grows; restore it as it was",
                appends::MAX_EDITS
            ),
        },
        At::Commit { short, .. } => {
            let remedy = remedy(at);
            match &change.kind {
                appends::Kind::Edited { .. } => format!(
                    "since {label}, commit {short} edited line {old_line}: it read `{old_text}`{within}; the log only grows: {remedy}"
                ),
                appends::Kind::Deleted => format!(
                    "since {label}, commit {short} deleted line {old_line}: `{old_text}`{within}; the log only grows: {remedy}"
                ),
                appends::Kind::Inserted { .. } => format!(
                    "since {label}, commit {short} put this line before the end{within}, where neither rota nor its merge driver writes: the log only grows at the end; {remedy}"
                ),
                appends::Kind::InsertedAbove { day, old_line } => format!(
                    "since {label}, commit {short} put this handover record of {} above the record at line {old_line} that served that day, where it would stand in its place: {remedy}; if it is a clone's own handover of a day someone else handed over too (it was offline, then git replayed its commits), that cannot be told from a forged one here: settle the two with `rota check --fix`, and judge from after this commit (rota check --since {short})",
                    show_day(*day)
                ),
                appends::Kind::OutOfOrder { old_line, .. } => format!(
                    "since {label}, commit {short} put this block before the end{within}, out of the order of the days that rota's merge driver keeps (next to line {old_line} as it was): the log only grows at the end; {remedy}"
                ),
                appends::Kind::Rewritten => format!(
                    "since {label}, commit {short} changed the log from line {old_line} on (`{old_text}`{within}), in more lines than rota compares one by one ({}): the log only grows; {remedy}",
                    appends::MAX_EDITS
                ),
            }
        }
    }
}

/// In a git repository, `.gitattributes` must name rota's merge drivers, or merges of two
/// clones' logs misfile or conflict.
fn check_attributes(workspace: &Workspace, report: &mut Report) {
    let path = workspace.dir().join(".gitattributes");
    if !workspace.dir().join(".git").exists() && !path.exists() {
        return;
    }
    // A pushed `.gitattributes` may be a link to a device: read only a regular file, and
    // no more than a list may hold.
    let text = match crate::open::read_regular(&path, crate::store::MAX_LIST_BYTES) {
        Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(None) => {
            report.error(
                &path,
                1,
                format!(
                    "larger than {} MiB: not read",
                    crate::store::MAX_LIST_BYTES >> 20
                ),
            );
            return;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            report.error(&path, 1, Error::io("read", &path, &e).summary());
            return;
        }
    };
    for rule in crate::git::MERGE_RULES {
        if !text.lines().any(|l| l.trim() == rule) {
            report.warning(
                &path,
                text.lines().count().max(1),
                format!("missing `{rule}`: add the line and commit it, so that every clone merges the file with rota"),
            );
        }
    }
}

/// The log's structure: day headings in order and once each, handover records well formed, no
/// conflict markers. Text written by hand between rota's sections is fine.
fn check_log(path: &Path, report: &mut Report) -> Result<()> {
    let Some(file) = logbook::open_log(path)? else {
        return Ok(());
    };
    let mut shape = LogShape {
        path,
        last_day: None,
        seen: HashMap::new(),
        open_record: None,
        markers: Vec::new(),
        blocks: Blocks::new(),
    };
    // Blocks of whole lines: a line longer than any rota writes is cut, never held whole.
    let mut blocks = crate::scan::Blocks::new(file);
    let mut number = 0;
    while let Some(block) = blocks
        .next_block()
        .map_err(|e| Error::io("read", path, &e))?
    {
        for line in crate::scan::lines(block) {
            number += 1;
            let line = String::from_utf8_lossy(line);
            shape.line(number, line.trim_end_matches('\r'), report);
        }
    }
    shape.finish(report);
    Ok(())
}

/// What [`check_log`] has seen so far, line by line.
struct LogShape<'a> {
    path: &'a Path,
    last_day: Option<NaiveDate>,
    /// Each day heading's first line (u32: a map of every day stays small at any age).
    seen: HashMap<NaiveDate, u32>,
    /// A handover record being read: its line, and whether its Served and Next lines came.
    open_record: Option<(usize, bool, bool)>,
    /// The findings that are conflict markers, which get the hint on how to finish the merge.
    markers: Vec<usize>,
    blocks: Blocks,
}

impl LogShape<'_> {
    fn line(&mut self, number: usize, line: &str, report: &mut Report) {
        if let Some(at) = line.find('\r') {
            report.error(
                self.path,
                number,
                format!(
                    "a carriage return that ends no line (column {}): a forge breaks the line there and rota does not, so they could read the log differently; delete it, or make it a line break",
                    line[..at].chars().count() + 1
                ),
            );
        }
        let hidden = self.blocks.read(line.as_bytes()) == Seen::Code;
        if is_conflict_marker(line) {
            self.markers.push(report.findings.len());
            report.error(
                self.path,
                number,
                "git conflict marker: a merge stopped here (this clone had no rota merge driver)",
            );
            return;
        }
        if hidden {
            return;
        }
        if logformat::may_be_heading(line) {
            self.close_record(report);
        }
        if let Some(written) = logformat::heading_read_otherwise(line) {
            report.error(
                self.path,
                number,
                format!(
                    "a forge shows this line as the heading `{written}`, which rota reads only written so (at the start of the line, one space after the `#`s): write it so, or it counts for nothing"
                ),
            );
        }
        if let Some(day) = day_heading_date(line) {
            self.day_heading(number, day, report);
        } else if line.starts_with(HANDOVER) {
            if logformat::HandoverHeading::parse(line).is_none() {
                report.error(
                    self.path,
                    number,
                    "handover heading should read `### Handover HH:MM UTC: FROM → TO`",
                );
            }
            self.open_record = Some((number, false, false));
        } else if let Some(record) = &mut self.open_record {
            record.1 |= line.starts_with(logformat::SERVED);
            record.2 |= line.starts_with(logformat::NEXT);
        } else if logformat::is_item_line(line) {
            report.warning(
                self.path,
                number,
                "an open item outside any handover record: no handover carries it (`rota handover --open` records one)",
            );
        }
    }

    /// A day's heading: after the days before it, and the first for its day.
    fn day_heading(&mut self, number: usize, day: NaiveDate, report: &mut Report) {
        if let Some(last) = self.last_day.filter(|last| day < *last) {
            report.error(
                self.path,
                number,
                format!("day {day} comes after {last}: the log must stay in order"),
            );
        }
        if let Some(first) = self
            .seen
            .insert(day, u32::try_from(number).unwrap_or(u32::MAX))
        {
            report.warning(
                self.path,
                number,
                format!("a second section for {day} (the first is at line {first}): one section per day reads best; rota's merge driver keeps it so"),
            );
        }
        self.last_day = Some(self.last_day.map_or(day, |last| last.max(day)));
    }

    /// A handover record expects its Served and Next lines before the next heading.
    fn close_record(&mut self, report: &mut Report) {
        if let Some((line, served, next)) = self.open_record.take()
            && !(served && next)
        {
            report.error(
                self.path,
                line,
                "handover record without its `- Served:` and `- Next:` lines",
            );
        }
    }

    fn finish(mut self, report: &mut Report) {
        self.close_record(report);
        let path = self.path;
        if let Some(line) = self.blocks.open_block() {
            report.error(
                path,
                line,
                "a code block (or an HTML block) opened here is never closed: everything after it reads as part of that block, so rota's own records would hide in it; close it on a line of its own (a fence of the same character, at least as long; `-->` after a comment)",
            );
        }
        if self.markers.is_empty() {
            return;
        }
        let hint = crate::conflict::finish_merge(path);
        for index in self.markers {
            report.findings[index].hint = Some(hint.clone());
            report.findings[index].hint_on_own_line = true;
        }
        // Said once, after the log's findings.
        report.hint_lines.push((report.findings.len() - 1, hint));
    }
}
