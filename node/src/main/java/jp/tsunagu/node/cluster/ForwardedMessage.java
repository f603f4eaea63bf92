package jp.tsunagu.node.cluster;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A whole HTTP request as a follower sends it to the leader over the clustered event bus, and the
 * leader's whole answer back. Headers that belong to one connection (its length, encoding, keep
 * alive) stay behind; everything the request's meaning rests on (cookies, Origin, CSRF token,
 * Idempotency-Key, content type) travels. The answer is asked for uncompressed: the instance that
 * answers the client compresses it as it would its own.
 */
final class ForwardedMessage {

  /** Connection-level headers, and those only the instances set between themselves. */
  private static final Set<String> LEFT_BEHIND = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "upgrade", "content-length", "host", "accept-encoding", "proxy-connection", "http2-settings",
      "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
      "x-forwarded-ssl", ClusterFrontDoor.SECRET_HEADER.toLowerCase(Locale.ROOT),
      ClusterFrontDoor.MARK_HEADER.toLowerCase(Locale.ROOT),
      ClusterFrontDoor.CERTIFICATE_HEADER.toLowerCase(Locale.ROOT));

  private ForwardedMessage() {}

  /**
   * {@code listener}: which of the node's listeners took the request ({@link ClusterFrontDoor.Listener});
   * {@code chain}: the certificate chain the client presented there, leaf first (empty: none).
   */
  static JsonObject request(ClusterFrontDoor.Listener listener, HttpServerRequest request, Buffer body,
      List<byte[]> chain) {
    JsonObject message = new JsonObject()
        .put("listener", listener.name())
        .put("method", request.method().name())
        .put("uri", request.uri())
        .put("authority", request.authority() == null ? "" : request.authority().toString())
        .put("remote", request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress())
        .put("headers", headers(request.headers()))
        .put("body", body.getBytes());
    if (!chain.isEmpty()) {
      JsonArray certificates = new JsonArray();
      chain.forEach(certificates::add);
      message.put("chain", certificates);
    }
    return message;
  }

  static JsonObject answer(HttpClientResponse response, Buffer body) {
    return new JsonObject().put("status", response.statusCode()).put("headers", headers(response.headers()))
        .put("body", body.getBytes());
  }

  /** Writes the leader's answer as this instance's own: same status, headers and body. */
  static void send(HttpServerResponse response, JsonObject answer) {
    response.setStatusCode(answer.getInteger("status"));
    MultiMap headers = toMultiMap(answer.getJsonArray("headers"));
    // The leader's values replace what this instance had put already (security headers, request id).
    for (String name : new LinkedHashSet<>(headers.names())) {
      response.headers().set(name, headers.getAll(name));
    }
    response.end(Buffer.buffer(answer.getBinary("body")));
  }

  static MultiMap toMultiMap(JsonArray pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.size(); i++) {
      JsonArray pair = pairs.getJsonArray(i);
      headers.add(pair.getString(0), pair.getString(1));
    }
    return headers;
  }

  private static JsonArray headers(MultiMap headers) {
    JsonArray pairs = new JsonArray();
    headers.forEach(entry -> {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith(":") && !LEFT_BEHIND.contains(name)) {
        pairs.add(new JsonArray().add(entry.getKey()).add(entry.getValue()));
      }
    });
    return pairs;
  }
}
