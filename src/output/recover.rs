//! The journal on disk, `out/.mesosc.journal`: how the build after a killed
//! one finishes its work, so a rebuild after any kill gives exactly the
//! tree a clean build gives, with no manual step.
//!
//! Before its first change a build writes (to a temporary name, synced,
//! then renamed into place) every path it will create, replace or remove,
//! with the SHA-256 of the content there before (`old`) and of what it
//! writes (`new`), and the build's nonce, which names its temporary files
//! and backups (`.<name>.<nonce>.mesosc-tmp`, `.<name>.<nonce>.mesosc-bak`).
//! Every change is a rename of a complete file, so a path always holds a
//! whole old or a whole new file. The journal is removed after the last
//! backup is deleted.
//!
//! The next build, holding the lock, rolls it forward: it deletes that
//! nonce's temporary files and backups (a user's `.X.mesosc-bak` never has
//! the nonce), removes folders left empty, and owns each journal path with
//! both hashes as proof (see [`super::owned`]), so the half-done files are
//! rewritten or removed like any owned file, with no false "edited by hand"
//! note. The journal is in the folder, so it is a claim like the manifest:
//! only ownable paths, and a hex nonce.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::owned::{Owned, ownable};
use super::read::{Found, read_below};
use super::{JOURNAL, JOURNAL_TEMP, OutputError, io_err};

/// The journal of one build.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Record {
    /// Names the build's temporary files and backups.
    pub(super) nonce: String,
    /// Every path the build changes.
    pub(super) files: Vec<Entry>,
}

/// One path a build changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Entry {
    pub(super) path: String,
    /// SHA-256 of the file there before, if any.
    pub(super) old: Option<String>,
    /// SHA-256 of the file written, `None` for a removal.
    pub(super) new: Option<String>,
}

/// A nonce for a new build: the process and the time, hashed, 12 hex digits.
pub(super) fn nonce() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{} {nanos}", std::process::id());
    crate::emit::sha256_hex(seed.as_bytes())[..12].to_owned()
}

/// `.<name>.<nonce>.mesosc-<what>` next to `path`.
pub(super) fn sibling(path: &Path, nonce: &str, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{nonce}.mesosc-{what}"))
}

/// The journal an interrupted build left, `None` when there is none.
pub(super) fn load(out_dir: &Path) -> Result<Option<Record>, OutputError> {
    let path = out_dir.join(JOURNAL);
    let bad = |reason: String| OutputError::ForeignManifest {
        path: path.clone(),
        reason,
    };
    let text = match read_below(out_dir, JOURNAL)? {
        Found::Missing => return Ok(None),
        Found::Special => return Err(bad("it is not a regular file".into())),
        Found::File(text) => text,
    };
    let record: Record = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
    let hex = |s: &str| !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(&record.nonce) {
        return Err(bad("its nonce is not hexadecimal".into()));
    }
    if let Some(e) = record.files.iter().find(|e| !ownable(&e.path)) {
        return Err(bad(format!(
            "it lists `{}`, which mesosc never writes",
            e.path
        )));
    }
    Ok(Some(record))
}

/// Writes the journal: to a temporary name, synced, renamed into place.
pub(super) fn save(out_dir: &Path, record: &Record) -> Result<(), OutputError> {
    let temp = out_dir.join(JOURNAL_TEMP);
    let write = || -> io::Result<()> {
        // A name a killed build left (or anything planted there, a link
        // included, which is removed and not followed).
        let _ = fs::remove_file(&temp);
        let mut f = File::options().write(true).create_new(true).open(&temp)?;
        let text = serde_json::to_vec(record).map_err(io::Error::other)?;
        f.write_all(&text)?;
        f.sync_all()?;
        fs::rename(&temp, out_dir.join(JOURNAL))
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&temp);
        io_err("write", &out_dir.join(JOURNAL))(e)
    })
}

/// Removes the journal (the build it describes is complete, or undone),
/// and a temporary journal a build killed while writing it left.
pub(super) fn clear(out_dir: &Path) {
    let _ = fs::remove_file(out_dir.join(JOURNAL));
    let _ = fs::remove_file(out_dir.join(JOURNAL_TEMP));
}

/// Rolls an interrupted build's journal forward (see the module docs): its
/// temporary files and backups go, folders it left empty go, and `owned`
/// gains its paths with both hashes.
pub(super) fn recover(
    out_dir: &Path,
    record: &Record,
    owned: &mut Owned,
) -> Result<(), OutputError> {
    for entry in &record.files {
        let target = out_dir.join(&entry.path);
        for what in ["tmp", "bak"] {
            let leftover = sibling(&target, &record.nonce, what);
            if fs::symlink_metadata(&leftover).is_ok_and(|m| m.is_file()) {
                fs::remove_file(&leftover).map_err(io_err("remove", &leftover))?;
            }
        }
        let hashes = owned.entry(entry.path.clone()).or_default();
        hashes.extend(entry.old.iter().chain(&entry.new).cloned());
    }
    for entry in &record.files {
        let target = out_dir.join(&entry.path);
        if fs::symlink_metadata(&target).is_err() {
            prune_empty_parents(out_dir, &target);
        }
    }
    Ok(())
}

/// Removes the folders above `path` that are empty, up to (not including)
/// `out_dir`.
pub(super) fn prune_empty_parents(out_dir: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
