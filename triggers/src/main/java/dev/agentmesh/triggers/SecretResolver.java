package dev.agentmesh.triggers;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the secret a {@link SecretRef} points at, when declared triggers are bound. The host
 * supplies one for its own stores (a vault, a secrets manager); {@link #environment()} reads {@code
 * env:} references.
 *
 * <pre>{@code
 * SecretResolver secrets = SecretResolver.environment()
 *     .or(ref -> ref.scheme().equals("vault") ? Optional.of(vault.read(ref.name())) : Optional.empty());
 * }</pre>
 *
 * <p>Called on the thread that binds triggers, once per reference; it may block (a network read).
 * An empty answer means "not found here"; the binder then fails naming the reference, never the
 * secret. An exception it throws reaches the binder's caller.
 */
@FunctionalInterface
public interface SecretResolver {

  /**
   * The secret the reference points at.
   *
   * @param ref the reference
   * @return the secret, or empty when this resolver does not have it
   */
  Optional<String> resolve(SecretRef ref);

  /**
   * Resolves {@code env:NAME} from the process environment.
   *
   * @return the resolver
   */
  static SecretResolver environment() {
    return from(System.getenv());
  }

  /**
   * Resolves {@code env:NAME} from the given map (for tests, or a host's own environment).
   *
   * @param environment variable names to values
   * @return the resolver
   */
  static SecretResolver from(Map<String, String> environment) {
    Map<String, String> copy = Map.copyOf(environment);
    return ref ->
        ref.scheme().equals(SecretRef.ENV)
            ? Optional.ofNullable(copy.get(ref.name()))
            : Optional.empty();
  }

  /**
   * This resolver, then {@code next} for what this one does not have.
   *
   * @param next the resolver asked second
   * @return the combined resolver
   */
  default SecretResolver or(SecretResolver next) {
    Function<SecretRef, Optional<String>> first = this::resolve;
    return ref -> first.apply(ref).or(() -> next.resolve(ref));
  }
}
