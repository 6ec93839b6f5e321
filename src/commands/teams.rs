//! What the commands' `--all` share: each team named by its directory (relative to the
//! repository's top), its problems said on one line with paths relative to the top, and the
//! error that ends a run in which some teams failed, after the others were answered.

use std::path::Path;

use crate::error::{Error, ErrorKind};
use crate::safe::printable;

/// `text` with the top's path taken out of every path it names: paths relative to the top,
/// as the teams' directories are shown.
pub fn relative(text: &str, top: &Path) -> String {
    text.replace(&format!("{}/", top.display()), "")
}

/// A team's error on one line: `PATH:LINE:COLUMN: message` when it has a place, the message
/// otherwise; paths relative to the top, control characters shown as escapes.
pub fn one_line(error: &Error, top: &Path) -> String {
    let line = match error.location() {
        Some(at) => format!(
            "{}:{}:{}: {}",
            at.path.display(),
            at.line,
            at.column,
            error.summary()
        ),
        None => error.summary().to_string(),
    };
    printable(&relative(&line, top)).into_owned()
}

/// A team's directory as shown: relative to the top, control characters as escapes.
pub fn shown(rel: &str) -> String {
    printable(rel).into_owned()
}

/// The error that ends a run of `--all` in which `failed` teams (their directories) of
/// `total` failed: `what` says what became of them (`could not be read`).
pub fn failed(kind: ErrorKind, what: &str, failed: &[&str], total: usize) -> Error {
    let dirs: Vec<String> = failed.iter().map(|d| shown(d)).collect();
    Error::of(
        kind,
        format!(
            "{} of {total} team{} {what}: {}",
            failed.len(),
            if total == 1 { "" } else { "s" },
            dirs.join(", ")
        ),
    )
}

/// How a run of `--all` ends: its answer, when every team was read; else the answer printed,
/// then the error naming the teams (their directories) of `total` that could not be read,
/// with `hint`.
pub fn answered(
    out: String,
    unread: &[&str],
    total: usize,
    hint: &str,
) -> crate::error::Result<String> {
    if unread.is_empty() {
        return Ok(out);
    }
    super::print(&out)?;
    Err(failed(ErrorKind::Failed, "could not be read", unread, total).hint(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_top_are_shown_relative_to_it() {
        let top = Path::new("/srv/org");
        assert_eq!(
            relative("cannot read /srv/org/db/on-call-log.md: gone", top),
            "cannot read db/on-call-log.md: gone"
        );
        // Another directory that starts with the same name is not the top's.
        assert_eq!(relative("/srv/organised/x", top), "/srv/organised/x");
        let error = Error::invalid("unknown time zone").at(crate::error::Location::of(
            &top.join("db/on-call-list.toml"),
            "[team]\ntimezone = \"X\"\n",
            18..21,
        ));
        assert_eq!(
            one_line(&error, top),
            "db/on-call-list.toml:2:12: unknown time zone"
        );
    }
}
