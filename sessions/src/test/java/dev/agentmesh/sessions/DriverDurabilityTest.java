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
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** How a driver behaves when its store, its lease or its agents fail part-way through a turn. */
class DriverDurabilityTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Fixtures.MutableClock clock = new Fixtures.MutableClock();
  private final InMemorySessionStore store = new InMemorySessionStore();

  private Sessions sessions(Mesh mesh, SessionStore on, String node) {
    return Sessions.builder(mesh).store(on).executor(Runnable::run).clock(clock).nodeId(node).build();
  }

  /** A model that answers each agent by a function of the conversation's last message. */
  static ChatModel model(Map<String, Function<ChatMessage, ChatResponse>> byAgent) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        return byAgent.get(request.metadata().get("agent")).apply(messages.get(messages.size() - 1));
      }

      @Override
      public String name() {
        return "scripted";
      }
    };
  }

  static ChatResponse call(String tool, String argumentName, String argument) {
    return ChatResponse.ofToolCalls(ToolCall.of("call-" + tool, tool,
        JsonNodeFactory.instance.objectNode().put(argumentName, argument)));
  }

  static boolean resultOf(ChatMessage last, String tool) {
    return last.role() == ChatMessage.Role.TOOL && tool.equals(last.toolName());
  }

  static long count(List<LoggedEvent> log, Class<? extends AgentEvent> type, String agent) {
    return log.stream().filter(e -> e.event() instanceof SessionEvent.AgentStep step
        && type.isInstance(step.event()) && step.event().agent().equals(agent)).count();
  }

  static long toolCalls(List<LoggedEvent> log, String tool) {
    return log.stream().filter(e -> e.event() instanceof SessionEvent.AgentStep step
        && step.event() instanceof AgentEvent.ToolCalled called && called.call().name().equals(tool)).count();
  }

  /**
   * Boss asks two child agents at once; "helper" waits in its model call until the store has
   * refused an append of "child", then charges.
   */
  private Mesh bossWithTwoChildren(AtomicInteger charges, CountDownLatch storeFailed) {
    ChatModel model = model(Map.of(
        "boss", last -> last.role() == ChatMessage.Role.USER
            ? ChatResponse.ofToolCalls(ToolCall.of("call-child", "child", input("look it up")),
                ToolCall.of("call-helper", "helper", input("bill them")))
            : ChatResponse.ofText("boss done"),
        "child", last -> ChatResponse.ofText("child found it"),
        "helper", last -> {
          if (resultOf(last, "charge")) {
            return ChatResponse.ofText("helper charged");
          }
          await(storeFailed);
          return call("charge", "amount", "10");
        }));
    return Mesh.builder().clock(clock).model("default", model)
        .tool(Fixtures.tool("charge", false, charges))
        .agent(AgentSpec.builder("boss").instructions("Delegate.").agents("child", "helper").build())
        .agent(AgentSpec.builder("child").instructions("Look things up.").build())
        .agent(AgentSpec.builder("helper").instructions("Charge.").tools("charge").build())
        .build();
  }

  static tools.jackson.databind.JsonNode input(String text) {
    return JsonNodeFactory.instance.objectNode().put("input", text);
  }

  static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aStoreFailureInOneChildRunStopsItsSiblingBeforeItRunsAToolUnrecorded() {
    AtomicInteger charges = new AtomicInteger();
    FailingStore failing = new FailingStore(store, FailingStore.step("agent.output.produced", "child"), 1);
    Mesh mesh = bossWithTwoChildren(charges, failing.failed);
    Sessions broken = sessions(mesh, failing, "broken");

    SessionHandle session = broken.create("boss").id("s-child-fails").input("bill the customer").start();

    assertThat(charges).as("charges that ran after the store failed").hasValue(0);
    assertThat(toolCalls(session.history(), "charge")).isZero();
    assertThat(session.state().status()).isIn(SessionStatus.RUNNING, SessionStatus.WAITING, SessionStatus.FAILED);

    Sessions healthy = sessions(mesh, store, "healthy");
    healthy.tick();
    SessionState settled = session.awaitSettled(WAIT);

    assertThat(settled.status()).isIn(SessionStatus.COMPLETED, SessionStatus.WAITING);
    assertThat((long) charges.get()).as("every charge that ran is in the log")
        .isEqualTo(toolCalls(healthy.history(session.id()), "charge"));
    assertThat(charges.get()).isLessThanOrEqualTo(1);
  }
}
