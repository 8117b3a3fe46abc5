package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.StopReason;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import dev.agentmesh.sessions.internal.CheckedPayloads;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.testsupport.Seeds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The payloads {@link PayloadTrees} writes are the trees Jackson's encoder writes: the same fields,
 * in the same order, with the same node kinds, on generated events of every type it writes.
 */
class PayloadTreesTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Instant AT = Instant.parse("2026-01-05T09:00:00.123456Z");

  static Stream<Long> seeds() {
    return Seeds.of(200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyWrittenPayloadIsTheTreeJacksonWrites(long seed) {
    Random random = new Random(seed);
    Generator g = new Generator(random);
    Seeds.print(PayloadTreesTest.class, seed);
    for (Function<Generator, Object> make : Generator.TYPES) {
      Object body = make.apply(g);
      ObjectNode written = PayloadTrees.write(body);
      ObjectNode expected = EventCodec.encoded(body);

      assertThat(written).as("%s", body).isNotNull().isEqualTo(expected);
      assertThat(expected).isEqualTo(written);
      assertThat(written).isInstanceOf(WrittenTree.class); // all new: a store keeps it uncopied
      assertThat(written.toString()).isEqualTo(expected.toString());
      assertThat(kinds(written)).isEqualTo(kinds(expected));
    }
  }

  @Test
  void everyTypeWrittenWithoutJacksonIsGeneratedAbove() {
    Generator g = new Generator(new Random(1));
    Set<Class<?>> generated = new HashSet<>();
    Generator.TYPES.forEach(make -> generated.add(make.apply(g).getClass()));

    assertThat(generated).isEqualTo(PayloadTrees.WRITTEN);
  }

  @Test
  void everyEventOfAConversationTurnIsWrittenWithoutJackson() {
    ChatModel model =
        request -> {
          List<ChatMessage> messages = request.messages();
          return messages.get(messages.size() - 1).role() == ChatMessage.Role.TOOL
              ? ChatResponse.ofText("priority high")
              : ChatResponse.ofToolCalls(
                  ToolCall.of("call-1", "lookup", F.objectNode().put("c", "acme")));
        };
    Mesh mesh =
        Mesh.builder()
            .model("default", model)
            .tool(
                AgentTool.builder("lookup")
                    .description("Looks a customer up")
                    .idempotent(true)
                    .handler((args, ctx) -> "gold")
                    .build())
            .agent(AgentSpec.builder("triage").instructions("Triage.").tools("lookup").build())
            .build();
    try (mesh;
        Sessions sessions =
            Sessions.builder(mesh)
                .store(InMemorySessionStore.create())
                .executor(Runnable::run)
                .build()) {
      Session session =
          sessions
              .newSession("triage")
              .input("Invoice wrong")
              .participant("ana", ParticipantRole.OWNER)
              .start();
      session.awaitFinished(Duration.ofSeconds(10));
      session.post("ana", "And the other one?");
      session.awaitFinished(Duration.ofSeconds(10));

      List<LoggedEvent> history = session.history();
      assertThat(history).hasSizeGreaterThan(15);
      for (LoggedEvent logged : history) {
        SessionEvent event = logged.event();
        Object body = event instanceof SessionEvent.AgentStep step ? step.event() : event;
        assertThat(PayloadTrees.write(body)).as(event.type()).isNotNull();
      }
    }
  }

  @Test
  void valuesOnlyJacksonWritesSoAreLeftToTheEncoder() {
    for (JsonNode odd :
        List.of(
            F.binaryNode(new byte[] {1, 2}),
            F.pojoNode(Usage.of(1, 2)),
            F.missingNode(),
            F.objectNode().set("deep", F.arrayNode().add(F.binaryNode(new byte[] {3}))))) {
      SessionEvent.Completed completed = new SessionEvent.Completed(AT, odd);

      assertThat(PayloadTrees.write(completed)).isNull();
      assertThat(EventCodec.standard().encode(completed).payload())
          .hasToString(EventCodec.encoded(completed).toString()); // a byte[] POJO equals no copy
    }
  }

  @Test
  void aNulIsRefusedWithTheMessageOfEveryOtherPayload() {
    List<SessionEvent> nuls =
        List.of(
            new SessionEvent.MessagePosted(AT, "ana", "a\0b", null, false),
            new SessionEvent.Completed(AT, F.objectNode().put("k\0", 1)),
            new SessionEvent.Completed(AT, F.arrayNode().add("x").add(F.stringNode("\0"))),
            new SessionEvent.Created(
                AT,
                "triage",
                F.nullNode(),
                Origin.human("ana"),
                Map.of("e\0ve", ParticipantRole.OWNER)));
    for (SessionEvent event : nuls) {
      Object body = event;
      assertThat(PayloadTrees.write(body)).isNull();
      assertThatThrownBy(() -> EventCodec.standard().encode(event))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "Payload of event type '" + event.type() + "' contains U+0000 at '/")
          .hasMessageEndingWith(
              "'; PostgreSQL cannot store it, so no store accepts it: remove or escape the character");
    }
    assertThatThrownBy(
            () ->
                new NewEvent(
                    "message.posted",
                    1,
                    EventCodec.encoded(
                        new SessionEvent.MessagePosted(AT, "ana", "a\0b", null, false)),
                    AT))
        .hasMessage(
            "Payload of event type 'message.posted' contains U+0000 at '/text'; PostgreSQL cannot"
                + " store it, so no store accepts it: remove or escape the character");
  }

  @Test
  void aVouchSparesTheWalkOnlyForTheTreeVouchedForAndOnlyOnce() {
    ObjectNode vouched = F.objectNode().put("text", "fine");
    ObjectNode other = F.objectNode().put("text", "a\0b");
    String refused =
        "Payload of event type 'message.posted' contains U+0000 at '/text'; PostgreSQL cannot"
            + " store it, so no store accepts it: remove or escape the character";

    CheckedPayloads.vouch(vouched);
    assertThatThrownBy(() -> new NewEvent("message.posted", 1, other, AT)).hasMessage(refused);
    CheckedPayloads.vouch(vouched);
    assertThat(new NewEvent("message.posted", 1, vouched, AT).payload()).isSameAs(vouched);
    vouched.put("text", "a\0b"); // changed after its event was made: a new event walks it again
    assertThatThrownBy(() -> new NewEvent("message.posted", 1, vouched, AT)).hasMessage(refused);
  }

  @Test
  void anEncodedTurnEventIsVouchedForAndOnlyItsOwnEventUsesTheVouch() {
    SessionEvent posted = new SessionEvent.MessagePosted(AT, "ana", "hi", null, false);

    NewEvent encoded = EventCodec.standard().encode(posted);

    assertThat(CheckedPayloads.take(encoded.payload())).as("used up by its event").isFalse();
    assertThat(encoded.payload()).isEqualTo(EventCodec.encoded(posted));
  }

  @Test
  void theInMemoryStoreKeepsAWrittenTreeAndCopiesACallersTree() {
    InMemorySessionStore store = InMemorySessionStore.create();
    SessionEvent.MessagePosted posted =
        new SessionEvent.MessagePosted(AT, "ana", "hi", null, false);
    NewEvent written = EventCodec.standard().encode(posted);
    ObjectNode own = JsonNodeFactory.instance.objectNode().put("text", "mine");
    NewEvent callers = new NewEvent("message.posted", 1, own, AT);
    SessionEvent.Created created =
        new SessionEvent.Created(
            AT, "plain", JsonNodeFactory.instance.stringNode("in"), Origin.human("ana"), Map.of());
    SessionFold fold = SessionFold.empty("s").apply(created);
    store.append(
        dev.agentmesh.sessions.spi.Append.of(
            "s",
            0,
            List.of(EventCodec.standard().encode(created), written, callers),
            fold.summary()));

    own.put("text", "changed afterwards");

    List<dev.agentmesh.sessions.spi.StoredEvent> log = store.load("s", 0);
    assertThat(log.get(1).payload()).isSameAs(written.payload());
    assertThat(log.get(2).payload().get("text").asString()).isEqualTo("mine");
  }

  /** The node classes of a tree, in order: equality alone takes 1 and 1L for the same. */
  private static List<String> kinds(JsonNode node) {
    List<String> kinds = new ArrayList<>();
    // the root of a written tree is marked as such (WrittenTree), an ObjectNode like Jackson's
    kinds.add((node instanceof WrittenTree ? ObjectNode.class : node.getClass()).getSimpleName());
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        kinds.addAll(kinds(node.get(i)));
      }
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      kinds.addAll(kinds(field.getValue()));
    }
    return kinds;
  }

  /** Random events of the types a turn and a session's start append, nulls and empties included. */
  private record Generator(Random random) {

    static final List<Function<Generator, Object>> TYPES =
        List.of(
            g -> new SessionEvent.Created(AT, g.text(), g.json(3), g.origin(), g.participants()),
            g -> new SessionEvent.ParticipantJoined(AT, g.text(), g.role()),
            g ->
                new SessionEvent.MessagePosted(
                    AT, g.text(), g.text(), g.text(), g.random.nextBoolean()),
            g -> new SessionEvent.Completed(AT, g.json(3)),
            g ->
                new AgentEvent.RunStarted(
                    g.text(), g.text(), AT, g.text(), g.json(3), g.text(), g.random.nextBoolean()),
            g ->
                new AgentEvent.ModelCalled(
                    g.text(),
                    g.text(),
                    AT,
                    g.random.nextInt(),
                    g.text(),
                    g.random.nextInt(100),
                    g.duration()),
            g ->
                new AgentEvent.ModelResponded(
                    g.text(),
                    g.text(),
                    AT,
                    g.random.nextInt(50),
                    g.text(),
                    g.text(),
                    g.calls(),
                    g.usage(),
                    g.random.nextInt(4) == 0
                        ? null
                        : StopReason.values()[g.random.nextInt(StopReason.values().length)],
                    g.random.nextInt(4) == 0 ? null : g.duration()),
            g ->
                new AgentEvent.ToolCalled(
                    g.text(),
                    g.text(),
                    AT,
                    g.random.nextInt(4) == 0 ? null : g.call(),
                    g.random.nextBoolean()),
            g ->
                new AgentEvent.ToolReturned(
                    g.text(), g.text(), AT, g.text(), g.text(), g.json(3), g.duration()),
            g -> new AgentEvent.OutputProduced(g.text(), g.text(), AT, g.json(3), g.usage()));

    private static final String[] PIECES = {
      "", "a", "acme", "ünïcode ✓", "😀", "\"quoted\"", "back\\slash", "line\nbreak", "\t", "日本語"
    };

    /** A string, sometimes null or empty, of ASCII, unicode, escapes and surrogate pairs. */
    @org.jspecify.annotations.Nullable
    String text() {
      if (random.nextInt(6) == 0) {
        return null;
      }
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(4); i > 0; i--) {
        b.append(PIECES[random.nextInt(PIECES.length)]);
      }
      return b.toString();
    }

    String key() {
      String key = text();
      return key == null ? "k" + random.nextInt(5) : key;
    }

    /** A JSON value of every node kind a tree holds, JSON null and Java null among them. */
    @org.jspecify.annotations.Nullable
    JsonNode json(int depth) {
      int kind = random.nextInt(depth > 0 ? 15 : 12);
      return switch (kind) {
        case 0 -> null;
        case 1 -> F.nullNode();
        case 2 -> F.booleanNode(random.nextBoolean());
        case 3 -> F.numberNode(random.nextInt());
        case 4 -> F.numberNode(random.nextLong());
        case 5 -> F.numberNode((short) random.nextInt());
        case 6 -> F.numberNode(random.nextFloat());
        case 7 -> F.numberNode(random.nextDouble() * 1e6);
        case 8 -> F.numberNode(new BigInteger(80, random));
        case 9 -> F.numberNode(new BigDecimal(BigInteger.valueOf(random.nextInt()), 4)); // 0s kept
        case 10, 11 -> F.stringNode(key());
        case 12 -> {
          var array = F.arrayNode();
          for (int i = random.nextInt(4); i > 0; i--) {
            JsonNode item = json(depth - 1);
            array.add(item == null ? F.nullNode() : item);
          }
          yield array;
        }
        default -> {
          ObjectNode object = F.objectNode();
          for (int i = random.nextInt(4); i > 0; i--) {
            object.set(key(), json(depth - 1));
          }
          yield object;
        }
      };
    }

    JsonNode nonNullJson() {
      JsonNode json = json(2);
      return json == null ? F.objectNode() : json;
    }

    Duration duration() {
      return Duration.ofNanos(random.nextLong() / (random.nextBoolean() ? 1 : 1_000_000));
    }

    ParticipantRole role() {
      return ParticipantRole.values()[random.nextInt(ParticipantRole.values().length)];
    }

    Map<String, ParticipantRole> participants() {
      Map<String, ParticipantRole> all = new TreeMap<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        all.put(key(), role());
      }
      return all;
    }

    Origin origin() {
      Origin.Kind kind = Origin.Kind.values()[random.nextInt(Origin.Kind.values().length)];
      String id = key();
      Instant occurrence =
          random.nextBoolean()
              ? null
              : Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000));
      String reference = random.nextBoolean() ? null : key();
      return new Origin(kind, id.isBlank() ? "ana" : id, occurrence, reference);
    }

    ToolCall call() {
      return ToolCall.of(key(), key(), nonNullJson());
    }

    List<ToolCall> calls() {
      List<ToolCall> calls = new ArrayList<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        calls.add(call());
      }
      return calls;
    }

    @org.jspecify.annotations.Nullable
    Usage usage() {
      if (random.nextInt(5) == 0) {
        return null;
      }
      long[] n = new long[5];
      for (int i = 0; i < n.length; i++) {
        n[i] = random.nextBoolean() ? random.nextInt(1000) : Math.abs(random.nextLong() >> 1);
      }
      BigDecimal cost =
          random.nextBoolean()
              ? null
              : new BigDecimal(BigInteger.valueOf(random.nextInt(100000)), random.nextInt(8));
      return new Usage(n[0], n[1], n[2], n[3], n[4], cost);
    }
  }
}
