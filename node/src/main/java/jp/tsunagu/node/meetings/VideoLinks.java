package jp.tsunagu.node.meetings;

import java.util.List;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;

/**
 * The node's video-link providers: a room on the configured Jitsi Meet server made in one click, or
 * a pasted link. {@code none}: a meeting in a room only, without a link.
 */
public final class VideoLinks {

  /** A meeting's link: the provider's code and what participants open ({@code none} and empty for none). */
  public record Video(String provider, String url) {
    public static final Video NONE = new Video("none", "");
  }

  private final List<VideoProvider> providers;

  public VideoLinks(NodeConfig.Meetings config) {
    JitsiMeet jitsi = new JitsiMeet(config.jitsiBaseUrl());
    this.providers = List.of(jitsi, new PastedLink(config.otherProviders(), jitsi.host()));
  }

  /**
   * Checks a link another node issued (a meeting a partner's member set up there) as this node takes
   * links: a pasted link by this node's rules (https, and the hosts this node allows); a Jitsi room of
   * the partner's own server must be https; none carries no link. Throws the form's coded refusal.
   */
  public void check(String provider, String url) {
    String link = url == null ? "" : url.strip();
    switch (provider == null ? "" : provider) {
      case "none" -> {
        if (!link.isEmpty()) {
          throw CodedException.invalid("meetings.unknown_provider", "ビデオ会議の種類を選んでください。");
        }
      }
      case PastedLink.CODE -> issue(PastedLink.CODE, link);
      case JitsiMeet.CODE -> new PastedLink(true, "").link(link);
      default -> throw CodedException.invalid("meetings.unknown_provider", "ビデオ会議の種類を選んでください。");
    }
  }

  /** A link from the named provider; the provider's refusal of a pasted link is thrown as it is. */
  public Video issue(String provider, String pasted) {
    if (provider == null || provider.isEmpty() || provider.equals("none")) {
      return Video.NONE;
    }
    VideoProvider chosen = providers.stream().filter(p -> p.code().equals(provider)).findFirst()
        .orElseThrow(() -> CodedException.invalid("meetings.unknown_provider", "ビデオ会議の種類を選んでください。"));
    return new Video(chosen.code(), chosen.link(pasted));
  }
}
