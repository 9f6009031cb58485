//! Cross-flag rules the programs enforce at start-up (from the reference
//! data's "Conditional requirements"): flags that exclude each other and
//! flags that need another. Bounds on single values live in
//! `flags::check_value`. Each is checked over the complete
//! flag set of an instance, so a rule broken by a shared block is reported once.

use std::collections::BTreeMap;

use super::{Builder, ModelError};
use crate::model::Setting;
use crate::schema::Program;
use crate::span::Span;

/// A flag set with the helpers the rules read it through.
struct Flags<'a>(&'a BTreeMap<String, Setting>);

impl Flags<'_> {
    fn user(&self, name: &str) -> Option<&Setting> {
        self.0.get(name).filter(|s| s.origin.is_some())
    }
    fn span(&self, name: &str) -> Option<Span> {
        self.user(name)
            .and_then(|s| s.origin.as_ref())
            .map(|o| o.span)
    }
    fn is_true(&self, name: &str) -> bool {
        self.0
            .get(name)
            .is_some_and(|s| matches!(s.value.as_str(), "true" | "1" | ""))
    }
    fn number(&self, name: &str) -> Option<(f64, Span)> {
        let s = self.user(name)?;
        Some((s.value.parse().ok()?, self.span(name)?))
    }
}

/// The problems found: (message, span, other span, help).
#[derive(Default)]
struct Found(Vec<(String, Span, Option<Span>, Option<String>)>);

impl Found {
    fn add(&mut self, message: String, span: Option<Span>, other: Option<Span>, help: &str) {
        if let Some(span) = span {
            self.0.push((message, span, other, Some(help.to_string())));
        }
    }

    fn exclusive(&mut self, f: &Flags, a: &str, b: &str) {
        if let (Some(sa), Some(sb)) = (f.span(a), f.span(b)) {
            self.add(
                format!("`{a}` and `{b}` cannot be given together"),
                Some(sb),
                Some(sa),
                "keep one of them",
            );
        }
    }
}

impl<E: super::Sink> Builder<'_, E> {
    /// Checks the rules of one program over an instance's flags.
    pub(crate) fn rules(&mut self, program: Program, flags: &BTreeMap<String, Setting>) {
        let f = Flags(flags);
        let mut found = Found::default();
        match program {
            Program::Master => {
                found.exclusive(&f, "ip6", "ip6_discovery_command");
                found.exclusive(&f, "modules", "modules_dir");
                master_rules(&f, &mut found);
            }
            Program::Agent => {
                found.exclusive(&f, "ip6", "ip6_discovery_command");
                found.exclusive(&f, "modules", "modules_dir");
                agent_rules(&f, &mut found);
            }
            Program::Marathon => marathon_rules(&f, &mut found),
            Program::ZooKeeper => zookeeper_rules(&f, &mut found),
        }
        for (message, span, other, help) in found.0 {
            if self.first_time(span, "rule") {
                self.diags.push(ModelError::FlagConflict {
                    message,
                    span,
                    other,
                    help,
                });
            }
        }
    }
}

fn master_rules(f: &Flags, report: &mut Found) {
    for d in ["master_contender", "master_detector"] {
        report.add(
            format!(
                "`{d}` cannot be combined with `zk`, which mesosc sets from the ZooKeeper ensemble"
            ),
            f.span(d),
            None,
            "leader election goes through ZooKeeper; remove it",
        );
    }
    if f.is_true("authenticate_http_frameworks")
        && f.user("http_framework_authenticators").is_none()
    {
        report.add(
            "`authenticate_http_frameworks` needs `http_framework_authenticators`".into(),
            f.span("authenticate_http_frameworks"),
            None,
            "add `http_framework_authenticators = \"basic\"` (or your module's name)",
        );
    }
}

fn agent_rules(f: &Flags, report: &mut Found) {
    if f.is_true("authenticate_http_executors") && f.user("jwt_secret_key").is_none() {
        report.add(
            "`authenticate_http_executors` needs `jwt_secret_key`".into(),
            f.span("authenticate_http_executors"),
            None,
            "add `jwt_secret_key = file(\"/etc/mesos/secrets/jwt\")`",
        );
    }
}

fn marathon_rules(f: &Flags, report: &mut Found) {
    for (a, b) in [("plugin_conf", "plugin_dir"), ("plugin_dir", "plugin_conf")] {
        if f.user(a).is_some() && f.user(b).is_none() {
            report.add(
                format!("`{a}` needs `{b}`"),
                f.span(a),
                None,
                "give both, or neither",
            );
        }
    }
    // `ssl_keystore_path` alone is valid: Marathon falls back to the
    // `MESOSPHERE_KEYSTORE_PASS` variable for the password (`HttpConf.scala`,
    // `sslKeystorePasswordEnvValue`), which mesosc sets from
    // `ssl_keystore_password = file(…)`.
    if let (Some((cache, s)), Some((deploys, o))) = (
        f.number("group_versions_cache_size"),
        f.number("max_running_deployments"),
    ) && cache <= 2.0 * deploys
    {
        report.add(
            "`group_versions_cache_size` must be more than twice `max_running_deployments`".into(),
            Some(s),
            Some(o),
            "raise the cache size",
        );
    }
}

fn zookeeper_rules(f: &Flags, report: &mut Found) {
    if let (Some((min, s)), Some((max, o))) =
        (f.number("minSessionTimeout"), f.number("maxSessionTimeout"))
        && min > max
    {
        report.add(
            "`minSessionTimeout` is above `maxSessionTimeout`".into(),
            Some(s),
            Some(o),
            "swap them",
        );
    }
    if f.user("secureClientPortAddress").is_some() && f.user("secureClientPort").is_none() {
        report.add(
            "`secureClientPortAddress` needs `secureClientPort`".into(),
            f.span("secureClientPortAddress"),
            None,
            "set the secure port too",
        );
    }
    if f.is_true("quorum.auth.serverRequireSasl")
        && !(f.is_true("quorum.auth.enableSasl") && f.is_true("quorum.auth.learnerRequireSasl"))
    {
        report.add(
            "`quorum.auth.serverRequireSasl` needs `quorum.auth.enableSasl` and `quorum.auth.learnerRequireSasl`".into(),
            f.span("quorum.auth.serverRequireSasl"),
            None,
            "turn on all three",
        );
    }
}
