package jp.tsunagu.node.sensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.web.TextPolicy;
import jp.tsunagu.node.web.TextRule;

/**
 * A gateway's batch read from its bytes in one streaming pass, by the same rules as every other JSON
 * body of the node ({@code StrictJson}, the character rules of {@code TextPolicy}, the route's schema
 * in the OpenAPI document), with the same codes: not strict JSON 400 {@code validation.malformed}, a
 * forbidden character its {@code validation.*} code, not the documented shape 400
 * {@code ingest.batch_malformed}.
 *
 * <p>Why not the general reader: a day of backlog arrives as batches of 5,000 readings, and the general
 * path built the body as a string, then a tree of objects, then a second tree for the character rules,
 * walked it for the schema, and only then read the readings out of it. Under a backlog that garbage and
 * CPU came out of the nurses' timelines. Here each reading becomes a map of its few fields, read once;
 * at most {@code maxReadings + 1} are kept (one more tells that the batch has too many).
 */
final class BatchReader {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** As {@code StrictJson}: deeper nesting than any body needs. */
  private static final int MAX_DEPTH = 32;
  /** Stands for a nested object or array where the ingest expects a scalar: the checks see "not a …". */
  static final Object NESTED = new Object();

  /**
   * The top-level fields the ingest reads ({@code gateway}, {@code batch}, {@code sentMs}) and the
   * readings as maps of their fields (values as {@code StrictJson} would give them).
   */
  record Read(Map<String, Object> head, List<Map<String, Object>> readings, int count) {}

  private BatchReader() {}

  /**
   * @param body the body's bytes
   * @param maxReadings the node's limit per batch (readings past one more than it are counted, not kept)
   * @return the batch as read; its readings are checked by {@link IngestBatch#read}
   */
  static Read read(byte[] body, int maxReadings) {
    if (body == null || body.length == 0) {
      throw malformed();
    }
    checkUtf8(body);
    Pass pass = new Pass(maxReadings);
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed();
      }
      pass.top(parser);
      if (parser.nextToken() != null) {
        throw malformed();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CodedException coded) {
        throw coded;
      }
      throw malformed();
    }
    // As the general path: a body that is not JSON beats a forbidden character anywhere in it, and
    // both beat a body of the wrong shape.
    if (pass.textRefusal != null) {
      throw pass.textRefusal;
    }
    if (!pass.shaped()) {
      throw IngestErrors.malformed("the body must be {\"gateway\", \"batch\", \"sentMs\", \"readings\": [...]}");
    }
    return new Read(pass.head, pass.readings, pass.count);
  }

  /** Strict UTF-8 (never replaced), decoded through a small buffer: the body is not copied as a string. */
  private static void checkUtf8(byte[] body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(4096);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw malformed();
      }
      out.clear();
      if (result.isUnderflow()) {
        break;
      }
    }
    if (decoder.flush(out).isError()) {
      throw malformed();
    }
  }

  /** One pass over the body: what it found, and the first forbidden character (thrown at the end). */
  private static final class Pass {
    private final int keep;
    private final Map<String, Object> head = new HashMap<>();
    private final List<Map<String, Object>> readings = new ArrayList<>();
    private boolean readingsArray;
    private boolean itemsObjects = true;
    private int count;
    private CodedException textRefusal;

    Pass(int maxReadings) {
      this.keep = maxReadings + 1;
    }

    void top(JsonParser parser) throws IOException {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = key(parser.currentName(), parser.currentName());
        JsonToken token = parser.nextToken();
        if (key.equals("readings") && token == JsonToken.START_ARRAY) {
          readingsArray = true;
          items(parser, key);
        } else {
          Object value = value(parser, token, key, 1);
          if (key.equals("gateway") || key.equals("batch") || key.equals("sentMs") || key.equals("readings")) {
            head.put(key, value);
          }
        }
      }
    }

    private void items(JsonParser parser, String label) throws IOException {
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
        if (token == JsonToken.START_OBJECT) {
          Map<String, Object> reading = new HashMap<>(16);
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = key(parser.currentName(), label);
            reading.put(field, value(parser, parser.nextToken(), label, 3));
          }
          if (count < keep) {
            readings.add(reading);
          }
        } else {
          itemsObjects = false;
          value(parser, token, label, 2);
        }
        count++;
      }
    }

    boolean shaped() {
      return head.get("gateway") instanceof String && head.get("batch") instanceof String
          && (head.get("sentMs") instanceof Integer || head.get("sentMs") instanceof Long)
          && readingsArray && itemsObjects;
    }

    /** A key, checked as the general path checks it (one line, the characters' rules). */
    private String key(String key, String label) {
      return text(key, label, TextRule.Lines.ONE);
    }

    private String text(String text, String label, TextRule.Lines lines) {
      // Ids, kinds and keys are printable ASCII: no rule refuses a character of it and NFC leaves it as
      // it is, so the general check (and its rule and label, built per call) is skipped for them.
      if (printableAscii(text)) {
        return text;
      }
      try {
        return TextPolicy.check(text, new TextRule(label, "送信内容の「" + label + "」", lines, Integer.MAX_VALUE,
            TextRule.Shape.TEXT));
      } catch (CodedException e) {
        if (textRefusal == null) {
          textRefusal = e;
        }
        return text;
      }
    }

    /** A value as {@code StrictJson} reads it; a nested one is walked for its checks and stands as {@link #NESTED}. */
    private Object value(JsonParser parser, JsonToken token, String label, int depth) throws IOException {
      if (token == null) {
        throw malformed();
      }
      return switch (token) {
        case START_OBJECT -> {
          deeper(depth);
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            key(parser.currentName(), label);
            value(parser, parser.nextToken(), label, depth + 1);
          }
          yield NESTED;
        }
        case START_ARRAY -> {
          deeper(depth);
          for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            value(parser, t, label, depth + 1);
          }
          yield NESTED;
        }
        case VALUE_STRING -> text(parser.getText(), label, TextRule.Lines.MULTI);
        case VALUE_NUMBER_INT -> parser.getNumberValue();
        case VALUE_NUMBER_FLOAT -> finite(parser.getDoubleValue());
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NULL -> null;
        default -> throw malformed();
      };
    }
  }

  private static boolean printableAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static void deeper(int depth) {
    if (depth >= MAX_DEPTH) {
      throw malformed();
    }
  }

  private static double finite(double value) {
    if (!Double.isFinite(value)) {
      throw malformed();
    }
    return value;
  }

  private static CodedException malformed() {
    return CodedException.invalid("validation.malformed", "送信内容を読み取れません。");
  }
}
