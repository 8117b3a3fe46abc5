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
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI Chat Completions wire format: {@link ChatRequest} to request JSON, response JSON to
 * {@link ChatResponse}. Stateless and thread-safe.
 */
public final class OpenAiCodec {

  /** How structured output is asked for. */
  public enum SchemaMode {
    /** {@code response_format: {type: json_schema}}, strict unless turned off. */
    JSON_SCHEMA,
    /** {@code response_format: {type: json_object}} plus the schema in a system message. */
    JSON_OBJECT
  }

  /**
   * What the request body depends on besides the {@link ChatRequest}.
   *
   * @param model the model id sent
   * @param schemaMode how structured output is asked for
   * @param strict whether a json_schema is sent with {@code strict: true}
   * @param sendReasoningEffort whether {@code reasoning_effort} is sent for levels above NONE
   * @param legacyMaxTokens send {@code max_tokens} instead of {@code max_completion_tokens}
   */
  public record Options(
      String model,
      SchemaMode schemaMode,
      boolean strict,
      boolean sendReasoningEffort,
      boolean legacyMaxTokens) {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpenAiCodec() {}

  /** The request body. */
  public static byte[] encode(ChatRequest request, Options options) {
    return Json.MAPPER.writeValueAsBytes(toJson(request, options));
  }

  /** The request body as a tree. */
  public static ObjectNode toJson(ChatRequest request, Options options) {
    ObjectNode root = Json.object();
    root.put("model", options.model());
    ArrayNode messages = root.putArray("messages");
    List<ChatMessage> all = request.messages();
    int firstNonSystem = 0;
    while (firstNonSystem < all.size()
        && all.get(firstNonSystem).role() == ChatMessage.Role.SYSTEM) {
      firstNonSystem++;
    }
    for (int i = 0; i < all.size(); i++) {
      if (i == firstNonSystem) {
        addSchemaInstruction(messages, request, options);
      }
      messages.add(message(all.get(i)));
    }
    if (firstNonSystem == all.size()) {
      addSchemaInstruction(messages, request, options);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function
            .put("name", tool.name())
            .put("description", tool.description())
            .set("parameters", tool.parameters());
      }
    }
    responseFormat(root, request, options);
    if (request.reasoning() != ReasoningLevel.NONE && options.sendReasoningEffort()) {
      root.put("reasoning_effort", request.reasoning().id());
    }
    if (request.temperature() != null) {
      root.put("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      root.put(
          options.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens", request.maxTokens());
    }
    return root;
  }

  private static void addSchemaInstruction(
      ArrayNode messages, ChatRequest request, Options options) {
    if (request.outputSchema() != null && options.schemaMode() == SchemaMode.JSON_OBJECT) {
      messages
          .addObject()
          .put("role", "system")
          .put(
              "content",
              "Answer with one JSON object, and nothing else, that matches this JSON Schema: "
                  + Json.MAPPER.writeValueAsString(request.outputSchema()));
    }
  }

  private static void responseFormat(ObjectNode root, ChatRequest request, Options options) {
    JsonNode schema = request.outputSchema();
    if (schema == null) {
      return;
    }
    ObjectNode format = root.putObject("response_format");
    if (options.schemaMode() == SchemaMode.JSON_OBJECT) {
      format.put("type", "json_object");
      return;
    }
    format
        .put("type", "json_schema")
        .putObject("json_schema")
        .put("name", request.outputName())
        .put("strict", options.strict())
        .set("schema", schema);
  }

  private static ObjectNode message(ChatMessage m) {
    ObjectNode out = Json.object();
    switch (m.role()) {
      case SYSTEM -> out.put("role", "system").put("content", m.text());
      case USER -> {
        out.put("role", "user").put("content", m.text());
        if (m.author() != null && NAME.matcher(m.author()).matches()) {
          out.put("name", m.author());
        }
      }
      case ASSISTANT -> {
        out.put("role", "assistant");
        if (m.text() != null) {
          out.put("content", m.text());
        } else {
          out.putNull("content");
        }
        if (!m.toolCalls().isEmpty()) {
          ArrayNode calls = out.putArray("tool_calls");
          for (ToolCall call : m.toolCalls()) {
            ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
            c.putObject("function")
                .put("name", call.name())
                .put("arguments", argumentsText(call.arguments()));
          }
        }
      }
      case TOOL ->
          out.put("role", "tool").put("tool_call_id", m.toolCallId()).put("content", m.text());
    }
    return out;
  }

  private static String argumentsText(JsonNode arguments) {
    // Arguments that were not valid JSON are kept as a string node: send the model its own text
    // back.
    return arguments.isString()
        ? arguments.stringValue()
        : Json.MAPPER.writeValueAsString(arguments);
  }

  /**
   * Reads a 2xx body; throws a classified {@link ModelException} when it holds no usable answer.
   */
  public static ChatResponse decode(byte[] body, String modelName) {
    JsonNode root = readTree(body, modelName);
    JsonNode choices = root.path("choices");
    if (!choices.isArray()) {
      throw errorInBody(root, modelName);
    }
    if (choices.isEmpty()) {
      throw new ModelException(
          Kind.EMPTY_RESPONSE,
          modelName,
          "Model "
              + modelName
              + " answered with an empty 'choices' array; retry, or check the server's logs");
    }
    JsonNode message = choices.get(0).path("message");
    if (!message.isObject()) {
      throw malformed(modelName, "choices[0] has no 'message' object");
    }
    String refusal = Json.string(message.path("refusal"));
    if (refusal != null && !refusal.isBlank()) {
      throw new ModelException(
          Kind.REFUSAL,
          modelName,
          "Model " + modelName + " refused to answer: " + Json.truncate(refusal, 200));
    }
    String finish = Json.string(choices.get(0).path("finish_reason"));
    List<ToolCall> calls = toolCalls(message.path("tool_calls"), modelName);
    String text = content(message.path("content"));
    if ((text == null || text.isBlank()) && calls.isEmpty()) {
      throw emptyAnswer(modelName, finish);
    }
    return ChatResponse.builder()
        .text(text)
        .toolCalls(calls)
        .usage(usage(root.path("usage")))
        .stopReason(stopReason(finish, calls))
        .modelId(Json.string(root.path("model")))
        .build();
  }

  static JsonNode readTree(byte[] body, String modelName) {
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      if (root == null || !root.isObject()) {
        throw malformed(modelName, "the body is not a JSON object");
      }
      return root;
    } catch (JacksonException e) {
      throw new ModelException(
          Kind.MALFORMED_RESPONSE,
          modelName,
          0,
          null,
          "Model "
              + modelName
              + " answered with a body that is not valid JSON ("
              + body.length
              + " bytes: "
              + Json.truncate(e.getOriginalMessage(), 120)
              + "); it was truncated or the base URL "
              + "does not point at an API; retry, or check the base URL",
          e);
    }
  }

  private static @Nullable String content(JsonNode content) {
    if (content.isString()) {
      return content.stringValue();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        String t = Json.string(part.path("text"));
        if (t != null) {
          sb.append(t);
        }
      }
      return sb.toString();
    }
    return null;
  }

  private static List<ToolCall> toolCalls(JsonNode array, String modelName) {
    if (!array.isArray()) {
      return List.of();
    }
    List<ToolCall> calls = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode call = array.get(i);
      JsonNode function = call.path("function");
      String name = Json.string(function.path("name"));
      if (name == null) {
        throw malformed(modelName, "tool_calls[" + i + "] has no function name");
      }
      String id = Json.string(call.path("id"));
      calls.add(
          ToolCall.of(
              id == null || id.isEmpty() ? "call_" + i : id,
              name,
              arguments(function.path("arguments"))));
    }
    return calls;
  }

  /**
   * Parses tool arguments; text that is not JSON is kept as a string node (see {@link ToolCall}).
   */
  static JsonNode arguments(JsonNode raw) {
    if (raw.isObject()) {
      return raw;
    }
    String text = Json.string(raw);
    if (text == null || text.isBlank()) {
      return Json.object();
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (JacksonException e) {
      return NODES.stringNode(text);
    }
  }

  private static Usage usage(JsonNode u) {
    if (!u.isObject()) {
      return Usage.ZERO;
    }
    return new Usage(
        Json.count(u.path("prompt_tokens")),
        Json.count(u.path("completion_tokens")),
        Json.count(u.path("prompt_tokens_details").path("cached_tokens")),
        0,
        Json.count(u.path("completion_tokens_details").path("reasoning_tokens")),
        null);
  }

  private static StopReason stopReason(@Nullable String finish, List<ToolCall> calls) {
    if (finish == null) {
      return calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_CALLS;
    }
    return switch (finish) {
      case "stop" -> calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_CALLS;
      case "tool_calls", "function_call" -> StopReason.TOOL_CALLS;
      case "length" -> StopReason.MAX_TOKENS;
      case "content_filter" -> StopReason.CONTENT_FILTER;
      default -> StopReason.OTHER;
    };
  }

  private static ModelException emptyAnswer(String modelName, @Nullable String finish) {
    if ("content_filter".equals(finish)) {
      return new ModelException(
          Kind.REFUSAL,
          modelName,
          "Model " + modelName + " returned no answer: the provider's content filter stopped it");
    }
    String why =
        "length".equals(finish)
            ? "it stopped at the token limit before any output; raise maxTokens or lower the reasoning level"
            : "retry, or check the server's logs";
    return new ModelException(
        Kind.EMPTY_RESPONSE,
        modelName,
        "Model "
            + modelName
            + " answered with neither content nor tool calls (finish_reason "
            + finish
            + "); "
            + why);
  }

  /** Some servers (OpenRouter, proxies) answer 200 with an error object instead of choices. */
  private static ModelException errorInBody(JsonNode root, String modelName) {
    JsonNode error = root.path("error");
    if (!error.isObject() && !error.isString()) {
      return malformed(modelName, "it has no 'choices' array");
    }
    int status = error.path("code").isInt() ? error.path("code").asInt() : 0;
    String type = Json.string(error.path("type"));
    if (type == null) {
      type = Json.string(error.path("code"));
    }
    Kind kind = status > 0 ? HttpCaller.kindFor(status, type) : Kind.SERVER_ERROR;
    String message = error.isString() ? error.stringValue() : Json.string(error.path("message"));
    return new ModelException(
        kind,
        modelName,
        status,
        null,
        "Model "
            + modelName
            + " answered with an error instead of choices: "
            + Json.truncate(Redactor.redact(message == null ? "(no message)" : message, null), 300),
        null);
  }

  static ModelException malformed(String modelName, String what) {
    return new ModelException(
        Kind.MALFORMED_RESPONSE,
        modelName,
        "Model "
            + modelName
            + " answered with JSON that is not a chat completion: "
            + what
            + "; retry, or check that the base URL points at an OpenAI-compatible API");
  }
}
