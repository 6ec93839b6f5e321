//! `rota init`: a new team's two files, from flags or questions, plus the `.gitattributes` line
//! that lets two clones' appends to the log merge without conflicts.

use std::path::Path;

use chrono::TimeZone;
use chrono_tz::Tz;
use dialoguer::Input;
use toml_edit::Value;

use super::Context;
use crate::calendar::{WEEKDAY_NAMES, parse_weekday};
use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::logbook;
use crate::roster::{self, DEFAULT_LOG_FILE, LIST_FILE, closest_timezone};
use crate::store::write_atomically;

/// The lines `.gitattributes` needs so that git merges rota's files with rota's drivers.
pub const MERGE_RULES: [&str; 2] = [
    "on-call-log.md merge=rota-log",
    "on-call-list.toml merge=rota-list",
];

/// rota's scratch files, which git must not pick up.
const IGNORED: [&str; 2] = ["/.on-call-log.md.rota-append", "/.on-call-list.toml.*.tmp"];

struct NewEngineer {
    id: String,
    name: String,
    email: Option<String>,
}

pub fn run(context: &Context, args: &InitArgs) -> Result<String> {
    let dir = match &context.dir {
        Some(dir) => dir.clone(),
        None => std::env::current_dir()
            .map_err(|e| Error::new(format!("cannot read the current directory: {e}")))?,
    };
    let list_path = dir.join(LIST_FILE);
    let log_path = dir.join(DEFAULT_LOG_FILE);
    // The list is written last: a log alone, as rota writes it before any entry, is what an
    // init that stopped midway leaves, and a new init completes it.
    let unfinished = |path: &Path| {
        std::fs::read_to_string(path).is_ok_and(|text| {
            let team = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# On-call log: "));
            text.is_empty() || team.is_some_and(|team| text == logbook::new_log_header(team))
        })
    };
    for path in [&list_path, &log_path] {
        if path.exists() && !(path == &log_path && unfinished(path)) {
            return Err(Error::new(format!("{} already exists", path.display()))
                .hint("rota init never overwrites; run `rota check` to validate the files there"));
        }
    }
    let complete = args.team.is_some() && args.timezone.is_some() && !args.engineers.is_empty();
    if !complete && !context.ui.interactive {
        return Err(Error::usage("rota init needs a terminal to ask, or the team in flags")
            .hint("rota init --team \"Cloud SRE\" --timezone Europe/Prague --engineer \"alice,Alice Novak,alice@example.org\" --engineer ..."));
    }
    let prompt_error =
        |e: dialoguer::Error| Error::new(format!("init cancelled ({e}); nothing was written"));

    let team = match &args.team {
        Some(team) => team.clone(),
        None => Input::<String>::new()
            .with_prompt("Team name")
            .interact_text()
            .map_err(prompt_error)?,
    };
    let timezone = match &args.timezone {
        Some(name) => parse_timezone(name)?,
        None => {
            let name = Input::<String>::new()
                .with_prompt("Time zone (IANA, e.g. Europe/Prague)")
                .validate_with(|name: &String| {
                    parse_timezone(name)
                        .map(|_| ())
                        .map_err(|e| match e.hints().first() {
                            Some(hint) => format!("{}: {hint}", e.summary()),
                            None => e.summary().to_string(),
                        })
                })
                .interact_text()
                .map_err(prompt_error)?;
            parse_timezone(&name)?
        }
    };
    let days = match &args.working_days {
        Some(days) => days.clone(),
        None if args.team.is_none() => Input::<String>::new()
            .with_prompt("Working days")
            .default("Mon,Tue,Wed,Thu,Fri".to_string())
            .interact_text()
            .map_err(prompt_error)?,
        None => "Mon,Tue,Wed,Thu,Fri".to_string(),
    };
    let working_days = parse_days(&days)?;
    let mut engineers = Vec::new();
    for spec in &args.engineers {
        let engineer = parse_engineer(spec, &engineers)?;
        engineers.push(engineer);
    }
    if engineers.is_empty() {
        eprintln!("Engineers, one by one (an empty id ends the list):");
        loop {
            let id: String = Input::new()
                .with_prompt("  id")
                .allow_empty(true)
                .validate_with(|id: &String| match id.trim() {
                    "" => Ok(()),
                    id => new_id(id, &engineers),
                })
                .interact_text()
                .map_err(prompt_error)?;
            if id.trim().is_empty() {
                if engineers.is_empty() {
                    eprintln!("  A team needs at least one engineer.");
                    continue;
                }
                break;
            }
            let name: String = Input::new()
                .with_prompt("  name")
                .interact_text()
                .map_err(prompt_error)?;
            let email: String = Input::new()
                .with_prompt("  email")
                .allow_empty(true)
                .interact_text()
                .map_err(prompt_error)?;
            match parse_engineer(&format!("{id},{name},{email}"), &engineers) {
                Ok(engineer) => engineers.push(engineer),
                Err(e) => eprint!("{e}"),
            }
        }
    }

    let seed = crate::clock::new_seed()?;
    let start = timezone
        .from_utc_datetime(&context.now.naive_utc())
        .date_naive();
    let text = template(&team, timezone, &working_days, &engineers, seed, start);
    // Never write a file rota itself would reject.
    roster::parse(&list_path, &text)?;
    write_atomically(&log_path, logbook::new_log_header(&team).as_bytes())?;
    write_atomically(&list_path, text.as_bytes())?;
    let attributes = dir.join(".gitattributes");
    let added = add_lines(&attributes, &MERGE_RULES)?;
    let ignore = dir.join(".gitignore");
    add_lines(&ignore, &IGNORED)?;
    let registered = crate::git::register_drivers(&dir);
    context.ui.note(&format!(
        "created {} and {}",
        list_path.display(),
        log_path.display()
    ));
    if added {
        context.ui.note(&format!(
            "added rota's merge drivers to {}: two clones' changes merge day by day",
            attributes.display()
        ));
    }
    if registered {
        context
            .ui
            .note("registered the merge drivers in this clone's git config; every clone registers them the first time rota runs there");
    }
    context.ui.note(&format!(
        "round 1 starts {}; next: commit the files and push them, then every clone agrees",
        crate::calendar::show_day(start)
    ));
    context.changed_files(super::Change {
        dir,
        paths: vec![list_path, log_path, attributes, ignore],
        message: format!("rota: init {team}"),
        policy: crate::roster::CommitPolicy::Never,
        push: false,
        kind: super::ChangeKind::Other,
    });
    Ok(String::new())
}

fn parse_timezone(name: &str) -> Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| {
        let error = Error::usage(format!("unknown time zone {name:?}"));
        match closest_timezone(name.trim()) {
            Some(best) => error.hint(format!("did you mean {best:?}?")),
            None => error.hint("use an IANA time zone name such as \"Europe/Prague\" or \"UTC\""),
        }
    })
}

fn parse_days(days: &str) -> Result<Vec<&'static str>> {
    let mut out = Vec::new();
    for day in days.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        let weekday = parse_weekday(day).ok_or_else(|| {
            Error::usage(format!("{day:?} is not a day of the week"))
                .hint(format!("use {}", WEEKDAY_NAMES.join(",")))
        })?;
        let name = WEEKDAY_NAMES[weekday as usize];
        if !out.contains(&name) {
            out.push(name);
        }
    }
    if out.is_empty() {
        return Err(Error::usage("no working days given")
            .hint("for example --working-days Mon,Tue,Wed,Thu,Fri"));
    }
    Ok(out)
}

/// Whether `id` can name a new engineer: the roster's id rule, and not taken yet.
fn new_id(id: &str, taken: &[NewEngineer]) -> Result<(), String> {
    if !roster::is_valid_id(id) {
        return Err(format!(
            "{id:?} is not a valid id: use up to 32 lowercase letters, digits, '-' or '_', like \"alice\""
        ));
    }
    if taken.iter().any(|e| e.id == id) {
        return Err(format!("{id:?} is already in the team"));
    }
    Ok(())
}

fn parse_engineer(spec: &str, taken: &[NewEngineer]) -> Result<NewEngineer> {
    let mut parts = spec.splitn(3, ',').map(str::trim);
    let (id, name, email) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    if id.is_empty() || name.is_empty() {
        return Err(Error::usage(format!(
            "--engineer {spec:?} needs at least an id and a name"
        ))
        .hint("write it as \"id,Name,email\", e.g. \"alice,Alice Novak,alice@example.org\""));
    }
    if let Err(problem) = new_id(id, taken) {
        return Err(Error::usage(format!("--engineer {spec:?}: {problem}")));
    }
    Ok(NewEngineer {
        id: id.to_string(),
        name: name.to_string(),
        email: (!email.is_empty()).then(|| email.to_string()),
    })
}

/// The new list, commented so that it teaches its own format.
fn template(
    team: &str,
    timezone: Tz,
    days: &[&str],
    engineers: &[NewEngineer],
    seed: u64,
    start: chrono::NaiveDate,
) -> String {
    let quote = |s: &str| Value::from(s).to_string();
    let days: Vec<String> = days.iter().map(|d| quote(d)).collect();
    let mut out = format!(
        "# on-call-list.toml: the team's on-call rotation, read and kept by `rota`.\n\
         # Edit it freely: rota keeps your comments and layout. The log's handover records say\n\
         # where the rotation stands; this file holds the team and what changes the schedule.\n\
         \n\
         [team]\n\
         name = {}\n\
         timezone = {}{}# IANA zone: a team day is a date in this zone\n\
         handover-time = \"17:00\"               # team-local wall-clock time of the daily handover\n\
         working-days = [{}]\n\
         holidays = []                         # nobody is on call on these days, e.g. [2026-12-24]\n\
         log = \"on-call-log.md\"                # the log, relative to this file\n\
         # commit = true                       # commit rota's files after every write (or \"handover\")\n\
         # push = true                         # pull before and push after every write\n\
         \n\
         # The engineers. `id` is short and unique. Optional: chat, phone, timezone (defaults to\n\
         # the team's), and absences: away = [{{ from = 2026-12-21, to = 2027-01-01, reason = \"vacation\" }}]\n",
        quote(team),
        quote(timezone.name()),
        " ".repeat(30usize.saturating_sub(timezone.name().len() + 2).max(1)),
        days.join(", "),
    );
    for engineer in engineers {
        out += &format!(
            "\n[[engineer]]\nid = {}\nname = {}\n",
            quote(&engineer.id),
            quote(&engineer.name)
        );
        if let Some(email) = &engineer.email {
            out += &format!("email = {}\n", quote(email));
        }
    }
    out += "\n# What the engineer on call checks before handing over; `rota handover` asks each item.\n\
            [handover]\n\
            checklist = [\n  \
              \"Answered every open question in the support channels and the mailing list\",\n  \
              \"Checked the consoles and notifications; nothing is firing unacknowledged\",\n  \
              \"Wrote or updated a runbook for every issue resolved today\",\n  \
              \"Recorded today's topic work in the log\",\n  \
              \"Told the next engineer what is still open\",\n\
            ]\n";
    out += &format!(
        "\n# Every round's order is a shuffle derived from the seed; round 1 starts on `start`.\n\
         [rotation]\nseed = {seed}\nstart = {start}\n"
    );
    out
}

/// Appends each of `lines` that `path` lacks (creating it if needed). `true` if any was added.
fn add_lines(path: &Path, lines: &[&str]) -> Result<bool> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    let missing: Vec<&str> = lines
        .iter()
        .filter(|line| !existing.lines().any(|l| l.trim() == **line))
        .copied()
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let separator = if existing.is_empty() || existing.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let text = format!("{existing}{separator}{}\n", missing.join("\n"));
    write_atomically(path, text.as_bytes())?;
    Ok(true)
}
