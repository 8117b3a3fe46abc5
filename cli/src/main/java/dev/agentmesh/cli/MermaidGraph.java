package dev.agentmesh.cli;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.triggers.TriggerKind;
import dev.agentmesh.triggers.TriggerSpec;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Draws specs as a Mermaid flowchart: agents as boxes labelled with their name and model alias (or,
 * for a deterministic agent, its function), tools as hexagons shared by the agents that use them,
 * solid edges to child agents and dotted edges to tools; triggers (when given) as flags labelled
 * with their id and what fires them ({@code human} for a person), with a {@code starts} edge to
 * their agent; an agent trigger as a {@code starts} edge from each agent in its {@code from} to its
 * agent.
 *
 * <pre>{@code
 * flowchart LR
 *   a0["escalate<br/>model: smart"]
 *   a1["triage<br/>model: fast"]
 *   t0{{"lookup-tier"}}
 *   t1{{"start_session"}}
 *   g0>"by-hand<br/>human"]
 *   g1>"daily<br/>cron: 0 9 * * MON-FRI, Europe/Berlin"]
 *   a1 -->|calls| a0
 *   a1 -.->|uses| t0
 *   a1 -.->|uses| t1
 *   g0 ==>|starts| a1
 *   g1 ==>|starts| a1
 *   a1 ==>|starts| a0
 * }</pre>
 *
 * <p>Output is deterministic: agents, tools and triggers are numbered in name (id) order, edges
 * follow the agents in name order and each agent's declared order, then the triggers in id order,
 * then the agent triggers in id order (each {@code from} in declared order). Node ids are generated
 * ({@code a0}, {@code t0}, {@code g0}), so no name can clash with Mermaid syntax; names appear only
 * in quoted, escaped labels.
 */
final class MermaidGraph {

  private MermaidGraph() {}

  /** The flowchart of specs whose references have been checked: every child agent is among them. */
  static String render(List<AgentSpec> specs) {
    return render(specs, List.of());
  }

  /**
   * The flowchart of specs and triggers whose references have been checked: every child agent and
   * every trigger's agent is among the specs.
   */
  static String render(List<AgentSpec> specs, List<TriggerSpec> triggerSpecs) {
    List<TriggerSpec> sorted =
        triggerSpecs.stream().sorted(Comparator.comparing(TriggerSpec::id)).toList();
    List<TriggerSpec> triggers =
        sorted.stream().filter(t -> t.kind() != TriggerKind.AGENT).toList();
    List<TriggerSpec> agentStarts =
        sorted.stream().filter(t -> t.kind() == TriggerKind.AGENT).toList();
    List<AgentSpec> agents = specs.stream().sorted(Comparator.comparing(AgentSpec::name)).toList();
    Map<String, String> agentIds = ids(agents.stream().map(AgentSpec::name).toList(), "a");
    Map<String, String> toolIds =
        ids(new TreeSet<>(agents.stream().flatMap(a -> a.tools().stream()).toList()), "t");
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    for (AgentSpec agent : agents) {
      String function = agent.function();
      String text =
          label(agent.name())
              + (function != null
                  ? "<br/>function: " + label(function)
                  : "<br/>model: " + label(agent.model()));
      node(sb, id(agentIds, agent.name()), "[\"", text, "\"]");
    }
    toolIds.forEach((tool, id) -> node(sb, id, "{{\"", label(tool), "\"}}"));
    for (int i = 0; i < triggers.size(); i++) {
      TriggerSpec t = triggers.get(i);
      node(sb, "g" + i, ">\"", label(t.id()) + "<br/>" + label(fires(t)), "\"]");
    }
    for (AgentSpec agent : agents) {
      String from = id(agentIds, agent.name());
      agent.agents().forEach(child -> edge(sb, from, " -->|calls| ", id(agentIds, child)));
      agent.tools().forEach(tool -> edge(sb, from, " -.->|uses| ", id(toolIds, tool)));
    }
    for (int i = 0; i < triggers.size(); i++) {
      edge(sb, "g" + i, " ==>|starts| ", id(agentIds, triggers.get(i).agent()));
    }
    for (TriggerSpec t : agentStarts) {
      String child = id(agentIds, t.agent());
      t.from().forEach(parent -> edge(sb, id(agentIds, parent), " ==>|starts| ", child));
    }
    return sb.toString();
  }

  /** What fires a trigger, in a few words: {@code cron: 0 9 * * *, Europe/Berlin}. */
  static String fires(TriggerSpec t) {
    String what =
        switch (t.kind()) {
          case CRON ->
              "cron"
                  + (t.dialect() == dev.agentmesh.triggers.CronDialect.QUARTZ ? " (quartz)" : "")
                  + ": "
                  + t.expression()
                  + ", "
                  + t.zone().getId();
          case INTERVAL ->
              "every "
                  + dev.agentmesh.core.internal.spec.Durations.format(
                      java.util.Objects.requireNonNull(t.every()));
          case ONCE -> "once: " + t.at();
          case WEBHOOK ->
              "webhook: "
                  + dev.agentmesh.triggers.Verification.schemeId(
                      java.util.Objects.requireNonNull(t.verification()).scheme());
          case EVENT -> "event: " + t.source();
          case HUMAN -> "human";
          case AGENT -> "start_session of " + String.join(", ", t.from());
        };
    return t.paused() ? what + " (paused)" : what;
  }

  /** The node id of a name; once references are checked, every name the specs use has one. */
  private static String id(Map<String, String> ids, String name) {
    String id = ids.get(name);
    if (id == null) {
      throw new IllegalStateException(
          "No graph node for '"
              + name
              + "'; render only specs whose "
              + "references were checked (nodes: "
              + ids.keySet()
              + ")");
    }
    return id;
  }

  /**
   * Text safe inside a quoted Mermaid label: characters Mermaid or its HTML labels would interpret
   * become entity codes ({@code #34;}), line breaks and other control characters become spaces.
   */
  static String label(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"', '#', '<', '>', '&', '`' -> sb.append('#').append(c).append(';');
                default -> {
                  if (Character.isISOControl(c)) sb.append(' ');
                  else sb.appendCodePoint(c);
                }
              }
            });
    return sb.toString();
  }

  private static Map<String, String> ids(Iterable<String> names, String prefix) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (String name : names) ids.put(name, prefix + ids.size());
    return ids;
  }

  private static void node(StringBuilder sb, String id, String open, String label, String close) {
    sb.append("  ").append(id).append(open).append(label).append(close).append('\n');
  }

  private static void edge(StringBuilder sb, String from, String arrow, String to) {
    sb.append("  ").append(from).append(arrow).append(to).append('\n');
  }
}
