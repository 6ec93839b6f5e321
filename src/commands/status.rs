//! What `who` answers about a day, computed once: `who` prints it (as text or `--json`), and
//! `publish` writes the same JSON object as `status.json` and builds the page from it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::output::{DayView, HandoverView, MaintenanceView, Person};
use crate::error::Result;
use crate::history::Record;
use crate::logbook;
use crate::roster::{Maintenance, Roster};
use crate::rotation::{self, State};
use crate::session::Snapshot;
use crate::timeline::{Day, Status, Timeline};

/// Who answers for `asked` (a day within reach of today; `None` for now), and where the
/// rotation stands. `now` is the moment the answer is for: the clock for `who`, the start of
/// the team's day for the published page (so that a day's pages are the same bytes).
pub fn answer(snapshot: &Snapshot, asked: Option<NaiveDate>, now: DateTime<Utc>) -> Result<Answer> {
    let (workspace, today, state) = (&snapshot.workspace, snapshot.today, snapshot.state());
    let date = asked.unwrap_or(today);
    let history = snapshot.history_from(date)?;
    let roster = &workspace.roster;
    let timeline = Timeline::new(roster, state, &history, today);
    let mut day = timeline.day(date);
    // Now, once today is handed over: the next engineer holds the pager. Asked about today by
    // its date, the answer is the day itself: who served it, and the handover.
    let handed_over = asked.is_none() && day.status == Status::Served && state.day > today;
    if handed_over {
        day = timeline.day(state.day);
    }
    let late_days = rotation::late_days(roster, state, today);
    // A day past has no next to show.
    let next = if date < today.min(state.day) {
        None
    } else {
        timeline.next_after(&day)
    };
    let entries = if day.handover.is_some() {
        Some(entries_on(&workspace.log_path, date)?)
    } else {
        None
    };
    // Maintenance windows of the seven days from now (or from the start of the day asked about).
    let from = if date == today {
        now
    } else {
        roster.calendar.start_of(date)
    };
    let maintenance = crate::maintenance::within(
        &roster.maintenance,
        from,
        from + chrono::Duration::days(crate::maintenance::NOTICE_DAYS),
    )
    .into_iter()
    .cloned()
    .collect();
    // Today: what the last handover passed on (its note, its open items).
    let carried = (date == today)
        .then(|| history.passed_on(roster.calendar.timezone))
        .flatten()
        .filter(|r| r.note.is_some() || !r.open.is_empty());
    let answer = Answer {
        date,
        maintenance,
        handed_over,
        carried,
        day,
        next,
        entries,
        late_days,
        handover_due: date == today
            && state.day == today
            && now >= roster.calendar.handover_instant(today),
    };
    Ok(answer)
}

/// How many log entries were written on `date`, read from where that day's section starts.
fn entries_on(log: &std::path::Path, date: NaiveDate) -> Result<usize> {
    let read_error = |e: std::io::Error| crate::error::Error::io("read", log, &e);
    let Some(file) = logbook::open_from(log, date)? else {
        return Ok(0);
    };
    let mut count = 0;
    logbook::scan_entries(file, None, |entry| {
        count += usize::from(entry.day == date && !entry.item);
        Ok(())
    })
    .map_err(read_error)?;
    Ok(count)
}

/// What `who` says about a day.
pub struct Answer {
    /// The day asked about.
    pub date: NaiveDate,
    /// Today was handed over: `day` is the next turn's.
    pub handed_over: bool,
    /// Today: the last handover, when it left a note or open items.
    pub carried: Option<Record>,
    /// The day whose engineer answers: `date`'s, or after today's handover, the next turn's.
    pub day: Day,
    pub next: Option<(NaiveDate, String)>,
    /// For a served day: how many log entries it has.
    pub entries: Option<usize>,
    pub late_days: u32,
    /// Today's handover time has passed and the turn is still today's.
    pub handover_due: bool,
    /// Maintenance windows in the seven days ahead.
    pub maintenance: Vec<Maintenance>,
}

#[derive(Serialize)]
pub struct Json {
    pub date: String,
    pub working_day: bool,
    pub status: &'static str,
    pub today: bool,
    pub on_call: Option<OnCall>,
    pub next: Option<Next>,
    pub escalation: Vec<Escalation>,
    pub handover_due: bool,
    pub handover_overdue: bool,
    pub late_working_days: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handover: Option<HandoverView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub maintenance: Vec<MaintenanceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried: Option<Carried>,
}

/// What the last handover passed on to the engineer on call.
#[derive(Serialize)]
pub struct Carried {
    pub from: String,
    pub to: String,
    pub written: Option<String>,
    pub time_utc: String,
    /// Who ran the handover, when a stand-in did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_by: Option<String>,
    pub note: Option<String>,
    pub open_items: Vec<String>,
}

impl Carried {
    /// What `record` (the last handover, as [`crate::history::History::passed_on`] gives it)
    /// passed on.
    pub fn of(record: &Record) -> Carried {
        Carried {
            from: record.from.clone(),
            to: record.to.clone(),
            written: record.written.map(|d| d.to_string()),
            time_utc: record.time.clone(),
            run_by: record.run_by.clone(),
            note: record.note.clone(),
            open_items: record.open.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct OnCall {
    #[serde(flatten)]
    pub person: Person,
    pub date: String,
    pub reason: &'static str,
    pub detail: String,
    pub covering_for: Option<String>,
}

/// The next engineer: the same person as everywhere, and the first day of their turn.
#[derive(Serialize)]
pub struct Next {
    #[serde(flatten)]
    pub person: Person,
    pub date: String,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum Escalation {
    Person(Person),
    Text { text: String },
}

impl Answer {
    pub fn json(&self, roster: &Roster, state: &State, now: DateTime<Utc>) -> Json {
        let day = &self.day;
        let view = DayView::of(roster, day);
        let handed_over = self.handed_over;
        Json {
            date: self.date.to_string(),
            working_day: handed_over || day.status.is_working(),
            status: if handed_over { "served" } else { view.status },
            today: handed_over || day.today,
            on_call: day.engineer.as_deref().map(|id| OnCall {
                person: Person::of(roster, id, now),
                // The first day of the turn they hold.
                date: day.held_since(roster, state).to_string(),
                reason: view.reason,
                detail: view.detail.clone(),
                covering_for: day.covering_for.clone(),
            }),
            next: self.next.as_ref().map(|(date, id)| Next {
                person: Person::of(roster, id, now),
                date: date.to_string(),
            }),
            escalation: roster
                .escalation_for(day.engineer.as_deref())
                .map(|entry| match roster.engineer(entry) {
                    Some(e) => Escalation::Person(Person::of(roster, &e.id, now)),
                    None => Escalation::Text {
                        text: entry.clone(),
                    },
                })
                .collect(),
            handover_due: self.handover_due,
            handover_overdue: self.late_days > 0,
            late_working_days: self.late_days,
            handover: view.handover,
            entries: self.entries,
            maintenance: self.maintenance.iter().map(MaintenanceView::of).collect(),
            carried: self.carried.as_ref().map(Carried::of),
        }
    }
}
