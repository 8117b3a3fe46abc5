package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** What a fork does at each kind of fork point, on the in-memory store, driven on the calling thread. */
class ForkTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Fixtures.MutableClock clock = new Fixtures.MutableClock();
  private final InMemorySessionStore store = new InMemorySessionStore();
  private final AtomicInteger charges = new AtomicInteger();
  private final ChargeModel model = new ChargeModel();

  /**
   * The tester's stub: after a user message it asks to charge the card, after a tool result it
   * answers, and after its own answer (a conversation it should never be asked about) it asks
   * to charge again.
   */
  static final class ChargeModel implements ChatModel {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      List<ChatMessage> messages = request.messages();
      ChatMessage last = messages.get(messages.size() - 1);
      if (last.role() == ChatMessage.Role.TOOL) {
        return ChatResponse.ofText("charged: " + last.textOrEmpty());
      }
      return ChatResponse.ofToolCalls(ToolCall.of("call-" + messages.size(), "chargeCard",
          JsonNodeFactory.instance.objectNode().put("card", "4242").put("amount", 42)));
    }

    @Override
    public String name() {
      return "charge-stub";
    }
  }

  private Sessions sessions() {
    AgentTool chargeCard = AgentTool.builder("chargeCard").description("Charges a card")
        .handler((args, ctx) -> "receipt-" + charges.incrementAndGet()).build();
    Mesh mesh = Mesh.builder().clock(clock).model("default", model).tool(chargeCard)
        .agent(AgentSpec.builder("biller").instructions("Bill.").tools("chargeCard").build()).build();
    return Sessions.builder(mesh).store(store).executor(Runnable::run).clock(clock).nodeId("a").build();
  }

  @Test
  void forkingTheChargeSessionAtEveryVersionNeverChargesTheCardAgain() {
    Sessions sessions = sessions();
    SessionHandle parent = sessions.create("biller").input("bill 42").start();
    parent.awaitCompletion(WAIT);
    List<LoggedEvent> parentLog = parent.history();
    assertThat(parentLog).hasSize(10);
    assertThat(charges).hasValue(1);

    List<String> outcomes = new ArrayList<>();
    for (long version = 1; version <= parentLog.size(); version++) {
      int modelCallsBefore = model.calls.get();
      SessionHandle fork = sessions.fork(parent.id(), version);
      SessionState state = fork.state();
      for (SessionState.UnknownOutcome question : state.unknownOutcomes()) {
        assertThat(question.parentResult()).isNotNull();
        state = sessions.resolveUnknownOutcome(fork.id(), question.callId(), question.parentResult(), "ana")
            .awaitCompletion(WAIT);
      }
      assertThat(state.status()).as("fork at %d", version).isEqualTo(SessionStatus.COMPLETED);
      outcomes.add(version + ":" + (model.calls.get() - modelCallsBefore) + ":" + state.output().asString());
    }

    assertThat(charges).as("charges after forking at every version").hasValue(1);
    assertThat(outcomes).containsExactly(
        "1:2:charged: receipt-1", "2:2:charged: receipt-1", "3:2:charged: receipt-1",
        "4:1:charged: receipt-1", "5:1:charged: receipt-1", "6:1:charged: receipt-1",
        "7:1:charged: receipt-1", "8:0:charged: receipt-1", "9:0:charged: receipt-1",
        "10:0:charged: receipt-1");
  }
}
