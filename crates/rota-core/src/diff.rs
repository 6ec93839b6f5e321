//! What a change to the team's files does to the rotation: the days that change hands, why,
//! who gains and loses days, and how evenly the days ahead fall before and after.
//!
//! Both sides are [`Snapshot`]s read as of the same moment, and each day is answered by each
//! side's [`Timeline`], the one that `who` and `schedule` read: the log for days past, the
//! projection ahead. A day changes hands when the two sides put different engineers on it.
//! Why is found by comparing what differs on that day between the sides (an override, a
//! holiday, an engineer added, removed or away, a handover record); a day with no difference of
//! its own is a turn moved by an earlier change, and says which.
//!
//! When the new log has moved the rotation on from where the old one stops (the base of a
//! change made days ago, the branch as it was yesterday), the old side is read as of the day
//! its last turn covers: its days after that are the turns as handed over on time, so a
//! handover the new side records as planned changes no hands. Otherwise both sides are read
//! as of today: a handover late (or taken back) on the new side leaves its engineer holding the
//! pager, and that is a day changing hands.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDate};

use crate::calendar::{MAX_SPAN_DAYS, show_day};
use crate::history::{Names, Record};
use crate::roster::{Absence, Roster};
use crate::session::Snapshot;
use crate::timeline::{Day, Timeline};

/// How many working days ahead a diff looks at, unless asked otherwise.
pub const DEFAULT_DAYS: usize = 20;

/// Why a day changes hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// An `[[override]]` (swap or cover) on that day was added, changed or removed.
    Override,
    /// The engineer of one side is away that day on the other.
    Absence,
    /// The engineer of the new side joined the team.
    Added,
    /// The engineer of the old side left the team.
    Removed,
    /// The day became a holiday (or a day off), or stopped being one.
    Holiday,
    /// The log's handover records differ on a day they answer for (one taken back, added,
    /// or gone).
    Handover,
    /// A turn moved by a change on an earlier day (or to the rotation as a whole).
    Rotation,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Override => "override",
            Why::Absence => "absence",
            Why::Added => "added",
            Why::Removed => "removed",
            Why::Holiday => "holiday",
            Why::Handover => "handover",
            Why::Rotation => "rotation",
        }
    }
}

/// A day that changes hands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: NaiveDate,
    /// Who is on call that day before the change (`None`: nobody).
    pub before: Option<String>,
    /// And after it.
    pub after: Option<String>,
    pub why: Why,
    /// Why, in words.
    pub detail: String,
    /// For a turn moved by an earlier change ([`Why::Rotation`]): that change's day.
    pub follows: Option<NaiveDate>,
}

/// The days one engineer gains and loses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moves {
    pub id: String,
    pub gained: Vec<NaiveDate>,
    pub lost: Vec<NaiveDate>,
}

/// How the working days ahead fall on one side: days per engineer (every engineer of the
/// team, and anyone else on call in the window), and the fewest and most among the team.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fairness {
    pub days: BTreeMap<String, usize>,
    pub min: usize,
    pub max: usize,
}

impl Fairness {
    /// The difference between the most and the fewest days.
    pub fn spread(&self) -> usize {
        self.max - self.min
    }
}

/// What a change does to the rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    /// The first day compared: today, or an earlier day when the logs differ about it.
    pub from: NaiveDate,
    pub today: NaiveDate,
    /// The last working day of the window ahead.
    pub until: NaiveDate,
    /// How many working days ahead (today included) were compared.
    pub working_days: usize,
    pub changes: Vec<Change>,
    /// Every engineer whose days move, by id.
    pub engineers: Vec<Moves>,
    pub before: Fairness,
    pub after: Fairness,
}

/// Compares the rotation of `before` and `after` (read as of the same moment) over the days
/// the logs disagree about and the next `working_days` working days from today (a day working
/// on either side counts).
pub fn compare(before: &Snapshot, after: &Snapshot, working_days: usize) -> Diff {
    let sides = Sides::new(before, after);
    let today = after.today;
    let from = sides.first_day(today);
    // The old log lags when the new one has moved the rotation on: read it as of the day its
    // last turn covers, so that its days ahead are the turns as handed over on time (read as of
    // today, its late handover would hold the pager every day since).
    let (state_b, state_a) = (before.state(), after.state());
    let lags = state_b.day < state_a.day && state_b.day < before.today;
    let as_of = if lags { state_b.day } else { before.today };
    let early = Timeline::new(sides.roster_b, state_b, before.history(), as_of);
    let late = Timeline::new(sides.roster_a, after.state(), after.history(), after.today);
    let mut changes: Vec<Change> = Vec::new();
    let mut fair_b: BTreeMap<String, usize> = BTreeMap::new();
    let mut fair_a: BTreeMap<String, usize> = BTreeMap::new();
    let mut counted = 0;
    let mut until = today;
    for (b, a) in early.days(from).zip(late.days(from)) {
        let working = b.status.is_working() || a.status.is_working();
        if b.date >= today {
            if counted == working_days {
                break;
            }
            if working {
                counted += 1;
                until = b.date;
            }
            for (day, fair) in [(&b, &mut fair_b), (&a, &mut fair_a)] {
                if let Some(id) = &day.engineer {
                    *fair.entry(id.clone()).or_default() += 1;
                }
            }
        }
        if working && b.engineer != a.engineer {
            let (why, detail, follows) = sides.why(&b, &a, &changes);
            changes.push(Change {
                date: b.date,
                before: b.engineer.clone(),
                after: a.engineer.clone(),
                why,
                detail,
                follows,
            });
        }
    }
    let mut moves: BTreeMap<&str, Moves> = BTreeMap::new();
    for change in &changes {
        if let Some(id) = &change.before {
            moves
                .entry(id)
                .or_insert_with(|| Moves::of(id))
                .lost
                .push(change.date);
        }
        if let Some(id) = &change.after {
            moves
                .entry(id)
                .or_insert_with(|| Moves::of(id))
                .gained
                .push(change.date);
        }
    }
    Diff {
        from,
        today,
        until,
        working_days: counted,
        engineers: moves.into_values().collect(),
        changes,
        before: fairness(sides.roster_b, fair_b),
        after: fairness(sides.roster_a, fair_a),
    }
}

impl Moves {
    fn of(id: &str) -> Moves {
        Moves {
            id: id.to_string(),
            gained: Vec::new(),
            lost: Vec::new(),
        }
    }
}

/// Days per engineer of `roster` (none for those without a day), and the fewest and most.
fn fairness(roster: &Roster, mut days: BTreeMap<String, usize>) -> Fairness {
    for engineer in &roster.engineers {
        days.entry(engineer.id.clone()).or_default();
    }
    let team = roster.engineers.iter().map(|e| days[&e.id]);
    Fairness {
        min: team.clone().min().unwrap_or(0),
        max: team.max().unwrap_or(0),
        days,
    }
}

/// A handover record as both logs name it, whatever its line.
type Key<'a> = (Option<NaiveDate>, &'a str, &'a str, &'a str, &'a str);

fn key(record: &Record) -> Key<'_> {
    (
        record.written,
        &record.time,
        &record.from,
        &record.to,
        record.runner(),
    )
}

/// The two sides, and what differs between their logs.
struct Sides<'a> {
    before: &'a Snapshot,
    after: &'a Snapshot,
    roster_b: &'a Roster,
    roster_a: &'a Roster,
    /// Records that stand in the old log only.
    gone: Vec<&'a Record>,
    /// Records that stand in the new log only.
    new: Vec<&'a Record>,
}

impl<'a> Sides<'a> {
    fn new(before: &'a Snapshot, after: &'a Snapshot) -> Sides<'a> {
        let (roster_b, roster_a) = (&before.workspace.roster, &after.workspace.roster);
        let standing_b = before.history().standing(roster_b.calendar.timezone);
        let standing_a = after.history().standing(roster_a.calendar.timezone);
        let keys_b: HashSet<Key> = standing_b.iter().map(|r| key(r)).collect();
        let keys_a: HashSet<Key> = standing_a.iter().map(|r| key(r)).collect();
        Sides {
            before,
            after,
            roster_b,
            roster_a,
            gone: standing_b
                .into_iter()
                .filter(|r| !keys_a.contains(&key(r)))
                .collect(),
            new: standing_a
                .into_iter()
                .filter(|r| !keys_b.contains(&key(r)))
                .collect(),
        }
    }

    fn logs_differ(&self) -> bool {
        !self.gone.is_empty() || !self.new.is_empty()
    }

    /// The first day to compare: today, or the first day before it that the logs (or the
    /// turns they leave) disagree about, within ten years.
    fn first_day(&self, today: NaiveDate) -> NaiveDate {
        let mut from = today;
        for record in self.gone.iter().chain(&self.new) {
            if let Some(first) = record.served.iter().chain(&record.gaps).min() {
                from = from.min(*first);
            }
        }
        let (state_b, state_a) = (self.before.state(), self.after.state());
        if (&state_b.on_call, state_b.day) != (&state_a.on_call, state_a.day) {
            from = from.min(state_b.day).min(state_a.day);
        }
        from.max(today - Duration::days(MAX_SPAN_DAYS))
    }

    /// Why `b` (the old side's day) and `a` (the new side's) differ: what differs on the day,
    /// else the earlier change that moved the turns (in `earlier`, the changes found so far).
    fn why(&self, b: &Day, a: &Day, earlier: &[Change]) -> (Why, String, Option<NaiveDate>) {
        let day = b.date;
        let (roster_b, roster_a) = (self.roster_b, self.roster_a);
        let answered_by_log = day <= self.before.state().day.max(self.after.state().day);
        if self.logs_differ() && answered_by_log {
            return (Why::Handover, self.handover(day), None);
        }
        let (cal_b, cal_a) = (&roster_b.calendar, &roster_a.calendar);
        if cal_b.is_holiday(day) != cal_a.is_holiday(day) {
            let what = if cal_a.is_holiday(day) {
                "holiday added"
            } else {
                "holiday removed"
            };
            return (Why::Holiday, what.to_string(), None);
        }
        if cal_b.is_working_day(day) != cal_a.is_working_day(day) {
            let what = if cal_a.is_working_day(day) {
                "now a working day"
            } else {
                "no longer a working day"
            };
            return (Why::Holiday, what.to_string(), None);
        }
        let (o_b, o_a) = (roster_b.override_on(day), roster_a.override_on(day));
        let same = |x: &crate::roster::Override, y: &crate::roster::Override| {
            (&x.engineer, x.kind) == (&y.engineer, y.kind)
        };
        match (o_b, o_a) {
            (Some(x), Some(y)) if same(x, y) => {}
            (None, None) => {}
            (_, Some(o)) => {
                // `rota swap` writes "swap with DAY", `rota cover` "cover" or the reason.
                let kind = o.kind.as_str();
                let what = match &o.reason {
                    Some(reason) if reason.starts_with(kind) => reason.clone(),
                    Some(reason) => format!("{kind}: {reason}"),
                    None => kind.to_string(),
                };
                return (Why::Override, what, None);
            }
            (Some(o), None) => {
                return (Why::Override, format!("{} removed", o.kind.as_str()), None);
            }
        }
        if let Some(id) = &b.engineer
            && roster_b.engineer(id).is_some()
            && roster_a.engineer(id).is_none()
        {
            return (Why::Removed, format!("{id} left the team"), None);
        }
        if let Some(id) = &a.engineer
            && roster_a.engineer(id).is_some()
            && roster_b.engineer(id).is_none()
        {
            return (Why::Added, format!("{id} joined the team"), None);
        }
        fn away<'r>(roster: &'r Roster, id: &str, day: NaiveDate) -> Option<&'r Absence> {
            roster
                .engineer(id)
                .and_then(|e| e.away.iter().find(|a| a.from <= day && day <= a.to))
        }
        if let Some(id) = &b.engineer
            && away(roster_b, id, day).is_none()
            && let Some(absence) = away(roster_a, id, day)
        {
            let what = match &absence.reason {
                Some(reason) => format!("{id} away: {reason}"),
                None => format!("{id} away"),
            };
            return (Why::Absence, what, None);
        }
        if let Some(id) = &a.engineer
            && away(roster_a, id, day).is_none()
            && away(roster_b, id, day).is_some()
        {
            return (Why::Absence, format!("{id} no longer away"), None);
        }
        // A holiday of the engineer's region: it closes their day only, as an absence does.
        fn region_holiday<'r>(roster: &'r Roster, id: &str, day: NaiveDate) -> Option<&'r str> {
            let engineer = roster.engineer(id)?;
            engineer
                .region_holidays
                .contains(&day)
                .then_some(engineer.region.as_deref()?)
        }
        if let Some(id) = &b.engineer
            && region_holiday(roster_b, id, day).is_none()
            && let Some(region) = region_holiday(roster_a, id, day)
        {
            return (Why::Holiday, format!("holiday in {region} ({id})"), None);
        }
        if let Some(id) = &a.engineer
            && region_holiday(roster_a, id, day).is_none()
            && let Some(region) = region_holiday(roster_b, id, day)
        {
            return (
                Why::Holiday,
                format!("no longer a holiday in {region} ({id})"),
                None,
            );
        }
        // A turn moved: by the last earlier change that moves turns (an override changes its
        // own day only), else by a change to the rotation as a whole.
        if let Some(cause) = earlier
            .iter()
            .rev()
            .find(|c| !matches!(c.why, Why::Override | Why::Rotation))
        {
            return (
                Why::Rotation,
                format!(
                    "turns moved after {}: {}",
                    show_day(cause.date),
                    cause.detail
                ),
                Some(cause.date),
            );
        }
        (Why::Rotation, self.moved_as_a_whole(), None)
    }

    /// Why the turns moved when no day in the window says: the team, the log, or the
    /// rotation's settings changed.
    fn moved_as_a_whole(&self) -> String {
        let ids = |roster: &Roster| -> Vec<String> {
            roster.engineers.iter().map(|e| e.id.clone()).collect()
        };
        let (ids_b, ids_a) = (ids(self.roster_b), ids(self.roster_a));
        let mut what: Vec<String> = Vec::new();
        for id in ids_a.iter().filter(|id| !ids_b.contains(id)) {
            what.push(format!("{id} joined the team"));
        }
        for id in ids_b.iter().filter(|id| !ids_a.contains(id)) {
            what.push(format!("{id} left the team"));
        }
        if what.is_empty() && self.logs_differ() {
            what.push("the log's handover records differ".to_string());
        }
        if what.is_empty() {
            what.push("the rotation's settings differ".to_string());
        }
        format!("turns moved: {}", what.join(", "))
    }

    /// The handover record that differs about `day`: one that served it, else the last one
    /// before it, else the first; and what happened to it.
    fn handover(&self, day: NaiveDate) -> String {
        let candidates = self
            .gone
            .iter()
            .map(|r| (r, false))
            .chain(self.new.iter().map(|r| (r, true)));
        let first = |r: &Record| r.served.first().copied().or(r.next_day);
        let (record, added) = candidates
            .clone()
            .find(|(r, _)| r.served.contains(&day))
            .or_else(|| {
                candidates
                    .clone()
                    .filter(|(r, _)| first(r).is_some_and(|f| f <= day))
                    .max_by_key(|(r, _)| (first(r), r.written, r.time.clone()))
            })
            .or_else(|| candidates.clone().next())
            .expect("the logs differ");
        let when = record
            .written
            .or_else(|| record.served.last().copied())
            .map(|d| format!(" of {}", show_day(d)))
            .unwrap_or_default();
        let what = if added {
            "recorded"
        } else if Names::of(&self.after.history().taken_back).name(record) {
            "taken back"
        } else {
            "not in the log"
        };
        format!("handover {} → {}{when} {what}", record.from, record.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "[team]\nname = \"T\"\ntimezone = \"UTC\"\n\n[rotation]\nseed = 7\nstart = 2026-11-23\n\n[[engineer]]\nid = \"a\"\nname = \"A\"\n\n[[engineer]]\nid = \"b\"\nname = \"B\"\n\n[[engineer]]\nid = \"c\"\nname = \"C\"\n";

    fn snapshot(list: &str) -> Snapshot {
        let now = "2026-11-23T08:00:00Z".parse().unwrap();
        Snapshot::from_texts("on-call-list.toml".into(), list, "", now).unwrap()
    }

    #[test]
    fn the_same_files_change_no_hands_and_count_every_day() {
        let diff = compare(&snapshot(LIST), &snapshot(LIST), 10);
        assert!(diff.changes.is_empty());
        assert_eq!(diff.working_days, 10);
        assert_eq!(diff.until, "2026-12-04".parse::<NaiveDate>().unwrap());
        assert_eq!(diff.before, diff.after);
        assert_eq!(diff.after.days.values().sum::<usize>(), 10);
    }

    #[test]
    fn a_holiday_takes_its_day_and_moves_the_turns_after_it() {
        let with = LIST.replace(
            "timezone = \"UTC\"",
            "timezone = \"UTC\"\nholidays = [2026-11-24]",
        );
        let diff = compare(&snapshot(LIST), &snapshot(&with), 5);
        let first = &diff.changes[0];
        assert_eq!(first.date, "2026-11-24".parse::<NaiveDate>().unwrap());
        assert_eq!((first.why, first.after.as_deref()), (Why::Holiday, None));
        assert!(
            diff.changes[1..]
                .iter()
                .all(|c| c.why == Why::Rotation && c.follows == Some(first.date))
        );
        // A day off on one side is still a day of the window.
        assert_eq!(diff.working_days, 5);
    }

    #[test]
    fn a_region_holiday_is_named_as_a_holiday_of_that_region() {
        let regions = format!("{LIST}\n[regions.de]\nholidays = [2026-11-24]\n");
        let base = snapshot(&regions);
        let before = compare(&base, &base, 5);
        assert!(before.changes.is_empty());
        // Who serves the 24th on the base side goes to region de, whose holiday it is.
        let on_24th = crate::timeline::Timeline::new(
            &base.workspace.roster,
            base.state(),
            base.history(),
            base.today,
        )
        .day("2026-11-24".parse().unwrap())
        .engineer
        .expect("someone serves the 24th");
        let with = regions.replace(
            &format!("id = \"{on_24th}\"\n"),
            &format!("id = \"{on_24th}\"\nregion = \"de\"\n"),
        );
        let diff = compare(&base, &snapshot(&with), 5);
        let first = &diff.changes[0];
        assert_eq!(
            (first.date, first.why, first.detail.as_str()),
            (
                "2026-11-24".parse::<NaiveDate>().unwrap(),
                Why::Holiday,
                format!("holiday in de ({on_24th})").as_str()
            )
        );
    }
}
