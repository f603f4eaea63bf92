package jp.tsunagu.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerConnectionManager;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection to another member whose handshake never completed, so that the next attempt opens
 * a fresh one.
 *
 * <p><b>Why.</b> With one member paused (SIGSTOP, a hung machine), the two live ones can put each other
 * out of the membership too (a heartbeat more than 2 s old is ignored, 4 s without one puts a member
 * out; on two loaded cores both happen), and are then two clusters of one, neither with a CP majority,
 * so no writer. Hazelcast 5.3.8's split-brain merge joins them again (it checks every 5 s here), but in
 * about one run in four at a load average of 15 to 45 it never did while the third stayed paused (20
 * minutes in one run): Hazelcast's own logs, at TRACE, showed that the member told to merge restarts its
 * networking, opens a connection to the other and sends its handshake; the other answers with its own
 * handshake; but the new connection is never read on the merging side (its reading side was never
 * started: no "Initialized new cluster connection" for it), so its handshake never completes. Hazelcast
 * then counts a connection to that address as "in progress" for good, opens no other (every join
 * request, master question and merge check to it is dropped: "already in progress", "could not connect
 * ... for 5000 millis") and has no timeout for a handshake; the merging member stays out of any cluster,
 * its CP groups without a leader, for as long as the paused member (a voter it keeps asking) is paused.
 *
 * <p><b>What.</b> Every second, a member connection that has had no completed handshake (no remote
 * member UUID) for {@link #HANDSHAKE_SECONDS} is closed: closing it is what ends the "in progress", and
 * the next join request or merge check opens a new connection, which is read. A handshake takes
 * milliseconds on a working connection; a paused member's connections, which also never complete, are
 * closed the same way and opened again (a few bytes a few seconds, for as long as it is paused).
 */
final class StuckHandshakes implements LifecycleListener, HazelcastInstanceAware {

  private static final Logger LOG = LoggerFactory.getLogger(StuckHandshakes.class);
  /** Far longer than a handshake takes on a loaded machine, far shorter than a failover's budget. */
  static final int HANDSHAKE_SECONDS = 5;

  private final Map<ServerConnection, Long> firstSeenWithout = new HashMap<>();
  private volatile HazelcastInstanceImpl instance;
  private ScheduledExecutorService timer;

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    // Hazelcast hands its configured listeners the instance itself (not the proxy), whose node holds the connections.
    this.instance = (HazelcastInstanceImpl) hazelcast;
  }

  @Override
  public synchronized void stateChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.STARTING && timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tsunagu-stuck-handshakes");
        thread.setDaemon(true);
        return thread;
      });
      timer.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    } else if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN && timer != null) {
      timer.shutdownNow();
    }
  }

  private void sweep() {
    try {
      HazelcastInstanceImpl hazelcast = instance;
      if (hazelcast == null || hazelcast.node == null || hazelcast.node.getServer() == null) {
        return;
      }
      ServerConnectionManager members = hazelcast.node.getServer().getConnectionManager(EndpointQualifier.MEMBER);
      if (members == null) {
        return;
      }
      long now = System.nanoTime();
      Map<ServerConnection, Long> stillWithout = new HashMap<>();
      for (ServerConnection connection : members.getConnections()) {
        if (!connection.isAlive() || connection.getRemoteUuid() != null) {
          continue;
        }
        long since = firstSeenWithout.getOrDefault(connection, now);
        if (now - since >= TimeUnit.SECONDS.toNanos(HANDSHAKE_SECONDS)) {
          LOG.warn("closing the connection to {}: no handshake in {} s", connection.getRemoteAddress(),
              HANDSHAKE_SECONDS);
          connection.close("no handshake within " + HANDSHAKE_SECONDS + " s", null);
        } else {
          stillWithout.put(connection, since);
        }
      }
      firstSeenWithout.clear();
      firstSeenWithout.putAll(stillWithout);
    } catch (RuntimeException e) {
      // The next sweep looks again; one that fails leaves the connections as Hazelcast left them.
      LOG.warn("could not look at the member connections: {}", e.toString());
    }
  }
}
