//! `MESOSC_SKIP_REAL_TOOLS=1`: run `cargo test` where the real tools are not
//! installed (off Debian), skipping the tests that drive them.
//!
//! A test that runs a real program (systemd-analyze, cloud-init, ZooKeeper,
//! Neovim, Emacs, tree-sitter, node, pre-commit, rsync, ansible, etcd...)
//! starts with
//!
//! ```ignore
//! #[path = "support/real_tools.rs"]
//! mod real_tools;
//! // (or `support::real_tools` in a test that says `mod support;`)
//!
//! if real_tools::skip(&["systemd-analyze"]) {
//!     return;
//! }
//! ```
//!
//! With `MESOSC_SKIP_REAL_TOOLS=1` (or any value but empty and `0`) it returns
//! true and prints which test it skipped and the tools it needs, on the
//! process' standard error (not through `eprintln!`, which the test harness
//! captures and hides for passing tests). Otherwise it returns false and the
//! test runs, failing when a tool is missing. CI never skips: `scripts/test`
//! unsets the variable (`tests/ecosystem.rs` checks that it does).

#![allow(dead_code)]

use std::io::Write as _;

/// The variable that asks to skip.
pub const VAR: &str = "MESOSC_SKIP_REAL_TOOLS";

/// Whether a value of [`VAR`] asks to skip: set, not empty, not `0`.
pub fn asks_to_skip(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty() && v.trim() != "0")
}

/// True when the calling test should return at once because [`VAR`] asks to
/// skip tests needing real `tools`; says so on standard error.
pub fn skip(tools: &[&str]) -> bool {
    let value = std::env::var(VAR).ok();
    if !asks_to_skip(value.as_deref()) {
        return false;
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    // One write, so that lines of tests running in parallel do not mix.
    let line = format!(
        "skipped {test}: needs {} ({VAR} is set)\n",
        tools.join(", ")
    );
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    true
}
