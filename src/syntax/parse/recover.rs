//! Recovery: skipping a failed entry or item over balanced brackets,
//! strings and comments.

use super::lex::line_starts_item;
use super::{Frame, Parser, Stop};
use crate::syntax::error::ParseError;

/// What a recovery skip went over.
struct Skipped {
    /// Where parsing resumes (local).
    end: usize,
    /// The first string left open by the end of its line or of the file: its
    /// quote and where it ends.
    unterminated: Option<(usize, usize)>,
    /// The file ended inside a bracket or a string.
    open_at_eof: bool,
}

/// What one step of a skip met.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    /// Anything else.
    Go,
    /// A `}` that closes nothing the skip opened (not consumed).
    Brace,
    /// The start of a line (just after a newline).
    LineStart,
}

/// A scan over balanced brackets, strings (with their `${…}`) and comments.
/// Every step is amortised O(1), so a skip is linear even over 100,000
/// unclosed brackets.
struct Skip<'t> {
    bytes: &'t [u8],
    i: usize,
    /// Where the current line starts.
    line: usize,
    stack: Vec<Frame>,
    /// Per code level (the base, then one per open `${`): how many `{`, `[`
    /// and `(` are open on the stack.
    levels: Vec<[usize; 3]>,
    /// The index of the outermost open string on the stack.
    first_str: Option<usize>,
    unterminated: Option<(usize, usize)>,
    comments: Vec<(usize, usize)>,
}

/// The slot of a closing bracket in [`Skip::levels`].
fn bracket_slot(close: u8) -> usize {
    match close {
        b'}' => 0,
        b']' => 1,
        _ => 2,
    }
}

impl Skip<'_> {
    fn push(&mut self, frame: Frame) {
        match frame {
            Frame::Bracket(close, _) => {
                if let Some(level) = self.levels.last_mut() {
                    level[bracket_slot(close)] += 1;
                }
            }
            Frame::Interp => self.levels.push([0; 3]),
            Frame::Str(_) => {
                self.first_str.get_or_insert(self.stack.len());
            }
        }
        self.stack.push(frame);
    }

    fn pop(&mut self) -> Option<Frame> {
        let frame = self.stack.pop()?;
        match frame {
            Frame::Bracket(close, _) => {
                if let Some(level) = self.levels.last_mut() {
                    level[bracket_slot(close)] = level[bracket_slot(close)].saturating_sub(1);
                }
            }
            Frame::Interp => {
                self.levels.pop();
            }
            Frame::Str(_) if self.first_str == Some(self.stack.len()) => self.first_str = None,
            Frame::Str(_) => {}
        }
        Some(frame)
    }

    /// Pops frames until `done` holds for the one popped (or the stack is empty).
    fn pop_until(&mut self, done: impl Fn(Frame) -> bool) {
        while let Some(frame) = self.pop() {
            if done(frame) {
                return;
            }
        }
    }

    /// One step inside a string.
    fn string_step(&mut self) -> Step {
        match self.bytes.get(self.i) {
            Some(b'"') => {
                self.pop();
                self.i += 1;
            }
            Some(b'\\') if !matches!(self.bytes.get(self.i + 1), None | Some(b'\n' | b'\r')) => {
                self.i += 2;
            }
            Some(b'$') if self.bytes.get(self.i + 1) == Some(&b'{') => {
                self.push(Frame::Interp);
                self.i += 2;
            }
            Some(b'\n' | b'\r') => self.end_line(),
            _ => self.i += 1,
        }
        Step::Go
    }

    /// One step outside strings.
    fn code_step(&mut self) -> Step {
        let Some(&b) = self.bytes.get(self.i) else {
            return Step::Go;
        };
        match b {
            b'#' => return self.comment(),
            b'"' => self.push(Frame::Str(self.i)),
            b'{' => self.push(Frame::Bracket(b'}', self.i)),
            b'[' => self.push(Frame::Bracket(b']', self.i)),
            b'(' => self.push(Frame::Bracket(b')', self.i)),
            b'}' | b']' | b')' => return self.close(b),
            b'\n' => {
                self.end_line();
                self.i += 1;
                self.line = self.i;
                return Step::LineStart;
            }
            _ => {}
        }
        self.i += 1;
        Step::Go
    }

    /// A comment, up to (not over) the end of its line.
    fn comment(&mut self) -> Step {
        let rest = self.bytes.get(self.i..).unwrap_or_default();
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.bytes.len(), |n| self.i + n);
        self.comments.push((self.i, end));
        self.i = end;
        Step::Go
    }

    /// A closing bracket pops to its opener. A `}` that matches nothing open
    /// closes an interpolation, or else the enclosing block ([`Step::Brace`]).
    fn close(&mut self, b: u8) -> Step {
        let open = self.levels.last().map_or(0, |level| level[bracket_slot(b)]);
        if open > 0 {
            self.pop_until(|f| matches!(f, Frame::Bracket(c, _) if c == b));
        } else if b == b'}' && self.levels.len() > 1 {
            self.pop_until(|f| f == Frame::Interp);
        } else if b == b'}' {
            self.pop_until(|_| false);
            return Step::Brace;
        }
        self.i += 1;
        Step::Go
    }

    /// Strings cannot cross a line: at its end, close the outermost open
    /// string and every bracket opened on this line, noting the string.
    fn end_line(&mut self) {
        let Some(k) = self.first_str else { return };
        if let Some(&Frame::Str(quote)) = self.stack.get(k) {
            self.unterminated.get_or_insert((quote, self.i));
        }
        while self.stack.len() > k {
            self.pop();
        }
        while matches!(self.stack.last(), Some(Frame::Bracket(_, at)) if *at >= self.line) {
            self.pop();
        }
    }
}

impl Parser<'_> {
    /// Skips a failed entry or item from `start` and resumes where `stop`
    /// allows. An unterminated string met after the failure, on its line,
    /// replaces the error it caused: it is the real mistake.
    pub(super) fn recover(&mut self, start: usize, mark: usize, stop: Stop) {
        let here = self.off();
        let fail = if self.newline_between(self.prev_end, here) {
            self.prev_end
        } else {
            here
        };
        let fail = fail.max(start);
        let skipped = self.skip_balanced(start, fail, stop);
        let end = if skipped.end > start {
            skipped.end
        } else {
            start
                + self
                    .text
                    .get(start..)
                    .and_then(|r| r.chars().next())
                    .map_or(0, char::len_utf8)
        };
        let kept = self.text.get(start..end).map_or(0, |s| s.trim_end().len());
        self.rewind(end, start + kept);
        self.eof_reported |= skipped.open_at_eof;
        let same_line =
            |(quote, _): &(usize, usize)| *quote >= fail && !self.newline_between(fail, *quote);
        if let Some((quote, eol)) = skipped.unterminated.filter(same_line) {
            if self.errors.len() > mark {
                self.errors.pop();
            }
            self.error(ParseError::UnterminatedString {
                span: self.span(quote, eol),
            });
        }
    }

    /// Scans from `start` over balanced brackets, strings and comments, to
    /// the first place at or after `fail` where `stop` allows parsing to resume.
    fn skip_balanced(&mut self, start: usize, fail: usize, stop: Stop) -> Skipped {
        let line = self
            .text
            .get(..start)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |k| k + 1);
        let bytes = self.text.as_bytes();
        let mut skip = Skip {
            bytes,
            i: start,
            line,
            stack: Vec::new(),
            levels: vec![[0; 3]],
            first_str: None,
            unterminated: None,
            comments: Vec::new(),
        };
        while skip.i < bytes.len() {
            let in_string = matches!(skip.stack.last(), Some(Frame::Str(_)));
            let step = if in_string {
                skip.string_step()
            } else {
                skip.code_step()
            };
            let resume = skip.stack.is_empty()
                && match (step, stop) {
                    (Step::Brace, Stop::Entry | Stop::Item { in_body: true }) => skip.i >= fail,
                    (Step::LineStart, Stop::Entry) => skip.i > fail,
                    (Step::LineStart, Stop::Item { .. }) => {
                        skip.i > fail && line_starts_item(self.text.get(skip.i..).unwrap_or(""))
                    }
                    _ => false,
                };
            if resume {
                break;
            }
            if step == Step::Brace {
                skip.i += 1;
            }
        }
        if let Some(&Frame::Str(quote)) = skip.first_str.and_then(|k| skip.stack.get(k)) {
            skip.unterminated.get_or_insert((quote, bytes.len()));
        }
        for (from, to) in std::mem::take(&mut skip.comments) {
            let comment = self.text.get(from..to).unwrap_or("");
            self.push_comment(from, comment);
        }
        let open_at_eof = skip.i >= bytes.len() && !skip.stack.is_empty();
        Skipped {
            end: skip.i.min(bytes.len()),
            unterminated: skip.unterminated,
            open_at_eof,
        }
    }
}
