//! Mistakes found in real deployments: each must now be an error or a
//! warning whose help carries the fix.

use std::path::Path;

use mesosc::files::MemoryFiles;
use mesosc::{Options, check_path};
use miette::{Diagnostic, Severity};

const CLUSTER: &str = r#"
cluster "c" { mesos = "1.11.0" }
for n in 1..3 {
  host "m${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader, marathon] }
}
host "a1" { address = "10.0.1.1"  roles = [follower] }
"#;

/// (code, severity, message, help) of every diagnostic for CLUSTER + `extra`.
fn diagnose(extra: &str) -> Vec<(String, Severity, String, String)> {
    diagnose_in(CLUSTER, extra)
}

/// The same for another base cluster.
fn diagnose_in(cluster: &str, extra: &str) -> Vec<(String, Severity, String, String)> {
    let mut files = MemoryFiles::new();
    files.insert("c.mcl", format!("{cluster}{extra}"));
    let unset = |_: &str| None;
    let checked =
        check_path(Path::new("c.mcl"), &files, &unset, &Options::default()).expect("in memory");
    checked
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code().map(|c| c.to_string()).unwrap_or_default(),
                d.severity().unwrap_or(Severity::Error),
                d.to_string(),
                d.help().map(|h| h.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

fn expect(extra: &str, code: &str, severity: Severity, help_contains: &str) {
    expect_in(CLUSTER, extra, code, severity, help_contains);
}

fn expect_in(cluster: &str, extra: &str, code: &str, severity: Severity, help_contains: &str) {
    let found = diagnose_in(cluster, extra);
    assert!(
        found
            .iter()
            .any(|(c, s, _, h)| c == code && *s == severity && h.contains(help_contains)),
        "{extra}\nexpected {code} ({severity:?}) with help containing {help_contains:?}, got {found:#?}"
    );
}

#[test]
fn misspelled_workdir_that_mesos_would_ignore() {
    expect(
        "follower { flags { workdir = \"/var/lib/mesos\" } }",
        "mcl::check::unknown_flag",
        Severity::Error,
        "`work_dir`",
    );
}

#[test]
fn quorum_of_one_with_three_masters() {
    expect(
        "leader { quorum = 1 }",
        "mcl::check::quorum_not_majority",
        Severity::Error,
        "quorum = 2",
    );
}

#[test]
fn an_even_zookeeper_ensemble() {
    expect(
        "host \"z4\" { address = \"10.0.0.4\"  roles = [zookeeper] }",
        "mcl::check::even_quorum",
        Severity::Warning,
        "3 or 5 ZooKeeper servers",
    );
}

#[test]
fn authenticate_slaves_on_mesos_1_11() {
    // The old spelling of a flag mesosc derives: point at the `auth` block.
    expect(
        "leader { flags { authenticate_slaves = true } }",
        "mcl::check::derived_flag",
        Severity::Error,
        "`auth` block",
    );
    // An old spelling of a flag the user owns: a warning naming the new one.
    expect(
        "leader { flags { slave_reregister_timeout = 10mins } }",
        "mcl::check::deprecated_flag",
        Severity::Warning,
        "agent_reregister_timeout",
    );
}

#[test]
fn a_duration_written_10sec() {
    expect(
        "leader { flags { offer_timeout = 10sec } }",
        "mcl::syntax::unknown_unit",
        Severity::Error,
        "10secs",
    );
    expect(
        "leader { flags { offer_timeout = \"10sec\" } }",
        "mcl::check::invalid_flag_value",
        Severity::Error,
        "10secs",
    );
}

#[test]
fn a_resources_string_with_cpu() {
    expect(
        "follower { flags { resources = \"cpu:4;mem:8192\" } }",
        "mcl::check::unknown_resource",
        Severity::Warning,
        "`cpus`",
    );
}

#[test]
fn a_marathon_duration_written_10secs() {
    expect(
        "marathon { flags { task_launch_timeout = 10secs } }",
        "mcl::check::invalid_flag_value",
        Severity::Error,
        "10000",
    );
}

#[test]
fn zookeeper_admin_server_collides_with_marathon_on_8080() {
    expect(
        "zookeeper { settings { \"admin.enableServer\" = true } }",
        "mcl::check::port_conflict",
        Severity::Error,
        "admin_port",
    );
}

#[test]
fn the_examples_are_clean_of_errors() {
    assert!(
        diagnose("")
            .iter()
            .all(|(_, s, _, _)| *s != Severity::Error)
    );
}

#[test]
fn fleet_metadata_that_would_break_the_machine_metadata_string() {
    // Metadata reaches the machines through the CoreOS cloud-config with
    // the fleet output (elsewhere: no effect).
    let fleet = CLUSTER.replace(
        "mesos = \"1.11.0\"",
        "mesos = \"1.11.0\"  outputs = [systemd, cloud-config]  cloud_config = coreos",
    );
    expect_in(
        &fleet,
        "host \"f\" { address = \"10.0.2.1\"  roles = [follower]  fleet { metadata { zone = \"a,b\" } } }",
        "mcl::check::invalid_value",
        Severity::Error,
        "key=value",
    );
    expect_in(
        &fleet,
        "host \"f\" { address = \"10.0.2.1\"  roles = [follower]  fleet { metadata { host = \"x\" } } }",
        "mcl::check::invalid_value",
        Severity::Error,
        "mesosc sets `host`",
    );
}

#[test]
fn newlines_cannot_smuggle_lines_into_generated_files() {
    expect(
        "leader { flags { logging_level = \"INFO\\nMESOS_X=1\" } }",
        "mcl::check::invalid_flag_value",
        Severity::Error,
        "newline",
    );
    expect(
        "service \"s\" { on = [leader]  exec = \"/bin/true\\nExecStartPre=/bin/evil\" }",
        "mcl::check::unwritable_value",
        Severity::Error,
        "remove the character",
    );
    expect(
        "follower { attributes { rack = \"r1\\nExecStartPre=/x\" } }",
        "mcl::check::invalid_resources",
        Severity::Error,
        "rack",
    );
}

#[test]
fn docker_registry_credentials_written_inline() {
    expect(
        "follower { flags { docker_config = \"{\\\"auths\\\": {\\\"r.example\\\": {\\\"auth\\\": \\\"dXNlcjpwYXNz\\\"}}}\" } }",
        "mcl::check::literal_secret",
        Severity::Error,
        "file(",
    );
}

/// An overlay that is not selected is checked at the versions it declares
/// (issue 16). Mesos 1.0.0 renamed `slave_ping_timeout` to
/// `agent_ping_timeout` (src/master/flags.cpp at 0.28.2 knows only the old
/// name), so the new name is a mistake in an overlay that pins 0.28.
const OLD_OVERLAY: &str = r#"
environment "old" {
  cluster "c" { mesos = "0.28.2"  marathon = "1.1.1" }
  leader { flags { agent_ping_timeout = 10secs } }
}
"#;

/// The flag names of the too-new-flag errors for `cluster` + `extra`.
fn too_new(cluster: &str, extra: &str) -> Vec<String> {
    diagnose_in(cluster, extra)
        .into_iter()
        .filter(|(c, _, _, _)| c == "mcl::check::flag_too_new")
        .map(|(_, _, m, h)| format!("{m} / {h}"))
        .collect()
}

#[test]
fn an_unselected_overlay_is_checked_at_the_versions_it_declares() {
    // Main on 1.11.0, `old` not selected: still reported, with the
    // spelling 0.28.2 knows.
    let found = too_new(CLUSTER, OLD_OVERLAY);
    assert!(
        found.len() == 1 && found[0].contains("spells it `slave_ping_timeout`"),
        "{found:#?}"
    );
    // Selected, the same.
    let selected = CLUSTER.replace(
        "mesos = \"1.11.0\"",
        "mesos = \"1.11.0\"  environment = \"old\"",
    );
    let found = too_new(&selected, OLD_OVERLAY);
    assert!(found.len() == 1, "{found:#?}");
    // The other way round: main on 0.28.2, an overlay on 1.11.0 may use
    // the new name, and nothing is reported.
    let old_main = CLUSTER.replace(
        "mesos = \"1.11.0\"",
        "mesos = \"0.28.2\"  marathon = \"1.1.1\"",
    );
    let new_overlay = OLD_OVERLAY
        .replace("\"0.28.2\"", "\"1.11.0\"")
        .replace("\"1.1.1\"", "\"1.11.0\"");
    assert_eq!(too_new(&old_main, &new_overlay), Vec::<String>::new());
    // ... while the same flag in the main file is reported there.
    let found = too_new(
        &old_main,
        "leader { flags { agent_ping_timeout = 10secs } }",
    );
    assert!(found.len() == 1, "{found:#?}");
}

#[test]
fn an_overlay_that_declares_only_mesos_keeps_the_base_marathon_and_zookeeper() {
    // The base pins Marathon 1.11.0, which needs Mesos 1.5 or newer
    // (schema/versions.rs): an overlay that moves Mesos below that is
    // reported, though it is not selected.
    let base = CLUSTER.replace(
        "mesos = \"1.11.0\"",
        "mesos = \"1.11.0\"  marathon = \"1.11.0\"",
    );
    let found = diagnose_in(
        &base,
        "environment \"older\" { cluster \"c\" { mesos = \"1.4.2\" } }",
    );
    assert!(
        found
            .iter()
            .any(|(c, _, m, _)| c == "mcl::check::incompatible_versions" && m.contains("1.4.2")),
        "{found:#?}"
    );
    // A ZooKeeper setting the base's (newest) ZooKeeper knows is fine in
    // an overlay that moves Mesos only.
    let found = diagnose_in(
        CLUSTER,
        "environment \"o\" { cluster \"c\" { mesos = \"1.10.0\" } zookeeper { settings { maxClientCnxns = 70 } } }",
    );
    assert!(
        found.iter().all(|(c, _, _, _)| !c.contains("flag")),
        "{found:#?}"
    );
}

#[test]
fn the_versions_an_unselected_overlay_declares_are_checked() {
    // A release no tag has: the same error as in the base file.
    let found = diagnose("environment \"next\" { cluster \"c\" { mesos = \"1.99.0\" } }\n");
    assert!(
        found
            .iter()
            .any(|(c, _, m, _)| c == "mcl::check::unreleased_version" && m.contains("1.99.0")),
        "{found:#?}"
    );
    // Not a version at all: an error, though `next` is not selected.
    expect(
        "environment \"next\" { cluster \"c\" { marathon = \"latest\" } }\n",
        "mcl::check::invalid_value",
        Severity::Error,
        "write a release number",
    );
}

/// Found by the no-effect matrix: the `etcd`, `fleet` and `update` blocks
/// of a host in an overlay that is not selected were not checked at all
/// (the host's key check leaves them to their own, which saw only the
/// base and the selected overlay).
#[test]
fn a_coreos_block_of_a_host_in_an_unselected_overlay_is_checked() {
    for block in [
        "etcd { peer_prot = 2390 }",
        "fleet { public_iq = \"10.0.0.9\" }",
        "update { group_x = \"beta\" }",
    ] {
        let extra = format!("environment \"staging\" {{ host \"m1\" {{ {block} }} }}\n");
        let found = diagnose(&extra);
        assert!(
            found
                .iter()
                .any(|(c, _, _, _)| c == "mcl::check::unknown_key"),
            "{block}: {found:#?}"
        );
    }
    // A key the host may not set (etcd's members are cluster-wide).
    expect(
        "environment \"staging\" { host \"m1\" { etcd { members = [leader] } } }\n",
        "mcl::check::misplaced_key",
        Severity::Error,
        "cluster-wide",
    );
}

/// The values of an unselected overlay are checked against their keys'
/// kinds, item by item in lists, in every block of it (model/kinds.rs).
#[test]
fn values_in_an_unselected_overlay_are_checked_by_kind() {
    let codes = |extra: &str| -> Vec<String> {
        diagnose(&format!("environment \"staging\" {{ {extra} }}\n"))
            .into_iter()
            .map(|(c, _, m, h)| format!("{c}: {m} / {h}"))
            .collect()
    };
    let has = |extra: &str, wanted: &str| {
        let found = codes(extra);
        assert!(
            found.iter().any(|f| f.contains(wanted)),
            "{extra}: {found:#?}"
        );
    };
    // A role block of a host in the overlay.
    has("host \"m1\" { leader { prot = 5051 } }", "unknown_key");
    has(
        "host \"m1\" { leader { port = \"5051\" } }",
        "type_mismatch",
    );
    // A secret written in clear, not only a value of the wrong type.
    has("auth { follower_secret = \"hunter2\" }", "literal_secret");
    // Each item of a list: a word list with the words it takes, a list of
    // strings, a list of ports.
    has(
        "host \"m1\" { roles = [leader, folower] }",
        "did you mean `follower`?",
    );
    has("zookeeper { hosts = [\"zk1:2181\", 5] }", "type_mismatch");
    has(
        "service \"x\" { on = [leader]  exec = \"/usr/bin/x\"  ports = [8080, 70000] }",
        "between 1 and 65535",
    );
    // What the model accepts is accepted: names of environments as bare
    // words, a secret from a file.
    let fine = [
        "service \"x\" { on = [leader]  exec = \"/usr/bin/x\"  environments = [staging] }",
        "auth { follower_secret = file(\"/etc/mesos/secrets/agent\") }",
    ];
    for extra in fine {
        let found = codes(extra);
        let errors = ["type_mismatch", "literal_secret", "invalid_value"];
        assert!(
            !found.iter().any(|f| errors.iter().any(|e| f.contains(e))),
            "{extra}: {found:#?}"
        );
    }
}

/// An unselected overlay falls back to the base file's versions, not to
/// those the selected overlay sets.
#[test]
fn an_unselected_overlay_falls_back_to_the_base_versions() {
    let base = CLUSTER.replace(
        "mesos = \"1.11.0\"",
        "mesos = \"1.11.0\"  environment = \"old\"",
    );
    let plain = "environment \"plain\" { leader { flags { agent_ping_timeout = 10secs } } }\n";
    let selected_old =
        "environment \"old\" { cluster \"c\" { mesos = \"0.28.2\"  marathon = \"1.1.1\" } }\n";
    // `plain` runs the base's 1.11.0, which has the flag.
    assert_eq!(
        too_new(&base, &format!("{selected_old}{plain}")),
        Vec::<String>::new()
    );
}
