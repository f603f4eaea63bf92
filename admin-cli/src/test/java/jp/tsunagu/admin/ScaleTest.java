package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.json.Json;

/**
 * The Aichi wide-area pact at full size: 49 parties drafted, signed 49 times, merged and verified
 * through the CLI. Parties are the real networks of networks.csv, then single municipalities of
 * municipalities.csv that no network covers, named after the municipality; the rest come from
 * joint networks splitting off a member municipality as a node of its own ({@code <network>-<town>}).
 */
class ScaleTest {
    @TempDir
    Path temp;

    record Party(String name, List<String> codes) {
    }

    static List<Party> fortyNineParties() {
        List<Party> parties = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (SharedData.Network network : SharedData.networks()) {
            parties.add(new Party(network.node(), network.codes()));
            covered.addAll(network.codes());
        }
        for (SharedData.Municipality municipality : SharedData.municipalities()) {
            if (covered.add(municipality.code())) {
                parties.add(new Party(slug(municipality.nameEn()), List.of(municipality.code())));
            }
        }
        while (parties.size() < 49) {
            Party joint = parties.stream().max(java.util.Comparator.comparingInt(p -> p.codes().size())).orElseThrow();
            String code = joint.codes().get(joint.codes().size() - 1);
            String town = SharedData.municipalities().stream().filter(m -> m.code().equals(code)).findFirst().orElseThrow().nameEn();
            parties.set(parties.indexOf(joint), new Party(joint.name(), joint.codes().subList(0, joint.codes().size() - 1)));
            parties.add(new Party(joint.name() + "-" + slug(town), List.of(code)));
        }
        return parties;
    }

    private static String slug(String englishName) {
        return englishName.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }

    @Test
    void a_forty_nine_party_agreement_is_drafted_signed_merged_and_verified_through_the_cli() {
        List<Party> parties = fortyNineParties();
        assertThat(parties).hasSize(49);

        List<Object> draftArgs = new ArrayList<>(List.of("agreement", "draft", "--id", "aichi-wide-area", "--title",
                "愛知県在宅医療・介護連携広域連携協定", "--scope", "care-team,resources-directory", "--valid-days", "365",
                "--not-before", "2025-04-01", "--amendment-rule", "threshold:25", "--out", temp.resolve("draft.json")));
        for (Party party : parties) {
            Path dir = temp.resolve("id").resolve(party.name());
            Cli.Result init = Cli.run("node", "init", "--dir", dir, "--name", party.name(), "--municipality", String.join(",", party.codes()),
                    "--endpoint", "https://" + party.name() + ".tsunagu.test:8443");
            assertThat(init.exitCode()).as(init.err()).isZero();
            Path card = temp.resolve("cards").resolve(party.name() + ".json");
            assertThat(Cli.run("node", "export-card", "--dir", dir, "--out", card).exitCode()).isZero();
            draftArgs.add("--card");
            draftArgs.add(card);
        }
        Cli.Result draft = Cli.run(draftArgs.toArray());
        assertThat(draft.exitCode()).as(draft.err()).isZero();

        List<Object> mergeArgs = new ArrayList<>(List.of("agreement", "merge", "--out", temp.resolve("aichi.json")));
        for (Party party : parties) {
            Path signed = temp.resolve("signed").resolve(party.name() + ".json");
            Cli.Result sign = Cli.run("agreement", "sign", "--identity", temp.resolve("id").resolve(party.name()), "--out", signed,
                    temp.resolve("draft.json"));
            assertThat(sign.exitCode()).as(sign.err()).isZero();
            mergeArgs.add(signed);
        }
        Cli.Result merge = Cli.run(mergeArgs.toArray());
        assertThat(merge.exitCode()).as(merge.err()).isZero();
        assertThat(merge.out()).contains("49 of 49 parties signed");

        Cli.Result verify = Cli.run("agreement", "verify", "--json", "--at", "2025-06-01T00:00:00Z", temp.resolve("aichi.json"));
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        var report = Json.parseObject(verify.out());
        assertThat(report).containsEntry("status", "active");
        assertThat((List<?>) report.get("parties")).hasSize(49).allSatisfy(p -> assertThat(p.toString()).contains("status=signed"));
    }
}
