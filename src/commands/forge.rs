//! `rota check`'s findings as forges show them beside the changed lines:
//!
//! - `--format github`: GitHub Actions workflow commands, one per finding
//!   (`::error file=F,line=L,col=C::message`), which the runner turns into annotations.
//!   Escaped as the runner reads them: `%`, CR and LF in the message; `:` and `,` too in the
//!   properties.
//! - `--format gitlab`: a GitLab Code Quality report, a JSON array of issues, which a job
//!   hands over as `artifacts: reports: codequality`.
//!
//! Paths are given relative to the current directory when the file is inside it: a forge's
//! job runs at the repository's root, and both forges want paths from there.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// One finding, as `rota check` reports it.
pub struct Annotation<'a> {
    /// `error`, `warning` or `note`.
    pub kind: &'static str,
    pub path: &'a Path,
    pub line: usize,
    /// When known (what the list's parser rejects); otherwise the line's start.
    pub column: Option<usize>,
    pub message: &'a str,
    pub hint: Option<&'a str>,
}

/// GitHub Actions workflow commands: `::error`, `::warning` or `::notice`, one a line.
pub fn github(annotations: &[Annotation]) -> String {
    let mut out = String::new();
    for a in annotations {
        let command = match a.kind {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let mut message = a.message.to_string();
        if let Some(hint) = a.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={}::{}\n",
            github_property(&shown(a.path).display().to_string()),
            a.line,
            a.column.unwrap_or(1),
            github_data(&message),
        ));
    }
    out
}

/// A workflow command's message, as the runner unescapes it.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`file=...`): the message's escapes, and `:` and `,`,
/// which end a property.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A GitLab Code Quality issue.
#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// A GitLab Code Quality report: a JSON array, `[]` when there is nothing to say.
///
/// Severities: an error is `critical` (it fails the job), a warning `minor`, a note `info`.
/// The fingerprint, which GitLab uses to tell a new issue from one the target branch already
/// has, is a hash of the check, the file, the message and how many identical findings come
/// before it: it stays the same when lines above move, and two identical findings differ.
pub fn gitlab(annotations: &[Annotation]) -> String {
    let mut seen: Vec<(String, &str, &str, usize)> = Vec::new();
    let issues: Vec<Issue> = annotations
        .iter()
        .map(|a| {
            let path = shown(a.path).display().to_string();
            let check_name = format!("rota-check-{}", a.kind);
            let occurrence = match seen.iter_mut().find(|(p, kind, message, _)| {
                *p == path && *kind == a.kind && *message == a.message
            }) {
                Some(entry) => {
                    entry.3 += 1;
                    entry.3
                }
                None => {
                    seen.push((path.clone(), a.kind, a.message, 0));
                    0
                }
            };
            let fingerprint =
                fingerprint(&[&check_name, &path, a.message, &occurrence.to_string()]);
            Issue {
                description: match a.hint {
                    Some(hint) => format!("{} (hint: {hint})", a.message),
                    None => a.message.to_string(),
                },
                check_name,
                fingerprint,
                severity: match a.kind {
                    "error" => "critical",
                    "warning" => "minor",
                    _ => "info",
                },
                location: IssueLocation {
                    path,
                    lines: Lines { begin: a.line },
                },
            }
        })
        .collect();
    super::output::json(&issues)
}

/// FNV-1a (128 bits) of the parts, each ended by a NUL, as 32 hex digits: the same on every
/// machine and with every Rust release, unlike the standard library's hasher.
fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

/// `path` relative to the current directory when it is inside it; as it is otherwise.
fn shown(path: &Path) -> PathBuf {
    let Ok(here) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    let canonical = here.canonicalize().unwrap_or_else(|_| here.clone());
    for base in [&here, &canonical] {
        if let Ok(relative) = path.strip_prefix(base) {
            return relative.to_path_buf();
        }
    }
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_messages_and_properties_as_the_runner_reads_them() {
        assert_eq!(github_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(github_property("a:b,c%d"), "a%3Ab%2Cc%25d");
    }

    #[test]
    fn fingerprints_are_fnv1a_128() {
        // The empty input is the offset basis; one NUL byte is the first step past it.
        assert_eq!(fingerprint(&[]), "6c62272e07bb014262b821756295c58d");
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["ab"]));
        assert_eq!(fingerprint(&["x"]), fingerprint(&["x"]));
    }
}
