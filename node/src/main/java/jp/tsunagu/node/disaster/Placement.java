package jp.tsunagu.node.disaster;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.resources.Geocoder;

/**
 * Places the people of an uploaded register from the places the node's geocoder already knows, without
 * asking the address search: the upload never waits on the network. Everyone else stays at the 地区's
 * centre, marked approximate, until {@link BackgroundPlacement} has asked the search about them.
 */
final class Placement {

  private final Geocoder geocoder;

  Placement(Geocoder geocoder) {
    this.geocoder = geocoder;
  }

  Future<List<RegisterPerson>> place(List<RegisterPerson> people) {
    return geocoder.known(people.stream().map(RegisterPerson::address).distinct().toList()).map(found -> {
      List<RegisterPerson> placed = new ArrayList<>(people.size());
      for (RegisterPerson person : people) {
        Geocoder.Place place = found.get(person.address());
        placed.add(place == null ? person : person.withPlace(place.point().latitude(), place.point().longitude(), false));
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
