package dev.agentmesh.examples.changelog;

import dev.agentmesh.core.Tool;
import dev.agentmesh.core.ToolParam;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The changelog writer's tool: the commits of the example's repository in a time window, read with
 * {@code git log}.
 *
 * <pre>{@code
 * Mesh.builder().tools(new CommitLog(git))...
 * }</pre>
 */
public final class CommitLog {

  /**
   * One commit as the agent sees it.
   *
   * @param hash the short hash
   * @param date when it was committed (ISO-8601, with the committer's offset)
   * @param author who wrote it
   * @param subject the message's first line
   * @param body the rest of the message (empty when none)
   */
  public record Entry(String hash, String date, String author, String subject, String body) {}

  private static final DateTimeFormatter GIT_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000'").withZone(ZoneOffset.UTC);

  private final Git git;

  CommitLog(Git git) {
    this.git = git;
  }

  /**
   * The commits in {@code [since, until)}, oldest first.
   *
   * @param since the window's start, an ISO-8601 instant
   * @param until the window's end, an ISO-8601 instant
   * @return the commits
   */
  @Tool(
      value = "Lists the repository's commits committed in [since, until), oldest first",
      idempotent = true)
  public List<Entry> weekCommits(
      @ToolParam("Start of the window, an ISO-8601 instant such as 2026-11-29T23:00:00Z")
          String since,
      @ToolParam("End of the window, an ISO-8601 instant") String until) {
    Instant from = instant("since", since);
    Instant to = instant("until", until);
    String log =
        git.run(
            "log",
            "--reverse",
            "--since=" + GIT_DATE.format(from),
            "--until=" + GIT_DATE.format(to.minusSeconds(1)),
            "--format=%h%x1f%cI%x1f%an%x1f%s%x1f%b%x1e",
            "--abbrev=7");
    List<Entry> entries = new ArrayList<>();
    for (String record : log.split("\u001e")) {
      // not strip(): the separators are whitespace to Java, and an empty body ends in one
      String[] f = record.replaceFirst("^\n+", "").split("\u001f", -1);
      if (f.length == 5) entries.add(new Entry(f[0], f[1], f[2], f[3], f[4].strip()));
    }
    return entries;
  }

  private static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name
              + " must be an ISO-8601 instant such as 2026-11-29T23:00:00Z but was '"
              + value
              + "'");
    }
  }
}
