package dev.agentmesh.examples.changelog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The small git repository the example creates: a service with an empty {@code CHANGELOG.md} and a
 * week of conventional commits (features, fixes, docs, a chore, a breaking change), plus one from
 * the week before that the changelog must leave out. Commit dates are fixed, so every run reads the
 * same week.
 *
 * <pre>{@code
 * Git git = DemoRepository.createIfAbsent(Path.of("target/changelog-repo"));
 * }</pre>
 */
final class DemoRepository {

  /** The changelog file, at the repository's root. */
  static final String CHANGELOG = "CHANGELOG.md";

  static final String HEADER = "# Changelog\n\nWhat changed in the service, newest week first.\n";

  /** One commit: when (Berlin time; null for now), who, the message, the file it touches. */
  record Commit(@Nullable String date, String author, String message, String file) {}

  static final List<Commit> COMMITS =
      List.of(
          new Commit(
              "2026-11-26T11:20:00+01:00",
              "Bo Berg",
              "fix(cli): validate prints the file of each problem",
              "cli/Validate.java"),
          new Commit(
              "2026-11-30T09:12:00+01:00",
              "Ana Alves",
              "feat(review): documents show a word-level redline",
              "review/DocumentSurface.java"),
          new Commit(
              "2026-11-30T14:40:00+01:00", "Bo Berg", "chore: bump cron-utils to 9.2.1", "pom.xml"),
          new Commit(
              "2026-12-01T10:03:00+01:00",
              "Bo Berg",
              "fix(triggers): a cron occurrence in a DST gap fires once",
              "triggers/LocalCron.java"),
          new Commit(
              "2026-12-02T16:45:00+01:00",
              "Ana Alves",
              "feat(sessions)!: Session.postTo replaces Session.ask\n\n"
                  + "BREAKING CHANGE: Session.ask is gone; call postTo(author, agent, text).",
              "sessions/Session.java"),
          new Commit(
              "2026-12-03T08:30:00+01:00",
              "Cy Chen",
              "docs: how a host adds an artifact type",
              "docs/review.md"),
          new Commit(
              "2026-12-04T10:05:00+01:00",
              "Cy Chen",
              "fix(review): a stale hash is refused with the hash that is current",
              "review/Decisions.java"));

  private DemoRepository() {}

  /**
   * The repository at {@code dir}: created with its history when {@code dir} holds none, reused as
   * it is otherwise (a second run of the example sees what the first published).
   *
   * @return git in that repository
   * @throws IllegalStateException if git is not installed, saying what to install
   */
  static Git createIfAbsent(Path dir) {
    Git git = Git.in(dir);
    if (Files.isDirectory(dir.resolve(".git"))) {
      git.version();
      return git;
    }
    try {
      Files.createDirectories(dir);
      git.run("init", "-q");
      git.run("checkout", "-q", "-b", "main");
      write(dir, CHANGELOG, HEADER);
      write(dir, "README.md", "# The service\n");
      commit(git, new Commit("2026-11-20T09:00:00+01:00", "Ana Alves", "chore: start", "."));
      for (Commit c : COMMITS) {
        Files.writeString(
            parent(dir.resolve(c.file())),
            c.message().lines().findFirst().orElseThrow() + "\n",
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        commit(git, c);
      }
      return git;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the example's git repository in "
              + dir
              + "; set -Dagentmesh.example.repo to a writable directory",
          e);
    }
  }

  /** Commits everything under {@code git}'s directory as {@code c}, with its date and author. */
  static String commit(Git git, Commit c) {
    String email = c.author().toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.com";
    Map<String, String> env = new HashMap<>();
    env.put("GIT_AUTHOR_NAME", c.author());
    env.put("GIT_AUTHOR_EMAIL", email);
    env.put("GIT_COMMITTER_NAME", c.author());
    env.put("GIT_COMMITTER_EMAIL", email);
    if (c.date() != null) { // else now
      env.put("GIT_AUTHOR_DATE", c.date());
      env.put("GIT_COMMITTER_DATE", c.date());
    }
    git.run(env, "add", "-A");
    git.run(env, "commit", "-q", "-m", c.message());
    return git.run("rev-parse", "--short=7", "HEAD");
  }

  private static void write(Path dir, String file, String text) throws IOException {
    Files.writeString(parent(dir.resolve(file)), text);
  }

  private static Path parent(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return file;
  }
}
