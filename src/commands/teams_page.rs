//! The index page of `rota publish --all` (`index.html`): every team of the repository, who
//! is on call now, how to reach them, who is next, and a link to each team's own site. One
//! self-contained HTML document, the team page's inline CSS, no script: it is right without
//! JavaScript, as of the start of each team's day.
//!
//! As on the team's page, everything from the files goes through `html::escape`, and every
//! link target is built here from a checked value (a team's site: its slug, which holds only
//! ASCII letters, digits, `.`, `_` and `-`).

use std::fmt::Write;

use chrono::NaiveDate;

use super::page::{STYLE, contact_links};
use super::status::Json;
use crate::calendar::show_day;
use crate::html::escape;

/// A team's row.
pub struct Row<'a> {
    /// The team's directory, relative to the repository's top.
    pub dir: &'a str,
    /// Where its site is, in the index's directory.
    pub slug: &'a str,
    /// Its name.
    pub team: &'a str,
    /// The team's today: what its row is as of.
    pub today: NaiveDate,
    /// `who --json`'s answer for it, as its `status.json` has it.
    pub status: &'a Json,
}

pub fn html(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>On call: every team</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>On call: every team</h1>\n\
         <p class=\"as-of\" id=\"as-of\">Each team as of the start of its own day, by its time zone.</p>\n\
         </header>\n<main>\n<table id=\"teams\">\n\
         <caption>{} team{}, in the order of their directories in the repository.</caption>\n\
         <thead><tr><th>Team</th><th>Directory</th><th>Day</th><th>On call now</th><th>How to reach them</th><th>Next</th></tr></thead>\n<tbody>\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
    );
    for row in rows {
        team_row(&mut out, row);
    }
    out.push_str(
        "</tbody>\n</table>\n</main>\n<footer>\n<p>Each team's page has its schedule, its calendars and its playbook. \
         For scripts: <a href=\"status.json\">status.json</a>, every team's status. Published with rota.</p>\n</footer>\n\
         </body>\n</html>\n",
    );
    out
}

fn team_row(out: &mut String, row: &Row) {
    let status = row.status;
    let (on_call, contacts) = match &status.on_call {
        Some(on_call) => {
            let mut said = format!(
                "{} ({})",
                escape(&on_call.person.name),
                escape(&on_call.person.id)
            );
            if let Some(id) = &on_call.covering_for {
                let _ = write!(
                    said,
                    ", {}",
                    escape(&super::output::instead_of(on_call.reason, id))
                );
            }
            if status.handover_overdue {
                said.push_str(", handover overdue");
            }
            let items: String = contact_links(&on_call.person)
                .iter()
                .map(|item| format!("<li>{item}</li>"))
                .collect();
            let contacts = if items.is_empty() {
                String::new()
            } else {
                format!("<ul class=\"contacts\">{items}</ul>")
            };
            (said, contacts)
        }
        None => {
            let why = super::output::why_no_one(status.status);
            (format!("No one ({})", escape(why)), String::new())
        }
    };
    let next = status
        .next
        .as_ref()
        .map(|next| {
            format!(
                "{} ({}) · from {}",
                escape(&next.person.name),
                escape(&next.person.id),
                next.date
                    .parse()
                    .map_or_else(|_| escape(&next.date), show_day)
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr data-dir=\"{dir}\"><td class=\"team\"><a href=\"{slug}/index.html\">{team}</a></td>\
         <td class=\"dir\">{dir}</td><td class=\"day\">{day}</td><td class=\"on-call\">{on_call}</td>\
         <td class=\"contacts\">{contacts}</td><td class=\"next\">{next}</td></tr>",
        dir = escape(row.dir),
        slug = escape(row.slug),
        team = escape(row.team),
        day = show_day(row.today),
    );
}
