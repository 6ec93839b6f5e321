use std::process::ExitCode;

use clap::Parser;
// The domain lives in rota-core; these names keep `crate::roster` and friends readable here.
use rota_core::{
    appends, calendar, conflict, error, fault, git, history, ics_import, logbook, logformat,
    logmerge, maintenance, roster, rotation, safe, scan, session, store, teams, timeline,
    whole_log,
};

/// `eprintln!` that never panics: a closed stderr (`rota log x 2>&1 | head -1`) must not turn
/// a message into a crash.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;
mod clock;
mod commands;
mod hooks;
mod html;
mod ics;
mod ui;
mod warnings;

fn main() -> ExitCode {
    // Completing a word for a shell (`COMPLETE=bash rota -- rota away ...`): the candidates
    // come from the arguments' definitions in cli.rs; then rota exits.
    clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .complete();
    let cli = cli::Cli::parse();
    fault::arm(cli.environment.test_fault.clone());
    cli.environment.clone().keep();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            use std::io::Write as _;
            let _ = write!(std::io::stderr(), "{error}");
            ExitCode::from(error.kind().exit_code())
        }
    }
}
