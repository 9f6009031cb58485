//! A real LSP client end to end: Debian's Neovim (0.7), headless, with the
//! configuration `docs/editors.md` documents (`docs/editors/neovim-0.7.lua`
//! and `docs/editors/ftdetect/mcl.vim`), drives `mesosc lsp` through
//! `tests/neovim/e2e.lua`: the `.mcl` file gets the `mcl` filetype, the
//! misspelled flag's diagnostic arrives, its did-you-mean code action
//! fixes the buffer (and the diagnostic goes away), a template is renamed
//! across two files (written to disk), and the outline lists the items.
//! Bounded by a deadline; Neovim is killed if it hangs.

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
fn neovim_gets_diagnostics_fixes_renames_and_an_outline() {
    if real_tools::skip(&["nvim"]) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = e2e::scratch("nvim");
    let out = dir.join("report.txt");
    let rtp = format!("set rtp^={}", root.join("docs/editors").display());
    let script = format!("luafile {}", root.join("tests/neovim/e2e.lua").display());
    let ran = proc::run(
        Command::new("nvim")
            .args([
                "--headless",
                "--clean",
                "-n",
                "-i",
                "NONE",
                "--cmd",
                &rtp,
                "-c",
                &script,
            ])
            .env("MESOSC_BIN", env!("CARGO_BIN_EXE_mesosc"))
            .env("E2E_CONFIG", root.join("docs/editors/neovim-0.7.lua"))
            .env("E2E_DIR", &dir)
            .env("E2E_OUT", &out)
            .env("XDG_STATE_HOME", &dir)
            .env("XDG_CACHE_HOME", &dir)
            .current_dir(&dir),
        DEADLINE,
    );
    assert!(!ran.timed_out, "Neovim hung:\n{}", ran.output());
    let report = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("no report ({e}):\n{}", ran.output()));
    let value = |key: &str| e2e::values(&report, key);
    assert!(value("error").is_empty(), "{report}");
    assert_eq!(value("filetype"), ["mcl"], "{report}");
    assert_eq!(
        value("diagnostic"),
        ["mcl::check::unknown_flag"],
        "{report}"
    );
    assert_eq!(
        value("action"),
        ["Replace `isolaton` with `isolation`"],
        "{report}"
    );
    assert_eq!(value("fixed"), ["true"], "{report}");
    assert_eq!(value("diagnostic_after"), ["cleared"], "{report}");
    assert_eq!(value("rename_files"), ["2"], "{report}");
    assert_eq!(value("symbols"), ["e2e,lib.mcl,m1,a1"], "{report}");
    e2e::assert_fixed_and_renamed(&dir);
}
