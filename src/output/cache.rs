//! The fingerprint cache, outside the repository: which inputs last built
//! an output folder on this machine, so a build whose inputs are the same
//! can skip emitting and writing ([`super::Survey`]).
//!
//! The committed tree holds nothing that depends on source bytes, so the
//! fingerprint lives in `$XDG_CACHE_HOME/mesosc/` (or `~/.cache/mesosc/`),
//! one small file per output folder, named by the SHA-256 of the folder's
//! canonical path. It records the inputs' fingerprint and the SHA-256 of
//! the manifest that build wrote: the survey trusts the fingerprint only
//! while the manifest is byte for byte that one (and every file it lists
//! has its hash), so an edited, merged or checked-out tree is rebuilt.
//! Nothing here is trusted by `build --check`, which always renders and
//! compares. Without a cache folder (no `HOME`), there is no fast path.
//! Writing the cache is best effort: a failure costs only speed.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::emit::sha256_hex;

/// What the cache says about one output folder.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The fingerprint of the inputs of the build that wrote the folder.
    pub(crate) inputs: String,
    /// SHA-256 of the manifest that build wrote.
    pub(crate) manifest: String,
}

/// The cache folder: `$XDG_CACHE_HOME/mesosc` (when absolute), else
/// `$HOME/.cache/mesosc`.
fn folder() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from);
    let base = match xdg.filter(|p| p.is_absolute()) {
        Some(p) => p,
        None => PathBuf::from(std::env::var_os("HOME").filter(|h| !h.is_empty())?).join(".cache"),
    };
    Some(base.join("mesosc"))
}

/// The cache file of `out_dir` (which must exist).
fn file_of(out_dir: &Path) -> Option<PathBuf> {
    let canonical = fs::canonicalize(out_dir).ok()?;
    let key = sha256_hex(canonical.to_string_lossy().as_bytes());
    Some(folder()?.join(format!("{key}.out")))
}

/// The cache's entry for `out_dir`, if any.
pub(crate) fn lookup(out_dir: &Path) -> Option<Entry> {
    let text = fs::read_to_string(file_of(out_dir)?).ok()?;
    let mut lines = text.lines();
    (lines.next()? == "mesosc out cache 1").then_some(())?;
    let inputs = lines.next()?.strip_prefix("inputs ")?.to_owned();
    let manifest = lines.next()?.strip_prefix("manifest ")?.to_owned();
    Some(Entry { inputs, manifest })
}

/// Records that `out_dir` now holds the build of `inputs` whose manifest
/// has the SHA-256 `manifest` (best effort; see the module docs).
pub(crate) fn record(out_dir: &Path, inputs: &str, manifest: &str) {
    let Some(file) = file_of(out_dir) else {
        return;
    };
    let Some(dir) = file.parent() else {
        return;
    };
    let temp = file.with_extension(format!("{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        let mut f = fs::File::create(&temp)?;
        let canonical = fs::canonicalize(out_dir)?;
        write!(
            f,
            "mesosc out cache 1\ninputs {inputs}\nmanifest {manifest}\nout {}\n",
            canonical.display()
        )?;
        fs::rename(&temp, &file)
    };
    if write().is_err() {
        let _ = fs::remove_file(&temp);
    }
}
