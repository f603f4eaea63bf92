package jp.tsunagu.node.resources;

import java.awt.image.BufferedImage;
import jp.tsunagu.node.care.attachments.AttachmentType;
import jp.tsunagu.node.care.attachments.ImageContent;
import jp.tsunagu.node.errors.CodedException;

/**
 * The content check of a resource photo, the same as for a care attachment: the content (magic
 * bytes) must be a JPEG or PNG and what the upload declared, and it must decode as an image. What
 * is stored and served to the public is the image written again (at most {@link #MAX_EDGE} pixels
 * on its long side, turned upright by its EXIF orientation), never the bytes as uploaded, so no
 * metadata such as the camera's position is published. Blocking; run on a worker.
 */
final class PhotoContent {

  static final int MAX_EDGE = 1600;

  private PhotoContent() {}

  static Photo checked(String declaredType, byte[] bytes, String caption) {
    AttachmentType type = AttachmentType.detect(bytes)
        .filter(t -> t == AttachmentType.JPEG || t == AttachmentType.PNG)
        .filter(t -> t.mediaType().equals(declaredType))
        .orElseThrow(PhotoContent::unsupported);
    BufferedImage image = ImageContent.read(bytes).orElseThrow(PhotoContent::unsupported);
    BufferedImage stored = type == AttachmentType.PNG && Math.max(image.getWidth(), image.getHeight()) <= MAX_EDGE
        ? image : ImageContent.upright(ImageContent.fit(image, MAX_EDGE), bytes);
    return new Photo(type.mediaType(), ImageContent.write(stored, type), caption);
  }

  private static CodedException unsupported() {
    return CodedException.unsupported("resources.photo_unsupported",
        "写真の内容が JPEG または PNG の画像ではないか、送信した形式と一致しません。");
  }
}
