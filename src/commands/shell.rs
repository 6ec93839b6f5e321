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

/// The man page, `rota(1)`; its SUBCOMMANDS section names every command.
pub fn man() -> Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::new(format!("cannot render the man page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
