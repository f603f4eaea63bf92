package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * The configuration a drill node runs with ({@code drill-node.json} in the copy): the backed-up
 * configuration with everything that reaches outside the machine taken away. It listens on
 * loopback only, on free ports, so it never meets the real node's ports; it sends no mail and makes
 * no backups (every {@code mail.*} and {@code backup.*} key removed), claims no public address
 * ({@code web.publicUrl}, {@code portal.publicUrl} removed) and uses no certificate files of the
 * real node ({@code tls.*} removed: they lie outside the copy). The copy holds no private keys, so
 * the node makes a fresh identity that partners do not trust: it can never pass for the real node.
 */
final class DrillConfig {
    /** The file name in the copy. */
    static final String FILE = "drill-node.json";
    private static final String LOOPBACK = "127.0.0.1";

    /** Loopback ports the drill node listens on. */
    record Ports(int web, int federation, int admin) {
        /** @return three ports free right now (the node takes them a moment later; a clash fails its start, visibly) */
        static Ports free() throws IOException {
            try (ServerSocket web = open(); ServerSocket federation = open(); ServerSocket admin = open()) {
                return new Ports(web.getLocalPort(), federation.getLocalPort(), admin.getLocalPort());
            }
        }

        private static ServerSocket open() throws IOException {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        }
    }

    private DrillConfig() {
    }

    /** @return the backed-up configuration rewritten for the drill */
    static NodeConfigFile rewrite(NodeConfigFile config, Ports ports) {
        return config.set("dataDir", ".")
                .set("web.host", LOOPBACK).set("web.port", (long) ports.web()).remove("web.publicUrl")
                .set("federation.host", LOOPBACK).set("federation.port", (long) ports.federation())
                .set("federation.endpoint", "https://" + LOOPBACK + ":" + ports.federation())
                .set("admin.host", LOOPBACK).set("admin.port", (long) ports.admin())
                .remove("portal.publicUrl").remove("mail").remove("backup").remove("tls");
    }

    /** Writes {@value #FILE} into the copy from the backed-up configuration. */
    static Path write(Path copy, Ports ports) throws IOException {
        Path file = copy.resolve(FILE);
        rewrite(NodeConfigFile.read(copy.resolve(NodeConfigFile.IN_BACKUP)), ports).write(file);
        return file;
    }
}
