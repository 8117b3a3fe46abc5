package dev.agentmesh.core;

import dev.agentmesh.core.AgentEvent.ToolFailure;
import dev.agentmesh.core.LimitExceededException.Limit;
import dev.agentmesh.core.internal.turn.StopRun;
import dev.agentmesh.core.internal.turn.Transcript;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.StopReason;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One run of an agent: render the instructions, call the model, run the tools it asks for (several
 * at once run concurrently), call again, until a valid final answer. Every step is an event,
 * delivered before the next step starts. Not thread-safe; one thread drives a run.
 */
final class AgentRun {

  private static final Logger log = LoggerFactory.getLogger(AgentRun.class);

  /**
   * The request builder's default listener: {@link AgentListener#noop()} is a lambda that captures
   * nothing, so it is this one instance (were it not, runs would only build events nobody hears).
   */
  private static final AgentListener NOBODY = AgentListener.noop();

  private static final long GRACE_NANOS = Deadline.GRACE.toNanos();

  /** How many times a run tolerates tool arguments the model got wrong. */
  static final int MAX_ARGUMENT_ERRORS = 3;

  private final Mesh mesh;
  private final Agent agent;
  private final AgentSpec spec;
  private final AgentRequest request;
  private final String runId;
  private final Deadline deadline;
  private final ChatMessage system;
  private final ToolBatch tools;

  /**
   * Bounds the steps this run's thread runs itself (model calls, a single tool call); taken when
   * the run starts, given back when it ends.
   */
  private Watchdog.@Nullable Watch watch;

  /**
   * Whether any listener hears this run's events; when none does, the events of the steps that
   * succeed are not even built (failures still go through {@link #emit}, which delivers to no one).
   */
  private final boolean heard;

  /** The conversation after the system prompt, and which tool calls it still owes. */
  private Transcript transcript = Transcript.empty();

  /** See {@link #requests()}; made at the first model call. */
  private ChatRequest.@Nullable Builder requests;

  /**
   * The time left at the first model call when nothing but this run's own bookkeeping ran since its
   * deadline was set (no guardrail, no listener, no history, its own deadline): its whole timeout,
   * so that call does not read the clock again (a read costs about 20 ns, as much as a step of the
   * loop). Null once used, or when something else ran.
   */
  private @Nullable Duration untouched;

  private Usage usage = Usage.ZERO;
  private int turns;
  private int toolCalls;
  private int argumentErrors;
  private boolean repairAsked;

  AgentRun(Mesh mesh, Agent agent, AgentRequest request) {
    this.mesh = mesh;
    this.agent = agent;
    this.spec = agent.spec();
    this.request = request;
    this.runId = request.runId() != null ? request.runId() : mesh.newId();
    this.deadline =
        Deadline.start(
            mesh.clock(), spec.name(), runId, spec.limits().timeout(), request.deadline());
    String instructions = agent.instructions().render(request.inputNode(), request.context());
    String extra = request.systemContext();
    this.system = ChatMessage.system(extra == null ? instructions : instructions + "\n\n" + extra);
    this.heard = !mesh.listeners().isEmpty() || request.listener() != NOBODY;
    this.tools = new ToolBatch(mesh, agent, request, runId, deadline, heard);
  }

  AgentResult run() {
    watch = Watchdog.Watch.take();
    try {
      return runWatched();
    } finally {
      watch.release();
    }
  }

  private AgentResult runWatched() {
    JsonNode input = request.inputNode();
    checkInputSchema(input);
    boolean continued = !request.history().isEmpty();
    if (!continued && !heard && spec.guardrails().isEmpty() && deadline != request.deadline()) {
      untouched = spec.limits().timeout();
    }
    if (heard) {
      emit(
          new AgentEvent.RunStarted(
              runId,
              spec.name(),
              now(),
              spec.fingerprint(),
              input,
              request.parentRunId(),
              continued));
    }
    try {
      guard(Guardrail.Stage.INPUT, null, input);
      if (spec.function() != null) return runFunction(input, continued);
      if (continued) {
        transcript = Transcript.of(request.history());
        List<ToolCall> pending = transcript.owed();
        if (!pending.isEmpty()) runTools(pending);
        ChatMessage answer = transcript.recordedAnswer();
        if (answer != null) {
          JsonNode output = output(answer.text());
          if (output != null) return produce(output);
        }
      } else {
        transcript = transcript.append(Transcript.inputMessage(input));
      }
      return loop();
    } catch (RuntimeException e) {
      RuntimeException failure = asFailure(e);
      reportFailure(failure);
      throw failure;
    }
  }

  private AgentResult loop() {
    while (true) {
      if (request.stopRequested().getAsBoolean()) return result(null);
      // One read of the clock serves the check and the call.
      Duration left = untouched != null ? untouched : deadline.remaining();
      untouched = null;
      if (left.isZero()) throw deadline.exceeded();
      if (turns >= spec.limits().maxTurns()) {
        throw limit(
            Limit.MAX_TURNS,
            "reached maxTurns ("
                + spec.limits().maxTurns()
                + ") without a final answer. Raise limits.maxTurns in its spec, or narrow its task");
      }
      ChatResponse response = callModel(left);
      if (response == null) return result(null); // a listener stopped the run before the call
      transcript = transcript.append(response.toMessage());
      if (response.hasToolCalls()) {
        runTools(response.toolCalls());
        continue;
      }
      JsonNode output = output(response.text());
      if (output == null) continue;
      return produce(output);
    }
  }

  /**
   * A deterministic agent's run: the bound function makes the output, checked against the output
   * schema (no repair: a function answers the same again) and the guardrails as a model's answer
   * is.
   */
  private AgentResult runFunction(JsonNode input, boolean continued) {
    AgentFunction function = mesh.function(java.util.Objects.requireNonNull(spec.function()));
    transcript =
        continued
            ? Transcript.of(request.history())
            : transcript.append(Transcript.inputMessage(input));
    if (request.stopRequested().getAsBoolean()) return result(null);
    checkDeadline();
    JsonNode output = function.apply(input, spec.name(), runId);
    if (deadline.passed()) throw deadline.exceededRunning(function.name());
    Schemas.Validator validator = agent.outputValidator();
    List<String> errors = validator == null ? List.of() : validator.validate(output);
    if (!errors.isEmpty()) {
      throw new OutputValidationException(
          spec.name(),
          runId,
          errors,
          "Function '"
              + function.name()
              + "' of agent '"
              + spec.name()
              + "' returned output that does not match the agent's output schema: "
              + String.join("; ", errors)
              + ". Make the function's output type match the schema, or relax the schema.");
    }
    transcript = transcript.append(Transcript.answer(output));
    return produce(output);
  }

  private AgentResult produce(JsonNode output) {
    guard(Guardrail.Stage.OUTPUT, null, output);
    if (heard) emit(new AgentEvent.OutputProduced(runId, spec.name(), now(), output, usage));
    return result(output);
  }

  // ---- model --------------------------------------------------------------------------------

  /**
   * One model call and its events, after a permit of the alias's concurrency limit when it has one;
   * null when a listener stopped the run before it.
   */
  private @Nullable ChatResponse callModel(Duration left) {
    ChatModel model = agent.model();
    ModelGate gate = agent.gate();
    if (gate == null) return callModel(model, null, left);
    try (ModelGate.Permit permit = acquire(gate, model)) {
      return callModel(model, permit, left);
    }
  }

  /**
   * @param leftBefore the time the run had left just before; read again when a permit or a listener
   *     took time since
   */
  private @Nullable ChatResponse callModel(
      ChatModel model, ModelGate.@Nullable Permit permit, Duration leftBefore) {
    Transcript asked = transcript;
    List<ChatMessage> messages = asked.messages();
    int turn = ++turns;
    if (heard) {
      try {
        emit(
            new AgentEvent.ModelCalled(
                runId,
                spec.name(),
                now(),
                turn,
                model.name(),
                messages.size() + 1,
                permit == null ? Duration.ZERO : permit.waited()));
      } catch (ListenerFailure failure) {
        if (failure.failure instanceof StopRun) {
          turns--;
          return null; // told to stop before asking the model: a stop, not a failure
        }
        throw failure;
      }
    }
    // The request's timeout, and what the wait is bounded by.
    Duration left = heard || permit != null ? deadline.remaining() : leftBefore;
    // The system message and the transcript's own immutable view: the request shares the
    // conversation instead of copying it, so building it does not grow with the conversation.
    ChatRequest chat = requests().messages(asked.withFirst(system)).timeout(left).build();
    long start = heard ? System.nanoTime() : 0;
    ChatResponse response = chat(model, chat, left, permit);
    if (heard) {
      emit(
          new AgentEvent.ModelResponded(
              runId,
              spec.name(),
              now(),
              turn,
              model.name(),
              response.text(),
              response.toolCalls(),
              response.usage(),
              response.stopReason(),
              Duration.ofNanos(System.nanoTime() - start)));
    }
    if (response.stopReason() == StopReason.REFUSAL && !response.hasToolCalls()) {
      throw new ModelException(
          ModelException.Kind.REFUSAL,
          model.name(),
          "Model '" + model.name() + "' refused to answer agent '" + spec.name() + "'");
    }
    addUsage(response.usage());
    return response;
  }

  /**
   * The builder of this run's model requests, holding what every one of them says the same (the
   * tools, the output schema, the settings, the labels); each request sets its messages and
   * timeout.
   */
  private ChatRequest.Builder requests() {
    ChatRequest.Builder b = requests;
    if (b == null) {
      b =
          ChatRequest.builder()
              .tools(agent.offered())
              .outputSchema(spec.outputSchemaNode())
              .outputName(spec.name())
              .reasoning(spec.reasoning())
              .temperature(spec.temperature())
              .maxTokens(spec.maxOutputTokens())
              .metadata("agent", spec.name())
              .metadata("runId", runId);
      requests = b;
    }
    return b;
  }

  /**
   * One model call, bounded by the run's deadline: on this thread for a model that honours the
   * request's timeout (interrupted {@link Deadline#GRACE} after the deadline if it has not
   * returned), else on the mesh executor, waited on until the deadline. See {@link
   * ChatModel#honoursTimeout()}. An answer that comes after the deadline is dropped; on this
   * thread, the run's watch tells so when the deadline passes during the call, to within the
   * watcher's wake-up (well under a millisecond on an idle machine).
   */
  private ChatResponse chat(
      ChatModel model, ChatRequest chat, Duration left, ModelGate.@Nullable Permit permit) {
    ChatResponse response;
    boolean watched = model.honoursTimeout();
    try {
      if (!watched) {
        response =
            Watchdog.handOff(
                call(model, chat, permit), mesh.executor(), Deadline.roundedUpMillis(left));
      } else {
        // Late at the deadline (its answer dropped), interrupted GRACE after it.
        long lateAt = deadline.nanoTimeAt(Duration.ZERO);
        long interruptAt = lateAt + GRACE_NANOS;
        response =
            permit == null
                ? watch().step(ChatModel::chat, model, chat, lateAt, interruptAt)
                : watch().step(call(model, chat, permit), lateAt, interruptAt);
      }
    } catch (TimeoutException e) {
      throw deadline.exceededWaitingFor(model.name(), spec.name(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (deadline.passed()) throw deadline.exceededWaitingFor(model.name(), spec.name(), e);
      throw new AgentRunException(
          spec.name(),
          runId,
          "Agent '"
              + spec.name()
              + "' was interrupted while waiting for model '"
              + model.name()
              + "'",
          e);
    } catch (ModelException e) {
      if (deadline.passed()
          || e.kind() == ModelException.Kind.TIMEOUT && deadline.within(Deadline.GRACE)) {
        throw deadline.exceededWaitingFor(model.name(), spec.name(), e);
      }
      throw e;
    } catch (RuntimeException e) {
      throw new ModelException(
          ModelException.Kind.UNKNOWN,
          model.name(),
          0,
          null,
          "Model '"
              + model.name()
              + "' threw "
              + e.getClass().getSimpleName()
              + " instead of a ModelException; this is a bug in the model adapter",
          e);
    }
    if (response == null) {
      throw new ModelException(
          ModelException.Kind.UNKNOWN, model.name(), "Model '" + model.name() + "' returned null");
    }
    // An answer after the deadline is dropped: the timeout bounds the run, not only the waiting.
    // The watch marked a late one already (without a read of the clock), unless the deadline is
    // kept on another clock, or the model ran on the executor.
    if ((!watched || !deadline.isMonotonic()) && deadline.passed()) {
      throw deadline.exceededWaitingFor(model.name(), spec.name(), null);
    }
    return response;
  }

  private Watchdog.Watch watch() {
    return java.util.Objects.requireNonNull(watch, "the run's watch, taken when it started");
  }

  /** The model call, returning the alias's permit when it ends if there is one. */
  private static Supplier<ChatResponse> call(
      ChatModel model, ChatRequest chat, ModelGate.@Nullable Permit permit) {
    Supplier<ChatResponse> call = () -> model.chat(chat);
    return permit == null ? call : permit.around(call);
  }

  /**
   * A permit of the alias's concurrency limit, waited for at most until the run's deadline (see
   * {@link Mesh.Builder#modelConcurrency}).
   */
  private ModelGate.Permit acquire(ModelGate gate, ChatModel model) {
    try {
      return gate.acquire(deadline.remainingMillis());
    } catch (TimeoutException e) {
      throw deadline.exceededWaitingForPermit(gate.alias(), gate.limit(), model.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentRunException(
          spec.name(),
          runId,
          "Agent '"
              + spec.name()
              + "' was interrupted while waiting for one of the "
              + gate.limit()
              + " permits of model alias '"
              + gate.alias()
              + "'",
          e);
    }
  }

  /** Adds what a model call or a child agent spent; on the run's thread only. */
  private void addUsage(Usage more) {
    usage = usage.plus(more);
    checkCost();
  }

  private void checkCost() {
    if (spec.limits().maxCost() != null
        && usage.cost() != null
        && usage.cost().compareTo(spec.limits().maxCost()) > 0) {
      throw limit(
          Limit.MAX_COST,
          "cost $"
              + usage.cost().toPlainString()
              + ", over its maxCost of $"
              + spec.limits().maxCost().toPlainString()
              + ". Raise limits.maxCost in its spec, or use a cheaper model");
    }
  }

  private @Nullable JsonNode output(@Nullable String answer) {
    String text = answer == null ? "" : answer;
    Schemas.Validator validator = agent.outputValidator();
    if (validator == null) return JsonNodeFactory.instance.stringNode(text);
    List<String> errors;
    JsonNode parsed = null;
    try {
      parsed = Json.MAPPER.readTree(stripFences(text));
      errors = validator.validate(parsed);
    } catch (JacksonException e) {
      errors =
          List.of(
              "the answer is not JSON: " + Text.clip(String.valueOf(e.getOriginalMessage()), 160));
    }
    if (errors.isEmpty()) return parsed;
    if (repairAsked) throw new OutputValidationException(spec.name(), runId, errors);
    repairAsked = true;
    emit(new AgentEvent.OutputRejected(runId, spec.name(), now(), errors));
    transcript = transcript.append(Transcript.repairRequest(errors));
    return null;
  }

  private static String stripFences(String text) {
    String t = text.strip();
    if (t.startsWith("```")) {
      int firstLine = t.indexOf('\n');
      int end = t.lastIndexOf("```");
      if (firstLine > 0 && end > firstLine) return t.substring(firstLine + 1, end);
    }
    return t;
  }

  // ---- tools --------------------------------------------------------------------------------

  private void runTools(List<ToolCall> calls) {
    toolCalls += calls.size();
    if (toolCalls > spec.limits().maxToolCalls()) {
      throw limit(
          Limit.MAX_TOOL_CALLS,
          "asked for "
              + toolCalls
              + " tool calls, over its maxToolCalls of "
              + spec.limits().maxToolCalls()
              + ". Raise limits.maxToolCalls in its spec, or narrow its task");
    }
    // Every guardrail first: a block must not leave an earlier call of the batch recorded as
    // started but never run.
    for (ToolCall call : calls) guard(Guardrail.Stage.TOOL_CALL, call.name(), call.arguments());
    // Each call's message, in the calls' order: the model reads results in the order it asked.
    @Nullable ChatMessage[] results = new ChatMessage[calls.size()];
    boolean @Nullable [] refused = null; // usually none: then every call of the batch runs
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      AgentTool tool = agent.tool(call.name());
      if (heard) {
        emit(
            new AgentEvent.ToolCalled(
                runId, spec.name(), now(), call, tool != null && tool.idempotent()));
      }
      String refusal = refusal(call, tool);
      if (refusal != null) {
        ToolFailure reason =
            tool == null
                ? ToolFailure.UNKNOWN_TOOL
                : spec.sandbox().allowsTool(call.name())
                    ? ToolFailure.INVALID_ARGUMENTS
                    : ToolFailure.NOT_ALLOWED;
        results[i] = failed(call, reason, refusal);
        if (refused == null) refused = new boolean[calls.size()];
        refused[i] = true;
      }
    }
    dispatch(refused == null ? calls : without(calls, refused), calls, results);
    for (ChatMessage result : results) {
      if (result != null) transcript = transcript.append(result);
    }
    checkCost(); // with what the batch's child agents spent
  }

  /** The calls not marked {@code refused}. */
  private static List<ToolCall> without(List<ToolCall> calls, boolean[] refused) {
    List<ToolCall> left = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      if (!refused[i]) left.add(calls.get(i));
    }
    return left;
  }

  /** Why the call cannot run, as the model is told, or {@code null} when it can. */
  private @Nullable String refusal(ToolCall call, @Nullable AgentTool tool) {
    if (tool == null) {
      return "Unknown tool '"
          + call.name()
          + "'"
          + Text.didYouMean(call.name(), namesOffered())
          + ". Available tools: "
          + namesOffered();
    }
    if (!spec.sandbox().allowsTool(call.name())) {
      return "Tool '"
          + call.name()
          + "' is not allowed for this agent. Available tools: "
          + namesOffered();
    }
    List<String> errors = tool.check(call.arguments());
    if (errors.isEmpty()) return null;
    return "Invalid arguments for tool '"
        + call.name()
        + "': "
        + String.join("; ", errors)
        + ". Call it again with arguments matching its schema.";
  }

  private List<String> namesOffered() {
    List<String> names = new ArrayList<>();
    agent.offered().forEach(d -> names.add(d.name()));
    return names;
  }

  /**
   * Runs the runnable calls through the batch, recording each outcome on this thread as it
   * completes, into {@code results} at its call's place in {@code all}.
   */
  private void dispatch(
      List<ToolCall> runnable, List<ToolCall> all, @Nullable ChatMessage[] results) {
    try {
      tools.run(
          runnable,
          watch(),
          outcome -> results[place(all, outcome.call)] = record(outcome.call, outcome));
    } catch (TimeoutException e) {
      throw deadline.exceeded();
    }
  }

  /** Where {@code call} (the very object) is in {@code calls}. */
  private static int place(List<ToolCall> calls, ToolCall call) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i) == call) return i;
    }
    throw new IllegalStateException("the tool batch returned an outcome for a call not asked for");
  }

  /**
   * Emits the outcome's event on the driving thread and turns it into the model's message, or null
   * if there is none yet.
   */
  private @Nullable ChatMessage record(ToolCall call, ToolBatch.Outcome outcome) {
    usage = usage.plus(outcome.usage); // checked against maxCost once the batch is recorded
    if (outcome.failure != null) return failed(call, outcome.failure, outcome.message);
    if (outcome.result == null) return null; // a child agent stopped: no result yet
    if (heard) {
      emit(
          new AgentEvent.ToolReturned(
              runId,
              spec.name(),
              now(),
              call.id(),
              call.name(),
              outcome.result,
              Duration.ofNanos(outcome.elapsedNanos)));
    }
    return Transcript.toolResult(call.id(), call.name(), outcome.result);
  }

  private ChatMessage failed(ToolCall call, ToolFailure reason, String message) {
    emit(
        new AgentEvent.ToolFailed(
            runId, spec.name(), now(), call.id(), call.name(), reason, message));
    if (reason == ToolFailure.INVALID_ARGUMENTS && ++argumentErrors > MAX_ARGUMENT_ERRORS) {
      throw new AgentRunException(
          spec.name(),
          runId,
          "Agent '"
              + spec.name()
              + "' called tools with invalid "
              + "arguments "
              + argumentErrors
              + " times; the last: "
              + message
              + " Describe the tool's parameters better, or use a stronger model.",
          null);
    }
    return Transcript.toolFailure(call.id(), call.name(), message);
  }

  // ---- guardrails, limits, events -----------------------------------------------------------

  private void checkInputSchema(JsonNode input) {
    List<String> errors = agent.inputProblems(input);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "Input for agent '"
              + spec.name()
              + "' does not match its input schema: "
              + String.join("; ", errors));
    }
  }

  private void guard(Guardrail.Stage stage, @Nullable String tool, JsonNode value) {
    for (String name : spec.guardrails()) {
      Guardrail guardrail = mesh.guardrailNamed(name);
      Guardrail.Verdict verdict;
      try {
        verdict =
            stage == Guardrail.Stage.INPUT
                ? guardrail.checkInput(value)
                : stage == Guardrail.Stage.OUTPUT
                    ? guardrail.checkOutput(value)
                    : guardrail.checkToolCall(
                        java.util.Objects.requireNonNull(tool, "tool"), value);
      } catch (RuntimeException e) {
        log.warn(
            "Guardrail '{}' threw while checking the {} of agent '{}'",
            name,
            stage.id(),
            spec.name(),
            e);
        verdict = Guardrail.Verdict.block("the guardrail threw " + e.getClass().getSimpleName());
      }
      if (!verdict.allowed()) {
        String reason =
            tool == null ? verdict.reason() : "call of tool '" + tool + "': " + verdict.reason();
        emit(new AgentEvent.GuardrailBlocked(runId, spec.name(), now(), name, stage, reason));
        throw new GuardrailBlockedException(spec.name(), runId, name, stage, reason);
      }
    }
  }

  private void checkDeadline() {
    if (deadline.passed()) throw deadline.exceeded();
  }

  private LimitExceededException limit(Limit limit, String what) {
    return new LimitExceededException(
        spec.name(), runId, limit, "Agent '" + spec.name() + "' " + what + ".");
  }

  private Instant now() {
    return mesh.clock().instant();
  }

  private void emit(AgentEvent event) {
    for (AgentListener listener : mesh.listeners()) deliver(listener, event);
    deliver(request.listener(), event);
  }

  private void deliver(AgentListener listener, AgentEvent event) {
    try {
      listener.onEvent(event);
    } catch (AgentMeshException e) {
      throw new ListenerFailure(e);
    } catch (RuntimeException e) {
      throw new ListenerFailure(
          new AgentRunException(
              spec.name(),
              runId,
              "A listener of agent '"
                  + spec.name()
                  + "' failed on "
                  + event.type()
                  + " ("
                  + e.getClass().getSimpleName()
                  + "); the run stopped there",
              e));
    }
  }

  /** A listener's failure: rethrown as is, and no further event is delivered for the run. */
  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final AgentMeshException failure;

    ListenerFailure(AgentMeshException failure) {
      super(null, failure, false, false);
      this.failure = failure;
    }
  }

  private RuntimeException asFailure(RuntimeException e) {
    return e instanceof ListenerFailure ? ((ListenerFailure) e).failure : e;
  }

  private void reportFailure(RuntimeException failure) {
    if (failure instanceof IllegalArgumentException) return;
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    try {
      emit(
          new AgentEvent.RunFailed(
              runId,
              spec.name(),
              now(),
              failure.getClass().getSimpleName(),
              Text.clip(message, 1000)));
    } catch (ListenerFailure again) {
      failure.addSuppressed(again.failure);
    }
  }

  private AgentResult result(@Nullable JsonNode output) {
    return new AgentResult(
        runId, spec.name(), output, usage, turns, toolCalls, transcript.messages());
  }
}
