//! Links the `rota` binary as a position-dependent executable on Linux.
//!
//! The time zone database (chrono-tz) is about a megabyte of tables full of pointers. In a
//! position-independent executable the loader must patch every one of them (some 32,000
//! relocations) and copy every page they sit on before `main` runs: that was most of a
//! command's start-up. Linked at a fixed address, the tables are read straight from the file,
//! and only the pages a command touches are loaded. The code itself is unchanged (still
//! compiled position-independent); what is given up is the address randomisation of the
//! executable's own image, for a program in safe Rust that parses its input without `unsafe`.
//! `docs/benchmarks.md` has the measurements.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
