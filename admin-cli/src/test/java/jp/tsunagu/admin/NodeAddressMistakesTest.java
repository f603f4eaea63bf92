package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's usual mistakes with {@code --node} and the account roles get one plain sentence
 * and the right exit code, never a Java exception's text: https to the admin listener (plain HTTP),
 * the web or federation port (TLS) given as the admin API, an unknown role (refused by the CLI, exit 2).
 * Timestamps print to the second, and every example names the admin API's default port 9080.
 */
class NodeAddressMistakesTest {

    @TempDir
    Path temp;
    HttpServer admin;
    HttpsServer web;
    Path tokenFile;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile String answer = "{}";

    @BeforeEach
    void start() throws Exception {
        admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        admin.createContext("/admin/v1/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        admin.start();
        web = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        web.createContext("/", exchange -> {
            received.add("WEB " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        web.start();
        tokenFile = temp.resolve("admin-token");
        Files.writeString(tokenFile, "op3rat0r-t0ken-0f-the-stand-in-n0de-abcdefgh\n");
    }

    @AfterEach
    void stop() {
        admin.stop(0);
        web.stop(0);
    }

    /** A TLS listener's own certificate, as a node's web listener has (made with the JDK's keytool). */
    private SSLContext selfSigned() throws Exception {
        Path store = temp.resolve("web.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keyalg", "EC", "-alias", "web", "-dname", "CN=127.0.0.1", "-validity", "2")
                .redirectErrorStream(true).start();
        try (InputStream output = keytool.getInputStream()) {
            output.readAllBytes();
        }
        assertThat(keytool.waitFor()).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private int adminPort() {
        return admin.getAddress().getPort();
    }

    private int webPort() {
        return web.getAddress().getPort();
    }

    private Cli.Result peers(String url) {
        return Cli.run("peers", "status", "--node", url, "--token-file", tokenFile);
    }

    private static void noJavaText(Cli.Result result) {
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("javax.").doesNotContain("java.")
                .doesNotContain("\tat ");
    }

    @Test
    void https_to_the_plain_http_admin_listener_says_to_use_http_and_exits_with_four() {
        Cli.Result result = peers("https://127.0.0.1:" + adminPort());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NODE);
        assertThat(result.err().strip()).isEqualTo("error: the node's admin listener speaks plain HTTP on loopback; "
                + "use http://127.0.0.1:" + adminPort());
        noJavaText(result);
    }

    @Test
    void the_web_port_given_as_the_admin_api_says_it_speaks_tls_and_names_the_admin_default() {
        for (String url : List.of("http://127.0.0.1:" + webPort(), "https://127.0.0.1:" + webPort())) {
            Cli.Result result = peers(url);
            assertThat(result.exitCode()).as(url).isEqualTo(ExitCodes.NODE);
            assertThat(result.err()).as(url).startsWith("error: 127.0.0.1:" + webPort() + " speaks TLS: that is the "
                    + "node's web or federation listener, not its admin API")
                    .contains("use http://127.0.0.1:9080");
            noJavaText(result);
        }
    }

    @Test
    void a_port_where_nothing_listens_says_so_and_names_the_admin_default() {
        admin.stop(0);
        Cli.Result result = peers("http://127.0.0.1:" + adminPort());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NODE);
        assertThat(result.err()).startsWith("error: nothing listens at http://127.0.0.1:" + adminPort())
                .contains("http://127.0.0.1:9080");
        noJavaText(result);
    }

    @Test
    void a_role_the_node_would_refuse_is_refused_by_the_cli_with_exit_two_and_nothing_is_sent() {
        Cli.Result result = Cli.run("account", "create", "--node", "http://127.0.0.1:" + adminPort(),
                "--token-file", tokenFile, "--role", "admin", "--login-id", "ina-kenkou", "--email", "k@example.jp",
                "--family-name", "田中", "--given-name", "明子", "--family-kana", "タナカ", "--given-kana", "アキコ");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--role").contains("admin")
                .contains("municipal_staff, emergency_responder, node_operator");
        assertThat(received).isEmpty();
        assertThat(Cli.run("account", "create", "--help").out())
                .contains("One of: municipal_staff, emergency_responder, node_operator");
    }

    @Test
    void timestamps_from_the_node_print_to_the_second() {
        answer = "{\"peers\":[{\"node\":\"minamiminowa\",\"endpoint\":\"https://127.0.0.1:18447\",\"reachable\":true,"
                + "\"lastContact\":\"2026-12-06T03:49:26.123456789Z\",\"backlog\":0,\"lagSeconds\":0}]}";
        Cli.Result result = peers("http://127.0.0.1:" + adminPort());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("2026-12-06T03:49:26Z").doesNotContain(".123");
    }

    @Test
    void every_example_names_the_admin_apis_default_port() {
        for (String[] command : List.of(new String[] {"--help"}, new String[] {"peers", "status", "--help"},
                new String[] {"agreement", "list", "--help"}, new String[] {"agreement", "submit", "--help"},
                new String[] {"account", "create", "--help"}, new String[] {"partner-resources", "sync", "--help"})) {
            String help = Cli.run((Object[]) command).out();
            assertThat(help).as(String.join(" ", command)).doesNotContain(":9090").contains("http://127.0.0.1:9080");
        }
    }
}
