//! The console blocks of README.md and docs/*.md, run as shown: every `$ command` of a ```` ```console ```` block
//! runs through `sh` in a team directory made for the block, and what it prints (stdout and
//! stderr together, as a terminal shows them) must be the lines that follow it, exactly. A line
//! `...` (indented or not) stands for any number of lines the README leaves out.
//!
//! Each block says what it needs in an HTML comment just above it, invisible when rendered:
//!
//! ```text
//! <!-- rota-test: now=2026-11-23T10:15:00+01:00 user=carol before=`rota away bob 2026-12-01` -->
//! ```
//!
//! - `now=TIME`: the clock (`ROTA_NOW`), for the block's commands and its `before` commands;
//! - `user=ID`: who is typing (`ROTA_USER`);
//! - `before=`COMMAND``: a command run first, whose output is not shown (it must succeed);
//! - `log-before=`LINE``: the example log only up to the first line that starts with `LINE`;
//! - `empty`: an empty directory instead of the example team; `git`: a git repository;
//! - `tty=COLUMNS`: stdout is a terminal that wide (a pseudo-terminal), not a pipe;
//! - `prompts`: the one command runs on a terminal and answers its prompts as shown: a line
//!   `QUESTION [Y/n] ANSWER` (or `[y/N]`) is a yes/no question, a line `QUESTION (...): TEXT`
//!   asks for text; each answer is typed as a line. What the terminal shows at the end is
//!   compared;
//! - `skip=`REASON``: the block is not run, and says why;
//! - `clones`: a session across several clones, run by `team::the_readme_team_sessions_run_as_shown`.
//!
//! The team is the repository's example (`examples/cloud-sre/`: `on-call-list.toml`, `on-call-log.md`),
//! in a scratch directory shown as `/srv/team`. `NO_COLOR` is set; CRLF (the calendar feed's)
//! reads as LF. A command must exit 0 unless what it prints holds `rota: error:`.

use std::io::Read;
use std::path::Path;
use std::process::Command;

/// The pages whose console blocks run: the README and the reference in docs/.
const PAGES: [(&str, &str); 5] = [
    ("README.md", include_str!("../../README.md")),
    ("docs/commands.md", include_str!("../../docs/commands.md")),
    ("docs/team.md", include_str!("../../docs/team.md")),
    ("docs/files.md", include_str!("../../docs/files.md")),
    (
        "docs/development.md",
        include_str!("../../docs/development.md"),
    ),
];
const LIST: &str = include_str!("../../examples/cloud-sre/on-call-list.toml");
const LOG: &str = include_str!("../../examples/cloud-sre/on-call-log.md");
/// How the README shows the team's directory.
const SHOWN_DIR: &str = "/srv/team";

/// What a block needs, from its `<!-- rota-test: ... -->` comment.
#[derive(Debug, Default)]
struct Setup {
    now: Option<String>,
    user: Option<String>,
    before: Vec<String>,
    log_before: Option<String>,
    prompts: bool,
    empty: bool,
    git: bool,
    tty: Option<u16>,
    skip: Option<String>,
    clones: bool,
}

/// One ```` ```console ```` block: its first line's number in README.md, its setup and its lines.
#[derive(Debug)]
struct Block {
    line: usize,
    setup: Option<Setup>,
    lines: Vec<String>,
}

/// Every console block of `text`, with the `rota-test` comment above it (only blank lines may
/// come between the two).
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut comment: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("<!-- rota-test:") {
            let mut text = line.to_string();
            while !text.trim_end().ends_with("-->") {
                i += 1;
                text.push(' ');
                text.push_str(lines.get(i).expect("an unclosed rota-test comment"));
            }
            comment = Some(text);
        } else if line == "```console" {
            let start = i + 1;
            let mut body = Vec::new();
            i += 1;
            while lines[i] != "```" {
                body.push(lines[i].to_string());
                i += 1;
            }
            blocks.push(Block {
                line: start,
                setup: comment
                    .take()
                    .map(|c| parse_setup(&c).unwrap_or_else(|e| panic!("README.md:{start}: {e}"))),
                lines: body,
            });
        } else if !line.trim().is_empty() {
            comment = None;
        }
        i += 1;
    }
    blocks
}

fn parse_setup(comment: &str) -> Result<Setup, String> {
    let body = comment
        .trim()
        .strip_prefix("<!-- rota-test:")
        .and_then(|c| c.strip_suffix("-->"))
        .ok_or("a rota-test comment is `<!-- rota-test: ... -->`")?;
    let mut setup = Setup::default();
    let mut rest = body.trim_start();
    while !rest.is_empty() {
        let end = rest.find([' ', '=']).unwrap_or(rest.len());
        let key = &rest[..end];
        rest = &rest[end..];
        let value = if let Some(after) = rest.strip_prefix("=`") {
            let close = after.find('`').ok_or(format!("{key}=` is not closed"))?;
            rest = &after[close + 1..];
            Some(after[..close].to_string())
        } else if let Some(after) = rest.strip_prefix('=') {
            let close = after.find(' ').unwrap_or(after.len());
            rest = &after[close..];
            Some(after[..close].to_string())
        } else {
            None
        };
        rest = rest.trim_start();
        let needs = |value: Option<String>| value.ok_or(format!("{key} needs a value"));
        match key {
            "now" => setup.now = Some(needs(value)?),
            "user" => setup.user = Some(needs(value)?),
            "before" => setup.before.push(needs(value)?),
            "log-before" => setup.log_before = Some(needs(value)?),
            "tty" => {
                setup.tty = Some(
                    needs(value)?
                        .parse()
                        .map_err(|e| format!("tty=COLUMNS: {e}"))?,
                );
            }
            "skip" => setup.skip = Some(needs(value)?),
            "empty" => setup.empty = true,
            "git" => setup.git = true,
            "clones" => setup.clones = true,
            "prompts" => setup.prompts = true,
            _ => return Err(format!("unknown rota-test key {key:?}")),
        }
    }
    Ok(setup)
}

/// The commands of a block and the lines each prints. A command is a line `$ ...`, with the
/// lines after it when it ends in `\`.
fn commands(lines: &[String]) -> Vec<(String, Vec<String>)> {
    let mut commands: Vec<(String, Vec<String>)> = Vec::new();
    let mut continued = false;
    for line in lines {
        if continued {
            let command = &mut commands.last_mut().expect("a command").0;
            command.push('\n');
            command.push_str(line);
            continued = line.ends_with('\\');
        } else if let Some(command) = line.strip_prefix("$ ") {
            commands.push((command.to_string(), Vec::new()));
            continued = line.ends_with('\\');
        } else {
            commands
                .last_mut()
                .expect("a console block opens with a `$ ` command")
                .1
                .push(line.clone());
        }
    }
    commands
}

/// `expected`, where a line `...` matches any lines, matches `actual`.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first() == Some(&first.as_str()) && matches(rest, &actual[1..])
        }
    }
}

/// `sh -c COMMAND` in `dir`, in the block's environment, stderr with stdout.
fn shell(dir: &Path, setup: &Setup, command: &str) -> Command {
    let rota = Path::new(env!("CARGO_BIN_EXE_rota")).parent().unwrap();
    let path = format!(
        "{}:{}",
        rota.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("{{ {command}\n}} 2>&1"))
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("ROTA_SEED", "4157262103")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "rota tests")
        .env("GIT_AUTHOR_EMAIL", "tests@example.org")
        .env("GIT_COMMITTER_NAME", "rota tests")
        .env("GIT_COMMITTER_EMAIL", "tests@example.org")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("ROTA_DIR")
        .env_remove("ROTA_USER")
        .env_remove("COLUMNS");
    if let Some(now) = &setup.now {
        sh.env("ROTA_NOW", now);
    }
    if let Some(user) = &setup.user {
        sh.env("ROTA_USER", user);
    }
    sh
}

/// Runs `command` as `setup` says: whether it succeeded, and what it printed (the team's
/// directory shown as the README shows it).
fn run(dir: &Path, setup: &Setup, command: &str) -> (bool, String) {
    let mut sh = shell(dir, setup, command);
    let (success, output) = match setup.tty {
        None => {
            let output = sh.output().unwrap();
            (
                output.status.success(),
                String::from_utf8_lossy(&output.stdout).into_owned(),
            )
        }
        Some(columns) => {
            sh.env("COLUMNS", columns.to_string()).env("TERM", "dumb");
            let process = rexpect::process::PtyProcess::new(sh).unwrap();
            let mut output = Vec::new();
            // The terminal reads EIO once the process has gone: what came before is kept.
            let _ = process.get_file_handle().unwrap().read_to_end(&mut output);
            (
                matches!(
                    process.wait().unwrap(),
                    rexpect::process::WaitStatus::Exited(_, 0)
                ),
                String::from_utf8_lossy(&output).into_owned(),
            )
        }
    };
    let mut output = output.replace("\r\n", "\n");
    for shown in [dir.to_path_buf(), dir.canonicalize().unwrap()] {
        output = output.replace(shown.to_str().unwrap(), SHOWN_DIR);
    }
    (success, output)
}

/// Runs `command` on a terminal, answering its prompts as `lines` show, and returns what the
/// terminal shows at the end (see [`screen`]).
fn converse(dir: &Path, setup: &Setup, command: &str, lines: &[String]) -> Result<String, String> {
    let mut sh = shell(dir, setup, command);
    sh.env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(sh, Some(10_000)).map_err(|e| e.to_string())?;
    // rexpect reads a byte as a char: look for the bytes of `text` the same way.
    let bytes = |text: &str| text.bytes().map(char::from).collect::<String>();
    let mut seen = String::new();
    let expect = |p: &mut rexpect::session::PtySession, seen: &mut String, wanted: &str| {
        p.exp_string(&bytes(wanted))
            .map(|before| {
                seen.push_str(&before);
                seen.push_str(&bytes(wanted));
            })
            .map_err(|_| {
                format!(
                    "waiting for {wanted:?}; the terminal showed:\n{}",
                    screen(seen)
                )
            })
    };
    for line in lines {
        let answer = ["[Y/n] ", "[y/N] "]
            .into_iter()
            .find_map(|choices| line.split_once(choices).map(|(q, a)| (q, choices, a)));
        // The answer typed, and shown as a terminal echoes it (rexpect's terminal does not).
        let typed = if let Some((question, choices, key)) = answer {
            expect(&mut p, &mut seen, &format!("{question}{choices}"))?;
            Some(key)
        } else if let Some((question, text)) = line.split_once("): ") {
            expect(&mut p, &mut seen, &format!("{question}): "))?;
            Some(text)
        } else {
            None
        };
        if let Some(text) = typed {
            p.send_line(text).map_err(|e| e.to_string())?;
            seen.push_str(&bytes(&format!("{text}\r\n")));
        }
    }
    let rest = p.exp_eof().map_err(|e| format!("the end: {e}"))?;
    seen.push_str(&rest);
    Ok(screen(&seen))
}

/// The lines a terminal shows for `transcript` (bytes read as chars): a carriage return starts
/// the line again (the prompts redraw their line with the answer), and escape sequences (the
/// cursor hidden and shown, the line cleared) show nothing.
fn screen(transcript: &str) -> String {
    let text = String::from_utf8_lossy(&transcript.chars().map(|c| c as u8).collect::<Vec<u8>>())
        .into_owned();
    let mut out = String::new();
    for line in text.split("\r\n") {
        let shown = line.rsplit('\r').next().unwrap_or_default();
        let mut chars = shown.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // CSI: ESC [ parameters, then a final letter.
                chars.by_ref().find(|c| c.is_ascii_alphabetic());
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out.truncate(out.trim_end_matches('\n').len());
    out.push('\n');
    out
}

/// A scratch team directory as `setup` describes it.
fn team(setup: &Setup) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if !setup.empty {
        std::fs::write(dir.path().join("on-call-list.toml"), LIST).unwrap();
        let log = match &setup.log_before {
            None => LOG.to_string(),
            Some(line) => {
                let end = LOG
                    .find(&format!("\n{line}"))
                    .unwrap_or_else(|| panic!("log-before: no line {line:?} in the example log"));
                format!("{}\n", LOG[..end].trim_end_matches('\n'))
            }
        };
        std::fs::write(dir.path().join("on-call-log.md"), log).unwrap();
    }
    let silent = |command: &str| {
        let (success, output) = run(dir.path(), setup, command);
        assert!(success, "{command}: {output}");
    };
    if setup.git {
        silent("git init -q -b main");
        if !setup.empty {
            silent("git add -A && git commit -qm 'the example team'");
        }
    }
    for command in &setup.before {
        silent(command);
    }
    dir
}

#[test]
fn the_readme_console_blocks_print_what_they_show() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for (page, block) in PAGES
        .iter()
        .flat_map(|(page, text)| blocks(text).into_iter().map(move |b| (*page, b)))
    {
        let Some(setup) = &block.setup else {
            failures.push(format!(
                "{page}:{}: a console block without a `<!-- rota-test: ... -->` comment above it (say what it needs, or skip=`why`)",
                block.line
            ));
            continue;
        };
        if setup.skip.is_some() || setup.clones {
            continue;
        }
        let dir = team(setup);
        if setup.prompts {
            let [(command, expected)] = &commands(&block.lines)[..] else {
                panic!("{page}:{}: `prompts` takes one command", block.line);
            };
            match converse(dir.path(), setup, command, expected) {
                Err(e) => failures.push(format!(
                    "{page}:{}: `{command}` does not go as shown: {e}",
                    block.line
                )),
                Ok(actual) if !matches(expected, &actual.lines().collect::<Vec<_>>()) => {
                    failures.push(format!(
                        "{page}:{}: `{command}` shows otherwise.\n--- the page shows:\n{}\n--- the terminal shows:\n{actual}",
                        block.line,
                        expected.join("\n")
                    ));
                }
                Ok(_) => {}
            }
            ran += 1;
            continue;
        }
        for (command, expected) in commands(&block.lines) {
            let (success, actual) = run(dir.path(), setup, &command);
            let lines: Vec<&str> = actual.lines().collect();
            if !matches(&expected, &lines) {
                failures.push(format!(
                    "{page}:{}: `{command}` prints otherwise.\n--- the page shows:\n{}\n--- rota prints:\n{actual}",
                    block.line,
                    expected.join("\n")
                ));
            } else if success == actual.contains("rota: error:") {
                failures.push(format!(
                    "{page}:{}: `{command}` {} although it prints {}",
                    block.line,
                    if success { "succeeds" } else { "fails" },
                    if success { "an error" } else { "no error" }
                ));
            }
            ran += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        ran >= 20,
        "only {ran} commands ran: the blocks were not found"
    );
}

/// The interactive handover of the README, answered as shown, appends the handover record the
/// README shows as the log's format, and leaves the list as it was.
#[test]
fn the_readme_handover_writes_the_record_its_log_section_shows() {
    let commands_page = PAGES[1].1;
    let files_page = PAGES[3].1;
    let block = blocks(commands_page)
        .into_iter()
        .find(|b| b.setup.as_ref().is_some_and(|s| s.prompts))
        .expect("the handover's block");
    let setup = block.setup.as_ref().unwrap();
    let dir = team(setup);
    let [(command, expected)] = &commands(&block.lines)[..] else {
        panic!("one command");
    };
    converse(dir.path(), setup, command, expected).unwrap();
    let section = &files_page[files_page
        .find("\n## `on-call-log.md`\n")
        .expect("the log's section")..];
    let shown = &section[section.find("```markdown\n").unwrap() + 12..];
    let shown = &shown[..shown.find("```").unwrap()];
    let record = |text: &str| text[text.rfind("### Handover").unwrap()..].to_string();
    let log = std::fs::read_to_string(dir.path().join("on-call-log.md")).unwrap();
    assert_eq!(record(&log), record(shown));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("on-call-list.toml")).unwrap(),
        LIST
    );
}

#[test]
fn the_screen_shows_a_prompt_redrawn_with_its_answer() {
    assert_eq!(
        screen("a\r\n\r\nq [Y/n] \u{1b}[?25l\r\u{1b}[2Kq yes\r\n\u{1b}[?25hb\r\n"),
        "a\n\nq yes\nb\n"
    );
}

#[test]
fn a_line_of_dots_stands_for_any_lines() {
    let expected = |text: &str| -> Vec<String> { text.lines().map(String::from).collect() };
    assert!(matches(&expected("a\n...\nd"), &["a", "b", "c", "d"]));
    assert!(matches(&expected("a\n...\nd"), &["a", "d"]));
    assert!(matches(&expected("a\n..."), &["a"]));
    assert!(matches(&expected("a\n  ...\nd"), &["a", "  b", "d"]));
    assert!(!matches(&expected("a\n...\nd"), &["a", "b", "c"]));
    assert!(!matches(&expected("a\nb"), &["a", "b", "c"]));
    assert!(!matches(&expected("a\nb"), &["a"]));
}

#[test]
fn a_setup_comment_reads_every_key() {
    let setup = parse_setup(
        "<!-- rota-test: now=2026-11-23T10:15:00+01:00 user=carol before=`rota away bob 2026-12-01 --reason \"a b\"` log-before=`## 2026-11-19` empty git tty=100 prompts -->",
    )
    .unwrap();
    assert_eq!(setup.now.as_deref(), Some("2026-11-23T10:15:00+01:00"));
    assert_eq!(setup.user.as_deref(), Some("carol"));
    assert_eq!(setup.before, ["rota away bob 2026-12-01 --reason \"a b\""]);
    assert_eq!(setup.log_before.as_deref(), Some("## 2026-11-19"));
    assert!(setup.empty && setup.git && setup.prompts && !setup.clones);
    assert_eq!(setup.tty, Some(100));
    assert!(parse_setup("<!-- rota-test: nwo=2026-11-23 -->").is_err());
}
