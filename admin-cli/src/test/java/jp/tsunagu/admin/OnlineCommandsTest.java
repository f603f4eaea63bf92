package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jp.tsunagu.federation.agreement.AgreementDocument;

/**
 * The online commands against a stand-in for the node's admin API (the node is built elsewhere to
 * the contract in admin-cli/README.md): it records each request and answers what it was told to.
 */
class OnlineCommandsTest {
    @TempDir
    Path temp;
    HttpServer server;
    String url;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile int status = 201;
    volatile String answer = "{}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/v1/", this::record);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    Path signedAgreement() {
        for (String[] node : new String[][] {{"ina", "202096"}, {"minamiminowa", "203858"}}) {
            Cli.run("node", "init", "--dir", temp.resolve(node[0]), "--name", node[0], "--municipality", node[1],
                    "--endpoint", "https://" + node[0] + ".tsunagu.test:8443");
            Cli.run("node", "export-card", "--dir", temp.resolve(node[0]), "--out", temp.resolve(node[0] + ".card"));
        }
        Cli.run("agreement", "draft", "--id", "kamiina", "--title", "上伊那広域連携協定", "--card", temp.resolve("ina.card"),
                "--card", temp.resolve("minamiminowa.card"), "--scope", "care-team", "--valid-days", "365", "--out", temp.resolve("d.json"));
        Cli.run("agreement", "sign", "--identity", temp.resolve("ina"), "--out", temp.resolve("a.json"), temp.resolve("d.json"));
        Cli.run("agreement", "sign", "--identity", temp.resolve("minamiminowa"), "--out", temp.resolve("k.json"), temp.resolve("a.json"));
        return temp.resolve("k.json");
    }

    @Test
    void submit_posts_the_document_to_the_agreements_resource() throws Exception {
        Path agreement = signedAgreement();
        answer = "{\"id\":\"kamiina\",\"version\":1,\"status\":\"active\"}";
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, agreement);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"status\":\"active\"");
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).startsWith("POST /admin/v1/agreements {");
        String body = received.get(0).substring("POST /admin/v1/agreements ".length());
        assertThat(AgreementDocument.parse(body).sha256()).isEqualTo(AgreementDocument.parse(Files.readString(agreement)).sha256());
    }

    @Test
    void submit_sends_a_withdrawal_to_the_withdrawals_resource() {
        Path agreement = signedAgreement();
        Cli.run("agreement", "withdraw", "--identity", temp.resolve("ina"), "--agreement", agreement, "--out", temp.resolve("w.json"));
        answer = "{\"id\":\"kamiina\",\"version\":1,\"status\":\"active\"}";
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, temp.resolve("w.json"));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received.get(0)).startsWith("POST /admin/v1/withdrawals {");
    }

    @Test
    void a_refusal_by_the_node_prints_its_code_and_message_and_exits_with_four() {
        Path agreement = signedAgreement();
        status = 422;
        answer = "{\"code\":\"agreement.not_a_party\",\"message\":\"this node is not a party\",\"requestId\":\"r-1\"}";
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, agreement);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: agreement.not_a_party: this node is not a party");
    }

    @Test
    void a_malformed_file_is_not_sent() throws Exception {
        Files.writeString(temp.resolve("bad.json"), "{\"payload\":");
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, temp.resolve("bad.json"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(received).isEmpty();
    }

    @Test
    void list_prints_the_nodes_agreements() {
        status = 200;
        answer = "{\"agreements\":[{\"id\":\"kamiina\",\"version\":2,\"title\":\"上伊那広域連携協定\",\"status\":\"active\","
                + "\"parties\":[{\"node\":\"ina\",\"status\":\"signed\"},{\"node\":\"minowa\",\"status\":\"withdrawn\"}],"
                + "\"notAfter\":\"2027-03-31T15:00:00Z\"}]}";
        Cli.Result result = Cli.run("agreement", "list", "--node", url);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("kamiina").contains("active").contains("minowa(withdrawn)").contains("2027-03-31T15:00:00Z");
        assertThat(received).containsExactly("GET /admin/v1/agreements ");
    }

    @Test
    void peers_status_prints_reachability_and_lag() {
        status = 200;
        answer = "{\"peers\":[{\"node\":\"minamiminowa\",\"endpoint\":\"https://minamiminowa.tsunagu.test:8443\",\"reachable\":true,"
                + "\"lastContact\":\"2025-04-01T00:00:00Z\",\"backlog\":3,\"lagSeconds\":12},"
                + "{\"node\":\"minowa\",\"endpoint\":\"https://minowa.tsunagu.test:8443\",\"reachable\":false,\"lastContact\":null,\"backlog\":0,\"lagSeconds\":0}]}";
        Cli.Result result = Cli.run("peers", "status", "--node", url);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("minamiminowa\\s+https://minamiminowa.tsunagu.test:8443\\s+yes\\s+2025-04-01T00:00:00Z\\s+3\\s+12s")
                .containsPattern("minowa\\s+\\S+\\s+no\\s+never");
    }

    @Test
    void an_unreachable_node_exits_with_four() {
        server.stop(0);
        Cli.Result result = Cli.run("peers", "status", "--node", url);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: node unreachable at");
    }
}
