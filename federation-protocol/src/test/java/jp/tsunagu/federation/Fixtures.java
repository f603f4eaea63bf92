package jp.tsunagu.federation;

import java.net.URI;
import java.nio.file.Path;

import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;

/** Real node identities built from the shared reference data, with fresh keys in a temp dir. */
public final class Fixtures {
    private Fixtures() {
    }

    public static NodeProfile profile(String node) {
        ReferenceData.Network network = ReferenceData.network(node);
        return new NodeProfile(node, network.networkJa(),
                network.codes().stream().map(MunicipalityCode::parse).toList(),
                URI.create("https://" + node + ".tsunagu.test:8443"));
    }

    public static NodeIdentity identity(Path temp, String node) {
        return NodeIdentity.create(temp.resolve(node), profile(node));
    }

    public static String codeOf(Throwable e) {
        return ((ProtocolException) e).code();
    }
}
