//! The tree-sitter grammar (`editors/tree-sitter-mcl`) against the real
//! parser's inputs, with the real `tree-sitter` CLI (installed by
//! `scripts/install-test-deps`): its corpus passes, the generated parser is
//! the grammar's, every example and accepted test input parses with no
//! ERROR or MISSING node, and every input with a context-free syntax error
//! gets one (limits, number ranges, addresses, units and escapes are the
//! compiler's business, so those inputs parse).

#[path = "support/proc.rs"]
#[allow(dead_code)]
mod proc;
#[path = "support/real_tools.rs"]
mod real_tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

const DEADLINE: Duration = Duration::from_secs(120);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn grammar_dir() -> PathBuf {
    root().join("editors/tree-sitter-mcl")
}

fn tree_sitter(args: &[&str], dir: &Path) -> proc::Ran {
    let ran = proc::run(
        Command::new("tree-sitter").args(args).current_dir(dir),
        DEADLINE,
    );
    assert!(!ran.timed_out, "tree-sitter {args:?} timed out");
    ran
}

/// The `.mcl` files of `dir` (relative to the repository), sorted.
fn mcl_files(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "mcl"))
        .map(|p| {
            p.strip_prefix(root())
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// Whether each file parses without an error node, by file.
fn parse_all(files: &[String]) -> Vec<(String, bool)> {
    let grammar = grammar_dir().display().to_string();
    let mut args = vec!["parse", "-p", &grammar, "-q", "-j"];
    args.extend(files.iter().map(String::as_str));
    let ran = tree_sitter(&args, root());
    // Files with errors are also named on lines of their own before the
    // JSON summary.
    let json = ran
        .stdout
        .find("\n{\n")
        .map(|i| &ran.stdout[i + 1..])
        .or_else(|| ran.stdout.strip_prefix("{\n").map(|_| ran.stdout.as_str()))
        .unwrap_or_else(|| panic!("no JSON summary: {}", ran.output()));
    let summary: Value = serde_json::from_str(json).expect("JSON summary");
    summary["parse_summaries"]
        .as_array()
        .expect("summaries")
        .iter()
        .map(|s| {
            let file = s["file"].as_str().expect("file").to_string();
            (file, s["successful"].as_bool().expect("successful"))
        })
        .collect()
}

#[test]
fn corpus_passes() {
    if real_tools::skip(&["tree-sitter"]) {
        return;
    }
    let ran = tree_sitter(&["test"], &grammar_dir());
    assert!(ran.ok(), "tree-sitter test failed:\n{}", ran.output());
    assert!(
        ran.stdout.contains("Dotted and quoted keys"),
        "{}",
        ran.stdout
    );
}

#[test]
fn generated_parser_is_up_to_date() {
    if real_tools::skip(&["tree-sitter"]) {
        return;
    }
    let scratch = std::env::temp_dir().join(format!("mesosc-ts-{}", std::process::id()));
    let out = scratch.display().to_string();
    let ran = tree_sitter(&["generate", "-o", &out], &grammar_dir());
    assert!(ran.ok(), "tree-sitter generate failed:\n{}", ran.output());
    for file in ["grammar.json", "node-types.json", "parser.c"] {
        let committed = std::fs::read_to_string(grammar_dir().join("src").join(file))
            .unwrap_or_else(|e| panic!("src/{file} is committed: {e}"));
        let fresh = std::fs::read_to_string(scratch.join(file)).expect("generated");
        assert!(
            committed == fresh,
            "src/{file} is stale: run `tree-sitter generate` in editors/tree-sitter-mcl"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn every_accepted_input_parses_without_error_nodes() {
    if real_tools::skip(&["tree-sitter"]) {
        return;
    }
    let mut files = Vec::new();
    for dir in ["examples", "tests/errors/check", "tests/errors/plan"] {
        files.extend(mcl_files(dir));
    }
    for case in std::fs::read_dir(root().join("tests/cases")).expect("cases") {
        let case = case.expect("entry").path();
        let rel = case
            .strip_prefix(root())
            .expect("inside")
            .display()
            .to_string();
        files.extend(mcl_files(&rel));
    }
    // The formatter's inputs all parse (`tests/fmt.rs` formats them).
    files.extend(mcl_files("tests/fmt"));
    assert!(files.len() > 40, "inputs found: {files:?}");
    let failed: Vec<String> = parse_all(&files)
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(f, _)| f)
        .collect();
    assert!(failed.is_empty(), "ERROR or MISSING nodes in {failed:?}");
}

#[test]
fn context_free_syntax_errors_give_error_nodes() {
    if real_tools::skip(&["tree-sitter"]) {
        return;
    }
    // The parser's codes that the grammar can see, and those it leaves to
    // the compiler.
    let context_free = [
        "invalid_character",
        "unclosed",
        "unexpected",
        "unterminated_string",
    ];
    let compiler = [
        "invalid_address",
        "invalid_escape",
        "number_too_large",
        "too_deep",
        "unknown_unit",
    ];
    let files = mcl_files("tests/errors/syntax");
    assert_eq!(
        files.len(),
        context_free.len() + compiler.len(),
        "{files:?}"
    );
    for (file, ok) in parse_all(&files) {
        let code = Path::new(&file)
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        if context_free.contains(&code.as_str()) {
            assert!(!ok, "{file}: no ERROR node for a context-free syntax error");
        } else {
            assert!(
                compiler.contains(&code.as_str()),
                "{file}: a new syntax code, classify it here"
            );
            assert!(
                ok,
                "{file}: the compiler's business, yet the grammar rejects it"
            );
        }
    }
}
