package jp.tsunagu.node.federation;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeIdentity;
import jp.tsunagu.federation.identity.NodeProfile;

/** Identities made offline, as {@code tsunagu-admin node init} makes them, for nodes that are not running. */
final class OfflineIdentities {

  private OfflineIdentities() {}

  static NodeIdentity offline(Path dir, String name, String municipality) {
    return offline(dir, name, municipality, URI.create("https://127.0.0.1:1"));
  }

  /** One whose card names {@code endpoint} as its federation listener. */
  static NodeIdentity offline(Path dir, String name, String municipality, URI endpoint) {
    return NodeIdentity.create(dir.resolve(name + "-identity"), new NodeProfile(name, name,
        List.of(MunicipalityCode.parse(municipality)), endpoint));
  }

  /** 土浦市's node: real, but party to no agreement here. */
  static NodeIdentity stranger(Path dir) {
    return offline(dir, "tsuchiura", "082031");
  }
}
