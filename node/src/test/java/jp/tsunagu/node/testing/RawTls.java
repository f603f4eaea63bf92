package jp.tsunagu.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import jp.tsunagu.node.TsunaguNode;

/**
 * HTTP/1.1 written by hand over a real TLS connection to a node's web listener, for requests no
 * well-behaved client sends (another {@code Host}, none at all, a head that never ends).
 */
public final class RawTls {

  private RawTls() {}

  /** A parsed answer: status, headers (lower-case names) and the body as text. */
  public record Answer(int status, Map<String, String> headers, String body) {}

  /** Opens a TLS connection that trusts the node's certificate alone; the handshake is done. */
  public static SSLSocket connect(TsunaguNode node) throws IOException {
    SSLSocket socket = (SSLSocket) TestHttp.trusting(node.services().keys().identity().tlsCertificate())
        .getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", node.webPort()), 5_000);
    socket.setSoTimeout(20_000);
    socket.startHandshake();
    return socket;
  }

  /** Sends {@code head} (request line and headers, each ending in CRLF; the blank line is added) and reads the answer. */
  public static Answer send(TsunaguNode node, String head) throws IOException {
    try (SSLSocket socket = connect(node)) {
      socket.getOutputStream().write((head + "\r\n").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    }
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    String text = "";
    while ((n = in.read(buffer)) >= 0) {
      all.write(buffer, 0, n);
      text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        Map<String, String> headers = headers(text.substring(0, end));
        String length = headers.get("content-length");
        if (length != null && all.size() - (end + 4) >= Integer.parseInt(length)) {
          break;
        }
      }
    }
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete answer: " + text);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    return new Answer(status, headers(text.substring(0, end)), text.substring(end + 4));
  }

  private static Map<String, String> headers(String head) {
    Map<String, String> headers = new LinkedHashMap<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return headers;
  }
}
