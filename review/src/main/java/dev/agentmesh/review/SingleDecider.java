package dev.agentmesh.review;

/**
 * Records one decision on one pending review: the step {@link ReviewQueue#decideAll} repeats for
 * each review of a bulk decision. The engine's implementation authenticates the credential, checks
 * the review's policy (who may decide, four eyes, the content hash, expiry) and appends the
 * decision to the review's session like any single decision.
 *
 * <pre>{@code
 * SingleDecider decider =
 *     (review, credential, decision) -> {
 *       reviews.decide(review.reviewId(), credential, decision); // throws ReviewRefusedException
 *       return new BulkOutcome.Decided(review);
 *     };
 * }</pre>
 *
 * <p>Threading: with the queue's default concurrency of one, called from the thread that called
 * {@code decideAll}, one review at a time, in queue order; with {@link
 * ReviewQueue.Builder#concurrency(int)} above one, from up to that many threads at once (never for
 * two reviews of one session at once), so it must be thread-safe. Errors: a refusal is thrown as
 * {@link ReviewRefusedException} (or returned as {@link BulkOutcome.Refused}): the review is
 * reported with its reason code and the bulk decision goes on, unless the credential itself was
 * refused. Any other exception is taken as a failure of the store or the engine and stops the bulk
 * decision (the outcome says where, so the caller can go on).
 */
@FunctionalInterface
public interface SingleDecider {

  /**
   * Decides {@code review} with {@code decision} on behalf of whoever {@code credential} names.
   *
   * @param review the pending review, as the queue listed it
   * @param credential the opaque credential the caller gave the bulk decision
   * @param decision the decision to record
   * @return what happened to this review
   */
  BulkOutcome.Item decide(PendingReview review, Object credential, Decision decision);
}
