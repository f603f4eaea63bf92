package jp.tsunagu.node.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Addresses name the prefecture and the municipality once, however staff typed them. */
class PostalAddressTest {

  @Test
  void prefixesWhatTheAddressLeavesOut() {
    assertEquals("長野県伊那市荒井3500", PostalAddress.join("長野県", "伊那市", "荒井3500"));
    assertEquals("長野県伊那市荒井3500", PostalAddress.join("長野県", "伊那市", "伊那市荒井3500"));
  }

  @Test
  void keepsAnAddressThatStartsWithAPrefecture() {
    assertEquals("長野県伊那市荒井3500", PostalAddress.join("長野県", "伊那市", "長野県伊那市荒井3500"));
    assertEquals("東京都千代田区霞が関1-2-2", PostalAddress.join("長野県", "伊那市", "東京都千代田区霞が関1-2-2"));
    assertEquals("神奈川県横浜市中区1", PostalAddress.join("長野県", "伊那市", "神奈川県横浜市中区1"));
  }

  @Test
  void aPlaceNameContainingTheKanjiForPrefectureIsNotAPrefecture() {
    assertEquals("長野県伊那市県営住宅1号棟", PostalAddress.join("長野県", "伊那市", "県営住宅1号棟"));
    assertEquals("長野県伊那市県営住宅1号棟", PostalAddress.join("長野県", "伊那市", "伊那市県営住宅1号棟"));
  }
}
