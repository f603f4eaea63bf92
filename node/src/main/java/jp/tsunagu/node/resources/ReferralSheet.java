package jp.tsunagu.node.resources;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The content of a referral sheet, once, for both the print page and the PDF: to whom, from
 * whom, the comment, and for each resource what a resident needs to go there.
 */
record ReferralSheet(String title, List<String> intro, List<Item> items, List<String> closing) {

  /** One introduced resource. */
  record Item(String heading, List<String> facts) {}

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy年M月d日")
      .withZone(ZoneId.of("Asia/Tokyo"));

  static ReferralSheet of(Referral referral, List<Resource> resources, Vocabulary v, String networkName) {
    List<String> intro = new ArrayList<>();
    intro.add(referral.residentName() + " 様");
    intro.add("紹介日: " + DATE.format(referral.createdAt()));
    intro.add("紹介者: " + referral.referrerName()
        + (referral.referrerOrganization().isBlank() ? "" : "（" + referral.referrerOrganization() + "）"));
    if (!referral.comment().isBlank()) {
      intro.add("ひとこと: " + referral.comment());
    }
    List<Item> items = new ArrayList<>();
    int n = 1;
    for (Resource r : resources) {
      items.add(new Item(n++ + ". " + r.fields().name(), facts(r.fields(), v, referral.origin())));
    }
    for (Referral.PartnerItem partner : referral.partnerItems()) {
      items.add(new Item(n++ + ". " + partner.name(), partner.facts()));
    }
    return new ReferralSheet("地域資源のご紹介", intro, items,
        List.of("お出かけの前に、問い合わせ先へ日時などをご確認ください。", networkName));
  }

  /** What a resident needs to go there, one line each. */
  private static List<String> facts(ResourceFields f, Vocabulary v, Optional<GeoPoint> origin) {
    List<String> facts = new ArrayList<>();
    add(facts, "種類", v.nameOf(f.subCategory().orElse(f.category())));
    add(facts, "日時", f.schedule().labelJa());
    add(facts, "場所", ResourceHtml.fullAddress(f));
    add(facts, "電話", f.phone());
    add(facts, "参加費・利用料", f.fee());
    add(facts, "送迎", f.transport());
    add(facts, "問い合わせ先", f.contact());
    add(facts, "内容", f.description());
    origin.ifPresent(o -> facts.add("距離: 約" + ResourceHtml.distance(o.metresTo(f.location()))));
    return facts;
  }

  /**
   * A partner's resource as the sheet shows it, made when it is referred and kept with the
   * referral: the same lines as this node's own, and whose it is.
   */
  static Referral.PartnerItem partnerItem(PartnerResources.Hit hit, Optional<GeoPoint> origin) {
    Resource r = hit.hit().resource();
    List<String> facts = new ArrayList<>();
    facts.add("掲載: " + PartnerResourcePages.municipalities(hit.partner()) + "の地域資源（"
        + hit.partner().displayName() + "）");
    facts.addAll(facts(r.fields(), hit.vocabulary(), origin));
    return new Referral.PartnerItem(hit.partner().node(), r.id(), r.fields().name(), facts);
  }

  private static void add(List<String> facts, String label, String value) {
    if (value != null && !value.isBlank()) {
      facts.add(label + ": " + value);
    }
  }
}
