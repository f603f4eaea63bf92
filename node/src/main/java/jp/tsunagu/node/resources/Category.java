package jp.tsunagu.node.resources;

import java.util.Optional;

/**
 * A category or, with a parent, a sub-category. {@code openDataSet} names the standard dataset
 * its resources are exported as ({@code care_service}, {@code public_facility}), if any.
 */
public record Category(String code, Optional<String> parentCode, String nameJa, Optional<String> openDataSet,
    int sortOrder) {

  public boolean topLevel() {
    return parentCode.isEmpty();
  }
}
