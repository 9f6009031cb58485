//! The MCL language server: diagnostics, hover, completion, go to
//! definition and formatting for `.mcl` files, over the Language Server
//! Protocol (JSON-RPC on stdio, synchronous: one message at a time).
//!
//! [`run_stdio`] serves an editor; [`run`] serves any [`Connection`] (tests
//! use [`Connection::memory`]).
//!
//! - **Documents** are synchronised in full; open buffers shadow the disk,
//!   so imports resolve against what the editor shows.
//! - **Diagnostics** are published per file after every open, change and
//!   save; a change to an imported file re-checks the open files that import
//!   it (the `state` module says which check speaks for which file). Checks
//!   run when the queue of incoming messages is empty, so a burst of edits
//!   costs one check. Besides what `mesosc check` reports, the per-setting
//!   model checks (unknown flags, bad flag values, unknown keys…) still run
//!   when resolution found errors elsewhere in the file.
//! - **Hover** explains flags from the flag tables and shows where a
//!   setting's effective value comes from, layer by layer.
//! - **Completion** offers item keywords, block keys, flag names, enum
//!   words and declared names; it works on half-typed text.
//! - **Definition** jumps to templates, `let`/`for` bindings, hosts,
//!   services, environments and imported files.
//! - **Rename** and **references** cover templates, `let`s, `for`
//!   variables, hosts, services and environments across the check's files
//!   (the `names` module); **document symbols** outline a file and
//!   **workspace symbols** search every open check's declarations.
//! - **Code actions** apply the fixes a diagnostic carries in its `data`
//!   (`crate::fix`: a single-candidate "did you mean").
//! - **Semantic tokens**, **folding ranges** and **inlay hints** (derived
//!   values: `quorum = auto`, `myid`, the `zk://` URLs).
//! - A file with no `cluster` block that a file of the workspace folders
//!   imports is checked as a library, without `missing_cluster`.
//!
//! `initializationOptions` may hold `{ "env": "NAME" }`, the environment
//! overlay to check with (as `mesosc check --env NAME`).

mod completion;
mod context;
mod convert;
mod definition;
mod diagnostics;
mod format;
mod handlers;
mod hover;
mod inlay;
mod keys;
mod names;
mod outline;
mod requests;
mod scan;
mod state;
mod tokens;
mod transport;
mod words;
mod workspace;

use std::error::Error;

use lsp_server::{Connection, ErrorCode, Message, Request, Response};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, FoldingRangeProviderCapability,
    HoverProviderCapability, OneOf, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use serde_json::json;

use crate::compile::Options;
use handlers::{Flow, Server};

/// The error type of the server's entry points.
pub type LspError = Box<dyn Error + Send + Sync>;

/// Serves the language server on stdin/stdout until the client says `exit`.
/// Messages that are not JSON-RPC get error responses; they never end the
/// server (see the `transport` module).
///
/// Returns an error when the connection fails, or when the client exits
/// without `shutdown` first (the protocol's exit code 1).
pub fn run_stdio() -> Result<(), LspError> {
    let (connection, threads) = transport::stdio()?;
    let result = run(connection);
    threads.finish()?;
    result
}

/// Serves the language server on `connection`: the `initialize` handshake,
/// then every request and notification until `exit`.
pub fn run(connection: Connection) -> Result<(), LspError> {
    let (options, workspace) = handshake(&connection)?;
    if let Some(watch) = workspace.watch_request() {
        connection.sender.send(watch.into())?;
    }
    let mut server = Server::new(options);
    *server.state.workspace_mut() = workspace;
    loop {
        let message = if server.is_dirty() {
            match connection.receiver.try_recv() {
                Ok(m) => m,
                Err(e) if e.is_empty() => {
                    send(&connection, server.flush())?;
                    continue;
                }
                Err(_) => return disconnected(&server),
            }
        } else {
            match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return disconnected(&server),
            }
        };
        let (flow, out) = server.handle(message);
        send(&connection, out)?;
        if flow == Flow::Exit {
            return server.exit_status();
        }
    }
}

fn send(connection: &Connection, messages: Vec<Message>) -> Result<(), LspError> {
    for m in messages {
        connection.sender.send(m)?;
    }
    Ok(())
}

fn disconnected(server: &Server) -> Result<(), LspError> {
    server.exit_status()?;
    Ok(())
}

/// What the server can do.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["[".into(), ",".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        document_formatting_provider: format::AVAILABLE.then_some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(tokens::options().into()),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Waits for `initialize`, answers it, and reads the options. Requests
/// before it are refused; `exit` before it ends the server.
fn handshake(connection: &Connection) -> Result<(Options, workspace::Workspace), LspError> {
    loop {
        let request = match connection.receiver.recv()? {
            Message::Request(r) if r.method == "initialize" => r,
            Message::Request(r) => {
                let error = Response::new_err(
                    r.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".into(),
                );
                connection.sender.send(error.into())?;
                continue;
            }
            Message::Notification(n) if n.method == "exit" => {
                return Err("exit before initialize".into());
            }
            _ => continue,
        };
        let options = initialization_options(&request);
        let result = json!({
            "capabilities": capabilities(),
            "serverInfo": { "name": "mesosc", "version": env!("CARGO_PKG_VERSION") },
        });
        connection
            .sender
            .send(Response::new_ok(request.id, result).into())?;
        return Ok((
            options,
            workspace::Workspace::from_initialize(&request.params),
        ));
    }
}

/// `initializationOptions.env`, leniently: anything else is ignored.
fn initialization_options(request: &Request) -> Options {
    let env = request
        .params
        .get("initializationOptions")
        .and_then(|o| o.get("env"))
        .and_then(|e| e.as_str())
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    Options {
        env,
        ..Options::default()
    }
}
