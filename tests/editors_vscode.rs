//! The VS Code extension (`editors/vscode`) as a package, since VS Code
//! itself cannot be run here: its one packaging script (npm's
//! `@vscode/vsce`) builds the `.vsix`; the manifest inside declares the
//! language, the grammar, the language configuration, the activation
//! events and the two settings, and every file it names is in the package;
//! the packaged grammar is `grammar/mcl.tmLanguage.json` byte for byte; the
//! language client is bundled; and the grammar tokenises every example with
//! vscode-textmate and vscode-oniguruma (`test/tokenize.js`). Node, npm and
//! unzip come from `scripts/install-test-deps`; npm installs only when
//! `node_modules` is missing or stale.

#[path = "support/proc.rs"]
#[allow(dead_code)]
mod proc;
#[path = "support/real_tools.rs"]
mod real_tools;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

const DEADLINE: Duration = Duration::from_secs(600);

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode")
}

fn run(program: &str, args: &[&str]) -> proc::Ran {
    let ran = proc::run(
        Command::new(program).args(args).current_dir(dir()),
        DEADLINE,
    );
    assert!(ran.ok(), "{program} {args:?} failed:\n{}", ran.output());
    ran
}

fn unzip(vsix: &str, member: &str) -> String {
    run("unzip", &["-p", vsix, member]).stdout
}

#[test]
fn the_package_declares_the_language_holds_its_files_and_scopes_the_examples() {
    if real_tools::skip(&["node", "@vscode/vsce"]) {
        return;
    }
    let vsix = "mcl-test.vsix";
    run("sh", &["scripts/package.sh", "--out", vsix]);
    let listing = run("unzip", &["-Z1", vsix]).stdout;
    let files: Vec<&str> = listing.lines().collect();
    let manifest: Value =
        serde_json::from_str(&unzip(vsix, "extension/package.json")).expect("package.json");
    let packaged_grammar = unzip(vsix, "extension/syntaxes/mcl.tmLanguage.json");
    let _ = std::fs::remove_file(dir().join(vsix));
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/mcl.tmLanguage.json"),
    )
    .expect("grammar");
    assert!(
        packaged_grammar == source,
        "the packaged grammar differs from grammar/"
    );

    let has = |path: &str| {
        let path = path.trim_start_matches("./");
        files.contains(&format!("extension/{path}").as_str())
    };
    let contributes = &manifest["contributes"];
    let language = &contributes["languages"][0];
    assert_eq!(language["id"], "mcl");
    assert_eq!(language["extensions"][0], ".mcl");
    let config = language["configuration"].as_str().expect("configuration");
    assert!(has(config), "{config} not packaged: {files:?}");
    let grammar = &contributes["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.mcl");
    assert_eq!(grammar["language"], "mcl");
    let grammar_path = grammar["path"].as_str().expect("grammar path");
    assert!(has(grammar_path), "{grammar_path} not packaged");
    let events: Vec<&str> = manifest["activationEvents"]
        .as_array()
        .expect("activationEvents")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(events.contains(&"onLanguage:mcl"), "{events:?}");
    let main = manifest["main"].as_str().expect("main");
    assert!(has(main), "{main} not packaged");
    for setting in ["mcl.server.path", "mcl.env"] {
        assert!(
            contributes["configuration"]["properties"][setting].is_object(),
            "setting {setting}"
        );
    }
    assert!(
        has("node_modules/vscode-languageclient/package.json"),
        "the language client is bundled"
    );
    assert!(
        !files
            .iter()
            .any(|f| f.contains("node_modules/@vscode/vsce/")),
        "development tools are left out"
    );

    // The grammar tokenises every example (npm installed the tools above).
    let ran = run("node", &["test/tokenize.js"]);
    assert!(ran.stdout.contains("tokenized"), "{}", ran.output());
    run("node", &["--check", "extension.js"]);
}

#[test]
fn the_language_configuration_knows_comments_brackets_and_indentation() {
    let text = std::fs::read_to_string(dir().join("language-configuration.json")).expect("read");
    let config: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(config["comments"]["lineComment"], "#");
    let pairs = |key: &str| -> Vec<String> {
        config[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|p| match p {
                Value::Array(a) => a[0].as_str().expect("open").to_string(),
                p => p["open"].as_str().expect("open").to_string(),
            })
            .collect()
    };
    assert_eq!(pairs("brackets"), ["{", "[", "("]);
    for open in ["{", "[", "(", "\"", "${"] {
        assert!(
            pairs("autoClosingPairs").iter().any(|p| p == open),
            "{open}"
        );
    }
    assert!(config["indentationRules"]["increaseIndentPattern"].is_string());
    assert!(config["indentationRules"]["decreaseIndentPattern"].is_string());
}
