package jp.tsunagu.admin;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import jp.tsunagu.federation.audit.AuditCheckpoint;
import jp.tsunagu.federation.audit.AuditHash;
import jp.tsunagu.federation.backup.BackupKey;
import jp.tsunagu.federation.backup.BackupManifest;
import jp.tsunagu.federation.backup.BackupTarget;
import jp.tsunagu.federation.backup.Generation;
import jp.tsunagu.federation.backup.GenerationWriter;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;

/**
 * A node's data directory and real backups of it, written as the node writes them: a real SQLite
 * database (the node's audit_log schema, a table of patients, one of sessions), a signed audit
 * checkpoint at the snapshot's head, the node's identity, its configuration, two attachments (one of
 * several 64 KiB chunks), encrypted with {@link GenerationWriter} to an operator's backup key.
 */
final class BackupFixture {
    static final String NODE = "ina";
    static final Map<String, Long> ROWS = Map.of("audit_log", 4L, "patients", 3L, "sessions", 2L);

    final Path dataDir;
    final Path targetDir;
    final Path keyFile;
    final BackupKey key;
    final BackupTarget target;
    final NodeIdentity identity;
    private String auditHead;

    BackupFixture(Path temp) throws Exception {
        dataDir = Files.createDirectories(temp.resolve("data"));
        targetDir = Files.createDirectories(temp.resolve("target"));
        keyFile = temp.resolve("ina.backup-key");
        key = BackupKey.generate();
        Files.writeString(keyFile, key.privateText() + "\n");
        target = BackupTarget.of(targetDir, NODE);
        identity = NodeIdentity.create(dataDir.resolve("identity"), new NodeProfile(NODE, "伊那市",
                List.of(MunicipalityCode.parse("202096")), URI.create("https://ina.example.jp:9443")));
        database();
        AuditCheckpoint.write(dataDir.resolve(AuditCheckpoint.FILE),
                new AuditCheckpoint(NODE, 4, auditHead, Instant.parse("2026-12-06T01:59:00Z")).sign(identity));
        attachment(1_000, 1);
        attachment(200_000, 2);
    }

    private void database() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tsunagu.db"));
                Statement statement = connection.createStatement()) {
            statement.execute("create table audit_log (seq integer primary key, at text not null, actor text not null,"
                    + " action text not null, target text not null, outcome text not null, detail text not null,"
                    + " prev_hash text not null, hash text not null) strict");
            statement.execute("create table patients (id text primary key, family_name text not null)");
            statement.execute("create table sessions (id_hash text primary key, user_id text not null)");
            statement.execute("insert into patients values ('p1', '田中'), ('p2', '鈴木'), ('p3', '佐藤')");
            statement.execute("insert into sessions values ('s1', 'u1'), ('s2', 'u2')");
            String prev = AuditHash.GENESIS;
            for (long seq = 1; seq <= 4; seq++) {
                String at = "2026-12-06T01:5" + seq + ":00Z";
                String hash = AuditHash.of(prev, seq, at, "user:tanaka", "patient.viewed", "patient:p1", "ok", "{}");
                try (PreparedStatement insert = connection.prepareStatement("insert into audit_log values (?, ?, 'user:tanaka',"
                        + " 'patient.viewed', 'patient:p1', 'ok', '{}', ?, ?)")) {
                    insert.setLong(1, seq);
                    insert.setString(2, at);
                    insert.setString(3, prev);
                    insert.setString(4, hash);
                    insert.executeUpdate();
                }
                prev = hash;
            }
            auditHead = prev;
        }
    }

    private void attachment(int size, long seed) throws Exception {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Path file = dataDir.resolve("attachments").resolve(sha.substring(0, 2)).resolve(sha);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    /** The node's configuration as the backup keeps it. */
    static String config() {
        return """
                {
                  "node": {"name": "ina", "displayName": "伊那市", "municipalities": ["202096"]},
                  "dataDir": "/var/lib/tsunagu/ina",
                  "web": {"host": "0.0.0.0", "port": 8443, "publicUrl": "https://ina.example.jp"},
                  "federation": {"host": "0.0.0.0", "port": 9443, "endpoint": "https://ina.example.jp:9443"},
                  "admin": {"host": "127.0.0.1", "port": 9080},
                  "tls": {"certificateFile": "/etc/tsunagu/cert.pem", "privateKeyFile": "/etc/tsunagu/key.pem"},
                  "mail": {"host": "smtp.example.jp", "port": 587, "from": "tsunagu@ina.example.jp"},
                  "backup": {"target": "/mnt/nas/tsunagu", "recipient": "tsunagu-backup-1-x", "schedule": "02:00"},
                  "portal": {"publicUrl": "https://portal.ina.example.jp"},
                  "log": {"format": "text", "level": "INFO"}
                }
                """;
    }

    /** Writes a complete backup made at {@code at}, as the node's backup run does. */
    Generation backup(Instant at, boolean withKeys) throws Exception {
        try (BackupTarget.Lock lock = target.lock();
                GenerationWriter writer = GenerationWriter.begin(target, lock, BackupKey.parseRecipient(key.recipient()), at)) {
            writer.addFile("tsunagu.db", dataDir.resolve("tsunagu.db"));
            writer.addFile(AuditCheckpoint.FILE, dataDir.resolve(AuditCheckpoint.FILE));
            writer.addFile("identity/node.json", dataDir.resolve("identity/node.json"));
            writer.addBytes("identity/card.json", identity.card().toPrettyJson().getBytes(StandardCharsets.UTF_8));
            writer.addBytes("config/node.json", config().getBytes(StandardCharsets.UTF_8));
            writer.addBytes("agreements/kamiina-1.json", "{\"payload\":\"x\",\"signatures\":[]}".getBytes(StandardCharsets.UTF_8));
            if (withKeys) {
                for (Path file : files(dataDir.resolve("identity"))) {
                    String path = dataDir.relativize(file).toString().replace('\\', '/');
                    if (!path.equals("identity/node.json")) {
                        writer.addFile(path, file);
                    }
                }
            }
            for (Path file : files(dataDir.resolve("attachments"))) {
                String path = dataDir.relativize(file).toString().replace('\\', '/');
                writer.addAttachment(path, file, objectName(path), Optional.empty());
            }
            return writer.finish(new BackupManifest(NODE, at, "110", "test", withKeys, 4, auditHead, ROWS, List.of(), List.of()));
        }
    }

    /** A keyed name as the node gives objects: the same path, the same name, revealing nothing of the content. */
    static String objectName(String path) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("object:" + path).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
