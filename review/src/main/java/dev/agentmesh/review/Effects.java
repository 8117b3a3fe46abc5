package dev.agentmesh.review;

import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.RecordOutcome;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    engine.record(session, state -> starting(state, local, mine));
    return mine.get();
  }

  /** The effect's start, if it is still due in {@code state}; {@code mine} says whether. */
  private Recording starting(SessionState state, String local, AtomicBoolean mine) {
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
  }

  private EffectStatus invoke(Session session, ReviewState review, PublishHandler handler) {
    Ended ended = publish(target(session, review), review, handler);
    return end(session, review, ended.type(), ended.detail());
  }

  /** How an effect ended: its event type and detail. */
  record Ended(String type, JsonNode detail) {}

  /** Calls the handler with {@code artifact}; what it returned or threw, as the effect's end. */
  private static Ended publish(
      ReviewArtifact artifact, ReviewState review, PublishHandler handler) {
    List<String> approvers = review.approvers().isEmpty() ? List.of("policy") : review.approvers();
    Publication publication =
        new Publication(
            review.id(),
            String.valueOf(review.effectKey()),
            artifact,
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
      return new Ended(ReviewEvents.EFFECT_FAILED, ReviewEvents.MAPPER.stringNode(error));
    }
    JsonNode detail =
        result == null ? ReviewEvents.MAPPER.nullNode() : ReviewEvents.MAPPER.valueToTree(result);
    return new Ended(ReviewEvents.EFFECT_APPLIED, detail);
  }

  /** Records the effect's end (if it is still started), with the row's deletion. */
  private EffectStatus end(Session session, ReviewState review, String type, JsonNode detail) {
    String local = ReviewFold.local(review.id());
    SessionState after = engine.record(session, state -> ending(state, review, type, detail));
    return status(after, local);
  }

  /** The effect's end, if it is still started in {@code state}, with the row's deletion. */
  private Recording ending(SessionState state, ReviewState review, String type, JsonNode detail) {
    String local = ReviewFold.local(review.id());
    ReviewState r = engine.reviews(state).get(local);
    if (r == null || r.effect() != EffectStatus.STARTED) {
      return Recording.none(); // ended elsewhere: an effect has one end
    }
    List<RowWrite> rows = new ArrayList<>();
    rows.add(RowWrite.delete(Engine.EFFECT, review.id()));
    if (!type.equals(ReviewEvents.EFFECT_APPLIED)) {
      rows.addAll(engine.notify(Notification.Kind.SESSION_FAILED, r, "effect", text(detail)));
    }
    return Recording.of(
            Engine.event(
                engine.now(),
                type,
                new ReviewEvents.Effect(local, String.valueOf(r.effectKey()), detail)))
        .withRows(rows);
  }

  /**
   * Runs the effects of reviews approved just now, many sessions at once: the starts of those due
   * in one {@link Engine#recordAll}, the handlers (up to {@code parallel} at once), their ends in
   * one more; a gated call or the waiting part of a split record change goes the single way. Same
   * log, same order, same promise as {@link #run}: a start is recorded before its handler runs and
   * the handler runs only if this call's start was the one recorded.
   *
   * @param approved the state after each approval, by review id
   * @return where each effect stands, by review id
   */
  Map<String, EffectStatus> runAll(Map<String, SessionState> approved, int parallel) {
    Map<String, EffectStatus> out = new ConcurrentHashMap<>();
    Map<String, ReviewState> due = new LinkedHashMap<>(); // by session id
    Map<String, PublishHandler> handlers = new HashMap<>();
    approved.forEach(
        (reviewId, state) -> {
          ReviewState review = engine.reviews(state).get(ReviewFold.local(reviewId));
          PublishHandler handler =
              review == null
                  ? null
                  : engine.publishers.get(engine.types.typeOf(review.artifact()).name());
          if (review != null
              && handler != null
              && !review.isCall()
              && review.follows() == null
              && review.effect() == EffectStatus.DUE
              && !due.containsKey(state.id())) {
            due.put(state.id(), review);
            handlers.put(state.id(), handler);
          } else {
            out.put(reviewId, run(engine.session(state.id()), state, reviewId));
          }
        });
    if (due.isEmpty()) {
      return out;
    }
    Map<String, AtomicBoolean> mine = new ConcurrentHashMap<>();
    List<String> ids = List.copyOf(due.keySet());
    Map<String, SessionState> started = new LinkedHashMap<>();
    for (RecordOutcome o :
        engine.recordAll(
            ids,
            state ->
                starting(
                    state,
                    ReviewFold.local(got(due, state.id()).id()),
                    mine.computeIfAbsent(state.id(), k -> new AtomicBoolean())))) {
      ReviewState review = got(due, o.sessionId());
      SessionState after = o.state();
      if (after == null || !got(mine, o.sessionId()).get()) {
        out.put(review.id(), after == null ? EffectStatus.DUE : status(after, local(review)));
      } else {
        started.put(o.sessionId(), after);
      }
    }
    Map<String, Ended> ends = publishAll(started.keySet(), due, handlers, parallel);
    List<String> ending = List.copyOf(ends.keySet());
    for (RecordOutcome o :
        engine.recordAll(
            ending,
            state -> {
              Ended e = got(ends, state.id());
              return ending(state, got(due, state.id()), e.type(), e.detail());
            })) {
      ReviewState review = got(due, o.sessionId());
      SessionState after = o.state();
      out.put(review.id(), after == null ? EffectStatus.STARTED : status(after, local(review)));
    }
    return out;
  }

  private static String local(ReviewState review) {
    return ReviewFold.local(review.id());
  }

  /** Calls each started effect's handler, up to {@code parallel} at once. */
  private static Map<String, Ended> publishAll(
      java.util.Set<String> started,
      Map<String, ReviewState> due,
      Map<String, PublishHandler> handlers,
      int parallel) {
    Map<String, Ended> ends = new ConcurrentHashMap<>();
    Runnable[] calls =
        started.stream()
            .map(
                id ->
                    (Runnable)
                        () -> {
                          ReviewState review = got(due, id);
                          ends.put(id, publish(review.artifact(), review, got(handlers, id)));
                        })
            .toArray(Runnable[]::new);
    if (parallel <= 1 || calls.length <= 1) {
      for (Runnable call : calls) {
        call.run();
      }
    } else {
      ExecutorService pool =
          Executors.newFixedThreadPool(Math.min(parallel, calls.length), EFFECT_THREADS);
      try {
        List<Future<?>> running = new ArrayList<>();
        for (Runnable call : calls) {
          running.add(pool.submit(call));
        }
        for (Future<?> f : running) {
          await(f);
        }
      } finally {
        pool.shutdown();
      }
    }
    // keep the order of the starts
    Map<String, Ended> ordered = new LinkedHashMap<>();
    for (String id : started) {
      Ended e = ends.get(id);
      if (e != null) {
        ordered.put(id, e);
      }
    }
    return ordered;
  }

  /** {@code map.get(key)}, there by construction. */
  private static <V> V got(Map<String, V> map, String key) {
    return java.util.Objects.requireNonNull(map.get(key), key);
  }

  private static void await(Future<?> f) {
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // a started effect's handler finishes and its end is recorded
      } catch (java.util.concurrent.ExecutionException e) {
        break; // publish catches what the handler throws; an Error ends the call
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static final java.util.concurrent.ThreadFactory EFFECT_THREADS =
      r -> {
        Thread t = new Thread(r, "agentmesh-review-effects");
        t.setDaemon(true);
        return t;
      };

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
