//! The team's page (`index.html` of `rota publish`): one self-contained HTML document, inline
//! CSS, no request to anywhere, right without JavaScript as of the minute it was made. A few
//! lines of inline script only mark the row of the reader's today when the page is older.
//!
//! Everything from the team's files goes through `html::escape` (or, for the playbook,
//! `html::markdown`), and every link target from them is built here, from a checked value.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};

use super::output::Person;
use super::status::{Escalation, Json};
use crate::calendar::show_day;
use crate::html::{escape, is_safe_url};
use crate::roster::{Maintenance, Roster};
use crate::timeline::{Day, Status};

/// What the page shows.
pub struct Page<'a> {
    pub roster: &'a Roster,
    /// The moment it was made (to the minute).
    pub as_of: DateTime<Utc>,
    /// The team's today at that moment.
    pub today: NaiveDate,
    /// `who`'s answer for today.
    pub status: &'a Json,
    /// The days from today on, as the schedule (and the calendar feeds) have them.
    pub days: &'a [Day],
    /// Windows not over yet, in start order.
    pub maintenance: Vec<&'a Maintenance>,
    /// The playbook, rendered.
    pub playbook: Option<String>,
}

pub(super) const STYLE: &str = "\
body{font-family:system-ui,sans-serif;line-height:1.5;max-width:56rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}
h1{margin-bottom:0}
.as-of{color:#555;margin-top:.25rem}
.later{background:#fff4ce;padding:.5rem}
section{margin-top:2rem}
.name{font-size:1.4rem}
table{border-collapse:collapse;width:100%}
caption{text-align:left;color:#555}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
tr.today{background:#e6f4ea;font-weight:bold}
tr.off{color:#777}
.playbook{border-left:3px solid #ddd;padding-left:1rem}
@media (prefers-color-scheme:dark){body{color:#eee;background:#161616}.as-of{color:#aaa}.later{background:#4a3d00}tr.today{background:#1e3a28}th,td{border-color:#444}}
";

/// Marks the reader's today in the schedule (by the team's time zone) when it is later than
/// the day the page was made, and says who the schedule gives it to. `?today=YYYY-MM-DD`
/// stands in for the clock (for a test, or to look ahead). It reads only the page itself.
const SCRIPT: &str = r##"(function () {
  var body = document.body;
  var asked = /[?&]today=(\d{4}-\d{2}-\d{2})/.exec(location.search);
  var today = asked ? asked[1] : (function () {
    var part = {};
    try {
      new Intl.DateTimeFormat("en", {timeZone: body.getAttribute("data-timezone"),
        year: "numeric", month: "2-digit", day: "2-digit"}).formatToParts(new Date())
        .forEach(function (p) { part[p.type] = p.value; });
    } catch (e) {
      return "";  // A browser that does not know the zone: the page stays as written.
    }
    return part.year + "-" + part.month + "-" + part.day;
  })();
  var clocks = document.querySelectorAll(".clock[data-timezone]");
  for (var c = 0; c < clocks.length; c++) {
    try {
      clocks[c].textContent = "· now " + new Intl.DateTimeFormat("en-GB", {timeZone:
        clocks[c].getAttribute("data-timezone"), weekday: "short", hour: "2-digit",
        minute: "2-digit"}).format(new Date());
    } catch (e) {}  // A zone the browser does not know: the zone alone is shown.
  }
  if (today <= body.getAttribute("data-published")) return;
  var rows = document.querySelectorAll("#schedule tr[data-date]");
  var row = null, next = null;
  for (var i = 0; i < rows.length; i++) {
    var date = rows[i].getAttribute("data-date");
    rows[i].classList.remove("today");
    if (date === today) row = rows[i];
    if (!next && date > today && rows[i].getAttribute("data-name")) next = rows[i];
  }
  var said = "By your clock it is " + today + ", after this page was made: ";
  if (row) {
    row.classList.add("today");
    var name = row.getAttribute("data-name");
    said += name ? "the schedule gives today to " + name + "." : "no one is on call today (" + row.cells[3].textContent + ").";
  } else if (next) {
    said += "today is not a working day; next on call: " + next.getAttribute("data-name") + " on " + next.getAttribute("data-date") + ".";
  } else {
    said += "it is past the last day this page shows.";
  }
  var later = document.getElementById("later");
  later.textContent = said;
  later.hidden = false;
})();
"##;

impl Page<'_> {
    pub fn html(&self) -> String {
        let team = escape(&self.roster.team_name);
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>On call: {team}</title>\n<style>\n{STYLE}</style>\n</head>\n\
             <body data-published=\"{}\" data-timezone=\"{}\">\n<header>\n<h1>{team}: on call</h1>\n\
             <p class=\"as-of\" id=\"as-of\">As of {}, the team's day ({}).</p>\n\
             <p class=\"later\" id=\"later\" hidden></p>\n</header>\n<main>\n",
            self.today,
            escape(self.roster.calendar.timezone.name()),
            self.today.format("%a %Y-%m-%d"),
            escape(self.roster.calendar.timezone.name()),
        );
        self.on_call(&mut out);
        self.next(&mut out);
        self.escalation(&mut out);
        self.schedule(&mut out);
        self.maintenance(&mut out);
        if let Some(playbook) = &self.playbook {
            let _ = write!(
                out,
                "<section id=\"playbook\">\n<h2>Playbook</h2>\n<div class=\"playbook\">\n{playbook}</div>\n</section>\n"
            );
        }
        out.push_str("</main>\n");
        self.footer(&mut out);
        let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
        out
    }

    fn on_call(&self, out: &mut String) {
        out.push_str("<section id=\"on-call\">\n<h2>On call now</h2>\n");
        match &self.status.on_call {
            Some(on_call) => {
                let _ = writeln!(
                    out,
                    "<p><strong class=\"name\">{}</strong> ({}) · since {}{}</p>",
                    escape(&on_call.person.name),
                    escape(&on_call.person.id),
                    show_day(on_call.date.parse().unwrap_or(self.today)),
                    on_call
                        .covering_for
                        .as_ref()
                        .map(|id| format!(
                            ", {}",
                            escape(&super::output::instead_of(on_call.reason, id))
                        ))
                        .unwrap_or_default(),
                );
                self.contacts(out, &on_call.person);
            }
            None => {
                let _ = writeln!(
                    out,
                    "<p>No one is on call on {} ({}).</p>",
                    show_day(self.today),
                    escape(self.status.status)
                );
            }
        }
        out.push_str("</section>\n");
    }

    fn next(&self, out: &mut String) {
        let Some(next) = &self.status.next else {
            return;
        };
        let _ = writeln!(
            out,
            "<section id=\"next\">\n<h2>Next</h2>\n<p><strong>{}</strong> ({}) · from {}</p>\n</section>",
            escape(&next.person.name),
            escape(&next.person.id),
            show_day(next.date.parse().unwrap_or(self.today)),
        );
    }

    fn escalation(&self, out: &mut String) {
        if self.status.escalation.is_empty() {
            return;
        }
        out.push_str("<section id=\"escalation\">\n<h2>If they do not answer</h2>\n<ol>\n");
        for entry in &self.status.escalation {
            match entry {
                Escalation::Person(person) => {
                    let _ = writeln!(
                        out,
                        "<li><strong>{}</strong> ({})",
                        escape(&person.name),
                        escape(&person.id)
                    );
                    self.contacts(out, person);
                    out.push_str("</li>\n");
                }
                Escalation::Text { text } => {
                    let _ = writeln!(out, "<li>{}</li>", escape(text));
                }
            }
        }
        out.push_str("</ol>\n</section>\n");
    }

    /// Email and phone as links, chat as text (a link when it is a web address), and the
    /// person's local time as of the page.
    fn contacts(&self, out: &mut String, person: &Person) {
        let mut items = contact_links(person);
        if let Some(engineer) = self.roster.engineer(&person.id) {
            let tz = self.roster.timezone_of(engineer);
            // The zone, not a clock reading: the page is the same all day; the script adds the
            // reader's now in that zone.
            items.push(format!(
                "Time zone: {} (UTC{}) <span class=\"clock\" data-timezone=\"{}\"></span>",
                escape(tz.name()),
                self.as_of.with_timezone(&tz).format("%:z"),
                escape(tz.name())
            ));
        }
        out.push_str("<ul class=\"contacts\">\n");
        for item in items {
            let _ = writeln!(out, "<li>{item}</li>");
        }
        out.push_str("</ul>\n");
    }

    /// The working days ahead (holidays marked, weekends left out), who is on call and who
    /// is away.
    fn schedule(&self, out: &mut String) {
        let _ = write!(
            out,
            "<section id=\"schedule\">\n<h2>The coming weeks</h2>\n<table>\n\
             <caption>Working days by the team's calendar ({zone}); weekends are left out.</caption>\n\
             <thead><tr><th>Date</th><th>Day</th><th>On call</th><th>Why</th><th>Away</th></tr></thead>\n<tbody>\n",
            zone = escape(self.roster.calendar.timezone.name()),
        );
        for day in self
            .days
            .iter()
            .filter(|d| d.status.is_working() || d.status == Status::Holiday)
        {
            let class = match (day.today, day.status.is_working()) {
                (true, _) => " class=\"today\"",
                (false, false) => " class=\"off\"",
                (false, true) => "",
            };
            let who = day
                .engineer
                .as_deref()
                .map(|id| format!("{} ({id})", self.roster.name_of(id)))
                .unwrap_or_default();
            let away: Vec<&str> = self
                .roster
                .engineers
                .iter()
                .filter(|e| e.is_away(day.date))
                .map(|e| e.name.as_str())
                .collect();
            let _ = writeln!(
                out,
                "<tr{class} data-date=\"{date}\" data-name=\"{name}\"><td>{date}</td><td>{weekday}</td><td>{shown}</td><td>{why}</td><td>{away}</td></tr>",
                date = day.date,
                name = escape(&who),
                weekday = day.date.format("%a"),
                shown = if who.is_empty() {
                    "—".to_string()
                } else {
                    escape(&who)
                },
                why = escape(&day.detail(self.roster)),
                away = escape(&away.join(", ")),
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn maintenance(&self, out: &mut String) {
        out.push_str("<section id=\"maintenance\">\n<h2>Upcoming maintenance</h2>\n");
        if self.maintenance.is_empty() {
            out.push_str("<p>None announced.</p>\n</section>\n");
            return;
        }
        out.push_str(
            "<table>\n<thead><tr><th>When (UTC)</th><th>What</th><th>Affects</th></tr></thead>\n<tbody>\n",
        );
        for window in &self.maintenance {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&crate::maintenance::utc_window(window)),
                escape(&window.what),
                escape(&window.affects.join(", ")),
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn footer(&self, out: &mut String) {
        out.push_str("<footer>\n<p>Calendars to subscribe to: <a href=\"team.ics\">the team's</a>");
        for engineer in &self.roster.engineers {
            let _ = write!(
                out,
                ", <a href=\"{}.ics\">{}</a>",
                escape(&engineer.id),
                escape(&engineer.name)
            );
        }
        out.push_str(
            ". For scripts: <a href=\"status.json\">status.json</a>. Published with rota.</p>\n</footer>\n",
        );
    }
}

/// A person's email and phone as links, chat as text (a link when it is a web address): one
/// HTML item each, labelled.
pub(super) fn contact_links(person: &Person) -> Vec<String> {
    let mut items = Vec::new();
    if let Some(email) = &person.email {
        items.push(format!(
            "Email: <a href=\"mailto:{}\">{}</a>",
            escape(&mailto(email)),
            escape(email)
        ));
    }
    if let Some(chat) = &person.chat {
        let web = chat.starts_with("https://") || chat.starts_with("http://");
        items.push(if web && is_safe_url(chat) {
            format!("Chat: <a href=\"{}\">{}</a>", escape(chat), escape(chat))
        } else {
            format!("Chat: {}", escape(chat))
        });
    }
    if let Some(phone) = &person.phone {
        items.push(match tel(phone) {
            Some(number) => format!("Phone: <a href=\"tel:{number}\">{}</a>", escape(phone)),
            None => format!("Phone: {}", escape(phone)),
        });
    }
    items
}

/// An email address as a `mailto:` target: anything but the characters of a plain address
/// percent-encoded, so the file cannot add headers or a body.
fn mailto(email: &str) -> String {
    let mut out = String::new();
    for byte in email.bytes() {
        if byte.is_ascii_alphanumeric() || b"@.-_+".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A phone number as a `tel:` target: its digits, with a leading `+` kept; none without
/// digits.
fn tel(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let plus = if phone.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    Some(format!("{plus}{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_digits_and_addresses_cannot_add_headers() {
        assert_eq!(tel("+420 555-0100").as_deref(), Some("+4205550100"));
        assert_eq!(tel("(555) 0100 ext. 2").as_deref(), Some("55501002"));
        assert_eq!(tel("ask the desk"), None);
        assert_eq!(mailto("alice@example.org"), "alice@example.org");
        assert_eq!(
            mailto("a@x.org?bcc=b@y.org\""),
            "a@x.org%3Fbcc%3Db@y.org%22"
        );
    }
}
