//! Two things the build decides: how the `rota` binary is linked, and what `rota --version`
//! says.
//!
//! **Linking.** On Linux, `rota` is a position-dependent executable. The time zone database
//! (chrono-tz) is about a megabyte of tables full of pointers. In a position-independent
//! executable the loader must patch every one of them (some 32,000 relocations) and copy every
//! page they sit on before `main` runs: that was most of a command's start-up. Linked at a
//! fixed address, the tables are read straight from the file, and only the pages a command
//! touches are loaded. The code itself is unchanged (still compiled position-independent);
//! what is given up is the address randomisation of the executable's own image, for a program
//! in safe Rust that parses its input without `unsafe`. `docs/benchmarks.md` has the
//! measurements.
//!
//! **Version.** Built from a git checkout of rota, `rota --version` names the commit and its
//! date, and says `-dirty` when tracked files differ from it: `rota 0.2.0 (abc1234 2026-12-07)`.
//! Built from a packaged crate (crates.io, `cargo package`), whose files no git repository
//! tracks, or where git is missing, it is the package version alone.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }

    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let long = match commit(&manifest_dir) {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo::rustc-env=ROTA_VERSION={long}");
}

/// `abc1234 2026-12-07`, or `abc1234-dirty 2026-12-07`: the commit checked out where this
/// package's manifest is tracked. `None` outside such a checkout.
fn commit(dir: &Path) -> Option<String> {
    // The manifest must be tracked: a crate unpacked inside some other repository (a home
    // directory kept in git, `target/package`) is not a checkout of rota.
    git(dir, &["ls-files", "--error-unmatch", "Cargo.toml"])?;
    let hash = git(dir, &["rev-parse", "--short=7", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"])?;
    let dirty = !git(dir, &["status", "--porcelain", "--untracked-files=no"])?.is_empty();
    // Look again when the commit, the index or the sources change.
    for name in ["HEAD", "index"] {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", name]) {
            println!("cargo::rerun-if-changed={}", dir.join(path).display());
        }
    }
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"])
        && let Some(path) = git(dir, &["rev-parse", "--git-path", &branch])
    {
        println!("cargo::rerun-if-changed={}", dir.join(path).display());
    }
    if let Some(path) = git(dir, &["rev-parse", "--git-path", "packed-refs"]) {
        println!("cargo::rerun-if-changed={}", dir.join(path).display());
    }
    for tracked in ["Cargo.toml", "Cargo.lock", "src", "tests"] {
        println!("cargo::rerun-if-changed={}", dir.join(tracked).display());
    }
    let dirty = if dirty { "-dirty" } else { "" };
    Some(format!("{hash}{dirty} {date}"))
}

/// What `git ARGS` printed in `dir`, trimmed; `None` when it failed or git is missing.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}
