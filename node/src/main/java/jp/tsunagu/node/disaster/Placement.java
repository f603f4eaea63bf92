package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.resources.Geocoder;

/**
 * Places the people of a register on the map with the node's geocoder, a few addresses at a time so
 * a large file does not flood the address search; a person whose address is not found (or while the
 * search is down) stays at the 地区's centre, marked approximate, and is still imported.
 */
final class Placement {

  private static final int AT_ONCE = 8;

  private final Geocoder geocoder;

  Placement(Geocoder geocoder) {
    this.geocoder = geocoder;
  }

  Future<List<RegisterPerson>> place(Vertx vertx, List<RegisterPerson> people) {
    List<String> addresses = people.stream().map(RegisterPerson::address).distinct().toList();
    Map<String, double[]> found = new java.util.concurrent.ConcurrentHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < addresses.size(); i += AT_ONCE) {
      List<String> group = addresses.subList(i, Math.min(addresses.size(), i + AT_ONCE));
      chain = chain.compose(ignored -> Future.join(group.stream().map(address -> geocoder.locate(vertx, address)
          .onSuccess(place -> found.put(address, new double[] {place.point().latitude(), place.point().longitude()}))
          .<Void>mapEmpty()).toList()).<Void>mapEmpty().recover(missed -> Future.succeededFuture()));
    }
    return chain.map(ignored -> {
      List<RegisterPerson> placed = new ArrayList<>(people.size());
      for (RegisterPerson person : people) {
        double[] point = found.get(person.address());
        placed.add(point == null ? person : person.withPlace(point[0], point[1], false));
      }
      return placed;
    });
  }

  /** People by their key (the same person across versions), in the order given. */
  static Map<String, RegisterPerson> byKey(List<RegisterPerson> people) {
    Map<String, RegisterPerson> map = new LinkedHashMap<>();
    people.forEach(p -> map.put(p.key(), p));
    return map;
  }
}
