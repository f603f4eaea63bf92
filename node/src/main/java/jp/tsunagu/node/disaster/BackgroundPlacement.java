package jp.tsunagu.node.disaster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.resources.Geocoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places the register's people on the map in the background. An upload places only the addresses the
 * node already knows (a 50,000-person file asked of the address search would keep the upload waiting
 * for many minutes, for hours while the search hangs); this asks the search about the rest, a few at a
 * time and paced, so a public service is not flooded. A found place moves every row with that address
 * (the place is derived from the address, not part of the register, so versions stay as imported).
 * While the search cannot be reached it waits and tries again; an address it does not know stays at
 * the 地区's centre, marked approximate, and is asked again after 30 days.
 */
final class BackgroundPlacement {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundPlacement.class);
  /** Addresses asked per round, {@link #AT_ONCE} at a time. */
  static final int ROUND = 64;
  private static final int AT_ONCE = 8;
  /** Between two full rounds: at most some 60 addresses a second asked of the search. */
  private static final Duration PACE = Duration.ofSeconds(1);
  /** With nothing left to place: look again (an upload wakes it sooner). */
  private static final Duration IDLE = Duration.ofSeconds(30);
  /** The search could not be reached. */
  private static final Duration UNAVAILABLE = Duration.ofMinutes(5);
  private static final Duration NOT_FOUND_AGAIN = Duration.ofDays(30);

  private final NodeServices services;
  private final Geocoder geocoder;
  private final Runnable placed;
  private volatile Context context;
  private long timer = -1;
  private volatile boolean running;
  private volatile boolean stopped;
  /**
   * Counts starts: on a clustered node the verticle is deployed each time the instance is elected, and a round
   * that was under way when it last stopped must not go on as a second loop beside the new one.
   */
  private volatile int started;

  /** @param placed told after rows were moved (the views keep counts and people in memory) */
  BackgroundPlacement(NodeServices services, Geocoder geocoder, Runnable placed) {
    this.services = services;
    this.geocoder = geocoder;
    this.placed = placed;
  }

  VerticleBase verticle() {
    return new VerticleBase() {
      @Override
      public Future<?> start() {
        BackgroundPlacement.this.context = context;
        // elected again after it stopped: placing goes on (it stayed stopped before)
        stopped = false;
        running = false;
        started++;
        context.runOnContext(ignored -> later(vertx, Duration.ofSeconds(2)));
        return Future.succeededFuture();
      }

      @Override
      public Future<?> stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
      }
    };
  }

  /** A new upload: start placing now rather than at the next idle look. */
  void wake() {
    Context on = context;
    if (on != null) {
      on.runOnContext(ignored -> {
        if (!running && !stopped) {
          on.owner().cancelTimer(timer);
          later(on.owner(), Duration.ZERO);
        }
      });
    }
  }

  private void later(Vertx vertx, Duration wait) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> round(vertx));
    }
  }

  private void round(Vertx vertx) {
    running = true;
    int start = started;
    String retryBefore = Instant.now(services.clock()).minus(NOT_FOUND_AGAIN).toString();
    services.database().read(c -> unplaced(c, retryBefore))
        .compose(addresses -> addresses.isEmpty() ? Future.succeededFuture(IDLE) : ask(vertx, addresses))
        .onComplete(done -> {
          if (done.failed()) {
            LOG.warn("placing the register's people on the map failed: {}", done.cause().toString());
          }
          if (start == started) {
            running = false;
            later(vertx, done.succeeded() ? done.result() : UNAVAILABLE);
          }
        });
  }

  /** Asks the search about one round of addresses, keeps what it answered; says when to go on. */
  private Future<Duration> ask(Vertx vertx, List<String> addresses) {
    Map<String, Geocoder.Place> found = new ConcurrentHashMap<>();
    List<String> unknown = java.util.Collections.synchronizedList(new ArrayList<>());
    boolean[] unreachable = {false};
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < addresses.size(); i += AT_ONCE) {
      List<String> group = addresses.subList(i, Math.min(addresses.size(), i + AT_ONCE));
      chain = chain.compose(ignored -> unreachable[0] ? Future.succeededFuture() : Future.join(group.stream()
          .map(address -> geocoder.locate(vertx, address)
              .onSuccess(place -> found.put(address, place))
              .onFailure(e -> {
                if (e instanceof CodedException coded && coded.kind().isRefusal()) {
                  unknown.add(address); // not found, or not an address the search takes
                } else {
                  unreachable[0] = true;
                }
              }).<Void>mapEmpty()).toList()).<Void>mapEmpty().recover(some -> Future.succeededFuture()));
    }
    return chain.compose(ignored -> keep(found, unknown)).map(ignored -> {
      if (!found.isEmpty()) {
        placed.run();
      }
      return unreachable[0] ? UNAVAILABLE : addresses.size() == ROUND ? PACE : IDLE;
    });
  }

  private Future<Void> keep(Map<String, Geocoder.Place> found, List<String> unknown) {
    if (found.isEmpty() && unknown.isEmpty()) {
      return Future.succeededFuture();
    }
    String now = Instant.now(services.clock()).toString();
    return services.database().write(c -> {
      try (PreparedStatement move = c.prepareStatement("update disaster_register_people set latitude = ?,"
          + " longitude = ?, approximate = 0 where address = ? and approximate = 1");
          PreparedStatement tried = c.prepareStatement("insert into disaster_register_placements (address, found,"
              + " tried_at) values (?, ?, ?) on conflict (address) do update set found = excluded.found,"
              + " tried_at = excluded.tried_at")) {
        for (Map.Entry<String, Geocoder.Place> place : found.entrySet()) {
          move.setDouble(1, place.getValue().point().latitude());
          move.setDouble(2, place.getValue().point().longitude());
          move.setString(3, place.getKey());
          move.executeUpdate();
          tried(tried, place.getKey(), true, now);
        }
        for (String address : unknown) {
          tried(tried, address, false, now);
        }
      }
      return null;
    });
  }

  private static void tried(PreparedStatement tried, String address, boolean found, String now) throws SQLException {
    tried.setString(1, address);
    tried.setInt(2, found ? 1 : 0);
    tried.setString(3, now);
    tried.executeUpdate();
  }

  /**
   * Addresses of people at their 地区's centre in the register's current version or a pending upload
   * (older versions are history: moved when the same address is found, never asked for), not yet
   * answered by the search, or answered "not found" before {@code retryBefore}.
   */
  private static List<String> unplaced(Connection c, String retryBefore) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select distinct p.address from disaster_register_people p"
        + " join disaster_register_imports i on i.id = p.import_id and i.status in ('confirmed', 'pending')"
        + " where p.approximate = 1 and not exists (select 1 from disaster_register_placements t"
        + " where t.address = p.address and (t.found = 1 or t.tried_at > ?)) limit " + ROUND)) {
      s.setString(1, retryBefore);
      try (ResultSet rs = s.executeQuery()) {
        List<String> addresses = new ArrayList<>();
        while (rs.next()) {
          addresses.add(rs.getString(1));
        }
        return addresses;
      }
    }
  }
}
