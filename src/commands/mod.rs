//! One file per command; this module holds what they share: the clock, the terminal, and
//! loading the team's files with the rotation started.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::show_day;
use crate::cli::{Cli, Command, WhoArgs};
use crate::error::{Error, Result};
use crate::rotation::{self, State};
use crate::store::Workspace;
use crate::ui::Ui;
use crate::{clock, git, logbook, roster};

mod away;
mod check;
mod cover;
mod handover;
mod init;
mod log;
mod next;
mod schedule;
mod shell;
mod stats;
mod swap;
mod team;
mod who;

/// What every command gets: the moment it runs at, the terminal, and where to look for files.
pub struct Context {
    pub now: DateTime<Utc>,
    pub ui: Ui,
    pub dir: Option<PathBuf>,
    commit: bool,
    push: bool,
    /// What the command wrote, for `--commit`.
    change: std::cell::RefCell<Option<Change>>,
}

/// Files a command wrote, and how to describe it in a commit.
struct Change {
    dir: PathBuf,
    paths: Vec<PathBuf>,
    message: String,
    wanted: bool,
}

pub fn run(cli: Cli) -> Result<()> {
    let context = Context {
        now: clock::now()?,
        ui: Ui::new(cli.color),
        dir: cli.dir,
        commit: cli.commit || cli.push,
        push: cli.push,
        change: std::cell::RefCell::new(None),
    };
    let output = match cli.command {
        None => who::run(&context, &WhoArgs::default())?,
        Some(Command::Who(args)) => who::run(&context, &args)?,
        Some(Command::Log(args)) => log::run(&context, &args)?,
        Some(Command::Handover(args)) => handover::run(&context, &args)?,
        Some(Command::Schedule(args)) => schedule::run(&context, &args)?,
        Some(Command::Next(args)) => next::run(&context, &args)?,
        Some(Command::Away(args)) => away::run(&context, &args)?,
        Some(Command::Swap(args)) => swap::run(&context, &args)?,
        Some(Command::Cover(args)) => cover::run(&context, &args)?,
        Some(Command::Stats(args)) => stats::run(&context, &args)?,
        Some(Command::Check(args)) => check::run(&context, &args)?,
        Some(Command::Init(args)) => init::run(&context, &args)?,
        Some(Command::Team(args)) => team::run(&context, &args)?,
        Some(Command::Completions(args)) => shell::completions(args.shell),
        Some(Command::Man) => shell::man()?,
    };
    print(&output)?;
    match context.change.into_inner() {
        Some(change) if context.commit || change.wanted => {
            git::commit(&change.dir, &change.paths, &change.message, context.push)
        }
        _ => Ok(()),
    }
}

/// Prints a command's data to stdout. A closed pipe (`rota who | head -1`) is not an error.
pub(super) fn print(output: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::new(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

impl Context {
    /// Notes that the command wrote the team's files; `--commit` commits them with `message`.
    pub fn changed(&self, workspace: &Workspace, message: impl Into<String>) {
        let dir = workspace
            .list_path
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .to_path_buf();
        self.changed_files(
            dir,
            vec![workspace.list_path.clone(), workspace.log_path.clone()],
            message.into(),
            workspace.roster.commit,
        );
    }

    pub fn changed_files(&self, dir: PathBuf, paths: Vec<PathBuf>, message: String, wanted: bool) {
        *self.change.borrow_mut() = Some(Change {
            dir,
            paths,
            message,
            wanted,
        });
    }

    pub fn workspace(&self) -> Result<Workspace> {
        Workspace::open(self.dir.as_deref())
    }

    pub fn today(&self, workspace: &Workspace) -> NaiveDate {
        workspace.roster.calendar.today(self.now)
    }

    /// The rotation state; a team without one starts its first round now, and says so.
    pub fn state(&self, workspace: &mut Workspace) -> Result<State> {
        if let Some(state) = workspace.roster.rotation.clone() {
            let notices = std::mem::take(&mut workspace.roster.notices);
            if !notices.is_empty() {
                for notice in &notices {
                    self.ui.note(notice);
                }
                // Saved so that it is said once; the adjusted state holds in memory anyway.
                match workspace.save_state(&state) {
                    Ok(()) => self.changed(workspace, format!("rota: {}", notices.join("; "))),
                    Err(error) => self.ui.warn(
                        &format!("could not save the adjusted rotation: {}", error.summary()),
                        None,
                    ),
                }
            }
            return Ok(state);
        }
        let today = self.today(workspace);
        let step = rotation::first_turn(&workspace.roster, clock::new_seed()?, today);
        workspace.save_state(&step.state).map_err(|e| {
            e.hint(
                "rota starts the rotation on first use by writing a [rotation] table into the file",
            )
        })?;
        let state = step.state;
        self.changed(workspace, "rota: start the rotation (round 1)");
        self.ui.note(&format!(
            "started the rotation in {}: round 1 is {}; {} is on call {}",
            workspace.list_path.display(),
            state.order.join(", "),
            state.on_call,
            show_day(state.day),
        ));
        Ok(state)
    }

    /// Takes the team's lock (the log's) and reads the files again, so that a change is made
    /// to what is on disk now and no other rota process changes them meanwhile.
    pub fn locked(&self, workspace: &Workspace) -> Result<(logbook::LockedLog, Workspace)> {
        let lock = logbook::lock(&workspace.log_path)?;
        let fresh = Workspace::read(workspace.list_path.clone())?;
        Ok((lock, fresh))
    }
}

/// An engineer's contacts and local time at `now`, for `--json`.
pub fn engineer_json(
    roster: &roster::Roster,
    engineer: &roster::Engineer,
    now: DateTime<Utc>,
) -> serde_json::Value {
    let tz = roster.timezone_of(engineer);
    serde_json::json!({
        "id": engineer.id,
        "name": engineer.name,
        "email": engineer.email,
        "chat": engineer.chat,
        "phone": engineer.phone,
        "timezone": tz.name(),
        "local_time": now.with_timezone(&tz).to_rfc3339(),
    })
}

/// The schedule starts at the current turn; before it, only the log knows who was on call.
pub fn refuse_the_past(
    workspace: &Workspace,
    state: &State,
    today: NaiveDate,
    day: NaiveDate,
) -> Result<()> {
    if day >= today.min(state.day) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{} is in the past: rota answers for today and the days ahead",
        show_day(day)
    ))
    .hint(format!(
        "the log records who was on call: `rota log --list --since {day}`, or see {}",
        workspace.log_path.display()
    )))
}

/// Checks that `id` names an engineer; the error lists the ids there are.
pub fn known_engineer<'a>(roster: &'a roster::Roster, id: &str) -> Result<&'a roster::Engineer> {
    roster.engineer(id).ok_or_else(|| {
        let ids: Vec<&str> = roster.engineers.iter().map(|e| e.id.as_str()).collect();
        Error::usage(format!("{id:?} is not an engineer of the team"))
            .hint(format!("known ids: {}", ids.join(", ")))
    })
}

/// The person running rota: `ROTA_USER`, when set.
pub fn current_user(roster: &roster::Roster) -> Result<Option<String>> {
    match std::env::var("ROTA_USER") {
        Ok(id) if !id.trim().is_empty() => {
            known_engineer(roster, id.trim()).map_err(|e| {
                e.hint("ROTA_USER must hold your engineer id from on-call-list.toml")
            })?;
            Ok(Some(id.trim().to_string()))
        }
        _ => Ok(None),
    }
}
