//! The changes a write makes, in order, and how to undo them: the mechanics
//! behind [`write()`](super::write())'s all-or-nothing guarantee.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::{OutputError, Step, io_err};
use crate::emit::FileEntry;

/// One change made, and how to undo it.
#[derive(Debug)]
enum Done {
    /// A directory created.
    Dir(PathBuf),
    /// A file created where none was.
    Created(PathBuf),
    /// A file replaced; the old one is kept at `backup`.
    Replaced { path: PathBuf, backup: PathBuf },
    /// A file removed; it is kept at `backup`.
    Removed { path: PathBuf, backup: PathBuf },
}

/// The changes made so far.
#[derive(Default)]
pub(super) struct Journal {
    done: Vec<Done>,
}

impl Journal {
    pub(super) fn apply(
        &mut self,
        out_dir: &Path,
        step: &Step<'_>,
        fault: &mut dyn FnMut(&Path) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        match step {
            Step::Put(path, entry) => self.put(out_dir, path, entry, fault),
            Step::Remove(path) => {
                let target = out_dir.join(path);
                fault(&target).map_err(io_err("remove", &target))?;
                let backup = sibling(&target, "bak");
                fs::rename(&target, &backup).map_err(io_err("remove", &target))?;
                self.done.push(Done::Removed {
                    path: target,
                    backup,
                });
                Ok(())
            }
        }
    }

    /// Writes a temporary sibling and renames it over the target, keeping the
    /// old file as a backup.
    fn put(
        &mut self,
        out_dir: &Path,
        path: &str,
        entry: &FileEntry,
        fault: &mut dyn FnMut(&Path) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let target = out_dir.join(path);
        self.create_parents(out_dir, path)?;
        let temp = sibling(&target, "tmp");
        let written = write_temp(&temp, entry).and_then(|()| fault(&target));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(io_err("write", &target)(e));
        }
        let exists = fs::symlink_metadata(&target).is_ok();
        let backup = sibling(&target, "bak");
        if exists && let Err(e) = back_up(&target, &backup) {
            let _ = fs::remove_file(&temp);
            return Err(io_err("back up", &target)(e));
        }
        if let Err(e) = fs::rename(&temp, &target) {
            let _ = fs::remove_file(&temp);
            if exists {
                let _ = fs::remove_file(&backup);
            }
            return Err(io_err("rename into", &target)(e));
        }
        self.done.push(if exists {
            Done::Replaced {
                path: target,
                backup,
            }
        } else {
            Done::Created(target)
        });
        Ok(())
    }

    /// Creates the missing folders on the way to `path`, journaling each.
    fn create_parents(&mut self, out_dir: &Path, path: &str) -> Result<(), OutputError> {
        let mut dir = out_dir.to_path_buf();
        let parts: Vec<&str> = path.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            dir.push(part);
            match fs::create_dir(&dir) {
                Ok(()) => self.done.push(Done::Dir(dir.clone())),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(io_err("create", &dir)(e)),
            }
        }
        Ok(())
    }

    /// Reverts every change, newest first; returns what could not be restored.
    pub(super) fn undo(self) -> Vec<PathBuf> {
        let mut failed = Vec::new();
        for done in self.done.into_iter().rev() {
            let ok = match &done {
                Done::Dir(dir) => fs::remove_dir(dir).is_ok(),
                Done::Created(path) => fs::remove_file(path).is_ok(),
                Done::Replaced { path, backup } | Done::Removed { path, backup } => {
                    fs::rename(backup, path).is_ok()
                }
            };
            if !ok {
                failed.push(match done {
                    Done::Dir(p) | Done::Created(p) => p,
                    Done::Replaced { path, .. } | Done::Removed { path, .. } => path,
                });
            }
        }
        failed
    }

    /// Deletes the backups and the folders that removals left empty.
    pub(super) fn commit(self, out_dir: &Path) {
        for done in self.done {
            match done {
                Done::Replaced { backup, .. } => {
                    let _ = fs::remove_file(backup);
                }
                Done::Removed { path, backup } => {
                    let _ = fs::remove_file(backup);
                    prune_empty_parents(out_dir, &path);
                }
                Done::Dir(_) | Done::Created(_) => {}
            }
        }
    }
}

/// Removes the folders above `path` that are empty, up to (not including)
/// `out_dir`.
fn prune_empty_parents(out_dir: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// `.<name>.mesosc-<what>` next to `path`.
fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.mesosc-{what}"))
}

/// Writes `entry` to a new file at `temp`, with its mode, synced.
fn write_temp(temp: &Path, entry: &FileEntry) -> io::Result<()> {
    let _ = fs::remove_file(temp);
    let mut f = File::options().write(true).create_new(true).open(temp)?;
    f.write_all(entry.content.as_bytes())?;
    set_mode(temp, entry.mode)?;
    f.sync_all()
}

/// Keeps `from` at `to`: a hard link, or where links fail a copy (a symlink
/// is copied as a link).
fn back_up(from: &Path, to: &Path) -> io::Result<()> {
    let _ = fs::remove_file(to);
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let meta = fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        return copy_symlink(from, to);
    }
    fs::copy(from, to).map(|_| ())
}

#[cfg(unix)]
fn copy_symlink(from: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(fs::read_link(from)?, to)
}

#[cfg(not(unix))]
fn copy_symlink(_from: &Path, _to: &Path) -> io::Result<()> {
    Err(io::Error::other("cannot back up a symbolic link here"))
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}
