package dev.agentmesh.core.spi;

import dev.agentmesh.core.AgentMeshException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model call failed. {@link #kind()} says how, {@link #isRetryable()} whether trying again may
 * help, {@link #status()} the HTTP status where there was one.
 *
 * <pre>{@code
 * try {
 *   model.chat(request);
 * } catch (ModelException e) {
 *   if (e.isRetryable()) scheduleRetry(e.retryAfter());
 *   else alert(e.kind() + ": " + e.getMessage());
 * }
 * }</pre>
 *
 * <p>Messages carry the provider's own error text, truncated, and never an API key or a prompt.
 */
public class ModelException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** How a model call failed. */
  public enum Kind {
    /** 401 or 403: the key is missing, wrong or lacks permission. Not retryable. */
    AUTHENTICATION(false),
    /** 400 or 422: the request was rejected as invalid. Not retryable. */
    BAD_REQUEST(false),
    /** 404: the model id (or endpoint) does not exist. Not retryable. */
    MODEL_NOT_FOUND(false),
    /** 429: too many requests or tokens; see {@link #retryAfter()}. Retryable. */
    RATE_LIMITED(true),
    /** 503 or 529: the provider is overloaded. Retryable. */
    OVERLOADED(true),
    /** Another 5xx. Retryable. */
    SERVER_ERROR(true),
    /** No complete answer within the timeout. Retryable. */
    TIMEOUT(true),
    /** The connection failed or was reset. Retryable. */
    CONNECTION(true),
    /** The body was truncated or is not the JSON the API documents. Retryable. */
    MALFORMED_RESPONSE(true),
    /** The response held no choice or no content. Retryable. */
    EMPTY_RESPONSE(true),
    /** The model refused to answer. Not retryable. */
    REFUSAL(false),
    /** Anything else, including a bug in an adapter. Not retryable. */
    UNKNOWN(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /** {@return whether a failure of this kind may succeed when tried again} */
    public boolean isRetryable() {
      return retryable;
    }
  }

  /** How the call failed. */
  private final Kind kind;

  /** The HTTP status, or 0. */
  private final int status;

  /** How long the provider asked to wait, or {@code null}. */
  private final @Nullable Duration retryAfter;

  /** The failing model's name. */
  private final String model;

  /**
   * Creates the exception.
   *
   * @param kind how the call failed
   * @param model the {@link ChatModel#name()} of the failing model
   * @param status the HTTP status, or 0 when there was none
   * @param retryAfter how long the provider asked to wait, or {@code null}
   * @param message what happened, without secrets or prompts
   * @param cause the underlying failure, or {@code null}
   */
  public ModelException(
      Kind kind,
      String model,
      int status,
      @Nullable Duration retryAfter,
      String message,
      @Nullable Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.model = Objects.requireNonNull(model, "model");
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /**
   * A failure without HTTP status or retry hint.
   *
   * @param kind how the call failed
   * @param model the failing model's name
   * @param message what happened, without secrets or prompts
   */
  public ModelException(Kind kind, String model, String message) {
    this(kind, model, 0, null, message, null);
  }

  /** {@return how the call failed} */
  public Kind kind() {
    return kind;
  }

  /** {@return the name of the model that failed} */
  public String model() {
    return model;
  }

  /** {@return the HTTP status, or 0 when the failure had none (timeout, connection, parsing)} */
  public int status() {
    return status;
  }

  /**
   * {@return how long the provider asked to wait before retrying, or {@code null} when it did not
   * say}
   */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** {@return whether trying again may succeed} */
  public boolean isRetryable() {
    return kind.isRetryable();
  }
}
