//! One file per command; this module holds what they share: the clock, the terminal, where
//! the team's files are, and the way every command reads them ([`Snapshot`]) or writes them
//! ([`Transaction`]), then commits and pushes what was written.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::cli::{Cli, Command, WhoArgs};
use crate::error::{Error, ErrorKind, Result};
use crate::roster::CommitPolicy;
use crate::session::{Snapshot, Transaction};
use crate::store::Workspace;
use crate::ui::Ui;
use crate::{clock, git, logbook, roster};

mod announce;
mod away;
mod away_import;
mod check;
mod cover;
mod diff;
mod forge;
mod handover;
mod holidays;
pub(crate) mod init;
mod log;
mod merge_driver;
mod next;
pub(crate) mod output;
mod page;
mod publish;
mod remind;
mod schedule;
mod schema;
pub(crate) mod shell;
mod stats;
pub(crate) mod status;
mod swap;
mod team;
mod teams;
mod teams_page;
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
pub struct Change {
    pub dir: PathBuf,
    /// The team's log, where a pull may bring another clone's handover of the same day.
    pub log: PathBuf,
    pub paths: Vec<PathBuf>,
    pub message: String,
    pub policy: CommitPolicy,
    pub push: bool,
    pub kind: ChangeKind,
}

/// What a command changed, which decides whether `commit = "handover"` commits it now.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A log entry: with `commit = "handover"`, it waits for the day's handover.
    Entry,
    /// A handover: after a pull, rota looks for another clone's handover of the same day.
    Handover,
    /// Anything else: an override, an absence, a correction.
    Other,
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
        Some(Command::Holidays(args)) => holidays::run(&context, &args)?,
        Some(Command::Swap(args)) => swap::run(&context, &args)?,
        Some(Command::Cover(args)) => cover::run(&context, &args)?,
        Some(Command::Announce(args)) => announce::run(&context, &args)?,
        Some(Command::Stats(args)) => stats::run(&context, &args)?,
        Some(Command::Diff(args)) => diff::run(&context, &args)?,
        Some(Command::Remind(args)) => remind::run(&context, &args)?,
        Some(Command::Check(args)) => check::run(&context, &args)?,
        Some(Command::Init(args)) => init::run(&context, &args)?,
        Some(Command::Team(args)) => team::run(&context, &args)?,
        Some(Command::Publish(args)) => publish::run(&context, &args)?,
        Some(Command::Schema) => schema::run(),
        Some(Command::Completions(args)) => shell::completions(args.shell),
        Some(Command::Man(args)) => shell::man(&context, args.out.as_deref())?,
        Some(Command::MergeDriver(args)) => merge_driver::run(&args)?,
    };
    print(&output)?;
    context.commit_and_push()
}

/// Prints a command's data to stdout. A closed pipe (`rota who | head -1`) is not an error.
pub(super) fn print(output: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::of(
            ErrorKind::Io(e.kind()),
            format!("cannot write the output: {e}"),
        )),
        _ => Ok(()),
    }
}

impl Context {
    /// A context for the team in `dir` at `now`, as a unit test runs a command.
    #[cfg(test)]
    pub fn for_test(dir: &std::path::Path, now: DateTime<Utc>) -> Context {
        Context {
            now,
            ui: Ui::new(crate::cli::ColorChoice::Never),
            dir: Some(dir.to_path_buf()),
            commit: false,
            push: false,
            change: std::cell::RefCell::new(None),
        }
    }

    /// Runs this clone's hook for `event` (see [`crate::hooks`]), if one is configured, once
    /// the command has written. A hook that fails is reported; what was written stands.
    pub fn hook<T: serde::Serialize>(&self, workspace: &Workspace, event: &str, payload: &T) {
        if let crate::hooks::Outcome::Failed { why, source } =
            crate::hooks::run(workspace.dir(), event, payload)
        {
            self.ui.warn(
                &format!("the {event} hook failed ({why}); the {event} is recorded all the same"),
                Some(&format!(
                    "the hook is {source}: fix the command, or remove it"
                )),
            );
        }
    }

    /// Whether `--commit` (or `--push`) asks to commit what the command writes.
    pub fn commits(&self) -> bool {
        self.commit || self.push
    }

    /// Whether `--push` asks to push it.
    pub fn pushes(&self) -> bool {
        self.push
    }

    pub fn changed_files(&self, change: Change) {
        *self.change.borrow_mut() = Some(change);
    }

    /// Commits and pushes what the command wrote, when asked to.
    fn commit_and_push(self) -> Result<()> {
        let Some(change) = self.change.into_inner() else {
            return Ok(());
        };
        let push = self.push || change.push;
        let wanted = self.commit
            || push
            || match change.policy {
                CommitPolicy::Always => true,
                CommitPolicy::Handover => change.kind != ChangeKind::Entry,
                CommitPolicy::Never => false,
            };
        if !wanted {
            return Ok(());
        }
        let committed = git::commit(&change.dir, &change.paths, &change.message)?;
        if !push {
            return Ok(());
        }
        // `push = true` in the list is the team's setting, pulled like any file: it pushes
        // rota's own commit only. The whole branch goes when the engineer says so in their
        // clone: `--push` typed, or `git config rota.pushAll true`.
        let carry = if self.push || git::config_flag(&change.dir, "rota.pushAll") {
            git::Carry::Branch
        } else {
            git::Carry::OwnOnly(usize::from(committed))
        };
        let log = Some(change.log.clone());
        let after_pull = || {
            // A handover of the same day may have arrived with the pull: say so now. Both are
            // recent, so the last month of the log holds them.
            if change.kind == ChangeKind::Handover
                && let Some(log) = &log
                && logbook::read_history_from(
                    log,
                    Some(self.now.date_naive() - chrono::Duration::days(31)),
                )?
                .duplicates(chrono_tz::UTC)
                .iter()
                .any(|d| !d.settled)
            {
                self.ui.warn(
                    "another clone handed over the same day meanwhile: the record first in the log stands in every clone",
                    Some("`rota check` names both records; `rota check --fix` settles it by appending a correction"),
                );
            }
            Ok(())
        };
        match git::push(&change.dir, carry, after_pull)? {
            git::Pushed::Done => Ok(()),
            git::Pushed::Pending(problem) => {
                self.ui.warn(
                    &format!("committed here, but not pushed: {problem}"),
                    Some("the push is pending: run `git push` when the remote can be reached"),
                );
                Ok(())
            }
        }
    }

    /// Whether a write pulls first (`--push`, or `push = true`).
    pub fn pulls(&self, workspace: &Workspace) -> bool {
        self.push || workspace.roster.push
    }

    /// `workspace`, brought up to date before a write: with `--push` (or `push = true`), the
    /// clone is first brought up to date with its remote, so that what the command decides,
    /// it decides on what the team has.
    pub fn ready_for_write(&self, workspace: Workspace) -> Result<Workspace> {
        let committing =
            self.commit || workspace.roster.push || workspace.roster.commit != CommitPolicy::Never;
        if committing && git::operation_in_progress(workspace.dir()) {
            return Err(Error::conflict(
                "a git merge or rebase is in progress here: rota would commit into it",
            )
            .hint("finish it first (git status says how), then run the command again"));
        }
        if !self.pulls(&workspace) {
            return Ok(workspace);
        }
        match git::pull(workspace.dir())? {
            git::Pull::Done => self.workspace(),
            git::Pull::NoUpstream => Ok(workspace),
            git::Pull::Offline(problem) => {
                self.ui.warn(
                    &format!("could not reach the remote ({problem})"),
                    Some("rota writes and commits here; the push is pending until the remote can be reached"),
                );
                Ok(workspace)
            }
        }
    }

    /// The team's list. In a git clone, registers rota's merge drivers the first time, and
    /// warns when the clone is behind its upstream.
    pub fn workspace(&self) -> Result<Workspace> {
        let workspace = Workspace::open(self.dir.as_deref(), &current_dir()?)?;
        self.settle_clone(workspace.dir(), self.pulls(&workspace));
        warn_former_ahead(&self.ui, &workspace.roster, self.today(&workspace));
        Ok(workspace)
    }

    /// The team's files read once, with where the rotation stands. Reading writes nothing.
    pub fn snapshot(&self) -> Result<Snapshot> {
        Snapshot::read(self.workspace()?, self.now)
    }

    /// Every team of the repository that holds the current directory (or `--dir`), for
    /// `--all` (see [`crate::teams`]). In a clone, does once what every command does there
    /// (see [`Context::settle_clone`]).
    pub fn teams(&self) -> Result<crate::teams::Found> {
        let cwd = current_dir()?;
        let start = self.dir.as_ref().map_or(cwd.clone(), |dir| cwd.join(dir));
        let found = crate::teams::find(&start, &crate::teams::LIMITS)?;
        if found.git {
            self.settle_clone(&found.top, false);
        }
        for dir in &found.unreadable {
            self.ui.warn(
                &format!(
                    "cannot read {}: no team below it is included",
                    dir.display()
                ),
                None,
            );
        }
        if found.teams.is_empty() {
            return Err(Error::not_found(format!(
                "no {} in {} or below it",
                roster::LIST_FILE,
                found.top.display()
            ))
            .hint("--all finds every directory that holds an on-call-list.toml, from the top of the repository")
            .hint("start a team in a directory of its own: mkdir TEAM-DIR && rota --dir TEAM-DIR init --team NAME --timezone ZONE --engineer ID,NAME,EMAIL"));
        }
        Ok(found)
    }

    /// One of those teams' files read once, as [`Context::snapshot`] reads the team's.
    pub fn team_snapshot(&self, team: &crate::teams::Team) -> Result<Snapshot> {
        let workspace = Workspace::read(team.list_path())?;
        warn_former_ahead(&self.ui, &workspace.roster, self.today(&workspace));
        Snapshot::read(workspace, self.now)
    }

    /// What every command does in a clone before anything else: register the merge drivers
    /// the first time, and say when the clone is behind its upstream (unless it is about to
    /// pull).
    pub fn settle_clone(&self, dir: &std::path::Path, pulling: bool) {
        if std::env::current_exe().is_ok_and(|exe| git::register_drivers(dir, &exe)) {
            self.ui.note("registered rota's merge drivers in this clone's git config (merge.rota-log, merge.rota-list)");
        }
        if !pulling && let Some(behind) = git::behind_upstream(dir).filter(|n| *n > 0) {
            self.ui.warn(
                &format!(
                    "this clone is {behind} commit{} behind its upstream (as of the last fetch)",
                    if behind == 1 { "" } else { "s" }
                ),
                Some("run `git pull` to see what the team has done"),
            );
        }
    }

    pub fn today(&self, workspace: &Workspace) -> NaiveDate {
        workspace.roster.calendar.today(self.now)
    }

    /// A write: the clone brought up to date when the write pulls, then the team's lock and
    /// the files read again under it (see [`Transaction`]).
    pub fn transaction(&self) -> Result<Transaction> {
        let seen = self.ready_for_write(self.workspace()?)?;
        self.begin(&seen)
    }

    /// A write on files already brought up to date (`seen`): the team's lock, and the files
    /// read again under it.
    pub fn begin(&self, seen: &Workspace) -> Result<Transaction> {
        let transaction = Transaction::begin(seen, self.now)?;
        for notice in transaction.notices() {
            match notice {
                logbook::Notice::Repaired(text) => self.ui.note(text),
                logbook::Notice::Warning(text, hint) => self.ui.warn(text, hint.as_deref()),
            }
        }
        Ok(transaction)
    }

    /// Ends `transaction`, releasing the lock; what it wrote is committed (and pushed) when
    /// the command has finished, as `--commit`, `--push` and `[team]` ask. Returns the list
    /// as it is now.
    pub fn finish(
        &self,
        transaction: Transaction,
        kind: ChangeKind,
        message: impl Into<String>,
    ) -> Workspace {
        let written = transaction.finish();
        let workspace = written.workspace;
        if !written.paths.is_empty() {
            self.changed_files(Change {
                dir: workspace.dir().to_path_buf(),
                log: workspace.log_path.clone(),
                paths: written.paths,
                message: message.into(),
                policy: workspace.roster.commit,
                push: workspace.roster.push,
                kind,
            });
        }
        workspace
    }
}

/// A day a command is asked about must lie within about ten years of today: the schedule is
/// computed day by day, and no answer needs more.
pub fn within_reach(today: NaiveDate, day: NaiveDate) -> Result<()> {
    if (day - today).num_days().abs() <= crate::calendar::MAX_SPAN_DAYS {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{day} is more than {} days from today",
        crate::calendar::MAX_SPAN_DAYS
    ))
    .hint("ask about days within ten years of today"))
}

/// An override naming someone no longer in the team is history while its day is past; ahead,
/// the rotation's engineer is on call that day. Said, with how to take it back, and the
/// command goes on: a merge of a swap with the removal of its engineer must not stop anyone.
fn warn_former_ahead(ui: &crate::ui::Ui, roster: &roster::Roster, today: NaiveDate) {
    for o in roster.former_overrides.iter().filter(|o| o.date >= today) {
        ui.warn(
            &format!(
                "{}:{}: the {} on {} puts {}, who is not an engineer of the team, on call; rota leaves the day to the rotation",
                o.at.path.display(),
                o.at.line,
                o.kind.as_str(),
                crate::calendar::show_day(o.date),
                o.engineer
            ),
            roster
                .undo_override(o.date)
                .map(|undo| format!("take it back: {undo}"))
                .as_deref(),
        );
    }
}

/// Checks that `id` names an engineer; the error lists the ids there are.
pub fn known_engineer<'a>(roster: &'a roster::Roster, id: &str) -> Result<&'a roster::Engineer> {
    roster.engineer(id).ok_or_else(|| {
        Error::usage(format!("{id:?} is not an engineer of the team"))
            .hint(format!("known ids: {}", roster.ids_listed()))
    })
}

/// The engineer `id` names, for a command that acts as them: someone in the list, or the
/// engineer holding the pager though they have left it ([`crate::rotation::may_act`]); else
/// the error that lists the ids there are.
pub fn acting_engineer(workspace: &Workspace, id: &str) -> Result<String> {
    if let Some(engineer) = workspace.roster.engineer(id) {
        return Ok(engineer.id.clone());
    }
    // Only for an id the list does not know: where the rotation stands, from the log's end.
    let zone = workspace.roster.calendar.timezone;
    let history = logbook::read_tail(&workspace.log_path, zone)?.into_history();
    let today = workspace.roster.calendar.today(clock::now()?);
    let (state, _) = workspace.state(&history, today);
    if crate::rotation::may_act(&workspace.roster, &state, id) {
        return Ok(id.to_string());
    }
    known_engineer(&workspace.roster, id).map(|e| e.id.clone())
}

/// Who is typing: `ROTA_USER`, else the engineer whose email is `git config user.email`, else
/// nobody rota can name. `Err` only for a `ROTA_USER` that names no engineer.
pub fn current_user(workspace: &Workspace) -> Result<Option<String>> {
    let roster = &workspace.roster;
    if let Some(id) = &crate::cli::environment().user
        && !id.trim().is_empty()
    {
        let id = acting_engineer(workspace, id.trim())
            .map_err(|e| e.hint("ROTA_USER must hold your engineer id from on-call-list.toml"))?;
        return Ok(Some(id));
    }
    let email = git::user_email(workspace.dir());
    Ok(email.and_then(|email| {
        roster
            .engineers
            .iter()
            .find(|e| {
                e.email
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case(&email))
            })
            .map(|e| e.id.clone())
    }))
}

/// The person typing, or an error that says how to name them.
pub fn require_user(workspace: &Workspace, what: &str) -> Result<String> {
    if let Some(id) = current_user(workspace)? {
        return Ok(id);
    }
    let why = match git::user_email(workspace.dir()) {
        Some(email) => format!("no engineer has the email {email} (git config user.email)"),
        None => "ROTA_USER is not set and git has no user.email".to_string(),
    };
    Err(Error::usage(format!("rota cannot tell who you are: {why}"))
        .hint(format!("name yourself: {what}"))
        .hint("or set ROTA_USER to your id, or add your git email to your [[engineer]] table"))
}

/// The current directory, where rota looks for the team's files.
pub fn current_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| {
        Error::of(
            ErrorKind::Io(e.kind()),
            format!("cannot read the current directory: {e}"),
        )
    })
}

/// A file's name (the path when it has none) as a message or a commit names it: one line,
/// control and bidi characters as escapes. A calendar given to an import may come by mail,
/// with any name.
pub fn file_name(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy();
    crate::safe::printable(&name).into_owned()
}
