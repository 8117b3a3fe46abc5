package dev.agentmesh.review;

import dev.agentmesh.core.AgentSpec;
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

  /** The proposal's events and rows; pending, or approved by policy below the risk tier. */
  private Recording propose(
      SessionState state, String agent, ReviewArtifact artifact, @Nullable String callId) {
    Instant now = engine.now();
    Map<String, ReviewState> reviews = engine.reviews(state);
    String local = "r" + (reviews.size() + 1);
    String id = ReviewFold.publicId(state.id(), local);
    List<SessionEvent> events = new ArrayList<>();
    List<RowWrite> rows = new ArrayList<>();
    String supersedes = callId == null ? supersede(reviews, agent, local, now, events, rows) : null;
    ProposalPlan plan = engine.policy.propose(agent, artifact, now);
    String typeName = plan.type();
    ContentHash hash = plan.hash();
    AgentSpec spec = engine.policy.spec(agent).orElseThrow();
    boolean whole = plan.autoApproval() instanceof AutoApproval.Whole;
    List<String> fields =
        plan.autoApproval() instanceof AutoApproval.Fields f
            ? f.approved().changes().stream().map(RecordChange.FieldChange::field).toList()
            : List.of();
    ReviewEvents.Proposed proposed =
        new ReviewEvents.Proposed(
            local,
            id,
            ReviewEvents.MAPPER.readTree(engine.types.canonicalJson(artifact)),
            hash.toString(),
            title(agent, typeName, artifact),
            new ArtifactProvenance(
                state.id(), agent, spec.fingerprint(), spec.model(), state.origin()),
            callId,
            supersedes,
            plan.risk().name(),
            whole ? null : plan.expiresAt(),
            List.of());
    events.add(Engine.event(now, ReviewEvents.PROPOSED, proposed));
    ReviewState review = engine.single(state.id(), proposed, now);
    if (whole || (!fields.isEmpty() && fields.size() == changedFields(artifact))) {
      Decisions.byPolicy(engine, decisions, review, now, events, rows);
      return Recording.of(events).withRows(rows);
    }
    if (!fields.isEmpty()) {
      events.add(
          Engine.event(
              now, ReviewEvents.DECIDED, Decisions.policyDecision(engine, review, fields)));
    }
    if (callId == null) {
      events.add(
          new SessionEvent.WaitingForInput(now, ReviewEvents.waitName(local), review.title()));
    }
    Instant expiresAt = review.expiresAt();
    if (expiresAt != null) {
      rows.add(Engine.dueRow(Engine.EXPIRY, review, expiresAt));
    }
    rows.addAll(engine.notify(Notification.Kind.REVIEW_REQUESTED, review, null, null));
    rows.addAll(ReviewIndex.opened(engine.policy.pending(review)));
    return Recording.of(events).withRows(rows);
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

  private static int changedFields(ReviewArtifact artifact) {
    return artifact instanceof RecordChange change ? change.changes().size() : -1;
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
