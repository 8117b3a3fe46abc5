package dev.agentmesh.review;

import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.sessions.RecordOutcome;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every part of the review runtime shares once {@link Reviews} is bound to its sessions: the
 * artifact types, the policy, the clock, the node, the store, the outbox, and the fold of a
 * session's reviews. Thread-safe (immutable after {@link #bind}).
 */
final class Engine {

  /** Rows due at a review's expiry: key {@code <session>/<local>}. */
  static final String EXPIRY = "review.expiry";

  /** Rows of approvals whose effect is owed: key {@code <session>/<local>}. */
  static final String EFFECT = "review.effect";

  final ArtifactTypes types;
  final EnginePolicy policy;
  final Clock clock;
  final Authenticator authenticator;
  final Map<String, PublishHandler> publishers;
  final Supplier<String> ids;
  final Duration effectTimeout;
  private volatile @Nullable Bound bound;

  /**
   * Review events of recently decided sessions; small, since a decision needs them only until its
   * effect has ended (they hold the artifacts, which can be large).
   */
  private final ReviewLogs logs = new ReviewLogs(1_000);

  /** What binding adds. */
  record Bound(
      Sessions sessions, SessionStore store, String nodeId, @Nullable ReviewOutbox outbox) {}

  Engine(
      ArtifactTypes types,
      EnginePolicy policy,
      Clock clock,
      Authenticator authenticator,
      Map<String, PublishHandler> publishers,
      Supplier<String> ids,
      Duration effectTimeout) {
    this.types = types;
    this.policy = policy;
    this.clock = clock;
    this.authenticator = Authenticator.guarded(authenticator);
    this.publishers = Map.copyOf(publishers);
    this.ids = ids;
    this.effectTimeout = effectTimeout;
  }

  void bind(Bound b) {
    if (bound != null) {
      throw new IllegalStateException(
          "These Reviews are already bound to a Sessions; build one Reviews per Sessions");
    }
    bound = b;
  }

  Bound bound() {
    Bound b = bound;
    if (b == null) {
      throw new IllegalStateException(
          "Reviews is not installed yet: build your sessions with "
              + "Sessions.builder(mesh).store(store).extension(reviews).build() first");
    }
    return b;
  }

  Instant now() {
    return clock.instant();
  }

  Session session(String sessionId) {
    return bound().sessions().session(sessionId);
  }

  /** The session's reviews, by local id, as of {@code state}'s version (unmodifiable). */
  Map<String, ReviewState> reviews(SessionState state) {
    return logs.folded(
        state, id -> session(id).history(), entries -> ReviewFold.of(state.id(), entries, types));
  }

  /**
   * Records what {@code decide} chooses in {@code session} ({@link Session#record}), and tells the
   * cache of review events about the append, so the next fold of this session reads nothing.
   *
   * @return the state after the append (the current state when nothing was recorded)
   */
  SessionState record(Session session, Function<SessionState, Recording> decide) {
    AtomicReference<@Nullable SessionState> base = new AtomicReference<>();
    AtomicReference<@Nullable Recording> chosen = new AtomicReference<>();
    SessionState after =
        session.record(
            state -> {
              Recording r = decide.apply(state);
              base.set(state);
              chosen.set(r);
              return r;
            });
    SessionState from = base.get();
    Recording r = chosen.get();
    if (from != null
        && r != null
        && !r.events().isEmpty()
        && after.version() == from.version() + r.events().size()) {
      logs.appended(session.id(), from.version(), r.events());
    }
    return after;
  }

  /**
   * {@link #record} in many sessions at once ({@link Sessions#recordAll}): one store call for their
   * appends, and the cache of review events told of each append, as {@link #record} does.
   */
  List<RecordOutcome> recordAll(List<String> sessionIds, Function<SessionState, Recording> decide) {
    Map<String, SessionState> bases = new ConcurrentHashMap<>();
    Map<String, Recording> chosen = new ConcurrentHashMap<>();
    List<RecordOutcome> out =
        bound()
            .sessions()
            .recordAll(
                sessionIds,
                state -> {
                  Recording r = decide.apply(state);
                  bases.put(state.id(), state);
                  chosen.put(state.id(), r);
                  return r;
                });
    for (RecordOutcome o : out) {
      SessionState from = bases.get(o.sessionId());
      Recording r = chosen.get(o.sessionId());
      SessionState after = o.state();
      if (after != null
          && from != null
          && r != null
          && !r.events().isEmpty()
          && after.version() == from.version() + r.events().size()) {
        logs.appended(o.sessionId(), from.version(), r.events());
      }
    }
    return out;
  }

  /**
   * Reads the logs of {@code sessionIds} in one store call ({@link Sessions#histories}), caching
   * their states and their review events, so deciding in them reads nothing more.
   */
  void preload(java.util.Collection<String> sessionIds) {
    bound().sessions().histories(sessionIds).forEach(logs::seed);
  }

  /** The review a proposal alone makes (what notifications and rows of its append need). */
  ReviewState single(String sessionId, ReviewEvents.Proposed proposed, Instant at) {
    ReviewFold.Entry entry =
        new ReviewFold.Entry(at, ReviewEvents.PROPOSED, ReviewEvents.toJson(proposed));
    return Objects.requireNonNull(
        ReviewFold.of(sessionId, List.of(entry), types).get(proposed.review()));
  }

  static SessionEvent event(Instant at, String type, Object payload) {
    return new SessionEvent.Custom(at, type, ReviewEvents.toJson(payload));
  }

  /**
   * The outbox rows that tell of {@code kind} for {@code review}; none without notifiers. The
   * notification's id is {@code <review id>:<kind>[:<suffix>]}, the same on every attempt.
   */
  List<RowWrite> notify(
      Notification.Kind kind,
      ReviewState review,
      @Nullable String suffix,
      @Nullable String detail) {
    ReviewOutbox outbox = bound().outbox();
    if (outbox == null) {
      return List.of();
    }
    String id =
        review.id()
            + ":"
            + kind.name().toLowerCase(java.util.Locale.ROOT)
            + (suffix == null ? "" : ":" + suffix);
    return outbox.enqueue(
        new ReviewOutbox.Item(id, kind, review.sessionId(), review.id(), detail), now());
  }

  /** A row of {@code namespace} for {@code review}, due at {@code due}. */
  static RowWrite dueRow(String namespace, ReviewState review, Instant due) {
    ObjectNode value = ReviewEvents.MAPPER.createObjectNode();
    value.put("review", review.id());
    return RowWrite.upsert(Row.of(namespace, review.id(), review.sessionId(), value).withDue(due));
  }

  /** Deletes this node's claimed row of {@code namespace} for {@code review} (it must exist). */
  RowWrite doneRow(String namespace, String reviewId, boolean claimed) {
    RowWrite delete = RowWrite.delete(namespace, reviewId);
    return claimed
        ? RowWrite.deleteExisting(namespace, reviewId).claimedBy(bound().nodeId())
        : delete;
  }

  /** The local id of a review named in a row. */
  static String reviewIdOf(Row row) {
    JsonNode review = Objects.requireNonNull(row.value().get("review"), "review");
    return review.asString();
  }
}
