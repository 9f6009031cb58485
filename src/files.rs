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

/// Reads a source file from disk with the checks every caller wants: a
/// regular file on a real file system, at most [`MAX_FILE_SIZE`], valid
/// UTF-8.
///
/// The file is opened first (without blocking, so a FIFO opens at once) and
/// the checks are made on what was opened, so nothing can be swapped in
/// between: a folder, a device, a FIFO or a socket is refused before a byte
/// is read, and so is anything under `/proc`, `/sys` or `/dev` or on a
/// kernel file system (`/proc/kmsg` would block for ever, and
/// `/proc/self/environ` holds the environment's secrets). The size is
/// bounded while reading, not trusted from the metadata (`/proc` files say 0).
pub fn read_source(path: &Path) -> io::Result<String> {
    use std::io::Read as _;
    if let Some(dir) = kernel_dir(path) {
        return Err(io::Error::other(format!(
            "it is under {dir}, which holds the kernel's files, not sources"
        )));
    }
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("it is a directory, not a file"));
    }
    if !meta.is_file() {
        return Err(io::Error::other(
            "it is not a regular file (a device, FIFO or socket)",
        ));
    }
    if on_kernel_fs(&file) {
        return Err(io::Error::other(
            "it is on a kernel file system (proc, sysfs…), not a source file",
        ));
    }
    let too_large = |size: u64| {
        io::Error::other(format!(
            "it is {size} bytes; mesosc reads source files of at most {} MiB",
            MAX_FILE_SIZE >> 20
        ))
    };
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
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

/// The kernel's folder (`/proc`, `/sys`, `/dev`) that `path` is in, after
/// following links. `/dev/shm` is not one: it is a tmpfs for ordinary files
/// (POSIX shared memory), where users and benchmarks keep sources.
fn kernel_dir(path: &Path) -> Option<&'static str> {
    let real = std::fs::canonicalize(path).ok()?;
    if real.starts_with("/dev/shm") {
        return None;
    }
    ["/proc", "/sys", "/dev"]
        .into_iter()
        .find(|dir| real.starts_with(dir))
}

/// Opens `path` for reading without blocking on a FIFO (Unix), and makes
/// later reads blocking again: a regular file never blocks anyway.
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let flags = rustix::fs::OFlags::NONBLOCK.bits();
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Whether `file` is on procfs, sysfs or another kernel file system, whose
/// regular files are views of the kernel's state (Linux).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn on_kernel_fs(file: &std::fs::File) -> bool {
    // statfs(2) magic numbers: proc, sysfs, debugfs, securityfs, cgroup,
    // cgroup2, tracefs, devpts, bpf, configfs, efivarfs, pstore.
    const KERNEL: [u64; 12] = [
        0x9fa0,
        0x6265_6572,
        0x6462_6720,
        0x7363_6673,
        0x0027_e0eb,
        0x6367_7270,
        0x7472_6163,
        0x1cd1,
        0xcafe_4a11,
        0x6265_6570,
        0xde5e_81e4,
        0x6165_676c,
    ];
    rustix::fs::fstatfs(file).is_ok_and(|s| KERNEL.contains(&(s.f_type as u64)))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn on_kernel_fs(_file: &std::fs::File) -> bool {
    false
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
