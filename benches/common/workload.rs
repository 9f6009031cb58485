//! The generated cluster both benchmarks measure (`check.rs` and `build.rs`).

use std::fmt::Write as _;

/// The flat workload: 5 control hosts (ZooKeeper and
/// leader; Marathon on 3), the rest followers, every host written out.
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
            let _ = write!(
                s,
                "host \"{name}\" {{\n  address = \"{address}\"\n  roles   = [{roles}]\n}}\n\n"
            );
        } else {
            let _ = write!(
                s,
                "host \"{name}\" {{\n  address = \"{address}\"\n  roles   = [follower]\n  follower {{\n    resources {{ cpus = {}  mem = {}MB }}\n    attributes {{ rack = \"r{}\"  zone = \"z{}\" }}\n  }}\n}}\n\n",
                8 + i % 8,
                32768 + 1024 * (i % 4),
                i % 20,
                i % 3
            );
        }
    }
    s
}
