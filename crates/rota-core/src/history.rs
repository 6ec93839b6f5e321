//! What the log says happened: its handover and correction records, which of them stand, and
//! the rotation state after the last one.
//!
//! The log is the record of the rotation. Each handover record ends with the round line that
//! states the whole rotation after it, so the last standing record is a checkpoint: a handover
//! only appends, and two clones' handovers merge like any other log lines.
//!
//! The log's order is the order of its lines. rota only appends, and its merge driver places
//! each day's entries and records under their day by the team's time, so for every log rota
//! writes the order of the lines is the order they were written in; `rota check --since`
//! proves no line was put above another afterwards. The times in the headings are what a
//! clock said, and decide nothing: two records of one minute, or a record claiming an earlier
//! minute than one above it, stand in the order of their lines.
//!
//! When a merge brings two records that serve the same working day (a clone that had not
//! pulled, a colleague standing in), every clone settles it the same way: the record first in
//! the log stands, the later one is void. `rota check` names such pairs; `rota check --fix`
//! appends a correction record that says so in the log, so that the file reads as what was
//! decided. Nothing is ever deleted.
//!
//! A take-back or a correction counts only if it obeys the rules rota follows when it writes
//! one ([`take_back_rule`], [`correction_rule`]): the writer and every reader ask the same
//! function.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use chrono_tz::Tz;

use crate::calendar::show_day;
use crate::logformat::{
    self, Blocks, BodyLine, HandoverHeading, Mark, RECORD_HEADING, RecordName, RoundLine, Seen,
    Signed, SignedHeading, day_heading_date, minute_of_day,
};
use crate::roster::is_valid_id;
use crate::rotation::State;
use crate::safe::printable;

/// One `### Handover` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line of the record's heading, counted from where parsing started.
    pub line: usize,
    /// The day section the record was written in, when the text showed it.
    pub written: Option<NaiveDate>,
    /// `HH:MM` (UTC).
    pub time: String,
    pub from: String,
    pub to: String,
    /// Who ran the handover, when it was not the engineer handing over.
    pub run_by: Option<String>,
    pub served: Vec<NaiveDate>,
    /// The engineer the Served line names.
    pub served_by: String,
    /// The engineer whose day(s) `served_by` covered (an override), as the Served line says.
    pub covering_for: Option<String>,
    pub next_day: Option<NaiveDate>,
    /// Working days nobody could take between the served days and the next one.
    pub gaps: Vec<NaiveDate>,
    /// The note left for the next engineer.
    pub note: Option<String>,
    /// Open items the handover passed on (`+ [ ] HH:MM UTC id: open: text`), in order.
    pub open: Vec<String>,
    /// Items carried to this handover that it closed (`+ [x] HH:MM UTC id: done: text`).
    pub closed: Vec<String>,
    pub round: Option<Round>,
}

/// The round line: `Round 3 (new shuffle): ~~carol~~, **bob**, dave`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub number: u32,
    pub order: Vec<String>,
    /// The rotation's engineer for the next day (bold).
    pub on_call: String,
    /// Who is still to serve in the round, in order (neither struck nor bold).
    pub pending: Vec<String>,
}

/// `- Void: handover 2026-11-23 16:10 UTC carol → bob ...` inside a `### Correction` record
/// (or `- Handover: ...` inside a `### Taken back` one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Void {
    pub line: usize,
    /// Who signed the correction or take-back (`### Taken back 16:20 UTC: bob`).
    pub by: String,
    /// The day section the line stands in.
    pub section: NaiveDate,
    /// The day section of the record it names.
    pub written: NaiveDate,
    pub time: String,
    pub from: String,
    pub to: String,
    /// Who ran the voided record, when the correction says (it tells two same-minute
    /// records apart).
    pub runner: Option<String>,
    /// The minute (UTC) its own heading says it was written at.
    pub signed: Option<i32>,
}

/// Where a take-back or a correction stands, or would stand: its line (from where the
/// reading started; `usize::MAX` for one about to be appended) and its day section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub day: NaiveDate,
    /// When it was written: the UTC minute of its heading, and the team's zone that places it
    /// in the day (a take-back is written after the record it names).
    pub signed: Option<(i32, Tz)>,
}

/// Why a take-back or a correction counts for nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// It names no record it could settle (for a correction: no record that repeats an earlier
    /// one).
    NamesNothing,
    /// A rule rota follows when it writes one, broken: the text completes "it counts for
    /// nothing: ...".
    Rule(String),
}

/// Who may sign a line about `record`: an engineer of the team the record was written for (its
/// round line names the whole team, in order), which takes in the engineer who handed over,
/// the one it passed to, and who ran it.
fn of_the_team(record: &Record, by: &str) -> bool {
    by == record.from
        || by == record.to
        || record.run_by.as_deref() == Some(by)
        || record
            .round
            .as_ref()
            .is_some_and(|r| r.order.iter().any(|id| id == by))
}

/// Where a line about `record` may stand: after it, in its day's section or a later one.
fn after(record: &Record, at: Place) -> Result<(), Broken> {
    if at.line <= record.line {
        return Err(Broken::Rule(format!(
            "it stands above the record it names (line {})",
            record.line
        )));
    }
    if let Some(written) = record.written.filter(|w| at.day < *w) {
        return Err(Broken::Rule(format!(
            "it stands in {}'s section, before the day the record was written ({})",
            at.day,
            show_day(written)
        )));
    }
    if let (Some((minute, zone)), Some(written), Some(recorded)) =
        (at.signed, record.written, minute_of_day(&record.time))
        && written == at.day
        && crate::calendar::minutes_into_day(zone, written, minute)
            < crate::calendar::minutes_into_day(zone, written, recorded)
    {
        return Err(Broken::Rule(format!(
            "it says it was written at {:02}:{:02} UTC, before the record it names ({} UTC)",
            minute / 60,
            minute % 60,
            record.time
        )));
    }
    Ok(())
}

/// The rules of a take-back (`rota handover --undo`), for the writer and every reader:
/// signed by an engineer of the record's team; written before the next engineer's day began
/// (in a section of a day before the record's `Next` day); after the record, in its day's
/// section or a later one.
pub fn take_back_rule(record: &Record, by: &str, at: Place) -> Result<(), Broken> {
    if !of_the_team(record, by) {
        return Err(Broken::Rule(format!(
            "{by} is not an engineer of the team the record names"
        )));
    }
    if let Some(next) = record.next_day.filter(|next| at.day >= *next) {
        return Err(Broken::Rule(format!(
            "it was written on {}, when {}'s day ({}) had begun",
            show_day(at.day),
            record.to,
            show_day(next)
        )));
    }
    after(record, at)
}

/// The minute of the day, in UTC, that the log's `HH:MM UTC` gives `at`.
pub fn utc_minute(at: chrono::DateTime<chrono::Utc>) -> i32 {
    use chrono::Timelike;
    (at.hour() * 60 + at.minute()) as i32
}

/// What `rota check --fix` signs a correction with when it knows no engineer.
pub const FIX_SIGNATURE: &str = "rota check --fix";

/// The rules of a correction (`rota check --fix`), for the writer and every reader: signed by
/// an engineer of the void record's team (or by rota, [`FIX_SIGNATURE`]); after the record it
/// voids, in its day's section or a later one. (What it names, a record that repeats an
/// earlier one, is [`History::duplicates`]' to say; a correction cannot make a record stand.)
pub fn correction_rule(record: &Record, by: &str, at: Place) -> Result<(), Broken> {
    if by != FIX_SIGNATURE && !of_the_team(record, by) {
        return Err(Broken::Rule(format!(
            "{by} is not an engineer of the team the record names"
        )));
    }
    after(record, at)
}

impl Record {
    /// What a correction or a take-back names a record by (with, maybe, who ran it).
    fn name(&self) -> Option<NameKey<'_>> {
        Some((self.written?, &self.time, &self.from, &self.to))
    }

    /// How a correction or a take-back names it: its day, time, engineers and who ran it.
    pub fn reference(&self) -> RecordName<'_> {
        RecordName {
            written: self.written,
            time: &self.time,
            from: &self.from,
            to: &self.to,
            runner: Some(self.runner()),
        }
    }

    /// Who ran it: the stand-in if the record names one, else the engineer handing over.
    pub fn runner(&self) -> &str {
        self.run_by.as_deref().unwrap_or(&self.from)
    }

    /// The rotation state the record leaves, with `seed` from the list.
    pub fn state(&self, seed: u64) -> Option<State> {
        let round = self.round.as_ref()?;
        Some(State {
            seed,
            round: round.number,
            order: round.order.clone(),
            pending: round.pending.clone(),
            on_call: round.on_call.clone(),
            day: self.next_day?,
        })
    }
}

/// Every record of a stretch of the log, read line by line.
#[derive(Debug, Default, Clone)]
pub struct History {
    pub records: Vec<Record>,
    pub voids: Vec<Void>,
    /// Handovers taken back (`rota handover --undo`): `### Taken back` records.
    pub taken_back: Vec<Void>,
    /// Which records stand (by index), worked out once per time zone asked about (the team's,
    /// and UTC where the tail reader checks its window): every question about who served or
    /// where the rotation stands starts from it.
    pub(crate) standing: std::cell::RefCell<Vec<(Tz, std::rc::Rc<[usize]>)>>,
}

thread_local! {
    /// How many times this thread worked out which records stand (for the test that `who`
    /// does it once).
    static STANDING_WORKED_OUT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times this thread has worked out which records stand.
pub fn standing_worked_out() -> usize {
    STANDING_WORKED_OUT.with(std::cell::Cell::get)
}

/// Where the parser is.
#[derive(Default)]
enum In {
    #[default]
    Text,
    Handover,
    /// A correction record, and who signed it.
    Correction(String),
    /// A take-back, who signed it, and the minute its heading gives.
    TakenBack(String, Option<i32>),
}

#[derive(Default)]
pub struct Parser {
    history: History,
    section: Option<NaiveDate>,
    inside: In,
    blocks: Blocks,
}

impl Parser {
    /// Feeds one line (without its line break); `line` is its 1-based number.
    pub fn feed(&mut self, line: usize, text: &str) {
        let text = text.trim_end_matches('\r');
        if self.blocks.read(text.as_bytes()) == Seen::Code {
            return;
        }
        if text.starts_with(logformat::DAY_HEADING) {
            if let Some(day) = day_heading_date(text) {
                self.section = Some(day);
                self.inside = In::Text;
            }
            return;
        }
        if text.starts_with(RECORD_HEADING) {
            self.inside = In::Text;
            if let Some(heading) = HandoverHeading::parse(text) {
                self.history
                    .records
                    .push(record(heading, line, self.section));
                self.inside = In::Handover;
            } else if let Some(signed) = SignedHeading::parse(text) {
                // Shown, never obeyed.
                let by = printable(signed.by).into_owned();
                self.inside = match signed.kind {
                    Signed::Correction => In::Correction(by),
                    Signed::TakenBack => In::TakenBack(by, signed.minute()),
                };
            }
            return;
        }
        match self.inside {
            In::Text => {}
            In::Handover => {
                let record = self
                    .history
                    .records
                    .last_mut()
                    .expect("In::Handover follows a record");
                if !record_line(record, text) {
                    self.inside = In::Text;
                }
            }
            In::Correction(ref by) => {
                if let (Some(section), Some(name)) = (self.section, logformat::void(text))
                    && let Some(void) = void_of(name, line, by, section)
                {
                    self.history.voids.push(void);
                }
            }
            In::TakenBack(ref by, signed) => {
                if let (Some(section), Some(name)) =
                    (self.section, logformat::taken_back_handover(text))
                    && let Some(void) = void_of(name, line, by, section)
                {
                    self.history.taken_back.push(Void { signed, ..void });
                }
            }
        }
    }

    /// Takes the records no later line can change: all but the last one read. A reader that
    /// keeps only some records calls it after every line.
    pub fn take_complete(&mut self) -> std::vec::Drain<'_, Record> {
        let complete = self.history.records.len().saturating_sub(1);
        self.history.records.drain(..complete)
    }

    pub fn finish(self) -> History {
        self.history
    }
}

/// Parses every line of `text`.
pub fn parse(text: &str) -> History {
    let mut parser = Parser::default();
    for (i, line) in text.lines().enumerate() {
        parser.feed(i + 1, line);
    }
    parser.finish()
}

/// The record a handover heading opens, its body still to read.
fn record(heading: HandoverHeading, line: usize, written: Option<NaiveDate>) -> Record {
    Record {
        line,
        written,
        time: heading.time.to_string(),
        // Names from the log reach check's report: shown, never obeyed.
        from: printable(heading.from).into_owned(),
        to: printable(heading.to).into_owned(),
        run_by: None,
        served: Vec::new(),
        served_by: String::new(),
        covering_for: None,
        next_day: None,
        gaps: Vec::new(),
        note: None,
        open: Vec::new(),
        closed: Vec::new(),
        round: None,
    }
}

/// The most open items a record carries: a log edited by hand cannot make a handover ask
/// about thousands.
pub const MAX_OPEN_ITEMS: usize = 100;

/// One line of a record's body; each field is taken from its first line only, so text written
/// by hand after a record cannot change it. `false` once the round line (the record's last
/// line) has been read.
fn record_line(record: &mut Record, text: &str) -> bool {
    match BodyLine::parse(text) {
        BodyLine::Served(served) => {
            if record.served_by.is_empty() {
                record.served = served.days;
                record.served_by = printable(served.by).into_owned();
                record.covering_for = served.covering_for.map(|id| printable(id).into_owned());
            }
        }
        BodyLine::NoOne(gaps) => {
            if record.gaps.is_empty() {
                record.gaps = gaps;
            }
        }
        BodyLine::Note(note) => {
            if record.note.is_none() {
                record.note = Some(printable(&note).into_owned());
            }
        }
        BodyLine::Item(item) => {
            let list = if item.open {
                &mut record.open
            } else {
                &mut record.closed
            };
            let item = printable(&item.what()).into_owned();
            if list.len() < MAX_OPEN_ITEMS && !item.is_empty() && !list.contains(&item) {
                list.push(item);
            }
        }
        BodyLine::Next(day) => {
            if record.next_day.is_none() {
                record.next_day = day;
            }
        }
        BodyLine::RunBy(id) => {
            if record.run_by.is_none() {
                record.run_by = is_valid_id(id).then(|| id.to_string());
            }
        }
        BodyLine::Round(line) => {
            record.round = line.and_then(|line| round(&line));
            return false;
        }
        BodyLine::Other => {}
    }
    true
}

/// `Round 3 (new shuffle): ~~carol~~, **bob**, dave`
#[cfg(test)]
fn round_line(text: &str) -> Option<Round> {
    round(&RoundLine::parse(text)?)
}

/// The round a round line states, when it states one: rounds count from 1, and the line names
/// valid ids, each once, exactly one of them on call.
fn round(line: &RoundLine) -> Option<Round> {
    if line.number < 1 {
        return None;
    }
    let mut order = Vec::new();
    let mut pending = Vec::new();
    let mut on_call = None;
    // A set, not a scan of `order`: a crafted line may hold a hundred thousand names.
    let mut seen = HashSet::new();
    for &(mark, id) in &line.names {
        match mark {
            Mark::OnCall => {
                if on_call.replace(id.to_string()).is_some() {
                    return None;
                }
            }
            Mark::ToCome => pending.push(id.to_string()),
            Mark::Served => {}
        }
        if !is_valid_id(id) || !seen.insert(id) {
            return None;
        }
        order.push(id.to_string());
    }
    Some(Round {
        number: line.number,
        order,
        on_call: on_call?,
        pending,
    })
}

/// The line that names a record (`- Void: ...`, `- Handover: ...`) in the section of `section`.
fn void_of(name: RecordName, line: usize, by: &str, section: NaiveDate) -> Option<Void> {
    // Escaped as the record's own names are, so that they compare, and print, the same.
    Some(Void {
        line,
        by: by.to_string(),
        section,
        written: name.written?,
        time: name.time.to_string(),
        from: printable(name.from).into_owned(),
        to: printable(name.to).into_owned(),
        runner: name.runner.map(|r| printable(r).into_owned()),
        signed: None,
    })
}

/// A record that serves a day an earlier record already served.
#[derive(Debug, Clone)]
pub struct Duplicate<'a> {
    pub standing: &'a Record,
    pub void: &'a Record,
    pub days: Vec<NaiveDate>,
    /// A correction record already says so.
    pub settled: bool,
}

/// A record's day, time, from and to: how corrections and take-backs name it.
type NameKey<'a> = (NaiveDate, &'a str, &'a str, &'a str);

/// Corrections' voids or take-backs, looked up by the record they name: a log may hold many
/// (each record is checked against all of them), so not one by one.
pub struct Names<'a> {
    /// Each name, with the runners the lines give (`None`: any runner).
    runners: HashMap<NameKey<'a>, Vec<Option<&'a str>>>,
}

impl<'a> Names<'a> {
    pub fn of(lines: impl IntoIterator<Item = &'a Void>) -> Names<'a> {
        let mut runners: HashMap<NameKey<'a>, Vec<Option<&'a str>>> = HashMap::new();
        for void in lines {
            runners
                .entry((void.written, &void.time, &void.from, &void.to))
                .or_default()
                .push(void.runner.as_deref());
        }
        Names { runners }
    }

    /// Whether one of the lines names `record` ([`Record::is_named_by`]).
    pub fn name(&self, record: &Record) -> bool {
        record
            .name()
            .and_then(|key| self.runners.get(&key))
            .is_some_and(|runners| {
                runners
                    .iter()
                    .any(|r| r.is_none_or(|r| r == record.runner()))
            })
    }
}

/// The records by name, to find the one a line names.
fn records_by_name<'a>(
    records: impl IntoIterator<Item = &'a Record>,
) -> HashMap<NameKey<'a>, Vec<&'a str>> {
    let mut by_name: HashMap<NameKey<'a>, Vec<&'a str>> = HashMap::new();
    for record in records {
        if let Some(key) = record.name() {
            by_name.entry(key).or_default().push(record.runner());
        }
    }
    by_name
}

/// Whether `void` names one of the records of `by_name`.
fn names_one(by_name: &HashMap<NameKey<'_>, Vec<&str>>, void: &Void) -> bool {
    by_name
        .get(&(
            void.written,
            void.time.as_str(),
            void.from.as_str(),
            void.to.as_str(),
        ))
        .is_some_and(|runners| {
            runners
                .iter()
                .any(|r| void.runner.as_deref().is_none_or(|v| v == *r))
        })
}

/// The records `line` names (with, when it says, who ran them).
fn named_by<'a>(records: &'a [Record], line: &Void) -> impl Iterator<Item = &'a Record> {
    records.iter().filter(move |r| {
        r.name() == Some((line.written, &line.time, &line.from, &line.to))
            && line.runner.as_deref().is_none_or(|v| v == r.runner())
    })
}

impl History {
    /// The records in the log's order: the order of their lines (see the module's docs).
    fn by_writing(&self) -> Vec<&Record> {
        let mut records: Vec<&Record> = self.records.iter().collect();
        records.sort_by_key(|r| r.line);
        records
    }

    /// The records a take-back that obeys [`take_back_rule`] names.
    fn taken_back_records(&self, zone: Tz) -> HashSet<*const Record> {
        self.taken_back
            .iter()
            .flat_map(|t| {
                let at = Place {
                    line: t.line,
                    day: t.section,
                    signed: t.signed.map(|m| (m, zone)),
                };
                named_by(&self.records, t).filter(move |r| take_back_rule(r, &t.by, at).is_ok())
            })
            .map(|r| r as *const Record)
            .collect()
    }

    /// The records in the log's order, without those taken back.
    fn live(&self, zone: Tz) -> Vec<&Record> {
        let mut records = self.by_writing();
        let taken_back = self.taken_back_records(zone);
        records.retain(|r| !taken_back.contains(&(*r as *const Record)));
        records
    }

    /// `### Taken back` lines that count for nothing, each with why: they name no handover of
    /// the log, or break a rule of [`take_back_rule`] for each record they name.
    pub fn idle_take_backs(&self, zone: Tz) -> Vec<(&Void, Broken)> {
        let mut idle = Vec::new();
        for t in &self.taken_back {
            let at = Place {
                line: t.line,
                day: t.section,
                signed: t.signed.map(|m| (m, zone)),
            };
            let mut broken = None;
            let mut counts = false;
            for record in named_by(&self.records, t) {
                match take_back_rule(record, &t.by, at) {
                    Ok(()) => counts = true,
                    Err(why) => broken = Some(why),
                }
            }
            if !counts {
                idle.push((t, broken.unwrap_or(Broken::NamesNothing)));
            }
        }
        idle
    }

    /// Records that serve a day a record written earlier already served: the later one is
    /// void, in every clone, whatever the file order. `settled` when a correction says so.
    pub fn duplicates(&self, zone: Tz) -> Vec<Duplicate<'_>> {
        let mut served: HashMap<NaiveDate, &Record> = HashMap::new();
        let mut duplicates = Vec::new();
        let corrected = self.corrected();
        for record in self.live(zone) {
            let clashes: Vec<(NaiveDate, &Record)> = record
                .served
                .iter()
                .filter_map(|day| served.get(day).map(|r| (*day, *r)))
                .collect();
            if clashes.is_empty() {
                served.extend(record.served.iter().map(|d| (*d, record)));
                continue;
            }
            let settled = corrected.contains(&(record as *const Record));
            // One pair per record it repeats, each with the days they share.
            let mut standing: Vec<&Record> = Vec::new();
            for (_, r) in &clashes {
                if !standing.iter().any(|s| std::ptr::eq(*s, *r)) {
                    standing.push(r);
                }
            }
            for first in standing {
                duplicates.push(Duplicate {
                    standing: first,
                    void: record,
                    days: clashes
                        .iter()
                        .filter(|(_, r)| std::ptr::eq(*r, first))
                        .map(|(d, _)| *d)
                        .collect(),
                    settled,
                });
            }
        }
        duplicates
    }

    /// The records a correction that obeys [`correction_rule`] names.
    fn corrected(&self) -> HashSet<*const Record> {
        self.voids
            .iter()
            .flat_map(|v| {
                let at = Place {
                    line: v.line,
                    day: v.section,
                    signed: None,
                };
                named_by(&self.records, v).filter(move |r| correction_rule(r, &v.by, at).is_ok())
            })
            .map(|r| r as *const Record)
            .collect()
    }

    /// Corrections that count for nothing, each with why: they name no record a merge made
    /// void (a correction only ever settles a duplicate), or break a rule of
    /// [`correction_rule`].
    pub fn idle_voids(&self, zone: Tz) -> Vec<(&Void, Broken)> {
        let duplicates = self.duplicates(zone);
        let void = records_by_name(duplicates.iter().map(|d| d.void));
        let mut idle = Vec::new();
        for v in &self.voids {
            if !names_one(&void, v) {
                idle.push((v, Broken::NamesNothing));
                continue;
            }
            let at = Place {
                line: v.line,
                day: v.section,
                signed: None,
            };
            let broken = duplicates
                .iter()
                .filter(|d| named_by(std::slice::from_ref(d.void), v).next().is_some())
                .find_map(|d| correction_rule(d.void, &v.by, at).err());
            if let Some(why) = broken {
                idle.push((v, why));
            }
        }
        idle
    }

    /// The records that stand, in the order they were written.
    pub fn standing(&self, zone: Tz) -> Vec<&Record> {
        let cached = self
            .standing
            .borrow()
            .iter()
            .find(|(z, _)| *z == zone)
            .map(|(_, indices)| indices.clone());
        let indices = cached.unwrap_or_else(|| {
            let indices: std::rc::Rc<[usize]> = self.standing_indices(zone).into();
            self.standing.borrow_mut().push((zone, indices.clone()));
            indices
        });
        indices.iter().map(|i| &self.records[*i]).collect()
    }

    fn standing_indices(&self, zone: Tz) -> Vec<usize> {
        STANDING_WORKED_OUT.with(|n| n.set(n.get() + 1));
        let index: HashMap<*const Record, usize> = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r as *const Record, i))
            .collect();
        let void: HashSet<*const Record> = self
            .duplicates(zone)
            .iter()
            .map(|d| d.void as *const Record)
            .collect();
        self.live(zone)
            .into_iter()
            .map(|r| r as *const Record)
            .filter(|r| !void.contains(r))
            .filter_map(|r| index.get(&r).copied())
            .collect()
    }

    /// The last standing record: the handover that passed the turn (its note, its open items)
    /// to the engineer now on call.
    pub fn last_standing(&self, zone: Tz) -> Option<&Record> {
        self.standing(zone).into_iter().next_back()
    }

    /// What the handovers pass on to the engineer on call: the last standing record (its
    /// note, who handed over, when), whose open items also take in what a record of the same
    /// day that a merge made void did to them: an item it closed stays closed, an item it
    /// passed on is carried. A void record loses nothing but its note (check names that).
    /// `who` shows it, and the next handover asks about these items.
    pub fn passed_on(&self, zone: Tz) -> Option<Record> {
        let duplicates = self.duplicates(zone);
        let last = self.last_standing(zone)?;
        let mut record = last.clone();
        for void in duplicates
            .iter()
            .filter(|d| std::ptr::eq(d.standing, last))
            .map(|d| d.void)
        {
            for item in &void.open {
                if !record.open.contains(item)
                    && !last.closed.contains(item)
                    && record.open.len() < MAX_OPEN_ITEMS
                {
                    record.open.push(item.clone());
                }
            }
            record.open.retain(|item| !void.closed.contains(item));
        }
        Some(record)
    }

    /// The last standing record replayed: what it says comes next, and what the rotation gives
    /// after the record before it, with the list as `roster` reads. The one rule for whether
    /// the last record is as rota wrote it (`rota check`), and whether a change to the list
    /// would make it read as edited by hand (taking back an absence it went around).
    pub fn replay_last(&self, roster: &crate::roster::Roster) -> Option<Replay> {
        let standing = self.standing(roster.calendar.timezone);
        let (last, earlier) = standing.split_last()?;
        let (written, next) = (last.written?, last.next_day?);
        let before = earlier.iter().rev().find_map(|r| r.state(roster.seed));
        let (before, _) = crate::rotation::current_state(roster, before, written);
        let expected = crate::rotation::handover_step(roster, &before, written).state;
        // Who is next can be replayed only while the team is the one the record was written
        // for: an engineer added or removed since changes the shuffle.
        let team = roster.ids_sorted();
        let recorded = last
            .round
            .as_ref()
            .filter(|r| {
                let mut order = r.order.clone();
                order.sort();
                order == team
            })
            .map(|r| (r.number, r.on_call.clone()));
        Some(Replay {
            line: last.line,
            next,
            recorded,
            before,
            expected,
        })
    }

    /// The state after the last standing record that states one.
    pub fn checkpoint(&self, seed: u64, zone: Tz) -> Option<State> {
        self.standing(zone)
            .into_iter()
            .rev()
            .find_map(|r| r.state(seed))
    }

    /// Who served each day, by the standing records.
    #[cfg(test)]
    pub fn served_days(&self, zone: Tz) -> Vec<(NaiveDate, &str)> {
        self.standing(zone)
            .into_iter()
            .flat_map(|r| r.served.iter().map(move |d| (*d, r.served_by.as_str())))
            .collect()
    }

    /// The standing record that served `day`.
    pub fn served(&self, day: NaiveDate, zone: Tz) -> Option<&Record> {
        self.standing(zone)
            .into_iter()
            .find(|r| r.served.contains(&day))
    }
}

/// The last handover record, replayed ([`History::replay_last`]).
#[derive(Debug, Clone)]
pub struct Replay {
    /// The record's line.
    pub line: usize,
    /// The day it says comes next.
    pub next: NaiveDate,
    /// Its round and who it says is next, when the team is still the one it was written for.
    pub recorded: Option<(u32, String)>,
    /// The rotation after the record before it.
    pub before: State,
    /// What the rotation gives after that.
    pub expected: State,
}

impl Replay {
    /// Whether the record says what the rotation gives.
    pub fn agrees(&self) -> bool {
        self.expected.day == self.next
            && self.recorded.as_ref().is_none_or(|(round, id)| {
                (*round, id.as_str()) == (self.expected.round, self.expected.on_call.as_str())
            })
    }
}

/// What in `record` contradicts itself, each said as a sentence about "this handover record":
/// its Served line names someone else than its heading, its days are out of order, fall on a
/// day that is not a working day (`is_working_day`), or on or after its Next day, or its Next
/// day comes before the day it was written.
pub fn contradictions(record: &Record, is_working_day: impl Fn(NaiveDate) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    if !record.served_by.is_empty() && record.served_by != record.from {
        found.push(format!(
            "its Served line names {}, but its heading hands over from {}",
            record.served_by, record.from
        ));
    }
    if record.served.windows(2).any(|w| w[0] >= w[1]) {
        found.push("its Served days are out of order or repeated".to_string());
    }
    for day in record.served.iter().filter(|d| !is_working_day(**d)) {
        found.push(format!(
            "it says {} was served, which is not a working day (a weekend or a holiday)",
            show_day(*day)
        ));
    }
    if let Some(next) = record.next_day {
        if let Some(day) = record.served.iter().find(|d| **d >= next) {
            found.push(format!(
                "it says {} was served, which is not before its Next day ({})",
                show_day(*day),
                show_day(next)
            ));
        }
        if let Some(written) = record.written.filter(|w| next < *w) {
            found.push(format!(
                "its Next day ({}) comes before the day it was written ({})",
                show_day(next),
                show_day(written)
            ));
        }
    }
    found
}

/// Whether `next`, the round line of a handover, follows from `previous`, the round line of
/// the standing handover before it: the same round, where whoever had served still has, the
/// next engineer had not served yet and the ones to come were to come (an engineer who joined
/// the team may be anywhere), or the next round, freshly shuffled.
pub fn round_follows(previous: &Round, next: &Round) -> Result<(), String> {
    if next.number == previous.number + 1 {
        return Ok(());
    }
    if next.number != previous.number {
        return Err(format!(
            "its round line says round {}, but the handover before it left round {}",
            next.number, previous.number
        ));
    }
    let served = |round: &Round, id: &str| {
        round.order.iter().any(|o| o == id)
            && round.on_call != id
            && !round.pending.iter().any(|p| p == id)
    };
    if let Some(back) = next
        .order
        .iter()
        .find(|id| served(previous, id) && !served(next, id))
    {
        return Err(format!(
            "its round line puts {back} back in round {}, which {back} had served",
            next.number
        ));
    }
    let to_come = |id: &str| {
        !previous.order.iter().any(|o| o == id)
            || previous.pending.iter().any(|p| p == id)
            || previous.on_call == id
    };
    if let Some(id) = std::iter::once(&next.on_call)
        .chain(&next.pending)
        .find(|id| !to_come(id))
    {
        return Err(format!(
            "its round line has {id} still to serve in round {}, which the handover before it did not",
            next.number
        ));
    }
    Ok(())
}

/// The record that takes back `record` (`rota handover --undo`): it names the handover as a
/// correction does, so every clone reads it the same.
pub fn take_back(at: chrono::DateTime<chrono::Utc>, by: &str, record: &Record) -> String {
    let time = logformat::hh_mm(at);
    let heading = SignedHeading {
        kind: Signed::TakenBack,
        time: &time,
        by,
    };
    format!(
        "\n{heading}\n\n{}\n{}\n",
        logformat::taken_back_handover_line(&record.reference()),
        logformat::on_call_again_line(&record.from, &record.served),
    )
}

/// A correction record that voids `duplicate`'s later record.
pub fn correction(at: chrono::DateTime<chrono::Utc>, by: &str, duplicates: &[Duplicate]) -> String {
    let time = logformat::hh_mm(at);
    let heading = SignedHeading {
        kind: Signed::Correction,
        time: &time,
        by,
    };
    let mut out = format!("\n{heading}\n\n");
    let mut voided = Vec::new();
    for d in duplicates {
        // A record that repeats two earlier ones is voided once.
        if voided.contains(&d.void.reference()) {
            continue;
        }
        voided.push(d.void.reference());
        let line = logformat::void_line(&d.void.reference(), &d.days, &d.standing.reference());
        out += &format!("{line}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::UTC;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TWO: &str = "## 2026-11-23 Mon\n\n- 09:00 UTC alice: x\n\n### Handover 16:05 UTC: alice → bob\n\n- Served: Mon 2026-11-23 (alice)\n- Next: Tue 2026-11-24 (bob)\n\nRound 1: ~~alice~~, **bob**, carol\n\n### Handover 16:10 UTC: alice → carol\n\n- Served: Mon 2026-11-23 (alice)\n- Next: Tue 2026-11-24 (carol)\n- Run by: dave\n\nRound 1: ~~alice~~, bob, **carol**\n";

    #[test]
    fn the_earlier_of_two_records_for_one_day_stands() {
        let history = parse(TWO);
        let duplicates = history.duplicates(UTC);
        assert_eq!(duplicates.len(), 1);
        assert_eq!(duplicates[0].standing.time, "16:05");
        assert_eq!(duplicates[0].void.time, "16:10");
        assert_eq!(duplicates[0].void.runner(), "dave");
        assert_eq!(duplicates[0].void.line, 12);
        let state = history.checkpoint(7, UTC).unwrap();
        assert_eq!(
            state,
            State {
                seed: 7,
                round: 1,
                order: vec!["alice".into(), "bob".into(), "carol".into()],
                pending: vec!["carol".into()],
                on_call: "bob".into(),
                day: date("2026-11-24"),
            }
        );
        assert_eq!(
            history.served_days(UTC),
            vec![(date("2026-11-23"), "alice")]
        );
    }

    #[test]
    fn the_log_order_decides_not_the_time_a_heading_claims() {
        // The same two records, the one claiming the later minute first in the file: a record
        // put above another claiming an earlier minute cannot take its place.
        let (head, rest) = TWO.split_at(TWO.find("### Handover 16:05").unwrap());
        let (first, second) = rest.split_at(rest.find("### Handover 16:10").unwrap());
        let swapped = format!("{head}{second}\n{first}");
        let history = parse(&swapped);
        assert_eq!(history.checkpoint(7, UTC).unwrap().on_call, "carol");
        assert_eq!(history.duplicates(UTC)[0].void.time, "16:05");
    }

    /// Finding 7: four handovers in one minute, run in the order the rotation goes (carol,
    /// alice, dave, bob): the last line is where the rotation stands, whatever the names.
    #[test]
    fn records_of_one_minute_stand_in_the_order_of_their_lines() {
        let record = |day: &str, next: &str, from: &str, to: &str, round: &str| {
            format!(
                "\n### Handover 16:05 UTC: {from} → {to}\n\n- Served: {day} ({from})\n- Next: {next} ({to})\n\nRound 1: {round}\n"
            )
        };
        let log = format!(
            "## 2026-11-23 Mon\n{}{}{}",
            record(
                "Mon 2026-11-23",
                "Tue 2026-11-24",
                "carol",
                "alice",
                "~~carol~~, **alice**, dave, bob"
            ),
            record(
                "Tue 2026-11-24",
                "Wed 2026-11-25",
                "alice",
                "dave",
                "~~carol~~, ~~alice~~, **dave**, bob"
            ),
            record(
                "Wed 2026-11-25",
                "Thu 2026-11-26",
                "dave",
                "bob",
                "~~carol~~, ~~alice~~, ~~dave~~, **bob**"
            ),
        );
        for zone in [UTC, chrono_tz::America::New_York] {
            let state = parse(&log).checkpoint(7, zone).unwrap();
            assert_eq!(
                (state.on_call.as_str(), state.day),
                ("bob", date("2026-11-26"))
            );
        }
    }

    /// A take-back counts only as `rota handover --undo` writes one: by an engineer of the
    /// record's team, before the next engineer's day, below the record, in its day's section or
    /// a later one.
    #[test]
    fn a_take_back_that_breaks_a_rule_counts_for_nothing() {
        let one = &TWO[..TWO.find("\n### Handover 16:10").unwrap()];
        let taken = |section: &str, by: &str| {
            format!(
                "\n## {section}\n\n### Taken back 17:00 UTC: {by}\n\n- Handover: 2026-11-23 16:05 UTC alice → bob run by alice\n"
            )
        };
        let read = |log: &str| {
            let history = parse(log);
            let on_call = history.checkpoint(7, UTC).map(|s| s.on_call);
            let idle: Vec<String> = history
                .idle_take_backs(chrono_tz::UTC)
                .iter()
                .map(|(_, why)| match why {
                    Broken::Rule(why) => why.clone(),
                    Broken::NamesNothing => "nothing".into(),
                })
                .collect();
            (on_call, idle)
        };
        // As rota writes it: the handover no longer stands.
        assert_eq!(
            read(&format!("{one}{}", taken("2026-11-23 Mon", "carol"))),
            (None, vec![])
        );
        assert_eq!(
            read(&format!("{one}{}", taken("2026-11-23 Mon", "mallory"))),
            (
                Some("bob".into()),
                vec!["mallory is not an engineer of the team the record names".into()]
            )
        );
        assert_eq!(
            read(&format!("{one}{}", taken("2026-11-24 Tue", "alice"))),
            (
                Some("bob".into()),
                vec![
                    "it was written on Tue 2026-11-24, when bob's day (Tue 2026-11-24) had begun"
                        .into()
                ]
            )
        );
        // In an earlier day's section (after it in the file), and above the record.
        assert_eq!(
            read(&format!("{one}{}", taken("2026-11-20 Fri", "alice"))),
            (
                Some("bob".into()),
                vec!["it stands in 2026-11-20's section, before the day the record was written (Mon 2026-11-23)".into()]
            )
        );
        let above = format!("{}{one}", taken("2026-11-23 Mon", "alice"));
        assert_eq!(
            read(&above),
            (
                Some("bob".into()),
                vec!["it stands above the record it names (line 11)".into()]
            )
        );
    }

    /// On the day Prague's clocks go back, 22:30 UTC under that day is half past midnight
    /// local: written before 16:10 UTC, and filed before it.
    #[test]
    fn on_the_day_the_clocks_go_back_the_hour_after_midnight_comes_first() {
        let fall_back = TWO
            .replace("2026-11-23 Mon", "2026-10-25 Sun")
            .replace("Mon 2026-11-23", "Sun 2026-10-25")
            .replace("16:05 UTC", "22:30 UTC");
        let history = parse(&fall_back);
        let duplicates = history.duplicates(chrono_tz::Europe::Prague);
        assert_eq!(
            (
                duplicates[0].standing.time.as_str(),
                duplicates[0].void.time.as_str()
            ),
            ("22:30", "16:10")
        );
    }

    #[test]
    fn a_correction_settles_a_duplicate() {
        let at = "2026-11-24T08:00:00Z".parse().unwrap();
        let history = parse(TWO);
        let fix = correction(at, "alice", &history.duplicates(UTC));
        assert_eq!(
            fix,
            "\n### Correction 08:00 UTC: alice\n\n- Void: handover 2026-11-23 16:10 UTC alice → carol run by dave: Mon 2026-11-23 was already handed over at 16:05 UTC (alice → bob, run by alice)\n"
        );
        let fixed = parse(&format!("{TWO}\n## 2026-11-24 Tue\n{fix}"));
        let duplicates = fixed.duplicates(UTC);
        assert_eq!(duplicates.len(), 1);
        assert!(duplicates[0].settled);
        assert_eq!(fixed.checkpoint(7, UTC).unwrap().on_call, "bob");
    }

    #[test]
    fn only_exact_dates_and_text_outside_code_blocks_count() {
        assert_eq!(day_heading_date("##  2026-11-23 Mon"), None);
        assert_eq!(day_heading_date("## 2026-11-2 Mon"), None);
        assert_eq!(day_heading_date("## 2026-11-23"), Some(date("2026-11-23")));
        let fenced = format!("```\n{TWO}```\n");
        let history = parse(&fenced);
        assert!(history.records.is_empty(), "{:?}", history.records);
    }

    #[test]
    fn a_record_that_repeats_two_is_paired_with_each() {
        let log = "## 2026-11-23 Mon\n\n### Handover 16:00 UTC: a → b\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (b)\n\nRound 1: ~~a~~, **b**, c\n\n## 2026-11-24 Tue\n\n### Handover 16:00 UTC: b → c\n\n- Served: Tue 2026-11-24 (b)\n- Next: Wed 2026-11-25 (c)\n\nRound 1: ~~a~~, ~~b~~, **c**\n\n### Handover 17:00 UTC: a → c\n\n- Served: Mon 2026-11-23, Tue 2026-11-24 (a)\n- Next: Wed 2026-11-25 (c)\n- Run by: c\n\nRound 1: ~~a~~, b, **c**\n";
        let history = parse(log);
        let pairs: Vec<(String, Vec<NaiveDate>)> = history
            .duplicates(UTC)
            .iter()
            .map(|d| (d.standing.from.clone(), d.days.clone()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("a".to_string(), vec![date("2026-11-23")]),
                ("b".to_string(), vec![date("2026-11-24")])
            ]
        );
        let at = "2026-11-25T08:00:00Z".parse().unwrap();
        let fix = correction(at, "c", &history.duplicates(UTC));
        assert_eq!(fix.matches("- Void:").count(), 1, "{fix}");
    }

    #[test]
    fn a_correction_names_the_runner_so_same_minute_records_stay_apart() {
        // Two records alike but for who ran them: the correction voids only the one it names.
        let twin = TWO.replace("16:10 UTC: alice → carol", "16:05 UTC: alice → bob");
        let twin = twin.replace(
            "- Next: Tue 2026-11-24 (carol)",
            "- Next: Tue 2026-11-24 (bob)",
        );
        let twin = twin.replace(
            "Round 1: ~~alice~~, bob, **carol**",
            "Round 1: ~~alice~~, **bob**, carol",
        );
        let history = parse(&twin);
        let at = "2026-11-24T08:00:00Z".parse().unwrap();
        let fix = correction(at, "x", &history.duplicates(UTC));
        assert!(fix.contains("alice → bob run by dave:"), "{fix}");
        let fixed = parse(&format!("{twin}\n## 2026-11-24 Tue\n{fix}"));
        assert_eq!(fixed.standing(UTC).len(), 1);
        assert_eq!(fixed.standing(UTC)[0].runner(), "alice");
    }

    #[test]
    fn first_is_decided_by_the_lines_in_every_zone() {
        // New York, Monday: 17:05 local is 22:05 UTC; 20:00 local is 01:00 UTC. As the driver
        // files them, by the team's clock; read in any zone, the first line stands.
        let log = "## 2026-11-23 Mon\n\n### Handover 22:05 UTC: a → b\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (b)\n\nRound 1: ~~a~~, **b**, c\n\n### Handover 01:00 UTC: a → c\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (c)\n- Run by: c\n\nRound 1: ~~a~~, b, **c**\n";
        let history = parse(log);
        for zone in [chrono_tz::America::New_York, UTC] {
            assert_eq!(history.duplicates(zone)[0].standing.time, "22:05");
            assert_eq!(history.checkpoint(1, zone).unwrap().on_call, "b");
        }
    }

    #[test]
    fn a_correction_settles_only_a_duplicate() {
        // Naming a record nothing repeats changes nothing, and is reported.
        let one = &TWO[..TWO.find("### Handover 16:10").unwrap()];
        let forged = format!(
            "{one}\n## 2026-11-24 Tue\n\n### Correction 09:00 UTC: x\n\n- Void: handover 2026-11-23 16:05 UTC alice → bob: typo\n"
        );
        let history = parse(&forged);
        assert_eq!(history.checkpoint(7, UTC).unwrap().on_call, "bob");
        assert_eq!(history.idle_voids(UTC).len(), 1);
        // Naming the earlier of two does not flip which stands.
        let flipped = format!(
            "{TWO}\n## 2026-11-24 Tue\n\n### Correction 09:00 UTC: x\n\n- Void: handover 2026-11-23 16:05 UTC alice → bob: no\n"
        );
        let history = parse(&flipped);
        assert_eq!(history.checkpoint(7, UTC).unwrap().on_call, "bob");
        assert_eq!(history.idle_voids(UTC).len(), 1);
    }

    #[test]
    fn text_after_a_record_cannot_change_it() {
        let noted = TWO.replace(
            "Round 1: ~~alice~~, **bob**, carol\n",
            "Round 1: ~~alice~~, **bob**, carol\n\nRound 2 of the load test passed\n- Next: Mon 2027-03-01 (carol)\n",
        );
        let record = &parse(&noted).records[0];
        assert_eq!(record.next_day, Some(date("2026-11-24")));
        assert_eq!(record.round.as_ref().unwrap().on_call, "bob");
    }

    #[test]
    fn names_in_a_correction_are_escaped_like_the_records() {
        let hostile = TWO.replace("alice → carol", "\u{1b}[2Jalice → carol");
        let fix = format!(
            "{hostile}\n## 2026-11-24 Tue\n\n### Correction 09:00 UTC: dave\n\n- Void: handover 2026-11-23 16:10 UTC \u{1b}[2Jalice → carol: no\n"
        );
        let history = parse(&fix);
        assert_eq!(history.voids[0].from, "\\u{1b}[2Jalice");
        // Escaped alike, the correction still names its record.
        assert!(history.duplicates(UTC)[0].settled);
    }

    #[test]
    fn old_and_new_checklists_read_alike_and_items_are_the_records_own() {
        let old = "## 2026-11-23 Mon\n\n### Handover 16:05 UTC: alice → bob\n\n- Served: Mon 2026-11-23 (alice)\n- Next: Tue 2026-11-24 (bob)\n\n- [x] Checked the consoles\n- [ ] Updated the runbooks: draft\n\nNote for bob: watch db2\n\nRound 1: ~~alice~~, **bob**, carol\n";
        let new = old
            .replace("- [x] Checked", "* [x] Checked")
            .replace("- [ ] Updated", "* [ ] Updated")
            .replace(
                "draft\n\n",
                "draft\n\n+ [ ] 16:05 UTC alice: open: renew the cert\n+ [x] 16:05 UTC alice: done: rotate the key\n+ [ ] 16:05 UTC alice: open: renew the cert\n\n",
            );
        let (old, new) = (&parse(old).records[0], &parse(&new).records[0]);
        assert_eq!(old.open, Vec::<String>::new());
        // Everything else reads the same in both forms.
        let bare = Record {
            open: Vec::new(),
            closed: Vec::new(),
            ..new.clone()
        };
        assert_eq!(&bare, old);
        assert_eq!(new.open, ["renew the cert"], "once, in order");
        assert_eq!(new.closed, ["rotate the key"]);
        // After the round line, an item is text written by hand.
        let after = format!(
            "{}+ [ ] 17:00 UTC x: open: forged\n",
            &TWO[..TWO.find("\n### Handover 16:10").unwrap()]
        );
        assert!(parse(&after).records[0].open.is_empty());
    }

    #[test]
    fn a_round_line_follows_the_one_before_or_starts_the_next_round() {
        let round = |text: &str| round_line(text).unwrap();
        let before = round("Round 2: ~~a~~, **b**, c, d");
        assert_eq!(
            round_follows(&before, &round("Round 2: ~~a~~, ~~b~~, **c**, d")),
            Ok(())
        );
        // An absent engineer stays to come while the next one serves; a newcomer joins.
        assert_eq!(
            round_follows(&before, &round("Round 2: ~~a~~, b, ~~c~~, **d**, e")),
            Ok(())
        );
        assert_eq!(
            round_follows(&before, &round("Round 3 (new shuffle): **d**, a, b, c")),
            Ok(())
        );
        assert!(round_follows(&before, &round("Round 1: ~~a~~, ~~b~~, **c**, d")).is_err());
        assert!(round_follows(&before, &round("Round 2: a, ~~b~~, **c**, d")).is_err());
    }

    #[test]
    fn round_lines_parse_back() {
        assert_eq!(
            round_line("Round 12 (new shuffle): **dave**, erin, ~~bob~~"),
            Some(Round {
                number: 12,
                order: vec!["dave".into(), "erin".into(), "bob".into()],
                on_call: "dave".into(),
                pending: vec!["erin".into()],
            })
        );
        assert_eq!(round_line("Round 1: alice, bob"), None, "nobody on call");
        assert_eq!(round_line("Round 0: **a**"), None);
        assert_eq!(round_line("Round 1: **a**, **b**"), None);
        assert_eq!(round_line("Round 1: **a**, a"), None);
        assert_eq!(round_line("Round 1: **Bad Name**"), None);
    }
}
