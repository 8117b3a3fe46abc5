package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in type's surface in every format, compared exactly with a file under {@code
 * src/test/resources/golden/}. After a deliberate change to a surface, rewrite the files with
 * {@code ./mvnw -B -q -pl review -am verify -Dagentmesh.golden.update=true}, read the diff, and
 * commit it with the change.
 */
class GoldenSurfacesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("agentmesh.golden.update");
  private static final Map<SurfaceFormat, String> EXTENSIONS =
      Map.of(SurfaceFormat.TEXT, "txt", SurfaceFormat.MARKDOWN, "md", SurfaceFormat.HTML, "html");

  private final ArtifactTypes types =
      ArtifactTypes.builder().internalDomains("example.com").build();

  static Stream<Arguments> everyTypeAndFormat() {
    List<Arguments> out = new ArrayList<>();
    for (ReviewArtifact artifact : Samples.all()) {
      for (SurfaceFormat format : SurfaceFormat.values()) {
        out.add(Arguments.of(ArtifactTypes.standard().typeOf(artifact).name(), format, artifact));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("everyTypeAndFormat")
  @DisplayName("each surface matches its golden file exactly")
  void surfaceMatchesGoldenFile(String type, SurfaceFormat format, ReviewArtifact artifact)
      throws IOException {
    String rendered = types.render(artifact, format);
    Path file = GOLDEN.resolve(type + "." + EXTENSIONS.get(format));
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, rendered, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file (rewrite with -Dagentmesh.golden.update=true)").exists();
    assertThat(rendered).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void renderingTwiceGivesTheSameBytes() {
    for (ReviewArtifact artifact : Samples.all()) {
      for (SurfaceFormat format : SurfaceFormat.values()) {
        assertThat(types.render(artifact, format)).isEqualTo(types.render(artifact, format));
      }
    }
  }
}
