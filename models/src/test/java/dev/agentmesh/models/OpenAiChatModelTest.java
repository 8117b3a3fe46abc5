package dev.agentmesh.models;

import static dev.agentmesh.models.Fixtures.body;
import static dev.agentmesh.models.Fixtures.fixture;
import static dev.agentmesh.models.Fixtures.json;
import static dev.agentmesh.models.Fixtures.okFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.ReasoningLevel;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ModelException.Kind;
import dev.agentmesh.core.spi.StopReason;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.ToolDefinition;
import dev.agentmesh.core.spi.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {

  static final String KEY = "sk-test-openai-0123456789abcdef";

  @StartStop final MockWebServer server = new MockWebServer();

  OpenAiChatModel.Builder builder() {
    return OpenAiChatModel.builder()
        .baseUrl(server.url("/v1").toString())
        .apiKey(KEY)
        .model("gpt-4.1-mini")
        .retryPolicy(RetryPolicy.none());
  }

  static ChatRequest simple() {
    return ChatRequest.builder().addMessage(ChatMessage.user("Triage: invoice wrong")).build();
  }

  @Test
  void sendsTheDocumentedRequestWithToolsSchemaReasoningAndHeaders() throws Exception {
    server.enqueue(okFixture("openai/chat-completion-text.json"));
    OpenAiChatModel model =
        builder().organization("org-42").project("proj_7").header("X-Trace", "t1").build();
    ToolCall call = ToolCall.of("call_abc123", "lookupTier", json("{\"customer\":\"acme\"}"));
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("You triage support tickets."))
            .addMessage(ChatMessage.user("ACME says their invoice is wrong.", "maria"))
            .addMessage(ChatMessage.assistant(null, List.of(call)))
            .addMessage(
                ChatMessage.toolResult("call_abc123", "lookupTier", "{\"tier\":\"gold\"}", false))
            .tools(
                List.of(
                    ToolDefinition.of(
                        "lookupTier",
                        "Looks up a customer's support tier",
                        json(
                            "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\"}},\"required\":[\"customer\"]}"))))
            .outputSchema(
                json(
                    "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\",\"enum\":[\"low\",\"high\"]}},"
                        + "\"required\":[\"priority\"],\"additionalProperties\":false}"))
            .outputName("triage")
            .reasoning(ReasoningLevel.LOW)
            .temperature(0.2)
            .maxTokens(512)
            .build();

    model.chat(request);

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(sent.getHeaders().get("OpenAI-Organization")).isEqualTo("org-42");
    assertThat(sent.getHeaders().get("OpenAI-Project")).isEqualTo("proj_7");
    assertThat(sent.getHeaders().get("X-Trace")).isEqualTo("t1");
    assertThat(sent.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(body(sent)).isEqualTo(fixture("openai/request-tools-schema.json"));
  }

  @Test
  void parsesTextUsageWithCachedAndReasoningTokensAndTheModelId() {
    server.enqueue(okFixture("openai/chat-completion-text.json"));

    ChatResponse response = builder().build().chat(simple());

    assertThat(response.text())
        .isEqualTo("Priority: high. The invoice total does not match the contract.");
    assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(response.modelId()).isEqualTo("gpt-4.1-mini-2025-04-14");
    assertThat(response.usage()).isEqualTo(new Usage(1250, 310, 1024, 0, 192, null));
  }

  @Test
  void parsesParallelToolCallsInOrder() {
    server.enqueue(okFixture("openai/chat-completion-tool-calls.json"));

    ChatResponse response = builder().build().chat(simple());

    assertThat(response.text()).isNull();
    assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_CALLS);
    assertThat(response.toolCalls())
        .containsExactly(
            ToolCall.of("call_abc123", "lookupTier", json("{\"customer\":\"acme\"}")),
            ToolCall.of(
                "call_def456",
                "openTickets",
                json("{\"customer\":\"acme\",\"since\":\"2025-01-01\"}")));
  }

  @Test
  void keepsToolArgumentsThatAreNotJsonAsTheirRawText() {
    server.enqueue(okFixture("openai/chat-completion-bad-tool-arguments.json"));

    ToolCall call = builder().build().chat(simple()).toolCalls().get(0);

    assertThat(call.arguments().isString()).isTrue();
    assertThat(call.arguments().stringValue()).isEqualTo("{\"customer\": \"acme\"");
  }

  @Test
  void pricesUsageFromThePriceTableByTheConfiguredModelId() {
    server.enqueue(okFixture("openai/chat-completion-text.json"));
    PriceTable prices =
        PriceTable.builder()
            .price(
                "gpt-4.1-mini", PriceTable.Price.perMillion("0.40", "1.60").withCachedInput("0.10"))
            .build();

    Usage usage = builder().priceTable(prices).build().chat(simple()).usage();

    // 226 uncached * 0.40 + 1024 cached * 0.10 + 310 output * 1.60, per million
    assertThat(usage.cost()).isEqualByComparingTo(new BigDecimal("0.0006888"));
  }

  @Test
  void fallsBackToJsonModeWhenTheServerRejectsJsonSchemaAndRemembersIt() throws Exception {
    server.enqueue(
        Fixtures.status(400, Fixtures.text("openai/error-400-json-schema-unsupported.json")));
    server.enqueue(
        Fixtures.ok(ProviderWire.openAi(ChatResponse.ofText("{\"priority\":\"high\"}"))));
    server.enqueue(Fixtures.ok(ProviderWire.openAi(ChatResponse.ofText("{\"priority\":\"low\"}"))));
    OpenAiChatModel model = builder().build();
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.system("You triage."))
            .addMessage(ChatMessage.user("Invoice wrong"))
            .outputSchema(
                json("{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\"}}}"))
            .build();

    assertThat(model.chat(request).text()).isEqualTo("{\"priority\":\"high\"}");
    assertThat(model.chat(request).text()).isEqualTo("{\"priority\":\"low\"}");

    assertThat(body(server.takeRequest()).path("response_format").path("type").asString())
        .isEqualTo("json_schema");
    for (int i = 0; i < 2; i++) {
      var fallback = body(server.takeRequest());
      assertThat(fallback.path("response_format").toString())
          .isEqualTo("{\"type\":\"json_object\"}");
      assertThat(fallback.path("messages").get(1).path("role").asString()).isEqualTo("system");
      assertThat(fallback.path("messages").get(1).path("content").asString())
          .startsWith(
              "Answer with one JSON object, and nothing else, that matches this JSON Schema: {\"type\":\"object\"");
    }
    assertThat(model.usesJsonModeFallback()).isTrue();
  }

  @Test
  void anInvalidSchemaIsReportedNotFallenBackFrom() {
    server.enqueue(
        Fixtures.status(
            400,
            "{\"error\":{\"message\":\"Invalid schema for response_format 'output': "
                + "In context=(), 'additionalProperties' is required to be supplied and to be false.\",\"type\":\"invalid_request_error\"}}"));
    OpenAiChatModel model = builder().build();
    ChatRequest request = simple().toBuilder().outputSchema(json("{\"type\":\"object\"}")).build();

    ModelException e = catchThrowableOfType(ModelException.class, () -> model.chat(request));

    assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
    assertThat(e.getMessage()).contains("Invalid schema for response_format");
    assertThat(model.usesJsonModeFallback()).isFalse();
  }

  @Test
  void stopsSendingReasoningEffortWhenTheServerRejectsIt() throws Exception {
    server.enqueue(
        Fixtures.status(
            400,
            "{\"error\":{\"message\":\"Unrecognized request argument supplied: reasoning_effort\"}}"));
    server.enqueue(okFixture("openai/chat-completion-text.json"));

    builder().build().chat(simple().toBuilder().reasoning(ReasoningLevel.HIGH).build());

    assertThat(body(server.takeRequest()).path("reasoning_effort").asString()).isEqualTo("high");
    assertThat(body(server.takeRequest()).has("reasoning_effort")).isFalse();
  }

  @Test
  void sendsNoAuthorizationWithoutAKeyAndLegacyMaxTokensWhenAsked() throws Exception {
    server.enqueue(okFixture("openai/chat-completion-text.json"));
    OpenAiChatModel ollama =
        OpenAiChatModel.builder()
            .baseUrl(server.url("/v1/").toString())
            .model("qwen3:8b")
            .legacyMaxTokens(true)
            .build();

    ollama.chat(simple().toBuilder().maxTokens(100).build());

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getHeaders().get("Authorization")).isNull();
    assertThat(body(sent).path("max_tokens").asInt()).isEqualTo(100);
    assertThat(ollama.name()).isEqualTo("openai:qwen3:8b");
  }

  @Test
  void asksTheKeySupplierOnEveryAttempt() throws Exception {
    server.enqueue(Fixtures.status(500, "{}"));
    server.enqueue(okFixture("openai/chat-completion-text.json"));
    AtomicInteger n = new AtomicInteger();
    OpenAiChatModel model =
        builder()
            .apiKeySupplier(() -> "sk-rotating-" + n.incrementAndGet())
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).sleeper(d -> {}).build())
            .build();

    model.chat(simple());

    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer sk-rotating-1");
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer sk-rotating-2");
  }

  @Test
  void sharesTheHostsConnectionPool() {
    OkHttpClient host = new OkHttpClient();
    server.enqueue(okFixture("openai/chat-completion-text.json"));

    builder().httpClient(host).build().chat(simple());

    assertThat(host.connectionPool().connectionCount()).isEqualTo(1);
  }

  @Test
  void aKeyWithANewlineFailsWithoutShowingIt() {
    OpenAiChatModel model = builder().apiKey(KEY + "\n").build();

    ModelException e = catchThrowableOfType(ModelException.class, () -> model.chat(simple()));

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.getMessage())
        .isEqualTo(
            "The API key of openai:gpt-4.1-mini has characters not allowed in an "
                + "HTTP header (a trailing newline or space?); trim it where it is read")
        .doesNotContain(KEY);
  }

  @Test
  void anErrorObjectInA200BodyIsClassified() {
    server.enqueue(
        Fixtures.ok(
            "{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day\",\"code\":429}}"));

    ModelException e =
        catchThrowableOfType(ModelException.class, () -> builder().build().chat(simple()));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.getMessage())
        .isEqualTo(
            "Model openai:gpt-4.1-mini answered with an error instead of choices: "
                + "Rate limit exceeded: free-models-per-day");
  }

  @Test
  void builderNamesTheSettingItRejects() {
    assertThatThrownBy(() -> OpenAiChatModel.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model is not set; call model(\"gpt-4.1-mini\") with the id the server serves");
    assertThatThrownBy(() -> OpenAiChatModel.builder().baseUrl("localhost:11434"))
        .hasMessage(
            "baseUrl must be an http or https URL, such as http://localhost:11434/v1, but was 'localhost:11434'");
    assertThatThrownBy(() -> OpenAiChatModel.builder().readTimeout(Duration.ZERO))
        .hasMessage("readTimeout must be between 1 ms and 1 hour but was PT0S");
    assertThatThrownBy(() -> OpenAiChatModel.builder().header("Authorization", "Bearer x"))
        .hasMessage(
            "header 'Authorization' carries the API key; set it with apiKey(...) or apiKeySupplier(...) so it is never logged");
    assertThatThrownBy(
            () ->
                OpenAiChatModel.builder().model("x").apiKey("sk-abcdef").name("sk-abcdef").build())
        .hasMessage("name must not contain the API key; choose another name");
  }

  @Test
  void aTruncatedBodyWithoutLengthIsMalformed() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"Hel")
            .build());

    ModelException e =
        catchThrowableOfType(ModelException.class, () -> builder().build().chat(simple()));

    assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage())
        .startsWith("Model openai:gpt-4.1-mini answered with a body that is not valid JSON (")
        .endsWith(
            "it was truncated or the base URL does not point at an API; retry, or check the base URL");
  }
}
