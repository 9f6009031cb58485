//! The changes a write makes, in order, and how to undo them: the mechanics
//! behind [`write()`](super::write())'s all-or-nothing guarantee.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::recover::{prune_empty_parents, sibling};
use super::{Fault, OutputError, Step, io_err};
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
pub(super) struct Journal {
    done: Vec<Done>,
    /// Folders (relative to the output folder) known to be real
    /// directories: inspected while planning, or created here. Each folder
    /// is created once, not once per file in it.
    dirs: HashSet<String>,
    /// Names this build's temporary files and backups (see `recover.rs`).
    nonce: String,
}

impl Journal {
    /// A journal that takes the folders in `dirs` as existing.
    pub(super) fn new(dirs: HashSet<String>, nonce: String) -> Journal {
        Journal {
            done: Vec::new(),
            dirs,
            nonce,
        }
    }

    /// Makes every change of `steps`, journaling each:
    ///
    /// 1. the missing folders, level by level, each level on every core;
    /// 2. every file that did not exist (but the manifest), written to its
    ///    temporary sibling and renamed into place, on every core: a path
    ///    never holds half a file, and a failure removes it again;
    /// 3. every other new content (replacements, and the manifest) into its
    ///    temporary sibling, synced, on every core (nothing is visible yet);
    /// 4. the renames and removals one by one, in order, the manifest last
    ///    of the writes.
    ///
    /// On an error, the temporary files are removed and the caller undoes
    /// the journal.
    pub(super) fn apply_all(
        &mut self,
        out_dir: &Path,
        steps: &[Step<'_>],
        fault: &Fault<'_>,
    ) -> Result<(), OutputError> {
        self.create_dirs(out_dir, steps)?;
        let fresh = |s: &&Step<'_>| matches!(s, Step::Put(p, _, None) if *p != super::MANIFEST);
        let created: Vec<(PathBuf, Result<(), OutputError>)> = steps
            .par_iter()
            .filter(fresh)
            .map(|step| {
                let Step::Put(path, entry, _) = step else {
                    unreachable!("only new files are created in place")
                };
                let target = out_dir.join(path);
                let temp = sibling(&target, &self.nonce, "tmp");
                let result = fault(&target)
                    .and_then(|()| create(&temp, &target, entry))
                    .map_err(io_err("write", &target));
                (target, result)
            })
            .collect();
        let mut first_error = None;
        for (target, result) in created {
            match result {
                Ok(()) => self.done.push(Done::Created(target)),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(error) = first_error {
            return Err(error);
        }
        let rest: Vec<&Step<'_>> = steps.iter().filter(|s| !fresh(s)).collect();
        let temps: Vec<Result<Option<PathBuf>, OutputError>> = rest
            .par_iter()
            .map(|step| match step {
                Step::Put(path, entry, _) => {
                    let target = out_dir.join(path);
                    let temp = sibling(&target, &self.nonce, "tmp");
                    match write_temp(&temp, entry) {
                        Ok(()) => Ok(Some(temp)),
                        Err(e) => {
                            let _ = fs::remove_file(&temp);
                            Err(io_err("write", &target)(e))
                        }
                    }
                }
                Step::Remove(..) => Ok(None),
            })
            .collect();
        let mut written = Vec::with_capacity(temps.len());
        for temp in temps {
            match temp {
                Ok(t) => written.push(t),
                Err(e) => {
                    first_error.get_or_insert(e);
                    written.push(None);
                }
            }
        }
        if let Some(error) = first_error {
            remove_temps(&written);
            return Err(error);
        }
        for (i, step) in rest.iter().enumerate() {
            let done = match (step, &written[i]) {
                (Step::Put(path, _, old), Some(temp)) => {
                    self.put(out_dir, path, temp, old.is_some(), fault)
                }
                (Step::Remove(path, _), _) => self.remove(out_dir, path, fault),
                (Step::Put(..), None) => unreachable!("every put has its temporary file"),
            };
            if let Err(error) = done {
                remove_temps(&written[i + 1..]);
                return Err(error);
            }
        }
        Ok(())
    }

    /// Renames a stale owned file to its backup.
    fn remove(&mut self, out_dir: &Path, path: &str, fault: &Fault<'_>) -> Result<(), OutputError> {
        let target = out_dir.join(path);
        fault(&target).map_err(io_err("remove", &target))?;
        let backup = sibling(&target, &self.nonce, "bak");
        fs::rename(&target, &backup).map_err(io_err("remove", &target))?;
        self.done.push(Done::Removed {
            path: target,
            backup,
        });
        Ok(())
    }

    /// Renames the written temporary file over the target, keeping the old
    /// file as a backup; removes the temporary file on failure.
    fn put(
        &mut self,
        out_dir: &Path,
        path: &str,
        temp: &Path,
        existed: bool,
        fault: &Fault<'_>,
    ) -> Result<(), OutputError> {
        let target = out_dir.join(path);
        if let Err(e) = fault(&target) {
            let _ = fs::remove_file(temp);
            return Err(io_err("write", &target)(e));
        }
        // Whether a file is there was found while planning, under the lock
        // (as with any check before a rename, a process other than mesosc
        // writing into the folder meanwhile is not guarded against).
        let exists = existed;
        let backup = sibling(&target, &self.nonce, "bak");
        if exists && let Err(e) = back_up(&target, &backup) {
            let _ = fs::remove_file(temp);
            return Err(io_err("back up", &target)(e));
        }
        if let Err(e) = fs::rename(temp, &target) {
            let _ = fs::remove_file(temp);
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

    /// Creates the folders missing on the way to the files `steps` puts,
    /// journaling each: shallowest first, each depth on every core (folders
    /// of one depth do not contain each other).
    fn create_dirs(&mut self, out_dir: &Path, steps: &[Step<'_>]) -> Result<(), OutputError> {
        let mut missing: BTreeSet<(usize, &str)> = BTreeSet::new();
        for step in steps {
            if let Step::Put(path, ..) = step {
                for (i, _) in path.match_indices('/') {
                    let rel = &path[..i];
                    if !self.dirs.contains(rel) {
                        missing.insert((rel.matches('/').count(), rel));
                    }
                }
            }
        }
        let mut levels: Vec<Vec<&str>> = Vec::new();
        for (depth, rel) in missing {
            if levels.len() <= depth {
                levels.resize_with(depth + 1, Vec::new);
            }
            levels[depth].push(rel);
        }
        for level in levels {
            let made: Vec<(PathBuf, io::Result<bool>)> = level
                .par_iter()
                .map(|rel| {
                    let dir = out_dir.join(rel);
                    let made = match fs::create_dir(&dir) {
                        Ok(()) => Ok(true),
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {
                            Ok(false)
                        }
                        Err(e) => Err(e),
                    };
                    (dir, made)
                })
                .collect();
            let mut first_error = None;
            for (dir, made) in made {
                match made {
                    Ok(true) => self.done.push(Done::Dir(dir)),
                    Ok(false) => {}
                    Err(e) => {
                        first_error.get_or_insert_with(|| io_err("create", &dir)(e));
                    }
                }
            }
            if let Some(error) = first_error {
                return Err(error);
            }
            self.dirs.extend(level.iter().map(|rel| (*rel).to_owned()));
        }
        Ok(())
    }

    /// Reverts every change: the files newest first, then the folders
    /// deepest first; returns what could not be restored.
    pub(super) fn undo(self) -> Vec<PathBuf> {
        let mut failed = Vec::new();
        let (dirs, files): (Vec<Done>, Vec<Done>) = self
            .done
            .into_iter()
            .partition(|d| matches!(d, Done::Dir(_)));
        for done in files.into_iter().rev().chain(dirs.into_iter().rev()) {
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

/// Removes the temporary files of puts that will not be renamed.
fn remove_temps(temps: &[Option<PathBuf>]) {
    for temp in temps.iter().flatten() {
        let _ = fs::remove_file(temp);
    }
}

/// Writes `entry` to a new file at `temp`, with its mode, synced.
fn write_temp(temp: &Path, entry: &FileEntry) -> io::Result<()> {
    let create = || File::options().write(true).create_new(true).open(temp);
    // The nonce makes the name this build's; a file there is removed
    // (never followed), which happens only when the nonce repeats.
    let mut f = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let _ = fs::remove_file(temp);
            create()?
        }
        other => other?,
    };
    f.write_all(entry.content.as_bytes())?;
    set_mode(&f, entry.mode)?;
    f.sync_all()
}

/// Writes `entry` to `temp` (a new file, with its mode) and renames it to
/// `target`, which did not exist when the build was planned; removes the
/// temporary file when that fails.
fn create(temp: &Path, target: &Path, entry: &FileEntry) -> io::Result<()> {
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, entry.mode);
    let written = options.open(temp).and_then(|mut f| {
        f.write_all(entry.content.as_bytes())?;
        if !umask_keeps(entry.mode) {
            set_mode(&f, entry.mode)?;
        }
        Ok(())
    });
    let done = written.and_then(|()| fs::rename(temp, target));
    if done.is_err() {
        let _ = fs::remove_file(temp);
    }
    done
}

/// Whether the process's umask leaves `mode` as it is on a new file (then
/// no `chmod` is needed); false when the umask cannot be read.
fn umask_keeps(mode: u32) -> bool {
    static UMASK: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    let umask = UMASK.get_or_init(|| {
        // Linux reports it without changing it (reading it otherwise means
        // setting it, which races with other threads).
        let status = fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
        u32::from_str_radix(line.trim(), 8).ok()
    });
    umask.is_some_and(|u| mode & u == 0)
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
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}
