//! Collects the documentation of every diagnostic code for `mesosc explain`.
//!
//! Each diagnostic variant's `///` comment (its meaning, and a ```mcl example
//! that triggers it) is the one source of truth: this script finds every
//! `code(mcl::…)` under `src/` and the doc comment above it, and writes them
//! to `$OUT_DIR/codes.rs` as a sorted table.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.sort();
    let mut entries = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = fs::read_to_string(f).expect("source files are UTF-8");
        scan(&text, &mut entries);
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::from(
        "/// Every diagnostic code: (code, meaning, example).\npub static CODES: &[(&str, &str, &str)] = &[\n",
    );
    for (code, doc, example) in &entries {
        writeln!(out, "    ({code:?}, {doc:?}, {example:?}),").expect("writing to a String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("codes.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=src");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Finds `/// doc` blocks followed (through attributes) by `code(mcl::…)`.
fn scan(text: &str, entries: &mut Vec<(String, String, String)>) {
    let mut doc: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(d) = t.strip_prefix("///") {
            doc.push(d.strip_prefix(' ').unwrap_or(d));
            continue;
        }
        if let Some(i) = t.find("code(mcl::") {
            let rest = &t[i + 5..];
            let end = rest.find([')', ',']).unwrap_or(rest.len());
            let code = rest[..end].trim().to_string();
            let (meaning, example) = split_doc(&doc);
            entries.push((code, meaning, example));
            doc.clear();
            continue;
        }
        if !t.starts_with("#[")
            && !t.starts_with("help(")
            && !t.starts_with("severity(")
            && !t.is_empty()
        {
            doc.clear();
        }
    }
}

/// The prose of a doc comment, and the body of its ```mcl block.
fn split_doc(doc: &[&str]) -> (String, String) {
    let mut prose = Vec::new();
    let mut example = Vec::new();
    let mut in_example = false;
    for line in doc {
        match (in_example, line.trim()) {
            (false, "```mcl") => in_example = true,
            (true, "```") => in_example = false,
            (true, _) => example.push(*line),
            (false, _) => prose.push(*line),
        }
    }
    (prose.join("\n").trim().to_string(), example.join("\n"))
}
