package dev.agentmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.LimitExceededException;
import dev.agentmesh.core.Limits;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code limits.timeout} bounds model calls, even of a model that ignores interrupts: the thread
 * driving the run stops waiting at the deadline and the run fails with the limit.
 */
class RunDeadlineTest {

  static final Limits SHORT = Limits.builder().timeout(Duration.ofSeconds(2)).build();

  final CountDownLatch release = new CountDownLatch(1);
  final List<ChatRequest> seen = new CopyOnWriteArrayList<>();

  /** Blocks until released, swallowing every interrupt. */
  final ChatModel stubborn =
      request -> {
        seen.add(request);
        boolean interrupted = false;
        while (release.getCount() > 0) {
          try {
            release.await();
          } catch (InterruptedException ignored) {
            interrupted = true;
          }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return ChatResponse.ofText("too late");
      };

  @AfterEach
  void releaseTheModel() {
    release.countDown();
  }

  Mesh mesh(ChatModel model, AgentSpec... specs) {
    return Mesh.builder().agents(List.of(specs)).model("default", model).build();
  }

  @Test
  void aModelThatIgnoresInterruptsCannotHoldARunPastItsTimeout() {
    try (Mesh mesh =
        mesh(stubborn, AgentSpec.builder("s").instructions("Go.").limits(SHORT).build())) {

      LimitExceededException e =
          catchThrowableOfType(LimitExceededException.class, () -> mesh.agent("s").call("go"));

      assertThat(e.limit()).isEqualTo(LimitExceededException.Limit.TIMEOUT);
      assertThat(e.getMessage())
          .isEqualTo(
              "Agent 's' ran longer than its timeout of 2s while waiting for model "
                  + "'"
                  + stubborn.name()
                  + "'. Raise limits.timeout in its spec, or use a faster model.");
      assertThat(Thread.currentThread().isInterrupted())
          .as("the caller's thread is left as it was")
          .isFalse();
    }
  }

  @Test
  void theRequestCarriesTheTimeLeft() {
    ScriptedModel model = ScriptedModel.builder().text("ok").build();
    try (Mesh mesh =
        mesh(model, AgentSpec.builder("s").instructions("Go.").limits(SHORT).build())) {
      mesh.agent("s").call("go");
    }

    assertThat(model.lastRequest().timeout())
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anAsyncRunFailsTheSameWay() {
    try (Mesh mesh =
        mesh(stubborn, AgentSpec.builder("s").instructions("Go.").limits(SHORT).build())) {

      CompletionException e =
          catchThrowableOfType(
              CompletionException.class, () -> mesh.agent("s").callAsync("go").join());

      assertThat(e.getCause())
          .isInstanceOf(LimitExceededException.class)
          .hasMessageStartingWith(
              "Agent 's' ran longer than its timeout of 2s while waiting for model");
    }
  }

  @Test
  void aChildsModelCallEndsAtItsParentsDeadline() {
    ChatModel model =
        request ->
            request.metadata().get("agent").equals("lead")
                ? ChatResponse.ofToolCalls(
                    ToolCall.of(
                        "c1", "helper", JsonMapper.builder().build().readTree("{\"input\":\"x\"}")))
                : stubborn.chat(request);
    AgentSpec lead =
        AgentSpec.builder("lead").instructions("Delegate.").agents("helper").limits(SHORT).build();
    AgentSpec helper =
        AgentSpec.builder("helper").instructions("Help.").build(); // its own timeout: 5 minutes
    try (Mesh mesh = mesh(model, lead, helper)) {

      LimitExceededException e =
          catchThrowableOfType(LimitExceededException.class, () -> mesh.agent("lead").call("go"));

      assertThat(e.agent()).isEqualTo("lead");
      assertThat(e.getMessage()).startsWith("Agent 'lead' ran longer than its timeout of 2s");
      assertThat(seen)
          .singleElement()
          .satisfies(r -> assertThat(r.timeout()).isLessThanOrEqualTo(Duration.ofSeconds(2)));
    }
  }

  @Test
  void aModelThatClaimsToHonourTheTimeoutButBlocksIsInterruptedAfterTheGrace() {
    ChatModel claims =
        new ChatModel() {
          @Override
          public ChatResponse chat(ChatRequest request) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new dev.agentmesh.core.spi.ModelException(
                  dev.agentmesh.core.spi.ModelException.Kind.UNKNOWN, name(), "interrupted");
            }
            return ChatResponse.ofText("too late");
          }

          @Override
          public boolean honoursTimeout() {
            return true;
          }
        };
    try (Mesh mesh =
        mesh(claims, AgentSpec.builder("s").instructions("Go.").limits(SHORT).build())) {

      LimitExceededException e =
          catchThrowableOfType(LimitExceededException.class, () -> mesh.agent("s").call("go"));

      assertThat(e.getMessage())
          .startsWith("Agent 's' ran longer than its timeout of 2s while waiting for model");
      assertThat(e.getCause()).hasMessage("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }
}
