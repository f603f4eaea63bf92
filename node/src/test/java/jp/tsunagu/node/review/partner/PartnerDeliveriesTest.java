package jp.tsunagu.node.review.partner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The wait before a failed delivery is tried again grows, so a partner down for days is not flooded. */
class PartnerDeliveriesTest {

  @Test
  void the_wait_doubles_from_a_minute_and_stops_at_a_day() {
    assertThat(PartnerDeliveries.wait(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(PartnerDeliveries.wait(2)).isEqualTo(Duration.ofMinutes(2));
    assertThat(PartnerDeliveries.wait(5)).isEqualTo(Duration.ofMinutes(16));
    assertThat(PartnerDeliveries.wait(12)).isEqualTo(Duration.ofDays(1));
    assertThat(PartnerDeliveries.wait(500)).isEqualTo(Duration.ofDays(1));
  }
}
