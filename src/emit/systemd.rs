//! systemd units: one per role on each host (`zookeeper.service`,
//! `mesos-master.service`, `mesos-agent.service`, `marathon.service`) and one
//! per extra service placed on it (`<name>.service`).
//!
//! Choices every unit shares:
//!
//! - `After=`/`Wants=` name `network-online.target` and the units of the same
//!   host that the plan orders before this one (a leader after the local
//!   ZooKeeper). Dependencies on other hosts cannot be expressed in systemd;
//!   the rollout waves carry them. `Wants=` rather than `Requires=`, so a
//!   local ZooKeeper failing does not stop the master with it.
//! - `Restart=always` with `RestartSec=10`: a Mesos master and Marathon exit
//!   on purpose when they lose leadership or their ZooKeeper session, and not
//!   always with a failure status; they expect the supervisor to start them
//!   again. Ten seconds keeps the restarts below systemd's start limit (5 in
//!   10 s), so a unit never gives up while ZooKeeper is still coming up.
//! - `LimitNOFILE=65536`: every one of these daemons holds a connection or a
//!   file per task, agent or client.
//! - Secrets: units only name paths. Marathon reads its secret file itself; a
//!   Mesos master or agent unit assembles its credentials file under `/run`
//!   when it starts (see `emit/credentials.rs`). A comment in each
//!   unit names the files, and README.md says how to provision them.
//! - Runtime `docker`: `docker run --rm --name <unit name>` with
//!   `ExecStartPre=-docker rm -f` (a container left by a crash would block the
//!   name), `ExecStop=docker stop`, `Requires=`/`After=docker.service`, volumes
//!   for the work and log directories (same path inside as outside, so the
//!   flags hold for both). The env file goes to `--env-file`, not to
//!   `EnvironmentFile=`: the variables are for the container, not for the
//!   docker client. With `network = bridge`, ports are published on the
//!   host's address (`-p <address>:<host port>:<container port>`): Mesos
//!   master and agent `<advertise port>:<port>` (their libprocess port is
//!   `--port`); Marathon `<port>:<port>` and `<advertise
//!   port>:<libprocess_port>` (15101 unless set); ZooKeeper its client,
//!   quorum, election and admin ports unchanged.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;

use super::credentials::{self, SecretFiles};
use super::env;
use super::{Emitter, FileKind, render};
use crate::escape::unit_comment;
pub use crate::escape::{exec_script, exec_word, unit_text};
use crate::model::{self, Host, Network, Role, Run, Service};
use crate::plan::{self, Plan};
use crate::schema::Program;

/// The folder of the units on a host.
pub const UNIT_DIR: &str = "/etc/systemd/system";
/// The docker client.
const DOCKER: &str = "/usr/bin/docker";
/// Debian's zookeeper package: the server jar and a logging backend.
pub const ZK_CLASSPATH: &str = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar";
/// ZooKeeper's server entry point.
const ZK_MAIN: &str = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
/// Where the official ZooKeeper image reads its config.
const ZK_IMAGE_CFG: &str = "/conf/zoo.cfg";

/// What every unit template shows, formatted for a unit file.
struct Unit {
    header: String,
    description: String,
    after: String,
    wants: String,
    requires: Option<String>,
    notes: Vec<String>,
    runtime_directory: Option<String>,
    environment_files: Vec<String>,
    exec_start_pre: Vec<String>,
    exec_start: String,
    exec_stop: Option<String>,
}

/// `zookeeper.service`.
#[derive(Template)]
#[template(path = "zookeeper.service", config = "src/emit/askama.toml")]
struct ZookeeperUnit {
    unit: Unit,
}

/// `mesos-master.service`.
#[derive(Template)]
#[template(path = "mesos-master.service", config = "src/emit/askama.toml")]
struct MasterUnit {
    unit: Unit,
}

/// `mesos-agent.service`.
#[derive(Template)]
#[template(path = "mesos-agent.service", config = "src/emit/askama.toml")]
struct AgentUnit {
    unit: Unit,
    /// `KillMode=`, by Mesos version ([`crate::schema::versions::agent_kill_mode`]).
    kill_mode: &'static str,
}

/// `marathon.service`.
#[derive(Template)]
#[template(path = "marathon.service", config = "src/emit/askama.toml")]
struct MarathonUnit {
    unit: Unit,
}

/// `<extra>.service`.
#[derive(Template)]
#[template(path = "extra.service", config = "src/emit/askama.toml")]
struct ExtraUnit {
    unit: Unit,
}

/// Adds every unit of every host.
pub(crate) fn emit(model: &model::Cluster, plan: &Plan, out: &mut Emitter) {
    for host in &model.hosts {
        for role in host.roles() {
            let deps = plan.local_deps(&host.name, role.unit());
            let label = host.zookeeper.as_ref().map(|z| z.id.to_string());
            let text = role_unit(
                model,
                host,
                role,
                &deps,
                label.as_deref().unwrap_or(""),
                out,
            );
            out.add(
                Some(&host.name),
                &unit_path(role.unit()),
                FileKind::SystemdUnit,
                text,
            );
        }
        for svc in model
            .services
            .iter()
            .filter(|s| s.hosts.contains(&host.name))
        {
            let unit = plan::extra_unit(&svc.name);
            let text = render(&ExtraUnit {
                unit: extra_unit(svc, &plan.local_deps(&host.name, &unit), out),
            });
            out.add(
                Some(&host.name),
                &unit_path(&unit),
                FileKind::SystemdUnit,
                text,
            );
        }
    }
}

fn unit_path(unit: &str) -> String {
    format!("{UNIT_DIR}/{unit}")
}

/// The text of the unit of `role` on `host`, started after the units `deps`
/// of the same machine. `zk_label` names a ZooKeeper server in its
/// description: its id in a host's own unit, `%i` in a fleet template.
pub(crate) fn role_unit(
    model: &model::Cluster,
    host: &Host,
    role: Role,
    deps: &[String],
    zk_label: &str,
    out: &Emitter,
) -> String {
    let service = host
        .service(role)
        .expect("roles() lists only roles the host has");
    let deps = deps.to_vec();
    let cluster = unit_text(&model.name);
    match (
        role,
        &host.zookeeper,
        &host.leader,
        &host.follower,
        &host.marathon,
    ) {
        (Role::Zookeeper, Some(zk), ..) => {
            let description = format!("ZooKeeper server {zk_label} of cluster {cluster}");
            let exec = zookeeper_exec(zk, published_ports(host, role));
            let mut unit = unit_parts(out, description, service, &deps, exec, role);
            unit.notes
                .push("ZooKeeper reads /etc/zookeeper/zoo.cfg; it has no env file.".into());
            render(&ZookeeperUnit { unit })
        }
        (Role::Leader, _, Some(leader), ..) => {
            let description = format!("Mesos master (leader) of cluster {cluster}");
            let secrets = credentials::master(model, leader);
            let exec = mesos_exec(
                Program::Master,
                service,
                &leader.flags,
                &secrets,
                published_ports(host, role),
            );
            let unit = unit_parts(out, description, service, &deps, exec, role);
            let unit = with_secrets(unit, secrets, service, env::MASTER_ENV);
            render(&MasterUnit { unit })
        }
        (Role::Follower, _, _, Some(follower), _) => {
            let description = format!("Mesos agent (follower) of cluster {cluster}");
            let secrets = credentials::agent(model, follower);
            let exec = mesos_exec(
                Program::Agent,
                service,
                &follower.flags,
                &secrets,
                published_ports(host, role),
            );
            let unit = unit_parts(out, description, service, &deps, exec, role);
            let unit = with_secrets(unit, secrets, service, env::AGENT_ENV);
            let kill_mode = crate::schema::versions::agent_kill_mode(&model.versions.mesos);
            render(&AgentUnit { unit, kill_mode })
        }
        (Role::Marathon, .., Some(marathon)) => {
            let description = format!("Marathon of cluster {cluster}");
            let secrets = credentials::marathon(model, marathon);
            let exec = mesos_exec(
                Program::Marathon,
                service,
                &marathon.flags,
                &secrets,
                published_ports(host, role),
            );
            let unit = unit_parts(out, description, service, &deps, exec, role);
            let unit = with_secrets(unit, secrets, service, env::MARATHON_ENV);
            render(&MarathonUnit { unit })
        }
        _ => unreachable!("roles() lists only roles the host has"),
    }
}

/// Adds the env file (`EnvironmentFile=` for native units; docker units pass
/// it to the container instead) and the handling of secret files: notes, and
/// for an assembled credentials file its runtime directory and the
/// `ExecStartPre=` that writes it (before any other).
fn with_secrets(mut unit: Unit, secrets: SecretFiles, service: &Service, env_path: &str) -> Unit {
    match service.run {
        Run::Native { .. } => {
            unit.environment_files.push(env_path.to_owned());
            unit.environment_files.extend(secrets.env_file.clone());
        }
        Run::Docker(_) => {}
    }
    unit.notes
        .extend(secrets.notes.iter().map(|n| unit_comment(n)));
    unit.runtime_directory = secrets.runtime_directory;
    if let Some(script) = secrets.assemble {
        unit.exec_start_pre
            .insert(0, format!("/bin/sh -c {}", exec_script(&script)));
    }
    unit
}

/// The text of an extra service's unit, started after the units `deps` of
/// the same machine.
pub(crate) fn extra_unit_text(svc: &model::ExtraService, deps: &[String], out: &Emitter) -> String {
    render(&ExtraUnit {
        unit: extra_unit(svc, deps, out),
    })
}

/// The unit of an extra service: its own command line, ordered by the plan.
fn extra_unit(svc: &model::ExtraService, deps: &[String], out: &Emitter) -> Unit {
    let description = if svc.description.trim().is_empty() {
        svc.name.clone()
    } else {
        svc.description.clone()
    };
    Unit {
        header: out.header("#"),
        description: unit_text(&description),
        after: join(&["network-online.target"], deps),
        wants: join(&["network-online.target"], deps),
        requires: None,
        notes: Vec::new(),
        runtime_directory: None,
        environment_files: Vec::new(),
        exec_start_pre: Vec::new(),
        exec_start: unit_text(&svc.exec),
        exec_stop: None,
    }
}

/// The command a unit runs, as groups of words (one group per output line).
struct Exec {
    /// For native units: the binary and its arguments. For docker units: the
    /// `docker run` options (without `--name`, `--net`), then the image and
    /// its arguments.
    groups: Vec<Vec<String>>,
}

/// The parts of a role's unit, for native or docker runtime.
fn unit_parts(
    out: &Emitter,
    description: String,
    service: &Service,
    deps: &[String],
    exec: Exec,
    role: Role,
) -> Unit {
    let header = out.header("#");
    let base = ["network-online.target"];
    let mut unit = Unit {
        header,
        description,
        after: join(&base, deps),
        wants: join(&base, deps),
        requires: None,
        notes: Vec::new(),
        runtime_directory: None,
        environment_files: Vec::new(),
        exec_start_pre: Vec::new(),
        exec_start: lines(&exec.groups),
        exec_stop: None,
    };
    if let Run::Docker(container) = &service.run {
        let name = container_name(role);
        unit.after = join(&["network-online.target", "docker.service"], deps);
        unit.requires = Some("docker.service".to_owned());
        unit.exec_start_pre
            .push(format!("-{DOCKER} rm -f {}", exec_word(&name)));
        unit.exec_stop = Some(format!("{DOCKER} stop {}", exec_word(&name)));
        let net = match container.network {
            Network::Host => "--net=host",
            Network::Bridge => "--net=bridge",
        };
        let mut groups = vec![
            words(&[DOCKER, "run", "--rm", "--name", &name]),
            words(&[net]),
        ];
        groups.extend(exec.groups);
        unit.exec_start = lines(&groups);
    }
    unit
}

/// The container of a role's docker unit: the unit name without `.service`.
fn container_name(role: Role) -> String {
    role.unit().trim_end_matches(".service").to_owned()
}

/// The command of a Mesos master, agent or Marathon: the binary (native) or
/// the container (docker), plus on the command line the flags that have no
/// environment variable.
fn mesos_exec(
    program: Program,
    service: &Service,
    flags: &BTreeMap<String, model::Setting>,
    secrets: &SecretFiles,
    published: Vec<Vec<String>>,
) -> Exec {
    let args: Vec<String> = env::split_flags(program, flags).args;
    let env_path = match program {
        Program::Master => env::MASTER_ENV,
        Program::Agent => env::AGENT_ENV,
        _ => env::MARATHON_ENV,
    };
    let container = match &service.run {
        // The model holds the binary: `command`, or the role's default
        // (`schema::Role::default_command`, which follows the Mesos version).
        Run::Native { command } => {
            let mut groups = vec![words(&[command])];
            groups.extend(args.iter().map(|a| vec![exec_word(a)]));
            return Exec { groups };
        }
        Run::Docker(container) => container,
    };
    let mut groups = vec![words(&["--env-file", env_path])];
    if let Some(runtime_env) = &secrets.env_file {
        groups.push(words(&["--env-file", runtime_env]));
    }
    if program == Program::Agent {
        // A containerized agent manages cgroups and containers of the host.
        groups.push(words(&["--privileged", "--pid=host"]));
        groups.push(volume("/sys/fs/cgroup", "/sys/fs/cgroup"));
        groups.push(volume("/var/run/docker.sock", "/var/run/docker.sock"));
    }
    groups.extend(dir_volumes(container, []));
    let mut inputs: BTreeSet<&str> = secrets.mounts.iter().map(String::as_str).collect();
    inputs.extend(read_paths(program, flags));
    let tls = service.tls.iter().flat_map(model::Tls::files);
    let tls: Vec<String> = tls.collect();
    inputs.extend(tls.iter().map(String::as_str));
    groups.extend(inputs.iter().map(|m| read_only(m)));
    groups.extend(published);
    let mut image = vec![exec_word(&container.image)];
    image.extend(args.iter().map(|a| exec_word(a)));
    groups.push(image);
    Exec { groups }
}

/// The ZooKeeper server: the JVM with Debian's jars, the `[jvm]` settings as
/// `-D` properties, and zoo.cfg; or the image with zoo.cfg mounted where the
/// official image reads it.
fn zookeeper_exec(zk: &model::ZkServer, published: Vec<Vec<String>>) -> Exec {
    let props: Vec<String> = zk
        .jvm_properties
        .iter()
        .map(|(k, v)| format!("-D{k}={}", v.value))
        .collect();
    let service = &zk.service;
    let container = match &service.run {
        Run::Native { command: java } => {
            let mut groups = vec![words(&[java, "-cp", ZK_CLASSPATH])];
            groups.extend(props.iter().map(|p| vec![exec_word(p)]));
            groups.push(words(&[ZK_MAIN, super::zookeeper::ZOO_CFG]));
            return Exec { groups };
        }
        Run::Docker(container) => container,
    };
    let cfg = format!("{}:{ZK_IMAGE_CFG}:ro", super::zookeeper::ZOO_CFG);
    let mut groups = vec![words(&["-v", &cfg])];
    let data_dir = super::zookeeper::data_dir(zk);
    let data_log = zk.config.get("dataLogDir").map(|s| s.value.as_str());
    groups.extend(dir_volumes(container, [Some(data_dir), data_log]));
    let mut inputs: BTreeSet<&str> = read_paths(Program::ZooKeeper, &zk.config).collect();
    inputs.extend(read_paths(Program::ZooKeeper, &zk.jvm_properties));
    groups.extend(inputs.iter().map(|m| read_only(m)));
    // The official image's entrypoint hands exactly these folders to its
    // `zookeeper` user (`chown -R zookeeper "$ZOO_DATA_DIR" "$ZOO_DATA_LOG_DIR"
    // "$ZOO_LOG_DIR"`, docker-entrypoint.sh of the zookeeper image): each
    // folder zoo.cfg names must be among them, or the server cannot write it.
    groups.push(words(&["-e", &format!("ZOO_DATA_DIR={data_dir}")]));
    if let Some(log) = data_log {
        groups.push(words(&["-e", &format!("ZOO_DATA_LOG_DIR={log}")]));
    }
    if let Some(log) = &container.log_dir {
        groups.push(words(&["-e", &format!("ZOO_LOG_DIR={log}")]));
    }
    if !props.is_empty() {
        groups.push(words(&[
            "-e",
            &format!("SERVER_JVMFLAGS={}", props.join(" ")),
        ]));
    }
    groups.extend(published);
    groups.push(vec![exec_word(&container.image)]);
    Exec { groups }
}

/// `-v dir:dir` for the work directory, the log directory and `more`, each
/// once, sorted.
fn dir_volumes<const N: usize>(
    container: &model::Container,
    more: [Option<&str>; N],
) -> Vec<Vec<String>> {
    let mut dirs: BTreeSet<&str> = BTreeSet::from([container.work_dir.as_str()]);
    dirs.extend(container.log_dir.as_deref());
    dirs.extend(more.into_iter().flatten());
    dirs.into_iter().map(|d| volume(d, d)).collect()
}

/// The host files and folders the user's settings make `program` read
/// (the flag tables' `[reads]` flags and Mesos `file://` values, see
/// [`crate::schema::Flag::read_path`]): a container sees each read-only at
/// the same path. Settings mesosc derives are left out: their files are
/// secrets, mounted with them.
fn read_paths(
    program: Program,
    settings: &BTreeMap<String, model::Setting>,
) -> impl Iterator<Item = &str> {
    let table = crate::schema::table(program);
    settings
        .iter()
        .filter(|(_, s)| s.origin.is_some())
        .filter_map(move |(name, s)| table.get(name)?.read_path(&s.value))
}

/// `-v path:path:ro`.
fn read_only(path: &str) -> Vec<String> {
    words(&["-v", &format!("{path}:{path}:ro")])
}

fn volume(outside: &str, inside: &str) -> Vec<String> {
    words(&["-v", &format!("{outside}:{inside}")])
}

/// The `-p` options of a role's bridged container: the host's listeners
/// that docker publishes (`Host::role_listeners`, the list the port check
/// reads), each on the host's own address rather than every interface.
fn published_ports(host: &model::Host, role: Role) -> Vec<Vec<String>> {
    let at = publish_address(host.address);
    host.role_listeners()
        .into_iter()
        .filter(|l| l.role == Some(role))
        .filter_map(|l| l.inside.map(|inside| format!("{at}:{}:{inside}", l.port)))
        .map(|p| words(&["-p", &p]))
        .collect()
}

/// A host address as `docker run -p` takes it (IPv6 in brackets).
fn publish_address(address: std::net::IpAddr) -> String {
    match address {
        std::net::IpAddr::V4(a) => a.to_string(),
        std::net::IpAddr::V6(a) => format!("[{a}]"),
    }
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| exec_word(w)).collect()
}

/// Groups of words as continued lines of one `ExecStart=`.
fn lines(groups: &[Vec<String>]) -> String {
    let lines: Vec<String> = groups.iter().map(|g| g.join(" ")).collect();
    lines.join(" \\\n    ")
}

/// `base` then `deps`, space-separated.
fn join(base: &[&str], deps: &[String]) -> String {
    let mut all: Vec<&str> = base.to_vec();
    all.extend(deps.iter().map(String::as_str));
    all.join(" ")
}
