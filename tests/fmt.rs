//! The formatter: on every example and every file of the corpus `tests/fmt/`
//! it is idempotent, keeps every comment in order, and keeps the meaning (the
//! syntax tree parsed back is the same, spans aside). The corpus also has
//! golden outputs: `tests/fmt/<name>.mcl` formats to `tests/fmt/<name>.expected`
//! (`MESOSC_BLESS=1` rewrites them; review the diff).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mesosc::fmt::{format, is_formatted};
use mesosc::syntax::parse_text;
use proptest::prelude::*;

mod common;
use common::mutate;

/// The `.mcl` files of a directory, sorted.
fn mcl_files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .expect("directory exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mcl"))
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("readable")
}

/// The syntax tree's items as text, with every span left out.
fn tree_without_spans(text: &str) -> String {
    let (file, errors) = parse_text(text);
    assert!(errors.is_empty(), "parse errors: {errors:?}\n{text}");
    strip_spans(&format!("{:?}", file.items))
}

/// Removes every `span: 12..34` (and other `name: a..b` span fields) from a Debug dump.
fn strip_spans(dump: &str) -> String {
    let mut out = String::with_capacity(dump.len());
    let mut rest = dump;
    while let Some(at) = rest.find(": ") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let a = digits(rest);
        if a > 0 && rest[a..].starts_with("..") {
            let b = digits(&rest[a + 2..]);
            if b > 0 {
                out.push_str("<span>");
                rest = &rest[a + 2 + b..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every comment's text, in order, without trailing blanks.
fn comments(text: &str) -> Vec<String> {
    let (file, _) = parse_text(text);
    file.comments
        .iter()
        .map(|c| {
            text[c.start as usize..c.end as usize]
                .trim_end()
                .to_string()
        })
        .collect()
}

/// The three properties, for one input.
fn check_properties(name: &str, text: &str) -> String {
    let once = format(text).unwrap_or_else(|e| panic!("{name}: {e}: {:?}", e.errors));
    let twice = format(&once).unwrap_or_else(|e| panic!("{name}, formatted: {e}\n{once}"));
    assert_eq!(once, twice, "{name}: not idempotent");
    assert_eq!(comments(text), comments(&once), "{name}: comments changed");
    assert_eq!(
        tree_without_spans(text),
        tree_without_spans(&once),
        "{name}: meaning changed\n{once}"
    );
    assert!(!once.contains("\r\n"), "{name}: CRLF left");
    let indented_with_spaces = |l: &str| !l.trim_start_matches(' ').starts_with('\t');
    assert!(
        once.lines().all(indented_with_spaces),
        "{name}: tab indentation"
    );
    assert!(once.is_empty() || (once.ends_with('\n') && !once.ends_with("\n\n")));
    assert!(
        once.lines().all(|l| l == l.trim_end()),
        "{name}: trailing blanks"
    );
    once
}

#[test]
fn examples_are_formatted_and_stable() {
    let examples = mcl_files("examples");
    assert!(examples.len() >= 5, "expected the bundled examples");
    for path in examples {
        let text = read(&path);
        let name = path.display().to_string();
        let once = check_properties(&name, &text);
        assert!(
            once == text,
            "{name} is not formatted: run the formatter over it\n{once}"
        );
    }
}

#[test]
fn corpus_is_stable_and_matches_its_golden_files() {
    let bless = std::env::var_os("MESOSC_BLESS").is_some();
    let corpus = mcl_files("tests/fmt");
    assert!(corpus.len() >= 12, "expected the corpus under tests/fmt");
    let mut failures = Vec::new();
    for path in corpus {
        let name = path.display().to_string();
        let once = check_properties(&name, &read(&path));
        let golden = path.with_extension("expected");
        if bless {
            fs::write(&golden, &once).expect("writable");
        } else if fs::read_to_string(&golden).ok().as_deref() != Some(once.as_str()) {
            failures.push(format!("{}:\n{once}", golden.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "golden files differ (MESOSC_BLESS=1 rewrites them):\n{}",
        failures.join("\n")
    );
}

#[test]
fn golden_files_are_formatted() {
    for path in mcl_files("tests/fmt") {
        let golden = path.with_extension("expected");
        if let Ok(text) = fs::read_to_string(&golden) {
            assert!(
                is_formatted(&text),
                "{} is not a fixed point",
                golden.display()
            );
        }
    }
}

#[test]
fn files_with_syntax_errors_are_not_formatted() {
    let err = format("leader { port = }\nhost \"a\" {").expect_err("syntax errors");
    assert_eq!(err.errors.len(), 2, "{:?}", err.errors);
    for path in mcl_files("tests/errors/syntax") {
        assert!(format(&read(&path)).is_err(), "{}", path.display());
    }
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(format("").as_deref(), Ok(""));
    assert_eq!(format(" \n\r\n\t\n").as_deref(), Ok(""));
    assert_eq!(
        format("# only\r\n\r\n\r\n# comments   ").as_deref(),
        Ok("# only\n\n# comments\n")
    );
}

#[test]
fn the_language_example_is_close_to_a_fixed_point() {
    let text = include_str!("fmt/language_example.txt");
    let once = check_properties("LANGUAGE.md example", text);
    let changed = text
        .lines()
        .zip(once.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(text.lines().count(), once.lines().count());
    assert!(changed <= 30, "{changed} lines changed:\n{once}");
}

/// The examples and the corpus, read once.
fn sources() -> &'static [String] {
    static SOURCES: OnceLock<Vec<String>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let mut files = mcl_files("examples");
        files.extend(mcl_files("tests/fmt"));
        files.iter().map(|p| read(p)).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever parses keeps its properties; nothing panics.
    #[test]
    fn mutated_files_format_safely(
        which in 0usize..100,
        at in 0usize..4000,
        len in 0usize..40,
        kind in 0u8..3,
        insert in "[ \t\r\n#{}\\[\\](),=\"$\\\\_a-zA-Z0-9.:+*/%-]{0,12}",
    ) {
        let sources = sources();
        let source = &sources[which % sources.len()];
        let text = mutate(source, at, len, kind, &insert);
        if format(&text).is_ok() {
            check_properties("mutation", &text);
        }
    }

    /// Random text never panics.
    #[test]
    fn random_text_never_panics(text in "[ -~\t\r\n\u{e9}\u{feff}]{0,200}") {
        let _ = format(&text);
    }
}
