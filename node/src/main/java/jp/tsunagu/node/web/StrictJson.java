package jp.tsunagu.node.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import jp.tsunagu.node.errors.CodedException;

/**
 * The one JSON reader for request bodies, stricter than Vert.x's own (which allows comments and
 * keeps the last of duplicate keys): the bytes must be valid UTF-8 (never replaced by U+FFFD or
 * '?'), a key may appear once per object, no comments, no NaN or Infinity (nor a number too large
 * for a double), and nothing may follow the object. Every refusal is 400 {@code validation.malformed}.
 */
public final class StrictJson {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** Deeper nesting than any form needs; stops a stack of brackets from costing a stack overflow. */
  private static final int MAX_DEPTH = 32;

  private StrictJson() {}

  /** The body as a JSON object, or 400 {@code validation.malformed}. */
  public static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw malformed();
    }
    String text = utf8(body.getBytes());
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed();
      }
      JsonObject object = readObject(parser, 1);
      if (parser.nextToken() != null) {
        throw malformed();
      }
      return object;
    } catch (IOException | RuntimeException e) {
      if (e instanceof CodedException api) {
        throw api;
      }
      throw malformed();
    }
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw malformed();
    }
  }

  private static JsonObject readObject(JsonParser parser, int depth) throws IOException {
    JsonObject object = new JsonObject();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      object.put(name, value(parser, parser.nextToken(), depth));
    }
    return object;
  }

  private static JsonArray readArray(JsonParser parser, int depth) throws IOException {
    JsonArray array = new JsonArray();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      array.add(value(parser, token, depth));
    }
    return array;
  }

  private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
    if (token == null) {
      throw malformed();
    }
    return switch (token) {
      case START_OBJECT -> readObject(parser, deeper(depth));
      case START_ARRAY -> readArray(parser, deeper(depth));
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> finite(parser.getDoubleValue());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw malformed();
    };
  }

  private static int deeper(int depth) {
    if (depth >= MAX_DEPTH) {
      throw malformed();
    }
    return depth + 1;
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
