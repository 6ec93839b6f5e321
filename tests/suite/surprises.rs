//! Where two rules used to disagree (issue 21): each case as a team met it, with what rota
//! says and does now, to the byte. The cases that need two clones are in `team.rs`.

use crate::common::{TEAM, Team, json};

/// The five-engineer team, round 1 from Monday 2026-11-23: carol (Mon), erin (Tue), dave
/// (Wed), alice (Thu), bob (Fri).
fn team() -> Team {
    Team::with_list(&format!("{TEAM}\n[rotation]\nstart = 2026-11-23\n"))
}

/// `rota ARGS` at `now` as `user`: (exit code, stdout, stderr).
fn run(team: &Team, now: &str, user: &str, args: &[&str]) -> (i32, String, String) {
    let output = team
        .rota(now, args)
        .env("ROTA_USER", user)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn ok(team: &Team, now: &str, user: &str, args: &[&str]) -> (String, String) {
    let (code, stdout, stderr) = run(team, now, user, args);
    assert_eq!(code, 0, "rota {args:?} at {now}: {stderr}");
    (stdout, stderr)
}

const MON_10: &str = "2026-11-23T10:00:00+01:00";
const MON_17: &str = "2026-11-23T17:05:00+01:00";
const MON_1710: &str = "2026-11-23T17:10:00+01:00";
const TUE_10: &str = "2026-11-24T10:00:00+01:00";
const TUE_17: &str = "2026-11-24T17:05:00+01:00";
const WED_10: &str = "2026-11-25T10:00:00+01:00";

/// Carol never handed Monday over; bob covers Tuesday (erin's day). On Tuesday the pager is
/// still carol's, and her handover passes it to bob: `who` names carol as the one overdue, and
/// `check` finds the cover valid. Once she hands over, bob holds Tuesday, covering for erin.
#[test]
fn an_overdue_turn_followed_by_a_cover_names_the_holder_and_keeps_the_cover() {
    let team = team();
    let (_, stderr) = ok(&team, MON_10, "bob", &["cover", "2026-11-24", "bob"]);
    assert_eq!(
        stderr,
        "rota: bob is on call Tue 2026-11-24 instead of erin\n"
    );
    let (stdout, stderr) = ok(&team, TUE_10, "bob", &["who"]);
    assert_eq!(
        stdout,
        "On call: Carol Jiménez (carol) · since Mon 2026-11-23 (handover overdue)\n  email  carol@example.org\n  local  Tue 10:00 CET (Europe/Prague)\n\n\
         Next: Bob Dvořák (bob) · Tue 2026-11-24\n\n\
         Round 1\n  [>] carol  ← on call\n  [ ] erin\n  [ ] dave\n  [ ] alice\n  [ ] bob\n"
    );
    assert_eq!(
        stderr,
        "rota: warning: handover overdue: carol covered Mon 2026-11-23 and has not handed over (1 working day late)\n\
         hint: carol runs `rota handover` to pass the rotation on\n"
    );
    let answer = json(&team.rota(TUE_10, &["who", "--json"]).output().unwrap());
    assert_eq!(answer["status"], "overdue");
    assert_eq!(answer["on_call"]["id"], "carol");
    assert_eq!(answer["on_call"]["date"], "2026-11-23");
    assert_eq!(answer["on_call"]["covering_for"], serde_json::Value::Null);
    assert_eq!(
        answer["on_call"]["detail"],
        "handover overdue; bob takes over at the handover"
    );
    assert_eq!(answer["next"]["id"], "bob");
    assert_eq!(answer["next"]["date"], "2026-11-24");
    // The cover is what the handover will make: nothing to undo.
    let (code, stdout, stderr) = run(&team, TUE_10, "bob", &["check"]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "", "rota: check passed: 0 errors, 0 warnings\n")
    );
    let (stdout, _) = ok(&team, TUE_17, "carol", &["handover", "--yes"]);
    assert_eq!(
        stdout,
        "carol → bob: you're on call Tue 2026-11-24 for Cloud SRE.\n"
    );
    assert!(
        team.log()
            .contains("- Served: Mon 2026-11-23 (carol)\n- Next: Tue 2026-11-24 (bob)\n"),
        "{}",
        team.log()
    );
    // Wednesday, bob has not handed over: he holds his own turn, Tuesday's, covering for erin.
    let (stdout, _) = ok(&team, WED_10, "bob", &["who", "--date", "2026-11-24"]);
    assert_eq!(
        stdout,
        "On call: Bob Dvořák (bob) · since Tue 2026-11-24 (handover overdue) (covering for erin)\n  email  bob@example.org\n  local  Wed 10:00 CET (Europe/Prague)\n\n\
         Next: Dave Okafor (dave) · Wed 2026-11-25\n"
    );
    let (code, stdout, _) = run(&team, WED_10, "bob", &["check"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

/// Erin is away Tuesday to Thursday; Monday's and Tuesday's handovers went around her. On
/// Wednesday, taking the whole absence back is refused as adding its past days is, with the
/// command that ends it early; that command, run as printed, does, and check stays clean.
#[test]
fn an_absence_that_has_begun_is_taken_back_only_where_nothing_was_handed_over() {
    let team = team();
    ok(
        &team,
        MON_10,
        "erin",
        &["away", "erin", "2026-11-24", "2026-11-26"],
    );
    ok(&team, MON_17, "carol", &["handover", "--yes"]);
    ok(&team, TUE_17, "dave", &["handover", "--yes"]);
    let list = team.list();
    let (code, stdout, stderr) = run(
        &team,
        WED_10,
        "erin",
        &["away", "erin", "2026-11-24", "2026-11-26", "--undo"],
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "rota: error: erin's absence Tue 2026-11-24 to Thu 2026-11-26 has begun: the turns up to Wed 2026-11-25 were handed over around it\n\
         hint: to end it early, take back the days from Thu 2026-11-26 on: rota away erin 2026-11-26 2026-11-26 --undo\n\
         hint: who served the days past is in the log; nothing was written\n"
    );
    assert_eq!(team.list(), list);
    // The same rule as adding: an absence wholly in the past is refused too.
    let (code, _, stderr) = run(&team, WED_10, "erin", &["away", "erin", "2026-11-24"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "rota: error: the absence ends Tue 2026-11-24, before today (Wed 2026-11-25)"
        ),
        "{stderr}"
    );
    let (_, stderr) = ok(
        &team,
        WED_10,
        "erin",
        &["away", "erin", "2026-11-26", "2026-11-26", "--undo"],
    );
    assert_eq!(
        stderr,
        "rota: erin's absence now ends Wed 2026-11-25: they are back Thu 2026-11-26\n"
    );
    let (stdout, _) = ok(&team, WED_10, "erin", &["away", "erin", "--list"]);
    assert_eq!(stdout, "Tue 2026-11-24 to Wed 2026-11-25\n");
    let (code, stdout, _) = run(&team, WED_10, "erin", &["check"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // Days the log has not settled go whole, as before.
    ok(
        &team,
        WED_10,
        "bob",
        &["away", "bob", "2026-12-07", "2026-12-08"],
    );
    let (_, stderr) = ok(
        &team,
        WED_10,
        "bob",
        &["away", "bob", "2026-12-07", "2026-12-08", "--undo"],
    );
    assert_eq!(
        stderr,
        "rota: removed bob's absence from 2026-12-07 to 2026-12-08\n"
    );
}

/// Erin is handed Tuesday, then removed from the list: she can still log her day and hand
/// the pager over, as `who` says, and nobody else can act as her once she has.
#[test]
fn an_engineer_removed_while_on_call_can_still_log_and_hand_over() {
    let team = team();
    ok(
        &team,
        MON_17,
        "carol",
        &["handover", "--yes", "--open", "renew the cert"],
    );
    let list = team.list();
    let start = list.find("[[engineer]]\nid = \"erin\"").unwrap();
    let end = start + list[start..].find("\n\n").unwrap() + 2;
    team.write(
        "on-call-list.toml",
        format!("{}{}", &list[..start], &list[end..]),
    );
    let (stdout, _) = ok(&team, TUE_10, "bob", &["who"]);
    assert!(
        stdout.contains(
            "  erin is no longer in the team's list: `rota handover` passes the turn on\n"
        ),
        "{stdout}"
    );
    let (stdout, _) = ok(&team, TUE_10, "erin", &["log", "checked the backups"]);
    assert_eq!(stdout, "- 09:00 UTC erin: checked the backups\n");
    let (stdout, _) = ok(
        &team,
        TUE_10,
        "bob",
        &["log", "--as", "erin", "db-2 is fine"],
    );
    assert_eq!(stdout, "- 09:00 UTC erin: db-2 is fine\n");
    let (stdout, stderr) = ok(&team, TUE_17, "erin", &["handover", "--yes", "--done", "1"]);
    assert_eq!(
        stdout,
        "erin → dave: you're on call Wed 2026-11-25 for Cloud SRE.\n"
    );
    assert_eq!(
        stderr,
        "rota: erin is on call but no longer in the team: `rota handover` passes the turn on\n\
         rota: handed over: erin → dave (Wed 2026-11-25)\n"
    );
    let (code, _, stderr) = run(&team, WED_10, "erin", &["log", "one more"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "rota: error: \"erin\" is not an engineer of the team\n\
         hint: known ids: alice, bob, carol, dave\n\
         hint: ROTA_USER must hold your engineer id from on-call-list.toml\n"
    );
    let (code, _, _) = run(&team, WED_10, "erin", &["check"]);
    assert_eq!(code, 0);
}

/// Covering a day already covered: the message names whose day it is, as `displaces`
/// records, and the cover it replaces.
#[test]
fn a_re_cover_names_whose_day_it_is_as_it_records_it() {
    let team = team();
    let (_, stderr) = ok(&team, MON_10, "bob", &["cover", "2026-11-25", "bob"]);
    assert_eq!(
        stderr,
        "rota: bob is on call Wed 2026-11-25 instead of dave\n"
    );
    let (_, stderr) = ok(&team, MON_10, "carol", &["cover", "2026-11-25", "carol"]);
    assert_eq!(
        stderr,
        "rota: carol is on call Wed 2026-11-25 instead of dave, replacing the cover by bob\n"
    );
    assert!(
        team.list().ends_with(
            "[[override]]\ndate = 2026-11-25\nengineer = \"carol\"\nkind = \"cover\"\nreason = \"cover\"\ndisplaces = \"dave\"\n"
        ),
        "{}",
        team.list()
    );
    let (code, stdout, _) = run(&team, MON_10, "carol", &["check"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

/// After Monday's handover, `who` follows the pager to erin; `who --date` Monday answers for
/// Monday (carol served it); a day ahead is answered without today's round.
#[test]
fn who_answers_for_the_day_asked() {
    let team = team();
    ok(
        &team,
        MON_17,
        "carol",
        &["handover", "--yes", "--note", "watch db-2"],
    );
    let (now, _) = ok(&team, MON_1710, "bob", &["who"]);
    assert!(
        now.starts_with("On call: Erin Walsh (erin) · Tue 2026-11-24\n"),
        "{now}"
    );
    let (stdout, _) = ok(&team, MON_1710, "bob", &["who", "--date", "2026-11-23"]);
    assert_eq!(
        stdout,
        "On call: Carol Jiménez (carol) · Mon 2026-11-23\n  Handed over to erin at 16:05 UTC on 2026-11-23\n  Note for erin: watch db-2\n  Log: 0 entries that day (rota log --list --from 2026-11-23 --until 2026-11-23)\n"
    );
    let answer = json(
        &team
            .rota(MON_1710, &["who", "--json", "--date", "2026-11-23"])
            .output()
            .unwrap(),
    );
    assert_eq!(answer["status"], "served");
    assert_eq!(answer["on_call"]["id"], "carol");
    assert_eq!(answer["on_call"]["date"], "2026-11-23");
    let (stdout, _) = ok(&team, MON_1710, "bob", &["who", "--date", "2026-11-26"]);
    assert_eq!(
        stdout,
        "On call: Alice Novak (alice) · Thu 2026-11-26\n  email  alice@example.org\n  chat   @alice\n  phone  +420 555 0100\n  local  Mon 11:10 EST (America/New_York)\n\n\
         Next: Bob Dvořák (bob) · Fri 2026-11-27\n"
    );
}

/// Hints name what rota knows: the other day of a swap check says to take back; who ran a
/// stand-in's handover; what a handover taken back passed on, by name.
#[test]
fn hints_and_reports_name_what_rota_knows() {
    let team = team();
    ok(&team, MON_10, "bob", &["swap", "2026-11-26", "2026-11-27"]);
    ok(&team, MON_10, "dave", &["away", "dave", "2026-11-25"]);
    let (code, stdout, _) = run(&team, MON_10, "bob", &["check"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        format!(
            "{}:{}: error: the swap on Thu 2026-11-26 was made for alice's day, but the rotation now gives that day to dave: it would take the day from them instead; run `rota swap 2026-11-26 2026-11-27 --undo`, then make it again if it is still wanted\n",
            team.path("on-call-list.toml").display(),
            team.list()
                .lines()
                .position(|l| l == "date = 2026-11-26")
                .unwrap()
                + 1
        )
    );
    ok(
        &team,
        MON_10,
        "bob",
        &["swap", "2026-11-26", "2026-11-27", "--undo"],
    );
    let (code, _, _) = run(&team, MON_10, "bob", &["check"]);
    assert_eq!(code, 0);

    // Bob stands in for carol, whose handover passes on an item.
    ok(
        &team,
        MON_17,
        "bob",
        &["handover", "--yes", "--open", "renew the cert"],
    );
    let (stdout, _) = ok(&team, MON_1710, "erin", &["who"]);
    assert!(
        stdout.contains(
            "  Handover from carol (Mon 2026-11-23 16:05 UTC, run by bob):\n    Open 1: renew the cert\n"
        ),
        "{stdout}"
    );
    let carried = &json(&team.rota(MON_1710, &["who", "--json"]).output().unwrap())["carried"];
    assert_eq!(carried["run_by"], "bob");
    let (_, stderr) = ok(&team, MON_1710, "carol", &["handover", "--undo"]);
    assert_eq!(
        stderr,
        "rota: took back the handover carol → erin of Mon 2026-11-23; carol is on call again (Mon 2026-11-23)\n\
         rota: it passed on the open item \"renew the cert\": give it again (--open) when you hand over\n"
    );
}

/// A list that does not parse: check says where, line and column, with the line and a caret,
/// as every other command does.
#[test]
fn check_shows_a_syntax_error_with_its_column_and_caret() {
    let team = Team::with_list(&TEAM.replace("name = \"Bob Dvořák\"", "name = \"Bob Dvořák"));
    let list = team.path("on-call-list.toml");
    let (code, stdout, stderr) = run(&team, MON_10, "bob", &["check"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        format!(
            "{list}:17:19: error: {list} is not valid: invalid basic string, expected `\"` (hint: fix the TOML syntax at the place shown, then run the command again)\n   |\n17 | name = \"Bob Dvořák\n   |                   ^\n",
            list = list.display()
        )
    );
    assert_eq!(
        stderr,
        "rota: error: check failed: 1 error, 0 warnings\nhint: fix the lines above; `rota check --strict` also fails on warnings\n"
    );
    let (_, _, who) = run(&team, MON_10, "bob", &["who"]);
    assert!(
        who.contains(&format!("--> {}:17:19\n", list.display())),
        "{who}"
    );
    let report = json(&team.rota(MON_10, &["check", "--json"]).output().unwrap());
    assert_eq!(
        (
            &report["problems"][0]["line"],
            &report["problems"][0]["column"]
        ),
        (&serde_json::json!(17), &serde_json::json!(19))
    );
}

/// Erin and dave swap Tuesday and Wednesday; carol hands Monday over to dave. On Tuesday
/// `who` says dave swapped with erin (not that he covers for her), and the round shows the turn
/// as erin's with dave on call instead, not erin on call.
#[test]
fn who_on_a_swapped_day_says_swapped_and_whose_turn_it_is() {
    let team = team();
    ok(&team, MON_10, "erin", &["swap", "2026-11-24", "2026-11-25"]);
    ok(&team, MON_17, "carol", &["handover", "--yes"]);
    let (stdout, _) = ok(&team, TUE_10, "dave", &["who"]);
    assert_eq!(
        stdout,
        "On call: Dave Okafor (dave) · Tue 2026-11-24 (swapped with erin)\n  \
         email  dave@example.org\n  local  Tue 10:00 CET (Europe/Prague)\n\n\
         Next: Erin Walsh (erin) · Wed 2026-11-25\n\n\
         Round 1\n  [x] carol\n  [>] erin  ← their turn; dave is on call instead\n  \
         [ ] dave\n  [ ] alice\n  [ ] bob\n"
    );
    // The published page says it alike.
    ok(&team, TUE_10, "dave", &["publish", "site"]);
    let page = team.read("site/index.html");
    assert!(
        page.contains("<p><strong class=\"name\">Dave Okafor</strong> (dave) · since Tue 2026-11-24, swapped with erin</p>"),
        "{page}"
    );
    // A cover keeps its words.
    ok(&team, TUE_10, "bob", &["cover", "2026-11-26", "bob"]);
    let (stdout, _) = ok(&team, TUE_10, "bob", &["who", "--date", "2026-11-26"]);
    assert_eq!(
        stdout.lines().next().unwrap(),
        "On call: Bob Dvořák (bob) · Thu 2026-11-26 (covering for alice)"
    );
}
