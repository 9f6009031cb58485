//! The only code that writes to disk: puts a [`FileSet`] into the output
//! folder, all or nothing, and compares a folder with a set (`--check`,
//! `diff`).
//!
//! # Ownership
//!
//! mesosc owns exactly the files listed in the folder's `manifest.json` (and
//! the manifest itself). A build rewrites owned files that changed, removes
//! owned files it no longer produces, and never touches any other file: it
//! reports them as foreign (a folder that holds nothing of mesosc's, such as
//! `.git/`, is reported once, not file by file). Three consequences:
//!
//! - A file the new build produces, at a path where a foreign file with other
//!   content exists, is a [`OutputError::Conflict`]: nothing is written, and
//!   the user decides. A foreign file with the very content mesosc would write
//!   (left by an interrupted build, or a copied tree) is adopted as it is.
//! - A `manifest.json` that is not mesosc's is an error rather than a guess.
//! - An owned file whose content no longer matches the old manifest was
//!   edited by hand: it is still rewritten (or removed), and reported in
//!   [`WriteReport::edited`].
//!
//! # The output folder
//!
//! It must be a real directory or not exist yet (it is then created, with its
//! parents). A symlink is refused, and so is a symlink anywhere below it on
//! the way to a generated file: the build would otherwise write outside the
//! folder it was given (`out/hosts -> /etc`). A generated path must be
//! relative, `/`-separated, without `.`, `..` or empty components.
//!
//! # All or nothing
//!
//! [`write()`] takes `out/.mesosc.lock` (created exclusively; present means
//! another build is running, or one was killed: the error names the file to
//! remove), then plans every change before making any: conflicts and unusable
//! paths fail here, with nothing changed. Missing folders are created first.
//! A file that does not exist yet is created in place, with its mode (on
//! every core: no old content can be mistaken for it). Every other new
//! content (a replacement, and the manifest) is written to a temporary
//! sibling (`.<name>.mesosc-tmp`), given its mode, and synced (all of them
//! first, on every core: none is visible yet), then renamed over the target
//! in path order; the file it replaces is first kept as a backup
//! (`.<name>.mesosc-bak`, a hard link, or a copy where links fail). Files to
//! remove are renamed to backups too. If any step fails, every change made so
//! far is undone (new files and backups first, newest first, then created
//! folders, deepest first), so the folder is as it was; if undoing itself
//! fails, [`OutputError::RollbackFailed`] names what could not be restored.
//! Backups are deleted only after every step succeeded; an output folder the
//! build created is removed again when it fails. `manifest.json` is written
//! after every other file, then come the removals: a build killed midway
//! (which no code can undo) leaves the old manifest, and the next build adopts
//! or conflicts as above. New files are not synced one by one (a crash may
//! lose them like any unsynced write); the next build finds such a file
//! missing or unlike its manifest hash, and writes it again.
//!
//! Each folder on the way is inspected once and created once, not once per
//! file. Unchanged files are not rewritten, so their mtime stays. Every file gets
//! the mode its [`FileEntry`] asks for (0644 for all
//! of them today); a file whose content is unchanged but mode differs is
//! rewritten with the right mode. Directories removed are only those left
//! empty by removing stale files.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use rayon::prelude::*;
use serde::Deserialize;
use thiserror::Error;

use crate::emit::{FileEntry, FileSet, sha256_hex};

use journal::Journal;
pub use survey::{Survey, survey};

pub mod diff;
mod journal;
mod survey;

/// The manifest's name in the output folder.
pub const MANIFEST: &str = "manifest.json";
/// The lock file's name in the output folder.
pub const LOCK: &str = ".mesosc.lock";

/// What a successful [`write()`] did. Every list holds paths relative to the
/// output folder, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or rewritten.
    pub written: Vec<String>,
    /// Files whose content was already right (left untouched).
    pub unchanged: Vec<String>,
    /// Files an earlier build wrote that this one no longer produces.
    pub removed: Vec<String>,
    /// Files mesosc never wrote, left alone; a folder holding none of
    /// mesosc's files is listed once, with a final `/`.
    pub foreign: Vec<String>,
    /// Files mesosc wrote that were edited by hand since (their hash differs
    /// from the old manifest's); each was rewritten or removed.
    pub edited: Vec<String>,
}

/// Why the output folder could not be written. Nothing was changed, except
/// for [`OutputError::RollbackFailed`].
#[derive(Debug, Error, Diagnostic)]
pub enum OutputError {
    /// The output path exists and is not a directory.
    #[error("`{}` is not a directory", path.display())]
    #[diagnostic(code(mesosc::output::not_a_directory))]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },

    /// The output folder, or a folder below it on the way to a generated
    /// file, is a symlink.
    #[error("`{}` is a symbolic link; mesosc writes only into real directories", path.display())]
    #[diagnostic(
        code(mesosc::output::symlink),
        help("give the link's target as the output folder, or replace the link with a directory")
    )]
    Symlink {
        /// The link.
        path: PathBuf,
    },

    /// Another build holds the lock (or a killed one left it).
    #[error("`{}` exists: another mesosc build is writing this folder", lock.display())]
    #[diagnostic(
        code(mesosc::output::locked),
        help("if no build is running, a killed one left the lock behind: remove `{}`", lock.display())
    )]
    Locked {
        /// The lock file.
        lock: PathBuf,
    },

    /// `manifest.json` exists but was not written by mesosc.
    #[error("`{}` is not a mesosc manifest: {reason}", path.display())]
    #[diagnostic(
        code(mesosc::output::foreign_manifest),
        help(
            "mesosc cannot tell which files it owns; move the file away or choose another folder"
        )
    )]
    ForeignManifest {
        /// The manifest's path.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// Files the build would overwrite that mesosc did not write.
    #[error("would overwrite files mesosc did not write: {}", paths.join(", "))]
    #[diagnostic(
        code(mesosc::output::conflict),
        help("move these files away, or delete them, and build again")
    )]
    Conflict {
        /// Their paths, relative to the output folder.
        paths: Vec<String>,
    },

    /// A generated path that is not a plain relative path.
    #[error("`{path}` is not a relative path inside the output folder")]
    #[diagnostic(code(mesosc::output::bad_path))]
    BadPath {
        /// The path.
        path: String,
    },

    /// A file-system operation failed; everything done before was undone.
    #[error("cannot {action} `{}`: {source}", path.display())]
    #[diagnostic(code(mesosc::output::io))]
    Io {
        /// What was being done ("write", "rename", "read"...).
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },

    /// A step failed, and undoing the steps before it failed too.
    #[error(
        "{error}; undoing the build failed too, these paths were not restored: {}",
        list(unrestored)
    )]
    #[diagnostic(code(mesosc::output::rollback_failed))]
    RollbackFailed {
        /// The first failure.
        error: Box<OutputError>,
        /// What could not be put back.
        unrestored: Vec<PathBuf>,
    },
}

fn list(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |source| OutputError::Io {
        action,
        path,
        source,
    }
}

/// One way in which an output folder differs from a build.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Drift {
    /// The path, relative to the output folder.
    pub path: String,
    /// How it differs.
    pub kind: DriftKind,
}

/// How a file differs from what a build would write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DriftKind {
    /// The build would write other content.
    Differs,
    /// The build would create it.
    Missing,
    /// An earlier build wrote it, and this build would remove it.
    Extra,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DriftKind::Differs => "differs",
            DriftKind::Missing => "missing",
            DriftKind::Extra => "extra",
        };
        write!(f, "{what}: {}", self.path)
    }
}

/// The part of an old manifest that says what mesosc owns.
#[derive(Deserialize)]
struct OldManifest {
    generated_by: String,
    files: Vec<OldFile>,
    /// The fingerprint of the build's inputs (none before mesosc recorded it).
    #[serde(default)]
    inputs: Option<String>,
}

#[derive(Deserialize)]
struct OldFile {
    path: String,
    sha256: String,
    #[serde(default)]
    mode: Option<String>,
}

/// The folder's manifest, checked to be mesosc's and to list only plain
/// relative paths; `None` when there is no manifest.
fn read_manifest(out_dir: &Path) -> Result<Option<OldManifest>, OutputError> {
    let path = out_dir.join(MANIFEST);
    let text = match fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err("read", &path)(e)),
    };
    let foreign = |reason: String| OutputError::ForeignManifest {
        path: path.clone(),
        reason,
    };
    let old: OldManifest = serde_json::from_slice(&text).map_err(|e| foreign(format!("{e}")))?;
    if !old.generated_by.starts_with("Generated by mesosc") {
        return Err(foreign("its `generated_by` does not name mesosc".into()));
    }
    if let Some(f) = old.files.iter().find(|f| check_path(&f.path).is_err()) {
        return Err(foreign(format!("it lists `{}`", f.path)));
    }
    Ok(Some(old))
}

/// The files an earlier build wrote, with their hashes then (the manifest
/// itself included, without hash); empty when there is no manifest.
fn read_owned(out_dir: &Path) -> Result<BTreeMap<String, Option<String>>, OutputError> {
    let Some(old) = read_manifest(out_dir)? else {
        return Ok(BTreeMap::new());
    };
    let mut owned: BTreeMap<String, Option<String>> = old
        .files
        .into_iter()
        .map(|f| (f.path, Some(f.sha256)))
        .collect();
    owned.insert(MANIFEST.to_owned(), None);
    Ok(owned)
}

/// A generated path must be relative and plain.
fn check_path(path: &str) -> Result<(), OutputError> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..");
    if bad {
        Err(OutputError::BadPath {
            path: path.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Folders below the output folder already inspected during one write, by
/// `/`-separated path: each is looked at once, not once per file below it.
#[derive(Default)]
struct Dirs {
    /// Real directories (not symlinks).
    real: HashSet<String>,
    /// Folders found missing.
    missing: HashSet<String>,
}

/// Refuses a symlink (or a non-directory) at any folder between `out_dir`
/// and `path`; whether every folder on the way exists (when one is missing,
/// so is `path`).
fn check_parents(out_dir: &Path, path: &str, dirs: &mut Dirs) -> Result<bool, OutputError> {
    for (i, _) in path.match_indices('/') {
        let rel = &path[..i];
        if dirs.real.contains(rel) {
            continue;
        }
        if dirs.missing.contains(rel) {
            return Ok(false);
        }
        let dir = out_dir.join(rel);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(OutputError::Symlink { path: dir });
            }
            Ok(m) if !m.is_dir() => {
                return Err(OutputError::Conflict {
                    paths: vec![rel.to_owned()],
                });
            }
            Ok(_) => {
                dirs.real.insert(rel.to_owned());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                dirs.missing.insert(rel.to_owned());
                return Ok(false);
            }
            Err(e) => return Err(io_err("inspect", &dir)(e)),
        }
    }
    Ok(true)
}

/// Writes `files` into `out_dir`, all or nothing (see the module docs).
pub fn write(out_dir: &Path, files: &FileSet) -> Result<WriteReport, OutputError> {
    write_with(out_dir, files, &|_| Ok(()))
}

/// Called before each change with its path (tests inject failures); called
/// from several threads at once.
type Fault<'a> = dyn Fn(&Path) -> io::Result<()> + Sync + 'a;

/// [`write()`], calling `fault` before each change.
fn write_with(
    out_dir: &Path,
    files: &FileSet,
    fault: &Fault<'_>,
) -> Result<WriteReport, OutputError> {
    for path in files.keys() {
        check_path(path)?;
    }
    let created = prepare_root(out_dir)?;
    let result = Lock::take(out_dir).and_then(|lock| {
        let result = write_locked(out_dir, files, fault);
        lock.release();
        result
    });
    if result.is_err() {
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
    result
}

/// Checks the output folder and creates it (and missing parents) if needed;
/// returns the folders it created, outermost first.
fn prepare_root(out_dir: &Path) -> Result<Vec<PathBuf>, OutputError> {
    match fs::symlink_metadata(out_dir) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(OutputError::Symlink {
                path: out_dir.to_path_buf(),
            });
        }
        Ok(m) if m.is_dir() => return Ok(Vec::new()),
        Ok(_) => {
            return Err(OutputError::NotADirectory {
                path: out_dir.to_path_buf(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err("inspect", out_dir)(e)),
    }
    let mut missing: Vec<PathBuf> = out_dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty() && fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    let mut created = Vec::new();
    for dir in &missing {
        match fs::create_dir(dir) {
            Ok(()) => created.push(dir.clone()),
            // Another build created it meanwhile: not ours to remove; the
            // lock decides which build writes.
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists
                    && fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) => {}
            Err(e) => {
                for done in created.iter().rev() {
                    let _ = fs::remove_dir(done);
                }
                return Err(io_err("create", dir)(e));
            }
        }
    }
    Ok(created)
}

/// The lock file, held for the duration of a write.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn take(out_dir: &Path) -> Result<Lock, OutputError> {
        let path = out_dir.join(LOCK);
        match File::options().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                let _ = writeln!(f, "mesosc build, process {}", std::process::id());
                Ok(Lock { path })
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Err(OutputError::Locked { lock: path })
            }
            Err(e) => Err(io_err("create", &path)(e)),
        }
    }

    fn release(self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// What will happen to one path.
#[derive(Debug)]
enum Step<'a> {
    /// Write `entry` (creating or replacing the file); whether a file was
    /// there when the write was planned.
    Put(&'a str, &'a FileEntry, bool),
    /// Remove a stale owned file.
    Remove(&'a str),
}

/// Plans every change, then makes them with undo on failure.
fn write_locked(
    out_dir: &Path,
    files: &FileSet,
    fault: &Fault<'_>,
) -> Result<WriteReport, OutputError> {
    let owned = read_owned(out_dir)?;
    let mut dirs = Dirs::default();
    let (steps, mut report) = plan_steps(out_dir, files, &owned, &mut dirs)?;
    report.foreign = foreign_files(out_dir, files, &owned)?;
    let mut journal = Journal::new(dirs.real);
    if let Err(error) = journal.apply_all(out_dir, &steps, fault) {
        let unrestored = journal.undo();
        if unrestored.is_empty() {
            return Err(error);
        }
        return Err(OutputError::RollbackFailed {
            error: Box::new(error),
            unrestored,
        });
    }
    journal.commit(out_dir);
    for step in &steps {
        match step {
            Step::Put(path, ..) => report.written.push((*path).to_owned()),
            Step::Remove(path) => report.removed.push((*path).to_owned()),
        }
    }
    report.written.sort();
    report.removed.sort();
    Ok(report)
}

/// Compares every path with the disk: the steps to take (writes in path
/// order with the manifest last, then removals) and what needs no step.
fn plan_steps<'a>(
    out_dir: &Path,
    files: &'a FileSet,
    owned: &'a BTreeMap<String, Option<String>>,
    dirs: &mut Dirs,
) -> Result<(Vec<Step<'a>>, WriteReport), OutputError> {
    let mut report = WriteReport::default();
    let mut steps = Vec::new();
    let mut conflicts = Vec::new();
    // The folders first, in path order (each inspected once); then every
    // file that may exist is read, compared and hashed on every core; then
    // each is judged in path order, so the first error is the one a
    // path-by-path walk would meet.
    let entries: Vec<(&String, &FileEntry)> = files.iter().collect();
    let mut present = Vec::with_capacity(entries.len());
    let mut parent_error = None;
    for (path, _) in &entries {
        match check_parents(out_dir, path, dirs) {
            Ok(p) => present.push(p),
            Err(e) => {
                parent_error = Some(e);
                break;
            }
        }
    }
    let found: Vec<Result<Option<(OnDisk, bool)>, OutputError>> = entries[..present.len()]
        .par_iter()
        .zip(&present)
        .map(|((path, _), &present)| {
            if !present {
                return Ok(None);
            }
            let disk = on_disk(&out_dir.join(path))?;
            Ok(disk.map(|d| {
                let edited = d.edited_since(owned.get(path.as_str()));
                (d, edited)
            }))
        })
        .collect();
    for ((path, entry), disk) in entries.iter().copied().zip(found) {
        let Some((disk, edited)) = disk? else {
            steps.push(Step::Put(path, entry, false));
            continue;
        };
        if edited {
            report.edited.push(path.clone());
        }
        let same = disk.content.as_deref() == Some(entry.content.as_bytes());
        if disk.is_dir {
            conflicts.push(path.clone());
        } else if same && mode_matches(&disk.meta, entry.mode) {
            report.unchanged.push(path.clone());
        } else if same || owned.contains_key(path.as_str()) {
            steps.push(Step::Put(path, entry, true));
        } else {
            conflicts.push(path.clone());
        }
    }
    if let Some(error) = parent_error {
        return Err(error);
    }
    if !conflicts.is_empty() {
        return Err(OutputError::Conflict { paths: conflicts });
    }
    steps.sort_by_key(|s| matches!(s, Step::Put(p, ..) if *p == MANIFEST));
    for (path, old_sha) in owned.iter().filter(|(p, _)| !files.contains_key(*p)) {
        if !check_parents(out_dir, path, dirs)? {
            continue;
        }
        match on_disk(&out_dir.join(path))? {
            Some(disk) if !disk.is_dir => {
                if disk.edited_since(Some(old_sha)) {
                    report.edited.push(path.clone());
                }
                steps.push(Step::Remove(path));
            }
            _ => {}
        }
    }
    report.edited.sort();
    Ok((steps, report))
}

/// What is at a path on disk.
struct OnDisk {
    meta: fs::Metadata,
    is_dir: bool,
    /// The bytes of a regular file (not of a symlink or folder).
    content: Option<Vec<u8>>,
}

impl OnDisk {
    /// Whether a regular file's hash differs from the one an old manifest
    /// recorded for it.
    fn edited_since(&self, recorded: Option<&Option<String>>) -> bool {
        match (recorded, &self.content) {
            (Some(Some(sha)), Some(bytes)) => &sha256_hex(bytes) != sha,
            _ => false,
        }
    }
}

/// What is at `path`, `None` when nothing is; symlinks are not followed.
fn on_disk(path: &Path) -> Result<Option<OnDisk>, OutputError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err("inspect", path)(e)),
    };
    let content = if meta.is_file() {
        Some(fs::read(path).map_err(io_err("read", path))?)
    } else {
        None
    };
    Ok(Some(OnDisk {
        is_dir: meta.is_dir(),
        meta,
        content,
    }))
}

/// Whether a file has `mode` (always true where modes do not exist).
#[cfg(unix)]
fn mode_matches(meta: &fs::Metadata, mode: u32) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777 == mode
}

#[cfg(not(unix))]
fn mode_matches(_meta: &fs::Metadata, _mode: u32) -> bool {
    true
}

/// What under `out_dir` is neither produced nor owned (nor the lock),
/// sorted: files, and whole folders (`.git/`) that hold nothing of mesosc's,
/// which are listed once instead of file by file.
fn foreign_files(
    out_dir: &Path,
    files: &FileSet,
    owned: &BTreeMap<String, Option<String>>,
) -> Result<Vec<String>, OutputError> {
    let ours: BTreeSet<&str> = files
        .keys()
        .chain(owned.keys())
        .map(String::as_str)
        .collect();
    let mut found = Vec::new();
    walk(out_dir, "", &folders_of(&ours), &mut found)?;
    Ok(foreign_in(&found, &ours))
}

/// The paths of a [`walk`] listing that are neither in `ours` nor the lock.
fn foreign_in(found: &[(String, bool)], ours: &BTreeSet<&str>) -> Vec<String> {
    found
        .iter()
        .map(|(path, _)| path)
        .filter(|p| *p != LOCK && !ours.contains(p.as_str()))
        .cloned()
        .collect()
}

/// Every folder above the paths of `ours`.
fn folders_of<'a>(ours: &BTreeSet<&'a str>) -> BTreeSet<&'a str> {
    let mut dirs: BTreeSet<&str> = BTreeSet::new();
    for path in ours {
        let mut rest = *path;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if !dirs.insert(dir) {
                break;
            }
            rest = dir;
        }
    }
    dirs
}

/// Every entry below `dir`, as `/`-separated paths after `prefix`, sorted,
/// each with whether it is a regular file: files and symlinks (not
/// followed), folders in `ours` walked into, other folders listed with a
/// final `/`. The kind of an entry comes from the directory listing, with no
/// call per entry where the file system gives it; sub-folders are walked on
/// every core.
fn walk(
    dir: &Path,
    prefix: &str,
    ours: &BTreeSet<&str>,
    out: &mut Vec<(String, bool)>,
) -> Result<(), OutputError> {
    let mut entries: Vec<(String, fs::DirEntry)> = fs::read_dir(dir)
        .map_err(io_err("list", dir))?
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // Each entry, or the folder to walk in its place.
    let listed: Vec<Result<(String, bool), (String, PathBuf)>> = entries
        .into_iter()
        .map(|(name, entry)| {
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            match entry.file_type() {
                Ok(t) if t.is_dir() && ours.contains(rel.as_str()) => Err((rel, entry.path())),
                Ok(t) if t.is_dir() => Ok((format!("{rel}/"), false)),
                Ok(t) => Ok((rel, t.is_file())),
                Err(_) => Ok((rel, false)),
            }
        })
        .collect();
    let below: Vec<Result<Vec<(String, bool)>, OutputError>> = listed
        .par_iter()
        .filter_map(|l| l.as_ref().err())
        .map(|(rel, path)| {
            let mut found = Vec::new();
            walk(path, rel, ours, &mut found).map(|()| found)
        })
        .collect();
    let mut below = below.into_iter();
    for l in listed {
        match l {
            Ok(entry) => out.push(entry),
            Err(_) => out.extend(below.next().expect("one walk per folder")?),
        }
    }
    Ok(())
}

/// How `out_dir` differs from `files`: each file that differs or is missing,
/// and each file an earlier build wrote (per the folder's manifest) that a
/// build would now remove. Only content counts, not modes (a checkout's
/// umask must not fail CI). Foreign files are not drift: a build never
/// touches them. Writes nothing.
pub fn check(out_dir: &Path, files: &FileSet) -> Vec<Drift> {
    let mut drift = Vec::new();
    for (path, entry) in files {
        let kind = match fs::read(out_dir.join(path)) {
            Ok(bytes) if bytes == entry.content.as_bytes() => continue,
            Ok(_) => DriftKind::Differs,
            Err(e) if e.kind() == io::ErrorKind::NotFound => DriftKind::Missing,
            Err(_) => DriftKind::Differs,
        };
        drift.push(Drift {
            path: path.clone(),
            kind,
        });
    }
    for path in stale_owned(out_dir, files) {
        drift.push(Drift {
            path,
            kind: DriftKind::Extra,
        });
    }
    drift.sort();
    drift
}

/// Owned files on disk that `files` no longer has. An unreadable or foreign
/// manifest owns nothing here; [`write()`] reports it.
fn stale_owned(out_dir: &Path, files: &FileSet) -> Vec<String> {
    let owned = read_owned(out_dir).unwrap_or_default();
    owned
        .into_keys()
        .filter(|p| !files.contains_key(p) && check_path(p).is_ok())
        .filter(|p| fs::symlink_metadata(out_dir.join(p)).is_ok_and(|m| !m.is_dir()))
        .collect()
}

/// The unified diff (three lines of context, paths `a/…` and `b/…`, new and
/// removed files against `/dev/null`) between `out_dir` and what a build of
/// `files` would leave there; empty when there is no difference. Sorted by
/// path; a file that is not UTF-8 text shows as "Binary files … differ".
pub fn diff(out_dir: &Path, files: &FileSet) -> String {
    diffs(out_dir, files).into_iter().map(|(_, d)| d).collect()
}

/// Each differing file's path and unified diff (as [`diff`] joins them), in
/// path order.
pub fn diffs(out_dir: &Path, files: &FileSet) -> Vec<(String, String)> {
    let mut paths: BTreeSet<String> = files.keys().cloned().collect();
    paths.extend(stale_owned(out_dir, files));
    let mut out = Vec::new();
    for path in paths {
        let disk = fs::read(out_dir.join(&path)).ok();
        let new = files.get(&path).map(|e| e.content.as_str());
        let (a, b) = (format!("a/{path}"), format!("b/{path}"));
        let old = match disk.as_deref().map(std::str::from_utf8) {
            Some(Ok(text)) => Some(text),
            Some(Err(_)) => {
                out.push((path, format!("Binary files {a} and {b} differ\n")));
                continue;
            }
            None => None,
        };
        let old_name = if old.is_some() {
            a.as_str()
        } else {
            "/dev/null"
        };
        let new_name = if new.is_some() {
            b.as_str()
        } else {
            "/dev/null"
        };
        let text = diff::unified(old_name, new_name, old.unwrap_or(""), new.unwrap_or(""));
        if !text.is_empty() {
            out.push((path, text));
        }
    }
    out
}

#[cfg(test)]
mod tests;
