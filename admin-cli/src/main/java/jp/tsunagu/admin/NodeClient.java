package jp.tsunagu.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.wire.ErrorResponse;

/**
 * Talks JSON to a running node's admin API ({@code /admin/v1}, plain HTTP on loopback). Every
 * failure becomes a {@link CliException} with exit code 4; error bodies of the shape
 * {@code {code, message, requestId}} are reported as {@code <code>: <message>}.
 */
public final class NodeClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * @param base  the node's admin base URL, e.g. {@code http://127.0.0.1:9080}
     * @param token the node's operator token (from {@code DATADIR/admin-token}), sent as a Bearer credential
     */
    public NodeClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * @param path e.g. {@code /admin/v1/agreements}
     * @return the JSON object answered
     */
    public Map<String, Object> get(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).GET().build());
    }

    /**
     * @param path e.g. {@code /admin/v1/agreements}
     * @param json request body
     * @return the JSON object answered
     */
    public Map<String, Object> post(String path, String json) {
        return send(HttpRequest.newBuilder(resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    private URI resolve(String path) {
        String text = base.toString().replaceAll("/+$", "");
        return URI.create(text + path);
    }

    private Map<String, Object> send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ListenerMismatch.explain(base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.NODE, "interrupted while waiting for " + base, e);
        }
        if (response.statusCode() >= 400) {
            throw refused(response);
        }
        try {
            return Json.parseObject(response.body());
        } catch (ProtocolException e) {
            throw new CliException(ExitCodes.NODE, "node answered HTTP " + response.statusCode() + " with a body that is not a JSON object", e);
        }
    }

    private static CliException refused(HttpResponse<String> response) {
        try {
            ErrorResponse error = ErrorResponse.parse(response.body());
            return new CliException(ExitCodes.NODE, error.code() + ": " + error.message()
                    + (error.requestId() == null ? "" : " (request " + error.requestId() + ")"));
        } catch (ProtocolException e) {
            return new CliException(ExitCodes.NODE, "node refused with HTTP " + response.statusCode(), e);
        }
    }

}
