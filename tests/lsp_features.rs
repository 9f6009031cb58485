//! The language server's editing features, one protocol test per request:
//! rename and references across an import, document and workspace symbols,
//! code actions from a diagnostic's fix, semantic tokens, folding ranges,
//! inlay hints, hover on keywords, templates and `let`s, and a library
//! file checked as a library. An in-memory client, every wait bounded.

#[path = "support/lsp_client.rs"]
#[allow(dead_code)]
mod lsp_client;

use std::path::PathBuf;

use lsp_client::{Client, pos, uri};
use serde_json::{Value, json};

/// Starts a server, checking it offers every feature tested here.
fn start(init: Value) -> Client {
    let (client, result) = Client::connect(init);
    let caps = &result["capabilities"];
    for cap in [
        "renameProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "codeActionProvider",
        "foldingRangeProvider",
        "inlayHintProvider",
    ] {
        assert_eq!(caps[cap], true, "{cap}");
    }
    let legend = &caps["semanticTokensProvider"]["legend"]["tokenTypes"];
    assert!(
        legend
            .as_array()
            .is_some_and(|l| l.contains(&json!("keyword")))
    );
    client
}

/// The latest diagnostics published for `uri`, once a request made the
/// server run its pending checks.
fn latest_diagnostics(c: &mut Client, uri: &str) -> Vec<Value> {
    let _ = c.call("workspace/symbol", json!({ "query": "" }));
    c.pending
        .iter()
        .rev()
        .find(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
        .and_then(|n| n.params["diagnostics"].as_array().cloned())
        .unwrap_or_default()
}

fn at(uri: &str, text: &str, needle: &str, skip: usize) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos(text, needle, skip) })
}

/// A folder with `main.mcl` importing `lib.mcl`, both open.
struct Project {
    dir: PathBuf,
    main: String,
    lib: String,
}

const MAIN: &str = r#"cluster "c" {
  mesos   = "1.11.0"
  environment = "prod"
}

import "lib.mcl"

let base = 10

for n in 1..3 {
  host "m${n}" uses worker {
    address = "10.0.0.${base + n}"
    roles   = [zookeeper, leader, marathon]
  }
}

host "a1" uses worker {
  address = 10.0.1.1
  roles   = [follower]
}

leader {
  quorum = auto
}

zookeeper { client_port = 2181 }

environment "prod" {
  leader { port = 5050 }
}
"#;

const LIB: &str = r#"# shared
template worker {
  follower { resources { cpus = 8 } }
}

service "lsf" {
  on    = [follower]
  exec  = "/bin/true"
  environments = ["prod"]
}
"#;

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("mesosc-lspf-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("main.mcl"), MAIN).expect("main");
        std::fs::write(dir.join("lib.mcl"), LIB).expect("lib");
        Project {
            main: uri(&dir.join("main.mcl")),
            lib: uri(&dir.join("lib.mcl")),
            dir,
        }
    }

    fn client(&self) -> Client {
        let c = start(json!({ "capabilities": {}, "rootUri": uri(&self.dir) }));
        c.open(&self.main, MAIN);
        c.open(&self.lib, LIB);
        c
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_project_checks_clean() {
    let p = Project::new("clean");
    let mut c = p.client();
    let d = latest_diagnostics(&mut c, &p.main);
    let errors: Vec<&Value> = d.iter().filter(|d| d["severity"] == 1).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    c.stop().expect("clean exit");
}

#[test]
fn rename_a_template_edits_both_files() {
    let p = Project::new("rename");
    let mut c = p.client();
    let mut params = at(&p.main, MAIN, "uses worker", 6);
    params["newName"] = json!("big-worker");
    let edit = c.request("textDocument/rename", params);
    let changes = &edit["changes"];
    let main_edits = changes[&p.main].as_array().expect("main edits");
    let lib_edits = changes[&p.lib].as_array().expect("lib edits");
    assert_eq!(main_edits.len(), 2, "two `uses worker`: {main_edits:?}");
    assert_eq!(lib_edits.len(), 1, "the declaration");
    assert_eq!(lib_edits[0]["range"]["start"], pos(LIB, "worker", 0));
    assert!(main_edits.iter().all(|e| e["newText"] == "big-worker"));
    // Not a name MCL can write unquoted.
    let mut bad = at(&p.main, MAIN, "uses worker", 6);
    bad["newName"] = json!("two words");
    let err = c.call("textDocument/rename", bad).expect_err("refused");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("two words")),
        "{err}"
    );
    // Nothing to rename on a key.
    let err = c
        .call("textDocument/rename", {
            let mut q = at(&p.main, MAIN, "address", 1);
            q["newName"] = json!("x");
            q
        })
        .expect_err("nothing here");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("nothing to rename"))
    );
    c.stop().expect("clean exit");
}

#[test]
fn rename_an_environment_and_a_let() {
    let p = Project::new("rename-env");
    let mut c = p.client();
    let mut params = at(&p.main, MAIN, "environment \"prod\"", 13);
    params["newName"] = json!("production");
    let edit = c.request("textDocument/rename", params);
    let main = edit["changes"][&p.main].as_array().expect("main").len();
    let lib = edit["changes"][&p.lib].as_array().expect("lib").len();
    assert_eq!(
        (main, lib),
        (2, 1),
        "the overlay, the selection and the service's list"
    );

    let mut params = at(&p.main, MAIN, "base + n", 0);
    params["newName"] = json!("offset");
    let edit = c.request("textDocument/rename", params);
    assert_eq!(edit["changes"][&p.main].as_array().expect("main").len(), 2);
    c.stop().expect("clean exit");
}

#[test]
fn references_include_the_declaration_on_request() {
    let p = Project::new("refs");
    let mut c = p.client();
    let mut params = at(&p.lib, LIB, "worker", 0);
    params["context"] = json!({ "includeDeclaration": true });
    let all = c.request("textDocument/references", params.clone());
    assert_eq!(all.as_array().expect("list").len(), 3);
    params["context"] = json!({ "includeDeclaration": false });
    let uses = c.request("textDocument/references", params);
    let uses = uses.as_array().expect("list");
    assert_eq!(uses.len(), 2);
    assert!(uses.iter().all(|l| l["uri"] == p.main.as_str()));
    c.stop().expect("clean exit");
}

#[test]
fn document_symbols_outline_the_file() {
    let p = Project::new("symbols");
    let mut c = p.client();
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": p.main } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [
            "c",
            "lib.mcl",
            "base",
            "for n in 1..3",
            "a1",
            "leader",
            "zookeeper",
            "prod"
        ]
    );
    let host = &symbols[3]["children"][0];
    assert_eq!(host["name"], "m${n}");
    assert_eq!(host["children"][0]["name"], "address");
    c.stop().expect("clean exit");
}

#[test]
fn workspace_symbols_find_declarations_in_every_file() {
    let p = Project::new("wsym");
    let mut c = p.client();
    let found = c.request("workspace/symbol", json!({ "query": "WOR" }));
    let found = found.as_array().expect("list");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["name"], "worker");
    assert_eq!(found[0]["location"]["uri"], p.lib.as_str());
    let all = c.request("workspace/symbol", json!({ "query": "" }));
    let names: Vec<&str> = all
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    for name in ["worker", "lsf", "a1", "base", "prod"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    c.stop().expect("clean exit");
}

#[test]
fn a_did_you_mean_is_a_code_action() {
    let p = Project::new("actions");
    let mut c = p.client();
    let text = MAIN.replace(
        "quorum = auto",
        "quorum = auto\n  flags { webui_dri = \"/x\" }",
    );
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": p.main, "version": 2 }, "contentChanges": [{ "text": text }] }),
    );
    let d = latest_diagnostics(&mut c, &p.main);
    let unknown = d
        .iter()
        .find(|d| d["code"] == "mcl::check::unknown_flag")
        .unwrap_or_else(|| panic!("{d:#?}"));
    assert_eq!(unknown["data"]["fixes"][0]["newText"], "webui_dir");
    // The client sends no diagnostics: the server knows its own.
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": p.main },
            "range": { "start": pos(&text, "webui_dri", 2), "end": pos(&text, "webui_dri", 2) },
            "context": { "diagnostics": [] },
        }),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "Replace `webui_dri` with `webui_dir`");
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][&p.main][0];
    assert_eq!(edit["newText"], "webui_dir");
    assert_eq!(edit["range"]["start"], pos(&text, "webui_dri", 0));
    assert_eq!(edit["range"]["end"], pos(&text, "webui_dri", 9));
    // Elsewhere: nothing.
    let none = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": p.main },
            "range": { "start": pos(&text, "cluster", 0), "end": pos(&text, "cluster", 0) },
            "context": { "diagnostics": [] },
        }),
    );
    assert_eq!(none, json!([]));
    c.stop().expect("clean exit");
}

#[test]
fn semantic_tokens_cover_keywords_and_names() {
    let p = Project::new("tokens");
    let mut c = p.client();
    let tokens = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": p.lib } }),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|v| v.as_u64().expect("number"))
        .collect();
    assert_eq!(data.len() % 5, 0);
    // `# shared` (comment, type 3) then `template` (keyword, type 0) and
    // `worker` (type, 6) on the next line.
    assert_eq!(&data[..15], &[0, 0, 8, 3, 0, 1, 0, 8, 0, 0, 0, 9, 6, 6, 0]);
    c.stop().expect("clean exit");
}

#[test]
fn blocks_fold() {
    let p = Project::new("fold");
    let mut c = p.client();
    let folds = c.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": p.main } }),
    );
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .expect("list")
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().expect("s"),
                f["endLine"].as_u64().expect("e"),
            )
        })
        .collect();
    // Up to the line before the closing bracket, which stays visible.
    assert!(lines.contains(&(0, 2)), "the cluster block: {lines:?}");
    assert!(lines.contains(&(9, 13)), "the for loop: {lines:?}");
    assert!(lines.contains(&(10, 12)), "the host block: {lines:?}");
    assert!(
        !lines.iter().any(|(s, _)| *s == 25),
        "one-line blocks do not fold: {lines:?}"
    );
    c.stop().expect("clean exit");
}

#[test]
fn inlay_hints_show_derived_values() {
    let p = Project::new("inlay");
    let mut c = p.client();
    let _ = latest_diagnostics(&mut c, &p.main);
    let hints = c.request(
        "textDocument/inlayHint",
        json!({
            "textDocument": { "uri": p.main },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } },
        }),
    );
    let labels: Vec<(Value, &str)> = hints
        .as_array()
        .expect("list")
        .iter()
        .map(|h| (h["position"].clone(), h["label"].as_str().expect("label")))
        .collect();
    let at = |needle: &str, skip: usize| pos(MAIN, needle, skip);
    assert!(
        labels.contains(&(at("\"m${n}\"", 7), "myid 1, 2, 3")),
        "{labels:?}"
    );
    assert!(labels.contains(&(at("auto", 4), "= 2")), "{labels:?}");
    // Derived ports: the defaults and the ones mesosc picks, after `roles`.
    assert!(
        labels.contains(&(
            at("[zookeeper, leader, marathon]", 29),
            "ports 2181, 2888, 3888, 5050, 8080"
        )),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|(p, l)| *p == at("[follower]", 10) && l.starts_with("ports 5051")),
        "{labels:?}"
    );
    let zk = labels
        .iter()
        .find(|(p, _)| *p == at("zookeeper {", 9))
        .expect("zk url");
    assert_eq!(
        zk.1,
        "zk://10.0.0.11:2181,10.0.0.12:2181,10.0.0.13:2181/mesos"
    );
    c.stop().expect("clean exit");
}

#[test]
fn hover_explains_keywords_templates_and_lets() {
    let p = Project::new("hover");
    let mut c = p.client();
    let text = |v: Value| {
        v["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let uses = text(c.request("textDocument/hover", at(&p.main, MAIN, "uses", 1)));
    assert!(uses.contains("merges the templates"), "{uses}");
    let auto = text(c.request("textDocument/hover", at(&p.main, MAIN, "auto", 1)));
    assert!(auto.contains("majority"), "{auto}");
    let template = text(c.request("textDocument/hover", at(&p.main, MAIN, "uses worker", 6)));
    assert!(template.contains("template worker {"), "{template}");
    assert!(template.contains("used by 4 hosts"), "{template}");
    let base = text(c.request("textDocument/hover", at(&p.main, MAIN, "base + n", 1)));
    assert!(base.contains("let base = 10"), "{base}");
    // An MCL key: its row of the key schema (doc, placement, default).
    let quorum = text(c.request("textDocument/hover", at(&p.main, MAIN, "quorum", 1)));
    assert!(quorum.contains("**`quorum`** (leader block)"), "{quorum}");
    assert!(quorum.contains("- written: cluster-wide only"), "{quorum}");
    assert!(quorum.contains("- default: auto"), "{quorum}");
    let address = text(c.request("textDocument/hover", at(&p.main, MAIN, "address = 10", 1)));
    assert!(
        address.contains("**`address`** (host block): the host's address"),
        "{address}"
    );
    // A keyword inside a string is text.
    let none = c.request("textDocument/hover", at(&p.lib, LIB, "/bin/true", 2));
    assert_eq!(none, Value::Null);
    c.stop().expect("clean exit");
}

#[test]
fn an_imported_library_opened_alone_has_no_missing_cluster() {
    let p = Project::new("library");
    let mut c = start(json!({ "capabilities": {}, "rootUri": uri(&p.dir) }));
    c.open(&p.lib, LIB);
    let d = latest_diagnostics(&mut c, &p.lib);
    assert!(
        d.iter().all(|d| d["code"] != "mcl::check::missing_cluster"),
        "{d:#?}"
    );
    // Not imported by anything: the error stands.
    let alone = p.dir.join("alone.mcl");
    std::fs::write(&alone, LIB).expect("write");
    c.open(&uri(&alone), LIB);
    let d = latest_diagnostics(&mut c, &uri(&alone));
    assert!(
        d.iter().any(|d| d["code"] == "mcl::check::missing_cluster"),
        "{d:#?}"
    );
    // A new file imports it: the watcher's event makes it a library.
    let user = p.dir.join("user.mcl");
    std::fs::write(
        &user,
        "import \"alone.mcl\"\ncluster \"u\" { mesos = \"1.11.0\" }\n",
    )
    .expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&user), "type": 1 }] }),
    );
    let d = latest_diagnostics(&mut c, &uri(&alone));
    assert!(
        d.iter().all(|d| d["code"] != "mcl::check::missing_cluster"),
        "{d:#?}"
    );
    c.stop().expect("clean exit");
}

#[test]
fn clients_that_can_are_asked_to_watch_mcl_files() {
    let capabilities =
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let mut c = start(json!({ "capabilities": capabilities }));
    let _ = c.call("workspace/symbol", json!({ "query": "" }));
    let watch = c
        .requests
        .iter()
        .find(|r| r.method == "client/registerCapability")
        .expect("a registration");
    let registration = &watch.params["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"][0]["globPattern"],
        "**/*.mcl"
    );
    c.stop().expect("clean exit");
    // Clients that cannot are not asked.
    let mut c = start(json!({ "capabilities": {} }));
    let _ = c.call("workspace/symbol", json!({ "query": "" }));
    assert!(c.requests.is_empty());
    c.stop().expect("clean exit");
}

#[test]
fn every_position_answers_without_an_internal_error() {
    let p = Project::new("positions");
    let mut c = p.client();
    for (line, l) in MAIN.split('\n').enumerate() {
        for character in 0..=l.len() + 1 {
            let position = json!({ "line": line, "character": character });
            let doc = json!({ "uri": p.main });
            let calls = [
                (
                    "textDocument/hover",
                    json!({ "textDocument": doc, "position": position }),
                ),
                (
                    "textDocument/references",
                    json!({ "textDocument": doc, "position": position, "context": { "includeDeclaration": true } }),
                ),
                (
                    "textDocument/rename",
                    json!({ "textDocument": doc, "position": position, "newName": "x" }),
                ),
            ];
            for (method, params) in calls {
                if let Err(e) = c.call(method, params) {
                    assert_eq!(e["code"], -32803, "{method} at {line}:{character}: {e}");
                }
            }
        }
    }
    c.stop().expect("clean exit");
}

#[test]
fn a_missing_required_setting_is_a_code_action() {
    let p = Project::new("missing");
    let mut c = p.client();
    let text = MAIN.replace("  address = 10.0.1.1\n", "");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": p.main, "version": 2 }, "contentChanges": [{ "text": text }] }),
    );
    let d = latest_diagnostics(&mut c, &p.main);
    assert!(
        d.iter().any(|d| d["code"] == "mcl::check::missing_setting"),
        "{d:#?}"
    );
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": p.main },
            "range": { "start": pos(&text, "\"a1\"", 1), "end": pos(&text, "\"a1\"", 1) },
            "context": { "diagnostics": [] },
        }),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "Add `address = \"10.0.0.1\"`");
    let edit = &action["edit"]["changes"][&p.main][0];
    assert_eq!(edit["newText"], " address = \"10.0.0.1\" ");
    assert_eq!(
        edit["range"]["start"],
        pos(&text, "\"a1\" uses worker {", 18)
    );
    c.stop().expect("clean exit");
}
