package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ModelException.Kind;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fault injection: each failure class, the retry policy, Retry-After and reset headers. */
class FailureHandlingTest {

  @StartStop final MockWebServer server = new MockWebServer();

  /** A clock that only the sleeper moves, so retries take no real time. */
  final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));

  final List<Duration> slept = new ArrayList<>();

  RetryPolicy.Builder retries() {
    return RetryPolicy.builder()
        .clock(clock)
        .random(() -> 1.0)
        .sleeper(
            d -> {
              slept.add(d);
              clock.advance(d);
            });
  }

  ChatModel openAi(RetryPolicy policy) {
    return OpenAiChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey("sk-test-failures-123456")
        .model("gpt-4.1-mini")
        .retryPolicy(policy)
        .readTimeout(Duration.ofMillis(200))
        .build();
  }

  ChatModel anthropic(RetryPolicy policy) {
    return AnthropicChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey("sk-ant-test-failures-123456")
        .model("claude-sonnet-4-5")
        .retryPolicy(policy)
        .readTimeout(Duration.ofMillis(200))
        .build();
  }

  static ChatRequest request() {
    return ChatRequest.builder().addMessage(ChatMessage.user("Invoice wrong")).build();
  }

  ModelException failure(ChatModel model) {
    return catchThrowableOfType(ModelException.class, () -> model.chat(request()));
  }

  @ParameterizedTest(name = "OpenAI HTTP {0} is {1}")
  @CsvSource({
    "400,BAD_REQUEST",
    "401,AUTHENTICATION",
    "403,AUTHENTICATION",
    "404,MODEL_NOT_FOUND",
    "413,BAD_REQUEST",
    "422,BAD_REQUEST",
    "429,RATE_LIMITED",
    "500,SERVER_ERROR",
    "502,SERVER_ERROR",
    "503,OVERLOADED",
    "504,SERVER_ERROR"
  })
  void openAiStatusesAreClassified(int status, Kind kind) {
    server.enqueue(Fixtures.status(status, Fixtures.text("openai/error-404-model.json")));

    ModelException e = failure(openAi(RetryPolicy.none()));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.isRetryable()).isEqualTo(kind.isRetryable());
    assertThat(e.getMessage())
        .startsWith(
            "OpenAI-compatible server answered HTTP "
                + status
                + " for model openai:gpt-4.1-mini: The model `gpt-9` does not exist or you do not have access to it. [model_not_found]. ");
  }

  @Test
  void a408IsATimeoutThatOkHttpDoesNotRepeatBehindThePolicy() {
    server.enqueue(Fixtures.status(408, "{}"));
    server.enqueue(
        Fixtures.okFixture("openai/chat-completion-text.json")); // what a silent re-send would get

    ModelException e = failure(openAi(RetryPolicy.none()));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.status()).isEqualTo(408);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aRedirectIsNotFollowedAndSaysWhereItPoints() {
    server.enqueue(
        new MockResponse.Builder()
            .code(301)
            .addHeader("Location", "https://api.example.com/v1/chat/completions")
            .build());

    ModelException e = failure(openAi(retries().build()));

    assertThat(e.getMessage())
        .isEqualTo(
            "OpenAI-compatible server answered HTTP 301 for model openai:gpt-4.1-mini: (empty body). "
                + "The server redirects to https://api.example.com/v1/chat/completions; requests to a model are not re-sent to a "
                + "redirect, so set baseUrl to the address that answers");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void noRetryStartsOnceTheCallersDeadlineHasPassed() {
    server.enqueue(Fixtures.status(500, "{}"));
    server.enqueue(Fixtures.okFixture("openai/chat-completion-text.json"));
    ChatModel model =
        openAi(
            RetryPolicy.builder()
                .clock(clock)
                .random(() -> 0.1)
                .sleeper(d -> clock.advance(Duration.ofSeconds(10)))
                .build()); // the wait overran: the thread woke up late

    ModelException e =
        catchThrowableOfType(
            ModelException.class,
            () -> model.chat(request().toBuilder().timeout(Duration.ofSeconds(5)).build()));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage())
        .isEqualTo(
            "Model openai:gpt-4.1-mini was not called again after 1 attempt: its caller's deadline had passed");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aBackoffThatWouldEndAfterTheCallersDeadlineIsNotBegun() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "7")
            .body(Fixtures.text("openai/error-429.json"))
            .build());

    ModelException e =
        catchThrowableOfType(
            ModelException.class,
            () ->
                openAi(retries().build())
                    .chat(request().toBuilder().timeout(Duration.ofSeconds(5)).build()));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.getMessage())
        .endsWith(
            "(gave up after 1 attempt: waiting 7000 ms would pass the caller's deadline, 5000 ms away)");
    assertThat(slept).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "Anthropic HTTP {0} is {1}")
  @CsvSource({
    "400,BAD_REQUEST",
    "401,AUTHENTICATION",
    "403,AUTHENTICATION",
    "404,MODEL_NOT_FOUND",
    "413,BAD_REQUEST",
    "429,RATE_LIMITED",
    "500,SERVER_ERROR",
    "529,OVERLOADED"
  })
  void anthropicStatusesAreClassified(int status, Kind kind) {
    server.enqueue(Fixtures.status(status, Fixtures.text("anthropic/error-400.json")));

    ModelException e = failure(anthropic(RetryPolicy.none()));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.status()).isEqualTo(status);
  }

  @Test
  void anthropicBadRequestCarriesTheProvidersMessageTruncated() {
    server.enqueue(Fixtures.status(400, Fixtures.text("anthropic/error-400.json")));

    ModelException e = failure(anthropic(RetryPolicy.none()));

    assertThat(e.getMessage())
        .isEqualTo(
            "Anthropic answered HTTP 400 for model anthropic:claude-sonnet-4-5: "
                + "messages.1.content.0.tool_result: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x. "
                + "Each `tool_result` block must have a corresponding `tool_use` block in the previous message. "
                + "[invalid_request_error]. The provider rejected the request as invalid; fix what its message names");
  }

  @Test
  void quotaExhaustionIsNotRetried() {
    server.enqueue(
        Fixtures.status(
            429,
            "{\"error\":{\"message\":\"You exceeded your current quota.\","
                + "\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));

    ModelException e = failure(openAi(retries().build()));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void retriesRetryableFailuresThenSucceeds() {
    server.enqueue(Fixtures.status(500, "{}"));
    server.enqueue(Fixtures.status(503, "{}"));
    server.enqueue(Fixtures.okFixture("openai/chat-completion-text.json"));

    ChatModel model =
        openAi(retries().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).build());

    assertThat(model.chat(request()).text()).startsWith("Priority: high");
    // full jitter with random 1.0: the caps, 100 ms then 200 ms
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void nonRetryableFailuresFailFast() {
    server.enqueue(Fixtures.status(401, Fixtures.text("openai/error-401.json")));

    ModelException e = failure(openAi(retries().maxAttempts(5).build()));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void givesUpAfterMaxAttemptsAndSaysSo() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(Fixtures.status(500, "{\"error\":{\"message\":\"boom\"}}"));
    }

    ModelException e = failure(openAi(retries().maxAttempts(3).build()));

    assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
    assertThat(e.getMessage())
        .isEqualTo(
            "OpenAI-compatible server answered HTTP 500 for model openai:gpt-4.1-mini: "
                + "boom. The provider failed; retry later (gave up after 3 attempts: no attempts left (maxAttempts 3))");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void honoursRetryAfterSeconds() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "7")
            .body(Fixtures.text("openai/error-429.json"))
            .build());
    server.enqueue(Fixtures.okFixture("openai/chat-completion-text.json"));

    openAi(retries().initialBackoff(Duration.ofMillis(10)).build()).chat(request());

    assertThat(slept).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void honoursOpenAisResetHeaderOfTheExhaustedLimit() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("x-ratelimit-remaining-requests", "12")
            .addHeader("x-ratelimit-reset-requests", "1s")
            .addHeader("x-ratelimit-remaining-tokens", "0")
            .addHeader("x-ratelimit-reset-tokens", "6.5s")
            .body(Fixtures.text("openai/error-429.json"))
            .build());
    server.enqueue(Fixtures.okFixture("openai/chat-completion-text.json"));

    openAi(retries().initialBackoff(Duration.ofMillis(10)).build()).chat(request());

    assertThat(slept).containsExactly(Duration.ofMillis(6500));
  }

  @Test
  void honoursAnthropicsResetHeader() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("anthropic-ratelimit-requests-remaining", "0")
            .addHeader("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:12Z")
            .body(Fixtures.text("anthropic/error-429.json"))
            .build());
    server.enqueue(Fixtures.okFixture("anthropic/message-text.json"));

    anthropic(retries().initialBackoff(Duration.ofMillis(10)).build()).chat(request());

    assertThat(slept).containsExactly(Duration.ofSeconds(12));
  }

  @Test
  void givesUpAtOnceWhenRetryAfterPassesTheDeadline() {
    server.enqueue(
        new MockResponse.Builder()
            .code(529)
            .addHeader("Retry-After", "600")
            .body(Fixtures.text("anthropic/error-529.json"))
            .build());

    ModelException e = failure(anthropic(retries().deadline(Duration.ofMinutes(1)).build()));

    assertThat(e.kind()).isEqualTo(Kind.OVERLOADED);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(e.getMessage())
        .endsWith(
            "(gave up after 1 attempt: waiting 600000 ms would pass the retry deadline of 60000 ms)");
    assertThat(slept).isEmpty();
  }

  @Test
  void slowHeadersPastTheReadTimeoutAreATimeout() {
    server.enqueue(ProviderWire.openAiFailure(Kind.TIMEOUT));

    ModelException e = failure(openAi(RetryPolicy.none()));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(e.getMessage())
        .isEqualTo(
            "Model openai:gpt-4.1-mini timed out while waiting for the response "
                + "(connectTimeout 10000 ms, readTimeout 200 ms, callTimeout 180000 ms); raise the timeouts or retry");
  }

  @Test
  void aDisconnectMidBodyIsAConnectionFailure() {
    server.enqueue(ProviderWire.openAiFailure(Kind.CONNECTION));

    ModelException e = failure(openAi(RetryPolicy.none()));

    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.getMessage())
        .startsWith(
            "Connection to model openai:gpt-4.1-mini failed while reading the response body (HTTP 200)");
  }

  @Test
  void anUnreachableServerIsAConnectionFailure() {
    String url = server.url("/v1/").toString();
    server.close();
    ChatModel model =
        OpenAiChatModel.builder().baseUrl(url).model("m").retryPolicy(RetryPolicy.none()).build();

    ModelException e = failure(model);

    assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
    assertThat(e.getMessage()).endsWith("; check the base URL and the network, or retry");
  }

  @Test
  void garbageJsonIsMalformed() {
    server.enqueue(Fixtures.ok("<html><body>502 Bad Gateway</body></html>"));

    assertThat(failure(openAi(RetryPolicy.none())).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
  }

  @Test
  void jsonThatIsNotACompletionIsMalformed() {
    server.enqueue(Fixtures.ok("{\"object\":\"list\",\"data\":[]}"));

    ModelException e = failure(openAi(RetryPolicy.none()));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.getMessage())
        .isEqualTo(
            "Model openai:gpt-4.1-mini answered with JSON that is not a chat completion: "
                + "it has no 'choices' array; retry, or check that the base URL points at an OpenAI-compatible API");
  }

  @Test
  void emptyChoicesAndRefusalsAreClassified() {
    server.enqueue(Fixtures.okFixture("openai/chat-completion-empty-choices.json"));
    server.enqueue(Fixtures.okFixture("openai/chat-completion-refusal.json"));
    ChatModel model = openAi(RetryPolicy.none());

    ModelException empty = failure(model);
    ModelException refusal = failure(model);

    assertThat(empty.kind()).isEqualTo(Kind.EMPTY_RESPONSE);
    assertThat(refusal.kind()).isEqualTo(Kind.REFUSAL);
    assertThat(refusal.isRetryable()).isFalse();
    assertThat(refusal.getMessage())
        .isEqualTo(
            "Model openai:gpt-4.1-mini refused to answer: I'm sorry, I can't help with that request.");
  }

  @Test
  void anthropicRefusalIsClassified() {
    server.enqueue(Fixtures.okFixture("anthropic/message-refusal.json"));

    ModelException e = failure(anthropic(RetryPolicy.none()));

    assertThat(e.kind()).isEqualTo(Kind.REFUSAL);
    assertThat(e.getMessage())
        .isEqualTo("Model anthropic:claude-sonnet-4-5 refused to answer (stop_reason refusal)");
  }

  @Test
  void interruptionWhileWaitingStopsRetrying() {
    server.enqueue(Fixtures.status(500, "{}"));
    ChatModel model =
        openAi(
            RetryPolicy.builder()
                .sleeper(
                    d -> {
                      throw new InterruptedException();
                    })
                .build());

    ModelException e = failure(model);

    assertThat(Thread.interrupted()).isTrue();
    assertThat(e.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(e.getMessage()).startsWith("Interrupted while waiting");
  }
}
