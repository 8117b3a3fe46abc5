package dev.agentmesh.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the code shown in docs compiled and run: each fenced block of a page stands verbatim (up to
 * indentation) in a test, between {@code // docs:begin <name>} and {@code // docs:end}.
 *
 * <pre>{@code
 * @Test
 * void everyJavaBlockOnThePageIsARegionOfThisTest() {
 *   DocsExamples.assertBlocksMatchRegions(Path.of("../docs/sessions.md"), "java",
 *       Path.of("src/test/java/dev/agentmesh/sessions/DocsExamplesTest.java"));
 * }
 * }</pre>
 */
public final class DocsExamples {

  private static final String BEGIN = "// docs:begin ";
  private static final String END = "// docs:end";

  private DocsExamples() {}

  /**
   * Asserts that the page's blocks fenced {@code ```info} and the source's regions are the same
   * code: each block is a region, each region is on the page, and there is at least one.
   *
   * @param page the Markdown page
   * @param info the fence's info string, {@code java} or {@code java notifiers}
   * @param source the test source holding the regions
   */
  public static void assertBlocksMatchRegions(Path page, String info, Path source) {
    List<String> blocks = blocks(page, info);
    Map<String, String> regions = regions(source);

    assertThat(blocks).as("```%s blocks in %s", info, page).isNotEmpty();
    assertThat(regions.values())
        .as("regions of %s; copy each ```%s block of %s there verbatim", source, info, page)
        .containsAll(blocks);
    assertThat(blocks)
        .as("```%s blocks of %s; a region of %s is no longer on the page", info, page, source)
        .containsAll(regions.values());
  }

  /**
   * The blocks of {@code page} whose opening fence is exactly {@code ```info}, each without its
   * common indentation.
   *
   * @param page the Markdown page
   * @param info the fence's info string
   * @return the blocks in page order
   */
  public static List<String> blocks(Path page, String info) {
    String open = "```" + info;
    List<String> blocks = new ArrayList<>();
    List<String> block = null;
    for (String line : read(page)) {
      if (block == null && line.strip().equals(open)) {
        block = new ArrayList<>();
      } else if (block != null && line.strip().equals("```")) {
        blocks.add(normalized(block));
        block = null;
      } else if (block != null) {
        block.add(line);
      }
    }
    return blocks;
  }

  /**
   * The regions of {@code source} between {@code // docs:begin <name>} and {@code // docs:end},
   * each without its common indentation.
   *
   * @param source a test source
   * @return the regions by name, in source order
   */
  public static Map<String, String> regions(Path source) {
    Map<String, String> regions = new LinkedHashMap<>();
    String name = null;
    List<String> region = new ArrayList<>();
    for (String line : read(source)) {
      String s = line.strip();
      if (s.startsWith(BEGIN)) {
        name = s.substring(BEGIN.length()).strip();
        region = new ArrayList<>();
      } else if (s.equals(END) && name != null) {
        regions.put(name, normalized(region));
        name = null;
      } else if (name != null) {
        region.add(line);
      }
    }
    return regions;
  }

  /** The lines without their common indentation and trailing blanks, joined by newlines. */
  static String normalized(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    String joined =
        String.join(
            "\n",
            lines.stream()
                .map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .toList());
    return joined.replaceAll("^\n+|\n+$", "");
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
    }
  }
}
