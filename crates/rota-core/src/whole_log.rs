//! The whole log's history in memory that grows with what is wrong, not with the log's age.
//!
//! `rota check` asks questions about every record: which day was handed over twice, which
//! correction or take-back names nothing, where the rotation stands. Only a few records can
//! take part in an answer: those that share a served day with another, those a correction or a
//! take-back names, those serving a day an override is about, the ones with no readable round,
//! and the last ones written of those that stand (however many were taken back). Two passes
//! find them; every other record is read and dropped.

use std::collections::{HashMap, VecDeque};
use std::path::Path;

use chrono::NaiveDate;

use crate::error::Result;
use crate::history::{History, Parser, Record, Void};

/// How many of the last records written are kept: the rotation's state is the last standing
/// record's, and check compares it with the one before.
const LAST_KEPT: usize = 64;

/// The records of the log at `path` that the history's answers depend on, with every
/// correction and take-back; the days in `days` (an override's) keep the records serving them.
/// The answers of [`History`] (duplicates, standing records, the checkpoint, who served a
/// kept day) are those of the whole log.
pub fn read_for_check(path: &Path, days: &[NaiveDate]) -> Result<History> {
    Ok(read_keeping(path, days, LAST_KEPT)?.0)
}

/// How [`read_keeping`] read the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Two passes kept only the records that matter.
    Subset,
    /// The last records that stand state no rotation: every record was kept.
    Whole,
}

/// [`read_for_check`], keeping the `last_kept` records written last of those that surely
/// stand (at least 2).
pub fn read_keeping(
    path: &Path,
    days: &[NaiveDate],
    last_kept: usize,
) -> Result<(History, Reading)> {
    // First pass: how often each day is served, and every correction and take-back.
    let mut served_count: HashMap<NaiveDate, u8> = HashMap::new();
    let (voids, taken_back) = each_record(path, |record| {
        for day in &record.served {
            let count = served_count.entry(*day).or_default();
            *count = count.saturating_add(1);
        }
    })?;
    // Second pass: the records a rule can name, and of the others (which stand: no day of
    // theirs is served twice and no line names them), the last ones written.
    let names = crate::history::Names::of(voids.iter().chain(&taken_back));
    let days: std::collections::HashSet<NaiveDate> = days.iter().copied().collect();
    let mut records = Vec::new();
    let mut last = VecDeque::with_capacity(last_kept + 1);
    each_record(path, |record| {
        let named = record.round.is_none()
            || record
                .served
                .iter()
                .any(|d| served_count.get(d).is_some_and(|&n| n > 1) || days.contains(d))
            || names.name(&record);
        if named {
            records.push(record);
        } else {
            keep_if_last(&mut last, record, last_kept);
        }
    })?;
    let complete = last.len() < last_kept;
    let states = last
        .iter()
        .filter(|r| r.round.is_some() && r.next_day.is_some())
        .count();
    records.extend(last);
    records.sort_by_key(|r| r.line);
    if complete || states >= 2 {
        return Ok((
            History {
                records,
                voids,
                taken_back,
                ..History::default()
            },
            Reading::Subset,
        ));
    }
    // The last standing records state no rotation (their Next lines are gone, which check
    // reports): the state comes from further back, which only the whole log shows.
    Ok((crate::logbook::read_history(path)?, Reading::Whole))
}

/// Keeps in `last` the `kept` records last in the log's order (the order of its lines, in
/// which the records come).
fn keep_if_last(last: &mut VecDeque<Record>, record: Record, kept: usize) {
    last.push_back(record);
    if last.len() > kept {
        last.pop_front();
    }
}

/// Reads the log once, handing each record to `visit` as soon as no later line can change it;
/// returns the corrections' voids and the take-backs.
pub fn each_record(path: &Path, mut visit: impl FnMut(Record)) -> Result<(Vec<Void>, Vec<Void>)> {
    let Some(file) = crate::logbook::open_log(path)? else {
        return Ok((vec![], vec![]));
    };
    let mut parser = Parser::default();
    crate::logbook::parse_lines(file, path, &mut parser, |parser| {
        parser.take_complete().for_each(&mut visit);
    })?;
    let history = parser.finish();
    history.records.into_iter().for_each(visit);
    Ok((history.voids, history.taken_back))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log with nothing wrong keeps its last records and drops every other one.
    #[test]
    fn a_clean_log_keeps_only_its_last_records() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(
            file.path(),
            include_str!("../../../examples/cloud-sre/on-call-log.md"),
        )
        .unwrap();
        let whole = crate::logbook::read_history(file.path()).unwrap();
        assert!(
            whole.records.len() > 3,
            "the example log has records to drop"
        );
        let (kept, reading) = read_keeping(file.path(), &[], 2).unwrap();
        assert_eq!(reading, Reading::Subset);
        assert_eq!(kept.records, whole.records[whole.records.len() - 2..]);
    }
}
