package dev.agentmesh.core;

import dev.agentmesh.core.spi.StopReason;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One step of an agent run, delivered to {@link AgentListener}s in the order it happened.
 *
 * <p>Events are the record of a run: sessions persist them as the audit trail and rebuild a
 * conversation from them after a crash, so each carries what is needed to replay the step and
 * nothing that can only live in memory. Every event names its run, its agent and when it happened;
 * a child agent's events carry the child's name and their own run id.
 *
 * <p>The {@code JsonNode}s an event carries (input, arguments, results, output) are shared with the
 * run and with every other listener, not copied: treat them as read-only, and {@code deepCopy()}
 * one you need to change.
 *
 * <pre>{@code
 * AgentListener printer = event -> {
 *   if (event instanceof AgentEvent.ToolCalled called) {
 *     log.info("{} calls {}", called.agent(), called.call().name());
 *   }
 * };
 * }</pre>
 */
public sealed interface AgentEvent {

  /** {@return the run this event belongs to} */
  String runId();

  /** {@return the agent that ran the step} */
  String agent();

  /** {@return when the step happened, by the mesh's clock} */
  Instant at();

  /**
   * {@return a short, stable name of the event type, such as {@code tool.called}; used when
   * persisting}
   */
  String type();

  /**
   * A run began.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param fingerprint the spec's {@link AgentSpec#fingerprint()}, the version every later event
   *     refers to
   * @param input the input, as JSON
   * @param parentRunId the run that called this agent as a tool, or {@code null}
   * @param continued whether the run continues a conversation given as history (then the input is
   *     not sent as a new message)
   */
  record RunStarted(
      String runId,
      String agent,
      Instant at,
      String fingerprint,
      JsonNode input,
      @Nullable String parentRunId,
      boolean continued)
      implements AgentEvent {
    public String type() {
      return "run.started";
    }
  }

  /**
   * The model is about to be called. When the model's alias has a {@link
   * Mesh.Builder#modelConcurrency concurrency limit}, this comes once the call has its permit, and
   * {@code waited} says how long it queued for it.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param turn the 1-based number of this model call in the run
   * @param model the {@code ChatModel}'s name
   * @param messages how many messages the request holds
   * @param waited how long the call waited for a permit of its alias's concurrency limit; zero when
   *     the alias has no limit
   */
  record ModelCalled(
      String runId, String agent, Instant at, int turn, String model, int messages, Duration waited)
      implements AgentEvent {

    /**
     * Checks {@code waited}.
     *
     * @param runId the run this event belongs to
     * @param agent the agent that ran the step
     * @param at when the step happened, by the mesh's clock
     * @param turn the 1-based number of this model call in the run
     * @param model the {@code ChatModel}'s name
     * @param messages how many messages the request holds
     * @param waited how long the call waited for a permit; zero when the alias has no limit
     */
    public ModelCalled {
      Objects.requireNonNull(waited, "waited");
    }

    /**
     * A call that did not wait for a permit.
     *
     * @param runId the run this event belongs to
     * @param agent the agent that ran the step
     * @param at when the step happened, by the mesh's clock
     * @param turn the 1-based number of this model call in the run
     * @param model the {@code ChatModel}'s name
     * @param messages how many messages the request holds
     */
    public ModelCalled(
        String runId, String agent, Instant at, int turn, String model, int messages) {
      this(runId, agent, at, turn, model, messages, Duration.ZERO);
    }

    public String type() {
      return "model.called";
    }
  }

  /**
   * The model answered.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param turn the 1-based number of the model call in the run
   * @param model the {@code ChatModel}'s name
   * @param text the answer's text, or {@code null} when it only asked for tools
   * @param toolCalls the tools it asked for
   * @param elapsed how long the call took
   * @param usage tokens and cost of this call
   * @param stopReason why the model stopped
   */
  record ModelResponded(
      String runId,
      String agent,
      Instant at,
      int turn,
      String model,
      @Nullable String text,
      List<ToolCall> toolCalls,
      Usage usage,
      StopReason stopReason,
      Duration elapsed)
      implements AgentEvent {
    /**
     * Copies {@code toolCalls}, so the event does not change when the caller's list does.
     *
     * @param runId the run this event belongs to
     * @param agent the agent that ran the step
     * @param at when the step happened, by the mesh's clock
     * @param turn the 1-based number of the model call in the run
     * @param model the {@code ChatModel}'s name
     * @param text the answer's text, or {@code null} when it only asked for tools
     * @param toolCalls the tools it asked for
     * @param elapsed how long the call took
     * @param usage tokens and cost of this call
     * @param stopReason why the model stopped
     */
    public ModelResponded {
      toolCalls = List.copyOf(toolCalls);
    }

    public String type() {
      return "model.responded";
    }
  }

  /**
   * A tool is about to run. A session stores it before a tool that is not idempotent runs, so a
   * crash between this event and the tool's result leaves an unknown outcome that the session can
   * see; an idempotent call's is stored with the run's next commit, and the call runs again after a
   * crash.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param call the call: its id, the tool's name and the arguments
   * @param idempotent whether running the call twice is harmless
   */
  record ToolCalled(String runId, String agent, Instant at, ToolCall call, boolean idempotent)
      implements AgentEvent {
    public String type() {
      return "tool.called";
    }
  }

  /**
   * A tool returned.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param callId the id of the call that returned, as in {@link ToolCalled}
   * @param tool the tool's name
   * @param result what it returned, as JSON (a string result is a JSON string)
   * @param elapsed how long the tool took
   */
  record ToolReturned(
      String runId,
      String agent,
      Instant at,
      String callId,
      String tool,
      JsonNode result,
      Duration elapsed)
      implements AgentEvent {
    public String type() {
      return "tool.returned";
    }
  }

  /**
   * A tool call failed; {@code message} is what the model was told.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param callId the id of the failed call, as in {@link ToolCalled}
   * @param tool the tool's name, as the model gave it
   * @param reason why: bad arguments, an unknown or disallowed tool, or the tool threw
   * @param message what the model was told
   */
  record ToolFailed(
      String runId,
      String agent,
      Instant at,
      String callId,
      String tool,
      ToolFailure reason,
      String message)
      implements AgentEvent {
    public String type() {
      return "tool.failed";
    }
  }

  /** Why a tool call failed. */
  enum ToolFailure {
    /** The arguments did not match the tool's schema or types; the model may correct them. */
    INVALID_ARGUMENTS,
    /** The model named a tool this agent does not have. */
    UNKNOWN_TOOL,
    /** The sandbox policy does not allow the tool, or a host it tried to reach. */
    NOT_ALLOWED,
    /** The tool threw; the stack trace was logged, not shown to the model. */
    EXCEPTION,
    /** A guardrail blocked the call. */
    BLOCKED
  }

  /**
   * The final answer did not match the output schema; the model is asked once to repair it.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param errors what did not match, one line each
   */
  record OutputRejected(String runId, String agent, Instant at, List<String> errors)
      implements AgentEvent {
    /**
     * Copies {@code errors}, so the event does not change when the caller's list does.
     *
     * @param runId the run this event belongs to
     * @param agent the agent that ran the step
     * @param at when the step happened, by the mesh's clock
     * @param errors what did not match, one line each
     */
    public OutputRejected {
      errors = List.copyOf(errors);
    }

    public String type() {
      return "output.rejected";
    }
  }

  /**
   * A guardrail blocked a step; the run fails with {@link GuardrailBlockedException}.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param guardrail the guardrail's name
   * @param stage where it blocked
   * @param reason what the guardrail said
   */
  record GuardrailBlocked(
      String runId,
      String agent,
      Instant at,
      String guardrail,
      Guardrail.Stage stage,
      String reason)
      implements AgentEvent {
    public String type() {
      return "guardrail.blocked";
    }
  }

  /**
   * The run produced its output.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param output the output: a JSON value matching the output schema, or a JSON string
   * @param usage tokens and cost of the whole run, child agents included
   */
  record OutputProduced(String runId, String agent, Instant at, JsonNode output, Usage usage)
      implements AgentEvent {
    public String type() {
      return "output.produced";
    }
  }

  /**
   * The run failed.
   *
   * @param runId the run this event belongs to
   * @param agent the agent that ran the step
   * @param at when the step happened, by the mesh's clock
   * @param error the exception's simple class name, such as {@code LimitExceededException}
   * @param message its message (never a prompt or a secret)
   */
  record RunFailed(String runId, String agent, Instant at, String error, String message)
      implements AgentEvent {
    /**
     * Checks that {@code message} is there: a failure always says what went wrong.
     *
     * @param runId the run this event belongs to
     * @param agent the agent that ran the step
     * @param at when the step happened, by the mesh's clock
     * @param error the exception's simple class name, such as {@code LimitExceededException}
     * @param message its message (never a prompt or a secret)
     */
    public RunFailed {
      Objects.requireNonNull(message, "message");
    }

    public String type() {
      return "run.failed";
    }
  }
}
