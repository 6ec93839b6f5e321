//! Whether one version of the log only appends to an older one: the check behind `rota check`
//! in a clone (against the upstream) and `rota check --since REV` (against any revision).
//!
//! rota only appends, and its merge driver composes two clones' appends by placing whole
//! blocks (entries, records, day sections) inside or after the day sections they belong to.
//! So every line of the old version is still in the new one, in order, and each run of new
//! lines before the end is blank lines, or whole blocks set between two blocks. Anything else
//! (an edited, deleted or moved line, a line put inside an old record) is a change of the
//! record of the rotation, and is named with the record it touches.
//!
//! The common prefix is compared as bytes, so an append costs what it appends; only the part
//! between the common prefix and the common suffix is compared line by line.

use chrono::NaiveDate;

use crate::history;
use crate::logformat::{
    DAY_HEADING, HANDOVER, RECORD_HEADING, Served, block_start_minute, day_heading_date,
};

/// What changed in a line of the old version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The line is gone, and other text stands where it was.
    Edited { now: String },
    /// The line is gone.
    Deleted,
    /// A line that is not a whole block (or blocks) set between two blocks: inside a record
    /// or an entry's lines.
    Inserted { text: String },
    /// A handover record set above an old record that served the same day, which it would
    /// displace (the first in the log stands).
    InsertedAbove { day: NaiveDate, old_line: usize },
}

/// One change that is not an append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    /// The line in the new version where it shows (1-based).
    pub line: usize,
    /// The line of the old version it concerns (1-based; for an insertion, the old line it
    /// was put before, or one past the last).
    pub old_line: usize,
    /// The old line's text (for an insertion, the old line it was put before).
    pub old_text: String,
    /// The heading of the record or day section it is in, in the old version (`### Handover
    /// 16:05 UTC: alice → bob`, `## 2026-11-23 Mon`), if any.
    pub within: Option<String>,
}

/// The changes from `old` to `new` that are not appends as rota or its merge driver make them.
pub fn changes(old: &[u8], new: &[u8]) -> Vec<Change> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    if prefix == old.len()
        && (old.is_empty() || old.ends_with(b"\n") || new.get(prefix) == Some(&b'\n'))
    {
        return Vec::new();
    }
    // From the start of the line where they part.
    let start = memchr::memrchr(b'\n', &old[..prefix]).map_or(0, |i| i + 1);
    let lines_before = memchr::memchr_iter(b'\n', &old[..start]).count();
    let old_lines: Vec<&[u8]> = lines(&old[start..]);
    let new_lines: Vec<&[u8]> = lines(&new[start..]);
    // The common suffix, line by line.
    let suffix = old_lines
        .iter()
        .rev()
        .zip(new_lines.iter().rev())
        .take_while(|(a, b)| a == b)
        .count()
        .min(old_lines.len())
        .min(new_lines.len());
    let (old_mid, new_mid) = (
        &old_lines[..old_lines.len() - suffix],
        &new_lines[..new_lines.len() - suffix],
    );
    let context = Context {
        old_before: &old[..start],
        old_lines: &old_lines,
        lines_before,
    };
    let mut found = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old_mid.len() {
        match (j..new_mid.len()).find(|&k| new_mid[k] == old_mid[i]) {
            Some(k) => {
                context.inserted(i, &new_mid[j..k], j, &mut found);
                i += 1;
                j = k + 1;
            }
            None => {
                // Gone: edited when other lines stand where it was, before the next old line
                // that is still there.
                let next_old = (i + 1..old_mid.len()).find_map(|n| {
                    (j..new_mid.len())
                        .find(|&k| new_mid[k] == old_mid[n])
                        .map(|k| (n, k))
                });
                let (n, k) = next_old.unwrap_or((old_mid.len(), new_mid.len()));
                let replaced = &new_mid[j..k];
                for (offset, gone) in (i..n).enumerate() {
                    let kind = match replaced.get(offset) {
                        Some(now) => Kind::Edited { now: text(now) },
                        None => Kind::Deleted,
                    };
                    found.push(context.change(kind, gone, j + offset.min(replaced.len())));
                }
                i = n;
                j = k;
            }
        }
    }
    // New lines after the last old line of the middle, before the common suffix.
    if !new_mid[j..].is_empty() && suffix > 0 {
        context.inserted(old_mid.len(), &new_mid[j..], j, &mut found);
    }
    let above = inserted_above(&context, old_mid, new_mid);
    found.extend(above);
    found.sort_by_key(|c| c.line);
    found
}

/// The lines of `text`, without their line breaks (and `\r`).
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    if text.ends_with(b"\n") || text.is_empty() {
        out.pop();
    }
    out
}

fn text(line: &[u8]) -> String {
    crate::safe::printable(&String::from_utf8_lossy(line)).into_owned()
}

/// A line that starts a block as the driver moves them: an entry, a `###` record, a day.
fn starts_block(line: &[u8]) -> bool {
    let line = String::from_utf8_lossy(line);
    block_start_minute(&line).is_some() || day_heading_date(&line).is_some()
}

/// A record's or a day section's heading.
fn is_heading(line: &[u8]) -> bool {
    line.starts_with(RECORD_HEADING.as_bytes()) || line.starts_with(DAY_HEADING.as_bytes())
}

fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Where the compared lines sit in the old version.
struct Context<'a> {
    /// The old version before the first compared line.
    old_before: &'a [u8],
    /// The old version's lines from the first compared one.
    old_lines: &'a [&'a [u8]],
    /// How many lines come before the first compared one.
    lines_before: usize,
}

impl Context<'_> {
    fn change(&self, kind: Kind, old_index: usize, new_index: usize) -> Change {
        Change {
            kind,
            line: self.lines_before + new_index + 1,
            old_line: self.lines_before + old_index + 1,
            old_text: self
                .old_lines
                .get(old_index)
                .map(|l| text(l))
                .unwrap_or_default(),
            within: self.within(old_index),
        }
    }

    /// The heading of the record or day section that holds old line `index` (or, for one past
    /// the end, the last one).
    fn within(&self, index: usize) -> Option<String> {
        let upto = (index + 1).min(self.old_lines.len());
        if let Some(line) = self.old_lines[..upto].iter().rev().find(|l| is_heading(l)) {
            return Some(text(line));
        }
        // Further back, in the common prefix: found from the end.
        let before = self.old_before;
        let at = [RECORD_HEADING, DAY_HEADING]
            .iter()
            .filter_map(|h| memchr::memmem::rfind(before, format!("\n{h}").as_bytes()))
            .max()?;
        let line = &before[at + 1..];
        let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
        Some(text(&line[..end]))
    }

    /// New lines `run` put before old line `old_index` (at new index `new_index`): fine when
    /// blank, or whole blocks set where a block begins (the next old line that is not blank
    /// starts a block, or there is none).
    fn inserted(&self, old_index: usize, run: &[&[u8]], new_index: usize, found: &mut Vec<Change>) {
        let Some(first) = run.iter().position(|l| !blank(l)) else {
            return;
        };
        let next = self.old_lines[old_index.min(self.old_lines.len())..]
            .iter()
            .find(|l| !blank(l));
        let between_blocks = next.is_none_or(|l| starts_block(l));
        if starts_block(run[first]) && between_blocks {
            return;
        }
        let mut change = self.change(
            Kind::Inserted {
                text: text(run[first]),
            },
            old_index,
            new_index + first,
        );
        // Inside the record or section the old line before it belongs to.
        change.within = self.within(old_index.saturating_sub(1));
        found.push(change);
    }
}

/// Handover records inserted (not appended) above an old record that serves one of their days.
fn inserted_above(context: &Context, old_mid: &[&[u8]], new_mid: &[&[u8]]) -> Vec<Change> {
    // The old lines from the first compared one: the records that could be displaced.
    let old_text: Vec<u8> = context.old_lines.join(&b'\n');
    let old_records = history::parse(&String::from_utf8_lossy(&old_text)).records;
    if old_mid.is_empty() && new_mid.is_empty() {
        return Vec::new();
    }
    // The new lines matched to old ones, to tell where each inserted record stands.
    let mut matched = vec![None; new_mid.len()];
    let mut j = 0;
    for (i, line) in old_mid.iter().enumerate() {
        if let Some(k) = (j..new_mid.len()).find(|&k| new_mid[k] == *line) {
            matched[k] = Some(i);
            j = k + 1;
        }
    }
    let mut found = Vec::new();
    let mut index = 0;
    while index < new_mid.len() {
        let heading = String::from_utf8_lossy(new_mid[index]);
        if matched[index].is_some() || !heading.starts_with(HANDOVER) {
            index += 1;
            continue;
        }
        // The record's own Served line, and the old line it was put before.
        let served = (index + 1..new_mid.len())
            .take_while(|k| {
                matched[*k].is_none() && !new_mid[*k].starts_with(RECORD_HEADING.as_bytes())
            })
            .find_map(|k| Served::parse(&String::from_utf8_lossy(new_mid[k])).map(|s| s.days))
            .unwrap_or_default();
        let before_old = matched[index..]
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or(old_mid.len());
        let clash = old_records
            .iter()
            .filter(|r| r.line > before_old)
            .find_map(|r| {
                served
                    .iter()
                    .find(|d| r.served.contains(d))
                    .map(|d| (*d, r.line))
            });
        if let Some((day, old_line)) = clash {
            found.push(Change {
                kind: Kind::InsertedAbove {
                    day,
                    old_line: context.lines_before + old_line,
                },
                line: context.lines_before + index + 1,
                old_line: context.lines_before + before_old + 1,
                old_text: text(heading.as_bytes()),
                within: context.within(before_old),
            });
        }
        index += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# Log\n\n## 2026-11-23 Mon\n\n- 09:00 UTC bob: one\n\n### Handover 16:05 UTC: alice → bob\n\n- Served: Mon 2026-11-23 (alice)\n- Next: Tue 2026-11-24 (bob)\n\nRound 1: ~~alice~~, **bob**, carol\n";

    fn kinds(old: &str, new: &str) -> Vec<(usize, Kind)> {
        changes(old.as_bytes(), new.as_bytes())
            .into_iter()
            .map(|c| (c.line, c.kind))
            .collect()
    }

    #[test]
    fn appends_and_merged_blocks_pass() {
        assert!(kinds(OLD, OLD).is_empty());
        assert!(kinds("", OLD).is_empty());
        assert!(
            kinds(
                OLD,
                &format!("{OLD}\n## 2026-11-24 Tue\n\n- 09:00 UTC bob: x\n")
            )
            .is_empty()
        );
        assert!(kinds(OLD.trim_end(), OLD).is_empty());
        // A block set between two blocks, as the driver files an offline clone's entry.
        let merged = OLD.replace(
            "- 09:00 UTC bob: one\n",
            "- 09:00 UTC bob: one\n- 10:00 UTC carol: two\n",
        );
        assert!(kinds(OLD, &merged).is_empty());
    }

    #[test]
    fn edits_deletions_and_insertions_are_named() {
        let edited = OLD.replace("(alice)\n- Next", "(alice), Sat 2026-11-21 (alice)\n- Next");
        let found = changes(OLD.as_bytes(), edited.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 9);
        assert_eq!(found[0].old_text, "- Served: Mon 2026-11-23 (alice)");
        assert_eq!(
            found[0].within.as_deref(),
            Some("### Handover 16:05 UTC: alice → bob")
        );
        assert!(matches!(found[0].kind, Kind::Edited { .. }));
        let deleted = OLD.replace("- 09:00 UTC bob: one\n\n", "");
        assert_eq!(kinds(OLD, &deleted)[0], (5, Kind::Deleted));
        let inside = OLD.replace("- Next:", "- Run by: mallory\n- Next:");
        assert_eq!(
            kinds(OLD, &inside),
            [(
                10,
                Kind::Inserted {
                    text: "- Run by: mallory".into()
                }
            )]
        );
        let above = OLD.replace(
            "### Handover 16:05",
            "### Handover 08:00 UTC: alice → carol\n\n- Served: Mon 2026-11-23 (alice)\n- Next: Tue 2026-11-24 (carol)\n\nRound 1: ~~alice~~, bob, **carol**\n\n### Handover 16:05",
        );
        let found = kinds(OLD, &above);
        assert_eq!(
            found,
            [(
                7,
                Kind::InsertedAbove {
                    day: "2026-11-23".parse().unwrap(),
                    old_line: 7
                }
            )]
        );
    }
}
