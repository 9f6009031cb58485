//! `cargo bench --bench check`: parse + check time of generated flat files
//! (every host written out, no `for`), as the editor and CI pay it.
//! Prints the median of repeated runs; the README records the numbers.

use std::path::Path;
use std::time::{Duration, Instant};

use mesosc::files::MemoryFiles;
use mesosc::{Options, check_path};

#[path = "common/workload.rs"]
mod workload;
use workload::flat_cluster;

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
