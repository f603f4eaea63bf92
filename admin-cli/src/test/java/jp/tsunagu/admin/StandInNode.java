package jp.tsunagu.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jp.tsunagu.federation.json.Json;
import jp.tsunagu.federation.json.JsonFields;

/**
 * What {@code backup drill} starts as {@code java -jar NODE_JAR serve --config FILE}, standing in for the
 * node (whose own drill test lives in the node module): it refuses a configuration that could reach
 * outside the machine or a copy holding the real node's identity, makes its operator token, prunes
 * the sessions as a start does, and serves readiness, the storage summary (counted from the copy's
 * real database) and the agreements on its admin port until SIGTERM, when it exits 0.
 */
public final class StandInNode {
    private StandInNode() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[2]).toAbsolutePath();
        JsonFields json = JsonFields.of(Json.parse(Files.readString(config)), "x", "config");
        for (String outside : List.of("mail", "backup", "tls", "portal")) {
            if (json.has(outside)) {
                System.err.println("the drill configuration still has " + outside);
                System.exit(2);
            }
        }
        Path dataDir = config.getParent().resolve(json.string("dataDir")).normalize();
        if (Files.exists(dataDir.resolve("identity"))) {
            System.err.println("the drill copy holds the real node's identity");
            System.exit(2);
        }
        String token = UUID.randomUUID().toString();
        Files.writeString(dataDir.resolve("admin-token"), token);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tsunagu.db"));
                Statement statement = connection.createStatement()) {
            statement.execute("delete from sessions");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                (int) json.object("admin").integer("port")), 0);
        server.createContext("/health/ready", exchange -> answer(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/admin/v1/", exchange -> {
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"code\":\"admin.unauthorized\",\"message\":\"no\",\"requestId\":\"r\"}");
            } else if (exchange.getRequestURI().getPath().equals("/admin/v1/storage/summary")) {
                answer(exchange, 200, summary(dataDir.resolve("tsunagu.db")));
            } else {
                answer(exchange, 200, "{\"agreements\":[{\"id\":\"kamiina\",\"version\":1,\"status\":\"active\"}]}");
            }
        });
        server.start();
        // as the node: a requested stop (SIGTERM) stops it and exits 0
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            Runtime.getRuntime().halt(0);
        }));
        System.out.println("stand-in node ready on " + server.getAddress());
        Thread.currentThread().join();
    }

    private static String summary(Path database) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("select name from sqlite_master where type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            Map<String, Object> counts = new LinkedHashMap<>();
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("select count(*) from " + table)) {
                    counts.put(table, rs.getLong(1));
                }
            }
            long seq;
            try (ResultSet rs = statement.executeQuery("select coalesce(max(seq), 0) from audit_log")) {
                seq = rs.getLong(1);
            }
            return Json.write(Map.of("node", "ina", "schemaVersion", "110", "rowCounts", counts,
                    "audit", Map.of("seq", seq, "hash", "")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A node that cannot start: it exits at once, as the node does on a configuration or migration error. */
    public static final class Broken {
        private Broken() {
        }

        public static void main(String[] args) {
            System.err.println("start failed: storage.migration_failed: the database is newer than this node");
            System.exit(1);
        }
    }
}
