package jp.tsunagu.node.reference;

import java.util.regex.Pattern;

/**
 * Addresses as written on a postcard and as the geocoder wants them: staff and residents enter
 * them with or without the prefecture and the municipality ("荒井3500", "伊那市荒井3500",
 * "長野県伊那市荒井3500"); each comes out with both, once.
 */
public final class PostalAddress {

  private static final Pattern PREFECTURE_FIRST = Pattern.compile("(東京都|北海道|京都府|大阪府|\\p{IsHan}{2,3}県)");

  private PostalAddress() {}

  /** The address with the prefecture and municipality of the municipality code in front, where missing. */
  public static String withMunicipality(String municipalityCode, String address) {
    String trimmed = address.strip();
    return ReferenceData.get().municipality(municipalityCode)
        .map(m -> join(m.prefecture(), m.nameJa(), trimmed)).orElse(trimmed);
  }

  static String join(String prefecture, String municipality, String address) {
    if (address.startsWith(municipality)) {
      return prefecture + address;
    }
    return PREFECTURE_FIRST.matcher(address).lookingAt() ? address : prefecture + municipality + address;
  }
}
