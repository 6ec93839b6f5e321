//! Three-way merge of the on-call log, run by git as the log's custom merge driver.
//!
//! git's `merge=union` keeps both sides' lines but places them by position in the text, so an
//! entry one clone appended to Monday lands under Tuesday when the other clone started Tuesday.
//! This merge knows the log's shape: day sections are merged by date, and inside a day the
//! blocks (entries and `###` records with their lines) are merged as multisets and ordered by
//! the team's local time, so nothing either side wrote is lost or misfiled.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::logformat::{
    Blocks, ENTRY, RECORD_HEADING, Seen, block_start_minute, day_heading_date,
    is_heading_within_day, is_log_heading, log_heading_at_minute,
};

/// An entry (`- HH:MM UTC author: text`) or a record (`### Word HH:MM UTC …`) with the lines
/// after it.
#[derive(Clone, Debug, PartialEq)]
struct Block {
    /// Minute of the UTC day given in its first line.
    minute: i32,
    /// Its lines joined by `\n`, trailing blank lines removed: the block's merge key.
    text: String,
}

#[derive(Debug, Default, PartialEq)]
struct Section<'a> {
    heading: &'a str,
    lead: Vec<&'a str>,
    blocks: Vec<Block>,
}

#[derive(Debug, Default)]
struct Log<'a> {
    preamble: Vec<&'a str>,
    days: BTreeMap<NaiveDate, Section<'a>>,
}

/// Merges three versions of the log. `into_day(date, minute)` is how far into the team's day
/// `date` the log's `HH:MM UTC` time `minute` falls ([`crate::calendar::minutes_into_day`]),
/// which orders the blocks of a day.
pub fn merge(
    base: &str,
    ours: &str,
    theirs: &str,
    into_day: &dyn Fn(NaiveDate, i32) -> i32,
) -> String {
    if theirs == base || ours == theirs {
        return ours.to_string();
    }
    if ours == base {
        return theirs.to_string();
    }
    let (mut b, mut o, mut t) = (parse(base), parse(ours), parse(theirs));
    let preambles = [&mut b, &mut o, &mut t].map(|log| std::mem::take(&mut log.preamble));
    let mut merged = Log {
        preamble: merge_lines(&preambles[0], &preambles[1], &preambles[2]),
        days: BTreeMap::new(),
    };
    drop(preambles);
    let dates: BTreeSet<NaiveDate> = o.days.keys().chain(t.days.keys()).copied().collect();
    let none = Section::default();
    for date in dates {
        let (sb, so, st) = (b.days.get(&date), o.days.get(&date), t.days.get(&date));
        let heading = merge_heading(
            sb.map(|s| s.heading),
            so.map(|s| s.heading),
            st.map(|s| s.heading),
        );
        let (sb2, so2, st2) = (
            sb.unwrap_or(&none),
            so.unwrap_or(&none),
            st.unwrap_or(&none),
        );
        let lead = merge_lines(&sb2.lead, &so2.lead, &st2.lead);
        let key = |minute: i32| into_day(date, minute);
        let blocks = with_log_headings(
            merge_blocks(&sb2.blocks, &so2.blocks, &st2.blocks, &key),
            &sb2.blocks,
        );
        // A day one side deleted stays deleted unless something of it survives.
        let deleted = sb.is_some() && (so.is_none() || st.is_none());
        if deleted && blocks.is_empty() && trim(&lead).is_empty() {
            continue;
        }
        let section = Section {
            heading,
            lead,
            blocks,
        };
        merged.days.insert(date, section);
    }
    let text = render(&merged);
    if ours.contains("\r\n") {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The lines without trailing blank lines.
fn trim_end<'a, 'b>(lines: &'b [&'a str]) -> &'b [&'a str] {
    let end = lines
        .iter()
        .rposition(|l| !is_blank(l))
        .map_or(0, |i| i + 1);
    &lines[..end]
}

/// The lines without leading or trailing blank lines.
fn trim<'a, 'b>(lines: &'b [&'a str]) -> &'b [&'a str] {
    let lines = trim_end(lines);
    let start = lines.iter().position(|l| !is_blank(l)).unwrap_or(0);
    &lines[start..]
}

/// How the lines that start an entry or a record read in `text`: for each such line, how
/// often as text and how often inside a code or HTML block.
fn block_lines(text: &str) -> HashMap<&str, (usize, usize)> {
    let mut blocks = Blocks::new();
    let mut read: HashMap<&str, (usize, usize)> = HashMap::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let seen = blocks.read(line.as_bytes());
        if block_start_minute(line).is_some() || day_heading_date(line).is_some() {
            let counts = read.entry(line).or_default();
            match seen {
                Seen::Text => counts.0 += 1,
                Seen::Code => counts.1 += 1,
            }
        }
    }
    read
}

/// Whether every entry, record and day heading of `ours` and `theirs` reads in `merged` as it
/// reads on its own side: one that reads as text on a side is text in the merge, one that is
/// inside a block on a side is not made text. A block left open on one side (an entry whose
/// text opened a fence, and never closed it) could otherwise swallow the other side's record,
/// or a merge could cut a block in two.
pub fn reads_alike(ours: &str, theirs: &str, merged: &str) -> bool {
    let after = block_lines(merged);
    [block_lines(ours), block_lines(theirs)].iter().all(|side| {
        side.iter().all(|(line, &(text, code))| {
            let (m_text, m_code) = after.get(line).copied().unwrap_or_default();
            let lost = text > 0 && m_text == 0 && m_code > 0;
            let revealed = code > 0 && text == 0 && m_text > 0 && m_code == 0;
            !lost && !revealed
        })
    })
}

/// Lines that both sides removed from the base: the same line edited in two clones. The
/// merge cannot know which edit is right, so the driver leaves it to git's line merge, which
/// stops on a conflict (or joins two identical edits).
pub fn edits_clash(base: &str, ours: &str, theirs: &str) -> bool {
    // The base's lines counted, then each side's copies of them (lines the base lacks are
    // not kept: they cannot clash).
    let lines = |text| {
        str::lines(text)
            .map(str::trim_end)
            .filter(|l: &&str| !l.is_empty())
    };
    let mut counts: HashMap<&str, [u32; 3]> = HashMap::new();
    for line in lines(base) {
        counts.entry(line).or_default()[0] += 1;
    }
    for (side, text) in [(1, ours), (2, theirs)] {
        for line in lines(text) {
            if let Some(count) = counts.get_mut(line) {
                count[side] += 1;
            }
        }
    }
    counts.values().any(|[b, o, t]| o < b && t < b)
}

fn parse(text: &str) -> Log<'_> {
    // A final newline leaves an empty last line, which trimming drops like any blank line.
    let mut blocks = Blocks::new();
    let lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .map(|l| (l, blocks.read(l.as_bytes()) == Seen::Code));
    let mut log = Log::default();
    // Each day's heading and body lines, each line with whether a code block hides it.
    type Day<'a> = (NaiveDate, &'a str, Vec<(&'a str, bool)>);
    let mut raw: Vec<Day> = Vec::new();
    for (line, fenced) in lines {
        let day = if fenced { None } else { day_heading_date(line) };
        match (day, raw.last_mut()) {
            (Some(date), _) => raw.push((date, line, Vec::new())),
            (None, Some((_, _, body))) => body.push((line, fenced)),
            (None, None) => log.preamble.push(line),
        }
    }
    let kept = trim_end(&log.preamble).len();
    log.preamble.truncate(kept);
    let start_of = |&(line, fenced): &(&str, bool)| {
        if fenced {
            None
        } else {
            block_start_minute(line)
        }
    };
    for (date, heading, body) in raw {
        let start = body.iter().position(|l| start_of(l).is_some());
        let start = start.unwrap_or(body.len());
        let lead_lines: Vec<&str> = body[..start].iter().map(|(l, _)| *l).collect();
        let lead = trim(&lead_lines).to_vec();
        let mut starts: Vec<(i32, Vec<&str>)> = Vec::new();
        for entry in &body[start..] {
            let line = entry.0;
            match (start_of(entry), starts.last_mut()) {
                (Some(minute), _) => starts.push((minute, vec![line])),
                (None, Some((_, lines))) => lines.push(line),
                (None, None) => unreachable!("the body starts with a block"),
            }
        }
        let blocks = starts.into_iter().map(|(minute, lines)| Block {
            minute,
            text: trim_end(&lines).join("\n"),
        });
        let section = log.days.entry(date).or_insert_with(|| Section {
            heading,
            ..Section::default()
        });
        // A repeated heading of the same day (old format) is folded into the first; hand
        // text under it stays after what came before it.
        if !lead.is_empty() {
            match section.blocks.last_mut() {
                Some(last) => last.text = format!("{}\n\n{}", last.text, lead.join("\n")),
                None if section.lead.is_empty() => section.lead = lead,
                None => section.lead.extend([""].into_iter().chain(lead)),
            }
        }
        section.blocks.extend(blocks);
    }
    log
}

/// Ours, then the lines theirs added that ours lacks (the last copies, in theirs' order).
fn merge_lines<'a>(base: &[&'a str], ours: &[&'a str], theirs: &[&'a str]) -> Vec<&'a str> {
    if theirs == base {
        return ours.to_vec();
    }
    if ours == base {
        return theirs.to_vec();
    }
    // Sorted copies, each line's copies counted by binary search: n log n in hand-written
    // lines, in memory a few words a line (a count per line would be quadratic, a hash map
    // of every line several times the text).
    let sorted = |lines: &[&'a str]| {
        let mut sorted = lines.to_vec();
        sorted.sort_unstable();
        sorted
    };
    let (base, mine) = (sorted(base), sorted(ours));
    let count = |sorted: &[&str], line: &str| {
        sorted.partition_point(|l| *l <= line) - sorted.partition_point(|l| *l < line)
    };
    // Theirs' lines by text, then place: of each line's copies, the last `added` are kept.
    let mut order: Vec<u32> = (0..theirs.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (theirs[i as usize], i));
    let mut keep = vec![false; theirs.len()];
    for group in order.chunk_by(|a, b| theirs[*a as usize] == theirs[*b as usize]) {
        let line = theirs[group[0] as usize];
        let added = group
            .len()
            .saturating_sub(count(&base, line).max(count(&mine, line)));
        for &i in &group[group.len() - added..] {
            keep[i as usize] = true;
        }
    }
    let kept = keep.iter().filter(|k| **k).count();
    let mut out = Vec::with_capacity(ours.len() + kept);
    out.extend_from_slice(ours);
    out.extend(theirs.iter().zip(keep).filter(|(_, k)| *k).map(|(l, _)| *l));
    out
}

/// The side that changed the heading; if both did, the smaller, so the side does not matter.
fn merge_heading<'a>(
    base: Option<&'a str>,
    ours: Option<&'a str>,
    theirs: Option<&'a str>,
) -> &'a str {
    let pick = if ours == theirs || theirs == base {
        ours
    } else if ours == base {
        theirs
    } else {
        ours.zip(theirs).map(|(o, t)| o.min(t))
    };
    pick.or(ours).or(theirs).unwrap_or_default()
}

/// Multiset 3-way merge: each distinct block is kept `ours + theirs - base` times, ordered by
/// local time of day (then text) like a merge sort of ours and theirs' additions.
fn merge_blocks(
    base: &[Block],
    ours: &[Block],
    theirs: &[Block],
    into_day: &dyn Fn(i32) -> i32,
) -> Vec<Block> {
    fn counts(blocks: &[Block]) -> HashMap<&str, usize> {
        let mut counts = HashMap::new();
        for block in blocks {
            *counts.entry(block.text.as_str()).or_insert(0) += 1;
        }
        counts
    }
    let (cb, co, ct) = (counts(base), counts(ours), counts(theirs));
    let get = |counts: &HashMap<&str, usize>, text: &str| counts.get(text).copied().unwrap_or(0);
    let keep = |text: &str| {
        let (b, o, t) = (get(&cb, text), get(&co, text), get(&ct, text));
        // A `### Log HH:MM UTC` heading both sides wrote opens the same entries: once.
        if is_log_heading(text) && o >= b && t >= b {
            o.max(t)
        } else {
            (o + t).saturating_sub(b)
        }
    };
    // Ours' surviving copies (the first ones), theirs' extra copies (the last ones).
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let xs: Vec<&Block> = ours
        .iter()
        .filter(|b| {
            let n = seen.entry(&b.text).or_insert(0);
            *n += 1;
            *n <= keep(&b.text)
        })
        .collect();
    let kept: HashMap<&str, usize> = counts_of(&xs);
    // Theirs' extra copies, each with how many of the blocks both sides keep come before it
    // in theirs: it goes after those, as it was written after them.
    let mut left = ct.clone();
    let mut shared_seen = 0;
    let mut shared: HashMap<&str, usize> = HashMap::new();
    let mut ys: Vec<(&Block, usize)> = Vec::new();
    for b in theirs {
        let later = left.get_mut(b.text.as_str()).expect("counted");
        *later -= 1;
        if *later < keep(&b.text).saturating_sub(get(&co, &b.text)) {
            ys.push((b, shared_seen));
        } else if get(&kept, &b.text) > get(&shared, &b.text) {
            *shared.entry(b.text.as_str()).or_insert(0) += 1;
            shared_seen += 1;
        }
    }
    let key = |b: &Block| into_day(b.minute);
    let (mut xs, mut ys) = (xs.into_iter().peekable(), ys.into_iter().peekable());
    let mut out = Vec::new();
    // How many of the blocks both sides keep are out: a block of theirs waits for those
    // written before it, so that no block ever moves above one its side had before it.
    let mut shared_out = 0;
    loop {
        let take_ours = match (xs.peek(), ys.peek()) {
            (Some(_), Some((_, before))) if *before > shared_out => true,
            (Some(x), Some((y, _))) => (key(x), &x.text) <= (key(y), &y.text),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        if take_ours {
            let x = xs.next().expect("peeked");
            if let Some(n) = shared.get_mut(x.text.as_str())
                && *n > 0
            {
                *n -= 1;
                shared_out += 1;
            }
            out.push(x.clone());
        } else {
            out.push(ys.next().expect("peeked").0.clone());
        }
    }
}

fn counts_of<'a>(blocks: &[&'a Block]) -> HashMap<&'a str, usize> {
    let mut counts = HashMap::new();
    for block in blocks {
        *counts.entry(block.text.as_str()).or_insert(0) += 1;
    }
    counts
}

/// The merged blocks of a day, with a `### Log HH:MM UTC` heading before an entry new since
/// `base` that now follows a record (one side wrote it before that record came in): as `rota
/// log` writes one, so that a forge shows the entry as the day's, not as part of the record
/// above it. What `base` held stays as it was.
fn with_log_headings(blocks: Vec<Block>, base: &[Block]) -> Vec<Block> {
    let old: std::collections::HashSet<&str> = base.iter().map(|b| b.text.as_str()).collect();
    let mut out = Vec::with_capacity(blocks.len());
    let mut after_record = false;
    for block in blocks {
        let first = block.text.lines().next().unwrap_or_default();
        if is_log_heading(first) {
            after_record = false;
        } else if is_heading_within_day(first) {
            after_record = true;
        } else if after_record && first.starts_with(ENTRY) && !old.contains(block.text.as_str()) {
            out.push(Block {
                minute: block.minute,
                text: log_heading_at_minute(block.minute),
            });
            after_record = false;
        }
        out.push(block);
    }
    out
}

/// The log's text: written line by line into one string (a log may hold many lines of hand
/// text before its first day).
fn render(log: &Log) -> String {
    let mut text = String::new();
    let mut line = |line: &str| {
        text.push_str(line);
        text.push('\n');
    };
    trim_end(&log.preamble).iter().for_each(|l| line(l));
    let mut any = !trim_end(&log.preamble).is_empty();
    for section in log.days.values() {
        let mut lines = vec![section.heading, ""];
        let lead = trim(&section.lead);
        if !lead.is_empty() {
            lines.extend(lead);
            lines.push("");
        }
        let roomy = |b: &Block| b.text.starts_with(RECORD_HEADING) || b.text.contains('\n');
        for (i, block) in section.blocks.iter().enumerate() {
            if i > 0 && (roomy(&section.blocks[i - 1]) || roomy(block)) {
                lines.push("");
            }
            lines.extend(block.text.split('\n'));
        }
        if any {
            line("");
        }
        any = true;
        trim_end(&lines).iter().for_each(|l| line(l));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEAD: &str = "# On-call log: Cloud SRE\n\nKept by `rota`: one section per working day.\n";
    const MON: &str =
        "\n## 2026-11-16 Mon\n\n- 08:12 UTC erin: Rebooted cloudvirt1031 #maintenance\n";

    fn utc(base: &str, ours: &str, theirs: &str) -> String {
        merge(base, ours, theirs, &|_, minute| minute)
    }

    /// Merges both ways round and checks the result does not depend on which side is ours.
    fn both(base: &str, ours: &str, theirs: &str) -> String {
        let merged = utc(base, ours, theirs);
        assert_eq!(merged, utc(base, theirs, ours), "depends on the side");
        merged
    }

    #[test]
    fn no_block_moves_above_one_its_side_had_before_it() {
        let base = "# L\n\n## 2026-11-23 Mon\n\n### Handover 16:05 UTC: a → b\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (b)\n";
        // A record written by hand after the standing one, claiming an earlier minute: it
        // stays below it, whichever side it is on, and the standing one stays first.
        let forged = format!(
            "{base}\n### Handover 16:00 UTC: a → c\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (c)\n"
        );
        let later = format!("{base}\n### Log 17:00 UTC\n\n- 17:00 UTC b: evening\n");
        let merged = both(base, &later, &forged);
        assert!(
            merged.find("16:05 UTC: a → b").unwrap() < merged.find("16:00 UTC: a → c").unwrap(),
            "{merged}"
        );
        // A clock running behind: a record written after an entry, with an earlier minute,
        // stays after it; the other side's later entry goes after both, the same either way.
        let base = "# L\n\n## 2026-11-23 Mon\n\n- 16:20 UTC a: before the handover\n";
        let behind = format!(
            "{base}\n### Handover 16:10 UTC: b → c\n\n- Served: Mon 2026-11-23 (b)\n- Next: Tue 2026-11-24 (c)\n"
        );
        let other = format!("{base}- 16:30 UTC c: offline\n");
        assert_eq!(
            both(base, &behind, &other),
            format!("{behind}\n### Log 16:30 UTC\n\n- 16:30 UTC c: offline\n")
        );
    }

    #[test]
    fn an_entry_merged_after_a_record_goes_under_a_log_heading() {
        let base = "# L\n\n## 2026-11-23 Mon\n\n- 09:00 UTC a: morning\n";
        let ours = format!(
            "{base}\n### Handover 16:05 UTC: a → b\n\n- Served: Mon 2026-11-23 (a)\n- Next: Tue 2026-11-24 (b)\n"
        );
        let theirs = format!("{base}- 16:10 UTC c: before I pulled\n");
        assert_eq!(
            both(base, &ours, &theirs),
            format!("{ours}\n### Log 16:10 UTC\n\n- 16:10 UTC c: before I pulled\n")
        );
        // An entry the base already held after a record (a log older than the heading)
        // stays as it was; only the new one gets the heading.
        let legacy = format!("{ours}\n- 17:00 UTC a: written before the heading existed\n");
        let tuesday = format!("{legacy}\n## 2026-11-24 Tue\n\n- 09:00 UTC a: tue\n");
        let more = format!("{legacy}- 18:00 UTC c: more\n");
        assert_eq!(
            both(&legacy, &tuesday, &more),
            format!(
                "{legacy}\n### Log 18:00 UTC\n\n- 18:00 UTC c: more\n\n## 2026-11-24 Tue\n\n- 09:00 UTC a: tue\n"
            )
        );
        // An entry that already has one, or comes before the record, gets none.
        let theirs = format!("{base}- 16:00 UTC c: earlier\n");
        assert_eq!(
            both(base, &ours, &theirs),
            ours.replace("\n### Handover", "- 16:00 UTC c: earlier\n\n### Handover")
        );
    }

    #[test]
    fn the_same_line_edited_on_both_sides_is_a_clash() {
        let base = "# L\n\n## 2026-11-23 Mon\n\n- 09:00 UTC a: restarted the wiki pod\n";
        let ours = base.replace("wiki pod", "wiki pod (by a)");
        let theirs = base.replace("wiki pod", "wiki pod and its cache");
        assert!(edits_clash(base, &ours, &theirs));
        // One side's edit, or appends on both sides, are not.
        let appended = format!("{base}- 10:00 UTC b: more\n");
        assert!(!edits_clash(base, &ours, &appended));
        assert!(!edits_clash(
            base,
            &appended,
            &format!("{base}- 11:00 UTC c: x\n")
        ));
    }

    #[test]
    fn a_code_block_written_by_hand_is_text_whatever_it_holds() {
        let base = "# L\n\n## 2026-11-23 Mon\n\n- 09:00 UTC a: morning\n";
        let ours = format!(
            "{base}\nHow to write a day:\n\n```\n## 2026-11-30 Mon\n\n- 10:00 UTC a: example\n```\n"
        );
        let theirs = format!("{base}- 11:00 UTC b: later\n");
        assert_eq!(
            both(base, &ours, &theirs),
            "# L\n\n## 2026-11-23 Mon\n\n- 09:00 UTC a: morning\n\nHow to write a day:\n\n```\n## 2026-11-30 Mon\n\n- 10:00 UTC a: example\n```\n\n- 11:00 UTC b: later\n"
        );
    }

    #[test]
    fn a_record_keeps_its_checklist_and_open_items_whatever_the_other_side_wrote() {
        // The items say when and by whom, like entries, but their `+` bullet keeps them
        // lines of their record: an entry the other side wrote at the same minute, or after
        // it, goes around the record, never into it.
        let base = format!("{HEAD}{MON}");
        let record = "\n### Handover 16:05 UTC: erin → alice\n\n- Served: Mon 2026-11-16 (erin)\n\
                      - Next: Tue 2026-11-17 (alice)\n\n* [x] Answered every open question\n\n\
                      + [x] 16:05 UTC erin: done: renew the cert\n\
                      + [ ] 16:05 UTC erin: open: rotate the key\n\nNote for alice: watch it\n\n\
                      Round 1: ~~erin~~, **alice**, bob\n";
        let ours = format!("{base}{record}");
        let theirs = format!("{base}- 16:05 UTC bob: same minute\n- 17:00 UTC bob: later\n");
        let merged = both(&base, &ours, &theirs);
        assert_eq!(
            merged,
            // Under a `### Log` heading, as `rota log` after a record writes them.
            format!(
                "{base}{record}\n### Log 16:05 UTC\n\n- 16:05 UTC bob: same minute\n- 17:00 UTC bob: later\n"
            )
        );
        let history = crate::history::parse(&merged);
        assert_eq!(history.records[0].open, ["rotate the key"]);
        assert_eq!(history.records[0].closed, ["renew the cert"]);
    }

    #[test]
    fn entries_after_a_record_keep_their_log_heading_in_a_merge() {
        // Two clones log after the same handover: each entry stays under a `### Log` heading
        // of its own, ordered by time, and the record is kept once.
        let base = format!(
            "{HEAD}{MON}\n### Handover 16:05 UTC: erin → alice\n\n- Served: Mon 2026-11-16 (erin)\n\nRound 1: ~~erin~~, **alice**\n"
        );
        let ours = format!("{base}\n### Log 16:30 UTC\n\n- 16:30 UTC erin: x\n");
        let theirs =
            format!("{base}\n### Log 16:40 UTC\n\n- 16:40 UTC alice: y\n- 16:50 UTC alice: z\n");
        assert_eq!(
            both(&base, &ours, &theirs),
            format!(
                "{base}\n### Log 16:30 UTC\n\n- 16:30 UTC erin: x\n\n### Log 16:40 UTC\n\n- 16:40 UTC alice: y\n- 16:50 UTC alice: z\n"
            )
        );
    }

    #[test]
    fn fast_paths_return_a_side_byte_for_byte() {
        let (b, o) = ("x\n", "x\r\ny  ");
        assert_eq!(utc(b, o, b), o);
        assert_eq!(utc(b, b, o), o);
        assert_eq!(utc("z", o, o), o);
    }

    #[test]
    fn canonical_file_round_trips() {
        let log = format!(
            "{HEAD}{MON}- 13:40 UTC bob: Fixed quota drift\n\n\
             ### Handover 16:05 UTC: erin → alice\n\n- Served: Mon 2026-11-16 (erin)\n\
             - Next: Tue 2026-11-17 (alice)\n\n- [x] Answered every open question\n\
             - [ ] Wrote a runbook: draft in the wiki\n\nNote for alice: watch its load\n\n\
             Round 1: ~~erin~~, **alice**, bob, carol, dave\n\n\
             - 18:20 UTC erin: after the handover\n- 18:30 UTC erin: and another\n\n\
             ## 2026-11-17 Tue · on call: alice\n\nHand text in the lead.\n\n\
             - 09:00 UTC alice: one\n  hand-wrapped line\n\n- 09:30 UTC alice: two\n\n\
             ## 2026-11-18 Wed\n"
        );
        assert_eq!(render(&parse(&log)), log);
        assert_eq!(render(&parse("## 2026-11-16 Mon\n")), "## 2026-11-16 Mon\n");
    }

    #[test]
    fn same_day_appends_interleave_by_time() {
        let base = format!("{HEAD}{MON}");
        let ours = format!("{base}- 09:00 UTC erin: b\n- 11:00 UTC erin: d\n");
        let theirs = format!("{base}- 10:00 UTC bob: c\n");
        let want = format!("{base}- 09:00 UTC erin: b\n- 10:00 UTC bob: c\n- 11:00 UTC erin: d\n");
        assert_eq!(both(&base, &ours, &theirs), want);
    }

    #[test]
    fn entries_at_the_same_minute_are_ordered_by_text() {
        let base = format!("{HEAD}{MON}");
        let ours = format!("{base}- 10:00 UTC erin: zz\n");
        let theirs = format!("{base}- 10:00 UTC bob: yy\n- 10:00 UTC erin: aa\n");
        let want =
            format!("{base}- 10:00 UTC bob: yy\n- 10:00 UTC erin: aa\n- 10:00 UTC erin: zz\n");
        assert_eq!(both(&base, &ours, &theirs), want);
    }

    #[test]
    fn new_days_on_each_side_come_out_in_date_order() {
        let base = format!("{HEAD}{MON}");
        let ours = format!("{base}\n## 2026-11-17 Tue\n\n- 09:00 UTC alice: tue\n");
        let theirs = format!("{base}\n## 2026-11-18 Wed\n\n- 09:00 UTC bob: wed\n");
        let want = format!(
            "{base}\n## 2026-11-17 Tue\n\n- 09:00 UTC alice: tue\n\
             \n## 2026-11-18 Wed\n\n- 09:00 UTC bob: wed\n"
        );
        assert_eq!(both(&base, &ours, &theirs), want);
    }

    #[test]
    fn monday_entry_stays_under_monday_when_the_other_side_started_tuesday() {
        let base = format!("{HEAD}{MON}");
        let ours = format!("{base}- 15:00 UTC erin: late monday\n");
        let theirs = format!("{base}\n## 2026-11-17 Tue\n\n- 09:00 UTC alice: tue\n");
        let want = format!(
            "{base}- 15:00 UTC erin: late monday\n\n## 2026-11-17 Tue\n\n- 09:00 UTC alice: tue\n"
        );
        assert_eq!(both(&base, &ours, &theirs), want);
    }

    #[test]
    fn both_sides_creating_the_same_day_give_one_heading() {
        let base = format!("{HEAD}{MON}");
        let ours = format!("{base}\n## 2026-11-17 Tue\n\n- 09:00 UTC alice: x\n");
        let theirs = format!("{base}\n## 2026-11-17 Tue\n\n- 10:00 UTC bob: y\n");
        let want =
            format!("{base}\n## 2026-11-17 Tue\n\n- 09:00 UTC alice: x\n- 10:00 UTC bob: y\n");
        assert_eq!(both(&base, &ours, &theirs), want);
    }

    #[test]
    fn headings_changed_on_both_sides_take_the_smaller() {
        let base = "## 2026-11-17 Tue\n\n- 09:00 UTC a: x\n";
        let ours = "## 2026-11-17 Tue · on call: bob\n\n- 09:00 UTC a: x\n- 10:00 UTC a: y\n";
        let theirs = "## 2026-11-17 Tue · on call: alice\n\n- 09:00 UTC a: x\n";
        let want = "## 2026-11-17 Tue · on call: alice\n\n- 09:00 UTC a: x\n- 10:00 UTC a: y\n";
        assert_eq!(both(base, ours, theirs), want);
        // Changed on one side only: that side's heading.
        let theirs = "## 2026-11-17 Tue\n\n- 09:00 UTC a: x\n- 11:00 UTC a: z\n";
        let want = "## 2026-11-17 Tue · on call: bob\n\n- 09:00 UTC a: x\n- 10:00 UTC a: y\n- 11:00 UTC a: z\n";
        assert_eq!(both(base, ours, theirs), want);
    }

    #[test]
    fn handover_on_one_side_and_entries_on_the_other() {
        let base = format!("{HEAD}{MON}");
        let record = "### Handover 16:05 UTC: erin → alice\n\n- Served: Mon 2026-11-16 (erin)\n\
                      - Next: Tue 2026-11-17 (alice)\n\n- [x] Answered every open question\n\n\
                      Round 1: ~~erin~~, **alice**, bob\n";
        let ours = format!("{base}\n{record}");
        let theirs = format!("{base}- 13:40 UTC bob: quota\n- 18:20 UTC erin: evening\n");
        let want = format!(
            "{base}- 13:40 UTC bob: quota\n\n{record}\n### Log 18:20 UTC\n\n- 18:20 UTC erin: evening\n"
        );
        assert_eq!(both(&base, &ours, &theirs), want);
    }

    #[test]
    fn same_day_sections_in_one_side_are_folded() {
        let base = "# Log\n\n## 2026-11-16 Mon · on call: erin\n\n- 09:00 UTC erin: a\n";
        let ours = format!(
            "{base}\n## 2026-11-16 Mon · on call: bob\n\nbob's note\n\n- 18:00 UTC bob: b\n"
        );
        let theirs = format!("{base}- 10:00 UTC carol: c\n");
        let want = "# Log\n\n## 2026-11-16 Mon · on call: erin\n\n- 09:00 UTC erin: a\n\n\
                    bob's note\n\n- 10:00 UTC carol: c\n- 18:00 UTC bob: b\n";
        assert_eq!(both(base, &ours, &theirs), want);
    }

    #[test]
    fn hand_text_is_kept_byte_for_byte() {
        let base = "# Log  \n\n  indented *hand* text\t\n## not a date\n\n## 2026-11-16 Mon\n\n\
                    lead text\n- 09:00 UTC erin: a\n   wrapped   by hand\n## 2026-13-01 not a day\n";
        let ours = base.replace("lead text\n", "lead text\n  more lead\n");
        let ours = format!("{ours}- 10:00 UTC erin: b\n");
        let theirs = base.replace("## not a date\n", "## not a date\nTheirs' note: x  \n");
        let want = "# Log  \n\n  indented *hand* text\t\n## not a date\nTheirs' note: x  \n\n\
                    ## 2026-11-16 Mon\n\nlead text\n  more lead\n\n- 09:00 UTC erin: a\n\
                    \x20  wrapped   by hand\n## 2026-13-01 not a day\n\n- 10:00 UTC erin: b\n";
        assert_eq!(utc(base, &ours, &theirs), want);
    }

    #[test]
    fn hand_text_added_to_an_entry_replaces_it() {
        let base = "## 2026-11-16 Mon\n\n- 09:00 UTC erin: a\n- 10:00 UTC erin: b\n";
        let ours =
            "## 2026-11-16 Mon\n\n- 09:00 UTC erin: a\n  see ticket 42\n- 10:00 UTC erin: b\n";
        let theirs = format!("{base}- 11:00 UTC bob: c\n");
        let want = "## 2026-11-16 Mon\n\n- 09:00 UTC erin: a\n  see ticket 42\n\n\
                    - 10:00 UTC erin: b\n- 11:00 UTC bob: c\n";
        assert_eq!(both(base, ours, &theirs), want);
    }

    #[test]
    fn a_deletion_on_one_side_is_honoured() {
        let base = "## 2026-11-16 Mon\n\n- 09:00 UTC a: x\n- 10:00 UTC a: y\n";
        let ours = "## 2026-11-16 Mon\n\n- 09:00 UTC a: x\n";
        let theirs = format!("{base}- 11:00 UTC b: z\n");
        let want = "## 2026-11-16 Mon\n\n- 09:00 UTC a: x\n- 11:00 UTC b: z\n";
        assert_eq!(both(base, ours, &theirs), want);
        // A whole day deleted stays deleted.
        let base = format!("{base}\n## 2026-11-17 Tue\n\n- 09:00 UTC a: t\n");
        let theirs = format!("{base}- 10:00 UTC b: u\n");
        let want = "## 2026-11-17 Tue\n\n- 09:00 UTC a: t\n- 10:00 UTC b: u\n";
        assert_eq!(
            both(&base, "## 2026-11-17 Tue\n\n- 09:00 UTC a: t\n", &theirs),
            want
        );
    }

    #[test]
    fn a_block_both_sides_kept_is_not_doubled_but_both_copies_of_a_new_one_are() {
        let base = "## 2026-11-16 Mon\n\n- 09:00 UTC a: x\n";
        let ours = format!("{base}- 10:00 UTC a: same\n");
        let theirs = format!("{base}- 10:00 UTC a: same\n- 11:00 UTC a: z\n");
        let want = format!("{base}- 10:00 UTC a: same\n- 10:00 UTC a: same\n- 11:00 UTC a: z\n");
        assert_eq!(both(base, &ours, &theirs), want);
    }

    #[test]
    fn crlf_in_crlf_out() {
        let base = "# Log\r\n\r\n## 2026-11-16 Mon\r\n\r\n- 09:00 UTC a: x\r\n";
        let ours = format!("{base}- 10:00 UTC a: y\r\n");
        let theirs = format!("{base}\r\n## 2026-11-17 Tue\r\n\r\n- 09:00 UTC b: z");
        let want = "# Log\r\n\r\n## 2026-11-16 Mon\r\n\r\n- 09:00 UTC a: x\r\n- 10:00 UTC a: y\r\n\
                    \r\n## 2026-11-17 Tue\r\n\r\n- 09:00 UTC b: z\r\n";
        assert_eq!(both(base, &ours, &theirs), want);
        assert_eq!(
            utc(base, &ours.replace("\r\n", "\n"), &theirs),
            want.replace("\r\n", "\n")
        );
    }

    #[test]
    fn a_utc_plus_nine_team_orders_by_local_time() {
        let base = "## 2026-11-17 Tue\n\n- 22:00 UTC a: 07:00 local\n";
        let ours = format!("{base}- 01:00 UTC a: 10:00 local\n");
        let theirs = format!("{base}- 23:30 UTC b: 08:30 local\n");
        let tokyo = |ours: &str, theirs: &str| {
            merge(base, ours, theirs, &|_, minute| {
                (minute + 540).rem_euclid(1440)
            })
        };
        let want = format!("{base}- 23:30 UTC b: 08:30 local\n- 01:00 UTC a: 10:00 local\n");
        assert_eq!(tokyo(&ours, &theirs), want);
        assert_eq!(tokyo(&theirs, &ours), want);
        // In UTC the order is the other way round.
        let want = format!("{base}- 01:00 UTC a: 10:00 local\n- 23:30 UTC b: 08:30 local\n");
        assert_eq!(utc(base, &ours, &theirs), want);
    }

    /// A canonical log holding `entries` (day, local minute, id), with a heading for each of
    /// the first `days` days and for every day with an entry.
    fn log(days: u32, entries: &[(u32, i32, String)], offset: i32) -> String {
        let mut out = String::from("# Log\n");
        let last = entries.iter().map(|e| e.0 + 1).max().unwrap_or(0).max(days);
        for day in 0..last {
            out += &format!("\n## {}\n", date(day).format("%Y-%m-%d %a"));
            let lines: Vec<String> = entries
                .iter()
                .filter(|e| e.0 == day)
                .map(|e| line(e, offset))
                .collect();
            if !lines.is_empty() {
                out += &format!("\n{}\n", lines.join("\n"));
            }
        }
        out
    }

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 16).unwrap() + chrono::Days::new(day.into())
    }

    fn line((_, local, id): &(u32, i32, String), offset: i32) -> String {
        let m = (local - offset).rem_euclid(1440);
        format!(
            "- {:02}:{:02} UTC u{}: entry {id}",
            m / 60,
            m % 60,
            id.len()
        )
    }

    /// Entries tagged `tag`, sorted as rota writes them: by day, local time, then text.
    fn entries(raw: Vec<(u32, i32)>, tag: &str, offset: i32) -> Vec<(u32, i32, String)> {
        let mut out: Vec<_> = (raw.into_iter().enumerate())
            .map(|(i, (d, m))| (d, m, format!("{tag}{i}")))
            .collect();
        out.sort_by_key(|e| (e.0, e.1, line(e, offset)));
        out
    }

    /// One thing a clone appends: an entry, an entry followed by a fence or HTML written by
    /// hand (closed or not), a handover record, or a new day.
    fn append() -> impl Strategy<Value = String> {
        let minute = (0i32..1440).prop_map(|m| format!("{:02}:{:02}", m / 60, m % 60));
        let hand = prop_oneof![
            Just("```"),
            Just("~~~"),
            Just("````text"),
            Just("  ```"),
            Just("<!--"),
            Just("-->"),
            Just("<div>"),
            Just("some words"),
        ];
        prop_oneof![
            3 => (minute.clone(), "[a-c]", "[a-z ]{1,8}")
                .prop_map(|(m, who, text)| format!("- {m} UTC {who}: {text}\n")),
            2 => (minute.clone(), "[a-c]", hand)
                .prop_map(|(m, who, hand)| format!("- {m} UTC {who}: see below\n\n{hand}\n")),
            1 => (minute, "[a-c]", "[d-f]").prop_map(|(m, from, to)| format!(
                "\n### Handover {m} UTC: {from} → {to}\n\n- Served: Mon 2026-11-16 ({from})\n\
                 - Next: Tue 2026-11-17 ({to})\n\nRound 1: ~~{from}~~, **{to}**\n"
            )),
            1 => (17u32..20).prop_map(|d| format!("\n## 2026-11-{d} X\n\n")),
        ]
    }

    /// The records of a log, without where they stand.
    fn records(text: &str) -> Vec<crate::history::Record> {
        let mut records = crate::history::parse(text).records;
        for record in &mut records {
            record.line = 0;
        }
        records
    }

    fn entries_of(text: &str) -> Vec<crate::logbook::Entry> {
        crate::logbook::entries(text.as_bytes())
            .map(Result::unwrap)
            .collect()
    }

    /// Whether `merged` holds each of `side`'s things at least as often as `side` does.
    fn holds_all<T: PartialEq + std::fmt::Debug>(side: &[T], merged: &[T]) -> Result<(), String> {
        for thing in side {
            let want = side.iter().filter(|t| *t == thing).count();
            let got = merged.iter().filter(|t| *t == thing).count();
            if got < want {
                return Err(format!("{thing:?}: {got} of {want}"));
            }
        }
        Ok(())
    }

    proptest! {
        /// Whatever two clones append, the driver's merge either reads every entry and record
        /// of both sides as each side reads it, or is refused (git's conflict); appends that
        /// open no block always merge.
        #[test]
        fn a_merge_never_changes_how_an_entry_or_a_record_reads(
            ours in prop::collection::vec(append(), 0..5),
            theirs in prop::collection::vec(append(), 0..5),
        ) {
            let base = format!("{HEAD}{MON}");
            let (o, t) = (base.clone() + &ours.concat(), base.clone() + &theirs.concat());
            let merged = utc(&base, &o, &t);
            let plain = |s: &str| !s.contains(['`', '~', '<', '>']) || !s.contains("see below");
            if !reads_alike(&o, &t, &merged) {
                prop_assert!(!(plain(&o) && plain(&t)), "refused plain appends:\n{}\n{}", o, t);
                return Ok(());
            }
            for side in [&o, &t] {
                holds_all(&records(side), &records(&merged)).map_err(|e| {
                    TestCaseError::fail(format!("record {e}\nside:\n{side}\nmerged:\n{merged}"))
                })?;
                holds_all(&entries_of(side), &entries_of(&merged)).map_err(|e| {
                    TestCaseError::fail(format!("entry {e}\nside:\n{side}\nmerged:\n{merged}"))
                })?;
            }
        }
    }

    #[test]
    fn an_entry_that_leaves_a_fence_open_cannot_swallow_the_other_sides_record() {
        // Issue 19, finding 3: ordered before the record, the open fence would hide it.
        let base = format!("{HEAD}{MON}");
        let ours = format!("{base}- 10:00 UTC bob: the output:\n\n```\n");
        let theirs = format!(
            "{base}\n### Handover 16:05 UTC: erin → alice\n\n- Served: Mon 2026-11-16 (erin)\n\
             - Next: Tue 2026-11-17 (alice)\n\nRound 1: ~~erin~~, **alice**, bob\n"
        );
        let merged = utc(&base, &ours, &theirs);
        assert!(!reads_alike(&ours, &theirs, &merged), "{merged}");
        // Closed inside its own block, it merges.
        let ours = format!("{ours}x\n```\n");
        let merged = utc(&base, &ours, &theirs);
        assert!(reads_alike(&ours, &theirs, &merged), "{merged}");
        assert_eq!(records(&merged), records(&theirs));
    }

    proptest! {
        #[test]
        fn appends_on_both_sides_merge_into_every_entry_once_under_its_day(
            days in 1u32..4,
            base in prop::collection::vec((0u32..3, 0i32..1440), 0..8),
            ours in prop::collection::vec((0u32..5, 0i32..1440), 0..6),
            theirs in prop::collection::vec((0u32..5, 0i32..1440), 0..6),
            offset in prop_oneof![Just(0), Just(540), Just(-300), Just(330)],
        ) {
            let base: Vec<_> = base.into_iter().map(|(d, m)| (d % days, m)).collect();
            let end = base.iter().copied().max().unwrap_or((0, -1)).max((days - 1, -1));
            let after = |side: Vec<(u32, i32)>| side.into_iter().filter(|p| *p > end).collect();
            let base = entries(base, "b", offset);
            let ours = [base.clone(), entries(after(ours), "o", offset)].concat();
            let theirs = [base.clone(), entries(after(theirs), "t", offset)].concat();
            let (b, o, t) = (log(days, &base, offset), log(days, &ours, offset), log(days, &theirs, offset));
            let off = |_: NaiveDate, minute: i32| (minute + offset).rem_euclid(1440);
            let merged = merge(&b, &o, &t, &off);
            prop_assert_eq!(&merged, &merge(&b, &t, &o, &off));
            prop_assert_eq!(merge(&b, &o, &o, &off), o.clone());
            prop_assert_eq!(merge(&b, &o, &b, &off), o.clone());
            prop_assert_eq!(render(&parse(&merged)), merged.clone());

            let mut want: HashMap<String, (NaiveDate, usize)> = ours.iter().chain(&theirs)
                .map(|e| (line(e, offset), (date(e.0), 0)))
                .collect();
            let (mut day, mut headings) = (None, Vec::new());
            for l in merged.lines() {
                if let Some(d) = day_heading_date(l) {
                    day = Some(d);
                    headings.push(d);
                } else if let Some((d, n)) = want.get_mut(l) {
                    prop_assert_eq!(Some(*d), day, "{} under the wrong day", l);
                    *n += 1;
                }
            }
            prop_assert!(want.values().all(|(_, n)| *n == 1), "{:?}", want);
            prop_assert!(headings.windows(2).all(|w| w[0] < w[1]), "{:?}", headings);
        }
    }
}
