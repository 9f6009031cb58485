//! Conversions between the protocol's coordinates and mesosc's.
//!
//! LSP positions are 0-based lines and UTF-16 code-unit columns; mesosc
//! spans are global byte offsets into a [`SourceMap`]. URIs are `file://`
//! URLs with percent-encoding; mesosc reads [`PathBuf`]s. Every conversion
//! here is total: a position past the end of a line or of the file clamps to
//! it, a column inside a surrogate pair rounds down to the character, and a
//! URI that is not a `file:` URL still maps to a (virtual) path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::span::{FileId, SourceMap, Span};

/// The start offsets of the lines of one text, for offset ↔ position.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The LSP position of a byte offset (clamped to the text and rounded
    /// down to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let character = text
            .get(start..offset)
            .map_or(0, |s| s.encode_utf16().count());
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of an LSP position: a line past the end gives the end
    /// of the text, a column past the end of its line gives the line's end,
    /// and a column inside a character gives the character's start.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let line = text.get(start..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            let next = units + c.len_utf16();
            if next > pos.character as usize {
                return start + i;
            }
            units = next;
        }
        start + line.len()
    }

    /// The LSP range of a local byte range.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(
            self.position(text, start),
            self.position(text, end.max(start)),
        )
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Line indexes of the files of one [`SourceMap`], built on first use.
#[derive(Default)]
pub struct Lines {
    cache: HashMap<FileId, LineIndex>,
}

impl Lines {
    /// The file and LSP range of a global span; `None` for a detached span
    /// or one that falls in no file.
    pub fn span(&mut self, sources: &SourceMap, span: Span) -> Option<(FileId, Range)> {
        if span.is_detached() {
            return None;
        }
        let id = sources.file_of(span.start)?;
        let file = sources.file(id);
        let index = self
            .cache
            .entry(id)
            .or_insert_with(|| LineIndex::new(&file.text));
        let start = (span.start - file.base) as usize;
        let end = (span.end.saturating_sub(file.base) as usize).min(file.text.len());
        Some((id, index.range(&file.text, start, end)))
    }
}

/// The path a document URI stands for.
///
/// A `file:` URI gives its decoded path; any other URI (an editor's
/// `untitled:` buffer) gives a virtual path made of the whole URI, which only
/// the open buffers can provide.
pub fn uri_to_path(uri: &Uri) -> PathBuf {
    let text = uri.as_str();
    match text.strip_prefix("file://") {
        Some(rest) => {
            let path = rest.find('/').map_or("/", |i| &rest[i..]);
            let path = path.split(['?', '#']).next().unwrap_or(path);
            PathBuf::from(percent_decode(path))
        }
        None => PathBuf::from(text),
    }
}

/// The `file:` URI of a path (made absolute against the working directory).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let text = absolute.to_str()?;
    let mut out = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip() {
        let text = "a = \"é😀x\"\nb";
        let idx = LineIndex::new(text);
        let x = text.find('x').expect("x");
        let pos = idx.position(text, x);
        assert_eq!(pos, Position::new(0, 8));
        assert_eq!(idx.offset(text, pos), x);
        // Inside the surrogate pair: rounds down to the emoji.
        assert_eq!(
            idx.offset(text, Position::new(0, 7)),
            text.find('😀').expect("emoji")
        );
        assert_eq!(
            idx.offset(text, Position::new(0, 99)),
            text.find('\n').expect("nl")
        );
        assert_eq!(idx.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(idx.position(text, 999), Position::new(1, 1));
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/my cluster/thegrid.mcl");
        let uri = path_to_uri(path).expect("uri");
        assert_eq!(uri.as_str(), "file:///tmp/my%20cluster/thegrid.mcl");
        assert_eq!(uri_to_path(&uri), path);
        let other = Uri::from_str("untitled:Untitled-1").expect("uri");
        assert_eq!(uri_to_path(&other), PathBuf::from("untitled:Untitled-1"));
    }
}
