//! The Emacs configuration `docs/editors.md` documents
//! (`docs/editors/mcl.el`), verified with Debian's Emacs and eglot
//! (`elpa-eglot`) in batch mode through `tests/emacs/e2e.el`: `.mcl` opens
//! in `mcl-mode`, eglot starts `mesosc lsp`, the misspelled flag's
//! diagnostic reaches flymake, its did-you-mean code action fixes the
//! buffer, `eglot-rename` renames a template across two files (saved), and
//! imenu lists the outline. Bounded by a deadline.

#[path = "support/e2e.rs"]
mod e2e;
#[path = "support/proc.rs"]
#[allow(dead_code)]
mod proc;
#[path = "support/real_tools.rs"]
mod real_tools;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(90);

#[test]
fn emacs_eglot_gets_diagnostics_fixes_renames_and_an_outline() {
    if real_tools::skip(&["emacs"]) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = e2e::scratch("emacs");
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
    let value = |key: &str| e2e::values(&report, key);
    assert!(value("error").is_empty(), "{report}");
    assert_eq!(value("mode"), ["mcl-mode"], "{report}");
    assert_eq!(value("server"), ["started"], "{report}");
    assert_eq!(value("diagnostic"), ["unknown_flag"], "{report}");
    assert_eq!(
        value("action"),
        ["Replace `isolaton` with `isolation`"],
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
    e2e::assert_fixed_and_renamed(&dir);
}
