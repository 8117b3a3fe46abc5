package dev.agentmesh.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A support desk as a Spring Boot application that embeds the mesh: a ticket system's signed
 * webhook starts a session of the {@code reply} agent, whose e-mail draft waits for the support
 * lead's approval through {@code /reviews}, and is sent once approved. Sessions live in PostgreSQL
 * through the application's {@code DataSource}; the application's Flyway owns their schema.
 *
 * <pre>
 * ./mvnw -q -pl examples/spring-boot -am package -DskipTests exec:java
 * </pre>
 *
 * <p>(or {@code java -jar examples/spring-boot/target/agentmesh-examples-spring-boot-*.jar} after
 * that {@code package}). When PostgreSQL cannot be reached it says what to start and exits with 1
 * ({@link DatabaseUnreachableFailureAnalyzer}).
 *
 * <p>See {@link MeshConfiguration} for the beans, {@link MeshLifecycle} for start and shutdown.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SupportHostApplication {

  /**
   * Starts the application.
   *
   * @param args Spring Boot's arguments, such as {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(SupportHostApplication.class, args);
  }
}
