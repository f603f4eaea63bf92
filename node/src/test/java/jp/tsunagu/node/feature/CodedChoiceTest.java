package jp.tsunagu.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodedChoiceTest {

  enum Weather implements CodedChoice {
    CLEAR("clear", "晴れ"),
    SNOW("snow", "雪");

    private final Label label;

    Weather(String code, String labelJa) {
      this.label = new Label(code, labelJa);
    }

    @Override
    public Label label() {
      return label;
    }
  }

  @Test
  void a_choice_answers_its_code_and_label() {
    assertThat(Weather.SNOW.code()).isEqualTo("snow");
    assertThat(Weather.SNOW.labelJa()).isEqualTo("雪");
  }

  @Test
  void a_choice_is_found_by_its_code_and_not_by_its_name_or_label() {
    assertThat(CodedChoice.byCode(Weather.class, "snow")).contains(Weather.SNOW);
    assertThat(CodedChoice.byCode(Weather.class, "SNOW")).isEmpty();
    assertThat(CodedChoice.byCode(Weather.class, "雪")).isEmpty();
  }

  @Test
  void an_unknown_or_missing_code_finds_nothing() {
    assertThat(CodedChoice.byCode(Weather.class, "rain")).isEmpty();
    assertThat(CodedChoice.byCode(Weather.class, "")).isEmpty();
    assertThat(CodedChoice.byCode(Weather.class, null)).isEmpty();
  }
}
