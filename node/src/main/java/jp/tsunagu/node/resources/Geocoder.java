package jp.tsunagu.node.resources;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an address into a point through a GSI-style address search: {@code GET <url><address>}
 * answering a GeoJSON-like array whose first feature is the best match
 * ({@code geometry.coordinates = [longitude, latitude]}, {@code properties.title}). The URL is
 * configurable so a municipality can point it at its own service, and tests at a stand-in.
 *
 * <p>Found places are kept in the database ({@code geocoded_addresses}) by the exact query: a
 * patient's home is located each time their 周辺資源 tab is filtered, and it should still be found
 * after a restart and while the address search is unreachable. Failures are not kept, so a
 * corrected address is looked up again.
 */
public final class Geocoder {

  /** A found place: where it is and how the geocoder named it. */
  public record Place(GeoPoint point, String label) {}

  private static final Logger LOG = LoggerFactory.getLogger(Geocoder.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(8);
  private static final int REMEMBERED = 1_000;

  private final URI url;
  private final Database database;
  private final Clock clock;
  private final int timeoutMillis;
  private volatile HttpClient client;
  // The most recently used places, in front of the table, so a filtered tab costs no read.
  private final Map<String, Place> recent = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Place> eldest) {
          return size() > REMEMBERED;
        }
      });

  public Geocoder(URI url, Database database, Clock clock) {
    this(url, database, clock, TIMEOUT);
  }

  /** {@code timeout}: how long connecting to, and then an answer of, the address search may take. */
  Geocoder(URI url, Database database, Clock clock, Duration timeout) {
    this.url = url;
    this.database = database;
    this.clock = clock;
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
  }

  public Future<Place> locate(Vertx vertx, String address) {
    String query = address == null ? "" : address.strip();
    if (query.isEmpty() || query.length() > 200) {
      return Future.failedFuture(CodedException.invalid("geocoder.invalid_address",
          "住所を200文字以内で入力してください。"));
    }
    Place known = recent.get(query);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return database.read(c -> kept(c, query)).compose(kept -> kept.isPresent()
        ? Future.succeededFuture(kept.get()) : search(vertx, query).compose(place -> keep(place, query)))
        .onSuccess(place -> recent.put(query, place));
  }

  /**
   * The places already found for these addresses, from the node's own table: the address search is
   * not asked, so this answers at once for any number of addresses (a register's upload).
   */
  public Future<Map<String, Place>> known(java.util.Collection<String> addresses) {
    return database.read(c -> {
      Map<String, Place> found = new java.util.HashMap<>();
      for (String address : addresses) {
        String query = address == null ? "" : address.strip();
        if (!query.isEmpty()) {
          kept(c, query).ifPresent(place -> found.put(address, place));
        }
      }
      return found;
    });
  }

  private Future<Place> search(Vertx vertx, String query) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
        .setAbsoluteURI(url + URLEncoder.encode(query, StandardCharsets.UTF_8)).setTimeout(timeoutMillis)
        .putHeader("Accept", "application/json");
    return client(vertx).request(request)
        .compose(req -> req.send())
        .compose(response -> response.statusCode() == 200 ? response.body()
            : Future.<Buffer>failedFuture(unavailable()))
        .recover(error -> Future.<Buffer>failedFuture(error instanceof CodedException ? error : unavailable()))
        .map(body -> first(body.toString(StandardCharsets.UTF_8), query));
  }

  /** Keeps a found place; a place that cannot be kept is still answered (it is looked up again next time). */
  private Future<Place> keep(Place place, String query) {
    String now = Instant.now(clock).toString();
    return database.write(c -> {
      keep(c, query, place, now);
      return place;
    }).recover(error -> {
      LOG.warn("a geocoded place could not be kept: {}", error.toString());
      return Future.succeededFuture(place);
    });
  }

  /** Keeps a place for a query (the demo keeps its fictional patients' homes this way). */
  static void keep(Connection c, String query, Place place, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into geocoded_addresses (query, latitude, longitude, label,"
        + " found_at) values (?, ?, ?, ?, ?) on conflict (query) do update set latitude = excluded.latitude,"
        + " longitude = excluded.longitude, label = excluded.label, found_at = excluded.found_at")) {
      s.setString(1, query);
      s.setDouble(2, place.point().latitude());
      s.setDouble(3, place.point().longitude());
      s.setString(4, place.label());
      s.setString(5, now);
      s.executeUpdate();
    }
  }

  private static Optional<Place> kept(Connection c, String query) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select latitude, longitude, label from geocoded_addresses"
        + " where query = ?")) {
      s.setString(1, query);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Place(new GeoPoint(rs.getDouble(1), rs.getDouble(2)), rs.getString(3)))
            : Optional.empty();
      }
    }
  }

  private HttpClient client(Vertx vertx) {
    HttpClient current = client;
    if (current == null) {
      synchronized (this) {
        if (client == null) {
          client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeoutMillis));
        }
        current = client;
      }
    }
    return current;
  }

  private static Place first(String body, String query) {
    try {
      JsonArray features = new JsonArray(body);
      if (features.isEmpty()) {
        throw CodedException.notFound("geocoder.not_found", "住所「" + query + "」の場所が見つかりません。");
      }
      JsonObject feature = features.getJsonObject(0);
      JsonArray coordinates = feature.getJsonObject("geometry").getJsonArray("coordinates");
      GeoPoint point = new GeoPoint(coordinates.getDouble(1), coordinates.getDouble(0));
      if (!point.inJapan()) {
        throw CodedException.notFound("geocoder.not_found", "住所「" + query + "」の場所が見つかりません。");
      }
      JsonObject properties = feature.getJsonObject("properties");
      String label = properties == null ? query : properties.getString("title", query);
      return new Place(point, label);
    } catch (CodedException e) {
      throw e;
    } catch (RuntimeException malformed) {
      throw unavailable();
    }
  }

  private static CodedException unavailable() {
    return CodedException.unavailable("geocoder.unavailable",
        "住所検索サービスに接続できません。緯度・経度で指定するか、時間をおいてお試しください。");
  }
}
