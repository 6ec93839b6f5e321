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

use chrono::NaiveDate;
use dialoguer::{Confirm, Input};

use super::{ChangeKind, Context, current_user, known_engineer};
use crate::calendar::show_day;
use crate::cli::HandoverArgs;
use crate::error::{Error, Result};
use crate::history::{History, Record};
use crate::logbook::{self, HandoverRecord};
use crate::roster::Roster;
use crate::rotation::{self, Reason, State, Step};
use crate::store::Workspace;

pub fn run(context: &Context, args: &HandoverArgs) -> Result<String> {
    if args.undo {
        return undo(context, args.runner.as_deref());
    }
    refuse_args(context, args)?;
    let (workspace, seen) = pulled(context)?;
    let today = context.today(&workspace);
    let zone = workspace.roster.calendar.timezone;
    let tail = logbook::read_tail(&workspace.log_path)?;
    let (state, _) = workspace.state(tail.history(), today);
    if let Some(seen) = &seen
        && *seen != state
    {
        refuse_if_served(tail.history(), seen, zone)?;
    }
    let runner = match &args.runner {
        Some(id) => Some(known_engineer(&workspace.roster, id)?.id.clone()),
        None => current_user(&workspace)?,
    };
    let plan = Plan::new(&workspace.roster, &state, today, args.force)?;
    let Some(answers) = answers(args, &workspace, &plan, &tail, today, runner.as_deref())? else {
        context.ui.note("handover cancelled; nothing was written");
        return Ok(String::new());
    };

    // Decided again under the team's lock, from the files as they are now.
    let (mut log, workspace) = context.locked(&workspace)?;
    let history = log.tail.history();
    let (now, notices) = workspace.state(history, today);
    if now != state {
        refuse_if_served(history, &state, zone)?;
        return Err(Error::conflict("the rotation changed while you were answering")
            .hint("someone else handed over or edited on-call-list.toml; run `rota who`, then hand over again if it is still yours"));
    }
    for notice in &notices {
        context.ui.note(notice);
    }
    let roster = &workspace.roster;
    let run_by = runner.as_deref().filter(|r| *r != plan.from);
    let mut text = String::new();
    if log.tail.file_len == 0 {
        text += &logbook::new_log_header(&roster.team_name);
    }
    text += &super::day_heading_needed(&log, today);
    text += &plan.record(context, &answers, run_by).render();
    log.append(&text)?;
    drop(log);
    announce(context, &workspace, &state, &plan);
    Ok(message(roster, &plan, &answers))
}

/// Refuses what the arguments ask before anything is read: a checklist without a terminal
/// (and without `--yes`), a note too long for a record.
fn refuse_args(context: &Context, args: &HandoverArgs) -> Result<()> {
    if !args.yes && !context.ui.interactive {
        return Err(Error::usage("rota handover needs a terminal to walk the checklist")
            .hint("pass --yes to confirm every item (and --note TEXT for the next engineer), or run it in a terminal"));
    }
    if args.note.as_ref().is_some_and(|n| n.len() > 4096) {
        return Err(Error::usage("the note holds at most 4096 bytes")
            .hint("write a summary, and put the details in the log or a runbook"));
    }
    Ok(())
}

/// The team's files, brought up to date when the handover pulls; then also the turn this
/// clone showed before the pull, which is the one the person means to hand over.
fn pulled(context: &Context) -> Result<(Workspace, Option<State>)> {
    let seen = context.workspace()?;
    let before = if context.pulls(&seen) {
        Some(context.state(&seen)?)
    } else {
        None
    };
    Ok((context.ready_for_write(seen)?, before))
}

/// The checklist's answers and the note: every item done with `--yes`, else asked. `None`
/// when the person declines at the end.
fn answers(
    args: &HandoverArgs,
    workspace: &Workspace,
    plan: &Plan,
    tail: &logbook::Tail,
    today: NaiveDate,
    runner: Option<&str>,
) -> Result<Option<Answers>> {
    if args.yes {
        return Ok(Some(Answers {
            checklist: workspace
                .roster
                .checklist
                .iter()
                .map(|item| (item.clone(), true, String::new()))
                .collect(),
            note: args.note.clone().unwrap_or_default(),
        }));
    }
    let standing_in = runner.filter(|r| *r != plan.from);
    ask(
        workspace,
        plan,
        args.note.as_deref(),
        tail,
        today,
        standing_in,
    )
}

/// What the handover wrote: for `--commit`, and on the terminal.
fn announce(context: &Context, workspace: &Workspace, before: &State, plan: &Plan) {
    let next = &plan.step.state;
    context.changed(
        workspace,
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
}

/// `rota handover --undo`: takes back the last handover while the next engineer's day has not
/// begun. The log is only appended to: a `### Taken back` record names the handover, which
/// then no longer counts, and the rotation is where it was before it.
fn undo(context: &Context, runner: Option<&str>) -> Result<String> {
    let workspace = context.workspace_for_write()?;
    let (mut log, workspace) = context.locked(&workspace)?;
    let roster = &workspace.roster;
    let today = context.today(&workspace);
    let runner = match runner {
        Some(id) => known_engineer(roster, id)?.id.clone(),
        None => super::require_user(&workspace, "rota handover --undo --engineer ID")?,
    };
    let record = last_handover(&workspace, log.tail.history(), today)?;
    let mut text = super::day_heading_needed(&log, today);
    text += &crate::history::take_back(context.now, &runner, &record);
    log.append(&text)?;
    let (after, _) = workspace.state(log.tail.history(), today);
    drop(log);
    context.changed(
        &workspace,
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
        .hint("change the rotation there, or use `rota cover DATE ID` to give a day back"));
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
        let from = current
            .engineer
            .clone()
            .unwrap_or_else(|| state.on_call.clone());
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
            .hint("record where the rotation stands instead: set round, order, on-call and day in [rotation] (see the README), or `start` for a new round 1"));
        }
        let yesterday = today
            .pred_opt()
            .expect("dates stay far from chrono's limits");
        // The one rule the schedule also follows: the next turn starts on the first working
        // day after max(day, yesterday).
        let step = rotation::next_turn(roster, state, state.day.max(yesterday));
        let next = rotation::current(roster, &step.state);
        let to = next
            .engineer
            .clone()
            .unwrap_or_else(|| step.state.on_call.clone());
        let served = std::iter::successors(Some(state.day), |d| d.succ_opt())
            .take_while(|d| *d < step.state.day)
            .filter(|d| roster.calendar.is_working_day(*d) && !step.gaps.contains(d))
            // A day an override gave to someone else was not served by the one handing over.
            .filter(|d| roster.override_on(*d).is_none_or(|o| o.engineer == from))
            .collect();
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
        context: &Context,
        answers: &'a Answers,
        run_by: Option<&'a str>,
    ) -> HandoverRecord<'a> {
        HandoverRecord {
            at: context.now,
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
    note: String,
}

/// The interactive part. `None` when the person declines at the end.
fn ask(
    workspace: &Workspace,
    plan: &Plan,
    note: Option<&str>,
    tail: &logbook::Tail,
    today: NaiveDate,
    standing_in: Option<&str>,
) -> Result<Option<Answers>> {
    introduce(plan, tail, today, standing_in);
    let checklist = ask_checklist(&workspace.roster.checklist)?;
    let note = match note {
        Some(note) => note.to_string(),
        None => Input::<String>::new()
            .with_prompt(format!("Note for {} (optional)", plan.to))
            .allow_empty(true)
            .interact_text()
            .map_err(cancelled)?,
    };
    let confirmed = Confirm::new()
        .with_prompt(format!(
            "Hand over to {} for {}?",
            plan.to,
            show_day(plan.step.state.day)
        ))
        .default(true)
        .interact()
        .map_err(cancelled)?;
    Ok(confirmed.then_some(Answers { checklist, note }))
}

/// Before the questions: who hands over to whom, and today's log.
fn introduce(plan: &Plan, tail: &logbook::Tail, today: NaiveDate, standing_in: Option<&str>) {
    let by = standing_in
        .map(|runner| format!(", run by {runner} for {}", plan.from))
        .unwrap_or_default();
    eprintln!(
        "Handover: {} → {} ({}){by}",
        plan.from,
        plan.to,
        show_day(plan.step.state.day)
    );
    let entries = tail.entries_on(today);
    if entries.is_empty() {
        eprintln!("\nNo log entries today.");
    } else {
        eprintln!("\nToday's log:");
        for entry in &entries {
            eprintln!("  {entry}");
        }
    }
    eprintln!();
}

/// Each checklist item, yes or no; for a no, what is still open.
fn ask_checklist(items: &[String]) -> Result<Vec<(String, bool, String)>> {
    let mut checklist = Vec::new();
    for item in items {
        let done = Confirm::new()
            .with_prompt(item)
            .default(true)
            .interact()
            .map_err(cancelled)?;
        let note = if done {
            String::new()
        } else {
            Input::<String>::new()
                .with_prompt("  What is open? (a note for the next engineer)")
                .allow_empty(true)
                .interact_text()
                .map_err(cancelled)?
        };
        checklist.push((item.clone(), done, note));
    }
    Ok(checklist)
}

/// A prompt that failed (Ctrl-C, a closed terminal): the handover stops, writing nothing.
fn cancelled(e: dialoguer::Error) -> Error {
    Error::cancelled(format!("handover cancelled ({e}); nothing was written"))
}

/// A message to paste into the team's chat for the next engineer.
fn message(roster: &Roster, plan: &Plan, answers: &Answers) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Hi {}, you're on call {} for {}, taking over from {}.",
        roster.name_of(&plan.to),
        show_day(plan.step.state.day),
        roster.team_name,
        roster.name_of(&plan.from)
    );
    let open: Vec<_> = answers
        .checklist
        .iter()
        .filter(|(_, done, _)| !done)
        .collect();
    if !open.is_empty() {
        let _ = writeln!(out, "Open items:");
        for (item, _, note) in open {
            if note.trim().is_empty() {
                let _ = writeln!(out, "- {item}");
            } else {
                let _ = writeln!(out, "- {item}: {}", note.trim());
            }
        }
    }
    if !answers.note.trim().is_empty() {
        let _ = writeln!(out, "Note: {}", answers.note.trim());
    }
    out
}
