package jp.tsunagu.node.disaster;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The 地区 of this node's municipalities as other features read them (the vaccination report counts
 * doses by 地区): the same list the 災害 screens and the register use, the node's own
 * {@value Districts#OWN_LIST} when it has one, so every screen names a 地区 alike.
 */
public final class DistrictNames {

  /** Where a 地区 name may begin in an address: right after the municipality or a town (市, 町, 村, 区). */
  private static final String AFTER = "市町村区";

  private final List<String> names;
  /** Longest first, so 「西箕輪」 is found before a shorter name it begins with. */
  private final List<String> longestFirst;

  DistrictNames(Districts districts) {
    this.names = districts.all().stream().map(Districts.District::name).toList();
    this.longestFirst = names.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** The node's 地区, in the list's order. */
  public List<String> all() {
    return names;
  }

  /**
   * The 地区 an address lies in: the first listed name that follows the municipality's (or a town's)
   * 市, 町, 村 or 区 (and an optional 大字 or 字), e.g. 「長野県伊那市西箕輪3000-1」 → 西箕輪, 「伊那市高遠町西高遠」 → 高遠町. Never the
   * municipality's own name (a 地区 may share it: 伊那市's 伊那). Empty when none of the list follows.
   */
  public Optional<String> of(String address) {
    String text = address == null ? "" : address.strip();
    for (int i = 1; i < text.length(); i++) {
      if (AFTER.indexOf(text.charAt(i - 1)) < 0) {
        continue;
      }
      // 大字・字 may stand before the 地区's name (「箕輪町大字松島」).
      int at = text.startsWith("大字", i) ? i + 2 : text.startsWith("字", i) ? i + 1 : i;
      for (String name : longestFirst) {
        if (text.startsWith(name, at)) {
          return Optional.of(name);
        }
      }
    }
    return Optional.empty();
  }
}
