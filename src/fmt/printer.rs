//! The printer's state: the lines written so far, the comments still to
//! place, and the two comment slots every line break offers.
//!
//! Comments are placed in source order. At a *leading* slot (before an item,
//! an entry, a list element or a closing bracket) every comment that starts
//! before that node goes on its own line. At a *trailing* slot (the end of a
//! line) the comments that start before the cutoff (the end of the node's
//! source line, or the next node if that comes first) go at the end of the
//! line: the first one trailing, any other (a comment written inside an
//! expression printed on one line) on its own line after it.

use super::layout::{Assign, INDENT, Kind, Line};
use super::source::Source;

/// The widest line a bracketed group written on one line may keep.
pub(super) const WIDTH: usize = 100;

/// Prints one file into [`Line`]s.
pub(super) struct Printer<'a> {
    /// The source.
    pub(super) src: &'a Source<'a>,
    lines: Vec<Line>,
    /// Whether the last line takes more code.
    open: bool,
    indent: usize,
    /// The first comment not printed yet.
    next_comment: usize,
    /// Where in the source the last printed thing ends (for empty lines).
    cursor: usize,
    /// Just after an opening bracket or at the top of the file: no empty line.
    at_open: bool,
    /// Blocks seen, to tell their alignment runs apart.
    groups: usize,
    /// A scratch printer that measures a group on one line.
    pub(super) measuring: bool,
}

impl<'a> Printer<'a> {
    /// A printer at the top of `src`.
    pub(super) fn new(src: &'a Source<'a>) -> Self {
        Printer {
            src,
            lines: Vec::new(),
            open: false,
            indent: 0,
            next_comment: 0,
            cursor: 0,
            at_open: true,
            groups: 0,
            measuring: false,
        }
    }

    /// The lines printed.
    pub(super) fn finish(self) -> Vec<Line> {
        self.lines
    }

    /// Appends code to the current line (starting one if needed).
    pub(super) fn push(&mut self, text: &str) {
        if !self.open {
            self.lines
                .push(Line::new(Kind::Code, self.indent, String::new()));
            self.open = true;
        }
        if let Some(line) = self.lines.last_mut() {
            line.text.push_str(text);
        }
    }

    /// Ends the current line.
    pub(super) fn newline(&mut self) {
        self.open = false;
    }

    /// Goes one level deeper (after an opening bracket).
    pub(super) fn indent(&mut self) {
        self.indent += 1;
        self.at_open = true;
    }

    /// Comes back one level (before a closing bracket).
    pub(super) fn dedent(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }

    /// The column the next code would start at, without alignment padding.
    pub(super) fn column(&self) -> usize {
        match self.lines.last() {
            Some(line) if self.open => line.indent * INDENT + line.text.chars().count(),
            _ => self.indent * INDENT,
        }
    }

    /// How many lines there are.
    pub(super) fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// A fresh id for a block's alignment run.
    pub(super) fn new_group(&mut self) -> usize {
        self.groups += 1;
        self.groups
    }

    /// Marks line `index` as a whole `key = value` entry of `group`.
    pub(super) fn mark_assign(&mut self, index: usize, group: usize, key: &str) {
        if let Some(line) = self.lines.get_mut(index) {
            line.assign = Some(Assign {
                group,
                key_bytes: key.len(),
                key_chars: key.chars().count(),
            });
        }
    }

    /// Notes that the source up to `pos` is printed.
    pub(super) fn advance(&mut self, pos: usize) {
        self.cursor = self.cursor.max(pos);
    }

    /// The next comment, if it starts before `pos`.
    fn pending(&self, pos: usize) -> Option<(usize, usize)> {
        let next = self.src.comments().get(self.next_comment).copied();
        next.filter(|c| c.0 < pos && !self.measuring)
    }

    /// Adds one empty line if the source has one between the last printed
    /// thing and `pos` (never at the top of a file or just inside a bracket).
    fn blank_if(&mut self, pos: usize) {
        let last_blank = self.lines.last().is_none_or(|l| l.kind == Kind::Blank);
        if !self.at_open && !last_blank && self.src.blank_between(self.cursor, pos) {
            self.lines
                .push(Line::new(Kind::Blank, self.indent, String::new()));
        }
    }

    /// Prints a comment on its own line.
    fn comment_line(&mut self, comment: (usize, usize), blank: bool) {
        self.newline();
        if blank {
            self.blank_if(comment.0);
        }
        let text = self.src.comment_text(comment).to_string();
        self.lines.push(Line::new(Kind::Comment, self.indent, text));
        self.next_comment += 1;
        self.at_open = false;
        self.advance(comment.1);
    }

    /// Own-line comments before `pos`, each after an empty line if the source had one.
    pub(super) fn flush_comments(&mut self, pos: usize) {
        while let Some(comment) = self.pending(pos) {
            self.comment_line(comment, true);
        }
        self.newline();
    }

    /// The leading slot of a node starting at `pos`: its comments, then an
    /// empty line if the source has one before the node.
    pub(super) fn leading(&mut self, pos: usize) {
        self.flush_comments(pos);
        self.blank_if(pos);
        self.at_open = false;
    }

    /// The trailing slot at the end of a line: comments starting before
    /// `cutoff`. Ends the line.
    pub(super) fn trailing(&mut self, cutoff: usize) {
        let attach = self.open;
        if let Some(comment) = self.pending(cutoff).filter(|_| attach) {
            let text = self.src.comment_text(comment).to_string();
            if let Some(line) = self.lines.last_mut() {
                line.comment = Some(text);
            }
            self.next_comment += 1;
            self.advance(comment.1);
        }
        while let Some(comment) = self.pending(cutoff) {
            self.comment_line(comment, false);
        }
        self.newline();
    }

    /// The cutoff of a trailing slot for a node ending at `end` and followed
    /// by something at `next`.
    pub(super) fn cutoff(&self, end: usize, next: usize) -> usize {
        self.src.line_end(end).min(next)
    }
}
