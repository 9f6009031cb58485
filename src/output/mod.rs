//! The only code that writes to disk: puts a [`FileSet`] into the output
//! folder, all or nothing, and compares a folder with a set (`--check`,
//! `diff`).
//!
//! # Ownership
//!
//! mesosc owns the files its folder's `manifest.json` lists (and the
//! manifest itself), within what it proves (`owned.rs`): only paths without
//! a hidden component, and a file it no longer produces is removed only
//! when its content has a hash the manifest recorded. A build rewrites owned
//! files that changed, removes proven stale ones, and never touches any
//! other file: it reports them as foreign (a folder that holds nothing of
//! mesosc's, such as `.git/`, is reported once, not file by file). So:
//!
//! - A file the new build produces, at a path where a foreign file with other
//!   content exists, is a [`OutputError::Conflict`]: nothing is written, and
//!   the user decides. A foreign file with the very content mesosc would write
//!   (a copied tree) is adopted as it is.
//! - A `manifest.json` that is not mesosc's (or not a regular file, or of a
//!   newer format) is an error rather than a guess; one with Git's conflict
//!   markers is read as both sides, and rewritten.
//! - An owned file whose content no longer matches the old manifest was
//!   edited by hand: it is still rewritten, and reported in
//!   [`WriteReport::edited`]; if the build no longer produces it, it is left
//!   alone and reported in [`WriteReport::kept`].
//! - A folder whose manifest names another cluster or environment is
//!   refused ([`OutputError::OtherCluster`]) unless [`WriteOptions::force`].
//!
//! # The output folder
//!
//! It must be a real directory or not exist yet (it is then created, with its
//! parents). A symlink is refused, and so is a symlink anywhere below it on
//! the way to a generated file: the build would otherwise write outside the
//! folder it was given (`out/hosts -> /etc`). A generated path must be
//! relative, `/`-separated, without `.`, `..` or empty components. Readers
//! ([`check()`], [`diff()`], the survey, the manifest) follow no link and
//! open no special file either (`read.rs`).
//!
//! # All or nothing, and crash recovery
//!
//! [`write()`] takes the lock (`lock.rs`: an OS lock, released by the kernel
//! when a build dies, so a killed build's lock is taken over), rolls forward
//! the journal of a build that was killed (`recover.rs`), then plans every
//! change before making any: conflicts and unusable paths fail here, with
//! nothing changed. It writes the journal of its own changes, then creates
//! the missing folders. Every new content is written to a temporary sibling
//! (`.<name>.<nonce>.mesosc-tmp`) and renamed over the target: new files on
//! every core first (nothing was there), then the replacements, synced
//! first, renamed in path order, each replaced file kept as a backup
//! (`.<name>.<nonce>.mesosc-bak`, a hard link, or a copy where links
//! fail). Files to remove are renamed to backups too. A path so always holds
//! a whole old or a whole new file. If any step fails, every change made so
//! far is undone (new files and backups first, newest first, then created
//! folders, deepest first), so the folder is as it was; if undoing itself
//! fails, [`OutputError::RollbackFailed`] names what could not be restored.
//! Backups are deleted only after every step succeeded, then the journal;
//! an output folder the build created is removed again when it fails.
//! `manifest.json` is written after every other file, then come the
//! removals. A build killed midway (which no code can undo) leaves its
//! journal, and the next build finishes the job: the result is exactly what
//! a clean build writes.
//!
//! Each folder on the way is inspected once and created once, not once per
//! file. Unchanged files are not rewritten, so their mtime stays. Every file gets
//! the mode its [`FileEntry`] asks for (0644 for all
//! of them today); a file whose content is unchanged but mode differs is
//! rewritten with the right mode. Directories removed are only those left
//! empty by removing stale files.
//!
//! Whether a build may skip all this (same inputs, folder as written) is
//! the [`Survey`]'s question, answered from a cache outside the repository
//! (`cache.rs`); [`check()`] never asks it.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use rayon::prelude::*;
use thiserror::Error;

use crate::emit::{FileEntry, FileSet, sha256_hex};

pub use compare::{check, diff, diffs};
use journal::Journal;
use lock::Lock;
use owned::{OldManifest, Owned, foreign_files, owned_by, proven, read_manifest};
pub use survey::{Survey, survey};

mod cache;
mod compare;
pub mod diff;
mod journal;
mod lock;
mod owned;
pub(crate) mod read;
mod recover;
mod survey;

/// The manifest's name in the output folder.
pub const MANIFEST: &str = "manifest.json";
/// The lock file's name in the output folder.
pub const LOCK: &str = ".mesosc.lock";
/// The journal of a build in progress (or killed), in the output folder.
pub const JOURNAL: &str = ".mesosc.journal";
/// The journal's name while it is written.
pub const JOURNAL_TEMP: &str = ".mesosc.journal-tmp";

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
    /// from the old manifest's); each was rewritten.
    pub edited: Vec<String>,
    /// Files the old manifest lists that this build no longer produces, but
    /// whose content is not what mesosc wrote (edited, or never mesosc's):
    /// left alone.
    pub kept: Vec<String>,
    /// An interrupted build's journal was rolled forward first.
    pub recovered: bool,
    /// The old manifest had merge conflict markers (both sides were read).
    pub merged: bool,
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

    /// Another build holds the lock.
    #[error("another mesosc build is writing this folder (it holds `{}`)", lock.display())]
    #[diagnostic(
        code(mesosc::output::locked),
        help(
            "wait for it to finish; the lock of a build that was killed is taken over by the next build"
        )
    )]
    Locked {
        /// The lock file.
        lock: PathBuf,
    },

    /// The folder holds the build of another cluster or environment.
    #[error("`{}` holds the {found}, not the {building}", path.display())]
    #[diagnostic(
        code(mesosc::output::other_cluster),
        help(
            "build into a folder of its own (`--out out/<env>` for each environment), or pass `--force` to replace it"
        )
    )]
    OtherCluster {
        /// The output folder.
        path: PathBuf,
        /// What its manifest names.
        found: String,
        /// What this build is.
        building: String,
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
    /// mesosc does not own it (added by hand, or an owned file edited since
    /// that the build no longer produces): a build leaves it, and it would
    /// ship with the next deploy. A folder holding nothing of mesosc's is
    /// one entry, with a final `/`.
    Foreign,
    /// A symbolic link, FIFO or other special file where a build writes a
    /// regular file (never followed or opened).
    Special,
}

impl DriftKind {
    /// Its name in reports: `differs`, `missing`, `extra`, `foreign`,
    /// `special`.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Differs => "differs",
            DriftKind::Missing => "missing",
            DriftKind::Extra => "extra",
            DriftKind::Foreign => "foreign",
            DriftKind::Special => "special",
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.path)
    }
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

/// How a build may write its folder.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions {
    /// Replace the files of another cluster or environment (the folder's
    /// manifest names another), instead of refusing.
    pub force: bool,
}

/// Writes `files` into `out_dir`, all or nothing (see the module docs).
pub fn write(out_dir: &Path, files: &FileSet) -> Result<WriteReport, OutputError> {
    write_opts(out_dir, files, WriteOptions::default())
}

/// [`write()`] with options.
pub fn write_opts(
    out_dir: &Path,
    files: &FileSet,
    options: WriteOptions,
) -> Result<WriteReport, OutputError> {
    write_with(out_dir, files, options, &|_| Ok(()))
}

/// Records, outside the repository, that `out_dir` now holds `files`, built
/// from inputs with `fingerprint`, so the next build of the same inputs
/// can skip emitting and writing ([`Survey`]; best effort).
pub fn remember(out_dir: &Path, fingerprint: &str, files: &FileSet) {
    if let Some(manifest) = files.get(MANIFEST) {
        cache::record(out_dir, fingerprint, &manifest.sha256());
    }
}

/// Called before each change with its path (tests inject failures); called
/// from several threads at once.
pub type Fault<'a> = dyn Fn(&Path) -> io::Result<()> + Sync + 'a;

/// [`write_opts()`], calling `fault` before each change (for tests: an
/// injected failure, or a kill after the Nth change).
#[doc(hidden)]
pub fn write_with(
    out_dir: &Path,
    files: &FileSet,
    options: WriteOptions,
    fault: &Fault<'_>,
) -> Result<WriteReport, OutputError> {
    for path in files.keys() {
        check_path(path)?;
    }
    let created = prepare_root(out_dir)?;
    let result = Lock::take(out_dir).and_then(|lock| {
        let result = write_locked(out_dir, files, options, fault);
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
    if read::root(out_dir)? {
        return Ok(Vec::new());
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

/// What will happen to one path.
#[derive(Debug)]
enum Step<'a> {
    /// Write `entry` (creating or replacing the file); the SHA-256 of the
    /// file there when the write was planned, if one was.
    Put(&'a str, &'a FileEntry, Option<String>),
    /// Remove a stale owned file, whose content has this proven SHA-256.
    Remove(&'a str, String),
}

/// Rolls an interrupted build forward, plans every change, journals them,
/// then makes them with undo on failure.
fn write_locked(
    out_dir: &Path,
    files: &FileSet,
    options: WriteOptions,
    fault: &Fault<'_>,
) -> Result<WriteReport, OutputError> {
    let old = read_manifest(out_dir)?.map(|(m, _)| m);
    let new = new_manifest(files);
    if let (Some(old), Some(new), false) = (&old, &new, options.force)
        && (&old.cluster, &old.environment) != (&new.cluster, &new.environment)
    {
        return Err(OutputError::OtherCluster {
            path: out_dir.to_path_buf(),
            found: old.identity(),
            building: new.identity(),
        });
    }
    let mut owned = owned_by(old.as_ref());
    let interrupted = recover::load(out_dir)?;
    if let Some(record) = &interrupted {
        recover::recover(out_dir, record, &mut owned)?;
    }
    let mut dirs = Dirs::default();
    let (steps, mut report) = plan_steps(out_dir, files, &owned, &mut dirs)?;
    let ours = files.keys().chain(owned.keys()).map(String::as_str);
    report.foreign = foreign_files(out_dir, ours)?;
    report.recovered = interrupted.is_some();
    report.merged = old.as_ref().is_some_and(|m| m.conflicted);
    if steps.is_empty() {
        recover::clear(out_dir);
        return Ok(report);
    }
    let record = journal_of(&steps, new.as_ref(), interrupted);
    recover::save(out_dir, &record)?;
    let mut journal = Journal::new(dirs.real, record.nonce);
    if let Err(error) = journal.apply_all(out_dir, &steps, fault) {
        let unrestored = journal.undo();
        if unrestored.is_empty() {
            if !report.recovered {
                recover::clear(out_dir);
            }
            return Err(error);
        }
        return Err(OutputError::RollbackFailed {
            error: Box::new(error),
            unrestored,
        });
    }
    journal.commit(out_dir);
    recover::clear(out_dir);
    for step in &steps {
        match step {
            Step::Put(path, ..) => report.written.push((*path).to_owned()),
            Step::Remove(path, _) => report.removed.push((*path).to_owned()),
        }
    }
    report.written.sort();
    report.removed.sort();
    Ok(report)
}

/// The manifest a build writes, read back (its cluster and its files'
/// hashes); `None` when the set has none (tests).
fn new_manifest(files: &FileSet) -> Option<OldManifest> {
    serde_json::from_str(&files.get(MANIFEST)?.content).ok()
}

/// The journal of `steps` (see `recover.rs`), keeping what an interrupted
/// build's journal said (this build may be killed too).
fn journal_of(
    steps: &[Step<'_>],
    new: Option<&OldManifest>,
    interrupted: Option<recover::Record>,
) -> recover::Record {
    let hashes: HashMap<&str, &str> = new
        .map(|m| {
            m.files
                .iter()
                .map(|f| (f.path.as_str(), f.sha256.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let mut files: Vec<recover::Entry> = (steps.par_iter())
        .map(|step| match step {
            Step::Put(path, entry, old) => recover::Entry {
                path: (*path).to_owned(),
                old: old.clone(),
                new: Some(
                    hashes
                        .get(path)
                        .map_or_else(|| entry.sha256(), |h| (*h).to_owned()),
                ),
            },
            Step::Remove(path, old) => recover::Entry {
                path: (*path).to_owned(),
                old: Some(old.clone()),
                new: None,
            },
        })
        .collect();
    files.extend(interrupted.into_iter().flat_map(|r| r.files));
    recover::Record {
        nonce: recover::nonce(),
        files,
    }
}

/// Compares every path with the disk: the steps to take (writes in path
/// order with the manifest last, then removals) and what needs no step.
fn plan_steps<'a>(
    out_dir: &Path,
    files: &'a FileSet,
    owned: &'a Owned,
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
    let found: Vec<Result<Option<OnDisk>, OutputError>> = entries[..present.len()]
        .par_iter()
        .zip(&present)
        .map(|((path, entry), &present)| {
            if !present {
                return Ok(None);
            }
            let mut disk = on_disk(&out_dir.join(path))?;
            if let Some(d) = &mut disk {
                d.hash_unless(entry, owned.contains_key(path.as_str()));
            }
            Ok(disk)
        })
        .collect();
    for ((path, entry), disk) in entries.iter().copied().zip(found) {
        let Some(disk) = disk? else {
            steps.push(Step::Put(path, entry, None));
            continue;
        };
        let is_owned = owned.contains_key(path.as_str());
        if let Some(sha) = &disk.sha256
            && is_owned
            && !proven(owned, path, sha)
        {
            report.edited.push(path.clone());
        }
        let same = disk.content.as_deref() == Some(entry.content.as_bytes());
        if disk.is_dir {
            conflicts.push(path.clone());
        } else if same && mode_matches(&disk.meta, entry.mode) {
            report.unchanged.push(path.clone());
        } else if same || is_owned {
            let old = disk.sha256.or_else(|| same.then(|| entry.sha256()));
            steps.push(Step::Put(path, entry, Some(old.unwrap_or_default())));
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
    for path in owned.keys().filter(|p| !files.contains_key(*p)) {
        if !check_parents(out_dir, path, dirs)? {
            continue;
        }
        match on_disk(&out_dir.join(path))? {
            Some(disk) if disk.is_dir => {}
            Some(disk) => match disk.content.as_deref().map(sha256_hex) {
                Some(sha) if proven(owned, path, &sha) => steps.push(Step::Remove(path, sha)),
                _ => report.kept.push(path.clone()),
            },
            None => {}
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
    /// Their SHA-256, when it was needed (see [`OnDisk::hash_unless`]).
    sha256: Option<String>,
}

impl OnDisk {
    /// Hashes a regular file that is owned (its hash proves whether it was
    /// edited by hand) or that `entry` will replace (the journal records
    /// it); a file already as `entry` has it needs no hash.
    fn hash_unless(&mut self, entry: &FileEntry, owned: bool) {
        if let Some(bytes) = &self.content
            && (owned || bytes != entry.content.as_bytes())
        {
            self.sha256 = Some(sha256_hex(bytes));
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
        sha256: None,
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod store_tests;
