//! Where source files come from: the disk for the CLI, memory for tests and
//! the language server (open buffers shadow the disk).

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The largest source file mesosc reads (16 MiB). MCL files are small; a larger
/// one is almost certainly not MCL, and refusing it keeps memory bounded.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// A source of `.mcl` files.
pub trait Files {
    /// Reads a file as UTF-8 text.
    fn read(&self, path: &Path) -> io::Result<String>;

    /// The path used to recognise a file imported twice, or imported in a cycle.
    fn canonical(&self, path: &Path) -> PathBuf {
        normalize(path)
    }
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct DiskFiles;

impl Files for DiskFiles {
    fn read(&self, path: &Path) -> io::Result<String> {
        read_source(path)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
    }
}

/// Reads a source file from disk with the checks every caller wants: not a
/// directory, at most [`MAX_FILE_SIZE`], valid UTF-8.
pub fn read_source(path: &Path) -> io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::other("it is a directory, not a file"));
    }
    if !meta.is_file() {
        // A device or a pipe (`/dev/zero`) would never end.
        return Err(io::Error::other("it is not a regular file"));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(io::Error::other(format!(
            "it is {} bytes; mesosc reads source files of at most {} MiB",
            meta.len(),
            MAX_FILE_SIZE >> 20
        )));
    }
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Files held in memory, keyed by path, optionally falling back to the disk.
#[derive(Debug, Default, Clone)]
pub struct MemoryFiles {
    /// The files.
    pub files: BTreeMap<PathBuf, String>,
    /// Whether paths not held in memory are read from disk.
    pub fall_back_to_disk: bool,
}

impl MemoryFiles {
    /// An empty set that does not read the disk.
    pub fn new() -> Self {
        MemoryFiles::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(normalize(&path.into()), text.into());
    }
}

impl Files for MemoryFiles {
    fn read(&self, path: &Path) -> io::Result<String> {
        match self.files.get(&normalize(path)) {
            Some(text) => Ok(text.clone()),
            None if self.fall_back_to_disk => read_source(path),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no such file")),
        }
    }
}

/// Removes `.` and folds `..` lexically (without touching the disk).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}
