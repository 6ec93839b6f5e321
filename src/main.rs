use std::process::ExitCode;

use clap::Parser;
// The domain lives in rota-core; these names keep `crate::roster` and friends readable here.
use rota_core::{
    appends, calendar, conflict, error, fault, git, history, ics_import, logbook, logformat,
    logmerge, maintenance, roster, rotation, safe, scan, session, store, teams, timeline,
    whole_log,
};

mod cli;
mod clock;
mod commands;
mod hooks;
mod html;
mod ics;
mod ui;
mod warnings;

fn main() -> ExitCode {
    fault::arm(std::env::var("ROTA_TEST_FAULT").ok());
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("{error}");
            ExitCode::from(error.kind().exit_code())
        }
    }
}
