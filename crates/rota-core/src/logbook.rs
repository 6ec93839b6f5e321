//! `on-call-log.md`: the team's append-only log, in Markdown.
//!
//! ```markdown
//! ## 2026-11-23 Mon · on call: alice
//!
//! - 09:14 UTC alice: fixed quota drift on project "tools" #quota
//!
//! ### Handover 16:05 UTC: alice → bob
//! ...
//! ```
//!
//! rota only ever appends, and reads only the end of the file to decide whether today's day
//! heading is already the last section, so the cost of a `rota log` does not grow with the log.
//! Each append is one `write` under an exclusive lock, followed by an fsync.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::conflict::find_conflict_marker;
use crate::error::{Error, Location, Result};
use crate::hash::fnv1a;
use crate::history::{self, History};
use crate::logend::{self, End};
use crate::logformat::{
    self, Blocks, FENCE, HANDOVER, HandoverHeading, Item, Mark, Midway, RoundLine, Seen, Served,
    day_heading_date, entry_parts, is_heading_within_day, is_log_heading, is_section_heading,
    last_section_heading, unescape_text,
};
use crate::safe::printable;

/// How much of the end of the log rota reads: far more than a day's section.
const TAIL_BYTES: u64 = 64 * 1024;

/// The end of the log, starting at a line boundary.
#[derive(Debug, Default)]
pub struct Tail {
    pub text: String,
    /// Byte offset of `text` in the file.
    pub offset: u64,
    pub file_len: u64,
    /// Where in `text` the tail reads as the whole log does (a heading at column 0), whatever
    /// blocks opened before it ([`Midway`]); `None` when no line of it is sure.
    from: Option<usize>,
    /// Whether the file's last byte is a line break (the tail's text may hold none of the
    /// last line, when that line is longer than the tail).
    ends_newline: bool,
    /// Its records, parsed once: `who` and `log` ask for them more than once.
    parsed: std::cell::OnceCell<History>,
}

impl Tail {
    fn ends_with_newline(&self) -> bool {
        self.file_len == 0 || self.ends_newline
    }

    fn uses_crlf(&self) -> bool {
        self.text.contains("\r\n")
    }

    /// True when the last heading of the file is rota's heading for `day`, so an entry for
    /// `day` can go right under it. Any later heading (a handover record, a section written by
    /// hand) closes the day.
    pub fn last_section_is_day(&self, day: NaiveDate) -> bool {
        self.read_lines()
            .filter(|line| is_section_heading(line))
            .last()
            .and_then(day_heading_date)
            == Some(day)
    }

    /// Whether an entry appended now would read, on a forge, as part of the record above it:
    /// the last heading of the tail is one inside a day (a `### Handover`, a `### Correction`,
    /// a `### Taken back`, or one written by hand), not a day's heading or a `### Log` heading.
    /// The entry then goes under a [`crate::logformat::log_heading`] of its own.
    pub fn entry_needs_log_heading(&self) -> bool {
        let mut needs = false;
        for line in self.read_lines() {
            if is_section_heading(line) || is_log_heading(line) {
                needs = false;
            } else if is_heading_within_day(line) {
                needs = true;
            }
        }
        needs
    }

    /// The lines of the tail a reader sees as text, from where its reading is sure on.
    fn read_lines(&self) -> impl Iterator<Item = &str> {
        let mut blocks = Blocks::new();
        self.text[self.from.unwrap_or(self.text.len())..]
            .lines()
            .filter(move |line| blocks.read(line.as_bytes()) == Seen::Text)
    }

    /// The entry lines written under `day`'s headings.
    pub fn entries_on(&self, day: NaiveDate) -> Vec<String> {
        let mut inside = false;
        let mut entries = Vec::new();
        for line in self.read_lines() {
            if is_section_heading(line) {
                inside = day_heading_date(line) == Some(day);
            } else if inside && let Some((time, author, text)) = entry_parts(line) {
                let entry = format!("{time} UTC {author}: {}", unescape_text(text));
                entries.push(printable(&entry).into_owned());
            }
        }
        entries
    }

    /// The handover and correction records in the tail, read from its first day heading on
    /// (a record before it could lack the day it was written).
    pub fn history(&self) -> &History {
        self.parsed.get_or_init(|| self.parse())
    }

    /// A whole file's text as its tail: the log as a revision holds it, or read whole.
    pub fn from_text(text: &str) -> Tail {
        Tail {
            text: text.to_string(),
            offset: 0,
            file_len: text.len() as u64,
            from: Some(0),
            ends_newline: text.ends_with('\n'),
            ..Tail::default()
        }
    }

    /// The records, owned.
    pub fn into_history(self) -> History {
        self.history();
        self.parsed.into_inner().unwrap_or_default()
    }

    fn parse(&self) -> History {
        let Some(from) = self.from else {
            return History::default();
        };
        if self.offset == 0 {
            return history::parse(&self.text);
        }
        // From the first day heading on: a record before it could lack the day it was written.
        let mut blocks = Blocks::new();
        let mut at = from;
        for line in self.text[from..].split_inclusive('\n') {
            if blocks.read(line.trim_end_matches('\n').as_bytes()) == Seen::Text
                && day_heading_date(line).is_some()
            {
                return history::parse(&self.text[at..]);
            }
            at += line.len();
        }
        History::default()
    }

    /// The span, relative to the file, of a git conflict marker in the tail.
    fn conflict_marker(&self) -> Option<std::ops::Range<usize>> {
        find_conflict_marker(&self.text)
    }
}

/// One log line: `- 09:14 UTC alice: text`. Line breaks in `text` become spaces, so that an
/// entry is always one line and can never forge a heading; other control characters are
/// written as their escapes, and what a forge would hide or read as Markdown the engineer did
/// not choose is escaped ([`logformat::escape_text`]).
pub fn entry(at: DateTime<Utc>, author: &str, text: &str) -> String {
    let text: String = text
        .trim()
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    logformat::entry_line(&logformat::hh_mm(at), author, &printable(&text))
}

/// Opens the log at `path` to read it: `None` when there is none yet (a team that has logged
/// nothing reads as an empty log), the error to show otherwise. Every reader of the log opens
/// it here.
pub fn open_log(path: &Path) -> Result<Option<File>> {
    // A regular file only: a pushed FIFO or a link to a device is refused, not waited on.
    match crate::open::regular(path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, &e)),
    }
}

/// Reads the end of the log (shared lock). A missing log reads as empty.
pub fn read_tail(path: &Path, zone: Tz) -> Result<Tail> {
    let Some(mut file) = open_log(path)? else {
        return Ok(Tail::default());
    };
    file.lock_shared()
        .map_err(|e| Error::io("lock", path, &e))?;
    let tail = tail_of(&mut file, path, zone)?;
    // The tail's reading assumes no block opened before it runs to the end ([`Midway`]);
    // when one does, the tail cannot see it. (Without a sure line, the whole log was read.)
    match end(&mut file, path, &tail)? {
        End::InsideBlock { line, offset }
            if tail
                .from
                .is_some_and(|from| offset < tail.offset + from as u64)
                && tail.offset > 0 =>
        {
            Err(inside_block(&mut file, path, line, Reading))
        }
        End::LoneCarriageReturn { line, column } => {
            Err(lone_carriage_return(&mut file, path, line, column))
        }
        _ => Ok(tail),
    }
}

/// What a command was doing when it found the log ends inside a block.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Reading,
    Appending,
}
use Use::{Appending, Reading};

/// How the log ends as to its blocks: from the tail when it is the whole file, else as
/// [`logend::end_of`] knows it.
fn end(file: &mut File, path: &Path, tail: &Tail) -> Result<End> {
    let read_error = |e: std::io::Error| Error::io("read", path, &e);
    if tail.offset == 0 {
        return logend::follow(tail.text.as_bytes()).map_err(read_error);
    }
    logend::end_of(file, path).map_err(read_error)
}

/// The log ends inside a block opened at line `opened`: the whole log reads every line after
/// it as the block's text (a forge shows them so), so no record there counts, and what rota
/// appended would read as text too. A writer refuses; so does a reader that starts after the
/// block's first line, which it cannot see.
fn inside_block(file: &mut File, path: &Path, opened: usize, doing: Use) -> Error {
    let text = line_text(file, opened).unwrap_or_default();
    let what = match doing {
        Reading => {
            "no record after that line counts, so rota cannot tell where the rotation stands"
        }
        Appending => "what rota appends would read as part of that block",
    };
    Error::new(format!(
        "{} ends inside a code block (opened at line {opened}): {what}",
        path.display()
    ))
    .at(Location {
        path: path.to_path_buf(),
        line: opened,
        column: 1,
        width: text.chars().count().clamp(1, 3),
        text,
    })
    .hint(format!("close the block on a line of its own at the end of {} ({FENCE}, or the fence that opened it; --> after a comment), then run the command again; `rota check` shows the log's state", path.display()))
}

/// A carriage return that ends no line, at `line` and `column`: a forge (CommonMark) breaks
/// the line there and rota does not, so the two could read different blocks from there on.
/// Every command refuses until it is gone; `rota check` names it too.
fn lone_carriage_return(file: &mut File, path: &Path, line: usize, column: usize) -> Error {
    let text = line_text(file, line).unwrap_or_default();
    Error::new(format!(
        "{} holds a carriage return that ends no line (line {line}, column {column}): a forge breaks the line there and rota does not, so they could read the log differently",
        path.display()
    ))
    .at(Location {
        path: path.to_path_buf(),
        line,
        column,
        width: 1,
        text,
    })
    .hint(format!(
        "delete that character, or make it a line break, in {}; then run the command again (`rota check` names every one)",
        path.display()
    ))
}

/// The text of line `line` (1-based) of the log, for an error to show.
fn line_text(file: &mut File, line: usize) -> std::io::Result<String> {
    file.seek(SeekFrom::Start(0))?;
    let mut reader = crate::scan::Blocks::new(&mut *file);
    let mut seen = 0;
    while let Some(block) = reader.next_block()? {
        for text in crate::scan::lines(block) {
            seen += 1;
            if seen == line {
                let text = text.strip_suffix(b"\r").unwrap_or(text);
                return Ok(String::from_utf8_lossy(text).into_owned());
            }
        }
    }
    Ok(String::new())
}

/// The most text the tail holds while it looks for a day heading it can read from (1 MiB: a
/// day's section is a few KiB, rota's entries at most 4 KiB each).
const MAX_TAIL_TEXT: u64 = 1024 * 1024;

/// The last `TAIL_BYTES` of the file (more, up to `MAX_TAIL_TEXT`, until it holds a day
/// heading from where it reads as the whole log does: a busy day keeps its one section), with
/// the records that say where the rotation stands: the tail's own when it holds a standing
/// handover record, else the whole log's, read as a stream of lines from its start (where it
/// always reads as it is). So memory holds the tail and the records, never the log's text (a
/// log of 77 MB without a handover, a line of 200 MB), and the cost follows the time since the
/// last handover until that is further back than the tail.
/// `zone` is the team's: whether a record stands depends on when it was written there, and
/// the answers read from the tail ask in that zone (worked out once, see [`History::standing`]).
fn tail_of(file: &mut File, path: &Path, zone: Tz) -> Result<Tail> {
    let mut want = TAIL_BYTES;
    let mut tail = tail_bytes(file, path, want)?;
    let sure_day = |tail: &Tail| {
        tail.from
            .is_some_and(|from| has_day_heading(&tail.text[from..]))
    };
    while tail.offset > 0 && !sure_day(&tail) && want < MAX_TAIL_TEXT {
        want = want.saturating_mul(4);
        tail = tail_bytes(file, path, want)?;
    }
    // A standing handover record that gives a state is what matters (Tail::history reads
    // from the first day heading on): a fenced example, a damaged record or one taken back
    // does not end the search.
    let complete = tail.text.contains(&format!("\n{HANDOVER}"))
        && tail.history().checkpoint(0, zone).is_some();
    if tail.offset == 0 || complete {
        return Ok(tail);
    }
    let io = |e: std::io::Error| Error::io("read", path, &e);
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut parser = history::Parser::default();
    parse_lines(file.try_clone().map_err(io)?, path, &mut parser, |_| {})?;
    // In place of what the tail found (asked above, and cached): the whole log's records.
    tail.parsed = std::cell::OnceCell::from(parser.finish());
    Ok(tail)
}

/// Whether `text` holds a day heading (`## 2026-11-23 Mon`) at the start of a line.
fn has_day_heading(text: &str) -> bool {
    (text.starts_with(logformat::DAY_HEADING) && day_heading_date(text).is_some())
        || text
            .match_indices(logformat::DAY_HEADING)
            .filter(|(i, _)| *i > 0 && text.as_bytes()[i - 1] == b'\n')
            .any(|(i, _)| day_heading_date(&text[i..]).is_some())
}

fn tail_bytes(file: &mut File, path: &Path, want: u64) -> Result<Tail> {
    let io = |e: std::io::Error| Error::io("read", path, &e);
    let file_len = file.metadata().map_err(io)?.len();
    let start = file_len.saturating_sub(want);
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut bytes = Vec::with_capacity((file_len - start) as usize);
    // The file may grow meanwhile (a reader holds no lock against an append): no more than
    // asked is taken.
    (&mut *file)
        .take(file_len - start)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let ends_newline = bytes.last() == Some(&b'\n');
    let mut offset = start;
    if start > 0 {
        // Start on a line boundary; the partial line before it is not needed.
        let cut = bytes
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| i + 1);
        bytes.drain(..cut);
        offset += cut as u64;
    }
    // Not copied when it is UTF-8, as it should be.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let from = if offset == 0 {
        Some(0)
    } else {
        sure_from(&text)
    };
    Ok(Tail {
        text,
        offset,
        file_len,
        from,
        ends_newline,
        parsed: std::cell::OnceCell::new(),
    })
}

/// The byte of `text` (read from the middle of the log) from which it reads as the whole log
/// does: where the first line the [`Midway`] reader agrees from starts.
fn sure_from(text: &str) -> Option<usize> {
    let mut midway = Midway::new(text.as_bytes());
    let mut starts = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        starts.push(at);
        midway.read(line.trim_end_matches('\n').as_bytes());
        at += line.len();
    }
    midway.agreed_from().map(|line| starts[line])
}

/// An open, exclusively locked log. Dropping it releases the lock.
pub struct LockedLog {
    file: File,
    path: std::path::PathBuf,
    pub tail: Tail,
    /// What opening it repaired or left alone, for the caller to tell the user.
    pub notices: Vec<Notice>,
}

/// Something rota did or declined to do on its own while opening the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// An interrupted append's bytes were removed (they are rota's own, proven by the journal).
    Repaired(String),
    /// A journal was found and ignored; the log is left as it is (what, and what to do).
    Warning(String, Option<String>),
}

/// Opens (creating if needed) and locks the log for appending. Refuses a read-only log and one
/// whose end holds git conflict markers.
pub(crate) fn lock(path: &Path, zone: Tz) -> Result<LockedLog> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.permissions().readonly()
    {
        return Err(
            Error::new(format!("{} is read-only", path.display())).hint(format!(
                "make it writable (chmod u+w {}) and run the command again",
                path.display()
            )),
        );
    }
    let mut file = crate::open::regular_with(
        OpenOptions::new().read(true).append(true).create(true),
        path,
    )
    .map_err(|e| Error::io("open", path, &e))?;
    file.lock().map_err(|e| Error::io("lock", path, &e))?;
    let notices = repair_interrupted_append(&mut file, path)?
        .into_iter()
        .collect();
    let tail = tail_of(&mut file, path, zone)?;
    match end(&mut file, path, &tail)? {
        End::InsideBlock { line, .. } => {
            return Err(inside_block(&mut file, path, line, Appending));
        }
        End::LoneCarriageReturn { line, column } => {
            return Err(lone_carriage_return(&mut file, path, line, column));
        }
        End::Outside => {}
    }
    if let Some(span) = tail.conflict_marker() {
        let location = Location::of(path, &tail.text, span);
        let line = location.line + count_lines_before(&mut file, tail.offset).unwrap_or(0);
        return Err(Error::new(format!("{} holds git conflict markers", path.display()))
            .at(Location { line, ..location })
            .hint(crate::conflict::finish_merge(path))
            .hint("or resolve it by hand (keep both sides' lines, delete the <<<<<<<, ======= and >>>>>>> lines), commit, then run the command again"));
    }
    Ok(LockedLog {
        notices,
        file,
        path: path.to_path_buf(),
        tail,
    })
}

/// The journal of an append in progress. A killed process can leave part of its text in the
/// log (the kernel may stop a long write between pages); the next writer finds the journal and
/// cuts the log back to where the append started. It says which log it belongs to, where the
/// append began, a fingerprint of the bytes before it, and the exact bytes it appends: only
/// bytes that are, byte for byte, the start of those are ever removed. A journal left from
/// another file, or a log that a pull, a hand edit or a teammate's entries changed since (the
/// bytes after the offset are not rota's own), truncates nothing.
///
/// In a git clone the journal lives in the clone's own `.git` directory, which no push can
/// write: a journal committed to the repository (or a symlink committed in its place) is never
/// taken for one.
pub fn journal_path(log: &Path) -> std::path::PathBuf {
    scratch_path(log, "append")
}

/// Where rota keeps a file of its own about the log `log` (`what` tells them apart): in the
/// clone's own `.git` directory, which no push can write, or beside the log outside a clone.
/// In a clone the name holds the log's path in the work tree (`/` written `%2F`), so that the
/// teams of one repository, each with an `on-call-log.md` in its own directory, never take
/// each other's journal for their own.
pub(crate) fn scratch_path(log: &Path, what: &str) -> std::path::PathBuf {
    let name = log
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let dir = log.parent().filter(|d| !d.as_os_str().is_empty());
    let repo = dir.and_then(|d| crate::git::repo(d).ok().flatten());
    let Some(repo) = repo.filter(|r| r.git_dir.is_dir()) else {
        return log.with_file_name(format!(".{name}.rota-{what}"));
    };
    let within = dir
        .and_then(|d| std::fs::canonicalize(d).ok())
        .and_then(|d| d.strip_prefix(&repo.top).ok().map(Path::to_path_buf))
        .unwrap_or_default();
    let mut place = String::new();
    for part in within.components() {
        place.push_str(&part.as_os_str().to_string_lossy().replace('%', "%25"));
        place.push_str("%2F");
    }
    place.push_str(&name.replace('%', "%25"));
    // A file name has room for 255 bytes: a deep path is named by its hash instead.
    if place.len() > 200 {
        place = format!("{:016x}-{name}", fnv1a(place.as_bytes()));
    }
    repo.git_dir.join(format!("rota-{what}-{place}"))
}

/// How many bytes before the append the journal fingerprints.
const FINGERPRINT_BYTES: u64 = 4096;

#[derive(Debug, PartialEq, Eq)]
struct Journal {
    log: String,
    /// The log's length when the append began: where its bytes start.
    length: u64,
    before: u64,
    /// The exact bytes the append writes at `length`.
    added: Vec<u8>,
}

impl Journal {
    const HEADER: &'static str = "rota append journal v2";

    fn render(&self) -> Vec<u8> {
        let mut out = format!(
            "{}\nlog={}\nlength={}\nbefore={:016x}\nadded={}\n",
            Self::HEADER,
            self.log,
            self.length,
            self.before,
            self.added.len()
        )
        .into_bytes();
        out.extend_from_slice(&self.added);
        out
    }

    fn parse(bytes: &[u8]) -> Option<Journal> {
        let mut rest = bytes;
        let mut line = || {
            let end = memchr::memchr(b'\n', rest)?;
            let text = std::str::from_utf8(&rest[..end]).ok()?;
            rest = &rest[end + 1..];
            Some(text)
        };
        (line()? == Self::HEADER).then_some(())?;
        let mut field = |key: &str| {
            line()?
                .strip_prefix(key)?
                .strip_prefix('=')
                .map(str::to_string)
        };
        let log = field("log")?;
        let length = field("length")?.parse().ok()?;
        let before = u64::from_str_radix(&field("before")?, 16).ok()?;
        let added: usize = field("added")?.parse().ok()?;
        (rest.len() == added).then_some(())?;
        Some(Journal {
            log,
            length,
            before,
            added: rest.to_vec(),
        })
    }
}

/// What a journal found beside the log says.
#[derive(Debug, PartialEq, Eq)]
pub enum Leftover {
    /// No journal.
    None,
    /// The append finished (or wrote nothing); only the journal was left.
    Complete,
    /// The append was cut: what follows `length` is the start of rota's text, and only that.
    Interrupted { length: u64 },
    /// The log changed after the append began: the bytes after `length` (line `line`) are not
    /// the ones rota was writing, so they are not rota's to remove.
    Changed { length: u64, line: usize },
    /// A journal that does not describe this log as it is: ignored, never trusted.
    Stale(String),
}

impl Leftover {
    /// What the next writer does with it, said to the user: the text and a hint.
    pub fn changed_notice(path: &Path, length: u64, line: usize) -> (String, String) {
        (
            format!(
                "an append to {} was interrupted, and the log has changed since (a pull, an edit): what follows byte {length} (line {line}) is not what rota was writing, so rota left the log as it is",
                path.display()
            ),
            format!(
                "if a line rota was writing stands cut short after line {line}, delete it by hand; `rota check` shows the log's state"
            ),
        )
    }
}

fn read_range(file: &mut File, from: u64, to: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = vec![0; usize::try_from(to.saturating_sub(from)).unwrap_or(0)];
    file.seek(SeekFrom::Start(from))?;
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// The most a journal holds: a handover record at its largest is far smaller.
const MAX_JOURNAL_BYTES: u64 = 8 * 1024 * 1024;

/// Reads the journal beside `path` and checks it against the log `file`.
fn inspect(file: &mut File, path: &Path) -> std::io::Result<Leftover> {
    let journal_path = journal_path(path);
    if journal_path.is_symlink() {
        return Ok(Leftover::Stale("it is a symbolic link".into()));
    }
    let mut bytes = Vec::new();
    // Read as a regular file only: a FIFO or a device in its place is not a journal.
    match crate::open::regular(&journal_path) {
        Ok(journal) => {
            if journal
                .take(MAX_JOURNAL_BYTES)
                .read_to_end(&mut bytes)
                .is_err()
            {
                return Ok(Leftover::Stale("it cannot be read".into()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Leftover::None),
        Err(_) => return Ok(Leftover::Stale("it cannot be read".into())),
    }
    let Some(journal) = Journal::parse(&bytes) else {
        return Ok(Leftover::Stale("it is not one rota wrote".into()));
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    if name.as_deref() != Some(journal.log.as_str()) {
        return Ok(Leftover::Stale(format!("it belongs to {:?}", journal.log)));
    }
    let now = file.metadata()?.len();
    if journal.length > now {
        return Ok(Leftover::Stale(
            "the log is shorter than where it says the append began".into(),
        ));
    }
    let start = journal.length.saturating_sub(FINGERPRINT_BYTES);
    if fnv1a(&read_range(file, start, journal.length)?) != journal.before {
        return Ok(Leftover::Stale(
            "the log has changed before the append it notes".into(),
        ));
    }
    let added = journal.added.len() as u64;
    if now == journal.length {
        return Ok(Leftover::Complete);
    }
    // Only the bytes rota wrote, and nothing after them, are rota's: the log's end must be the
    // whole append or a start of it.
    let after = if now - journal.length <= added {
        read_range(file, journal.length, now)?
    } else {
        Vec::new()
    };
    if after.len() as u64 == now - journal.length && journal.added.starts_with(&after) {
        return Ok(if now - journal.length == added {
            Leftover::Complete
        } else {
            Leftover::Interrupted {
                length: journal.length,
            }
        });
    }
    Ok(Leftover::Changed {
        length: journal.length,
        line: count_lines_before(file, journal.length)? + 1,
    })
}

/// What `check` reports about a journal left beside the log (read only).
pub fn leftover(path: &Path) -> Leftover {
    match crate::open::regular(path) {
        Ok(mut file) => inspect(&mut file, path).unwrap_or(Leftover::None),
        Err(_) => Leftover::None,
    }
}

fn repair_interrupted_append(file: &mut File, path: &Path) -> Result<Option<Notice>> {
    let io = |e: std::io::Error| Error::io("repair", path, &e);
    let notice = match inspect(file, path).map_err(io)? {
        Leftover::None => return Ok(None),
        Leftover::Complete => None,
        Leftover::Interrupted { length } => {
            let now = file.metadata().map_err(io)?.len();
            file.set_len(length)
                .and_then(|()| file.sync_data())
                .map_err(io)?;
            Some(Notice::Repaired(format!(
                "removed the last {} bytes of {}: an append that was interrupted",
                now - length,
                path.display()
            )))
        }
        Leftover::Changed { length, line } => {
            let (text, hint) = Leftover::changed_notice(path, length, line);
            Some(Notice::Warning(text, Some(hint)))
        }
        Leftover::Stale(why) => Some(Notice::Warning(
            format!(
                "ignored {} ({why}); the log is left as it is",
                journal_path(path).display()
            ),
            None,
        )),
    };
    std::fs::remove_file(journal_path(path)).map_err(io)?;
    Ok(notice)
}

/// Every record of the whole log, read as a stream (for `check`; everyday commands read the
/// tail, and questions about a window of days [`read_history_from`]).
pub fn read_history(path: &Path) -> Result<History> {
    read_history_from(path, None)
}

/// The records of the log from the last day heading before `from` on (all of them without
/// `from`): a record serves days before the day it is written in, so these are all the
/// records that can answer for a day from `from` on. Line numbers count from where reading
/// started.
pub fn read_history_from(path: &Path, from: Option<NaiveDate>) -> Result<History> {
    let file = match from {
        Some(from) => open_from(path, from)?,
        None => open_log(path)?,
    };
    let Some(file) = file else {
        return Ok(History::default());
    };
    let mut parser = history::Parser::default();
    parse_lines(file, path, &mut parser, |_| {})?;
    Ok(parser.finish())
}

/// Opens the log where the window of days from `from` on starts to be read: the last day
/// heading before `from` whose reading is sure ([`crate::scan::window_start`]), or the start.
/// `None` when there is no log. Every reader of a window of days opens it here.
pub fn open_from(path: &Path, from: NaiveDate) -> Result<Option<File>> {
    let read_error = |e: std::io::Error| Error::io("read", path, &e);
    let Some(mut file) = open_log(path)? else {
        return Ok(None);
    };
    let start = crate::scan::window_start(&mut file, from).map_err(read_error)?;
    // The window's reading assumes no block opened before it runs to the end.
    if start > 0 {
        match logend::end_of(&mut file, path).map_err(read_error)? {
            End::InsideBlock { line, offset } if offset < start => {
                return Err(inside_block(&mut file, path, line, Reading));
            }
            End::LoneCarriageReturn { line, column } => {
                return Err(lone_carriage_return(&mut file, path, line, column));
            }
            _ => {}
        }
    }
    file.seek(SeekFrom::Start(start)).map_err(read_error)?;
    Ok(Some(file))
}

/// Feeds `parser` every line of `file` from where it stands, numbered from 1; `after_line`
/// runs after each (a reader that keeps only some records takes the complete ones there).
pub fn parse_lines(
    file: File,
    path: &Path,
    parser: &mut history::Parser,
    mut after_line: impl FnMut(&mut history::Parser),
) -> Result<()> {
    let mut blocks = crate::scan::Blocks::new(file);
    let mut number = 0;
    while let Some(block) = blocks
        .next_block()
        .map_err(|e| Error::io("read", path, &e))?
    {
        for line in crate::scan::lines(block) {
            number += 1;
            parser.feed(number, &String::from_utf8_lossy(line));
            after_line(parser);
        }
    }
    Ok(())
}

/// Line number of byte `offset`, counted only when an error needs it (a block at a time).
fn count_lines_before(file: &mut File, offset: u64) -> std::io::Result<usize> {
    file.seek(SeekFrom::Start(0))?;
    let mut source = (&mut *file).take(offset);
    let mut buf = vec![0; 64 * 1024];
    let mut lines = 0;
    loop {
        match source.read(&mut buf) {
            Ok(0) => return Ok(lines),
            Ok(n) => lines += memchr::memchr_iter(b'\n', &buf[..n]).count(),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

impl LockedLog {
    /// Appends `text` (lines separated by `\n`) in one write, then syncs. A newline goes first
    /// when the file does not end with one; CRLF files get CRLF lines.
    pub fn append(&mut self, text: &str) -> Result<()> {
        let mut out = String::with_capacity(text.len() + 2);
        if !self.tail.ends_with_newline() {
            out.push('\n');
        }
        out.push_str(text);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        if self.tail.uses_crlf() {
            out = out.replace('\n', "\r\n");
        }
        let io = |e: std::io::Error| Error::io("write", &self.path, &e);
        let journal = journal_path(&self.path);
        let length = self.tail.file_len;
        let before = read_range(
            &mut self.file,
            length.saturating_sub(FINGERPRINT_BYTES),
            length,
        )
        .map_err(io)?;
        let note = Journal {
            log: self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            length,
            before: fnv1a(&before),
            added: out.as_bytes().to_vec(),
        };
        // Created, never opened through whatever stands there: the repair above removed any
        // journal (or link) before.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&journal)
            .and_then(|mut f| f.write_all(&note.render()))
            .map_err(io)?;
        crate::fault::at("journal");
        if let Some(limit) = crate::fault::append_limit() {
            let part = &out.as_bytes()[..limit.min(out.len())];
            let _ = self
                .file
                .write_all(part)
                .and_then(|()| self.file.sync_data());
            crate::fault::die();
        }
        let written = self
            .file
            .write_all(out.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map(|()| crate::fault::at("synced"))
            .and_then(|()| std::fs::remove_file(&journal));
        if let Err(e) = written {
            // A full disk may have taken part of the text: take it back, leave the log as it was.
            let _ = self.file.set_len(self.tail.file_len);
            let _ = std::fs::remove_file(&journal);
            return Err(io(e));
        }
        self.tail.file_len += out.len() as u64;
        self.tail.ends_newline = true;
        self.tail.text.push_str(&out);
        self.tail.parsed = std::cell::OnceCell::new();
        // The log ended outside every block (or the lock refused it), and rota's lines open
        // none: what the next reader needs to know, noted so that it need not look.
        if self.ends_outside_blocks() {
            logend::note_append(&mut self.file, &self.path, End::Outside);
        }
        Ok(())
    }

    /// Whether the tail, read from where its reading is sure, leaves no block open.
    fn ends_outside_blocks(&self) -> bool {
        let Some(from) = self.tail.from else {
            return false;
        };
        let mut blocks = Blocks::new();
        for line in crate::scan::lines(&self.tail.text.as_bytes()[from..]) {
            blocks.read(line);
        }
        blocks.open_block().is_none()
    }
}

/// A handover as the log records it.
pub struct HandoverRecord<'a> {
    pub at: DateTime<Utc>,
    pub from: &'a str,
    pub to: &'a str,
    /// Who ran the handover, when not `from` (a colleague standing in).
    pub run_by: Option<&'a str>,
    /// The rotation's engineer for the next day (an override may put `to` on instead).
    pub on_call: &'a str,
    /// Working days the outgoing engineer served, in order.
    pub served: &'a [NaiveDate],
    /// The engineer the outgoing one covered for, when an override put them on.
    pub covering_for: Option<&'a str>,
    pub next_day: NaiveDate,
    pub late_days: u32,
    pub gaps: &'a [NaiveDate],
    pub checklist: &'a [(String, bool, String)],
    /// Items still open, passed on to the next engineer.
    pub open: &'a [String],
    /// Items carried to this handover that are done now.
    pub closed: &'a [String],
    pub note: &'a str,
    pub round: u32,
    pub new_round: bool,
    pub order: &'a [String],
    pub pending: &'a [String],
}

impl HandoverRecord<'_> {
    pub fn render(&self) -> String {
        let time = logformat::hh_mm(self.at);
        let heading = HandoverHeading {
            time: &time,
            from: self.from,
            to: self.to,
        };
        let mut out = format!("\n{heading}\n\n");
        let served = Served {
            days: self.served.to_vec(),
            by: self.from,
            covering_for: self.covering_for,
        };
        out += &format!("{served}\n");
        out += &format!("{}\n", logformat::next_line(self.next_day, self.to));
        if let Some(runner) = self.run_by {
            out += &format!("{}\n", logformat::run_by_line(runner));
        }
        if self.late_days > 0 {
            out += &format!("{}\n", logformat::late_line(self.late_days));
        }
        if !self.gaps.is_empty() {
            out += &format!("{}\n", logformat::no_one_line(self.gaps));
        }
        // Each list its own bullet: under CommonMark a new bullet starts a new list, so the
        // blank line between them does not make one loose list of them all.
        if !self.checklist.is_empty() {
            out += "\n";
            for (item, done, note) in self.checklist {
                out += &format!(
                    "{}\n",
                    logformat::checklist_line(item, *done, &one_line(note))
                );
            }
        }
        let lines = |items: &[String], open: bool| -> String {
            let items = items.iter().map(|i| one_line(i)).filter(|i| !i.is_empty());
            items
                .map(|item| {
                    let line = logformat::item_line(open, &time, self.from, &item);
                    format!("{line}\n")
                })
                .collect()
        };
        let items = lines(self.closed, false) + &lines(self.open, true);
        if !items.is_empty() {
            out += "\n";
            out += &items;
        }
        let note = one_line(self.note);
        if !note.is_empty() {
            out += &format!("\n{}\n", logformat::note_line(self.to, &note));
        }
        out += &format!("\n{}\n", self.round_line());
        out
    }

    /// `Round 3: ~~carol~~, ~~alice~~, **bob**, dave, erin`: who has served (struck out), who is
    /// on call now (bold), who is still to come.
    pub fn round_line(&self) -> String {
        let names = self
            .order
            .iter()
            .map(|id| {
                let mark = if id == self.on_call {
                    Mark::OnCall
                } else if self.pending.contains(id) {
                    Mark::ToCome
                } else {
                    Mark::Served
                };
                (mark, id.as_str())
            })
            .collect();
        RoundLine {
            number: self.round,
            new_shuffle: self.new_round,
            names,
        }
        .to_string()
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub day: NaiveDate,
    /// An open item of a handover record (`+ [ ] ...`, `+ [x] ...`), not an entry of the day.
    pub item: bool,
    /// `HH:MM`, UTC.
    pub time: String,
    pub author: String,
    pub text: String,
}

impl Entry {
    /// Words written as `#tag`, without the `#`.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.text.split_whitespace().filter_map(|word| {
            let tag = word
                .strip_prefix('#')?
                .trim_end_matches(|c: char| !c.is_alphanumeric());
            (!tag.is_empty()).then_some(tag)
        })
    }
}

/// Where a reader of entries is in the log: the day section, and the blocks around it.
#[derive(Default)]
struct Place {
    day: Option<NaiveDate>,
    blocks: Blocks,
}

impl Place {
    /// Reads one line: a heading moves to its day, a block opens or closes; an entry line
    /// gives the entry.
    fn read(&mut self, line: &[u8]) -> Option<Entry> {
        if self.blocks.read(line) == Seen::Code {
            return None;
        }
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        if is_section_heading(line) {
            self.day = day_heading_date(line);
            return None;
        }
        let (item, (time, author, text)) = match entry_parts(line) {
            Some(parts) => (false, parts),
            None => {
                let item = Item::parse(line)?;
                (true, (item.time, item.author, item.text))
            }
        };
        Some(Entry {
            day: self.day?,
            item,
            time: time.to_string(),
            author: printable(author).into_owned(),
            text: printable(&unescape_text(text)).into_owned(),
        })
    }
}

/// Whether `text` holds `word`, ignoring case. `word` is lowercase. An ASCII word is compared
/// byte for byte, ASCII letters folded, which is what lets [`scan_entries`] skip every line
/// that does not hold it without reading it.
pub fn holds_word(text: &str, word: &str) -> bool {
    if word.is_ascii() {
        let word = word.as_bytes();
        word.is_empty()
            || text
                .as_bytes()
                .windows(word.len())
                .any(|w| w.eq_ignore_ascii_case(word))
    } else {
        text.to_lowercase().contains(word)
    }
}

/// Hands every entry of the log to `visit`, in order: lines `- HH:MM UTC author: text` inside
/// a day section; anything else (handover records, text written by hand) is skipped.
///
/// With a lowercase ASCII `word`, only lines that hold it are read as entries: each block is
/// searched for the word with `memchr`'s `memmem`, and the lines that change where the reader
/// is (headings, the lines that may open a block) are found the same way, so the rest of the
/// log is never looked at line by line. `visit` still decides (the word may be in the author's name, not the text).
pub fn scan_entries(
    source: impl std::io::Read,
    word: Option<&str>,
    mut visit: impl FnMut(Entry) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut blocks = crate::scan::Blocks::new(source);
    let mut place = Place::default();
    let word = word.filter(|w| w.is_ascii() && !w.is_empty());
    let finder = word.map(memchr::memmem::Finder::new);
    let mut lowered = Vec::new();
    while let Some(block) = blocks.next_block()? {
        let Some(finder) = &finder else {
            for line in crate::scan::lines(block) {
                if let Some(entry) = place.read(line) {
                    visit(entry)?;
                }
            }
            continue;
        };
        // A plain loop over equal-length slices: the compiler makes it vector code.
        lowered.resize(block.len(), 0);
        for (low, byte) in lowered.iter_mut().zip(block) {
            *low = byte.to_ascii_lowercase();
        }
        let mut read_to = 0;
        for hit in finder.find_iter(&lowered) {
            if hit < read_to {
                continue; // another hit in a line already read
            }
            let start = memchr::memrchr(b'\n', &block[..hit]).map_or(0, |i| i + 1);
            place.pass(block, read_to..start);
            let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
            if let Some(entry) = place.read(&block[start..end]) {
                visit(entry)?;
            }
            read_to = (end + 1).min(block.len());
        }
        place.pass(block, read_to..block.len());
    }
    Ok(())
}

impl Place {
    /// Moves over the whole lines `block[lines]` without reading their entries. Where no block
    /// at the top level hides a line at column 0 and no line among them may open one, the last
    /// heading at column 0 closes every block open before it and sets the day: only it and the
    /// lines after it (found from the end, with `memchr`) are read. Otherwise every line is.
    fn pass(&mut self, block: &[u8], lines: std::ops::Range<usize>) {
        if lines.is_empty() {
            return;
        }
        let region = &block[lines.clone()];
        let heading = self
            .blocks
            .may_pass(region)
            .then(|| last_section_heading(block, lines.clone()))
            .flatten();
        let from = match heading {
            Some(heading) => {
                self.blocks = Blocks::new();
                heading
            }
            None => lines.start,
        };
        for line in crate::scan::lines(&block[from..lines.end]) {
            self.read(line);
        }
    }
}

/// Every entry of a log, collected (for tests).
#[cfg(test)]
pub fn entries(log: impl std::io::Read) -> impl Iterator<Item = std::io::Result<Entry>> {
    let mut found = Vec::new();
    let result = scan_entries(log, None, |entry| {
        found.push(Ok(entry));
        Ok(())
    });
    found.extend(result.err().map(Err));
    found.into_iter()
}

/// Free text for a record: one line, with any control character shown as its escape.
pub fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    printable(&line).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn tail(text: &str) -> Tail {
        Tail::from_text(text)
    }

    #[test]
    fn each_log_of_a_repository_has_scratch_files_of_its_own() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        for team in ["team-a", "team-b", "odd%2Fname"] {
            std::fs::create_dir(repo.path().join(team)).unwrap();
        }
        let git = std::fs::canonicalize(repo.path()).unwrap().join(".git");
        let at = |log: &str| super::journal_path(&repo.path().join(log));
        assert_eq!(at("on-call-log.md"), git.join("rota-append-on-call-log.md"));
        assert_eq!(
            at("team-a/on-call-log.md"),
            git.join("rota-append-team-a%2Fon-call-log.md")
        );
        assert_eq!(
            at("team-b/on-call-log.md"),
            git.join("rota-append-team-b%2Fon-call-log.md")
        );
        assert_eq!(
            at("odd%2Fname/on-call-log.md"),
            git.join("rota-append-odd%252Fname%2Fon-call-log.md")
        );
        let outside = tempfile::tempdir().unwrap();
        assert_eq!(
            super::journal_path(&outside.path().join("on-call-log.md")),
            outside.path().join(".on-call-log.md.rota-append")
        );
    }

    #[test]
    fn entries_stream_with_their_day_and_tags() {
        let log = "# Log\n- 09:00 UTC x: before any day\n## 2026-11-23 Mon · on call: alice\n\n- 09:14 UTC alice: fixed #quota drift, see #412.\r\n- not an entry\n\n### Handover 16:05 UTC: alice → bob\n\n- [x] done\n";
        let found: Vec<Entry> = entries(log.as_bytes()).map(Result::unwrap).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].day, found[0].author.as_str()),
            (date("2026-11-23"), "alice")
        );
        assert_eq!(found[0].tags().collect::<Vec<_>>(), ["quota", "412"]);
    }

    #[test]
    fn the_tail_reads_its_records_from_a_day_heading_on() {
        // The tail starts mid-file: the record before the first heading lacks its day.
        let log = "- Next: Mon 2026-11-23 (x)\n\nRound 1: **x**, y\n\n## 2026-11-23 Mon\n\n### Handover 16:05 UTC: y → x\n\n- Served: Mon 2026-11-23 (y)\r\n- Next: Tue 2026-11-24 (x)\n\nRound 1: ~~y~~, **x**\n";
        let mut tail = tail(log);
        tail.offset = 100;
        let history = tail.history();
        assert_eq!(history.records.len(), 1);
        assert_eq!(history.records[0].written, Some(date("2026-11-23")));
        assert_eq!(
            history.checkpoint(3, chrono_tz::UTC).unwrap().day,
            date("2026-11-24")
        );
    }

    /// Lines of a log, small enough that a few of them hold each word, with headings, fences
    /// (indented too), entries and hand-written text in any order.
    fn log_lines() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
        use proptest::prelude::*;
        let line = prop_oneof![
            (1u32..28).prop_map(|d| format!("## 2026-02-{d:02} Thu")),
            Just("# Notes".to_string()),
            Just("```".to_string()),
            Just("   ~~~".to_string()),
            // Not a fence: only spaces and tabs indent one (every reader must agree).
            Just("\u{a0}```".to_string()),
            ("[a-c]{1,2}", "[a-dA-D #]{0,12}")
                .prop_map(|(who, text)| format!("- 09:14 UTC {who}: {text}")),
            "[a-dA-D #-]{0,12}",
        ];
        proptest::collection::vec(line, 0..60)
    }

    proptest::proptest! {
        /// `--grep`'s fast path (only lines holding the word are read) finds exactly the
        /// entries that reading every line and keeping those that hold it finds.
        #[test]
        fn reading_only_the_lines_with_the_word_finds_what_reading_all_finds(
            lines in log_lines(),
            word in "[a-dA-D]{1,2}",
            crlf in proptest::bool::ANY,
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            let word = word.to_lowercase();
            let all: Vec<Entry> = entries(text.as_bytes())
                .map(Result::unwrap)
                .filter(|e| holds_word(&e.text, &word))
                .collect();
            let mut fast = Vec::new();
            scan_entries(text.as_bytes(), Some(&word), |e| {
                if holds_word(&e.text, &word) {
                    fast.push(e);
                }
                Ok(())
            })
            .unwrap();
            proptest::prop_assert_eq!(fast, all);
        }
    }

    #[test]
    fn entries_are_one_line() {
        let at = "2026-11-23T09:14:00Z".parse().unwrap();
        assert_eq!(
            entry(at, "alice", " fixed\nquota\r\ndrift "),
            "- 09:14 UTC alice: fixed quota  drift"
        );
    }

    #[test]
    fn day_headings_parse_back() {
        let heading = crate::logformat::day_heading(date("2026-11-23"));
        assert_eq!(heading, "## 2026-11-23 Mon");
        assert_eq!(day_heading_date(&heading), Some(date("2026-11-23")));
        let old = "## 2026-11-23 Mon · on call: alice";
        assert_eq!(day_heading_date(old), Some(date("2026-11-23")));
    }

    #[test]
    fn a_later_heading_closes_the_day() {
        let day = date("2026-11-23");
        let log = "## 2026-11-23 Mon · on call: alice\n\n- 09:14 UTC alice: x\n";
        assert!(tail(log).last_section_is_day(day));
        assert!(!tail(log).last_section_is_day(date("2026-11-24")));
        // A handover record lives inside the day: entries after it stay in the day's section.
        let handed = format!("{log}\n### Handover 16:05 UTC: alice → bob\n");
        assert!(tail(&handed).last_section_is_day(day));
        let by_hand = format!("{log}\n## Notes\n");
        assert!(!tail(&by_hand).last_section_is_day(day));
        assert!(!tail("# Duty log\n- Mei - reporting\n").last_section_is_day(day));
    }

    #[test]
    fn collects_the_day_entries_from_every_section_of_that_day() {
        let log = "## 2026-11-23 Mon · on call: alice\n\n- 09:14 UTC alice: one\n\n### Handover 16:05 UTC: alice → bob\n\n- [x] item\n\n## 2026-11-23 Mon · on call: bob\n\n- 18:00 UTC bob: two\r\n";
        assert_eq!(
            tail(log).entries_on(date("2026-11-23")),
            vec!["09:14 UTC alice: one", "18:00 UTC bob: two"]
        );
    }
}
