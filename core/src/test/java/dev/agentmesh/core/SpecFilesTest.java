package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which files a directory holds: each once, hidden entries skipped, and none at all is a problem.
 */
class SpecFilesTest {

  @TempDir Path dir;

  @Test
  void aFileReachedTwiceIsReadOnceAndIsNoDuplicateOfItself() throws IOException {
    Path z = Files.createDirectory(dir.resolve("z"));
    Files.writeString(z.resolve("a.yaml"), "name: solo\ninstructions: hi\n");

    assertThat(AgentSpecs.validate(List.of(z, dir.resolve("z/./"), z.resolve("a.yaml")))).isEmpty();
    assertThat(AgentSpecs.loadAll(List.of(z, z.resolve("a.yaml"))))
        .map(AgentSpec::name)
        .containsExactly("solo");
  }

  @Test
  void aKubernetesConfigMapMountIsReadThroughItsVisibleLinksOnly() throws IOException {
    Path mount = Files.createDirectory(dir.resolve("cm"));
    Path version = Files.createDirectory(mount.resolve("..2026_11_29_21_00_00.123"));
    Files.writeString(version.resolve("triage.yaml"), "name: triage\ninstructions: hi\n");
    Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
    Files.createSymbolicLink(mount.resolve("triage.yaml"), Path.of("..data/triage.yaml"));

    assertThat(AgentSpecs.validate(List.of(mount))).isEmpty();
    assertThat(AgentSpecs.loadDirectory(mount))
        .map(AgentSpec::source)
        .containsExactly(mount.resolve("triage.yaml").toString());
  }

  @Test
  void aDirectoryWithNoSpecsIsAProblem() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "not a spec");
    String message =
        empty
            + ": no agent specs found; expected .yaml, .yml or .json files (directories are searched recursively)";

    assertThat(AgentSpecs.validate(List.of(empty)))
        .map(SpecProblem::toString)
        .containsExactly(message);
    assertThat(
            catchThrowableOfType(AgentSpecException.class, () -> AgentSpecs.loadDirectory(empty))
                .problems())
        .map(SpecProblem::toString)
        .containsExactly(message);
  }
}
