//! Env files: `etc/mesos/master.env`, `etc/mesos/agent.env` (`MESOS_*`,
//! `LIBPROCESS_*`) and `etc/marathon/marathon.env` (`MARATHON_*`).
//!
//! Every variable comes from the flag tables: each entry of the model's flag
//! set goes through [`schema::env_var`], which knows each program's prefix
//! and spelling. A flag that has no variable (Marathon's camelCase options,
//! `app_*` options, which Marathon ignores in the environment) goes on the
//! unit's command line instead (`--name=value`, or `--name` for an empty
//! value). A Marathon `flag` option that is on has an empty value:
//! `MARATHON_X=` is how Marathon reads a bare `--x`.
//!
//! Values are written for the reader of the file:
//!
//! - Native units read it with systemd's `EnvironmentFile=`: a value is
//!   written bare unless it is empty of meaning to that parser (leading or
//!   trailing whitespace, which systemd strips) or holds a quote, `\`, `$`, a
//!   backtick, `#`, a control character or a space; then it is double-quoted,
//!   with `"`, `\`, `` ` `` and `$` escaped by `\` (systemd's rules in
//!   `env-file.c`: inside double quotes exactly these four are unescaped; a
//!   line break inside the quotes is kept).
//! - Docker units pass it with `docker run --env-file`, which takes every
//!   value literally up to the end of the line, without quote handling: the
//!   value is written as it is, and a line break (which that format cannot
//!   hold) becomes a space.
//!
//! Lines are sorted by variable name. With `network = bridge` a container's
//! file also gets `LIBPROCESS_ADVERTISE_IP/PORT` (and for masters and agents
//! `MESOS_ADVERTISE_IP/PORT`) from `advertise { }`; Marathon's gets
//! `LIBPROCESS_PORT` from its `libprocess_port` in every runtime, and
//! `LIBPROCESS_IP`. A flag of the same variable wins.

use std::collections::BTreeMap;

use askama::Template;

use super::{Emitter, FileKind, render};
pub use crate::escape::{docker_value, systemd_value};
use crate::model::{self, Run, Service, Setting};
use crate::schema::{self, Program};

/// The env file of a Mesos master.
pub const MASTER_ENV: &str = "/etc/mesos/master.env";
/// The env file of a Mesos agent.
pub const AGENT_ENV: &str = "/etc/mesos/agent.env";
/// The env file of Marathon.
pub const MARATHON_ENV: &str = "/etc/marathon/marathon.env";

/// `master.env` and `agent.env`.
#[derive(Template)]
#[template(path = "mesos.env", config = "src/emit/askama.toml")]
struct MesosEnv {
    header: String,
    syntax: &'static str,
    lines: Vec<String>,
}

/// `marathon.env`.
#[derive(Template)]
#[template(path = "marathon.env", config = "src/emit/askama.toml")]
struct MarathonEnv {
    header: String,
    syntax: &'static str,
    lines: Vec<String>,
}

/// A flag set split by how it reaches the program.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SplitFlags {
    /// Environment variables, by name.
    pub vars: BTreeMap<String, String>,
    /// Command-line arguments for flags without a variable, in flag order.
    pub args: Vec<String>,
}

/// Splits `flags` of `program` into environment variables and arguments.
pub fn split_flags(program: Program, flags: &BTreeMap<String, Setting>) -> SplitFlags {
    let mut split = SplitFlags::default();
    for (name, setting) in flags {
        match schema::env_var(program, name) {
            Some(var) => {
                split.vars.insert(var, setting.value.clone());
            }
            None if setting.value.is_empty() => split.args.push(format!("--{name}")),
            None => split.args.push(format!("--{name}={}", setting.value)),
        }
    }
    split
}

/// Adds the env files of every host.
pub(crate) fn emit(model: &model::Cluster, out: &mut Emitter) {
    for host in &model.hosts {
        if let Some(leader) = &host.leader {
            let text = mesos_file(Program::Master, &leader.flags, &leader.service, out);
            out.add(Some(&host.name), MASTER_ENV, FileKind::EnvFile, text);
        }
        if let Some(follower) = &host.follower {
            let text = mesos_file(Program::Agent, &follower.flags, &follower.service, out);
            out.add(Some(&host.name), AGENT_ENV, FileKind::EnvFile, text);
        }
        if let Some(marathon) = &host.marathon {
            let (syntax, mut lines) =
                env_lines(Program::Marathon, &marathon.flags, &marathon.service);
            if let Some(ip) = marathon_libprocess_ip(&marathon.service, host.address) {
                lines.push(format!("LIBPROCESS_IP={ip}"));
                lines.sort();
            }
            let text = render(&MarathonEnv {
                header: out.header("#"),
                syntax,
                lines,
            });
            out.add(Some(&host.name), MARATHON_ENV, FileKind::EnvFile, text);
        }
    }
}

fn mesos_file(
    program: Program,
    flags: &BTreeMap<String, Setting>,
    service: &Service,
    out: &Emitter,
) -> String {
    let (syntax, lines) = env_lines(program, flags, service);
    render(&MesosEnv {
        header: out.header("#"),
        syntax,
        lines,
    })
}

/// The sorted `NAME=value` lines of a service's env file, and a comment
/// naming the syntax they are written in.
fn env_lines(
    program: Program,
    flags: &BTreeMap<String, Setting>,
    service: &Service,
) -> (&'static str, Vec<String>) {
    let mut vars = split_flags(program, flags).vars;
    if service.bridged() {
        for (name, value) in advertise_vars(program, service) {
            vars.entry(name.to_owned()).or_insert(value);
        }
    }
    // libprocess TLS: its files are secrets, only their paths are here.
    for (name, value) in service.tls.iter().flat_map(model::Tls::vars) {
        vars.entry(name).or_insert(value);
    }
    // Marathon's libprocess binds a random port unless told (process.cpp);
    // a fixed one can be published and reached (native runtimes too).
    if let Some(p) = service.advertise.as_ref().and_then(|a| a.libprocess_port) {
        vars.entry("LIBPROCESS_PORT".to_owned())
            .or_insert(p.to_string());
    }
    let (syntax, quote): (&'static str, fn(&str) -> String) = match service.run {
        Run::Docker(_) => (
            "docker run --env-file: each value is literal up to the end of its line.",
            docker_value,
        ),
        Run::Native { .. } => (
            "systemd EnvironmentFile=: values with spaces or quotes are double-quoted.",
            systemd_value,
        ),
    };
    let lines = vars
        .iter()
        .map(|(k, v)| format!("{k}={}", quote(v)))
        .collect();
    (syntax, lines)
}

/// The address Marathon's libmesos binds (`LIBPROCESS_IP`): Marathon's
/// README (v1.10.26, "Make sure that `LIBPROCESS_IP` environment variable is
/// set") requires it, because without it libprocess binds the address the
/// host name resolves to, `127.0.1.1` on Debian and Ubuntu, which masters
/// cannot reach. The host's address on the host network; every interface in
/// a bridged container (which advertises the host's instead). libprocess
/// takes only IPv4 (`3rdparty/libprocess/src/process.cpp`), so an IPv6 host
/// gets none. A `LIBPROCESS_IP` in the flags is not possible (it is not a
/// Marathon option), so this is the only one.
fn marathon_libprocess_ip(service: &Service, address: std::net::IpAddr) -> Option<String> {
    match service.bridged() {
        true => Some("0.0.0.0".to_owned()),
        false => address.is_ipv4().then(|| address.to_string()),
    }
}

/// What a bridged container advertises.
fn advertise_vars(program: Program, service: &Service) -> Vec<(&'static str, String)> {
    let Some(adv) = &service.advertise else {
        return Vec::new();
    };
    let mut vars = vec![
        ("LIBPROCESS_ADVERTISE_IP", adv.ip.to_string()),
        ("LIBPROCESS_ADVERTISE_PORT", adv.port.to_string()),
    ];
    if program.is_mesos() {
        vars.push(("MESOS_ADVERTISE_IP", adv.ip.to_string()));
        vars.push(("MESOS_ADVERTISE_PORT", adv.port.to_string()));
    }
    vars
}
