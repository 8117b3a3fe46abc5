package dev.agentmesh.cli;

import dev.agentmesh.core.AgentSpec;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Draws specs as a Mermaid flowchart: agents as boxes labelled with their name and model alias,
 * tools as hexagons shared by the agents that use them, solid edges to child agents and dotted
 * edges to tools.
 *
 * <pre>{@code
 * flowchart LR
 *   a0["escalate<br/>model: smart"]
 *   a1["triage<br/>model: fast"]
 *   t0{{"lookup-tier"}}
 *   a1 -->|calls| a0
 *   a1 -.->|uses| t0
 * }</pre>
 *
 * <p>Output is deterministic: agents and tools are numbered in name order, edges follow the agents
 * in name order and each agent's declared order. Node ids are generated ({@code a0}, {@code t0}),
 * so no name can clash with Mermaid syntax; names appear only in quoted, escaped labels.
 */
final class MermaidGraph {

  private MermaidGraph() {}

  /** The flowchart of specs whose references have been checked: every child agent is among them. */
  static String render(List<AgentSpec> specs) {
    List<AgentSpec> agents = specs.stream().sorted(Comparator.comparing(AgentSpec::name)).toList();
    Map<String, String> agentIds = ids(agents.stream().map(AgentSpec::name).toList(), "a");
    Map<String, String> toolIds =
        ids(new TreeSet<>(agents.stream().flatMap(a -> a.tools().stream()).toList()), "t");
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    for (AgentSpec agent : agents) {
      String text = label(agent.name()) + "<br/>model: " + label(agent.model());
      node(sb, id(agentIds, agent.name()), "[\"", text, "\"]");
    }
    toolIds.forEach((tool, id) -> node(sb, id, "{{\"", label(tool), "\"}}"));
    for (AgentSpec agent : agents) {
      String from = id(agentIds, agent.name());
      agent.agents().forEach(child -> edge(sb, from, " -->|calls| ", id(agentIds, child)));
      agent.tools().forEach(tool -> edge(sb, from, " -.->|uses| ", id(toolIds, tool)));
    }
    return sb.toString();
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
