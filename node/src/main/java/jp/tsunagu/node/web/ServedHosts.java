package jp.tsunagu.node.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import jp.tsunagu.node.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host names the web listener answers to, checked before any route runs. A request naming another
 * host (a {@code Host} an attacker chose, to poison a cached page or a link) gets 421
 * {@code request.host_unknown}; one without a usable {@code Host} gets 400 {@code request.malformed}.
 * Both carry the security headers and a request id and disclose nothing. The hosts are those of
 * {@code web.publicUrl} and {@code portal.publicUrl}, the configured {@code web.host} with the port
 * listened on, and, for a loopback bind, {@code localhost}, {@code 127.0.0.1} and {@code [::1]}.
 */
public final class ServedHosts {

  private static final Logger ACCESS = LoggerFactory.getLogger("tsunagu.access");

  private final Set<String> authorities;

  private ServedHosts(Set<String> authorities) {
    this.authorities = Set.copyOf(authorities);
  }

  /** From a configuration whose ports are the ones listened on. */
  public static ServedHosts of(NodeConfig config) {
    Set<String> served = new HashSet<>();
    int port = config.web().port();
    served.add(authority(config.web().host(), port));
    served.add(authority(URI.create(config.webUrl())));
    served.add(authority(URI.create(config.portalUrl())));
    if (isLoopback(config.web().host())) {
      for (String loopback : Set.of("localhost", "127.0.0.1", "::1")) {
        served.add(authority(loopback, port));
      }
    }
    return new ServedHosts(served);
  }

  /** Whether a request naming this authority is for this node. */
  public boolean serves(HostAndPort authority) {
    return authorities.contains(authority(authority.host(), authority.port() < 0 ? 443 : authority.port()));
  }

  /** Runs {@code next} for requests to a served host and answers every other request itself. */
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next, String tileOrigin) {
    return request -> {
      HostAndPort authority = authorityOf(request);
      if (authority != null && serves(authority)) {
        next.handle(request);
      } else if (authority == null) {
        refuse(request, tileOrigin, 400, "request.malformed", "リクエストの形式が正しくありません。");
      } else {
        refuse(request, tileOrigin, 421, "request.host_unknown", "このアドレスでは提供していません。");
      }
    };
  }

  /**
   * The server's handler for requests Netty could not decode (a bad request line, an invalid
   * {@code Host}, too long a line or head): the same JSON shape and headers as every refusal.
   */
  public static Handler<HttpServerRequest> invalidRequests(String tileOrigin) {
    return request -> {
      Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
      String kind = cause == null ? "" : cause.getClass().getSimpleName();
      if (kind.equals("TooLongHttpLineException")) {
        refuse(request, tileOrigin, 414, "request.uri_too_long", "アドレスが長すぎます。");
      } else if (kind.equals("TooLongHttpHeaderException")) {
        refuse(request, tileOrigin, 431, "request.headers_too_large", "リクエストのヘッダーが大きすぎます。");
      } else {
        refuse(request, tileOrigin, 400, "request.malformed", "リクエストの形式が正しくありません。");
      }
    };
  }

  private static HostAndPort authorityOf(HttpServerRequest request) {
    try {
      HostAndPort authority = request.authority();
      return authority == null || authority.host() == null || authority.host().isEmpty() ? null : authority;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void refuse(HttpServerRequest request, String tileOrigin, int status, String code, String message) {
    String id = RequestIds.newId();
    ACCESS.info("{} {} {} refused {} id={}", request.method(), request.path(), status, code, id);
    request.response().setStatusCode(status);
    SecurityHeaders.apply(request.response().headers(), tileOrigin);
    request.response().putHeader(RequestIds.HEADER, id).putHeader("Cache-Control", "no-store")
        .putHeader("Content-Type", "application/json; charset=utf-8");
    if (request.version() != HttpVersion.HTTP_2) {
      // The connection may carry more requests for the wrong host: end it with this answer.
      request.response().putHeader("Connection", "close");
    }
    request.response().end(new JsonObject().put("code", code).put("message", message).put("requestId", id).encode());
  }

  private static String authority(URI uri) {
    return authority(uri.getHost(), uri.getPort() < 0 ? 443 : uri.getPort());
  }

  private static String authority(String host, int port) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return bare.toLowerCase(Locale.ROOT) + "|" + port;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
