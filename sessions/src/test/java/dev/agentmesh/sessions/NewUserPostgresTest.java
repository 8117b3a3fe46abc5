package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Hostile origins on PostgreSQL, as on the other stores. */
class NewUserPostgresTest {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static final String SCHEMA = PostgresTestDatabase.newSchema("newuser");

  @AfterAll
  static void drop() {
    DB.dropSchema(SCHEMA);
  }

  @Test
  void theLongestOriginIdOfWideCharactersIsKeptAndFoundOnPostgresAsOnTheOtherStores() {
    FakeClock clock = Fixtures.clock();
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(PostgresSessionStore.builder(DB.dataSource()).schema(SCHEMA).build())
            .executor(task -> {})
            .clock(clock)
            .build();
    Random random = new Random(7);
    StringBuilder id = new StringBuilder();
    while (id.length() < Origin.MAX_ID_LENGTH) {
      id.appendCodePoint(0x4e00 + random.nextInt(0x5000));
    }
    Origin big = Origin.human(id.toString());

    Session session = sessions.newSession("plain").input("x").origin(big).start();

    assertThat(session.state().origin()).isEqualTo(big);
    assertThat(sessions.query(SessionQuery.builder().origin(big).build()).sessions())
        .extracting(SessionSummary::id)
        .containsExactly(session.id());
  }
}
