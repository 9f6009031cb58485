//! Secrets never reach `out/`.
//!
//! MCL names a secret by the path of a file on the hosts, `file("/etc/…")`;
//! mesosc never opens that file and never writes a secret value. So:
//!
//! - building any example reads `.mcl` files only (a recording `Files`);
//! - with real secret files holding random values at the referenced paths,
//!   no generated file contains any of those values;
//! - a secret written as a literal, wherever a secret belongs (credentials,
//!   and the flags whose value is the secret itself), is
//!   `mcl::check::literal_secret`, and the examples contain none;
//! - every generated file is mode 0644, which is safe *because* of the
//!   above: a generated file holds paths to secrets, never their contents,
//!   so it may be world-readable (and committed to git). The secret files
//!   themselves are the operator's, and `out/README.md` lists each with the
//!   mode it needs (0400, owned by root), per host.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use mesosc::files::{DiskFiles, Files, MemoryFiles};
use mesosc::{Options, check_path, compile};
use miette::Diagnostic;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every example with a `cluster` block (common.mcl is imported by others).
fn cluster_examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mcl"))
        .filter(|p| {
            fs::read_to_string(p)
                .expect("read")
                .lines()
                .any(|l| l.starts_with("cluster "))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 5, "examples found: {out:?}");
    out
}

/// Every `file("…")` path written in a text.
fn file_refs(text: &str) -> Vec<String> {
    text.match_indices("file(\"")
        .filter_map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// A random 32-hex-digit value.
fn random_secret() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0x5ec2e7);
    let a = h.finish();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(a);
    format!("{a:016x}{:016x}", h.finish())
}

/// The disk, remembering every path read.
#[derive(Default)]
struct Recording {
    read: RefCell<Vec<PathBuf>>,
}

impl Files for Recording {
    fn read(&self, path: &Path) -> io::Result<String> {
        self.read.borrow_mut().push(path.to_path_buf());
        DiskFiles.read(path)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        DiskFiles.canonical(path)
    }
}

fn unset(_: &str) -> Option<String> {
    None
}

#[test]
fn building_an_example_reads_only_mcl_files() {
    for example in cluster_examples() {
        let files = Recording::default();
        let built = compile(&example, &files, &unset, &Options::default()).expect("reads");
        assert_eq!(
            built.checked.diagnostics.error_count(),
            0,
            "{}",
            example.display()
        );
        assert!(built.files.is_some());
        let read = files.read.borrow();
        let texts: String = read
            .iter()
            .map(|p| fs::read_to_string(p).expect("read"))
            .collect();
        let secrets = file_refs(&texts);
        for path in read.iter() {
            assert!(
                path.extension().is_some_and(|e| e == "mcl"),
                "{}: read {}",
                example.display(),
                path.display()
            );
            assert!(
                !secrets.iter().any(|s| Path::new(s) == path),
                "{}: read the secret {}",
                example.display(),
                path.display()
            );
        }
    }
}

#[test]
fn secret_values_never_reach_the_output() {
    // Copies of the examples whose file() paths point at real files with
    // random contents, built by the real binary.
    let tmp = tempfile::tempdir().expect("tempdir");
    let ex = tmp.path().join("examples");
    fs::create_dir(&ex).expect("mkdir");
    let secrets_root = tmp.path().join("secrets");
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for entry in fs::read_dir(root().join("examples")).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "mcl") {
            continue;
        }
        let mut text = fs::read_to_string(&path).expect("read");
        for secret in file_refs(&text) {
            let real = secrets_root.join(secret.trim_start_matches('/'));
            let value = values.entry(secret.clone()).or_insert_with(random_secret);
            fs::create_dir_all(real.parent().expect("parent")).expect("mkdir");
            fs::write(&real, format!("{value}\n")).expect("write secret");
            text = text.replace(
                &format!("file(\"{secret}\")"),
                &format!("file(\"{}\")", real.display()),
            );
        }
        fs::write(ex.join(path.file_name().expect("name")), text).expect("write");
    }
    assert!(
        values.len() >= 2,
        "the examples reference secrets: {values:?}"
    );
    let mut scanned = 0;
    for example in cluster_examples() {
        let name = example.file_name().expect("name").to_string_lossy();
        let out = tmp.path().join(format!("out-{name}"));
        let output = Command::new(env!("CARGO_BIN_EXE_mesosc"))
            .current_dir(tmp.path())
            .arg("build")
            .arg(ex.join(&*name))
            .arg("--out")
            .arg(&out)
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}: {stderr}");
        for file in walk(&out) {
            let content = fs::read(&file).expect("read");
            let content = String::from_utf8_lossy(&content);
            for (path, value) in &values {
                assert!(
                    !content.contains(value.as_str()),
                    "{name}: {} holds the secret of {path}",
                    file.display()
                );
            }
            scanned += 1;
        }
    }
    assert!(scanned > 100, "files scanned: {scanned}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("list") {
        let path = e.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Keys whose literal string value would be a secret.
fn looks_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "secret",
        "password",
        "passwd",
        "token",
        "credential",
        "private_key",
    ]
    .iter()
    .any(|w| key.contains(w))
        && !key.ends_with("_file")
        && !key.ends_with("path")
        && !key.ends_with("principal")
}

#[test]
fn the_examples_hold_no_literal_secret() {
    for entry in fs::read_dir(root().join("examples")).expect("examples/") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("read");
        for (n, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("");
            let mut rest = code;
            while let Some(eq) = rest.find('=') {
                let key = rest[..eq].split_whitespace().last().unwrap_or("");
                let value = rest[eq + 1..].trim_start();
                assert!(
                    !looks_secret(key.trim_matches('"')) || value.starts_with("file("),
                    "{}:{}: `{key}` is given a literal: {line}",
                    path.display(),
                    n + 1
                );
                rest = &rest[eq + 1..];
            }
        }
    }
}

/// A one-host cluster with `extra` appended: its diagnostics' codes, and
/// whether files were produced.
fn codes(extra: &str) -> (Vec<String>, bool) {
    let text = format!(
        "cluster \"c\" {{ mesos = \"1.11.0\"  zookeeper = \"3.9.2\" }}\n\
         host \"h\" {{ address = 10.0.0.1  roles = [zookeeper, leader, follower, marathon] }}\n\
         {extra}\n"
    );
    let mut files = MemoryFiles::new();
    files.insert("c.mcl", text);
    let built = compile(Path::new("c.mcl"), &files, &unset, &Options::default()).expect("mem");
    let codes = built
        .checked
        .diagnostics
        .iter()
        .filter_map(|d| d.code().map(|c| c.to_string()))
        .collect();
    (codes, built.files.is_some())
}

#[test]
fn a_literal_secret_is_an_error_wherever_a_secret_belongs() {
    let cases = [
        "auth { frameworks = true  credential \"fw\" { secret = \"hunter2\" } }",
        "auth { frameworks = true  credential \"fw\" { secret = 12345678 } }",
        "auth { followers = true  follower_secret = \"hunter2\" }",
        "marathon { flags { mesos_authentication_secret = \"hunter2\" } }",
        "marathon { flags { ssl_keystore_password = \"hunter2\" } }",
        "marathon { flags { http_credentials = \"admin:hunter2\" } }",
        "zookeeper { settings { \"ssl.keyStore.password\" = \"hunter2\" } }",
        "zookeeper { settings { \"ssl.trustStore.password\" = \"hunter2\" } }",
        "zookeeper { settings { \"ssl.quorum.keyStore.password\" = \"hunter2\" } }",
        "zookeeper { settings { \"ssl.quorum.trustStore.password\" = \"hunter2\" } }",
    ];
    for extra in cases {
        let (codes, built) = codes(extra);
        assert!(
            codes.iter().any(|c| c == "mcl::check::literal_secret"),
            "{extra}: {codes:?}"
        );
        assert!(!built, "{extra}: files were produced");
    }
    // The file() form of a flag whose value is the secret itself would hand
    // the program the path as the password: an error naming the flag that
    // reads a file, where there is one.
    for extra in [
        "zookeeper { settings { \"ssl.keyStore.password\" = file(\"/etc/zk/ks\") } }",
        // (`ssl_keystore_password = file(…)` is valid: Marathon also reads
        // MESOSPHERE_KEYSTORE_PASS, which the unit sets from the file.)
        "marathon { flags { metrics_datadog_api_key = file(\"/etc/marathon/dd\") } }",
    ] {
        let (codes, built) = codes(extra);
        assert!(
            codes.iter().any(|c| c == "mcl::check::invalid_flag_value"),
            "{extra}: {codes:?}"
        );
        assert!(!built);
    }
    // The path forms are fine.
    let (codes, built) =
        codes("zookeeper { settings { \"ssl.keyStore.passwordPath\" = file(\"/etc/zk/ks\") } }");
    assert!(built, "{codes:?}");
}

#[test]
fn generated_files_are_0644_and_reference_secrets_by_path_only() {
    for example in cluster_examples() {
        let built = compile(&example, &DiskFiles, &unset, &Options::default()).expect("reads");
        let files = built.files.expect("builds");
        let sources: String = built
            .checked
            .sources
            .files()
            .map(|(_, f)| f.text.clone())
            .collect();
        let secrets: BTreeSet<String> = file_refs(&sources).into_iter().collect();
        for (path, entry) in &files {
            assert_eq!(entry.mode, 0o644, "{}: {path}", example.display());
        }
        let manifest: serde_json::Value =
            serde_json::from_str(&files["manifest.json"].content).expect("json");
        for f in manifest["files"].as_array().expect("files") {
            assert_eq!(f["mode"], "0644", "{f}");
        }
        // Where a secret is used, the output names its path (so operators
        // know what to provision), and README.md lists it with its mode.
        let readme = &files["README.md"].content;
        for secret in &secrets {
            assert!(
                readme.contains(&format!("| `{secret}` | 0400 |"))
                    || readme.contains(&format!("| `{secret}` | 0600 |")),
                "{}: README.md does not list {secret} with its mode",
                example.display()
            );
        }
    }
}

#[test]
fn thegrid_readme_lists_every_secret_per_host() {
    let built = compile(
        &root().join("examples/thegrid.mcl"),
        &DiskFiles,
        &unset,
        &Options::default(),
    )
    .expect("reads");
    let files = built.files.expect("builds");
    let readme = &files["README.md"].content;
    let section = readme
        .split("## Secrets to provision")
        .nth(1)
        .expect("README.md has a secrets section");
    assert!(section.contains("mode 0400"), "{section}");
    // Every agent reads the follower secret; every master the framework
    // credential (Marathon) and the follower's (to check agents). Hosts with
    // the same files share one table, titled with all of them.
    let table = |title: &str| -> String {
        let host = section
            .split(&format!("### {title}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("a table for {title}: {section}"));
        host.split("###").next().unwrap_or("").to_owned()
    };
    let agents = table("agent-1 … agent-12 (12 hosts)");
    assert!(
        agents.contains("| `/etc/mesos/secrets/follower` | 0400 | mesos-agent.service |"),
        "{agents}"
    );
    let masters = table("master-01 … master-03 (3 hosts)");
    assert!(
        masters.contains("`/etc/mesos/secrets/marathon` | 0400 |"),
        "{masters}"
    );
    assert!(
        masters.contains("`/etc/mesos/secrets/follower` | 0400 |"),
        "{masters}"
    );
    let own = section.split("\n## ").next().unwrap_or("");
    assert_eq!(own.matches("\n### ").count(), 2, "{own}");
    // And nothing else in the output could be mistaken for a secret value:
    // every file() path appears only as a path.
    let checked = check_path(
        &root().join("examples/thegrid.mcl"),
        &DiskFiles,
        &unset,
        &Options::default(),
    )
    .expect("reads");
    assert_eq!(checked.diagnostics.error_count(), 0);
}

/// Builds `text` and returns the generated README.
fn readme_of(text: &str) -> String {
    let mut files = MemoryFiles::new();
    files.insert("/s.mcl", text);
    let built = compile(Path::new("/s.mcl"), &files, &unset, &Options::default()).expect("reads");
    let out = built.files.expect("no errors");
    out.get("README.md").expect("a README").content.clone()
}

/// The secrets the README tells the operator to provision are exactly the
/// files some unit reads (one list in the model, `Host::secret_files`): a
/// credential that no unit reads, because authentication is off, is not
/// listed; with framework authentication on, the leaders read it.
#[test]
fn the_readme_lists_only_secrets_a_unit_reads() {
    let cluster = |auth: &str| {
        format!(
            "cluster \"c\" {{ mesos = \"1.11.0\" }}\n\
             for n in 1..3 {{ host \"m${{n}}\" {{ address = \"10.0.0.${{n}}\"  roles = [zookeeper, leader] }} }}\n\
             host \"a\" {{ address = \"10.0.1.1\"  roles = [follower] }}\n\
             auth {{\n  {auth}\n  credential \"marathon\" {{ secret = file(\"/etc/mesos/secrets/marathon\") }}\n}}\n"
        )
    };
    let off = readme_of(&cluster("frameworks = false"));
    assert!(!off.contains("/etc/mesos/secrets/marathon"), "{off}");
    let on = readme_of(&cluster("frameworks = true"));
    assert!(on.contains("/etc/mesos/secrets/marathon"), "{on}");
}
