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
use crate::model::{
    self, AGENT_CREDENTIAL, AGENT_ZK_URL, MARATHON_SECRETS_ENV, MASTER_CREDENTIALS, MASTER_ZK_URL,
};
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
    /// A runtime env file the unit writes before the program starts and
    /// hands to it (`EnvironmentFile=`, or `docker run --env-file`).
    pub env_file: Option<String>,
}

/// The master: every framework credential and the followers' one, into
/// `--credentials`.
pub(crate) fn master(model: &model::Cluster, leader: &model::Leader) -> SecretFiles {
    let zk = zk_secret(model, &leader.flags, "zk", MASTER_ZK_URL);
    let pairs = model.auth.master_credentials();
    let mut files =
        if flag(&leader.flags, "credentials") == Some(MASTER_CREDENTIALS) && !pairs.is_empty() {
            let format = versions::credential_format(&model.versions.mesos);
            assembled(MASTER_CREDENTIALS, &pairs, format, Reader::Master)
        } else {
            read_directly(&without(&leader.secrets, zk))
        };
    if let Some(secret) = zk {
        zk_urls(
            &mut files,
            MASTER_ZK_URL,
            secret,
            &[(None, &model.mesos_zk)],
        );
    }
    files
}

/// An agent: its own credential, into `--credential`.
pub(crate) fn agent(model: &model::Cluster, follower: &model::Follower) -> SecretFiles {
    let zk = zk_secret(model, &follower.flags, "master", AGENT_ZK_URL);
    let mut files = match model.auth.agent_credential() {
        Some(pair) if flag(&follower.flags, "credential") == Some(AGENT_CREDENTIAL) => {
            let format = versions::credential_format(&model.versions.mesos);
            assembled(AGENT_CREDENTIAL, &[pair], format, Reader::Agent)
        }
        _ => read_directly(&without(&follower.secrets, zk)),
    };
    if let Some(secret) = zk {
        zk_urls(&mut files, AGENT_ZK_URL, secret, &[(None, &model.mesos_zk)]);
    }
    files
}

/// Marathon: reads its secret files as they are; the one it shares with the
/// masters (`--mesos_authentication_secret_file`) is checked at start. With
/// ZooKeeper credentials, the unit writes `MARATHON_ZK` and
/// `MARATHON_MASTER` to a runtime env file ([`MARATHON_SECRETS_ENV`]).
pub(crate) fn marathon(model: &model::Cluster, marathon: &model::Marathon) -> SecretFiles {
    // Without `zk` in its flags, Marathon takes both URLs from the runtime file.
    let zk = model
        .auth
        .zookeeper
        .as_deref()
        .filter(|_| !marathon.flags.contains_key("zk"));
    let assembled_from: Vec<&str> = zk
        .into_iter()
        .chain(marathon.secret_env.iter().map(|(_, p)| p.as_str()))
        .collect();
    let read: Vec<String> = marathon
        .secrets
        .iter()
        .filter(|s| !assembled_from.contains(&s.as_str()))
        .cloned()
        .collect();
    let mut files = read_directly(&read);
    if let Some(shared) = flag(&marathon.flags, "mesos_authentication_secret_file") {
        files.assemble = Some(vec![check_loop(&[sh_quote(shared)])]);
    }
    if let Some(secret) = zk {
        let urls = [
            (Some("MARATHON_ZK"), model.marathon_zk.as_str()),
            (Some("MARATHON_MASTER"), model.mesos_zk.as_str()),
        ];
        zk_urls(&mut files, MARATHON_SECRETS_ENV, secret, &urls);
    }
    if !marathon.secret_env.is_empty() {
        let docker = marathon.service.container().is_some();
        secret_vars(&mut files, &marathon.secret_env, docker, zk.is_some());
    }
    if !assembled_from.is_empty() {
        files.env_file = Some(MARATHON_SECRETS_ENV.to_owned());
    }
    files
}

/// Adds the statements that write `NAME=value` lines to
/// [`MARATHON_SECRETS_ENV`] from secret files, `append`ing to what the URLs
/// wrote. The value is the file's bytes (no line break or control
/// character, checked first): literal for `docker run --env-file`, and
/// double-quoted with `\`, `"`, `` ` `` and `$` escaped for systemd's
/// `EnvironmentFile=`.
fn secret_vars(files: &mut SecretFiles, vars: &[(String, String)], docker: bool, append: bool) {
    let target = MARATHON_SECRETS_ENV;
    let dir = "marathon";
    let script = start_script(files, dir);
    let quoted: Vec<String> = vars.iter().map(|(_, p)| sh_quote(p)).collect();
    script.push(check_loop(&quoted));
    let mut body = Vec::new();
    for ((name, _), file) in vars.iter().zip(&quoted) {
        body.push(if docker {
            format!(
                "{} cat {file}; printf '\\n';",
                printf_literal(&format!("{name}="))
            )
        } else {
            format!(
                r#"{} sed 's/[\\"`$]/\\&/g' {file}; printf '"\n';"#,
                printf_literal(&format!("{name}=\""))
            )
        });
    }
    if let Some(first) = body.first_mut() {
        first.insert_str(0, "{ ");
    }
    script.extend(body);
    let redirect = if append { ">>" } else { ">" };
    script.push(format!("}} {redirect} {}", sh_quote(target)));
    let names: Vec<&str> = vars.iter().map(|(n, _)| n.as_str()).collect();
    files.notes.push(format!(
        "Writes {target} with {} from secret files (see README.md).",
        names.join(", ")
    ));
}

/// The start script of a unit that writes runtime files under
/// `/run/<dir>/`, ready for more statements: the runtime directory (mounted
/// into a container), `umask 077` first, and the last statement so far
/// ended in `;` (every statement but the last must be).
fn start_script<'f>(files: &'f mut SecretFiles, dir: &str) -> &'f mut Vec<String> {
    files
        .runtime_directory
        .get_or_insert_with(|| dir.to_owned());
    let mount = format!("/run/{dir}");
    if !files.mounts.contains(&mount) {
        files.mounts.push(mount);
    }
    let script = files.assemble.get_or_insert_with(Vec::new);
    if script.first().map(String::as_str) != Some("umask 077;") {
        script.insert(0, "umask 077;".to_owned());
    }
    if let Some(last) = script.last_mut()
        && !last.ends_with(';')
    {
        last.push(';');
    }
    script
}

/// The ZooKeeper credentials file, when the program reads `flag` from the
/// runtime file `target` (`file://…`).
fn zk_secret<'m>(
    model: &'m model::Cluster,
    flags: &BTreeMap<String, model::Setting>,
    name: &str,
    target: &str,
) -> Option<&'m str> {
    let reads = flag(flags, name).and_then(|v| v.strip_prefix("file://")) == Some(target);
    model.auth.zookeeper.as_deref().filter(|_| reads)
}

/// `secrets` without `skip`: a file the unit assembles from, not one the
/// program reads.
fn without(secrets: &[String], skip: Option<&str>) -> Vec<String> {
    secrets
        .iter()
        .filter(|s| Some(s.as_str()) != skip)
        .cloned()
        .collect()
}

/// Adds the statements that write `target` (under `/run/<dir>/`) from the
/// ZooKeeper credentials file `secret`: each URL of `urls` with the
/// credentials put in (`zk://user:password@servers/path`), alone or as
/// `NAME=URL` lines. The file must hold `user:password` in characters that
/// every reader takes alike: Mesos' `zookeeper/url.hpp` splits the URL at
/// its first `/` and last `@`, Marathon's `ZookeeperConf.scala` takes the
/// user up to the first `:`, and the env file formats of systemd and docker
/// differ for quotes, `\` and spaces.
fn zk_urls(files: &mut SecretFiles, target: &str, secret: &str, urls: &[(Option<&str>, &str)]) {
    let dir = target
        .strip_prefix("/run/")
        .and_then(|t| t.rsplit_once('/'))
        .map(|(d, _)| d)
        .unwrap_or_default();
    let script = start_script(files, dir);
    let quoted = sh_quote(secret);
    script.push(check_loop(std::slice::from_ref(&quoted)));
    script.push(format!(
        "LC_ALL=C grep -Eqx '[[:alnum:]._~+=,-]+:[[:alnum:]._~+=,:-]+' {quoted} || {{ echo \"ZooKeeper credentials file {secret} must hold user:password, of letters, digits and ._~+=,- only\" >&2; exit 1; }};"
    ));
    let mut body = Vec::new();
    for (name, url) in urls {
        let rest = url.strip_prefix("zk://").unwrap_or(url);
        let open = match name {
            Some(name) => format!("{name}=zk://"),
            None => "zk://".to_owned(),
        };
        let close = if name.is_some() { "\\n" } else { "" };
        body.push(format!(
            "{} cat {quoted}; printf '@%s{close}' {};",
            printf_literal(&open),
            sh_quote(rest)
        ));
    }
    if let Some(first) = body.first_mut() {
        first.insert_str(0, "{ ");
    }
    script.extend(body);
    script.push(format!("}} > {}", sh_quote(target)));
    files.notes.push(format!(
        "Writes {target} with the ZooKeeper credentials of {secret} (see README.md)."
    ));
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
        env_file: None,
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
        env_file: None,
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
