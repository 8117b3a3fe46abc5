package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.sessions.internal.CheckedPayloads;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionDecodeException;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.ValueSerializerModifier;

/**
 * Maps {@link SessionEvent}s to the store's envelope (type, type version, JSON payload) and back.
 *
 * <p>The mapping is a registry: each stored type name has a current version, the Java record it
 * reads into, and upcasters that turn a payload of version {@code n} into version {@code n + 1}.
 * Changing a record's shape means bumping its version and registering an upcaster; the corpus of
 * stored events in the tests ({@code events/v1/*.json}) fails otherwise. The payload never holds
 * {@code at}: the envelope carries it. Every field is written, null ones too, so a payload that
 * lacks a field is refused when read. Every failure to read is a {@link SessionDecodeException}
 * naming the session, the log version, the type and what is wrong. Immutable and thread-safe.
 */
final class EventCodec {

  /** One stored type: what it reads into, at which version, and how older versions upcast. */
  record Entry(
      String type,
      int version,
      Class<?> javaType,
      Map<Integer, UnaryOperator<ObjectNode>> upcasters) {
    Entry {
      upcasters = Map.copyOf(upcasters);
    }
  }

  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();

  /**
   * {@link #MAPPER} for encoding, leaving out an event's {@code at} (the envelope carries it)
   * rather than formatting it and removing it from the tree again.
   */
  private static final JsonMapper ENCODER =
      MAPPER
          .rebuild()
          .addModule(
              new SimpleModule("agentmesh-events-without-at")
                  .setSerializerModifier(
                      new ValueSerializerModifier() {
                        @Override
                        public List<BeanPropertyWriter> changeProperties(
                            SerializationConfig config,
                            BeanDescription.Supplier description,
                            List<BeanPropertyWriter> properties) {
                          Class<?> type = description.getBeanClass();
                          if (SessionEvent.class.isAssignableFrom(type)
                              || AgentEvent.class.isAssignableFrom(type)) {
                            List<BeanPropertyWriter> kept = new ArrayList<>(properties);
                            kept.removeIf(p -> p.getName().equals("at"));
                            return kept;
                          }
                          return properties;
                        }
                      }))
          .build();

  private static final EventCodec STANDARD = new EventCodec(standardEntries());

  private final Map<String, Entry> entries;

  /**
   * The entry of each encoded body's class (a session event's, or an agent step's core event's),
   * filled as {@link #encode} meets them: an event's type name is a function of its class, so the
   * name (for an agent step, a concatenation) need not be made and hashed for every event.
   */
  private final Map<Class<?>, Entry> byBodyClass = new ConcurrentHashMap<>();

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
    if (event instanceof SessionEvent.Custom custom) {
      ObjectNode payload = MAPPER.createObjectNode();
      payload.set("data", custom.data());
      return new NewEvent(custom.type(), CUSTOM_VERSION, payload, custom.at());
    }
    Object body =
        event instanceof SessionEvent.AgentStep ? ((SessionEvent.AgentStep) event).event() : event;
    Entry entry = byBodyClass.get(body.getClass());
    if (entry == null) {
      entry = entry(event.type());
      byBodyClass.putIfAbsent(body.getClass(), entry);
    }
    ObjectNode payload = PayloadTrees.write(body);
    if (payload == null) {
      return new NewEvent(entry.type(), entry.version(), encoded(body), event.at());
    }
    CheckedPayloads.vouch(payload); // written without a U+0000: the event need not walk it again
    return new NewEvent(entry.type(), entry.version(), payload, event.at());
  }

  /**
   * The payload Jackson writes for {@code body}: every type's but those {@link PayloadTrees} writes
   * (the same tree), and theirs when they hold what only Jackson writes so.
   */
  static ObjectNode encoded(Object body) {
    ObjectNode payload = ENCODER.valueToTree(body);
    payload.remove("at"); // a safety net: the encoder leaves it out
    return payload;
  }

  /**
   * The event {@code stored} holds, upcast to its type's current version.
   *
   * @throws SessionDecodeException naming the session, the log version, the type and what is wrong:
   *     an unknown type, a newer type version, or a payload of the wrong shape
   */
  SessionEvent decode(StoredEvent stored) {
    String type = stored.type();
    int typeVersion = stored.typeVersion();
    Entry entry = entries.get(type);
    if (entry == null && SessionEvent.Custom.isCustomType(type)) {
      return decodeCustom(stored);
    }
    if (entry == null) {
      throw broken(
          stored,
          "this release knows no such event type (known types: "
              + new TreeSet<>(entries.keySet())
              + ")",
          UPGRADE,
          null);
    }
    if (typeVersion > entry.version()) {
      throw broken(
          stored, "this release reads type versions up to " + entry.version(), UPGRADE, null);
    }
    JsonNode payload = stored.payload();
    if (!payload.isObject()) {
      throw broken(
          stored,
          "its payload must be a JSON object but is " + payload.getNodeType(),
          REPAIR,
          null);
    }
    // the stored payload is never changed: an upcast works on a deep copy, else only the copy's
    // top level gains "at"
    ObjectNode body =
        typeVersion < entry.version()
            ? ((ObjectNode) payload).deepCopy()
            : MAPPER.createObjectNode().setAll((ObjectNode) payload);
    for (int v = typeVersion; v < entry.version(); v++) {
      UnaryOperator<ObjectNode> upcast = entry.upcasters().get(v);
      if (upcast == null) {
        throw broken(
            stored,
            "this release has no upcaster from type version " + v + " (register one in EventCodec)",
            UPGRADE,
            null);
      }
      body = upcast.apply(body);
    }
    List<String> missing = missingFields(entry.javaType(), body);
    if (!missing.isEmpty()) {
      throw broken(
          stored,
          "its payload lacks the field"
              + (missing.size() == 1 ? " " : "s ")
              + String.join(", ", missing),
          REPAIR,
          null);
    }
    body.putPOJO("at", stored.at()); // read as it is, not formatted and parsed again
    try {
      Object value = MAPPER.treeToValue(body, entry.javaType());
      return value instanceof AgentEvent
          ? new SessionEvent.AgentStep((AgentEvent) value)
          : (SessionEvent) value;
    } catch (JacksonException e) {
      throw broken(
          stored, "its payload does not fit the type: " + e.getOriginalMessage(), REPAIR, e);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw broken(stored, "its payload does not fit the type: " + e.getMessage(), REPAIR, e);
    }
  }

  /**
   * A module's event ({@link SessionEvent.Custom}): payload {@code {"data": ...}} at type version
   * 1, whether or not the module that wrote it is on the classpath.
   */
  private static SessionEvent decodeCustom(StoredEvent stored) {
    if (stored.typeVersion() > CUSTOM_VERSION) {
      throw broken(
          stored,
          "this release reads custom event type versions up to " + CUSTOM_VERSION,
          UPGRADE,
          null);
    }
    JsonNode payload = stored.payload();
    if (!payload.isObject() || !payload.has("data")) {
      throw broken(
          stored,
          "a custom event's payload must be a JSON object with a 'data' field but is "
              + (payload.isObject() ? "an object without it" : payload.getNodeType()),
          REPAIR,
          null);
    }
    return new SessionEvent.Custom(stored.at(), stored.type(), payload.get("data"));
  }

  /** The type version every {@link SessionEvent.Custom} is stored with. */
  static final int CUSTOM_VERSION = 1;

  /** The event in a stored envelope that belongs to no session (the corpus, tests). */
  SessionEvent decode(String type, int typeVersion, JsonNode payload, Instant at) {
    return decode(new StoredEvent("(none)", 1, type, typeVersion, payload, at));
  }

  private static final String UPGRADE =
      "The log was written by a newer or different release: "
          + "upgrade agentmesh-sessions, or repair the row; then retry the session";
  private static final String REPAIR = "Repair the row in the store, then retry the session";

  private static SessionDecodeException broken(
      StoredEvent stored, String problem, String fix, @Nullable Throwable cause) {
    String retry = " (Sessions.retryQuarantined(\"" + stored.sessionId() + "\"))";
    return new SessionDecodeException(
        stored.sessionId(),
        stored.version(),
        stored.type(),
        stored.typeVersion(),
        problem,
        fix + retry,
        cause);
  }

  /**
   * The fields of record {@code javaType} (but {@code at}) that {@code body} lacks: the encoder
   * writes every field, null ones too, so a missing field means the row is not what we wrote.
   */
  private static List<String> missingFields(Class<?> javaType, ObjectNode body) {
    List<String> missing = new ArrayList<>();
    for (String field : FIELDS.get(javaType)) {
      if (!body.has(field)) {
        missing.add(field);
      }
    }
    return missing;
  }

  /**
   * The fields of each record type but {@code at}, in declaration order (none for other types),
   * looked up once per type: {@link Class#getRecordComponents} makes new objects on every call.
   */
  private static final ClassValue<List<String>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<String> computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          List<String> names = new ArrayList<>();
          if (components != null) {
            for (RecordComponent c : components) {
              if (!c.getName().equals("at")) {
                names.add(c.getName());
              }
            }
          }
          return List.copyOf(names);
        }
      };

  private Entry entry(String type) {
    return Objects.requireNonNull(entries.get(type), () -> "no codec entry for " + type);
  }

  private static Map<String, Entry> standardEntries() {
    Map<String, Entry> all = new LinkedHashMap<>();
    List<Class<?>> v1 =
        List.of(
            SessionEvent.Created.class,
            SessionEvent.ParticipantJoined.class,
            SessionEvent.MessagePosted.class,
            SessionEvent.WaitingForInput.class,
            SessionEvent.InputReceived.class,
            SessionEvent.Paused.class,
            SessionEvent.Resumed.class,
            SessionEvent.Forked.class,
            SessionEvent.Completed.class,
            SessionEvent.Failed.class,
            SessionEvent.Cancelled.class,
            SessionEvent.ToolOutcomeUnknown.class,
            SessionEvent.OutcomeResolved.class,
            SessionEvent.CallSuspended.class,
            SessionEvent.TimerFired.class,
            SessionEvent.CallReleased.class,
            SessionEvent.ContextAdded.class);
    Map<Class<?>, String> names =
        Map.ofEntries(
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
            Map.entry(SessionEvent.CallSuspended.class, "tool.suspended"),
            Map.entry(SessionEvent.TimerFired.class, "timer.fired"),
            Map.entry(SessionEvent.CallReleased.class, "tool.released"),
            Map.entry(SessionEvent.ContextAdded.class, "session.context"),
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
    all.put(
        "session.created",
        new Entry(
            "session.created",
            2,
            SessionEvent.Created.class,
            Map.of(
                1,
                old -> {
                  // v2: a typed origin instead of the free trigger string ("human:ana" -> HUMAN
                  // "ana")
                  JsonNode trigger = old.remove("trigger");
                  if (trigger != null && trigger.isString() && !trigger.asString().isBlank()) {
                    old.set("origin", MAPPER.valueToTree(Origin.parse(trigger.asString())));
                  }
                  return old;
                })));
    all.put(
        "session.forked",
        new Entry(
            "session.forked",
            2,
            SessionEvent.Forked.class,
            Map.of(
                1,
                old -> {
                  old.putArray(
                      "parentCalls"); // v2: the parent's later calls a fork must not repeat
                  return old;
                })));
    all.put(
        "agent.model.called",
        new Entry(
            "agent.model.called",
            2,
            AgentEvent.ModelCalled.class,
            Map.of(
                1,
                old -> {
                  old.put("waited", "PT0S"); // v2: how long the call queued for a permit
                  return old;
                })));
    all.put(
        "tool.outcome-unknown",
        new Entry(
            "tool.outcome-unknown",
            2,
            SessionEvent.ToolOutcomeUnknown.class,
            Map.of(
                1,
                old -> {
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
