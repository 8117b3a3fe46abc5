package dev.agentmesh.review;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SHA-256 of an artifact's canonical JSON form: what a decision binds to. Two artifacts with
 * the same type name and the same content have the same hash, whatever order their maps were built
 * in. See {@link ArtifactTypes#canonicalJson} for the canonical form.
 *
 * <pre>{@code
 * ContentHash hash = types.contentHash(diff);
 * hash.toString(); // "sha256:9f86d081884c7d65..."
 * }</pre>
 *
 * <p>In JSON (a {@link ReviewOutcome}, a {@link PendingReview}) it is that same string, {@code
 * "sha256:<hex>"}; reading accepts it, the 64 hex digits alone, and the object {@code {"hex":
 * "..."}} that earlier versions wrote.
 *
 * @param hex the 64 lowercase hex digits of the digest
 */
public record ContentHash(String hex) {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  /**
   * Checks the hex is 64 lowercase hex digits.
   *
   * @param hex the 64 lowercase hex digits of the digest
   */
  public ContentHash {
    Objects.requireNonNull(hex, "hex");
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "a content hash must be 64 lowercase hex digits but was '"
              + Texts.truncate(hex, 80)
              + "'");
    }
  }

  /**
   * Parses {@code sha256:<hex>}, the form {@link #toString()} writes.
   *
   * @param text the hash as written
   * @return the hash
   */
  public static ContentHash parse(String text) {
    if (!text.startsWith("sha256:")) {
      throw new IllegalArgumentException(
          "a content hash must start with 'sha256:' but was '" + Texts.truncate(text, 80) + "'");
    }
    return new ContentHash(text.substring(7));
  }

  @Override
  @JsonValue
  public String toString() {
    return "sha256:" + hex;
  }

  /**
   * The hash read from JSON: {@code "sha256:<hex>"}, the bare 64 hex digits, or the object {@code
   * {"hex": "<hex>"}} that earlier versions wrote.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ContentHash fromJson(Object value) {
    if (value instanceof String text) {
      return text.startsWith("sha256:") ? parse(text) : new ContentHash(text);
    }
    if (value instanceof Map<?, ?> object && object.get("hex") instanceof String hex) {
      return new ContentHash(hex);
    }
    throw new IllegalArgumentException(
        "a content hash is written \"sha256:<64 hex digits>\" but was "
            + Texts.truncate(String.valueOf(value), 80));
  }
}
