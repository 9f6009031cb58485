//! Machine-applicable fixes: the edits a diagnostic proposes, for editors
//! (the language server's code actions) and any other tool.
//!
//! A fix replaces one span of one file with new text (empty text removes
//! it). Fixes come from two places:
//! - [`carried`]: fixes a diagnostic states itself, by variant (the place to
//!   add, say, the removal of an entry that has no effect);
//! - a "did you mean `X`?" help with a single candidate, whose primary
//!   label covers the word to replace (unknown flags, keys, units, enum
//!   words…).

use miette::{Diagnostic as _, LabeledSpan};

use crate::compile::Error;
use crate::span::{SourceMap, Span};

/// One edit that fixes a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the edit does, for a menu ("Replace `workdir` with `work_dir`").
    pub title: String,
    /// The global span to replace.
    pub span: Span,
    /// The new text (empty: remove the span).
    pub replacement: String,
}

/// Every machine-applicable fix of `d`, whose spans are in `sources`.
pub fn fixes(d: &Error, sources: &SourceMap) -> Vec<Fix> {
    let mut out = carried(d);
    out.extend(did_you_mean(d, sources));
    out
}

/// The fixes a diagnostic variant states itself. None do yet: a variant
/// that knows its edit (an entry to remove, a key to add) gets an arm here.
fn carried(_d: &Error) -> Vec<Fix> {
    Vec::new()
}

/// "did you mean `X`?" with one candidate: replace the primary label's text
/// (inside its quotes when it is a string) with `X`.
fn did_you_mean(d: &Error, sources: &SourceMap) -> Option<Fix> {
    let help = d.help()?.to_string();
    let candidate = single_candidate(&help)?;
    let label = primary(d)?;
    let start = u32::try_from(label.offset()).ok()?;
    let span = Span::new(start, start.checked_add(u32::try_from(label.len()).ok()?)?);
    let id = sources.file_of(span.start)?;
    let file = sources.file(id);
    let local = (span.start - file.base) as usize..(span.end - file.base) as usize;
    let written = file.text.get(local)?;
    let (span, written) = match written.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        Some(inner) => (Span::new(span.start + 1, span.end - 1), inner),
        None => (span, written),
    };
    let plain = |t: &str| !t.is_empty() && !t.contains(char::is_whitespace) && !t.contains('"');
    if !plain(written) || !plain(candidate) || written == candidate {
        return None;
    }
    Some(Fix {
        title: format!("Replace `{written}` with `{candidate}`"),
        span,
        replacement: candidate.to_string(),
    })
}

/// `X` in "did you mean `X`?…", when the help offers only `X`.
fn single_candidate(help: &str) -> Option<&str> {
    let rest = help.strip_prefix("did you mean `")?;
    let (candidate, after) = rest.split_once('`')?;
    after.starts_with('?').then_some(candidate)
}

/// The label that locates the diagnostic: the one marked primary, else the
/// first.
fn primary(d: &Error) -> Option<LabeledSpan> {
    let labels: Vec<LabeledSpan> = d.labels()?.collect();
    let marked = labels.iter().position(LabeledSpan::primary);
    labels.into_iter().nth(marked.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::{Options, check_path};
    use crate::files::MemoryFiles;

    fn fixes_of(text: &str) -> Vec<(String, String, String)> {
        let mut files = MemoryFiles::new();
        files.insert("/t.mcl", text);
        let checked = check_path("/t.mcl".as_ref(), &files, &|_| None, &Options::default())
            .expect("readable");
        checked
            .diagnostics
            .iter()
            .flat_map(|d| fixes(d, &checked.sources))
            .map(|f| {
                let replaced = &text[f.span.start as usize..f.span.end as usize];
                (f.title, replaced.to_string(), f.replacement)
            })
            .collect()
    }

    #[test]
    fn an_unknown_flag_is_replaced_by_the_nearest() {
        let text = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" {\n  address = 127.0.0.1\n  \
                    roles = [zookeeper, leader, follower]\n  follower { flags { workdir = \"/x\" } }\n}\n";
        let found = fixes_of(text);
        assert_eq!(
            found,
            [(
                "Replace `workdir` with `work_dir`".to_string(),
                "workdir".to_string(),
                "work_dir".to_string()
            )]
        );
    }

    #[test]
    fn only_single_candidates_are_applied() {
        assert_eq!(single_candidate("did you mean `a`?"), Some("a"));
        assert_eq!(
            single_candidate("did you mean `a`? Mesos sizes…"),
            Some("a")
        );
        assert_eq!(single_candidate("did you mean `a`, `b` or `c`?"), None);
        assert_eq!(single_candidate("did you mean `a` or `b`?"), None);
        assert_eq!(single_candidate("use `a`"), None);
    }
}
