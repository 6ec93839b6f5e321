//! Reading the log fast, at any age.
//!
//! The log grows by a few kilobytes every working day for as long as the team exists, so
//! nothing reads it line by line through a `BufRead`. A reader takes it in blocks of whole
//! lines ([`Blocks`], `memchr` finds the line breaks), never holding more than a block and one
//! line, and a question about a window of days starts where that window starts: found by
//! reading backwards from the end ([`window_start`]), so its cost follows the window, not the
//! age of the log.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use crate::logformat::{DAY_HEADING, Midway, MidwayPlan, day_heading_date};
use chrono::NaiveDate;

/// How much a reader holds at once: small enough to stay in the processor's cache between
/// the read that fills it and the searches that go over it.
const BLOCK: usize = 64 * 1024;

/// A line longer than this is cut there: rota writes nothing near it (an entry is at most
/// 4 KiB), and a file anyone can push must not make a reader hold all of it.
pub const MAX_LINE: usize = 1024 * 1024;

/// Reads land on a page boundary of the buffer: copying from the page cache to a misaligned
/// address measured three times slower.
const PAGE: usize = 4096;

/// A reader that hands out blocks of whole lines, each block ending with `\n` (except at the
/// end of the file, and where an over-long line was cut).
pub struct Blocks<R> {
    pub source: R,
    buf: Vec<u8>,
    /// The first byte of `buf` not handed out yet.
    start: usize,
    /// The end of what was read into `buf`.
    end: usize,
    eof: bool,
    /// Inside an over-long line that was cut: its rest is dropped.
    skipping: bool,
}

impl<R: Read> Blocks<R> {
    pub fn new(source: R) -> Blocks<R> {
        Blocks {
            source,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            skipping: false,
        }
    }

    /// The next block of whole lines, or `None` at the end of the file.
    pub fn next_block(&mut self) -> io::Result<Option<&[u8]>> {
        loop {
            if self.skipping {
                match memchr::memchr(b'\n', &self.buf[self.start..self.end]) {
                    Some(i) => {
                        self.start += i + 1;
                        self.skipping = false;
                    }
                    None => self.start = self.end,
                }
            }
            if !self.skipping
                && let Some(last) = memchr::memrchr(b'\n', &self.buf[self.start..self.end])
            {
                let from = self.start;
                self.start += last + 1;
                return Ok(Some(&self.buf[from..self.start]));
            }
            if self.eof {
                if self.start < self.end && !self.skipping {
                    let from = self.start;
                    self.start = self.end;
                    return Ok(Some(&self.buf[from..self.end]));
                }
                return Ok(None);
            }
            if self.end - self.start >= MAX_LINE {
                // One line longer than any rota writes: hand it out cut, drop the rest of it.
                self.skipping = true;
                let from = self.start;
                self.start = self.end;
                return Ok(Some(&self.buf[from..self.end]));
            }
            self.fill()?;
        }
    }

    /// Keeps the partial line that is left, and reads the next block right after it.
    fn fill(&mut self) -> io::Result<()> {
        let carry = self.end - self.start;
        let offset = carry.next_multiple_of(PAGE);
        let base = self.buf.as_ptr().align_offset(PAGE);
        if self.buf.len() < base + offset + BLOCK {
            let mut grown = vec![0; offset + BLOCK + PAGE];
            let base = grown.as_ptr().align_offset(PAGE);
            grown[base + offset - carry..base + offset]
                .copy_from_slice(&self.buf[self.start..self.end]);
            self.buf = grown;
            self.start = base + offset - carry;
        } else {
            self.buf
                .copy_within(self.start..self.end, base + offset - carry);
            self.start = base + offset - carry;
        }
        self.end = self.start + carry;
        let read = loop {
            match self.source.read(&mut self.buf[self.end..self.end + BLOCK]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        self.eof = read == 0;
        self.end += read;
        Ok(())
    }
}

/// The lines of a block, without their line break (a `\r` before it stays).
pub fn lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', block);
    std::iter::from_fn(move || {
        let from = start;
        match ends.next() {
            Some(end) => {
                start = end + 1;
                Some(&block[from..end])
            }
            None if from < block.len() => {
                start = block.len();
                Some(&block[from..])
            }
            None => None,
        }
    })
}

/// Where a reader that wants every day from `from` on starts: the line of the last day
/// heading before `from` (`## YYYY-MM-DD`), found by reading backwards from the end; the start
/// of the file when there is none, or when that heading's place is unsure.
///
/// A heading inside a code block or an HTML block is text, not a heading, and a reader that
/// started there would take the block's closing fence for an opening one. Whether a line is
/// inside a block depends on every line before it, so the heading found is verified: the
/// window from the line before it is read with [`Midway`], which follows every reading the
/// window's text allows; when they do not all agree by that heading, the window starts at
/// the start of the file (the whole log is read, which is always right).
pub(crate) fn window_start(file: &mut File, from: NaiveDate) -> io::Result<u64> {
    let mut before = from;
    // A few headings further back each time the place of one is unsure, then the start.
    for _ in 0..4 {
        let candidate = last_heading_before(file, before)?;
        if candidate == 0 || is_sure(file, candidate)? {
            return Ok(candidate);
        }
        let mut line = Vec::new();
        read_at(file, candidate, candidate + 13, &mut line)?;
        match std::str::from_utf8(&line).ok().and_then(day_heading_date) {
            Some(day) => before = day,
            None => return Ok(0),
        }
    }
    Ok(0)
}

/// Whether the day heading that starts at byte `candidate` reads as one, whatever blocks were
/// open before the line before it.
fn is_sure(file: &mut File, candidate: u64) -> io::Result<bool> {
    // The line before the heading: where it starts is where the reading starts.
    let start = line_start_before(file, candidate - 1)?;
    let file_len = file.seek(SeekFrom::End(0))?;
    // Two passes over the window: which readings its text allows, then each of them.
    let mut plan = MidwayPlan::default();
    file.seek(SeekFrom::Start(start))?;
    let mut blocks = Blocks::new(file.take(file_len - start));
    while let Some(block) = blocks.next_block()? {
        plan.scan(block);
    }
    let mut midway: Midway = plan.start();
    let file = blocks.source.into_inner();
    file.seek(SeekFrom::Start(start))?;
    let mut blocks = Blocks::new(file.take(file_len - start));
    let (mut at, mut index, mut candidate_index) = (start, 0, None);
    while let Some(block) = blocks.next_block()? {
        for line in lines(block) {
            if at == candidate {
                candidate_index = Some(index);
            }
            midway.read(line);
            at += line.len() as u64 + 1;
            index += 1;
        }
    }
    Ok(midway
        .agreed_from()
        .zip(candidate_index)
        .is_some_and(|(agreed, candidate)| agreed <= candidate))
}

/// The start of the last line before the end that reads `## YYYY-MM-DD` with a day before
/// `from`, by its text alone; 0 when there is none.
fn last_heading_before(file: &mut File, from: NaiveDate) -> io::Result<u64> {
    // `end` is always the start of a line already looked at (or the end of the file).
    let mut end = file.seek(SeekFrom::End(0))?;
    let opens_at = |line: &[u8]| {
        line.starts_with(DAY_HEADING.as_bytes())
            && std::str::from_utf8(&line[..line.len().min(13)])
                .ok()
                .and_then(day_heading_date)
                .is_some_and(|day| day < from)
    };
    let mut buf = Vec::new();
    while end > 0 {
        let start = end.saturating_sub(BLOCK as u64);
        read_at(file, start, end, &mut buf)?;
        // Whole lines only: the part before the block's first line break belongs to a line
        // that began further back.
        let first = match memchr::memchr(b'\n', &buf) {
            _ if start == 0 => 0,
            Some(i) if i + 1 < buf.len() => i + 1,
            _ => {
                // The block holds no whole line: one line longer than a block ends at `end`.
                let line = line_start_before(file, start)?;
                read_at(file, line, end.min(line + 256), &mut buf)?;
                if opens_at(&buf) {
                    return Ok(line);
                }
                end = line;
                continue;
            }
        };
        let spans: Vec<&[u8]> = lines(&buf[first..]).collect();
        for line in spans.into_iter().rev() {
            if opens_at(line) {
                let at = line.as_ptr() as usize - buf.as_ptr() as usize;
                return Ok(start + at as u64);
            }
        }
        end = start + first as u64;
    }
    Ok(0)
}

fn read_at(file: &mut File, start: u64, end: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.resize((end - start) as usize, 0);
    file.seek(SeekFrom::Start(start))?;
    file.read_exact(buf)
}

/// The start of the line that holds byte `pos - 1`: just after the line break before it.
fn line_start_before(file: &mut File, mut pos: u64) -> io::Result<u64> {
    let mut buf = Vec::new();
    while pos > 0 {
        let start = pos.saturating_sub(BLOCK as u64);
        read_at(file, start, pos, &mut buf)?;
        if let Some(i) = memchr::memrchr(b'\n', &buf) {
            return Ok(start + i as u64 + 1);
        }
        pos = start;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn blocks_of(text: &[u8]) -> Vec<Vec<u8>> {
        let mut blocks = Blocks::new(text);
        let mut out = Vec::new();
        while let Some(block) = blocks.next_block().unwrap() {
            out.push(block.to_vec());
        }
        out
    }

    #[test]
    fn blocks_hold_whole_lines_and_every_byte_once() {
        let text: Vec<u8> = (0..100_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .chain(*b"no break at the end")
            .collect();
        let blocks = blocks_of(&text);
        assert!(blocks.len() > 1);
        assert!(
            blocks[..blocks.len() - 1]
                .iter()
                .all(|b| b.ends_with(b"\n"))
        );
        assert_eq!(blocks.concat(), text);
        let all: Vec<&[u8]> = blocks.iter().flat_map(|b| lines(b)).collect();
        assert_eq!(all.len(), 100_001);
        assert_eq!(all[99_999], b"line 99999");
        assert_eq!(all[100_000], b"no break at the end");
    }

    #[test]
    fn an_over_long_line_is_cut_and_the_next_line_read_whole() {
        let mut text = vec![b'x'; MAX_LINE * 3];
        text.extend_from_slice(b"\n## 2026-11-23 Mon\n");
        let blocks = blocks_of(&text);
        let all: Vec<&[u8]> = blocks.iter().flat_map(|b| lines(b)).collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].len(), MAX_LINE);
        assert_eq!(all[1], b"## 2026-11-23 Mon");
    }

    fn start_in(text: &str, from: &str) -> usize {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        window_start(&mut file, from.parse().unwrap()).unwrap() as usize
    }

    #[test]
    fn the_window_starts_at_the_last_heading_before_its_first_day() {
        let mut text = String::from("# Log\n");
        for day in 1..=28 {
            text += &format!(
                "\n## 2026-02-{day:02} X\n\n- 09:00 UTC a: {}\n",
                "y".repeat(20_000)
            );
        }
        let at = start_in(&text, "2026-02-20");
        assert!(
            text[at..].starts_with("## 2026-02-19 X\n"),
            "{}",
            &text[at..at + 20]
        );
        assert_eq!(start_in(&text, "2026-01-01"), 0);
        let at = start_in(&text, "2027-01-01");
        assert!(text[at..].starts_with("## 2026-02-28 X\n"));
    }

    #[test]
    fn lines_longer_than_a_block_are_looked_at_whole() {
        // A long line at the end, a long fence-opening line, and a long heading.
        let long = "z".repeat(BLOCK * 2);
        let text = format!(
            "## 2026-11-18 Wed\n\n```{long}\n## 2026-11-19 Thu\n```\n## 2026-11-20 Fri {long}\n\n- 09:00 UTC a: {long}\n"
        );
        // The fence just before the heading could close a block or open one: the window
        // starts at the heading before, where it is sure.
        let at = start_in(&text, "2026-11-23");
        assert!(text[at..].starts_with("## 2026-11-18 Wed\n"));
        let sure = text.replace("```\n## 2026-11-20", "```\n\n## 2026-11-20");
        let at = start_in(&sure, "2026-11-23");
        assert!(sure[at..].starts_with("## 2026-11-20 Fri zz"));
        let at = start_in(&text, "2026-11-20");
        assert!(text[at..].starts_with("## 2026-11-18 Wed\n"));
    }

    #[test]
    fn a_heading_inside_a_code_block_is_passed() {
        let text = "## 2026-11-19 Thu\n\n```\n## 2026-11-20 Fri\n```\n\n## 2026-11-23 Mon\n";
        let at = start_in(text, "2026-11-21");
        assert_eq!(&text[at..at + 17], "## 2026-11-19 Thu");
    }
}
