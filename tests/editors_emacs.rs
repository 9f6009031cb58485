//! The Emacs configuration `docs/editors.md` documents
//! (`docs/editors/mcl.el`), verified with Debian's Emacs and eglot
//! (`elpa-eglot`) in batch mode through `tests/emacs/e2e.el`: `.mcl` opens
//! in `mcl-mode`, eglot starts `mesosc lsp`, the misspelled flag's
//! diagnostic reaches flymake, its did-you-mean code action fixes the
//! buffer, `eglot-rename` renames a template across two files (saved), and
//! imenu lists the outline. Bounded by a deadline.

#[path = "support/proc.rs"]
#[allow(dead_code)]
mod proc;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(90);

const MAIN: &str = r#"cluster "e2e" { mesos = "1.11.0" }

import "lib.mcl"

host "m1" {
  address = 10.0.0.1
  roles   = [zookeeper, leader, marathon]
}

host "a1" uses worker {
  address = 10.0.0.2
  follower { flags { workdir = "/var/lib/mesos" } }
}
"#;

const LIB: &str = r#"# shared by the cluster's files
template worker {
  roles = [follower]
}
"#;

#[test]
fn emacs_eglot_gets_diagnostics_fixes_renames_and_an_outline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("mesosc-emacs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    std::fs::write(dir.join("main.mcl"), MAIN).expect("main");
    std::fs::write(dir.join("lib.mcl"), LIB).expect("lib");
    let out = dir.join("report.txt");
    let script = root.join("tests/emacs/e2e.el");
    let ran = proc::run(
        Command::new("emacs")
            .args(["--batch", "-q", "-l"])
            .arg(&script)
            .env("MESOSC_BIN", env!("CARGO_BIN_EXE_mesosc"))
            .env("E2E_CONFIG", root.join("docs/editors/mcl.el"))
            .env("E2E_DIR", &dir)
            .env("E2E_OUT", &out)
            .env("HOME", &dir)
            .current_dir(&dir),
        DEADLINE,
    );
    assert!(!ran.timed_out, "Emacs hung:\n{}", ran.output());
    let report = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("no report ({e}):\n{}", ran.output()));
    let value = |key: &str| -> Vec<&str> {
        report
            .lines()
            .filter_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .collect()
    };
    assert!(value("error").is_empty(), "{report}");
    assert_eq!(value("mode"), ["mcl-mode"], "{report}");
    assert_eq!(value("server"), ["started"], "{report}");
    assert_eq!(value("diagnostic"), ["unknown_flag"], "{report}");
    assert_eq!(
        value("action"),
        ["Replace `workdir` with `work_dir`"],
        "{report}"
    );
    assert_eq!(value("fixed"), ["true"], "{report}");
    let outline = value("imenu").join("");
    for group in ["Namespace:e2e", "File:lib.mcl", "Object:m1+a1"] {
        assert!(
            outline.split(',').any(|g| g == group),
            "{group} in {outline}"
        );
    }
    let main = std::fs::read_to_string(dir.join("main.mcl")).expect("main");
    let lib = std::fs::read_to_string(dir.join("lib.mcl")).expect("lib");
    assert!(main.contains("host \"a1\" uses big-worker {"), "{main}");
    assert!(main.contains("work_dir = \"/var/lib/mesos\""), "{main}");
    assert!(lib.contains("template big-worker {"), "{lib}");
    let _ = std::fs::remove_dir_all(&dir);
}
