package jp.tsunagu.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The project's shared reference data (real municipality codes and networks), read from the
 * repository's copy of the project's {@code shared/data} (the node ships it in its jar).
 */
public final class ReferenceData {
    private ReferenceData() {
    }

    /** A row of municipalities.csv. */
    public record Municipality(String code, String prefecture, String nameJa, String nameEn) {
    }

    /** A row of networks.csv. */
    public record Network(String node, String networkJa, String operatorJa, List<String> codes, String pact) {
    }

    public static List<Municipality> municipalities() {
        return rows("municipalities.csv").stream().map(r -> new Municipality(r[0], r[1], r[2], r[3])).toList();
    }

    public static List<Network> networks() {
        return rows("networks.csv").stream()
                .map(r -> new Network(r[0], r[1], r[2], Arrays.asList(r[3].split(" ")), r.length > 4 ? r[4] : ""))
                .toList();
    }

    public static Network network(String node) {
        return networks().stream().filter(n -> n.node().equals(node)).findFirst().orElseThrow();
    }

    private static List<String[]> rows(String file) {
        try {
            return Files.readAllLines(dataDir().resolve(file), StandardCharsets.UTF_8).stream()
                    .skip(1).filter(line -> !line.isBlank()).map(line -> line.split(",", -1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The copy of shared/data kept in the repository. */
    static final String REFERENCE_COPY = "node/src/main/resources/reference";

    private static Path dataDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            // The repository's own copy (shipped in the node jar), so a clone alone runs the tests.
            Path candidate = dir.resolve(REFERENCE_COPY);
            if (Files.isRegularFile(candidate.resolve("municipalities.csv"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(REFERENCE_COPY + " not found above " + Path.of("").toAbsolutePath());
    }
}
