package jp.tsunagu.node.teamsync;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.care.CareFeature;
import jp.tsunagu.node.care.live.LiveRoutes;

/**
 * Where a message's latency goes: the moment each node told its own live views of the post (on the home
 * node: the post's commit, or the partner's submission sequenced; on a partner: the replica applied), read
 * from each node's event bus in the benchmark's process, beside the sender's acknowledgement and the
 * receiving client's line. Printed as the median time from the send to each, so the differences are the
 * hops: the write and its acknowledgement, the way to the home node (outbox, signing, submission), the
 * home node's signing and push to the partner (verification and apply included), and the live stream.
 */
final class PathHops implements AutoCloseable {

  private final Map<String, Map<String, Long>> seen = new LinkedHashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  /** A node publishes a board's live events only while something listens to it there (a stream, or this). */
  private final List<Runnable> listening = new ArrayList<>();

  PathHops(Map<String, TsunaguNode> nodes, String boardId) {
    nodes.forEach((name, node) -> {
      Map<String, Long> at = new ConcurrentHashMap<>();
      seen.put(name, at);
      listening.add(node.feature(CareFeature.class).context().live().listen(boardId));
      consumers.add(node.vertx().eventBus().<JsonObject>consumer(LiveRoutes.address(boardId), message -> {
        String postId = message.body().getString("postId");
        if ("post".equals(message.body().getString("type")) && postId != null) {
          at.putIfAbsent(postId, System.nanoTime());
        }
      }));
    });
  }

  /**
   * "acknowledged p50 x; live event on ina p50 y; ...; client z" in ms from the send, over the posts of
   * {@code sent} (post id to send time) that the client received.
   */
  String medians(Map<String, Long> sent, Map<String, Long> acknowledged, Map<String, Long> received) {
    StringBuilder line = new StringBuilder("  where the time goes, p50 ms from the send: acknowledged ")
        .append(median(sent, acknowledged));
    seen.forEach((node, at) -> {
      if (sent.keySet().stream().anyMatch(at::containsKey)) {
        line.append("; live event on ").append(node).append(' ').append(median(sent, at));
      }
    });
    return line.append("; the client's stream ").append(median(sent, received)).toString();
  }

  private static String median(Map<String, Long> sent, Map<String, Long> at) {
    long[] spans = sent.entrySet().stream().filter(e -> at.containsKey(e.getKey()))
        .mapToLong(e -> at.get(e.getKey()) - e.getValue()).sorted().toArray();
    return spans.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", spans[spans.length / 2] / 1e6);
  }

  void forget() {
    seen.values().forEach(Map::clear);
  }

  @Override
  public void close() {
    consumers.forEach(MessageConsumer::unregister);
    listening.forEach(Runnable::run);
  }
}
