package dev.agentmesh.triggers;

import dev.agentmesh.sessions.spi.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rows the runtime keeps in the session store: claims ({@value #CLAIMS}, key {@code
 * <trigger>@<instant>}, the instant fixed-width so keys sort by it), a trigger's pause state
 * ({@value #STATE}, key the trigger id), its queued occurrence ({@value #QUEUE}) and the marks of
 * batches of starts nodes began ({@value #MARKS}).
 */
final class ClaimRows {

  /** One row per decided occurrence. */
  static final String CLAIMS = "triggers.claim";

  /** One row per paused or resumed trigger. */
  static final String STATE = "triggers.state";

  /** At most one row per trigger: the occurrence waiting for its previous session to finish. */
  static final String QUEUE = "triggers.queue";

  /**
   * One row per batch of starts a node began (key: the batch's first claim key): a hint to other
   * nodes ticking at once to start other batches first. Pruned when due, like claims.
   */
  static final String MARKS = "triggers.batch";

  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ClaimRows() {}

  /** The prefix every claim key of {@code triggerId} starts with. */
  static String prefix(String triggerId) {
    return triggerId + "@";
  }

  /** The claim key of an occurrence: the trigger, {@code @}, the instant in fixed width. */
  static String key(String triggerId, Instant scheduledAt) {
    return prefix(triggerId) + fixedWidth(scheduledAt);
  }

  /**
   * {@code scheduledAt} as {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'} in UTC, written by hand for
   * years 0 to 9999 (a tick writes one per occurrence; the formatter costs several times more) and
   * by the formatter otherwise.
   */
  static String fixedWidth(Instant scheduledAt) {
    LocalDateTime t =
        LocalDateTime.ofEpochSecond(
            scheduledAt.getEpochSecond(), scheduledAt.getNano(), ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      return INSTANT.format(scheduledAt);
    }
    StringBuilder b = new StringBuilder(30);
    digits(b, t.getYear(), 4).append('-');
    digits(b, t.getMonthValue(), 2).append('-');
    digits(b, t.getDayOfMonth(), 2).append('T');
    digits(b, t.getHour(), 2).append(':');
    digits(b, t.getMinute(), 2).append(':');
    digits(b, t.getSecond(), 2).append('.');
    return digits(b, t.getNano(), 9).append('Z').toString();
  }

  private static StringBuilder digits(StringBuilder b, int value, int width) {
    String text = Integer.toString(value);
    for (int i = text.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(text);
  }

  /** The idempotency key of a queued occurrence's session. */
  static String queuedStartKey(String claimKey) {
    return "triggers.queue:" + claimKey;
  }

  /**
   * A claim under {@code key} ({@link #key} of the trigger and {@code scheduledAt}), its instants
   * written by {@code texts} ({@link Instant#toString}, which a tick memoizes per instant: a busy
   * minute's claims share their scheduled and claimed instants).
   */
  static Row claim(
      String key,
      TriggerDefinition def,
      Instant scheduledAt,
      TriggerClaim.Outcome outcome,
      String node,
      Instant now,
      @Nullable String sessionId,
      Duration retention,
      Function<Instant, String> texts) {
    ObjectNode value =
        JsonNodeFactory.instance
            .objectNode()
            .put("trigger", def.id())
            .put("scheduledAt", texts.apply(scheduledAt))
            .put("outcome", outcome.name())
            .put("fingerprint", def.fingerprint())
            .put("node", node)
            .put("claimedAt", texts.apply(now))
            .put("session", sessionId);
    // session_id stays null: a claim outlives its session (a purge must not drop it). Due: when
    // the claim may be pruned (ClaimPruning), its occurrence out of every node's catch-up reach.
    return new Row(CLAIMS, key, null, value, scheduledAt.plus(retention));
  }

  /** The mark of a batch of starts whose first claim key is {@code firstKey}, due with claims. */
  static Row mark(String firstKey, String node, Instant now, Duration retention) {
    return new Row(
        MARKS,
        firstKey,
        null,
        JsonNodeFactory.instance.objectNode().put("node", node).put("at", now.toString()),
        now.plus(retention));
  }

  static TriggerClaim read(Row row) {
    JsonNode v = row.value();
    JsonNode session = v.get("session");
    return new TriggerClaim(
        v.get("trigger").asString(),
        Instant.parse(v.get("scheduledAt").asString()),
        TriggerClaim.Outcome.valueOf(v.get("outcome").asString()),
        v.get("fingerprint").asString(),
        v.get("node").asString(),
        Instant.parse(v.get("claimedAt").asString()),
        session == null || session.isNull() ? null : session.asString());
  }

  /**
   * A trigger's pause state; {@code declared}: whether its trigger file last said {@code paused:
   * true} (see {@link Triggers#applyDeclaredPauses}).
   */
  static Row state(String triggerId, boolean paused, Instant at, String by, boolean declared) {
    return Row.of(
        STATE,
        triggerId,
        null,
        JsonNodeFactory.instance
            .objectNode()
            .put("paused", paused)
            .put("at", at.toString())
            .put("by", by)
            .put("declared", declared));
  }

  /** Whether a pause state row says its trigger file declared it paused (absent: no). */
  static boolean declared(@Nullable Row state) {
    if (state == null) {
      return false;
    }
    JsonNode declared = state.value().get("declared");
    return declared != null && declared.asBoolean();
  }

  static Row queued(TriggerDefinition def, Instant scheduledAt) {
    return Row.of(
        QUEUE,
        def.id(),
        null,
        JsonNodeFactory.instance
            .objectNode()
            .put("scheduledAt", scheduledAt.toString())
            .put("fingerprint", def.fingerprint()));
  }
}
