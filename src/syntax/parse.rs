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

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nom::branch::alt;
use nom::bytes::complete::{take_till, take_till1, take_while, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1, multispace1, one_of, satisfy, space0, space1};
use nom::combinator::{cut, map, opt, recognize, verify};
use nom::multi::many0_count;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser as _};

use super::MAX_DEPTH;
use super::ast::{
    BinOp, Block, ByteUnit, Cluster, DurationUnit, Entry, EntryValue, Environment, Expr, ExprKind,
    File, For, Host, Ident, Import, Item, Key, Let, Section, Service, StrPart, Template,
};
use super::error::ParseError;
use crate::span::Span;

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
// Lexical pieces (nom)
// ---------------------------------------------------------------------------

type Lex<'a, O = &'a str> = IResult<&'a str, O, ()>;

/// `word_char = letter | digit | "_"`
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `letter | "_"`, the first character of an `ident`.
fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

/// `ident = ( letter | "_" ) { word_char } { "-" word_char { word_char } }`
fn lex_ident(i: &str) -> Lex<'_> {
    let hyphen_part = (char('-'), take_while1(is_word));
    recognize((
        satisfy(is_ident_start),
        take_while(is_word),
        many0_count(hyphen_part),
    ))
    .parse(i)
}

/// `dotted_key = ident { "." segment }`, `segment = word_char { word_char | "-" }`
fn lex_dotted_key(i: &str) -> Lex<'_> {
    let segment = (
        char('.'),
        satisfy(is_word),
        take_while(|c| is_word(c) || c == '-'),
    );
    recognize((lex_ident, many0_count(segment))).parse(i)
}

/// `whitespace = { " " | TAB | CR | LF }-`
fn lex_space(i: &str) -> Lex<'_> {
    multispace1(i)
}

/// Whitespace inside `${…}`, which stays on its line: `{ " " | TAB }-`.
fn lex_blank(i: &str) -> Lex<'_> {
    space1(i)
}

/// `comment = "#" { any character but LF }`
fn lex_comment(i: &str) -> Lex<'_> {
    recognize((char('#'), take_till(|c| c == '\n'))).parse(i)
}

/// The `digits { "." digits }` of a `number_token`: stops before `..`, so
/// `1..3` is a range.
fn lex_number(i: &str) -> Lex<'_> {
    recognize((digit1, many0_count((char('.'), digit1)))).parse(i)
}

/// The `[ suffix ]` of a `number_token`: `suffix = word_char { word_char }`.
fn lex_suffix(i: &str) -> Lex<'_> {
    take_while(is_word).parse(i)
}

/// `ipv6 = { hex | ":" | "." }- { word_char }` with at least two `:` (the
/// trailing word characters make `fd00::1g` one invalid address).
fn lex_ipv6(i: &str) -> Lex<'_> {
    let run = take_while1(|c: char| c.is_ascii_hexdigit() || c == ':' || c == '.');
    let colons = verify(run, |run: &str| {
        run.bytes().filter(|&b| b == b':').count() >= 2
    });
    recognize((colons, take_while(is_word))).parse(i)
}

/// `chunk = { any character but "\"" "\\" "$" CR LF }-`
fn lex_str_chunk(i: &str) -> Lex<'_> {
    take_till1(|c| matches!(c, '"' | '\\' | '$' | '\n' | '\r')).parse(i)
}

/// `escape = "\" ( "n" | "t" | "r" | "\" | '"' | "$" | "u{" hex{1,6} "}" )`.
/// `Ok(None)` is a well-formed `\u{…}` that is not a character; `Failure` a
/// malformed `\u`; `Error` an unknown escape.
fn lex_escape(i: &str) -> Lex<'_, Option<char>> {
    let simple = map(one_of("ntr\\\"$"), |c| {
        Some(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            c => c,
        })
    });
    let hex = take_while_m_n(1, 6, |c: char| c.is_ascii_hexdigit());
    let code = map(hex, |h| {
        u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
    });
    let unicode = preceded(char('u'), cut(delimited(char('{'), code, char('}'))));
    preceded(char('\\'), alt((simple, unicode))).parse(i)
}

/// A string on one line, not looked into (for [`line_starts_item`]).
fn lex_plain_string(i: &str) -> Lex<'_> {
    recognize((char('"'), take_till(|c| matches!(c, '"' | '\n')), char('"'))).parse(i)
}

/// Whether a line (from its first byte) starts an item: an item keyword not
/// followed by `=`, or `ident [label] {`.
fn line_starts_item(line: &str) -> bool {
    let Ok((rest, _)) = space0::<_, ()>(line) else {
        return false;
    };
    let Ok((after, word)) = lex_ident(rest) else {
        return false;
    };
    let Ok((after, _)) = space0::<_, ()>(after) else {
        return false;
    };
    if ITEM_KEYWORDS.contains(&word) {
        return !after.starts_with('=');
    }
    let label = opt((alt((lex_plain_string, lex_ident)), space0));
    (label, char('{')).parse(after).is_ok()
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

    /// Records "expected `expected`, found <next token>" (or an invalid
    /// character) and fails.
    fn unexpected(&mut self, expected: &str, help: Option<String>) -> Fail {
        let start = self.off();
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

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

/// The two levels of binary operators.
#[derive(Clone, Copy)]
enum Level {
    /// `+ -`
    Additive,
    /// `* / %`
    Term,
}

impl Parser<'_> {
    /// `expr = additive [ ".." additive ]`
    fn expect_expr(&mut self) -> PResult<Expr> {
        let lhs = self.parse_binary(Level::Additive)?;
        self.skip_trivia();
        if !self.rest.starts_with("..") {
            return Ok(lhs);
        }
        self.bump(2);
        let rhs = self.parse_binary(Level::Additive)?;
        let span = lhs.span.to(rhs.span);
        Ok(Expr {
            kind: ExprKind::Range(Box::new(lhs), Box::new(rhs)),
            span,
        })
    }

    /// The `expr` after the `=` of an entry or a `let`. A next line that reads
    /// as an entry or an item means the value is missing.
    fn expect_value(&mut self) -> PResult<Expr> {
        let eq_end = self.off();
        self.skip_trivia();
        let next_line = self.newline_between(eq_end, self.off());
        if next_line && (looks_like_entry(self.rest) || line_starts_item(self.rest)) {
            self.rewind(eq_end, eq_end);
            let span = self.span(eq_end, eq_end);
            let help = "give it a value, e.g. `= 1` or `= \"text\"`";
            return Err(self.unexpected_at(span, "a value", "end of line".into(), help));
        }
        self.expect_expr()
    }

    /// `additive = term { ( "+" | "-" ) term }`, `term = unary { ( "*" | "/" | "%" ) unary }`.
    /// Each operator nests the tree one level, so a long chain is [`ParseError::TooDeep`].
    fn parse_binary(&mut self, level: Level) -> PResult<Expr> {
        let operand = |p: &mut Self| match level {
            Level::Additive => p.parse_binary(Level::Term),
            Level::Term => p.parse_unary(),
        };
        let mut lhs = operand(self)?;
        let depth = self.depth;
        let result = loop {
            let Some((op, at)) = self.maybe_binop(level) else {
                break Ok(lhs);
            };
            if self.depth >= MAX_DEPTH {
                let span = self.span(at, at + 1);
                self.error(ParseError::TooDeep {
                    limit: MAX_DEPTH,
                    span,
                });
                break Err(Fail);
            }
            self.depth += 1;
            match operand(self) {
                Ok(rhs) => {
                    let (lhs_, rhs) = (Box::new(lhs), Box::new(rhs));
                    let span = lhs_.span.to(rhs.span);
                    lhs = Expr {
                        kind: ExprKind::Binary { op, lhs: lhs_, rhs },
                        span,
                    };
                }
                Err(fail) => break Err(fail),
            }
        };
        self.depth = depth;
        result
    }

    /// The next operator of `level`, consumed, with its local offset.
    fn maybe_binop(&mut self, level: Level) -> Option<(BinOp, usize)> {
        self.skip_trivia();
        let op = match (level, self.rest.as_bytes().first()?) {
            (Level::Additive, b'+') => BinOp::Add,
            (Level::Additive, b'-') => BinOp::Sub,
            (Level::Term, b'*') => BinOp::Mul,
            (Level::Term, b'/') => BinOp::Div,
            (Level::Term, b'%') => BinOp::Rem,
            _ => return None,
        };
        let at = self.off();
        self.bump(1);
        Some((op, at))
    }

    /// `unary = "-" unary | primary`
    fn parse_unary(&mut self) -> PResult<Expr> {
        self.skip_trivia();
        let start = self.off();
        if !self.eat('-') {
            return self.expect_primary();
        }
        let inner = self.nested(self.span(start, start + 1), Self::parse_unary)?;
        Ok(Expr {
            kind: ExprKind::Neg(Box::new(inner)),
            span: self.span_from(start),
        })
    }

    /// `primary = string | ipv6 | number_token | word | list | block | "(" expr ")"`
    fn expect_primary(&mut self) -> PResult<Expr> {
        self.skip_trivia();
        let Some(c) = self.peek() else {
            return Err(self.unexpected("a value", None));
        };
        if (c.is_ascii_hexdigit() || c == ':')
            && let Some(ip) = self.maybe_ipv6()
        {
            return ip;
        }
        match c {
            '"' => self.parse_string().map(|(parts, span)| Expr {
                kind: ExprKind::Str(parts),
                span,
            }),
            '[' => self.parse_list(),
            '{' => self.parse_block().map(|b| Expr {
                span: b.span,
                kind: ExprKind::Block(b),
            }),
            '(' => self.parse_paren(),
            c if c.is_ascii_digit() => self.parse_number(),
            c if is_ident_start(c) => self.parse_word(),
            _ => Err(self.unexpected("a value", None)),
        }
    }

    /// `ipv6` (see [`lex_ipv6`]), checked by the standard library.
    fn maybe_ipv6(&mut self) -> Option<PResult<Expr>> {
        let start = self.off();
        let (rest, text) = lex_ipv6(self.rest).ok()?;
        self.set(rest);
        let span = self.span_from(start);
        Some(match text.parse::<Ipv6Addr>() {
            Ok(addr) => Ok(Expr {
                kind: ExprKind::Ip(IpAddr::V6(addr)),
                span,
            }),
            Err(_) => {
                let help = "an IPv6 address is up to eight groups of one to four hex digits, \
                            separated by `:`, with `::` at most once"
                    .to_string();
                self.error(ParseError::InvalidAddress {
                    text: text.into(),
                    help,
                    span,
                });
                Err(Fail)
            }
        })
    }

    /// `number_token = digits { "." digits } [ suffix ]`, classified into an
    /// `integer`, a `unit_literal` or an `ipv4` by its dots and suffix.
    fn parse_number(&mut self) -> PResult<Expr> {
        let start = self.off();
        let Ok((rest, number)) = lex_number(self.rest) else {
            return Err(self.unexpected("a number", None));
        };
        let (rest, unit) = lex_suffix(rest).unwrap_or((rest, ""));
        self.set(rest);
        let span = self.span_from(start);
        let written = self.text.get(start..self.off()).unwrap_or(number);
        match number.matches('.').count() {
            0 | 1 if !unit.is_empty() => self.unit_literal(number, unit, span),
            0 => self.integer(number, span),
            1 => Err(self.no_floats(written, span, None)),
            _ => self.ipv4(written, span),
        }
    }

    /// `integer = digits`, which must fit `i64`.
    fn integer(&mut self, digits: &str, span: Span) -> PResult<Expr> {
        match digits.parse::<i64>() {
            Ok(n) => Ok(Expr {
                kind: ExprKind::Int(n),
                span,
            }),
            Err(_) => {
                let help = format!("integers are at most {}", i64::MAX);
                self.error(ParseError::NumberTooLarge { help, span });
                Err(Fail)
            }
        }
    }

    /// `unit_literal = digits [ "." digits ] duration_unit | digits byte_unit`.
    fn unit_literal(&mut self, number: &str, suffix: &str, span: Span) -> PResult<Expr> {
        if let Some(unit) = DurationUnit::from_suffix(suffix) {
            return Ok(Expr {
                kind: ExprKind::Duration {
                    amount: number.into(),
                    unit,
                },
                span,
            });
        }
        let Some(unit) = ByteUnit::from_suffix(suffix) else {
            let help = unit_help(number, suffix);
            self.error(ParseError::UnknownUnit {
                unit: suffix.into(),
                help,
                span,
            });
            return Err(Fail);
        };
        if number.contains('.') {
            let whole = whole_bytes(number, unit).map_or_else(
                || "byte sizes are whole numbers: write it in a smaller unit".to_string(),
                |fix| format!("byte sizes are whole numbers: write `{fix}`"),
            );
            return Err(self.no_floats(&format!("{number}{suffix}"), span, Some(whole)));
        }
        match number
            .parse::<u64>()
            .ok()
            .filter(|n| n.checked_mul(unit.bytes()).is_some())
        {
            Some(amount) => Ok(Expr {
                kind: ExprKind::Bytes { amount, unit },
                span,
            }),
            None => {
                let help = "byte sizes must be below 2^64 bytes (16777216TB)".to_string();
                self.error(ParseError::NumberTooLarge { help, span });
                Err(Fail)
            }
        }
    }

    /// A fraction where MCL takes whole numbers.
    fn no_floats(&mut self, written: &str, span: Span, help: Option<String>) -> Fail {
        let help = help.unwrap_or_else(|| {
            format!("MCL has no floats: write it as a string (\"{written}\"), or in a smaller unit")
        });
        let expected = if written.ends_with('B') {
            "a whole number of bytes"
        } else {
            "an integer"
        };
        let found = format!("`{}`", shorten(written));
        self.error(ParseError::Unexpected {
            expected: expected.into(),
            found,
            span,
            help: Some(help),
        });
        Fail
    }

    /// `ipv4 = digits "." digits "." digits "." digits`, checked by the standard library.
    fn ipv4(&mut self, written: &str, span: Span) -> PResult<Expr> {
        match written.parse::<Ipv4Addr>() {
            Ok(addr) => Ok(Expr {
                kind: ExprKind::Ip(IpAddr::V4(addr)),
                span,
            }),
            Err(_) => {
                let help = ipv4_help(written);
                self.error(ParseError::InvalidAddress {
                    text: written.into(),
                    help,
                    span,
                });
                Err(Fail)
            }
        }
    }

    /// `word = "true" | "false" | "auto" | call | ident`
    fn parse_word(&mut self) -> PResult<Expr> {
        let ident = self.expect_ident("a value")?;
        let span = ident.span;
        let kind = match ident.name.as_str() {
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "auto" => ExprKind::Auto,
            _ if self.rest.starts_with('(') => return self.parse_call(ident),
            _ => ExprKind::Ident(ident),
        };
        Ok(Expr { kind, span })
    }

    /// `ident`, which must come next.
    fn expect_ident(&mut self, expected: &str) -> PResult<Ident> {
        self.skip_trivia();
        let start = self.off();
        let Ok((rest, name)) = lex_ident(self.rest) else {
            return Err(self.unexpected(expected, None));
        };
        self.set(rest);
        Ok(Ident {
            name: name.into(),
            span: self.span_from(start),
        })
    }

    /// `call = ident "(" seq ")"`, the `(` right after the name.
    fn parse_call(&mut self, func: Ident) -> PResult<Expr> {
        let start = self.off();
        let open = self.span(start, start + 1);
        self.bump(1);
        let args = self.nested(open, |p| p.parse_seq(open, "(", ')'))?;
        let span = func.span.to(self.span_from(start));
        Ok(Expr {
            kind: ExprKind::Call { func, args },
            span,
        })
    }

    /// `list = "[" seq "]"`
    fn parse_list(&mut self) -> PResult<Expr> {
        let start = self.off();
        let open = self.span(start, start + 1);
        self.bump(1);
        let items = self.nested(open, |p| p.parse_seq(open, "[", ']'))?;
        Ok(Expr {
            kind: ExprKind::List(items),
            span: self.span_from(start),
        })
    }

    /// `seq = [ expr { "," expr } [ "," ] ]` and the closing bracket of a list or a call.
    fn parse_seq(&mut self, open: Span, delim: &str, close: char) -> PResult<Vec<Expr>> {
        let mut items = Vec::new();
        loop {
            if self.maybe_close(open, delim, close) {
                return Ok(items);
            }
            items.push(self.expect_expr()?);
            self.skip_trivia();
            if self.unwinding {
                return Err(Fail);
            }
            if self.eat(',') {
                continue;
            }
            if self.maybe_close(open, delim, close) {
                return Ok(items);
            }
            return Err(self.unexpected(&format!("`,` or `{close}`"), None));
        }
    }

    /// `"(" expr ")"`; the expression's span takes in the parentheses.
    fn parse_paren(&mut self) -> PResult<Expr> {
        let start = self.off();
        let open = self.span(start, start + 1);
        self.bump(1);
        let mut inner = self.nested(open, |p| {
            let inner = p.expect_expr()?;
            p.expect_close(open, "(", ')')?;
            Ok(inner)
        })?;
        inner.span = self.span_from(start);
        Ok(inner)
    }
}

/// `key =` at the start of `rest`.
fn looks_like_entry(rest: &str) -> bool {
    (
        alt((lex_dotted_key, lex_plain_string)),
        space0::<_, ()>,
        char('='),
    )
        .parse(rest)
        .is_ok()
}

/// Why a dotted number is not an IPv4 address.
fn ipv4_help(written: &str) -> String {
    let parts: Vec<&str> = written.split('.').collect();
    if parts.len() != 4 {
        return format!(
            "an IPv4 address has four parts; quote other dotted values such as versions: \"{written}\""
        );
    }
    let bad = |p: &&&str| !p.bytes().all(|b| b.is_ascii_digit());
    if let Some(part) = parts.iter().find(bad) {
        return format!("`{part}` is not a number from 0 to 255");
    }
    if let Some(part) = parts
        .iter()
        .find(|p| !p.parse::<u32>().is_ok_and(|n| n <= 255))
    {
        return format!("`{part}` is larger than 255");
    }
    if let Some(part) = parts.iter().find(|p| p.len() > 1 && p.starts_with('0')) {
        return format!("`{part}` has a leading zero, which some tools read as octal");
    }
    "each of the four parts is a number from 0 to 255".into()
}

/// Common ways to misspell a unit, and the unit meant.
const UNIT_FIXES: &[(&str, &str)] = &[
    ("s", "secs"),
    ("sec", "secs"),
    ("second", "secs"),
    ("seconds", "secs"),
    ("m", "mins"),
    ("min", "mins"),
    ("minute", "mins"),
    ("minutes", "mins"),
    ("h", "hrs"),
    ("hr", "hrs"),
    ("hour", "hrs"),
    ("hours", "hrs"),
    ("d", "days"),
    ("day", "days"),
    ("w", "weeks"),
    ("week", "weeks"),
    ("k", "KB"),
    ("K", "KB"),
    ("G", "GB"),
];

/// The help of [`ParseError::UnknownUnit`]: the nearest unit and the corrected literal.
fn unit_help(number: &str, suffix: &str) -> String {
    if suffix.starts_with('_') {
        return "MCL numbers have no digit separators".into();
    }
    if suffix == "mb" {
        return format!("did you mean `{number}MB` (bytes) or `{number}ms` (duration)?");
    }
    if let Some(bytes) = suffix
        .strip_suffix("iB")
        .and_then(|p| ByteUnit::from_suffix(&format!("{p}B")))
    {
        let unit = bytes.suffix();
        return format!("did you mean `{number}{unit}`? Mesos sizes are powers of 1024 already");
    }
    let fixed = UNIT_FIXES
        .iter()
        .find(|(wrong, _)| *wrong == suffix)
        .map(|(_, right)| *right);
    let units = DurationUnit::ALL
        .iter()
        .map(|u| u.suffix())
        .chain(ByteUnit::ALL.iter().map(|u| u.suffix()));
    match fixed.or_else(|| crate::suggest::nearest(suffix, units).first().copied()) {
        Some(unit) => format!("did you mean `{number}{unit}`?"),
        None => "durations take ns, us, ms, secs, mins, hrs, days or weeks; \
                 byte sizes take B, KB, MB, GB or TB"
            .into(),
    }
}

/// A fractional byte size written whole in a smaller unit (`1.5GB` → `1536MB`).
fn whole_bytes(number: &str, unit: ByteUnit) -> Option<String> {
    let (int, frac) = number.split_once('.')?;
    if int.len() + frac.len() > 30 {
        return None;
    }
    let scale = 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?;
    let value = int
        .parse::<u128>()
        .ok()?
        .checked_mul(scale)?
        .checked_add(frac.parse().ok()?)?;
    ByteUnit::ALL
        .iter()
        .rev()
        .filter(|smaller| **smaller < unit)
        .find_map(|smaller| {
            let scaled = value.checked_mul(u128::from(unit.bytes() / smaller.bytes()))?;
            (scaled % scale == 0).then(|| format!("{}{}", scaled / scale, smaller.suffix()))
        })
}

// ---------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------

impl Parser<'_> {
    /// `string = '"' { chunk | escape | "$" | interpolation } '"'`, on one line.
    fn parse_string(&mut self) -> PResult<(Vec<StrPart>, Span)> {
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

// ---------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------

impl Parser<'_> {
    /// `block`, which must come next.
    fn expect_block(&mut self) -> PResult<Block> {
        self.skip_trivia();
        if !self.rest.starts_with('{') {
            return Err(self.unexpected("`{`", None));
        }
        self.parse_block()
    }

    /// `block = "{" { entry } "}"`
    fn parse_block(&mut self) -> PResult<Block> {
        let start = self.off();
        let open = self.span(start, start + 1);
        self.bump(1);
        self.nested(open, |p| Ok(p.parse_entries(open, start)))
    }

    /// The entries of a block up to its `}`, each recovered on its own.
    fn parse_entries(&mut self, open: Span, start: usize) -> Block {
        let first = self.open_entries.len();
        loop {
            self.skip_trivia();
            if self.unwinding || self.maybe_close(open, "{", '}') {
                break;
            }
            let (entry_start, mark) = (self.off(), self.errors.len());
            match self.parse_entry(open) {
                Ok(entry) => self.open_entries.push(entry),
                Err(Fail) if self.unwinding => break,
                Err(Fail) => self.recover(entry_start, mark, Stop::Entry),
            }
        }
        Block {
            entries: self.open_entries.drain(first..).collect(),
            span: self.span_from(start),
        }
    }

    /// `entry = key ( "=" expr | [ label ] block )`
    fn parse_entry(&mut self, open: Span) -> PResult<Entry> {
        let (start, prev_end) = (self.off(), self.prev_end);
        let key = self.expect_key()?;
        let key_end = self.off();
        self.skip_trivia();
        if self.eat('=') {
            let value = self.expect_value()?;
            let span = key.span.to(value.span);
            return Ok(Entry {
                key,
                label: None,
                value: EntryValue::Assign(value),
                span,
            });
        }
        let next_line = self.newline_between(key_end, self.off());
        let label = if next_line { None } else { self.maybe_name()? };
        self.skip_trivia();
        if self.rest.starts_with('{') {
            let body = self.parse_block()?;
            let span = key.span.to(body.span);
            return Ok(Entry {
                key,
                label: label.map(Box::new),
                value: EntryValue::Block(body),
                span,
            });
        }
        if self.misplaced_item(&key, open, start, prev_end) {
            return Err(Fail);
        }
        Err(self.missing_assign(&key, label, key_end, next_line))
    }

    /// Reports an entry with neither `=` nor a block: at a label that should
    /// have been a value, at the end of the key's line, or at the next token.
    fn missing_assign(
        &mut self,
        key: &Key,
        label: Option<Expr>,
        key_end: usize,
        next_line: bool,
    ) -> Fail {
        let expected = "`=` or `{`";
        if let Some(label) = label {
            let (found, written) = (self.slice(label.span).to_string(), self.slice(key.span));
            let help = if self.rest.starts_with('=') {
                format!("an entry is `{written} = value` or `{written} {{ … }}`")
            } else {
                format!("did you mean `{written} = {found}`?")
            };
            let found = format!("`{}`", shorten(&found));
            return self.unexpected_at(label.span, expected, found, &help);
        }
        if next_line {
            self.rewind(key_end, key_end);
            let help = format!("give `{}` a value (`= …`) or a block (`{{ … }}`)", key.name);
            return self.unexpected_at(
                self.span(key_end, key_end),
                expected,
                "end of line".into(),
                &help,
            );
        }
        let help = format!(
            "an entry is `{} = value` or `{} {{ … }}`",
            key.name, key.name
        );
        self.unexpected(expected, Some(help))
    }

    /// An item keyword that starts a line where an entry failed: the block
    /// was never closed. Reports that once and unwinds to the item list.
    fn misplaced_item(&mut self, key: &Key, open: Span, start: usize, prev_end: usize) -> bool {
        let keyword = !key.quoted && ITEM_KEYWORDS.contains(&key.name.as_str());
        if !keyword || !self.starts_line(start) {
            return false;
        }
        let line = self.line_of(self.local(open.start));
        let help = format!(
            "the `{{` on line {line} is never closed, so this `{}` is read inside it",
            key.name
        );
        let found = format!("`{}`", key.name);
        self.unexpected_at(key.span, "`}`", found, &help);
        self.unwinding = true;
        self.rewind(start, prev_end);
        true
    }

    /// `key = dotted_key | string`
    fn expect_key(&mut self) -> PResult<Key> {
        let start = self.off();
        if self.rest.starts_with('"') {
            let (parts, span) = self.parse_string()?;
            return self.quoted_key(parts, span);
        }
        let Ok((rest, name)) = lex_dotted_key(self.rest) else {
            return Err(self.unexpected("a key", None));
        };
        self.set(rest);
        Ok(Key {
            name: name.into(),
            quoted: false,
            span: self.span_from(start),
        })
    }

    /// A quoted key: its text, which cannot be interpolated.
    fn quoted_key(&mut self, parts: Vec<StrPart>, span: Span) -> PResult<Key> {
        let mut name = String::new();
        for part in parts {
            match part {
                StrPart::Lit(lit) => name.push_str(&lit),
                StrPart::Interp(expr) => {
                    let help = "keys are not interpolated; write `\\$` for a literal `$`";
                    let found = "an interpolation".to_string();
                    return Err(self.unexpected_at(expr.span, "a plain string key", found, help));
                }
            }
        }
        Ok(Key {
            name,
            quoted: true,
            span,
        })
    }

    /// `name = string | ident` (and `label`, the same), when one comes next.
    fn maybe_name(&mut self) -> PResult<Option<Expr>> {
        self.skip_trivia();
        match self.peek() {
            Some('"') => {
                let (parts, span) = self.parse_string()?;
                Ok(Some(Expr {
                    kind: ExprKind::Str(parts),
                    span,
                }))
            }
            Some(c) if is_ident_start(c) => {
                let ident = self.expect_ident("a name")?;
                Ok(Some(Expr {
                    span: ident.span,
                    kind: ExprKind::Ident(ident),
                }))
            }
            _ => Ok(None),
        }
    }

    /// `name`, which must come next.
    fn expect_name(&mut self, expected: &str) -> PResult<Expr> {
        match self.maybe_name()? {
            Some(name) => Ok(name),
            None => Err(self.unexpected(expected, None)),
        }
    }
}

// ---------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------

impl Parser<'_> {
    /// `file = [ bom ] trivia { item }` when `open` is `None`; otherwise the items of
    /// an `item_body` up to its `}`. Each item is recovered on its own.
    fn parse_items(&mut self, open: Option<Span>) -> Vec<Item> {
        let mut items = Vec::new();
        loop {
            self.unwinding = false;
            self.skip_trivia();
            let closed = match open {
                Some(open) => self.maybe_close(open, "{", '}'),
                None => self.rest.is_empty(),
            };
            if closed {
                return items;
            }
            let (start, mark) = (self.off(), self.errors.len());
            match self.parse_item() {
                Ok(item) => items.push(item),
                Err(Fail) if self.unwinding => {}
                Err(Fail) => self.recover(
                    start,
                    mark,
                    Stop::Item {
                        in_body: open.is_some(),
                    },
                ),
            }
        }
    }

    /// `item = cluster | import | let | for | host | template | service | environment | section`
    fn parse_item(&mut self) -> PResult<Item> {
        let start = self.off();
        let Ok((rest, word)) = lex_ident(self.rest) else {
            return Err(self.unexpected("an item", None));
        };
        if !ITEM_KEYWORDS.contains(&word) {
            return self.parse_section(start);
        }
        self.set(rest);
        match word {
            "cluster" => self.parse_cluster(start),
            "import" => self.parse_import(start),
            "let" => self.parse_let(start),
            "for" => self.parse_for(start),
            "host" => self.parse_host(start),
            "template" => self.parse_template(start),
            "service" => self.parse_service(start),
            _ => self.parse_environment(start),
        }
    }

    /// `cluster = "cluster" name block`
    fn parse_cluster(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("a cluster name")?;
        let body = self.expect_block()?;
        Ok(Item::Cluster(Cluster {
            name,
            body,
            span: self.span_from(start),
        }))
    }

    /// `import = "import" string`
    fn parse_import(&mut self, start: usize) -> PResult<Item> {
        self.skip_trivia();
        if !self.rest.starts_with('"') {
            let help = "write the path in quotes: `import \"common.mcl\"`".to_string();
            return Err(self.unexpected("a path string", Some(help)));
        }
        let (parts, span) = self.parse_string()?;
        let path = Expr {
            kind: ExprKind::Str(parts),
            span,
        };
        Ok(Item::Import(Import {
            path,
            span: self.span_from(start),
        }))
    }

    /// `let = "let" binding "=" expr`
    fn parse_let(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_binding()?;
        self.skip_trivia();
        if !self.eat('=') {
            return Err(self.unexpected("`=`", None));
        }
        let value = self.expect_value()?;
        Ok(Item::Let(Let {
            name,
            value,
            span: self.span_from(start),
        }))
    }

    /// `for = "for" binding "in" expr item_body`
    fn parse_for(&mut self, start: usize) -> PResult<Item> {
        let var = self.expect_binding()?;
        self.skip_trivia();
        if !self.maybe_word("in") {
            return Err(self.unexpected("`in`", None));
        }
        let iter = self.expect_expr()?;
        let items = self.expect_item_body()?;
        Ok(Item::For(For {
            var,
            iter,
            items,
            span: self.span_from(start),
        }))
    }

    /// `host = "host" name [ "uses" ident { "," ident } ] block`
    fn parse_host(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("a host name")?;
        self.skip_trivia();
        let mut uses = Vec::new();
        if self.maybe_word("uses") {
            uses.push(self.expect_ident("a template name")?);
            while {
                self.skip_trivia();
                self.eat(',')
            } {
                uses.push(self.expect_ident("a template name")?);
            }
        }
        let body = self.expect_block()?;
        Ok(Item::Host(Host {
            name,
            uses,
            body,
            span: self.span_from(start),
        }))
    }

    /// `template = "template" ident block`
    fn parse_template(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_ident("a template name")?;
        let body = self.expect_block()?;
        Ok(Item::Template(Template {
            name,
            body,
            span: self.span_from(start),
        }))
    }

    /// `service = "service" name block`
    fn parse_service(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("a service name")?;
        let body = self.expect_block()?;
        Ok(Item::Service(Service {
            name,
            body,
            span: self.span_from(start),
        }))
    }

    /// `environment = "environment" name item_body`
    fn parse_environment(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_name("an environment name")?;
        let items = self.expect_item_body()?;
        Ok(Item::Environment(Environment {
            name,
            items,
            span: self.span_from(start),
        }))
    }

    /// `section = ident [ label ] block`: `zookeeper { … }`, `leader { … }`, and
    /// any other name (the checker knows which sections exist).
    fn parse_section(&mut self, start: usize) -> PResult<Item> {
        let name = self.expect_ident("an item")?;
        self.skip_trivia();
        if self.rest.starts_with('=') {
            let help = format!(
                "top-level values are bound with `let`: `let {} = …`",
                name.name
            );
            return Err(self.unexpected("`{`", Some(help)));
        }
        let label = self.maybe_name()?;
        let body = self.expect_block()?;
        Ok(Item::Section(Section {
            name,
            label,
            body,
            span: self.span_from(start),
        }))
    }

    /// `item_body = "{" { item } "}"`
    fn expect_item_body(&mut self) -> PResult<Vec<Item>> {
        self.skip_trivia();
        let start = self.off();
        if !self.eat('{') {
            return Err(self.unexpected("`{`", None));
        }
        let open = self.span(start, start + 1);
        self.nested(open, |p| Ok(p.parse_items(Some(open))))
    }

    /// `binding = ident`, not a keyword: the name a `let` or a `for` binds.
    fn expect_binding(&mut self) -> PResult<Ident> {
        let ident = self.expect_ident("a name")?;
        if KEYWORDS.contains(&ident.name.as_str()) {
            let found = format!("keyword `{}`", ident.name);
            let help = "keywords and literals cannot be bound; choose another name";
            return Err(self.unexpected_at(ident.span, "a name", found, help));
        }
        Ok(ident)
    }

    /// Consumes the word `word` (a whole identifier) if it comes next.
    fn maybe_word(&mut self, word: &str) -> bool {
        match lex_ident(self.rest) {
            Ok((rest, w)) if w == word => {
                self.set(rest);
                true
            }
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------
// Recovery
// ---------------------------------------------------------------------------

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
            .position(|&b| b == b'\n')
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
    fn recover(&mut self, start: usize, mark: usize, stop: Stop) {
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
