//! How units get the secret files their programs read, without a secret
//! value ever entering a generated file.
//!
//! Marathon reads its secret file directly (`--mesos_authentication_secret_file`).
//! Mesos wants one file of `principal secret` pairs: the master all of them
//! (`--credentials`), an agent its own (`--credential`). The model points
//! those flags at [`MASTER_CREDENTIALS`] and [`AGENT_CREDENTIAL`] under
//! `/run`; the unit assembles that file when it starts, in a private
//! `RuntimeDirectory=` (mode 0700, removed when the unit stops), from the
//! secret files the operator provisioned (listed in README.md). It checks
//! that each is readable first, so a missing secret fails the start with a
//! message naming it.
//!
//! The assembled file uses Mesos' text format, one `principal secret` a line
//! (`credentials::read`, accepted by every Mesos release), rather than JSON,
//! which a shell cannot write safely for arbitrary secrets: a secret is a
//! single word, and one with whitespace is rejected by Mesos at start.

use std::collections::BTreeMap;

use crate::escape::sh_quote;
use crate::model::{self, AGENT_CREDENTIAL, MASTER_CREDENTIALS};

/// What a unit needs for its program's secrets.
#[derive(Default)]
pub(crate) struct SecretFiles {
    /// `RuntimeDirectory=` (relative to `/run`), when the unit assembles a file.
    pub runtime_directory: Option<String>,
    /// The `/bin/sh` script that assembles it, one statement a line.
    pub assemble: Option<Vec<String>>,
    /// What a container must see, read-only, at the same path.
    pub mounts: Vec<String>,
    /// Comment lines for the unit.
    pub notes: Vec<String>,
}

/// The master: every framework credential and the followers' one, into
/// `--credentials`.
pub(crate) fn master(model: &model::Cluster, leader: &model::Leader) -> SecretFiles {
    let mut pairs: BTreeMap<&str, &str> = model
        .auth
        .credentials
        .iter()
        .map(|(p, s)| (p.as_str(), s.as_str()))
        .collect();
    if let (Some(p), Some(s)) = (&model.auth.follower_principal, &model.auth.follower_secret) {
        pairs.insert(p, s);
    }
    let mut files = read_directly(&leader.secrets);
    if flag(&leader.flags, "credentials") == Some(MASTER_CREDENTIALS) && !pairs.is_empty() {
        files = assembled(MASTER_CREDENTIALS, &pairs.into_iter().collect::<Vec<_>>());
    }
    files
}

/// An agent: its own credential, into `--credential`.
pub(crate) fn agent(model: &model::Cluster, follower: &model::Follower) -> SecretFiles {
    let auth = &model.auth;
    match (&auth.follower_principal, &auth.follower_secret) {
        (Some(p), Some(s)) if flag(&follower.flags, "credential") == Some(AGENT_CREDENTIAL) => {
            assembled(AGENT_CREDENTIAL, &[(p.as_str(), s.as_str())])
        }
        _ => read_directly(&follower.secrets),
    }
}

/// Marathon: reads its secret files as they are.
pub(crate) fn marathon(marathon: &model::Marathon) -> SecretFiles {
    read_directly(&marathon.secrets)
}

fn flag<'a>(flags: &'a BTreeMap<String, model::Setting>, name: &str) -> Option<&'a str> {
    flags.get(name).map(|s| s.value.as_str())
}

/// Secret files the program reads itself.
fn read_directly(secrets: &[String]) -> SecretFiles {
    let mut paths: Vec<String> = secrets.to_vec();
    paths.sort();
    paths.dedup();
    let notes = if paths.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "Reads secret files (see README.md): {}",
            paths.join(" ")
        )]
    };
    SecretFiles {
        runtime_directory: None,
        assemble: None,
        mounts: paths,
        notes,
    }
}

/// A file at `target` (under `/run/<dir>/`) assembled from `pairs` of
/// principal and secret file.
fn assembled(target: &str, pairs: &[(&str, &str)]) -> SecretFiles {
    let dir = target
        .strip_prefix("/run/")
        .and_then(|t| t.rsplit_once('/'))
        .map(|(d, _)| d);
    let sources: Vec<&str> = pairs.iter().map(|(_, s)| *s).collect();
    let notes = vec![
        format!(
            "Assembles {target} from the secret files (see README.md): {}",
            sources.join(" ")
        ),
        "Only their paths are here: the values stay on the host.".to_owned(),
    ];
    let mounts = dir.map(|d| format!("/run/{d}")).into_iter().collect();
    SecretFiles {
        runtime_directory: dir.map(str::to_owned),
        assemble: Some(script(target, pairs)),
        mounts,
        notes,
    }
}

/// The shell script that writes `principal secret` lines to `target`, one
/// statement a line.
fn script(target: &str, pairs: &[(&str, &str)]) -> Vec<String> {
    let files: Vec<String> = pairs.iter().map(|(_, s)| sh_quote(s)).collect();
    let mut lines = vec![
        "umask 077;".to_owned(),
        format!(
            "for f in {}; do test -r \"$f\" || {{ echo \"cannot read secret file $f\" >&2; exit 1; }}; done;",
            files.join(" ")
        ),
    ];
    for (i, (principal, secret)) in pairs.iter().enumerate() {
        let open = if i == 0 { "{ " } else { "" };
        lines.push(format!(
            "{open}printf '%s %s' {} \"$(cat {})\"; echo;",
            sh_quote(principal),
            sh_quote(secret)
        ));
    }
    lines.push(format!("}} > {}", sh_quote(target)));
    lines
}
