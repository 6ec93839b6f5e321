//! rota in a forge's CI: `rota check --format github|gitlab`, the GitHub Action, the GitLab CI
//! component and the pre-commit hook.

use crate::common;

use common::{Team, json};

const NOW: &str = "2026-11-23T10:00:00+01:00";

/// A team with an error and a warning in the list and conflict markers in the log.
fn broken_team() -> Team {
    let list = format!(
        "{}[[engineer]]\nid = \"team\"\nname = \"Team, the\"\n\n[[override]]\ndate = 2026-11-28\nengineer = \"bob\"\nkind = \"cover\"\n",
        common::TEAM
    );
    let log = "# On-call log\n\n## 2026-11-20 Fri\n\n<<<<<<< ours\n- 09:00 UTC bob: x\n=======\n- 09:00 UTC carol: y\n>>>>>>> theirs\n";
    let team = Team::with_list(&list);
    team.write("on-call-log.md", log);
    team
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The hint `rota check` gives for the conflict markers of the log at `log`.
fn finish_merge(log: &str) -> String {
    format!(
        "finish the merge with rota's merge driver (any rota command registers it in this clone): `git checkout -m {log}`, `git add {log}`, then `git commit` (or `git rebase --continue`)"
    )
}

const MARKER: &str =
    "git conflict marker: a merge stopped here (this clone had no rota merge driver)";
const SATURDAY: &str = "override on Sat 2026-11-28, which is not a working day";
const TEAM_ID: &str = "engineer id \"team\": rota publish writes the team's calendar as team.ics and refuses this id; give the engineer another id";

#[test]
fn check_format_github_prints_workflow_commands() {
    let team = broken_team();
    let output = team
        .rota(NOW, &["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "the exit code is check's");
    let hint = finish_merge(&team.path("on-call-log.md").display().to_string());
    // Paths from the current directory (a workflow's is the repository's root); the hint on a
    // line of its own inside the message (%0A); a warning is a warning.
    let marker = |line: usize| {
        format!("::error file=on-call-log.md,line={line},col=1::{MARKER}%0Ahint: {hint}\n")
    };
    assert_eq!(
        stdout(&output),
        format!(
            "::error file=on-call-list.toml,line=46,col=1::{SATURDAY}\n\
             ::warning file=on-call-list.toml,line=42,col=1::{TEAM_ID}\n{}{}{}",
            marker(5),
            marker(7),
            marker(9)
        )
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "rota: error: check failed: 4 errors, 1 warning\nhint: fix the lines above; `rota check --strict` also fails on warnings\n"
    );

    // The column of what the parser rejects; `,` and `:` escaped in the file's name, `%` in
    // the message; a clean team prints nothing.
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("sre,ops:eu");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("on-call-list.toml"),
        common::TEAM.replace("Europe/Prague\"", "Europe/Pr%gue\""),
    )
    .unwrap();
    let output = common::rota_in(
        parent.path(),
        NOW,
        &["check", "--format", "github", "--dir", "sre,ops:eu"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "::error file=sre%2Cops%3Aeu/on-call-list.toml,line=4,col=12::unknown time zone \"Europe/Pr%25gue\"%0Ahint: did you mean \"Europe/Prague\"?\n"
    );
    Team::new()
        .rota(NOW, &["check", "--format", "github"])
        .assert()
        .success()
        .stdout("")
        .stderr("rota: check passed: 0 errors, 0 warnings\n");
}

#[test]
fn check_format_gitlab_prints_a_code_quality_report() {
    let team = broken_team();
    let output = team
        .rota(NOW, &["check", "--format", "gitlab"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "the exit code is check's");
    let hint = finish_merge(&team.path("on-call-log.md").display().to_string());
    let issue = |description: String,
                 kind: &str,
                 severity: &str,
                 fingerprint: &str,
                 path: &str,
                 line: usize| {
        serde_json::json!({
            "description": description,
            "check_name": format!("rota-check-{kind}"),
            "fingerprint": fingerprint,
            "severity": severity,
            "location": {"path": path, "lines": {"begin": line}},
        })
    };
    let marker = |fingerprint: &str, line: usize| {
        issue(
            format!("{MARKER} (hint: {hint})"),
            "error",
            "critical",
            fingerprint,
            "on-call-log.md",
            line,
        )
    };
    // The fingerprints are fixed: GitLab compares them across pipelines. Three identical
    // markers differ by how many came before.
    assert_eq!(
        json(&output),
        serde_json::json!([
            issue(
                SATURDAY.into(),
                "error",
                "critical",
                "8346a713d624df4d3f852b33fd1b3fed",
                "on-call-list.toml",
                46
            ),
            issue(
                TEAM_ID.into(),
                "warning",
                "minor",
                "4a85858e197bb44984d544afbed84c91",
                "on-call-list.toml",
                42
            ),
            marker("3a89f5285c33397f088372d3a88c955f", 5),
            marker("3a89f525e633397f088372d3a88b11c6", 7),
            marker("3a89f5237033397f088372d3a8898e2d", 9),
        ])
    );
    // The same findings a line lower keep their fingerprints.
    let list = team.list().replacen("# Our team.", "# Our team.\n#", 1);
    team.write("on-call-list.toml", list);
    let moved = json(
        &team
            .rota(NOW, &["check", "--format", "gitlab"])
            .output()
            .unwrap(),
    );
    assert_eq!(moved[0]["location"]["lines"]["begin"], 47);
    assert_eq!(moved[0]["fingerprint"], "8346a713d624df4d3f852b33fd1b3fed");
    // A clean team: an empty report, which GitLab reads as no issues.
    Team::new()
        .rota(NOW, &["check", "--format", "gitlab"])
        .assert()
        .success()
        .stdout("[]\n");
}

/// `pre-commit try-repo REPO HOOK` in a scratch team's git repository, on what is staged
/// there: its exit status and what it printed. pre-commit's store is a temporary directory;
/// `path` comes first on PATH.
fn try_repo(
    repo: &std::path::Path,
    hook: &str,
    scratch: &Team,
    store: &std::path::Path,
    path: &std::path::Path,
) -> Option<(bool, String)> {
    let program = common::tool("pre-commit")?;
    let search = std::env::join_paths(std::iter::once(path.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let output = std::process::Command::new(program)
        .arg("try-repo")
        .arg(repo)
        .args([hook, "--color", "never"])
        .current_dir(scratch.dir.path())
        .env("PATH", search)
        .env("PRE_COMMIT_HOME", store)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("ROTA_DIR")
        .env_remove("ROTA_NOW")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    Some((output.status.success(), text))
}

/// The hook `hook` passes a good team, blocks a broken list, and is skipped when neither file
/// is staged.
fn hook_guards_the_team(repo: &std::path::Path, hook: &str, name: &str, path: &std::path::Path) {
    let scratch = Team::new();
    let store = tempfile::tempdir().unwrap();
    common::git(scratch.dir.path(), &["init", "-q"]);
    common::git(scratch.dir.path(), &["add", "on-call-list.toml"]);
    let Some((passed, report)) = try_repo(repo, hook, &scratch, store.path(), path) else {
        return;
    };
    assert!(passed, "a good list is refused:\n{report}");
    assert!(
        report.contains(&format!("{name}.")) && report.contains("Passed"),
        "{report}"
    );

    scratch.write(
        "on-call-list.toml",
        common::TEAM.replace("Europe/Prague\"", "Europe/Prag\""),
    );
    common::git(scratch.dir.path(), &["add", "on-call-list.toml"]);
    let (passed, report) = try_repo(repo, hook, &scratch, store.path(), path).unwrap();
    assert!(!passed, "a broken list passes:\n{report}");
    assert!(report.contains("Failed"), "{report}");
    assert!(
        report.contains("on-call-list.toml:4:12: error: unknown time zone \"Europe/Prag\" (hint: did you mean \"Europe/Prague\"?)"),
        "{report}"
    );

    // A commit that touches neither file does not run rota at all.
    scratch.write("on-call-list.toml", common::TEAM);
    common::git(scratch.dir.path(), &["add", "on-call-list.toml"]);
    common::git(
        scratch.dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-qm",
            "team",
        ],
    );
    scratch.write("notes.txt", "hello\n");
    common::git(scratch.dir.path(), &["add", "notes.txt"]);
    let (passed, report) = try_repo(repo, hook, &scratch, store.path(), path).unwrap();
    assert!(passed, "{report}");
    assert!(
        report.contains("(no files to check)") && report.contains("Skipped"),
        "{report}"
    );
}

/// `rota-check-system`: the rota on PATH (the one built for these tests).
#[test]
fn pre_commit_hook_with_rota_on_path_blocks_a_broken_list() {
    let built = std::path::Path::new(env!("CARGO_BIN_EXE_rota"))
        .parent()
        .unwrap();
    // This checkout, uncommitted changes included (try-repo commits them in a shadow copy).
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    hook_guards_the_team(
        repo,
        "rota-check-system",
        "rota check (rota on PATH)",
        built,
    );
}

/// `rota-check`: pre-commit builds rota from the repository with `cargo install` (minutes of
/// compiling: `.ci/run` runs it, `cargo test -- --ignored forge::pre_commit_builds` here).
/// It tries a clone of this checkout's last commit, the same revision each time, so that
/// pre-commit builds it once (with uncommitted changes, try-repo would make a new revision,
/// and a new build, on every run).
#[test]
#[ignore = "builds rota in release mode: .ci/run runs it"]
fn pre_commit_builds_rota_from_the_repository_and_blocks_a_broken_list() {
    let nowhere = tempfile::tempdir().unwrap();
    let clone = tempfile::tempdir().unwrap();
    common::git(
        clone.path(),
        &["clone", "-q", env!("CARGO_MANIFEST_DIR"), "rota"],
    );
    hook_guards_the_team(
        &clone.path().join("rota"),
        "rota-check",
        "rota check",
        nowhere.path(),
    );
}

/// A scratch repository whose team lives in `oncall/`, broken or not.
fn scratch_repository(broken: bool) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let team = repo.path().join("oncall");
    std::fs::create_dir(&team).unwrap();
    let list = if broken {
        common::TEAM.replace("Europe/Prague\"", "Europe/Prag\"")
    } else {
        common::TEAM.to_string()
    };
    std::fs::write(team.join("on-call-list.toml"), list).unwrap();
    repo
}

/// `python3 tests/forge_steps.py ARGS`: the steps of the action or a job of the component as
/// a bash script (and the job's artifacts); `None` when python3 or PyYAML is missing outside
/// CI.
fn forge_steps(args: &[&str]) -> Option<serde_json::Value> {
    let python = common::tool("python3")?;
    let has_yaml = std::process::Command::new(&python)
        .args(["-c", "import yaml"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_yaml {
        assert!(
            std::env::var_os("CI").is_none(),
            "PyYAML is missing: CI must have it (.ci/run installs pre-commit, which brings it)"
        );
        return None;
    }
    let output = std::process::Command::new(python)
        .arg("tests/forge_steps.py")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RUNNER_TEMP", std::env::temp_dir())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

/// Runs `script` with bash in `dir`, the built rota first on PATH, as a forge's runner would:
/// exit code, stdout, stderr.
fn run_script(script: &str, dir: &std::path::Path) -> (Option<i32>, String, String) {
    let built = std::path::Path::new(env!("CARGO_BIN_EXE_rota"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(built.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let github_path = dir.join(".github_path");
    let output = std::process::Command::new("bash")
        .args(["--noprofile", "--norc", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_PATH", &github_path)
        .env("ROTA_NOW", NOW)
        .env_remove("ROTA_DIR")
        .env_remove("ROTA_USER")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const PUBLISHED: &str = "Published Cloud SRE's page to public (as of 2026-11-23):\n  index.html   written\n  status.json  written\n  team.ics     written\n  alice.ics    written\n  bob.ics      written\n  carol.ics    written\n  dave.ics     written\n  erin.ics     written\n";

#[test]
fn the_github_action_checks_annotates_and_publishes() {
    let version = format!("version={}", env!("CARGO_PKG_VERSION"));
    let rota = env!("CARGO_BIN_EXE_rota");
    let installed = format!("rota {} is installed: {rota}\n", env!("CARGO_PKG_VERSION"));
    let steps = |publish: &str| {
        forge_steps(&[
            "github",
            "action.yml",
            &version,
            "directory=oncall",
            publish,
        ])
    };
    let Some(with_publish) = steps("publish=public") else {
        return;
    };
    // A good team: checked, then published.
    let repo = scratch_repository(false);
    let (code, stdout, stderr) = run_script(with_publish["script"].as_str().unwrap(), repo.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, format!("{installed}{PUBLISHED}"));
    assert_eq!(stderr, "rota: check passed: 0 errors, 0 warnings\n");
    assert!(repo.path().join("public/index.html").is_file());

    // A broken list: an annotation at its place, the job fails, nothing is published.
    let repo = scratch_repository(true);
    let (code, stdout, stderr) = run_script(with_publish["script"].as_str().unwrap(), repo.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        stdout,
        format!(
            "{installed}::error file=oncall/on-call-list.toml,line=4,col=12::unknown time zone \"Europe/Prag\"%0Ahint: did you mean \"Europe/Prague\"?\n"
        )
    );
    assert_eq!(
        stderr,
        "rota: error: check failed: 1 error, 0 warnings\nhint: fix the lines above; `rota check --strict` also fails on warnings\nstep failed: rota check\n"
    );
    assert!(!repo.path().join("public").exists());

    // Without `publish`, the check alone.
    let check_only = steps("publish=").unwrap();
    let repo = scratch_repository(false);
    let (code, stdout, _) = run_script(check_only["script"].as_str().unwrap(), repo.path());
    assert_eq!((code, stdout), (Some(0), installed));
    assert!(!repo.path().join("public").exists());
}

#[test]
fn the_gitlab_component_reports_code_quality_and_publishes_pages() {
    let version = format!("version={}", env!("CARGO_PKG_VERSION"));
    let rota = env!("CARGO_BIN_EXE_rota");
    let installed = format!("rota {} is installed: {rota}\n", env!("CARGO_PKG_VERSION"));
    let file = "templates/rota-check.yml";
    let Some(check) = forge_steps(&["gitlab", file, "rota-check", &version, "directory=oncall"])
    else {
        return;
    };
    assert_eq!(check["codequality"], "rota-code-quality.json");
    let report = check["codequality"].as_str().unwrap();

    // A good team: the job passes with an empty report.
    let repo = scratch_repository(false);
    let (code, stdout, stderr) = run_script(check["script"].as_str().unwrap(), repo.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, installed);
    assert_eq!(
        std::fs::read_to_string(repo.path().join(report)).unwrap(),
        "[]\n"
    );

    // A broken list: the job fails, and the report (an artifact `when: always`) names it.
    let repo = scratch_repository(true);
    let (code, stdout, _) = run_script(check["script"].as_str().unwrap(), repo.path());
    assert_eq!((code, stdout), (Some(1), installed.clone()));
    let issues: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.path().join(report)).unwrap()).unwrap();
    assert_eq!(
        issues,
        serde_json::json!([{
            "description": "unknown time zone \"Europe/Prag\" (hint: did you mean \"Europe/Prague\"?)",
            "check_name": "rota-check-error",
            "fingerprint": "b5cb6e80ae0f9042a0ea2f1b917bbc80",
            "severity": "critical",
            "location": {"path": "oncall/on-call-list.toml", "lines": {"begin": 4}},
        }])
    );

    // The pages job: only when asked for, on the default branch; it publishes into public.
    let pages = forge_steps(&[
        "gitlab",
        file,
        "pages",
        &version,
        "directory=oncall",
        "publish=true",
    ])
    .unwrap();
    assert_eq!(
        pages["rules"],
        serde_json::json!(["$ROTA_PAGES == \"true\" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"])
    );
    assert!(
        pages["script"]
            .as_str()
            .unwrap()
            .contains("export ROTA_PAGES=true\n")
    );
    assert_eq!(pages["paths"], serde_json::json!(["public"]));
    let repo = scratch_repository(false);
    let (code, stdout, stderr) = run_script(pages["script"].as_str().unwrap(), repo.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, format!("{installed}{PUBLISHED}"));
    assert!(repo.path().join("public/index.html").is_file());
    let off = forge_steps(&["gitlab", file, "pages", &version]).unwrap();
    assert!(
        off["script"]
            .as_str()
            .unwrap()
            .contains("export ROTA_PAGES=false\n")
    );
}
