package jp.tsunagu.node.resources;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.storage.Database;

/**
 * What the resources feature does, independent of HTTP: registration, publishing, CSV import,
 * referrals, and the in-memory {@link Catalog} of what the public sees, rebuilt after every
 * change. One instance per node, shared by every web verticle instance.
 */
public final class ResourceService {

  private final Database database;
  private final Clock clock;
  private final Set<String> municipalities;
  private final AtomicReference<Catalog> catalog = new AtomicReference<>();
  private final AtomicLong changes = new AtomicLong();
  private final AuditLog audit;
  private final PartnerResources partners = new PartnerResources();

  public ResourceService(Database database, Clock clock, Set<String> municipalities) {
    this.database = database;
    this.clock = clock;
    this.audit = new AuditLog(database, clock);
    this.municipalities = Set.copyOf(municipalities);
  }

  /** The current snapshot, loaded on first use. */
  public Future<Catalog> catalog() {
    Catalog current = catalog.get();
    return current != null ? Future.succeededFuture(current) : reload();
  }

  /**
   * Rebuilds the snapshot. A reload that started before a later change must not replace the
   * snapshot that change produced, hence the generation check.
   */
  private Future<Catalog> reload() {
    long generation = changes.get();
    return database.read(c -> new Catalog(generation, ResourceSql.all(c, true), ResourceSql.vocabulary(c),
        ReferralSql.introductionCounts(c))).map(fresh -> catalog.updateAndGet(
            old -> old == null || old.generation() <= fresh.generation() ? fresh : old));
  }

  private <T> Future<T> changed(Future<T> write) {
    return write.compose(value -> {
      changes.incrementAndGet();
      return reload().map(value);
    });
  }

  /** The read-only copies of partner nodes' published resources. */
  public PartnerResources partners() {
    return partners;
  }

  Future<ResourceValidator> validator() {
    return catalog().map(c -> new ResourceValidator(c.vocabulary(), municipalities));
  }

  public Future<Resource> create(Map<ResourceField, String> raw, boolean publish) {
    return validator().compose(v -> {
      ResourceValidator.Result result = v.validate(raw);
      if (result.fields().isEmpty()) {
        return Future.failedFuture(new InvalidResource(result.problems()));
      }
      String id = Ids.next();
      Instant now = Instant.now(clock);
      return changed(database.write(c -> {
        ResourceSql.insert(c, id, result.fields().get(), publish, now);
        return ResourceSql.byId(c, id).orElseThrow();
      }));
    });
  }

  public Future<Resource> update(String id, Map<ResourceField, String> raw, Optional<Boolean> publish) {
    return validator().compose(v -> {
      ResourceValidator.Result result = v.validate(raw);
      if (result.fields().isEmpty()) {
        return Future.failedFuture(new InvalidResource(result.problems()));
      }
      Instant now = Instant.now(clock);
      return changed(database.write(c -> {
        if (!ResourceSql.update(c, id, result.fields().get(), publish, now)) {
          throw notFound();
        }
        return ResourceSql.byId(c, id).orElseThrow();
      }));
    });
  }

  public Future<Resource> setPublished(String id, boolean published) {
    Instant now = Instant.now(clock);
    return changed(database.write(c -> {
      if (!ResourceSql.setPublished(c, id, published, now)) {
        throw notFound();
      }
      return ResourceSql.byId(c, id).orElseThrow();
    }));
  }

  /** Any resource, published or not, for staff. */
  public Future<Resource> byId(String id) {
    return database.read(c -> ResourceSql.byId(c, id)).map(found -> found.orElseThrow(ResourceService::notFound));
  }

  public Future<List<Resource>> all() {
    return database.read(c -> ResourceSql.all(c, false));
  }

  /**
   * Validates the whole file, then writes every row in one transaction, or nothing. With
   * {@code dryRun} only the report is produced.
   */
  public Future<ImportReport> importCsv(byte[] file, boolean dryRun) {
    return validator().compose(v -> {
      CsvImport.Parsed parsed = CsvImport.parse(file, v);
      if (!parsed.problems().isEmpty()) {
        return Future.succeededFuture(new ImportReport(parsed.records(), 0, 0, parsed.problems(), false));
      }
      Future<ImportReport> written = database.write(c -> CsvImportWriter.write(c, parsed.rows(), Instant.now(clock),
          dryRun));
      return dryRun ? written : changed(written);
    });
  }

  public Future<Vocabulary> addCategory(Category category) {
    return changed(database.write(c -> {
      ResourceSql.insertCategory(c, category);
      return ResourceSql.vocabulary(c);
    }));
  }

  public Future<Vocabulary> addTag(String tag) {
    return changed(database.write(c -> {
      ResourceSql.insertTag(c, tag, ResourceSql.vocabulary(c).tags().size() * 10 + 10);
      return ResourceSql.vocabulary(c);
    }));
  }

  public Future<String> addPhoto(String resourceId, Photo photo) {
    String id = Ids.next();
    Instant now = Instant.now(clock);
    return changed(database.write(c -> {
      if (!ResourceSql.exists(c, resourceId)) {
        throw notFound();
      }
      ResourceSql.insertPhoto(c, id, resourceId, photo, now);
      return id;
    }));
  }

  /** A photo of a resource; with {@code publishedOnly}, only of a published one (what the public may see). */
  public Future<Photo> photo(String resourceId, String photoId, boolean publishedOnly) {
    return database.read(c -> ResourceSql.photo(c, resourceId, photoId, publishedOnly))
        .map(found -> found.orElseThrow(ResourceService::notFound));
  }

  /**
   * Records a referral of published resources together with its audit row (one write: both or
   * neither); the introduction counts follow. A partner's resource must be among the copies shown
   * now, and goes on the sheet as it reads now.
   */
  public Future<Referral> refer(Referral referral, AuditEvent audited) {
    return catalog().compose(current -> {
      for (String id : referral.resourceIds()) {
        if (current.published(id).isEmpty()) {
          return Future.failedFuture(CodedException.invalid("referrals.unknown_resource",
              "紹介する資源「" + id + "」は見つからないか、公開されていません。"));
        }
      }
      List<Referral.PartnerItem> found = new ArrayList<>();
      for (Referral.PartnerItem wanted : referral.partnerItems()) {
        Optional<PartnerResources.Hit> hit = partners.find(wanted.node(), wanted.resourceId());
        if (hit.isEmpty()) {
          return Future.failedFuture(CodedException.invalid("referrals.unknown_resource", "紹介する連携市町村の資源「"
              + wanted.node() + "/" + wanted.resourceId() + "」は見つからないか、公開されていません。"));
        }
        found.add(ReferralSheet.partnerItem(hit.get(), referral.origin()));
      }
      Referral complete = referral.withPartnerItems(found);
      return changed(database.write(c -> {
        ReferralSql.insertReferral(c, complete);
        audit.append(c, audited);
        return complete;
      }));
    });
  }

  public Future<Referral> referral(String id) {
    return database.read(c -> ReferralSql.referral(c, id)).map(found -> found.orElseThrow(() ->
        CodedException.notFound("referrals.not_found", "紹介状が見つかりません。")));
  }

  /** The referrals made for a patient, newest first (the caller has checked the team membership). */
  public Future<List<Referral>> referralsFor(String patientId) {
    return database.read(c -> ReferralSql.referralsFor(c, patientId));
  }

  /** Records a read of patient data (a referral names its patient), then hands on the value read. */
  <T> Future<T> audited(AuditEvent event, T value) {
    return audit.record(event).map(value);
  }

  Instant now() {
    return Instant.now(clock);
  }

  static CodedException notFound() {
    return CodedException.notFound("resources.not_found", "お探しの地域資源は見つかりません。");
  }
}
