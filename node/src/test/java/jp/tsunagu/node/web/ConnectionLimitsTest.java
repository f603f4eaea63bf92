package jp.tsunagu.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.config.ConfigLoader;
import jp.tsunagu.node.testing.RawTls;
import jp.tsunagu.node.testing.TestHttp;
import jp.tsunagu.node.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web listener bounds what a connection may hold: a request head must arrive within
 * {@code limits.headerTimeoutSeconds} (2 s here), however slowly its bytes trickle in; browsers that
 * offer HTTP/2 get it (a real node over real TLS).
 */
class ConnectionLimitsTest {

  @TempDir
  static Path dir;

  static TsunaguNode node;

  @BeforeAll
  static void start() {
    JsonObject json = TestNodes.json("minowa").put("limits", new JsonObject().put("headerTimeoutSeconds", 2));
    node = TsunaguNode.start(new ConfigLoader(name -> null).fromJson(json, dir));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** True when the server closed the connection (end of stream or reset) before the deadline. */
  private static boolean closedByServer(SSLSocket socket, long deadlineNanos, boolean trickle) throws IOException {
    socket.setSoTimeout(500);
    InputStream in = socket.getInputStream();
    while (System.nanoTime() < deadlineNanos) {
      try {
        if (trickle) {
          socket.getOutputStream().write('x');
          socket.getOutputStream().flush();
        }
        int read = in.read();
        if (read < 0) {
          return true;
        }
      } catch (java.net.SocketTimeoutException e) {
        // nothing yet: keep trickling
      } catch (IOException e) {
        return true; // reset, or our write failed on a closed connection
      }
    }
    return false;
  }

  @Test
  void connections_that_trickle_a_request_head_are_closed_after_the_header_timeout() throws Exception {
    List<SSLSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        SSLSocket socket = RawTls.connect(node);
        socket.getOutputStream().write(("GET /resources HTTP/1.1\r\nHost: 127.0.0.1:" + node.webPort()
            + "\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        sockets.add(socket);
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      for (SSLSocket socket : sockets) {
        assertThat(closedByServer(socket, deadline, true)).as("a slow head is cut off").isTrue();
      }
      // The listener still serves everyone else.
      assertThat(new TestHttp(node).get("/health/live").statusCode()).isEqualTo(200);
    } finally {
      for (SSLSocket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void a_kept_alive_connection_that_sends_no_next_request_is_closed_after_the_header_timeout() throws Exception {
    try (SSLSocket socket = RawTls.connect(node)) {
      socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:" + node.webPort() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.setSoTimeout(10_000);
      byte[] buffer = new byte[4096];
      int n = socket.getInputStream().read(buffer);
      assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
      // Drain the rest of the answer, then send nothing.
      long deadline = System.nanoTime() + 30_000_000_000L;
      assertThat(closedByServer(socket, deadline, false)).isTrue();
    }
  }

  @Test
  void a_client_offering_http2_gets_it_and_one_offering_http1_only_still_is_served() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
        .sslContext(TestHttp.trusting(node.services().keys().identity().tlsCertificate())).build();
    HttpResponse<String> response = h2.send(java.net.http.HttpRequest.newBuilder(node.webUrl().resolve("/resources"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.headers().firstValue("content-security-policy")).isPresent();
    RawTls.Answer http1 = RawTls.send(node, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:" + node.webPort()
        + "\r\nConnection: close\r\n");
    assertThat(http1.status()).isEqualTo(200);
  }
}
