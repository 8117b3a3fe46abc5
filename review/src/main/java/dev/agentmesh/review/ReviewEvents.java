package dev.agentmesh.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code review.*} events the runtime appends to a session's log (as sessions' custom events),
 * their payloads, and their JSON. A review is named in its session by a local id ({@code r1},
 * {@code r2}, ...); its public id is {@code <session id>/<local id>}, so a fork, which copies its
 * parent's events, names the copied review with its own session id. Package-private: the payloads
 * are read through {@link ReviewState}.
 */
final class ReviewEvents {

  static final String PREFIX = "review.";
  static final String PROPOSED = "review.proposed";
  static final String COMMENTED = "review.commented";
  static final String DECIDED = "review.decided";
  static final String REFUSED = "review.refused";
  static final String APPROVED = "review.approved";
  static final String SUPERSEDED = "review.superseded";
  static final String EXPIRED = "review.expired";
  static final String ESCALATED = "review.escalated";
  static final String EFFECT_STARTED = "review.effect-started";
  static final String EFFECT_APPLIED = "review.effect-applied";
  static final String EFFECT_FAILED = "review.effect-failed";
  static final String EFFECT_UNKNOWN = "review.effect-unknown";

  /** The name of the session's wait for a review's outcome: {@code review:<local id>}. */
  static String waitName(String local) {
    return "review:" + local;
  }

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private ReviewEvents() {}

  static JsonNode toJson(Object payload) {
    return MAPPER.valueToTree(payload);
  }

  static <T> T read(JsonNode data, Class<T> type) {
    return MAPPER.treeToValue(data, type);
  }

  /**
   * An artifact was proposed and the session waits for its review.
   *
   * @param review the local id ({@code r1})
   * @param key the effect's idempotency root: the public id of the original proposal (a fork keeps
   *     it)
   * @param artifact the canonical envelope {@code {"artifact":...,"type":...}}
   * @param hash the content hash, {@code sha256:...}
   * @param title one line for queues and notifications
   * @param provenance where it comes from
   * @param callId the gated tool call it stands for, or null for an agent's output
   * @param supersedes the local id of the proposal it replaces, or null
   * @param risk the risk tier's name
   * @param expiresAt when it expires, or null
   * @param follows for the fields of a record change that wait for people, the local id of the
   *     review of its fields policy approved (whose write comes first), else null
   */
  record Proposed(
      String review,
      String key,
      JsonNode artifact,
      String hash,
      String title,
      ArtifactProvenance provenance,
      @Nullable String callId,
      @Nullable String supersedes,
      String risk,
      @Nullable Instant expiresAt,
      @Nullable String follows) {}

  /**
   * An anchored comment: where (one line, and the anchor as JSON when it has one) and what.
   *
   * @param where the anchor's one-line description
   * @param anchor the anchor as JSON, or null
   * @param text what the comment says
   */
  record CommentData(String where, @Nullable JsonNode anchor, String text) {}

  /**
   * A reviewing agent's findings on a proposal: comments, never a decision.
   *
   * @param review the local id
   * @param agent the reviewing agent
   * @param comments its anchored findings
   */
  record Commented(String review, String agent, List<CommentData> comments) {}

  /**
   * A decision that was taken (by a person, or by policy).
   *
   * @param review the local id
   * @param decision this decision's id
   * @param reviewer the authenticated reviewer's id, or {@code policy}
   * @param groups the reviewer's groups when deciding
   * @param kind {@code approve}, {@code edit}, {@code reject} or {@code request-changes}
   * @param hash the hash decided upon
   * @param newHash the edited artifact's hash, for an edit
   * @param edited the edited artifact's canonical envelope, for an edit
   * @param diff the edit's diff against the version before it, as text
   * @param reason the reason, for a rejection or change request
   * @param comments anchored comments
   * @param byPolicy whether policy (a risk tier) decided, not a person
   */
  record Decided(
      String review,
      String decision,
      String reviewer,
      Set<String> groups,
      String kind,
      String hash,
      @Nullable String newHash,
      @Nullable JsonNode edited,
      @Nullable String diff,
      @Nullable String reason,
      List<CommentData> comments,
      boolean byPolicy) {}

  /**
   * A decision that was refused, recorded for the audit trail.
   *
   * @param review the local id
   * @param reviewer the authenticated reviewer, or null when authentication failed
   * @param code the machine-readable reason
   * @param message the message the caller got
   * @param hash the hash the caller decided upon, or null
   * @param kind the decision's kind
   */
  record Refused(
      String review,
      @Nullable String reviewer,
      String code,
      String message,
      @Nullable String hash,
      String kind) {}

  /**
   * The quorum was reached (or policy approved): the effect is owed under {@code effectKey}.
   *
   * @param review the local id
   * @param hash the approved hash
   * @param effectKey the effect's idempotency key
   * @param approvers who approved (distinct reviewers, or {@code policy})
   * @param byPolicy whether policy approved
   */
  record Approved(
      String review, String hash, String effectKey, List<String> approvers, boolean byPolicy) {}

  /**
   * A newer proposal replaced this one.
   *
   * @param review the local id of the replaced proposal
   * @param by the local id of the new one
   */
  record Superseded(String review, String by) {}

  /**
   * The proposal was not decided in time.
   *
   * @param review the local id
   * @param action what the policy said: {@code REJECT}, {@code ESCALATE} or {@code KEEP}
   */
  record Expired(String review, String action) {}

  /**
   * The proposal was handed to another reviewer or group after its expiry.
   *
   * @param review the local id
   * @param to the escalation target
   */
  record Escalated(String review, String to) {}

  /**
   * An effect's start, end, failure or unknown end.
   *
   * @param review the local id
   * @param key the effect's idempotency key
   * @param detail the node (started), the handler's result (applied), the error (failed) or why it
   *     is unknown
   */
  record Effect(String review, String key, @Nullable JsonNode detail) {
    Effect {
      Objects.requireNonNull(review, "review");
      Objects.requireNonNull(key, "key");
    }
  }
}
