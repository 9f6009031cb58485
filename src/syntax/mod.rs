//! Stage 1: text → syntax tree.
//!
//! [`parse`] reads one file into an [`ast::File`] and the [`ParseError`]s it
//! met. It never fails outright: after an error it resynchronises at the next
//! block entry or top-level item, so every independent error is reported.

pub mod ast;
mod error;
mod parse;
#[cfg(test)]
mod tests;

pub use error::ParseError;
pub use parse::{ITEM_KEYWORDS, KEYWORDS};

use crate::span::SourceFile;

/// The deepest nesting of blocks, lists and expressions the parser accepts.
pub const MAX_DEPTH: usize = 128;

/// Parses one file. Spans in the result are global (they include `file.base`).
pub fn parse(file: &SourceFile) -> (ast::File, Vec<ParseError>) {
    parse::parse_file(&file.text, file.base)
}

/// Parses text that is not part of a [`SourceMap`](crate::span::SourceMap):
/// spans are local byte offsets (base 0). The formatter uses it.
pub fn parse_text(text: &str) -> (ast::File, Vec<ParseError>) {
    parse::parse_file(text, 0)
}
