//! Message dispatch: requests get exactly one response (an error for
//! malformed parameters, unknown methods, documents that are not open, and
//! anything after `shutdown`), notifications update the documents, and no
//! input makes the server panic — a handler that would is caught and
//! answered with an internal error.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use lsp_server::{ErrorCode, Message, Notification, Request, Response, ResponseError};
use lsp_types::{
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    DocumentFormattingParams, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, Location, LogMessageParams, MarkupContent, MarkupKind, MessageType,
    PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::compile::Options;

use super::LspError;
use super::convert::{LineIndex, Lines};
use super::definition::{Target, definition};
use super::state::State;
use super::{completion, format, hover, names, words};

/// Whether the main loop goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Read the next message.
    Continue,
    /// The client said `exit`.
    Exit,
}

/// The server: documents and the protocol's state.
pub struct Server {
    pub(super) state: State,
    shut_down: bool,
}

type Reply = Result<Value, ResponseError>;

fn error(code: ErrorCode, message: impl Into<String>) -> ResponseError {
    ResponseError {
        code: code as i32,
        message: message.into(),
        data: None,
    }
}

fn params<P: DeserializeOwned>(value: Value) -> Result<P, ResponseError> {
    serde_json::from_value(value)
        .map_err(|e| error(ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn to_value(result: impl Serialize) -> Reply {
    serde_json::to_value(result).map_err(|e| error(ErrorCode::InternalError, e.to_string()))
}

impl Server {
    /// A server with no documents, checking with `options`.
    pub fn new(options: Options) -> Server {
        Server {
            state: State::new(options),
            shut_down: false,
        }
    }

    /// Whether checks are pending.
    pub fn is_dirty(&self) -> bool {
        self.state.is_dirty()
    }

    /// Runs pending checks; the diagnostics to publish.
    pub fn flush(&mut self) -> Vec<Message> {
        let publications = catch_unwind(AssertUnwindSafe(|| self.state.flush()));
        publications
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let params = PublishDiagnosticsParams::new(p.uri, p.diagnostics, p.version);
                Notification::new("textDocument/publishDiagnostics".into(), params).into()
            })
            .collect()
    }

    /// `Ok` when the client shut the server down before `exit`.
    pub fn exit_status(&self) -> Result<(), LspError> {
        if self.shut_down {
            Ok(())
        } else {
            Err("the client exited without `shutdown`".into())
        }
    }

    /// Handles one message; the messages to send back.
    pub fn handle(&mut self, message: Message) -> (Flow, Vec<Message>) {
        match message {
            Message::Request(req) => {
                let mut out = Vec::new();
                if !self.shut_down {
                    out = self.flush();
                }
                out.push(self.request(req).into());
                (Flow::Continue, out)
            }
            Message::Notification(n) if n.method == "exit" => (Flow::Exit, Vec::new()),
            Message::Notification(n) => {
                let problem = catch_unwind(AssertUnwindSafe(|| self.notification(n)));
                let problem = problem.unwrap_or_else(|_| Some("internal error".into()));
                (Flow::Continue, problem.map(log).into_iter().collect())
            }
            Message::Response(_) => (Flow::Continue, Vec::new()),
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let reply = if self.shut_down {
            Err(error(ErrorCode::InvalidRequest, "the server is shut down"))
        } else {
            catch_unwind(AssertUnwindSafe(|| self.dispatch(req)))
                .unwrap_or_else(|_| Err(error(ErrorCode::InternalError, "internal error")))
        };
        Response {
            id,
            response_result: reply,
        }
    }

    fn dispatch(&mut self, req: Request) -> Reply {
        match req.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/hover" => to_value(self.hover(params(req.params)?)?),
            "textDocument/completion" => to_value(self.completion(params(req.params)?)?),
            "textDocument/definition" => to_value(self.definition(params(req.params)?)?),
            "textDocument/formatting" => to_value(self.formatting(params(req.params)?)?),
            "textDocument/rename" => to_value(self.rename(params(req.params)?)?),
            "textDocument/references" => to_value(self.references(params(req.params)?)?),
            "textDocument/documentSymbol" => to_value(self.document_symbols(params(req.params)?)?),
            "workspace/symbol" => to_value(self.workspace_symbols(params(req.params)?)?),
            "textDocument/codeAction" => to_value(self.code_actions(params(req.params)?)?),
            "textDocument/semanticTokens/full" => {
                to_value(self.semantic_tokens(params(req.params)?)?)
            }
            "textDocument/foldingRange" => to_value(self.folding_ranges(params(req.params)?)?),
            "textDocument/inlayHint" => to_value(self.inlay_hints(params(req.params)?)?),
            "initialize" => Err(error(ErrorCode::InvalidRequest, "already initialized")),
            other => Err(error(
                ErrorCode::MethodNotFound,
                format!("unsupported method `{other}`"),
            )),
        }
    }

    /// Applies a notification; a problem to log, if any.
    fn notification(&mut self, n: Notification) -> Option<String> {
        let result = match n.method.as_str() {
            "textDocument/didOpen" => params(n.params).map(|p: DidOpenTextDocumentParams| {
                let d = p.text_document;
                self.state.open(d.uri, d.version, d.text);
            }),
            "textDocument/didChange" => params(n.params).and_then(|p| self.did_change(p)),
            "textDocument/didSave" => params(n.params).map(|p: DidSaveTextDocumentParams| {
                self.did_save(p);
            }),
            "textDocument/didClose" => params(n.params).map(|p: DidCloseTextDocumentParams| {
                self.state.close(&p.text_document.uri);
            }),
            "workspace/didChangeWatchedFiles" => {
                params(n.params).map(|p: DidChangeWatchedFilesParams| {
                    self.state.workspace_mut().changed(&p.changes);
                    self.state.recheck_all();
                })
            }
            _ => Ok(()),
        };
        result.err().map(|e| format!("{}: {}", n.method, e.message))
    }

    fn did_change(&mut self, p: DidChangeTextDocumentParams) -> Result<(), ResponseError> {
        let uri = p.text_document.uri;
        let path = State::path_of(&uri);
        let Some(text) = self.state.text(&path) else {
            return Err(error(ErrorCode::InvalidParams, "the document is not open"));
        };
        let mut text = text.to_string();
        for change in p.content_changes {
            apply_change(&mut text, change);
        }
        self.state.change(&uri, p.text_document.version, text);
        Ok(())
    }

    fn did_save(&mut self, p: DidSaveTextDocumentParams) {
        let uri = p.text_document.uri;
        let version = self.state.version(&uri);
        match (p.text, version) {
            (Some(text), Some(version)) => {
                self.state.change(&uri, version, text);
            }
            _ => self.state.saved(&uri),
        }
    }

    /// The path of an open document, or an error.
    pub(super) fn open_path(&self, uri: &Uri) -> Result<PathBuf, ResponseError> {
        let path = State::path_of(uri);
        match self.state.text(&path) {
            Some(_) => Ok(path),
            None => Err(error(
                ErrorCode::InvalidParams,
                format!("`{}` is not an open document", uri.as_str()),
            )),
        }
    }

    fn hover(&self, p: HoverParams) -> Result<Option<Hover>, ResponseError> {
        let at = p.text_document_position_params;
        let path = self.open_path(&at.text_document.uri)?;
        let Some((checked, source)) = self.state.source_file(&path) else {
            return Ok(None);
        };
        let local = LineIndex::new(&source.text).offset(&source.text, at.position);
        let (ast, _) = crate::syntax::parse(source);
        let offset = source.base + local as u32;
        let found = hover::hover(checked, &ast, offset).or_else(|| {
            let index = names::index(checked);
            let resolved = checked.resolved.as_ref();
            words::hover(&checked.sources, source, &ast, &index, resolved, offset)
        });
        let Some((span, markdown)) = found else {
            return Ok(None);
        };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Lines::default().span(&checked.sources, span).map(|s| s.1),
        }))
    }

    fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>, ResponseError> {
        let at = p.text_document_position;
        let path = self.open_path(&at.text_document.uri)?;
        let text = self.state.text(&path).unwrap_or_default();
        let index = LineIndex::new(text);
        let cursor = index.offset(text, at.position);
        let checked = self.state.analysis_for(&path).map(|(c, _)| c);
        let (start, candidates) = completion::complete(text, cursor, checked);
        let range = index.range(text, start, cursor);
        let items = candidates.into_iter().map(|c| c.into_item(range)).collect();
        Ok(Some(CompletionResponse::Array(items)))
    }

    fn definition(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>, ResponseError> {
        let at = p.text_document_position_params;
        let path = self.open_path(&at.text_document.uri)?;
        let Some((checked, source)) = self.state.source_file(&path) else {
            return Ok(None);
        };
        let local = LineIndex::new(&source.text).offset(&source.text, at.position);
        let (ast, _) = crate::syntax::parse(source);
        let target = definition(checked, source, &ast, source.base + local as u32);
        let location = match target {
            Some(Target::Span(span)) => {
                Lines::default()
                    .span(&checked.sources, span)
                    .and_then(|(id, range)| {
                        let uri = self.state.uri_of(&checked.sources.file(id).path)?;
                        Some(Location::new(uri, range))
                    })
            }
            Some(Target::File(file)) => self
                .state
                .uri_of(&file)
                .map(|uri| Location::new(uri, Range::default())),
            None => None,
        };
        Ok(location.map(GotoDefinitionResponse::Scalar))
    }

    fn formatting(
        &self,
        p: DocumentFormattingParams,
    ) -> Result<Option<Vec<lsp_types::TextEdit>>, ResponseError> {
        let path = self.open_path(&p.text_document.uri)?;
        let text = self.state.text(&path).unwrap_or_default();
        format::edits(text).map_err(|message| error(ErrorCode::RequestFailed, message))
    }
}

/// Applies one content change: the whole text, or a range of it.
fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let index = LineIndex::new(text);
    let start = index.offset(text, range.start);
    let end = index.offset(text, range.end).max(start);
    text.replace_range(start..end, &change.text);
}

fn log(message: String) -> Message {
    let params = LogMessageParams {
        typ: MessageType::WARNING,
        message: format!("mesosc: {message}"),
    };
    Notification::new("window/logMessage".into(), params).into()
}
