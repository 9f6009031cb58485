//! Resolution: syntax trees → one [`Resolved`] description of the cluster.
//!
//! It loads imports (relative to the importing file, each file once, cycles
//! reported with the chain), evaluates `let`s in lexical scope, expands `for`,
//! evaluates every block into a [`Table`], and keeps the layers apart —
//! cluster-wide blocks, templates, the host's own block and the environment
//! overlays — so the model can merge them in precedence order and every value
//! still knows where it came from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod error;
mod eval;
mod resolved;
pub mod usage;
pub mod value;
mod words;

use crate::diagnostic::{Diagnostics, Report};
use crate::files::Files;
use crate::span::{FileId, SourceMap, Span, Spanned};
use crate::suggest::did_you_mean;
use crate::syntax::ParseError;
use crate::syntax::{self, ast};
pub use error::CheckError;
pub use resolved::{ClusterDecl, HostDecl, Overlay, Resolved, ServiceDecl, TemplateDecl};
use value::{Layer, Table, Val, Value};
pub use words::{ALIASES, Words};

/// The blocks allowed at top level (and in hosts and templates), by canonical
/// name. `master` and `agent` are aliases of `leader` and `follower`.
pub const SECTIONS: &[&str] = &[
    "auth",
    "etcd",
    "fleet",
    "follower",
    "leader",
    "marathon",
    "owca",
    "update",
    "zookeeper",
];

/// How deep imports may nest (a chain `a → b → c …`).
pub const MAX_IMPORT_DEPTH: usize = 64;

/// How much all `for` loops of a compilation may expand together: each
/// iteration costs one, plus one for every item and block entry its body
/// evaluates (nested loops charge their own iterations). A million empty
/// iterations pass; a loop of hosts with a hundred settings each stops near
/// ten thousand, long before time or memory run out.
pub const MAX_EXPANSION: u64 = 1_000_000;

/// The canonical name of a section, resolving the `master`/`agent` aliases.
pub fn canonical_section(name: &str) -> Option<&'static str> {
    match ALIASES.iter().find(|(alias, _)| *alias == name) {
        Some((_, canonical)) => Some(canonical),
        None => SECTIONS.iter().copied().find(|s| *s == name),
    }
}

/// What the items of one layer declare (the base file or one environment).
#[derive(Default)]
struct Collected {
    clusters: Vec<ClusterDecl>,
    sections: BTreeMap<String, Table>,
    hosts: Vec<(HostDecl, Vec<Spanned<String>>)>,
    services: Vec<ServiceDecl>,
}

/// An environment overlay, evaluated where it was declared.
struct EnvDecl {
    name: Spanned<String>,
    items: Collected,
}

/// Where an item stands, which decides what it may be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Top,
    For,
    Environment,
}

/// What the resolver reports into: a list of any diagnostic type that the
/// parser's and the resolver's errors convert into.
pub trait Sink: Report + From<ParseError> + From<CheckError> {}

impl<T: Report + From<ParseError> + From<CheckError>> Sink for T {}

/// The resolver's state.
pub(crate) struct Resolver<'a, E: Sink> {
    pub(crate) sources: &'a mut SourceMap,
    files: &'a dyn Files,
    pub(crate) vars: &'a dyn Fn(&str) -> Option<String>,
    pub(crate) diags: &'a mut Diagnostics<E>,
    /// Bindings, innermost last; lookups stop at `floor` (an imported file
    /// does not see its importer's names).
    pub(crate) scope: Vec<(String, Val)>,
    pub(crate) floor: usize,
    /// Top-level `let`s of the file being evaluated, for "used before defined".
    pub(crate) later_lets: BTreeMap<String, Span>,
    /// The chain of imports being evaluated: (canonical path, import span).
    import_stack: Vec<(PathBuf, Span)>,
    imported: Vec<PathBuf>,
    /// Iterations left for all `for` loops together.
    pub(crate) budget: u64,
    /// The layer the block being evaluated belongs to.
    pub(crate) layer: Layer,
    base: Collected,
    templates: BTreeMap<String, TemplateDecl>,
    envs: Vec<EnvDecl>,
    current_env: Option<usize>,
    /// Every entry evaluated, for usage marks.
    pub(crate) usage: usage::Entries,
    /// The item being evaluated, and the entry whose block is.
    pub(crate) item: usage::Item,
    pub(crate) parent: Option<usize>,
    /// Which word of each alias pair was written where.
    pub(crate) words: Words,
}

/// Loads, parses and resolves `path` and everything it imports.
pub fn resolve<E: Sink>(
    path: &Path,
    files: &dyn Files,
    vars: &dyn Fn(&str) -> Option<String>,
    env: Option<&str>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics<E>,
) -> Option<Resolved> {
    let text = files.read(path).ok()?;
    let id = sources.add(path.display().to_string(), path.to_path_buf(), text)?;
    resolve_loaded(id, files, vars, env, sources, diags)
}

/// Resolves a file already in `sources` (the CLI reads the main file itself,
/// to report I/O errors with their own exit code).
pub fn resolve_loaded<E: Sink>(
    main: FileId,
    files: &dyn Files,
    vars: &dyn Fn(&str) -> Option<String>,
    env: Option<&str>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics<E>,
) -> Option<Resolved> {
    let canonical = files.canonical(&sources.file(main).path);
    let mut r = Resolver {
        sources,
        files,
        vars,
        diags,
        scope: Vec::new(),
        floor: 0,
        later_lets: BTreeMap::new(),
        import_stack: vec![(canonical.clone(), Span::DETACHED)],
        imported: vec![canonical],
        budget: MAX_EXPANSION,
        layer: Layer::Cluster,
        base: Collected::default(),
        templates: BTreeMap::new(),
        envs: Vec::new(),
        current_env: None,
        usage: usage::Entries::default(),
        item: usage::Item::Cluster,
        parent: None,
        words: Words::default(),
    };
    r.file(main);
    Some(r.finish(main, env))
}

impl<E: Sink> Resolver<'_, E> {
    /// Parses and evaluates one file's items in the current scope.
    fn file(&mut self, id: FileId) {
        let (ast, errors) = syntax::parse(self.sources.file(id));
        self.parsed(ast, errors);
    }

    fn parsed(&mut self, ast: ast::File, errors: Vec<syntax::ParseError>) {
        for e in errors {
            self.diags.push(e);
        }
        let saved = std::mem::take(&mut self.later_lets);
        for item in &ast.items {
            if let ast::Item::Let(l) = item {
                self.later_lets
                    .entry(l.name.name.clone())
                    .or_insert(l.name.span);
            }
        }
        // Each item's syntax tree is dropped once it is evaluated: the
        // memory it frees holds the tables evaluated next, so a large file's
        // tree and its tables are not all held at once.
        for item in ast.items {
            self.item(&item, Place::Top);
        }
        self.later_lets = saved;
    }

    fn items(&mut self, items: &[ast::Item], place: Place) {
        for item in items {
            self.item(item, place);
        }
    }

    fn item(&mut self, item: &ast::Item, place: Place) {
        match item {
            ast::Item::Let(l) => self.let_item(l),
            ast::Item::Import(i) if place == Place::Top => self.import(i),
            ast::Item::Cluster(c) if place != Place::For => self.cluster(c),
            ast::Item::For(f) => self.for_item(f),
            ast::Item::Host(h) => self.host(h),
            ast::Item::Template(t) if place == Place::Top => self.template(t),
            ast::Item::Section(s) if place != Place::For => self.section(s),
            ast::Item::Service(s) => self.service(s),
            ast::Item::Environment(e) if place == Place::Top => self.environment(e),
            other => self.misplaced(other, place),
        }
    }

    fn misplaced(&mut self, item: &ast::Item, place: Place) {
        let what = match item {
            ast::Item::Import(_) => "`import`",
            ast::Item::Cluster(_) => "a `cluster` block",
            ast::Item::Template(_) => "a `template`",
            ast::Item::Environment(_) => "an `environment`",
            ast::Item::Section(_) => "a cluster-wide block",
            _ => "this item",
        };
        let (place, help) = match place {
            Place::For => (
                "inside `for`",
                "`for` repeats hosts, services and `let`s; move it to the top level",
            ),
            Place::Environment => ("inside `environment`", "move it to the top level"),
            Place::Top => ("here", "move it to the top level"),
        };
        self.diags.push(CheckError::MisplacedItem {
            what: what.into(),
            place: place.into(),
            span: item.span(),
            help: Some(help.into()),
        });
    }

    fn let_item(&mut self, l: &ast::Let) {
        self.later_lets.remove(&l.name.name);
        let item = std::mem::replace(&mut self.item, usage::Item::Value);
        let value = self.expr(&l.value);
        self.item = item;
        let value = value.unwrap_or(Val::new(Value::Auto, l.value.span));
        self.scope.push((l.name.name.clone(), value));
    }

    fn import(&mut self, i: &ast::Import) {
        let Some(text) = self.string(&i.path) else {
            return;
        };
        let here = self
            .sources
            .file_of(i.span.start)
            .map(|f| self.sources.file(f).path.clone());
        let dir = here
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        let path = crate::files::normalize(&dir.join(&text));
        let canonical = self.files.canonical(&path);
        if let Some(pos) = self.import_stack.iter().position(|(p, _)| *p == canonical) {
            return self.import_cycle(pos, &text, i.span);
        }
        if self.imported.contains(&canonical) {
            return; // imported already (a diamond): its items are merged once
        }
        if self.import_stack.len() > MAX_IMPORT_DEPTH {
            return self.diags.push(CheckError::TooLarge {
                what: "the import chain".into(),
                count: self.import_stack.len() as u128,
                limit: MAX_IMPORT_DEPTH as u64,
                span: i.span,
            });
        }
        let text_read = match self.files.read(&path) {
            Ok(t) => t,
            Err(e) => return self.import_failed(&text, e, i.span),
        };
        let Some(id) = self
            .sources
            .add(path.display().to_string(), path, text_read)
        else {
            return self.import_failed(&text, std::io::Error::other("sources too large"), i.span);
        };
        self.imported.push(canonical.clone());
        let (ast, errors) = syntax::parse(self.sources.file(id));
        if let Some(at) = not_mcl(self.sources.file(id), &ast, &errors) {
            // Not MCL (a password file, the environment): its text is not
            // quoted in any report.
            let reason = format!(
                "it does not parse as MCL (first error at line {}, column {}); its text is not shown",
                at.0, at.1
            );
            return self.import_failed(&text, std::io::Error::other(reason), i.span);
        }
        self.import_stack.push((canonical, i.span));
        let floor = std::mem::replace(&mut self.floor, self.scope.len());
        self.parsed(ast, errors);
        self.floor = floor;
        self.import_stack.pop();
    }

    fn import_failed(&mut self, text: &str, e: std::io::Error, span: Span) {
        let help = (e.kind() == std::io::ErrorKind::NotFound)
            .then(|| "import paths are relative to the importing file".to_string());
        self.diags.push(CheckError::ImportFailed {
            path: text.into(),
            reason: e.to_string(),
            span,
            help,
        });
    }

    fn import_cycle(&mut self, pos: usize, text: &str, span: Span) {
        let names: Vec<String> = self.import_stack[pos..]
            .iter()
            .map(|(p, _)| {
                p.file_name()
                    .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
            })
            .collect();
        let chain = format!("{} → {text}", names.join(" → "));
        let steps = self.import_stack[pos + 1..]
            .iter()
            .filter(|(_, s)| !s.is_detached())
            .map(|(_, s)| miette::LabeledSpan::new_with_span(Some("imported here".into()), *s))
            .collect();
        self.diags
            .push(CheckError::ImportCycle { chain, span, steps });
    }

    fn cluster(&mut self, c: &ast::Cluster) {
        let Some(name) = self.name(&c.name) else {
            return;
        };
        let body = self.block_in(usage::Item::Cluster, &c.body);
        let decl = ClusterDecl {
            name,
            body,
            span: c.span,
        };
        self.collected().clusters.push(decl);
    }

    fn for_item(&mut self, f: &ast::For) {
        let Some(iter) = self.expr(&f.iter) else {
            return;
        };
        let values: Vec<Val> = match iter.value {
            Value::Range(a, b) => {
                let count = (b as i128 - a as i128 + 1).max(0) as u128;
                if !self.spend(count.saturating_mul(body_weight(&f.items)), f.iter.span) {
                    return;
                }
                (a..=b)
                    .map(|n| Val::new(Value::Int(n), f.iter.span))
                    .collect()
            }
            Value::List(items) => {
                let count = items.len() as u128;
                if !self.spend(count.saturating_mul(body_weight(&f.items)), f.iter.span) {
                    return;
                }
                items
            }
            other => {
                return self.diags.push(CheckError::TypeMismatch {
                    expected: "a range or a list".into(),
                    found: other.kind().into(),
                    span: f.iter.span,
                    help: Some(
                        "write `for n in 1..3 { … }` or `for h in [\"a\", \"b\"] { … }`".into(),
                    ),
                });
            }
        };
        // A body with a mistake would report it once per iteration (with
        // another host name or value each time), and a million iterations of
        // a few mistakes exhaust time and memory. So each site (kind and
        // place in the source) is reported for the first iteration that hits
        // it, and once an iteration reports errors at no new site, the loop
        // stops: the build has failed, and the rest would only repeat them.
        let mut seen = std::collections::HashSet::new();
        for v in values {
            let outer = std::mem::take(&mut *self.diags);
            let mark = self.scope.len();
            self.scope.push((f.var.name.clone(), v));
            self.items(&f.items, Place::For);
            self.scope.truncate(mark);
            let found = std::mem::replace(&mut *self.diags, outer);
            let errors = found.error_count() > 0;
            let mut fresh = false;
            for d in found {
                if seen.insert(crate::diagnostic::Site::of(&d)) {
                    self.diags.push(d);
                    fresh = true;
                }
            }
            if errors && !fresh {
                break;
            }
        }
    }

    /// Takes `count` iterations from the expansion budget.
    pub(crate) fn spend(&mut self, count: u128, span: Span) -> bool {
        if count > self.budget as u128 {
            self.diags.push(CheckError::TooLarge {
                what: "this loop (its iterations, each weighed by its body)".into(),
                count,
                limit: MAX_EXPANSION,
                span,
            });
            self.budget = 0;
            return false;
        }
        self.budget -= count as u64;
        true
    }

    fn host(&mut self, h: &ast::Host) {
        let Some(name) = self.name(&h.name) else {
            return;
        };
        if let Some(help) = dns_label_problem(&name.node) {
            self.diags.push(CheckError::InvalidHostName {
                name: shorten(&name.node),
                help,
                span: name.span,
            });
        }
        let host_layer = if self.current_env.is_some() {
            self.layer.clone()
        } else {
            Layer::Host
        };
        let layer = std::mem::replace(&mut self.layer, host_layer);
        // A `for` body's hosts after the first find their entries
        // registered: the name is copied only for the first.
        let first = h.body.entries.first();
        let item = match first.is_some_and(|e| self.usage.registered(e.span)) {
            true => usage::Item::Value,
            false => usage::Item::Host(name.node.clone()),
        };
        let mut body = self.block_in(item, &h.body);
        canonical_keys(&mut body, &mut self.words);
        self.layer = layer;
        let uses = h
            .uses
            .iter()
            .map(|u| Spanned::new(u.name.clone(), u.span))
            .collect();
        let decl = HostDecl {
            name,
            uses: Vec::new(),
            body,
            overlay: None,
            span: h.span,
        };
        self.collected().hosts.push((decl, uses));
    }

    fn template(&mut self, t: &ast::Template) {
        let name = Spanned::new(t.name.name.clone(), t.name.span);
        if let Some(first) = self.templates.get(&name.node) {
            let first = first.name.span;
            return self.diags.push(CheckError::DuplicateTemplate {
                name: name.node,
                first,
                second: t.name.span,
            });
        }
        let layer = std::mem::replace(&mut self.layer, Layer::Template(name.node.clone()));
        let mut body = self.block_in(usage::Item::Template(name.node.clone()), &t.body);
        canonical_keys(&mut body, &mut self.words);
        self.layer = layer;
        self.templates.insert(
            name.node.clone(),
            TemplateDecl {
                name,
                body,
                span: t.span,
            },
        );
    }

    fn section(&mut self, s: &ast::Section) {
        let Some(canonical) = canonical_section(&s.name.name) else {
            let help = did_you_mean(
                &s.name.name,
                SECTIONS.iter().copied().chain(["master", "agent"]),
            )
            .or_else(|| {
                // In the words the file uses (`agent`, not `follower`).
                let words: Vec<&str> = SECTIONS.iter().map(|s| self.words.word(s)).collect();
                Some(format!("blocks allowed here: {}", words.join(", ")))
            });
            return self.diags.push(CheckError::UnknownBlock {
                name: s.name.name.clone(),
                span: s.name.span,
                help,
            });
        };
        if let Some(label) = &s.label {
            return self.diags.push(CheckError::TypeMismatch {
                expected: format!("`{{` after `{}`", s.name.name),
                found: "a label".into(),
                span: label.span,
                help: Some(format!("`{}` blocks take no label", s.name.name)),
            });
        }
        self.words.record(&s.name.name, s.name.span, s.span);
        let table = self.block_in(usage::Item::Section(canonical.into()), &s.body);
        let target = self
            .collected()
            .sections
            .entry(canonical.to_string())
            .or_default();
        let mut conflicts = Vec::new();
        merge_same_layer(target, table, &mut conflicts);
        for (key, first, second) in conflicts {
            self.diags
                .push(CheckError::DuplicateKey { key, first, second });
        }
    }

    fn service(&mut self, s: &ast::Service) {
        let Some(name) = self.name(&s.name) else {
            return;
        };
        let body = self.block_in(usage::Item::Service(name.node.clone()), &s.body);
        let decl = ServiceDecl {
            name,
            body,
            span: s.span,
        };
        self.collected().services.push(decl);
    }

    fn environment(&mut self, e: &ast::Environment) {
        let Some(name) = self.name(&e.name) else {
            return;
        };
        if let Some(first) = self.envs.iter().find(|d| d.name.node == name.node) {
            let first = first.name.span;
            return self.diags.push(CheckError::DuplicateEnvironment {
                name: name.node,
                first,
                second: name.span,
            });
        }
        self.envs.push(EnvDecl {
            name: name.clone(),
            items: Collected::default(),
        });
        let saved_env = self.current_env.replace(self.envs.len() - 1);
        let layer = std::mem::replace(&mut self.layer, Layer::Environment(name.node));
        let mark = self.scope.len();
        self.items(&e.items, Place::Environment);
        self.scope.truncate(mark);
        self.layer = layer;
        self.current_env = saved_env;
    }

    fn collected(&mut self) -> &mut Collected {
        match self.current_env {
            Some(i) => &mut self.envs[i].items,
            None => &mut self.base,
        }
    }

    /// Evaluates an item's body (its entries' usage records name `item`).
    fn block_in(&mut self, item: usage::Item, b: &ast::Block) -> Table {
        let item = std::mem::replace(&mut self.item, item);
        let parent = self.parent.take();
        let t = self.block(b);
        self.parent = parent;
        self.item = item;
        t
    }

    /// Evaluates a block into a table of the current layer, reporting duplicate keys.
    pub(crate) fn block(&mut self, b: &ast::Block) -> Table {
        let mut t = Table::new(b.span);
        t.slots.reserve_exact(b.entries.len());
        let mut seen = (b.entries.len() > value::LINEAR_MAX).then(eval::Seen::new);
        for entry in &b.entries {
            self.entry(entry, &mut t, seen.as_mut());
        }
        t
    }
}

/// What one iteration of a loop body costs: one, plus every item and block
/// entry in it; nested `for` loops charge their own iterations when they run.
fn body_weight(items: &[ast::Item]) -> u128 {
    1 + items.iter().map(item_weight).sum::<u128>()
}

fn item_weight(item: &ast::Item) -> u128 {
    match item {
        ast::Item::For(_) => 1,
        ast::Item::Host(h) => 1 + block_weight(&h.body),
        ast::Item::Service(s) => 1 + block_weight(&s.body),
        ast::Item::Section(s) => 1 + block_weight(&s.body),
        ast::Item::Cluster(c) => 1 + block_weight(&c.body),
        ast::Item::Environment(e) => 1 + e.items.iter().map(item_weight).sum::<u128>(),
        _ => 1,
    }
}

fn block_weight(b: &ast::Block) -> u128 {
    b.entries
        .iter()
        .map(|e| match &e.value {
            ast::EntryValue::Block(inner) => 1 + block_weight(inner),
            ast::EntryValue::Assign(_) => 1,
        })
        .sum()
}

/// Every name given again: (name, first span, repeated span).
fn duplicates<'a>(names: impl Iterator<Item = &'a Spanned<String>>) -> Vec<(String, Span, Span)> {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    let mut out = Vec::new();
    for n in names {
        match seen.get(n.node.as_str()) {
            Some(first) => out.push((n.node.clone(), *first, n.span)),
            None => {
                seen.insert(&n.node, n.span);
            }
        }
    }
    out
}

/// Merges `new` into `target` where both are of the same layer: a key set in
/// both (other than nested blocks, which merge) is a conflict.
fn merge_same_layer(target: &mut Table, new: Table, conflicts: &mut Vec<(String, Span, Span)>) {
    if target.slots.is_empty() {
        *target = new;
        return;
    }
    for slot in new.slots {
        let label = slot.label.clone();
        match target
            .slots
            .iter_mut()
            .find(|s| s.key == slot.key && s.label == label)
        {
            Some(mine) => match (&mut mine.val.value, slot.val.value) {
                (Value::Table(a), Value::Table(b)) => merge_same_layer(a, b, conflicts),
                _ => conflicts.push((slot.key, mine.key_span, slot.key_span)),
            },
            None => target.slots.push(slot),
        }
    }
}

/// Renames the alias keys of a host body (`master`, `agent`) to their
/// canonical section names, so layers merge whatever spelling each used;
/// `words` records which spelling each block used.
fn canonical_keys(body: &mut Table, words: &mut Words) {
    for slot in &mut body.slots {
        if let Some(c) = canonical_section(&slot.key)
            && matches!(slot.val.value, Value::Table(_))
        {
            words.record(&slot.key, slot.key_span, slot.origin.span);
            if c != slot.key {
                slot.key = c.to_string();
            }
        }
    }
}

/// At most 64 characters of a name, for a message: a 10 MB name is quoted
/// by its start.
pub(crate) fn shorten(name: &str) -> String {
    match name.char_indices().nth(64) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_string(),
    }
}

/// Why a host name is not a DNS label (`[a-z0-9]([a-z0-9-]*[a-z0-9])?`, at
/// most 63 characters), with the fix; `None` when it is one.
pub fn dns_label_problem(name: &str) -> Option<String> {
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if name.is_empty() {
        return Some("a host name cannot be empty".into());
    }
    if name.len() > 63 {
        return Some(format!(
            "a host name is at most 63 characters; this one has {}",
            name.len()
        ));
    }
    if name.contains(['/', '\\']) || name.contains("..") || name.starts_with('.') {
        return Some("a host name becomes a folder name under out/hosts/ and cannot contain `/`, `\\` or `..`".into());
    }
    let fixed: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_string();
    let suggestion = if fixed.is_empty() || fixed == name {
        String::new()
    } else {
        format!(": try `{fixed}`")
    };
    if !valid_chars {
        return Some(format!(
            "host names are DNS labels: lower-case letters, digits and `-`{suggestion}"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some(format!(
            "a host name cannot start or end with `-`{suggestion}"
        ));
    }
    if windows_device(name) {
        return Some(format!(
            "`{name}` is a device name on Windows: a checkout of out/hosts/{name}/ fails there; add a suffix, e.g. `{name}-1`"
        ));
    }
    None
}

/// Whether a file or folder named `name` (or `name.<anything>`) cannot be
/// created on Windows, which reserves its device names in any case and with
/// any extension: `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`.
pub fn windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let stem = stem.to_ascii_lowercase();
    match stem.as_bytes() {
        b"con" | b"prn" | b"aux" | b"nul" => true,
        [b'c', b'o', b'm', d] | [b'l', b'p', b't', d] => d.is_ascii_digit(),
        _ => false,
    }
}

/// The first character of `name` that shows nothing or reorders what
/// follows: bidirectional overrides, embeddings and isolates, the
/// direction marks, and zero-width characters. A name holding one can look
/// like another name (or hide part of itself) in an editor or a review.
pub fn invisible_char(name: &str) -> Option<char> {
    name.chars().find(|c| {
        matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{061C}'
                | '\u{FEFF}'
                | '\u{00AD}'
        )
    })
}

impl<E: Sink> Resolver<'_, E> {
    /// Merges templates, checks uniqueness, applies the selected overlay.
    fn finish(mut self, main: FileId, env: Option<&str>) -> Resolved {
        let base = std::mem::take(&mut self.base);
        let envs = std::mem::take(&mut self.envs);
        let mut out = Resolved {
            templates: std::mem::take(&mut self.templates),
            environments: envs.iter().map(|e| e.name.clone()).collect(),
            ..Resolved::default()
        };
        out.entries = std::mem::take(&mut self.usage);
        out.words = std::mem::take(&mut self.words);
        let file_start = self.sources.file(main).base;
        out.cluster = self.one_cluster(base.clusters, Span::new(file_start, file_start));
        out.sections = base.sections;
        out.hosts = self.hosts_with_templates(base.hosts, &out.templates);
        self.check_unique_hosts(out.hosts.iter());
        out.services = base.services;
        self.check_unique_services(&out.services);
        out.environment = self.selected_environment(&out, env);
        let selected = out.environment.as_ref().map(|(name, _)| name.clone());
        let mut overlay = None;
        for e in envs {
            // Every overlay is checked, whether or not it is selected.
            self.check_unique_hosts(e.items.hosts.iter().map(|(h, _)| h));
            self.check_unique_services(&e.items.services);
            if selected.as_ref() == Some(&e.name.node) {
                overlay = Some(e);
            } else {
                out.unselected.push(unapplied(e));
            }
        }
        if let Some(overlay) = overlay {
            self.apply_overlay(&mut out, overlay.items);
        }
        out
    }

    fn one_cluster(&mut self, clusters: Vec<ClusterDecl>, file_start: Span) -> Option<ClusterDecl> {
        let mut clusters = clusters.into_iter();
        let Some(first) = clusters.next() else {
            self.diags
                .push(CheckError::MissingCluster { span: file_start });
            return None;
        };
        for other in clusters {
            self.diags.push(CheckError::DuplicateCluster {
                first: first.name.span,
                second: other.name.span,
            });
        }
        Some(first)
    }

    fn hosts_with_templates(
        &mut self,
        hosts: Vec<(HostDecl, Vec<Spanned<String>>)>,
        templates: &BTreeMap<String, TemplateDecl>,
    ) -> Vec<HostDecl> {
        let mut out = Vec::with_capacity(hosts.len());
        for (mut host, uses) in hosts {
            let mut body = Table::new(host.body.span);
            for u in &uses {
                match templates.get(&u.node) {
                    Some(t) => body.merge(&t.body),
                    None => self.diags.push(CheckError::UnknownTemplate {
                        name: u.node.clone(),
                        span: u.span,
                        help: did_you_mean(&u.node, templates.keys().map(String::as_str)),
                    }),
                }
            }
            if !uses.is_empty() {
                body.merge(&host.body);
                host.body = body;
            }
            host.uses = uses;
            out.push(host);
        }
        out
    }

    fn check_unique_hosts<'h>(&mut self, hosts: impl Iterator<Item = &'h HostDecl>) {
        for (name, first, second) in duplicates(hosts.map(|h| &h.name)) {
            self.diags.push(CheckError::DuplicateHost {
                name,
                first,
                second,
            });
        }
    }

    fn check_unique_services(&mut self, services: &[ServiceDecl]) {
        for (name, first, second) in duplicates(services.iter().map(|s| &s.name)) {
            self.diags.push(CheckError::DuplicateService {
                name,
                first,
                second,
            });
        }
    }

    fn selected_environment(
        &mut self,
        out: &Resolved,
        env: Option<&str>,
    ) -> Option<(String, Option<Span>)> {
        let selected = match env {
            Some(name) => {
                // `--env` overrides `environment`: an override, not an
                // entry without effect (a workspace builds one file in
                // several environments).
                let cluster = out.cluster.as_ref();
                cluster.and_then(|c| c.body.get("environment"));
                (name.to_string(), None)
            }
            None => {
                let slot = out.cluster.as_ref()?.body.get("environment")?;
                match &slot.val.value {
                    Value::Str(s) | Value::Symbol(s) => (s.clone(), Some(slot.val.span)),
                    _ => return None, // the model reports the wrong type
                }
            }
        };
        if !out.environments.iter().any(|e| e.node == selected.0) {
            let names = out.environments.iter().map(|e| e.node.as_str());
            if let Some(help) = did_you_mean(&selected.0, names) {
                self.diags.push(CheckError::UnknownEnvironment {
                    name: selected.0.clone(),
                    what: "overlay named",
                    span: selected.1,
                    label: "selected here".into(),
                    help: Some(help),
                });
            }
        }
        Some(selected)
    }

    fn apply_overlay(&mut self, out: &mut Resolved, items: Collected) {
        if let Some(cluster) = out.cluster.as_mut() {
            if !items.clusters.is_empty() {
                out.cluster_base = Some(cluster.body.clone());
            }
            for c in &items.clusters {
                cluster.body.merge(&c.body);
            }
        }
        out.overlay_sections = items.sections;
        let hosts = self.hosts_with_templates(items.hosts, &out.templates);
        for h in hosts {
            match out.hosts.iter_mut().find(|b| b.name.node == h.name.node) {
                Some(base) => base.overlay = Some(h.body),
                None => out.hosts.push(h),
            }
        }
        for s in items.services {
            match out.services.iter_mut().find(|b| b.name.node == s.name.node) {
                Some(base) => base.body.merge(&s.body),
                None => out.services.push(s),
            }
        }
    }
}

/// An overlay that is not selected, kept as written for the checks.
fn unapplied(e: EnvDecl) -> Overlay {
    Overlay {
        name: e.name,
        clusters: e.items.clusters.into_iter().map(|c| c.body).collect(),
        sections: e.items.sections,
        hosts: (e.items.hosts.into_iter())
            .map(|(mut h, uses)| {
                h.uses = uses;
                h
            })
            .collect(),
        services: e.items.services,
    }
}

/// The line and column of the first syntax error of an imported file in
/// which no item parses before that error: text that is not MCL at all,
/// which reports must not quote.
fn not_mcl(
    file: &crate::span::SourceFile,
    ast: &ast::File,
    errors: &[syntax::ParseError],
) -> Option<(usize, usize)> {
    use miette::Diagnostic as _;
    let first = errors
        .iter()
        .filter_map(|e| e.labels().and_then(|mut l| l.next()).map(|l| l.offset()))
        .min()?;
    let base = file.base as usize;
    let before = |item: &ast::Item| (item.span().end as usize) <= first;
    if ast.items.iter().any(before) {
        return None;
    }
    let local = first.saturating_sub(base).min(file.text.len());
    let (line, column) = file.line_col(local as u32);
    Some((line + 1, column + 1))
}
