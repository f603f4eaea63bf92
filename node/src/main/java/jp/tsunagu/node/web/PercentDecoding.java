package jp.tsunagu.node.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Percent-decoding of a header value (a file name in {@code X-File-Name}) into text, refusing what
 * {@link java.net.URLDecoder} would quietly replace with U+FFFD: a broken escape or bytes that are
 * not UTF-8. A '+' is a space, as for URLDecoder (a browser's encodeURIComponent writes '+' as %2B).
 */
public final class PercentDecoding {

  private PercentDecoding() {}

  public static Optional<String> strict(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        if (i + 2 >= encoded.length() || !HexFormat.isHexDigit(encoded.charAt(i + 1))
            || !HexFormat.isHexDigit(encoded.charAt(i + 2))) {
          return Optional.empty();
        }
        bytes.write(HexFormat.fromHexDigits(encoded, i + 1, i + 3));
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else if (c > 0x7F) {
        return Optional.empty();
      } else {
        bytes.write(c);
      }
    }
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
