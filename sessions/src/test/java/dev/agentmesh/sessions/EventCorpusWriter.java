package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.NewEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the corpus files that are missing: one {@code v<N>/<type>.json} (or {@code
 * <type>.<branch>.json}) for each sample in {@link EventCodecTest#corpusSamples()}, at the type's
 * current version. Files that exist are never touched, so older versions stay as they were written.
 * Not a test: run it after bumping a type's version (and adding its upcaster), then commit the new
 * file. From the repository root:
 *
 * <pre>{@code
 * mvn -B -o -q -pl sessions test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath
 * java -cp sessions/target/test-classes:sessions/target/classes:$(cat sessions/target/test.classpath) \
 *     dev.agentmesh.sessions.EventCorpusWriter sessions/src/test/resources/events
 * }</pre>
 *
 * <p>Without an argument it writes to {@code src/test/resources/events}, relative to the working
 * directory (the sessions module).
 */
final class EventCorpusWriter {

  private EventCorpusWriter() {}

  public static void main(String[] args) throws IOException {
    Path corpus = Path.of(args.length > 0 ? args[0] : "src/test/resources/events");
    if (!Files.isDirectory(corpus)) {
      throw new IllegalArgumentException(
          "No event corpus at "
              + corpus.toAbsolutePath()
              + "; pass the path of sessions/src/test/resources/events as the first argument");
    }
    writeMissing(corpus);
  }

  static void writeMissing(Path corpus) throws IOException {
    EventCodec codec = EventCodec.standard();
    for (EventCodecTest.Sample sample : EventCodecTest.corpusSamples()) {
      NewEvent e = codec.encode(sample.event());
      Path file = corpus.resolve("v" + e.typeVersion()).resolve(sample.file() + ".json");
      if (!Files.exists(file)) {
        ObjectNode stored =
            JsonNodeFactory.instance
                .objectNode()
                .put("type", e.type())
                .put("typeVersion", e.typeVersion())
                .put("at", e.at().toString());
        stored.set("payload", e.payload());
        Files.createDirectories(file.getParent());
        Files.writeString(
            file,
            EventCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stored) + "\n");
        System.out.println("wrote " + file);
      }
    }
  }
}
