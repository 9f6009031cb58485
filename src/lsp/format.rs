//! `textDocument/formatting` with [`crate::fmt::format`], mesosc's one
//! canonical layout (the editor's options — tab size, spaces — do not
//! apply: there is one layout).
//!
//! The answer is a single edit covering the lines from the first that
//! changes to the last that changes, so the editor keeps its cursor and
//! marks outside them. A file with syntax errors is not formatted: the
//! request fails with the first error, which the diagnostics show anyway.

use lsp_types::{Range, TextEdit};

use super::convert::LineIndex;

/// Whether the server advertises formatting.
pub const AVAILABLE: bool = true;

/// The edits that format `text` (none when it is formatted already), or
/// why it cannot be formatted.
pub fn edits(text: &str) -> Result<Option<Vec<TextEdit>>, String> {
    let formatted = crate::fmt::format(text).map_err(|e| match e.errors.first() {
        Some(first) => {
            let index = LineIndex::new(text);
            let at = first_offset(first).map(|o| index.position(text, o));
            let line = at.map(|p| format!(" (line {}: {first})", p.line + 1));
            format!("{e}{}", line.unwrap_or_default())
        }
        None => e.to_string(),
    })?;
    Ok(Some(diff(text, &formatted).into_iter().collect()))
}

/// The local byte offset of a syntax error's first label.
fn first_offset(error: &crate::syntax::ParseError) -> Option<usize> {
    use miette::Diagnostic;
    let label = error.labels()?.next()?;
    Some(label.offset())
}

/// One edit turning `old` into `new`: the differing lines between their
/// common leading and trailing lines. `None` when they are equal.
fn diff(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let (prefix, suffix) = common_lines(&old_lines, &new_lines);
    let bytes = |lines: &[&str]| lines.iter().map(|l| l.len()).sum::<usize>();
    let start = bytes(&old_lines[..prefix]);
    let end = old.len() - bytes(&old_lines[old_lines.len() - suffix..]);
    let new_start = bytes(&new_lines[..prefix]);
    let new_end = new.len() - bytes(&new_lines[new_lines.len() - suffix..]);
    let index = LineIndex::new(old);
    Some(TextEdit::new(
        Range::new(index.position(old, start), index.position(old, end)),
        new[new_start..new_end].to_string(),
    ))
}

/// How many lines the two texts share at their start, and then at their
/// end (not counting the shared start twice).
fn common_lines(old: &[&str], new: &[&str]) -> (usize, usize) {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, edit: &TextEdit) -> String {
        let index = LineIndex::new(old);
        let start = index.offset(old, edit.range.start);
        let end = index.offset(old, edit.range.end);
        format!("{}{}{}", &old[..start], edit.new_text, &old[end..])
    }

    #[test]
    fn edits_cover_only_the_changed_lines() {
        let old = "a = 1\nb  =  2\nc = 3\n";
        let new = "a = 1\nb = 2\nc = 3\n";
        let edit = diff(old, new).expect("an edit");
        assert_eq!(edit.range.start.line, 1);
        assert_eq!(edit.range.end.line, 2);
        assert_eq!(apply(old, &edit), new);
        for (old, new) in [
            ("", "x\n"),
            ("x", "x\n"),
            ("a\nb\n", "a\n"),
            ("a\r\nb", "a\nb\n"),
        ] {
            let edit = diff(old, new).expect("an edit");
            assert_eq!(apply(old, &edit), new, "{old:?} → {new:?}");
        }
        assert!(diff("same\n", "same\n").is_none());
    }
}
