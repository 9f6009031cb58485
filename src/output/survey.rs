//! The survey of an output folder, made while the sources are checked: does
//! it already hold the build about to be made? (See [`Survey`].)
//!
//! On Unix the folder is listed and its files read relative to the
//! descriptor of the folder that holds them (`openat`, `getdents64`): one
//! name looked up per entry instead of a whole path, and no `stat` per
//! folder. Elsewhere there is no survey, and every build emits and compares.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::WriteReport;

/// What an output folder holds, surveyed while the sources are still being
/// checked (so without the lock, and writing nothing): the fingerprint of
/// the inputs that last built it, from the cache outside the repository
/// (`cache.rs`), valid only while the manifest is byte for byte the one that
/// build wrote; and the proof that every file the manifest lists is there
/// as written, as a regular file below real folders, with the recorded hash
/// and mode.
///
/// A build is a function of its inputs, so when the new build's inputs have
/// that fingerprint, the folder already holds exactly what it would write,
/// and nothing needs emitting or writing ([`Survey::unchanged`]). Nothing
/// the folder itself claims is trusted for this: a manifest edited to match
/// an edited file no longer has the cached hash. `build --check` never uses
/// a survey.
#[derive(Debug)]
pub struct Survey {
    inputs: String,
    /// Every owned path, the manifest included, sorted.
    owned: Vec<String>,
    /// Every foreign path, as [`write()`](super::write) reports them.
    foreign: Vec<String>,
}

impl Survey {
    /// The report of building into the surveyed folder a build whose inputs
    /// have `fingerprint`, when the folder already holds it: nothing
    /// written, every file unchanged, the foreign files. `None` when the
    /// build must be made.
    pub fn unchanged(self, fingerprint: &str) -> Option<WriteReport> {
        (self.inputs == fingerprint).then(|| WriteReport {
            unchanged: self.owned,
            foreign: self.foreign,
            ..WriteReport::default()
        })
    }
}

/// Surveys `out_dir` (see [`Survey`]); `None` when the cache knows no build
/// of it with this manifest, a listed file is missing or differs, a build
/// holds the lock or left its journal, or `stop` was set meanwhile.
#[cfg(unix)]
pub fn survey(out_dir: &Path, stop: &AtomicBool) -> Option<Survey> {
    unix::survey(out_dir, stop)
}

/// No survey where `openat` is not at hand: every build emits and compares.
#[cfg(not(unix))]
pub fn survey(_out_dir: &Path, _stop: &AtomicBool) -> Option<Survey> {
    None
}

#[cfg(unix)]
mod unix {
    use std::cell::RefCell;
    use std::collections::{BTreeSet, HashMap};
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, Ordering};

    use rayon::prelude::*;
    use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
    use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags};

    use super::Survey;
    use crate::emit::sha256_hex;
    use crate::output::owned::{OldFile, folders_of, foreign_in, read_manifest};
    use crate::output::{JOURNAL, JOURNAL_TEMP, LOCK, MANIFEST, cache};

    pub(super) fn survey(out_dir: &Path, stop: &AtomicBool) -> Option<Survey> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let root = rustix::fs::open(out_dir, flags, Mode::empty()).ok()?;
        let cached = cache::lookup(out_dir)?;
        let (old, text) = read_manifest(out_dir).ok()??;
        if old.conflicted || sha256_hex(&text) != cached.manifest {
            return None;
        }
        let mut ours: BTreeSet<&str> = old.files.iter().map(|f| f.path.as_str()).collect();
        ours.insert(MANIFEST);
        let listing = Listing {
            folders: &folders_of(&ours),
            expected: old.files.iter().map(|f| (f.path.as_str(), f)).collect(),
            stop,
        };
        let (found, matched) = listing.folder(root, "")?;
        let complete = matched == old.files.len() && !stop.load(Ordering::Relaxed);
        if !complete
            || found
                .iter()
                .any(|(p, _)| [LOCK, JOURNAL, JOURNAL_TEMP].contains(&p.as_str()))
        {
            return None;
        }
        let foreign = foreign_in(&found, &ours);
        Some(Survey {
            inputs: cached.inputs,
            owned: ours.into_iter().map(str::to_owned).collect(),
            foreign,
        })
    }

    /// What is looked for while listing.
    struct Listing<'a> {
        /// Every folder above a listed file: walked into.
        folders: &'a BTreeSet<&'a str>,
        /// The files the manifest lists.
        expected: HashMap<&'a str, &'a OldFile>,
        stop: &'a AtomicBool,
    }

    /// A folder's entries as [`walk`](crate::output) lists them, and how
    /// many listed files were found as written.
    type Found = (Vec<(String, bool)>, usize);

    impl Listing<'_> {
        /// Every entry below the folder `dir` (sorted, folders of ours walked
        /// into, each other folder listed with a final `/`), and how many
        /// listed files were found as written; `None` at the first one that
        /// is not, or when the folder cannot be read. Entries are opened when
        /// they are walked or hashed, never all at once.
        fn folder(&self, dir: OwnedFd, prefix: &str) -> Option<Found> {
            let mut dir = Dir::new(dir).ok()?;
            let mut listed: Vec<(String, FileType)> = Vec::new();
            while let Some(entry) = dir.read() {
                let entry = entry.ok()?;
                let name = entry.file_name();
                if name.to_bytes() == b"." || name.to_bytes() == b".." {
                    continue;
                }
                let mut kind = entry.file_type();
                if kind == FileType::Unknown {
                    let stat = rustix::fs::statat(dir.fd().ok()?, name, AtFlags::SYMLINK_NOFOLLOW);
                    kind = FileType::from_raw_mode(stat.ok()?.st_mode);
                }
                listed.push((String::from_utf8_lossy(name.to_bytes()).into_owned(), kind));
            }
            listed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let fd = dir.fd().ok()?;
            let parts: Vec<Found> = (listed.into_par_iter())
                .map(|(name, kind)| self.entry(fd, prefix, &name, kind))
                .collect::<Option<_>>()?;
            let matched = parts.iter().map(|(_, n)| n).sum();
            Some((parts.into_iter().flat_map(|(f, _)| f).collect(), matched))
        }

        fn entry(
            &self,
            dir: BorrowedFd,
            prefix: &str,
            name: &str,
            kind: FileType,
        ) -> Option<Found> {
            let rel = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let open = |flags: OFlags| {
                let flags = flags | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                rustix::fs::openat(dir, name, flags, Mode::empty()).ok()
            };
            match kind {
                FileType::Directory if self.folders.contains(rel.as_str()) => {
                    self.folder(open(OFlags::RDONLY | OFlags::DIRECTORY)?, &rel)
                }
                FileType::Directory => Some((vec![(format!("{rel}/"), false)], 0)),
                FileType::RegularFile => match self.expected.get(rel.as_str()) {
                    Some(f) => {
                        let ok =
                            !self.stop.load(Ordering::Relaxed) && matches(open(OFlags::RDONLY)?, f);
                        ok.then(|| (vec![(rel, true)], 1))
                    }
                    None => Some((vec![(rel, true)], 0)),
                },
                _ => Some((vec![(rel, false)], 0)),
            }
        }
    }

    thread_local! {
        /// Each thread's read buffer, reused file after file.
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }

    /// Whether the open file has the recorded mode and hash.
    fn matches(file: OwnedFd, expected: &OldFile) -> bool {
        let Ok(stat) = rustix::fs::fstat(file.as_fd()) else {
            return false;
        };
        let mode_ok = (expected.mode.as_deref())
            .is_none_or(|m| u32::from_str_radix(m, 8).is_ok_and(|m| stat.st_mode & 0o7777 == m));
        if !mode_ok || FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return false;
        }
        BUFFER.with_borrow_mut(|bytes| {
            read_all(&file, stat.st_size as usize, bytes)
                .is_some_and(|n| sha256_hex(&bytes[..n]) == expected.sha256)
        })
    }

    /// Reads the whole file into `bytes`, without the read that finds the
    /// end: a read that stops short at the size `fstat` gave is the end (a
    /// file that grows while it is read is a race no order of reads can
    /// see). The number of bytes read, or `None` on an error.
    fn read_all(file: &OwnedFd, size: usize, bytes: &mut Vec<u8>) -> Option<usize> {
        bytes.clear();
        bytes.resize(size + 1, 0);
        let mut filled = 0;
        loop {
            let asked = bytes.len() - filled;
            match rustix::io::read(file, &mut bytes[filled..]) {
                Ok(0) => return Some(filled),
                Ok(n) => {
                    filled += n;
                    if n < asked && filled == size {
                        return Some(filled);
                    }
                    if filled == bytes.len() {
                        bytes.resize(bytes.len() * 2, 0);
                    }
                }
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return None,
            }
        }
    }
}
