//! Many teams in one repository: `who --all`, `publish --all` (the index parsed with an HTML
//! parser and rendered in a real browser), `check --all`, `diff --all` (over commits and the
//! working tree) and `remind --all` (with its hook), run anywhere in a repository whose
//! teams live in `sre/`, `db/` and `net/edge/`, beside a hidden team and an ignored one that
//! must not be found.

use std::path::{Path, PathBuf};

use serde_json::json;

use scraper::{Html, Selector};

use crate::common::{self, TEAM, git, rota_in};

/// Friday evening in Prague and London; already Saturday in Auckland.
const NOW: &str = "2026-12-18T15:30:00+01:00";
/// Later the same day for all three teams.
const LATER: &str = "2026-12-18T18:45:00+01:00";

const DB: &str = r#"[team]
name = "Databases"
timezone = "Europe/London"

[[engineer]]
id = "dan"
name = "Dan Ops"
email = "dan@example.org"
phone = "+44 20 7946 0000"

[[engineer]]
id = "fay"
name = "Fay Lee"
email = "fay@example.org"

[rotation]
seed = 7
start = 2026-12-18
"#;

const EDGE: &str = r#"[team]
name = "Edge <Network>"
timezone = "Pacific/Auckland"

[[engineer]]
id = "gus"
name = "Gus Tane"
chat = "@gus"

[[engineer]]
id = "hal"
name = "Hal Ngata"
email = "hal@example.org"

[rotation]
seed = 11
start = 2026-12-21
"#;

/// A repository (`ROOT/repo`) of three teams, a hidden one, an ignored one and a symlink to a
/// team outside it (`ROOT/elsewhere`), committed. The root, and the repository's top.
fn org() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let top = std::fs::canonicalize(root.path()).unwrap().join("repo");
    let write = |path: &str, text: &str| {
        let path = top.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let sre = TEAM.to_string() + "\n[rotation]\nseed = 3\nstart = 2026-12-18\n";
    write("sre/on-call-list.toml", &sre);
    write("db/on-call-list.toml", DB);
    write("net/edge/on-call-list.toml", EDGE);
    write("net/README.md", "The network teams.\n");
    write(".archive/old/on-call-list.toml", "not even TOML [");
    write("build/x/on-call-list.toml", "not even TOML [");
    write(".gitignore", "build/\n");
    write(
        ".gitattributes",
        "on-call-log.md merge=rota-log\non-call-list.toml merge=rota-list\n",
    );
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("on-call-list.toml"), DB).unwrap();
    std::os::unix::fs::symlink(&elsewhere, top.join("linked")).unwrap();
    git(&top, &["init", "-q", "-b", "main"]);
    identify(&top, "ops");
    git(&top, &["add", "-A"]);
    git(&top, &["commit", "-q", "-m", "three teams"]);
    (root, top)
}

fn identify(dir: &Path, who: &str) {
    git(
        dir,
        &["config", "user.email", &format!("{who}@example.org")],
    );
    git(dir, &["config", "user.name", who]);
    git(dir, &["config", "commit.gpgsign", "false"]);
}

fn run(dir: &Path, now: &str, args: &[&str]) -> std::process::Output {
    rota_in(dir, now, args).output().unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Registers the merge drivers in the clone (which every first command says), so that what
/// the tests compare is the command's own output.
fn settled(top: &Path) {
    let output = run(top, NOW, &["who", "--all"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

const REGISTERED: &str = "rota: registered rota's merge drivers in this clone's git config (merge.rota-log, merge.rota-list)\n";

const WHO_ALL: &str = "\
db        Databases       On call: Fay Lee (fay) · fay@example.org
net/edge  Edge <Network>  No one is on call (weekend)
sre       Cloud SRE       On call: Bob Dvořák (bob) · bob@example.org
";

/// Run anywhere in the repository (a team's directory, one with no team, a hidden one), `who
/// --all` finds the three teams from the top, never the hidden, ignored or linked ones.
#[test]
fn teams_who_all_answers_for_every_team_from_anywhere_in_the_repository() {
    let (_root, top) = org();
    let first = run(&top.join("net/edge"), NOW, &["who", "--all"]);
    assert_eq!(stderr(&first), REGISTERED);
    assert_eq!(stdout(&first), WHO_ALL);
    assert!(first.status.success());
    for dir in ["", "net", "sre", ".archive/old", "build/x"] {
        let output = run(&top.join(dir), NOW, &["who", "--all"]);
        assert_eq!(
            (stdout(&output), stderr(&output), output.status.code()),
            (WHO_ALL.to_string(), String::new(), Some(0)),
            "from {dir:?}"
        );
    }
    // The team's own time: Auckland's Monday morning is Sunday evening in Europe.
    let monday = run(&top, "2026-12-20T21:30:00+01:00", &["who", "--all"]);
    assert_eq!(
        stdout(&monday),
        "\
db        Databases       No one is on call (weekend)
net/edge  Edge <Network>  On call: Gus Tane (gus) · @gus
sre       Cloud SRE       No one is on call (weekend)
"
    );
}

#[test]
fn teams_who_all_json_is_an_array_of_each_teams_responder_and_next() {
    let (_root, top) = org();
    settled(&top);
    let output = run(&top.join("db"), NOW, &["who", "--all", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let person = |id: &str,
                  name: &str,
                  email: Option<&str>,
                  chat: Option<&str>,
                  phone: Option<&str>,
                  zone: &str,
                  local: &str| {
        json!({
            "id": id, "name": name, "email": email, "chat": chat, "phone": phone,
            "timezone": zone, "local_time": local,
        })
    };
    let next = |mut person: serde_json::Value, date: &str| {
        person["date"] = json!(date);
        person
    };
    let expected = json!([
        {
            "dir": "db",
            "team": "Databases",
            "status": "on call",
            "on_call": person("fay", "Fay Lee", Some("fay@example.org"), None, None, "Europe/London", "2026-12-18T14:30:00+00:00"),
            "next": next(person("dan", "Dan Ops", Some("dan@example.org"), None, Some("+44 20 7946 0000"), "Europe/London", "2026-12-18T14:30:00+00:00"), "2026-12-21"),
        },
        {
            "dir": "net/edge",
            "team": "Edge <Network>",
            "status": "weekend",
            "on_call": null,
            "next": next(person("gus", "Gus Tane", None, Some("@gus"), None, "Pacific/Auckland", "2026-12-19T03:30:00+13:00"), "2026-12-21"),
        },
        {
            "dir": "sre",
            "team": "Cloud SRE",
            "status": "on call",
            "on_call": person("bob", "Bob Dvořák", Some("bob@example.org"), None, None, "Europe/Prague", "2026-12-18T15:30:00+01:00"),
            "next": next(person("carol", "Carol Jiménez", Some("carol@example.org"), None, None, "Europe/Prague", "2026-12-18T15:30:00+01:00"), "2026-12-21"),
        },
    ]);
    assert_eq!(common::json(&output), expected);
    // The person is `who --json`'s: the same fields, the same values.
    let who = common::json(&run(&top.join("db"), NOW, &["who", "--json"]));
    let mut on_call = who["on_call"].clone();
    for key in ["date", "reason", "detail", "covering_for"] {
        on_call.as_object_mut().unwrap().remove(key);
    }
    assert_eq!(on_call, expected[0]["on_call"]);
    assert_eq!(who["next"], expected[0]["next"]);
}

/// The db team's list names a time zone that does not exist.
fn break_db(top: &Path) {
    let list = top.join("db/on-call-list.toml");
    let text = std::fs::read_to_string(&list).unwrap();
    std::fs::write(&list, text.replace("Europe/London", "Europe/Lodnon")).unwrap();
}

#[test]
fn teams_who_all_names_a_broken_team_by_its_directory_and_answers_for_the_others() {
    let (_root, top) = org();
    settled(&top);
    break_db(&top);
    for json in [false, true] {
        let args: &[&str] = if json {
            &["who", "--all", "--json"]
        } else {
            &["who", "--all"]
        };
        let output = run(&top.join("sre"), NOW, args);
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            stderr(&output),
            "rota: error: 1 of 3 teams could not be read: db\n\
             hint: `rota check --all` names every problem of every team\n"
        );
        if json {
            let teams = common::json(&output);
            assert_eq!(
                teams[0],
                json!({
                    "dir": "db", "team": null, "status": null, "on_call": null, "next": null,
                    "error": "db/on-call-list.toml:3:12: unknown time zone \"Europe/Lodnon\"",
                })
            );
            assert_eq!(teams[2]["on_call"]["id"], "bob");
        } else {
            assert_eq!(
                stdout(&output),
                "\
db        error: db/on-call-list.toml:3:12: unknown time zone \"Europe/Lodnon\"
net/edge  Edge <Network>  No one is on call (weekend)
sre       Cloud SRE       On call: Bob Dvořák (bob) · bob@example.org
"
            );
        }
    }
}

#[test]
fn teams_check_all_names_each_problem_by_the_teams_directory() {
    let (_root, top) = org();
    settled(&top);
    let clean = run(&top.join("net"), NOW, &["check", "--all"]);
    assert_eq!(
        (stdout(&clean), stderr(&clean), clean.status.code()),
        (
            "\
db: check passed: 0 errors, 0 warnings
net/edge: check passed: 0 errors, 0 warnings
sre: check passed: 0 errors, 0 warnings
"
            .to_string(),
            "rota: check passed for 3 teams\n".to_string(),
            Some(0)
        )
    );
    break_db(&top);
    // A log edited by hand, in another team: its line named from the top.
    std::fs::write(
        top.join("net/edge/on-call-log.md"),
        "# Edge\n\n## 2026-12-18 Fri\n\n## 2026-12-17 Thu\n",
    )
    .unwrap();
    let broken = run(&top.join("net"), NOW, &["check", "--all"]);
    assert_eq!(
        stdout(&broken),
        "\
db/on-call-list.toml:3:12: error: unknown time zone \"Europe/Lodnon\" (hint: did you mean \"Europe/London\"?)
  |
3 | timezone = \"Europe/Lodnon\"
  |            ^^^^^^^^^^^^^^^
db: check failed: 1 error, 0 warnings
net/edge/on-call-log.md:5: error: day 2026-12-17 comes after 2026-12-18: the log must stay in order
net/edge: check failed: 1 error, 0 warnings
sre: check passed: 0 errors, 0 warnings
"
    );
    assert_eq!(
        stderr(&broken),
        "rota: error: 2 of 3 teams failed check: db, net/edge\n\
         hint: fix the lines above; `rota check --all --strict` also fails on warnings\n"
    );
    assert_eq!(broken.status.code(), Some(1));
    // The same, for scripts.
    let report = common::json(&run(&top, NOW, &["check", "--all", "--json"]));
    assert_eq!(report["passed"], false);
    let dirs: Vec<(&str, bool)> = report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["dir"].as_str().unwrap(), t["passed"].as_bool().unwrap()))
        .collect();
    assert_eq!(dirs, [("db", false), ("net/edge", false), ("sre", true)]);
    assert_eq!(
        report["teams"][0]["problems"][0]["file"],
        "db/on-call-list.toml"
    );
    // For a forge, one report of every team's findings, paths from the repository's top.
    let github = run(
        &top.join("net"),
        NOW,
        &["check", "--all", "--format", "github"],
    );
    assert_eq!(github.status.code(), Some(1));
    assert_eq!(
        stdout(&github),
        "::error file=db/on-call-list.toml,line=3,col=12::unknown time zone \"Europe/Lodnon\"%0Ahint: did you mean \"Europe/London\"?\n\
         ::error file=net/edge/on-call-log.md,line=5,col=1::day 2026-12-17 comes after 2026-12-18: the log must stay in order\n"
    );
    let gitlab = common::json(&run(&top, NOW, &["check", "--all", "--format", "gitlab"]));
    let places: Vec<(&str, u64)> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["location"]["path"].as_str().unwrap(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [("db/on-call-list.toml", 3), ("net/edge/on-call-log.md", 5)]
    );
    // One team's check is as before: paths as it finds them.
    let one = run(&top.join("db"), NOW, &["check"]);
    assert_eq!(one.status.code(), Some(1));
    assert!(
        stdout(&one).starts_with(&format!(
            "{}:3:12: error: unknown time zone",
            top.join("db/on-call-list.toml").display()
        )),
        "{}",
        stdout(&one)
    );
}

/// Every file under `dir`, its path relative to `dir` and its bytes, in path order.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(at) = todo.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The index's team rows: each row's directory, then the text of each of its cells.
fn rows(index: &Html) -> Vec<Vec<String>> {
    let row = Selector::parse("#teams tbody tr").unwrap();
    let cell = Selector::parse("td").unwrap();
    index
        .select(&row)
        .map(|r| {
            let mut texts = vec![r.value().attr("data-dir").unwrap().to_string()];
            texts.extend(r.select(&cell).map(|c| c.text().collect::<String>()));
            texts
        })
        .collect()
}

fn hrefs(html: &Html, css: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

/// What the index shows: a row a team, in the order of their directories.
fn expected_rows() -> Vec<Vec<String>> {
    [
        [
            "db",
            "Databases",
            "db",
            "Fri 2026-12-18",
            "Fay Lee (fay)",
            "Email: fay@example.org",
            "Dan Ops (dan) · from Mon 2026-12-21",
        ],
        [
            "net/edge",
            "Edge <Network>",
            "net/edge",
            "Sat 2026-12-19",
            "No one (weekend)",
            "",
            "Gus Tane (gus) · from Mon 2026-12-21",
        ],
        [
            "sre",
            "Cloud SRE",
            "sre",
            "Fri 2026-12-18",
            "Bob Dvořák (bob)",
            "Email: bob@example.org",
            "Carol Jiménez (carol) · from Mon 2026-12-21",
        ],
    ]
    .iter()
    .map(|row| row.iter().map(ToString::to_string).collect())
    .collect()
}

/// `publish --all` from a directory of no team: the org's site beside the repository.
fn publish_all(top: &Path, now: &str) -> std::process::Output {
    let output = run(&top.join("net"), now, &["publish", "--all", "../../public"]);
    assert!(output.status.success(), "{}", stderr(&output));
    output
}

#[test]
fn teams_publish_all_writes_an_index_each_teams_own_site_and_an_org_status() {
    let (root, top) = org();
    settled(&top);
    let output = publish_all(&top, NOW);
    assert_eq!(
        stdout(&output),
        "\
Published 3 teams' pages to ../../public:
  index.html   written
  status.json  written
  db/          Databases, as of 2026-12-18: 5 files written
  net-edge/    Edge <Network>, as of 2026-12-19: 5 files written
  sre/         Cloud SRE, as of 2026-12-18: 8 files written
"
    );
    assert_eq!(stderr(&output), "");
    let public = root.path().join("public");
    let text = std::fs::read_to_string(public.join("index.html")).unwrap();
    let index = Html::parse_document(&text);
    assert_eq!(rows(&index), expected_rows());
    // Names are escaped, never markup; no script: the page needs none.
    assert!(text.contains("<a href=\"net-edge/index.html\">Edge &lt;Network&gt;</a>"));
    assert_eq!(index.select(&Selector::parse("script").unwrap()).count(), 0);
    // Each team's link leads to its own site, which is what `rota publish DIR/TEAM` writes.
    let links = hrefs(&index, "td.team a");
    assert_eq!(
        links,
        ["db/index.html", "net-edge/index.html", "sre/index.html"]
    );
    for (dir, slug) in [("db", "db"), ("net/edge", "net-edge"), ("sre", "sre")] {
        let single = root.path().join("single").join(slug);
        let output = run(
            &top,
            NOW,
            &["--dir", dir, "publish", single.to_str().unwrap()],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(tree(&public.join(slug)), tree(&single), "{dir}");
    }
    // The org's status.json: each team's own object, with its directory, name and site.
    let statuses: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("status.json")).unwrap()).unwrap();
    let statuses = statuses.as_array().unwrap();
    assert_eq!(statuses.len(), 3);
    for (status, (dir, team, slug)) in statuses.iter().zip([
        ("db", "Databases", "db"),
        ("net/edge", "Edge <Network>", "net-edge"),
        ("sre", "Cloud SRE", "sre"),
    ]) {
        let own: serde_json::Value =
            serde_json::from_slice(&std::fs::read(public.join(slug).join("status.json")).unwrap())
                .unwrap();
        let mut expected = json!({"dir": dir, "team": team, "site": format!("{slug}/")});
        for (key, value) in own.as_object().unwrap() {
            expected[key] = value.clone();
        }
        assert_eq!(status, &expected);
    }
    // Later the same day: the same bytes, nothing written again.
    let before = tree(&public);
    let again = publish_all(&top, LATER);
    assert_eq!(
        stdout(&again),
        "\
Published 3 teams' pages to ../../public:
  index.html   unchanged
  status.json  unchanged
  db/          Databases, as of 2026-12-18: 5 files unchanged
  net-edge/    Edge <Network>, as of 2026-12-19: 5 files unchanged
  sre/         Cloud SRE, as of 2026-12-18: 8 files unchanged
"
    );
    assert_eq!(tree(&public), before);
}

/// The index as a real browser renders it: the same rows, and each link leads to a team page
/// the browser renders too.
#[test]
fn teams_publish_all_index_renders_in_a_real_browser() {
    let Some(browser) = common::browser() else {
        return;
    };
    let (root, top) = org();
    publish_all(&top, NOW);
    let public = root.path().join("public");
    let url = |path: &str| format!("file://{}", public.join(path).display());
    let index = Html::parse_document(&common::dump_dom(browser, &url("index.html")));
    assert_eq!(rows(&index), expected_rows());
    let h1 = Selector::parse("h1").unwrap();
    let heading =
        |html: &Html| -> Vec<String> { html.select(&h1).map(|h| h.text().collect()).collect() };
    assert_eq!(heading(&index), ["On call: every team"]);
    for (link, team) in
        hrefs(&index, "td.team a")
            .iter()
            .zip(["Databases", "Edge <Network>", "Cloud SRE"])
    {
        let page = Html::parse_document(&common::dump_dom(browser, &url(link)));
        assert_eq!(heading(&page), [format!("{team}: on call")]);
    }
}

#[test]
fn teams_publish_all_writes_nothing_while_a_team_is_broken_or_two_share_a_place() {
    let (root, top) = org();
    settled(&top);
    break_db(&top);
    let output = run(&top, NOW, &["publish", "--all", "../public"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "rota: error: 1 of 3 teams could not be published, so nothing was written:\n  \
         db: db/on-call-list.toml:3:12: unknown time zone \"Europe/Lodnon\"\n\
         hint: `rota check --all` names every problem of every team\n"
    );
    assert!(!root.path().join("public").exists());
    // Fixed, but a team in `net-edge/` would share `net/edge/`'s place.
    git(&top, &["checkout", "-q", "--", "db"]);
    std::fs::create_dir(top.join("net-edge")).unwrap();
    std::fs::write(top.join("net-edge/on-call-list.toml"), DB).unwrap();
    let output = run(&top, NOW, &["publish", "--all", "../public"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "rota: error: the teams in net-edge and net/edge would both be published to ../public/net-edge\n\
             hint: rename the team's directory; nothing was written\n"
        )
    );
    assert!(!root.path().join("public").exists());
}

/// Merges and locks are per team, as ever: two clones that each write to another team's log
/// merge without a conflict.
#[test]
fn teams_two_clones_writing_to_different_teams_merge_cleanly() {
    let (root, top) = org();
    let origin = root.path().join("origin.git");
    git(
        root.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            origin.to_str().unwrap(),
        ],
    );
    git(&top, &["remote", "add", "origin", origin.to_str().unwrap()]);
    git(&top, &["push", "-q", "-u", "origin", "main"]);
    let clone = |name: &str| {
        git(
            root.path(),
            &["clone", "-q", origin.to_str().unwrap(), name],
        );
        let dir = root.path().join(name);
        identify(&dir, name);
        dir
    };
    let (a, b) = (clone("a"), clone("b"));
    for (dir, team, who, text) in [
        (&a, "sre", "bob", "rotated the API certificates"),
        (&b, "db", "fay", "vacuumed the billing database"),
        (&b, "net/edge", "gus", "renewed the edge certificates"),
    ] {
        let output = run(
            &dir.join(team),
            NOW,
            &["log", "--commit", "--engineer", who, text],
        );
        assert!(output.status.success(), "{}", stderr(&output));
    }
    git(&a, &["push", "-q"]);
    git(&b, &["pull", "-q", "--no-rebase", "--no-edit"]);
    git(&b, &["push", "-q"]);
    git(&a, &["pull", "-q", "--no-rebase", "--no-edit"]);
    for dir in [&a, &b] {
        assert_eq!(git(dir, &["status", "--porcelain"]), "");
        for (team, text) in [
            ("sre", "rotated the API certificates"),
            ("db", "vacuumed the billing database"),
            ("net/edge", "renewed the edge certificates"),
        ] {
            let log = std::fs::read_to_string(dir.join(team).join("on-call-log.md")).unwrap();
            assert!(log.contains(text), "{team}: {log}");
        }
        let check = run(dir, NOW, &["check", "--all"]);
        assert!(check.status.success(), "{}", stdout(&check));
    }
}

/// Outside git, the search starts where rota runs; hidden directories are skipped there too.
#[test]
fn teams_outside_git_are_found_below_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("a/on-call-list.toml", DB),
        ("b/c/on-call-list.toml", EDGE),
        (".hidden/on-call-list.toml", "not even TOML ["),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let output = run(dir.path(), NOW, &["who", "--all"]);
    assert_eq!(
        (stdout(&output), stderr(&output)),
        (
            "\
a    Databases       On call: Fay Lee (fay) · fay@example.org
b/c  Edge <Network>  No one is on call (weekend)
"
            .to_string(),
            String::new()
        )
    );
    let output = run(&dir.path().join("b"), NOW, &["who", "--all"]);
    assert_eq!(
        stdout(&output),
        "c  Edge <Network>  No one is on call (weekend)\n"
    );
    let empty = tempfile::tempdir().unwrap();
    let output = run(empty.path(), NOW, &["who", "--all"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "rota: error: no on-call-list.toml in {} or below it\n\
             hint: --all finds every directory that holds an on-call-list.toml, from the top of the repository\n\
             hint: start a team in a directory of its own: mkdir TEAM-DIR && rota --dir TEAM-DIR init --team NAME --timezone ZONE --engineer ID,NAME,EMAIL\n",
            std::fs::canonicalize(empty.path()).unwrap().display()
        )
    );
}

/// Two teams of one repository each keep an `on-call-log.md`: an append to one cut short is
/// repaired by that team's next write, and a write of the other team neither warns about its
/// journal nor removes it (each log's scratch files are named by its path in the repository).
#[test]
fn an_interrupted_append_is_repaired_by_its_own_team_only() {
    let (_root, top) = org();
    settled(&top);
    let (sre, db) = (top.join("sre"), top.join("db"));
    let written = run(&sre, NOW, &["log", "--as", "alice", "first"]);
    assert!(written.status.success(), "{}", stderr(&written));
    let before = std::fs::read_to_string(sre.join("on-call-log.md")).unwrap();
    let killed = rota_in(
        &sre,
        NOW,
        &["log", "--as", "alice", "the entry being written"],
    )
    .env("ROTA_TEST_FAULT", "append:10")
    .output()
    .unwrap();
    assert_eq!(killed.status.code(), Some(137));
    let journal = top.join(".git/rota-append-sre%2Fon-call-log.md");
    assert!(journal.exists());
    let other = run(&db, NOW, &["log", "--as", "dan", "replica lag fixed"]);
    assert_eq!(
        (other.status.code(), stderr(&other)),
        (Some(0), String::new())
    );
    assert!(journal.exists());
    assert!(!top.join(".git/rota-append-db%2Fon-call-log.md").exists());
    let again = run(&sre, NOW, &["log", "--as", "alice", "again"]);
    assert_eq!(
        (again.status.code(), stderr(&again)),
        (
            Some(0),
            format!(
                "rota: removed the last 10 bytes of {}: an append that was interrupted\n",
                sre.join("on-call-log.md").display()
            )
        )
    );
    assert_eq!(
        std::fs::read_to_string(sre.join("on-call-log.md")).unwrap(),
        format!("{before}- 14:30 UTC alice: again\n")
    );
    assert!(!journal.exists());
}

/// A week's change to two teams: sre's swap of Monday and Tuesday, committed; db's cover of
/// Tuesday, left in the working tree. net/edge is untouched.
fn two_changes(top: &Path) {
    settled(top);
    let ok = |dir: &str, args: &[&str]| {
        let output = run(&top.join(dir), NOW, args);
        assert!(output.status.success(), "{}", stderr(&output));
    };
    ok(
        "sre",
        &["swap", "2026-12-21", "2026-12-22", "--reason", "dentist"],
    );
    git(top, &["commit", "-q", "-am", "sre: swap"]);
    ok(
        "db",
        &[
            "cover",
            "2026-12-22",
            "dan",
            "--reason",
            "fay at a conference",
        ],
    );
}

const DIFF_ALL: &str = "\
db (Databases)
HEAD~1 → working tree: 1 day changes hands from Fri 2026-12-18 to Thu 2027-01-14 (20 working days)

Date        Day  Before  After  Why
2026-12-22  Tue  fay     dan    cover: fay at a conference

Days gained and lost
Engineer       Gained      Lost
Dan Ops (dan)  2026-12-22  —
Fay Lee (fay)  —           2026-12-22

Working days each from Fri 2026-12-18 to Thu 2027-01-14
Engineer                Before  After
Dan Ops (dan)           10      11
Fay Lee (fay)           10      9
spread (most − fewest)  0       2

net/edge (Edge <Network>): no days change hands

sre (Cloud SRE)
HEAD~1 → working tree: 2 days change hands from Fri 2026-12-18 to Wed 2027-01-20 (20 working days)

Date        Day  Before  After  Why
2026-12-21  Mon  carol   dave   swap: dentist
2026-12-22  Tue  dave    carol  swap: dentist

Days gained and lost
Engineer               Gained      Lost
Carol Jiménez (carol)  2026-12-22  2026-12-21
Dave Okafor (dave)     2026-12-21  2026-12-22

Working days each from Fri 2026-12-18 to Wed 2027-01-20
Engineer                Before  After
Alice Novak (alice)     4       4
Bob Dvořák (bob)        4       4
Carol Jiménez (carol)   4       4
Dave Okafor (dave)      4       4
Erin Walsh (erin)       4       4
spread (most − fewest)  0       0
";

/// `diff --all`, from a directory of no team: each team whose rotation changes under its
/// directory, as `rota diff` shows it for that team; the others on a line.
#[test]
fn teams_diff_all_shows_what_the_change_does_to_each_teams_rotation() {
    let (_root, top) = org();
    two_changes(&top);
    let output = run(&top.join("net"), NOW, &["diff", "HEAD~1", "--all"]);
    assert_eq!(
        (stdout(&output), stderr(&output), output.status.code()),
        (DIFF_ALL.to_string(), String::new(), Some(0))
    );
    // Each block is the team's own `rota diff`.
    for dir in ["db", "sre"] {
        let one = run(&top.join(dir), NOW, &["diff", "HEAD~1"]);
        assert!(DIFF_ALL.contains(&stdout(&one)), "{dir}: {}", stdout(&one));
    }
    // The working tree against HEAD: only db's cover; from a team's directory, all the same.
    let output = run(&top.join("sre"), NOW, &["diff", "--all"]);
    let text = stdout(&output);
    assert!(
        text.starts_with("db (Databases)\nHEAD → working tree: 1 day changes hands"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "\n\nnet/edge (Edge <Network>): no days change hands\nsre (Cloud SRE): no days change hands\n"
        ),
        "{text}"
    );
    // Nothing changes between a revision and itself.
    let output = run(&top, NOW, &["diff", "HEAD", "HEAD", "--all"]);
    assert_eq!(
        stdout(&output),
        "\
db (Databases): no days change hands
net/edge (Edge <Network>): no days change hands
sre (Cloud SRE): no days change hands
"
    );
}

/// The review comment: a section a team whose rotation changes, the others on the last line;
/// names escaped as Markdown.
#[test]
fn teams_diff_all_markdown_is_a_section_for_each_team_that_changes() {
    let (_root, top) = org();
    two_changes(&top);
    let output = run(
        &top.join("net/edge"),
        NOW,
        &["diff", "HEAD~1", "--all", "--format", "markdown"],
    );
    assert_eq!(stderr(&output), "");
    assert_eq!(
        stdout(&output),
        "\
<!-- rota diff --all -->
#### db (Databases): 1 day changes hands

HEAD\\~1 → working tree, from Fri 2026-12-18 to Thu 2027-01-14 (20 working days)

| Day | Before | After | Why |
| --- | --- | --- | --- |
| Tue 2026-12-22 | fay | dan | cover: fay at a conference |

- dan: gains Tue 2026-12-22
- fay: loses Tue 2026-12-22

<details><summary>Working days each from Fri 2026-12-18 to Thu 2027-01-14</summary>

| Engineer | Before | After |
| --- | ---: | ---: |
| dan | 10 | 11 |
| fay | 10 | 9 |
| spread (most − fewest) | 0 | 2 |

</details>

#### sre (Cloud SRE): 2 days change hands

HEAD\\~1 → working tree, from Fri 2026-12-18 to Wed 2027-01-20 (20 working days)

| Day | Before | After | Why |
| --- | --- | --- | --- |
| Mon 2026-12-21 | carol | dave | swap: dentist |
| Tue 2026-12-22 | dave | carol | swap: dentist |

- carol: gains Tue 2026-12-22; loses Mon 2026-12-21
- dave: gains Mon 2026-12-21; loses Tue 2026-12-22

<details><summary>Working days each from Fri 2026-12-18 to Wed 2027-01-20</summary>

| Engineer | Before | After |
| --- | ---: | ---: |
| alice | 4 | 4 |
| bob | 4 | 4 |
| carol | 4 | 4 |
| dave | 4 | 4 |
| erin | 4 | 4 |
| spread (most − fewest) | 0 | 0 |

</details>

No days change hands in net/edge (Edge &lt;Network&gt;).
"
    );
    let none = run(
        &top,
        NOW,
        &["diff", "HEAD", "HEAD", "--all", "--format", "markdown"],
    );
    assert_eq!(
        stdout(&none),
        "\
<!-- rota diff --all -->
No team's rotation changes.

No days change hands in db (Databases), net/edge (Edge &lt;Network&gt;), sre (Cloud SRE).
"
    );
}

/// `--json`: each team's `rota diff --json` object, after its directory and name.
#[test]
fn teams_diff_all_json_is_an_array_of_each_teams_diff() {
    let (_root, top) = org();
    two_changes(&top);
    for args in [
        &["diff", "HEAD~1", "--all", "--json"][..],
        &["diff", "HEAD~1", "--all", "--format", "json"],
    ] {
        let output = run(&top.join("db"), NOW, args);
        assert_eq!(
            (output.status.code(), stderr(&output)),
            (Some(0), String::new())
        );
        let teams = common::json(&output);
        let teams = teams.as_array().unwrap();
        assert_eq!(teams.len(), 3);
        for (entry, (dir, team, changed)) in teams.iter().zip([
            ("db", "Databases", 1),
            ("net/edge", "Edge <Network>", 0),
            ("sre", "Cloud SRE", 2),
        ]) {
            let own = common::json(&run(&top.join(dir), NOW, &["diff", "HEAD~1", "--json"]));
            let mut expected = json!({"dir": dir, "team": team});
            for (key, value) in own.as_object().unwrap() {
                expected[key] = value.clone();
            }
            assert_eq!(entry, &expected);
            assert_eq!(entry["changed"], changed, "{dir}");
        }
        assert_eq!(teams[2]["changes"][0]["why"], "override");
    }
}

/// A team only one side holds is new or removed, not an error: net/edge leaves in a commit,
/// ops arrives in the working tree.
#[test]
fn teams_diff_all_shows_a_team_only_one_side_holds_as_new_or_removed() {
    let (_root, top) = org();
    settled(&top);
    git(&top, &["rm", "-q", "-r", "net/edge"]);
    git(&top, &["commit", "-q", "-m", "net/edge moves out"]);
    std::fs::create_dir(top.join("ops")).unwrap();
    std::fs::write(
        top.join("ops/on-call-list.toml"),
        DB.replace("Databases", "Operations"),
    )
    .unwrap();
    let output = run(&top, NOW, &["diff", "HEAD~1", "--all"]);
    assert_eq!(
        (stdout(&output), stderr(&output), output.status.code()),
        (
            "\
db (Databases): no days change hands
net/edge (Edge <Network>): team removed: not in working tree
ops (Operations): new team: not in HEAD~1
sre (Cloud SRE): no days change hands
"
            .to_string(),
            String::new(),
            Some(0)
        )
    );
    let teams = common::json(&run(&top, NOW, &["diff", "HEAD~1", "--all", "--json"]));
    assert_eq!(
        teams[1],
        json!({"dir": "net/edge", "team": "Edge <Network>", "base": "HEAD~1", "head": "working tree", "missing": "head"})
    );
    assert_eq!(
        teams[2],
        json!({"dir": "ops", "team": "Operations", "base": "HEAD~1", "head": "working tree", "missing": "base"})
    );
    // Between two revisions, ops (in neither) is no part of the change.
    let markdown = run(
        &top.join("ops"),
        NOW,
        &["diff", "HEAD~1", "HEAD", "--all", "--format", "markdown"],
    );
    assert_eq!(
        stdout(&markdown),
        "\
<!-- rota diff --all -->
#### net/edge (Edge &lt;Network&gt;): team removed, not in HEAD

No days change hands in db (Databases), sre (Cloud SRE).
"
    );
}

/// A team whose files cannot be read is named with why; the others are compared, and the run
/// fails at the end.
#[test]
fn teams_diff_all_names_a_broken_team_and_compares_the_others() {
    let (_root, top) = org();
    two_changes(&top);
    break_db(&top);
    let error = "db/on-call-list.toml:3:12: unknown time zone \"Europe/Lodnon\"";
    let stderr_expected = "rota: error: 1 of 3 teams could not be read: db\n\
         hint: `rota check --all` names every problem of the working tree's teams\n";
    let output = run(&top.join("sre"), NOW, &["diff", "--all"]);
    assert_eq!(
        (stdout(&output), stderr(&output), output.status.code()),
        (
            format!(
                "db: error: {error}\n\
                 net/edge (Edge <Network>): no days change hands\n\
                 sre (Cloud SRE): no days change hands\n"
            ),
            stderr_expected.to_string(),
            Some(1)
        )
    );
    let output = run(&top, NOW, &["diff", "HEAD~1", "--all", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), stderr_expected);
    let teams = common::json(&output);
    assert_eq!(teams[0], json!({"dir": "db", "error": error}));
    assert_eq!(teams[2]["changed"], 2);
    let output = run(&top, NOW, &["diff", "--all", "--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!(
            "\
<!-- rota diff --all -->
#### db: could not be read

{error}

No team's rotation changes.

No days change hands in net/edge (Edge &lt;Network&gt;), sre (Cloud SRE).
"
        )
    );
}

const REMIND_ALL: &str = "\
db
On call for Databases · Fri 2026-12-18
Today: Fay Lee (fay) · fay@example.org
Next working day, Mon 2026-12-21: Dan Ops (dan) · dan@example.org · +44 20 7946 0000

net/edge
On call for Edge <Network> · Sat 2026-12-19
Today: nobody (weekend)
Next working day, Mon 2026-12-21: Gus Tane (gus) · @gus

sre
On call for Cloud SRE · Fri 2026-12-18
Today: Bob Dvořák (bob) · bob@example.org
Next working day, Mon 2026-12-21: Carol Jiménez (carol) · carol@example.org
";

/// `remind --all`: each team's reminder under its directory, from anywhere in the repository.
#[test]
fn teams_remind_all_reminds_every_team_in_turn() {
    let (_root, top) = org();
    settled(&top);
    for dir in ["", "net", "db"] {
        let output = run(&top.join(dir), NOW, &["remind", "--all"]);
        assert_eq!(
            (stdout(&output), stderr(&output), output.status.code()),
            (REMIND_ALL.to_string(), String::new(), Some(0)),
            "from {dir:?}"
        );
    }
    // Each is the team's own `rota remind`.
    for dir in ["db", "net/edge", "sre"] {
        let one = run(&top.join(dir), NOW, &["remind"]);
        assert!(
            REMIND_ALL.contains(&format!("{dir}\n{}", stdout(&one))),
            "{dir}"
        );
    }
    // With --since, each team's days that changed hands.
    two_changes(&top);
    let output = run(&top, NOW, &["remind", "--all", "--since", "HEAD~1"]);
    let text = stdout(&output);
    assert!(
        text.contains("\nNo days changed hands since HEAD~1.\n\nsre\n"),
        "{text}"
    );
    assert!(
        text.contains("\nChanged hands since HEAD~1:\n  Tue 2026-12-22: fay → dan (cover: fay at a conference)\n"),
        "{text}"
    );
    let unknown = run(&top, NOW, &["remind", "--all", "--since", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(stdout(&unknown), "");
}

/// `--json` is an array of each team's `remind --json`, with its directory; the remind hook,
/// set in the clone's config, runs once per team in the team's directory with that object.
#[test]
fn teams_remind_all_json_and_the_hook_once_per_team() {
    let (_root, top) = org();
    settled(&top);
    git(
        &top,
        &["config", "rota.hook.remind", "cat > remind-event.json"],
    );
    let output = run(&top.join("net"), NOW, &["remind", "--all", "--json"]);
    assert_eq!(
        (output.status.code(), stderr(&output)),
        (Some(0), String::new())
    );
    let teams = common::json(&output);
    let teams = teams.as_array().unwrap();
    assert_eq!(teams.len(), 3);
    for (entry, dir) in teams.iter().zip(["db", "net/edge", "sre"]) {
        let event: serde_json::Value = serde_json::from_slice(
            &std::fs::read(top.join(dir).join("remind-event.json")).unwrap(),
        )
        .unwrap();
        std::fs::remove_file(top.join(dir).join("remind-event.json")).unwrap();
        let mut expected = json!({"event": "remind"});
        for (key, value) in entry.as_object().unwrap() {
            expected[key] = value.clone();
        }
        assert_eq!(event, expected, "{dir}");
        let own = common::json(&run(&top.join(dir), NOW, &["remind", "--json"]));
        let mut expected = json!({"dir": dir});
        for (key, value) in own.as_object().unwrap() {
            expected[key] = value.clone();
        }
        assert_eq!(entry, &expected);
    }
    // A hook that fails for one team: every team is reminded, and the run fails at the end.
    let output = rota_in(&top, NOW, &["remind", "--all"])
        .env("ROTA_HOOK_REMIND", "test \"${PWD##*/}\" != edge || exit 3")
        .output()
        .unwrap();
    assert_eq!(
        (stdout(&output), stderr(&output), output.status.code()),
        (
            REMIND_ALL.to_string(),
            "rota: error: the remind hook failed for 1 of 3 teams, who were not told: net/edge (exit status 3)\n\
             hint: the hook is ROTA_HOOK_REMIND in the environment: fix the command, or remove it\n\
             hint: rota remind --all --json prints the events the hook reads\n"
                .to_string(),
            Some(1)
        )
    );
}

#[test]
fn teams_remind_all_names_a_broken_team_and_reminds_the_others() {
    let (_root, top) = org();
    settled(&top);
    break_db(&top);
    let error = "db/on-call-list.toml:3:12: unknown time zone \"Europe/Lodnon\"";
    let stderr_expected = "rota: error: 1 of 3 teams could not be read: db\n\
         hint: `rota check --all` names every problem of every team\n";
    let output = run(&top.join("sre"), NOW, &["remind", "--all"]);
    let (_, others) = REMIND_ALL.split_once("\n\n").unwrap();
    assert_eq!(
        (stdout(&output), stderr(&output), output.status.code()),
        (
            format!("db: error: {error}\n\n{others}"),
            stderr_expected.to_string(),
            Some(1)
        )
    );
    let output = run(&top, NOW, &["remind", "--all", "--json"]);
    assert_eq!(
        (stderr(&output), output.status.code()),
        (stderr_expected.to_string(), Some(1))
    );
    let teams = common::json(&output);
    assert_eq!(teams[0], json!({"dir": "db", "error": error}));
    assert_eq!(teams[2]["today"]["on_call"]["id"], "bob");
}
