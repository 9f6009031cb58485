//! `textDocument/formatting`.
//!
//! Not available yet: it will call the formatter (`crate::fmt::format`)
//! once that exists, and replace the document with its output.

use lsp_types::TextEdit;

/// Whether the server advertises formatting.
pub const AVAILABLE: bool = false;

/// The edits that format `text`, or why it cannot be formatted.
pub fn edits(text: &str) -> Result<Option<Vec<TextEdit>>, String> {
    let _ = text;
    Err("formatting is not available in this build of mesosc".into())
}
