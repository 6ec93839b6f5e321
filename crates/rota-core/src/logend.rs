//! Whether the log ends inside a code or HTML block, known without reading the whole log on
//! every command.
//!
//! The everyday readers read the log's end ([`crate::logbook::read_tail`],
//! [`crate::scan::window_start`]) and follow every reading of the blocks that may be open
//! where they start ([`crate::logformat::Midway`]). One reading their window cannot rule out
//! is a block opened before it that never closes: the rest of the log is then that block, on
//! a forge as for the whole-log reader, and no record in it counts. So that case is ruled
//! out by looking: once for each version of the file, the whole log's blocks are followed
//! from its first line (a block of lines at a time, at the speed of finding line breaks), and
//! what was found is kept with the file's identity (device, inode, size, modification and
//! change times, and a checksum of its last 4 KiB) in the clone's own `.git` directory,
//! where no push writes. A pull, an editor or a merge changes that identity, and the next
//! command looks again; rota's own appends, made under the log's lock, note the new identity
//! themselves. As with git's index, an edit that keeps the size, the inode, both timestamps
//! (within the file system's clock tick) and the last 4 KiB goes unseen until the file next
//! changes; `rota check` always reads the whole log.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::hash::fnv1a;
use crate::logformat::Blocks;

/// Where the log ends, as to its blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// No block is open at the end: every block opened in the log closes in it.
    Outside,
    /// A code block or an HTML block opened at line `line` (1-based), which starts at byte
    /// `offset`, runs to the end.
    InsideBlock { line: usize, offset: u64 },
    /// A carriage return not followed by a line feed, at `line` and `column` (1-based, in
    /// characters): CommonMark ends a line there, and rota's readers do not, so from there on
    /// rota and a forge could read different blocks (`note\r```` opens a code block on a
    /// forge). No rota write makes one: it was written by hand.
    LoneCarriageReturn { line: usize, column: usize },
}

/// How the log at `file` (opened from `path`) ends: from what an earlier command found for
/// this very version of the file, or by reading its blocks from the start (and keeping what
/// was found for the next command). The file's position is left anywhere.
pub fn end_of(file: &mut File, path: &Path) -> io::Result<End> {
    let seal = seal_path(path);
    let before = identity(file)?;
    if let Some(end) = read_seal(&seal, path, &before) {
        return Ok(end);
    }
    let end = follow_blocks(file)?;
    // Kept only when the file did not change while it was read.
    if identity(file)? == before {
        write_seal(&seal, path, &before, end);
    }
    Ok(end)
}

/// Notes how the log ends after rota appended to it (under its lock): `end` is what the
/// writer found by following its blocks from where its reading was sure.
pub(crate) fn note_append(file: &mut File, path: &Path, end: End) {
    if let Ok(identity) = identity(file) {
        write_seal(&seal_path(path), path, &identity, end);
    }
}

/// The whole log's blocks, followed from its first line.
fn follow_blocks(file: &mut File) -> io::Result<End> {
    file.seek(SeekFrom::Start(0))?;
    follow(&mut *file)
}

/// How the text `source` gives ends, read from its first line.
pub(crate) fn follow(source: impl Read) -> io::Result<End> {
    let mut blocks = Blocks::new();
    let mut reader = crate::scan::Blocks::new(source);
    let (mut at, mut opened_at, mut lines_before) = (0, 0, 0);
    while let Some(block) = reader.next_block()? {
        if let Some(end) = lone_carriage_return(block, lines_before) {
            return Ok(end);
        }
        lines_before += memchr::memchr_iter(b'\n', block).count();
        let passed = blocks.pass_to_last_heading(block);
        at += passed as u64;
        for line in crate::scan::lines(&block[passed..]) {
            let was_open = blocks.open_block();
            blocks.read(line);
            if blocks.open_block().is_some() && blocks.open_block() != was_open {
                opened_at = at;
            }
            at += line.len() as u64 + 1;
        }
    }
    Ok(match blocks.open_block() {
        Some(line) => End::InsideBlock {
            line,
            offset: opened_at,
        },
        None => End::Outside,
    })
}

/// The first carriage return of `block` (whole lines, after `lines_before` lines) that is
/// followed by something else than a line feed. One that ends the text is a line's end for
/// both readers.
fn lone_carriage_return(block: &[u8], lines_before: usize) -> Option<End> {
    let at = memchr::memchr_iter(b'\r', block)
        .find(|&i| matches!(block.get(i + 1), Some(b) if *b != b'\n'))?;
    let start = memchr::memrchr(b'\n', &block[..at]).map_or(0, |i| i + 1);
    Some(End::LoneCarriageReturn {
        line: lines_before + memchr::memchr_iter(b'\n', &block[..at]).count() + 1,
        column: String::from_utf8_lossy(&block[start..at]).chars().count() + 1,
    })
}

/// How many bytes at the end of the log the identity checksums.
const LAST_BYTES: u64 = 4096;

/// What tells this version of the log from any other without reading it.
fn identity(file: &mut File) -> io::Result<String> {
    let meta = file.metadata()?;
    let len = meta.len();
    let start = len.saturating_sub(LAST_BYTES);
    let mut last = Vec::with_capacity((len - start) as usize);
    file.seek(SeekFrom::Start(start))?;
    (&mut *file).take(len - start).read_to_end(&mut last)?;
    let stamps = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            format!(
                "{}:{}:{}.{}:{}.{}",
                meta.dev(),
                meta.ino(),
                meta.mtime(),
                meta.mtime_nsec(),
                meta.ctime(),
                meta.ctime_nsec()
            )
        }
        #[cfg(not(unix))]
        {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{modified}")
        }
    };
    Ok(format!("{len}:{stamps}:{:016x}", fnv1a(&last)))
}

const HEADER: &str = "rota log end v2";

/// The most a seal holds: a few short lines.
const MAX_SEAL_BYTES: u64 = 1024;

/// Where what was found about the log `path` is kept: beside the append journal (see
/// [`crate::logbook::journal_path`]).
fn seal_path(path: &Path) -> PathBuf {
    crate::logbook::scratch_path(path, "end")
}

fn log_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn render(path: &Path, identity: &str, end: End) -> String {
    let end = match end {
        End::Outside => "outside".to_string(),
        End::InsideBlock { line, offset } => format!("block {line}@{offset}"),
        End::LoneCarriageReturn { line, column } => format!("cr {line}:{column}"),
    };
    format!(
        "{HEADER}\nlog={}\nfile={identity}\nend={end}\n",
        log_name(path)
    )
}

/// What the seal says of this version of the log, if it speaks of it; anything else (none, a
/// link, another file's, another version's, damaged) says nothing.
fn read_seal(seal: &Path, path: &Path, identity: &str) -> Option<End> {
    if seal.is_symlink() {
        return None;
    }
    let mut text = String::new();
    crate::open::regular(seal)
        .ok()?
        .take(MAX_SEAL_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    let mut lines = text.lines();
    (lines.next()? == HEADER).then_some(())?;
    (lines.next()?.strip_prefix("log=")? == log_name(path)).then_some(())?;
    (lines.next()?.strip_prefix("file=")? == identity).then_some(())?;
    let end = lines.next()?.strip_prefix("end=")?;
    lines.next().is_none().then_some(())?;
    let number = |text: &str| text.parse::<usize>().ok().filter(|n| *n > 0);
    if end == "outside" {
        return Some(End::Outside);
    }
    if let Some((line, offset)) = end.strip_prefix("block ").and_then(|e| e.split_once('@')) {
        return Some(End::InsideBlock {
            line: number(line)?,
            offset: offset.parse().ok()?,
        });
    }
    let (line, column) = end.strip_prefix("cr ")?.split_once(':')?;
    Some(End::LoneCarriageReturn {
        line: number(line)?,
        column: number(column)?,
    })
}

/// Replaces the seal in one rename; a failure (a read-only clone) only means the next command
/// looks again.
fn write_seal(seal: &Path, path: &Path, identity: &str, end: End) {
    let mut name = seal.as_os_str().to_os_string();
    name.push(format!(".{}", std::process::id()));
    let temporary = PathBuf::from(name);
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut f| f.write_all(render(path, identity, end).as_bytes()))
        .and_then(|()| std::fs::rename(&temporary, seal));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(dir: &Path, text: &str) -> (PathBuf, File) {
        let path = dir.join("on-call-log.md");
        std::fs::write(&path, text).unwrap();
        let file = File::open(&path).unwrap();
        (path, file)
    }

    #[test]
    fn a_block_that_never_closes_is_found_wherever_it_opened() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = log(dir.path(), "# Log\n\n```\n## 2026-11-23 Mon\n");
        assert_eq!(
            end_of(&mut file, &path).unwrap(),
            End::InsideBlock { line: 3, offset: 7 }
        );
        let (path, mut file) = log(dir.path(), "# Log\n\n```\nx\n```\n\n<!--\n");
        assert_eq!(
            end_of(&mut file, &path).unwrap(),
            End::InsideBlock {
                line: 7,
                offset: 18
            }
        );
        let (path, mut file) = log(dir.path(), "# Log\n\n~~~\n```\n~~~\n");
        assert_eq!(end_of(&mut file, &path).unwrap(), End::Outside);
    }

    #[test]
    fn a_carriage_return_that_ends_no_line_is_found_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = log(dir.path(), "# Log\r\n\r\nnote é\r```\r\n```\n");
        let end = End::LoneCarriageReturn { line: 3, column: 7 };
        assert_eq!(end_of(&mut file, &path).unwrap(), end);
        assert_eq!(
            read_seal(&seal_path(&path), &path, &identity(&mut file).unwrap()),
            Some(end)
        );
        // Line ends of either kind, and one at the very end, are not.
        let (path, mut file) = log(dir.path(), "# Log\r\n\nx\r");
        assert_eq!(end_of(&mut file, &path).unwrap(), End::Outside);
    }

    #[test]
    fn what_was_found_is_kept_for_that_version_only() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = log(dir.path(), "# Log\n\n```\n");
        assert_eq!(
            end_of(&mut file, &path).unwrap(),
            End::InsideBlock { line: 3, offset: 7 }
        );
        let seal = std::fs::read_to_string(seal_path(&path)).unwrap();
        assert!(seal.starts_with("rota log end v2\nlog=on-call-log.md\nfile="));
        assert!(seal.ends_with("\nend=block 3@7\n"));
        // A seal that says otherwise of this very version is believed (it is rota's own)...
        let identity = identity(&mut file).unwrap();
        write_seal(&seal_path(&path), &path, &identity, End::Outside);
        assert_eq!(end_of(&mut file, &path).unwrap(), End::Outside);
        // ...but not of another version: the file is read again.
        let mut appended = OpenOptions::new().append(true).open(&path).unwrap();
        appended.write_all(b"```\n\n<!--\n").unwrap();
        assert_eq!(
            end_of(&mut file, &path).unwrap(),
            End::InsideBlock {
                line: 6,
                offset: 16
            }
        );
    }

    #[test]
    fn a_damaged_or_linked_seal_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = log(dir.path(), "# Log\n\n```\n");
        let identity = identity(&mut file).unwrap();
        let seal = seal_path(&path);
        for damaged in [
            format!("rota log end v2\nlog=on-call-log.md\nfile={identity}\nend=block 3\n"),
            format!("rota log end v2\nlog=other.md\nfile={identity}\nend=outside\n"),
            format!("rota log end v2\nlog=on-call-log.md\nfile={identity}\nend=outside\nmore\n"),
        ] {
            std::fs::write(&seal, damaged).unwrap();
            assert_eq!(read_seal(&seal, &path, &identity), None);
        }
        #[cfg(unix)]
        {
            let elsewhere = dir.path().join("elsewhere");
            std::fs::write(
                &elsewhere,
                format!("rota log end v2\nlog=on-call-log.md\nfile={identity}\nend=outside\n"),
            )
            .unwrap();
            std::fs::remove_file(&seal).unwrap();
            std::os::unix::fs::symlink(&elsewhere, &seal).unwrap();
            assert_eq!(read_seal(&seal, &path, &identity), None);
        }
    }
}
