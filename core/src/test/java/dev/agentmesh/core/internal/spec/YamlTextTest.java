package dev.agentmesh.core.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.SpecProblem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.exceptions.ReaderException;

class YamlTextTest {

  @Test
  void noChunkOfTwoOrMoreCharsEndsInsideASurrogatePairAndNothingIsLost() throws IOException {
    Random random = new Random(7);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      b.appendCodePoint(random.nextInt(4) == 0 ? 0x1F600 + random.nextInt(80) : 'a' + i % 26);
    }
    String text = b.toString();

    for (int size : new int[] {1, 2, 3, 1024, 1025}) {
      Reader reader = YamlText.reader(text);
      char[] chunk = new char[size + 1];
      StringBuilder out = new StringBuilder();
      int n;
      while ((n = reader.read(chunk, 0, size)) != -1) {
        assertThat(n).isBetween(1, size);
        if (n >= 2) assertThat(Character.isHighSurrogate(chunk[n - 1])).isFalse();
        out.append(chunk, 0, n);
      }
      assertThat(out.toString()).as("chunks of %d", size).isEqualTo(text);
    }
  }

  @Test
  void aHighSurrogateAtTheEndOfAFullChunkWaitsForTheNextOne() throws IOException {
    String text = "ab\uD83D\uDE80c";
    Reader reader = YamlText.reader(text);
    char[] chunk = new char[3];

    assertThat(reader.read(chunk, 0, 3)).isEqualTo(2);
    assertThat(reader.read(chunk, 0, 3)).isEqualTo(3);
    assertThat(new String(chunk)).isEqualTo("\uD83D\uDE80c");
    assertThat(reader.read(chunk, 0, 3)).isEqualTo(-1);
  }

  @Test
  void malformedUtf8IsAProblemAtItsPlaceNotAnotherCharacter() {
    assertThat(decode(bytes("name: a\nx: ", 0xff, 'b')))
        .containsExactly(
            "t.yaml:2:4: not valid UTF-8: the byte 0xff forms no character; save the file as UTF-8");
    // An overlong '/', which a lenient decoder reads as '/'.
    assertThat(decode(bytes("a: \uD83D\uDE80\r\nb: \r\nc: x", 0xc0, 0xaf)))
        .containsExactly(
            "t.yaml:3:5: not valid UTF-8: the byte 0xc0 forms no character; save the file as UTF-8");
    assertThat(decode(bytes("a: b", 0xe2, 0x82)))
        .containsExactly(
            "t.yaml:1:5: not valid UTF-8: the file ends inside a character (0xe2 0x82); save the file"
                + " as UTF-8");
    assertThat(decode("a: é \uD83D\uDE80".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void aFailureInsideTheParserIsNeverCalledInvalidYaml() {
    SpecProblem internal =
        SpecTree.failure(
            new IndexOutOfBoundsException("Range [1025, 1025 + 1) out of bounds for length 1025"),
            "t.yaml",
            true);
    SpecProblem verdict =
        SpecTree.failure(
            new ReaderException("t.yaml", 3, 1, "special characters are not allowed"),
            "t.yaml",
            true);

    assertThat(internal.message())
        .doesNotContain("not valid")
        .isEqualTo(
            "could not read the file: the YAML parser failed inside it (IndexOutOfBoundsException:"
                + " Range [1025, 1025 + 1) out of bounds for length 1025); the file may well be"
                + " valid: please report this, with the file");
    assertThat(verdict.message()).startsWith("not valid YAML: ");
  }

  private static List<String> decode(byte[] bytes) {
    List<SpecProblem> problems = new ArrayList<>();
    String text = YamlText.decode(bytes, "t.yaml", problems);
    assertThat(text == null).isEqualTo(!problems.isEmpty());
    return problems.stream().map(SpecProblem::toString).toList();
  }

  private static byte[] bytes(String head, int... tail) {
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(h, h.length + tail.length);
    for (int i = 0; i < tail.length; i++) out[h.length + i] = (byte) tail[i];
    return out;
  }
}
