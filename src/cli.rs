//! Every command-line type. Precedence everywhere: flag, then `ROTA_*` environment variable,
//! then the file, then the default.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// A working-day on-call rotation, a handover checklist and a topic log, kept in two plain
/// files in the team's git repository.
#[derive(Debug, Parser)]
#[command(name = "rota", version, propagate_version = true)]
#[command(
    after_help = "With no command, rota runs `rota who`.\n\nEnvironment: ROTA_DIR (as --dir), ROTA_NOW (an RFC 3339 time that replaces the clock), ROTA_SEED (the seed of a new rotation), ROTA_USER (your engineer id), NO_COLOR."
)]
pub struct Cli {
    /// The directory holding on-call-list.toml [default: the current directory or its nearest
    /// parent that has one]
    #[arg(long, global = true, env = "ROTA_DIR", value_name = "PATH")]
    pub dir: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Who is on call now (or on --date), and how to reach them
    Who(WhoArgs),
    /// Record a piece of topic work in the log; with no text, show today's entries
    Log(LogArgs),
    /// End of the day: walk the checklist, record the handover, move the rotation on
    Handover(HandoverArgs),
}

#[derive(Debug, Args, Default)]
pub struct WhoArgs {
    /// Answer for this day instead of today
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,

    /// Print a JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// What you did, in one line; words written as #tag are tags
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,

    /// Write the entry in this engineer's name [default: ROTA_USER, else the engineer on call]
    #[arg(long = "as", value_name = "ID")]
    pub author: Option<String>,
}

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// Confirm every checklist item without asking (for scripts)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// A note for the next engineer
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Hand over even though the next engineer's turn has not started yet
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dates_are_checked_by_the_parser() {
        let err = Cli::try_parse_from(["rota", "who", "--date", "2026-13-01"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let ok = Cli::try_parse_from(["rota", "who", "--date", "2026-11-28"]).unwrap();
        assert!(matches!(
            ok.command,
            Some(Command::Who(WhoArgs { date: Some(_), .. }))
        ));
    }
}
