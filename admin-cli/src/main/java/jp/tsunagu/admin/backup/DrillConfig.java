package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.nio.file.Path;
import jp.tsunagu.admin.LoopbackPorts;

/**
 * The configuration a drill node runs with ({@code drill-node.json} in the copy): the backed-up
 * configuration with everything that reaches outside the machine taken away. It listens on
 * loopback only, so it never meets the real node's ports; it sends no mail and makes
 * no backups (every {@code mail.*} and {@code backup.*} key removed), claims no public address
 * ({@code web.publicUrl}, {@code portal.publicUrl} removed) and uses no certificate files of the
 * real node ({@code tls.*} removed: they lie outside the copy). The copy holds no private keys, so
 * the node makes a fresh identity that partners do not trust: it can never pass for the real node.
 *
 * <p>Its web and federation listeners are on "any free port" (0): the drill node chooses them as it
 * starts (and chooses again if one is taken before it binds), and its federation endpoint follows. Only
 * the admin port, where the drill reaches the node, is written down before the node's process starts;
 * it is taken outside the ephemeral range ({@link LoopbackPorts}), where no outgoing connection of the
 * machine takes it meanwhile.
 */
final class DrillConfig {
    /** The file name in the copy. */
    static final String FILE = "drill-node.json";
    private static final String LOOPBACK = "127.0.0.1";

    private DrillConfig() {
    }

    /** @return a loopback port for the drill node's admin listener, free right now, outside the ephemeral range */
    static int freeAdminPort() throws IOException {
        return LoopbackPorts.freeOutsideEphemeral();
    }

    /** @return the backed-up configuration rewritten for the drill, its admin listener on {@code adminPort} */
    static NodeConfigFile rewrite(NodeConfigFile config, int adminPort) {
        return config.set("dataDir", ".")
                .set("web.host", LOOPBACK).set("web.port", 0L).remove("web.publicUrl")
                .set("federation.host", LOOPBACK).set("federation.port", 0L).remove("federation.endpoint")
                .set("admin.host", LOOPBACK).set("admin.port", (long) adminPort)
                .remove("portal.publicUrl").remove("mail").remove("backup").remove("tls");
    }

    /** Writes {@value #FILE} into the copy from the backed-up configuration. */
    static Path write(Path copy, int adminPort) throws IOException {
        Path file = copy.resolve(FILE);
        rewrite(NodeConfigFile.read(copy.resolve(NodeConfigFile.IN_BACKUP)), adminPort).write(file);
        return file;
    }
}
