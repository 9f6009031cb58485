//! The roles a host can have, by their MCL names.

use std::fmt;

use super::{
    MARATHON_HTTP_PORT, MESOS_AGENT_PORT, MESOS_MASTER_PORT, Version, ZK_CLIENT_PORT, versions,
};

/// A role a host can have. The order is the dependency order of the rollout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A ZooKeeper server.
    Zookeeper,
    /// A Mesos master.
    Leader,
    /// A Mesos agent.
    Follower,
    /// Marathon.
    Marathon,
}

impl Role {
    /// Every role, in dependency order.
    pub const ALL: [Role; 4] = [
        Role::Zookeeper,
        Role::Leader,
        Role::Follower,
        Role::Marathon,
    ];

    /// The role's MCL name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Zookeeper => "zookeeper",
            Role::Leader => "leader",
            Role::Follower => "follower",
            Role::Marathon => "marathon",
        }
    }

    /// The systemd unit name of the role's service.
    pub fn unit(self) -> &'static str {
        match self {
            Role::Zookeeper => "zookeeper.service",
            Role::Leader => "mesos-master.service",
            Role::Follower => "mesos-agent.service",
            Role::Marathon => "marathon.service",
        }
    }

    /// The state directory a role's service gets unless `work_dir` says
    /// otherwise (the Debian packages' and the images' conventions).
    pub const fn default_work_dir(self) -> &'static str {
        match self {
            Role::Zookeeper => "/var/lib/zookeeper",
            Role::Leader => "/var/lib/mesos/master",
            Role::Follower => "/var/lib/mesos/agent",
            Role::Marathon => "/var/lib/marathon",
        }
    }

    /// The program a native unit runs unless `command` says otherwise: the
    /// JVM for ZooKeeper, the Mesos binaries (the agent's name follows the
    /// Mesos version, [`versions::agent_binary`]) and Marathon's launcher.
    pub fn default_command(self, mesos: &Version) -> &'static str {
        match self {
            Role::Zookeeper => "/usr/bin/java",
            Role::Leader => "/usr/sbin/mesos-master",
            Role::Follower => versions::agent_binary(mesos),
            Role::Marathon => "/usr/bin/marathon",
        }
    }

    /// The port a role's service listens on unless `port` (ZooKeeper:
    /// `client_port`) says otherwise.
    pub const fn default_port(self) -> u16 {
        match self {
            Role::Zookeeper => ZK_CLIENT_PORT,
            Role::Leader => MESOS_MASTER_PORT,
            Role::Follower => MESOS_AGENT_PORT,
            Role::Marathon => MARATHON_HTTP_PORT,
        }
    }

    /// The role for an MCL name, including the aliases `master` and `agent`.
    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "zookeeper" => Some(Role::Zookeeper),
            "leader" | "master" => Some(Role::Leader),
            "follower" | "agent" => Some(Role::Follower),
            "marathon" => Some(Role::Marathon),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_role_and_the_mesos_version() {
        let v = |s: &str| s.parse::<Version>().expect("a version");
        assert_eq!(
            Role::Follower.default_command(&v("0.28.3")),
            "/usr/sbin/mesos-slave"
        );
        assert_eq!(
            Role::Follower.default_command(&v("1.11.0")),
            "/usr/sbin/mesos-agent"
        );
        assert_eq!(
            Role::Leader.default_command(&v("1.11.0")),
            "/usr/sbin/mesos-master"
        );
        assert_eq!(
            Role::Zookeeper.default_command(&v("1.11.0")),
            "/usr/bin/java"
        );
        assert_eq!(
            Role::Marathon.default_command(&v("1.11.0")),
            "/usr/bin/marathon"
        );
        let dirs = Role::ALL.map(Role::default_work_dir);
        assert_eq!(
            dirs,
            [
                "/var/lib/zookeeper",
                "/var/lib/mesos/master",
                "/var/lib/mesos/agent",
                "/var/lib/marathon"
            ]
        );
        assert_eq!(Role::ALL.map(Role::default_port), [2181, 5050, 5051, 8080]);
    }
}
