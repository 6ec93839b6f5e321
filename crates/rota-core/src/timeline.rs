//! One timeline: who was, is, or will be on call on any day.
//!
//! Days before the current turn are answered from the log (the handover record that served
//! them); the current turn from the rotation's state (on call, or overdue while its handover
//! is late); later days from the projection (`rotation::schedule`, the code handovers run).
//! `who`, `schedule`, `next`, `stats`, the calendar and the overrides (`swap`, `cover`) all
//! read days from here, so they cannot disagree about a day. Each day also says why, in words
//! ([`Day::detail`]), the same in the table, the JSON and the calendar.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::calendar::show_day;
use crate::error::{Error, Result};
use crate::history::{History, Record};
use crate::roster::{Override, Roster};
use crate::rotation::{self, Reason, Slot, State};

/// What a day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Past (or today, after its handover): the log records who served it.
    Served,
    /// The current turn, not handed over yet and not late.
    OnCall,
    /// The current turn, whose handover is late: the engineer still holds the pager.
    Overdue,
    /// Ahead: the projection's engineer.
    Scheduled,
    /// A working day nobody could take (ahead), or that the log records as such.
    Gap,
    /// A past working day the log has no record of (before the rotation began, or lost).
    Unrecorded,
    /// A working day from today on, before the rotation's first turn (`[rotation] start`).
    NotStarted,
    Weekend,
    Holiday,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Served => "served",
            Status::OnCall => "on call",
            Status::Overdue => "overdue",
            Status::Scheduled => "scheduled",
            Status::Gap => "gap",
            Status::Unrecorded => "unrecorded",
            Status::NotStarted => "not started",
            Status::Weekend => "weekend",
            Status::Holiday => "holiday",
        }
    }

    /// A day on which someone holds (held, will hold) the pager.
    pub fn is_working(self) -> bool {
        !matches!(self, Status::Weekend | Status::Holiday | Status::NotStarted)
    }
}

/// One day of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub status: Status,
    pub today: bool,
    /// Who is (was, will be) on call.
    pub engineer: Option<String>,
    /// Whose day it was by the rotation, when an override put someone else on.
    pub covering_for: Option<String>,
    pub reason: Reason,
    pub round: Option<u32>,
    /// The record that handed the day over, for a served day.
    pub handover: Option<Handover>,
    /// Today, while the handover is overdue: whom it passes the pager to.
    pub takes_over: Option<String>,
    /// An override on this day made for someone else's day than the rotation now gives it to.
    pub stale: Option<Stale>,
    /// From the current turn on, the rotation's turn this day: who an override there puts on
    /// call, and whose day it is by the rotation. The same as `engineer` except while a
    /// handover is overdue, when it is the turn that handover will make.
    pub turn: Option<Slot>,
}

/// How a served day was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// The team day the record was written in.
    pub written: Option<NaiveDate>,
    pub time: String,
    pub to: String,
    pub next_day: Option<NaiveDate>,
    pub run_by: Option<String>,
    pub note: Option<String>,
    /// The record's line in the log (1-based, in the text it was read from).
    pub line: usize,
}

/// An override whose intent no longer holds: it was made to displace `made_for`, but the
/// rotation now gives the day to `now_for`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub made_for: String,
    pub now_for: Option<String>,
}

pub struct Timeline<'a> {
    roster: &'a Roster,
    state: &'a State,
    today: NaiveDate,
    /// The current turn's handover is late.
    late: bool,
    served: HashMap<NaiveDate, &'a Record>,
    gaps: HashSet<NaiveDate>,
}

impl<'a> Timeline<'a> {
    /// The timeline of `roster` with the rotation at `state`; `history` holds the records past
    /// days are answered from (the whole log for any past day, its end for recent ones).
    pub fn new(
        roster: &'a Roster,
        state: &'a State,
        history: &'a History,
        today: NaiveDate,
    ) -> Timeline<'a> {
        let zone = roster.calendar.timezone;
        let mut served = HashMap::new();
        let mut gaps = HashSet::new();
        for record in history.standing(zone) {
            for day in &record.served {
                served.entry(*day).or_insert(record);
            }
            gaps.extend(record.gaps.iter().copied());
        }
        Timeline {
            roster,
            state,
            today,
            late: rotation::late_days(roster, state, today) > 0,
            served,
            gaps,
        }
    }

    /// The day `date`.
    pub fn day(&self, date: NaiveDate) -> Day {
        self.days(date)
            .next()
            .expect("the timeline goes on for ever")
    }

    /// The rotation's turn on `date`, which an override there changes: [`Day::turn`], from the
    /// current turn on (`engineer` is `None` on a gap). Refused for a day off, and for a day
    /// before today other than the current turn's.
    pub fn turn(&self, date: NaiveDate) -> Result<Slot> {
        if !self.roster.calendar.is_working_day(date) {
            return Err(Error::usage(format!(
                "{} is not a working day: no one is on call then",
                date.format("%A %Y-%m-%d")
            ))
            .hint("rota schedule shows the working days ahead"));
        }
        if date < self.today.max(self.state.day) && date != self.state.day {
            return Err(Error::usage(format!("{} is in the past", show_day(date)))
                .hint("overrides change days from the current turn on"));
        }
        Ok(self.day(date).turn.unwrap_or_else(|| {
            rotation::slot(self.roster, date, None, Reason::Gap, self.state.round)
        }))
    }

    /// Where the turns give one engineer two working days in a row, for each pair of
    /// neighbouring turns of which one falls on a day in `changed`: the engineer and the two
    /// days. Overrides may do that (a person asked for it), and it is worth saying.
    pub fn back_to_back(&self, changed: &[NaiveDate]) -> Vec<(String, NaiveDate, NaiveDate)> {
        let last = changed.iter().max().copied().unwrap_or(self.today);
        let end = self.roster.calendar.next_working_day(last);
        let turns: Vec<Slot> = self
            .days(self.state.day)
            .take_while(|day| day.date <= end)
            .filter_map(|day| day.turn)
            .collect();
        turns
            .windows(2)
            .filter(|pair| changed.contains(&pair[0].day) || changed.contains(&pair[1].day))
            .filter_map(|pair| {
                let id = pair[0].engineer.as_ref()?;
                (pair[1].engineer.as_ref() == Some(id))
                    .then(|| (id.clone(), pair[0].day, pair[1].day))
            })
            .collect()
    }

    /// Who follows `day` on call, and from which day. A turn overdue holds every day up to
    /// today, so its next is whoever today's handover passes the pager to.
    pub fn next_after(&self, day: &Day) -> Option<(NaiveDate, String)> {
        let from = if day.status == Status::Overdue {
            self.day(self.today)
        } else {
            day.clone()
        };
        if let Some(id) = &from.takes_over {
            return Some((self.today, id.clone()));
        }
        let after = from
            .date
            .succ_opt()
            .expect("dates stay far from chrono's limits");
        self.days(after)
            .take(crate::calendar::MAX_SPAN_DAYS as usize)
            .find_map(|d| Some((d.date, d.engineer?)))
    }

    /// Every calendar day from `from` on, without end.
    pub fn days(&self, from: NaiveDate) -> impl Iterator<Item = Day> + '_ {
        let mut projection = rotation::schedule(self.roster, self.state, self.today).peekable();
        from.iter_days().map(move |date| {
            if date < self.state.day {
                return self.past(date);
            }
            if let Some(off) = self.day_off(date) {
                return off;
            }
            while projection.peek().is_some_and(|s| s.day < date) {
                projection.next();
            }
            let slot = projection.peek().filter(|s| s.day == date).cloned();
            self.ahead(date, slot)
        })
    }

    /// The days from `from` up to `until` (every calendar day), or else up to the
    /// `working_days`th working day counted from `counted_from`; days off that lead nowhere
    /// are left out. What `schedule` lists and its calendar feed holds, and what `publish`
    /// shows.
    pub fn window(
        &self,
        from: NaiveDate,
        counted_from: NaiveDate,
        until: Option<NaiveDate>,
        working_days: usize,
    ) -> Vec<Day> {
        let mut days = Vec::new();
        let mut working = 0;
        for day in self.days(from) {
            match until {
                Some(until) if day.date > until => break,
                None if working == working_days => break,
                _ => {}
            }
            if day.status.is_working() && day.date >= counted_from {
                working += 1;
            }
            days.push(day);
        }
        while days.last().is_some_and(|d| !d.status.is_working()) && until.is_none() {
            days.pop();
        }
        days
    }

    fn blank(&self, date: NaiveDate, status: Status) -> Day {
        Day {
            date,
            status,
            today: date == self.today,
            engineer: None,
            covering_for: None,
            reason: Reason::Gap,
            round: None,
            handover: None,
            takes_over: None,
            stale: None,
            turn: None,
        }
    }

    fn day_off(&self, date: NaiveDate) -> Option<Day> {
        let calendar = &self.roster.calendar;
        if calendar.is_holiday(date) {
            Some(self.blank(date, Status::Holiday))
        } else if !calendar.is_working_day(date) {
            Some(self.blank(date, Status::Weekend))
        } else {
            None
        }
    }

    /// Before the current turn: what the log says.
    fn past(&self, date: NaiveDate) -> Day {
        if let Some(record) = self.served.get(&date) {
            return Day {
                engineer: Some(record.served_by.clone()),
                covering_for: record.covering_for.clone(),
                reason: Reason::Served,
                round: record.round.as_ref().map(|r| r.number),
                handover: Some(Handover {
                    written: record.written,
                    time: record.time.clone(),
                    to: record.to.clone(),
                    next_day: record.next_day,
                    run_by: record.run_by.clone(),
                    note: record.note.clone(),
                    line: record.line,
                }),
                ..self.blank(date, Status::Served)
            };
        }
        if let Some(off) = self.day_off(date) {
            return off;
        }
        if self.gaps.contains(&date) {
            return self.blank(date, Status::Gap);
        }
        if date >= self.today {
            return self.blank(date, Status::NotStarted);
        }
        self.blank(date, Status::Unrecorded)
    }

    /// The current turn and the days ahead.
    fn ahead(&self, date: NaiveDate, slot: Option<Slot>) -> Day {
        let state = self.state;
        if self.late && date <= self.today {
            return self.held(date, slot);
        }
        let Some(slot) = slot else {
            // Between a current turn already past (its handover not late) and today.
            return self.blank(date, Status::Unrecorded);
        };
        let status = if slot.engineer.is_none() {
            Status::Gap
        } else if date == state.day && date <= self.today {
            Status::OnCall
        } else {
            Status::Scheduled
        };
        Day {
            turn: Some(slot.clone()),
            ..self.of_slot(slot, status)
        }
    }

    /// A day of a turn whose handover is late, up to today: the pager stays with the engineer
    /// who has not handed over, every working day until they do ([`rotation::holds`]: a day
    /// before today that an override gives someone else excepted). Today they hold it whatever
    /// an override says: the override is of the turn their handover passes the pager to, which
    /// is the turn it is measured against.
    fn held(&self, date: NaiveDate, slot: Option<Slot>) -> Day {
        let (roster, state) = (self.roster, self.state);
        let holder = rotation::holder(roster, state);
        let held = if date == state.day {
            rotation::current(roster, state)
        } else if date == self.today {
            // As on the turn's own day: whose day the holder covers, if anyone's.
            Slot {
                day: date,
                engineer: Some(holder),
                ..rotation::current(roster, state)
            }
        } else {
            rotation::slot(roster, date, Some(&holder), Reason::Rotation, state.round)
        };
        let mut day = self.of_slot(held, Status::Overdue);
        if date == self.today {
            day.takes_over = slot
                .as_ref()
                .filter(|s| s.day != state.day)
                .and_then(|s| s.engineer.clone());
            day.stale = slot.as_ref().and_then(|turn| {
                roster
                    .override_on(date)
                    .and_then(|o| stale(o, turn.scheduled.as_deref()))
            });
        } else if date != state.day {
            // Past, and no turn of the rotation: nothing it could be stale against.
            day.stale = None;
        }
        Day { turn: slot, ..day }
    }

    fn of_slot(&self, slot: Slot, status: Status) -> Day {
        let covering_for = slot
            .scheduled
            .clone()
            .filter(|s| slot.engineer.as_ref() != Some(s));
        let stale = self
            .roster
            .override_on(slot.day)
            .and_then(|o| stale(o, slot.scheduled.as_deref()));
        Day {
            engineer: slot.engineer,
            covering_for,
            reason: slot.reason,
            round: Some(slot.round),
            stale,
            ..self.blank(slot.day, status)
        }
    }
}

impl Day {
    /// The first day of the turn the day's engineer holds on it: while they hold a turn whose
    /// handover is late, that turn's day; else the day itself (a day of a late turn that an
    /// override gave someone else is theirs alone).
    pub fn held_since(&self, roster: &Roster, state: &State) -> NaiveDate {
        let holds = self.status == Status::Overdue
            && self.engineer.as_deref() == Some(rotation::holder(roster, state).as_str());
        if holds { state.day } else { self.date }
    }

    /// The kind of reason: the rotation's (`rotation`, `round start`, `served`...), for an
    /// override `swap` or `cover`, or what the day is (`weekend`, `holiday`...).
    pub fn reason_kind(&self, roster: &Roster) -> &'static str {
        match self.status {
            Status::Weekend => "weekend",
            Status::Holiday => "holiday",
            Status::Unrecorded => "unrecorded",
            Status::NotStarted => "not started",
            _ => match self.reason {
                Reason::Override => roster
                    .override_on(self.date)
                    .map_or("cover", |o| o.kind.as_str()),
                other => other.as_str(),
            },
        }
    }

    /// Why this engineer is (was) on call on this day, in words: the schedule's `Why` column,
    /// the JSON's `detail`, the calendar's description.
    pub fn detail(&self, roster: &Roster) -> String {
        let covering = |what: String| match &self.covering_for {
            Some(id) => format!("{what}, covering for {id}"),
            None => what,
        };
        let mut text = match self.status {
            Status::Weekend => "weekend".to_string(),
            Status::Holiday => "holiday".to_string(),
            Status::Gap => "no one available".to_string(),
            Status::Unrecorded => "no handover record in the log".to_string(),
            Status::NotStarted => "before the rotation starts".to_string(),
            Status::Served => covering("served, handed over".to_string()),
            Status::OnCall if !self.today => covering("on call, not handed over yet".to_string()),
            Status::Overdue => match &self.takes_over {
                Some(next) => covering(format!(
                    "handover overdue; {next} takes over at the handover"
                )),
                None => covering("handover overdue".to_string()),
            },
            Status::Scheduled | Status::OnCall => self.planned(roster),
        };
        if let Some(stale) = &self.stale {
            text += &format!(
                "; stale: made for {}'s day, now {}'s",
                stale.made_for,
                stale.now_for.as_deref().unwrap_or("nobody")
            );
        }
        text
    }

    /// Why a turn ahead (or today's) is this engineer's.
    fn planned(&self, roster: &Roster) -> String {
        match self.reason {
            Reason::Override => {
                let reason = roster
                    .override_on(self.date)
                    .and_then(|o| o.reason.clone())
                    .unwrap_or_else(|| "cover".to_string());
                match &self.covering_for {
                    Some(id) => format!("{reason} (instead of {id})"),
                    None => reason,
                }
            }
            Reason::RoundStart => format!("round {} starts", self.round.unwrap_or_default()),
            Reason::Back => {
                let before = roster.calendar.previous_working_day(self.date);
                match self.engineer.as_deref().and_then(|id| roster.engineer(id)) {
                    Some(e) if !e.is_absent(before) && e.has_holiday(before) => format!(
                        "first day back after a holiday in {}",
                        e.region.as_deref().unwrap_or_default()
                    ),
                    _ => "first day back after an absence".to_string(),
                }
            }
            other => other.as_str().to_string(),
        }
    }
}

/// Whether `o`, made to displace someone, now displaces someone else (or nobody).
pub fn stale(o: &Override, scheduled: Option<&str>) -> Option<Stale> {
    let made_for = o.displaces.as_deref()?;
    (Some(made_for) != scheduled).then(|| Stale {
        made_for: made_for.to_string(),
        now_for: scheduled.map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::OverrideKind;
    use crate::rotation::{first_turn, tests::team};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// While Monday's handover is overdue, Monday's engineer holds the pager on Tuesday; an
    /// override on Tuesday changes the turn that handover passes the pager to.
    #[test]
    fn an_overdue_turn_holds_today_and_an_override_changes_the_turn_after_it() {
        let roster = team(3, &[]);
        let (monday, tuesday) = (date("2026-11-23"), date("2026-11-24"));
        let state = first_turn(&roster, 1, monday).state;
        assert_eq!(state.day, monday);
        let history = History::default();
        let timeline = Timeline::new(&roster, &state, &history, tuesday);
        let today = timeline.day(tuesday);
        assert_eq!(today.status, Status::Overdue);
        assert_eq!(today.engineer.as_ref(), Some(&state.on_call));
        let turn = timeline.turn(tuesday).unwrap();
        assert_eq!(turn.engineer, today.takes_over);
        assert_eq!(turn.scheduled, turn.engineer);
        assert_ne!(turn.engineer.as_ref(), Some(&state.on_call));
        // The current turn's own day can change; a day off or a day past cannot.
        assert_eq!(
            timeline.turn(monday).unwrap().engineer.as_ref(),
            Some(&state.on_call)
        );
        assert!(timeline.turn(date("2026-11-28")).is_err());
        assert!(timeline.turn(date("2026-11-20")).is_err());
    }

    /// An override giving the next turn to the engineer of the one before is said, once, for
    /// the pair it made.
    #[test]
    fn back_to_back_turns_are_found_where_an_override_made_them() {
        let mut roster = team(3, &[]);
        let monday = date("2026-11-23");
        let state = first_turn(&roster, 1, monday).state;
        let history = History::default();
        let tuesday = date("2026-11-24");
        let before = Timeline::new(&roster, &state, &history, monday).turn(tuesday);
        roster.overrides.push(Override {
            date: tuesday,
            engineer: state.on_call.clone(),
            kind: OverrideKind::Cover,
            reason: None,
            displaces: before.unwrap().scheduled,
        });
        let timeline = Timeline::new(&roster, &state, &history, monday);
        assert_eq!(
            timeline.back_to_back(&[tuesday]),
            [(state.on_call.clone(), monday, tuesday)]
        );
        assert!(timeline.back_to_back(&[date("2026-11-26")]).is_empty());
    }
}
