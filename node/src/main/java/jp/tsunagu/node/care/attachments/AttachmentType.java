package jp.tsunagu.node.care.attachments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The kinds of file professionals attach, recognised by their content (magic bytes), never by the
 * name or the declared type alone: photos of wounds and notebooks, faxes (TIFF), PDFs, Word and
 * Excel files, and CT/MRI images exported as DICOM.
 */
public enum AttachmentType {
  JPEG("image/jpeg", true, "jpg", "jpeg", "jpe"),
  PNG("image/png", true, "png"),
  GIF("image/gif", true, "gif"),
  HEIC("image/heic", false, "heic", "heif"),
  TIFF("image/tiff", false, "tif", "tiff"),
  PDF("application/pdf", false, "pdf"),
  DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", false, "docx"),
  XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false, "xlsx"),
  PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation", false, "pptx"),
  LEGACY_OFFICE("application/x-ole-storage", false, "doc", "xls", "ppt"),
  DICOM("application/dicom", false, "dcm", "dicom");

  private final String mediaType;
  private final boolean thumbnail;
  private final List<String> extensions;

  AttachmentType(String mediaType, boolean thumbnail, String... extensions) {
    this.mediaType = mediaType;
    this.thumbnail = thumbnail;
    this.extensions = List.of(extensions);
  }

  public String mediaType() {
    return mediaType;
  }

  /** Whether the JDK's image reader makes a thumbnail of it. */
  public boolean thumbnail() {
    return thumbnail;
  }

  public boolean allowsName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 && extensions.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The type the content says it is; empty for anything not on the list. */
  public static Optional<AttachmentType> detect(byte[] content) {
    if (startsWith(content, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(content, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (ascii(content, 0, "GIF87a") || ascii(content, 0, "GIF89a")) {
      return Optional.of(GIF);
    }
    if (startsWith(content, 0, 'I', 'I', 0x2A, 0x00) || startsWith(content, 0, 'M', 'M', 0x00, 0x2A)) {
      return Optional.of(TIFF);
    }
    if (ascii(content, 0, "%PDF-")) {
      return Optional.of(PDF);
    }
    if (ascii(content, 128, "DICM")) {
      return Optional.of(DICOM);
    }
    if (ascii(content, 4, "ftyp") && (ascii(content, 8, "heic") || ascii(content, 8, "heix")
        || ascii(content, 8, "mif1"))) {
      return Optional.of(HEIC);
    }
    if (startsWith(content, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
      return Optional.of(LEGACY_OFFICE);
    }
    if (startsWith(content, 0, 'P', 'K', 0x03, 0x04)) {
      return officeZip(content);
    }
    return Optional.empty();
  }

  /** A zip is only accepted as the Office document it contains; any other zip is refused. */
  private static Optional<AttachmentType> officeZip(byte[] content) {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
      for (int i = 0; i < 2000; i++) {
        ZipEntry entry = zip.getNextEntry();
        if (entry == null) {
          break;
        }
        String name = entry.getName();
        if (name.equals("word/document.xml")) {
          return Optional.of(DOCX);
        }
        if (name.equals("xl/workbook.xml")) {
          return Optional.of(XLSX);
        }
        if (name.equals("ppt/presentation.xml")) {
          return Optional.of(PPTX);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // not a readable zip: refused below like any unknown content
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] content, int at, int... magic) {
    if (content.length < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((content[at + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] content, int at, String magic) {
    byte[] bytes = magic.getBytes(StandardCharsets.US_ASCII);
    return content.length >= at + bytes.length
        && Arrays.equals(content, at, at + bytes.length, bytes, 0, bytes.length);
  }
}
