package jp.tsunagu.node.review;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.care.attachments.AttachmentFiles;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.care.forms.DoctorOpinions;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.feature.NodeServices;
import jp.tsunagu.node.pdf.JapanesePdfFont;
import jp.tsunagu.node.pdf.PdfStamp;

/**
 * 介護認定審査会参考資料: the secretariat adds a case's PDFs (主治医意見書, other reference material) and
 * may withdraw one; a member of the session's panel opens them from the release on, each copy stamped
 * with their name and the time on every page, and every opening audited.
 */
final class Materials {

  /** The largest material: a scanned 主治医意見書 of a few pages is well under it. */
  static final long MAX_BYTES = 10L * 1024 * 1024;
  static final List<String> KINDS = List.of("doctor_opinion", "reference");
  private static final DateTimeFormatter STAMP_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");

  /** A PDF as sent to the reader. */
  record Pdf(String title, byte[] bytes) {}

  private final NodeServices services;
  private final AuditLog audit;
  private final ReviewAccess access;
  private final AttachmentFiles files;
  private final JapanesePdfFont font;
  private final DoctorOpinions opinions;
  private final StampedCopies copies;

  Materials(NodeServices services, AuditLog audit, ReviewAccess access, AttachmentFiles files,
      DoctorOpinions opinions, StampedCopies copies) {
    this.opinions = opinions;
    this.copies = copies;
    this.services = services;
    this.audit = audit;
    this.access = access;
    this.files = files;
    this.font = JapanesePdfFont.find(JapanesePdfFont.systemFonts());
  }

  Future<JsonObject> add(Vertx vertx, String actor, String caseId, String kind, String title, byte[] content) {
    if (!KINDS.contains(kind)) {
      return Future.failedFuture(CodedException.invalid("review.invalid_material_kind",
          "資料の種類（主治医意見書・参考資料）を選んでください。"));
    }
    if (content.length > MAX_BYTES) {
      return Future.failedFuture(new CodedException(CodedException.Kind.INVALID, "review.material_too_large",
          "資料は1件10MBまでです。"));
    }
    // By content, never by name or declared type: a renamed file is refused.
    if (AttachmentType.detect(content).filter(t -> t == AttachmentType.PDF).isEmpty()) {
      return Future.failedFuture(CodedException.invalid("review.material_not_pdf", "資料は PDF のみ登録できます。"));
    }
    return store(vertx, actor, caseId, kind, title, content, new JsonObject(), null);
  }

  /**
   * The 主治医意見書 taken from the form filed on the platform for a patient of this node, in place of an
   * upload: only with the applicant's consent recorded (its date), rendered without identifying data.
   * Refused with review.consent_missing or review.form_not_found, nothing stored; audited either way,
   * since it reads a patient's record. With {@code freeText} the reviewers' copy carries that text as its
   * 特記すべき事項 (the secretariat's redaction after the preview; the form is untouched), the edit audited;
   * with the {@code postId} and {@code version} the preview showed, a form changed since is refused
   * (review.form_changed), so a redaction is never applied to a text the secretariat did not read.
   */
  Future<JsonObject> fromForm(Vertx vertx, String actor, String caseId, JsonObject body) {
    String patientId = ReviewInput.text(body, "patientId");
    String target = "patient:" + patientId;
    java.util.Optional<String> consent = consentOn(body, services.clock());
    if (consent.isEmpty()) {
      return refused(actor, target, caseId, "consent_missing", consentMissing());
    }
    java.util.Map<String, String> edits;
    try {
      edits = FormEdits.of(body);
    } catch (CodedException e) {
      return refused(actor, target, caseId, e.code().substring(e.code().indexOf('.') + 1), e);
    }
    String seenPost = ReviewInput.text(body, "postId");
    Object seenVersion = body.getValue("version");
    return services.database().read(c -> access.liveCase(c, caseId))
        .compose(k -> patientId.isEmpty() ? Future.succeededFuture(java.util.Optional.<DoctorOpinions.Opinion>empty())
            : opinions.anonymised(vertx, patientId, edits, FormEdits.known(k)))
        .compose(found -> {
          if (found.isEmpty()) {
            return refused(actor, target, caseId, "form_not_found", formNotFound());
          }
          DoctorOpinions.Opinion o = found.get();
          if ((!seenPost.isEmpty() && !seenPost.equals(o.postId()))
              || (seenVersion != null && !String.valueOf(o.version()).equals(String.valueOf(seenVersion)))) {
            return refused(actor, target, caseId, "form_changed", CodedException.conflict("review.form_changed",
                "プレビューの後に主治医意見書が更新されました。もう一度プレビューしてから取り込んでください。"));
          }
          if (!o.identifying().isEmpty()) {
            return refused(actor, target, caseId, "identifying_text", FormEdits.identifying(o.identifying()));
          }
          java.util.List<String> edited = FormEdits.edited(edits, o.asWritten());
          JsonObject source = new JsonObject().put("source", "form").put("patient", patientId).put("post", o.postId())
              .put("version", o.version()).put("consentOn", consent.get())
              .put("freeText", edited.isEmpty() ? "as_written" : "edited");
          // The edit is its own entry: who changed the reviewers' copy of which form, in which fields and by
          // how much (never the texts themselves, which the audit log would keep for ever).
          JsonObject edit = edited.isEmpty() ? null : new JsonObject().put("case", caseId).put("post", o.postId())
              .put("version", o.version()).put("fields", FormEdits.counts(edited, edits, o.asWritten()));
          return store(vertx, actor, caseId, "doctor_opinion", "主治医意見書（プラットフォームの様式）", o.pdf(), source,
              edit == null ? null : material -> AuditEvent.success(actor, "review.form_free_text_edited", target,
                  edit.copy().put("material", material)));
        });
  }

  /** The consent date of a body, when it is a day not after today in Japan. */
  static java.util.Optional<String> consentOn(JsonObject body, java.time.Clock clock) {
    try {
      java.time.LocalDate on = java.time.LocalDate.parse(ReviewInput.text(body, "consentOn"));
      return on.isAfter(Instant.now(clock).atZone(ReviewAccess.JAPAN).toLocalDate()) ? java.util.Optional.empty()
          : java.util.Optional.of(on.toString());
    } catch (java.time.format.DateTimeParseException e) {
      return java.util.Optional.empty();
    }
  }

  static CodedException consentMissing() {
    return CodedException.invalid("review.consent_missing",
        "本人の同意を得た日を入力してください（プラットフォームの主治医意見書は同意がある場合のみ使えます）。");
  }

  static CodedException formNotFound() {
    return CodedException.notFound("review.form_not_found",
        "この患者の主治医意見書がプラットフォームにありません。PDF をアップロードしてください。");
  }

  private <T> Future<T> refused(String actor, String target, String caseId, String reason, CodedException e) {
    return audit.record(AuditEvent.refused(actor, "review.material_from_form", target,
        new JsonObject().put("case", caseId).put("reason", reason))).transform(x -> Future.failedFuture(e));
  }

  /**
   * The file first (a row must never name a missing file: backups list files right after copying the
   * database), then the row; when the row is refused or fails, a file this call wrote and no row names
   * is removed again, so a failure leaves neither.
   */
  private Future<JsonObject> store(Vertx vertx, String actor, String caseId, String kind, String title,
      byte[] content, JsonObject source, java.util.function.Function<String, AuditEvent> alsoAudited) {
    String hash = AttachmentFiles.sha256(content);
    String now = now();
    return services.database().read(c -> access.liveCase(c, caseId)).compose(k -> vertx.executeBlocking(() -> {
      boolean fresh = !Files.exists(files.file(hash));
      files.store(hash, content, AttachmentType.PDF);
      return fresh;
    })).compose(fresh -> services.database().write(c -> {
          ReviewSql.Case k = access.liveCase(c, caseId);
          if (ReviewSql.session(c, k.sessionId()).map(s -> s.confirmedAt() != null).orElse(true)) {
            throw CodedException.conflict("review.session_closed", "結果が確定した審査会は変更できません。");
          }
          ReviewSql.Material m = new ReviewSql.Material(ReviewIds.next(), caseId, kind,
              title.isEmpty() ? (kind.equals("doctor_opinion") ? "主治医意見書" : "参考資料") : title, hash,
              content.length, null);
          ReviewSql.insertMaterial(c, m, actor, now);
          audit.append(c, AuditEvent.success(actor, source.isEmpty() ? "review.material_added"
              : "review.material_from_form", "review_case:" + caseId,
              source.copy().put("material", m.id()).put("bytes", content.length)));
          if (alsoAudited != null) {
            audit.append(c, alsoAudited.apply(m.id()));
          }
          return json(m);
        }).recover(e -> fresh ? removeUnnamed(vertx, hash).transform(x -> Future.<JsonObject>failedFuture(e))
            : Future.failedFuture(e)));
  }

  /** Deletes a file this call wrote when no material row names it (another upload may have in between). */
  private Future<Void> removeUnnamed(Vertx vertx, String hash) {
    return services.database().read(c -> ReviewSql.hashNamed(c, hash)).compose(named -> named
        ? Future.<Void>succeededFuture() : vertx.executeBlocking(() -> {
          files.delete(hash);
          return null;
        }));
  }

  Future<JsonObject> withdraw(String actor, String materialId) {
    String now = now();
    return services.database().write(c -> {
      ReviewSql.Material m = ReviewSql.material(c, materialId).orElseThrow(Materials::notFound);
      if (ReviewSql.withdraw(c, materialId, now) == 0) {
        throw CodedException.conflict("review.material_withdrawn", "この資料はすでに取り下げられています。");
      }
      audit.append(c, AuditEvent.success(actor, "review.material_withdrawn", "review_case:" + m.caseId(),
          new JsonObject().put("material", materialId)));
      return json(ReviewSql.material(c, materialId).orElseThrow());
    }).onSuccess(json -> copies.dropMaterial(materialId));
  }

  /**
   * A member of the session's panel opens a material after the release; the copy carries their name
   * and the time on each page. Anyone else gets the 404 of a material that does not exist.
   */
  Future<Pdf> open(Vertx vertx, String userId, String materialId) {
    Instant now = Instant.now(services.clock());
    Future<Opened> found = services.database().read(c -> {
      ReviewSql.Material m = ReviewSql.material(c, materialId).filter(x -> x.withdrawnAt() == null)
          .orElseThrow(ReviewAccess::notFound);
      ReviewAccess.CaseSeat seat = access.caseSeat(c, userId, m.caseId());
      String release = seat.seat().session().releaseAt();
      if (release == null || Instant.parse(release).isAfter(now)) {
        throw CodedException.forbidden("review.not_released", "この審査会の資料はまだ公開されていません。");
      }
      return new Opened(m, seat.seat().member().appointment().displayName());
    });
    return access.audited(found, userId, "review.material.open", "review_material:" + materialId)
        .compose(o -> vertx.executeBlocking(() -> copy(userId, o, now)))
        .compose(copy -> audit.record(AuditEvent.success(userId, "review.material.opened",
            "review_material:" + materialId, new JsonObject().put("at", now.toString())
                .put("copy", copy.kept() ? "kept" : "stamped"))).map(copy.pdf()));
  }

  private record Copy(Pdf pdf, boolean kept) {}

  /** The stamped copy: the one kept from an opening within the same minute, or stamped now and kept. */
  private Copy copy(String userId, Opened o, Instant now) {
    String stamp = o.name() + "　閲覧 " + STAMP_TIME.format(now.atZone(ReviewAccess.JAPAN));
    StampedCopies.Key key = new StampedCopies.Key(userId, o.material().id(), stamp);
    java.util.Optional<byte[]> kept = copies.get(key, now);
    if (kept.isPresent()) {
      return new Copy(new Pdf(o.material().title(), kept.get()), true);
    }
    byte[] bytes = stamped(o.material(), stamp);
    copies.put(key, bytes, now);
    return new Copy(new Pdf(o.material().title(), bytes), false);
  }

  /** The same file unstamped (the benchmark's baseline; never served to a reviewer). */
  byte[] unstamped(ReviewSql.Material m) {
    return read(m);
  }

  private byte[] stamped(ReviewSql.Material m, String text) {
    try {
      return PdfStamp.stamp(font, read(m), text);
    } catch (IOException e) {
      throw new CodedException(CodedException.Kind.INTERNAL, "review.material_unreadable",
          "資料を開けませんでした。事務局に連絡してください。", null, new UncheckedIOException(e));
    }
  }

  private byte[] read(ReviewSql.Material m) {
    try {
      return Files.readAllBytes(files.file(m.sha256()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read review material " + m.id(), e);
    }
  }

  private record Opened(ReviewSql.Material material, String name) {}

  static JsonObject json(ReviewSql.Material m) {
    return new JsonObject().put("id", m.id()).put("kind", m.kind())
        .put("kindLabel", m.kind().equals("doctor_opinion") ? "主治医意見書" : "参考資料").put("title", m.title())
        .put("size", m.size()).put("withdrawn", m.withdrawnAt() != null);
  }

  private static CodedException notFound() {
    return CodedException.notFound("review.material_not_found", "資料が見つかりません。");
  }

  private String now() {
    return Instant.now(services.clock()).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
