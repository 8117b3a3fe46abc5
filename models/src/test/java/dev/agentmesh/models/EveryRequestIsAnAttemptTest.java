package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ModelException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One attempt of the {@link RetryPolicy} is one HTTP request at the server: OkHttp's own re-sends
 * (after a dropped connection, for a 408, a 503 with {@code Retry-After: 0}, a redirect, an
 * authenticator's answer to a 401) never add one, with our client or a host's.
 */
class EveryRequestIsAnAttemptTest {

  @StartStop final MockWebServer server = new MockWebServer();
  final List<Duration> slept = new ArrayList<>();

  /** A server fault, whether the policy retries it, and the response that makes it. */
  enum Fault {
    DISCONNECT_AT_START(Kind.CONNECTION),
    DISCONNECT_AFTER_REQUEST(Kind.CONNECTION),
    DISCONNECT_MID_BODY(Kind.CONNECTION),
    HTTP_408(Kind.TIMEOUT),
    HTTP_503_RETRY_AFTER_0(Kind.OVERLOADED),
    REDIRECT_307(Kind.UNKNOWN),
    REDIRECT_302(Kind.UNKNOWN),
    HTTP_401_WITH_AN_AUTHENTICATOR(Kind.AUTHENTICATION);

    final Kind kind;

    Fault(Kind kind) {
      this.kind = kind;
    }

    MockResponse response() {
      return switch (this) {
        case DISCONNECT_AT_START ->
            new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
        case DISCONNECT_AFTER_REQUEST ->
            new MockResponse.Builder()
                .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
        case DISCONNECT_MID_BODY ->
            new MockResponse.Builder()
                .code(200)
                .body("{\"id\":\"x\",\"choices\":[" + "x".repeat(4096) + "]}")
                .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
                .build();
        case HTTP_408 -> Fixtures.status(408, "{}");
        case HTTP_503_RETRY_AFTER_0 ->
            new MockResponse.Builder().code(503).addHeader("Retry-After", "0").body("{}").build();
        case REDIRECT_307 ->
            new MockResponse.Builder().code(307).addHeader("Location", "/v2/elsewhere").build();
        case REDIRECT_302 ->
            new MockResponse.Builder().code(302).addHeader("Location", "/v2/elsewhere").build();
        case HTTP_401_WITH_AN_AUTHENTICATOR ->
            Fixtures.status(401, Fixtures.text("openai/error-401.json"));
      };
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String adapter : List.of("openai", "anthropic")) {
      for (Fault fault : Fault.values()) {
        for (int maxAttempts : new int[] {0, 1, 3}) { // 0: RetryPolicy.none()
          for (boolean hostClient : new boolean[] {false, true}) {
            cases.add(Arguments.of(adapter, fault, maxAttempts, hostClient));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, maxAttempts {2} (0: none()), host's client {3}")
  @MethodSource("cases")
  void theServerSeesExactlyThePolicysAttempts(
      String adapter, Fault fault, int maxAttempts, boolean hostClient) {
    for (int i = 0; i < 25; i++)
      server.enqueue(fault.response()); // more than OkHttp would ever re-send
    RetryPolicy policy =
        maxAttempts == 0
            ? RetryPolicy.none()
            : RetryPolicy.builder().maxAttempts(maxAttempts).sleeper(slept::add).build();
    ChatModel model = model(adapter, policy, hostClient ? hostClient() : null);

    ModelException e =
        catchThrowableOfType(
            ModelException.class,
            () ->
                model.chat(
                    ChatRequest.builder().addMessage(ChatMessage.user("Invoice wrong")).build()));

    assertThat(e.kind()).isEqualTo(fault.kind);
    int attempts = fault.kind.isRetryable() ? Math.max(1, maxAttempts) : 1;
    assertThat(server.getRequestCount()).as("requests the server received").isEqualTo(attempts);
    assertThat(slept).hasSize(attempts - 1);
  }

  /**
   * A host's client as OkHttp makes it: retries on connection failure, follows redirects, has an
   * authenticator.
   */
  private static OkHttpClient hostClient() {
    return new OkHttpClient.Builder()
        .authenticator(
            (route, response) ->
                response.request().newBuilder().header("Authorization", "Bearer refreshed").build())
        .build();
  }

  private ChatModel model(String adapter, RetryPolicy policy, OkHttpClient client) {
    String url = server.url("/v1/").toString();
    if (adapter.equals("openai")) {
      OpenAiChatModel.Builder b =
          OpenAiChatModel.builder()
              .baseUrl(url)
              .apiKey("sk-test-attempts-123456")
              .model("gpt-4.1-mini")
              .retryPolicy(policy);
      return (client == null ? b : b.httpClient(client)).build();
    }
    AnthropicChatModel.Builder b =
        AnthropicChatModel.builder()
            .baseUrl(url)
            .apiKey("sk-ant-test-attempts-123456")
            .model("claude-sonnet-4-5")
            .retryPolicy(policy);
    return (client == null ? b : b.httpClient(client)).build();
  }
}
