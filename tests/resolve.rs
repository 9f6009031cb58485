//! Resolution: imports, `let` scope, `for`, templates, overlays and the
//! precedence order, seen through the public API on in-memory files.

use std::path::Path;

use mesosc::files::MemoryFiles;
use mesosc::resolve::Resolved;
use mesosc::resolve::value::{Layer, Value};
use mesosc::{Checked, Options, check_path};
use miette::Diagnostic;

fn check_files(files: &[(&str, &str)], env: Option<&str>) -> Checked {
    let mut mem = MemoryFiles::new();
    for (path, text) in files {
        mem.insert(*path, *text);
    }
    let vars = |name: &str| (name == "ZK_VERSION").then(|| "3.8.0".to_string());
    let options = Options {
        env: env.map(str::to_string),
        ..Options::default()
    };
    check_path(Path::new(files[0].0), &mem, &vars, &options).expect("in memory")
}

fn codes(c: &Checked) -> Vec<String> {
    c.diagnostics
        .iter()
        .filter_map(|d| d.code().map(|c| c.to_string()))
        .collect()
}

fn resolved(c: &Checked) -> &Resolved {
    c.resolved.as_ref().expect("resolved")
}

const CONTROL: &str = r#"
cluster "c" { mesos = "1.11.0" }
for n in 1..3 {
  host "m${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader] }
}
"#;

#[test]
fn for_expands_hosts_with_interpolated_names_and_arithmetic() {
    let c = check_files(&[("main.mcl", CONTROL)], None);
    assert!(codes(&c).is_empty(), "{:?}", codes(&c));
    let names: Vec<&str> = resolved(&c)
        .hosts
        .iter()
        .map(|h| h.name.node.as_str())
        .collect();
    assert_eq!(names, ["m1", "m2", "m3"]);
    let model = c.model.as_ref().expect("model");
    assert_eq!(
        model.mesos_zk,
        "zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos"
    );
}

#[test]
fn lets_are_lexically_scoped_and_loop_variables_do_not_leak() {
    let src = r#"
cluster "c" { mesos = "1.11.0" }
let base = 10
for n in 1..2 {
  let ip = base + n * 2
  host "h${n}" { address = "10.0.0.${ip}"  roles = [follower] }
}
host "x" { address = "10.0.0.${n}"  roles = [follower] }
"#;
    let c = check_files(&[("main.mcl", src)], None);
    assert_eq!(
        codes(&c),
        ["mcl::check::unknown_name"],
        "`n` is not visible after the loop"
    );
    let hosts = &resolved(&c).hosts;
    assert_eq!(
        hosts[0].body.value("address").map(|v| &v.value),
        Some(&Value::Str("10.0.0.12".into()))
    );
    assert_eq!(
        hosts[1].body.value("address").map(|v| &v.value),
        Some(&Value::Str("10.0.0.14".into()))
    );
}

#[test]
fn for_iterates_lists_too() {
    let src = r#"
cluster "c" { mesos = "1.11.0" }
for name in ["alpha", "beta"] {
  host "${name}" { address = "10.0.0.1"  roles = [follower] }
}
"#;
    let c = check_files(&[("main.mcl", src)], None);
    let names: Vec<&str> = resolved(&c)
        .hosts
        .iter()
        .map(|h| h.name.node.as_str())
        .collect();
    assert_eq!(names, ["alpha", "beta"]);
}

#[test]
fn templates_merge_left_to_right_under_the_host() {
    let src = r#"
cluster "c" { mesos = "1.11.0" }
template a { roles = [follower]  follower { port = 6000  work_dir = "/a" } }
template b { follower { port = 7000 } }
host "h" uses a, b { address = "10.0.0.9"  follower { work_dir = "/h" } }
"#;
    let c = check_files(&[("main.mcl", src)], None);
    let r = resolved(&c);
    let host = &r.hosts[0];
    let follower = r.section_for(host, "follower");
    let port = follower.get("port").expect("port");
    assert_eq!(port.val.value, Value::Int(7000), "b overrides a");
    assert_eq!(port.origin.layer, Layer::Template("b".into()));
    assert_eq!(
        port.overridden.len(),
        1,
        "a's value is remembered as overridden"
    );
    let dir = follower.get("work_dir").expect("work_dir");
    assert_eq!(
        dir.val.value,
        Value::Str("/h".into()),
        "the host's own block wins over templates"
    );
    assert_eq!(dir.origin.layer, Layer::Host);
}

#[test]
fn precedence_cluster_then_host_then_environment() {
    let src = r#"
cluster "c" { mesos = "1.11.0"  environment = "debug" }
leader { port = 5050  flags { logging_level = "WARNING" } }
host "m" { address = "10.0.0.1"  roles = [zookeeper, leader]  leader { port = 6050 } }
environment "debug" {
  leader { flags { logging_level = "INFO" } }
  host "m" { leader { port = 7050 } }
}
"#;
    let c = check_files(&[("main.mcl", src)], None);
    let r = resolved(&c);
    let leader = r.section_for(&r.hosts[0], "leader");
    assert_eq!(
        leader.value("port").map(|v| &v.value),
        Some(&Value::Int(7050))
    );
    let level = leader
        .table("flags")
        .and_then(|f| f.get("logging_level"))
        .expect("flag");
    assert_eq!(level.val.value, Value::Str("INFO".into()));
    assert_eq!(level.origin.layer, Layer::Environment("debug".into()));
    let model = c.model.as_ref().expect("model");
    let flags = &model.hosts[0].leader.as_ref().expect("leader").flags;
    assert_eq!(flags["logging_level"].value, "INFO");
    assert_eq!(flags["port"].value, "7050");
}

#[test]
fn env_flag_overrides_cluster_environment_and_unselected_overlays_do_nothing() {
    let src = r#"
cluster "c" { mesos = "1.11.0"  environment = "production" }
host "m" { address = "10.0.0.1"  roles = [zookeeper, leader] }
environment "debug" { leader { port = 6000 } }
"#;
    let plain = check_files(&[("main.mcl", src)], None);
    let r = resolved(&plain);
    assert_eq!(
        r.environment.as_ref().map(|e| e.0.as_str()),
        Some("production")
    );
    assert!(r.section_for(&r.hosts[0], "leader").get("port").is_none());
    let debug = check_files(&[("main.mcl", src)], Some("debug"));
    let r = resolved(&debug);
    assert_eq!(
        r.section_for(&r.hosts[0], "leader")
            .value("port")
            .map(|v| &v.value),
        Some(&Value::Int(6000))
    );
}

#[test]
fn imports_are_relative_merged_once_and_their_lets_visible_after() {
    let main = r#"
import "lib/common.mcl"
import "lib/common.mcl"
cluster "c" { mesos = "1.11.0" }
host "m" { address = "10.0.0.${last}"  roles = [zookeeper, leader] }
"#;
    let common = r#"
import "more.mcl"
let last = 7
"#;
    let more = r#"host "z" { address = "10.0.0.99"  roles = [follower] }"#;
    let c = check_files(
        &[
            ("dir/main.mcl", main),
            ("dir/lib/common.mcl", common),
            ("dir/lib/more.mcl", more),
        ],
        None,
    );
    assert!(
        codes(&c).iter().all(|code| code.contains("single_leader")),
        "{:?}",
        codes(&c)
    );
    let names: Vec<&str> = resolved(&c)
        .hosts
        .iter()
        .map(|h| h.name.node.as_str())
        .collect();
    assert_eq!(
        names,
        ["z", "m"],
        "the second import of the same file adds nothing"
    );
    assert_eq!(
        resolved(&c).hosts[1]
            .body
            .value("address")
            .map(|v| &v.value),
        Some(&Value::Str("10.0.0.7".into()))
    );
}

#[test]
fn an_imported_file_does_not_see_the_importers_names() {
    let main = "let secret_base = 1\nimport \"b.mcl\"\ncluster \"c\" { mesos = \"1.11.0\" }";
    let b = "let x = secret_base + 1";
    let c = check_files(&[("main.mcl", main), ("b.mcl", b)], None);
    assert!(
        codes(&c).contains(&"mcl::check::unknown_name".to_string()),
        "{:?}",
        codes(&c)
    );
}

#[test]
fn import_cycles_name_the_chain() {
    let c = check_files(
        &[
            (
                "a.mcl",
                "import \"b.mcl\"\ncluster \"c\" { mesos = \"1.11.0\" }",
            ),
            ("b.mcl", "import \"a.mcl\""),
        ],
        None,
    );
    let cycle = c.diagnostics.iter().find(|d| {
        d.code()
            .is_some_and(|c| c.to_string() == "mcl::check::import_cycle")
    });
    assert_eq!(
        cycle.map(|d| d.to_string()).as_deref(),
        Some("import cycle: a.mcl → b.mcl → a.mcl")
    );
}

#[test]
fn env_reads_the_given_variables_and_unset_ones_are_errors() {
    let src = "cluster \"c\" { mesos = \"1.11.0\"  zookeeper = env(\"ZK_VERSION\") }\nlet x = env(\"NOPE\")";
    let c = check_files(&[("main.mcl", src)], None);
    assert_eq!(codes(&c), ["mcl::check::env_unset"]);
    let cluster = resolved(&c).cluster.as_ref().expect("cluster");
    assert_eq!(
        cluster.body.value("zookeeper").map(|v| &v.value),
        Some(&Value::Str("3.8.0".into()))
    );
}

#[test]
fn master_and_agent_are_aliases_everywhere() {
    let src = r#"
cluster "c" { mesos = "1.11.0" }
master { port = 5999 }
host "m" { address = "10.0.0.1"  roles = [zookeeper, master]  agent { port = 6001 } }
host "a" { address = "10.0.0.2"  roles = [agent] }
"#;
    let c = check_files(&[("main.mcl", src)], None);
    let model = c.model.as_ref().expect("model");
    let m = model.hosts.iter().find(|h| h.name == "m").expect("m");
    assert_eq!(m.leader.as_ref().map(|l| l.service.port), Some(5999));
    assert!(
        model
            .hosts
            .iter()
            .find(|h| h.name == "a")
            .is_some_and(|h| h.follower.is_some())
    );
}

#[test]
fn independent_errors_are_all_reported() {
    let src = r#"
cluster "c" { mesos = "1.11.0" }
host "Bad_Name" { address = "10.0.0.1"  roles = [follower] }
let y = 1 / 0
host "b" uses nothing { address = "10.0.0.2"  roles = [follower] }
"#;
    let c = check_files(&[("main.mcl", src)], None);
    let mut got = codes(&c);
    got.sort();
    assert_eq!(
        got,
        [
            "mcl::check::division_by_zero",
            "mcl::check::invalid_host_name",
            "mcl::check::unknown_template"
        ]
    );
}

#[test]
fn three_syntax_errors_in_one_file_are_all_reported() {
    let src = r#"
cluster "c" { mesos = "1.11.0" }
host "a" { address = }
leader { port = 5050 @ }
let s = "unterminated
host "b" { address = "10.0.0.2"  roles = [follower] }
"#;
    let c = check_files(&[("main.mcl", src)], None);
    let syntax: Vec<String> = codes(&c)
        .into_iter()
        .filter(|c| c.starts_with("mcl::syntax::"))
        .collect();
    assert_eq!(syntax.len(), 3, "{syntax:?}");
    assert!(
        resolved(&c).hosts.iter().any(|h| h.name.node == "b"),
        "the item after the errors survives"
    );
}

#[test]
fn a_mistake_in_a_loop_body_is_reported_once_for_its_first_iteration() {
    // Every iteration names a bad host (`Box-1`, `Box-2`, …): one mistake in
    // the source, so one diagnostic, for the first name; the other sites of
    // the body (a second loop elsewhere) still report theirs.
    let text = r#"
cluster "c" { mesos = "1.11.0" }
for n in 1..500 {
  host "Box-${n}" { address = "10.0.${n / 200}.${n % 200 + 1}"  roles = [follower] }
}
for n in 1..3 {
  host "m_${n}" { address = "10.1.0.${n}"  roles = [zookeeper, leader] }
}
"#;
    let c = check_files(&[("main.mcl", text)], None);
    assert_eq!(
        codes(&c),
        [
            "mcl::check::invalid_host_name",
            "mcl::check::invalid_host_name"
        ]
    );
    let messages: Vec<String> = c.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(messages[0].contains("Box-1"), "{messages:?}");
    assert!(messages[1].contains("m_1"), "{messages:?}");
}

/// The slot at `path` of a merged table, the way the model reads it.
fn walk<'t>(
    table: &'t mesosc::resolve::value::Table,
    path: &[&str],
) -> Option<&'t mesosc::resolve::value::Slot> {
    let (last, blocks) = path.split_last()?;
    let mut t = table;
    for key in blocks {
        t = t.table(key)?;
    }
    t.get(last)
}

#[test]
fn a_setting_found_through_the_layers_is_the_one_the_merged_block_holds() {
    // Every layer sets part of `follower`; the environment's host block
    // replaces `attributes`, a block below it, with a string.
    let src = r#"
cluster "c" { mesos = "1.11.0"  environment = "prod" }
follower {
  work_dir = "/var/lib/a"
  resources { cpus = 4  ports = "[31000-32000]" }
  attributes { rack = "r0" }
  flags { gc_delay = 2weeks }
}
template big { follower { resources { mem = 64GB } } }
host "a" uses big {
  address = "10.0.0.1"
  roles = [follower]
  follower { resources { cpus = 8 }  flags { resources = "disk:10" } }
}
host "b" { address = "10.0.0.2"  roles = [follower] }
environment "prod" {
  follower { resources { ports = "[20000-21000]" } }
  host "a" { follower { attributes = "rack:r9"  work_dir = "/srv/a" } }
}
"#;
    let c = check_files(&[("main.mcl", src)], None);
    let r = resolved(&c);
    let paths: &[&[&str]] = &[
        &["work_dir"],
        &["resources", "cpus"],
        &["resources", "mem"],
        &["resources", "ports"],
        &["resources", "disk"],
        &["attributes", "rack"],
        &["attributes"],
        &["flags", "gc_delay"],
        &["flags", "resources"],
        &["nothing"],
        &["nothing", "deeper"],
    ];
    let mut found = 0;
    for host in &r.hosts {
        let merged = r.section_for(host, "follower");
        for path in paths {
            let layered = r.setting_for(host, "follower", path);
            let expected = walk(&merged, path);
            assert_eq!(
                layered.map(|s| (&s.val, &s.origin)),
                expected.map(|s| (&s.val, &s.origin)),
                "host {} at {path:?}",
                host.name.node
            );
            found += usize::from(layered.is_some());
        }
    }
    // `a` finds 7 of the paths (it lost `attributes.rack` to the string),
    // `b` 6 (no template, no `flags.resources`).
    assert_eq!(found, 13);
    let a = &r.hosts[0];
    assert!(
        r.setting_for(a, "follower", &["attributes", "rack"])
            .is_none()
    );
    let ports = r
        .setting_for(a, "follower", &["resources", "ports"])
        .expect("ports");
    assert_eq!(ports.origin.layer, Layer::Environment("prod".into()));
}

#[test]
fn dropping_the_resolved_tables_keeps_the_model_the_plan_and_every_diagnostic() {
    let src = r#"
cluster "c" { mesos = "1.11.0" }
for n in 1..3 {
  host "m${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader, marathon] }
}
host "a" { address = "10.0.1.1"  roles = [follower]  follower { flags { gc_delay = 1weeks } } }
"#;
    let mut mem = MemoryFiles::new();
    mem.insert("main.mcl", src);
    let unset = |_: &str| None;
    let check = |drop_resolved| {
        let options = Options {
            drop_resolved,
            ..Options::default()
        };
        check_path(Path::new("main.mcl"), &mem, &unset, &options).expect("in memory")
    };
    let (kept, dropped) = (check(false), check(true));
    assert!(kept.resolved.is_some());
    assert!(dropped.resolved.is_none());
    assert!(dropped.model.is_some() && dropped.plan.is_some());
    assert_eq!(kept.model, dropped.model);
    let dot = |c: &Checked| c.plan.as_ref().map(|p| p.dot());
    assert_eq!(dot(&kept), dot(&dropped));
    let messages =
        |c: &Checked| -> Vec<String> { c.diagnostics.iter().map(|d| d.to_string()).collect() };
    assert_eq!(messages(&kept), messages(&dropped));
    assert_eq!(kept.inputs, dropped.inputs);
}
