//! Shell completions and the man page, generated from the same clap types as `--help`.

use clap::CommandFactory;

use crate::cli::{Cli, Shell};
use crate::error::{Error, Result};

pub fn completions(shell: Shell) -> String {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rota", &mut out);
    String::from_utf8_lossy(&out).into_owned()
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
        .map_err(|e| Error::new(format!("cannot render the man page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
