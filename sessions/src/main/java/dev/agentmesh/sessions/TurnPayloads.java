package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The payloads of the eight events every conversation turn appends (a message, the run's start, its
 * model calls and answers, a tool call and its result, the output, the completion), written
 * component by component in code: the tree {@link PayloadTrees} writes for them from their record
 * components, without a call through a component reader, a boxed value and a type test per
 * component. {@code PayloadTreesTest} checks each against the tree Jackson's encoder writes on
 * generated events, so a component added to one of these records fails it until it is written here.
 * Strings are checked for U+0000 as {@link PayloadTrees} checks them; a null component (which the
 * records allow) is written as null. Thread-safe.
 */
final class TurnPayloads {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TurnPayloads() {}

  /**
   * The properties of {@code body}'s payload when it is one of the turn's events; null for any
   * other type. Throws {@link PayloadTrees}' marker when a value is left to the encoder.
   */
  static @Nullable SmallProperties write(Object body) {
    if (body instanceof AgentEvent.ModelCalled e) {
      return modelCalled(e);
    } else if (body instanceof AgentEvent.ModelResponded e) {
      return modelResponded(e);
    } else if (body instanceof AgentEvent.ToolCalled e) {
      return toolCalled(e);
    } else if (body instanceof AgentEvent.ToolReturned e) {
      return toolReturned(e);
    } else if (body instanceof AgentEvent.RunStarted e) {
      return runStarted(e);
    } else if (body instanceof AgentEvent.OutputProduced e) {
      return outputProduced(e);
    } else if (body instanceof SessionEvent.MessagePosted e) {
      return messagePosted(e);
    } else if (body instanceof SessionEvent.Completed e) {
      SmallProperties p = new SmallProperties(1);
      p.add("output", json(e.output()));
      return p;
    }
    return null;
  }

  private static SmallProperties runStarted(AgentEvent.RunStarted e) {
    SmallProperties p = new SmallProperties(6);
    p.add("runId", text(e.runId()));
    p.add("agent", text(e.agent()));
    p.add("fingerprint", text(e.fingerprint()));
    p.add("input", json(e.input()));
    p.add("parentRunId", text(e.parentRunId()));
    p.add("continued", NODES.booleanNode(e.continued()));
    return p;
  }

  private static SmallProperties modelCalled(AgentEvent.ModelCalled e) {
    SmallProperties p = new SmallProperties(6);
    p.add("runId", text(e.runId()));
    p.add("agent", text(e.agent()));
    p.add("turn", NODES.numberNode(e.turn()));
    p.add("model", text(e.model()));
    p.add("messages", NODES.numberNode(e.messages()));
    p.add("waited", iso(e.waited())); // ISO 8601, as Jackson writes it
    return p;
  }

  private static SmallProperties modelResponded(AgentEvent.ModelResponded e) {
    SmallProperties p = new SmallProperties(9);
    p.add("runId", text(e.runId()));
    p.add("agent", text(e.agent()));
    p.add("turn", NODES.numberNode(e.turn()));
    p.add("model", text(e.model()));
    p.add("text", text(e.text()));
    p.add("toolCalls", toolCalls(e.toolCalls()));
    p.add("usage", usage(e.usage()));
    p.add(
        "stopReason",
        e.stopReason() == null ? NODES.nullNode() : NODES.stringNode(e.stopReason().name()));
    p.add("elapsed", iso(e.elapsed()));
    return p;
  }

  private static SmallProperties toolCalled(AgentEvent.ToolCalled e) {
    SmallProperties p = new SmallProperties(4);
    p.add("runId", text(e.runId()));
    p.add("agent", text(e.agent()));
    p.add("call", toolCall(e.call()));
    p.add("idempotent", NODES.booleanNode(e.idempotent()));
    return p;
  }

  private static SmallProperties toolReturned(AgentEvent.ToolReturned e) {
    SmallProperties p = new SmallProperties(6);
    p.add("runId", text(e.runId()));
    p.add("agent", text(e.agent()));
    p.add("callId", text(e.callId()));
    p.add("tool", text(e.tool()));
    p.add("result", json(e.result()));
    p.add("elapsed", iso(e.elapsed()));
    return p;
  }

  private static SmallProperties outputProduced(AgentEvent.OutputProduced e) {
    SmallProperties p = new SmallProperties(4);
    p.add("runId", text(e.runId()));
    p.add("agent", text(e.agent()));
    p.add("output", json(e.output()));
    p.add("usage", usage(e.usage()));
    return p;
  }

  private static SmallProperties messagePosted(SessionEvent.MessagePosted e) {
    SmallProperties p = new SmallProperties(4);
    p.add("author", text(e.author()));
    p.add("text", text(e.text()));
    p.add("addressedTo", text(e.addressedTo()));
    p.add("fromAgent", NODES.booleanNode(e.fromAgent()));
    return p;
  }

  private static JsonNode toolCalls(@Nullable List<ToolCall> calls) {
    if (calls == null) {
      return NODES.nullNode();
    }
    ArrayNode array = NODES.arrayNode(calls.size());
    for (ToolCall call : calls) {
      array.add(toolCall(call));
    }
    return array;
  }

  private static JsonNode toolCall(@Nullable ToolCall call) {
    if (call == null) {
      return NODES.nullNode();
    }
    SmallProperties p = new SmallProperties(3);
    p.add("id", text(call.id()));
    p.add("name", text(call.name()));
    p.add("arguments", json(call.arguments()));
    return PayloadTrees.object(p);
  }

  private static JsonNode usage(@Nullable Usage usage) {
    if (usage == null) {
      return NODES.nullNode();
    }
    SmallProperties p = new SmallProperties(6);
    p.add("inputTokens", NODES.numberNode(usage.inputTokens()));
    p.add("outputTokens", NODES.numberNode(usage.outputTokens()));
    p.add("cachedInputTokens", NODES.numberNode(usage.cachedInputTokens()));
    p.add("cacheWriteTokens", NODES.numberNode(usage.cacheWriteTokens()));
    p.add("reasoningTokens", NODES.numberNode(usage.reasoningTokens()));
    BigDecimal cost = usage.cost();
    p.add("cost", cost == null ? NODES.nullNode() : NODES.numberNode(cost));
    return PayloadTrees.object(p);
  }

  /** A JSON component copied, as {@link PayloadTrees} copies it; null as null. */
  private static JsonNode json(@Nullable JsonNode json) {
    return json == null ? NODES.nullNode() : PayloadTrees.copy(json);
  }

  /** A duration in ISO 8601, as Jackson writes it; null as null. */
  private static JsonNode iso(@Nullable Duration duration) {
    return duration == null ? NODES.nullNode() : NODES.stringNode(duration.toString());
  }

  /** A string component as a node: null as null, else checked for U+0000. */
  private static JsonNode text(@Nullable String text) {
    return text == null ? NODES.nullNode() : NODES.stringNode(PayloadTrees.checked(text));
  }
}
