//! `rota next [ID]`: when an engineer is next on call, and the turns after that.

use std::fmt::Write;

use serde_json::json;

use super::{Context, current_user, known_engineer};
use crate::calendar::show_day;
use crate::cli::NextArgs;
use crate::error::{Error, Result};
use crate::roster::Roster;
use crate::rotation;
use crate::store::Workspace;

/// How far ahead to look: a few rounds of the largest team.
const HORIZON_WORKING_DAYS: usize = 20 * 8;

pub fn run(context: &Context, args: &NextArgs) -> Result<String> {
    let mut workspace = context.workspace()?;
    let state = context.state(&mut workspace)?;
    let roster = &workspace.roster;
    let id = match &args.id {
        Some(id) => known_engineer(roster, id)?.id.clone(),
        None => me(&workspace)?,
    };
    let today = context.today(&workspace);
    let turns: Vec<_> = rotation::schedule(roster, &state, today)
        .take(HORIZON_WORKING_DAYS)
        .filter(|slot| slot.day >= today && slot.engineer.as_deref() == Some(id.as_str()))
        .take(args.count)
        .collect();
    if args.json {
        let turns: Vec<_> = turns
            .iter()
            .map(|slot| json!({"date": slot.day.to_string(), "reason": super::schedule::reason(roster, slot), "detail": super::schedule::why(roster, slot)}))
            .collect();
        return Ok(format!(
            "{:#}\n",
            json!({"id": id, "name": roster.name_of(&id), "turns": turns})
        ));
    }
    let mut out = String::new();
    let Some(first) = turns.first() else {
        let _ = writeln!(
            out,
            "{} ({id}) has no turn in the next {HORIZON_WORKING_DAYS} working days.",
            roster.name_of(&id)
        );
        return Ok(out);
    };
    let days = (first.day - today).num_days();
    let when = match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    };
    let _ = writeln!(
        out,
        "{} ({id}) is next on call {} ({when}).",
        roster.name_of(&id),
        show_day(first.day)
    );
    if turns.len() > 1 {
        let later: Vec<String> = turns[1..].iter().map(|s| show_day(s.day)).collect();
        let _ = writeln!(out, "Then: {}", later.join(", "));
    }
    Ok(out)
}

/// The person running rota: `ROTA_USER`, else the engineer whose email is git's user.email.
fn me(workspace: &Workspace) -> Result<String> {
    let roster = &workspace.roster;
    if let Some(id) = current_user(roster)? {
        return Ok(id);
    }
    let dir = workspace
        .list_path
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let email = std::process::Command::new("git")
        .args(["config", "user.email"])
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|e| !e.is_empty());
    if let Some(found) = email.as_deref().and_then(|email| by_email(roster, email)) {
        return Ok(found);
    }
    let why = match &email {
        Some(email) => format!("no engineer has the email {email} (git config user.email)"),
        None => "ROTA_USER is not set and git has no user.email".to_string(),
    };
    Err(Error::usage(format!("rota cannot tell who you are: {why}"))
        .hint("name the engineer: rota next ID")
        .hint("or set ROTA_USER to your id, or add your git email to your [[engineer]] table"))
}

fn by_email(roster: &Roster, email: &str) -> Option<String> {
    roster
        .engineers
        .iter()
        .find(|e| {
            e.email
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(email))
        })
        .map(|e| e.id.clone())
}
