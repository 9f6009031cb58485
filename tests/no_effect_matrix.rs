//! Nothing the user writes is silently ignored (issue 16), shown for every
//! key of every block of the key schema: each pair of sources, a base
//! cluster and the base plus one entry with a non-default value, must
//! either build a different output tree, or report a diagnostic at the
//! added entry (`mcl::check::no_effect`, or a more specific one); a
//! diagnostic elsewhere does not count, and an entry that changes the
//! output must not be called without effect.
//!
//! The matrix is generated from `mesosc::schema::keys::all()`, so a key
//! added to the schema is tested here without a line of this file (a kind
//! of value it has not seen fails the test until `value` knows it).
//!
//! It is the full product of the dimensions, for every key:
//! runtime (native, docker on the host network, docker on a bridge) x the
//! key's role present on the host or absent from it (a key of no role:
//! the follower and Marathon absent) x outputs (`[systemd]`, or with the
//! CoreOS cloud-config) x `auth` off or on (both switches, a credential
//! and the follower secret) = 24 contexts, x the place the entry is
//! written: cluster-wide, in the host, in a template the host uses, in a
//! template nobody uses, in the selected overlay and in an overlay that is
//! not selected. Each key is written where the schema lets it be.
//!
//! An entry in an overlay that is not selected changes nothing by design:
//! there the output must stay the base's, and the entry may draw only
//! diagnostics that it draws in the selected overlay (it is checked as if
//! selected, never reported as without effect); that a mistake there (a
//! misspelled key, a value of the wrong type) is still reported, every
//! key's, are the two tests after it.
//!
//! It runs in process through the library (the count is asserted below),
//! on as many threads as the machine has cores: each pair is two
//! compilations of a one- or two-host cluster, the bases compiled once.

use std::path::Path;

use mesosc::files::MemoryFiles;
use mesosc::schema::keys::{self, Block, Key, Kind};
use miette::Diagnostic;

/// How the services run.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Runtime {
    Native,
    DockerHost,
    DockerBridge,
}

/// One point of the product of the dimensions the entry is written in.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Context {
    runtime: Runtime,
    /// The key's role is absent from the host (see the module's doc).
    role_absent: bool,
    /// The CoreOS cloud-config output beside the units.
    cloud_config: bool,
    /// `auth` with both switches on.
    auth: bool,
}

impl Context {
    fn all() -> Vec<Context> {
        let mut out = Vec::new();
        for runtime in [Runtime::Native, Runtime::DockerHost, Runtime::DockerBridge] {
            for role_absent in [false, true] {
                for cloud_config in [false, true] {
                    for auth in [false, true] {
                        out.push(Context {
                            runtime,
                            role_absent,
                            cloud_config,
                            auth,
                        });
                    }
                }
            }
        }
        out
    }

    fn docker(self) -> bool {
        self.runtime != Runtime::Native
    }
}

/// Where the entry is written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Place {
    ClusterWide,
    Host,
    TemplateUsed,
    TemplateUnused,
    OverlaySelected,
    OverlayUnselected,
}

/// The texts the base is made of, where an entry may be inserted.
#[derive(Default)]
struct Slots {
    cluster: String,
    host: String,
    template_used: String,
    template_unused: String,
    top: String,
    overlay: String,
    other_overlay: String,
    service: String,
}

/// The base cluster of `ctx` with `slots` inserted; the roles of the host.
fn source(ctx: Context, absent: Option<&str>, s: &Slots) -> String {
    let docker = ctx.docker();
    let mut roles = vec!["zookeeper", "leader", "follower", "marathon"];
    if ctx.role_absent {
        roles.retain(|r| Some(*r) != absent);
        if roles.len() == 4 {
            // Not a role key: the follower and Marathon go.
            roles.retain(|r| !matches!(*r, "follower" | "marathon"));
        }
    }
    let mut text = String::from("cluster \"m\" {\n  mesos = \"1.11.0\"\n  environment = \"sel\"\n");
    if docker {
        text.push_str("  runtime = docker\n");
    }
    if ctx.cloud_config {
        // The CoreOS cloud-config beside the units (fleet would also need
        // an etcd cluster; its own pairs change `outputs`).
        text.push_str("  outputs = [systemd, cloud-config]\n  cloud_config = coreos\n");
    }
    text.push_str(&s.cluster);
    text.push_str("}\n");
    text.push_str(&format!("template used {{\n{}}}\n", s.template_used));
    text.push_str(&format!("template unused {{\n{}}}\n", s.template_unused));
    text.push_str(&format!(
        "host \"a\" uses used {{\n  address = 10.0.0.1\n  roles = [{}]\n{}}}\n",
        roles.join(", "),
        s.host
    ));
    // A cluster needs ZooKeeper and a leader: when host `a` lacks one,
    // host `b` has it (the role is absent from `a`, not from the cluster).
    for needed in ["zookeeper", "leader"] {
        if !roles.contains(&needed) {
            text.push_str(&format!(
                "host \"b\" {{ address = 10.0.0.2  roles = [{needed}] }}\n"
            ));
        }
    }
    if docker {
        let net = if ctx.runtime == Runtime::DockerBridge {
            "  network = bridge"
        } else {
            ""
        };
        for (role, image) in [
            ("zookeeper", "zookeeper:3.8"),
            ("leader", "mesosphere/mesos-master:1.11.0"),
            ("follower", "mesosphere/mesos-slave:1.11.0"),
            ("marathon", "mesosphere/marathon:v1.11.0"),
        ] {
            text.push_str(&format!("{role} {{ image = \"{image}\"{net} }}\n"));
        }
    }
    if ctx.auth {
        text.push_str(
            "auth {\n  frameworks = true\n  followers = true\n  \
             credential \"marathon\" { secret = file(\"/etc/mesos/secrets/marathon\") }\n  \
             follower_secret = file(\"/etc/mesos/secrets/agent\")\n}\n",
        );
    }
    text.push_str(&s.top);
    text.push_str(&format!(
        "service \"s\" {{\n  on = [zookeeper]\n  exec = \"/usr/bin/true\"\n{}}}\n",
        s.service
    ));
    text.push_str(&format!("environment \"sel\" {{\n{}}}\n", s.overlay));
    text.push_str(&format!(
        "environment \"other\" {{\n{}}}\n",
        s.other_overlay
    ));
    text
}

/// A non-default value for `key`.
fn value(key: &Key) -> String {
    let text = |s: &str| format!("\"{s}\"");
    match (key.block, key.name, key.kind) {
        (_, "image", _) => text("img/matrix:2"),
        (_, "command", _) => text("/opt/matrix/bin/run"),
        (_, "mesosc", _) => text("<= 0.0.1"),
        (_, "environment", _) => text("other"),
        (_, "exec", _) => text("/usr/bin/false"),
        (_, "endpoint", _) => text("http://127.0.0.1:5999"),
        (_, "dns", _) => text("zk.example.com"),
        (Block::Cluster, "mesos", _) => text("1.10.0"),
        (Block::Cluster, "marathon", _) => text("1.10.26"),
        (Block::Cluster, "zookeeper", _) => text("3.8.4"),
        (_, "hosts", _) => "[\"zk9.example.com:2181\"]".into(),
        (_, "environments", _) => "[\"other\"]".into(),
        (_, "servers", _) => "[\"http://10.0.0.9:2379\"]".into(),
        (_, "on", _) => "[leader]".into(),
        (_, "after", _) => "[zookeeper]".into(),
        (_, "roles", _) => "[zookeeper, leader, follower]".into(),
        (_, "runtime", _) => "docker".into(),
        (_, "outputs", _) => "[systemd, fleet]".into(),
        (Block::Leader, "flags", _) => "{ logging_level = \"WARNING\" }".into(),
        (Block::Follower, "flags", _) => "{ logging_level = \"WARNING\" }".into(),
        (Block::Marathon, "flags", _) => "{ zk_timeout = 20000 }".into(),
        (Block::Zookeeper, "settings", _) => "{ maxClientCnxns = 77 }".into(),
        (_, "resources", _) => "{ cpus = 3 }".into(),
        (_, "attributes" | "metadata", _) => "{ rack = \"r9\" }".into(),
        (_, _, Kind::Str) => text("matrix"),
        (_, _, Kind::Strings) => "[\"matrix\"]".into(),
        (_, _, Kind::Path) => text("/srv/matrix"),
        (_, _, Kind::Int) => "7".into(),
        (_, _, Kind::Port) => "15999".into(),
        (_, _, Kind::Ports) => "[15998]".into(),
        (_, _, Kind::Bool) => "true".into(),
        (_, _, Kind::Address) => "10.9.9.9".into(),
        (_, _, Kind::Duration) => "7secs".into(),
        (_, _, Kind::Secret) => "file(\"/etc/mesos/secrets/matrix\")".into(),
        (_, _, Kind::AutoInt) => "2".into(),
        (_, _, Kind::Word(words)) => {
            let default = key.default.unwrap_or("");
            let other = words.iter().find(|w| !default.contains(**w));
            other.expect("a second word").to_string()
        }
        (_, _, Kind::Words([])) => "[matrix]".into(),
        (_, _, Kind::Words(words)) => format!("[{}]", words[0]),
        (_, _, Kind::Block(inner)) => {
            let inner_key = keys::of(inner)
                .find(|k| !matches!(k.kind, Kind::Block(_)))
                .expect("a block has a plain key");
            format!("{{ {} }}", entry(inner_key))
        }
        (_, name, kind) => panic!("no matrix value for `{name}` ({kind:?}): teach `value`"),
    }
}

/// `key = value` or `key { … }` (`key "label" { … }` when labelled).
fn entry(key: &Key) -> String {
    let v = value(key);
    let label = if key.label { " \"matrix\"" } else { "" };
    if v.starts_with('{') {
        format!("{}{label} {v}", key.name)
    } else {
        format!("{}{label} = {v}", key.name)
    }
}

/// The blocks an item holds directly (others are nested in a key of one).
const TOP: [Block; 9] = [
    Block::Cluster,
    Block::Host,
    Block::Service,
    Block::Zookeeper,
    Block::Leader,
    Block::Follower,
    Block::Marathon,
    Block::Auth,
    Block::Owca,
];

/// The entry of `key` wrapped in the blocks that hold it, up to a block an
/// item holds (`leader { tls { cert = … } }`), and that block. A nested
/// block is written in the leader's block where it can be (the first
/// holder otherwise), so a block added to the schema is placed without a
/// line here.
fn wrapped(key: &Key) -> (Block, String) {
    let mut block = key.block;
    let mut text = entry(key);
    while !TOP.contains(&block) {
        let mut holders = keys::all().filter(|k| k.kind == Kind::Block(block));
        let first = holders.next().expect("a nested block has a holder");
        let holder = std::iter::once(first)
            .chain(holders)
            .find(|k| k.block == Block::Leader)
            .unwrap_or(first);
        let label = if holder.label { " \"matrix\"" } else { "" };
        text = format!("{}{label} {{ {text} }}", holder.name);
        block = holder.block;
    }
    (block, text)
}

/// The entry written in `place`, wrapped in its blocks; `None` where the
/// key cannot be written there.
fn placed(key: &Key, place: Place) -> Option<Slots> {
    let line = |s: String| format!("  {s}\n");
    let (top, e) = wrapped(key);
    let mut s = Slots::default();
    let role = matches!(
        top,
        Block::Zookeeper | Block::Leader | Block::Follower | Block::Marathon
    );
    let wrapped = match top {
        b if role || b == Block::Owca || b == Block::Auth => format!("{} {{ {e} }}", b.name()),
        _ => e.clone(),
    };
    let section = role || matches!(top, Block::Owca | Block::Auth);
    let host_side = role || matches!(top, Block::Host | Block::Owca);
    match (top, place) {
        (Block::Cluster, Place::ClusterWide) => s.cluster = line(e),
        (Block::Cluster, Place::OverlaySelected) => {
            s.overlay = line(format!("cluster \"m\" {{ {e} }}"))
        }
        (Block::Cluster, Place::OverlayUnselected) => {
            s.other_overlay = line(format!("cluster \"m\" {{ {e} }}"))
        }
        (Block::Service, Place::ClusterWide) => s.service = line(e),
        (Block::Service, Place::OverlaySelected) => {
            s.overlay = line(format!(
                "service \"s\" {{ on = [zookeeper]  exec = \"/usr/bin/true\"  {e} }}"
            ))
        }
        (_, Place::ClusterWide) if section => s.top = format!("{wrapped}\n"),
        (_, Place::OverlaySelected) if section => s.overlay = line(wrapped),
        (_, Place::OverlayUnselected) if section => s.other_overlay = line(wrapped),
        (_, Place::Host) if host_side => s.host = line(wrapped),
        (_, Place::TemplateUsed) if host_side => s.template_used = line(wrapped),
        (_, Place::TemplateUnused) if host_side => s.template_unused = line(wrapped),
        (Block::Host, Place::OverlaySelected) => {
            s.overlay = line(format!("host \"a\" {{ {wrapped} }}"))
        }
        (Block::Host, Place::OverlayUnselected) => {
            s.other_overlay = line(format!("host \"a\" {{ {wrapped} }}"))
        }
        (Block::Service, Place::OverlayUnselected) => {
            s.other_overlay = line(format!(
                "service \"s\" {{ on = [zookeeper]  exec = \"/usr/bin/true\"  {e} }}"
            ))
        }
        _ => return None,
    }
    Some(s)
}

/// `slots` with `from` replaced by `to` in every text.
fn swap(s: Slots, from: &str, to: &str) -> Slots {
    let r = |t: String| t.replace(from, to);
    Slots {
        cluster: r(s.cluster),
        host: r(s.host),
        template_used: r(s.template_used),
        template_unused: r(s.template_unused),
        top: r(s.top),
        overlay: r(s.overlay),
        other_overlay: r(s.other_overlay),
        service: r(s.service),
    }
}

/// Keys the base of `ctx` already writes (a second one would only be a
/// duplicate); they are tested in the other contexts.
fn in_base(key: &Key, ctx: Context, place: Place) -> bool {
    let docker = ctx.docker();
    let cluster_wide = matches!(place, Place::ClusterWide | Place::OverlaySelected);
    match (key.block, key.name) {
        (Block::Cluster, "mesos" | "environment") => place == Place::ClusterWide,
        (Block::Cluster, "runtime") => docker && place == Place::ClusterWide,
        (Block::Cluster, "outputs" | "cloud_config") => {
            ctx.cloud_config && place == Place::ClusterWide
        }
        (Block::Host, "address" | "roles") => place == Place::Host,
        (_, "image" | "network") => docker && cluster_wide,
        (Block::Auth, _) => ctx.auth && cluster_wide,
        (Block::Credential, _) => false,
        (Block::Service, "on" | "exec") => true,
        _ => false,
    }
}

/// Builds `text`: the output tree (when no error) and every diagnostic,
/// as (code, label offsets relative to the file).
struct Outcome {
    files: Option<mesosc::emit::FileSet>,
    diagnostics: Vec<(String, Vec<usize>, String)>,
}

fn build(text: &str) -> Outcome {
    let mut files = MemoryFiles::new();
    files.insert("m.mcl", text);
    let built = mesosc::compile(Path::new("m.mcl"), &files, &|_| None, &Default::default())
        .expect("in memory");
    let base = built.checked.sources.file(mesosc::span::FileId(0)).base as usize;
    let diagnostics = built
        .checked
        .diagnostics
        .iter()
        .map(|d| {
            let code = d.code().map(|c| c.to_string()).unwrap_or_default();
            let at = d
                .labels()
                .into_iter()
                .flatten()
                .map(|l| l.offset().saturating_sub(base))
                .collect();
            (code, at, d.to_string())
        })
        .collect();
    Outcome {
        files: built.files,
        diagnostics,
    }
}

/// The byte range of the text `pair` adds to `base` (they differ in one
/// inserted run).
fn added(base: &str, pair: &str) -> std::ops::Range<usize> {
    let start = base
        .bytes()
        .zip(pair.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let tail = base[start..]
        .bytes()
        .rev()
        .zip(pair[start..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    start..pair.len() - tail
}

fn role_of(key: &Key) -> Option<&'static str> {
    match key.block {
        Block::Zookeeper | Block::Leader | Block::Follower | Block::Marathon => {
            Some(key.block.name())
        }
        Block::Advertise => Some("leader"),
        _ => None,
    }
}

/// One pair of the matrix: the key, where and in what it is written.
struct Pair {
    key: &'static Key,
    ctx: Context,
    place: Place,
    /// The base's source (a key into the compiled bases).
    base: String,
    text: String,
}

/// The diagnostics of `out` at the byte `range`, or at `also` (the name
/// of a template nobody uses, where such a template is reported once).
fn at<'a>(
    out: &'a Outcome,
    range: &std::ops::Range<usize>,
    also: Option<usize>,
) -> Vec<&'a (String, Vec<usize>, String)> {
    (out.diagnostics.iter())
        .filter(|(_, at, _)| at.iter().any(|o| range.contains(o) || Some(*o) == also))
        .collect()
}

/// What is wrong with `pair` (none when it holds).
fn judge(pair: &Pair, base: &Outcome) -> Option<String> {
    let text = &pair.text;
    let range = added(&pair.base, text);
    let out = build(text);
    // A template nobody uses is reported once, at its name.
    let template = (pair.place == Place::TemplateUnused)
        .then(|| {
            text.find("template unused")
                .map(|at| at + "template ".len())
        })
        .flatten();
    let here = at(&out, &range, template);
    let no_effect = here.iter().any(|(c, _, _)| c == "mcl::check::no_effect");
    let changed = out.files.is_some() && out.files != base.files;
    let what = format!(
        "{}.{} {:?} {:?}: `{}`",
        pair.key.block.name(),
        pair.key.name,
        pair.ctx,
        pair.place,
        &text[range.clone()].trim()
    );
    let elsewhere = || -> Vec<&String> { out.diagnostics.iter().map(|d| &d.2).collect() };
    if pair.place == Place::OverlayUnselected {
        return unselected(pair, &out, &here, changed).map(|e| format!("{what}: {e}"));
    }
    if changed && no_effect {
        Some(format!(
            "{what}: changes the output, yet reported without effect"
        ))
    } else if !changed && here.is_empty() {
        Some(format!(
            "{what}: no change and nothing reported there (elsewhere: {:?})",
            elsewhere()
        ))
    } else {
        None
    }
}

/// An entry in the overlay that is not selected: it changes nothing, is not
/// reported as without effect, and draws no diagnostic that it does not
/// draw when its overlay is selected (it is checked as if selected).
fn unselected(
    pair: &Pair,
    out: &Outcome,
    here: &[&(String, Vec<usize>, String)],
    changed: bool,
) -> Option<String> {
    if changed {
        return Some("changes the output, though its overlay is not selected".into());
    }
    if out.files.is_none() && !here.iter().any(|d| is_error(&d.0)) {
        let all: Vec<&String> = out.diagnostics.iter().map(|d| &d.2).collect();
        return Some(format!("fails the build elsewhere: {all:?}"));
    }
    let select = |t: &str| t.replace("environment = \"sel\"", "environment = \"other\"");
    let (base, text) = (select(&pair.base), select(&pair.text));
    let selected = build(&text);
    let selected = at(&selected, &added(&base, &text), None);
    let extra: Vec<&String> = (here.iter())
        .filter(|(c, _, _)| c == "mcl::check::no_effect" || !selected.iter().any(|s| s.0 == *c))
        .map(|d| &d.2)
        .collect();
    (!extra.is_empty()).then(|| {
        let selected: Vec<&String> = selected.iter().map(|d| &d.2).collect();
        format!("reported {extra:?}, but selected only {selected:?}")
    })
}

/// Codes of warnings the matrix's builds may carry (the others are errors).
fn is_error(code: &str) -> bool {
    !matches!(
        code,
        "mcl::check::no_effect"
            | "mcl::check::deprecated_flag"
            | "mcl::check::unknown_environment"
            | "mcl::check::single_leader"
    )
}

/// Every pair of the matrix.
fn pairs() -> Vec<Pair> {
    let all_places = [
        Place::ClusterWide,
        Place::Host,
        Place::TemplateUsed,
        Place::TemplateUnused,
        Place::OverlaySelected,
        Place::OverlayUnselected,
    ];
    let mut out = Vec::new();
    for key in keys::all() {
        for ctx in Context::all() {
            let absent = role_of(key);
            let base = source(ctx, absent, &Slots::default());
            for place in all_places {
                if in_base(key, ctx, place) {
                    continue;
                }
                let Some(slots) = placed(key, place) else {
                    continue;
                };
                // On a bridge already, the other network is the change
                // (and so for the runtime and the cloud-config flavour).
                let slots = match (ctx.runtime, key.name) {
                    (Runtime::DockerBridge, "network") => swap(slots, "= bridge", "= host"),
                    (Runtime::DockerHost | Runtime::DockerBridge, "runtime") => {
                        swap(slots, "= docker", "= native")
                    }
                    (_, "cloud_config") if ctx.cloud_config => {
                        swap(slots, "= coreos", "= cloud-init")
                    }
                    _ => slots,
                };
                let text = source(ctx, absent, &slots);
                out.push(Pair {
                    key,
                    ctx,
                    place,
                    base: base.clone(),
                    text,
                });
            }
        }
    }
    out
}

#[test]
fn every_key_changes_the_output_or_is_reported_where_it_is_written() {
    let pairs = pairs();
    let mut bases = std::collections::HashMap::new();
    for p in &pairs {
        if !bases.contains_key(&p.base) {
            let base = build(&p.base);
            assert!(
                base.files.is_some(),
                "the base of {:?} builds: {:#?}\n{}",
                p.ctx,
                base.diagnostics,
                p.base
            );
            bases.insert(p.base.clone(), base);
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = pairs.len().div_ceil(threads);
    let bases = &bases;
    let mut failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (pairs.chunks(chunk))
            .map(|part| {
                scope.spawn(move || {
                    (part.iter())
                        .filter_map(|p| judge(p, &bases[&p.base]))
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        (workers.into_iter())
            .flat_map(|w| w.join().expect("a worker"))
            .collect()
    });
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} pairs:\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n")
    );
    println!("{} pairs, {} bases", pairs.len(), bases.len());
    assert!(pairs.len() > 10_000, "{} pairs", pairs.len());
}

/// The plain base: native, every role, `[systemd]`, `auth` off.
const PLAIN: Context = Context {
    runtime: Runtime::Native,
    role_absent: false,
    cloud_config: false,
    auth: false,
};

/// Every key that takes a value (not a block), written alone in the overlay
/// that is not selected, with the base's slots.
fn in_other_overlay() -> impl Iterator<Item = (&'static Key, Slots)> {
    let scalar = |k: &&Key| !matches!(k.kind, Kind::Block(_) | Kind::Open(_));
    (keys::all().filter(scalar))
        .filter(|key| !in_base(key, PLAIN, Place::OverlayUnselected))
        .filter_map(|key| Some((key, placed(key, Place::OverlayUnselected)?)))
}

#[test]
fn a_misspelled_key_in_an_overlay_that_is_not_selected_is_reported() {
    let mut checked = 0;
    for (key, mut slots) in in_other_overlay() {
        slots.other_overlay =
            slots
                .other_overlay
                .replacen(key.name, &format!("{}_typo", key.name), 1);
        let text = source(PLAIN, None, &slots);
        let out = build(&text);
        assert!(
            out.diagnostics
                .iter()
                .any(|(c, _, m)| c == "mcl::check::unknown_key" && m.contains("_typo")),
            "{}.{}: {:#?}\n{text}",
            key.block.name(),
            key.name,
            out.diagnostics
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn a_value_of_the_wrong_type_in_an_overlay_that_is_not_selected_is_reported() {
    // `true` is of no kind but `Bool`; a `Bool` gets a string instead.
    let mut checked = 0;
    for (key, mut slots) in in_other_overlay() {
        let from = format!("{} = {}", key.name, value(key));
        let to = match key.kind {
            Kind::Bool => format!("{} = \"yes\"", key.name),
            _ => format!("{} = true", key.name),
        };
        slots.other_overlay = slots.other_overlay.replacen(&from, &to, 1);
        assert!(
            slots.other_overlay.contains(&to),
            "{from}: {}",
            slots.other_overlay
        );
        let text = source(PLAIN, None, &slots);
        let out = build(&text);
        let at = text.find(&to).expect("written") + key.name.len() + 3;
        assert!(
            out.diagnostics
                .iter()
                .any(|(c, offsets, _)| is_error(c) && offsets.contains(&at)),
            "{}.{}: {:#?}\n{text}",
            key.block.name(),
            key.name,
            out.diagnostics
        );
        checked += 1;
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn no_example_writes_an_entry_without_effect() {
    let mut checked = 0;
    for entry in std::fs::read_dir("examples").expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "mcl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        // The file as it selects, and every overlay it declares.
        let envs = text
            .match_indices("environment \"")
            .filter_map(|(at, m)| text[at + m.len()..].split('"').next().map(String::from));
        for env in std::iter::once(None).chain(envs.map(Some)) {
            let options = mesosc::Options {
                env: env.clone(),
                ..Default::default()
            };
            let out = mesosc::check_path(&path, &mesosc::files::DiskFiles, &|_| None, &options)
                .expect("readable");
            let found: Vec<String> = (out.diagnostics.iter())
                .filter(|d| {
                    d.code()
                        .is_some_and(|c| c.to_string() == "mcl::check::no_effect")
                })
                .map(|d| d.to_string())
                .collect();
            assert!(found.is_empty(), "{} {env:?}: {found:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
}

#[test]
fn a_credential_no_unit_reads_is_not_a_secret_to_provision() {
    // Both `auth` switches off: no unit reads the credential's file, so the
    // README does not ask for it, and the entry is reported.
    let text = "cluster \"c\" { mesos = \"1.11.0\" }\n\
                host \"a\" { address = 10.0.0.1  roles = [zookeeper, leader, follower, marathon] }\n\
                auth { credential \"marathon\" { secret = file(\"/etc/mesos/secrets/unread\") } }\n";
    let out = build(text);
    let readme = &out.files.as_ref().expect("builds")["README.md"].content;
    assert!(!readme.contains("/etc/mesos/secrets/unread"), "{readme}");
    let credential = text.find("credential").expect("written");
    assert!(
        out.diagnostics
            .iter()
            .any(|(c, at, _)| c == "mcl::check::no_effect" && at.contains(&credential)),
        "{:#?}",
        out.diagnostics
    );
    // With `frameworks` on, Marathon reads it and the README lists it.
    let on = text.replace("auth {", "auth { frameworks = true ");
    let out = build(&on);
    let readme = &out.files.as_ref().expect("builds")["README.md"].content;
    assert!(readme.contains("/etc/mesos/secrets/unread"), "{readme}");
}
