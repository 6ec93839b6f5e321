//! Property tests, of two kinds.
//!
//! Arbitrary and mutated input fed to every parser: no panic, ever, and what a parser accepts
//! keeps the promises the rest of rota relies on (a list's log stays inside the directory and
//! its text is one plain line per value; the log's entries reach the terminal without a control
//! character; a day is served once).
//!
//! What rota writes, read back: parse(write(x)) = x for log entries, handover records,
//! take-backs, corrections, and the absences and overrides rota edits into the list; and the
//! rotation's promises through those files: the schedule projected ahead is what a handover a
//! day, each starting from the round line the last one wrote, replays; nobody serves twice in a
//! round, whatever the absences.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use crate::history::{self, Record, Round};
use crate::logbook::{self, Entry, HandoverRecord, Tail};
use crate::roster::{self, Absence, Override, OverrideKind, Roster};
use crate::rotation::{self, Reason, State};
use crate::safe::printable;
use crate::store;
use crate::timeline::{Status, Timeline};

const EXAMPLE_LIST: &str = include_str!("../../../examples/cloud-sre/on-call-list.toml");
const EXAMPLE_LOG: &str = include_str!("../../../examples/cloud-sre/on-call-log.md");

/// A valid file with some bytes replaced, inserted or removed.
fn mutated(original: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = original.len();
    proptest::collection::vec((0..len, any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut bytes = original.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match kind {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    })
}

fn parse_list(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    match roster::parse(Path::new("on-call-list.toml"), &text) {
        Err(error) => {
            // Every error says where: a line and column inside the text, shown as
            // `--> file:line:column` over the line with a caret under the place.
            let shown = error.to_string();
            let at = error
                .location()
                .unwrap_or_else(|| panic!("no location: {shown}"));
            let lines: Vec<&str> = text.split('\n').collect();
            assert!((1..=lines.len()).contains(&at.line), "{shown}");
            let line = lines[at.line - 1].trim_end_matches('\r');
            assert_eq!(at.text, line, "{shown}");
            assert!(
                (1..=line.chars().count() + 1).contains(&at.column),
                "{shown}"
            );
            assert!(
                shown.contains(&format!(
                    "\n{}--> on-call-list.toml:{}:{}\n",
                    " ".repeat(at.line.to_string().len()),
                    at.line,
                    at.column
                )),
                "{shown}"
            );
        }
        Ok(roster) => {
            // An accepted list keeps its log inside the directory...
            assert!(roster.log.components().all(|c| matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )));
            // ...and every text it gives the log or the terminal is plain.
            let plain = |t: &str| !t.chars().any(crate::safe::is_unsafe_char);
            assert!(plain(&roster.team_name));
            assert!(roster.checklist.iter().all(|i| plain(i)));
            for e in &roster.engineers {
                assert!(plain(&e.name));
                for contact in [&e.email, &e.chat, &e.phone].into_iter().flatten() {
                    assert!(plain(contact));
                }
            }
        }
    }
}

fn read_log(bytes: &[u8]) {
    let tail = Tail::from_text(&String::from_utf8_lossy(bytes));
    let day = "2026-11-23".parse().unwrap();
    let _ = tail.last_section_is_day(day);
    let _ = tail.entries_on(day);
    let _ = tail.history().checkpoint(1, chrono_tz::UTC);
    for entry in logbook::entries(bytes) {
        let entry = entry.unwrap();
        let _ = entry.tags().count();
        // Whatever the log holds, an entry reaches the terminal without a control character.
        assert!(!entry.text.chars().any(crate::safe::is_unsafe_char));
        assert!(!entry.author.chars().any(crate::safe::is_unsafe_char));
    }
    for line in tail.entries_on(day) {
        assert!(!line.chars().any(crate::safe::is_unsafe_char));
    }
    let text = String::from_utf8_lossy(bytes);
    let history = crate::history::parse(&text);
    // Every served day is counted once, whatever the log holds.
    let days: Vec<_> = history
        .served_days(chrono_tz::UTC)
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    let unique: std::collections::HashSet<_> = days.iter().collect();
    assert_eq!(days.len(), unique.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_list_of_any_bytes_is_refused_with_its_place_or_read_safely(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        parse_list(&bytes);
    }

    #[test]
    fn a_mutated_list_is_refused_with_its_place_or_read_safely(bytes in mutated(EXAMPLE_LIST)) {
        parse_list(&bytes);
    }

    #[test]
    fn a_log_of_any_bytes_shows_no_control_character_and_serves_a_day_once(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        read_log(&bytes);
    }

    #[test]
    fn a_mutated_log_shows_no_control_character_and_serves_a_day_once(
        bytes in mutated(EXAMPLE_LOG),
    ) {
        read_log(&bytes);
    }

    #[test]
    fn log_like_lines_show_no_control_character_and_serve_a_day_once(
        lines in proptest::collection::vec(
            "(## |### Handover |- |- Served: |- Next: )[ -~→·]{0,40}",
            0..30,
        ),
    ) {
        read_log(lines.join("\n").as_bytes());
    }
}

// What rota writes, read back.

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// `day` at `hh:mm` UTC.
fn at(day: NaiveDate, (hh, mm): (u32, u32)) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hh, mm, 0).unwrap())
}

fn minute() -> impl Strategy<Value = (u32, u32)> {
    (0u32..24, 0u32..60)
}

/// A day from 2026 to 2033.
fn day() -> impl Strategy<Value = NaiveDate> {
    (0i64..3000).prop_map(|n| date("2026-01-01") + Duration::days(n))
}

fn id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,7}"
}

/// Text as a person types it: one line, words one space apart.
fn plain_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9#:,.()'\"→·éř-]{1,8}( [a-zA-Z0-9#:,.()'\"→·éř-]{1,8}){0,6}"
}

/// Any text: line breaks, tabs, control and bidi characters, runs of spaces, any char.
fn any_text() -> impl Strategy<Value = String> {
    let char = prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => Just(' '),
        1 => Just('\n'),
        1 => Just('\r'),
        1 => Just('\t'),
        1 => Just('\u{1b}'),
        1 => Just('\u{202e}'),
        1 => Just('#'),
        1 => Just(':'),
        // What a forge would read as HTML, an entity, an escape or a code span.
        1 => Just('<'),
        1 => Just('>'),
        1 => Just('&'),
        1 => Just(';'),
        1 => Just('\\'),
        1 => Just('`'),
        1 => Just('*'),
        1 => any::<char>(),
    ];
    proptest::collection::vec(char, 0..60).prop_map(String::from_iter)
}

/// What `rota log TEXT` records as the text: one line (breaks become spaces), trimmed, with
/// control characters shown as escapes.
fn as_logged(text: &str) -> String {
    printable(&text.trim().replace(['\n', '\r'], " ")).into_owned()
}

/// What a handover record keeps of free text (a note): one line, one space between words.
fn as_noted(text: &str) -> String {
    printable(&text.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// Appends an entry as `rota log` composes it (src/commands/log.rs): today's heading unless the
/// last section is today's, a `### Log` heading after a record, a blank line after other text,
/// then the entry's line.
fn log_entry(log: &mut String, day: NaiveDate, at: DateTime<Utc>, author: &str, text: &str) {
    let tail = Tail::from_text(log);
    if !tail.last_section_is_day(day) {
        *log += &format!("\n{}\n\n", crate::logformat::day_heading(day));
    } else if tail.entry_needs_log_heading() {
        *log += &format!("\n{}\n\n", crate::logformat::log_heading(at));
    } else if log
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| !l.starts_with("- "))
    {
        *log += "\n";
    }
    *log += &logbook::entry(at, author, text);
    *log += "\n";
}

/// Appends a record as `rota handover` composes it (src/commands/handover.rs): today's heading
/// unless the last section is today's, then the record.
fn log_record(log: &mut String, day: NaiveDate, record: &str) {
    if !Tail::from_text(log).last_section_is_day(day) {
        *log += &format!("\n{}\n", crate::logformat::day_heading(day));
    }
    *log += record;
}

/// A handover record's fields, generated; `order` holds distinct ids.
#[derive(Debug, Clone)]
struct Handover {
    at: (u32, u32),
    from: String,
    to: String,
    run_by: Option<String>,
    covering_for: Option<String>,
    served: Vec<NaiveDate>,
    next_day: NaiveDate,
    gaps: Vec<NaiveDate>,
    late_days: u32,
    checklist: Vec<(String, bool, String)>,
    open: Vec<String>,
    closed: Vec<String>,
    note: String,
    round: u32,
    new_round: bool,
    order: Vec<String>,
    on_call: usize,
    pending: Vec<bool>,
}

impl Handover {
    fn pending(&self) -> Vec<String> {
        self.order
            .iter()
            .zip(&self.pending)
            .enumerate()
            .filter(|(i, (_, pending))| **pending && *i != self.on_call)
            .map(|(_, (id, _))| id.clone())
            .collect()
    }

    fn render(&self, day: NaiveDate) -> String {
        let pending = self.pending();
        HandoverRecord {
            at: at(day, self.at),
            from: &self.from,
            to: &self.to,
            run_by: self.run_by.as_deref(),
            on_call: &self.order[self.on_call],
            served: &self.served,
            covering_for: self.covering_for.as_deref(),
            next_day: self.next_day,
            late_days: self.late_days,
            gaps: &self.gaps,
            checklist: &self.checklist,
            open: &self.open,
            closed: &self.closed,
            note: &self.note,
            round: self.round,
            new_round: self.new_round,
            order: &self.order,
            pending: &pending,
        }
        .render()
    }
}

fn handover() -> impl Strategy<Value = Handover> {
    let people = proptest::collection::btree_set(id(), 1..8)
        .prop_map(|ids| ids.into_iter().collect::<Vec<_>>())
        .prop_shuffle();
    (
        (
            minute(),
            id(),
            id(),
            proptest::option::of(id()),
            proptest::option::of(id()),
        ),
        (day(), 1usize..4, 1i64..5, 0u32..4),
        proptest::collection::vec(("[A-Za-z#;,' ]{1,30}", any::<bool>(), any_text()), 0..5),
        (
            any_text(),
            1u32..10_000,
            any::<bool>(),
            proptest::collection::vec(any_text(), 0..4),
            proptest::collection::vec(any_text(), 0..3),
        ),
        people.prop_flat_map(|order| {
            let n = order.len();
            (
                Just(order),
                0..n,
                proptest::collection::vec(any::<bool>(), n),
            )
        }),
    )
        .prop_map(
            |(
                (at, from, to, run_by, covering_for),
                (first, served, gap, late_days),
                checklist,
                (note, round, new_round, open, closed),
                (order, on_call, pending),
            )| {
                let served: Vec<NaiveDate> = (0..served)
                    .map(|i| first + Duration::days(i as i64))
                    .collect();
                let last = *served.last().unwrap();
                let gaps = (1..gap).map(|i| last + Duration::days(i)).collect();
                Handover {
                    at,
                    from,
                    to,
                    run_by,
                    covering_for,
                    served,
                    next_day: last + Duration::days(gap),
                    gaps,
                    late_days,
                    checklist: checklist
                        .into_iter()
                        .map(|(item, done, note): (String, bool, String)| {
                            (item.trim().to_string(), done, note)
                        })
                        .filter(|(item, _, _)| !item.is_empty())
                        .collect(),
                    open,
                    closed,
                    note,
                    round,
                    new_round,
                    order,
                    on_call,
                    pending,
                }
            },
        )
}

/// Items as a record keeps them: each noted on one line, empty ones and repeats left out.
fn as_items(items: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for item in items.iter().map(|i| as_noted(i)) {
        if !item.is_empty() && !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}

/// The record `handover` should read back as, written under `day`'s heading at `line`.
fn expected_record(h: &Handover, day: NaiveDate, line: usize) -> Record {
    let note = as_noted(&h.note);
    Record {
        line,
        written: Some(day),
        time: format!("{:02}:{:02}", h.at.0, h.at.1),
        from: h.from.clone(),
        to: h.to.clone(),
        run_by: h.run_by.clone(),
        served: h.served.clone(),
        served_by: h.from.clone(),
        covering_for: h.covering_for.clone(),
        next_day: Some(h.next_day),
        gaps: h.gaps.clone(),
        note: (!note.is_empty()).then_some(note),
        open: as_items(&h.open),
        closed: as_items(&h.closed),
        round: Some(Round {
            number: h.round,
            order: h.order.clone(),
            on_call: h.order[h.on_call].clone(),
            pending: h.pending(),
        }),
    }
}

/// A team of `size` (ids `e0`, `e1`, ...) with `away` absences `(who, first day after
/// 2026-11-23, days)`, and round 1 from Mon 2026-11-23, as a list file says it.
fn team_list(size: usize, seed: u32, away: &[(usize, i64, i64)]) -> Roster {
    let mut text = String::from(
        "[team]\nname = \"T\"\ntimezone = \"Europe/Prague\"\n\
         holidays = [2026-12-24, 2026-12-25, 2027-01-01]\n",
    );
    for i in 0..size {
        text += &format!("\n[[engineer]]\nid = \"e{i}\"\nname = \"E{i}\"\n");
        let absences: Vec<String> = away
            .iter()
            .filter(|(who, _, _)| who % size == i)
            .map(|(_, offset, days)| {
                let from = date("2026-11-23") + Duration::days(*offset);
                format!("{{ from = {from}, to = {} }}", from + Duration::days(*days))
            })
            .collect();
        if !absences.is_empty() {
            text += &format!("away = [{}]\n", absences.join(", "));
        }
    }
    text += &format!("\n[rotation]\nseed = {seed}\nstart = 2026-11-23\n");
    roster::parse(Path::new("on-call-list.toml"), &text).unwrap()
}

fn absences() -> impl Strategy<Value = Vec<(usize, i64, i64)>> {
    proptest::collection::vec((0usize..10, 0i64..60, 0i64..10), 0..5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// `rota log TEXT` writes one line with no control character, which reads back as TEXT.
    #[test]
    fn an_entry_is_one_plain_line_that_reads_back_as_its_text(
        day in day(),
        time in minute(),
        author in id(),
        text in any_text(),
        plain in plain_text(),
    ) {
        for text in [&text, &plain] {
            let mut log = crate::logformat::new_log_header("T");
            log_entry(&mut log, day, at(day, time), &author, text);
            // One line, with no control character in the file.
            prop_assert_eq!(log.lines().filter(|l| l.starts_with("- ")).count(), 1);
            prop_assert!(!log.chars().any(|c| c != '\n' && crate::safe::is_unsafe_char(c)));
            let read: Vec<Entry> = logbook::entries(log.as_bytes()).map(Result::unwrap).collect();
            prop_assert_eq!(read, vec![Entry {
                day,
                item: false,
                time: format!("{:02}:{:02}", time.0, time.1),
                author: author.clone(),
                text: as_logged(text),
            }]);
        }
        // Text typed on one line comes back unchanged.
        prop_assert_eq!(as_logged(&plain), plain);
    }

    /// A handover record reads back field for field, and states the rotation it was written
    /// with.
    #[test]
    fn a_handover_record_reads_back_as_written_and_states_its_rotation(
        h in handover(),
        entries in proptest::collection::vec(any_text(), 0..3),
        seed in any::<u64>(),
    ) {
        let day = *h.served.last().unwrap();
        let mut log = crate::logformat::new_log_header("T");
        for text in &entries {
            log_entry(&mut log, day, at(day, (8, 0)), "alice", text);
        }
        log_record(&mut log, day, &h.render(day));
        let line = log.lines().position(|l| l.starts_with("### Handover")).unwrap() + 1;
        let history = history::parse(&log);
        let expected = expected_record(&h, day, line);
        prop_assert_eq!(&history.records, &vec![expected]);
        prop_assert_eq!(history.checkpoint(seed, chrono_tz::Europe::Prague), Some(State {
            seed,
            round: h.round,
            order: h.order.clone(),
            pending: h.pending(),
            on_call: h.order[h.on_call].clone(),
            day: h.next_day,
        }));
        // A note typed on one line comes back unchanged.
        if h.note == as_noted(&h.note) && !h.note.is_empty() {
            prop_assert_eq!(history.records[0].note.as_deref(), Some(h.note.as_str()));
        }
    }

    /// Two clones hand over the same day: the record first in the log stands, whatever times
    /// the two claim; `rota check --fix`'s correction settles the other and changes nothing of
    /// what stands.
    #[test]
    fn of_two_handovers_of_a_day_the_first_in_the_log_stands_and_a_correction_settles_the_other(
        h in handover(),
        other_to in id(),
        (local, later) in (0u32..1380, 1u32..60),
        merged_later_first in any::<bool>(),
        by in id(),
    ) {
        let zone = chrono_tz::Europe::Prague;
        let day = *h.served.last().unwrap();
        // Written on the team's day `day`, at team-local times: the UTC minute the record
        // shows, of an instant that may fall on the UTC day before.
        let utc = |minute: u32| {
            zone.from_local_datetime(&day.and_hms_opt(minute / 60, minute % 60, 0).unwrap())
                .earliest()
                .map(|t| {
                    let t = t.with_timezone(&Utc);
                    (chrono::Timelike::hour(&t), chrono::Timelike::minute(&t))
                })
        };
        let (Some(first_at), Some(second_at)) = (utc(local), utc(local + later)) else {
            return Ok(()); // a local time the clocks skip
        };
        let first = Handover { at: first_at, ..h.clone() };
        let second = Handover {
            at: second_at,
            to: other_to,
            run_by: Some(by.clone()),
            ..h.clone()
        };
        let (a, b) = if merged_later_first { (&second, &first) } else { (&first, &second) };
        let mut log = crate::logformat::new_log_header("T");
        log_record(&mut log, day, &a.render(day));
        log_record(&mut log, day, &b.render(day));
        let history = history::parse(&log);
        let duplicates = history.duplicates(zone);
        prop_assert_eq!(duplicates.len(), 1);
        prop_assert_eq!(&duplicates[0].standing.time, &expected_record(a, day, 0).time);
        prop_assert_eq!(&duplicates[0].void.to, &b.to);
        prop_assert_eq!(&duplicates[0].days, &h.served);
        prop_assert!(!duplicates[0].settled);
        let standing: Vec<Record> = history.standing(zone).into_iter().cloned().collect();
        prop_assert_eq!(standing.len(), 1);
        prop_assert_eq!(&standing[0].to, &a.to);

        // Signed, as `rota check --fix` signs it, by an engineer of the void record's team.
        log_record(&mut log, day, &history::correction(at(day, (23, 59)), &b.from, &duplicates));
        let settled = history::parse(&log);
        let duplicates = settled.duplicates(zone);
        prop_assert_eq!(duplicates.len(), 1);
        prop_assert!(duplicates[0].settled);
        prop_assert!(settled.idle_voids(zone).is_empty());
        let after: Vec<Record> = settled.standing(zone).into_iter().cloned().collect();
        prop_assert_eq!(after, standing);
    }

    /// The schedule projected ahead is what the handovers replay, each one starting from the
    /// state the last one's round line wrote in the log; afterwards every past day reads from
    /// the log as projected.
    #[test]
    fn the_projected_schedule_is_what_handovers_through_the_log_replay(
        size in 1usize..8,
        seed in any::<u32>(),
        away in absences(),
        turns in 1usize..40,
    ) {
        let roster = team_list(size, seed, &away);
        let zone = roster.calendar.timezone;
        let first = rotation::current_state(&roster, None, date("2026-11-23")).0;
        let projected: Vec<(NaiveDate, Option<String>)> =
            rotation::schedule(&roster, &first, first.day)
            .map(|s| (s.day, s.engineer))
            .take(turns)
            .collect();

        let mut log = crate::logformat::new_log_header("T");
        let mut state = first.clone();
        let mut replayed = vec![(state.day, Some(state.on_call.clone()))];
        while replayed.len() < turns {
            let step = rotation::next_turn(&roster, &state, state.day);
            let record = HandoverRecord {
                at: at(state.day, (16, 5)),
                from: &state.on_call,
                to: &step.state.on_call,
                run_by: None,
                on_call: &step.state.on_call,
                served: &[state.day],
                covering_for: None,
                next_day: step.state.day,
                late_days: 0,
                gaps: &step.gaps,
                checklist: &[],
                open: &[],
                closed: &[],
                note: "",
                round: step.state.round,
                new_round: step.reason == Reason::RoundStart,
                order: &step.state.order,
                pending: &step.state.pending,
            }
            .render();
            let start = log.len();
            log_record(&mut log, state.day, &record);
            replayed.extend(step.gaps.iter().map(|gap| (*gap, None)));
            // The next handover knows only what the log says.
            state = history::parse(&log[start..])
                .checkpoint(roster.seed, zone)
                .expect("a handover record states the rotation");
            prop_assert_eq!(&state, &step.state);
            replayed.push((state.day, Some(state.on_call.clone())));
        }
        replayed.truncate(turns);
        prop_assert_eq!(&replayed, &projected);

        let history = history::parse(&log);
        let timeline = Timeline::new(&roster, &state, &history, state.day);
        for (day, engineer) in &projected {
            let read = timeline.day(*day);
            prop_assert_eq!(&read.engineer, engineer, "{}", day);
            let status = if engineer.is_none() {
                Status::Gap
            } else if *day < state.day {
                Status::Served
            } else {
                Status::OnCall
            };
            prop_assert_eq!(read.status, status, "{}", day);
        }
    }

    /// Nobody serves twice in a round, whatever the absences; and over a round that has ended,
    /// everyone who was never away served exactly once.
    #[test]
    fn nobody_serves_twice_in_a_round_and_those_never_away_serve_once_in_every_round(
        size in 1usize..10,
        seed in any::<u32>(),
        away in absences(),
    ) {
        let roster = team_list(size, seed, &away);
        let first = rotation::current_state(&roster, None, date("2026-11-23")).0;
        let mut rounds: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for slot in rotation::schedule(&roster, &first, first.day).take(size * 8) {
            if let Some(id) = slot.engineer {
                rounds.entry(slot.round).or_default().push(id);
            }
        }
        let last = *rounds.keys().last().unwrap();
        for (round, served) in &rounds {
            let mut once = served.clone();
            once.sort();
            once.dedup();
            prop_assert_eq!(once.len(), served.len(), "round {}: {:?}", round, served);
            if *round < last {
                for engineer in roster.engineers.iter().filter(|e| e.away.is_empty()) {
                    prop_assert!(
                        served.contains(&engineer.id),
                        "round {}: {} missing from {:?}", round, engineer.id, served
                    );
                }
            }
        }
    }

    /// `rota away` and `rota cover`/`swap` edit the list: what they write reads back as the
    /// absences and overrides they were given, and taking each back (`--undo`) gives back the
    /// file byte for byte.
    #[test]
    fn absences_and_overrides_written_to_the_list_read_back_and_undo_to_the_same_bytes(
        away in proptest::collection::vec(
            (0usize..5, 0i64..400, 0i64..20, proptest::option::of("[ -~éř→·]{0,20}")),
            0..6,
        ),
        overrides in proptest::collection::vec(
            (
                0usize..5,
                0i64..400,
                any::<bool>(),
                "[ -~éř→·]{0,20}",
                proptest::option::of(0usize..5),
            ),
            0..4,
        ),
    ) {
        let ids = ["alice", "bob", "carol", "dave", "erin"];
        let mut absences: Vec<(&str, Absence)> = Vec::new();
        for (who, offset, days, reason) in away {
            let from = date("2026-11-23") + Duration::days(offset);
            let absence = Absence { from, to: from + Duration::days(days), reason };
            let same = |(id, a): &(&str, Absence)| *id == ids[who] && (a.from, a.to) == (from, absence.to);
            if !absences.iter().any(same) {
                absences.push((ids[who], absence));
            }
        }
        let mut covers: Vec<Override> = Vec::new();
        for (who, offset, swap, reason, displaces) in overrides {
            let date = date("2026-11-23") + Duration::days(offset);
            if covers.iter().all(|o| o.date != date) {
                covers.push(Override {
                    date,
                    engineer: ids[who].to_string(),
                    kind: if swap { OverrideKind::Swap } else { OverrideKind::Cover },
                    reason: Some(reason),
                    displaces: displaces.map(|d| ids[d].to_string()),
                });
            }
        }
        let mut text = EXAMPLE_LIST.to_string();
        for (id, absence) in &absences {
            text = store::edited(&text, |doc| store::add_absence(doc, id, absence)).unwrap();
        }
        for o in &covers {
            text = store::edited(&text, |doc| {
                let reason = o.reason.as_deref().unwrap();
                store::set_override(doc, o.date, &o.engineer, o.kind, reason, o.displaces.as_deref())
            })
            .unwrap();
        }
        let roster = roster::parse(Path::new("on-call-list.toml"), &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        for id in ids {
            let written: Vec<Absence> = absences
                .iter()
                .filter(|(who, _)| *who == id)
                .map(|(_, a)| a.clone())
                .collect();
            prop_assert_eq!(&roster.engineer(id).unwrap().away, &written, "{}", text);
        }
        prop_assert_eq!(&roster.overrides, &covers, "{}", text);

        for (id, absence) in &absences {
            let removed = std::cell::Cell::new(false);
            text = store::edited(&text, |doc| {
                removed.set(store::remove_absence(doc, id, absence.from, absence.to)?);
                Ok(())
            })
            .unwrap();
            prop_assert!(removed.get());
        }
        for o in &covers {
            text = store::edited(&text, |doc| store::remove_override(doc, o.date).map(|_| ()))
                .unwrap();
        }
        prop_assert_eq!(text, EXAMPLE_LIST);
    }
}

proptest! {
    // Slower cases: a log of up to thirty lines written and read thirty times over; two
    // handover records generated.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `rota handover --undo`: the record it appends takes back exactly the last handover; the
    /// one before stands again and states the rotation.
    #[test]
    fn a_taken_back_handover_no_longer_stands_and_the_one_before_states_the_rotation(
        first in handover(),
        second in handover(),
        undo in minute(),
    ) {
        let zone = chrono_tz::Europe::Prague;
        let day_one = *first.served.last().unwrap();
        // The second serves the day the first handed over, and is written then.
        let day_two = first.next_day;
        let second = Handover {
            served: vec![day_two],
            next_day: day_two + Duration::days(1),
            gaps: vec![],
            ..second
        };
        let mut log = crate::logformat::new_log_header("T");
        log_record(&mut log, day_one, &first.render(day_one));
        log_record(&mut log, day_two, &second.render(day_two));
        let before = history::parse(&log);
        prop_assert_eq!(before.standing(zone).len(), 2);
        let last = before.standing(zone)[1].clone();
        // Taken back by the engineer who handed over, as `rota handover --undo` does: after
        // the record, in the team's day.
        let by = last.from.clone();
        let into_day = |(h, m): (u32, u32)| {
            crate::calendar::minutes_into_day(zone, day_two, (h * 60 + m) as i32)
        };
        let undo = if into_day(undo) < into_day(second.at) { second.at } else { undo };
        log_record(&mut log, day_two, &history::take_back(at(day_two, undo), &by, &last));
        let after = history::parse(&log);
        let standing: Vec<&Record> = after.standing(zone);
        prop_assert_eq!(standing.len(), 1);
        prop_assert_eq!(standing[0], &before.records[0]);
        prop_assert_eq!(after.checkpoint(7, zone), before.records[0].state(7));
        prop_assert!(after.idle_take_backs(zone).is_empty());
    }


    /// `rota check` keeps only the records its rules can name (whole_log.rs): what it finds
    /// from them is what the whole log shows, however records repeat days, lose their round
    /// line, are corrected, wrongly corrected or taken back.
    #[test]
    fn check_reading_only_the_records_that_matter_answers_as_the_whole_log(
        handovers in proptest::collection::vec((handover(), 0i64..8, 0u8..8), 1..24),
        taken_back in proptest::collection::vec(any::<proptest::sample::Index>(), 0..3),
        (correct, miscorrect) in (any::<bool>(), any::<bool>()),
        override_days in proptest::collection::vec(0i64..8, 0..3),
        kept in 2usize..6,
    ) {
        let zone = chrono_tz::Europe::Prague;
        let first = date("2026-11-02");
        let mut log = crate::logformat::new_log_header("T");
        for (h, offset, damage) in &handovers {
            let day = first + Duration::days(*offset);
            let h = Handover { served: vec![day], next_day: day + Duration::days(1), gaps: vec![], ..h.clone() };
            let mut record = h.render(day);
            // Some records lose their round line, some their Next line (no state either way).
            let lost = match damage {
                0 => "Round ",
                1 => "- Next: ",
                _ => "\0",
            };
            record = record.lines().filter(|l| !l.starts_with(lost)).map(|l| format!("{l}\n")).collect();
            log_record(&mut log, day, &record);
        }
        let written = history::parse(&log);
        for index in &taken_back {
            let record = index.get(&written.records);
            let day = record.written.unwrap();
            log_record(&mut log, day, &history::take_back(at(day, (23, 58)), "x", record));
        }
        let duplicates = written.duplicates(zone);
        if correct && !duplicates.is_empty() {
            log_record(&mut log, first, &history::correction(at(first, (23, 59)), "y", &duplicates));
        }
        if miscorrect && written.records.len() > 1 {
            let (standing, void) = (&written.records[0], &written.records[1]);
            let wrong = history::Duplicate { standing, void, days: vec![], settled: false };
            log_record(&mut log, first, &history::correction(at(first, (23, 57)), "z", &[wrong]));
        }
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &log).unwrap();
        let days: Vec<NaiveDate> = override_days.iter().map(|d| first + Duration::days(*d)).collect();
        let whole = history::parse(&log);
        let (subset, _) = crate::whole_log::read_keeping(file.path(), &days, kept).unwrap();
        prop_assert_eq!(check_answers(&subset, zone, &days), check_answers(&whole, zone, &days));
    }


    /// A log of days of entries, with handovers between them, reads back entry for entry, in
    /// one section per day; `rota log` (no text) shows each day's entries.
    #[test]
    fn a_log_of_entries_and_handovers_reads_back_entry_for_entry_in_one_section_per_day(
        writes in proptest::collection::vec(
            (0i64..3, minute(), 0usize..3, any_text(), any::<bool>()),
            1..30,
        ),
        h in handover(),
    ) {
        let authors = ["alice", "bob", "carol-2"];
        let mut log = crate::logformat::new_log_header("T");
        let mut day = date("2026-11-23");
        let mut written = Vec::new();
        for (later, time, author, text, then_hand_over) in &writes {
            day += Duration::days(*later);
            log_entry(&mut log, day, at(day, *time), authors[*author], text);
            written.push(Entry {
                day,
                item: false,
                time: format!("{:02}:{:02}", time.0, time.1),
                author: authors[*author].to_string(),
                text: as_logged(text),
            });
            if *then_hand_over {
                log_record(&mut log, day, &h.render(day));
            }
        }
        // The records' open items read as items, not as entries of the day.
        let read: Vec<Entry> = logbook::entries(log.as_bytes())
            .map(Result::unwrap)
            .filter(|e| !e.item)
            .collect();
        prop_assert_eq!(&read, &written);
        // On a forge every entry reads as its day's: the heading above it is the day's, or a
        // `### Log` heading, never a record's.
        let mut under = "";
        for line in log.lines() {
            if line.starts_with('#') {
                under = line;
            } else if crate::logformat::entry_parts(line).is_some() {
                prop_assert!(
                    under.starts_with("## ") || crate::logformat::is_log_heading(under),
                    "{line:?} under {under:?}"
                );
            }
        }
        let mut days: Vec<NaiveDate> = written.iter().map(|e| e.day).collect();
        days.dedup();
        let headings = log.lines().filter(|l| l.starts_with("## ")).count();
        prop_assert_eq!(headings, days.len(), "{}", log);
        let tail = Tail::from_text(&log);
        for day in days {
            let shown: Vec<String> = written
                .iter()
                .filter(|e| e.day == day)
                .map(|e| format!("{} UTC {}: {}", e.time, e.author, e.text))
                .collect();
            prop_assert_eq!(tail.entries_on(day), shown);
        }
    }
}

/// Everything `rota check` reads from a history, by line number: the duplicates, the idle
/// corrections and take-backs, the records without a round, the last standing record and the
/// state before it, the checkpoint, and who served each of `days`.
type CheckAnswers = (
    Vec<(usize, usize, Vec<NaiveDate>, bool)>,
    Vec<usize>,
    Vec<usize>,
    Vec<usize>,
    Option<(usize, Option<State>)>,
    Option<State>,
    Vec<Option<usize>>,
);

fn check_answers(
    history: &history::History,
    zone: chrono_tz::Tz,
    days: &[NaiveDate],
) -> CheckAnswers {
    let standing = history.standing(zone);
    let last = standing
        .split_last()
        .map(|(last, earlier)| (last.line, earlier.iter().rev().find_map(|r| r.state(7))));
    (
        history
            .duplicates(zone)
            .iter()
            .map(|d| (d.standing.line, d.void.line, d.days.clone(), d.settled))
            .collect(),
        history
            .idle_voids(zone)
            .iter()
            .map(|(v, _)| v.line)
            .collect(),
        history
            .idle_take_backs(chrono_tz::UTC)
            .iter()
            .map(|(v, _)| v.line)
            .collect(),
        history
            .records
            .iter()
            .filter(|r| r.round.is_none())
            .map(|r| r.line)
            .collect(),
        last,
        history.checkpoint(7, zone),
        days.iter()
            .map(|d| history.served(*d, zone).map(|r| r.line))
            .collect(),
    )
}
