package jp.tsunagu.node.meetings;

/**
 * Where a meeting's video link comes from. A provider either makes a room itself or checks a link
 * made elsewhere; it throws the stable refusal of a link it cannot accept.
 */
public interface VideoProvider {

  /** As stored and sent: {@code jitsi}, {@code link}. */
  String code();

  /** The link participants open; {@code pasted} is what the organiser pasted (empty for a provider that makes rooms). */
  String link(String pasted);
}
