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
 * The 地区 of the node's municipalities, each with an approximate centre: where a person is placed on
 * the map when the address search cannot find their home, and where a 地区's count is drawn. A 地区 is
 * named by its Japanese name, unique within a node. The node ships the 地区 of the 上伊那 municipalities
 * (the reference list of districts); a municipality elsewhere puts its own list, with centres, in the
 * node's data folder as {@value #OWN_LIST} ({@code municipality_code,district_ja,latitude,longitude}),
 * which then replaces the shipped one.
 */
final class Districts {

  /** One 地区: its municipality, name and centre. */
  record District(String municipalityCode, String name, double latitude, double longitude) {}

  private final Map<String, District> byName;

  private Districts(Map<String, District> byName) {
    this.byName = byName;
  }

  /** The file in the node's data folder that lists the municipality's own 地区. */
  static final String OWN_LIST = "districts.csv";

  /**
   * The 地区 of the node's municipalities: from {@value #OWN_LIST} in {@code dataDir} when there is one
   * (refused, and the node does not start, when a row is not a 地区 of the node's municipalities with
   * a centre in Japan), else the shipped list.
   */
  static Districts of(List<String> municipalityCodes, java.nio.file.Path dataDir) {
    java.nio.file.Path own = dataDir.resolve(OWN_LIST);
    return java.nio.file.Files.isRegularFile(own) ? own(Set.copyOf(municipalityCodes), own) : of(municipalityCodes);
  }

  private static Districts own(Set<String> codes, java.nio.file.Path file) {
    List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("the 地区 list " + file.getFileName() + " cannot be read", e);
    }
    Map<String, District> byName = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] row = line.split(",", -1);
      String where = OWN_LIST + " line " + (i + 1) + ": ";
      if (row.length != 4 || !codes.contains(row[0].strip()) || row[1].isBlank()) {
        throw new IllegalStateException(where + "expected municipality_code,district_ja,latitude,longitude with"
            + " one of this node's municipalities " + new java.util.TreeSet<>(codes));
      }
      double latitude;
      double longitude;
      try {
        latitude = Double.parseDouble(row[2].strip());
        longitude = Double.parseDouble(row[3].strip());
      } catch (NumberFormatException e) {
        throw new IllegalStateException(where + "latitude and longitude must be numbers");
      }
      if (latitude < 20 || latitude > 46 || longitude < 122 || longitude > 154) {
        throw new IllegalStateException(where + "the centre is not in Japan");
      }
      String name = row[1].strip();
      if (byName.put(name, new District(row[0].strip(), name, latitude, longitude)) != null) {
        throw new IllegalStateException(where + "地区 " + name + " is listed twice");
      }
    }
    if (byName.isEmpty()) {
      throw new IllegalStateException(OWN_LIST + " lists no 地区");
    }
    return new Districts(java.util.Collections.unmodifiableMap(byName));
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
