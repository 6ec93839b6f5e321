//! `rota log "text"`: append one line under today's heading. `rota log`: today's entries.

use std::io::Write;

use serde::Serialize;

use super::{ChangeKind, Context, known_engineer};
use crate::calendar::show_day;
use crate::cli::LogArgs;
use crate::error::{Error, Result};
use crate::logbook;
use crate::session::Transaction;

/// An entry is one line of the log: long enough for a paragraph, bounded all the same.
const MAX_ENTRY_BYTES: usize = 4096;

pub fn run(context: &Context, args: &LogArgs) -> Result<String> {
    let text = args.text.join(" ");
    if args.list {
        return search(&context.workspace()?, args);
    }
    if text.trim().is_empty() {
        return todays_entries(context, args);
    }

    if text.len() > MAX_ENTRY_BYTES {
        return Err(Error::usage(format!(
            "the entry is {} bytes long; an entry holds at most {MAX_ENTRY_BYTES}",
            text.len()
        ))
        .hint("write a summary, and put the details in a runbook or an issue it links to"));
    }
    let workspace = context.ready_for_write(context.workspace()?)?;
    let author = match &args.engineer {
        Some(id) => super::acting_engineer(&workspace, id)?,
        None => super::require_user(&workspace, "rota log --engineer ID \"text\"")?,
    };
    let mut transaction = context.begin(&workspace)?;
    let line = logbook::entry(context.now, &author, &text);
    let out = before_entry(&transaction, context.now) + &line;
    transaction.append(&out)?;
    let short: String = text.trim().chars().take(60).collect();
    let ellipsis = if text.trim().chars().count() > 60 {
        "…"
    } else {
        ""
    };
    context.finish(
        transaction,
        ChangeKind::Entry,
        format!("rota: log \"{short}{ellipsis}\""),
    );
    Ok(format!("{line}\n"))
}

/// `rota log --list`: the entries that pass every filter, written out as they are found, so
/// that neither the log nor the answer is ever held whole. A window (`--from`) is read from
/// where it starts; `--grep` reads only the lines that hold the word.
fn search(workspace: &crate::store::Workspace, args: &LogArgs) -> Result<String> {
    if !args.text.is_empty() {
        return Err(
            Error::usage("--list searches the log; it takes no text").hint(
                "filter with --grep PATTERN, --engineer ID, --tag TAG, --from DATE, --until DATE",
            ),
        );
    }
    // Someone who has left the team keeps their entries: an id the list does not know is
    // an error only if the log does not know it either.
    let stranger = args
        .engineer
        .as_ref()
        .filter(|id| workspace.roster.engineer(id).is_none());
    let path = &workspace.log_path;
    let read_error = |e: std::io::Error| Error::io("read", path, &e);
    let file = match args.from {
        Some(from) => logbook::open_from(path, from)?,
        None => logbook::open_log(path)?,
    };
    let Some(file) = file else {
        return Ok(String::new());
    };
    let word = args.grep.as_ref().map(|g| g.to_lowercase());
    let tag = args
        .tag
        .as_ref()
        .map(|t| t.trim_start_matches('#').to_lowercase());
    let mut out = Listing::new(args.json);
    let mut stranger_wrote = false;
    // A failure to write the answer is told apart from a failure to read the log.
    let mut output_failed = false;
    let scanned = logbook::scan_entries(file, word.as_deref(), |entry| {
        stranger_wrote |= stranger.is_some_and(|id| entry.author == *id);
        let keep = args.from.is_none_or(|d| entry.day >= d)
            && args.until.is_none_or(|d| entry.day <= d)
            && args.engineer.as_ref().is_none_or(|id| entry.author == *id)
            && word
                .as_ref()
                .is_none_or(|w| logbook::holds_word(&entry.text, w))
            && tag
                .as_ref()
                .is_none_or(|t| entry.tags().any(|x| x.to_lowercase() == *t));
        if !keep {
            return Ok(());
        }
        out.write(&entry).inspect_err(|_| output_failed = true)
    });
    let listed = match scanned {
        Ok(()) => out.finish().map_err(|e| (true, e)),
        Err(e) => Err((output_failed, e)),
    };
    match listed {
        // The reader has gone (`rota log --list | head`): what it wanted was written.
        Err((true, e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(String::new()),
        Err((true, e)) => return Err(Error::new(format!("cannot write the output: {e}"))),
        Err((false, e)) => return Err(read_error(e)),
        Ok(()) => {}
    }
    if let Some(id) = stranger
        && !stranger_wrote
        && !wrote_before_the_window(path, id, args)?
    {
        known_engineer(&workspace.roster, id)
            .map_err(|e| e.hint("nor has anyone of that id written in the log"))?;
    }
    Ok(String::new())
}

/// Whether `id` wrote anything before `--from` (the window read did not include it).
fn wrote_before_the_window(path: &std::path::Path, id: &str, args: &LogArgs) -> Result<bool> {
    if args.from.is_none() {
        return Ok(false);
    }
    let file = crate::open::regular(path).map_err(|e| Error::io("read", path, &e))?;
    let mut wrote = false;
    logbook::scan_entries(file, Some(&id.to_lowercase()), |entry| {
        wrote |= entry.author == id;
        Ok(())
    })
    .map_err(|e| Error::io("read", path, &e))?;
    Ok(wrote)
}

/// One entry of `rota log --list --json`.
#[derive(Serialize)]
struct EntryJson<'a> {
    date: String,
    time: &'a str,
    author: &'a str,
    text: &'a str,
    tags: Vec<&'a str>,
}

/// `log --list`'s output, written to stdout entry by entry: lines, or a JSON array whose
/// elements are written as they come (the same text `serde_json` prints for the whole array).
struct Listing {
    json: bool,
    written: usize,
    stdout: std::io::BufWriter<std::io::StdoutLock<'static>>,
}

impl Listing {
    fn new(json: bool) -> Listing {
        Listing {
            json,
            written: 0,
            stdout: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock()),
        }
    }

    fn write(&mut self, entry: &logbook::Entry) -> std::io::Result<()> {
        self.written += 1;
        if !self.json {
            return writeln!(
                self.stdout,
                "{} {} UTC {}: {}",
                entry.day, entry.time, entry.author, entry.text
            );
        }
        let element = serde_json::to_string_pretty(&EntryJson {
            date: entry.day.to_string(),
            time: &entry.time,
            author: &entry.author,
            text: &entry.text,
            tags: entry.tags().collect(),
        })?;
        let separator = if self.written == 1 { "[\n" } else { ",\n" };
        self.stdout.write_all(separator.as_bytes())?;
        for (i, line) in element.lines().enumerate() {
            let newline = if i == 0 { "" } else { "\n" };
            write!(self.stdout, "{newline}  {line}")?;
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.json {
            let end = if self.written == 0 { "[]\n" } else { "\n]\n" };
            self.stdout.write_all(end.as_bytes())?;
        }
        self.stdout.flush()
    }
}

/// `rota log` with no text: today's entries.
fn todays_entries(context: &Context, args: &LogArgs) -> Result<String> {
    if args.engineer.is_some() {
        return Err(Error::usage("--engineer needs a text to log")
            .hint("rota log --engineer bob \"restarted the wiki pod\"")
            .hint("or search the log for bob's entries: rota log --list --engineer bob"));
    }
    let snapshot = context.snapshot()?;
    let today = snapshot.today;
    let entries = snapshot.tail().entries_on(today);
    if entries.is_empty() {
        context
            .ui
            .note(&format!("no entries for {} yet", show_day(today)));
    }
    Ok(entries.iter().map(|e| format!("{e}\n")).collect())
}

/// What goes before an entry: the log's header in a new log, today's heading and a blank line
/// when today has no section yet, a `### Log HH:MM UTC` heading after a record (so that on a
/// forge the entry reads as the day's, not as part of the record), or a blank line after
/// hand-written text (so the entry starts a list of its own).
fn before_entry(transaction: &Transaction, now: chrono::DateTime<chrono::Utc>) -> String {
    let mut out = String::new();
    if transaction.tail().file_len == 0 {
        out += &crate::logformat::new_log_header(&transaction.workspace().roster.team_name);
    }
    let heading = transaction.day_heading_needed();
    let after_other_text = transaction
        .tail()
        .text
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| !l.starts_with(crate::logformat::ENTRY));
    if !heading.is_empty() {
        out += &heading;
        out += "\n";
    } else if transaction.tail().entry_needs_log_heading() {
        out += &format!("\n{}\n\n", crate::logformat::log_heading(now));
    } else if after_other_text {
        out += "\n";
    }
    out
}
