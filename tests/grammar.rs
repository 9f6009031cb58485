//! The editor grammar (`grammar/mcl.tmLanguage.json`) keeps up with the parser:
//! every keyword and word literal the parser knows is highlighted, and the
//! scopes an editor needs are there.

use std::collections::BTreeSet;

use serde_json::Value;

/// The parser's `KEYWORDS` (`src/syntax/parse/mod.rs`); a unit test there checks
/// that this list and that constant are the same.
const KEYWORDS: &[&str] = &[
    "cluster",
    "import",
    "let",
    "for",
    "in",
    "host",
    "uses",
    "template",
    "service",
    "environment",
    "true",
    "false",
    "auto",
];

fn grammar() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/mcl.tmLanguage.json");
    let text = std::fs::read_to_string(path).expect("grammar/mcl.tmLanguage.json is readable");
    serde_json::from_str(&text).expect("grammar/mcl.tmLanguage.json is valid JSON")
}

/// Every value of `field` anywhere in the grammar.
fn strings<'a>(value: &'a Value, field: &str, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(s) if key == field => out.push(s),
                    _ => strings(v, field, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| strings(v, field, out)),
        _ => {}
    }
}

/// The words written literally in the grammar's regular expressions.
fn regex_words(grammar: &Value) -> BTreeSet<String> {
    let mut regexes = Vec::new();
    for field in ["match", "begin"] {
        strings(grammar, field, &mut regexes);
    }
    regexes
        .iter()
        .flat_map(|r| r.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_keyword_is_highlighted() {
    let words = regex_words(&grammar());
    let missing: Vec<&str> = KEYWORDS
        .iter()
        .copied()
        .filter(|k| !words.contains(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "keywords missing from mcl.tmLanguage.json: {missing:?}"
    );
}

#[test]
fn every_unit_is_highlighted() {
    let words = regex_words(&grammar());
    for unit in [
        "ns", "us", "ms", "secs", "mins", "hrs", "days", "weeks", "B", "KB", "MB", "GB", "TB",
    ] {
        assert!(
            words.contains(unit),
            "unit `{unit}` missing from mcl.tmLanguage.json"
        );
    }
}

#[test]
fn grammar_is_source_mcl_for_mcl_files() {
    let grammar = grammar();
    assert_eq!(grammar["scopeName"], "source.mcl");
    assert!(
        grammar["fileTypes"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "mcl"))
    );
}

#[test]
fn every_include_resolves() {
    let grammar = grammar();
    let mut includes = Vec::new();
    strings(&grammar, "include", &mut includes);
    for include in includes {
        let name = include.strip_prefix('#').unwrap_or(include);
        assert!(
            include == "$self" || grammar["repository"].get(name).is_some(),
            "unknown include {include}"
        );
    }
}

#[test]
fn the_scopes_an_editor_needs_are_there() {
    let grammar = grammar();
    let mut names = Vec::new();
    strings(&grammar, "name", &mut names);
    let needed = [
        "comment.line.number-sign.mcl",
        "string.quoted.double.mcl",
        "constant.character.escape.mcl",
        "meta.interpolation.mcl",
        "constant.numeric.integer.mcl",
        "constant.numeric.duration.mcl",
        "constant.numeric.bytes.mcl",
        "constant.numeric.ip.ipv4.mcl",
        "constant.numeric.ip.ipv6.mcl",
        "constant.language.mcl",
        "support.constant.mcl",
        "entity.name.section.mcl",
        "variable.other.property.mcl",
        "keyword.operator.range.mcl",
        "keyword.operator.arithmetic.mcl",
        "keyword.operator.assignment.mcl",
    ];
    for scope in needed {
        assert!(names.contains(&scope), "scope {scope} missing");
    }
}
