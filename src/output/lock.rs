//! The lock on an output folder, held while a build writes it.
//!
//! On Unix it is an OS lock (`flock`) on `out/.mesosc.lock`: the kernel
//! releases it when the holder dies, however it dies, so a killed build's
//! lock is taken over by the next build without a manual step (the file a
//! killed build leaves is not a lock, only a name). The holder removes the
//! file before it lets go; a build that locked a file just removed (it
//! opened it before the removal) sees that the name no longer leads to its
//! file, and starts again. The lock is never followed through a symbolic
//! link. Elsewhere the file is created exclusively, and a killed build's
//! file must be removed by hand.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{LOCK, OutputError};

/// The held lock; [`Lock::release`] lets it go.
pub(super) struct Lock {
    path: PathBuf,
    /// The open (and, on Unix, locked) file.
    _file: File,
}

impl Lock {
    /// Takes the lock of `out_dir`, or says that another build holds it.
    pub(super) fn take(out_dir: &Path) -> Result<Lock, OutputError> {
        let path = out_dir.join(LOCK);
        let mut file = imp::take(&path)?;
        let _ = file.set_len(0);
        let _ = writeln!(file, "mesosc build, process {}", std::process::id());
        Ok(Lock { path, _file: file })
    }

    /// Removes the lock file, then lets the lock go.
    pub(super) fn release(self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
mod imp {
    use std::fs::{self, File};
    use std::os::unix::fs::MetadataExt as _;
    use std::path::Path;

    use rustix::fs::{FileType, FlockOperation, Mode, OFlags};
    use rustix::io::Errno;

    use super::super::{OutputError, io_err};

    pub(super) fn take(path: &Path) -> Result<File, OutputError> {
        loop {
            let flags = OFlags::RDWR
                | OFlags::CREATE
                | OFlags::NOFOLLOW
                | OFlags::NONBLOCK
                | OFlags::CLOEXEC;
            let fd = match rustix::fs::open(path, flags, Mode::from_raw_mode(0o644)) {
                Ok(fd) => fd,
                Err(Errno::LOOP) => {
                    return Err(OutputError::Symlink {
                        path: path.to_path_buf(),
                    });
                }
                Err(e) => return Err(io_err("create", path)(e.into())),
            };
            let stat = rustix::fs::fstat(&fd).map_err(|e| io_err("inspect", path)(e.into()))?;
            if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
                return Err(OutputError::Conflict {
                    paths: vec![super::LOCK.to_owned()],
                });
            }
            match rustix::fs::flock(&fd, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(Errno::WOULDBLOCK) => {
                    return Err(OutputError::Locked {
                        lock: path.to_path_buf(),
                    });
                }
                Err(e) => return Err(io_err("lock", path)(e.into())),
            }
            // The holder before us removes the file before it unlocks: if
            // the name now leads elsewhere, the lock taken is on a removed
            // file, and the race starts again.
            let same = fs::symlink_metadata(path)
                .is_ok_and(|m| m.ino() == stat.st_ino && m.dev() == stat.st_dev);
            if same {
                return Ok(File::from(fd));
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use std::fs::File;
    use std::io;
    use std::path::Path;

    use super::super::{OutputError, io_err};

    pub(super) fn take(path: &Path) -> Result<File, OutputError> {
        match File::options().write(true).create_new(true).open(path) {
            Ok(f) => Ok(f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(OutputError::Locked {
                lock: path.to_path_buf(),
            }),
            Err(e) => Err(io_err("create", path)(e)),
        }
    }
}
