package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.SpecProblem;
import dev.agentmesh.core.internal.spec.Names;
import dev.agentmesh.core.internal.spec.SpecFiles;
import dev.agentmesh.core.internal.spec.SpecTree;
import dev.agentmesh.core.internal.spec.SpecTree.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads declared triggers from trigger files: YAML (or JSON) files beside the agent specs, by
 * convention in a {@code triggers/} directory next to {@code agents/}, each holding a {@code
 * triggers:} list of one or more triggers. See docs/triggers.md, "Declarative triggers".
 *
 * <pre>{@code
 * List<TriggerSpec> triggers = TriggerSpecs.loadDirectory(Path.of("triggers"));
 * List<SpecProblem> problems =
 *     TriggerSpecs.validate(List.of(Path.of("triggers")), AgentSpecs.loadDirectory(Path.of("agents")));
 * }</pre>
 *
 * <p>Files are read with the agent spec loader's parser, so every problem is reported the same way,
 * as {@code file:line:col: message} with a suggestion for near misses (unknown fields, kinds,
 * dialects, zones, policy values), all of them together in one {@link TriggerSpecException}. Cron
 * expressions are parsed when loaded. Ids are unique across all files loaded together. Secrets are
 * references ({@code env:NAME}); a secret written inline is refused, and never repeated in a
 * message. Thread-safe: all methods are static.
 */
public final class TriggerSpecs {

  private TriggerSpecs() {}

  /**
   * Loads one trigger file.
   *
   * @param file the file
   * @return its triggers, in file order
   * @throws TriggerSpecException listing every problem
   */
  public static List<TriggerSpec> load(Path file) {
    return loadAll(List.of(file));
  }

  /**
   * Loads every {@code .yaml}, {@code .yml} and {@code .json} file under a directory, recursively,
   * in path order (hidden entries skipped, each file once); a directory without any is a problem.
   *
   * @param directory the directory
   * @return the triggers, in path and file order
   * @throws TriggerSpecException listing every problem
   */
  public static List<TriggerSpec> loadDirectory(Path directory) {
    return loadAll(List.of(directory));
  }

  /**
   * Loads trigger files and directories together; ids must be unique across all of them.
   *
   * @param paths files and directories
   * @return the triggers, in path and file order
   * @throws TriggerSpecException listing every problem
   */
  public static List<TriggerSpec> loadAll(List<Path> paths) {
    Batch batch = read(paths);
    if (!batch.problems.isEmpty()) throw new TriggerSpecException(batch.problems);
    return List.copyOf(batch.specs);
  }

  /**
   * Parses trigger files' text; {@code sourceName} names it in messages, and a name ending in
   * {@code .json} is read as JSON, anything else as YAML.
   *
   * @param text the file's text
   * @param sourceName a file name, such as {@code triggers.yaml}
   * @return its triggers
   * @throws TriggerSpecException listing every problem
   */
  public static List<TriggerSpec> parse(String text, String sourceName) {
    Batch batch = new Batch();
    batch.add(text.getBytes(StandardCharsets.UTF_8), sourceName);
    batch.duplicates();
    if (!batch.problems.isEmpty()) throw new TriggerSpecException(batch.problems);
    return List.copyOf(batch.specs);
  }

  /**
   * Checks trigger files as {@code agentmesh validate} does: every problem of every file, duplicate
   * ids, and {@link #check} against {@code agents}.
   *
   * @param paths trigger files and directories
   * @param agents the agent specs beside them
   * @return every problem, sorted by place; empty when all is well
   */
  public static List<SpecProblem> validate(List<Path> paths, Collection<AgentSpec> agents) {
    Batch batch = read(paths);
    List<SpecProblem> out = new ArrayList<>(batch.problems);
    out.addAll(check(batch.specs, agents));
    return out.stream().sorted().toList();
  }

  /**
   * Checks trigger files on their own: every problem of every file and duplicate ids, without
   * checking their agents.
   *
   * @param paths trigger files and directories
   * @return every problem, sorted by place; empty when all is well
   */
  public static List<SpecProblem> validate(List<Path> paths) {
    return read(paths).problems.stream().sorted().toList();
  }

  /**
   * Checks triggers against the agent specs beside them: {@link #checkAgents}, and that each agent
   * in an agent trigger's {@code from} declares the {@value AgentTriggers#TOOL} tool it starts
   * sessions with.
   *
   * @param triggers the triggers
   * @param agents the agent specs
   * @return every problem, at the field it is about when the trigger came from a file
   */
  public static List<SpecProblem> check(List<TriggerSpec> triggers, Collection<AgentSpec> agents) {
    Map<String, AgentSpec> byName = new HashMap<>();
    for (AgentSpec a : agents) byName.put(a.name(), a);
    List<SpecProblem> out = new ArrayList<>(checkAgents(triggers, byName.keySet()));
    for (TriggerSpec t : triggers) {
      for (int i = 0; i < t.from().size(); i++) {
        AgentSpec parent = byName.get(t.from().get(i));
        if (parent == null || parent.tools().contains(AgentTriggers.TOOL)) continue;
        String file = parent.source();
        String message =
            "agent '"
                + parent.name()
                + "' cannot start '"
                + t.agent()
                + "' (trigger '"
                + t.id()
                + "'): it has no "
                + AgentTriggers.TOOL
                + " tool; add it to its spec"
                + (file == null ? "" : " (" + file + ")")
                + ": tools: "
                + tools(parent);
        out.add(problem(t, "from[" + i + "]", message));
      }
    }
    return out;
  }

  private static String tools(AgentSpec parent) {
    List<String> tools = new ArrayList<>(parent.tools());
    tools.add(AgentTriggers.TOOL);
    return "[" + String.join(", ", tools) + "]";
  }

  /**
   * Checks that each trigger's agent, and each agent in an agent trigger's {@code from}, is one of
   * {@code agentNames}, with a suggestion for a near miss, at the field when it came from a file.
   *
   * @param triggers the triggers
   * @param agentNames the agents there are
   * @return a problem per trigger whose agent is unknown
   */
  public static List<SpecProblem> checkAgents(
      List<TriggerSpec> triggers, Collection<String> agentNames) {
    Set<String> names = new TreeSet<>(agentNames);
    List<SpecProblem> out = new ArrayList<>();
    for (TriggerSpec t : triggers) {
      if (!names.contains(t.agent())) out.add(problem(t, "agent", unknown(t, t.agent(), names)));
      for (int i = 0; i < t.from().size(); i++) {
        String parent = t.from().get(i);
        if (!names.contains(parent))
          out.add(problem(t, "from[" + i + "]", unknown(t, parent, names)));
      }
    }
    return out;
  }

  private static String unknown(TriggerSpec t, String agent, Set<String> names) {
    return "unknown agent '"
        + agent
        + "' (trigger '"
        + t.id()
        + "')"
        + Names.didYouMean(agent, names)
        + ". Agents beside it: "
        + names;
  }

  private static SpecProblem problem(TriggerSpec t, String field, String message) {
    int[] at = t.place(field);
    String source = t.file() == null ? "trigger '" + t.id() + "'" : t.file();
    return at == null
        ? new SpecProblem(source, 0, 0, message)
        : new SpecProblem(source, at[0], at[1], message);
  }

  private static Batch read(List<Path> paths) {
    Batch batch = new Batch();
    for (Path file : SpecFiles.find(paths, TriggerCodec.KIND, batch.problems::add)) {
      byte[] bytes = SpecFiles.read(file, TriggerCodec.KIND, batch.problems::add);
      if (bytes != null) batch.add(bytes, file.toString());
    }
    batch.duplicates();
    return batch;
  }

  /** Triggers read together, every problem, and each id with where it was first written. */
  private static final class Batch {
    final List<TriggerSpec> specs = new ArrayList<>();
    final List<SpecProblem> problems = new ArrayList<>();
    final List<TriggerCodec.Named> named = new ArrayList<>();

    void add(byte[] bytes, String source) {
      boolean yaml = !source.toLowerCase(Locale.ROOT).endsWith(".json");
      Node root = SpecTree.parse(bytes, source, yaml, TriggerCodec.KIND, problems);
      if (root == null) return;
      specs.addAll(TriggerCodec.read(root, source, problems, named::add));
    }

    void duplicates() {
      Map<String, String> first = new HashMap<>();
      for (TriggerCodec.Named n : named) {
        String earlier = first.putIfAbsent(n.id(), n.where());
        if (earlier == null) continue;
        problems.add(
            new SpecProblem(
                n.source(),
                n.line(),
                n.column(),
                "trigger id '"
                    + n.id()
                    + "' is already used at "
                    + earlier
                    + "; ids must be unique"));
        specs.removeIf(s -> s == n.spec());
      }
    }
  }
}
