package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a trigger file holds, loading it gives triggers or a {@link TriggerSpecException} with
 * located problems, never another exception: the example file with random edits (characters
 * deleted, swapped, replaced, lines dropped or duplicated) must load or be refused cleanly.
 */
class TriggerSpecsPropertiesTest {

  private static final String ALPHABET = " :-[]{}'\"#&*!|>\n\t0123456789abcxyz/.,@%";

  static Stream<Long> seeds() {
    return Seeds.of(200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anEditedFileLoadsOrIsRefusedWithLocatedProblemsNeverAnotherException(long seed)
      throws IOException {
    Random random = new Random(seed);
    String text =
        mutate(Files.readString(Path.of("src/test/resources/triggers/example.yaml")), random);
    Seeds.print(getClass(), seed, text);

    try {
      List<TriggerSpec> loaded = TriggerSpecs.parse(text, "t.yaml");
      assertThat(loaded).allSatisfy(t -> assertThat(t.agent()).isNotBlank());
    } catch (TriggerSpecException e) {
      assertThat(e.problems())
          .isNotEmpty()
          .allSatisfy(p -> assertThat(p.source()).isEqualTo("t.yaml"));
      assertThat(e.getMessage()).doesNotContain("ZENDESK_SECRET_OLD\"");
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anEditedFileOfHumanAndAgentStartsLoadsOrIsRefusedWithLocatedProblems(long seed)
      throws IOException {
    Random random = new Random(seed);
    String text =
        mutate(Files.readString(Path.of("src/test/resources/starters/starters.yaml")), random);
    Seeds.print(getClass(), seed, text);

    try {
      List<TriggerSpec> loaded = TriggerSpecs.parse(text, "t.yaml");
      assertThat(loaded)
          .allSatisfy(
              t -> {
                assertThat(t.agent()).isNotBlank();
                assertThat(t.from().isEmpty()).isEqualTo(t.kind() != TriggerKind.AGENT);
              });
    } catch (TriggerSpecException e) {
      assertThat(e.problems())
          .isNotEmpty()
          .allSatisfy(p -> assertThat(p.source()).isEqualTo("t.yaml"));
    }
  }

  private static String mutate(String text, Random random) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + random.nextInt(6);
    for (int i = 0; i < edits && sb.length() > 1; i++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(5)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 2 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 3 -> {
          int start = sb.lastIndexOf("\n", at) + 1;
          int end = sb.indexOf("\n", at);
          if (end > start) sb.delete(start, end + 1);
        }
        default -> {
          int start = sb.lastIndexOf("\n", at) + 1;
          int end = sb.indexOf("\n", at);
          if (end > start) sb.insert(start, sb.substring(start, end + 1));
        }
      }
    }
    return sb.toString();
  }
}
