//! The model and the rules of a working-day on-call rotation kept in two files in git: the
//! calendar, the rotation, the list (`on-call-list.toml`) and its edits, the log
//! (`on-call-log.md`) and its records, the history they make, and the repository they live in.
//!
//! This crate decides; it never prints, reads the environment or the wall clock. The `rota`
//! binary passes in the time, the directory and the settings, and renders what comes back.

#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod appends;
pub mod calendar;
pub mod conflict;
pub mod diff;
pub mod error;
pub mod fault;
#[cfg(test)]
mod fuzz_tests;
pub mod git;
pub mod hash;
pub mod history;
pub mod ics_import;
pub mod logbook;
pub mod logend;
pub mod logformat;
pub mod logmerge;
pub mod maintenance;
pub mod open;
pub mod roster;
pub mod rotation;
pub mod safe;
pub mod scan;
pub mod session;
pub mod state;
pub mod store;
pub mod teams;
pub mod timeline;
pub mod whole_log;
