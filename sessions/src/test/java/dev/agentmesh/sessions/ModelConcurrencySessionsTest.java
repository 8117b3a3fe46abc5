package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelConcurrencySessionsTest {

  /** Answers once the test lets it, counting how many calls run at once. */
  static final class HeldModel implements ChatModel {
    final Semaphore answers = new Semaphore(0);
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ChatResponse chat(ChatRequest request) {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      calls.incrementAndGet();
      try {
        answers.acquireUninterruptibly();
        return ChatResponse.ofText("done: " + request.lastUserText());
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Waits until {@code condition} holds; fails after ten seconds. */
  private static void await(String what, java.util.function.BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(10), condition);
  }

  @Test
  void sessionsOfALimitedAliasCallTheModelOneAtATimeAndLogHowLongTheyWaited() {
    HeldModel model = new HeldModel();
    Mesh mesh =
        Mesh.builder()
            .agent(AgentSpec.builder("writer").instructions("Write.").build())
            .model("default", model)
            .modelConcurrency("default", 1)
            .build();
    try (mesh;
        Sessions sessions = Sessions.builder(mesh).build()) {
      List<Session> started = new ArrayList<>();
      for (int i = 0; i < 5; i++) started.add(sessions.newSession("writer").input("t" + i).start());
      for (int answered = 0; answered < 5; answered++) {
        int calls = answered + 1;
        await("call " + calls + " in flight", () -> model.calls.get() == calls);
        model.answers.release();
      }
      for (Session session : started) {
        SessionState state = session.awaitFinished(Duration.ofSeconds(30));
        assertThat(state.status()).isEqualTo(SessionStatus.COMPLETED);
        List<AgentEvent.ModelCalled> called = new ArrayList<>();
        for (LoggedEvent logged : session.history()) {
          if (logged.event() instanceof SessionEvent.AgentStep
              && ((SessionEvent.AgentStep) logged.event()).event()
                  instanceof AgentEvent.ModelCalled) {
            called.add((AgentEvent.ModelCalled) ((SessionEvent.AgentStep) logged.event()).event());
          }
        }
        assertThat(called)
            .singleElement()
            .satisfies(c -> assertThat(c.waited().isNegative()).isFalse());
      }
      assertThat(model.maxInFlight.get()).isEqualTo(1);
    }
  }
}
