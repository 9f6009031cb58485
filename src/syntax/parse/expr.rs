//! Expressions: operators, literals (numbers with units, IP addresses,
//! words), calls, lists, and the helps of their errors.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nom::Parser as _;
use nom::branch::alt;
use nom::character::complete::{char, space0};

use super::lex::{
    is_ident_start, lex_dotted_key, lex_ident, lex_ipv6, lex_number, lex_plain_string, lex_suffix,
    line_starts_item,
};
use super::{Fail, PResult, Parser, shorten};
use crate::span::Span;
use crate::syntax::MAX_DEPTH;
use crate::syntax::ast::{BinOp, ByteUnit, DurationUnit, Expr, ExprKind, Ident};
use crate::syntax::error::ParseError;

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
    pub(super) fn expect_expr(&mut self) -> PResult<Expr> {
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
    pub(super) fn expect_value(&mut self) -> PResult<Expr> {
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
    pub(super) fn expect_ident(&mut self, expected: &str) -> PResult<Ident> {
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
