package jp.tsunagu.node.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * schema.org data for a resource page, so search engines show the place, its hours and its
 * location. Care facilities are {@code MedicalBusiness}, public and welfare places
 * {@code CivicStructure}, everything else a plain {@code Place}.
 */
final class ResourceJsonLd {

  private ResourceJsonLd() {}

  static JsonObject of(Resource resource, Vocabulary vocabulary, String pageUrl, String baseUrl) {
    ResourceFields f = resource.fields();
    JsonObject address = new JsonObject().put("@type", "PostalAddress").put("addressCountry", "JP")
        .put("streetAddress", f.building().isBlank() ? f.address() : f.address() + " " + f.building());
    ReferenceData.get().municipality(f.municipalityCode()).ifPresent(m ->
        address.put("addressRegion", m.prefecture()).put("addressLocality", m.nameJa()));
    JsonObject json = new JsonObject()
        .put("@context", "https://schema.org")
        .put("@type", type(f.category()))
        .put("@id", pageUrl)
        .put("name", f.name())
        .put("url", pageUrl)
        .put("address", address)
        .put("geo", new JsonObject().put("@type", "GeoCoordinates").put("latitude", f.location().latitude())
            .put("longitude", f.location().longitude()));
    if (!f.nameKana().isBlank()) {
      json.put("alternateName", f.nameKana());
    }
    if (!f.description().isBlank()) {
      json.put("description", f.description());
    }
    if (!f.phone().isBlank()) {
      json.put("telephone", f.phone());
    }
    if (!f.fax().isBlank()) {
      json.put("faxNumber", f.fax());
    }
    if (!f.url().isBlank()) {
      json.put("sameAs", f.url());
    }
    if (!resource.photoIds().isEmpty()) {
      json.put("image", baseUrl + resource.path() + "/photos/" + resource.photoIds().get(0));
    }
    f.capacity().ifPresent(c -> json.put("maximumAttendeeCapacity", c));
    if (f.fee().contains("無料")) {
      json.put("isAccessibleForFree", true);
    }
    JsonArray keywords = new JsonArray().add(vocabulary.nameOf(f.category()));
    f.subCategory().ifPresent(s -> keywords.add(vocabulary.nameOf(s)));
    f.tags().forEach(keywords::add);
    json.put("keywords", String.join(",", keywords.stream().map(String::valueOf).toList()));
    JsonArray hours = hours(f.schedule());
    if (!hours.isEmpty()) {
      json.put("openingHoursSpecification", hours);
    }
    return json;
  }

  private static String type(String category) {
    return switch (category) {
      case "care" -> "MedicalBusiness";
      case "welfare", "public", "toilet" -> "CivicStructure";
      default -> "Place";
    };
  }

  /** Weekly rules with times only: schema.org has no "second Tuesday of the month". */
  private static JsonArray hours(Schedule schedule) {
    JsonArray hours = new JsonArray();
    for (Recurrence rule : schedule.rules()) {
      if (rule.weekly() && rule.start().isPresent()) {
        JsonArray days = new JsonArray();
        rule.days().stream().sorted().map(ResourceJsonLd::dayName).forEach(days::add);
        hours.add(new JsonObject().put("@type", "OpeningHoursSpecification").put("dayOfWeek", days)
            .put("opens", rule.start().get().toString()).put("closes", rule.end().orElseThrow().toString()));
      }
    }
    return hours;
  }

  private static String dayName(DayOfWeek day) {
    String name = day.name();
    return "https://schema.org/" + name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  /** JSON safe inside a script element: no "</script>" or "<!--" can appear in it. */
  static String embeddable(JsonObject json) {
    return json.encode().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }
}
