package dev.agentmesh.examples.support;

import dev.agentmesh.sessions.SqliteSessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where an example keeps its sessions: a SQLite file at the system property {@value #PROPERTY},
 * else the environment variable {@value #ENV}, else {@code <tmp>/agentmesh-examples/<example>.db}.
 * Each example's pom sets the property to {@code ${project.build.directory}/<example>.db}, so
 * {@code mvn clean} starts afresh and the file opens in any SQLite tool meanwhile.
 *
 * <pre>{@code
 * try (SqliteSessionStore store = ExampleStore.sqlite("crm-update", props, env)) {
 *   Sessions sessions = Sessions.builder(mesh).store(store).build();
 * }
 * }</pre>
 */
public final class ExampleStore {

  /** The system property naming the database file. */
  public static final String PROPERTY = "agentmesh.example.db";

  /** The environment variable naming the database file when the property is not set. */
  public static final String ENV = "AGENTMESH_EXAMPLE_DB";

  private ExampleStore() {}

  /**
   * Opens (creating when missing, with its directory) the example's SQLite session store.
   *
   * @param example the example's folder name, used for the default file name
   * @param props the system properties (usually {@code System.getProperties()})
   * @param env the environment (usually {@code System.getenv()})
   * @return the open store; the caller closes it
   */
  public static SqliteSessionStore sqlite(
      String example, Properties props, Map<String, String> env) {
    Path file = path(example, props, env);
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the directory of example '"
              + example
              + "''s session store "
              + file
              + "; set -D"
              + PROPERTY
              + " or "
              + ENV
              + " to a writable path",
          e);
    }
    return SqliteSessionStore.create(file);
  }

  /**
   * The file {@link #sqlite} opens, without opening it.
   *
   * @param example the example's folder name
   * @param props the system properties
   * @param env the environment
   * @return the database file's path
   */
  public static Path path(String example, Properties props, Map<String, String> env) {
    if (example.isBlank() || !example.matches("[A-Za-z0-9._-]+"))
      throw new IllegalArgumentException(
          "example must be a folder name like 'crm-update' but was '" + example + "'");
    String configured = props.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) configured = env.get(ENV);
    if (configured != null && !configured.isBlank()) return Path.of(configured.strip());
    return Path.of(
        props.getProperty("java.io.tmpdir", System.getProperty("java.io.tmpdir")),
        "agentmesh-examples",
        example + ".db");
  }
}
