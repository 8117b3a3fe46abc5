package dev.agentmesh.models.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Anthropic Messages wire format: {@link ChatRequest} to request JSON, response JSON to {@link
 * ChatResponse}. Stateless and thread-safe.
 */
public final class AnthropicCodec {

  /** How structured output is asked for. */
  public enum SchemaMode {
    /** A tool whose input schema is the output schema, which the model is made to call. */
    TOOL,
    /** {@code output_config.format} of type {@code json_schema}, on models that support it. */
    NATIVE
  }

  /**
   * What the request body depends on besides the {@link ChatRequest}.
   *
   * @param model the model id
   * @param maxTokens max_tokens when the request sets none
   * @param thinkingBudgets budget_tokens per reasoning level above NONE
   * @param schemaMode how structured output is asked for
   */
  public record Options(
      String model,
      int maxTokens,
      Map<ReasoningLevel, Integer> thinkingBudgets,
      SchemaMode schemaMode) {}

  /**
   * A decoded answer and the thinking blocks that must go back with its tool calls.
   *
   * @param response the answer
   * @param thinking thinking and redacted_thinking blocks, as received
   */
  public record Decoded(ChatResponse response, List<JsonNode> thinking) {}

  private static final String OUTPUT_TOOL_DESCRIPTION =
      "Give your final answer by calling this tool once, with the answer as its input.";

  private AnthropicCodec() {}

  /**
   * The request body.
   *
   * @param thinkingFor the thinking blocks kept for an assistant message, by its first tool call
   *     id; empty when unknown
   */
  public static byte[] encode(
      ChatRequest request, Options options, Function<String, List<JsonNode>> thinkingFor) {
    return Json.MAPPER.writeValueAsBytes(toJson(request, options, thinkingFor));
  }

  /** The request body as a tree. */
  public static ObjectNode toJson(
      ChatRequest request, Options options, Function<String, List<JsonNode>> thinkingFor) {
    ObjectNode root = Json.object();
    root.put("model", options.model());
    Integer budget = thinkingBudget(request, options, thinkingFor);
    int maxTokens = request.maxTokens() != null ? request.maxTokens() : options.maxTokens();
    root.put("max_tokens", budget == null ? maxTokens : maxTokens + budget);
    String system = system(request.messages());
    if (!system.isEmpty()) {
      root.put("system", system);
    }
    root.set(
        "messages", messages(request.messages(), budget != null ? thinkingFor : id -> List.of()));
    tools(root, request, options, budget != null);
    if (budget != null) {
      root.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    } else if (request.temperature() != null) {
      root.put("temperature", request.temperature());
    }
    if (request.outputSchema() != null && options.schemaMode() == SchemaMode.NATIVE) {
      root.putObject("output_config")
          .putObject("format")
          .put("type", "json_schema")
          .set("schema", request.outputSchema());
    }
    return root;
  }

  /**
   * The thinking budget, or null for none. Thinking is left off when the latest assistant turn
   * asked for tools but its thinking blocks are not known (such as after a restart): the API
   * rejects that turn without them, and accepts it with thinking off.
   */
  private static @Nullable Integer thinkingBudget(
      ChatRequest request, Options options, Function<String, List<JsonNode>> thinkingFor) {
    if (request.reasoning() == ReasoningLevel.NONE) {
      return null;
    }
    List<ChatMessage> messages = request.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage m = messages.get(i);
      if (m.role() == ChatMessage.Role.ASSISTANT) {
        if (!m.toolCalls().isEmpty() && thinkingFor.apply(m.toolCalls().get(0).id()).isEmpty()) {
          return null;
        }
        break;
      }
    }
    return options.thinkingBudgets().get(request.reasoning());
  }

  private static String system(List<ChatMessage> messages) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.SYSTEM) {
        if (sb.length() > 0) {
          sb.append("\n\n");
        }
        sb.append(m.text());
      }
    }
    return sb.toString();
  }

  private static ArrayNode messages(
      List<ChatMessage> messages, Function<String, List<JsonNode>> thinkingFor) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    String lastRole = null;
    ArrayNode content = null;
    for (ChatMessage m : messages) {
      if (m.role() == ChatMessage.Role.SYSTEM) {
        continue;
      }
      String role = m.role() == ChatMessage.Role.ASSISTANT ? "assistant" : "user";
      ArrayNode blocks = blocks(m, thinkingFor);
      if (blocks.isEmpty()) {
        continue;
      }
      if (!role.equals(lastRole) || content == null) {
        ObjectNode message = out.addObject().put("role", role);
        content = message.putArray("content");
        lastRole = role;
      }
      content.addAll(blocks);
    }
    return out;
  }

  private static ArrayNode blocks(ChatMessage m, Function<String, List<JsonNode>> thinkingFor) {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    switch (m.role()) {
      case USER -> blocks.addObject().put("type", "text").put("text", m.text());
      case TOOL -> {
        ObjectNode result =
            blocks
                .addObject()
                .put("type", "tool_result")
                .put("tool_use_id", m.toolCallId())
                .put("content", m.text());
        if (m.error()) {
          result.put("is_error", true);
        }
      }
      case ASSISTANT -> {
        if (!m.toolCalls().isEmpty()) {
          thinkingFor.apply(m.toolCalls().get(0).id()).forEach(blocks::add);
        }
        if (m.text() != null && !m.text().isBlank()) {
          blocks.addObject().put("type", "text").put("text", m.text());
        }
        for (ToolCall call : m.toolCalls()) {
          blocks
              .addObject()
              .put("type", "tool_use")
              .put("id", call.id())
              .put("name", call.name())
              .set("input", input(call.arguments()));
        }
      }
      default -> {}
    }
    return blocks;
  }

  private static JsonNode input(JsonNode arguments) {
    if (arguments.isObject()) {
      return arguments;
    }
    // The API takes only objects; keep what the model wrote so it can see its mistake.
    ObjectNode wrapped = Json.object();
    wrapped.set("invalid_arguments", arguments);
    return wrapped;
  }

  private static void tools(
      ObjectNode root, ChatRequest request, Options options, boolean thinking) {
    boolean outputTool = request.outputSchema() != null && options.schemaMode() == SchemaMode.TOOL;
    if (request.tools().isEmpty() && !outputTool) {
      return;
    }
    ArrayNode tools = root.putArray("tools");
    for (ToolDefinition tool : request.tools()) {
      if (outputTool && tool.name().equals(request.outputName())) {
        throw new IllegalArgumentException(
            "tool '"
                + tool.name()
                + "' has the name of the output schema; give the output another outputName");
      }
      tools
          .addObject()
          .put("name", tool.name())
          .put("description", tool.description())
          .set("input_schema", tool.parameters());
    }
    if (outputTool) {
      tools
          .addObject()
          .put("name", request.outputName())
          .put("description", OUTPUT_TOOL_DESCRIPTION)
          .set("input_schema", request.outputSchema());
      // Extended thinking allows only tool_choice auto.
      if (!thinking) {
        ObjectNode choice = root.putObject("tool_choice");
        if (request.tools().isEmpty()) {
          choice.put("type", "tool").put("name", request.outputName());
        } else {
          choice.put("type", "any");
        }
      }
    }
  }

  /**
   * Reads a 2xx body; throws a classified {@link ModelException} when it holds no usable answer.
   *
   * @param outputTool the name of the output tool whose input is the answer, or null
   */
  public static Decoded decode(byte[] body, String modelName, @Nullable String outputTool) {
    JsonNode root = OpenAiCodec.readTree(body, modelName);
    if ("error".equals(Json.string(root.path("type")))) {
      throw errorInBody(root, modelName);
    }
    JsonNode content = root.path("content");
    if (!content.isArray()) {
      throw new ModelException(
          Kind.MALFORMED_RESPONSE,
          modelName,
          "Model "
              + modelName
              + " answered with JSON that is not a message: it has no 'content' array; "
              + "retry, or check that the base URL points at the Anthropic API");
    }
    String stop = Json.string(root.path("stop_reason"));
    if ("refusal".equals(stop)) {
      throw new ModelException(
          Kind.REFUSAL,
          modelName,
          "Model " + modelName + " refused to answer (stop_reason refusal)");
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    List<JsonNode> thinking = new ArrayList<>();
    JsonNode answer = null;
    for (JsonNode block : content) {
      String type = Json.string(block.path("type"));
      if ("text".equals(type)) {
        text.append(
            Json.string(block.path("text")) == null ? "" : block.path("text").stringValue());
      } else if ("tool_use".equals(type)) {
        String id = Json.string(block.path("id"));
        String name = Json.string(block.path("name"));
        if (id == null || name == null) {
          throw new ModelException(
              Kind.MALFORMED_RESPONSE,
              modelName,
              "Model " + modelName + " answered with a tool_use block without id or name; retry");
        }
        if (name.equals(outputTool)) {
          answer = OpenAiCodec.arguments(block.path("input"));
        } else {
          calls.add(ToolCall.of(id, name, OpenAiCodec.arguments(block.path("input"))));
        }
      } else if ("thinking".equals(type) || "redacted_thinking".equals(type)) {
        thinking.add(block);
      }
    }
    String finalText =
        answer != null && calls.isEmpty()
            ? (answer.isString() ? answer.stringValue() : Json.MAPPER.writeValueAsString(answer))
            : text.length() > 0 ? text.toString() : null;
    if (finalText == null && calls.isEmpty()) {
      String why =
          "max_tokens".equals(stop)
              ? "it stopped at max_tokens before any output; raise maxTokens or lower the reasoning level"
              : "retry, or check the request";
      throw new ModelException(
          Kind.EMPTY_RESPONSE,
          modelName,
          "Model "
              + modelName
              + " answered with neither text nor tool use (stop_reason "
              + stop
              + "); "
              + why);
    }
    ChatResponse response =
        ChatResponse.builder()
            .text(finalText)
            .toolCalls(calls)
            .usage(usage(root.path("usage")))
            .stopReason(
                calls.isEmpty() && answer != null ? StopReason.END_TURN : stopReason(stop, calls))
            .modelId(Json.string(root.path("model")))
            .build();
    return new Decoded(response, calls.isEmpty() ? List.of() : thinking);
  }

  private static Usage usage(JsonNode u) {
    if (!u.isObject()) {
      return Usage.ZERO;
    }
    long read = Json.count(u.path("cache_read_input_tokens"));
    long write = Json.count(u.path("cache_creation_input_tokens"));
    return new Usage(
        Json.count(u.path("input_tokens")) + read + write,
        Json.count(u.path("output_tokens")),
        read,
        write,
        0,
        null);
  }

  private static StopReason stopReason(@Nullable String stop, List<ToolCall> calls) {
    if (stop == null) {
      return calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_CALLS;
    }
    return switch (stop) {
      case "end_turn", "stop_sequence" ->
          calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_CALLS;
      case "tool_use" -> StopReason.TOOL_CALLS;
      case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
      default -> StopReason.OTHER;
    };
  }

  private static ModelException errorInBody(JsonNode root, String modelName) {
    String type = Json.string(root.path("error").path("type"));
    String message = Json.string(root.path("error").path("message"));
    Kind kind =
        "overloaded_error".equals(type)
            ? Kind.OVERLOADED
            : "rate_limit_error".equals(type) ? Kind.RATE_LIMITED : Kind.SERVER_ERROR;
    return new ModelException(
        kind,
        modelName,
        0,
        null,
        "Model "
            + modelName
            + " answered with an error body: "
            + Json.truncate(Redactor.redact(message == null ? "(no message)" : message, null), 300)
            + (type == null ? "" : " [" + type + "]"),
        null);
  }
}
