//! `on-call-list.toml`: the team, its engineers, the handover checklist and the rotation state.
//!
//! Parsing goes through serde with spans kept on every value a rule can reject, so that each
//! problem is reported as `file:line:column` with the offending line. Nothing here writes: see
//! `store` for the one place that rewrites the `[rotation]` table.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::calendar::{Calendar, WEEKDAY_NAMES};
use crate::error::{Error, Location, Result};
use crate::state::State;

pub const LIST_FILE: &str = "on-call-list.toml";
pub const DEFAULT_LOG_FILE: &str = "on-call-log.md";

#[derive(Debug, Clone)]
pub struct Roster {
    pub team_name: String,
    pub calendar: Calendar,
    /// The log file, relative to the list's directory.
    pub log: PathBuf,
    /// When rota commits its files (`commit` in `[team]`).
    pub commit: CommitPolicy,
    /// Pull before and push after every write (`push = true` in `[team]`).
    pub push: bool,
    /// Who to call when the engineer on call does not answer: engineer ids or free text.
    pub escalation: Vec<String>,
    pub engineers: Vec<Engineer>,
    /// The regions with holidays of their own (`[regions.ID]`), by id.
    pub regions: Vec<Region>,
    pub checklist: Vec<String>,
    /// The seed every round's shuffle derives from: `[rotation] seed`, else one derived from
    /// the team's name, so that every clone agrees without writing anything.
    pub seed: u64,
    /// The first day of round 1 (`[rotation] start`); without it, round 1 starts today until a
    /// handover is recorded.
    pub start: Option<NaiveDate>,
    /// A rotation state written in the list (by hand, or by rota before the log held it). The
    /// log's last handover record supersedes it when that record's day is later.
    pub checkpoint: Option<State>,
    pub overrides: Vec<Override>,
    pub former_overrides: Vec<FormerOverride>,
    /// Announced maintenance windows (`[[maintenance]]`), in the order written.
    pub maintenance: Vec<Maintenance>,
    /// The team's playbook (`playbook` in `[team]`): a Markdown file relative to the list,
    /// inside the team's directory, that `rota publish` renders into the page.
    pub playbook: Option<PathBuf>,
    /// Engineers by id and overrides by day, built at the first lookup: every command asks
    /// for them per day and per engineer, and a scan each time would make it quadratic.
    pub lookup: Lookup,
}

/// The indexes of [`Roster::lookup`]; a roster changed after they were built (tests do)
/// falls back to a scan.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    engineers: OnceLock<HashMap<String, usize>>,
    overrides: OnceLock<HashMap<NaiveDate, usize>>,
}

/// The most `[[override]]` tables a list may hold: more than seven years of one every
/// working day, and what parsing them costs stays within a few MiB.
pub const MAX_OVERRIDES: usize = 2000;

/// The most engineers a team's list may hold: a rotation of more than a thousand people is
/// several teams, and every command's cost grows with the team.
pub const MAX_ENGINEERS: usize = 1000;

/// When rota commits the files it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommitPolicy {
    /// Only with `--commit` or `--push`.
    #[default]
    Never,
    /// After every command that writes (`commit = true`).
    Always,
    /// Log entries wait for the day's handover, which commits them together
    /// (`commit = "handover"`).
    Handover,
}

#[derive(Debug, Clone)]
pub struct Engineer {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub chat: Option<String>,
    pub phone: Option<String>,
    pub timezone: Option<Tz>,
    pub away: Vec<Absence>,
    /// Local working hours, `(start, end)`.
    pub working_hours: (NaiveTime, NaiveTime),
    /// The region the engineer belongs to (`region = "de"`), whose holidays they do not serve.
    pub region: Option<String>,
    /// That region's holidays (shared with the region's other engineers).
    pub region_holidays: Arc<BTreeSet<NaiveDate>>,
}

/// A region with public holidays of its own (`[regions.ID]`): its engineers are not on call
/// on them, and keep their turn, as when away. Team-wide holidays (`[team] holidays`) close
/// the day for everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub id: String,
    pub holidays: Arc<BTreeSet<NaiveDate>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: Option<String>,
}

/// One day on which `engineer` is on call instead of the rotation's choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub date: NaiveDate,
    pub engineer: String,
    pub kind: OverrideKind,
    pub reason: Option<String>,
    /// The engineer the rotation gave the day to when the override was made: the one it
    /// displaces. When a later change gives the day to someone else, the override is stale.
    pub displaces: Option<String>,
}

/// An `[[override]]` naming someone who is no longer an engineer of the team: kept in the
/// file as history while its day is past, an error once it lies ahead.
#[derive(Debug, Clone)]
pub struct FormerOverride {
    pub date: NaiveDate,
    pub engineer: String,
    pub kind: OverrideKind,
    /// Whose day it was when the override was made, as for [`Override::displaces`].
    pub displaces: Option<String>,
    pub at: crate::error::Location,
}

/// A maintenance window announced to the team's users (`rota announce`): what happens, which
/// services it affects, and when, in UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub what: String,
    pub affects: Vec<String>,
}

impl Maintenance {
    /// Whether any of the window lies in `[from, to)`.
    pub fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.start < to && from < self.end
    }
}

/// Bounds on a maintenance window, so a crafted list cannot make a page or a message huge.
pub const MAX_MAINTENANCE: usize = 500;
pub const MAX_WHAT: usize = 300;
pub const MAX_AFFECTS: usize = 20;
pub const MAX_SERVICE: usize = 80;
/// A window longer than this is a typo, not maintenance.
pub const MAX_WINDOW_DAYS: i64 = 31;

/// How a maintenance window's times can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowProblem {
    /// It ends when or before it starts.
    EndsFirst,
    /// It lasts longer than [`MAX_WINDOW_DAYS`].
    TooLong,
}

/// The one rule for a maintenance window's times, which the list's reader and `rota announce`
/// both apply: it ends after it starts, at most [`MAX_WINDOW_DAYS`] later.
pub fn window_problem(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<WindowProblem> {
    if end <= start {
        Some(WindowProblem::EndsFirst)
    } else if end - start > chrono::Duration::days(MAX_WINDOW_DAYS) {
        Some(WindowProblem::TooLong)
    } else {
        None
    }
}

/// The one rule for a window's texts: `text`, trimmed, is one line of 1 to `max` characters
/// (`what`: [`MAX_WHAT`]; each service: [`MAX_SERVICE`]).
pub fn window_text_fits(text: &str, max: usize) -> bool {
    let text = text.trim();
    !text.contains('\n') && (1..=max).contains(&text.chars().count())
}

/// A time in UTC as people write it: `YYYY-MM-DD HH:MM` (UTC) or RFC 3339 with any offset.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").ok()?;
    Some(naive.and_utc())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideKind {
    /// Two days' engineers traded (`rota swap`).
    Swap,
    /// Someone takes one day instead of the scheduled engineer (`rota cover`).
    Cover,
}

impl OverrideKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideKind::Swap => "swap",
            OverrideKind::Cover => "cover",
        }
    }
}

impl Roster {
    pub fn engineer(&self, id: &str) -> Option<&Engineer> {
        let index = self.lookup.engineers.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.engineers.len());
            for (i, e) in self.engineers.iter().enumerate() {
                index.entry(e.id.clone()).or_insert(i);
            }
            index
        });
        if index.len() != self.engineers.len() {
            return self.engineers.iter().find(|e| e.id == id);
        }
        index
            .get(id)
            .and_then(|&i| self.engineers.get(i))
            .filter(|e| e.id == id)
    }

    /// The engineers' ids as a hint lists them: `alice, bob, carol`, in the list's order.
    /// Who to call when `on_call` does not answer: the escalation list without them (the
    /// engineer on call is no one's way of reaching themselves).
    pub fn escalation_for<'a>(
        &'a self,
        on_call: Option<&'a str>,
    ) -> impl Iterator<Item = &'a String> {
        self.escalation
            .iter()
            .filter(move |entry| Some(entry.as_str()) != on_call)
    }

    pub fn ids_listed(&self) -> String {
        ids_listed(&self.engineers)
    }

    /// Engineer ids in a canonical order, so that a round's shuffle does not depend on the
    /// order of the `[[engineer]]` tables in the file.
    pub fn ids_sorted(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.engineers.iter().map(|e| e.id.clone()).collect();
        ids.sort();
        ids
    }

    pub fn is_available(&self, id: &str, day: NaiveDate) -> bool {
        self.engineer(id).is_some_and(|e| !e.is_away(day))
    }

    pub fn override_on(&self, day: NaiveDate) -> Option<&Override> {
        let index = self.lookup.overrides.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.overrides.len());
            for (i, o) in self.overrides.iter().enumerate() {
                index.entry(o.date).or_insert(i);
            }
            index
        });
        if index.len() != self.overrides.len() {
            return self.overrides.iter().find(|o| o.date == day);
        }
        index
            .get(&day)
            .and_then(|&i| self.overrides.get(i))
            .filter(|o| o.date == day)
    }

    /// Every `[[override]]` of the list as `(date, engineer, kind, displaces)`, those naming
    /// someone who left included.
    fn all_overrides(&self) -> impl Iterator<Item = (NaiveDate, &str, OverrideKind, Option<&str>)> {
        let current = self
            .overrides
            .iter()
            .map(|o| (o.date, o.engineer.as_str(), o.kind, o.displaces.as_deref()));
        let former = self
            .former_overrides
            .iter()
            .map(|o| (o.date, o.engineer.as_str(), o.kind, o.displaces.as_deref()));
        current.chain(former)
    }

    /// The other day of the swap that `day` is one day of: the swap whose engineer is the one
    /// `day`'s displaced and which displaced `day`'s engineer (or, in a list written before
    /// overrides said whom they displace, the day its reason names).
    pub fn swap_partner(&self, day: NaiveDate) -> Option<NaiveDate> {
        let (_, engineer, kind, displaces) = self.all_overrides().find(|o| o.0 == day)?;
        if kind != OverrideKind::Swap {
            return None;
        }
        let swaps = || {
            self.all_overrides()
                .filter(move |o| o.2 == OverrideKind::Swap && o.0 != day)
        };
        if let Some(displaces) = displaces
            && let Some(other) = swaps().find(|o| o.1 == displaces && o.3 == Some(engineer))
        {
            return Some(other.0);
        }
        let named = self
            .overrides
            .iter()
            .find(|o| o.date == day)
            .and_then(|o| o.reason.as_deref())
            .and_then(|r| r.strip_prefix("swap with "))
            .and_then(|r| r.get(r.len().checked_sub(10)?..))
            .and_then(crate::logformat::strict_date)?;
        swaps().any(|o| o.0 == named).then_some(named)
    }

    /// The command that takes back the override on `day`: `rota cover DAY --undo`, or for a
    /// swap `rota swap DAY OTHER_DAY --undo` with the other day filled in when the list shows
    /// it. `None` when no override has that day.
    pub fn undo_override(&self, day: NaiveDate) -> Option<String> {
        let (_, _, kind, _) = self.all_overrides().find(|o| o.0 == day)?;
        Some(match kind {
            OverrideKind::Cover => format!("rota cover {day} --undo"),
            OverrideKind::Swap => match self.swap_partner(day) {
                Some(other) => format!("rota swap {day} {other} --undo"),
                None => format!("rota swap {day} OTHER_DAY --undo"),
            },
        })
    }

    /// Whether the list has a swap (of someone in the team or who left) on `day`.
    pub fn swap_on(&self, day: NaiveDate) -> bool {
        self.all_overrides()
            .any(|o| o.0 == day && o.2 == OverrideKind::Swap)
    }

    /// The engineer's display name, or the id itself when unknown.
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.engineer(id).map_or(id, |e| e.name.as_str())
    }
}

impl Engineer {
    /// How to reach the engineer, those given of email, chat and phone, in that order.
    pub fn contacts(&self) -> impl DoubleEndedIterator<Item = &str> {
        [&self.email, &self.chat, &self.phone]
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Whether the engineer is not there on `day`: an absence of theirs, or a holiday of
    /// their region. The one rule the rotation reads (through [`Roster::is_available`]): an
    /// engineer away when their turn comes keeps it and serves when back.
    pub fn is_away(&self, day: NaiveDate) -> bool {
        self.is_absent(day) || self.has_holiday(day)
    }

    /// Whether one of the engineer's absences (`away`) covers `day`.
    pub fn is_absent(&self, day: NaiveDate) -> bool {
        self.away.iter().any(|a| a.from <= day && day <= a.to)
    }

    /// Whether `day` is a holiday of the engineer's region.
    pub fn has_holiday(&self, day: NaiveDate) -> bool {
        self.region_holidays.contains(&day)
    }
}

impl Absence {
    /// Whether the absence ended before `today`: the past is the log's (who served is
    /// recorded there), so rota adds no such absence.
    pub fn ended_before(&self, today: NaiveDate) -> bool {
        self.to < today
    }
}

impl Roster {
    /// The engineer's time zone: their own, else the team's.
    pub fn timezone_of(&self, engineer: &Engineer) -> Tz {
        engineer.timezone.unwrap_or(self.calendar.timezone)
    }

    /// Whether `engineer` is inside their working hours at `now`: a working day of the team
    /// (by the engineer's local date), not away, and within their hours.
    pub fn is_working_now(&self, engineer: &Engineer, now: chrono::DateTime<chrono::Utc>) -> bool {
        let local = now.with_timezone(&self.timezone_of(engineer));
        let (start, end) = engineer.working_hours;
        self.calendar.is_working_day(local.date_naive())
            && !engineer.is_away(local.date_naive())
            && start <= local.time()
            && local.time() < end
    }
}

// The file as written, with spans on everything a rule below can reject. The same types give
// the list's JSON Schema (`rota schema`): each field's doc comment is its description, and a
// `schemars(with)` says what a span or a TOML value holds.

/// `on-call-list.toml`: a team's working-day on-call rotation, read and kept by rota.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "on-call-list.toml", rename = "OnCallList")]
struct RawFile {
    /// The team: its name, time zone, days and habits.
    team: RawTeam,
    /// The engineers, one table each (at least one).
    #[serde(default)]
    engineer: Vec<RawEngineer>,
    /// What the engineer on call checks before handing over.
    #[serde(default)]
    handover: RawHandover,
    /// The seed of every round's shuffle and the first day of round 1 (written by `rota
    /// init`).
    rotation: Option<RawRotation>,
    /// Days someone else is on call (`rota swap`, `rota cover`).
    #[serde(default, rename = "override")]
    overrides: Vec<RawOverride>,
    /// Announced maintenance windows (`rota announce`).
    #[serde(default)]
    #[schemars(with = "Vec<RawMaintenance>")]
    maintenance: Vec<Spanned<RawMaintenance>>,
    /// Regions with holidays of their own (`[regions.ID]`, ID written as an engineer id): an
    /// engineer with that `region` is not on call on them.
    #[serde(default)]
    #[schemars(
        with = "BTreeMap<String, RawRegion>",
        extend("propertyNames" = {"pattern": "^[a-z0-9_-]{1,32}$"})
    )]
    regions: BTreeMap<String, Spanned<RawRegion>>,
}

/// A region's own holidays.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Region")]
struct RawRegion {
    /// The region's holidays, as TOML dates: its engineers are not on call on them and keep
    /// their turn; the team's holidays still close the day for everyone.
    #[serde(default)]
    #[schemars(with = "Vec<TomlDate>")]
    holidays: Vec<Spanned<toml::Value>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Team")]
struct RawTeam {
    /// The team's name.
    name: String,
    /// The IANA time zone that defines the team's days, e.g. "Europe/Prague".
    #[schemars(with = "String", extend("examples" = ["Europe/Prague", "UTC"]))]
    timezone: Spanned<String>,
    /// Team-local time of the daily handover, "HH:MM" [default: "17:00"].
    #[schemars(with = "Option<String>", regex(pattern = r"^[0-9]{1,2}:[0-9]{2}$"))]
    handover_time: Option<Spanned<String>>,
    /// The working days [default: ["Mon", "Tue", "Wed", "Thu", "Fri"]].
    #[schemars(with = "Option<Vec<WeekdayName>>")]
    working_days: Option<Spanned<Vec<Spanned<String>>>>,
    /// Days with no one on call, as TOML dates: [2026-12-24, 2026-12-25].
    #[serde(default)]
    #[schemars(with = "Vec<TomlDate>")]
    holidays: Vec<Spanned<toml::Value>>,
    /// The log file, relative to this file [default: "on-call-log.md"].
    #[schemars(with = "Option<String>")]
    log: Option<Spanned<String>>,
    /// true: commit rota's files after every write; "handover": log entries wait for the
    /// handover's commit; false: only with --commit [default: false].
    #[schemars(with = "Option<CommitSetting>")]
    commit: Option<Spanned<toml::Value>>,
    /// Pull before and push after every write, as --push does [default: false].
    #[serde(default)]
    push: bool,
    /// Local working hours for `rota team`, "HH:MM-HH:MM" [default: "09:00-17:00"].
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^ *[0-9]{1,2}:[0-9]{2} *- *[0-9]{1,2}:[0-9]{2} *$")
    )]
    working_hours: Option<Spanned<String>>,
    /// Whom to call when the engineer on call does not answer: engineer ids or free text.
    #[serde(default)]
    escalation: Vec<String>,
    /// A Markdown file inside the team's directory, relative to this file, that `rota
    /// publish` renders into the page.
    #[schemars(with = "Option<String>")]
    playbook: Option<Spanned<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Engineer")]
struct RawEngineer {
    /// A short unique id: lowercase letters, digits, '-' or '_'.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,32}$"))]
    id: Spanned<String>,
    /// The engineer's name as shown.
    name: String,
    email: Option<String>,
    /// A chat handle (@alice) or a web address.
    chat: Option<String>,
    phone: Option<String>,
    /// Where the engineer works, an IANA time zone [default: the team's].
    #[schemars(with = "Option<String>")]
    timezone: Option<Spanned<String>>,
    /// Absences: [{ from = 2026-12-21, to = 2027-01-01, reason = "vacation" }].
    #[serde(default)]
    #[schemars(with = "Vec<RawAbsence>")]
    away: Vec<Spanned<RawAbsence>>,
    /// The engineer's own local working hours, "HH:MM-HH:MM" [default: the team's].
    #[serde(rename = "working-hours")]
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^ *[0-9]{1,2}:[0-9]{2} *- *[0-9]{1,2}:[0-9]{2} *$")
    )]
    working_hours: Option<Spanned<String>>,
    /// The region the engineer works in: one of the `[regions.ID]` tables, whose holidays the
    /// engineer is not on call on.
    #[schemars(with = "Option<String>")]
    region: Option<Spanned<String>>,
}

/// An absence, both days included.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Absence")]
struct RawAbsence {
    /// The first day away.
    #[schemars(with = "TomlDate")]
    from: Spanned<toml::Value>,
    /// The last day away [default: from].
    #[schemars(with = "Option<TomlDate>")]
    to: Option<Spanned<toml::Value>>,
    reason: Option<String>,
}

#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Handover")]
struct RawHandover {
    /// The items `rota handover` asks about, each answered yes or no.
    #[serde(default)]
    checklist: Vec<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Rotation")]
struct RawRotation {
    /// The seed every round's shuffle derives from [default: one derived from the team's
    /// name].
    #[schemars(with = "Option<i64>")]
    seed: Option<Spanned<i64>>,
    /// The first day of round 1.
    #[schemars(with = "Option<TomlDate>")]
    start: Option<Spanned<toml::Value>>,
    /// A rotation state written by hand (used when its day is not older than the log's last
    /// handover): the round.
    #[schemars(with = "Option<i64>")]
    round: Option<Spanned<i64>>,
    /// A hand-written state: the round's order of engineer ids.
    #[schemars(with = "Option<Vec<String>>")]
    order: Option<Spanned<Vec<Spanned<String>>>>,
    /// A hand-written state: who is still to serve this round.
    #[schemars(with = "Option<Vec<String>>")]
    pending: Option<Spanned<Vec<Spanned<String>>>>,
    /// A hand-written state: the engineer on call.
    #[schemars(with = "Option<String>")]
    on_call: Option<Spanned<String>>,
    /// A hand-written state: the day the engineer on call covers.
    #[schemars(with = "Option<TomlDate>")]
    day: Option<Spanned<toml::Value>>,
}

/// Someone else on call on one day.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Override")]
struct RawOverride {
    #[schemars(with = "TomlDate")]
    date: Spanned<toml::Value>,
    /// The id of the engineer on call that day.
    #[schemars(with = "String")]
    engineer: Spanned<String>,
    #[schemars(with = "Option<OverrideKindName>")]
    kind: Option<Spanned<String>>,
    reason: Option<String>,
    /// For a cover: the engineer it displaces.
    #[schemars(with = "Option<String>")]
    displaces: Option<Spanned<String>>,
}

/// An announced maintenance window, at most 31 days long.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Maintenance")]
struct RawMaintenance {
    /// When it starts: a TOML date-time with an offset (2026-12-10T22:00:00Z) or a string
    /// "YYYY-MM-DD HH:MM" in UTC.
    #[schemars(with = "TomlDateTime")]
    start: Spanned<toml::Value>,
    /// When it ends, written as start.
    #[schemars(with = "TomlDateTime")]
    end: Spanned<toml::Value>,
    /// What happens, in one line.
    #[schemars(with = "String")]
    what: Spanned<String>,
    /// The services it affects.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    affects: Vec<Spanned<String>>,
}

// What the TOML values above hold, for the schema alone: the parser reads them as a
// `toml::Value` (or a string) so that it can say where one is wrong.

/// A day: a TOML date (2026-12-24), or the same as a string.
struct TomlDate;

impl JsonSchema for TomlDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A day: a TOML date such as 2026-12-24.",
            "type": "string",
            "format": "date",
        })
    }
}

/// A moment: a TOML date-time with an offset, or a string "YYYY-MM-DD HH:MM" in UTC.
struct TomlDateTime;

impl JsonSchema for TomlDateTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DateTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A moment, to the minute: a TOML date-time with an offset (2026-12-10T22:00:00Z) or a string \"YYYY-MM-DD HH:MM\" in UTC.",
            "type": "string",
        })
    }
}

/// `commit` in `[team]`.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum CommitSetting {
    Always(bool),
    Handover(HandoverOnly),
}

#[derive(JsonSchema)]
#[allow(dead_code)]
enum HandoverOnly {
    #[serde(rename = "handover")]
    Handover,
}

/// A day of the week, as `working-days` names it.
#[derive(JsonSchema)]
#[allow(dead_code)]
enum WeekdayName {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// What an override is: two days traded, or one day covered.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum OverrideKindName {
    Swap,
    Cover,
}

/// The JSON Schema of `on-call-list.toml` (draft 2020-12), from the types the list is parsed
/// into: what `rota schema` prints and `schema/on-call-list.schema.json` holds.
pub fn json_schema() -> String {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<RawFile>();
    schema.insert("$id".into(), SCHEMA_URL.into());
    let mut schema = schema.to_value();
    for_toml(&mut schema);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}

/// The schema as TOML has it: no `null` (TOML has none: an `Option` is a key left out), and
/// descriptions on one line, as editors show them.
fn for_toml(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(choices)) = map.get_mut("anyOf") {
                choices.retain(|c| c.get("type").is_none_or(|t| t != "null"));
                if let [only] = choices.as_slice()
                    && let Value::Object(only) = only.clone()
                {
                    map.remove("anyOf");
                    map.extend(only);
                }
            }
            if let Some(Value::String(text)) = map.get_mut("description") {
                *text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            map.values_mut().for_each(for_toml);
        }
        Value::Array(items) => items.iter_mut().for_each(for_toml),
        _ => {}
    }
}

/// Where the schema of this version of rota is published: the file in its repository, at its
/// release tag. `rota init` names it in the list's `#:schema` line, which taplo (and editors
/// built on it) read.
pub const SCHEMA_URL: &str = concat!(
    "https://raw.githubusercontent.com/rota-cli/rota/v",
    env!("CARGO_PKG_VERSION"),
    "/schema/on-call-list.schema.json"
);

/// Where a byte range of the list is: `file:line:column` and the line, for an error.
type At<'a> = &'a dyn Fn(Range<usize>) -> Location;

/// Parses and validates the text of `path`. Every rule rota relies on is checked here, so the
/// rest of the program can trust a `Roster`.
pub fn parse(path: &Path, text: &str) -> Result<Roster> {
    let at = |span: Range<usize>| Location::of(path, text, span);
    reject_conflict_markers(path, text)?;
    refuse_too_many(
        path,
        text,
        "[[engineer]]",
        MAX_ENGINEERS,
        too_many_engineers,
    )?;
    refuse_too_many(
        path,
        text,
        "[[override]]",
        MAX_OVERRIDES,
        too_many_overrides,
    )?;
    let raw = read_toml(path, text, &at)?;
    reject_control_characters(path, text)?;
    let calendar = parse_calendar(&raw.team, &at)?;
    let team_hours = match &raw.team.working_hours {
        Some(hours) => parse_hours(hours, &at)?,
        None => (
            NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
            NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        ),
    };
    let regions = parse_regions(&raw.regions, &at)?;
    let engineers = parse_engineers(path, &raw.engineer, team_hours, &regions, &at)?;
    let (overrides, former_overrides) = parse_overrides(&raw.overrides, &engineers, &at)?;
    let maintenance = parse_maintenance(&raw.maintenance, &at)?;
    let (seed, start, checkpoint) = match &raw.rotation {
        None => (None, None, None),
        Some(r) => parse_rotation(r, &at)?,
    };
    let seed = seed.unwrap_or_else(|| seed_of(&raw.team.name));
    let commit = parse_commit(raw.team.commit.as_ref(), &at)?;
    let log = match &raw.team.log {
        None => PathBuf::from(DEFAULT_LOG_FILE),
        Some(log) => parse_log(log, path, &at)?,
    };
    let playbook = match &raw.team.playbook {
        None => None,
        Some(playbook) => Some(parse_playbook(playbook, &at)?),
    };
    Ok(Roster {
        team_name: raw.team.name,
        calendar,
        log,
        commit,
        push: raw.team.push,
        escalation: raw.team.escalation,
        engineers,
        regions,
        checklist: raw.handover.checklist,
        seed,
        start,
        checkpoint,
        overrides,
        former_overrides,
        maintenance,
        playbook,
        lookup: Lookup::default(),
    })
}

/// The file as TOML, into the shapes above; a syntax error or an unknown key is located.
fn read_toml(path: &Path, text: &str, at: At) -> Result<RawFile> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_string();
        let error = Error::invalid(format!("{} is not valid: {message}", path.display()));
        let error = match e.span() {
            Some(span) => error.at(at(span)),
            None => error,
        };
        if message.contains("unknown field `hook") {
            // A command in a tracked file would run on every teammate's machine after a pull.
            error.hint("rota never runs a command from on-call-list.toml: remove the key")
                .hint("a hook is set per clone: `git config rota.hook.handover \"COMMAND\"` or ROTA_HOOK_HANDOVER (see Hooks in docs/commands.md)")
        } else if message.contains("unknown field") {
            error.hint(
                "check the key's spelling against the reference of on-call-list.toml in docs/files.md",
            )
        } else {
            error.hint("fix the TOML syntax at the place shown, then run the command again")
        }
    })
}

/// The team's days and hours: time zone, handover time, working days and holidays.
fn parse_calendar(team: &RawTeam, at: At) -> Result<Calendar> {
    let timezone = parse_timezone(&team.timezone, at)?;
    let handover_time = match &team.handover_time {
        None => NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        Some(t) => NaiveTime::parse_from_str(t.get_ref(), "%H:%M").map_err(|_| {
            Error::invalid(format!(
                "handover-time {:?} is not a time of day",
                t.get_ref()
            ))
            .at(at(t.span()))
            .hint("write it as HH:MM on a 24-hour clock, for example \"17:00\"")
        })?,
    };
    let working_days = parse_working_days(team.working_days.as_ref(), at)?;
    let holidays = team
        .holidays
        .iter()
        .map(|d| parse_date(d, "holiday", at))
        .collect::<Result<Vec<_>>>()?;
    Ok(Calendar::new(
        timezone,
        handover_time,
        &working_days,
        holidays,
    ))
}

/// The `[regions.ID]` tables: each id valid (as an engineer's), each holiday a date.
fn parse_regions(raw: &BTreeMap<String, Spanned<RawRegion>>, at: At) -> Result<Vec<Region>> {
    let mut regions = Vec::with_capacity(raw.len());
    for (id, region) in raw {
        if !is_valid_id(id) {
            return Err(Error::invalid(format!("region id {id:?} is not a valid id"))
                .at(at(region.span()))
                .hint("use a short name of lowercase letters, digits, '-' or '_', like \"de\" or \"uk\""));
        }
        let what = format!("holiday of region {id}");
        let holidays = region
            .get_ref()
            .holidays
            .iter()
            .map(|d| parse_date(d, &what, at))
            .collect::<Result<BTreeSet<_>>>()?;
        regions.push(Region {
            id: id.clone(),
            holidays: Arc::new(holidays),
        });
    }
    Ok(regions)
}

/// An engineer's `region`: one of the list's `[regions.ID]` tables.
fn engineer_region<'a>(
    id: &str,
    region: &Spanned<String>,
    regions: &'a [Region],
    at: At,
) -> Result<&'a Region> {
    regions
        .iter()
        .find(|r| r.id == *region.get_ref())
        .ok_or_else(|| {
            let error = Error::invalid(format!(
                "engineer {id}'s region {:?} is not a region of the list",
                region.get_ref()
            ))
            .at(at(region.span()));
            if regions.is_empty() {
                error.hint(format!(
                    "add its holidays as a table: [regions.{}] holidays = [2026-12-24]",
                    region.get_ref()
                ))
            } else {
                let known: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
                error.hint(format!(
                    "known regions: {}; or add a [regions.{}] table with its holidays",
                    known.join(", "),
                    region.get_ref()
                ))
            }
        })
}

/// The `[[engineer]]` tables: at least one, each id valid and used once.
fn parse_engineers(
    path: &Path,
    raw: &[RawEngineer],
    team_hours: (NaiveTime, NaiveTime),
    regions: &[Region],
    at: At,
) -> Result<Vec<Engineer>> {
    if raw.is_empty() {
        return Err(Error::invalid(format!("{} lists no engineers", path.display())).hint(
            "add at least one [[engineer]] table with id and name (`rota init --example --dir demo` writes an example)",
        ));
    }
    if raw.len() > MAX_ENGINEERS {
        // Written some other way than `[[engineer]]` tables, which the text scan counts.
        return Err(too_many_engineers());
    }
    let mut engineers: Vec<Engineer> = Vec::new();
    let mut ids: HashSet<&str> = HashSet::with_capacity(raw.len());
    for raw_engineer in raw {
        let id = raw_engineer.id.get_ref();
        if !is_valid_id(id) {
            return Err(
                Error::invalid(format!("engineer id {id:?} is not a valid id"))
                    .at(at(raw_engineer.id.span()))
                    .hint(
                        "use a short name of lowercase letters, digits, '-' or '_', like \"alice\"",
                    ),
            );
        }
        if !ids.insert(id) {
            return Err(Error::invalid(format!("engineer id {id:?} is used twice"))
                .at(at(raw_engineer.id.span()))
                .hint("give every engineer a unique id"));
        }
        let timezone = match &raw_engineer.timezone {
            Some(tz) => Some(parse_timezone(tz, at)?),
            None => None,
        };
        let away = raw_engineer
            .away
            .iter()
            .map(|absence| parse_absence(id, absence, at))
            .collect::<Result<Vec<_>>>()?;
        let working_hours = match &raw_engineer.working_hours {
            Some(hours) => parse_hours(hours, at)?,
            None => team_hours,
        };
        let region = match &raw_engineer.region {
            Some(region) => Some(engineer_region(id, region, regions, at)?),
            None => None,
        };
        engineers.push(Engineer {
            region: region.map(|r| r.id.clone()),
            region_holidays: region.map(|r| Arc::clone(&r.holidays)).unwrap_or_default(),
            working_hours,
            id: id.clone(),
            name: raw_engineer.name.clone(),
            email: raw_engineer.email.clone(),
            chat: raw_engineer.chat.clone(),
            phone: raw_engineer.phone.clone(),
            timezone,
            away,
        });
    }
    Ok(engineers)
}

/// One of `id`'s absences: from a day to a day (the same when `to` is left out), in order,
/// and not longer than the span rota computes.
fn parse_absence(id: &str, absence: &Spanned<RawAbsence>, at: At) -> Result<Absence> {
    let from = parse_date(&absence.get_ref().from, "absence start", at)?;
    let to = match &absence.get_ref().to {
        Some(to) => parse_date(to, "absence end", at)?,
        None => from,
    };
    if (to - from).num_days() > crate::calendar::MAX_SPAN_DAYS {
        return Err(Error::invalid(format!(
            "absence of {id} lasts more than {} days",
            crate::calendar::MAX_SPAN_DAYS
        ))
        .at(at(absence.span()))
        .hint("split it, or remove the engineer from the team"));
    }
    if to < from {
        return Err(Error::invalid(format!(
            "absence of {id} ends ({to}) before it starts ({from})"
        ))
        .at(at(absence.span()))
        .hint("swap `from` and `to`"));
    }
    Ok(Absence {
        from,
        to,
        reason: absence.get_ref().reason.clone(),
    })
}

/// The `[[maintenance]]` tables: each a window of at most `MAX_WINDOW_DAYS`, inside the days
/// rota works with, with a bounded description.
fn parse_maintenance(raw: &[Spanned<RawMaintenance>], at: At) -> Result<Vec<Maintenance>> {
    if let Some(extra) = raw.get(MAX_MAINTENANCE) {
        return Err(Error::invalid(format!(
            "more than {MAX_MAINTENANCE} [[maintenance]] windows"
        ))
        .at(at(extra.span()))
        .hint("remove past windows: `rota announce --undo` or delete their tables"));
    }
    raw.iter().map(|window| parse_window(window, at)).collect()
}

fn parse_window(window: &Spanned<RawMaintenance>, at: At) -> Result<Maintenance> {
    let raw = window.get_ref();
    let start = parse_time(&raw.start, "maintenance start", at)?;
    let end = parse_time(&raw.end, "maintenance end", at)?;
    if window_problem(start, end).is_some() {
        return Err(Error::invalid(format!(
            "maintenance window {} to {} is not a window",
            start.format("%Y-%m-%d %H:%M"),
            end.format("%Y-%m-%d %H:%M")
        ))
        .at(at(window.span()))
        .hint(format!(
            "the end must come after the start, at most {MAX_WINDOW_DAYS} days later"
        )));
    }
    let what = raw.what.get_ref().trim();
    if !window_text_fits(what, MAX_WHAT) {
        return Err(Error::invalid("maintenance `what` must say what happens")
            .at(at(raw.what.span()))
            .hint(format!("one line of 1 to {MAX_WHAT} characters")));
    }
    if let Some(extra) = raw.affects.get(MAX_AFFECTS) {
        return Err(
            Error::invalid(format!("more than {MAX_AFFECTS} affected services"))
                .at(at(extra.span()))
                .hint("name the services users know; group the rest"),
        );
    }
    let mut affects = Vec::with_capacity(raw.affects.len());
    for service in &raw.affects {
        let name = service.get_ref().trim();
        if !window_text_fits(name, MAX_SERVICE) {
            return Err(
                Error::invalid(format!("affected service {name:?} is not a name"))
                    .at(at(service.span()))
                    .hint(format!("one line of 1 to {MAX_SERVICE} characters")),
            );
        }
        affects.push(name.to_string());
    }
    Ok(Maintenance {
        start,
        end,
        what: what.to_string(),
        affects,
    })
}

/// A TOML offset date-time (`2026-12-10T22:00:00Z`) or a string `YYYY-MM-DD HH:MM` in UTC.
fn parse_time(value: &Spanned<toml::Value>, what: &str, at: At) -> Result<DateTime<Utc>> {
    let text = match value.get_ref() {
        toml::Value::Datetime(dt) => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => String::new(),
    };
    let time = parse_utc(&text).ok_or_else(|| {
        Error::invalid(format!("{what} is not a time"))
            .at(at(value.span()))
            .hint("write 2026-12-10T22:00:00Z (UTC) or \"2026-12-10 22:00\" (UTC)")
    })?;
    if chrono::Timelike::second(&time) != 0 || chrono::Timelike::nanosecond(&time) != 0 {
        // Windows are announced, shown and taken back to the minute.
        return Err(Error::invalid(format!("{what} is not a whole minute"))
            .at(at(value.span()))
            .hint("drop the seconds: write 2026-12-10T22:00:00Z (UTC)"));
    }
    if !crate::calendar::in_range(time.date_naive()) {
        return Err(Error::invalid(format!("{what} is out of range"))
            .at(at(value.span()))
            .hint(crate::calendar::RANGE_HINT));
    }
    Ok(time)
}

/// The `[[override]]` tables, one per day. One naming a valid id that is no longer an
/// engineer is kept apart (`former`): history while its day is past.
fn parse_overrides(
    raw: &[RawOverride],
    engineers: &[Engineer],
    at: At,
) -> Result<(Vec<Override>, Vec<FormerOverride>)> {
    if raw.len() > MAX_OVERRIDES {
        return Err(too_many_overrides());
    }
    let mut overrides: Vec<Override> = Vec::new();
    let mut former_overrides = Vec::new();
    let ids: HashSet<&str> = engineers.iter().map(|e| e.id.as_str()).collect();
    let mut days: HashSet<NaiveDate> = HashSet::with_capacity(raw.len());
    for raw_override in raw {
        let date = parse_date(&raw_override.date, "override date", at)?;
        let engineer = &raw_override.engineer;
        if !ids.contains(engineer.get_ref().as_str()) {
            if !is_valid_id(engineer.get_ref()) {
                return Err(Error::invalid(format!(
                    "override engineer {:?} is not an engineer of the team",
                    engineer.get_ref()
                ))
                .at(at(engineer.span()))
                .hint(format!("known ids: {}", ids_listed(engineers))));
            }
            // Someone who left: whether that is history or a mistake depends on the day.
            let parsed = parse_override(raw_override, date, false, at)?;
            former_overrides.push(FormerOverride {
                date,
                engineer: parsed.engineer,
                kind: parsed.kind,
                displaces: parsed.displaces,
                at: at(engineer.span()),
            });
            continue;
        }
        let parsed = parse_override(raw_override, date, !days.insert(date), at)?;
        overrides.push(parsed);
    }
    Ok((overrides, former_overrides))
}

/// One override of a known engineer on `date` (refused when an earlier one has that day:
/// `repeated`): its kind and whom it displaces.
fn parse_override(raw: &RawOverride, date: NaiveDate, repeated: bool, at: At) -> Result<Override> {
    if let Some(displaces) = &raw.displaces
        && !is_valid_id(displaces.get_ref())
    {
        return Err(Error::invalid(format!(
            "override displaces {:?}, which is not an engineer id",
            displaces.get_ref()
        ))
        .at(at(displaces.span()))
        .hint("write the id of the engineer whose day it was, or remove the key"));
    }
    if repeated {
        return Err(Error::invalid(format!("two overrides for {date}"))
            .at(at(raw.date.span()))
            .hint("keep one [[override]] per day"));
    }
    let kind = match &raw.kind {
        Some(kind) => match kind.get_ref().as_str() {
            "swap" => OverrideKind::Swap,
            "cover" => OverrideKind::Cover,
            other => {
                return Err(
                    Error::invalid(format!("override kind {other:?} is not known"))
                        .at(at(kind.span()))
                        .hint("write kind = \"swap\" or kind = \"cover\""),
                );
            }
        },
        // Written before overrides had a kind: `rota swap` wrote "swap with ..." as reason.
        None if raw.reason.as_deref().is_some_and(|r| r.starts_with("swap")) => OverrideKind::Swap,
        None => OverrideKind::Cover,
    };
    Ok(Override {
        date,
        engineer: raw.engineer.get_ref().clone(),
        kind,
        reason: raw.reason.clone(),
        displaces: raw.displaces.as_ref().map(|d| d.get_ref().clone()),
    })
}

/// Refuses a list of more than `limit` `header` tables (`[[engineer]]`) at the first table
/// past the limit, found in the text before it is parsed: a crafted list of 100,000 tables
/// costs nothing to refuse, and parsing it would cost far more memory than its text.
fn refuse_too_many(
    path: &Path,
    text: &str,
    header: &str,
    limit: usize,
    error: fn() -> Error,
) -> Result<()> {
    let mut offset = 0;
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        let table = line.trim_start();
        if table.starts_with(header) {
            count += 1;
            if count > limit {
                let start = offset + (line.len() - table.len());
                let span = start..start + header.len();
                return Err(error().at(Location::of(path, text, span)));
            }
        }
        offset += line.len();
    }
    Ok(())
}

fn too_many_overrides() -> Error {
    Error::invalid(format!(
        "more than {MAX_OVERRIDES} overrides: a team's list holds at most {MAX_OVERRIDES}"
    ))
    .hint("delete past [[override]] tables: the log keeps who served each day")
}

fn too_many_engineers() -> Error {
    Error::invalid(format!(
        "more than {MAX_ENGINEERS} engineers: a team's list holds at most {MAX_ENGINEERS}"
    ))
    .hint("a rotation of more people is several teams: give each its own list")
}

/// `team.log`: a file of its own, relative to the list, inside the team's directory.
fn parse_log(log: &Spanned<String>, list: &Path, at: At) -> Result<PathBuf> {
    if log.get_ref().trim().is_empty() {
        return Err(Error::invalid("team.log is empty")
            .at(at(log.span()))
            .hint(format!("remove the key to use {DEFAULT_LOG_FILE}")));
    }
    let path = PathBuf::from(log.get_ref());
    if leaves_team_dir(&path) {
        return Err(Error::invalid(format!(
            "team.log {:?} leaves the team's directory",
            log.get_ref()
        ))
        .at(at(log.span()))
        .hint("name a file relative to on-call-list.toml, without `..` or a leading `/`, like \"on-call-log.md\""));
    }
    // git's own files, and the list itself, are not a log.
    let into_git = path.components().any(|c| c.as_os_str() == ".git");
    let is_list = path.components().filter(|c| c.as_os_str() != ".").count() == 1
        && path.file_name() == list.file_name();
    if into_git || is_list {
        return Err(Error::invalid(format!(
            "team.log {:?} names {}, not a log",
            log.get_ref(),
            if into_git {
                "a file of git's own"
            } else {
                "the list itself"
            }
        ))
        .at(at(log.span()))
        .hint("name a file of its own, like \"on-call-log.md\""));
    }
    Ok(path)
}

/// Whether a relative path from the list could lead out of the team's directory: absolute,
/// or through `..`. (Symlinks are resolved where the file is read.)
fn leaves_team_dir(path: &Path) -> bool {
    path.components().any(|c| {
        !matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    })
}

/// `team.playbook`: a Markdown file relative to the list, inside the team's directory.
fn parse_playbook(playbook: &Spanned<String>, at: At) -> Result<PathBuf> {
    let text = playbook.get_ref();
    let path = PathBuf::from(text);
    let problem = if text.trim().is_empty() {
        Some("team.playbook is empty".to_string())
    } else if leaves_team_dir(&path) {
        Some(format!(
            "team.playbook {text:?} leaves the team's directory"
        ))
    } else if path.components().any(|c| c.as_os_str() == ".git") {
        Some(format!("team.playbook {text:?} names a file of git's own"))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::invalid(problem).at(at(playbook.span())).hint(
            "name a Markdown file relative to on-call-list.toml, without `..` or a leading `/`, like \"PLAYBOOK.md\"",
        )),
        None => Ok(path),
    }
}

fn ids_listed(engineers: &[Engineer]) -> String {
    let ids: Vec<&str> = engineers.iter().map(|e| e.id.as_str()).collect();
    ids.join(", ")
}

/// A seed for a team whose list has none: FNV-1a of the team's name, so every clone derives
/// the same one.
fn seed_of(team: &str) -> u64 {
    crate::hash::fnv1a(team.as_bytes()) & 0xffff_ffff
}

/// `commit = true | false | "handover"`.
fn parse_commit(raw: Option<&Spanned<toml::Value>>, at: At) -> Result<CommitPolicy> {
    match raw.map(|v| (v.get_ref(), v.span())) {
        None | Some((toml::Value::Boolean(false), _)) => Ok(CommitPolicy::Never),
        Some((toml::Value::Boolean(true), _)) => Ok(CommitPolicy::Always),
        Some((toml::Value::String(s), _)) if s == "handover" => Ok(CommitPolicy::Handover),
        Some((_, span)) => Err(
            Error::invalid("team.commit must be true, false or \"handover\"")
                .at(at(span))
                .hint("commit = \"handover\" leaves log entries for the day's handover to commit"),
        ),
    }
}

/// The `[rotation]` table: the seed, the first day, and (optionally) a rotation state.
/// Engineers added or removed since are reconciled later, in `rotation::reconcile`.
fn parse_rotation(
    raw: &RawRotation,
    at: At,
) -> Result<(Option<u64>, Option<NaiveDate>, Option<State>)> {
    let seed = match &raw.seed {
        None => None,
        Some(seed) => Some(u64::try_from(*seed.get_ref()).map_err(|_| {
            Error::invalid("rotation.seed must not be negative")
                .at(at(seed.span()))
                .hint("use any non-negative integer; rota derives every round's shuffle from it")
        })?),
    };
    let start = match &raw.start {
        None => None,
        Some(start) => Some(parse_date(start, "rotation.start", at)?),
    };
    Ok((seed, start, parse_state(raw, seed, at)?))
}

/// A rotation state written in `[rotation]` (round, order, pending, on-call, day), if any.
fn parse_state(raw: &RawRotation, seed: Option<u64>, at: At) -> Result<Option<State>> {
    let (Some(on_call), Some(day)) = (&raw.on_call, &raw.day) else {
        if let Some(key) = [
            raw.round.as_ref().map(|r| r.span()),
            raw.order.as_ref().map(|o| o.span()),
            raw.pending.as_ref().map(|p| p.span()),
        ]
        .into_iter()
        .flatten()
        .next()
        {
            return Err(Error::invalid("a rotation state in [rotation] needs on-call and day")
                .at(at(key))
                .hint("give round, order, on-call and day together, or keep only seed and start: the log's handover records hold the rotation"));
        }
        return Ok(None);
    };
    let seed = seed.ok_or_else(|| {
        Error::invalid("a rotation state in [rotation] needs its seed")
            .at(at(on_call.span()))
            .hint("add `seed = ` with the number the rotation was started with")
    })?;
    let round = parse_round(raw.round.as_ref(), on_call.span(), at)?;
    let order = match &raw.order {
        Some(order) => state_ids(order, "order", at)?,
        None => {
            return Err(
                Error::invalid("a rotation state in [rotation] needs its order")
                    .at(at(on_call.span()))
                    .hint("add `order = [...]` with the round's engineers"),
            );
        }
    };
    let on_call_id = on_call.get_ref().clone();
    let Some(position) = order.iter().position(|id| *id == on_call_id) else {
        return Err(Error::invalid(format!(
            "rotation.on-call {on_call_id:?} is not in rotation.order"
        ))
        .at(at(on_call.span()))
        .hint("the engineer on call must be part of the round's order"));
    };
    let pending = match &raw.pending {
        // A table written by hand: the rest of the round follows the on-call engineer.
        None => order[position + 1..].to_vec(),
        Some(list) => parse_pending(list, &order, &on_call_id, at)?,
    };
    Ok(Some(State {
        seed,
        round,
        order,
        pending,
        on_call: on_call_id,
        day: parse_date(day, "rotation.day", at)?,
    }))
}

/// `rotation.round`: a positive integer (placed at `on-call` when missing).
fn parse_round(round: Option<&Spanned<i64>>, on_call: Range<usize>, at: At) -> Result<u32> {
    round
        .and_then(|r| u32::try_from(*r.get_ref()).ok().filter(|r| *r >= 1))
        .ok_or_else(|| {
            let span = round.map_or(on_call, |r| r.span());
            Error::invalid("rotation.round must be a positive integer")
                .at(at(span))
                .hint("rounds count from 1")
        })
}

/// `rotation.order` or `rotation.pending`: ids, each once.
fn state_ids(list: &Spanned<Vec<Spanned<String>>>, role: &str, at: At) -> Result<Vec<String>> {
    let mut seen = HashSet::new();
    for id in list.get_ref() {
        if !seen.insert(id.get_ref().as_str()) {
            return Err(Error::invalid(format!(
                "{:?} appears twice in rotation.{role}",
                id.get_ref()
            ))
            .at(at(id.span()))
            .hint("each engineer appears once per round"));
        }
    }
    Ok(list.get_ref().iter().map(|s| s.get_ref().clone()).collect())
}

/// `rotation.pending`: who is still to serve this round, from `order` and not on call.
fn parse_pending(
    list: &Spanned<Vec<Spanned<String>>>,
    order: &[String],
    on_call: &str,
    at: At,
) -> Result<Vec<String>> {
    let pending = state_ids(list, "pending", at)?;
    if let Some(bad) = list
        .get_ref()
        .iter()
        .find(|id| *id.get_ref() == on_call || !order.contains(id.get_ref()))
    {
        return Err(Error::invalid(format!(
            "rotation.pending holds {:?}, which is on call or not in rotation.order",
            bad.get_ref()
        ))
        .at(at(bad.span()))
        .hint("pending lists who is still to serve in this round; remove the key to recompute it from order"));
    }
    Ok(pending)
}

fn parse_timezone(name: &Spanned<String>, at: At) -> Result<Tz> {
    timezone(name.get_ref(), crate::error::ErrorKind::Invalid).map_err(|e| e.at(at(name.span())))
}

/// The IANA time zone `name` names; else an error of `kind` (the list's, or the command
/// line's) that suggests the nearest name. The one rule for a zone: the list's, an engineer's,
/// and `rota init --timezone`.
pub fn timezone(name: &str, kind: crate::error::ErrorKind) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| {
        let error = Error::of(kind, format!("unknown time zone {name:?}"));
        match closest_timezone(name) {
            Some(best) => error.hint(format!("did you mean {best:?}?")),
            None => error.hint("use an IANA time zone name such as \"Europe/Prague\" or \"UTC\""),
        }
    })
}

/// The IANA name nearest to `name` by edit distance, ignoring case.
pub fn closest_timezone(name: &str) -> Option<&'static str> {
    let wanted = name.to_ascii_lowercase();
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                strsim::levenshtein(&wanted, &tz.name().to_ascii_lowercase()),
                tz.name(),
            )
        })
        .filter(|(distance, _)| *distance <= wanted.len().max(3) / 2)
        .min()
        .map(|(_, best)| best)
}

/// `"09:00-17:00"`.
fn parse_hours(hours: &Spanned<String>, at: At) -> Result<(NaiveTime, NaiveTime)> {
    let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    hours
        .get_ref()
        .split_once('-')
        .and_then(|(start, end)| Some((parse(start)?, parse(end)?)))
        .filter(|(start, end)| start < end)
        .ok_or_else(|| {
            Error::invalid(format!(
                "working-hours {:?} is not a span of the day",
                hours.get_ref()
            ))
            .at(at(hours.span()))
            .hint("write it as \"HH:MM-HH:MM\", for example \"09:00-17:00\"")
        })
}

fn parse_working_days(raw: Option<&Spanned<Vec<Spanned<String>>>>, at: At) -> Result<Vec<Weekday>> {
    use Weekday::*;
    let Some(raw) = raw else {
        return Ok(vec![Mon, Tue, Wed, Thu, Fri]);
    };
    let names = raw.get_ref();
    crate::calendar::working_days(names.iter().map(|n| n.get_ref().as_str())).map_err(|problem| {
        use crate::calendar::DaysProblem;
        match problem {
            DaysProblem::NotADay { index } => Error::invalid(format!(
                "{:?} is not a day of the week",
                names[index].get_ref()
            ))
            .at(at(names[index].span()))
            .hint(format!("use {}", WEEKDAY_NAMES.join(", "))),
            DaysProblem::Twice { index } => {
                Error::invalid(format!("{:?} is listed twice", names[index].get_ref()))
                    .at(at(names[index].span()))
                    .hint("list each working day once")
            }
            DaysProblem::Empty => Error::invalid(
                "working-days is empty: the team would never be on call",
            )
            .at(at(raw.span()))
            .hint(
                "list at least one day, for example [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]",
            ),
        }
    })
}

/// A TOML date (`2026-12-24`) or, leniently, a string holding one.
fn parse_date(value: &Spanned<toml::Value>, what: &str, at: At) -> Result<NaiveDate> {
    let text = match value.get_ref() {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => String::new(),
    };
    let date = text.parse::<NaiveDate>().map_err(|_| {
        Error::invalid(format!("{what} is not a date"))
            .at(at(value.span()))
            .hint("write dates as YYYY-MM-DD, without quotes, for example 2026-12-24")
    })?;
    if !crate::calendar::in_range(date) {
        return Err(Error::invalid(format!("{what} {date} is out of range"))
            .at(at(value.span()))
            .hint(crate::calendar::RANGE_HINT));
    }
    Ok(date)
}

/// Short, lowercase, and safe to type: the rule for an engineer id.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Every string value of the list is one line of plain text. The common file (no escapes, no
/// multi-line strings, no raw control characters) is cleared by a scan of its text; otherwise
/// each string is checked where it stands, so the error can say where.
fn reject_control_characters(path: &Path, text: &str) -> Result<()> {
    let plain = !text.contains('\\')
        && !text.contains("\"\"\"")
        && !text.contains("\'\'\'")
        && !text
            .chars()
            .any(|c| c != '\n' && c != '\r' && crate::safe::is_unsafe_char(c));
    if plain {
        return Ok(());
    }
    let Ok(doc) = toml_edit::Document::parse(text) else {
        return Ok(()); // the serde parse already accepted it; nothing more to locate
    };
    match first_unsafe_string(doc.as_item()) {
        None => Ok(()),
        Some(span) => Err(Error::invalid(
            "a value holds a line break or a control character, which could forge a line of the log or drive the terminal",
        )
        .at(Location::of(path, text, span))
        .hint("write the value on one line, without escapes such as \\n, \\u001b or bidi controls")),
    }
}

fn first_unsafe_string(item: &toml_edit::Item) -> Option<Range<usize>> {
    use toml_edit::{Item, Value};
    fn value(v: &Value) -> Option<Range<usize>> {
        match v {
            Value::String(s) if s.value().chars().any(crate::safe::is_unsafe_char) => {
                Some(s.span().unwrap_or(0..0))
            }
            Value::Array(a) => a.iter().find_map(value),
            Value::InlineTable(t) => t.iter().find_map(|(_, v)| value(v)),
            _ => None,
        }
    }
    match item {
        Item::Value(v) => value(v),
        Item::Table(t) => t.iter().find_map(|(_, i)| first_unsafe_string(i)),
        Item::ArrayOfTables(a) => a
            .iter()
            .find_map(|t| t.iter().find_map(|(_, i)| first_unsafe_string(i))),
        Item::None => None,
    }
}

fn reject_conflict_markers(path: &Path, text: &str) -> Result<()> {
    if let Some(span) = crate::conflict::find_conflict_marker(text) {
        return Err(Error::invalid(format!(
            "{} holds git conflict markers",
            path.display()
        ))
        .at(Location::of(path, text, span))
        .hint(crate::conflict::finish_merge(path))
        .hint("or resolve the merge conflict by hand (keep the right lines, delete the <<<<<<<, ======= and >>>>>>> lines), then `git add` the file"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[team]
name = "T"
timezone = "Europe/Prague"

[[engineer]]
id = "alice"
name = "Alice"

[[engineer]]
id = "bob"
name = "Bob"
"#;

    fn parse_err(text: &str) -> String {
        parse(Path::new("on-call-list.toml"), text)
            .unwrap_err()
            .to_string()
    }

    /// A misspelt zone is matched by edit distance, ignoring case; nothing close, no guess.
    #[test]
    fn closest_timezone_forgives_typos_not_nonsense() {
        assert_eq!(closest_timezone("Europe/Prag"), Some("Europe/Prague"));
        assert_eq!(
            closest_timezone("america/new_yrok"),
            Some("America/New_York")
        );
        assert_eq!(closest_timezone("Mars/Olympus"), None);
    }

    #[test]
    fn defaults_apply_to_a_minimal_team() {
        let roster = parse(Path::new("x"), MINIMAL).unwrap();
        assert_eq!(roster.log, PathBuf::from("on-call-log.md"));
        assert_eq!(roster.calendar.handover_time.to_string(), "17:00:00");
        assert!(roster.checkpoint.is_none());
        assert!(roster.start.is_none());
        assert!(
            roster
                .calendar
                .is_working_day("2026-11-23".parse().unwrap())
        );
        assert!(
            !roster
                .calendar
                .is_working_day("2026-11-22".parse().unwrap())
        );
    }

    #[test]
    fn a_misspelt_time_zone_gets_a_suggestion_and_a_location() {
        let shown = parse_err(&MINIMAL.replace("Europe/Prague", "Europe/Prag"));
        assert!(
            shown.contains("unknown time zone \"Europe/Prag\""),
            "{shown}"
        );
        assert!(shown.contains("on-call-list.toml:4:12"), "{shown}");
        assert!(shown.contains("did you mean \"Europe/Prague\"?"), "{shown}");
    }

    #[test]
    fn a_playbook_is_a_file_inside_the_team_directory() {
        let with = |value: &str| {
            MINIMAL.replace(
                "timezone = \"Europe/Prague\"\n",
                &format!("timezone = \"Europe/Prague\"\nplaybook = {value}\n"),
            )
        };
        let roster = parse(Path::new("x"), &with("\"docs/PLAYBOOK.md\"")).unwrap();
        assert_eq!(roster.playbook, Some(PathBuf::from("docs/PLAYBOOK.md")));
        assert_eq!(parse(Path::new("x"), MINIMAL).unwrap().playbook, None);
        for (value, summary) in [
            (
                "\"../PLAYBOOK.md\"",
                "team.playbook \"../PLAYBOOK.md\" leaves the team's directory",
            ),
            (
                "\"/etc/passwd\"",
                "team.playbook \"/etc/passwd\" leaves the team's directory",
            ),
            ("\" \"", "team.playbook is empty"),
            (
                "\".git/config\"",
                "team.playbook \".git/config\" names a file of git's own",
            ),
        ] {
            let error = parse(Path::new("on-call-list.toml"), &with(value)).unwrap_err();
            assert_eq!(error.summary(), summary);
            let at = error.location().unwrap();
            assert_eq!((at.line, at.column), (5, 12), "{value}");
        }
    }

    #[test]
    fn maintenance_windows_are_read_in_utc_and_bounded() {
        let with = |window: &str| format!("{MINIMAL}\n[[maintenance]]\n{window}");
        let roster = parse(
            Path::new("x"),
            &with(
                "start = 2026-12-10T23:00:00+01:00\nend = \"2026-12-10 23:30\"\nwhat = \"Failover test\"\naffects = [\"api\", \"db\"]\n",
            ),
        )
        .unwrap();
        assert_eq!(
            roster.maintenance,
            [Maintenance {
                start: "2026-12-10T22:00:00Z".parse().unwrap(),
                end: "2026-12-10T23:30:00Z".parse().unwrap(),
                what: "Failover test".into(),
                affects: vec!["api".into(), "db".into()],
            }]
        );
        let backwards = parse_err(&with(
            "start = 2026-12-10T22:00:00Z\nend = 2026-12-10T21:00:00Z\nwhat = \"x\"\n",
        ));
        assert!(
            backwards.contains(
                "maintenance window 2026-12-10 22:00 to 2026-12-10 21:00 is not a window"
            ),
            "{backwards}"
        );
        let seconds = parse_err(&with(
            "start = 2026-12-10T22:00:30Z\nend = 2026-12-10T23:00:00Z\nwhat = \"x\"\n",
        ));
        assert!(
            seconds.contains("maintenance start is not a whole minute"),
            "{seconds}"
        );
        let untimed = parse_err(&with(
            "start = 2026-12-10\nend = 2026-12-11\nwhat = \"x\"\n",
        ));
        assert!(
            untimed.contains("maintenance start is not a time"),
            "{untimed}"
        );
    }

    #[test]
    fn unknown_keys_are_reported_where_they_are() {
        let shown = parse_err(&MINIMAL.replace("name = \"T\"", "nmae = \"T\""));
        assert!(shown.contains("unknown field `nmae`"), "{shown}");
        assert!(shown.contains(":3:1"), "{shown}");
    }

    #[test]
    fn rotation_ids_must_be_unique() {
        let with = |rotation: &str| format!("{MINIMAL}\n[rotation]\n{rotation}");
        let shown = parse_err(&with(
            "seed = 1\nround = 1\norder = [\"alice\", \"alice\"]\non-call = \"alice\"\nday = 2026-11-23\n",
        ));
        assert!(shown.contains("appears twice"), "{shown}");
        let shown = parse_err(&with("seed = 1\nround = 1\norder = [\"alice\"]\n"));
        assert!(shown.contains("needs on-call and day"), "{shown}");
    }

    #[test]
    fn without_a_seed_every_clone_derives_the_same_one() {
        let one = parse(Path::new("x"), MINIMAL).unwrap();
        let two = parse(Path::new("y"), MINIMAL).unwrap();
        assert_eq!(one.seed, two.seed);
        let other = parse(Path::new("x"), &MINIMAL.replace("\"T\"", "\"U\"")).unwrap();
        assert_ne!(one.seed, other.seed);
        let text = format!("{MINIMAL}\n[rotation]\nseed = 7\nstart = 2026-11-30\n");
        let roster = parse(Path::new("x"), &text).unwrap();
        assert_eq!(
            (roster.seed, roster.start),
            (7, Some("2026-11-30".parse().unwrap()))
        );
    }

    #[test]
    fn roster_changes_reconcile_the_round() {
        let text = format!(
            "{MINIMAL}\n[[engineer]]\nid = \"dave\"\nname = \"D\"\n[rotation]\nseed = 1\nround = 2\norder = [\"carol\", \"alice\", \"bob\"]\non-call = \"alice\"\nday = 2026-11-23\n"
        );
        let roster = parse(Path::new("x"), &text).unwrap();
        let (state, notices) =
            crate::rotation::reconcile(&roster, roster.checkpoint.clone().unwrap());
        assert_eq!(state.order, ["alice", "bob", "dave"]);
        assert_eq!(state.pending, ["bob", "dave"]);
        assert_eq!(
            notices,
            [
                "carol is no longer in the team: left the rotation",
                "dave joins round 2 at its end"
            ]
        );
    }

    #[test]
    fn pending_defaults_to_the_rest_of_the_order() {
        let text = format!(
            "{MINIMAL}\n[[engineer]]\nid = \"carol\"\nname = \"C\"\n[rotation]\nseed = 1\nround = 2\norder = [\"bob\", \"alice\", \"carol\"]\non-call = \"alice\"\nday = 2026-11-23\n"
        );
        let state = parse(Path::new("x"), &text).unwrap().checkpoint.unwrap();
        assert_eq!(state.pending, vec!["carol".to_string()]);
    }

    #[test]
    fn dates_and_times_are_validated() {
        let shown = parse_err(&MINIMAL.replace(
            "timezone = \"Europe/Prague\"",
            "timezone = \"Europe/Prague\"\nholidays = [\"2026-02-30\"]",
        ));
        assert!(shown.contains("holiday is not a date"), "{shown}");
        let shown = parse_err(&MINIMAL.replace(
            "timezone = \"Europe/Prague\"",
            "timezone = \"Europe/Prague\"\nhandover-time = \"25:00\"",
        ));
        assert!(shown.contains("handover-time \"25:00\""), "{shown}");
    }

    /// `[regions.ID] holidays` and `region = "ID"` on an engineer: the region's holidays are
    /// days the engineer is away, as with an absence; others of the team are not.
    #[test]
    fn a_region_gives_its_engineers_their_holidays() {
        let text = MINIMAL.replace(
            "id = \"alice\"\nname = \"Alice\"\n",
            "id = \"alice\"\nname = \"Alice\"\nregion = \"de\"\n",
        ) + "\n[regions.de]\nholidays = [2026-12-08, \"2026-10-03\"]\n\n[regions.uk]\n";
        let roster = parse(Path::new("x"), &text).unwrap();
        let ids: Vec<&str> = roster.regions.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["de", "uk"]);
        let alice = roster.engineer("alice").unwrap();
        assert_eq!(alice.region.as_deref(), Some("de"));
        let day = "2026-12-08".parse().unwrap();
        assert!(alice.is_away(day) && alice.has_holiday(day) && !alice.is_absent(day));
        assert!(!roster.is_available("alice", day));
        assert!(roster.is_available("bob", day));
        assert!(
            roster.calendar.is_working_day(day),
            "a region's holiday is the team's working day"
        );
        assert!(alice.is_away("2026-10-03".parse().unwrap()));
    }

    #[test]
    fn regions_are_validated_where_they_are_written() {
        let with_region = |region: &str, table: &str| {
            MINIMAL.replace(
                "id = \"bob\"\nname = \"Bob\"\n",
                &format!("id = \"bob\"\nname = \"Bob\"\nregion = {region}\n"),
            ) + table
        };
        let error = parse(
            Path::new("on-call-list.toml"),
            &with_region("\"fr\"", "\n[regions.de]\nholidays = []\n"),
        )
        .unwrap_err();
        assert_eq!(
            error.summary(),
            "engineer bob's region \"fr\" is not a region of the list"
        );
        let at = error.location().unwrap();
        assert_eq!((at.line, at.column), (13, 10));
        assert_eq!(
            error.hints(),
            ["known regions: de; or add a [regions.fr] table with its holidays"]
        );
        let error = parse(Path::new("on-call-list.toml"), &with_region("\"fr\"", "")).unwrap_err();
        assert_eq!(
            error.hints(),
            ["add its holidays as a table: [regions.fr] holidays = [2026-12-24]"]
        );
        let error = parse(
            Path::new("on-call-list.toml"),
            &with_region(
                "\"de\"",
                "\n[regions.de]\nholidays = [2026-12-08, 2026-02-30]\n",
            ),
        );
        // 2026-02-30 is no TOML date: the TOML reader says where.
        assert!(
            error
                .unwrap_err()
                .to_string()
                .contains("on-call-list.toml:16:")
        );
        let error = parse(
            Path::new("on-call-list.toml"),
            &with_region(
                "\"de\"",
                "\n[regions.de]\nholidays = [2026-12-08, \"soon\"]\n",
            ),
        )
        .unwrap_err();
        assert_eq!(error.summary(), "holiday of region de is not a date");
        let at = error.location().unwrap();
        assert_eq!((at.line, at.column), (16, 25));
        let error = parse(
            Path::new("on-call-list.toml"),
            &with_region("\"de\"", "\n[regions.de]\nholidays = []\nname = \"x\"\n"),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("unknown field `name`"),
            "{error}"
        );
        let error = parse(
            Path::new("on-call-list.toml"),
            &with_region("\"de\"", "\n[regions.de]\n\n[regions.DE]\n"),
        )
        .unwrap_err();
        assert_eq!(error.summary(), "region id \"DE\" is not a valid id");
    }

    #[test]
    fn conflict_markers_are_refused_before_parsing() {
        let shown = parse_err(&format!(
            "{MINIMAL}<<<<<<< HEAD\nx = 1\n=======\n>>>>>>> main\n"
        ));
        assert!(shown.contains("git conflict markers"), "{shown}");
        assert!(shown.contains("resolve the merge conflict"), "{shown}");
    }

    #[test]
    fn an_empty_roster_is_refused() {
        let shown = parse_err("[team]\nname = \"T\"\ntimezone = \"UTC\"\n");
        assert!(shown.contains("lists no engineers"), "{shown}");
    }
}
