package dev.agentmesh.review;

import dev.agentmesh.review.ReviewRefusedException.Reason;
import dev.agentmesh.review.ReviewState.Kind;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.spi.RowWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Deciding: a decision is judged against the review as the session's log has it at the moment of
 * the append (and judged again if another writer appended first), and either recorded with what it
 * does to the session, or refused, and the refusal recorded.
 */
final class Decisions {

  private final Engine engine;
  private final Effects effects;

  Decisions(Engine engine, Effects effects) {
    this.engine = engine;
    this.effects = effects;
  }

  /** What judging a decision came to. */
  record Judged(
      Recording recording,
      Verdict.@Nullable Refused refusal,
      String decisionId,
      Kind kind,
      ReviewStatus status,
      ContentHash hash,
      int approvals,
      int needed) {}

  ReviewOutcome decide(String reviewId, ContentHash seen, Object credential, Decision decision) {
    String local = ReviewFold.localOf(reviewId);
    Optional<Session> session =
        local == null
            ? Optional.empty()
            : engine.bound().sessions().find(ReviewFold.sessionOf(reviewId));
    if (local == null || session.isEmpty()) {
      throw unknown(reviewId);
    }
    Reviewer reviewer;
    try {
      reviewer = engine.authenticator.authenticate(credential);
    } catch (ReviewRefusedException refused) {
      recordRefusal(session.get(), local, null, refused, seen, decision);
      throw refused;
    }
    AtomicReference<@Nullable Judged> judged = new AtomicReference<>();
    SessionState after =
        engine.record(
            session.get(),
            state -> {
              Judged j = judge(state, local, reviewer, seen, decision);
              judged.set(j);
              return j.recording();
            });
    Judged j = java.util.Objects.requireNonNull(judged.get());
    Verdict.Refused refusal = j.refusal();
    if (refusal != null) {
      throw refusal.exception();
    }
    EffectStatus effect =
        j.status() == ReviewStatus.APPROVED
            ? effects.run(session.get(), after, reviewId)
            : EffectStatus.NONE;
    return new ReviewOutcome(
        reviewId,
        j.decisionId(),
        j.kind(),
        j.status(),
        j.hash(),
        j.approvals(),
        j.needed(),
        effect);
  }

  /** A reviewing agent's findings: recorded as its comments, never as a decision. */
  ReviewState comment(String reviewId, String agent, List<Comment> comments) {
    String local = ReviewFold.localOf(reviewId);
    if (local == null || engine.bound().sessions().find(ReviewFold.sessionOf(reviewId)).isEmpty()) {
      throw unknown(reviewId);
    }
    if (engine.policy.spec(agent).isEmpty()) {
      throw new IllegalArgumentException(
          "'" + agent + "' is not an agent of the mesh; findings are recorded for agents only");
    }
    if (comments.isEmpty()) {
      throw new IllegalArgumentException("Give at least one finding to record");
    }
    Session session = engine.session(ReviewFold.sessionOf(reviewId));
    session.record(
        state -> {
          ReviewState review = engine.reviews(state).get(local);
          if (review == null) {
            throw unknown(reviewId);
          }
          comments.forEach(c -> c.anchor().validate(review.artifact()));
          return Recording.of(
              Engine.event(
                  engine.now(),
                  ReviewEvents.COMMENTED,
                  new ReviewEvents.Commented(local, agent, commentData(comments))));
        });
    return java.util.Objects.requireNonNull(engine.reviews(session.state()).get(local));
  }

  Judged judge(
      SessionState state, String local, Reviewer reviewer, ContentHash seen, Decision decision) {
    Map<String, ReviewState> reviews = engine.reviews(state);
    ReviewState review = reviews.get(local);
    if (review == null) {
      throw unknown(ReviewFold.publicId(state.id(), local));
    }
    Kind kind = kindOf(decision);
    Verdict verdict = verdict(state, review, reviewer, seen, decision);
    if (verdict instanceof Verdict.Refused r) {
      Recording refused =
          Recording.of(
              Engine.event(
                  engine.now(),
                  ReviewEvents.REFUSED,
                  new ReviewEvents.Refused(
                      local,
                      reviewer.id(),
                      r.reason().code(),
                      r.message(),
                      seen.toString(),
                      kind.wire())));
      return new Judged(
          refused, r, "", kind, review.status(), review.hash(), review.approvers().size(), 0);
    }
    return record(state, review, reviewer, seen, decision, kind, verdict);
  }

  private Judged record(
      SessionState state,
      ReviewState review,
      Reviewer reviewer,
      ContentHash seen,
      Decision decision,
      Kind kind,
      Verdict verdict) {
    Instant now = engine.now();
    String decisionId = "d-" + engine.ids.get();
    String local = ReviewFold.local(review.id());
    int needed =
        verdict instanceof Verdict.Approves a
            ? a.needed()
            : engine.policy.effective(review).approvals();
    List<SessionEvent> events = new ArrayList<>();
    List<RowWrite> rows = new ArrayList<>();
    ContentHash hash = review.hash();
    ReviewArtifact artifact = review.artifact();
    List<String> approvers = new ArrayList<>();
    JsonNode edited = null;
    String diff = null;
    String reason = null;
    List<Comment> comments = List.of();
    if (verdict instanceof Verdict.Approves approves) {
      Verdict.EditCheck editCheck = approves.edit();
      if (editCheck != null) {
        artifact = editCheck.edited();
        hash = editCheck.hash();
        edited = ReviewEvents.MAPPER.readTree(engine.types.canonicalJson(artifact));
        diff = editCheck.diff();
      }
      approvers.addAll(approves.approvers());
    } else if (decision instanceof Decision.Reject reject) {
      reason = reject.reason();
    } else if (decision instanceof Decision.RequestChanges changes) {
      reason = changes.reason();
      comments = changes.comments();
    }
    events.add(
        Engine.event(
            now,
            ReviewEvents.DECIDED,
            new ReviewEvents.Decided(
                local,
                decisionId,
                reviewer.id(),
                reviewer.groups(),
                kind.wire(),
                seen.toString(),
                edited == null ? null : hash.toString(),
                edited,
                diff,
                reason,
                commentData(comments),
                false)));
    if (kind == Kind.REJECT || kind == Kind.REQUEST_CHANGES) {
      Correction.fromDecision(
              new Correction.Source(
                  state.id(),
                  review.id(),
                  decisionId,
                  review.provenance().agent(),
                  review.provenance().specFingerprint(),
                  engine.types.typeOf(review.artifact()).name(),
                  review.artifact()),
              reviewer.id(),
              decision,
              now)
          .forEach(c -> rows.add(CorrectionRows.insert(c)));
    }
    ReviewStatus status = ReviewStatus.PENDING;
    String by = reviewer.id();
    if (decision.approves() && approvers.size() >= needed) {
      approved(review, artifact, hash, approvers, false, now, events, rows);
      status = ReviewStatus.APPROVED;
    } else if (kind == Kind.REJECT) {
      ended(review, "review.rejected", "Rejected by " + by + ": " + reason, by, now, events);
      status = ReviewStatus.REJECTED;
    } else if (kind == Kind.REQUEST_CHANGES) {
      changesRequested(review, by, reason, comments, now, events);
      status = ReviewStatus.CHANGES_REQUESTED;
    }
    if (status != ReviewStatus.PENDING) {
      rows.add(RowWrite.delete(Engine.EXPIRY, review.id()));
      rows.addAll(ReviewIndex.closed(engine.policy.pending(review)));
      rows.addAll(engine.notify(Notification.Kind.DECIDED, review, decisionId, status.name()));
    }
    if (status == ReviewStatus.PENDING && !hash.equals(review.hash())) {
      rows.addAll(
          ReviewIndex.reassigned(
              engine.policy.pending(review),
              engine.policy.pending(review, hash, review.escalatedTo())));
    }
    return new Judged(
        Recording.of(events).withRows(rows),
        null,
        decisionId,
        kind,
        status,
        hash,
        approvers.size(),
        needed);
  }

  /** The refusal of a decision in the review's state, else the rules' verdict. */
  private Verdict verdict(
      SessionState state, ReviewState review, Reviewer reviewer, ContentHash seen, Decision d) {
    String id = review.id();
    switch (review.status()) {
      case SUPERSEDED:
        return refuse(
            Reason.SUPERSEDED,
            "Review "
                + id
                + " was superseded by "
                + review.supersededBy()
                + "; decide the newer proposal");
      case EXPIRED:
        return refuse(Reason.EXPIRED, "Review " + id + " expired at " + review.expiresAt());
      case PENDING:
        break;
      default:
        return refuse(
            Reason.ALREADY_DECIDED,
            "Review "
                + id
                + " is already decided ("
                + review.status().name().toLowerCase(java.util.Locale.ROOT)
                + "); no further decision is taken");
    }
    if (d instanceof Decision.Edit && review.isCall()) {
      return refuse(
          Reason.INVALID_EDIT,
          "Review "
              + id
              + " is a gated tool call, which runs as the agent asked it: approve, reject, or"
              + " request changes (the agent then asks again)");
    }
    Verdict verdict =
        engine.policy.evaluate(review, reviewer, state.origin(), seen, d, engine.now());
    return verdict;
  }

  /** The events and rows of an approval (by the quorum or by policy). */
  void approved(
      ReviewState review,
      ReviewArtifact artifact,
      ContentHash hash,
      List<String> approvers,
      boolean byPolicy,
      Instant now,
      List<SessionEvent> events,
      List<RowWrite> rows) {
    approved(review, artifact, hash, approvers, byPolicy, true, now, events, rows);
  }

  /**
   * The events and rows of an approval; {@code completes} false for the policy-approved fields of a
   * split record change, whose session waits on for the rest.
   */
  void approved(
      ReviewState review,
      ReviewArtifact artifact,
      ContentHash hash,
      List<String> approvers,
      boolean byPolicy,
      boolean completes,
      Instant now,
      List<SessionEvent> events,
      List<RowWrite> rows) {
    String local = ReviewFold.local(review.id());
    String key = Publication.keyOf(review.key(), hash);
    events.add(
        Engine.event(
            now,
            ReviewEvents.APPROVED,
            new ReviewEvents.Approved(local, hash.toString(), key, approvers, byPolicy)));
    if (!review.isCall() && completes) {
      if (!byPolicy) {
        events.add(
            new SessionEvent.InputReceived(
                now,
                ReviewEvents.waitName(local),
                ReviewEvents.MAPPER.createObjectNode().put("approved", hash.toString()),
                String.join(",", approvers)));
      }
      JsonNode value = ReviewEvents.MAPPER.readTree(engine.types.canonicalJson(artifact));
      events.add(new SessionEvent.Completed(now, value.get("artifact")));
    }
    if (review.isCall() || engine.publishers.containsKey(engine.types.typeOf(artifact).name())) {
      rows.add(
          Engine.dueRow(Engine.EFFECT, review, byPolicy ? now : now.plus(engine.effectTimeout)));
    }
  }

  /** A rejection (or expiry): the session's wait or held call ends with the reason. */
  static void ended(
      ReviewState review,
      String error,
      String why,
      String by,
      Instant now,
      List<SessionEvent> events) {
    String local = ReviewFold.local(review.id());
    if (review.isCall()) {
      events.add(
          new SessionEvent.OutcomeResolved(
              now,
              java.util.Objects.requireNonNull(review.callId()),
              ((Action) review.proposed()).tool(),
              null,
              why,
              by));
    } else {
      events.add(
          new SessionEvent.InputReceived(
              now,
              ReviewEvents.waitName(local),
              ReviewEvents.MAPPER.createObjectNode().put("rejected", why),
              by));
      events.add(new SessionEvent.Failed(now, error, why));
    }
  }

  /** Request changes: the producing agent gets the reason and comments and runs again. */
  private static void changesRequested(
      ReviewState review,
      String by,
      @Nullable String reason,
      List<Comment> comments,
      Instant now,
      List<SessionEvent> events) {
    StringBuilder text = new StringBuilder("Changes requested by " + by + ": " + reason);
    for (Comment c : comments) {
      text.append("\n- ").append(c.anchor().describe()).append(": ").append(c.text());
    }
    String local = ReviewFold.local(review.id());
    if (review.isCall()) {
      events.add(
          new SessionEvent.OutcomeResolved(
              now,
              java.util.Objects.requireNonNull(review.callId()),
              ((Action) review.proposed()).tool(),
              null,
              text.toString(),
              by));
    } else {
      events.add(
          new SessionEvent.InputReceived(
              now,
              ReviewEvents.waitName(local),
              ReviewEvents.MAPPER.stringNode(text.toString()),
              by));
    }
  }

  /** Records the refusal of a decision whose reviewer could not be authenticated. */
  void recordRefusal(
      Session session,
      String local,
      @Nullable String reviewer,
      ReviewRefusedException refused,
      ContentHash seen,
      Decision decision) {
    session.record(
        state ->
            engine.reviews(state).containsKey(local)
                ? Recording.of(
                    Engine.event(
                        engine.now(),
                        ReviewEvents.REFUSED,
                        new ReviewEvents.Refused(
                            local,
                            reviewer,
                            refused.reason().code(),
                            String.valueOf(refused.getMessage()),
                            seen.toString(),
                            kindOf(decision).wire())))
                : Recording.none());
  }

  /**
   * Approval by policy, recorded as such, in the proposal's append; {@code completes} false when it
   * approves the fields of a split record change and the session waits on for the rest.
   */
  static void byPolicy(
      Engine engine,
      Decisions decisions,
      ReviewState review,
      boolean completes,
      Instant now,
      List<SessionEvent> events,
      List<RowWrite> rows) {
    events.add(Engine.event(now, ReviewEvents.DECIDED, policyDecision(engine, review)));
    decisions.approved(
        review,
        review.artifact(),
        review.hash(),
        List.of("policy"),
        true,
        completes,
        now,
        events,
        rows);
    rows.addAll(engine.notify(Notification.Kind.DECIDED, review, "policy", "APPROVED"));
  }

  private static ReviewEvents.Decided policyDecision(Engine engine, ReviewState review) {
    return new ReviewEvents.Decided(
        ReviewFold.local(review.id()),
        "d-" + engine.ids.get(),
        "policy",
        Set.of(),
        Kind.APPROVE.wire(),
        review.hash().toString(),
        null,
        null,
        null,
        "below the risk tier " + review.risk(),
        List.of(),
        true);
  }

  private static Kind kindOf(Decision d) {
    return Kind.fromWire(d.kind());
  }

  static List<ReviewEvents.CommentData> commentData(List<Comment> comments) {
    return comments.stream()
        .map(
            c ->
                new ReviewEvents.CommentData(
                    c.anchor().describe(), ReviewEvents.toJson(c.anchor()), c.text()))
        .toList();
  }

  private static Verdict.Refused refuse(Reason reason, String message) {
    return new Verdict.Refused(reason, message);
  }

  static ReviewRefusedException unknown(String reviewId) {
    return new ReviewRefusedException(
        Reason.UNKNOWN_REVIEW,
        "No review '"
            + Texts.truncate(reviewId, 120)
            + "': review ids are '<session id>/r<n>', as reviews.review(...), the queue and"
            + " notifications give them");
  }
}
