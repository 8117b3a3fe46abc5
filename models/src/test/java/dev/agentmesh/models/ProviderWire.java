package dev.agentmesh.models;

import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException.Kind;
import dev.agentmesh.core.spi.ToolCall;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes canned answers and failures in each provider's documented format, for the compatibility
 * kit and the fault-injection tests.
 */
final class ProviderWire {

  private ProviderWire() {}

  /** A chat.completion object holding {@code r}. */
  static String openAi(ChatResponse r) {
    ObjectNode root =
        Fixtures.JSON
            .createObjectNode()
            .put("id", "chatcmpl-kit")
            .put("object", "chat.completion")
            .put("created", 1741569952L)
            .put("model", "gpt-4.1-mini-2025-04-14");
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    message.put("content", r.text());
    message.putNull("refusal");
    if (r.hasToolCalls()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (ToolCall c : r.toolCalls()) {
        calls
            .addObject()
            .put("id", c.id())
            .put("type", "function")
            .putObject("function")
            .put("name", c.name())
            .put("arguments", Fixtures.JSON.writeValueAsString(c.arguments()));
      }
    }
    choice.put("finish_reason", r.hasToolCalls() ? "tool_calls" : "stop");
    root.putObject("usage")
        .put("prompt_tokens", r.usage().inputTokens())
        .put("completion_tokens", r.usage().outputTokens())
        .put("total_tokens", r.usage().totalTokens());
    return root.toString();
  }

  /** A Messages API message holding {@code r}. */
  static String anthropic(ChatResponse r) {
    ObjectNode root =
        Fixtures.JSON
            .createObjectNode()
            .put("id", "msg_kit")
            .put("type", "message")
            .put("role", "assistant")
            .put("model", "claude-sonnet-4-5-20250929");
    ArrayNode content = root.putArray("content");
    if (r.text() != null) {
      content.addObject().put("type", "text").put("text", r.text());
    }
    for (ToolCall c : r.toolCalls()) {
      content
          .addObject()
          .put("type", "tool_use")
          .put("id", c.id())
          .put("name", c.name())
          .set("input", c.arguments());
    }
    root.put("stop_reason", r.hasToolCalls() ? "tool_use" : "end_turn");
    root.putNull("stop_sequence");
    root.putObject("usage")
        .put("input_tokens", r.usage().inputTokens())
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0)
        .put("output_tokens", r.usage().outputTokens());
    return root.toString();
  }

  /** A response that makes an OpenAI-compatible adapter fail with {@code kind}. */
  static MockResponse openAiFailure(Kind kind) {
    return switch (kind) {
      case REFUSAL -> Fixtures.okFixture("openai/chat-completion-refusal.json");
      case EMPTY_RESPONSE -> Fixtures.okFixture("openai/chat-completion-empty-choices.json");
      default -> common(kind, Fixtures.text("openai/error-429.json"));
    };
  }

  /** A response that makes the Anthropic adapter fail with {@code kind}. */
  static MockResponse anthropicFailure(Kind kind) {
    return switch (kind) {
      case REFUSAL -> Fixtures.okFixture("anthropic/message-refusal.json");
      case EMPTY_RESPONSE ->
          Fixtures.ok(
              "{\"id\":\"msg_e\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                  + "\"content\":[],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                  + "\"usage\":{\"input_tokens\":5,\"output_tokens\":0}}");
      case OVERLOADED -> Fixtures.status(529, Fixtures.text("anthropic/error-529.json"));
      default -> common(kind, Fixtures.text("anthropic/error-429.json"));
    };
  }

  private static MockResponse common(Kind kind, String errorBody) {
    return switch (kind) {
      case AUTHENTICATION -> Fixtures.status(401, errorBody);
      case BAD_REQUEST -> Fixtures.status(400, errorBody);
      case MODEL_NOT_FOUND -> Fixtures.status(404, errorBody);
      case RATE_LIMITED ->
          new MockResponse.Builder()
              .code(429)
              .addHeader("Retry-After", "7")
              .body(errorBody)
              .build();
      case OVERLOADED -> Fixtures.status(503, errorBody);
      case SERVER_ERROR -> Fixtures.status(500, errorBody);
      // The server never answers; the adapter's short read timeout fires.
      case TIMEOUT ->
          new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
      // Headers arrive, then the connection drops in the middle of the body.
      case CONNECTION ->
          new MockResponse.Builder()
              .code(200)
              .body("{\"id\":\"chatcmpl-x\",\"choices\":[" + "x".repeat(4096) + "]}")
              .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
              .build();
      case MALFORMED_RESPONSE ->
          Fixtures.ok("{\"id\":\"chatcmpl-x\",\"choices\":[{\"index\":0,\"mess");
      // A status no API documents: neither success nor a known failure.
      case UNKNOWN -> Fixtures.status(300, "{}");
      default -> throw new IllegalArgumentException("no common failure for " + kind);
    };
  }
}
