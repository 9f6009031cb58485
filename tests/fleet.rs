//! The fleet units of every example with the `fleet` output: `[X-Fleet]` holds
//! only fleet's keys, the agent is global, templates keep their instances
//! apart, the bodies are the hosts' own units, and the checker rejects a
//! misspelled key. README.md starts every fleet unit, in rollout order.

use std::path::Path;

use mesosc::emit::fleet::{FleetKey, check_fleet_unit, x_fleet_section};
use mesosc::emit::{FileKind, FileSet};
use mesosc::files::{DiskFiles, Files, MemoryFiles};

mod common;
use common::compile_clean;

fn build_with(path: &Path, files: &dyn Files) -> FileSet {
    compile_clean(path, files).files.expect("files")
}

fn fleet_units(files: &FileSet) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|(_, e)| e.kind == FileKind::FleetUnit)
        .map(|(p, e)| (p.clone(), e.content.clone()))
        .collect()
}

/// `(key, value)` of the `[X-Fleet]` section.
fn x_fleet(text: &str) -> Vec<(String, String)> {
    let section = text
        .split("[X-Fleet]\n")
        .nth(1)
        .expect("an [X-Fleet] section");
    section
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.split_once('=').expect("Key=value");
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

/// The lines of one section of a unit.
fn section<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("[{name}]");
    text.lines()
        .skip_while(|l| *l != header)
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.is_empty())
        .collect()
}

fn examples_with_fleet() -> Vec<FileSet> {
    ["coreos-ha"]
        .iter()
        .map(|e| build_with(Path::new(&format!("examples/{e}.mcl")), &DiskFiles))
        .collect()
}

#[test]
fn every_x_fleet_key_is_one_fleet_knows() {
    for files in examples_with_fleet() {
        let units = fleet_units(&files);
        assert!(units.len() >= 4, "{units:?}");
        for (path, text) in units {
            assert_eq!(check_fleet_unit(&text), Ok(()), "{path}");
            for (key, _) in x_fleet(&text) {
                assert!(FleetKey::from_name(&key).is_some(), "{path}: {key}");
            }
        }
    }
}

#[test]
fn the_agent_and_marathon_are_global_and_templates_conflict() {
    for files in examples_with_fleet() {
        for name in ["mesos-agent.service", "marathon.service"] {
            let keys = x_fleet(&files[&format!("fleet/{name}")].content);
            assert!(keys.contains(&("Global".into(), "true".into())), "{name}");
            let role = if name == "marathon.service" {
                "marathon"
            } else {
                "follower"
            };
            assert!(keys.contains(&("MachineMetadata".into(), format!("role-{role}=true"))));
        }
        for base in ["zookeeper", "mesos-master"] {
            let keys = x_fleet(&files[&format!("fleet/{base}@.service")].content);
            assert!(
                keys.contains(&("Conflicts".into(), format!("{base}@*.service"))),
                "{base}"
            );
            assert!(
                keys.contains(&("MachineMetadata".into(), "host=%i".into())),
                "{base}"
            );
        }
        let master = x_fleet(&files["fleet/mesos-master@.service"].content);
        assert!(master.contains(&("MachineOf".into(), "zookeeper@%i.service".into())));
    }
}

/// coreos-ha built with the per-host units (`systemd`) instead of fleet.
fn coreos_ha_without_fleet() -> FileSet {
    let text = std::fs::read_to_string("examples/coreos-ha.mcl").expect("the example");
    let own = text.replace("[fleet, cloud-config]", "[systemd, cloud-config]");
    assert_ne!(own, text, "the example's outputs line changed");
    let mut mem = MemoryFiles::new();
    mem.insert("coreos-ha.mcl", own);
    build_with(Path::new("coreos-ha.mcl"), &mem)
}

#[test]
fn fleet_units_run_what_the_hosts_own_units_run() {
    let own_files = coreos_ha_without_fleet();
    for files in examples_with_fleet() {
        assert!(
            !files.keys().any(|p| p.starts_with("hosts/")),
            "fleet comes without the per-host units"
        );
        let host = own_files
            .keys()
            .find(|p| p.ends_with("/etc/systemd/system/mesos-master.service"))
            .expect("a leader")
            .clone();
        let own = &own_files[&host].content;
        let fleet = &files["fleet/mesos-master@.service"].content;
        assert_eq!(section(own, "Service"), section(fleet, "Service"));
        assert_eq!(section(own, "Install"), section(fleet, "Install"));
        let after = section(fleet, "Unit")
            .into_iter()
            .find(|l| l.starts_with("After="));
        assert!(
            after.is_some_and(|a| a.contains("zookeeper@%i.service")),
            "{fleet}"
        );
    }
}

#[test]
fn a_misspelled_or_misplaced_key_is_rejected() {
    let files = &examples_with_fleet()[0];
    let agent = &files["fleet/mesos-agent.service"].content;
    let bad = agent.replace("MachineMetadata=", "MachineMetdata=");
    assert!(check_fleet_unit(&bad).is_err_and(|e| e.contains("MachineMetdata")));
    let beside_global = format!("{agent}Conflicts=mesos-agent*\n");
    assert!(check_fleet_unit(&beside_global).is_err());
    assert!(check_fleet_unit("[X-Fleet]\nX-ConditionMachineOf=a.service\n").is_err());
}

#[test]
fn sections_are_built_only_from_fleet_keys() {
    let all: Vec<(FleetKey, String)> = FleetKey::ALL
        .iter()
        .map(|k| (*k, "v=w".to_owned()))
        .collect();
    let text = x_fleet_section(&all);
    let keys: Vec<String> = x_fleet(&text).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        [
            "MachineID",
            "MachineOf",
            "MachineMetadata",
            "Conflicts",
            "Global",
            "Replaces"
        ]
    );
}

#[test]
fn a_host_whose_unit_differs_gets_its_own_instance_file() {
    let files = three_hosts("leader { image = \"custom/master:1\" }");
    let own = &files["fleet/mesos-master@b.service"].content;
    assert!(own.contains("custom/master:1"));
    assert!(
        !files["fleet/mesos-master@.service"]
            .content
            .contains("custom/master:1")
    );
    assert_eq!(check_fleet_unit(own), Ok(()));
    assert!(!files.contains_key("fleet/zookeeper@b.service"));
}

/// The `fleetctl` command lines of README.md's "Starting with fleet", each
/// split into words; `None` when the section is missing.
fn fleetctl_lines(files: &FileSet) -> Option<Vec<Vec<String>>> {
    let readme = &files["README.md"].content;
    let section = readme.split("## Starting with fleet\n").nth(1)?;
    let block = section.split("```sh\n").nth(1)?.split("```").next()?;
    Some(
        block
            .lines()
            .map(|l| l.split(' ').map(str::to_owned).collect())
            .collect(),
    )
}

/// A cluster of three hosts running ZooKeeper, a leader and a follower, with
/// `b_extra` added to host `b`'s block.
fn three_hosts(b_extra: &str) -> FileSet {
    let mut mem = MemoryFiles::new();
    mem.insert(
        "v.mcl",
        format!(
            "cluster \"v\" {{\n  mesos = \"1.11.0\"\n  outputs = [fleet, cloud-config]\n  cloud_config = coreos\n  runtime = docker\n}}\n\
             host \"a\" {{ address = \"10.0.0.1\"  roles = [zookeeper, leader, follower] }}\n\
             host \"b\" {{\n  address = \"10.0.0.2\"\n  roles = [zookeeper, leader, follower]\n  {b_extra}\n}}\n\
             host \"c\" {{ address = \"10.0.0.3\"  roles = [zookeeper, leader, follower] }}\n\
             etcd {{ }}\nzookeeper {{ image = \"zookeeper:3.8\" }}\nleader {{ image = \"m:1\" }}\nfollower {{ image = \"s:1\" }}\n"
        ),
    );
    build_with(Path::new("v.mcl"), &mem)
}

fn words(line: &str) -> Vec<String> {
    line.split(' ').map(str::to_owned).collect()
}

#[test]
fn the_readme_starts_fleet_units_wave_by_wave() {
    let lines = fleetctl_lines(&three_hosts("")).expect("a fleet section");
    assert_eq!(
        lines,
        [
            words("fleetctl submit fleet/*.service"),
            words("fleetctl start zookeeper@a.service zookeeper@b.service zookeeper@c.service"),
            words(
                "fleetctl start mesos-master@a.service mesos-master@b.service mesos-master@c.service"
            ),
            words("fleetctl start mesos-agent.service"),
        ]
    );
}

#[test]
fn a_host_with_its_own_instance_file_is_started_by_it() {
    let files = three_hosts("follower { image = \"custom/agent:1\" }");
    assert!(files.contains_key("fleet/mesos-agent@b.service"));
    let lines = fleetctl_lines(&files).expect("a fleet section");
    assert_eq!(
        lines.last().expect("a line"),
        &words("fleetctl start mesos-agent.service mesos-agent@b.service")
    );
}

#[test]
fn the_readme_of_every_fleet_example_starts_each_unit_once() {
    for files in examples_with_fleet() {
        let lines = fleetctl_lines(&files).expect("a fleet section");
        assert_eq!(lines[0], words("fleetctl submit fleet/*.service"));
        let started: Vec<&str> = lines[1..]
            .iter()
            .flat_map(|l| {
                assert_eq!(l[..2], ["fleetctl", "start"]);
                l[2..].iter().map(String::as_str)
            })
            .collect();
        let mut unique = started.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), started.len(), "{started:?}");
        // Each name is a fleet unit, or an instance of a template one.
        for name in &started {
            let template = name
                .split_once('@')
                .map(|(base, _)| format!("fleet/{base}@.service"));
            assert!(
                files.contains_key(&format!("fleet/{name}"))
                    || template.is_some_and(|t| files.contains_key(&t)),
                "{name}"
            );
        }
        // Each fleet unit is started (a template by its instances).
        for (path, _) in fleet_units(&files) {
            let unit = path.strip_prefix("fleet/").expect("in fleet/");
            let started_it = match unit.strip_suffix("@.service") {
                Some(base) => started.iter().any(|n| n.starts_with(&format!("{base}@"))),
                None => started.contains(&unit),
            };
            assert!(started_it, "{unit} is never started: {started:?}");
        }
        // ZooKeeper, then the leaders, then the agents.
        let line_of = |prefix: &str| {
            (lines.iter())
                .position(|l| l.iter().any(|w| w.starts_with(prefix)))
                .expect(prefix)
        };
        assert!(line_of("zookeeper@") < line_of("mesos-master@"));
        assert!(line_of("mesos-master@") < line_of("mesos-agent"));
    }
}

#[test]
fn without_fleet_the_readme_has_no_fleet_section() {
    let files = build_with(Path::new("examples/single.mcl"), &DiskFiles);
    assert!(!files.keys().any(|p| p.starts_with("fleet/")));
    assert_eq!(fleetctl_lines(&files), None);
}

/// With fleet, fleet starts every service: each unit a host would run by
/// itself is a fleet unit (or an instance of one), so nothing is lost when
/// the cloud-config starts none of them.
#[test]
fn every_per_host_unit_has_a_fleet_unit() {
    let own_files = coreos_ha_without_fleet();
    let fleet_files = &examples_with_fleet()[0];
    let mut checked = 0;
    for path in own_files.keys() {
        let Some((_, unit)) = path.split_once("/etc/systemd/system/") else {
            continue;
        };
        let base = unit.trim_end_matches(".service");
        assert!(
            fleet_files.contains_key(&format!("fleet/{unit}"))
                || fleet_files.contains_key(&format!("fleet/{base}@.service")),
            "{path} has no fleet unit"
        );
        checked += 1;
    }
    assert!(checked >= 7, "{checked}");
}
