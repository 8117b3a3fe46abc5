package dev.agentmesh.review;

import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionNotFoundException;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expiry: a pending review's row of {@value Engine#EXPIRY}, written with its proposal and due at
 * its expiry, is claimed when due (a dead node's claim expires, as the sessions' timers' do) and
 * fired by appending {@code review.expired} and what the policy's {@code onExpiry} says, together
 * with the row's {@code deleteExisting(...).claimedBy(node)}: so an expiry fires once across nodes
 * and restarts. {@code REJECT} ends the review (the session's wait ends with a failure, a held call
 * with a failed outcome); {@code ESCALATE} keeps it pending and lets the target decide it; {@code
 * KEEP} keeps it pending. Each tells the notifiers.
 */
final class Expiries {

  private static final int BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(Expiries.class);

  private final Engine engine;

  Expiries(Engine engine) {
    this.engine = engine;
  }

  /** Fires the expiries due now; returns how many rows it claimed. */
  int fireDue() {
    Engine.Bound b = engine.bound();
    List<Row> due =
        b.store().claimRows(Engine.EXPIRY, b.nodeId(), engine.now(), engine.effectTimeout, BATCH);
    for (Row row : due) {
      String reviewId = Engine.reviewIdOf(row);
      try {
        fire(reviewId);
      } catch (SessionNotFoundException gone) {
        b.store().writeRows(List.of(RowWrite.delete(Engine.EXPIRY, reviewId)));
      } catch (RowConflictException elsewhere) {
        log.debug("The expiry of review {} fired elsewhere", reviewId);
      } catch (RuntimeException e) {
        log.warn(
            "The expiry of review {} failed to fire on node {}; it fires again once this node's "
                + "claim expires",
            reviewId,
            b.nodeId(),
            e);
      }
    }
    return due.size();
  }

  private void fire(String reviewId) {
    Session session = engine.session(ReviewFold.sessionOf(reviewId));
    String local = ReviewFold.local(reviewId);
    AtomicBoolean fired = new AtomicBoolean();
    session.record(
        state -> {
          ReviewState r = engine.reviews(state).get(local);
          Instant now = engine.now();
          Instant at = r == null ? null : r.expiresAt();
          if (r == null || at == null || !r.status().isOpen() || r.escalatedTo() != null) {
            fired.set(false);
            return Recording.none();
          }
          fired.set(!now.isBefore(at));
          return fired.get() ? expire(r, now) : Recording.none();
        });
    if (!fired.get()) {
      engine.bound().store().writeRows(List.of(RowWrite.delete(Engine.EXPIRY, reviewId)));
    }
  }

  private Recording expire(ReviewState review, Instant now) {
    EffectivePolicy policy = engine.policy.effective(review);
    String action = policy.onExpiry().name();
    String to = policy.escalateTo();
    if ("ESCALATE".equals(action) && to == null) {
      action = "KEEP";
    }
    String local = ReviewFold.local(review.id());
    List<SessionEvent> events = new ArrayList<>();
    List<RowWrite> rows = new ArrayList<>();
    rows.add(
        RowWrite.deleteExisting(Engine.EXPIRY, review.id()).claimedBy(engine.bound().nodeId()));
    events.add(Engine.event(now, ReviewEvents.EXPIRED, new ReviewEvents.Expired(local, action)));
    switch (action) {
      case "REJECT" -> {
        Decisions.ended(
            review,
            "review.expired",
            "Not reviewed by " + review.expiresAt() + ": expired",
            "review",
            now,
            events);
        rows.addAll(engine.notify(Notification.Kind.EXPIRED, review, null, "REJECT"));
        rows.addAll(ReviewIndex.closed(engine.policy.pending(review)));
      }
      case "ESCALATE" -> {
        java.util.Objects.requireNonNull(to, "escalateTo");
        events.add(
            Engine.event(now, ReviewEvents.ESCALATED, new ReviewEvents.Escalated(local, to)));
        rows.addAll(engine.notify(Notification.Kind.ESCALATED, review, null, to));
        rows.addAll(
            ReviewIndex.reassigned(
                engine.policy.pending(review), engine.policy.pending(review, review.hash(), to)));
      }
      default -> rows.addAll(engine.notify(Notification.Kind.EXPIRED, review, null, "KEEP"));
    }
    return Recording.of(events).withRows(rows);
  }
}
