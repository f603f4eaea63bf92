package jp.tsunagu.node.emergency;

import io.vertx.core.json.JsonObject;
import jp.tsunagu.federation.identity.MunicipalityCode;
import jp.tsunagu.federation.identity.NodeCard;
import jp.tsunagu.node.reference.ReferenceData;

/** A node as a crew knows it: its network's name and the municipalities it serves (伊那市, 南箕輪村). */
final class HomeMunicipality {

  private HomeMunicipality() {}

  static JsonObject of(NodeCard card) {
    return new JsonObject().put("node", card.profile().name()).put("nodeName", card.profile().displayName())
        .put("municipalities", names(card));
  }

  static String names(NodeCard card) {
    return String.join("・", card.profile().municipalities().stream().map(MunicipalityCode::value)
        .map(code -> ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code))
        .toList());
  }
}
