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
 * @param hasMore whether matching reviews remain untried (more matched than one call tries, or the
 *     call stopped at a refused credential or a failure)
 * @param nextCursor where to go on: pass it to {@link ReviewQuery.Builder#cursor(String)} of the
 *     same query (null there means from the start); null when nothing remains
 */
public record BulkOutcome(
    List<Decided> decided, List<Refused> refused, boolean hasMore, @Nullable String nextCursor) {

  /** The reason of a review a failure (not a policy) stopped at: an exception of the decider. */
  public static final String FAILED = "failed";

  /**
   * Copies the lists.
   *
   * @param decided the reviews decided
   * @param refused the reviews not decided
   * @param hasMore whether matching reviews remain untried
   * @param nextCursor where to go on, or null
   */
  public BulkOutcome {
    decided = List.copyOf(decided);
    refused = List.copyOf(refused);
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
