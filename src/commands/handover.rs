//! `rota handover`: the end of the day. Ask the checklist (or take `--yes`), record the handover
//! in the log (which moves the rotation on), and print a message for the next engineer.
//!
//! Nothing is written until the last question is answered. The handover is one append to the
//! log, under its lock: the record ends with the round line, which is the rotation's state
//! from then on, so a handover never rewrites the list and merges like any log entry.
//!
//! The files are read once to decide what to ask (the list, and the end of the log), and once
//! more under the lock, where the handover is decided: the lock reads the end of the log, and
//! the list is parsed again only if its bytes changed meanwhile. A pull in between (`--push`)
//! reads what it brought.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::output::Person;
use super::{ChangeKind, Context, acting_engineer, current_user};
use crate::calendar::show_day;
use crate::cli::HandoverArgs;
use crate::error::{Error, Result};
use crate::history::{History, MAX_OPEN_ITEMS, Record};
use crate::logbook::{self, HandoverRecord, one_line};
use crate::roster::Roster;
use crate::rotation::{self, Reason, State, Step};
use crate::safe::printable;
use crate::session::{Snapshot, Transaction};
use crate::store::Workspace;
use crate::ui::{ask_line, ask_yes_no};

pub fn run(context: &Context, args: &HandoverArgs) -> Result<String> {
    if args.undo {
        return undo(context, args.runner.as_deref());
    }
    refuse_args(context, args)?;
    let (snapshot, seen) = pulled(context)?;
    let (workspace, today, tail) = (&snapshot.workspace, snapshot.today, snapshot.tail());
    let zone = workspace.roster.calendar.timezone;
    let state = snapshot.state().clone();
    if let Some(seen) = &seen
        && *seen != state
    {
        refuse_if_served(tail.history(), seen, zone)?;
    }
    let runner = match &args.runner {
        Some(id) => Some(acting_engineer(workspace, id)?),
        None => current_user(workspace)?,
    };
    let plan = Plan::new(&workspace.roster, &state, today, args.force)?;
    let carried = Carried::read(tail.history(), zone, &args.done)?;
    let Some(answers) = answers(
        args,
        workspace,
        &plan,
        tail,
        &carried,
        today,
        runner.as_deref(),
    )?
    else {
        context.ui.note("handover cancelled; nothing was written");
        return Ok(String::new());
    };

    // Decided again under the team's lock, from the files as they are now.
    let mut transaction = context.begin(workspace)?;
    if *transaction.state() != state {
        refuse_if_served(transaction.history(), &state, zone)?;
        return Err(Error::conflict("the rotation changed while you were answering")
            .hint("someone else handed over or edited on-call-list.toml; run `rota who`, then hand over again if it is still yours"));
    }
    // The next turn decided again on the list as it is now: an absence, a cover or a swap
    // written since the first reading (by another rota, which holds this same lock to write
    // the list) changes who takes over.
    let fresh = Plan::new(&transaction.workspace().roster, &state, today, args.force)?;
    let plan = if fresh == plan {
        plan
    } else if args.yes {
        fresh
    } else {
        return Err(Error::conflict(format!(
            "on-call-list.toml changed while you were answering: the turn now passes to {}, not {}",
            fresh.to, plan.to
        ))
        .hint("run `rota handover` again; nothing was written"));
    };
    for notice in transaction.reconciled() {
        context.ui.note(notice);
    }
    let run_by = runner.as_deref().filter(|r| *r != plan.from);
    let mut text = String::new();
    if transaction.tail().file_len == 0 {
        text += &crate::logformat::new_log_header(&transaction.workspace().roster.team_name);
    }
    text += &transaction.day_heading_needed();
    text += &plan.record(context.now, &answers, run_by).render();
    transaction.append(&text)?;
    let workspace = announce(context, transaction, &state, &plan);
    let roster = &workspace.roster;
    if args.yes {
        kept_open(context, &carried, &answers, &plan.to);
    }
    let message = message(roster, &plan, &answers);
    context.hook(
        &workspace,
        "handover",
        &HookEvent::new(context, roster, &plan, &answers, run_by, &message),
    );
    Ok(message)
}

/// The record `rota handover --yes --note NOTE` writes at `at` for the turn `state` on `day`,
/// and where it leaves the rotation (the example team's log is walked with it).
pub(super) fn record_done(
    roster: &Roster,
    state: &State,
    day: NaiveDate,
    at: DateTime<Utc>,
    note: &str,
) -> Result<(String, State)> {
    let plan = Plan::new(roster, state, day, false)?;
    let answers = Answers {
        checklist: roster
            .checklist
            .iter()
            .map(|item| (item.clone(), true, String::new()))
            .collect(),
        open: Vec::new(),
        closed: Vec::new(),
        note: note.to_string(),
    };
    let record = plan.record(at, &answers, None).render();
    Ok((record, plan.step.state.clone()))
}

/// With `--yes`, carried items `--done` did not name stay open: say so, and how to close one.
fn kept_open(context: &Context, carried: &Carried, answers: &Answers, to: &str) {
    let still = carried.items.len() - answers.closed.len();
    if still > 0 {
        let s = if still == 1 { "" } else { "s" };
        let verb = if still == 1 { "stays" } else { "stay" };
        context.ui.note(&format!(
            "{still} open item{s} carried from {}'s handover {verb} open for {to}; `--done N` closes one",
            carried.from
        ));
    }
}

/// The open items the last handover passed on, which this one asks about, and those `--done`
/// names.
struct Carried {
    /// Who passed them on.
    from: String,
    items: Vec<String>,
    /// The items `--done` closes, by index.
    done: Vec<usize>,
}

impl Carried {
    /// What the handovers passed on ([`History::passed_on`]); each `--done` must name one of
    /// its items.
    fn read(history: &History, zone: chrono_tz::Tz, done: &[String]) -> Result<Carried> {
        let last = history.passed_on(zone);
        let carried = Carried {
            from: last.as_ref().map(|r| r.from.clone()).unwrap_or_default(),
            items: last.map(|r| r.open).unwrap_or_default(),
            done: Vec::new(),
        };
        let mut indices = Vec::new();
        for name in done {
            let index = carried.find(name).ok_or_else(|| carried.unknown(name))?;
            if !indices.contains(&index) {
                indices.push(index);
            }
        }
        Ok(Carried {
            done: indices,
            ..carried
        })
    }

    /// The item `name` means: its number (1-based, as `rota who` lists them) or its text,
    /// ignoring case and spacing.
    fn find(&self, name: &str) -> Option<usize> {
        if let Ok(n) = name.trim().parse::<usize>() {
            return (1..=self.items.len()).contains(&n).then(|| n - 1);
        }
        let wanted = one_line(name).to_lowercase();
        self.items.iter().position(|i| i.to_lowercase() == wanted)
    }

    fn unknown(&self, name: &str) -> Error {
        if self.items.is_empty() {
            return Error::usage(format!(
                "--done {name:?}: the last handover passed on no open items"
            ))
            .hint("`rota who` shows the open items carried to the engineer on call");
        }
        let listed: Vec<String> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| format!("{}. {}", i + 1, printable(item)))
            .collect();
        Error::usage(format!(
            "--done {:?} names none of the open items carried from {}'s handover",
            printable(name),
            self.from
        ))
        .hint(format!(
            "name one by its number or its text: {}",
            listed.join("; ")
        ))
    }
}

/// Refuses what the arguments ask before anything is read: a checklist without a terminal
/// (and without `--yes`), a note too long for a record.
fn refuse_args(context: &Context, args: &HandoverArgs) -> Result<()> {
    if !args.yes && !context.ui.interactive {
        return Err(Error::usage("rota handover needs a terminal to walk the checklist")
            .hint("pass --yes to confirm every item (with --note TEXT, --open TEXT and --done N for the next engineer), or run it in a terminal"));
    }
    if args.note.as_ref().is_some_and(|n| n.len() > 4096) {
        return Err(Error::usage("the note holds at most 4096 bytes")
            .hint("write a summary, and put the details in the log or a runbook"));
    }
    if args.open.iter().any(|item| item.len() > 4096) {
        return Err(Error::usage("an open item holds at most 4096 bytes")
            .hint("write a summary, and put the details in the log or an issue it links to"));
    }
    if args.open.len() > MAX_OPEN_ITEMS {
        return Err(Error::usage(format!(
            "a handover passes on at most {MAX_OPEN_ITEMS} open items"
        ))
        .hint("gather related items into one, or track them in an issue tracker"));
    }
    Ok(())
}

/// The team's files, brought up to date when the handover pulls; then also the turn this
/// clone showed before the pull, which is the one the person means to hand over.
fn pulled(context: &Context) -> Result<(Snapshot, Option<State>)> {
    let seen = context.snapshot()?;
    if !context.pulls(&seen.workspace) {
        return Ok((seen, None));
    }
    let before = seen.state().clone();
    let workspace = context.ready_for_write(seen.workspace)?;
    Ok((Snapshot::read(workspace, context.now)?, Some(before)))
}

/// The checklist's answers and the note: every item done with `--yes`, else asked. `None`
/// when the person declines at the end.
fn answers(
    args: &HandoverArgs,
    workspace: &Workspace,
    plan: &Plan,
    tail: &logbook::Tail,
    carried: &Carried,
    today: NaiveDate,
    runner: Option<&str>,
) -> Result<Option<Answers>> {
    // Past the limit, new items would be left out of the record: refused before anything is
    // asked or written.
    let still_open = carried.items.len() - carried.done.len();
    if still_open + args.open.len() > MAX_OPEN_ITEMS {
        return Err(Error::usage(format!(
            "{still_open} carried and {} new open items are more than the {MAX_OPEN_ITEMS} a handover passes on",
            args.open.len()
        ))
        .hint("close the items that are done with --done N (`rota who` numbers them), or gather related ones into one; nothing was written"));
    }
    if args.yes {
        let mut answers = Answers {
            checklist: workspace
                .roster
                .checklist
                .iter()
                .map(|item| (item.clone(), true, String::new()))
                .collect(),
            open: Vec::new(),
            closed: Vec::new(),
            note: args.note.clone().unwrap_or_default(),
        };
        // Not named by --done: still open, the safe default (never closed unasked).
        for (i, item) in carried.items.iter().enumerate() {
            answers.carry(item, carried.done.contains(&i));
        }
        answers.add_open(&args.open);
        return Ok(Some(answers));
    }
    let standing_in = runner.filter(|r| *r != plan.from);
    introduce(plan, tail, today, standing_in);
    ask(args, workspace, plan, carried).map_err(cancelled)
}

/// What the handover wrote: for `--commit`, and on the terminal. Ends the transaction.
fn announce(context: &Context, transaction: Transaction, before: &State, plan: &Plan) -> Workspace {
    let next = &plan.step.state;
    let workspace = context.finish(
        transaction,
        ChangeKind::Handover,
        format!(
            "rota: handover {} -> {} ({})",
            plan.from,
            plan.to,
            show_day(next.day)
        ),
    );
    if plan.step.reason == Reason::RoundStart {
        context.ui.note(&format!(
            "round {} ended; round {} is shuffled: {}",
            before.round,
            next.round,
            next.order.join(", ")
        ));
    }
    context.ui.note(&format!(
        "handed over: {} → {} ({})",
        plan.from,
        plan.to,
        show_day(next.day)
    ));
    workspace
}

/// `rota handover --undo`: takes back the last handover while the next engineer's day has not
/// begun. The log is only appended to: a `### Taken back` record names the handover, which
/// then no longer counts, and the rotation is where it was before it.
fn undo(context: &Context, runner: Option<&str>) -> Result<String> {
    let mut transaction = context.transaction()?;
    let workspace = transaction.workspace();
    let today = transaction.today();
    let runner = match runner {
        Some(id) => acting_engineer(workspace, id)?,
        None => super::require_user(workspace, "rota handover --undo --engineer ID")?,
    };
    let record = last_handover(workspace, transaction.history(), today)?;
    // The rules every reader holds a take-back to, asked of this one before it is written.
    let at = crate::history::Place {
        line: usize::MAX,
        day: today,
        signed: Some((
            crate::history::utc_minute(context.now),
            workspace.roster.calendar.timezone,
        )),
    };
    if let Err(crate::history::Broken::Rule(why)) =
        crate::history::take_back_rule(&record, &runner, at)
    {
        return Err(Error::refused(format!(
            "rota cannot take back the handover {} → {}: {why}",
            record.from, record.to
        ))
        .hint("an engineer of the team takes it back: `rota handover --undo --engineer ID`"));
    }
    let mut text = transaction.day_heading_needed();
    text += &crate::history::take_back(context.now, &runner, &record);
    transaction.append(&text)?;
    let after = transaction.state().clone();
    // The open items the record carried from the one before are carried by it again.
    let still = transaction
        .history()
        .passed_on(transaction.workspace().roster.calendar.timezone)
        .map(|r| r.open)
        .unwrap_or_default();
    let workspace = context.finish(
        transaction,
        ChangeKind::Other,
        format!("rota: handover {} -> {} taken back", record.from, record.to),
    );
    let served: Vec<String> = record.served.iter().map(|d| show_day(*d)).collect();
    context.ui.note(&format!(
        "took back the handover {} → {} of {}; {} is on call again ({})",
        record.from,
        record.to,
        served.join(", "),
        rotation::current(&workspace.roster, &after)
            .engineer
            .unwrap_or(after.on_call),
        show_day(after.day)
    ));
    // What the record passed on is not carried any more: the handover made again says it.
    let items: Vec<String> = record
        .open
        .iter()
        .filter(|i| !still.contains(i))
        .map(|i| format!("{i:?}"))
        .collect();
    let mut passed_on = Vec::new();
    let mut flags = Vec::new();
    if let Some(note) = &record.note {
        passed_on.push(format!("the note {note:?}"));
        flags.push("--note");
    }
    if !items.is_empty() {
        let s = if items.len() == 1 { "" } else { "s" };
        passed_on.push(format!("the open item{s} {}", items.join(", ")));
        flags.push("--open");
    }
    if !passed_on.is_empty() {
        let one =
            record.note.is_none() && items.len() == 1 || record.note.is_some() && items.is_empty();
        context.ui.note(&format!(
            "it passed on {}: give {} again ({}) when you hand over",
            passed_on.join(" and "),
            if one { "it" } else { "them" },
            flags.join(", ")
        ));
    }
    Ok(String::new())
}

/// The handover `--undo` takes back: the log's last standing one, if the rotation still
/// stands where it left it and the next engineer's day has not begun.
fn last_handover(workspace: &Workspace, history: &History, today: NaiveDate) -> Result<Record> {
    let roster = &workspace.roster;
    let (state, _) = workspace.state(history, today);
    let Some(record) = history
        .standing(roster.calendar.timezone)
        .into_iter()
        .rev()
        .find(|r| r.state(roster.seed).is_some())
        .cloned()
    else {
        return Err(Error::not_found("the log holds no handover to take back")
            .hint("`rota who` shows who is on call"));
    };
    if record.next_day != Some(state.day) {
        return Err(Error::conflict(format!(
            "the rotation no longer stands where the last handover ({} → {} at {} UTC) left it: [rotation] in {} sets it",
            record.from,
            record.to,
            record.time,
            workspace.list_path.display()
        ))
        .hint(format!(
            "change the rotation there, or give the day back with an override: rota cover {} {}",
            state.day, record.from
        )));
    }
    if state.day <= today {
        return Err(Error::refused(format!(
            "{}'s day ({}) has begun: the handover from {} stands",
            record.to,
            show_day(state.day),
            record.from
        ))
        .hint(format!(
            "give the day back with an override instead: rota cover {} {}",
            state.day, record.from
        )));
    }
    Ok(record)
}

/// A handover of a day that the log already shows handed over is refused, naming who did it.
fn refuse_if_served(history: &History, state: &State, zone: chrono_tz::Tz) -> Result<()> {
    let Some(record) = history.served(state.day, zone) else {
        return Ok(());
    };
    let by = match &record.run_by {
        Some(runner) => format!("{runner}, standing in for {}", record.from),
        None => record.from.clone(),
    };
    Err(Error::conflict(format!(
        "{} was already handed over by {by} at {} UTC ({} → {})",
        show_day(state.day),
        record.time,
        record.from,
        record.to
    ))
    .hint("nothing was written; `rota who` shows who is on call now"))
}

/// A handover late by more than about a working year is refused rather than recorded: its
/// record would list every day (and a clock set far ahead would write megabytes).
const MAX_LATE_DAYS: u32 = 260;

/// What the handover will do, decided before anything is asked.
#[derive(PartialEq)]
struct Plan {
    from: String,
    to: String,
    covering_for: Option<String>,
    served: Vec<NaiveDate>,
    late_days: u32,
    step: Step,
}

impl Plan {
    fn new(roster: &Roster, state: &State, today: NaiveDate, force: bool) -> Result<Plan> {
        let current = rotation::current(roster, state);
        let from = rotation::holder(roster, state);
        if state.day > today && !force {
            return Err(Error::refused(format!(
                "{from}'s turn starts {}; nothing to hand over yet",
                show_day(state.day)
            ))
            .hint(
                "the handover happens at the end of the turn; pass --force to hand over now anyway",
            ));
        }
        let late = rotation::late_days(roster, state, today);
        if late > MAX_LATE_DAYS {
            return Err(Error::refused(format!(
                "{from}'s turn has been open since {} ({late} working days): a record would list every one of them",
                show_day(state.day)
            ))
            .hint("record where the rotation stands instead: set round, order, on-call and day in [rotation] (see docs/files.md), or `start` for a new round 1"));
        }
        // The one rule the schedule also follows.
        let step = rotation::handover_step(roster, state, today);
        let to = rotation::holder(roster, &step.state);
        let served = rotation::served_days(roster, state, &step, &from);
        Ok(Plan {
            covering_for: current.scheduled.filter(|s| *s != from),
            from,
            to,
            served,
            late_days: late,
            step,
        })
    }

    fn record<'a>(
        &'a self,
        at: DateTime<Utc>,
        answers: &'a Answers,
        run_by: Option<&'a str>,
    ) -> HandoverRecord<'a> {
        HandoverRecord {
            at,
            from: &self.from,
            to: &self.to,
            run_by,
            on_call: &self.step.state.on_call,
            served: &self.served,
            covering_for: self.covering_for.as_deref(),
            next_day: self.step.state.day,
            late_days: self.late_days,
            gaps: &self.step.gaps,
            checklist: &answers.checklist,
            open: &answers.open,
            closed: &answers.closed,
            note: &answers.note,
            round: self.step.state.round,
            new_round: self.step.reason == Reason::RoundStart,
            order: &self.step.state.order,
            pending: &self.step.state.pending,
        }
    }
}

struct Answers {
    /// Each item, whether it is done, and a note when it is not.
    checklist: Vec<(String, bool, String)>,
    /// What is still open: carried items not done, then new ones.
    open: Vec<String>,
    /// Carried items done now.
    closed: Vec<String>,
    note: String,
}

impl Answers {
    fn carry(&mut self, item: &str, done: bool) {
        if done {
            self.closed.push(item.to_string());
        } else {
            self.open.push(item.to_string());
        }
    }

    /// New open items, on one line each; empty ones, repeats and those past the limit are left
    /// out.
    fn add_open(&mut self, items: &[String]) {
        for item in items.iter().map(|i| one_line(i)) {
            if !item.is_empty() && !self.open.contains(&item) && self.open.len() < MAX_OPEN_ITEMS {
                self.open.push(item);
            }
        }
    }
}

/// The interactive part: the checklist, the carried items, new open items, the note and the
/// confirmation, each answered on a line of its own. `None` when the person declines at the end.
fn ask(
    args: &HandoverArgs,
    workspace: &Workspace,
    plan: &Plan,
    carried: &Carried,
) -> std::io::Result<Option<Answers>> {
    let mut answers = Answers {
        checklist: ask_checklist(&workspace.roster.checklist)?,
        open: Vec::new(),
        closed: Vec::new(),
        note: String::new(),
    };
    for (i, item) in carried.items.iter().enumerate() {
        let done = carried.done.contains(&i)
            || answer(ask_yes_no(
                &format!("Open item from {}: {}. Done?", carried.from, item),
                false,
            )?)?;
        answers.carry(item, done);
    }
    if args.open.is_empty() {
        let mut new = Vec::new();
        while answers.open.len() + new.len() < MAX_OPEN_ITEMS {
            let item = answer(ask_line(&format!(
                "Still open for {} (one per line, empty line ends): ",
                plan.to
            ))?)?;
            if item.trim().is_empty() {
                break;
            }
            new.push(item);
        }
        answers.add_open(&new);
    } else {
        answers.add_open(&args.open);
    }
    answers.note = match &args.note {
        Some(note) => note.clone(),
        None => answer(ask_line(&format!("Note for {} (optional): ", plan.to))?)?,
    };
    let confirmed = answer(ask_yes_no(
        &format!(
            "Hand over to {} for {}?",
            plan.to,
            show_day(plan.step.state.day)
        ),
        true,
    )?)?;
    Ok(confirmed.then_some(answers))
}

/// An answer, or the end of input (Ctrl-D, a closed terminal) as an error that cancels.
fn answer<T>(answer: Option<T>) -> std::io::Result<T> {
    answer.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "end of input"))
}

/// Before the questions: who hands over to whom, and today's log.
fn introduce(plan: &Plan, tail: &logbook::Tail, today: NaiveDate, standing_in: Option<&str>) {
    let by = standing_in
        .map(|runner| format!(", run by {runner} for {}", plan.from))
        .unwrap_or_default();
    say!(
        "Handover: {} → {} ({}){by}",
        plan.from,
        plan.to,
        show_day(plan.step.state.day)
    );
    let entries = tail.entries_on(today);
    if entries.is_empty() {
        say!("\nNo log entries today.");
    } else {
        say!("\nToday's log:");
        for entry in &entries {
            say!("  {entry}");
        }
    }
    say!();
}

/// Each checklist item, yes or no (a line each, Enter for yes); for a no, what is still open.
fn ask_checklist(items: &[String]) -> std::io::Result<Vec<(String, bool, String)>> {
    let mut checklist = Vec::new();
    for item in items {
        let done = answer(ask_yes_no(item, true)?)?;
        let note = if done {
            String::new()
        } else {
            answer(ask_line(
                "  What is open? (a note for the next engineer): ",
            )?)?
        };
        checklist.push((item.clone(), done, note));
    }
    Ok(checklist)
}

/// A prompt that failed (end of input, a closed terminal): the handover stops, writing nothing.
fn cancelled(e: std::io::Error) -> Error {
    Error::cancelled(format!("handover cancelled ({e}); nothing was written"))
}

/// A message to paste into the team's chat: who hands over to whom (by chat handle), what of
/// the checklist is not done, what is still open, and the note.
fn message(roster: &Roster, plan: &Plan, answers: &Answers) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} → {}: you're on call {} for {}.",
        handle(roster, &plan.from),
        handle(roster, &plan.to),
        show_day(plan.step.state.day),
        roster.team_name,
    );
    let not_done: Vec<_> = answers
        .checklist
        .iter()
        .filter(|(_, done, _)| !done)
        .collect();
    if !not_done.is_empty() {
        let _ = writeln!(out, "Not done:");
        for (item, _, note) in not_done {
            let note = one_line(note);
            if note.is_empty() {
                let _ = writeln!(out, "- {item}");
            } else {
                let _ = writeln!(out, "- {item}: {note}");
            }
        }
    }
    if !answers.open.is_empty() {
        let _ = writeln!(out, "Open items:");
        for item in &answers.open {
            let _ = writeln!(out, "- {item}");
        }
    }
    let note = one_line(&answers.note);
    if !note.is_empty() {
        let _ = writeln!(out, "Note: {note}");
    }
    out
}

/// How the chat names an engineer: their `chat` handle (`@alice`, or `alice` written with its
/// `@`), else their id: a guessed `@id` could reach someone else.
fn handle(roster: &Roster, id: &str) -> String {
    let chat = roster.engineer(id).and_then(|e| e.chat.as_deref());
    let word = |c: char| c.is_alphanumeric() || "._-".contains(c);
    match chat.map(str::trim) {
        Some(chat) if chat.starts_with('@') && chat[1..].chars().all(word) && chat.len() > 1 => {
            chat.to_string()
        }
        Some(chat) if !chat.is_empty() && chat.chars().all(word) => format!("@{chat}"),
        _ => id.to_string(),
    }
}

/// What a handover hook reads on stdin, after `"event": "handover"`.
#[derive(Serialize)]
struct HookEvent<'a> {
    team: &'a str,
    /// When the handover was recorded (RFC 3339, UTC).
    at: String,
    from: Person,
    to: Person,
    run_by: Option<&'a str>,
    /// The first day of the next engineer's turn.
    next_day: String,
    served: Vec<String>,
    checklist: Vec<HookItem<'a>>,
    open_items: &'a [String],
    done_items: &'a [String],
    note: String,
    /// The paste-ready message rota printed.
    message: &'a str,
}

#[derive(Serialize)]
struct HookItem<'a> {
    item: &'a str,
    done: bool,
    note: String,
}

impl<'a> HookEvent<'a> {
    fn new(
        context: &Context,
        roster: &'a Roster,
        plan: &'a Plan,
        answers: &'a Answers,
        run_by: Option<&'a str>,
        message: &'a str,
    ) -> HookEvent<'a> {
        HookEvent {
            team: &roster.team_name,
            at: context
                .now
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            from: Person::of(roster, &plan.from, context.now),
            to: Person::of(roster, &plan.to, context.now),
            run_by,
            next_day: plan.step.state.day.to_string(),
            served: plan.served.iter().map(ToString::to_string).collect(),
            checklist: answers
                .checklist
                .iter()
                .map(|(item, done, note)| HookItem {
                    item,
                    done: *done,
                    note: one_line(note),
                })
                .collect(),
            open_items: &answers.open,
            done_items: &answers.closed,
            note: one_line(&answers.note),
            message,
        }
    }
}
