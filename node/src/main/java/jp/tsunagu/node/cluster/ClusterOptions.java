package jp.tsunagu.node.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.config.TlsEngine;

/**
 * How the instances of one node find and talk to each other.
 *
 * <p><b>Two channels, and why.</b> Hazelcast's open-source edition (5.3.8, the one the Vert.x stack
 * brings) has neither TLS nor symmetric encryption nor member authentication: its own start-up
 * refuses them with "requires Hazelcast Enterprise Edition". So Hazelcast carries only what may be
 * seen on the wire: who is a member, the CP FencedLock that elects the writer, and Vert.x's own
 * routing table of event-bus addresses. It is bound to the configured cluster interface only, joins
 * by the fixed member list over TCP/IP (never multicast, never auto-detection) and refuses members
 * with another cluster name. Every byte of data between instances (replicated batches, their
 * acknowledgements, catch-up, later forwarded writes and live events) travels on Vert.x's clustered
 * event bus, which runs over TLS with client authentication: each instance presents the node's own
 * TLS certificate and trusts exactly that certificate, so an instance of another node (another
 * identity), or anything else on the network, cannot open a connection to an instance nor accept
 * one from it. What an intruder on the cluster network can still do is disturb membership and the
 * lock (availability), never read or write patient data; the README tells operators to keep the
 * cluster ports on a private network or loopback.
 */
public final class ClusterOptions {

  /*
   * The failover budget (README, *Timing budget*): the leader killed at t=0 is out of the membership
   * after MEMBER_OUT_SECONDS and its lock is free when its CP session lapses, SESSION_SECONDS after
   * its last session heartbeat (both run at once); a follower takes the lock within Leadership's retry
   * period and HAProxy sends writes to it within its checks. Shorter figures would fail over on a
   * mere pause of a busy machine (a garbage collection, two shared cores); fencing does not depend
   * on them: a batch carries its token and a follower that has seen a higher one refuses it, however
   * long the old leader was paused.
   */
  static final int HEARTBEAT_SECONDS = 1;
  static final int MEMBER_OUT_SECONDS = 4;
  static final int MERGE_SECONDS = 5;
  static final int SESSION_SECONDS = 4;
  static final long RAFT_BEAT_MILLIS = 1_000;
  static final int RAFT_MISSED_BEATS = 3;
  static final long RAFT_ELECTION_MILLIS = 1_000;

  private ClusterOptions() {}

  /** Hazelcast's configuration for this instance: Vert.x's maps, TCP/IP join to the listed members only. */
  public static Config hazelcast(NodeConfig.Cluster cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setInstanceName("tsunagu-" + cluster.name() + "-" + cluster.host() + "-" + cluster.port());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Listen on the configured interface only, not on every address of the machine.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    // A member that stops answering (killed, paused, cut off) is out within seconds, not the default minute:
    // a follower contends for the lock only once no member present has applied more, the dead one included.
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(HEARTBEAT_SECONDS));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(MEMBER_OUT_SECONDS));
    // A member put out that way while it was only paused or cut off carries on as a cluster of its
    // own; Hazelcast looks for the others to merge back into after 300 s and then every 120 s by
    // default, all that time a follower that hears no batch. Every few seconds instead: it rejoins
    // (as a follower, its lock long gone) and fetches what it missed as soon as it can.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(MERGE_SECONDS));
    config.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(MERGE_SECONDS));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.getRestApiConfig().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true);
    cluster.members().forEach(member -> tcp.addMember(member.toString()));
    // 0 runs the lock without consensus (Hazelcast's "unsafe mode"): tests with fewer than three members only.
    config.getCPSubsystemConfig().setCPMemberCount(cluster.cpMembers());
    if (cluster.cpMembers() > 0) {
      config.getCPSubsystemConfig().setGroupSize(cluster.cpMembers() % 2 == 0 ? cluster.cpMembers() - 1
          : cluster.cpMembers());
      // A leader that stops answering (killed, paused, cut off) loses the lock when its session ends.
      // No automatic removal of a missing CP member: the group of three keeps its size, a majority of
      // two still elects, and an instance started again takes its own seat back (CpSeat).
      config.getCPSubsystemConfig().setSessionTimeToLiveSeconds(SESSION_SECONDS)
          .setSessionHeartbeatIntervalSeconds(HEARTBEAT_SECONDS).setMissingCPMemberAutoRemovalSeconds(0);
      // The CP group's own Raft leader may be the instance that died: its followers elect another
      // after a few missed beats, not the default 25 s, or the session (kept by that Raft leader)
      // could not even be expired.
      config.getCPSubsystemConfig().getRaftAlgorithmConfig()
          .setLeaderHeartbeatPeriodInMillis(RAFT_BEAT_MILLIS)
          .setMaxMissedLeaderHeartbeatCount(RAFT_MISSED_BEATS)
          .setLeaderElectionTimeoutInMillis(RAFT_ELECTION_MILLIS);
    }
    // A connection whose handshake never completes blocks every join and merge to its member for good,
    // which left two live members apart while a third was paused (StuckHandshakes).
    config.addListenerConfig(new ListenerConfig(new StuckHandshakes()));
    return config;
  }

  /**
   * Vert.x options whose clustered event bus listens on the cluster interface with mutual TLS, keyed
   * and trusting the node's own TLS certificate (the one identity all instances of the node share).
   */
  public static VertxOptions vertx(NodeConfig.Cluster cluster, String certificatePem, String privateKeyPem) {
    return vertx(cluster, certificatePem, privateKeyPem, TlsEngine.DEFAULT);
  }

  /** As {@link #vertx(NodeConfig.Cluster, String, String)}, the bus's records encrypted by {@code engine}. */
  public static VertxOptions vertx(NodeConfig.Cluster cluster, String certificatePem, String privateKeyPem,
      TlsEngine engine) {
    EventBusOptions bus = engine.applyTo(new EventBusOptions())
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(certificatePem))
            .addKeyValue(Buffer.buffer(privateKeyPem)))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(certificatePem)));
    return new VertxOptions().setEventBusOptions(bus);
  }
}
