//! `rota diff` on a real git history: a bare origin whose `main` holds a team and two
//! handovers, and a branch `change` made in carol's clone one commit per change (an absence, a
//! swap, a holiday, an engineer added, one removed, the last handover taken back), each made
//! the way a person would (`rota away`, `rota swap`, an edit of the list, `rota handover
//! --undo`). Every comparison is read as of Tue 2026-11-24 09:00 in the team's zone.

use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

use crate::common::{self, clone_as, git};

/// The moment every comparison is read at: Tuesday morning, after Monday's handover was
/// taken back.
const TUE_09: &str = "2026-11-24T09:00:00+01:00";

/// The shared team, with round 1 from Fri 2026-11-20.
fn list() -> String {
    common::TEAM.replace("[handover]", "[rotation]\nstart = 2026-11-20\n\n[handover]")
}

/// `rota ARGS` in `dir` at `now` as `user` (or nobody), hermetic.
fn run(dir: &Path, now: &str, user: Option<&str>, args: &[&str]) -> Output {
    let mut command = common::rota_process(dir, now);
    command.args(args);
    if let Some(user) = user {
        command.env("ROTA_USER", user);
    }
    command.output().unwrap()
}

/// `rota ARGS`, which must succeed: its stdout.
fn ok(dir: &Path, now: &str, args: &[&str]) -> String {
    ok_as(dir, now, None, args)
}

fn ok_as(dir: &Path, now: &str, user: Option<&str>, args: &[&str]) -> String {
    let output = run(dir, now, user, args);
    assert!(
        output.status.success(),
        "rota {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// Edits carol's list as a person would, in an editor.
fn edit(dir: &Path, change: impl FnOnce(String) -> String) {
    let path = dir.join("on-call-list.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(text)).unwrap();
}

/// The origin, and carol's clone on `change` (pushed, its upstream `origin/change`).
fn history() -> (TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    common::bare_origin(root.path());
    let founder = clone_as(root.path(), "founder");
    std::fs::write(founder.join("on-call-list.toml"), list()).unwrap();
    commit(&founder, "the team");
    git(&founder, &["push", "-q", "-u", "origin", "main"]);
    // Fri: carol hands over to erin (Mon); Mon: erin to dave (Tue).
    ok_as(
        &founder,
        "2026-11-20T17:05:00+01:00",
        Some("carol"),
        &["handover", "--yes"],
    );
    ok_as(
        &founder,
        "2026-11-23T17:05:00+01:00",
        Some("erin"),
        &[
            "handover",
            "--yes",
            "--open",
            "renew the wiki's TLS certificate",
        ],
    );
    commit(&founder, "handovers");
    git(&founder, &["push", "-q"]);

    let carol = clone_as(root.path(), "carol");
    git(&carol, &["switch", "-q", "-c", "change"]);
    let mon = "2026-11-23T17:10:00+01:00";
    ok(
        &carol,
        mon,
        &[
            "away",
            "bob",
            "2026-11-26",
            "2026-11-27",
            "--reason",
            "conference",
        ],
    );
    commit(&carol, "bob is at a conference");
    ok(
        &carol,
        mon,
        &[
            "swap",
            "2026-12-01",
            "2026-12-02",
            "--reason",
            "carol's dentist",
        ],
    );
    commit(&carol, "carol's dentist");
    edit(&carol, |text| {
        text.replace(
            "holidays = [2026-12-24",
            "holidays = [2026-12-03, 2026-12-24",
        )
    });
    commit(&carol, "a holiday");
    edit(&carol, |text| {
        text.replace(
            "[rotation]",
            "[[engineer]]\nid = \"frank\"\nname = \"Frank Moreau\"\nemail = \"frank@example.org\"\nchat = \"@frank\"\n\n[rotation]",
        )
    });
    commit(&carol, "frank joins");
    edit(&carol, |text| {
        let from = text.find("[[engineer]]\nid = \"bob\"").unwrap();
        let to = from + 5 + text[from + 5..].find("[[").unwrap();
        format!("{}{}", &text[..from], &text[to..])
    });
    commit(&carol, "bob leaves");
    ok_as(
        &carol,
        "2026-11-23T17:20:00+01:00",
        Some("erin"),
        &["handover", "--undo"],
    );
    commit(&carol, "take back the handover to dave");
    git(&carol, &["push", "-q", "-u", "origin", "change"]);
    (root, carol)
}

#[test]
fn each_change_says_why_its_days_change_hands() {
    let (_root, carol) = history();
    let diff = |base: &str, head: &str| ok(&carol, TUE_09, &["diff", base, head, "--days", "10"]);
    // Bob away Thu–Fri: his Thursday goes on, and the turns after it move.
    assert_eq!(
        diff("main", "change~5"),
        "\
main → change~5: 6 days change hands from Tue 2026-11-24 to Mon 2026-12-07 (10 working days)

Date        Day  Before  After  Why
2026-11-26  Thu  bob     dave   bob away: conference
2026-11-27  Fri  dave    erin   turns moved after Thu 2026-11-26: bob away:
                                conference
2026-11-30  Mon  erin    bob    turns moved after Thu 2026-11-26: bob away:
                                conference
2026-12-03  Thu  bob     dave   turns moved after Thu 2026-11-26: bob away:
                                conference
2026-12-04  Fri  dave    alice  turns moved after Thu 2026-11-26: bob away:
                                conference
2026-12-07  Mon  alice   erin   turns moved after Thu 2026-11-26: bob away:
                                conference

Days gained and lost
Engineer             Gained                  Lost
Alice Novak (alice)  2026-12-04              2026-12-07
Bob Dvořák (bob)     2026-11-30              2026-11-26, 2026-12-03
Dave Okafor (dave)   2026-11-26, 2026-12-03  2026-11-27, 2026-12-04
Erin Walsh (erin)    2026-11-27, 2026-12-07  2026-11-30

Working days each from Tue 2026-11-24 to Mon 2026-12-07
Engineer                Before  After
Alice Novak (alice)     3       3
Bob Dvořák (bob)        2       1
Carol Jiménez (carol)   1       1
Dave Okafor (dave)      3       3
Erin Walsh (erin)       1       2
spread (most − fewest)  2       2
"
    );
    // A swap changes its two days only.
    assert_eq!(
        diff("change~5", "change~4"),
        "\
change~5 → change~4: 2 days change hands from Tue 2026-11-24 to Mon 2026-12-07 (10 working days)

Date        Day  Before  After  Why
2026-12-01  Tue  carol   alice  swap: carol's dentist
2026-12-02  Wed  alice   carol  swap: carol's dentist

Days gained and lost
Engineer               Gained      Lost
Alice Novak (alice)    2026-12-01  2026-12-02
Carol Jiménez (carol)  2026-12-02  2026-12-01

Working days each from Tue 2026-11-24 to Mon 2026-12-07
Engineer                Before  After
Alice Novak (alice)     3       3
Bob Dvořák (bob)        1       1
Carol Jiménez (carol)   1       1
Dave Okafor (dave)      3       3
Erin Walsh (erin)       2       2
spread (most − fewest)  2       2
"
    );
    // A holiday: nobody is on call that day, and the turns after it move.
    assert_eq!(
        diff("change~4", "change~3"),
        "\
change~4 → change~3: 3 days change hands from Tue 2026-11-24 to Mon 2026-12-07 (10 working days)

Date        Day  Before  After  Why
2026-12-03  Thu  dave    —      holiday added
2026-12-04  Fri  alice   dave   turns moved after Thu 2026-12-03: holiday added
2026-12-07  Mon  erin    alice  turns moved after Thu 2026-12-03: holiday added

Days gained and lost
Engineer             Gained      Lost
Alice Novak (alice)  2026-12-07  2026-12-04
Dave Okafor (dave)   2026-12-04  2026-12-03
Erin Walsh (erin)    —           2026-12-07

Working days each from Tue 2026-11-24 to Mon 2026-12-07
Engineer                Before  After
Alice Novak (alice)     3       3
Bob Dvořák (bob)        1       1
Carol Jiménez (carol)   1       1
Dave Okafor (dave)      3       3
Erin Walsh (erin)       2       1
spread (most − fewest)  2       2
"
    );
    // frank joins the round at its end: the days he takes, and the turns they move.
    assert_eq!(
        diff("change~3", "change~2"),
        "\
change~3 → change~2: 4 days change hands from Tue 2026-11-24 to Tue 2026-12-08 (10 working days)

Date        Day  Before  After  Why
2026-11-26  Thu  dave    frank  frank joined the team
2026-11-27  Fri  erin    alice  turns moved after Thu 2026-11-26: frank joined
                                the team
2026-12-04  Fri  dave    erin   turns moved after Thu 2026-11-26: frank joined
                                the team
2026-12-07  Mon  alice   frank  frank joined the team

Days gained and lost
Engineer              Gained                  Lost
Alice Novak (alice)   2026-11-27              2026-12-07
Dave Okafor (dave)    —                       2026-11-26, 2026-12-04
Erin Walsh (erin)     2026-12-04              2026-11-27
Frank Moreau (frank)  2026-11-26, 2026-12-07  —

Working days each from Tue 2026-11-24 to Tue 2026-12-08
Engineer                Before  After
Alice Novak (alice)     3       3
Bob Dvořák (bob)        1       1
Carol Jiménez (carol)   1       1
Dave Okafor (dave)      3       1
Erin Walsh (erin)       2       2
Frank Moreau (frank)    —       2
spread (most − fewest)  2       2
"
    );
    // bob leaves: his day goes to another, and the round's turns move.
    assert_eq!(
        diff("change~2", "change~1"),
        "\
change~2 → change~1: 5 days change hands from Tue 2026-11-24 to Tue 2026-12-08 (10 working days)

Date        Day  Before  After  Why
2026-11-27  Fri  alice   erin   turns moved: bob left the team
2026-11-30  Mon  bob     frank  bob left the team
2026-12-04  Fri  erin    carol  turns moved after Mon 2026-11-30: bob left the
                                team
2026-12-07  Mon  frank   erin   turns moved after Mon 2026-11-30: bob left the
                                team
2026-12-08  Tue  erin    alice  turns moved after Mon 2026-11-30: bob left the
                                team

Days gained and lost
Engineer               Gained                  Lost
Alice Novak (alice)    2026-12-08              2026-11-27
Bob Dvořák (bob)       —                       2026-11-30
Carol Jiménez (carol)  2026-12-04              —
Erin Walsh (erin)      2026-11-27, 2026-12-07  2026-12-04, 2026-12-08
Frank Moreau (frank)   2026-11-30              2026-12-07

Working days each from Tue 2026-11-24 to Tue 2026-12-08
Engineer                Before  After
Alice Novak (alice)     3       3
Bob Dvořák (bob)        1       —
Carol Jiménez (carol)   1       2
Dave Okafor (dave)      1       1
Erin Walsh (erin)       2       2
Frank Moreau (frank)    2       2
spread (most − fewest)  2       2
"
    );
    // Monday's handover taken back: erin holds the pager on Tuesday until she hands over.
    assert_eq!(
        diff("change~1", "change"),
        "\
change~1 → change: 1 day changes hands from Mon 2026-11-23 to Tue 2026-12-08 (10 working days from today, and the days before it that the logs differ about)

Date        Day  Before  After  Why
2026-11-24  Tue  dave    erin   handover erin → dave of Mon 2026-11-23 taken
                                back

Days gained and lost
Engineer            Gained      Lost
Dave Okafor (dave)  —           2026-11-24
Erin Walsh (erin)   2026-11-24  —

Working days each from Tue 2026-11-24 to Tue 2026-12-08
Engineer                Before  After
Alice Novak (alice)     3       3
Carol Jiménez (carol)   2       2
Dave Okafor (dave)      1       0
Erin Walsh (erin)       2       3
Frank Moreau (frank)    2       2
spread (most − fewest)  2       3
"
    );
}

/// Every kind of change at once, compared by two clones: the same bytes in each, as text, as
/// JSON and as the Markdown of a review comment.
#[test]
fn the_whole_change_reads_the_same_in_every_clone() {
    let (root, carol) = history();
    let dave = clone_as(root.path(), "dave");
    let expected: [(&[&str], &str); 3] = [
        (&[], TEXT),
        (&["--json"], JSON),
        (&["--format", "markdown"], MARKDOWN),
    ];
    for (format, expected) in expected {
        let mut args = vec!["diff", "origin/main", "origin/change", "--days", "10"];
        args.extend(format);
        assert_eq!(
            ok(&carol, TUE_09, &args),
            expected,
            "rota {args:?} in carol's clone"
        );
        assert_eq!(
            ok(&dave, TUE_09, &args),
            expected,
            "rota {args:?} in dave's clone"
        );
    }
    // The JSON is the same in each clone, and each of its fields means what the README says.
    let json: serde_json::Value = serde_json::from_str(JSON).unwrap();
    let whys: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["why"].as_str().unwrap())
        .collect();
    for why in [
        "handover", "removed", "added", "override", "holiday", "rotation",
    ] {
        assert!(whys.contains(&why), "no {why} among {whys:?}");
    }
}

const TEXT: &str = "\
origin/main → origin/change: 9 days change hands from Mon 2026-11-23 to Mon 2026-12-07 (10 working days from today, and the days before it that the logs differ about)

Date        Day  Before  After  Why
2026-11-24  Tue  dave    erin   handover erin → dave of Mon 2026-11-23 taken
                                back
2026-11-26  Thu  bob     frank  bob left the team
2026-11-27  Fri  dave    erin   turns moved after Thu 2026-11-26: bob left the
                                team
2026-11-30  Mon  erin    frank  frank joined the team
2026-12-01  Tue  carol   alice  swap: carol's dentist
2026-12-02  Wed  alice   carol  swap: carol's dentist
2026-12-03  Thu  bob     —      holiday added
2026-12-04  Fri  dave    carol  turns moved after Thu 2026-12-03: holiday added
2026-12-07  Mon  alice   erin   turns moved after Thu 2026-12-03: holiday added

Days gained and lost
Engineer               Gained                   Lost
Alice Novak (alice)    2026-12-01               2026-12-02, 2026-12-07
Bob Dvořák (bob)       —                        2026-11-26, 2026-12-03
Carol Jiménez (carol)  2026-12-02, 2026-12-04   2026-12-01
Dave Okafor (dave)     —                        2026-11-24, 2026-11-27,
                                                2026-12-04
Erin Walsh (erin)      2026-11-24, 2026-11-27,  2026-11-30
                       2026-12-07
Frank Moreau (frank)   2026-11-26, 2026-11-30   —

Working days each from Tue 2026-11-24 to Mon 2026-12-07
Engineer                Before  After
Alice Novak (alice)     3       2
Bob Dvořák (bob)        2       —
Carol Jiménez (carol)   1       2
Dave Okafor (dave)      3       0
Erin Walsh (erin)       1       3
Frank Moreau (frank)    —       2
spread (most − fewest)  2       3
";

const JSON: &str = r#"{
  "base": "origin/main",
  "head": "origin/change",
  "from": "2026-11-23",
  "today": "2026-11-24",
  "until": "2026-12-07",
  "working_days": 10,
  "changed": 9,
  "changes": [
    {
      "date": "2026-11-24",
      "weekday": "Tue",
      "before": "dave",
      "after": "erin",
      "why": "handover",
      "detail": "handover erin → dave of Mon 2026-11-23 taken back",
      "follows": null
    },
    {
      "date": "2026-11-26",
      "weekday": "Thu",
      "before": "bob",
      "after": "frank",
      "why": "removed",
      "detail": "bob left the team",
      "follows": null
    },
    {
      "date": "2026-11-27",
      "weekday": "Fri",
      "before": "dave",
      "after": "erin",
      "why": "rotation",
      "detail": "turns moved after Thu 2026-11-26: bob left the team",
      "follows": "2026-11-26"
    },
    {
      "date": "2026-11-30",
      "weekday": "Mon",
      "before": "erin",
      "after": "frank",
      "why": "added",
      "detail": "frank joined the team",
      "follows": null
    },
    {
      "date": "2026-12-01",
      "weekday": "Tue",
      "before": "carol",
      "after": "alice",
      "why": "override",
      "detail": "swap: carol's dentist",
      "follows": null
    },
    {
      "date": "2026-12-02",
      "weekday": "Wed",
      "before": "alice",
      "after": "carol",
      "why": "override",
      "detail": "swap: carol's dentist",
      "follows": null
    },
    {
      "date": "2026-12-03",
      "weekday": "Thu",
      "before": "bob",
      "after": null,
      "why": "holiday",
      "detail": "holiday added",
      "follows": null
    },
    {
      "date": "2026-12-04",
      "weekday": "Fri",
      "before": "dave",
      "after": "carol",
      "why": "rotation",
      "detail": "turns moved after Thu 2026-12-03: holiday added",
      "follows": "2026-12-03"
    },
    {
      "date": "2026-12-07",
      "weekday": "Mon",
      "before": "alice",
      "after": "erin",
      "why": "rotation",
      "detail": "turns moved after Thu 2026-12-03: holiday added",
      "follows": "2026-12-03"
    }
  ],
  "engineers": [
    {
      "id": "alice",
      "name": "Alice Novak",
      "chat": "@alice",
      "gained": [
        "2026-12-01"
      ],
      "lost": [
        "2026-12-02",
        "2026-12-07"
      ]
    },
    {
      "id": "bob",
      "name": "Bob Dvořák",
      "chat": null,
      "gained": [],
      "lost": [
        "2026-11-26",
        "2026-12-03"
      ]
    },
    {
      "id": "carol",
      "name": "Carol Jiménez",
      "chat": null,
      "gained": [
        "2026-12-02",
        "2026-12-04"
      ],
      "lost": [
        "2026-12-01"
      ]
    },
    {
      "id": "dave",
      "name": "Dave Okafor",
      "chat": null,
      "gained": [],
      "lost": [
        "2026-11-24",
        "2026-11-27",
        "2026-12-04"
      ]
    },
    {
      "id": "erin",
      "name": "Erin Walsh",
      "chat": null,
      "gained": [
        "2026-11-24",
        "2026-11-27",
        "2026-12-07"
      ],
      "lost": [
        "2026-11-30"
      ]
    },
    {
      "id": "frank",
      "name": "Frank Moreau",
      "chat": "@frank",
      "gained": [
        "2026-11-26",
        "2026-11-30"
      ],
      "lost": []
    }
  ],
  "fairness": {
    "before": {
      "days": {
        "alice": 3,
        "bob": 2,
        "carol": 1,
        "dave": 3,
        "erin": 1
      },
      "min": 1,
      "max": 3,
      "spread": 2
    },
    "after": {
      "days": {
        "alice": 2,
        "carol": 2,
        "dave": 0,
        "erin": 3,
        "frank": 2
      },
      "min": 0,
      "max": 3,
      "spread": 3
    }
  }
}
"#;

const MARKDOWN: &str = r#"<!-- rota diff -->
#### On call: 9 days change hands

origin/main → origin/change, from Mon 2026-11-23 to Mon 2026-12-07 (10 working days from today, and the days before it that the logs differ about)

| Day | Before | After | Why |
| --- | --- | --- | --- |
| Tue 2026-11-24 | dave | erin | handover erin → dave of Mon 2026-11-23 taken back |
| Thu 2026-11-26 | bob | @frank | bob left the team |
| Fri 2026-11-27 | dave | erin | turns moved after Thu 2026-11-26: bob left the team |
| Mon 2026-11-30 | erin | @frank | frank joined the team |
| Tue 2026-12-01 | carol | @alice | swap: carol's dentist |
| Wed 2026-12-02 | @alice | carol | swap: carol's dentist |
| Thu 2026-12-03 | bob | nobody | holiday added |
| Fri 2026-12-04 | dave | carol | turns moved after Thu 2026-12-03: holiday added |
| Mon 2026-12-07 | @alice | erin | turns moved after Thu 2026-12-03: holiday added |

- @alice: gains Tue 2026-12-01; loses Wed 2026-12-02, Mon 2026-12-07
- bob: loses Thu 2026-11-26, Thu 2026-12-03
- carol: gains Wed 2026-12-02, Fri 2026-12-04; loses Tue 2026-12-01
- dave: loses Tue 2026-11-24, Fri 2026-11-27, Fri 2026-12-04
- erin: gains Tue 2026-11-24, Fri 2026-11-27, Mon 2026-12-07; loses Mon 2026-11-30
- @frank: gains Thu 2026-11-26, Mon 2026-11-30

<details><summary>Working days each from Tue 2026-11-24 to Mon 2026-12-07</summary>

| Engineer | Before | After |
| --- | ---: | ---: |
| alice | 3 | 2 |
| bob | 2 | — |
| carol | 1 | 2 |
| dave | 3 | 0 |
| erin | 1 | 3 |
| frank | — | 2 |
| spread (most − fewest) | 2 | 3 |

</details>
"#;

/// Without revisions: the branch's upstream against the working tree, else the last commit.
/// Exit 0 whether or not anything changes.
#[test]
fn by_default_the_upstream_is_compared_with_the_working_tree() {
    let (_root, carol) = history();
    assert_eq!(
        ok(&carol, TUE_09, &["diff", "--days", "5"]),
        "origin/change → working tree: no days change hands from Tue 2026-11-24 to Mon 2026-11-30 (5 working days)\n"
    );
    ok(
        &carol,
        TUE_09,
        &["cover", "2026-11-25", "frank", "--reason", "training"],
    );
    let expected = "\
→ working tree: 1 day changes hands from Tue 2026-11-24 to Mon 2026-11-30 (5 working days)

Date        Day  Before  After  Why
2026-11-25  Wed  alice   frank  cover: training
";
    let shown = ok(&carol, TUE_09, &["diff", "--days", "5"]);
    assert!(
        shown.starts_with(&format!("origin/change {expected}")),
        "{shown}"
    );
    // A branch with no upstream: its last commit.
    git(&carol, &["switch", "-q", "-c", "local"]);
    let shown = ok(&carol, TUE_09, &["diff", "--days", "5"]);
    assert!(shown.starts_with(&format!("HEAD {expected}")), "{shown}");
    let markdown = ok(
        &carol,
        TUE_09,
        &["diff", "--days", "5", "--format", "markdown"],
    );
    assert!(
        markdown.contains("| Wed 2026-11-25 | @alice | @frank | cover: training |\n"),
        "{markdown}"
    );
}

#[test]
fn a_revision_that_is_not_there_or_too_large_is_refused() {
    let (_root, carol) = history();
    let output = run(&carol, TUE_09, None, &["diff", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "rota: error: git knows no commit \"nope\" here\nhint: name a commit, a branch or a tag of this repository (`git log --oneline` lists them); fetch it first if it is a remote's\n"
    );
    // An option is not a revision.
    let output = run(&carol, TUE_09, None, &["diff", "--", "--output=x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!carol.join("x").exists());
    // A list beyond the list's limit in a revision is refused before it is read.
    let list = std::fs::read_to_string(carol.join("on-call-list.toml")).unwrap();
    let padding = "# padding\n".repeat(450_000);
    std::fs::write(carol.join("on-call-list.toml"), format!("{list}{padding}")).unwrap();
    commit(&carol, "a huge list");
    std::fs::write(carol.join("on-call-list.toml"), &list).unwrap();
    let output = run(&carol, TUE_09, None, &["diff", "HEAD"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "rota: error: HEAD:on-call-list.toml is larger than 4 MiB\nhint: a team's list is a few KiB: remove what does not belong there (past maintenance windows, old absences)\n"
    );
    // Outside a git clone there is nothing to compare with.
    let team = common::Team::with_list(&self::list());
    let output = team.rota(TUE_09, &["diff"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is not inside a git repository: rota reads the team's earlier files through git\nhint: run it in a clone of the team's repository\n"),
        "{stderr}"
    );
}
