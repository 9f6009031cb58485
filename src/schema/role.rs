//! The roles a host can have, by their MCL names.

use std::fmt;

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
