package jp.tsunagu.admin.sensors;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.sensors.GatewayBatch;
import jp.tsunagu.federation.wire.ErrorResponse;

/**
 * Sends signed batches to a node's web listener as a gateway would: over HTTPS trusting only the
 * certificate given (the node's own, which no public CA signed), or plain HTTP to a local stand-in.
 */
final class GatewayPoster {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI batches;
    private final HttpClient http;

    GatewayPoster(URI web, Path trustedCertificate) {
        this.batches = URI.create(web.toString().replaceAll("/+$", "") + GatewayBatch.PATH);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if ("https".equals(web.getScheme())) {
            if (trustedCertificate == null) {
                throw new CliException(ExitCodes.USAGE, "an https:// node needs --trust FILE: its web certificate (PEM)");
            }
            builder.sslContext(trusting(trustedCertificate));
        }
        this.http = builder.build();
    }

    /** Gateway ids go into paths: only the characters the node gives them. */
    static void requireGatewayId(String id) {
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new CliException(ExitCodes.USAGE, "not a gateway id: " + id);
        }
    }

    /** @return the node's answer (batch, received, stored, duplicates) */
    Map<String, Object> send(String gatewayId, SigningKey key, String batchId, List<GatewayBatch.Reading> readings) {
        byte[] body = GatewayBatch.body(gatewayId, batchId, System.currentTimeMillis(), readings);
        HttpRequest request = HttpRequest.newBuilder(batches).timeout(TIMEOUT).header("Content-Type", "application/json")
                .header(GatewayBatch.SIGNATURE_HEADER, GatewayBatch.sign(key, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(ExitCodes.NODE, "cannot reach " + batches + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.NODE, "interrupted while sending to " + batches, e);
        }
        try {
            if (response.statusCode() >= 400) {
                ErrorResponse error = ErrorResponse.parse(response.body());
                throw new CliException(ExitCodes.NODE, error.code() + ": " + error.message());
            }
            return Json.parseObject(response.body());
        } catch (ProtocolException e) {
            throw new CliException(ExitCodes.NODE, "node answered HTTP " + response.statusCode() + " without a JSON body", e);
        }
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("node-" + i++, certificate);
            }
            if (i == 0) {
                throw new CliException(ExitCodes.INPUT, pem + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(ExitCodes.INPUT, "cannot read the certificate " + pem + ": " + e.getMessage(), e);
        }
    }
}
