package jp.tsunagu.admin.backup;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jp.tsunagu.admin.AdminMain;
import jp.tsunagu.admin.CliException;
import jp.tsunagu.admin.ExitCodes;

/**
 * Finds the node's jar for a drill: {@code --node-jar}, else the environment variable
 * {@value #ENV}, else {@code tsunagu-node.jar} beside the admin jar (how a release is unpacked),
 * else {@code node/target/tsunagu-node.jar} under the current directory (a source checkout).
 */
final class NodeJar {
    static final String ENV = "TSUNAGU_NODE_JAR";
    static final String FILE = "tsunagu-node.jar";

    private NodeJar() {
    }

    static Path locate(Path option, Function<String, String> environment, Path adminJar, Path currentDir) {
        if (option != null) {
            return existing(List.of(option), "--node-jar " + option);
        }
        List<Path> candidates = new ArrayList<>();
        String fromEnvironment = environment.apply(ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return existing(List.of(Path.of(fromEnvironment)), ENV + "=" + fromEnvironment);
        }
        if (adminJar != null && adminJar.getFileName().toString().endsWith(".jar")) {
            candidates.add(adminJar.resolveSibling(FILE));
        }
        candidates.add(currentDir.resolve("node/target").resolve(FILE));
        return existing(candidates, "looked for " + candidates);
    }

    /** @return where this program's own jar is, or null when it runs from classes */
    static Path adminJar() {
        try {
            Path location = Path.of(AdminMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    private static Path existing(List<Path> candidates, String where) {
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new CliException(ExitCodes.INPUT, "drill.node_jar_missing: no node jar (" + where + "); give --node-jar FILE "
                + "or set " + ENV);
    }
}
