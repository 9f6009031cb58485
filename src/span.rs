//! Byte spans and the source map that owns every file of a compilation.
//!
//! Spans are *global*: each file loaded into a [`SourceMap`] gets a base
//! offset, and every span of that file is `base + local offset`. A span is
//! therefore two `u32`s and still says which file it is in, so a diagnostic
//! can label places in several files (an import and the file it imports) and
//! miette renders each with its own file name and line numbers.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A half-open byte range `start..end` in the global offset space of a [`SourceMap`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// An empty span, for values that no source text wrote (built-in defaults).
    pub const DETACHED: Span = Span {
        start: u32::MAX,
        end: u32::MAX,
    };

    /// Whether this span points at no source text.
    pub fn is_detached(self) -> bool {
        self.start == u32::MAX
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the span is empty.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> SourceSpan {
        if span.is_detached() {
            // Past every file: renderers and the JSON output drop such labels.
            return SourceSpan::new((u32::MAX as usize).into(), 0);
        }
        SourceSpan::new((span.start as usize).into(), span.len() as usize)
    }
}

/// A value with the span of the text that wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `node` with `span`.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// One loaded source file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user (or an import) named it, used in diagnostics and headers.
    pub name: String,
    /// The path used to read it, and to resolve imports relative to it.
    pub path: PathBuf,
    /// The text.
    pub text: String,
    /// Global offset of the first byte.
    pub base: u32,
    /// Byte offsets (local) of the start of every line.
    line_starts: Vec<u32>,
    /// Byte offsets (local) of the start of every line as reports count
    /// lines (`\r\n`, `\r` and `\n` each end one), made when first needed.
    report_lines: std::sync::OnceLock<Vec<u32>>,
}

impl SourceFile {
    /// The 0-based line and 0-based column (in characters) of a local byte offset.
    pub fn line_col(&self, local: u32) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&local) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let start = self.line_starts[line] as usize;
        let end = (local as usize).min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        (line, col)
    }

    /// Where reading for a report at local `offset` with `before` lines of
    /// context may start: the start of a line at least `before + 1` lines
    /// above it (as reports count lines), and how many lines come before
    /// that. Reading from there instead of from the start of the file keeps
    /// each report's cost to its own lines.
    fn report_window(&self, offset: usize, before: usize) -> (usize, usize) {
        let starts = self.report_lines.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts = vec![0];
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                if matches!(bytes[i], b'\r' | b'\n') {
                    starts.push(i as u32 + 1);
                }
                i += 1;
            }
            starts
        });
        let line = starts.partition_point(|&s| s as usize <= offset) - 1;
        let first = line.saturating_sub(before + 1);
        (starts[first] as usize, first)
    }

    /// The global span of a local byte range.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start as u32, self.base + end as u32)
    }
}

/// The largest total size of all sources of one compilation (spans are `u32`).
pub const MAX_TOTAL_SOURCE: usize = (u32::MAX / 2) as usize;

/// Every file of one compilation, addressed by global spans.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    next_base: u32,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file, giving it the next free base offset. `None` when the map would
    /// grow past [`MAX_TOTAL_SOURCE`].
    pub fn add(&mut self, name: String, path: PathBuf, text: String) -> Option<FileId> {
        let base = self.next_base;
        let end = (base as usize).checked_add(text.len())?.checked_add(1)?;
        if end > MAX_TOTAL_SOURCE {
            return None;
        }
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        // One gap byte between files, so an end-of-file span belongs to one file only.
        self.next_base = end as u32;
        self.files.push(SourceFile {
            name,
            path,
            text,
            base,
            line_starts,
            report_lines: std::sync::OnceLock::new(),
        });
        Some(FileId(self.files.len() as u32 - 1))
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files, in the order they were loaded.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The file a global offset falls in.
    pub fn file_of(&self, offset: u32) -> Option<FileId> {
        let i = self.files.partition_point(|f| f.base <= offset);
        let f = self.files.get(i.checked_sub(1)?)?;
        (offset as usize <= f.base as usize + f.text.len()).then_some(FileId(i as u32 - 1))
    }

    /// The file, and 1-based line and column, of a global offset.
    pub fn location(&self, offset: u32) -> Option<(FileId, usize, usize)> {
        let id = self.file_of(offset)?;
        let (l, c) = self.file(id).line_col(offset - self.file(id).base);
        Some((id, l + 1, c + 1))
    }

    /// The text a span covers (empty for a detached or unknown span).
    pub fn text(&self, span: Span) -> &str {
        let Some(id) = self.file_of(span.start) else {
            return "";
        };
        let f = self.file(id);
        let (s, e) = ((span.start - f.base) as usize, (span.end - f.base) as usize);
        f.text.get(s..e).unwrap_or("")
    }

    /// Whether a file of this path is loaded already.
    pub fn find_path(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }
}

impl SourceCode for SourceMap {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = u32::try_from(span.offset()).map_err(|_| MietteError::OutOfBounds)?;
        let id = self.file_of(offset).ok_or(MietteError::OutOfBounds)?;
        let f = self.file(id);
        let local = SourceSpan::new(((offset - f.base) as usize).into(), span.len());
        // miette reads from the start of the text it is given: from a few
        // lines above the span instead, then the lines before are added.
        let (from, lines_before) = f.report_window(local.offset(), context_lines_before);
        let window = f.text.get(from..).ok_or(MietteError::OutOfBounds)?;
        #[cfg(test)]
        tests::SCANNED.with(|c| c.set(c.get() + (local.offset() - from + span.len()) as u64));
        let inner = window.read_span(
            &SourceSpan::new((local.offset() - from).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        let (data, start, line, column) = clip(
            &f.text,
            inner.span().offset() + from,
            inner.data().len(),
            local.offset(),
            (inner.line() + lines_before, inner.column()),
        );
        let global = SourceSpan::new((start + f.base as usize).into(), data.len());
        Ok(Box::new(MietteSpanContents::new_named(
            f.name.clone(),
            data.as_bytes(),
            global,
            line,
            column,
            inner.line_count() + lines_before,
        )))
    }
}

/// The most source text a report quotes for one label.
const MAX_QUOTED: usize = 2048;

/// The text `text[start..start + len]` that a report quotes for a label at
/// `at`, with its line and column: as it is when short, else a window of
/// [`MAX_QUOTED`] bytes from a little before the label, so that a label on
/// a 10 MB line (a huge string) gives a short report, quickly.
fn clip(
    text: &str,
    start: usize,
    len: usize,
    at: usize,
    (line, column): (usize, usize),
) -> (&str, usize, usize, usize) {
    let whole = text.get(start..start + len).unwrap_or("");
    if len <= MAX_QUOTED {
        return (whole, start, line, column);
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut from = floor(at.saturating_sub(MAX_QUOTED / 4).max(start));
    if from > start
        && text.as_bytes()[from - 1] == b'\r'
        && text.as_bytes().get(from) == Some(&b'\n')
    {
        from += 1;
    }
    let to = floor((from + MAX_QUOTED).min(start + len)).max(from);
    // The line and column of `from`, counted as miette counts them
    // (`\r\n`, `\r` and `\n` each end a line; columns in bytes).
    let skipped = &text.as_bytes()[start..from];
    let mut lines = 0;
    let mut line_start = None;
    let mut i = 0;
    while i < skipped.len() {
        if skipped[i] == b'\r' || skipped[i] == b'\n' {
            if skipped[i] == b'\r' && skipped.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            lines += 1;
            line_start = Some(i + 1);
        }
        i += 1;
    }
    let column = match line_start {
        Some(s) => skipped.len() - s,
        None => column + skipped.len(),
    };
    (&text[from..to], from, line + lines, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Bytes miette had to scan to find the reports' lines.
        pub(super) static SCANNED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    /// The bytes scanned to quote every line of a file of `n` lines.
    fn scanned_for_every_line(n: usize) -> u64 {
        let text: String = (0..n).map(|i| format!("key_{i} = {i}\r\n")).collect();
        let mut map = SourceMap::new();
        map.add("a.mcl".into(), "a.mcl".into(), text.clone())
            .expect("fits");
        SCANNED.with(|c| c.set(0));
        let mut at = 0;
        for (i, line) in text.split_inclusive("\r\n").enumerate() {
            let span = SourceSpan::new(at.into(), 3);
            let got = map.read_span(&span, 1, 1).expect("in the file");
            assert_eq!(got.line(), i.saturating_sub(1), "line {i}");
            assert!(
                std::str::from_utf8(got.data())
                    .expect("utf-8")
                    .contains(line.trim_end())
            );
            at += line.len();
        }
        SCANNED.with(std::cell::Cell::get)
    }

    #[test]
    fn quoting_every_line_of_a_file_is_linear() {
        let (small, large) = (scanned_for_every_line(1_000), scanned_for_every_line(8_000));
        // Eight times the lines, about eight times the work (it was 64 times:
        // each report scanned from the start of the file).
        assert!(large < small * 10, "{small} then {large}");
    }

    #[test]
    fn a_window_reports_what_the_whole_text_does() {
        let text = "a = 1\rb = 2\r\nc = 3\n\nd = 4\re = 5\r\n";
        let mut map = SourceMap::new();
        map.add("a.mcl".into(), "a.mcl".into(), text.into())
            .expect("fits");
        for at in 0..text.len() {
            for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                let span = SourceSpan::new(at.into(), 1);
                let ours = map.read_span(&span, before, after).expect("in the file");
                let whole = text.read_span(&span, before, after).expect("in the text");
                assert_eq!(ours.data(), whole.data(), "{at} {before} {after}");
                assert_eq!(ours.line(), whole.line(), "{at}");
                assert_eq!(ours.column(), whole.column(), "{at}");
                assert_eq!(ours.line_count(), whole.line_count(), "{at}");
                assert_eq!(ours.span().offset(), whole.span().offset(), "{at}");
            }
        }
    }

    #[test]
    fn global_offsets_find_their_file() {
        let mut map = SourceMap::new();
        let a = map
            .add("a.mcl".into(), "a.mcl".into(), "ab\ncd".into())
            .expect("fits");
        let b = map
            .add("b.mcl".into(), "b.mcl".into(), "xyz".into())
            .expect("fits");
        assert_eq!(map.file_of(0), Some(a));
        assert_eq!(map.file_of(5), Some(a), "end of file belongs to the file");
        assert_eq!(map.file_of(6), Some(b));
        assert_eq!(map.location(4), Some((a, 2, 2)));
        assert_eq!(map.location(7), Some((b, 1, 2)));
        assert_eq!(map.text(Span::new(6, 9)), "xyz");
    }
}
