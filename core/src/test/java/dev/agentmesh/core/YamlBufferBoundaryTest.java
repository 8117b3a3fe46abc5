package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid YAML loads whatever its length and wherever a character past U+FFFF (an emoji: two chars, a
 * surrogate pair) falls. snakeyaml-engine 3.0.1 reads 1025 chars at a time and failed with "Range
 * [1025, 1025 + 1) out of bounds for length 1025" when one of its chunks ended between the two
 * halves of such a pair (its issue 77, fixed in 3.1); the loader feeds it so that none does.
 */
class YamlBufferBoundaryTest {

  private static final String ROCKET = "\uD83D\uDE80";

  /** snakeyaml-engine's chunk: its default buffer size (1024) plus the one char it keeps spare. */
  private static final int CHUNK = 1025;

  @Test
  void aSpecWhose1025thCharStartsAnEmojiLoads() {
    String head = "name: a\ninstructions: ";
    String instructions = "x".repeat(CHUNK - 1 - head.length()) + ROCKET;
    String yaml = head + instructions + "\n";
    assertThat(yaml.indexOf(ROCKET)).isEqualTo(CHUNK - 1);

    AgentSpec spec = AgentSpecs.parse(yaml, "boundary.yaml");

    assertThat(spec.instructions()).isEqualTo(instructions);
  }

  @Test
  void theSpecThePropertyTestWroteLoadsAndWritesBackTheSame() throws Exception {
    // What AgentSpecs.toYaml wrote for SpecPropertiesTest's case -Dagentmesh.seed=2048145068131:
    // a label 'émoji 🚀' whose rocket starts at char 1024.
    String yaml =
        Files.readString(
            Path.of("src/test/resources/boundary/emoji-at-char-1024.yaml"), StandardCharsets.UTF_8);
    assertThat(yaml.indexOf(ROCKET)).isEqualTo(CHUNK - 1);

    AgentSpec spec = AgentSpecs.parse(yaml, "emoji-at-char-1024.yaml");

    assertThat(spec.labels()).containsEntry("kww0cur", "émoji " + ROCKET);
    assertThat(AgentSpecs.toYaml(spec)).isEqualTo(yaml);
  }

  static Stream<Arguments> placesAroundChunkEnds() {
    List<String> styles = List.of("plain", "double", "single", "literal", "comment");
    return IntStream.of(1024, 1025, 2048, 2050, 3075, 4096, 4100, 8192, 8200)
        .boxed()
        .flatMap(end -> IntStream.rangeClosed(end - 3, end + 3).boxed())
        .flatMap(at -> styles.stream().map(style -> Arguments.of(at, style)));
  }

  @ParameterizedTest(name = "emoji at char {0}, {1}")
  @MethodSource("placesAroundChunkEnds")
  void anEmojiAnywhereAroundAChunkEndLoads(int at, String style) {
    String head = "name: a\ninstructions: Go.\ndescription: ";
    String before;
    String after;
    switch (style) {
      case "plain":
        before = head;
        after = "\n";
        break;
      case "double":
        before = head + "\"";
        after = "\"\n";
        break;
      case "single":
        before = head + "'";
        after = "'\n";
        break;
      case "literal":
        before = head + "|-\n  ";
        after = "\n";
        break;
      default:
        before = "# ";
        after = "\n" + head + "d\n";
        break;
    }
    String text = "y".repeat(at - before.length()) + ROCKET + "z";
    String yaml = before + text + after;
    assertThat(yaml.indexOf(ROCKET)).isEqualTo(at);

    AgentSpec spec = AgentSpecs.parse(yaml, "at-" + at + ".yaml");

    assertThat(spec.description()).isEqualTo(style.equals("comment") ? "d" : text);
  }

  @Test
  void aLongSpecFullOfEmojiLoadsWithEveryChunkEndingInsideOne() {
    // Every char of the description is half of a pair, so every chunk boundary splits one.
    String description = ROCKET.repeat(3000);
    String yaml = "name: a\ninstructions: Go.\ndescription: " + description + "\n";

    for (int pad = 0; pad < 4; pad++) {
      AgentSpec spec = AgentSpecs.parse("#" + "-".repeat(pad) + "\n" + yaml, "many.yaml");
      assertThat(spec.description()).isEqualTo(description);
    }
  }
}
