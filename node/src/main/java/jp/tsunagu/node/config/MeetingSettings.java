package jp.tsunagu.node.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Reads and checks the {@code meetings.*} keys of a node's configuration. */
final class MeetingSettings {

  private MeetingSettings() {}

  static NodeConfig.Meetings read(ConfigValues v) {
    String base = v.text("meetings.jitsiBaseUrl").replaceAll("/+$", "");
    try {
      URI uri = new URI(base);
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new ConfigException("meetings.jitsiBaseUrl", "must be the https:// address of a Jitsi Meet server"
            + " (rooms are made under it), got '" + base + "'");
      }
      return new NodeConfig.Meetings(uri, v.oneOf("meetings.otherProviders", "on", "off").equals("on"));
    } catch (URISyntaxException e) {
      throw new ConfigException("meetings.jitsiBaseUrl", "not a URL: '" + base + "'");
    }
  }
}
