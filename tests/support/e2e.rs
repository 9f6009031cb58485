//! Shared by the editor end-to-end tests (`tests/editors_neovim.rs`,
//! `tests/editors_emacs.rs`): the two files each editor opens, a scratch
//! folder holding them, and the `key=value` report each editor's script
//! writes.

use std::path::{Path, PathBuf};

/// The main file: a misspelled agent flag, and a template of `lib.mcl`.
pub const MAIN: &str = r#"cluster "e2e" { mesos = "1.11.0" }

import "lib.mcl"

host "m1" {
  address = 10.0.0.1
  roles   = [zookeeper, leader, marathon]
}

host "a1" uses worker {
  address = 10.0.0.2
  follower { flags { isolaton = "posix/cpu,posix/mem" } }
}
"#;

/// The imported file with the template.
pub const LIB: &str = r#"# shared by the cluster's files
template worker {
  roles = [follower]
}
"#;

/// A fresh scratch folder holding `main.mcl` and `lib.mcl`.
pub fn scratch(editor: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mesosc-{editor}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::write(dir.join("main.mcl"), MAIN).expect("main");
    std::fs::write(dir.join("lib.mcl"), LIB).expect("lib");
    dir
}

/// The values of `key` in a report, in order.
pub fn values<'a>(report: &'a str, key: &str) -> Vec<&'a str> {
    report
        .lines()
        .filter_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .collect()
}

/// Checks the files on disk after the fix and the rename, and removes the
/// folder.
pub fn assert_fixed_and_renamed(dir: &Path) {
    let main = std::fs::read_to_string(dir.join("main.mcl")).expect("main");
    let lib = std::fs::read_to_string(dir.join("lib.mcl")).expect("lib");
    assert!(main.contains("host \"a1\" uses big-worker {"), "{main}");
    assert!(
        main.contains("isolation = \"posix/cpu,posix/mem\""),
        "{main}"
    );
    assert!(lib.contains("template big-worker {"), "{lib}");
    let _ = std::fs::remove_dir_all(dir);
}
