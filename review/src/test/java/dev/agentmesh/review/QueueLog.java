package dev.agentmesh.review;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the review engine's appends: a proposal's, a decision's and an escalation's events
 * written with the queue's row writes, the way the engine adds them.
 */
final class QueueLog {

  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContentHash HASH = ContentHash.parse("sha256:" + "ab".repeat(32));

  private final SessionStore store;

  QueueLog(SessionStore store) {
    this.store = store;
  }

  static PendingReview review(
      String id,
      String agent,
      String type,
      ReviewPolicy.Risk risk,
      Instant proposedAt,
      Set<String> reviewers,
      Set<String> groups) {
    return new PendingReview(
        id, "s-" + id, agent, type, HASH, risk, proposedAt, null, reviewers, groups, "Title " + id);
  }

  /** Appends {@code review.proposed} with the review's queue rows (creating its session). */
  void propose(PendingReview review) {
    append(review.sessionId(), "review.proposed", review.reviewId(), ReviewIndex.opened(review));
  }

  /** Appends {@code review.decided} with the deletes of the review's queue rows. */
  void decide(PendingReview review) {
    append(review.sessionId(), "review.decided", review.reviewId(), ReviewIndex.closed(review));
  }

  /** Appends {@code review.escalated} moving the review's rows. */
  void reassign(PendingReview before, PendingReview after) {
    append(
        before.sessionId(),
        "review.escalated",
        before.reviewId(),
        ReviewIndex.reassigned(before, after));
  }

  void append(String sessionId, String type, String reviewId, List<RowWrite> rows) {
    Optional<SessionSummary> found = store.find(sessionId);
    long version = found.map(SessionSummary::version).orElse(0L);
    List<NewEvent> events = new ArrayList<>();
    if (found.isEmpty()) {
      events.add(new NewEvent("session.created", 1, JSON.createObjectNode(), T0));
    }
    events.add(new NewEvent(type, 1, JSON.createObjectNode().put("review", reviewId), T0));
    SessionSummary summary =
        found
            .map(s -> s.newBuilder().version(version + events.size()).build())
            .orElseGet(
                () ->
                    SessionSummary.builder(sessionId)
                        .agent("writer")
                        .status("waiting")
                        .origin("manual")
                        .createdAt(T0)
                        .updatedAt(T0)
                        .version(events.size())
                        .build());
    store.append(Append.of(sessionId, version, events, summary).withRows(rows));
  }
}
