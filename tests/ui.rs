//! Diagnostic ("UI") tests: every `tests/errors/<stage>/<code>.mcl` is checked
//! and its rendered report (colourless, 100 columns) compared byte for byte
//! with `<code>.snap`. The file name is the code it exercises, and the test
//! fails unless that code is among the diagnostics. A rollout danger's case
//! has the deployed description beside it (`<code>.before.mcl`).
//! `MESOSC_BLESS=1` rewrites the snapshots; review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use mesosc::diagnostic::render;
use mesosc::files::DiskFiles;
use mesosc::{Options, check_path};
use miette::Diagnostic;

fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for stage in fs::read_dir("tests/errors").expect("tests/errors exists") {
        let stage = stage.expect("readable").path();
        for f in fs::read_dir(&stage).expect("readable") {
            let f = f.expect("readable").path();
            if f.extension().is_some_and(|e| e == "mcl")
                && !f.to_string_lossy().contains(".import.")
                && !f.to_string_lossy().contains(".before.")
            {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// Variables `env()` sees in these tests: a fixed set, not the machine's.
fn vars(name: &str) -> Option<String> {
    (name == "MESOSC_TEST_SET").then(|| "1.11.0".to_string())
}

/// A case with a `<code>.before.mcl` beside it is a rollout: the case is
/// checked as the change from the build of that file (`mesosc plan --from`).
fn report(path: &Path) -> (String, Vec<String>) {
    let before = path.with_extension("before.mcl");
    let checked = if before.exists() {
        mesosc::explain::check_rollout(&before, path, &DiskFiles)
    } else {
        check_path(path, &DiskFiles, &vars, &Options::default())
    }
    .expect("readable test input");
    let mut text = String::new();
    let mut codes = Vec::new();
    for d in checked.diagnostics.iter() {
        text.push_str(&render(d, &checked.sources, 100, false));
        text.push('\n');
        if let Some(code) = d.code() {
            codes.push(code.to_string());
        }
    }
    (text, codes)
}

#[test]
fn every_error_case_matches_its_snapshot() {
    let bless = std::env::var_os("MESOSC_BLESS").is_some();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() > 10, "expected the UI cases under tests/errors");
    for case in cases {
        let stage = case
            .parent()
            .and_then(|p| p.file_name())
            .expect("stage dir")
            .to_string_lossy()
            .to_string();
        let name = case
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let code = format!("mcl::{stage}::{name}");
        let source = fs::read_to_string(&case).expect("readable");
        let (rendered, codes) = report(&case);
        if !codes.contains(&code) {
            failures.push(format!(
                "{}: expected code {code}, got {codes:?}",
                case.display()
            ));
        }
        let deployed = fs::read_to_string(case.with_extension("before.mcl"))
            .map(|b| format!("----- DEPLOYED (the build of {name}.before.mcl)\n{b}"))
            .unwrap_or_default();
        let actual = format!("{deployed}----- SOURCE CODE\n{source}----- DIAGNOSTICS\n{rendered}");
        let snap = case.with_extension("snap");
        if bless {
            fs::write(&snap, &actual).expect("writable");
            continue;
        }
        match fs::read_to_string(&snap) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: snapshot differs\n--- expected\n{expected}\n--- actual\n{actual}",
                snap.display()
            )),
            Err(_) => failures.push(format!(
                "{}: no snapshot (run with MESOSC_BLESS=1)",
                snap.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
