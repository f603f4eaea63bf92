package jp.tsunagu.admin.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.tsunagu.admin.AdminMain;
import jp.tsunagu.federation.crypto.VerificationKey;
import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.jws.Base64Url;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensors commands against a stand-in for the node's admin API and its gateway route (plain HTTP
 * on loopback): it records each request, answers what it was told to, and checks each batch's
 * signature with the public key the test registered.
 */
class SensorsCommandsTest {
    @TempDir
    Path temp;
    HttpServer server;
    String url;
    Path tokenFile;
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> batches = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer = "{}";
    volatile VerificationKey gatewayKey;

    record Result(int exitCode, String out, String err) {}

    static Result run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] text = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            text[i] = String.valueOf(args[i]);
        }
        int code = AdminMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(text);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/v1/", this::admin);
        server.createContext("/api/v1/gateway/batches", this::batch);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        tokenFile = temp.resolve("admin-token");
        Files.writeString(tokenFile, "t0ken-0f-the-stand-in\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void admin(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
        reply(exchange, status, answer);
    }

    private void batch(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String signature = exchange.getRequestHeaders().getFirst("Tsunagu-Signature");
        if (!gatewayKey.verify(body, Base64Url.decode(signature, "x"))) {
            reply(exchange, 401, "{\"code\":\"ingest.signature_invalid\",\"message\":\"bad\",\"requestId\":\"r\"}");
            return;
        }
        Map<String, Object> batch = Json.parseObject(new String(body, StandardCharsets.UTF_8));
        batches.add(batch);
        int count = ((List<?>) batch.get("readings")).size();
        reply(exchange, 200, "{\"batch\":\"" + batch.get("batch") + "\",\"received\":" + count + ",\"stored\":" + count
                + ",\"duplicates\":0}");
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void keygen_writes_the_private_key_owner_only_and_the_public_key_beside_it_and_never_overwrites() throws Exception {
        Path key = temp.resolve("gw1.jwk");
        Result result = run("sensors", "gateway", "keygen", "--out", key);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Map<String, Object> publicJwk = Json.parseObject(Files.readString(temp.resolve("gw1.public.jwk")));
        assertThat(publicJwk).containsKeys("kty", "crv", "x").doesNotContainKey("d");
        assertThat(Json.parseObject(Files.readString(key))).containsKey("d");
        assertThat(result.out()).contains("fingerprint: SHA256:");
        assertThat(run("sensors", "gateway", "keygen", "--out", key).exitCode()).isEqualTo(3);
    }

    @Test
    void issue_sends_only_the_public_half_and_prints_the_gateway_id() {
        Path key = temp.resolve("gw1.jwk");
        run("sensors", "gateway", "keygen", "--out", key);
        status = 201;
        answer = "{\"id\":\"gw-00aa11bb22cc33dd\",\"status\":\"active\"}";

        Result result = run("sensors", "gateway", "issue", "--node", url, "--token-file", tokenFile, "--issued-by",
                "ina-unyou", "--name", "伊那市 西箕輪", "--provider", "みまもりテック株式会社", "--public-key", key, "--rate", "30");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("issued gateway gw-00aa11bb22cc33dd");
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request).startsWith("POST /admin/v1/sensors/gateways {");
            Map<String, Object> body = Json.parseObject(request.substring(request.indexOf('{')));
            assertThat(body).containsEntry("issuedBy", "ina-unyou").containsEntry("ratePerMinute", 30L);
            assertThat((Map<String, Object>) body.get("publicKey")).doesNotContainKey("d");
        });
    }

    @Test
    void list_prints_a_table_and_revoke_names_the_account_and_refusals_exit_with_four() {
        answer = "{\"gateways\":[{\"id\":\"gw-1\",\"name\":\"西箕輪\",\"provider\":\"みまもりテック\",\"status\":\"active\","
                + "\"ratePerMinute\":60,\"devices\":10,\"lastSeenMs\":1765000000000}]}";
        Result list = run("sensors", "gateway", "list", "--node", url, "--token-file", tokenFile);
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("gw-1").contains("西箕輪").contains("2025-12-06T05:46:40Z");

        answer = "{\"id\":\"gw-1\",\"status\":\"revoked\"}";
        assertThat(run("sensors", "gateway", "revoke", "--node", url, "--token-file", tokenFile, "--revoked-by",
                "ina-unyou", "gw-1").exitCode()).isZero();
        assertThat(received).contains("POST /admin/v1/sensors/gateways/gw-1/revoke {\"revokedBy\":\"ina-unyou\"}");

        status = 409;
        answer = "{\"code\":\"sensors.gateway_already_revoked\",\"message\":\"すでに失効\",\"requestId\":\"r\"}";
        Result again = run("sensors", "gateway", "revoke", "--node", url, "--token-file", tokenFile, "--revoked-by",
                "ina-unyou", "gw-1");
        assertThat(again.exitCode()).isEqualTo(4);
        assertThat(again.err()).contains("sensors.gateway_already_revoked");
        assertThat(run("sensors", "gateway", "revoke", "--node", url, "--token-file", tokenFile, "--revoked-by",
                "ina-unyou", "../accounts").exitCode()).isEqualTo(2);
    }

    @Test
    void simulate_plays_the_gateways_households_and_signs_every_batch() throws Exception {
        Path key = temp.resolve("gw1.jwk");
        run("sensors", "gateway", "keygen", "--out", key);
        gatewayKey = VerificationKey.fromJwk(Json.parseObject(Files.readString(temp.resolve("gw1.public.jwk"))));
        StringBuilder devices = new StringBuilder("{\"gateway\":{\"id\":\"gw-1\"},\"devices\":[");
        for (String household : List.of("hh-1", "hh-2")) {
            for (String[] place : new String[][] {{"entrance", "door"}, {"fridge", "door"}, {"room", "climate"}}) {
                devices.append("{\"id\":\"").append(household).append('-').append(place[0]).append("\",\"household\":\"")
                        .append(household).append("\",\"place\":\"").append(place[0]).append("\",\"kind\":\"")
                        .append(place[1]).append("\",\"householdStatus\":\"active\"},");
            }
        }
        answer = devices.substring(0, devices.length() - 1) + "]}";

        Result result = run("sensors", "simulate", "--node", url, "--token-file", tokenFile, "--web", url, "--gateway",
                "gw-1", "--key", key, "--backlog-hours", "24", "--quiet", "hh-2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("playing 2 households of gateway gw-1");
        assertThat(received).containsExactly("GET /admin/v1/sensors/gateways/gw-1/devices ");
        List<Map<String, Object>> readings = batches.stream()
                .flatMap(b -> ((List<Map<String, Object>>) b.get("readings")).stream()).toList();
        assertThat(batches).allSatisfy(b -> assertThat(b).containsEntry("gateway", "gw-1"));
        assertThat(readings.stream().filter(r -> r.get("kind").equals("climate"))).hasSizeBetween(2 * 1439, 2 * 1441);
        assertThat(readings.stream().filter(r -> r.get("kind").equals("open"))).hasSizeGreaterThan(10);
        assertThat(run("sensors", "simulate", "--node", url, "--token-file", tokenFile, "--web", url, "--gateway",
                "gw-1", "--key", key, "--quiet", "hh-9").exitCode()).isEqualTo(2);
    }

    @Test
    void the_help_of_every_sensors_command_has_examples_and_exit_codes() {
        for (String[] command : new String[][] {{"sensors"}, {"sensors", "gateway"}, {"sensors", "gateway", "issue"},
            {"sensors", "gateway", "list"}, {"sensors", "gateway", "revoke"}, {"sensors", "gateway", "keygen"},
            {"sensors", "simulate"}}) {
            Object[] args = java.util.Arrays.copyOf(command, command.length + 1, Object[].class);
            args[command.length] = "--help";
            Result help = run(args);
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("Example").contains("Exit codes:");
        }
    }
}
