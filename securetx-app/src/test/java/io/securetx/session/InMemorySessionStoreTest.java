package io.securetx.session;

import java.time.Clock;

/** The contract for sessions held in one process. */
class InMemorySessionStoreTest extends SessionStoreContract {

  @Override
  protected SessionStore open(Clock clock, SessionPolicy policy) {
    return new InMemorySessionStore(clock, policy);
  }
}
