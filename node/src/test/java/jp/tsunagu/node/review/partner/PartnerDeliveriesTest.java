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

  @Test
  void a_refusal_no_retry_changes_is_given_up_and_a_passing_failure_is_not() {
    assertThat(PartnerDeliveries.FOR_GOOD).contains("federation.scope_not_granted", "review.partner_reviewer_unknown",
        "review.partner_wrong_recipient", "review.partner_malformed", "review.partner_not_on_panel")
        .doesNotContain("review.partner_unavailable", "review.partner_stale", "review.partner_signature_invalid", "ok");
  }

  @Test
  void the_secretariat_reads_in_japanese_what_could_not_be_sent_where_and_why() {
    assertThat(new PartnerDeliveries.GivenUp("minamiminowa", PartnerDeliveries.PACKAGE, "federation.scope_not_granted",
        "2026-12-06T00:00:00Z").json().getString("message")).contains("minamiminowa", "審査会資料", "協定が終了",
            "再送はしません");
    assertThat(new PartnerDeliveries.GivenUp("minamiminowa", PartnerDeliveries.DELETION,
        "review.partner_reviewer_unknown", "2026-12-06T00:00:00Z").json().getString("message"))
        .contains("削除の指示", "専門職として登録されていません");
    assertThat(new PartnerDeliveries.GivenUp("minamiminowa", PartnerDeliveries.OPINIONS, "review.partner_malformed",
        "2026-12-06T00:00:00Z").json().getString("message")).contains("委員の意見の一覧", "review.partner_malformed");
  }
}
