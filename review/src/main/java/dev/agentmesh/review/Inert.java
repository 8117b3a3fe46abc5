package dev.agentmesh.review;

import java.util.List;

/**
 * Makes text inert before any writer sees it: every C0 and C1 control (ESC included), DEL,
 * bidirectional overrides and isolates, invisible separators, Unicode tag characters and lone
 * surrogates are replaced by a visible escape (backslash-x-1B for ESC, backslash-u-202E for U+202E,
 * backslash-u-{E0041} for U+E0041). In a single line ({@link #line}) CR and LF become {@code \r}
 * and {@code \n} too, so a subject or a recipient can never start a new header line; in a block
 * ({@link #text}) LF is kept, CRLF becomes LF and a lone CR is escaped. Tabs are kept.
 */
final class Inert {

  private Inert() {}

  /** Text on one line: CR and LF escaped too. */
  static String line(String s) {
    return escape(s, false);
  }

  /** Text on several lines: LF kept. */
  static String text(String s) {
    return escape(s.replace("\r\n", "\n"), true);
  }

  static List<String> lines(List<String> list) {
    return list.stream().map(Inert::line).toList();
  }

  private static String escape(String s, boolean keepNewlines) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int width = Character.charCount(cp);
      boolean keep = cp == '\t' || (cp == '\n' && keepNewlines) || !dangerous(cp);
      if (!keep && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (keep) {
          out.appendCodePoint(cp);
        } else {
          out.append(visible(cp));
        }
      }
      i += width;
    }
    return out == null ? s : out.toString();
  }

  static boolean dangerous(int cp) {
    return cp < 0x20
        || (cp >= 0x7F && cp <= 0x9F)
        || cp == 0x061C
        || cp == 0x200B
        || cp == 0x200E
        || cp == 0x200F
        || (cp >= 0x2028 && cp <= 0x202E)
        || (cp >= 0x2060 && cp <= 0x2064)
        || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0xFEFF
        || (cp >= 0xE0000 && cp <= 0xE007F)
        || (cp >= 0xD800 && cp <= 0xDFFF);
  }

  private static String visible(int cp) {
    return switch (cp) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      default ->
          cp <= 0xFF
              ? String.format("\\x%02X", cp)
              : cp <= 0xFFFF ? String.format("\\u%04X", cp) : String.format("\\u{%X}", cp);
    };
  }
}
