//! The requests beyond diagnostics, hover, completion, definition and
//! formatting: rename and references (across the files of a check), the
//! outline, workspace symbols, code actions (a diagnostic's fixes),
//! semantic tokens, folding ranges and inlay hints.

use std::collections::HashMap;

use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic,
    DocumentSymbolParams, DocumentSymbolResponse, FoldingRange, FoldingRangeParams, InlayHint,
    InlayHintLabel, InlayHintParams, Location, Range, ReferenceParams, RenameParams,
    SemanticTokens, SemanticTokensParams, SymbolInformation, SymbolKind, TextEdit, Uri,
    WorkspaceEdit, WorkspaceSymbolParams,
};
use serde::Deserialize;

use crate::compile::Checked;
use crate::span::Span;

use super::convert::{LineIndex, Lines};
use super::handlers::Server;
use super::names::{DeclKind, index, is_identifier};
use super::outline::{self, Parsed};
use super::{inlay, tokens};

/// The most workspace symbols one query returns.
const MAX_SYMBOLS: usize = 500;

fn failed(message: impl Into<String>) -> ResponseError {
    ResponseError {
        code: ErrorCode::RequestFailed as i32,
        message: message.into(),
        data: None,
    }
}

/// A fix as a diagnostic's `data` carries it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FixData {
    title: String,
    range: Range,
    new_text: String,
}

impl Server {
    /// The check of an open document and the global offset of a position.
    fn at(
        &self,
        uri: &Uri,
        position: lsp_types::Position,
    ) -> Result<Option<(&Checked, u32)>, ResponseError> {
        let path = self.open_path(uri)?;
        let Some((checked, source)) = self.state.source_file(&path) else {
            return Ok(None);
        };
        let local = LineIndex::new(&source.text).offset(&source.text, position);
        Ok(Some((checked, source.base + local as u32)))
    }

    /// Locations of global spans of a check.
    fn locations(&self, checked: &Checked, spans: impl Iterator<Item = Span>) -> Vec<Location> {
        let mut lines = Lines::default();
        spans
            .filter_map(|s| {
                let (id, range) = lines.span(&checked.sources, s)?;
                let uri = self.state.uri_of(&checked.sources.file(id).path)?;
                Some(Location::new(uri, range))
            })
            .collect()
    }

    /// `textDocument/rename`.
    // lsp-types keys `WorkspaceEdit::changes` by `Uri`, whose parse cache
    // clippy takes for interior mutability; the URIs are never mutated.
    #[allow(clippy::mutable_key_type)]
    pub(super) fn rename(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>, ResponseError> {
        let at = p.text_document_position;
        let Some((checked, offset)) = self.at(&at.text_document.uri, at.position)? else {
            return Ok(None);
        };
        let index = index(checked);
        let Some(symbol) = index.symbol_at(offset) else {
            return Err(failed(
                "nothing to rename here: put the cursor on a template, `let`, `for` variable, host, service or environment name",
            ));
        };
        let occurrences = index.occurrences(&symbol);
        let quoted = |s: Span| {
            s.start > 0
                && checked.sources.file_of(s.start).is_some_and(|id| {
                    let f = checked.sources.file(id);
                    f.text.as_bytes().get((s.start - f.base - 1) as usize) == Some(&b'"')
                })
        };
        let bare = occurrences.iter().any(|(s, _)| !quoted(*s));
        let name = p.new_name;
        if bare && !is_identifier(&name) {
            return Err(failed(format!(
                "`{name}` is not a name MCL can write unquoted (letters, digits, `_`, `-` between words, not a keyword)"
            )));
        }
        if name.is_empty() || name.contains(['"', '\\', '$', '\n', '\r']) {
            return Err(failed(format!("`{name}` cannot be a name")));
        }
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for loc in self.locations(checked, occurrences.iter().map(|o| o.0)) {
            changes
                .entry(loc.uri)
                .or_default()
                .push(TextEdit::new(loc.range, name.clone()));
        }
        Ok(Some(WorkspaceEdit::new(changes)))
    }

    /// `textDocument/references`.
    pub(super) fn references(
        &self,
        p: ReferenceParams,
    ) -> Result<Option<Vec<Location>>, ResponseError> {
        let at = p.text_document_position;
        let Some((checked, offset)) = self.at(&at.text_document.uri, at.position)? else {
            return Ok(None);
        };
        let index = index(checked);
        let Some(symbol) = index.symbol_at(offset) else {
            return Ok(None);
        };
        let with_decl = p.context.include_declaration;
        let spans = index
            .occurrences(&symbol)
            .into_iter()
            .filter(|(_, decl)| with_decl || !decl)
            .map(|(s, _)| s);
        Ok(Some(self.locations(checked, spans)))
    }

    /// `textDocument/documentSymbol`.
    pub(super) fn document_symbols(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>, ResponseError> {
        let path = self.open_path(&p.text_document.uri)?;
        let text = self.state.text(&path).unwrap_or_default();
        let parsed = Parsed::new(text);
        Ok(Some(DocumentSymbolResponse::Nested(
            outline::document_symbols(&parsed),
        )))
    }

    /// `workspace/symbol`: hosts, templates, services, environments and
    /// `let`s of every open document's check whose name contains the query
    /// (case-insensitive).
    #[allow(deprecated)] // `SymbolInformation::deprecated` must still be written
    pub(super) fn workspace_symbols(
        &self,
        p: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>, ResponseError> {
        let query = p.query.to_lowercase();
        let mut out: Vec<SymbolInformation> = Vec::new();
        for checked in self.state.checks() {
            let index = index(checked);
            let decls = index
                .decls
                .iter()
                .filter(|d| d.kind != DeclKind::ForVar && d.name.to_lowercase().contains(&query));
            for d in decls {
                let Some(location) = self.locations(checked, std::iter::once(d.span)).pop() else {
                    continue;
                };
                if out.iter().any(|s| s.location == location) {
                    continue;
                }
                let (kind, container) = match d.kind {
                    DeclKind::Template => (SymbolKind::CLASS, "template"),
                    DeclKind::Let | DeclKind::ForVar => (SymbolKind::VARIABLE, "let"),
                    DeclKind::Host => (SymbolKind::OBJECT, "host"),
                    DeclKind::Service => (SymbolKind::FUNCTION, "service"),
                    DeclKind::Environment => (SymbolKind::NAMESPACE, "environment"),
                };
                out.push(SymbolInformation {
                    name: d.name.clone(),
                    kind,
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: Some(container.into()),
                });
            }
        }
        out.truncate(MAX_SYMBOLS);
        Ok(Some(out))
    }

    /// `textDocument/codeAction`: the fixes of the diagnostics in the
    /// range, from what the server published (and what the client sent).
    // lsp-types keys `WorkspaceEdit::changes` by `Uri`, whose parse cache
    // clippy takes for interior mutability; the URIs are never mutated.
    #[allow(clippy::mutable_key_type)]
    pub(super) fn code_actions(
        &self,
        p: CodeActionParams,
    ) -> Result<Option<Vec<CodeActionOrCommand>>, ResponseError> {
        let uri = p.text_document.uri;
        let path = self.open_path(&uri)?;
        let overlaps = |r: &Range| r.start <= p.range.end && p.range.start <= r.end;
        let mut diagnostics: Vec<&Diagnostic> = self
            .state
            .published(&path)
            .iter()
            .filter(|d| overlaps(&d.range))
            .collect();
        for d in &p.context.diagnostics {
            if !diagnostics
                .iter()
                .any(|x| x.range == d.range && x.message == d.message)
            {
                diagnostics.push(d);
            }
        }
        let mut actions = Vec::new();
        for d in diagnostics {
            for fix in fixes_of(d) {
                let edit = TextEdit::new(fix.range, fix.new_text);
                let changes = HashMap::from([(uri.clone(), vec![edit])]);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(WorkspaceEdit::new(changes)),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }

    /// `textDocument/semanticTokens/full`.
    pub(super) fn semantic_tokens(
        &self,
        p: SemanticTokensParams,
    ) -> Result<Option<SemanticTokens>, ResponseError> {
        let path = self.open_path(&p.text_document.uri)?;
        let text = self.state.text(&path).unwrap_or_default();
        Ok(Some(tokens::tokens(&Parsed::new(text))))
    }

    /// `textDocument/foldingRange`.
    pub(super) fn folding_ranges(
        &self,
        p: FoldingRangeParams,
    ) -> Result<Option<Vec<FoldingRange>>, ResponseError> {
        let path = self.open_path(&p.text_document.uri)?;
        let text = self.state.text(&path).unwrap_or_default();
        Ok(Some(outline::folding_ranges(&Parsed::new(text))))
    }

    /// `textDocument/inlayHint`.
    pub(super) fn inlay_hints(
        &self,
        p: InlayHintParams,
    ) -> Result<Option<Vec<InlayHint>>, ResponseError> {
        let path = self.open_path(&p.text_document.uri)?;
        let Some((checked, source)) = self.state.source_file(&path) else {
            return Ok(None);
        };
        let Some(model) = &checked.model else {
            return Ok(Some(Vec::new()));
        };
        let (ast, _) = crate::syntax::parse(source);
        let index = LineIndex::new(&source.text);
        let end = source.base as usize + source.text.len();
        let hints = inlay::hints(model, &ast)
            .into_iter()
            .filter(|h| (source.base as usize..=end).contains(&(h.at as usize)))
            .map(|h| {
                let position = index.position(&source.text, (h.at - source.base) as usize);
                InlayHint {
                    position,
                    label: InlayHintLabel::String(h.label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                }
            })
            .filter(|h| p.range.start <= h.position && h.position <= p.range.end)
            .collect();
        Ok(Some(hints))
    }
}

/// The fixes a diagnostic's `data` carries.
fn fixes_of(d: &Diagnostic) -> Vec<FixData> {
    let Some(list) = d.data.as_ref().and_then(|v| v.get("fixes")) else {
        return Vec::new();
    };
    serde_json::from_value(list.clone()).unwrap_or_default()
}
