package dev.agentmesh.review;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A review step was refused: a credential the authenticator does not accept, a reviewer the policy
 * does not allow, a decision on a stale or superseded artifact, an edit that is not a valid
 * artifact, a comment anchored where the artifact has nothing. {@link #reason()} is the
 * machine-readable code (stored in the log, returned by APIs); the message says what was expected,
 * what was found and how to fix it, and never carries the credential or artifact content.
 *
 * <pre>{@code
 * try {
 *   reviews.decide(reviewId, token, Decision.approve());
 * } catch (ReviewRefusedException e) {
 *   if (e.reason() == ReviewRefusedException.Reason.STALE_HASH) {
 *     reload(); // the artifact changed since it was shown
 *   }
 * }
 * }</pre>
 */
public final class ReviewRefusedException extends ReviewException {

  private static final long serialVersionUID = 1L;

  /** Why a review step was refused; {@link #code()} is the stable form stored and returned. */
  public enum Reason {
    /** The authenticator did not accept the credential. */
    UNAUTHENTICATED,
    /** The authenticator itself failed (a directory down): try again later. */
    AUTHENTICATOR_FAILED,
    /** The reviewer is neither listed nor in a listed group for this artifact. */
    NOT_A_REVIEWER,
    /** The reviewer is the agent that produced the artifact. */
    PRODUCING_AGENT,
    /**
     * The reviewer is the automated trigger (schedule, webhook, event, session) that started it.
     */
    AUTOMATED_ORIGIN,
    /** Four eyes: the reviewer started the session the artifact belongs to. */
    FOUR_EYES,
    /** The reviewer already approved this content; another reviewer must add the next approval. */
    ALREADY_APPROVED,
    /** The decision names another content hash than the one under review. */
    STALE_HASH,
    /** The review is decided already. */
    ALREADY_DECIDED,
    /** A newer artifact replaced this one; decide on the new one. */
    SUPERSEDED,
    /** The review expired before the decision. */
    EXPIRED,
    /** An edit is not a valid artifact of the reviewed type. */
    INVALID_EDIT,
    /** A comment's anchor points where the artifact has nothing. */
    INVALID_ANCHOR,
    /** No review has the given id. */
    UNKNOWN_REVIEW;

    /** {@return the stable lower-case code, such as {@code stale-hash}} */
    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The reason whose {@link #code()} is {@code code}.
     *
     * @param code a code such as {@code stale-hash}
     * @return the reason
     * @throws IllegalArgumentException if no reason has that code
     */
    public static Reason fromCode(String code) {
      for (Reason r : values()) {
        if (r.code().equals(code)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "unknown refusal code '" + Texts.truncate(code, 40) + "'; expected one of " + codes());
    }

    private static String codes() {
      StringBuilder b = new StringBuilder("[");
      for (Reason r : values()) {
        b.append(b.length() > 1 ? ", " : "").append(r.code());
      }
      return b.append(']').toString();
    }
  }

  /** The machine-readable reason. */
  private final Reason reason;

  /**
   * Creates a refusal.
   *
   * @param reason the machine-readable reason
   * @param message what was expected, what was found and how to fix it
   */
  public ReviewRefusedException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * Creates a refusal caused by another failure.
   *
   * @param reason the machine-readable reason
   * @param message what was expected, what was found and how to fix it
   * @param cause the underlying failure, or {@code null}
   */
  public ReviewRefusedException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** {@return the machine-readable reason} */
  public Reason reason() {
    return reason;
  }
}
