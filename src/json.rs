//! Machine-readable diagnostics: `--message-format json`.
//!
//! ## JSON messages (`--message-format json`)
//!
//! With `--message-format json`, every command that takes the flag (`check`,
//! `build`, `build --check`, `diff`, `plan`, `graph`) writes only JSON
//! objects to stdout, one a line (JSON Lines), instead of the rendered
//! reports: one `"type":"diagnostic"` line per diagnostic, in the order
//! found, then one `"type":"summary"` line, then the command's own
//! [`records`]. No object contains a newline,
//! and fields always come in the order given here; new fields may be added
//! at the end of an object, existing ones are never renamed or removed.
//!
//! A **diagnostic** object:
//!
//! | field | value |
//! | --- | --- |
//! | `type` | `"diagnostic"` |
//! | `file` | the file of the primary label (as named on the command line or in the `import`), or `null` when the diagnostic has no label |
//! | `severity` | `"error"`, `"warning"` or `"advice"` |
//! | `code` | the stable code, e.g. `"mcl::check::unknown_flag"` (`null` if none) |
//! | `message` | the one-line message |
//! | `range` | the primary label's range (see below), or `null` |
//! | `labels` | every label: `{"file", "range", "text", "primary"}`; `text` is the label's text or `null`, `primary` is `true` for the primary label only; labels may point into other files than `file` |
//! | `help` | the suggested fix, or `null` |
//! | `related` | further diagnostics attached to this one, each an object of this same shape |
//!
//! The primary label is the first label that miette marks primary, or else
//! the first label. A **range** is
//! `{"start": POSITION, "end": POSITION}` (end exclusive), and a
//! **position** is `{"offset", "line", "column"}`: `offset` is a byte offset
//! from the start of that label's file, `line` and `column` are 1-based and
//! `column` counts characters (Unicode scalar values), not bytes. Slicing
//! the file's bytes `start.offset..end.offset` gives exactly the text the
//! label underlines.
//!
//! The **summary** object: `{"type":"summary","errors":N,"warnings":N,"files":[…]}`,
//! where `files` lists every source file read (the main file first, then
//! its imports), for `check` and `build` alike.
//!
//! Example (`mesosc check --message-format json tests/errors/check/unknown_flag.mcl`,
//! one line, wrapped here):
//!
//! ```json
//! {"type":"diagnostic","file":"tests/errors/check/unknown_flag.mcl","severity":"error",
//!  "code":"mcl::check::unknown_flag","message":"unknown mesos-agent flag `workdir`",
//!  "range":{"start":{"offset":197,"line":6,"column":20},"end":{"offset":204,"line":6,"column":27}},
//!  "labels":[{"file":"tests/errors/check/unknown_flag.mcl",
//!             "range":{"start":{"offset":197,"line":6,"column":20},"end":{"offset":204,"line":6,"column":27}},
//!             "text":"mesos-agent has no such flag","primary":true}],
//!  "help":"mesosc sets `work_dir` itself: use the `work_dir` setting of the `follower` block","related":[]}
//! {"type":"summary","errors":1,"warnings":0,"files":["tests/errors/check/unknown_flag.mcl"]}
//! ```

use miette::{Diagnostic, LabeledSpan, Severity};
use serde::Serialize;

use crate::diagnostic::severity;
use crate::span::SourceMap;

/// A place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Byte offset from the start of the file.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A half-open range of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// The first character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}

/// One label of a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The file it points into.
    pub file: String,
    /// What it underlines.
    pub range: Range,
    /// Its text, if any.
    pub text: Option<String>,
    /// Whether it is the diagnostic's primary label.
    pub primary: bool,
}

/// A diagnostic as JSON: the object [`diagnostic_line`] writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    /// Always `"diagnostic"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The primary label's file.
    pub file: Option<String>,
    /// `"error"`, `"warning"` or `"advice"`.
    pub severity: &'static str,
    /// The stable code.
    pub code: Option<String>,
    /// The message.
    pub message: String,
    /// The primary label's range.
    pub range: Option<Range>,
    /// Every label.
    pub labels: Vec<Label>,
    /// The fix.
    pub help: Option<String>,
    /// Nested diagnostics.
    pub related: Vec<JsonDiagnostic>,
}

/// The closing object: [`summary_line`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Summary<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    errors: usize,
    warnings: usize,
    files: Vec<&'a str>,
}

/// One diagnostic as one line of JSON (no trailing newline).
pub fn diagnostic_line(d: &dyn Diagnostic, sources: &SourceMap) -> String {
    let value = to_json(d, sources);
    serde_json::to_string(&value).unwrap_or_else(|e| {
        serde_json::json!({"type": "diagnostic", "message": e.to_string()}).to_string()
    })
}

/// The summary line: how many errors and warnings, and the source files
/// read (main file first). No trailing newline.
pub fn summary_line<S: AsRef<str>>(errors: usize, warnings: usize, files: &[S]) -> String {
    let summary = Summary {
        kind: "summary",
        errors,
        warnings,
        files: files.iter().map(AsRef::as_ref).collect(),
    };
    serde_json::to_string(&summary).unwrap_or_default()
}

/// A diagnostic (and its related ones) as a [`JsonDiagnostic`].
pub fn to_json(d: &dyn Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
    let labels = labels(d, sources);
    let primary = labels.iter().find(|l| l.primary);
    let related = d
        .related()
        .map(|r| r.map(|d| to_json(d, sources)).collect())
        .unwrap_or_default();
    JsonDiagnostic {
        kind: "diagnostic",
        file: primary.map(|l| l.file.clone()),
        severity: severity_name(severity(d)),
        code: d.code().map(|c| c.to_string()),
        message: crate::diagnostic::message(d),
        range: primary.map(|l| l.range),
        help: d.help().map(|h| h.to_string()),
        labels,
        related,
    }
}

/// The name of a severity.
fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "advice",
    }
}

/// Every label that points into the sources, the primary one marked.
fn labels(d: &dyn Diagnostic, sources: &SourceMap) -> Vec<Label> {
    let spans: Vec<LabeledSpan> = d.labels().map(Iterator::collect).unwrap_or_default();
    let mut labels: Vec<Label> = spans.iter().filter_map(|s| label(s, sources)).collect();
    let primary = labels
        .iter()
        .position(|l| l.primary)
        .or((!labels.is_empty()).then_some(0));
    for (i, label) in labels.iter_mut().enumerate() {
        label.primary = Some(i) == primary;
    }
    labels
}

/// One label, unless its span points at no source (a built-in default).
fn label(span: &LabeledSpan, sources: &SourceMap) -> Option<Label> {
    let start = u32::try_from(span.offset()).ok()?;
    let (id, _, _) = sources.location(start)?;
    let file = sources.file(id);
    let local = (start - file.base) as usize;
    let end = local.saturating_add(span.len()).min(file.text.len());
    Some(Label {
        file: file.name.clone(),
        range: Range {
            start: position(sources, id, local),
            end: position(sources, id, end),
        },
        text: span.label().map(str::to_string),
        primary: span.primary(),
    })
}

/// The position of a local byte offset of a file.
fn position(sources: &SourceMap, id: crate::span::FileId, local: usize) -> Position {
    let (line, column) = sources.file(id).line_col(local as u32);
    Position {
        offset: local,
        line: line + 1,
        column: column + 1,
    }
}

/// The other records of `--message-format json`, one object a line, each
/// with its `type` first (see the book's reference, `docs/src/reference/json.md`).
pub mod records {
    use serde::Serialize;

    /// Serializes a record to one line (without the line break).
    pub fn line(record: &impl Serialize) -> String {
        serde_json::to_string(record).unwrap_or_default()
    }

    /// `{"type":"entry",…}`: the `mesosc.toml` entry the following records
    /// are about.
    #[derive(Serialize)]
    pub struct Entry<'a> {
        /// `"entry"`.
        #[serde(rename = "type")]
        pub kind: &'static str,
        /// The main source, relative to the workspace folder.
        pub source: &'a str,
        /// The environment, or `null`.
        pub env: Option<&'a str>,
        /// The output folder.
        pub out: &'a str,
    }

    /// `{"type":"wave",…}`: one wave of the rollout plan (`mesosc plan`).
    #[derive(Serialize)]
    pub struct Wave<'a> {
        /// `"wave"`.
        #[serde(rename = "type")]
        pub kind: &'static str,
        /// 1-based.
        pub wave: usize,
        /// The services that start in it.
        pub services: Vec<Service<'a>>,
    }

    /// A service of a wave.
    #[derive(Serialize)]
    pub struct Service<'a> {
        /// The host.
        pub host: &'a str,
        /// The systemd unit.
        pub unit: &'a str,
    }

    /// `{"type":"graph",…}`: the dependency graph (`mesosc graph`).
    #[derive(Serialize)]
    pub struct Graph<'a> {
        /// `"graph"`.
        #[serde(rename = "type")]
        pub kind: &'static str,
        /// The graph in Graphviz DOT.
        pub dot: &'a str,
    }

    /// `{"type":"drift",…}`: a file of the output folder that is not what a
    /// build would write (`mesosc build --check`).
    #[derive(Serialize)]
    pub struct Drift<'a> {
        /// `"drift"`.
        #[serde(rename = "type")]
        pub kind: &'static str,
        /// The path, relative to the output folder.
        pub path: &'a str,
        /// How it differs: `"differs"`, `"missing"`, `"extra"`, …
        pub status: &'a str,
    }

    /// `{"type":"diff",…}`: one file's unified diff (`mesosc diff`).
    #[derive(Serialize)]
    pub struct Diff<'a> {
        /// `"diff"`.
        #[serde(rename = "type")]
        pub kind: &'static str,
        /// The path, relative to the output folder.
        pub path: &'a str,
        /// The unified diff, `---`/`+++` headers included.
        pub diff: &'a str,
    }

    /// `{"type":"status",…}`: the verdict on an output folder (`mesosc build
    /// --check`, `mesosc diff`).
    #[derive(Serialize)]
    pub struct Status<'a> {
        /// `"status"`.
        #[serde(rename = "type")]
        pub kind: &'static str,
        /// The output folder.
        pub out: &'a str,
        /// Whether it holds exactly what a build would write.
        pub up_to_date: bool,
        /// How many files differ.
        pub differences: usize,
    }

    /// `{"type":"build",…}`: what `mesosc build` did to the output folder.
    #[derive(Serialize)]
    pub struct Build<'a> {
        /// `"build"`.
        #[serde(rename = "type")]
        pub kind: &'static str,
        /// The output folder.
        pub out: &'a str,
        /// Files created or rewritten.
        pub written: &'a [String],
        /// How many files were already right.
        pub unchanged: usize,
        /// Files removed (an earlier build wrote them).
        pub removed: &'a [String],
        /// Files edited by hand that mesosc replaced or removed.
        pub edited: &'a [String],
        /// Files mesosc never wrote, left alone.
        pub foreign: &'a [String],
    }
}
