//! The integration tests: the real `rota` run in temporary team directories. One test binary
//! (one link of the helpers and the dev-dependencies), one module per subject; `cargo test
//! --test suite MODULE::` runs one subject.

mod common;

mod announce;
mod carry;
mod cli;
mod diff;
mod edge;
mod errors;
mod example;
mod forge;
mod forge_text;
mod git;
mod hints;
mod hooks;
mod imports;
mod interactive;
mod ledger;
mod logformat;
mod publish;
mod readme;
mod regions;
mod remind;
mod robustness;
mod schedule;
mod schema;
mod security;
mod session;
mod shell;
mod surprises;
mod team;
mod teams;
mod timeline;
mod timezones;
mod untrusted;
