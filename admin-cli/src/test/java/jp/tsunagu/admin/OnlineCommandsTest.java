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
    static final String TOKEN = "op3rat0r-t0ken-0f-the-stand-in-n0de-abcdefgh";
    Path tokenFile;
    volatile int status = 201;
    volatile String answer = "{}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/v1/", this::record);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        tokenFile = temp.resolve("admin-token");
        Files.writeString(tokenFile, TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            byte[] refusal = "{\"code\":\"admin.unauthorized\",\"message\":\"the admin API needs the operator token\",\"requestId\":\"r1\"}"
                    .getBytes(StandardCharsets.UTF_8);
            received.add("REFUSED " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(401, refusal.length);
            exchange.getResponseBody().write(refusal);
            exchange.close();
            return;
        }
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
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, "--token-file", tokenFile, agreement);

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
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, "--token-file", tokenFile, temp.resolve("w.json"));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received.get(0)).startsWith("POST /admin/v1/withdrawals {");
    }

    @Test
    void a_refusal_by_the_node_prints_its_code_and_message_and_exits_with_four() {
        Path agreement = signedAgreement();
        status = 422;
        answer = "{\"code\":\"agreement.not_a_party\",\"message\":\"this node is not a party\",\"requestId\":\"r-1\"}";
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, "--token-file", tokenFile, agreement);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: agreement.not_a_party: this node is not a party");
    }

    @Test
    void a_malformed_file_is_not_sent() throws Exception {
        Files.writeString(temp.resolve("bad.json"), "{\"payload\":");
        Cli.Result result = Cli.run("agreement", "submit", "--node", url, "--token-file", tokenFile, temp.resolve("bad.json"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(received).isEmpty();
    }

    @Test
    void list_prints_the_nodes_agreements() {
        status = 200;
        answer = "{\"agreements\":[{\"id\":\"kamiina\",\"version\":2,\"title\":\"上伊那広域連携協定\",\"status\":\"active\","
                + "\"parties\":[{\"node\":\"ina\",\"status\":\"signed\"},{\"node\":\"minowa\",\"status\":\"withdrawn\"}],"
                + "\"notAfter\":\"2027-03-31T15:00:00Z\"}]}";
        Cli.Result result = Cli.run("agreement", "list", "--node", url, "--token-file", tokenFile);
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
        Cli.Result result = Cli.run("peers", "status", "--node", url, "--token-file", tokenFile);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("minamiminowa\\s+https://minamiminowa.tsunagu.test:8443\\s+yes\\s+2025-04-01T00:00:00Z\\s+3\\s+12s")
                .containsPattern("minowa\\s+\\S+\\s+no\\s+never");
    }

    @Test
    void cluster_status_prints_the_leader_its_token_and_each_follower_s_lag() {
        status = 200;
        answer = "{\"cluster\":\"ina-ha\",\"self\":\"n-a\",\"role\":\"leader\",\"members\":[\"n-a\",\"n-b\",\"n-c\"],"
                + "\"leader\":\"n-a\",\"token\":7,\"syncReplicas\":1,\"appliedBatch\":120,\"highestTokenSeen\":7,"
                + "\"followers\":[{\"node\":\"n-b\",\"appliedBatch\":120,\"lag\":0},{\"node\":\"n-c\",\"appliedBatch\":117,\"lag\":3}]}";
        Cli.Result result = Cli.run("cluster", "status", "--node", url, "--token-file", tokenFile);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received).containsExactly("GET /admin/v1/cluster ");
        assertThat(result.out()).contains("leader:         n-a").contains("fencing token:  7")
                .containsPattern("MEMBER\\s+ROLE\\s+APPLIED BATCH\\s+LAG")
                .containsPattern("n-a\\s+leader").containsPattern("n-b\\s+follower\\s+120\\s+0")
                .containsPattern("n-c\\s+follower\\s+117\\s+3");
    }

    @Test
    void cluster_status_prints_each_instance_s_state_lag_and_exits_with_four_while_no_instance_leads() {
        status = 200;
        answer = "{\"cluster\":\"ina-ha\",\"self\":\"n-a\",\"role\":\"leader\",\"state\":\"leader\","
                + "\"members\":[\"n-a\",\"n-b\",\"n-c\",\"n-d\"],\"leader\":\"n-a\",\"token\":9,\"syncReplicas\":1,"
                + "\"appliedBatch\":300,\"highestTokenSeen\":9,\"instances\":["
                + "{\"node\":\"n-a\",\"state\":\"leader\",\"appliedBatch\":300,\"lag\":0},"
                + "{\"node\":\"n-b\",\"state\":\"follower\",\"appliedBatch\":296,\"lag\":4},"
                + "{\"node\":\"n-c\",\"state\":\"bootstrapping\",\"appliedBatch\":null},"
                + "{\"node\":\"n-d\",\"state\":\"diverged\",\"appliedBatch\":null}]}";
        Cli.Result result = Cli.run("cluster", "status", "--node", url, "--token-file", tokenFile);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received).containsExactly("GET /admin/v1/cluster ");
        assertThat(result.out()).contains("fencing token:  9")
                .containsPattern("MEMBER\\s+STATE\\s+APPLIED BATCH\\s+LAG")
                .containsPattern("n-a\\s+leader\\s+300\\s+0").containsPattern("n-b\\s+follower\\s+296\\s+4")
                .containsPattern("n-c\\s+bootstrapping\\s+-\\s+-").containsPattern("n-d\\s+diverged\\s+-\\s+-");

        answer = "{\"cluster\":\"ina-ha\",\"self\":\"n-b\",\"role\":\"follower\",\"state\":\"follower\","
                + "\"members\":[\"n-b\",\"n-c\"],\"leader\":null,\"token\":0,\"syncReplicas\":1,\"appliedBatch\":296,"
                + "\"highestTokenSeen\":9,\"instances\":[{\"node\":\"n-b\",\"state\":\"follower\",\"appliedBatch\":296},"
                + "{\"node\":\"n-c\",\"state\":\"joining\",\"appliedBatch\":null}]}";
        Cli.Result leaderless = Cli.run("cluster", "status", "--node", url, "--token-file", tokenFile);
        assertThat(leaderless.exitCode()).isEqualTo(ExitCodes.NODE);
        assertThat(leaderless.out()).contains("leader:         none").containsPattern("n-b\\s+follower\\s+296\\s+-")
                .containsPattern("n-c\\s+joining\\s+-\\s+-");
    }

    @Test
    void cluster_status_of_a_single_instance_says_so_and_without_a_leader_exits_with_four() {
        status = 200;
        answer = "{\"role\":\"single\"}";
        Cli.Result single = Cli.run("cluster", "status", "--node", url, "--token-file", tokenFile);
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(single.out()).contains("single instance (no cluster configured)");

        answer = "{\"cluster\":\"ina-ha\",\"self\":\"n-b\",\"role\":\"follower\",\"members\":[\"n-b\",\"n-c\"],"
                + "\"leader\":null,\"token\":0,\"syncReplicas\":1,\"appliedBatch\":118,\"highestTokenSeen\":7}";
        Cli.Result leaderless = Cli.run("cluster", "status", "--node", url, "--token-file", tokenFile);
        assertThat(leaderless.exitCode()).isEqualTo(ExitCodes.NODE);
        assertThat(leaderless.out()).contains("leader:         none").containsPattern("n-b\\s+follower\\s+-");
    }

    @Test
    void cluster_status_help_names_the_admin_route() {
        Cli.Result help = Cli.run("cluster", "status", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("GET /admin/v1/cluster").contains("fencing token").contains("bootstrapping")
                .contains("diverged");
    }

    static final String PULLS = "{\"partners\":[{\"node\":\"minamiminowa\",\"attemptedAt\":\"2025-04-01T00:10:00Z\","
            + "\"fetchedAt\":\"2025-04-01T00:10:00Z\",\"resources\":42,\"rejected\":1,\"problem\":null}";

    @Test
    void partner_resources_sync_posts_to_the_sync_resource_and_prints_each_partner() {
        status = 200;
        answer = PULLS + "]}";
        Cli.Result result = Cli.run("partner-resources", "sync", "--node", url, "--token-file", tokenFile);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received).containsExactly("POST /admin/v1/partner-resources/sync ");
        assertThat(result.out()).containsPattern("PARTNER\\s+RESOURCES\\s+REJECTED\\s+FETCHED")
                .containsPattern("minamiminowa\\s+42\\s+1\\s+2025-04-01T00:10:00Z\\s+2025-04-01T00:10:00Z\\s+-");
    }

    @Test
    void partner_resources_sync_exits_with_four_when_a_partner_could_not_be_pulled_and_shows_why() {
        status = 200;
        answer = PULLS + ",{\"node\":\"minowa\",\"attemptedAt\":\"2025-04-01T00:10:04Z\",\"fetchedAt\":null,"
                + "\"resources\":0,\"rejected\":0,\"problem\":\"peer.timeout\"}]}";
        Cli.Result result = Cli.run("partner-resources", "sync", "--node", url, "--token-file", tokenFile);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).containsPattern("minowa\\s+0\\s+0\\s+never\\s+2025-04-01T00:10:04Z\\s+peer.timeout");
        assertThat(result.err()).startsWith("error: 1 of 2 partner(s) could not be pulled");
    }

    @Test
    void partner_resources_status_reads_without_pulling_and_says_when_no_partner_shares_resources() {
        status = 200;
        answer = "{\"partners\":[]}";
        Cli.Result result = Cli.run("partner-resources", "status", "--node", url, "--token-file", tokenFile);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received).containsExactly("GET /admin/v1/partner-resources ");
        assertThat(result.out()).contains("no partner shares resources with this node");
    }

    @Test
    void partner_resources_refusals_and_malformed_answers_exit_with_their_codes() {
        status = 500;
        answer = "{\"code\":\"internal.error\",\"message\":\"内部エラーが発生しました。\",\"requestId\":\"r-9\"}";
        Cli.Result refused = Cli.run("partner-resources", "sync", "--node", url, "--token-file", tokenFile);
        assertThat(refused.exitCode()).isEqualTo(4);
        assertThat(refused.err()).startsWith("error: internal.error: 内部エラーが発生しました。 (request r-9)");
        status = 200;
        answer = "{\"partners\":[{\"node\":\"minowa\"}]}";
        Cli.Result malformed = Cli.run("partner-resources", "status", "--node", url, "--token-file", tokenFile);
        assertThat(malformed.exitCode()).isEqualTo(3);
        assertThat(malformed.err()).startsWith("error: ");
    }

    @Test
    void partner_resources_help_has_examples_and_exit_codes() {
        Cli.Result help = Cli.run("partner-resources", "sync", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("POST /admin/v1/partner-resources/sync")
                .contains("tsunagu-admin partner-resources sync --node http://127.0.0.1:9080")
                .contains("Exit codes:").contains("4  node unreachable or request refused")
                .contains("Exits 4 also when a partner could not be pulled");
        assertThat(Cli.run("partner-resources", "--help").out()).contains("status").contains("sync");
        assertThat(Cli.run("--help").out()).contains("partner-resources");
    }

    @Test
    void an_unreachable_node_exits_with_four() {
        server.stop(0);
        Cli.Result result = Cli.run("peers", "status", "--node", url, "--token-file", tokenFile);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).startsWith("error: nothing listens at " + url);
    }

    static final String[] ACCOUNT = {"account", "create", "--role", "municipal_staff", "--login-id", "ina-kenkou",
        "--email", "kenkou@city.ina.example.jp", "--family-name", "田中", "--given-name", "明子", "--family-kana", "タナカ",
        "--given-kana", "アキコ", "--device", "windows", "--remark", "健康推進課"};

    private Cli.Result createAccount(String... more) {
        List<Object> args = new java.util.ArrayList<>(List.of((Object[]) ACCOUNT));
        args.addAll(List.of("--node", url, "--token-file", tokenFile));
        args.addAll(List.of((Object[]) more));
        return Cli.run(args.toArray());
    }

    static final String USER = "\"user\":{\"id\":\"u-1\",\"loginId\":\"ina-kenkou\",\"email\":\"kenkou@city.ina.example.jp\","
            + "\"familyName\":\"田中\",\"givenName\":\"明子\",\"role\":\"municipal_staff\",\"roleLabel\":\"行政\"}";

    @Test
    void account_create_posts_the_person_and_says_where_the_secrets_were_mailed() {
        answer = "{" + USER + ",\"certificateId\":\"c-1\",\"mailSent\":true,\"delivery\":\"mail\"}";
        Cli.Result result = createAccount();
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received).singleElement().satisfies(request -> assertThat(request)
                .startsWith("POST /admin/v1/accounts {")
                .contains("\"role\":\"municipal_staff\"", "\"loginId\":\"ina-kenkou\"", "\"familyName\":\"田中\"",
                        "\"deviceType\":\"windows\"", "\"remark\":\"健康推進課\"")
                .doesNotContain("delivery").doesNotContain("profession"));
        assertThat(result.out()).contains("created 行政 (municipal_staff) account ina-kenkou")
                .contains("mailed to kenkou@city.ina.example.jp");
    }

    @Test
    void account_create_prints_credentials_for_hand_delivery_once() {
        answer = "{" + USER + ",\"mailSent\":false,\"delivery\":\"hand\",\"credentials\":{\"loginId\":\"ina-kenkou\","
                + "\"initialPassword\":\"Abc23defGhk45m\",\"retrievalNumber\":\"1234-5678-9012-3456\","
                + "\"certificatePassword\":\"Pq7rStuvWxyz2a\",\"certificateUrl\":\"https://ina.example.jp/#/certificate\","
                + "\"loginUrl\":\"https://ina.example.jp/#/login\"}}";
        Cli.Result result = createAccount("--deliver", "hand");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(received.get(0)).contains("\"delivery\":\"hand\"");
        assertThat(result.out()).contains("in person").contains("Abc23defGhk45m").contains("1234-5678-9012-3456")
                .contains("Pq7rStuvWxyz2a").doesNotContain("could not be sent");
    }

    @Test
    void account_create_says_so_when_the_mail_failed_and_prints_the_credentials() {
        answer = "{" + USER + ",\"mailSent\":false,\"delivery\":\"hand\",\"credentials\":{\"loginId\":\"ina-kenkou\","
                + "\"initialPassword\":\"Abc23defGhk45m\",\"retrievalNumber\":\"1234-5678-9012-3456\","
                + "\"certificatePassword\":\"Pq7rStuvWxyz2a\",\"certificateUrl\":\"u\",\"loginUrl\":\"u\"}}";
        Cli.Result result = createAccount();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("the mail could not be sent").contains("Abc23defGhk45m");
    }

    @Test
    void account_create_reports_a_refusal_with_its_code_and_exits_with_four() {
        status = 409;
        answer = "{\"code\":\"registration.duplicate_login_id\",\"message\":\"このログインIDはすでに使われています。\","
                + "\"requestId\":\"r-9\"}";
        Cli.Result result = createAccount();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NODE);
        assertThat(result.err()).startsWith("error: registration.duplicate_login_id: このログインIDはすでに使われています。");
    }

    @Test
    void account_create_without_a_required_option_is_a_usage_error_and_sends_nothing() {
        Cli.Result result = Cli.run("account", "create", "--node", url, "--token-file", tokenFile, "--role", "municipal_staff");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--login-id");
        assertThat(received).isEmpty();
    }

    @Test
    void account_create_help_has_examples_and_exit_codes() {
        Cli.Result result = Cli.run("account", "create", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Examples:").contains("--deliver").contains("Exit codes:");
    }

    @Test
    void online_commands_send_the_operator_token_from_the_token_file_and_report_a_refusal() throws Exception {
        answer = "{\"agreements\":[]}";
        Cli.Result ok = Cli.run("agreement", "list", "--node", url, "--token-file", tokenFile);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(received).containsExactly("GET /admin/v1/agreements ");

        Files.writeString(tokenFile, "not-the-token\n");
        Cli.Result refused = Cli.run("peers", "status", "--node", url, "--token-file", tokenFile);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.NODE);
        assertThat(refused.err()).contains("admin.unauthorized").doesNotContain("not-the-token");

        Cli.Result missing = Cli.run("peers", "status", "--node", url, "--token-file", temp.resolve("nowhere"));
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(missing.err()).contains("operator token");
        assertThat(received).hasSize(2);
    }

    @Test
    void without_a_token_file_an_online_command_is_a_usage_error_and_calls_nothing() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TSUNAGU_ADMIN_TOKEN_FILE") == null);
        Cli.Result result = Cli.run("agreement", "list", "--node", url);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--token-file");
        assertThat(received).isEmpty();
        assertThat(Cli.run("agreement", "list", "--help").out()).contains("--token-file", "TSUNAGU_ADMIN_TOKEN_FILE");
    }
}
