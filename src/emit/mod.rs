//! Stage 4: writes every artifact into memory; turns a [`model::Cluster`] and
//! its [`Plan`] into a [`FileSet`].
//!
//! One module per artifact family, one askama template per artifact (in
//! `templates/`, named after the file it produces). Template structs hold only
//! pre-formatted, pre-sorted text; the templates only loop and branch over it.
//! Nothing here touches the disk: [`crate::output`] writes the set.
//!
//! # Escaping and whitespace
//!
//! `askama.toml` (next to this file; every derive names it with `config = …`)
//! maps `.service`, `.env`, `.cfg` and `.md` to askama's `Text` escaper, which
//! escapes nothing: each format has its own quoting rules, which askama cannot
//! know, so the Rust side quotes every value for its format before it reaches a
//! template (all in [`escape`], one function per format, which also
//! says what each format cannot carry). One mapping file, rather than
//! `escape = "none"` on every derive, states in one place which formats
//! mesosc writes and that askama escapes none of them; a template with an
//! extension missing there does not compile, so a new format is a decision.
//! Whitespace is `preserve`; control tags trim the newline before them
//! (`{%- … %}`), so a template reads like the file it makes. askama drops the
//! template file's final newline; `render` puts it back.
//!
//! # What is written
//!
//! Always: `manifest.json`, `README.md`, `graph.dot`. With the `systemd`
//! output, per host under `hosts/<host>/` (a root-filesystem overlay): the
//! units in `etc/systemd/system/`, the env files in `etc/mesos/` and
//! `etc/marathon/`, and for ZooKeeper servers `etc/zookeeper/zoo.cfg` and
//! `<dataDir>/myid`. Every file gets mode 0644: none holds a secret (secrets
//! are referenced by path only, and units that need a credentials file
//! assemble it on the host), and every one is read by root-run services.
//!
//! With the `owca` profile, a follower also gets `etc/owca/config.yaml` and
//! `owca.service` ([`owca`]).
//!
//! The host files (units, env files, ZooKeeper's files, OWCA's) are always
//! made, into a set of their own: the `systemd` output adds them to the build,
//! and the `cloud-config` output embeds them in each host's
//! `cloud-config/<host>.yaml` ([`cloud_config`]), outside the overlay, so a cloud-config is
//! complete whether or not the overlay is written too. The `fleet` output
//! writes `fleet/` ([`fleet`]): `zookeeper@.service`, `mesos-master@.service`
//! (one instance per host, `<name>@<host>.service`), global
//! `mesos-agent.service`, `marathon.service`, `owca.service` and one global
//! unit per extra service, from the same unit rendering. Each family has
//! its own [`FileKind`]. The manifest is made last and lists whatever was
//! added. YAML is written by [`yaml`], never by pasting strings together.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model;
use crate::plan::Plan;

pub mod cloud_config;
mod credentials;
pub mod deploy;
pub mod env;
pub mod fleet;
mod manifest;
pub mod owca;
mod readme;
pub mod systemd;
pub mod yaml;
pub mod zookeeper;

pub use manifest::{
    FORMAT_VERSION, Inputs, MANIFEST, Manifest, ManifestFile, ManifestPlan, ManifestVersions,
};

/// Every file of a build, by path relative to the output folder
/// (`/`-separated, e.g. `hosts/master-01/etc/zookeeper/zoo.cfg`).
pub type FileSet = BTreeMap<String, FileEntry>;

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// The whole text (every artifact mesosc writes is UTF-8 text).
    pub content: String,
    /// The host the file belongs to (its `hosts/<host>/…` overlay, or its
    /// `cloud-config/<host>.yaml`), `None` for files about the whole cluster.
    pub host: Option<String>,
    /// What it is.
    pub kind: FileKind,
    /// Unix permission bits (0o644 for every file today).
    pub mode: u32,
}

impl FileEntry {
    /// The SHA-256 of the content, lower-case hex.
    pub fn sha256(&self) -> String {
        sha256_hex(self.content.as_bytes())
    }
}

/// The kind of a generated file, as `manifest.json` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A systemd unit (`*.service`).
    SystemdUnit,
    /// An env file read by `EnvironmentFile=` or `docker run --env-file`.
    EnvFile,
    /// ZooKeeper's `zoo.cfg`.
    ZooCfg,
    /// ZooKeeper's `myid`.
    ZookeeperMyid,
    /// `manifest.json`.
    Manifest,
    /// `README.md`.
    Readme,
    /// `graph.dot`.
    Graph,
    /// A fleet unit under `fleet/`.
    FleetUnit,
    /// A host's `cloud-config/<host>.yaml`.
    CloudConfig,
    /// OWCA's `config.yaml`.
    OwcaConfig,
}

/// The mode of every generated file.
pub const DEFAULT_MODE: u32 = 0o644;

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Writes every artifact of `model` in memory, `manifest.json` last (it lists
/// the others).
pub fn emit(model: &model::Cluster, plan: &Plan) -> FileSet {
    let fresh = || Emitter::new(model);
    // The families are independent: rendered in parallel, each into a set of
    // its own, and merged in the order they were always added (a path made
    // twice keeps the later file). The biggest (systemd units, then
    // cloud-config) are rendered on the calling thread, the others on the
    // pool: the caller's allocator holds the memory the check just freed,
    // which pool threads would not reuse (about 25 MB at 10,000 hosts).
    let (mut env_files, mut fleet, mut docs) = (None, None, None);
    let mut host = rayon::in_place_scope(|scope| {
        scope.spawn(|_| {
            let mut e = fresh();
            env::emit(model, &mut e);
            env_files = Some(e);
        });
        scope.spawn(|_| {
            fleet = model.outputs.fleet.then(|| {
                let mut e = fresh();
                fleet::emit(model, plan, &mut e);
                e
            });
            let mut e = fresh();
            let mut graph = e.header("//");
            graph.push('\n');
            graph.push_str(&plan.grouped_dot());
            e.add(None, "graph.dot", FileKind::Graph, graph);
            let fleet_waves = (fleet.as_ref()).map(|f| fleet::start_waves(model, plan, &f.files));
            readme::emit(model, plan, fleet_waves.as_deref(), &mut e);
            docs = Some(e);
        });
        let mut e = fresh();
        systemd::emit(model, plan, &mut e);
        e
    });
    let (env_files, docs) = (
        env_files.expect("rendered in the scope"),
        docs.expect("rendered in the scope"),
    );
    host.files.extend(env_files.files);
    zookeeper::emit(model, &mut host);
    owca::emit(model, &mut host);
    let cloud = model.outputs.cloud_config.map(|flavour| {
        let mut e = fresh();
        cloud_config::emit(model, plan, flavour, &host.files, &mut e);
        e
    });
    let mut out = fresh();
    if model.outputs.systemd {
        out.files.extend(host.files);
    }
    for family in [cloud, fleet, Some(docs)].into_iter().flatten() {
        out.files.extend(family.files);
    }
    manifest::emit(model, plan, out)
}

/// The set being built, and what every artifact's header needs.
pub(crate) struct Emitter {
    files: FileSet,
    source: String,
}

impl Emitter {
    fn new(model: &model::Cluster) -> Self {
        Emitter {
            files: FileSet::new(),
            source: display_name(&model.source),
        }
    }

    /// The generated-by line in a comment syntax (`#`, `//`), without its
    /// line break.
    pub(crate) fn header(&self, comment: &str) -> String {
        format!("{comment} {}", self.generated_by())
    }

    /// "Generated by mesosc from thegrid.mcl; do not edit by hand."
    pub(crate) fn generated_by(&self) -> String {
        format!(
            "Generated by mesosc from {}; do not edit by hand.",
            self.source
        )
    }

    /// Adds a file for `host` at `path` (relative to the host's root when
    /// `host` is given, else to the output folder).
    pub(crate) fn add(
        &mut self,
        host: Option<&str>,
        path: &str,
        kind: FileKind,
        mut content: String,
    ) {
        // Text grows by doubling while it is rendered; all of it is held
        // until written, so the slack is given back.
        content.shrink_to_fit();
        let full = match host {
            Some(h) => host_path(h, path),
            None => path.to_owned(),
        };
        let entry = FileEntry {
            content,
            host: host.map(str::to_owned),
            kind,
            mode: DEFAULT_MODE,
        };
        self.files.insert(full, entry);
    }

    /// Adds a file that belongs to `host` but lives outside its overlay, at
    /// `path` relative to the output folder.
    pub(crate) fn add_owned(
        &mut self,
        host: &str,
        path: String,
        kind: FileKind,
        mut content: String,
    ) {
        content.shrink_to_fit();
        let entry = FileEntry {
            content,
            host: Some(host.to_owned()),
            kind,
            mode: DEFAULT_MODE,
        };
        self.files.insert(path, entry);
    }
}

/// `hosts/<host>/<path>`, with `path` absolute or relative on the host, and
/// empty and `.` components dropped.
pub(crate) fn host_path(host: &str, path: &str) -> String {
    let mut parts = vec!["hosts", host];
    parts.extend(path.split('/').filter(|p| !p.is_empty() && *p != "."));
    parts.join("/")
}

/// A source name as it may appear in output: `\` becomes `/`, and an absolute
/// path (which would leak the compiling machine's layout) is cut to its file
/// name.
pub(crate) fn display_name(name: &str) -> String {
    let name = name.replace('\\', "/");
    let absolute = name.starts_with('/') || name.as_bytes().get(1) == Some(&b':');
    match name.rsplit('/').next() {
        Some(file) if absolute => file.to_owned(),
        _ => name,
    }
}

/// Renders a template and restores the final newline that askama drops from
/// the template file.
pub(crate) fn render(template: &impl askama::Template) -> String {
    let mut text = template
        .render()
        .expect("templates only format prepared strings, which cannot fail");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
