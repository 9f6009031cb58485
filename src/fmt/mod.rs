//! `mesosc fmt`: the one canonical layout of MCL.
//!
//! [`format()`] parses the text and prints it again from the syntax tree. A
//! file with syntax errors is not formatted ([`FormatError`] carries the
//! errors). Formatting never changes what a file means (the tree parsed back
//! is the same, spans aside), keeps every comment, and is idempotent:
//! `format(format(x)) == format(x)`.
//!
//! ## The layout
//!
//! - **Indentation** is two spaces per level. All whitespace between tokens
//!   is rewritten, so tabs, CRLF line ends and trailing whitespace are gone
//!   (text inside strings and comments is kept byte for byte). The file ends
//!   with exactly one newline (an empty file stays empty). A leading byte
//!   order mark is dropped.
//! - **Items** start on lines of their own. Empty lines between items (and
//!   between entries, list elements and comments) are kept, at most one in a
//!   row; none are kept just inside an opening bracket or before a closing one.
//! - **Brackets.** A block `{ }`, an item body, a list `[ ]` or a call's
//!   arguments `( )` that was written on one line and fits within 100
//!   columns stays on one line: `resources { cpus = 8  mem = 16GB }` (entries
//!   and items separated by two spaces), `roles = [zookeeper, leader]`.
//!   Otherwise it has one entry, item or element per line, and list elements
//!   and arguments each end with a comma. The formatter never joins lines:
//!   to get a one-line block back, write it on one line.
//! - **Entries** are `key = value`, `key { … }` or `key label { … }` with single
//!   spaces. In a run of consecutive one-line `key = value` entries of one
//!   block (not interrupted by an empty line, a comment line or any other
//!   entry) the `=` signs line up.
//! - **Expressions** have single spaces around `+ - * / %`, none around `..`
//!   (except next to an IP address), none inside brackets, `, ` between
//!   elements, and only the parentheses the precedence needs.
//! - **Literals stay as written**: strings (with their escapes and
//!   interpolations), quoted keys, numbers, units and addresses; identifiers,
//!   symbols and the `master`/`agent` aliases too.
//! - **Comments** are all kept, in order. A comment on a line of its own
//!   stays on a line of its own, indented like the code around it. A
//!   comment after code stays after the code; within a paragraph (lines not
//!   separated by an empty line or a comment line) those comments start in
//!   one column, two spaces after the longest commented line. A comment
//!   written inside an expression that is printed on one line moves to the
//!   end of that line.

mod layout;
mod printer;
mod source;
mod tree;

use thiserror::Error;

use crate::syntax::{self, ParseError};
use printer::Printer;
use source::Source;

/// Why a file could not be formatted: it has syntax errors.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("cannot format a file with syntax errors ({} found)", errors.len())]
pub struct FormatError {
    /// The syntax errors, with spans local to the text (base 0).
    pub errors: Vec<ParseError>,
}

/// Formats MCL text into its canonical layout, or returns its syntax errors.
pub fn format(text: &str) -> Result<String, FormatError> {
    let (file, errors) = syntax::parse_text(text);
    if !errors.is_empty() {
        return Err(FormatError { errors });
    }
    let source = Source::new(text, &file.comments);
    let mut printer = Printer::new(&source);
    printer.file(&file);
    Ok(layout::render(printer.finish()))
}

/// Whether `text` is formatted already (it parses and [`format()`] leaves it as it is).
pub fn is_formatted(text: &str) -> bool {
    format(text).is_ok_and(|formatted| formatted == text)
}
