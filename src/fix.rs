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
    let mut out = carried(d, sources);
    out.extend(did_you_mean(d, sources));
    out.extend(missing_setting(d, sources));
    out
}

/// "missing `key`": the setting its help shows (`` `key = …` ``) inserted
/// after the opening brace of the block the label points at. Offered to
/// editors, never applied by `mesosc fix`: the value is an example.
fn missing_setting(d: &Error, sources: &SourceMap) -> Option<Fix> {
    use crate::resolve::CheckError;
    let Error::Check(CheckError::MissingSetting {
        key,
        span,
        help: Some(help),
        ..
    }) = d
    else {
        return None;
    };
    let start = format!("{key} =");
    let snippet = (help.split('`').skip(1).step_by(2)).find(|s| s.starts_with(&start))?;
    let id = sources.file_of(span.start)?;
    let file = sources.file(id);
    let rest = file.text.get((span.start - file.base) as usize..)?;
    // The block's brace: right after the label (a name, `cluster "c"`) or at it.
    let brace = rest.find('{')?;
    if rest[..brace].contains(['}', '=', '\n']) {
        return None;
    }
    let at = span.start + u32::try_from(brace).ok()? + 1;
    Some(Fix {
        title: format!("Add `{snippet}`"),
        span: Span::new(at, at),
        replacement: format!(" {snippet} "),
    })
}

/// The fixes a diagnostic variant states itself: the edits that are right
/// whatever the user meant, so `mesosc fix` applies them unasked.
pub fn carried(d: &Error, sources: &SourceMap) -> Vec<Fix> {
    use crate::resolve::CheckError;
    match d {
        Error::Check(CheckError::UnexpectedLabel { key, span, .. }) => {
            // The label and the blanks after it: `flags "x" {` → `flags {`.
            let end = extend_over_blanks(sources, *span);
            vec![Fix {
                title: format!("Remove the label of `{key}`"),
                span: Span::new(span.start, end),
                replacement: String::new(),
            }]
        }
        Error::Model(crate::model::ModelError::NoEffect { entry, .. }) if !entry.is_detached() => {
            let text = sources
                .file_of(entry.start)
                .map(|id| sources.file(id))
                .and_then(|f| {
                    f.text
                        .get((entry.start - f.base) as usize..(entry.end - f.base) as usize)
                });
            let key = text.map_or("", |t| {
                t.split(|c: char| c.is_whitespace() || c == '=' || c == '{')
                    .next()
                    .unwrap_or("")
            });
            vec![Fix {
                title: format!("Remove `{key}` (it has no effect)"),
                span: Span::new(entry.start, extend_over_blanks(sources, *entry)),
                replacement: String::new(),
            }]
        }
        Error::Check(CheckError::MisplacedKey { key, entry, .. }) => vec![Fix {
            title: format!("Remove `{key}` here (it is read only cluster-wide)"),
            span: Span::new(entry.start, extend_over_blanks(sources, *entry)),
            replacement: String::new(),
        }],
        _ => Vec::new(),
    }
}

/// The end of `span` moved past the spaces and tabs that follow it.
fn extend_over_blanks(sources: &SourceMap, span: Span) -> u32 {
    let Some(id) = sources.file_of(span.start) else {
        return span.end;
    };
    let file = sources.file(id);
    let rest = file
        .text
        .get((span.end - file.base) as usize..)
        .unwrap_or("");
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    span.end + blanks as u32
}

/// Applies `fixes` (global spans) to the text of the file that starts at
/// `base` in the source map: fixes that overlap one applied before are left
/// out, so the result is what each fix meant. Returns the new text and how
/// many fixes were applied.
pub fn apply(text: &str, base: u32, fixes: &[Fix]) -> (String, usize) {
    let mut local: Vec<(usize, usize, &str)> = fixes
        .iter()
        .filter_map(|f| {
            let start = f.span.start.checked_sub(base)? as usize;
            let end = f.span.end.checked_sub(base)? as usize;
            (start <= end && end <= text.len()).then_some((start, end, f.replacement.as_str()))
        })
        .collect();
    local.sort_by_key(|&(start, end, _)| (start, end));
    local.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for (start, end, replacement) in local {
        if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(replacement);
        at = end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
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

    /// The fixes of checking `main` (which may import `/lib.mcl`, holding
    /// `lib`): title, the text replaced, the replacement.
    fn fixes_in(main: &str, lib: &str) -> Vec<(String, String, String)> {
        let mut files = MemoryFiles::new();
        files.insert("/t.mcl", main);
        files.insert("/lib.mcl", lib);
        let checked = check_path("/t.mcl".as_ref(), &files, &|_| None, &Options::default())
            .expect("readable");
        checked
            .diagnostics
            .iter()
            .flat_map(|d| fixes(d, &checked.sources))
            .map(|f| {
                let id = checked.sources.file_of(f.span.start).expect("a file");
                let file = checked.sources.file(id);
                let (start, end) = (f.span.start - file.base, f.span.end - file.base);
                let replaced = &file.text[start as usize..end as usize];
                (f.title, replaced.to_string(), f.replacement)
            })
            .collect()
    }

    fn fixes_of(text: &str) -> Vec<(String, String, String)> {
        fixes_in(text, "")
    }

    fn fix(title: &str, replaced: &str, replacement: &str) -> (String, String, String) {
        (title.into(), replaced.into(), replacement.into())
    }

    const HOST: &str = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" {\n  address = 127.0.0.1\n  \
                        roles = [zookeeper, leader, follower]\n}\n";

    #[test]
    fn a_fix_in_an_imported_file_replaces_its_text() {
        let main = format!("import \"lib.mcl\"\n{HOST}");
        let lib = "# the agents' flags\nfollower { flags { isolaton = \"posix/cpu\" } }\n";
        assert_eq!(
            fixes_in(&main, lib),
            [fix(
                "Replace `isolaton` with `isolation`",
                "isolaton",
                "isolation"
            )]
        );
    }

    #[test]
    fn a_quoted_value_is_replaced_inside_its_quotes() {
        let text = format!("{HOST}leader {{ flags {{ logging_level = \"INF\" }} }}\n");
        assert_eq!(
            fixes_of(&text),
            [fix("Replace `INF` with `INFO`", "INF", "INFO")]
        );
    }

    #[test]
    fn an_entry_without_effect_is_removed_whole() {
        // The leader runs natively: `image` is for docker containers.
        let text = format!("{HOST}leader {{ image = \"x\"  port = 5050 }}\n");
        assert_eq!(
            fixes_of(&text),
            [fix(
                "Remove `image` (it has no effect)",
                "image = \"x\"  ",
                ""
            )]
        );
    }

    #[test]
    fn a_help_that_is_not_one_word_is_no_fix() {
        // "did you mean `runtime = native`?": an edit of the entry, not a word.
        let text = "cluster \"c\" {\n  mesos = \"1.11.0\"\n  runtime native\n}\n";
        assert_eq!(fixes_of(text), []);
    }

    #[test]
    fn an_unknown_flag_is_replaced_by_the_nearest() {
        let text = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" {\n  address = 127.0.0.1\n  \
                    roles = [zookeeper, leader, follower]\n  follower { flags { isolaton = \"posix/cpu\" } }\n}\n";
        let found = fixes_of(text);
        assert_eq!(
            found,
            [(
                "Replace `isolaton` with `isolation`".to_string(),
                "isolaton".to_string(),
                "isolation".to_string()
            )]
        );
    }

    #[test]
    fn a_missing_setting_is_added_with_the_example_of_its_help() {
        let text = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" {\n  roles = [zookeeper, leader, follower]\n}\n";
        assert_eq!(
            fixes_of(text),
            [fix(
                "Add `address = \"10.0.0.1\"`",
                "",
                " address = \"10.0.0.1\" "
            )]
        );
        let service = format!("{HOST}service \"x\" {{ on = [leader] }}\n");
        assert_eq!(
            fixes_of(&service),
            [fix(
                "Add `exec = \"/path/to/binary --flags\"`",
                "",
                " exec = \"/path/to/binary --flags\" "
            )]
        );
        // Not a carried fix: `mesosc fix` never writes an example value.
        let mut files = MemoryFiles::new();
        files.insert("/t.mcl", text);
        let checked = check_path("/t.mcl".as_ref(), &files, &|_| None, &Options::default())
            .expect("readable");
        assert!(
            checked
                .diagnostics
                .iter()
                .all(|d| carried(d, &checked.sources).is_empty())
        );
    }

    #[test]
    fn a_misspelled_derived_flag_is_not_renamed_to_it() {
        // `work_dir` is the follower block's setting: renaming the flag would
        // only trade one error for `derived_flag`.
        let text = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" {\n  address = 127.0.0.1\n  \
                    roles = [zookeeper, leader, follower]\n  follower { flags { workdir = \"/x\" } }\n}\n";
        assert_eq!(fixes_of(text), []);
    }

    #[test]
    fn a_label_and_a_per_host_key_are_removed() {
        let text = "cluster \"c\" { mesos = \"1.11.0\" }\nhost \"a\" {\n  address = 127.0.0.1\n  \
                    roles = [zookeeper, leader]\n  leader { quorum = 1 }\n  zookeeper \"x\" { }\n}\n";
        let found = fixes_of(text);
        assert_eq!(
            found,
            [
                (
                    "Remove `quorum` here (it is read only cluster-wide)".to_string(),
                    "quorum = 1 ".to_string(),
                    String::new()
                ),
                (
                    "Remove the label of `zookeeper`".to_string(),
                    "\"x\" ".to_string(),
                    String::new()
                ),
            ]
        );
    }

    #[test]
    fn a_fix_in_an_imported_file_covers_the_blanks_of_that_file() {
        // The imported file starts past the main file in the source map, so
        // the blanks after a label are found at its own offsets.
        let mut files = MemoryFiles::new();
        files.insert(
            "/m.mcl",
            "cluster \"c\" { mesos = \"1.11.0\" }\nimport \"l.mcl\"\nhost \"a\" {\n  \
             address = 127.0.0.1\n  roles = [zookeeper, leader, follower]\n}\n",
        );
        files.insert("/l.mcl", "follower { resources \"r\"   { cpus = 2 } }\n");
        let checked = check_path("/m.mcl".as_ref(), &files, &|_| None, &Options::default())
            .expect("readable");
        let fix: Vec<Fix> = checked
            .diagnostics
            .iter()
            .flat_map(|d| carried(d, &checked.sources))
            .collect();
        assert_eq!(fix.len(), 1, "{fix:?}");
        let id = checked.sources.file_of(fix[0].span.start).expect("a file");
        let file = checked.sources.file(id);
        assert!(file.base > 0);
        let (text, n) = apply(&file.text, file.base, &fix);
        assert_eq!(
            (text.as_str(), n),
            ("follower { resources { cpus = 2 } }\n", 1)
        );
    }

    #[test]
    fn apply_skips_overlaps_and_keeps_the_rest() {
        let fix = |start, end, r: &str| Fix {
            title: String::new(),
            span: Span::new(start, end),
            replacement: r.into(),
        };
        let (text, n) = apply(
            "abcdef",
            10,
            &[fix(11, 13, "X"), fix(12, 14, "Y"), fix(15, 16, "")],
        );
        assert_eq!((text.as_str(), n), ("aXde", 2));
        let (text, n) = apply("abc", 0, &[fix(5, 6, "Z")]);
        assert_eq!((text.as_str(), n), ("abc", 0));
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
