//! JSON-RPC over stdin/stdout, framed with `Content-Length` headers.
//!
//! `lsp_server::Connection::stdio` ends the connection on the first message
//! that is not valid JSON, and believes any `Content-Length` (allocating
//! it). This transport survives both: a body that is not JSON gets a
//! `ParseError` response (id `null`), a JSON value that is not a JSON-RPC
//! message gets `InvalidRequest` when it has an id, a body larger than
//! [`MAX_MESSAGE`] is skipped without being held in memory, and a broken
//! header is skipped up to the next blank line. The server itself sees an
//! ordinary [`Connection`].
//!
//! A wrong `Content-Length` does not put the stream out of step for good:
//! with one too small, the rest of the body runs into the next header line,
//! so a header line is read from its last `Content-Length:`; with one too
//! large, the body swallows the next message, so a body that is not JSON is
//! searched for a `Content-Length:` header and read again from there. Each
//! broken message gets its `ParseError` answer; the next whole one is
//! served.

use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

use lsp_server::{Connection, Message};
use serde_json::{Value, json};

/// The largest message body read (64 MiB): MCL sources are at most 16 MiB.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// The transport's threads.
pub struct Threads {
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits until everything the server sent is written. The reader is not
    /// waited for: it may be blocked on an stdin the client keeps open.
    pub fn finish(self) -> io::Result<()> {
        self.writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread failed")))
    }
}

/// A connection over stdin/stdout, and its threads.
pub fn stdio() -> io::Result<(Connection, Threads)> {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    let writer = thread::Builder::new()
        .name("mesosc-lsp-writer".into())
        .spawn(move || {
            for message in receiver {
                message.write(&mut io::stdout().lock())?;
            }
            Ok(())
        })?;
    thread::Builder::new()
        .name("mesosc-lsp-reader".into())
        .spawn(move || {
            read_loop(
                &mut io::stdin().lock(),
                &mut |m| sender.send(m).is_ok(),
                &mut |v| write_raw(&mut io::stdout().lock(), &v),
            )
        })?;
    Ok((server, Threads { writer }))
}

/// Reads messages until end of input, `exit`, or a closed server; answers
/// what cannot be delivered with `reply`.
pub fn read_loop(
    input: &mut dyn BufRead,
    deliver: &mut dyn FnMut(Message) -> bool,
    reply: &mut dyn FnMut(Value),
) {
    // Bytes to read again before the input: the tail of a body that held
    // the start of the next message.
    let mut again: Vec<u8> = Vec::new();
    loop {
        let mut stream = again.as_slice().chain(&mut *input);
        let frame = read_frame(&mut stream);
        again = stream.into_inner().0.to_vec();
        let body = match frame {
            Ok(Frame::Body(body)) => body,
            Ok(Frame::End) | Err(_) => return,
            Ok(Frame::Skipped(why)) => {
                reply(error_response(Value::Null, -32700, &why));
                continue;
            }
        };
        let parsed = parse(&body);
        if parsed.is_err()
            && let Some(at) = headers_in(&body).next()
        {
            reply(error_response(
                Value::Null,
                -32700,
                "a message whose Content-Length does not match its body",
            ));
            let mut next = body[at..].to_vec();
            next.append(&mut again);
            again = next;
            continue;
        }
        match parsed {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if !deliver(message) || exit {
                    return;
                }
            }
            Err(Some(response)) => reply(response),
            Err(None) => {}
        }
    }
}

enum Frame {
    Body(Vec<u8>),
    Skipped(String),
    End,
}

/// Reads one framed body. `Skipped` when the frame was unusable but the
/// stream is still in step.
fn read_frame(input: &mut dyn BufRead) -> io::Result<Frame> {
    let Some(header) = read_header(input)? else {
        return Ok(Frame::End);
    };
    match header {
        Err(why) => Ok(Frame::Skipped(why)),
        Ok(n) if n > MAX_MESSAGE => {
            io::copy(&mut Read::take(&mut *input, n as u64), &mut io::sink())?;
            Ok(Frame::Skipped(format!(
                "a message of {n} bytes is too large"
            )))
        }
        Ok(n) => {
            let mut body = vec![0; n];
            input.read_exact(&mut body)?;
            Ok(Frame::Body(body))
        }
    }
}

/// Reads header lines up to the blank line: the `Content-Length`, or what
/// is wrong with them; `None` at the end of the input.
fn read_header(input: &mut dyn BufRead) -> io::Result<Option<Result<usize, String>>> {
    let mut length = Err("a message without Content-Length".to_string());
    let mut bad = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if Read::take(&mut *input, 64 * 1024).read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let mut text = text.trim_end_matches(['\r', '\n']);
        // The rest of a body cut short by its Content-Length, then the next
        // header: start over at that header.
        if let Some(at) = headers_in(text.as_bytes()).last().filter(|&at| at > 0) {
            text = &text[at..];
            length = Err("a message without Content-Length".to_string());
            bad = None;
        }
        match text.split_once(':') {
            _ if text.is_empty() => return Ok(Some(bad.map_or(length, Err))),
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                let value = value.trim();
                length = value
                    .parse::<usize>()
                    .map_err(|_| format!("invalid Content-Length `{value}`"));
            }
            Some(_) => {}
            None => bad = Some(format!("malformed header `{text}`")),
        }
    }
}

/// Where each `Content-Length:` header name (any case) starts in `bytes`.
fn headers_in(bytes: &[u8]) -> impl DoubleEndedIterator<Item = usize> + '_ {
    const NAME: &[u8] = b"content-length:";
    (0..bytes.len().saturating_sub(NAME.len() - 1))
        .filter(|&i| bytes[i..i + NAME.len()].eq_ignore_ascii_case(NAME))
}

/// A message, or the error response to send instead (`None`: nothing to
/// answer, e.g. a malformed notification).
fn parse(body: &[u8]) -> Result<Message, Option<Value>> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Err(Some(error_response(Value::Null, -32700, &e.to_string()))),
    };
    match serde_json::from_value::<Message>(value.clone()) {
        Ok(m) => Ok(m),
        Err(e) => {
            let id = value
                .get("id")
                .filter(|id| id.is_number() || id.is_string());
            let reason = format!("not a JSON-RPC message: {e}");
            Err(id.map(|id| error_response(id.clone(), -32600, &reason)))
        }
    }
}

fn error_response(id: Value, code: i32, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// Writes one framed JSON value (errors are dropped: the client is gone).
fn write_raw(out: &mut dyn Write, value: &Value) {
    let body = value.to_string();
    let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> (Vec<Message>, Vec<Value>) {
        let (mut delivered, mut replies) = (Vec::new(), Vec::new());
        read_loop(
            &mut input.as_bytes(),
            &mut |m| {
                delivered.push(m);
                true
            },
            &mut |v| replies.push(v),
        );
        (delivered, replies)
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_get_answers_and_the_stream_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"id": 7, "method": 5}"#),
            frame(r#"{"method": 5}"#),
            "Garbage header\r\n\r\n".into(),
            "Content-Length: lots\r\n\r\n".into(),
            frame(r#"{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}"#),
            frame(r#"{"jsonrpc": "2.0", "method": "exit"}"#),
            frame(r#"{"jsonrpc": "2.0", "method": "never read"}"#),
        ]
        .concat();
        let (delivered, replies) = frames(&input);
        assert_eq!(delivered.len(), 2, "{delivered:?}");
        let codes: Vec<&Value> = replies.iter().map(|r| &r["error"]["code"]).collect();
        assert_eq!(codes, [-32700, -32600, -32700, -32700]);
        assert_eq!(replies[1]["id"], 7);
        assert!(replies[0]["id"].is_null());
    }

    #[test]
    fn a_wrong_content_length_does_not_desynchronise_the_stream() {
        let hover = r#"{"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover"}"#;
        let shutdown = r#"{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}"#;
        let exit = frame(r#"{"jsonrpc": "2.0", "method": "exit"}"#);
        // Too small: the body's tail runs into the next header.
        let short = format!("Content-Length: 10\r\n\r\n{hover}");
        let (delivered, replies) = frames(&[short, frame(shutdown), exit.clone()].concat());
        assert_eq!(delivered.len(), 2, "{delivered:?}");
        assert!(matches!(&delivered[0], Message::Request(r) if r.method == "shutdown"));
        assert_eq!(replies.len(), 1, "{replies:?}");
        // Too large: the body swallows the next message, which is read again.
        let long = format!("Content-Length: {}\r\n\r\n{hover}", hover.len() + 20);
        let (delivered, replies) = frames(&[long, frame(shutdown), exit].concat());
        assert_eq!(delivered.len(), 2, "{delivered:?}");
        assert!(matches!(&delivered[0], Message::Request(r) if r.method == "shutdown"));
        assert_eq!(replies[0]["error"]["code"], -32700);
    }

    #[test]
    fn huge_messages_are_skipped_unread() {
        let input = format!("Content-Length: {}\r\n\r\n{{}}", usize::MAX);
        let (delivered, replies) = frames(&input);
        assert!(delivered.is_empty());
        assert_eq!(replies[0]["error"]["code"], -32700);
    }
}
