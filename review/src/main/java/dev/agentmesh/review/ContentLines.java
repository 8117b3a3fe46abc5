package dev.agentmesh.review;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * An artifact as lines of {@code path: value} over its canonical tree (keys sorted, multi-line text
 * one line per line, bytes as their size and digest), and the unified diff of two such listings:
 * what an edit changed, complete and readable, whatever the type.
 */
final class ContentLines {

  /** The most characters of a diff kept; the rest is cut with a note. */
  static final int MAX_DIFF_CHARS = 100_000;

  private ContentLines() {}

  static String diff(ReviewArtifact before, ReviewArtifact after) {
    List<String> a = lines(before);
    List<String> b = lines(after);
    String diff =
        String.join(
            "\n",
            UnifiedDiffUtils.generateUnifiedDiff("proposed", "edited", a, DiffUtils.diff(a, b), 3));
    return diff.length() <= MAX_DIFF_CHARS
        ? diff
        : diff.substring(0, MAX_DIFF_CHARS)
            + "\n... (diff cut at "
            + MAX_DIFF_CHARS
            + " of "
            + diff.length()
            + " characters)";
  }

  static List<String> lines(ReviewArtifact artifact) {
    List<String> out = new ArrayList<>();
    walk("", CanonicalJson.sorted(CanonicalJson.MAPPER.valueToTree(artifact)), out);
    return out;
  }

  private static void walk(String path, JsonNode node, List<String> out) {
    if (node.isObject() && !node.isEmpty()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray() && !node.isEmpty()) {
      for (int i = 0; i < node.size(); i++) {
        walk(path + "[" + i + "]", node.get(i), out);
      }
    } else if (node.isBinary()) {
      byte[] bytes = node.binaryValue();
      out.add(path + ": <" + bytes.length + " bytes, sha256:" + sha256(bytes) + ">");
    } else if (node.isString() && node.asString().contains("\n")) {
      out.add(path + ":");
      node.asString().lines().forEach(line -> out.add("  | " + line));
    } else {
      out.add(path + ": " + (node.isString() ? node.asString() : node.toString()));
    }
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(Sha256.of(bytes), 0, 8);
  }
}
