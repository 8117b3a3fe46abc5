package dev.agentmesh.core;

import dev.agentmesh.core.spi.ToolDefinition;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool bound in a {@link Mesh}: its definition for the model, whether it is idempotent, and the
 * code that runs it. Made from {@link Tool}-annotated methods by {@link #fromMethods(Object)}, or
 * built directly:
 *
 * <pre>{@code
 * AgentTool clock = AgentTool.builder("now")
 *     .description("The current time in UTC")
 *     .idempotent(true)
 *     .handler((arguments, context) -> Instant.now().toString())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; handlers must be thread-safe, as several calls may run at once.
 */
public final class AgentTool {

  /**
   * Runs one call. The arguments have been validated against the tool's schema. Return any value
   * Jackson can write; throw to fail the call (the model is told it failed; the stack trace is
   * logged).
   */
  @FunctionalInterface
  public interface Handler {
    /**
     * Runs one call.
     *
     * @param arguments the arguments, valid against the tool's schema
     * @param context the run the call belongs to
     * @return the result, or {@code null}
     * @throws Exception to fail the call
     */
    @Nullable Object call(JsonNode arguments, ToolContext context) throws Exception;
  }

  private final ToolDefinition definition;
  private final boolean idempotent;
  private final @Nullable Handler handler;
  private final Schemas.Validator validator;
  private final @Nullable String childAgent;

  private AgentTool(
      ToolDefinition definition,
      boolean idempotent,
      @Nullable Handler handler,
      @Nullable String childAgent) {
    this.definition = definition;
    this.idempotent = idempotent;
    this.handler = handler;
    this.validator = Schemas.validator(definition.parameters());
    this.childAgent = childAgent;
  }

  /**
   * A builder for a tool with this name.
   *
   * @param name 1 to 64 of {@code [A-Za-z0-9_-]}
   * @return a new builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * One tool per {@link Tool}-annotated method of {@code target}, public or not.
   *
   * @param target the object whose methods are called
   * @return the tools, one per method
   */
  public static List<AgentTool> fromMethods(Object target) {
    List<AgentTool> tools = new ArrayList<>();
    for (Method m : target.getClass().getDeclaredMethods()) {
      Tool tool = m.getAnnotation(Tool.class);
      if (tool == null) continue;
      if (Modifier.isStatic(m.getModifiers())) {
        throw new IllegalArgumentException(
            "@Tool method " + where(m) + " is static; make it an instance method");
      }
      m.setAccessible(true);
      String name = tool.name().isEmpty() ? m.getName() : tool.name();
      MethodBinding binding = new MethodBinding(target, m);
      tools.add(
          new AgentTool(
              ToolDefinition.of(name, tool.value(), binding.schema()),
              tool.idempotent(),
              binding,
              null));
    }
    if (tools.isEmpty()) {
      throw new IllegalArgumentException(
          target.getClass().getName()
              + " has no @Tool methods; annotate "
              + "the methods agents may call with @dev.agentmesh.core.Tool");
    }
    return tools;
  }

  /** A child agent offered as a tool; the agent loop runs it, so it has no handler. */
  static AgentTool forChild(AgentSpec child) {
    JsonNode schema = child.inputSchemaNode();
    if (schema == null) {
      ObjectNode o = Json.object().put("type", "object").put("additionalProperties", false);
      o.putObject("properties")
          .putObject("input")
          .put("type", "string")
          .put("description", "The request for the agent");
      o.putArray("required").add("input");
      schema = o;
    }
    String description =
        child.description().isEmpty()
            ? "Asks the agent '" + child.name() + "'"
            : child.description();
    return new AgentTool(
        ToolDefinition.of(child.name(), description, schema), false, null, child.name());
  }

  /** {@return the tool as the model sees it} */
  public ToolDefinition definition() {
    return definition;
  }

  /** {@return the tool's name} */
  public String name() {
    return definition.name();
  }

  /** {@return whether running the same call twice is harmless} */
  public boolean idempotent() {
    return idempotent;
  }

  /** The child agent this tool runs, or {@code null} for a plain tool. */
  @Nullable String childAgent() {
    return childAgent;
  }

  /** What does not match the argument schema; empty when the arguments are valid. */
  List<String> check(JsonNode arguments) {
    if (!arguments.isObject()) {
      return List.of(
          "arguments must be a JSON object but were " + Text.clip(Json.write(arguments), 80));
    }
    return validator.validate(arguments);
  }

  @Nullable Object invoke(JsonNode arguments, ToolContext context) throws Exception {
    if (handler == null)
      throw new IllegalStateException("child agent " + childAgent + " runs through the agent loop");
    return handler.call(arguments, context);
  }

  @Override
  public String toString() {
    return "AgentTool{" + name() + (idempotent ? ", idempotent" : "") + "}";
  }

  private static String where(Method m) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName();
  }

  /** Calls a {@link Tool} method with arguments bound by Jackson. */
  private static final class MethodBinding implements Handler {
    private final Object target;
    private final Method method;
    private final String[] names;
    private final JavaType[] types;

    MethodBinding(Object target, Method method) {
      this.target = target;
      this.method = method;
      Parameter[] params = method.getParameters();
      names = new String[params.length];
      types = new JavaType[params.length];
      for (int i = 0; i < params.length; i++) {
        if (params[i].getType() == ToolContext.class) continue;
        ToolParam p = params[i].getAnnotation(ToolParam.class);
        names[i] = p != null && !p.name().isEmpty() ? p.name() : params[i].getName();
        if (!params[i].isNamePresent() && (p == null || p.name().isEmpty())) {
          throw new IllegalArgumentException(
              "@Tool method "
                  + where(method)
                  + ": parameter "
                  + i
                  + " has no name; "
                  + "compile with -parameters or name it with @ToolParam(name = \"...\")");
        }
        types[i] = Json.MAPPER.constructType(params[i].getParameterizedType());
      }
    }

    JsonNode schema() {
      ObjectNode schema = Json.object().put("type", "object").put("additionalProperties", false);
      ObjectNode properties = schema.putObject("properties");
      ArrayNode required = schema.putArray("required");
      Parameter[] params = method.getParameters();
      for (int i = 0; i < params.length; i++) {
        if (names[i] == null) continue;
        ObjectNode p = Schemas.of(params[i].getParameterizedType());
        ToolParam ann = params[i].getAnnotation(ToolParam.class);
        if (ann != null && !ann.value().isEmpty()) p.put("description", ann.value());
        properties.set(names[i], p);
        if (ann == null || ann.required() || params[i].getType().isPrimitive()) {
          required.add(names[i]);
        }
      }
      return schema;
    }

    @Override
    public @Nullable Object call(JsonNode arguments, ToolContext context) throws Exception {
      @Nullable Object[] values = new Object[names.length];
      for (int i = 0; i < names.length; i++) {
        if (names[i] == null) {
          values[i] = context;
          continue;
        }
        JsonNode value = arguments.get(names[i]);
        try {
          values[i] =
              value == null || value.isNull()
                  ? null
                  : value.isString() && types[i].getRawClass() == String.class
                      ? value.asString() // what Jackson's binding gives, without its set-up
                      : Json.MAPPER.treeToValue(value, types[i]);
        } catch (JacksonException e) {
          throw new InvalidArgumentsException(
              "parameter '"
                  + names[i]
                  + "' could not be read as "
                  + types[i].getRawClass().getSimpleName()
                  + ": "
                  + Text.clip(e.getOriginalMessage(), 160));
        }
      }
      try {
        return method.invoke(target, values);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception) throw (Exception) cause;
        throw e;
      }
    }
  }

  /** The model's arguments could not be bound; the model is told and may correct them. */
  static final class InvalidArgumentsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidArgumentsException(String message) {
      super(message, null, false, false);
    }
  }

  /** Builds an {@link AgentTool}. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private JsonNode parameters = Json.object().put("type", "object");
    private boolean idempotent;
    private @Nullable Handler handler;

    private Builder(String name) {
      if (!Objects.requireNonNull(name, "name").matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException(
            "tool name must be 1 to 64 of [A-Za-z0-9_-] but was '" + name + "'");
      }
      this.name = name;
    }

    /**
     * What the tool does and when to use it.
     *
     * @param description the description the model reads
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * The JSON Schema of the arguments object; default: an object with any properties.
     *
     * @param schema a JSON Schema object
     * @return this builder
     */
    public Builder parameters(JsonNode schema) {
      if (!schema.isObject()) {
        throw new IllegalArgumentException(
            "parameters must be a JSON Schema object but was " + schema.getNodeType());
      }
      this.parameters = schema.deepCopy();
      return this;
    }

    /**
     * Whether running the same call twice is harmless (default false).
     *
     * @param idempotent whether a repeat is harmless
     * @return this builder
     */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * The code that runs a call.
     *
     * @param handler the handler; thread-safe
     * @return this builder
     */
    public Builder handler(Handler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Builds the tool.
     *
     * @return the tool
     */
    public AgentTool build() {
      if (handler == null) throw new IllegalStateException("tool '" + name + "' needs a handler");
      if (description.isBlank())
        throw new IllegalStateException("tool '" + name + "' needs a description");
      return new AgentTool(
          ToolDefinition.of(name, description, parameters), idempotent, handler, null);
    }
  }
}
