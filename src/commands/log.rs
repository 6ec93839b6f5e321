//! `rota log "text"`: append one line under today's heading. `rota log`: today's entries.

use super::{ChangeKind, Context, known_engineer};
use crate::calendar::show_day;
use crate::cli::LogArgs;
use crate::error::{Error, Result};
use crate::logbook::{self, day_heading};

/// An entry is one line of the log: long enough for a paragraph, bounded all the same.
const MAX_ENTRY_BYTES: usize = 4096;

pub fn run(context: &Context, args: &LogArgs) -> Result<String> {
    let text = args.text.join(" ");
    if args.list {
        return search(&context.workspace()?, args);
    }
    if text.trim().is_empty() {
        let workspace = context.workspace()?;
        let today = context.today(&workspace);
        if args.engineer.is_some() {
            return Err(Error::usage("--engineer needs a text to log")
                .hint("rota log --engineer bob \"restarted the wiki pod\"")
                .hint("or search the log for bob's entries: rota log --list --engineer bob"));
        }
        let tail = logbook::read_tail(&workspace.log_path)?;
        let entries = tail.entries_on(today);
        if entries.is_empty() {
            context
                .ui
                .note(&format!("no entries for {} yet", show_day(today)));
        }
        return Ok(entries.iter().map(|e| format!("{e}\n")).collect());
    }

    if text.len() > MAX_ENTRY_BYTES {
        return Err(Error::usage(format!(
            "the entry is {} bytes long; an entry holds at most {MAX_ENTRY_BYTES}",
            text.len()
        ))
        .hint("write a summary, and put the details in a runbook or an issue it links to"));
    }
    let workspace = context.workspace_for_write()?;
    let today = context.today(&workspace);
    let roster = &workspace.roster;
    let author = match &args.engineer {
        Some(id) => known_engineer(roster, id)?.id.clone(),
        None => super::require_user(&workspace, "rota log --engineer ID \"text\"")?,
    };
    let mut log = context.lock_log(&workspace)?;
    let mut out = String::new();
    if log.tail.file_len == 0 {
        out += &logbook::new_log_header(&roster.team_name);
    }
    if !log.tail.last_section_is_day(today) {
        out += &format!("\n{}\n\n", day_heading(today));
    } else if log
        .tail
        .text
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| !l.starts_with("- "))
    {
        // After a handover record (or text written by hand) in today's section: a blank line,
        // so the entry starts a list of its own.
        out += "\n";
    }
    let line = logbook::entry(context.now, &author, &text);
    out += &line;
    log.append(&out)?;
    let short: String = text.trim().chars().take(60).collect();
    let ellipsis = if text.trim().chars().count() > 60 {
        "…"
    } else {
        ""
    };
    context.changed(
        &workspace,
        ChangeKind::Entry,
        format!("rota: log \"{short}{ellipsis}\""),
    );
    Ok(format!("{line}\n"))
}

/// `rota log --list`: the entries that pass every filter, read as a stream.
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
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    let grep = args.grep.as_ref().map(|g| g.to_lowercase());
    let tag = args
        .tag
        .as_ref()
        .map(|t| t.trim_start_matches('#').to_lowercase());
    let mut out = String::new();
    let mut rows = Vec::new();
    let mut stranger_wrote = false;
    for entry in logbook::entries(std::io::BufReader::new(file)) {
        let entry = entry.map_err(|e| Error::io("read", path, &e))?;
        stranger_wrote |= stranger.is_some_and(|id| entry.author == *id);
        let keep = args.from.is_none_or(|d| entry.day >= d)
            && args.until.is_none_or(|d| entry.day <= d)
            && args.engineer.as_ref().is_none_or(|id| entry.author == *id)
            && grep
                .as_ref()
                .is_none_or(|g| entry.text.to_lowercase().contains(g))
            && tag
                .as_ref()
                .is_none_or(|t| entry.tags().any(|x| x.to_lowercase() == *t));
        if !keep {
            continue;
        }
        if args.json {
            rows.push(serde_json::json!({
                "date": entry.day.to_string(),
                "time": entry.time,
                "author": entry.author,
                "text": entry.text,
                "tags": entry.tags().collect::<Vec<_>>(),
            }));
        } else {
            out += &format!(
                "{} {} UTC {}: {}\n",
                entry.day, entry.time, entry.author, entry.text
            );
        }
    }
    if let Some(id) = stranger
        && !stranger_wrote
    {
        known_engineer(&workspace.roster, id)
            .map_err(|e| e.hint("nor has anyone of that id written in the log"))?;
    }
    if args.json {
        return Ok(format!("{:#}\n", serde_json::Value::Array(rows)));
    }
    Ok(out)
}
