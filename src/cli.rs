//! Every command-line type. Precedence everywhere: flag, then `ROTA_*` environment variable,
//! then the file, then the default.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;

/// What a shell offers for an argument that takes an engineer id: the team's ids, asked of
/// rota when completing (clap_complete's dynamic candidates, declared with the argument).
fn engineer_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(crate::commands::shell::engineer_ids)
}

/// What a shell offers for an argument that takes a day: today and the next 14.
fn days() -> ArgValueCandidates {
    ArgValueCandidates::new(crate::commands::shell::days)
}

/// A working-day on-call rotation, a handover checklist and a topic log, kept in two plain
/// files in the team's git repository.
#[derive(Debug, Parser)]
#[command(name = "rota", version = env!("ROTA_VERSION"), propagate_version = true)]
#[command(
    after_help = "With no command, rota runs `rota who`.\n\nEnvironment: ROTA_DIR (as --dir), ROTA_NOW (an RFC 3339 time that replaces the clock), ROTA_SEED (the seed of a new rotation), ROTA_USER (your engineer id), NO_COLOR."
)]
pub struct Cli {
    /// The directory holding on-call-list.toml [default: the current directory or its nearest
    /// parent that has one]
    #[arg(long, global = true, env = "ROTA_DIR", value_name = "PATH")]
    pub dir: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Commit rota's files after a command that writes them [default: `commit` in [team]]
    #[arg(long, global = true)]
    pub commit: bool,

    /// Commit, then `git push`
    #[arg(long, global = true)]
    pub push: bool,

    #[command(flatten)]
    pub environment: Environment,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The settings read from the environment, each declared once, here, as a clap `env` on a
/// hidden argument of the top command: the parser reads them (a flag of the same name before
/// the subcommand would win), and the code asks [`environment`] for what was read. Not global:
/// copying eight arguments into every subcommand doubled the cost of parsing. `ROTA_DIR` is
/// `--dir`'s.
#[derive(Debug, Clone, Default, Args)]
pub struct Environment {
    /// An RFC 3339 time that replaces the clock (tests, demos)
    #[arg(long = "now", hide = true, env = "ROTA_NOW", value_name = "TIME")]
    pub now: Option<String>,

    /// The seed of a new rotation (`rota init`) instead of a random one
    #[arg(long = "seed", hide = true, env = "ROTA_SEED", value_name = "SEED")]
    pub seed: Option<String>,

    /// Your engineer id, instead of the engineer whose email is `git config user.email`
    #[arg(long = "user", hide = true, env = "ROTA_USER", value_name = "ID")]
    pub user: Option<String>,

    /// The command run after a handover, instead of `git config rota.hook.handover`
    #[arg(
        long = "hook-handover",
        hide = true,
        env = "ROTA_HOOK_HANDOVER",
        value_name = "COMMAND"
    )]
    pub hook_handover: Option<String>,

    /// The command run after an announcement, instead of `git config rota.hook.announce`
    #[arg(
        long = "hook-announce",
        hide = true,
        env = "ROTA_HOOK_ANNOUNCE",
        value_name = "COMMAND"
    )]
    pub hook_announce: Option<String>,

    /// The command run with a reminder (`rota remind`), instead of `git config rota.hook.remind`
    #[arg(
        long = "hook-remind",
        hide = true,
        env = "ROTA_HOOK_REMIND",
        value_name = "COMMAND"
    )]
    pub hook_remind: Option<String>,

    /// How long a hook may run, in seconds (1 to 3600) [default: 60]
    #[arg(
        long = "hook-timeout",
        hide = true,
        env = "ROTA_HOOK_TIMEOUT",
        value_name = "SECONDS"
    )]
    pub hook_timeout: Option<String>,

    /// A fault to inject, for the tests of interrupted writes
    #[arg(
        long = "test-fault",
        hide = true,
        env = "ROTA_TEST_FAULT",
        value_name = "FAULT"
    )]
    pub test_fault: Option<String>,
}

static ENVIRONMENT: std::sync::OnceLock<Environment> = std::sync::OnceLock::new();

impl Environment {
    /// Keeps what the parser read, for [`environment`]; once, at start.
    pub fn keep(self) {
        let _ = ENVIRONMENT.set(self);
    }

    /// The hook command for `event` (`handover`, `announce`), with the variable it came from.
    pub fn hook(&self, event: &str) -> Option<(&str, &'static str)> {
        match event {
            "handover" => self
                .hook_handover
                .as_deref()
                .map(|c| (c, "ROTA_HOOK_HANDOVER")),
            "remind" => self.hook_remind.as_deref().map(|c| (c, "ROTA_HOOK_REMIND")),
            "announce" => self
                .hook_announce
                .as_deref()
                .map(|c| (c, "ROTA_HOOK_ANNOUNCE")),
            _ => None,
        }
    }
}

/// The settings the environment gave this run (none before the command line is parsed).
pub fn environment() -> &'static Environment {
    ENVIRONMENT.get_or_init(Environment::default)
}

/// What the variable that argument `id` of `rota` declares (`env = ...`) holds, read where
/// the command line is not parsed: while completing a word.
pub fn declared_env(id: &str) -> Option<std::ffi::OsString> {
    use clap::CommandFactory;
    let command = Cli::command();
    let arg = command.get_arguments().find(|a| a.get_id() == id)?;
    std::env::var_os(arg.get_env()?).filter(|v| !v.is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Who is on call now (or on --date), and how to reach them
    Who(WhoArgs),
    /// Record a piece of topic work in the log; with no text, show today's entries
    Log(LogArgs),
    /// End of the day: walk the checklist, record the handover, move the rotation on
    Handover(HandoverArgs),
    /// Who is on call on each day ahead (table, JSON or iCalendar)
    Schedule(ScheduleArgs),
    /// When an engineer (you, by default) is next on call
    Next(NextArgs),
    /// Add an absence, list an engineer's absences, or import them from a calendar
    Away(AwayArgs),
    /// A region's holidays: import them from a public-holiday calendar
    Holidays(HolidaysArgs),
    /// Trade two days: each day's engineer takes the other's
    Swap(SwapArgs),
    /// Put an engineer on call on one day instead of the scheduled one
    Cover(CoverArgs),
    /// Announce a maintenance window: record it in the list, print the message to send
    Announce(AnnounceArgs),
    /// Days served per engineer: from the log (done) and the schedule (ahead)
    Stats(StatsArgs),
    /// What a change does to the rotation: the days that change hands and why, who gains and
    /// loses days, and how evenly the days ahead fall
    Diff(DiffArgs),
    /// For a daily job: who is on call today and on the next working day, what they inherit,
    /// maintenance ahead, and the days that changed hands
    Remind(RemindArgs),
    /// Validate on-call-list.toml and on-call-log.md (for CI and pre-commit hooks)
    Check(CheckArgs),
    /// Create on-call-list.toml and on-call-log.md for a new team, here
    Init(InitArgs),
    /// Everyone, their contacts and local time, and who is inside working hours now
    Team(TeamArgs),
    /// Write the team's page (index.html), calendars and status.json into a directory, for a
    /// forge's pages
    Publish(PublishArgs),
    /// Print the JSON Schema of on-call-list.toml, for editors and validators
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish)
    Completions(CompletionsArgs),
    /// Print the man page rota(1) (roff); with --out DIR, write it and one page per command
    Man(ManArgs),
    /// Run by git as a merge driver (registered in the clone's git config by rota)
    #[command(hide = true)]
    MergeDriver(MergeDriverArgs),
}

#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// Which file: `log` or `list`
    #[arg(value_parser = ["log", "list"])]
    pub file: String,
    /// The common ancestor's version (%O)
    pub base: PathBuf,
    /// Ours (%A): the merged result is written here
    pub ours: PathBuf,
    /// Theirs (%B)
    pub theirs: PathBuf,
    /// The file's path in the repository (%P)
    pub path: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Where to write the site (created if missing; other files in it are left alone)
    #[arg(value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub out: PathBuf,

    /// Every team of the repository: an index page of all of them in DIR, and each team's
    /// site in DIR/TEAM (its directory, `/` written `-`)
    #[arg(long)]
    pub all: bool,

    /// Print the files written as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TeamArgs {
    /// Print a JSON array
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write rota.1 and one page per command (rota-who.1, rota-log.1, ...) into this directory
    /// instead of printing rota.1
    #[arg(long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The team's name
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,

    /// The team's IANA time zone, e.g. Europe/Prague
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// Working days, comma-separated [default: Mon,Tue,Wed,Thu,Fri]
    #[arg(long, value_name = "DAYS")]
    pub working_days: Option<String>,

    /// An engineer as "id,Name,email" (repeat for each); CSV, so a name with a comma goes in
    /// double quotes: 'alice,"Novak, Alice",alice@example.org' ("" for a quote inside)
    #[arg(long = "engineer", value_name = "ID,NAME,EMAIL")]
    pub engineers: Vec<String>,

    /// Create the example team instead, to try rota on: five engineers whose rotation is
    /// current, with a handover for every working day of the last three weeks
    #[arg(long, conflicts_with_all = ["team", "timezone", "working_days", "engineers"])]
    pub example: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fail on warnings too
    #[arg(long)]
    pub strict: bool,

    /// Settle what a merge brought (two handovers of one day) by appending a correction
    /// record to the log
    #[arg(long)]
    pub fix: bool,

    /// Print a JSON object: every problem and note (kind, file, line, message, hint) and the
    /// counts; the exit code is the same as without it (the same as --format json)
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// How to print the findings: `text`, `json`, `github` (workflow annotations, for GitHub
    /// Actions) or `gitlab` (a Code Quality report, for GitLab CI); the exit code is the same
    /// for all
    #[arg(long, value_enum, default_value_t = CheckFormat::Text, value_name = "FORMAT")]
    pub format: CheckFormat,

    /// Fail unless the log only grew since this git revision (appends, or merges of appends
    /// as rota's driver makes them); without it, a clone's log is compared with where it
    /// parts from its upstream
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,

    /// Check every team of the repository (each directory with an on-call-list.toml), and
    /// fail if any team fails
    #[arg(long, conflicts_with = "fix")]
    pub all: bool,
}

/// What `rota check` prints its findings as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `file:line: kind: message`, one line each
    Text,
    /// One JSON object: the counts and every finding
    Json,
    /// GitHub Actions workflow commands: `::error file=F,line=L,col=C::message`
    Github,
    /// A GitLab Code Quality report: a JSON array of issues
    Gitlab,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// First day to show, past days included (from the log) [default: today; with --ics,
    /// --past days ago]
    #[arg(long, value_name = "YYYY-MM-DD", alias = "since")]
    #[arg(value_parser = day, add = days())]
    pub from: Option<NaiveDate>,

    /// With --ics and no --from: how many days of the past the feed keeps
    #[arg(long, value_name = "DAYS", default_value_t = crate::ics::PAST_DAYS,
          value_parser = clap::value_parser!(u16).range(0..=3660))]
    pub past: u16,

    /// How many working days to show (with --ics, from today on)
    #[arg(long, value_name = "N", default_value_t = crate::ics::AHEAD_DAYS, conflicts_with = "until",
          value_parser = clap::value_parser!(u16).range(1..=3660))]
    pub days: u16,

    /// Show every day up to and including this one
    #[arg(long, value_name = "YYYY-MM-DD")]
    #[arg(value_parser = day, add = days())]
    pub until: Option<NaiveDate>,

    /// Only this engineer's days (for a personal calendar)
    #[arg(long, value_name = "ID", add = engineer_ids())]
    pub engineer: Option<String>,

    /// Print a JSON array, one object per working day
    #[arg(long, conflicts_with = "ics")]
    pub json: bool,

    /// Print an iCalendar (RFC 5545) feed: one all-day event per on-call day, the recent past
    /// included; with --engineer, that person's feed, their days taken by others cancelled
    #[arg(long)]
    pub ics: bool,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// The engineer [default: ROTA_USER, else the engineer whose email is `git config user.email`]
    #[arg(value_name = "ID", add = engineer_ids())]
    pub id: Option<String>,

    /// How many turns to show
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u16).range(1..=100))]
    pub count: u16,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HolidaysArgs {
    #[command(subcommand)]
    pub command: HolidaysCommand,
}

#[derive(Debug, Subcommand)]
pub enum HolidaysCommand {
    /// Add the all-day events of a public-holiday calendar (.ics) to a region's holidays in
    /// the list, from today to a year ahead; days already there are left as they are
    Import(HolidaysImportArgs),
}

#[derive(Debug, Args)]
pub struct HolidaysImportArgs {
    /// The calendar file (iCalendar, .ics)
    #[arg(value_name = "FILE.ics", value_hint = clap::ValueHint::FilePath)]
    pub file: PathBuf,

    /// The region whose holidays they are: its [regions.ID] table (created when missing)
    #[arg(long, value_name = "REGION")]
    pub region: String,

    /// Show what would change, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Print a JSON object: the holidays found, which are added, and what was skipped
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AwayArgs {
    /// The engineer who is away [with --import: --engineer, else you]
    #[arg(value_name = "ID", required_unless_present_any = ["import", "engineer"], add = engineer_ids())]
    pub id: Option<String>,

    /// First day away
    #[arg(value_name = "FROM", required_unless_present_any = ["list", "import"])]
    #[arg(value_parser = day, add = days())]
    pub from: Option<NaiveDate>,

    /// Last day away, inclusive [default: FROM]
    #[arg(value_name = "TO")]
    #[arg(value_parser = day, add = days())]
    pub to: Option<NaiveDate>,

    /// Why (shown in the schedule and the list)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// List the engineer's absences instead
    #[arg(long, conflicts_with_all = ["from", "to", "reason", "import"])]
    pub list: bool,

    /// Remove exactly this absence (FROM [TO] as it was added); with --import, exactly the
    /// absences the import adds (with the --reason it added them with)
    #[arg(long, conflicts_with = "list")]
    pub undo: bool,

    /// Add the busy all-day and multi-day events of a calendar export (.ics) as absences,
    /// from today to a year ahead, merged with those there
    #[arg(long, value_name = "FILE.ics", value_hint = clap::ValueHint::FilePath,
          conflicts_with_all = ["from", "to"])]
    pub import: Option<PathBuf>,

    /// With --import: whose calendar it is [default: ROTA_USER, else the engineer whose email
    /// is `git config user.email`]
    #[arg(long, value_name = "ID", requires = "import", conflicts_with = "id", add = engineer_ids())]
    pub engineer: Option<String>,

    /// With --import: show what would change, and write nothing
    #[arg(long, requires = "import")]
    pub dry_run: bool,

    /// With --list: print a JSON array of {from, to, reason}; with --import, a JSON object
    #[arg(long, conflicts_with = "from")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SwapArgs {
    /// One day: its engineer takes DATE_B
    #[arg(value_name = "DATE_A")]
    #[arg(value_parser = day, add = days())]
    pub first: NaiveDate,

    /// The other day: its engineer takes DATE_A
    #[arg(value_name = "DATE_B")]
    #[arg(value_parser = day, add = days())]
    pub second: NaiveDate,

    /// Why (recorded with the override)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Remove this swap (both of its days)
    #[arg(long, conflicts_with = "reason")]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct CoverArgs {
    /// The day to cover
    #[arg(value_name = "DATE")]
    #[arg(value_parser = day, add = days())]
    pub date: NaiveDate,

    /// Who is on call that day instead
    #[arg(value_name = "ID", add = engineer_ids(), required_unless_present = "undo")]
    pub id: Option<String>,

    /// Why (recorded with the override)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Remove the cover of DATE
    #[arg(long, conflicts_with_all = ["id", "reason"])]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct AnnounceArgs {
    /// When the window starts, in UTC: "YYYY-MM-DD HH:MM", or RFC 3339 with its offset
    /// (2026-12-10T23:00:00+01:00); now or later
    #[arg(value_name = "START")]
    pub start: String,

    /// When it ends, written as START; at most 31 days later
    #[arg(value_name = "END", required_unless_present = "undo")]
    pub end: Option<String>,

    /// What happens, in one line (the announcement's subject)
    #[arg(long, value_name = "TEXT", required_unless_present = "undo")]
    pub what: Option<String>,

    /// A service the window affects (repeat for each)
    #[arg(
        long = "affects",
        value_name = "SERVICE",
        required_unless_present = "undo"
    )]
    pub affects: Vec<String>,

    /// Print the announcement as a JSON object
    #[arg(long)]
    pub json: bool,

    /// Remove the window that starts at START (END and --what pick one when several do)
    #[arg(long, conflicts_with_all = ["affects", "json"])]
    pub undo: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Count from this day [default: 90 days ago]
    #[arg(long, value_name = "YYYY-MM-DD", alias = "since")]
    #[arg(value_parser = day, add = days())]
    pub from: Option<NaiveDate>,

    /// Count the schedule ahead up to this day [default: 90 days ahead]
    #[arg(long, value_name = "YYYY-MM-DD")]
    #[arg(value_parser = day, add = days())]
    pub until: Option<NaiveDate>,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The revision before the change [default: the branch's upstream, else HEAD]
    #[arg(value_name = "BASE")]
    pub base: Option<String>,

    /// The revision after the change [default: the working tree]
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,

    /// How many working days to compare from today on; the days past that the two logs
    /// disagree about come too
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u16).range(1..=3660))]
    pub days: u16,

    /// Print a JSON object (as --format json)
    #[arg(long)]
    pub json: bool,

    /// text (a table), json, or markdown (a review comment naming the people whose days move
    /// by their chat handles)
    #[arg(long, value_enum, default_value_t = DiffFormat::Text, value_name = "FORMAT")]
    pub format: DiffFormat,

    /// Every team of the repository (each directory with an on-call-list.toml in the working
    /// tree, BASE or HEAD): what the change does to each team's rotation (with --json, an
    /// array of one object per team)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Also list the days that changed hands since this revision, or since this day began
    /// (YYYY-MM-DD: the branch's last commit before it)
    #[arg(long, value_name = "REV|DATE")]
    pub since: Option<String>,

    /// Print a JSON object: the remind hook's event (with --all, an array of one object per
    /// team)
    #[arg(long)]
    pub json: bool,

    /// Every team of the repository (each directory with an on-call-list.toml): each team's
    /// reminder in turn, and the remind hook run once per team with that team's event
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args, Default)]
pub struct WhoArgs {
    /// Answer for this day instead of today
    #[arg(long, value_name = "YYYY-MM-DD")]
    #[arg(value_parser = day, add = days())]
    pub date: Option<NaiveDate>,

    /// Print a JSON object instead of text (with --all, an array of one object per team)
    #[arg(long)]
    pub json: bool,

    /// Every team of the repository (each directory with an on-call-list.toml, found from
    /// the repository's top): who is on call now, one line each
    #[arg(long, conflicts_with = "date")]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// What you did, in one line; words written as #tag are tags
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,

    /// Writing: the entry's author [default: ROTA_USER, else the engineer whose email is
    /// `git config user.email`]. With --list: only entries written by this engineer
    #[arg(long = "engineer", alias = "as", alias = "by", value_name = "ID", add = engineer_ids())]
    pub engineer: Option<String>,

    /// Search the whole log instead of writing: list the entries that match the filters
    #[arg(long)]
    pub list: bool,

    /// Only entries on or after this day
    #[arg(
        long = "from",
        alias = "since",
        value_name = "YYYY-MM-DD",
        requires = "list"
    )]
    #[arg(value_parser = day, add = days())]
    pub from: Option<NaiveDate>,

    /// Only entries on or before this day
    #[arg(long, value_name = "YYYY-MM-DD", requires = "list")]
    #[arg(value_parser = day, add = days())]
    pub until: Option<NaiveDate>,

    /// Only entries whose text contains PATTERN (ignoring case)
    #[arg(long, value_name = "PATTERN", requires = "list")]
    pub grep: Option<String>,

    /// Only entries tagged #TAG
    #[arg(long, value_name = "TAG", requires = "list")]
    pub tag: Option<String>,

    /// With --list: print a JSON array
    #[arg(long, requires = "list")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// Confirm every checklist item without asking (for scripts)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// A note for the next engineer
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Something still open, passed on to the next engineer and asked about at the next
    /// handover (repeat for more; without it, rota asks on a terminal)
    #[arg(long = "open", value_name = "TEXT")]
    pub open: Vec<String>,

    /// An open item carried from the last handover that is done now: its number (as `rota who`
    /// lists it) or its text (repeat for more). Carried items not named stay open [default
    /// with --yes: all stay open; on a terminal, rota asks about each]
    #[arg(long = "done", value_name = "N|TEXT")]
    pub done: Vec<String>,

    /// Hand over even though the next engineer's turn has not started yet
    #[arg(long)]
    pub force: bool,

    /// Who is running the handover [default: ROTA_USER, else the engineer whose email is
    /// `git config user.email`]; recorded when it is not the engineer handing over
    #[arg(long = "engineer", alias = "as", value_name = "ID", add = engineer_ids())]
    pub runner: Option<String>,

    /// Take back the last handover, while the next engineer's day has not begun: the log
    /// keeps the record and says it was taken back
    #[arg(long, conflicts_with_all = ["yes", "note", "force", "open", "done"])]
    pub undo: bool,
}

/// A day on the command line: `YYYY-MM-DD`, within the range rota deals in.
fn day(text: &str) -> Result<NaiveDate, String> {
    let date: NaiveDate = text
        .parse()
        .map_err(|_| format!("{text:?} is not a date: write YYYY-MM-DD"))?;
    if crate::calendar::in_range(date) {
        Ok(date)
    } else {
        Err(crate::calendar::RANGE_HINT.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dates_are_checked_by_the_parser() {
        let err = Cli::try_parse_from(["rota", "who", "--date", "2026-13-01"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let ok = Cli::try_parse_from(["rota", "who", "--date", "2026-11-28"]).unwrap();
        assert!(matches!(
            ok.command,
            Some(Command::Who(WhoArgs { date: Some(_), .. }))
        ));
    }
}
