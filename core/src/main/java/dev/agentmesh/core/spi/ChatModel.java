package dev.agentmesh.core.spi;

/**
 * A language model: one request in, one response out.
 *
 * <p>This is the model SPI. The agent loop builds a {@link ChatRequest} (messages, tool
 * definitions, an optional output schema, reasoning level) and expects a {@link ChatResponse} (text
 * and/or tool calls, usage, stop reason). Adapters for real providers live in the {@code
 * agentmesh-models} module; {@code ScriptedModel} in {@code agentmesh-testing} answers from a
 * script.
 *
 * <pre>{@code
 * ChatModel echo = request -> ChatResponse.ofText("You said: " + request.lastUserText());
 * Mesh mesh = Mesh.builder().model("default", echo).agent(spec).build();
 * }</pre>
 *
 * <h2>Threading</h2>
 *
 * Implementations must be safe for concurrent use: one instance serves every agent bound to its
 * alias, and agent calls run in parallel. A call may block; it runs on the caller's thread or on
 * the mesh's executor.
 *
 * <h2>Deadlines</h2>
 *
 * A request carries {@link ChatRequest#timeout()}, the time left before the run's {@code
 * limits.timeout}. The agent loop enforces it whatever the model does: at the deadline the run
 * fails with {@code LimitExceededException} (limit {@code TIMEOUT}). How it stops waiting depends
 * on {@link #honoursTimeout()}:
 *
 * <ul>
 *   <li>{@code false} (the default, for models that may block without looking at the timeout): the
 *       loop runs {@link #chat} on the mesh's executor and stops waiting at the deadline, then
 *       interrupts the call. A call that ignores the interrupt keeps its executor thread until it
 *       returns, and its answer is dropped. This costs one thread hand-off per model call
 *       (microseconds; a real provider call takes seconds).
 *   <li>{@code true} (the adapters of {@code agentmesh-models}): the loop calls {@link #chat} on
 *       its own thread, with no hand-off, trusting the model to return or throw by the timeout; if
 *       it has not returned {@code 100 ms} after the deadline, the thread is interrupted.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * A failure the provider reports, or a transport failure, is thrown as a {@link ModelException}
 * with its {@link ModelException.Kind kind} set, so the caller can tell a retryable failure from a
 * permanent one. Retrying is the adapter's job; the agent loop does not retry a {@code
 * ModelException}. Any other exception an implementation throws is treated as a bug: the agent loop
 * wraps it in a {@code ModelException} of kind {@link ModelException.Kind#UNKNOWN}. Implementations
 * never put an API key, an authorization header or a whole prompt in an exception message or a log
 * line.
 */
@FunctionalInterface
public interface ChatModel {

  /**
   * Sends one request and returns the model's response.
   *
   * @param request the request
   * @return the response
   * @throws ModelException when the provider or the transport fails
   */
  ChatResponse chat(ChatRequest request);

  /**
   * Whether {@link #chat} returns or throws on its own once {@link ChatRequest#timeout()} has
   * passed, give or take a few milliseconds: it cancels its I/O at the deadline, and neither starts
   * an attempt nor sleeps past it. Then the agent loop calls it on the driving thread with no
   * hand-off. Default {@code false}: the loop runs the call on the mesh's executor, so that a model
   * which blocks for longer, even ignoring interrupts, cannot hold the run past its deadline. A
   * model that throws a {@link ModelException} of kind {@link ModelException.Kind#TIMEOUT} within
   * 100 ms of the run's deadline has the run fail with the deadline's {@code
   * LimitExceededException}, the model's failure as its cause.
   *
   * @return whether the model stops at the request's timeout on its own
   */
  default boolean honoursTimeout() {
    return false;
  }

  /**
   * A short name for events, metrics and messages, such as {@code openai:gpt-4.1-mini}. Never
   * contains a secret.
   *
   * @return the name
   */
  default String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() ? "model" : simple;
  }
}
