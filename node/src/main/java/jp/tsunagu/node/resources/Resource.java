package jp.tsunagu.node.resources;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A regional resource (地域資源): a care facility, a 通いの場, a multipurpose toilet, a mobile
 * supermarket stop … Its id is the last part of its stable public URL.
 */
public record Resource(
    String id,
    ResourceFields fields,
    List<String> photoIds,
    boolean published,
    Instant createdAt,
    Instant updatedAt) {

  public Resource {
    photoIds = List.copyOf(photoIds);
  }

  public String name() {
    return fields.name();
  }

  public GeoPoint location() {
    return fields.location();
  }

  /** The resource's public page, relative to the site. */
  public String path() {
    return "/resources/" + id;
  }

  public Optional<LocalDate> lastVerified() {
    return fields.lastVerified();
  }
}
