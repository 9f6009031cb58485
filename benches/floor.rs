//! The floor of the build benchmark: the least a program can do to leave the
//! same files at the same paths. `capture` packs a built folder once into a
//! blob (path, length, bytes per file); `write` reads the blob and writes each
//! file with plain `create_dir_all` + `write`, nothing else: no checking, no
//! temporary files, no manifest comparison.
//!
//! ```text
//! floor capture OUT BLOB     pack every regular file below OUT
//! floor write BLOB DEST      unpack into DEST
//! ```

use std::fs;
use std::path::{Path, PathBuf};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = fs::symlink_metadata(&path).expect("entry");
        if meta.is_dir() {
            collect(root, &path, out);
        } else if meta.is_file() {
            let rel = path.strip_prefix(root).expect("below root");
            let rel = rel.to_str().expect("UTF-8 path").to_owned();
            out.push((rel, fs::read(&path).expect("readable file")));
        }
    }
}

fn capture(out: &Path, blob: &Path) {
    let mut files = Vec::new();
    collect(out, out, &mut files);
    let mut bytes = Vec::new();
    for (path, content) in &files {
        bytes.extend_from_slice(&(path.len() as u32).to_le_bytes());
        bytes.extend_from_slice(path.as_bytes());
        bytes.extend_from_slice(&(content.len() as u32).to_le_bytes());
        bytes.extend_from_slice(content);
    }
    fs::write(blob, bytes).expect("blob written");
    println!("{} files", files.len());
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = bytes.split_at(n);
    *bytes = tail;
    head
}

fn take_len(bytes: &mut &[u8]) -> usize {
    let raw: [u8; 4] = take(bytes, 4).try_into().expect("4 bytes");
    u32::from_le_bytes(raw) as usize
}

fn write(blob: &Path, dest: &Path) {
    let data = fs::read(blob).expect("blob");
    let mut rest = data.as_slice();
    while !rest.is_empty() {
        let n = take_len(&mut rest);
        let path = std::str::from_utf8(take(&mut rest, n)).expect("UTF-8 path");
        let n = take_len(&mut rest);
        let content = take(&mut rest, n);
        let target = dest.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).expect("folder created");
        }
        fs::write(&target, content).expect("file written");
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["capture", out, blob] => capture(Path::new(out), Path::new(blob)),
        ["write", blob, dest] => write(Path::new(blob), Path::new(dest)),
        _ => {
            eprintln!("usage: floor capture OUT BLOB | floor write BLOB DEST");
            std::process::exit(2);
        }
    }
}
