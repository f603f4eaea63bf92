package jp.tsunagu.node.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The real reference data shipped in the jar: municipality codes (全国地方公共団体コード), the regional
 * home-care networks and the professions (職種). Read once; immutable.
 */
public final class ReferenceData {

  /** A municipality with its 6-digit code. */
  public record Municipality(String code, String prefecture, String nameJa, String nameEn) {}

  /** A real regional network: one node each. */
  public record Network(String node, String networkJa, String operatorJa, List<String> municipalityCodes,
      String pact) {}

  /** A profession (職種) with its stable code. */
  public record Profession(String code, String nameJa, String nameEn) {}

  private static final ReferenceData INSTANCE = new ReferenceData();

  private final Map<String, Municipality> municipalities;
  private final Map<String, Network> networks;
  private final Map<String, Profession> professions;

  private ReferenceData() {
    municipalities = index(read("municipalities.csv", f -> new Municipality(f[0], f[1], f[2], f[3])),
        Municipality::code);
    networks = index(read("networks.csv", f -> new Network(f[0], f[1], f[2], Arrays.asList(f[3].split(" ")),
        f.length > 4 ? f[4] : "")), Network::node);
    professions = index(read("professions.csv", f -> new Profession(f[0], f[1], f[2])), Profession::code);
  }

  public static ReferenceData get() {
    return INSTANCE;
  }

  public Optional<Municipality> municipality(String code) {
    return Optional.ofNullable(municipalities.get(code));
  }

  public Optional<Network> network(String node) {
    return Optional.ofNullable(networks.get(node));
  }

  public List<Network> networksOfPact(String pact) {
    return networks.values().stream().filter(n -> n.pact().equals(pact)).toList();
  }

  public List<Profession> professions() {
    return List.copyOf(professions.values());
  }

  public Optional<Profession> profession(String code) {
    return Optional.ofNullable(professions.get(code));
  }

  private static <T> List<T> read(String file, Function<String[], T> row) {
    InputStream in = ReferenceData.class.getResourceAsStream("/reference/" + file);
    if (in == null) {
      throw new IllegalStateException("reference data missing from the build: " + file);
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<T> rows = new ArrayList<>();
      reader.readLine();
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(row.apply(line.split(",", -1)));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> Map<String, T> index(List<T> rows, Function<T, String> key) {
    Map<String, T> map = new LinkedHashMap<>();
    rows.forEach(r -> map.put(key.apply(r), r));
    return java.util.Collections.unmodifiableMap(map);
  }
}
