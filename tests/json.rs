//! `--message-format json`: every diagnostic of the syntax and check cases
//! under `tests/errors/` becomes one line of valid JSON whose ranges point at
//! exactly the text its labels cover, in the file each label names.

use std::fs;
use std::path::{Path, PathBuf};

use mesosc::files::DiskFiles;
use mesosc::json::{diagnostic_line, summary_line};
use mesosc::span::{SourceMap, Span};
use mesosc::{Checked, Options, check_path};
use miette::Diagnostic;
use serde_json::Value;

/// The main files of one stage's cases.
fn cases(stage: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(format!("tests/errors/{stage}"))
        .expect("cases exist")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mcl"))
        .filter(|p| !p.to_string_lossy().contains(".import."))
        .filter(|p| !p.to_string_lossy().contains(".before."))
        .collect();
    out.sort();
    out
}

/// The variables `env()` sees, as in the UI tests.
fn vars(name: &str) -> Option<String> {
    (name == "MESOSC_TEST_SET").then(|| "1.11.0".to_string())
}

/// A rollout danger's case (a `.before.mcl` beside it) is checked as the
/// change from that file's build, as the UI tests do.
fn check(path: &Path) -> Checked {
    let before = path.with_extension("before.mcl");
    if before.exists() {
        return mesosc::explain::check_rollout(&before, path, &DiskFiles).expect("readable case");
    }
    check_path(path, &DiskFiles, &vars, &Options::default()).expect("readable case")
}

/// The 1-based line and character column of a byte offset, counted here
/// independently of the library.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u64, column as u64)
}

/// Checks one position against the file's text; returns its offset.
fn check_position(text: &str, pos: &Value, what: &str) -> usize {
    let offset = pos["offset"].as_u64().expect("offset") as usize;
    assert!(offset <= text.len(), "{what}: offset out of the file");
    let (line, column) = line_col(text, offset);
    assert_eq!(pos["line"].as_u64(), Some(line), "{what}: line");
    assert_eq!(pos["column"].as_u64(), Some(column), "{what}: column");
    offset
}

/// The text a JSON range covers, read from the file it names.
fn covered(file: &str, range: &Value, what: &str) -> String {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{what}: {file}: {e}"));
    let start = check_position(&text, &range["start"], what);
    let end = check_position(&text, &range["end"], what);
    text[start..end].to_string()
}

/// Every label of `d` as `(global span, text)`, in order, without detached ones.
fn spans(d: &dyn Diagnostic, sources: &SourceMap) -> Vec<(Span, Option<String>)> {
    d.labels()
        .into_iter()
        .flatten()
        .filter(|l| sources.file_of(l.offset() as u32).is_some())
        .map(|l| {
            let span = Span::new(l.offset() as u32, (l.offset() + l.len()) as u32);
            (span, l.label().map(str::to_string))
        })
        .collect()
}

/// Checks one diagnostic's JSON against the diagnostic itself.
fn check_object(v: &Value, d: &dyn Diagnostic, sources: &SourceMap, what: &str) {
    assert_eq!(v["type"], "diagnostic");
    assert_eq!(
        v["code"].as_str(),
        d.code().map(|c| c.to_string()).as_deref()
    );
    assert_eq!(v["message"].as_str(), Some(d.to_string().as_str()));
    assert!(["error", "warning", "advice"].contains(&v["severity"].as_str().unwrap_or("")));
    let labels = v["labels"].as_array().expect("labels");
    let expected = spans(d, sources);
    assert_eq!(labels.len(), expected.len(), "{what}: label count");
    for (label, (span, text)) in labels.iter().zip(&expected) {
        let file = label["file"].as_str().expect("file");
        let got = covered(file, &label["range"], what);
        assert_eq!(got, sources.text(*span), "{what}: label text in {file}");
        assert_eq!(label["text"].as_str(), text.as_deref(), "{what}: label");
    }
    let primaries: Vec<&Value> = labels.iter().filter(|l| l["primary"] == true).collect();
    assert_eq!(primaries.len(), usize::from(!labels.is_empty()), "{what}");
    if let Some(primary) = primaries.first() {
        assert_eq!(v["file"], primary["file"]);
        assert_eq!(v["range"], primary["range"]);
    } else {
        assert!(v["file"].is_null() && v["range"].is_null());
    }
}

fn check_stage(stage: &str) -> usize {
    let mut seen = 0;
    for path in cases(stage) {
        let checked = check(&path);
        let what = path.display().to_string();
        assert!(!checked.diagnostics.is_empty(), "{what}: no diagnostics");
        for d in checked.diagnostics.iter() {
            let line = diagnostic_line(d, &checked.sources);
            assert!(!line.contains('\n'), "{what}: a newline in {line}");
            assert!(
                line.starts_with(r#"{"type":"diagnostic","file":"#),
                "{line}"
            );
            let v: Value = serde_json::from_str(&line).expect("valid JSON");
            check_object(&v, d, &checked.sources, &what);
            seen += 1;
        }
    }
    seen
}

#[test]
fn syntax_diagnostics_point_at_their_text() {
    assert!(check_stage("syntax") >= 8);
}

#[test]
fn check_diagnostics_point_at_their_text() {
    assert!(check_stage("check") >= 40);
}

#[test]
fn plan_diagnostics_point_at_their_text() {
    assert!(check_stage("plan") >= 2);
}

/// The first diagnostic of a case, as JSON.
fn first(path: &str) -> Value {
    let checked = check(Path::new(path));
    let d = checked.diagnostics.iter().next().expect("a diagnostic");
    serde_json::from_str(&diagnostic_line(d, &checked.sources)).expect("valid JSON")
}

#[test]
fn unknown_flag_points_at_the_flag() {
    let path = "tests/errors/check/unknown_flag.mcl";
    let v = first(path);
    assert_eq!(v["code"], "mcl::check::unknown_flag");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["file"], path);
    assert_eq!(covered(path, &v["range"], path), "workdir");
    assert_eq!(v["range"]["start"]["line"], 6);
    assert_eq!(v["range"]["start"]["column"], 20);
    assert_eq!(
        v["help"],
        "mesosc sets `work_dir` itself: use the `work_dir` setting of the `follower` block"
    );
    assert_eq!(v["related"], Value::Array(Vec::new()));
}

#[test]
fn labels_in_other_files_name_them() {
    let main = "tests/errors/check/import_cycle.mcl";
    let v = first(main);
    assert_eq!(v["code"], "mcl::check::import_cycle");
    let files: Vec<&str> = v["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l["file"].as_str().expect("file"))
        .collect();
    assert_eq!(files.len(), 2);
    assert!(files.contains(&main), "{files:?}");
    let other = files.iter().find(|f| **f != main).expect("another file");
    assert!(other.ends_with("import_cycle.import.b.mcl"), "{other}");
    for label in v["labels"].as_array().expect("labels") {
        let text = covered(label["file"].as_str().expect("file"), &label["range"], main);
        assert!(text.starts_with("import \""), "{text}");
    }
}

#[test]
fn warnings_say_so() {
    let v = first("tests/errors/check/even_quorum.mcl");
    assert_eq!(v["severity"], "warning");
}

#[test]
fn the_summary_line() {
    let line = summary_line(2, 1, &["a.mcl", "b.mcl"]);
    assert_eq!(
        line,
        r#"{"type":"summary","errors":2,"warnings":1,"files":["a.mcl","b.mcl"]}"#
    );
    let none: [String; 0] = [];
    let v: Value = serde_json::from_str(&summary_line(0, 0, &none)).expect("valid JSON");
    assert_eq!(v["files"], Value::Array(Vec::new()));
}

/// A diagnostic with a related one and no labels, to see both shapes.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("outer \"quoted\"\nsecond line")]
#[diagnostic(code(test::outer), severity(Advice))]
struct Outer {
    #[related]
    related: Vec<Inner>,
}

/// The related one, labelled in the file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("inner")]
#[diagnostic(code(test::inner), help("fix it"))]
struct Inner {
    #[label("here")]
    a: Span,
    #[label(primary, "primary here")]
    b: Span,
}

#[test]
fn related_diagnostics_have_the_same_shape() {
    let mut sources = SourceMap::new();
    let text = "héllo wörld\nsecond\n";
    sources.add("mem.mcl".into(), "mem.mcl".into(), text.into());
    let inner = Inner {
        a: Span::new(0, 6),
        b: Span::new(14, 20),
    };
    let outer = Outer {
        related: vec![inner],
    };
    let line = diagnostic_line(&outer, &sources);
    assert!(!line.contains('\n'), "{line}");
    let v: Value = serde_json::from_str(&line).expect("valid JSON");
    assert_eq!(v["severity"], "advice");
    assert!(v["file"].is_null() && v["range"].is_null() && v["help"].is_null());
    assert_eq!(v["message"], "outer \"quoted\"\nsecond line");
    let inner = &v["related"][0];
    assert_eq!(inner["type"], "diagnostic");
    assert_eq!(inner["help"], "fix it");
    assert_eq!(inner["labels"].as_array().map(Vec::len), Some(2));
    assert_eq!(inner["range"]["start"]["line"], 2);
    assert_eq!(inner["range"]["start"]["column"], 1);
    assert_eq!(
        inner["labels"][0]["range"]["end"]["column"], 6,
        "characters, not bytes"
    );
    assert_eq!(inner["labels"][0]["range"]["end"]["offset"], 6);
    assert_eq!(inner["labels"][1]["primary"], true);
    assert_eq!(inner["labels"][0]["primary"], false);
}
