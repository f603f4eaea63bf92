package jp.tsunagu.admin.agreement;

import java.nio.file.Path;

import jp.tsunagu.admin.CliFiles;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.agreement.AgreementDocument;
import jp.tsunagu.federation.identity.NodeCard;

/** Reads the files agreement commands take, naming the file in any failure. */
final class AgreementFiles {
    private AgreementFiles() {
    }

    static AgreementDocument document(Path file) {
        String text = CliFiles.read(file);
        try {
            return AgreementDocument.parse(text);
        } catch (ProtocolException e) {
            throw new ProtocolException(e.code(), file + ": " + e.getMessage(), e);
        }
    }

    static NodeCard card(Path file) {
        String text = CliFiles.read(file);
        try {
            return NodeCard.parse(text);
        } catch (ProtocolException e) {
            throw new ProtocolException(e.code(), file + ": " + e.getMessage(), e);
        }
    }
}
