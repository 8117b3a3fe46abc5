package dev.agentmesh.core.internal.turn;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list of one element followed by an immutable list (a transcript's {@link AppendList}
 * view): a model request's system message and the conversation, without copying the conversation.
 * Thread-safe: neither part ever changes.
 */
final class Prefixed<T> extends AbstractList<T> implements RandomAccess {

  private final T first;
  private final List<T> rest;

  Prefixed(T first, AppendList<T> rest) {
    this.first = Objects.requireNonNull(first, "first");
    this.rest = rest;
  }

  @Override
  public T get(int index) {
    if (index == 0) {
      return first;
    }
    Objects.checkIndex(index, size());
    return rest.get(index - 1);
  }

  @Override
  public int size() {
    return rest.size() + 1;
  }
}
