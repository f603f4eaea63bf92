package jp.tsunagu.node.meetings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import jp.tsunagu.node.errors.CodedException;

/**
 * A link to a meeting made elsewhere (Microsoft Teams, Zoom), pasted by the organiser. Only https:
 * the link carries the meeting's key in the clear otherwise. When the node allows only its own Jitsi
 * server ({@code meetings.otherProviders off}), a link to any other host is refused.
 */
final class PastedLink implements VideoProvider {

  static final String CODE = "link";
  private static final int MAX = 500;

  private final boolean otherHostsAllowed;
  private final String jitsiHost;

  PastedLink(boolean otherHostsAllowed, String jitsiHost) {
    this.otherHostsAllowed = otherHostsAllowed;
    this.jitsiHost = jitsiHost;
  }

  @Override
  public String code() {
    return CODE;
  }

  @Override
  public String link(String pasted) {
    String link = pasted == null ? "" : pasted.strip();
    if (link.isEmpty()) {
      throw CodedException.invalid("meetings.link_required", "会議のリンクを貼り付けてください。");
    }
    URI uri;
    try {
      uri = new URI(link);
    } catch (URISyntaxException e) {
      throw notHttps();
    }
    if (link.length() > MAX || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw notHttps();
    }
    if (!otherHostsAllowed && !uri.getHost().toLowerCase(Locale.ROOT).equals(jitsiHost.toLowerCase(Locale.ROOT))) {
      throw CodedException.invalid("meetings.provider_not_allowed",
          "このネットワークでは、つなぐの Jitsi Meet 以外の会議リンクは使えません。");
    }
    return link;
  }

  private static CodedException notHttps() {
    return CodedException.invalid("meetings.link_not_https", "会議のリンクは https:// で始まるアドレスを貼り付けてください。");
  }
}
