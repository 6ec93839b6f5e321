//! The log's format, owned here: what a line of `on-call-log.md` is, and where the Markdown
//! blocks that hide lines begin and end.
//!
//! A forge shows the log as CommonMark, and rota must read as headings, entries and records
//! exactly the lines a reader of the rendered page sees as those: nothing inside a fenced code
//! block, an HTML block (a comment among them) or an indented code block, and nothing outside
//! them missed. [`Blocks`] follows the CommonMark block structure line by line, keeping only
//! what decides whether a later line is hidden:
//!
//! - **containers**: block quotes (`>`) and list items (`-`, `+`, `*`, `1.`, `1)`), with the
//!   column their content starts at, because a fence or an HTML block inside a container ends
//!   with it (a line at column 0 closes every list item and block quote it does not lazily
//!   continue);
//! - **the open leaf**: a paragraph (lines may continue it lazily, and it cannot be interrupted
//!   by an HTML block of kind 7 or by indented code), a fenced code block (its character,
//!   length and indentation: it is closed only by the same character, at least as long,
//!   indented at most three spaces and followed only by spaces or tabs; a backtick fence's
//!   info string holds no backtick), an HTML block of any of the seven kinds (each ends at its
//!   own end condition: `-->` for a comment, a blank line for kinds 6 and 7), or indented code.
//!
//! What it leaves out, because no line rota reads can depend on it: link reference
//! definitions, tables and the inline structure of a line. Tabs advance to the next multiple
//! of four columns, as CommonMark says. An HTML block's end tag (`</pre>`) is matched
//! ignoring case, as the specification says and GitHub does.
//!
//! Every reader of the log goes through [`Blocks`] and the line grammar below: the tail and
//! window readers, the whole-log reader, the entry scanner, the merge driver and `check`. Every
//! writer writes its lines with the same grammar (the header, headings, entries, a record's
//! lines), so each piece of the log's syntax is spelled here once; a test fails when another
//! module spells one.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

/// The prefix of the log's title: `# On-call log: Cloud SRE`.
const TITLE: &str = "# On-call log: ";
/// The prefix of a heading above the days: the title, or a section written by hand.
const TOP_HEADING: &str = "# ";
/// The prefix of a day heading: `## 2026-11-23 Mon`.
pub const DAY_HEADING: &str = "## ";
/// The prefix of a heading inside a day: a record (`### Handover ...`) or `### Log`.
pub const RECORD_HEADING: &str = "### ";
/// A handover record's heading: `### Handover 16:05 UTC: alice → bob`.
pub const HANDOVER: &str = "### Handover ";
/// A correction record's heading: `### Correction 08:00 UTC: alice`.
pub const CORRECTION: &str = "### Correction ";
/// A take-back record's heading: `### Taken back 16:20 UTC: bob`.
pub const TAKEN_BACK: &str = "### Taken back ";
/// The lines of a record's body, each written by rota and read back by the parser with the
/// same prefix: `- Served: Mon 2026-11-23 (alice)`.
pub const SERVED: &str = "- Served: ";
/// `- Next: Tue 2026-11-24 (bob)`.
pub const NEXT: &str = "- Next: ";
/// `- Run by: carol`, when a colleague stood in.
pub const RUN_BY: &str = "- Run by: ";
/// `- No one available: Wed 2026-11-25`.
pub const NO_ONE: &str = "- No one available: ";
/// `Note for bob: ...`.
pub const NOTE_FOR: &str = "Note for ";
/// `Round 2: ~~alice~~, **bob**, carol`, a record's last line.
pub const ROUND: &str = "Round ";
/// A correction's line: `- Void: handover 2026-11-23 16:10 UTC ...`.
pub const VOID: &str = "- Void: ";
/// A take-back's line: `- Handover: 2026-11-23 16:05 UTC alice → bob run by alice`.
pub const TAKEN_BACK_HANDOVER: &str = "- Handover: ";
/// A take-back's line: `- On call again: alice (Mon 2026-11-23)`.
pub const ON_CALL_AGAIN: &str = "- On call again: ";

/// The fence rota tells people to close an open block with.
pub const FENCE: &str = "```";
/// The prefix of an entry (`- 09:14 UTC alice: text`), a list item.
pub const ENTRY: &str = "- ";

/// The header of a new log: its title, and what rota does with it.
pub fn new_log_header(team: &str) -> String {
    format!(
        "{TITLE}{team}\n\n\
         Kept by `rota`: one section per working day, oldest first; times are UTC.\n\
         rota only appends. Write your own notes anywhere; rota never changes them.\n"
    )
}

/// The team a log's title line names.
pub fn title_team(line: &str) -> Option<&str> {
    line.strip_prefix(TITLE)
}

/// `## 2026-11-23 Mon` (or an older `## 2026-11-23 Mon · on call: alice`) gives 2026-11-23.
pub fn day_heading_date(line: &str) -> Option<NaiveDate> {
    strict_date(line.strip_prefix(DAY_HEADING)?.get(..10)?)
}

/// `## 2026-11-23 Mon`: the date first, so headings sort and parse. It names no one: a
/// heading written in a clone that had not pulled would otherwise name the wrong engineer.
pub fn day_heading(day: NaiveDate) -> String {
    format!("{DAY_HEADING}{}", day.format("%Y-%m-%d %a"))
}

/// A heading that opens a section (`#` or `##`); `###` records live inside a day's section.
pub fn is_section_heading(line: impl AsRef<[u8]>) -> bool {
    let line = line.as_ref();
    line.starts_with(TOP_HEADING.as_bytes()) || line.starts_with(DAY_HEADING.as_bytes())
}

/// The start of the last section heading ([`is_section_heading`]) among the whole lines
/// `block[lines]`, found from the end: a day heading is a few hundred bytes back, and a `# `
/// heading (rare) matters only after it.
pub fn last_section_heading(block: &[u8], lines: std::ops::Range<usize>) -> Option<usize> {
    // From the line break before the range, so that its first line is found like the others.
    let from = lines.start.saturating_sub(1);
    let region = &block[from..lines.end];
    let at_line_start = |prefix: &str| format!("\n{prefix}").into_bytes();
    let day = memchr::memmem::rfind(region, &at_line_start(DAY_HEADING));
    let after = day.map_or(0, |i| i + 1);
    match memchr::memmem::rfind(&region[after..], &at_line_start(TOP_HEADING))
        .map(|i| after + i)
        .or(day)
    {
        Some(i) => Some(from + i + 1),
        // At the start of the block there is no line break before the first line.
        None => (lines.start == 0 && is_section_heading(region)).then_some(0),
    }
}

/// The heading CommonMark reads in `line` (an ATX heading: up to three spaces, one to six
/// `#`, then a space or a tab, the closing `#`s and the spaces around dropped), written as rota
/// writes its headings: `#`s, one space, the text.
fn heading_as_written_by_rota(line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if indent > 3 || !(1..=6).contains(&hashes) {
        return None;
    }
    let text = &rest[hashes..];
    if !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    let text = text.trim_matches([' ', '\t']);
    // A closing sequence: `#`s after a space (or the whole text).
    let without = text.trim_end_matches('#');
    let text = if without.is_empty() || without.ends_with([' ', '\t']) {
        without.trim_end_matches([' ', '\t'])
    } else {
        text
    };
    Some(format!("{} {text}", &rest[..hashes]))
}

/// When a forge shows `line` as one of rota's headings (a day, a handover, a correction, a
/// take-back, a `### Log`) that rota does not read as one, because it is written otherwise
/// (indented, a tab after the `#`s, closing `#`s): that heading as rota writes it.
pub fn heading_read_otherwise(line: &str) -> Option<String> {
    let written = heading_as_written_by_rota(line)?;
    let rota_reads = |text: &str| {
        day_heading_date(text).is_some()
            || [HANDOVER, CORRECTION, TAKEN_BACK, LOG]
                .iter()
                .any(|prefix| text.starts_with(prefix))
    };
    (rota_reads(&written) && !rota_reads(line)).then_some(written)
}

/// Whether `line` may be a heading: it starts with `#`. `rota check` ends a record's body
/// there, so that a line a reader might take for a heading is never counted as the record's.
pub fn may_be_heading(line: &str) -> bool {
    line.starts_with('#')
}

/// `YYYY-MM-DD` exactly (chrono alone also takes ` 2026-11-2` as a date).
pub fn strict_date(text: &str) -> Option<NaiveDate> {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, c)| match i {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    // Read by hand: chrono's format parser was a fifth of the time of reading a long log.
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// `HH:MM` (24-hour, two digits each) as minutes since midnight.
pub fn minute_of_day(time: &str) -> Option<i32> {
    let b = time.as_bytes();
    if b.len() != 5 || b[2] != b':' || ![0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (time[..2].parse().ok()?, time[3..].parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// `- 09:14 UTC alice: text` as `(time, author, text)`: the one grammar of an entry.
pub fn entry_parts(line: &str) -> Option<(&str, &str, &str)> {
    let rest = line.trim_end_matches('\r').strip_prefix(ENTRY)?;
    let (time, rest) = rest.split_once(" UTC ")?;
    let (author, text) = rest.split_once(": ")?;
    let valid_time = minute_of_day(time).is_some();
    (valid_time && !author.is_empty() && !author.contains(' ')).then_some((time, author, text))
}

/// An entry's line: `text` as typed ([`escape_text`]), on one line already.
pub fn entry_line(time: &str, author: &str, text: &str) -> String {
    format!("{ENTRY}{time} UTC {author}: {}", escape_text(text))
}

/// The UTC minute of a line that starts a block of the merge: an entry or a record heading
/// (`### Words HH:MM UTC ...`: a handover, a correction, a take-back, a `### Log`).
pub fn block_start_minute(line: &str) -> Option<i32> {
    if line.starts_with(ENTRY) {
        return minute_of_day(entry_parts(line)?.0);
    }
    let rest = line.strip_prefix(RECORD_HEADING)?;
    // The kind is one or more words of letters (`Taken back`), then the time.
    let at = rest.find(|c: char| c.is_ascii_digit())?;
    let kind = &rest[..at];
    let is_kind = kind.ends_with(' ')
        && kind
            .trim_end()
            .split(' ')
            .all(|word| !word.is_empty() && word.chars().all(char::is_alphabetic));
    if !is_kind || !rest[at..].get(5..)?.starts_with(" UTC") {
        return None;
    }
    minute_of_day(rest[at..].get(..5)?)
}

/// The prefix of the heading that opens a day's entries written after a record:
/// `### Log 17:30 UTC`.
pub const LOG: &str = "### Log ";

/// `### Log 17:30 UTC`: written before the first entry that follows a record (or any other
/// `###` heading) in a day's section, so that on a forge the entries read as the day's, not as
/// part of the record above them. It carries the minute, like a record's heading, so that the
/// merge driver orders it with the entries it opens.
pub fn log_heading(at: DateTime<Utc>) -> String {
    format!("{LOG}{} UTC", hh_mm(at))
}

/// The [`log_heading`] of the UTC minute `minute` of a day (as [`block_start_minute`] gives).
pub fn log_heading_at_minute(minute: i32) -> String {
    format!("{LOG}{:02}:{:02} UTC", minute / 60, minute % 60)
}

/// Whether `line` is a [`log_heading`].
pub fn is_log_heading(line: &str) -> bool {
    let line = line.trim_end_matches('\r');
    line.strip_prefix(LOG)
        .and_then(|rest| rest.strip_suffix(" UTC"))
        .is_some_and(|time| minute_of_day(time).is_some())
}

/// Whether `line` is a heading below a day's (`### ` to `###### `) other than a
/// [`log_heading`]: entries written under it would read, on a forge, as part of it.
pub fn is_heading_within_day(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (3..=6).contains(&hashes)
        && matches!(
            line.as_bytes().get(hashes),
            None | Some(b' ' | b'\t' | b'\r')
        )
        && !is_log_heading(line)
}

// A record's lines.
//
// Each line rota writes in a record is parsed and written here, as typed parts, so that the
// writer (`logbook::HandoverRecord`, `history::take_back`, `history::correction`) and the
// parser (`history::Parser`) share one spelling of it. Which record stands, and what a line
// may say (a valid id, a round that counts from 1), is `history`'s to decide.

/// A minute as the log writes it: `16:05` (UTC).
pub fn hh_mm(at: DateTime<Utc>) -> String {
    at.format("%H:%M").to_string()
}

/// A day as a record lists it: `Mon 2026-11-23`.
/// `Mon 2026-11-23, Tue 2026-11-24`.
fn day_list(days: &[NaiveDate]) -> String {
    let days: Vec<String> = days.iter().map(|d| crate::calendar::show_day(*d)).collect();
    days.join(", ")
}

/// `Mon 2026-11-23, Tue 2026-11-24` read back: each item's last ten characters, where a date
/// reads.
fn listed_days(days: &str) -> Vec<NaiveDate> {
    days.split(", ")
        .filter_map(|day| strict_date(day.get(day.len().saturating_sub(10)..)?))
        .collect()
}

/// `### Handover 16:05 UTC: alice → bob`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoverHeading<'a> {
    /// `HH:MM`, UTC.
    pub time: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

impl<'a> HandoverHeading<'a> {
    pub fn parse(line: &'a str) -> Option<HandoverHeading<'a>> {
        let (time, who) = line.strip_prefix(HANDOVER)?.split_once(" UTC: ")?;
        minute_of_day(time)?;
        let (from, to) = who.split_once(" → ")?;
        Some(HandoverHeading {
            time,
            from: from.trim(),
            to: to.trim(),
        })
    }
}

impl fmt::Display for HandoverHeading<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{HANDOVER}{} UTC: {} → {}",
            self.time, self.from, self.to
        )
    }
}

/// Which record a [`SignedHeading`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    Correction,
    TakenBack,
}

/// `### Correction 08:00 UTC: alice`, `### Taken back 16:20 UTC: bob`. Read whatever follows
/// the word: a heading without its time and signature still opens the record (signed by no
/// one, at no minute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedHeading<'a> {
    pub kind: Signed,
    /// `HH:MM`, UTC, as written (empty when the heading gives none).
    pub time: &'a str,
    pub by: &'a str,
}

impl<'a> SignedHeading<'a> {
    pub fn parse(line: &'a str) -> Option<SignedHeading<'a>> {
        let (kind, rest) = match line.strip_prefix(CORRECTION) {
            Some(rest) => (Signed::Correction, rest),
            None => (Signed::TakenBack, line.strip_prefix(TAKEN_BACK)?),
        };
        let (time, by) = rest
            .split_once(" UTC: ")
            .map_or(("", ""), |(time, by)| (time, by.trim()));
        Some(SignedHeading { kind, time, by })
    }

    /// The minute its time gives, when it is one.
    pub fn minute(&self) -> Option<i32> {
        minute_of_day(self.time)
    }
}

impl fmt::Display for SignedHeading<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = match self.kind {
            Signed::Correction => CORRECTION,
            Signed::TakenBack => TAKEN_BACK,
        };
        write!(f, "{prefix}{} UTC: {}", self.time, self.by)
    }
}

/// `- Served: Mon 2026-11-23, Tue 2026-11-24 (alice, covering for bob)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served<'a> {
    pub days: Vec<NaiveDate>,
    pub by: &'a str,
    /// The engineer whose days `by` covered (an override).
    pub covering_for: Option<&'a str>,
}

/// What follows the engineer in a Served line when an override put them on.
const COVERING_FOR: &str = ", covering for ";

impl<'a> Served<'a> {
    pub fn parse(line: &'a str) -> Option<Served<'a>> {
        let rest = line.strip_prefix(SERVED)?;
        let (days, who) = rest.rsplit_once(" (")?;
        let by = who.trim_end_matches(')').split(',').next()?.trim();
        let covering_for = rest
            .rsplit_once(COVERING_FOR)
            .map(|(_, who)| who.trim_end_matches(')'));
        Some(Served {
            days: listed_days(days),
            by,
            covering_for,
        })
    }
}

impl fmt::Display for Served<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SERVED}{} ({}", day_list(&self.days), self.by)?;
        if let Some(id) = self.covering_for {
            write!(f, "{COVERING_FOR}{id}")?;
        }
        f.write_str(")")
    }
}

/// `- Next: Tue 2026-11-24 (bob)`.
pub fn next_line(day: NaiveDate, to: &str) -> String {
    format!("{NEXT}{} ({to})", crate::calendar::show_day(day))
}

/// `- Run by: carol`.
pub fn run_by_line(id: &str) -> String {
    format!("{RUN_BY}{id}")
}

/// `- Late: 2 working days`: how late the handover was (written for the reader; rota reads it
/// as text).
pub fn late_line(days: u32) -> String {
    let s = if days == 1 { "" } else { "s" };
    format!("- Late: {days} working day{s}")
}

/// `- No one available: Wed 2026-11-25, Thu 2026-11-26`.
pub fn no_one_line(days: &[NaiveDate]) -> String {
    format!("{NO_ONE}{}", day_list(days))
}

/// `Note for bob: watch db2`, the note typed as it was ([`escape_text`]).
pub fn note_line(to: &str, note: &str) -> String {
    format!("{NOTE_FOR}{to}: {}", escape_text(note))
}

/// `* [x] Checked the consoles: all green`, a line of the handover checklist (rota reads it as
/// text); the note as typed ([`escape_text`]).
pub fn checklist_line(item: &str, done: bool, note: &str) -> String {
    let mark = if done { 'x' } else { ' ' };
    if note.is_empty() {
        format!("* [{mark}] {item}")
    } else {
        format!("* [{mark}] {item}: {}", escape_text(note))
    }
}

/// The prefixes of an item a handover passes on (open) or closes (done).
const OPEN_ITEM: &str = "+ [ ] ";
const DONE_ITEM: &str = "+ [x] ";

/// `+ [ ] 16:05 UTC alice: open: renew the wiki's TLS certificate` (or `+ [x] ...: done: ...`),
/// an item a handover record passes on or closes. Each line says when and by whom, like an
/// entry, so `rota log --list` finds it wherever a merge puts it; its `+` bullet keeps it out
/// of the entries' list and inside its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item<'a> {
    pub open: bool,
    /// `HH:MM`, UTC.
    pub time: &'a str,
    pub author: &'a str,
    /// Everything after the author, as written: `open: renew ...`.
    pub text: &'a str,
}

impl<'a> Item<'a> {
    pub fn parse(line: &'a str) -> Option<Item<'a>> {
        let line = line.trim_end_matches('\r');
        let (open, rest) = match line.strip_prefix(OPEN_ITEM) {
            Some(rest) => (true, rest),
            None => (false, line.strip_prefix(DONE_ITEM)?),
        };
        let (time, rest) = rest.split_once(" UTC ")?;
        let (author, text) = rest.split_once(": ")?;
        let valid = minute_of_day(time).is_some() && !author.is_empty() && !author.contains(' ');
        valid.then_some(Item {
            open,
            time,
            author,
            text,
        })
    }

    /// The item itself, as typed: without its `open: ` or `done: ` and unescaped.
    pub fn what(&self) -> Cow<'a, str> {
        let item = self.text.strip_prefix(item_word(self.open));
        unescape_text(item.unwrap_or(self.text).trim())
    }
}

fn item_word(open: bool) -> &'static str {
    if open { "open: " } else { "done: " }
}

/// Whether `line` starts as an item does, whatever follows.
pub fn is_item_line(line: &str) -> bool {
    line.starts_with(OPEN_ITEM) || line.starts_with(DONE_ITEM)
}

/// An [`Item`]'s line: `what` as typed ([`escape_text`]).
pub fn item_line(open: bool, time: &str, author: &str, what: &str) -> String {
    let prefix = if open { OPEN_ITEM } else { DONE_ITEM };
    let word = item_word(open);
    format!("{prefix}{time} UTC {author}: {word}{}", escape_text(what))
}

/// How the round line marks an engineer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Struck out: `~~carol~~`.
    Served,
    /// Bold: `**bob**`.
    OnCall,
    /// Neither.
    ToCome,
}

/// `Round 3 (new shuffle): ~~carol~~, **bob**, dave`, a record's last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundLine<'a> {
    pub number: u32,
    /// The round was shuffled afresh by this handover.
    pub new_shuffle: bool,
    /// The team in the round's order, each as marked.
    pub names: Vec<(Mark, &'a str)>,
}

const NEW_SHUFFLE: &str = " (new shuffle)";

impl<'a> RoundLine<'a> {
    pub fn parse(line: &'a str) -> Option<RoundLine<'a>> {
        let (head, names) = line.strip_prefix(ROUND)?.split_once(": ")?;
        let number = head.trim_end_matches(NEW_SHUFFLE).parse().ok()?;
        let names = names
            .split(", ")
            .map(|name| {
                let name = name.trim();
                if let Some(id) = name.strip_prefix("~~").and_then(|n| n.strip_suffix("~~")) {
                    (Mark::Served, id)
                } else if let Some(id) = name.strip_prefix("**").and_then(|n| n.strip_suffix("**"))
                {
                    (Mark::OnCall, id)
                } else {
                    (Mark::ToCome, name)
                }
            })
            .collect();
        Some(RoundLine {
            number,
            new_shuffle: head.ends_with(NEW_SHUFFLE),
            names,
        })
    }
}

impl fmt::Display for RoundLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fresh = if self.new_shuffle { NEW_SHUFFLE } else { "" };
        write!(f, "{ROUND}{}{fresh}: ", self.number)?;
        for (i, (mark, id)) in self.names.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            match mark {
                Mark::Served => write!(f, "{sep}~~{id}~~")?,
                Mark::OnCall => write!(f, "{sep}**{id}**")?,
                Mark::ToCome => write!(f, "{sep}{id}")?,
            }
        }
        Ok(())
    }
}

/// One line of a handover record's body, as the parser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyLine<'a> {
    Served(Served<'a>),
    /// `- No one available: ...`: the days.
    NoOne(Vec<NaiveDate>),
    /// `Note for bob: ...`: the note, unescaped.
    Note(Cow<'a, str>),
    Item(Item<'a>),
    /// `- Next: ...`: the day, when it reads as one.
    Next(Option<NaiveDate>),
    /// `- Run by: ...`: its first word.
    RunBy(&'a str),
    /// A line that starts as the round line does, and what it says when it reads.
    Round(Option<RoundLine<'a>>),
    /// Anything else: a blank line, the checklist, `- Late: ...`, text written by hand.
    Other,
}

impl<'a> BodyLine<'a> {
    pub fn parse(line: &'a str) -> BodyLine<'a> {
        if let Some(served) = Served::parse(line) {
            BodyLine::Served(served)
        } else if let Some(days) = line.strip_prefix(NO_ONE) {
            BodyLine::NoOne(listed_days(days))
        } else if let Some((_, note)) = line
            .strip_prefix(NOTE_FOR)
            .and_then(|rest| rest.split_once(": "))
        {
            BodyLine::Note(unescape_text(note))
        } else if let Some(item) = Item::parse(line) {
            BodyLine::Item(item)
        } else if let Some(next) = line.strip_prefix(NEXT) {
            // `Tue 2026-11-24 (bob)`: the date after the weekday.
            BodyLine::Next(next.get(4..14).and_then(strict_date))
        } else if let Some(who) = line.strip_prefix(RUN_BY) {
            BodyLine::RunBy(who.split_whitespace().next().unwrap_or_default())
        } else if line.starts_with(ROUND) {
            BodyLine::Round(RoundLine::parse(line))
        } else {
            BodyLine::Other
        }
    }
}

/// How a correction or a take-back names a handover record:
/// `2026-11-23 16:10 UTC alice → carol run by dave`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordName<'a> {
    /// The day section the record stands in (always read back; a record written before any
    /// day heading is named without one).
    pub written: Option<NaiveDate>,
    /// `HH:MM`, UTC.
    pub time: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub runner: Option<&'a str>,
}

impl<'a> RecordName<'a> {
    fn parse(text: &'a str) -> Option<RecordName<'a>> {
        let written = strict_date(text.get(..10)?)?;
        let (time, rest) = text.get(11..)?.split_once(" UTC ")?;
        minute_of_day(time)?;
        let (from, rest) = rest.split_once(" → ")?;
        let to = rest.split([' ', ':']).next()?;
        let runner = rest
            .strip_prefix(to)
            .and_then(|r| r.strip_prefix(RUN_BY_WORDS))
            .and_then(|r| r.split([' ', ':']).next());
        Some(RecordName {
            written: Some(written),
            time,
            from,
            to,
            runner,
        })
    }
}

/// Between a named record's engineers and who ran it.
const RUN_BY_WORDS: &str = " run by ";

impl fmt::Display for RecordName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = self.written.map(|d| d.to_string()).unwrap_or_default();
        write!(f, "{day} {} UTC {} → {}", self.time, self.from, self.to)?;
        match self.runner {
            Some(runner) => write!(f, "{RUN_BY_WORDS}{runner}"),
            None => Ok(()),
        }
    }
}

/// What a correction's line says before the record it voids.
const VOID_WHAT: &str = "handover ";

/// `- Void: handover 2026-11-23 16:10 UTC alice → carol run by dave: ...`: the record it
/// names.
pub fn void(line: &str) -> Option<RecordName<'_>> {
    RecordName::parse(line.strip_prefix(VOID)?.strip_prefix(VOID_WHAT)?)
}

/// A correction's line: it voids `void`, which served `days` that `standing` had already
/// served.
pub fn void_line(void: &RecordName, days: &[NaiveDate], standing: &RecordName) -> String {
    format!(
        "{VOID}{VOID_WHAT}{void}: {} was already handed over at {} UTC ({} → {}, run by {})",
        day_list(days),
        standing.time,
        standing.from,
        standing.to,
        standing.runner.unwrap_or(standing.from),
    )
}

/// `- Handover: 2026-11-23 16:05 UTC alice → bob run by alice`: the record a take-back names.
pub fn taken_back_handover(line: &str) -> Option<RecordName<'_>> {
    RecordName::parse(line.strip_prefix(TAKEN_BACK_HANDOVER)?)
}

/// A take-back's line naming `record`.
pub fn taken_back_handover_line(record: &RecordName) -> String {
    format!("{TAKEN_BACK_HANDOVER}{record}")
}

/// `- On call again: alice (Mon 2026-11-23)`: who a take-back puts back on call, for the days
/// they had handed over (written for the reader; rota reads the handover line).
pub fn on_call_again_line(id: &str, days: &[NaiveDate]) -> String {
    format!("{ON_CALL_AGAIN}{id} ({})", day_list(days))
}

// Typed text on a forge.
//
// What an engineer types (an entry's text, a handover's note, an open item, a checklist note)
// is written after rota's own words on one line of the log: `- 09:14 UTC alice: TEXT`,
// `Note for bob: TEXT`, `+ [ ] 16:05 UTC alice: open: TEXT`, `* [ ] ITEM: TEXT`. Line breaks
// have become spaces, and the text is trimmed, so it never starts a line, never ends one with
// two spaces, and nothing in it can open a block: a `#`, `>`, fence, list marker, `|`, `===`,
// `---` or indentation there is text to CommonMark (and to GitHub's tables, whose rows need a
// line of their own). What can still hide or change what was typed is inline:
//
// - raw HTML: `<` followed by a letter, `/`, `!` or `?` may open a tag, a comment, a
//   declaration or a processing instruction, which a forge drops or hides (`<ingress-nginx>`);
// - an autolink rota does not keep: `<db1101:5432>` and `<alice@example.org>` are autolinks
//   to CommonMark, shown without their angle brackets;
// - an entity or character reference (`&amp;`, `&#35;`), shown as another character;
// - a backslash before ASCII punctuation (`\*`), or at the end of the text, shown without it.
//
// Each of those characters is written with a backslash before it (`\<`, `\&`, `\\`), which
// CommonMark shows as the character alone. Kept as typed, as the Markdown the engineer chose:
// code spans (`` `like this` ``, whose text no escape reaches), emphasis, strong and
// strikethrough, links and images (`[text](https://…)`), and the autolinks `<http://…>`,
// `<https://…>` and `<mailto:…>` (a scheme of those three, then no space, `<` or `>` up to the
// closing `>`). Every other `<…>` is text.
//
// [`unescape_text`] reads it back: a backslash before ASCII punctuation outside a code span or
// an autolink is dropped, as CommonMark drops it, so `rota log`, `rota log --list`, `who`,
// `handover` and the published page show what was typed.

/// The length of the URI autolink (`<scheme:…>`) at the start of `text`, which starts with
/// `<`: a scheme of 2 to 32 letters, digits, `+`, `.` or `-` starting with a letter, a colon,
/// then no space, `<`, `>` or control up to the closing `>`. With `kept`, only the schemes
/// typed text keeps as links: `http`, `https` and `mailto`.
fn uri_autolink(text: &[u8], kept: bool) -> Option<usize> {
    let rest = text.get(1..)?;
    let colon = rest.iter().take(33).position(|&b| b == b':')?;
    let scheme = &rest[..colon];
    let valid = (2..=32).contains(&scheme.len())
        && scheme[0].is_ascii_alphabetic()
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'));
    let chosen = [&b"http"[..], b"https", b"mailto"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    if !valid || (kept && !chosen) {
        return None;
    }
    let body = &rest[colon + 1..];
    let end = body
        .iter()
        .position(|&b| b == b'>' || b == b'<' || b == b' ' || b.is_ascii_control())?;
    (body[end] == b'>').then_some(1 + colon + 1 + end + 1)
}

/// The length of a code span at the start of `text` (which starts with a backtick): a run of
/// backticks, and the next run of exactly as many. `None` when no run closes it, and the
/// backticks are text.
fn code_span(text: &[u8]) -> Option<usize> {
    let run = text.iter().take_while(|&&b| b == b'`').count();
    let mut i = run;
    while i < text.len() {
        if text[i] == b'`' {
            let close = text[i..].iter().take_while(|&&b| b == b'`').count();
            if close == run {
                return Some(i + close);
            }
            i += close;
        } else {
            i += 1;
        }
    }
    None
}

/// Whether the `<` at the start of `text` could start raw HTML or an autolink rota does not
/// keep (a superset of both: escaping a `<` that is text anyway changes nothing shown).
fn angle_needs_escape(text: &[u8]) -> bool {
    match text.get(1) {
        Some(b) if b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?') => true,
        // An email autolink may start with a digit or a symbol: `<1st@example.org>`.
        _ => {
            let body = &text[1..];
            let end = body
                .iter()
                .position(|&b| b == b'>' || b == b'<' || b == b' ' || b.is_ascii_control());
            end.is_some_and(|end| body[end] == b'>' && body[..end].contains(&b'@'))
        }
    }
}

/// Whether the `&` at the start of `text` could start an entity or character reference:
/// `&name;`, `&#123;`, `&#x7B;` (a superset of the names HTML knows).
fn ampersand_needs_escape(text: &[u8]) -> bool {
    let run = text[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    run > 0 && text.get(1 + run) == Some(&b';')
}

/// Typed text (one line, trimmed) as it is written after rota's words on a line of the log, so
/// that a forge shows what was typed: see the notes above [`uri_autolink`].
pub fn escape_text(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|b| matches!(b, b'<' | b'&' | b'\\')) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let verbatim = match rest[0] {
            b'`' => Some(
                code_span(rest).unwrap_or_else(|| rest.iter().take_while(|&&b| b == b'`').count()),
            ),
            b'<' => uri_autolink(rest, true),
            _ => None,
        };
        if let Some(len) = verbatim {
            out.push_str(&text[i..i + len]);
            i += len;
            continue;
        }
        let escape = match rest[0] {
            b'\\' => rest.get(1).is_none_or(u8::is_ascii_punctuation),
            b'<' => angle_needs_escape(rest),
            b'&' => ampersand_needs_escape(rest),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        // Up to the next byte that may matter (always a character boundary: ASCII).
        let next = rest[1..]
            .iter()
            .position(|b| matches!(b, b'`' | b'<' | b'&' | b'\\'))
            .map_or(rest.len(), |p| p + 1);
        out.push_str(&text[i..i + next]);
        i += next;
    }
    std::borrow::Cow::Owned(out)
}

/// Text written after rota's words on a line of the log, as a forge shows it: each backslash
/// escape outside a code span or an autolink gives the character it escapes. The inverse
/// of [`escape_text`]; text written by hand reads as CommonMark shows its escapes.
pub fn unescape_text(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    if !bytes.contains(&b'\\') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let verbatim = match rest[0] {
            b'`' => Some(
                code_span(rest).unwrap_or_else(|| rest.iter().take_while(|&&b| b == b'`').count()),
            ),
            b'<' => uri_autolink(rest, false),
            b'\\' if rest.get(1).is_some_and(u8::is_ascii_punctuation) => {
                // The escaped character is text: it opens no code span.
                out.push(char::from(rest[1]));
                i += 2;
                continue;
            }
            _ => None,
        };
        let next = match verbatim {
            Some(len) => len,
            None => rest[1..]
                .iter()
                .position(|b| matches!(b, b'`' | b'<' | b'\\'))
                .map_or(rest.len(), |p| p + 1),
        };
        out.push_str(&text[i..i + next]);
        i += next;
    }
    std::borrow::Cow::Owned(out)
}

/// How a line reads, by the blocks around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Text a reader sees as such: a heading, a list item, a paragraph, a blank line.
    Text,
    /// Inside (or the fence of) a code block or an HTML block: shown as code or hidden.
    Code,
}

/// A container block still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Quote,
    /// A list item whose content starts at column `content`; `empty` while it has had no line.
    Item {
        content: usize,
        empty: bool,
    },
}

/// The leaf block still open, in the innermost container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    None,
    Paragraph,
    /// A fenced code block: its character, length and indentation.
    Fence {
        ch: u8,
        len: usize,
        indent: usize,
    },
    /// An HTML block of kinds 1 to 5, which ends on the line that holds `end`.
    Html {
        end: &'static str,
    },
    /// An HTML block of kind 6 or 7, which ends at a blank line.
    HtmlToBlank,
    IndentedCode,
}

impl Leaf {
    fn is_code(self) -> bool {
        !matches!(self, Leaf::None | Leaf::Paragraph)
    }
}

/// Where a reader of the log is in its block structure, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocks {
    containers: Vec<Container>,
    leaf: Leaf,
    /// Lines read so far.
    line: usize,
    /// The line that opened the code or HTML block still open (1-based, from where reading
    /// started).
    opened: usize,
}

impl Default for Blocks {
    fn default() -> Blocks {
        Blocks::new()
    }
}

/// The most containers followed: deeper nesting is read as text of the innermost (a file
/// anyone can push must not make a reader hold an unbounded stack).
const MAX_DEPTH: usize = 64;

/// A line after its containers: the bytes, the column of `rest[pos]`, and columns of a tab
/// that a container marker consumed only in part.
struct Cursor<'a> {
    rest: &'a [u8],
    pos: usize,
    col: usize,
    /// Columns left of a partly consumed tab at `pos`.
    partial: usize,
}

impl<'a> Cursor<'a> {
    fn new(line: &'a [u8]) -> Cursor<'a> {
        Cursor {
            rest: line,
            pos: 0,
            col: 0,
            partial: 0,
        }
    }

    /// Columns of whitespace from here, and the byte after it.
    fn indent(&self) -> (usize, usize) {
        let mut cols = self.partial;
        let mut col = self.col + self.partial;
        let mut i = self.pos + usize::from(self.partial > 0);
        while let Some(&b) = self.rest.get(i) {
            match b {
                b' ' => {
                    cols += 1;
                    col += 1;
                }
                b'\t' => {
                    let to = (col / 4 + 1) * 4;
                    cols += to - col;
                    col = to;
                }
                _ => break,
            }
            i += 1;
        }
        (cols, i)
    }

    fn is_blank(&self) -> bool {
        let (_, i) = self.indent();
        i >= self.rest.len()
    }

    /// Consumes `n` columns of whitespace (there are at least that many).
    fn skip_cols(&mut self, mut n: usize) {
        while n > 0 {
            if self.partial > 0 {
                let take = self.partial.min(n);
                self.partial -= take;
                self.col += take;
                n -= take;
                if self.partial == 0 {
                    self.pos += 1;
                }
                continue;
            }
            match self.rest.get(self.pos) {
                Some(b' ') => {
                    self.pos += 1;
                    self.col += 1;
                    n -= 1;
                }
                Some(b'\t') => {
                    let width = (self.col / 4 + 1) * 4 - self.col;
                    if width <= n {
                        self.pos += 1;
                        self.col += width;
                        n -= width;
                    } else {
                        self.partial = width - n;
                        self.col += n;
                        n = 0;
                    }
                }
                _ => return,
            }
        }
    }

    /// Consumes all the indentation, returning its columns.
    fn skip_indent(&mut self) -> usize {
        let (cols, _) = self.indent();
        self.skip_cols(cols);
        cols
    }

    /// Consumes `n` bytes that are not whitespace.
    fn skip_bytes(&mut self, n: usize) {
        self.pos += n;
        self.col += n;
        self.partial = 0;
    }

    /// The bytes from here (after any partial tab).
    fn text(&self) -> &'a [u8] {
        &self.rest[(self.pos + usize::from(self.partial > 0)).min(self.rest.len())..]
    }
}

/// What a line would start, were it read where a block may start.
enum Start {
    Quote,
    Fence {
        ch: u8,
        len: usize,
    },
    Html(Leaf),
    Heading,
    Setext,
    Break,
    /// A list item: the marker's length in bytes, and whether nothing follows it.
    Item {
        marker: usize,
        empty: bool,
    },
    IndentedCode,
    Paragraph,
    Blank,
}

impl Blocks {
    pub const fn new() -> Blocks {
        Blocks {
            containers: Vec::new(),
            leaf: Leaf::None,
            line: 0,
            opened: 0,
        }
    }

    /// A reader that starts inside `leaf` at the top level (a hypothesis about text read
    /// from the middle of the log).
    pub fn inside(leaf: Leaf) -> Blocks {
        Blocks {
            leaf,
            ..Blocks::new()
        }
    }

    /// Whether the reader is at the top level with nothing open but, at most, a paragraph:
    /// where a line at column 0 reads as itself.
    #[cfg(test)]
    pub fn is_clear(&self) -> bool {
        self.containers.is_empty() && !self.leaf.is_code()
    }

    /// Passes over the start of `block` (whole lines, as [`crate::scan::Blocks`] hands them
    /// out) that need not be read line by line: when no block is open and no line of it may
    /// open a code or HTML block ([`any_may_open_block`]), the last heading at column 0 in it
    /// reads as a heading at the top level and closes every container and paragraph, so the
    /// state after it is known without the lines before it. Returns the byte where reading
    /// line by line goes on (0 when nothing can be passed); the lines passed are counted.
    /// Following a century of log to its end this way reads a day's section per block.
    pub fn pass_to_last_heading(&mut self, block: &[u8]) -> usize {
        if !self.may_pass(block) {
            return 0;
        }
        // The lines from the last one back: `start..end` is a line without its `\n`.
        let mut end = block.len() - usize::from(block.ends_with(b"\n"));
        loop {
            let start = memchr::memrchr(b'\n', &block[..end]).map_or(0, |i| i + 1);
            if is_heading_at_column_0(&block[start..end]) {
                let after = (end + 1).min(block.len());
                let passed =
                    memchr::memchr_iter(b'\n', &block[..after]).count() + usize::from(after == end);
                *self = Blocks {
                    line: self.line + passed,
                    ..Blocks::new()
                };
                return after;
            }
            if start == 0 {
                return 0;
            }
            end = start - 1;
        }
    }

    /// The line (1-based, counted from where reading started) of the code or HTML block at
    /// the top level that the lines so far leave open: whatever is appended reads as part of
    /// it. A block inside a list item or a quote ends at the next line at column 0; an HTML
    /// block that a blank line ends, at a blank line.
    pub fn open_block(&self) -> Option<usize> {
        let open = self.containers.is_empty()
            && matches!(self.leaf, Leaf::Fence { .. } | Leaf::Html { .. });
        open.then_some(self.opened)
    }

    /// Whether a blank line must come before text appended after the lines so far, for that
    /// text to read as written (an open HTML block, list item, quote or paragraph).
    #[cfg(test)]
    pub fn needs_blank_line(&self) -> bool {
        !self.containers.is_empty() || self.leaf != Leaf::None
    }

    /// The leaf at the top level, when no container is open (for the window reader).
    /// Whether a reader may pass over the lines `region` to a heading at column 0 among them
    /// without reading the lines before it: no block is open at the top level that hides
    /// such a heading (a fence, an HTML block) or runs on to a blank line, and no line of
    /// `region` may open one. The heading then closes every container and paragraph. The
    /// readers that pass over lines ([`Blocks::pass_to_last_heading`], the entry scanner)
    /// ask here.
    pub fn may_pass(&self, region: &[u8]) -> bool {
        self.open_block().is_none()
            && !matches!(self.top_leaf(), Some(Leaf::HtmlToBlank))
            && !any_may_open_block(region)
    }

    pub fn top_leaf(&self) -> Option<Leaf> {
        self.containers.is_empty().then_some(self.leaf)
    }

    /// Reads one line (without its line break; a `\r` before it is ignored).
    pub fn read(&mut self, line: &[u8]) -> Seen {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        self.line += 1;
        let was_code = self.leaf.is_code();
        let seen = self.step(line);
        if !self.leaf.is_code() {
            self.opened = 0;
        } else if !was_code {
            self.opened = self.line;
        }
        seen
    }

    fn step(&mut self, line: &[u8]) -> Seen {
        let mut cur = Cursor::new(line);
        // Which open containers the line continues.
        let mut matched = 0;
        let blank = cur.is_blank();
        for container in &self.containers {
            match *container {
                Container::Quote => {
                    let (indent, at) = cur.indent();
                    if indent > 3 || line.get(at) != Some(&b'>') {
                        break;
                    }
                    cur.skip_indent();
                    cur.skip_bytes(1);
                    if matches!(cur.text().first(), Some(b' ' | b'\t')) {
                        cur.skip_cols(1);
                    }
                }
                Container::Item { content, empty } => {
                    if blank {
                        if empty {
                            break; // an item starts with at most one blank line
                        }
                    } else if cur.indent().0 >= content {
                        cur.skip_cols(content);
                    } else {
                        break;
                    }
                }
            }
            matched += 1;
        }
        let all = matched == self.containers.len();
        if all {
            match self.leaf {
                Leaf::Fence { ch, len, .. } => {
                    if closes_fence(&cur, ch, len) {
                        self.leaf = Leaf::None;
                    }
                    return Seen::Code;
                }
                Leaf::Html { end } => {
                    if contains_ignoring_case(cur.text(), end.as_bytes()) {
                        self.leaf = Leaf::None;
                    }
                    return Seen::Code;
                }
                Leaf::HtmlToBlank => {
                    if cur.is_blank() {
                        self.leaf = Leaf::None;
                        return Seen::Text;
                    }
                    return Seen::Code;
                }
                Leaf::IndentedCode => {
                    if cur.is_blank() || cur.indent().0 >= 4 {
                        return Seen::Code;
                    }
                    self.leaf = Leaf::None;
                }
                Leaf::None | Leaf::Paragraph => {}
            }
        } else if self.leaf == Leaf::Paragraph && !blank {
            // A lazy continuation line: paragraph text that does not start a block.
            if matches!(start_at(&cur, true, false), Start::Paragraph) {
                return Seen::Text;
            }
        }
        if !all {
            self.containers.truncate(matched);
            self.leaf = Leaf::None;
        }
        self.mark_items_used(blank);
        // New blocks.
        loop {
            let paragraph = self.leaf == Leaf::Paragraph;
            let start = start_at(&cur, paragraph, paragraph);
            if !matches!(
                start,
                Start::Paragraph | Start::Blank | Start::Setext | Start::IndentedCode
            ) {
                self.leaf = Leaf::None;
            }
            match start {
                Start::Blank => {
                    if !matches!(self.leaf, Leaf::IndentedCode) {
                        self.leaf = Leaf::None;
                    }
                    return Seen::Text;
                }
                Start::Paragraph => {
                    self.leaf = Leaf::Paragraph;
                    return Seen::Text;
                }
                Start::IndentedCode => {
                    self.leaf = Leaf::IndentedCode;
                    return Seen::Code;
                }
                Start::Setext | Start::Heading | Start::Break => {
                    self.leaf = Leaf::None;
                    return Seen::Text;
                }
                Start::Fence { ch, len } => {
                    let indent = cur.indent().0;
                    self.leaf = Leaf::Fence { ch, len, indent };
                    return Seen::Code;
                }
                Start::Html(leaf) => {
                    self.leaf = leaf;
                    if let Leaf::Html { end } = leaf {
                        cur.skip_indent();
                        if contains_ignoring_case(cur.text(), end.as_bytes()) {
                            self.leaf = Leaf::None;
                        }
                    }
                    return Seen::Code;
                }
                Start::Quote => {
                    if self.containers.len() >= MAX_DEPTH {
                        self.leaf = Leaf::Paragraph;
                        return Seen::Text;
                    }
                    cur.skip_indent();
                    cur.skip_bytes(1);
                    if matches!(cur.text().first(), Some(b' ' | b'\t')) {
                        cur.skip_cols(1);
                    }
                    self.containers.push(Container::Quote);
                }
                Start::Item { marker, empty } => {
                    if self.containers.len() >= MAX_DEPTH {
                        self.leaf = Leaf::Paragraph;
                        return Seen::Text;
                    }
                    // The content's column counts from where the item starts: the lines
                    // that continue it are read after its outer containers are skipped.
                    let start = cur.col;
                    cur.skip_indent();
                    cur.skip_bytes(marker);
                    let after = cur.col - start;
                    let content = if empty {
                        after + 1
                    } else {
                        let (spaces, _) = cur.indent();
                        if spaces > 4 {
                            cur.skip_cols(1);
                            after + 1
                        } else {
                            cur.skip_cols(spaces);
                            after + spaces
                        }
                    };
                    self.containers.push(Container::Item { content, empty });
                    if empty {
                        return Seen::Text;
                    }
                }
            }
        }
    }

    /// List items that a non-blank line continues are no longer empty.
    fn mark_items_used(&mut self, blank: bool) {
        if blank {
            return;
        }
        for container in &mut self.containers {
            if let Container::Item { empty, .. } = container {
                *empty = false;
            }
        }
    }
}

/// Whether the line at `cur` closes a fence of `len` `ch` characters.
fn closes_fence(cur: &Cursor, ch: u8, len: usize) -> bool {
    let (indent, at) = cur.indent();
    if indent > 3 {
        return false;
    }
    let text = &cur.rest[at..];
    let run = text.iter().take_while(|&&b| b == ch).count();
    run >= len && text[run..].iter().all(|&b| b == b' ' || b == b'\t')
}

/// What the line at `cur` starts. `paragraph`: a paragraph is open (kind 7 HTML and indented
/// code cannot interrupt it); `interrupts`: the paragraph is in the innermost container the
/// line continues (an empty list item, or an ordered one not starting at 1, cannot interrupt
/// it, and a setext underline ends it).
fn start_at(cur: &Cursor, paragraph: bool, interrupts: bool) -> Start {
    let (indent, at) = cur.indent();
    let text = &cur.rest[at.min(cur.rest.len())..];
    let Some(&first) = text.first() else {
        return Start::Blank;
    };
    if indent >= 4 {
        return if paragraph {
            Start::Paragraph
        } else {
            Start::IndentedCode
        };
    }
    match first {
        b'>' => return Start::Quote,
        b'#' => {
            let hashes = text.iter().take_while(|&&b| b == b'#').count();
            if hashes <= 6 && matches!(text.get(hashes), None | Some(b' ' | b'\t')) {
                return Start::Heading;
            }
        }
        b'`' | b'~' => {
            let run = text.iter().take_while(|&&b| b == first).count();
            if run >= 3 && (first == b'~' || !text[run..].contains(&b'`')) {
                return Start::Fence {
                    ch: first,
                    len: run,
                };
            }
        }
        b'<' => {
            if let Some(leaf) = html_start(text, paragraph) {
                return Start::Html(leaf);
            }
        }
        _ => {}
    }
    if interrupts && is_setext_underline(text) {
        return Start::Setext;
    }
    if is_thematic_break(text) {
        return Start::Break;
    }
    if let Some((marker, empty, ordered_from_one, ordered)) = list_marker(text) {
        let allowed = !interrupts || (!empty && (!ordered || ordered_from_one));
        if allowed {
            return Start::Item { marker, empty };
        }
    }
    Start::Paragraph
}

fn is_setext_underline(text: &[u8]) -> bool {
    let Some(&ch) = text.first() else {
        return false;
    };
    if ch != b'=' && ch != b'-' {
        return false;
    }
    let run = text.iter().take_while(|&&b| b == ch).count();
    text[run..].iter().all(|&b| b == b' ' || b == b'\t')
}

fn is_thematic_break(text: &[u8]) -> bool {
    let Some(&ch) = text.first() else {
        return false;
    };
    if !matches!(ch, b'*' | b'-' | b'_') {
        return false;
    }
    let mut count = 0;
    for &b in text {
        match b {
            b' ' | b'\t' => {}
            b if b == ch => count += 1,
            _ => return false,
        }
    }
    count >= 3
}

/// A list marker at the start of `text`: its length, whether the item is empty, whether it
/// is an ordered one starting at 1, and whether it is ordered.
fn list_marker(text: &[u8]) -> Option<(usize, bool, bool, bool)> {
    let (len, one, ordered) = match text.first()? {
        b'-' | b'+' | b'*' => (1, false, false),
        b'0'..=b'9' => {
            let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(text.get(digits), Some(b'.' | b')')) {
                return None;
            }
            let one = text[..digits - 1].iter().all(|&b| b == b'0') && text[digits - 1] == b'1';
            (digits + 1, one, true)
        }
        _ => return None,
    };
    match text.get(len) {
        None => Some((len, true, one, ordered)),
        Some(b' ' | b'\t') => {
            let empty = text[len..].iter().all(|&b| b == b' ' || b == b'\t');
            Some((len, empty, one, ordered))
        }
        _ => None,
    }
}

/// The seven kinds of HTML block start (CommonMark 4.6); `paragraph`: kind 7 cannot interrupt
/// one.
fn html_start(text: &[u8], paragraph: bool) -> Option<Leaf> {
    let after = &text[1..];
    for (tag, end) in [
        (&b"pre"[..], "</pre>"),
        (b"script", "</script>"),
        (b"style", "</style>"),
        (b"textarea", "</textarea>"),
    ] {
        if after.len() >= tag.len()
            && after[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(after.get(tag.len()), None | Some(b' ' | b'\t' | b'>'))
        {
            return Some(Leaf::Html { end });
        }
    }
    if after.starts_with(b"!--") {
        return Some(Leaf::Html { end: "-->" });
    }
    if after.starts_with(b"?") {
        return Some(Leaf::Html { end: "?>" });
    }
    if after.starts_with(b"![CDATA[") {
        return Some(Leaf::Html { end: "]]>" });
    }
    if after.len() > 1 && after[0] == b'!' && after[1].is_ascii_alphabetic() {
        return Some(Leaf::Html { end: ">" });
    }
    let name_from = usize::from(after.first() == Some(&b'/'));
    let name_len = after[name_from..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let name = &after[name_from..name_from + name_len];
    let rest = &after[name_from + name_len..];
    if is_block_tag(name)
        && (matches!(rest.first(), None | Some(b' ' | b'\t' | b'>')) || rest.starts_with(b"/>"))
    {
        return Some(Leaf::HtmlToBlank);
    }
    if !paragraph && complete_tag(text).is_some_and(|end| is_blank(&text[end..])) {
        return Some(Leaf::HtmlToBlank);
    }
    None
}

fn is_blank(text: &[u8]) -> bool {
    text.iter().all(|&b| b == b' ' || b == b'\t')
}

/// The block-level tag names of kind 6.
const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

fn is_block_tag(name: &[u8]) -> bool {
    !name.is_empty()
        && BLOCK_TAGS
            .iter()
            .any(|tag| tag.as_bytes().eq_ignore_ascii_case(name))
}

/// A complete open tag (`<a href="x">`) or closing tag (`</a>`) at the start of `text`: the
/// index just after it.
fn complete_tag(text: &[u8]) -> Option<usize> {
    let mut i = 1;
    let closing = text.get(i) == Some(&b'/');
    i += usize::from(closing);
    if !text.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while text
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        i += 1;
    }
    let ws = |i: &mut usize| {
        let from = *i;
        while matches!(text.get(*i), Some(b' ' | b'\t')) {
            *i += 1;
        }
        *i > from
    };
    if closing {
        ws(&mut i);
        return (text.get(i) == Some(&b'>')).then_some(i + 1);
    }
    loop {
        let spaced = ws(&mut i);
        match text.get(i) {
            Some(b'>') => return Some(i + 1),
            Some(b'/') => return (text.get(i + 1) == Some(&b'>')).then_some(i + 2),
            Some(b) if spaced && (b.is_ascii_alphabetic() || *b == b'_' || *b == b':') => {
                i += 1;
                while text.get(i).is_some_and(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-')
                }) {
                    i += 1;
                }
                let before_value = i;
                ws(&mut i);
                if text.get(i) == Some(&b'=') {
                    i += 1;
                    ws(&mut i);
                    match text.get(i)? {
                        q @ (b'"' | b'\'') => {
                            let close = text[i + 1..].iter().position(|b| b == q)?;
                            i += close + 2;
                        }
                        _ => {
                            let from = i;
                            while text.get(i).is_some_and(|b| {
                                !matches!(
                                    b,
                                    b' ' | b'\t' | b'"' | b'\'' | b'=' | b'<' | b'>' | b'`'
                                )
                            }) {
                                i += 1;
                            }
                            if i == from {
                                return None;
                            }
                        }
                    }
                } else {
                    i = before_value;
                }
            }
            _ => return None,
        }
    }
}

fn contains_ignoring_case(text: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || text
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether `line` could open a block that hides lines at column 0 after it (a fence or an
/// HTML block, at the top level or inside quotes and list items): the lines a fast reader
/// cannot pass without reading. `~~alice~~` in a round line, or `<` inside a sentence, cannot.
pub fn may_open_block(line: &[u8]) -> bool {
    let mut rest = line;
    loop {
        let text = rest.trim_ascii_start();
        match text.first() {
            Some(b'`' | b'~' | b'<') => return true,
            Some(b'>') => rest = &text[1..],
            Some(b'-' | b'+' | b'*') if matches!(text.get(1), Some(b' ' | b'\t')) => {
                rest = &text[2..];
            }
            Some(b'0'..=b'9') => {
                let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
                match (text.get(digits), text.get(digits + 1)) {
                    (Some(b'.' | b')'), Some(b' ' | b'\t')) => rest = &text[digits + 2..],
                    _ => return false,
                }
            }
            _ => return false,
        }
    }
}

/// Whether some line of `text` may open a block ([`may_open_block`]), found with `memchr`.
/// Each line that holds one of the characters is looked at once: a round line holds a
/// hundred `~`, and looking at it again for each made `log --list --grep` 6 times slower.
pub fn any_may_open_block(text: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = memchr::memchr3(b'`', b'~', b'<', &text[from..]).map(|i| from + i) {
        let start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
        if may_open_block(&text[start..end]) {
            return true;
        }
        from = end;
    }
    false
}

/// A line at column 0 that a reader at the top level reads as an ATX heading: no container
/// and no block but one at the top level can hold it.
fn is_heading_at_column_0(line: &[u8]) -> bool {
    let hashes = line.iter().take_while(|&&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.get(hashes), None | Some(b' ' | b'\t' | b'\r'))
}

/// The most hypotheses about the blocks open where a window starts that a reader follows;
/// a window that needs more is not trusted.
const MAX_HYPOTHESES: usize = 24;

/// Reading the log from the middle, where the blocks open before the first line are unknown.
///
/// A fence or an HTML block opened before the window may hide its first lines, and a closing
/// fence then reads as an opening one: a window reader on its own could take text inside a
/// code block for records. So the reader follows, beside its own reading (nothing open at the
/// start), every other reading the window's text allows: inside a fence of each character and
/// of each length its lines could close, inside each kind of HTML block whose end the window
/// holds. A reading that never leaves its block would make the log end inside a block, which
/// writers refuse and `rota check` reports, so it is not the log's. Once every other reading
/// has become the reader's own, the first heading at column 0 (which closes every quote and
/// list item) is where the window's reading is the whole log's: [`Midway::agreed_from`].
pub struct Midway {
    top: Blocks,
    /// Readings not yet the same as `top`.
    others: Vec<Blocks>,
    /// The line after which the last of the others became `top`.
    converged: usize,
    /// The first line read as a heading at column 0 from `converged` on.
    heading: Option<usize>,
    line: usize,
    /// Too many readings to follow: nothing is trusted.
    overflow: bool,
}

/// Which readings a [`Midway`] reader follows, gathered from the window's text piece by piece
/// (whole lines each), so that a long window need not be held.
#[derive(Default)]
pub struct MidwayPlan {
    /// The lengths of the lines of backticks, then tildes, that could close a fence.
    runs: [Vec<usize>; 2],
    /// Which HTML block ends the text holds.
    ends: [bool; HTML_ENDS.len()],
}

/// What ends HTML blocks of kinds 1 to 5.
const HTML_ENDS: [&str; 8] = [
    "</pre>",
    "</script>",
    "</style>",
    "</textarea>",
    "-->",
    "?>",
    "]]>",
    ">",
];

impl MidwayPlan {
    /// Looks at more of the window: whole lines.
    pub fn scan(&mut self, text: &[u8]) {
        for (i, ch) in [b'`', b'~'].into_iter().enumerate() {
            for run in closing_runs(text, ch) {
                if !self.runs[i].contains(&run) {
                    self.runs[i].push(run);
                }
            }
        }
        let lowered = text.to_ascii_lowercase();
        for (seen, end) in self.ends.iter_mut().zip(HTML_ENDS) {
            *seen |= memchr::memmem::find(&lowered, end.as_bytes()).is_some();
        }
    }

    /// The reader, at the window's first line.
    pub fn start(self) -> Midway {
        let mut others = Vec::new();
        for (runs, ch) in self.runs.iter().zip([b'`', b'~']) {
            let Some(&max) = runs.iter().max() else {
                continue; // a fence of this character would never close: the log's end
            };
            let mut lengths: Vec<usize> = std::iter::once(3)
                .chain(runs.iter().map(|r| r + 1))
                .filter(|&n| n <= max)
                .collect();
            lengths.sort_unstable();
            lengths.dedup();
            others.extend(
                lengths
                    .into_iter()
                    .map(|len| Blocks::inside(Leaf::Fence { ch, len, indent: 0 })),
            );
        }
        for (seen, end) in self.ends.iter().zip(HTML_ENDS) {
            if *seen {
                others.push(Blocks::inside(Leaf::Html { end }));
            }
        }
        others.push(Blocks::inside(Leaf::HtmlToBlank));
        let overflow = others.len() > MAX_HYPOTHESES;
        Midway {
            top: Blocks::new(),
            others,
            converged: 0,
            heading: None,
            line: 0,
            overflow,
        }
    }
}

impl Midway {
    /// A reader of a window whose whole text is `window`.
    pub fn new(window: &[u8]) -> Midway {
        let mut plan = MidwayPlan::default();
        plan.scan(window);
        plan.start()
    }

    /// Reads the next line of the window: how the reader's own reading sees it.
    pub fn read(&mut self, line: &[u8]) -> Seen {
        let seen = self.top.read(line);
        if !self.overflow {
            for other in &mut self.others {
                other.read(line);
            }
            let before = self.others.len();
            let top = &self.top;
            self.others.retain(|other| !other.same_state(top));
            if self.others.len() < before {
                self.converged = self.line + 1;
                self.heading = None;
            }
        }
        if seen == Seen::Text
            && self.heading.is_none()
            && self.line >= self.converged
            && is_heading_at_column_0(line)
        {
            self.heading = Some(self.line);
        }
        self.line += 1;
        seen
    }

    /// The first line (0-based, counted from the window's start) from which the window reads
    /// as the whole log does, when the log does not end inside a block; `None` when no line
    /// of the window is sure.
    pub fn agreed_from(&self) -> Option<usize> {
        if self.overflow || self.others.iter().any(|other| !other.ends_inside_a_block()) {
            return None;
        }
        self.heading
    }
}

/// The lengths of the runs of `ch` on lines of `window` that could close a fence of `ch`.
fn closing_runs(window: &[u8], ch: u8) -> Vec<usize> {
    let mut runs = Vec::new();
    for at in memchr::memchr_iter(ch, window) {
        let start = memchr::memrchr(b'\n', &window[..at]).map_or(0, |i| i + 1);
        if at > start && window[at - 1] == ch {
            continue; // counted from the run's first character
        }
        let end = memchr::memchr(b'\n', &window[at..]).map_or(window.len(), |i| at + i);
        let line = &window[start..end];
        let from = at - start;
        let run = line[from..].iter().take_while(|&&b| b == ch).count();
        let closing = run >= 3
            && line[from + run..]
                .iter()
                .all(|&b| matches!(b, b' ' | b'\t' | b'\r'))
            && may_open_block(line);
        if closing && !runs.contains(&run) {
            runs.push(run);
        }
    }
    runs
}

impl Blocks {
    /// The same blocks open (whatever lines each reader counted).
    fn same_state(&self, other: &Blocks) -> bool {
        self.containers == other.containers && self.leaf == other.leaf
    }

    /// Whether the lines so far leave a block open at the top level that no later line at
    /// column 0 ends (a fence, or an HTML block that ends at its own marker).
    fn ends_inside_a_block(&self) -> bool {
        self.open_block().is_some()
    }
}

#[cfg(test)]
mod tests;
