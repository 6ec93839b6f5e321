//! `rota init`: a new team's two files, from flags or questions, plus the `.gitattributes` line
//! that lets two clones' appends to the log merge without conflicts.

use std::path::Path;

use chrono::{Datelike, TimeZone};
use chrono_tz::Tz;
use dialoguer::Input;
use toml_edit::Value;

use super::Context;
use crate::calendar::WEEKDAY_NAMES;
use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::logbook;
use crate::roster::{self, DEFAULT_LOG_FILE, LIST_FILE};
use crate::store::write_atomically;

/// rota's scratch files, which git must not pick up.
const IGNORED: [&str; 3] = [
    "/.on-call-log.md.rota-append",
    "/.on-call-log.md.rota-end*",
    "/.on-call-list.toml.*.tmp",
];

struct NewEngineer {
    id: String,
    name: String,
    email: Option<String>,
}

/// The team as given in flags or answered at the prompts.
struct NewTeam {
    name: String,
    timezone: Tz,
    working_days: Vec<&'static str>,
    engineers: Vec<NewEngineer>,
}

pub fn run(context: &Context, args: &InitArgs) -> Result<String> {
    let dir = match &context.dir {
        Some(dir) => dir.clone(),
        None => super::current_dir()?,
    };
    let list_path = dir.join(LIST_FILE);
    let log_path = dir.join(DEFAULT_LOG_FILE);
    if args.example {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, &e))?;
    }
    refuse_existing(&list_path, &log_path)?;
    // Not in a directory git would take for a repository of its own: rota would never run
    // git for the team there.
    crate::git::repo(&dir)?;
    if args.example {
        return example(context, &dir);
    }
    let complete = args.team.is_some() && args.timezone.is_some() && !args.engineers.is_empty();
    if !complete && !context.ui.interactive {
        return Err(Error::usage("rota init needs a terminal to ask, or the team in flags")
            .hint("rota init --team \"Cloud SRE\" --timezone Europe/Prague --engineer \"alice,Alice Novak,alice@example.org\" --engineer ..."));
    }
    let team = ask_team(args)?;
    let seed = crate::clock::new_seed()?;
    let start = team
        .timezone
        .from_utc_datetime(&context.now.naive_utc())
        .date_naive();
    let text = template(
        &team.name,
        team.timezone,
        &team.working_days,
        &team.engineers,
        seed,
        start,
    );
    // Never write a file rota itself would reject.
    roster::parse(&list_path, &text)?;
    write_atomically(
        &log_path,
        crate::logformat::new_log_header(&team.name).as_bytes(),
    )?;
    crate::git::remember_created(&dir, &log_path);
    write_atomically(&list_path, text.as_bytes())?;
    let attributes = dir.join(".gitattributes");
    let added = add_lines(&attributes, &crate::git::MERGE_RULES)?;
    let ignore = dir.join(".gitignore");
    add_lines(&ignore, &IGNORED)?;
    let registered =
        std::env::current_exe().is_ok_and(|exe| crate::git::register_drivers(&dir, &exe));
    context.ui.note(&format!(
        "created {} and {}",
        list_path.display(),
        log_path.display()
    ));
    announce_git(context, added.then_some(attributes.as_path()), registered);
    // What is left to do depends on what --commit and --push are about to do.
    let next = match (context.pushes(), context.commits()) {
        (true, _) => "every clone that pulls agrees",
        (false, true) => "next: push the commit, then every clone agrees",
        _ => "next: commit the files and push them, then every clone agrees",
    };
    context.ui.note(&format!(
        "round 1 starts {}; {next}",
        crate::calendar::show_day(start)
    ));
    context.changed_files(super::Change {
        dir,
        log: log_path.clone(),
        paths: vec![list_path, log_path, attributes, ignore],
        message: format!("rota: init {}", team.name),
        policy: crate::roster::CommitPolicy::Never,
        push: false,
        kind: super::ChangeKind::Other,
    });
    Ok(String::new())
}

/// The example team of the repository (`examples/cloud-sre`), as of today.
const EXAMPLE_LIST: &str = include_str!("../../examples/cloud-sre/on-call-list.toml");

/// What the example's engineers log during their days, in turn.
const EXAMPLE_WORK: [&str; 6] = [
    "Answered the mailing list about expired certificates; runbook updated #certs",
    "Fixed quota drift on project tools (41 instances vs 39 counted) #quota",
    "Rebooted cloudvirt1031 for the kernel upgrade #maintenance",
    "Drained the old ingress nodes; traffic is on the new pool #network",
    "Restarted the wiki's job runner after the queue stalled #wiki",
    "Rotated the API tokens that expire this month #security",
];

/// `rota init --example`: the example team in `dir`, alive today. Round 1 began on the Monday
/// three weeks ago and every working day since has its entry and its handover, written by the
/// same code as `rota log` and `rota handover --yes`, so whatever the date, `rota who` shows a
/// current rotation.
fn example(context: &Context, dir: &Path) -> Result<String> {
    let list_path = dir.join(LIST_FILE);
    let log_path = dir.join(DEFAULT_LOG_FILE);
    let zone = chrono_tz::Europe::Prague;
    let today = context.now.with_timezone(&zone).date_naive();
    let back = today - chrono::Duration::days(21);
    let start = back - chrono::Duration::days(i64::from(back.weekday().num_days_from_monday()));
    // Its first line names the schema for editors, as for a team `rota init` writes.
    let list = format!(
        "#:schema {}\n{}",
        roster::SCHEMA_URL,
        EXAMPLE_LIST.replacen("start = 2026-11-16", &format!("start = {start}"), 1)
    );
    let roster = roster::parse(&list_path, &list)?;
    let calendar = &roster.calendar;
    let mut log = crate::logformat::new_log_header(&roster.team_name);
    let mut day = start;
    let mut turns = 0;
    while day < today || (day == today && context.now >= calendar.handover_instant(day)) {
        if calendar.is_working_day(day) {
            let checkpoint = crate::history::parse(&log).checkpoint(roster.seed, calendar.timezone);
            let (state, _) = crate::rotation::current_state(&roster, checkpoint, day);
            let at = calendar.handover_instant(day);
            let morning = at - chrono::Duration::hours(6) - chrono::Duration::minutes(18);
            let work = EXAMPLE_WORK[turns % EXAMPLE_WORK.len()];
            let (record, _) = super::handover::record_done(&roster, &state, day, at, "")?;
            log += &format!(
                "\n{}\n\n{}\n{record}",
                crate::logformat::day_heading(day),
                logbook::entry(morning, &state.on_call, work)
            );
            turns += 1;
        }
        day = day.succ_opt().unwrap_or(day);
    }
    write_atomically(&log_path, log.as_bytes())?;
    crate::git::remember_created(dir, &log_path);
    write_atomically(&list_path, list.as_bytes())?;
    context.ui.note(&format!(
        "created the example team {} in {}: {turns} handovers since round 1 began {}",
        roster.team_name,
        dir.display(),
        crate::calendar::show_day(start)
    ));
    Ok(String::new())
}

/// What init did for git: the merge rules it added to `attributes`, the drivers it
/// registered in this clone.
fn announce_git(context: &Context, attributes: Option<&Path>, registered: bool) {
    if let Some(attributes) = attributes {
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
}

/// init never overwrites, except a log alone as an init that stopped midway leaves it (the
/// list is written last), which a new init completes.
fn refuse_existing(list_path: &Path, log_path: &Path) -> Result<()> {
    let unfinished = |path: &Path| {
        std::fs::read_to_string(path).is_ok_and(|text| {
            let team = text.lines().next().and_then(crate::logformat::title_team);
            text.is_empty()
                || team.is_some_and(|team| text == crate::logformat::new_log_header(team))
        })
    };
    for path in [list_path, log_path] {
        if path.exists() && !(path == log_path && unfinished(path)) {
            return Err(Error::refused(format!("{} already exists", path.display()))
                .hint("rota init never overwrites; run `rota check` to validate the files there"));
        }
    }
    Ok(())
}

/// The team from the flags, asking for what they leave out.
fn ask_team(args: &InitArgs) -> Result<NewTeam> {
    let name = match &args.team {
        Some(team) => team.clone(),
        None => Input::<String>::new()
            .with_prompt("Team name")
            .interact_text()
            .map_err(cancelled)?,
    };
    let timezone = match &args.timezone {
        Some(name) => parse_timezone(name)?,
        None => ask_timezone()?,
    };
    let days = match &args.working_days {
        Some(days) => days.clone(),
        None if args.team.is_none() => Input::<String>::new()
            .with_prompt("Working days")
            .default("Mon,Tue,Wed,Thu,Fri".to_string())
            .interact_text()
            .map_err(cancelled)?,
        None => "Mon,Tue,Wed,Thu,Fri".to_string(),
    };
    let working_days = parse_days(&days)?;
    let mut engineers = Vec::new();
    for spec in &args.engineers {
        let engineer = parse_engineer(spec, &engineers)?;
        engineers.push(engineer);
    }
    if engineers.is_empty() {
        engineers = ask_engineers()?;
    }
    Ok(NewTeam {
        name,
        timezone,
        working_days,
        engineers,
    })
}

fn ask_timezone() -> Result<Tz> {
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
        .map_err(cancelled)?;
    parse_timezone(&name)
}

/// Engineers, one by one, until an empty id (after at least one).
fn ask_engineers() -> Result<Vec<NewEngineer>> {
    let mut engineers = Vec::new();
    say!("Engineers, one by one (an empty id ends the list):");
    loop {
        let id: String = Input::new()
            .with_prompt("  id")
            .allow_empty(true)
            .validate_with(|id: &String| match id.trim() {
                "" => Ok(()),
                id => new_id(id, &engineers),
            })
            .interact_text()
            .map_err(cancelled)?;
        if id.trim().is_empty() {
            if engineers.is_empty() {
                say!("  A team needs at least one engineer.");
                continue;
            }
            return Ok(engineers);
        }
        let name: String = Input::new()
            .with_prompt("  name")
            .interact_text()
            .map_err(cancelled)?;
        let email: String = Input::new()
            .with_prompt("  email")
            .allow_empty(true)
            .interact_text()
            .map_err(cancelled)?;
        match new_engineer(&id, &name, &email, &engineers) {
            Ok(engineer) => engineers.push(engineer),
            Err(e) => say!("  {}", e.summary()),
        }
    }
}

/// A prompt that failed (Ctrl-C, a closed terminal): init stops, writing nothing.
fn cancelled(e: dialoguer::Error) -> Error {
    Error::cancelled(format!("init cancelled ({e}); nothing was written"))
}

/// The zone `--timezone` names, by the list's rule ([`roster::timezone`]).
fn parse_timezone(name: &str) -> Result<Tz> {
    roster::timezone(name.trim(), crate::error::ErrorKind::Usage)
}

/// The days `--working-days` names, by the list's rule ([`crate::calendar::working_days`]).
fn parse_days(days: &str) -> Result<Vec<&'static str>> {
    use crate::calendar::DaysProblem;
    let names: Vec<&str> = days
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    let weekdays =
        crate::calendar::working_days(names.iter().copied()).map_err(|problem| match problem {
            DaysProblem::NotADay { index } => {
                Error::usage(format!("{:?} is not a day of the week", names[index]))
                    .hint(format!("use {}", WEEKDAY_NAMES.join(",")))
            }
            DaysProblem::Twice { index } => {
                Error::usage(format!("{:?} is listed twice", names[index]))
                    .hint("list each working day once")
            }
            DaysProblem::Empty => Error::usage("no working days given")
                .hint("for example --working-days Mon,Tue,Wed,Thu,Fri"),
        })?;
    Ok(weekdays
        .into_iter()
        .map(|d| WEEKDAY_NAMES[d.num_days_from_monday() as usize])
        .collect())
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

/// `--engineer "id,Name,email"`: one line of CSV, so that a name with a comma can be quoted:
/// `alice,"Novak, Alice",alice@example.org`.
fn parse_engineer(spec: &str, taken: &[NewEngineer]) -> Result<NewEngineer> {
    let example = "write it as \"id,Name,email\", e.g. \"alice,Alice Novak,alice@example.org\"; a name with a comma goes in double quotes: 'alice,\"Novak, Alice\",alice@example.org'";
    let fields = split_csv(spec)
        .map_err(|problem| Error::usage(format!("--engineer {spec:?}: {problem}")).hint(example))?;
    if fields.len() > 3 {
        return Err(Error::usage(format!(
            "--engineer {spec:?} has {} comma-separated fields; it takes id, name and email",
            fields.len()
        ))
        .hint(example));
    }
    let field = |i: usize| fields.get(i).map_or("", String::as_str);
    new_engineer(field(0), field(1), field(2), taken)
        .map_err(|e| Error::usage(format!("--engineer {spec:?}: {}", e.summary())).hint(example))
}

/// An engineer from its fields (typed at the prompts, or read from `--engineer`).
fn new_engineer(id: &str, name: &str, email: &str, taken: &[NewEngineer]) -> Result<NewEngineer> {
    let (id, name, email) = (id.trim(), name.trim(), email.trim());
    if id.is_empty() || name.is_empty() {
        return Err(Error::usage("an engineer needs at least an id and a name"));
    }
    if let Err(problem) = new_id(id, taken) {
        return Err(Error::usage(problem));
    }
    Ok(NewEngineer {
        id: id.to_string(),
        name: name.to_string(),
        email: (!email.is_empty()).then(|| email.to_string()),
    })
}

/// Splits one line of CSV: fields separated by commas, spaces around a field trimmed; a field
/// in double quotes may hold commas, and `""` inside it stands for one quote.
fn split_csv(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = line.chars().enumerate().peekable();
    loop {
        while chars.next_if(|(_, c)| *c == ' ').is_some() {}
        let mut field = String::new();
        if let Some((open, _)) = chars.next_if(|(_, c)| *c == '"') {
            loop {
                match chars.next() {
                    None => {
                        return Err(format!(
                            "the quote at character {} is never closed: close it with another \" (write \"\" for a quote inside a quoted name)",
                            open + 1
                        ));
                    }
                    Some((_, '"')) => {
                        if chars.next_if(|(_, c)| *c == '"').is_some() {
                            field.push('"');
                        } else {
                            break;
                        }
                    }
                    Some((_, c)) => field.push(c),
                }
            }
            while chars.next_if(|(_, c)| *c == ' ').is_some() {}
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some((_, ',')) => fields.push(field),
                Some((at, _)) => {
                    return Err(format!(
                        "text after the closing quote at character {}: put the whole field in the quotes",
                        at + 1
                    ));
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field.trim_end().to_string());
                        return Ok(fields);
                    }
                    Some((_, ',')) => break,
                    Some((at, '"')) => {
                        return Err(format!(
                            "a quote at character {} inside a field that does not start with one: quote the whole field, and double the quote inside (\"\")",
                            at + 1
                        ));
                    }
                    Some((_, c)) => field.push(c),
                }
            }
            fields.push(field.trim_end().to_string());
        }
    }
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
    // taplo (and the editors built on it) read the first line's `#:schema` to complete and
    // check the file.
    let mut out = format!(
        "#:schema {}\n\
         # on-call-list.toml: the team's on-call rotation, read and kept by `rota`.\n\
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
        roster::SCHEMA_URL,
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

#[cfg(test)]
mod csv_tests {
    use super::split_csv;

    fn fields(line: &str) -> Vec<String> {
        split_csv(line).unwrap()
    }

    #[test]
    fn plain_fields_are_split_at_commas_and_trimmed() {
        assert_eq!(
            fields("alice, Alice Novak ,alice@example.org"),
            ["alice", "Alice Novak", "alice@example.org"]
        );
        assert_eq!(fields("alice,Alice"), ["alice", "Alice"]);
        assert_eq!(fields("alice,Alice,"), ["alice", "Alice", ""]);
        assert_eq!(fields(""), [""]);
    }

    #[test]
    fn quoted_fields_hold_commas_and_doubled_quotes() {
        assert_eq!(
            fields(r#"alice,"Smith, Alice",alice@example.com"#),
            ["alice", "Smith, Alice", "alice@example.com"]
        );
        assert_eq!(
            fields(r#"bob, "Robert ""Bob"" Tables" , bob@x"#),
            ["bob", r#"Robert "Bob" Tables"#, "bob@x"]
        );
        assert_eq!(fields(r#""a""#), ["a"]);
        assert_eq!(fields(r#"a,"""""#), ["a", "\""]);
        assert_eq!(fields(r#"a,"",b"#), ["a", "", "b"]);
    }

    #[test]
    fn a_quote_left_open_or_misplaced_is_an_actionable_error() {
        assert_eq!(
            split_csv(r#"alice,"Smith, Alice,alice@example.com"#).unwrap_err(),
            r#"the quote at character 7 is never closed: close it with another " (write "" for a quote inside a quoted name)"#
        );
        assert_eq!(
            split_csv(r#"alice,"Smith" Jr,x"#).unwrap_err(),
            "text after the closing quote at character 15: put the whole field in the quotes"
        );
        assert_eq!(
            split_csv(r#"alice,Robert "Bob",x"#).unwrap_err(),
            r#"a quote at character 14 inside a field that does not start with one: quote the whole field, and double the quote inside ("")"#
        );
    }
}
