//! `rota publish DIR`: the page parsed with a real HTML5 parser (scraper, html5ever) for what
//! it shows and what it must not do, the calendars and status.json against the commands that
//! print them, byte-identical reruns, and a playbook that would lead outside the team.

use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use crate::common::{self, TEAM, Team, json};

const NOW: &str = "2026-12-14T10:15:00+01:00";
/// The start of `NOW`'s team day: what the page is as of.
const DAY_START: &str = "2026-12-14T00:00:00+01:00";

const PLAYBOOK: &str = "# When it breaks\n\n1. Look at the dashboards\n2. Call the duty manager\n\nSee [the runbooks](runbooks/index.md).\n";

/// The suite's team with an escalation list, an absence, a playbook and maintenance windows
/// (one over, two ahead, written out of order).
fn team() -> Team {
    let list = TEAM
        .replace(
            "holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]\n",
            "holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]\nescalation = [\"alice\", \"Duty manager: +420 555 0199\"]\nplaybook = \"PLAYBOOK.md\"\n",
        )
        .replace(
            "email = \"bob@example.org\"\n",
            "email = \"bob@example.org\"\naway = [{ from = 2026-12-15, to = 2026-12-16 }]\n",
        )
        + "\n[[maintenance]]\nstart = 2027-01-05T20:00:00Z\nend = 2027-01-05T22:00:00Z\nwhat = \"Database upgrade\"\naffects = [\"api\", \"billing\"]\n\
           \n[[maintenance]]\nstart = 2026-12-01T20:00:00Z\nend = 2026-12-01T21:00:00Z\nwhat = \"Over already\"\n\
           \n[[maintenance]]\nstart = 2026-12-20T06:00:00Z\nend = 2026-12-20T07:30:00Z\nwhat = \"Network switch\"\naffects = [\"vpn\"]\n";
    let team = Team::with_list(&list);
    team.write("PLAYBOOK.md", PLAYBOOK);
    team
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &ElementRef) -> String {
    element.text().collect()
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css).iter().map(text).collect()
}

fn attrs(html: &Html, css: &str, name: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .map(|e| e.value().attr(name).unwrap().to_string())
        .collect()
}

fn publish(team: &Team, now: &str) -> std::process::Output {
    let output = team.rota(now, &["publish", "public"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn page(team: &Team) -> Html {
    Html::parse_document(&team.read("public/index.html"))
}

/// Every file of `dir`, name and bytes (as text, for a readable failure), in name order.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                String::from_utf8(std::fs::read(e.path()).unwrap()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_page_says_who_is_on_call_how_to_reach_them_and_what_is_ahead() {
    let team = team();
    let output = publish(&team, NOW);
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "Published Cloud SRE's page to public (as of 2026-12-14):\n\
         \x20 index.html   written\n  status.json  written\n  team.ics     written\n\
         \x20 alice.ics    written\n  bob.ics      written\n  carol.ics    written\n\
         \x20 dave.ics     written\n  erin.ics     written\n"
    );
    let html = page(&team);
    let who = json(&team.rota(DAY_START, &["who", "--json"]).output().unwrap());
    let on_call = &who["on_call"];

    assert_eq!(texts(&html, "header h1"), ["Cloud SRE: on call"]);
    assert_eq!(
        texts(&html, "#as-of"),
        ["As of Mon 2026-12-14, the team's day (Europe/Prague)."]
    );
    assert_eq!(
        texts(&html, "#on-call .name"),
        [on_call["name"].as_str().unwrap()]
    );
    assert_eq!(
        attrs(&html, "#on-call a", "href"),
        [format!("mailto:{}", on_call["email"].as_str().unwrap())]
    );
    assert_eq!(
        texts(&html, "#next strong"),
        [who["next"]["name"].as_str().unwrap()]
    );
    // Alice, first to escalate to, has every kind of contact.
    assert_eq!(
        texts(&html, "#escalation > ol > li > strong"),
        ["Alice Novak"]
    );
    assert_eq!(
        attrs(&html, "#escalation a", "href"),
        ["mailto:alice@example.org", "tel:+4205550100"]
    );
    assert_eq!(
        texts(&html, "#escalation li li"),
        [
            "Email: alice@example.org",
            "Chat: @alice",
            "Phone: +420 555 0100",
            "Time zone: America/New_York (UTC-05:00) ",
        ]
    );
    assert_eq!(
        texts(&html, "#escalation > ol > li:nth-child(2)"),
        ["Duty manager: +420 555 0199"]
    );

    // The schedule's working days, one algorithm with `rota schedule`, and the holidays
    // between them marked.
    let schedule = json(&team.rota(NOW, &["schedule", "--json"]).output().unwrap());
    let mut expected: Vec<[String; 5]> = schedule
        .as_array()
        .unwrap()
        .iter()
        .map(|day| {
            let date = day["date"].as_str().unwrap();
            [
                date.to_string(),
                day["weekday"].as_str().unwrap().to_string(),
                format!(
                    "{} ({})",
                    day["name"].as_str().unwrap(),
                    day["engineer"].as_str().unwrap()
                ),
                if day["today"].as_bool().unwrap() {
                    "today".to_string()
                } else {
                    String::new()
                },
                if ["2026-12-15", "2026-12-16"].contains(&date) {
                    "Bob Dvořák".to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    assert_eq!(expected.len(), 20);
    for (date, weekday) in [
        ("2026-12-24", "Thu"),
        ("2026-12-25", "Fri"),
        ("2026-12-31", "Thu"),
        ("2027-01-01", "Fri"),
    ] {
        expected.push([
            date.to_string(),
            weekday.to_string(),
            "—".to_string(),
            "off".to_string(),
            String::new(),
        ]);
    }
    expected.sort();
    let rows: Vec<[String; 5]> = select(&html, "#schedule tbody tr")
        .iter()
        .map(|row| {
            let cells: Vec<String> = row.child_elements().map(|c| text(&c)).collect();
            [
                cells[0].clone(),
                cells[1].clone(),
                cells[2].clone(),
                row.value().attr("class").unwrap_or("").to_string(),
                cells[4].clone(),
            ]
        })
        .collect();
    assert_eq!(rows, expected);

    assert_eq!(
        texts(&html, "#maintenance tbody tr"),
        [
            "2026-12-20 06:00–07:30 UTCNetwork switchvpn",
            "2027-01-05 20:00–22:00 UTCDatabase upgradeapi, billing",
        ]
    );
    assert_eq!(texts(&html, "#playbook h1"), ["When it breaks"]);
    assert_eq!(
        texts(&html, "#playbook ol li"),
        ["Look at the dashboards", "Call the duty manager"]
    );
    assert_eq!(attrs(&html, "#playbook a", "href"), ["runbooks/index.md"]);

    // Nothing is fetched from anywhere: no external script, style sheet, image or frame.
    for css in [
        "script[src]",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "[src]",
    ] {
        assert_eq!(select(&html, css).len(), 0, "{css}");
    }
    assert_eq!(select(&html, "style").len(), 1);
    assert_eq!(select(&html, "script").len(), 1);
    let links = attrs(&html, "a", "href");
    assert_eq!(
        links
            .iter()
            .filter(|href| !href.starts_with("mailto:") && !href.starts_with("tel:"))
            .collect::<Vec<_>>(),
        [
            "runbooks/index.md",
            "team.ics",
            "alice.ics",
            "bob.ics",
            "carol.ics",
            "dave.ics",
            "erin.ics",
            "status.json"
        ]
    );

    // status.json is `who --json` as of the day's start, and the calendars are
    // `schedule --ics`'s.
    let at = |args: &[&str]| team.rota(NOW, args).output().unwrap().stdout;
    assert_eq!(
        std::fs::read(team.path("public/status.json")).unwrap(),
        team.rota(DAY_START, &["who", "--json"])
            .output()
            .unwrap()
            .stdout
    );
    assert_eq!(
        std::fs::read(team.path("public/team.ics")).unwrap(),
        at(&["schedule", "--ics"])
    );
    for id in ["alice", "bob", "carol", "dave", "erin"] {
        assert_eq!(
            std::fs::read(team.path(&format!("public/{id}.ics"))).unwrap(),
            at(&["schedule", "--ics", "--engineer", id]),
            "{id}"
        );
    }
}

#[test]
fn hostile_names_and_playbook_html_stay_text() {
    let list = TEAM
        .replace(
            "name = \"Alice Novak\"",
            "name = \"<script>alert(1)</script>\"",
        )
        .replace(
            "name = \"Bob Dvořák\"",
            "name = '\"><img src=x onerror=alert(1)>'",
        )
        .replace("chat = \"@alice\"", "chat = \"javascript:alert(1)\"")
        .replace(
            "email = \"alice@example.org\"",
            "email = \"a@example.org?bcc=all@example.org\\\"\"",
        )
        .replace(
            "holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]\n",
            "holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]\nescalation = [\"alice\", \"bob\"]\nplaybook = \"PLAYBOOK.md\"\n",
        );
    let team = Team::with_list(&list);
    team.write(
        "PLAYBOOK.md",
        "# Steps\n\n<script>alert(2)</script>\n\nClick <img src=x onerror=alert(3)> [here](javascript:alert(4)) or [there](JaVaScRiPt:alert(5)) [again](&#106;avascript:alert(6)) ![pic](https://tracker.example/p.png)\n",
    );
    publish(&team, NOW);
    let html = page(&team);

    // The page's own script is the only one, and no element came from the files.
    assert_eq!(select(&html, "script").len(), 1);
    assert_eq!(select(&html, "img").len(), 0);
    assert_eq!(select(&html, "[onerror]").len(), 0);
    assert_eq!(
        texts(&html, "#escalation > ol > li > strong"),
        [
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>"
        ]
    );
    assert_eq!(
        attrs(&html, "#escalation a", "href"),
        [
            "mailto:a@example.org%3Fbcc%3Dall@example.org%22",
            "tel:+4205550100",
            "mailto:bob@example.org"
        ]
    );
    assert_eq!(
        texts(&html, "#escalation li li:nth-child(2)"),
        [
            "Chat: javascript:alert(1)",
            "Time zone: Europe/Prague (UTC+01:00) "
        ]
    );
    // Quotes inside an attribute stay inside it.
    let names = attrs(&html, "#schedule tr[data-name]", "data-name");
    assert!(
        names.contains(&"\"><img src=x onerror=alert(1)> (bob)".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"<script>alert(1)</script> (alice)".to_string()),
        "{names:?}"
    );

    assert_eq!(
        texts(&html, "#playbook .playbook > *"),
        [
            "Steps",
            "Click <img src=x onerror=alert(3)> here or there again pic",
        ]
    );
    assert_eq!(
        text(&select(&html, "#playbook .playbook").remove(0)),
        "\nSteps\n<script>alert(2)</script>\nClick <img src=x onerror=alert(3)> here or there again pic\n"
    );
    assert_eq!(
        attrs(&html, "#playbook a", "href"),
        ["#", "#", "#", "https://tracker.example/p.png"]
    );
    for href in attrs(&html, "a", "href") {
        let plain: String = href
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(!plain.starts_with("javascript:"), "{href}");
    }
}

#[test]
fn the_same_files_on_the_same_day_give_the_same_bytes() {
    let team = team();
    std::fs::create_dir(team.path("public")).unwrap();
    team.write("public/CNAME", "oncall.example.org\n");
    publish(&team, "2026-12-14T08:05:07+01:00");
    let first = files(&team.path("public"));
    // After the handover time (17:00), still the same day and the same files.
    let again = publish(&team, "2026-12-14T18:42:10+01:00");
    assert_eq!(files(&team.path("public")), first);
    assert_eq!(
        String::from_utf8(again.stdout).unwrap(),
        "Published Cloud SRE's page to public (as of 2026-12-14):\n\
         \x20 index.html   unchanged\n  status.json  unchanged\n  team.ics     unchanged\n\
         \x20 alice.ics    unchanged\n  bob.ics      unchanged\n  carol.ics    unchanged\n\
         \x20 dave.ics     unchanged\n  erin.ics     unchanged\n"
    );
    // The unrelated file is still there, as it was.
    assert_eq!(team.read("public/CNAME"), "oncall.example.org\n");
    let names: Vec<String> = first.into_iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        [
            "CNAME",
            "alice.ics",
            "bob.ics",
            "carol.ics",
            "dave.ics",
            "erin.ics",
            "index.html",
            "status.json",
            "team.ics"
        ]
    );
    let listed = json(
        &team
            .rota(
                "2026-12-14T10:15:42+01:00",
                &["publish", "public", "--json"],
            )
            .output()
            .unwrap(),
    );
    let files: Vec<serde_json::Value> = [
        "index.html",
        "status.json",
        "team.ics",
        "alice.ics",
        "bob.ics",
        "carol.ics",
        "dave.ics",
        "erin.ics",
    ]
    .map(|name| serde_json::json!({"name": name, "changed": false}))
    .into();
    assert_eq!(
        listed,
        serde_json::json!({"dir": "public", "as_of": "2026-12-14", "files": files})
    );
}

#[test]
fn a_playbook_outside_the_team_directory_is_refused_and_nothing_is_written() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# secret\n").unwrap();

    let team = team();
    std::fs::remove_file(team.path("PLAYBOOK.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), team.path("PLAYBOOK.md")).unwrap();
    let output = team.rota(NOW, &["publish", "public"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let root = std::fs::canonicalize(team.dir.path()).unwrap();
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "rota: error: team.playbook \"PLAYBOOK.md\" leads outside the team's directory: rota reads only inside {}\nhint: replace the symlink with the file itself; nothing was written\n",
            root.display()
        )
    );
    assert!(!team.path("public").exists());

    let escaping = Team::with_list(&TEAM.replace(
        "holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]\n",
        "holidays = [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]\nplaybook = \"../PLAYBOOK.md\"\n",
    ));
    let output = escaping.rota(NOW, &["publish", "public"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "rota: error: team.playbook \"../PLAYBOOK.md\" leaves the team's directory\n \
             --> {}/on-call-list.toml:6:12\n  |\n6 | playbook = \"../PLAYBOOK.md\"\n  |            ^^^^^^^^^^^^^^^^\n\
             hint: name a Markdown file relative to on-call-list.toml, without `..` or a leading `/`, like \"PLAYBOOK.md\"\n",
            escaping.dir.path().display()
        )
    );
    assert!(!escaping.path("public").exists());
}

/// The inline script, run by a real browser (skipped where none is installed, failed under CI):
/// a page made on Monday and read on Wednesday marks Wednesday's row and says whose day it is.
#[test]
fn a_browser_marks_the_readers_today_on_an_older_page() {
    let Some(browser) = common::browser() else {
        return;
    };
    let team = team();
    publish(&team, NOW);
    let page = std::fs::canonicalize(team.path("public/index.html")).unwrap();
    let dump = |query: &str| {
        Html::parse_document(&common::dump_dom(
            browser,
            &format!("file://{}{query}", page.display()),
        ))
    };
    // Wednesday's engineer as the schedule had it when the page was made.
    let schedule = json(&team.rota(NOW, &["schedule", "--json"]).output().unwrap());
    let wednesday = schedule
        .as_array()
        .unwrap()
        .iter()
        .find(|day| day["date"] == "2026-12-16")
        .unwrap();
    let later = dump("?today=2026-12-16");
    assert_eq!(attrs(&later, "tr.today", "data-date"), ["2026-12-16"]);
    assert_eq!(
        texts(&later, "#later"),
        [format!(
            "By your clock it is 2026-12-16, after this page was made: the schedule gives today to {} ({}).",
            wednesday["name"].as_str().unwrap(),
            wednesday["engineer"].as_str().unwrap()
        )]
    );
    assert_eq!(attrs(&later, "#later[hidden]", "id").len(), 0);
    // A weekend: the next working day's engineer.
    let weekend = dump("?today=2026-12-19");
    assert_eq!(select(&weekend, "tr.today").len(), 0);
    let monday = &attrs(&weekend, "tr[data-date='2026-12-21']", "data-name")[0];
    assert_eq!(
        texts(&weekend, "#later"),
        [format!(
            "By your clock it is 2026-12-19, after this page was made: today is not a working day; next on call: {monday} on 2026-12-21."
        )]
    );
    // A holiday: nobody, and why.
    let holiday = dump("?today=2026-12-24");
    assert_eq!(attrs(&holiday, "tr.today", "data-date"), ["2026-12-24"]);
    assert_eq!(
        texts(&holiday, "#later"),
        [
            "By your clock it is 2026-12-24, after this page was made: no one is on call today (holiday)."
        ]
    );
    // The weekend after the holidays: the next working day's engineer.
    let before_holidays = dump("?today=2026-12-26");
    let monday = &attrs(&before_holidays, "tr[data-date='2026-12-28']", "data-name")[0];
    assert_eq!(
        texts(&before_holidays, "#later"),
        [format!(
            "By your clock it is 2026-12-26, after this page was made: today is not a working day; next on call: {monday} on 2026-12-28."
        )]
    );
    // Past the schedule's last day.
    let past = dump("?today=2027-02-01");
    assert_eq!(
        texts(&past, "#later"),
        [
            "By your clock it is 2027-02-01, after this page was made: it is past the last day this page shows."
        ]
    );
    // The day it was made: the page as written.
    let same = dump("?today=2026-12-14");
    assert_eq!(attrs(&same, "tr.today", "data-date"), ["2026-12-14"]);
    assert_eq!(attrs(&same, "#later[hidden]", "id"), ["later"]);
}

/// A file of DIR that is a symlink to elsewhere is replaced by the file, never written through.
#[test]
fn a_symlink_in_dir_is_replaced_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("elsewhere.html");
    std::fs::write(&target, "not yours\n").unwrap();
    let team = team();
    std::fs::create_dir(team.path("public")).unwrap();
    std::os::unix::fs::symlink(&target, team.path("public/index.html")).unwrap();
    publish(&team, NOW);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "not yours\n");
    let written = team.path("public/index.html");
    assert!(!written.is_symlink());
    assert_eq!(texts(&page(&team), "header h1"), ["Cloud SRE: on call"]);
}

/// A playbook that is missing, or larger than 1 MiB, is an error that says what to do, and
/// nothing is written.
#[test]
fn a_missing_or_huge_playbook_is_an_error() {
    let team = team();
    std::fs::remove_file(team.path("PLAYBOOK.md")).unwrap();
    let output = team.rota(NOW, &["publish", "public"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "rota: error: cannot read {}/PLAYBOOK.md: No such file or directory (os error 2)\n\
             hint: create PLAYBOOK.md, or remove `playbook` from [team] in on-call-list.toml\n",
            team.dir.path().display()
        )
    );
    assert!(!team.path("public").exists());

    team.write("PLAYBOOK.md", "x".repeat(1024 * 1024));
    publish(&team, NOW);
    std::fs::remove_dir_all(team.path("public")).unwrap();
    team.write("PLAYBOOK.md", "x".repeat(1024 * 1024 + 1));
    let output = team.rota(NOW, &["publish", "public"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "rota: error: {}/PLAYBOOK.md is larger than 1 MiB\n\
             hint: a playbook is read by people: split it, and link the rest from it\n",
            team.dir.path().display()
        )
    );
    assert!(!team.path("public").exists());
    // Within the size, but a blockquote per character: too much HTML for a page.
    team.write("PLAYBOOK.md", ">".repeat(1024 * 1024 - 1));
    let output = team.rota(NOW, &["publish", "public"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "rota: error: the playbook renders to 26 MiB of HTML, more than a page can hold\n\
         hint: nest fewer quotes and lists; nothing was written\n"
    );
    assert!(!team.path("public").exists());
}

/// An engineer whose id is `team` would overwrite the team's calendar: refused, nothing
/// written.
#[test]
fn an_engineer_called_team_is_refused() {
    let team = Team::with_list(&TEAM.replace("id = \"erin\"", "id = \"team\""));
    let output = team.rota(NOW, &["publish", "public"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "rota: error: engineer id \"team\" would write team.ics, which is the team's calendar\nhint: give the engineer another id in on-call-list.toml; nothing was written\n"
    );
    assert!(!team.path("public").exists());
    // check says so before anyone publishes.
    let line = team
        .list()
        .lines()
        .position(|l| l == "id = \"team\"")
        .unwrap()
        + 1;
    let check = team.rota(NOW, &["check"]).output().unwrap();
    assert_eq!(
        String::from_utf8(check.stdout).unwrap(),
        format!(
            "{}/on-call-list.toml:{line}: warning: engineer id \"team\": rota publish writes the team's calendar as team.ics and refuses this id; give the engineer another id\n",
            team.dir.path().display()
        )
    );
}

/// Files of a pushed commit cannot choose where rota writes or what it publishes: a symlinked
/// DIR leading out of the repository, and a playbook leading into `.git` (a clone's config
/// holds CI credentials), are refused and nothing is written. A directory named outside the
/// repository is the user's own choice.
#[test]
fn a_symlink_cannot_send_the_site_elsewhere_or_publish_gits_files() {
    let team = team();
    let dir = team.dir.path().canonicalize().unwrap();
    common::git(&dir, &["init", "-q"]);
    // The first command in a clone registers rota's merge drivers, and says so.
    team.rota(NOW, &["who"]).assert().success();
    let outside = tempfile::tempdir().unwrap();
    let outside_dir = outside.path().canonicalize().unwrap();
    std::os::unix::fs::symlink(&outside_dir, dir.join("site")).unwrap();
    let shown = |output: std::process::Output| {
        (
            output.status.code(),
            String::from_utf8(output.stderr)
                .unwrap()
                .replace(outside_dir.to_str().unwrap(), "OUTSIDE")
                .replace(dir.to_str().unwrap(), "DIR"),
        )
    };
    assert_eq!(
        shown(team.rota(NOW, &["publish", "site"]).output().unwrap()),
        (
            Some(1),
            "rota: error: site leads outside the team's directory (to OUTSIDE): a symlink in the repository does not choose where rota writes\n\
             hint: name the directory itself (rota publish /srv/www/on-call), or remove the symlink; nothing was written\n"
                .to_string()
        )
    );
    assert_eq!(std::fs::read_dir(&outside_dir).unwrap().count(), 0);
    // Named as itself, the outside directory is written.
    let named = team
        .rota(NOW, &["publish", outside_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(named.status.code(), Some(0));
    assert!(outside_dir.join("index.html").is_file());

    std::fs::remove_file(dir.join("PLAYBOOK.md")).unwrap();
    std::os::unix::fs::symlink(".git/config", dir.join("PLAYBOOK.md")).unwrap();
    assert_eq!(
        shown(team.rota(NOW, &["publish", "public"]).output().unwrap()),
        (
            Some(1),
            "rota: error: DIR/PLAYBOOK.md leads into git's own files (DIR/.git/config): rota reads and writes only the team's files\n\
             hint: replace the symlink with the file itself; nothing was written\n"
                .to_string()
        )
    );
    assert!(!dir.join("public").exists());
}

/// A published file is readable by a web server running as another user: a new file gets a
/// new file's permissions (0644 under the usual umask), not a temporary file's 0600.
#[cfg(unix)]
#[test]
fn published_files_are_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let team = team();
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec '{}' publish public",
            env!("CARGO_BIN_EXE_rota")
        ))
        .current_dir(team.dir.path())
        .env("ROTA_NOW", NOW)
        .env("NO_COLOR", "1")
        .env_remove("ROTA_DIR")
        .output()
        .unwrap();
    assert!(output.status.success());
    for (name, _) in files(&team.path("public")) {
        let mode = std::fs::metadata(team.path(&format!("public/{name}")))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "{name}");
    }
}
