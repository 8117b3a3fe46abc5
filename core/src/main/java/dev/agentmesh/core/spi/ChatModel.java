package dev.agentmesh.core.spi;

/**
 * A language model: one request in, one response out.
 *
 * <p>This is the model SPI. The agent loop builds a {@link ChatRequest} (messages, tool
 * definitions, an optional output schema, reasoning level) and expects a {@link ChatResponse}
 * (text and/or tool calls, usage, stop reason). Adapters for real providers live in the
 * {@code agentmesh-models} module; {@code ScriptedModel} in {@code agentmesh-testing} answers from
 * a script.
 *
 * <pre>{@code
 * ChatModel echo = request -> ChatResponse.ofText("You said: " + request.lastUserText());
 * Mesh mesh = Mesh.builder().model("default", echo).agent(spec).build();
 * }</pre>
 *
 * <h2>Threading</h2>
 * Implementations must be safe for concurrent use: one instance serves every agent bound to its
 * alias, and agent calls run in parallel. A call may block; it runs on the caller's thread or on
 * the mesh's executor.
 *
 * <h2>Errors</h2>
 * A failure the provider reports, or a transport failure, is thrown as a {@link ModelException}
 * with its {@link ModelException.Kind kind} set, so the caller can tell a retryable failure from a
 * permanent one. Retrying is the adapter's job; the agent loop does not retry a
 * {@code ModelException}. Any other exception an implementation throws is treated as a bug: the
 * agent loop wraps it in a {@code ModelException} of kind {@link ModelException.Kind#UNKNOWN}.
 * Implementations never put an API key, an authorization header or a whole prompt in an
 * exception message or a log line.
 */
@FunctionalInterface
public interface ChatModel {

  /**
   * Sends one request and returns the model's response.
   *
   * @throws ModelException when the provider or the transport fails
   */
  ChatResponse chat(ChatRequest request);

  /**
   * A short name for events, metrics and messages, such as {@code openai:gpt-4.1-mini}. Never
   * contains a secret.
   */
  default String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() ? "model" : simple;
  }
}
