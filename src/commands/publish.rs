//! `rota publish DIR`: the team's page for a forge's pages. `index.html` (who is on call, how
//! to reach them, the coming weeks, maintenance, the playbook), `status.json` (`who --json`'s
//! object), `team.ics` and one `ID.ics` per engineer (`schedule --ics`'s feeds).
//!
//! The same files at the same minute give the same bytes: the page states the minute it was
//! made (and the engineers' local times then), nothing finer, and a file whose bytes did not
//! change is not written again. Only those files are written, each atomically, inside DIR: a
//! symlink there is replaced, never followed.

use std::path::Path;

use chrono::Duration;
use serde::Serialize;

use super::page::Page;
use super::{Context, output, status};
use crate::cli::PublishArgs;
use crate::error::{Error, Result};
use crate::session::Snapshot;
use crate::store;
use crate::timeline::Timeline;
use crate::{html, ics};

pub fn run(context: &Context, args: &PublishArgs) -> Result<String> {
    let snapshot = context.snapshot()?;
    let workspace = &snapshot.workspace;
    let roster = &workspace.roster;
    if let Some(e) = roster.engineers.iter().find(|e| e.id == "team") {
        return Err(Error::invalid(format!(
            "engineer id {:?} would write team.ics, which is the team's calendar",
            e.id
        ))
        .hint("give the engineer another id in on-call-list.toml; nothing was written"));
    }
    let today = snapshot.today;
    let files = site(&snapshot)?;
    // Resolved once, physically, and written there: the spelling of the path cannot lead
    // the files elsewhere between the check and the writes.
    let dir = workspace.output_dir(&args.out, &super::current_dir()?)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &args.out, &e))?;
    let written: Vec<Written> = files
        .iter()
        .map(|(name, text)| {
            Ok(Written {
                name: name.clone(),
                changed: write_if_changed(&dir.join(name), text.as_bytes())?,
            })
        })
        .collect::<Result<_>>()?;
    let published = Published {
        dir: args.out.display().to_string(),
        as_of: today.to_string(),
        files: written,
    };
    if args.json {
        return Ok(output::json(&published));
    }
    Ok(published.text(&roster.team_name))
}

/// The site's files, name and contents. The page is the team's day as the files say it, as
/// of the day's start: the same files on the same day give the same bytes (publishing from CI
/// commits only real changes); the page's script shows the reader's own clock.
fn site(snapshot: &Snapshot) -> Result<Vec<(String, String)>> {
    let (workspace, today) = (&snapshot.workspace, snapshot.today);
    let roster = &workspace.roster;
    let now = roster.calendar.start_of(today);
    let playbook = workspace.playbook()?.map(|text| html::markdown(&text));
    // A megabyte of `>` nests a blockquote per character: 27 MB of HTML no browser renders.
    if let Some(html) = playbook
        .as_ref()
        .filter(|h| h.len() as u64 > 4 * store::MAX_PLAYBOOK)
    {
        return Err(Error::invalid(format!(
            "the playbook renders to {} MiB of HTML, more than a page can hold",
            html.len() >> 20
        ))
        .hint("nest fewer quotes and lists; nothing was written"));
    }
    let answer = status::answer(snapshot, today, now)?;
    let state = snapshot.state();
    let status = answer.json(roster, state, now);
    // The days of `schedule --ics`: the recent past, and the working days ahead.
    let from = today - Duration::days(i64::from(ics::PAST_DAYS));
    let history = snapshot.history_from(from)?;
    let timeline = Timeline::new(roster, state, &history, today);
    let days = timeline.window(from, today, None, usize::from(ics::AHEAD_DAYS));
    let ahead = days
        .iter()
        .position(|d| d.date >= today)
        .unwrap_or(days.len());
    let maintenance = crate::maintenance::within(
        &roster.maintenance,
        now,
        chrono::DateTime::<chrono::Utc>::MAX_UTC,
    );
    let page = Page {
        roster,
        as_of: now,
        today,
        status: &status,
        days: &days[ahead..],
        maintenance,
        playbook,
    };
    let mut files = vec![
        ("index.html".to_string(), page.html()),
        ("status.json".to_string(), output::json(&status)),
        (
            "team.ics".to_string(),
            ics::calendar(roster, ics::Feed::Team, &days, today),
        ),
    ];
    for engineer in &roster.engineers {
        files.push((
            format!("{}.ics", engineer.id),
            ics::calendar(roster, ics::Feed::Engineer(&engineer.id), &days, today),
        ));
    }
    Ok(files)
}

/// Writes `contents` to `path` unless it holds them already; whether it wrote. Only a
/// regular file (never a link, a FIFO or a device) is read to compare, and no more of it than
/// `contents` holds.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool> {
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
    if regular
        && crate::open::read_regular(path, contents.len() as u64)
            .is_ok_and(|old| old.as_deref() == Some(contents))
    {
        return Ok(false);
    }
    store::write_atomically(path, contents)?;
    Ok(true)
}

#[derive(Serialize)]
struct Published {
    dir: String,
    as_of: String,
    files: Vec<Written>,
}

impl Published {
    /// What was written, a line a file.
    fn text(&self, team: &str) -> String {
        let mut out = format!(
            "Published {team}'s page to {} (as of {}):\n",
            self.dir, self.as_of
        );
        let width = self.files.iter().map(|w| w.name.len()).max().unwrap_or(0);
        for file in &self.files {
            let what = if file.changed { "written" } else { "unchanged" };
            out += &format!("  {:<width$}  {what}\n", file.name);
        }
        out
    }
}

#[derive(Serialize)]
struct Written {
    name: String,
    /// Written now (false: the file held these bytes already).
    changed: bool,
}
