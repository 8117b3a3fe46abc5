package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.SessionStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the schema files under {@code db/agentmesh/<dialect>/} that a database lacks, and records
 * each in {@code agentmesh_schema_version}. The caller runs this inside a transaction that
 * serializes concurrent migrators.
 */
final class Migrations {

  /** The schema versions this release ships, in order: V{n}__{description}.sql. */
  static final List<String> FILES =
      List.of(
          "V1__sessions.sql",
          "V2__lease_epoch_and_quarantine.sql",
          "V3__rows.sql",
          "V4__retention.sql",
          "V5__lighter_creates.sql");

  private Migrations() {}

  static int latest() {
    return FILES.size();
  }

  /** Applies pending files on {@code c} (already in a transaction); returns how many ran. */
  static int apply(Connection c, String dialect, Instant now) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS agentmesh_schema_version ("
              + "version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, "
              + "applied_at TEXT NOT NULL)");
    }
    int current = current(c);
    if (current > latest()) {
      throw new SessionStoreException(
          "The agentmesh schema is at version "
              + current
              + " but this release knows versions up to "
              + latest()
              + "; upgrade agentmesh on this node or point it at another schema",
          null);
    }
    for (int v = current + 1; v <= latest(); v++) {
      String file = FILES.get(v - 1);
      for (String sql : statements(read(dialect, file))) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
      }
      record(c, v, file, now);
    }
    return latest() - current;
  }

  private static int current(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM agentmesh_schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void record(Connection c, int version, String file, Instant now)
      throws SQLException {
    String description = file.substring(file.indexOf("__") + 2, file.length() - ".sql".length());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agentmesh_schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
      ps.setInt(1, version);
      ps.setString(2, description);
      ps.setString(3, now.toString());
      ps.executeUpdate();
    }
  }

  static String read(String dialect, String file) {
    String path = "/db/agentmesh/" + dialect + "/" + file;
    try (InputStream in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "Schema file "
                + path
                + " is missing from the "
                + "agentmesh-sessions jar; rebuild or re-download it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read schema file " + path, e);
    }
  }

  /** Splits a schema file on semicolons that end a line; the files keep none elsewhere. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
