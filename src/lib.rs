//! mesosc: a compiler for Apache Mesos clusters.
//!
//! An MCL file describes one cluster. The pipeline has four stages, each a
//! module named after it:
//!
//! 1. [`syntax`]: text → [`syntax::ast`], with error recovery.
//! 2. [`check`]: syntax tree → resolved description (imports, `let`, `for`,
//!    templates, environment overlays) → typed [`model`], checked against the
//!    flag tables of Mesos, Marathon and ZooKeeper.
//!
//! The library never prints: it returns diagnostics, and the CLI renders them.

#![deny(clippy::unwrap_used)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod compile;
pub mod diagnostic;
pub mod explain;
pub mod files;
pub mod model;
pub mod span;
pub mod suggest;
pub mod syntax;

pub use compile::{Checked, Options, check_path};
pub use diagnostic::{Diagnostics, Error};
pub mod emit;
pub mod output;
pub mod plan;
