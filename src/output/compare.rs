//! Comparing an output folder with a rendered build, writing nothing:
//! `build --check` ([`check`]) and `mesosc diff` ([`diff`]).
//!
//! Neither trusts anything the folder claims about itself: every file the
//! build renders (the manifest included) is read and compared byte for
//! byte, with the readers' discipline ([`super::read`]: no link followed,
//! no FIFO opened). The manifest is read only to name the files a build
//! would remove; the check also lists every file that is neither rendered
//! nor owned, since it would ship with the next deploy.

use std::collections::BTreeSet;
use std::path::Path;

use super::owned::{foreign_files, owned_by, proven, read_manifest};
use super::read::{Found, read_below, root};
use super::{Drift, DriftKind, OutputError, check_path, diff as unified};
use crate::emit::{FileSet, sha256_hex};

/// How `out_dir` differs from `files` (see [`Drift`]), sorted by path:
/// every rendered file that differs, is missing or is not a regular file;
/// every owned file a build would remove (or leave, edited); every other
/// file. Only content counts, not modes (a checkout's umask must not fail
/// CI). An empty list means a build would change nothing and nothing else
/// is there. Writes nothing.
pub fn check(out_dir: &Path, files: &FileSet) -> Result<Vec<Drift>, OutputError> {
    if !root(out_dir)? {
        let missing = files.keys().map(|path| Drift {
            path: path.clone(),
            kind: DriftKind::Missing,
        });
        return Ok(missing.collect());
    }
    let mut drift = Vec::new();
    for (path, entry) in files {
        check_path(path)?;
        let kind = match read_below(out_dir, path)? {
            Found::File(bytes) if bytes == entry.content.as_bytes() => continue,
            Found::File(_) => DriftKind::Differs,
            Found::Missing => DriftKind::Missing,
            Found::Special => DriftKind::Special,
        };
        drift.push(Drift {
            path: path.clone(),
            kind,
        });
    }
    // A foreign or conflicted manifest owns nothing here: it differs from
    // the rendered one, which is reported above.
    let old = read_manifest(out_dir).ok().flatten();
    let owned = owned_by(old.as_ref().map(|(m, _)| m));
    let stale: BTreeSet<&str> = owned
        .keys()
        .map(String::as_str)
        .filter(|p| !files.contains_key(*p))
        .collect();
    let ours = files
        .keys()
        .map(String::as_str)
        .chain(stale.iter().copied());
    for path in foreign_files(out_dir, ours)? {
        drift.push(Drift {
            path,
            kind: DriftKind::Foreign,
        });
    }
    for path in stale {
        let kind = match read_below(out_dir, path)? {
            Found::Missing => continue,
            Found::File(bytes) if proven(&owned, path, &sha256_hex(&bytes)) => DriftKind::Extra,
            Found::File(_) | Found::Special => DriftKind::Foreign,
        };
        drift.push(Drift {
            path: path.to_owned(),
            kind,
        });
    }
    drift.sort();
    Ok(drift)
}

/// The unified diff (three lines of context, paths `a/…` and `b/…`, new and
/// removed files against `/dev/null`) between `out_dir` and what a build of
/// `files` would leave there; empty when there is no difference. Sorted by
/// path; a file that is not UTF-8 text shows as "Binary files … differ",
/// a link, FIFO or other special file as "File … is not a regular file"
/// (it is never followed or opened).
pub fn diff(out_dir: &Path, files: &FileSet) -> Result<String, OutputError> {
    Ok(diffs(out_dir, files)?.into_iter().map(|(_, d)| d).collect())
}

/// Each differing file's path and unified diff (as [`diff`] joins them), in
/// path order.
pub fn diffs(out_dir: &Path, files: &FileSet) -> Result<Vec<(String, String)>, OutputError> {
    let mut paths: BTreeSet<String> = files.keys().cloned().collect();
    if root(out_dir)? {
        let old = read_manifest(out_dir).ok().flatten();
        let owned = owned_by(old.as_ref().map(|(m, _)| m));
        for (path, _) in owned.iter().filter(|(p, _)| !files.contains_key(*p)) {
            if let Found::File(bytes) = read_below(out_dir, path)?
                && proven(&owned, path, &sha256_hex(&bytes))
            {
                paths.insert(path.clone());
            }
        }
    }
    let mut out = Vec::new();
    for path in paths {
        check_path(&path)?;
        let disk = read_below(out_dir, &path)?;
        let new = files.get(&path).map(|e| e.content.as_str());
        let (a, b) = (format!("a/{path}"), format!("b/{path}"));
        let old = match &disk {
            Found::File(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Some(text),
                Err(_) => {
                    out.push((path, format!("Binary files {a} and {b} differ\n")));
                    continue;
                }
            },
            Found::Special => {
                out.push((path, format!("File {a} is not a regular file\n")));
                continue;
            }
            Found::Missing => None,
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
        let text = unified::unified(old_name, new_name, old.unwrap_or(""), new.unwrap_or(""));
        if !text.is_empty() {
            out.push((path, text));
        }
    }
    Ok(out)
}
