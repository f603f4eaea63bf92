package jp.tsunagu.node.disaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 地区 the disaster feature publishes to other features (the vaccination report counts by them):
 * the node's list, and the 地区 an address lies in, read after the municipality's 市・町・村.
 */
class DistrictNamesTest {

  @TempDir
  Path dir;

  private DistrictNames kamiina() {
    return new DistrictNames(Districts.of(List.of("202096", "203831", "203858"), dir));
  }

  @Test
  void an_address_lies_in_the_first_listed_district_after_its_municipality() {
    DistrictNames names = kamiina();
    assertThat(names.of("長野県伊那市西箕輪3000-1")).contains("西箕輪");
    assertThat(names.of("伊那市高遠町西高遠1")).contains("高遠町");
    assertThat(names.of("長野県上伊那郡箕輪町大字松島1")).contains("松島");
    assertThat(names.of("長野県上伊那郡箕輪町三日町25")).contains("三日町");
    assertThat(names.of("上伊那郡南箕輪村北殿4000")).contains("北殿");
  }

  @Test
  void the_municipalitys_own_name_is_never_taken_for_a_district_and_an_unlisted_town_is_none() {
    DistrictNames names = kamiina();
    assertThat(names.all()).contains("伊那"); // 伊那市's 伊那地区 shares the city's name
    assertThat(names.of("伊那市")).isEmpty();
    assertThat(names.of("長野県上伊那郡箕輪町大字中箕輪10")).isEmpty();
    assertThat(names.of("")).isEmpty();
    assertThat(names.of(null)).isEmpty();
  }

  @Test
  void a_node_with_its_own_list_reads_addresses_by_that_list() throws Exception {
    Files.writeString(dir.resolve(Districts.OWN_LIST), "municipality_code,district_ja,latitude,longitude\n"
        + "232041,水野,35.2400,137.0700\n232041,品野,35.2560,137.1400\n", StandardCharsets.UTF_8);
    DistrictNames seto = new DistrictNames(Districts.of(List.of("232041"), dir));
    assertThat(seto.all()).containsExactly("水野", "品野");
    assertThat(seto.of("愛知県瀬戸市品野町1-2")).contains("品野");
    assertThat(seto.of("長野県伊那市西箕輪3000-1")).isEmpty();
  }
}
