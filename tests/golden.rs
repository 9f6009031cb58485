//! Golden tests: every example (and every `tests/cases/<name>/input.mcl`)
//! is compiled in memory and compared byte for byte with
//! `tests/cases/<name>/expected/`, which mirrors `out/` file for file.
//! `MESOSC_BLESS=1` rewrites the expected trees; review the diff.
//! Also: the committed `out/` is the build of `examples/thegrid.mcl`
//! (`MESOSC_BLESS=1` rebuilds it too: after a change to mesosc itself, of
//! the same version, `mesosc build` would find out/ holding the build of
//! the same inputs and write nothing).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use mesosc::emit::FileSet;
use mesosc::files::DiskFiles;

mod common;
use common::{compile_clean, read_tree};

/// (case name, input path): every example with a `cluster` block, and every
/// extra case with its own input.
fn cases() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for e in fs::read_dir("examples").expect("examples/") {
        let p = e.expect("entry").path();
        let is_main = fs::read_to_string(&p).is_ok_and(|t| t.contains("\ncluster "));
        if p.extension().is_some_and(|x| x == "mcl") && is_main {
            out.push((
                p.file_stem().expect("stem").to_string_lossy().into_owned(),
                p,
            ));
        }
    }
    for e in fs::read_dir("tests/cases").expect("tests/cases/") {
        let dir = e.expect("entry").path();
        let input = dir.join("input.mcl");
        if input.exists() {
            out.push((
                dir.file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                input,
            ));
        }
    }
    out.sort();
    out
}

fn build(input: &Path) -> FileSet {
    compile_clean(input, &DiskFiles).files.expect("files")
}

fn bless(dir: &Path, files: &FileSet) {
    let _ = fs::remove_dir_all(dir);
    for (path, entry) in files {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::write(target, &entry.content).expect("write");
    }
}

#[test]
fn every_case_matches_its_expected_tree() {
    let bless_mode = std::env::var_os("MESOSC_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 6, "{cases:?}");
    let mut failures = Vec::new();
    for (name, input) in cases {
        let files = build(&input);
        let expected_dir = Path::new("tests/cases").join(&name).join("expected");
        if bless_mode {
            bless(&expected_dir, &files);
            continue;
        }
        let expected = read_tree(&expected_dir);
        let actual: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(p, e)| (p.clone(), e.content.as_bytes().to_vec()))
            .collect();
        for (path, bytes) in &actual {
            match expected.get(path) {
                None => failures.push(format!("{name}: {path} is new")),
                Some(e) if e != bytes => failures.push(format!("{name}: {path} differs")),
                Some(_) => {}
            }
        }
        for path in expected.keys().filter(|p| !actual.contains_key(*p)) {
            failures.push(format!("{name}: {path} is no longer produced"));
        }
    }
    assert!(
        failures.is_empty(),
        "run with MESOSC_BLESS=1 and review:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_committed_out_is_the_build_of_thegrid() {
    let files = build(Path::new("examples/thegrid.mcl"));
    if std::env::var_os("MESOSC_BLESS").is_some() {
        mesosc::output::write(Path::new("out"), &files).expect("out/ is writable");
    }
    let drift = mesosc::output::check(Path::new("out"), &files).expect("out/ is readable");
    let listed: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        listed.is_empty(),
        "out/ is stale; run with MESOSC_BLESS=1 and review the diff:\n{}",
        listed.join("\n")
    );
}
