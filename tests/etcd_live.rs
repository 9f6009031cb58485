//! A real etcd cluster from what the CoreOS cloud-config carries.
//!
//! `tests/cases/coreos-static/input.mcl` puts three CoreOS hosts on
//! 127.0.0.21, .22 and .23 (no other test uses these), each an etcd member
//! with the static bootstrap mesosc derives. This test builds it, reads each
//! host's `coreos.etcd2` block back from its cloud-config, and turns it into
//! the environment coreos-cloudinit gives `etcd2.service`: each key (`-` read
//! as `_`, as `config/config.go` normalizes) through the struct tags of
//! coreos-cloudinit v1.14.0's `config/etcd2.go`
//! (`data/coreos-cloudinit/etcd2.tsv`, `yaml` tag to `env` tag), each value
//! as Go's `%v` prints it (`system/env.go`). A key without a tag fails the
//! test. Then it starts Debian's `etcd` (3.4) three times with that
//! environment, plus `ETCD_DATA_DIR` (CoreOS' unit sets it) and
//! `ETCD_ENABLE_V2=true` (fleet speaks the v2 API, off by default in 3.4),
//! and checks with `etcdctl` (`ETCDCTL_API=2`), every wait bounded: the
//! three form one cluster (`member list`), a key written through one member
//! is read through another, and with one member killed the other two still
//! serve writes and reads. Every process started is stopped by a guard, also
//! when an assertion fails.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use mesosc::emit::FileKind;
use support::{INSTALL_HINT, proc, real_tools};
use yaml_rust2::{Yaml, YamlLoader};

/// The hosts of the case, and their loopback addresses.
const MEMBERS: [(&str, &str); 3] = [
    ("core-01", "127.0.0.21"),
    ("core-02", "127.0.0.22"),
    ("core-03", "127.0.0.23"),
];

/// The etcd processes, killed (and reaped) on drop.
struct Cluster {
    children: BTreeMap<String, Child>,
}

impl Cluster {
    fn kill(&mut self, name: &str) {
        if let Some(mut c) = self.children.remove(name) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let names: Vec<String> = self.children.keys().cloned().collect();
        for n in names {
            self.kill(&n);
        }
    }
}

/// `yaml tag -> env tag` of coreos-cloudinit's etcd2 struct.
fn etcd2_tags() -> BTreeMap<String, String> {
    let text = fs::read_to_string("data/coreos-cloudinit/etcd2.tsv").expect("the tag table");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (yaml, env) = l.split_once('\t').expect("yaml<TAB>env");
            (yaml.to_owned(), env.to_owned())
        })
        .collect()
}

/// Go's `%v` of a YAML scalar decoded into the struct's field.
fn go_value(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        other => panic!("etcd2 value {other:?} is not a scalar coreos-cloudinit reads"),
    }
}

/// The environment coreos-cloudinit gives etcd2.service for `doc`.
fn etcd_env(doc: &Yaml, tags: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let etcd2 = doc["coreos"]["etcd2"]
        .as_hash()
        .expect("a coreos.etcd2 block");
    etcd2
        .iter()
        .map(|(k, v)| {
            let key = k.as_str().expect("string key").replace('-', "_");
            let env = tags
                .get(&key)
                .unwrap_or_else(|| panic!("`{key}` has no env tag in config/etcd2.go"));
            (env.clone(), go_value(v))
        })
        .collect()
}

fn etcdctl(endpoint: &str, args: &[&str]) -> proc::Ran {
    proc::run(
        Command::new("etcdctl")
            .env("ETCDCTL_API", "2")
            .args(["--endpoints", endpoint])
            .args(args),
        Duration::from_secs(10),
    )
}

/// Retries `f` until it returns `Some`, for at most `limit`.
fn until<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        sleep(Duration::from_millis(300));
    }
}

#[test]
fn three_members_from_the_cloud_config_form_one_cluster_and_survive_a_failure() {
    if real_tools::skip(&["etcd", "etcdctl"]) {
        return;
    }
    for tool in ["etcd", "etcdctl"] {
        assert!(
            Command::new(tool).arg("--version").output().is_ok(),
            "`{tool}` is missing (Debian's etcd-server and etcd-client); {INSTALL_HINT}"
        );
    }
    let built = support::build(
        "coreos-static",
        Path::new("tests/cases/coreos-static/input.mcl"),
        None,
    );
    let tags = etcd2_tags();
    let root = tempfile::tempdir().expect("a temporary folder");
    let mut cluster = Cluster {
        children: BTreeMap::new(),
    };
    let mut clients = BTreeMap::new();
    for (host, address) in MEMBERS {
        let entry = (built.files.values())
            .find(|e| e.kind == FileKind::CloudConfig && e.host.as_deref() == Some(host))
            .expect("a cloud-config per host");
        let doc = YamlLoader::load_from_str(&entry.content)
            .expect("YAML")
            .remove(0);
        let env = etcd_env(&doc, &tags);
        let client = (env.iter())
            .find(|(k, _)| k == "ETCD_ADVERTISE_CLIENT_URLS")
            .map(|(_, v)| v.clone())
            .expect("a client URL");
        assert!(client.contains(address), "{host}: {client}");
        let data = root.path().join(host);
        let log = fs::File::create(root.path().join(format!("{host}.log"))).expect("log");
        let mut cmd = Command::new("etcd");
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env)
            .env("ETCD_DATA_DIR", &data)
            .env("ETCD_ENABLE_V2", "true")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        let child = cmd.spawn().expect("etcd starts");
        cluster.children.insert(host.to_owned(), child);
        clients.insert(host, client);
    }
    let logs = |root: &Path| {
        MEMBERS
            .iter()
            .map(|(h, _)| {
                let log = fs::read_to_string(root.join(format!("{h}.log"))).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(15).collect();
                format!(
                    "--- {h}\n{}",
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (first, second, third) = (
        &clients["core-01"],
        &clients["core-02"],
        &clients["core-03"],
    );

    // One cluster of three, named after the hosts.
    let members = until(Duration::from_secs(60), || {
        let ran = etcdctl(first, &["member", "list"]);
        (ran.ok() && ran.stdout.lines().count() == 3 && ran.stdout.contains("isLeader=true"))
            .then_some(ran.stdout)
    })
    .unwrap_or_else(|| panic!("no cluster of three within 60 s\n{}", logs(root.path())));
    for (host, _) in MEMBERS {
        assert!(members.contains(&format!("name={host} ")), "{members}");
    }

    // Written through one member, read through another.
    let set = etcdctl(first, &["set", "/mesosc/live", "written-through-core-01"]);
    assert!(set.ok(), "{}", set.output());
    let got = etcdctl(second, &["get", "/mesosc/live"]);
    assert_eq!(
        got.stdout.trim(),
        "written-through-core-01",
        "{}",
        got.output()
    );

    // One member down: the other two are a majority and still serve.
    cluster.kill("core-03");
    let written = until(Duration::from_secs(30), || {
        etcdctl(second, &["set", "/mesosc/after", "two-of-three"])
            .ok()
            .then_some(())
    });
    assert!(
        written.is_some(),
        "no write with two of three\n{}",
        logs(root.path())
    );
    let got = etcdctl(first, &["get", "/mesosc/after"]);
    assert_eq!(got.stdout.trim(), "two-of-three", "{}", got.output());
    let down = etcdctl(third, &["get", "/mesosc/after"]);
    assert!(!down.ok(), "the killed member answered: {}", down.output());
    drop(cluster);
}
