//! mesosc: a compiler for Apache Mesos clusters.
//!
//! An MCL file describes one cluster. The pipeline has four stages, each a
//! module named after it:
//!
//! 1. [`syntax`]: text → [`syntax::ast`], with error recovery.
//! 2. [`check`]: syntax tree → resolved description (imports, `let`, `for`,
//!    templates, environment overlays) → typed [`model`], checked against the
//!    flag tables of Mesos, Marathon and ZooKeeper.
//! 3. [`plan`]: model → dependency graph (petgraph) and rollout waves.
//! 4. [`emit`]: model + plan → [`emit::FileSet`], the files of `out/`, in memory.
//!
//! [`output`] is the only code that writes to disk. [`compile`](mod@compile) chains the
//! stages:
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
pub mod explain;
pub mod files;
pub mod fix;
pub mod model;
pub mod output;
pub mod plan;
pub mod resolve;
pub mod schema;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod versions;
pub mod workspace;

pub use compile::{Built, Checked, Options, check_path, compile};
pub use diagnostic::{Diagnostics, Error};
pub mod fmt;
pub mod json;
pub mod lsp;
