//! CoreOS hosts' etcd, fleet and update settings (`etcd { }`, `fleet { }`,
//! `update { }`): what each cloud-config carries, what is derived, and what
//! is refused.

mod support;

use support::{build_text, diagnostic_codes};
use yaml_rust2::{Yaml, YamlLoader};

/// A CoreOS cluster of three control hosts and one agent, `extra` appended.
fn source(outputs: &str, extra: &str) -> String {
    format!(
        r#"cluster "grid" {{
  mesos        = "1.11.0"
  environment  = "staging"
  outputs      = [{outputs}]
  cloud_config = coreos
}}
host "c3" {{ address = "10.0.0.3"  roles = [zookeeper, leader] }}
host "c1" {{ address = "10.0.0.1"  roles = [zookeeper, leader] }}
host "c2" {{ address = "10.0.0.2"  roles = [zookeeper, leader, marathon] }}
host "a1" {{ address = "10.0.1.1"  roles = [follower] }}
{extra}
"#
    )
}

/// The parsed cloud-config of `host`.
fn cloud_config(text: &str, host: &str) -> Yaml {
    let build = build_text("grid", text).unwrap_or_else(|e| panic!("{e:?}"));
    let entry = &build.files[&format!("cloud-config/{host}.yaml")];
    YamlLoader::load_from_str(&entry.content)
        .expect("YAML")
        .remove(0)
}

fn started(doc: &Yaml) -> Vec<String> {
    (doc["coreos"]["units"].as_vec().into_iter().flatten())
        .filter_map(|u| u["name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn the_static_bootstrap_lists_every_member_by_host_name() {
    let doc = cloud_config(
        &source("cloud-config", "etcd { members = [zookeeper] }"),
        "c2",
    );
    let etcd2 = &doc["coreos"]["etcd2"];
    assert_eq!(etcd2["name"].as_str(), Some("c2"));
    assert_eq!(
        etcd2["initial-cluster"].as_str(),
        Some("c1=http://10.0.0.1:2380,c2=http://10.0.0.2:2380,c3=http://10.0.0.3:2380"),
        "sorted by host name, not declaration order"
    );
    assert_eq!(
        etcd2["initial-cluster-token"].as_str(),
        Some("grid-staging")
    );
    assert_eq!(etcd2["initial-cluster-state"].as_str(), Some("new"));
    assert_eq!(
        etcd2["advertise-client-urls"].as_str(),
        Some("http://10.0.0.2:2379")
    );
    assert!(etcd2["discovery"].is_badvalue());
    // etcd2 and fleet start before the host's own units.
    let units = started(&doc);
    assert_eq!(units[..2], ["etcd2.service", "fleet.service"]);
    assert!(units.contains(&"zookeeper.service".to_owned()));
    // The agent is no member: no etcd2, but fleet, pointed at the members.
    let agent = cloud_config(
        &source("cloud-config", "etcd { members = [zookeeper] }"),
        "a1",
    );
    assert!(agent["coreos"]["etcd2"].is_badvalue());
    assert_eq!(started(&agent)[0], "fleet.service");
    assert_eq!(
        agent["coreos"]["fleet"]["etcd-servers"].as_str(),
        Some("http://10.0.0.1:2379,http://10.0.0.2:2379,http://10.0.0.3:2379")
    );
}

#[test]
fn a_discovery_url_replaces_the_static_bootstrap() {
    let extra = r#"etcd { members = [leader]  discovery = "https://discovery.etcd.io/abc" }"#;
    let doc = cloud_config(&source("cloud-config", extra), "c1");
    let etcd2 = &doc["coreos"]["etcd2"];
    assert_eq!(
        etcd2["discovery"].as_str(),
        Some("https://discovery.etcd.io/abc")
    );
    assert!(etcd2["initial-cluster"].is_badvalue());
    assert!(etcd2["initial-cluster-token"].is_badvalue());
}

#[test]
fn an_external_etcd_runs_no_member_here() {
    let extra = r#"etcd { servers = ["http://10.9.0.1:2379", "http://10.9.0.2:2379"] }
update { reboot_strategy = etcd-lock }"#;
    let doc = cloud_config(&source("cloud-config", extra), "c1");
    assert!(doc["coreos"]["etcd2"].is_badvalue());
    assert_eq!(started(&doc)[0], "fleet.service");
    let servers = "http://10.9.0.1:2379,http://10.9.0.2:2379";
    assert_eq!(
        doc["coreos"]["fleet"]["etcd-servers"].as_str(),
        Some(servers)
    );
    assert_eq!(
        doc["coreos"]["locksmith"]["endpoint"].as_str(),
        Some(servers)
    );
    let both = r#"etcd { servers = ["http://10.9.0.1:2379"]  members = [leader] }"#;
    let errors = build_text("grid", &source("cloud-config", both)).err();
    assert!(
        errors.is_some_and(|e| e.iter().any(|m| m.contains("`members` beside `servers`"))),
        "members of an etcd these hosts do not run"
    );
}

#[test]
fn per_host_settings_override_the_cluster_wide_ones() {
    let extra = r#"etcd { }
fleet { etcd_request_timeout = 1500ms }
update { reboot_strategy = reboot }
host "c1" { etcd { client_port = 4001 }  fleet { public_ip = "192.0.2.1" }  update { reboot_strategy = off } }"#;
    // `host "c1"` twice is a duplicate: write the override into its block.
    let text = source("cloud-config", "").replace(
        r#"host "c1" { address = "10.0.0.1"  roles = [zookeeper, leader] }"#,
        r#"host "c1" {
  address = "10.0.0.1"
  roles   = [zookeeper, leader]
  etcd { client_port = 4001 }
  fleet { public_ip = "192.0.2.1" }
  update { reboot_strategy = off }
}"#,
    ) + extra
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
        .as_str();
    let c1 = cloud_config(&text, "c1");
    assert_eq!(
        c1["coreos"]["etcd2"]["listen-client-urls"].as_str(),
        Some("http://10.0.0.1:4001")
    );
    assert_eq!(
        c1["coreos"]["fleet"]["public-ip"].as_str(),
        Some("192.0.2.1")
    );
    assert_eq!(
        c1["coreos"]["update"]["reboot-strategy"].as_str(),
        Some("off")
    );
    assert_eq!(
        c1["coreos"]["fleet"]["etcd-request-timeout"].as_f64(),
        Some(1.5)
    );
    let c2 = cloud_config(&text, "c2");
    assert_eq!(
        c2["coreos"]["fleet"]["public-ip"].as_str(),
        Some("10.0.0.2"),
        "the host's address by default"
    );
    assert_eq!(
        c2["coreos"]["update"]["reboot-strategy"].as_str(),
        Some("reboot")
    );
    assert!(
        (c2["coreos"]["fleet"]["etcd-servers"].as_str())
            .is_some_and(|s| s.contains("http://10.0.0.1:4001")),
        "every host talks to c1 on its own client port"
    );
}

#[test]
fn fleet_metadata_is_carried_without_the_fleet_output() {
    let extra = r#"fleet { metadata { dc = "east" } }"#;
    let doc = cloud_config(&source("cloud-config", extra), "a1");
    let meta = doc["coreos"]["fleet"]["metadata"]
        .as_str()
        .expect("metadata");
    assert!(
        meta.contains("dc=east") && meta.contains("host=a1"),
        "{meta}"
    );
    assert!(
        doc["coreos"]["etcd2"].is_badvalue(),
        "no etcd block, no etcd"
    );
    assert!(!started(&doc).contains(&"fleet.service".to_owned()));
}

#[test]
fn etcd_ports_are_in_the_port_check() {
    let clash = "etcd { client_port = 2181 }";
    assert!(
        diagnostic_codes(&source("cloud-config", clash))
            .contains(&"mcl::check::port_conflict".to_owned())
    );
    let Err(errors) = build_text("grid", &source("cloud-config", clash)) else {
        panic!("a clash");
    };
    // Every ZooKeeper host clashes; the agent, a member too, does not.
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(!errors.iter().any(|e| e.contains("`a1`")), "{errors:?}");
    let offered = r#"etcd { members = [follower]  peer_port = 31500 }"#;
    let codes = diagnostic_codes(&source("cloud-config", offered));
    assert!(
        codes.iter().any(|c| c.contains("offered_port_conflict")),
        "{codes:?}"
    );
    // The README's hosts table and ports to open list them.
    let build = build_text("grid", &source("cloud-config", "etcd { }")).expect("builds");
    let readme = &build.files["README.md"].content;
    assert!(
        readme.contains("etcd2 2379 (client), 2380 (peer)"),
        "{readme}"
    );
}

#[test]
fn member_counts_that_lose_the_majority_warn() {
    let codes = |members: &str| diagnostic_codes(&source("cloud-config", members));
    let warned = |members: &str| codes(members).contains(&"mcl::check::etcd_members".to_owned());
    assert!(warned("etcd { members = [marathon] }"), "one member");
    assert!(warned("etcd { members = [c1, c2] }"), "two members");
    assert!(warned("etcd { }"), "four members");
    assert!(!warned("etcd { members = [leader] }"), "three members");
}

#[test]
fn mistakes_are_reported() {
    let codes = |extra: &str| diagnostic_codes(&source("cloud-config", extra));
    let has = |extra: &str, code: &str| {
        let codes = codes(extra);
        assert!(
            codes.contains(&format!("mcl::check::{code}")),
            "{extra}: {codes:?}"
        );
    };
    has("etcd { client_prot = 1 }", "unknown_key");
    has("etcd { members = [zookeper] }", "invalid_value");
    has(
        r#"etcd { discovery = "discovery.etcd.io/x" }"#,
        "invalid_value",
    );
    has("update { reboot_strategy = best-effort }", "invalid_value");
    has(
        r#"update { window_start = "Thursday 4am" }"#,
        "invalid_value",
    );
    has(
        "update { reboot_strategy = etcd-lock }",
        "etcd_lock_without_etcd",
    );
    has(
        r#"host "x" { address = "10.0.2.1"  roles = [follower]  etcd { members = [leader] } }"#,
        "misplaced_key",
    );
    // Without the CoreOS cloud-config these settings reach no host (and
    // neither does `cloud_config = coreos` itself: two entries).
    let plain = source("systemd", "etcd { }\nupdate { reboot_strategy = reboot }");
    let codes = diagnostic_codes(&plain);
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "mcl::check::no_effect")
            .count(),
        2,
        "{codes:?}"
    );
}

/// Found by the no-effect matrix: an `etcd` block in a template no host
/// uses made every host an etcd member (the blocks that decide whether
/// etcd runs included every template's); it is only reported now.
#[test]
fn etcd_in_a_template_no_host_uses_runs_nowhere() {
    let unused = "template spare { etcd { peer_port = 2390 } }";
    let doc = cloud_config(&source("cloud-config", unused), "c1");
    assert!(doc["coreos"]["etcd2"].is_badvalue(), "no etcd member");
    assert!(!started(&doc).contains(&"etcd2.service".to_owned()));
    let codes = diagnostic_codes(&source("cloud-config", unused));
    assert!(
        codes.contains(&"mcl::check::no_effect".to_owned()),
        "{codes:?}"
    );
    // Used by a host, it applies to that host.
    let used = format!(
        "{unused}\nhost \"a2\" uses spare {{ address = \"10.0.1.2\"  roles = [follower] }}"
    );
    let doc = cloud_config(&source("cloud-config", &used), "a2");
    assert!(
        doc["coreos"]["etcd2"]["listen-peer-urls"]
            .as_str()
            .is_some_and(|u| u.contains(":2390")),
        "{doc:?}"
    );
}
