//! `cargo bench --bench check`: parse + check time of generated flat files
//! (every host written out, no `for`), as the editor and CI pay it.
//! Prints the median of repeated runs; the README records the numbers.

use std::path::Path;
use std::time::{Duration, Instant};

use mesosc::files::MemoryFiles;
use mesosc::{Options, check_path};

/// A flat cluster: 5 control hosts (ZooKeeper, leader, and Marathon on 3),
/// the rest followers, each written out with its own block.
pub fn flat_cluster(hosts: usize) -> String {
    let mut s = String::from(
        "cluster \"bench\" {\n  mesos = \"1.11.0\"\n  outputs = [systemd, cloud-config]\n}\n\n",
    );
    s.push_str("leader {\n  quorum = auto\n  flags { logging_level = \"WARNING\"  offer_timeout = 30secs }\n}\n\n");
    s.push_str("follower {\n  flags { containerizers = \"mesos,docker\"  isolation = \"cgroups/cpu,cgroups/mem\" }\n}\n\n");
    for i in 0..hosts {
        let name = format!("host{i:05}");
        let address = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        if i < 5 {
            let roles = if i < 3 {
                "zookeeper, leader, marathon"
            } else {
                "zookeeper, leader"
            };
            s.push_str(&format!(
                "host \"{name}\" {{\n  address = \"{address}\"\n  roles   = [{roles}]\n}}\n\n"
            ));
        } else {
            s.push_str(&format!(
                "host \"{name}\" {{\n  address = \"{address}\"\n  roles   = [follower]\n  follower {{\n    resources {{ cpus = {}  mem = {}MB }}\n    attributes {{ rack = \"r{}\"  zone = \"z{}\" }}\n  }}\n}}\n\n",
                8 + i % 8,
                32768 + 1024 * (i % 4),
                i % 20,
                i % 3
            ));
        }
    }
    s
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time_check(text: &str, runs: usize) -> Duration {
    let mut files = MemoryFiles::new();
    files.insert("bench.mcl", text);
    let unset = |_: &str| None;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs + 2 {
        let start = Instant::now();
        let checked = check_path(Path::new("bench.mcl"), &files, &unset, &Options::default())
            .expect("in memory");
        let took = start.elapsed();
        assert_eq!(
            checked.diagnostics.error_count(),
            0,
            "the bench input checks clean"
        );
        std::hint::black_box(checked);
        samples.push(took);
    }
    median(samples.split_off(2))
}

fn main() {
    println!("{:<34} {:>10} {:>12}", "workload", "bytes", "median");
    for (hosts, runs) in [(1_000, 31), (10_000, 11)] {
        let text = flat_cluster(hosts);
        let t = time_check(&text, runs);
        println!(
            "{:<34} {:>10} {:>9.2} ms",
            format!("check, {hosts}-host flat file"),
            text.len(),
            t.as_secs_f64() * 1e3
        );
    }
}
