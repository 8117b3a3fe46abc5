package dev.agentmesh.examples.changelog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code git} command, run with {@link ProcessBuilder} in one repository. The user's and the
 * system's git configuration are ignored ({@code GIT_CONFIG_GLOBAL=/dev/null}, {@code
 * GIT_CONFIG_NOSYSTEM=1}), so signing hooks or aliases on the machine cannot change what the
 * example does.
 *
 * <pre>{@code
 * Git git = Git.in(repo);
 * String head = git.run("rev-parse", "--short", "HEAD");
 * }</pre>
 */
final class Git {

  private final String executable;
  private final Path dir;

  private Git(String executable, Path dir) {
    this.executable = executable;
    this.dir = dir;
  }

  /** The {@code git} on the PATH, run in {@code dir}. */
  static Git in(Path dir) {
    return new Git("git", dir);
  }

  /** Another executable (a test names one that does not exist), run in {@code dir}. */
  static Git using(String executable, Path dir) {
    return new Git(executable, dir);
  }

  /** {@code git --version}; fails with what to install when git is not there. */
  String version() {
    return run("--version");
  }

  /** Runs {@code git args...} and returns its standard output without the last line break. */
  String run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs {@code git args...} with extra environment variables (commit dates, authors). */
  String run(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("LC_ALL", "C");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "The changelog example runs the '"
              + executable
              + "' command to create and read its git repository, but it could not be started ("
              + e.getMessage()
              + "). Install git (Debian/Ubuntu: apt-get install git; macOS: xcode-select"
              + " --install) so that 'git --version' works in this shell, then run it again.",
          e);
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", args) + " did not end in 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "git "
                + String.join(" ", args)
                + " in "
                + dir
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + output.strip());
      }
      return output.endsWith("\n") ? output.substring(0, output.length() - 1) : output;
    } catch (IOException e) {
      throw new UncheckedIOException("reading the output of git " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while git " + args[0] + " ran", e);
    }
  }

  Path dir() {
    return dir;
  }
}
