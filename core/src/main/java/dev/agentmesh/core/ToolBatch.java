package dev.agentmesh.core;

import dev.agentmesh.core.AgentEvent.ToolFailure;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Runs the tool calls of one model turn: a single call on the driving thread, several on the mesh
 * executor concurrently, child agents through their own loop; either way no longer than the run's
 * deadline. Classifies what each call came to; the run records it. One per run.
 */
final class ToolBatch {

  private static final Logger log = LoggerFactory.getLogger(ToolBatch.class);

  private final Mesh mesh;
  private final Agent agent;
  private final AgentSpec spec;
  private final AgentRequest request;
  private final String runId;
  private final Deadline deadline;

  /** The outcome of the call {@link #runInline} ran last; on the run's thread only. */
  private @Nullable Outcome inlineOutcome;

  /** Whether outcomes carry the call's elapsed time (read from the clock only when reported). */
  private final boolean timed;

  ToolBatch(
      Mesh mesh,
      Agent agent,
      AgentRequest request,
      String runId,
      Deadline deadline,
      boolean timed) {
    this.mesh = mesh;
    this.agent = agent;
    this.spec = agent.spec();
    this.request = request;
    this.runId = runId;
    this.deadline = deadline;
    this.timed = timed;
  }

  /**
   * Runs the calls on the mesh executor, waiting for them until the run's deadline, and hands every
   * outcome to {@code recorder} on this thread as it completes; a single call runs on this thread
   * instead, bounded by the run's {@code watch}. A fatal outcome (a limit or guardrail of a child
   * agent, a failed listener) is thrown only after every other call has finished and been recorded.
   *
   * @throws TimeoutException when the deadline passes first; the calls still running are cancelled
   */
  void run(List<ToolCall> calls, Watchdog.Watch watch, Consumer<Outcome> recorder)
      throws TimeoutException {
    if (calls.isEmpty()) return;
    if (calls.size() == 1) {
      Outcome outcome = runInline(calls.get(0), watch);
      if (outcome.fatal != null) throw outcome.fatal;
      recorder.accept(outcome);
      return;
    }
    CompletionService<Outcome> completion = new ExecutorCompletionService<>(mesh.executor());
    List<Future<Outcome>> futures = new ArrayList<>();
    for (ToolCall call : calls) futures.add(completion.submit(() -> execute(call)));
    RuntimeException fatal = null;
    try {
      for (int i = 0; i < calls.size(); i++) {
        Future<Outcome> done = completion.poll(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
        if (done == null) throw new TimeoutException();
        Outcome outcome = outcomeOf(done);
        if (outcome.fatal != null) {
          if (fatal == null) fatal = outcome.fatal;
        } else {
          recorder.accept(outcome);
        }
      }
    } catch (TimeoutException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new AgentRunException(
          spec.name(), runId, "Agent '" + spec.name() + "' was interrupted while its tools ran", e);
    }
    if (fatal != null) throw fatal;
  }

  /**
   * Runs one call on this thread, the common case, with no hand-off to the executor; if the
   * deadline passes first, the run's {@link Watchdog.Watch} interrupts this thread, so a tool
   * blocked in an interruptible wait gives up. A tool that ignores interrupts keeps the run until
   * it returns; the deadline is checked then.
   *
   * @throws TimeoutException when the deadline passed during the call
   */
  private Outcome runInline(ToolCall call, Watchdog.Watch watch) throws TimeoutException {
    inlineOutcome = null;
    try {
      return watch.step(ToolBatch::executeInline, this, call, deadline.nanoTimeAt(Duration.ZERO));
    } catch (TimeoutException e) {
      // A child agent that hit the same deadline has said what it was waiting for: keep its words.
      Outcome done = inlineOutcome;
      if (done != null
          && done.fatal instanceof LimitExceededException
          && ((LimitExceededException) done.fatal).limit()
              == LimitExceededException.Limit.TIMEOUT) {
        return done;
      }
      throw e;
    }
  }

  /** {@link #execute}, keeping the outcome for {@link #runInline} should the step time out. */
  private Outcome executeInline(ToolCall call) {
    Outcome outcome = execute(call);
    inlineOutcome = outcome;
    return outcome;
  }

  /** The outcome of a finished call; an Error thrown by a tool is rethrown as it is. */
  private static Outcome outcomeOf(Future<Outcome> done) throws InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error) throw (Error) cause;
      if (cause instanceof RuntimeException) throw (RuntimeException) cause;
      throw new IllegalStateException(cause);
    }
  }

  /** What one tool call came to: a result, or a failure with what to tell the model. */
  static final class Outcome {
    final ToolCall call;
    final @Nullable JsonNode result;
    final @Nullable ToolFailure failure;
    final String message;

    /** How long the call took, in nanoseconds (a Duration only when an event needs one). */
    final long elapsedNanos;

    final @Nullable RuntimeException fatal;

    /**
     * What a child agent spent, for the run to add on its own thread; {@link Usage#ZERO} for a
     * plain tool.
     */
    final Usage usage;

    Outcome(
        ToolCall call,
        @Nullable JsonNode result,
        @Nullable ToolFailure failure,
        String message,
        long elapsedNanos,
        @Nullable RuntimeException fatal,
        Usage usage) {
      this.call = call;
      this.result = result;
      this.failure = failure;
      this.message = message;
      this.elapsedNanos = elapsedNanos;
      this.fatal = fatal;
      this.usage = usage;
    }
  }

  /** Runs one call on any thread; never throws. */
  private Outcome execute(ToolCall call) {
    // AgentRun refuses a call to an unknown tool before the batch; the batch never sees one.
    AgentTool tool = java.util.Objects.requireNonNull(agent.tool(call.name()), "dispatched tool");
    long start = timed ? System.nanoTime() : 0;
    try {
      if (tool.childAgent() != null) {
        AgentResult child = runChild(tool.childAgent(), call);
        // A stopped child has no result yet (a resumed run asks again); what it spent counts.
        JsonNode output = child.stopped() ? null : child.output();
        return new Outcome(call, output, null, "", elapsed(start), null, child.usage());
      }
      JsonNode result =
          Json.toNode(
              nullToEmpty(
                  tool.invoke(
                      call.arguments(),
                      new ToolContext(spec.name(), runId, call.id(), spec.sandbox()))));
      return new Outcome(call, result, null, "", elapsed(start), null, Usage.ZERO);
    } catch (AgentTool.InvalidArgumentsException e) {
      return new Outcome(
          call,
          null,
          ToolFailure.INVALID_ARGUMENTS,
          "Invalid arguments for tool '"
              + call.name()
              + "': "
              + e.getMessage()
              + ". Call it again with arguments matching its schema.",
          elapsed(start),
          null,
          Usage.ZERO);
    } catch (SandboxViolationException e) {
      return new Outcome(
          call, null, ToolFailure.NOT_ALLOWED, Text.message(e), elapsed(start), null, Usage.ZERO);
    } catch (AgentMeshException e) {
      if (tool.childAgent() == null
          || e instanceof ModelException
          || e instanceof OutputValidationException) {
        return failure(call, tool, e, start);
      }
      // A child's limit or guardrail, or a listener (a session's store) failing inside the child:
      // the parent must stop too, not carry on with steps nobody recorded.
      return new Outcome(call, null, ToolFailure.EXCEPTION, "", elapsed(start), e, Usage.ZERO);
    } catch (Exception e) {
      return failure(call, tool, e, start);
    }
  }

  /** A call that threw: logged with its stack trace; the model learns only that it failed. */
  private Outcome failure(ToolCall call, AgentTool tool, Exception e, long start) {
    log.warn("Tool '{}' of agent '{}' failed in run {}", call.name(), spec.name(), runId, e);
    String what =
        tool.childAgent() != null
            ? "Agent '" + call.name() + "' failed"
            : "Tool '" + call.name() + "' failed";
    return new Outcome(
        call,
        null,
        ToolFailure.EXCEPTION,
        what + " with " + e.getClass().getSimpleName() + ". Try another way, or answer without it.",
        elapsed(start),
        null,
        Usage.ZERO);
  }

  /**
   * Runs a child agent within this run's deadline (its own timeout may end it sooner); a stopped
   * child leaves its call unanswered, so a resumed run asks it again.
   */
  private AgentResult runChild(String child, ToolCall call) {
    Agent childAgent = mesh.agent(child);
    JsonNode input =
        childAgent.spec().inputSchemaNode() != null
            ? call.arguments()
            : call.arguments().path("input");
    return childAgent.call(
        AgentRequest.builder(input)
            .parentRunId(runId)
            .listener(request.listener())
            .stopWhen(request.stopRequested())
            .deadline(deadline)
            .build());
  }

  private static Object nullToEmpty(@Nullable Object value) {
    return value == null ? JsonNodeFactory.instance.nullNode() : value;
  }

  private long elapsed(long startNanos) {
    return timed ? System.nanoTime() - startNanos : 0;
  }
}
