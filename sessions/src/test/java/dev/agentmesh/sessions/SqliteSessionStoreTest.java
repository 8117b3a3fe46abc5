package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SqliteSessionStoreTest {

  @TempDir Path dir;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Instant t0 = Instant.parse("2026-03-01T09:00:00.5Z");

  @Test
  void sessionsSurviveClosingAndReopeningTheFile() {
    Path file = dir.resolve("agentmesh.db");
    try (SqliteSessionStore store = SqliteSessionStore.create(file)) {
      store.append("s-1", 0, List.of(event("{\"text\":\"hi\"}")), summary());
    }
    try (SqliteSessionStore store = SqliteSessionStore.create(file)) {
      assertThat(store.load("s-1", 0))
          .singleElement()
          .satisfies(e -> assertThat(e.payload().get("text").asString()).isEqualTo("hi"));
      assertThat(store.find("s-1")).map(SessionSummary::participants).contains(Set.of("ana"));
    }
  }

  @Test
  void theFileIsPlainTablesAnySqliteToolCanReadInWalMode() throws Exception {
    Path file = dir.resolve("agentmesh.db");
    try (SqliteSessionStore store = SqliteSessionStore.create(file)) {
      store.append("s-1", 0, List.of(event("{\"text\":\"h\u00e9\"}")), summary());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT type, payload, at, json_extract(payload, '$.text')"
                  + " FROM agentmesh_events WHERE session_id = 's-1'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("message.posted");
        assertThat(rs.getString(2)).isEqualTo("{\"text\":\"h\u00e9\"}");
        assertThat(rs.getString(3)).isEqualTo("2026-03-01T09:00:00.500000Z");
        assertThat(rs.getString(4)).isEqualTo("h\u00e9");
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT status, created_at, datetime(created_at) " + "FROM agentmesh_sessions")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("running");
        assertThat(rs.getString(3)).isEqualTo("2026-03-01 09:00:00");
      }
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("wal");
      }
    }
  }

  @Test
  void reopeningDoesNotReapplyTheSchema() throws Exception {
    Path file = dir.resolve("agentmesh.db");
    SqliteSessionStore.create(file).close();
    SqliteSessionStore.create(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT version, description FROM agentmesh_schema_version")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo("sessions");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(2);
      assertThat(rs.getString(2)).isEqualTo("lease_epoch_and_quarantine");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(3);
      assertThat(rs.getString(2)).isEqualTo("rows");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(4);
      assertThat(rs.getString(2)).isEqualTo("retention");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(5);
      assertThat(rs.getString(2)).isEqualTo("lighter_creates");
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void aFileOfTheSecondSchemaVersionGainsTheRowsTableWhenOpened() throws Exception {
    Path file = dir.resolve("agentmesh.db");
    try (SqliteSessionStore store = SqliteSessionStore.create(file)) {
      store.append("s-1", 0, List.of(event("{}")), summary());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE agentmesh_rows");
      s.execute("DELETE FROM agentmesh_schema_version WHERE version >= 3");
    }
    try (SqliteSessionStore store = SqliteSessionStore.create(file)) {
      store.writeRows(
          List.of(RowWrite.insert(Row.of("sessions.once", "k", "s-1", json.readTree("{}")))));
      assertThat(store.findRow("sessions.once", "k")).map(Row::sessionId).contains("s-1");
      assertThat(store.find("s-1")).isPresent();
    }
  }

  private NewEvent event(String payload) {
    return new NewEvent("message.posted", 1, json.readTree(payload), t0);
  }

  private SessionSummary summary() {
    return SessionSummary.builder("s-1")
        .agent("triage")
        .status("running")
        .participants(Set.of("ana"))
        .createdAt(t0)
        .updatedAt(t0)
        .build();
  }
}
