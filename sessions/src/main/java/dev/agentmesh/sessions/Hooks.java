package dev.agentmesh.sessions;

import dev.agentmesh.core.spi.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The hooks modules registered ({@link SessionsExtension}, or directly on the builder), composed:
 * call gates and output gates in registration order (the first that suspends or holds wins), turn
 * contexts concatenated. Immutable and thread-safe when the hooks are.
 */
final class Hooks {

  /** The delimiters around each turn context block in the system prompt. */
  static final String CONTEXT_BEGIN = "<session-context>";

  static final String CONTEXT_END = "</session-context>";

  private final List<CallGate> callGates;
  private final List<OutputGate> outputGates;
  private final List<TurnContext> contexts;

  Hooks(List<CallGate> callGates, List<OutputGate> outputGates, List<TurnContext> contexts) {
    this.callGates = List.copyOf(callGates);
    this.outputGates = List.copyOf(outputGates);
    this.contexts = List.copyOf(contexts);
  }

  /** What the gates decided about a batch of calls: reasons by call id, and what to store. */
  record Suspension(Map<String, String> reasons, Recording recording) {
    static final Suspension NONE = new Suspension(Map.of(), Recording.none());
  }

  /**
   * Asks the gates about {@code calls} (those not released): the first gate that suspends a call
   * gives its reason and its recording.
   */
  Suspension suspend(SessionFold state, String agent, List<ToolCall> calls) {
    if (callGates.isEmpty()) {
      return Suspension.NONE;
    }
    Map<String, String> reasons = new LinkedHashMap<>();
    Recording recording = Recording.none();
    SessionState snapshot = null;
    for (ToolCall call : calls) {
      if (state.released(call.id())) {
        continue;
      }
      for (CallGate gate : callGates) {
        Optional<String> reason = gate.suspend(state.id(), agent, call);
        if (reason.isPresent()) {
          reasons.put(call.id(), reason.get());
          if (snapshot == null) {
            snapshot = state.snapshot();
          }
          Optional<Recording> extra = gate.record(snapshot, agent, call, reason.get());
          if (extra.isPresent()) {
            recording = recording.then(extra.get());
          }
          break;
        }
      }
    }
    return reasons.isEmpty() ? Suspension.NONE : new Suspension(Map.copyOf(reasons), recording);
  }

  /** The first output gate's hold, or empty. */
  Optional<Recording> hold(SessionState state, String agent, JsonNode output) {
    for (OutputGate gate : outputGates) {
      Optional<Recording> held = gate.hold(state, agent, output);
      if (held.isPresent()) {
        return held;
      }
    }
    return Optional.empty();
  }

  /** Whether any output gate is registered: without one, {@link #hold} holds nothing. */
  boolean hasOutputGates() {
    return !outputGates.isEmpty();
  }

  /** Whether any turn context is registered. */
  boolean hasContext() {
    return !contexts.isEmpty();
  }

  /** The turn contexts' texts, each delimited, joined; empty when none adds anything. */
  Optional<String> context(SessionState state, String agent) {
    List<String> blocks = new ArrayList<>();
    for (TurnContext context : contexts) {
      context
          .context(state, agent)
          .filter(text -> !text.isBlank())
          .ifPresent(text -> blocks.add(CONTEXT_BEGIN + "\n" + text.strip() + "\n" + CONTEXT_END));
    }
    return blocks.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", blocks));
  }
}
