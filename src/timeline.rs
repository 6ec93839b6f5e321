//! One timeline: who was, is, or will be on call on any day.
//!
//! Days before the current turn are answered from the log (the handover record that served
//! them); the current turn from the rotation's state (on call, or overdue while its handover
//! is late); later days from the projection (`rotation::schedule`, the code handovers run).
//! `who`, `schedule`, `stats` and the calendar all read days from here, so they cannot
//! disagree about a day.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

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
            // The pager stays with the engineer who has not handed over, every working day
            // until they do (a day an override gives someone else excepted).
            let held = if date == state.day {
                rotation::current(self.roster, state)
            } else {
                rotation::slot(
                    self.roster,
                    date,
                    Some(&state.on_call),
                    Reason::Rotation,
                    state.round,
                )
            };
            let takes_over = slot
                .filter(|s| date == self.today && s.day != state.day)
                .and_then(|s| s.engineer);
            return Day {
                takes_over,
                ..self.of_slot(held, Status::Overdue)
            };
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
        self.of_slot(slot, status)
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

/// Whether `o`, made to displace someone, now displaces someone else (or nobody).
pub fn stale(o: &Override, scheduled: Option<&str>) -> Option<Stale> {
    let made_for = o.displaces.as_deref()?;
    (Some(made_for) != scheduled).then(|| Stale {
        made_for: made_for.to_string(),
        now_for: scheduled.map(str::to_string),
    })
}
