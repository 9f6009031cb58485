//! Small helpers shared by the end-to-end tests that look at whole trees
//! and mutate sources (`tests/build.rs`, `tests/cli.rs`, `tests/golden.rs`,
//! `tests/fmt.rs`, `tests/robust.rs`, `tests/adversarial.rs`; each says
//! `mod common;`). Each test binary uses only some of them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every example with a `cluster` block (the others are imported by them),
/// as `examples/<name>.mcl`, sorted.
pub fn examples() -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir("examples")
        .expect("examples/")
        .map(|e| e.expect("entry").path().to_string_lossy().into_owned())
        .filter(|p| {
            p.ends_with(".mcl") && fs::read_to_string(p).is_ok_and(|t| t.contains("\ncluster "))
        })
        .collect();
    out.sort();
    out
}

/// Every file below `dir`, by `/`-separated path relative to it, with its
/// bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten() {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("below")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).expect("readable"));
            }
        }
    }
    out
}

/// A mutation of `text` for property tests: delete, duplicate or replace
/// (with `insert`) a byte range, moved back to char boundaries.
pub fn mutate(text: &str, at: usize, len: usize, kind: u8, insert: &str) -> String {
    let mut start = at % (text.len() + 1);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match kind % 3 {
        0 => format!("{}{}", &text[..start], &text[end..]),
        1 => format!("{}{}{}", &text[..end], &text[start..end], &text[end..]),
        _ => format!("{}{}{}", &text[..start], insert, &text[end..]),
    }
}

/// Compiles `path` (no `env()` variable set, no `--env`), asserting it has
/// no error.
pub fn compile_clean(path: &Path, files: &dyn mesosc::files::Files) -> mesosc::Built {
    let unset = |_: &str| None;
    let built =
        mesosc::compile(path, files, &unset, &mesosc::Options::default()).expect("readable");
    assert_eq!(
        built.checked.diagnostics.error_count(),
        0,
        "{} has errors",
        path.display()
    );
    built
}
