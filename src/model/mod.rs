//! The model builder: [`Resolved`] → typed [`model::Cluster`], checked.
//!
//! It reads every block with its type, fills in defaults, derives what
//! mesosc computes (quorum, `zk://` URLs, ZooKeeper ids, resource strings),
//! checks user flags against the flag tables of the declared versions, and
//! then checks the whole: topology, ports per host, authentication, profiles.
//! Problems go to the diagnostics sink; the model is returned only when no
//! error was found.

mod checks;
mod coreos;
mod coreos_error;
mod coreos_types;
mod error;
mod etcd;
mod extra;
mod flagcheck;
mod hosts;
mod kinds;
pub mod natural;
mod overlays;
mod read;
mod rules;
mod services;
mod types;
mod usage;

use std::collections::BTreeSet;

pub use coreos_error::CoreosError;
pub use coreos_types::*;
pub use error::ModelError;
pub use types::*;

use crate::diagnostic::{Diagnostics, Report};
use crate::escape::Format;
use crate::model;
use crate::resolve::value::Table;
use crate::resolve::{CheckError, Resolved, Words};
use crate::schema::keys;
use crate::schema::{Program, Version};
use crate::span::{Span, Spanned};
use read::Reader;

/// What the model builder reports into: a list of any diagnostic type that
/// the resolver's and the model's errors convert into.
pub trait Sink: Report + From<CheckError> + From<ModelError> {}

impl<T: Report + From<CheckError> + From<ModelError>> Sink for T {}

/// Builds and checks the model (see the module's documentation). `source`
/// is the main file's name, for headers.
pub fn build<E: Sink>(
    resolved: &Resolved,
    source: &str,
    diags: &mut Diagnostics<E>,
) -> Option<model::Cluster> {
    let errors_before = diags.error_count();
    let mut b = Builder::new(diags, &resolved.words);
    let cluster = resolved.cluster.as_ref()?;
    b.r().known_keys(&cluster.body, keys::Block::Cluster);
    b.required_mesosc(&cluster.body);
    let versions = b.versions(&cluster.body)?;
    let outputs = b.outputs(&cluster.body);
    b.coherent_outputs(&cluster.body, &outputs);
    let runtime = b.runtime(&cluster.body);
    let ctx = Ctx {
        resolved,
        versions,
        runtime,
        // fleet metadata reaches the machines through the CoreOS
        // cloud-config (`coreos.fleet.metadata`), whatever runs the units.
        fleet: outputs.cloud_config == Some(CloudConfig::Coreos),
        runtime_span: read::slot_span(&cluster.body, "runtime"),
        cluster_span: cluster.name.span,
    };
    // The name is written on units' `Description=` lines and as `--cluster`
    // in env files.
    let name = &cluster.name;
    let formats = [Format::Unit, Format::EnvFile];
    if let Some(e) = CheckError::unwritable("the cluster name", &formats, &name.node, name.span) {
        b.diags.push(e);
    }
    let mut cluster_model = b.cluster(&ctx, &cluster.name.node, source, outputs);
    if let Some(c) = cluster_model.as_mut() {
        b.checks(&ctx, c);
        b.no_effect(&ctx, c);
    }
    (b.diags.error_count() == errors_before)
        .then_some(cluster_model)
        .flatten()
}

/// What every part of the builder needs to know.
pub(crate) struct Ctx<'a> {
    pub(crate) resolved: &'a Resolved,
    pub(crate) versions: Versions,
    pub(crate) runtime: model::Runtime,
    /// Whether fleet metadata reaches any output (it is read only then).
    pub(crate) fleet: bool,
    /// Where the cluster's `runtime` is (the cluster block without one).
    pub(crate) runtime_span: Span,
    pub(crate) cluster_span: Span,
}

impl Ctx<'_> {
    /// How a message names `role` when it is about the place `at`
    /// ([`Span::DETACHED`]: about the whole cluster): in the word the user
    /// wrote there (`agent`, not `follower`; [`crate::resolve::Words`]).
    /// Every message naming a role takes the name from here, never from
    /// [`Role::name`], which is the canonical key for lookups.
    pub(crate) fn say(&self, role: Role, at: Span) -> &'static str {
        say(&self.resolved.words, role, at)
    }

    /// The declared version of a program.
    pub(crate) fn version(&self, program: Program) -> &Version {
        match program {
            Program::Master | Program::Agent => &self.versions.mesos,
            Program::Marathon => &self.versions.marathon,
            Program::ZooKeeper => &self.versions.zookeeper,
        }
    }
}

/// How a message names `role` when it is about the place `at`, in the word
/// the user wrote: the one function behind [`Ctx::say`] and [`Builder::say`].
pub(crate) fn say(words: &Words, role: Role, at: Span) -> &'static str {
    words.word_at(role.name(), at)
}

/// The builder's state: the sink, and what was checked already (a setting
/// shared by a thousand hosts is checked, and reported, once).
pub(crate) struct Builder<'a, E: Sink> {
    pub(crate) diags: &'a mut Diagnostics<E>,
    /// The words the user wrote ([`Ctx::say`] for roles).
    pub(crate) words: &'a Words,
    pub(crate) checked: BTreeSet<(Span, &'static str)>,
    /// Paths of `file()` values met in the flags being read: secrets the
    /// instance's README entry must list.
    pub(crate) flag_secrets: Vec<String>,
    /// Set while flags are only checked, not used (blocks of roles no host
    /// has, overlays not selected): their entries are not marked read.
    pub(crate) checking_only: bool,
    /// `(variable, file)` of secret-valued options given as `file()` that
    /// the program also reads from a variable (`[env:NAME]`): the unit sets
    /// the variable from the file when it starts.
    pub(crate) secret_env: Vec<(String, String)>,
}

impl<'a, E: Sink> Builder<'a, E> {
    fn new(diags: &'a mut Diagnostics<E>, words: &'a Words) -> Self {
        Builder {
            diags,
            words,
            checked: BTreeSet::new(),
            flag_secrets: Vec::new(),
            checking_only: false,
            secret_env: Vec::new(),
        }
    }

    /// [`Ctx::say`], for code that has no context at hand.
    pub(crate) fn say(&self, role: Role, at: Span) -> &'static str {
        say(self.words, role, at)
    }

    /// Every role in the user's words at `at`, for a help line:
    /// "zookeeper, leader, follower and marathon".
    pub(crate) fn all_roles(&self, at: Span) -> String {
        let words: Vec<&str> = Role::ALL.iter().map(|r| self.say(*r, at)).collect();
        match words.split_last() {
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    pub(crate) fn r(&mut self) -> Reader<'_, E> {
        Reader {
            diags: self.diags,
            words: self.words,
        }
    }

    /// Whether the setting at `span` still needs checking (for `what`); marks it.
    pub(crate) fn first_time(&mut self, span: Span, what: &'static str) -> bool {
        span.is_detached() || self.checked.insert((span, what))
    }

    fn versions(&mut self, body: &Table) -> Option<Versions> {
        let Some(mesos) = self.version(body, "mesos") else {
            if body.get("mesos").is_none() {
                self.diags.push(crate::resolve::CheckError::MissingSetting {
                    key: "mesos".into(),
                    block: "the `cluster` block".into(),
                    span: body.span,
                    help: Some(
                        "declare the Mesos version the cluster runs: `mesos = \"1.11.0\"`".into(),
                    ),
                });
            }
            return None;
        };
        // Every declared version is used: manifest.json records them,
        // whether or not a host runs the program.
        let marathon = self.version(body, "marathon");
        let marathon = match marathon {
            Some(marathon) => {
                self.compatible(read::slot_span(body, "marathon"), &mesos, &marathon);
                marathon
            }
            None => crate::schema::versions::default_marathon(&mesos),
        };
        let zookeeper = self.version(body, "zookeeper");
        let zookeeper = zookeeper.unwrap_or_else(|| newest(Program::ZooKeeper));
        Some(Versions {
            mesos,
            marathon,
            zookeeper,
        })
    }

    /// `mesosc = ">= 0.2"`: the mesosc releases the description is written
    /// for (a Cargo-style version requirement, like Terraform's
    /// `required_version`). One that this mesosc does not meet is an error:
    /// an older compiler would write output the description's author did
    /// not review.
    fn required_mesosc(&mut self, body: &Table) {
        let Some(s) = self.r().string(body, "mesosc") else {
            return;
        };
        let running = env!("CARGO_PKG_VERSION");
        let req = match semver::VersionReq::parse(&s.node) {
            Ok(req) => req,
            Err(e) => {
                let help = Some(format!(
                    "write a version requirement such as `\">= {running}\"` or `\"~0.1\"`"
                ));
                self.r().invalid(
                    format!("invalid mesosc version requirement: {e}"),
                    "not a version requirement",
                    s.span,
                    help,
                );
                return;
            }
        };
        let meets = semver::Version::parse(running).is_ok_and(|v| req.matches(&v));
        if !meets {
            self.diags.push(ModelError::MesoscVersion {
                required: s.node.clone(),
                running: running.to_owned(),
                span: s.span,
                help: Some(format!(
                    "install a mesosc that meets `{}`, or change the requirement if this description works with mesosc {running}",
                    s.node
                )),
            });
        }
    }

    /// A declared Marathon that exits on the declared Mesos is an error.
    /// `span` is the declared Marathon version.
    fn compatible(&mut self, span: Span, mesos: &Version, marathon: &Version) {
        let Some(minimum) = crate::schema::versions::marathon_min_mesos(marathon) else {
            return;
        };
        if mesos < minimum {
            let suggested = crate::schema::versions::default_marathon(mesos);
            self.diags.push(ModelError::IncompatibleVersions {
                marathon: marathon.to_string(),
                mesos: mesos.to_string(),
                minimum: minimum.to_string(),
                span,
                help: Some(format!(
                    "declare `marathon = \"{suggested}\"` (the newest that runs on Mesos {mesos}), or `mesos = \"{minimum}\"` or newer"
                )),
            });
        }
    }

    fn version(&mut self, body: &Table, key: &str) -> Option<Version> {
        let s = self.r().string(body, key)?;
        match Version::parse(&s.node) {
            Ok(v) if !crate::schema::versions::released(key, &v) => {
                self.unreleased(key, &v, s.span);
                // Checked on as declared: its flags are still looked up.
                Some(v)
            }
            Ok(v) => Some(v),
            Err(e) => {
                let help = Some(format!(
                    "write a release number such as `\"{}\"`",
                    newest(program_of(key))
                ));
                self.r().invalid(
                    format!("invalid {key} version: {e}"),
                    "not a version",
                    s.span,
                    help,
                );
                None
            }
        }
    }

    /// A Mesos or Marathon version that no release tag has.
    fn unreleased(&mut self, key: &str, version: &Version, span: Span) {
        let nearest = crate::schema::versions::nearest_releases(key, version);
        let names: Vec<String> = nearest.iter().map(|v| format!("`\"{v}\"`")).collect();
        let help = match names.as_slice() {
            [] => None,
            [one] => Some(format!("the nearest release is {one}")),
            [a, b, ..] => Some(format!("the nearest releases are {a} and {b}")),
        };
        let program = if key == "marathon" {
            "Marathon"
        } else {
            "Mesos"
        };
        self.diags.push(ModelError::UnreleasedVersion {
            program: program.into(),
            version: version.to_string(),
            span,
            help,
        });
    }

    fn outputs(&mut self, body: &Table) -> Outputs {
        let mut outputs = Outputs::default();
        let words = match body.get("outputs") {
            Some(_) => self
                .r()
                .choices(
                    body,
                    "outputs",
                    keys::words(keys::Block::Cluster, "outputs"),
                )
                .unwrap_or_default(),
            None => vec![Spanned::new("systemd".to_string(), Span::DETACHED)],
        };
        // The flavour is read only with the cloud-config output.
        let cloud_config = words.iter().any(|w| w.node == "cloud-config");
        let flavour = cloud_config
            .then(|| {
                self.r().choice(
                    body,
                    "cloud_config",
                    keys::words(keys::Block::Cluster, "cloud_config"),
                )
            })
            .flatten();
        for w in words {
            match w.node.as_str() {
                "systemd" => outputs.systemd = true,
                "fleet" => outputs.fleet = true,
                _ => {
                    outputs.cloud_config = Some(match flavour.as_ref().map(|f| f.node.as_str()) {
                        Some("coreos") => CloudConfig::Coreos,
                        _ => CloudConfig::CloudInit,
                    })
                }
            }
        }
        outputs
    }

    pub(crate) fn runtime(&mut self, body: &Table) -> model::Runtime {
        match self.r().choice(
            body,
            "runtime",
            keys::words(keys::Block::Cluster, "runtime"),
        ) {
            Some(w) if w.node == "docker" => model::Runtime::Docker,
            _ => model::Runtime::Native,
        }
    }
}

/// The newest version of a program in the flag tables.
fn newest(program: Program) -> Version {
    let latest = match program {
        Program::Master | Program::Agent => "1.11.0",
        Program::Marathon => "1.11.0",
        Program::ZooKeeper => "3.9.5",
    };
    Version::parse(latest).expect("built-in version literals parse")
}

fn program_of(key: &str) -> Program {
    match key {
        "marathon" => Program::Marathon,
        "zookeeper" => Program::ZooKeeper,
        _ => Program::Master,
    }
}
