package io.securetx.adapter.http;

import io.securetx.ledger.AppendOutcome;
import io.securetx.ledger.ForwardingLedgerStore;
import io.securetx.ledger.LedgerStore;
import io.securetx.ledger.PendingEntry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real store whose next append can be held at the door, so a test can keep a request in flight
 * for as long as it needs; everything else passes straight through.
 */
final class GatedLedgerStore extends ForwardingLedgerStore {

  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);

  GatedLedgerStore(LedgerStore store) {
    super(store);
  }

  /** Holds the next append until {@link #open()}; returns a latch that opens when it arrives. */
  CountDownLatch closeGate() {
    release = new CountDownLatch(1);
    entered = new CountDownLatch(1);
    return entered;
  }

  void open() {
    release.countDown();
  }

  @Override
  public List<AppendOutcome> append(List<PendingEntry> batch, ChainExtender extender) {
    entered.countDown();
    try {
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the gate was never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return super.append(batch, extender);
  }
}
