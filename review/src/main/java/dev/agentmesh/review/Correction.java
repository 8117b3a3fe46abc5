package dev.agentmesh.review;

import dev.agentmesh.sessions.spi.Row;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a reviewer told an agent by rejecting its artifact or requesting changes: stored against the
 * agent's name and the spec fingerprint that produced the artifact, queryable per agent ({@link
 * Corrections#query}), and given to the agent's later runs as context until a reviewer retires it.
 *
 * <p>A decision makes one correction for its reason (no anchor) and one per anchored comment of a
 * change request ({@link #fromDecision}); the review runtime stores them with {@link
 * CorrectionRows#insert} in the decision's own append. A correction holds only what the reviewer
 * wrote and where it points (the anchor's one-line description and a target such as a file path or
 * a record id), never the artifact's content.
 *
 * <pre>{@code
 * Correction.Source source = new Correction.Source(
 *     "s-1", "s-1/r1", "d-7", "reply", spec.fingerprint(), "outbound-message", message);
 * List<Correction> made = Correction.fromDecision(
 *     source, "ana", Decision.reject("never promise a refund date"), clock.instant());
 * made.get(0).reason(); // "never promise a refund date"
 * }</pre>
 *
 * @param id the correction's id, also its row key: the agent, a newest-first time code and the
 *     decision's id ({@code reply/7ffa0c3e5b1d11ff/d-7.0})
 * @param agent the agent whose artifact was corrected
 * @param specFingerprint the fingerprint of the spec that produced it ({@code sha256:...})
 * @param artifactType the artifact type's name ({@code code-diff}, {@code acme.ticket-move})
 * @param target what the artifact was about, for relevance: a file path, a record's {@code
 *     system/type/id}, a document's title; or null
 * @param anchor the anchor's one-line description ({@code 'src/A.java' line 12}), or null for the
 *     decision's reason
 * @param reason what the reviewer wrote
 * @param reviewer the reviewer's id, as the authenticator gave it
 * @param at when the decision was made (microsecond precision)
 * @param sessionId the session the artifact was proposed in, or null
 * @param reviewId the review that was decided, or null
 * @param retired who retired it and when, or null while it is active
 */
public record Correction(
    String id,
    String agent,
    String specFingerprint,
    String artifactType,
    @Nullable String target,
    @Nullable String anchor,
    String reason,
    String reviewer,
    Instant at,
    @Nullable String sessionId,
    @Nullable String reviewId,
    @Nullable Retirement retired) {

  /** The most characters a reason may have (as {@link Decision#MAX_REASON_LENGTH}). */
  public static final int MAX_REASON = Decision.MAX_REASON_LENGTH;

  /** The most characters of a target or an anchor's description; longer ones are cut. */
  public static final int MAX_LABEL = 300;

  private static final Pattern AGENT = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /**
   * Checks every component; cuts {@code at} to microseconds, and the target and anchor to one line
   * of at most {@value #MAX_LABEL} characters.
   *
   * @param id the correction's id
   * @param agent the agent whose artifact was corrected
   * @param specFingerprint the producing spec's fingerprint
   * @param artifactType the artifact type's name
   * @param target a file path, a record id..., or null
   * @param anchor the anchor's description, or null
   * @param reason what the reviewer wrote
   * @param reviewer the reviewer's id
   * @param at when
   * @param sessionId the session, or null
   * @param reviewId the review, or null
   * @param retired the retirement, or null
   * @throws IllegalArgumentException if a component is malformed, naming it
   */
  public Correction {
    require("id", id, Row.MAX_KEY);
    if (!AGENT.matcher(Objects.requireNonNull(agent, "agent")).matches()) {
      throw new IllegalArgumentException(
          "a correction's agent must be an agent name (lower-case letters, digits and '-',"
              + " starting with a letter) but was '"
              + Texts.truncate(agent, 80)
              + "'");
    }
    require("specFingerprint", specFingerprint, 200);
    require("artifactType", artifactType, 200);
    require("reviewer", reviewer, Reviewer.MAX_NAME_LENGTH);
    Comment.checkText("a correction's reason", reason, MAX_REASON);
    at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
    target = label(target);
    anchor = label(anchor);
    if (sessionId != null) {
      require("sessionId", sessionId, Row.MAX_KEY);
    }
    if (reviewId != null) {
      require("reviewId", reviewId, Row.MAX_KEY);
    }
  }

  /**
   * Whether no reviewer has retired it: only active corrections reach the agent's runs.
   *
   * @return true while it is not retired
   */
  public boolean active() {
    return retired == null;
  }

  /**
   * This correction, retired.
   *
   * @param by who retired it
   * @param when when
   * @return a copy with the retirement set
   */
  public Correction retire(String by, Instant when) {
    return new Correction(
        id,
        agent,
        specFingerprint,
        artifactType,
        target,
        anchor,
        reason,
        reviewer,
        at,
        sessionId,
        reviewId,
        new Retirement(by, when));
  }

  /**
   * Who retired a correction, and when.
   *
   * @param by the reviewer's id
   * @param at when (microsecond precision)
   */
  public record Retirement(String by, Instant at) {
    /**
     * Checks the components.
     *
     * @param by the reviewer's id
     * @param at when
     */
    public Retirement {
      require("retired by", by, Reviewer.MAX_NAME_LENGTH);
      at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
    }
  }

  /**
   * What a decision was about, as the review runtime knows it when it records the decision.
   *
   * @param sessionId the session the artifact was proposed in
   * @param reviewId the review
   * @param decisionId the decision's id, unique (it makes the corrections' ids)
   * @param agent the producing agent
   * @param specFingerprint the producing spec's fingerprint
   * @param artifactType the artifact type's name
   * @param artifact the artifact decided on: read for its target only, never stored
   */
  public record Source(
      String sessionId,
      String reviewId,
      String decisionId,
      String agent,
      String specFingerprint,
      String artifactType,
      ReviewArtifact artifact) {
    /**
     * Checks the components are present.
     *
     * @param sessionId the session
     * @param reviewId the review
     * @param decisionId the decision's id
     * @param agent the producing agent
     * @param specFingerprint the spec's fingerprint
     * @param artifactType the type's name
     * @param artifact the artifact
     */
    public Source {
      Objects.requireNonNull(sessionId, "sessionId");
      Objects.requireNonNull(reviewId, "reviewId");
      require("decisionId", decisionId, 200);
      Objects.requireNonNull(agent, "agent");
      Objects.requireNonNull(specFingerprint, "specFingerprint");
      Objects.requireNonNull(artifactType, "artifactType");
      Objects.requireNonNull(artifact, "artifact");
    }
  }

  /**
   * The corrections a decision makes: none for an approval or an edit; one for a rejection's
   * reason; for a change request one for its reason and one per comment (anchored where the comment
   * points). Ids are {@link #idFor idFor(agent, at, decisionId + "." + n)}, so recording the same
   * decision again makes the same ids.
   *
   * @param source what was decided
   * @param reviewer the authenticated reviewer's id
   * @param decision the decision
   * @param at when it was decided
   * @return the corrections, reason first
   */
  public static List<Correction> fromDecision(
      Source source, String reviewer, Decision decision, Instant at) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(decision, "decision");
    List<Correction> made = new ArrayList<>();
    String artifactTarget = CorrectionTargets.of(source.artifact());
    if (decision instanceof Decision.Reject reject) {
      made.add(make(source, 0, artifactTarget, null, reject.reason(), reviewer, at));
    } else if (decision instanceof Decision.RequestChanges changes) {
      made.add(make(source, 0, artifactTarget, null, changes.reason(), reviewer, at));
      int n = 1;
      for (Comment c : changes.comments()) {
        String target = CorrectionTargets.of(c.anchor(), artifactTarget);
        made.add(make(source, n++, target, c.anchor().describe(), c.text(), reviewer, at));
      }
    }
    return List.copyOf(made);
  }

  /**
   * A correction's id (and row key): {@code agent/<time code>/<suffix>}, where the time code (16
   * hex digits, {@code Long.MAX_VALUE} minus the epoch microseconds) sorts an agent's corrections
   * newest first.
   *
   * @param agent the agent
   * @param at when
   * @param suffix what makes it unique at that instant, such as the decision's id and an index
   * @return the id
   */
  public static String idFor(String agent, Instant at, String suffix) {
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    long epochMicros =
        Math.addExact(
            Math.multiplyExact(micros.getEpochSecond(), 1_000_000L), micros.getNano() / 1_000L);
    return agent
        + "/"
        + String.format(Locale.ROOT, "%016x", Long.MAX_VALUE - epochMicros)
        + "/"
        + suffix;
  }

  private static Correction make(
      Source s,
      int n,
      @Nullable String target,
      @Nullable String anchor,
      String reason,
      String reviewer,
      Instant at) {
    return new Correction(
        idFor(s.agent(), at, s.decisionId() + "." + n),
        s.agent(),
        s.specFingerprint(),
        s.artifactType(),
        target,
        anchor,
        reason,
        reviewer,
        at,
        s.sessionId(),
        s.reviewId(),
        null);
  }

  private static @Nullable String label(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String line = Inert.line(text.strip());
    return line.length() > MAX_LABEL ? line.substring(0, MAX_LABEL - 3) + "..." : line;
  }

  private static void require(String what, @Nullable String value, int max) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.length() > max || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "a correction's "
              + what
              + " must be 1 to "
              + max
              + " characters without U+0000, not blank, but was '"
              + Texts.truncate(value, 60)
              + "'");
    }
  }
}
