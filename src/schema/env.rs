//! Environment-variable names: `MESOS_*`, `MARATHON_*` and `LIBPROCESS_*`.
//!
//! Mesos strips `MESOS_` and lower-cases the rest, so every flag (aliases
//! included) has a variable. Marathon's `envToArgs` turns `MARATHON_X=v` into
//! `--x v` but skips `MARATHON_APP_*`, and its lower-casing means camelCase
//! options cannot be reached. ZooKeeper has no per-key convention. Unknown
//! variables are silently ignored by all of them, which is why the generator
//! should only write names that [`flag_from_env`] maps back to a flag.

use super::error::ValueError;
use super::program::Program;
use super::table::{Flag, table};
use super::types::{FlagType, Status};
use super::values::check_value;
use super::version::Version;

/// The flag an environment variable sets, if the program reads it at all.
///
/// Mesos: `MESOS_` then the name in any case (`MESOS_WORK_DIR` and
/// `MESOS_work_dir` both give `work_dir`). Marathon: `MARATHON_` then the
/// name, lower-cased, but never `MARATHON_APP_…`. ZooKeeper: always `None`.
pub fn flag_from_env(program: Program, var: &str) -> Option<&'static Flag> {
    let rest = var.strip_prefix(program.env_prefix()?)?;
    if program == Program::Marathon && var.starts_with("MARATHON_APP_") {
        return None;
    }
    let flag = table(program).get(&rest.to_ascii_lowercase())?;
    // Marathon looks the lower-cased name up exactly; Mesos names are all
    // lower case already.
    (flag.name == rest.to_ascii_lowercase()).then_some(flag)
}

/// The libprocess variables every Mesos binary reads (`process.cpp`).
pub const LIBPROCESS_VARS: [&str; 11] = [
    "LIBPROCESS_IP",
    "LIBPROCESS_IP6",
    "LIBPROCESS_PORT",
    "LIBPROCESS_ADVERTISE_IP",
    "LIBPROCESS_ADVERTISE_PORT",
    "LIBPROCESS_REQUIRE_PEER_ADDRESS_IP_MATCH",
    "LIBPROCESS_MEMORY_PROFILING",
    "LIBPROCESS_ENABLE_PROFILER",
    "LIBPROCESS_METRICS_SNAPSHOT_ENDPOINT_RATE_LIMIT",
    "LIBPROCESS_NUM_WORKER_THREADS",
    "LIBPROCESS_LIBEV_NUM_IO_THREADS",
];

/// The TLS variables of `--enable-ssl` builds (`openssl.cpp`).
pub const LIBPROCESS_SSL_VARS: [&str; 18] = [
    "LIBPROCESS_SSL_ENABLED",
    "LIBPROCESS_SSL_SUPPORT_DOWNGRADE",
    "LIBPROCESS_SSL_CERT_FILE",
    "LIBPROCESS_SSL_KEY_FILE",
    "LIBPROCESS_SSL_VERIFY_SERVER_CERT",
    "LIBPROCESS_SSL_REQUIRE_CLIENT_CERT",
    "LIBPROCESS_SSL_VERIFY_IPADD",
    "LIBPROCESS_SSL_VERIFICATION_DEPTH",
    "LIBPROCESS_SSL_CA_DIR",
    "LIBPROCESS_SSL_CA_FILE",
    "LIBPROCESS_SSL_CIPHERS",
    "LIBPROCESS_SSL_ECDH_CURVES",
    "LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME",
    "LIBPROCESS_SSL_ENABLE_SSL_V3",
    "LIBPROCESS_SSL_ENABLE_TLS_V1_0",
    "LIBPROCESS_SSL_ENABLE_TLS_V1_1",
    "LIBPROCESS_SSL_ENABLE_TLS_V1_2",
    "LIBPROCESS_SSL_ENABLE_TLS_V1_3",
];

/// Deprecated TLS variable names and their replacements.
pub const LIBPROCESS_DEPRECATED_VARS: [(&str, &str); 2] = [
    (
        "LIBPROCESS_SSL_VERIFY_CERT",
        "LIBPROCESS_SSL_VERIFY_SERVER_CERT",
    ),
    (
        "LIBPROCESS_SSL_REQUIRE_CERT",
        "LIBPROCESS_SSL_REQUIRE_CLIENT_CERT",
    ),
];

/// What [`libprocess_var`] knows about a variable name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibprocessVar {
    /// A current name; `ssl` when it only exists in `--enable-ssl` builds.
    Current {
        /// Part of the TLS set.
        ssl: bool,
    },
    /// A deprecated name that still works; use `replacement`.
    Deprecated {
        /// The current name.
        replacement: String,
    },
}

/// Classifies a libprocess variable name; `None` for a name libprocess does
/// not read (it would be silently ignored). Besides the old TLS names, the
/// `SSL_` prefix (`SSL_ENABLED`) still works but is deprecated.
pub fn libprocess_var(name: &str) -> Option<LibprocessVar> {
    if LIBPROCESS_VARS.contains(&name) {
        return Some(LibprocessVar::Current { ssl: false });
    }
    if LIBPROCESS_SSL_VARS.contains(&name) {
        return Some(LibprocessVar::Current { ssl: true });
    }
    if let Some((_, new)) = LIBPROCESS_DEPRECATED_VARS
        .iter()
        .find(|(old, _)| *old == name)
    {
        return Some(LibprocessVar::Deprecated {
            replacement: (*new).to_owned(),
        });
    }
    if name.starts_with("SSL_") {
        let full = format!("LIBPROCESS_{name}");
        return match libprocess_var(&full)? {
            LibprocessVar::Current { .. } => Some(LibprocessVar::Deprecated { replacement: full }),
            deprecated => Some(deprecated),
        };
    }
    None
}

/// Checks the value of a libprocess variable (`LIBPROCESS_PORT=5050`), with
/// the same rules as Mesos flags. An unknown name is an error with the
/// nearest known one.
pub fn check_libprocess_value(var: &str, value: &str) -> Result<(), ValueError> {
    let canonical = match libprocess_var(var) {
        Some(LibprocessVar::Current { .. }) => var.to_owned(),
        Some(LibprocessVar::Deprecated { replacement }) => replacement,
        None => {
            let known = LIBPROCESS_VARS.iter().chain(&LIBPROCESS_SSL_VARS).copied();
            let help = crate::suggest::did_you_mean(var, known);
            return Err(
                ValueError::new(format!("libprocess does not read `{var}`")).with_help_opt(help)
            );
        }
    };
    let key = canonical.trim_start_matches("LIBPROCESS_");
    let ty = match key {
        "IP" | "ADVERTISE_IP" => FlagType::Ip,
        "IP6" => FlagType::Ip6,
        "PORT" | "ADVERTISE_PORT" => FlagType::Port,
        "METRICS_SNAPSHOT_ENDPOINT_RATE_LIMIT" => FlagType::Rate,
        "NUM_WORKER_THREADS" | "LIBEV_NUM_IO_THREADS" | "SSL_VERIFICATION_DEPTH" => FlagType::Uint,
        "SSL_CERT_FILE" | "SSL_KEY_FILE" | "SSL_CA_DIR" | "SSL_CA_FILE" => FlagType::Path,
        "SSL_CIPHERS" | "SSL_ECDH_CURVES" => FlagType::String,
        "SSL_HOSTNAME_VALIDATION_SCHEME" => FlagType::Enum(vec!["legacy", "openssl"]),
        _ => FlagType::Bool,
    };
    let flag = synthetic_flag(ty);
    check_value(Program::Master, &flag, value)?;
    let n = value.parse::<u32>().unwrap_or(1);
    match key {
        "ADVERTISE_PORT" if n == 0 => Err(ValueError::new(
            "`LIBPROCESS_ADVERTISE_PORT` must be 1–65535",
        )),
        "NUM_WORKER_THREADS" if !(1..=1024).contains(&n) => Err(ValueError::new(
            "`LIBPROCESS_NUM_WORKER_THREADS` must be 1–1024",
        )),
        _ => Ok(()),
    }
}

/// A table-less flag, so libprocess values go through [`check_value`].
fn synthetic_flag(ty: FlagType) -> Flag {
    Flag {
        program: Program::Master,
        name: "LIBPROCESS",
        ty,
        default: "",
        required: false,
        since: Version::new(0, 0, 0),
        status: Status::Current,
        removed_values: None,
        tags: Vec::new(),
        summary: "",
    }
}
