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
//! and maps to an exit code: 1 for a failed command, 2 for bad usage.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub struct Error {
    message: String,
    location: Option<Box<Location>>,
    hints: Vec<String>,
    exit_code: u8,
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
        let column = source[line_start..start].chars().count() + 1;
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

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            location: None,
            hints: Vec::new(),
            exit_code: 1,
        }
    }

    /// A mistake in how rota was called (exit code 2).
    pub fn usage(message: impl Into<String>) -> Error {
        Error {
            exit_code: 2,
            ..Error::new(message)
        }
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
        let error = Error::new(format!("cannot {action} {}: {err}", path.display()));
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

    pub fn exit_code(&self) -> u8 {
        self.exit_code
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
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {}", printable(&loc.text))?;
            let before: String = loc.text.chars().take(loc.column - 1).collect();
            let indent: String = printable(&before)
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {indent}{}", "^".repeat(loc.width))?;
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

    #[test]
    fn location_survives_spans_past_the_end_and_inside_characters() {
        let src = "naïve";
        let loc = Location::of(Path::new("f"), src, 3..99);
        assert_eq!((loc.line, loc.column), (1, 3));
    }
}
