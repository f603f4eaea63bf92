package jp.tsunagu.admin.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.json.Json;

/**
 * The node's configuration file as the backup holds it ({@code config/node.json}) and the two forms a
 * restore writes: the node's own, pointing at the restored directory, and the drill's. Keys may be
 * nested objects or dotted names at the top level (the node reads both alike), so every change
 * handles both forms.
 */
final class NodeConfigFile {
    /** Where the backup keeps the configuration. */
    static final String IN_BACKUP = "config/node.json";

    private final Map<String, Object> json;

    private NodeConfigFile(Map<String, Object> json) {
        this.json = json;
    }

    /** @throws ProtocolException {@code backup.config_invalid} when the backup's configuration is not a JSON object */
    static NodeConfigFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ProtocolException("backup.config_missing", "the backup holds no " + IN_BACKUP);
        }
        try {
            return new NodeConfigFile(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (ProtocolException e) {
            throw new ProtocolException("backup.config_invalid", "the backup's " + IN_BACKUP + " is not a JSON object", e);
        }
    }

    static NodeConfigFile of(Map<String, Object> json) {
        return new NodeConfigFile(json);
    }

    /** Sets a key, replacing a dotted top-level form of it. */
    NodeConfigFile set(String key, Object value) {
        json.remove(key);
        String[] parts = key.split("\\.");
        Map<String, Object> at = json;
        for (int i = 0; i < parts.length - 1; i++) {
            at = child(at, parts[i]);
        }
        at.put(parts[parts.length - 1], value);
        return this;
    }

    /** Removes a key, or a whole section ({@code mail}) with every key under it, in both forms. */
    NodeConfigFile remove(String key) {
        json.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + "."));
        String[] parts = key.split("\\.");
        Map<String, Object> at = json;
        List<Map<String, Object>> path = new ArrayList<>();
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(at.get(parts[i]) instanceof Map<?, ?>)) {
                return this;
            }
            path.add(at);
            at = child(at, parts[i]);
        }
        at.remove(parts[parts.length - 1]);
        // a section left empty goes too, so the file reads as if it had never been there
        for (int i = path.size() - 1; i >= 0 && at.isEmpty(); i--) {
            path.get(i).remove(parts[i]);
            at = path.get(i);
        }
        return this;
    }

    /** @return a nested value, or null */
    Object get(String key) {
        if (json.containsKey(key)) {
            return json.get(key);
        }
        Object at = json;
        for (String part : key.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at;
    }

    String text() {
        return Json.writePretty(json);
    }

    void write(Path file) throws IOException {
        Files.writeString(file, text(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> at, String name) {
        Object value = at.get(name);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        at.put(name, created);
        return created;
    }
}
