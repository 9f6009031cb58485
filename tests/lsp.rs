//! The language server end to end: a client speaking JSON-RPC to
//! `mesosc::lsp::run` over an in-memory connection, every wait bounded.

#[path = "support/lsp_client.rs"]
#[allow(dead_code)]
mod lsp_client;

use lsp_client::{Client, TIMEOUT, join, pos, range, range_of, uri};
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const MAIN: &str = r#"# A café cluster: the é makes UTF-16 columns differ from bytes.
cluster "café" { mesos = "1.11.0" }

template worker {
  roles = [follower]
  follower { port = 5052 }
}

host "m1" {
  address = "10.0.0.1"
  roles   = [zookeeper, leader, marathon]
  leader {
    flags {
      offer_timeout = 30secs
      workdir = "/var/lib/x"
    }
  }
}

host "a1" uses worker {
  address = "10.0.0.2"
  follower { port = 5053 }
}

marathon { port = 8081 port = 8082 }
"#;

#[test]
fn a_whole_editing_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main_uri = uri(&dir.path().join("main.mcl"));
    let mut c = Client::start();

    // Two errors: an unknown flag and a duplicate key, with exact ranges.
    c.open(&main_uri, MAIN);
    let diags = c.diagnostics(&main_uri);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(diags.len(), 2, "{diags:#?}");
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "mcl::check::unknown_flag")
        .unwrap_or_else(|| panic!("{codes:?}"));
    assert_eq!(unknown["range"], range_of(MAIN, "workdir"));
    assert_eq!(unknown["severity"], 1);
    assert!(
        unknown["message"]
            .as_str()
            .expect("message")
            .contains("work_dir")
    );
    let dup = diags
        .iter()
        .find(|d| d["code"] == "mcl::check::duplicate_key")
        .unwrap_or_else(|| panic!("{codes:?}"));
    assert_eq!(
        dup["range"],
        range(MAIN, "port = 8082", 0, 4),
        "the second `port`"
    );
    let related = &dup["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], main_uri);
    assert_eq!(
        related["location"]["range"],
        range(MAIN, "port = 8081", 0, 4)
    );
    assert_eq!(related["message"], "first set here");
    assert!(
        dup["message"]
            .as_str()
            .expect("m")
            .ends_with("\nhelp: remove one of them")
    );

    // Fix the duplicate: one error left.
    let fixed = MAIN.replace("port = 8081 port = 8082", "port = 8081");
    c.change(&main_uri, 2, &fixed);
    let p = c.notification("textDocument/publishDiagnostics", |p| p["uri"] == main_uri);
    assert_eq!(p["version"], 2);
    let diags = p["diagnostics"].as_array().cloned().unwrap_or_default();
    let errors: Vec<&Value> = diags.iter().filter(|d| d["severity"] == 1).collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    assert_eq!(errors[0]["code"], "mcl::check::unknown_flag");
    // With resolution clean, the model's own checks run too (a warning here).
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "mcl::check::single_leader")
    );

    let doc = json!({ "uri": main_uri });
    // Hover on a flag: its type, default and first version.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": pos(&fixed, "offer_timeout", 3) }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("mesos-master flag"), "{text}");
    assert!(text.contains("type: `duration`"), "{text}");
    assert!(text.contains("default: none"), "{text}");
    assert!(text.contains("since: Mesos 0.21.0"), "{text}");
    assert!(text.contains("= `30secs`"), "{text}");
    assert_eq!(hover["range"], range_of(&fixed, "offer_timeout"));

    // Hover on an overridden setting: both layers named.
    let at = pos(&fixed, "port = 5053", 1);
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": at }),
    );
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("host `a1`"), "{text}");
    assert!(text.contains("= `5053`"), "{text}");
    assert!(text.contains("main.mcl:6 (template `worker`)"), "{text}");
    assert!(
        text.contains("overridden by host block at main.mcl:22"),
        "{text}"
    );

    // Completion inside `flags { }` of `leader`.
    let inside = fixed.replace("      workdir = \"/var/lib/x\"\n", "      off\n");
    c.change(&main_uri, 3, &inside);
    let items = c.request(
        "textDocument/completion",
        json!({ "textDocument": doc, "position": pos(&inside, "      off\n", 9) }),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"offer_timeout"), "{labels:?}");
    assert!(labels.contains(&"logging_level"), "{labels:?}");
    assert!(!labels.contains(&"workdir"), "not a flag");
    assert!(
        !labels.contains(&"work_dir"),
        "derived: the `work_dir` setting instead"
    );
    assert!(!labels.contains(&"port"), "derived");
    let item = items
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["label"] == "offer_timeout")
        .expect("offer_timeout");
    assert_eq!(
        item["textEdit"]["range"],
        range(&inside, "      off\n", 6, 9)
    );

    // Definition of the template after `uses`.
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": doc, "position": pos(&inside, "uses worker", 7) }),
    );
    assert_eq!(def["uri"], main_uri);
    assert_eq!(def["range"], range(&inside, "worker {", 0, 6));

    // Formatting: the edits turn the buffer into `mesosc fmt`'s output.
    let messy = inside.replace("address = \"10.0.0.2\"", "address    =   \"10.0.0.2\"");
    c.change(&main_uri, 4, &messy.replace("      off\n", ""));
    let messy = messy.replace("      off\n", "");
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 8, "insertSpaces": false } }),
    );
    let edits = edits.as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{edits:#?}");
    let formatted = apply_edit(&messy, &edits[0]);
    assert_eq!(formatted, mesosc::fmt::format(&messy).expect("formats"));
    assert!(formatted.contains("address = \"10.0.0.2\""));
    c.change(&main_uri, 5, &formatted);
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits, json!([]), "formatted already");
    c.change(&main_uri, 6, "host {");
    let err = c
        .call(
            "textDocument/formatting",
            json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
        .expect_err("syntax errors");
    assert!(
        err["message"]
            .as_str()
            .expect("m")
            .contains("syntax errors"),
        "{err}"
    );

    c.stop().expect("clean exit");
}

/// Applies one LSP text edit (positions in UTF-16) to `text`.
fn apply_edit(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let (line, character) = (
            p["line"].as_u64().expect("line") as usize,
            p["character"].as_u64().expect("ch") as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = &text[start..];
        let mut units = 0;
        for (i, ch) in rest.char_indices() {
            if units >= character || ch == '\n' {
                return start + i;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let (start, end) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..start],
        edit["newText"].as_str().expect("text"),
        &text[end..]
    )
}

const COMMON: &str = r#"# Shared by every cluster.
let base = 10

template worker {
  roles = [follower]
  follower { flags { workdir = "/x" } }
}
"#;

const IMPORTER: &str = r#"cluster "c" { mesos = "1.11.0" }
import "common.mcl"

host "m1" {
  address = "10.0.0.${base}"
  roles   = [zookeeper, leader, marathon]
}

host "a1" uses worker { address = "10.0.0.2" }
"#;

#[test]
fn imported_files_get_their_own_diagnostics() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("common.mcl"), COMMON).expect("write");
    let main_uri = uri(&dir.path().join("main.mcl"));
    let common_uri = uri(&dir.path().join("common.mcl"));
    let mut c = Client::start();

    // The error in the imported file (read from disk) goes to its URI.
    c.open(&main_uri, IMPORTER);
    let common = c.diagnostics(&common_uri);
    assert_eq!(common.len(), 1, "{common:#?}");
    assert_eq!(common[0]["code"], "mcl::check::unknown_flag");
    assert_eq!(common[0]["range"], range_of(COMMON, "workdir"));
    let main = c.diagnostics(&main_uri);
    assert!(main.iter().all(|d| d["severity"] != 1), "{main:#?}");

    // Opening the import and fixing it re-checks the main file: the
    // open buffer shadows the disk, and the diagnostics are cleared.
    let fixed = COMMON.replace("workdir", "work_dir_not");
    c.open(&common_uri, COMMON);
    c.change(&common_uri, 2, &fixed);
    // The open may publish the old diagnostics once more before the
    // change is checked: wait for the ones of version 2.
    let p = c.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == common_uri && p["version"] == 2
    });
    let common = p["diagnostics"].as_array().cloned().unwrap_or_default();
    c.pending.clear();
    assert_eq!(common.len(), 1, "{common:#?}");
    assert!(
        common[0]["message"]
            .as_str()
            .expect("m")
            .contains("work_dir_not")
    );
    c.change(
        &common_uri,
        3,
        &COMMON.replace("workdir = \"/x\"", "gc_delay = 1weeks"),
    );
    assert_eq!(c.diagnostics(&common_uri), Vec::<Value>::new());

    // Hover in the library uses the importer's check.
    let doc = json!({ "uri": common_uri });
    let text = COMMON.replace("workdir = \"/x\"", "gc_delay = 1weeks");
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": pos(&text, "gc_delay", 1) }),
    );
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert!(md.contains("mesos-agent flag"), "{md}");
    assert!(md.contains("template `worker`"), "{md}");

    // Definitions across files: a template, a `let`, the import itself.
    let main_doc = json!({ "uri": main_uri });
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": main_doc, "position": pos(IMPORTER, "uses worker", 6) }),
    );
    assert_eq!(def["uri"], common_uri);
    assert_eq!(def["range"], range(&text, "worker {", 0, 6));
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": main_doc, "position": pos(IMPORTER, "base}", 2) }),
    );
    assert_eq!(def["uri"], common_uri);
    assert_eq!(def["range"], range(&text, "base = 10", 0, 4));
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": main_doc, "position": pos(IMPORTER, "common.mcl", 2) }),
    );
    assert_eq!(def["uri"], common_uri);

    // Closing the buffer falls back to the disk, where the error still is.
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": common_uri } }),
    );
    let common = c.diagnostics(&common_uri);
    assert_eq!(common.len(), 1, "{common:#?}");
    assert!(
        common[0]["message"]
            .as_str()
            .expect("m")
            .contains("`workdir`")
    );
    c.stop().expect("clean exit");
}

#[test]
fn no_input_crashes_the_server() {
    let mut c = Client::spawn();
    // Before `initialize`: refused.
    let err = c
        .call("textDocument/hover", json!({}))
        .expect_err("not initialized");
    assert_eq!(err["code"], -32002);
    c.request(
        "initialize",
        json!({ "capabilities": {}, "initializationOptions": { "env": 3 } }),
    );
    c.notify("initialized", json!({}));

    let doc_uri = "untitled:Untitled-1";
    let text =
        "cluster \"x\" { mesos = \"1.11.0\" }\nhost \"😀\" { address = \"10.0.0.1\" roles = [lead";
    c.open(doc_uri, text);
    assert!(!c.diagnostics(doc_uri).is_empty());
    let doc = json!({ "uri": doc_uri });

    let err = c
        .call("textDocument/hover", json!({ "textDocument": 5 }))
        .expect_err("malformed");
    assert_eq!(err["code"], -32602);
    let err = c.call("textDocument/hover", json!({ "textDocument": { "uri": "file:///nope.mcl" }, "position": { "line": 0, "character": 0 } })).expect_err("unknown document");
    assert_eq!(err["code"], -32602);
    let err = c
        .call("textDocument/signatureHelp", json!({}))
        .expect_err("unsupported");
    assert_eq!(err["code"], -32601);
    c.notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///nope.mcl", "version": 2 }, "contentChanges": [] }));
    let log = c.notification("window/logMessage", |_| true);
    assert!(log["message"].as_str().expect("m").contains("not open"));
    c.notify("textDocument/didOpen", json!({ "textDocument": "garbage" }));
    c.notification("window/logMessage", |_| true);

    // Every request at every position (and some past the end, and inside
    // the emoji's surrogate pair) answers without an error.
    let mut positions = Vec::new();
    for (line, l) in text.split('\n').enumerate() {
        for character in 0..=l.encode_utf16().count() + 2 {
            positions.push((line, character));
        }
    }
    positions.extend([(99, 0), (0, 99_999), (u32::MAX as usize, u32::MAX as usize)]);
    for (line, character) in positions {
        let at =
            json!({ "textDocument": doc, "position": { "line": line, "character": character } });
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
        ] {
            if let Err(e) = c.call(method, at.clone()) {
                panic!("{method} at {line}:{character}: {e}");
            }
        }
    }
    // A ranged change in the middle of a surrogate pair is clamped, not a crash.
    c.notify("textDocument/didChange", json!({
        "textDocument": { "uri": doc_uri, "version": 2 },
        "contentChanges": [{ "range": { "start": { "line": 1, "character": 7 }, "end": { "line": 7, "character": 0 } }, "text": "x" }],
    }));
    c.diagnostics(doc_uri);

    // `exit` without `shutdown` is an error exit.
    c.notify("exit", Value::Null);
    let verdict = join(c.server.take().expect("thread"));
    assert!(verdict.is_err());
}

/// A flat cluster of 1,000 hosts, each written out: 5 control hosts and
/// 995 followers.
fn thousand_hosts(port: u16) -> String {
    let mut text = String::from("cluster \"big\" { mesos = \"1.11.0\" }\n\n");
    for i in 1..=5 {
        text.push_str(&format!(
            "host \"control-{i}\" {{\n  address = \"10.0.0.{i}\"\n  roles   = [zookeeper, leader, marathon]\n}}\n\n"
        ));
    }
    for i in 0..995 {
        text.push_str(&format!(
            "host \"agent-{i}\" {{\n  address = \"10.1.{}.{}\"\n  roles   = [follower]\n  follower {{\n    port = {port}\n    attributes {{ rack = \"r{}\" }}\n    flags {{ gc_delay = 2weeks }}\n  }}\n}}\n\n",
            i / 250,
            i % 250 + 1,
            i % 10
        ));
    }
    text + "leader { quorum = auto  flags { offer_timeout = 30secs } }\n"
}

/// Not a timed assertion: prints the time from `didChange` to the
/// matching `publishDiagnostics` for a 1,000-host file. Run with
/// `cargo test --release --test lsp -- --ignored --nocapture`.
#[test]
#[ignore]
fn republish_latency_for_1000_hosts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main_uri = uri(&dir.path().join("big.mcl"));
    let mut c = Client::start();
    let text = thousand_hosts(5051);
    let started = Instant::now();
    c.open(&main_uri, &text);
    let first = c.diagnostics(&main_uri);
    eprintln!(
        "1,000 hosts ({} bytes): open → diagnostics in {:?} ({} diagnostics)",
        text.len(),
        started.elapsed(),
        first.len()
    );
    let mut times = Vec::new();
    for version in 2..12 {
        let text = thousand_hosts(5051 + (version % 2) as u16 * 10);
        let started = Instant::now();
        c.change(&main_uri, version, &text);
        let p = c.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == main_uri && p["version"] == version
        });
        times.push(started.elapsed());
        assert!(p["diagnostics"].is_array());
    }
    times.sort();
    eprintln!(
        "didChange → publishDiagnostics: min {:?}, median {:?}, max {:?} over {} edits",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
    c.stop().expect("clean exit");
}

const OVERLAY: &str = r#"cluster "c" { mesos = "1.11.0" }
host "m1" { address = "10.0.0.1"  roles = [zookeeper, leader, marathon] }
leader { flags { logging_level = "WARNING" } }
environment "debug" {
  leader { flags { logging_level = "INFO" } }
}
"#;

#[test]
fn hover_names_the_environment_that_overrides() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main_uri = uri(&dir.path().join("main.mcl"));
    let mut c = Client::start_with(json!({ "env": "debug" }));
    c.open(&main_uri, OVERLAY);
    c.diagnostics(&main_uri);
    let doc = json!({ "uri": main_uri });
    let hover = |c: &mut Client, line: &str| {
        let at = pos(OVERLAY, line, line.find("logging_level").expect("key") + 1);
        let h = c.request(
            "textDocument/hover",
            json!({ "textDocument": doc, "position": at }),
        );
        h["contents"]["value"]
            .as_str()
            .expect("markdown")
            .to_string()
    };
    let base = hover(&mut c, "leader { flags { logging_level = \"WARNING\"");
    assert!(base.contains("= `\"INFO\"`"), "{base}");
    assert!(
        base.contains("set in main.mcl:3 (cluster-wide block), overridden by environment `debug` at main.mcl:5"),
        "{base}"
    );
    assert!(base.contains("_this entry is overridden_"), "{base}");
    let overlay = hover(&mut c, "  leader { flags { logging_level = \"INFO\"");
    assert!(
        overlay.contains("overridden by environment `debug`"),
        "{overlay}"
    );
    assert!(!overlay.contains("_this entry is overridden_"), "{overlay}");
    c.stop().expect("clean exit");
}

/// The real binary over stdio, once `mesosc lsp` exists: until the CLI
/// wires the subcommand this test notes that and passes.
#[test]
fn over_real_stdio_when_the_cli_has_lsp() {
    use std::io::BufReader;
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn mesosc");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Ok(Some(msg)) = Message::read(&mut reader) {
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
    let send = |stdin: &mut std::process::ChildStdin, m: Message| {
        // A binary without `lsp` may have exited already: ignore write errors.
        let _ = m.write(stdin);
    };
    let init = Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({ "capabilities": {} }),
    );
    send(&mut stdin, init.into());
    let Ok(Message::Response(r)) = rx.recv_timeout(TIMEOUT) else {
        let status = child.wait().expect("wait");
        assert!(
            !status.success(),
            "mesosc lsp exited cleanly without answering"
        );
        eprintln!("skipped: this mesosc has no `lsp` subcommand yet");
        return;
    };
    assert!(r.response_result.is_ok());
    send(
        &mut stdin,
        Notification::new("initialized".into(), json!({})).into(),
    );
    let doc = json!({ "uri": "file:///stdio/x.mcl", "languageId": "mcl", "version": 1, "text": "host {" });
    send(
        &mut stdin,
        Notification::new(
            "textDocument/didOpen".into(),
            json!({ "textDocument": doc }),
        )
        .into(),
    );
    let deadline = Instant::now() + TIMEOUT;
    loop {
        assert!(Instant::now() < deadline, "no diagnostics over stdio");
        match rx.recv_timeout(TIMEOUT).expect("a message") {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                assert!(!n.params["diagnostics"].as_array().expect("list").is_empty());
                break;
            }
            _ => {}
        }
    }
    send(
        &mut stdin,
        Request::new(RequestId::from(2), "shutdown".into(), Value::Null).into(),
    );
    assert!(matches!(rx.recv_timeout(TIMEOUT), Ok(Message::Response(_))));
    send(
        &mut stdin,
        Notification::new("exit".into(), Value::Null).into(),
    );
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "mesosc lsp did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "exit after shutdown is a clean exit");
}

#[test]
fn imports_of_devices_do_not_hang_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main_uri = uri(&dir.path().join("main.mcl"));
    let mut c = Client::start();
    c.open(
        &main_uri,
        "import \"/dev/zero\"\ncluster \"c\" { mesos = \"1.11.0\" }\n",
    );
    let diags = c.diagnostics(&main_uri);
    let failed = diags
        .iter()
        .find(|d| d["code"] == "mcl::check::import_failed");
    let message = failed
        .and_then(|d| d["message"].as_str())
        .unwrap_or_default();
    assert!(message.contains("not a regular file"), "{diags:#?}");
    c.stop().expect("clean exit");
}

/// Hover never shows a secret (issue 23): not an `env()` value, not the value
/// of a secret-valued setting, literal or not.
#[test]
fn hover_shows_no_secret() {
    let secret = std::env::var("PATH").expect("PATH is set");
    assert!(!secret.is_empty());
    let text = concat!(
        "cluster \"c\" { mesos = \"1.11.0\" }\n",
        "host \"a\" {\n  address = 10.0.0.1\n  roles = [zookeeper, leader, follower, marathon]\n}\n",
        "auth {\n  followers = true\n  follower_principal = \"agent\"\n  follower_secret = env(\"PATH\")\n}\n",
        "marathon { flags { http_credentials = \"user:hunter2\" } }\n",
        "marathon { flags { metrics_datadog_api_key = \"dd0123456789abcdef\" } }\n",
        "leader { flags { logging_level = env(\"PATH\") } }\n",
        "let p = env(\"PATH\")\n",
        "follower { flags { work_dir = \"${p}/x\" } }\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let main_uri = uri(&dir.path().join("main.mcl"));
    let mut c = Client::start();
    c.open(&main_uri, text);
    c.diagnostics(&main_uri);
    for key in [
        "follower_secret",
        "http_credentials",
        "metrics_datadog_api_key",
        "logging_level",
        "work_dir",
    ] {
        let h = c.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": main_uri }, "position": pos(text, key, 1) }),
        );
        let md = h["contents"]["value"].as_str().unwrap_or_default();
        assert!(md.contains("(hidden: "), "{key}: {md}");
        for shown in [secret.as_str(), "hunter2", "dd0123456789abcdef"] {
            assert!(!md.contains(shown), "{key} shows a secret: {md}");
        }
    }
    c.stop().expect("clean exit");
}
