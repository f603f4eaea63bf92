package jp.tsunagu.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.federation.identity.NodeIdentity;

class NodeCommandsTest {
    @TempDir
    Path temp;

    @Test
    void node_init_creates_an_identity_and_prints_its_pin_and_key_fingerprint() {
        Path dir = temp.resolve("rainbow");
        Cli.Result result = Cli.run("node", "init", "--dir", dir, "--name", "rainbow", "--municipality", "232343,232335,233421",
                "--endpoint", "https://rainbow.tsunagu.test:8443", "--display-name", "レインボーネット");

        assertThat(result.exitCode()).as(result.err()).isZero();
        NodeIdentity identity = NodeIdentity.load(dir);
        assertThat(identity.profile().municipalities()).hasSize(3);
        assertThat(result.out()).contains(identity.tlsPin()).contains("SHA256:" + identity.signingKeyId());
        assertThat(result.out() + result.err()).doesNotContain("PRIVATE").doesNotContain("\"d\"");
    }

    @Test
    void node_init_with_a_wrong_check_digit_fails_and_creates_nothing() {
        Path dir = temp.resolve("ina");
        Cli.Result result = Cli.run("node", "init", "--dir", dir, "--name", "ina", "--municipality", "202097",
                "--endpoint", "https://ina.tsunagu.test:8443");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: municipality.check_digit_invalid:");
        assertThat(dir).doesNotExist();
    }

    @Test
    void node_init_over_an_existing_identity_is_refused() {
        Path dir = temp.resolve("ina");
        String[] args = {"node", "init", "--dir", dir.toString(), "--name", "ina", "--municipality", "202096",
            "--endpoint", "https://ina.tsunagu.test:8443"};
        assertThat(Cli.run((Object[]) args).exitCode()).isZero();
        Cli.Result again = Cli.run((Object[]) args);
        assertThat(again.exitCode()).isEqualTo(3);
        assertThat(again.err()).startsWith("error: identity.exists:");
    }

    @Test
    void node_show_prints_the_public_facts_only() {
        Path dir = temp.resolve("ina");
        Cli.run("node", "init", "--dir", dir, "--name", "ina", "--municipality", "202096", "--endpoint", "https://ina.tsunagu.test:8443");
        Cli.Result result = Cli.run("node", "show", "--dir", dir);
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("ina").contains("202096").contains("sha256/").doesNotContain("PRIVATE");
    }

    @Test
    void export_card_writes_a_card_partners_can_read() throws Exception {
        Path dir = temp.resolve("ina");
        Cli.run("node", "init", "--dir", dir, "--name", "ina", "--municipality", "202096", "--endpoint", "https://ina.tsunagu.test:8443");
        Path card = temp.resolve("ina.card.json");
        assertThat(Cli.run("node", "export-card", "--dir", dir, "--out", card).exitCode()).isZero();
        assertThat(NodeCard.parse(Files.readString(card))).isEqualTo(NodeIdentity.load(dir).card());
    }

    @Test
    void a_missing_required_option_is_a_usage_error() {
        Cli.Result result = Cli.run("node", "init", "--dir", temp.resolve("x"));
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void every_command_has_examples_and_exit_codes_in_its_help() {
        String[][] commands = {{}, {"node"}, {"node", "init"}, {"node", "show"}, {"node", "export-card"}, {"agreement"},
            {"agreement", "draft"}, {"agreement", "sign"}, {"agreement", "merge"}, {"agreement", "verify"},
            {"agreement", "withdraw"}, {"agreement", "submit"}, {"agreement", "list"}, {"peers"}, {"peers", "status"}};
        for (String[] command : commands) {
            Object[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--help")).toArray();
            Cli.Result help = Cli.run(args);
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("Example").contains("Exit codes:").contains("tsunagu-admin");
        }
    }

    @Test
    void verbose_prints_the_stack_trace_and_plain_mode_does_not() {
        Cli.Result plain = Cli.run("node", "show", "--dir", temp.resolve("none"));
        Cli.Result verbose = Cli.run("node", "show", "--verbose", "--dir", temp.resolve("none"));
        assertThat(plain.err()).startsWith("error: identity.not_found:").doesNotContain("\tat ");
        assertThat(verbose.err()).contains("\tat ");
        assertThat(plain.exitCode()).isEqualTo(3);
    }
}
