//! The whole pipeline over arbitrary input: parse, check (with imports),
//! plan and emit, then every diagnostic rendered.
//!
//! The input is `main.mcl`, beside a fixed set of files it may import (the
//! shared `common.mcl` of the examples, a library with a nested import, a
//! file that imports itself, a two-file cycle, a file with syntax errors and
//! a 70-file chain deeper than the import limit). A first line
//! `# env: NAME` selects an environment, as `--env NAME` would.
//!
//! Besides "no panic, no hang", it asserts what the pipeline promises:
//!
//! - every label of every diagnostic points into the sources, and rendering
//!   it (with and without colour, wide and narrow) does not panic;
//! - a run without errors produces files, and a run with errors none (a
//!   failed stage always says why);
//! - every generated path is a plain relative path that the writer accepts,
//!   and no generated file sits where another one needs a folder;
//! - the same input gives the same files twice (determinism);
//! - every generated file reads back as its program reads it, and means what
//!   the model meant: each env file (systemd's or docker's syntax, as its
//!   header says) holds every variable the model's flags give, with the
//!   model's value; each zoo.cfg holds every setting of the model's server;
//!   each unit parses as systemd parses it (sections, continuations,
//!   `ExecStart=` words); each YAML file loads. The readers are the test
//!   harness's (`tests/support/`), included by path.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mesosc::Options;
use mesosc::files::MemoryFiles;
use miette::Diagnostic;
use mesosc::emit::{FileSet, env as envs, zookeeper::ZOO_CFG};
use mesosc::schema::Program;

#[allow(dead_code)]
#[path = "../../tests/support/envfile.rs"]
mod envfile;
#[allow(dead_code)]
#[path = "../../tests/support/props.rs"]
mod props;
#[allow(dead_code)]
#[path = "../../tests/support/unit.rs"]
mod unit;
mod support {
    pub(crate) use super::{envfile, props, unit};
}

/// How long the generated import chain is: past `MAX_IMPORT_DEPTH` (64).
const CHAIN: usize = 70;

fn files() -> &'static MemoryFiles {
    static FILES: OnceLock<MemoryFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut f = MemoryFiles::new();
        f.insert("common.mcl", include_str!("../../examples/common.mcl"));
        f.insert("lib.mcl", include_str!("../imports/lib.mcl"));
        f.insert(
            "nested/more.mcl",
            include_str!("../imports/nested/more.mcl"),
        );
        f.insert("self.mcl", include_str!("../imports/self.mcl"));
        f.insert("cycle/a.mcl", include_str!("../imports/cycle/a.mcl"));
        f.insert("cycle/b.mcl", include_str!("../imports/cycle/b.mcl"));
        f.insert("broken.mcl", include_str!("../imports/broken.mcl"));
        for i in 0..CHAIN {
            f.insert(
                format!("chain/{i}.mcl"),
                format!("import \"{}.mcl\"\nlet chain_{i} = {i}\n", i + 1),
            );
        }
        f.insert(format!("chain/{CHAIN}.mcl"), "let chain_end = 1\n");
        f
    })
}

/// A few variables for `env("…")`.
fn vars(name: &str) -> Option<String> {
    match name {
        "HOME" => Some("/home/ops".into()),
        "ZK_HOST" => Some("10.0.0.9".into()),
        "EMPTY" => Some(String::new()),
        "NEWLINE" => Some("a\nb".into()),
        _ => None,
    }
}

/// The writer's rule for a generated path (see `output::check_path`).
fn plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

fn build(text: &str, options: &Options) -> mesosc::Built {
    let mut files = files().clone();
    files.insert("main.mcl", text);
    mesosc::compile(Path::new("main.mcl"), &files, &vars, options).expect("main.mcl is in memory")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let env = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# env: "))
        .map(|e| e.trim().to_owned());
    let options = Options {
        env,
        ..Options::default()
    };
    let built = build(&text, &options);
    let checked = &built.checked;

    for d in checked.diagnostics.iter() {
        for label in d.labels().into_iter().flatten() {
            let start = label.offset() as u32;
            let end = (label.offset() + label.len()) as u32;
            assert!(
                checked.sources.file_of(start).is_some() && checked.sources.file_of(end).is_some(),
                "label outside the sources: {d:?}"
            );
        }
        let _ = mesosc::diagnostic::render(d, &checked.sources, 80, false);
        let _ = mesosc::diagnostic::render(d, &checked.sources, 24, true);
    }

    let errors = checked.diagnostics.error_count();
    match &built.files {
        None => assert!(
            errors > 0,
            "no files, yet no error says why: {:?}",
            checked.diagnostics
        ),
        Some(out) => {
            assert_eq!(errors, 0, "files despite errors");
            assert!(out.contains_key("manifest.json"), "no manifest");
            for path in out.keys() {
                assert!(plain_relative(path), "unwritable path `{path}`");
                let mut dir = path.as_str();
                while let Some((parent, _)) = dir.rsplit_once('/') {
                    assert!(
                        !out.contains_key(parent),
                        "`{parent}` is a file and the folder of `{path}`"
                    );
                    dir = parent;
                }
            }
            let again = build(&text, &options);
            assert!(again.files.as_ref() == Some(out), "not deterministic");
            if let Some(model) = &checked.model {
                read_back(model, out);
            }
        }
    }
});

/// Every generated file read back by its program's syntax, and compared
/// with what the model meant (see the module docs).
fn read_back(model: &mesosc::model::Cluster, out: &FileSet) {
    for host in &model.hosts {
        let roles = [
            (Program::Master, envs::MASTER_ENV, host.leader.as_ref().map(|l| &l.flags)),
            (Program::Agent, envs::AGENT_ENV, host.follower.as_ref().map(|f| &f.flags)),
            (Program::Marathon, envs::MARATHON_ENV, host.marathon.as_ref().map(|m| &m.flags)),
        ];
        for (program, path, flags) in roles {
            let Some(flags) = flags else { continue };
            let key = format!("hosts/{}{path}", host.name);
            let Some(file) = out.get(&key) else { continue };
            let docker = file.content.contains("docker run --env-file");
            let vars = if docker {
                support::envfile::parse_docker(&file.content)
            } else {
                support::envfile::parse_systemd(&file.content)
            }
            .unwrap_or_else(|e| panic!("{key}: {e}"));
            for (name, value) in envs::split_flags(program, flags).vars {
                let got = vars.iter().rev().find(|v| v.name == name);
                assert_eq!(
                    got.map(|v| v.value.as_str()),
                    Some(value.as_str()),
                    "{key}: {name}"
                );
            }
        }
        if let Some(zk) = &host.zookeeper {
            let key = format!("hosts/{}{ZOO_CFG}", host.name);
            let file = out.get(&key).unwrap_or_else(|| panic!("no {key}"));
            let props = support::props::properties(&file.content);
            for (name, setting) in &zk.config {
                let got = props.iter().rev().find(|(k, _)| k == name);
                assert_eq!(
                    got.map(|(_, v)| v.as_str()),
                    Some(setting.value.as_str()),
                    "{key}: {name}"
                );
            }
        }
    }
    for (path, file) in out.iter() {
        if path.ends_with(".service") {
            let unit = support::unit::UnitFile::parse(&file.content)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            for exec in unit.values("Service", "ExecStart") {
                support::unit::split_words(exec).unwrap_or_else(|e| panic!("{path}: {e}"));
            }
        } else if path.ends_with(".yaml") || path.ends_with(".yml") {
            yaml_rust2::YamlLoader::load_from_str(&file.content)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}
