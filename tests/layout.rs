//! The source layout is the pipeline: every stage is a folder of `src/`, no
//! module imports a later stage, and no modules import each other in a
//! circle. Read from the `crate::` and `super::` paths of every file (doc
//! comments and test modules left out: they may name anything).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The stages and the leaves under them, earliest first: a module may use
/// its own stage and earlier ones only.
const ORDER: &[&str] = &[
    "span",
    "suggest",
    "files",
    "diagnostic",
    "escape",
    "syntax",
    "resolve",
    "schema",
    "model",
    "plan",
    "emit",
    "output",
    "rollout",
    "compile",
];

/// The folders `ls src/` must show, one per stage or tool.
const FOLDERS: &[&str] = &[
    "cli", "emit", "fmt", "lsp", "model", "output", "plan", "resolve", "rollout", "schema",
    "syntax",
];

/// The files directly in `src/`: the leaves, the pipeline driver, and the
/// tools on top. A new module goes into its stage's folder.
const TOP_FILES: &[&str] = &[
    "cli.rs",
    "compile.rs",
    "diagnostic.rs",
    "escape.rs",
    "explain.rs",
    "files.rs",
    "fix.rs",
    "json.rs",
    "lib.rs",
    "main.rs",
    "span.rs",
    "suggest.rs",
    "workspace.rs",
];

type Modules = BTreeMap<String, String>;

fn modules() -> Modules {
    let mut out = Modules::new();
    collect(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &[],
        &mut out,
    );
    out
}

fn collect(dir: &Path, prefix: &[String], out: &mut Modules) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.is_dir() {
            let mut p = prefix.to_vec();
            p.push(name);
            collect(&path, &p, out);
            continue;
        }
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        if stem == "tests" || stem == "main" {
            continue;
        }
        let mut p = prefix.to_vec();
        if stem != "mod" && stem != "lib" {
            p.push(stem.to_owned());
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        out.insert(p.join("::"), code_only(&text));
    }
}

/// The text without comments and without `#[cfg(test)] mod tests { … }`.
fn code_only(text: &str) -> String {
    let cut = text.find("#[cfg(test)]\nmod tests {").unwrap_or(text.len());
    text[..cut]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest known module a path names (`a::b::Item` → `a::b`).
fn target(modules: &Modules, path: &[&str]) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|i| path[..i].join("::"))
        .find(|m| modules.contains_key(m))
}

/// Every path that follows `head::` in `code`, with brace groups expanded
/// one level (`crate::{a, b::C}` → `a`, `b::C`).
fn paths<'a>(code: &'a str, head: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    let needle = format!("{head}::");
    for (i, _) in code.match_indices(&needle) {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[i + needle.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|p| segments(p.trim())));
        } else {
            out.push(segments(rest));
        }
    }
    out
}

fn segments(text: &str) -> Vec<&str> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end].split("::").filter(|s| !s.is_empty()).collect()
}

fn edges(modules: &Modules) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, code) in modules {
        let own: Vec<&str> = name.split("::").filter(|s| !s.is_empty()).collect();
        let parent = &own[..own.len().saturating_sub(1)];
        let mut uses = BTreeSet::new();
        for path in paths(code, "crate") {
            uses.extend(target(modules, &path));
        }
        for path in paths(code, "super") {
            let full: Vec<&str> = parent.iter().copied().chain(path).collect();
            uses.extend(target(modules, &full));
        }
        // A module may name itself or its own parents (`crate::model::X` from
        // inside `model::hosts`): that is not an import of another module.
        uses.retain(|u| u != name && !name.starts_with(&format!("{u}::")) && !u.is_empty());
        out.insert(name.clone(), uses);
    }
    out
}

fn stage(module: &str) -> Option<usize> {
    ORDER
        .iter()
        .position(|s| module.split("::").next() == Some(s))
}

#[test]
fn no_module_imports_a_later_stage() {
    let modules = modules();
    let mut wrong = Vec::new();
    for (from, uses) in edges(&modules) {
        let Some(a) = stage(&from) else { continue };
        for to in uses {
            if stage(&to).is_some_and(|b| b > a) {
                wrong.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports of a later stage: {wrong:#?}");
}

#[test]
fn no_import_circles() {
    let edges = edges(&modules());
    // Depth-first search with colours: a grey node reached again closes a circle.
    let mut colour: BTreeMap<&str, u8> = BTreeMap::new();
    let mut circles = Vec::new();
    fn visit<'a>(
        n: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        colour: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
        circles: &mut Vec<String>,
    ) {
        colour.insert(n, 1);
        stack.push(n);
        for m in edges.get(n).into_iter().flatten() {
            match colour.get(m.as_str()) {
                None => visit(m, edges, colour, stack, circles),
                Some(1) => {
                    let from = stack.iter().position(|s| s == m).unwrap_or(0);
                    circles.push(format!("{} -> {m}", stack[from..].join(" -> ")));
                }
                _ => {}
            }
        }
        stack.pop();
        colour.insert(n, 2);
    }
    for n in edges.keys() {
        if !colour.contains_key(n.as_str()) {
            visit(n, &edges, &mut colour, &mut Vec::new(), &mut circles);
        }
    }
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn the_finder_sees_imports_and_circles() {
    // The checks above are only as good as the path finder: it must see
    // plain, grouped and `super` paths, and skip comments.
    let code = code_only("use crate::{a::B, c};\n// crate::d::E\nuse super::f::G;\n");
    let crate_paths = paths(&code, "crate");
    assert_eq!(crate_paths, vec![vec!["a", "B"], vec!["c"]]);
    assert_eq!(paths(&code, "super"), vec![vec!["f", "G"]]);
    let modules: Modules = [("x", "use crate::y::Z;"), ("y", "use crate::x::W;")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let e = edges(&modules);
    assert!(e["x"].contains("y") && e["y"].contains("x"));
}

#[test]
fn src_lists_the_pipeline() {
    let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
    let folders: BTreeSet<String> = std::fs::read_dir(src)
        .expect("src/")
        .filter_map(|e| {
            let p = e.ok()?.path();
            p.is_dir()
                .then(|| p.file_name()?.to_str().map(str::to_owned))?
        })
        .collect();
    let want: BTreeSet<String> = FOLDERS.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(folders, want);
    let files: BTreeSet<String> = std::fs::read_dir(src)
        .expect("src/")
        .filter_map(|e| {
            let p = e.ok()?.path();
            p.is_file()
                .then(|| p.file_name()?.to_str().map(str::to_owned))?
        })
        .collect();
    let want: BTreeSet<String> = TOP_FILES.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(files, want, "a new module belongs in its stage's folder");
}
