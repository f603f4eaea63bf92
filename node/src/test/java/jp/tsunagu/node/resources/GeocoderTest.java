package jp.tsunagu.node.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.config.NodeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Found places outlive the node and the address search: kept in the node's database by query. */
class GeocoderTest {

  private static final String HOME = "長野県伊那市荒井3500";
  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, java.time.Duration.ofSeconds(10), 64);
  /**
   * The stand-in answers at once, but on a machine loaded with other builds the first request (a new
   * client, a new connection) has waited longer than the node's 8 s: these tests check what is kept and
   * answered, not how fast, so the search and the waits for it are given time a loaded machine needs.
   */
  private static final Duration SEARCH_TIMEOUT = Duration.ofSeconds(60);
  private static final long WAIT_SECONDS = 120;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aFoundPlaceIsAnsweredAfterARestartWhileTheAddressSearchIsDown() throws Exception {
    URI url;
    try (GeocoderStandIn search = new GeocoderStandIn(Map.of(HOME, new double[] {137.9540, 35.8280}));
        Database database = Database.open(dir.resolve("tsunagu.db"), SETTINGS)) {
      url = URI.create(search.config().getString("url"));
      Geocoder.Place found = locate(new Geocoder(url, database, Clock.systemUTC(), SEARCH_TIMEOUT), HOME);
      assertThat(found.point()).isEqualTo(new GeoPoint(35.8280, 137.9540));
    }
    // The address search is gone and the node restarted on the same database.
    try (Database database = Database.open(dir.resolve("tsunagu.db"), SETTINGS)) {
      Geocoder restarted = new Geocoder(url, database, Clock.systemUTC(), SEARCH_TIMEOUT);
      assertThat(locate(restarted, HOME).point()).isEqualTo(new GeoPoint(35.8280, 137.9540));
      assertThatThrownBy(() -> locate(restarted, "長野県伊那市西町5000"))
          .cause().isInstanceOf(CodedException.class).hasFieldOrPropertyWithValue("code", "geocoder.unavailable");
    }
  }

  @Test
  void anAddressNotFoundIsNotKeptSoACorrectionIsLookedUpAgain() throws Exception {
    try (GeocoderStandIn search = new GeocoderStandIn(Map.of(HOME, new double[] {137.9540, 35.8280}));
        Database database = Database.open(dir.resolve("tsunagu.db"), SETTINGS)) {
      Geocoder geocoder = new Geocoder(URI.create(search.config().getString("url")), database, Clock.systemUTC(),
          SEARCH_TIMEOUT);
      assertThatThrownBy(() -> locate(geocoder, "長野県伊那市荒井9999"))
          .cause().isInstanceOf(CodedException.class).hasFieldOrPropertyWithValue("code", "geocoder.not_found");
      assertThat(kept(database)).isZero();
      locate(geocoder, HOME);
      assertThat(kept(database)).isEqualTo(1);
    }
  }

  private Geocoder.Place locate(Geocoder geocoder, String address) throws Exception {
    return geocoder.locate(vertx, address).toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static int kept(Database database) throws Exception {
    return database.submitRead(c -> {
      try (var s = c.prepareStatement("select count(*) from geocoded_addresses"); var rs = s.executeQuery()) {
        return rs.getInt(1);
      }
    }).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
