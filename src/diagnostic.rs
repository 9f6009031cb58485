//! Diagnostics of every stage, gathered in one list, and their rendering.
//!
//! The library only collects; the CLI (and tests) render at the edge, with
//! miette's graphical handler over the whole [`SourceMap`], so a diagnostic may
//! label places in several files.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode,
};

use crate::span::SourceMap;

/// Labels made at run time (one per host of a quorum, one per step of a
/// cycle): miette's labels, made hashable so diagnostics can be.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Labels(pub Vec<LabeledSpan>);

impl std::ops::Deref for Labels {
    type Target = [LabeledSpan];
    fn deref(&self) -> &[LabeledSpan] {
        &self.0
    }
}

impl FromIterator<LabeledSpan> for Labels {
    fn from_iter<I: IntoIterator<Item = LabeledSpan>>(iter: I) -> Self {
        Labels(iter.into_iter().collect())
    }
}

impl std::hash::Hash for Labels {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        for l in &self.0 {
            (l.offset(), l.len(), l.label(), l.primary()).hash(h);
        }
    }
}

/// Where a diagnostic is and what kind it is, without its text: the same
/// mistake in a `for` body reported for another iteration (another host name,
/// another value) has the same site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Site {
    code: Option<String>,
    labels: Vec<(usize, usize)>,
}

impl Site {
    /// The site of `d`: its code (one per kind of mistake) and where its
    /// labels point.
    pub(crate) fn of(d: &dyn Diagnostic) -> Site {
        let code = d.code().map(|c| c.to_string());
        let labels = d
            .labels()
            .into_iter()
            .flatten()
            .map(|l| (l.offset(), l.len()))
            .collect();
        Site { code, labels }
    }
}

/// What a stage's diagnostic must be to be gathered: a miette diagnostic,
/// comparable and hashable (a loop's repeats are dropped by hash).
pub trait Report: Diagnostic + Clone + Eq + std::hash::Hash + Send + Sync + 'static {}

impl<T: Diagnostic + Clone + Eq + std::hash::Hash + Send + Sync + 'static> Report for T {}

/// The severity of a diagnostic (miette's, with `None` meaning error).
pub fn severity(d: &dyn Diagnostic) -> Severity {
    d.severity().unwrap_or(Severity::Error)
}

/// Every diagnostic of one compilation, in the order found.
///
/// Generic over the diagnostic type so that this module imports no stage:
/// each stage pushes its own errors into any list whose type they convert
/// into, and the pipeline driver names the type that gathers them all
/// ([`crate::compile::Error`]).
#[derive(Debug, Clone)]
pub struct Diagnostics<E> {
    list: Vec<E>,
}

impl<E> Default for Diagnostics<E> {
    fn default() -> Self {
        Diagnostics { list: Vec::new() }
    }
}

impl<E: Report> Diagnostics<E> {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Adds one.
    pub fn push(&mut self, e: impl Into<E>) {
        self.list.push(e.into());
    }

    /// Drops exact repeats (a `for` body reports its mistake once, not once
    /// per iteration), keeping the first of each in order.
    pub fn dedup(&mut self) {
        // Hashed, never formatted: a loop may report a million of them.
        let mut seen = std::collections::HashSet::new();
        self.list.retain(|d| seen.insert(d.clone()));
    }

    /// All of them, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, E> {
        self.list.iter()
    }

    /// How many are errors.
    pub fn error_count(&self) -> usize {
        self.list
            .iter()
            .filter(|d| severity(*d) == Severity::Error)
            .count()
    }

    /// How many are warnings.
    pub fn warning_count(&self) -> usize {
        self.list
            .iter()
            .filter(|d| severity(*d) == Severity::Warning)
            .count()
    }

    /// Whether the compilation failed: any error, or with `strict` any warning.
    pub fn failed(&self, strict: bool) -> bool {
        self.error_count() > 0 || (strict && self.warning_count() > 0)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }
}

impl<E> IntoIterator for Diagnostics<E> {
    type Item = E;
    type IntoIter = std::vec::IntoIter<E>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<E> Extend<E> for Diagnostics<E> {
    fn extend<T: IntoIterator<Item = E>>(&mut self, iter: T) {
        self.list.extend(iter);
    }
}

/// A diagnostic paired with the sources its spans point into, as miette needs it.
pub struct WithSource<'a> {
    /// The diagnostic.
    pub diagnostic: &'a dyn Diagnostic,
    /// The sources.
    pub sources: &'a SourceMap,
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&message(self.diagnostic))
    }
}

/// The most characters of a name (anything between backticks) a message
/// quotes.
pub const MAX_NAME: usize = 64;

/// A diagnostic's message as every output shows it: each name between
/// backticks cut to [`MAX_NAME`] characters (`…` marks the cut), so a
/// 10 MB key gives a one-line message. Help lines are left whole: their
/// backticks hold the code of a fix.
pub fn message(d: &dyn Diagnostic) -> String {
    shorten_names(&d.to_string())
}

/// `text` with each backtick-quoted part longer than [`MAX_NAME`]
/// characters cut.
pub fn shorten_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        match part.char_indices().nth(MAX_NAME) {
            Some((at, _)) if i % 2 == 1 => {
                out.push_str(&part[..at]);
                out.push('…');
            }
            _ => out.push_str(part),
        }
    }
    out
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.diagnostic.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.sources)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        // Detached spans (values no source wrote) carry no label.
        let labels = self.diagnostic.labels()?;
        Some(Box::new(labels.filter(|l| l.offset() < u32::MAX as usize)))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.diagnostic.related()
    }
}

/// Renders one diagnostic for a terminal or a snapshot.
pub fn render(d: &dyn Diagnostic, sources: &SourceMap, width: usize, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    let wrapped = WithSource {
        diagnostic: d,
        sources,
    };
    if handler.render_report(&mut out, &wrapped).is_err() {
        out = format!("{d}\n");
    }
    out
}
