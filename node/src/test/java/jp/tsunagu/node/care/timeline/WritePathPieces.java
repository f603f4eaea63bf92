package jp.tsunagu.node.care.timeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jp.tsunagu.node.care.CareIds;
import jp.tsunagu.node.care.CareInput;
import jp.tsunagu.node.web.StrictJson;
import jp.tsunagu.node.web.TextInventory;
import jp.tsunagu.node.web.TextPolicy;

/**
 * The Java pieces of a post's write that a trivial request does not have, each run alone on one warm
 * thread and counted in that thread's CPU time (not wall-clock: the shared machine's load moves that
 * by several times): the body read by {@link StrictJson}, its text policy, the route's input checks,
 * the post's id, and the JSON the write makes (its live event's text, read back at the commit, and its
 * answer's text), the last through Vert.x's data-binding codec and through Jackson's streaming one.
 * A flight recording of a short run under load put several of these high among the samples while the
 * compiler had not reached them yet; warm, they are each a few microseconds.
 *
 * <p>Run: {@code java -cp node/target/test-classes:node/target/classes:$(cat node/target/bench.classpath)
 * jp.tsunagu.node.care.timeline.WritePathPieces [iterations]}.
 */
public final class WritePathPieces {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private WritePathPieces() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    // the benchmark's own post (TimelineLoad) and the shapes of what its write makes
    Buffer body = new JsonObject().put("category", "申し送り")
        .put("body", "訪問時、表情良好。昼食は7割摂取。仙骨部に発赤なし。引き続き経過をみます。").toBuffer();
    Optional<TextInventory.Route> route = TextInventory.route("POST", "/api/v1/patients/:boardId/posts");
    JsonObject event = PostWriter.event("post", CareIds.next(), java.util.List.of());
    JsonObject answer = new Post(CareIds.next(), CareIds.next(), 1234, CareIds.next(), "負荷 太郎3", "訪問看護師",
        "豊橋負荷試験4事業所", "申し送り", "note", "訪問時、表情良好。昼食は7割摂取。", null, null, false, "active", 1,
        "2026-12-07T17:00:00.123Z", null, null).toJson().put("authorMunicipality", "豊橋市")
        .put("authorHomeNode", (String) null).put("readCount", 0).put("readByMe", true);
    JacksonCodec streaming = new JacksonCodec();
    for (int round = 1; round <= 5; round++) {
      double read = perOp(n, () -> StrictJson.object(body).size());
      double policy = perOp(n, () -> {
        JsonObject json = StrictJson.object(body);
        TextPolicy.apply(json, route);
        return json.size();
      }) - read;
      JsonObject checked = StrictJson.object(body);
      double input = perOp(n, () -> {
        CareInput in = new CareInput(checked);
        return in.text("category", "情報カテゴリー", 20).length() + in.text("body", "本文", TimelineRoutes.BODY_MAX).length()
            + in.ids("recipients", "特別便の宛先", 100).size() + in.ids("attachments", "添付ファイル", 20).size();
      });
      double id = perOp(n, () -> CareIds.next().length());
      double databind = perOp(n, () -> new JsonObject(event.encode()).size() + answer.encode().length());
      double stream = perOp(n, () -> new JsonObject(streamingMap(streaming, streaming.toString(event, false))).size()
          + streaming.toString(answer, false).length());
      System.out.printf(Locale.ROOT, "round %d  us of CPU per write: body read %.2f, text policy %.2f, input checks %.2f,"
          + " post id %.2f, JSON (event text and read back, answer text) data-binding %.2f / streaming %.2f%n",
          round, read, policy, input, id, databind, stream);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> streamingMap(JacksonCodec codec, String text) {
    return (Map<String, Object>) codec.fromString(text, Map.class);
  }

  private static double perOp(int n, java.util.function.IntSupplier op) {
    long sink = 0;
    long before = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      sink += op.getAsInt();
    }
    double us = (THREADS.getCurrentThreadCpuTime() - before) / 1e3 / n;
    return sink == Long.MIN_VALUE ? -1 : us;
  }
}
