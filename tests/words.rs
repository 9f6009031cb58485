//! Messages speak the user's words: MCL accepts `master` for `leader` and
//! `agent` for `follower`, and a file written with the aliases gets messages
//! that say `master` and `agent` (a user greps the file for the word the
//! message names). The whole corpus of diagnostic cases (`tests/errors/`)
//! is rewritten with the aliases and checked again: no message, label or
//! help of any diagnostic may then say `leader` or `follower`, so a message
//! added later that names a role without the user's word fails here.

#[path = "support/lsp_client.rs"]
#[allow(dead_code)]
mod lsp_client;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use mesosc::files::MemoryFiles;
use mesosc::json::to_json;
use mesosc::{Options, check_path};

/// Every main case of `tests/errors/<stage>/` (a rollout's case is checked
/// as the change from the `.before.mcl` beside it).
fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for stage in fs::read_dir("tests/errors").expect("tests/errors exists") {
        for f in fs::read_dir(stage.expect("readable").path()).expect("readable") {
            let f = f.expect("readable").path();
            let name = f.to_string_lossy().to_string();
            if f.extension().is_some_and(|e| e == "mcl")
                && !name.contains(".import.")
                && !name.contains(".before.")
            {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// Whether `text` has `word` (or its plural) as a word of its own: not part
/// of an identifier (`follower_secret`, `leaderServes`, `mesos-agent`).
fn says(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '/' || c == '.';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let mut rest = text[at + word.len()..].chars();
        let after = match rest.next() {
            Some('s') => rest.next(),
            other => other,
        };
        !before.is_some_and(part) && !after.is_some_and(|c| part(c) && c != '.')
    })
}

/// `text` with every whole word `from` replaced by `to`.
fn swap(text: &str, from: &str, to: &str) -> String {
    let part = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back().or(out.chars().next_back());
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(part) || after.is_some_and(part) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + from.len()..];
    }
    out + rest
}

/// The files of a case's folder, each rewritten by `rewrite` (imports are
/// relative, so the whole folder is loaded at the same paths).
fn folder(case: &Path, rewrite: &dyn Fn(&str) -> String) -> MemoryFiles {
    let mut files = MemoryFiles::new();
    let dir = case.parent().expect("a stage folder");
    for f in fs::read_dir(dir).expect("readable") {
        let f = f.expect("readable").path();
        if let Ok(text) = fs::read_to_string(&f) {
            files.insert(f, rewrite(&text));
        }
    }
    files
}

/// Every text of every diagnostic the case gets (message, labels, help,
/// related), as `--message-format json` gives them.
fn texts(case: &Path, files: &MemoryFiles) -> Vec<(String, String)> {
    let vars = |name: &str| (name == "MESOSC_TEST_SET").then(|| "1.11.0".to_string());
    let before = case.with_extension("before.mcl");
    let checked = match before.exists() {
        true => mesosc::explain::check_rollout(&before, case, files),
        false => check_path(case, files, &vars, &Options::default()),
    }
    .expect("readable case");
    let mut out = Vec::new();
    let mut pending: Vec<_> = (checked.diagnostics.iter())
        .map(|d| to_json(d, &checked.sources))
        .collect();
    while let Some(d) = pending.pop() {
        let code = d.code.clone().unwrap_or_default();
        out.push((code.clone(), d.message.clone()));
        out.extend(
            d.labels
                .iter()
                .filter_map(|l| l.text.clone())
                .map(|t| (code.clone(), t)),
        );
        out.extend(d.help.clone().map(|h| (code.clone(), h)));
        pending.extend(d.related);
    }
    out
}

/// What may still say `follower` in an aliased file: the names of the
/// `auth` block's keys (`followers = true`), which have no alias, and a
/// "did you mean" for a misspelled word, which offers the nearest word to
/// what was typed (`leadr` → `leader`).
fn without_exceptions(text: &str) -> String {
    let text = text
        .replace("`followers", "`auth-key")
        .replace("secrets/follower", "secrets/x");
    text.replace("did you mean `leader`", "")
        .replace("did you mean `follower`", "")
}

#[test]
fn a_file_written_with_the_aliases_gets_messages_in_its_words() {
    let cases = cases();
    assert!(cases.len() > 80, "the corpus of cases");
    let aliased = |t: &str| swap(&swap(t, "leader", "master"), "follower", "agent");
    let mut failures = Vec::new();
    let mut with_aliases = 0;
    let mut seen: Vec<String> = Vec::new();
    for case in &cases {
        // A file that names no role has no word to echo: the canonical
        // names are right for it.
        let text = aliased(&fs::read_to_string(case).expect("readable"));
        if !says(&text, "master") && !says(&text, "agent") {
            continue;
        }
        let texts = texts(case, &folder(case, &aliased));
        seen.extend(texts.iter().map(|(code, _)| code.clone()));
        for (code, text) in &texts {
            let text = without_exceptions(text);
            if says(&text, "leader") || says(&text, "follower") {
                failures.push(format!("{}: {code}: {text}", case.display()));
            }
        }
        let words = |t: &String| says(t, "master") || says(t, "agent");
        if texts.iter().any(|(_, t)| words(t)) {
            with_aliases += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "messages that name a role by its canonical name although the file writes the alias:\n{}",
        failures.join("\n")
    );
    // The test is not vacuous: many cases' messages name a role, the
    // rollout dangers' among them.
    assert!(with_aliases > 20, "only {with_aliases} cases name a role");
    for code in [
        "mcl::plan::agent_state",
        "mcl::plan::master_state",
        "mcl::check::no_effect",
    ] {
        assert!(seen.iter().any(|c| c == code), "{code} among {seen:?}");
    }
}

#[test]
fn the_word_finders_see_words_not_identifiers() {
    assert!(says("the only leader", "leader"));
    assert!(says("3 or 5 leaders.", "leader"));
    assert!(says("the `follower` block", "follower"));
    assert!(says("`follower.flags.x`", "follower"));
    assert!(!says("`follower_secret`", "follower"));
    assert!(!says("mesos-agent", "agent"));
    assert!(!says("leaderServes", "leader"));
    assert_eq!(
        swap(
            "leader { } roles = [leader, follower] leader_x",
            "leader",
            "master"
        ),
        "master { } roles = [master, follower] leader_x"
    );
}

/// One file in both vocabularies: a misspelled agent flag that mesosc
/// derives (its help names the block to use), a cluster-wide block of a
/// role no host has, and a single leader.
const ALIASED: &str = r#"cluster "c" { mesos = "1.11.0" }
host "m" { address = "10.0.0.1"  roles = [zookeeper, master] }
host "a" { address = "10.0.0.2"  roles = [agent] }
agent { flags { workdir = "/srv/mesos" } }
"#;

/// [`ALIASED`] with the canonical names.
fn canonical() -> String {
    swap(&swap(ALIASED, "master", "leader"), "agent", "follower")
}

/// What `mesosc check` says about `text` (rendered, without colour) and
/// its `--message-format json` lines.
fn cli(text: &str) -> (String, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("c.mcl");
    fs::write(&file, text).expect("writable");
    let run = |json: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mesosc"));
        c.arg("check").env("NO_COLOR", "1");
        if json {
            c.args(["--message-format", "json"]);
        }
        c.arg(&file).output().expect("mesosc runs")
    };
    let rendered = run(false);
    assert_eq!(rendered.status.code(), Some(1), "an error");
    let json = run(true);
    let lines = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .filter(|v: &serde_json::Value| v["type"] == "diagnostic")
        .collect();
    (
        String::from_utf8_lossy(&rendered.stderr).into_owned(),
        lines,
    )
}

#[test]
fn the_cli_and_its_json_echo_the_words_of_the_file() {
    for (text, leader, follower) in [
        (ALIASED.to_string(), "master", "agent"),
        (canonical(), "leader", "follower"),
    ] {
        let (rendered, json) = cli(&text);
        // The help is wrapped to the terminal: compare words.
        let rendered = rendered.split_whitespace().collect::<Vec<_>>().join(" ");
        let help = format!("use the `work_dir` setting of the `{follower}` block");
        assert!(rendered.contains(&help), "{rendered}");
        assert!(
            rendered.contains(&format!("only one {leader}:")),
            "{rendered}"
        );
        assert!(
            rendered.contains(&format!("run 3 or 5 {leader}s")),
            "{rendered}"
        );
        let (other_leader, other_follower) = match leader {
            "master" => ("leader", "follower"),
            _ => ("master", "agent"),
        };
        let flag = json
            .iter()
            .find(|d| d["code"] == "mcl::check::unknown_flag")
            .expect("unknown_flag");
        let flag_help = flag["help"].as_str().expect("help");
        assert!(flag_help.contains(&help), "{flag_help}");
        assert!(!says(flag_help, other_follower), "{flag_help}");
        let single = json
            .iter()
            .find(|d| d["code"] == "mcl::check::single_leader")
            .expect("single_leader");
        assert_eq!(
            single["message"],
            format!("only one {leader}: the cluster is not highly available")
        );
        assert_eq!(single["labels"][0]["text"], format!("the only {leader}"));
        assert!(!says(&single["help"].to_string(), other_leader));
    }
}

#[test]
fn the_language_server_echoes_the_words_of_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = lsp_client::Client::start();
    for (name, text, leader, follower) in [
        ("aliased.mcl", ALIASED.to_string(), "master", "agent"),
        ("canonical.mcl", canonical(), "leader", "follower"),
    ] {
        let uri = lsp_client::uri(&dir.path().join(name));
        c.open(&uri, &text);
        let diags = c.diagnostics(&uri);
        let message = |code: &str| {
            let d = diags.iter().find(|d| d["code"] == code);
            let m = d.and_then(|d| d["message"].as_str());
            m.unwrap_or_else(|| panic!("{code} in {diags:#?}"))
                .to_owned()
        };
        let flag = message("mcl::check::unknown_flag");
        let help = format!("use the `work_dir` setting of the `{follower}` block");
        assert!(flag.contains(&help), "{flag}");
        let single = message("mcl::check::single_leader");
        assert!(
            single.starts_with(&format!("only one {leader}:")),
            "{single}"
        );
        assert!(
            single.contains(&format!("run 3 or 5 {leader}s")),
            "{single}"
        );
    }
    c.stop().expect("a clean shutdown");
}
