//! `mesosc explain CODE`: what a diagnostic means, an example that triggers
//! it, and what mesosc reports for that example (its help is the fix).
//!
//! The texts are the `///` comments of the diagnostic variants themselves,
//! gathered at build time by `build.rs`, so the docs cannot drift from the code.

use std::path::Path;

use crate::compile::{Options, check_path};
use crate::diagnostic::render;
use crate::files::MemoryFiles;

include!(concat!(env!("OUT_DIR"), "/codes.rs"));

/// The documentation of one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeDoc {
    /// The full code, `mcl::check::unknown_flag`.
    pub code: &'static str,
    /// What it means and why.
    pub meaning: &'static str,
    /// MCL that triggers it.
    pub example: &'static str,
}

/// Every documented code, sorted.
pub fn codes() -> impl Iterator<Item = CodeDoc> {
    CODES.iter().map(|&(code, meaning, example)| CodeDoc {
        code,
        meaning,
        example,
    })
}

/// Finds a code by its full name, without the `mcl::` prefix, or by its last
/// segment alone when that is unambiguous (`unknown_flag`).
pub fn lookup(query: &str) -> Option<CodeDoc> {
    let q = query.trim();
    let full = if q.starts_with("mcl::") {
        q.to_string()
    } else {
        format!("mcl::{q}")
    };
    if let Some(doc) = codes().find(|d| d.code == full) {
        return Some(doc);
    }
    let mut by_name = codes().filter(|d| d.code.rsplit("::").next() == Some(q));
    match (by_name.next(), by_name.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The lines a standalone example gets when it lacks them: a cluster block,
/// and (when it declares no host) three control hosts and one follower.
const PRELUDE_CLUSTER: &str = "cluster \"example\" { mesos = \"1.11.0\" }\n";
const PRELUDE_HOSTS: &str = "for n in 1..3 {\n  host \"m${n}\" { address = \"10.0.0.${n}\"  roles = [zookeeper, leader, marathon] }\n}\nhost \"a1\" { address = \"10.0.1.1\"  roles = [follower] }\n";

/// The example as a complete file: the snippet plus whatever it needs to reach
/// the stage that reports the code.
pub fn example_file(doc: &CodeDoc) -> String {
    let mut text = String::new();
    let ex = doc.example;
    let needs_cluster = !ex.contains("cluster ") && !doc.code.ends_with("missing_cluster");
    // The prelude's hosts follow the snippet's own cluster block when it has one.
    if needs_cluster {
        text.push_str(PRELUDE_CLUSTER);
    }
    let checked_stage = doc.code.starts_with("mcl::check::") || doc.code.starts_with("mcl::plan::");
    if !ex.contains("host ") && checked_stage {
        text.push_str(PRELUDE_HOSTS);
    }
    text.push_str(ex);
    text.push('\n');
    text
}

/// The full explanation: meaning, example, and the example's report.
pub fn explain(doc: &CodeDoc, width: usize) -> String {
    explain_colored(doc, width, false)
}

/// [`explain`], with the report coloured when `color`. The example is the
/// complete file that is checked (the snippet and the lines it needs), so
/// every line the report points at is shown.
pub fn explain_colored(doc: &CodeDoc, width: usize, color: bool) -> String {
    let file = example_file(doc);
    let mut out = format!(
        "{}\n\n{}\n\nExample (example.mcl):\n\n",
        doc.code, doc.meaning
    );
    for line in file.lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    let mut files = MemoryFiles::new();
    files.insert("example.mcl", file);
    let none = |_: &str| None;
    if let Ok(checked) = check_path(Path::new("example.mcl"), &files, &none, &Options::default()) {
        let shown: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| miette::Diagnostic::code(*d).is_some_and(|c| c.to_string() == doc.code))
            .collect();
        if !shown.is_empty() {
            out.push_str("\nmesosc reports:\n\n");
            for d in shown {
                out.push_str(&render(d, &checked.sources, width, color));
            }
        }
    }
    out
}
