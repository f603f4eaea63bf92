package jp.tsunagu.node.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;
import jp.tsunagu.node.config.ConfigException;
import jp.tsunagu.node.config.NodeConfig;

/**
 * Everything secret a node holds: its identity (signing keys, TLS certificate, from
 * {@code federation-protocol}), the CA for its users' device certificates, and the certificate the
 * web listener presents (the operator's own PEM files when configured, else the node's), and the
 * operator token of the admin API.
 * Created under the data directory at first start with owner-only permissions, reused after.
 */
public record NodeKeys(NodeIdentity identity, UserCertificateAuthority userCa, String webCertificatePem,
    String webPrivateKeyPem, AdminToken adminToken) {

  public static NodeKeys loadOrCreate(NodeConfig config) {
    NodeProfile profile = new NodeProfile(config.node().name(), config.node().displayName(),
        config.node().municipalities().stream().map(MunicipalityCode::parse).toList(),
        config.federation().endpoint());
    NodeIdentity identity = NodeIdentity.loadOrCreate(config.identityDir(), profile);
    if (!identity.name().equals(config.node().name())) {
      throw new ConfigException("node.name", "the data directory holds the identity of node '" + identity.name()
          + "', not '" + config.node().name() + "'");
    }
    UserCertificateAuthority userCa = UserCertificateAuthority.loadOrCreate(config.userCaDir(), identity.name());
    List<String> web = webTls(config, identity);
    return new NodeKeys(identity, userCa, web.get(0), web.get(1), AdminToken.loadOrCreate(config.dataDir()));
  }

  private static List<String> webTls(NodeConfig config, NodeIdentity identity) {
    if (config.tls().certificateFile().isEmpty()) {
      return List.of(identity.tlsCertificatePem(), identity.tlsPrivateKeyPem());
    }
    try {
      String certificate = Files.readString(config.tls().certificateFile().get());
      String key = Files.readString(config.tls().privateKeyFile().orElseThrow());
      Pem.certificate(certificate);
      Pem.privateKey(key);
      return List.of(certificate, key);
    } catch (IOException | KeyMaterialException e) {
      throw new ConfigException("tls.certificateFile", "cannot use the configured certificate and key: "
          + e.getMessage());
    }
  }
}
