package jp.tsunagu.node.care.live;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id a stream takes up from, as a page sends it back: an event's id with the tag of its row, as
 * streams send ids ({@link LiveLog.Logged#sseId}), or the id alone (a reset's when no event is kept,
 * or a page opened before ids carried tags, taken at its word as then).
 *
 * @param id the row's id
 * @param tag the row's tag, null when the id came without one
 */
record LastEventId(long id, String tag) {

  private static final Pattern SHAPE = Pattern.compile("([0-9]{1,18})(?:-([0-9a-f]{" + LiveLog.TAG_DIGITS + "}))?");

  /** The id {@code text} names, or null when it is no id a stream of this node could have been sent. */
  static LastEventId parse(String text) {
    Matcher matcher = SHAPE.matcher(text);
    return matcher.matches() ? new LastEventId(Long.parseLong(matcher.group(1)), matcher.group(2)) : null;
  }
}
