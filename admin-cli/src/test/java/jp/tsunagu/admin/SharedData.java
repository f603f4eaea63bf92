package jp.tsunagu.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rows of the repository's copy of the shared reference data (real networks and municipality codes). */
final class SharedData {
    private SharedData() {
    }

    /** A row of networks.csv: node name, Japanese network name, municipality codes. */
    record Network(String node, String nameJa, List<String> codes) {
    }

    /** A row of municipalities.csv. */
    record Municipality(String code, String nameEn) {
    }

    static List<Network> networks() {
        return rows("networks.csv").stream().map(r -> new Network(r[0], r[1], List.of(r[3].split(" ")))).toList();
    }

    static List<Municipality> municipalities() {
        return rows("municipalities.csv").stream().map(r -> new Municipality(r[0], r[3])).toList();
    }

    private static List<String[]> rows(String file) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("node/src/main/resources/reference").resolve(file);
            if (Files.isRegularFile(candidate)) {
                try {
                    return Files.readAllLines(candidate, StandardCharsets.UTF_8).stream().skip(1)
                            .filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("node/src/main/resources/reference not found above the working directory");
    }
}
