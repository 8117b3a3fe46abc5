package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.LimitExceededException;
import dev.agentmesh.core.Limits;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ModelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * A run's {@code limits.timeout} bounds its model calls through the real adapters: the HTTP call
 * still running at the deadline is cancelled, no retry follows, and the run fails with the limit.
 */
class RunTimeoutTest {

  @StartStop final MockWebServer server = new MockWebServer();

  static final Limits TWO_SECONDS = Limits.builder().timeout(Duration.ofSeconds(2)).build();

  ChatModel openAi() {
    return OpenAiChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey("sk-test-timeout-123456")
        .model("gpt-4.1-mini")
        .build(); // default retries: 3 attempts
  }

  ChatModel anthropic() {
    return AnthropicChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey("sk-ant-test-timeout-123456")
        .model("claude-sonnet-4-5")
        .build();
  }

  Mesh mesh(ChatModel model, AgentSpec... specs) {
    return Mesh.builder().agents(java.util.List.of(specs)).model("default", model).build();
  }

  static MockResponse slowHeaders() {
    return new MockResponse.Builder(Fixtures.okFixture("openai/chat-completion-text.json"))
        .headersDelay(6, TimeUnit.SECONDS)
        .build();
  }

  @Test
  void aSlowOpenAiServerFailsTheRunAtItsTimeoutWithOneRequest() {
    server.enqueue(slowHeaders());
    server.enqueue(
        Fixtures.okFixture("openai/chat-completion-text.json")); // a retry would get this
    try (Mesh mesh =
        mesh(
            openAi(),
            AgentSpec.builder("triage").instructions("Triage.").limits(TWO_SECONDS).build())) {

      LimitExceededException e =
          catchThrowableOfType(
              LimitExceededException.class, () -> mesh.agent("triage").call("Invoice wrong"));

      assertThat(e.limit()).isEqualTo(LimitExceededException.Limit.TIMEOUT);
      assertThat(e.getMessage())
          .isEqualTo(
              "Agent 'triage' ran longer than its timeout of 2s while waiting for model "
                  + "'openai:gpt-4.1-mini'. Raise limits.timeout in its spec, or use a faster model.");
      assertThat(e.getCause()).isInstanceOf(ModelException.class);
      assertThat(((ModelException) e.getCause()).kind()).isEqualTo(ModelException.Kind.TIMEOUT);
      assertThat(e.getCause().getMessage())
          .startsWith("Model openai:gpt-4.1-mini did not answer within the ")
          .endsWith(
              " ms left before its caller's deadline; the call was cancelled while waiting for the response");
      assertThat(server.getRequestCount()).as("no attempt after the deadline").isEqualTo(1);
    }
  }

  @Test
  void aSlowAnthropicBodyFailsTheRunAtItsTimeoutWithOneRequest() {
    server.enqueue(
        new MockResponse.Builder(Fixtures.okFixture("anthropic/message-text.json"))
            .bodyDelay(6, TimeUnit.SECONDS)
            .build());
    server.enqueue(Fixtures.okFixture("anthropic/message-text.json"));
    try (Mesh mesh =
        mesh(
            anthropic(),
            AgentSpec.builder("triage").instructions("Triage.").limits(TWO_SECONDS).build())) {

      LimitExceededException e =
          catchThrowableOfType(
              LimitExceededException.class, () -> mesh.agent("triage").call("Invoice wrong"));

      assertThat(e.getMessage())
          .isEqualTo(
              "Agent 'triage' ran longer than its timeout of 2s while waiting for model "
                  + "'anthropic:claude-sonnet-4-5'. Raise limits.timeout in its spec, or use a faster model.");
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void anAsyncCallFailsTheSameWay() {
    server.enqueue(slowHeaders());
    try (Mesh mesh =
        mesh(
            openAi(),
            AgentSpec.builder("triage").instructions("Triage.").limits(TWO_SECONDS).build())) {

      CompletionException e =
          catchThrowableOfType(
              CompletionException.class,
              () -> mesh.agent("triage").callAsync("Invoice wrong").join());

      assertThat(e.getCause())
          .isInstanceOf(LimitExceededException.class)
          .hasMessageStartingWith(
              "Agent 'triage' ran longer than its timeout of 2s while waiting for model 'openai:gpt-4.1-mini'");
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void aChildAgentsModelCallIsBoundedByItsParentsDeadline() {
    server.enqueue(
        Fixtures.ok(
            ProviderWire.openAi(
                dev.agentmesh.core.spi.ChatResponse.ofToolCalls(
                    dev.agentmesh.core.spi.ToolCall.of(
                        "call_1", "researcher", Fixtures.json("{\"input\":\"dig\"}"))))));
    server.enqueue(slowHeaders()); // the child's call
    AgentSpec parent =
        AgentSpec.builder("lead")
            .instructions("Delegate.")
            .agents("researcher")
            .limits(TWO_SECONDS)
            .build();
    AgentSpec child =
        AgentSpec.builder("researcher")
            .instructions("Research.")
            .build(); // its own timeout: 5 minutes
    try (Mesh mesh = mesh(openAi(), parent, child)) {

      LimitExceededException e =
          catchThrowableOfType(LimitExceededException.class, () -> mesh.agent("lead").call("Go"));

      assertThat(e.agent()).isEqualTo("lead");
      assertThat(e.getMessage())
          .isEqualTo(
              "Agent 'lead' ran longer than its timeout of 2s while waiting for model "
                  + "'openai:gpt-4.1-mini' of agent 'researcher'. Raise limits.timeout in its spec, or use a faster model.");
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  void aRetryThatCouldNotStartBeforeTheDeadlineIsNotWaitedFor() {
    server.enqueue(
        new MockResponse.Builder()
            .code(503)
            .addHeader("Retry-After", "30")
            .body(Fixtures.text("openai/error-429.json"))
            .build());
    try (Mesh mesh =
        mesh(
            openAi(),
            AgentSpec.builder("triage").instructions("Triage.").limits(TWO_SECONDS).build())) {

      ModelException e =
          catchThrowableOfType(
              ModelException.class, () -> mesh.agent("triage").call("Invoice wrong"));

      assertThat(e.kind()).isEqualTo(ModelException.Kind.OVERLOADED);
      assertThat(e.getMessage())
          .contains(
              "(gave up after 1 attempt: waiting 30000 ms would pass the caller's deadline, ");
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }
}
