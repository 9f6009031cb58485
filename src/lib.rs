//! mesosc: a compiler for Apache Mesos clusters.
//!
//! An MCL file describes one cluster. The pipeline has these stages, each a
//! folder named after it, and no module imports a later one (`tests/layout.rs`):
//!
//! 1. [`syntax`]: text → [`syntax::ast`], with error recovery.
//! 2. [`resolve`]: syntax trees → [`resolve::Resolved`] (imports, `let`,
//!    `for`, templates, environment overlays), every value with its origin.
//! 3. [`schema`]: the domain knowledge the later stages consult: the flag
//!    tables of Mesos, Marathon and ZooKeeper, value syntaxes, the keys of
//!    every MCL block, roles, default ports.
//! 4. [`model`]: resolved tables → the typed, checked [`model::Cluster`].
//! 5. [`plan`]: model → dependency graph (petgraph) and rollout waves.
//! 6. [`emit`]: model + plan → [`emit::FileSet`], the files of `out/`, in memory.
//! 7. [`output`]: the only code that writes to disk.
//! 8. [`rollout`]: a deployed `out/` against a new build: what changed, the
//!    steps that apply it safely, and the changes that are refused.
//!
//! [`compile`](mod@compile) is the pipeline driver: it chains the stages and
//! owns [`Error`], the type that gathers every stage's diagnostics. The
//! leaves under every stage ([`span`], [`diagnostic`], [`escape`], [`suggest`],
//! [`files`]) import none. The tools on top ([`lsp`], [`fmt`], [`explain`],
//! [`json`], the CLI) ask the pipeline rather than re-deriving it.
//!
//! ```
//! use std::path::Path;
//! use mesosc::files::MemoryFiles;
//!
//! let mut files = MemoryFiles::new();
//! files.insert("c.mcl", r#"
//!     cluster "c" { mesos = "1.11.0" }
//!     for n in 1..3 {
//!       host "m${n}" { address = "10.0.0.${n}"  roles = [zookeeper, leader] }
//!     }
//!     host "a" { address = "10.0.1.1"  roles = [follower] }
//! "#);
//! let unset = |_: &str| None;
//! let built = mesosc::compile(Path::new("c.mcl"), &files, &unset, &Default::default()).unwrap();
//! assert_eq!(built.checked.diagnostics.error_count(), 0);
//! let out = built.files.expect("no errors, so files");
//! assert!(out.contains_key("hosts/m1/etc/zookeeper/zoo.cfg"));
//! ```
//!
//! The library never prints: it returns diagnostics, and the CLI renders them.

#![deny(clippy::unwrap_used)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod compile;
pub mod diagnostic;
pub mod emit;
pub mod escape;
pub mod explain;
pub mod files;
pub mod fix;
pub mod model;
pub mod output;
pub mod plan;
pub mod resolve;
pub mod rollout;
pub mod schema;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod workspace;

pub use compile::{Built, Checked, Diagnostics, Error, Options, check_path, compile};
pub mod fmt;
pub mod json;
pub mod lsp;
