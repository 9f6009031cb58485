//! How units get the secret files their programs read, without a secret
//! value ever entering a generated file.
//!
//! Marathon reads its secret file directly (`--mesos_authentication_secret_file`).
//! Mesos wants one credentials file: the master all principals
//! (`--credentials`), an agent its own (`--credential`). The model points
//! those flags at [`MASTER_CREDENTIALS`] and [`AGENT_CREDENTIAL`] under
//! `/run`; the unit assembles that file when it starts, in a private
//! `RuntimeDirectory=` (mode 0700, removed when the unit stops), from the
//! secret files the operator provisioned (listed in README.md). It checks
//! that each is readable first, so a missing secret fails the start with a
//! message naming it.
//!
//! The format follows the Mesos version ([`crate::schema::versions::credential_format`]):
//! JSON since 0.20.0 (`src/credentials/credentials.hpp`; 1.11.0 reads nothing
//! else), the master's `{"credentials":[{"principal":…,"secret":…},…]}` and
//! an agent's single `{"principal":…,"secret":…}` (`readCredential`); one
//! `principal secret` a line before. A secret goes in as the file's exact
//! bytes, with `"` and `\` escaped for JSON by `sed`.
//!
//! One secret, two readers: Marathon reads its secret file raw, trailing
//! newline included (`MarathonSchedulerDriver.scala`), while the master's
//! copy would differ if a newline were dropped or kept. So every unit that
//! reads a shared secret file (master, agent and Marathon) refuses at start a
//! file holding a line break or another control character, with a message
//! naming it: secret files are written without a final newline
//! (`printf '%s' …`), and then every reader sees the same bytes.

use std::collections::BTreeMap;

use crate::escape::sh_quote;
use crate::model::{self, AGENT_CREDENTIAL, MASTER_CREDENTIALS};
use crate::schema::versions::{self, CredentialFormat};

/// Who reads an assembled file: a master (every principal) or an agent (one).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    Master,
    Agent,
}

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
    let pairs = model.auth.master_credentials();
    if flag(&leader.flags, "credentials") == Some(MASTER_CREDENTIALS) && !pairs.is_empty() {
        let format = versions::credential_format(&model.versions.mesos);
        return assembled(MASTER_CREDENTIALS, &pairs, format, Reader::Master);
    }
    read_directly(&leader.secrets)
}

/// An agent: its own credential, into `--credential`.
pub(crate) fn agent(model: &model::Cluster, follower: &model::Follower) -> SecretFiles {
    match model.auth.agent_credential() {
        Some(pair) if flag(&follower.flags, "credential") == Some(AGENT_CREDENTIAL) => {
            let format = versions::credential_format(&model.versions.mesos);
            assembled(AGENT_CREDENTIAL, &[pair], format, Reader::Agent)
        }
        _ => read_directly(&follower.secrets),
    }
}

/// Marathon: reads its secret files as they are; the one it shares with the
/// masters (`--mesos_authentication_secret_file`) is checked at start.
pub(crate) fn marathon(marathon: &model::Marathon) -> SecretFiles {
    let mut files = read_directly(&marathon.secrets);
    if let Some(shared) = flag(&marathon.flags, "mesos_authentication_secret_file") {
        files.assemble = Some(vec![check_loop(&[sh_quote(shared)])]);
    }
    files
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
fn assembled(
    target: &str,
    pairs: &[(&str, &str)],
    format: CredentialFormat,
    reader: Reader,
) -> SecretFiles {
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
        assemble: Some(script(target, pairs, format, reader)),
        mounts,
        notes,
    }
}

/// The shell script that writes the credentials of `pairs` to `target` in
/// `format`, one statement a line.
fn script(
    target: &str,
    pairs: &[(&str, &str)],
    format: CredentialFormat,
    reader: Reader,
) -> Vec<String> {
    let files: Vec<String> = pairs.iter().map(|(_, s)| sh_quote(s)).collect();
    let mut lines = vec!["umask 077;".to_owned(), check_loop(&files)];
    let mut body = Vec::new();
    match format {
        CredentialFormat::Text => {
            for (principal, secret) in pairs {
                body.push(format!(
                    "printf '%s %s\\n' {} \"$(cat {})\";",
                    sh_quote(principal),
                    sh_quote(secret)
                ));
            }
        }
        CredentialFormat::Json => {
            if reader == Reader::Master {
                body.push(printf_literal(r#"{"credentials":["#));
            }
            for (i, (principal, secret)) in pairs.iter().enumerate() {
                let comma = if i == 0 { "" } else { "," };
                let open = format!(
                    r#"{comma}{{"principal":{},"secret":""#,
                    serde_json::Value::String((*principal).to_owned())
                );
                body.push(format!(
                    r#"{} sed 's/[\\"]/\\&/g' {}; {}"#,
                    printf_literal(&open),
                    sh_quote(secret),
                    printf_literal(r#""}"#)
                ));
            }
            if reader == Reader::Master {
                body.push(printf_literal("]}"));
            }
        }
    }
    if let Some(first) = body.first_mut() {
        first.insert_str(0, "{ ");
    }
    lines.extend(body);
    lines.push(format!("}} > {}", sh_quote(target)));
    lines
}

/// The loop that fails the start when a secret file is unreadable or holds
/// a line break or another control character (which its readers would not
/// agree on, see the module docs).
fn check_loop(files: &[String]) -> String {
    format!(
        "for f in {}; do test -r \"$f\" || {{ echo \"cannot read secret file $f\" >&2; exit 1; }}; \
         n=$(LC_ALL=C tr -d '\\040-\\176\\200-\\377' < \"$f\" | wc -c); \
         test $n -eq 0 || {{ echo \"secret file $f holds a line break or control character: write it with printf '%s' (no final newline)\" >&2; exit 1; }}; done;",
        files.join(" ")
    )
}

/// `printf` of a fixed text, as one statement.
fn printf_literal(text: &str) -> String {
    format!("printf '%s' {};", sh_quote(text))
}
