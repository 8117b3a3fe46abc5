package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps {@link SessionEvent}s to the store's envelope (type, type version, JSON payload) and back.
 *
 * <p>The mapping is a registry: each stored type name has a current version, the Java record it
 * reads into, and upcasters that turn a payload of version {@code n} into version {@code n + 1}.
 * Changing a record's shape means bumping its version and registering an upcaster; the corpus of
 * stored events in the tests ({@code events/v1/*.json}) fails otherwise. The payload never holds
 * {@code at}: the envelope carries it. Immutable and thread-safe.
 */
final class EventCodec {

  /** One stored type: what it reads into, at which version, and how older versions upcast. */
  record Entry(String type, int version, Class<?> javaType,
      Map<Integer, UnaryOperator<ObjectNode>> upcasters) {
    Entry {
      upcasters = Map.copyOf(upcasters);
    }
  }

  static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .build();

  private static final EventCodec STANDARD = new EventCodec(standardEntries());

  private final Map<String, Entry> entries;

  private EventCodec(Map<String, Entry> entries) {
    this.entries = Map.copyOf(entries);
  }

  static EventCodec standard() {
    return STANDARD;
  }

  /** Every registered type, by stored name. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** This codec with {@code entry} registered (replacing one of the same type). */
  EventCodec with(Entry entry) {
    Map<String, Entry> more = new LinkedHashMap<>(entries);
    more.put(entry.type(), entry);
    return new EventCodec(more);
  }

  NewEvent encode(SessionEvent event) {
    Entry entry = entry(event.type());
    Object body = event instanceof SessionEvent.AgentStep ? ((SessionEvent.AgentStep) event).event() : event;
    ObjectNode payload = MAPPER.valueToTree(body);
    payload.remove("at");
    return new NewEvent(entry.type(), entry.version(), payload, event.at());
  }

  SessionEvent decode(StoredEvent stored) {
    return decode(stored.type(), stored.typeVersion(), stored.payload(), stored.at());
  }

  SessionEvent decode(String type, int typeVersion, JsonNode payload, Instant at) {
    Entry entry = entries.get(type);
    if (entry == null) {
      throw new IllegalStateException("Unknown session event type '" + type + "' (version "
          + typeVersion + "); known types: " + new java.util.TreeSet<>(entries.keySet())
          + ". The log was written by a newer or different release; upgrade agentmesh-sessions");
    }
    if (typeVersion > entry.version()) {
      throw new IllegalStateException("Session event type '" + type + "' has version " + typeVersion
          + " but this release reads up to version " + entry.version() + "; upgrade agentmesh-sessions");
    }
    if (!payload.isObject()) {
      throw new IllegalStateException("Payload of session event type '" + type
          + "' must be a JSON object but was " + payload.getNodeType());
    }
    ObjectNode body = ((ObjectNode) payload).deepCopy();
    for (int v = typeVersion; v < entry.version(); v++) {
      UnaryOperator<ObjectNode> upcast = entry.upcasters().get(v);
      if (upcast == null) {
        throw new IllegalStateException("No upcaster from version " + v + " of session event type '"
            + type + "'; register one in EventCodec");
      }
      body = upcast.apply(body);
    }
    body.put("at", at.toString());
    try {
      Object value = MAPPER.treeToValue(body, entry.javaType());
      return value instanceof AgentEvent ? new SessionEvent.AgentStep((AgentEvent) value) : (SessionEvent) value;
    } catch (JacksonException e) {
      throw new IllegalStateException("Cannot read session event type '" + type + "' version "
          + typeVersion + ": " + e.getOriginalMessage(), e);
    }
  }

  private Entry entry(String type) {
    return Objects.requireNonNull(entries.get(type), () -> "no codec entry for " + type);
  }

  private static Map<String, Entry> standardEntries() {
    Map<String, Entry> all = new LinkedHashMap<>();
    List<Class<?>> v1 = List.of(
        SessionEvent.Created.class, SessionEvent.ParticipantJoined.class,
        SessionEvent.MessagePosted.class, SessionEvent.WaitingForInput.class,
        SessionEvent.InputReceived.class, SessionEvent.Paused.class, SessionEvent.Resumed.class,
        SessionEvent.Forked.class, SessionEvent.Completed.class, SessionEvent.Failed.class,
        SessionEvent.Cancelled.class, SessionEvent.ToolOutcomeUnknown.class,
        SessionEvent.OutcomeResolved.class);
    Map<Class<?>, String> names = Map.ofEntries(
        Map.entry(SessionEvent.Created.class, "session.created"),
        Map.entry(SessionEvent.ParticipantJoined.class, "participant.joined"),
        Map.entry(SessionEvent.MessagePosted.class, "message.posted"),
        Map.entry(SessionEvent.WaitingForInput.class, "input.waiting"),
        Map.entry(SessionEvent.InputReceived.class, "input.received"),
        Map.entry(SessionEvent.Paused.class, "session.paused"),
        Map.entry(SessionEvent.Resumed.class, "session.resumed"),
        Map.entry(SessionEvent.Forked.class, "session.forked"),
        Map.entry(SessionEvent.Completed.class, "session.completed"),
        Map.entry(SessionEvent.Failed.class, "session.failed"),
        Map.entry(SessionEvent.Cancelled.class, "session.cancelled"),
        Map.entry(SessionEvent.ToolOutcomeUnknown.class, "tool.outcome-unknown"),
        Map.entry(SessionEvent.OutcomeResolved.class, "tool.outcome-resolved"),
        Map.entry(AgentEvent.RunStarted.class, "agent.run.started"),
        Map.entry(AgentEvent.ModelCalled.class, "agent.model.called"),
        Map.entry(AgentEvent.ModelResponded.class, "agent.model.responded"),
        Map.entry(AgentEvent.ToolCalled.class, "agent.tool.called"),
        Map.entry(AgentEvent.ToolReturned.class, "agent.tool.returned"),
        Map.entry(AgentEvent.ToolFailed.class, "agent.tool.failed"),
        Map.entry(AgentEvent.OutputRejected.class, "agent.output.rejected"),
        Map.entry(AgentEvent.GuardrailBlocked.class, "agent.guardrail.blocked"),
        Map.entry(AgentEvent.OutputProduced.class, "agent.output.produced"),
        Map.entry(AgentEvent.RunFailed.class, "agent.run.failed"));
    names.forEach((javaType, type) -> all.put(type, new Entry(type, 1, javaType, Map.of())));
    all.put("session.forked", new Entry("session.forked", 2, SessionEvent.Forked.class,
        Map.of(1, old -> {
          old.putArray("parentCalls"); // v2: the parent's later calls a fork must not repeat
          return old;
        })));
    all.put("tool.outcome-unknown", new Entry("tool.outcome-unknown", 2, SessionEvent.ToolOutcomeUnknown.class,
        Map.of(1, old -> {
          old.putNull("parentCallId"); // v2: a fork's question about its parent's call
          old.putNull("parentResult");
          return old;
        })));
    if (all.size() != v1.size() + AgentEvent.class.getPermittedSubclasses().length) {
      throw new AssertionError("every session and agent event type needs a codec entry");
    }
    return all;
  }
}
