package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.Guardrail;
import dev.agentmesh.core.spi.StopReason;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionDecodeException;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored shape of every event type. {@code src/test/resources/events/v<N>/<type>.json} holds
 * one event of each type at each version ever written; they must all keep loading. When a type
 * changes shape, bump its version, add an upcaster, and add the new version's file: {@link
 * EventCorpusWriter} writes the missing files from {@link #samples()}.
 */
class EventCodecTest {

  private static final Path CORPUS = Path.of("src/test/resources/events");
  private static final Instant AT = Instant.parse("2026-01-05T09:00:00.123456Z");
  private static final EventCodec CODEC = EventCodec.standard();

  /**
   * A corpus entry: the file it is stored in ({@code <type>} or {@code <type>.<branch>}) and its
   * event.
   */
  record Sample(String file, SessionEvent event) {}

  /** The events of {@link #corpusSamples()}. */
  static List<SessionEvent> samples() {
    return corpusSamples().stream().map(Sample::event).toList();
  }

  /**
   * One event of each type (file {@code <type>.json}) and one more for every optional branch of a
   * type (file {@code <type>.<branch>.json}): null fields set and unset, each enum value that
   * changes meaning, JSON null and text where JSON values go.
   */
  static List<Sample> corpusSamples() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode args = f.objectNode().put("customer", "acme").put("amount", 12.5);
    ToolCall call = ToolCall.of("call_1", "charge", args);
    Usage usage = new Usage(1200, 80, 100, 0, 20, new BigDecimal("0.00042"));
    List<SessionEvent> base =
        List.of(
            new SessionEvent.Created(
                AT,
                "triage",
                f.objectNode().put("ticket", "Invoice wrong – ünïcode ✓"),
                Origin.webhook("zendesk", "delivery-81f3"),
                Map.of("ana", ParticipantRole.OWNER, "eve", ParticipantRole.OBSERVER)),
            new SessionEvent.ParticipantJoined(AT, "bo", ParticipantRole.MEMBER),
            new SessionEvent.MessagePosted(
                AT, "bo", "Run this one with the security reviewer", "security-reviewer", false),
            new SessionEvent.AgentStep(
                new AgentEvent.RunStarted(
                    "run-1", "triage", AT, "sha256:abc", f.stringNode("hi"), null, true)),
            new SessionEvent.AgentStep(
                new AgentEvent.ModelCalled(
                    "run-1", "triage", AT, 1, "gpt-4.1-mini", 3, Duration.ofMillis(1250))),
            new SessionEvent.AgentStep(
                new AgentEvent.ModelResponded(
                    "run-1",
                    "triage",
                    AT,
                    1,
                    "gpt-4.1-mini",
                    "Let me check",
                    List.of(call),
                    usage,
                    StopReason.TOOL_CALLS,
                    Duration.ofMillis(1534))),
            new SessionEvent.AgentStep(
                new AgentEvent.ToolCalled("run-1", "triage", AT, call, false)),
            new SessionEvent.AgentStep(
                new AgentEvent.ToolReturned(
                    "run-1",
                    "triage",
                    AT,
                    "call_1",
                    "charge",
                    f.objectNode().put("ok", true),
                    Duration.ofMillis(20))),
            new SessionEvent.AgentStep(
                new AgentEvent.ToolFailed(
                    "run-1",
                    "triage",
                    AT,
                    "call_2",
                    "refund",
                    AgentEvent.ToolFailure.INVALID_ARGUMENTS,
                    "Invalid arguments for tool 'refund'")),
            new SessionEvent.AgentStep(
                new AgentEvent.OutputRejected(
                    "run-1", "triage", AT, List.of("$.priority: required"))),
            new SessionEvent.AgentStep(
                new AgentEvent.GuardrailBlocked(
                    "run-1",
                    "triage",
                    AT,
                    "no-refunds",
                    Guardrail.Stage.TOOL_CALL,
                    "refunds need a human")),
            new SessionEvent.AgentStep(
                new AgentEvent.OutputProduced(
                    "run-1", "triage", AT, f.objectNode().put("priority", "high"), usage)),
            new SessionEvent.AgentStep(
                new AgentEvent.RunFailed(
                    "run-1",
                    "triage",
                    AT,
                    "LimitExceededException",
                    "Agent 'triage' reached maxTurns (8)")),
            new SessionEvent.WaitingForInput(AT, "approval", "Ship the reply?"),
            new SessionEvent.InputReceived(
                AT, "approval", f.objectNode().put("approved", true), "ana"),
            new SessionEvent.Paused(AT, "ana"),
            new SessionEvent.Resumed(AT, "ana"),
            new SessionEvent.Forked(
                AT,
                "parent-1",
                7,
                List.of(
                    new SessionEvent.Forked.ParentCall(
                        "call_1",
                        "charge",
                        "{\"amount\":12.5,\"customer\":\"acme\"}",
                        f.objectNode().put("receipt", "r-1")),
                    new SessionEvent.Forked.ParentCall(
                        "call_3", "charge", "{\"amount\":3,\"customer\":\"zed\"}", null))),
            new SessionEvent.Completed(AT, f.objectNode().put("priority", "high")),
            new SessionEvent.Failed(AT, "ModelException", "Model 'gpt' answered 503"),
            new SessionEvent.Cancelled(AT, "ana", "duplicate ticket"),
            new SessionEvent.ToolOutcomeUnknown(
                AT,
                "run-1",
                "call_1",
                "charge",
                args,
                "call_0",
                f.objectNode().put("receipt", "r-1")),
            new SessionEvent.OutcomeResolved(
                AT, "call_1", "charge", f.stringNode("charged once"), null, "ana"),
            new SessionEvent.CallSuspended(AT, "run-1", "call_2", "refund", args, "approval"),
            new SessionEvent.TimerFired(
                AT, "expiry", "review.expiry", f.objectNode().put("review", "r-7")),
            new SessionEvent.CallReleased(AT, "call_2", "refund", "manager:bo"),
            new SessionEvent.ContextAdded(
                AT, "triage", "<session-context>\nCite the invoice number.\n</session-context>"),
            new SessionEvent.Custom(
                AT,
                "review.proposed",
                f.objectNode().put("review", "r-1").put("hash", "sha256:abc")));
    List<Sample> all = new ArrayList<>();
    base.forEach(e -> all.add(new Sample(e.type(), e)));
    all.add(
        new Sample(
            "agent.model.called.not-queued",
            new SessionEvent.AgentStep(
                new AgentEvent.ModelCalled("run-1", "triage", AT, 2, "gpt-4.1-mini", 5))));
    all.add(
        new Sample(
            "session.created.no-participants",
            new SessionEvent.Created(
                AT, "triage", f.stringNode("plain text input"), Origin.human("ana"), Map.of())));
    all.add(
        new Sample(
            "session.created.cron-occurrence",
            new SessionEvent.Created(
                AT,
                "digest",
                f.objectNode(),
                Origin.cron("daily", Instant.parse("2026-01-05T08:00:00Z")),
                Map.of())));
    all.add(
        new Sample(
            "session.created.started-by-a-session",
            new SessionEvent.Created(
                AT,
                "security-reviewer",
                f.stringNode("check this"),
                Origin.session("parent-1", "run-1"),
                Map.of())));
    all.add(
        new Sample(
            "session.created.broker-message",
            new SessionEvent.Created(
                AT,
                "triage",
                f.stringNode("signup"),
                Origin.event("signups", "msg-42"),
                Map.of())));
    all.add(
        new Sample(
            "session.created.legacy-free-string",
            new SessionEvent.Created(
                AT, "triage", f.stringNode("x"), Origin.parse("manual"), Map.of())));
    all.add(
        new Sample(
            "message.posted.to-the-default-agent",
            new SessionEvent.MessagePosted(AT, "ana", "Thanks", null, false)));
    all.add(
        new Sample(
            "message.posted.by-an-agent",
            new SessionEvent.MessagePosted(AT, "researcher", "Found it", null, true)));
    all.add(
        new Sample(
            "agent.run.started.child-run",
            new SessionEvent.AgentStep(
                new AgentEvent.RunStarted(
                    "run-2",
                    "researcher",
                    AT,
                    "sha256:def",
                    f.objectNode().put("q", "acme"),
                    "run-1",
                    false))));
    all.add(
        new Sample(
            "agent.model.responded.tool-calls-only",
            new SessionEvent.AgentStep(
                new AgentEvent.ModelResponded(
                    "run-1",
                    "triage",
                    AT,
                    1,
                    "gpt-4.1-mini",
                    null,
                    List.of(call),
                    usage,
                    StopReason.TOOL_CALLS,
                    Duration.ofMillis(900)))));
    all.add(
        new Sample(
            "agent.model.responded.text-only",
            new SessionEvent.AgentStep(
                new AgentEvent.ModelResponded(
                    "run-1",
                    "triage",
                    AT,
                    2,
                    "gpt-4.1-mini",
                    "Done",
                    List.of(),
                    usage,
                    StopReason.END_TURN,
                    Duration.ofMillis(700)))));
    all.add(
        new Sample(
            "agent.tool.returned.json-null",
            new SessionEvent.AgentStep(
                new AgentEvent.ToolReturned(
                    "run-1", "triage", AT, "call_1", "charge", f.nullNode(), Duration.ZERO))));
    all.add(
        new Sample(
            "agent.tool.returned.text",
            new SessionEvent.AgentStep(
                new AgentEvent.ToolReturned(
                    "run-1",
                    "triage",
                    AT,
                    "call_1",
                    "charge",
                    f.stringNode("charged"),
                    Duration.ofMillis(3)))));
    for (AgentEvent.ToolFailure reason : AgentEvent.ToolFailure.values()) {
      if (reason != AgentEvent.ToolFailure.INVALID_ARGUMENTS) {
        all.add(
            new Sample(
                "agent.tool.failed."
                    + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                new SessionEvent.AgentStep(
                    new AgentEvent.ToolFailed(
                        "run-1",
                        "triage",
                        AT,
                        "call_3",
                        "refund",
                        reason,
                        "Tool 'refund' failed: " + reason))));
      }
    }
    all.add(
        new Sample(
            "agent.tool.called.idempotent",
            new SessionEvent.AgentStep(
                new AgentEvent.ToolCalled(
                    "run-1",
                    "triage",
                    AT,
                    ToolCall.of("call_4", "lookup", f.objectNode()),
                    true))));
    all.add(
        new Sample(
            "agent.output.produced.text",
            new SessionEvent.AgentStep(
                new AgentEvent.OutputProduced(
                    "run-1", "triage", AT, f.stringNode("All done"), usage))));
    all.add(
        new Sample(
            "input.received.text",
            new SessionEvent.InputReceived(AT, "approval", f.stringNode("yes"), "ana")));
    all.add(
        new Sample(
            "session.completed.text", new SessionEvent.Completed(AT, f.stringNode("All done"))));
    all.add(
        new Sample(
            "session.forked.no-parent-calls",
            new SessionEvent.Forked(AT, "parent-1", 3, List.of())));
    all.add(
        new Sample(
            "tool.outcome-unknown.not-a-question",
            new SessionEvent.ToolOutcomeUnknown(
                AT, "run-1", "call_1", "charge", args, null, null)));
    all.add(
        new Sample(
            "tool.outcome-resolved.failure",
            new SessionEvent.OutcomeResolved(
                AT,
                "call_1",
                "charge",
                null,
                "The card was declined; nothing was charged",
                "ana")));
    all.add(
        new Sample(
            "tool.outcome-resolved.json-null-result",
            new SessionEvent.OutcomeResolved(AT, "call_1", "charge", f.nullNode(), null, "ana")));
    all.add(
        new Sample(
            "review.proposed.json-null-data",
            new SessionEvent.Custom(AT, "review.proposed", null)));
    return all;
  }

  static Stream<Path> corpusFiles() throws IOException {
    return Files.walk(CORPUS).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusFiles")
  void everyStoredEventInTheCorpusStillLoads(Path file) throws IOException {
    JsonNode stored = EventCodec.MAPPER.readTree(Files.readString(file));
    String type = stored.get("type").asString();
    int version = stored.get("typeVersion").asInt();

    SessionEvent event =
        CODEC.decode(
            type, version, stored.get("payload"), Instant.parse(stored.get("at").asString()));

    assertThat(event.type()).isEqualTo(type);
    assertThat(file.getFileName().toString()).startsWith(type);
    EventCodec.Entry entry = CODEC.entries().get(type);
    if (entry == null) {
      assertThat(event)
          .as("a type no entry names is a module's")
          .isInstanceOf(SessionEvent.Custom.class);
    }
    if (version == (entry == null ? EventCodec.CUSTOM_VERSION : entry.version())) {
      NewEvent again = CODEC.encode(event);
      assertThat(normalized(again.payload())).isEqualTo(normalized(stored.get("payload")));
      assertThat(again.at()).isEqualTo(Instant.parse(stored.get("at").asString()));
    }
  }

  @Test
  void theCorpusHoldsEveryTypeAtEveryVersion() {
    List<String> missing = new ArrayList<>();
    CODEC
        .entries()
        .values()
        .forEach(
            entry -> {
              for (int v = 1; v <= entry.version(); v++) {
                if (!Files.exists(CORPUS.resolve("v" + v).resolve(entry.type() + ".json"))) {
                  missing.add("v" + v + "/" + entry.type() + ".json");
                }
              }
            });
    for (Sample sample : corpusSamples()) {
      String file =
          "v" + CODEC.encode(sample.event()).typeVersion() + "/" + sample.file() + ".json";
      if (!Files.exists(CORPUS.resolve(file))) {
        missing.add(file);
      }
    }
    assertThat(missing)
        .as("corpus files to add (run EventCorpusWriter, see its javadoc)")
        .isEmpty();
    assertThat(samples()).extracting(SessionEvent::type).containsAll(CODEC.entries().keySet());
    assertThat(corpusSamples())
        .allSatisfy(sample -> assertThat(sample.file()).startsWith(sample.event().type()));
  }

  @Test
  void everyEventSurvivesARoundTripThroughTheEnvelope() {
    for (SessionEvent event : samples()) {
      NewEvent encoded = CODEC.encode(event);
      assertThat(encoded.payload().has("at")).isFalse();
      assertThat(
              CODEC.decode(encoded.type(), encoded.typeVersion(), encoded.payload(), encoded.at()))
          .isEqualTo(event);
    }
  }

  @Test
  void absentParentsUnknownParentResultsAndFailedOutcomesReadBackAsWritten() {
    ObjectNode args = JsonNodeFactory.instance.objectNode().put("customer", "acme");
    List<SessionEvent> events =
        List.of(
            new SessionEvent.ToolOutcomeUnknown(AT, "run-1", "call_1", "charge", args),
            new SessionEvent.Forked(
                AT,
                "parent-1",
                7,
                List.of(new SessionEvent.Forked.ParentCall("call_1", "charge", "{}", null))),
            new SessionEvent.OutcomeResolved(AT, "call_1", "charge", null, "declined", "ana"));

    for (SessionEvent event : events) {
      NewEvent encoded = CODEC.encode(event);
      assertThat(
              CODEC.decode(encoded.type(), encoded.typeVersion(), encoded.payload(), encoded.at()))
          .isEqualTo(event);
    }
  }

  @Test
  void version1ModelCallsReadAsCallsThatDidNotQueue() {
    ObjectNode called =
        JsonNodeFactory.instance
            .objectNode()
            .put("runId", "run-1")
            .put("agent", "triage")
            .put("turn", 1)
            .put("model", "gpt-4.1-mini")
            .put("messages", 3);

    assertThat(CODEC.decode("agent.model.called", 1, called, AT))
        .isEqualTo(
            new SessionEvent.AgentStep(
                new AgentEvent.ModelCalled("run-1", "triage", AT, 1, "gpt-4.1-mini", 3)));
  }

  @Test
  void version1ForkAndOutcomeEventsReadAsForksWithoutParentCalls() {
    ObjectNode forked =
        JsonNodeFactory.instance.objectNode().put("parentId", "p").put("atVersion", 3);
    ObjectNode unknown =
        JsonNodeFactory.instance
            .objectNode()
            .put("runId", "run-1")
            .put("callId", "c")
            .put("tool", "charge");
    unknown.putObject("arguments");

    assertThat(CODEC.decode("session.forked", 1, forked, AT))
        .isEqualTo(new SessionEvent.Forked(AT, "p", 3));
    assertThat(CODEC.decode("tool.outcome-unknown", 1, unknown, AT))
        .isEqualTo(
            new SessionEvent.ToolOutcomeUnknown(
                AT, "run-1", "c", "charge", JsonNodeFactory.instance.objectNode()));
  }

  @Test
  void version1CreatedEventsReadTheirFreeTriggerStringAsATypedOrigin() {
    ObjectNode human =
        JsonNodeFactory.instance
            .objectNode()
            .put("agent", "triage")
            .put("input", "hi")
            .put("trigger", "human:ana");
    human.putObject("participants");
    ObjectNode manual = human.deepCopy().put("trigger", "manual");
    ObjectNode cron = human.deepCopy().put("trigger", "cron:daily");

    assertThat(((SessionEvent.Created) CODEC.decode("session.created", 1, human, AT)).origin())
        .isEqualTo(Origin.human("ana"));
    assertThat(((SessionEvent.Created) CODEC.decode("session.created", 1, manual, AT)).origin())
        .isEqualTo(new Origin(Origin.Kind.UNKNOWN, "manual", null, null));
    assertThat(((SessionEvent.Created) CODEC.decode("session.created", 1, cron, AT)).origin().key())
        .isEqualTo("cron:daily");
  }

  @Test
  void anOldVersionIsUpcastWhenRead() {
    EventCodec.Entry v2 =
        new EventCodec.Entry(
            "session.paused",
            2,
            SessionEvent.Paused.class,
            Map.of(
                1,
                old -> {
                  ObjectNode up = old.deepCopy();
                  up.set("by", up.remove("who"));
                  return up;
                }));
    EventCodec evolved = CODEC.with(v2);
    ObjectNode v1Payload = JsonNodeFactory.instance.objectNode().put("who", "ana");

    SessionEvent read = evolved.decode("session.paused", 1, v1Payload, AT);

    assertThat(read).isEqualTo(new SessionEvent.Paused(AT, "ana"));
    assertThat(evolved.encode(read).typeVersion()).isEqualTo(2);
  }

  @Test
  void decodingLeavesTheStoredPayloadAsItWasAndKeepsTheInstantToTheNanosecond() {
    Instant at = Instant.parse("2026-03-02T09:00:00.123456789Z");
    ObjectNode current = JsonNodeFactory.instance.objectNode().put("by", "ana");
    ObjectNode old = JsonNodeFactory.instance.objectNode().put("who", "bo");
    EventCodec evolved =
        CODEC.with(
            new EventCodec.Entry(
                "session.paused",
                2,
                SessionEvent.Paused.class,
                Map.of(1, o -> o.put("by", o.remove("who").asString()))));

    SessionEvent read = CODEC.decode("session.paused", 1, current, at);
    SessionEvent upcast = evolved.decode("session.paused", 1, old, at);

    assertThat(read).isEqualTo(new SessionEvent.Paused(at, "ana"));
    assertThat(upcast).isEqualTo(new SessionEvent.Paused(at, "bo"));
    assertThat(current).isEqualTo(JsonNodeFactory.instance.objectNode().put("by", "ana"));
    assertThat(old)
        .as("an upcaster that changes its argument works on a copy")
        .isEqualTo(JsonNodeFactory.instance.objectNode().put("who", "bo"));
  }

  @Test
  void unknownTypesNewerVersionsAndWrongShapesAreRefusedNamingTheSessionVersionAndType() {
    ObjectNode empty = JsonNodeFactory.instance.objectNode();
    JsonNode array = JsonNodeFactory.instance.arrayNode().add(1);

    assertThatThrownBy(
            () -> CODEC.decode(new StoredEvent("s-7", 4, "agent.bogus.happened", 1, empty, AT)))
        .isInstanceOfSatisfying(
            SessionDecodeException.class,
            e -> {
              assertThat(e.sessionId()).isEqualTo("s-7");
              assertThat(e.version()).isEqualTo(4);
              assertThat(e.eventType()).isEqualTo("agent.bogus.happened");
            })
        .hasMessageStartingWith(
            "Cannot decode event 4 of session 's-7' (type 'agent.bogus.happened', "
                + "type version 1): this release knows no such event type (known types: [agent.")
        .hasMessageEndingWith(
            "The log was written by a newer or different release: upgrade "
                + "agentmesh-sessions, or repair the row; then retry the session "
                + "(Sessions.retryQuarantined(\"s-7\"))");
    assertThatThrownBy(
            () -> CODEC.decode(new StoredEvent("s-7", 2, "session.paused", 3, empty, AT)))
        .isInstanceOf(SessionDecodeException.class)
        .hasMessageStartingWith(
            "Cannot decode event 2 of session 's-7' (type 'session.paused', type "
                + "version 3): this release reads type versions up to 1. ");
    assertThatThrownBy(
            () -> CODEC.decode(new StoredEvent("s-7", 3, "session.paused", 1, array, AT)))
        .hasMessage(
            "Cannot decode event 3 of session 's-7' (type 'session.paused', type version 1): "
                + "its payload must be a JSON object but is ARRAY. Repair the row in the store, then retry "
                + "the session (Sessions.retryQuarantined(\"s-7\"))");
    assertThatThrownBy(
            () -> CODEC.decode(new StoredEvent("s-7", 5, "session.cancelled", 1, empty, AT)))
        .hasMessageStartingWith(
            "Cannot decode event 5 of session 's-7' (type 'session.cancelled', type "
                + "version 1): its payload lacks the fields by, reason. ");
    ObjectNode wrongType =
        JsonNodeFactory.instance.objectNode().put("parentId", "p").put("atVersion", "seven");
    assertThatThrownBy(
            () -> CODEC.decode(new StoredEvent("s-7", 6, "session.forked", 1, wrongType, AT)))
        .isInstanceOf(SessionDecodeException.class)
        .hasMessageStartingWith(
            "Cannot decode event 6 of session 's-7' (type 'session.forked', type "
                + "version 1): its payload does not fit the type: ");
    ObjectNode jsonNullResult =
        JsonNodeFactory.instance
            .objectNode()
            .put("callId", "c")
            .put("tool", "t")
            .put("by", "ana")
            .putNull("result")
            .putNull("failure");
    assertThat(
            CODEC.decode(new StoredEvent("s-7", 7, "tool.outcome-resolved", 1, jsonNullResult, AT)))
        .as("a JSON null result without a failure is a null result")
        .isNotNull();
  }

  @Test
  void aFailedOutcomeAsTheRuntimeWroteItBeforeThisFixStillLoads() {
    ObjectNode written =
        JsonNodeFactory.instance
            .objectNode()
            .put("callId", "call_9")
            .put("tool", "charge")
            .putNull("result")
            .put("failure", "declined")
            .put("by", "ana");

    SessionEvent read =
        CODEC.decode(new StoredEvent("s-1", 3, "tool.outcome-resolved", 1, written, AT));

    assertThat(read)
        .isEqualTo(
            new SessionEvent.OutcomeResolved(AT, "call_9", "charge", null, "declined", "ana"));
  }

  private static String normalized(JsonNode node) {
    return EventCodec.MAPPER
        .readTree(EventCodec.MAPPER.writeValueAsString(sorted(node)))
        .toString();
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.properties().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(p -> out.set(p.getKey(), sorted(p.getValue())));
      return out;
    }
    return node;
  }
}
