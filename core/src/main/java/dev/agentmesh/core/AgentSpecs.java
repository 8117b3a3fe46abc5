package dev.agentmesh.core;

import dev.agentmesh.core.internal.spec.SpecFiles;
import dev.agentmesh.core.internal.spec.SpecTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Loads {@link AgentSpec}s from YAML and JSON, and writes them back.
 *
 * <pre>{@code
 * List<AgentSpec> specs = AgentSpecs.loadDirectory(Path.of("agents"));
 * AgentSpec triage = AgentSpecs.load(Path.of("agents/triage.yaml"));
 * List<AgentSpec> packaged = AgentSpecs.loadResources("agents");   // from the classpath, jars too
 * String yaml = AgentSpecs.toYaml(triage);           // reloads equal
 * }</pre>
 *
 * <p>Every problem is reported, not just the first, each as {@code file:line:col: message} in one
 * {@link AgentSpecException}. No input makes a loader throw anything else: empty files, binary
 * garbage, deep nesting, files over 1 MiB, duplicate keys and wrong types are all problems.
 * Thread-safe: all methods are static and share nothing mutable.
 */
public final class AgentSpecs {

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          // Quotes stay minimal, but a string that reads as a number ("1.0") keeps its quotes.
          .enable(
              YAMLWriteFeature.MINIMIZE_QUOTES,
              YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS,
              YAMLWriteFeature.LITERAL_BLOCK_STYLE)
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AgentSpecs() {}

  /**
   * Loads one spec file ({@code .yaml}, {@code .yml} or {@code .json}).
   *
   * @param file the file
   * @return the spec
   * @throws AgentSpecException listing every problem of the file
   */
  public static AgentSpec load(Path file) {
    SpecBatch batch = new SpecBatch();
    read(file, batch);
    return batch.specs().get(0);
  }

  /**
   * Loads every {@code .yaml}, {@code .yml} and {@code .json} file under a directory, recursively,
   * in path order, each file once (by its real path); hidden entries (names starting with '.', such
   * as a Kubernetes ConfigMap's {@code ..data}) are skipped, and a directory with no spec files is
   * a problem. Names must be unique across the files. What the specs say about each other (child
   * agents, placeholders) is checked by {@link #validate} and {@link Mesh.Builder#build()}.
   *
   * @param directory the directory to search
   * @return the specs, in path order
   */
  public static List<AgentSpec> loadDirectory(Path directory) {
    return loadAll(List.of(directory));
  }

  /**
   * Loads files and directories alike; reports the problems of all of them together.
   *
   * @param paths spec files and directories
   * @return the specs, in path order
   */
  public static List<AgentSpec> loadAll(List<Path> paths) {
    return readAll(paths).specs();
  }

  /**
   * Loads every {@code .yaml}, {@code .yml} and {@code .json} resource under a directory of the
   * classpath, recursively, in name order: from a directory on the classpath and from inside a jar
   * alike, so specs can ship in a service's jar. The thread's context class loader finds them (or
   * this library's, when there is none). A directory with no specs, a file or the classpath root
   * ({@code ""}) is a problem. Problems name the resource: {@code classpath:agents/triage.yaml:4:7:
   * ...}.
   *
   * <pre>{@code
   * List<AgentSpec> specs = AgentSpecs.loadResources("agents"); // src/main/resources/agents/
   * }</pre>
   *
   * @param directory a resource path such as {@code agents} or {@code META-INF/agents}
   * @return the specs, in name order
   * @see #loadResources(String, ClassLoader)
   */
  public static List<AgentSpec> loadResources(String directory) {
    return loadResources(directory, SpecResources.defaultLoader());
  }

  /**
   * Loads every spec resource under a classpath directory, as {@link #loadResources(String)}, with
   * the given class loader. When several classpath entries hold the same resource name, the first
   * one wins, as {@link ClassLoader#getResource} would choose.
   *
   * <p>In a named module, resources are found under the rules of {@link
   * Module#getResourceAsStream}: a resource in a directory whose name is a legal package name
   * ({@code agents}) is encapsulated unless the module {@code opens} that package. Use a directory
   * name that is not a package name ({@code agent-specs}, {@code META-INF/agents}) or open it, and
   * pass the module's class loader.
   *
   * @param directory a resource path such as {@code META-INF/agents}
   * @param loader the class loader that finds the resources
   * @return the specs, in name order
   */
  public static List<AgentSpec> loadResources(String directory, ClassLoader loader) {
    SpecBatch batch = new SpecBatch();
    SpecResources.readDirectory(directory, loader, batch);
    return batch.specs();
  }

  /**
   * Loads one spec resource, such as {@code agents/triage.yaml}, with the context class loader.
   *
   * @param name the resource's name
   * @return the spec
   */
  public static AgentSpec loadResource(String name) {
    return loadResource(name, SpecResources.defaultLoader());
  }

  /**
   * Loads one spec resource with the given class loader; problems name it as {@code
   * classpath:<name>}.
   *
   * @param name the resource's name
   * @param loader the class loader that finds it
   * @return the spec
   */
  public static AgentSpec loadResource(String name, ClassLoader loader) {
    SpecBatch batch = new SpecBatch();
    SpecResources.readOne(name, loader, batch);
    return batch.specs().get(0);
  }

  /**
   * Loads spec files and directories and checks them as {@code agentmesh validate} does: every
   * problem of every file, duplicate names, and what the specs say about each other ({@link
   * #checkReferences}), all together, a spec with problems of its own included as far as it could
   * be read. A child agent defined in a file that has problems is not reported as unknown.
   *
   * <pre>{@code
   * List<SpecProblem> problems = AgentSpecs.validate(List.of(Path.of("agents")));
   * problems.forEach(System.err::println);   // agents/triage.yaml:7:11: unknown child agent ...
   * }</pre>
   *
   * @param paths spec files and directories
   * @return every problem found, sorted by place; empty when the specs load and fit together
   */
  public static List<SpecProblem> validate(List<Path> paths) {
    return readAll(paths).allProblems();
  }

  /**
   * Checks what specs say about each other, without a {@link Mesh}: unknown child agents, cycles
   * among child agents, duplicate names, tools named like agents, sandbox entries the agent does
   * not declare, and instruction placeholders the input schema does not define. Models, tools and
   * guardrails are bound by the host at run time, so they are not checked here; {@link
   * Mesh.Builder#build()} checks everything. A spec loaded from a file is pointed at by {@code
   * file:line:col} of the field that is wrong.
   *
   * <pre>{@code
   * List<SpecProblem> problems = AgentSpecs.checkReferences(AgentSpecs.loadDirectory(dir));
   * }</pre>
   *
   * @param specs the specs, loaded or built in Java
   * @return every problem found, sorted by place; empty when the specs fit together
   */
  public static List<SpecProblem> checkReferences(List<AgentSpec> specs) {
    List<SpecProblem> problems = new ArrayList<>(SpecBatch.duplicateNames(specs));
    problems.addAll(
        MeshChecker.referencesOnly(SpecBatch.byName(specs), Set.of(), Map.of())
            .check(List.of(), List.of()));
    return problems.stream().sorted().toList();
  }

  /**
   * Parses a spec from text. {@code sourceName} names it in messages and decides the format: a name
   * ending in {@code .json} is read as JSON, anything else as YAML (a superset of JSON).
   *
   * @param text the spec, as YAML or JSON
   * @param sourceName a file name, such as {@code triage.yaml}
   * @return the spec
   */
  public static AgentSpec parse(String text, String sourceName) {
    SpecBatch batch = new SpecBatch();
    batch.add(text.getBytes(StandardCharsets.UTF_8), sourceName);
    return batch.specs().get(0);
  }

  /**
   * The spec as YAML, defaults left out; {@link #parse} of it gives an equal spec.
   *
   * @param spec the spec
   * @return the YAML text
   */
  public static String toYaml(AgentSpec spec) {
    return YAML.writeValueAsString(SpecCodec.write(spec));
  }

  /**
   * The spec as pretty JSON, defaults left out.
   *
   * @param spec the spec
   * @return the JSON text
   */
  public static String toJson(AgentSpec spec) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SpecCodec.write(spec));
  }

  private static SpecBatch readAll(List<Path> paths) {
    SpecBatch batch = new SpecBatch();
    for (Path file : SpecFiles.find(paths, SpecTree.Kind.AGENT_SPEC, batch::problem)) {
      read(file, batch);
    }
    return batch;
  }

  private static void read(Path file, SpecBatch batch) {
    byte[] bytes = SpecFiles.read(file, SpecTree.Kind.AGENT_SPEC, batch::problem);
    if (bytes != null) batch.add(bytes, file.toString());
  }

  static boolean isSpecName(String name) {
    return SpecFiles.isSpecName(name);
  }
}
