//! The lexical pieces: nom parsers over `&str` with `()` as their error
//! (a failed lexer only means "not this token"); they never record anything.

use nom::branch::alt;
use nom::bytes::complete::{take_till, take_till1, take_while, take_while_m_n, take_while1};
use nom::character::complete::{char, digit1, multispace1, one_of, satisfy, space0, space1};
use nom::combinator::{cut, map, opt, recognize, verify};
use nom::multi::many0_count;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser as _};

use super::ITEM_KEYWORDS;

type Lex<'a, O = &'a str> = IResult<&'a str, O, ()>;

/// `word_char = letter | digit | "_"`
pub(super) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `letter | "_"`, the first character of an `ident`.
pub(super) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

/// `ident = ( letter | "_" ) { word_char } { "-" word_char { word_char } }`
pub(super) fn lex_ident(i: &str) -> Lex<'_> {
    let hyphen_part = (char('-'), take_while1(is_word));
    recognize((
        satisfy(is_ident_start),
        take_while(is_word),
        many0_count(hyphen_part),
    ))
    .parse(i)
}

/// `dotted_key = ident { "." segment }`, `segment = word_char { word_char | "-" }`
pub(super) fn lex_dotted_key(i: &str) -> Lex<'_> {
    let segment = (
        char('.'),
        satisfy(is_word),
        take_while(|c| is_word(c) || c == '-'),
    );
    recognize((lex_ident, many0_count(segment))).parse(i)
}

/// `whitespace = { " " | TAB | CR | LF }-`
pub(super) fn lex_space(i: &str) -> Lex<'_> {
    multispace1(i)
}

/// Whitespace inside `${…}`, which stays on its line: `{ " " | TAB }-`.
pub(super) fn lex_blank(i: &str) -> Lex<'_> {
    space1(i)
}

/// `comment = "#" { any character but CR or LF }`: a comment ends at any
/// line end, including a lone CR (old Mac line ends).
pub(super) fn lex_comment(i: &str) -> Lex<'_> {
    recognize((char('#'), take_till(|c| c == '\n' || c == '\r'))).parse(i)
}

/// The `digits { "." digits }` of a `number_token`: stops before `..`, so
/// `1..3` is a range.
pub(super) fn lex_number(i: &str) -> Lex<'_> {
    recognize((digit1, many0_count((char('.'), digit1)))).parse(i)
}

/// The `[ suffix ]` of a `number_token`: `suffix = word_char { word_char }`.
pub(super) fn lex_suffix(i: &str) -> Lex<'_> {
    take_while(is_word).parse(i)
}

/// `ipv6 = { hex | ":" | "." }- { word_char }` with at least two `:` (the
/// trailing word characters make `fd00::1g` one invalid address).
pub(super) fn lex_ipv6(i: &str) -> Lex<'_> {
    let run = take_while1(|c: char| c.is_ascii_hexdigit() || c == ':' || c == '.');
    let colons = verify(run, |run: &str| {
        run.bytes().filter(|&b| b == b':').count() >= 2
    });
    recognize((colons, take_while(is_word))).parse(i)
}

/// `chunk = { any character but "\"" "\\" "$" CR LF }-`
pub(super) fn lex_str_chunk(i: &str) -> Lex<'_> {
    take_till1(|c| matches!(c, '"' | '\\' | '$' | '\n' | '\r')).parse(i)
}

/// `escape = "\" ( "n" | "t" | "r" | "\" | '"' | "$" | "u{" hex{1,6} "}" )`.
/// `Ok(None)` is a well-formed `\u{…}` that is not a character; `Failure` a
/// malformed `\u`; `Error` an unknown escape.
pub(super) fn lex_escape(i: &str) -> Lex<'_, Option<char>> {
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
pub(super) fn lex_plain_string(i: &str) -> Lex<'_> {
    recognize((char('"'), take_till(|c| matches!(c, '"' | '\n')), char('"'))).parse(i)
}

/// Whether a line (from its first byte) starts an item: an item keyword not
/// followed by `=`, or `ident [label] {`.
pub(super) fn line_starts_item(line: &str) -> bool {
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
