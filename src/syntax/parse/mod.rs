//! The parser: text → [`ast::File`](super::ast::File) plus every [`ParseError`] met.
//!
//! The lexical pieces (trivia, identifiers, keys, numbers and units, IP
//! addresses, string pieces) are nom parsers over `&str` with `()` as their
//! error: a failed lexer only means "not this token". The recursive structure
//! is a hand-written recursive descent over them, kept in [`Parser`]: the
//! cursor, the errors and comments found so far, and the nesting depth. Every
//! function names the production of `grammar/mcl.ebnf` it implements.
//!
//! # Verbs
//!
//! - `lex_x`: a nom parser for one token; never records anything.
//! - `parse_x`: the caller has seen that an `x` starts here; on a problem it
//!   records the error and fails softly with [`Fail`], and the nearest entry
//!   or item recovers.
//! - `expect_x`: `x` must come next; when it does not, records "expected x"
//!   and fails.
//! - `maybe_x`: returns `None`, recording nothing, when `x` is not next.
//!
//! # Recovery
//!
//! An entry that fails is skipped from its start over balanced brackets and
//! strings to the end of the line where it failed, or to the block's `}`. An
//! item that fails is skipped to the next line that starts an item. After an
//! error at the end of the file (an unclosed bracket), later end-of-file
//! errors are dropped, so one mistake gives one error.
//!
//! # Layout
//!
//! This module holds the entry point, the parser's state and cursor, and
//! the helpers of its errors; its productions are in submodules: [`lex`]
//! (tokens), `expr` (expressions and literals), `string`, `block` (blocks,
//! entries, keys), `item` (the top level) and `recover`.

use nom::Parser as _;
use nom::combinator::recognize;

use super::MAX_DEPTH;
use super::ast::{Entry, File};
use super::error::ParseError;
use crate::span::Span;
use lex::{is_ident_start, lex_blank, lex_comment, lex_ident, lex_number, lex_space, lex_suffix};

mod block;
mod expr;
mod item;
mod lex;
mod recover;
mod string;

/// Every keyword and word literal the parser knows: the item keywords (only
/// keywords at the start of an item), `in` and `uses`, and the literals.
pub const KEYWORDS: &[&str] = &[
    "cluster",
    "import",
    "let",
    "for",
    "in",
    "host",
    "uses",
    "template",
    "service",
    "environment",
    "true",
    "false",
    "auto",
];

/// The words that start an item.
pub const ITEM_KEYWORDS: &[&str] = &[
    "cluster",
    "import",
    "let",
    "for",
    "host",
    "template",
    "service",
    "environment",
];

/// Parses one file. Spans are global: `base` plus the local byte offset.
pub fn parse_file(text: &str, base: u32) -> (File, Vec<ParseError>) {
    let mut p = Parser::new(text, base);
    let items = p.parse_items(None);
    (
        File {
            items,
            comments: p.comments,
        },
        p.errors,
    )
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/// A construct failed; its error is recorded already and the caller recovers.
#[derive(Debug)]
struct Fail;

type PResult<T> = Result<T, Fail>;

/// Where a recovery skip may stop.
#[derive(Clone, Copy, PartialEq)]
enum Stop {
    /// A block entry: the end of the line, or the block's `}`.
    Entry,
    /// An item: the next line that starts an item; in a `for`/`environment`
    /// body also the body's `}`.
    Item { in_body: bool },
}

/// An open construct met while skipping.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    /// A bracket, with the byte that closes it and where it opened.
    Bracket(u8, usize),
    /// A string, with where its quote is.
    Str(usize),
    /// `${` inside a string.
    Interp,
}

struct Parser<'a> {
    text: &'a str,
    rest: &'a str,
    base: u32,
    /// End (local) of the last token consumed: spans end here.
    prev_end: usize,
    errors: Vec<ParseError>,
    comments: Vec<Span>,
    depth: usize,
    /// Inside `${…}`: trivia stops at the end of the line and has no comments.
    single_line: bool,
    /// An error at the end of the file was reported: drop the next ones.
    eof_reported: bool,
    /// A block found an item inside it: close every block up to the item list.
    unwinding: bool,
    /// Entries of the blocks being parsed, innermost last: each block's are
    /// moved into a list of their exact length when it closes.
    open_entries: Vec<Entry>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, base: u32) -> Self {
        let rest = text.strip_prefix('\u{feff}').unwrap_or(text);
        Parser {
            text,
            rest,
            base,
            prev_end: 0,
            errors: Vec::new(),
            comments: Vec::new(),
            depth: 0,
            single_line: false,
            eof_reported: false,
            unwinding: false,
            open_entries: Vec::new(),
        }
    }

    // --- cursor --------------------------------------------------------------

    /// The local offset of the cursor.
    fn off(&self) -> usize {
        self.text.len() - self.rest.len()
    }

    /// The global span of a local range.
    fn span(&self, start: usize, end: usize) -> Span {
        let global = |local: usize| {
            self.base
                .saturating_add(local.try_into().unwrap_or(u32::MAX))
        };
        Span::new(global(start), global(end))
    }

    /// From a local start to the end of the last token consumed.
    fn span_from(&self, start: usize) -> Span {
        self.span(start, self.prev_end.max(start))
    }

    /// Consumes up to `rest`, a suffix of the current input.
    fn set(&mut self, rest: &'a str) {
        self.rest = rest;
        self.prev_end = self.off();
    }

    /// Consumes `n` bytes (ASCII only, so a char boundary).
    fn bump(&mut self, n: usize) {
        self.set(self.rest.get(n..).unwrap_or(""));
    }

    /// Moves the cursor back to a local offset, consuming nothing.
    fn rewind(&mut self, to: usize, prev_end: usize) {
        self.rest = self.text.get(to..).unwrap_or("");
        self.prev_end = prev_end;
    }

    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    /// Consumes `c` if it is next (no trivia skipped).
    fn eat(&mut self, c: char) -> bool {
        let next = self.rest.starts_with(c);
        if next {
            self.bump(c.len_utf8());
        }
        next
    }

    /// `trivia = { whitespace | comment }`; inside `${…}` only spaces and tabs.
    fn skip_trivia(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n' | b'#') = self.rest.as_bytes().first() {
            let space = if self.single_line {
                lex_blank(self.rest)
            } else {
                lex_space(self.rest)
            };
            if let Ok((rest, _)) = space {
                self.rest = rest;
            } else if let (false, Ok((rest, comment))) = (self.single_line, lex_comment(self.rest))
            {
                let start = self.off();
                self.push_comment(start, comment);
                self.rest = rest;
            } else {
                return;
            }
        }
    }

    /// Records a comment once (recovery may scan the same text again).
    fn push_comment(&mut self, start: usize, comment: &str) {
        let span = self.span(start, start + comment.trim_end_matches('\r').len());
        if self
            .comments
            .last()
            .is_none_or(|last| last.start < span.start)
        {
            self.comments.push(span);
        }
    }

    /// Whether a newline lies between two local offsets.
    fn newline_between(&self, from: usize, to: usize) -> bool {
        self.text.get(from..to).is_some_and(|s| s.contains('\n'))
    }

    /// Whether only spaces and tabs precede a local offset on its line.
    fn starts_line(&self, at: usize) -> bool {
        let before = self.text.get(..at).unwrap_or("");
        let line = before.rsplit('\n').next().unwrap_or("");
        line.trim_start_matches('\u{feff}')
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || b == b'\r')
    }

    /// The 1-based line of a local offset.
    fn line_of(&self, at: usize) -> usize {
        self.text.get(..at).map_or(0, |s| s.matches('\n').count()) + 1
    }

    /// Runs `f` one nesting level deeper, or reports [`ParseError::TooDeep`].
    fn nested<T>(&mut self, open: Span, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            self.errors.push(ParseError::TooDeep {
                limit: MAX_DEPTH,
                span: open,
            });
            return Err(Fail);
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// What comes next, for the "found …" of a message.
enum Found {
    /// A token: how to name it, and its length in bytes.
    Token(String, usize),
    /// A character that starts no token.
    Invalid(char),
    /// The end of the file.
    Eof,
}

/// Names the token at the start of `rest`.
fn describe(rest: &str) -> Found {
    let Some(c) = rest.chars().next() else {
        return Found::Eof;
    };
    let quoted = |token: &str| Found::Token(format!("`{}`", shorten(token)), token.len());
    let line_len = || rest.find(['\n', '\r']).unwrap_or(rest.len());
    match c {
        '"' => {
            let line_len = line_len();
            let len = rest
                .get(1..line_len)
                .and_then(|s| s.find('"'))
                .map_or(line_len, |k| k + 2);
            Found::Token("a string".into(), len)
        }
        '\n' | '\r' => Found::Token("end of line".into(), 0),
        '#' => Found::Token("a comment".into(), line_len()),
        '.' if rest.starts_with("..") => quoted(".."),
        '{' | '}' | '[' | ']' | '(' | ')' | ',' | '=' | '+' | '-' | '*' | '/' | '%' | '.' => {
            quoted(&rest[..1])
        }
        c if is_ident_start(c) => quoted(lex_ident(rest).map_or(&rest[..1], |(_, w)| w)),
        c if c.is_ascii_digit() => {
            let token = recognize((lex_number, lex_suffix)).parse(rest);
            quoted(token.map_or(&rest[..1], |(_, t): (&str, &str)| t))
        }
        c => Found::Invalid(c),
    }
}

/// At most 32 characters of a token, for a message.
fn shorten(token: &str) -> String {
    match token.char_indices().nth(32) {
        Some((at, _)) => format!("{}…", &token[..at]),
        None => token.to_string(),
    }
}

/// The hint for a `//` or `/*` comment, written as in other languages: at
/// the token that failed, or just after a `/` read as a division.
fn slash_comment_help(before: &str, rest: &str) -> Option<String> {
    let at = rest.starts_with("//") || rest.starts_with("/*");
    let after =
        before.trim_end().ends_with('/') && (rest.starts_with('/') || rest.starts_with('*'));
    (at || after).then(|| "comments start with `#` in MCL: write `# …`".to_string())
}

/// A fix for a character that starts no token.
fn char_help(c: char) -> Option<String> {
    let help = match c {
        ';' => "MCL needs no `;`: entries are separated by newlines or spaces",
        ':' => "write `key = value`; an address with a port is a string: \"zk1:2181\"",
        '\'' | '`' => "strings are written in double quotes: \"…\"",
        '“' | '”' | '„' => "use straight double quotes `\"`",
        '\u{feff}' => "a byte order mark is only allowed at the very start of the file",
        c if c.is_alphabetic() => "names are ASCII letters, digits, `_` and `-`; quote other text",
        _ => return None,
    };
    Some(help.to_string())
}

impl Parser<'_> {
    /// Records an error, unless the same one was just recorded (recovery may
    /// meet the same bad token twice).
    fn error(&mut self, error: ParseError) {
        if !self.errors.iter().rev().take(4).any(|e| *e == error) {
            self.errors.push(error);
        }
    }

    /// Records "expected `expected`, found" and the next token (or an invalid
    /// character) and fails.
    fn unexpected(&mut self, expected: &str, help: Option<String>) -> Fail {
        let start = self.off();
        let before = self.text.get(..start).unwrap_or("");
        let help = help.or_else(|| slash_comment_help(before, self.rest));
        let error = match describe(self.rest) {
            Found::Token(found, len) => {
                let span = self.span(start, start + len);
                ParseError::Unexpected {
                    expected: expected.into(),
                    found,
                    span,
                    help,
                }
            }
            Found::Invalid(c) => ParseError::InvalidCharacter {
                shown: format!("{c:?}"),
                span: self.span(start, start + c.len_utf8()),
                help: char_help(c),
            },
            Found::Eof if self.eof_reported => return Fail,
            Found::Eof => {
                self.eof_reported = true;
                let (found, span) = ("end of file".into(), self.span(start, start));
                ParseError::Unexpected {
                    expected: expected.into(),
                    found,
                    span,
                    help,
                }
            }
        };
        self.error(error);
        Fail
    }

    /// Records "expected `expected`, found `found`" at a span already read, and fails.
    fn unexpected_at(&mut self, span: Span, expected: &str, found: String, help: &str) -> Fail {
        let help = Some(help.to_string());
        self.error(ParseError::Unexpected {
            expected: expected.into(),
            found,
            span,
            help,
        });
        Fail
    }

    /// Records [`ParseError::Unclosed`] for `open`, once, at the end of the file.
    fn unclosed(&mut self, open: Span, delim: &str, close: char) {
        if !self.eof_reported {
            self.eof_reported = true;
            let end = self.span(self.text.len(), self.text.len());
            let help = format!("add the missing `{close}`");
            self.error(ParseError::Unclosed {
                open: delim.into(),
                help,
                span: open,
                end,
            });
        }
    }

    /// `close` must come next. At the end of the file the construct is
    /// reported unclosed and kept.
    fn expect_close(&mut self, open: Span, delim: &str, close: char) -> PResult<()> {
        self.skip_trivia();
        if self.unwinding {
            return Err(Fail);
        }
        if self.maybe_close(open, delim, close) {
            return Ok(());
        }
        Err(self.unexpected(&format!("`{close}`"), None))
    }

    /// Consumes `close` if it comes next; at the end of the file reports
    /// `open` unclosed. Either way the construct ends.
    fn maybe_close(&mut self, open: Span, delim: &str, close: char) -> bool {
        self.skip_trivia();
        if self.rest.is_empty() {
            self.unclosed(open, delim, close);
            return true;
        }
        self.eat(close)
    }

    /// The local offset of a global one.
    fn local(&self, global: u32) -> usize {
        global.saturating_sub(self.base) as usize
    }

    /// The text a span of this file covers.
    fn slice(&self, span: Span) -> &str {
        self.text
            .get(self.local(span.start)..self.local(span.end))
            .unwrap_or("")
    }
}
