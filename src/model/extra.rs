//! Extra services (`service "name" { … }`): where they run, what they run,
//! and what they start after.

use super::hosts::HostInfo;
use super::{Builder, Ctx};
use crate::escape::Format;
use crate::model::{self, Role};
use crate::resolve::CheckError;
use crate::resolve::ServiceDecl;
use crate::resolve::value::Value;
use crate::schema::keys;
use crate::span::Span;
use crate::suggest::did_you_mean;

impl<E: super::Sink> Builder<'_, E> {
    /// Builds the extra services selected for this environment and records
    /// each on the hosts it runs on. `hosts` is aligned with `infos`.
    pub(super) fn extra_services(
        &mut self,
        ctx: &Ctx,
        infos: &[HostInfo],
        hosts: &mut [model::Host],
    ) -> Vec<model::ExtraService> {
        let env = ctx.resolved.environment.as_ref().map(|(n, _)| n.as_str());
        let mut out = Vec::new();
        for decl in &ctx.resolved.services {
            self.r().known_keys(&decl.body, keys::Block::Service);
            self.unit_name(decl);
            if !self.selected(ctx, decl, env) {
                continue;
            }
            let Some(service) = self.extra(decl, infos) else {
                continue;
            };
            for (info, host) in infos.iter().zip(hosts.iter_mut()) {
                if service.hosts.iter().any(|h| h == info.name()) {
                    host.services.push(service.name.clone());
                    host.services.sort();
                }
            }
            out.push(service);
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn unit_name(&mut self, decl: &ServiceDecl) {
        let name = &decl.name.node;
        let valid = !name.is_empty()
            && name.len() <= 200
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
            && name.as_bytes()[0].is_ascii_alphanumeric()
            && !name.contains("..");
        if !valid {
            self.r().invalid(
                format!("`{}` cannot be a unit name", crate::resolve::shorten(name)),
                "not a unit name",
                decl.name.span,
                Some(
                    "use letters, digits, `-`, `_`, `.` and `:`, starting with a letter or digit"
                        .into(),
                ),
            );
        } else if crate::resolve::windows_device(name) {
            self.r().invalid(
                format!("`{name}` is a device name on Windows"),
                "reserved on Windows",
                decl.name.span,
                Some(format!("a checkout of its unit file fails on Windows; name it differently, e.g. `{name}-1`")),
            );
        } else if keys::BUILT_IN_UNITS.contains(&name.as_str()) {
            self.r().invalid(
                format!("`{name}` is a unit mesosc writes itself"),
                "reserved name",
                decl.name.span,
                Some(format!("configure it in its own block, or name the service differently, e.g. `{name}-extra`")),
            );
        }
    }

    /// Whether the service runs in the selected environment.
    /// Whether the service is built in the selected environment. A name
    /// that nothing declares (no overlay, not `cluster { environment }`,
    /// not `--env`) is a warning with a did-you-mean; a service of another
    /// environment is not reported as without effect.
    fn selected(&mut self, ctx: &Ctx, decl: &ServiceDecl, env: Option<&str>) -> bool {
        let Some((items, _)) = self.r().list(&decl.body, "environments") else {
            return true;
        };
        let r = ctx.resolved;
        let cluster_env = (r.cluster.as_ref())
            .and_then(|c| c.body.peek("environment"))
            .and_then(|s| s.val.value.scalar_text());
        let declared: Vec<&str> = (r.environments.iter().map(|e| e.node.as_str()))
            .chain(env)
            .chain(cluster_env.as_deref())
            .collect();
        for v in items {
            let Some(name) = v.value.scalar_text() else {
                continue;
            };
            if !declared.contains(&name.as_str()) && self.first_time(v.span, "environment name") {
                let help = did_you_mean(&name, declared.iter().copied()).or_else(|| {
                    Some(format!(
                        "no `environment \"{name}\"` block, `cluster {{ environment }}` or `--env` names it, so the service is built nowhere"
                    ))
                });
                self.diags.push(CheckError::UnknownEnvironment {
                    name,
                    what: "named",
                    span: Some(v.span),
                    label: format!(
                        "service `{}` is built only in the environments listed here",
                        decl.name.node
                    ),
                    help,
                });
            }
        }
        let names: Vec<String> = items.iter().filter_map(|v| v.value.scalar_text()).collect();
        let selected = env.is_some_and(|e| names.iter().any(|n| n == e));
        if !selected {
            decl.body.mark_all();
        }
        selected
    }

    fn extra(&mut self, decl: &ServiceDecl, infos: &[HostInfo]) -> Option<model::ExtraService> {
        let t = &decl.body;
        let block = format!("service `{}`", decl.name.node);
        // Both are written as they are on a unit line (`ExecStart=`,
        // `Description=`).
        let unwritable = ["exec", "description"].into_iter().find_map(|k| {
            let v = self.r().string(t, k)?;
            CheckError::unwritable(&format!("`{k}`"), &[Format::Unit], &v.node, v.span)
        });
        if let Some(e) = unwritable {
            self.diags.push(e);
            return None;
        }
        let exec = match self.r().string(t, "exec") {
            Some(e) if e.node.starts_with('/') => e.node,
            Some(e) => {
                self.r().invalid(
                    "`exec` must start with an absolute path".into(),
                    "relative command",
                    e.span,
                    Some(
                        "systemd runs the command without a shell: write the binary's full path"
                            .into(),
                    ),
                );
                return None;
            }
            None => {
                self.diags.push(CheckError::MissingSetting {
                    key: "exec".into(),
                    block,
                    span: decl.name.span,
                    help: Some("add `exec = \"/path/to/binary --flags\"`".into()),
                });
                return None;
            }
        };
        let hosts = self.placement(decl, infos)?;
        let after = self
            .r()
            .list(t, "after")
            .map_or_else(Vec::new, |(items, _)| {
                items
                    .iter()
                    .filter_map(|v| v.value.scalar_text().map(|s| (s, v.span)))
                    .collect()
            });
        let ports = self
            .r()
            .list(t, "ports")
            .map_or_else(Vec::new, |(items, _)| {
                items
                    .iter()
                    .filter_map(|v| self.r().int_val(v, "ports", 1, 65535))
                    .map(|p| p.node as u16)
                    .collect()
            });
        let description = self
            .r()
            .string(t, "description")
            .map_or_else(|| decl.name.node.clone(), |d| d.node);
        Some(model::ExtraService {
            name: decl.name.node.clone(),
            span: decl.name.span,
            hosts,
            after,
            exec,
            description,
            ports,
        })
    }

    /// The hosts named by `on`: roles and host names.
    fn placement(&mut self, decl: &ServiceDecl, infos: &[HostInfo]) -> Option<Vec<String>> {
        let Some((items, span)) = self.r().list(&decl.body, "on") else {
            self.diags.push(CheckError::MissingSetting {
                key: "on".into(),
                block: format!("service `{}`", decl.name.node),
                span: decl.name.span,
                help: Some(format!(
                    "say where it runs: `on = [{}, {}]` or host names",
                    self.say(Role::Leader, decl.span),
                    self.say(Role::Follower, decl.span)
                )),
            });
            return None;
        };
        let mut hosts: Vec<String> = Vec::new();
        for v in items {
            let Some(word) = v
                .value
                .scalar_text()
                .filter(|_| matches!(v.value, Value::Symbol(_) | Value::Str(_)))
            else {
                self.r().mismatch("a role or a host name", v, None);
                continue;
            };
            match Role::from_name(&word) {
                Some(role) => hosts.extend(
                    infos
                        .iter()
                        .filter(|i| i.has(role))
                        .map(|i| i.name().to_string()),
                ),
                None if infos.iter().any(|i| i.name() == word) => hosts.push(word),
                None => self.unknown_target(&word, v.span, infos),
            }
        }
        hosts.sort();
        hosts.dedup();
        if hosts.is_empty() && !items.is_empty() {
            // Roles no host has: the whole service is without effect.
            if self.first_time(span, "service nowhere") {
                self.diags.push(super::ModelError::NoEffect {
                    message: format!(
                        "service `{}` has no effect: no host has what `on` names",
                        decl.name.node
                    ),
                    span,
                    entry: decl.span,
                    help: Some("name roles some host has, or host names".into()),
                });
            }
            decl.body.mark_all();
            return None;
        }
        if items.is_empty() {
            self.r().invalid(
                "`on` is empty".into(),
                "no hosts",
                span,
                Some("name roles or hosts".into()),
            );
            return None;
        }
        Some(hosts)
    }

    fn unknown_target(&mut self, word: &str, span: Span, infos: &[HostInfo]) {
        let candidates = (keys::ROLE_NAMES.iter().copied()).chain(infos.iter().map(|i| i.name()));
        self.diags.push(CheckError::UnknownName {
            name: word.into(),
            span,
            help: did_you_mean(word, candidates)
                .or_else(|| Some("`on` takes roles and host names".into())),
        });
    }
}
