use std::process::ExitCode;

use clap::Parser;

mod calendar;
mod cli;
mod clock;
mod commands;
mod conflict;
mod error;
mod fault;
#[cfg(test)]
mod fuzz_tests;
mod git;
mod history;
mod hooks;
mod html;
mod ics;
mod logbook;
mod logformat;
mod logmerge;
mod maintenance;
mod roster;
mod rotation;
mod safe;
mod scan;
mod state;
mod store;
mod timeline;
mod ui;
mod warnings;
mod whole_log;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("{error}");
            ExitCode::from(error.kind().exit_code())
        }
    }
}
