package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specs packaged with a service: loaded from the classpath, from a directory or from inside a jar.
 */
class ResourceSpecsTest {

  static final Map<String, String> FILES =
      Map.of(
          "agents/triage.yaml", "name: triage\ninstructions: Sort {{input}}\nagents: [escalate]\n",
          "agents/nested/escalate.json", "{\"name\": \"escalate\", \"instructions\": \"Escalate\"}",
          "agents/notes.txt", "not a spec",
          "other/ignored.yaml", "name: ignored\ninstructions: x\n");

  @TempDir Path dir;

  @Test
  void specsLoadFromADirectoryOnTheClasspathNamedAsResources() throws IOException {
    Path root = dir.resolve("classes");
    FILES.forEach((name, text) -> write(root.resolve(name), text));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      List<AgentSpec> specs = AgentSpecs.loadResources("agents", loader);

      assertThat(specs).extracting(AgentSpec::name).containsExactly("escalate", "triage");
      assertThat(specs)
          .extracting(AgentSpec::source)
          .containsExactly("classpath:agents/nested/escalate.json", "classpath:agents/triage.yaml");
      assertThat(AgentSpecs.checkReferences(specs)).isEmpty();
    }
  }

  @Test
  void specsLoadFromInsideAJarAndProblemsNameTheResourceWithLineAndColumn() throws IOException {
    Path jar =
        jar(
            Map.of(
                "agents/triage.yaml",
                FILES.get("agents/triage.yaml"),
                "agents/nested/escalate.json",
                FILES.get("agents/nested/escalate.json")));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(AgentSpecs.loadResources("/agents/", loader))
          .extracting(AgentSpec::source)
          .containsExactly("classpath:agents/nested/escalate.json", "classpath:agents/triage.yaml");
      assertThat(AgentSpecs.loadResource("agents/triage.yaml", loader).agents())
          .containsExactly("escalate");
    }

    Path broken =
        jar(
            Map.of(
                "agents/triage.yaml",
                "name: triage\ninstructions: Go.\nmodle: fast\n",
                "agents/b.yaml",
                "name: b\ninstructions: Go.\nlimits:\n\tmaxTurns: 3\n"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {broken.toUri().toURL()}, null)) {
      AgentSpecException e =
          catchThrowableOfType(
              AgentSpecException.class, () -> AgentSpecs.loadResources("agents", loader));

      assertThat(e.problems())
          .map(SpecProblem::toString)
          .containsExactly(
              "classpath:agents/b.yaml:4:1: not valid YAML: found character '\\t' (a tab) that cannot start any token; "
                  + "YAML indents with spaces, not tabs: replace the tab with spaces",
              "classpath:agents/triage.yaml:3:1: unknown field 'modle' (did you mean 'model'?); expected one of "
                  + SpecCodec.FIELDS);
    }
  }

  @Test
  void theFirstClasspathEntryWinsForAResourceNameAsClassLoadersChoose() throws IOException {
    Path first = jar(Map.of("agents/a.yaml", "name: first\ninstructions: x\n"));
    Path second = dir.resolve("second");
    write(second.resolve("agents/a.yaml"), "name: second\ninstructions: x\n");
    write(second.resolve("agents/b.yaml"), "name: b\ninstructions: x\n");

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {first.toUri().toURL(), second.toUri().toURL()}, null)) {
      assertThat(AgentSpecs.loadResources("agents", loader))
          .extracting(AgentSpec::name)
          .containsExactly("first", "b");
    }
  }

  @Test
  void aMissingResourceOrDirectoryIsAProblemNamingIt() throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThat(
              catchThrowableOfType(
                  AgentSpecException.class, () -> AgentSpecs.loadResources("agents", loader)))
          .hasMessage(
              "1 problem in agent specs:\n  classpath:agents: no such directory on the classpath; expected a "
                  + "resource directory such as src/main/resources/agents");
      assertThat(
              catchThrowableOfType(
                  AgentSpecException.class, () -> AgentSpecs.loadResource("agents/x.yaml", loader)))
          .hasMessage(
              "1 problem in agent specs:\n  classpath:agents/x.yaml: no such resource on the classpath; "
                  + "expected a spec such as agents/triage.yaml in src/main/resources");
    }
  }

  @Test
  void theContextClassLoaderFindsTheTestResourcesAndDuplicateNamesAreLocated() {
    assertThat(AgentSpecs.loadResource("specs/triage.yaml"))
        .isEqualTo(AgentSpecsTest.triageBuiltInJava());
    assertThat(
            catchThrowableOfType(AgentSpecException.class, () -> AgentSpecs.loadResources("specs")))
        .hasMessage(
            "1 problem in agent specs:\n  classpath:specs/triage.yaml:1:7: agent name 'triage' is already used by "
                + "classpath:specs/triage.json:2:11; names must be unique");
  }

  @Test
  void theLoadingCodeOnTheDocsPageRunsAsShown() throws IOException {
    Path agentsDir = Path.of("src/test/resources/agents");
    // docs:begin loading
    List<AgentSpec> fromFiles =
        AgentSpecs.loadDirectory(agentsDir); // every .yaml, .yml, .json under it
    List<AgentSpec> packaged =
        AgentSpecs.loadResources("agents"); // src/main/resources/agents, in a jar too
    AgentSpec triage = AgentSpecs.loadResource("agents/triage.yaml");
    List<SpecProblem> problems =
        AgentSpecs.validate(List.of(agentsDir)); // what `agentmesh validate` prints
    // docs:end

    assertThat(packaged).isEqualTo(fromFiles).contains(triage).hasSize(2);
    assertThat(problems).isEmpty();
    String doc = Files.readString(Path.of("../docs/agent-spec.md"), StandardCharsets.UTF_8);
    String source =
        Files.readString(Path.of("src/test/java/dev/agentmesh/core/ResourceSpecsTest.java"));
    String region =
        source.substring(
            source.indexOf("// docs:begin loading\n") + 22, source.indexOf("    // docs:end"));
    int start = doc.indexOf("```java\n", doc.indexOf("## Loading specs")) + "```java\n".length();
    assertThat(AgentSpecsTest.unindent(doc.substring(start, doc.indexOf("```", start))))
        .isEqualTo(AgentSpecsTest.unindent(region));
  }

  @Test
  void anEmptyDirectoryAFileAndTheClasspathRootAreProblemsNotEmptyLists() throws IOException {
    Path root = dir.resolve("classes");
    write(root.resolve("empty/notes.txt"), "not a spec");
    write(root.resolve("agentsfile.yaml"), "name: a\ninstructions: x\n");
    Path jar = jar(Map.of("jarred/notes.txt", "x", "jarfile.yaml", "name: b\ninstructions: x\n"));

    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {root.toUri().toURL(), jar.toUri().toURL()}, null)) {
      assertThat(problems(() -> AgentSpecs.loadResources("empty", loader)))
          .containsExactly(
              "classpath:empty: no agent "
                  + "specs found; expected .yaml, .yml or .json resources under it (searched recursively)");
      assertThat(problems(() -> AgentSpecs.loadResources("jarred", loader)))
          .containsExactly(
              "classpath:jarred: no agent "
                  + "specs found; expected .yaml, .yml or .json resources under it (searched recursively)");
      assertThat(problems(() -> AgentSpecs.loadResources("agentsfile.yaml", loader)))
          .containsExactly(
              "classpath:agentsfile.yaml: is a file, not a directory; load it with AgentSpecs.loadResource(\"agentsfile.yaml\")");
      assertThat(problems(() -> AgentSpecs.loadResources("jarfile.yaml", loader)))
          .containsExactly(
              "classpath:jarfile.yaml: is a file, not a directory; load it with AgentSpecs.loadResource(\"jarfile.yaml\")");
      assertThat(problems(() -> AgentSpecs.loadResources("/", loader)))
          .containsExactly(
              "classpath:: expected a resource "
                  + "directory such as agents, but the classpath root is not searched; put the specs in a directory such as "
                  + "src/main/resources/agents");
    }
  }

  @Test
  void aDirectoryLoadedAsOneSpecIsCalledADirectory() throws IOException {
    Path root = dir.resolve("classes");
    write(root.resolve("agents/a.yaml"), "name: a\ninstructions: x\n");
    Path withEntries = dir.resolve("with.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(withEntries))) {
      out.putNextEntry(new JarEntry("packed/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry("packed/a.yaml"));
      out.write("name: a\ninstructions: x\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Path without = jar(Map.of("bare/a.yaml", "name: a\ninstructions: x\n"));

    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {root.toUri().toURL(), withEntries.toUri().toURL(), without.toUri().toURL()},
            null)) {
      for (String name : List.of("agents", "packed", "bare/")) {
        String resource = name.replace("/", "");
        assertThat(problems(() -> AgentSpecs.loadResource(name, loader)))
            .containsExactly(
                "classpath:"
                    + resource
                    + ": is a directory, not a spec; load the specs under it with AgentSpecs.loadResources(\""
                    + resource
                    + "\")");
      }
    }
  }

  @Test
  void aJarWithoutDirectoryEntriesOnTheApplicationClassPathIsListedThroughJavaClassPath()
      throws IOException {
    Path jar = jar(Map.of("appspecs/a.yaml", "name: a\ninstructions: x\n"));
    URLClassLoader reader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    // Like the JDK's application class loader: no URLClassLoader, the system loader's child.
    ClassLoader app =
        new ClassLoader(ClassLoader.getSystemClassLoader()) {
          @Override
          public java.io.InputStream getResourceAsStream(String name) {
            return reader.getResourceAsStream(name);
          }
        };
    try (reader) {
      SpecBatch none = new SpecBatch();
      SpecResources.readDirectory("appspecs", app, none, "");
      assertThat(problems(none::specs))
          .containsExactly(
              "classpath:appspecs: no such directory on the classpath; "
                  + "expected a resource directory such as src/main/resources/appspecs");

      SpecBatch batch = new SpecBatch();
      SpecResources.readDirectory(
          "appspecs", app, batch, "missing.jar" + java.io.File.pathSeparator + jar);
      assertThat(batch.specs())
          .extracting(AgentSpec::source)
          .containsExactly("classpath:appspecs/a.yaml");
    }
  }

  private static List<String> problems(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    return catchThrowableOfType(AgentSpecException.class, call).problems().stream()
        .map(SpecProblem::toString)
        .toList();
  }

  private Path jar(Map<String, String> entries) throws IOException {
    Path jar = Files.createTempFile(dir, "specs", ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
