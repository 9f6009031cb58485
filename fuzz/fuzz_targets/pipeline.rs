//! The whole pipeline over arbitrary input: parse, check (with imports),
//! plan and emit, then every diagnostic rendered.
//!
//! The input is `main.mcl`, beside a fixed set of files it may import (the
//! shared `common.mcl` of the examples, a library with a nested import, a
//! file that imports itself, a two-file cycle, a file with syntax errors and
//! a 70-file chain deeper than the import limit). A first line
//! `# env: NAME` selects an environment, as `--env NAME` would.
//!
//! Besides "no panic, no hang", it asserts what the pipeline promises:
//!
//! - every label of every diagnostic points into the sources, and rendering
//!   it (with and without colour, wide and narrow) does not panic;
//! - a run without errors produces files, and a run with errors none (a
//!   failed stage always says why);
//! - every generated path is a plain relative path that the writer accepts,
//!   and no generated file sits where another one needs a folder;
//! - the same input gives the same files twice (determinism).

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mesosc::Options;
use mesosc::files::MemoryFiles;
use miette::Diagnostic;

/// How long the generated import chain is: past `MAX_IMPORT_DEPTH` (64).
const CHAIN: usize = 70;

fn files() -> &'static MemoryFiles {
    static FILES: OnceLock<MemoryFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut f = MemoryFiles::new();
        f.insert("common.mcl", include_str!("../../examples/common.mcl"));
        f.insert("lib.mcl", include_str!("../imports/lib.mcl"));
        f.insert(
            "nested/more.mcl",
            include_str!("../imports/nested/more.mcl"),
        );
        f.insert("self.mcl", include_str!("../imports/self.mcl"));
        f.insert("cycle/a.mcl", include_str!("../imports/cycle/a.mcl"));
        f.insert("cycle/b.mcl", include_str!("../imports/cycle/b.mcl"));
        f.insert("broken.mcl", include_str!("../imports/broken.mcl"));
        for i in 0..CHAIN {
            f.insert(
                format!("chain/{i}.mcl"),
                format!("import \"{}.mcl\"\nlet chain_{i} = {i}\n", i + 1),
            );
        }
        f.insert(format!("chain/{CHAIN}.mcl"), "let chain_end = 1\n");
        f
    })
}

/// A few variables for `env("…")`.
fn vars(name: &str) -> Option<String> {
    match name {
        "HOME" => Some("/home/ops".into()),
        "ZK_HOST" => Some("10.0.0.9".into()),
        "EMPTY" => Some(String::new()),
        "NEWLINE" => Some("a\nb".into()),
        _ => None,
    }
}

/// The writer's rule for a generated path (see `output::check_path`).
fn plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

fn build(text: &str, options: &Options) -> mesosc::Built {
    let mut files = files().clone();
    files.insert("main.mcl", text);
    mesosc::compile(Path::new("main.mcl"), &files, &vars, options).expect("main.mcl is in memory")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let env = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# env: "))
        .map(|e| e.trim().to_owned());
    let options = Options {
        env,
        ..Options::default()
    };
    let built = build(&text, &options);
    let checked = &built.checked;

    for d in checked.diagnostics.iter() {
        for label in d.labels().into_iter().flatten() {
            let start = label.offset() as u32;
            let end = (label.offset() + label.len()) as u32;
            assert!(
                checked.sources.file_of(start).is_some() && checked.sources.file_of(end).is_some(),
                "label outside the sources: {d:?}"
            );
        }
        let _ = mesosc::diagnostic::render(d, &checked.sources, 80, false);
        let _ = mesosc::diagnostic::render(d, &checked.sources, 24, true);
    }

    let errors = checked.diagnostics.error_count();
    match &built.files {
        None => assert!(
            errors > 0,
            "no files, yet no error says why: {:?}",
            checked.diagnostics
        ),
        Some(out) => {
            assert_eq!(errors, 0, "files despite errors");
            assert!(out.contains_key("manifest.json"), "no manifest");
            for path in out.keys() {
                assert!(plain_relative(path), "unwritable path `{path}`");
                let mut dir = path.as_str();
                while let Some((parent, _)) = dir.rsplit_once('/') {
                    assert!(
                        !out.contains_key(parent),
                        "`{parent}` is a file and the folder of `{path}`"
                    );
                    dir = parent;
                }
            }
            let again = build(&text, &options);
            assert!(again.files.as_ref() == Some(out), "not deterministic");
        }
    }
});
