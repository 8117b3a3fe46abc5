package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Property: forking a generated session at every version of its log never applies a call that is
 * not idempotent a second time (counted by the tool), never asks the model for a response the
 * fork's log already holds, and leaves every fork completed or waiting on a question about a parent
 * call; answered with the parent's result, every fork completes. Some forks are forked again.
 * Sessions come from a seeded generator; a failing case prints its seed: rerun it with {@code
 * -Dagentmesh.seed=<seed>}.
 */
class ForkPropertyTest {

  private static final String[] TEXTS = {
    "bill acme",
    "bill zed",
    "look up acme",
    "hello",
    "bill acme and look up acme",
    "bill declined",
    "bill zed and look up zed"
  };

  static Stream<Long> seeds() {
    return Seeds.of(20);
  }

  /**
   * Answers by the last message only: a user message asks to charge ("bill x") and to look up
   * ("look up x"), in one batch when it asks for both; tool results get a final answer; and its own
   * final answer, which it should never be shown again, asks for a charge nobody wanted.
   */
  static final class LastMessageModel implements ChatModel {
    final List<List<ChatMessage>> requests = new CopyOnWriteArrayList<>();

    @Override
    public ChatResponse chat(ChatRequest request) {
      List<ChatMessage> messages = request.messages();
      requests.add(messages.subList(1, messages.size()));
      ChatMessage last = messages.get(messages.size() - 1);
      JsonNodeFactory f = JsonNodeFactory.instance;
      String id = "call-" + messages.size() + "-";
      if (last.role() == ChatMessage.Role.ASSISTANT) {
        return ChatResponse.ofToolCalls(
            ToolCall.of(id + "again", "chargeCard", f.objectNode().put("customer", "again")));
      }
      if (last.role() == ChatMessage.Role.TOOL
          || !request.tools().isEmpty() && !asksForTools(last.textOrEmpty())) {
        return ChatResponse.ofText("answer to " + last.textOrEmpty());
      }
      String text = last.textOrEmpty();
      List<ToolCall> calls = new ArrayList<>();
      if (text.contains("bill ")) {
        String customer = text.substring(text.indexOf("bill ") + 5).split(" ")[0];
        ObjectNode args =
            f.objectNode().put("customer", customer).put("amount", customer.length() * 10);
        calls.add(ToolCall.of(id + "charge", "chargeCard", args));
      }
      if (text.contains("look up ")) {
        calls.add(
            ToolCall.of(
                id + "lookup",
                "lookup",
                f.objectNode().put("q", text.substring(text.indexOf("look up ") + 8))));
      }
      return calls.isEmpty()
          ? ChatResponse.ofText("answer to " + text)
          : ChatResponse.ofToolCalls(calls.toArray(new ToolCall[0]));
    }

    private static boolean asksForTools(String text) {
      return text.contains("bill ") || text.contains("look up ");
    }

    @Override
    public String name() {
      return "last-message";
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void forksAtEveryVersionNeverRepeatAnEffectNorAskForARecordedResponse(long seed) {
    Seeds.print(ForkPropertyTest.class, seed);
    Random random = new Random(seed);
    FakeClock clock = Fixtures.clock();
    AtomicInteger charges = new AtomicInteger();
    AtomicInteger lookups = new AtomicInteger();
    AtomicBoolean parentPhase = new AtomicBoolean(true);
    List<Runnable> duringCharge = new ArrayList<>();
    AgentTool chargeCard =
        AgentTool.builder("chargeCard")
            .description("Charges a card")
            .idempotent(false)
            .handler(
                (args, ctx) -> {
                  if (parentPhase.get() && !duringCharge.isEmpty()) {
                    duringCharge.remove(0).run();
                  }
                  if (args.path("customer").asString().equals("declined")) {
                    throw new IllegalStateException("card declined");
                  }
                  return "receipt-" + charges.incrementAndGet();
                })
            .build();
    AgentTool lookup =
        AgentTool.builder("lookup")
            .description("Looks up")
            .idempotent(true)
            .handler(
                (args, ctx) ->
                    "found " + args.path("q").asString() + " #" + lookups.incrementAndGet())
            .build();
    LastMessageModel model = new LastMessageModel();
    Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .model("default", model)
            .tool(chargeCard)
            .tool(lookup)
            .agent(
                AgentSpec.builder("biller")
                    .instructions("Bill.")
                    .tools("chargeCard", "lookup")
                    .build())
            .agent(AgentSpec.builder("plain").instructions("Answer.").build())
            .build();
    Sessions sessions =
        Sessions.builder(mesh)
            .store(InMemorySessionStore.create())
            .executor(Runnable::run)
            .clock(clock)
            .nodeId("live")
            .build();

    Session parent =
        sessions
            .newSession("biller")
            .input(pick(random))
            .participant("ana", ParticipantRole.OWNER)
            .start();
    int turns = 1 + random.nextInt(4);
    for (int i = 0; i < turns; i++) {
      if (random.nextInt(3) == 0) {
        String text = pick(random); // posted while a charge runs: answered by the next turn
        duringCharge.add(() -> sessions.session(parent.id()).post("ana", text));
      }
      clock.advance(java.time.Duration.ofSeconds(1));
      if (random.nextInt(5) == 0) {
        sessions.session(parent.id()).postTo("ana", "plain", pick(random));
      } else {
        sessions.session(parent.id()).post("ana", pick(random));
      }
    }
    parentPhase.set(false);
    assertThat(parent.state().status())
        .as("seed %d: the parent settles", seed)
        .isEqualTo(SessionStatus.COMPLETED);
    int parentCharges = charges.get();
    List<LoggedEvent> parentLog = parent.history();

    List<String> forks = new ArrayList<>();
    for (long version = 1; version <= parentLog.size(); version++) {
      String fork = forkAndSettle(sessions, model, parent.id(), version, seed);
      assertThat(charges)
          .as("seed %d: charges after the fork at %d: %s", seed, version, types(sessions, fork))
          .hasValue(parentCharges);
      forks.add(fork);
      if (random.nextInt(4) == 0) {
        long again = 1 + random.nextInt((int) sessions.session(fork).state().version());
        String forkOfFork = forkAndSettle(sessions, model, fork, again, seed);
        assertThat(charges)
            .as(
                "seed %d: charges after forking that fork at %d: %s; that fork: %s",
                seed, again, types(sessions, forkOfFork), types(sessions, fork))
            .hasValue(parentCharges);
      }
    }

    assertThat(charges)
        .as("seed %d: charges after forking %d versions (and some forks)", seed, parentLog.size())
        .hasValue(parentCharges);
  }

  /**
   * Forks {@code id} at {@code version}, checks what the fork did, answers its questions, and
   * checks it completes.
   */
  private static String forkAndSettle(
      Sessions sessions, LastMessageModel model, String id, long version, long seed) {
    model.requests.clear();
    Session fork = sessions.session(id).fork(version);
    String where = "seed " + seed + ", fork of " + id + " at " + version;
    List<LoggedEvent> log = fork.history();
    int forkedAt = indexOfForked(log);
    Set<List<ChatMessage>> answered = answeredConversations(log.subList(0, forkedAt + 1));
    assertThat(model.requests)
        .as("%s: model requests for responses its log holds", where)
        .noneMatch(answered::contains);

    SessionState state = fork.state();
    assertThat(state.status()).as("%s", where).isIn(SessionStatus.COMPLETED, SessionStatus.WAITING);
    for (int round = 0; state.status() == SessionStatus.WAITING; round++) {
      assertThat(round).as("%s: questions keep coming", where).isLessThan(10);
      assertThat(state.waits()).as("%s", where).isEmpty();
      assertThat(state.unknownOutcomes())
          .as("%s: waits only on questions about parent calls", where)
          .isNotEmpty()
          .allSatisfy(u -> assertThat(u.parentCallId()).isNotNull());
      SessionState.UnknownOutcome question = state.unknownOutcomes().get(0);
      assertThat(question.parentResult())
          .as("%s: the parent's result is offered", where)
          .isNotNull();
      sessions
          .session(fork.id())
          .resolveUnknownOutcome(question.callId(), question.parentResult(), "ana");
      state = sessions.session(fork.id()).state();
    }
    assertThat(state.status()).as("%s", where).isEqualTo(SessionStatus.COMPLETED);
    List<SessionEvent> events = new ArrayList<>();
    fork.history().forEach(e -> events.add(e.event()));
    assertThat(SessionFold.replay(fork.id(), events).snapshot())
        .as("%s: live state equals the replayed log", where)
        .isEqualTo(state);
    return fork.id();
  }

  /**
   * The log in short, with what matters here spelled out: calls' arguments, posts, fork records,
   * questions.
   */
  private static List<String> types(Sessions sessions, String id) {
    List<String> types = new ArrayList<>();
    sessions
        .session(id)
        .history()
        .forEach(
            e ->
                types.add(
                    e.event() instanceof SessionEvent.AgentStep step
                            && step.event() instanceof AgentEvent.ToolCalled called
                        ? "tool.called " + called.call().arguments()
                        : e.event() instanceof SessionEvent.MessagePosted posted
                            ? "posted " + posted.text()
                            : e.event() instanceof SessionEvent.Forked
                                    || e.event() instanceof SessionEvent.ToolOutcomeUnknown
                                ? e.event().toString()
                                : e.event().type()));
    return types;
  }

  private static int indexOfForked(List<LoggedEvent> log) {
    for (int i = log.size() - 1; i >= 0; i--) {
      if (log.get(i).event() instanceof SessionEvent.Forked) {
        return i;
      }
    }
    throw new AssertionError("no session.forked in " + log);
  }

  /**
   * Every conversation the log's model responses answered: the transcript before each assistant
   * message.
   */
  private static Set<List<ChatMessage>> answeredConversations(List<LoggedEvent> prefix) {
    SessionFold fold =
        SessionFold.replay("prefix", prefix.stream().map(LoggedEvent::event).toList());
    List<ChatMessage> transcript = fold.snapshot().transcript();
    Set<List<ChatMessage>> answered = new HashSet<>();
    for (int i = 0; i < transcript.size(); i++) {
      if (transcript.get(i).role() == ChatMessage.Role.ASSISTANT) {
        answered.add(List.copyOf(transcript.subList(0, i)));
      }
    }
    return answered;
  }

  private static String pick(Random random) {
    return TEXTS[random.nextInt(TEXTS.length)];
  }
}
