//! JSON diagnostics (placeholder).
