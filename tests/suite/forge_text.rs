//! The log on a forge (issue 19, finding 9): what an engineer types is shown as typed, with
//! the Markdown they chose, and entries written after a handover read as the day's.

use crate::common::{self, Team};

const MON_0914: &str = "2026-11-23T09:14:00+01:00";
const MON_1000: &str = "2026-11-23T10:00:00+01:00";
const MON_1705: &str = "2026-11-23T17:05:00+01:00";
const MON_1730: &str = "2026-11-23T17:30:00+01:00";
const MON_1740: &str = "2026-11-23T17:40:00+01:00";
const TUE_0900: &str = "2026-11-24T09:00:00+01:00";

const HEADER: &str = "# On-call log: Cloud SRE\n\n\
    Kept by `rota`: one section per working day, oldest first; times are UTC.\n\
    rota only appends. Write your own notes anywhere; rota never changes them.\n";

/// What each typed text is written as: raw HTML, a comment, entities and backslashes escaped;
/// what could open a block at the start of a line is text after rota's words on the line, and
/// stays as typed; code spans, emphasis and links stay the engineer's.
const TYPED: [(&str, &str); 10] = [
    (
        "upgraded <ingress-nginx> to 4.11",
        "upgraded \\<ingress-nginx> to 4.11",
    ),
    ("# heading", "# heading"),
    ("```sh", "```sh"),
    ("> quote", "> quote"),
    (
        "<!-- not a comment --> kept",
        "\\<!-- not a comment --> kept",
    ),
    ("1. item", "1. item"),
    (
        "ran `kubectl get pods -l app=<web>` and *twice*",
        "ran `kubectl get pods -l app=<web>` and *twice*",
    ),
    (
        "see [the runbook](https://wiki.example.org/db?a=1&b=2) or <https://grafana.example.org/d/x>",
        "see [the runbook](https://wiki.example.org/db?a=1&b=2) or <https://grafana.example.org/d/x>",
    ),
    (
        "&amp; is not & and C:\\* is a path",
        "\\&amp; is not & and C:\\\\* is a path",
    ),
    ("<db1101:5432> is up", "\\<db1101:5432> is up"),
];

/// Markdown as a forge renders it: CommonMark with GitHub's tables, strikethrough and task lists.
fn forge(text: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(text, options));
    out
}

fn log(team: &Team, now: &str, who: &str, text: &str) -> String {
    let output = team
        .rota(now, &["log", text])
        .env("ROTA_USER", who)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn typed_text_is_written_escaped_and_read_as_typed() {
    let team = Team::new();
    for (typed, written) in TYPED {
        // rota prints the line as the log holds it.
        assert_eq!(
            log(&team, MON_0914, "alice", typed),
            format!("- 08:14 UTC alice: {written}\n")
        );
    }
    let lines: String = TYPED
        .iter()
        .map(|(_, written)| format!("- 08:14 UTC alice: {written}\n"))
        .collect();
    assert_eq!(
        team.log(),
        format!("{HEADER}\n## 2026-11-23 Mon\n\n{lines}")
    );
    // Every reader shows what was typed.
    let typed: String = TYPED
        .iter()
        .map(|(typed, _)| format!("08:14 UTC alice: {typed}\n"))
        .collect();
    team.rota(MON_1000, &["log"])
        .assert()
        .success()
        .stdout(typed);
    let listed = team
        .rota(MON_1000, &["log", "--list", "--json"])
        .output()
        .unwrap();
    let texts: Vec<String> = common::json(&listed)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts, TYPED.map(|(typed, _)| typed.to_string()));
    team.rota(MON_1000, &["log", "--list", "--grep", "ingress-nginx"])
        .assert()
        .success()
        .stdout("2026-11-23 08:14 UTC alice: upgraded <ingress-nginx> to 4.11\n");
    // A forge shows the words, as a list of the day; the chosen Markdown renders.
    assert_eq!(
        forge(&team.log()),
        "<h1>On-call log: Cloud SRE</h1>\n\
         <p>Kept by <code>rota</code>: one section per working day, oldest first; times are UTC.\n\
         rota only appends. Write your own notes anywhere; rota never changes them.</p>\n\
         <h2>2026-11-23 Mon</h2>\n\
         <ul>\n\
         <li>08:14 UTC alice: upgraded &lt;ingress-nginx&gt; to 4.11</li>\n\
         <li>08:14 UTC alice: # heading</li>\n\
         <li>08:14 UTC alice: ```sh</li>\n\
         <li>08:14 UTC alice: &gt; quote</li>\n\
         <li>08:14 UTC alice: &lt;!-- not a comment --&gt; kept</li>\n\
         <li>08:14 UTC alice: 1. item</li>\n\
         <li>08:14 UTC alice: ran <code>kubectl get pods -l app=&lt;web&gt;</code> and <em>twice</em></li>\n\
         <li>08:14 UTC alice: see <a href=\"https://wiki.example.org/db?a=1&amp;b=2\">the runbook</a> or <a href=\"https://grafana.example.org/d/x\">https://grafana.example.org/d/x</a></li>\n\
         <li>08:14 UTC alice: &amp;amp; is not &amp; and C:\\* is a path</li>\n\
         <li>08:14 UTC alice: &lt;db1101:5432&gt; is up</li>\n\
         </ul>\n"
    );
    team.rota(MON_1000, &["check"]).assert().success();
}

#[test]
fn a_note_and_open_items_are_written_escaped_and_carried_as_typed() {
    let team = Team::new();
    let note = "<b>check</b> the <ingress-nginx> pods & &amp; `kubectl top <pod>`";
    let open = "<ingress-nginx> 4.11: roll back if 5xx > 1% \\";
    team.rota(
        MON_1705,
        &["handover", "--yes", "--note", note, "--open", open],
    )
    .env("ROTA_USER", "carol")
    .assert()
    .success();
    let log = team.log();
    let record = &log[log.find("+ [ ]").unwrap()..];
    assert_eq!(
        record,
        "+ [ ] 16:05 UTC carol: open: \\<ingress-nginx> 4.11: roll back if 5xx > 1% \\\\\n\n\
         Note for erin: \\<b>check\\</b> the \\<ingress-nginx> pods & \\&amp; `kubectl top <pod>`\n\n\
         Round 1: ~~carol~~, **erin**, dave, alice, bob\n"
    );
    let who = common::json(&team.rota(TUE_0900, &["who", "--json"]).output().unwrap());
    assert_eq!(
        who["carried"],
        serde_json::json!({
            "from": "carol",
            "to": "erin",
            "written": "2026-11-23",
            "time_utc": "16:05",
            "note": note,
            "open_items": [open],
        })
    );
    assert_eq!(
        forge(record),
        "<ul>\n<li><input disabled=\"\" type=\"checkbox\"/>\n\
         16:05 UTC carol: open: &lt;ingress-nginx&gt; 4.11: roll back if 5xx &gt; 1% \\</li>\n</ul>\n\
         <p>Note for erin: &lt;b&gt;check&lt;/b&gt; the &lt;ingress-nginx&gt; pods &amp; &amp;amp; \
         <code>kubectl top &lt;pod&gt;</code></p>\n\
         <p>Round 1: <del>carol</del>, <strong>erin</strong>, dave, alice, bob</p>\n"
    );
    // The next handover carries the item as typed, and closes it by its text.
    team.rota(
        "2026-11-24T17:05:00+01:00",
        &["handover", "--yes", "--done", open],
    )
    .env("ROTA_USER", "erin")
    .assert()
    .success();
    assert!(
        team.log().contains(
            "+ [x] 16:05 UTC erin: done: \\<ingress-nginx> 4.11: roll back if 5xx > 1% \\\\\n"
        ),
        "{}",
        team.log()
    );
}

/// Entries after a handover go under a `### Log` heading of their own: on a forge they read
/// as the day's entries, not as part of the record.
#[test]
fn entries_after_a_handover_read_as_the_days() {
    let team = Team::new();
    log(&team, MON_0914, "carol", "morning");
    team.rota(MON_1705, &["handover", "--yes"])
        .env("ROTA_USER", "carol")
        .assert()
        .success();
    let handed_over = team.log();
    assert_eq!(
        log(&team, MON_1730, "carol", "after the handover"),
        "- 16:30 UTC carol: after the handover\n"
    );
    log(&team, MON_1740, "erin", "and later");
    assert_eq!(
        &team.log()[handed_over.len()..],
        "\n### Log 16:30 UTC\n\n\
         - 16:30 UTC carol: after the handover\n\
         - 16:40 UTC erin: and later\n"
    );
    assert_eq!(
        team.log(),
        format!(
            "{HEADER}\n## 2026-11-23 Mon\n\n\
             - 08:14 UTC carol: morning\n\n\
             ### Handover 16:05 UTC: carol → erin\n\n\
             - Served: Mon 2026-11-23 (carol)\n\
             - Next: Tue 2026-11-24 (erin)\n\n\
             * [x] Answered every open question in #support\n\
             * [x] Checked the consoles\n\
             * [x] Updated the runbooks\n\n\
             Round 1: ~~carol~~, **erin**, dave, alice, bob\n\n\
             ### Log 16:30 UTC\n\n\
             - 16:30 UTC carol: after the handover\n\
             - 16:40 UTC erin: and later\n"
        )
    );
    let html = forge(&team.log());
    assert!(
        html.ends_with(
            "<p>Round 1: <del>carol</del>, <strong>erin</strong>, dave, alice, bob</p>\n\
             <h3>Log 16:30 UTC</h3>\n\
             <ul>\n<li>16:30 UTC carol: after the handover</li>\n<li>16:40 UTC erin: and later</li>\n</ul>\n"
        ),
        "{html}"
    );
    // The day's entries, the record and the rotation read as before.
    team.rota(MON_1740, &["log"]).assert().success().stdout(
        "08:14 UTC carol: morning\n16:30 UTC carol: after the handover\n16:40 UTC erin: and later\n",
    );
    assert_eq!(
        team.on_call(TUE_0900),
        ("erin".to_string(), "2026-11-24".to_string())
    );
    team.rota(MON_1740, &["check"])
        .assert()
        .success()
        .stderr("rota: check passed: 0 errors, 0 warnings\n");
    // The next day starts its own section, with no `### Log` heading.
    log(&team, TUE_0900, "erin", "tuesday");
    assert!(
        team.log().ends_with(
            "- 16:40 UTC erin: and later\n\n## 2026-11-24 Tue\n\n- 08:00 UTC erin: tuesday\n"
        ),
        "{}",
        team.log()
    );
    // An undo is a record too: the entries after it get their own heading.
    let team = Team::new();
    team.rota(MON_1705, &["handover", "--yes"])
        .env("ROTA_USER", "carol")
        .assert()
        .success();
    team.rota(MON_1730, &["handover", "--undo"])
        .env("ROTA_USER", "carol")
        .assert()
        .success();
    log(&team, MON_1740, "carol", "still on call");
    assert!(
        team.log().ends_with(
            "- On call again: carol (Mon 2026-11-23)\n\n### Log 16:40 UTC\n\n- 16:40 UTC carol: still on call\n"
        ),
        "{}",
        team.log()
    );
}

/// A log written before `### Log` headings (entries right after a record) reads as before;
/// rota's next entry there opens one, so that it at least reads as the day's.
#[test]
fn an_older_log_with_entries_after_a_record_reads_as_before() {
    let team = Team::new();
    team.rota(MON_1705, &["handover", "--yes"])
        .env("ROTA_USER", "carol")
        .assert()
        .success();
    let mut old = team.log();
    old.push_str("\n- 16:20 UTC carol: written after the record, as rota used to\n");
    team.write("on-call-log.md", &old);
    log(&team, MON_1730, "carol", "now");
    assert_eq!(
        &team.log()[old.len()..],
        "\n### Log 16:30 UTC\n\n- 16:30 UTC carol: now\n"
    );
    team.rota(MON_1740, &["log"]).assert().success().stdout(
        "16:20 UTC carol: written after the record, as rota used to\n16:30 UTC carol: now\n",
    );
    team.rota(MON_1740, &["check"]).assert().success();
}
