//! One reading of the team's files, and one write.
//!
//! A [`Snapshot`] reads the list and the end of the log once, and computes where the rotation
//! stands once: every question a reading command asks is answered from it. A [`Transaction`]
//! is the only way to change the files: it takes the team's lock (the log's, held for appending),
//! reads both files again under it, lets the command decide on that fresh reading, appends or
//! edits, and gives back what it wrote when it ends. The lock lives inside it, so no command can
//! decide outside the lock or forget to hold it.

use std::borrow::Cow;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use toml_edit::DocumentMut;

use crate::error::{Error, Result};
use crate::history::History;
use crate::logbook::{self, LockedLog, Notice, Tail};
use crate::rotation::State;
use crate::store::Workspace;

/// The team's files as read once, and where the rotation stands after them.
pub struct Snapshot {
    pub workspace: Workspace,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    /// The end of the log, whose records say where the rotation stands.
    tail: Tail,
    state: State,
    /// What was reconciled between the log's last record and the list as it is now.
    reconciled: Vec<String>,
    /// The tail holds the whole log, given as text: nothing more is read from disk.
    whole: bool,
}

impl Snapshot {
    /// Reads the end of the log beside `workspace`'s list, as of `now`.
    pub fn read(workspace: Workspace, now: DateTime<Utc>) -> Result<Snapshot> {
        let zone = workspace.roster.calendar.timezone;
        let tail = logbook::read_tail(&workspace.log_path, zone)?;
        let today = workspace.roster.calendar.today(now);
        let (state, reconciled) = workspace.state(tail.history(), today);
        Ok(Snapshot {
            workspace,
            now,
            today,
            tail,
            state,
            reconciled,
            whole: false,
        })
    }

    /// The team's files as given in text (a revision's, or the working tree's read whole, for
    /// `rota diff`), as of `now`: the list (named `list_path` in messages) and the whole log.
    /// Nothing is read from disk, then or later.
    pub fn from_texts(
        list_path: PathBuf,
        list: &str,
        log: &str,
        now: DateTime<Utc>,
    ) -> Result<Snapshot> {
        Ok(Snapshot::with_log(
            Workspace::from_text(list_path, list)?,
            log,
            now,
        ))
    }

    /// `workspace`'s list with the whole log given as text, as of `now` (see [`Self::from_texts`]).
    pub fn with_log(workspace: Workspace, log: &str, now: DateTime<Utc>) -> Snapshot {
        let tail = Tail::from_text(log);
        let today = workspace.roster.calendar.today(now);
        let (state, reconciled) = workspace.state(tail.history(), today);
        Snapshot {
            workspace,
            now,
            today,
            tail,
            state,
            reconciled,
            whole: true,
        }
    }

    /// Where the rotation stands.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The records at the end of the log.
    pub fn history(&self) -> &History {
        self.tail.history()
    }

    /// The end of the log.
    pub fn tail(&self) -> &Tail {
        &self.tail
    }

    /// What was reconciled with the list as it is now (an engineer gone, one added).
    pub fn reconciled(&self) -> &[String] {
        &self.reconciled
    }

    /// The log's records that answer for days from `from` on: the end of the log already read
    /// when it reaches back to `from`, else the log read from where the day before `from`
    /// starts (found from the end), so the cost follows the window asked about, not the age of
    /// the log.
    pub fn history_from(&self, from: NaiveDate) -> Result<Cow<'_, History>> {
        // The tail's records serve consecutive days up to the current turn: enough when they
        // reach back to `from` (today, just handed over, on the everyday path).
        let covered = self
            .history()
            .standing(self.workspace.roster.calendar.timezone)
            .into_iter()
            .flat_map(|r| r.served.first())
            .any(|first| *first <= from);
        if self.whole || from >= self.state.day || covered {
            return Ok(Cow::Borrowed(self.history()));
        }
        logbook::read_history_from(&self.workspace.log_path, Some(from)).map(Cow::Owned)
    }
}

/// A change to the team's files, made under the team's lock on what the files hold now.
pub struct Transaction {
    log: LockedLog,
    workspace: Workspace,
    now: DateTime<Utc>,
    today: NaiveDate,
    state: State,
    reconciled: Vec<String>,
    wrote_list: bool,
    wrote_log: bool,
}

/// What a transaction wrote, once its lock is released.
pub struct Written {
    /// The list as it is after the transaction.
    pub workspace: Workspace,
    /// The files it changed, list first.
    pub paths: Vec<PathBuf>,
}

impl Transaction {
    /// Takes the team's lock and reads both files again under it. Refused while git holds
    /// either file as unmerged: a failed merge may have left one side only, with no markers.
    pub fn begin(seen: &Workspace, now: DateTime<Utc>) -> Result<Transaction> {
        refuse_unmerged(seen)?;
        refuse_untracked_log(seen)?;
        let creates = std::fs::symlink_metadata(&seen.log_path).is_err();
        let log = logbook::lock(&seen.log_path, seen.roster.calendar.timezone)?;
        if creates {
            crate::git::remember_created(seen.dir(), &seen.log_path);
        }
        let workspace = seen.reread()?;
        let today = workspace.roster.calendar.today(now);
        let (state, reconciled) = workspace.state(log.tail.history(), today);
        Ok(Transaction {
            log,
            workspace,
            now,
            today,
            state,
            reconciled,
            wrote_list: false,
            wrote_log: false,
        })
    }

    /// What opening the log repaired or left alone, to tell the person.
    pub fn notices(&self) -> &[Notice] {
        &self.log.notices
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Where the rotation stands now, after anything this transaction wrote.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// What was reconciled with the list as it is now.
    pub fn reconciled(&self) -> &[String] {
        &self.reconciled
    }

    /// The end of the log, with what this transaction appended.
    pub fn tail(&self) -> &Tail {
        &self.log.tail
    }

    pub fn history(&self) -> &History {
        self.log.tail.history()
    }

    /// The heading of today's section, to write before an append unless the log's last
    /// section is already today's.
    pub fn day_heading_needed(&self) -> String {
        if self.log.tail.last_section_is_day(self.today) {
            String::new()
        } else {
            format!("\n{}\n", crate::logformat::day_heading(self.today))
        }
    }

    /// Appends `text` to the log in one write (see [`LockedLog::append`]).
    pub fn append(&mut self, text: &str) -> Result<()> {
        self.log.append(text)?;
        self.wrote_log = true;
        self.settle();
        Ok(())
    }

    /// Changes the list through `toml_edit` and replaces it atomically (see
    /// [`Workspace::edit`]).
    pub fn edit_list(
        &mut self,
        change: impl FnOnce(&mut DocumentMut) -> Result<(), String>,
    ) -> Result<()> {
        self.workspace.edit(change)?;
        self.wrote_list = true;
        self.settle();
        Ok(())
    }

    /// Where the rotation stands after what was written.
    fn settle(&mut self) {
        let (state, reconciled) = self.workspace.state(self.log.tail.history(), self.today);
        self.state = state;
        self.reconciled = reconciled;
    }

    /// Ends the transaction: the lock is released, and what was written is handed back.
    pub fn finish(self) -> Written {
        let mut paths = Vec::new();
        if self.wrote_list {
            paths.push(self.workspace.list_path.clone());
        }
        if self.wrote_log {
            paths.push(self.workspace.log_path.clone());
        }
        Written {
            workspace: self.workspace,
            paths,
        }
    }
}

fn refuse_unmerged(workspace: &Workspace) -> Result<()> {
    let files = [workspace.list_path.as_path(), workspace.log_path.as_path()];
    let Some(path) = crate::git::unmerged(workspace.dir(), &files)
        .into_iter()
        .next()
    else {
        return Ok(());
    };
    Err(Error::conflict(format!(
        "{} is not merged yet: git stopped a merge on it",
        path.display()
    ))
    .hint(crate::conflict::finish_merge(&path)))
}

/// In a git clone the log is a file the repository holds, or one rota created in this clone
/// (now, or before it was first committed): never an existing file git does not track. A
/// pulled list's `log = ".envrc"` would otherwise append to an engineer's private file,
/// commit it and push it.
fn refuse_untracked_log(workspace: &Workspace) -> Result<()> {
    let log = &workspace.log_path;
    if std::fs::symlink_metadata(log).is_err()
        || crate::git::tracked(workspace.dir(), log) != Some(false)
        || crate::git::created_here(workspace.dir(), log)
    {
        return Ok(());
    }
    let quoted = |p: &std::path::Path| crate::git::shell_quote(&p.display().to_string());
    Err(Error::refused(format!(
        "{} exists but git does not track it: rota writes its log only into a file the team's repository holds, or one it creates",
        log.display()
    ))
    .hint(format!(
        "if a pulled commit pointed team.log at it, see which: git -C {} log -p -- {}",
        quoted(workspace.dir()),
        quoted(&workspace.list_path)
    ))
    .hint(format!(
        "if it is the team's log, commit it first: git -C {} add -- {} && git -C {} commit -m \"rota: the on-call log\"",
        quoted(workspace.dir()),
        quoted(log),
        quoted(workspace.dir())
    ))
    .hint("nothing was written"))
}
