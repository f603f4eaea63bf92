package jp.tsunagu.admin.node;

import jp.tsunagu.admin.Times;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.tsunagu.admin.CommonOptions;
import jp.tsunagu.federation.crypto.SigningKey;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code node show}: prints the public facts of an identity. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a node identity: profile, TLS pin and certificate validity, signing keys. Never prints private keys.",
        footerHeading = "%n", footer = {"Example:", "  tsunagu-admin node show --dir ina-identity"})
public final class NodeShowCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Identity directory.")
    Path dir;

    @Override
    public Integer call() {
        NodeIdentity identity = NodeIdentity.load(dir);
        var out = spec.commandLine().getOut();
        var profile = identity.profile();
        out.println("name:           " + profile.name());
        out.println("display name:   " + profile.displayName());
        out.println("municipalities: " + String.join(", ", profile.municipalities().stream().map(MunicipalityCode::value).toList()));
        out.println("endpoint:       " + profile.federationEndpoint());
        out.println("tls pin:        " + identity.tlsPin());
        out.println("tls valid:      " + Times.seconds(identity.tlsCertificate().getNotBefore().toInstant()) + " to "
                + Times.seconds(identity.tlsCertificate().getNotAfter().toInstant()));
        out.println("signing key:    " + identity.signingKey().verificationKey().fingerprint());
        for (SigningKey retired : identity.retiredSigningKeys()) {
            out.println("retired key:    " + retired.verificationKey().fingerprint());
        }
        out.flush();
        return 0;
    }
}
