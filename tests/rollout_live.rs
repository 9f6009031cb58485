//! The rollout playbook against a real ZooKeeper ensemble: three servers
//! on 127.0.0.31, .32 and .33 (no other test uses these addresses), each
//! started as its generated `zookeeper.service` says (java, `-cp`, the main
//! class, the zoo.cfg path; small heaps added) by the test's runner script,
//! with its files under a temporary root.
//!
//! A zoo.cfg setting (`tickTime`) changes; `mesosc plan --from DIR --format
//! ansible` writes the playbook and the real `ansible-playbook` runs it
//! (local connection; `restart_command` is the runner, which restarts one
//! server). Meanwhile a client writes a znode every 100 ms, each write a new
//! session on any server (retries allowed): every write succeeds within 5 s.
//! The servers end on the new config: each negotiates a session timeout of
//! twice the new `tickTime` (ZooKeeper's minimum session timeout). In a
//! second rollout one server cannot start (its `myid` is not a number): the
//! playbook fails on that server's wait, the two others are untouched
//! (same process, the previous zoo.cfg) and still serve.
//!
//! Every wait is bounded; every JVM started is stopped by a guard, also when
//! an assertion fails.

mod support;

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use support::unit::{self, UnitFile};

const HOSTS: [&str; 3] = ["z1", "z2", "z3"];
const SERVER_MAIN: &str = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
/// Added right after `java`, as in tests/zookeeper_live.rs.
const SERVER_JVM: &str = "-Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
-Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dzookeeper.jmx.log4j.disable=true";

fn addr(host: &str) -> SocketAddr {
    let n: u8 = host[1..].parse().expect("zN");
    SocketAddr::from(([127, 0, 0, 30 + n], 2181))
}

fn source(base: &Path, tick: u32) -> String {
    format!(
        r#"cluster "live" {{ mesos = "1.11.0" }}
for n in 1..3 {{
  host "z${{n}}" {{
    address = "127.0.0.${{30 + n}}"
    roles = [zookeeper, leader]
    zookeeper {{ work_dir = "{}/z${{n}}/data" }}
  }}
}}
zookeeper {{ settings {{ tickTime = {tick} }} }}
"#,
        base.display()
    )
}

fn mesosc(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mesosc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("mesosc runs");
    assert!(
        out.status.success(),
        "mesosc {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every JVM the runner started (their PID files), stopped on drop.
struct Servers {
    base: PathBuf,
}

impl Servers {
    fn pid(&self, host: &str) -> Option<u32> {
        fs::read_to_string(self.base.join(host).join("pid"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for h in HOSTS {
            if let Some(pid) = self.pid(h) {
                let _ = Command::new("/bin/kill")
                    .args(["-KILL", &pid.to_string()])
                    .stderr(Stdio::null())
                    .status();
            }
        }
    }
}

/// The runner `restart_command` names: `runner HOST UNIT ACTION` stops the
/// host's server (its PID file) and starts it again from the zoo.cfg under
/// the host's root, detached; every call is logged.
fn runner(base: &Path, java_argv: &[String]) -> PathBuf {
    let main_at = java_argv
        .iter()
        .position(|a| a == SERVER_MAIN)
        .expect("main class");
    let before_cfg: Vec<String> = java_argv[1..=main_at]
        .iter()
        .map(|a| format!("'{a}'"))
        .collect();
    let script = format!(
        r#"#!/bin/bash
set -u
host=$1 unit=$2 action=$3 base='{base}'
echo "$host $unit $action" >> "$base/actions.log"
case $action in restart|start|stop) ;; *) exit 0 ;; esac
pidfile=$base/$host/pid
if [ -s "$pidfile" ]; then
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
fi
[ "$action" = stop ] && exit 0
setsid '{java}' {jvm} {args} "$base/$host/root/etc/zookeeper/zoo.cfg" \
  > "$base/$host/server.log" 2>&1 < /dev/null &
echo $! > "$pidfile"
"#,
        base = base.display(),
        java = java_argv[0],
        jvm = SERVER_JVM,
        args = before_cfg.join(" "),
    );
    let path = base.join("runner.sh");
    fs::write(&path, script).expect("write runner");
    let ok = Command::new("chmod")
        .arg("+x")
        .arg(&path)
        .status()
        .expect("chmod");
    assert!(ok.success());
    path
}

/// Lays out the deployed build: overlay files under each host's root, but
/// the data folder (an absolute path below `base`) where it is.
fn install(base: &Path, out: &Path) {
    for h in HOSTS {
        let overlay = out.join("hosts").join(h);
        for file in walk(&overlay) {
            let rel = file.strip_prefix(&overlay).expect("below");
            let abs = Path::new("/").join(rel);
            let target = if abs.starts_with(base) {
                abs
            } else {
                base.join(h).join("root").join(rel)
            };
            fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            fs::copy(&file, &target).expect("copy");
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("readable") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The java words of the generated unit's `ExecStart=`.
fn exec_start(out: &Path) -> Vec<String> {
    let text = fs::read_to_string(out.join("hosts/z1/etc/systemd/system/zookeeper.service"))
        .expect("zookeeper.service");
    let unit = UnitFile::parse(&text).expect("parses");
    let exec = unit.get("Service", "ExecStart").expect("ExecStart=");
    unit::command(exec, "").expect("words").argv
}

fn four_letter(addr: SocketAddr, word: &str) -> Option<String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(300)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(word.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn mode(host: &str) -> Option<String> {
    let text = four_letter(addr(host), "srvr")?;
    text.lines()
        .find_map(|l| l.strip_prefix("Mode: "))
        .map(str::to_owned)
}

/// Waits (bounded) until `hosts` are one leader and followers.
fn quorum(hosts: &[&str], limit: Duration) -> Result<String, String> {
    let start = Instant::now();
    let mut modes = Vec::new();
    while start.elapsed() < limit {
        modes = hosts.iter().map(|h| mode(h)).collect();
        let leaders: Vec<&&str> = (hosts.iter().zip(&modes))
            .filter(|(_, m)| m.as_deref() == Some("leader"))
            .map(|(h, _)| h)
            .collect();
        let followers = modes
            .iter()
            .filter(|m| m.as_deref() == Some("follower"))
            .count();
        if leaders.len() == 1 && followers == hosts.len() - 1 {
            return Ok((*leaders[0]).to_owned());
        }
        sleep(Duration::from_millis(100));
    }
    Err(format!(
        "no quorum of {hosts:?} within {limit:?}: {modes:?}"
    ))
}

// A minimal ZooKeeper client (the jute wire format of
// `zookeeper-jute/src/main/resources/zookeeper.jute`): a session, then one
// request.

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = (body.len() as i32).to_be_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

fn read_frame(s: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len)?;
    let mut body = vec![0u8; i32::from_be_bytes(len).max(0) as usize];
    s.read_exact(&mut body)?;
    Ok(body)
}

fn buffer(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Opens a session (asking for a 1 s timeout); the stream and the timeout
/// the server granted (at least 2 × its tickTime).
fn session(at: SocketAddr) -> std::io::Result<(TcpStream, i32)> {
    let mut s = TcpStream::connect_timeout(&at, Duration::from_millis(300))?;
    s.set_read_timeout(Some(Duration::from_millis(1500)))?;
    s.set_write_timeout(Some(Duration::from_millis(1500)))?;
    let mut req = Vec::new();
    req.extend_from_slice(&0i32.to_be_bytes()); // protocolVersion
    req.extend_from_slice(&0i64.to_be_bytes()); // lastZxidSeen
    req.extend_from_slice(&1000i32.to_be_bytes()); // timeOut (ms)
    req.extend_from_slice(&0i64.to_be_bytes()); // sessionId
    buffer(&mut req, &[0u8; 16]); // passwd
    s.write_all(&frame(&req))?;
    let resp = read_frame(&mut s)?;
    let field = |at: usize, n: usize| resp.get(at..at + n).map(<[u8]>::to_vec);
    let timeout = field(4, 4).map(|b| i32::from_be_bytes(b.try_into().unwrap_or_default()));
    let session = field(8, 8).map(|b| i64::from_be_bytes(b.try_into().unwrap_or_default()));
    match (timeout, session) {
        (Some(t), Some(id)) if id != 0 && t > 0 => Ok((s, t)),
        _ => Err(std::io::Error::other("session refused")),
    }
}

/// One request (`op`, body) on a new session; the reply's error code.
fn request(at: SocketAddr, op: i32, body: &[u8]) -> std::io::Result<i32> {
    let (mut s, _) = session(at)?;
    let mut req = Vec::new();
    req.extend_from_slice(&1i32.to_be_bytes()); // xid
    req.extend_from_slice(&op.to_be_bytes());
    req.extend_from_slice(body);
    s.write_all(&frame(&req))?;
    let resp = read_frame(&mut s)?;
    let err = resp
        .get(12..16)
        .ok_or_else(|| std::io::Error::other("short reply"))?;
    // closeSession (-11), not waited for.
    let mut close = 2i32.to_be_bytes().to_vec();
    close.extend_from_slice(&(-11i32).to_be_bytes());
    let _ = s.write_all(&frame(&close));
    Ok(i32::from_be_bytes(err.try_into().unwrap_or_default()))
}

const ZNODE: &str = "/mesosc-rollout";

fn create(at: SocketAddr) -> std::io::Result<i32> {
    let mut body = Vec::new();
    buffer(&mut body, ZNODE.as_bytes());
    buffer(&mut body, b"0");
    body.extend_from_slice(&1i32.to_be_bytes()); // one ACL: world:anyone, all
    body.extend_from_slice(&31i32.to_be_bytes());
    buffer(&mut body, b"world");
    buffer(&mut body, b"anyone");
    body.extend_from_slice(&0i32.to_be_bytes()); // persistent
    request(at, 1, &body)
}

fn set(at: SocketAddr, value: u64) -> std::io::Result<i32> {
    let mut body = Vec::new();
    buffer(&mut body, ZNODE.as_bytes());
    buffer(&mut body, value.to_string().as_bytes());
    body.extend_from_slice(&(-1i32).to_be_bytes()); // any version
    request(at, 5, &body)
}

/// Writes the znode every 100 ms until `stop`, each write retried on every
/// server until it succeeds or 5 s pass; the slowest write and the
/// failures.
fn writer(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<(Duration, Vec<String>, u64)> {
    std::thread::spawn(move || {
        let (mut slowest, mut failures, mut n) = (Duration::ZERO, Vec::new(), 0u64);
        let mut next = 0usize;
        while !stop.load(Ordering::Relaxed) {
            let started = Instant::now();
            n += 1;
            let mut done = false;
            while started.elapsed() < Duration::from_secs(5) {
                let at = addr(HOSTS[next % 3]);
                if set(at, n).is_ok_and(|e| e == 0) {
                    done = true;
                    break;
                }
                next += 1;
                sleep(Duration::from_millis(50));
            }
            let took = started.elapsed();
            slowest = slowest.max(took);
            if !done {
                failures.push(format!("write {n} failed for {took:?}"));
            }
            sleep(Duration::from_millis(100).saturating_sub(took));
        }
        (slowest, failures, n)
    })
}

fn ansible(dir: &Path, playbook: &str, extra: &[&str]) -> (bool, String) {
    let out = Command::new("ansible-playbook")
        .args(["-i", "inventory.yaml", playbook])
        .args([
            "-e",
            "ansible_connection=local",
            "-e",
            "ansible_python_interpreter=/usr/bin/python3",
        ])
        .args(extra)
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_HOST_KEY_CHECKING", "0")
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("ansible-playbook runs (scripts/install-test-deps installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn actions(base: &Path) -> Vec<String> {
    let text = fs::read_to_string(base.join("actions.log")).unwrap_or_default();
    text.lines().map(str::to_owned).collect()
}

#[test]
fn a_rolling_zookeeper_change_keeps_every_write_and_stops_at_a_broken_server() {
    if support::real_tools::skip(&["zookeeper", "java", "ansible-playbook"]) {
        return;
    }
    let t0 = Instant::now();
    let tmp = tempfile::Builder::new()
        .prefix("mesosc-rollout-")
        .tempdir()
        .expect("temp");
    let base = tmp.path().to_path_buf();
    let servers = Servers { base: base.clone() };

    // Three builds: deployed (tickTime 2000), then 2500, then 3000.
    fs::write(base.join("c.mcl"), source(&base, 2000)).expect("write");
    mesosc(&base, &["build", "c.mcl", "--out", "v1"]);
    fs::write(base.join("c.mcl"), source(&base, 2500)).expect("write");
    mesosc(&base, &["build", "c.mcl", "--out", "v2"]);
    let play = |from: &str, out: &str, name: &str| {
        let text = mesosc(
            &base,
            &[
                "plan",
                "c.mcl",
                "--from",
                from,
                "--out",
                out,
                "--format",
                "ansible",
                "--inventory",
                "inventory.yaml",
            ],
        );
        fs::write(base.join(name), text).expect("write");
    };
    play("v1", "v2", "first.yaml");

    install(&base, &base.join("v1"));
    let runner = runner(&base, &exec_start(&base.join("v1")));
    fs::create_dir_all(base.join("host_vars")).expect("mkdir");
    for h in HOSTS {
        let vars = format!(
            "restart_command: \"{} {h}\"\nmesosc_root: \"{}\"\n",
            runner.display(),
            base.join(h).join("root").display()
        );
        fs::write(base.join("host_vars").join(format!("{h}.yaml")), vars).expect("write");
        let ok = Command::new(&runner)
            .args([h, "zookeeper.service", "start"])
            .status()
            .expect("runner");
        assert!(ok.success());
    }
    let first_leader =
        quorum(&HOSTS, Duration::from_secs(60)).expect("the deployed ensemble forms");
    let started = Instant::now();
    while !create(addr("z1")).is_ok_and(|e| e == 0 || e == -110) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "cannot create {ZNODE}"
        );
        sleep(Duration::from_millis(200));
    }
    let before: Vec<Option<u32>> = HOSTS.iter().map(|h| servers.pid(h)).collect();

    // The rollout, with a client writing throughout.
    let stop = Arc::new(AtomicBool::new(false));
    let writes = writer(Arc::clone(&stop));
    let (ok, log) = ansible(&base, "first.yaml", &[]);
    sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    let (slowest, failures, count) = writes.join().expect("writer");
    assert!(ok, "the playbook failed:\n{log}");
    assert!(
        failures.is_empty() && slowest < Duration::from_secs(5),
        "{failures:?} (slowest {slowest:?})\n{log}"
    );
    assert!(count > 10, "only {count} writes");
    let restarts: Vec<String> = actions(&base)
        .into_iter()
        .filter(|a| a.ends_with(" restart"))
        .collect();
    assert_eq!(
        restarts.len(),
        3,
        "each server restarted once: {restarts:?}"
    );
    let leader_was = restarts
        .last()
        .expect("a restart")
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    // Every server runs again, in a new process, with the new zoo.cfg: a
    // session gets twice the new tickTime.
    let leader = quorum(&HOSTS, Duration::from_secs(30)).expect("quorum after the rollout");
    for (i, h) in HOSTS.iter().enumerate() {
        assert_ne!(servers.pid(h), before[i], "{h} was not restarted");
        let cfg = fs::read_to_string(base.join(h).join("root/etc/zookeeper/zoo.cfg")).expect("cfg");
        let new = fs::read_to_string(base.join("v2/hosts").join(h).join("etc/zookeeper/zoo.cfg"))
            .expect("cfg");
        assert_eq!(cfg, new, "{h}: zoo.cfg is the new build's");
        let (_, timeout) = session(addr(h)).expect("a session");
        assert_eq!(
            timeout, 5000,
            "{h}: the session timeout is 2 × tickTime 2500"
        );
    }

    // Second rollout (2500 → 3000): the first server the playbook restarts
    // (the first in inventory order that does not lead) cannot start.
    fs::write(base.join("c.mcl"), source(&base, 3000)).expect("write");
    mesosc(&base, &["build", "c.mcl", "--out", "v3"]);
    play("v2", "v3", "second.yaml");
    let broken = (*HOSTS.iter().find(|h| **h != leader).expect("a follower")).to_owned();
    fs::write(base.join(&broken).join("data/myid"), "not-a-number\n").expect("break myid");
    fs::remove_file(base.join("actions.log")).expect("rm");
    let pids: Vec<Option<u32>> = HOSTS.iter().map(|h| servers.pid(h)).collect();
    let (ok, log) = ansible(&base, "second.yaml", &["-e", "mesosc_retries=10"]);
    assert!(!ok, "the playbook should stop at {broken}:\n{log}");
    assert_eq!(
        actions(&base),
        [format!("{broken} zookeeper.service restart")],
        "{log}"
    );
    for (i, h) in HOSTS.iter().enumerate().filter(|(_, h)| **h != broken) {
        assert_eq!(servers.pid(h), pids[i], "{h} was touched");
        let cfg = fs::read_to_string(base.join(h).join("root/etc/zookeeper/zoo.cfg")).expect("cfg");
        assert!(cfg.contains("tickTime=2500"), "{h}: zoo.cfg was replaced");
    }
    let rest: Vec<&str> = HOSTS.iter().copied().filter(|h| *h != broken).collect();
    quorum(&rest, Duration::from_secs(30)).expect("the two others still serve");
    assert!(
        set(addr(rest[0]), 0).is_ok_and(|e| e == 0),
        "a write after the failed rollout"
    );
    assert_eq!(
        leader_was, first_leader,
        "the leader goes last: {restarts:?}"
    );
    drop(servers);
    for h in HOSTS {
        if let Ok(pid) = fs::read_to_string(base.join(h).join("pid")) {
            let gone = !Path::new(&format!("/proc/{}", pid.trim())).exists()
                || fs::read(format!("/proc/{}/cmdline", pid.trim()))
                    .is_ok_and(|c| !String::from_utf8_lossy(&c).contains(SERVER_MAIN));
            assert!(gone, "{h}'s server (pid {pid}) still runs");
        }
    }
    let took = t0.elapsed();
    let line = format!("rollout_live took {took:?} ({count} writes, the slowest {slowest:?})\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}
