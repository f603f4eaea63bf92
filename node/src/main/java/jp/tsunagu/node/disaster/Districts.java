package jp.tsunagu.node.disaster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.node.errors.CodedException;

/**
 * The 地区 of the node's municipalities (the reference list of districts), each with an approximate
 * centre: where a person is placed on the map when the address search cannot find their home, and
 * where a 地区's count is drawn. A 地区 is named by its Japanese name, unique within a node.
 */
final class Districts {

  /** One 地区: its municipality, name and centre. */
  record District(String municipalityCode, String name, double latitude, double longitude) {}

  private final Map<String, District> byName;

  private Districts(Map<String, District> byName) {
    this.byName = byName;
  }

  static Districts of(List<String> municipalityCodes) {
    Set<String> codes = Set.copyOf(municipalityCodes);
    Map<String, double[]> centres = new LinkedHashMap<>();
    for (String[] row : rows("/jp/tsunagu/node/disaster/district-centres.csv")) {
      centres.put(row[0] + "/" + row[1], new double[] {Double.parseDouble(row[2]), Double.parseDouble(row[3])});
    }
    Map<String, District> byName = new LinkedHashMap<>();
    for (String[] row : rows("/reference/districts.csv")) {
      double[] centre = centres.get(row[0] + "/" + row[2]);
      if (codes.contains(row[0]) && centre != null) {
        byName.put(row[2], new District(row[0], row[2], centre[0], centre[1]));
      }
    }
    return new Districts(java.util.Collections.unmodifiableMap(byName));
  }

  Optional<District> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The 地区 in the reference list's order. */
  List<District> all() {
    return List.copyOf(byName.values());
  }

  /** A 地区 named in a request: known, or 404 (a PDF or list of an unknown area). */
  District required(String name) {
    return named(name).orElseThrow(() -> CodedException.notFound("disaster.unknown_district",
        "地区「" + name + "」はこのネットワークにありません。"));
  }

  private static List<String[]> rows(String resource) {
    try (InputStream in = Districts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().skip(1).filter(line -> !line.isBlank()).map(line -> line.strip().split(",")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
