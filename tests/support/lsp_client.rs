//! An LSP client for the tests (`tests/lsp.rs`, `tests/lsp_features.rs`):
//! JSON-RPC to `mesosc::lsp::run` over an in-memory connection, every wait
//! bounded.

use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Client {
    pub conn: Connection,
    pub server: Option<JoinHandle<Result<(), String>>>,
    next_id: i32,
    /// Notifications received while waiting for a response.
    pub pending: Vec<Notification>,
    /// Requests the server sent (`client/registerCapability`).
    pub requests: Vec<Request>,
}

impl Client {
    pub fn start() -> Client {
        Client::start_with(json!(null))
    }

    /// A server on its own thread, not initialized yet.
    pub fn spawn() -> Client {
        let (server, conn) = Connection::memory();
        let handle =
            std::thread::spawn(move || mesosc::lsp::run(server).map_err(|e| e.to_string()));
        Client {
            conn,
            server: Some(handle),
            next_id: 0,
            pending: Vec::new(),
            requests: Vec::new(),
        }
    }

    /// A server initialized with these `initialize` parameters (then
    /// `initialized`), and its answer.
    pub fn connect(params: Value) -> (Client, Value) {
        let mut client = Client::spawn();
        let result = client.request("initialize", params);
        client.notify("initialized", json!({}));
        (client, result)
    }

    /// Starts a server with these `initializationOptions`.
    pub fn start_with(options: Value) -> Client {
        let (client, result) =
            Client::connect(json!({ "capabilities": {}, "initializationOptions": options }));
        assert_eq!(result["serverInfo"]["name"], "mesosc");
        let caps = &result["capabilities"];
        assert_eq!(caps["hoverProvider"], true);
        assert_eq!(caps["definitionProvider"], true);
        assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync");
        assert_eq!(caps["documentFormattingProvider"], true);
        client
    }

    pub fn recv(&self) -> Message {
        match self.conn.receiver.recv_timeout(TIMEOUT) {
            Ok(m) => m,
            Err(e) => panic!("no message from the server within {TIMEOUT:?}: {e}"),
        }
    }

    /// Sends a request and returns its response: `Ok(result)` or `Err(error)`.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let req = Request::new(id.clone(), method.into(), params);
        self.conn.sender.send(req.into()).expect("server alive");
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            match self.recv() {
                Message::Response(r) if r.id == id => {
                    return r
                        .response_result
                        .map_err(|e| serde_json::to_value(e).expect("json"));
                }
                Message::Notification(n) => self.pending.push(n),
                Message::Request(r) => self.requests.push(r),
                Message::Response(_) => {}
            }
        }
        panic!("no response to {method}");
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.call(method, params)
            .unwrap_or_else(|e| panic!("{method} failed: {e}"))
    }

    pub fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.into(), params);
        self.conn.sender.send(n.into()).expect("server alive");
    }

    /// The next notification of `method` (earlier ones of other methods are kept).
    pub fn notification(&mut self, method: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .pending
            .iter()
            .position(|n| n.method == method && pick(&n.params))
        {
            return self.pending.remove(i).params;
        }
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            match self.recv() {
                Message::Notification(n) if n.method == method && pick(&n.params) => {
                    return n.params;
                }
                Message::Notification(n) => self.pending.push(n),
                _ => {}
            }
        }
        panic!("no {method} notification");
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let p = self.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri);
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn open(&self, uri: &str, text: &str) {
        let doc = json!({ "uri": uri, "languageId": "mcl", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    }

    pub fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// `shutdown`, `exit`, and the server's own verdict.
    pub fn stop(mut self) -> Result<(), String> {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        let err = self
            .call("textDocument/hover", json!({}))
            .expect_err("shut down");
        assert_eq!(err["code"], -32600, "InvalidRequest after shutdown");
        self.notify("exit", Value::Null);
        join(self.server.take().expect("server thread"))
    }
}

pub fn join(handle: JoinHandle<Result<(), String>>) -> Result<(), String> {
    let deadline = Instant::now() + TIMEOUT;
    while !handle.is_finished() {
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
    handle.join().expect("server thread did not panic")
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Line and UTF-16 column of the first `needle` (plus `skip` characters).
pub fn pos(text: &str, needle: &str, skip: usize) -> Value {
    let at = text.find(needle).expect("needle") + skip;
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character = text[start..at].encode_utf16().count();
    json!({ "line": line, "character": character })
}

/// The range of characters `from..to` of the first `needle`.
pub fn range(text: &str, needle: &str, from: usize, to: usize) -> Value {
    json!({ "start": pos(text, needle, from), "end": pos(text, needle, to) })
}

pub fn range_of(text: &str, needle: &str) -> Value {
    range(text, needle, 0, needle.len())
}
