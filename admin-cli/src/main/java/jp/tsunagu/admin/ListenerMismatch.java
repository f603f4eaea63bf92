package jp.tsunagu.admin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Turns a failed connection to {@code --node} into a sentence an operator can act on. The admin API
 * is plain HTTP on loopback (default {@code http://127.0.0.1:9080}); the usual mistakes are
 * {@code https://} to it, and the web or federation port (TLS) given instead of it.
 */
final class ListenerMismatch {

    static final String DEFAULT_ADMIN = "http://127.0.0.1:9080";
    private static final int PROBE_MILLIS = 3000;

    private ListenerMismatch() {
    }

    /**
     * @param base the {@code --node} URL
     * @param e    why the request failed
     * @return the failure to report, exit code 4
     */
    static CliException explain(URI base, IOException e) {
        String host = base.getHost() == null ? "127.0.0.1" : base.getHost();
        int port = base.getPort() > 0 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        boolean tlsPort = speaksTls(host, port);
        if (tlsPort) {
            return new CliException(ExitCodes.NODE, hostPort + " speaks TLS: that is the node's web or federation "
                    + "listener, not its admin API. The admin listener speaks plain HTTP on loopback; use "
                    + DEFAULT_ADMIN + " (or the node's admin.port)", e);
        }
        if (https && (causedBy(e, SSLException.class) || speaksPlainHttp(host, port))) {
            return new CliException(ExitCodes.NODE, "the node's admin listener speaks plain HTTP on loopback; use http://"
                    + hostPort, e);
        }
        if (causedBy(e, ConnectException.class)) {
            return new CliException(ExitCodes.NODE, "nothing listens at " + base + " (is the node running? Its admin API "
                    + "is " + DEFAULT_ADMIN + " unless admin.port says otherwise)", e);
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
            return new CliException(ExitCodes.NODE, "no answer from " + base + " in time", e);
        }
        return new CliException(ExitCodes.NODE, "node unreachable at " + base + ": "
                + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the listener there answers a plain HTTP request with an HTTP status line. */
    private static boolean speaksPlainHttp(String host, int port) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), PROBE_MILLIS);
            plain.setSoTimeout(PROBE_MILLIS);
            plain.getOutputStream().write(("HEAD / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            plain.getOutputStream().flush();
            byte[] head = plain.getInputStream().readNBytes(5);
            return new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a TLS handshake succeeds there (any certificate: this only tells the kind of listener). */
    private static boolean speaksTls(String host, int port) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), PROBE_MILLIS);
            plain.setSoTimeout(PROBE_MILLIS);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
                tls.startHandshake();
                return true;
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** Accepts any certificate: the probe sends nothing and only learns whether the listener speaks TLS. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
