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
import java.util.LinkedHashMap;
import java.util.Map;
import jp.tsunagu.node.web.ApiException;

/**
 * Turns an address into a point through a GSI-style address search: {@code GET <url><address>}
 * answering a GeoJSON-like array whose first feature is the best match
 * ({@code geometry.coordinates = [longitude, latitude]}, {@code properties.title}). The URL is
 * configurable so a municipality can point it at its own service, and tests at a stand-in.
 */
public final class Geocoder {

  /** A found place: where it is and how the geocoder named it. */
  public record Place(GeoPoint point, String label) {}

  private static final int TIMEOUT_MILLIS = 8_000;
  private static final int REMEMBERED = 1_000;

  private final URI url;
  private volatile HttpClient client;
  // A patient's home is located each time their 周辺資源 tab is filtered: found places are kept
  // (the least recently used go first), failures are not, so a fixed address is found next time.
  private final Map<String, Place> found = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Place> eldest) {
          return size() > REMEMBERED;
        }
      });

  public Geocoder(URI url) {
    this.url = url;
  }

  public Future<Place> locate(Vertx vertx, String address) {
    String query = address == null ? "" : address.strip();
    if (query.isEmpty() || query.length() > 200) {
      return Future.failedFuture(ApiException.badRequest("geocoder.invalid_address",
          "住所を200文字以内で入力してください。"));
    }
    Place known = found.get(query);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
        .setAbsoluteURI(url + URLEncoder.encode(query, StandardCharsets.UTF_8)).setTimeout(TIMEOUT_MILLIS)
        .putHeader("Accept", "application/json");
    return client(vertx).request(request)
        .compose(req -> req.send())
        .compose(response -> response.statusCode() == 200 ? response.body()
            : Future.<Buffer>failedFuture(unavailable()))
        .recover(error -> Future.<Buffer>failedFuture(error instanceof ApiException ? error : unavailable()))
        .map(body -> first(body.toString(StandardCharsets.UTF_8), query))
        .onSuccess(place -> found.put(query, place));
  }

  private HttpClient client(Vertx vertx) {
    HttpClient current = client;
    if (current == null) {
      synchronized (this) {
        if (client == null) {
          client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(TIMEOUT_MILLIS));
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
        throw ApiException.notFound("geocoder.not_found", "住所「" + query + "」の場所が見つかりません。");
      }
      JsonObject feature = features.getJsonObject(0);
      JsonArray coordinates = feature.getJsonObject("geometry").getJsonArray("coordinates");
      GeoPoint point = new GeoPoint(coordinates.getDouble(1), coordinates.getDouble(0));
      if (!point.inJapan()) {
        throw ApiException.notFound("geocoder.not_found", "住所「" + query + "」の場所が見つかりません。");
      }
      JsonObject properties = feature.getJsonObject("properties");
      String label = properties == null ? query : properties.getString("title", query);
      return new Place(point, label);
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException malformed) {
      throw unavailable();
    }
  }

  private static ApiException unavailable() {
    return new ApiException(503, "geocoder.unavailable",
        "住所検索サービスに接続できません。緯度・経度で指定するか、時間をおいてお試しください。");
  }
}
