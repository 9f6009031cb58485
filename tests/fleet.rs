//! The fleet units of every example with the `fleet` output: `[X-Fleet]` holds
//! only fleet's keys, the agent is global, templates keep their instances
//! apart, the bodies are the hosts' own units, and the checker rejects a
//! misspelled key.

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
    ["thegrid", "coreos-ha"]
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

#[test]
fn fleet_units_run_what_the_hosts_own_units_run() {
    for files in examples_with_fleet() {
        let host = files
            .keys()
            .find(|p| p.ends_with("/etc/systemd/system/mesos-master.service"))
            .expect("a leader")
            .clone();
        let own = &files[&host].content;
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
    let mut mem = MemoryFiles::new();
    mem.insert(
        "v.mcl",
        "cluster \"v\" {\n  mesos = \"1.11.0\"\n  outputs = [fleet]\n  runtime = docker\n}\n\
         host \"a\" { address = \"10.0.0.1\"  roles = [zookeeper, leader, follower] }\n\
         host \"b\" {\n  address = \"10.0.0.2\"\n  roles = [zookeeper, leader, follower]\n  leader { image = \"custom/master:1\" }\n}\n\
         host \"c\" { address = \"10.0.0.3\"  roles = [zookeeper, leader, follower] }\n\
         zookeeper { image = \"zookeeper:3.8\" }\nleader { image = \"m:1\" }\nfollower { image = \"s:1\" }\n",
    );
    let files = build_with(Path::new("v.mcl"), &mem);
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
