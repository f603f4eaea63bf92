package jp.tsunagu.federation.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorResponseTest {

    @Test
    void a_refusal_in_the_error_shape_gives_its_code_and_any_other_body_the_fallback() {
        String refusal = "{\"code\":\"federation.scope_not_granted\",\"message\":\"ina\","
                + "\"requestId\":\"r1\"}";
        assertThat(ErrorResponse.codeOr(refusal, "reports.partner_unavailable")).isEqualTo("federation.scope_not_granted");
        assertThat(ErrorResponse.codeOr("<html>502 Bad Gateway</html>", "reports.partner_unavailable"))
                .isEqualTo("reports.partner_unavailable");
        assertThat(ErrorResponse.codeOr("{\"message\":\"no code\"}", "reports.partner_unavailable"))
                .isEqualTo("reports.partner_unavailable");
        assertThat(ErrorResponse.codeOr("", "reports.partner_unavailable")).isEqualTo("reports.partner_unavailable");
    }
}
