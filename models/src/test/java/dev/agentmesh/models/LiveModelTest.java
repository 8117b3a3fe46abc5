package dev.agentmesh.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tools.jackson.databind.JsonNode;

/**
 * Triage against a real endpoint: a tool round trip, then a structured answer. Runs only when
 * OPENAI_BASE_URL (with OPENAI_API_KEY and OPENAI_MODEL where the server needs them) or
 * ANTHROPIC_API_KEY is set.
 */
class LiveModelTest {

  static final JsonNode TRIAGE =
      Fixtures.json(
          "{\"type\":\"object\",\"properties\":{\"priority\":{\"type\":\"string\","
              + "\"enum\":[\"low\",\"normal\",\"high\"]},\"queue\":{\"type\":\"string\"}},\"required\":[\"priority\",\"queue\"],"
              + "\"additionalProperties\":false}");

  @Test
  @EnabledIfEnvironmentVariable(named = "OPENAI_BASE_URL", matches = ".+")
  void triageOnAnOpenAiCompatibleServer() {
    OpenAiChatModel.Builder b =
        OpenAiChatModel.builder()
            .baseUrl(System.getenv("OPENAI_BASE_URL"))
            .model(Objects.requireNonNullElse(System.getenv("OPENAI_MODEL"), "gpt-4.1-mini"));
    if (System.getenv("OPENAI_API_KEY") != null) {
      b.apiKey(System.getenv("OPENAI_API_KEY"));
    }
    triage(b.build());
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "ANTHROPIC_API_KEY", matches = ".+")
  void triageOnAnthropic() {
    triage(
        AnthropicChatModel.builder()
            .apiKey(System.getenv("ANTHROPIC_API_KEY"))
            .model(
                Objects.requireNonNullElse(System.getenv("ANTHROPIC_MODEL"), "claude-sonnet-4-5"))
            .build());
  }

  private static void triage(ChatModel model) {
    ChatRequest.Builder conversation =
        ChatRequest.builder()
            .addMessage(
                ChatMessage.system(
                    "You triage support tickets. Look up the customer's tier before answering."))
            .addMessage(
                ChatMessage.user(
                    "ACME (customer id acme) says their invoice charges 140 seats instead of 120."))
            .tools(ChatModelCompatibilityKitTools.TOOLS);
    ChatResponse first = model.chat(conversation.build());
    conversation.addMessage(first.toMessage());
    first
        .toolCalls()
        .forEach(
            c ->
                conversation.addMessage(
                    ChatMessage.toolResult(c.id(), c.name(), "{\"tier\":\"gold\"}", false)));

    ChatResponse answer =
        model.chat(conversation.tools(List.of()).outputSchema(TRIAGE).outputName("triage").build());

    JsonNode triage = Fixtures.json(Objects.requireNonNull(answer.text()));
    assertThat(triage.path("priority").asString()).isIn("low", "normal", "high");
    assertThat(answer.usage().inputTokens()).isPositive();
  }

  /** The tools the live triage offers. */
  static final class ChatModelCompatibilityKitTools {
    static final List<dev.agentmesh.core.spi.ToolDefinition> TOOLS =
        List.of(
            dev.agentmesh.core.spi.ToolDefinition.of(
                "lookupTier",
                "Looks up a customer's support tier by customer id",
                Fixtures.json(
                    "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\"}},\"required\":[\"customer\"]}")));
  }
}
