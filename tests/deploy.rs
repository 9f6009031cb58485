//! The generated README's "Deploy" section, run for real: its copy loop
//! (the real `jq` and `rsync`, into local folders standing for the hosts'
//! roots) puts exactly the files the manifest lists for each host, and
//! nothing else; cloud-configs live outside the overlays; the section names
//! what each host needs and the ports from the one list of listeners.

#[path = "support/real_tools.rs"]
mod real_tools;
use std::fs;
use std::path::Path;
use std::process::Command;

use mesosc::files::MemoryFiles;

fn build(dir: &Path, source: &str) {
    fs::write(dir.join("c.mcl"), source).expect("write source");
    let out = Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .current_dir(dir)
        .args(["build", "c.mcl"])
        .output()
        .expect("run mesosc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The first fenced `sh` block after `marker` in `readme`.
fn block_after<'a>(readme: &'a str, marker: &str) -> &'a str {
    let from = readme.find(marker).expect("marker");
    let rest = &readme[from..];
    let start = rest.find("```sh\n").expect("a sh block") + 6;
    let end = rest[start..].find("```").expect("its end");
    &rest[start..start + end]
}

const CLUSTER: &str = r#"cluster "c" {
  mesos   = "1.11.0"
  outputs = [systemd, cloud-config]
}
host "m1" { address = "127.0.0.1"  roles = [zookeeper, leader, marathon] }
host "a1" { address = "127.0.0.2"  roles = [follower] }
follower { flags { isolation = "cgroups/cpu,cgroups/mem" } }
"#;

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok()
}

#[test]
fn the_copy_loop_puts_exactly_the_owned_files_on_each_host() {
    if real_tools::skip(&["rsync", "jq"]) {
        return;
    }
    if !tool("rsync") || !tool("jq") {
        panic!("rsync and jq are needed (scripts/install-test-deps installs them)");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    build(tmp.path(), CLUSTER);
    let out = tmp.path().join("out");
    // A file nobody owns, which must not travel.
    fs::write(out.join("hosts/a1/etc/stray.conf"), "x").expect("stray");
    let readme = fs::read_to_string(out.join("README.md")).expect("README");
    let script = block_after(&readme, "### Copying the files");
    assert!(!script.contains("--delete"), "{script}");
    // The hosts' roots are local folders: `root@ADDR:/` becomes `ROOTS/ADDR/`.
    let roots = tmp.path().join("roots");
    let local = script
        .replace("--chown=root:root ", "")
        .replace("\"root@$addr:/\"", "\"$ROOTS/$addr/\"")
        .replace("/tmp/mesosc-", "$ROOTS/list-");
    assert_ne!(local, script, "the loop copies to root@ADDR:/");
    fs::create_dir_all(&roots).expect("roots");
    let ran = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &local])
        .env("ROOTS", &roots)
        .current_dir(&out)
        .output()
        .expect("bash");
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).expect("manifest"))
            .expect("json");
    for (host, addr) in [("m1", "127.0.0.1"), ("a1", "127.0.0.2")] {
        let mut want: Vec<String> = manifest["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter(|f| f["host"] == host)
            .filter_map(|f| {
                f["path"]
                    .as_str()?
                    .strip_prefix(&format!("hosts/{host}/"))
                    .map(str::to_owned)
            })
            .collect();
        want.sort();
        let got: Vec<String> = common::read_tree(&roots.join(addr)).into_keys().collect();
        assert_eq!(got, want, "{host}");
        assert!(!want.is_empty());
        assert!(got.iter().all(|p| !p.contains("cloud-config")), "{got:?}");
    }
    assert!(out.join("cloud-config/a1.yaml").is_file());
    assert!(!out.join("hosts/a1/cloud-config.yaml").exists());
}

#[test]
fn the_deploy_section_names_needs_ports_waves_and_checks() {
    let mut files = MemoryFiles::new();
    files.insert("c.mcl", CLUSTER);
    let built = mesosc::compile(Path::new("c.mcl"), &files, &|_| None, &Default::default())
        .expect("compiles");
    let files = built.files.expect("files");
    let readme = &files["README.md"].content;
    let deploy = &readme[readme.find("## Deploy").expect("a Deploy section")..];
    // Needs: binaries, the JRE majors, cgroup v1 for the cgroups isolators.
    for needle in [
        "`/usr/sbin/mesos-agent`",
        "`/usr/sbin/mesos-master`",
        "`/usr/bin/marathon`, a Java 8 or newer JRE",
        "`/usr/share/java/zookeeper.jar`",
        "the cgroup v1 hierarchy",
        // Ports, from the listeners: the task ports too.
        "| a1 | ",
        "5051, 31000-32000 |",
        "| 2181, 2888, 3888, 5050, 8080 |",
        // Waves, in order, each with daemon-reload.
        "ssh root@127.0.0.1 'systemctl daemon-reload && systemctl enable --now zookeeper.service'",
        "ssh root@127.0.0.2 'systemctl daemon-reload && systemctl enable --now mesos-agent.service'",
        // Verification endpoints.
        "echo ruok | nc 127.0.0.1 2181",
        "curl -fsS http://127.0.0.1:5050/master/health",
        "curl -fsS 'http://127.0.0.2:5051/slave(1)/health'",
        "curl -fsS http://127.0.0.1:8080/ping",
        "rm -f -- /",
    ] {
        assert!(deploy.contains(needle), "missing {needle:?} in\n{deploy}");
    }
    let zk = deploy.find("zookeeper.service'").expect("zk wave");
    let agent = deploy.find("mesos-agent.service'").expect("agent wave");
    assert!(zk < agent);
    // Without cgroups isolation, no cgroup v1 requirement.
    let plain = CLUSTER.replace(
        "isolation = \"cgroups/cpu,cgroups/mem\"",
        "hostname = \"x\"",
    );
    let mut files = MemoryFiles::new();
    files.insert("c.mcl", plain.as_str());
    let built = mesosc::compile(Path::new("c.mcl"), &files, &|_| None, &Default::default())
        .expect("compiles");
    let readme = &built.files.expect("files")["README.md"].content;
    assert!(!readme.contains("cgroup v1"), "{readme}");
}

#[test]
fn with_http_authentication_the_check_sends_credentials() {
    let source = format!(
        "{CLUSTER}auth {{\n  frameworks = true\n  credential \"ops\" {{ secret = file(\"/etc/mesos/secrets/ops\") }}\n}}\n\
         leader {{ flags {{ authenticate_http_readonly = true }} }}\n"
    );
    let mut files = MemoryFiles::new();
    files.insert("c.mcl", source.as_str());
    let built = mesosc::compile(Path::new("c.mcl"), &files, &|_| None, &Default::default())
        .expect("compiles");
    assert_eq!(built.checked.diagnostics.error_count(), 0);
    let readme = &built.files.expect("files")["README.md"].content;
    assert!(
        readme.contains(
            "ssh root@127.0.0.1 'curl -fsS -u \"ops:$(cat /etc/mesos/secrets/ops)\" http://127.0.0.1:5050/master/state'"
        ),
        "{readme}"
    );
    // The health endpoint never asks for credentials.
    assert!(readme.contains("curl -fsS http://127.0.0.1:5050/master/health\n"));
}

#[test]
fn docker_hosts_pull_their_images_before_each_wave() {
    let text = fs::read_to_string("tests/cases/containerized/expected/README.md").expect("golden");
    assert!(text.contains(
        "ssh root@192.168.51.1 'docker pull mesosphere/mesos-slave:1.11.0 && systemctl daemon-reload"
    ));
    assert!(
        text.contains("| runner-1, runner-2, runner-3 | image `mesosphere/mesos-slave:1.11.0`")
    );
}

mod common;
