use super::*;

fn flag(program: Program, name: &str) -> &'static Flag {
    table(program)
        .get(name)
        .unwrap_or_else(|| panic!("{program} has no flag `{name}`"))
}

fn ok(program: Program, name: &str, value: &str) {
    if let Err(e) = check_value(program, flag(program, name), value) {
        panic!(
            "{program} --{name}={value:?} rejected: {} / {:?}",
            e.message, e.help
        );
    }
}

/// Asserts rejection and returns the error for further checks.
fn bad(program: Program, name: &str, value: &str) -> ValueError {
    match check_value(program, flag(program, name), value) {
        Ok(()) => panic!("{program} --{name}={value:?} accepted"),
        Err(e) => e,
    }
}

fn warnings(program: Program, name: &str, value: &str) -> Vec<ValueError> {
    check_value_with_warnings(program, flag(program, name), value)
        .unwrap_or_else(|e| panic!("{name}={value:?} rejected: {}", e.message))
}

fn help(e: &ValueError) -> &str {
    e.help.as_deref().unwrap_or("")
}

fn v(text: &str) -> Version {
    Version::parse(text).expect("test version")
}

// ---- tables ---------------------------------------------------------------

#[test]
fn every_row_parses() {
    for program in Program::ALL {
        if let Err(e) = FlagTable::parse(program, table_source(program)) {
            panic!("{e}");
        }
    }
}

#[test]
fn row_counts_match_the_reference_readme() {
    assert_eq!(table(Program::Master).len(), 88);
    assert_eq!(table(Program::Agent).len(), 183);
    assert_eq!(table(Program::Marathon).len(), 181);
    assert_eq!(table(Program::ZooKeeper).len(), 211);
}

#[test]
fn every_type_word_is_in_the_vocabulary_and_round_trips() {
    for program in Program::ALL {
        for line in table_source(program).lines().skip(1) {
            let raw = line.split('\t').nth(1).expect("type column");
            let ty = FlagType::parse(raw).unwrap_or_else(|| panic!("unknown type `{raw}`"));
            assert_eq!(ty.to_string(), raw);
        }
    }
    assert_eq!(FlagType::parse("duration_weeks"), None);
    assert_eq!(FlagType::parse("enum()"), None);
}

#[test]
fn aliases_and_replacements_name_real_flags() {
    for program in Program::ALL {
        let t = table(program);
        for f in t {
            match &f.status {
                Status::AliasOf(new) => {
                    let new = t.get(new).unwrap_or_else(|| panic!("alias target `{new}`"));
                    assert_eq!(new.status, Status::Current, "{} → {}", f.name, new.name);
                    assert_eq!(new.ty, f.ty, "alias {} changes type", f.name);
                }
                Status::Removed {
                    replacement: Some(r),
                    ..
                } => {
                    assert!(t.get(r).is_some(), "replacement `{r}` of `{}`", f.name);
                }
                _ => {}
            }
        }
    }
}

#[test]
fn secret_valued_settings_are_marked_and_their_file_forms_are_paths() {
    let mut marked = Vec::new();
    for program in Program::ALL {
        let t = table(program);
        for f in t {
            if let Some(instead) = f.secret() {
                marked.push(f.name);
                if let Some(k) = instead {
                    let file = t.get(k).unwrap_or_else(|| panic!("file form `{k}`"));
                    assert_eq!(file.ty, FlagType::Path, "{k}");
                }
            }
        }
    }
    marked.sort_unstable();
    // From the programs' documentation: Marathon's command-line reference,
    // ZooKeeper's administrator guide (authentication, TLS).
    assert_eq!(
        marked,
        [
            "DigestAuthenticationProvider.superDigest",
            "http_credentials",
            "mesos_authentication_secret",
            "metrics_datadog_api_key",
            "ssl.keyStore.password",
            "ssl.quorum.keyStore.password",
            "ssl.quorum.trustStore.password",
            "ssl.trustStore.password",
            "ssl_keystore_password",
        ]
    );
}

#[test]
fn status_forms_are_parsed() {
    assert_eq!(
        flag(Program::Master, "authenticate_slaves").status,
        Status::AliasOf("authenticate_agents")
    );
    assert_eq!(
        flag(Program::Agent, "docker_local_archives_dir").status,
        Status::Removed {
            version: v("0.27.0"),
            replacement: Some("docker_registry")
        }
    );
    assert_eq!(
        flag(Program::Agent, "checkpoint").status,
        Status::Removed {
            version: v("0.22.0"),
            replacement: None
        }
    );
    assert_eq!(
        flag(Program::Master, "roles").status,
        Status::Deprecated {
            since: Some(v("0.27.0")),
            hint: "use ACLs (implicit roles)"
        }
    );
    assert_eq!(
        flag(Program::Marathon, "metrics").status,
        Status::Deprecated {
            since: None,
            hint: "ignored"
        }
    );
    let election = flag(Program::ZooKeeper, "electionAlg");
    assert_eq!(election.status, Status::Current);
    assert_eq!(
        election.removed_values,
        Some(RemovedValues {
            values: vec!["1", "2"],
            version: v("3.6.0")
        })
    );
}

#[test]
fn tags_are_split_from_the_summary() {
    let burst = flag(Program::Agent, "egress_burst");
    assert_eq!(burst.build_option(), Some("--enable-port-mapping-isolator"));
    assert!(!burst.summary.starts_with('['));
    assert_eq!(flag(Program::Agent, "cgroups_root").tags, [Tag::Linux]);
    assert_eq!(flag(Program::Agent, "switch_user").tags, [Tag::NotWindows]);
    assert!(flag(Program::Marathon, "killsPerBatch").is_hidden());
    let tokens = flag(Program::ZooKeeper, "connectionMaxTokens");
    assert!(tokens.jvm_only());
    assert_eq!(
        tokens.system_property().as_deref(),
        Some("zookeeper.connection_throttle_tokens")
    );
    assert_eq!(
        flag(Program::ZooKeeper, "4lw.commands.whitelist")
            .system_property()
            .as_deref(),
        Some("zookeeper.4lw.commands.whitelist")
    );
    assert_eq!(
        flag(Program::ZooKeeper, "jute.maxbuffer")
            .system_property()
            .as_deref(),
        Some("jute.maxbuffer")
    );
    assert_eq!(flag(Program::ZooKeeper, "dataDir").system_property(), None);
    assert_eq!(flag(Program::ZooKeeper, "server.N").tags, [Tag::Dyn]);
}

#[test]
fn bad_rows_are_reported_with_their_line() {
    let header = "name\ttype\tdefault\trequired\tsince\tdeprecated\tsummary\n";
    let cases = [
        "a\tduration_weeks\t\tno\t1.0.0\t\tx",
        "a\tint\t\tmaybe\t1.0.0\t\tx",
        "a\tint\t\tno\tone\t\tx",
        "a\tint\t\tno\t1.0.0\tgone soon\tx",
        "a\tint\t\tno\t1.0.0\t\t[solaris] x",
        "a\tint\tno\t1.0.0\t\tx",
        "b\tint\t\tno\t1.0.0\t\tx\na\tint\t\tno\t1.0.0\t\tx",
    ];
    for row in cases {
        let text: &'static str = Box::leak(format!("{header}{row}\n").into_boxed_str());
        let err = FlagTable::parse(Program::Master, text).expect_err(row);
        assert!(err.line >= 2, "{err}");
    }
}

#[test]
fn names_are_found_exactly_and_zookeeper_numbered_keys_resolve() {
    let zk = table(Program::ZooKeeper);
    assert_eq!(zk.get("server.3").map(|f| f.name), Some("server.N"));
    assert_eq!(zk.get("group.12").map(|f| f.name), Some("group.N"));
    assert_eq!(zk.get("weight.1").map(|f| f.name), Some("weight.N"));
    assert_eq!(
        zk.get("authProvider.sasl").map(|f| f.name),
        Some("authProvider.N")
    );
    assert!(zk.get("server.x").is_none());
    assert!(zk.get("server.").is_none());
    assert!(zk.get("ticktime").is_none());
    assert!(table(Program::Master).get("WORK_DIR").is_none());
    assert_eq!(table(Program::Master).names().count(), 88);
}

#[test]
fn nearest_matches_case_and_underscore_variants() {
    let master = table(Program::Master);
    assert_eq!(master.nearest("workdir"), ["work_dir"]);
    assert_eq!(master.nearest("WORK_DIR"), ["work_dir"]);
    assert_eq!(master.nearest("--work-dir"), ["work_dir"]);
    assert_eq!(master.nearest("zk_sesion_timeout"), ["zk_session_timeout"]);
    assert_eq!(
        table(Program::Marathon).nearest("kills_per_batch"),
        ["killsPerBatch"]
    );
    assert!(master.nearest("frobnicate").is_empty());
    // Old aliases and removed flags are not suggested.
    assert!(
        !table(Program::Master)
            .nearest("authenticate_slave")
            .contains(&"authenticate_slaves")
    );
    assert_eq!(
        master.did_you_mean("quorm").as_deref(),
        Some("did you mean `quorum`?")
    );
}

#[test]
fn defaults_parse_as_their_type() {
    let computed = |d: &str| {
        d.is_empty()
            || d.contains(['<', '$', '(', '*', ' '])
            || d.contains("/3")
            || matches!(d, "cores" | "initLimit" | "jute.maxbuffer")
    };
    for program in Program::ALL {
        for f in table(program) {
            if computed(f.default) || f.ty == FlagType::Flag {
                continue;
            }
            if let Err(e) = check_value(program, f, f.default) {
                panic!(
                    "{program} {} default {:?}: {}",
                    f.name, f.default, e.message
                );
            }
        }
    }
}

// ---- versions -------------------------------------------------------------

#[test]
fn versions_parse_print_and_order() {
    let dev = v("1.12.0-dev");
    assert_eq!(dev.to_string(), "1.12.0-dev");
    assert_eq!(dev.pre.as_deref(), Some("dev"));
    assert!(dev.is_prerelease());
    assert_eq!(v("1.11"), Version::new(1, 11, 0));
    assert_eq!(v("v1.10.26"), Version::new(1, 10, 26));
    assert!(v("1.11.0") < v("1.12.0-dev"));
    assert!(v("1.12.0-dev") < v("1.12.0"));
    assert!(v("1.9.64") < v("1.10.0"));
    assert!(v("3.4.10") > v("3.4.9"));
    let mut list = [v("1.12.0"), v("1.12.0-dev"), v("0.28.2"), v("1.11.0")];
    list.sort();
    let printed: Vec<String> = list.iter().map(ToString::to_string).collect();
    assert_eq!(printed, ["0.28.2", "1.11.0", "1.12.0-dev", "1.12.0"]);
}

#[test]
fn junk_versions_are_rejected() {
    for junk in [
        "",
        "1",
        "1.2.3.4",
        "a.b.c",
        "1..2",
        "1.2.-3",
        "1.2.3-",
        "1.2.3-d ev",
        "99999999999.0.0",
        " 1.2.3",
    ] {
        assert!(Version::parse(junk).is_err(), "{junk:?} accepted");
    }
    let err = Version::parse("latest").expect_err("junk");
    assert!(
        err.to_string()
            .starts_with("`latest` is not a version number")
    );
}

// ---- version gating -------------------------------------------------------

#[test]
fn old_slave_names_are_aliases_once_the_new_name_exists() {
    let f = flag(Program::Master, "authenticate_slaves");
    let a = f.check_version(&v("1.11.0"));
    assert_eq!(
        a,
        Availability::Alias {
            new_name: "authenticate_agents"
        }
    );
    assert!(a.is_warning() && !a.is_error());
    let (msg, help) = a.describe(f, &v("1.11.0")).expect("a warning");
    assert_eq!(
        msg,
        "`authenticate_slaves` is a deprecated name of `authenticate_agents`"
    );
    assert_eq!(help.as_deref(), Some("use `authenticate_agents`"));
    // Before 1.0.0 the old spelling was the only one.
    assert_eq!(f.check_version(&v("0.28.0")), Availability::Available);
    assert_eq!(
        f.check_version(&v("0.18.0")),
        Availability::NotYet { since: v("0.19.0") }
    );
}

#[test]
fn master_branch_flags_are_in_no_release() {
    let f = flag(Program::Agent, "ingress_burst");
    let a = f.check_version(&v("1.11.0"));
    assert_eq!(
        a,
        Availability::NotYet {
            since: v("1.12.0-dev")
        }
    );
    assert!(a.is_error());
    let (msg, _) = a.describe(f, &v("1.11.0")).expect("an error");
    assert_eq!(msg, "`ingress_burst` is not in any Mesos release");
    assert_eq!(f.check_version(&v("1.12.0-dev")), Availability::Available);
    let newer = flag(Program::Master, "allocator_recovery_timeout");
    assert_eq!(
        newer.check_version(&v("1.10.0")),
        Availability::NotYet { since: v("1.11.0") }
    );
    assert_eq!(newer.check_version(&v("1.11.0")), Availability::Available);
}

#[test]
fn removed_and_deprecated_flags_depend_on_the_target() {
    let checkpoint = flag(Program::Agent, "checkpoint");
    assert_eq!(
        checkpoint.check_version(&v("0.21.0")),
        Availability::Available
    );
    assert_eq!(
        checkpoint.check_version(&v("1.0.0")),
        Availability::Removed {
            version: v("0.22.0"),
            replacement: None
        }
    );
    let roles = flag(Program::Master, "roles");
    assert_eq!(roles.check_version(&v("0.26.0")), Availability::Available);
    assert!(matches!(
        roles.check_version(&v("1.11.0")),
        Availability::Deprecated { .. }
    ));
    let dar = flag(Program::Marathon, "default_accepted_resource_roles");
    let a = dar.check_version(&v("1.10.0"));
    assert_eq!(
        a,
        Availability::Removed {
            version: v("1.10.0"),
            replacement: Some("accepted_resource_roles_default_behavior")
        }
    );
    let (msg, help) = a.describe(dar, &v("1.10.0")).expect("an error");
    assert_eq!(
        msg,
        "`default_accepted_resource_roles` was removed in marathon 1.10.0"
    );
    assert_eq!(
        help.as_deref(),
        Some("use `accepted_resource_roles_default_behavior` instead")
    );
    assert_eq!(dar.check_version(&v("1.9.0")), Availability::Available);
}

// ---- durations and bytes --------------------------------------------------

#[test]
fn mesos_durations_follow_stout() {
    for good in [
        "500ms", "10secs", "0.5secs", "5mins", "6hrs", "360days", "2weeks", ".5secs", "0ns",
        "1.5us",
    ] {
        ok(Program::Master, "allocation_interval", good);
    }
    assert_eq!(parse_mesos_duration("0.5secs"), Ok(500_000_000));
    assert_eq!(parse_mesos_duration("1.5us"), Ok(1_500));
    assert_eq!(
        parse_mesos_duration("2weeks"),
        Ok(14 * 24 * 3600 * NANOS_PER_SEC)
    );
}

#[test]
fn mesos_durations_reject_the_usual_mistakes_with_help() {
    let e = bad(Program::Master, "allocation_interval", "1sec");
    assert_eq!(e.message, "`1sec` is not a Mesos duration");
    assert_eq!(
        help(&e),
        "use one of ns, us, ms, secs, mins, hrs, days, weeks: `1secs`"
    );
    let cases = [
        ("10sec", "`10secs`"),
        ("10s", "`10secs`"),
        ("1min", "`1mins`"),
        ("2h", "`2hrs`"),
        ("1day", "`1days`"),
        ("10Secs", "`10secs`"),
        ("10 secs", "remove the space: `10secs`"),
        ("10", "add a unit"),
        ("-5secs", "cannot be negative"),
        ("1h30m", "`90mins`"),
        ("", "e.g. `10secs`"),
        ("secs", "e.g. `10secs`"),
        ("1.2.3secs", "e.g. `10secs`"),
        ("fast", "e.g. `10secs`"),
    ];
    for (input, expected) in cases {
        let e = parse_mesos_duration(input).expect_err(input);
        assert!(help(&e).contains(expected), "{input}: {:?}", e.help);
    }
    let huge = parse_mesos_duration("99999999999999999999weeks").expect_err("overflow");
    assert!(huge.help.is_some());
}

#[test]
fn durations_print_in_the_largest_exact_unit() {
    assert_eq!(format_mesos_duration(60 * NANOS_PER_SEC), "1mins");
    assert_eq!(format_mesos_duration(90 * NANOS_PER_SEC), "90secs");
    assert_eq!(format_mesos_duration(0), "0ns");
    assert_eq!(format_mesos_duration(1_500_000_000), "1500ms");
    assert_eq!(
        format_mesos_duration(7 * 24 * 3600 * NANOS_PER_SEC),
        "1weeks"
    );
    assert_eq!(format_mesos_duration(7), "7ns");
    for text in ["15secs", "10mins", "2weeks", "500ms"] {
        let nanos = parse_mesos_duration(text).expect("valid");
        assert_eq!(format_mesos_duration(nanos), text);
    }
}

#[test]
fn mesos_bytes_are_integers_with_a_unit() {
    for good in ["512MB", "2GB", "10mb", "1TB", "0B", "4KB"] {
        ok(Program::Agent, "fetcher_cache_size", good);
    }
    assert_eq!(parse_mesos_bytes("2GB"), Ok(2 << 30));
    assert_eq!(parse_mesos_bytes("10mb"), Ok(10 << 20));
    let cases = [
        ("1.5GB", "byte sizes are whole numbers: `1536MB`"),
        ("1GiB", "already powers of 1024: `1GB`"),
        ("1 GB", "remove the space: `1GB`"),
        ("10G", "`10GB`"),
        ("10", "add a unit"),
        ("-1GB", "cannot be negative"),
        ("1PB", "e.g. `512MB`"),
        ("0.3GB", "use a smaller unit"),
    ];
    for (input, expected) in cases {
        let e = parse_mesos_bytes(input).expect_err(input);
        assert_eq!(e.message, format!("`{input}` is not a Mesos byte size"));
        assert!(help(&e).contains(expected), "{input}: {:?}", e.help);
    }
    assert!(parse_mesos_bytes("99999999999TB").is_err());
    assert_eq!(format_mesos_bytes(1536 << 20), "1536MB");
    assert_eq!(format_mesos_bytes(0), "0B");
    assert_eq!(format_mesos_bytes(1023), "1023B");
    assert_eq!(format_mesos_bytes(1 << 40), "1TB");
}

#[test]
fn bytes_or_auto_takes_auto() {
    ok(Program::Agent, "egress_rate_per_cpu", "auto");
    ok(Program::Agent, "egress_rate_per_cpu", "10MB");
    let e = bad(Program::Agent, "egress_rate_per_cpu", "Auto");
    assert!(e.message.contains("neither `auto`"));
}

#[test]
fn plain_number_durations_convert_units_in_the_help() {
    let e = bad(Program::Marathon, "task_launch_timeout", "10secs");
    assert_eq!(e.message, "`10secs` is not a plain number of milliseconds");
    assert_eq!(
        help(&e),
        "Marathon durations are plain milliseconds: `10000`"
    );
    let e = bad(Program::Marathon, "failover_timeout", "1weeks");
    assert_eq!(
        help(&e),
        "Marathon durations here are plain seconds: `604800`"
    );
    let e = bad(Program::ZooKeeper, "tickTime", "2s");
    assert_eq!(
        help(&e),
        "ZooKeeper durations are plain milliseconds: `2000`"
    );
    let e = bad(Program::ZooKeeper, "autopurge.purgeInterval", "1days");
    assert_eq!(help(&e), "this duration is a plain number of hours: `24`");
    let e = bad(Program::ZooKeeper, "preAllocSize", "64MB");
    assert_eq!(help(&e), "this size is a plain number of KiB: `65536`");
    let e = bad(Program::Marathon, "zk_max_node_size", "1MB");
    assert_eq!(help(&e), "Marathon sizes here are plain bytes: `1048576`");
    let e = bad(Program::ZooKeeper, "initLimit", "10secs");
    assert!(help(&e).contains("ticks"));
    let e = bad(Program::Marathon, "task_launch_timeout", "-5");
    assert_eq!(help(&e), "it cannot be negative");
    ok(Program::Marathon, "task_launch_timeout", "300000");
    ok(Program::ZooKeeper, "connectionFreezeTime", "-1");
    ok(Program::ZooKeeper, "tickTime", " 2000 ");
}

// ---- resources, ranges, attributes ------------------------------------------

#[test]
fn resources_text_form() {
    ok(
        Program::Agent,
        "resources",
        "cpus:4;mem:8192;ports:[31000-32000]",
    );
    ok(
        Program::Agent,
        "resources",
        "cpus(analytics):2;disk(*):1000;ports:[1-5, 8-9]",
    );
    let parsed = parse_resources("cpus(web):4;mem:8192;ports:[31000-32000,33000-34000];gpus:1;");
    let parsed = parsed.expect("valid");
    assert_eq!(parsed.len(), 4);
    assert_eq!(parsed[0].role.as_deref(), Some("web"));
    assert_eq!(parsed[0].value, ResourceValue::Scalar(4.0));
    assert_eq!(
        parsed[2].value,
        ResourceValue::Ranges(vec![(31000, 32000), (33000, 34000)])
    );
    assert_eq!(
        format_resources(&parsed),
        "cpus(web):4;mem:8192;ports:[31000-32000,33000-34000];gpus:1"
    );
    let set = parse_resources("bugs:{a,b,c}").expect("a set");
    assert_eq!(
        set[0].value,
        ResourceValue::Set(vec!["a".into(), "b".into(), "c".into()])
    );
    assert_eq!(format_resources(&set), "bugs:{a,b,c}");
    // Unknown names are valid syntax; the caller warns.
    let cpu = parse_resources("cpu:4").expect("valid syntax");
    assert!(!KNOWN_RESOURCE_NAMES.contains(&cpu[0].name.as_str()));
}

#[test]
fn resources_text_form_errors() {
    let e = bad(Program::Agent, "resources", "ports:[5-10,8-12]");
    assert!(e.message.contains("overlap"), "{}", e.message);
    assert_eq!(help(&e), "merge them: `5-12`");
    let e = bad(Program::Agent, "resources", "cpus:four");
    assert_eq!(e.message, "`four` is not a valid value for resource `cpus`");
    let e = bad(Program::Agent, "resources", "mem:8GB");
    assert_eq!(help(&e), "`mem` is a plain number of MB: `8192`");
    let e = bad(Program::Agent, "resources", "ports:31000-32000");
    assert_eq!(help(&e), "wrap ranges in brackets: `[31000-32000]`");
    assert!(
        bad(Program::Agent, "resources", "cpus:4:5")
            .message
            .contains("extra `:`")
    );
    assert!(
        bad(Program::Agent, "resources", "cpus")
            .message
            .contains("missing")
    );
    assert!(
        bad(Program::Agent, "resources", "cpus:4;cpus:[1-2]")
            .message
            .contains("as a scalar and as ranges")
    );
    assert!(
        bad(Program::Agent, "resources", "cpus:-1")
            .message
            .contains("negative")
    );
    assert!(
        bad(Program::Agent, "resources", "cpus(web:4")
            .message
            .contains("unclosed")
    );
    assert!(
        bad(Program::Agent, "resources", "cpus():4")
            .message
            .contains("role")
    );
    assert!(
        bad(Program::Agent, "resources", "ports:[10-5]")
            .message
            .contains("ends before")
    );
    assert!(
        bad(Program::Agent, "resources", "ports:[1:5]")
            .help
            .is_some()
    );
}

#[test]
fn resources_json_form() {
    let json = r#"[{"name":"cpus","type":"SCALAR","scalar":{"value":4}},
                   {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},"role":"web"}]"#;
    let parsed = parse_resources(json).expect("valid JSON resources");
    assert_eq!(format_resources(&parsed), "cpus:4;ports(web):[31000-32000]");
    let overlap = r#"[{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":1,"end":9},{"begin":5,"end":12}]}}]"#;
    assert!(parse_resources(overlap).is_err());
    assert!(parse_resources(r#"{"name":"cpus"}"#).is_err());
    assert!(parse_resources(r#"[{"name":"cpus","type":"TEXT"}]"#).is_err());
    let volume = r#"[{"name":"disk","type":"SCALAR","scalar":{"value":1},"disk":{"persistence":{"id":"x"}}}]"#;
    assert!(
        parse_resources(volume)
            .expect_err("volume")
            .message
            .contains("persistent volume")
    );
    let dynamic = r#"[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"DYNAMIC","role":"r"}]}]"#;
    assert!(parse_resources(dynamic).is_err());
    let revocable = r#"[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"revocable":{}}]"#;
    assert!(parse_resources(revocable).is_err());
    ok(
        Program::Agent,
        "resources",
        "file:///etc/mesos/resources.json",
    );
}

#[test]
fn ranges_and_quantities() {
    assert_eq!(parse_ranges("[10000-20000]"), Ok(vec![(10000, 20000)]));
    assert_eq!(parse_ranges("[1-5,6-9]"), Ok(vec![(1, 5), (6, 9)]));
    assert!(parse_ranges("[5-1]").is_err());
    assert!(parse_ranges("[1-5,5-9]").is_err());
    assert!(parse_ranges("10000-20000").is_err());
    assert!(parse_ranges("[a-b]").is_err());
    assert!(parse_ranges("[5]").is_err());
    assert_eq!(format_ranges(&[(1, 2), (4, 8)]), "[1-2,4-8]");
    ok(Program::Agent, "volume_gid_range", "[10000-20000]");
    let q = parse_resource_quantities("disk:1|cpus:1;mem:32").expect("valid");
    assert_eq!(
        q,
        vec![
            vec![("disk".to_owned(), 1.0)],
            vec![("cpus".to_owned(), 1.0), ("mem".to_owned(), 32.0)]
        ]
    );
    ok(
        Program::Master,
        "min_allocatable_resources",
        "cpus:0.01|mem:32",
    );
    bad(Program::Master, "min_allocatable_resources", "cpus");
    bad(Program::Master, "min_allocatable_resources", "mem:-1");
    bad(Program::Master, "min_allocatable_resources", "ports:[1-2]");
}

#[test]
fn attributes_split_on_the_first_colon() {
    ok(Program::Agent, "attributes", "rack:r1;zone:us-east-1a");
    let attrs =
        parse_attributes("rack:2;slots:[1-4];url:http://x:8080\nzone:us east").expect("valid");
    assert_eq!(attrs[0].value, AttributeValue::Scalar(2.0));
    assert_eq!(attrs[1].value, AttributeValue::Ranges(vec![(1, 4)]));
    assert_eq!(attrs[2].value, AttributeValue::Text("http://x:8080".into()));
    assert_eq!(attrs[3].value, AttributeValue::Text("useast".into()));
    let e = bad(Program::Agent, "attributes", "k:{a,b}");
    assert_eq!(e.message, "attribute `k` cannot be a set");
    for wrong in [":v", "k:", "k", "k:a]", "k:a[1]", "k: "] {
        bad(Program::Agent, "attributes", wrong);
    }
}

// ---- addresses --------------------------------------------------------------

#[test]
fn zk_urls_differ_between_mesos_and_marathon() {
    for good in [
        "zk://h1:2181,h2:2181,h3:2181/mesos",
        "zk://h1:2181",
        "zk://user:pass@h1:2181/mesos",
        "zk://[::1]:2181/mesos",
        "zk://10.0.0.1:2181/a/b",
    ] {
        ok(Program::Master, "zk", good);
    }
    ok(Program::Master, "zk", "file:///etc/mesos/zk");
    assert_eq!(
        parse_zk_url(Program::Master, "zk://h1:2181").map(|u| u.path),
        Ok("/".to_owned())
    );
    let e = bad(Program::Master, "zk", "zk://h1/mesos");
    assert!(e.message.contains("has no port"), "{}", e.message);
    let e = bad(Program::Master, "zk", "zk://10.0.0.1/mesos");
    assert_eq!(help(&e), "write `10.0.0.1:2181`");
    bad(Program::Master, "zk", "zk://h1:2181/mesos/");
    bad(Program::Master, "zk", "zk://h1:2181//mesos");
    bad(Program::Master, "zk", "h1:2181/mesos");
    bad(Program::Master, "zk", "zk:///mesos");

    ok(Program::Marathon, "zk", "zk://h1:2181,h2:2181/marathon");
    ok(Program::Marathon, "zk", "zk://h1,h2/marathon");
    let url = parse_zk_url(Program::Marathon, "zk://u:p@h1,h2:2182/a/b").expect("valid");
    assert_eq!(
        url.servers,
        vec![("h1".to_owned(), None), ("h2".to_owned(), Some(2182))]
    );
    assert_eq!(url.credentials, Some(("u".to_owned(), "p".to_owned())));
    let e = bad(Program::Marathon, "zk", "zk://h1:2181");
    assert_eq!(e.message, "`zk://h1:2181` has no znode path");
    assert_eq!(help(&e), "Marathon needs one, e.g. `zk://h1:2181/marathon`");
    let e = bad(Program::Marathon, "zk", "zk://[::1]:2181/marathon");
    assert!(help(&e).contains("IPv6"));
    bad(Program::Marathon, "zk", "file:///etc/marathon/zk");
}

#[test]
fn master_urls_for_agents_and_marathon() {
    for good in [
        "10.0.0.1:5050",
        "master.example.com:5050",
        "master@10.0.0.1:5050",
        "zk://h1:2181/mesos",
        "file:///etc/mesos/zk",
    ] {
        ok(Program::Agent, "master", good);
    }
    bad(Program::Agent, "master", "10.0.0.1");
    bad(Program::Agent, "master", "http://10.0.0.1:5050");
    bad(Program::Agent, "master", "zk://h1/mesos");
    for good in [
        "http://m1:5050",
        "https://m1:5050",
        "zk://h1:2181,h2:2181/mesos",
    ] {
        assert!(
            warnings(Program::Marathon, "master", good).is_empty(),
            "{good}"
        );
    }
    let w = warnings(Program::Marathon, "master", "m1:5050");
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("deprecated"));
    bad(Program::Marathon, "master", "zk://h1/mesos");
    bad(Program::Marathon, "master", "zk://h1:2181");
    bad(Program::Marathon, "master", "file:///etc/mesos/zk");
}

#[test]
fn ips_hosts_and_ports() {
    ok(Program::Master, "ip", "10.0.0.1");
    let e = bad(Program::Master, "ip", "::1");
    assert!(help(&e).contains("ip6"));
    bad(Program::Master, "ip", "master1");
    bad(Program::Master, "ip", "10.0.0.256");
    ok(Program::Agent, "ip6", "2001:db8::1");
    let e = bad(Program::Agent, "ip6", "[2001:db8::1]");
    assert_eq!(help(&e), "remove the brackets: `2001:db8::1`");
    ok(Program::Master, "hostname", "master-01.example.com");
    ok(Program::Master, "hostname", "master-01.example.com.");
    assert!(help(&bad(Program::Master, "hostname", "my_host")).contains('_'));
    bad(Program::Master, "hostname", "10.0.0.256");
    bad(Program::Master, "hostname", "-bad");
    ok(Program::Marathon, "hostname", "10.0.0.11");
    ok(Program::Master, "hostname", "fd00::1");
    bad(Program::Master, "hostname", "http://x");
    ok(Program::Marathon, "http_address", "0.0.0.0");
    ok(Program::Marathon, "http_address", "::");
    ok(Program::Marathon, "http_address", "marathon.local");
    ok(Program::Master, "port", "5050");
    ok(Program::Master, "port", "0");
    assert_eq!(
        help(&bad(Program::Master, "port", "host:5050")),
        "give the port alone: `5050`"
    );
    bad(Program::Master, "port", "65536");
    bad(Program::Master, "port", "-1");
    bad(Program::Master, "advertise_port", "0");
    ok(Program::Master, "advertise_port", "1");
}

#[test]
fn urls_and_uris() {
    ok(
        Program::Marathon,
        "webui_url",
        "http://marathon.example.com:8080/ui",
    );
    ok(
        Program::Marathon,
        "webui_url",
        "https://user@[2001:db8::1]:8443",
    );
    bad(Program::Marathon, "webui_url", "marathon.example.com");
    bad(Program::Marathon, "webui_url", "http://");
    bad(Program::Marathon, "webui_url", "http://a b");
    ok(
        Program::Agent,
        "docker_registry",
        "https://registry-1.docker.io",
    );
    ok(Program::Agent, "docker_registry", "/var/lib/images");
    ok(
        Program::Marathon,
        "backup_location",
        "s3://bucket/key?region=eu-west-1",
    );
    ok(
        Program::Marathon,
        "backup_location",
        "file:///var/backups/marathon",
    );
    bad(Program::Marathon, "backup_location", "hdfs://x/y");
    ok(Program::Marathon, "logstash", "udp://logs:5000");
    bad(Program::Marathon, "logstash", "http://logs:5000");
    ok(Program::Marathon, "sentry", "https://key@sentry.io/1");
}

#[test]
fn zookeeper_server_and_group_lines() {
    for good in [
        "zk1:2888:3888",
        "zk1:2888:3888:observer",
        "zk1:2888:3888:Participant",
        "zk1:2888:3888;2181",
        "zk1:2888:3888:participant;0.0.0.0:2181",
        "[2001:db8::1]:2888:3888",
        "10.0.0.1:2888:3888",
    ] {
        ok(Program::ZooKeeper, "server.1", good);
    }
    let spec = parse_server_spec("zk1:2888:3888:observer;10.0.0.1:2181").expect("valid");
    assert_eq!(spec.addresses, vec![("zk1".to_owned(), 2888, 3888)]);
    assert_eq!(spec.role.as_deref(), Some("observer"));
    assert_eq!(spec.client, Some((Some("10.0.0.1".to_owned()), 2181)));
    let e = bad(Program::ZooKeeper, "server.1", "zk1:2888:2888");
    assert!(e.message.contains("both 2888"));
    for wrong in [
        "zk1:2888",
        "zk1:2888:3888:leader",
        "zk1:2888:3888;a;b",
        "zk1:x:3888",
        "zk_1:2888:3888",
        "zk1:2888:3888:observer:x",
    ] {
        bad(Program::ZooKeeper, "server.1", wrong);
    }
    let w = warnings(
        Program::ZooKeeper,
        "server.1",
        "zk1:2888:3888|zk1b:2888:3888",
    );
    assert!(w[0].message.contains("multiAddress.enabled"));
    assert_eq!(parse_group_spec("1:2:3"), Ok(vec![1, 2, 3]));
    bad(Program::ZooKeeper, "group.1", "1:1");
    bad(Program::ZooKeeper, "group.1", "a:b");
    bad(Program::ZooKeeper, "group.1", "");
}

// ---- other types ------------------------------------------------------------

#[test]
fn booleans_per_program() {
    for good in ["true", "false", "1", "0", ""] {
        ok(Program::Master, "quiet", good);
    }
    assert_eq!(
        help(&bad(Program::Master, "quiet", "True")),
        "Mesos booleans are lower case: `true`"
    );
    assert_eq!(help(&bad(Program::Master, "quiet", "yes")), "use `true`");
    for good in ["true", "FALSE", "True"] {
        ok(Program::ZooKeeper, "sslQuorum", good);
    }
    bad(Program::ZooKeeper, "sslQuorum", "yes");
    bad(Program::ZooKeeper, "sslQuorum", "1");
}

#[test]
fn marathon_switches_take_no_value() {
    ok(Program::Marathon, "disable_ha", "");
    ok(Program::Marathon, "ha", "true");
    let e = bad(Program::Marathon, "ha", "false");
    assert_eq!(help(&e), "turn it off with `disable_ha`");
    let e = bad(Program::Marathon, "disable_ha", "false");
    assert_eq!(help(&e), "to keep `ha` on, leave `disable_ha` out");
    let e = bad(Program::Marathon, "disable_http", "false");
    assert!(help(&e).contains("leave"));
    bad(Program::Marathon, "ha", "1");
    let e = bad(Program::Marathon, "mesos_role", "");
    assert!(help(&e).contains("MARATHON_MESOS_ROLE"));
}

#[test]
fn integers_and_floats() {
    ok(Program::Master, "logbufsecs", "-1");
    ok(Program::Master, "max_completed_frameworks", "50");
    assert_eq!(
        help(&bad(Program::Master, "max_completed_frameworks", "-1")),
        "it cannot be negative"
    );
    bad(Program::Master, "logbufsecs", "2147483648");
    ok(Program::Master, "logbufsecs", "2147483647");
    assert!(help(&bad(Program::Master, "logbufsecs", "10secs")).contains("without unit"));
    bad(Program::Master, "logbufsecs", " 1");
    bad(Program::Master, "logbufsecs", "1.0");
    ok(
        Program::Marathon,
        "metrics_histogram_reservoir_highest_trackable_value",
        "3600000000000",
    );
    ok(Program::Master, "allocator_agent_recovery_factor", "0.8");
    ok(Program::Agent, "gc_disk_headroom", "1");
    bad(Program::Master, "allocator_agent_recovery_factor", "nan");
    bad(Program::Master, "allocator_agent_recovery_factor", "inf");
    ok(Program::Agent, "nvidia_gpu_devices", "0,1,2");
    bad(Program::Agent, "nvidia_gpu_devices", "0,a");
}

#[test]
fn enums_lists_and_json() {
    let e = bad(Program::Master, "logging_level", "info");
    assert_eq!(help(&e), "did you mean `INFO`?");
    ok(Program::Master, "framework_sorter", "drf");
    ok(
        Program::Marathon,
        "accepted_resource_roles_default_behavior",
        "UNRESERVED",
    );
    bad(Program::Marathon, "gpu_scheduling_behavior", "Restricted");
    let e = bad(Program::Marathon, "gpu_scheduling_behavior", "undefined");
    assert!(help(&e).contains("removed in Marathon 1.9"));
    let e = bad(Program::ZooKeeper, "electionAlg", "1");
    assert_eq!(e.message, "`electionAlg=1` was removed in ZooKeeper 3.6.0");
    assert_eq!(help(&e), "use `3`");
    ok(Program::ZooKeeper, "electionAlg", "3");
    let e = bad(Program::ZooKeeper, "forceSync", "false");
    assert!(help(&e).contains("read as `yes`"));
    let e = bad(Program::ZooKeeper, "skipACL", "true");
    assert!(help(&e).contains("read as `no`"));
    ok(Program::ZooKeeper, "snapshot.compression.method", "");
    ok(Program::ZooKeeper, "snapshot.compression.method", "gz");

    ok(Program::Marathon, "enable_features", "vips,secrets");
    assert_eq!(
        help(&bad(Program::Marathon, "enable_features", "vip")),
        "did you mean `vips`?"
    );
    ok(Program::Master, "http_authenticators", "basic");
    let e = bad(Program::Agent, "isolation", "cgroups/cpu, cgroups/mem");
    assert!(help(&e).contains("`cgroups/cpu,cgroups/mem`"));
    ok(Program::ZooKeeper, "ssl.ciphersuites", "A, B");

    ok(Program::Master, "acls", r#"{"permissive": true}"#);
    ok(Program::Master, "acls", "file:///etc/mesos/acls.json");
    let w = warnings(Program::Master, "acls", "/etc/mesos/acls.json");
    assert_eq!(help(&w[0]), "write `file:///etc/mesos/acls.json`");
    assert!(
        bad(Program::Master, "acls", "{bad")
            .message
            .contains("not valid JSON")
    );
    assert!(
        bad(Program::Master, "acls", "[1]")
            .message
            .contains("JSON object")
    );
}

#[test]
fn rates_percentages_weights_and_handles() {
    ok(Program::Master, "agent_removal_rate_limit", "1/10mins");
    ok(Program::Master, "slave_removal_rate_limit", "5/1hrs");
    assert!(
        help(&bad(Program::Master, "agent_removal_rate_limit", "1/10min")).contains("`10mins`")
    );
    bad(Program::Master, "agent_removal_rate_limit", "0/1secs");
    bad(Program::Master, "agent_removal_rate_limit", "10mins");
    ok(Program::Master, "recovery_agent_removal_limit", "100%");
    ok(Program::Master, "recovery_agent_removal_limit", "50.5%");
    bad(Program::Master, "recovery_agent_removal_limit", "101%");
    assert_eq!(
        help(&bad(Program::Master, "recovery_agent_removal_limit", "50")),
        "add `%`: `50%`"
    );
    ok(Program::Master, "weights", "analytics=2,web=0.5");
    bad(Program::Master, "weights", "web=0");
    bad(Program::Master, "weights", "web");
    ok(Program::Agent, "cgroups_net_cls_primary_handle", "0xAAAA");
    bad(Program::Agent, "cgroups_net_cls_primary_handle", "0x0");
    bad(Program::Agent, "cgroups_net_cls_primary_handle", "0x10000");
    assert_eq!(
        help(&bad(
            Program::Agent,
            "cgroups_net_cls_primary_handle",
            "43690"
        )),
        "write it in hex: `0xaaaa`"
    );
    ok(
        Program::Agent,
        "cgroups_net_cls_secondary_handles",
        "0xAAAA,0xBBBB",
    );
    bad(
        Program::Agent,
        "cgroups_net_cls_secondary_handles",
        "0xBBBB,0xAAAA",
    );
    ok(
        Program::ZooKeeper,
        "authProvider.1",
        "org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
    );
    bad(
        Program::ZooKeeper,
        "authProvider.1",
        "SASLAuthenticationProvider",
    );
}

#[test]
fn paths_and_the_file_url_trap() {
    ok(Program::Master, "work_dir", "/var/lib/mesos");
    let e = bad(Program::Master, "work_dir", "file:///var/lib/mesos");
    assert!(e.message.contains("would read the path from inside file"));
    assert!(help(&e).ends_with("write the path itself: `/var/lib/mesos`"));
    for path_typed in ["credentials", "whitelist"] {
        ok(Program::Master, path_typed, "file:///etc/mesos/credentials");
    }
    ok(Program::Agent, "credential", "file:///etc/mesos/credential");
    ok(Program::Agent, "http_credentials", "file:///etc/mesos/http");
    ok(Program::Agent, "jwt_secret_key", "file:///etc/mesos/jwt");
    // Other Mesos types read `file://` values from the file.
    ok(Program::Master, "cluster", "file:///etc/mesos/cluster");
    ok(Program::Master, "quorum", "file:///etc/mesos/quorum");
    bad(Program::Master, "quorum", "file://");
    bad(Program::ZooKeeper, "dataDir", "file:///var/lib/zookeeper");
    bad(Program::Master, "work_dir", "~/mesos");
    bad(Program::Master, "work_dir", "");
    let w = warnings(Program::Master, "work_dir", "var/lib/mesos");
    assert!(w[0].message.contains("relative"));
    assert!(warnings(Program::Agent, "docker", "docker").is_empty());
    ok(
        Program::Agent,
        "network_cni_plugins_dir",
        "/usr/lib/cni:/opt/cni/bin",
    );
    bad(
        Program::Agent,
        "network_cni_plugins_dir",
        "/usr/lib/cni::/opt",
    );
}

#[test]
fn flag_specific_limits() {
    ok(Program::Master, "agent_ping_timeout", "30secs");
    bad(Program::Master, "agent_ping_timeout", "20mins");
    bad(Program::Master, "agent_ping_timeout", "500ms");
    bad(Program::Master, "slave_ping_timeout", "20mins");
    bad(Program::Master, "agent_reregister_timeout", "5mins");
    ok(Program::Master, "agent_reregister_timeout", "10mins");
    bad(Program::Master, "max_agent_ping_timeouts", "0");
    bad(Program::Master, "offer_timeout", "0secs");
    bad(Program::Master, "quorum", "0");
    assert!(
        bad(Program::Master, "registry_strict", "true")
            .message
            .contains("exit")
    );
    ok(Program::Master, "registry_strict", "false");
    let w = warnings(Program::Master, "registry", "log_storage");
    assert!(w[0].message.contains("legacy"));
    bad(Program::Master, "authenticators", "crammd5,other");
    bad(Program::Agent, "registration_backoff_factor", "1mins");
    bad(Program::Agent, "executor_reregistration_timeout", "20secs");
    bad(Program::Agent, "gc_disk_headroom", "1.5");
    bad(
        Program::Agent,
        "domain_socket_location",
        &format!("/{}", "a".repeat(110)),
    );
    ok(Program::Agent, "domain_socket_location", "systemd:agent");
    let e = bad(
        Program::Agent,
        "executor_environment_variables",
        r#"{"A":1}"#,
    );
    assert!(e.message.contains("`A` must be a string"));
    ok(
        Program::Agent,
        "executor_environment_variables",
        r#"{"PATH":"/bin"}"#,
    );
    let features = |types: &[&str]| {
        let caps: Vec<String> = types
            .iter()
            .map(|t| format!(r#"{{"type":"{t}"}}"#))
            .collect();
        format!(r#"{{"capabilities":[{}]}}"#, caps.join(","))
    };
    ok(
        Program::Agent,
        "agent_features",
        &features(&MANDATORY_AGENT_FEATURES),
    );
    bad(Program::Agent, "agent_features", &features(&["MULTI_ROLE"]));
    ok(
        Program::Agent,
        "isolation",
        "cgroups/cpu,cgroups/mem,filesystem/linux",
    );
    assert!(
        help(&bad(Program::Agent, "isolation", "cgroups/cpuu"))
            .starts_with("did you mean `cgroups/cpu`")
    );
    bad(Program::Agent, "isolation", "magic/isolator");
    assert!(
        warnings(
            Program::Agent,
            "isolation",
            "posix/cpu,com_example_MyIsolator"
        )[0]
        .message
        .contains("built-in")
    );
    assert_eq!(
        help(&bad(Program::Agent, "containerizers", "mesos,dockr")),
        "did you mean `docker`?"
    );
    bad(Program::Agent, "ephemeral_ports_per_container", "1000");
    ok(Program::Agent, "ephemeral_ports_per_container", "1024");
    bad(Program::Marathon, "http_credentials", "admin");
    bad(
        Program::Marathon,
        "metrics_histogram_reservoir_significant_digits",
        "6",
    );
    bad(
        Program::Marathon,
        "metrics_histogram_reservoir_resetting_chunks",
        "1",
    );
    bad(Program::ZooKeeper, "tickTime", "0");
    assert!(
        warnings(Program::ZooKeeper, "autopurge.snapRetainCount", "2")[0]
            .message
            .contains("raises")
    );
    assert!(
        warnings(
            Program::ZooKeeper,
            "4lw.commands.whitelist",
            "srvr, ruok,mntr"
        )
        .is_empty()
    );
    assert!(warnings(Program::ZooKeeper, "4lw.commands.whitelist", "*").is_empty());
    let w = warnings(Program::ZooKeeper, "4lw.commands.whitelist", "ruk");
    assert_eq!(help(&w[0]), "did you mean `ruok`?");
}

// ---- environment ------------------------------------------------------------

#[test]
fn every_mesos_flag_round_trips_through_its_env_var() {
    for program in [Program::Master, Program::Agent] {
        for f in table(program) {
            let var = env_var(program, f.name).expect("every Mesos flag has a variable");
            assert!(
                var.starts_with("MESOS_") && var == var.to_ascii_uppercase(),
                "{var}"
            );
            assert_eq!(flag_from_env(program, &var).map(|g| g.name), Some(f.name));
        }
    }
    assert_eq!(
        env_var(Program::Master, "work_dir").as_deref(),
        Some("MESOS_WORK_DIR")
    );
    assert_eq!(
        flag_from_env(Program::Agent, "MESOS_work_dir").map(|f| f.name),
        Some("work_dir")
    );
    assert!(flag_from_env(Program::Agent, "MESOS_WORKDIR").is_none());
    assert!(flag_from_env(Program::Agent, "WORK_DIR").is_none());
}

#[test]
fn marathon_env_vars_skip_app_and_camel_case_options() {
    assert_eq!(
        env_var(Program::Marathon, "zk").as_deref(),
        Some("MARATHON_ZK")
    );
    assert_eq!(
        env_var(Program::Marathon, "app_info_module_execution_context_size"),
        None
    );
    assert_eq!(env_var(Program::Marathon, "killsPerBatch"), None);
    assert!(flag_from_env(Program::Marathon, "MARATHON_KILLSPERBATCH").is_none());
    assert!(
        flag_from_env(
            Program::Marathon,
            "MARATHON_APP_INFO_MODULE_EXECUTION_CONTEXT_SIZE"
        )
        .is_none()
    );
    let mut unreachable = Vec::new();
    for f in table(Program::Marathon) {
        match env_var(Program::Marathon, f.name) {
            Some(var) => assert_eq!(
                flag_from_env(Program::Marathon, &var).map(|g| g.name),
                Some(f.name)
            ),
            None => unreachable.push(f.name),
        }
    }
    assert_eq!(
        unreachable,
        [
            "app_info_module_execution_context_size",
            "killBatchDuration",
            "killsPerBatch"
        ]
    );
    assert_eq!(env_var(Program::ZooKeeper, "tickTime"), None);
    assert!(flag_from_env(Program::ZooKeeper, "ZOO_TICKTIME").is_none());
}

#[test]
fn libprocess_variables() {
    assert_eq!(
        libprocess_var("LIBPROCESS_PORT"),
        Some(LibprocessVar::Current { ssl: false })
    );
    assert_eq!(
        libprocess_var("LIBPROCESS_SSL_ENABLED"),
        Some(LibprocessVar::Current { ssl: true })
    );
    assert_eq!(
        libprocess_var("SSL_ENABLED"),
        Some(LibprocessVar::Deprecated {
            replacement: "LIBPROCESS_SSL_ENABLED".into()
        })
    );
    assert_eq!(
        libprocess_var("LIBPROCESS_SSL_VERIFY_CERT"),
        Some(LibprocessVar::Deprecated {
            replacement: "LIBPROCESS_SSL_VERIFY_SERVER_CERT".into()
        })
    );
    assert_eq!(libprocess_var("LIBPROCESS_HOSTNAME"), None);
    assert!(check_libprocess_value("LIBPROCESS_IP", "10.0.0.1").is_ok());
    assert!(check_libprocess_value("LIBPROCESS_IP", "::1").is_err());
    assert!(check_libprocess_value("LIBPROCESS_ADVERTISE_PORT", "0").is_err());
    assert!(check_libprocess_value("LIBPROCESS_NUM_WORKER_THREADS", "0").is_err());
    assert!(check_libprocess_value("LIBPROCESS_NUM_WORKER_THREADS", "8").is_ok());
    assert!(
        check_libprocess_value("LIBPROCESS_METRICS_SNAPSHOT_ENDPOINT_RATE_LIMIT", "2/1secs")
            .is_ok()
    );
    assert!(check_libprocess_value("SSL_ENABLED", "true").is_ok());
    let e = check_libprocess_value("LIBPROCESS_ADVERTISE_PROT", "5050").expect_err("typo");
    assert!(help(&e).starts_with("did you mean `LIBPROCESS_ADVERTISE_PORT`"));
}

// ---- derived flags and constants --------------------------------------------

#[test]
fn derived_flags_point_at_mcl_settings() {
    let derived_setting = |p, n| derived_setting(p, n, &Role::name);
    assert_eq!(
        derived_setting(Program::Master, "work_dir").as_deref(),
        Some("the `work_dir` setting of the `leader` block")
    );
    // In the user's words: a file that writes `master` and `agent`.
    let aliased = |r: Role| match r {
        Role::Leader => "master",
        Role::Follower => "agent",
        other => other.name(),
    };
    assert_eq!(
        super::derived_setting(Program::Agent, "work_dir", &aliased).as_deref(),
        Some("the `work_dir` setting of the `agent` block")
    );
    assert_eq!(
        super::derived_setting(Program::Marathon, "master", &aliased).as_deref(),
        Some("the `master` hosts and the `zookeeper` block")
    );
    assert_eq!(
        derived_setting(Program::Master, "authenticate_slaves"),
        derived_setting(Program::Master, "authenticate_agents")
    );
    assert!(derived_setting(Program::ZooKeeper, "server.3").is_some());
    assert!(derived_setting(Program::Agent, "master").is_some());
    assert!(derived_setting(Program::Marathon, "zk").is_some());
    assert_eq!(derived_setting(Program::Master, "hostname"), None);
    assert_eq!(derived_setting(Program::Agent, "resources"), None);
    for d in DERIVED {
        // Every placeholder is a role's name (a typo would reach the user).
        let placeholders = (d.setting.split('{').skip(1))
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
            .count();
        let roles = Role::ALL
            .iter()
            .map(|r| d.setting.matches(&format!("{{{}}}", r.name())).count());
        assert_eq!(placeholders, roles.sum::<usize>(), "{}", d.setting);
    }
    for d in DERIVED {
        let f = table(d.program)
            .get(d.flag)
            .unwrap_or_else(|| panic!("{} {}", d.program, d.flag));
        assert_eq!(f.status, Status::Current, "{}", d.flag);
    }
}

#[test]
fn constants_are_consistent_with_the_tables() {
    assert_eq!(
        flag(Program::Master, "port").default,
        MESOS_MASTER_PORT.to_string()
    );
    assert_eq!(
        flag(Program::Agent, "port").default,
        MESOS_AGENT_PORT.to_string()
    );
    assert_eq!(
        flag(Program::Marathon, "http_port").default,
        MARATHON_HTTP_PORT.to_string()
    );
    assert_eq!(
        flag(Program::Marathon, "https_port").default,
        MARATHON_HTTPS_PORT.to_string()
    );
    assert_eq!(
        flag(Program::Marathon, "local_port_min").default,
        MARATHON_SERVICE_PORTS.0.to_string()
    );
    assert_eq!(
        flag(Program::Marathon, "local_port_max").default,
        MARATHON_SERVICE_PORTS.1.to_string()
    );
    assert_eq!(
        flag(Program::ZooKeeper, "admin.serverPort").default,
        ZK_ADMIN_PORT.to_string()
    );
    assert_eq!(
        flag(Program::ZooKeeper, "metricsProvider.httpPort").default,
        ZK_METRICS_PORT.to_string()
    );
    assert_eq!(
        (ZK_CLIENT_PORT, ZK_QUORUM_PORT, ZK_ELECTION_PORT),
        (2181, 2888, 3888)
    );
    assert_eq!(AGENT_TASK_PORTS, (31000, 32000));
    let mut isolators = ISOLATORS.to_vec();
    isolators.sort_unstable();
    isolators.dedup();
    assert_eq!(isolators.len(), ISOLATORS.len());
    assert_eq!(Program::Agent.name(), "mesos-agent");
    assert_eq!(Program::Marathon.env_prefix(), Some("MARATHON_"));
    assert_eq!(Program::ZooKeeper.env_prefix(), None);
}

// ---- robustness -------------------------------------------------------------

#[test]
fn no_value_makes_any_check_panic() {
    let nasty = [
        "",
        " ",
        "\0",
        "é",
        "🙂",
        "[",
        "]",
        "{",
        "}",
        "(",
        ")",
        ":",
        ";",
        "|",
        ",",
        "-",
        ".",
        "%",
        "/",
        "0x",
        "file://",
        "zk://",
        "zk://@",
        "zk:///",
        "zk://:@",
        "zk://a:b@",
        "[]",
        "[-]",
        "[1-]",
        "[-1]",
        "a:b:c",
        "[::1]",
        "[::1",
        "master@",
        "http://",
        "http://[",
        "0x",
        "1/",
        "/1secs",
        "=",
        "a=",
        "=1",
        ",,",
        "99999999999999999999999999999999999999999secs",
        "1e309",
        "-0",
        "1.",
        ".",
        "..",
        "1..2ms",
        "18446744073709551616",
        "-9223372036854775809",
        "170141183460469231731687303715884105728",
        "µs",
        "1µs",
        "1 µ",
        "{a,{b}}",
        "x:[1-2",
        "cpus(:1",
        "cpus)(:1",
        "a:1;;b:2",
        "\n",
        "k:v\n\n",
        "1h30",
        "1.5.GB",
        "1.5",
        "0.0000000000000000000000000000000000001GB",
        "zk://h:99999/x",
        "[1]:2:3",
        "[::1]:2888",
        "a|b",
        ";",
        "1:2:",
        "0x,0x",
        "%%",
        "1/0ns",
    ];
    for program in Program::ALL {
        for f in table(program) {
            for value in nasty {
                let _ = check_value_with_warnings(program, f, value);
            }
        }
    }
    for value in nasty {
        let _ = parse_mesos_duration(value);
        let _ = parse_mesos_bytes(value);
        let _ = parse_resources(value);
        let _ = parse_attributes(value);
        let _ = parse_ranges(value);
        let _ = parse_server_spec(value);
        let _ = Version::parse(value);
        let _ = check_libprocess_value(value, value);
        for program in Program::ALL {
            let _ = table(program).nearest(value);
            let _ = flag_from_env(program, value);
            let _ = env_var(program, value);
        }
    }
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        // No regression files: the crate keeps its tests in the sources.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn checks_never_panic(value in ".{0,40}", pick in 0usize..700) {
            let flags: Vec<(Program, &Flag)> = Program::ALL
                .iter()
                .flat_map(|p| table(*p).iter().map(move |f| (*p, f)))
                .collect();
            let (program, f) = flags[pick % flags.len()];
            let _ = check_value_with_warnings(program, f, &value);
            let _ = parse_resources(&value);
            let _ = parse_mesos_duration(&value);
        }

        #[test]
        fn durations_round_trip(n in 0u64..15_000, unit in 0usize..8) {
            let (name, scale) = DURATION_UNITS[unit];
            let nanos = u128::from(n) * scale;
            let text = format!("{n}{name}");
            prop_assert_eq!(parse_mesos_duration(&text), Ok(nanos));
            prop_assert_eq!(parse_mesos_duration(&format_mesos_duration(nanos)), Ok(nanos));
        }

        #[test]
        fn resources_round_trip(cpus in 0u32..1000, lo in 0u64..50_000, len in 0u64..1000) {
            let text = format!("cpus:{cpus};ports:[{lo}-{}]", lo + len);
            let parsed = parse_resources(&text).expect("valid");
            prop_assert_eq!(format_resources(&parsed), text);
        }
    }
}
