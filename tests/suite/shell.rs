//! Searching the log, the team view, colour, completions and the man page.

use crate::common;

use common::{Team, json};

const SUBCOMMANDS: &[&str] = &[
    "who",
    "log",
    "handover",
    "schedule",
    "next",
    "away",
    "holidays",
    "swap",
    "cover",
    "diff",
    "remind",
    "announce",
    "stats",
    "check",
    "init",
    "team",
    "publish",
    "schema",
    "completions",
    "man",
];

fn logged_team() -> Team {
    let team = Team::new();
    let entries = [
        (
            "2026-11-23T09:14:00+01:00",
            "alice",
            "fixed quota drift on ml-lab #quota",
        ),
        (
            "2026-11-23T11:00:00+01:00",
            "bob",
            "restarted the wiki pod #wiki",
        ),
        (
            "2026-11-24T10:00:00+01:00",
            "carol",
            "Quota alert again on ml-lab #Quota #ml-lab",
        ),
        ("2026-11-26T10:00:00+01:00", "bob", "ceph rebalance done"),
    ];
    for (now, who, text) in entries {
        team.rota(now, &["log", "--engineer", who, text])
            .assert()
            .success();
    }
    team.rota(
        "2026-11-24T17:05:00+01:00",
        &["handover", "--yes", "--force"],
    )
    .assert()
    .success();
    team
}

#[test]
fn log_list_filters_by_date_text_author_and_tag() {
    let team = logged_team();
    let now = "2026-11-27T10:00:00+01:00";
    team.rota(now, &["log", "--list"])
        .assert()
        .success()
        .stdout("2026-11-23 08:14 UTC alice: fixed quota drift on ml-lab #quota\n2026-11-23 10:00 UTC bob: restarted the wiki pod #wiki\n2026-11-24 09:00 UTC carol: Quota alert again on ml-lab #Quota #ml-lab\n2026-11-26 09:00 UTC bob: ceph rebalance done\n");
    // A substring, ignoring case: "quota" and "Quota", not "#wiki" nor "ceph".
    team.rota(now, &["log", "--list", "--grep", "QUOTA"])
        .assert()
        .success()
        .stdout(
            "2026-11-23 08:14 UTC alice: fixed quota drift on ml-lab #quota\n\
             2026-11-24 09:00 UTC carol: Quota alert again on ml-lab #Quota #ml-lab\n",
        );
    team.rota(
        now,
        &["log", "--list", "--engineer", "bob", "--from", "2026-11-24"],
    )
    .assert()
    .stdout("2026-11-26 09:00 UTC bob: ceph rebalance done\n");
    team.rota(
        now,
        &["log", "--list", "--until", "2026-11-23", "--tag", "#wiki"],
    )
    .assert()
    .stdout("2026-11-23 10:00 UTC bob: restarted the wiki pod #wiki\n");
    let tagged = json(
        &team
            .rota(now, &["log", "--list", "--tag", "quota", "--json"])
            .output()
            .unwrap(),
    );
    let authors: Vec<&str> = tagged
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["author"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["alice", "carol"]);
    assert_eq!(tagged[1]["tags"], serde_json::json!(["Quota", "ml-lab"]));
    team.rota(now, &["log", "--list", "--engineer", "zed"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "rota: error: \"zed\" is not an engineer of the team\n\
             hint: known ids: alice, bob, carol, dave, erin\n\
             hint: nor has anyone of that id written in the log\n",
        );
}

#[test]
fn log_takes_engineer_and_from_and_still_reads_the_old_names_unlisted() {
    let team = logged_team();
    let now = "2026-11-27T10:00:00+01:00";
    let new = ["log", "--list", "--engineer", "bob", "--from", "2026-11-24"];
    let old = ["log", "--list", "--by", "bob", "--since", "2026-11-24"];
    for args in [&new, &old] {
        team.rota(now, args)
            .assert()
            .success()
            .stdout("2026-11-26 09:00 UTC bob: ceph rebalance done\n")
            .stderr("");
    }
    // `--as` (the old name for writing) writes in that name, like --engineer.
    team.rota(now, &["log", "--as", "erin", "old flag"])
        .assert()
        .success()
        .stdout("- 09:00 UTC erin: old flag\n");
    team.rota(now, &["log", "--engineer", "erin"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("rota: error: --engineer needs a text to log\nhint: rota log --engineer bob \"restarted the wiki pod\"\nhint: or search the log for bob's entries: rota log --list --engineer bob\n");
    // Help names one flag per idea; the old names are hidden aliases.
    let help = team.rota(now, &["log", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    // Every `--word` the help mentions, in order, once each.
    let mut flags: Vec<String> = Vec::new();
    for word in help.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        if word.starts_with("--") && !flags.iter().any(|f| f == word) {
            flags.push(word.to_string());
        }
    }
    assert_eq!(
        flags,
        [
            "--dir",
            "--engineer",
            "--list",
            "--color",
            "--commit",
            "--from",
            "--push",
            "--until",
            "--grep",
            "--tag",
            "--json",
            "--help",
            "--version",
        ]
    );
}

/// A person is one shape: `team --json` rows are `who`'s escalation entries, plus where the
/// engineer stands now.
#[test]
fn team_json_rows_are_the_person_who_shows() {
    let team = Team::with_list(
        &common::TEAM.replace("holidays = [", "escalation = [\"dave\"]\nholidays = ["),
    );
    let now = "2026-11-23T10:00:00+01:00";
    let rows = json(&team.rota(now, &["team", "--json"]).output().unwrap());
    let mut row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "dave")
        .unwrap()
        .clone();
    let row = row.as_object_mut().unwrap();
    assert!(row.remove("working_now").unwrap().is_boolean());
    assert!(row.remove("on_call").unwrap().is_boolean());
    let who = json(&team.rota(now, &["who", "--json"]).output().unwrap());
    assert_eq!(
        &serde_json::Value::Object(row.clone()),
        &who["escalation"][0]
    );
    // The next engineer is the same person, with the first day of their turn.
    let mut next = who["next"].as_object().unwrap().clone();
    assert_eq!(next.remove("date").unwrap(), "2026-11-24");
    let mut erin = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "erin")
        .unwrap()
        .as_object()
        .unwrap()
        .clone();
    erin.remove("working_now");
    erin.remove("on_call");
    assert_eq!(next, erin);
}

#[test]
fn team_shows_who_is_inside_working_hours_now() {
    let team = Team::with_list(&common::TEAM.replace("holidays = [", "working-hours = \"09:00-17:00\"\nescalation = [\"dave\", \"Duty manager: +420 555 0199\"]\nholidays = ["));
    // Who is working now and who is on call, as `team --json` says, for everyone.
    let now_at = |now: &str| -> Vec<(String, bool, bool)> {
        let rows = json(&team.rota(now, &["team", "--json"]).output().unwrap());
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["working_now"].as_bool().unwrap(),
                    r["on_call"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let rows = |rows: [(&str, bool, bool); 5]| {
        rows.map(|(id, working, on_call)| (id.to_string(), working, on_call))
            .to_vec()
    };
    // 10:00 in Prague is 04:00 in New York, where alice works.
    assert_eq!(
        now_at("2026-11-23T10:00:00+01:00"),
        rows([
            ("alice", false, false),
            ("bob", true, false),
            ("carol", true, true),
            ("dave", true, false),
            ("erin", true, false),
        ])
    );
    // 17:30 in Prague is 11:30 in New York: alice is working, Prague has gone home.
    assert_eq!(
        now_at("2026-11-23T17:30:00+01:00"),
        rows([
            ("alice", true, false),
            ("bob", false, false),
            ("carol", false, true),
            ("dave", false, false),
            ("erin", false, false),
        ])
    );
    // On the Sunday before, no one is on call: carol's turn begins on Monday.
    let sunday: Vec<bool> = now_at("2026-11-22T12:00:00+01:00")
        .into_iter()
        .map(|(_, _, on_call)| on_call)
        .collect();
    assert_eq!(sunday, [false; 5]);
    team.rota("2026-11-23T17:30:00+01:00", &["team"])
        .env("COLUMNS", "160")
        .assert()
        .success()
        .stdout(concat!(
            "         Engineer               Contacts                                  Local time                      Now\n",
            "         Alice Novak (alice)    alice@example.org, @alice, +420 555 0100  Mon 11:30 EST America/New_York  working\n",
            "         Bob Dvořák (bob)       bob@example.org                           Mon 17:30 CET Europe/Prague     off (works 09:00–17:00)\n",
            "on call  Carol Jiménez (carol)  carol@example.org                         Mon 17:30 CET Europe/Prague     off (works 09:00–17:00)\n",
            "         Dave Okafor (dave)     dave@example.org                          Mon 17:30 CET Europe/Prague     off (works 09:00–17:00)\n",
            "         Erin Walsh (erin)      erin@example.org                          Mon 17:30 CET Europe/Prague     off (works 09:00–17:00)\n",
        ));
    // The escalation list, in its order, under the engineer on call.
    team.rota("2026-11-23T10:00:00+01:00", &["who"])
        .assert()
        .success()
        .stdout(concat!(
            "On call: Carol Jiménez (carol) · Mon 2026-11-23\n",
            "  email  carol@example.org\n",
            "  local  Mon 10:00 CET (Europe/Prague)\n",
            "  Escalation if carol does not answer:\n",
            "    1. Dave Okafor (dave) · dave@example.org\n",
            "    2. Duty manager: +420 555 0199\n",
            "\n",
            "Next: Erin Walsh (erin) · Tue 2026-11-24\n",
            "\n",
            "Round 1\n",
            "  [>] carol  ← on call\n",
            "  [ ] erin\n",
            "  [ ] dave\n",
            "  [ ] alice\n",
            "  [ ] bob\n",
        ));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let team = Team::new();
    let now = "2026-11-23T10:00:00+01:00";
    let plain = team
        .rota(now, &["who"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!plain.stdout.contains(&0x1b), "piped: no escape codes");
    let forced = team
        .rota(now, &["who", "--color", "always"])
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b), "--color always colours");
    let never = team
        .rota(now, &["who", "--color", "never"])
        .output()
        .unwrap();
    assert!(!never.stdout.contains(&0x1b));
}

/// What `command` (a shell and its arguments) prints, run in the team's directory with the real
/// `rota` first on the PATH; it must succeed.
fn in_shell(team: &Team, command: &[&str]) -> String {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_rota"))
        .parent()
        .unwrap();
    let output = std::process::Command::new(command[0])
        .args(&command[1..])
        .current_dir(team.dir.path())
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("ROTA_NOW", "2026-11-23T10:00:00+01:00")
        .env_remove("ROTA_DIR")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// What rota offers for the last of `words` when a shell asks it (`COMPLETE=bash rota --
/// WORDS`, as the registered scripts do), without a shell: one candidate a line.
fn candidates(team: &Team, words: &[&str]) -> Vec<String> {
    let output = common::rota_process(team.dir.path(), "2026-11-23T10:00:00+01:00")
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// Whether `program` runs here ([`common::tool`]: in CI it must).
fn have(program: &'static str) -> bool {
    common::tool(program).is_some()
}

/// What bash offers after `words` (the last one being completed), with the script `rota
/// completions bash` prints loaded and the real `rota` on the PATH, in the team's directory.
fn bash_completes(team: &Team, script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9; _clap_complete_rota rota '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    in_shell(team, &["bash", "-c", &program])
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The days completion offers on Monday 2026-11-23: today and the next 14.
fn fortnight() -> Vec<String> {
    (23..=30)
        .map(|d| format!("2026-11-{d}"))
        .chain((1..=7).map(|d| format!("2026-12-0{d}")))
        .collect()
}

/// Completions come from the arguments' definitions (clap_complete's dynamic candidates): the
/// team's engineer ids and the coming days where an argument takes them, the commands and
/// flags elsewhere, and nothing of rota's arguments is copied into the scripts.
#[test]
fn completions_offer_engineer_ids_and_days() {
    let team = Team::new();
    let ids = ["alice", "bob", "carol", "dave", "erin"]
        .map(String::from)
        .to_vec();
    let days = fortnight();
    // For an empty word, the values the argument takes, then the flags there are.
    let offered = candidates(&team, &["rota", "away", ""]);
    assert_eq!(offered[..5], ids);
    assert!(
        offered[5..].iter().all(|w| w.starts_with("--")),
        "{offered:?}"
    );
    assert_eq!(candidates(&team, &["rota", "away", "e"]), ["erin"]);
    assert_eq!(candidates(&team, &["rota", "next", "c"]), ["carol"]);
    assert_eq!(
        candidates(
            &team,
            &["rota", "away", "--import", "x.ics", "--engineer", "b"]
        ),
        ["bob"]
    );
    assert_eq!(
        candidates(&team, &["rota", "away", "bob", "2026-11-2"]),
        days[..7].to_vec()
    );
    assert_eq!(
        candidates(&team, &["rota", "cover", "2026-11-24", ""])[..5],
        ids
    );
    assert_eq!(
        candidates(&team, &["rota", "log", "--list", "--engineer", "d"]),
        ["dave"]
    );
    assert_eq!(
        candidates(&team, &["rota", "who", "--date", "2026-12"]),
        days[8..].to_vec()
    );
    assert_eq!(candidates(&team, &["rota", "swap", ""])[..15], days);
    assert_eq!(
        candidates(&team, &["rota", "swap", "2026-11-24", "2026-11-3"]),
        ["2026-11-30"]
    );
    assert_eq!(
        candidates(&team, &["rota", "away", "bob", "2026-11-25", "2026-11-2"]),
        days[..7].to_vec()
    );
    assert_eq!(
        candidates(&team, &["rota", "schedule", "--engineer", "e"]),
        ["erin"]
    );
    assert_eq!(
        candidates(&team, &["rota", "stats", "--until", "2026-12-0"]),
        days[8..].to_vec()
    );
    // The commands, not the hidden ones; then the flags.
    assert_eq!(
        candidates(&team, &["rota", ""])[..21],
        [
            "who",
            "log",
            "handover",
            "schedule",
            "next",
            "away",
            "holidays",
            "swap",
            "cover",
            "announce",
            "stats",
            "diff",
            "remind",
            "check",
            "init",
            "team",
            "publish",
            "schema",
            "completions",
            "man",
            "help"
        ]
    );
    assert_eq!(candidates(&team, &["rota", "sched"]), ["schedule"]);
    // The flags, not the hidden ones that only declare the environment's settings.
    assert_eq!(
        candidates(&team, &["rota", "who", "--"]),
        [
            "--date",
            "--dir",
            "--json",
            "--color",
            "--all",
            "--commit",
            "--push",
            "--help",
            "--version"
        ]
    );
    assert_eq!(candidates(&team, &["rota", "handover", "--un"]), ["--undo"]);
    // ROTA_DIR, declared on --dir, names the team when completing too.
    let elsewhere = tempfile::tempdir().unwrap();
    let output = common::rota_process(elsewhere.path(), "2026-11-23T10:00:00+01:00")
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_IFS", "\n")
        .env("ROTA_DIR", team.dir.path())
        .args(["--", "rota", "next", "b"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "bob");
    // Outside a team: no ids, and no error to print into the terminal.
    let output = common::rota_process(elsewhere.path(), "2026-11-23T10:00:00+01:00")
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_IFS", "\n")
        .args(["--", "rota", "next", ""])
        .output()
        .unwrap();
    assert!(output.status.success());
    let offered = String::from_utf8_lossy(&output.stdout);
    assert!(offered.lines().all(|w| w.starts_with("--")), "{offered}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// The script bash loads hands each word to rota, and offers what rota answers.
#[test]
fn bash_completes_through_rota() {
    if !have("bash") {
        return;
    }
    let team = Team::new();
    let script = team.path("rota.bash");
    team.write(
        "rota.bash",
        team.rota("2026-11-23T10:00:00+01:00", &["completions", "bash"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(
        bash_completes(&team, &script, &["rota", "away", "b"]),
        ["bob"]
    );
    assert_eq!(
        bash_completes(&team, &script, &["rota", "swap", "2026-11-24", "2026-11-3"]),
        ["2026-11-30"]
    );
    assert_eq!(
        bash_completes(&team, &script, &["rota", "sched"]),
        ["schedule"]
    );
}

/// What fish offers for the command line `line` (the last word being completed), with the
/// script rota prints loaded and the real `rota` on the PATH: each candidate without its
/// description.
fn fish_completes(team: &Team, line: &str) -> Vec<String> {
    let program = format!("rota completions fish | source; complete -C '{line}'");
    in_shell(team, &["fish", "--no-config", "-c", &program])
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

/// fish offers ids and days where an argument takes them, as rota answers.
#[test]
fn fish_offers_ids_and_days_where_arguments_take_them() {
    if !have("fish") {
        return;
    }
    let team = Team::new();
    let ids = ["alice", "bob", "carol", "dave", "erin"];
    let days = fortnight();
    assert_eq!(fish_completes(&team, "rota away ")[..5], ids);
    assert_eq!(fish_completes(&team, "rota away bob ")[..15], days);
    assert_eq!(
        fish_completes(&team, "rota away bob 2026-11-24 2026-11-2"),
        days[..7]
    );
    assert_eq!(fish_completes(&team, "rota cover ")[..15], days);
    assert_eq!(fish_completes(&team, "rota cover 2026-11-24 ")[..5], ids);
    assert_eq!(
        fish_completes(&team, "rota swap 2026-11-24 2026-12"),
        days[8..]
    );
    assert_eq!(fish_completes(&team, "rota next c"), ["carol"]);
    assert_eq!(
        fish_completes(&team, "rota ").join(" "),
        "who log handover schedule next away holidays swap cover announce stats diff remind check init team publish schema completions man help --dir --color --commit --push --help --version"
    );
}

/// What zsh offers for `words` (the last one being completed), with the script rota prints
/// loaded: its completion function run as compinit would, `_describe` showing the values.
fn zsh_completes(team: &Team, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "compdef() {{ :; }}; _describe() {{ local name=${{@[-1]}}; print -l -- ${{(P)name}}; }}; \
         source <(rota completions zsh); words=({}); CURRENT={}; _clap_dynamic_completer_rota",
        quoted.join(" "),
        words.len()
    );
    in_shell(team, &["zsh", "-f", "-c", &program])
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect()
}

/// zsh offers ids and days where an argument takes them, as rota answers.
#[test]
fn zsh_offers_ids_and_days_where_arguments_take_them() {
    if !have("zsh") {
        return;
    }
    let team = Team::new();
    let ids = ["alice", "bob", "carol", "dave", "erin"];
    let days = fortnight();
    assert_eq!(zsh_completes(&team, &["rota", "away", ""])[..5], ids);
    assert_eq!(zsh_completes(&team, &["rota", "cover", ""])[..15], days);
    assert_eq!(
        zsh_completes(&team, &["rota", "cover", "2026-11-24", ""])[..5],
        ids
    );
    assert_eq!(zsh_completes(&team, &["rota", "next", "c"]), ["carol"]);
}

/// The scripts hold no argument of rota's: each only hands the words to rota.
#[test]
fn completion_scripts_hand_every_word_to_rota() {
    let team = Team::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = String::from_utf8(
            team.rota("2026-11-23T10:00:00+01:00", &["completions", shell])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert!(
            script.contains("COMPLETE=") || script.contains("COMPLETE=\""),
            "{shell}: {script}"
        );
        for word in ["away", "swap", "--engineer", "--date", "merge-driver"] {
            assert!(!script.contains(word), "{shell} names {word}: {script}");
        }
    }
}

#[test]
fn the_man_page_mentions_every_subcommand() {
    let output = Team::new()
        .rota("2026-11-23T10:00:00+01:00", &["man"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH rota"),
        "{}",
        &page[..200.min(page.len())]
    );
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("rota\\-{sub}")),
            "the man page lacks {sub}"
        );
    }
}

#[test]
fn tables_fit_80_columns_when_piped_unless_columns_says_otherwise() {
    let team = Team::with_list(
        &common::TEAM
            .replace(
                "name = \"Bob Dvořák\"",
                "name = \"Bartholomew Dvořák-Montgomery-Wellington\"",
            )
            .replace(
                "email = \"bob@example.org\"",
                "email = \"bartholomew.dvorak-montgomery@engineering.example.org\"",
            ),
    );
    let now = "2026-11-23T10:00:00+01:00";
    let output = team.rota(now, &["team"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let expected = [
        "         Engineer            Contacts            Local time         Now",
        "         Alice Novak         alice@example.org,  Mon 04:00 EST      off (works",
        "         (alice)             @alice, +420 555    America/New_York   09:00–17:00)",
        "                             0100",
        "         Bartholomew Dvořák  bartholomew.dvorak  Mon 10:00 CET      working",
        "         -Montgomery-Wellin  -montgomery@engine  Europe/Prague",
        "         gton (bob)          ering.example.org",
        "on call  Carol Jiménez       carol@example.org   Mon 10:00 CET      working",
        "         (carol)                                 Europe/Prague",
        "         Dave Okafor (dave)  dave@example.org    Mon 10:00 CET      working",
        "                                                 Europe/Prague",
        "         Erin Walsh (erin)   erin@example.org    Mon 10:00 CET      working",
        "                                                 Europe/Prague",
    ]
    .join("\n")
        + "\n";
    assert_eq!(text, expected);
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // A wider COLUMNS: one line per engineer, as before.
    let wide = team
        .rota(now, &["team"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert_eq!(
        wide.lines().nth(2),
        Some(
            "         Bartholomew Dvořák-Montgomery-Wellington (bob)  bartholomew.dvorak-montgomery@engineering.example.org  Mon 10:00 CET Europe/Prague     working"
        )
    );
    assert_eq!(wide.lines().count(), 6);
    // The schedule fits as it is: unchanged.
    team.rota(now, &["schedule", "--days", "2"])
        .assert()
        .success()
        .stdout("Date        Day  On call                Why\n2026-11-23  Mon  Carol Jiménez (carol)  today · round 1 starts\n2026-11-24  Tue  Erin Walsh (erin)      rotation\n");
}

#[test]
fn man_out_writes_every_page_rota_1_refers_to() {
    let team = Team::new();
    let out = team.path("man");
    team.rota(
        "2026-11-23T10:00:00+01:00",
        &["man", "--out", out.to_str().unwrap()],
    )
    .assert()
    .success()
    .stdout("")
    .stderr(format!(
        "rota: wrote 22 man pages to {}: rota.1 and rota-COMMAND.1 for each command
",
        out.display()
    ));
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = SUBCOMMANDS
        .iter()
        .chain(&["help"])
        .map(|s| format!("rota-{s}.1"))
        .chain(["rota.1".to_string()])
        .collect();
    expected.sort();
    assert_eq!(files, expected);
    // Every page rota.1 names exists.
    let main = std::fs::read_to_string(out.join("rota.1")).unwrap();
    let mut named: Vec<String> = main
        .split("rota\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name.to_string()))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase()))
        .map(|name| format!("rota-{name}.1"))
        .collect();
    named.sort();
    named.dedup();
    assert_eq!(named, expected[..expected.len() - 1]);
    let who = std::fs::read_to_string(out.join("rota-who.1")).unwrap();
    assert!(who.contains(".TH rota-who 1"), "{who}");
}

/// A terminal that reports no width (0 columns, as some containers' pseudo-terminals do) gets
/// a table 80 columns wide, as a pipe does, rather than one squeezed to nothing.
#[cfg(unix)]
#[test]
fn a_terminal_without_a_width_gets_eighty_columns() {
    use std::io::Read;
    let team = Team::new();
    let mut command = common::rota_process(team.dir.path(), "2026-11-23T17:30:00+01:00");
    let rota = env!("CARGO_BIN_EXE_rota");
    command = {
        let mut sh = std::process::Command::new("sh");
        sh.args(["-c", &format!("stty cols 0 rows 0 && exec '{rota}' team")]);
        sh.current_dir(team.dir.path());
        sh.envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))));
        sh.env_remove("COLUMNS");
        sh
    };
    let process = rexpect::process::PtyProcess::new(command).unwrap();
    let mut shown = Vec::new();
    // The terminal reads EIO once the process has gone: what came before is kept.
    let _ = process.get_file_handle().unwrap().read_to_end(&mut shown);
    let shown = String::from_utf8_lossy(&shown).replace("\r\n", "\n");
    let widths: Vec<usize> = shown.lines().map(|l| l.chars().count()).collect();
    assert_eq!(widths, [80; 15], "{shown}");
}

/// The escalation list leaves out the engineer on call: they are no one's way of reaching
/// themselves (text and JSON alike).
#[test]
fn escalation_leaves_out_the_engineer_on_call() {
    let team = Team::with_list(&common::TEAM.replace(
        "holidays = [",
        "escalation = [\"carol\", \"Duty manager: +420 555 0199\"]\nholidays = [",
    ));
    let now = "2026-11-23T10:00:00+01:00";
    let who = json(&team.rota(now, &["who", "--json"]).output().unwrap());
    assert_eq!(who["on_call"]["id"], "carol");
    assert_eq!(
        who["escalation"],
        serde_json::json!([{"text": "Duty manager: +420 555 0199"}])
    );
    let text = String::from_utf8(team.rota(now, &["who"]).output().unwrap().stdout).unwrap();
    let escalation: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("  Escalation"))
        .take(2)
        .collect();
    assert_eq!(
        escalation,
        [
            "  Escalation if carol does not answer:",
            "    1. Duty manager: +420 555 0199"
        ]
    );
}

/// PowerShell and Elvish: clap's scripts from the same definitions, offering every command
/// and none of the hidden ones (no PowerShell or Elvish here to run them).
#[test]
fn powershell_and_elvish_complete_the_commands() {
    let team = Team::new();
    let now = "2026-11-23T10:00:00+01:00";
    let script = |shell: &str| {
        let output = team.rota(now, &["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        String::from_utf8(output.stdout).unwrap()
    };
    // Each registers rota, and hands it the words.
    let powershell = script("powershell");
    assert!(
        powershell.contains("Register-ArgumentCompleter -Native -CommandName rota"),
        "{powershell}"
    );
    assert!(
        powershell.contains("$env:COMPLETE = \"powershell\""),
        "{powershell}"
    );
    let elvish = script("elvish");
    assert!(
        elvish.contains("set edit:completion:arg-completer[rota]"),
        "{elvish}"
    );
    assert!(elvish.contains("COMPLETE=\"elvish\" rota --"), "{elvish}");
    // What rota answers them: the commands (not the hidden ones), and the team's ids.
    let mut expected: Vec<&str> = SUBCOMMANDS.iter().copied().chain(["help"]).collect();
    expected.sort_unstable();
    for shell in ["powershell", "elvish"] {
        let answer = |words: &[&str]| -> Vec<String> {
            let output = common::rota_process(team.dir.path(), now)
                .env("COMPLETE", shell)
                .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
                .env("_CLAP_IFS", "\n")
                .arg("--")
                .args(words)
                .output()
                .unwrap();
            String::from_utf8(output.stdout)
                .unwrap()
                .lines()
                .map(|l| l.split('\t').next().unwrap().to_string())
                .filter(|w| !w.is_empty() && !w.starts_with('-'))
                .collect()
        };
        let mut names = answer(&["rota", ""]);
        names.sort_unstable();
        assert_eq!(names, expected, "{shell}");
        assert_eq!(answer(&["rota", "next", "c"]), ["carol"], "{shell}");
    }
}
