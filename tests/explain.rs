//! Every diagnostic code is documented, has a UI test, and its documented
//! example really triggers it (so `mesosc explain` shows a real report).

use std::path::Path;

use mesosc::explain::{self, example_file};
use mesosc::files::MemoryFiles;
use mesosc::{Options, check_path};
use miette::Diagnostic;

#[test]
fn every_documented_example_triggers_its_code() {
    let mut failures = Vec::new();
    for doc in explain::codes() {
        if explain::NOT_STANDALONE.contains(&doc.code) {
            continue;
        }
        let mut files = MemoryFiles::new();
        let checked = match explain::example_pair(&doc) {
            // A rollout danger: the change from the first description to the second.
            Some((before, after)) => {
                files.insert("before.mcl", before);
                files.insert("example.mcl", after);
                let (before, after) = (Path::new("before.mcl"), Path::new("example.mcl"));
                explain::check_rollout(before, after, &files)
            }
            None => {
                files.insert("example.mcl", example_file(&doc));
                let unset = |_: &str| None;
                check_path(
                    Path::new("example.mcl"),
                    &files,
                    &unset,
                    &Options::default(),
                )
            }
        }
        .expect("in memory");
        let codes: Vec<String> = checked
            .diagnostics
            .iter()
            .filter_map(|d| d.code().map(|c| c.to_string()))
            .collect();
        if !codes.iter().any(|c| c == doc.code) {
            failures.push(format!(
                "{}: example gives {codes:?}\n{}",
                doc.code,
                example_file(&doc)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_has_a_ui_test_and_every_ui_test_a_code() {
    let codes: Vec<&str> = explain::codes().map(|d| d.code).collect();
    assert!(codes.len() > 50, "codes were collected: {}", codes.len());
    for code in &codes {
        let mut parts = code.split("::").skip(1);
        let (stage, name) = (parts.next().expect("stage"), parts.next().expect("name"));
        let path = format!("tests/errors/{stage}/{name}.mcl");
        assert!(Path::new(&path).exists(), "{code} has no UI test at {path}");
    }
    for stage in std::fs::read_dir("tests/errors").expect("dir") {
        let stage = stage.expect("entry").path();
        for f in std::fs::read_dir(&stage).expect("dir") {
            let f = f.expect("entry").path();
            let name = f.file_name().expect("name").to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".mcl").filter(|s| !s.contains('.')) else {
                continue;
            };
            let code = format!(
                "mcl::{}::{stem}",
                stage.file_name().expect("stage").to_string_lossy()
            );
            assert!(
                codes.contains(&code.as_str()),
                "{} tests an undocumented code {code}",
                f.display()
            );
        }
    }
}

#[test]
fn lookup_accepts_short_names() {
    assert_eq!(
        explain::lookup("unknown_flag").map(|d| d.code),
        Some("mcl::check::unknown_flag")
    );
    assert_eq!(
        explain::lookup("check::unknown_flag").map(|d| d.code),
        Some("mcl::check::unknown_flag")
    );
    assert!(explain::lookup("nonsense").is_none());
}
