//! Reading a file below the output folder with the writer's discipline: no
//! symbolic link is followed (not the file, not a folder on the way), and
//! only a regular file is read. A FIFO, socket or device is reported, never
//! opened in a way that could block. Every reader of `out/` goes through
//! here: `diff`, `build --check`, the manifest and the journal.
//!
//! The output folder itself must be a real directory (or missing); that is
//! [`root`]'s answer.

use std::io;
use std::path::Path;

use super::{OutputError, io_err};

/// What is at a path below the output folder.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// Nothing (or a folder on the way is missing).
    Missing,
    /// A regular file, with its bytes.
    File(Vec<u8>),
    /// A symbolic link, FIFO, socket, device or folder, at the path or on
    /// the way to it: not read.
    Special,
}

/// Whether the output folder exists; an error when it is a symbolic link
/// or not a directory.
pub(crate) fn root(out_dir: &Path) -> Result<bool, OutputError> {
    match std::fs::symlink_metadata(out_dir) {
        Ok(m) if m.file_type().is_symlink() => Err(OutputError::Symlink {
            path: out_dir.to_path_buf(),
        }),
        Ok(m) if m.is_dir() => Ok(true),
        Ok(_) => Err(OutputError::NotADirectory {
            path: out_dir.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err("inspect", out_dir)(e)),
    }
}

/// Reads `rel` (a `/`-separated path checked by `check_path`) below
/// `out_dir` (see the module docs).
pub(crate) fn read_below(out_dir: &Path, rel: &str) -> Result<Found, OutputError> {
    imp::read_below(out_dir, rel).map_err(io_err("read", &out_dir.join(rel)))
}

#[cfg(unix)]
mod imp {
    use std::fs::File;
    use std::io::{self, Read as _};
    use std::path::Path;

    use rustix::fd::OwnedFd;
    use rustix::fs::{FileType, Mode, OFlags};
    use rustix::io::Errno;

    use super::Found;

    /// Each folder is opened relative to the one above it, without
    /// following a link; the file is opened non-blocking (a FIFO opens at
    /// once) and read only when `fstat` says it is a regular file.
    pub(super) fn read_below(out_dir: &Path, rel: &str) -> io::Result<Found> {
        let folder = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let mut dir: OwnedFd = match rustix::fs::open(out_dir, folder, Mode::empty()) {
            Ok(fd) => fd,
            Err(e) => return refused(e),
        };
        let mut parts = rel.split('/').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                let file = OFlags::RDONLY
                    | OFlags::NOFOLLOW
                    | OFlags::NONBLOCK
                    | OFlags::NOCTTY
                    | OFlags::CLOEXEC;
                let fd = match rustix::fs::openat(&dir, part, file, Mode::empty()) {
                    Ok(fd) => fd,
                    Err(e) => return refused(e),
                };
                let stat = rustix::fs::fstat(&fd)?;
                if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
                    return Ok(Found::Special);
                }
                let mut bytes = Vec::with_capacity(usize::try_from(stat.st_size).unwrap_or(0));
                File::from(fd).read_to_end(&mut bytes)?;
                return Ok(Found::File(bytes));
            }
            dir = match rustix::fs::openat(&dir, part, folder, Mode::empty()) {
                Ok(fd) => fd,
                Err(e) => return refused(e),
            };
        }
        Ok(Found::Missing)
    }

    /// What a failed open means: nothing there, something that is not what
    /// was asked for (a link, a file where a folder was expected, a socket),
    /// or a real error.
    fn refused(e: Errno) -> io::Result<Found> {
        match e {
            Errno::NOENT => Ok(Found::Missing),
            Errno::LOOP | Errno::NOTDIR | Errno::NXIO | Errno::OPNOTSUPP => Ok(Found::Special),
            e => Err(e.into()),
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use std::fs;
    use std::io;
    use std::path::Path;

    use super::Found;

    /// Each component is inspected without following it, then a regular
    /// file is read (a race with a process swapping in a link meanwhile is
    /// not guarded against here).
    pub(super) fn read_below(out_dir: &Path, rel: &str) -> io::Result<Found> {
        let mut path = out_dir.to_path_buf();
        let mut parts = rel.split('/').peekable();
        while let Some(part) = parts.next() {
            path.push(part);
            let meta = match fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Missing),
                Err(e) => return Err(e),
            };
            let last = parts.peek().is_none();
            if meta.file_type().is_symlink()
                || (last && !meta.is_file())
                || (!last && !meta.is_dir())
            {
                return Ok(Found::Special);
            }
        }
        fs::read(&path).map(Found::File)
    }
}
