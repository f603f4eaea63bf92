package jp.tsunagu.node.care.teams;

import java.util.List;
import java.util.function.Function;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * Where a professional works, as people say it, so that two people of the same name and profession
 * are told apart wherever one is picked or listed: the municipality of their facility for this node's
 * own professionals, and for a partner's professional (a shadow row, which has no municipality) the
 * municipalities of their node as its party in the wide-area agreement names them.
 */
public final class Places {

  /** Knows no partner: a partner's professional is shown by node name. */
  static final Places LOCAL_ONLY = new Places(node -> List.of());

  private final Function<String, List<String>> nodeMunicipalityCodes;

  public Places(Function<String, List<String>> nodeMunicipalityCodes) {
    this.nodeMunicipalityCodes = nodeMunicipalityCodes;
  }

  /** The municipality's name for its code; the code itself when the reference data does not know it. */
  public static String municipality(String code) {
    if (code == null || code.isEmpty()) {
      return "";
    }
    return ReferenceData.get().municipality(code).map(ReferenceData.Municipality::nameJa).orElse(code);
  }

  /** The municipalities a partner node serves (e.g. 南箕輪村), or its name when no agreement names it. */
  String ofNode(String node) {
    List<String> codes = nodeMunicipalityCodes.apply(node);
    if (codes.isEmpty()) {
      return node;
    }
    return String.join("・", codes.stream().map(Places::municipality).toList());
  }

  /** Where someone is: their facility's municipality, or their node's for a partner's professional. */
  String of(String municipalityCode, String homeNode) {
    return homeNode != null ? ofNode(homeNode) : municipality(municipalityCode);
  }
}
