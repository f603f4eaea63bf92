package jp.tsunagu.node.disaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 地区 a node knows: the shipped 上伊那 list, or a municipality's own list with centres in the
 * node's data folder (a node elsewhere would otherwise refuse every register row as an unknown 地区).
 */
class DistrictsTest {

  private static final String SETO = "232041";
  private static final String HEADER = "municipality_code,district_ja,latitude,longitude\n";

  @TempDir
  Path dir;

  @Test
  void without_its_own_list_a_node_knows_the_shipped_districts_of_its_municipalities() {
    Districts ina = Districts.of(List.of("202096"), dir);
    assertThat(ina.named("西箕輪")).isPresent();
    assertThat(ina.all()).allMatch(d -> d.municipalityCode().equals("202096"));
    assertThat(Districts.of(List.of(SETO), dir).all()).isEmpty();
  }

  @Test
  void a_municipality_elsewhere_lists_its_own_districts_with_their_centres() throws Exception {
    write(HEADER + SETO + ",水野,35.2400,137.0700\n" + SETO + ",品野, 35.2560 , 137.1400\n\n");
    Districts seto = Districts.of(List.of(SETO), dir);
    assertThat(seto.all()).extracting(Districts.District::name).containsExactly("水野", "品野");
    assertThat(seto.required("品野").latitude()).isEqualTo(35.256);
    assertThat(seto.named("西箕輪")).isEmpty();
  }

  @Test
  void a_list_with_a_bad_row_stops_the_node_naming_the_line() throws Exception {
    for (String[] bad : List.of(
        new String[] {"202096,水野,35.24,137.07", "line 2"}, // another municipality than the node's
        new String[] {SETO + ",,35.24,137.07", "line 2"},
        new String[] {SETO + ",水野,北緯35度,137.07", "numbers"},
        new String[] {SETO + ",水野,1.0,2.0", "not in Japan"},
        new String[] {SETO + ",水野,35.24", "line 2"},
        new String[] {SETO + ",水野,35.24,137.07\n" + SETO + ",水野,35.25,137.08", "listed twice"})) {
      write(HEADER + bad[0] + "\n");
      assertThatThrownBy(() -> Districts.of(List.of(SETO), dir)).as(bad[0])
          .isInstanceOf(IllegalStateException.class).hasMessageContaining(bad[1]);
    }
    write(HEADER);
    assertThatThrownBy(() -> Districts.of(List.of(SETO), dir)).hasMessageContaining("no 地区");
  }

  private void write(String text) throws Exception {
    Files.writeString(dir.resolve(Districts.OWN_LIST), text, StandardCharsets.UTF_8);
  }
}
