//! Syntax errors: what the parser reports, each with a stable code.

use miette::Diagnostic;
use thiserror::Error;

use crate::span::Span;

/// An error found while parsing one file. The parser recovers after each one,
/// so a run reports every independent syntax error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error, Diagnostic)]
pub enum ParseError {
    /// The parser met a token that cannot continue the construct it is in.
    ///
    /// ```mcl
    /// host "a" { address = }
    /// ```
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(mcl::syntax::unexpected))]
    Unexpected {
        /// What would have been accepted, e.g. "a value".
        expected: String,
        /// What was there, e.g. "`}`" or "end of file".
        found: String,
        /// Where.
        #[label("expected {expected} here")]
        span: Span,
        /// A concrete fix, when one is known.
        #[help]
        help: Option<String>,
    },

    /// A string has no closing quote before the end of the line or file.
    ///
    /// ```mcl
    /// cluster "thegrid { mesos = "1.11.0" }
    /// ```
    #[error("unterminated string")]
    #[diagnostic(
        code(mcl::syntax::unterminated_string),
        help("close the string with `\"`; strings cannot span lines (use `\\n`)")
    )]
    UnterminatedString {
        /// From the opening quote.
        #[label("this string is never closed")]
        span: Span,
    },

    /// A `{`, `[`, `(` or `${` is not closed before the end of the file.
    ///
    /// ```mcl
    /// leader { port = 5050
    /// ```
    #[error("unclosed `{open}`")]
    #[diagnostic(code(mcl::syntax::unclosed))]
    Unclosed {
        /// The opening delimiter.
        open: String,
        /// The closing delimiter that is missing.
        #[help]
        help: String,
        /// Where it was opened.
        #[label("opened here")]
        span: Span,
        /// Where the file ends.
        #[label("file ends here")]
        end: Span,
    },

    /// A backslash escape that MCL does not know.
    ///
    /// ```mcl
    /// let s = "a\qb"
    /// ```
    #[error("unknown escape `{escape}`")]
    #[diagnostic(
        code(mcl::syntax::invalid_escape),
        help("known escapes: \\n \\t \\r \\\\ \\\" \\$ and \\u{{hex}}")
    )]
    InvalidEscape {
        /// The escape as written.
        escape: String,
        /// Where.
        #[label("unknown escape")]
        span: Span,
    },

    /// An integer literal, or a byte size, larger than MCL can hold.
    ///
    /// ```mcl
    /// let n = 99999999999999999999
    /// ```
    #[error("number too large")]
    #[diagnostic(code(mcl::syntax::number_too_large), help("{help}"))]
    NumberTooLarge {
        /// The limit that applies.
        help: String,
        /// Where.
        #[label("does not fit")]
        span: Span,
    },

    /// A number followed by a word that is not one of Mesos' units.
    ///
    /// ```mcl
    /// leader { flags { offer_timeout = 10sec } }
    /// ```
    #[error("unknown unit `{unit}`")]
    #[diagnostic(code(mcl::syntax::unknown_unit), help("{help}"))]
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The fix, with the nearest unit when there is one.
        help: String,
        /// Where.
        #[label("not a duration or byte-size unit")]
        span: Span,
    },

    /// Brackets, blocks or expressions nested deeper than the parser allows.
    ///
    /// ```mcl
    /// let x = [[[[[[[[ … 300 levels … ]]]]]]]]
    /// ```
    #[error("nesting deeper than {limit} levels")]
    #[diagnostic(
        code(mcl::syntax::too_deep),
        help("MCL files are flat; split deeply nested values into `let` bindings")
    )]
    TooDeep {
        /// The limit.
        limit: usize,
        /// The opening that went too deep.
        #[label("too deep")]
        span: Span,
    },

    /// A character that cannot start any token (a NUL byte, a control character, a stray symbol).
    ///
    /// ```mcl
    /// host "a" { address = "10.0.0.1" } @
    /// ```
    #[error("unexpected character {shown}")]
    #[diagnostic(code(mcl::syntax::invalid_character))]
    InvalidCharacter {
        /// The character, escaped for display.
        shown: String,
        /// Where.
        #[label("not valid here")]
        span: Span,
        /// A fix, when one is known.
        #[help]
        help: Option<String>,
    },

    /// An unquoted address that is not a valid IPv4 or IPv6 address.
    ///
    /// ```mcl
    /// host "a" { address = 10.0.0.300 }
    /// ```
    #[error("invalid IP address `{text}`")]
    #[diagnostic(code(mcl::syntax::invalid_address), help("{help}"))]
    InvalidAddress {
        /// The text as written.
        text: String,
        /// Why it is invalid.
        help: String,
        /// Where.
        #[label("not an IP address")]
        span: Span,
    },
}
