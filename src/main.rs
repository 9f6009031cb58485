//! The `mesosc` command: a thin layer over the library.

use std::process::ExitCode;

mod cli;

/// mimalloc: the check allocates many small values, and glibc's malloc spent
/// a quarter of the check's instructions on them (the book's development chapter, "Benchmarks").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
