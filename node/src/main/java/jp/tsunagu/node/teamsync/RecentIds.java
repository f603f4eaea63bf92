package jp.tsunagu.node.teamsync;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ids seen lately, at most a given number of them (the oldest forgotten first). Not thread-safe. */
final class RecentIds {

  private final Map<String, Boolean> ids;

  RecentIds(int kept) {
    this.ids = new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > kept;
      }
    };
  }

  void add(String id) {
    ids.put(id, Boolean.TRUE);
  }

  boolean contains(String id) {
    return ids.containsKey(id);
  }
}
