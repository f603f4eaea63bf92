package jp.tsunagu.federation.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.ReferenceData;

class MunicipalityCodeTest {

    @Test
    void every_code_of_the_national_list_has_a_valid_check_digit() {
        var municipalities = ReferenceData.municipalities();
        assertThat(municipalities).hasSizeGreaterThan(50);
        for (var municipality : municipalities) {
            assertThat(MunicipalityCode.parse(municipality.code()).value()).isEqualTo(municipality.code());
        }
    }

    @Test
    void a_code_with_a_wrong_check_digit_is_refused() {
        assertThatThrownBy(() -> MunicipalityCode.parse("202097"))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo("municipality.check_digit_invalid");
    }

    @Test
    void every_single_digit_change_of_a_real_code_is_detected_or_reads_as_another_valid_code() {
        String ina = "202096";
        for (int digit = 0; digit <= 9; digit++) {
            String changed = ina.substring(0, 5) + digit;
            if (digit != 6) {
                assertThatThrownBy(() -> MunicipalityCode.parse(changed))
                        .extracting(e -> ((ProtocolException) e).code()).isEqualTo("municipality.check_digit_invalid");
            }
        }
    }

    @Test
    void codes_that_are_not_six_digits_are_malformed() {
        for (String bad : new String[] {"20209", "2020966", "20209a", "", "２０２０９６"}) {
            assertThatThrownBy(() -> MunicipalityCode.parse(bad))
                    .extracting(e -> ((ProtocolException) e).code()).isEqualTo("municipality.malformed");
        }
        assertThatThrownBy(() -> MunicipalityCode.parse(null))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo("municipality.malformed");
    }

    @Test
    void a_raw_check_value_of_ten_or_eleven_wraps_to_its_last_digit() {
        // Handa 232050: 11 - (sum mod 11) = 10, written 0
        assertThat(MunicipalityCode.checkDigit("23205")).isEqualTo(0);
        // Nishio 232131: 11 - (sum mod 11) = 11, written 1
        assertThat(MunicipalityCode.checkDigit("23213")).isEqualTo(1);
        // Chiyoda 131016: a plain case
        assertThat(MunicipalityCode.checkDigit("13101")).isEqualTo(6);
    }
}
