package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonObject;

/**
 * A household's thresholds in tenths (°C, %): heat risk (熱中症) when the room is at or over both heat
 * values, cold when at or under the cold temperature.
 */
record HouseholdRules(int heatTempDeci, int heatHumidityDeci, int coldTempDeci) {

  /** 28 °C with 70 % humidity is 厳重警戒 on the 暑さ指数 scale indoors; under 10 °C a room is a cold risk. */
  static final HouseholdRules DEFAULTS = new HouseholdRules(280, 700, 100);

  JsonObject toJson() {
    return new JsonObject().put("heatTemp", heatTempDeci / 10.0).put("heatHumidity", heatHumidityDeci / 10.0)
        .put("coldTemp", coldTempDeci / 10.0);
  }
}
