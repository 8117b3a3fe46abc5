package dev.agentmesh.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Loads {@link AgentSpec}s from YAML and JSON, and writes them back.
 *
 * <pre>{@code
 * List<AgentSpec> specs = AgentSpecs.loadDirectory(Path.of("agents"));
 * AgentSpec triage = AgentSpecs.load(Path.of("agents/triage.yaml"));
 * String yaml = AgentSpecs.toYaml(triage);           // reloads equal
 * }</pre>
 *
 * <p>Every problem is reported, not just the first, each as {@code file:line:col: message} in one
 * {@link AgentSpecException}. No input makes a loader throw anything else: empty files, binary
 * garbage, deep nesting, files over 1 MiB, duplicate keys and wrong types are all problems.
 * Thread-safe: all methods are static and share nothing mutable.
 */
public final class AgentSpecs {

  private static final YAMLMapper YAML = YAMLMapper.builder()
      // Quotes stay minimal, but a string that reads as a number ("1.0") keeps its quotes.
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS,
          YAMLWriteFeature.LITERAL_BLOCK_STYLE)
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AgentSpecs() {}

  /** Loads one spec file ({@code .yaml}, {@code .yml} or {@code .json}). */
  public static AgentSpec load(Path file) {
    List<SpecProblem> problems = new ArrayList<>();
    AgentSpec spec = read(file, problems);
    if (spec == null || !problems.isEmpty()) throw new AgentSpecException(problems);
    return spec;
  }

  /**
   * Loads every {@code .yaml}, {@code .yml} and {@code .json} file under a directory, recursively,
   * in path order. Names must be unique across the files.
   */
  public static List<AgentSpec> loadDirectory(Path directory) {
    return loadAll(List.of(directory));
  }

  /** Loads files and directories alike; reports the problems of all of them together. */
  public static List<AgentSpec> loadAll(List<Path> paths) {
    List<SpecProblem> problems = new ArrayList<>();
    List<AgentSpec> specs = new ArrayList<>();
    for (Path file : specFiles(paths, problems)) {
      AgentSpec spec = read(file, problems);
      if (spec != null) specs.add(spec);
    }
    Map<String, AgentSpec> byName = new HashMap<>();
    for (AgentSpec spec : specs) {
      AgentSpec first = byName.putIfAbsent(spec.name(), spec);
      if (first != null) {
        problems.add(new SpecProblem(spec.source(), 0, 0, "agent name '" + spec.name()
            + "' is already used by " + first.source() + "; names must be unique"));
      }
    }
    if (!problems.isEmpty()) throw new AgentSpecException(problems);
    return List.copyOf(specs);
  }

  /**
   * Checks what specs say about each other, without a {@link Mesh}: unknown child agents, cycles
   * among child agents, duplicate names, tools named like agents, sandbox entries the agent does
   * not declare, and instruction placeholders the input schema does not define. Models, tools and
   * guardrails are bound by the host at run time, so they are not checked here;
   * {@link Mesh.Builder#build()} checks everything.
   *
   * <pre>{@code
   * List<SpecProblem> problems = AgentSpecs.checkReferences(AgentSpecs.loadDirectory(dir));
   * }</pre>
   *
   * @return every problem found, sorted by place; empty when the specs fit together
   */
  public static List<SpecProblem> checkReferences(List<AgentSpec> specs) {
    Map<String, AgentSpec> byName = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (AgentSpec spec : specs) {
      if (byName.putIfAbsent(spec.name(), spec) != null) duplicates.add(spec.name());
    }
    return List.copyOf(MeshChecker.referencesOnly(byName).check(duplicates, List.of()));
  }

  /**
   * Parses a spec from text. {@code sourceName} names it in messages and decides the format:
   * a name ending in {@code .json} is read as JSON, anything else as YAML (a superset of JSON).
   */
  public static AgentSpec parse(String text, String sourceName) {
    List<SpecProblem> problems = new ArrayList<>();
    AgentSpec spec = parse(text.getBytes(StandardCharsets.UTF_8), sourceName, problems);
    if (spec == null || !problems.isEmpty()) throw new AgentSpecException(problems);
    return spec;
  }

  /** The spec as YAML, defaults left out; {@link #parse} of it gives an equal spec. */
  public static String toYaml(AgentSpec spec) {
    return YAML.writeValueAsString(SpecCodec.write(spec));
  }

  /** The spec as pretty JSON, defaults left out. */
  public static String toJson(AgentSpec spec) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SpecCodec.write(spec));
  }

  static @Nullable AgentSpec parse(byte[] bytes, String source, List<SpecProblem> problems) {
    boolean yaml = !source.toLowerCase(Locale.ROOT).endsWith(".json");
    SpecTree.Node root = SpecTree.parse(bytes, source, yaml, problems);
    return root == null ? null : SpecCodec.read(root, source, problems);
  }

  private static @Nullable AgentSpec read(Path file, List<SpecProblem> problems) {
    String source = file.toString();
    try {
      long size = Files.size(file);
      if (size > SpecTree.MAX_BYTES) {
        problems.add(SpecTree.tooLarge(source, size));
        return null;
      }
      return parse(Files.readAllBytes(file), source, problems);
    } catch (IOException e) {
      problems.add(new SpecProblem(source, 0, 0, "cannot read the file: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")));
      return null;
    }
  }

  private static List<Path> specFiles(List<Path> paths, List<SpecProblem> problems) {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isRegularFile(path)) {
        files.add(path);
      } else if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile).filter(AgentSpecs::isSpecFile).sorted().forEach(files::add);
        } catch (IOException | java.io.UncheckedIOException e) {
          problems.add(new SpecProblem(path.toString(), 0, 0, "cannot list the directory: " + e.getMessage()));
        }
      } else {
        problems.add(new SpecProblem(path.toString(), 0, 0,
            "no such file or directory; expected a spec file or a directory of them"));
      }
    }
    return files;
  }

  private static boolean isSpecFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }
}
