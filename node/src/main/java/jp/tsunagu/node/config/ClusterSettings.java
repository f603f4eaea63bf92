package jp.tsunagu.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and checks the {@code cluster.*} keys. Without {@code cluster.name} the node is one instance
 * and every other cluster key must be absent too: a half-written cluster section is refused rather
 * than silently ignored. Members are a fixed host:port list (TCP/IP join): instances never look for
 * each other by multicast, which would let any machine on the network join or be joined.
 */
final class ClusterSettings {

  private static final int MAX_MEMBERS = 9;

  private ClusterSettings() {}

  static Optional<NodeConfig.Cluster> read(ConfigValues v) {
    Optional<String> name = v.optionalText("cluster.name");
    List<String> listed = v.optionalTextList("cluster.members");
    if (name.isEmpty()) {
      if (!listed.isEmpty()) {
        throw new ConfigException("cluster.name", "is required when cluster.members is set");
      }
      return Optional.empty();
    }
    if (!name.get().matches("[a-z0-9][a-z0-9-]{1,39}")) {
      throw new ConfigException("cluster.name", "must be 2-40 lowercase letters, digits or '-', got '" + name.get() + "'");
    }
    List<NodeConfig.Member> members = members(listed);
    String host = v.text("cluster.host");
    int port = (int) v.range("cluster.port", 1, 65_535);
    NodeConfig.Member self = new NodeConfig.Member(host, port);
    if (!members.contains(self)) {
      throw new ConfigException("cluster.host", "this instance's address " + self + " is not one of cluster.members "
          + members);
    }
    int eventBusPort = (int) v.range("cluster.eventBusPort", 1, 65_535);
    if (eventBusPort == port) {
      throw new ConfigException("cluster.eventBusPort", "same port as cluster.port (" + port + ")");
    }
    int syncReplicas = (int) v.range("cluster.syncReplicas", 0, members.size() - 1);
    int cpMembers = (int) v.range("cluster.cpMembers", 0, members.size());
    if (cpMembers != 0 && cpMembers < 3) {
      throw new ConfigException("cluster.cpMembers", "must be 0 (tests only: the lock without consensus) or at least 3,"
          + " got " + cpMembers);
    }
    int maxReadyLag = (int) v.range("cluster.maxReadyLag", 0, 1_000_000);
    int keepBatches = (int) v.range("cluster.keepBatches", 1, 100_000_000);
    boolean resyncAtStart = v.oneOf("cluster.resyncAtStart", "off", "on").equals("on");
    return Optional.of(new NodeConfig.Cluster(name.get(), members, host, port, eventBusPort, syncReplicas, cpMembers,
        maxReadyLag, keepBatches, resyncAtStart));
  }

  private static List<NodeConfig.Member> members(List<String> listed) {
    if (listed.size() < 2 || listed.size() > MAX_MEMBERS) {
      throw new ConfigException("cluster.members", "must list 2 to " + MAX_MEMBERS + " host:port addresses, got "
          + listed.size());
    }
    List<NodeConfig.Member> members = new ArrayList<>();
    for (String item : listed) {
      int colon = item.lastIndexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        throw new ConfigException("cluster.members", "'" + item + "' is not host:port");
      }
      int port;
      try {
        port = Integer.parseInt(item.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new ConfigException("cluster.members", "'" + item + "' has no port number");
      }
      if (port < 1 || port > 65_535) {
        throw new ConfigException("cluster.members", "'" + item + "' has a port outside 1-65535");
      }
      NodeConfig.Member member = new NodeConfig.Member(item.substring(0, colon), port);
      if (members.contains(member)) {
        throw new ConfigException("cluster.members", "'" + item + "' is listed twice");
      }
      members.add(member);
    }
    return members;
  }
}
