//! Every systemd unit mesosc writes passes `systemd-analyze verify`, with no
//! output at all, on the machine it is meant for.
//!
//! For every example in every environment it declares, the units of each
//! machine are put in a throwaway root of their own, beside the system's
//! units, stub executables for what a real host has installed (the Mesos and
//! Marathon binaries, java, docker, `/bin/sh`, the example's extra services
//! and OWCA where they run) and a stub `docker.service` where the units run
//! docker. Three kinds of machines:
//!
//! - each host of `hosts/<host>/` (units anywhere systemd loads them from);
//! - each host booted from its `cloud-config/<host>.yaml`: the units it writes
//!   (`write_files`) or defines (`coreos.units`), and nothing else;
//! - the fleet cluster: every `fleet/*` unit without its `[X-Fleet]` section
//!   (which systemd ignores; fleet reads it).
//!
//! Besides systemd's verdict, the harness checks what systemd lets pass (see
//! `support::systemd::own_checks`): dependencies on units the machine lacks,
//! env files nobody provides, docker units that do not require docker.
//! `deliberately_broken_units_fail` proves that each kind of mistake fails.

mod support;

use std::collections::BTreeSet;
use std::time::Instant;

use mesosc::emit::FileKind;
use support::systemd::{self as sd, Root};
use support::unit::{self, UnitFile};
use support::{Build, cloud};

/// Executables a host of `build` has besides [`sd::HOST_BINARIES`]: the
/// extra services' and OWCA's, on the hosts they run on (`None`: any host).
fn host_stubs(build: &Build, host: Option<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let model = &build.model;
    for svc in &model.services {
        if host.is_none_or(|h| svc.hosts.iter().any(|s| s == h)) {
            out.extend(support::first_word(&svc.exec).map(str::to_owned));
        }
    }
    for h in &model.hosts {
        if host.is_none_or(|n| n == h.name) {
            let owca = h.follower.as_ref().and_then(|f| f.owca.as_ref());
            out.extend(owca.and_then(|o| support::first_word(&o.command).map(str::to_owned)));
        }
    }
    out.retain(|p| p.starts_with('/'));
    out
}

/// The machines of one build, and problems found while collecting them.
fn roots_of(build: &Build, cloud: &[cloud::Checked]) -> (Vec<Root>, Vec<String>) {
    let mut roots = Vec::new();
    let mut problems = Vec::new();
    let label = build.label();
    let mut everything: BTreeSet<String> = BTreeSet::new();

    for host in build.hosts() {
        let files = build.host_files(host);
        let mut root = Root::new(format!("{label}: host {host}"));
        root.stubs.extend(host_stubs(build, Some(host)));
        for (path, entry) in &files {
            if sd::is_unit_or_dropin_path(path) {
                root.units.insert(path.clone(), entry.content.clone());
            } else if entry.kind == FileKind::SystemdUnit {
                problems.push(format!(
                    "{label}: hosts/{host}{path} is a systemd unit where systemd does not look for units"
                ));
            }
        }
        let provided: BTreeSet<String> = files.keys().cloned().collect();
        everything.extend(provided.iter().cloned());
        root.provided = Some(provided);
        if !root.units.is_empty() {
            roots.push(root);
        }
    }

    for checked in cloud {
        let host = cloud::host_of(&checked.name);
        let mut root = Root::new(format!("{label}: {} (booted from it)", checked.name));
        root.stubs.extend(host_stubs(build, host));
        let mut provided = BTreeSet::new();
        for f in &checked.files {
            provided.insert(f.path.clone());
            if sd::is_unit_or_dropin_path(&f.path) {
                match &f.content {
                    Some(c) => {
                        root.units.insert(f.path.clone(), c.clone());
                    }
                    None => problems.push(format!(
                        "{}: write_files {} is not UTF-8",
                        checked.name, f.path
                    )),
                }
            }
        }
        for u in &checked.units {
            let path = format!("/etc/systemd/system/{}", u.name);
            if let Some(c) = &u.content {
                root.units.insert(path.clone(), c.clone());
            }
            for (name, content) in &u.drop_ins {
                root.units
                    .insert(format!("{path}.d/{name}"), content.clone());
            }
        }
        everything.extend(provided.iter().cloned());
        root.provided = Some(provided);
        if !root.units.is_empty() {
            roots.push(root);
        }
    }

    let fleet = build.files_under("fleet");
    if !fleet.is_empty() {
        let mut root = Root::new(format!(
            "{label}: the fleet cluster (fleet/, [X-Fleet] removed)"
        ));
        root.stubs.extend(host_stubs(build, None));
        for (path, entry) in fleet {
            let name = path.rsplit('/').next().unwrap_or(path);
            if sd::UNIT_SUFFIXES.iter().any(|s| name.ends_with(s)) {
                root.units.insert(
                    format!("/etc/systemd/system/{name}"),
                    unit::strip_section(&entry.content, "X-Fleet"),
                );
            }
        }
        // A fleet unit may land on any machine: what some machine has.
        root.provided = Some(everything);
        roots.push(root);
    }
    (roots, problems)
}

/// Every cloud-config of every build, validated (the units they carry are
/// needed here; `verify_cloud_init.rs` judges the schema).
fn cloud_of(builds: &[Build]) -> Vec<Vec<cloud::Checked>> {
    let mut docs = Vec::new();
    let mut owner = Vec::new();
    for (i, b) in builds.iter().enumerate() {
        for doc in cloud::cloud_configs(&b.files) {
            docs.push(doc);
            owner.push(i);
        }
    }
    let mut out: Vec<Vec<cloud::Checked>> = builds.iter().map(|_| Vec::new()).collect();
    for (checked, i) in cloud::validate(&docs).into_iter().zip(owner) {
        out[i].push(checked);
    }
    out
}

#[test]
fn every_unit_of_every_example_passes_systemd_analyze_verify() {
    if support::real_tools::skip(&["systemd-analyze", "cloud-init"]) {
        return;
    }
    sd::require_systemd_analyze();
    let start = Instant::now();
    let builds = support::builds();
    let cloud = cloud_of(builds);
    let mut roots = Vec::new();
    let mut problems = Vec::new();
    for (b, c) in builds.iter().zip(&cloud) {
        let (r, p) = roots_of(b, c);
        let units: usize = r.iter().map(|r| r.unit_files().count()).sum();
        if units == 0 {
            problems.push(format!("{}: no systemd unit at all", b.label()));
        }
        eprintln!(
            "  {}: {units} units on {} machines ({} booted from cloud-config, {} fleet units)",
            b.label(),
            r.len(),
            r.iter()
                .filter(|r| r.label.ends_with("(booted from it)"))
                .count(),
            r.iter()
                .filter(|r| r.label.contains("fleet cluster"))
                .map(|r| r.unit_files().count())
                .sum::<usize>()
        );
        roots.extend(r);
        problems.extend(p);
    }
    let collected = start.elapsed();
    let verdicts = sd::verify(&roots);
    let failed: Vec<String> = verdicts
        .iter()
        .filter(|v| !v.passed())
        .map(|v| v.describe())
        .collect();
    let units: usize = roots.iter().map(|r| r.unit_files().count()).sum();
    eprintln!(
        "verified {units} units on {} machines of {} builds in {} systemd-analyze runs; \
         build {:.2?}, total {:.2?}",
        roots.len(),
        builds.len(),
        verdicts.len(),
        collected,
        start.elapsed()
    );
    problems.extend(failed);
    assert!(
        problems.is_empty(),
        "{}",
        support::report("units that systemd or the harness rejects", &problems)
    );
}

/// A real generated unit, and the same unit after `edit`.
fn single_unit(name: &str) -> String {
    let build = support::build_example("single");
    let files = build.host_files("devbox");
    files
        .get(&format!("/etc/systemd/system/{name}"))
        .unwrap_or_else(|| panic!("single.mcl has no {name}"))
        .content
        .clone()
}

fn machine(label: &str, units: &[(&str, String)]) -> Root {
    let mut r = Root::new(label);
    for (name, text) in units {
        r.units
            .insert(format!("/etc/systemd/system/{name}"), text.clone());
    }
    r.provided = Some(
        [
            "/etc/mesos/master.env",
            "/etc/mesos/agent.env",
            "/etc/marathon/marathon.env",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
    );
    r
}

#[test]
fn deliberately_broken_units_fail() {
    if support::real_tools::skip(&["systemd-analyze"]) {
        return;
    }
    let master = single_unit("mesos-master.service");
    let zk = single_unit("zookeeper.service");
    // A leader host: the (edited) master unit beside the real ZooKeeper unit.
    let leader = |label: &str, from: &str, to: &str| {
        assert!(from.is_empty() || master.contains(from), "no `{from}`");
        let text = if from.is_empty() {
            master.clone()
        } else {
            master.replace(from, to)
        };
        machine(
            label,
            &[
                ("mesos-master.service", text),
                ("zookeeper.service", zk.clone()),
            ],
        )
    };
    let docker_unit = "[Unit]\nDescription=x\nAfter=network-online.target\n\n[Service]\n\
                       ExecStart=/usr/bin/docker run --rm --name x --env-file /etc/mesos/master.env img\n\n\
                       [Install]\nWantedBy=multi-user.target\n";
    let cases: Vec<(&str, Root, &str)> = vec![
        (
            "control: the generated units as they are",
            leader("ok", "", ""),
            "",
        ),
        (
            "a bad value (systemd warns and exits 0)",
            leader("bad value", "Restart=always", "Restart=sometimes"),
            "Failed to parse service restart specifier",
        ),
        (
            "a typo'd key (systemd warns and exits 0)",
            leader("typo", "Restart=always", "Restrat=always"),
            "Unknown key 'Restrat'",
        ),
        (
            "RestartSec=ten",
            leader("duration", "RestartSec=10", "RestartSec=ten"),
            "Failed to parse sec value, ignoring: ten",
        ),
        (
            "a misspelt section name",
            leader("section", "[Install]", "[Instal]"),
            "Instal",
        ),
        (
            "ExecStart to a binary no host has",
            leader("binary", "/usr/sbin/mesos-master", "/usr/sbin/mesos-mastr"),
            "/usr/sbin/mesos-mastr",
        ),
        (
            "Wants= on a unit the host lacks (zookeeper.service on another host)",
            machine("wants", &[("mesos-master.service", master.clone())]),
            "Wants=zookeeper.service, but no unit zookeeper.service exists",
        ),
        (
            "Requires= on a unit the host lacks",
            leader(
                "requires",
                "[Service]",
                "Requires=marathon.service\n\n[Service]",
            ),
            "Unit marathon.service not found",
        ),
        (
            "an EnvironmentFile= nothing provides",
            leader("envfile", "/etc/mesos/master.env", "/etc/mesos/leader.env"),
            "EnvironmentFile=/etc/mesos/leader.env, which nothing puts on this machine",
        ),
        (
            "a docker unit without Requires=docker.service",
            machine("docker", &[("x.service", docker_unit.to_owned())]),
            "runs docker without Requires=docker.service",
        ),
    ];
    let roots: Vec<Root> = cases.iter().map(|(_, r, _)| r.clone()).collect();
    let verdicts = sd::verify(&roots);
    let mut wrong = Vec::new();
    for ((what, root, expect), verdict) in cases.iter().zip(&verdicts) {
        assert_eq!(
            verdict.labels,
            std::slice::from_ref(&root.label),
            "one verdict per case"
        );
        let text = verdict.describe();
        match (expect.is_empty(), verdict.passed()) {
            (true, true) => {}
            (true, false) => wrong.push(format!("{what}: should pass, got {text}")),
            (false, true) => wrong.push(format!("{what}: passed, should fail")),
            (false, false) if !text.contains(expect) => {
                wrong.push(format!("{what}: failed without `{expect}`: {text}"));
            }
            (false, false) => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn identical_machines_are_verified_once() {
    if support::real_tools::skip(&["systemd-analyze"]) {
        return;
    }
    let master = single_unit("mesos-master.service");
    let zk = single_unit("zookeeper.service");
    let units = [("mesos-master.service", master), ("zookeeper.service", zk)];
    let verdicts = sd::verify(&[machine("a", &units), machine("b", &units)]);
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0].labels, ["a", "b"]);
    assert!(verdicts[0].passed(), "{}", verdicts[0].describe());
}

#[test]
fn unit_syntax_as_systemd_reads_it() {
    let u = UnitFile::parse(
        "# c\n[Service]\nExecStart=/usr/bin/java -cp a:b \\\n    \"x y\" 100%% $$HOME 'it''s'\n\
         Environment=A=1\nWants=a.service b.service\nWants=\nWants=c.service\n",
    )
    .expect("parses");
    let cmd = unit::command(u.get("Service", "ExecStart").expect("set"), "1").expect("splits");
    assert_eq!(
        cmd.argv,
        ["/usr/bin/java", "-cp", "a:b", "x y", "100%", "$HOME", "its"]
    );
    assert_eq!(u.names("Service", "Wants"), ["c.service"]);
    assert!(unit::command("/bin/x $FOO", "1").is_err());
    let fleet = "[Unit]\nDescription=d\n\n[X-Fleet]\nGlobal=true\n\n[Service]\nExecStart=/bin/sh\n";
    assert_eq!(
        unit::strip_section(fleet, "X-Fleet"),
        "[Unit]\nDescription=d\n\n[Service]\nExecStart=/bin/sh\n"
    );
}
