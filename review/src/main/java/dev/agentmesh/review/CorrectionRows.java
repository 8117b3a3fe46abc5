package dev.agentmesh.review;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How corrections are stored: one row of namespace {@value #NAMESPACE} per correction, keyed by its
 * {@link Correction#id() id} ({@code agent/<newest-first time code>/<suffix>}), so the rows of an
 * agent are one key prefix, newest first. Rows belong to no session: deleting or purging the
 * session a correction came from keeps it (it is about the agent, not the session).
 *
 * <pre>{@code
 * // in the decision's append, with its events (the review runtime does this):
 * Correction.fromDecision(source, reviewer.id(), decision, now)
 *     .forEach(c -> rows.add(CorrectionRows.insert(c)));
 * }</pre>
 *
 * <p>The value is a JSON object of the correction's components at {@code "v": 1}; {@code at} and
 * the retirement's instant are ISO-8601 text. It reads the same from every store.
 */
public final class CorrectionRows {

  /** The rows' namespace. */
  public static final String NAMESPACE = "review.correction";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private CorrectionRows() {}

  /**
   * The write that stores a new correction; refused ({@code RowConflictException}, nothing of the
   * append stored) if a correction with its id exists.
   *
   * @param correction the correction
   * @return an insert of its row
   */
  public static RowWrite insert(Correction correction) {
    return RowWrite.insert(row(correction));
  }

  /**
   * The correction's row.
   *
   * @param correction the correction
   * @return its row, of no session
   */
  public static Row row(Correction correction) {
    Objects.requireNonNull(correction, "correction");
    ObjectNode v = JSON.objectNode();
    v.put("v", 1);
    v.put("agent", correction.agent());
    v.put("specFingerprint", correction.specFingerprint());
    v.put("artifactType", correction.artifactType());
    put(v, "target", correction.target());
    put(v, "anchor", correction.anchor());
    v.put("reason", correction.reason());
    v.put("reviewer", correction.reviewer());
    v.put("at", correction.at().toString());
    put(v, "sessionId", correction.sessionId());
    put(v, "reviewId", correction.reviewId());
    Correction.Retirement retired = correction.retired();
    if (retired != null) {
      v.put("retiredBy", retired.by());
      v.put("retiredAt", retired.at().toString());
    }
    return Row.of(NAMESPACE, correction.id(), null, v);
  }

  /**
   * Reads a stored correction.
   *
   * @param row a row of {@value #NAMESPACE}
   * @return the correction
   * @throws ReviewException if the row is not a correction this release can read, naming its key
   */
  public static Correction read(Row row) {
    Objects.requireNonNull(row, "row");
    if (!NAMESPACE.equals(row.namespace())) {
      throw new IllegalArgumentException(
          "expected a row of '" + NAMESPACE + "' but it was of '" + row.namespace() + "'");
    }
    JsonNode v = row.value();
    try {
      int version = v.path("v").asInt(0);
      if (version != 1) {
        throw new IllegalArgumentException("value version " + version + ", expected 1");
      }
      String retiredBy = text(v, "retiredBy");
      Correction.Retirement retired =
          retiredBy == null
              ? null
              : new Correction.Retirement(retiredBy, Instant.parse(required(v, "retiredAt")));
      return new Correction(
          row.key(),
          required(v, "agent"),
          required(v, "specFingerprint"),
          required(v, "artifactType"),
          text(v, "target"),
          text(v, "anchor"),
          required(v, "reason"),
          required(v, "reviewer"),
          Instant.parse(required(v, "at")),
          text(v, "sessionId"),
          text(v, "reviewId"),
          retired);
    } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
      throw new ReviewException(
          "Stored correction '"
              + Texts.truncate(row.key(), 120)
              + "' of '"
              + NAMESPACE
              + "' cannot be read: "
              + e.getMessage(),
          e);
    }
  }

  private static void put(ObjectNode v, String name, @Nullable String value) {
    if (value != null) {
      v.put(name, value);
    }
  }

  private static @Nullable String text(JsonNode v, String name) {
    JsonNode n = v.get(name);
    return n == null || n.isNull() ? null : n.asString();
  }

  private static String required(JsonNode v, String name) {
    String s = text(v, name);
    if (s == null) {
      throw new IllegalArgumentException("no '" + name + "'");
    }
    return s;
  }
}
