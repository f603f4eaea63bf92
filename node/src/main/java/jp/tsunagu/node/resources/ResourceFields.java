package jp.tsunagu.node.resources;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What staff enter about a resource, already validated ({@link ResourceValidator}). Text fields
 * absent in the source are empty strings, never null.
 */
public record ResourceFields(
    String name,
    String nameKana,
    String category,
    Optional<String> subCategory,
    List<String> tags,
    String municipalityCode,
    String address,
    String building,
    GeoPoint location,
    String phone,
    String fax,
    String url,
    String description,
    Schedule schedule,
    String fee,
    Optional<Integer> capacity,
    String transport,
    String accessibility,
    String contact,
    String operatorName,
    Optional<LocalDate> lastVerified) {

  public ResourceFields {
    tags = List.copyOf(tags);
  }
}
