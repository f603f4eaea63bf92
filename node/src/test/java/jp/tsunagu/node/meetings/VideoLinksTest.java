package jp.tsunagu.node.meetings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.errors.CodedException;
import org.junit.jupiter.api.Test;

/** The video-link providers: a Jitsi room no one guesses, and a pasted link checked for https and host. */
class VideoLinksTest {

  private final VideoLinks open = new VideoLinks(new NodeConfig.Meetings(URI.create("https://meet.ina.example.jp"),
      true));
  private final VideoLinks jitsiOnly = new VideoLinks(new NodeConfig.Meetings(
      URI.create("https://meet.ina.example.jp/"), false));

  @Test
  void a_jitsi_room_is_made_under_the_configured_server_with_128_random_bits() {
    Set<String> rooms = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      VideoLinks.Video video = open.issue("jitsi", "");
      assertThat(video.url()).matches("https://meet\\.ina\\.example\\.jp/tsunagu-[0-9a-f]{32}");
      rooms.add(video.url());
    }
    assertThat(rooms).hasSize(100);
  }

  @Test
  void a_pasted_link_must_be_https() {
    for (String link : new String[] {"http://zoom.us/j/1", "zoom.us/j/1", "javascript:alert(1)", "https://"}) {
      assertThatThrownBy(() -> open.issue("link", link)).as(link).isInstanceOf(CodedException.class)
          .extracting(e -> ((CodedException) e).code()).isEqualTo("meetings.link_not_https");
    }
    assertThat(open.issue("link", " https://zoom.us/j/123?pwd=abc ").url()).isEqualTo("https://zoom.us/j/123?pwd=abc");
  }

  @Test
  void when_only_jitsi_is_allowed_a_link_to_another_host_is_refused_and_one_to_the_server_is_kept() {
    assertThatThrownBy(() -> jitsiOnly.issue("link", "https://zoom.us/j/123")).isInstanceOf(CodedException.class)
        .extracting(e -> ((CodedException) e).code()).isEqualTo("meetings.provider_not_allowed");
    assertThat(jitsiOnly.issue("link", "https://meet.ina.example.jp/kaigi").url())
        .isEqualTo("https://meet.ina.example.jp/kaigi");
    assertThat(jitsiOnly.issue("none", "").provider()).isEqualTo("none");
    assertThatThrownBy(() -> jitsiOnly.issue("skype", "")).isInstanceOf(CodedException.class)
        .extracting(e -> ((CodedException) e).code()).isEqualTo("meetings.unknown_provider");
  }
}
