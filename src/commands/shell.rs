//! Shell completions and the man page, generated from the same clap types as `--help`.

use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;

use crate::cli::{Cli, Shell};
use crate::error::{Error, Result};

/// The script that registers rota's completions with `shell`. It hands each word to complete
/// back to rota (`COMPLETE=SHELL rota -- WORDS`), which answers from the argument definitions
/// in cli.rs (clap_complete's dynamic engine): the commands and flags, and for an argument
/// that takes an engineer id or a day, the team's ids or the coming days. Nothing about the
/// arguments is copied into the script.
pub fn completions(shell: Shell) -> String {
    use clap_complete::env::EnvCompleter;
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &clap_complete::env::Bash,
        Shell::Zsh => &clap_complete::env::Zsh,
        Shell::Fish => &clap_complete::env::Fish,
        Shell::Powershell => &clap_complete::env::Powershell,
        Shell::Elvish => &clap_complete::env::Elvish,
    };
    let mut out = Vec::new();
    completer
        .write_registration("COMPLETE", "rota", "rota", "rota", &mut out)
        .expect("writing to memory does not fail");
    String::from_utf8_lossy(&out).into_owned()
}

/// The team the word being completed is for: `ROTA_DIR`'s, else found from the current
/// directory (nothing outside a team, and no error to print into the terminal).
fn team_here() -> Option<crate::store::Workspace> {
    let dir = crate::cli::declared_env("dir").map(std::path::PathBuf::from);
    let cwd = super::current_dir().ok()?;
    crate::store::Workspace::open(dir.as_deref(), &cwd).ok()
}

/// Candidates for an argument that takes an engineer id: the team's ids, each with the
/// engineer's name.
pub fn engineer_ids() -> Vec<CompletionCandidate> {
    let Some(workspace) = team_here() else {
        return Vec::new();
    };
    workspace
        .roster
        .engineers
        .iter()
        .map(|e| CompletionCandidate::new(&e.id).help(Some(e.name.clone().into())))
        .collect()
}

/// Candidates for an argument that takes a day: today (in the team's zone) and the next 14
/// days, each with its weekday.
pub fn days() -> Vec<CompletionCandidate> {
    let Some(workspace) = team_here() else {
        return Vec::new();
    };
    let Ok(now) = crate::clock::at(crate::cli::declared_env("now").as_deref()) else {
        return Vec::new();
    };
    let today = workspace.roster.calendar.today(now);
    today
        .iter_days()
        .take(15)
        .map(|d| {
            CompletionCandidate::new(d.to_string())
                .help(Some(d.format("%a").to_string().into()))
                .display_order(Some(0))
        })
        .collect()
}

/// The man page, `rota(1)`; its SUBCOMMANDS section names `rota-who(1)` and the others.
/// With `out`, writes it and one page per command there (so that those names exist).
pub fn man(context: &super::Context, out: Option<&std::path::Path>) -> Result<String> {
    let command = Cli::command();
    let Some(dir) = out else {
        return render(clap_mangen::Man::new(command));
    };
    let mut pages = vec![(
        "rota.1".to_string(),
        render(clap_mangen::Man::new(command.clone()))?,
    )];
    // Built, the command also holds clap's `help`, which rota.1 names too.
    let mut command = command;
    command.build();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("rota-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(name.clone());
        pages.push((format!("{name}.1"), render(clap_mangen::Man::new(page))?));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, &e))?;
    for (file, page) in &pages {
        let path = dir.join(file);
        std::fs::write(&path, page).map_err(|e| Error::io("write", &path, &e))?;
    }
    context.ui.note(&format!(
        "wrote {} man pages to {}: rota.1 and rota-COMMAND.1 for each command",
        pages.len(),
        dir.display()
    ));
    Ok(String::new())
}

fn render(man: clap_mangen::Man) -> Result<String> {
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|e| Error::internal(format!("cannot render the man page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
