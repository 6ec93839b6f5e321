//! Whether one version of the log only appends to an older one: the check behind `rota check`
//! in a clone (against the upstream) and `rota check --since REV` (against any revision), run
//! on each commit on the way and on the working tree.
//!
//! rota only appends, and its merge driver composes two clones' appends by placing whole
//! blocks (entries, records, day sections) inside or after the day sections they belong to,
//! each after the blocks its side wrote it after. So every line of the old version is still
//! in the new one, in order, and each run of new lines before the end is blank lines, or whole
//! blocks set between two blocks, days in date order. Anything else (an edited, deleted or
//! moved line, a line put inside an old record, a day out of order) is a change of the record
//! of the rotation, and is named with the record it touches.
//!
//! Both versions are read as streams, in bounded memory whatever the log's size: the common
//! part is compared as bytes, a chunk at a time; only where they part are lines compared,
//! in a window of a few thousand lines, with Myers' diff bounded by [`MAX_EDITS`] edits a
//! window. So rota's line-level work is the change's, and a change too large to name line by
//! line is named by its first line ([`Kind::Rewritten`]) instead of costing the log's square.

use std::io::{self, Read};
use std::ops::Range;

use chrono::NaiveDate;

use crate::history;
use crate::logformat::{
    DAY_HEADING, HANDOVER, RECORD_HEADING, Served, block_start_minute, day_heading_date,
    is_log_heading,
};

/// Bytes read from a version at a time.
const CHUNK: usize = 256 * 1024;
/// Bytes kept before the point of comparison, to name the record or day a change is in and
/// the block before it: a record or a day's blocks are far shorter.
const LOOKBACK: usize = 64 * 1024;
/// The most lines of each version compared as lines at once, and the most bytes they hold:
/// the new version's window is the larger, so that the old one's lines are found in it past
/// merged blocks three times their number.
const OLD_WINDOW_LINES: usize = 2048;
const NEW_WINDOW_LINES: usize = 4 * OLD_WINDOW_LINES;
const WINDOW_BYTES: usize = 4 << 20;
/// The most edits (lines deleted or inserted) one window's diff looks for: its cost is the
/// window's lines times this, and its memory this squared.
pub const MAX_EDITS: usize = 1024;
/// The most changes named in one comparison: past that, the log is rewritten, not edited.
const MAX_FINDINGS: usize = 100;

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
    /// A whole block set between two blocks, but not where the merge driver sets it: it comes
    /// before the old block at `old_line` in the team's day (or its day does), or after it.
    OutOfOrder { text: String, old_line: usize },
    /// From this line on, more lines changed than rota compares one by one ([`MAX_EDITS`] in
    /// a stretch), or a line longer than it compares.
    Rewritten,
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

/// What a comparison found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The changes that are not appends.
    pub changes: Vec<Change>,
    /// The lines of the new version the old one lacks, as runs of lines that are not blank
    /// (1-based, end exclusive), when asked: a merge must bring no line that none of its
    /// parents has.
    pub added: Vec<Range<usize>>,
}

/// How the comparison judges what it finds.
pub struct Rules {
    /// Whether to list the added lines ([`Comparison::added`]).
    pub list_added: bool,
}

/// The changes from `old` to `new` that are not appends as rota or its merge driver make them.
pub fn changes(old: &[u8], new: &[u8]) -> Vec<Change> {
    let rules = Rules { list_added: false };
    compare(old, new, &rules)
        .expect("reading from memory does not fail")
        .changes
}

/// Compares two versions of the log read from `old` and `new`, each to its end.
pub fn compare(old: impl Read, new: impl Read, rules: &Rules) -> io::Result<Comparison> {
    let (mut old, mut new) = (Side::new(old), Side::new(new));
    let mut found = Comparison::default();
    loop {
        equal_prefix(&mut old, &mut new)?;
        old.fill(1)?;
        new.fill(1)?;
        if old.available().is_empty() {
            // The rest of the new version is appended.
            if rules.list_added {
                list_rest(&mut new, &mut found.added)?;
            }
            break;
        }
        if found.changes.len() >= MAX_FINDINGS {
            break;
        }
        if !window(&mut old, &mut new, rules, &mut found)? {
            break;
        }
    }
    // Read both to their ends: a stream from git must be drained before the next one.
    old.drain()?;
    new.drain()?;
    found.changes.sort_by_key(|c| c.line);
    Ok(found)
}

/// One version, read in chunks; what lies before `start` is compared, and the last
/// [`LOOKBACK`] bytes of it are kept.
struct Side<R> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Whether bytes from the start of the version were dropped from `buf`.
    dropped: bool,
    /// Whole lines before `start`.
    line: usize,
}

impl<R: Read> Side<R> {
    fn new(reader: R) -> Self {
        Side {
            reader,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            dropped: false,
            line: 0,
        }
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Reads until `want` bytes wait after `start`, or the version ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        while self.end - self.start < want && !self.eof {
            if self.end == self.buf.len() {
                let keep_from = self.start.saturating_sub(LOOKBACK);
                if keep_from > 0 {
                    self.buf.copy_within(keep_from..self.end, 0);
                    self.start -= keep_from;
                    self.end -= keep_from;
                    self.dropped = true;
                }
                if self.end == self.buf.len() {
                    let grown = self.end + CHUNK.max(want - (self.end - self.start));
                    self.buf.resize(grown, 0);
                }
            }
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Consumes `bytes` that hold `lines` line breaks.
    fn skip(&mut self, bytes: usize, lines: usize) {
        self.line += lines;
        self.start += bytes;
    }

    /// Consumes `count` lines of the window starting at `start`.
    fn consume_lines(&mut self, lines: &[Range<usize>], count: usize) {
        let Some(last) = count.checked_sub(1).map(|i| &lines[i]) else {
            return;
        };
        let end = memchr::memchr(b'\n', &self.buf[last.end..self.end])
            .map_or(self.end, |i| last.end + i + 1);
        self.line += count;
        self.start = end;
    }

    /// The whole lines before byte `at`, last first (without line breaks).
    fn lines_before(&self, at: usize) -> impl Iterator<Item = &[u8]> {
        let kept = &self.buf[..at];
        let kept = kept.strip_suffix(b"\n").unwrap_or(kept);
        let mut pieces = kept.rsplit(|b| *b == b'\n').peekable();
        let dropped = self.dropped;
        std::iter::from_fn(move || {
            let piece = pieces.next()?;
            // The first kept piece may be the end of a line cut off by the lookback.
            if dropped && pieces.peek().is_none() {
                return None;
            }
            Some(strip_cr(piece))
        })
        .filter(move |_| at > 0)
    }

    fn drain(&mut self) -> io::Result<()> {
        self.start = self.end;
        while !self.eof {
            self.start = 0;
            self.end = 0;
            self.fill(CHUNK)?;
            self.dropped = true;
        }
        Ok(())
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// How many leading bytes `a` and `b` share.
fn common_len(a: &[u8], b: &[u8]) -> usize {
    let mut same = 0;
    for (x, y) in a.chunks(4096).zip(b.chunks(4096)) {
        if x == y {
            same += x.len();
        } else {
            return same + x.iter().zip(y).take_while(|(p, q)| p == q).count();
        }
    }
    same
}

/// Consumes the whole lines both versions share from here, compared as bytes.
fn equal_prefix(old: &mut Side<impl Read>, new: &mut Side<impl Read>) -> io::Result<()> {
    let mut want = CHUNK;
    loop {
        old.fill(want)?;
        new.fill(want)?;
        let (a, b) = (old.available(), new.available());
        let n = a.len().min(b.len());
        let same = common_len(&a[..n], &b[..n]);
        let whole = memchr::memrchr(b'\n', &a[..same]).map_or(0, |i| i + 1);
        // The same bytes on both sides: their lines counted once.
        let lines = memchr::memchr_iter(b'\n', &a[..whole]).count();
        old.skip(whole, lines);
        new.skip(whole, lines);
        if same < n || n < want {
            // They part on this line, or one ends.
            return Ok(());
        }
        if whole == 0 {
            // One line longer than a chunk, the same so far: read on, up to a window.
            if want >= WINDOW_BYTES {
                return Ok(());
            }
            want += CHUNK;
        } else {
            want = CHUNK;
        }
    }
}

/// The rest of the appended version, as runs of lines that are not blank.
fn list_rest(new: &mut Side<impl Read>, added: &mut Vec<Range<usize>>) -> io::Result<()> {
    let mut run_start: Option<usize> = None;
    let mut last = new.line;
    loop {
        new.fill(CHUNK)?;
        let available = new.available();
        if available.is_empty() {
            break;
        }
        let whole = match memchr::memrchr(b'\n', available) {
            Some(i) => i + 1,
            None if new.eof => available.len(),
            None => {
                // A line longer than a chunk: not blank if anything but spaces.
                if !blank(available) {
                    run_start.get_or_insert(new.line + 1);
                }
                let n = available.len();
                new.start += n;
                continue;
            }
        };
        let mut lines = new.line;
        for line in new.buf[new.start..new.start + whole].split_inclusive(|b| *b == b'\n') {
            lines += usize::from(line.ends_with(b"\n"));
            let number = lines + usize::from(!line.ends_with(b"\n"));
            last = number;
            match (driver_may_write(line), run_start) {
                (false, None) => run_start = Some(number),
                (true, Some(start)) => {
                    added.push(start..number);
                    run_start = None;
                }
                _ => {}
            }
        }
        new.line = lines;
        new.start += whole;
    }
    if let Some(start) = run_start {
        added.push(start..last + 1);
    }
    Ok(())
}

/// The window of lines from `start`: each line's range in `buf` (without its line break), and
/// whether it reaches the end of the version.
fn window_lines(side: &Side<impl Read>, most: usize) -> (Vec<Range<usize>>, bool) {
    let mut lines = Vec::new();
    let mut at = side.start;
    while lines.len() < most && at < side.end {
        match memchr::memchr(b'\n', &side.buf[at..side.end]) {
            Some(i) => {
                let line = at..at + i;
                at += i + 1;
                lines.push(trim_cr(&side.buf, line));
            }
            None if side.eof => {
                lines.push(trim_cr(&side.buf, at..side.end));
                at = side.end;
            }
            None => break,
        }
    }
    (lines, at == side.end && side.eof)
}

fn trim_cr(buf: &[u8], line: Range<usize>) -> Range<usize> {
    if buf[line.clone()].ends_with(b"\r") {
        line.start..line.end - 1
    } else {
        line
    }
}

/// One step of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Same,
    Gone,
    New,
}

/// Compares a window of each version from where they part; consumes what it judged. `false`
/// when it gave up (a stretch too changed to compare line by line).
fn window(
    old: &mut Side<impl Read>,
    new: &mut Side<impl Read>,
    rules: &Rules,
    found: &mut Comparison,
) -> io::Result<bool> {
    old.fill(WINDOW_BYTES)?;
    new.fill(WINDOW_BYTES)?;
    let (old_lines, old_final) = window_lines(old, OLD_WINDOW_LINES);
    let (new_lines, new_final) = window_lines(new, NEW_WINDOW_LINES);
    let ids = intern(old, &old_lines, new, &new_lines);
    let (a, b) = ids.split_at(old_lines.len());
    let path = if (old_lines.is_empty() && !old_final) || (new_lines.is_empty() && !new_final) {
        None
    } else {
        inserted_only(a, b).or_else(|| align(a, b, new_final, MAX_EDITS))
    };
    let Some(path) = path else {
        let at = Window {
            old,
            new,
            old_lines: &old_lines,
            new_lines: &new_lines,
            records: None,
        };
        found.changes.push(at.change(Kind::Rewritten, 0, 0, 1));
        return Ok(false);
    };
    // Judged up to the end of the last run of shared lines: edits that touch the window's
    // end are judged again from there, with what follows in view.
    let reaches_end = |x: usize, y: usize| {
        (x == old_lines.len() && old_final) || (y == new_lines.len() && new_final)
    };
    let (mut x, mut y) = (0, 0);
    let mut cut = (0, 0, 0);
    for (i, step) in path.iter().enumerate() {
        match step {
            Step::Same => {
                x += 1;
                y += 1;
                cut = (i + 1, x, y);
            }
            Step::Gone => x += 1,
            Step::New => y += 1,
        }
    }
    if reaches_end(x, y) || cut.0 == 0 {
        cut = (path.len(), x, y);
    }
    let (steps, old_count, new_count) = cut;
    let mut at = Window {
        old,
        new,
        old_lines: &old_lines,
        new_lines: &new_lines,
        records: None,
    };
    at.judge(&path[..steps], rules, found);
    let (old, new) = (at.old, at.new);
    old.consume_lines(&old_lines, old_count);
    new.consume_lines(&new_lines, new_count);
    Ok(true)
}

/// Each line of both windows as a number, equal numbers for equal lines.
fn intern(
    old: &Side<impl Read>,
    old_lines: &[Range<usize>],
    new: &Side<impl Read>,
    new_lines: &[Range<usize>],
) -> Vec<u32> {
    let mut seen: std::collections::HashMap<&[u8], u32> = std::collections::HashMap::new();
    let mut ids = Vec::with_capacity(old_lines.len() + new_lines.len());
    for (side, lines) in [(&old.buf, old_lines), (&new.buf, new_lines)] {
        for line in lines {
            let next = seen.len() as u32;
            ids.push(*seen.entry(&side[line.clone()]).or_insert(next));
        }
    }
    ids
}

/// The steps that keep every line of `a`, in order, each matched to its first copy in `b`
/// after the one before: what a merge or an append does, in one pass. `None` when a line of
/// `a` is not in the rest of `b` (then a diff names what went, or finds the lines past the
/// window). Each line is matched where it first shows: an inserted block holds no copy of the
/// old line after it but by chance, and an inserted run is judged by its first line and the
/// next old one that is not blank, which blank lines matched one way or the other do not move.
fn inserted_only(a: &[u32], b: &[u32]) -> Option<Vec<Step>> {
    let mut steps = Vec::with_capacity(b.len());
    let mut y = 0;
    for line in a {
        let skipped = b[y..].iter().position(|l| l == line)?;
        steps.extend(std::iter::repeat_n(Step::New, skipped));
        steps.push(Step::Same);
        y += skipped + 1;
    }
    Some(steps)
}

/// The fewest steps away from `a` and `b` (Myers' diff, at most `max` lines gone or new) that
/// take both from their start until `a` ends, or `b` ends while more of it follows (when `b`
/// is whole, `a` must be used up too: what is left of it is gone). The window's end is not
/// the version's: the other version's lines past it are compared in the next window.
fn align(a: &[u32], b: &[u32], b_final: bool, max: usize) -> Option<Vec<Step>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let done = |x: isize, y: isize| x == n || (y == m && !b_final);
    // The furthest x reached on each diagonal k = x - y, for each number of edits d: the
    // diagonals -d..=d, kept to walk the path back.
    let mut trace: Vec<Vec<i32>> = Vec::new();
    for d in 0..=max as isize {
        let mut reached = vec![-1i32; 2 * d as usize + 1];
        for k in (-d..=d).step_by(2) {
            let previous = trace.last().map(Vec::as_slice).unwrap_or_default();
            let Some((_, mut x)) = step_into(previous, d, k, n, m) else {
                continue;
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            reached[(k + d) as usize] = x as i32;
            if done(x, y) {
                trace.push(reached);
                return Some(backtrack(&trace, k, x, n, m));
            }
        }
        trace.push(reached);
    }
    None
}

/// Where the `d`-th edit puts diagonal `k`, from the furthest points of `d - 1` edits: by a
/// new line (down, from diagonal `k + 1`) or a gone one (right, from `k - 1`), whichever
/// reaches further; `None` when neither can.
fn step_into(previous: &[i32], d: isize, k: isize, n: isize, m: isize) -> Option<(Step, isize)> {
    if d == 0 {
        return Some((Step::Same, 0));
    }
    let at = |k: isize| -> isize {
        let i = k + d - 1;
        if (0..previous.len() as isize).contains(&i) {
            previous[i as usize] as isize
        } else {
            -1
        }
    };
    let down = (k < d).then(|| at(k + 1)).filter(|&x| x >= 0 && x - k <= m);
    let right = (k > -d)
        .then(|| at(k - 1))
        .filter(|&x| x >= 0 && x < n)
        .map(|x| x + 1);
    match (down, right) {
        (Some(x), Some(r)) if x >= r => Some((Step::New, x)),
        (_, Some(r)) => Some((Step::Gone, r)),
        (Some(x), None) => Some((Step::New, x)),
        (None, None) => None,
    }
}

/// The steps of the path Myers' search found, ending on diagonal `k` at `x`.
fn backtrack(trace: &[Vec<i32>], mut k: isize, mut x: isize, n: isize, m: isize) -> Vec<Step> {
    let mut steps = Vec::new();
    for d in (0..trace.len() as isize).rev() {
        let previous = if d == 0 {
            &[][..]
        } else {
            &trace[d as usize - 1][..]
        };
        let (step, start) = step_into(previous, d, k, n, m).expect("the search went this way");
        steps.extend(std::iter::repeat_n(Step::Same, (x - start) as usize));
        if d == 0 {
            break;
        }
        steps.push(step);
        (k, x) = match step {
            Step::New => (k + 1, start),
            _ => (k - 1, start - 1),
        };
    }
    steps.reverse();
    steps
}

fn text(line: &[u8]) -> String {
    crate::safe::printable(&String::from_utf8_lossy(line)).into_owned()
}

fn as_str(line: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(line)
}

/// A line that starts a block as the driver moves them: an entry, a `###` record, a day.
fn starts_block(line: &[u8]) -> bool {
    let line = as_str(line);
    block_start_minute(&line).is_some() || day_heading_date(&line).is_some()
}

/// A record's or a day section's heading.
fn is_heading(line: &[u8]) -> bool {
    line.starts_with(RECORD_HEADING.as_bytes()) || line.starts_with(DAY_HEADING.as_bytes())
}

/// A line a merge may hold that none of its sides wrote: a blank line, or the `### Log`
/// heading the driver sets before an entry that came to follow a record.
fn driver_may_write(line: &[u8]) -> bool {
    blank(line) || is_log_heading(&as_str(line))
}

fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Where the driver orders a line: a block of a day at its minute, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Block(i32),
    Day(NaiveDate),
}

fn place(line: &[u8]) -> Option<Place> {
    let line = as_str(line);
    if let Some(day) = day_heading_date(&line) {
        return Some(Place::Day(day));
    }
    block_start_minute(&line).map(Place::Block)
}

/// The windows being judged.
struct Window<'a, O, N> {
    old: &'a mut Side<O>,
    new: &'a mut Side<N>,
    old_lines: &'a [Range<usize>],
    new_lines: &'a [Range<usize>],
    /// The old window's records, parsed once when an inserted handover asks.
    records: Option<Vec<history::Record>>,
}

impl<O: Read, N: Read> Window<'_, O, N> {
    fn old_line(&self, index: usize) -> &[u8] {
        &self.old.buf[self.old_lines[index].clone()]
    }

    fn new_line(&self, index: usize) -> &[u8] {
        &self.new.buf[self.new_lines[index].clone()]
    }

    /// The old lines from `index` back (the window's, then the lookback's), nearest first.
    fn old_lines_back(&self, index: usize) -> impl Iterator<Item = (usize, &[u8])> {
        let in_window = (0..index.min(self.old_lines.len()))
            .rev()
            .map(|i| (self.old.line + i + 1, self.old_line(i)));
        let before = self
            .old
            .lines_before(self.old.start)
            .zip((1..=self.old.line).rev());
        in_window.chain(before.map(|(l, n)| (n, l)))
    }

    /// A change at old line `old_index` and new line `new_index`, in the record or day
    /// section that holds the old lines before `within_at`.
    fn change(&self, kind: Kind, old_index: usize, new_index: usize, within_at: usize) -> Change {
        Change {
            kind,
            line: self.new.line + new_index + 1,
            old_line: self.old.line + old_index + 1,
            old_text: if old_index < self.old_lines.len() {
                text(self.old_line(old_index))
            } else {
                String::new()
            },
            within: self.within(within_at),
        }
    }

    /// The heading of the record or day section that holds the old lines before `index`.
    fn within(&self, index: usize) -> Option<String> {
        self.old_lines_back(index)
            .find(|(_, l)| is_heading(l))
            .map(|(_, l)| text(l))
    }

    /// Names the changes of `path` (steps from the windows' starts).
    fn judge(&mut self, path: &[Step], rules: &Rules, found: &mut Comparison) {
        let (mut x, mut y) = (0, 0);
        let mut i = 0;
        while i < path.len() {
            if path[i] == Step::Same {
                x += 1;
                y += 1;
                i += 1;
                continue;
            }
            let hunk = path[i..]
                .iter()
                .position(|s| *s == Step::Same)
                .map_or(path.len(), |p| i + p);
            let gone = path[i..hunk].iter().filter(|s| **s == Step::Gone).count();
            let added = hunk - i - gone;
            if rules.list_added {
                self.list_added(y..y + added, found);
            }
            if gone == 0 {
                self.inserted(x, y..y + added, found);
            } else {
                for offset in 0..gone {
                    if found.changes.len() >= MAX_FINDINGS {
                        return;
                    }
                    let kind = if offset < added {
                        Kind::Edited {
                            now: text(self.new_line(y + offset)),
                        }
                    } else {
                        Kind::Deleted
                    };
                    found.changes.push(self.change(
                        kind,
                        x + offset,
                        y + offset.min(added),
                        x + offset + 1,
                    ));
                }
            }
            x += gone;
            y += added;
            i = hunk;
        }
    }

    fn list_added(&self, run: Range<usize>, found: &mut Comparison) {
        let mut start = None;
        for index in run.clone() {
            let number = self.new.line + index + 1;
            match (driver_may_write(self.new_line(index)), start) {
                (false, None) => start = Some(number),
                (true, Some(from)) => {
                    found.added.push(from..number);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(from) = start {
            found.added.push(from..self.new.line + run.end + 1);
        }
    }

    /// New lines `run` put before old line `before`: fine when blank, or whole blocks set
    /// where a block begins (the next old line that is not blank starts a block, or there is
    /// none), days in date order.
    fn inserted(&mut self, before: usize, run: Range<usize>, found: &mut Comparison) {
        let Some(first) = run.clone().find(|&j| !blank(self.new_line(j))) else {
            return;
        };
        let next = (before..self.old_lines.len())
            .map(|i| self.old_line(i))
            .find(|l| !blank(l));
        let between_blocks = next.is_none_or(starts_block);
        if !(starts_block(self.new_line(first)) && between_blocks) {
            let kind = Kind::Inserted {
                text: text(self.new_line(first)),
            };
            // Inside the record or section the old line before it belongs to.
            found.changes.push(self.change(kind, before, first, before));
            return;
        }
        if let Some(change) = self.displaces(before, run.clone()) {
            found.changes.push(change);
        } else if let Some((index, old_line)) = self.out_of_order(before, run) {
            let kind = Kind::OutOfOrder {
                text: text(self.new_line(index)),
                old_line,
            };
            found.changes.push(self.change(kind, before, index, before));
        }
    }

    /// The first block of `run` that the driver would not set before old line `before`, with
    /// the old block (or day) it is out of order with.
    fn out_of_order(&self, before: usize, run: Range<usize>) -> Option<(usize, usize)> {
        // The day the run starts in, and the old block or day heading above it.
        let mut above = None;
        let mut day = None;
        for (number, line) in self.old_lines_back(before) {
            match place(line) {
                Some(Place::Day(date)) => {
                    above.get_or_insert((number, Place::Day(date)));
                    day = Some(date);
                    break;
                }
                Some(block) => {
                    above.get_or_insert((number, block));
                }
                None => {}
            }
        }
        let below = (before..self.old_lines.len())
            .find_map(|i| place(self.old_line(i)).map(|p| (self.old.line + i + 1, p)));
        let mut current = day;
        let mut first = true;
        for index in run {
            let Some(at) = place(self.new_line(index)) else {
                continue;
            };
            // Within a day, the minutes do not decide: the driver keeps each side's blocks
            // after those its side wrote them after (a clock running behind writes a smaller
            // minute below a larger one), so a block may follow one of a later minute.
            let after_above = match (above, at, current) {
                _ if !first => true,
                (Some((_, Place::Block(_) | Place::Day(_))), Place::Day(date), Some(d)) => date > d,
                _ => true,
            };
            if !after_above {
                return above.map(|(line, _)| (index, line));
            }
            let before_below = match (below, at, current) {
                (Some((_, Place::Block(_))), Place::Day(_), _) => false,
                (Some((_, Place::Day(next))), Place::Day(date), _) => date < next,
                _ => true,
            };
            if !before_below {
                return below.map(|(line, _)| (index, line));
            }
            if let Place::Day(date) = at {
                current = Some(date);
            }
            first = false;
        }
        None
    }

    /// A handover record of `run` set above an old record (of the window) that served one of
    /// its days, which it would displace.
    fn displaces(&mut self, before: usize, run: Range<usize>) -> Option<Change> {
        let headings: Vec<usize> = run
            .clone()
            .filter(|&j| self.new_line(j).starts_with(HANDOVER.as_bytes()))
            .collect();
        if headings.is_empty() {
            return None;
        }
        if self.records.is_none() {
            let lines: Vec<&[u8]> = (0..self.old_lines.len())
                .map(|i| self.old_line(i))
                .collect();
            let old_text = lines.join(&b'\n');
            self.records = Some(history::parse(&as_str(&old_text)).records);
        }
        let records = self.records.as_ref().expect("parsed above");
        for heading in headings {
            let served = (heading + 1..run.end)
                .take_while(|&k| !self.new_line(k).starts_with(RECORD_HEADING.as_bytes()))
                .find_map(|k| Served::parse(&as_str(self.new_line(k))).map(|s| s.days))
                .unwrap_or_default();
            let clash = records.iter().filter(|r| r.line > before).find_map(|r| {
                served
                    .iter()
                    .find(|d| r.served.contains(d))
                    .map(|d| (*d, r.line))
            });
            if let Some((day, old_line)) = clash {
                let mut change = self.change(
                    Kind::InsertedAbove {
                        day,
                        old_line: self.old.line + old_line,
                    },
                    before,
                    heading,
                    before + 1,
                );
                change.old_text = text(self.new_line(heading));
                return Some(change);
            }
        }
        None
    }
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

    #[test]
    fn a_block_out_of_the_days_order_is_named() {
        // Within a day the minutes do not decide (a clock may run behind, and the driver
        // keeps each side's order): an entry above an earlier one, or below a later one, is
        // a whole block between blocks.
        let early = OLD.replace(
            "- 09:00 UTC bob: one\n",
            "- 10:00 UTC carol: two\n- 09:00 UTC bob: one\n",
        );
        assert_eq!(kinds(OLD, &early), []);
        let late = OLD.replace(
            "\n### Handover 16:05",
            "- 17:00 UTC carol: two\n\n### Handover 16:05",
        );
        assert_eq!(kinds(OLD, &late), []);
        // A day set above an earlier day.
        let two_days = format!("{OLD}\n## 2026-11-25 Wed\n\n- 09:00 UTC bob: x\n");
        let misplaced = two_days.replace(
            "## 2026-11-25 Wed",
            "## 2026-11-26 Thu\n\n- 09:00 UTC bob: y\n\n## 2026-11-25 Wed",
        );
        assert!(matches!(
            kinds(&two_days, &misplaced)[..],
            [(_, Kind::OutOfOrder { .. })]
        ));
        let in_order = two_days.replace(
            "## 2026-11-25 Wed",
            "## 2026-11-24 Tue\n\n- 09:00 UTC bob: y\n\n## 2026-11-25 Wed",
        );
        assert!(kinds(&two_days, &in_order).is_empty());
    }

    /// A long log read in small pieces: the change is found and named at its line, whatever
    /// the chunks, and a large rewrite is named once, by its first line.
    #[test]
    fn long_logs_are_compared_in_windows() {
        let mut old = String::from("# Log\n");
        for day in 0..20_000 {
            old += &format!("\n## 2026-11-23 Mon\n\n- 09:00 UTC bob: entry {day}\n");
        }
        let lines: Vec<&str> = old.lines().collect();
        let target = 30_001;
        let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        edited[target] = format!("{} (edited)", edited[target]);
        let edited = edited.join("\n") + "\n";
        let found = changes(old.as_bytes(), edited.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, target + 1);
        assert_eq!(found[0].old_text, lines[target]);
        // Appended after the edit: still one change.
        let appended = format!("{edited}\n## 2026-11-24 Tue\n");
        assert_eq!(changes(old.as_bytes(), appended.as_bytes()).len(), 1);
        // Every line from the 10th on rewritten.
        let rewritten: String = old
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i >= 9 {
                    format!("{l}!\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        let found = changes(old.as_bytes(), rewritten.as_bytes());
        assert!(found.len() <= MAX_FINDINGS + 1, "{}", found.len());
        assert_eq!(found[0].line, 10);
    }

    /// Blocks merged in between old ones, more lines than a diff window's edits: still
    /// appends, found in one pass.
    #[test]
    fn many_merged_blocks_pass() {
        let mut old = String::from("# Log\n\n## 2026-11-23 Mon\n\n");
        let mut new = old.clone();
        for minute in 0..1400 {
            let time = format!("{:02}:{:02}", minute / 60 % 24, minute % 60);
            old += &format!("- {time} UTC bob: {minute}\n");
            new += &format!("- {time} UTC bob: {minute}\n- {time} UTC carol: {minute}\n");
        }
        old += "\n## 2026-11-24 Tue\n";
        new += "\n## 2026-11-24 Tue\n";
        assert_eq!(changes(old.as_bytes(), new.as_bytes()), []);
    }

    #[test]
    fn added_lines_are_listed() {
        let merged = OLD.replace(
            "- 09:00 UTC bob: one\n",
            "- 09:00 UTC bob: one\n- 10:00 UTC carol: two\n",
        );
        let appended = format!("{merged}\nmore\n\nand more\n");
        let rules = Rules { list_added: true };
        let found = compare(OLD.as_bytes(), appended.as_bytes(), &rules).unwrap();
        assert!(found.changes.is_empty());
        assert_eq!(found.added, [6..7, 15..16, 17..18]);
    }
}
