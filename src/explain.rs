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
    complete(Some(doc.code), doc.example)
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
        let options = crate::rollout::Options {
            words: (new.resolved.as_ref()).map_or_else(Default::default, |r| r.words.clone()),
            ..Default::default()
        };
        let plan = crate::rollout::plan(&old, &built, model, &options);
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
    if let Ok(checked) = check_example(doc) {
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

/// Checks the example of `doc` as `mesosc explain` does: the completed
/// file, or for a rollout danger the rollout from the deployed half to the
/// new one.
pub fn check_example(doc: &CodeDoc) -> std::io::Result<crate::Checked> {
    let mut files = MemoryFiles::new();
    match example_pair(doc) {
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
    }
}

/// Codes whose documented example needs more than one file or a whole
/// cluster, so the example alone does not trigger them.
pub const NOT_STANDALONE: &[&str] = &[
    "mcl::check::import_cycle",
    "mcl::check::import_failed",
    "mcl::syntax::too_deep",
];

impl CodeDoc {
    /// The first sentence of the meaning, whole, on one line: what
    /// `mesosc explain --list` prints.
    pub fn summary(&self) -> String {
        first_sentence(self.meaning)
    }
}

/// The first sentence of `text`'s first paragraph, its lines joined: it ends
/// at a `.`, `?` or `!` followed by a space or the end, outside backticks
/// and not after `e.g`/`i.e`.
fn first_sentence(text: &str) -> String {
    let paragraph = text.split("\n\n").next().unwrap_or("");
    let joined = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut in_code = false;
    let chars: Vec<(usize, char)> = joined.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        match c {
            '`' => in_code = !in_code,
            '.' | '?' | '!' if !in_code => {
                let at_end = chars.get(k + 1).is_none_or(|(_, n)| *n == ' ');
                let head = &joined[..i];
                let abbreviation = head.ends_with("e.g") || head.ends_with("i.e");
                if at_end && !abbreviation {
                    return joined[..=i].to_string();
                }
            }
            _ => {}
        }
    }
    joined
}

/// The help for an unknown code: the nearest codes, matched on the whole
/// code and on the last segment alone (`unknown_flg` → `mcl::check::unknown_flag`);
/// several codes sharing a name are all offered.
pub fn suggest(query: &str) -> Option<String> {
    let q = query.trim();
    let bare = q.rsplit("::").next().unwrap_or(q);
    let names: Vec<&str> = codes().map(|d| d.code).collect();
    let by_name: Vec<&str> = names
        .iter()
        .filter(|c| {
            let name = c.rsplit("::").next().unwrap_or(c);
            name == bare || crate::suggest::nearest(bare, [name]).len() == 1
        })
        .copied()
        .take(3)
        .collect();
    if by_name.is_empty() {
        return crate::suggest::did_you_mean(q, names);
    }
    crate::suggest::phrase(&by_name)
}

/// The reference page of every diagnostic code (the book's
/// `reference/diagnostics.md`): each code's meaning, its example as an
/// annotated ```mcl block the book's snippet test checks, and the report
/// mesosc gives for it, exactly as `mesosc explain CODE` prints them.
pub fn reference() -> String {
    let mut out = String::from(
        "<!-- Generated by mesosc from the diagnostics' doc comments (`mesosc explain`); \
         `MESOSC_BLESS=1 cargo test --test book` rewrites it. -->\n\n\
         # Diagnostics\n\n\
         Every code mesosc reports, with what it means, an example that triggers it, and the \
         report mesosc gives for that example (its `help` line is the fix). `mesosc explain CODE` \
         prints the same on a terminal; `mesosc explain --list` lists every code with its first \
         sentence.\n\n\
         Codes are stable: `mcl::syntax::*` come from the parser, `mcl::check::*` from the \
         checker, `mcl::plan::*` from the rollout plan. Warnings fail a run only with `--strict`.\n",
    );
    for doc in codes() {
        out.push_str(&format!("\n## `{}`\n\n{}\n\n", doc.code, doc.meaning));
        let unchecked = if NOT_STANDALONE.contains(&doc.code) {
            "unchecked,"
        } else {
            ""
        };
        let also: String = (example_codes(&doc).into_iter())
            .filter(|c| c != doc.code)
            .map(|c| format!(",also={c}"))
            .collect();
        out.push_str(&format!(
            "```mcl,{unchecked}fragment,expect={}{also}\n{}\n```\n",
            doc.code, doc.example
        ));
        let report = explain(&doc, 80);
        if let Some((_, shown)) = report.split_once("\nmesosc reports:\n\n") {
            out.push_str(&format!("\nmesosc reports:\n\n```text\n{}```\n", shown));
        }
    }
    out
}

/// Every code the completed example of `doc` reports, once each, in order.
fn example_codes(doc: &CodeDoc) -> Vec<String> {
    let Ok(checked) = check_example(doc) else {
        return Vec::new();
    };
    let mut codes: Vec<String> = Vec::new();
    for d in checked.diagnostics.iter() {
        if let Some(c) = miette::Diagnostic::code(d).map(|c| c.to_string())
            && !codes.contains(&c)
        {
            codes.push(c);
        }
    }
    codes
}

/// A snippet made a complete file the way `mesosc explain` completes its
/// examples: a `cluster` block unless it has one, and (for the checker's
/// and planner's codes) three control hosts and a follower unless it
/// declares a host. `code` is the code the snippet demonstrates, if any.
pub fn complete(code: Option<&str>, snippet: &str) -> String {
    let code = code.unwrap_or("mcl::check::");
    let mut text = String::new();
    let needs_cluster = !snippet.contains("cluster ") && !code.ends_with("missing_cluster");
    if needs_cluster {
        text.push_str(PRELUDE_CLUSTER);
    }
    let checked_stage = code.starts_with("mcl::check::") || code.starts_with("mcl::plan::");
    if !snippet.contains("host ") && checked_stage {
        text.push_str(PRELUDE_HOSTS);
    }
    text.push_str(snippet);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sentence_is_whole_and_skips_abbreviations_and_code() {
        assert_eq!(first_sentence("One line.\nMore."), "One line.");
        assert_eq!(
            first_sentence("A flag\nwrapped over lines (e.g. `a.b. c`). Then more."),
            "A flag wrapped over lines (e.g. `a.b. c`)."
        );
        assert_eq!(first_sentence("No stop\n\nSecond paragraph."), "No stop");
        assert_eq!(first_sentence("Why? Because."), "Why?");
    }

    #[test]
    fn suggestions_match_bare_names_and_whole_codes() {
        assert_eq!(
            suggest("literal_secrt").as_deref(),
            Some("did you mean `mcl::check::literal_secret`?")
        );
        assert_eq!(
            suggest("mcl::check::literal_secrt").as_deref(),
            Some("did you mean `mcl::check::literal_secret`?")
        );
        assert_eq!(suggest("zzzzzzzzzzzzzzzz"), None);
    }

    #[test]
    fn the_reference_names_what_else_an_example_reports() {
        let text = reference();
        assert!(text.contains("```mcl,fragment,expect=mcl::check::unknown_flag\n"));
        assert!(
            text.contains(",also=mcl::check::no_leader"),
            "an example without leaders"
        );
        assert!(text.contains("```mcl,unchecked,fragment,expect=mcl::check::import_cycle"));
        assert!(text.contains("mesosc reports:\n\n```text\n"));
    }
}
