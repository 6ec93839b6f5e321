//! Reading calendar files (iCalendar, RFC 5545) for import: a public-holiday calendar
//! (`rota holidays import`) or someone's own calendar export (`rota away --import`). Writing the
//! team's feeds is another matter, done by the binary's `ics` module; nothing here writes.
//!
//! What the calendar applications export: Google (all-day events as `VALUE=DATE`, IANA `TZID`s,
//! `RRULE` with `UNTIL` in UTC, modified occurrences as `RECURRENCE-ID`), Outlook (Windows zone
//! names such as `W. Europe Standard Time` with a `VTIMEZONE`, `X-MICROSOFT-CDO-BUSYSTATUS`,
//! `X-MICROSOFT-CDO-ALLDAYEVENT`), Thunderbird (`TZID` with its own `VTIMEZONE`, `EXDATE`).
//! Lines are unfolded (a line starting with a space or a tab continues the one before).
//!
//! A calendar file is untrusted input: it is read up to [`MAX_BYTES`], [`MAX_LINES`] and
//! [`MAX_EVENTS`], and recurrence rules expand to at most [`MAX_INSTANCES`] instances; beyond,
//! the file is refused with an error that says which limit. Recurrences expand only within the
//! window asked for (from a day to a day), so an endless rule costs what its window holds.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

use crate::error::{Error, Location, Result};

/// The largest calendar file rota reads (8 MiB: years of a busy calendar).
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;
/// The most lines (as written, folded) a calendar file may have.
pub const MAX_LINES: usize = 200_000;
/// The most events (`VEVENT`s) a calendar file may hold.
pub const MAX_EVENTS: usize = 20_000;
/// The most recurrence instances all the rules of a file may expand to, counted from each
/// rule's start (or from where the window begins, for a rule without `COUNT`).
pub const MAX_INSTANCES: usize = 100_000;
/// How far ahead an import reads a calendar: a year from today. A rerun later takes in what
/// has come within reach (the next year's holidays, an absence booked far ahead).
pub const WINDOW_DAYS: i64 = 365;

/// The days an import reads at `today`: from today to [`WINDOW_DAYS`] ahead, both included.
pub fn window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today, today + Duration::days(WINDOW_DAYS))
}

/// Components nest at most this deep (`VCALENDAR`, `VEVENT`, `VALARM`...).
const MAX_DEPTH: usize = 8;

/// A calendar file read for import: its events, and where they were written.
#[derive(Debug)]
pub struct Calendar {
    /// The application that wrote it (`PRODID`), if it says.
    pub product: Option<String>,
    pub events: Vec<Event>,
}

/// One `VEVENT` as written: the properties an import reads.
#[derive(Debug, Clone)]
pub struct Event {
    /// The line of its `BEGIN:VEVENT` (1-based, as the file is written).
    pub line: usize,
    pub uid: Option<String>,
    pub summary: Option<String>,
    start: Option<When>,
    end: Option<When>,
    duration: Option<Duration>,
    /// `TRANSP:TRANSPARENT`, or Outlook's busy status `FREE` (or `WORKINGELSEWHERE`).
    pub free: bool,
    /// `STATUS:CANCELLED`.
    pub cancelled: bool,
    /// Outlook's `X-MICROSOFT-CDO-ALLDAYEVENT:TRUE`: a day from midnight to midnight.
    all_day_flag: bool,
    rule: Option<std::result::Result<Rule, String>>,
    exdates: Vec<When>,
    recurrence_id: Option<When>,
}

/// A date or a time as an event gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    /// `VALUE=DATE`: a day, wherever one is.
    Date(NaiveDate),
    /// A wall-clock time in a zone (`None`: floating, the reader's own zone).
    Time(NaiveDateTime, Option<Zone>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    Utc,
    Named(Tz),
    Fixed(FixedOffset),
}

/// What an occurrence covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// All-day: from `first` to `last`, both inclusive.
    Days { first: NaiveDate, last: NaiveDate },
    /// From one instant to another (the end excluded).
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
}

/// One occurrence of an event: the event's own dates, or one instance of its recurrence.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// The line of the event's `BEGIN:VEVENT`.
    pub line: usize,
    pub summary: Option<String>,
    /// The event is marked free (not busy): `TRANSP:TRANSPARENT`, or busy status `FREE`.
    pub free: bool,
    pub span: Span,
}

/// The events of a calendar within a window of days, each recurrence expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    /// How many events the file holds.
    pub events: usize,
    /// Events cancelled (`STATUS:CANCELLED`), not expanded.
    pub cancelled: usize,
    /// Events with no occurrence in the window.
    pub outside: usize,
    /// Events rota cannot read: their line and why.
    pub unsupported: Vec<(usize, String)>,
    /// The occurrences that touch the window, in the file's order.
    pub occurrences: Vec<Occurrence>,
}

/// What an import did with each event: taken when any of its occurrences was, else skipped
/// for the reason its last occurrence was. So a weekly meeting is one event skipped, not fifty.
#[derive(Debug)]
pub struct Tally<R> {
    taken: std::collections::HashSet<usize>,
    skipped: HashMap<usize, R>,
}

impl<R> Default for Tally<R> {
    fn default() -> Self {
        Tally {
            taken: std::collections::HashSet::new(),
            skipped: HashMap::new(),
        }
    }
}

impl<R: Copy> Tally<R> {
    /// An occurrence of the event at `line` was taken.
    pub fn take(&mut self, line: usize) {
        self.taken.insert(line);
    }

    /// An occurrence of the event at `line` was skipped, for `why`.
    pub fn skip(&mut self, line: usize, why: R) {
        self.skipped.insert(line, why);
    }

    /// Why each event none of whose occurrences was taken was skipped: one reason an event.
    pub fn skipped(&self) -> impl Iterator<Item = R> + '_ {
        self.skipped
            .iter()
            .filter(|(line, _)| !self.taken.contains(line))
            .map(|(_, why)| *why)
    }
}

/// Reads and parses the calendar file at `path` (a regular file: a FIFO or a device in its
/// place is refused, not waited on), bounded by [`MAX_BYTES`].
pub fn read(path: &Path) -> Result<Calendar> {
    use std::io::Read;
    let file = crate::open::regular(path).map_err(|e| Error::io("read", path, &e))?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, &e))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Error::invalid(format!(
            "{} is larger than {} MiB, more than rota reads from a calendar",
            path.display(),
            MAX_BYTES >> 20
        ))
        .hint("export a shorter range of the calendar (the coming year is enough)"));
    }
    parse(path, &String::from_utf8_lossy(&bytes))
}

/// One unfolded line: its text, its first line's number and byte range as written.
struct Line {
    text: String,
    number: usize,
    at: Range<usize>,
}

/// The lines of `text`, unfolded: a line that begins with a space or a tab continues the one
/// before (RFC 5545, 3.1). CRLF and LF both end a line.
fn unfold(path: &Path, text: &str) -> Result<Vec<Line>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut offset = 0;
    for (count, raw) in text.split_inclusive('\n').enumerate() {
        if count >= MAX_LINES {
            return Err(Error::invalid(format!(
                "{} has more than {MAX_LINES} lines, more than rota reads from a calendar",
                path.display()
            ))
            .hint("export a shorter range of the calendar (the coming year is enough)"));
        }
        let start = offset;
        offset += raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        match (content.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.text.push_str(rest),
            _ if content.trim().is_empty() => {}
            _ => lines.push(Line {
                text: content.to_string(),
                number: count + 1,
                at: start..start + content.len(),
            }),
        }
    }
    Ok(lines)
}

/// A content line: `NAME;PARAM=VALUE;...:VALUE`, the name and parameter names in upper case.
struct Property<'a> {
    name: String,
    params: Vec<(String, &'a str)>,
    value: &'a str,
}

impl Property<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim_matches('"'))
    }
}

/// Splits a content line; `None` when it has no `:` outside quotes.
fn property(line: &str) -> Option<Property<'_>> {
    let mut quoted = false;
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&line[start..i]);
                start = i + 1;
            }
            ':' if !quoted => {
                parts.push(&line[start..i]);
                let (name, params) = parts.split_first()?;
                let params = params
                    .iter()
                    .filter_map(|p| p.split_once('='))
                    .map(|(n, v)| (n.trim().to_ascii_uppercase(), v))
                    .collect();
                return Some(Property {
                    name: name.trim().to_ascii_uppercase(),
                    params,
                    value: &line[i + 1..],
                });
            }
            _ => {}
        }
    }
    None
}

/// Parses a calendar's text: its events with the properties an import reads. Errors say where
/// (`FILE:LINE:COLUMN`).
pub fn parse(path: &Path, text: &str) -> Result<Calendar> {
    let lines = unfold(path, text)?;
    let at = |line: &Line| Location::of(path, text, line.at.clone());
    // Time zones a file defines for itself (Outlook's Windows names): the standard offset.
    let mut defined: HashMap<String, FixedOffset> = HashMap::new();
    let mut stack: Vec<String> = Vec::new();
    let mut product = None;
    // Events as written, read once every time zone the file defines is known.
    let mut written: Vec<(Event, Vec<(usize, Property)>)> = Vec::new();
    let mut event: Option<(Event, Vec<(usize, Property)>)> = None;
    let mut zone_id: Option<String> = None;
    let mut zone_offset: Option<FixedOffset> = None;
    let mut seen_calendar = false;
    for (index, line) in lines.iter().enumerate() {
        let Some(prop) = property(&line.text) else {
            return Err(Error::invalid(format!(
                "{} is not an iCalendar file: a line has no `:`",
                path.display()
            ))
            .at(at(line))
            .hint("export the calendar as .ics (iCalendar) and import that file"));
        };
        match prop.name.as_str() {
            "BEGIN" => {
                let component = prop.value.trim().to_ascii_uppercase();
                if stack.is_empty() && component != "VCALENDAR" {
                    return Err(not_a_calendar(path, at(line)));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::invalid(format!(
                        "{}: components nest more than {MAX_DEPTH} deep",
                        path.display()
                    ))
                    .at(at(line))
                    .hint("a calendar export nests a few components; this file is not one"));
                }
                seen_calendar = true;
                if component == "VEVENT" && stack.last().is_some_and(|c| c == "VCALENDAR") {
                    if written.len() >= MAX_EVENTS {
                        return Err(Error::invalid(format!(
                            "{} holds more than {MAX_EVENTS} events, more than rota reads",
                            path.display()
                        ))
                        .at(at(line))
                        .hint(
                            "export a shorter range of the calendar (the coming year is enough)",
                        ));
                    }
                    event = Some((Event::at(line.number), Vec::new()));
                }
                stack.push(component);
            }
            "END" => {
                let component = prop.value.trim().to_ascii_uppercase();
                if stack.last() != Some(&component) {
                    return Err(Error::invalid(format!(
                        "{}: END:{component} does not close the component open here",
                        path.display()
                    ))
                    .at(at(line))
                    .hint("the file is cut or broken: export the calendar again"));
                }
                stack.pop();
                match component.as_str() {
                    "VEVENT" if stack.last().is_some_and(|c| c == "VCALENDAR") => {
                        written.extend(event.take());
                    }
                    "STANDARD" | "DAYLIGHT" => {}
                    "VTIMEZONE" => {
                        if let (Some(id), Some(offset)) = (zone_id.take(), zone_offset.take()) {
                            defined.insert(id, offset);
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                let inside = stack.last().map(String::as_str);
                match inside {
                    Some("VEVENT") => {
                        if let Some((_, props)) = event.as_mut() {
                            props.push((index, prop));
                        }
                    }
                    Some("VCALENDAR") if prop.name == "PRODID" => {
                        product = Some(prop.value.trim().to_string());
                    }
                    Some("VTIMEZONE") if prop.name == "TZID" => {
                        zone_id = Some(prop.value.trim().to_string());
                    }
                    // The standard offset wins; daylight only when there is no other.
                    Some(part @ ("STANDARD" | "DAYLIGHT"))
                        if prop.name == "TZOFFSETTO"
                            && (part == "STANDARD" || zone_offset.is_none()) =>
                    {
                        zone_offset = utc_offset(prop.value.trim());
                    }
                    _ => {}
                }
            }
        }
    }
    if !seen_calendar {
        return Err(Error::invalid(format!(
            "{} is not an iCalendar file: it has no BEGIN:VCALENDAR",
            path.display()
        ))
        .hint("export the calendar as .ics (iCalendar) and import that file"));
    }
    if let (Some(open), Some(last)) = (stack.last(), lines.last()) {
        return Err(Error::invalid(format!(
            "{} ends inside {open}: the file is cut",
            path.display()
        ))
        .at(at(last))
        .hint("export the calendar again"));
    }
    let mut events = Vec::with_capacity(written.len());
    for (mut event, props) in written {
        for (i, prop) in props {
            event.read(&prop, &defined).map_err(|why| {
                Error::invalid(format!("{}: {why}", path.display()))
                    .at(at(&lines[i]))
                    .hint("fix or remove this event in the calendar, then export it again")
            })?;
        }
        events.push(event);
    }
    Ok(Calendar { product, events })
}

fn not_a_calendar(path: &Path, at: Location) -> Error {
    Error::invalid(format!(
        "{} is not an iCalendar file: it does not begin with BEGIN:VCALENDAR",
        path.display()
    ))
    .at(at)
    .hint("export the calendar as .ics (iCalendar) and import that file")
}

/// `+0100`, `-0500`, `+053000`.
fn utc_offset(text: &str) -> Option<FixedOffset> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |r: Range<usize>| digits.get(r).and_then(|d| d.parse::<i32>().ok());
    let seconds = number(0..2)? * 3600 + number(2..4)? * 60 + number(4..6).unwrap_or(0);
    FixedOffset::east_opt(sign * seconds)
}

impl Event {
    fn at(line: usize) -> Event {
        Event {
            line,
            uid: None,
            summary: None,
            start: None,
            end: None,
            duration: None,
            free: false,
            cancelled: false,
            all_day_flag: false,
            rule: None,
            exdates: Vec::new(),
            recurrence_id: None,
        }
    }

    /// Takes in one of the event's properties; `Err` says what is wrong with its value.
    fn read(
        &mut self,
        prop: &Property,
        defined: &HashMap<String, FixedOffset>,
    ) -> std::result::Result<(), String> {
        let value = prop.value.trim();
        match prop.name.as_str() {
            "UID" => self.uid = Some(value.to_string()),
            "SUMMARY" => self.summary = Some(unescape(value)),
            "DTSTART" => self.start = Some(when(prop, value, defined)?),
            "DTEND" => self.end = Some(when(prop, value, defined)?),
            "DURATION" => {
                self.duration =
                    Some(duration(value).ok_or(format!("DURATION {value:?} is not a duration"))?);
            }
            "RECURRENCE-ID" => self.recurrence_id = Some(when(prop, value, defined)?),
            "EXDATE" => {
                for one in value.split(',').filter(|v| !v.trim().is_empty()) {
                    self.exdates.push(when(prop, one.trim(), defined)?);
                }
            }
            "RRULE" => self.rule = Some(Rule::parse(value)),
            "STATUS" => self.cancelled = value.eq_ignore_ascii_case("CANCELLED"),
            "TRANSP" => self.free |= value.eq_ignore_ascii_case("TRANSPARENT"),
            "X-MICROSOFT-CDO-BUSYSTATUS" => {
                self.free |= ["FREE", "WORKINGELSEWHERE"]
                    .iter()
                    .any(|s| value.eq_ignore_ascii_case(s));
            }
            "X-MICROSOFT-CDO-ALLDAYEVENT" => {
                self.all_day_flag = value.eq_ignore_ascii_case("TRUE");
            }
            _ => {}
        }
        Ok(())
    }
}

/// A text value with its escapes (`\n`, `\,`, `\;`, `\\`) read.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A `DATE` or `DATE-TIME` value, in the zone its `TZID` names (or UTC with `Z`, or floating).
fn when(
    prop: &Property,
    value: &str,
    defined: &HashMap<String, FixedOffset>,
) -> std::result::Result<When, String> {
    let bad = || format!("{} {value:?} is not a date or a date-time", prop.name);
    let is_date = prop
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        || (value.len() == 8 && !value.contains('T'));
    if is_date {
        let day = NaiveDate::parse_from_str(value.get(..8).ok_or_else(bad)?, "%Y%m%d")
            .map_err(|_| bad())?;
        return in_range(day).map(When::Date).ok_or_else(bad);
    }
    let (text, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(text) => (text, true),
        None => (value, false),
    };
    let time = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
    in_range(time.date()).ok_or_else(bad)?;
    let zone = match (utc, prop.param("TZID")) {
        (true, _) => Some(Zone::Utc),
        (false, None) => None,
        (false, Some(id)) => Some(zone(id, defined).ok_or_else(|| {
            format!("unknown time zone {id:?}: neither an IANA name nor defined in the file")
        })?),
    };
    Ok(When::Time(time, zone))
}

/// A date of a calendar: any of four digits' years (a yearly holiday may start in 1970);
/// what rota keeps of it lies in its window.
fn in_range(day: NaiveDate) -> Option<NaiveDate> {
    (1000..=9999).contains(&day.year()).then_some(day)
}

/// The zone a `TZID` names: an IANA name (also at the end of a path, as older Thunderbird
/// writes `/mozilla.org/20050126_1/Europe/Berlin`), a Windows name Outlook writes, or one the
/// file defines in a `VTIMEZONE` (its standard offset).
fn zone(id: &str, defined: &HashMap<String, FixedOffset>) -> Option<Zone> {
    let id = id.trim().trim_matches('"');
    if id.eq_ignore_ascii_case("UTC") || id.eq_ignore_ascii_case("GMT") {
        return Some(Zone::Utc);
    }
    // An IANA name has at most three parts: only the last three of a path are tried (trying
    // every tail of a crafted TZID of many parts cost its length squared).
    let parts: Vec<&str> = id.rsplitn(4, '/').collect();
    for n in (1..=parts.len().min(3)).rev() {
        let name: Vec<&str> = parts[..n].iter().rev().copied().collect();
        if let Ok(tz) = name.join("/").parse::<Tz>() {
            return Some(Zone::Named(tz));
        }
    }
    if let Some((_, iana)) = WINDOWS_ZONES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(id))
    {
        return iana.parse::<Tz>().ok().map(Zone::Named);
    }
    defined.get(id).copied().map(Zone::Fixed)
}

/// The Windows zone names Outlook writes as `TZID`, and their IANA zones (from CLDR's
/// windowsZones, the most used).
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("UTC", "UTC"),
    ("Coordinated Universal Time", "UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("Romance Standard Time", "Europe/Paris"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("India Standard Time", "Asia/Kolkata"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
];

/// `P1D`, `PT1H30M`, `P2W`, `-PT15M` (RFC 5545, 3.3.6).
fn duration(text: &str) -> Option<Duration> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let rest = rest.strip_prefix('P')?;
    let mut total = 0i64;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() => in_time = true,
            unit => {
                let n: i64 = number.parse().ok().filter(|n| *n <= 100_000)?;
                number.clear();
                total += n * match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
            }
        }
    }
    number.is_empty().then(|| Duration::seconds(sign * total))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A recurrence rule (`RRULE`) of the parts rota expands: `FREQ` (daily to yearly),
/// `INTERVAL`, `COUNT`, `UNTIL`, `BYDAY` (with an ordinal in monthly and yearly rules),
/// `BYMONTH`, `BYMONTHDAY` and `WKST`.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    freq: Freq,
    interval: u32,
    count: Option<u32>,
    until: Option<String>,
    by_day: Vec<(Option<i32>, Weekday)>,
    by_month: Vec<u32>,
    by_month_day: Vec<i32>,
    week_start: Weekday,
}

impl Rule {
    /// `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR`; `Err` names the part rota does not expand.
    fn parse(text: &str) -> std::result::Result<Rule, String> {
        let mut rule = Rule {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            by_month: Vec::new(),
            by_month_day: Vec::new(),
            week_start: Weekday::Mon,
        };
        let mut freq = None;
        for part in text.split(';').filter(|p| !p.trim().is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or(format!("RRULE part {part:?} is not KEY=VALUE"))?;
            let value = value.trim();
            let bad = || format!("RRULE {key}={value} is not valid");
            match key.trim().to_ascii_uppercase().as_str() {
                "FREQ" => {
                    freq = Some(match value.to_ascii_uppercase().as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        other => return Err(format!("RRULE FREQ={other} is not expanded")),
                    });
                }
                "INTERVAL" => {
                    rule.interval = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or_else(bad)?;
                }
                "COUNT" => rule.count = Some(value.parse().map_err(|_| bad())?),
                "UNTIL" => rule.until = Some(value.to_string()),
                "BYDAY" => {
                    for day in value.split(',') {
                        rule.by_day.push(by_day(day.trim()).ok_or_else(bad)?);
                    }
                }
                "BYMONTH" => {
                    for month in value.split(',') {
                        let month: u32 = month.trim().parse().map_err(|_| bad())?;
                        if !(1..=12).contains(&month) {
                            return Err(bad());
                        }
                        rule.by_month.push(month);
                    }
                }
                "BYMONTHDAY" => {
                    for day in value.split(',') {
                        let day: i32 = day.trim().parse().map_err(|_| bad())?;
                        if day == 0 || !(-31..=31).contains(&day) {
                            return Err(bad());
                        }
                        rule.by_month_day.push(day);
                    }
                }
                "WKST" => rule.week_start = weekday(value).ok_or_else(bad)?,
                other => return Err(format!("RRULE part {other} is not expanded")),
            }
        }
        rule.freq = freq.ok_or("RRULE has no FREQ")?;
        let ordinal = rule.by_day.iter().any(|(n, _)| n.is_some());
        match rule.freq {
            Freq::Daily | Freq::Weekly if ordinal => {
                return Err("RRULE BYDAY with a number needs FREQ=MONTHLY or YEARLY".into());
            }
            Freq::Weekly if !rule.by_month_day.is_empty() => {
                return Err("RRULE BYMONTHDAY is not valid with FREQ=WEEKLY".into());
            }
            Freq::Yearly
                if rule.by_month.is_empty()
                    && (!rule.by_day.is_empty() || !rule.by_month_day.is_empty()) =>
            {
                return Err(
                    "RRULE FREQ=YEARLY with BYDAY or BYMONTHDAY but no BYMONTH is not expanded"
                        .into(),
                );
            }
            _ => {}
        }
        Ok(rule)
    }
}

/// `MO`, `2TU`, `-1FR`.
fn by_day(text: &str) -> Option<(Option<i32>, Weekday)> {
    let split = text.len().checked_sub(2)?;
    let (number, day) = text.split_at_checked(split)?;
    let day = weekday(day)?;
    if number.is_empty() {
        return Some((None, day));
    }
    let n: i32 = number.parse().ok()?;
    (n != 0 && (-53..=53).contains(&n)).then_some((Some(n), day))
}

fn weekday(text: &str) -> Option<Weekday> {
    let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let i = days.iter().position(|d| d.eq_ignore_ascii_case(text))?;
    Weekday::try_from(i as u8).ok()
}

/// The first day of the month `months` after January of year 0.
fn month_start(months: i64) -> Option<NaiveDate> {
    let year = i32::try_from(months.div_euclid(12)).ok()?;
    NaiveDate::from_ymd_opt(year, months.rem_euclid(12) as u32 + 1, 1)
}

fn month_index(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 12 + i64::from(day.month0())
}

fn days_in_month(first: NaiveDate) -> u32 {
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    u32::try_from((next - first).num_days()).unwrap_or(31)
}

impl Rule {
    /// The days of one month the rule picks (its `BYMONTHDAY` and `BYDAY`, or `start`'s day of
    /// the month), in order.
    fn days_of_month(&self, first: NaiveDate, start: NaiveDate) -> Vec<NaiveDate> {
        let length = days_in_month(first);
        let all = (0..length).map(|i| first + Duration::days(i64::from(i)));
        let by_month_day = |day: NaiveDate| {
            self.by_month_day.is_empty()
                || self.by_month_day.iter().any(|&n| {
                    let n = if n > 0 { n } else { length as i32 + 1 + n };
                    day.day() as i32 == n
                })
        };
        let by_day = |day: NaiveDate| {
            self.by_day.is_empty()
                || self.by_day.iter().any(|&(n, weekday)| {
                    if day.weekday() != weekday {
                        return false;
                    }
                    match n {
                        None => true,
                        Some(n) if n > 0 => (day.day() as i32 - 1) / 7 + 1 == n,
                        Some(n) => (length as i32 - day.day() as i32) / 7 + 1 == -n,
                    }
                })
        };
        if self.by_day.is_empty() && self.by_month_day.is_empty() {
            return all.filter(|d| d.day() == start.day()).collect();
        }
        all.filter(|d| by_month_day(*d) && by_day(*d)).collect()
    }

    /// The candidate days of the `k`th period (day, week, month or year, `interval` apart)
    /// from `start`'s, in order; the first day of the period.
    fn period(&self, start: NaiveDate, k: i64) -> Option<(NaiveDate, Vec<NaiveDate>)> {
        let step = k * i64::from(self.interval);
        let in_month =
            |d: &NaiveDate| self.by_month.is_empty() || self.by_month.contains(&d.month());
        match self.freq {
            Freq::Daily => {
                let day = start.checked_add_signed(Duration::days(step))?;
                let weekday_ok =
                    self.by_day.is_empty() || self.by_day.iter().any(|(_, w)| *w == day.weekday());
                let month_day_ok = self.by_month_day.is_empty()
                    || self.days_of_month(day.with_day(1)?, start).contains(&day);
                let keep = weekday_ok && month_day_ok && in_month(&day);
                Some((day, if keep { vec![day] } else { vec![] }))
            }
            Freq::Weekly => {
                let back = (7 + start.weekday().num_days_from_monday()
                    - self.week_start.num_days_from_monday())
                    % 7;
                let first = start.checked_add_signed(Duration::days(7 * step - i64::from(back)))?;
                let week = (0..7).map(|i| first + Duration::days(i));
                let days = if self.by_day.is_empty() {
                    week.filter(|d| d.weekday() == start.weekday())
                        .collect::<Vec<_>>()
                } else {
                    week.filter(|d| self.by_day.iter().any(|(_, w)| *w == d.weekday()))
                        .collect()
                };
                Some((first, days.into_iter().filter(in_month).collect()))
            }
            Freq::Monthly => {
                let first = month_start(month_index(start) + step)?;
                let days = if in_month(&first) {
                    self.days_of_month(first, start)
                } else {
                    vec![]
                };
                Some((first, days))
            }
            Freq::Yearly => {
                let year = start.year().checked_add(i32::try_from(step).ok()?)?;
                let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
                let months: Vec<u32> = if self.by_month.is_empty() {
                    vec![start.month()]
                } else {
                    let mut months = self.by_month.clone();
                    months.sort_unstable();
                    months
                };
                let mut days = Vec::new();
                for month in months {
                    let month_first = NaiveDate::from_ymd_opt(year, month, 1)?;
                    days.extend(self.days_of_month(month_first, start));
                }
                Some((first, days))
            }
        }
    }

    /// The first period worth looking at for days from `from` on, for a rule without `COUNT`
    /// (which must be counted from its start).
    fn first_period(&self, start: NaiveDate, from: NaiveDate) -> i64 {
        if self.count.is_some() || from <= start {
            return 0;
        }
        let interval = i64::from(self.interval);
        let periods = match self.freq {
            Freq::Daily => (from - start).num_days(),
            Freq::Weekly => (from - start).num_days() / 7,
            Freq::Monthly => month_index(from) - month_index(start),
            Freq::Yearly => i64::from(from.year() - start.year()),
        };
        (periods / interval - 1).max(0)
    }
}

impl Calendar {
    /// Every event's occurrences that touch the days `from` to `until` (inclusive; timed ones
    /// are kept when within a day of them, for the caller to place in its own zone).
    /// Recurrences are expanded with their `EXDATE`s and modified occurrences
    /// (`RECURRENCE-ID`) left out. Floating times are read in `floating`.
    pub fn expand(
        &self,
        path: &Path,
        from: NaiveDate,
        until: NaiveDate,
        floating: Tz,
    ) -> Result<Expanded> {
        let mut expanded = Expanded {
            events: self.events.len(),
            ..Expanded::default()
        };
        // Occurrences a modified instance replaces: by UID, where they would start.
        let mut replaced: HashMap<&str, Vec<When>> = HashMap::new();
        for event in &self.events {
            if let (Some(uid), Some(id)) = (&event.uid, event.recurrence_id) {
                replaced.entry(uid.as_str()).or_default().push(id);
            }
        }
        let mut budget = MAX_INSTANCES;
        for event in &self.events {
            if event.cancelled {
                expanded.cancelled += 1;
                continue;
            }
            let Some(start) = event.start else {
                expanded
                    .unsupported
                    .push((event.line, "the event has no DTSTART".into()));
                continue;
            };
            let excluded: Vec<When> = event
                .exdates
                .iter()
                .copied()
                .chain(
                    event
                        .uid
                        .as_deref()
                        .filter(|_| event.recurrence_id.is_none())
                        .and_then(|uid| replaced.get(uid))
                        .into_iter()
                        .flatten()
                        .copied(),
                )
                .collect();
            let starts = match (&event.rule, event.recurrence_id) {
                (Some(Err(why)), None) => {
                    expanded.unsupported.push((event.line, why.clone()));
                    continue;
                }
                (Some(Ok(rule)), None) => {
                    // An instance starting before the window may last into it.
                    let since = from - Duration::days(event.length_days());
                    instances(rule, start, since, until, floating, &mut budget).map_err(|()| {
                        Error::invalid(format!(
                            "the recurring events of {} expand to more than {MAX_INSTANCES} instances, more than rota reads",
                            path.display()
                        ))
                        .hint("export a shorter range of the calendar (the coming year is enough)")
                    })?
                }
                _ => vec![start],
            };
            let before = expanded.occurrences.len();
            for at in starts {
                if excluded.iter().any(|x| same_start(*x, at, floating)) {
                    continue;
                }
                let Some(span) = event.span_from(at, floating) else {
                    continue;
                };
                if touches(span, from, until) {
                    expanded.occurrences.push(Occurrence {
                        line: event.line,
                        summary: event.summary.clone(),
                        free: event.free,
                        span,
                    });
                }
            }
            if expanded.occurrences.len() == before {
                expanded.outside += 1;
            }
        }
        Ok(expanded)
    }
}

/// Whether an `EXDATE` (or a `RECURRENCE-ID`) names the instance starting `at`.
fn same_start(excluded: When, at: When, floating: Tz) -> bool {
    match (excluded, at) {
        (When::Date(x), When::Date(a)) => x == a,
        (When::Date(x), When::Time(a, _)) => x == a.date(),
        (When::Time(x, _), When::Date(a)) => x.date() == a,
        (x @ When::Time(..), a @ When::Time(..)) => {
            instant(x, floating).is_some() && instant(x, floating) == instant(a, floating)
        }
    }
}

/// Whether `span` touches the days `from..=until` (timed spans: within a day of them).
fn touches(span: Span, from: NaiveDate, until: NaiveDate) -> bool {
    match span {
        Span::Days { first, last } => first <= until && from <= last,
        Span::Timed { start, end } => {
            start.date_naive() <= until + Duration::days(1)
                && from - Duration::days(1) <= end.date_naive()
        }
    }
}

/// The instant a wall-clock time is in its zone (the first, when it occurs twice; the end of
/// the gap, when the clocks skip it).
fn instant(when: When, floating: Tz) -> Option<DateTime<Utc>> {
    let When::Time(local, zone) = when else {
        return None;
    };
    fn resolve<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        (0..=180).find_map(|minutes| {
            zone.from_local_datetime(&(local + Duration::minutes(minutes)))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        })
    }
    match zone {
        Some(Zone::Utc) => Some(local.and_utc()),
        Some(Zone::Named(tz)) => resolve(&tz, local),
        Some(Zone::Fixed(offset)) => resolve(&offset, local),
        None => resolve(&floating, local),
    }
}

/// The starts of a recurring event from `from` on, up to `until` (and a day, for time zones),
/// counting the instances before `from` its `COUNT` needs. `Err` when the budget of instances
/// runs out.
fn instances(
    rule: &Rule,
    start: When,
    from: NaiveDate,
    until: NaiveDate,
    floating: Tz,
    budget: &mut usize,
) -> std::result::Result<Vec<When>, ()> {
    let (start_day, time) = match start {
        When::Date(day) => (day, None),
        When::Time(t, zone) => (t.date(), Some((t.time(), zone))),
    };
    let at = |day: NaiveDate| match time {
        None => When::Date(day),
        Some((time, zone)) => When::Time(day.and_time(time), zone),
    };
    let last_day = until + Duration::days(1);
    let ends_by = rule.until.as_deref().and_then(|text| {
        let (prop, value) = (
            Property {
                name: "UNTIL".into(),
                params: vec![],
                value: text,
            },
            text,
        );
        when(&prop, value, &HashMap::new()).ok()
    });
    let within_until = |candidate: When| match (ends_by, candidate) {
        (None, _) => true,
        (Some(When::Date(u)), c) => day_of(c) <= u,
        (Some(u @ When::Time(..)), When::Date(c)) => {
            // An all-day rule with a time as UNTIL (Google writes them): the date in UTC.
            instant(u, floating).is_none_or(|u| c <= u.date_naive())
        }
        (Some(u @ When::Time(..)), c @ When::Time(..)) => {
            match (instant(c, floating), instant(u, floating)) {
                (Some(c), Some(u)) => c <= u,
                _ => true,
            }
        }
    };
    // The start itself is always the first instance (RFC 5545, 3.8.5.3).
    let mut starts = vec![start];
    let mut counted = 1u64;
    let mut k = rule.first_period(start_day, from);
    while let Some((period_start, days)) = rule.period(start_day, k) {
        if period_start > last_day {
            break;
        }
        *budget = budget.checked_sub(days.len().max(1)).ok_or(())?;
        for day in days.into_iter().filter(|d| *d > start_day) {
            let candidate = at(day);
            if day > last_day || !within_until(candidate) {
                return Ok(starts);
            }
            if rule.count.is_some_and(|n| counted >= u64::from(n)) {
                return Ok(starts);
            }
            counted += 1;
            if day >= from {
                starts.push(candidate);
            }
        }
        k += 1;
    }
    Ok(starts)
}

/// How long before the window an occurrence may start and still reach into it: rota's
/// longest absence.
const MAX_DAYS_BACK: i64 = crate::calendar::MAX_SPAN_DAYS;

fn day_of(when: When) -> NaiveDate {
    match when {
        When::Date(day) => day,
        When::Time(t, _) => t.date(),
    }
}

impl Event {
    /// How many days an occurrence may reach over (at least one, for time zones), at most
    /// rota's longest absence.
    fn length_days(&self) -> i64 {
        let length = match (self.start, self.end, self.duration) {
            (Some(start), Some(end), _) => (day_of(end) - day_of(start)).num_days(),
            (_, None, Some(duration)) => duration.num_days(),
            _ => 0,
        };
        length.clamp(0, MAX_DAYS_BACK) + 1
    }

    /// What the occurrence starting `at` covers: to `DTEND` (shifted as the start is) or for
    /// `DURATION`; an all-day event without either is its one day, a timed one an instant.
    fn span_from(&self, at: When, floating: Tz) -> Option<Span> {
        let start = self.start?;
        match (at, self.all_day_flag) {
            (When::Date(first), _) => {
                let days = match (self.end, self.duration) {
                    (Some(end), _) => (day_of(end) - day_of(start)).num_days(),
                    (None, Some(duration)) => duration.num_days(),
                    (None, None) => 1,
                };
                Some(Span::Days {
                    first,
                    last: first + Duration::days(days.clamp(1, MAX_DAYS_BACK) - 1),
                })
            }
            // Outlook's all-day event: midnight to midnight, in its zone.
            (When::Time(local, _), true) if local.time() == NaiveTime::MIN => {
                let end = match (self.end, self.duration) {
                    (Some(end), _) => day_of(end) - day_of(start),
                    (None, Some(duration)) => Duration::days(duration.num_days()),
                    (None, None) => Duration::days(1),
                };
                Some(Span::Days {
                    first: local.date(),
                    last: local.date() + Duration::days(end.num_days().clamp(1, MAX_DAYS_BACK) - 1),
                })
            }
            (When::Time(..), _) => {
                let begins = instant(at, floating)?;
                let length = match (self.end, self.duration) {
                    (Some(end), _) => instant(end, floating)? - instant(start, floating)?,
                    (None, Some(duration)) => duration,
                    (None, None) => Duration::zero(),
                };
                let length = length.clamp(Duration::zero(), Duration::days(MAX_DAYS_BACK));
                Some(Span::Timed {
                    start: begins,
                    end: begins + length,
                })
            }
        }
    }
}

impl Span {
    /// The days the span keeps someone from work, in their zone `zone` with working hours
    /// `hours`: an all-day span's days; for a timed span, each day whose working hours it
    /// covers whole. `None` when it covers no such day (a meeting).
    pub fn busy_days(
        &self,
        zone: Tz,
        hours: (NaiveTime, NaiveTime),
    ) -> Option<(NaiveDate, NaiveDate)> {
        match *self {
            Span::Days { first, last } => Some((first, last)),
            Span::Timed { start, end } => {
                let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
                let mut first = start.date_naive();
                if start.time() > hours.0 {
                    first = first.succ_opt()?;
                }
                let mut last = end.date_naive();
                if end.time() < hours.1 {
                    last = last.pred_opt()?;
                }
                (first <= last).then_some((first, last))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn calendar(events: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{}END:VCALENDAR\r\n",
            events.replace('\n', "\r\n")
        )
    }

    fn expand(text: &str, from: &str, until: &str) -> Expanded {
        let path = Path::new("cal.ics");
        parse(path, text)
            .unwrap()
            .expand(path, d(from), d(until), chrono_tz::Europe::Prague)
            .unwrap()
    }

    fn days(expanded: &Expanded) -> Vec<(NaiveDate, NaiveDate)> {
        let hours = (
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        );
        expanded
            .occurrences
            .iter()
            .filter_map(|o| o.span.busy_days(chrono_tz::Europe::Prague, hours))
            .collect()
    }

    #[test]
    fn folded_lines_are_unfolded() {
        let text = calendar(
            "BEGIN:VEVENT\nUID:1\nSUMMARY:A long\n  holiday name, folded\nDTSTART;VALUE=DATE:20261224\nEND:VEVENT\n",
        );
        let cal = parse(Path::new("x.ics"), &text).unwrap();
        assert_eq!(
            cal.events[0].summary.as_deref(),
            Some("A long holiday name, folded")
        );
        assert_eq!(cal.events[0].line, 4);
        assert_eq!(cal.product.as_deref(), Some("-//test//EN"));
    }

    #[test]
    fn all_day_multi_day_and_duration() {
        let text = calendar(concat!(
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261221\nDTEND;VALUE=DATE:20261224\nEND:VEVENT\n",
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261228\nDURATION:P2D\nEND:VEVENT\n",
            "BEGIN:VEVENT\nDTSTART:20261230\nEND:VEVENT\n",
        ));
        let expanded = expand(&text, "2026-12-01", "2027-01-31");
        assert_eq!(
            days(&expanded),
            [
                (d("2026-12-21"), d("2026-12-23")),
                (d("2026-12-28"), d("2026-12-29")),
                (d("2026-12-30"), d("2026-12-30"))
            ]
        );
    }

    /// Timed events keep someone away on the days whose working hours they cover whole.
    #[test]
    fn timed_events_cover_the_working_hours_they_span() {
        let text = calendar(concat!(
            // Tue 08:00 to Thu 18:00 Berlin time: all three days.
            "BEGIN:VEVENT\nDTSTART;TZID=W. Europe Standard Time:20261201T080000\nDTEND;TZID=W. Europe Standard Time:20261203T180000\nEND:VEVENT\n",
            // A meeting: no day.
            "BEGIN:VEVENT\nDTSTART:20261207T090000Z\nDTEND:20261207T100000Z\nEND:VEVENT\n",
            // A flight Mon 14:00 UTC to Wed 10:00 UTC: Tue only.
            "BEGIN:VEVENT\nDTSTART:20261214T140000Z\nDTEND:20261216T100000Z\nEND:VEVENT\n",
            // Outlook's all-day event: midnight to midnight.
            "BEGIN:VEVENT\nX-MICROSOFT-CDO-ALLDAYEVENT:TRUE\nDTSTART;TZID=Pacific Standard Time:20261218T000000\nDTEND;TZID=Pacific Standard Time:20261219T000000\nEND:VEVENT\n",
        ));
        let expanded = expand(&text, "2026-12-01", "2026-12-31");
        assert_eq!(
            days(&expanded),
            [
                (d("2026-12-01"), d("2026-12-03")),
                (d("2026-12-15"), d("2026-12-15")),
                (d("2026-12-18"), d("2026-12-18"))
            ]
        );
    }

    /// A zone only the file defines (a name Outlook made up) is its standard offset, wherever
    /// in the file its VTIMEZONE stands.
    #[test]
    fn a_zone_the_file_defines_is_read_even_after_its_events() {
        let text = calendar(concat!(
            "BEGIN:VEVENT\nDTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin\":20261201T000000\n",
            "DTEND;TZID=\"(UTC+01:00) Amsterdam, Berlin\":20261203T000000\nEND:VEVENT\n",
            "BEGIN:VTIMEZONE\nTZID:(UTC+01:00) Amsterdam, Berlin\nBEGIN:STANDARD\nTZOFFSETFROM:+0200\n",
            "TZOFFSETTO:+0100\nEND:STANDARD\nBEGIN:DAYLIGHT\nTZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\n",
        ));
        let expanded = expand(&text, "2026-11-01", "2026-12-31");
        assert_eq!(
            expanded.occurrences[0].span,
            Span::Timed {
                start: "2026-11-30T23:00:00Z".parse().unwrap(),
                end: "2026-12-02T23:00:00Z".parse().unwrap(),
            }
        );
        assert_eq!(days(&expanded), [(d("2026-12-01"), d("2026-12-02"))]);
    }

    #[test]
    fn recurrence_rules_expand_within_the_window() {
        let rule = |rrule: &str, start: &str| {
            let text = calendar(&format!(
                "BEGIN:VEVENT\nUID:r\nDTSTART;VALUE=DATE:{start}\nRRULE:{rrule}\nEND:VEVENT\n"
            ));
            let firsts: Vec<String> = days(&expand(&text, "2026-11-01", "2027-12-31"))
                .into_iter()
                .map(|(first, _)| first.to_string())
                .collect();
            firsts
        };
        assert_eq!(
            rule("FREQ=DAILY;COUNT=3", "20261130"),
            ["2026-11-30", "2026-12-01", "2026-12-02"]
        );
        assert_eq!(
            rule(
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;UNTIL=20261220T235959Z",
                "20261130"
            ),
            ["2026-11-30", "2026-12-04", "2026-12-14", "2026-12-18"]
        );
        assert_eq!(
            rule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", "20261127"),
            ["2026-11-27", "2026-12-25", "2027-01-29"]
        );
        assert_eq!(
            rule("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", "20261231"),
            ["2026-12-31", "2027-01-31", "2027-03-31"]
        );
        // US Thanksgiving, and a yearly holiday from long ago: only the window's.
        assert_eq!(
            rule("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "20001123"),
            ["2026-11-26", "2027-11-25"]
        );
        assert_eq!(
            rule("FREQ=YEARLY", "19991224"),
            ["2026-12-24", "2027-12-24"]
        );
        // COUNT counts from the start, long before the window.
        assert_eq!(
            rule("FREQ=YEARLY;COUNT=28", "20001224"),
            ["2026-12-24", "2027-12-24"]
        );
        assert_eq!(rule("FREQ=YEARLY;COUNT=27", "20001224"), ["2026-12-24"]);
        assert_eq!(
            rule("FREQ=DAILY;BYDAY=SA;COUNT=2", "20261128"),
            ["2026-11-28", "2026-12-05"]
        );
    }

    #[test]
    fn exdates_and_modified_occurrences_are_left_out() {
        let text = calendar(concat!(
            "BEGIN:VEVENT\nUID:w\nDTSTART;TZID=Europe/Berlin:20261130T000000\nDTEND;TZID=Europe/Berlin:20261201T000000\n",
            "RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID=Europe/Berlin:20261207T000000\nEND:VEVENT\n",
            "BEGIN:VEVENT\nUID:w\nRECURRENCE-ID;TZID=Europe/Berlin:20261214T000000\nDTSTART;VALUE=DATE:20261215\nEND:VEVENT\n",
        ));
        let expanded = expand(&text, "2026-11-01", "2027-01-31");
        let firsts: Vec<NaiveDate> = expanded
            .occurrences
            .iter()
            .map(|o| match o.span {
                Span::Days { first, .. } => first,
                Span::Timed { start, .. } => {
                    start.with_timezone(&chrono_tz::Europe::Berlin).date_naive()
                }
            })
            .collect();
        assert_eq!(firsts, [d("2026-11-30"), d("2026-12-21"), d("2026-12-15")]);
    }

    #[test]
    fn free_and_cancelled_events_are_marked() {
        let text = calendar(concat!(
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261201\nTRANSP:TRANSPARENT\nEND:VEVENT\n",
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261202\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\nEND:VEVENT\n",
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261203\nSTATUS:CANCELLED\nEND:VEVENT\n",
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261204\nBEGIN:VALARM\nTRIGGER:-PT15M\nSTATUS:CANCELLED\nEND:VALARM\nEND:VEVENT\n",
        ));
        let expanded = expand(&text, "2026-11-01", "2027-01-31");
        assert_eq!(expanded.cancelled, 1);
        let free: Vec<bool> = expanded.occurrences.iter().map(|o| o.free).collect();
        assert_eq!(free, [true, true, false]);
    }

    #[test]
    fn unsupported_rules_are_named_and_broken_files_refused() {
        let text = calendar(
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261201\nRRULE:FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU\nEND:VEVENT\n",
        );
        let expanded = expand(&text, "2026-11-01", "2027-01-31");
        assert_eq!(
            expanded.unsupported,
            [(4, "RRULE part BYSETPOS is not expanded".to_string())]
        );
        let path = Path::new("cal.ics");
        let error = parse(
            path,
            &calendar("BEGIN:VEVENT\nDTSTART:2026-12-01\nEND:VEVENT\n"),
        )
        .unwrap_err();
        assert_eq!(
            error.summary(),
            "cal.ics: DTSTART \"2026-12-01\" is not a date or a date-time"
        );
        assert_eq!(error.location().unwrap().line, 5);
        let error = parse(
            path,
            &calendar("BEGIN:VEVENT\nDTSTART;TZID=Mars/Olympus:20261201T000000\nEND:VEVENT\n"),
        )
        .unwrap_err();
        assert!(
            error
                .summary()
                .contains("unknown time zone \"Mars/Olympus\""),
            "{error}"
        );
        let error = parse(path, "hello\n").unwrap_err();
        assert!(
            error.summary().contains("is not an iCalendar file"),
            "{error}"
        );
        let error = parse(path, "BEGIN:VCALENDAR\nBEGIN:VEVENT\n").unwrap_err();
        assert!(error.summary().contains("ends inside VEVENT"), "{error}");
    }

    #[test]
    fn a_zone_is_found_at_the_end_of_a_path_of_any_length() {
        let none = HashMap::new();
        let berlin = Some(Zone::Named(chrono_tz::Europe::Berlin));
        assert_eq!(zone("/mozilla.org/20050126_1/Europe/Berlin", &none), berlin);
        assert_eq!(zone("Europe/Berlin", &none), berlin);
        assert_eq!(
            zone("America/Argentina/Buenos_Aires", &none),
            Some(Zone::Named(chrono_tz::America::Argentina::Buenos_Aires))
        );
        // A crafted TZID of 80,000 parts: three names tried, not every tail.
        let crafted = format!("{}Europe/Berlin", "a/".repeat(80_000));
        let started = std::time::Instant::now();
        assert_eq!(zone(&crafted, &none), berlin);
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
    }

    #[test]
    fn limits_are_refused_with_what_to_do() {
        let path = Path::new("cal.ics");
        let many = calendar(
            &"BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261201\nEND:VEVENT\n".repeat(MAX_EVENTS + 1),
        );
        let error = parse(path, &many).unwrap_err();
        assert_eq!(
            error.summary(),
            format!("cal.ics holds more than {MAX_EVENTS} events, more than rota reads")
        );
        let lines = "X-A:1\n".repeat(MAX_LINES + 1);
        let error = parse(path, &lines).unwrap_err();
        assert!(
            error.summary().contains("more than 200000 lines"),
            "{error}"
        );
        // Daily rules over ten years, many times: the instances run out.
        let daily = "BEGIN:VEVENT\nUID:x\nDTSTART;VALUE=DATE:20100101\nRRULE:FREQ=DAILY;COUNT=5000\nEND:VEVENT\n";
        let text = calendar(&daily.repeat(30));
        let error = parse(path, &text)
            .unwrap()
            .expand(path, d("2026-11-01"), d("2027-11-01"), chrono_tz::UTC)
            .unwrap_err();
        assert!(
            error
                .summary()
                .contains("expand to more than 100000 instances"),
            "{error}"
        );
        // An endless rule costs its window, however old it is.
        let text =
            calendar("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20000101\nRRULE:FREQ=DAILY\nEND:VEVENT\n");
        let expanded = expand(&text, "2026-11-01", "2026-11-30");
        assert_eq!(expanded.occurrences.len(), 30);
    }
}
