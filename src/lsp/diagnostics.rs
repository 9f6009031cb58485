//! mesosc diagnostics → LSP diagnostics, grouped by the file they belong to.
//!
//! A diagnostic goes to the file of its *primary* label: the one miette marks
//! primary, else the first label — except that a first label saying "first
//! …" (`first set here`, `first defined here`) is context, and the next one
//! is where the mistake is. The other labels become `relatedInformation`,
//! the help becomes the message's second line, and the code is kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Position, Range, Uri,
};
use miette::{Diagnostic as _, LabeledSpan, Severity};

use crate::compile::Checked;
use crate::compile::{Diagnostics, Error};
use crate::span::{FileId, SourceMap, Span};

use super::convert::Lines;

/// Codes of the model checks that concern one setting only: the editor
/// reports them even when resolution found errors elsewhere (the CLI stops
/// before the model then, to avoid cascades such as "no leader" after a
/// host was lost to a syntax error).
const LOCAL_CODES: &[&str] = &[
    "mcl::check::unknown_flag",
    "mcl::check::invalid_flag_value",
    "mcl::check::flag_too_new",
    "mcl::check::flag_removed",
    "mcl::check::deprecated_flag",
    "mcl::check::flag_set_twice",
    "mcl::check::derived_flag",
    "mcl::check::platform_flag",
    "mcl::check::flag_conflict",
    "mcl::check::invalid_resources",
    "mcl::check::unknown_resource",
    "mcl::check::literal_secret",
    "mcl::check::unknown_key",
    "mcl::check::unknown_role",
    "mcl::check::unknown_profile",
    "mcl::check::invalid_address",
];

/// The per-setting model diagnostics of a check whose resolution failed
/// (see [`LOCAL_CODES`]); empty when the model stage ran already.
pub fn local_model_diagnostics(checked: &Checked, main: &Path) -> Vec<Error> {
    let Some(resolved) = &checked.resolved else {
        return Vec::new();
    };
    // The check ran the model itself unless resolution (or parsing) failed.
    let resolution_failed = checked.diagnostics.iter().any(|d| {
        matches!(d, Error::Syntax(_) | Error::Check(_))
            && crate::diagnostic::severity(d) == Severity::Error
    });
    if !resolution_failed {
        return Vec::new();
    }
    let name = main.file_name().map_or_else(
        || main.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let mut found = Diagnostics::new();
    crate::model::build(resolved, &name, &mut found);
    // Hashed: a block of 40,000 unknown flags reports 40,000 of them.
    let reported: std::collections::HashSet<&Error> = checked.diagnostics.iter().collect();
    found
        .into_iter()
        .filter(|d| {
            d.code()
                .is_some_and(|c| LOCAL_CODES.contains(&c.to_string().as_str()))
        })
        .filter(|d| !reported.contains(d))
        .collect()
}

/// Converts every diagnostic, grouped by the path of the file it goes to.
/// `uri_of` names the document of a path (for related information).
pub fn convert_all<'a>(
    sources: &SourceMap,
    diagnostics: impl IntoIterator<Item = &'a Error>,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut lines = Lines::default();
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        let (file, diagnostic) = convert(sources, &mut lines, d, uri_of);
        let path = match file {
            Some(id) => sources.file(id).path.clone(),
            None => match sources.files().next() {
                Some((_, f)) => f.path.clone(),
                None => continue,
            },
        };
        out.entry(path).or_default().push(diagnostic);
    }
    out
}

/// Converts one diagnostic; the file is that of its primary label (`None`
/// when it has no label: it goes to the start of the main file).
fn convert(
    sources: &SourceMap,
    lines: &mut Lines,
    d: &Error,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> (Option<FileId>, Diagnostic) {
    let labels: Vec<LabeledSpan> = d
        .labels()
        .map(|l| l.filter(|l| l.offset() < u32::MAX as usize).collect())
        .unwrap_or_default();
    let primary = primary_label(&labels);
    let place = primary.and_then(|i| lines.span(sources, label_span(&labels[i])));
    let related: Vec<DiagnosticRelatedInformation> = labels
        .iter()
        .enumerate()
        .filter(|&(i, _)| Some(i) != primary)
        .filter_map(|(_, l)| related(sources, lines, l, uri_of))
        .collect();
    let diagnostic = Diagnostic {
        range: place.map_or(Range::new(Position::new(0, 0), Position::new(0, 0)), |p| {
            p.1
        }),
        severity: Some(severity(d)),
        code: d.code().map(|c| NumberOrString::String(c.to_string())),
        source: Some("mesosc".into()),
        message: message(d),
        related_information: (!related.is_empty()).then_some(related),
        data: fix_data(sources, lines, d, place.map(|p| p.0)),
        tags: no_effect(d)
            .is_some()
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        ..Diagnostic::default()
    };
    // An entry without effect is greyed out whole, not only its key.
    let entry = no_effect(d).and_then(|e| lines.span(sources, e));
    let diagnostic = match (entry, place) {
        (Some((file, range)), Some((at, _))) if file == at => Diagnostic {
            range,
            ..diagnostic
        },
        _ => diagnostic,
    };
    (place.map(|p| p.0), diagnostic)
}

/// The whole entry of a `no_effect` diagnostic (editors grey it out as
/// unnecessary).
fn no_effect(d: &Error) -> Option<Span> {
    match d {
        Error::Model(crate::model::ModelError::NoEffect { entry, .. }) if !entry.is_detached() => {
            Some(*entry)
        }
        Error::Model(crate::model::ModelError::NoEffect { span, .. }) => Some(*span),
        _ => None,
    }
}

/// The diagnostic's machine-applicable fixes in its own file, as the
/// diagnostic's `data`: `{ "fixes": [{ "title", "range", "newText" }] }`
/// (code actions read them back).
fn fix_data(
    sources: &SourceMap,
    lines: &mut Lines,
    d: &Error,
    file: Option<FileId>,
) -> Option<serde_json::Value> {
    let fixes: Vec<serde_json::Value> = crate::fix::fixes(d, sources)
        .into_iter()
        .filter_map(|f| {
            let (id, range) = lines.span(sources, f.span)?;
            (Some(id) == file).then(|| {
                serde_json::json!({ "title": f.title, "range": range, "newText": f.replacement })
            })
        })
        .collect();
    (!fixes.is_empty()).then(|| serde_json::json!({ "fixes": fixes }))
}

/// The message, and the help as its second line.
fn message(d: &Error) -> String {
    let message = crate::diagnostic::message(d);
    match d.help() {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message,
    }
}

/// Index of the label that locates the diagnostic.
fn primary_label(labels: &[LabeledSpan]) -> Option<usize> {
    if let Some(i) = labels.iter().position(LabeledSpan::primary) {
        return Some(i);
    }
    let first_is_context = labels
        .first()
        .and_then(LabeledSpan::label)
        .is_some_and(|t| t.starts_with("first ") || t.starts_with("used by "));
    match labels.len() {
        0 => None,
        n if first_is_context && n > 1 => Some(1),
        _ => Some(0),
    }
}

fn label_span(l: &LabeledSpan) -> Span {
    let start = u32::try_from(l.offset()).unwrap_or(u32::MAX);
    let len = u32::try_from(l.len()).unwrap_or(0);
    Span::new(start, start.saturating_add(len))
}

fn related(
    sources: &SourceMap,
    lines: &mut Lines,
    l: &LabeledSpan,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> Option<DiagnosticRelatedInformation> {
    let (id, range) = lines.span(sources, label_span(l))?;
    let uri = uri_of(&sources.file(id).path)?;
    Some(DiagnosticRelatedInformation {
        location: Location::new(uri, range),
        message: l.label().unwrap_or("here").to_string(),
    })
}

fn severity(d: &Error) -> DiagnosticSeverity {
    match crate::diagnostic::severity(d) {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Advice => DiagnosticSeverity::HINT,
    }
}

/// A diagnostic for a main file that could not be read at all.
pub fn unreadable(error: &std::io::Error) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("mesosc".into()),
        message: format!("cannot check this file: {error}"),
        ..Diagnostic::default()
    }
}
