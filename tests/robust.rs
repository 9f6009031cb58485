//! No input crashes the front end: random text and mutations of the examples
//! go through parse and check; every label must point into the sources.

use std::path::Path;

use mesosc::files::MemoryFiles;
use mesosc::{Options, check_path};
use miette::Diagnostic;
use proptest::prelude::*;

mod common;
use common::mutate;

fn check_text(text: &str) {
    let mut files = MemoryFiles::new();
    files.insert("fuzz.mcl", text);
    let unset = |_: &str| None;
    let checked =
        check_path(Path::new("fuzz.mcl"), &files, &unset, &Options::default()).expect("in memory");
    for d in checked.diagnostics.iter() {
        for label in d.labels().into_iter().flatten() {
            let end = (label.offset() + label.len()) as u32;
            assert!(
                checked.sources.file_of(label.offset() as u32).is_some()
                    && checked.sources.file_of(end).is_some(),
                "label outside the sources: {d:?}"
            );
        }
        let _ = mesosc::diagnostic::render(d, &checked.sources, 80, false);
    }
}

fn examples() -> Vec<String> {
    [
        "examples/thegrid.mcl",
        "examples/single.mcl",
        "tests/errors/check/port_conflict.mcl",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(p).expect("example"))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        check_text(&text);
    }

    #[test]
    fn random_mcl_tokens_never_panic(tokens in prop::collection::vec(prop::sample::select(vec![
        "cluster", "host", "for", "in", "let", "import", "template", "uses", "service", "environment",
        "leader", "follower", "zookeeper", "marathon", "auth", "flags", "{", "}", "[", "]", "(", ")",
        "=", ",", "..", "+", "-", "*", "/", "%", "\"x${", "}\"", "\"a\"", "1", "0", "9999999999999999999",
        "10secs", "5GB", "10.0.0.1", "::1", "file(\"/x\")", "env(\"X\")", "auto", "true", "\n", "#c\n",
        "roles", "address", "port", "quorum", "n", "x",
    ]), 0..80)) {
        check_text(&tokens.join(" "));
    }

    #[test]
    fn mutated_examples_never_panic(which in 0usize..3, at in 0usize..4000, len in 0usize..40,
                                    kind in 0u8..3, insert in "[{}\\[\\]\"$=a-z0-9 .\\n-]{0,6}") {
        let base = &examples()[which];
        check_text(&mutate(base, at, len, kind, &insert));
    }
}
