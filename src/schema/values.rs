//! Checks a flag value against the real syntax of its program.
//!
//! [`check_value`] first applies the program-wide rules (ZooKeeper trims
//! values; a Mesos value may be `file:///path`; a Marathon option other than
//! a switch needs a value), then the syntax of the flag's [`FlagType`], then
//! the few single-value limits the programs enforce for particular flags
//! (`agent_ping_timeout` between 1secs and 15mins...).

use super::consts::{
    CONTAINERIZERS, ISOLATORS, MANDATORY_AGENT_FEATURES, MESOS_PATH_TYPED_FLAGS,
    ZK_FOUR_LETTER_WORDS,
};
use super::error::{ValueError, fail, short};
use super::net;
use super::program::Program;
use super::resources::{
    parse_attributes, parse_ranges, parse_resource_quantities, parse_resources, scalar,
};
use super::scalars::{
    check_class, check_hex16_range, check_int, check_nonblank, check_percent, check_port,
    check_rate, check_role_weights, hex16,
};
use super::table::{Flag, table};
use super::types::FlagType;
use super::units::{
    NANOS_PER_SEC, lenient_bytes, lenient_duration, parse_mesos_bytes, parse_mesos_duration,
};

/// Checks `value` for `flag` as `program` would parse it.
///
/// Never panics; every rejection carries a specific message and, where the
/// intent can be guessed, a help line with the right spelling. Warning-level
/// findings are dropped; see [`check_value_with_warnings`].
///
/// Decisions worth knowing:
/// - Marathon `flag` switches accept `""` (what an env file must contain:
///   `MARATHON_HA=`) and `true` (MCL's spelling of "on"; an emitter must still
///   write it as an empty value, since Marathon rejects `--ha true`).
///   `false` is an error that points at the `disable_` form.
/// - Mesos `bool` accepts the empty value (an empty env value means true).
/// - For Mesos, any `file://…` value is accepted unchecked (read from that
///   file when the program starts), except on `path` flags: there it is the
///   classic mistake (`--work_dir=file:///var/lib/mesos` reads the path from
///   a file), unless the flag is one of [`MESOS_PATH_TYPED_FLAGS`], which
///   strip the prefix.
/// - Resources with unknown names (`cpu:4`) are valid syntax; compare
///   [`super::parse_resources`]'s output with
///   [`super::KNOWN_RESOURCE_NAMES`] to warn.
pub fn check_value(program: Program, flag: &Flag, value: &str) -> Result<(), ValueError> {
    check_value_with_warnings(program, flag, value).map(|_| ())
}

/// Like [`check_value`], and returns the warning-level findings of an
/// accepted value: a deprecated spelling that still works (JSON given as a
/// bare `/path`, Marathon's bare `host:port` master, `registry=log_storage`),
/// a relative path, a ZooKeeper setting that will be silently adjusted.
pub fn check_value_with_warnings(
    program: Program,
    flag: &Flag,
    value: &str,
) -> Result<Vec<ValueError>, ValueError> {
    let mut cx = Checker {
        program,
        flag,
        warnings: Vec::new(),
    };
    let value = if program == Program::ZooKeeper {
        value.trim()
    } else {
        value
    };
    cx.check(value)?;
    Ok(cx.warnings)
}

struct Checker<'f> {
    program: Program,
    flag: &'f Flag,
    warnings: Vec<ValueError>,
}

impl Checker<'_> {
    fn name(&self) -> &'static str {
        self.flag.canonical_name()
    }

    fn warn(&mut self, warning: ValueError) {
        self.warnings.push(warning);
    }

    fn check(&mut self, value: &str) -> Result<(), ValueError> {
        if self.program.is_mesos()
            && let Some(path) = value.strip_prefix("file://")
        {
            return self.mesos_file_value(value, path);
        }
        if self.program == Program::Marathon && value.is_empty() && self.flag.ty != FlagType::Flag {
            let var = super::program::env_var(self.program, self.flag.name)
                .unwrap_or_else(|| format!("--{}", self.flag.name));
            return Err(
                ValueError::new(format!("`--{}` needs a value", self.flag.name)).with_help(
                    format!(
                        "an empty `{var}` becomes a bare `--{}`, which Marathon rejects",
                        self.flag.name
                    ),
                ),
            );
        }
        if self.program == Program::Master && self.flag.name == "registry" && value == "log_storage"
        {
            // src/master/main.cpp still maps the legacy value to replicated_log.
            self.warn(
                ValueError::new("`log_storage` is the legacy name of `replicated_log`")
                    .with_help("write `replicated_log`"),
            );
            return Ok(());
        }
        self.check_type(value)?;
        self.check_specific(value)
    }

    /// A Mesos value starting with `file://`.
    fn mesos_file_value(&mut self, value: &str, path: &str) -> Result<(), ValueError> {
        if MESOS_PATH_TYPED_FLAGS.contains(&self.flag.name) {
            return self.check_path(path);
        }
        if path.is_empty() {
            return fail(format!("`{value}` names no file"));
        }
        if matches!(self.flag.ty, FlagType::Path) {
            return Err(ValueError::new(format!(
                "`--{}={value}` would read the path from inside file `{path}`",
                self.flag.name
            ))
            .with_help(format!(
                "Mesos reads any `file://` value from that file; write the path itself: `{path}`"
            )));
        }
        Ok(())
    }

    fn check_type(&mut self, v: &str) -> Result<(), ValueError> {
        use FlagType as T;
        match &self.flag.ty {
            T::Bool => self.check_bool(v),
            T::Flag => self.check_switch(v),
            T::Int => check_int(v, i32::MIN.into(), i32::MAX.into(), self.flag.ty.noun()),
            T::Uint => check_int(v, 0, u64::MAX.into(), self.flag.ty.noun()),
            T::Long => check_int(v, i64::MIN.into(), i64::MAX.into(), self.flag.ty.noun()),
            T::Float => scalar(v).map(|_| ()).ok_or_else(|| {
                ValueError::new(format!("`{v}` is not a decimal number")).with_help("e.g. `0.8`")
            }),
            T::String => Ok(()),
            T::Hostname => net::check_hostname(v),
            T::Host => net::check_host(v),
            T::Class => check_class(v),
            T::Command => check_nonblank(v, "a command"),
            T::Path => self.check_path(v),
            T::PathList => self.check_pathlist(v),
            T::Url => self.check_url(v),
            T::Uri => net::check_uri(v),
            T::Ip => net::check_ipv4(v),
            T::Ip6 => net::check_ipv6(v),
            T::Port => check_port(v),
            T::List => self.list_items(v).map(|_| ()),
            T::ListUint => {
                for item in self.list_items(v)? {
                    check_int(item, 0, u32::MAX.into(), "an unsigned integer")?;
                }
                Ok(())
            }
            T::ListEnum(words) => {
                for item in self.list_items(v)? {
                    self.check_enum(item, words)?;
                }
                Ok(())
            }
            T::Enum(words) => self.check_enum(v, words),
            T::Json(_) => self.check_json(v),
            T::Duration => parse_mesos_duration(v).map(|_| ()),
            T::Bytes => parse_mesos_bytes(v).map(|_| ()),
            T::BytesOrAuto if v == "auto" => Ok(()),
            T::BytesOrAuto => parse_mesos_bytes(v).map(|_| ()).map_err(|e| {
                let help = e.help.unwrap_or_default();
                ValueError::new(format!("`{v}` is neither `auto` nor a Mesos byte size"))
                    .with_help(help)
            }),
            T::DurationMs
            | T::DurationS
            | T::DurationHours
            | T::DurationTicks
            | T::BytesInt
            | T::KbytesInt => self.check_plain_number(v),
            T::Resources => parse_resources(v).map(|_| ()),
            T::Attributes => parse_attributes(v).map(|_| ()),
            T::ResourceQuantities => parse_resource_quantities(v).map(|_| ()),
            T::Ranges => parse_ranges(v).map(|_| ()),
            T::Rate => check_rate(v),
            T::Percent => check_percent(v),
            T::RoleWeights => check_role_weights(v),
            T::Hex16 => hex16(v).map(|_| ()),
            T::Hex16Range => check_hex16_range(v),
            T::ZkUrl => net::parse_zk_url(self.program, v).map(|_| ()),
            T::MasterUrl => {
                if let Some(w) = net::check_master_url(self.program, v)? {
                    self.warn(w);
                }
                Ok(())
            }
            T::ServerSpec => {
                let spec = net::parse_server_spec(v)?;
                if spec.addresses.len() > 1 {
                    self.warn(ValueError::new(
                        "several `|`-separated addresses need `multiAddress.enabled=true`",
                    ));
                }
                Ok(())
            }
            T::GroupSpec => net::parse_group_spec(v).map(|_| ()),
        }
    }

    fn check_bool(&self, v: &str) -> Result<(), ValueError> {
        let lower = v.to_ascii_lowercase();
        match self.program {
            Program::ZooKeeper if lower == "true" || lower == "false" => Ok(()),
            Program::ZooKeeper => Err(ValueError::new(format!("`{v}` is not a ZooKeeper boolean"))
                .with_help("use `true` or `false`")),
            _ if matches!(v, "true" | "false" | "1" | "0" | "") => Ok(()),
            _ => {
                let help = match lower.as_str() {
                    "true" | "false" => format!("Mesos booleans are lower case: `{lower}`"),
                    "yes" | "on" | "y" => "use `true`".to_owned(),
                    "no" | "off" | "n" => "use `false`".to_owned(),
                    _ => "use `true` or `false` (or `1`/`0`)".to_owned(),
                };
                Err(ValueError::new(format!("`{v}` is not a Mesos boolean")).with_help(help))
            }
        }
    }

    /// A Marathon switch: no value.
    fn check_switch(&self, v: &str) -> Result<(), ValueError> {
        let name = self.flag.name;
        match v {
            "" | "true" => Ok(()),
            "false" => {
                let help = if let Some(base) = name.strip_prefix("disable_") {
                    format!("to keep `{base}` on, leave `{name}` out")
                } else if table(Program::Marathon).get(&format!("disable_{name}")).is_some() {
                    format!("turn it off with `disable_{name}`")
                } else {
                    format!("leave `{name}` out to keep it off")
                };
                Err(ValueError::new(format!("`--{name}` is a switch and cannot be set to `false`")).with_help(help))
            }
            _ => Err(ValueError::new(format!("`--{name}` takes no value, but got `{}`", short(v)))
                .with_help(format!("Marathon switches are given bare: `--{name}` (in an env file, an empty value)"))),
        }
    }

    fn check_enum(&self, v: &str, words: &[&'static str]) -> Result<(), ValueError> {
        let matches = |w: &&str| {
            if self.flag.case_insensitive() {
                w.eq_ignore_ascii_case(v)
            } else {
                *w == v
            }
        };
        if words.iter().any(matches) {
            return Ok(());
        }
        if let Some(removed) = &self.flag.removed_values
            && removed.values.contains(&v)
        {
            return Err(ValueError::new(format!(
                "`{}={v}` was removed in {} {}",
                self.flag.name,
                self.program.product(),
                removed.version
            ))
            .with_help(format!("use {}", quote_list(words))));
        }
        let err = ValueError::new(format!("`{v}` is not a valid `{}`", self.flag.name));
        let help = match (self.flag.name, v) {
            ("gpu_scheduling_behavior", "undefined") => {
                "`undefined` was removed in Marathon 1.9; use `restricted` or `unrestricted`"
                    .to_owned()
            }
            (_, "true" | "false") if words.contains(&"yes") => format!(
                "this setting takes `yes` or `no`; `{v}` would be read as `{}`",
                if self.flag.name == "skipACL" {
                    "no"
                } else {
                    "yes"
                }
            ),
            _ => crate::suggest::did_you_mean(v, words.iter().copied())
                .unwrap_or_else(|| format!("use {}", quote_list(words))),
        };
        Err(err.with_help(help))
    }

    fn check_json(&mut self, v: &str) -> Result<(), ValueError> {
        if self.program.is_mesos() && v.starts_with('/') {
            self.warn(
                ValueError::new(format!(
                    "a bare path for `--{}` is deprecated",
                    self.flag.name
                ))
                .with_help(format!("write `file://{v}`")),
            );
            return Ok(());
        }
        let json: serde_json::Value = serde_json::from_str(v).map_err(|e| {
            ValueError::new(format!("`{}` is not valid JSON: {e}", short(v)))
                .with_help("give inline JSON or `file:///path/to/file.json`")
        })?;
        if !json.is_object() {
            return Err(
                ValueError::new(format!("`--{}` takes a JSON object", self.flag.name))
                    .with_help("wrap the value in `{ … }`"),
            );
        }
        Ok(())
    }

    fn check_path(&mut self, v: &str) -> Result<(), ValueError> {
        if v.is_empty() {
            return fail("an empty path");
        }
        if v.contains('\0') {
            return fail("a path cannot contain a NUL byte");
        }
        if let Some(rest) = v.strip_prefix("file://") {
            return Err(ValueError::new(format!("`{v}` is a URL, not a path"))
                .with_help(format!("write the path itself: `{rest}`")));
        }
        if v.starts_with('~') {
            return Err(ValueError::new(format!("`~` in `{v}` is not expanded"))
                .with_help("write an absolute path"));
        }
        let relative_ok = matches!(self.flag.name, "docker") || v.starts_with("systemd:");
        if !v.starts_with('/') && !relative_ok {
            self.warn(
                ValueError::new(format!("`{v}` is a relative path"))
                    .with_help("it is resolved against the service's working directory; write an absolute path"),
            );
        }
        Ok(())
    }

    fn check_pathlist(&mut self, v: &str) -> Result<(), ValueError> {
        for part in v.split(':') {
            if part.is_empty() {
                return Err(ValueError::new(format!("empty entry in path list `{v}`"))
                    .with_help("separate paths with a single `:`"));
            }
            self.check_path(part)?;
        }
        Ok(())
    }

    fn check_url(&self, v: &str) -> Result<(), ValueError> {
        // Mesos `--docker_registry` may also be a local directory of image
        // archives (docs/configuration/agent.md).
        if self.flag.name == "docker_registry" && v.starts_with('/') {
            return Ok(());
        }
        net::check_url(v)
    }

    /// The items of a comma-separated list. Mesos and Marathon keep spaces
    /// around items (an error); ZooKeeper, and flags whose summary says
    /// "items trimmed", trim them.
    fn list_items<'v>(&mut self, v: &'v str) -> Result<Vec<&'v str>, ValueError> {
        if v.is_empty() {
            return Ok(Vec::new());
        }
        let mut items = Vec::new();
        for item in v.split(',') {
            let trimmed = item.trim();
            if trimmed.is_empty() {
                self.warn(ValueError::new(format!(
                    "empty item in list `{}`",
                    short(v)
                )));
                continue;
            }
            if trimmed != item && self.program != Program::ZooKeeper && !self.flag.trims_items() {
                let fixed: Vec<&str> = v.split(',').map(str::trim).collect();
                return Err(ValueError::new(format!(
                    "spaces around `{trimmed}` in list `{}`",
                    short(v)
                ))
                .with_help(format!(
                    "{} keeps them as part of the item: write `{}`",
                    self.program.product(),
                    fixed.join(",")
                )));
            }
            items.push(trimmed);
        }
        Ok(items)
    }

    /// `duration_ms` and friends: a plain integer without unit.
    fn check_plain_number(&self, v: &str) -> Result<(), ValueError> {
        let signed = self.program == Program::ZooKeeper;
        let min = if signed { i64::MIN.into() } else { 0 };
        if check_int(v, min, i64::MAX.into(), "").is_ok() {
            return Ok(());
        }
        let product = self.program.product();
        let (phrase, converted) = plain_number_help(&self.flag.ty, v);
        let phrase = phrase.replace("{product}", product);
        let err = ValueError::new(format!("`{v}` is not {}", self.flag.ty.noun()));
        if v.starts_with('-') && !signed {
            return Err(err.with_help("it cannot be negative"));
        }
        Err(err.with_help(match converted {
            Some(n) => format!("{phrase}: `{n}`"),
            None => format!("{phrase}, written without unit"),
        }))
    }

    /// The limits and formats one flag has beyond its type, from the
    /// programs' own validation (per program below).
    fn check_specific(&mut self, v: &str) -> Result<(), ValueError> {
        match self.program {
            Program::Master | Program::Agent => self.mesos_specific(v),
            Program::Marathon => self.marathon_specific(v),
            Program::ZooKeeper => self.zookeeper_specific(v),
        }
    }

    /// Limits of mesos-master and mesos-agent flags (their `flags.cpp`
    /// validators).
    fn mesos_specific(&mut self, v: &str) -> Result<(), ValueError> {
        let name = self.name();
        let dur = || parse_mesos_duration(v).unwrap_or(0);
        let int = || v.parse::<i64>().unwrap_or(0);
        const SEC: u128 = NANOS_PER_SEC;
        match (self.program, name) {
            (Program::Master | Program::Agent, "advertise_port") if v == "0" => {
                fail("`--advertise_port` must be between 1 and 65535")
            }
            (Program::Master, "agent_ping_timeout") if !(SEC..=15 * 60 * SEC).contains(&dur()) => {
                Err(ValueError::new(format!(
                    "`{v}` is outside the allowed 1secs to 15mins"
                )))
            }
            (Program::Master, "agent_reregister_timeout") if dur() < 10 * 60 * SEC => Err(
                ValueError::new(format!("`{v}` is below the minimum of 10mins")),
            ),
            (Program::Master, "max_agent_ping_timeouts" | "quorum") if int() < 1 => {
                fail(format!("`--{name}` must be at least 1"))
            }
            (Program::Master, "offer_timeout") if dur() == 0 => {
                fail("`--offer_timeout` must be greater than 0")
                    .map_err(|e| e.with_help("leave it unset to never rescind offers"))
            }
            (Program::Master, "registry_strict") if matches!(v, "true" | "1" | "") => Err(
                ValueError::new("`--registry_strict=true` makes the master exit")
                    .with_help("strict registry mode was never implemented; remove the flag"),
            ),
            (
                Program::Master,
                "authenticators" | "authorizers" | "http_framework_authenticators",
            )
            | (Program::Agent, "authorizer")
                if v.contains(',') =>
            {
                fail(format!("`--{name}` takes exactly one name, not a list"))
            }
            (Program::Agent, "registration_backoff_factor") if dur() >= 60 * SEC => {
                fail(format!("`{v}` must be below 1mins"))
            }
            (Program::Agent, "executor_reregistration_timeout") if dur() > 15 * SEC => {
                fail(format!("`{v}` is above the maximum of 15secs"))
            }
            (Program::Agent, "gc_disk_headroom")
                if !(0.0..=1.0).contains(&scalar(v).unwrap_or(-1.0)) =>
            {
                fail(format!("`{v}` must be between 0.0 and 1.0"))
            }
            (Program::Agent, "domain_socket_location")
                if !v.starts_with("systemd:") && v.len() >= 108 =>
            {
                Err(
                    ValueError::new(format!("the socket path is {} characters long", v.len()))
                        .with_help("unix socket paths must be shorter than 108 characters"),
                )
            }
            (Program::Agent, "executor_environment_variables") => check_string_map(v),
            (Program::Agent, "agent_features") => check_agent_features(v),
            (Program::Agent, "isolation") => self.check_isolation(v),
            (Program::Agent, "containerizers") => {
                self.check_words(v, &CONTAINERIZERS, "containerizer")
            }
            (Program::Agent, "ephemeral_ports_per_container")
                if !v.parse::<u64>().is_ok_and(u64::is_power_of_two) =>
            {
                fail(format!("`{v}` is not a power of 2"))
            }
            _ => Ok(()),
        }
    }

    /// Limits of Marathon options (its Scallop validators).
    fn marathon_specific(&mut self, v: &str) -> Result<(), ValueError> {
        let int = || v.parse::<i64>().unwrap_or(0);
        match self.name() {
            "http_credentials" if !v.contains(':') => Err(ValueError::new(
                "`--http_credentials` takes `user:password`",
            )),
            "backup_location" if !(v.starts_with("file://") || v.starts_with("s3://")) => {
                Err(ValueError::new(format!("`{v}` is not a backup location"))
                    .with_help("use `file:///path` or `s3://bucket/key?region=…`"))
            }
            "logstash" => check_logstash(v),
            "metrics_histogram_reservoir_significant_digits" if !(0..=5).contains(&int()) => {
                fail(format!("`{v}` must be between 0 and 5"))
            }
            "metrics_histogram_reservoir_resetting_chunks" if int() == 1 || int() < 0 => {
                fail(format!("`{v}` must be 0 or at least 2"))
            }
            "metrics_histogram_reservoir_highest_trackable_value" if int() <= 1 => {
                fail(format!("`{v}` must be greater than 1"))
            }
            "metrics_histogram_reservoir_resetting_interval_ms" if int() <= 0 => {
                fail(format!("`{v}` must be greater than 0"))
            }
            _ => Ok(()),
        }
    }

    /// Limits of zoo.cfg settings (`QuorumPeerConfig.java`).
    fn zookeeper_specific(&mut self, v: &str) -> Result<(), ValueError> {
        let int = || v.parse::<i64>().unwrap_or(0);
        match self.name() {
            "tickTime" if int() <= 0 => fail("`tickTime` must be greater than 0"),
            "weight.N" if int() < 0 => fail("a server weight cannot be negative"),
            "autopurge.snapRetainCount" if int() < 3 => {
                self.warn(ValueError::new(format!(
                    "ZooKeeper raises `autopurge.snapRetainCount={v}` to 3"
                )));
                Ok(())
            }
            "4lw.commands.whitelist" if v.trim() != "*" => {
                // ZooKeeper ignores unknown words, so a typo silently disables a probe.
                if let Err(e) =
                    self.check_words(v, &ZK_FOUR_LETTER_WORDS, "four-letter-word command")
                {
                    self.warn(e);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Every list item must be one of `words`.
    fn check_words(&mut self, v: &str, words: &[&str], what: &str) -> Result<(), ValueError> {
        for item in self.list_items(v)? {
            if !words.contains(&item) {
                let help = crate::suggest::did_you_mean(item, words.iter().copied())
                    .unwrap_or_else(|| format!("known: {}", quote_list(words)));
                return Err(ValueError::new(format!("unknown {what} `{item}`")).with_help(help));
            }
        }
        Ok(())
    }

    /// `--isolation`: built-in names; anything else must come from a module.
    fn check_isolation(&mut self, v: &str) -> Result<(), ValueError> {
        for item in self.list_items(v)? {
            if ISOLATORS.contains(&item) {
                continue;
            }
            let near = crate::suggest::did_you_mean(item, ISOLATORS);
            match near {
                Some(help) => {
                    return Err(
                        ValueError::new(format!("unknown isolator `{item}`")).with_help(help)
                    );
                }
                None if item.contains('/') => {
                    return Err(ValueError::new(format!("unknown isolator `{item}`"))
                        .with_help("see the isolator list in the Mesos containerizer docs"));
                }
                None => self.warn(
                    ValueError::new(format!("`{item}` is not a built-in isolator"))
                        .with_help("fine if a module loaded with `--modules` provides it"),
                ),
            }
        }
        Ok(())
    }
}

/// `a`, `b` or `c` with backticks.
fn quote_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Help for a plain-number type: what the number counts (with a
/// `{product}` placeholder), and the converted number when the value was
/// written with a unit (`10secs` on a millisecond flag → `10000`).
fn plain_number_help(ty: &FlagType, v: &str) -> (&'static str, Option<u128>) {
    let per = |scale: u128| {
        lenient_duration(v)
            .filter(|n| n.is_multiple_of(scale))
            .map(|n| n / scale)
    };
    match ty {
        FlagType::DurationMs => ("{product} durations are plain milliseconds", per(1_000_000)),
        FlagType::DurationS => (
            "{product} durations here are plain seconds",
            per(NANOS_PER_SEC),
        ),
        FlagType::DurationHours => (
            "this duration is a plain number of hours",
            per(3600 * NANOS_PER_SEC),
        ),
        FlagType::DurationTicks => (
            "this is a plain number of ticks (multiples of `tickTime`)",
            None,
        ),
        FlagType::BytesInt => (
            "{product} sizes here are plain bytes",
            lenient_bytes(v).map(u128::from),
        ),
        FlagType::KbytesInt => (
            "this size is a plain number of KiB",
            lenient_bytes(v)
                .filter(|b| b.is_multiple_of(1024))
                .map(|b| u128::from(b / 1024)),
        ),
        _ => ("{product} expects a plain integer", None),
    }
}

/// Marathon `--logstash`: `(udp|tcp|ssl)://host:port`.
fn check_logstash(v: &str) -> Result<(), ValueError> {
    let rest = ["udp://", "tcp://", "ssl://"]
        .iter()
        .find_map(|p| v.strip_prefix(p));
    match rest {
        Some(hp) if hp.contains(':') => net::check_uri(v),
        _ => Err(
            ValueError::new(format!("`{v}` is not a logstash destination"))
                .with_help("write `udp://host:port`, `tcp://host:port` or `ssl://host:port`"),
        ),
    }
}

/// Agent `--executor_environment_variables`: a JSON object of strings.
fn check_string_map(v: &str) -> Result<(), ValueError> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(v) else {
        return Ok(()); // a path or file:// value; the JSON rule already ran
    };
    match map.iter().find(|(_, val)| !val.is_string()) {
        Some((key, val)) => Err(ValueError::new(format!(
            "environment variable `{key}` must be a string"
        ))
        .with_help(format!(
            "quote it: \"{key}\": \"{}\"",
            val.to_string().trim_matches('"')
        ))),
        None => Ok(()),
    }
}

/// Agent `--agent_features`: when inline, it must list every mandatory
/// capability.
fn check_agent_features(v: &str) -> Result<(), ValueError> {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(v) else {
        return Ok(());
    };
    let listed: Vec<&str> = json
        .get("capabilities")
        .and_then(|c| c.as_array())
        .map(|caps| {
            caps.iter()
                .filter_map(|c| c.get("type").and_then(|t| t.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<&str> = MANDATORY_AGENT_FEATURES
        .iter()
        .copied()
        .filter(|m| !listed.contains(m))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ValueError::new(format!(
        "`--agent_features` lacks mandatory {}",
        quote_list(&missing)
    ))
    .with_help("the agent refuses to start unless every mandatory capability is listed"))
}
