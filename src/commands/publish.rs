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
use super::{Context, output, status, teams, teams_page};
use crate::cli::PublishArgs;
use crate::error::{Error, Result};
use crate::session::Snapshot;
use crate::store;
use crate::timeline::Timeline;
use crate::{html, ics};

pub fn run(context: &Context, args: &PublishArgs) -> Result<String> {
    if args.all {
        return all(context, args);
    }
    let snapshot = context.snapshot()?;
    let workspace = &snapshot.workspace;
    let today = snapshot.today;
    let site = site(&snapshot)?;
    let dir = &args.out;
    workspace.check_output_dir(dir, &super::current_dir()?)?;
    let published = Published {
        dir: dir.display().to_string(),
        as_of: today.to_string(),
        files: write_all(dir, &site.files)?,
    };
    if args.json {
        return Ok(output::json(&published));
    }
    Ok(published.text(&workspace.roster.team_name))
}

/// A team's site: its files, name and contents, and the status (`who --json`'s object) its
/// page and `status.json` show.
struct Site {
    files: Vec<(String, String)>,
    status: status::Json,
}

/// The site's files. The page is the team's day as the files say it, as of the day's start:
/// the same files on the same day give the same bytes (publishing from CI commits only real
/// changes); the page's script shows the reader's own clock.
fn site(snapshot: &Snapshot) -> Result<Site> {
    let (workspace, today) = (&snapshot.workspace, snapshot.today);
    let roster = &workspace.roster;
    if let Some(e) = roster.engineers.iter().find(|e| e.id == "team") {
        return Err(Error::invalid(format!(
            "engineer id {:?} would write team.ics, which is the team's calendar",
            e.id
        ))
        .hint("give the engineer another id in on-call-list.toml; nothing was written"));
    }
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
    let answer = status::answer(snapshot, None, now)?;
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
    Ok(Site { files, status })
}

/// Writes `files` into `dir` (created if missing), each unless it holds its bytes already.
fn write_all(dir: &Path, files: &[(String, String)]) -> Result<Vec<Written>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, &e))?;
    files
        .iter()
        .map(|(name, text)| {
            Ok(Written {
                name: name.clone(),
                changed: write_if_changed(&dir.join(name), text.as_bytes())?,
            })
        })
        .collect()
}

/// `publish --all DIR`: every team's site in `DIR/TEAM` (what `rota publish DIR/TEAM` writes
/// for it), an index page of all of them and an org-wide `status.json` in DIR. Every team is
/// read and rendered before anything is written: when one cannot be, nothing is.
fn all(context: &Context, args: &PublishArgs) -> Result<String> {
    let found = context.teams()?;
    let cwd = super::current_dir()?;
    let dir = &args.out;
    let mut sites = Vec::new();
    let mut failed = Vec::new();
    for team in &found.teams {
        let (snapshot, site) = match context
            .team_snapshot(team)
            .and_then(|snapshot| site(&snapshot).map(|site| (snapshot, site)))
        {
            Ok(built) => built,
            Err(error) => {
                failed.push((team, error));
                continue;
            }
        };
        let slug = team.slug();
        let workspace = &snapshot.workspace;
        workspace.check_output_dir(dir, &cwd)?;
        workspace.check_output_dir(&dir.join(&slug), &cwd)?;
        sites.push(TeamSite {
            dir: &team.rel,
            slug,
            team: workspace.roster.team_name.clone(),
            today: snapshot.today,
            site,
        });
    }
    if !failed.is_empty() {
        let lines: Vec<String> = failed
            .iter()
            .map(|(team, error)| {
                format!(
                    "  {}: {}",
                    teams::shown(&team.rel),
                    teams::one_line(error, &found.top)
                )
            })
            .collect();
        return Err(Error::invalid(format!(
            "{} of {} teams could not be published, so nothing was written:\n{}",
            failed.len(),
            found.teams.len(),
            lines.join("\n")
        ))
        .hint("`rota check --all` names every problem of every team"));
    }
    refuse_shared_places(dir, &sites)?;
    let rows: Vec<teams_page::Row> = sites
        .iter()
        .map(|s| teams_page::Row {
            dir: s.dir,
            slug: &s.slug,
            team: &s.team,
            today: s.today,
            status: &s.site.status,
        })
        .collect();
    let statuses: Vec<TeamStatus> = sites
        .iter()
        .map(|s| TeamStatus {
            dir: s.dir,
            team: &s.team,
            site: format!("{}/", s.slug),
            status: &s.site.status,
        })
        .collect();
    let top_files = [
        ("index.html".to_string(), teams_page::html(&rows)),
        ("status.json".to_string(), output::json(&statuses)),
    ];
    let mut files = write_all(dir, &top_files)?;
    let mut written_teams = Vec::new();
    for s in &sites {
        let written = write_all(&dir.join(&s.slug), &s.site.files)?;
        files.extend(written.iter().map(|w| Written {
            name: format!("{}/{}", s.slug, w.name),
            changed: w.changed,
        }));
        written_teams.push((s, written));
    }
    if args.json {
        return Ok(output::json(&PublishedAll {
            dir: dir.display().to_string(),
            teams: sites
                .iter()
                .map(|s| PublishedTeam {
                    dir: s.dir,
                    team: &s.team,
                    site: format!("{}/", s.slug),
                    as_of: s.today.to_string(),
                })
                .collect(),
            files,
        }));
    }
    let mut out = format!(
        "Published {} teams' pages to {}:\n",
        sites.len(),
        dir.display()
    );
    let width = sites
        .iter()
        .map(|s| s.slug.len() + 1)
        .chain([top_files[1].0.len()])
        .max()
        .unwrap_or(0);
    for file in &files[..top_files.len()] {
        let what = if file.changed { "written" } else { "unchanged" };
        out += &format!("  {:<width$}  {what}\n", file.name);
    }
    for (s, written) in &written_teams {
        let changed = written.iter().filter(|w| w.changed).count();
        let what = match (changed, written.len() - changed) {
            (0, same) => format!("{same} files unchanged"),
            (changed, 0) => format!("{changed} files written"),
            (changed, same) => format!("{changed} files written, {same} unchanged"),
        };
        out += &format!(
            "  {:<width$}  {}, as of {}: {what}\n",
            format!("{}/", s.slug),
            s.team,
            s.today
        );
    }
    Ok(out)
}

/// A team's site as `publish --all` writes it.
struct TeamSite<'a> {
    /// The team's directory, relative to the repository's top.
    dir: &'a str,
    /// Where its site goes in DIR.
    slug: String,
    team: String,
    today: chrono::NaiveDate,
    site: Site,
}

/// Refuses two teams whose sites would share a place in DIR (`net-edge/` and `net/edge/`,
/// or names that differ only in case, one place on some file systems), a team whose place
/// is the index's own files, and a place that is a symlink (written through, it would send
/// a team's site elsewhere).
fn refuse_shared_places(dir: &Path, sites: &[TeamSite]) -> Result<()> {
    let mut seen: Vec<(String, Option<&str>)> = ["index.html", "status.json"]
        .into_iter()
        .map(|name| (name.to_string(), None))
        .collect();
    for s in sites {
        let key = s.slug.to_lowercase();
        if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
            let whose = match other {
                Some(other) => format!(
                    "the teams in {} and {}",
                    teams::shown(other),
                    teams::shown(s.dir)
                ),
                None => format!(
                    "the index's own file and the team in {}",
                    teams::shown(s.dir)
                ),
            };
            return Err(Error::refused(format!(
                "{whose} would both be published to {}",
                dir.join(&s.slug).display()
            ))
            .hint("rename the team's directory; nothing was written"));
        }
        seen.push((key, Some(s.dir)));
        let place = dir.join(&s.slug);
        if std::fs::symlink_metadata(&place).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::refused(format!(
                "{} is a symlink: rota writes each team's site into a directory of its own, never through a link",
                place.display()
            ))
            .hint(format!(
                "remove it (rm {}), then publish again; nothing was written",
                crate::git::shell_quote(&place.display().to_string())
            )));
        }
    }
    Ok(())
}

/// A team in the org-wide `status.json`: its directory, name and site, and its own
/// `status.json` object.
#[derive(Serialize)]
struct TeamStatus<'a> {
    dir: &'a str,
    team: &'a str,
    site: String,
    #[serde(flatten)]
    status: &'a status::Json,
}

/// `publish --all --json`.
#[derive(Serialize)]
struct PublishedAll<'a> {
    dir: String,
    teams: Vec<PublishedTeam<'a>>,
    files: Vec<Written>,
}

#[derive(Serialize)]
struct PublishedTeam<'a> {
    dir: &'a str,
    team: &'a str,
    site: String,
    as_of: String,
}

/// Writes `contents` to `path` unless it holds them already; whether it wrote.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
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
