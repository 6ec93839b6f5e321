//! `rota merge-driver log|list %O %A %B %P`: what git runs to merge rota's files, once rota has
//! registered itself in the clone's git config. The result goes to %A; a non-zero exit tells
//! git the merge has a conflict.

use std::path::Path;

use chrono::NaiveDate;

use crate::cli::MergeDriverArgs;
use crate::error::{Error, Result};
use crate::roster::{self, LIST_FILE};
use crate::{logmerge, store};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

/// The largest version of the log the driver merges itself (128 MiB, a century of a busy
/// team's log); a larger one is left to git's line merge, which holds no more than the files.
const MAX_MERGED_LOG: u64 = 128 * 1024 * 1024;

pub fn run(args: &MergeDriverArgs) -> Result<String> {
    let limit = if args.file == "log" {
        MAX_MERGED_LOG
    } else {
        store::MAX_LIST_BYTES
    };
    // The versions git hands over are files it wrote; read as regular files all the same, and
    // no more than a version may hold.
    let read = |path: &Path| {
        crate::open::read_regular(path, limit).map_err(|e| Error::io("read", path, &e))
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let (Some(base), Some(ours), Some(theirs)) = (base, ours, theirs) else {
        return line_merge(
            args,
            &format!("a version is larger than {} MiB", limit >> 20),
        );
    };
    let texts = (
        String::from_utf8(base),
        String::from_utf8(ours),
        String::from_utf8(theirs),
    );
    let (Ok(base), Ok(ours), Ok(theirs)) = texts else {
        return line_merge(args, "a version is not UTF-8");
    };
    let shown = args
        .path
        .as_deref()
        .unwrap_or(Path::new(LIST_FILE))
        .to_path_buf();
    let merged = if args.file == "log" {
        if logmerge::edits_clash(&base, &ours, &theirs) {
            return line_merge(args, "both sides changed the same line");
        }
        let into_day = team_day(args.path.as_deref());
        let merged = logmerge::merge(&base, &ours, &theirs, &into_day);
        if !logmerge::reads_alike(&ours, &theirs, &merged) {
            // A block one side left open would swallow the other side's lines.
            return line_merge(
                args,
                "a code or HTML block one side left open would change how the other side's lines read",
            );
        }
        merged
    } else {
        match join_additions(args, &shown, [&base, &ours, &theirs])? {
            Some(merged) => merged,
            None => return line_merge(args, "both sides changed the same lines"),
        }
    };
    store::write_atomically(&args.ours, merged.as_bytes())?;
    Ok(String::new())
}

/// How far into a team day a `HH:MM UTC` minute falls, in the zone of the list beside the log
/// in the work tree (git runs a driver at the top of the work tree); UTC when it cannot be read.
/// The list is read as the commands read it ([`Workspace::read`]: confined to the team's
/// directory, a regular file, at most `MAX_LIST_BYTES`): a pushed link to `/dev/zero`, to
/// `/dev/stdin` or into `.git` reads as no list.
fn team_day(log: Option<&Path>) -> impl Fn(NaiveDate, i32) -> i32 {
    let list = log
        .and_then(Path::parent)
        .unwrap_or(Path::new(""))
        .join(LIST_FILE);
    let timezone = store::Workspace::read(list)
        .ok()
        .map(|workspace| workspace.roster.calendar.timezone);
    move |day: NaiveDate, minute: i32| {
        timezone.map_or(minute, |tz| {
            crate::calendar::minutes_into_day(tz, day, minute)
        })
    }
}

/// git's own line merge when it is clean; otherwise, when one side changed nothing but its
/// overrides, maintenance windows and absences, those changes applied to the other side
/// through `toml_edit` (two clones that each add an override, a window or an absence always
/// meet at the same place in the file, which a line merge cannot join). The result must still
/// be a valid list.
fn join_additions(
    args: &MergeDriverArgs,
    shown: &Path,
    [base, ours, theirs]: [&str; 3],
) -> Result<Option<String>> {
    let (clean, output) = merge_file(args)?;
    let valid = |text: String| roster::parse(shown, &text).is_ok().then_some(text);
    if clean {
        return Ok(String::from_utf8(output).ok().and_then(valid));
    }
    Ok(apply_changes(base, theirs, ours)
        .or_else(|| apply_changes(base, ours, theirs))
        .and_then(valid))
}

/// The tables rota adds and removes whole (`[[override]]`, `[[maintenance]]`): joined by
/// their values.
const JOINED_TABLES: [&str; 2] = ["override", "maintenance"];

/// The overrides, windows and absences `changed` added or removed since `base`, applied to
/// `onto`; `None` when `changed` also changed anything else.
fn apply_changes(base: &str, changed: &str, onto: &str) -> Option<String> {
    let parse = |text: &str| text.parse::<DocumentMut>().ok();
    let (base, changed, mut onto) = (parse(base)?, parse(changed)?, parse(onto)?);
    if without_changes(&base) != without_changes(&changed) {
        return None;
    }
    for key in JOINED_TABLES {
        apply_tables(key, &base, &changed, &mut onto)?;
    }
    apply_absences(&base, &changed, &mut onto)?;
    apply_regions(&base, &changed, &mut onto)?;
    Some(onto.to_string())
}

/// The `[regions.ID]` tables `changed` added, removed or changed since `base`, applied to
/// `onto` whole: a region's holidays come from one import or one hand, so one side's table
/// replaces the other's only where that other side left it as it was; two sides that both
/// changed one region's holidays are left to a conflict rather than guessed at.
fn apply_regions(base: &DocumentMut, changed: &DocumentMut, onto: &mut DocumentMut) -> Option<()> {
    let (before, after, now) = (regions(base)?, regions(changed)?, regions(onto)?);
    if before == after {
        return Some(());
    }
    let last = last_position(onto.as_table());
    let regions = store::regions_table(onto).ok()?;
    let ids: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for id in ids {
        let (was, is, here) = (before.get(id), after.get(id), now.get(id));
        if was == is || here == is {
            continue;
        }
        if here != was {
            return None;
        }
        match changed.get("regions").and_then(|r| r.get(id.as_str())) {
            Some(table) => {
                let mut table = table.clone();
                if here.is_none()
                    && let Some(table) = table.as_table_mut()
                {
                    // A region new to `onto` goes after its last table, as an import writes it.
                    table.set_position(last.map(|p| p + 1));
                }
                regions.insert(id, table);
            }
            None => {
                regions.remove(id);
            }
        }
    }
    if regions.is_empty() {
        onto.remove("regions");
    }
    Some(())
}

/// Where the last table of `table` (itself, or any within it) stands in its document.
fn last_position(table: &Table) -> Option<isize> {
    let within = table.iter().filter_map(|(_, item)| match item {
        Item::Table(t) => last_position(t),
        Item::ArrayOfTables(tables) => tables.iter().filter_map(last_position).max(),
        _ => None,
    });
    within.chain(table.position()).max()
}

/// Each region's holidays by meaning (the dates, in order, without layout or comments);
/// `None` when a region holds anything else than `holidays`, or is not a `[regions.ID]` table.
fn regions(doc: &DocumentMut) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
    let mut all = std::collections::BTreeMap::new();
    let Some(item) = doc.get("regions") else {
        return Some(all);
    };
    for (id, region) in item.as_table()?.iter() {
        let region = region.as_table()?;
        if region.iter().any(|(key, _)| key != "holidays") {
            return None;
        }
        let days = match region.get("holidays") {
            None => Vec::new(),
            Some(item) => item
                .as_array()?
                .iter()
                .map(|v| v.clone().decorated("", "").to_string())
                .collect(),
        };
        all.insert(id.to_string(), days);
    }
    Some(all)
}

/// The `[[key]]` tables `changed` added or removed since `base`, applied to `onto`. By their
/// values, whatever their layout; any other shape (an inline `override = [...]`) is left to a
/// conflict rather than guessed at.
fn apply_tables(
    key: &str,
    base: &DocumentMut,
    changed: &DocumentMut,
    onto: &mut DocumentMut,
) -> Option<()> {
    let (before, after) = (tables_of(base, key)?, tables_of(changed, key)?);
    tables_of(onto, key)?;
    if before == after {
        return Some(());
    }
    let tables = onto
        .entry(key)
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()?;
    tables.retain(|t| {
        let key = canonical(t.iter());
        !before.contains(&key) || after.contains(&key)
    });
    let present: Vec<String> = tables.iter().map(|t| canonical(t.iter())).collect();
    for table in changed
        .get(key)
        .and_then(Item::as_array_of_tables)
        .into_iter()
        .flatten()
    {
        let values = canonical(table.iter());
        if !before.contains(&values) && !present.contains(&values) {
            tables.push(table.clone());
        }
    }
    if tables.is_empty() {
        onto.remove(key);
    }
    Some(())
}

/// The absences `changed` added or removed since `base`, applied to `onto`, only for the
/// engineers whose absences changed; values already there keep their layout and comments.
/// `[[engineer.away]]` tables are left to a conflict.
fn apply_absences(base: &DocumentMut, changed: &DocumentMut, onto: &mut DocumentMut) -> Option<()> {
    let (base_away, changed_away) = (absences(base)?, absences(changed)?);
    absences(onto)?;
    for (id, after) in &changed_away {
        let before = base_away.get(id).cloned().unwrap_or_default();
        if before == *after {
            continue;
        }
        let engineer = onto
            .get_mut("engineer")?
            .as_array_of_tables_mut()?
            .iter_mut()
            .find(|t| t.get("id").and_then(Item::as_str) == Some(id.as_str()))?;
        let away = engineer
            .entry("away")
            .or_insert(Item::Value(Value::Array(Array::new())))
            .as_array_mut()?;
        away.retain(|v| {
            let key = value_key(v);
            !before.contains(&key) || after.contains(&key)
        });
        for (key, value) in after.iter().zip(away_values(changed, id)) {
            if !before.contains(key) && !away.iter().any(|v| value_key(v) == *key) {
                store::push_on_its_line(away, value.clone());
            }
        }
        if away.is_empty() {
            engineer.remove("away");
        }
    }
    Some(())
}

/// The document without overrides, windows and absences, as text: what must not have changed.
fn without_changes(doc: &DocumentMut) -> String {
    let mut doc = doc.clone();
    for key in JOINED_TABLES {
        doc.remove(key);
    }
    doc.remove("regions");
    if let Some(engineers) = doc
        .get_mut("engineer")
        .and_then(Item::as_array_of_tables_mut)
    {
        for engineer in engineers.iter_mut() {
            engineer.remove("away");
        }
    }
    doc.to_string()
}

/// The `[[key]]` tables by meaning; `None` when `key` holds something else.
fn tables_of(doc: &DocumentMut, key: &str) -> Option<Vec<String>> {
    match doc.get(key) {
        None => Some(Vec::new()),
        Some(item) => Some(
            item.as_array_of_tables()?
                .iter()
                .map(|t| canonical(t.iter()))
                .collect(),
        ),
    }
}

/// Each engineer's absences by meaning; `None` when one is not an inline array.
fn absences(doc: &DocumentMut) -> Option<std::collections::BTreeMap<String, Vec<String>>> {
    let mut all = std::collections::BTreeMap::new();
    for engineer in doc
        .get("engineer")
        .and_then(Item::as_array_of_tables)
        .into_iter()
        .flatten()
    {
        let Some(id) = engineer.get("id").and_then(Item::as_str) else {
            continue;
        };
        let away = match engineer.get("away") {
            None => Vec::new(),
            Some(item) => item.as_array()?.iter().map(value_key).collect(),
        };
        all.insert(id.to_string(), away);
    }
    Some(all)
}

fn away_values(doc: &DocumentMut, id: &str) -> Vec<Value> {
    doc.get("engineer")
        .and_then(Item::as_array_of_tables)
        .into_iter()
        .flatten()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .and_then(|t| t.get("away"))
        .and_then(Item::as_array)
        .map(|a| a.iter().cloned().collect())
        .unwrap_or_default()
}

fn value_key(value: &Value) -> String {
    match value.as_inline_table() {
        Some(table) => canonical(table.iter()),
        None => value.to_string().trim().to_string(),
    }
}

/// `key=value;...`, sorted, without comments or spacing: a table's meaning.
fn canonical<'a, V: std::fmt::Display + 'a>(pairs: impl Iterator<Item = (&'a str, V)>) -> String {
    let mut pairs: Vec<String> = pairs
        .map(|(k, v)| format!("{k}={}", v.to_string().trim()))
        .collect();
    pairs.sort();
    pairs.join(";")
}

/// git's line merge into %A: clean (and, for the list, valid) is a merge; otherwise the
/// conflict is reported (exit 1) with what is left in the file.
fn line_merge(args: &MergeDriverArgs, why: &str) -> Result<String> {
    let (clean, output) = merge_file(args)?;
    // Byte for byte: a version that is not UTF-8 keeps its bytes in the conflict.
    store::write_atomically(&args.ours, &output)?;
    let shown = args.path.as_deref().unwrap_or(&args.ours);
    if !clean {
        return Err(Error::conflict(format!(
            "{}: {why}; git's conflict markers are left in the file",
            shown.display()
        ))
        .hint(
            "edit the file to keep what both sides meant, then `git add` it and finish the merge",
        ));
    }
    let parsed = std::str::from_utf8(&output)
        .map_err(|_| "it is not UTF-8".to_string())
        .and_then(|text| roster::parse(shown, text).map_err(|e| e.summary().to_string()));
    if args.file == "list"
        && let Err(error) = parsed
    {
        return Err(Error::conflict(format!(
            "{}: the two sides merge line by line, but the result is not a valid list: {error}",
            shown.display(),
        ))
        .hint("the merged text is in the file: fix it, `git add` it and finish the merge"));
    }
    Ok(String::new())
}

/// `git merge-file -p`: whether it merged cleanly, and the result (with conflict markers), as
/// bytes.
fn merge_file(args: &MergeDriverArgs) -> Result<(bool, Vec<u8>)> {
    // git runs a driver at the top of the work tree; the files are absolute or relative to it.
    let here = super::current_dir()?;
    let mut command = crate::git::command_in(&here);
    command
        .current_dir(&here)
        .args(["merge-file", "-p"])
        .args(["-L", "ours", "-L", "base", "-L", "theirs"])
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs);
    let output = command
        .output()
        .map_err(|e| Error::git(format!("cannot run git merge-file: {e}")))?;
    // The exit code counts conflicts; only a negative one (a signal here) is a failure.
    if output.status.code().is_none_or(|c| c < 0) {
        return Err(Error::git("git merge-file failed"));
    }
    Ok((output.status.success(), output.stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[team]\nname = \"T\"\ntimezone = \"UTC\"\n\n[[engineer]]\nid = \"a\"\nname = \"A\"\naway = [\n  { from = 2026-12-01 }, # dentist\n]\n\n[[engineer]]\nid = \"b\"\nname = \"B\"\n";

    #[test]
    fn overrides_and_absences_added_on_each_side_are_joined_keeping_comments() {
        let ours = format!(
            "{BASE}\n[[override]]\ndate = 2026-11-26\nengineer = \"a\"\nkind = \"cover\"\n"
        );
        let theirs = BASE.replace(
            "name = \"B\"\n",
            "name = \"B\"\naway = [\n  { from = 2026-12-10 },\n]\n",
        );
        assert_eq!(
            apply_changes(BASE, &theirs, &ours).unwrap(),
            format!(
                "{}\n[[override]]\ndate = 2026-11-26\nengineer = \"a\"\nkind = \"cover\"\n",
                theirs
            )
        );
        // An absence added to an engineer who has one keeps the old one's comment.
        let more = BASE.replace(
            "  { from = 2026-12-01 }, # dentist\n",
            "  { from = 2026-12-01 }, # dentist\n  { from = 2026-12-20 },\n",
        );
        assert_eq!(
            apply_changes(BASE, &more, &ours).unwrap(),
            format!(
                "{more}\n[[override]]\ndate = 2026-11-26\nengineer = \"a\"\nkind = \"cover\"\n"
            )
        );
    }

    #[test]
    fn regions_added_on_each_side_are_joined_with_their_comments() {
        let import = |text: &str, id: &str, days: &[(&str, &str)]| {
            let mut doc: DocumentMut = text.parse().unwrap();
            let days: Vec<_> = days
                .iter()
                .map(|(d, n)| (d.parse().unwrap(), Some(n.to_string())))
                .collect();
            store::add_region_holidays(&mut doc, id, &days).unwrap();
            doc.to_string()
        };
        let ours = import(BASE, "de", &[("2026-12-08", "Mariä Empfängnis")]);
        let theirs = import(
            BASE,
            "uk",
            &[
                ("2026-12-28", "Boxing Day (substitute)"),
                ("2027-01-01", "New Year"),
            ],
        );
        let joined = apply_changes(BASE, &theirs, &ours).unwrap();
        assert_eq!(
            joined,
            format!(
                "{ours}\n[regions.uk]\nholidays = [\n  2026-12-28,  # Boxing Day (substitute)\n  2027-01-01,  # New Year\n]\n"
            )
        );
        roster::parse(Path::new("on-call-list.toml"), &joined).unwrap();
        // The other way round, the same regions.
        let other = apply_changes(BASE, &ours, &theirs).unwrap();
        assert_eq!(
            regions(&other.parse().unwrap()),
            regions(&joined.parse().unwrap())
        );
        // One side adds to a region the other side left alone: its table replaces it.
        let more = import(&ours, "de", &[("2026-12-24", "Heiligabend")]);
        let both = import(&ours, "uk", &[("2027-01-01", "New Year")]);
        assert_eq!(
            regions(&apply_changes(&ours, &more, &both).unwrap().parse().unwrap()).unwrap(),
            std::collections::BTreeMap::from([
                (
                    "de".to_string(),
                    vec!["2026-12-08".to_string(), "2026-12-24".to_string()]
                ),
                ("uk".to_string(), vec!["2027-01-01".to_string()]),
            ])
        );
        // Both sides change one region: a conflict.
        let also = import(&ours, "de", &[("2026-12-31", "Silvester")]);
        assert_eq!(apply_changes(&ours, &more, &also), None);
    }

    #[test]
    fn shapes_it_does_not_join_are_left_to_a_conflict() {
        let tables = BASE.replace(
            "name = \"B\"\n",
            "name = \"B\"\n\n[[engineer.away]]\nfrom = 2026-12-07\nto = 2026-12-11\n",
        );
        let ours = format!("{tables}\n[[override]]\ndate = 2026-11-26\nengineer = \"a\"\n");
        let theirs = format!("{tables}\n[[override]]\ndate = 2026-11-27\nengineer = \"b\"\n");
        assert_eq!(apply_changes(&tables, &theirs, &ours), None);
        // Anything else changed on the side being applied: not joined either.
        let renamed = format!(
            "{}\n[[override]]\ndate = 2026-11-27\nengineer = \"b\"\n",
            BASE.replace("\"T\"", "\"U\"")
        );
        assert_eq!(
            apply_changes(
                BASE,
                &renamed,
                &format!("{BASE}\n[[override]]\ndate = 2026-11-26\nengineer = \"a\"\n")
            ),
            None
        );
    }
}
