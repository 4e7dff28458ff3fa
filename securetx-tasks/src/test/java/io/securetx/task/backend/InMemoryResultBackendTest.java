package io.securetx.task.backend;

import io.securetx.task.memory.InMemoryResultBackend;

/** The result backend contract on the in-memory backend. */
class InMemoryResultBackendTest extends ResultBackendContract {

  @Override
  protected ResultBackend newBackend() {
    return new InMemoryResultBackend();
  }
}
