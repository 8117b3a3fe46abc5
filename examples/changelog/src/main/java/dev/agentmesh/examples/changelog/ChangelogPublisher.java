package dev.agentmesh.examples.changelog;

import dev.agentmesh.review.Document;
import dev.agentmesh.review.Publication;
import dev.agentmesh.review.PublishHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The effect of an approved changelog: the week's section goes into {@code CHANGELOG.md}, newest
 * first, and is committed. The file carries each approval's idempotency key in an HTML comment (not
 * shown when the Markdown is rendered), so publishing the same approval again (a retry after a
 * crash, a replay) finds its key and writes nothing: with {@link PublishHandler#idempotent} the
 * runtime may call it again, and the effect is exactly once.
 *
 * <pre>{@code
 * Reviews.builder(mesh).publisher("document", ChangelogPublisher.handler(git))...
 * }</pre>
 */
final class ChangelogPublisher {

  private final Git git;

  private ChangelogPublisher(Git git) {
    this.git = git;
  }

  /** The handler for {@code document} artifacts, honouring the idempotency key. */
  static PublishHandler handler(Git git) {
    return PublishHandler.idempotent(new ChangelogPublisher(git)::publish);
  }

  static String marker(String idempotencyKey) {
    return "<!-- published by agentmesh: " + idempotencyKey + " -->";
  }

  @Nullable Object publish(Publication publication) {
    Document document = (Document) publication.artifact();
    Path file = git.dir().resolve(DemoRepository.CHANGELOG);
    String marker = marker(publication.idempotencyKey());
    try {
      String current = Files.exists(file) ? Files.readString(file) : DemoRepository.HEADER;
      if (current.contains(marker)) {
        return Map.of("file", DemoRepository.CHANGELOG, "written", false);
      }
      Files.writeString(file, insert(current, marker + "\n" + document.after().strip() + "\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
    String hash =
        DemoRepository.commit(
            git,
            new DemoRepository.Commit(
                null, "Changelog Writer", "docs(changelog): " + document.title(), ""));
    return Map.of("file", DemoRepository.CHANGELOG, "written", true, "commit", hash);
  }

  /** The section goes after the header paragraph, before earlier weeks. */
  static String insert(String changelog, String section) {
    int firstWeek = changelog.indexOf("\n<!-- published by agentmesh");
    if (firstWeek < 0) return changelog.stripTrailing() + "\n\n" + section;
    return changelog.substring(0, firstWeek + 1)
        + section
        + "\n"
        + changelog.substring(firstWeek + 1);
  }
}
