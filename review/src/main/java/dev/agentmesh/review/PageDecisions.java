package dev.agentmesh.review;

import dev.agentmesh.sessions.RecordOutcome;
import dev.agentmesh.sessions.SessionNotFoundException;
import dev.agentmesh.sessions.SessionState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's decisions on a page of a bulk decision, many sessions at once: the same judgement,
 * the same events and rows in each session's own log, and the same effects as {@link
 * Decisions#decide} for each review, with the store's work shared: the page's logs read in one
 * call, its decisions appended in one call, the effects' starts and ends in one call each (on
 * PostgreSQL, one transaction each). Each credential is authenticated per review; at the first
 * refused one the page stops there (that review goes the single way, which records the refusal).
 */
final class PageDecisions implements ReviewQueue.PageDecider {

  private final Engine engine;
  private final Decisions decisions;
  private final Effects effects;
  private final int parallel;

  PageDecisions(Engine engine, Decisions decisions, Effects effects, int parallel) {
    this.engine = engine;
    this.decisions = decisions;
    this.effects = effects;
    this.parallel = parallel;
  }

  @Override
  public List<BulkOutcome.Item> decide(
      List<PendingReview> page, Object credential, Decision decision) {
    Map<String, Reviewer> reviewers = new LinkedHashMap<>(); // by session id, in page order
    Map<String, PendingReview> bySession = new LinkedHashMap<>();
    PendingReview refusedCredential = null;
    for (PendingReview review : page) {
      try {
        reviewers.put(review.sessionId(), engine.authenticator.authenticate(credential));
        bySession.put(review.sessionId(), review);
      } catch (ReviewRefusedException refused) {
        refusedCredential = review;
        break;
      }
    }
    List<BulkOutcome.Item> items = new ArrayList<>(decided(bySession, reviewers, decision));
    if (refusedCredential != null) {
      items.add(alone(refusedCredential, credential, decision)); // records the refusal
    }
    return items;
  }

  /** The decisions of reviews whose reviewer is known, then their effects. */
  private List<BulkOutcome.Item> decided(
      Map<String, PendingReview> bySession, Map<String, Reviewer> reviewers, Decision decision) {
    if (bySession.isEmpty()) {
      return List.of();
    }
    List<String> ids = List.copyOf(bySession.keySet());
    engine.preload(ids);
    Map<String, Decisions.Judged> judged = new ConcurrentHashMap<>();
    List<RecordOutcome> outcomes =
        engine.recordAll(
            ids,
            state -> {
              PendingReview review = Objects.requireNonNull(bySession.get(state.id()));
              Decisions.Judged j =
                  decisions.judge(
                      state,
                      ReviewFold.local(review.reviewId()),
                      Objects.requireNonNull(reviewers.get(state.id())),
                      review.contentHash(),
                      decision);
              judged.put(state.id(), j);
              return j.recording();
            });
    List<BulkOutcome.Item> items = new ArrayList<>(ids.size());
    Map<String, SessionState> approved = new LinkedHashMap<>();
    for (RecordOutcome o : outcomes) {
      PendingReview review = Objects.requireNonNull(bySession.get(o.sessionId()));
      items.add(item(review, o, judged.get(o.sessionId())));
      Decisions.Judged j = judged.get(o.sessionId());
      SessionState after = o.state();
      if (after != null
          && j != null
          && j.refusal() == null
          && j.status() == ReviewStatus.APPROVED) {
        approved.put(review.reviewId(), after);
      }
    }
    if (!approved.isEmpty()) {
      effects.runAll(approved, parallel);
    }
    return items;
  }

  private static BulkOutcome.Item item(
      PendingReview review,
      RecordOutcome o,
      Decisions.@org.jspecify.annotations.Nullable Judged j) {
    RuntimeException failure = o.failure();
    if (failure instanceof ReviewRefusedException refused) {
      return new BulkOutcome.Refused(
          review, refused.reason().code(), String.valueOf(refused.getMessage()));
    }
    if (failure instanceof SessionNotFoundException) {
      ReviewRefusedException unknown = Decisions.unknown(review.reviewId());
      return new BulkOutcome.Refused(
          review, unknown.reason().code(), String.valueOf(unknown.getMessage()));
    }
    if (failure != null) {
      return failed(review, failure); // the queue stops at this review
    }
    Verdict.Refused refusal = j == null ? null : j.refusal();
    if (refusal != null) {
      return new BulkOutcome.Refused(review, refusal.reason().code(), refusal.message());
    }
    return new BulkOutcome.Decided(review);
  }

  /** One review the single way ({@link Decisions#decide}): a refusal becomes its item. */
  private BulkOutcome.Item alone(PendingReview review, Object credential, Decision decision) {
    try {
      decisions.decide(review.reviewId(), review.contentHash(), credential, decision);
      return new BulkOutcome.Decided(review);
    } catch (ReviewRefusedException refused) {
      return new BulkOutcome.Refused(
          review, refused.reason().code(), String.valueOf(refused.getMessage()));
    } catch (RuntimeException e) {
      return failed(review, e);
    }
  }

  /** A failure of the store or the engine: the bulk decision stops at this review. */
  static BulkOutcome.Refused failed(PendingReview review, RuntimeException e) {
    return new BulkOutcome.Refused(
        review,
        BulkOutcome.FAILED,
        "deciding review '"
            + review.reviewId()
            + "' failed ("
            + e.getClass().getSimpleName()
            + ": "
            + Texts.truncate(String.valueOf(e.getMessage()), 300)
            + "); the bulk decision stopped at it");
  }
}
