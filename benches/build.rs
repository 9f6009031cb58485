//! The build benchmark's helper (`scripts/bench` drives it; no timing of its
//! own unless asked): generates workloads, runs one pipeline stage per
//! invocation (for callgrind's instruction counts), and times the in-process
//! stages, the rebuild and "check plus hashing the outputs".
//!
//! ```text
//! build gen flat|for HOSTS FILE      write a generated cluster
//! build gen keys N FILE              one host, and N unknown keys in one block
//! build stage STAGE FILE [OUT]       run up to STAGE: read|parse|check|emit|write|rebuild
//! build time FILE OUT RUNS           medians of check, check+hash, emit, rebuild (surveyed,
//!                                    and by emitting and comparing everything)
//! build hash OUT                     sha256 of every file the manifest lists
//! ```

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use mesosc::files::{DiskFiles, Files as _};
use mesosc::{Options, check_path};

#[path = "common/workload.rs"]
mod workload;
use workload::flat_cluster;

/// The same cluster written with `for`: the form a user writes.
fn for_cluster(hosts: usize) -> String {
    let mut s = String::from(
        "cluster \"bench\" {\n  mesos = \"1.11.0\"\n  outputs = [systemd, cloud-config]\n}\n\n",
    );
    s.push_str("leader {\n  quorum = auto\n  flags { logging_level = \"WARNING\"  offer_timeout = 30secs }\n}\n\n");
    s.push_str("follower {\n  flags { containerizers = \"mesos,docker\"  isolation = \"cgroups/cpu,cgroups/mem\" }\n}\n\n");
    s.push_str("for n in 0..2 {\n  host \"lead${n}\" {\n    address = \"10.0.0.${n}\"\n    roles   = [zookeeper, leader, marathon]\n  }\n}\n\n");
    s.push_str("for n in 3..4 {\n  host \"lead${n}\" {\n    address = \"10.0.0.${n}\"\n    roles   = [zookeeper, leader]\n  }\n}\n\n");
    let _ = write!(
        s,
        "for n in 5..{} {{\n  host \"agent${{n}}\" {{\n    address = \"10.0.${{n / 256}}.${{n % 256}}\"\n    roles   = [follower]\n    follower {{\n      resources {{ cpus = 8  mem = 32768MB }}\n      attributes {{ rack = \"r${{n % 20}}\"  zone = \"z${{n % 3}}\" }}\n    }}\n  }}\n}}\n",
        hosts - 1
    );
    s
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs + 2 {
        let start = Instant::now();
        std::hint::black_box(f());
        if i >= 2 {
            samples.push(start.elapsed());
        }
    }
    median(samples)
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// Reads every file the manifest of `out` lists and hashes it: what a
/// rebuild must at least do to know nothing changed.
fn hash_outputs(out: &Path) -> usize {
    let manifest = std::fs::read(out.join("manifest.json")).expect("a built folder");
    let value: serde_json::Value = serde_json::from_slice(&manifest).expect("json");
    let mut n = 0;
    for f in value["files"].as_array().expect("files") {
        let path = f["path"].as_str().expect("path");
        let bytes = std::fs::read(out.join(path)).expect("listed file");
        n += mesosc::emit::sha256_hex(&bytes).len();
    }
    n
}

fn check_clean(file: &Path) -> mesosc::Checked {
    let options = Options {
        drop_resolved: true,
        ..Options::default()
    };
    let checked = check_path(file, &DiskFiles, &no_env, &options).expect("readable");
    assert_eq!(
        checked.diagnostics.error_count(),
        0,
        "the input checks clean"
    );
    checked
}

/// Checks and emits as `mesosc build` does (the resolved tables freed once
/// the model is built).
fn emit(file: &Path) -> mesosc::emit::FileSet {
    let mut checked = check_clean(file);
    mesosc::compile::emit_checked(&mut checked).expect("no errors")
}

fn stage(name: &str, file: &Path, out: Option<&Path>) {
    match name {
        "read" => {
            std::hint::black_box(DiskFiles.read(file).expect("readable"));
        }
        "parse" => {
            let text = DiskFiles.read(file).expect("readable");
            let (ast, errors) = mesosc::syntax::parse_text(&text);
            assert!(errors.is_empty());
            std::hint::black_box(ast);
        }
        "check" => {
            std::hint::black_box(check_clean(file));
        }
        "emit" => {
            std::hint::black_box(emit(file));
        }
        "write" | "rebuild" => {
            let out = out.expect("an output folder");
            let files = emit(file);
            let report = mesosc::output::write(out, &files).expect("written");
            if name == "rebuild" {
                assert!(report.written.is_empty(), "a rebuild writes nothing");
            }
        }
        other => panic!("unknown stage `{other}`"),
    }
}

/// A one-host cluster whose `leader` block holds `keys` keys mesosc does not
/// know (about 1 MB at 80,000): each is an error, with a report.
fn keys_cluster(keys: usize) -> String {
    let mut s = String::from("cluster \"bench\" {\n  mesos = \"1.11.0\"\n}\n\n");
    s.push_str("host \"a\" {\n  address = 10.0.0.1\n  roles   = [zookeeper, leader, follower]\n}\n\nleader {\n");
    for i in 0..keys {
        let _ = writeln!(s, "  setting_{i} = {i}");
    }
    s.push_str("}\n");
    s
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["gen", shape, hosts, file] => {
            let hosts: usize = hosts.parse().expect("a host count");
            let text = match *shape {
                "flat" => flat_cluster(hosts),
                "for" => for_cluster(hosts),
                "keys" => keys_cluster(hosts),
                other => panic!("unknown shape `{other}`"),
            };
            std::fs::write(file, text).expect("written");
        }
        ["stage", name, file] => stage(name, Path::new(file), None),
        ["stage", name, file, out] => stage(name, Path::new(file), Some(Path::new(out))),
        ["hash", out] => {
            std::hint::black_box(hash_outputs(Path::new(out)));
        }
        ["time", file, out, runs] => {
            let runs: usize = runs.parse().expect("a run count");
            let (file, out) = (Path::new(file), Path::new(out));
            let files = emit(file);
            mesosc::output::write(out, &files).expect("written");
            // As `mesosc build` does: the fingerprint cache the survey reads.
            let fingerprint = check_clean(file).inputs.fingerprint;
            mesosc::output::remember(out, &fingerprint, &files);
            let check = time(runs, || check_clean(file));
            let hash = time(runs, || hash_outputs(out));
            let emitted = time(runs, || emit(file));
            // As `mesosc build` does it: the folder surveyed on another
            // thread while the sources are checked.
            let rebuild = time(runs, || {
                let stop = std::sync::atomic::AtomicBool::new(false);
                std::thread::scope(|scope| {
                    let survey = scope.spawn(|| mesosc::output::survey(out, &stop));
                    let checked = check_clean(file);
                    let survey = survey.join().expect("surveyed").expect("a survey");
                    let r = survey.unchanged(&checked.inputs.fingerprint);
                    assert!(r.is_some_and(|r| r.written.is_empty()), "nothing to write");
                });
            });
            // Without the survey: emitting everything and comparing it.
            let full = time(runs, || {
                let files = emit(file);
                let r = mesosc::output::write(out, &files).expect("written");
                assert!(r.written.is_empty(), "a rebuild writes nothing");
            });
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            println!("check_ms {:.2}", ms(check));
            println!("hash_ms {:.2}", ms(hash));
            println!("check_plus_hash_ms {:.2}", ms(check + hash));
            println!("compile_ms {:.2}", ms(emitted));
            println!("rebuild_ms {:.2}", ms(rebuild));
            println!("rebuild_full_compare_ms {:.2}", ms(full));
            println!("rebuild_ratio {:.2}", ms(rebuild) / ms(check + hash));
        }
        _ => {
            eprintln!("usage: see the comment at the top of benches/build.rs");
            std::process::exit(2);
        }
    }
}
