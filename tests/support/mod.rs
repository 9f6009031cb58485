//! Shared by the verification harness: `tests/verify_systemd.rs`,
//! `tests/verify_cloud_init.rs`, `tests/zookeeper_live.rs` and
//! `tests/env_files.rs` (each says `mod support;`).
//!
//! The harness feeds what mesosc writes to the programs that will read it
//! (systemd, cloud-init, ZooKeeper) or to their rules (Mesos' and Marathon's
//! flag tables), for every example, in every environment it declares. It
//! never reads `out/` or the golden trees: it compiles in memory, so it always
//! checks what the compiler produces now, including kinds of files added after
//! it was written (it finds units, env files and cloud-configs by path).
//!
//! - [`builds`]: every example × (its default environment + each overlay).
//! - [`unit`]: systemd unit-file syntax (sections, continuation lines,
//!   `ExecStart=` words), as systemd parses it.
//! - [`systemd`]: `systemd-analyze verify` in throwaway roots, plus the
//!   checks systemd does not make.
//! - [`props`]: Java properties files (zoo.cfg).
//! - [`envfile`]: systemd `EnvironmentFile=` and `docker run --env-file`
//!   syntax.
//! - [`cloud`]: one Python process running cloud-init's own schema code.
//! - [`proc`]: commands with a deadline.

#![allow(dead_code)]

pub mod cloud;
pub mod envfile;
pub mod proc;
pub mod props;
pub mod real_tools;
pub mod roundtrip;
pub mod systemd;
pub mod unit;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mesosc::emit::{FileEntry, FileSet};
use mesosc::files::DiskFiles;
use mesosc::model::Cluster;
use mesosc::{Options, compile};

/// What to tell whoever runs the tests when a tool is missing.
pub const INSTALL_HINT: &str =
    "run scripts/install-test-deps (as root; CI runs it through scripts/test)";

/// One build of one example.
pub struct Build {
    /// The example's name (`thegrid`).
    pub example: String,
    /// `--env NAME`, when an overlay was selected explicitly.
    pub env: Option<String>,
    /// The main `.mcl` file.
    pub input: PathBuf,
    /// Every file of `out/`.
    pub files: FileSet,
    /// The checked model the files were emitted from.
    pub model: Cluster,
}

impl Build {
    /// `thegrid` or `thegrid --env debug`, for messages.
    pub fn label(&self) -> String {
        match &self.env {
            Some(e) => format!("{} --env {e}", self.example),
            None => self.example.clone(),
        }
    }

    /// The hosts that have files, sorted.
    pub fn hosts(&self) -> BTreeSet<&str> {
        self.files
            .keys()
            .filter_map(|p| p.strip_prefix("hosts/")?.split('/').next())
            .collect()
    }

    /// The files of `host`, by their absolute path on that host.
    pub fn host_files(&self, host: &str) -> BTreeMap<String, &FileEntry> {
        let prefix = format!("hosts/{host}/");
        self.files
            .iter()
            .filter_map(|(p, e)| Some((format!("/{}", p.strip_prefix(&prefix)?), e)))
            .collect()
    }

    /// The text of the generated file at `path` (under `out/`); panics,
    /// naming it, when there is none.
    pub fn text(&self, path: &str) -> &str {
        &self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("{}: no {path}", self.label()))
            .content
    }

    /// Files outside `hosts/` whose path starts with `dir/` (`fleet`).
    pub fn files_under(&self, dir: &str) -> BTreeMap<&str, &FileEntry> {
        let prefix = format!("{dir}/");
        self.files
            .iter()
            .filter(|(p, _)| p.starts_with(&prefix))
            .map(|(p, e)| (p.as_str(), e))
            .collect()
    }
}

/// Every example with a `cluster` block (the others are imported), and every
/// `tests/cases/<name>/input.mcl`, as `tests/golden.rs` finds them; sorted.
pub fn examples() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for e in fs::read_dir("examples").expect("examples/") {
        let p = e.expect("entry").path();
        let is_main = fs::read_to_string(&p).is_ok_and(|t| t.contains("\ncluster "));
        if p.extension().is_some_and(|x| x == "mcl") && is_main {
            let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
            out.push((name, p));
        }
    }
    for e in fs::read_dir("tests/cases").expect("tests/cases/") {
        let dir = e.expect("entry").path();
        let input = dir.join("input.mcl");
        if input.exists() {
            let name = dir
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            out.push((name, input));
        }
    }
    out.sort();
    out
}

/// Compiles `input` with `--env env`; panics with the rendered diagnostics
/// when it has errors.
pub fn build(example: &str, input: &Path, env: Option<&str>) -> Build {
    build_with_overlays(example, input, env).0
}

/// [`build`], and the names of the environment overlays `input` declares.
fn build_with_overlays(example: &str, input: &Path, env: Option<&str>) -> (Build, Vec<String>) {
    let unset = |_: &str| None;
    let options = Options {
        env: env.map(str::to_owned),
        ..Options::default()
    };
    let built = compile(input, &DiskFiles, &unset, &options).expect("readable example");
    let checked = built.checked;
    if checked.diagnostics.error_count() > 0 {
        let rendered: Vec<String> = checked
            .diagnostics
            .iter()
            .map(|d| mesosc::diagnostic::render(d, &checked.sources, 100, false))
            .collect();
        panic!(
            "{} (--env {env:?}) does not compile:\n{}",
            input.display(),
            rendered.join("\n")
        );
    }
    let mut overlays: Vec<String> = checked
        .resolved
        .iter()
        .flat_map(|r| r.environments.iter().map(|e| e.node.clone()))
        .collect();
    overlays.sort();
    overlays.dedup();
    let build = Build {
        example: example.to_owned(),
        env: env.map(str::to_owned),
        input: input.to_path_buf(),
        files: built.files.expect("no errors, so files"),
        model: checked.model.expect("no errors, so a model"),
    };
    (build, overlays)
}

/// One example as it stands and with each environment overlay it declares;
/// a build whose files equal an earlier one is left out.
fn example_builds(name: &str, input: &Path) -> Vec<Build> {
    let (default, overlays) = build_with_overlays(name, input, None);
    let mut out = vec![default];
    for env in overlays {
        let b = build(name, input, Some(&env));
        if !out.iter().any(|o| o.files == b.files) {
            out.push(b);
        }
    }
    out
}

/// Every example, built as it stands and with each environment overlay it
/// declares (identical builds once), compiled in parallel, once per test
/// binary.
pub fn builds() -> &'static [Build] {
    static BUILDS: OnceLock<Vec<Build>> = OnceLock::new();
    BUILDS.get_or_init(|| {
        let examples = examples();
        let out: Vec<Build> = std::thread::scope(|s| {
            let handles: Vec<_> = examples
                .iter()
                .map(|(name, input)| s.spawn(move || example_builds(name, input)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        assert!(
            out.iter().any(|b| b.example == "thegrid"),
            "examples/ not found: run from the crate root"
        );
        out
    })
}

/// Compiles MCL `text` (written to a temporary `<name>.mcl`): the build, or
/// the codes and messages of its error diagnostics.
pub fn build_text(name: &str, text: &str) -> Result<Build, Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join(format!("{name}.mcl"));
    fs::write(&input, text).expect("write");
    let unset = |_: &str| None;
    let built = compile(&input, &DiskFiles, &unset, &Options::default()).expect("readable");
    let checked = built.checked;
    if checked.diagnostics.error_count() > 0 {
        return Err(checked
            .diagnostics
            .iter()
            .filter(|d| mesosc::diagnostic::severity(*d) == miette::Severity::Error)
            .map(|d| {
                use miette::Diagnostic;
                let code = d.code().map(|c| c.to_string()).unwrap_or_default();
                format!("{code}: {d}")
            })
            .collect());
    }
    Ok(Build {
        example: name.to_owned(),
        env: None,
        input,
        files: built.files.expect("no errors, so files"),
        model: checked.model.expect("no errors, so a model"),
    })
}

/// The codes of every diagnostic (errors and warnings) of MCL `text`.
pub fn diagnostic_codes(text: &str) -> Vec<String> {
    use miette::Diagnostic;
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("c.mcl");
    fs::write(&input, text).expect("write");
    let unset = |_: &str| None;
    let checked =
        mesosc::check_path(&input, &DiskFiles, &unset, &Options::default()).expect("readable");
    checked
        .diagnostics
        .iter()
        .filter_map(|d| d.code().map(|c| c.to_string()))
        .collect()
}

/// The default build of one example.
pub fn build_example(name: &str) -> Build {
    let input = PathBuf::from(format!("examples/{name}.mcl"));
    build(name, &input, None)
}

/// `/usr/bin/java -x` → `/usr/bin/java`: the first word of a command line.
pub fn first_word(command: &str) -> Option<&str> {
    command.split_whitespace().next()
}

/// Lines of a report, or "" when there are none.
pub fn report(title: &str, problems: &[String]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    format!("{title} ({}):\n  {}", problems.len(), problems.join("\n  "))
}
