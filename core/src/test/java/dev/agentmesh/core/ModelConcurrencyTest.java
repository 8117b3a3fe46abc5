package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.testsupport.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelConcurrencyTest {

  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  /**
   * A model whose calls wait until the test lets them answer, counting how many run at once. It
   * answers with the user's text, and records the order calls reached it.
   */
  static final class HeldModel implements ChatModel {
    final Semaphore answers = new Semaphore(0);
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final List<String> order = Collections.synchronizedList(new ArrayList<>());
    private final boolean honoursTimeout;

    HeldModel(boolean honoursTimeout) {
      this.honoursTimeout = honoursTimeout;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      order.add(request.lastUserText());
      try {
        answers.acquireUninterruptibly();
        return ChatResponse.ofText(request.lastUserText());
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public boolean honoursTimeout() {
      return honoursTimeout;
    }

    @Override
    public String name() {
      return "held";
    }
  }

  private static Mesh mesh(ChatModel model, int limit, AgentListener listener) {
    return Mesh.builder()
        .agent(AgentSpec.builder("writer").instructions("Write.").build())
        .agent(
            AgentSpec.builder("hasty")
                .instructions("Write.")
                .limits(Limits.builder().timeout(Duration.ofMillis(50)).build())
                .build())
        .model("default", model)
        .modelConcurrency("default", limit)
        .listener(listener)
        // A clock that stands still: only the wait for a permit (real time) can use up a run's
        // time, however slowly a loaded machine gets the run to its model call.
        .clock(Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC))
        .build();
  }

  private Future<AgentResult> call(Mesh mesh, String agent, String input) {
    return callers.submit(() -> mesh.agent(agent).call(AgentRequest.builder(input).build()));
  }

  /** Waits until {@code condition} holds; fails after ten seconds. */
  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(10), condition);
  }

  @ParameterizedTest(name = "model honours its timeout: {0}")
  @ValueSource(booleans = {true, false})
  void noMoreCallsRunAtOnceThanTheAliasAllows(boolean honoursTimeout) throws Exception {
    HeldModel model = new HeldModel(honoursTimeout);
    try (Mesh mesh = mesh(model, 3, e -> {})) {
      List<Future<AgentResult>> runs = new ArrayList<>();
      for (int i = 0; i < 20; i++) runs.add(call(mesh, "writer", "task " + i));
      ModelGate gate = mesh.gate("default");
      for (int answered = 0; answered < 20; answered++) {
        int left = 20 - answered;
        await(
            Math.min(3, left) + " calls in flight",
            () -> model.inFlight.get() == Math.min(3, left));
        assertThat(gate.inFlight()).isLessThanOrEqualTo(3);
        model.answers.release();
      }
      for (Future<AgentResult> run : runs)
        assertThat(run.get(10, TimeUnit.SECONDS).output()).isNotNull();
      assertThat(model.maxInFlight.get()).isEqualTo(3);
      await("every permit given back", () -> gate.inFlight() == 0);
    }
  }

  @Test
  void waitingCallsAreServedInTheOrderTheyArrived() throws Exception {
    HeldModel model = new HeldModel(true);
    try (Mesh mesh = mesh(model, 1, e -> {})) {
      ModelGate gate = mesh.gate("default");
      List<Future<AgentResult>> runs = new ArrayList<>();
      runs.add(call(mesh, "writer", "first"));
      await("the first call holds the permit", () -> model.inFlight.get() == 1);
      for (int i = 0; i < 10; i++) {
        runs.add(call(mesh, "writer", "queued " + i));
        int queued = i + 1;
        await(queued + " calls queued", () -> gate.waiting() == queued);
      }
      model.answers.release(11);
      for (Future<AgentResult> run : runs) run.get(10, TimeUnit.SECONDS);
      List<String> expected = new ArrayList<>(List.of("first"));
      for (int i = 0; i < 10; i++) expected.add("queued " + i);
      assertThat(model.order).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aCallThatGetsNoPermitBeforeItsDeadlineFailsNamingTheAliasAndItsLimit() throws Exception {
    HeldModel model = new HeldModel(true);
    ConcurrentLinkedQueue<AgentEvent> events = new ConcurrentLinkedQueue<>();
    try (Mesh mesh = mesh(model, 1, events::add)) {
      Future<AgentResult> holder = call(mesh, "writer", "holder");
      await("the first call holds the permit", () -> model.inFlight.get() == 1);

      assertThatThrownBy(() -> mesh.agent("hasty").call("too late"))
          .isInstanceOf(LimitExceededException.class)
          .hasMessageContaining(
              "ran longer than its timeout of 50ms while waiting for one of the 1 permits of"
                  + " model alias 'default' (model 'held'; every permit was in use by other calls)")
          .hasMessageEndingWith(
              "Raise limits.timeout in its spec, or raise the alias's limit in"
                  + " Mesh.builder().modelConcurrency(\"default\", 1).")
          .satisfies(
              e ->
                  assertThat(((LimitExceededException) e).limit())
                      .isEqualTo(LimitExceededException.Limit.TIMEOUT));
      assertThat(model.order).containsExactly("holder");
      assertThat(events)
          .filteredOn(e -> e.agent().equals("hasty"))
          .extracting(AgentEvent::type)
          .containsExactly("run.started", "run.failed");

      model.answers.release();
      holder.get(10, TimeUnit.SECONDS);
      assertThat(mesh.gate("default").inFlight()).isZero();
    }
  }

  @Test
  void theModelCalledEventSaysHowLongTheCallWaitedForItsPermit() throws Exception {
    HeldModel model = new HeldModel(true);
    ConcurrentLinkedQueue<AgentEvent.ModelCalled> called = new ConcurrentLinkedQueue<>();
    AgentListener listener =
        e -> {
          if (e instanceof AgentEvent.ModelCalled) called.add((AgentEvent.ModelCalled) e);
        };
    try (Mesh mesh = mesh(model, 1, listener)) {
      Future<AgentResult> first = call(mesh, "writer", "first");
      await("the first call holds the permit", () -> model.inFlight.get() == 1);
      Future<AgentResult> second = call(mesh, "writer", "second");
      await("the second call queues", () -> mesh.gate("default").waiting() == 1);
      model.answers.release(2);
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
    }
    List<AgentEvent.ModelCalled> inOrder = new ArrayList<>(called);
    assertThat(inOrder).hasSize(2);
    assertThat(inOrder.get(1).waited()).isPositive().isGreaterThan(inOrder.get(0).waited());
  }

  @Test
  void aListenerThatStopsTheRunBeforeTheCallGivesThePermitBack() throws Exception {
    HeldModel model = new HeldModel(true);
    AgentListener stopper =
        e -> {
          if (e instanceof AgentEvent.ModelCalled) {
            throw new dev.agentmesh.core.internal.turn.StopRun("stop before the call");
          }
        };
    try (Mesh mesh = mesh(model, 1, stopper)) {
      assertThat(mesh.agent("writer").call(AgentRequest.builder("a").build()).output()).isNull();
      assertThat(mesh.agent("writer").call(AgentRequest.builder("b").build()).output()).isNull();
      assertThat(mesh.gate("default").inFlight()).isZero();
      assertThat(model.order).isEmpty();
    }
  }

  @Test
  void aMeshWithoutLimitsHasNoGate() {
    try (Mesh mesh =
        Mesh.builder()
            .agent(AgentSpec.builder("writer").instructions("Write.").build())
            .model("default", MeshTest.ECHO)
            .build()) {
      assertThat(mesh.gate("default")).isNull();
      AgentEvent.ModelCalled[] called = new AgentEvent.ModelCalled[1];
      mesh.agent("writer")
          .call(
              AgentRequest.builder("hi")
                  .listener(
                      e -> {
                        if (e instanceof AgentEvent.ModelCalled) {
                          called[0] = (AgentEvent.ModelCalled) e;
                        }
                      })
                  .build());
      assertThat(called[0].waited()).isZero();
    }
  }

  @Test
  void aLimitOutOfRangeIsRefusedWhenSet() {
    assertThatThrownBy(() -> Mesh.builder().modelConcurrency("default", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("modelConcurrency of alias 'default' must be between 1 and 100000 but was 0");
  }

  @Test
  void aLimitOnAnUnboundAliasIsRefusedByBuild() {
    Mesh.Builder builder =
        Mesh.builder()
            .agent(AgentSpec.builder("writer").instructions("Write.").build())
            .model("default", MeshTest.ECHO)
            .modelConcurrency("defualt", 8);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "modelConcurrency(\"defualt\", ...) limits a model alias that no model is bound to"
                + " (did you mean 'default'?). Bound aliases: [default]. Bind it with"
                + " model(\"defualt\", model), or remove the limit");
  }
}
