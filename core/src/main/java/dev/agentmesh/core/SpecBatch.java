package dev.agentmesh.core;

import dev.agentmesh.core.internal.spec.SpecTree;
import dev.agentmesh.core.internal.spec.SpecTree.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Specs loaded together, from files or classpath resources: those that loaded, the names of those
 * that did not, and every problem. One broken spec never hides another's problems, and a spec that
 * refers to a broken one by name is not told that name is unknown.
 */
final class SpecBatch {

  /** The name of a spec whose file is not even valid YAML or JSON, found by its line. */
  private static final Pattern YAML_NAME =
      Pattern.compile("(?m)^name:[ \\t]*[\"']?([a-z][a-z0-9-]{0,62})[\"']?[ \\t]*(?:#.*)?$");

  private static final Pattern JSON_NAME =
      Pattern.compile("\"name\"\\s*:\\s*\"([a-z][a-z0-9-]{0,62})\"");

  private final List<AgentSpec> specs = new ArrayList<>();

  /** The specs that loaded and what could be read of those that did not, in the order read. */
  private final List<AgentSpec> all = new ArrayList<>();

  /** The top-level fields that are broken in each spec of {@code all} that did not load. */
  private final Map<AgentSpec, Set<String>> broken = new java.util.IdentityHashMap<>();

  private final Set<String> unloadedNames = new TreeSet<>();
  private final List<SpecProblem> problems = new ArrayList<>();

  /**
   * Parses one document; {@code source} names it in messages, and a name ending in .json makes it
   * JSON.
   */
  @Nullable AgentSpec add(byte[] bytes, String source) {
    boolean yaml = !source.toLowerCase(Locale.ROOT).endsWith(".json");
    Node root = SpecTree.parse(bytes, source, yaml, problems);
    if (root == null) {
      Matcher name =
          (yaml ? YAML_NAME : JSON_NAME).matcher(new String(bytes, StandardCharsets.UTF_8));
      if (name.find()) unloadedNames.add(name.group(1));
      return null;
    }
    int parsed = problems.size();
    AgentSpec spec =
        SpecCodec.read(
            root,
            source,
            new String(bytes, StandardCharsets.UTF_8),
            problems,
            partial -> {
              all.add(partial.spec());
              broken.put(partial.spec(), partial.broken());
            });
    dropAtAliases(source, parsed);
    Node name = root.fields.get("name");
    if (spec != null) {
      specs.add(spec);
      all.add(spec);
    } else if (name != null && name.isString()) {
      unloadedNames.add((String) name.scalar);
    }
    return spec;
  }

  /**
   * An alias is reported as such: what the field then makes of the anchor's name is no second
   * problem.
   */
  private void dropAtAliases(String source, int from) {
    Set<List<Integer>> aliases = new java.util.HashSet<>();
    for (SpecProblem p : problems) {
      if (p.source().equals(source) && p.message().startsWith("YAML alias"))
        aliases.add(List.of(p.line(), p.column()));
    }
    if (aliases.isEmpty()) return;
    List<SpecProblem> read = problems.subList(from, problems.size());
    read.removeIf(
        p -> p.source().equals(source) && aliases.contains(List.of(p.line(), p.column())));
  }

  void problem(SpecProblem problem) {
    problems.add(problem);
  }

  int problemCount() {
    return problems.size();
  }

  /** Every spec, after checking that names are unique; throws with every problem found. */
  List<AgentSpec> specs() {
    problems.addAll(duplicateNames(all));
    if (!problems.isEmpty()) throw new AgentSpecException(problems);
    return List.copyOf(specs);
  }

  /**
   * Every problem: each spec's, duplicate names, and what the specs say about each other, those
   * with problems of their own included as far as they could be read (a broken field is not checked
   * again).
   */
  List<SpecProblem> allProblems() {
    List<SpecProblem> out = new ArrayList<>(problems);
    out.addAll(duplicateNames(all));
    out.addAll(
        MeshChecker.referencesOnly(byName(all), unloadedNames, broken).check(List.of(), List.of()));
    return out.stream().sorted().toList();
  }

  static Map<String, AgentSpec> byName(List<AgentSpec> specs) {
    Map<String, AgentSpec> byName = new LinkedHashMap<>();
    for (AgentSpec spec : specs) byName.putIfAbsent(spec.name(), spec);
    return byName;
  }

  /** A second spec with a name already taken, at its {@code name} when it came from a file. */
  static List<SpecProblem> duplicateNames(List<AgentSpec> specs) {
    Map<String, AgentSpec> first = new HashMap<>();
    List<SpecProblem> out = new ArrayList<>();
    for (AgentSpec spec : specs) {
      AgentSpec earlier = first.putIfAbsent(spec.name(), spec);
      if (earlier == null) continue;
      if (spec.places() == null) {
        out.add(
            new SpecProblem(
                "mesh",
                0,
                0,
                "agent name '"
                    + spec.name()
                    + "' is registered twice; agent names must be unique"));
      } else {
        String where =
            earlier.places() != null
                ? earlier.places().where("name")
                : "agent '" + spec.name() + "'";
        out.add(
            spec.places()
                .problem(
                    "name",
                    "agent name '"
                        + spec.name()
                        + "' is already used by "
                        + where
                        + "; names must be unique"));
      }
    }
    return out;
  }
}
