package dev.agentmesh.core.internal.spec;

import dev.agentmesh.core.SpecProblem;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a YAML file's bytes reach the YAML parser: decoded here, strictly, and then handed over in
 * chunks that never split a surrogate pair.
 *
 * <p>Why: snakeyaml-engine up to 3.0.1 (the version jackson-dataformat-yaml 3.1 and 3.3 bring)
 * reads its input in chunks of 1025 chars and, when a chunk ends in the first half of a surrogate
 * pair (an emoji, any character past U+FFFF), reads the second half into the slot past the end of
 * its buffer: an {@code IndexOutOfBoundsException} ("Range [1025, 1025 + 1) out of bounds for
 * length 1025") for valid YAML whose 1025th, 2050th, ... char starts such a pair. snakeyaml-engine
 * 3.1 fixes it (its issue 77), but a host may resolve any version, so the loader does not rely on
 * it: {@link #reader} never ends a chunk inside a pair, whatever the chunk size asked for.
 *
 * <p>Decoding here also keeps Jackson's own UTF-8 reader (which had its own chunk-boundary bugs,
 * jackson-dataformats-text issues 497 and 508) out of the way, and rejects malformed UTF-8 (an
 * overlong form, a stray byte) with its place instead of reading it as some other character.
 */
final class YamlText {

  private YamlText() {}

  /**
   * The bytes as UTF-8 text, or {@code null} after adding a located problem when they are not.
   *
   * @param bytes the file
   * @param source names the file in the problem
   * @param problems where the problem goes
   * @return the text
   */
  static @Nullable String decode(byte[] bytes, String source, List<SpecProblem> problems) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) result = decoder.flush(out);
    if (!result.isError()) return out.flip().toString();
    int bad = in.position();
    String read = out.flip().toString();
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < read.length(); i++) {
      char c = read.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == read.length() || read.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    int column = read.codePointCount(lineStart, read.length()) + 1;
    StringBuilder found = new StringBuilder();
    for (int i = bad; i < Math.min(bytes.length, bad + result.length()); i++) {
      found.append(found.length() == 0 ? "" : " ").append(hex(bytes[i]));
    }
    problems.add(
        new SpecProblem(
            source,
            line,
            column,
            bad + result.length() >= bytes.length
                ? "not valid UTF-8: the file ends inside a character ("
                    + found
                    + "); save the file as UTF-8"
                : "not valid UTF-8: "
                    + (result.length() == 1 ? "the byte " : "the bytes ")
                    + found
                    + (result.length() == 1 ? " forms" : " form")
                    + " no character; save the file as UTF-8"));
    return null;
  }

  private static String hex(byte b) {
    return String.format(Locale.ROOT, "0x%02x", b & 0xff);
  }

  /**
   * A reader over the text that never returns a chunk of two or more chars ending in a high
   * surrogate: the pair's two halves come in one chunk. A chunk asked for with room for one char
   * may still hold a lone high surrogate, as the contract of {@link Reader#read(char[], int, int)}
   * requires at least one char.
   *
   * @param text the whole text
   * @return the reader
   */
  static Reader reader(String text) {
    return new PairKeepingReader(text);
  }

  /** See {@link #reader}. */
  private static final class PairKeepingReader extends Reader {
    private final String text;
    private int next;

    PairKeepingReader(String text) {
      this.text = text;
    }

    @Override
    public int read(char[] into, int offset, int length) {
      Objects.checkFromIndexSize(offset, length, into.length);
      if (length == 0) return 0;
      if (next >= text.length()) return -1;
      int n = Math.min(length, text.length() - next);
      if (n >= 2 && Character.isHighSurrogate(text.charAt(next + n - 1))) n--;
      text.getChars(next, next + n, into, offset);
      next += n;
      return n;
    }

    @Override
    public void close() {}
  }
}
