//! Strings: chunks, escapes and `${…}` interpolations, on one line.

use nom::Parser as _;
use nom::bytes::complete::take_till;
use nom::character::complete::char;
use nom::combinator::{opt, recognize};

use super::lex::{lex_escape, lex_str_chunk};
use super::{Fail, PResult, Parser};
use crate::span::Span;
use crate::syntax::ast::{Expr, StrPart};
use crate::syntax::error::ParseError;

impl Parser<'_> {
    /// `string = '"' { chunk | escape | "$" | interpolation } '"'`, on one line.
    pub(super) fn parse_string(&mut self) -> PResult<(Vec<StrPart>, Span)> {
        let start = self.off();
        self.bump(1);
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            match self.rest.as_bytes().first() {
                Some(b'"') => break,
                None | Some(b'\n' | b'\r') => return self.unterminated(start, parts, lit),
                Some(b'\\') => self.string_escape(&mut lit),
                Some(b'$') if self.rest.starts_with("${") => {
                    if !lit.is_empty() {
                        parts.push(StrPart::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(StrPart::Interp(self.parse_interp()?));
                }
                Some(b'$') => {
                    lit.push('$');
                    self.bump(1);
                }
                Some(_) => match lex_str_chunk(self.rest) {
                    Ok((rest, chunk)) => {
                        lit.push_str(chunk);
                        self.set(rest);
                    }
                    Err(_) => return Err(self.unexpected("a string character", None)),
                },
            }
        }
        self.bump(1);
        if !lit.is_empty() {
            parts.push(StrPart::Lit(lit));
        }
        Ok((parts, self.span_from(start)))
    }

    /// Reports a string that the line or the file ends inside. At the end of
    /// the file the string is kept; at the end of a line the entry recovers.
    fn unterminated(
        &mut self,
        start: usize,
        mut parts: Vec<StrPart>,
        lit: String,
    ) -> PResult<(Vec<StrPart>, Span)> {
        let at_eof = self.rest.is_empty();
        if !(at_eof && self.eof_reported) {
            self.error(ParseError::UnterminatedString {
                span: self.span(start, self.off()),
            });
        }
        if !at_eof {
            return Err(Fail);
        }
        self.eof_reported = true;
        if !lit.is_empty() {
            parts.push(StrPart::Lit(lit));
        }
        Ok((parts, self.span_from(start)))
    }

    /// `escape`. An unknown escape is reported and kept as written; a `\` at
    /// the end of the line is left for [`Parser::unterminated`].
    fn string_escape(&mut self, lit: &mut String) {
        let start = self.off();
        let rest = match lex_escape(self.rest) {
            Ok((rest, Some(c))) => {
                lit.push(c);
                return self.set(rest);
            }
            Ok((rest, None)) => rest,
            Err(_) => match bad_escape(self.rest) {
                Some(len) => self.rest.get(len..).unwrap_or(""),
                None => return self.bump(1),
            },
        };
        let end = self.text.len() - rest.len();
        let escape = self.text.get(start..end).unwrap_or("\\");
        lit.push_str(escape);
        let span = self.span(start, end);
        self.error(ParseError::InvalidEscape {
            escape: escape.into(),
            span,
        });
        self.set(rest);
    }

    /// `interpolation = "${" expr "}"`, on the string's line.
    fn parse_interp(&mut self) -> PResult<Expr> {
        let start = self.off();
        let open = self.span(start, start + 2);
        self.bump(2);
        let single_line = std::mem::replace(&mut self.single_line, true);
        let expr = self.nested(open, |p| {
            let expr = p.expect_expr()?;
            p.skip_trivia();
            if p.rest.starts_with('"') && !p.unwinding {
                p.unclosed_interp();
                return Ok(expr);
            }
            p.expect_close(open, "${", '}')?;
            Ok(expr)
        });
        self.single_line = single_line;
        expr
    }

    /// `"${x"`: the string ends before its interpolation. Reported here and
    /// the string kept, so that its `"` still ends it.
    fn unclosed_interp(&mut self) {
        let at = self.off();
        let help = "close the interpolation before the string ends: `\"${…}\"`";
        let found = "the end of the string".to_string();
        self.unexpected_at(self.span(at, at + 1), "`}`", found, help);
    }
}

/// The length of an unknown escape: `\` and one character, or a whole
/// malformed `\u{…}`. `None` for a `\` at the end of the line or file.
fn bad_escape(rest: &str) -> Option<usize> {
    let unicode = (
        nom::bytes::complete::tag("\\u{"),
        take_till(|c| matches!(c, '}' | '"' | '\n' | '\r')),
        opt(char('}')),
    );
    if let Ok((after, _)) = recognize::<_, (), _>(unicode).parse(rest) {
        return Some(rest.len() - after.len());
    }
    let c = rest.get(1..)?.chars().next()?;
    (!matches!(c, '\n' | '\r')).then(|| 1 + c.len_utf8())
}
