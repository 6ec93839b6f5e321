//! Opening the team's files as what they should be: regular files, read within a bound.
//!
//! A pushed commit can put a symlink to `/dev/zero`, `/dev/stdin` or a FIFO where rota expects
//! its list or its log. Opening such a thing blocks (a FIFO waits for a writer) and reading it
//! never ends, so every file rota reads from the team's directory is opened here: without
//! blocking (`O_NONBLOCK`, which a regular file ignores), then refused unless the opened file
//! is a regular file, and read at most up to a limit, checked before more is allocated.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Why an opened path is not what rota reads: it is not a regular file.
#[derive(Debug)]
pub struct NotRegular(pub &'static str);

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "it is {}, not a regular file", self.0)
    }
}

impl std::error::Error for NotRegular {}

/// What a file that is not a regular one is, as a message says it.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Opens `path` for reading, refused unless it is a regular file.
pub fn regular(path: &Path) -> io::Result<File> {
    regular_with(OpenOptions::new().read(true), path)
}

/// Opens `path` with `options` without blocking on a FIFO or a device, and refuses what is
/// not a regular file (checked on the opened file, so nothing can swap it in between).
pub fn regular_with(options: &mut OpenOptions, path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            NotRegular(kind_of(&meta)),
        ));
    }
    Ok(file)
}

/// The bytes of `file`, or `None` when it holds more than `limit`: at most `limit + 1` bytes
/// are ever read or allocated.
pub fn read_at_most(file: File, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limit {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The bytes of the regular file at `path` if it holds at most `limit`; `Ok(None)` when it
/// holds more.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    read_at_most(regular(path)?, limit)
}

/// Whether `error` says a path is not a regular file.
pub fn not_regular(error: &io::Error) -> Option<&NotRegular> {
    error.get_ref().and_then(|e| e.downcast_ref::<NotRegular>())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_fifos_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        for (path, what) in [
            (Path::new("/dev/zero"), "a device"),
            (dir.path(), "a directory"),
            (fifo.as_path(), "a FIFO"),
        ] {
            let error = regular(path).unwrap_err();
            assert_eq!(not_regular(&error).unwrap().0, what, "{}", path.display());
        }
        let file = dir.path().join("file");
        std::fs::write(&file, "0123456789").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap().unwrap(), b"0123456789");
        assert_eq!(read_regular(&file, 9).unwrap(), None);
    }
}
