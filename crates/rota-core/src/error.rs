//! The one error type: a message, where it happened, and what to do about it.
//!
//! Every failure a user can cause renders as
//!
//! ```text
//! rota: error: unknown time zone "Europe/Prag"
//!   --> on-call-list.toml:3:12
//!    |
//!  3 | timezone = "Europe/Prag"
//!    |            ^^^^^^^^^^^^^
//! hint: did you mean "Europe/Prague"?
//! ```
//!
//! Each error has a [`ErrorKind`] that callers can match on, and the kind decides the exit
//! code: 2 for bad usage, 1 for every other failure. `Display` is the one place an error is
//! rendered.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    location: Option<Box<Location>>,
    hints: Vec<String>,
}

/// What went wrong, for a caller to match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A mistake in how rota was called: a flag, an argument, a value given on the command
    /// line, a prompt needed without a terminal. The only kind that exits 2.
    Usage,
    /// A file or value rota reads is not valid as it stands: the list (usually with the
    /// place), `ROTA_NOW`, `ROTA_SEED`.
    Invalid,
    /// Reading or writing a file or a directory failed.
    Io(std::io::ErrorKind),
    /// Something the command needs is not there: the list, the cover, swap, absence or
    /// handover to take back.
    NotFound,
    /// The files changed under the command, or hold work not finished: another clone's
    /// handover, an edit while answering, a merge git stopped.
    Conflict,
    /// The rotation's rules refuse what was asked: a day handed over, an engineer away, a turn
    /// not begun, a file that exists. Nothing was written.
    Refused,
    /// git failed: a pull, a commit, a push, a merge.
    Git,
    /// The person stopped at a prompt (or the prompt failed); nothing was written.
    Cancelled,
    /// `rota check` found problems: they are on stdout.
    CheckFailed,
    /// rota caught itself about to do something wrong: a bug.
    Internal,
    /// A failure of no more specific kind.
    Failed,
}

impl ErrorKind {
    /// The process's exit code for an error of this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Usage => 2,
            _ => 1,
        }
    }
}

/// A place in a file: shown as `path:line:column` with the offending line underlined.
#[derive(Debug, Clone)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub text: String,
    pub width: usize,
}

impl Location {
    /// Locates a byte range of `source` (the whole text of `path`).
    pub fn of(path: &Path, source: &str, span: Range<usize>) -> Location {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let text = source[line_start..line_end].trim_end_matches('\r');
        let line = source[..start].matches('\n').count() + 1;
        // A place on a line's trailing carriage return (not shown) is shown just after the
        // line's text.
        let column = (source[line_start..start].chars().count() + 1).min(text.chars().count() + 1);
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let width = source[start..end].chars().count().max(1);
        Location {
            path: path.to_path_buf(),
            line,
            column,
            text: text.to_string(),
            width,
        }
    }
}

impl Location {
    /// The located line with a caret under the place, as an error shows it:
    ///
    /// ```text
    ///    |
    /// 17 | name = "Bob
    ///    |        ^
    /// ```
    ///
    /// Control characters of the file are shown as escapes.
    pub fn snippet(&self) -> String {
        use crate::safe::printable;
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        let (shown, before, width) = excerpt(&self.text, self.column - 1, self.width);
        let indent: String = printable(&before)
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!(
            "{pad} |\n{number} | {}\n{pad} | {indent}{}\n",
            printable(&shown),
            "^".repeat(width)
        )
    }
}

/// The most of a line an error shows: a line of a crafted file may be megabytes long.
const SHOWN_CHARS: usize = 100;

/// What an error shows of `line`, whose span starts `column` characters in and is `width`
/// long: the line, or for a long one the stretch around the span between `…`; with the text
/// before the span (for the caret's indent) and the caret's width.
fn excerpt(line: &str, column: usize, width: usize) -> (String, String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let column = column.min(chars.len());
    if chars.len() <= SHOWN_CHARS {
        return (line.to_string(), chars[..column].iter().collect(), width);
    }
    let start = column.saturating_sub(SHOWN_CHARS / 4);
    let end = (start + SHOWN_CHARS).min(chars.len());
    let mark = |on: bool| if on { "…" } else { "" };
    let before = format!(
        "{}{}",
        mark(start > 0),
        chars[start..column].iter().collect::<String>()
    );
    let shown = format!(
        "{before}{}{}",
        chars[column..end].iter().collect::<String>(),
        mark(end < chars.len())
    );
    (shown, before, width.min(end - column).max(1))
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Error {
    pub fn of(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            location: None,
            hints: Vec::new(),
        }
    }

    /// A failure of no more specific kind.
    pub fn new(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Failed, message)
    }

    /// A mistake in how rota was called (exit code 2).
    pub fn usage(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Usage, message)
    }

    /// A file or value that is not valid as it stands.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Invalid, message)
    }

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Conflict, message)
    }

    pub fn refused(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Refused, message)
    }

    pub fn git(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Git, message)
    }

    pub fn cancelled(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Cancelled, message)
    }

    pub fn internal(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Internal, message)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hints.push(hint.into());
        self
    }

    pub fn at(mut self, location: Location) -> Error {
        self.location = Some(Box::new(location));
        self
    }

    /// An I/O failure on `path`, with advice for the usual causes.
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Error {
        let error = Error::of(
            ErrorKind::Io(err.kind()),
            format!("cannot {action} {}: {err}", path.display()),
        );
        match err.kind() {
            std::io::ErrorKind::PermissionDenied => error.hint(format!(
                "check the permissions of {} (rota needs to read and write it)",
                path.display()
            )),
            std::io::ErrorKind::IsADirectory => error.hint(format!(
                "{} must be a file, not a directory",
                path.display()
            )),
            std::io::ErrorKind::StorageFull => {
                error.hint("free some disk space; nothing was changed")
            }
            _ => error,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn location(&self) -> Option<&Location> {
        self.location.as_deref()
    }

    pub fn hints(&self) -> &[String] {
        &self.hints
    }

    /// The message alone, for use inside another message.
    pub fn summary(&self) -> &str {
        &self.message
    }
}

/// Messages quote the files (a line of the list, a key, a path), which anyone who can push can
/// write: what reaches the terminal shows control characters as escapes.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::safe::{printable, printable_lines};
        writeln!(f, "rota: error: {}", printable_lines(&self.message))?;
        if let Some(loc) = &self.location {
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            let path = loc.path.display().to_string();
            writeln!(
                f,
                "{pad}--> {}:{}:{}",
                printable(&path),
                loc.line,
                loc.column
            )?;
            f.write_str(&loc.snippet())?;
        }
        for hint in &self.hints {
            writeln!(f, "hint: {}", printable_lines(hint))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column() {
        let src = "a = 1\ntimezone = \"Europe/Prag\"\n";
        let start = src.find('"').unwrap();
        let loc = Location::of(Path::new("f.toml"), src, start..start + 13);
        assert_eq!((loc.line, loc.column, loc.width), (2, 12, 13));
        assert_eq!(loc.text, "timezone = \"Europe/Prag\"");
        let shown = Error::new("bad").at(loc).hint("fix it").to_string();
        assert!(shown.contains("--> f.toml:2:12"), "{shown}");
        assert!(shown.contains("  |            ^^^^^^^^^^^^^"), "{shown}");
        assert!(shown.ends_with("hint: fix it\n"), "{shown}");
    }

    /// Callers tell errors apart by kind, not by message; the kind decides the exit code.
    #[test]
    fn kinds_can_be_matched_and_decide_the_exit_code() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        let errors = [
            Error::usage("--until is before --from"),
            Error::io("read", Path::new("on-call-log.md"), &gone),
            crate::roster::parse(Path::new("on-call-list.toml"), "[team\n").unwrap_err(),
            crate::store::find_list(Some(Path::new("/nonexistent/team")), Path::new("/"))
                .unwrap_err(),
            Error::refused("bob is away on Tue 2026-11-24"),
            Error::conflict("the rotation changed while you were answering"),
            Error::new("anything else"),
        ];
        let seen: Vec<(&str, u8)> = errors
            .iter()
            .map(|e| {
                let what = match e.kind() {
                    ErrorKind::Usage => "usage",
                    ErrorKind::Io(std::io::ErrorKind::NotFound) => "no such file",
                    ErrorKind::Invalid => "invalid",
                    ErrorKind::NotFound => "not found",
                    ErrorKind::Refused => "refused",
                    ErrorKind::Conflict => "conflict",
                    ErrorKind::Failed => "failed",
                    other => panic!("unexpected kind {other:?} for {e}"),
                };
                (what, e.kind().exit_code())
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("usage", 2),
                ("no such file", 1),
                ("invalid", 1),
                ("not found", 1),
                ("refused", 1),
                ("conflict", 1),
                ("failed", 1),
            ]
        );
        // The kind changes nothing in how the error reads.
        assert_eq!(
            Error::refused("no").hint("do this").to_string(),
            Error::usage("no").hint("do this").to_string()
        );
    }

    /// A value megabytes long is shown as the stretch around the error, not whole.
    #[test]
    fn a_long_line_is_shown_around_its_error() {
        let src = format!("what = \"{}\"", "A".repeat(10_000));
        let shown = Error::invalid("too long")
            .at(Location::of(Path::new("f"), &src, 7..src.len()))
            .to_string();
        let a = |n: usize| "A".repeat(n);
        assert_eq!(
            shown,
            format!(
                "rota: error: too long\n --> f:1:8\n  |\n1 | what = \"{}…\n  |        {}\n",
                a(92),
                "^".repeat(93)
            )
        );
        // In the middle of the line: a quarter of the stretch before the span.
        let src = format!("{}é{}", a(5000), a(5000));
        let shown = Error::invalid("here")
            .at(Location::of(Path::new("f"), &src, 5000..5002))
            .to_string();
        assert_eq!(
            shown,
            format!(
                "rota: error: here\n --> f:1:5001\n  |\n1 | …{}é{}…\n  |  {}^\n",
                a(25),
                a(74),
                " ".repeat(25)
            )
        );
    }

    #[test]
    fn location_survives_spans_past_the_end_and_inside_characters() {
        let src = "naïve";
        let loc = Location::of(Path::new("f"), src, 3..99);
        assert_eq!((loc.line, loc.column), (1, 3));
    }
}
