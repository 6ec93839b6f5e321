//! What the log says happened: its handover and correction records, which of them stand, and
//! the rotation state after the last one.
//!
//! The log is the record of the rotation. Each handover record ends with the round line that
//! states the whole rotation after it, so the last standing record is a checkpoint: a handover
//! only appends, and two clones' handovers merge like any other log lines.
//!
//! When a merge brings two records that serve the same working day (a clone that had not
//! pulled, a colleague standing in), every clone settles it the same way: the record written
//! first stands, the later one is void. `rota check` names such pairs; `rota check --fix`
//! appends a correction record that says so in the log, so that the file reads as what was
//! decided. Nothing is ever deleted.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use chrono_tz::Tz;

use crate::calendar::{minutes_into_day, show_day};
use crate::logformat::{
    self, Blocks, CORRECTION, HANDOVER, RECORD_HEADING, Seen, TAKEN_BACK, day_heading_date,
    minute_of_day, strict_date,
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

/// `- Void: handover 2026-11-23 16:10 UTC carol → bob ...` inside a `### Correction` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Void {
    pub line: usize,
    pub written: NaiveDate,
    pub time: String,
    pub from: String,
    pub to: String,
    /// Who ran the voided record, when the correction says (it tells two same-minute
    /// records apart).
    pub runner: Option<String>,
}

impl Record {
    /// How records are ordered to decide which came first: the team day it was written, how far
    /// into that day (a local day runs across two UTC dates), then the text, so that every
    /// clone decides the same, and as the merged file reads.
    pub fn written_key(&self, zone: Tz) -> (NaiveDate, i32, &str, &str, &str) {
        let day = self
            .written
            .or_else(|| self.served.last().copied())
            .unwrap_or(NaiveDate::MIN);
        let utc = minute_of_day(&self.time).unwrap_or(0);
        let into_day = minutes_into_day(zone, day, utc);
        (day, into_day, &self.from, &self.to, self.runner())
    }

    /// What a correction or a take-back names a record by (with, maybe, who ran it).
    fn name(&self) -> Option<NameKey<'_>> {
        Some((self.written?, &self.time, &self.from, &self.to))
    }

    /// The reference a correction record uses: `handover 2026-11-23 16:10 UTC carol → bob`.
    pub fn reference(&self) -> String {
        let day = self.written.map(|d| d.to_string()).unwrap_or_default();
        format!(
            "handover {day} {} UTC {} → {} run by {}",
            self.time,
            self.from,
            self.to,
            self.runner()
        )
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
    Correction,
    TakenBack,
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
            if let Some(rest) = text.strip_prefix(HANDOVER)
                && let Some(record) = heading(rest, line, self.section)
            {
                self.history.records.push(record);
                self.inside = In::Handover;
            } else if text.starts_with(CORRECTION) {
                self.inside = In::Correction;
            } else if text.starts_with(TAKEN_BACK) {
                self.inside = In::TakenBack;
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
            In::Correction => {
                if let (Some(_), Some(void)) = (self.section, text.strip_prefix("- Void: "))
                    && let Some(void) = void_line(void, line)
                {
                    self.history.voids.push(void);
                }
            }
            In::TakenBack => {
                if let (Some(_), Some(handover)) = (self.section, text.strip_prefix("- Handover: "))
                    && let Some(void) = void_line(&format!("handover {handover}"), line)
                {
                    self.history.taken_back.push(void);
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

/// `16:05 UTC: alice → bob`
fn heading(rest: &str, line: usize, written: Option<NaiveDate>) -> Option<Record> {
    let (time, who) = rest.split_once(" UTC: ")?;
    minute_of_day(time)?;
    let (from, to) = who.split_once(" → ")?;
    Some(Record {
        line,
        written,
        time: time.to_string(),
        // Names from the log reach check's report: shown, never obeyed.
        from: printable(from.trim()).into_owned(),
        to: printable(to.trim()).into_owned(),
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
    })
}

/// The most open items a record carries: a log edited by hand cannot make a handover ask
/// about thousands.
pub const MAX_OPEN_ITEMS: usize = 100;

/// One line of a record's body; each field is taken from its first line only, so text written
/// by hand after a record cannot change it. `false` once the round line (the record's last
/// line) has been read.
fn record_line(record: &mut Record, text: &str) -> bool {
    if let Some((days, id)) = served_line(text) {
        if record.served_by.is_empty() {
            record.served = days;
            record.served_by = id;
            record.covering_for = text
                .rsplit_once(", covering for ")
                .map(|(_, who)| printable(who.trim_end_matches(')')).into_owned());
        }
    } else if let Some(gaps) = text.strip_prefix("- No one available: ") {
        if record.gaps.is_empty() {
            record.gaps = listed_days(gaps);
        }
    } else if let Some((_, note)) = text
        .strip_prefix("Note for ")
        .and_then(|rest| rest.split_once(": "))
    {
        if record.note.is_none() {
            record.note = Some(printable(&logformat::unescape_text(note)).into_owned());
        }
    } else if let Some((open, _, _, item)) = item_parts(text) {
        let (list, prefix) = if open {
            (&mut record.open, "open: ")
        } else {
            (&mut record.closed, "done: ")
        };
        let item = item.strip_prefix(prefix).unwrap_or(item).trim();
        let item = printable(&logformat::unescape_text(item)).into_owned();
        if list.len() < MAX_OPEN_ITEMS && !item.is_empty() && !list.contains(&item) {
            list.push(item);
        }
    } else if let Some(next) = text.strip_prefix("- Next: ") {
        if record.next_day.is_none() {
            record.next_day = next.get(4..14).and_then(strict_date);
        }
    } else if let Some(who) = text.strip_prefix("- Run by: ") {
        let id = who.split_whitespace().next().unwrap_or_default();
        if record.run_by.is_none() {
            record.run_by = is_valid_id(id).then(|| id.to_string());
        }
    } else if text.starts_with("Round ") {
        record.round = round_line(text);
        return false;
    }
    true
}

/// `+ [ ] 16:05 UTC alice: open: renew the wiki's TLS certificate` (or `+ [x] ...: done: ...`),
/// an item a handover record passes on or closes, as `(open, time, author, text)`. Each line
/// says when and by whom, like an entry, so `rota log --list` finds it wherever a merge puts it;
/// its `+` bullet keeps it out of the entries' list and inside its record.
pub fn item_parts(line: &str) -> Option<(bool, &str, &str, &str)> {
    let line = line.trim_end_matches('\r');
    let (open, rest) = if let Some(rest) = line.strip_prefix("+ [ ] ") {
        (true, rest)
    } else {
        (false, line.strip_prefix("+ [x] ")?)
    };
    let (time, rest) = rest.split_once(" UTC ")?;
    let (author, text) = rest.split_once(": ")?;
    let valid = minute_of_day(time).is_some() && !author.is_empty() && !author.contains(' ');
    valid.then_some((open, time, author, text))
}

/// `- Served: Mon 2026-11-23, Tue 2026-11-24 (alice, covering for bob)` gives the days and
/// the engineer who served them.
pub fn served_line(line: &str) -> Option<(Vec<NaiveDate>, String)> {
    let (days, who) = line.strip_prefix("- Served: ")?.rsplit_once(" (")?;
    let id = printable(who.trim_end_matches(')').split(',').next()?.trim()).into_owned();
    Some((listed_days(days), id))
}

/// `Mon 2026-11-23, Tue 2026-11-24`
fn listed_days(days: &str) -> Vec<NaiveDate> {
    days.split(", ")
        .filter_map(|day| strict_date(day.get(day.len().saturating_sub(10)..)?))
        .collect()
}

/// `Round 3 (new shuffle): ~~carol~~, **bob**, dave`
fn round_line(text: &str) -> Option<Round> {
    let (head, names) = text.strip_prefix("Round ")?.split_once(": ")?;
    let number: u32 = head
        .trim_end_matches(" (new shuffle)")
        .parse()
        .ok()
        .filter(|n| *n >= 1)?;
    let mut order = Vec::new();
    let mut pending = Vec::new();
    let mut on_call = None;
    // A set, not a scan of `order`: a crafted line may hold a hundred thousand names.
    let mut seen = HashSet::new();
    for name in names.split(", ") {
        let name = name.trim();
        let id = if let Some(id) = name.strip_prefix("~~").and_then(|n| n.strip_suffix("~~")) {
            id
        } else if let Some(id) = name.strip_prefix("**").and_then(|n| n.strip_suffix("**")) {
            if on_call.replace(id.to_string()).is_some() {
                return None;
            }
            id
        } else {
            pending.push(name.to_string());
            name
        };
        if !is_valid_id(id) || !seen.insert(id) {
            return None;
        }
        order.push(id.to_string());
    }
    Some(Round {
        number,
        order,
        on_call: on_call?,
        pending,
    })
}

/// `handover 2026-11-23 16:10 UTC carol → bob ...`
fn void_line(text: &str, line: usize) -> Option<Void> {
    let rest = text.strip_prefix("handover ")?;
    let written = strict_date(rest.get(..10)?)?;
    let (time, rest) = rest.get(11..)?.split_once(" UTC ")?;
    minute_of_day(time)?;
    let (from, rest) = rest.split_once(" → ")?;
    let to = rest.split([' ', ':']).next()?;
    let runner = rest
        .strip_prefix(to)
        .and_then(|r| r.strip_prefix(" run by "))
        .and_then(|r| r.split([' ', ':']).next())
        .map(|r| printable(r).into_owned());
    // Escaped as the record's own names are, so that they compare, and print, the same.
    Some(Void {
        line,
        written,
        time: time.to_string(),
        from: printable(from).into_owned(),
        to: printable(to).into_owned(),
        runner,
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

impl History {
    /// The records in the order they were written.
    fn by_writing(&self, zone: Tz) -> Vec<&Record> {
        let mut records: Vec<&Record> = self.records.iter().collect();
        records.sort_by_cached_key(|r| r.written_key(zone));
        records
    }

    /// The records in the order they were written, without those taken back.
    fn live(&self, zone: Tz) -> Vec<&Record> {
        let mut records = self.by_writing(zone);
        let taken_back = Names::of(&self.taken_back);
        records.retain(|r| !taken_back.name(r));
        records
    }

    /// `### Taken back` records that name no handover of the log: they change nothing.
    pub fn idle_take_backs(&self) -> Vec<&Void> {
        let by_name = records_by_name(&self.records);
        self.taken_back
            .iter()
            .filter(|t| !names_one(&by_name, t))
            .collect()
    }

    /// Records that serve a day a record written earlier already served: the later one is
    /// void, in every clone, whatever the file order. `settled` when a correction says so.
    pub fn duplicates(&self, zone: Tz) -> Vec<Duplicate<'_>> {
        let mut served: HashMap<NaiveDate, &Record> = HashMap::new();
        let mut duplicates = Vec::new();
        let corrected = Names::of(&self.voids);
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
            let settled = corrected.name(record);
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

    /// Corrections that name no record a merge made void: a correction only ever settles a
    /// duplicate, so these change nothing, and check reports them.
    pub fn idle_voids(&self, zone: Tz) -> Vec<&Void> {
        let duplicates = self.duplicates(zone);
        let void = records_by_name(duplicates.iter().map(|d| d.void));
        self.voids.iter().filter(|v| !names_one(&void, v)).collect()
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

/// The record that takes back `record` (`rota handover --undo`): it names the handover as a
/// correction does, so every clone reads it the same.
pub fn take_back(at: chrono::DateTime<chrono::Utc>, by: &str, record: &Record) -> String {
    let served: Vec<String> = record.served.iter().map(|d| show_day(*d)).collect();
    let reference = record.reference();
    format!(
        "\n{TAKEN_BACK}{} UTC: {by}\n\n- Handover: {}\n- On call again: {} ({})\n",
        at.format("%H:%M"),
        reference.strip_prefix("handover ").unwrap_or(&reference),
        record.from,
        served.join(", ")
    )
}

/// A correction record that voids `duplicate`'s later record.
pub fn correction(at: chrono::DateTime<chrono::Utc>, by: &str, duplicates: &[Duplicate]) -> String {
    let mut out = format!("\n{CORRECTION}{} UTC: {by}\n\n", at.format("%H:%M"));
    let mut voided = Vec::new();
    for d in duplicates {
        // A record that repeats two earlier ones is voided once.
        if voided.contains(&d.void.reference()) {
            continue;
        }
        voided.push(d.void.reference());
        let days: Vec<String> = d.days.iter().map(|d| show_day(*d)).collect();
        out += &format!(
            "- Void: {}: {} was already handed over at {} UTC ({} → {}, run by {})\n",
            d.void.reference(),
            days.join(", "),
            d.standing.time,
            d.standing.from,
            d.standing.to,
            d.standing.runner(),
        );
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
    fn file_order_does_not_decide() {
        // The same two records, the later one first in the file.
        let (head, rest) = TWO.split_at(TWO.find("### Handover 16:05").unwrap());
        let (first, second) = rest.split_at(rest.find("### Handover 16:10").unwrap());
        let swapped = format!("{head}{second}\n{first}");
        let history = parse(&swapped);
        assert_eq!(history.checkpoint(7, UTC).unwrap().on_call, "bob");
    }

    /// On the day Prague's clocks go back, 22:30 UTC under that day is half past midnight
    /// local: written before 16:10 UTC, whatever the file order.
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
    fn first_is_decided_by_the_team_clock_not_the_utc_one() {
        // New York, Monday: 17:05 local is 22:05 UTC; 20:00 local is 01:00 UTC.
        let log = "## 2026-11-23 Mon\n\n### Handover 22:05 UTC: a → b\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (b)\n\nRound 1: ~~a~~, **b**, c\n\n### Handover 01:00 UTC: a → c\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (c)\n- Run by: c\n\nRound 1: ~~a~~, b, **c**\n";
        let history = parse(log);
        let ny = chrono_tz::America::New_York;
        assert_eq!(history.duplicates(ny)[0].standing.time, "22:05");
        assert_eq!(history.checkpoint(1, ny).unwrap().on_call, "b");
        // Read in UTC, 01:00 would come first: the zone is what decides.
        assert_eq!(history.duplicates(UTC)[0].standing.time, "01:00");
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
            "{hostile}\n## 2026-11-24 Tue\n\n### Correction 09:00 UTC: x\n\n- Void: handover 2026-11-23 16:10 UTC \u{1b}[2Jalice → carol: no\n"
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
