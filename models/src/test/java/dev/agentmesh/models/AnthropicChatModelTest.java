package dev.agentmesh.models;

import static dev.agentmesh.models.Fixtures.body;
import static dev.agentmesh.models.Fixtures.fixture;
import static dev.agentmesh.models.Fixtures.json;
import static dev.agentmesh.models.Fixtures.okFixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.ReasoningLevel;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.StopReason;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.ToolDefinition;
import dev.agentmesh.core.spi.Usage;
import java.math.BigDecimal;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AnthropicChatModelTest {

  static final String KEY = "sk-ant-test-0123456789abcdef";
  static final JsonNode PARAMS =
      json(
          "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\"}},\"required\":[\"customer\"]}");
  static final List<ToolDefinition> TOOLS =
      List.of(
          ToolDefinition.of("lookupTier", "Looks up a customer's support tier", PARAMS),
          ToolDefinition.of("openTickets", "Counts a customer's open tickets", PARAMS));
  static final JsonNode SCHEMA =
      json(
          "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\"},"
              + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"priority\"]}");

  @StartStop final MockWebServer server = new MockWebServer();

  AnthropicChatModel.Builder builder() {
    return AnthropicChatModel.builder()
        .baseUrl(server.url("/v1/").toString())
        .apiKey(KEY)
        .model("claude-sonnet-4-5")
        .retryPolicy(RetryPolicy.none());
  }

  static ChatRequest.Builder ask() {
    return ChatRequest.builder()
        .addMessage(ChatMessage.system("You triage support tickets."))
        .addMessage(ChatMessage.user("ACME says their invoice is wrong."));
  }

  @Test
  void parsesTextAndUsageWithCacheReadsAndWrites() throws Exception {
    server.enqueue(okFixture("anthropic/message-text.json"));

    ChatResponse response = builder().build().chat(ask().build());

    assertThat(response.text())
        .isEqualTo("Priority: high. The invoice total does not match the contract.");
    assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(response.modelId()).isEqualTo("claude-sonnet-4-5-20250929");
    // input_tokens counts only uncached input: 210 + 1000 read + 40 written
    assertThat(response.usage()).isEqualTo(new Usage(1250, 95, 1000, 40, 0, null));
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/messages");
    assertThat(sent.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(sent.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.getHeaders().get("Authorization")).isNull();
    assertThat(body(sent).toString())
        .isEqualTo(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,"
                + "\"system\":\"You triage support tickets.\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"ACME says their invoice is wrong.\"}]}]}");
  }

  @Test
  void thinkingAndSeveralToolUsesRoundTripWithTheirThinkingBlocks() throws Exception {
    server.enqueue(okFixture("anthropic/message-tool-use.json"));
    server.enqueue(okFixture("anthropic/message-text.json"));
    AnthropicChatModel model = builder().maxTokens(512).build();
    ChatRequest first = ask().tools(TOOLS).reasoning(ReasoningLevel.LOW).build();

    ChatResponse calls = model.chat(first);

    assertThat(calls.text()).isEqualTo("I'll look both up.");
    assertThat(calls.stopReason()).isEqualTo(StopReason.TOOL_CALLS);
    assertThat(calls.toolCalls())
        .containsExactly(
            ToolCall.of(
                "toolu_01A09q90qw90lq917835lq9", "lookupTier", json("{\"customer\":\"acme\"}")),
            ToolCall.of(
                "toolu_01B19r91rx91mr928946mr0",
                "openTickets",
                json("{\"customer\":\"acme\",\"since\":\"2025-01-01\"}")));

    model.chat(
        first.toBuilder()
            .addMessage(calls.toMessage())
            .addMessage(
                ChatMessage.toolResult(
                    "toolu_01A09q90qw90lq917835lq9", "lookupTier", "{\"tier\":\"gold\"}", false))
            .addMessage(
                ChatMessage.toolResult(
                    "toolu_01B19r91rx91mr928946mr0", "openTickets", "CRM timed out", true))
            .build());

    JsonNode firstBody = body(server.takeRequest());
    assertThat(firstBody.path("thinking").toString())
        .isEqualTo("{\"type\":\"enabled\",\"budget_tokens\":1024}");
    assertThat(firstBody.path("max_tokens").asInt()).isEqualTo(1536);
    assertThat(body(server.takeRequest()))
        .isEqualTo(fixture("anthropic/request-tools-thinking.json"));
  }

  @Test
  void turnsThinkingOffWhenTheThinkingOfTheLatestToolTurnIsUnknown() throws Exception {
    server.enqueue(okFixture("anthropic/message-text.json"));
    ToolCall call =
        ToolCall.of("toolu_from_another_node", "lookupTier", json("{\"customer\":\"acme\"}"));

    builder()
        .build()
        .chat(
            ask()
                .tools(TOOLS)
                .reasoning(ReasoningLevel.HIGH)
                .addMessage(ChatMessage.assistant(null, List.of(call)))
                .addMessage(ChatMessage.toolResult(call.id(), call.name(), "gold", false))
                .build());

    JsonNode sent = body(server.takeRequest());
    assertThat(sent.has("thinking")).isFalse();
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(4096);
  }

  @Test
  void structuredOutputIsAForcedToolWhoseInputIsTheAnswer() throws Exception {
    server.enqueue(okFixture("anthropic/message-output-tool.json"));

    ChatResponse response =
        builder()
            .build()
            .chat(ask().outputSchema(SCHEMA).outputName("triage").temperature(0.0).build());

    assertThat(json(response.text()))
        .isEqualTo(json("{\"priority\":\"high\",\"tags\":[\"billing\"]}"));
    assertThat(response.hasToolCalls()).isFalse();
    assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
    JsonNode sent = body(server.takeRequest());
    assertThat(sent.path("tools").get(0).path("name").asString()).isEqualTo("triage");
    assertThat(sent.path("tools").get(0).path("input_schema")).isEqualTo(SCHEMA);
    assertThat(sent.path("tool_choice").toString())
        .isEqualTo("{\"type\":\"tool\",\"name\":\"triage\"}");
    assertThat(sent.path("temperature").asDouble()).isEqualTo(0.0);
  }

  @Test
  void withOtherToolsTheModelMustCallSomeTool() throws Exception {
    server.enqueue(okFixture("anthropic/message-output-tool.json"));

    builder().build().chat(ask().tools(TOOLS).outputSchema(SCHEMA).outputName("triage").build());

    JsonNode sent = body(server.takeRequest());
    assertThat(sent.path("tools")).hasSize(3);
    assertThat(sent.path("tool_choice").toString()).isEqualTo("{\"type\":\"any\"}");
  }

  @Test
  void nativeStructuredOutputUsesOutputConfig() throws Exception {
    server.enqueue(okFixture("anthropic/message-text.json"));

    builder()
        .structuredOutput(AnthropicChatModel.StructuredOutput.NATIVE)
        .build()
        .chat(ask().outputSchema(SCHEMA).build());

    JsonNode sent = body(server.takeRequest());
    assertThat(sent.has("tools")).isFalse();
    assertThat(sent.path("output_config").path("format").path("type").asString())
        .isEqualTo("json_schema");
    assertThat(sent.path("output_config").path("format").path("schema")).isEqualTo(SCHEMA);
  }

  @Test
  void pricesCacheReadsAndWritesAtTheirOwnRates() {
    server.enqueue(okFixture("anthropic/message-text.json"));
    PriceTable prices =
        PriceTable.builder()
            .price(
                "claude-sonnet-4-5",
                PriceTable.Price.perMillion("3", "15")
                    .withCachedInput("0.30")
                    .withCacheWrite("3.75"))
            .build();

    Usage usage = builder().priceTable(prices).build().chat(ask().build()).usage();

    // 210 * 3 + 1000 * 0.30 + 40 * 3.75 + 95 * 15 = 2505 per million
    assertThat(usage.cost()).isEqualByComparingTo(new BigDecimal("0.002505"));
  }

  @Test
  void builderNamesTheSettingItRejects() {
    assertThatThrownBy(() -> AnthropicChatModel.builder().maxTokens(0))
        .hasMessage("maxTokens must be between 1 and 1000000 but was 0");
    assertThatThrownBy(() -> AnthropicChatModel.builder().thinkingBudget(ReasoningLevel.LOW, 100))
        .hasMessage("thinkingBudget for LOW must be between 1024 and 1000000 but was 100");
    assertThatThrownBy(() -> AnthropicChatModel.builder().apiVersion("v1"))
        .hasMessage("apiVersion must be a date like 2023-06-01 but was 'v1'");
    assertThatThrownBy(() -> AnthropicChatModel.builder().header("x-api-key", "k"))
        .hasMessage(
            "header 'x-api-key' carries the API key; set it with apiKey(...) or apiKeySupplier(...) so it is never logged");
  }
}
