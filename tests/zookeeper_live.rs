//! A real ZooKeeper ensemble from what mesosc writes.
//!
//! `examples/zk-loopback.mcl` puts three ZooKeeper servers on 127.0.0.11,
//! .12 and .13 (the same ports on each, as on three real hosts) and an
//! observer on 127.0.0.15. This test
//! builds it and starts each server exactly as its generated
//! `zookeeper.service` says (the `ExecStart=` words: java, `-cp`, the main
//! class, the zoo.cfg path), on Debian's `zookeeper` package, with the host's
//! generated files (zoo.cfg, myid) placed under a temporary root and every
//! absolute path of the host rewritten into it (the zoo.cfg path on the
//! command line, `dataDir` in zoo.cfg; myid stays where the build put it, so
//! it must be in the `dataDir` zoo.cfg names). Only small heaps are added.
//!
//! Then, every wait bounded: one leader and two followers (`srvr`, which the
//! generated `4lw.commands.whitelist` allows); a znode written through one
//! server with ZooKeeper's own CLI and read back through another; the leader
//! killed and a new quorum elected, the znode still there; the observer
//! (`srvr` says `Mode: observer`, and it serves the znode too) stopped as well,
//! and the two voters left still serving (a voting observer would have made
//! that two of four, a lost quorum); a second voter killed and the last one no
//! longer serving. Every JVM it started is
//! stopped by a guard, also when an assertion fails, and checked gone.
//!
//! Only loopback addresses are used; the AdminServer must be off. A missing
//! `java` or ZooKeeper jar fails the test (CI installs them): run
//! `scripts/install-test-deps`.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use support::unit::{self, UnitFile};
use support::{INSTALL_HINT, proc};

/// Added right after `java`: small heaps and quick start-up (the unit itself
/// leaves the JVM its defaults, sized for a real host).
const SERVER_JVM: [&str; 6] = [
    "-Xms32m",
    "-Xmx128m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-Dzookeeper.jmx.log4j.disable=true",
];
const CLIENT_JVM: [&str; 4] = [
    "-Xmx64m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
];
const CLIENT_MAIN: &str = "org.apache.zookeeper.ZooKeeperMain";
const SERVER_MAIN: &str = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

/// One server as the build describes it, relocated under the test's root.
struct Server {
    host: String,
    id: u64,
    client: SocketAddr,
    /// Every address:port it binds (client, quorum, election).
    binds: Vec<SocketAddr>,
    /// java, then its arguments, relocated.
    argv: Vec<String>,
    classpath: String,
    log: PathBuf,
}

/// The JVMs started, stopped on drop: SIGTERM, a grace period, then SIGKILL.
struct Ensemble {
    children: BTreeMap<u64, Child>,
    pids: Vec<u32>,
}

impl Ensemble {
    /// Crashes one server (SIGKILL) and reaps it.
    fn kill(&mut self, id: u64) {
        if let Some(mut c) = self.children.remove(&id) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn stop_all(&mut self) {
        for c in self.children.values() {
            // The shell's own `kill` (procps may be absent; std only sends SIGKILL).
            let _ = Command::new("/bin/sh")
                .args(["-c", &format!("kill -TERM {}", c.id())])
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            self.children
                .retain(|_, c| c.try_wait().ok().flatten().is_none());
            if self.children.is_empty() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        for (_, mut c) in std::mem::take(&mut self.children) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Ensemble {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// True when a ZooKeeper JVM with this PID still exists.
fn alive(pid: u32) -> bool {
    fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|c| String::from_utf8_lossy(&c).contains(SERVER_MAIN))
}

/// Sends a four-letter word; `None` when the server does not answer.
fn four_letter(addr: SocketAddr, word: &str) -> Option<String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.set_write_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(word.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

/// `leader`, `follower`, `standalone`; `None` when not serving.
fn mode(addr: SocketAddr) -> Option<String> {
    let answer = four_letter(addr, "srvr")?;
    answer
        .lines()
        .find_map(|l| l.strip_prefix("Mode: "))
        .map(str::to_owned)
}

/// Waits until the live servers in `ids` are one leader and the rest
/// followers; returns the leader's id.
fn wait_for_quorum(servers: &[Server], ids: &[u64], limit: Duration) -> Result<u64, String> {
    let start = Instant::now();
    let mut last = BTreeMap::new();
    while start.elapsed() < limit {
        last = servers
            .iter()
            .filter(|s| ids.contains(&s.id))
            .map(|s| (s.id, mode(s.client)))
            .collect::<BTreeMap<_, _>>();
        let leaders: Vec<u64> = last
            .iter()
            .filter(|(_, m)| m.as_deref() == Some("leader"))
            .map(|(id, _)| *id)
            .collect();
        let followers = last
            .values()
            .filter(|m| m.as_deref() == Some("follower"))
            .count();
        if leaders.len() == 1 && followers == ids.len() - 1 {
            return Ok(leaders[0]);
        }
        sleep(Duration::from_millis(100));
    }
    Err(format!(
        "no quorum of {ids:?} within {limit:?}; modes: {last:?}\n{}",
        logs(servers)
    ))
}

fn logs(servers: &[Server]) -> String {
    servers
        .iter()
        .map(|s| {
            let text = fs::read_to_string(&s.log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(15).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!(
                "--- {} (server {}) log tail:\n{}",
                s.host,
                s.id,
                tail.join("\n")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs ZooKeeper's CLI against one server.
fn cli(server: &Server, java: &str, args: &[&str]) -> proc::Ran {
    proc::run(
        Command::new(java)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .args(CLIENT_JVM)
            .args(["-cp", &server.classpath, CLIENT_MAIN, "-server"])
            .arg(server.client.to_string())
            .args(args),
        Duration::from_secs(30),
    )
}

/// A path of the host, under the host's temporary root; software the
/// packages install (`/usr/…`) stays where it is.
fn relocate(root: &Path, path: &str) -> String {
    if path.starts_with("/usr/") {
        path.to_owned()
    } else {
        root.join(path.trim_start_matches('/'))
            .to_string_lossy()
            .into_owned()
    }
}

/// Lays out each ZooKeeper host of the build under `base` and returns how
/// to start it.
fn servers(base: &Path) -> Vec<Server> {
    let build = support::build_example("zk-loopback");
    let mut out = Vec::new();
    for host in build.hosts() {
        let files = build.host_files(host);
        let Some(unit) = files.get("/etc/systemd/system/zookeeper.service") else {
            continue;
        };
        let root = base.join(host);
        for (path, entry) in &files {
            let target = root.join(path.trim_start_matches('/'));
            fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            fs::write(&target, &entry.content).expect("write");
        }
        let parsed = UnitFile::parse(&unit.content).expect("zookeeper.service parses");
        let exec = parsed
            .get("Service", "ExecStart")
            .expect("zookeeper.service has ExecStart=");
        let cmd = unit::command(exec, "").expect("ExecStart= splits into words");
        let argv = &cmd.argv;
        let java = argv[0].clone();
        assert!(
            Path::new(&java).exists(),
            "{java} (the unit's program) is missing: {INSTALL_HINT}"
        );
        let cp_at = argv
            .iter()
            .position(|a| a == "-cp" || a == "-classpath")
            .expect("the unit gives java a -cp");
        let classpath = argv[cp_at + 1].clone();
        for jar in classpath.split(':') {
            assert!(
                Path::new(jar).exists(),
                "{jar} (on the unit's class path) is missing: {INSTALL_HINT}"
            );
        }
        let main_at = argv
            .iter()
            .position(|a| a == SERVER_MAIN)
            .unwrap_or_else(|| panic!("{host}: ExecStart does not run {SERVER_MAIN}: {argv:?}"));
        let cfg_path = argv
            .get(main_at + 1)
            .unwrap_or_else(|| panic!("{host}: no zoo.cfg after the main class: {argv:?}"));
        let cfg = files.get(cfg_path.as_str()).unwrap_or_else(|| {
            panic!("{host}: the unit reads {cfg_path}, which the build does not write")
        });
        // zoo.cfg with its paths relocated.
        let mut props = BTreeMap::new();
        let mut text = String::new();
        for line in cfg.content.lines() {
            let t = line.trim();
            match t.split_once('=') {
                Some((k, v)) if !t.starts_with('#') => {
                    let (k, v) = (k.trim(), v.trim());
                    let v = if v.starts_with('/') {
                        relocate(&root, v)
                    } else {
                        v.to_owned()
                    };
                    props.insert(k.to_owned(), v.clone());
                    text.push_str(&format!("{k}={v}\n"));
                }
                _ => text.push_str(&format!("{line}\n")),
            }
        }
        fs::write(relocate(&root, cfg_path), text).expect("write zoo.cfg");
        // Only loopback, and no AdminServer on every interface.
        assert_eq!(
            props.get("admin.enableServer").map(String::as_str),
            Some("false"),
            "{host}: zoo.cfg leaves the AdminServer on (8080 on every interface)"
        );
        let client_ip: IpAddr = props
            .get("clientPortAddress")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("{host}: zoo.cfg has no clientPortAddress"));
        let client_port: u16 = props
            .get("clientPort")
            .and_then(|p| p.parse().ok())
            .expect("clientPort");
        let data_dir = props.get("dataDir").expect("dataDir");
        let id: u64 = fs::read_to_string(Path::new(data_dir).join("myid"))
            .unwrap_or_else(|_| panic!("{host}: no myid in dataDir {data_dir}"))
            .trim()
            .parse()
            .expect("myid is a number");
        let own = props
            .get(&format!("server.{id}"))
            .unwrap_or_else(|| panic!("{host}: no server.{id} line for myid {id}"));
        let spec = mesosc::schema::parse_server_spec(own).expect("server line");
        let (addr, quorum, election) = spec.addresses[0].clone();
        let ip: IpAddr = addr.parse().expect("server address is an IP");
        for a in [ip, client_ip] {
            assert!(a.is_loopback(), "{host}: {a} is not a loopback address");
        }
        let mut full = vec![java];
        full.extend(SERVER_JVM.iter().map(|s| (*s).to_owned()));
        full.extend(argv[1..].iter().map(|a| {
            if a.starts_with('/') {
                relocate(&root, a)
            } else if let Some((k, v)) = a.split_once('=').filter(|(_, v)| v.starts_with('/')) {
                format!("{k}={}", relocate(&root, v))
            } else {
                a.clone()
            }
        }));
        out.push(Server {
            host: host.to_owned(),
            id,
            client: SocketAddr::new(client_ip, client_port),
            binds: vec![
                SocketAddr::new(client_ip, client_port),
                SocketAddr::new(ip, quorum),
                SocketAddr::new(ip, election),
            ],
            argv: full,
            classpath,
            log: root.join("server.log"),
        });
    }
    out
}

/// Waits (bounded) until nothing listens where the servers will.
fn wait_for_free_ports(servers: &[Server]) {
    let start = Instant::now();
    loop {
        let busy: Vec<SocketAddr> = servers
            .iter()
            .flat_map(|s| &s.binds)
            .filter(|a| TcpListener::bind(a).is_err())
            .copied()
            .collect();
        if busy.is_empty() {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "ports still in use after 30 s (another run of this test?): {busy:?}"
        );
        sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_real_ensemble_from_the_generated_files() {
    if support::real_tools::skip(&["zookeeper", "java"]) {
        return;
    }
    let t0 = Instant::now();
    let base = tempfile::Builder::new()
        .prefix("mesosc-zk-")
        .tempdir()
        .expect("temporary folder");
    let servers = servers(base.path());
    assert!(
        servers
            .iter()
            .any(|s| s.client.ip().to_string() == "127.0.0.15"),
        "the observer listens on 127.0.0.15"
    );
    assert_eq!(
        servers.len(),
        4,
        "zk-loopback.mcl should have three voters and an observer"
    );
    wait_for_free_ports(&servers);

    let mut ensemble = Ensemble {
        children: BTreeMap::new(),
        pids: Vec::new(),
    };
    for s in &servers {
        let log = fs::File::create(&s.log).expect("log file");
        let child = Command::new(&s.argv[0])
            .args(&s.argv[1..])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .current_dir(base.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}; {INSTALL_HINT}", s.argv[0]));
        ensemble.pids.push(child.id());
        ensemble.children.insert(s.id, child);
    }
    let java = servers[0].argv[0].clone();
    let observer = servers
        .iter()
        .find(|s| s.host == "zk-observer")
        .expect("the observer host")
        .id;
    let all: Vec<u64> = servers
        .iter()
        .map(|s| s.id)
        .filter(|id| *id != observer)
        .collect();
    let by_id = |id: u64| servers.iter().find(|s| s.id == id).expect("server");

    let leader =
        wait_for_quorum(&servers, &all, Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
    let t_quorum = t0.elapsed();

    // Write through one server, read through another.
    let (writer, reader) = (&servers[0], &servers[1]);
    let created = cli(writer, &java, &["create", "/mesosc-test", "hello"]);
    assert!(
        created.ok() && created.output().contains("Created /mesosc-test"),
        "create through {} failed: {created:?}",
        writer.client
    );
    let read_back = |s: &Server| {
        let start = Instant::now();
        loop {
            let got = cli(s, &java, &["get", "/mesosc-test"]);
            if got.ok() && got.stdout.lines().any(|l| l.trim() == "hello") {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "get /mesosc-test through {} did not return `hello`: {got:?}",
                s.client
            );
            sleep(Duration::from_millis(200));
        }
    };
    read_back(reader);
    // The observer: `:observer` in every zoo.cfg made it one; it serves reads.
    let obs = by_id(observer);
    let start = Instant::now();
    while mode(obs.client).as_deref() != Some("observer") {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server {observer} is not an observer: {:?}",
            four_letter(obs.client, "srvr")
        );
        sleep(Duration::from_millis(100));
    }
    read_back(obs);

    // Kill the leader: the other two elect a new one and keep the data.
    ensemble.kill(leader);
    let t_kill = Instant::now();
    let rest: Vec<u64> = all.iter().copied().filter(|id| *id != leader).collect();
    let second =
        wait_for_quorum(&servers, &rest, Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
    let t_reelect = t_kill.elapsed();
    let survivor = rest
        .iter()
        .copied()
        .find(|id| *id != second)
        .expect("two left");
    read_back(by_id(survivor));

    // Stop the observer too: the two voters left are still a majority of
    // three (had it voted, two of four would be no quorum).
    ensemble.kill(observer);
    sleep(Duration::from_secs(2));
    wait_for_quorum(&servers, &rest, Duration::from_secs(30)).unwrap_or_else(|e| panic!("{e}"));
    read_back(by_id(survivor));

    // Kill the new leader: the last server has no quorum and stops serving.
    ensemble.kill(second);
    let start = Instant::now();
    let last = by_id(survivor);
    loop {
        let answer = four_letter(last.client, "srvr").unwrap_or_default();
        if answer.contains("not currently serving requests") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server {} still serves alone: {answer}",
            last.id
        );
        sleep(Duration::from_millis(100));
    }

    let pids = ensemble.pids.clone();
    drop(ensemble);
    let left: Vec<u32> = pids.into_iter().filter(|p| alive(*p)).collect();
    assert!(left.is_empty(), "ZooKeeper JVMs still running: {left:?}");
    eprintln!(
        "quorum of 3 after {t_quorum:.2?}; re-elected in {t_reelect:.2?} after killing server \
         {leader}; server {survivor} alone stopped serving; total {:.2?}",
        t0.elapsed()
    );
}
