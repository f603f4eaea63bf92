package jp.tsunagu.admin.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code node init}: creates an identity offline. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a node identity offline: an Ed25519 signing key and a self-signed TLS certificate. "
                + "Prints the TLS pin and the signing key fingerprint to compare with partners.",
        footerHeading = "%n", footer = {"Examples:",
            "  tsunagu-admin node init --dir ina-identity --name ina --municipality 202096 \\",
            "      --endpoint https://ina.example.jp:8443 --display-name 'モバイルクリニック・いーな電子連絡帳'",
            "  tsunagu-admin node init --dir rainbow --name rainbow --municipality 232343,232335,233421 \\",
            "      --endpoint https://rainbow.example.jp:8443"})
public final class NodeInitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Directory to create the identity in (0700).")
    Path dir;
    @Option(names = "--name", required = true, description = "Node name, lowercase a-z, 0-9 and '-', e.g. ina.")
    String name;
    @Option(names = "--municipality", required = true, split = ",", paramLabel = "CODE",
            description = "Municipality codes served, 6 digits with check digit, comma separated.")
    List<String> municipalities;
    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "Federation endpoint URL partners connect to.")
    String endpoint;
    @Option(names = "--display-name", description = "Network name for people; defaults to the node name.")
    String displayName;

    @Override
    public Integer call() {
        NodeProfile profile = new NodeProfile(name, displayName,
                municipalities.stream().map(MunicipalityCode::parse).toList(), NodeProfile.parseEndpoint(endpoint));
        NodeIdentity identity = NodeIdentity.create(dir, profile);
        var out = spec.commandLine().getOut();
        out.println("created node identity " + identity.name() + " in " + dir);
        out.println("tls pin:     " + identity.tlsPin());
        out.println("signing key: " + identity.signingKey().verificationKey().fingerprint());
        out.flush();
        return 0;
    }
}
