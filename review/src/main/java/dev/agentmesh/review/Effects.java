package dev.agentmesh.review;

import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Effects of approvals, through the session's log: {@code review.effect-started} is appended
 * (decided against the log, so of two nodes one starts it) before the {@link PublishHandler} runs,
 * and {@code review.effect-applied} or {@code review.effect-failed} after; the approval's row of
 * {@value Engine#EFFECT} is deleted with that end. The row is due {@code effectTimeout} after the
 * approval: if it is still there then (the deciding node died), the sweep settles it: a start never
 * recorded runs now, a start without an end is repeated only for a handler that honours the
 * idempotency key, and is otherwise recorded as {@code review.effect-unknown}. A gated tool call's
 * effect is its release ({@code Session.releaseCall}); the sessions' effects ledger runs it once.
 */
final class Effects {

  private static final int BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(Effects.class);

  private final Engine engine;

  Effects(Engine engine) {
    this.engine = engine;
  }

  /**
   * Runs the effect of a review approved just now in {@code session}, whose state after the
   * approval's append is {@code approved}; returns where it stands.
   */
  EffectStatus run(Session session, SessionState approved, String reviewId) {
    return settle(session, approved, reviewId, false);
  }

  /** Settles the effects whose rows are due (their deciding node did not); returns how many. */
  int runDue() {
    Engine.Bound b = engine.bound();
    List<Row> due =
        b.store().claimRows(Engine.EFFECT, b.nodeId(), engine.now(), engine.effectTimeout, BATCH);
    for (Row row : due) {
      String reviewId = Engine.reviewIdOf(row);
      try {
        settle(reviewId, true);
      } catch (RuntimeException e) {
        log.warn(
            "The effect of review {} could not be settled on node {}; it is tried again once this "
                + "node's claim expires",
            reviewId,
            b.nodeId(),
            e);
      }
    }
    return due.size();
  }

  private EffectStatus settle(String reviewId, boolean recovering) {
    Session session = engine.session(ReviewFold.sessionOf(reviewId));
    return settle(session, session.state(), reviewId, recovering);
  }

  private EffectStatus settle(
      Session session, SessionState state, String reviewId, boolean recovering) {
    String local = ReviewFold.local(reviewId);
    ReviewState review = engine.reviews(state).get(local);
    if (review == null || review.effect() == EffectStatus.NONE) {
      engine.bound().store().writeRows(List.of(RowWrite.delete(Engine.EFFECT, reviewId)));
      return EffectStatus.NONE;
    }
    if (review.isCall()) {
      return release(session, review);
    }
    PublishHandler handler = engine.publishers.get(engine.types.typeOf(review.artifact()).name());
    if (handler == null) {
      log.warn(
          "No publish handler for '{}' on node {}; the effect of review {} waits for a node that"
              + " has one",
          engine.types.typeOf(review.artifact()).name(),
          engine.bound().nodeId(),
          reviewId);
      return review.effect();
    }
    boolean owed = review.effect() == EffectStatus.DUE || review.effect() == EffectStatus.STARTED;
    if (owed && !firstSettled(session, review, recovering)) {
      return review.effect(); // the policy-approved write still runs: the sweep comes back
    }
    switch (review.effect()) {
      case DUE:
        return start(session, local) ? invoke(session, review, handler) : status(session, local);
      case STARTED:
        if (!recovering) {
          return EffectStatus.STARTED; // another caller runs it now
        }
        if (handler.honoursIdempotencyKey()) {
          return invoke(session, review, handler);
        }
        return end(
            session,
            review,
            ReviewEvents.EFFECT_UNKNOWN,
            ReviewEvents.MAPPER.stringNode(
                "started on a node that stopped before recording its end; the handler does not"
                    + " honour the idempotency key, so it is not repeated: check "
                    + review.effectKey()
                    + " at the target"));
      default:
        engine.bound().store().writeRows(List.of(RowWrite.delete(Engine.EFFECT, reviewId)));
        return review.effect();
    }
  }

  /**
   * For the waiting part of a split record change: settles the policy-approved part's write first
   * (it must come first: this one applies against the version it leaves). True when it has ended.
   */
  private boolean firstSettled(Session session, ReviewState review, boolean recovering) {
    String follows = review.follows();
    if (follows == null) {
      return true;
    }
    ReviewState first = engine.reviews(session.state()).get(ReviewFold.local(follows));
    if (first == null) {
      return true;
    }
    if (first.effect() == EffectStatus.DUE || first.effect() == EffectStatus.STARTED) {
      settle(follows, recovering);
      first = engine.reviews(session.state()).get(ReviewFold.local(follows));
    }
    return first == null
        || (first.effect() != EffectStatus.DUE && first.effect() != EffectStatus.STARTED);
  }

  /**
   * What the handler applies: the approved artifact; for the waiting part of a split record change
   * whose policy-approved part was applied, against the record and version that write returned
   * ({@code id}, {@code version}), so a change made in between is refused, never overwritten.
   */
  private static ReviewArtifact target(Session session, ReviewState review) {
    String follows = review.follows();
    if (follows == null || !(review.artifact() instanceof RecordChange change)) {
      return review.artifact();
    }
    JsonNode applied = appliedResult(session, ReviewFold.local(follows));
    if (applied == null || !applied.isObject()) {
      return change; // the first write did not apply: against the version the agent read
    }
    return new RecordChange(
        change.system(),
        change.recordType(),
        scalar(applied.get("id"), change.recordId()),
        scalar(applied.get("version"), change.versionRead()),
        change.changes());
  }

  private static @Nullable JsonNode appliedResult(Session session, String local) {
    for (LoggedEvent e : session.history()) {
      if (e.event() instanceof SessionEvent.Custom c
          && c.type().equals(ReviewEvents.EFFECT_APPLIED)
          && local.equals(c.data().path("review").asString(""))) {
        return c.data().get("detail");
      }
    }
    return null;
  }

  private static String scalar(@Nullable JsonNode node, String fallback) {
    return node != null && node.isValueNode() && !node.isNull() ? node.asString() : fallback;
  }

  private boolean start(Session session, String local) {
    AtomicBoolean mine = new AtomicBoolean();
    engine.record(
        session,
        state -> {
          ReviewState r = engine.reviews(state).get(local);
          mine.set(r != null && r.effect() == EffectStatus.DUE);
          if (r == null || !mine.get()) {
            return Recording.none();
          }
          return Recording.of(
              Engine.event(
                  engine.now(),
                  ReviewEvents.EFFECT_STARTED,
                  new ReviewEvents.Effect(
                      local,
                      String.valueOf(r.effectKey()),
                      ReviewEvents.MAPPER.stringNode(engine.bound().nodeId()))));
        });
    return mine.get();
  }

  private EffectStatus invoke(Session session, ReviewState review, PublishHandler handler) {
    List<String> approvers = review.approvers().isEmpty() ? List.of("policy") : review.approvers();
    Publication publication =
        new Publication(
            review.id(),
            String.valueOf(review.effectKey()),
            target(session, review),
            review.hash(),
            review.provenance(),
            approvers);
    Object result;
    try {
      result = handler.publish(publication);
    } catch (RuntimeException e) {
      String error =
          e.getClass().getSimpleName()
              + ": "
              + Texts.truncate(String.valueOf(e.getMessage()), 2000);
      return end(
          session, review, ReviewEvents.EFFECT_FAILED, ReviewEvents.MAPPER.stringNode(error));
    }
    JsonNode detail =
        result == null ? ReviewEvents.MAPPER.nullNode() : ReviewEvents.MAPPER.valueToTree(result);
    return end(session, review, ReviewEvents.EFFECT_APPLIED, detail);
  }

  /** Records the effect's end (if it is still started), with the row's deletion. */
  private EffectStatus end(Session session, ReviewState review, String type, JsonNode detail) {
    String local = ReviewFold.local(review.id());
    SessionState after =
        engine.record(
            session,
            state -> {
              ReviewState r = engine.reviews(state).get(local);
              if (r == null || r.effect() != EffectStatus.STARTED) {
                return Recording.none(); // ended elsewhere: an effect has one end
              }
              List<RowWrite> rows = new ArrayList<>();
              rows.add(RowWrite.delete(Engine.EFFECT, review.id()));
              if (!type.equals(ReviewEvents.EFFECT_APPLIED)) {
                rows.addAll(
                    engine.notify(Notification.Kind.SESSION_FAILED, r, "effect", text(detail)));
              }
              return Recording.of(
                      Engine.event(
                          engine.now(),
                          type,
                          new ReviewEvents.Effect(local, String.valueOf(r.effectKey()), detail)))
                  .withRows(rows);
            });
    return status(after, local);
  }

  /** A gated call's effect: released once to run itself through the sessions' ledger. */
  private EffectStatus release(Session session, ReviewState review) {
    String callId = String.valueOf(review.callId());
    if (review.effect() == EffectStatus.DUE && !released(session, callId)) {
      session.releaseCall(callId, "review " + review.id());
    }
    String local = ReviewFold.local(review.id());
    SessionState after =
        engine.record(
            session,
            state -> {
              ReviewState r = engine.reviews(state).get(local);
              if (r == null || r.effect() != EffectStatus.DUE) {
                return Recording.none();
              }
              return Recording.of(
                      Engine.event(
                          engine.now(),
                          ReviewEvents.EFFECT_APPLIED,
                          new ReviewEvents.Effect(
                              local,
                              String.valueOf(r.effectKey()),
                              ReviewEvents.MAPPER.createObjectNode().put("released", callId))))
                  .withRows(RowWrite.delete(Engine.EFFECT, review.id()));
            });
    return status(after, local);
  }

  private static boolean released(Session session, String callId) {
    for (LoggedEvent e : session.history()) {
      if (e.event() instanceof SessionEvent.CallReleased r && r.callId().equals(callId)) {
        return true;
      }
    }
    return false;
  }

  private EffectStatus status(Session session, String local) {
    return status(session.state(), local);
  }

  private EffectStatus status(SessionState state, String local) {
    ReviewState r = engine.reviews(state).get(local);
    return r == null ? EffectStatus.NONE : r.effect();
  }

  private static @Nullable String text(JsonNode detail) {
    return detail.isString() ? detail.asString() : detail.toString();
  }
}
