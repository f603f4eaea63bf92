package jp.tsunagu.node.sensors;

import java.util.List;
import java.util.Map;

/** Where a sensor is in the home (as V160 names it), what it senses, and how a screen says it. */
final class HouseholdPlaces {

  static final List<String> PLACES = List.of("entrance", "fridge", "bathroom", "toilet", "room");
  private static final Map<String, String> LABELS = Map.of("entrance", "玄関", "fridge", "冷蔵庫", "bathroom", "浴室",
      "toilet", "トイレ", "room", "居室（温湿度）");

  private HouseholdPlaces() {}

  static String label(String place) {
    return LABELS.getOrDefault(place, place);
  }

  /** The 居室 sensor reports temperature and humidity; every other place is a door. */
  static String kind(String place) {
    return "room".equals(place) ? "climate" : "door";
  }
}
