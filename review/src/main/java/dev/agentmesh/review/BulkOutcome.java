package dev.agentmesh.review;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a bulk decision ({@link ReviewQueue#decideAll}) did: the reviews it decided and those it
 * could not, each with the reason, in queue order.
 *
 * <pre>{@code
 * BulkOutcome outcome = queue.decideAll(query, credential, Decision.approve());
 * outcome.refused().forEach(r -> log.info("{}: {}", r.review().reviewId(), r.message()));
 * if (outcome.hasMore()) {
 *   queue.decideAll(query.newBuilder().cursor(outcome.nextCursor()).build(), credential, d);
 * }
 * }</pre>
 *
 * @param decided the reviews decided, each recorded singly in its session
 * @param refused the reviews not decided, with the reason
 * @param nextCursor where to go on (more matched than one call decides, or a failure stopped it);
 *     null when every matching review was tried
 */
public record BulkOutcome(
    List<Decided> decided, List<Refused> refused, @Nullable String nextCursor) {

  /** The reason of a review a failure (not a policy) stopped at: an exception of the decider. */
  public static final String FAILED = "failed";

  /**
   * Copies the lists.
   *
   * @param decided the reviews decided
   * @param refused the reviews not decided
   * @param nextCursor where to go on, or null
   */
  public BulkOutcome {
    decided = List.copyOf(decided);
    refused = List.copyOf(refused);
  }

  /**
   * Whether more matching reviews remain untried; go on with {@link #nextCursor()}.
   *
   * @return true if {@link #nextCursor()} is set
   */
  public boolean hasMore() {
    return nextCursor != null;
  }

  /** What happened to one review of a bulk decision. */
  public sealed interface Item permits Decided, Refused {
    /**
     * The review.
     *
     * @return the review, as the queue listed it
     */
    PendingReview review();
  }

  /**
   * A review decided and recorded in its session.
   *
   * @param review the review
   */
  public record Decided(PendingReview review) implements Item {}

  /**
   * A review not decided.
   *
   * @param review the review
   * @param reason a machine-readable reason, such as the engine's refusal code ({@code
   *     not-allowed}, {@code four-eyes}, {@code stale-hash}...), or {@value BulkOutcome#FAILED}
   * @param message what happened, for people
   */
  public record Refused(PendingReview review, String reason, String message) implements Item {}
}
