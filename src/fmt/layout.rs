//! The printed lines, their alignment, and the final text.
//!
//! The printer produces [`Line`]s; [`render`] aligns the `=` of runs of
//! one-line assignments and the trailing comments of each paragraph, then
//! joins the lines.

/// Spaces per indentation level.
pub(super) const INDENT: usize = 2;

/// Spaces at least between code and its trailing comment.
const COMMENT_GAP: usize = 2;

/// What a line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Code, possibly with a trailing comment.
    Code,
    /// A comment on its own line.
    Comment,
    /// An empty line.
    Blank,
}

/// A one-line `key = value` entry of a multi-line block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Assign {
    /// Which block it belongs to.
    pub(super) group: usize,
    /// The byte length of the key (where padding goes).
    pub(super) key_bytes: usize,
    /// The width of the key in characters.
    pub(super) key_chars: usize,
}

/// One output line.
#[derive(Clone, Debug)]
pub(super) struct Line {
    /// Indentation level.
    pub(super) indent: usize,
    /// The code, or the comment of a comment line.
    pub(super) text: String,
    /// A trailing comment.
    pub(super) comment: Option<String>,
    /// What the line holds.
    pub(super) kind: Kind,
    /// Set when the line is a whole `key = value` entry.
    pub(super) assign: Option<Assign>,
}

impl Line {
    /// An empty line of `kind` at `indent`.
    pub(super) fn new(kind: Kind, indent: usize, text: String) -> Self {
        Line {
            indent,
            text,
            comment: None,
            kind,
            assign: None,
        }
    }

    /// The width of the code, indentation included.
    fn width(&self) -> usize {
        self.indent * INDENT + self.text.chars().count()
    }
}

/// Aligns, then joins the lines into the file's text (one LF after each line).
pub(super) fn render(mut lines: Vec<Line>) -> String {
    while lines.last().is_some_and(|l| l.kind == Kind::Blank) {
        lines.pop();
    }
    align_assignments(&mut lines);
    let columns = comment_columns(&lines);
    let mut out = String::new();
    for (line, column) in lines.iter().zip(columns) {
        write_line(&mut out, line, column);
    }
    out
}

/// Writes one line and its LF, with no trailing blanks.
fn write_line(out: &mut String, line: &Line, column: usize) {
    if line.kind != Kind::Blank {
        out.extend(std::iter::repeat_n(' ', line.indent * INDENT));
        out.push_str(&line.text);
        if let Some(comment) = &line.comment {
            let pad = column.saturating_sub(line.width()).max(1);
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(comment);
        }
    }
    let kept = out.trim_end_matches([' ', '\t']).len();
    out.truncate(kept);
    out.push('\n');
}

/// Pads the keys of consecutive one-line assignments of one block so that
/// their `=` line up.
fn align_assignments(lines: &mut [Line]) {
    let mut start = 0;
    while start < lines.len() {
        let Some(group) = lines[start].assign.map(|a| a.group) else {
            start += 1;
            continue;
        };
        let run = lines[start..]
            .iter()
            .take_while(|l| l.assign.is_some_and(|a| a.group == group))
            .count();
        pad_keys(&mut lines[start..start + run]);
        start += run;
    }
}

/// Pads every key of a run to the widest.
fn pad_keys(run: &mut [Line]) {
    let widest = run
        .iter()
        .filter_map(|l| l.assign.map(|a| a.key_chars))
        .max()
        .unwrap_or(0);
    for line in run {
        if let Some(a) = line.assign {
            let pad = " ".repeat(widest - a.key_chars);
            line.text.insert_str(a.key_bytes, &pad);
        }
    }
}

/// The column of each line's trailing comment: within a paragraph (code
/// lines not separated by an empty line or a comment line), every trailing
/// comment starts two columns after the widest commented line.
fn comment_columns(lines: &[Line]) -> Vec<usize> {
    let mut columns = vec![0; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let run = lines[start..]
            .iter()
            .take_while(|l| l.kind == Kind::Code)
            .count();
        let column = lines[start..start + run]
            .iter()
            .filter(|l| l.comment.is_some())
            .map(|l| l.width() + COMMENT_GAP)
            .max()
            .unwrap_or(0);
        columns[start..start + run].fill(column);
        start += run.max(1);
    }
    columns
}
