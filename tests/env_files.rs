//! Every env file mesosc writes, read the way its program reads it, and
//! judged by that program's rules (the flag tables of `src/check/flags/`).
//!
//! For every example in every environment it declares:
//!
//! - each env file is read by a unit of its host, with the syntax of its
//!   reader: systemd's `EnvironmentFile=` parser for native units, `docker
//!   run --env-file` (literal values) for docker units (`support::envfile`);
//! - every `MESOS_X` names a flag of that program (`master.env` →
//!   mesos-master, `agent.env` → mesos-agent) available in the cluster's
//!   Mesos version, every `LIBPROCESS_X` a variable libprocess reads, every
//!   `MARATHON_X` an option Marathon takes from the environment: names the
//!   programs would silently ignore fail; deprecated spellings fail; no flag
//!   is set twice; every value passes `schema::check_value`;
//! - flags a program cannot start without are set (in the file or on the
//!   unit's command line); a `LIBPROCESS_` variable that Mesos overwrites
//!   from its own flag agrees with it;
//! - the cluster agrees on ZooKeeper: every leader's `MESOS_ZK`, every
//!   follower's `MESOS_MASTER` and every Marathon's `MARATHON_MASTER` are
//!   the same URL; `MARATHON_ZK` has the same servers with Marathon's chroot;
//!   with a managed ensemble those servers are exactly the `server.N`
//!   addresses with the `clientPort` of server N's zoo.cfg, whose `myid`
//!   (under its `dataDir`) holds N;
//! - `MESOS_QUORUM` is floor(leaders / 2) + 1 on every leader;
//! - every zoo.cfg key is one ZooKeeper reads from zoo.cfg, with a valid
//!   value.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use mesosc::emit::{FileEntry, FileKind};
use mesosc::schema::{self, LibprocessVar, Program};
use support::envfile::{self, Var};
use support::props::properties;
use support::systemd::{docker_env_files, is_unit_path};
use support::unit::{UnitFile, command};
use support::{Build, report};
use yaml_rust2::YamlLoader;

/// How a unit hands an env file to its program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Systemd,
    Docker,
}

/// One env file of a host, parsed.
struct EnvFile {
    host: String,
    path: String,
    program: Program,
    vars: Vec<Var>,
    /// The command-line arguments of the unit that reads it.
    args: Vec<String>,
    /// Whether that unit runs the program natively (its arguments are then
    /// the program's own, after the binary).
    native: bool,
}

impl EnvFile {
    fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|v| v.name == name)
            .map(|v| v.value.as_str())
    }

    fn at(&self) -> String {
        format!("hosts/{}{}", self.host, self.path)
    }
}

/// The program an env file configures, by its name.
fn program_of(path: &str) -> Option<Program> {
    match path.rsplit('/').next()? {
        "master.env" => Some(Program::Master),
        "agent.env" => Some(Program::Agent),
        "marathon.env" => Some(Program::Marathon),
        _ => None,
    }
}

fn is_env_file(path: &str, entry: &FileEntry) -> bool {
    entry.kind == FileKind::EnvFile || path.ends_with(".env")
}

/// Every env file of `build`, parsed with the syntax of the unit that reads it.
/// The hosts of a build: those with an overlay, or with a cloud-config.
fn machines(build: &Build) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = build.hosts().into_iter().map(str::to_owned).collect();
    out.extend(build.model.hosts.iter().filter_map(|h| {
        let path = format!("cloud-config/{}.yaml", h.name);
        build.files.contains_key(&path).then(|| h.name.clone())
    }));
    out
}

/// The files on `host`'s machine, by absolute path: its overlay, or
/// without one, what its cloud-config writes (`write_files`, the units of
/// `coreos.units`) plus the fleet units that run there, which read the
/// same env files.
fn machine_files(build: &Build, host: &str) -> BTreeMap<String, FileEntry> {
    let own = build.host_files(host);
    if !own.is_empty() {
        return own.into_iter().map(|(p, e)| (p, e.clone())).collect();
    }
    let mut out = BTreeMap::new();
    let Some(cc) = build.files.get(&format!("cloud-config/{host}.yaml")) else {
        return out;
    };
    let doc = YamlLoader::load_from_str(&cc.content)
        .expect("YAML")
        .remove(0);
    for f in doc["write_files"].as_vec().into_iter().flatten() {
        let path = f["path"].as_str().expect("path").to_owned();
        let kind = if path.ends_with(".env") {
            FileKind::EnvFile
        } else if path.ends_with("/zoo.cfg") {
            FileKind::ZooCfg
        } else {
            FileKind::ZookeeperMyid
        };
        let entry = FileEntry {
            content: f["content"].as_str().expect("content").to_owned(),
            host: Some(host.to_owned()),
            kind,
            mode: 0o644,
        };
        out.insert(path, entry);
    }
    // The CoreOS flavour writes the host's units under `coreos.units`.
    for u in doc["coreos"]["units"].as_vec().into_iter().flatten() {
        let (Some(name), Some(content)) = (u["name"].as_str(), u["content"].as_str()) else {
            continue; // a unit CoreOS ships (etcd2, fleet)
        };
        let entry = FileEntry {
            content: content.to_owned(),
            host: Some(host.to_owned()),
            kind: FileKind::SystemdUnit,
            mode: 0o644,
        };
        out.insert(format!("/etc/systemd/system/{name}"), entry);
    }
    let Some(model) = build.model.hosts.iter().find(|h| h.name == host) else {
        return out;
    };
    let mut here: Vec<String> = model.roles().iter().map(|r| r.unit().to_owned()).collect();
    here.extend(model.services.iter().map(|s| format!("{s}.service")));
    for (path, entry) in build.files_under("fleet") {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (base, instance) = match name.trim_end_matches(".service").split_once('@') {
            Some((base, instance)) => (base, Some(instance)),
            None => (name.trim_end_matches(".service"), None),
        };
        let runs_here = here.contains(&format!("{base}.service"))
            && instance.is_none_or(|i| i.is_empty() || i == host);
        if runs_here {
            out.insert(format!("/etc/systemd/system/{name}"), entry.clone());
        }
    }
    out
}

fn env_files(build: &Build, problems: &mut Vec<String>) -> Vec<EnvFile> {
    let label = build.label();
    let mut out = Vec::new();
    for host in &machines(build) {
        let host = host.as_str();
        let files = machine_files(build, host);
        // Which unit reads which file, and how.
        let mut readers: BTreeMap<String, Vec<(String, Syntax, Vec<String>)>> = BTreeMap::new();
        for (path, entry) in files.iter().filter(|(p, _)| is_unit_path(p)) {
            let Ok(unit) = UnitFile::parse(&entry.content) else {
                continue; // verify_systemd reports it
            };
            // The program's own command line: the last ExecStart=.
            let args: Vec<String> = unit
                .values("Service", "ExecStart")
                .last()
                .and_then(|v| command(v, "test_instance").ok())
                .map(|c| c.argv)
                .unwrap_or_default();
            for f in unit.values("Service", "EnvironmentFile") {
                let f = f.trim_start_matches('-').to_owned();
                readers
                    .entry(f)
                    .or_default()
                    .push((path.clone(), Syntax::Systemd, args.clone()));
            }
            for f in docker_env_files(&unit) {
                readers
                    .entry(f)
                    .or_default()
                    .push((path.clone(), Syntax::Docker, args.clone()));
            }
        }
        for (path, entry) in files.iter().filter(|(p, e)| is_env_file(p, e)) {
            let at = format!("{label}: hosts/{host}{path}");
            let Some(program) = program_of(path) else {
                problems.push(format!(
                    "{at}: an env file the harness does not know; add its program to program_of()"
                ));
                continue;
            };
            let syntax = match readers.get(path).map(Vec::as_slice) {
                None | Some([]) => {
                    problems.push(format!("{at}: no unit of the host reads it"));
                    continue;
                }
                Some(list) => {
                    let syntaxes: BTreeSet<_> =
                        list.iter().map(|(_, s, _)| format!("{s:?}")).collect();
                    if syntaxes.len() > 1 {
                        problems.push(format!(
                            "{at}: read both by systemd and by docker, whose syntaxes differ"
                        ));
                    }
                    list[0].clone()
                }
            };
            let parsed = match syntax.1 {
                Syntax::Systemd => envfile::parse_systemd(&entry.content),
                Syntax::Docker => envfile::parse_docker(&entry.content),
            };
            match parsed {
                Ok(vars) => out.push(EnvFile {
                    host: host.to_owned(),
                    path: path.clone(),
                    program,
                    vars,
                    native: syntax.1 == Syntax::Systemd,
                    args: syntax.2,
                }),
                Err(e) => problems.push(format!("{at} ({:?} syntax): {e}", syntax.1)),
            }
        }
    }
    out
}

/// The rules of one program on one file.
fn check_file(build: &Build, f: &EnvFile, problems: &mut Vec<String>) {
    let at = format!("{}: {}", build.label(), f.at());
    let version = match f.program {
        Program::Marathon => &build.model.versions.marathon,
        _ => &build.model.versions.mesos,
    };
    let mut names = BTreeSet::new();
    let mut canonical: BTreeMap<&str, &str> = BTreeMap::new();
    for v in &f.vars {
        let here = format!("{at}:{} {}", v.line, v.name);
        if !names.insert(v.name.as_str()) {
            problems.push(format!("{here}: set twice in the file"));
        }
        // Marathon's libmesos reads LIBPROCESS_* too.
        if v.name.starts_with("LIBPROCESS_") {
            match schema::libprocess_var(&v.name) {
                None => problems.push(format!("{here}: libprocess does not read it (ignored)")),
                Some(LibprocessVar::Deprecated { replacement }) => {
                    problems.push(format!("{here}: a deprecated name; use {replacement}"));
                }
                Some(LibprocessVar::Current { .. }) => {}
            }
            if let Err(e) = schema::check_libprocess_value(&v.name, &v.value) {
                problems.push(format!("{here}={}: {}", v.value, e.message));
            }
            continue;
        }
        let Some(flag) = schema::flag_from_env(f.program, &v.name) else {
            problems.push(format!(
                "{here}: not a {} variable; {} would ignore it",
                f.program, f.program
            ));
            continue;
        };
        let availability = flag.check_version(version);
        if let Some((message, help)) = availability.describe(flag, version) {
            problems.push(format!(
                "{here}: {message}{}",
                help.map(|h| format!(" ({h})")).unwrap_or_default()
            ));
        }
        if let Some(other) = canonical.insert(flag.canonical_name(), v.name.as_str()) {
            problems.push(format!(
                "{here}: sets `{}` again (also set by {other}); the program refuses that",
                flag.canonical_name()
            ));
        }
        if let Err(e) = schema::check_value(f.program, flag, &v.value) {
            problems.push(format!(
                "{here}={}: {}{}",
                v.value,
                e.message,
                e.help.map(|h| format!(" ({h})")).unwrap_or_default()
            ));
        }
    }
    // Flags on a native unit's command line, by the same rules.
    if f.native {
        for arg in f.args.iter().skip(1) {
            let Some(name) = arg.strip_prefix("--") else {
                continue;
            };
            let name = name.split_once('=').map_or(name, |(n, _)| n);
            let here = format!("{at}: argument --{name}");
            let Some(flag) = schema::table(f.program).get(name) else {
                problems.push(format!("{here}: {} has no such option", f.program));
                continue;
            };
            if let Some((message, _)) = flag.check_version(version).describe(flag, version) {
                problems.push(format!("{here}: {message}"));
            }
        }
    }
    // Flags the program refuses to start without.
    let on_command_line = |name: &str| {
        f.args
            .iter()
            .any(|a| a == &format!("--{name}") || a.starts_with(&format!("--{name}=")))
    };
    let set = |name: &str| {
        canonical.contains_key(name)
            || on_command_line(name)
            || schema::table(f.program).iter().any(|g| {
                g.canonical_name() == name && g.name != name && canonical.contains_key(g.name)
            })
    };
    for flag in schema::table(f.program).iter().filter(|g| g.required) {
        let alternative = match (f.program, flag.name) {
            (Program::Agent, "master") => set("master_detector"),
            _ => false,
        };
        if !set(flag.name) && !alternative {
            problems.push(format!(
                "{at}: `{}` is required by {} and is not set",
                flag.name, f.program
            ));
        }
    }
    if f.program == Program::Master && set("zk") && !set("quorum") {
        problems.push(format!(
            "{at}: MESOS_ZK without MESOS_QUORUM: the master exits"
        ));
    }
    // libprocess variables Mesos overwrites from its own flags.
    if f.program.is_mesos() {
        let default_port = if f.program == Program::Master {
            "5050"
        } else {
            "5051"
        };
        let pairs = [
            ("LIBPROCESS_PORT", "MESOS_PORT", Some(default_port)),
            ("LIBPROCESS_IP", "MESOS_IP", None),
            ("LIBPROCESS_ADVERTISE_IP", "MESOS_ADVERTISE_IP", None),
            ("LIBPROCESS_ADVERTISE_PORT", "MESOS_ADVERTISE_PORT", None),
        ];
        for (lp, flag, default) in pairs {
            let (Some(l), Some(m)) = (f.get(lp), f.get(flag).or(default)) else {
                continue;
            };
            if l != m {
                problems.push(format!(
                    "{at}: {lp}={l}, but {} sets it from --{} ({m}): {lp} is ignored",
                    f.program,
                    flag.trim_start_matches("MESOS_").to_ascii_lowercase()
                ));
            }
        }
    }
}

/// A server of the managed ensemble, as its zoo.cfg and myid describe it.
struct ZkServer {
    host: String,
    id: u64,
    client: String,
    servers: BTreeMap<u64, String>,
}

/// The zoo.cfg and myid of every ZooKeeper host of `build`.
fn zookeepers(build: &Build, problems: &mut Vec<String>) -> Vec<ZkServer> {
    let label = build.label();
    let mut out = Vec::new();
    for host in &machines(build) {
        let files = machine_files(build, host);
        let Some((cfg_path, cfg)) = files.iter().find(|(p, _)| p.ends_with("/zoo.cfg")) else {
            continue;
        };
        let at = format!("{label}: hosts/{host}{cfg_path}");
        let props: BTreeMap<String, String> = properties(&cfg.content).into_iter().collect();
        let data_dir = props.get("dataDir").cloned().unwrap_or_default();
        let myid_path = format!("{}/myid", data_dir.trim_end_matches('/'));
        let Some(myid) = files.get(&myid_path) else {
            problems.push(format!(
                "{at}: no myid at {myid_path} (dataDir is `{data_dir}`): ZooKeeper refuses to start"
            ));
            continue;
        };
        let Ok(id) = myid.content.lines().next().unwrap_or("").parse::<u64>() else {
            problems.push(format!(
                "{at}: myid `{}` is not a number",
                myid.content.trim()
            ));
            continue;
        };
        let mut servers = BTreeMap::new();
        for (k, v) in &props {
            let Some(n) = k.strip_prefix("server.") else {
                continue;
            };
            match (n.parse::<u64>(), schema::parse_server_spec(v)) {
                (Ok(n), Ok(spec)) => {
                    let address = spec.addresses[0].0.clone();
                    servers.insert(n, address);
                }
                _ => problems.push(format!("{at}: `{k}={v}` is not a server line")),
            }
        }
        let Some(port) = props.get("clientPort") else {
            problems.push(format!("{at}: no clientPort"));
            continue;
        };
        let Some(own) = servers.get(&id) else {
            problems.push(format!("{at}: myid {id} has no server.{id} line"));
            continue;
        };
        if let Some(bind) = props.get("clientPortAddress")
            && bind != own.trim_matches(|c| c == '[' || c == ']')
        {
            problems.push(format!(
                "{at}: clientPortAddress {bind} is not its server.{id} address {own}"
            ));
        }
        out.push(ZkServer {
            host: host.to_owned(),
            id,
            client: format!("{own}:{port}"),
            servers,
        });
    }
    out
}

/// The cluster-wide agreements of one build.
fn check_cluster(build: &Build, files: &[EnvFile], problems: &mut Vec<String>) {
    let label = build.label();
    let of = |p: Program| files.iter().filter(move |f| f.program == p);
    let leaders: Vec<&EnvFile> = of(Program::Master).collect();
    if leaders.is_empty() {
        problems.push(format!("{label}: no master.env at all"));
        return;
    }
    let quorum = (leaders.len() / 2 + 1).to_string();
    let mut urls: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &leaders {
        if f.get("MESOS_QUORUM") != Some(quorum.as_str()) {
            problems.push(format!(
                "{label}: {}: MESOS_QUORUM={:?}, but {} leaders need {quorum}",
                f.at(),
                f.get("MESOS_QUORUM"),
                leaders.len()
            ));
        }
        let url = f.get("MESOS_ZK").unwrap_or("(unset)").to_owned();
        urls.entry(url)
            .or_default()
            .push(format!("{} MESOS_ZK", f.at()));
    }
    for f in of(Program::Agent) {
        let url = f.get("MESOS_MASTER").unwrap_or("(unset)").to_owned();
        urls.entry(url)
            .or_default()
            .push(format!("{} MESOS_MASTER", f.at()));
    }
    for f in of(Program::Marathon) {
        let url = f.get("MARATHON_MASTER").unwrap_or("(unset)").to_owned();
        urls.entry(url)
            .or_default()
            .push(format!("{} MARATHON_MASTER", f.at()));
    }
    if urls.len() != 1 {
        let listed: Vec<String> = urls
            .iter()
            .map(|(u, who)| format!("{u} ← {}", who.join(", ")))
            .collect();
        problems.push(format!(
            "{label}: leaders, followers and Marathon disagree on the masters' ZooKeeper URL:\n    {}",
            listed.join("\n    ")
        ));
        return;
    }
    let url = urls.into_keys().next().unwrap_or_default();
    let mesos = match schema::parse_zk_url(Program::Master, &url) {
        Ok(u) => u,
        Err(e) => {
            problems.push(format!("{label}: `{url}`: {}", e.message));
            return;
        }
    };
    let servers: Vec<String> = mesos
        .servers
        .iter()
        .map(|(h, p)| format!("{h}:{}", p.map_or("2181".to_owned(), |p| p.to_string())))
        .collect();
    // Marathon's own state: the same servers, its own chroot.
    let marathon_path = schema::parse_zk_url(Program::Marathon, &build.model.marathon_zk)
        .map(|u| u.path)
        .unwrap_or_default();
    for f in of(Program::Marathon) {
        let Some(zk) = f.get("MARATHON_ZK") else {
            problems.push(format!("{label}: {}: no MARATHON_ZK", f.at()));
            continue;
        };
        match schema::parse_zk_url(Program::Marathon, zk) {
            Err(e) => problems.push(format!("{label}: {}: MARATHON_ZK: {}", f.at(), e.message)),
            Ok(m) => {
                if m.servers != mesos.servers {
                    problems.push(format!(
                        "{label}: {}: MARATHON_ZK={zk} names other servers than {url}",
                        f.at()
                    ));
                }
                if m.path != marathon_path || m.path == mesos.path {
                    problems.push(format!(
                        "{label}: {}: MARATHON_ZK={zk}: its path should be Marathon's chroot \
                         `{marathon_path}`, apart from Mesos' `{}`",
                        f.at(),
                        mesos.path
                    ));
                }
            }
        }
    }
    // The managed ensemble.
    let ensemble = zookeepers(build, problems);
    if ensemble.is_empty() {
        return;
    }
    let first = &ensemble[0];
    let mut expected = Vec::new();
    for n in first.servers.keys() {
        match ensemble.iter().find(|z| z.id == *n) {
            Some(z) => expected.push(z.client.clone()),
            None => problems.push(format!(
                "{label}: server.{n} of {}'s zoo.cfg has no host whose myid is {n}",
                first.host
            )),
        }
    }
    for z in &ensemble {
        if z.servers != first.servers {
            problems.push(format!(
                "{label}: the server.N lines of {} differ from {}'s",
                z.host, first.host
            ));
        }
    }
    let ids: BTreeSet<u64> = ensemble.iter().map(|z| z.id).collect();
    if ids.len() != ensemble.len() {
        problems.push(format!("{label}: two ZooKeeper hosts share a myid"));
    }
    if servers != expected {
        problems.push(format!(
            "{label}: the ZooKeeper URL names {servers:?}, but the ensemble's zoo.cfg files \
             say {expected:?} (server.N address with server N's clientPort)"
        ));
    }
}

#[test]
fn every_env_file_follows_its_programs_rules() {
    let builds = support::builds();
    let mut problems = Vec::new();
    let mut count = 0;
    let mut vars = 0;
    for build in builds {
        let files = env_files(build, &mut problems);
        count += files.len();
        vars += files.iter().map(|f| f.vars.len()).sum::<usize>();
        for f in &files {
            check_file(build, f, &mut problems);
        }
        check_cluster(build, &files, &mut problems);
    }
    eprintln!(
        "{count} env files, {vars} variables, {} builds",
        builds.len()
    );
    assert!(count > 0, "no env file found");
    assert!(
        problems.is_empty(),
        "{}",
        report("env files that break their program's rules", &problems)
    );
}

#[test]
fn every_zoo_cfg_key_is_read_by_zookeeper() {
    let mut problems = Vec::new();
    let mut count = 0;
    for build in support::builds() {
        for host in &machines(build) {
            for (path, entry) in machine_files(build, host) {
                if entry.kind != FileKind::ZooCfg && !path.ends_with("/zoo.cfg") {
                    continue;
                }
                count += 1;
                let at = format!("{}: hosts/{host}{path}", build.label());
                for (k, v) in properties(&entry.content) {
                    let Some(flag) = schema::table(Program::ZooKeeper).get(&k) else {
                        problems.push(format!("{at}: ZooKeeper does not read `{k}`"));
                        continue;
                    };
                    if flag.jvm_only() {
                        problems.push(format!(
                            "{at}: `{k}` works only as a JVM property; in zoo.cfg it is ignored"
                        ));
                    }
                    if let Err(e) = schema::check_value(Program::ZooKeeper, flag, &v) {
                        problems.push(format!("{at}: {k}={v}: {}", e.message));
                    }
                }
            }
        }
    }
    assert!(count > 0, "no zoo.cfg found");
    assert!(
        problems.is_empty(),
        "{}",
        report("zoo.cfg problems", &problems)
    );
}

#[test]
fn env_file_syntaxes_as_their_readers_parse_them() {
    let text = "# header \\\n  still the comment\nA=plain\nB=\"two words\" \nC='it''s'\n\
                D=back\\\\slash\\\nnext\nE=\"q\\\"uote \\$x \\n\"\n  F = spaced  \nG=\n";
    let vars = envfile::parse_systemd(text).expect("parses");
    let got: Vec<(&str, &str)> = vars
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("A", "plain"),
            ("B", "two words"),
            ("C", "its"),
            ("D", "back\\slashnext"),
            ("E", "q\"uote $x \\n"),
            ("F", "spaced"),
            ("G", ""),
        ]
    );
    assert!(envfile::parse_systemd("1A=x\n").is_err());
    assert!(envfile::parse_systemd("A=\"open\n").is_err());
    let docker =
        envfile::parse_docker("# c\n  A=\"quoted\" stays  \nB=a=b\n\nC=\n").expect("parses");
    let got: Vec<(&str, &str)> = docker
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(got, [("A", "\"quoted\" stays  "), ("B", "a=b"), ("C", "")]);
    assert!(envfile::parse_docker("JUST_A_NAME\n").is_err());
    assert!(envfile::parse_docker("A B=1\n").is_err());
}

#[test]
fn broken_env_files_fail() {
    // A copy of a real build with mistakes a careless emitter could make.
    let mut build = support::build_example("single");
    let master = "hosts/devbox/etc/mesos/master.env";
    let agent = "hosts/devbox/etc/mesos/agent.env";
    let marathon = "hosts/devbox/etc/marathon/marathon.env";
    let edit = |build: &mut Build, path: &str, from: &str, to: &str| {
        let e = build.files.get_mut(path).expect("file");
        assert!(e.content.contains(from), "{path} has no `{from}`");
        e.content = e.content.replace(from, to);
    };
    edit(&mut build, master, "MESOS_WORK_DIR=", "MESOS_WORKDIR=");
    edit(
        &mut build,
        master,
        "MESOS_QUORUM=1",
        "MESOS_QUORUM=1\nLIBPROCESS_PORT=6060\nLIBPROCESS_SSL_VERIFY_CERT=true",
    );
    edit(
        &mut build,
        agent,
        "MESOS_PORT=5051",
        "MESOS_PORT=5051\nMESOS_GC_DELAY=1week\nMESOS_SLAVE_SUBSYSTEMS=x",
    );
    edit(
        &mut build,
        agent,
        "MESOS_MASTER=zk://127.0.0.1:2181/mesos",
        "MESOS_MASTER=zk://127.0.0.1:2182/mesos",
    );
    edit(
        &mut build,
        marathon,
        "MARATHON_ZK=zk://127.0.0.1:2181/marathon",
        "MARATHON_ZK=zk://127.0.0.1:2181/mesos\nMARATHON_APP_INFO=x\nMARATHON_DISABLE_HA=yes",
    );
    let mut problems = Vec::new();
    let files = env_files(&build, &mut problems);
    for f in &files {
        check_file(&build, f, &mut problems);
    }
    check_cluster(&build, &files, &mut problems);
    let all = problems.join("\n");
    let expected = [
        "MESOS_WORKDIR: not a mesos-master variable",
        "`work_dir` is required by mesos-master",
        "LIBPROCESS_PORT=6060, but mesos-master sets it from --port (5050)",
        "LIBPROCESS_SSL_VERIFY_CERT: a deprecated name",
        "MESOS_GC_DELAY=1week",
        "MESOS_SLAVE_SUBSYSTEMS",
        "disagree on the masters' ZooKeeper URL",
        "MARATHON_APP_INFO: not a marathon variable",
        "MARATHON_DISABLE_HA=yes",
    ];
    let missing: Vec<&&str> = expected.iter().filter(|e| !all.contains(**e)).collect();
    assert!(
        missing.is_empty(),
        "not reported: {missing:?}\nreported:\n{all}"
    );

    // The chroot and the ensemble, with the masters agreeing.
    let mut build = support::build_example("single");
    edit(
        &mut build,
        marathon,
        "MARATHON_ZK=zk://127.0.0.1:2181/marathon",
        "MARATHON_ZK=zk://127.0.0.1:2181/mesos",
    );
    let cfg = "hosts/devbox/etc/zookeeper/zoo.cfg";
    edit(&mut build, cfg, "clientPort=2181", "clientPort=2182");
    edit(&mut build, master, "MESOS_QUORUM=1", "MESOS_QUORUM=2");
    let mut problems = Vec::new();
    let files = env_files(&build, &mut problems);
    check_cluster(&build, &files, &mut problems);
    let all = problems.join("\n");
    for e in [
        "its path should be Marathon's chroot `/marathon`",
        "the ensemble's zoo.cfg files say [\"127.0.0.1:2182\"]",
        "MESOS_QUORUM=Some(\"2\"), but 1 leaders need 1",
    ] {
        assert!(all.contains(e), "not reported: {e}\nreported:\n{all}");
    }

    // myid away from dataDir.
    let mut build = support::build_example("single");
    let myid = build
        .files
        .remove("hosts/devbox/var/lib/zookeeper/myid")
        .expect("myid");
    build
        .files
        .insert("hosts/devbox/var/lib/zookeeper/data/myid".to_owned(), myid);
    let mut problems = Vec::new();
    zookeepers(&build, &mut problems);
    assert!(
        problems
            .join("\n")
            .contains("no myid at /var/lib/zookeeper/myid"),
        "{problems:?}"
    );
}

/// Every release named in a flag table's `since` column (pre-releases left
/// out): the release lines mesosc knows for `programs`.
fn release_lines(programs: &[Program]) -> Vec<schema::Version> {
    // A `since` that was never released itself (Marathon 1.2.0 had release
    // candidates only) stands for the first release after it.
    let releases = schema::versions::releases(if programs[0].is_mesos() {
        "mesos"
    } else {
        "marathon"
    });
    let mut out: Vec<schema::Version> = programs
        .iter()
        .flat_map(|p| schema::table(*p).iter().map(|f| f.since.clone()))
        .filter(|v| !v.is_prerelease())
        .filter_map(|v| releases.iter().find(|r| ***r >= v).map(|r| (*r).clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A cluster with every feature whose flags depend on the version: auth,
/// docker (bridged leaders advertising the host), the per-host outputs (the
/// env files are the same with fleet, which only starts the units elsewhere).
fn matrix_source(
    mesos: &schema::Version,
    marathon: Option<&schema::Version>,
    bridge: bool,
) -> String {
    let network = if bridge {
        "network = bridge  advertise { port = 5050 }"
    } else {
        ""
    };
    let marathon = marathon
        .map(|v| format!("marathon = \"{v}\""))
        .unwrap_or_default();
    format!(
        r#"cluster "matrix" {{
  mesos   = "{mesos}"
  {marathon}
  runtime = docker
  outputs = [systemd, cloud-config]
}}
for n in 1..3 {{
  host "m${{n}}" {{ address = "10.0.0.${{n}}"  roles = [zookeeper, leader, marathon] }}
}}
for n in 1..2 {{
  host "a${{n}}" {{ address = "10.0.1.${{n}}"  roles = [follower] }}
}}
zookeeper {{ image = "zookeeper:3.8" }}
leader {{ image = "mesos-master"  {network} }}
follower {{ image = "mesos-agent" }}
marathon {{ image = "marathon" }}
host "n1" {{
  address = "10.0.2.1"
  roles = [follower]
  follower {{ runtime = native }}
}}
host "n2" {{
  address = "10.0.2.2"
  roles = [marathon]
  marathon {{ runtime = native }}
}}
auth {{
  frameworks = true
  followers  = true
  credential "marathon" {{ secret = file("/etc/mesos/secrets/marathon") }}
  follower_principal = "follower"
  follower_secret    = file("/etc/mesos/secrets/follower")
}}
"#
    )
}

// Issue 17, "Show": every variable and argument mesosc writes, derived ones
// included, against the flag tables at the declared versions, for each
// release line the tables know (Mesos with the default Marathon; Marathon
// with the newest Mesos), with auth, docker and every output on. A version
// the cluster cannot run on must be refused with a version diagnostic, never
// built with a flag its programs drop or reject.
#[test]
fn every_release_line_gets_only_flags_it_has() {
    let mesos_lines = release_lines(&[Program::Master, Program::Agent]);
    let marathon_lines = release_lines(&[Program::Marathon]);
    let newest = mesos_lines.last().expect("lines").clone();
    let mut cases: Vec<(schema::Version, Option<schema::Version>, bool)> = Vec::new();
    for bridge in [false, true] {
        cases.extend(mesos_lines.iter().map(|m| (m.clone(), None, bridge)));
        cases.extend(
            marathon_lines
                .iter()
                .map(|v| (newest.clone(), Some(v.clone()), bridge)),
        );
    }
    let mut problems = Vec::new();
    let (mut built, mut refused) = (0, 0);
    for (mesos, marathon, bridge) in &cases {
        let label = format!("mesos {mesos} marathon {marathon:?} bridge {bridge}");
        let source = matrix_source(mesos, marathon.as_ref(), *bridge);
        match support::build_text("matrix", &source) {
            Ok(build) => {
                built += 1;
                let files = env_files(&build, &mut problems);
                assert!(!files.is_empty(), "{label}: no env files");
                for f in &files {
                    let before = problems.len();
                    check_file(&build, f, &mut problems);
                    for p in &mut problems[before..] {
                        *p = format!("{label}: {p}");
                    }
                }
            }
            Err(errors) => {
                refused += 1;
                for e in errors.iter().filter(|e| {
                    !e.starts_with("mcl::check::flag_too_new")
                        && !e.starts_with("mcl::check::flag_removed")
                        && !e.starts_with("mcl::check::incompatible_versions")
                }) {
                    problems.push(format!("{label}: refused, but not for its version: {e}"));
                }
            }
        }
    }
    eprintln!("{} cases: {built} built, {refused} refused", cases.len());
    assert!(built > cases.len() / 2, "most release lines build");
    assert!(
        problems.is_empty(),
        "{}",
        report("release lines that get flags they lack", &problems)
    );
}
