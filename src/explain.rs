//! `mesosc explain CODE`: what a diagnostic means, an example that triggers
//! it, and what mesosc reports for that example (its help is the fix).
//!
//! The texts are the `///` comments of the diagnostic variants themselves,
//! gathered at build time by `build.rs`, so the docs cannot drift from the code.

use std::path::Path;

use crate::compile::{Options, check_path};
use crate::diagnostic::render;
use crate::files::MemoryFiles;
use crate::rollout::Tree;

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

/// The line of a rollout danger's example between the description deployed
/// and the new one.
pub const AFTER: &str = "# ---- after ----";

/// A rollout danger's example as two complete files (deployed, new): each
/// half gets the cluster block it lacks and always the prelude's hosts, so
/// a half shows only what differs.
pub fn example_pair(doc: &CodeDoc) -> Option<(String, String)> {
    let (before, after) = doc.example.split_once(AFTER)?;
    let whole = |half: &str| {
        let mut text = String::new();
        if !half.contains("cluster ") {
            text.push_str(PRELUDE_CLUSTER);
        }
        // The prelude's hosts follow the half's own cluster block.
        let (head, rest) = match half.find("cluster ") {
            Some(i) => half.split_at(half[i..].find('\n').map_or(half.len(), |n| i + n + 1)),
            None => ("", half),
        };
        text.push_str(head);
        text.push_str(PRELUDE_HOSTS);
        text.push_str(rest.trim_start_matches('\n'));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    };
    Some((whole(before), whole(after)))
}

/// Checks `after` as a rollout from the build of `before`: `after`'s check,
/// with the rollout's refused dangers among its diagnostics (nothing is
/// allowed). `before` must build without errors.
pub fn check_rollout(
    before: &Path,
    after: &Path,
    files: &dyn crate::files::Files,
) -> std::io::Result<crate::Checked> {
    let none = |_: &str| None;
    let options = Options::default();
    let old = crate::compile(before, files, &none, &options)?;
    let mut new = check_path(after, files, &none, &options)?;
    let built = crate::compile::emit_checked(&mut new);
    if let (Some(old), Some(built), Some(model)) = (old.files, built, new.model.as_ref()) {
        let (old, built) = (Tree::from_files(&old), Tree::from_files(&built));
        let plan = crate::rollout::plan(&old, &built, model, &Default::default());
        for d in plan.refused {
            new.diagnostics.push(d);
        }
    }
    Ok(new)
}

/// The full explanation: meaning, example, and the example's report.
pub fn explain(doc: &CodeDoc, width: usize) -> String {
    explain_colored(doc, width, false)
}

/// [`explain`], with the report coloured when `color`. The example is the
/// complete file that is checked (the snippet and the lines it needs), so
/// every line the report points at is shown.
pub fn explain_colored(doc: &CodeDoc, width: usize, color: bool) -> String {
    let pair = example_pair(doc);
    let mut out = format!("{}\n\n{}\n\n", doc.code, doc.meaning);
    // A rollout danger: the deployed description first (set apart by `|`,
    // so the example's lines keep their numbers), then the new one.
    if let Some((before, _)) = &pair {
        out.push_str("Deployed (before.mcl; `mesosc plan example.mcl --from` its build):\n\n");
        for line in before.lines() {
            out.push_str("  | ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("Example (example.mcl):\n\n");
    let file = pair
        .as_ref()
        .map_or_else(|| example_file(doc), |(_, a)| a.clone());
    for line in file.lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    let mut files = MemoryFiles::new();
    let checked = match pair {
        Some((before, after)) => {
            files.insert("before.mcl", before);
            files.insert("example.mcl", after);
            check_rollout(Path::new("before.mcl"), Path::new("example.mcl"), &files)
        }
        None => {
            files.insert("example.mcl", example_file(doc));
            let none = |_: &str| None;
            check_path(Path::new("example.mcl"), &files, &none, &Options::default())
        }
    };
    if let Ok(checked) = checked {
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
