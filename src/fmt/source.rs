//! The source text as the printer reads it: slices, line ends, blank lines,
//! comments, and the token a (possibly parenthesised) expression wrote.

use crate::span::Span;

/// The text being formatted and its comments (local spans: the file is
/// parsed with base 0).
pub(super) struct Source<'a> {
    text: &'a str,
    comments: Vec<(usize, usize)>,
}

/// Whitespace between tokens (the parser's, with a lone CR).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'a> Source<'a> {
    /// Wraps `text` and the comment spans the parser found in it.
    pub(super) fn new(text: &'a str, comments: &[Span]) -> Self {
        let comments = comments
            .iter()
            .map(|c| (c.start as usize, c.end as usize))
            .collect();
        Source { text, comments }
    }

    /// The comments, in source order.
    pub(super) fn comments(&self) -> &[(usize, usize)] {
        &self.comments
    }

    /// The text of `start..end` (empty when out of range).
    pub(super) fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    /// The text a span covers.
    pub(super) fn span_text(&self, span: Span) -> &'a str {
        self.slice(span.start as usize, span.end as usize)
    }

    /// A comment's text, without trailing blanks.
    pub(super) fn comment_text(&self, (start, end): (usize, usize)) -> &'a str {
        self.slice(start, end).trim_end()
    }

    /// The offset of the end of the line `pos` is on (its LF, or the end of the text).
    pub(super) fn line_end(&self, pos: usize) -> usize {
        let from = pos.min(self.text.len());
        self.text.as_bytes()[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.text.len(), |i| from + i)
    }

    /// Whether `start..end` holds no line break.
    pub(super) fn one_line(&self, start: usize, end: usize) -> bool {
        !self.slice(start, end).contains('\n')
    }

    /// Whether `from..to` holds an empty line (two line breaks with only
    /// blanks between them).
    pub(super) fn blank_between(&self, from: usize, to: usize) -> bool {
        let mut breaks = 0;
        for b in self.slice(from, to).bytes() {
            match b {
                b'\n' => breaks += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => breaks = 0,
            }
            if breaks >= 2 {
                return true;
            }
        }
        false
    }

    /// Whether a comment starts strictly between `open` and `close`.
    pub(super) fn has_comment_in(&self, open: usize, close: usize) -> bool {
        let i = self.comments.partition_point(|c| c.0 <= open);
        self.comments.get(i).is_some_and(|c| c.0 < close)
    }

    /// The comment starting exactly at `pos`.
    fn comment_at(&self, pos: usize) -> Option<(usize, usize)> {
        let i = self.comments.partition_point(|c| c.0 < pos);
        self.comments.get(i).copied().filter(|c| c.0 == pos)
    }

    /// The comment whose text (trailing blanks included) ends at or after
    /// `pos` and starts before it.
    fn comment_ending(&self, pos: usize) -> Option<(usize, usize)> {
        let i = self.comments.partition_point(|c| c.0 < pos);
        let c = *self.comments.get(i.checked_sub(1)?)?;
        (pos <= c.1).then_some(c)
    }

    /// The first offset at or after `pos` that is not whitespace or a comment.
    pub(super) fn skip_trivia(&self, mut pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            while bytes.get(pos).is_some_and(|&b| is_space(b)) {
                pos += 1;
            }
            match self.comment_at(pos) {
                Some((_, end)) => pos = end,
                None => return pos,
            }
        }
    }

    /// The offset just past the last token ending at or before `pos`.
    fn skip_trivia_back(&self, mut pos: usize, floor: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            while pos > floor && bytes.get(pos - 1).is_some_and(|&b| is_space(b)) {
                pos -= 1;
            }
            match self.comment_ending(pos) {
                Some((start, _)) if start >= floor && start < pos => pos = start,
                _ => return pos,
            }
        }
    }

    /// The span of the token (or bracketed group) an expression wrote,
    /// without the parentheses and trivia that may wrap it: `( "a" )` → `"a"`.
    /// Only for expressions that cannot start with `(` themselves (literals,
    /// lists, calls, blocks).
    pub(super) fn core(&self, span: Span) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let (mut start, mut end) = (span.start as usize, span.end as usize);
        loop {
            start = self.skip_trivia(start).min(end);
            end = self.skip_trivia_back(end, start);
            let wrapped = end > start + 1
                && bytes.get(start) == Some(&b'(')
                && bytes.get(end - 1) == Some(&b')');
            if !wrapped {
                return (start, end);
            }
            (start, end) = (start + 1, end - 1);
        }
    }

    /// The text of an expression's own token (see [`Source::core`]).
    pub(super) fn token(&self, span: Span) -> &'a str {
        let (start, end) = self.core(span);
        self.slice(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_strips_parentheses_and_comments() {
        let text = "( # c\n (\"a)\") # d\n)";
        let comments = [Span::new(2, 5), Span::new(14, 17)];
        let src = Source::new(text, &comments);
        assert_eq!(src.token(Span::new(0, text.len() as u32)), "\"a)\"");
    }

    #[test]
    fn blank_lines_are_found() {
        let src = Source::new("a\n \t\r\nb\nc", &[]);
        assert!(src.blank_between(0, 6));
        assert!(!src.blank_between(6, 9));
    }
}
