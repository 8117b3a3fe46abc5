package dev.agentmesh.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM, as a README's {@code exec:java} command would, without a nested
 * Maven build: the current {@code java}, the current (test) class path, the given system properties
 * and environment. The child's environment holds only what the JVM needs ({@code PATH}, {@code
 * HOME}, {@code TMPDIR}, {@code LANG}, {@code SYSTEMROOT}...) plus {@code env}: a developer's own
 * {@code OPENAI_API_KEY} never turns a scripted test run into a real model call.
 *
 * <pre>{@code
 * ForkedJvm.Result r =
 *     ForkedJvm.run(
 *         CrmUpdateApp.class.getName(),
 *         Map.of(),
 *         Map.of("agentmesh.example.db", "target/forked.db"),
 *         Duration.ofMinutes(2));
 * assertThat(r.exitCode()).as(r.stderr()).isZero();
 * assertThat(r.stdout()).contains("Applied");
 * }</pre>
 */
public final class ForkedJvm {

  /** Environment variables the child inherits from this JVM (when set). */
  static final List<String> PASSED_THROUGH =
      List.of("PATH", "HOME", "USER", "TMPDIR", "TMP", "TEMP", "LANG", "LC_ALL", "SYSTEMROOT");

  /**
   * What the child did.
   *
   * @param exitCode its exit code
   * @param stdout everything it printed on standard output
   * @param stderr everything it printed on standard error
   */
  public record Result(int exitCode, String stdout, String stderr) {}

  private ForkedJvm() {}

  /**
   * Runs {@code mainClass} with no arguments and waits for it.
   *
   * @param mainClass the fully qualified main class, on the current class path
   * @param env environment variables added to the minimal inherited set
   * @param systemProperties passed as {@code -Dkey=value}
   * @param timeout how long to wait before killing the child
   * @return its exit code and output
   * @throws IllegalStateException when it did not finish within {@code timeout} (with its output so
   *     far)
   */
  public static Result run(
      String mainClass,
      Map<String, String> env,
      Map<String, String> systemProperties,
      Duration timeout) {
    ProcessBuilder pb = processBuilder(mainClass, env, systemProperties);
    try {
      Process process = pb.start();
      process.getOutputStream().close();
      Drain out = new Drain(process.getInputStream());
      Drain err = new Drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            mainClass
                + " did not finish within "
                + timeout
                + "; killed it. Its output so far:\n"
                + out.text()
                + "\nstderr:\n"
                + err.text());
      }
      return new Result(process.exitValue(), out.text(), err.text());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start " + pb.command().get(0) + " for " + mainClass, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + mainClass, e);
    }
  }

  /**
   * The process {@link #run} starts, for a caller that keeps the child running (a server it talks
   * to, then stops): the current {@code java} and class path, {@code systemProperties} as {@code
   * -D} options, and only the inherited environment plus {@code env}.
   *
   * <pre>{@code
   * Process server = ForkedJvm.processBuilder(App.class.getName(), Map.of(), props).start();
   * }</pre>
   *
   * @param mainClass the fully qualified main class, on the current class path
   * @param env environment variables added to the minimal inherited set
   * @param systemProperties passed as {@code -Dkey=value}
   * @return a builder that starts it with no arguments
   */
  public static ProcessBuilder processBuilder(
      String mainClass, Map<String, String> env, Map<String, String> systemProperties) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 24) command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Dfile.encoding=UTF-8");
    new TreeMap<>(systemProperties).forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().retainAll(PASSED_THROUGH);
    pb.environment().putAll(env);
    return pb;
  }

  /** Reads a stream to its end on its own thread (a full pipe would block the child). */
  private static final class Drain {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread thread;

    Drain(InputStream in) {
      thread =
          new Thread(
              () -> {
                try (in) {
                  in.transferTo(bytes);
                } catch (IOException e) {
                  // the child ended; what was read stays
                }
              },
              "forked-jvm-drain");
      thread.setDaemon(true);
      thread.start();
    }

    String text() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(10));
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
