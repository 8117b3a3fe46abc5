package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.ReviewPolicy.Risk;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.sessions.CallGate;
import dev.agentmesh.sessions.OutputGate;
import dev.agentmesh.sessions.Recording;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.spi.RowWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Proposing: an agent whose output is an artifact ({@link OutputGate}), and a tool call that needs
 * approval ({@link CallGate}), become a {@code review.proposed} event in the same append that makes
 * the session wait, with the rows that make it expire, show up and get notified. Pure apart from
 * reading the session's log: asked again, it proposes the same.
 */
final class Proposals implements OutputGate, CallGate {

  static final String REASON = "review";

  private final Engine engine;
  private final Decisions decisions;

  Proposals(Engine engine, Decisions decisions) {
    this.engine = engine;
    this.decisions = decisions;
  }

  @Override
  public Optional<Recording> hold(SessionState state, String agent, JsonNode output) {
    Optional<String> type = engine.policy.outputType(agent);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    ReviewArtifact artifact = decode(type.get(), output, agent);
    return Optional.of(propose(state, agent, artifact, null));
  }

  @Override
  public Optional<String> suspend(String sessionId, String agent, ToolCall call) {
    return engine.policy.gatedTools(agent).contains(call.name())
        ? Optional.of(REASON)
        : Optional.empty();
  }

  @Override
  public Optional<Recording> record(
      SessionState state, String agent, ToolCall call, String reason) {
    if (!REASON.equals(reason)) {
      return Optional.empty();
    }
    ReviewArtifact action =
        new Action(call.name(), call.arguments(), engine.policy.toolIsIdempotent(call.name()));
    return Optional.of(propose(state, agent, action, call.id()));
  }

  /**
   * The proposal's events and rows: pending, approved by policy below the risk tier, or, for a
   * record change split by field, two reviews: the fields approved by policy (applied at once) and
   * the rest, which waits for people (applied after the first, see {@link Effects}).
   */
  private Recording propose(
      SessionState state, String agent, ReviewArtifact artifact, @Nullable String callId) {
    Instant now = engine.now();
    Map<String, ReviewState> reviews = engine.reviews(state);
    List<SessionEvent> events = new ArrayList<>();
    List<RowWrite> rows = new ArrayList<>();
    ProposalPlan plan = engine.policy.propose(agent, artifact, now);
    int next = reviews.size() + 1;
    AutoApproval.Fields split =
        callId == null && plan.autoApproval() instanceof AutoApproval.Fields f ? f : null;
    String local = "r" + (split == null ? next : next + 1);
    String supersedes = callId == null ? supersede(reviews, agent, local, now, events, rows) : null;
    if (split != null) {
      String first = "r" + next;
      ReviewEvents.Proposed approved =
          proposal(
                  state, agent, first, split.approved(), split.approvedHash(), split.approvedRisk())
              .build(null, null, null, null);
      Decisions.byPolicy(
          engine, decisions, add(state, approved, now, events), false, now, events, rows);
      ReviewEvents.Proposed rest =
          proposal(state, agent, local, split.waiting(), split.waitingHash(), split.waitingRisk())
              .build(plan.expiresAt(), null, supersedes, first);
      return waiting(add(state, rest, now, events), null, now, events, rows);
    }
    boolean whole = plan.autoApproval() instanceof AutoApproval.Whole;
    ReviewEvents.Proposed proposed =
        proposal(state, agent, local, artifact, plan.hash(), plan.risk())
            .build(whole ? null : plan.expiresAt(), callId, supersedes, null);
    ReviewState review = add(state, proposed, now, events);
    if (whole) {
      Decisions.byPolicy(engine, decisions, review, true, now, events, rows);
      return Recording.of(events).withRows(rows);
    }
    return waiting(review, callId, now, events, rows);
  }

  /** A pending review's wait, expiry row, notification and queue rows. */
  private Recording waiting(
      ReviewState review,
      @Nullable String callId,
      Instant now,
      List<SessionEvent> events,
      List<RowWrite> rows) {
    if (callId == null) {
      events.add(
          new SessionEvent.WaitingForInput(
              now, ReviewEvents.waitName(ReviewFold.local(review.id())), review.title()));
    }
    Instant expiresAt = review.expiresAt();
    if (expiresAt != null) {
      rows.add(Engine.dueRow(Engine.EXPIRY, review, expiresAt));
    }
    rows.addAll(engine.notify(Notification.Kind.REVIEW_REQUESTED, review, null, null));
    rows.addAll(ReviewIndex.opened(engine.policy.pending(review)));
    return Recording.of(events).withRows(rows);
  }

  private ReviewState add(
      SessionState state, ReviewEvents.Proposed proposed, Instant now, List<SessionEvent> events) {
    events.add(Engine.event(now, ReviewEvents.PROPOSED, proposed));
    return engine.single(state.id(), proposed, now);
  }

  private Draft proposal(
      SessionState state,
      String agent,
      String local,
      ReviewArtifact artifact,
      ContentHash hash,
      Risk risk) {
    AgentSpec spec = engine.policy.spec(agent).orElseThrow();
    return new Draft(
        local,
        ReviewFold.publicId(state.id(), local),
        ReviewEvents.MAPPER.readTree(engine.types.canonicalJson(artifact)),
        hash.toString(),
        title(agent, engine.types.typeOf(artifact).name(), artifact),
        new ArtifactProvenance(
            state.id(),
            agent,
            spec.fingerprint(),
            spec.function() == null ? spec.model() : null, // a deterministic agent has no model
            state.origin()),
        risk.name());
  }

  /** A proposal's event before its expiry, call and links are known. */
  private record Draft(
      String local,
      String key,
      JsonNode artifact,
      String hash,
      String title,
      ArtifactProvenance provenance,
      String risk) {

    ReviewEvents.Proposed build(
        @Nullable Instant expiresAt,
        @Nullable String callId,
        @Nullable String supersedes,
        @Nullable String follows) {
      return new ReviewEvents.Proposed(
          local,
          key,
          artifact,
          hash,
          title,
          provenance,
          callId,
          supersedes,
          risk,
          expiresAt,
          follows);
    }
  }

  /** Supersedes the agent's open output reviews; returns the last one's local id, or null. */
  private @Nullable String supersede(
      Map<String, ReviewState> reviews,
      String agent,
      String local,
      Instant now,
      List<SessionEvent> events,
      List<RowWrite> rows) {
    String last = null;
    for (Map.Entry<String, ReviewState> e : reviews.entrySet()) {
      ReviewState old = e.getValue();
      boolean open =
          old.status() == ReviewStatus.PENDING || old.status() == ReviewStatus.CHANGES_REQUESTED;
      if (old.isCall() || !open || !old.provenance().agent().equals(agent)) {
        continue;
      }
      events.add(
          Engine.event(
              now, ReviewEvents.SUPERSEDED, new ReviewEvents.Superseded(e.getKey(), local)));
      if (old.status() == ReviewStatus.PENDING) {
        ObjectNode value = ReviewEvents.MAPPER.createObjectNode().put("supersededBy", local);
        events.add(
            new SessionEvent.InputReceived(
                now, ReviewEvents.waitName(e.getKey()), value, "review"));
      }
      rows.add(RowWrite.delete(Engine.EXPIRY, old.id()));
      if (old.status() == ReviewStatus.PENDING) {
        rows.addAll(ReviewIndex.closed(engine.policy.pending(old)));
      }
      last = e.getKey();
    }
    return last;
  }

  private ReviewArtifact decode(String type, JsonNode output, String agent) {
    ObjectNode envelope = ReviewEvents.MAPPER.createObjectNode();
    envelope.put("type", type);
    envelope.set("artifact", output);
    try {
      return engine.types.fromJson(envelope.toString());
    } catch (ReviewException e) {
      throw new ReviewException(
          "Agent '"
              + agent
              + "' must output a '"
              + type
              + "' artifact (its review policy says so), but its output is not one: "
              + e.getMessage(),
          e);
    }
  }

  private static String title(String agent, String type, ReviewArtifact artifact) {
    String what = type;
    if (artifact instanceof OutboundMessage m) {
      what = "message '" + m.subject() + "'";
    } else if (artifact instanceof RecordChange r) {
      what = r.system() + " " + r.recordType() + " " + r.recordId();
    } else if (artifact instanceof Action a) {
      what = "call of " + a.tool();
    } else if (artifact instanceof Document d) {
      what = "document '" + d.title() + "'";
    }
    return Texts.truncate(agent + " proposes " + what, 200);
  }
}
