//! Stage 2: syntax trees → resolved description → checked cluster model.
//!
//! [`resolve`](resolve::resolve) loads imports and evaluates names, loops,
//! templates and overlays into a [`Resolved`]; the model builder then gives it
//! meaning and checks it against the flag tables.

mod error;
mod eval;
pub mod flags;
pub mod keys;
pub mod model;
pub mod resolve;
mod resolved;
pub mod value;

pub use error::CheckError;
pub use model::{ModelError, build};
pub use resolve::{Resolved, resolve, resolve_loaded};
